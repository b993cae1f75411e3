/* ops_staff.c - adding staff accounts and switching them on and off. */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../core/text.h"
#include "ops.h"

/* Unix account names as useradd(8) accepts them by default. */
static enum cd_status
check_username(const char *u, struct cd_err *err)
{
	const char *p;

	if (u[0] == '\0' || strlen(u) > 32 || !(islower((unsigned char)u[0]) || u[0] == '_'))
		goto bad;
	for (p = u; *p != '\0'; p++) {
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) &&
		    strchr("_.-", *p) == NULL)
			goto bad;
	}
	return CD_OK;
bad:
	return cd_fail(err, CD_USAGE,
	    "USER must be a Unix account name (lower-case letters, digits, _ . -; up to 32)");
}

enum cd_status
ops_staff_add(struct ops *o, const char *username, const char *name, const char *roles,
    struct cd_err *err)
{
	char now[25], canon[64];
	struct db_staff existing;
	enum cd_status st;
	unsigned mask;
	int64_t id;

	if ((st = check_username(username, err)) != CD_OK ||
	    (st = text_check_field("--name", name, 200, TEXT_REQUIRED, err)) != CD_OK ||
	    (st = roles_parse(roles, &mask, err)) != CD_OK)
		return st;
	roles_format(mask, canon, sizeof canon);
	if ((st = ops_write_begin(o, ACT_STAFF_MANAGE, now, err)) != CD_OK)
		return st;
	st = db_staff_get(o->db, username, &existing, err);
	if (st == CD_OK)
		st = cd_fail(err, CD_REFUSED, "'%s' is already staff (roles %s)", username,
		    existing.roles);
	else if (st == CD_REFUSED) {
		st = db_staff_insert(o->db, username, name, canon, now, &id, err);
		if (st == CD_OK)
			st = ops_audit_change(o, now, "insert", "staff", id, username, NULL, NULL, err);
	}
	return ops_write_end(o, st, err);
}

enum cd_status
ops_staff_set_active(struct ops *o, const char *username, bool active, const char *reason,
    struct cd_err *err)
{
	struct db_staff who;
	enum cd_status st;
	char now[25], *old = NULL;
	unsigned mask = 0;
	int64_t admins = 0;

	if (reason != NULL && (st = text_check_field("--reason", reason, 500, 0, err)) != CD_OK)
		return st;
	if ((st = ops_write_begin(o, ACT_STAFF_MANAGE, now, err)) != CD_OK)
		return st;
	st = db_staff_get(o->db, username, &who, err);
	if (st == CD_REFUSED)
		st = cd_fail(err, CD_REFUSED, "'%s' is not staff", username);
	if (st == CD_OK && who.active == active)
		st = cd_fail(err, CD_REFUSED, "'%s' is already %s", username,
		    active ? "active" : "disabled");
	if (st == CD_OK && !active && roles_parse(who.roles, &mask, NULL) == CD_OK &&
	    (mask & ROLE_ADMIN)) {
		st = db_staff_count_active_admins(o->db, &admins, err);
		if (st == CD_OK && admins <= 1)
			st = cd_fail(err, CD_REFUSED,
			    "'%s' is the last active admin; add another admin first", username);
	}
	if (st == CD_OK)
		st = db_snapshot(o->db, "staff", who.id, &old, err);
	if (st == CD_OK)
		st = db_staff_set_active(o->db, who.id, active, err);
	if (st == CD_OK) {
		st = ops_audit_change(o, now, active ? "enable" : "disable", "staff", who.id,
		    username, old, reason, err);
		old = NULL;
	}
	free(old);
	return ops_write_end(o, st, err);
}

enum cd_status
ops_staff_list(struct ops *o, cd_row_fn fn, void *ctx, struct cd_err *err)
{
	enum cd_status st;

	if ((st = ops_require(o, ACT_STAFF_VIEW, err)) != CD_OK)
		return st;
	return db_staff_list(o->db, fn, ctx, err);
}
