/* edit.c - one line of text being typed: the prompt's and every form
 * field's. Only printable, safe characters go in (so the text draws
 * without escaping), at most max characters; the editing keys are one
 * table, so help lists the keys the code really binds. */
#include "config.h"

#include <string.h>
#include <wctype.h>

#include "../core/text.h"
#include "tui_int.h"

enum { EDIT_DEFAULT_MAX = 200 };

/* Byte offsets of the character before / after byte offset i. */
static size_t
prev_char(const struct tui_edit *p, size_t i)
{
	while (i > 0 && ((unsigned char)p->text.s[--i] & 0xC0) == 0x80)
		;
	return i;
}

size_t
tui_edit_next(const struct tui_edit *p, size_t i)
{
	if (i < p->text.len)
		i++;
	while (i < p->text.len && ((unsigned char)p->text.s[i] & 0xC0) == 0x80)
		i++;
	return i;
}

static size_t
count_chars(const struct tui_edit *p)
{
	size_t i, n = 0;

	for (i = 0; i < p->text.len; i++)
		n += ((unsigned char)p->text.s[i] & 0xC0) != 0x80;
	return n;
}

/* Removes bytes [from, to) and leaves the cursor at from. */
static void
cut(struct tui_edit *p, size_t from, size_t to)
{
	if (to <= from)
		return;
	memmove(p->text.s + from, p->text.s + to, p->text.len - to + 1);
	p->text.len -= to - from;
	p->cursor = from;
}

bool
tui_edit_insert(struct tui_edit *p, int key)
{
	struct strbuf ch = STRBUF_INIT;
	size_t tail;

	if (key < 0x20 || key > 0x10FFFF || text_is_unsafe((uint32_t)key) ||
	    !iswprint((wint_t)key) || count_chars(p) >= (size_t)(p->max > 0 ? p->max : EDIT_DEFAULT_MAX))
		return false;
	utf8_encode(&ch, (uint32_t)key);
	tail = p->text.len - p->cursor;
	strbuf_add(&p->text, ch.s, ch.len); /* grow, then shift the tail */
	memmove(p->text.s + p->cursor + ch.len, p->text.s + p->cursor, tail);
	memcpy(p->text.s + p->cursor, ch.s, ch.len);
	p->cursor += ch.len;
	strbuf_free(&ch);
	return true;
}

/* The editing keys: a table, so help can list them. Each returns true
 * when the text changed. */
typedef bool (*edit_fn)(struct tui_edit *p);

static bool ed_left(struct tui_edit *p) { p->cursor = prev_char(p, p->cursor); return false; }
static bool ed_right(struct tui_edit *p) { p->cursor = tui_edit_next(p, p->cursor); return false; }
static bool ed_home(struct tui_edit *p) { p->cursor = 0; return false; }
static bool ed_end(struct tui_edit *p) { p->cursor = p->text.len; return false; }

static bool
ed_backspace(struct tui_edit *p)
{
	size_t at = p->cursor;

	cut(p, prev_char(p, at), at);
	return at != p->cursor;
}

static bool
ed_delete(struct tui_edit *p)
{
	size_t len = p->text.len;

	cut(p, p->cursor, tui_edit_next(p, p->cursor));
	return len != p->text.len;
}

static bool
ed_kill_start(struct tui_edit *p)
{
	size_t at = p->cursor;

	cut(p, 0, at);
	return at > 0;
}

static bool
ed_kill_end(struct tui_edit *p)
{
	size_t len = p->text.len;

	cut(p, p->cursor, p->text.len);
	return len != p->text.len;
}

static bool
ed_kill_word(struct tui_edit *p)
{
	size_t at = p->cursor, i = at;

	while (i > 0 && p->text.s[i - 1] == ' ')
		i--;
	while (i > 0 && p->text.s[i - 1] != ' ')
		i--;
	cut(p, i, at);
	return i != at;
}

/* Enter and Esc are the prompt's or the screen's; they stand in the
 * table for help. */
static bool ed_none(struct tui_edit *p) { (void)p; return false; }
enum { ED_EDIT, ED_ACCEPT, ED_CANCEL };

static const struct {
	int keys[4];
	const char *desc;
	int kind;
	edit_fn fn;
} edit_keys[] = {
	{ { '\r', '\n', TUI_FN(KEY_ENTER), 0 }, "accept", ED_ACCEPT, ed_none },
	{ { TUI_ESC, TUI_CTRL('g'), 0 }, "cancel", ED_CANCEL, ed_none },
	{ { TUI_FN(KEY_LEFT), TUI_CTRL('b'), 0 }, "move left", ED_EDIT, ed_left },
	{ { TUI_FN(KEY_RIGHT), TUI_CTRL('f'), 0 }, "move right", ED_EDIT, ed_right },
	{ { TUI_FN(KEY_HOME), TUI_CTRL('a'), 0 }, "go to the start", ED_EDIT, ed_home },
	{ { TUI_FN(KEY_END), TUI_CTRL('e'), 0 }, "go to the end", ED_EDIT, ed_end },
	{ { TUI_FN(KEY_BACKSPACE), 127, TUI_CTRL('h'), 0 }, "delete the character before",
	    ED_EDIT, ed_backspace },
	{ { TUI_FN(KEY_DC), TUI_CTRL('d'), 0 }, "delete the character under", ED_EDIT,
	    ed_delete },
	{ { TUI_CTRL('u'), 0 }, "delete to the start", ED_EDIT, ed_kill_start },
	{ { TUI_CTRL('k'), 0 }, "delete to the end", ED_EDIT, ed_kill_end },
	{ { TUI_CTRL('w'), 0 }, "delete the word before", ED_EDIT, ed_kill_word },
};
#define NEDIT (sizeof edit_keys / sizeof edit_keys[0])

int
tui_edit_key(struct tui_edit *p, int key)
{
	size_t i;
	int j;

	for (i = 0; i < NEDIT; i++) {
		for (j = 0; edit_keys[i].keys[j] != 0; j++) {
			if (edit_keys[i].keys[j] != key)
				continue;
			if (edit_keys[i].kind == ED_ACCEPT)
				return EDIT_ACCEPT;
			if (edit_keys[i].kind == ED_CANCEL)
				return EDIT_CANCEL;
			return edit_keys[i].fn(p) ? EDIT_CHANGED : EDIT_MOVED;
		}
	}
	return tui_edit_insert(p, key) ? EDIT_CHANGED : EDIT_NOT_MINE;
}

void
tui_edit_set(struct tui_edit *p, const char *raw)
{
	const char *s = raw != NULL ? raw : "";
	size_t k, n = strlen(s);
	uint32_t cp;

	strbuf_reset(&p->text);
	strbuf_adds(&p->text, "");
	p->cursor = 0;
	/* Through the insert, so the text holds only what may be typed. */
	while (n > 0 && (k = utf8_decode(s, n, &cp)) != 0) {
		tui_edit_insert(p, (int)cp);
		s += k;
		n -= k;
	}
}

int
tui_edit_draw(const struct tui_edit *p, int y, int x, int room, attr_t attr)
{
	struct strbuf before = STRBUF_INIT;
	const char *s = (p->text.s != NULL ? p->text.s : ""), *start = s;
	int cx;

	if (room < 2)
		return x;
	/* Scroll sideways so the cursor stays in view. */
	strbuf_add(&before, s, p->cursor);
	while (tui_width_safe(strbuf_str(&before)) >= room) {
		size_t k = tui_edit_next(p, (size_t)(start - s)) - (size_t)(start - s);

		start += k;
		strbuf_reset(&before);
		strbuf_add(&before, start, p->cursor - (size_t)(start - s));
	}
	cx = x + tui_width_safe(strbuf_str(&before));
	tui_put(y, x, room, attr, start);
	strbuf_free(&before);
	return cx;
}

void
tui_edit_help(struct tui_pager *pg, int key_w, int width)
{
	struct strbuf line = STRBUF_INIT, keys = STRBUF_INIT;
	size_t i;

	for (i = 0; i < NEDIT; i++) {
		strbuf_reset(&line);
		strbuf_reset(&keys);
		tui_keys_name(&keys, edit_keys[i].keys);
		tui_fit_safe(&line, strbuf_str(&keys), key_w, true);
		strbuf_adds(&line, "  ");
		tui_fit_safe(&line, edit_keys[i].desc, width - key_w - 2, false);
		tui_pager_add(pg, A_NORMAL, 2, strbuf_str(&line));
	}
	strbuf_free(&line);
	strbuf_free(&keys);
}

void
tui_edit_keys(void (*fn)(void *ctx, const int *keys, const char *desc), void *ctx)
{
	size_t i;

	for (i = 0; i < NEDIT; i++)
		fn(ctx, edit_keys[i].keys, edit_keys[i].desc);
}
