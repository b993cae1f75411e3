/* db_int.h - what the files of src/db share: the connection struct and
 * the prepared-statement cache. Never included outside src/db. */
#ifndef CD_DB_INT_H
#define CD_DB_INT_H

#include <sqlite3.h>

#include "db.h"

/* Returns the cached, reset statement for sql (prepared on first use);
 * NULL with err filled when it cannot be prepared. sql must be a string
 * literal: the cache keys on its address. */
sqlite3_stmt *db_stmt(struct db *db, const char *sql, struct cd_err *err);
/* Fills err with SQLite's extended code and message for the failed sql. */
enum cd_status db_fail(struct db *db, const char *sql, struct cd_err *err);
/* Runs stmt to completion expecting no row (INSERT, UPDATE). */
enum cd_status db_step_done(struct db *db, sqlite3_stmt *stmt, struct cd_err *err);
/* Steps stmt and hands every row to fn, column names as keys. */
enum cd_status db_stream(struct db *db, sqlite3_stmt *stmt, cd_row_fn fn, void *ctx,
    struct cd_err *err);
/* Copies column col of the current row into buf ("" for NULL). */
void db_column_copy(sqlite3_stmt *stmt, int col, char *buf, size_t n);
/* Binds text, or NULL when s is NULL or empty. */
int db_bind_text_or_null(sqlite3_stmt *stmt, int idx, const char *s);
sqlite3 *db_handle(struct db *db);

/* A lot's place as people read it, from lots l, sites s and storage
 * units u (LEFT JOIN): "Kyiv/LN2-1/R2/B07/C4" or "Kyiv (held by USER)". */
#define DB_LOCATION_SQL "s.name || CASE WHEN l.holder IS NOT NULL"                 \
	" THEN ' (held by ' || l.holder || ')' ELSE coalesce('/' || u.name, '') ||" \
	" coalesce('/' || l.position, '') END"

#endif
