/* admin.c - the admin screen (tab 7): five sections switched with Tab
 * (or Left and Right): the staff and their roles, the sites, a site's
 * resources and their hours, the protocols, and the audit trail's
 * verification. Each section is a screen type of its own, so help and
 * `celldesk keys` list the keys it really has; one struct keeps every
 * section's list. The lists are short (tens of rows), streamed from ops
 * a page at a time; every change goes through ops (the role checked,
 * the audit record written). Verifying the audit trail, seconds on a
 * large database, runs as `celldesk audit verify` in the `:` command's
 * child, so the screen answers keys meanwhile and shows the verdict. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/text.h"
#include "../core/xalloc.h"
#include "admin_int.h"

static const struct tui_screen_type *const sec_types[NSECS];

enum { BAR_LINES = 1 };         /* the sections' bar above the list */

static const char *const sec_names[NSECS] = { "Staff", "Sites", "Resources & hours",
	"Protocols", "Audit trail" };

/* --- the rows of each section: columns shown first, then the rest --- */
static const struct tui_list_col staff_cols[] = {
	{ "User", 16 }, { "Name", 0 }, { "Roles", 30 }, { "Status", 9 },
};
static const struct tui_list_col site_cols[] = {
	{ "Site", 20 }, { "Time zone", 20 }, { "Opening hours", 0 },
};
static const struct tui_list_col resource_cols[] = {
	{ "Resource", 0 }, { "Kind", 10 }, { "Tags", 22 }, { "Hours", 0 },
};
static const struct tui_list_col protocol_cols[] = {
	{ "Protocol", 22 }, { "Cells", 11 }, { "Courses", 7 }, { "Courses apart", 22 },
	{ "Title", 0 },
};

struct admin *
admin_of(struct tui_screen *s)
{
	return (struct admin *)s;
}

static struct admin_list *
shown(struct admin *a)
{
	return a->sec < NLISTS ? &a->lists[a->sec] : NULL;
}

const char *
admin_site(const struct admin *a)
{
	return a->nsites > 0 ? a->sites[a->site] : NULL;
}

/* Streams rows [offset, offset + limit) of a section, rewritten into
 * its columns; add NULL only counts. */
struct window {
	struct admin_list *al;
	int64_t offset, limit, seen;
	cd_row_fn add;
	void *add_ctx;
};

static const char *
col(const struct cd_row *row, const char *key)
{
	int i;

	for (i = 0; i < row->n; i++) {
		if (strcmp(row->keys[i], key) == 0)
			return row->vals[i];
	}
	return NULL;
}

static enum cd_status
window_row(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	static const char *const keys[6] = { "a", "b", "c", "d", "e", "f" };
	struct window *w = ctx;
	const char *vals[6];
	char buf[96];
	struct cd_row out = { 0, keys, vals };
	const char *v;
	int64_t i = w->seen++;

	if (w->add == NULL || i < w->offset || i >= w->offset + w->limit)
		return CD_OK;
	switch (w->al->sec) {
	case SEC_STAFF:
		v = col(row, "active");
		vals[0] = col(row, "user");
		vals[1] = col(row, "name");
		vals[2] = col(row, "roles");
		vals[3] = v != NULL && strcmp(v, "yes") == 0 ? "active" : "disabled";
		vals[4] = v;
		out.n = 5;
		break;
	case SEC_SITES:
		vals[0] = col(row, "name");
		vals[1] = col(row, "tz");
		vals[2] = col(row, "hours");
		out.n = 3;
		break;
	case SEC_RESOURCES:
		v = col(row, "hours");
		vals[0] = col(row, "name");
		vals[1] = col(row, "kind");
		vals[2] = col(row, "tags");
		vals[3] = v != NULL ? v : "the site's hours";
		vals[4] = v;
		out.n = 5;
		break;
	default:
		v = col(row, "min_gap_days");
		snprintf(buf, sizeof buf, "%s days (at least %s)",
		    col(row, "gap_days") != NULL ? col(row, "gap_days") : "?", v != NULL ? v : "?");
		vals[0] = col(row, "name");
		vals[1] = col(row, "source");
		vals[2] = col(row, "courses");
		vals[3] = buf;
		vals[4] = col(row, "title");
		out.n = 5;
		break;
	}
	return w->add(w->add_ctx, &out, err);
}

static enum cd_status
read_section(struct admin_list *al, struct window *w, struct cd_err *err)
{
	struct ops *o = &al->a->t->ops;

	switch (al->sec) {
	case SEC_STAFF:
		return ops_staff_list(o, window_row, w, err);
	case SEC_SITES:
		return ops_site_list(o, window_row, w, err);
	case SEC_RESOURCES:
		if (admin_site(al->a) == NULL)
			return CD_OK;
		return ops_resource_list(o, admin_site(al->a), window_row, w, err);
	default:
		return ops_protocol_list(o, window_row, w, err);
	}
}

static enum cd_status
section_count(void *ctx, bool must, int64_t *n, struct cd_err *err)
{
	struct window w = { ctx, 0, 0, 0, NULL, NULL };
	enum cd_status st;

	(void)must;
	if ((st = read_section(ctx, &w, err)) != CD_OK)
		return st;
	*n = w.seen;
	return CD_OK;
}

static enum cd_status
section_fetch(void *ctx, int64_t offset, int64_t limit, cd_row_fn add, void *add_ctx,
    struct cd_err *err)
{
	struct window w = { ctx, offset, limit, 0, add, add_ctx };

	return read_section(ctx, &w, err);
}

/* Disabled staff dimmed (and "disabled" in words). */
static int
section_row_look(void *ctx, const struct tui_list_row *row)
{
	const struct admin_list *al = ctx;

	if (al->sec == SEC_STAFF && row->n > STAFF_RAW_ACTIVE &&
	    (row->vals[STAFF_RAW_ACTIVE] == NULL || strcmp(row->vals[STAFF_RAW_ACTIVE], "yes") != 0))
		return LOOK_DIM;
	return -1;
}

static const struct tui_list_ops section_list_ops = {
	.count = section_count,
	.fetch = section_fetch,
	.row_look = section_row_look,
};

/* --- the resources section's sites --- */
static void
clear_sites(struct admin *a)
{
	int i;

	for (i = 0; i < a->nsites; i++)
		free(a->sites[i]);
	a->nsites = 0;
}

struct site_names {
	int n;
	char *names[ADMIN_MAX_SITES];
};

static enum cd_status
site_name_row(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	struct site_names *sn = ctx;

	(void)err;
	if (sn->n < ADMIN_MAX_SITES && row->n > 0 && row->vals[0] != NULL)
		sn->names[sn->n++] = xstrdup(row->vals[0]);
	return CD_OK;
}

/* Reads the sites, keeping the one shown when it is still there. */
static enum cd_status
read_sites(struct admin *a, struct cd_err *err)
{
	struct site_names sn;
	enum cd_status st;
	int i, keep = 0;

	sn.n = 0;
	if ((st = ops_site_list(&a->t->ops, site_name_row, &sn, err)) != CD_OK) {
		while (sn.n > 0)
			free(sn.names[--sn.n]);
		return st;
	}
	for (i = 0; i < sn.n; i++) {
		if (admin_site(a) != NULL && strcmp(admin_site(a), sn.names[i]) == 0)
			keep = i;
	}
	if (admin_site(a) != NULL && (keep >= sn.n || strcmp(admin_site(a), sn.names[keep]) != 0))
		tui_list_reset(&a->lists[SEC_RESOURCES].list);
	clear_sites(a);
	for (i = 0; i < sn.n; i++)
		a->sites[i] = sn.names[i];
	a->nsites = sn.n;
	a->site = keep;
	a->sites_stale = false;
	return CD_OK;
}

/* --- after a change --- */
int
admin_reread(struct admin *a)
{
	int i;

	for (i = 0; i < NLISTS; i++)
		tui_list_invalidate(&a->lists[i].list);
	a->sites_stale = true;
	return REDRAW_LIST | REDRAW_STATUS;
}

void
admin_saved(struct tui_screen *s, const char *key)
{
	struct admin *a;
	struct admin_list *al;

	if (s == NULL || s->type->free != sec_types[SEC_STAFF]->free)
		return;
	a = admin_of(s);
	admin_reread(a);
	if ((al = shown(a)) != NULL && key != NULL) {
		free(al->list.keep_key);
		al->list.keep_key = xstrdup(key);
	}
}

/* The selected row's first column into act (and the second, a name,
 * into act_name); NULL when nothing is selected. */
const struct tui_list_row *
admin_selected(struct admin *a)
{
	const struct tui_list_row *row = shown(a) != NULL ? tui_list_selected(&shown(a)->list) :
	    NULL;

	if (row == NULL || row->n < 2 || row->vals[0] == NULL)
		return NULL;
	snprintf(a->act, sizeof a->act, "%s", row->vals[0]);
	snprintf(a->act_name, sizeof a->act_name, "%s", row->vals[1] != NULL ? row->vals[1] : "");
	return row;
}

/* The label of a prompt about what (raw text, sanitized and cut to 40
 * columns on a character boundary): before, what, after. */
void
admin_label(struct admin *a, const char *before, const char *what, const char *after)
{
	struct strbuf safe = STRBUF_INIT, cut = STRBUF_INIT;

	text_sanitize(&safe, what, strlen(what));
	tui_fit_safe(&cut, strbuf_str(&safe), 40, false);
	snprintf(a->label, sizeof a->label, "%s%s%s", before, strbuf_str(&cut), after);
	strbuf_free(&safe);
	strbuf_free(&cut);
}

/* --- moving, sections, finding --- */
static struct tui_list *
list_of(struct tui_screen *s)
{
	return &shown(admin_of(s))->list;
}

static int cmd_down(struct tui *t, struct tui_screen *s) { (void)t; return tui_list_move(list_of(s), 1); }
static int cmd_up(struct tui *t, struct tui_screen *s) { (void)t; return tui_list_move(list_of(s), -1); }
static int cmd_page_down(struct tui *t, struct tui_screen *s) { (void)t; return tui_list_page(list_of(s), 1); }
static int cmd_page_up(struct tui *t, struct tui_screen *s) { (void)t; return tui_list_page(list_of(s), -1); }
static int cmd_home(struct tui *t, struct tui_screen *s) { (void)t; return tui_list_home(list_of(s)); }
static int cmd_end(struct tui *t, struct tui_screen *s) { (void)t; return tui_list_end(list_of(s)); }
static int cmd_find(struct tui *t, struct tui_screen *s) { return tui_find_open(t, &shown(admin_of(s))->find); }
static int cmd_find_next(struct tui *t, struct tui_screen *s) { return tui_find_next(t, &shown(admin_of(s))->find, 1); }
static int cmd_find_prev(struct tui *t, struct tui_screen *s) { return tui_find_next(t, &shown(admin_of(s))->find, -1); }

static int
go_section(struct admin *a, int sec)
{
	a->sec = (sec + NSECS) % NSECS;
	a->base.type = sec_types[a->sec];
	return REDRAW_ALL;
}

static int cmd_next_sec(struct tui *t, struct tui_screen *s) { (void)t; return go_section(admin_of(s), admin_of(s)->sec + 1); }
static int cmd_prev_sec(struct tui *t, struct tui_screen *s) { (void)t; return go_section(admin_of(s), admin_of(s)->sec - 1); }

static int
cmd_quit(struct tui *t, struct tui_screen *s)
{
	return s->below != NULL ? tui_pop(t) : tui_quit_asking(t);
}

#define SECTION_CMDS \
	{ { '\t', TUI_FN(KEY_RIGHT), 'l', 0 }, "the next section", "Tab section", \
	    ACT_STAFF_VIEW, 0, cmd_next_sec }, \
	{ { TUI_FN(KEY_BTAB), TUI_FN(KEY_LEFT), 'h', 0 }, "the previous section", NULL, \
	    ACT_STAFF_VIEW, 0, cmd_prev_sec }
#define LIST_CMDS(what, act) \
	{ { 'j', TUI_FN(KEY_DOWN), 0 }, "next " what, "j/k move", act, 0, cmd_down }, \
	{ { 'k', TUI_FN(KEY_UP), 0 }, "previous " what, NULL, act, 0, cmd_up }, \
	{ { TUI_FN(KEY_NPAGE), TUI_CTRL('f'), ' ', 0 }, "next page", NULL, act, 0, \
	    cmd_page_down }, \
	{ { TUI_FN(KEY_PPAGE), TUI_CTRL('b'), 0 }, "previous page", NULL, act, 0, \
	    cmd_page_up }, \
	{ { 'g', TUI_FN(KEY_HOME), 0 }, "first " what, NULL, act, 0, cmd_home }, \
	{ { 'G', TUI_FN(KEY_END), 0 }, "last " what, NULL, act, 0, cmd_end }, \
	{ { '/', 0 }, "find text in the list", "/ find", act, 0, cmd_find }, \
	{ { 'n', 0 }, "find the next match", NULL, act, 0, cmd_find_next }, \
	{ { 'N', 0 }, "find the previous match", NULL, act, 0, cmd_find_prev }
#define QUIT_CMD \
	{ { 'q', 0 }, "quit celldesk", "q quit", TUI_ACT_NONE, 0, cmd_quit }
#define END_CMD { { 0 }, NULL, NULL, TUI_ACT_NONE, 0, NULL }

static const struct tui_cmd staff_cmds[] = {
	LIST_CMDS("staff member", ACT_STAFF_VIEW),
	SECTION_CMDS,
	{ { 'a', 0 }, "add a staff member: user name, name, roles", "a add", ACT_STAFF_MANAGE, 0,
	    admin_cmd_staff_add },
	{ { 'D', 0 }, "disable the staff member (asks first)", "D disable", ACT_STAFF_MANAGE,
	    TUI_NEED_ROW, admin_cmd_staff_disable },
	{ { 'e', 0 }, "let a disabled staff member back in (asks first)", "e enable",
	    ACT_STAFF_MANAGE, TUI_NEED_ROW, admin_cmd_staff_enable },
	QUIT_CMD,
	END_CMD,
};
static const struct tui_cmd sites_cmds[] = {
	LIST_CMDS("site", ACT_SITE_VIEW),
	SECTION_CMDS,
	{ { 'a', 0 }, "add a site: name, time zone, opening hours", "a add", ACT_SITE_MANAGE, 0,
	    admin_cmd_site_add },
	{ { 'C', 0 }, "close the site for a day, a holiday (asks first)", "C close a day",
	    ACT_SITE_MANAGE, TUI_NEED_ROW, admin_cmd_site_close },
	QUIT_CMD,
	END_CMD,
};
static const struct tui_cmd resources_cmds[] = {
	LIST_CMDS("resource", ACT_SITE_VIEW),
	SECTION_CMDS,
	{ { 's', 0 }, "the next site's resources", "s site", ACT_SITE_VIEW, 0, admin_cmd_next_site },
	{ { 'a', 0 }, "add a room, device or clinician to the site", "a add", ACT_SITE_MANAGE,
	    0, admin_cmd_resource_add },
	{ { 'o', 0 }, "set the resource's own opening hours", "o hours", ACT_SITE_MANAGE,
	    TUI_NEED_ROW, admin_cmd_resource_hours },
	{ { 'w', 0 }, "record that the resource is away (from, to, reason)", "w away",
	    ACT_SITE_MANAGE, TUI_NEED_ROW, admin_cmd_resource_away },
	QUIT_CMD,
	END_CMD,
};
static const struct tui_cmd protocols_cmds[] = {
	LIST_CMDS("protocol", ACT_PROTOCOL_VIEW),
	SECTION_CMDS,
	{ { '\r', '\n', TUI_FN(KEY_ENTER), 0 }, "show the protocol: summary and JSON",
	    "Enter show", ACT_PROTOCOL_VIEW, TUI_NEED_ROW, admin_cmd_protocol_show },
	QUIT_CMD,
	END_CMD,
};
static const struct tui_cmd audit_cmds[] = {
	SECTION_CMDS,
	{ { 'v', 0 }, "verify the audit trail's hash chain", "v verify", ACT_AUDIT, 0,
	    admin_cmd_verify },
	QUIT_CMD,
	END_CMD,
};

/* --- the screen --- */
static void
admin_title(struct tui_screen *s, struct strbuf *out)
{
	struct admin *a = admin_of(s);

	strbuf_addf(out, "admin \xC2\xB7 %s", sec_names[a->sec]);
	if (a->sec == SEC_RESOURCES && admin_site(a) != NULL)
		strbuf_addf(out, " at %s", admin_site(a));
}

static int
list_height(struct tui *t)
{
	int h = TUI_BODY_H(t) - BAR_LINES - 1; /* less the bar and the heads */

	return h < 1 ? 1 : h;
}

static int
admin_sync(struct tui *t, struct tui_screen *s)
{
	struct admin *a = admin_of(s);
	struct admin_list *al = shown(a);
	enum cd_status st;
	int flags = 0;

	if (al == NULL)
		return 0;
	if (!(a->sec == SEC_RESOURCES && a->sites_stale) && !tui_list_stale(&al->list,
	    list_height(t)))
		return 0;
	/* One snapshot for the sites, the count and the page. */
	if ((st = db_begin_read(t->ops.db, &t->err)) != CD_OK)
		return tui_show_err(t);
	if (a->sec == SEC_RESOURCES && a->sites_stale) {
		st = read_sites(a, &t->err);
		flags |= REDRAW_ALL; /* the title names the site */
	}
	if (st == CD_OK)
		st = tui_list_sync(&al->list, list_height(t), &t->err);
	db_end_read(t->ops.db);
	if (st != CD_OK) {
		a->sites_stale = false;
		return flags | tui_show_err(t) | REDRAW_LIST;
	}
	return flags | REDRAW_LIST | REDRAW_STATUS;
}

/* The sections in a bar, the one shown in brackets and reverse video. */
static void
draw_bar(struct tui *t, struct admin *a, int y, int w)
{
	struct strbuf b = STRBUF_INIT;
	int i, x = 1, n;

	tui_put(y, 0, w, A_NORMAL, "");
	for (i = 0; i < NSECS; i++) {
		strbuf_reset(&b);
		strbuf_addf(&b, i == a->sec ? "[%s]" : " %s ", sec_names[i]);
		n = tui_width_safe(strbuf_str(&b));
		if (x + n >= w)
			break;
		tui_put(y, x, n, i == a->sec ? tui_attr(t, LOOK_TAB) : A_NORMAL, strbuf_str(&b));
		x += n + 1;
	}
	if (x + 14 < w)
		tui_put(y, x + 1, w - x - 2, tui_attr(t, LOOK_INFO), "Tab switches");
	strbuf_free(&b);
}

struct text_lines {
	int y, end, w;
	attr_t attr;
};

static void
put_line(void *ctx, const char *line)
{
	struct text_lines *tl = ctx;

	if (tl->y < tl->end)
		tui_put(tl->y++, 2, tl->w - 3, tl->attr, line);
}

static void
audit_text(struct text_lines *tl, attr_t attr, const char *raw)
{
	tl->attr = attr;
	tui_wrap(raw, tl->w - 4, put_line, tl);
	if (tl->y < tl->end)
		tl->y++;
}

static void
draw_audit(struct tui *t, int y, int h, int w)
{
	struct text_lines tl = { y, y + h, w, A_NORMAL };
	struct strbuf b = STRBUF_INIT;
	const struct tui_job *j = t->cmd;
	int i;

	for (i = 0; i < h; i++)
		tui_put(y + i, 0, w, A_NORMAL, "");
	tl.y++;
	audit_text(&tl, A_NORMAL, "Every change celldesk makes is recorded in the audit trail:"
	    " who, when, and the row before and after. Each record holds the hash of the one"
	    " before it, so a record changed or removed afterwards breaks the chain.");
	if (!roles_may(t->ops.roles, ACT_AUDIT)) {
		audit_text(&tl, tui_attr(t, LOOK_DIM), "Only an admin verifies the audit trail.");
		return;
	}
	audit_text(&tl, A_NORMAL, "v verifies the whole chain. On a large database it takes"
	    " several seconds; the screen keeps answering meanwhile, and the verdict opens when"
	    " it is done.");
	if (admin_verifying(t) && j->running) {
		strbuf_addf(&b, "Verifying the audit trail... (%lld s)",
		    (long long)tui_job_seconds(j));
		audit_text(&tl, A_BOLD, strbuf_str(&b));
	} else if (admin_verifying(t)) {
		strbuf_addf(&b, "Last verified from here (in %lld s): %s", (long long)tui_job_seconds(j),
		    j->out.len > 0 ? j->out.s : "(it printed nothing)");
		audit_text(&tl, j->failed ? tui_attr(t, LOOK_BAD) : tui_attr(t, LOOK_OK),
		    strbuf_str(&b));
	} else {
		audit_text(&tl, tui_attr(t, LOOK_DIM), "Not verified from here yet.");
	}
	strbuf_free(&b);
}

static void
admin_draw(struct tui *t, struct tui_screen *s, int y, int h, int w)
{
	struct admin *a = admin_of(s);

	if (h < BAR_LINES + 2)
		return;
	draw_bar(t, a, y, w);
	if (shown(a) != NULL)
		tui_list_draw(t, &shown(a)->list, y + BAR_LINES, h - BAR_LINES, w);
	else
		draw_audit(t, y + BAR_LINES, h - BAR_LINES, w);
}

static void
admin_info(struct tui *t, struct tui_screen *s, struct strbuf *out)
{
	static const char *const what[NLISTS] = { "staff member", "site", "resource",
		"protocol" };
	struct admin *a = admin_of(s);
	struct admin_list *al = shown(a);
	const struct tui_list *l;

	if (al == NULL) {
		if (admin_verifying(t) && t->cmd->running)
			strbuf_addf(out, "verifying the audit trail... (%lld s)",
			    (long long)tui_job_seconds(t->cmd));
		else
			strbuf_adds(out, "the audit trail");
		return;
	}
	l = &al->list;
	if (a->sec == SEC_RESOURCES && admin_site(a) == NULL)
		strbuf_adds(out, "no sites yet: add one in the Sites section");
	else if (l->total == 0)
		strbuf_addf(out, "no %ss yet", what[a->sec]);
	else if (l->total > 0)
		strbuf_addf(out, "%s %lld of %lld", what[a->sec], (long long)l->cur + 1,
		    (long long)l->total);
	if (a->sec == SEC_RESOURCES && a->nsites > 1)
		strbuf_addf(out, "  \xC2\xB7  site %d of %d (s: next)", a->site + 1, a->nsites);
}

static void
admin_invalidate(struct tui_screen *s)
{
	admin_reread(admin_of(s));
}

static bool
admin_has_row(struct tui_screen *s)
{
	struct admin_list *al = shown(admin_of(s));

	return al != NULL && tui_list_selected(&al->list) != NULL;
}

static void
admin_free(struct tui_screen *s)
{
	struct admin *a = admin_of(s);
	int i;

	for (i = 0; i < NLISTS; i++) {
		tui_list_free(&a->lists[i].list);
		tui_find_free(&a->lists[i].find);
	}
	clear_sites(a);
	free(a->why);
	free(a);
}

#define ADMIN_TYPE(sec_name, table) { \
	.name = sec_name, .cmds = table, .title = admin_title, .sync = admin_sync, \
	.draw = admin_draw, .info = admin_info, .invalidate = admin_invalidate, \
	.has_row = admin_has_row, .free = admin_free }
const struct tui_screen_type tui_admin_staff_type = ADMIN_TYPE("admin staff", staff_cmds);
const struct tui_screen_type tui_admin_sites_type = ADMIN_TYPE("admin sites", sites_cmds);
const struct tui_screen_type tui_admin_resources_type =
    ADMIN_TYPE("admin resources", resources_cmds);
const struct tui_screen_type tui_admin_protocols_type =
    ADMIN_TYPE("admin protocols", protocols_cmds);
const struct tui_screen_type tui_admin_audit_type = ADMIN_TYPE("admin audit", audit_cmds);

static const struct tui_screen_type *const sec_types[NSECS] = {
	&tui_admin_staff_type, &tui_admin_sites_type, &tui_admin_resources_type,
	&tui_admin_protocols_type, &tui_admin_audit_type,
};

struct tui_screen *
tui_admin_new(struct tui *t)
{
	static const struct {
		const struct tui_list_col *cols;
		int n;
	} cols[NLISTS] = {
		{ staff_cols, (int)(sizeof staff_cols / sizeof staff_cols[0]) },
		{ site_cols, (int)(sizeof site_cols / sizeof site_cols[0]) },
		{ resource_cols, (int)(sizeof resource_cols / sizeof resource_cols[0]) },
		{ protocol_cols, (int)(sizeof protocol_cols / sizeof protocol_cols[0]) },
	};
	struct admin *a = xcalloc(1, sizeof *a);
	int i;

	a->t = t;
	a->sites_stale = true;
	for (i = 0; i < NLISTS; i++) {
		a->lists[i].a = a;
		a->lists[i].sec = i;
		tui_list_init(&a->lists[i].list, cols[i].cols, cols[i].n, &section_list_ops,
		    &a->lists[i]);
		a->lists[i].find.list = &a->lists[i].list;
	}
	go_section(a, SEC_STAFF);
	return &a->base;
}
