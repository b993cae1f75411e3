/* pager.c - a scrolling view of lines of safe text, and the commands of
 * the screens that are one (a patient's page, help): scroll and go back. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "../core/xalloc.h"
#include "tui_int.h"

void
tui_pager_clear(struct tui_pager *p)
{
	int i;

	for (i = 0; i < p->n; i++) {
		free(p->lines[i].label);
		free(p->lines[i].text);
	}
	p->n = 0;
}

void
tui_pager_free(struct tui_pager *p)
{
	tui_pager_clear(p);
	free(p->lines);
	p->lines = NULL;
	p->cap = 0;
}

static struct tui_pager_line *
add_line(struct tui_pager *p, attr_t attr, int indent, const char *safe)
{
	struct tui_pager_line *l;

	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 32;
		p->lines = xrealloc(p->lines, (size_t)p->cap * sizeof *p->lines);
	}
	l = &p->lines[p->n++];
	memset(l, 0, sizeof *l);
	l->text = xstrdup(safe);
	l->attr = attr;
	l->indent = indent;
	return l;
}

void
tui_pager_add(struct tui_pager *p, attr_t attr, int indent, const char *safe)
{
	add_line(p, attr, indent, safe);
}

struct field_ctx {
	struct tui_pager *p;
	int indent;
	const char *label;
	attr_t label_attr;
};

static void
add_wrapped(void *vctx, const char *line)
{
	struct field_ctx *f = vctx;
	struct tui_pager_line *l = add_line(f->p, A_NORMAL, f->indent, line);

	if (f->label != NULL) {
		l->label = xstrdup(f->label);
		l->label_attr = f->label_attr;
		f->label = NULL; /* only on the first line */
	}
}

void
tui_pager_add_field(struct tui_pager *p, attr_t label_attr, const char *label, int label_w,
    const char *raw, int width)
{
	struct field_ctx f = { p, label_w, label, label_attr };

	tui_wrap(raw, width - label_w, add_wrapped, &f);
}

int
tui_pager_scroll(struct tui_pager *p, int delta)
{
	int old = p->scroll, max = p->n - p->height;

	if (max < 0)
		max = 0;
	if (delta > max - p->scroll)
		p->scroll = max;
	else
		p->scroll += delta;
	if (p->scroll < 0)
		p->scroll = 0;
	return p->scroll != old ? REDRAW_LIST | REDRAW_STATUS : 0;
}

void
tui_pager_draw(struct tui *t, struct tui_pager *p, int y, int h, int w)
{
	const struct tui_pager_line *l;
	int row, x;

	(void)t;
	p->height = h;
	tui_pager_scroll(p, 0); /* the height may have grown */
	for (row = 0; row < h; row++) {
		tui_put(y + row, 0, w, A_NORMAL, "");
		if (p->scroll + row >= p->n)
			continue;
		l = &p->lines[p->scroll + row];
		x = 1 + l->indent;
		if (l->label != NULL)
			tui_put(y + row, 1, l->indent, l->label_attr, l->label);
		if (x < w - 1)
			tui_put(y + row, x, w - 1 - x, l->attr, l->text);
	}
}

static struct tui_pager *
pager_of(struct tui_screen *s)
{
	return &((struct tui_pager_screen *)s)->pager;
}

int
tui_pager_cmd_down(struct tui *t, struct tui_screen *s)
{
	(void)t;
	return tui_pager_scroll(pager_of(s), 1);
}

int
tui_pager_cmd_up(struct tui *t, struct tui_screen *s)
{
	(void)t;
	return tui_pager_scroll(pager_of(s), -1);
}

int
tui_pager_cmd_page_down(struct tui *t, struct tui_screen *s)
{
	struct tui_pager *p = pager_of(s);

	(void)t;
	return tui_pager_scroll(p, p->height > 1 ? p->height - 1 : 1);
}

int
tui_pager_cmd_page_up(struct tui *t, struct tui_screen *s)
{
	struct tui_pager *p = pager_of(s);

	(void)t;
	return tui_pager_scroll(p, -(p->height > 1 ? p->height - 1 : 1));
}

int
tui_pager_cmd_home(struct tui *t, struct tui_screen *s)
{
	struct tui_pager *p = pager_of(s);

	(void)t;
	return tui_pager_scroll(p, -p->scroll);
}

int
tui_pager_cmd_end(struct tui *t, struct tui_screen *s)
{
	(void)t;
	return tui_pager_scroll(pager_of(s), INT32_MAX);
}

static int
cmd_back(struct tui *t, struct tui_screen *s)
{
	(void)s;
	return tui_pop(t);
}

const struct tui_cmd tui_pager_cmds[] = {
	TUI_PAGER_SCROLL_CMDS(TUI_ACT_NONE, "j/k scroll"),
	{ { TUI_ESC, 'q', 0 }, "go back", "Esc/q back", TUI_ACT_NONE, 0, cmd_back },
	{ { 0 }, NULL, NULL, TUI_ACT_NONE, 0, NULL },
};
