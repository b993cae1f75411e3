/* demo_schedule.c - the demo's treatment calendar: holidays, absences,
 * and cycles of every installed protocol at every site, with visits in
 * the past (mostly done, a few missed or cancelled), today (some checked
 * in) and the future (booked, a few cancelled), some cycles cancelled.
 * Everything is placed relative to the ops clock, so the demo always has
 * a past and a future, and is the same for the same clock and seed.
 *
 * Each cycle is placed by the real planner (plan_cycle, what `course
 * book` runs) but on a calendar kept here in memory rather than read
 * from the database. Through the database calendar one cycle's slot
 * search takes about 5 ms on the large dataset (tests/bench/bench.sh,
 * in one process), so its 93,000 cycles would take some eight minutes
 * before a row is written; on the calendar here they all take about
 * 8 s, by the same rules. Opening hours and closures are still read from
 * the database (once per day), the candidates for each need too (once
 * per need and site); what is kept here is who is busy when. The rows
 * go in through db_cycle_insert and db_appt_insert (and, for a visit
 * that is no longer just booked, db_appt_set_status) inside the demo's
 * one transaction, and the schema's triggers would refuse any overlap
 * this calendar missed.
 *
 * Every cycle and visit has its audit record ("demo data") like every
 * other demo row. At large scale that is 1.1 million records: about a
 * fifth of the generator's two minutes and 590 MB of its 1.4 GB file.
 * They are kept: a clinic with that history would have at least that
 * much trail (booking writes a record per visit, each status change
 * another), and `audit verify` and the file size are measured on it. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/localtime.h"
#include "../core/planner.h"
#include "../core/protocol.h"
#include "../core/visit.h"
#include "../core/xalloc.h"
#include "demo.h"
#include "ops_sched.h"


#define DAY INT64_C(86400)
#define MAX_RES 64          /* resources at one site */
#define MAX_NEEDS 16        /* different needs in the protocols */
#define MAX_PROTOS 8

/* How much calendar each scale makes. Cycles are shared among the sites
 * by their weekly opening hours; first injections fall between today -
 * history and today + future days, busier towards today (the density
 * grows as 1 + growth * x over the span). */
struct scale {
	int64_t cycles;
	int history, future;
	double growth;
	bool vacations;     /* clinicians take weeks off (only where others stand in) */
};
static const struct scale small_scale = { 300, 420, 45, 4.0, false };
static const struct scale large_scale = { 95000, 2920, 120, 0.5, true };

/* First injections today and 2, 4 and 6 weeks ago (a course today),
 * tomorrow and the day after (reminders to call), in a week (a harvest
 * today) and in two weeks (the medication-stop call today), at every
 * site: the front desk always has a day to look at. */
static const int showcase_starts[] = { 0, -14, -28, -42, 1, 2, 7, 14, 15 };

static const char *const cycle_cancel_reasons[] = {
	"patient's wish: moved abroad", "adverse reaction after the first course",
	"insurance declined the treatment", "patient chose surgery instead",
	"clinician's decision: no response to the treatment" };
static const char *const patient_cancel_reasons[] = { "patient is ill",
	"patient is travelling", "patient asked for another day", "family emergency" };
static const char *const clinic_cancel_reasons[] = { "clinician ill", "equipment fault",
	"room out of service" };

/* --- the calendar in memory --- */

/* The spans in l that meet [from, to), onto out. */
static void
spans_out(const struct span_list *l, int64_t from, int64_t to, struct span_list *out)
{
	int i;

	for (i = 0; i < l->n; i++) {
		if (l->v[i].start < to && l->v[i].end > from)
			span_list_push(out, l->v[i].start, l->v[i].end, l->v[i].away);
	}
}

struct dres {
	int64_t id;
	struct span_list *day;     /* held visits by local day (index from day0) */
	struct span_list away;     /* absences */
};

struct dneed {
	struct proto_need need;
	int n;
	int64_t ids[PLAN_MAX_CANDIDATES];
};

struct dday {
	short open, close;
	bool known;
	char why[59];
};

struct dsite {
	struct ops *o;
	struct db_site site;
	int64_t now;            /* UTC seconds */
	int64_t today;          /* local day number */
	int64_t day0;           /* the first day kept here */
	int ndays;
	struct dday *days;
	int nres;
	struct dres res[MAX_RES];
	int nneeds;
	struct dneed needs[MAX_NEEDS];
	struct span_list *pt;      /* held visits (not calls) of every patient */
	int64_t patient;        /* index of the patient being planned */
	unsigned rot;           /* where this cycle starts in each candidate list */
	int64_t memo_from;      /* busy(): the last day asked, as its UTC start */
	int64_t memo_day;
};

static enum cd_status
cal_site_day(void *ctx, const struct cd_date *d, int *open, int *close, char *why,
    size_t whylen, struct cd_err *err)
{
	struct dsite *s = ctx;
	int64_t i = date_to_days(d) - s->day0;
	struct dday *x;
	enum cd_status st;
	char buf[sizeof x->why];

	if (i < 0 || i >= s->ndays)
		return db_site_day(s->o->db, s->site.id, d, open, close, why, whylen, err);
	x = &s->days[i];
	if (!x->known) {
		buf[0] = '\0';
		if ((st = db_site_day(s->o->db, s->site.id, d, open, close, buf, sizeof buf,
		    err)) != CD_OK)
			return st;
		x->open = (short)*open;
		x->close = (short)*close;
		memcpy(x->why, buf, sizeof x->why);
		x->known = true;
	}
	*open = x->open;
	*close = x->close;
	if (why != NULL && whylen > 0)
		snprintf(why, whylen, "%s", x->why);
	return CD_OK;
}

/* The demo gives no resource hours of its own: each keeps its site's. */
static enum cd_status
cal_resource_day(void *ctx, int64_t res, const struct cd_date *d, int *open, int *close,
    struct cd_err *err)
{
	(void)res;
	return cal_site_day(ctx, d, open, close, NULL, 0, err);
}

static bool
same_need(const struct proto_need *a, const struct proto_need *b)
{
	int i;

	if (a->kind != b->kind || a->ntags != b->ntags)
		return false;
	for (i = 0; i < a->ntags; i++) {
		if (strcmp(a->tags[i], b->tags[i]) != 0)
			return false;
	}
	return true;
}

/* The database's candidates for need, asked once. */
static enum cd_status
site_need(struct dsite *s, const struct proto_need *need, struct dneed **out,
    struct cd_err *err)
{
	struct dneed *x;
	enum cd_status st;
	int i;

	for (i = 0; i < s->nneeds; i++) {
		if (same_need(&s->needs[i].need, need)) {
			*out = &s->needs[i];
			return CD_OK;
		}
	}
	if (s->nneeds == MAX_NEEDS)
		return cd_fail(err, CD_EDATA, "the demo's protocols have more than %d needs",
		    MAX_NEEDS);
	x = &s->needs[s->nneeds];
	x->need = *need;
	if ((st = db_resource_candidates(s->o->db, s->site.id, res_kind_name(need->kind),
	    need->tags, need->ntags, x->ids, PLAN_MAX_CANDIDATES, &x->n, err)) != CD_OK)
		return st;
	s->nneeds++;
	*out = x;
	return CD_OK;
}

/* Each cycle tries the clinicians and rooms from a different one, so
 * the patients spread over them (the planner then keeps each patient's
 * clinician and room where it can). */
static enum cd_status
cal_candidates(void *ctx, const struct proto_need *need, int64_t *ids, int max, int *n,
    struct cd_err *err)
{
	struct dsite *s = ctx;
	struct dneed *x;
	enum cd_status st;
	int j;

	if ((st = site_need(s, need, &x, err)) != CD_OK)
		return st;
	*n = x->n < max ? x->n : max;
	for (j = 0; j < *n; j++)
		ids[j] = x->ids[(j + s->rot) % (unsigned)x->n];
	return CD_OK;
}

static struct dres *
site_res(struct dsite *s, int64_t id)
{
	int i;

	for (i = 0; i < s->nres; i++) {
		if (s->res[i].id == id)
			return &s->res[i];
	}
	return NULL;
}

/* The local day (index from day0) of UTC instant t. */
static int64_t
site_day_index(struct dsite *s, int64_t t)
{
	struct cd_local l;

	if (t != s->memo_from) {
		local_from_utc(s->site.tz, t, &l);
		s->memo_day = date_to_days(&l.date) - s->day0;
		s->memo_from = t;
	}
	return s->memo_day;
}

static enum cd_status
cal_busy(void *ctx, int64_t res, int64_t from, int64_t to, struct span_list *out,
    struct cd_err *err)
{
	struct dsite *s = ctx;
	struct dres *r;
	int64_t d, last;

	if (res == 0) {
		spans_out(&s->pt[s->patient], from, to, out);
		return CD_OK;
	}
	if ((r = site_res(s, res)) == NULL)
		return cd_fail(err, CD_EDATA, "the demo calendar has no resource %lld",
		    (long long)res);
	/* Visits lie within their local day; the planner asks for one day
	 * at a time, but any span is answered. */
	d = site_day_index(s, from);
	last = d + (to - from + DAY - 1) / DAY;
	for (; d <= last; d++) {
		if (d >= 0 && d < s->ndays)
			spans_out(&r->day[d], from, to, out);
	}
	spans_out(&r->away, from, to, out);
	return CD_OK;
}

/* --- closures and absences --- */

static void
easter(int y, struct cd_date *d)
{
	int a = y % 19, b = y / 100, c = y % 100, k = b / 4, e = b % 4, f = (b + 8) / 25;
	int g = (b - f + 1) / 3, h = (19 * a + b - k - g + 15) % 30, i = c / 4, q = c % 4;
	int l = (32 + 2 * e + 2 * i - h - q) % 7, m = (a + 11 * h + 22 * l) / 451;

	d->year = y;
	d->month = (h + l - 7 * m + 114) / 31;
	d->day = (h + l - 7 * m + 114) % 31 + 1;
}

static int64_t
ymd(int y, int m, int d)
{
	struct cd_date x;

	x.year = y;
	x.month = m;
	x.day = d;
	return date_to_days(&x);
}

/* The n-th (n > 0) or last (n < 0) weekday wd (0 = Monday) of month m. */
static int64_t
nth_weekday(int y, int m, int wd, int n)
{
	struct cd_date x;
	int64_t day;

	x.year = y;
	x.month = m;
	x.day = n > 0 ? 1 : date_days_in_month(y, m);
	day = date_to_days(&x);
	if (n > 0)
		return day + (wd - date_weekday(&x) + 7) % 7 + 7 * (n - 1);
	return day - (date_weekday(&x) - wd + 7) % 7;
}

struct holiday {
	int64_t day;
	const char *name;
};

/* The public holidays a site closes for in year y; returns how many. */
static int
holidays(const char *site, int y, struct holiday *h)
{
	struct cd_date e;
	int64_t ed;
	int n = 0;

#define HOLIDAY(dayno, what) (h[n].day = (dayno), h[n].name = (what), n++)
	if (strcmp(site, "Kyiv") == 0) {
		HOLIDAY(ymd(y, 1, 1), "New Year's Day");
		HOLIDAY(ymd(y, 3, 8), "International Women's Day");
		HOLIDAY(ymd(y, 6, 28), "Constitution Day");
		HOLIDAY(ymd(y, 8, 24), "Independence Day");
		HOLIDAY(ymd(y, 12, 25), "Christmas Day");
	} else if (strcmp(site, "Berlin") == 0) {
		easter(y, &e);
		ed = date_to_days(&e);
		HOLIDAY(ymd(y, 1, 1), "New Year's Day");
		HOLIDAY(ymd(y, 3, 8), "International Women's Day");
		HOLIDAY(ed - 2, "Good Friday");
		HOLIDAY(ed + 1, "Easter Monday");
		HOLIDAY(ymd(y, 5, 1), "Labour Day");
		HOLIDAY(ed + 39, "Ascension Day");
		HOLIDAY(ed + 50, "Whit Monday");
		HOLIDAY(ymd(y, 10, 3), "German Unity Day");
		HOLIDAY(ymd(y, 12, 25), "Christmas Day");
		HOLIDAY(ymd(y, 12, 26), "Boxing Day");
	} else if (strcmp(site, "New York") == 0) {
		HOLIDAY(ymd(y, 1, 1), "New Year's Day");
		HOLIDAY(nth_weekday(y, 5, 0, -1), "Memorial Day");
		HOLIDAY(ymd(y, 7, 4), "Independence Day");
		HOLIDAY(nth_weekday(y, 9, 0, 1), "Labor Day");
		HOLIDAY(nth_weekday(y, 11, 3, 4), "Thanksgiving");
		HOLIDAY(ymd(y, 12, 25), "Christmas Day");
	}
#undef HOLIDAY
	return n;
}

static enum cd_status
site_closures(struct dsite *s, const char *now, uint64_t *rng, struct cd_err *err)
{
	struct holiday h[16];
	struct cd_date a, b, d;
	enum cd_status st;
	int64_t id, last = s->day0 + s->ndays - 1;
	char day[11];
	int y, i, n;

	date_from_days(s->day0, &a);
	date_from_days(last, &b);
	for (y = a.year; y <= b.year; y++) {
		n = holidays(s->site.name, y, h);
		/* and a staff training day each year, on a weekday */
		h[n].day = ymd(y, 1, 1) + demo_rng_below(rng, 360);
		date_from_days(h[n].day, &d);
		if (date_weekday(&d) >= 5)
			h[n].day += 7 - date_weekday(&d);
		h[n++].name = "staff training day";
		for (i = 0; i < n; i++) {
			if (h[i].day < s->day0 || h[i].day > last)
				continue;
			date_from_days(h[i].day, &d);
			date_format(&d, day);
			if ((st = db_site_close(s->o->db, s->site.id, day, h[i].name, &id,
			    err)) != CD_OK)
				return st;
			if (id != 0 && (st = ops_audit_change(s->o, now, "insert", "site_closures",
			    id, day, NULL, "demo data", err)) != CD_OK)
				return st;
		}
	}
	return CD_OK;
}

/* Resource r is away from local day `day` at minute `from` for `days`
 * days until minute `to` of the last (to 0: its end). */
static enum cd_status
absence(struct dsite *s, const char *now, struct dres *r, int64_t day, int days, int from,
    int to, const char *reason, struct cd_err *err)
{
	struct cd_date a, b;
	int64_t start, end, id;
	enum cd_status st;
	char name[128];

	if (r == NULL)
		return cd_fail(err, CD_EDATA, "the demo calendar lost a resource");
	date_from_days(day, &a);
	date_from_days(day + days - (to > 0 ? 1 : 0), &b);
	if ((st = local_to_utc(s->site.tz, &a, from, &start, err)) != CD_OK ||
	    (st = local_to_utc(s->site.tz, &b, to, &end, err)) != CD_OK ||
	    (st = db_resource_absence_insert(s->o->db, r->id, start, end, reason, &id,
	    err)) != CD_OK ||
	    (st = db_resource_name(s->o->db, r->id, name, sizeof name, err)) != CD_OK ||
	    (st = ops_audit_change(s->o, now, "insert", "resource_absences", id, name, NULL,
	    "demo data", err)) != CD_OK)
		return st;
	span_list_push(&r->away, start, end, true);
	return CD_OK;
}

/* The next day from d that is not Friday to Sunday (a two-day absence
 * then stays within the week). */
static int64_t
early_weekday(int64_t d)
{
	struct cd_date x;

	date_from_days(d, &x);
	while (date_weekday(&x) >= 4)
		date_from_days(++d, &x);
	return d;
}

/* Conferences and holidays of the clinicians, service visits of the
 * MRI suites, and a few absences in the coming days. */
static enum cd_status
site_absences(struct dsite *s, const char *now, bool vacations, uint64_t *rng,
    struct cd_err *err)
{
	struct proto_need need;
	struct dneed *clin, *mri;
	struct dres *r;
	struct cd_date a, b;
	enum cd_status st;
	int64_t jan1, day, last = s->day0 + s->ndays - 1;
	int y, i, q;

	memset(&need, 0, sizeof need);
	need.kind = RES_CLINICIAN;
	if ((st = site_need(s, &need, &clin, err)) != CD_OK)
		return st;
	need.kind = RES_ROOM;
	need.ntags = 1;
	snprintf(need.tags[0], sizeof need.tags[0], "mri");
	if ((st = site_need(s, &need, &mri, err)) != CD_OK)
		return st;
	date_from_days(s->day0, &a);
	date_from_days(last, &b);
	for (y = a.year; y <= b.year; y++) {
		jan1 = ymd(y, 1, 1);
		for (i = 0; i < clin->n; i++) {
			r = site_res(s, clin->ids[i]);
			day = early_weekday(jan1 + demo_rng_below(rng, 355));
			if ((st = absence(s, now, r, day, 2, 0, 0, "conference", err)) != CD_OK)
				return st;
			if (!vacations)
				continue;
			/* two weeks in June to August, one in January or February,
			 * taken in turns: a few are away at a time */
			day = nth_weekday(y, 6, 0, 1) + 7 * ((i + y) % 10);
			if ((st = absence(s, now, r, day, 14, 0, 0, "annual leave", err)) != CD_OK)
				return st;
			day = nth_weekday(y, 1, 0, 2) + 7 * ((i + y) % 6);
			if ((st = absence(s, now, r, day, 7, 0, 0, "annual leave", err)) != CD_OK)
				return st;
		}
		for (i = 0; i < mri->n; i++) {
			for (q = 0; q < 4; q++) {
				day = early_weekday(jan1 + 91 * q + demo_rng_below(rng, 85));
				if ((st = absence(s, now, site_res(s, mri->ids[i]), day, 1, 8 * 60,
				    13 * 60, "service visit", err)) != CD_OK)
					return st;
			}
		}
	}
	/* Soon: a clinician on a course, a room being repaired. */
	if (clin->n > 0 && (st = absence(s, now, site_res(s, clin->ids[0]),
	    early_weekday(s->today + 6 + demo_rng_below(rng, 7)), 1, 0, 0, "training course",
	    err)) != CD_OK)
		return st;
	if (mri->n > 0 && (st = absence(s, now, site_res(s, mri->ids[0]),
	    early_weekday(s->today + 2 + demo_rng_below(rng, 4)), 1, 12 * 60, 15 * 60,
	    "cooling system repair", err)) != CD_OK)
		return st;
	return CD_OK;
}

/* --- the site's calendar in memory --- */

static void
site_free(struct dsite *s)
{
	int i, d;

	for (i = 0; i < s->nres; i++) {
		for (d = 0; d < s->ndays; d++)
			free(s->res[i].day[d].v);
		free(s->res[i].day);
		free(s->res[i].away.v);
	}
	free(s->days);
	s->nres = 0;
	s->days = NULL;
}

static enum cd_status
site_open(struct dsite *s, struct ops *o, int64_t site_id, int64_t now, int64_t first,
    int64_t last, struct span_list *pt, struct cd_err *err)
{
	static const char *const kinds[] = { "room", "device", "clinician" };
	int64_t ids[MAX_RES];
	struct cd_local l;
	enum cd_status st;
	size_t k;
	int i, n;

	memset(s, 0, sizeof *s);
	s->o = o;
	s->now = now;
	s->pt = pt;
	s->memo_from = -1;
	if ((st = db_site_get(o->db, site_id, &s->site, err)) != CD_OK)
		return st;
	local_from_utc(s->site.tz, now, &l);
	s->today = date_to_days(&l.date);
	s->day0 = s->today + first;
	s->ndays = (int)(last - first + 1);
	s->days = xcalloc((size_t)s->ndays, sizeof *s->days);
	for (k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		if ((st = db_resource_candidates(o->db, site_id, kinds[k], NULL, 0, ids, MAX_RES,
		    &n, err)) != CD_OK)
			return st;
		for (i = 0; i < n && s->nres < MAX_RES; i++) {
			s->res[s->nres].id = ids[i];
			s->res[s->nres].day = xcalloc((size_t)s->ndays, sizeof *s->res[0].day);
			s->nres++;
		}
	}
	return CD_OK;
}

/* Minutes the site is open in a week without holidays. */
static enum cd_status
weekly_minutes(struct ops *o, int64_t site_id, int64_t *minutes, struct cd_err *err)
{
	struct cd_date d;
	enum cd_status st;
	int open, close, i;

	*minutes = 0;
	for (i = 0; i < 7; i++) {
		date_from_days(4 + i, &d); /* 1970-01-05 was a Monday, long before any closure */
		if ((st = db_site_day(o->db, site_id, &d, &open, &close, NULL, 0, err)) != CD_OK)
			return st;
		*minutes += close - open;
	}
	return CD_OK;
}

/* --- cycles --- */

struct dproto {
	struct protocol p;
	int64_t id;
	char *body;     /* as booked: the canonical JSON */
};

struct dstart {
	int64_t day;
	int64_t order;
};

static int
cmp_start(const void *a, const void *b)
{
	const struct dstart *x = a, *y = b;

	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* The protocol a patient's condition calls for. */
static const struct dproto *
protocol_for(const struct dproto *pr, int npr, const char *cond)
{
	const char *want = "hip-autologous-4";
	int i;

	if (strstr(cond, "knee") != NULL || strstr(cond, "ACL") != NULL)
		want = "knee-donor-3";
	else if (strstr(cond, "tendin") != NULL || strstr(cond, "rotator") != NULL ||
	    strstr(cond, "elbow") != NULL)
		want = "tendon-autologous-3";
	for (i = 0; i < npr; i++) {
		if (strcmp(pr[i].p.name, want) == 0)
			return &pr[i];
	}
	return &pr[0];
}

/* What became of visit v (a step of kind k) by now, and why; cancel_at
 * (0: never) is when its cycle was cancelled. Harvests and injections
 * take place as booked (one that failed would have been moved, and the
 * demo does not move); a follow-up or a scan is now and then missed or
 * called off, a call now and then unanswered. */
static enum visit_status
visit_fate(const struct dsite *s, const struct plan_visit *v, enum step_kind k,
    int64_t cancel_at, uint64_t *rng, const char **reason)
{
	int64_t day = date_to_days(&v->day);
	bool call = k == STEP_CALL, chain = k == STEP_HARVEST || k == STEP_INJECTION;
	unsigned r = demo_rng_below(rng, 100);

	*reason = NULL;
	if (cancel_at != 0 && v->start > cancel_at)
		return VISIT_CANCELLED_BY_CLINIC;
	if (day < s->today) {
		if (chain || r < 80 || (call && r < 96))
			return VISIT_DONE;
		if (call || r < 89) {
			*reason = call ? "not reached by phone" : "did not come";
			return VISIT_NO_SHOW;
		}
		if (r < 97) {
			*reason = DEMO_PICK(rng, patient_cancel_reasons);
			return VISIT_CANCELLED_BY_PATIENT;
		}
		*reason = DEMO_PICK(rng, clinic_cancel_reasons);
		return VISIT_CANCELLED_BY_CLINIC;
	}
	if (day == s->today) {
		/* the front desk works through the day's calls */
		if (call)
			return v->start <= s->now && r < 25 ? VISIT_DONE : VISIT_BOOKED;
		if (v->end <= s->now) {
			if (r < 50)
				return VISIT_DONE;
			if (chain || r < 90)
				return VISIT_CHECKED_IN; /* not closed yet */
			*reason = "did not come";
			return VISIT_NO_SHOW;
		}
		if (v->start <= s->now || (v->start - s->now <= 45 * 60 && r < 50))
			return VISIT_CHECKED_IN;
		if (chain || r < 95)
			return VISIT_BOOKED;
		*reason = DEMO_PICK(rng, patient_cancel_reasons);
		return VISIT_CANCELLED_BY_PATIENT;
	}
	if (chain || call || r < 92)
		return VISIT_BOOKED;
	if (r < 97) {
		*reason = DEMO_PICK(rng, patient_cancel_reasons);
		return VISIT_CANCELLED_BY_PATIENT;
	}
	*reason = DEMO_PICK(rng, clinic_cancel_reasons);
	return VISIT_CANCELLED_BY_CLINIC;
}

/* Writes the planned cycle p of patient pt with its visits' fates, and
 * marks what they hold in the calendar. */
static enum cd_status
write_cycle(struct dsite *s, const char *now, const struct dproto *pr, int64_t pt,
    int64_t booked_at, struct plan *p, uint64_t *rng, struct cd_err *err)
{
	struct db_cycle c;
	struct db_appt a;
	const char *reason, *cycle_reason = NULL;
	enum visit_status vs;
	enum cd_status st;
	int64_t cycle_id, id, cancel_at = 0, hi;
	char key[32];
	int i, j;

	/* One in 25 cycles was called off, some time between its booking
	 * and now. */
	hi = p->v[p->n - 1].start < s->now ? p->v[p->n - 1].start : s->now;
	if (demo_rng_below(rng, 25) == 0 && hi > booked_at) {
		cancel_at = booked_at + (int64_t)(demo_rng_next(rng) % (uint64_t)(hi - booked_at));
		cycle_reason = DEMO_PICK(rng, cycle_cancel_reasons);
	}
	memset(&c, 0, sizeof c);
	c.patient_id = pt;
	c.protocol_id = pr->id;
	c.site_id = s->site.id;
	c.body = pr->body;
	snprintf(c.source, sizeof c.source, "%s", cell_source_name(p->source));
	c.courses = p->courses;
	c.gap_days = p->gap_days;
	if ((st = db_cycle_insert(s->o->db, &c, now, &cycle_id, err)) != CD_OK ||
	    (cycle_reason != NULL && (st = db_cycle_set_status(s->o->db, cycle_id, "cancelled",
	    cycle_reason, now, err)) != CD_OK))
		return st;
	snprintf(key, sizeof key, "%lld", (long long)cycle_id);
	if ((st = ops_audit_change(s->o, now, "insert", "cycles", cycle_id, key, NULL,
	    "demo data", err)) != CD_OK)
		return st;
	for (i = 0; i < p->n; i++) {
		const struct plan_visit *v = &p->v[i];
		const struct proto_step *step = &pr->p.steps[v->step_no];
		bool call = step->kind == STEP_CALL;

		vs = visit_fate(s, v, step->kind, cancel_at, rng, &reason);
		if (vs == VISIT_CANCELLED_BY_CLINIC && cancel_at != 0 && v->start > cancel_at)
			reason = cycle_reason;
		memset(&a, 0, sizeof a);
		a.cycle_id = cycle_id;
		a.course = v->course;
		a.step_no = v->step_no;
		snprintf(a.step, sizeof a.step, "%s", step_kind_name(step->kind));
		a.patient_id = pt;
		a.site_id = s->site.id;
		snprintf(a.tz, sizeof a.tz, "%s", s->site.tz);
		date_format(&v->day, a.local_day);
		a.start = v->start;
		a.end = v->end;
		a.nres = v->nres;
		memcpy(a.res, v->res, sizeof a.res);
		snprintf(a.note, sizeof a.note, "%s", step->note);
		if ((st = db_appt_insert(s->o->db, &a, NULL, now, &id, err)) != CD_OK ||
		    (vs != VISIT_BOOKED && (st = db_appt_set_status(s->o->db, id,
		    visit_status_name(vs), visit_status_holds(vs), reason, now, err)) != CD_OK))
			return st;
		snprintf(key, sizeof key, "%lld", (long long)id);
		if ((st = ops_audit_change(s->o, now, "insert", "appointments", id, key, NULL,
		    "demo data", err)) != CD_OK)
			return st;
		if (!visit_status_holds(vs))
			continue;
		if (!call)
			span_list_push(&s->pt[s->patient], v->start, v->end, false);
		for (j = 0; j < v->nres; j++) {
			struct dres *r = site_res(s, v->res[j]);
			int64_t d = date_to_days(&v->day) - s->day0;

			if (r == NULL || d < 0 || d >= s->ndays)
				return cd_fail(err, CD_EDATA, "demo visit outside its calendar");
			span_list_push(&r->day[d], v->start, v->end, false);
		}
	}
	return CD_OK;
}

/* x in [0, 1) for u in [0, 1) when x has density 1 + g x (normalised):
 * the root of g/2 x^2 + x - u (1 + g/2), by Newton's method (no libm). */
static double
ramp(double u, double g)
{
	double c = u * (1 + g / 2), x = u;
	int i;

	for (i = 0; i < 30; i++)
		x -= (g / 2 * x * x + x - c) / (g * x + 1);
	return x < 0 ? 0 : x >= 1 ? 0.999999 : x;
}

/* The days of the site's first injections: ncyc of them spread over the
 * scale's span (busier towards today), each day as likely as its opening
 * hours make it (a Saturday morning gets fewer than a Monday, a holiday
 * none), the coming months thinning out as bookings do, and the
 * showcase days. Sorted; *n says how many. */
static enum cd_status
site_starts(struct dsite *s, const struct scale *sc, int64_t ncyc, struct dstart *starts,
    int64_t *n, uint64_t *rng, struct cd_err *err)
{
	const int64_t span = sc->history + sc->future + 1;
	struct cd_date d;
	enum cd_status st;
	int64_t i, day, at;
	int open, close, most = 1, tries;
	size_t j;

	for (i = 0; i < 7; i++) {
		date_from_days(4 + i, &d); /* 1970-01-05 was a Monday, long before any closure */
		if ((st = cal_site_day(s, &d, &open, &close, NULL, 0, err)) != CD_OK)
			return st;
		if (close - open > most)
			most = close - open;
	}
	*n = 0;
	for (i = 0; i < ncyc; i++) {
		double u = ((double)i + (double)(demo_rng_next(rng) >> 11) / 9007199254740992.0) /
		    (double)ncyc;

		at = s->today - sc->history + (int64_t)(ramp(u, sc->growth) * (double)span);
		for (tries = 0, day = at; tries < 30; tries++) {
			day = at + (tries == 0 ? 0 : (int64_t)demo_rng_below(rng, 7) - 3);
			date_from_days(day, &d);
			if ((st = cal_site_day(s, &d, &open, &close, NULL, 0, err)) != CD_OK)
				return st;
			if (close > open && (int)demo_rng_below(rng, (unsigned)most) < close - open)
				break;
		}
		if (day > s->today && demo_rng_below(rng, (unsigned)sc->future + 30) < day - s->today)
			continue;
		starts[*n].day = day;
		starts[*n].order = i;
		(*n)++;
	}
	for (j = 0; j < sizeof showcase_starts / sizeof showcase_starts[0]; j++) {
		starts[*n].day = s->today + showcase_starts[j];
		starts[*n].order = ncyc + (int64_t)j;
		(*n)++;
	}
	qsort(starts, (size_t)*n, sizeof *starts, cmp_start);
	return CD_OK;
}

/* Plans and writes the site's cycles, first injections on the days in
 * starts (sorted), for the site's patients in order (a list that wraps
 * round: a patient may come back years later). */
static enum cd_status
site_cycles(struct dsite *s, const char *now, const struct dproto *pr, int npr,
    const struct dstart *starts, int64_t nstarts, const int64_t *pts, int64_t npts_site,
    const int64_t *pt_id, const char *const *pt_cond, struct plan *p, uint64_t *rng,
    struct cd_err *err)
{
	struct plan_calendar cal;
	const struct dproto *proto;
	struct cd_date d;
	enum cd_status st;
	int64_t k, pi, booked_at;
	int attempt, open, close, minute;

	cal.ctx = s;
	cal.site_day = cal_site_day;
	cal.candidates = cal_candidates;
	cal.resource_day = cal_resource_day;
	cal.busy = cal_busy;
	for (k = 0; k < nstarts; k++) {
		pi = pts[k % npts_site];
		proto = protocol_for(pr, npr, pt_cond[pi]);
		s->patient = pi;
		s->rot = demo_rng_below(rng, 1000);
		st = CD_REFUSED;
		/* Try the day, else the days after it: a closed day or a full
		 * calendar moves the start as the front desk would. */
		for (attempt = 0; attempt < 21 && st == CD_REFUSED; attempt++) {
			date_from_days(starts[k].day + attempt, &d);
			if ((st = cal_site_day(s, &d, &open, &close, NULL, 0, err)) != CD_OK)
				return st;
			st = CD_REFUSED;
			if (close - open < 60)
				continue;
			minute = open + 15 * (int)demo_rng_below(rng,
			    (unsigned)(close - open - 45) / 15);
			memset(p, 0, sizeof *p);
			p->proto = &proto->p;
			snprintf(p->zone, sizeof p->zone, "%s", s->site.tz);
			snprintf(p->site_name, sizeof p->site_name, "%s", s->site.name);
			p->source = proto->p.source == SOURCE_DONOR ? SOURCE_DONOR :
			    SOURCE_AUTOLOGOUS;
			p->courses = proto->p.courses;
			p->gap_days = proto->p.gap_days;
			/* booked some weeks ahead, before its first call */
			booked_at = (date_to_days(&d) - 25) * DAY;
			p->now = booked_at < s->now ? booked_at : s->now;
			st = plan_cycle(p, &cal, &d, minute, err);
		}
		if (st == CD_REFUSED)
			continue; /* three weeks without room: the patient goes elsewhere */
		if (st != CD_OK ||
		    (st = write_cycle(s, now, proto, pt_id[pi], p->now, p, rng, err)) != CD_OK)
			return st;
	}
	return CD_OK;
}

static enum cd_status
load_protocols(struct ops *o, struct dproto *pr, int *npr, struct cd_err *err)
{
	struct protocol def;
	enum cd_status st;
	char *body;
	int i;

	*npr = 0;
	for (i = 0; protocol_defaults[i] != NULL && *npr < MAX_PROTOS; i++) {
		if (protocol_parse(protocol_defaults[i], &def, err) != CD_OK)
			return cd_fail(err, CD_EDATA, "a default protocol cannot be read: %s",
			    err->msg);
		if ((st = db_protocol_get(o->db, def.name, &pr[*npr].id, &body, err)) != CD_OK)
			return st;
		if (pr[*npr].id == 0)
			continue;
		st = protocol_parse(body, &pr[*npr].p, err);
		free(body);
		if (st != CD_OK)
			return cd_fail(err, CD_EDATA, "stored protocol %s cannot be read: %s",
			    def.name, err->msg);
		pr[*npr].body = protocol_to_json(&pr[*npr].p);
		(*npr)++;
	}
	if (*npr == 0)
		return cd_fail(err, CD_EDATA, "no protocol is installed; run celldesk init first");
	return CD_OK;
}

enum cd_status
demo_schedule(struct ops *o, const char *now, bool large, const int64_t *site_ids,
    unsigned nsites, const int64_t *pt_id, const unsigned char *pt_site,
    const char *const *pt_cond, int64_t npts, uint64_t *rng, struct cd_err *err)
{
	const struct scale *sc = large ? &large_scale : &small_scale;
	const int64_t nshow = sizeof showcase_starts / sizeof showcase_starts[0];
	struct dproto pr[MAX_PROTOS];
	struct dsite *s = xcalloc(1, sizeof *s);
	struct plan *p = xcalloc(1, sizeof *p);
	struct span_list *pt = xcalloc((size_t)npts, sizeof *pt);
	int64_t *pts = xcalloc((size_t)npts, sizeof *pts);
	struct dstart *starts = NULL;
	int64_t t, minutes[16], total = 0, ncyc, nstarts, npts_site, i;
	enum cd_status st = CD_OK;
	int npr = 0;
	unsigned si;

	memset(pr, 0, sizeof pr);
	/* Whole 5-minute steps: two runs within one step of the clock give
	 * the same calendar (visits start on a 5-minute grid). */
	t = o->clock_ms() / 1000;
	t -= t % 300;
	if (nsites > 16)
		st = cd_fail(err, CD_EDATA, "the demo has at most 16 sites");
	for (si = 0; st == CD_OK && si < nsites; si++) {
		st = weekly_minutes(o, site_ids[si], &minutes[si], err);
		total += minutes[si];
	}
	if (st == CD_OK)
		st = load_protocols(o, pr, &npr, err);
	for (si = 0; st == CD_OK && si < nsites; si++) {
		if ((st = site_open(s, o, site_ids[si], t, -sc->history - 30,
		    sc->future + 300, pt, err)) != CD_OK ||
		    (st = site_closures(s, now, rng, err)) != CD_OK ||
		    (st = site_absences(s, now, sc->vacations, rng, err)) != CD_OK)
			break;
		/* The site's patients in the order they registered (MRN): the
		 * first treated first. */
		for (i = npts_site = 0; i < npts; i++) {
			if (pt_site[i] == si)
				pts[npts_site++] = i;
		}
		ncyc = total > 0 ? sc->cycles * minutes[si] / total : 0;
		starts = xrealloc(starts, (size_t)(ncyc + (int64_t)nshow) * sizeof *starts);
		if ((st = site_starts(s, sc, ncyc, starts, &nstarts, rng, err)) != CD_OK)
			break;
		if (npts_site > 0)
			st = site_cycles(s, now, pr, npr, starts, nstarts, pts, npts_site, pt_id,
			    pt_cond, p, rng, err);
		site_free(s);
	}
	site_free(s);
	for (i = 0; i < npts; i++)
		free(pt[i].v);
	for (i = 0; i < npr; i++)
		free(pr[i].body);
	free(starts);
	free(pts);
	free(pt);
	free(p);
	free(s);
	return st;
}
