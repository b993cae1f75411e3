/* admin_actions.c - what the admin screen's keys change, each through
 * ops (the role checked again there, the audit record written): staff
 * disabled (asked first, then why) and enabled again (asked first), a
 * site added or closed for a day (asked first), a site's resources added,
 * given their own hours or recorded away, and the audit trail verified
 * as `celldesk audit verify` in the `:` command's child, so a large
 * trail never freezes the screen. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/xalloc.h"
#include "admin_int.h"

/* --- staff: disable and enable, each asked first --- */
static int
disable_reason(struct tui *t, void *ctx, const char *text, bool accepted)
{
	struct admin *a = ctx;

	if (!accepted) {
		tui_message(t, false, "nothing changed: %s stays active", a->act);
		return REDRAW_STATUS;
	}
	if (ops_staff_set_active(&t->ops, a->act, false, text[0] != '\0' ? text : NULL,
	    &t->err) != CD_OK)
		return tui_show_err(t) | admin_reread(a);
	tui_message(t, false, "%s is now disabled: they can no longer use celldesk", a->act);
	return admin_reread(a);
}

static int
disable_yes(struct tui *t, void *ctx)
{
	struct admin *a = ctx;

	admin_label(a, "Why is ", a->act, " disabled? (optional, for the audit trail; Esc: keep) ");
	tui_prompt_open(t, a->label, NULL, NULL, disable_reason, a);
	return REDRAW_STATUS;
}

static int
enable_yes(struct tui *t, void *ctx)
{
	struct admin *a = ctx;

	if (ops_staff_set_active(&t->ops, a->act, true, NULL, &t->err) != CD_OK)
		return tui_show_err(t) | admin_reread(a);
	tui_message(t, false, "%s is active again", a->act);
	return admin_reread(a);
}

int
admin_cmd_staff_add(struct tui *t, struct tui_screen *s)
{
	(void)s;
	tui_push(t, admin_form_new(FORM_STAFF, NULL, NULL));
	return REDRAW_ALL;
}

int
admin_cmd_staff_disable(struct tui *t, struct tui_screen *s)
{
	struct admin *a = admin_of(s);
	const struct tui_list_row *row = admin_selected(a);

	if (row == NULL)
		return 0;
	if (row->n > STAFF_RAW_ACTIVE && (row->vals[STAFF_RAW_ACTIVE] == NULL ||
	    strcmp(row->vals[STAFF_RAW_ACTIVE], "yes") != 0)) {
		tui_message(t, false, "%s is already disabled; e lets them back in", a->act);
		return REDRAW_STATUS;
	}
	tui_confirm(t, disable_yes, a, "Disable %s (%s)? They could no longer use celldesk.",
	    a->act, a->act_name);
	return REDRAW_STATUS;
}

int
admin_cmd_staff_enable(struct tui *t, struct tui_screen *s)
{
	struct admin *a = admin_of(s);
	const struct tui_list_row *row = admin_selected(a);

	if (row == NULL)
		return 0;
	if (row->n > STAFF_RAW_ACTIVE && row->vals[STAFF_RAW_ACTIVE] != NULL &&
	    strcmp(row->vals[STAFF_RAW_ACTIVE], "yes") == 0) {
		tui_message(t, false, "%s is already active", a->act);
		return REDRAW_STATUS;
	}
	tui_confirm(t, enable_yes, a, "Let %s (%s) use celldesk again?", a->act, a->act_name);
	return REDRAW_STATUS;
}

/* --- sites --- */
int
admin_cmd_site_add(struct tui *t, struct tui_screen *s)
{
	(void)s;
	tui_push(t, admin_form_new(FORM_SITE, NULL, NULL));
	return REDRAW_ALL;
}

/* A site closed for a day: the day, the reason, then a question. */
static int
close_yes(struct tui *t, void *ctx)
{
	struct admin *a = ctx;
	int64_t still = 0;

	if (ops_site_close(&t->ops, a->act, a->day, a->why, &still, &t->err) != CD_OK)
		return tui_show_err(t) | admin_reread(a);
	if (still > 0)
		tui_message(t, true, "%s is closed on %s; %lld visit%s still booked that day:"
		    " move or cancel them (Agenda)", a->act, a->day, (long long)still,
		    still == 1 ? " is" : "s are");
	else
		tui_message(t, false, "%s is closed on %s: nothing new is booked there that day",
		    a->act, a->day);
	return admin_reread(a);
}

static int
close_reason(struct tui *t, void *ctx, const char *text, bool accepted)
{
	struct admin *a = ctx;

	if (!accepted) {
		tui_message(t, false, "nothing changed: %s stays open on %s", a->act, a->day);
		return REDRAW_STATUS;
	}
	free(a->why);
	a->why = text[0] != '\0' ? xstrdup(text) : NULL;
	tui_confirm(t, close_yes, a, "Close %s on %s? Nothing new can be booked there that day.",
	    a->act, a->day);
	return REDRAW_STATUS;
}

static int
close_day(struct tui *t, void *ctx, const char *text, bool accepted)
{
	struct admin *a = ctx;

	if (!accepted || text[0] == '\0') {
		tui_message(t, false, "nothing changed: %s keeps its days", a->act);
		return REDRAW_STATUS;
	}
	snprintf(a->day, sizeof a->day, "%s", text);
	admin_label(a, "Why is ", a->act, " closed? (optional; shown to whoever books) ");
	tui_prompt_open(t, a->label, NULL, NULL, close_reason, a);
	return REDRAW_STATUS;
}

int
admin_cmd_site_close(struct tui *t, struct tui_screen *s)
{
	struct admin *a = admin_of(s);

	if (admin_selected(a) == NULL)
		return 0;
	admin_label(a, "Close ", a->act, " on the day (YYYY-MM-DD): ");
	tui_prompt_open(t, a->label, NULL, NULL, close_day, a);
	return REDRAW_STATUS;
}

/* --- resources and their hours --- */
static bool
need_site(struct tui *t, struct admin *a)
{
	if (admin_site(a) != NULL)
		return true;
	tui_message(t, false, "there are no sites yet: add one in the Sites section");
	return false;
}

int
admin_cmd_next_site(struct tui *t, struct tui_screen *s)
{
	struct admin *a = admin_of(s);

	if (a->nsites < 2) {
		tui_message(t, false, a->nsites == 0 ? "there are no sites yet" :
		    "%s is the only site", a->nsites > 0 ? a->sites[0] : "");
		return REDRAW_STATUS;
	}
	a->site = (a->site + 1) % a->nsites;
	tui_list_reset(&a->lists[SEC_RESOURCES].list);
	return REDRAW_ALL;
}

int
admin_cmd_resource_add(struct tui *t, struct tui_screen *s)
{
	if (!need_site(t, admin_of(s)))
		return REDRAW_STATUS;
	tui_push(t, admin_form_new(FORM_RESOURCE, admin_site(admin_of(s)), NULL));
	return REDRAW_ALL;
}

static int
hours_done(struct tui *t, void *ctx, const char *text, bool accepted)
{
	struct admin *a = ctx;

	if (!accepted) {
		tui_message(t, false, "nothing changed: %s keeps its hours", a->act);
		return REDRAW_STATUS;
	}
	if (ops_resource_hours(&t->ops, a->act, admin_site(a), text, &t->err) != CD_OK)
		return tui_show_err(t) | admin_reread(a);
	tui_message(t, false, "%s at %s now keeps its own hours: %s", a->act, admin_site(a), text);
	return admin_reread(a);
}

int
admin_cmd_resource_hours(struct tui *t, struct tui_screen *s)
{
	struct admin *a = admin_of(s);
	const struct tui_list_row *row = admin_selected(a);

	if (row == NULL || !need_site(t, a))
		return REDRAW_STATUS;
	admin_label(a, "Own hours of ", a->act, " (e.g. mon-fri 09:00-15:00): ");
	tui_prompt_open(t, a->label, row->n > RES_OWN_HOURS ? row->vals[RES_OWN_HOURS] : NULL,
	    NULL, hours_done, a);
	return REDRAW_STATUS;
}

int
admin_cmd_resource_away(struct tui *t, struct tui_screen *s)
{
	struct admin *a = admin_of(s);

	if (admin_selected(a) == NULL || !need_site(t, a))
		return REDRAW_STATUS;
	tui_push(t, admin_form_new(FORM_AWAY, admin_site(a), a->act));
	return REDRAW_ALL;
}

/* --- the audit trail --- */
bool
admin_verifying(const struct tui *t)
{
	return t->cmd != NULL && t->cmd_text != NULL && strcmp(t->cmd_text, "audit verify") == 0;
}

int
admin_cmd_verify(struct tui *t, struct tui_screen *s)
{
	static char *const args[] = { (char *)"audit", (char *)"verify", NULL };

	(void)s;
	if (tui_job_start(t, JOB_COMMAND, args, &t->err) != CD_OK)
		return tui_show_err(t);
	free(t->cmd_text);
	t->cmd_text = xstrdup("audit verify");
	/* The section says "Verifying..." with the seconds while it runs. */
	return REDRAW_LIST | REDRAW_STATUS;
}

