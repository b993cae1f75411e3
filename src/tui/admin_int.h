/* admin_int.h - what the admin screen's files share: admin.c (the
 * sections: staff, sites, resources and hours, protocols, the audit
 * trail) and admin_form.c (the forms that add staff, sites and resources
 * and record an absence). Only src/tui/admin*.c include this. */
#ifndef CD_ADMIN_INT_H
#define CD_ADMIN_INT_H

#include "tui_int.h"

enum admin_form_kind { FORM_STAFF, FORM_SITE, FORM_RESOURCE, FORM_AWAY };

/* Opens a form over the admin screen; site and resource name what a
 * resource or absence is for (NULL for staff and sites). */
struct tui_screen *admin_form_new(enum admin_form_kind kind, const char *site,
    const char *resource);
/* After a form saved: the admin screen (s) reads its lists again and
 * selects the row whose first column is key. */
void admin_saved(struct tui_screen *s, const char *key);

#endif
