/* cli_protocol.c - protocol list, show, add and edit. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/strbuf.h"
#include "../core/xalloc.h"
#include "cli.h"

#define PROTOCOL_FILE_MAX (256 * 1024)

static enum cd_status
fetch_protocols(struct cli *c, void *arg, struct out *o)
{
	(void)arg;
	return ops_protocol_list(&c->ops, out_row, o, &c->err);
}

int
cli_protocol_list(struct cli *c)
{
	static const struct out_col cols[] = {
		{ "name", 22, false }, { "source", 11, false }, { "courses", 8, true },
		{ "gap_days", 9, true }, { "min_gap_days", 13, true }, { "title", 0, false },
	};
	enum cd_status st;
	int first;

	if ((st = cli_parse(c, cli_no_opts, cli_no_option, NULL, 0, &first)) != CD_OK)
		return st;
	return cli_print_rows(c, ACT_PROTOCOL_VIEW, OUT_TABLE, cols, 6, fetch_protocols, NULL);
}

int
cli_protocol_show(struct cli *c)
{
	enum cd_status st;
	char *json = NULL;
	int first;

	if ((st = cli_parse(c, cli_no_opts, cli_no_option, NULL, 1, &first)) != CD_OK)
		return st;
	if (c->format == OUT_CSV || c->format == OUT_ICS)
		return cli_usage_error(c, "a protocol is shown as text or json");
	if ((st = cli_open(c, OPS_OPEN_USE)) != CD_OK)
		return cli_fail(c, st);
	/* The protocol is JSON, in both formats: what protocol add reads. */
	if ((st = ops_protocol_show(&c->ops, c->argv[first], &json, &c->err)) == CD_OK) {
		char *line, *save = NULL;

		/* JSON keeps control characters inside strings escaped, so the
		 * lines are whole and each goes through the sanitizer. */
		for (line = strtok_r(json, "\n", &save); line != NULL;
		    line = strtok_r(NULL, "\n", &save))
			out_line(stdout, line);
	}
	free(json);
	return cli_done(c, st);
}

/* Reads a whole protocol file (at most PROTOCOL_FILE_MAX bytes). */
static enum cd_status
read_file(const char *path, char **out, struct cd_err *err)
{
	struct strbuf b = STRBUF_INIT;
	char buf[8192];
	size_t n;
	FILE *fp;

	*out = NULL;
	if ((fp = fopen(path, "r")) == NULL)
		return cd_fail(err, CD_REFUSED, "cannot read %s: %s", path, strerror(errno));
	while ((n = fread(buf, 1, sizeof buf, fp)) > 0) {
		if (b.len + n > PROTOCOL_FILE_MAX) {
			fclose(fp);
			strbuf_free(&b);
			return cd_fail(err, CD_REFUSED, "%s is larger than a protocol can be (%d KiB)",
			    path, PROTOCOL_FILE_MAX / 1024);
		}
		strbuf_add(&b, buf, n);
	}
	if (ferror(fp)) {
		fclose(fp);
		strbuf_free(&b);
		return cd_fail(err, CD_REFUSED, "cannot read %s: %s", path, strerror(errno));
	}
	fclose(fp);
	if (memchr(strbuf_str(&b), '\0', b.len) != NULL) {
		strbuf_free(&b);
		return cd_fail(err, CD_REFUSED, "%s is not a text file", path);
	}
	*out = xstrdup(strbuf_str(&b));
	strbuf_free(&b);
	return CD_OK;
}

struct protocol_args {
	const char *file, *reason;
};

static enum cd_status
protocol_option(struct cli *c, void *ctx, int opt, const char *arg)
{
	struct protocol_args *a = ctx;

	(void)c;
	if (opt == 'f')
		a->file = arg;
	else
		a->reason = arg;
	return CD_OK;
}

static int
protocol_write(struct cli *c, bool edit)
{
	static const struct option add_opts[] = {
		{ "file", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct option edit_opts[] = {
		{ "file", required_argument, NULL, 'f' },
		{ "reason", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	struct protocol_args a = { NULL, NULL };
	enum cd_status st;
	char *json = NULL;
	int first;

	if ((st = cli_parse(c, edit ? edit_opts : add_opts, protocol_option, &a, edit ? 1 : 0,
	    &first)) != CD_OK)
		return st;
	if (a.file == NULL)
		return cli_usage_error(c, "protocol %s needs --file FILE (the protocol's JSON)",
		    edit ? "edit" : "add");
	if ((st = read_file(a.file, &json, &c->err)) != CD_OK)
		return cli_fail(c, st);
	if ((st = cli_open(c, OPS_OPEN_USE)) != CD_OK) {
		free(json);
		return cli_fail(c, st);
	}
	st = edit ? ops_protocol_edit(&c->ops, c->argv[first], json, a.reason, &c->err) :
	    ops_protocol_add(&c->ops, json, &c->err);
	if (st == CD_OK && edit)
		printf("Changed protocol %s.\n", c->argv[first]); /* a checked name */
	else if (st == CD_OK)
		printf("Added the protocol.\n");
	free(json);
	return cli_done(c, st);
}

int
cli_protocol_add(struct cli *c)
{
	return protocol_write(c, false);
}

int
cli_protocol_edit(struct cli *c)
{
	return protocol_write(c, true);
}
