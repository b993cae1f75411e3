/* lots.c - the Lots screen: every lot, the first to expire first, one
 * page at a time through ops_lot_list, coloured by the time left and
 * saying it in a column too ("expired", "5 h", "3 d"). Filters: site (s),
 * status (f, F), a patient (p), expiring within N days (e); Esc clears
 * them. `/` finds a lot by its id (n, N again); Enter opens its page.
 *
 * The list widget asks for rows by position. A position deep in 240,000
 * lots would cost SQLite a walk past every row before it, so the screen
 * remembers anchors: "the lot at position i is X" for the rows it has
 * read, and reads a page from the nearest anchor by keyset (X's place
 * in the order, forward or backward), from the end when the count is
 * known, or by offset only when nothing is nearer. After a change in the
 * database the positions may have moved: the anchors are dropped and the
 * first row shown is placed again by counting the rows before it. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/xalloc.h"
#include "tui_int.h"

enum { COUNT_CAP = 1000 };           /* counted exactly up to this without End */
enum { ANCHORS_MAX = 4096 };         /* positions remembered */
enum { NV = 8 };                      /* values of a row as the list keeps it */
/* The row as the list keeps it: the columns shown, then the rest. */
enum { V_ID, V_STATUS, V_LEFT, V_WHOSE, V_PLACE, V_EXPIRES, V_ISO, V_SITE };

static const struct tui_list_col cols_wide[] = {
	{ "Lot", 22 }, { "Status", 13 }, { "Left", 7 }, { "Patient / donor", 0 },
	{ "Location", 0 }, { "Expires", 16 },
};
static const struct tui_list_col cols_narrow[] = {
	{ "Lot", 22 }, { "Status", 13 }, { "Left", 7 }, { "Patient / donor", 0 },
	{ "Location", 0 },
};
#define NCOLS(a) ((int)(sizeof a / sizeof a[0]))

/* The status filter, stepped through with f and F. */
static const char *const statuses[] = {
	NULL, "collected", "in-processing", "quarantine", "released", "reserved", "issued",
	"administered", "discarded", "all",
};
#define NSTATUSES ((int)(sizeof statuses / sizeof statuses[0]))

struct anchor {
	int64_t at;
	char *code;
};

struct lots {
	struct tui_screen base;
	struct tui *t;
	struct tui_list list;
	char *site, *patient;  /* filters; NULL: any */
	int status, days;      /* statuses[status]; days 0: any expiry */
	char *find;            /* the last text looked for */
	struct anchor *anchors;
	int nanchors, cap;
	char *reanchor;        /* after a change: the lot to place again */
};

static struct lots *
of(struct tui_screen *s)
{
	return (struct lots *)s;
}

static void
query_of(const struct lots *ls, struct ops_lot_query *q)
{
	memset(q, 0, sizeof *q);
	q->status = statuses[ls->status];
	q->site = ls->site;
	q->patient = ls->patient;
	q->within_s = (int64_t)ls->days * 86400;
}

/* --- anchors --- */
static void
anchors_clear(struct lots *ls)
{
	int i;

	for (i = 0; i < ls->nanchors; i++)
		free(ls->anchors[i].code);
	ls->nanchors = 0;
}

/* The index of the first anchor at or after at (nanchors when none). */
static int
anchor_find(const struct lots *ls, int64_t at)
{
	int lo = 0, hi = ls->nanchors, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (ls->anchors[mid].at < at)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void
anchor_add(struct lots *ls, int64_t at, const char *code)
{
	int i = anchor_find(ls, at);

	if (i < ls->nanchors && ls->anchors[i].at == at) {
		free(ls->anchors[i].code);
		ls->anchors[i].code = xstrdup(code);
		return;
	}
	if (ls->nanchors == ls->cap) {
		ls->cap = ls->cap ? ls->cap * 2 : 256;
		ls->anchors = xrealloc(ls->anchors, (size_t)ls->cap * sizeof *ls->anchors);
	}
	memmove(&ls->anchors[i + 1], &ls->anchors[i],
	    (size_t)(ls->nanchors - i) * sizeof *ls->anchors);
	ls->anchors[i].at = at;
	ls->anchors[i].code = xstrdup(code);
	ls->nanchors++;
}

/* Positions are stale: forget them, but place the first row shown
 * again at the next read. */
static void
anchors_drop(struct lots *ls)
{
	const struct tui_list *l = &ls->list;

	free(ls->reanchor);
	ls->reanchor = NULL;
	if (l->fetched_top == l->top && l->nrows > 0 && l->rows[0].vals[V_ID] != NULL)
		ls->reanchor = xstrdup(l->rows[0].vals[V_ID]);
	anchors_clear(ls);
}

/* --- rows --- */
struct page {
	char **vals; /* NV per row */
	int n, cap;
};

static void
page_free(struct page *p)
{
	int i;

	for (i = 0; i < p->n * NV; i++)
		free(p->vals[i]);
	free(p->vals);
}

static const char *
col(const struct cd_row *row, const char *key)
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

struct collect {
	struct lots *ls;
	struct page *page;
};

/* An ops row into the list's row: the time left in words, the expiry
 * shortened, the patient or the donor. */
static enum cd_status
collect_row(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	struct collect *c = ctx;
	struct page *p = c->page;
	const char *iso = col(row, "expires"), *status = col(row, "status");
	const char *patient = col(row, "patient"), *donor = col(row, "donor");
	const char *elig = col(row, "eligibility");
	char **v, left[16], buf[128];

	(void)err;
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->vals = xrealloc(p->vals, (size_t)p->cap * NV * sizeof *p->vals);
	}
	v = &p->vals[(size_t)p->n++ * NV];
	memset(v, 0, NV * sizeof *v);
	v[V_ID] = dup_or_null(col(row, "id"));
	v[V_STATUS] = dup_or_null(status);
	tui_lot_expiry(c->ls->t, iso, status, left, sizeof left);
	v[V_LEFT] = xstrdup(left[0] != '\0' ? left : "\xE2\x80\x94");
	if (patient != NULL)
		v[V_WHOSE] = xstrdup(patient);
	else if (donor != NULL) {
		snprintf(buf, sizeof buf, "%s%s%s%s", donor,
		    elig != NULL && strcmp(elig, "eligible") != 0 ? " (" : "",
		    elig != NULL && strcmp(elig, "eligible") != 0 ? elig : "",
		    elig != NULL && strcmp(elig, "eligible") != 0 ? ")" : "");
		v[V_WHOSE] = xstrdup(buf);
	}
	v[V_PLACE] = dup_or_null(col(row, "location"));
	if (iso != NULL && strlen(iso) >= 16) {
		snprintf(buf, sizeof buf, "%.10s %.5s", iso, iso + 11);
		v[V_EXPIRES] = xstrdup(buf);
	}
	v[V_ISO] = dup_or_null(iso);
	v[V_SITE] = dup_or_null(col(row, "site"));
	return CD_OK;
}

/* Reads rows from (or, backward, before) lot from, skipping skip and
 * taking take, onto the end of p in the list's order. */
static enum cd_status
segment(struct lots *ls, const char *from, bool backward, int64_t skip, int64_t take,
    struct page *p, struct cd_err *err)
{
	struct ops_lot_query q;
	struct collect c = { ls, p };
	int first = p->n, i, j, k;
	enum cd_status st;
	char *tmp;

	if (take <= 0)
		return CD_OK;
	query_of(ls, &q);
	q.from = from;
	q.backward = backward;
	q.offset = skip;
	q.limit = take;
	if ((st = ops_lot_list(&ls->t->ops, &q, collect_row, &c, err)) != CD_OK)
		return st;
	/* Backward rows come nearest first: turn them round. */
	for (i = first, j = p->n - 1; backward && i < j; i++, j--) {
		for (k = 0; k < NV; k++) {
			tmp = p->vals[(size_t)i * NV + k];
			p->vals[(size_t)i * NV + k] = p->vals[(size_t)j * NV + k];
			p->vals[(size_t)j * NV + k] = tmp;
		}
	}
	return CD_OK;
}

/* After a change: where the remembered lot now stands. */
static enum cd_status
place_again(struct lots *ls, struct cd_err *err)
{
	struct ops_lot_query q;
	int64_t at;
	enum cd_status st;
	char *code = ls->reanchor;

	ls->reanchor = NULL;
	query_of(ls, &q);
	q.from = code;
	q.backward = true;
	st = ops_lot_count(&ls->t->ops, &q, 0, &at, err);
	if (st == CD_OK)
		anchor_add(ls, at, code);
	else if (st == CD_REFUSED)
		st = CD_OK; /* gone from the list's filter's sight: read by offset */
	free(code);
	return st;
}

/* Rows [offset, offset + limit), read from the nearest known place. */
static enum cd_status
read_page(struct lots *ls, int64_t offset, int64_t limit, struct page *p, struct cd_err *err)
{
	enum { FROM_START, FROM_ANCHOR, BEFORE_ANCHOR, FROM_END, AROUND_ANCHOR } how = FROM_START;
	int64_t cost = offset, total = ls->list.total, end = offset + limit;
	const struct anchor *a = NULL, *b = NULL, *in = NULL;
	enum cd_status st;
	int i;

	if (ls->reanchor != NULL && (st = place_again(ls, err)) != CD_OK)
		return st;
	i = anchor_find(ls, offset + 1);          /* the first anchor after offset */
	if (i > 0)
		a = &ls->anchors[i - 1];         /* at or before offset */
	if (i < ls->nanchors && ls->anchors[i].at < end)
		in = &ls->anchors[i];            /* inside the page */
	i = anchor_find(ls, end);
	if (i < ls->nanchors)
		b = &ls->anchors[i];             /* at or after the page's end */
	if (a != NULL && offset - a->at < cost) {
		how = FROM_ANCHOR;
		cost = offset - a->at;
	}
	if (b != NULL && b->at - end < cost) {
		how = BEFORE_ANCHOR;
		cost = b->at - end;
	}
	if (total >= 0 && (total - end < cost)) {
		how = FROM_END;
		cost = total - end > 0 ? total - end : 0;
	}
	if (in != NULL && cost > 0)
		how = AROUND_ANCHOR;
	switch (how) {
	case FROM_ANCHOR:
		return segment(ls, a->code, false, offset - a->at, limit, p, err);
	case BEFORE_ANCHOR:
		return segment(ls, b->code, true, b->at - end, limit, p, err);
	case FROM_END:
		if (offset >= total)
			return CD_OK;
		return segment(ls, NULL, true, total > end ? total - end : 0,
		    (total < end ? total : end) - offset, p, err);
	case AROUND_ANCHOR:
		if ((st = segment(ls, in->code, true, 0, in->at - offset, p, err)) != CD_OK)
			return st;
		return segment(ls, in->code, false, 0, end - in->at, p, err);
	default:
		return segment(ls, NULL, false, offset, limit, p, err);
	}
}

static enum cd_status
lots_fetch(void *ctx, int64_t offset, int64_t limit, cd_row_fn add, void *add_ctx,
    struct cd_err *err)
{
	struct lots *ls = ctx;
	struct page p = { NULL, 0, 0 };
	const char *keys[NV] = { "id", "status", "left", "whose", "location", "expires", "iso",
		"site" };
	const char *vals[NV];
	struct cd_row row = { NV, keys, vals };
	enum cd_status st;
	int i, k;

	st = read_page(ls, offset, limit, &p, err);
	if (st == CD_OK && ls->nanchors + p.n > ANCHORS_MAX)
		anchors_clear(ls);
	for (i = 0; st == CD_OK && i < p.n; i++) {
		for (k = 0; k < NV; k++)
			vals[k] = p.vals[(size_t)i * NV + k];
		if (vals[V_ID] != NULL)
			anchor_add(ls, offset + i, vals[V_ID]);
		st = add(add_ctx, &row, err);
	}
	page_free(&p);
	return st;
}

static enum cd_status
lots_count(void *ctx, bool must, int64_t *n, struct cd_err *err)
{
	struct lots *ls = ctx;
	struct ops_lot_query q;
	enum cd_status st;

	query_of(ls, &q);
	if (must)
		return ops_lot_count(&ls->t->ops, &q, 0, n, err);
	/* Exactly when it is quick; End counts the rest. */
	if ((st = ops_lot_count(&ls->t->ops, &q, COUNT_CAP + 1, n, err)) == CD_OK &&
	    *n > COUNT_CAP)
		*n = -1;
	return st;
}

static int
lots_row_look(void *ctx, const struct tui_list_row *row)
{
	struct lots *ls = ctx;
	char left[16];

	if (row->n < NV)
		return -1;
	return tui_lot_expiry(ls->t, row->vals[V_ISO], row->vals[V_STATUS], left, sizeof left);
}

static const struct tui_list_ops lots_list_ops = {
	.count = lots_count,
	.fetch = lots_fetch,
	.row_look = lots_row_look,
};

/* --- filters --- */
static int
refilter(struct lots *ls)
{
	free(ls->reanchor);
	ls->reanchor = NULL;
	anchors_clear(ls);
	tui_list_reset(&ls->list);
	return REDRAW_LIST | REDRAW_STATUS;
}

struct site_step {
	const char *now; /* the site filtered on, or NULL */
	char next[128];  /* the one after it; "" for every site */
	bool seen;
	bool first_set;
	char first[128];
};

static enum cd_status
site_row(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	struct site_step *s = ctx;
	const char *name = col(row, "name");

	(void)err;
	if (name == NULL)
		return CD_OK;
	if (!s->first_set) {
		snprintf(s->first, sizeof s->first, "%s", name);
		s->first_set = true;
	}
	if (s->seen && s->next[0] == '\0')
		snprintf(s->next, sizeof s->next, "%s", name);
	if (s->now != NULL && strcmp(s->now, name) == 0)
		s->seen = true;
	return CD_OK;
}

static int
cmd_site(struct tui *t, struct tui_screen *s)
{
	struct lots *ls = of(s);
	struct site_step step;

	memset(&step, 0, sizeof step);
	step.now = ls->site;
	if (ops_site_list(&t->ops, site_row, &step, &t->err) != CD_OK)
		return tui_show_err(t);
	free(ls->site);
	ls->site = NULL;
	if (step.now == NULL && step.first_set)
		ls->site = xstrdup(step.first);
	else if (step.next[0] != '\0')
		ls->site = xstrdup(step.next);
	tui_message(t, false, "site: %s", ls->site != NULL ? ls->site : "every site");
	return refilter(ls);
}

static int
step_status(struct tui *t, struct lots *ls, int dir)
{
	ls->status = (ls->status + dir + NSTATUSES) % NSTATUSES;
	tui_message(t, false, "status: %s", statuses[ls->status] == NULL ? "in stock" :
	    strcmp(statuses[ls->status], "all") == 0 ? "every status" : statuses[ls->status]);
	return refilter(ls);
}

static int cmd_status_next(struct tui *t, struct tui_screen *s) { return step_status(t, of(s), 1); }
static int cmd_status_prev(struct tui *t, struct tui_screen *s) { return step_status(t, of(s), -1); }

static int
patient_done(struct tui *t, void *ctx, const char *text, bool accepted)
{
	struct lots *ls = ctx;
	struct ops_lot_query q;
	char mrn[72];
	size_t n;
	int64_t count;

	if (!accepted)
		return 0;
	while (*text == ' ')
		text++;
	snprintf(mrn, sizeof mrn, "%s", text);
	for (n = strlen(mrn); n > 0 && mrn[n - 1] == ' '; n--)
		mrn[n - 1] = '\0';
	if (mrn[0] != '\0') {
		/* An MRN no patient has is said now, not as a failed page. */
		query_of(ls, &q);
		q.patient = mrn;
		if (ops_lot_count(&t->ops, &q, 1, &count, &t->err) != CD_OK) {
			if (strncmp(t->err.msg, "--patient: ", 11) == 0)
				tui_message(t, true, "%s; the filter is as it was", t->err.msg + 11);
			else
				tui_show_err(t);
			return REDRAW_STATUS;
		}
	}
	free(ls->patient);
	ls->patient = mrn[0] != '\0' ? xstrdup(mrn) : NULL;
	tui_message(t, false, "patient: %s", ls->patient != NULL ? ls->patient : "every patient");
	return refilter(ls);
}

static int
cmd_patient(struct tui *t, struct tui_screen *s)
{
	tui_prompt_open(t, "Patient's MRN (empty: every patient): ", of(s)->patient, NULL,
	    patient_done, s);
	return REDRAW_STATUS;
}

static int
days_done(struct tui *t, void *ctx, const char *text, bool accepted)
{
	struct lots *ls = ctx;
	char *end;
	long v;

	if (!accepted)
		return 0;
	while (*text == ' ')
		text++;
	if (*text == '\0') {
		ls->days = 0;
		tui_message(t, false, "expiring: any time");
		return refilter(ls);
	}
	v = strtol(text, &end, 10);
	while (*end == ' ')
		end++;
	if (end == text || *end != '\0' || v < 1 || v > 3650) {
		tui_message(t, true, "'%.20s' is not a number of days from 1 to 3650", text);
		return REDRAW_STATUS;
	}
	ls->days = (int)v;
	tui_message(t, false, "expiring within %d day%s (the expired ones still in stock too)",
	    ls->days, ls->days == 1 ? "" : "s");
	return refilter(ls);
}

static int
cmd_days(struct tui *t, struct tui_screen *s)
{
	char now[16];

	snprintf(now, sizeof now, "%d", of(s)->days);
	tui_prompt_open(t, "Expiring within how many days (empty: any time): ",
	    of(s)->days > 0 ? now : NULL, NULL, days_done, s);
	return REDRAW_STATUS;
}

static bool
filtered(const struct lots *ls)
{
	return ls->site != NULL || ls->patient != NULL || ls->status != 0 || ls->days != 0;
}

static int
cmd_clear(struct tui *t, struct tui_screen *s)
{
	struct lots *ls = of(s);

	if (!filtered(ls))
		return 0;
	free(ls->site);
	free(ls->patient);
	ls->site = ls->patient = NULL;
	ls->status = ls->days = 0;
	tui_message(t, false, "filters cleared: the lots in stock at every site");
	return refilter(ls);
}

/* --- finding a lot by its id --- */

/* The first lot (or, backward, the last) from lot from on (backward:
 * before it) whose id holds text; its code in code, "" when none. */
static enum cd_status
find_one(struct lots *ls, const char *text, const char *from, bool backward, char *code,
    size_t n, struct cd_err *err)
{
	struct ops_lot_query q;
	struct page p = { NULL, 0, 0 };
	struct collect c = { ls, &p };
	enum cd_status st;

	code[0] = '\0';
	query_of(ls, &q);
	q.id_has = text;
	q.from = from;
	q.backward = backward;
	q.limit = 1;
	st = ops_lot_list(&ls->t->ops, &q, collect_row, &c, err);
	if (st == CD_OK && p.n == 1 && p.vals[V_ID] != NULL)
		snprintf(code, n, "%s", p.vals[V_ID]);
	page_free(&p);
	return st;
}

/* The position of lot code in the list (the rows before it). */
static enum cd_status
place_of(struct lots *ls, const char *code, int64_t *at, struct cd_err *err)
{
	struct ops_lot_query q;
	enum cd_status st;

	query_of(ls, &q);
	q.from = code;
	q.backward = true;
	if ((st = ops_lot_count(&ls->t->ops, &q, 0, at, err)) == CD_OK)
		anchor_add(ls, *at, code);
	return st;
}

struct one_code {
	char code[64];
};

static enum cd_status
take_one(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	struct one_code *o = ctx;

	(void)err;
	if (row->n > 0 && row->vals[V_ID] != NULL)
		snprintf(o->code, sizeof o->code, "%s", row->vals[V_ID]);
	return CD_OK;
}

/* The lot whose id is text exactly (any case), when the list holds it. */
static enum cd_status
find_exact(struct lots *ls, const char *text, int64_t *at, struct cd_err *err)
{
	struct page p = { NULL, 0, 0 };
	char code[64];
	size_t i;
	enum cd_status st;

	*at = -1;
	snprintf(code, sizeof code, "%s", text);
	for (i = 0; code[i] != '\0'; i++) {
		if (code[i] >= 'a' && code[i] <= 'z')
			code[i] = (char)(code[i] - 'a' + 'A');
	}
	if ((st = segment(ls, code, false, 0, 1, &p, err)) == CD_REFUSED)
		st = CD_OK; /* no such lot */
	else if (st == CD_OK && p.n == 1 && p.vals[V_ID] != NULL &&
	    strcasecmp(p.vals[V_ID], text) == 0)
		st = place_of(ls, p.vals[V_ID], at, err);
	page_free(&p);
	return st;
}

/* The next lot (dir > 0) or the one before, from the selection, whose
 * id holds text; once round the list. SQLite looks, in the list's
 * order, so a text no id holds costs one pass over the index. */
static enum cd_status
find_near(struct lots *ls, const char *text, int dir, int64_t *found, bool *wrapped,
    struct cd_err *err)
{
	struct one_code from = { "" };
	char code[64];
	enum cd_status st;

	*found = -1;
	*wrapped = false;
	/* Forward from the row after the selection; backward from it. */
	if ((st = lots_fetch(ls, ls->list.cur + (dir > 0 ? 1 : 0), 1, take_one, &from, err)) !=
	    CD_OK)
		return st;
	code[0] = '\0';
	if (from.code[0] != '\0' &&
	    (st = find_one(ls, text, from.code, dir < 0, code, sizeof code, err)) != CD_OK)
		return st;
	if (code[0] == '\0') {
		*wrapped = true;
		if ((st = find_one(ls, text, NULL, dir < 0, code, sizeof code, err)) != CD_OK)
			return st;
	}
	if (code[0] == '\0')
		return CD_OK;
	return place_of(ls, code, found, err);
}

static int
find(struct tui *t, struct lots *ls, int dir, bool exact_first)
{
	int64_t at = -1;
	bool wrapped = false;
	enum cd_status st;

	if (ls->find == NULL) {
		tui_message(t, false, "nothing to find yet: / asks for a lot id");
		return REDRAW_STATUS;
	}
	if ((st = db_begin_read(t->ops.db, &t->err)) != CD_OK)
		return tui_show_err(t);
	st = exact_first ? find_exact(ls, ls->find, &at, &t->err) : CD_OK;
	if (st == CD_OK && at < 0)
		st = find_near(ls, ls->find, dir, &at, &wrapped, &t->err);
	db_end_read(t->ops.db);
	if (st != CD_OK)
		return tui_show_err(t);
	if (at < 0) {
		tui_message(t, false, "no lot id with \"%s\" in this list%s", ls->find,
		    filtered(ls) ? " (Esc clears the filters)" : "");
		return REDRAW_STATUS;
	}
	if (at == ls->list.cur && !exact_first)
		tui_message(t, false, "\"%s\": this is the only lot that matches", ls->find);
	else if (wrapped)
		tui_message(t, false, "\"%s\": from the %s again", ls->find, dir > 0 ? "top" : "bottom");
	ls->list.cur = at;
	return REDRAW_LIST | REDRAW_STATUS;
}

static int
find_done(struct tui *t, void *ctx, const char *text, bool accepted)
{
	struct lots *ls = ctx;

	while (*text == ' ')
		text++;
	if (!accepted || *text == '\0')
		return 0;
	free(ls->find);
	ls->find = xstrdup(text);
	return find(t, ls, 1, true);
}

static int
cmd_find(struct tui *t, struct tui_screen *s)
{
	tui_prompt_open(t, "Find lot id: ", NULL, NULL, find_done, s);
	return REDRAW_STATUS;
}

static int cmd_find_next(struct tui *t, struct tui_screen *s) { return find(t, of(s), 1, false); }
static int cmd_find_prev(struct tui *t, struct tui_screen *s) { return find(t, of(s), -1, false); }

/* --- moving and opening --- */
static int cmd_down(struct tui *t, struct tui_screen *s) { (void)t; return tui_list_move(&of(s)->list, 1); }
static int cmd_up(struct tui *t, struct tui_screen *s) { (void)t; return tui_list_move(&of(s)->list, -1); }
static int cmd_page_down(struct tui *t, struct tui_screen *s) { (void)t; return tui_list_page(&of(s)->list, 1); }
static int cmd_page_up(struct tui *t, struct tui_screen *s) { (void)t; return tui_list_page(&of(s)->list, -1); }
static int cmd_home(struct tui *t, struct tui_screen *s) { (void)t; return tui_list_home(&of(s)->list); }
static int cmd_end(struct tui *t, struct tui_screen *s) { (void)t; return tui_list_end(&of(s)->list); }

static int
cmd_open(struct tui *t, struct tui_screen *s)
{
	const struct tui_list_row *row = tui_list_selected(&of(s)->list);

	if (row == NULL || row->n < 1 || row->vals[V_ID] == NULL)
		return 0;
	tui_push(t, tui_lot_page_new(row->vals[V_ID]));
	return REDRAW_ALL;
}

static int
cmd_quit(struct tui *t, struct tui_screen *s)
{
	(void)t;
	(void)s;
	return QUIT;
}

static const struct tui_cmd lots_cmds[] = {
	{ { 'j', TUI_FN(KEY_DOWN), 0 }, "next lot", "j/k move", ACT_LOT_VIEW, 0, cmd_down },
	{ { 'k', TUI_FN(KEY_UP), 0 }, "previous lot", NULL, ACT_LOT_VIEW, 0, cmd_up },
	{ { TUI_FN(KEY_NPAGE), TUI_CTRL('f'), ' ', 0 }, "next page", NULL, ACT_LOT_VIEW, 0,
	    cmd_page_down },
	{ { TUI_FN(KEY_PPAGE), TUI_CTRL('b'), 0 }, "previous page", NULL, ACT_LOT_VIEW, 0,
	    cmd_page_up },
	{ { 'g', TUI_FN(KEY_HOME), 0 }, "first lot", NULL, ACT_LOT_VIEW, 0, cmd_home },
	{ { 'G', TUI_FN(KEY_END), 0 }, "last lot", NULL, ACT_LOT_VIEW, 0, cmd_end },
	{ { '\r', '\n', TUI_FN(KEY_ENTER), 0 }, "open the lot's page", "Enter open",
	    ACT_LOT_VIEW, TUI_NEED_ROW, cmd_open },
	{ { 's', 0 }, "next site filter (then every site)", "s site",
	    ACT_LOT_VIEW, 0, cmd_site },
	{ { 'f', 0 }, "next status filter (in stock, each status, all)",
	    "f/F status", ACT_LOT_VIEW, 0, cmd_status_next },
	{ { 'F', 0 }, "previous status filter", NULL, ACT_LOT_VIEW, 0,
	    cmd_status_prev },
	{ { 'p', 0 }, "filter by patient (asks for the MRN)", "p patient", ACT_LOT_VIEW, 0,
	    cmd_patient },
	{ { 'e', 0 }, "only lots expiring within N days (asks for N)", "e expiring",
	    ACT_LOT_VIEW, 0, cmd_days },
	{ { TUI_ESC, 0 }, "clear the filters", NULL, ACT_LOT_VIEW, 0, cmd_clear },
	{ { '/', 0 }, "find a lot by its id", "/ find", ACT_LOT_VIEW, 0, cmd_find },
	{ { 'n', 0 }, "find the next lot id with that text", NULL, ACT_LOT_VIEW, 0,
	    cmd_find_next },
	{ { 'N', 0 }, "find the previous lot id with that text", NULL, ACT_LOT_VIEW, 0,
	    cmd_find_prev },
	{ { 'q', 0 }, "quit celldesk", "q quit", TUI_ACT_NONE, 0, cmd_quit },
	{ { 0 }, NULL, NULL, TUI_ACT_NONE, 0, NULL },
};

/* --- the screen --- */
static void
lots_title(struct tui_screen *s, struct strbuf *out)
{
	(void)s;
	strbuf_adds(out, "lots");
}

enum { FILTER_LINES = 1 };

static int
list_height(struct tui *t)
{
	int h = TUI_BODY_H(t) - FILTER_LINES - 1; /* less the filters and the heads */

	return h < 1 ? 1 : h;
}

static int
lots_sync(struct tui *t, struct tui_screen *s)
{
	return tui_list_refresh(t, &of(s)->list, list_height(t));
}

static void
draw_filters(const struct lots *ls, int y, int w)
{
	struct strbuf b = STRBUF_INIT, line = STRBUF_INIT;
	const char *st = statuses[ls->status];

	strbuf_addf(&b, "%s \xC2\xB7 %s \xC2\xB7 %s", st == NULL ? "in stock" :
	    strcmp(st, "all") == 0 ? "every status" : st,
	    ls->site != NULL ? ls->site : "every site",
	    ls->patient != NULL ? ls->patient : "every patient");
	if (ls->days > 0)
		strbuf_addf(&b, " \xC2\xB7 expiring within %d day%s", ls->days,
		    ls->days == 1 ? "" : "s");
	strbuf_adds(&line, " Showing: ");
	tui_fit(&line, strbuf_str(&b), w - 11, true);
	tui_put(y, 0, w, filtered(ls) ? A_BOLD : A_NORMAL, strbuf_str(&line));
	strbuf_free(&b);
	strbuf_free(&line);
}

static void
lots_draw(struct tui *t, struct tui_screen *s, int y, int h, int w)
{
	struct lots *ls = of(s);

	/* The exact expiry takes a column when there is room for it. */
	if (w >= 100) {
		ls->list.cols = cols_wide;
		ls->list.ncols = NCOLS(cols_wide);
	} else {
		ls->list.cols = cols_narrow;
		ls->list.ncols = NCOLS(cols_narrow);
	}
	draw_filters(ls, y, w);
	tui_list_draw(t, &ls->list, y + FILTER_LINES, h - FILTER_LINES, w);
}

static void
lots_info(struct tui *t, struct tui_screen *s, struct strbuf *out)
{
	const struct lots *ls = of(s);
	const struct tui_list *l = &ls->list;

	if (l->total == 0)
		strbuf_adds(out, filtered(ls) ? "no lot matches the filters" : "no lot in stock");
	else if (l->total > 0)
		strbuf_addf(out, "lot %lld of %lld", (long long)l->cur + 1, (long long)l->total);
	else
		strbuf_addf(out, "lot %lld of more than %d (End counts them)", (long long)l->cur + 1,
		    COUNT_CAP);
	if (t->prompt.active)
		strbuf_adds(out, "  \xC2\xB7  Enter accepts, Esc cancels");
	else if (filtered(ls))
		strbuf_adds(out, "  \xC2\xB7  Esc clears the filters");
	else
		strbuf_adds(out, "  \xC2\xB7  Left: the time until the lot expires");
}

static void
lots_invalidate(struct tui_screen *s)
{
	struct lots *ls = of(s);

	anchors_drop(ls);
	tui_list_invalidate(&ls->list);
}

static bool
lots_has_row(struct tui_screen *s)
{
	return tui_list_selected(&of(s)->list) != NULL;
}

static void
lots_free(struct tui_screen *s)
{
	struct lots *ls = of(s);

	tui_list_free(&ls->list);
	anchors_clear(ls);
	free(ls->anchors);
	free(ls->reanchor);
	free(ls->site);
	free(ls->patient);
	free(ls->find);
	free(ls);
}

const struct tui_screen_type tui_lots_type = {
	.name = "lots",
	.cmds = lots_cmds,
	.title = lots_title,
	.sync = lots_sync,
	.draw = lots_draw,
	.info = lots_info,
	.invalidate = lots_invalidate,
	.has_row = lots_has_row,
	.free = lots_free,
};

struct tui_screen *
tui_lots_new(struct tui *t)
{
	struct lots *ls = xcalloc(1, sizeof *ls);

	ls->base.type = &tui_lots_type;
	ls->t = t;
	tui_list_init(&ls->list, cols_narrow, NCOLS(cols_narrow), &lots_list_ops, ls);
	return &ls->base;
}
