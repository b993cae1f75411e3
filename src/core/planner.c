/* planner.c - the slot search behind booking a cycle and moving a visit.
 *
 * A step is tried on its nominal day (its anchor's day plus its offset)
 * at its preferred minute, then later that day, then earlier that day;
 * then on later days up to its window's end, then on earlier days back
 * to its window's start, nearest first. A time fits when the site and
 * every needed resource are open, the resources and the patient are free
 * (calls take no one's time), and it lies after now. When nothing fits,
 * the refusal says, day by day, what stood in the way. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "localtime.h"
#include "planner.h"
#include "strbuf.h"
#include "xalloc.h"

#define SLOT_GRID 5          /* minutes */

void
span_list_push(struct span_list *l, int64_t start, int64_t end, bool away)
{
	if (l->n == l->cap) {
		l->cap = l->cap == 0 ? 16 : l->cap * 2;
		l->v = xrealloc(l->v, (size_t)l->cap * sizeof *l->v);
	}
	l->v[l->n].start = start;
	l->v[l->n].end = end;
	l->v[l->n].away = away;
	l->n++;
}

void
span_list_free(struct span_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

static const char *const weekday_names[] = { "Monday", "Tuesday", "Wednesday", "Thursday",
	"Friday", "Saturday", "Sunday" };

/* Why a time did not fit, in the order the checks run: the furthest any
 * time of a day got is what that day's note reports. */
enum fail { FAIL_CLOSED, FAIL_HOURS, FAIL_PAST, FAIL_PATIENT, FAIL_NEED };

struct res_day {
	int open, close;
	struct span_list busy;
};

struct search {
	struct plan *p;
	const struct plan_calendar *cal;
	int vi;
	const struct proto_step *step;
	bool exact;          /* only the preferred minute (an explicit move) */
	bool ignore_plan;    /* the plan's own visits do not block (see plan_move) */
	bool force;          /* this pass lets bookings overlap (absences still block) */
	int ncand[PROTO_MAX_NEEDS];
	int64_t cand[PROTO_MAX_NEEDS][PLAN_MAX_CANDIDATES];
	struct res_day rd[PROTO_MAX_NEEDS][PLAN_MAX_CANDIDATES];
	struct span_list patient;
	struct strbuf *notes;
	char last_note[400];
	int64_t note_from, note_to; /* days with last_note, not yet written */
	int nnotes;
};

static int64_t
day_number(const struct cd_date *d)
{
	return date_to_days(d);
}

static bool
spans_block(const struct span_list *l, int64_t s, int64_t e, bool force)
{
	int i;

	for (i = 0; i < l->n; i++) {
		if (l->v[i].start < e && l->v[i].end > s && (l->v[i].away || !force))
			return true;
	}
	return false;
}

static bool
visit_takes_patient(const struct plan *p, const struct plan_visit *v)
{
	return p->proto->steps[v->step_no].kind != STEP_CALL;
}

/* Does another visit of the plan take res (0: the patient) during [s, e)? */
static bool
plan_blocks(const struct plan *p, int vi, int64_t res, int64_t s, int64_t e)
{
	int i, r;

	for (i = 0; i < p->n; i++) {
		const struct plan_visit *o = &p->v[i];

		if (i == vi || !o->active || o->start == 0 || o->start >= e || o->end <= s)
			continue;
		if (res == 0) {
			if (visit_takes_patient(p, o))
				return true;
			continue;
		}
		for (r = 0; r < o->nres; r++) {
			if (o->res[r] == res)
				return true;
		}
	}
	return false;
}

static void
search_clear_day(struct search *q)
{
	int i, j;

	for (i = 0; i < PROTO_MAX_NEEDS; i++) {
		for (j = 0; j < PLAN_MAX_CANDIDATES; j++)
			q->rd[i][j].busy.n = 0;
	}
	q->patient.n = 0;
}

static enum cd_status
search_load_day(struct search *q, const struct cd_date *d, struct cd_err *err)
{
	const struct plan_calendar *cal = q->cal;
	int64_t from, to;
	int i, j;
	enum cd_status st;

	search_clear_day(q);
	if ((st = local_day_span(q->p->zone, d, &from, &to, err)) != CD_OK)
		return st;
	if (q->step->kind != STEP_CALL &&
	    (st = cal->busy(cal->ctx, 0, from, to, &q->patient, err)) != CD_OK)
		return st;
	for (i = 0; i < q->step->nneeds; i++) {
		for (j = 0; j < q->ncand[i]; j++) {
			struct res_day *r = &q->rd[i][j];

			if ((st = cal->resource_day(cal->ctx, q->cand[i][j], d, &r->open, &r->close,
			    err)) != CD_OK ||
			    (st = cal->busy(cal->ctx, q->cand[i][j], from, to, &r->busy, err)) != CD_OK)
				return st;
		}
	}
	return CD_OK;
}

/* The index among need i's candidates of a resource the visit already
 * has (it keeps its rooms and clinician when it can), or -1. */
static int
current_candidate(const struct search *q, const struct plan_visit *v, int i)
{
	int j, r;

	for (j = 0; j < q->ncand[i]; j++) {
		for (r = 0; r < v->nres; r++) {
			if (q->cand[i][j] == v->res[r])
				return j;
		}
	}
	return -1;
}

/* Tries minute m of day d; on success fills the visit. *fail and *need
 * say how far it got otherwise. */
static bool
search_try(struct search *q, const struct cd_date *d, int m, int open, int close,
    int *fail, int *need)
{
	struct plan *p = q->p;
	struct plan_visit *v = &p->v[q->vi];
	int dur = q->step->minutes, i, j, k, order;
	int64_t s, e, chosen[PROTO_MAX_NEEDS];
	bool overlaps = false;
	struct cd_err ignored;

	*fail = FAIL_HOURS;
	if (m < open || m + dur > close)
		return false;
	if (local_to_utc(p->zone, d, m, &s, &ignored) != CD_OK)
		return false; /* a minute the clocks skip */
	e = s + (int64_t)dur * 60;
	*fail = FAIL_PAST;
	if (s <= p->now)
		return false;
	*fail = FAIL_PATIENT;
	if (q->step->kind != STEP_CALL) {
		if (spans_block(&q->patient, s, e, q->force) ||
		    (!q->ignore_plan && plan_blocks(p, q->vi, 0, s, e)))
			return false;
		overlaps = spans_block(&q->patient, s, e, false);
	}
	*fail = FAIL_NEED;
	for (i = 0; i < q->step->nneeds; i++) {
		chosen[i] = 0;
		/* The resource the visit already has comes first, then the list. */
		for (order = -1; order < q->ncand[i] && chosen[i] == 0; order++) {
			const struct res_day *r;
			int64_t id;

			if (order < 0) {
				if ((j = current_candidate(q, v, i)) < 0)
					continue;
			} else {
				j = order;
			}
			id = q->cand[i][j];
			r = &q->rd[i][j];
			for (k = 0; k < i && chosen[k] != id; k++)
				;
			if (k < i || m < r->open || m + dur > r->close ||
			    spans_block(&r->busy, s, e, q->force) ||
			    (!q->ignore_plan && plan_blocks(p, q->vi, id, s, e)))
				continue;
			chosen[i] = id;
			if (spans_block(&r->busy, s, e, false))
				overlaps = true;
		}
		if (chosen[i] == 0) {
			*need = i;
			return false;
		}
	}
	v->day = *d;
	v->minute = m;
	v->start = s;
	v->end = e;
	v->nres = q->step->nneeds;
	memcpy(v->res, chosen, sizeof chosen);
	v->overlaps = overlaps;
	return true;
}

static void
search_flush_note(struct search *q)
{
	struct cd_date a, b;
	char da[11], db[11];

	if (q->last_note[0] == '\0')
		return;
	date_from_days(q->note_from, &a);
	date_from_days(q->note_to, &b);
	date_format(&a, da);
	date_format(&b, db);
	if (q->nnotes++ > 0)
		strbuf_adds(q->notes, "; ");
	if (q->note_from == q->note_to)
		strbuf_addf(q->notes, "%s %s", da, q->last_note);
	else
		strbuf_addf(q->notes, "%s to %s %s", da, db, q->last_note);
	q->last_note[0] = '\0';
}

/* Records why day (a day number) had no time; equal notes on adjacent
 * days merge into one range. */
static void
search_note(struct search *q, int64_t day, const char *note)
{
	if (q->last_note[0] != '\0' && strcmp(q->last_note, note) == 0 &&
	    (day == q->note_to + 1 || day == q->note_from - 1)) {
		if (day > q->note_to)
			q->note_to = day;
		else
			q->note_from = day;
		return;
	}
	search_flush_note(q);
	snprintf(q->last_note, sizeof q->last_note, "%s", note);
	q->note_from = q->note_to = day;
}

static void
describe_fail(struct search *q, int fail, int need, char *buf, size_t n)
{
	char what[128];

	switch (fail) {
	case FAIL_PAST:
		snprintf(buf, n, "is past");
		break;
	case FAIL_HOURS:
		snprintf(buf, n, "has no %d minutes within the opening hours", q->step->minutes);
		break;
	case FAIL_PATIENT:
		snprintf(buf, n, "the patient has other visits");
		break;
	default:
		proto_need_describe(&q->step->needs[need], what, sizeof what);
		snprintf(buf, n, "no free %s", what);
		break;
	}
}

/* Searches one day; CD_OK with *found set either way. */
static enum cd_status
search_day(struct search *q, int64_t dayno, int pref, bool *found, struct cd_err *err)
{
	struct cd_date d;
	char why[256], note[400];
	int open, close, m, start, best = -1, best_need = 0, fail, need = 0;
	enum cd_status st;

	*found = false;
	date_from_days(dayno, &d);
	why[0] = '\0';
	if ((st = q->cal->site_day(q->cal->ctx, &d, &open, &close, why, sizeof why, err)) !=
	    CD_OK)
		return st;
	if (open >= close) {
		if (why[0] != '\0')
			snprintf(note, sizeof note, "%s is closed (%s)", q->p->site_name, why);
		else
			snprintf(note, sizeof note, "%s is closed on %ss", q->p->site_name,
			    weekday_names[date_weekday(&d)]);
		search_note(q, dayno, note);
		return CD_OK;
	}
	if ((st = search_load_day(q, &d, err)) != CD_OK)
		return st;
	if (pref < 0)
		pref = open;
	start = (pref + SLOT_GRID - 1) / SLOT_GRID * SLOT_GRID;
	/* From the preferred minute to closing, then from opening up to it. */
	for (m = start; m < 24 * 60; m += SLOT_GRID) {
		if (search_try(q, &d, m, open, close, &fail, &need)) {
			*found = true;
			return CD_OK;
		}
		if (fail > best || (fail == best && need > best_need)) {
			best = fail;
			best_need = need;
		}
		if (q->exact || m + q->step->minutes > close)
			break;
	}
	for (m = (open + SLOT_GRID - 1) / SLOT_GRID * SLOT_GRID; !q->exact && m < start;
	    m += SLOT_GRID) {
		if (search_try(q, &d, m, open, close, &fail, &need)) {
			*found = true;
			return CD_OK;
		}
		if (fail > best || (fail == best && need > best_need)) {
			best = fail;
			best_need = need;
		}
	}
	describe_fail(q, best < 0 ? FAIL_HOURS : best, best_need, note, sizeof note);
	search_note(q, dayno, note);
	return CD_OK;
}

static enum cd_status
search_init(struct search *q, struct plan *p, const struct plan_calendar *cal, int vi,
    struct cd_err *err)
{
	int i;
	enum cd_status st;

	memset(q, 0, sizeof *q);
	q->p = p;
	q->cal = cal;
	q->vi = vi;
	q->step = &p->proto->steps[p->v[vi].step_no];
	for (i = 0; i < q->step->nneeds; i++) {
		if ((st = cal->candidates(cal->ctx, &q->step->needs[i], q->cand[i],
		    PLAN_MAX_CANDIDATES, &q->ncand[i], err)) != CD_OK)
			return st;
	}
	return CD_OK;
}

static void
search_free(struct search *q)
{
	int i, j;

	for (i = 0; i < PROTO_MAX_NEEDS; i++) {
		for (j = 0; j < PLAN_MAX_CANDIDATES; j++)
			span_list_free(&q->rd[i][j].busy);
	}
	span_list_free(&q->patient);
}

/* Places visit vi on a day in [lo, hi] (day numbers), nominal first;
 * pref is the preferred minute (< 0: opening time). */
static enum cd_status
place(struct plan *p, const struct plan_calendar *cal, int vi, int64_t lo, int64_t hi,
    int64_t nominal, int pref, bool exact, struct cd_err *err)
{
	struct search *q = xcalloc(1, sizeof *q);
	struct strbuf notes = STRBUF_INIT;
	int64_t day;
	bool found = false;
	char what[96], from[11], to[11];
	struct cd_date d;
	enum cd_status st;

	if ((st = search_init(q, p, cal, vi, err)) != CD_OK)
		goto out;
	q->exact = exact;
	q->notes = &notes;
	/* A forced booking overlaps others only where no free time exists. */
	for (q->force = false;; q->force = true) {
		for (day = nominal < lo ? lo : nominal; day <= hi && !found; day++) {
			if ((st = search_day(q, day, pref, &found, err)) != CD_OK)
				goto out;
		}
		for (day = (nominal > hi ? hi : nominal - 1); day >= lo && !found; day--) {
			if ((st = search_day(q, day, pref, &found, err)) != CD_OK)
				goto out;
		}
		if (found)
			goto out;
		if (q->force || !p->force)
			break;
		search_flush_note(q);
		strbuf_reset(&notes);
		q->nnotes = 0;
	}
	search_flush_note(q);
	step_describe(q->step, p->v[vi].course > 0 ? p->v[vi].course : p->v[vi].anchor_course,
	    what, sizeof what);
	date_from_days(lo, &d);
	date_format(&d, from);
	date_from_days(hi, &d);
	date_format(&d, to);
	if (lo == hi)
		st = cd_fail(err, CD_REFUSED, "cannot place %s on %s at %s: %s", what, from,
		    p->site_name, strbuf_str(&notes));
	else
		st = cd_fail(err, CD_REFUSED, "cannot place %s between %s and %s at %s: %s", what,
		    from, to, p->site_name, strbuf_str(&notes));
out:
	search_free(q);
	free(q);
	strbuf_free(&notes);
	return st;
}

/* --- the cycle's shape --- */

static int
find_injection(const struct plan *p, int course)
{
	int i;

	for (i = 0; i < p->n; i++) {
		if (p->v[i].step_no == p->proto->injection && p->v[i].course == course &&
		    p->v[i].active)
			return i;
	}
	return -1;
}

/* The previous course's injection still taking place, or -1. */
static int
previous_injection(const struct plan *p, int course)
{
	int k, i;

	for (k = course - 1; k >= 1; k--) {
		if ((i = find_injection(p, k)) >= 0)
			return i;
	}
	return -1;
}

/* The days [lo, hi] where visit vi may be, and its nominal day, given
 * the visits it hangs off as they are now. False when its anchor is not
 * taking place (nothing to keep it near). */
static bool
allowed_days(const struct plan *p, int vi, int64_t *lo, int64_t *hi, int64_t *nominal)
{
	const struct plan_visit *v = &p->v[vi];
	const struct proto_step *s = &p->proto->steps[v->step_no];
	int a;

	if (v->step_no == p->proto->injection) {
		if ((a = previous_injection(p, v->course)) < 0)
			return false;
		*nominal = day_number(&p->v[a].day) + p->gap_days;
		*lo = *nominal + s->win_before;
		*hi = *nominal + s->win_after;
		return true;
	}
	if ((a = find_injection(p, v->anchor_course)) < 0)
		return false;
	*nominal = day_number(&p->v[a].day) + s->offset_days;
	*lo = *nominal + s->win_before;
	*hi = *nominal + s->win_after;
	return true;
}

static int
pref_minute(const struct plan *p, int vi)
{
	const struct plan_visit *v = &p->v[vi];
	int a;

	if (p->proto->steps[v->step_no].kind == STEP_CALL)
		return -1;
	if (v->start != 0)
		return v->minute;
	a = find_injection(p, v->step_no == p->proto->injection ? 1 : v->anchor_course);
	return a >= 0 && p->v[a].start != 0 ? p->v[a].minute : -1;
}

/* A new visit first tries the rooms and clinician of the same step's
 * last visit, else those of the first injection: the patient keeps the
 * same clinician where the calendar allows. */
static void
seed_resources(struct plan *p, int vi)
{
	struct plan_visit *v = &p->v[vi];
	int i, from = 0;

	for (i = vi - 1; i > 0; i--) {
		if (p->v[i].step_no == v->step_no && p->v[i].start != 0) {
			from = i;
			break;
		}
	}
	v->nres = p->v[from].nres;
	memcpy(v->res, p->v[from].res, sizeof v->res);
}

static int
add_visit(struct plan *p, int step_no, int course, int anchor_course)
{
	struct plan_visit *v = &p->v[p->n];

	memset(v, 0, sizeof *v);
	v->step_no = step_no;
	v->course = course;
	v->anchor_course = anchor_course;
	v->active = true;
	return p->n++;
}

static int
cmp_visit(const void *a, const void *b)
{
	const struct plan_visit *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->step_no - y->step_no;
}

void
plan_sort(struct plan *p)
{
	qsort(p->v, (size_t)p->n, sizeof p->v[0], cmp_visit);
}

/* A step due before course 1 (the medication-stop call, the harvest)
 * must not fall before today: say so, and from when a start works. */
static enum cd_status
check_lead_time(const struct plan *p, int64_t s0, int64_t today, struct cd_err *err)
{
	const struct protocol *proto = p->proto;
	char what[96], by[11], from[11];
	struct cd_date d;
	int i;

	for (i = 0; i < proto->nsteps; i++) {
		const struct proto_step *s = &proto->steps[i];
		int64_t latest = s0 + s->offset_days + s->win_after;

		if (!protocol_step_is_before(s) || s->anchor == ANCHOR_LAST ||
		    !protocol_step_applies(s, p->source) || latest >= today)
			continue;
		step_describe(s, 1, what, sizeof what);
		date_from_days(latest, &d);
		date_format(&d, by);
		date_from_days(today - s->offset_days - s->win_after, &d);
		date_format(&d, from);
		return cd_fail(err, CD_REFUSED, "%s would have to be by %s, which is past; start"
		    " on %s or later", what, by, from);
	}
	return CD_OK;
}

enum cd_status
plan_cycle(struct plan *p, const struct plan_calendar *cal, const struct cd_date *start,
    int minute, struct cd_err *err)
{
	const struct protocol *proto = p->proto;
	const struct proto_step *inj = &proto->steps[proto->injection];
	struct cd_local today;
	int64_t s0, lo, hi, nominal, utc;
	int open, close, k, i, vi;
	char why[256], day[11];
	enum cd_status st;

	p->n = 0;
	s0 = day_number(start);
	date_format(start, day);
	local_from_utc(p->zone, p->now, &today);
	if (s0 < day_number(&today.date))
		return cd_fail(err, CD_REFUSED, "the start date %s is in the past", day);
	why[0] = '\0';
	if ((st = cal->site_day(cal->ctx, start, &open, &close, why, sizeof why, err)) != CD_OK)
		return st;
	if (open >= close)
		return cd_fail(err, CD_REFUSED, "%s is closed on %s (%s); choose another start"
		    " date", p->site_name, day, why[0] != '\0' ? why : weekday_names[date_weekday(start)]);
	if (minute >= 0) {
		if (minute % SLOT_GRID != 0)
			return cd_fail(err, CD_REFUSED, "visits start on a %d-minute grid; %02d:%02d"
			    " is not on it", SLOT_GRID, minute / 60, minute % 60);
		if (minute < open || minute + inj->minutes > close)
			return cd_fail(err, CD_REFUSED, "%02d:%02d on %s is outside %s's hours that"
			    " day (%02d:%02d-%02d:%02d) for a %d-minute injection", minute / 60,
			    minute % 60, day, p->site_name, open / 60, open % 60, close / 60,
			    close % 60, inj->minutes);
		if ((st = local_to_utc(p->zone, start, minute, &utc, err)) != CD_OK)
			return st;
		if (utc <= p->now)
			return cd_fail(err, CD_REFUSED, "%s %02d:%02d is in the past", day,
			    minute / 60, minute % 60);
	}
	if ((st = check_lead_time(p, s0, day_number(&today.date), err)) != CD_OK)
		return st;
	for (k = 1; k <= p->courses; k++)
		add_visit(p, proto->injection, k, k);
	for (i = 0; i < proto->nsteps; i++) {
		const struct proto_step *s = &proto->steps[i];

		if (i == proto->injection || !protocol_step_applies(s, p->source))
			continue;
		if (s->anchor == ANCHOR_EACH) {
			for (k = 1; k <= p->courses; k++)
				add_visit(p, i, k, k);
		} else {
			add_visit(p, i, 0, s->anchor == ANCHOR_FIRST ? 1 : p->courses);
		}
	}
	/* The injections first, in order: everything else hangs off them. */
	if ((st = place(p, cal, 0, s0 + inj->win_before, s0 + inj->win_after, s0, minute,
	    false, err)) != CD_OK)
		return st;
	for (vi = 1; vi < p->n; vi++) {
		seed_resources(p, vi);
		if (!allowed_days(p, vi, &lo, &hi, &nominal))
			fatal("a planned visit without its anchor");
		if ((st = place(p, cal, vi, lo, hi, nominal, pref_minute(p, vi), false, err)) !=
		    CD_OK)
			return st;
	}
	plan_sort(p);
	return CD_OK;
}

/* --- moving --- */

/* How a visit stands against the visits it hangs off. */
enum fit {
	FIT_OK,
	FIT_SOFT,   /* a call or harvest earlier than its window: still allowed */
	FIT_BROKEN  /* a minimum gap, a hard window end, or an overlap */
};

static void
describe_window(const struct plan *p, const struct plan_visit *v, int64_t lo, int64_t hi,
    char *why, size_t n)
{
	char what[96], a[11], b[11];
	struct cd_date d;

	step_describe(&p->proto->steps[v->step_no], v->course > 0 ? v->course : v->anchor_course,
	    what, sizeof what);
	date_from_days(lo, &d);
	date_format(&d, a);
	date_from_days(hi, &d);
	date_format(&d, b);
	if (lo == hi)
		snprintf(why, n, "%s must be on %s", what, a);
	else
		snprintf(why, n, "%s must be between %s and %s", what, a, b);
}

/* Does visit vi keep its rules, given the others as they are now? When
 * not, why says so. A step before its anchor (call, harvest) must keep
 * its window's late end; its early end is where the planner looks. The
 * visit being moved (loose) is an injection postponed at will: only the
 * minimum gap binds it; what follows moves with it. */
static enum fit
visit_fits(const struct plan *p, int vi, bool loose, char *why, size_t n)
{
	const struct plan_visit *v = &p->v[vi];
	const struct proto_step *s = &p->proto->steps[v->step_no];
	int64_t lo, hi, nominal, day = day_number(&v->day);
	char what[96];
	int i;

	if (allowed_days(p, vi, &lo, &hi, &nominal)) {
		if (v->step_no == p->proto->injection) {
			lo = day_number(&p->v[previous_injection(p, v->course)].day) +
			    p->proto->min_gap_days;
			if (day < lo) {
				step_describe(s, v->course, what, sizeof what);
				snprintf(why, n, "%s would be less than %d days after the course before",
				    what, p->proto->min_gap_days);
				return FIT_BROKEN;
			}
			if (!loose && day > hi) {
				describe_window(p, v, lo, hi, why, n);
				return FIT_BROKEN;
			}
		} else if (day > hi || (day < lo && !protocol_step_is_before(s))) {
			describe_window(p, v, lo, hi, why, n);
			return FIT_BROKEN;
		} else if (day < lo) {
			describe_window(p, v, lo, hi, why, n);
			return FIT_SOFT;
		}
	}
	if (!visit_takes_patient(p, v))
		return FIT_OK;
	for (i = 0; i < p->n; i++) {
		if (i != vi && p->v[i].active && visit_takes_patient(p, &p->v[i]) &&
		    p->v[i].start < v->end && p->v[i].end > v->start) {
			step_describe(s, v->course > 0 ? v->course : v->anchor_course, what,
			    sizeof what);
			snprintf(why, n, "%s would overlap another visit of the cycle", what);
			return FIT_BROKEN;
		}
	}
	return FIT_OK;
}

static bool
has_moved(const struct plan_visit *v)
{
	return v->start != v->old_start;
}

/* Does this move concern visit vi: has the visit it hangs off moved, or
 * does a moved visit now overlap it? Rules a visit already broke before
 * (a course postponed past its window, say) are not this move's to undo. */
static bool
touched_by_move(const struct plan *p, int vi)
{
	const struct plan_visit *v = &p->v[vi];
	int a, i;

	a = v->step_no == p->proto->injection ? previous_injection(p, v->course) :
	    find_injection(p, v->anchor_course);
	if (a >= 0 && a != vi && has_moved(&p->v[a]))
		return true;
	if (!visit_takes_patient(p, v))
		return false;
	for (i = 0; i < p->n; i++) {
		if (i != vi && p->v[i].active && has_moved(&p->v[i]) &&
		    visit_takes_patient(p, &p->v[i]) && p->v[i].start < v->end &&
		    p->v[i].end > v->start)
			return true;
	}
	return false;
}

/* Re-places the visits the move concerns that no longer keep their
 * rules: injections first (in course order), then the steps hanging off
 * them. A call or harvest merely earlier than its window follows its
 * course when it can and stays put when it cannot. */
static enum cd_status
cascade(struct plan *p, const struct plan_calendar *cal, int moved, bool this_only,
    struct cd_err *err)
{
	struct plan_visit keep;
	char why[256];
	int64_t lo, hi, nominal;
	int pass, i;
	enum fit fit;
	enum cd_status st;

	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < p->n; i++) {
			struct plan_visit *v = &p->v[i];
			bool is_inj = v->step_no == p->proto->injection;

			if (i == moved || !v->active || is_inj != (pass == 0) ||
			    !touched_by_move(p, i) ||
			    (fit = visit_fits(p, i, false, why, sizeof why)) == FIT_OK)
				continue;
			if (fit == FIT_SOFT && (this_only || v->fixed || v->start <= p->now))
				continue;
			if (this_only)
				return cd_fail(err, CD_REFUSED, "moving only this visit breaks a rule:"
				    " %s; move it without --this-only to shift what follows", why);
			if (v->fixed || v->start <= p->now)
				return cd_fail(err, CD_REFUSED, "%s, and that visit is already in the"
				    " past or under way", why);
			if (!allowed_days(p, i, &lo, &hi, &nominal))
				continue;
			keep = *v;
			v->start = v->end = 0; /* out of the way while it is placed */
			st = place(p, cal, i, lo, hi, nominal, v->minute, false, err);
			if (st == CD_REFUSED && fit == FIT_SOFT) {
				*v = keep;
				continue;
			}
			if (st != CD_OK)
				return st;
		}
	}
	return CD_OK;
}

enum cd_status
plan_move(struct plan *p, const struct plan_calendar *cal, int index,
    const struct cd_date *day, int minute, bool this_only, struct cd_err *err)
{
	struct search *q;
	char why[256];
	bool found;
	int i;
	int64_t dayno = day_number(day), s;
	enum cd_status st;

	for (i = 0; i < p->n; i++) {
		p->v[i].old_start = p->v[i].start;
		p->v[i].changed = false;
	}
	if (minute % SLOT_GRID != 0)
		return cd_fail(err, CD_REFUSED, "visits start on a %d-minute grid; %02d:%02d is not"
		    " on it", SLOT_GRID, minute / 60, minute % 60);
	if ((st = local_to_utc(p->zone, day, minute, &s, err)) != CD_OK)
		return st;
	if (s <= p->now)
		return cd_fail(err, CD_REFUSED, "a visit cannot be moved into the past");
	/* The visit itself goes exactly where asked; its siblings make way. */
	q = xcalloc(1, sizeof *q);
	if ((st = search_init(q, p, cal, index, err)) != CD_OK) {
		search_free(q);
		free(q);
		return st;
	}
	q->ignore_plan = true;
	q->exact = true;
	{
		struct strbuf notes = STRBUF_INIT;

		q->notes = &notes;
		st = search_day(q, dayno, minute, &found, err);
		if (st == CD_OK && !found && p->force) {
			q->force = true;
			search_flush_note(q);
			strbuf_reset(&notes);
			q->nnotes = 0;
			st = search_day(q, dayno, minute, &found, err);
		}
		if (st == CD_OK && !found) {
			search_flush_note(q);
			st = cd_fail(err, CD_REFUSED, "cannot move the visit there: %s",
			    strbuf_str(&notes));
		}
		strbuf_free(&notes);
	}
	search_free(q);
	free(q);
	if (st != CD_OK)
		return st;
	/* Its own rules; overlaps with its own cycle are for the cascade. */
	if (visit_fits(p, index, true, why, sizeof why) == FIT_BROKEN &&
	    strstr(why, "overlap") == NULL)
		return cd_fail(err, CD_REFUSED, "cannot move the visit: %s", why);
	if ((st = cascade(p, cal, index, this_only, err)) != CD_OK)
		return st;
	for (i = 0; i < p->n; i++) {
		if (i != index && p->v[i].active && touched_by_move(p, i) &&
		    visit_fits(p, i, false, why, sizeof why) == FIT_BROKEN)
			return cd_fail(err, CD_REFUSED, "cannot move the visit: %s", why);
	}
	for (i = 0; i < p->n; i++)
		p->v[i].changed = has_moved(&p->v[i]);
	p->v[index].changed = true;
	plan_sort(p);
	return CD_OK;
}
