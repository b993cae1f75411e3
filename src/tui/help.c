/* help.c - the help screen, generated from the command table of the
 * screen it was opened on and from the keys that work everywhere: key,
 * what it does, and the role it needs (marked when the actor lacks it). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "../core/xalloc.h"
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

static void
role_text(struct tui *t, enum cd_action action, char *buf, size_t n)
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
		snprintf(buf, n, "%s%s", roles, roles_may(t->ops.roles, action) ? "" : " (not you)");
	}
}

static void
add_table(struct tui *t, struct tui_pager *p, const struct tui_cmd *cmds, int w)
{
	struct strbuf line = STRBUF_INIT, keys = STRBUF_INIT;
	char role[96];
	int desc_w = desc_width(w);

	for (; cmds->fn != NULL; cmds++) {
		strbuf_reset(&line);
		strbuf_reset(&keys);
		tui_keys_name(&keys, cmds->keys);
		tui_fit_safe(&line, strbuf_str(&keys), KEY_W, true);
		strbuf_adds(&line, "  ");
		tui_fit_safe(&line, cmds->desc, desc_w, true);
		strbuf_adds(&line, "  ");
		role_text(t, cmds->action, role, sizeof role);
		tui_fit_safe(&line, role, role_width(w), false);
		tui_pager_add(p, A_NORMAL, 2, strbuf_str(&line));
	}
	strbuf_free(&line);
	strbuf_free(&keys);
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
	tui_pager_add(p, tui_attr(t, LOOK_LABEL), 0, "In a prompt (search)");
	tui_prompt_help(t, p, KEY_W, w - 4);
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

static const struct tui_screen_type help_type = {
	"help", tui_pager_cmds, help_title, NULL, help_draw, help_info, NULL, NULL, help_free,
};

struct tui_screen *
tui_help_new(void)
{
	struct help *h = xcalloc(1, sizeof *h);

	h->ps.base.type = &help_type;
	return &h->ps.base;
}

int
tui_cmd_help(struct tui *t, struct tui_screen *s)
{
	if (s->type == &help_type)
		return tui_pop(t);
	tui_push(t, tui_help_new());
	return REDRAW_ALL;
}
