/* db.c - the one SQLite connection wrapper: refusing files that are not
 * ours before touching them, connection pragmas, the statement cache,
 * transactions, errors and online backup. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/xalloc.h"
#include "db_int.h"

#define DB_APPLICATION_ID 0x43444B31 /* "CDK1" */
#define DB_BUSY_TIMEOUT_MS 5000
#define DB_STMT_CACHE 256

struct db_cached_stmt {
	const char *sql;
	sqlite3_stmt *stmt;
};

struct db {
	sqlite3 *h;
	char *path;
	struct db_cached_stmt cache[DB_STMT_CACHE];
	size_t ncache;
	int depth;  /* open write transactions: 1 BEGIN, then savepoints */
};

sqlite3 *
db_handle(struct db *db)
{
	return db->h;
}

const char *
db_path(const struct db *db)
{
	return db->path;
}

enum cd_status
db_fail(struct db *db, const char *sql, struct cd_err *err)
{
	int code = sqlite3_extended_errcode(db->h);

	/* A rule the schema's triggers enforce: their message is a sentence. */
	if (code == SQLITE_CONSTRAINT_TRIGGER &&
	    strncmp(sqlite3_errmsg(db->h), "celldesk: ", 10) == 0)
		return cd_fail(err, CD_REFUSED, "%s", sqlite3_errmsg(db->h) + 10);
	if ((code & 0xff) == SQLITE_BUSY)
		return cd_fail(err, CD_EDATA,
		    "the database is busy (another celldesk is writing); try again (SQLite %d: %s)",
		    code, sqlite3_errmsg(db->h));
	return cd_fail(err, CD_EDATA, "database error: SQLite %d (%s): %s%s%.200s%s", code,
	    sqlite3_errstr(code), sqlite3_errmsg(db->h), sql ? " [in: " : "",
	    sql ? sql : "", sql ? "]" : "");
}

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Looks at the file's header without SQLite, so that a file that is not
 * ours is never opened for writing. */
static enum cd_status
db_check_header(const char *path, enum db_open_mode mode, bool *is_new,
    struct cd_err *err)
{
	unsigned char hdr[100];
	struct stat sb;
	ssize_t got;
	uint32_t appid, version;
	int fd;

	*is_new = false;
	if (stat(path, &sb) != 0) {
		if (errno != ENOENT)
			return cd_fail(err, CD_EDATA, "cannot read %s: %s", path, strerror(errno));
		if (mode != DB_OPEN_CREATE)
			return cd_fail(err, CD_EDATA,
			    "there is no database at %s; an admin creates it with 'celldesk init'",
			    path);
		*is_new = true;
		return CD_OK;
	}
	if (!S_ISREG(sb.st_mode))
		return cd_fail(err, CD_EDATA, "%s is not a regular file", path);
	if (sb.st_size == 0) {
		*is_new = true;
		if (mode != DB_OPEN_CREATE)
			return cd_fail(err, CD_EDATA,
			    "%s is an empty file, not yet a celldesk database; an admin sets it up with 'celldesk init'",
			    path);
		return CD_OK;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return cd_fail(err, CD_EDATA, "cannot open %s: %s", path, strerror(errno));
	got = read(fd, hdr, sizeof hdr);
	close(fd);
	if (got != (ssize_t)sizeof hdr || memcmp(hdr, "SQLite format 3", 16) != 0)
		return cd_fail(err, CD_EDATA,
		    "%s is not a SQLite database; celldesk has left it untouched", path);
	appid = be32(hdr + 68);
	version = be32(hdr + 60);
	if (appid != DB_APPLICATION_ID && appid != 0)
		return cd_fail(err, CD_EDATA,
		    "%s belongs to another application (application_id %u); celldesk has left it untouched",
		    path, appid);
	if (appid == 0 && (be32(hdr + 40) != 0 || version != 0)) /* has tables or a version */
		return cd_fail(err, CD_EDATA,
		    "%s is a SQLite database of another application; celldesk has left it untouched",
		    path);
	if (version > (uint32_t)db_schema_latest())
		return cd_fail(err, CD_EDATA,
		    "%s has schema version %u, newer than this celldesk knows (%d); use a newer celldesk",
		    path, version, db_schema_latest());
	return CD_OK;
}

static enum cd_status
db_exec(struct db *db, const char *sql, struct cd_err *err)
{
	if (sqlite3_exec(db->h, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(db, sql, err);
	return CD_OK;
}

static enum cd_status
db_pragma_int(struct db *db, const char *sql, int64_t *out, struct cd_err *err)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(db->h, sql, -1, &s, NULL) != SQLITE_OK)
		return db_fail(db, sql, err);
	rc = sqlite3_step(s);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, sql, err);
	return CD_OK;
}

/* The same checks as db_check_header, through SQLite (which also sees a
 * newer header still in the write-ahead log). Reads only. */
static enum cd_status
db_check_identity(struct db *db, bool is_new, enum db_open_mode mode, struct cd_err *err)
{
	int64_t appid, version, objects;
	enum cd_status st;

	if ((st = db_pragma_int(db, "PRAGMA application_id", &appid, err)) != CD_OK ||
	    (st = db_pragma_int(db, "PRAGMA user_version", &version, err)) != CD_OK ||
	    (st = db_pragma_int(db, "SELECT count(*) FROM sqlite_schema", &objects, err)) != CD_OK)
		return st;
	if (appid != DB_APPLICATION_ID && !(appid == 0 && objects == 0 && version == 0))
		return cd_fail(err, CD_EDATA,
		    "%s belongs to another application (application_id %lld, %lld tables and indexes); celldesk has left it untouched",
		    db->path, (long long)appid, (long long)objects);
	if (version > db_schema_latest())
		return cd_fail(err, CD_EDATA,
		    "%s has schema version %lld, newer than this celldesk knows (%d); use a newer celldesk",
		    db->path, (long long)version, db_schema_latest());
	if (mode == DB_OPEN_EXISTING && (is_new || version == 0))
		return cd_fail(err, CD_EDATA,
		    "%s is not yet a celldesk database; an admin sets it up with 'celldesk init'",
		    db->path);
	if (mode == DB_OPEN_EXISTING && version < db_schema_latest())
		return cd_fail(err, CD_EDATA,
		    "%s has schema version %lld and this celldesk needs %d; an admin upgrades it with 'celldesk init' (back it up first)",
		    db->path, (long long)version, db_schema_latest());
	return CD_OK;
}

static enum cd_status
db_make_parent_dir(const char *path, struct cd_err *err)
{
	char *dir = xstrdup(path), *p;
	enum cd_status st = CD_OK;

	for (p = dir + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0777) != 0 && errno != EEXIST)
			st = cd_fail(err, CD_EDATA, "cannot create the folder %s: %s", dir,
			    strerror(errno));
		*p = '/';
		if (st != CD_OK)
			break;
	}
	free(dir);
	return st;
}

enum cd_status
db_open(const char *path, enum db_open_mode mode, struct db **out, struct cd_err *err)
{
	struct db *db;
	enum cd_status st;
	bool is_new;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;

	*out = NULL;
	if ((st = db_check_header(path, mode, &is_new, err)) != CD_OK)
		return st;
	if (mode == DB_OPEN_CREATE) {
		flags |= SQLITE_OPEN_CREATE;
		if (is_new && (st = db_make_parent_dir(path, err)) != CD_OK)
			return st;
	}
	db = xcalloc(1, sizeof *db);
	db->path = xstrdup(path);
	if (sqlite3_open_v2(path, &db->h, flags, NULL) != SQLITE_OK) {
		st = cd_fail(err, CD_EDATA, "cannot open the database %s: %s", path,
		    db->h ? sqlite3_errmsg(db->h) : "out of memory");
		db_close(&db);
		return st;
	}
	sqlite3_extended_result_codes(db->h, 1);
	sqlite3_busy_timeout(db->h, DB_BUSY_TIMEOUT_MS);
	if ((st = db_check_identity(db, is_new, mode, err)) != CD_OK ||
	    (st = db_exec(db, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;"
		"PRAGMA synchronous=FULL;", err)) != CD_OK) {
		db_close(&db);
		return st;
	}
	*out = db;
	return CD_OK;
}

void
db_close(struct db **dbp)
{
	struct db *db = *dbp;
	size_t i;

	if (db == NULL)
		return;
	for (i = 0; i < db->ncache; i++)
		sqlite3_finalize(db->cache[i].stmt);
	sqlite3_close(db->h);
	free(db->path);
	free(db);
	*dbp = NULL;
}

sqlite3_stmt *
db_stmt(struct db *db, const char *sql, struct cd_err *err)
{
	sqlite3_stmt *s;
	size_t i;

	for (i = 0; i < db->ncache; i++) {
		if (db->cache[i].sql == sql) {
			s = db->cache[i].stmt;
			sqlite3_reset(s);
			sqlite3_clear_bindings(s);
			return s;
		}
	}
	if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK) {
		db_fail(db, sql, err);
		return NULL;
	}
	if (db->ncache == DB_STMT_CACHE)
		fatal("statement cache full (%d statements)", DB_STMT_CACHE);
	db->cache[db->ncache].sql = sql;
	db->cache[db->ncache].stmt = s;
	db->ncache++;
	return s;
}

enum cd_status
db_step_done(struct db *db, sqlite3_stmt *stmt, struct cd_err *err)
{
	int rc = sqlite3_step(stmt);
	enum cd_status st = CD_OK;

	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		st = db_fail(db, sqlite3_sql(stmt), err);
	sqlite3_reset(stmt);
	return st;
}

enum cd_status
db_stream(struct db *db, sqlite3_stmt *stmt, cd_row_fn fn, void *ctx, struct cd_err *err)
{
	const char *keys[64], *vals[64];
	struct cd_row row;
	enum cd_status st = CD_OK;
	int rc, i, n = sqlite3_column_count(stmt);

	if (n > 64)
		fatal("query returns too many columns (%d)", n);
	for (i = 0; i < n; i++)
		keys[i] = sqlite3_column_name(stmt, i);
	row.n = n;
	row.keys = keys;
	row.vals = vals;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		for (i = 0; i < n; i++)
			vals[i] = (const char *)sqlite3_column_text(stmt, i);
		if ((st = fn(ctx, &row, err)) != CD_OK)
			break;
	}
	if (st == CD_OK && rc != SQLITE_DONE)
		st = db_fail(db, sqlite3_sql(stmt), err);
	sqlite3_reset(stmt);
	return st;
}

void
db_column_copy(sqlite3_stmt *stmt, int col, char *buf, size_t n)
{
	const unsigned char *t = sqlite3_column_text(stmt, col);

	snprintf(buf, n, "%s", t != NULL ? (const char *)t : "");
}

int
db_bind_text_or_null(sqlite3_stmt *stmt, int idx, const char *s)
{
	if (s == NULL || s[0] == '\0')
		return sqlite3_bind_null(stmt, idx);
	return sqlite3_bind_text(stmt, idx, s, -1, SQLITE_STATIC);
}

enum cd_status
db_begin(struct db *db, struct cd_err *err)
{
	enum cd_status st;

	st = db_exec(db, db->depth == 0 ? "BEGIN IMMEDIATE" : "SAVEPOINT nested", err);
	if (st == CD_OK)
		db->depth++;
	return st;
}

enum cd_status
db_commit(struct db *db, struct cd_err *err)
{
	enum cd_status st;

	st = db_exec(db, db->depth > 1 ? "RELEASE nested" : "COMMIT", err);
	if (st == CD_OK && db->depth > 0)
		db->depth--;
	return st;
}

void
db_rollback(struct db *db)
{
	if (db->depth > 1) {
		sqlite3_exec(db->h, "ROLLBACK TO nested; RELEASE nested", NULL, NULL, NULL);
		db->depth--;
		return;
	}
	db->depth = 0;
	if (!sqlite3_get_autocommit(db->h))
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
}

enum cd_status
db_begin_read(struct db *db, struct cd_err *err)
{
	return db_exec(db, "BEGIN", err);
}

void
db_end_read(struct db *db)
{
	if (!sqlite3_get_autocommit(db->h))
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
}

int64_t
db_data_version(struct db *db)
{
	int64_t v = 0;

	db_pragma_int(db, "PRAGMA data_version", &v, NULL);
	return v;
}

int
db_schema_version(struct db *db)
{
	int64_t v = 0;

	db_pragma_int(db, "PRAGMA user_version", &v, NULL);
	return (int)v;
}

enum cd_status
db_backup(struct db *db, const char *dest, struct cd_err *err)
{
	sqlite3 *out = NULL;
	sqlite3_backup *bk;
	enum cd_status st = CD_OK;
	struct stat sb;
	int rc;

	if (stat(dest, &sb) == 0)
		return cd_fail(err, CD_REFUSED, "%s already exists; choose a new file name", dest);
	if (sqlite3_open_v2(dest, &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
		SQLITE_OPEN_EXCLUSIVE, NULL) != SQLITE_OK) {
		st = cd_fail(err, CD_EDATA, "cannot create %s: %s", dest,
		    out ? sqlite3_errmsg(out) : "out of memory");
		sqlite3_close(out);
		return st;
	}
	if ((bk = sqlite3_backup_init(out, "main", db->h, "main")) == NULL) {
		st = cd_fail(err, CD_EDATA, "cannot start the backup: %s", sqlite3_errmsg(out));
	} else {
		/* Copy in steps so writers are never blocked for long; the
		 * backup restarts by itself when a writer changes a page. */
		do {
			rc = sqlite3_backup_step(bk, 256);
			if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
				sqlite3_sleep(20);
		} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
		sqlite3_backup_finish(bk);
		if (rc != SQLITE_DONE)
			st = cd_fail(err, CD_EDATA, "the backup to %s failed: SQLite %d: %s", dest,
			    sqlite3_extended_errcode(out), sqlite3_errmsg(out));
	}
	sqlite3_close(out);
	if (st != CD_OK)
		unlink(dest);
	return st;
}
