/* admin_protocol.c - a protocol's page, opened with Enter on the admin
 * screen's protocols: its summary as the list shows it, then its JSON
 * as ops_protocol_show gives it (what protocol show prints and protocol
 * edit reads), each line at its own indent and long ones wrapped. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "../core/xalloc.h"
#include "admin_int.h"

struct protocol_page {
	struct tui_pager_screen ps;
	char *name, *json;
	char *summary[5]; /* the list's row: name, cells, courses, apart, title */
	int laid_w;
};

static void
protocol_title(struct tui_screen *s, struct strbuf *out)
{
	strbuf_addf(out, "protocol %s", ((struct protocol_page *)s)->name);
}

struct json_lines {
	struct tui_pager *p;
	int indent;
};

static void
add_json_piece(void *ctx, const char *line)
{
	struct json_lines *jl = ctx;

	tui_pager_add(jl->p, A_NORMAL, 1 + jl->indent, line);
}

static void
protocol_draw(struct tui *t, struct tui_screen *s, int y, int h, int w)
{
	static const char *const labels[5] = { "Protocol", "Cells", "Courses", "Courses apart",
		"Title" };
	struct protocol_page *pp = (struct protocol_page *)s;
	struct tui_pager *p = &pp->ps.pager;
	struct json_lines jl = { p, 0 };
	const char *line = pp->json, *nl;
	char *one;
	size_t len;
	int i;

	if (pp->laid_w != w) {
		tui_pager_clear(p);
		for (i = 0; i < 5; i++)
			tui_pager_add_field(p, tui_attr(t, LOOK_LABEL), labels[i], 16,
			    pp->summary[i] != NULL ? pp->summary[i] : "\xE2\x80\x94", w - 2);
		tui_pager_add(p, A_NORMAL, 0, "");
		tui_pager_add(p, tui_attr(t, LOOK_LABEL), 1,
		    "As JSON (protocol show prints it; protocol edit --file takes it back):");
		/* Each JSON line at its own indent, long ones wrapped under it. */
		while (line != NULL && *line != '\0') {
			nl = strchr(line, '\n');
			len = nl != NULL ? (size_t)(nl - line) : strlen(line);
			for (jl.indent = 0; (size_t)jl.indent < len && line[jl.indent] == ' ';)
				jl.indent++;
			if (jl.indent > w / 2)
				jl.indent = w / 2;
			one = xstrndup(line + jl.indent, len - (size_t)jl.indent);
			tui_wrap(one, w - 3 - jl.indent, add_json_piece, &jl);
			free(one);
			line = nl != NULL ? nl + 1 : NULL;
		}
		pp->laid_w = w;
	}
	tui_pager_draw(t, p, y, h, w);
}

static void
protocol_info(struct tui *t, struct tui_screen *s, struct strbuf *out)
{
	const struct tui_pager *p = &((struct protocol_page *)s)->ps.pager;
	int last = p->scroll + p->height;

	(void)t;
	if (last > p->n)
		last = p->n;
	strbuf_addf(out, "lines %d\xE2\x80\x93%d of %d  \xC2\xB7  Esc goes back",
	    p->n > 0 ? p->scroll + 1 : 0, last, p->n);
}

static void
protocol_free(struct tui_screen *s)
{
	struct protocol_page *pp = (struct protocol_page *)s;
	int i;

	for (i = 0; i < 5; i++)
		free(pp->summary[i]);
	tui_pager_free(&pp->ps.pager);
	free(pp->name);
	free(pp->json);
	free(pp);
}

const struct tui_screen_type tui_admin_protocol_type = {
	.name = "protocol",
	.cmds = tui_pager_cmds,
	.title = protocol_title,
	.draw = protocol_draw,
	.info = protocol_info,
	.free = protocol_free,
};

int
admin_cmd_protocol_show(struct tui *t, struct tui_screen *s)
{
	struct admin *a = admin_of(s);
	const struct tui_list_row *row = admin_selected(a);
	struct protocol_page *pp;
	char *json = NULL;
	int i;

	if (row == NULL)
		return 0;
	if (ops_protocol_show(&t->ops, a->act, &json, &t->err) != CD_OK)
		return tui_show_err(t);
	pp = xcalloc(1, sizeof *pp);
	pp->ps.base.type = &tui_admin_protocol_type;
	pp->name = xstrdup(a->act);
	pp->json = json;
	for (i = 0; i < 5 && i < row->n; i++)
		pp->summary[i] = row->vals[i] != NULL ? xstrdup(row->vals[i]) : NULL;
	pp->laid_w = -1;
	tui_push(t, &pp->ps.base);
	return REDRAW_ALL;
}

