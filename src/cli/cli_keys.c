/* cli_keys.c - `celldesk keys`: every key of the full-screen interface,
 * screen by screen, from the same command tables its help is made of. */
#include "config.h"

#include "../tui/tui.h"
#include "cli.h"
#include "output.h"

int
cli_keys(struct cli *c)
{
	static const struct out_col cols[] = {
		{ "screen", 16, false }, { "keys", 22, false }, { "does", 60, false },
		{ "roles", 0, false },
	};
	enum cd_status st;
	struct out o;
	int first;

	if ((st = cli_parse(c, cli_no_opts, cli_no_option, NULL, 0, &first)) != CD_OK)
		return st;
	if (c->format == OUT_ICS)
		return cli_usage_error(c, "--format ics is for agenda only; this command prints"
		    " text, csv or json");
	out_begin(&o, stdout, c->format, OUT_TABLE, cols, NCOLS(cols));
	st = tui_keys_list(out_row, &o, &c->err);
	out_end(&o);
	return cli_fail(c, st);
}
