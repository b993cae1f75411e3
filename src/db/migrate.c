/* migrate.c - applies the numbered migrations of schema/ (embedded at
 * build time into migrations.c), each in one transaction that also sets
 * PRAGMA user_version and application_id. */
#include "config.h"

#include <stdio.h>

#include "db_int.h"
#include "migrations.h"

int
db_schema_latest(void)
{
	return (int)db_migrations_count;
}

enum cd_status
db_migrate(struct db *db, struct cd_err *err)
{
	sqlite3 *h = db_handle(db);
	char pragma[128];
	size_t i;
	int version;

	for (i = 0; i < db_migrations_count; i++) {
		if (sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
			return db_fail(db, "BEGIN IMMEDIATE", err);
		/* Read inside the transaction: another init may have won. */
		version = db_schema_version(db);
		if ((size_t)version > i) {
			db_rollback(db);
			continue;
		}
		snprintf(pragma, sizeof pragma,
		    "PRAGMA user_version = %zu; PRAGMA application_id = 1128549169;", i + 1);
		if (sqlite3_exec(h, db_migrations[i].sql, NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_exec(h, pragma, NULL, NULL, NULL) != SQLITE_OK) {
			enum cd_status st = cd_fail(err, CD_EDATA,
			    "migration %s failed: SQLite %d: %s", db_migrations[i].name,
			    sqlite3_extended_errcode(h), sqlite3_errmsg(h));
			db_rollback(db);
			return st;
		}
		if (sqlite3_exec(h, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
			enum cd_status st = db_fail(db, "COMMIT", err);
			db_rollback(db);
			return st;
		}
	}
	return CD_OK;
}
