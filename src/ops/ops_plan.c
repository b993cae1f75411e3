/* ops_plan.c - the planner's calendar on the database, stored cycles
 * loaded as plans, and planned visits as rows for the faces. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/localtime.h"
#include "../core/visit.h"
#include "../core/xalloc.h"
#include "ops_sched.h"

static enum cd_status
cal_site_day(void *ctx, const struct cd_date *d, int *open, int *close, char *why,
    size_t whylen, struct cd_err *err)
{
	struct sched_cal *c = ctx;

	return db_site_day(c->o->db, c->site_id, d, open, close, why, whylen, err);
}

static enum cd_status
cal_candidates(void *ctx, const struct proto_need *need, int64_t *ids, int max, int *n,
    struct cd_err *err)
{
	struct sched_cal *c = ctx;

	return db_resource_candidates(c->o->db, c->site_id, res_kind_name(need->kind),
	    need->tags, need->ntags, ids, max, n, err);
}

static enum cd_status
cal_resource_day(void *ctx, int64_t res, const struct cd_date *d, int *open, int *close,
    struct cd_err *err)
{
	struct sched_cal *c = ctx;

	return db_resource_day(c->o->db, res, d, open, close, err);
}

static void
push_span(void *ctx, int64_t start, int64_t end, bool away)
{
	span_list_push(ctx, start, end, away);
}

static enum cd_status
cal_busy(void *ctx, int64_t res, int64_t from, int64_t to, struct span_list *out,
    struct cd_err *err)
{
	struct sched_cal *c = ctx;

	if (res == 0)
		return db_busy_patient(c->o->db, c->patient_id, from, to, c->exclude_cycle,
		    push_span, out, err);
	return db_busy_resource(c->o->db, res, from, to, c->exclude_cycle, push_span, out, err);
}

void
sched_calendar(struct plan_calendar *cal, struct sched_cal *ctx)
{
	cal->ctx = ctx;
	cal->site_day = cal_site_day;
	cal->candidates = cal_candidates;
	cal->resource_day = cal_resource_day;
	cal->busy = cal_busy;
}

int64_t
sched_now(const struct ops *o)
{
	return o->clock_ms() / 1000;
}

void
sched_local_iso(const char *zone, int64_t utc, char buf[26])
{
	struct cd_local l;

	local_from_utc(zone, utc, &l);
	local_format_iso(&l, buf);
}

enum cd_status
sched_cycle_load(struct ops *o, int64_t id, struct sched_cycle *c, struct cd_err *err)
{
	struct db_appt *a;
	struct plan *p = &c->plan;
	enum cell_source src;
	enum visit_status vs;
	enum cd_status st;
	int i, n;

	memset(c, 0, sizeof *c);
	if ((st = db_cycle_get(o->db, id, &c->cycle, err)) != CD_OK)
		return st;
	if (protocol_parse(c->cycle.body, &c->proto, err) != CD_OK)
		return cd_fail(err, CD_EDATA, "cycle %lld's protocol cannot be read: %s",
		    (long long)id, err->msg);
	if ((st = db_site_get(o->db, c->cycle.site_id, &c->site, err)) != CD_OK)
		return st;
	p->proto = &c->proto;
	snprintf(p->site_name, sizeof p->site_name, "%s", c->site.name);
	snprintf(p->zone, sizeof p->zone, "%s", c->site.tz);
	p->source = cell_source_parse(c->cycle.source, &src) ? src : SOURCE_AUTOLOGOUS;
	p->courses = c->cycle.courses;
	p->gap_days = c->cycle.gap_days;
	p->now = sched_now(o);
	a = xcalloc(PLAN_MAX_VISITS, sizeof *a);
	st = db_appt_of_cycle(o->db, id, a, PLAN_MAX_VISITS, &n, err);
	/* The zone the visits were booked in (the site's, unless it changed). */
	if (st == CD_OK && n > 0)
		snprintf(p->zone, sizeof p->zone, "%s", a[0].tz);
	for (i = 0; st == CD_OK && i < n; i++) {
		struct plan_visit *v = &p->v[i];
		struct cd_local l;
		const struct proto_step *s;

		if (a[i].step_no < 0 || a[i].step_no >= c->proto.nsteps) {
			st = cd_fail(err, CD_EDATA, "visit %lld names step %d, which its protocol"
			    " does not have", (long long)a[i].id, a[i].step_no);
			break;
		}
		s = &c->proto.steps[a[i].step_no];
		v->id = a[i].id;
		v->step_no = a[i].step_no;
		v->course = a[i].course;
		v->anchor_course = s->anchor == ANCHOR_FIRST ? 1 : s->anchor == ANCHOR_LAST ?
		    p->courses : a[i].course;
		local_from_utc(p->zone, a[i].start, &l);
		v->day = l.date;
		v->minute = l.minute;
		v->start = a[i].start;
		v->end = a[i].end;
		v->nres = a[i].nres;
		memcpy(v->res, a[i].res, sizeof v->res);
		if (!visit_status_parse(a[i].status, &vs))
			vs = VISIT_CANCELLED_BY_CLINIC;
		v->active = visit_status_active(vs);
		v->fixed = vs != VISIT_BOOKED;
		p->n++;
	}
	free(a);
	return st;
}

void
sched_cycle_clear(struct sched_cycle *c)
{
	db_cycle_clear(&c->cycle);
}

enum cd_status
sched_visit_row(struct ops *o, const struct plan *p, const struct plan_visit *v,
    struct ops_visit_row *row, struct cd_err *err)
{
	const struct proto_step *s = &p->proto->steps[v->step_no];
	char name[128];
	size_t len;
	enum cd_status st;
	int i;

	memset(row, 0, sizeof *row);
	row->id = v->id;
	row->course = v->course;
	row->step = step_kind_name(s->kind);
	row->note = s->note;
	row->overlaps = v->overlaps;
	sched_local_iso(p->zone, v->start, row->start);
	sched_local_iso(p->zone, v->end, row->end);
	if (v->changed && v->old_start != 0 && v->old_start != v->start)
		sched_local_iso(p->zone, v->old_start, row->before);
	for (i = 0; i < v->nres; i++) {
		if ((st = db_resource_name(o->db, v->res[i], name, sizeof name, err)) != CD_OK)
			return st;
		len = strlen(row->resources);
		snprintf(row->resources + len, sizeof row->resources - len, "%s%s",
		    i > 0 ? ", " : "", name);
	}
	return CD_OK;
}
