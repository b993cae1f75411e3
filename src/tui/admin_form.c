/* admin_form.c - the admin screen's forms: a new staff member (user
 * name, name, a yes/no per role), a new site (name, time zone, opening
 * hours), a new resource at a site (name, kind, tags) and a resource's
 * absence (from, to, reason). Enter saves through ops, which checks the
 * role and writes the audit record; a refusal is shown and the form
 * keeps what was typed. Esc goes back, asking first when something was
 * typed (tui_leave). Everything shown comes from the form struct, so a
 * resize redraws it whole. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/xalloc.h"
#include "admin_int.h"

enum { LABEL_W = 14 };

struct admin_form {
	struct tui_screen base;
	struct tui_form form;
	enum admin_form_kind kind;
	char *site, *resource; /* raw: what a resource or absence is for */
};

static struct admin_form *
of(struct tui_screen *s)
{
	return (struct admin_form *)s;
}

/* The staff form's role fields, in roles_parse's words. */
static const struct {
	const char *label, *role, *help;
} role_fields[] = {
	{ "Front desk", "frontdesk", "books and moves visits, makes the calls (Space: yes or no)" },
	{ "Lab", "lab", "records, tests and releases cell lots (Space: yes or no)" },
	{ "Clinician", "clinician", "books, issues and administers lots at the bedside (Space: yes or no)" },
	{ "Admin", "admin", "manages staff, sites, protocols; reads the audit trail (Space: yes or no)" },
};
#define NROLE_FIELDS ((int)(sizeof role_fields / sizeof role_fields[0]))
enum { STAFF_USER, STAFF_NAME, STAFF_ROLES };
enum { SITE_NAME, SITE_TZ, SITE_HOURS };
enum { RES_NAME, RES_KIND, RES_TAGS };
enum { AWAY_FROM, AWAY_TO, AWAY_REASON };

/* A required field left empty: said in the form's words, and focused. */
static bool
required(struct tui *t, struct admin_form *af, int i, const char *what)
{
	const char *v = tui_form_value(&af->form, i);

	while (*v == ' ')
		v++;
	if (*v != '\0')
		return true;
	tui_message(t, true, "%s: %s", af->form.fields[i].label, what);
	tui_form_focus(&af->form, i);
	return false;
}

static const char *
or_null(const char *s)
{
	return s[0] != '\0' ? s : NULL;
}

/* Saved: back to the admin screen, the new row selected. */
static int
saved(struct tui *t, const char *key)
{
	char *k = xstrdup(key);
	int flags;

	of(t->top)->form.dirty = false;
	flags = tui_pop(t);
	admin_saved(t->top, k);
	free(k);
	return flags | REDRAW_ALL;
}

static int
save_staff(struct tui *t, struct admin_form *af)
{
	char roles[64] = "", msg[400];
	const char *user = tui_form_value(&af->form, STAFF_USER);
	int i;

	if (!required(t, af, STAFF_USER, "give the person's Unix account name") ||
	    !required(t, af, STAFF_NAME, "give the person's full name"))
		return REDRAW_LIST | REDRAW_STATUS;
	for (i = 0; i < NROLE_FIELDS; i++) {
		if (strcmp(tui_form_value(&af->form, STAFF_ROLES + i), "yes") == 0)
			snprintf(roles + strlen(roles), sizeof roles - strlen(roles), "%s%s",
			    roles[0] != '\0' ? "," : "", role_fields[i].role);
	}
	if (roles[0] == '\0') {
		tui_message(t, true, "give at least one role: Space on a role says yes");
		tui_form_focus(&af->form, STAFF_ROLES);
		return REDRAW_LIST | REDRAW_STATUS;
	}
	if (ops_staff_add(&t->ops, user, tui_form_value(&af->form, STAFF_NAME), roles,
	    &t->err) != CD_OK)
		return tui_show_err(t);
	snprintf(msg, sizeof msg, "added %s as staff with the roles %s", user, roles);
	i = saved(t, user);
	tui_message(t, false, "%s", msg);
	return i;
}

static int
save_site(struct tui *t, struct admin_form *af)
{
	const char *name = tui_form_value(&af->form, SITE_NAME);
	char msg[400];
	int flags;

	if (!required(t, af, SITE_NAME, "give the site's name") ||
	    !required(t, af, SITE_TZ, "give its time zone, e.g. Europe/Berlin"))
		return REDRAW_LIST | REDRAW_STATUS;
	if (ops_site_add(&t->ops, name, tui_form_value(&af->form, SITE_TZ),
	    or_null(tui_form_value(&af->form, SITE_HOURS)), &t->err) != CD_OK)
		return tui_show_err(t);
	snprintf(msg, sizeof msg, "added the site %s (%s)", name,
	    tui_form_value(&af->form, SITE_TZ));
	flags = saved(t, name);
	tui_message(t, false, "%s", msg);
	return flags;
}

static int
save_resource(struct tui *t, struct admin_form *af)
{
	const char *name = tui_form_value(&af->form, RES_NAME);
	char msg[400];
	int flags;

	if (!required(t, af, RES_NAME, "give the room's, device's or clinician's name"))
		return REDRAW_LIST | REDRAW_STATUS;
	if (ops_resource_add(&t->ops, name, af->site, tui_form_value(&af->form, RES_KIND),
	    or_null(tui_form_value(&af->form, RES_TAGS)), &t->err) != CD_OK)
		return tui_show_err(t);
	snprintf(msg, sizeof msg, "added the %s %s at %s", tui_form_value(&af->form, RES_KIND),
	    name, af->site);
	flags = saved(t, name);
	tui_message(t, false, "%s", msg);
	return flags;
}

static int
save_away(struct tui *t, struct admin_form *af)
{
	const char *from = tui_form_value(&af->form, AWAY_FROM);
	const char *to = tui_form_value(&af->form, AWAY_TO);
	char msg[400];
	int64_t still = 0;
	int flags;

	if (!required(t, af, AWAY_FROM, "when it starts, YYYY-MM-DD HH:MM") ||
	    !required(t, af, AWAY_TO, "when it ends, YYYY-MM-DD HH:MM"))
		return REDRAW_LIST | REDRAW_STATUS;
	if (ops_resource_away(&t->ops, af->resource, af->site, from, to,
	    or_null(tui_form_value(&af->form, AWAY_REASON)), &still, &t->err) != CD_OK)
		return tui_show_err(t);
	if (still > 0)
		snprintf(msg, sizeof msg, "%s is away from %s to %s; %lld visit%s still use%s it"
		    " then: move them (Agenda)", af->resource, from, to, (long long)still,
		    still == 1 ? "" : "s", still == 1 ? "s" : "");
	else
		snprintf(msg, sizeof msg, "%s is away from %s to %s", af->resource, from, to);
	flags = saved(t, af->resource);
	tui_message(t, still > 0, "%s", msg);
	return flags;
}

/* --- commands --- */
static int
cmd_save(struct tui *t, struct tui_screen *s)
{
	struct admin_form *af = of(s);

	switch (af->kind) {
	case FORM_STAFF:
		return save_staff(t, af);
	case FORM_SITE:
		return save_site(t, af);
	case FORM_RESOURCE:
		return save_resource(t, af);
	default:
		return save_away(t, af);
	}
}

static int
cmd_back(struct tui *t, struct tui_screen *s)
{
	(void)s;
	return tui_leave(t);
}

static const struct tui_cmd form_cmds[] = {
	{ { '\r', '\n', TUI_FN(KEY_ENTER), 0 }, "save", "Enter save", TUI_ACT_NONE, 0, cmd_save },
	{ { TUI_ESC, 0 }, "go back (asks first when something was typed)", "Esc back",
	    TUI_ACT_NONE, 0, cmd_back },
	{ { 0 }, NULL, NULL, TUI_ACT_NONE, 0, NULL },
};

/* --- the screen --- */
static const char *
heading(const struct admin_form *af)
{
	switch (af->kind) {
	case FORM_STAFF:
		return "A new staff member";
	case FORM_SITE:
		return "A new site";
	case FORM_RESOURCE:
		return "A new room, device or clinician";
	default:
		return "Away: when the resource cannot be booked";
	}
}

static void
form_title(struct tui_screen *s, struct strbuf *out)
{
	struct admin_form *af = of(s);

	switch (af->kind) {
	case FORM_STAFF:
		strbuf_adds(out, "admin \xC2\xB7 new staff member");
		break;
	case FORM_SITE:
		strbuf_adds(out, "admin \xC2\xB7 new site");
		break;
	case FORM_RESOURCE:
		strbuf_addf(out, "admin \xC2\xB7 new resource at %s", af->site);
		break;
	default:
		strbuf_addf(out, "admin \xC2\xB7 %s at %s away", af->resource, af->site);
		break;
	}
}

static void
form_draw(struct tui *t, struct tui_screen *s, int y, int h, int w)
{
	struct admin_form *af = of(s);
	struct strbuf b = STRBUF_INIT, line = STRBUF_INIT;
	int i, used;

	for (i = 0; i < h; i++)
		tui_put(y + i, 0, w, A_NORMAL, "");
	if (h < 3)
		return;
	strbuf_addf(&b, " %s", heading(af));
	if (af->kind == FORM_AWAY)
		strbuf_addf(&b, ": %s at %s, in the site's local time", af->resource, af->site);
	else if (af->kind == FORM_RESOURCE)
		strbuf_addf(&b, " at %s", af->site);
	tui_fit(&line, strbuf_str(&b), w, true);
	tui_put(y, 0, w, tui_attr(t, LOOK_LABEL), strbuf_str(&line));
	used = tui_form_draw(t, &af->form, y + 2, h - 3, w, LABEL_W);
	if (used + 3 < h)
		tui_put(y + 3 + used, 2, w - 3, tui_attr(t, LOOK_INFO),
		    "Tab or Down: next field  \xC2\xB7  Enter saves  \xC2\xB7  Esc goes back");
	strbuf_free(&b);
	strbuf_free(&line);
}

static void
form_info(struct tui *t, struct tui_screen *s, struct strbuf *out)
{
	const char *help = tui_form_help(&of(s)->form);

	(void)t;
	strbuf_adds(out, help != NULL ? help : "");
}

static int
form_key(struct tui *t, struct tui_screen *s, int key)
{
	(void)t;
	return tui_form_key(&of(s)->form, key);
}

static bool
form_dirty(struct tui_screen *s)
{
	return of(s)->form.dirty;
}

static void
form_free(struct tui_screen *s)
{
	struct admin_form *af = of(s);

	tui_form_free(&af->form);
	free(af->site);
	free(af->resource);
	free(af);
}

const struct tui_screen_type tui_admin_form_type = {
	.name = "admin form",
	.cmds = form_cmds,
	.title = form_title,
	.draw = form_draw,
	.info = form_info,
	.free = form_free,
	.key = form_key,
	.dirty = form_dirty,
};

struct tui_screen *
admin_form_new(enum admin_form_kind kind, const char *site, const char *resource)
{
	struct admin_form *af = xcalloc(1, sizeof *af);
	struct tui_form *f = &af->form;
	int i, k;

	af->base.type = &tui_admin_form_type;
	af->kind = kind;
	af->site = site != NULL ? xstrdup(site) : NULL;
	af->resource = resource != NULL ? xstrdup(resource) : NULL;
	switch (kind) {
	case FORM_STAFF:
		tui_form_add(f, FIELD_TEXT, "User name",
		    "the person's Unix account: lower-case letters, digits, _ . - (up to 32)", NULL,
		    32);
		tui_form_add(f, FIELD_TEXT, "Full name", "as the person signs: releases carry it",
		    NULL, 200);
		for (i = 0; i < NROLE_FIELDS; i++) {
			k = tui_form_add(f, FIELD_CHOICE, role_fields[i].label, role_fields[i].help,
			    NULL, 0);
			tui_form_add_choice(f, k, "no");
			tui_form_add_choice(f, k, "yes");
		}
		break;
	case FORM_SITE:
		tui_form_add(f, FIELD_TEXT, "Name", "the site's name, as people say it (no /)", NULL,
		    80);
		tui_form_add(f, FIELD_TEXT, "Time zone",
		    "an IANA time zone, e.g. Europe/Berlin, Europe/Kyiv, America/New_York", NULL, 64);
		tui_form_add(f, FIELD_TEXT, "Opening hours",
		    "e.g. mon-fri 08:00-18:00, sat 09:00-13:00 (days not named are closed)",
		    "mon-fri 08:00-18:00", 200);
		break;
	case FORM_RESOURCE:
		tui_form_add(f, FIELD_TEXT, "Name", "e.g. Injection room B, C-arm, Dr. Jana Novak",
		    NULL, 80);
		k = tui_form_add(f, FIELD_CHOICE, "Kind",
		    "room, device or clinician (Space or Left/Right steps)", NULL, 0);
		tui_form_add_choice(f, k, "room");
		tui_form_add_choice(f, k, "device");
		tui_form_add_choice(f, k, "clinician");
		tui_form_add(f, FIELD_TEXT, "Tags",
		    "what visits it serves, comma-separated: injection,ultrasound (may be empty)",
		    NULL, 200);
		break;
	default:
		tui_form_add(f, FIELD_TEXT, "From", "YYYY-MM-DD HH:MM, the site's local time", NULL,
		    16);
		tui_form_add(f, FIELD_TEXT, "To", "YYYY-MM-DD HH:MM, the site's local time", NULL,
		    16);
		tui_form_add(f, FIELD_TEXT, "Reason", "e.g. maintenance, leave (may be empty)", NULL,
		    200);
		break;
	}
	tui_form_clean(f);
	return &af->base;
}
