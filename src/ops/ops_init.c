/* ops_init.c - creating and migrating the database, the first admin,
 * and online backups. */
#include "config.h"

#include "ops.h"

enum cd_status
ops_init(struct ops *o, struct ops_init_result *res, struct cd_err *err)
{
	enum cd_status st;
	int64_t staff = 0, id;
	char now[25];

	res->schema_from = db_schema_version(o->db);
	res->made_first_admin = false;
	/* On a database that has staff, only an admin migrates it. */
	if (res->schema_from > 0) {
		if ((st = db_staff_count(o->db, &staff, err)) != CD_OK)
			return st;
		if (staff > 0 && (st = ops_require(o, ACT_MIGRATE, err)) != CD_OK)
			return st;
	}
	if ((st = db_migrate(o->db, err)) != CD_OK)
		return st;
	res->schema_to = db_schema_version(o->db);

	if ((st = db_begin(o->db, err)) != CD_OK)
		return st;
	st = db_staff_count(o->db, &staff, err);
	if (st == CD_OK && staff == 0) {
		time_format_utc(o->clock_ms(), now);
		st = db_staff_insert(o->db, o->actor, o->actor_name, "admin", now, &id, err);
		if (st == CD_OK)
			st = ops_audit_change(o, now, "insert", "staff", id, o->actor, NULL,
			    "first admin, made by celldesk init", err);
		res->made_first_admin = st == CD_OK;
	}
	/* The protocols arrive with the scheduling schema (version 2). */
	if (st == CD_OK && res->schema_from < 2) {
		time_format_utc(o->clock_ms(), now);
		st = ops_protocol_install_defaults(o, now, err);
	}
	if ((st = ops_write_end(o, st, err)) != CD_OK)
		return st;
	if (res->made_first_admin) {
		o->is_staff = true;
		o->roles = ROLE_ADMIN;
	}
	return CD_OK;
}

enum cd_status
ops_backup(struct ops *o, const char *dest, struct cd_err *err)
{
	enum cd_status st;

	if ((st = ops_require(o, ACT_BACKUP, err)) != CD_OK)
		return st;
	return db_backup(o->db, dest, err);
}
