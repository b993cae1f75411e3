/* admin_int.h - what the admin screen's files share: admin.c (the
 * sections and their lists: staff, sites, resources and hours,
 * protocols, the audit trail), admin_actions.c (what the keys change,
 * through ops), admin_protocol.c (a protocol's page) and admin_form.c
 * (the forms that add staff, sites and resources and record an
 * absence). Only src/tui/admin*.c include this. */
#ifndef CD_ADMIN_INT_H
#define CD_ADMIN_INT_H

#include "tui_int.h"

enum { SEC_STAFF, SEC_SITES, SEC_RESOURCES, SEC_PROTOCOLS, SEC_AUDIT, NSECS };
enum { NLISTS = SEC_AUDIT };    /* the sections with a list */
enum { ADMIN_MAX_SITES = 64 };
/* Rows beyond the columns shown: the staff member's active flag as
 * stored (yes, no), a resource's own hours (NULL: its site's). */
enum { STAFF_RAW_ACTIVE = 4, RES_OWN_HOURS = 4 };

struct admin;
struct admin_list {
	struct tui_list list;
	struct tui_find find;
	struct admin *a;
	int sec;
};

struct admin {
	struct tui_screen base;
	struct tui *t;
	int sec;
	struct admin_list lists[NLISTS];
	int nsites, site;       /* the resources section's site */
	char *sites[ADMIN_MAX_SITES];
	bool sites_stale;
	char act[128];          /* the user, site or resource an action is about */
	char act_name[200];
	char day[16];           /* a closure's day, as typed (checked by ops) */
	char *why;              /* a closure's reason, or NULL */
	char label[256];        /* a prompt's label (safe text) */
};

/* admin.c */
struct admin *admin_of(struct tui_screen *s);
/* The resources section's site, or NULL when there is none. */
const char *admin_site(const struct admin *a);
/* Every list reads again (after a change); returns redraw flags. */
int admin_reread(struct admin *a);
/* The selected row of the section shown, its first column copied into
 * act and its second into act_name; NULL when nothing is selected. */
const struct tui_list_row *admin_selected(struct admin *a);
/* A prompt's label in a->label: before, what (raw: sanitized and cut),
 * after. */
void admin_label(struct admin *a, const char *before, const char *what, const char *after);
/* After a form saved: the admin screen (s) reads its lists again and
 * selects the row whose first column is key. */
void admin_saved(struct tui_screen *s, const char *key);

/* admin_actions.c: the keys that change things, and the verification. */
int admin_cmd_staff_add(struct tui *t, struct tui_screen *s);
int admin_cmd_staff_disable(struct tui *t, struct tui_screen *s);
int admin_cmd_staff_enable(struct tui *t, struct tui_screen *s);
int admin_cmd_site_add(struct tui *t, struct tui_screen *s);
int admin_cmd_site_close(struct tui *t, struct tui_screen *s);
int admin_cmd_next_site(struct tui *t, struct tui_screen *s);
int admin_cmd_resource_add(struct tui *t, struct tui_screen *s);
int admin_cmd_resource_hours(struct tui *t, struct tui_screen *s);
int admin_cmd_resource_away(struct tui *t, struct tui_screen *s);
int admin_cmd_verify(struct tui *t, struct tui_screen *s);
/* True when the `:` command's child is (or last was) the verification. */
bool admin_verifying(const struct tui *t);

/* admin_protocol.c: Enter on a protocol opens its page. */
int admin_cmd_protocol_show(struct tui *t, struct tui_screen *s);

/* admin_form.c */
enum admin_form_kind { FORM_STAFF, FORM_SITE, FORM_RESOURCE, FORM_AWAY };
/* Opens a form over the admin screen; site and resource name what a
 * resource or absence is for (NULL for staff and sites). */
struct tui_screen *admin_form_new(enum admin_form_kind kind, const char *site,
    const char *resource);

#endif
