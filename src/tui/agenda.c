/* agenda.c - the agenda screen: one site's visits for a day or a week
 * (w), for every resource or one (r), read with one ops_agenda query per
 * change and kept in memory; the list widget pages through the lines
 * (week view: a heading per day). Times are the site's local time; on
 * today a "▶ now HH:MM" line sits between the visits and moves with the
 * clock. Visits are coloured by status and say it in words too. The
 * keys are agenda_keys.c's, a visit's page visit_page.c's, and the
 * actions on a visit (check in, no-show, cancel, move) agenda_actions.c's. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/localtime.h"
#include "../core/text.h"
#include "../core/xalloc.h"
#include "agenda.h"

/* The list's columns; each row also carries the status as stored, the
 * MRN and the line's kind after these (for looks and the search). */
static const struct tui_list_col agenda_cols[] = {
	{ "ID", 7 }, { "Time", 11 }, { "Step", 11 }, { "Patient", 0 }, { "With", 0 },
	{ "Status", 10 },
};
enum { COL_ID, COL_TIME, COL_STEP, COL_NAME, COL_WITH, COL_STATUS, COL_RAW_STATUS,
	COL_MRN, NVALS };
#define NCOLS ((int)(sizeof agenda_cols / sizeof agenda_cols[0]))

static const char *const day_names[] = { "Monday", "Tuesday", "Wednesday", "Thursday",
	"Friday", "Saturday", "Sunday" };
static const char *const month_names[] = { "January", "February", "March", "April", "May",
	"June", "July", "August", "September", "October", "November", "December" };

static struct agenda *
of(struct tui_screen *s)
{
	return (struct agenda *)s;
}

/* --- words --- */
void
agenda_step_words(const char *step, const char *course, char *buf, size_t n)
{
	const char *w = step != NULL ? step : "?";

	if (strcmp(w, "followup") == 0)
		w = "follow-up";
	if (course != NULL && course[0] != '\0')
		snprintf(buf, n, "%s %s", w, course);
	else
		snprintf(buf, n, "%s", w);
}

const char *
agenda_status_words(const char *status, bool longer)
{
	static const struct {
		const char *status, *shorter, *longer;
	} words[] = {
		{ "booked", "booked", "booked" },
		{ "checked-in", "checked in", "checked in" },
		{ "done", "done", "done" },
		{ "no-show", "no-show", "no-show (the patient did not come)" },
		{ "cancelled-by-patient", "cancelled", "cancelled by the patient" },
		{ "cancelled-by-clinic", "cancelled", "cancelled by the clinic" },
	};
	size_t i;

	for (i = 0; status != NULL && i < sizeof words / sizeof words[0]; i++) {
		if (strcmp(words[i].status, status) == 0)
			return longer ? words[i].longer : words[i].shorter;
	}
	return status != NULL ? status : "?";
}

void
agenda_day_words(const struct cd_date *d, bool longer, char *buf, size_t n)
{
	const char *day = day_names[date_weekday(d)], *month = month_names[d->month - 1];

	if (longer)
		snprintf(buf, n, "%s %d %s %d", day, d->day, month, d->year);
	else
		snprintf(buf, n, "%.3s %d %.3s", day, d->day, month);
}

bool
agenda_iso_day(const char *iso, struct cd_date *d)
{
	char day[11];

	if (iso == NULL || strlen(iso) < 16)
		return false;
	memcpy(day, iso, 10);
	day[10] = '\0';
	return date_parse(day, d);
}

void
agenda_iso_hm(const char *iso, char hm[6])
{
	if (iso == NULL || strlen(iso) < 16) {
		snprintf(hm, 6, "--:--");
		return;
	}
	memcpy(hm, iso + 11, 5);
	hm[5] = '\0';
}

void
agenda_describe(const struct agenda_visit *v, char *buf, size_t n)
{
	struct cd_date d;
	char day[32], hm[6];

	agenda_iso_hm(v->start, hm);
	if (agenda_iso_day(v->start, &d))
		agenda_day_words(&d, false, day, sizeof day);
	else
		snprintf(day, sizeof day, "?");
	snprintf(buf, n, "visit %lld (%s, %s %s)", (long long)v->id,
	    v->name != NULL ? v->name : "?", day, hm);
}

/* --- time --- */
const char *
agenda_tz(const struct agenda *a)
{
	return a->nsites > 0 ? a->site_tzs[a->site] : "UTC";
}

int64_t
agenda_now(const struct agenda *a)
{
	int64_t ms = a->t->ops.clock_ms();

	return ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
}

static bool
same_day(const struct cd_date *x, const struct cd_date *y)
{
	return x->year == y->year && x->month == y->month && x->day == y->day;
}

struct cd_date
agenda_day_plus(const struct cd_date *d, int n)
{
	struct cd_date out;

	date_from_days(date_to_days(d) + n, &out);
	return out;
}

enum visit_when
agenda_when(const struct agenda *a, const struct agenda_visit *v)
{
	int64_t now = agenda_now(a);
	struct cd_local l;
	struct cd_date day;

	if (now >= v->utc_start)
		return VISIT_STARTED;
	local_from_utc(agenda_tz(a), now, &l);
	return agenda_iso_day(v->start, &day) && same_day(&day, &l.date) ?
	    VISIT_ON_DAY_BEFORE_START : VISIT_BEFORE_DAY;
}

/* The first day shown: the day, or the Monday of its week. */
static struct cd_date
first_day(const struct agenda *a)
{
	return a->week ? agenda_day_plus(&a->day, -date_weekday(&a->day)) : a->day;
}

void
agenda_today(const struct agenda *a, struct cd_date *d, int *minute)
{
	struct cd_local l;

	local_from_utc(agenda_tz(a), agenda_now(a), &l);
	*d = l.date;
	if (minute != NULL)
		*minute = l.minute;
}

/* --- the visits, and the lines laid out from them --- */
static void
free_visit(struct agenda_visit *v)
{
	free(v->course);
	free(v->step);
	free(v->mrn);
	free(v->name);
	free(v->resource);
	free(v->status);
	free(v->note);
	free(v->reason);
}

static void
clear_visits(struct agenda *a)
{
	int i;

	for (i = 0; i < a->nvisits; i++)
		free_visit(&a->visits[i]);
	a->nvisits = 0;
}

static const char *
value(const struct cd_row *row, const char *key)
{
	int i;

	for (i = 0; i < row->n; i++) {
		if (strcmp(row->keys[i], key) == 0)
			return row->vals[i];
	}
	return NULL;
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static int64_t
number(const char *s)
{
	return s != NULL ? strtoll(s, NULL, 10) : 0;
}

static enum cd_status
add_visit(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	struct agenda *a = ctx;
	struct agenda_visit *v;
	const char *start = value(row, "start"), *end = value(row, "end");

	(void)err;
	if (a->nvisits == a->capvisits) {
		a->capvisits = a->capvisits ? a->capvisits * 2 : 64;
		a->visits = xrealloc(a->visits, (size_t)a->capvisits * sizeof *a->visits);
	}
	v = &a->visits[a->nvisits++];
	memset(v, 0, sizeof *v);
	v->id = number(value(row, "id"));
	v->cycle = number(value(row, "cycle"));
	v->utc_start = number(value(row, "utc_start"));
	v->utc_end = number(value(row, "utc_end"));
	v->course = dup_or_null(value(row, "course"));
	v->step = dup_or_null(value(row, "step"));
	v->mrn = dup_or_null(value(row, "patient"));
	v->name = dup_or_null(value(row, "name"));
	v->resource = dup_or_null(value(row, "resource"));
	v->status = dup_or_null(value(row, "status"));
	v->note = dup_or_null(value(row, "note"));
	v->reason = dup_or_null(value(row, "reason"));
	snprintf(v->start, sizeof v->start, "%s", start != NULL ? start : "");
	snprintf(v->end, sizeof v->end, "%s", end != NULL ? end : "");
	return CD_OK;
}

static struct agenda_line *
add_line(struct agenda *a, enum agenda_line_kind kind)
{
	struct agenda_line *l;

	if (a->nlines == a->caplines) {
		a->caplines = a->caplines ? a->caplines * 2 : 64;
		a->lines = xrealloc(a->lines, (size_t)a->caplines * sizeof *a->lines);
	}
	l = &a->lines[a->nlines++];
	memset(l, 0, sizeof *l);
	l->kind = kind;
	return l;
}

/* Lays the visits out: per day (a heading in week view), the now mark
 * before the first visit that has not begun, "no visits" on an empty
 * day. */
static void
lay_out(struct agenda *a)
{
	struct cd_date first = first_day(a), d, vd;
	struct agenda_line *l;
	int ndays = a->week ? 7 : 1, i, k, vi = 0, start;
	enum visit_status st;
	bool now_shown;

	a->nlines = 0;
	memset(a->counts, 0, sizeof a->counts);
	a->now_s = agenda_now(a);
	agenda_today(a, &a->today, &a->now_minute);
	for (i = 0; i < ndays; i++) {
		d = agenda_day_plus(&first, i);
		start = vi;
		while (vi < a->nvisits && agenda_iso_day(a->visits[vi].start, &vd) &&
		    date_to_days(&vd) <= date_to_days(&d))
			vi++;
		if (a->week) {
			l = add_line(a, LINE_DAY);
			l->day = d;
			l->count = vi - start;
			l->today = same_day(&d, &a->today);
		}
		now_shown = !same_day(&d, &a->today);
		if (vi == start)
			add_line(a, LINE_EMPTY)->day = d;
		for (k = start; k < vi; k++) {
			if (!now_shown && a->visits[k].utc_start > a->now_s) {
				add_line(a, LINE_NOW);
				now_shown = true;
			}
			add_line(a, LINE_VISIT)->visit = k;
			if (visit_status_parse(a->visits[k].status, &st))
				a->counts[st]++;
		}
		if (!now_shown)
			add_line(a, LINE_NOW);
	}
	/* Visits outside the days asked for would be a bug in the query;
	 * they are shown all the same, at the end. */
	for (; vi < a->nvisits; vi++)
		add_line(a, LINE_VISIT)->visit = vi;
}

/* Where a new day or week starts: today, at the first visit not yet
 * begun; another day, at its first visit. */
static int64_t
first_selection(const struct agenda *a)
{
	int i, first = -1;
	bool after_now = false;

	for (i = 0; i < a->nlines; i++) {
		if (a->lines[i].kind == LINE_NOW)
			after_now = true;
		if (a->lines[i].kind != LINE_VISIT)
			continue;
		if (after_now)
			return i;
		if (first < 0)
			first = i;
	}
	for (i = a->nlines - 1; after_now && i >= 0; i--) {
		if (a->lines[i].kind == LINE_VISIT)
			return i; /* today, every visit begun: the last one */
	}
	return first >= 0 ? first : 0;
}

/* The index of the now mark's line, or -1. */
static int64_t
now_line(const struct agenda *a)
{
	int i;

	for (i = 0; i < a->nlines; i++) {
		if (a->lines[i].kind == LINE_NOW)
			return i;
	}
	return -1;
}

const struct agenda_visit *
agenda_selected(const struct agenda *a)
{
	int64_t i = a->list.cur;

	if (i < 0 || i >= a->nlines || a->lines[i].kind != LINE_VISIT)
		return NULL;
	return &a->visits[a->lines[i].visit];
}

const struct agenda_visit *
agenda_visit_by_id(const struct agenda *a, int64_t id)
{
	int i;

	for (i = 0; i < a->nvisits; i++) {
		if (a->visits[i].id == id)
			return &a->visits[i];
	}
	return NULL;
}

void
agenda_changed(struct agenda *a)
{
	a->stale = true;
}

/* --- the list's callbacks: pages of the lines in memory --- */
static enum cd_status
lines_count(void *ctx, bool must, int64_t *n, struct cd_err *err)
{
	(void)must;
	(void)err;
	*n = ((struct agenda *)ctx)->nlines;
	return CD_OK;
}

static enum cd_status
lines_fetch(void *ctx, int64_t offset, int64_t limit, cd_row_fn add, void *add_ctx,
    struct cd_err *err)
{
	static const char *const keys[NVALS] = { "id", "time", "step", "name", "with", "status",
		"raw_status", "mrn" };
	struct agenda *a = ctx;
	const char *vals[NVALS];
	struct cd_row row = { NVALS, keys, vals };
	char id[24], time[32], step[64], hm1[6], hm2[6];
	enum cd_status st;
	int64_t i;

	for (i = offset; i < a->nlines && i < offset + limit; i++) {
		const struct agenda_line *l = &a->lines[i];
		const struct agenda_visit *v;

		memset(vals, 0, sizeof vals);
		if (l->kind == LINE_VISIT) {
			v = &a->visits[l->visit];
			snprintf(id, sizeof id, "%lld", (long long)v->id);
			agenda_iso_hm(v->start, hm1);
			agenda_iso_hm(v->end, hm2);
			snprintf(time, sizeof time, "%s\xE2\x80\x93%s", hm1, hm2); /* – */
			agenda_step_words(v->step, v->course, step, sizeof step);
			vals[COL_ID] = id;
			vals[COL_TIME] = time;
			vals[COL_STEP] = step;
			vals[COL_NAME] = v->name;
			vals[COL_WITH] = v->resource;
			vals[COL_STATUS] = agenda_status_words(v->status, false);
			vals[COL_RAW_STATUS] = v->status;
			vals[COL_MRN] = v->mrn;
		}
		if ((st = add(add_ctx, &row, err)) != CD_OK)
			return st;
	}
	return CD_OK;
}

static int
lines_look(void *ctx, const struct tui_list_row *row)
{
	enum visit_status st;

	(void)ctx;
	if (row->n <= COL_RAW_STATUS || row->vals[COL_RAW_STATUS] == NULL ||
	    !visit_status_parse(row->vals[COL_RAW_STATUS], &st))
		return -1;
	switch (st) {
	case VISIT_CHECKED_IN:
		return LOOK_WARN; /* here, waiting */
	case VISIT_DONE:
		return LOOK_OK;
	case VISIT_NO_SHOW:
	case VISIT_CANCELLED_BY_PATIENT:
	case VISIT_CANCELLED_BY_CLINIC:
		return LOOK_BAD;
	default:
		return -1;
	}
}

static const struct tui_list_ops agenda_list_ops = {
	.count = lines_count, .fetch = lines_fetch, .row_look = lines_look,
};

/* --- reading --- */
static void
free_strs(char **v, int n)
{
	int i;

	for (i = 0; v != NULL && i < n; i++)
		free(v[i]);
	free(v);
}

struct name_list {
	char **names, **extra;
	int n;
	const char *key, *extra_key;
};

static enum cd_status
add_name(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	struct name_list *nl = ctx;
	const char *name = value(row, nl->key);

	(void)err;
	if (name == NULL)
		return CD_OK;
	nl->names = xrealloc(nl->names, (size_t)(nl->n + 1) * sizeof *nl->names);
	nl->names[nl->n] = xstrdup(name);
	if (nl->extra_key != NULL) {
		const char *e = value(row, nl->extra_key);

		nl->extra = xrealloc(nl->extra, (size_t)(nl->n + 1) * sizeof *nl->extra);
		nl->extra[nl->n] = xstrdup(e != NULL ? e : "UTC");
	}
	nl->n++;
	return CD_OK;
}

/* A clinician who is a resource of a site starts at that site. */
struct own_site {
	const char *me;
	char *site;
};

static enum cd_status
find_own_site(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	struct own_site *os = ctx;
	const char *name = value(row, "name"), *kind = value(row, "kind");
	const char *site = value(row, "site");

	(void)err;
	if (os->site == NULL && name != NULL && kind != NULL && site != NULL &&
	    strcmp(kind, "clinician") == 0 && strcmp(name, os->me) == 0)
		os->site = xstrdup(site);
	return CD_OK;
}

static int
index_of(char **names, int n, const char *name)
{
	int i;

	for (i = 0; name != NULL && i < n; i++) {
		if (strcmp(names[i], name) == 0)
			return i;
	}
	return -1;
}

/* The sites, and the shown site's resources; the site and resource
 * shown are kept by name. */
static enum cd_status
read_meta(struct agenda *a, struct cd_err *err)
{
	struct tui *t = a->t;
	struct name_list sites = { NULL, NULL, 0, "name", "tz" };
	struct name_list res = { NULL, NULL, 0, "name", NULL };
	struct own_site os = { t->ops.actor_name, NULL };
	char *site = a->nsites > 0 ? xstrdup(a->site_names[a->site]) : NULL;
	char *resource = a->res >= 0 ? xstrdup(a->res_names[a->res]) : NULL;
	enum cd_status st;
	int i;

	if ((st = db_begin_read(t->ops.db, err)) != CD_OK)
		goto out;
	st = ops_site_list(&t->ops, add_name, &sites, err);
	if (st == CD_OK && a->first_read)
		st = ops_resource_list(&t->ops, NULL, find_own_site, &os, err);
	if (st == CD_OK && a->first_read && os.site != NULL) {
		free(site);
		site = os.site;
		os.site = NULL;
	}
	i = index_of(sites.names, sites.n, site);
	if (st == CD_OK && sites.n > 0)
		st = ops_resource_list(&t->ops, sites.names[i >= 0 ? i : 0], add_name, &res, err);
	db_end_read(t->ops.db);
	if (st != CD_OK) {
		free_strs(sites.names, sites.n);
		free_strs(sites.extra, sites.n);
		free_strs(res.names, res.n);
		goto out;
	}
	if (i < 0 && a->nsites > 0)
		a->new_range = true; /* the site shown is gone */
	free_strs(a->site_names, a->nsites);
	free_strs(a->site_tzs, a->nsites);
	free_strs(a->res_names, a->nres);
	a->site_names = sites.names;
	a->site_tzs = sites.extra;
	a->nsites = sites.n;
	a->site = i >= 0 ? i : 0;
	a->res_names = res.names;
	a->nres = res.n;
	a->res = index_of(res.names, res.n, resource);
	if (resource != NULL && a->res < 0)
		a->new_range = true;
	if (a->first_read) {
		agenda_today(a, &a->day, NULL);
		a->first_read = false;
	}
	a->meta_stale = false;
out:
	free(os.site);
	free(site);
	free(resource);
	return st;
}

static enum cd_status
read_visits(struct agenda *a, struct cd_err *err)
{
	struct ops_agenda_query q;
	struct cd_date first = first_day(a);
	char day[11];
	enum cd_status st;

	clear_visits(a);
	if (a->nsites == 0)
		return CD_OK;
	date_format(&first, day);
	memset(&q, 0, sizeof q);
	q.site = a->site_names[a->site];
	q.date = day;
	q.resource = a->res >= 0 ? a->res_names[a->res] : NULL;
	q.days = a->week ? 7 : 1;
	if ((st = ops_agenda(&a->t->ops, &q, add_visit, a, err)) != CD_OK)
		clear_visits(a);
	return st;
}

static int
list_height(struct tui *t)
{
	int h = TUI_BODY_H(t) - 2; /* less the context line and the heads */

	return h < 1 ? 1 : h;
}

static int
agenda_sync(struct tui *t, struct tui_screen *s)
{
	struct agenda *a = of(s);
	enum cd_status st = CD_OK;
	int flags = 0;

	if (a->meta_stale) {
		if ((st = read_meta(a, &t->err)) != CD_OK)
			flags |= tui_show_err(t);
		a->stale = true;
		flags |= REDRAW_LIST | REDRAW_STATUS;
	}
	if (a->stale) {
		/* One query for the day or the week (ops_agenda reads in one
		 * snapshot of its own). */
		if (st == CD_OK && (st = read_visits(a, &t->err)) != CD_OK)
			flags |= tui_show_err(t);
		a->stale = false;
		lay_out(a);
		if (a->new_range) {
			/* The page around the now mark first (when the range
			 * has it), then the visit next to it selected. */
			tui_list_reset(&a->list);
			a->list.cur = now_line(a) >= 0 ? now_line(a) : first_selection(a);
			if (tui_list_sync(&a->list, list_height(t), &t->err) != CD_OK)
				flags |= tui_show_err(t);
			a->list.cur = first_selection(a);
			a->new_range = false;
		} else {
			tui_list_invalidate(&a->list); /* keeps the visit selected */
		}
		flags |= REDRAW_LIST | REDRAW_STATUS;
	}
	if (tui_list_stale(&a->list, list_height(t))) {
		/* From memory: no database read here. */
		if (tui_list_sync(&a->list, list_height(t), &t->err) != CD_OK)
			flags |= tui_show_err(t);
		flags |= REDRAW_LIST | REDRAW_STATUS;
	}
	return flags;
}

/* The clock moved on a minute: the now mark moves too (and "today"). */
static int
agenda_tick(struct tui *t, struct tui_screen *s)
{
	struct agenda *a = of(s);
	struct cd_date today;
	int minute;

	(void)t;
	agenda_today(a, &today, &minute);
	if (minute == a->now_minute && same_day(&today, &a->today))
		return 0;
	lay_out(a);
	tui_list_invalidate(&a->list);
	return REDRAW_LIST | REDRAW_STATUS;
}

/* --- painting --- */
static void
agenda_title(struct tui_screen *s, struct strbuf *out)
{
	struct agenda *a = of(s);

	strbuf_adds(out, "agenda");
	if (a->nsites > 0)
		strbuf_addf(out, " %s", a->site_names[a->site]);
}

/* "Berlin · Monday 23 November 2026 (today) · all resources ·
 * Europe/Berlin time": what the list shows, in 78 columns. */
static void
draw_context(struct tui *t, struct agenda *a, int y, int w)
{
	struct strbuf raw = STRBUF_INIT, line = STRBUF_INIT;
	struct cd_date first = first_day(a), last = agenda_day_plus(&first, 6);
	char d1[48], d2[48];

	if (a->nsites == 0) {
		strbuf_adds(&raw, "No sites yet: an admin adds one (celldesk site add).");
	} else {
		strbuf_addf(&raw, "%s \xC2\xB7 ", a->site_names[a->site]);
		if (a->week) {
			/* "week Mon 23 – Sun 29 Nov 2026", the month once when it is one */
			agenda_day_words(&first, false, d1, sizeof d1);
			agenda_day_words(&last, false, d2, sizeof d2);
			if (first.month == last.month)
				d1[strlen(d1) - 4] = '\0';
			strbuf_addf(&raw, "week %s \xE2\x80\x93 %s %d", d1, d2, last.year);
		} else {
			agenda_day_words(&a->day, true, d1, sizeof d1);
			strbuf_addf(&raw, "%s%s", d1, same_day(&a->day, &a->today) ? " (today)" : "");
		}
		strbuf_addf(&raw, " \xC2\xB7 %s \xC2\xB7 %s time",
		    a->res >= 0 ? a->res_names[a->res] : "all resources", agenda_tz(a));
	}
	strbuf_addc(&line, ' ');
	tui_fit(&line, strbuf_str(&raw), w - 2, true);
	tui_put(y, 0, w, tui_attr(t, LOOK_LABEL), strbuf_str(&line));
	strbuf_free(&raw);
	strbuf_free(&line);
}

/* A line that is not a visit, painted over the list's row. */
static void
draw_other(struct tui *t, struct agenda *a, const struct agenda_line *l, int y, int w)
{
	struct strbuf raw = STRBUF_INIT, line = STRBUF_INIT;
	char day[48];
	attr_t attr = A_NORMAL;
	int i;

	switch (l->kind) {
	case LINE_DAY:
		agenda_day_words(&l->day, true, day, sizeof day);
		strbuf_addf(&raw, "%s  \xC2\xB7  %d visit%s%s", day, l->count, l->count == 1 ? "" : "s",
		    l->today ? "  \xC2\xB7  today" : "");
		attr = tui_attr(t, LOOK_LABEL);
		break;
	case LINE_NOW:
		strbuf_addf(&raw, "\xE2\x96\xB6 now %02d:%02d ", a->now_minute / 60, a->now_minute % 60);
		for (i = 12; i < w - 2; i++)
			strbuf_adds(&raw, "\xE2\x94\x80"); /* ─ */
		attr = tui_attr(t, LOOK_NOW);
		break;
	case LINE_EMPTY:
		strbuf_addf(&raw, "  no visits%s", a->res >= 0 ? " for this resource" : "");
		attr = tui_attr(t, LOOK_DIM);
		break;
	default:
		break;
	}
	strbuf_addc(&line, ' ');
	tui_fit(&line, strbuf_str(&raw), w - 2, true);
	tui_put(y, 0, w, attr, strbuf_str(&line));
	strbuf_free(&raw);
	strbuf_free(&line);
}

static void
agenda_draw(struct tui *t, struct tui_screen *s, int y, int h, int w)
{
	struct agenda *a = of(s);
	int i;
	int64_t k;

	if (h < 3)
		return;
	draw_context(t, a, y, w);
	tui_list_draw(t, &a->list, y + 1, h - 1, w);
	for (i = 0; i < h - 2; i++) {
		k = a->list.top + i;
		if (k < a->nlines && a->lines[k].kind != LINE_VISIT)
			draw_other(t, a, &a->lines[k], y + 2 + i, w);
	}
}

static void
agenda_info(struct tui *t, struct tui_screen *s, struct strbuf *out)
{
	static const char *const words[AGENDA_NSTATUS] = { "booked", "checked in", "done",
		"no-show", "cancelled by the patient", "cancelled by the clinic" };
	struct agenda *a = of(s);
	const struct agenda_visit *v = agenda_selected(a);
	int i, n = 0;

	if (a->nvisits == 0)
		strbuf_addf(out, "no visits %s", a->week ? "this week" : "on this day");
	else if (v != NULL)
		strbuf_addf(out, "visit %d of %d: %s %s", a->lines[a->list.cur].visit + 1,
		    a->nvisits, v->mrn != NULL ? v->mrn : "", v->name != NULL ? v->name : "");
	else
		strbuf_addf(out, "%d visit%s", a->nvisits, a->nvisits == 1 ? "" : "s");
	for (i = 0; i < AGENDA_NSTATUS; i++) {
		if (a->counts[i] > 0)
			strbuf_addf(out, "%s%d %s", n++ == 0 ? "  \xC2\xB7  " : ", ", a->counts[i],
			    words[i]);
	}
	if (t->prompt.active)
		strbuf_adds(out, "  \xC2\xB7  Enter accepts, Esc cancels");
}

static void
agenda_invalidate(struct tui_screen *s)
{
	of(s)->meta_stale = true;
	of(s)->stale = true;
}

static bool
agenda_has_row(struct tui_screen *s)
{
	return agenda_selected(of(s)) != NULL;
}

static void
agenda_free(struct tui_screen *s)
{
	struct agenda *a = of(s);

	clear_visits(a);
	free(a->visits);
	free(a->lines);
	free_strs(a->site_names, a->nsites);
	free_strs(a->site_tzs, a->nsites);
	free_strs(a->res_names, a->nres);
	tui_list_free(&a->list);
	free(a->find);
	free(a);
}

const struct tui_screen_type tui_agenda_type = {
	.name = "agenda",
	.cmds = agenda_book_cmds,
	.title = agenda_title,
	.sync = agenda_sync,
	.draw = agenda_draw,
	.info = agenda_info,
	.invalidate = agenda_invalidate,
	.has_row = agenda_has_row,
	.free = agenda_free,
	.tick = agenda_tick,
};
static const struct tui_screen_type agenda_view_type = {
	.name = "agenda",
	.cmds = agenda_view_cmds,
	.title = agenda_title,
	.sync = agenda_sync,
	.draw = agenda_draw,
	.info = agenda_info,
	.invalidate = agenda_invalidate,
	.has_row = agenda_has_row,
	.free = agenda_free,
	.tick = agenda_tick,
};

struct tui_screen *
tui_agenda_new(struct tui *t)
{
	struct agenda *a = xcalloc(1, sizeof *a);

	a->base.type = roles_may(t->ops.roles, ACT_BOOK) ? &tui_agenda_type : &agenda_view_type;
	a->t = t;
	a->res = -1;
	a->first_read = true;
	a->meta_stale = a->stale = a->new_range = true;
	agenda_today(a, &a->day, NULL); /* UTC until the site is known */
	tui_list_init(&a->list, agenda_cols, NCOLS, &agenda_list_ops, a);
	return &a->base;
}
