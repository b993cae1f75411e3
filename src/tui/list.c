/* list.c - the one list widget every table-like screen uses (patients
 * now; visits and lots later). It never holds more than one page: the
 * screen gives it a fetch callback that streams rows [offset, offset +
 * limit) and a count callback, and the widget keeps the selection, the
 * first row shown and the page of copies (tmux mode-tree.c, calcurse
 * listbox.c). Moving only changes numbers; tui_list_sync, called by the
 * loop before painting, fetches what the numbers now need. A row may
 * have a look (row_look: status colours); the selection adds reverse
 * video, so it shows without colour too. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "../core/xalloc.h"
#include "tui_int.h"

enum { COL_GAP = 2, MARGIN = 1 };

void
tui_list_init(struct tui_list *l, const struct tui_list_col *cols, int ncols,
    const struct tui_list_ops *ops, void *ctx)
{
	memset(l, 0, sizeof *l);
	l->cols = cols;
	l->ncols = ncols;
	l->ops = ops;
	l->ctx = ctx;
	l->total = -1;
	l->fetched_top = -1;
	l->need_count = true;
	l->need_fetch = true;
}

static void
clear_rows(struct tui_list *l)
{
	int i, j;

	for (i = 0; i < l->nrows; i++) {
		for (j = 0; j < l->rows[i].n; j++)
			free(l->rows[i].vals[j]);
		free(l->rows[i].vals);
	}
	l->nrows = 0;
}

void
tui_list_free(struct tui_list *l)
{
	clear_rows(l);
	free(l->rows);
	free(l->keep_key);
	l->rows = NULL;
	l->keep_key = NULL;
	l->cap = 0;
}

bool
tui_list_stale(const struct tui_list *l, int height)
{
	return l->need_count || l->need_fetch || l->want_end || l->keep_key != NULL ||
	    height != l->height || l->fetched_top != l->top || l->cur < l->top ||
	    l->cur >= l->top + l->height;
}

void
tui_list_reset(struct tui_list *l)
{
	l->top = l->cur = 0;
	l->total = -1;
	l->more = false;
	l->need_count = l->need_fetch = true;
	l->want_end = false;
	free(l->keep_key);
	l->keep_key = NULL;
}

void
tui_list_invalidate(struct tui_list *l)
{
	const struct tui_list_row *sel = tui_list_selected(l);

	free(l->keep_key);
	l->keep_key = NULL;
	if (sel != NULL && sel->n > 0 && sel->vals[0] != NULL)
		l->keep_key = xstrdup(sel->vals[0]);
	l->need_count = l->need_fetch = true;
}

struct add_ctx {
	struct tui_list *l;
	int64_t seen;
};

/* Copies a streamed row into the page; rows past the page only say
 * that there is more. */
static enum cd_status
add_row(void *vctx, const struct cd_row *row, struct cd_err *err)
{
	struct add_ctx *a = vctx;
	struct tui_list *l = a->l;
	struct tui_list_row *r;
	int i;

	(void)err;
	if (a->seen++ >= l->height)
		return CD_OK;
	if (l->nrows == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 32;
		l->rows = xrealloc(l->rows, (size_t)l->cap * sizeof *l->rows);
	}
	r = &l->rows[l->nrows++];
	r->n = row->n;
	r->vals = xcalloc(row->n > 0 ? (size_t)row->n : 1, sizeof *r->vals);
	for (i = 0; i < row->n; i++)
		r->vals[i] = row->vals[i] != NULL ? xstrdup(row->vals[i]) : NULL;
	return CD_OK;
}

/* Keeps cur inside what is known to exist and top around cur. */
static void
clamp(struct tui_list *l)
{
	if (l->cur < 0)
		l->cur = 0;
	if (l->total >= 0 && l->cur > l->total - 1)
		l->cur = l->total > 0 ? l->total - 1 : 0;
	if (l->cur < l->top)
		l->top = l->cur;
	if (l->cur >= l->top + l->height)
		l->top = l->cur - l->height + 1;
	/* A full page at the end, when the end is known. */
	if (l->total >= 0 && l->top > l->total - l->height)
		l->top = l->total - l->height;
	if (l->top < 0)
		l->top = 0;
}

static enum cd_status
fetch(struct tui_list *l, struct cd_err *err)
{
	struct add_ctx a = { l, 0 };
	enum cd_status st;
	int64_t n;

	clear_rows(l);
	l->fetched_top = -1;
	if ((st = l->ops->fetch(l->ctx, l->top, l->height + 1, add_row, &a, err)) != CD_OK)
		return st;
	l->fetched_top = l->top;
	l->need_fetch = false;
	l->more = a.seen > l->height;
	if (l->more)
		return CD_OK;
	if (a.seen > 0 || l->top == 0) {
		l->total = l->top + a.seen; /* the end is in this page */
		return CD_OK;
	}
	/* Past the end (rows went away, or a page down overshot): ask. */
	if ((st = l->ops->count(l->ctx, true, &n, err)) != CD_OK)
		return st;
	l->total = n < 0 ? 0 : n;
	return CD_OK;
}

static int
find_key(const struct tui_list *l, const char *key)
{
	int i;

	for (i = 0; i < l->nrows; i++) {
		if (l->rows[i].n > 0 && l->rows[i].vals[0] != NULL &&
		    strcmp(l->rows[i].vals[0], key) == 0)
			return i;
	}
	return -1;
}

struct finder {
	const char *key;
	int64_t seen, at;
};

static enum cd_status
find_row(void *vctx, const struct cd_row *row, struct cd_err *err)
{
	struct finder *f = vctx;

	(void)err;
	if (f->at < 0 && row->n > 0 && row->vals[0] != NULL && strcmp(row->vals[0], f->key) == 0)
		f->at = f->seen;
	f->seen++;
	return CD_OK;
}

/* The selected row moved off the page (a colleague added or removed
 * rows before it): look a page either side, without copying. */
static enum cd_status
find_key_near(struct tui_list *l, struct cd_err *err)
{
	struct finder f = { l->keep_key, 0, -1 };
	int64_t from = l->top - l->height > 0 ? l->top - l->height : 0;
	enum cd_status st;

	if ((st = l->ops->fetch(l->ctx, from, 3 * (int64_t)l->height, find_row, &f, err)) != CD_OK)
		return st;
	if (f.at >= 0)
		l->cur = from + f.at;
	return CD_OK;
}

enum cd_status
tui_list_sync(struct tui_list *l, int height, struct cd_err *err)
{
	enum cd_status st;
	int64_t n;
	int pass, i;

	if (height < 1)
		height = 1;
	if (height != l->height) {
		l->height = height;
		l->need_fetch = true;
	}
	if (l->need_count || l->want_end) {
		if ((st = l->ops->count(l->ctx, l->want_end, &n, err)) != CD_OK)
			return st;
		l->total = n;
		l->need_count = false;
		if (l->want_end && n >= 0)
			l->cur = n - 1;
		l->want_end = false;
	}
	/* Each fetch may learn where the end is, which may move the page:
	 * three passes settle it. */
	for (pass = 0; pass < 3; pass++) {
		clamp(l);
		if (!l->need_fetch && l->fetched_top == l->top)
			break;
		if ((st = fetch(l, err)) != CD_OK)
			return st;
	}
	if (l->keep_key != NULL) {
		if ((i = find_key(l, l->keep_key)) >= 0)
			l->cur = l->top + i;
		else if ((st = find_key_near(l, err)) != CD_OK)
			return st;
		free(l->keep_key);
		l->keep_key = NULL;
		if (l->cur < l->top || l->cur >= l->top + l->height) {
			clamp(l);
			if ((st = fetch(l, err)) != CD_OK)
				return st;
		}
	}
	if (l->nrows == 0)
		l->cur = l->top;
	else if (l->cur > l->top + l->nrows - 1)
		l->cur = l->top + l->nrows - 1;
	return CD_OK;
}

/* The last index known to exist (or, while more lie beyond the page,
 * as far as anyone may go). */
static int64_t
last_index(const struct tui_list *l)
{
	if (l->total >= 0)
		return l->total - 1;
	if (l->more)
		return INT64_MAX / 4;
	return l->top + l->nrows - 1;
}

int
tui_list_move(struct tui_list *l, int64_t delta)
{
	int64_t to = l->cur + delta, last = last_index(l);

	if (to > last)
		to = last;
	if (to < 0)
		to = 0;
	if (to == l->cur)
		return 0;
	l->cur = to;
	return REDRAW_LIST | REDRAW_STATUS;
}

int
tui_list_page(struct tui_list *l, int dir)
{
	int64_t old_top = l->top, old_cur = l->cur, last = last_index(l);

	l->top += (int64_t)dir * l->height;
	l->cur += (int64_t)dir * l->height;
	if (l->top < 0)
		l->top = 0;
	if (l->cur > last)
		l->cur = last;
	if (l->cur < 0)
		l->cur = 0;
	if (l->total >= 0 || !l->more)
		clamp(l);
	return l->top != old_top || l->cur != old_cur ? REDRAW_LIST | REDRAW_STATUS : 0;
}

int
tui_list_home(struct tui_list *l)
{
	if (l->cur == 0 && l->top == 0)
		return 0;
	l->cur = l->top = 0;
	return REDRAW_LIST | REDRAW_STATUS;
}

int
tui_list_end(struct tui_list *l)
{
	l->want_end = true;
	return REDRAW_LIST | REDRAW_STATUS;
}

const struct tui_list_row *
tui_list_selected(const struct tui_list *l)
{
	int64_t i = l->cur - l->top;

	if (l->fetched_top != l->top || i < 0 || i >= l->nrows)
		return NULL;
	return &l->rows[i];
}

/* The width of each column: fixed ones as asked, the rest shared. */
static void
layout(const struct tui_list *l, int w, int *widths)
{
	int i, fixed = 0, nflex = 0, left;

	for (i = 0; i < l->ncols; i++) {
		if (l->cols[i].width > 0)
			fixed += l->cols[i].width;
		else
			nflex++;
	}
	left = w - 2 * MARGIN - fixed - COL_GAP * (l->ncols - 1);
	for (i = 0; i < l->ncols; i++) {
		if (l->cols[i].width > 0)
			widths[i] = l->cols[i].width;
		else {
			widths[i] = left / nflex;
			left -= widths[i];
			nflex--;
		}
		if (widths[i] < 1)
			widths[i] = 1;
	}
}

static void
draw_line(int y, int w, attr_t attr, const struct tui_list *l, const int *widths,
    const char *const *vals, bool raw)
{
	struct strbuf line = STRBUF_INIT;
	int i;

	strbuf_adds(&line, " ");
	for (i = 0; i < l->ncols; i++) {
		if (i > 0)
			strbuf_adds(&line, "  ");
		if (raw)
			tui_fit(&line, vals[i] != NULL ? vals[i] : "", widths[i], true);
		else
			tui_fit_safe(&line, vals[i], widths[i], true);
	}
	tui_put(y, 0, w, attr, strbuf_str(&line));
	strbuf_free(&line);
}

void
tui_list_draw(struct tui *t, const struct tui_list *l, int y, int h, int w)
{
	const char *heads[16], *vals[16];
	int widths[16], i, j, look;
	attr_t attr;
	int64_t k;

	if (l->ncols > 16 || h < 1)
		return;
	layout(l, w, widths);
	for (i = 0; i < l->ncols; i++)
		heads[i] = l->cols[i].head;
	draw_line(y, w, tui_attr(t, LOOK_HEADS), l, widths, heads, false);
	for (i = 0; i < h - 1; i++) {
		k = l->top + i;
		if (i >= l->nrows) {
			tui_put(y + 1 + i, 0, w, A_NORMAL, "");
			continue;
		}
		for (j = 0; j < l->ncols; j++)
			vals[j] = j < l->rows[i].n ? l->rows[i].vals[j] : NULL;
		look = l->ops->row_look != NULL ? l->ops->row_look(l->ctx, &l->rows[i]) : -1;
		attr = look >= 0 ? tui_attr(t, (enum tui_look)look) : A_NORMAL;
		draw_line(y + 1 + i, w, k == l->cur ? (attr | A_REVERSE) : attr, l, widths, vals,
		    true);
	}
}

int
tui_list_refresh(struct tui *t, struct tui_list *l, int height)
{
	enum cd_status st;

	if (!tui_list_stale(l, height))
		return 0;
	/* One snapshot for the count and the page, closed before the loop
	 * waits for the next key. */
	if ((st = db_begin_read(t->ops.db, &t->err)) != CD_OK)
		return tui_show_err(t);
	st = tui_list_sync(l, height, &t->err);
	db_end_read(t->ops.db);
	if (st != CD_OK)
		return tui_show_err(t) | REDRAW_LIST;
	return REDRAW_LIST | REDRAW_STATUS;
}
