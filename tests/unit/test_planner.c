/* test_planner.c - the slot planner (src/core/planner.c) on a fake
 * calendar of the test's own: a site's weekly hours and closure days,
 * resources with tags, and the spans during which a resource or the
 * patient is taken or away. The zone and the present are fixed per test;
 * no database is involved. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/localtime.h"
#include "core/planner.h"
#include "core/protocol.h"
#include "unit_util.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))
#define DAY INT64_C(86400)

/* --- the fake calendar --- */

struct fake_res {
	int64_t id;
	enum res_kind kind;
	const char *tags[PROTO_MAX_TAGS];
	int open, close;     /* its own daily hours; 0, 0: the site's */
};

struct fake_span {
	int64_t res;         /* 0: the patient */
	int64_t start, end;
	bool away;
};

struct fake_cal {
	char zone[64];
	int open[7], close[7];              /* by weekday, Monday first */
	struct cd_date closed[8];
	const char *closed_why[8];
	int nclosed;
	struct fake_res res[8];
	int nres;
	struct fake_span spans[32];
	int nspans;
};

/* The resources every site in these tests has. */
enum { ROOM_A = 1, ROOM_B, PROC_ROOM, MRI, DR_WEBER, DR_BONDAR };

static const struct fake_res standard_res[] = {
	{ ROOM_A, RES_ROOM, { "injection", "ultrasound" }, 0, 0 },
	{ ROOM_B, RES_ROOM, { "fluoroscopy", "injection" }, 0, 0 },
	{ PROC_ROOM, RES_ROOM, { "harvest", "procedure" }, 0, 0 },
	{ MRI, RES_ROOM, { "imaging", "mri" }, 0, 0 },
	{ DR_WEBER, RES_CLINICIAN, { NULL }, 0, 0 },
};

static bool
same_day(const struct cd_date *a, const struct cd_date *b)
{
	return a->year == b->year && a->month == b->month && a->day == b->day;
}

static enum cd_status
fake_site_day(void *ctx, const struct cd_date *d, int *open, int *close, char *why,
    size_t whylen, struct cd_err *err)
{
	struct fake_cal *c = ctx;
	int i, wd = date_weekday(d);

	(void)err;
	for (i = 0; i < c->nclosed; i++) {
		if (same_day(&c->closed[i], d)) {
			*open = *close = 0;
			if (why != NULL && c->closed_why[i] != NULL)
				snprintf(why, whylen, "%s", c->closed_why[i]);
			return CD_OK;
		}
	}
	*open = c->open[wd];
	*close = c->close[wd];
	return CD_OK;
}

static enum cd_status
fake_candidates(void *ctx, const struct proto_need *need, int64_t *ids, int max, int *n,
    struct cd_err *err)
{
	struct fake_cal *c = ctx;
	int i, t, u;
	bool match;

	(void)err;
	*n = 0;
	for (i = 0; i < c->nres && *n < max; i++) {
		if (c->res[i].kind != need->kind)
			continue;
		match = need->ntags == 0;
		for (t = 0; !match && t < need->ntags; t++) {
			for (u = 0; u < PROTO_MAX_TAGS && c->res[i].tags[u] != NULL; u++) {
				if (strcmp(c->res[i].tags[u], need->tags[t]) == 0)
					match = true;
			}
		}
		if (match)
			ids[(*n)++] = c->res[i].id;
	}
	return CD_OK;
}

static enum cd_status
fake_resource_day(void *ctx, int64_t res, const struct cd_date *d, int *open, int *close,
    struct cd_err *err)
{
	struct fake_cal *c = ctx;
	int i;

	for (i = 0; i < c->nres; i++) {
		if (c->res[i].id != res)
			continue;
		if (c->res[i].open < c->res[i].close) {
			*open = c->res[i].open;
			*close = c->res[i].close;
			return CD_OK;
		}
		return fake_site_day(ctx, d, open, close, NULL, 0, err);
	}
	fail_msg("the planner asked for the hours of resource %lld, which no need gave it",
	    (long long)res);
	return CD_EDATA;
}

static enum cd_status
fake_busy(void *ctx, int64_t res, int64_t from, int64_t to, struct span_list *out,
    struct cd_err *err)
{
	struct fake_cal *c = ctx;
	int i;

	(void)err;
	for (i = 0; i < c->nspans; i++) {
		if (c->spans[i].res == res && c->spans[i].start < to && c->spans[i].end > from)
			span_list_push(out, c->spans[i].start, c->spans[i].end, c->spans[i].away);
	}
	return CD_OK;
}

static void
fake_calendar(struct plan_calendar *cal, struct fake_cal *c)
{
	cal->ctx = c;
	cal->site_day = fake_site_day;
	cal->candidates = fake_candidates;
	cal->resource_day = fake_resource_day;
	cal->busy = fake_busy;
}

/* A site in zone open hours ("mon-fri 08:00-18:00") with the standard
 * resources. */
static void
fake_site(struct fake_cal *c, const char *zone, const char *hours)
{
	struct cd_hours h;
	struct cd_err err;
	size_t i;

	memset(c, 0, sizeof *c);
	snprintf(c->zone, sizeof c->zone, "%s", zone);
	if (hours_parse(hours, &h, &err) != CD_OK)
		fail_msg("hours %s: %s", hours, err.msg);
	memcpy(c->open, h.open, sizeof c->open);
	memcpy(c->close, h.close, sizeof c->close);
	for (i = 0; i < LEN(standard_res); i++)
		c->res[c->nres++] = standard_res[i];
}

static struct cd_date
day_of(const char *s)
{
	struct cd_date d;

	if (!date_parse(s, &d))
		fail_msg("not a date: %s", s);
	return d;
}

/* "YYYY-MM-DD HH:MM" in zone -> UTC seconds. */
static int64_t
at(const char *zone, const char *local)
{
	struct cd_date d;
	struct cd_err err;
	int64_t utc;
	int m;

	if (!local_parse(local, &d, &m))
		fail_msg("not a local time: %s", local);
	if (local_to_utc(zone, &d, m, &utc, &err) != CD_OK)
		fail_msg("%s: %s", local, err.msg);
	return utc;
}

static int64_t
utc(const char *text)
{
	int64_t t;

	if (!utc_parse(text, &t))
		fail_msg("not UTC text: %s", text);
	return t;
}

static void
fake_close(struct fake_cal *c, const char *day, const char *why)
{
	c->closed[c->nclosed] = day_of(day);
	c->closed_why[c->nclosed++] = why;
}

/* res (0: the patient) is taken, or away, from..to (local times). */
static void
fake_taken(struct fake_cal *c, int64_t res, const char *from, const char *to, bool away)
{
	struct fake_span *s = &c->spans[c->nspans++];

	s->res = res;
	s->start = at(c->zone, from);
	s->end = at(c->zone, to);
	s->away = away;
}

/* --- plans --- */

static const struct protocol *
proto_of(const char *json)
{
	static struct protocol protos[8];
	static int n;
	struct protocol *p = &protos[n++ % 8];
	struct cd_err err;

	if (protocol_parse(json, p, &err) != CD_OK)
		fail_msg("protocol: %s", err.msg);
	return p;
}

#define HIP (proto_of(protocol_defaults[0]))
#define KNEE (proto_of(protocol_defaults[1]))
#define TENDON (proto_of(protocol_defaults[2]))
#define INJECT_ONLY (proto_of("{\"name\": \"inject-only\", \"courses\": 3, \"steps\": [" \
	"{\"step\": \"injection\", \"anchor\": \"each\", \"window\": [0, 3], \"minutes\": 60," \
	" \"needs\": [\"room:ultrasound|fluoroscopy\", \"clinician\"]}]}"))

static struct plan *
new_plan(const struct protocol *proto, const struct fake_cal *c, const char *site,
    const char *now)
{
	struct plan *p = calloc(1, sizeof *p);

	assert_non_null(p);
	p->proto = proto;
	snprintf(p->zone, sizeof p->zone, "%s", c->zone);
	snprintf(p->site_name, sizeof p->site_name, "%s", site);
	p->source = proto->source == SOURCE_DONOR ? SOURCE_DONOR : SOURCE_AUTOLOGOUS;
	p->courses = proto->courses;
	p->gap_days = proto->gap_days;
	p->now = utc(now);
	return p;
}

static void
plan_ok(struct plan *p, struct fake_cal *c, const char *start, int minute)
{
	struct plan_calendar cal;
	struct cd_date d = day_of(start);
	struct cd_err err;

	fake_calendar(&cal, c);
	memset(&err, 0, sizeof err);
	if (plan_cycle(p, &cal, &d, minute, &err) != CD_OK)
		fail_msg("plan_cycle refused: %s", err.msg);
}

static enum cd_status
plan_refused(struct plan *p, struct fake_cal *c, const char *start, int minute,
    struct cd_err *err)
{
	struct plan_calendar cal;
	struct cd_date d = day_of(start);

	fake_calendar(&cal, c);
	memset(err, 0, sizeof *err);
	return plan_cycle(p, &cal, &d, minute, err);
}

static enum cd_status
move(struct plan *p, struct fake_cal *c, int index, const char *to, bool this_only,
    struct cd_err *err)
{
	struct plan_calendar cal;
	struct cd_date d;
	int m;

	fake_calendar(&cal, c);
	if (!local_parse(to, &d, &m))
		fail_msg("not a local time: %s", to);
	memset(err, 0, sizeof *err);
	return plan_move(p, &cal, index, &d, m, this_only, err);
}

/* The index of the visit of step kind k for course (0: cycle-wide), the
 * nth (from 0) of those; fails when there is none. */
static int
find(const struct plan *p, enum step_kind k, int course, int nth)
{
	int i;

	for (i = 0; i < p->n; i++) {
		if (p->proto->steps[p->v[i].step_no].kind == k && p->v[i].course == course &&
		    nth-- == 0)
			return i;
	}
	fail_msg("no %s for course %d in the plan", step_kind_name(k), course);
	return -1;
}

static const struct plan_visit *
injection(const struct plan *p, int course)
{
	return &p->v[find(p, STEP_INJECTION, course, 0)];
}

/* The visit's start as local ISO text in the plan's zone. */
static const char *
local_start(const struct plan *p, const struct plan_visit *v)
{
	static char buf[8][26];
	static int n;
	struct cd_local l;
	char *out = buf[n++ % 8];

	local_from_utc(p->zone, v->start, &l);
	local_format_iso(&l, out);
	return out;
}

static const char *
utc_text(int64_t t)
{
	static char buf[8][21];
	static int n;
	char *out = buf[n++ % 8];

	utc_format(t, out);
	return out;
}

static int64_t
local_days_between(const struct plan *p, int64_t a, int64_t b)
{
	struct cd_local la, lb;

	local_from_utc(p->zone, a, &la);
	local_from_utc(p->zone, b, &lb);
	return date_to_days(&lb.date) - date_to_days(&la.date);
}

/* Every visit of the plan: placed after now, where its day and minute
 * say, as long as its step, sorted, and holding what its step needs. */
static void
assert_plan_sane(const struct plan *p)
{
	int i;

	for (i = 0; i < p->n; i++) {
		const struct plan_visit *v = &p->v[i];
		const struct proto_step *s = &p->proto->steps[v->step_no];
		struct cd_local l;

		if (!v->active)
			continue;
		local_from_utc(p->zone, v->start, &l);
		assert_true(same_day(&l.date, &v->day));
		assert_int_equal(l.minute, v->minute);
		assert_int_equal(v->end - v->start, (int64_t)s->minutes * 60);
		assert_int_equal(v->nres, s->nneeds);
		assert_int_equal(v->minute % 5, 0);
		if (!v->fixed)
			assert_true(v->start > p->now);
		if (i > 0)
			assert_true(p->v[i - 1].start <= v->start);
	}
}

/* --- a whole cycle across the change to summer time --- */

struct expect {
	enum step_kind kind;
	int course;
	const char *start; /* local ISO */
	int64_t res[2];
};

/* The example: hip, autologous, 4 courses, Berlin, first
 * injection on 2026-03-16 at 10:00 (CET); the next one is on 2026-03-30
 * at 10:00 (CEST), 13 days 23 hours later in UTC. */
static void
test_berlin_cycle_across_dst(void **state)
{
	static const struct expect want[] = {
		{ STEP_CALL, 0, "2026-03-02T08:00:00+01:00", { 0, 0 } },
		{ STEP_HARVEST, 0, "2026-03-09T10:00:00+01:00", { PROC_ROOM, DR_WEBER } },
		{ STEP_INJECTION, 1, "2026-03-16T10:00:00+01:00", { ROOM_A, DR_WEBER } },
		{ STEP_INJECTION, 2, "2026-03-30T10:00:00+02:00", { ROOM_A, DR_WEBER } },
		{ STEP_INJECTION, 3, "2026-04-13T10:00:00+02:00", { ROOM_A, DR_WEBER } },
		{ STEP_INJECTION, 4, "2026-04-27T10:00:00+02:00", { ROOM_A, DR_WEBER } },
		{ STEP_FOLLOWUP, 0, "2026-05-11T10:00:00+02:00", { DR_WEBER, 0 } },
		{ STEP_FOLLOWUP, 0, "2026-06-08T10:00:00+02:00", { DR_WEBER, 0 } },
		{ STEP_FOLLOWUP, 0, "2026-07-20T10:00:00+02:00", { DR_WEBER, 0 } },
		{ STEP_IMAGING, 0, "2026-07-27T10:00:00+02:00", { MRI, 0 } },
		{ STEP_IMAGING, 0, "2026-10-26T10:00:00+01:00", { MRI, 0 } },
	};
	struct fake_cal c;
	struct plan *p;
	size_t i;
	int r;

	(void)state;
	fake_site(&c, "Europe/Berlin", "mon-fri 08:00-18:00");
	p = new_plan(HIP, &c, "Berlin", "2026-03-01T09:00:00Z");
	plan_ok(p, &c, "2026-03-16", 10 * 60);
	assert_int_equal(p->n, (int)LEN(want));
	for (i = 0; i < LEN(want); i++) {
		const struct plan_visit *v = &p->v[i];

		if (p->proto->steps[v->step_no].kind != want[i].kind || v->course != want[i].course)
			fail_msg("visit %zu is the %s of course %d, want the %s of course %d", i,
			    step_kind_name(p->proto->steps[v->step_no].kind), v->course,
			    step_kind_name(want[i].kind), want[i].course);
		assert_string_equal(local_start(p, v), want[i].start);
		for (r = 0; r < v->nres; r++)
			assert_int_equal(v->res[r], want[i].res[r]);
		assert_true(v->active);
		assert_false(v->overlaps);
		assert_int_equal(v->id, 0);
	}
	assert_plan_sane(p);
	/* 14 local days apart, 13 days 23 hours in UTC across 2026-03-29 */
	assert_string_equal(utc_text(injection(p, 1)->start), "2026-03-16T09:00:00Z");
	assert_string_equal(utc_text(injection(p, 2)->start), "2026-03-30T08:00:00Z");
	assert_int_equal(injection(p, 2)->start - injection(p, 1)->start, 13 * DAY + 23 * 3600);
	assert_int_equal(injection(p, 3)->start - injection(p, 2)->start, 14 * DAY);
	/* the anchors: the call and harvest hang off course 1, the rest off course 4 */
	assert_int_equal(p->v[0].anchor_course, 1);
	assert_int_equal(p->v[1].anchor_course, 1);
	assert_int_equal(p->v[6].anchor_course, 4);
	assert_int_equal(p->v[10].anchor_course, 4);
	free(p);
}

/* The same in every zone the clinic has, both directions: course k+1 is
 * 14 local days after course k at the same local time. */
static void
test_zones_both_directions(void **state)
{
	static const struct {
		const char *zone, *hours, *now, *start;
		const char *utc[4];
	} cases[] = {
		{ "Europe/Berlin", "mon-fri 08:00-18:00", "2026-03-01T09:00:00Z", "2026-03-16",
		    { "2026-03-16T09:00:00Z", "2026-03-30T08:00:00Z", "2026-04-13T08:00:00Z",
		    "2026-04-27T08:00:00Z" } },
		{ "Europe/Berlin", "mon-fri 08:00-18:00", "2026-10-01T09:00:00Z", "2026-10-19",
		    { "2026-10-19T08:00:00Z", "2026-11-02T09:00:00Z", "2026-11-16T09:00:00Z",
		    "2026-11-30T09:00:00Z" } },
		{ "Europe/Kyiv", "mon-fri 08:00-19:00, sat 09:00-14:00", "2026-03-01T09:00:00Z",
		    "2026-03-16", { "2026-03-16T08:00:00Z", "2026-03-30T07:00:00Z",
		    "2026-04-13T07:00:00Z", "2026-04-27T07:00:00Z" } },
		{ "Europe/Kyiv", "mon-fri 08:00-19:00, sat 09:00-14:00", "2026-10-01T09:00:00Z",
		    "2026-10-19", { "2026-10-19T07:00:00Z", "2026-11-02T08:00:00Z",
		    "2026-11-16T08:00:00Z", "2026-11-30T08:00:00Z" } },
		{ "America/New_York", "mon-fri 07:30-18:30, sat 08:00-12:00", "2026-02-01T09:00:00Z",
		    "2026-03-02", { "2026-03-02T15:00:00Z", "2026-03-16T14:00:00Z",
		    "2026-03-30T14:00:00Z", "2026-04-13T14:00:00Z" } },
		{ "America/New_York", "mon-fri 07:30-18:30, sat 08:00-12:00", "2026-10-01T09:00:00Z",
		    "2026-10-26", { "2026-10-26T14:00:00Z", "2026-11-09T15:00:00Z",
		    "2026-11-23T15:00:00Z", "2026-12-07T15:00:00Z" } },
	};
	struct fake_cal c;
	struct plan *p;
	size_t i;
	int k;

	(void)state;
	for (i = 0; i < LEN(cases); i++) {
		fake_site(&c, cases[i].zone, cases[i].hours);
		p = new_plan(HIP, &c, "Site", cases[i].now);
		plan_ok(p, &c, cases[i].start, 10 * 60);
		assert_plan_sane(p);
		for (k = 1; k <= 4; k++) {
			const struct plan_visit *v = injection(p, k);

			if (strcmp(utc_text(v->start), cases[i].utc[k - 1]) != 0)
				fail_msg("%s from %s: course %d at %s (%s), want %s", cases[i].zone,
				    cases[i].start, k, utc_text(v->start), local_start(p, v),
				    cases[i].utc[k - 1]);
			assert_int_equal(v->minute, 10 * 60);
			if (k > 1)
				assert_int_equal(local_days_between(p, injection(p, k - 1)->start,
				    v->start), 14);
		}
		free(p);
	}
}

/* A course whose day is the transition day itself, at a site open
 * around the clock: a nominal time the clocks skip moves to the first
 * time that exists after it; a time that happens twice is the first
 * (summer-time) one. */
static void
test_transition_day_itself(void **state)
{
	static const struct {
		const char *zone, *now, *start, *time;
		const char *utc[3];
	} cases[] = {
		{ "Europe/Berlin", "2026-03-01T00:00:00Z", "2026-03-15", "02:30",
		    { "2026-03-15T01:30:00Z", "2026-03-29T01:00:00Z", "2026-04-12T00:30:00Z" } },
		{ "Europe/Berlin", "2026-10-01T00:00:00Z", "2026-10-11", "02:30",
		    { "2026-10-11T00:30:00Z", "2026-10-25T00:30:00Z", "2026-11-08T01:30:00Z" } },
		{ "Europe/Kyiv", "2026-03-01T00:00:00Z", "2026-03-15", "03:30",
		    { "2026-03-15T01:30:00Z", "2026-03-29T01:00:00Z", "2026-04-12T00:30:00Z" } },
		{ "Europe/Kyiv", "2026-10-01T00:00:00Z", "2026-10-11", "03:30",
		    { "2026-10-11T00:30:00Z", "2026-10-25T00:30:00Z", "2026-11-08T01:30:00Z" } },
		{ "America/New_York", "2026-02-01T00:00:00Z", "2026-02-22", "02:30",
		    { "2026-02-22T07:30:00Z", "2026-03-08T07:00:00Z", "2026-03-22T06:30:00Z" } },
		{ "America/New_York", "2026-10-01T00:00:00Z", "2026-10-18", "01:30",
		    { "2026-10-18T05:30:00Z", "2026-11-01T05:30:00Z", "2026-11-15T06:30:00Z" } },
	};
	struct fake_cal c;
	struct plan *p;
	size_t i;
	int k, m;

	(void)state;
	for (i = 0; i < LEN(cases); i++) {
		fake_site(&c, cases[i].zone, "mon-sun 00:00-23:59");
		for (k = 0; k < 7; k++)
			c.close[k] = 24 * 60;
		assert_true(clock_parse(cases[i].time, &m));
		p = new_plan(INJECT_ONLY, &c, "Site", cases[i].now);
		plan_ok(p, &c, cases[i].start, m);
		assert_int_equal(p->n, 3);
		assert_plan_sane(p);
		for (k = 1; k <= 3; k++) {
			const struct plan_visit *v = injection(p, k);

			if (strcmp(utc_text(v->start), cases[i].utc[k - 1]) != 0)
				fail_msg("%s from %s %s: course %d at %s (%s), want %s", cases[i].zone,
				    cases[i].start, cases[i].time, k, utc_text(v->start),
				    local_start(p, v), cases[i].utc[k - 1]);
			if (k > 1)
				assert_int_equal(local_days_between(p, injection(p, k - 1)->start,
				    v->start), 14);
		}
		free(p);
	}
}

/* --- what stands in the way --- */

/* A closed nominal day: the next day of the window; and the next
 * course counts its 14 days from the day the course really took place. */
static void
test_closed_day_next_in_window(void **state)
{
	struct fake_cal c;
	struct plan *p;

	(void)state;
	fake_site(&c, "Europe/Berlin", "mon-fri 08:00-18:00");
	fake_close(&c, "2026-03-30", "staff training");
	p = new_plan(HIP, &c, "Berlin", "2026-03-01T09:00:00Z");
	plan_ok(p, &c, "2026-03-16", 10 * 60);
	assert_string_equal(local_start(p, injection(p, 2)), "2026-03-31T10:00:00+02:00");
	assert_string_equal(local_start(p, injection(p, 3)), "2026-04-14T10:00:00+02:00");
	assert_plan_sane(p);
	free(p);

	/* a closed nominal harvest day: the window goes back from it */
	fake_site(&c, "Europe/Berlin", "mon-fri 08:00-18:00");
	fake_close(&c, "2026-03-09", NULL);
	p = new_plan(HIP, &c, "Berlin", "2026-03-01T09:00:00Z");
	plan_ok(p, &c, "2026-03-16", 10 * 60);
	assert_string_equal(local_start(p, &p->v[find(p, STEP_HARVEST, 0, 0)]),
	    "2026-03-06T10:00:00+01:00");
	free(p);
}

/* A room taken: the other room that meets the need, at the same time;
 * both taken: a later time. */
static void
test_busy_room(void **state)
{
	struct fake_cal c;
	struct plan *p;
	const struct plan_visit *v;

	(void)state;
	fake_site(&c, "Europe/Berlin", "mon-fri 08:00-18:00");
	fake_taken(&c, ROOM_A, "2026-03-30 09:30", "2026-03-30 10:30", false);
	p = new_plan(HIP, &c, "Berlin", "2026-03-01T09:00:00Z");
	plan_ok(p, &c, "2026-03-16", 10 * 60);
	v = injection(p, 2);
	assert_string_equal(local_start(p, v), "2026-03-30T10:00:00+02:00");
	assert_int_equal(v->res[0], ROOM_B);
	assert_int_equal(v->res[1], DR_WEBER);
	assert_false(v->overlaps);
	/* and course 3 goes back to the room of its course before it when free */
	assert_true(injection(p, 3)->res[0] == ROOM_A || injection(p, 3)->res[0] == ROOM_B);
	free(p);

	fake_site(&c, "Europe/Berlin", "mon-fri 08:00-18:00");
	fake_taken(&c, ROOM_A, "2026-03-30 10:00", "2026-03-30 11:00", false);
	fake_taken(&c, ROOM_B, "2026-03-30 10:00", "2026-03-30 11:00", false);
	p = new_plan(HIP, &c, "Berlin", "2026-03-01T09:00:00Z");
	plan_ok(p, &c, "2026-03-16", 10 * 60);
	v = injection(p, 2);
	assert_string_equal(local_start(p, v), "2026-03-30T11:00:00+02:00");
	assert_int_equal(v->res[0], ROOM_A);
	assert_false(v->overlaps);
	/* course 3 is back at course 1's time of day */
	assert_string_equal(local_start(p, injection(p, 3)), "2026-04-13T10:00:00+02:00");
	free(p);
}

/* The patient has another visit: a later time that day. */
static void
test_patient_busy(void **state)
{
	struct fake_cal c;
	struct plan *p;

	(void)state;
	fake_site(&c, "Europe/Berlin", "mon-fri 08:00-18:00");
	fake_taken(&c, 0, "2026-03-30 10:00", "2026-03-30 10:30", false);
	p = new_plan(HIP, &c, "Berlin", "2026-03-01T09:00:00Z");
	plan_ok(p, &c, "2026-03-16", 10 * 60);
	assert_string_equal(local_start(p, injection(p, 2)), "2026-03-30T10:30:00+02:00");
	assert_string_equal(local_start(p, injection(p, 3)), "2026-04-13T10:00:00+02:00");
	assert_false(injection(p, 2)->overlaps);
	assert_plan_sane(p);
	free(p);

	/* taken until closing: earlier that day */
	fake_taken(&c, 0, "2026-04-13 10:00", "2026-04-13 18:00", false);
	p = new_plan(HIP, &c, "Berlin", "2026-03-01T09:00:00Z");
	plan_ok(p, &c, "2026-03-16", 10 * 60);
	assert_string_equal(local_start(p, injection(p, 3)), "2026-04-13T08:00:00+02:00");
	free(p);
}

/* No time in the whole window: a refusal naming the step and, day by
 * day, what stood in the way. */
static void
test_no_slot_refusal(void **state)
{
	static const char *const says[] = {
		"cannot place the course 3 injection between 2026-04-13 and 2026-04-16 at Berlin: ",
		"2026-04-13 Berlin is closed (staff training)",
		"2026-04-14 no free room with ultrasound or fluoroscopy",
		"2026-04-15 the patient has other visits",
		"2026-04-16 no free clinician",
	};
	struct fake_cal c;
	struct plan *p;
	struct cd_err err;
	const char *at_ = NULL, *found;
	size_t i;

	(void)state;
	fake_site(&c, "Europe/Berlin", "mon-fri 08:00-18:00");
	fake_close(&c, "2026-04-13", "staff training");
	fake_taken(&c, ROOM_A, "2026-04-14 08:00", "2026-04-14 18:00", false);
	fake_taken(&c, ROOM_B, "2026-04-14 07:00", "2026-04-14 19:00", false);
	fake_taken(&c, 0, "2026-04-15 07:00", "2026-04-15 18:00", false);
	fake_taken(&c, DR_WEBER, "2026-04-16 00:00", "2026-04-17 00:00", true);
	p = new_plan(HIP, &c, "Berlin", "2026-03-01T09:00:00Z");
	assert_int_equal(plan_refused(p, &c, "2026-03-16", 10 * 60, &err), CD_REFUSED);
	for (i = 0; i < LEN(says); i++) {
		if ((found = strstr(err.msg, says[i])) == NULL)
			fail_msg("\"%s\" should say \"%s\"", err.msg, says[i]);
		if (at_ != NULL && found < at_)
			fail_msg("\"%s\": the days are out of order", err.msg);
		at_ = found;
	}
	free(p);

	/* equal reasons on days in a row are one range */
	fake_site(&c, "Europe/Berlin", "mon-fri 08:00-18:00");
	fake_taken(&c, DR_WEBER, "2026-04-13 00:00", "2026-04-17 00:00", true);
	p = new_plan(HIP, &c, "Berlin", "2026-03-01T09:00:00Z");
	assert_int_equal(plan_refused(p, &c, "2026-03-16", 10 * 60, &err), CD_REFUSED);
	assert_non_null(strstr(err.msg, "the course 3 injection"));
	assert_non_null(strstr(err.msg, "2026-04-13 to 2026-04-16 no free clinician"));
	free(p);
}

/* The start itself: in the past, on a closed day, at a time the clocks
 * skip. */
static void
test_start_refusals(void **state)
{
	struct fake_cal c;
	struct plan *p;
	struct cd_err err;
	int k;

	(void)state;
	fake_site(&c, "Europe/Berlin", "mon-fri 08:00-18:00");
	fake_close(&c, "2026-03-17", "inventory");
	p = new_plan(HIP, &c, "Berlin", "2026-03-01T09:00:00Z");
	assert_int_equal(plan_refused(p, &c, "2026-02-27", 10 * 60, &err), CD_REFUSED);
	assert_non_null(strstr(err.msg, "2026-02-27 is in the past"));
	assert_int_equal(plan_refused(p, &c, "2026-03-21", 10 * 60, &err), CD_REFUSED);
	assert_non_null(strstr(err.msg, "Berlin is closed on 2026-03-21 (Saturday)"));
	assert_int_equal(plan_refused(p, &c, "2026-03-17", 10 * 60, &err), CD_REFUSED);
	assert_non_null(strstr(err.msg, "Berlin is closed on 2026-03-17 (inventory)"));
	free(p);
	/* today (Monday 10:00 in Berlin), but 09:00 has gone */
	p = new_plan(HIP, &c, "Berlin", "2026-03-02T09:00:00Z");
	assert_int_equal(plan_refused(p, &c, "2026-03-02", 9 * 60, &err), CD_REFUSED);
	assert_non_null(strstr(err.msg, "2026-03-02 09:00 is in the past"));
	free(p);

	fake_site(&c, "Europe/Berlin", "mon-sun 00:00-23:59");
	for (k = 0; k < 7; k++)
		c.close[k] = 24 * 60;
	p = new_plan(INJECT_ONLY, &c, "Berlin", "2026-03-01T09:00:00Z");
	assert_int_equal(plan_refused(p, &c, "2026-03-29", 2 * 60 + 30, &err), CD_REFUSED);
	assert_non_null(strstr(err.msg, "2026-03-29 02:30 does not exist in Europe/Berlin"));
	/* slots start on a 5-minute grid */
	assert_int_equal(plan_refused(p, &c, "2026-03-16", 10 * 60 + 3, &err), CD_REFUSED);
	assert_non_null(strstr(err.msg, "grid"));
	free(p);
}

/* A call takes no one's time: not the patient's (busy all day) and it
 * does not keep the patient from a harvest at the same minute. */
static void
test_calls_take_no_time(void **state)
{
	struct fake_cal c;
	struct plan *p;
	const struct plan_visit *call, *harvest;

	(void)state;
	fake_site(&c, "Europe/Berlin", "mon-fri 08:00-18:00");
	fake_taken(&c, 0, "2026-03-02 00:00", "2026-03-03 00:00", false);
	p = new_plan(HIP, &c, "Berlin", "2026-03-01T09:00:00Z");
	plan_ok(p, &c, "2026-03-16", 10 * 60);
	call = &p->v[find(p, STEP_CALL, 0, 0)];
	assert_string_equal(local_start(p, call), "2026-03-02T08:00:00+01:00");
	assert_int_equal(call->nres, 0);
	assert_false(call->overlaps);
	free(p);

	fake_site(&c, "Europe/Berlin", "mon-fri 08:00-18:00");
	p = new_plan(proto_of("{\"name\": \"same-day\", \"courses\": 1, \"steps\": ["
	    "{\"step\": \"call\", \"anchor\": \"first\", \"offset_days\": -7, \"window\": [-3, 0],"
	    " \"minutes\": 10},"
	    "{\"step\": \"harvest\", \"anchor\": \"first\", \"offset_days\": -7,"
	    " \"window\": [-3, 0], \"minutes\": 30, \"needs\": [\"room:procedure\", \"clinician\"]},"
	    "{\"step\": \"injection\", \"anchor\": \"each\", \"window\": [0, 3], \"minutes\": 60,"
	    " \"needs\": [\"room:ultrasound|fluoroscopy\", \"clinician\"]}]}"), &c, "Berlin",
	    "2026-03-01T09:00:00Z");
	plan_ok(p, &c, "2026-03-16", 8 * 60);
	call = &p->v[find(p, STEP_CALL, 0, 0)];
	harvest = &p->v[find(p, STEP_HARVEST, 0, 0)];
	assert_string_equal(local_start(p, call), "2026-03-09T08:00:00+01:00");
	assert_string_equal(local_start(p, harvest), "2026-03-09T08:00:00+01:00");
	free(p);
}

/* A harvest per course ("each"): one before every injection; "first":
 * one for the cycle; donor cells: none. */
static void
test_harvest_per_course(void **state)
{
	static const char *const want[] = { "2026-03-11T10:00:00+01:00",
		"2026-03-25T10:00:00+01:00", "2026-04-08T10:00:00+02:00" };
	struct fake_cal c;
	struct plan *p;
	int k, i, harvests;

	(void)state;
	fake_site(&c, "Europe/Berlin", "mon-fri 08:00-18:00");
	p = new_plan(TENDON, &c, "Berlin", "2026-03-01T09:00:00Z");
	plan_ok(p, &c, "2026-03-16", 10 * 60);
	assert_plan_sane(p);
	for (harvests = 0, i = 0; i < p->n; i++)
		harvests += p->proto->steps[p->v[i].step_no].kind == STEP_HARVEST;
	assert_int_equal(harvests, 3);
	for (k = 1; k <= 3; k++) {
		const struct plan_visit *h = &p->v[find(p, STEP_HARVEST, k, 0)];

		assert_string_equal(local_start(p, h), want[k - 1]);
		assert_int_equal(h->anchor_course, k);
		assert_int_equal(local_days_between(p, h->start, injection(p, k)->start), 5);
		assert_int_equal(h->res[0], PROC_ROOM);
		assert_int_equal(h->res[1], DR_WEBER);
	}
	free(p);

	/* hip: one harvest for all four courses */
	p = new_plan(HIP, &c, "Berlin", "2026-03-01T09:00:00Z");
	plan_ok(p, &c, "2026-03-16", 10 * 60);
	for (harvests = 0, i = 0; i < p->n; i++)
		harvests += p->proto->steps[p->v[i].step_no].kind == STEP_HARVEST;
	assert_int_equal(harvests, 1);
	assert_int_equal(p->n, 11);
	free(p);

	/* a protocol for any source, booked with donor cells: no harvest */
	p = new_plan(proto_of("{\"name\": \"any-2\", \"source\": \"any\", \"courses\": 2,"
	    " \"steps\": [{\"step\": \"harvest\", \"anchor\": \"each\", \"offset_days\": -5,"
	    " \"window\": [-3, 0], \"minutes\": 30, \"needs\": [\"room:procedure\"]},"
	    "{\"step\": \"injection\", \"anchor\": \"each\", \"window\": [0, 3], \"minutes\": 60,"
	    " \"needs\": [\"room:injection\"]}]}"), &c, "Berlin", "2026-03-01T09:00:00Z");
	p->source = SOURCE_DONOR;
	plan_ok(p, &c, "2026-03-16", 10 * 60);
	assert_int_equal(p->n, 2);
	p->source = SOURCE_AUTOLOGOUS;
	plan_ok(p, &c, "2026-03-16", 10 * 60);
	assert_int_equal(p->n, 4);
	free(p);

	/* knee, donor: no harvest, 3 courses */
	p = new_plan(KNEE, &c, "Berlin", "2026-03-01T09:00:00Z");
	plan_ok(p, &c, "2026-03-16", 10 * 60);
	assert_int_equal(p->n, 1 + 3 + 5);
	free(p);
}

/* --- moving --- */

#define KYIV_HOURS "mon-fri 08:00-19:00, sat 09:00-14:00"

/* The hip cycle at Kyiv from 2026-03-16 10:00. */
static struct plan *
kyiv_hip(struct fake_cal *c, const struct protocol *proto, const char *now)
{
	struct plan *p;

	fake_site(c, "Europe/Kyiv", KYIV_HOURS);
	p = new_plan(proto, c, "Kyiv", "2026-03-01T09:00:00Z");
	plan_ok(p, c, "2026-03-16", 10 * 60);
	p->now = utc(now);
	return p;
}

/* Every injection at least min_gap_days after the one before, every
 * other visit inside its window around its anchor's injection. */
static void
assert_rules_kept(const struct plan *p)
{
	int i, a;

	for (i = 0; i < p->n; i++) {
		const struct plan_visit *v = &p->v[i];
		const struct proto_step *s = &p->proto->steps[v->step_no];
		int64_t days;

		if (!v->active)
			continue;
		if (s->kind == STEP_INJECTION) {
			if (v->course > 1) {
				days = local_days_between(p, injection(p, v->course - 1)->start, v->start);
				if (days < p->proto->min_gap_days)
					fail_msg("course %d is %lld days after course %d", v->course,
					    (long long)days, v->course - 1);
			}
			continue;
		}
		a = find(p, STEP_INJECTION, v->anchor_course, 0);
		days = local_days_between(p, p->v[a].start, v->start);
		if (days < s->offset_days + s->win_before || days > s->offset_days + s->win_after)
			fail_msg("the %s %lld days from its injection is outside [%d, %d]",
			    step_kind_name(s->kind), (long long)days, s->offset_days + s->win_before,
			    s->offset_days + s->win_after);
	}
}

/* Course 2 five days later: courses 3 and 4 and the follow-ups that
 * would leave their windows shift with it; what still fits stays. */
static void
test_move_cascade(void **state)
{
	static const struct {
		enum step_kind kind;
		int course, nth;
		const char *before, *after; /* after NULL: unchanged */
	} want[] = {
		{ STEP_CALL, 0, 0, "2026-03-02T08:00:00+02:00", NULL },
		{ STEP_HARVEST, 0, 0, "2026-03-09T10:00:00+02:00", NULL },
		{ STEP_INJECTION, 1, 0, "2026-03-16T10:00:00+02:00", NULL },
		{ STEP_INJECTION, 2, 0, "2026-03-30T10:00:00+03:00", "2026-04-04T10:00:00+03:00" },
		{ STEP_INJECTION, 3, 0, "2026-04-13T10:00:00+03:00", "2026-04-18T10:00:00+03:00" },
		{ STEP_INJECTION, 4, 0, "2026-04-27T10:00:00+03:00", "2026-05-02T10:00:00+03:00" },
		{ STEP_FOLLOWUP, 0, 0, "2026-05-11T10:00:00+03:00", "2026-05-16T10:00:00+03:00" },
		{ STEP_FOLLOWUP, 0, 1, "2026-06-08T10:00:00+03:00", "2026-06-13T10:00:00+03:00" },
		{ STEP_FOLLOWUP, 0, 2, "2026-07-20T10:00:00+03:00", "2026-07-25T10:00:00+03:00" },
		{ STEP_IMAGING, 0, 0, "2026-07-27T10:00:00+03:00", NULL },
		{ STEP_IMAGING, 0, 1, "2026-10-26T10:00:00+02:00", NULL },
	};
	struct fake_cal c;
	struct plan *p;
	struct cd_err err;
	size_t i;
	int changed = 0;

	(void)state;
	p = kyiv_hip(&c, HIP, "2026-03-01T09:00:00Z");
	for (i = 0; i < LEN(want); i++)
		assert_string_equal(local_start(p, &p->v[find(p, want[i].kind, want[i].course,
		    want[i].nth)]), want[i].before);
	if (move(p, &c, find(p, STEP_INJECTION, 2, 0), "2026-04-04 10:00", false, &err) != CD_OK)
		fail_msg("plan_move: %s", err.msg);
	assert_plan_sane(p);
	assert_rules_kept(p);
	for (i = 0; i < LEN(want); i++) {
		const struct plan_visit *v = &p->v[find(p, want[i].kind, want[i].course,
		    want[i].nth)];
		char old[26];
		struct cd_local l;

		local_from_utc(p->zone, v->old_start, &l);
		local_format_iso(&l, old);
		assert_string_equal(old, want[i].before);
		if (want[i].after == NULL) {
			assert_string_equal(local_start(p, v), want[i].before);
			if (v->changed)
				fail_msg("the %s of course %d is marked moved", step_kind_name(want[i].kind),
				    want[i].course);
		} else {
			assert_string_equal(local_start(p, v), want[i].after);
			assert_true(v->changed);
			changed++;
		}
	}
	assert_int_equal(changed, 6);
	free(p);

	/* knee (gap 14, minimum 12): course 2 a day later leaves course 3,
	 * 13 days after it and still in its window, where it is */
	fake_site(&c, "Europe/Kyiv", KYIV_HOURS);
	p = new_plan(KNEE, &c, "Kyiv", "2026-03-01T09:00:00Z");
	plan_ok(p, &c, "2026-03-16", 10 * 60);
	if (move(p, &c, find(p, STEP_INJECTION, 2, 0), "2026-03-31 10:00", false, &err) != CD_OK)
		fail_msg("plan_move: %s", err.msg);
	assert_string_equal(local_start(p, injection(p, 2)), "2026-03-31T10:00:00+03:00");
	assert_string_equal(local_start(p, injection(p, 3)), "2026-04-13T10:00:00+03:00");
	assert_false(injection(p, 3)->changed);
	assert_rules_kept(p);
	free(p);
}

/* The hip cycle at Kyiv with course 2 postponed five days (its window
 * is 0-3 days after the nominal day), as test_move_cascade leaves it. */
static struct plan *
postponed(struct fake_cal *c)
{
	struct plan *p = kyiv_hip(c, HIP, "2026-03-01T09:00:00Z");
	struct cd_err err;

	if (move(p, c, find(p, STEP_INJECTION, 2, 0), "2026-04-04 10:00", false, &err) != CD_OK)
		fail_msg("plan_move: %s", err.msg);
	assert_string_equal(local_start(p, injection(p, 4)), "2026-05-02T10:00:00+03:00");
	return p;
}

/* A postponed course stays where it was put: moving course 4 an hour
 * later breaks no rule, so --this-only allows it. */
static void
test_move_after_postponement_this_only(void **state)
{
	struct fake_cal c;
	struct plan *p = postponed(&c);
	struct cd_err err;

	(void)state;
	if (move(p, &c, find(p, STEP_INJECTION, 4, 0), "2026-05-02 11:00", true, &err) != CD_OK)
		fail_msg("BUG: moving course 4 an hour with --this-only: %s", err.msg);
	free(p);
}

/* ... and moving the 6-week follow-up a day, inside its window, moves
 * that visit only: the postponed courses are not moved back. */
static void
test_move_after_postponement_keeps_it(void **state)
{
	struct fake_cal c;
	struct plan *p = postponed(&c);
	struct cd_err err;
	int i, changed;

	(void)state;
	if (move(p, &c, find(p, STEP_FOLLOWUP, 0, 1), "2026-06-12 10:00", false, &err) != CD_OK)
		fail_msg("moving the 6-week follow-up: %s", err.msg);
	for (changed = 0, i = 0; i < p->n; i++)
		changed += p->v[i].changed;
	if (changed != 1)
		fail_msg("BUG: moving the 6-week follow-up a day moved %d visits; course 2 is now at"
		    " %s, course 3 at %s", changed, local_start(p, injection(p, 2)),
		    local_start(p, injection(p, 3)));
	assert_string_equal(local_start(p, injection(p, 2)), "2026-04-04T10:00:00+03:00");
	assert_string_equal(local_start(p, injection(p, 3)), "2026-04-18T10:00:00+03:00");
	free(p);
}

/* --this-only: the same move is refused, saying which rule it breaks. */
static void
test_move_this_only(void **state)
{
	struct fake_cal c;
	struct plan *p;
	struct cd_err err;

	(void)state;
	p = kyiv_hip(&c, HIP, "2026-03-01T09:00:00Z");
	assert_int_equal(move(p, &c, find(p, STEP_INJECTION, 2, 0), "2026-04-04 10:00", true,
	    &err), CD_REFUSED);
	assert_non_null(strstr(err.msg, "the course 3 injection would be less than 14 days"
	    " after the course before"));
	free(p);

	/* a move that breaks nothing is fine with --this-only */
	p = kyiv_hip(&c, HIP, "2026-03-01T09:00:00Z");
	if (move(p, &c, find(p, STEP_INJECTION, 4, 0), "2026-04-27 15:00", true, &err) != CD_OK)
		fail_msg("plan_move: %s", err.msg);
	assert_string_equal(local_start(p, injection(p, 4)), "2026-04-27T15:00:00+03:00");
	assert_true(injection(p, 4)->changed);
	assert_false(injection(p, 3)->changed);
	free(p);
}

/* Moves the rules refuse by themselves: too close to the course before,
 * into the past, a closed day, a time the clocks skip, a follow-up out
 * of its window. */
static void
test_move_refusals(void **state)
{
	struct fake_cal c;
	struct plan *p;
	struct cd_err err;

	(void)state;
	p = kyiv_hip(&c, HIP, "2026-03-01T09:00:00Z");
	assert_int_equal(move(p, &c, find(p, STEP_INJECTION, 2, 0), "2026-03-27 10:00", false,
	    &err), CD_REFUSED);
	assert_non_null(strstr(err.msg, "the course 2 injection would be less than 14 days"
	    " after the course before"));
	assert_int_equal(move(p, &c, find(p, STEP_INJECTION, 2, 0), "2026-04-05 10:00", false,
	    &err), CD_REFUSED);
	assert_non_null(strstr(err.msg, "Kyiv is closed"));
	assert_int_equal(move(p, &c, find(p, STEP_INJECTION, 2, 0), "2026-03-29 03:30", false,
	    &err), CD_REFUSED);
	assert_non_null(strstr(err.msg, "does not exist"));
	assert_int_equal(move(p, &c, find(p, STEP_INJECTION, 2, 0), "2026-03-30 10:03", false,
	    &err), CD_REFUSED);
	assert_non_null(strstr(err.msg, "grid"));
	assert_int_equal(move(p, &c, find(p, STEP_FOLLOWUP, 0, 0), "2026-05-20 10:00", false,
	    &err), CD_REFUSED);
	assert_non_null(strstr(err.msg, "the 2-week follow-up must be between 2026-05-08 and"
	    " 2026-05-14"));
	free(p);

	p = kyiv_hip(&c, HIP, "2026-03-20T09:00:00Z");
	assert_int_equal(move(p, &c, find(p, STEP_INJECTION, 2, 0), "2026-03-19 10:00", false,
	    &err), CD_REFUSED);
	assert_non_null(strstr(err.msg, "into the past"));
	free(p);
}

#define NOCALL (proto_of("{\"name\": \"hip-nocall\", \"courses\": 2, \"steps\": [" \
	"{\"step\": \"harvest\", \"anchor\": \"first\", \"offset_days\": -7, \"window\": [-3, 0]," \
	" \"minutes\": 30, \"needs\": [\"room:procedure\", \"clinician\"]}," \
	"{\"step\": \"injection\", \"anchor\": \"each\", \"window\": [0, 3], \"minutes\": 60," \
	" \"needs\": [\"room:ultrasound|fluoroscopy\", \"clinician\"]}," \
	"{\"step\": \"followup\", \"anchor\": \"last\", \"offset_days\": 14, \"window\": [-3, 3]," \
	" \"minutes\": 20, \"needs\": [\"clinician\"]}]}"))

/* Course 1 earlier than its harvest allows (the lab needs 7 days):
 * refused once the harvest is done, and refused when no day for a new
 * harvest is left; the done harvest stays where it was. */
static void
test_move_course1_before_harvest(void **state)
{
	struct fake_cal c;
	struct plan *p;
	struct cd_err err;
	int h;
	int64_t was;

	(void)state;
	p = kyiv_hip(&c, NOCALL, "2026-03-10T12:00:00Z");
	h = find(p, STEP_HARVEST, 0, 0);
	assert_string_equal(local_start(p, &p->v[h]), "2026-03-09T10:00:00+02:00");
	p->v[h].fixed = true; /* done */
	was = p->v[h].start;
	assert_int_equal(move(p, &c, find(p, STEP_INJECTION, 1, 0), "2026-03-13 10:00", false,
	    &err), CD_REFUSED);
	assert_non_null(strstr(err.msg, "the harvest must be between 2026-03-03 and 2026-03-06"));
	assert_non_null(strstr(err.msg, "already in the past"));
	assert_int_equal(p->v[find(p, STEP_HARVEST, 0, 0)].start, was);
	free(p);

	/* not yet done, but every day the harvest could move to is past */
	p = kyiv_hip(&c, NOCALL, "2026-03-05T20:00:00Z");
	assert_int_equal(move(p, &c, find(p, STEP_INJECTION, 1, 0), "2026-03-12 10:00", false,
	    &err), CD_REFUSED);
	assert_non_null(strstr(err.msg, "cannot place the harvest between 2026-03-02 and"
	    " 2026-03-05 at Kyiv"));
	free(p); /* what it says of those days: test_past_days_say_past */

	/* with days left, the harvest comes earlier with it */
	p = kyiv_hip(&c, NOCALL, "2026-03-03T12:00:00Z");
	if (move(p, &c, find(p, STEP_INJECTION, 1, 0), "2026-03-12 10:00", false, &err) != CD_OK)
		fail_msg("plan_move: %s", err.msg);
	h = find(p, STEP_HARVEST, 0, 0);
	assert_string_equal(local_start(p, &p->v[h]), "2026-03-05T10:00:00+02:00");
	assert_true(p->v[h].changed);
	assert_rules_kept(p);
	free(p);
}

/* Days whose opening hours have passed are reported as past, not as
 * days without opening hours: booking on the evening the medication-stop
 * call was last due, and moving course 1 when the harvest's days have
 * gone. */
static void
test_past_days_say_past(void **state)
{
	struct fake_cal c;
	struct plan *p;
	struct cd_err err;

	(void)state;
	fake_site(&c, "Europe/Berlin", "mon-fri 08:00-18:00");
	p = new_plan(HIP, &c, "Berlin", "2026-03-02T17:30:00Z"); /* 18:30, closed */
	assert_int_equal(plan_refused(p, &c, "2026-03-16", 10 * 60, &err), CD_REFUSED);
	assert_non_null(strstr(err.msg, "cannot place the call 14 days before the first course"
	    " between 2026-02-27 and 2026-03-02 at Berlin: "));
	assert_non_null(strstr(err.msg, "2026-03-01 Berlin is closed on Sundays; 2026-02-28 Berlin"
	    " is closed on Saturdays"));
	if (strstr(err.msg, "2026-03-02 is past") == NULL ||
	    strstr(err.msg, "2026-02-27 is past") == NULL)
		fail_msg("BUG: past days are not called past: %s", err.msg);
	free(p);

	p = kyiv_hip(&c, NOCALL, "2026-03-05T20:00:00Z");
	assert_int_equal(move(p, &c, find(p, STEP_INJECTION, 1, 0), "2026-03-12 10:00", false,
	    &err), CD_REFUSED);
	if (strstr(err.msg, "2026-03-02 to 2026-03-05 is past") == NULL)
		fail_msg("BUG: past days are not called past: %s", err.msg);
	free(p);
}

/* Visits that are done are history: a move that shifts what follows
 * leaves them where and as they are. */
static void
test_move_keeps_done_visits(void **state)
{
	struct fake_cal c;
	struct plan *p;
	struct cd_err err;
	int64_t before[PLAN_MAX_VISITS];
	int i, k;

	(void)state;
	p = kyiv_hip(&c, HIP, "2026-03-17T12:00:00Z");
	for (i = 0; i < p->n; i++) {
		if (p->v[i].start < p->now)
			p->v[i].fixed = true; /* call, harvest and course 1 are done */
	}
	assert_true(p->v[find(p, STEP_CALL, 0, 0)].fixed);
	assert_true(p->v[find(p, STEP_HARVEST, 0, 0)].fixed);
	assert_true(injection(p, 1)->fixed);
	for (k = 0; k < 3; k++)
		before[k] = p->v[k].start;
	if (move(p, &c, find(p, STEP_INJECTION, 2, 0), "2026-04-04 10:00", false, &err) != CD_OK)
		fail_msg("plan_move: %s", err.msg);
	for (k = 0; k < 3; k++) {
		assert_true(p->v[k].fixed);
		assert_false(p->v[k].changed);
		assert_int_equal(p->v[k].start, before[k]);
	}
	assert_string_equal(local_start(p, injection(p, 4)), "2026-05-02T10:00:00+03:00");
	free(p);
}

/* protocol.h: for a step before its anchor (call, harvest) "its window's
 * late end is a hard limit, its early end only where the planner looks".
 * So postponing course 1 by a week once the medication-stop call was
 * made and the harvest done keeps both where they were (the patient has
 * simply stopped the drugs longer, the cells waited longer) and shifts
 * what follows. */
static void
test_postpone_course1_after_call_and_harvest(void **state)
{
	struct fake_cal c;
	struct plan *p;
	struct cd_err err;
	int call, harvest;
	int64_t call_was, harvest_was;

	(void)state;
	p = kyiv_hip(&c, HIP, "2026-03-10T12:00:00Z");
	call = find(p, STEP_CALL, 0, 0);
	harvest = find(p, STEP_HARVEST, 0, 0);
	p->v[call].fixed = p->v[harvest].fixed = true;
	call_was = p->v[call].start;
	harvest_was = p->v[harvest].start;
	if (move(p, &c, find(p, STEP_INJECTION, 1, 0), "2026-03-23 10:00", false, &err) != CD_OK)
		fail_msg("BUG: postponing course 1 after the call and the harvest is refused: %s",
		    err.msg);
	assert_int_equal(p->v[find(p, STEP_CALL, 0, 0)].start, call_was);
	assert_int_equal(p->v[find(p, STEP_HARVEST, 0, 0)].start, harvest_was);
	assert_string_equal(local_start(p, injection(p, 2)), "2026-04-06T10:00:00+03:00");
	free(p);
}

/* --force: other bookings of the room and the patient do not block, and
 * the visit says it overlaps; an absence still does. */
static void
test_force(void **state)
{
	struct fake_cal c;
	struct plan *p;
	struct cd_err err;
	const struct plan_visit *v;
	int i;

	(void)state;
	fake_site(&c, "Europe/Berlin", "mon-fri 08:00-18:00");
	/* both rooms booked all through course 2's window, the patient at 10:00 */
	fake_taken(&c, ROOM_A, "2026-03-30 07:00", "2026-04-02 19:00", false);
	fake_taken(&c, ROOM_B, "2026-03-30 07:00", "2026-04-02 19:00", false);
	fake_taken(&c, 0, "2026-03-30 10:00", "2026-03-30 10:30", false);
	p = new_plan(HIP, &c, "Berlin", "2026-03-01T09:00:00Z");
	p->force = true;
	plan_ok(p, &c, "2026-03-16", 10 * 60);
	v = injection(p, 2);
	assert_string_equal(local_start(p, v), "2026-03-30T10:00:00+02:00");
	assert_int_equal(v->res[0], ROOM_A);
	assert_true(v->overlaps);
	for (i = 0; i < p->n; i++) {
		if (&p->v[i] != v)
			assert_false(p->v[i].overlaps);
	}
	free(p);

	/* without force that is a refusal */
	p = new_plan(HIP, &c, "Berlin", "2026-03-01T09:00:00Z");
	assert_int_equal(plan_refused(p, &c, "2026-03-16", 10 * 60, &err), CD_REFUSED);
	assert_non_null(strstr(err.msg, "2026-03-30 to 2026-04-02 no free room with ultrasound"
	    " or fluoroscopy"));
	free(p);

	/* the only clinician is away on the nominal day: force does not
	 * reach over that; the next day, over the rooms' bookings */
	fake_taken(&c, DR_WEBER, "2026-03-30 07:00", "2026-03-30 19:00", true);
	p = new_plan(HIP, &c, "Berlin", "2026-03-01T09:00:00Z");
	p->force = true;
	plan_ok(p, &c, "2026-03-16", 10 * 60);
	v = injection(p, 2);
	assert_string_equal(local_start(p, v), "2026-03-31T10:00:00+02:00");
	assert_int_equal(v->res[1], DR_WEBER);
	assert_true(v->overlaps);
	free(p);

	/* with a free time in the window, force takes it and overlaps nothing */
	fake_site(&c, "Europe/Berlin", "mon-fri 08:00-18:00");
	fake_taken(&c, ROOM_A, "2026-03-30 10:00", "2026-03-30 11:00", false);
	fake_taken(&c, ROOM_B, "2026-03-30 10:00", "2026-03-30 11:00", false);
	p = new_plan(HIP, &c, "Berlin", "2026-03-01T09:00:00Z");
	p->force = true;
	plan_ok(p, &c, "2026-03-16", 10 * 60);
	for (i = 0; i < p->n; i++)
		assert_false(p->v[i].overlaps);
	free(p);

	/* moving with force: onto a taken room, yes; onto an absence, no */
	fake_site(&c, "Europe/Berlin", "mon-fri 08:00-18:00");
	p = new_plan(HIP, &c, "Berlin", "2026-03-01T09:00:00Z");
	plan_ok(p, &c, "2026-03-16", 10 * 60);
	fake_taken(&c, ROOM_A, "2026-04-01 09:00", "2026-04-01 12:00", false);
	fake_taken(&c, ROOM_B, "2026-04-01 09:00", "2026-04-01 12:00", false);
	fake_taken(&c, DR_WEBER, "2026-04-02 08:00", "2026-04-02 18:00", true);
	assert_int_equal(move(p, &c, find(p, STEP_INJECTION, 2, 0), "2026-04-01 10:00", false,
	    &err), CD_REFUSED);
	assert_non_null(strstr(err.msg, "no free room with ultrasound or fluoroscopy"));
	p->force = true;
	if (move(p, &c, find(p, STEP_INJECTION, 2, 0), "2026-04-01 10:00", false, &err) != CD_OK)
		fail_msg("plan_move with force: %s", err.msg);
	v = injection(p, 2);
	assert_string_equal(local_start(p, v), "2026-04-01T10:00:00+02:00");
	assert_true(v->overlaps);
	assert_int_equal(move(p, &c, find(p, STEP_INJECTION, 2, 0), "2026-04-02 10:00", false,
	    &err), CD_REFUSED);
	assert_non_null(strstr(err.msg, "no free clinician"));
	free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_berlin_cycle_across_dst),
		cmocka_unit_test(test_zones_both_directions),
		cmocka_unit_test(test_transition_day_itself),
		cmocka_unit_test(test_closed_day_next_in_window),
		cmocka_unit_test(test_busy_room),
		cmocka_unit_test(test_patient_busy),
		cmocka_unit_test(test_no_slot_refusal),
		cmocka_unit_test(test_start_refusals),
		cmocka_unit_test(test_calls_take_no_time),
		cmocka_unit_test(test_harvest_per_course),
		cmocka_unit_test(test_move_cascade),
		cmocka_unit_test(test_move_this_only),
		cmocka_unit_test(test_move_after_postponement_this_only),
		cmocka_unit_test(test_move_after_postponement_keeps_it),
		cmocka_unit_test(test_move_refusals),
		cmocka_unit_test(test_move_course1_before_harvest),
		cmocka_unit_test(test_past_days_say_past),
		cmocka_unit_test(test_move_keeps_done_visits),
		cmocka_unit_test(test_postpone_course1_after_call_and_harvest),
		cmocka_unit_test(test_force),
	};

	unit_fixed_env();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
