/* draw.c - painting text on the terminal: the one place the TUI turns
 * data into cells. Everything from data goes through text_sanitize, is
 * measured in display columns (wide CJK = 2) and cut on a character
 * boundary with "…"; colours only when the terminal has them and
 * NO_COLOR is not set, so every look also works in monochrome. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "../core/text.h"
#include "tui_int.h"

enum { PAIR_HEADER = 1, PAIR_ERROR, PAIR_INFO, PAIR_OK, PAIR_WARN, PAIR_NOW, PAIR_MATCH,
	PAIR_STOP };

void
tui_colours_start(struct tui *t)
{
	const char *no = getenv("NO_COLOR");

	t->colour = false;
	if ((no != NULL && no[0] != '\0') || !has_colors() || start_color() == ERR)
		return;
	use_default_colors();
	init_pair(PAIR_HEADER, COLOR_WHITE, COLOR_BLUE);
	init_pair(PAIR_ERROR, COLOR_RED, -1);
	init_pair(PAIR_INFO, COLOR_CYAN, -1);
	init_pair(PAIR_OK, COLOR_GREEN, -1);
	init_pair(PAIR_WARN, COLOR_YELLOW, -1);
	init_pair(PAIR_NOW, COLOR_MAGENTA, -1);
	init_pair(PAIR_MATCH, COLOR_BLACK, COLOR_GREEN);
	init_pair(PAIR_STOP, COLOR_WHITE, COLOR_RED);
	t->colour = true;
}

attr_t
tui_attr(const struct tui *t, enum tui_look look)
{
	switch (look) {
	case LOOK_HEADER:
		return A_BOLD | (t->colour ? COLOR_PAIR(PAIR_HEADER) : 0);
	case LOOK_HEADS:
		return A_BOLD | A_UNDERLINE;
	case LOOK_ERROR:
		return A_BOLD | (t->colour ? COLOR_PAIR(PAIR_ERROR) : 0);
	case LOOK_INFO:
		return t->colour ? COLOR_PAIR(PAIR_INFO) : A_NORMAL;
	case LOOK_LABEL:
		return A_BOLD;
	case LOOK_OK:
		return t->colour ? COLOR_PAIR(PAIR_OK) : A_NORMAL;
	case LOOK_WARN:
		return t->colour ? COLOR_PAIR(PAIR_WARN) : A_BOLD;
	case LOOK_BAD:
		return t->colour ? A_BOLD | COLOR_PAIR(PAIR_ERROR) : A_BOLD | A_UNDERLINE;
	case LOOK_DIM:
		return A_DIM;
	case LOOK_NOW:
		return A_BOLD | (t->colour ? COLOR_PAIR(PAIR_NOW) : A_UNDERLINE);
	case LOOK_MATCH:
		return A_BOLD | (t->colour ? COLOR_PAIR(PAIR_MATCH) : A_REVERSE);
	case LOOK_STOP:
		return A_BOLD | (t->colour ? COLOR_PAIR(PAIR_STOP) : A_REVERSE);
	case LOOK_TAB:
		return A_BOLD | A_REVERSE;
	}
	return A_NORMAL;
}

/* One character of safe text as drawn: its bytes (or "?") and columns. */
static size_t
next_char(const char *s, size_t n, const char **bytes, size_t *nbytes, int *cols)
{
	uint32_t cp;
	size_t k = utf8_decode(s, n, &cp);
	int w;

	if (k == 0 || text_is_unsafe(cp) || (w = wcwidth((wchar_t)cp)) < 0) {
		*bytes = "?";
		*nbytes = 1;
		*cols = 1;
		return k == 0 ? 1 : k;
	}
	*bytes = s;
	*nbytes = k;
	*cols = w;
	return k;
}

int
tui_width_safe(const char *s)
{
	size_t n = strlen(s), k, nb;
	const char *b;
	int w = 0, c;

	while (n > 0) {
		k = next_char(s, n, &b, &nb, &c);
		w += c;
		s += k;
		n -= k;
	}
	return w;
}

int
tui_fit_safe(struct strbuf *out, const char *s, int width, bool pad)
{
	size_t n = strlen(s), k, nb;
	const char *b;
	int used = 0, c, limit;

	if (width <= 0)
		return 0;
	/* Room for the "…" only when the whole text does not fit. */
	limit = tui_width_safe(s) > width ? width - 1 : width;
	while (n > 0) {
		k = next_char(s, n, &b, &nb, &c);
		if (used + c > limit)
			break;
		strbuf_add(out, b, nb);
		used += c;
		s += k;
		n -= k;
	}
	if (n > 0) {
		strbuf_adds(out, "\xE2\x80\xA6"); /* … */
		used++;
	}
	for (; pad && used < width; used++)
		strbuf_addc(out, ' ');
	return used;
}

int
tui_fit(struct strbuf *out, const char *raw, int width, bool pad)
{
	struct strbuf safe = STRBUF_INIT;
	int used;

	text_sanitize(&safe, raw != NULL ? raw : "", raw != NULL ? strlen(raw) : 0);
	used = tui_fit_safe(out, strbuf_str(&safe), width, pad);
	strbuf_free(&safe);
	return used;
}

/* Breaks one safe paragraph into lines. */
static void
wrap_safe(const char *s, int width, void (*fn)(void *ctx, const char *line), void *ctx)
{
	struct strbuf line = STRBUF_INIT;
	size_t n = strlen(s), k, nb, cut_len = 0;
	const char *b, *cut_at = NULL;
	int used = 0, c, cut_used = 0;

	if (n == 0) {
		fn(ctx, "");
		return;
	}
	while (n > 0) {
		k = next_char(s, n, &b, &nb, &c);
		if (used + c > width && line.len > 0) {
			if (cut_at != NULL) {
				/* Break after the last space; carry the rest over. */
				struct strbuf rest = STRBUF_INIT;

				strbuf_adds(&rest, line.s + cut_len);
				line.s[cut_len] = '\0';
				line.len = cut_len;
				fn(ctx, line.s);
				strbuf_reset(&line);
				strbuf_add(&line, rest.s != NULL ? rest.s : "", rest.len);
				used -= cut_used;
				strbuf_free(&rest);
			} else {
				fn(ctx, line.s);
				strbuf_reset(&line);
				used = 0;
			}
			cut_at = NULL;
			continue;
		}
		strbuf_add(&line, b, nb);
		used += c;
		if (*b == ' ') {
			cut_at = s;
			cut_len = line.len;
			cut_used = used;
		}
		s += k;
		n -= k;
	}
	if (line.len > 0)
		fn(ctx, line.s);
	strbuf_free(&line);
}

void
tui_wrap(const char *raw, int width, void (*fn)(void *ctx, const char *line), void *ctx)
{
	struct strbuf safe = STRBUF_INIT, para = STRBUF_INIT;
	const char *p = raw != NULL ? raw : "", *nl;
	size_t len, i;

	if (width < 1)
		width = 1;
	/* Newlines break paragraphs and tabs are spaces (multi-line notes);
	 * every other control is escaped by the sanitizer. */
	do {
		nl = strchr(p, '\n');
		len = nl != NULL ? (size_t)(nl - p) : strlen(p);
		strbuf_reset(&para);
		strbuf_add(&para, p, len);
		for (i = 0; i < para.len; i++) {
			if (para.s[i] == '\t')
				para.s[i] = ' ';
		}
		strbuf_reset(&safe);
		text_sanitize(&safe, para.s, para.len);
		wrap_safe(strbuf_str(&safe), width, fn, ctx);
		p = nl != NULL ? nl + 1 : NULL;
	} while (p != NULL);
	strbuf_free(&para);
	strbuf_free(&safe);
}

void
tui_put(int y, int x, int w, attr_t attr, const char *safe)
{
	struct strbuf b = STRBUF_INIT;

	if (w <= 0)
		return;
	tui_fit_safe(&b, safe, w, true);
	attrset(attr);
	mvaddstr(y, x, strbuf_str(&b));
	attrset(A_NORMAL);
	strbuf_free(&b);
}

/* The tabs the user's role may open, the shown one in reverse video and
 * marked with brackets too (monochrome terminals, screen readers). */
static void
draw_tabs(struct tui *t)
{
	const struct tui_tab *tab, *shown = tui_tab_shown(t);
	struct strbuf b = STRBUF_INIT;
	int x = 1, w;

	move(1, 0);
	clrtoeol();
	for (tab = tui_tabs; tab->open != NULL; tab++) {
		if (!roles_may(t->ops.roles, tab->action))
			continue;
		strbuf_reset(&b);
		strbuf_addf(&b, tab == shown ? "[%c %s]" : " %c %s ", tab->key, tab->name);
		w = tui_width_safe(strbuf_str(&b));
		if (x + w > t->cols)
			break;
		tui_put(1, x, w, tab == shown ? tui_attr(t, LOOK_TAB) : A_NORMAL, strbuf_str(&b));
		x += w + 1;
	}
	strbuf_free(&b);
}

void
tui_draw_header(struct tui *t)
{
	struct strbuf title = STRBUF_INIT, who = STRBUF_INIT, safe = STRBUF_INIT,
	    line = STRBUF_INIT;
	char roles[64];
	int right_w, left_w;

	strbuf_adds(&title, "celldesk \xE2\x80\x94 "); /* — */
	if (t->top != NULL)
		t->top->type->title(t->top, &title);
	roles_format(t->ops.roles, roles, sizeof roles);
	strbuf_addf(&who, "%s \xC2\xB7 %s", t->ops.actor, roles[0] ? roles : "no role");
	text_sanitize(&safe, who.s, who.len);
	right_w = tui_width_safe(strbuf_str(&safe));
	if (right_w > t->cols / 2)
		right_w = t->cols / 2;
	left_w = t->cols - right_w - 3;
	strbuf_addc(&line, ' ');
	tui_fit(&line, strbuf_str(&title), left_w, true);
	strbuf_addc(&line, ' ');
	tui_fit_safe(&line, strbuf_str(&safe), right_w, true);
	strbuf_addc(&line, ' ');
	tui_put(0, 0, t->cols, tui_attr(t, LOOK_HEADER), strbuf_str(&line));
	draw_tabs(t);
	strbuf_free(&title);
	strbuf_free(&who);
	strbuf_free(&safe);
	strbuf_free(&line);
}

void
tui_draw_too_small(struct tui *t)
{
	static const char msg[] = "terminal too small (need 80x24)";
	int w = (int)(sizeof msg - 1);

	if (t->rows < 1 || t->cols < 1)
		return;
	if (w > t->cols)
		w = t->cols;
	tui_put(t->rows / 2, (t->cols - w) / 2, w, A_BOLD, msg);
}

static void
name_key(struct strbuf *out, int key)
{
	static const struct {
		int key;
		const char *name;
	} names[] = {
		{ TUI_FN(KEY_DOWN), "Down" }, { TUI_FN(KEY_UP), "Up" },
		{ TUI_FN(KEY_LEFT), "Left" }, { TUI_FN(KEY_RIGHT), "Right" },
		{ TUI_FN(KEY_NPAGE), "PgDn" }, { TUI_FN(KEY_PPAGE), "PgUp" },
		{ TUI_FN(KEY_HOME), "Home" }, { TUI_FN(KEY_END), "End" },
		{ TUI_FN(KEY_ENTER), "Enter" }, { '\r', "Enter" }, { '\n', "Enter" },
		{ TUI_FN(KEY_BACKSPACE), "Backspace" }, { 127, "Backspace" },
		{ TUI_FN(KEY_DC), "Delete" }, { TUI_ESC, "Esc" }, { ' ', "Space" },
		{ '\t', "Tab" }, { TUI_FN(KEY_BTAB), "Shift-Tab" },
	};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (names[i].key == key) {
			strbuf_adds(out, names[i].name);
			return;
		}
	}
	if (key >= TUI_FN(KEY_F(1)) && key <= TUI_FN(KEY_F(63)))
		strbuf_addf(out, "F%d", key - TUI_FN(KEY_F0));
	else if (key > 0 && key < 0x20)
		strbuf_addf(out, "Ctrl-%c", 'A' + key - 1);
	else if (key >= 0x20 && key < 0x7f)
		strbuf_addc(out, (char)key);
	else
		strbuf_addf(out, "U+%04X", (unsigned)key);
}

void
tui_keys_name(struct strbuf *out, const int *keys)
{
	struct strbuf one = STRBUF_INIT, other = STRBUF_INIT;
	int i, j;

	for (i = 0; keys[i] != 0; i++) {
		strbuf_reset(&one);
		name_key(&one, keys[i]);
		/* Enter is three codes: name it once. */
		for (j = 0; j < i; j++) {
			strbuf_reset(&other);
			name_key(&other, keys[j]);
			if (strcmp(one.s, other.s) == 0)
				break;
		}
		if (j < i)
			continue;
		if (i > 0)
			strbuf_adds(out, ", ");
		strbuf_add(out, one.s, one.len);
	}
	strbuf_free(&one);
	strbuf_free(&other);
}
