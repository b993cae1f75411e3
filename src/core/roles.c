/* roles.c - role names and the permission table. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "roles.h"

static const char *const role_names[] = { "frontdesk", "lab", "clinician", "admin" };
#define NROLES (sizeof role_names / sizeof role_names[0])

static const struct {
	unsigned roles;
	const char *words;
} permissions[ACT__COUNT] = {
	[ACT_STAFF_VIEW] = { ROLE_ANY, "list staff" },
	[ACT_STAFF_MANAGE] = { ROLE_ADMIN, "manage staff" },
	[ACT_SITE_VIEW] = { ROLE_ANY, "list sites and resources" },
	[ACT_SITE_MANAGE] = { ROLE_ADMIN, "manage sites and resources" },
	[ACT_PATIENT_VIEW] = { ROLE_ANY, "view patients" },
	[ACT_PATIENT_EDIT] = { ROLE_FRONTDESK | ROLE_CLINICIAN | ROLE_ADMIN,
	    "add or change patients" },
	[ACT_AUDIT] = { ROLE_ADMIN, "read or verify the audit trail" },
	[ACT_BACKUP] = { ROLE_ADMIN, "back up the database" },
	[ACT_MIGRATE] = { ROLE_ADMIN, "initialise or migrate the database" },
	[ACT_DEMO] = { ROLE_ADMIN, "load demo data" },
	[ACT_PROTOCOL_VIEW] = { ROLE_ANY, "view treatment protocols" },
	[ACT_PROTOCOL_MANAGE] = { ROLE_ADMIN, "add or change treatment protocols" },
	[ACT_SCHEDULE_VIEW] = { ROLE_ANY, "view cycles, visits, the agenda and calls" },
	[ACT_BOOK] = { ROLE_FRONTDESK | ROLE_CLINICIAN | ROLE_ADMIN,
	    "book, move, cancel or check in visits" },
	[ACT_OVERRIDE] = { ROLE_CLINICIAN | ROLE_ADMIN, "allow a double booking" },
	[ACT_LOT_VIEW] = { ROLE_ANY, "view cell lots, their custody and storage" },
	[ACT_LOT_MANAGE] = { ROLE_LAB | ROLE_ADMIN,
	    "record, move, test or discard cell lots and storage temperatures" },
	[ACT_LOT_RELEASE] = { ROLE_LAB, "sign the release of a cell lot" },
	[ACT_LOT_RESERVE] = { ROLE_FRONTDESK | ROLE_LAB | ROLE_CLINICIAN | ROLE_ADMIN,
	    "reserve a cell lot for a visit" },
	[ACT_LOT_ISSUE] = { ROLE_LAB | ROLE_CLINICIAN | ROLE_ADMIN, "issue a cell lot for a visit" },
	[ACT_LOT_ADMINISTER] = { ROLE_CLINICIAN, "administer a cell lot to a patient" },
	[ACT_LOT_SETUP] = { ROLE_LAB | ROLE_ADMIN,
	    "set QC limits, expiry rules, storage units and the lot number scheme" },
	[ACT_SYNC_VIEW] = { ROLE_ANY, "view the lab sync's outbox, status and review queue" },
	[ACT_SYNC_RUN] = { ROLE_LAB | ROLE_ADMIN,
	    "run the lab sync, retry its orders and resolve its review queue" },
};

enum cd_status
roles_parse(const char *s, unsigned *mask, struct cd_err *err)
{
	unsigned m = 0;
	const char *p = s, *end;
	size_t len, i;

	for (;;) {
		end = strchr(p, ',');
		len = end != NULL ? (size_t)(end - p) : strlen(p);
		for (i = 0; i < NROLES; i++) {
			if (strlen(role_names[i]) == len && strncmp(p, role_names[i], len) == 0)
				break;
		}
		if (i == NROLES)
			return cd_fail(err, CD_USAGE,
			    "--role: '%.*s' is not a role (frontdesk, lab, clinician, admin)",
			    (int)(len > 40 ? 40 : len), p);
		m |= 1u << i;
		if (end == NULL)
			break;
		p = end + 1;
	}
	*mask = m;
	return CD_OK;
}

void
roles_format(unsigned mask, char *buf, size_t n)
{
	size_t len = 0, i;

	buf[0] = '\0';
	for (i = 0; i < NROLES; i++) {
		if ((mask & (1u << i)) && len < n)
			len += (size_t)snprintf(buf + len, n - len, "%s%s", len ? "," : "",
			    role_names[i]);
	}
}

unsigned
roles_for(enum cd_action action)
{
	return permissions[action].roles;
}

const char *
roles_action_words(enum cd_action action)
{
	return permissions[action].words;
}

bool
roles_may(unsigned mask, enum cd_action action)
{
	return (mask & permissions[action].roles) != 0;
}
