/* ops_agenda.c - reading the schedule: the agenda of a site, a resource
 * or a patient, one visit, one cycle, the cycles of a patient, and the
 * day's calls. Rows come from the database in UTC and leave here in
 * the site's local time, one page of the range at a time. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/localtime.h"
#include "../core/protocol.h"
#include "../core/xalloc.h"
#include "ops_sched.h"

#define MAX_SITES 256
#define MAX_DAYS 366

/* The lots linked to a cycle's visits (db_lot_of_cycle), for cycle show. */
struct visit_lot {
	int64_t appt;
	char *lot, *status;
};
struct visit_lots {
	struct visit_lot *v;
	int n, cap;
};

/* Rewrites a stored visit row (see db_agenda_site) into the agenda's
 * columns, times in the visit's local zone; with lots, a cycle's rows
 * also get the visit's lot and its status. */
struct agenda_ctx {
	cd_row_fn fn;
	void *ctx;
	int64_t rows;
	const struct visit_lots *lots; /* NULL: the agenda's columns only */
};

enum { A_ID, A_CYCLE, A_COURSE, A_STEP, A_PATIENT, A_NAME, A_SITE, A_TZ, A_RESOURCE,
	A_START, A_END, A_STATUS, A_NOTE, A_PHONE, A_REASON, A__N };

static enum cd_status
agenda_row(void *vctx, const struct cd_row *row, struct cd_err *err)
{
	static const char *const keys[] = { "id", "cycle", "course", "step", "patient", "name",
		"site", "resource", "start", "end", "status", "note", "tz", "utc_start",
		"utc_end", "phone", "reason", "lot", "lot_status" };
	struct agenda_ctx *ac = vctx;
	const char *vals[19];
	char start[26], end[26], us[24], ue[24];
	int64_t s, e, id;
	struct cd_row out;
	int i;

	if (row->n < A__N || !utc_parse(row->vals[A_START], &s) ||
	    !utc_parse(row->vals[A_END], &e))
		return cd_fail(err, CD_EDATA, "visit %s has a stored time that is not UTC text",
		    row->vals[A_ID]);
	sched_local_iso(row->vals[A_TZ], s, start);
	sched_local_iso(row->vals[A_TZ], e, end);
	snprintf(us, sizeof us, "%lld", (long long)s);
	snprintf(ue, sizeof ue, "%lld", (long long)e);
	vals[0] = row->vals[A_ID];
	vals[1] = row->vals[A_CYCLE];
	vals[2] = row->vals[A_COURSE];
	vals[3] = row->vals[A_STEP];
	vals[4] = row->vals[A_PATIENT];
	vals[5] = row->vals[A_NAME];
	vals[6] = row->vals[A_SITE];
	vals[7] = row->vals[A_RESOURCE];
	vals[8] = start;
	vals[9] = end;
	vals[10] = row->vals[A_STATUS];
	vals[11] = row->vals[A_NOTE];
	vals[12] = row->vals[A_TZ];
	vals[13] = us;
	vals[14] = ue;
	vals[15] = row->vals[A_PHONE];
	vals[16] = row->vals[A_REASON];
	out.n = 17;
	if (ac->lots != NULL) {
		/* The lot held for the visit (one at most), else one given
		 * at it. */
		vals[17] = vals[18] = NULL;
		id = strtoll(row->vals[A_ID], NULL, 10);
		for (i = 0; i < ac->lots->n; i++) {
			if (ac->lots->v[i].appt == id && (vals[17] == NULL ||
			    strcmp(ac->lots->v[i].status, "administered") != 0)) {
				vals[17] = ac->lots->v[i].lot;
				vals[18] = ac->lots->v[i].status;
			}
		}
		out.n = 19;
	}
	out.keys = keys;
	out.vals = vals;
	ac->rows++;
	return ac->fn(ac->ctx, &out, err);
}

/* Today's date in zone. */
static void
today_in(const struct ops *o, const char *zone, struct cd_date *d)
{
	struct cd_local l;

	local_from_utc(zone, sched_now(o), &l);
	*d = l.date;
}

static enum cd_status
parse_day(const char *field, const char *s, struct cd_date *d, struct cd_err *err)
{
	if (!date_parse(s, d))
		return cd_fail(err, CD_USAGE, "%s: '%.40s' is not a date that exists (YYYY-MM-DD)",
		    field, s);
	return CD_OK;
}

static void
day_text(const struct cd_date *d, int plus, char buf[11])
{
	struct cd_date e;

	date_from_days(date_to_days(d) + plus, &e);
	date_format(&e, buf);
}

/* The [from, to) days the query asks for; without a date, from today
 * in the site's zone. */
static enum cd_status
query_days(struct ops *o, const struct ops_agenda_query *q, const char *zone, char from[11],
    char to[11], struct cd_err *err)
{
	struct cd_date d;
	enum cd_status st;

	if (q->date == NULL && q->patient != NULL && q->days == 0) {
		snprintf(from, 11, "0000-00-00");
		snprintf(to, 11, "9999-99-99");
		return CD_OK;
	}
	if (q->date != NULL) {
		if ((st = parse_day("--date", q->date, &d, err)) != CD_OK)
			return st;
	} else {
		today_in(o, zone, &d);
	}
	day_text(&d, 0, from);
	day_text(&d, q->days > 0 ? q->days : 1, to);
	return CD_OK;
}

enum cd_status
ops_agenda(struct ops *o, const struct ops_agenda_query *q, cd_row_fn fn, void *ctx,
    struct cd_err *err)
{
	struct agenda_ctx ac = { fn, ctx, 0, NULL };
	struct db_patient_ref pt;
	struct db_site site;
	int64_t ids[MAX_SITES], res, site_id = 0;
	char from[11], to[11];
	enum cd_status st;
	bool found_resource = false;
	int n, i;

	if (q->days < 0 || q->days > MAX_DAYS)
		return cd_fail(err, CD_USAGE, "--days: from 1 to %d", MAX_DAYS);
	if ((st = ops_require(o, ACT_SCHEDULE_VIEW, err)) != CD_OK)
		return st;
	if ((st = db_begin_read(o->db, err)) != CD_OK)
		return st;
	if (q->site != NULL)
		st = ops_find_site(o, "--site", q->site, &site_id, err);
	if (st == CD_OK && q->patient != NULL)
		st = db_patient_ref(o->db, q->patient, &pt, err);
	if (st == CD_OK && site_id != 0) {
		ids[0] = site_id;
		n = 1;
	} else if (st == CD_OK) {
		st = db_site_ids(o->db, ids, MAX_SITES, &n, err);
	}
	for (i = 0; st == CD_OK && i < n; i++) {
		if ((st = db_site_get(o->db, ids[i], &site, err)) != CD_OK ||
		    (st = query_days(o, q, site.tz, from, to, err)) != CD_OK)
			break;
		res = 0;
		if (q->resource != NULL) {
			if ((st = db_resource_find(o->db, ids[i], q->resource, &res, err)) != CD_OK)
				break;
			if (res == 0) {
				if (site_id != 0)
					st = cd_fail(err, CD_REFUSED, "%s has no resource called '%.80s'",
					    q->site, q->resource);
				continue;
			}
			found_resource = true;
		}
		if (q->patient != NULL)
			st = db_agenda_patient(o->db, pt.id, from, to, ids[i], res, agenda_row, &ac,
			    err);
		else
			st = db_agenda_site(o->db, ids[i], from, to, res, agenda_row, &ac, err);
	}
	if (st == CD_OK && q->resource != NULL && !found_resource)
		st = cd_fail(err, CD_REFUSED, "no site has a resource called '%.80s'", q->resource);
	db_end_read(o->db);
	return st;
}

enum cd_status
ops_appt_show(struct ops *o, int64_t id, cd_row_fn fn, void *ctx, struct cd_err *err)
{
	struct agenda_ctx ac = { fn, ctx, 0, NULL };
	enum cd_status st;

	if ((st = ops_require(o, ACT_SCHEDULE_VIEW, err)) != CD_OK ||
	    (st = db_agenda_one(o->db, id, 0, agenda_row, &ac, err)) != CD_OK)
		return st;
	if (ac.rows == 0)
		return cd_fail(err, CD_REFUSED, "there is no visit %lld", (long long)id);
	return CD_OK;
}

static enum cd_status
keep_lot(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	struct visit_lots *vl = ctx;

	if (row->n < 3 || row->vals[0] == NULL || row->vals[1] == NULL || row->vals[2] == NULL)
		return cd_fail(err, CD_EDATA, "a lot linked to a visit has no code or status");
	if (vl->n == vl->cap) {
		vl->cap = vl->cap ? vl->cap * 2 : 8;
		vl->v = xrealloc(vl->v, (size_t)vl->cap * sizeof *vl->v);
	}
	vl->v[vl->n].appt = strtoll(row->vals[0], NULL, 10);
	vl->v[vl->n].lot = xstrdup(row->vals[1]);
	vl->v[vl->n].status = xstrdup(row->vals[2]);
	vl->n++;
	return CD_OK;
}

enum cd_status
ops_cycle_show(struct ops *o, int64_t id, cd_row_fn head, cd_row_fn visits, void *ctx,
    struct cd_err *err)
{
	struct visit_lots lots = { NULL, 0, 0 };
	struct agenda_ctx ac = { visits, ctx, 0, &lots };
	enum cd_status st;
	int64_t found = 0;
	int i;

	if ((st = ops_require(o, ACT_SCHEDULE_VIEW, err)) != CD_OK ||
	    (st = db_begin_read(o->db, err)) != CD_OK)
		return st;
	st = db_cycle_show(o->db, id, head, ctx, &found, err);
	if (st == CD_OK && found == 0)
		st = cd_fail(err, CD_REFUSED, "there is no cycle %lld", (long long)id);
	/* A few rows at most: the lots held for or given at its visits. */
	if (st == CD_OK)
		st = db_lot_of_cycle(o->db, id, keep_lot, &lots, err);
	if (st == CD_OK)
		st = db_agenda_one(o->db, 0, id, agenda_row, &ac, err);
	db_end_read(o->db);
	for (i = 0; i < lots.n; i++) {
		free(lots.v[i].lot);
		free(lots.v[i].status);
	}
	free(lots.v);
	return st;
}

enum cd_status
ops_cycle_list(struct ops *o, const char *patient, cd_row_fn fn, void *ctx,
    struct cd_err *err)
{
	struct db_patient_ref pt;
	enum cd_status st;

	pt.id = 0;
	if ((st = ops_require(o, ACT_SCHEDULE_VIEW, err)) != CD_OK ||
	    (patient != NULL && (st = db_patient_ref(o->db, patient, &pt, err)) != CD_OK))
		return st;
	return db_cycle_list(o->db, pt.id, fn, ctx, err);
}

/* Rewrites db_calls rows into the call list's columns. */
enum { C_KIND, C_PATIENT, C_NAME, C_PHONE, C_SITE, C_TZ, C_START, C_APPT, C_STEP, C_COURSE,
	C_NOTE, C_SORT, C_OUTCOME, C_ONOTE, C_OBY, C_OAT, C__N };

static enum cd_status
call_row(void *vctx, const struct cd_row *row, struct cd_err *err)
{
	static const char *const keys[] = { "kind", "patient", "name", "phone", "site", "time",
		"appt", "what", "outcome", "outcome_note", "outcome_by", "outcome_at" };
	struct agenda_ctx *ac = vctx;
	const char *vals[12];
	char time[16], what[200], at[26];
	struct cd_local l;
	int64_t s, a;
	struct cd_row out;

	if (row->n < C__N || !utc_parse(row->vals[C_START], &s))
		return cd_fail(err, CD_EDATA, "visit %s has a stored time that is not UTC text",
		    row->vals[C_APPT]);
	local_from_utc(row->vals[C_TZ], s, &l);
	snprintf(time, sizeof time, "%02d:%02d", l.minute / 60, l.minute % 60);
	if (strcmp(row->vals[C_KIND], "call") == 0)
		snprintf(what, sizeof what, "%s", row->vals[C_NOTE] != NULL ? row->vals[C_NOTE] :
		    "planned call");
	else if (row->vals[C_COURSE] != NULL)
		snprintf(what, sizeof what, "reminder: %s, course %s, tomorrow %s",
		    row->vals[C_STEP], row->vals[C_COURSE], time);
	else
		snprintf(what, sizeof what, "reminder: %s tomorrow %s", row->vals[C_STEP], time);
	at[0] = '\0';
	if (row->vals[C_OAT] != NULL) {
		if (!utc_parse(row->vals[C_OAT], &a))
			return cd_fail(err, CD_EDATA, "the call of visit %s has a stored time that is"
			    " not UTC text", row->vals[C_APPT]);
		sched_local_iso(row->vals[C_TZ], a, at);
	}
	vals[0] = row->vals[C_KIND];
	vals[1] = row->vals[C_PATIENT];
	vals[2] = row->vals[C_NAME];
	vals[3] = row->vals[C_PHONE];
	vals[4] = row->vals[C_SITE];
	vals[5] = time;
	vals[6] = row->vals[C_APPT];
	vals[7] = what;
	vals[8] = row->vals[C_OUTCOME];
	vals[9] = row->vals[C_ONOTE];
	vals[10] = row->vals[C_OBY];
	vals[11] = at[0] != '\0' ? at : NULL;
	out.n = 12;
	out.keys = keys;
	out.vals = vals;
	return ac->fn(ac->ctx, &out, err);
}

enum cd_status
ops_calls(struct ops *o, const char *date, const char *site, cd_row_fn fn, void *ctx,
    struct cd_err *err)
{
	struct agenda_ctx ac = { fn, ctx, 0, NULL };
	struct db_site s;
	struct cd_date d;
	int64_t ids[MAX_SITES];
	char day[11], next[11];
	enum cd_status st;
	int n = 0, i;

	if ((st = ops_require(o, ACT_SCHEDULE_VIEW, err)) != CD_OK)
		return st;
	if (date != NULL && (st = parse_day("--date", date, &d, err)) != CD_OK)
		return st;
	if ((st = db_begin_read(o->db, err)) != CD_OK)
		return st;
	if (site != NULL) {
		if ((st = ops_find_site(o, "--site", site, &ids[0], err)) == CD_OK)
			n = 1;
	} else {
		st = db_site_ids(o->db, ids, MAX_SITES, &n, err);
	}
	for (i = 0; st == CD_OK && i < n; i++) {
		if ((st = db_site_get(o->db, ids[i], &s, err)) != CD_OK)
			break;
		if (date == NULL)
			today_in(o, s.tz, &d);
		day_text(&d, 0, day);
		day_text(&d, 1, next);
		st = db_calls(o->db, ids[i], day, next, call_row, &ac, err);
	}
	db_end_read(o->db);
	return st;
}
