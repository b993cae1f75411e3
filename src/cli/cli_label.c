/* cli_label.c - a lot's label text, what a barcode scanner sent, and the
 * lab's product rules (QC limits and expiry). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../core/strbuf.h"
#include "cli.h"
#include "cli_lot_args.h"

int
cli_label(struct cli *c)
{
	struct strbuf text = STRBUF_INIT;
	enum cd_status st;
	int first;

	if ((st = cli_parse(c, cli_no_opts, cli_no_option, NULL, 1, &first)) != CD_OK)
		return st;
	if (c->format != OUT_TEXT)
		return cli_usage_error(c, "a label is text");
	if ((st = cli_open(c, OPS_OPEN_USE)) != CD_OK)
		return cli_fail(c, st);
	if ((st = ops_lot_label(&c->ops, c->argv[first], &text, &c->err)) == CD_OK) {
		const char *line = strbuf_str(&text), *nl;
		char buf[512];

		for (; (nl = strchr(line, '\n')) != NULL; line = nl + 1) {
			snprintf(buf, sizeof buf, "%.*s", (int)(nl - line), line);
			out_line(stdout, buf);
		}
	}
	strbuf_free(&text);
	return cli_done(c, st);
}

static enum cd_status
fetch_scan(struct cli *c, void *arg, struct out *o)
{
	return ops_scan(&c->ops, arg, out_row, o, &c->err);
}

int
cli_scan(struct cli *c)
{
	static const struct out_col cols[] = {
		{ "what", 22, false }, { "value", 24, false }, { "detail", 0, false },
	};
	enum cd_status st;
	int first;

	if ((st = cli_parse(c, cli_no_opts, cli_no_option, NULL, 1, &first)) != CD_OK)
		return st;
	return cli_print_rows(c, ACT_LOT_VIEW, OUT_TABLE, cols, NCOLS(cols), fetch_scan,
	    c->argv[first]);
}

static enum cd_status
fetch_products(struct cli *c, void *arg, struct out *o)
{
	(void)arg;
	return ops_product_list(&c->ops, out_row, o, &c->err);
}

int
cli_product_list(struct cli *c)
{
	static const struct out_col cols[] = {
		{ "source", 12, false }, { "rule", 7, false }, { "what", 14, false },
		{ "limit", 0, false },
	};
	enum cd_status st;
	int first;

	if ((st = cli_parse(c, cli_no_opts, cli_no_option, NULL, 0, &first)) != CD_OK)
		return st;
	return cli_print_rows(c, ACT_LOT_VIEW, OUT_TABLE, cols, NCOLS(cols), fetch_products,
	    NULL);
}

int
cli_product_limit(struct cli *c)
{
	static const struct option opts[] = {
		{ "min", required_argument, NULL, 'm' }, { "max", required_argument, NULL, 'M' },
		{ "expect", required_argument, NULL, 'E' },
		{ "unit", required_argument, NULL, 'U' }, { NULL, 0, NULL, 0 },
	};
	struct lot_args a;
	enum cd_status st;
	int first;

	lot_args_init(&a);
	if ((st = cli_parse(c, opts, lot_option, &a, 2, &first)) != CD_OK)
		return st;
	if ((st = cli_open(c, OPS_OPEN_USE)) != CD_OK)
		return cli_fail(c, st);
	st = ops_product_limit(&c->ops, c->argv[first], c->argv[first + 1], a.min, a.max,
	    a.expect, a.unit, &c->err);
	if (st == CD_OK)
		printf("QC limit set; lots already released keep their release.\n");
	return cli_done(c, st);
}

int
cli_product_expiry(struct cli *c)
{
	static const struct option opts[] = {
		{ "storage", required_argument, NULL, 'S' },
		{ "hours", required_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	struct lot_args a;
	enum cd_status st;
	int first;

	lot_args_init(&a);
	if ((st = cli_parse(c, opts, lot_option, &a, 1, &first)) != CD_OK)
		return st;
	if (a.n.storage == NULL || a.hours == 0)
		return cli_usage_error(c, "give --storage fresh|cryopreserved|thawed and --hours N");
	if ((st = cli_open(c, OPS_OPEN_USE)) != CD_OK)
		return cli_fail(c, st);
	st = ops_product_expiry(&c->ops, c->argv[first], a.n.storage, a.hours, &c->err);
	if (st == CD_OK)
		printf("Expiry rule set; it proposes the expiry of lots recorded from now on.\n");
	return cli_done(c, st);
}
