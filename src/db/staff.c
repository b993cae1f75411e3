/* staff.c - staff accounts and their roles. */
#include "config.h"

#include <stdio.h>

#include "db_int.h"

static const char SQL_STAFF_GET[] =
    "SELECT id, username, roles, active, name FROM staff WHERE username = ?1";

enum cd_status
db_staff_get(struct db *db, const char *username, struct db_staff *out, struct cd_err *err)
{
	sqlite3_stmt *s;
	enum cd_status st = CD_OK;
	int rc;

	if ((s = db_stmt(db, SQL_STAFF_GET, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_text(s, 1, username, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(s, 0);
		snprintf(out->username, sizeof out->username, "%s", sqlite3_column_text(s, 1));
		snprintf(out->roles, sizeof out->roles, "%s", sqlite3_column_text(s, 2));
		out->active = sqlite3_column_int(s, 3) != 0;
		snprintf(out->name, sizeof out->name, "%s", sqlite3_column_text(s, 4));
	} else if (rc == SQLITE_DONE)
		st = CD_REFUSED;
	else
		st = db_fail(db, SQL_STAFF_GET, err);
	sqlite3_reset(s);
	return st;
}

static enum cd_status
db_count(struct db *db, const char *sql, int64_t *count, struct cd_err *err)
{
	sqlite3_stmt *s;

	if ((s = db_stmt(db, sql, err)) == NULL)
		return CD_EDATA;
	if (sqlite3_step(s) != SQLITE_ROW) {
		enum cd_status st = db_fail(db, sql, err);
		sqlite3_reset(s);
		return st;
	}
	*count = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return CD_OK;
}

static const char SQL_STAFF_COUNT[] = "SELECT count(*) FROM staff";

enum cd_status
db_staff_count(struct db *db, int64_t *count, struct cd_err *err)
{
	return db_count(db, SQL_STAFF_COUNT, count, err);
}

static const char SQL_STAFF_ADMINS[] =
    "SELECT count(*) FROM staff WHERE active = 1 AND ',' || roles || ',' LIKE '%,admin,%'";

enum cd_status
db_staff_count_active_admins(struct db *db, int64_t *count, struct cd_err *err)
{
	return db_count(db, SQL_STAFF_ADMINS, count, err);
}

static const char SQL_STAFF_INSERT[] =
    "INSERT INTO staff(username, name, roles, active, created_at) VALUES (?1, ?2, ?3, 1, ?4)";

enum cd_status
db_staff_insert(struct db *db, const char *username, const char *name, const char *roles,
    const char *now, int64_t *id, struct cd_err *err)
{
	sqlite3_stmt *s;
	enum cd_status st;

	if ((s = db_stmt(db, SQL_STAFF_INSERT, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_text(s, 1, username, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, roles, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, now, -1, SQLITE_STATIC);
	if ((st = db_step_done(db, s, err)) == CD_OK)
		*id = sqlite3_last_insert_rowid(db_handle(db));
	return st;
}

static const char SQL_STAFF_ACTIVE[] = "UPDATE staff SET active = ?2 WHERE id = ?1";

enum cd_status
db_staff_set_active(struct db *db, int64_t id, bool active, struct cd_err *err)
{
	sqlite3_stmt *s;

	if ((s = db_stmt(db, SQL_STAFF_ACTIVE, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, active);
	return db_step_done(db, s, err);
}

static const char SQL_STAFF_LIST[] =
    "SELECT username AS user, name, roles,"
    " CASE active WHEN 1 THEN 'yes' ELSE 'no' END AS active"
    " FROM staff ORDER BY username";

enum cd_status
db_staff_list(struct db *db, cd_row_fn fn, void *ctx, struct cd_err *err)
{
	sqlite3_stmt *s;

	if ((s = db_stmt(db, SQL_STAFF_LIST, err)) == NULL)
		return CD_EDATA;
	return db_stream(db, s, fn, ctx, err);
}
