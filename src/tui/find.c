/* find.c - `/`, `n` and `N` on a list screen: the text typed is looked
 * for in every column of the rows after (or before) the selection, a
 * chunk of rows at a time through the list's own fetch callback, so a
 * search never loads the whole list; it wraps around once. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/xalloc.h"
#include "tui_int.h"

enum { FIND_CHUNK = 256, FIND_MAX = 50000 }; /* rows read per query, per search */

struct scan {
	const char *needle;
	int64_t seen, at; /* at: the first match's index in the chunk, or -1 */
	bool last;        /* backwards: keep the last match, not the first */
};

static bool
contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; hay != NULL && *hay != '\0'; hay++) {
		if (strncasecmp(hay, needle, n) == 0)
			return true;
	}
	return false;
}

static enum cd_status
scan_row(void *vctx, const struct cd_row *row, struct cd_err *err)
{
	struct scan *sc = vctx;
	int i;

	(void)err;
	if (sc->at < 0 || sc->last) {
		for (i = 0; i < row->n; i++) {
			if (contains(row->vals[i], sc->needle)) {
				sc->at = sc->seen;
				break;
			}
		}
	}
	sc->seen++;
	return CD_OK;
}

/* Looks in rows [from, from + n): the index of the first (or, with last,
 * the last) match, or -1; *rows gets how many rows there were. */
static enum cd_status
scan_chunk(struct tui_list *l, const char *needle, int64_t from, int64_t n, bool last,
    int64_t *at, int64_t *rows, struct cd_err *err)
{
	struct scan sc = { needle, 0, -1, last };
	enum cd_status st;

	if ((st = l->ops->fetch(l->ctx, from, n, scan_row, &sc, err)) != CD_OK)
		return st;
	*at = sc.at >= 0 ? from + sc.at : -1;
	*rows = sc.seen;
	return CD_OK;
}

/* Forward from cur + 1 to the end, then from the start to cur. */
static enum cd_status
find_forward(struct tui_list *l, const char *needle, int64_t *found, bool *wrapped,
    struct cd_err *err)
{
	int64_t from = l->cur + 1, at, rows, read = 0;
	enum cd_status st;
	int lap;

	for (lap = 0; lap < 2; lap++) {
		while (read < FIND_MAX) {
			if ((st = scan_chunk(l, needle, from, FIND_CHUNK, false, &at, &rows, err)) != CD_OK)
				return st;
			read += rows;
			if (at >= 0 && (lap == 0 || at <= l->cur)) {
				*found = at;
				*wrapped = lap > 0;
				return CD_OK;
			}
			if (rows < FIND_CHUNK || (lap > 0 && from + rows > l->cur))
				break;
			from += rows;
		}
		from = 0;
	}
	*found = -1;
	return CD_OK;
}

/* Backward from cur - 1 to the start; then from the end, when the list
 * knows where that is. */
static enum cd_status
find_backward(struct tui_list *l, const char *needle, int64_t *found, bool *wrapped,
    struct cd_err *err)
{
	int64_t to = l->cur, from, at, rows, read = 0, n;
	enum cd_status st;
	int lap;

	for (lap = 0; lap < 2; lap++) {
		while (to > 0 && read < FIND_MAX) {
			from = to > FIND_CHUNK ? to - FIND_CHUNK : 0;
			if ((st = scan_chunk(l, needle, from, to - from, true, &at, &rows, err)) != CD_OK)
				return st;
			read += rows;
			if (at >= 0 && (lap == 0 || at > l->cur)) {
				*found = at;
				*wrapped = lap > 0;
				return CD_OK;
			}
			if (lap > 0 && from <= l->cur)
				break;
			to = from;
		}
		if (lap > 0 || (st = l->ops->count(l->ctx, true, &n, err)) != CD_OK)
			return lap > 0 ? CD_OK : st;
		to = n;
	}
	*found = -1;
	return CD_OK;
}

static int
find(struct tui *t, struct tui_find *f, int dir)
{
	struct tui_list *l = f->list;
	enum cd_status st;
	int64_t at = -1;
	bool wrapped = false;

	if (f->text == NULL || f->text[0] == '\0') {
		tui_message(t, false, "nothing to find yet: / asks for the text");
		return REDRAW_STATUS;
	}
	/* Each chunk is its own short read (the ops open theirs). */
	st = dir > 0 ? find_forward(l, f->text, &at, &wrapped, &t->err) :
	    find_backward(l, f->text, &at, &wrapped, &t->err);
	if (st != CD_OK)
		return tui_show_err(t);
	if (at < 0) {
		tui_message(t, false, "\"%s\" is not in the list", f->text);
		return REDRAW_STATUS;
	}
	l->cur = at;
	if (wrapped)
		tui_message(t, false, "\"%s\": from the %s again", f->text,
		    dir > 0 ? "top" : "bottom");
	return REDRAW_LIST | REDRAW_STATUS;
}

static int
find_done(struct tui *t, void *ctx, const char *text, bool accepted)
{
	struct tui_find *f = ctx;

	if (!accepted || text[0] == '\0')
		return 0;
	free(f->text);
	f->text = xstrdup(text);
	return find(t, f, 1);
}

int
tui_find_open(struct tui *t, struct tui_find *f)
{
	tui_prompt_open(t, "Find: ", NULL, NULL, find_done, f);
	return REDRAW_STATUS;
}

int
tui_find_next(struct tui *t, struct tui_find *f, int dir)
{
	return find(t, f, dir);
}

void
tui_find_free(struct tui_find *f)
{
	free(f->text);
	f->text = NULL;
}
