/* cli_agenda.c - reading the schedule: agenda (text, CSV, JSON or
 * iCalendar), appt show, cycle show and list, calls (and calls mark,
 * which records a call's outcome), export ics. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../core/xalloc.h"
#include "cli.h"
#include "ics.h"

static const struct out_col agenda_text_cols[] = {
	{ "id", 8, true }, { "start", 17, false }, { "end", 6, false }, { "site", 10, false },
	{ "step", 10, false }, { "course", 7, true }, { "patient", 11, false },
	{ "name", 24, false }, { "resource", 34, false }, { "status", 0, false },
};
static const struct out_col agenda_cols[] = {
	{ "id", 0, true }, { "cycle", 0, true }, { "course", 0, true }, { "step", 0, false },
	{ "patient", 0, false }, { "name", 0, false }, { "site", 0, false },
	{ "resource", 0, false }, { "start", 0, false }, { "end", 0, false },
	{ "status", 0, false }, { "note", 0, false },
};

static const char *
row_value(const struct cd_row *row, const char *key)
{
	int i;

	for (i = 0; i < row->n; i++) {
		if (strcmp(row->keys[i], key) == 0)
			return row->vals[i];
	}
	return NULL;
}

/* Text listings show "2026-03-16 10:00" and "10:30" for the ISO times. */
static enum cd_status
text_row(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	const char *vals[32];
	char start[32], end[16];
	struct cd_row out = *row;
	int i;

	for (i = 0; i < row->n && i < 32; i++) {
		vals[i] = row->vals[i];
		if (strcmp(row->keys[i], "start") == 0) {
			out_short_time(vals[i], true, start, sizeof start);
			vals[i] = start;
		} else if (strcmp(row->keys[i], "end") == 0) {
			out_short_time(vals[i], false, end, sizeof end);
			vals[i] = end;
		}
	}
	out.vals = vals;
	return out_row(ctx, &out, err);
}

static cd_row_fn
row_printer(const struct cli *c)
{
	return c->format == OUT_TEXT ? text_row : out_row;
}

/* --- iCalendar --- */

struct ics_ctx {
	struct ics *cal;
	bool for_patient;  /* the patient's own calendar: no names in it */
};

static enum cd_status
ics_row(void *vctx, const struct cd_row *row, struct cd_err *err)
{
	struct ics_ctx *ic = vctx;
	struct ics_event ev;
	const char *step = row_value(row, "step"), *course = row_value(row, "course");
	const char *status = row_value(row, "status"), *note = row_value(row, "note");
	const char *start = row_value(row, "start"), *res = row_value(row, "resource");
	char summary[256], desc[768];

	(void)err;
	memset(&ev, 0, sizeof ev);
	ev.id = strtoll(row_value(row, "id"), NULL, 10);
	ev.start = strtoll(row_value(row, "utc_start"), NULL, 10);
	ev.end = strtoll(row_value(row, "utc_end"), NULL, 10);
	snprintf(summary, sizeof summary, "%c%s%s%s%s%s", step[0] - 'a' + 'A', step + 1,
	    course != NULL ? ", course " : "", course != NULL ? course : "",
	    ic->for_patient ? "" : ": ", ic->for_patient ? "" : row_value(row, "patient"));
	snprintf(desc, sizeof desc, "%.10s %.5s local time (%s)%s%s%s%s\nStatus: %s", start,
	    start + 11,
	    row_value(row, "tz"), res != NULL && !ic->for_patient ? "\nWith: " : "",
	    res != NULL && !ic->for_patient ? res : "", note != NULL ? "\n" : "",
	    note != NULL ? note : "", status);
	ev.summary = summary;
	ev.location = row_value(row, "site");
	ev.description = desc;
	ev.cancelled = strncmp(status, "cancelled", 9) == 0;
	ics_add(ic->cal, &ev);
	return CD_OK;
}

/* Writes cal to path through a temporary file in the same folder, so a
 * reader never sees half a calendar. */
static enum cd_status
write_ics_file(struct ics *cal, const char *path, struct cd_err *err)
{
	char *tmp = xasprintf("%s.XXXXXX", path);
	FILE *fp;
	enum cd_status st;
	int fd;

	if ((fd = mkstemp(tmp)) < 0 || (fp = fdopen(fd, "w")) == NULL) {
		st = cd_fail(err, CD_EDATA, "cannot write next to %s: %s", path, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		free(tmp);
		return st;
	}
	st = ics_write(cal, fp, err);
	if (fclose(fp) != 0 && st == CD_OK)
		st = cd_fail(err, CD_EDATA, "cannot write %s: %s", path, strerror(errno));
	if (st == CD_OK && rename(tmp, path) != 0)
		st = cd_fail(err, CD_EDATA, "cannot write %s: %s", path, strerror(errno));
	if (st != CD_OK)
		unlink(tmp);
	free(tmp);
	return st;
}

static int
print_ics(struct cli *c, const struct ops_agenda_query *q, bool for_patient,
    const char *path)
{
	struct ics_ctx ic = { ics_new((int64_t)time(NULL)), for_patient };
	enum cd_status st;

	if ((st = cli_open(c, OPS_OPEN_USE)) != CD_OK) {
		ics_free(&ic.cal);
		return cli_fail(c, st);
	}
	st = ops_agenda(&c->ops, q, ics_row, &ic, &c->err);
	if (st == CD_OK)
		st = path != NULL ? write_ics_file(ic.cal, path, &c->err) :
		    ics_write(ic.cal, stdout, &c->err);
	ics_free(&ic.cal);
	return cli_done(c, st);
}

/* --- agenda --- */

struct agenda_args {
	struct ops_agenda_query q;
	const char *output;
};

static enum cd_status
agenda_option(struct cli *c, void *ctx, int opt, const char *arg)
{
	struct agenda_args *a = ctx;
	char *end;
	long v;

	switch (opt) {
	case 's': a->q.site = arg; break;
	case 'd': a->q.date = arg; break;
	case 'r': a->q.resource = arg; break;
	case 'p': a->q.patient = arg; break;
	case 'o': a->output = arg; break;
	default:
		errno = 0;
		v = strtol(arg, &end, 10);
		if (errno != 0 || end == arg || *end != '\0' || v < 1 || v > 366)
			return (enum cd_status)cli_usage_error(c, "--days: '%.20s' is not a number"
			    " from 1 to 366", arg);
		a->q.days = (int)v;
		break;
	}
	return CD_OK;
}

static enum cd_status
fetch_agenda(struct cli *c, void *arg, struct out *o)
{
	return ops_agenda(&c->ops, arg, row_printer(c), o, &c->err);
}

int
cli_agenda(struct cli *c)
{
	static const struct option opts[] = {
		{ "site", required_argument, NULL, 's' },
		{ "date", required_argument, NULL, 'd' },
		{ "days", required_argument, NULL, 'n' },
		{ "resource", required_argument, NULL, 'r' },
		{ "patient", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	struct agenda_args a;
	enum cd_status st;
	int first;

	memset(&a, 0, sizeof a);
	if ((st = cli_parse(c, opts, agenda_option, &a, 0, &first)) != CD_OK)
		return st;
	if (c->format == OUT_ICS)
		return print_ics(c, &a.q, false, NULL);
	if (c->format == OUT_TEXT)
		return cli_print_rows(c, ACT_SCHEDULE_VIEW, OUT_TABLE, agenda_text_cols,
		    NCOLS(agenda_text_cols), fetch_agenda, &a.q);
	return cli_print_rows(c, ACT_SCHEDULE_VIEW, OUT_TABLE, agenda_cols, NCOLS(agenda_cols),
	    fetch_agenda, &a.q);
}

int
cli_export_ics(struct cli *c)
{
	static const struct option opts[] = {
		{ "patient", required_argument, NULL, 'p' },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	struct agenda_args a;
	enum cd_status st;
	int first;

	memset(&a, 0, sizeof a);
	if ((st = cli_parse(c, opts, agenda_option, &a, 0, &first)) != CD_OK)
		return st;
	if (a.q.patient == NULL)
		return cli_usage_error(c, "export ics needs --patient MRN");
	if (c->format != OUT_TEXT && c->format != OUT_ICS)
		return cli_usage_error(c, "export ics writes iCalendar only");
	return print_ics(c, &a.q, true, a.output);
}

/* --- one visit, one cycle, cycles --- */

static enum cd_status
fetch_visit(struct cli *c, void *arg, struct out *o)
{
	return ops_appt_show(&c->ops, *(int64_t *)arg, row_printer(c), o, &c->err);
}

int
cli_appt_show(struct cli *c)
{
	static const struct out_col cols[] = {
		{ "id", 0, true }, { "cycle", 0, true }, { "course", 0, true }, { "step", 0, false },
		{ "patient", 0, false }, { "name", 0, false }, { "site", 0, false },
		{ "resource", 0, false }, { "start", 0, false }, { "end", 0, false },
		{ "status", 0, false }, { "reason", 0, false }, { "note", 0, false },
		{ "tz", 0, false },
	};
	enum cd_status st;
	int64_t id;
	int first;

	if ((st = cli_parse(c, cli_no_opts, cli_no_option, NULL, 1, &first)) != CD_OK)
		return st;
	if (!cli_parse_id(c->argv[first], &id))
		return cli_usage_error(c, "ID: '%.20s' is not a visit number", c->argv[first]);
	return cli_print_rows(c, ACT_SCHEDULE_VIEW, OUT_RECORD, cols, NCOLS(cols), fetch_visit,
	    &id);
}

struct cycle_out {
	struct cli *c;
	struct out head, visits;
	bool visits_started;
};

static enum cd_status
cycle_head(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	struct cycle_out *co = ctx;

	if (co->c->format == OUT_CSV)
		return CD_OK;
	if (co->c->format == OUT_JSON)
		fputs("{\"cycle\": ", stdout);
	return out_row(&co->head, row, err);
}

/* A cycle's visits: the agenda's columns and the lot held for or given
 * at each visit. */
static const struct out_col cycle_text_cols[] = {
	{ "id", 8, true }, { "start", 17, false }, { "end", 6, false }, { "site", 10, false },
	{ "step", 10, false }, { "course", 7, true }, { "patient", 11, false },
	{ "name", 24, false }, { "resource", 34, false }, { "status", 21, false },
	{ "lot", 0, false },
};
static const struct out_col cycle_cols[] = {
	{ "id", 0, true }, { "cycle", 0, true }, { "course", 0, true }, { "step", 0, false },
	{ "patient", 0, false }, { "name", 0, false }, { "site", 0, false },
	{ "resource", 0, false }, { "start", 0, false }, { "end", 0, false },
	{ "status", 0, false }, { "note", 0, false }, { "lot", 0, false },
	{ "lot_status", 0, false },
};

static enum cd_status
cycle_visit(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	struct cycle_out *co = ctx;
	const struct out_col *cols = co->c->format == OUT_TEXT ? cycle_text_cols : cycle_cols;
	int n = co->c->format == OUT_TEXT ? NCOLS(cycle_text_cols) : NCOLS(cycle_cols);

	if (!co->visits_started) {
		co->visits_started = true;
		if (co->c->format == OUT_JSON)
			fputs(", \"visits\": ", stdout);
		else if (co->c->format == OUT_TEXT)
			fputc('\n', stdout);
		out_begin(&co->visits, stdout, co->c->format, OUT_TABLE, cols, n);
	}
	return row_printer(co->c)(&co->visits, row, err);
}

static enum cd_status
fetch_cycle(struct cli *c, void *arg, struct out *o)
{
	struct cycle_out co;
	enum cd_status st;

	(void)o;
	memset(&co, 0, sizeof co);
	co.c = c;
	co.head = *o;
	co.head.started = c->format == OUT_CSV; /* CSV holds the visits only */
	st = ops_cycle_show(&c->ops, *(int64_t *)arg, cycle_head, cycle_visit, &co, &c->err);
	*o = co.head;
	if (co.visits_started)
		out_end(&co.visits);
	if (st == CD_OK && c->format == OUT_JSON)
		fputs(co.visits_started ? "}\n" : ", \"visits\": []}\n", stdout);
	return st;
}

int
cli_cycle_show(struct cli *c)
{
	static const struct out_col cols[] = {
		{ "cycle", 0, true }, { "patient", 0, false }, { "name", 0, false },
		{ "protocol", 0, false }, { "site", 0, false }, { "source", 0, false },
		{ "courses", 0, true }, { "gap_days", 0, true }, { "status", 0, false },
		{ "reason", 0, false },
	};
	enum cd_status st;
	int64_t id;
	int first;

	if ((st = cli_parse(c, cli_no_opts, cli_no_option, NULL, 1, &first)) != CD_OK)
		return st;
	if (!cli_parse_id(c->argv[first], &id))
		return cli_usage_error(c, "ID: '%.20s' is not a cycle number", c->argv[first]);
	return cli_print_rows(c, ACT_SCHEDULE_VIEW, OUT_RECORD, cols, NCOLS(cols), fetch_cycle,
	    &id);
}

static enum cd_status
fetch_cycles(struct cli *c, void *arg, struct out *o)
{
	return ops_cycle_list(&c->ops, arg, out_row, o, &c->err);
}

int
cli_cycle_list(struct cli *c)
{
	static const struct out_col cols[] = {
		{ "id", 8, true }, { "patient", 11, false }, { "protocol", 22, false },
		{ "site", 10, false }, { "source", 11, false }, { "courses", 8, true },
		{ "status", 10, false }, { "first", 11, false }, { "last", 0, false },
	};
	struct agenda_args a;
	enum cd_status st;
	int first;
	static const struct option opts[] = {
		{ "patient", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};

	memset(&a, 0, sizeof a);
	if ((st = cli_parse(c, opts, agenda_option, &a, 0, &first)) != CD_OK)
		return st;
	return cli_print_rows(c, ACT_SCHEDULE_VIEW, OUT_TABLE, cols, NCOLS(cols), fetch_cycles,
	    (void *)a.q.patient);
}

/* --- calls --- */

static enum cd_status
fetch_calls(struct cli *c, void *arg, struct out *o)
{
	const struct ops_agenda_query *q = arg;

	return ops_calls(&c->ops, q->date, q->site, out_row, o, &c->err);
}

int
cli_calls(struct cli *c)
{
	static const struct option opts[] = {
		{ "site", required_argument, NULL, 's' },
		{ "date", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct out_col text_cols[] = {
		{ "time", 6, false }, { "site", 10, false }, { "kind", 9, false },
		{ "patient", 11, false }, { "name", 24, false }, { "phone", 18, false },
		{ "appt", 8, true }, { "outcome", 12, false }, { "what", 0, false },
	};
	static const struct out_col cols[] = {
		{ "time", 6, false }, { "site", 10, false }, { "kind", 9, false },
		{ "patient", 11, false }, { "name", 24, false }, { "phone", 18, false },
		{ "appt", 8, true }, { "what", 0, false }, { "outcome", 0, false },
		{ "outcome_by", 0, false }, { "outcome_at", 0, false },
		{ "outcome_note", 0, false },
	};
	struct agenda_args a;
	enum cd_status st;
	int first;

	memset(&a, 0, sizeof a);
	if ((st = cli_parse(c, opts, agenda_option, &a, 0, &first)) != CD_OK)
		return st;
	if (c->format == OUT_TEXT)
		return cli_print_rows(c, ACT_SCHEDULE_VIEW, OUT_TABLE, text_cols, NCOLS(text_cols),
		    fetch_calls, &a.q);
	return cli_print_rows(c, ACT_SCHEDULE_VIEW, OUT_TABLE, cols, NCOLS(cols), fetch_calls,
	    &a.q);
}

struct mark_args {
	const char *kind, *outcome, *note;
};

static enum cd_status
mark_option(struct cli *c, void *ctx, int opt, const char *arg)
{
	struct mark_args *a = ctx;
	const char *outcome = NULL;

	switch (opt) {
	case 'k': a->kind = arg; break;
	case 'n': a->note = arg; break;
	case 'D': outcome = "done"; break;
	default: outcome = "unreachable"; break;
	}
	if (outcome == NULL)
		return CD_OK;
	if (a->outcome != NULL && strcmp(a->outcome, outcome) != 0)
		return (enum cd_status)cli_usage_error(c, "give --done or --unreachable, not both");
	a->outcome = outcome;
	return CD_OK;
}

int
cli_calls_mark(struct cli *c)
{
	static const struct option opts[] = {
		{ "kind", required_argument, NULL, 'k' },
		{ "done", no_argument, NULL, 'D' },
		{ "unreachable", no_argument, NULL, 'U' },
		{ "note", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct mark_args a;
	enum cd_status st;
	int64_t id;
	int first;

	memset(&a, 0, sizeof a);
	if ((st = cli_parse(c, opts, mark_option, &a, 1, &first)) != CD_OK)
		return st;
	if (!cli_parse_id(c->argv[first], &id))
		return cli_usage_error(c, "APPT: '%.20s' is not a visit number", c->argv[first]);
	if (a.kind == NULL)
		return cli_usage_error(c, "calls mark needs --kind call or --kind reminder");
	if (a.outcome == NULL)
		return cli_usage_error(c, "calls mark needs --done or --unreachable");
	if ((st = cli_open(c, OPS_OPEN_USE)) != CD_OK)
		return cli_fail(c, st);
	if ((st = ops_call_mark(&c->ops, id, a.kind, a.outcome, a.note, &c->err)) == CD_OK) {
		/* kind and outcome are checked words */
		printf("The %s for visit %lld is marked %s.\n", strcmp(a.kind, "call") == 0 ?
		    "call" : "reminder call", (long long)id, a.outcome);
	}
	return cli_done(c, st);
}
