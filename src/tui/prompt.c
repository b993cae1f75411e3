/* prompt.c - the one-line editor at the bottom of the screen (search,
 * reasons, signatures, the `:` command line). It has no loop of its
 * own: while it is open the main loop hands it every key, so resizing,
 * the one-second data poll and signals work as everywhere else. The
 * editing itself is edit.c's. */
#include "config.h"

#include <string.h>

#include "tui_int.h"

void
tui_prompt_open(struct tui *t, const char *label, const char *initial,
    tui_prompt_change_fn on_change, tui_prompt_done_fn on_done, void *ctx)
{
	struct tui_prompt *p = &t->prompt;

	p->label = label;
	tui_edit_set(&p->edit, initial);
	p->on_change = on_change;
	p->on_done = on_done;
	p->ctx = ctx;
	p->active = true;
}

static int
finish(struct tui *t, bool accepted)
{
	struct tui_prompt *p = &t->prompt;

	p->active = false;
	return p->on_done(t, p->ctx, strbuf_str(&p->edit.text), accepted) | REDRAW_STATUS;
}

static int
changed(struct tui *t, struct tui_prompt *p)
{
	if (p->on_change == NULL)
		return REDRAW_STATUS;
	return p->on_change(t, p->ctx, strbuf_str(&p->edit.text)) | REDRAW_STATUS;
}

int
tui_prompt_key(struct tui *t, int key)
{
	struct tui_prompt *p = &t->prompt;

	switch (tui_edit_key(&p->edit, key)) {
	case EDIT_ACCEPT:
		return finish(t, true);
	case EDIT_CANCEL:
		return finish(t, false);
	case EDIT_CHANGED:
		return changed(t, p);
	case EDIT_MOVED:
		return REDRAW_STATUS;
	default:
		return 0;
	}
}

void
tui_prompt_draw(struct tui *t, int y)
{
	struct tui_prompt *p = &t->prompt;
	int label_w = tui_width_safe(p->label), x;

	tui_put(y, 0, t->cols, A_BOLD, p->label);
	x = tui_edit_draw(&p->edit, y, label_w, t->cols - label_w - 1, A_NORMAL);
	move(y, x);
}

void
tui_prompt_free(struct tui_prompt *p)
{
	strbuf_free(&p->edit.text);
	p->active = false;
}
