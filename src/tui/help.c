/* help.c - the help screen, generated from the command table of the
 * screen it was opened on, the keys that work everywhere and the tabs:
 * key, what it does, and the role it needs (marked when the actor lacks
 * it). The same tables, every screen's, make `celldesk keys`, which the
 * man page's KEYS section is checked against. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "../core/xalloc.h"
#include "tui.h"
#include "tui_int.h"

struct help {
	struct tui_pager_screen ps;
	int laid_w;   /* the width the lines were laid out for */
};

enum { KEY_W = 20 };

/* Columns for "does" and "needs the role" at width w. */
static int
role_width(int w)
{
	return 25 + (w > 80 ? (w - 80) / 2 : 0);
}

static int
desc_width(int w)
{
	return w - 2 - KEY_W - 2 - 2 - role_width(w) - 1;
}

/* The roles a command needs; mine (the actor's roles, or NULL) marks
 * one the actor lacks. */
static void
role_text(const unsigned *mine, enum cd_action action, char *buf, size_t n)
{
	unsigned need;
	char roles[64];

	if (action == TUI_ACT_NONE) {
		snprintf(buf, n, "-");
		return;
	}
	need = roles_for(action);
	if (need == ROLE_ANY)
		snprintf(buf, n, "any staff");
	else {
		roles_format(need, roles, sizeof roles);
		snprintf(buf, n, "%s%s", roles,
		    mine == NULL || roles_may(*mine, action) ? "" : " (not you)");
	}
}

static void
add_row(struct tui *t, struct tui_pager *p, const int *keys, const char *desc,
    enum cd_action action, int w)
{
	struct strbuf line = STRBUF_INIT, names = STRBUF_INIT;
	char role[96];

	tui_keys_name(&names, keys);
	tui_fit_safe(&line, strbuf_str(&names), KEY_W, true);
	strbuf_adds(&line, "  ");
	tui_fit_safe(&line, desc, desc_width(w), true);
	strbuf_adds(&line, "  ");
	role_text(&t->ops.roles, action, role, sizeof role);
	tui_fit_safe(&line, role, role_width(w), false);
	tui_pager_add(p, A_NORMAL, 2, strbuf_str(&line));
	strbuf_free(&line);
	strbuf_free(&names);
}

static void
tab_desc(const struct tui_tab *tab, char *buf, size_t n)
{
	snprintf(buf, n, "open the %s screen", tab->name);
}

static void
add_table(struct tui *t, struct tui_pager *p, const struct tui_cmd *cmds, int w)
{
	for (; cmds->fn != NULL; cmds++)
		add_row(t, p, cmds->keys, cmds->desc, cmds->action, w);
}

static void
add_tabs(struct tui *t, struct tui_pager *p, int w)
{
	const struct tui_tab *tab;
	char desc[64];
	int keys[2] = { 0, 0 };

	for (tab = tui_tabs; tab->open != NULL; tab++) {
		keys[0] = tab->key;
		tab_desc(tab, desc, sizeof desc);
		add_row(t, p, keys, desc, tab->action, w);
	}
}

struct form_rows {
	struct tui *t;
	struct tui_pager *p;
	int w;
};

static void
form_row(void *ctx, const int *keys, const char *desc)
{
	struct form_rows *fr = ctx;

	add_row(fr->t, fr->p, keys, desc, TUI_ACT_NONE, fr->w);
}

static void
layout(struct tui *t, struct help *h, int w)
{
	struct tui_pager *p = &h->ps.pager;
	const struct tui_screen *on = h->ps.base.below;
	struct strbuf line = STRBUF_INIT;
	int desc_w = desc_width(w);

	tui_pager_clear(p);
	tui_fit_safe(&line, "key", KEY_W, true);
	strbuf_adds(&line, "  ");
	tui_fit_safe(&line, "does", desc_w, true);
	strbuf_adds(&line, "  needs the role");
	tui_pager_add(p, tui_attr(t, LOOK_HEADS), 2, strbuf_str(&line));
	strbuf_reset(&line);
	strbuf_addf(&line, "On the %s screen", on != NULL ? on->type->name : "?");
	tui_pager_add(p, tui_attr(t, LOOK_LABEL), 0, strbuf_str(&line));
	if (on != NULL)
		add_table(t, p, on->type->cmds, w);
	tui_pager_add(p, A_NORMAL, 0, "");
	tui_pager_add(p, tui_attr(t, LOOK_LABEL), 0, "Everywhere");
	add_table(t, p, tui_global_cmds, w);
	tui_pager_add(p, A_NORMAL, 0, "");
	tui_pager_add(p, tui_attr(t, LOOK_LABEL), 0, "Tabs (everywhere but in a form)");
	add_tabs(t, p, w);
	tui_pager_add(p, A_NORMAL, 0, "");
	tui_pager_add(p, tui_attr(t, LOOK_LABEL), 0, "In a form");
	tui_form_keys(form_row, &(struct form_rows){ t, p, w });
	tui_pager_add(p, A_NORMAL, 0, "");
	tui_pager_add(p, tui_attr(t, LOOK_LABEL), 0, "In a prompt or a form field");
	tui_edit_help(p, KEY_W, w - 4);
	h->laid_w = w;
	strbuf_free(&line);
}

static void
help_title(struct tui_screen *s, struct strbuf *out)
{
	(void)s;
	strbuf_adds(out, "help");
}

static void
help_draw(struct tui *t, struct tui_screen *s, int y, int h, int w)
{
	struct help *hp = (struct help *)s;

	if (hp->laid_w != w)
		layout(t, hp, w);
	tui_pager_draw(t, &hp->ps.pager, y, h, w);
}

static void
help_info(struct tui *t, struct tui_screen *s, struct strbuf *out)
{
	(void)t;
	strbuf_addf(out, "keys for the %s screen, from its command table",
	    s->below != NULL ? s->below->type->name : "?");
}

static void
help_free(struct tui_screen *s)
{
	struct help *h = (struct help *)s;

	tui_pager_free(&h->ps.pager);
	free(h);
}

const struct tui_screen_type tui_help_type = {
	.name = "help",
	.cmds = tui_pager_cmds,
	.title = help_title,
	.draw = help_draw,
	.info = help_info,
	.free = help_free,
};

struct tui_screen *
tui_help_new(void)
{
	struct help *h = xcalloc(1, sizeof *h);

	h->ps.base.type = &tui_help_type;
	return &h->ps.base;
}

int
tui_cmd_help(struct tui *t, struct tui_screen *s)
{
	if (s->type == &tui_help_type)
		return tui_pop(t);
	tui_push(t, tui_help_new());
	return REDRAW_ALL;
}

/* --- every table, for `celldesk keys` --- */
struct keys_ctx {
	const char *screen;
	cd_row_fn fn;
	void *ctx;
	enum cd_status st;
	struct cd_err *err;
};

static void
key_row(struct keys_ctx *k, const int *keys, const char *desc, enum cd_action action)
{
	struct strbuf names = STRBUF_INIT;
	char role[96];
	static const char *const names_of[4] = { "screen", "keys", "does", "roles" };
	const char *vals[4];
	struct cd_row row = { 4, names_of, vals };

	if (k->st != CD_OK)
		return;
	tui_keys_name(&names, keys);
	role_text(NULL, action, role, sizeof role);
	vals[0] = k->screen;
	vals[1] = strbuf_str(&names);
	vals[2] = desc;
	vals[3] = role;
	k->st = k->fn(k->ctx, &row, k->err);
	strbuf_free(&names);
}

static void
edit_row(void *ctx, const int *keys, const char *desc)
{
	key_row(ctx, keys, desc, TUI_ACT_NONE);
}

static void
table_rows(struct keys_ctx *k, const char *screen, const struct tui_cmd *cmds)
{
	k->screen = screen;
	for (; cmds->fn != NULL; cmds++)
		key_row(k, cmds->keys, cmds->desc, cmds->action);
}

enum cd_status
tui_keys_list(cd_row_fn fn, void *ctx, struct cd_err *err)
{
	struct keys_ctx k = { NULL, fn, ctx, CD_OK, err };
	const struct tui_screen_type *const *type;
	const struct tui_tab *tab;
	char desc[64];
	int keys[2] = { 0, 0 };

	table_rows(&k, "everywhere", tui_global_cmds);
	k.screen = "tabs";
	for (tab = tui_tabs; tab->open != NULL; tab++) {
		keys[0] = tab->key;
		tab_desc(tab, desc, sizeof desc);
		key_row(&k, keys, desc, tab->action);
	}
	k.screen = "form";
	tui_form_keys(edit_row, &k);
	k.screen = "prompt";
	tui_edit_keys(edit_row, &k);
	for (type = tui_screen_types; *type != NULL; type++)
		table_rows(&k, (*type)->name, (*type)->cmds);
	return k.st;
}
