/* protocols.c - stored treatment protocols (their JSON is checked by
 * src/core/protocol.c before it gets here). */
#include "config.h"

#include "../core/xalloc.h"
#include "db_int.h"

static const char SQL_GET[] = "SELECT id, body FROM protocols WHERE name = ?1";

enum cd_status
db_protocol_get(struct db *db, const char *name, int64_t *id, char **body,
    struct cd_err *err)
{
	sqlite3_stmt *s;
	int rc;

	*id = 0;
	*body = NULL;
	if ((s = db_stmt(db, SQL_GET, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		*body = xstrdup((const char *)sqlite3_column_text(s, 1));
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, SQL_GET, err);
	return CD_OK;
}

static const char SQL_INSERT[] =
    "INSERT INTO protocols(name, body, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)";

enum cd_status
db_protocol_insert(struct db *db, const char *name, const char *body, const char *now,
    int64_t *id, struct cd_err *err)
{
	sqlite3_stmt *s;
	enum cd_status st;

	if ((s = db_stmt(db, SQL_INSERT, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, body, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, now, -1, SQLITE_STATIC);
	if ((st = db_step_done(db, s, err)) != CD_OK)
		return st;
	*id = sqlite3_last_insert_rowid(db_handle(db));
	return CD_OK;
}

static const char SQL_UPDATE[] = "UPDATE protocols SET body = ?2, updated_at = ?3 WHERE id = ?1";

enum cd_status
db_protocol_update(struct db *db, int64_t id, const char *body, const char *now,
    struct cd_err *err)
{
	sqlite3_stmt *s;

	if ((s = db_stmt(db, SQL_UPDATE, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, body, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, now, -1, SQLITE_STATIC);
	return db_step_done(db, s, err);
}

static const char SQL_COUNT[] = "SELECT count(*) FROM protocols";

enum cd_status
db_protocol_count(struct db *db, int64_t *count, struct cd_err *err)
{
	sqlite3_stmt *s;
	int rc;

	if ((s = db_stmt(db, SQL_COUNT, err)) == NULL)
		return CD_EDATA;
	rc = sqlite3_step(s);
	*count = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		return db_fail(db, SQL_COUNT, err);
	return CD_OK;
}

static const char SQL_LIST[] = "SELECT name, body FROM protocols ORDER BY name";

enum cd_status
db_protocol_list(struct db *db, cd_row_fn fn, void *ctx, struct cd_err *err)
{
	sqlite3_stmt *s;

	if ((s = db_stmt(db, SQL_LIST, err)) == NULL)
		return CD_EDATA;
	return db_stream(db, s, fn, ctx, err);
}
