/* confirm.c - the yes/no question asked before anything destructive or
 * before input is dropped. It lives on the status line, so a resize
 * only redraws it; only `y` (or `Y`) says yes, and every other key,
 * Esc and Enter included, leaves things as they are: a slip of the
 * finger never discards a lot or a form. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include "tui_int.h"

void
tui_confirm(struct tui *t, tui_confirm_fn yes, void *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->confirm.question, sizeof t->confirm.question, fmt, ap);
	va_end(ap);
	t->confirm.no[0] = '\0';
	t->confirm.yes = yes;
	t->confirm.ctx = ctx;
	t->confirm.active = true;
}

void
tui_confirm_else(struct tui *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->confirm.no, sizeof t->confirm.no, fmt, ap);
	va_end(ap);
}

int
tui_confirm_key(struct tui *t, int key)
{
	struct tui_confirm *c = &t->confirm;

	if (key == TUI_FN(KEY_RESIZE))
		return 0;
	c->active = false;
	if (key == 'y' || key == 'Y')
		return c->yes(t, c->ctx) | REDRAW_STATUS;
	tui_message(t, false, "%s", c->no[0] != '\0' ? c->no : "nothing changed");
	return REDRAW_STATUS;
}

void
tui_confirm_draw(struct tui *t, int y)
{
	struct strbuf line = STRBUF_INIT;
	static const char tail[] = "  y: yes, any other key: no";
	int w = t->cols - 2 - (int)(sizeof tail - 1);

	strbuf_addc(&line, ' ');
	tui_fit(&line, t->confirm.question, w > 10 ? w : 10, false);
	strbuf_adds(&line, tail);
	tui_put(y, 0, t->cols, tui_attr(t, LOOK_ERROR) | A_REVERSE, strbuf_str(&line));
	strbuf_free(&line);
}
