/* roles.h - staff roles and the one table of which role may do what.
 * Every face (CLI, TUI, lab sync) goes through ops, which asks here. */
#ifndef CD_ROLES_H
#define CD_ROLES_H

#include <stdbool.h>
#include <stddef.h>

#include "status.h"

enum {
	ROLE_FRONTDESK = 1 << 0,
	ROLE_LAB = 1 << 1,
	ROLE_CLINICIAN = 1 << 2,
	ROLE_ADMIN = 1 << 3,
	ROLE_ANY = ROLE_FRONTDESK | ROLE_LAB | ROLE_CLINICIAN | ROLE_ADMIN
};

enum cd_action {
	ACT_STAFF_VIEW,
	ACT_STAFF_MANAGE,
	ACT_SITE_VIEW,
	ACT_SITE_MANAGE,
	ACT_PATIENT_VIEW,
	ACT_PATIENT_EDIT,
	ACT_AUDIT,
	ACT_BACKUP,
	ACT_MIGRATE,
	ACT_DEMO,
	ACT_PROTOCOL_VIEW,
	ACT_PROTOCOL_MANAGE,
	ACT_SCHEDULE_VIEW,
	ACT_BOOK,
	ACT_OVERRIDE,
	ACT_LOT_VIEW,
	ACT_LOT_MANAGE,
	ACT_LOT_RELEASE,
	ACT_LOT_RESERVE,
	ACT_LOT_ISSUE,
	ACT_LOT_ADMINISTER,
	ACT_LOT_SETUP,
	ACT_SYNC_VIEW,
	ACT_SYNC_RUN,
	ACT__COUNT
};

/* Parses "frontdesk,lab" into a mask; fails naming the unknown role. */
enum cd_status roles_parse(const char *s, unsigned *mask, struct cd_err *err);
/* Writes "frontdesk,admin" into buf; "" for no role. */
void roles_format(unsigned mask, char *buf, size_t n);
/* The roles any of which allows action. */
unsigned roles_for(enum cd_action action);
/* What the action is, in words, for refusals ("add or change patients"). */
const char *roles_action_words(enum cd_action action);
bool roles_may(unsigned mask, enum cd_action action);

#endif
