/* cli_schedule.c - course book, cycle show/list/cancel and appt
 * show/move/cancel/status: booking and changing visits. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/strbuf.h"
#include "cli.h"

/* Every option these commands take; each command accepts a subset. */
struct sched_args {
	const char *patient, *protocol, *start, *time, *site, *source, *to, *reason, *by;
	int courses, gap;
	bool dry_run, force, this_only;
};

enum { O_PATIENT = 'p', O_PROTOCOL = 'P', O_START = 's', O_TIME = 't', O_SITE = 'S',
	O_SOURCE = 'o', O_COURSES = 'c', O_GAP = 'g', O_DRY = 'n', O_FORCE = 'f',
	O_REASON = 'r', O_TO = 'T', O_THIS = '1', O_BY = 'b' };

static bool
parse_count(const char *arg, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || v <= 0 || v > 1000)
		return false;
	*out = (int)v;
	return true;
}

static enum cd_status
sched_option(struct cli *c, void *ctx, int opt, const char *arg)
{
	struct sched_args *a = ctx;

	switch (opt) {
	case O_PATIENT: a->patient = arg; break;
	case O_PROTOCOL: a->protocol = arg; break;
	case O_START: a->start = arg; break;
	case O_TIME: a->time = arg; break;
	case O_SITE: a->site = arg; break;
	case O_SOURCE: a->source = arg; break;
	case O_TO: a->to = arg; break;
	case O_REASON: a->reason = arg; break;
	case O_BY: a->by = arg; break;
	case O_DRY: a->dry_run = true; break;
	case O_FORCE: a->force = true; break;
	case O_THIS: a->this_only = true; break;
	case O_COURSES:
		if (!parse_count(arg, &a->courses))
			return (enum cd_status)cli_usage_error(c, "--courses: '%.20s' is not a number"
			    " from 1 to 8", arg);
		break;
	default:
		if (!parse_count(arg, &a->gap))
			return (enum cd_status)cli_usage_error(c, "--gap: '%.20s' is not a number of"
			    " days", arg);
		break;
	}
	return CD_OK;
}

/* Planned or moved visits, printed through the listing machinery. */
struct visit_print {
	struct cli *c;
	struct out out;
	const struct out_col *cols; /* the out starts with the first row */
	int ncols;
	const int64_t *cycle;
	int rows;
};

/* Text prints text_cols, the other formats json_cols; both tables end
 * with a NULL key. */
static void
visit_print_init(struct visit_print *vp, struct cli *c, const struct out_col *text_cols,
    const struct out_col *json_cols, const int64_t *cycle)
{
	memset(vp, 0, sizeof *vp);
	vp->c = c;
	vp->cols = c->format == OUT_TEXT ? text_cols : json_cols;
	while (vp->cols[vp->ncols].key != NULL)
		vp->ncols++;
	vp->cycle = cycle;
}

static enum cd_status
print_visit(void *ctx, const struct ops_visit_row *r, struct cd_err *err)
{
	static const char *const keys[] = { "id", "cycle", "course", "step", "before", "start",
		"end", "resource", "note", "overlap" };
	struct visit_print *vp = ctx;
	const char *vals[10];
	char id[24], cycle[24], course[8], start[32], end[32], before[32];
	bool text = vp->c->format == OUT_TEXT;
	struct cd_row row;

	snprintf(id, sizeof id, "%lld", (long long)r->id);
	if (vp->rows == 0)
		out_begin(&vp->out, stdout, vp->c->format, OUT_TABLE, vp->cols, vp->ncols);
	snprintf(cycle, sizeof cycle, "%lld", (long long)*vp->cycle);
	snprintf(course, sizeof course, "%d", r->course);
	out_short_time(r->start, true, start, sizeof start);
	out_short_time(r->end, false, end, sizeof end);
	out_short_time(r->before, true, before, sizeof before);
	vals[0] = r->id != 0 ? id : NULL;
	vals[1] = *vp->cycle != 0 ? cycle : NULL;
	vals[2] = r->course > 0 ? course : NULL;
	vals[3] = r->step;
	vals[4] = r->before[0] != '\0' ? (text ? before : r->before) : NULL;
	vals[5] = text ? start : r->start;
	vals[6] = text ? end : r->end;
	vals[7] = r->resources[0] != '\0' ? r->resources : NULL;
	vals[8] = r->note[0] != '\0' ? r->note : NULL;
	vals[9] = r->overlaps ? "yes" : NULL;
	row.n = 10;
	row.keys = keys;
	row.vals = vals;
	vp->rows++;
	return out_row(&vp->out, &row, err);
}

static const struct option book_opts[] = {
	{ "patient", required_argument, NULL, O_PATIENT },
	{ "protocol", required_argument, NULL, O_PROTOCOL },
	{ "start", required_argument, NULL, O_START },
	{ "time", required_argument, NULL, O_TIME },
	{ "site", required_argument, NULL, O_SITE },
	{ "source", required_argument, NULL, O_SOURCE },
	{ "courses", required_argument, NULL, O_COURSES },
	{ "gap", required_argument, NULL, O_GAP },
	{ "dry-run", no_argument, NULL, O_DRY },
	{ "force", no_argument, NULL, O_FORCE },
	{ "reason", required_argument, NULL, O_REASON },
	{ NULL, 0, NULL, 0 },
};

static enum cd_status
check_text_format(struct cli *c)
{
	if (c->format == OUT_ICS)
		return (enum cd_status)cli_usage_error(c, "--format ics is for agenda only");
	return CD_OK;
}

/* After a booking or a move: warns on standard error about each visit
 * whose cell lot is at risk (the booking stands). */
static enum cd_status
warn_risk(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	struct strbuf line = STRBUF_INIT;
	char start[24];

	(void)ctx;
	(void)err;
	out_short_time(row->vals[2], true, start, sizeof start);
	strbuf_addf(&line, "celldesk: warning: visit %s on %s: %s", row->vals[1], start,
	    row->vals[0]);
	out_line(stderr, strbuf_str(&line));
	strbuf_free(&line);
	return CD_OK;
}

static void
warn_lot_risks(struct cli *c, int64_t cycle, int64_t appt)
{
	struct cd_err ignored;

	(void)ops_lot_cycle_risks(&c->ops, cycle, appt, warn_risk, NULL, &ignored);
}

int
cli_course_book(struct cli *c)
{
	static const struct out_col cols[] = {
		{ "id", 8, true }, { "course", 7, true }, { "step", 10, false },
		{ "start", 17, false }, { "end", 6, false }, { "resource", 40, false },
		{ "note", 0, false },
		{ NULL, 0, false },
	};
	static const struct out_col json_cols[] = {
		{ "id", 0, true }, { "cycle", 0, true }, { "course", 0, true }, { "step", 0, false },
		{ "start", 0, false }, { "end", 0, false }, { "resource", 0, false },
		{ "note", 0, false }, { "overlap", 0, false },
		{ NULL, 0, false },
	};
	struct sched_args a;
	struct ops_book b;
	struct visit_print vp;
	enum cd_status st;
	int64_t cycle = 0;
	int first;

	memset(&a, 0, sizeof a);
	if ((st = cli_parse(c, book_opts, sched_option, &a, 0, &first)) != CD_OK ||
	    (st = check_text_format(c)) != CD_OK)
		return st;
	if (a.patient == NULL || a.protocol == NULL || a.start == NULL)
		return cli_usage_error(c, "course book needs --patient, --protocol and --start");
	memset(&b, 0, sizeof b);
	b.patient = a.patient;
	b.protocol = a.protocol;
	b.start = a.start;
	b.time = a.time;
	b.site = a.site;
	b.source = a.source;
	b.courses = a.courses;
	b.gap_days = a.gap;
	b.dry_run = a.dry_run;
	b.force = a.force;
	b.reason = a.reason;
	if ((st = cli_open(c, OPS_OPEN_USE)) != CD_OK)
		return cli_fail(c, st);
	visit_print_init(&vp, c, cols, json_cols, &cycle);
	st = ops_course_book(&c->ops, &b, print_visit, &vp, &cycle, &c->err);
	if (vp.rows > 0)
		out_end(&vp.out);
	if (st == CD_OK && c->format == OUT_TEXT) {
		if (b.dry_run)
			printf("Dry run: %d visit%s planned, nothing booked.\n", vp.rows,
			    vp.rows == 1 ? "" : "s");
		else
			printf("Booked cycle %lld: %d visit%s.\n", (long long)cycle, vp.rows,
			    vp.rows == 1 ? "" : "s");
	}
	if (st == CD_OK && !b.dry_run)
		warn_lot_risks(c, cycle, 0);
	return cli_done(c, st);
}

static const struct option move_opts[] = {
	{ "to", required_argument, NULL, O_TO },
	{ "this-only", no_argument, NULL, O_THIS },
	{ "reason", required_argument, NULL, O_REASON },
	{ "dry-run", no_argument, NULL, O_DRY },
	{ "force", no_argument, NULL, O_FORCE },
	{ NULL, 0, NULL, 0 },
};

int
cli_appt_move(struct cli *c)
{
	static const struct out_col cols[] = {
		{ "id", 8, true }, { "course", 7, true }, { "step", 10, false },
		{ "before", 17, false }, { "start", 17, false }, { "resource", 0, false },
		{ NULL, 0, false },
	};
	static const struct out_col json_cols[] = {
		{ "id", 0, true }, { "course", 0, true }, { "step", 0, false },
		{ "before", 0, false }, { "start", 0, false }, { "end", 0, false },
		{ "resource", 0, false }, { "overlap", 0, false },
		{ NULL, 0, false },
	};
	struct sched_args a;
	struct ops_move m;
	struct visit_print vp;
	enum cd_status st;
	int64_t none = 0;
	int first, moved = 0;

	memset(&a, 0, sizeof a);
	if ((st = cli_parse(c, move_opts, sched_option, &a, 1, &first)) != CD_OK ||
	    (st = check_text_format(c)) != CD_OK)
		return st;
	memset(&m, 0, sizeof m);
	if (!cli_parse_id(c->argv[first], &m.id))
		return cli_usage_error(c, "ID: '%.20s' is not a visit number", c->argv[first]);
	if (a.to == NULL)
		return cli_usage_error(c, "appt move needs --to \"YYYY-MM-DD HH:MM\"");
	m.to = a.to;
	m.this_only = a.this_only;
	m.dry_run = a.dry_run;
	m.force = a.force;
	m.reason = a.reason;
	if ((st = cli_open(c, OPS_OPEN_USE)) != CD_OK)
		return cli_fail(c, st);
	visit_print_init(&vp, c, cols, json_cols, &none);
	st = ops_appt_move(&c->ops, &m, print_visit, &vp, &moved, &c->err);
	if (vp.rows > 0)
		out_end(&vp.out);
	if (st == CD_OK && c->format == OUT_TEXT)
		printf(m.dry_run ? "Dry run: %d visit%s would move, nothing changed.\n" :
		    "Moved %d visit%s.\n", moved, moved == 1 ? "" : "s");
	if (st == CD_OK && !m.dry_run)
		warn_lot_risks(c, 0, m.id);
	return cli_done(c, st);
}

static int
set_status(struct cli *c, int64_t id, const char *status, const char *reason)
{
	enum cd_status st;

	if ((st = cli_open(c, OPS_OPEN_USE)) != CD_OK)
		return cli_fail(c, st);
	if ((st = ops_appt_status(&c->ops, id, status, reason, &c->err)) == CD_OK) {
		printf("Visit %lld is now %s.\n", (long long)id, status); /* a checked word */
	}
	return cli_done(c, st);
}

int
cli_appt_cancel(struct cli *c)
{
	static const struct option opts[] = {
		{ "by", required_argument, NULL, O_BY },
		{ "reason", required_argument, NULL, O_REASON },
		{ NULL, 0, NULL, 0 },
	};
	struct sched_args a;
	enum cd_status st;
	int64_t id;
	int first;

	memset(&a, 0, sizeof a);
	if ((st = cli_parse(c, opts, sched_option, &a, 1, &first)) != CD_OK)
		return st;
	if (!cli_parse_id(c->argv[first], &id))
		return cli_usage_error(c, "ID: '%.20s' is not a visit number", c->argv[first]);
	if (a.by != NULL && strcmp(a.by, "patient") != 0 && strcmp(a.by, "clinic") != 0)
		return cli_usage_error(c, "--by: '%.20s' is not patient or clinic", a.by);
	return set_status(c, id, a.by != NULL && strcmp(a.by, "patient") == 0 ?
	    "cancelled-by-patient" : "cancelled-by-clinic", a.reason);
}

int
cli_appt_status(struct cli *c)
{
	static const struct option opts[] = {
		{ "reason", required_argument, NULL, O_REASON },
		{ NULL, 0, NULL, 0 },
	};
	struct sched_args a;
	enum cd_status st;
	int64_t id;
	int first;

	memset(&a, 0, sizeof a);
	if ((st = cli_parse(c, opts, sched_option, &a, 2, &first)) != CD_OK)
		return st;
	if (!cli_parse_id(c->argv[first], &id))
		return cli_usage_error(c, "ID: '%.20s' is not a visit number", c->argv[first]);
	return set_status(c, id, c->argv[first + 1], a.reason);
}

int
cli_cycle_cancel(struct cli *c)
{
	static const struct option opts[] = {
		{ "reason", required_argument, NULL, O_REASON },
		{ NULL, 0, NULL, 0 },
	};
	struct sched_args a;
	enum cd_status st;
	int64_t id;
	int first, n;

	memset(&a, 0, sizeof a);
	if ((st = cli_parse(c, opts, sched_option, &a, 1, &first)) != CD_OK)
		return st;
	if (!cli_parse_id(c->argv[first], &id))
		return cli_usage_error(c, "ID: '%.20s' is not a cycle number", c->argv[first]);
	if (a.reason == NULL)
		return cli_usage_error(c, "cycle cancel needs --reason");
	if ((st = cli_open(c, OPS_OPEN_USE)) != CD_OK)
		return cli_fail(c, st);
	if ((st = ops_cycle_cancel(&c->ops, id, a.reason, &n, &c->err)) == CD_OK)
		printf("Cancelled cycle %lld: %d future visits cancelled, past visits kept.\n",
		    (long long)id, n);
	return cli_done(c, st);
}
