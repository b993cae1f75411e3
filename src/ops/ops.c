/* ops.c - the actor, opening the database, permission checks and the
 * write-transaction and audit helpers every action uses. */
#include "config.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../core/date.h"
#include "../core/xalloc.h"
#include "ops.h"

static int64_t
clock_real_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The actor is the account of the real user id, never an environment
 * variable: $USER and $LOGNAME are the user's to set. */
static enum cd_status
ops_identify(struct ops *o, struct cd_err *err)
{
	struct passwd *pw = getpwuid(getuid());
	size_t n;

	if (pw == NULL || pw->pw_name == NULL || pw->pw_name[0] == '\0')
		return cd_fail(err, CD_REFUSED,
		    "cannot find a Unix account for user id %u; celldesk needs one to record who acts",
		    (unsigned)getuid());
	if (strlen(pw->pw_name) >= sizeof o->actor)
		return cd_fail(err, CD_REFUSED, "the Unix account name is too long");
	snprintf(o->actor, sizeof o->actor, "%s", pw->pw_name);
	/* The full name is the first comma-separated field of the GECOS. */
	n = pw->pw_gecos != NULL ? strcspn(pw->pw_gecos, ",") : 0;
	if (n == 0 || n >= sizeof o->actor_name)
		snprintf(o->actor_name, sizeof o->actor_name, "%s", o->actor);
	else
		snprintf(o->actor_name, sizeof o->actor_name, "%.*s", (int)n, pw->pw_gecos);
	return CD_OK;
}

/* Reads the actor's staff row (when the staff table exists yet). */
static enum cd_status
ops_load_actor(struct ops *o, struct cd_err *err)
{
	struct db_staff me;
	enum cd_status st;
	unsigned mask = 0;

	o->is_staff = false;
	o->roles = 0;
	if (db_schema_version(o->db) == 0)
		return CD_OK;
	st = db_staff_get(o->db, o->actor, &me, err);
	if (st == CD_REFUSED)
		return CD_OK;
	if (st != CD_OK)
		return st;
	if (me.active && roles_parse(me.roles, &mask, NULL) == CD_OK) {
		o->is_staff = true;
		o->roles = mask;
		snprintf(o->actor_name, sizeof o->actor_name, "%s", me.name);
	}
	return CD_OK;
}

enum cd_status
ops_open(struct ops *o, const char *path, enum ops_open_mode mode, struct cd_err *err)
{
	enum cd_status st;

	memset(o, 0, sizeof *o);
	o->clock_ms = clock_real_ms;
	if ((st = ops_identify(o, err)) != CD_OK)
		return st;
	st = db_open(path, mode == OPS_OPEN_SETUP ? DB_OPEN_CREATE : DB_OPEN_EXISTING, &o->db,
	    err);
	if (st != CD_OK)
		return st;
	if ((st = ops_load_actor(o, err)) != CD_OK)
		ops_close(o);
	return st;
}

void
ops_close(struct ops *o)
{
	db_close(&o->db);
}

enum cd_status
ops_require(struct ops *o, enum cd_action action, struct cd_err *err)
{
	char have[64], need[64];

	if (o->lab_sync)
		return ops_lab_may(o, action, err);
	if (!o->is_staff)
		return cd_fail(err, CD_REFUSED,
		    "Unix account '%s' is not active staff of this clinic; ask an admin to add it with 'celldesk staff add %s'",
		    o->actor, o->actor);
	if (roles_may(o->roles, action))
		return CD_OK;
	roles_format(o->roles, have, sizeof have);
	roles_format(roles_for(action), need, sizeof need);
	return cd_fail(err, CD_REFUSED,
	    "Unix account '%s' (role %s) may not %s; that needs the role %s", o->actor, have,
	    roles_action_words(action), need);
}

enum cd_status
ops_write_begin(struct ops *o, enum cd_action action, char now[25], struct cd_err *err)
{
	enum cd_status st;

	if ((st = ops_require(o, action, err)) != CD_OK)
		return st;
	if ((st = db_begin(o->db, err)) != CD_OK)
		return st;
	/* Roles may have changed since the program started: decide on
	 * what the transaction sees. */
	if ((!o->lab_sync && (st = ops_load_actor(o, err)) != CD_OK) ||
	    (st = ops_require(o, action, err)) != CD_OK) {
		db_rollback(o->db);
		return st;
	}
	time_format_utc(o->clock_ms(), now);
	return CD_OK;
}

enum cd_status
ops_write_end(struct ops *o, enum cd_status st, struct cd_err *err)
{
	if (st == CD_OK && (st = db_commit(o->db, err)) == CD_OK)
		return CD_OK;
	db_rollback(o->db);
	return st;
}

enum cd_status
ops_audit_change(struct ops *o, const char *now, const char *action, const char *table,
    int64_t id, const char *row_key, char *old_json, const char *reason, struct cd_err *err)
{
	struct audit_record r;
	char *new_json = NULL;
	enum cd_status st;

	if ((st = db_snapshot(o->db, table, id, &new_json, err)) == CD_OK) {
		memset(&r, 0, sizeof r);
		r.at = now;
		r.actor = o->actor;
		r.action = action;
		r.tbl = table;
		r.row_key = row_key;
		r.old_json = old_json;
		r.new_json = new_json;
		r.reason = reason != NULL && reason[0] != '\0' ? reason : NULL;
		st = db_audit_append(o->db, &r, err);
	}
	free(old_json);
	free(new_json);
	return st;
}

enum cd_status
ops_find_site(struct ops *o, const char *field, const char *name, int64_t *id,
    struct cd_err *err)
{
	enum cd_status st;

	if ((st = db_site_find(o->db, name, id, err)) != CD_OK)
		return st;
	if (*id == 0)
		return cd_fail(err, CD_REFUSED, "%s: there is no site called '%.80s'", field, name);
	return CD_OK;
}
