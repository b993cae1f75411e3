/* nav.c - getting around: the tabs (one root screen per job of the
 * clinic, opened with a digit from anywhere but a form), leaving a
 * screen or quitting with a question first when a form holds unsaved
 * input, and the list of every screen type for help and `celldesk
 * keys`. The tab table is the one place a new root screen is added. */
#include "config.h"

#include <stddef.h>

#include "tui_int.h"

const struct tui_tab tui_tabs[] = {
	{ '1', "Agenda", ACT_SCHEDULE_VIEW, tui_agenda_new },
	{ '2', "Patients", ACT_PATIENT_VIEW, tui_patients_new },
	{ '3', "Calls", ACT_SCHEDULE_VIEW, tui_calls_new },
	{ '6', "Sync", ACT_SYNC_VIEW, tui_sync_screen_new },
	{ '7', "Admin", ACT_STAFF_VIEW, tui_admin_new },
	{ 0, NULL, TUI_ACT_NONE, NULL },
};

const struct tui_screen_type *const tui_screen_types[] = {
	&tui_agenda_type,
	&tui_visit_page_type,
	&tui_move_preview_type,
	&tui_patients_type,
	&tui_patient_page_type,
	&tui_patient_form_type,
	&tui_book_type,
	&tui_sync_type,
	&tui_calls_type,
	&tui_admin_staff_type,
	&tui_admin_sites_type,
	&tui_admin_resources_type,
	&tui_admin_protocols_type,
	&tui_admin_audit_type,
	&tui_admin_form_type,
	&tui_admin_protocol_type,
	&tui_help_type,
	NULL,
};

const struct tui_tab *
tui_tab_shown(const struct tui *t)
{
	return t->tab;
}

/* Where each job starts its day: the lab on its lots (when that tab
 * exists), everyone else on the first tab the role may open (the
 * agenda). */
const struct tui_tab *
tui_tab_first(const struct tui *t)
{
	const struct tui_tab *tab;
	bool lab_only = (t->ops.roles & (ROLE_FRONTDESK | ROLE_CLINICIAN | ROLE_ADMIN)) == 0 &&
	    (t->ops.roles & ROLE_LAB) != 0;

	if (lab_only && (tab = tui_tab_for_key(t, '4')) != NULL &&
	    roles_may(t->ops.roles, tab->action))
		return tab;
	for (tab = tui_tabs; tab->open != NULL; tab++) {
		if (roles_may(t->ops.roles, tab->action))
			return tab;
	}
	return NULL;
}

bool
tui_stack_dirty(const struct tui *t)
{
	const struct tui_screen *s;

	for (s = t->top; s != NULL; s = s->below) {
		if (s->type->dirty != NULL && s->type->dirty((struct tui_screen *)s))
			return true;
	}
	return false;
}

static void
free_stack(struct tui *t)
{
	struct tui_screen *s;

	while ((s = t->top) != NULL) {
		t->top = s->below;
		s->type->free(s);
	}
}

static int
open_now(struct tui *t, void *ctx)
{
	const struct tui_tab *tab = ctx;

	free_stack(t);
	t->tab = tab;
	tui_push(t, tab->open(t));
	return REDRAW_ALL;
}

int
tui_tab_open(struct tui *t, const struct tui_tab *tab)
{
	if (t->tab == tab && t->top != NULL && t->top->below == NULL)
		return 0;
	if (tui_stack_dirty(t)) {
		tui_confirm(t, open_now, (void *)tab, "Leave the form and lose what was typed"
		    " in it, to open %s?", tab->name);
		return REDRAW_STATUS;
	}
	return open_now(t, (void *)tab);
}

const struct tui_tab *
tui_tab_for_key(const struct tui *t, int key)
{
	const struct tui_tab *tab;

	(void)t;
	for (tab = tui_tabs; tab->open != NULL; tab++) {
		if (tab->key == key)
			return tab;
	}
	return NULL;
}

static int
pop_now(struct tui *t, void *ctx)
{
	(void)ctx;
	return tui_pop(t);
}

int
tui_leave(struct tui *t)
{
	if (t->top->type->dirty != NULL && t->top->type->dirty(t->top)) {
		tui_confirm(t, pop_now, NULL, "Leave the %s and lose what was typed in it?",
		    t->top->type->name);
		return REDRAW_STATUS;
	}
	return tui_pop(t);
}

static int
quit_now(struct tui *t, void *ctx)
{
	(void)t;
	(void)ctx;
	return QUIT;
}

int
tui_quit_asking(struct tui *t)
{
	if (tui_stack_dirty(t)) {
		tui_confirm(t, quit_now, NULL, "Quit and lose what was typed in the form?");
		return REDRAW_STATUS;
	}
	return QUIT;
}
