/* ops_visits.c - changing booked visits: moving one (and what must
 * follow it), changing a visit's status, cancelling a whole cycle. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/localtime.h"
#include "../core/text.h"
#include "../core/visit.h"
#include "../core/xalloc.h"
#include "ops_sched.h"

static enum cd_status
check_reason(const char *reason, struct cd_err *err)
{
	if (reason == NULL)
		return CD_OK;
	return text_check_field("--reason", reason, 500, TEXT_REQUIRED, err);
}

/* Writes the moved visits: each lets go of its slot first, so that the
 * visits of one cycle can trade places; then each takes its new slot,
 * the schema's triggers checking every one for overlaps. */
static enum cd_status
apply_move(struct ops *o, const struct ops_move *m, const char *now, struct plan *p,
    struct cd_err *err)
{
	char **old = xcalloc((size_t)p->n, sizeof *old), key[32];
	enum cd_status st = CD_OK;
	int i;

	for (i = 0; st == CD_OK && i < p->n; i++) {
		if (!p->v[i].changed)
			continue;
		if ((st = db_snapshot(o->db, "appointments", p->v[i].id, &old[i], err)) == CD_OK)
			st = db_appt_release(o->db, p->v[i].id, err);
	}
	for (i = 0; st == CD_OK && i < p->n; i++) {
		struct plan_visit *v = &p->v[i];
		struct db_appt a;
		struct cd_local l;

		if (!v->changed)
			continue;
		memset(&a, 0, sizeof a);
		a.id = v->id;
		local_from_utc(p->zone, v->start, &l);
		date_format(&l.date, a.local_day);
		a.start = v->start;
		a.end = v->end;
		a.nres = v->nres;
		memcpy(a.res, v->res, sizeof a.res);
		st = db_appt_place(o->db, &a, v->overlaps ? m->reason : NULL, m->reason, now, err);
		snprintf(key, sizeof key, "%lld", (long long)v->id);
		if (st == CD_OK) {
			st = ops_audit_change(o, now, "move", "appointments", v->id, key, old[i],
			    m->reason, err);
			old[i] = NULL;
		}
	}
	for (i = 0; i < p->n; i++)
		free(old[i]);
	free(old);
	return st;
}

static enum cd_status
move_visit(struct ops *o, const struct ops_move *m, const struct cd_date *day, int minute,
    const char *now, struct sched_cycle *c, struct ops_visit_row **rows, int *nrows,
    struct cd_err *err)
{
	struct db_appt appt;
	struct sched_cal sc;
	struct plan_calendar cal;
	enum cd_status st;
	int i, index = -1;

	if ((st = db_appt_get(o->db, m->id, &appt, err)) != CD_OK)
		return st;
	if (strcmp(appt.status, "booked") != 0)
		return cd_fail(err, CD_REFUSED, "visit %lld is %s; only a booked visit can be moved",
		    (long long)m->id, appt.status);
	if ((st = sched_cycle_load(o, appt.cycle_id, c, err)) != CD_OK)
		return st;
	for (i = 0; i < c->plan.n; i++) {
		if (c->plan.v[i].id == m->id)
			index = i;
	}
	if (index < 0)
		fatal("visit %lld is not in its own cycle", (long long)m->id);
	c->plan.force = m->force;
	sc.o = o;
	sc.site_id = appt.site_id;
	sc.patient_id = appt.patient_id;
	sc.exclude_cycle = appt.cycle_id;
	sched_calendar(&cal, &sc);
	if ((st = plan_move(&c->plan, &cal, index, day, minute, m->this_only, err)) != CD_OK)
		return st;
	if (!m->dry_run && (st = apply_move(o, m, now, &c->plan, err)) != CD_OK)
		return st;
	*rows = xcalloc((size_t)c->plan.n, sizeof **rows);
	for (i = 0; st == CD_OK && i < c->plan.n; i++) {
		if (c->plan.v[i].changed)
			st = sched_visit_row(o, &c->plan, &c->plan.v[i], &(*rows)[(*nrows)++], err);
	}
	return st;
}

enum cd_status
ops_appt_move(struct ops *o, const struct ops_move *m, ops_visit_fn fn, void *ctx, int *moved,
    struct cd_err *err)
{
	struct sched_cycle *c = xcalloc(1, sizeof *c);
	struct ops_visit_row *rows = NULL;
	struct cd_date day;
	enum cd_status st;
	char now[25];
	int minute, i, n = 0;

	*moved = 0;
	if (!local_parse(m->to, &day, &minute)) {
		st = cd_fail(err, CD_USAGE, "--to: '%.40s' is not a local date and time"
		    " (\"YYYY-MM-DD HH:MM\")", m->to);
		goto out;
	}
	if (m->force && m->reason == NULL) {
		st = cd_fail(err, CD_USAGE, "--force needs --reason: the audit trail keeps why");
		goto out;
	}
	if ((st = check_reason(m->reason, err)) != CD_OK ||
	    (st = ops_require(o, ACT_BOOK, err)) != CD_OK ||
	    (m->force && (st = ops_require(o, ACT_OVERRIDE, err)) != CD_OK))
		goto out;
	if (m->dry_run) {
		if ((st = db_begin_read(o->db, err)) != CD_OK)
			goto out;
		time_format_utc(o->clock_ms(), now);
		st = move_visit(o, m, &day, minute, now, c, &rows, &n, err);
		db_end_read(o->db);
	} else if ((st = ops_write_begin(o, ACT_BOOK, now, err)) == CD_OK) {
		/* The right to force as it stands inside the transaction. */
		if (!m->force || (st = ops_require(o, ACT_OVERRIDE, err)) == CD_OK)
			st = move_visit(o, m, &day, minute, now, c, &rows, &n, err);
		st = ops_write_end(o, st, err);
	}
	for (i = 0; st == CD_OK && i < n; i++)
		st = fn(ctx, &rows[i], err);
	if (st == CD_OK)
		*moved = n;
out:
	sched_cycle_clear(c);
	free(c);
	free(rows);
	return st;
}

/* Where now is relative to a visit, in its site's local days. */
static enum visit_when
visit_when(const struct db_appt *a, int64_t now)
{
	struct cd_local today;
	char day[11];

	if (now >= a->start)
		return VISIT_STARTED;
	local_from_utc(a->tz, now, &today);
	date_format(&today.date, day);
	return strcmp(day, a->local_day) == 0 ? VISIT_ON_DAY_BEFORE_START : VISIT_BEFORE_DAY;
}

/* A visit goes back to booked only while its cycle is going ahead. */
static enum cd_status
check_cycle_active(struct ops *o, int64_t cycle_id, struct cd_err *err)
{
	struct db_cycle c;
	enum cd_status st;

	if ((st = db_cycle_get(o->db, cycle_id, &c, err)) != CD_OK)
		return st;
	if (strcmp(c.status, "active") != 0)
		st = cd_fail(err, CD_REFUSED, "cycle %lld is %s; its visits stay as they are",
		    (long long)cycle_id, c.status);
	db_cycle_clear(&c);
	return st;
}

enum cd_status
ops_appt_status(struct ops *o, int64_t id, const char *status, const char *reason,
    struct cd_err *err)
{
	struct db_appt a;
	enum visit_status from, to;
	enum cd_status st;
	char now[25], key[32], *old = NULL;

	if (!visit_status_parse(status, &to))
		return cd_fail(err, CD_USAGE, "STATUS: '%.40s' is not booked, checked-in, done,"
		    " no-show, cancelled-by-patient or cancelled-by-clinic", status);
	if ((st = check_reason(reason, err)) != CD_OK)
		return st;
	if ((st = ops_write_begin(o, ACT_BOOK, now, err)) != CD_OK)
		return st;
	if ((st = db_appt_get(o->db, id, &a, err)) == CD_OK) {
		if (!visit_status_parse(a.status, &from))
			st = cd_fail(err, CD_EDATA, "visit %lld has an unknown status '%s'",
			    (long long)id, a.status);
		else
			st = visit_status_change(from, to, visit_when(&a, sched_now(o)), err);
	}
	if (st == CD_OK && to == VISIT_BOOKED)
		st = check_cycle_active(o, a.cycle_id, err);
	if (st == CD_OK)
		st = db_snapshot(o->db, "appointments", id, &old, err);
	if (st == CD_OK)
		st = db_appt_set_status(o->db, id, status, visit_status_holds(to), reason, now, err);
	snprintf(key, sizeof key, "%lld", (long long)id);
	if (st == CD_OK) {
		st = ops_audit_change(o, now, "status", "appointments", id, key, old, reason, err);
		old = NULL;
	}
	free(old);
	return ops_write_end(o, st, err);
}

enum cd_status
ops_cycle_cancel(struct ops *o, int64_t id, const char *reason, int *cancelled,
    struct cd_err *err)
{
	struct sched_cycle *c = xcalloc(1, sizeof *c);
	enum cd_status st;
	char now[25], key[32], *old = NULL;
	int64_t t;
	int i;

	*cancelled = 0;
	if ((st = check_reason(reason, err)) != CD_OK ||
	    (st = ops_write_begin(o, ACT_BOOK, now, err)) != CD_OK)
		goto out;
	t = sched_now(o);
	st = sched_cycle_load(o, id, c, err);
	if (st == CD_OK && strcmp(c->cycle.status, "cancelled") == 0)
		st = cd_fail(err, CD_REFUSED, "cycle %lld is already cancelled", (long long)id);
	for (i = 0; st == CD_OK && i < c->plan.n; i++) {
		struct plan_visit *v = &c->plan.v[i];

		if (v->fixed || !v->active || v->start <= t)
			continue;
		if ((st = db_snapshot(o->db, "appointments", v->id, &old, err)) == CD_OK)
			st = db_appt_set_status(o->db, v->id, "cancelled-by-clinic", false, reason,
			    now, err);
		snprintf(key, sizeof key, "%lld", (long long)v->id);
		if (st == CD_OK)
			st = ops_audit_change(o, now, "cancel", "appointments", v->id, key, old,
			    reason, err);
		else
			free(old);
		old = NULL;
		(*cancelled)++;
	}
	if (st == CD_OK)
		st = db_snapshot(o->db, "cycles", id, &old, err);
	if (st == CD_OK)
		st = db_cycle_set_status(o->db, id, "cancelled", reason, now, err);
	snprintf(key, sizeof key, "%lld", (long long)id);
	if (st == CD_OK) {
		st = ops_audit_change(o, now, "cancel", "cycles", id, key, old, reason, err);
		old = NULL;
	}
	free(old);
	st = ops_write_end(o, st, err);
out:
	sched_cycle_clear(c);
	free(c);
	return st;
}

/* --- the call list's outcomes --- */
enum cd_status
ops_call_mark(struct ops *o, int64_t appt, const char *kind, const char *outcome,
    const char *note, struct cd_err *err)
{
	struct db_appt a;
	enum cd_status st;
	char now[25], at[21], key[32];
	int64_t id = 0;
	bool is_call;

	if (kind == NULL || (strcmp(kind, "call") != 0 && strcmp(kind, "reminder") != 0))
		return cd_fail(err, CD_USAGE, "--kind: '%.40s' is not call or reminder",
		    kind != NULL ? kind : "");
	if (outcome == NULL || (strcmp(outcome, "done") != 0 &&
	    strcmp(outcome, "unreachable") != 0))
		return cd_fail(err, CD_USAGE, "the outcome '%.40s' is not done or unreachable",
		    outcome != NULL ? outcome : "");
	if (note != NULL && note[0] != '\0' &&
	    (st = text_check_field("--note", note, 500, 0, err)) != CD_OK)
		return st;
	if ((st = ops_write_begin(o, ACT_BOOK, now, err)) != CD_OK)
		return st;
	if ((st = db_appt_get(o->db, appt, &a, err)) == CD_OK) {
		is_call = strcmp(a.step, "call") == 0;
		if (is_call != (strcmp(kind, "call") == 0))
			st = cd_fail(err, CD_REFUSED, "visit %lld is %s %s visit: its call is the %s"
			    " (--kind %s)", (long long)appt, is_call ? "a" : "an", a.step,
			    is_call ? "planned call" : "reminder", is_call ? "call" : "reminder");
		else if (strcmp(a.status, "booked") != 0)
			st = cd_fail(err, CD_REFUSED, "visit %lld is %s, not booked: its %s is no"
			    " longer on the call list", (long long)appt, a.status,
			    is_call ? "call" : "reminder");
	}
	/* The call's time to the second, as the schedule keeps times. */
	utc_format(sched_now(o), at);
	if (st == CD_OK)
		st = db_call_outcome_insert(o->db, appt, kind, outcome, note, o->actor, at, &id,
		    err);
	snprintf(key, sizeof key, "%lld", (long long)appt);
	if (st == CD_OK)
		st = ops_audit_change(o, now, "insert", "call_outcomes", id, key, NULL, NULL, err);
	return ops_write_end(o, st, err);
}
