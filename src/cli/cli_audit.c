/* cli_audit.c - audit verify and audit log. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

int
cli_audit_verify(struct cli *c)
{
	struct db_audit_verdict v;
	enum cd_status st;
	int first;

	if ((st = cli_parse(c, cli_no_opts, cli_no_option, NULL, 0, &first)) != CD_OK)
		return st;
	if ((st = cli_open(c, OPS_OPEN_USE)) != CD_OK)
		return cli_fail(c, st);
	if ((st = ops_audit_verify(&c->ops, &v, &c->err)) != CD_OK)
		return cli_done(c, st);
	if (v.broken_seq != 0) {
		printf("Audit chain broken at record %" PRId64 ": %s.\n"
		       "Records 1 to %" PRId64 " are intact.\n",
		    v.broken_seq, v.what, v.records);
		return cli_done(c, CD_REFUSED);
	}
	printf("Audit chain intact: %" PRId64 " records, head %s.\n", v.records, v.head);
	return cli_done(c, CD_OK);
}

static enum cd_status
log_option(struct cli *c, void *ctx, int opt, const char *arg)
{
	struct db_audit_query *q = ctx;
	char *end;

	switch (opt) {
	case 't': q->tbl = arg; break;
	case 'r': q->row_key = arg; break;
	case 's': q->since = arg; break;
	default:
		errno = 0;
		q->limit = strtoll(arg, &end, 10);
		if (errno != 0 || *end != '\0' || end == arg || q->limit <= 0)
			return (enum cd_status)cli_usage_error(c,
			    "--limit: '%.20s' is not a positive number", arg);
		break;
	}
	return CD_OK;
}

static enum cd_status
fetch_audit(struct cli *c, void *arg, struct out *o)
{
	o->head_cols = 6;
	return ops_audit_log(&c->ops, arg, out_row, o, &c->err);
}

int
cli_audit_log(struct cli *c)
{
	static const struct option opts[] = {
		{ "table", required_argument, NULL, 't' },
		{ "row", required_argument, NULL, 'r' },
		{ "since", required_argument, NULL, 's' },
		{ "limit", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct out_col cols[] = {
		{ "seq", 0, false }, { "at", 0, false }, { "actor", 0, false }, { "action", 0, false }, { "table", 0, false },
		{ "row", 0, false }, { "reason", 0, false }, { "old", 0, false }, { "new", 0, false },
	};
	struct db_audit_query q = { NULL, NULL, NULL, 0 };
	enum cd_status st;
	int first;

	if ((st = cli_parse(c, opts, log_option, &q, 0, &first)) != CD_OK)
		return st;
	return cli_print_rows(c, ACT_AUDIT, OUT_BLOCK, cols, 9, fetch_audit, &q);
}
