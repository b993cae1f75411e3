/* form.c - labelled fields a screen feeds keys to and draws: the
 * booking form, a new patient, a new staff member. A field is text
 * (edit.c's line editor) or a choice stepped with Left and Right. The
 * form keeps everything it shows, so a resize at any moment redraws it
 * whole; Enter and Esc are left to the screen (preview, save, back). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "../core/xalloc.h"
#include "tui_int.h"

int
tui_form_add(struct tui_form *f, enum tui_field_kind kind, const char *label,
    const char *help, const char *initial, int max)
{
	struct tui_field *fl;

	f->fields = xrealloc(f->fields, (size_t)(f->n + 1) * sizeof *f->fields);
	fl = &f->fields[f->n];
	memset(fl, 0, sizeof *fl);
	fl->kind = kind;
	fl->label = label;
	fl->help = help;
	fl->edit.max = max;
	tui_edit_set(&fl->edit, initial);
	f->changed = -1;
	return f->n++;
}

void
tui_form_add_choice(struct tui_form *f, int i, const char *choice)
{
	struct tui_field *fl = &f->fields[i];
	struct tui_edit one = { STRBUF_INIT, 0, 0 };

	tui_edit_set(&one, choice); /* what may be shown */
	fl->choices = xrealloc(fl->choices, (size_t)(fl->nchoices + 1) * sizeof *fl->choices);
	fl->choices[fl->nchoices] = xstrdup(strbuf_str(&one.text));
	strbuf_free(&one.text);
	if (fl->nchoices == 0 && fl->edit.text.len == 0)
		tui_edit_set(&fl->edit, fl->choices[0]);
	if (strcmp(fl->choices[fl->nchoices], strbuf_str(&fl->edit.text)) == 0)
		fl->choice = fl->nchoices;
	fl->nchoices++;
}

void
tui_form_clear_choices(struct tui_form *f, int i)
{
	struct tui_field *fl = &f->fields[i];
	int k;

	for (k = 0; k < fl->nchoices; k++)
		free(fl->choices[k]);
	free(fl->choices);
	fl->choices = NULL;
	fl->nchoices = fl->choice = 0;
	tui_edit_set(&fl->edit, NULL);
}

const char *
tui_form_value(const struct tui_form *f, int i)
{
	return f->fields[i].edit.text.s != NULL ? f->fields[i].edit.text.s : "";
}

void
tui_form_set(struct tui_form *f, int i, const char *value)
{
	struct tui_field *fl = &f->fields[i];
	int k;

	tui_edit_set(&fl->edit, value);
	for (k = 0; k < fl->nchoices; k++) {
		if (strcmp(fl->choices[k], strbuf_str(&fl->edit.text)) == 0)
			fl->choice = k;
	}
}

void
tui_form_focus(struct tui_form *f, int i)
{
	if (i >= 0 && i < f->n)
		f->cur = i;
}

void
tui_form_clean(struct tui_form *f)
{
	f->dirty = false;
	f->changed = -1;
}

void
tui_form_free(struct tui_form *f)
{
	int i, k;

	for (i = 0; i < f->n; i++) {
		strbuf_free(&f->fields[i].edit.text);
		for (k = 0; k < f->fields[i].nchoices; k++)
			free(f->fields[i].choices[k]);
		free(f->fields[i].choices);
	}
	free(f->fields);
	memset(f, 0, sizeof *f);
}

static int
step_choice(struct tui_form *f, struct tui_field *fl, int dir)
{
	if (fl->nchoices == 0)
		return 0;
	fl->choice = (fl->choice + dir + fl->nchoices) % fl->nchoices;
	tui_edit_set(&fl->edit, fl->choices[fl->choice]);
	f->dirty = true;
	f->changed = f->cur;
	return REDRAW_LIST | REDRAW_STATUS;
}

/* The form's own keys, for help and `celldesk keys` (the text keys are
 * edit.c's; Enter and Esc the screen's). */
static const struct {
	int keys[4];
	const char *desc;
} form_keys[] = {
	{ { '\t', TUI_FN(KEY_DOWN), 0 }, "next field" },
	{ { TUI_FN(KEY_BTAB), TUI_FN(KEY_UP), 0 }, "previous field" },
	{ { TUI_FN(KEY_RIGHT), ' ', 0 }, "next choice (in a choice field)" },
	{ { TUI_FN(KEY_LEFT), 0 }, "previous choice (in a choice field)" },
};

void
tui_form_keys(void (*fn)(void *ctx, const int *keys, const char *desc), void *ctx)
{
	size_t i;

	for (i = 0; i < sizeof form_keys / sizeof form_keys[0]; i++)
		fn(ctx, form_keys[i].keys, form_keys[i].desc);
}

int
tui_form_key(struct tui_form *f, int key)
{
	struct tui_field *fl;

	f->changed = -1;
	if (f->n == 0)
		return -1;
	fl = &f->fields[f->cur];
	switch (key) {
	case '\t':
	case TUI_FN(KEY_DOWN):
		f->cur = (f->cur + 1) % f->n;
		return REDRAW_LIST | REDRAW_STATUS;
	case TUI_FN(KEY_BTAB):
	case TUI_FN(KEY_UP):
		f->cur = (f->cur + f->n - 1) % f->n;
		return REDRAW_LIST | REDRAW_STATUS;
	default:
		break;
	}
	if (fl->kind == FIELD_CHOICE) {
		if (key == TUI_FN(KEY_RIGHT) || key == ' ')
			return step_choice(f, fl, 1);
		if (key == TUI_FN(KEY_LEFT))
			return step_choice(f, fl, -1);
		/* A letter picks the next choice starting with it. */
		if (key > ' ' && key < 0x7f) {
			int k, c;

			for (k = 1; k <= fl->nchoices; k++) {
				c = (fl->choice + k) % fl->nchoices;
				if ((fl->choices[c][0] | 0x20) == (key | 0x20)) {
					fl->choice = c;
					return step_choice(f, fl, 0);
				}
			}
			return 0;
		}
		return -1;
	}
	switch (tui_edit_key(&fl->edit, key)) {
	case EDIT_CHANGED:
		f->dirty = true;
		f->changed = f->cur;
		return REDRAW_LIST | REDRAW_STATUS;
	case EDIT_MOVED:
		return REDRAW_LIST;
	case EDIT_NOT_MINE:
		/* Unprintable keys are the screen's; a printable one that did
		 * not fit (the field is full) is swallowed. */
		return key >= ' ' && key < TUI_FN(0) ? 0 : -1;
	default:
		return -1; /* Enter, Esc */
	}
}

int
tui_form_draw(struct tui *t, const struct tui_form *f, int y, int h, int w, int label_w)
{
	const struct tui_field *fl;
	struct strbuf b = STRBUF_INIT;
	int i, x = 2 + label_w + 2, room = w - x - 2, cx;
	bool cur;

	t->cursor_y = t->cursor_x = -1;
	for (i = 0; i < f->n && i < h; i++) {
		fl = &f->fields[i];
		cur = i == f->cur;
		strbuf_reset(&b);
		strbuf_addf(&b, "%s%s", cur ? "\xE2\x96\xB8 " : "  ", fl->label); /* ▸ */
		tui_put(y + i, 0, x, cur ? A_BOLD : A_NORMAL, strbuf_str(&b));
		if (fl->kind == FIELD_CHOICE) {
			strbuf_reset(&b);
			strbuf_addf(&b, "\xE2\x97\x82 %s \xE2\x96\xB8", fl->edit.text.s != NULL ? fl->edit.text.s : "");
			tui_put(y + i, x, room, cur ? A_REVERSE : A_UNDERLINE, strbuf_str(&b));
			continue;
		}
		/* The text on an underlined blank, so an empty field shows. */
		cx = tui_edit_draw(&fl->edit, y + i, x, room, A_UNDERLINE);
		if (cur) {
			t->cursor_y = y + i;
			t->cursor_x = cx;
		}
	}
	strbuf_free(&b);
	return i;
}

const char *
tui_form_help(const struct tui_form *f)
{
	return f->n > 0 ? f->fields[f->cur].help : NULL;
}

int
tui_form_explain(const struct tui_form_opt *opts, size_t n, const char *msg,
    struct strbuf *out)
{
	const char *p = msg, *best, *at;
	size_t i, k = 0;
	int field = -1;

	while (*p != '\0') {
		best = NULL;
		for (i = 0; i < n; i++) {
			at = strstr(p, opts[i].opt);
			if (at != NULL && (best == NULL || at < best)) {
				best = at;
				k = i;
			}
		}
		if (best == NULL) {
			strbuf_adds(out, p);
			break;
		}
		strbuf_add(out, p, (size_t)(best - p));
		strbuf_adds(out, opts[k].label);
		if (field < 0)
			field = opts[k].field;
		p = best + strlen(opts[k].opt);
	}
	return field;
}
