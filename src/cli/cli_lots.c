/* cli_lots.c - the lot commands: record a lot and take it through its
 * steps (each prints where the lot now stands), list, show and trace
 * lots, FEFO suggestions and the at-risk list, and the lot-number
 * scheme. Labels, scans and product rules are in cli_label.c. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/lot.h"
#include "../core/strbuf.h"
#include "../core/xalloc.h"
#include "cli.h"
#include "cli_lot_args.h"

enum cd_status
lot_option(struct cli *c, void *ctx, int opt, const char *arg)
{
	struct lot_args *a = ctx;
	double *num = NULL;

	switch (opt) {
	case 'i': a->n.id = arg; break;
	case 'k': a->n.kind = arg; break;
	case 'p': a->n.patient = arg; break;
	case 'd': a->n.donor = arg; break;
	case 'e': a->n.eligibility = arg; break;
	case 's': a->n.source = arg; break;
	case 'P': a->n.parent = arg; break;
	case 'C': a->n.collected = arg; break;
	case 'x': a->n.expires = arg; break;
	case 'S': a->n.storage = arg; break;
	case 'l': a->n.location = arg; break;
	case 't': a->to = arg; break;
	case 'N': a->note = arg; break;
	case 'g': a->sign = arg; break;
	case 'r': a->reason = arg; break;
	case 'u': a->status = arg; break;
	case 'I': a->site = arg; break;
	case 'w': a->within = arg; break;
	case 'F': a->forward = true; break;
	case 'B': a->back = true; break;
	case 'K': a->check = true; break;
	case 'E': a->expect = arg; break;
	case 'U': a->unit = arg; break;
	case 'X': a->prefix = arg; break;
	case 'v': num = &a->n.volume_ml; break;
	case 'n': num = &a->n.cells; break;
	case 'T': num = &a->temp; break;
	case 'm': num = &a->min; break;
	case 'M': num = &a->max; break;
	case 'c': case 'a': case 'L': case 'D': case 'h': {
		int64_t v;

		if (!cli_parse_id(arg, &v))
			return (enum cd_status)cli_usage_error(c, "'%.20s' is not a whole number above"
			    " zero", arg);
		if (opt == 'c')
			a->n.cycle = v;
		else if (opt == 'a')
			a->appt = v;
		else if (opt == 'L')
			a->limit = v;
		else if (opt == 'D')
			a->days = v;
		else
			a->hours = v;
		break;
	}
	default:
		return CD_USAGE;
	}
	if (num != NULL && !lot_number_parse(arg, num))
		return (enum cd_status)cli_usage_error(c, "'%.20s' is not a number", arg);
	return CD_OK;
}

void
lot_args_init(struct lot_args *a)
{
	memset(a, 0, sizeof *a);
	a->n.volume_ml = a->n.cells = a->temp = a->min = a->max = NAN;
}

/* Parses the command's options and its n operands. */
static enum cd_status
lot_parse(struct cli *c, const struct option *opts, struct lot_args *a, int n, int *first)
{
	lot_args_init(a);
	return cli_parse(c, opts, lot_option, a, n, first);
}

/* --- after a step: where the lot stands --- */

struct standing {
	char status[32], location[256], expires[32];
};

static enum cd_status
take_standing(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	struct standing *s = ctx;
	int i;

	(void)err;
	for (i = 0; i < row->n; i++) {
		const char *v = row->vals[i] != NULL ? row->vals[i] : "";

		if (strcmp(row->keys[i], "status") == 0)
			snprintf(s->status, sizeof s->status, "%s", v);
		else if (strcmp(row->keys[i], "location") == 0)
			snprintf(s->location, sizeof s->location, "%s", v);
		else if (strcmp(row->keys[i], "expires") == 0)
			out_short_time(v, true, s->expires, sizeof s->expires);
	}
	return CD_OK;
}

/* Prints "Lot ID: released; at LOCATION; expires TIME." after st. */
static int
lot_done(struct cli *c, enum cd_status st, const char *id)
{
	struct standing s;
	struct strbuf line = STRBUF_INIT;

	memset(&s, 0, sizeof s);
	if (st == CD_OK && ops_lot_show(&c->ops, id, take_standing, NULL, &s, &c->err) == CD_OK) {
		strbuf_addf(&line, "Lot %s: %s; at %s; expires %s.", id, s.status, s.location,
		    s.expires);
		out_line(stdout, strbuf_str(&line));
		strbuf_free(&line);
	}
	return cli_done(c, st);
}

/* lot administer --check: the bedside check alone. */
static int
bedside_checked(struct cli *c, const char *id, const char *patient, int64_t appt)
{
	struct strbuf line = STRBUF_INIT;
	enum cd_status st = ops_lot_bedside_check(&c->ops, id, patient, appt, true,
	    &c->err);

	if (st == CD_OK) {
		strbuf_addf(&line, "MATCH: lot %s may be given to patient %s now (checked only:"
		    " nothing was administered).", id, patient);
		out_line(stdout, strbuf_str(&line));
		strbuf_free(&line);
	}
	return cli_done(c, st);
}

/* Opens the database, or prints why not. */
#define OPEN_OR_FAIL(c)                                            \
	do {                                                       \
		enum cd_status open_st = cli_open((c), OPS_OPEN_USE); \
		if (open_st != CD_OK)                              \
			return cli_fail((c), open_st);             \
	} while (0)

int
cli_lot_add(struct cli *c)
{
	static const struct option opts[] = {
		{ "id", required_argument, NULL, 'i' }, { "kind", required_argument, NULL, 'k' },
		{ "patient", required_argument, NULL, 'p' },
		{ "donor", required_argument, NULL, 'd' },
		{ "eligibility", required_argument, NULL, 'e' },
		{ "source", required_argument, NULL, 's' },
		{ "parent", required_argument, NULL, 'P' },
		{ "cycle", required_argument, NULL, 'c' },
		{ "collected", required_argument, NULL, 'C' },
		{ "expires", required_argument, NULL, 'x' },
		{ "storage", required_argument, NULL, 'S' },
		{ "location", required_argument, NULL, 'l' },
		{ "volume", required_argument, NULL, 'v' },
		{ "cells", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct lot_args a;
	enum cd_status st;
	int first;

	if ((st = lot_parse(c, opts, &a, 0, &first)) != CD_OK)
		return st;
	if (a.n.id == NULL || a.n.kind == NULL || a.n.source == NULL)
		return cli_usage_error(c, "lot add needs --id, --kind and --source");
	OPEN_OR_FAIL(c);
	return lot_done(c, ops_lot_add(&c->ops, &a.n, &c->err), a.n.id);
}

/* The steps that take only the lot and options. */
enum step_kind { S_RECEIVE, S_STORE, S_MOVE, S_THAW, S_RELEASE, S_ISSUE, S_RETURN,
	S_DISCARD, S_RESERVE, S_ADMINISTER };

static int
lot_step(struct cli *c, enum step_kind k, const struct option *opts)
{
	struct lot_args a;
	struct ops *o = &c->ops;
	const char *id;
	enum cd_status st;
	int first;

	if ((st = lot_parse(c, opts, &a, 1, &first)) != CD_OK)
		return st;
	id = c->argv[first];
	if ((k == S_STORE || k == S_MOVE) && a.to == NULL)
		return cli_usage_error(c, "where to? give --to SITE/UNIT[/RACK/BOX/POS]");
	if (k == S_RESERVE && a.appt == 0)
		return cli_usage_error(c, "which visit? give --appt ID (see celldesk agenda)");
	if (k == S_ADMINISTER && a.n.patient == NULL)
		return cli_usage_error(c, "whose wristband? give --patient MRN");
	if (k == S_RELEASE && a.sign == NULL)
		return cli_usage_error(c, "a release is signed: give --sign \"YOUR NAME\"");
	if (k == S_DISCARD && a.reason == NULL)
		return cli_usage_error(c, "why? give --reason TEXT");
	OPEN_OR_FAIL(c);
	switch (k) {
	case S_RECEIVE: st = ops_lot_receive(o, id, a.to, &c->err); break;
	case S_STORE: st = ops_lot_store(o, id, a.to, a.n.storage, &c->err); break;
	case S_MOVE: st = ops_lot_move(o, id, a.to, a.temp, a.note, &c->err); break;
	case S_THAW: st = ops_lot_thaw(o, id, &c->err); break;
	case S_RELEASE: st = ops_lot_release(o, id, a.sign, &c->err); break;
	case S_ISSUE: st = ops_lot_issue(o, id, a.to, &c->err); break;
	case S_RETURN: st = ops_lot_return(o, id, a.to, a.reason, &c->err); break;
	case S_DISCARD: st = ops_lot_discard(o, id, a.reason, &c->err); break;
	case S_RESERVE: st = ops_lot_reserve(o, id, a.appt, &c->err); break;
	default:
		if (a.check)
			return bedside_checked(c, id, a.n.patient, a.appt);
		st = ops_lot_administer(o, id, a.n.patient, a.appt, &c->err);
		break;
	}
	return lot_done(c, st, id);
}

static const struct option to_opts[] = {
	{ "to", required_argument, NULL, 't' }, { NULL, 0, NULL, 0 },
};

int
cli_lot_receive(struct cli *c)
{
	return lot_step(c, S_RECEIVE, to_opts);
}

int
cli_lot_store(struct cli *c)
{
	static const struct option opts[] = {
		{ "to", required_argument, NULL, 't' },
		{ "storage", required_argument, NULL, 'S' }, { NULL, 0, NULL, 0 },
	};

	return lot_step(c, S_STORE, opts);
}

int
cli_lot_move(struct cli *c)
{
	static const struct option opts[] = {
		{ "to", required_argument, NULL, 't' }, { "temp", required_argument, NULL, 'T' },
		{ "note", required_argument, NULL, 'N' }, { NULL, 0, NULL, 0 },
	};

	return lot_step(c, S_MOVE, opts);
}

int
cli_lot_thaw(struct cli *c)
{
	return lot_step(c, S_THAW, cli_no_opts);
}

int
cli_lot_release(struct cli *c)
{
	static const struct option opts[] = {
		{ "sign", required_argument, NULL, 'g' }, { NULL, 0, NULL, 0 },
	};

	return lot_step(c, S_RELEASE, opts);
}

int
cli_lot_reserve(struct cli *c)
{
	static const struct option opts[] = {
		{ "appt", required_argument, NULL, 'a' }, { NULL, 0, NULL, 0 },
	};

	return lot_step(c, S_RESERVE, opts);
}

int
cli_lot_issue(struct cli *c)
{
	return lot_step(c, S_ISSUE, to_opts);
}

int
cli_lot_administer(struct cli *c)
{
	static const struct option opts[] = {
		{ "patient", required_argument, NULL, 'p' },
		{ "appt", required_argument, NULL, 'a' }, { "check", no_argument, NULL, 'K' },
		{ NULL, 0, NULL, 0 },
	};

	return lot_step(c, S_ADMINISTER, opts);
}

int
cli_lot_return(struct cli *c)
{
	static const struct option opts[] = {
		{ "to", required_argument, NULL, 't' },
		{ "reason", required_argument, NULL, 'r' }, { NULL, 0, NULL, 0 },
	};

	return lot_step(c, S_RETURN, opts);
}

int
cli_lot_discard(struct cli *c)
{
	static const struct option opts[] = {
		{ "reason", required_argument, NULL, 'r' }, { NULL, 0, NULL, 0 },
	};

	return lot_step(c, S_DISCARD, opts);
}

int
cli_lot_eligibility(struct cli *c)
{
	static const struct option opts[] = {
		{ "reason", required_argument, NULL, 'r' }, { NULL, 0, NULL, 0 },
	};
	struct lot_args a;
	enum cd_status st;
	int first;

	if ((st = lot_parse(c, opts, &a, 2, &first)) != CD_OK)
		return st;
	OPEN_OR_FAIL(c);
	st = ops_lot_eligibility(&c->ops, c->argv[first], c->argv[first + 1], a.reason, &c->err);
	return lot_done(c, st, c->argv[first]);
}

/* --- QC --- */

static enum cd_status
fetch_qc(struct cli *c, void *arg, struct out *o)
{
	int first = *(int *)arg;

	return ops_lot_qc(&c->ops, c->argv[first], c->argv + first + 1, c->argc - first - 1,
	    out_row, o, &c->err);
}

int
cli_lot_qc(struct cli *c)
{
	static const struct out_col cols[] = {
		{ "test", 12, false }, { "result", 10, false }, { "verdict", 0, false },
	};
	struct lot_args a;
	enum cd_status st;
	int first;

	lot_args_init(&a);
	if ((st = cli_parse_some(c, cli_no_opts, lot_option, &a, 2, 17, &first)) != CD_OK)
		return st;
	return cli_print_rows(c, ACT_LOT_MANAGE, OUT_TABLE, cols, NCOLS(cols), fetch_qc, &first);
}

/* --- listings --- */

static const struct out_col lot_cols[] = {
	{ "id", 24, false }, { "kind", 11, false }, { "status", 14, false },
	{ "source", 12, false }, { "patient", 11, false }, { "donor", 14, false },
	{ "expires", 17, false }, { "location", 0, false },
};

/* Text listings show times as "YYYY-MM-DD HH:MM"; CSV and JSON keep ISO. */
struct short_times {
	struct out *o;
	enum out_format format;
};

static enum cd_status
short_row(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	struct short_times *s = ctx;
	const char *vals[64];
	char buf[8][24];
	struct cd_row r = *row;
	int i, k = 0;

	if (s->format != OUT_TEXT)
		return out_row(s->o, row, err);
	for (i = 0; i < row->n && i < 64; i++) {
		vals[i] = row->vals[i];
		if (vals[i] != NULL && k < 8 && strlen(vals[i]) == 25 && vals[i][10] == 'T') {
			out_short_time(vals[i], true, buf[k], sizeof buf[k]);
			vals[i] = buf[k++];
		}
	}
	r.vals = vals;
	return out_row(s->o, &r, err);
}

static enum cd_status
fetch_lots(struct cli *c, void *arg, struct out *o)
{
	struct short_times s = { o, c->format };

	return ops_lot_list(&c->ops, arg, short_row, &s, &c->err);
}

/* "7d", "48h" or a number of days -> seconds. */
static bool
parse_within(const char *s, int64_t *secs)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (end == s || v <= 0 || v > 3660)
		return false;
	if (*end == '\0' || strcmp(end, "d") == 0)
		*secs = (int64_t)v * 86400;
	else if (strcmp(end, "h") == 0)
		*secs = (int64_t)v * 3600;
	else
		return false;
	return true;
}

int
cli_lot_list(struct cli *c)
{
	static const struct option opts[] = {
		{ "status", required_argument, NULL, 'u' }, { "site", required_argument, NULL, 'I' },
		{ "patient", required_argument, NULL, 'p' },
		{ "expiring-within", required_argument, NULL, 'w' },
		{ "limit", required_argument, NULL, 'L' }, { NULL, 0, NULL, 0 },
	};
	struct ops_lot_query q;
	struct lot_args a;
	enum cd_status st;
	int first;

	if ((st = lot_parse(c, opts, &a, 0, &first)) != CD_OK)
		return st;
	memset(&q, 0, sizeof q);
	q.status = a.status;
	q.site = a.site;
	q.patient = a.n.patient;
	q.limit = a.limit;
	if (a.within != NULL && !parse_within(a.within, &q.within_s))
		return cli_usage_error(c, "--expiring-within: '%.20s' is not a span such as 7d or"
		    " 48h", a.within);
	return cli_print_rows(c, ACT_LOT_VIEW, OUT_TABLE, lot_cols, NCOLS(lot_cols), fetch_lots,
	    &q);
}

/* lot show: the record, with the QC results summed up in one field. */
struct show_ctx {
	struct strbuf qc;
	int n;
	char keys[64][32];
	char vals[64][256];
	bool have;
};

static enum cd_status
show_head(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	struct show_ctx *s = ctx;
	int i;

	(void)err;
	for (i = 0; i < row->n && i < 63; i++) {
		snprintf(s->keys[i], sizeof s->keys[i], "%s", row->keys[i]);
		snprintf(s->vals[i], sizeof s->vals[i], "%s", row->vals[i] ? row->vals[i] : "");
	}
	s->n = i;
	s->have = true;
	return CD_OK;
}

static enum cd_status
show_qc(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	struct show_ctx *s = ctx;

	(void)err;
	strbuf_addf(&s->qc, "%s%s %s (%s)", s->qc.len ? "; " : "", row->vals[0],
	    row->vals[1][0] ? row->vals[1] : "-", row->vals[2]);
	return CD_OK;
}

static enum cd_status
fetch_lot(struct cli *c, void *arg, struct out *o)
{
	struct show_ctx *s = xmalloc(sizeof *s);
	const char *keys[64], *vals[64];
	struct cd_row row;
	enum cd_status st;
	int i;

	memset(s, 0, sizeof *s);
	st = ops_lot_show(&c->ops, arg, show_head, show_qc, s, &c->err);
	if (st == CD_OK && s->have) {
		for (i = 0; i < s->n; i++) {
			keys[i] = s->keys[i];
			vals[i] = s->vals[i][0] != '\0' ? s->vals[i] : NULL;
		}
		keys[s->n] = "qc";
		vals[s->n] = strbuf_str(&s->qc);
		row.n = s->n + 1;
		row.keys = keys;
		row.vals = vals;
		st = short_row(&(struct short_times){ o, c->format }, &row, &c->err);
	}
	strbuf_free(&s->qc);
	free(s);
	return st;
}

int
cli_lot_show(struct cli *c)
{
	static const struct out_col cols[] = {
		{ "id", 0, false }, { "kind", 0, false }, { "status", 0, false },
		{ "source", 0, false }, { "patient", 0, false }, { "name", 0, false },
		{ "donor", 0, false }, { "eligibility", 0, false }, { "parent", 0, false },
		{ "coi", 0, false }, { "cycle", 0, true }, { "din", 0, false },
		{ "product", 0, false }, { "collected", 0, false }, { "expires", 0, false },
		{ "storage", 0, false }, { "location", 0, false }, { "appointment", 0, true },
		{ "appointment_start", 0, false }, { "recipient", 0, false },
		{ "volume_ml", 0, true }, { "cells", 0, true }, { "viability", 0, true },
		{ "qc", 0, false }, { "released_by", 0, false }, { "released_at", 0, false },
		{ "excursion", 0, false },
		{ "reason", 0, false },
	};
	struct lot_args a;
	enum cd_status st;
	int first;

	if ((st = lot_parse(c, cli_no_opts, &a, 1, &first)) != CD_OK)
		return st;
	return cli_print_rows(c, ACT_LOT_VIEW, OUT_RECORD, cols, NCOLS(cols), fetch_lot,
	    c->argv[first]);
}

/* --- traces --- */

struct trace_req {
	enum ops_trace_dir dir;
	const char *id, *donor, *patient;
};

static enum cd_status
fetch_trace(struct cli *c, void *arg, struct out *o)
{
	struct trace_req *t = arg;
	struct short_times s = { o, c->format };

	return ops_lot_trace(&c->ops, t->dir, t->id, t->donor, t->patient, short_row, &s,
	    &c->err);
}

int
cli_lot_trace(struct cli *c)
{
	static const struct option opts[] = {
		{ "forward", no_argument, NULL, 'F' }, { "back", no_argument, NULL, 'B' },
		{ "donor", required_argument, NULL, 'd' },
		{ "patient", required_argument, NULL, 'p' }, { NULL, 0, NULL, 0 },
	};
	static const struct out_col chain[] = {
		{ "at", 17, false }, { "event", 22, false }, { "actor", 16, false },
		{ "from", 26, false }, { "to", 26, false }, { "temp", 7, true },
		{ "note", 0, false },
	};
	static const struct out_col tree[] = {
		{ "depth", 6, true }, { "id", 24, false }, { "parent", 24, false },
		{ "kind", 11, false }, { "status", 13, false }, { "donor", 14, false },
		{ "patient", 11, false }, { "recipient", 11, false },
		{ "administered", 0, false },
	};
	struct trace_req t;
	struct lot_args a;
	enum cd_status st;
	int first, nops;

	lot_args_init(&a);
	if ((st = cli_parse_some(c, opts, lot_option, &a, 0, 1, &first)) != CD_OK)
		return st;
	nops = c->argc - first;
	memset(&t, 0, sizeof t);
	t.dir = a.forward ? TRACE_FORWARD : a.back ? TRACE_BACK : TRACE_CHAIN;
	t.id = nops == 1 ? c->argv[first] : NULL;
	t.donor = a.n.donor;
	t.patient = a.n.patient;
	if (a.forward && a.back)
		return cli_usage_error(c, "--forward or --back, not both");
	if ((t.id != NULL) + (t.donor != NULL) + (t.patient != NULL) != 1)
		return cli_usage_error(c, "trace one lot ID, or --donor CODE --forward, or"
		    " --patient MRN --back");
	if ((t.donor != NULL && !a.forward) || (t.patient != NULL && !a.back))
		return cli_usage_error(c, "a donor is traced --forward, a patient --back");
	return cli_print_rows(c, ACT_LOT_VIEW, OUT_TABLE, t.dir == TRACE_CHAIN ? chain : tree,
	    t.dir == TRACE_CHAIN ? NCOLS(chain) : NCOLS(tree), fetch_trace, &t);
}

/* --- FEFO and the at-risk list --- */

static enum cd_status
fetch_suggest(struct cli *c, void *arg, struct out *o)
{
	struct short_times s = { o, c->format };

	return ops_lot_suggest(&c->ops, *(int64_t *)arg, short_row, &s, &c->err);
}

int
cli_lot_suggest(struct cli *c)
{
	static const struct option opts[] = {
		{ "appt", required_argument, NULL, 'a' }, { NULL, 0, NULL, 0 },
	};
	struct lot_args a;
	enum cd_status st;
	int first;

	if ((st = lot_parse(c, opts, &a, 0, &first)) != CD_OK)
		return st;
	if (a.appt == 0)
		return cli_usage_error(c, "for which visit? give --appt ID");
	return cli_print_rows(c, ACT_LOT_VIEW, OUT_TABLE, lot_cols, NCOLS(lot_cols),
	    fetch_suggest, &a.appt);
}

struct risk_req {
	const char *site;
	int days;
};

static enum cd_status
fetch_risk(struct cli *c, void *arg, struct out *o)
{
	struct risk_req *r = arg;
	struct short_times s = { o, c->format };

	return ops_lot_at_risk(&c->ops, r->site, r->days, short_row, &s, &c->err);
}

int
cli_lot_at_risk(struct cli *c)
{
	static const struct option opts[] = {
		{ "site", required_argument, NULL, 'I' }, { "days", required_argument, NULL, 'D' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct out_col cols[] = {
		{ "start", 17, false }, { "appt", 8, true }, { "patient", 11, false },
		{ "site", 10, false }, { "lot", 24, false }, { "lot_status", 14, false },
		{ "expires", 17, false }, { "risk", 0, false },
	};
	struct risk_req r;
	struct lot_args a;
	enum cd_status st;
	int first;

	if ((st = lot_parse(c, opts, &a, 0, &first)) != CD_OK)
		return st;
	r.site = a.site;
	r.days = a.days != 0 ? (int)(a.days > 366 ? 367 : a.days) : 7;
	return cli_print_rows(c, ACT_LOT_VIEW, OUT_TABLE, cols, NCOLS(cols), fetch_risk, &r);
}

/* --- the lot-number scheme --- */

static enum cd_status
fetch_scheme(struct cli *c, void *arg, struct out *o)
{
	(void)arg;
	return ops_lot_scheme(&c->ops, NULL, NULL, out_row, o, &c->err);
}

int
cli_lot_scheme(struct cli *c)
{
	static const struct option opts[] = {
		{ "prefix", required_argument, NULL, 'X' }, { NULL, 0, NULL, 0 },
	};
	static const struct out_col cols[] = { { "key", 14, false }, { "value", 0, false } };
	struct lot_args a;
	enum cd_status st;
	int first;

	lot_args_init(&a);
	if ((st = cli_parse_some(c, opts, lot_option, &a, 0, 1, &first)) != CD_OK)
		return st;
	if (c->argc - first == 0 && a.prefix == NULL)
		return cli_print_rows(c, ACT_LOT_VIEW, OUT_TABLE, cols, NCOLS(cols), fetch_scheme,
		    NULL);
	if (c->argc - first == 0)
		return cli_usage_error(c, "give the scheme too: isbt128, local or both");
	OPEN_OR_FAIL(c);
	st = ops_lot_scheme(&c->ops, c->argv[first], a.prefix, NULL, NULL, &c->err);
	if (st == CD_OK)
		printf("Lot numbers: %s%s%s.\n", c->argv[first], a.prefix ? ", local prefix " : "",
		    a.prefix ? a.prefix : "");
	return cli_done(c, st);
}
