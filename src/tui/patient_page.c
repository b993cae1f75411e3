/* patient_page.c - one patient's page: every field ops_patient_show
 * returns, labelled, long values wrapped; then the timeline of each of
 * the patient's cycles, newest first (ops_cycle_list, ops_cycle_show):
 * every visit in date order with its local date and time, step, course,
 * status and resources, the lot held for it or given at it, and a "now"
 * mark where the cycle passes today. It scrolls like a pager, `b` books
 * a new cycle, and it is re-read when a colleague changes the database. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/text.h"
#include "../core/xalloc.h"
#include "tui_int.h"

enum { MAX_FIELDS = 32 };
enum { MAX_CYCLES = 20 }; /* the newest shown; the rest are named by count */

struct tl_visit {
	int64_t id, utc_start;
	char *course, *step, *start, *site, *resource, *status, *lot, *lot_status;
};
struct tl_cycle {
	int64_t id;
	char *protocol, *site, *source, *courses, *gap_days, *status, *reason;
	struct tl_visit *v;
	int nv, cap;
};

struct patient_page {
	struct tui_pager_screen ps;
	char *mrn;
	int nf;
	char *keys[MAX_FIELDS], *vals[MAX_FIELDS];
	struct tl_cycle *cycles;  /* newest first */
	int ncycles, cap;
	int64_t *ids;             /* every cycle's id, as listed */
	int nids, ids_cap;
	char *cycles_err;         /* why the cycles could not be read, or NULL */
	int64_t newest;           /* the newest cycle's id when last read */
	bool read_once, show_new; /* a cycle came since: scroll to it */
	bool stale, gone;
	int laid_w; /* the width the lines were laid out for; -1: redo */
};

static const struct {
	const char *key, *label;
} labels[] = {
	{ "mrn", "MRN" }, { "name", "Name" }, { "dob", "Date of birth" },
	{ "phone", "Phone" }, { "site", "Site" }, { "language", "Language" },
	{ "condition", "Condition" }, { "notes", "Notes" }, { "created", "Registered" },
	{ "updated", "Last changed" },
};

static const char *
label_of(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof labels / sizeof labels[0]; i++) {
		if (strcmp(labels[i].key, key) == 0)
			return labels[i].label;
	}
	return key;
}

static struct patient_page *
of(struct tui_screen *s)
{
	return (struct patient_page *)s;
}

/* A copy of the row's value under key, or NULL. */
static char *
dup_val(const struct cd_row *row, const char *key)
{
	int i;

	for (i = 0; i < row->n; i++) {
		if (strcmp(row->keys[i], key) == 0)
			return row->vals[i] != NULL ? xstrdup(row->vals[i]) : NULL;
	}
	return NULL;
}

static int64_t
int_val(const struct cd_row *row, const char *key)
{
	int i;

	for (i = 0; i < row->n; i++) {
		if (strcmp(row->keys[i], key) == 0 && row->vals[i] != NULL)
			return strtoll(row->vals[i], NULL, 10);
	}
	return 0;
}

static void
clear_fields(struct patient_page *pp)
{
	int i;

	for (i = 0; i < pp->nf; i++) {
		free(pp->keys[i]);
		free(pp->vals[i]);
	}
	pp->nf = 0;
}

static void
clear_cycles(struct patient_page *pp)
{
	struct tl_cycle *c;
	struct tl_visit *v;
	int i, j;

	for (i = 0; i < pp->ncycles; i++) {
		c = &pp->cycles[i];
		for (j = 0; j < c->nv; j++) {
			v = &c->v[j];
			free(v->course);
			free(v->step);
			free(v->start);
			free(v->site);
			free(v->resource);
			free(v->status);
			free(v->lot);
			free(v->lot_status);
		}
		free(c->v);
		free(c->protocol);
		free(c->site);
		free(c->source);
		free(c->courses);
		free(c->gap_days);
		free(c->status);
		free(c->reason);
	}
	pp->ncycles = 0;
	pp->nids = 0;
	free(pp->cycles_err);
	pp->cycles_err = NULL;
}

static enum cd_status
copy_fields(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	struct patient_page *pp = ctx;
	int i;

	(void)err;
	clear_fields(pp);
	for (i = 0; i < row->n && i < MAX_FIELDS; i++) {
		pp->keys[i] = xstrdup(row->keys[i]);
		pp->vals[i] = row->vals[i] != NULL ? xstrdup(row->vals[i]) : NULL;
	}
	pp->nf = i;
	return CD_OK;
}

static enum cd_status
keep_cycle_id(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	struct patient_page *pp = ctx;

	(void)err;
	if (pp->nids == pp->ids_cap) {
		pp->ids_cap = pp->ids_cap ? pp->ids_cap * 2 : 8;
		pp->ids = xrealloc(pp->ids, (size_t)pp->ids_cap * sizeof *pp->ids);
	}
	pp->ids[pp->nids++] = int_val(row, "id");
	return CD_OK;
}

static enum cd_status
cycle_head(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	struct tl_cycle *c = ctx;

	(void)err;
	c->protocol = dup_val(row, "protocol");
	c->site = dup_val(row, "site");
	c->source = dup_val(row, "source");
	c->courses = dup_val(row, "courses");
	c->gap_days = dup_val(row, "gap_days");
	c->status = dup_val(row, "status");
	c->reason = dup_val(row, "reason");
	return CD_OK;
}

static enum cd_status
cycle_visit(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	struct tl_cycle *c = ctx;
	struct tl_visit *v;

	(void)err;
	if (c->nv == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->v = xrealloc(c->v, (size_t)c->cap * sizeof *c->v);
	}
	v = &c->v[c->nv++];
	v->id = int_val(row, "id");
	v->utc_start = int_val(row, "utc_start");
	v->course = dup_val(row, "course");
	v->step = dup_val(row, "step");
	v->start = dup_val(row, "start");
	v->site = dup_val(row, "site");
	v->resource = dup_val(row, "resource");
	v->status = dup_val(row, "status");
	v->lot = dup_val(row, "lot");
	v->lot_status = dup_val(row, "lot_status");
	return CD_OK;
}

/* The newest cycles, each one short read of its own (ops_cycle_show
 * opens it). */
static enum cd_status
read_cycles(struct tui *t, struct patient_page *pp)
{
	struct tl_cycle *c;
	enum cd_status st = CD_OK;
	int i;

	for (i = pp->nids - 1; i >= 0 && pp->ncycles < MAX_CYCLES; i--) {
		if (pp->ncycles == pp->cap) {
			pp->cap = pp->cap ? pp->cap * 2 : 4;
			pp->cycles = xrealloc(pp->cycles, (size_t)pp->cap * sizeof *pp->cycles);
		}
		c = &pp->cycles[pp->ncycles++];
		memset(c, 0, sizeof *c);
		c->id = pp->ids[i];
		st = ops_cycle_show(&t->ops, c->id, cycle_head, cycle_visit, c, &t->err);
		if (st != CD_OK)
			break;
	}
	return st;
}

static int
page_sync(struct tui *t, struct tui_screen *s)
{
	struct patient_page *pp = of(s);
	enum cd_status st;

	if (!pp->stale)
		return 0;
	pp->stale = false;
	pp->laid_w = -1;
	clear_cycles(pp);
	/* The record and the list of cycles in one snapshot; each cycle
	 * then in its own (ops_cycle_show reads it whole, lots included). */
	if ((st = db_begin_read(t->ops.db, &t->err)) != CD_OK)
		return tui_show_err(t) | REDRAW_LIST;
	st = ops_patient_show(&t->ops, pp->mrn, copy_fields, pp, &t->err);
	pp->gone = st == CD_REFUSED;
	if (st == CD_OK && ops_cycle_list(&t->ops, pp->mrn, keep_cycle_id, pp, &t->err) != CD_OK)
		pp->cycles_err = xstrdup(t->err.msg);
	db_end_read(t->ops.db);
	if (st == CD_REFUSED) {
		clear_fields(pp);
		return REDRAW_LIST | REDRAW_STATUS;
	}
	if (st != CD_OK)
		return tui_show_err(t) | REDRAW_LIST;
	if (pp->cycles_err == NULL && read_cycles(t, pp) != CD_OK)
		pp->cycles_err = xstrdup(t->err.msg);
	/* A cycle booked since (here or by a colleague) is shown whole. */
	if (pp->ncycles > 0 && pp->read_once && pp->cycles[0].id != pp->newest)
		pp->show_new = true;
	pp->newest = pp->ncycles > 0 ? pp->cycles[0].id : 0;
	pp->read_once = true;
	return REDRAW_LIST | REDRAW_STATUS;
}

/* --- laying the page out for a width --- */
enum { TL_INDENT = 2, W_DATE = 10, W_TIME = 5, W_STEP = 9, W_COURSE = 6, GAP = 2 };

static int
look_of(const struct tl_visit *v, int64_t now)
{
	const char *s = v->status != NULL ? v->status : "";

	if (strncmp(s, "cancelled", 9) == 0 || strcmp(s, "no-show") == 0)
		return LOOK_BAD;
	if (strcmp(s, "done") == 0 || strcmp(s, "checked-in") == 0)
		return LOOK_OK;
	if (strcmp(s, "booked") == 0 && v->utc_start < now)
		return LOOK_WARN; /* its time has passed and nobody marked it */
	return -1;
}

/* One visit's line: the columns padded to their widths. */
static void
visit_line(struct strbuf *b, const struct tl_visit *v, const char *cycle_site, int status_w,
    int where_w)
{
	char date[11] = "", time[6] = "";
	struct strbuf where = STRBUF_INIT;

	if (v->start != NULL && strlen(v->start) >= 16) {
		memcpy(date, v->start, 10);
		memcpy(time, v->start + 11, 5);
	}
	/* A visit at another site than its cycle's says where. */
	if (v->site != NULL && cycle_site != NULL && strcmp(v->site, cycle_site) != 0)
		strbuf_addf(&where, "%s: ", v->site);
	strbuf_adds(&where, v->resource != NULL ? v->resource : "");
	tui_fit(b, date, W_DATE, true);
	strbuf_adds(b, "  ");
	tui_fit(b, time, W_TIME, true);
	strbuf_adds(b, "  ");
	tui_fit(b, v->step != NULL ? v->step : "", W_STEP, true);
	strbuf_adds(b, "  ");
	tui_fit(b, v->course != NULL ? v->course : "", W_COURSE, true);
	strbuf_adds(b, "  ");
	tui_fit(b, v->status != NULL ? v->status : "", status_w, true);
	strbuf_adds(b, "  ");
	tui_fit(b, strbuf_str(&where), where_w, false);
	strbuf_free(&where);
}

static void
add_raw(struct tui_pager *p, attr_t attr, int indent, const char *raw, int w)
{
	struct strbuf b = STRBUF_INIT;

	tui_fit(&b, raw, w, false);
	tui_pager_add(p, attr, indent, strbuf_str(&b));
	strbuf_free(&b);
}

static void
layout_cycle(struct tui *t, struct tui_pager *p, const struct tl_cycle *c, int w, int64_t now)
{
	struct strbuf b = STRBUF_INIT;
	int i, status_w = 6, sw, where_w, look;
	bool marked = false, past = false;
	const struct tl_visit *v;

	strbuf_addf(&b, "Cycle %lld \xC2\xB7 %s \xC2\xB7 %s \xC2\xB7 %s \xC2\xB7 %s courses,"
	    " %s days apart \xC2\xB7 %s", (long long)c->id, c->protocol ? c->protocol : "?",
	    c->site ? c->site : "?", c->source ? c->source : "?", c->courses ? c->courses : "?",
	    c->gap_days ? c->gap_days : "?", c->status ? c->status : "?");
	if (c->reason != NULL && c->reason[0] != '\0')
		strbuf_addf(&b, " (%s)", c->reason);
	add_raw(p, c->status != NULL && strcmp(c->status, "cancelled") == 0 ?
	    tui_attr(t, LOOK_BAD) | A_BOLD : A_BOLD, 0, strbuf_str(&b), w - 2);
	for (i = 0; i < c->nv; i++) {
		if (c->v[i].status != NULL && (sw = (int)text_width(c->v[i].status)) > status_w)
			status_w = sw;
	}
	where_w = w - 2 - TL_INDENT - (W_DATE + W_TIME + W_STEP + W_COURSE + 5 * GAP) - status_w;
	if (where_w < 8)
		where_w = 8;
	strbuf_reset(&b);
	tui_fit(&b, "Date", W_DATE, true);
	strbuf_adds(&b, "  ");
	tui_fit(&b, "Time", W_TIME, true);
	strbuf_adds(&b, "  ");
	tui_fit(&b, "Step", W_STEP, true);
	strbuf_adds(&b, "  ");
	tui_fit(&b, "Course", W_COURSE, true);
	strbuf_adds(&b, "  ");
	tui_fit(&b, "Status", status_w, true);
	strbuf_adds(&b, "  ");
	tui_fit(&b, "Where", where_w, false);
	tui_pager_add(p, tui_attr(t, LOOK_HEADS), TL_INDENT, strbuf_str(&b));
	if (c->nv == 0)
		add_raw(p, tui_attr(t, LOOK_DIM), TL_INDENT, "no visits", w - 2 - TL_INDENT);
	for (i = 0; i < c->nv; i++) {
		v = &c->v[i];
		/* The "now" mark between the visits past and those to come. */
		if (!marked && past && v->utc_start >= now) {
			tui_pager_add(p, tui_attr(t, LOOK_NOW), 0, "\xE2\x96\xB6 now");
			marked = true;
		}
		past = past || v->utc_start < now;
		strbuf_reset(&b);
		visit_line(&b, v, c->site, status_w, where_w);
		look = look_of(v, now);
		tui_pager_add(p, look >= 0 ? tui_attr(t, (enum tui_look)look) : A_NORMAL, TL_INDENT,
		    strbuf_str(&b));
		if (v->lot != NULL) {
			strbuf_reset(&b);
			strbuf_addf(&b, "lot %s (%s)", v->lot, v->lot_status ? v->lot_status : "?");
			add_raw(p, A_NORMAL, TL_INDENT + W_DATE + W_TIME + 2 * GAP, strbuf_str(&b),
			    w - 2 - TL_INDENT - W_DATE - W_TIME - 2 * GAP);
		}
	}
	tui_pager_add(p, A_NORMAL, 0, "");
	strbuf_free(&b);
}

static void
layout(struct tui *t, struct patient_page *pp, int w)
{
	struct tui_pager *p = &pp->ps.pager;
	struct strbuf b = STRBUF_INIT;
	int i, label_w = 0, lw;
	int64_t now = (int64_t)time(NULL);

	tui_pager_clear(p);
	if (pp->gone) {
		tui_pager_add(p, tui_attr(t, LOOK_ERROR), 0,
		    "This patient is no longer in the database (changed or removed by someone else).");
	}
	for (i = 0; i < pp->nf; i++) {
		if ((lw = (int)text_width(label_of(pp->keys[i]))) > label_w)
			label_w = lw;
	}
	label_w += 2;
	for (i = 0; i < pp->nf; i++) {
		struct strbuf label = STRBUF_INIT;

		/* Labels are column names: constants, but sanitized all the same. */
		text_sanitize(&label, label_of(pp->keys[i]), strlen(label_of(pp->keys[i])));
		tui_pager_add_field(p, tui_attr(t, LOOK_LABEL), strbuf_str(&label), label_w,
		    pp->vals[i] != NULL ? pp->vals[i] : "\xE2\x80\x94", w - 2);
		strbuf_free(&label);
	}
	if (!pp->gone) {
		tui_pager_add(p, A_NORMAL, 0, "");
		if (pp->cycles_err != NULL) {
			strbuf_addf(&b, "The cycles cannot be shown: %s", pp->cycles_err);
			add_raw(p, tui_attr(t, LOOK_ERROR), 0, strbuf_str(&b), w - 2);
		} else if (pp->nids == 0) {
			add_raw(p, tui_attr(t, LOOK_DIM), 0, roles_may(t->ops.roles, ACT_BOOK) ?
			    "No cycle booked yet; b books one." : "No cycle booked yet.", w - 2);
		}
		for (i = 0; i < pp->ncycles; i++) {
			if (i == 0 && pp->show_new) {
				p->scroll = p->n; /* tui_pager_draw keeps it in range */
				pp->show_new = false;
			}
			layout_cycle(t, p, &pp->cycles[i], w, now);
		}
		if (pp->nids > pp->ncycles) {
			strbuf_reset(&b);
			strbuf_addf(&b, "%d older cycles are not shown (celldesk cycle list"
			    " --patient %s)", pp->nids - pp->ncycles, pp->mrn);
			add_raw(p, tui_attr(t, LOOK_DIM), 0, strbuf_str(&b), w - 2);
		}
	}
	strbuf_free(&b);
	pp->laid_w = w;
}

static void
page_draw(struct tui *t, struct tui_screen *s, int y, int h, int w)
{
	struct patient_page *pp = of(s);

	if (pp->laid_w != w)
		layout(t, pp, w);
	tui_pager_draw(t, &pp->ps.pager, y, h, w);
}

static void
page_title(struct tui_screen *s, struct strbuf *out)
{
	strbuf_addf(out, "patient %s", of(s)->mrn);
}

static void
page_info(struct tui *t, struct tui_screen *s, struct strbuf *out)
{
	struct patient_page *pp = of(s);
	const struct tui_pager *p = &pp->ps.pager;
	int last = p->scroll + p->height;

	(void)t;
	if (pp->nf > 1 && pp->vals[1] != NULL)
		strbuf_addf(out, "%s  \xC2\xB7  ", pp->vals[1]);
	if (pp->cycles_err == NULL && !pp->gone)
		strbuf_addf(out, "%d cycle%s  \xC2\xB7  ", pp->nids, pp->nids == 1 ? "" : "s");
	if (last > p->n)
		last = p->n;
	strbuf_addf(out, "lines %d\xE2\x80\x93%d of %d", p->n > 0 ? p->scroll + 1 : 0, last, p->n);
}

static void
page_invalidate(struct tui_screen *s)
{
	of(s)->stale = true;
}

static void
page_free(struct tui_screen *s)
{
	struct patient_page *pp = of(s);

	clear_fields(pp);
	clear_cycles(pp);
	free(pp->cycles);
	free(pp->ids);
	tui_pager_free(&pp->ps.pager);
	free(pp->mrn);
	free(pp);
}

/* --- commands: a pager's (pager.c), and booking --- */
static int
cmd_book(struct tui *t, struct tui_screen *s)
{
	if (of(s)->gone) {
		tui_message(t, true, "patient %s is no longer in the database", of(s)->mrn);
		return REDRAW_STATUS;
	}
	tui_push(t, tui_book_new(t, of(s)->mrn));
	return REDRAW_ALL;
}

static int
cmd_back(struct tui *t, struct tui_screen *s)
{
	(void)s;
	return tui_pop(t);
}

static const struct tui_cmd page_cmds[] = {
	TUI_PAGER_SCROLL_CMDS(TUI_ACT_NONE, "j/k scroll"),
	{ { 'b', 0 }, "book a cycle for this patient", "b book a cycle", ACT_BOOK, 0,
	    cmd_book },
	{ { TUI_ESC, 'q', 0 }, "go back", "Esc/q back", TUI_ACT_NONE, 0, cmd_back },
	{ { 0 }, NULL, NULL, TUI_ACT_NONE, 0, NULL },
};

const struct tui_screen_type tui_patient_page_type = {
	.name = "patient",
	.cmds = page_cmds,
	.title = page_title,
	.sync = page_sync,
	.draw = page_draw,
	.info = page_info,
	.invalidate = page_invalidate,
	.free = page_free,
};

struct tui_screen *
tui_patient_page_new(const char *mrn)
{
	struct patient_page *pp = xcalloc(1, sizeof *pp);

	pp->ps.base.type = &tui_patient_page_type;
	pp->mrn = xstrdup(mrn);
	pp->stale = true;
	pp->laid_w = -1;
	return &pp->ps.base;
}

/* The MRN of a patient page, or NULL for another screen. */
const char *
tui_patient_page_mrn(const struct tui_screen *s)
{
	return s != NULL && s->type == &tui_patient_page_type ?
	    ((const struct patient_page *)s)->mrn : NULL;
}
