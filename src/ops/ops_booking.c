/* ops_booking.c - booking a whole treatment cycle in one transaction:
 * the planner places every visit (reading the calendars inside the same
 * BEGIN IMMEDIATE that writes them, so two desks cannot take one slot),
 * then the cycle, its visits and their audit records are written. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/localtime.h"
#include "../core/text.h"
#include "../core/xalloc.h"
#include "ops_sched.h"

/* What the command line gave, checked before the database is touched. */
struct book_args {
	struct cd_date start;
	int minute;
	enum cell_source source;
	bool has_source;
};

static enum cd_status
check_args(const struct ops_book *b, struct book_args *a, struct cd_err *err)
{
	enum cd_status st;

	if (!date_parse(b->start, &a->start))
		return cd_fail(err, CD_USAGE, "--start: '%.40s' is not a date that exists"
		    " (YYYY-MM-DD)", b->start);
	a->minute = -1;
	if (b->time != NULL && !clock_parse(b->time, &a->minute))
		return cd_fail(err, CD_USAGE, "--time: '%.40s' is not a time of day (HH:MM)",
		    b->time);
	a->has_source = b->source != NULL;
	if (a->has_source && (!cell_source_parse(b->source, &a->source) ||
	    a->source == SOURCE_ANY))
		return cd_fail(err, CD_USAGE, "--source: '%.40s' is not autologous or donor",
		    b->source);
	if (b->courses != 0 && (b->courses < 1 || b->courses > PROTO_MAX_COURSES))
		return cd_fail(err, CD_USAGE, "--courses: from 1 to %d", PROTO_MAX_COURSES);
	if (b->gap_days != 0 && (b->gap_days < 1 || b->gap_days > 365))
		return cd_fail(err, CD_USAGE, "--gap: from 1 to 365 days");
	if (b->force && b->reason == NULL)
		return cd_fail(err, CD_USAGE, "--force needs --reason: the audit trail keeps why");
	if (b->reason != NULL &&
	    (st = text_check_field("--reason", b->reason, 500, TEXT_REQUIRED, err)) != CD_OK)
		return st;
	return CD_OK;
}

/* Reads patient, protocol and site and sets the plan up. */
static enum cd_status
prepare(struct ops *o, const struct ops_book *b, const struct book_args *a,
    struct protocol *proto, int64_t *protocol_id, char **body, struct db_patient_ref *pt,
    struct db_site *site, struct plan *p, struct cd_err *err)
{
	int64_t site_id;
	enum cd_status st;

	if ((st = db_patient_ref(o->db, b->patient, pt, err)) != CD_OK ||
	    (st = db_protocol_get(o->db, b->protocol, protocol_id, body, err)) != CD_OK)
		return st;
	if (*protocol_id == 0)
		return cd_fail(err, CD_REFUSED, "there is no protocol called '%.60s' (see celldesk"
		    " protocol list)", b->protocol);
	if (protocol_parse(*body, proto, err) != CD_OK)
		return cd_fail(err, CD_EDATA, "stored protocol %s cannot be read: %s", b->protocol,
		    err->msg);
	if (b->site != NULL) {
		if ((st = ops_find_site(o, "--site", b->site, &site_id, err)) != CD_OK)
			return st;
	} else if ((site_id = pt->site_id) == 0) {
		return cd_fail(err, CD_REFUSED, "patient %s has no preferred site; say where with"
		    " --site", pt->mrn);
	}
	if ((st = db_site_get(o->db, site_id, site, err)) != CD_OK)
		return st;
	memset(p, 0, sizeof *p);
	p->proto = proto;
	snprintf(p->zone, sizeof p->zone, "%s", site->tz);
	snprintf(p->site_name, sizeof p->site_name, "%s", site->name);
	p->source = a->has_source ? a->source :
	    proto->source == SOURCE_DONOR ? SOURCE_DONOR : SOURCE_AUTOLOGOUS;
	if (proto->source != SOURCE_ANY && p->source != proto->source)
		return cd_fail(err, CD_REFUSED, "protocol %s is for %s cells only", proto->name,
		    cell_source_name(proto->source));
	p->courses = b->courses != 0 ? b->courses : proto->courses;
	p->gap_days = b->gap_days != 0 ? b->gap_days : proto->gap_days;
	if (p->gap_days < proto->min_gap_days)
		return cd_fail(err, CD_REFUSED, "protocol %s needs at least %d days between"
		    " courses", proto->name, proto->min_gap_days);
	p->now = sched_now(o);
	p->force = b->force;
	return CD_OK;
}

static enum cd_status
write_cycle(struct ops *o, const struct ops_book *b, const char *now, int64_t protocol_id,
    const struct protocol *proto, const struct db_patient_ref *pt,
    const struct db_site *site, struct plan *p, int64_t *cycle_id, struct cd_err *err)
{
	struct db_cycle c;
	struct db_appt a;
	enum cd_status st;
	char key[32];
	int i;

	memset(&c, 0, sizeof c);
	c.patient_id = pt->id;
	c.protocol_id = protocol_id;
	c.site_id = site->id;
	c.body = protocol_to_json(proto);
	snprintf(c.source, sizeof c.source, "%s", cell_source_name(p->source));
	c.courses = p->courses;
	c.gap_days = p->gap_days;
	st = db_cycle_insert(o->db, &c, now, cycle_id, err);
	free(c.body);
	snprintf(key, sizeof key, "%lld", (long long)*cycle_id);
	if (st == CD_OK)
		st = ops_audit_change(o, now, "book", "cycles", *cycle_id, key, NULL, b->reason,
		    err);
	for (i = 0; st == CD_OK && i < p->n; i++) {
		struct plan_visit *v = &p->v[i];
		const struct proto_step *s = &proto->steps[v->step_no];
		struct cd_local l;

		memset(&a, 0, sizeof a);
		a.cycle_id = *cycle_id;
		a.course = v->course;
		a.step_no = v->step_no;
		snprintf(a.step, sizeof a.step, "%s", step_kind_name(s->kind));
		a.patient_id = pt->id;
		a.site_id = site->id;
		snprintf(a.tz, sizeof a.tz, "%s", site->tz);
		local_from_utc(site->tz, v->start, &l);
		date_format(&l.date, a.local_day);
		a.start = v->start;
		a.end = v->end;
		a.nres = v->nres;
		memcpy(a.res, v->res, sizeof a.res);
		snprintf(a.note, sizeof a.note, "%s", s->note);
		st = db_appt_insert(o->db, &a, v->overlaps ? b->reason : NULL, now, &v->id, err);
		snprintf(key, sizeof key, "%lld", (long long)v->id);
		if (st == CD_OK)
			st = ops_audit_change(o, now, "book", "appointments", v->id, key, NULL,
			    v->overlaps ? b->reason : NULL, err);
	}
	return st;
}

enum cd_status
ops_course_book(struct ops *o, const struct ops_book *b, ops_visit_fn fn, void *ctx,
    int64_t *cycle_id, struct cd_err *err)
{
	struct book_args a;
	struct protocol *proto = xcalloc(1, sizeof *proto);
	struct plan *p = xcalloc(1, sizeof *p);
	struct ops_visit_row *rows = NULL;
	struct db_patient_ref pt;
	struct db_site site;
	struct sched_cal sc;
	struct plan_calendar cal;
	int64_t protocol_id;
	char now[25], *body = NULL;
	enum cd_status st;
	int i;

	*cycle_id = 0;
	if ((st = check_args(b, &a, err)) != CD_OK ||
	    (st = ops_require(o, ACT_BOOK, err)) != CD_OK ||
	    (b->force && (st = ops_require(o, ACT_OVERRIDE, err)) != CD_OK))
		goto out;
	if (b->dry_run) {
		if ((st = db_begin_read(o->db, err)) != CD_OK)
			goto out;
		time_format_utc(o->clock_ms(), now);
	} else if ((st = ops_write_begin(o, ACT_BOOK, now, err)) != CD_OK) {
		goto out;
	}
	/* The right to force, like every right, as it stands inside the
	 * transaction (ops_write_begin has just read the actor again). */
	if (b->force && (st = ops_require(o, ACT_OVERRIDE, err)) != CD_OK) {
		if (b->dry_run)
			db_end_read(o->db);
		else
			ops_write_end(o, st, err);
		goto out;
	}
	st = prepare(o, b, &a, proto, &protocol_id, &body, &pt, &site, p, err);
	if (st == CD_OK) {
		sc.o = o;
		sc.site_id = site.id;
		sc.patient_id = pt.id;
		sc.exclude_cycle = 0;
		sched_calendar(&cal, &sc);
		st = plan_cycle(p, &cal, &a.start, a.minute, err);
	}
	if (st == CD_OK && !b->dry_run)
		st = write_cycle(o, b, now, protocol_id, proto, &pt, &site, p, cycle_id, err);
	/* Rows are made before the commit (they read resource names), handed
	 * out after it: nothing is shown as booked that is not. */
	if (st == CD_OK) {
		rows = xcalloc((size_t)p->n, sizeof *rows);
		for (i = 0; st == CD_OK && i < p->n; i++)
			st = sched_visit_row(o, p, &p->v[i], &rows[i], err);
	}
	if (b->dry_run)
		db_end_read(o->db);
	else
		st = ops_write_end(o, st, err);
	for (i = 0; st == CD_OK && i < p->n; i++)
		st = fn(ctx, &rows[i], err);
out:
	free(rows);
	free(body);
	free(proto);
	free(p);
	return st;
}
