/* test_db.c - the SQLite store (src/db): refusing files that are not
 * ours without touching them, migrations, the audit chain as stored, and
 * the patient, staff and site queries. Each test has its own temporary
 * folder, removed at the end. */
#include "config.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <sqlite3.h>

#include "core/audit_chain.h"
#include "core/strbuf.h"
#include "db/db.h"
#include "unit_util.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))
#define CELLDESK_APPID 0x43444B31

static int
dir_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	}
	closedir(d);
	return n;
}

/* True when path has a -wal, -shm or -journal file beside it. */
static bool
has_side_files(const char *path)
{
	static const char *const suffixes[] = { "-wal", "-shm", "-journal" };
	char buf[4096];
	size_t i;

	for (i = 0; i < LEN(suffixes); i++) {
		snprintf(buf, sizeof buf, "%s%s", path, suffixes[i]);
		if (unit_exists(buf))
			return true;
	}
	return false;
}

/* Runs sql on a separate, plain SQLite connection. */
static void
sql_exec(const char *path, const char *sql)
{
	sqlite3 *h = NULL;
	char *msg = NULL;

	assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
	    NULL), SQLITE_OK);
	if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	sqlite3_close(h);
}

/* Like sql_exec, but returns SQLite's result and message. */
static int
sql_try(const char *path, const char *sql, char *msg, size_t n)
{
	sqlite3 *h = NULL;
	char *m = NULL;
	int rc;

	assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	rc = sqlite3_exec(h, sql, NULL, NULL, &m);
	snprintf(msg, n, "%s", m ? m : "");
	sqlite3_free(m);
	sqlite3_close(h);
	return rc;
}

static int64_t
sql_int(const char *path, const char *sql)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *s = NULL;
	int64_t v = -1;

	/* read-write, so that closing the last connection removes -wal and -shm */
	assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(h);
	return v;
}

/* A new, migrated celldesk database at path, left open in *out. */
static void
make_celldesk_db(const char *path, struct db **out)
{
	struct cd_err err;

	if (db_open(path, DB_OPEN_CREATE, out, &err) != CD_OK)
		fail_msg("db_open: %s", err.msg);
	if (db_migrate(*out, &err) != CD_OK)
		fail_msg("db_migrate: %s", err.msg);
}

/* --- opening --- */

static void
test_open_missing(void **state)
{
	struct unit_fixture *f = *state;
	char *deep = unit_path(f->dir, "sub/dir/clinic.db");
	struct db *db = (struct db *)&db; /* must be set to NULL */
	struct cd_err err;

	memset(&err, 0, sizeof err);
	assert_int_equal(db_open(f->path, DB_OPEN_EXISTING, &db, &err), CD_EDATA);
	assert_null(db);
	assert_int_equal(err.status, CD_EDATA);
	assert_non_null(strstr(err.msg, f->path));
	assert_non_null(strstr(err.msg, "celldesk init"));
	db = (struct db *)&db;
	assert_int_equal(db_open(deep, DB_OPEN_EXISTING, &db, &err), CD_EDATA);
	assert_null(db);
	/* nothing was created: no file, no folder, no side files */
	assert_int_equal(dir_entries(f->dir), 0);
	free(deep);
}

static void
test_create_and_migrate(void **state)
{
	struct unit_fixture *f = *state;
	char *deep = unit_path(f->dir, "new/folder/clinic.db");
	struct db *db = NULL;
	struct cd_err err;

	assert_true(db_schema_latest() >= 1);
	assert_int_equal(db_open(deep, DB_OPEN_CREATE, &db, &err), CD_OK);
	assert_non_null(db);
	assert_string_equal(db_path(db), deep);
	assert_int_equal(db_schema_version(db), 0);
	assert_int_equal(db_migrate(db, &err), CD_OK);
	assert_int_equal(db_schema_version(db), db_schema_latest());
	/* migrating again changes nothing */
	assert_int_equal(db_migrate(db, &err), CD_OK);
	assert_int_equal(db_schema_version(db), db_schema_latest());
	db_close(&db);
	assert_null(db);
	db_close(&db); /* harmless */

	assert_int_equal(sql_int(deep, "PRAGMA application_id"), CELLDESK_APPID);
	assert_int_equal(sql_int(deep, "PRAGMA user_version"), db_schema_latest());
	assert_int_equal(sql_int(deep, "SELECT count(*) FROM sqlite_schema WHERE name = 'audit'"),
	    1);

	/* and it opens as an existing database */
	if (db_open(deep, DB_OPEN_EXISTING, &db, &err) != CD_OK)
		fail_msg("reopening: %s", err.msg);
	assert_int_equal(db_schema_version(db), db_schema_latest());
	db_close(&db);
	free(deep);
}

/* Created but never migrated: not yet a celldesk database. */
static void
test_open_unmigrated(void **state)
{
	struct unit_fixture *f = *state;
	struct db *db = NULL;
	struct cd_err err;

	assert_int_equal(db_open(f->path, DB_OPEN_CREATE, &db, &err), CD_OK);
	db_close(&db);
	memset(&err, 0, sizeof err);
	assert_int_equal(db_open(f->path, DB_OPEN_EXISTING, &db, &err), CD_EDATA);
	assert_null(db);
	assert_non_null(strstr(err.msg, f->path));
	assert_non_null(strstr(err.msg, "celldesk init"));
}

static void
test_open_empty_file(void **state)
{
	struct unit_fixture *f = *state;
	struct db *db = NULL;
	struct cd_err err;

	assert_true(unit_write(f->path, "", 0));
	assert_int_equal(db_open(f->path, DB_OPEN_EXISTING, &db, &err), CD_EDATA);
	assert_null(db);
	assert_non_null(strstr(err.msg, "empty"));
	/* an admin may set an empty file up */
	assert_int_equal(db_open(f->path, DB_OPEN_CREATE, &db, &err), CD_OK);
	assert_int_equal(db_migrate(db, &err), CD_OK);
	assert_int_equal(db_schema_version(db), db_schema_latest());
	db_close(&db);
}

enum foreign_kind { F_TEXT, F_APPID, F_TABLES, F_NEWER, F_SHORT };

static void
make_foreign(const char *path, enum foreign_kind kind)
{
	char sql[128];
	struct db *db = NULL;

	switch (kind) {
	case F_TEXT:
		assert_true(unit_write(path, "Patient list\nOlena Kovalenko, 1958-03-14\n", 41));
		break;
	case F_APPID:
		sql_exec(path, "PRAGMA application_id = 1234; CREATE TABLE notes(x);"
		    "INSERT INTO notes VALUES ('hello');");
		break;
	case F_TABLES:
		sql_exec(path, "CREATE TABLE patients(id INTEGER PRIMARY KEY, name TEXT);"
		    "INSERT INTO patients(name) VALUES ('someone else''s patient');");
		break;
	case F_NEWER:
		make_celldesk_db(path, &db);
		db_close(&db);
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d;", db_schema_latest() + 1);
		sql_exec(path, sql);
		assert_int_equal(sql_int(path, "PRAGMA user_version"), db_schema_latest() + 1);
		break;
	case F_SHORT:
		assert_true(unit_write(path, "SQLite format 3\0garbage", 23));
		break;
	}
	if (has_side_files(path))
		fail_msg("making foreign file kind %d left side files", kind);
}

/* Files that are not ours, or are newer than this program, are refused in
 * both modes and left byte for byte as they were, with no -wal or -shm
 * beside them. */
static void
test_refuse_foreign(void **state)
{
	static const struct {
		enum foreign_kind kind;
		const char *what, *msg_part;
	} cases[] = {
		{ F_TEXT, "a text file", "not a SQLite database" },
		{ F_APPID, "another application's database", "1234" },
		{ F_TABLES, "a SQLite database with tables and no application id",
		    "another application" },
		{ F_NEWER, "a celldesk database of a newer schema", "newer" },
		{ F_SHORT, "a file shorter than a SQLite header", "not a SQLite database" },
	};
	static const enum db_open_mode modes[] = { DB_OPEN_EXISTING, DB_OPEN_CREATE };
	struct unit_fixture *f = *state;
	char *path, *before, *after, name[32];
	size_t i, m, nbefore, nafter;
	struct cd_err err;
	struct db *db;

	for (i = 0; i < LEN(cases); i++) {
		snprintf(name, sizeof name, "foreign%zu.db", i);
		path = unit_path(f->dir, name);
		make_foreign(path, cases[i].kind);
		before = unit_slurp(path, &nbefore);
		assert_non_null(before);
		for (m = 0; m < LEN(modes); m++) {
			db = (struct db *)&db;
			memset(&err, 0, sizeof err);
			if (db_open(path, modes[m], &db, &err) != CD_EDATA)
				fail_msg("%s (mode %zu) was not refused", cases[i].what, m);
			assert_null(db);
			if (strstr(err.msg, path) == NULL || strstr(err.msg, cases[i].msg_part) == NULL)
				fail_msg("%s: message \"%s\" should name the file and say \"%s\"",
				    cases[i].what, err.msg, cases[i].msg_part);
			after = unit_slurp(path, &nafter);
			assert_non_null(after);
			if (nafter != nbefore || memcmp(before, after, nbefore) != 0)
				fail_msg("%s (mode %zu) was changed", cases[i].what, m);
			if (has_side_files(path))
				fail_msg("%s (mode %zu): a -wal, -shm or -journal file appeared",
				    cases[i].what, m);
			free(after);
		}
		free(before);
		free(path);
	}
}

/* A directory is not a database either. */
static void
test_refuse_directory(void **state)
{
	struct unit_fixture *f = *state;
	struct db *db = NULL;
	struct cd_err err;

	assert_int_equal(db_open(f->dir, DB_OPEN_EXISTING, &db, &err), CD_EDATA);
	assert_null(db);
	assert_int_equal(db_open(f->dir, DB_OPEN_CREATE, &db, &err), CD_EDATA);
	assert_null(db);
	assert_int_equal(dir_entries(f->dir), 0);
}

/* A newer schema whose header change still sits in the write-ahead log
 * (a newer celldesk has it open) is refused too. */
static void
test_refuse_newer_in_wal(void **state)
{
	struct unit_fixture *f = *state;
	struct db *db = NULL;
	struct cd_err err;
	sqlite3 *other = NULL;
	char sql[128];

	make_celldesk_db(f->path, &db);
	db_close(&db);
	assert_int_equal(sqlite3_open_v2(f->path, &other, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	snprintf(sql, sizeof sql, "PRAGMA wal_autocheckpoint = 0; PRAGMA user_version = %d;",
	    db_schema_latest() + 1);
	assert_int_equal(sqlite3_exec(other, sql, NULL, NULL, NULL), SQLITE_OK);
	memset(&err, 0, sizeof err);
	assert_int_equal(db_open(f->path, DB_OPEN_EXISTING, &db, &err), CD_EDATA);
	assert_null(db);
	assert_non_null(strstr(err.msg, "newer"));
	assert_int_equal(db_open(f->path, DB_OPEN_CREATE, &db, &err), CD_EDATA);
	assert_null(db);
	sqlite3_close(other);
}

/* --- the audit trail --- */

static void
append(struct db *db, int64_t want_seq, const char *action, const char *key,
    const char *old_json, const char *new_json, const char *reason)
{
	struct audit_record r;
	struct cd_err err;

	memset(&r, 0, sizeof r);
	r.at = UNIT_NOW_TEXT;
	r.actor = "root";
	r.action = action;
	r.tbl = "patients";
	r.row_key = key;
	r.old_json = old_json;
	r.new_json = new_json;
	r.reason = reason;
	if (db_audit_append(db, &r, &err) != CD_OK)
		fail_msg("db_audit_append: %s", err.msg);
	assert_int_equal(r.seq, want_seq);
}

/* Three records: insert, update with a reason, update without. */
static void
three_records(struct db *db)
{
	struct cd_err err;

	assert_int_equal(db_begin(db, &err), CD_OK);
	append(db, 1, "insert", "MRN1", NULL, "{\"id\":1,\"name\":\"Олена\"}", NULL);
	append(db, 2, "update", "MRN1", "{\"id\":1,\"name\":\"Олена\"}",
	    "{\"id\":1,\"name\":\"Олена К.\"}", "typo");
	append(db, 3, "update", "MRN1", "{\"id\":1,\"name\":\"Олена К.\"}",
	    "{\"id\":1,\"name\":\"Олена Коваленко\"}", NULL);
	assert_int_equal(db_commit(db, &err), CD_OK);
}

static void
test_audit_empty(void **state)
{
	struct unit_fixture *f = *state;
	struct db_audit_verdict v;
	struct db *db = NULL;
	struct cd_err err;

	make_celldesk_db(f->path, &db);
	assert_int_equal(db_audit_verify(db, &v, &err), CD_OK);
	assert_int_equal(v.records, 0);
	assert_int_equal(v.broken_seq, 0);
	assert_string_equal(v.head, AUDIT_GENESIS);
	db_close(&db);
}

static void
test_audit_intact(void **state)
{
	struct unit_fixture *f = *state;
	struct audit_record r[3] = {
		{ 1, UNIT_NOW_TEXT, "root", "insert", "patients", "MRN1", NULL,
		    "{\"id\":1,\"name\":\"Олена\"}", NULL },
		{ 2, UNIT_NOW_TEXT, "root", "update", "patients", "MRN1",
		    "{\"id\":1,\"name\":\"Олена\"}", "{\"id\":1,\"name\":\"Олена К.\"}", "typo" },
		{ 3, UNIT_NOW_TEXT, "root", "update", "patients", "MRN1",
		    "{\"id\":1,\"name\":\"Олена К.\"}", "{\"id\":1,\"name\":\"Олена Коваленко\"}", NULL },
	};
	struct db_audit_verdict v;
	struct db *db = NULL;
	struct cd_err err;
	char h[3][65];
	int i;

	make_celldesk_db(f->path, &db);
	three_records(db);
	assert_int_equal(db_audit_verify(db, &v, &err), CD_OK);
	assert_int_equal(v.records, 3);
	assert_int_equal(v.broken_seq, 0);
	/* the head is the chain computed from the records themselves */
	for (i = 0; i < 3; i++)
		audit_chain_hash(i ? h[i - 1] : AUDIT_GENESIS, &r[i], h[i]);
	assert_string_equal(v.head, h[2]);
	/* and the stored hashes are those */
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM audit WHERE seq = 1 AND"
	    " prev_hash = '0000000000000000000000000000000000000000000000000000000000000000'"), 1);
	db_close(&db);
}

/* The triggers refuse UPDATE and DELETE on the audit table. */
static void
test_audit_triggers(void **state)
{
	struct unit_fixture *f = *state;
	struct db *db = NULL;
	char msg[256];

	make_celldesk_db(f->path, &db);
	three_records(db);
	assert_int_not_equal(sql_try(f->path, "UPDATE audit SET reason = 'x' WHERE seq = 2", msg,
	    sizeof msg), SQLITE_OK);
	assert_non_null(strstr(msg, "cannot be changed"));
	assert_int_not_equal(sql_try(f->path, "DELETE FROM audit WHERE seq = 2", msg, sizeof msg),
	    SQLITE_OK);
	assert_non_null(strstr(msg, "cannot be deleted"));
	assert_int_equal(sql_int(f->path, "SELECT count(*) FROM audit"), 3);
	db_close(&db);
}

/* Someone drops the triggers and edits or removes records: verify names
 * the first broken record. */
static void
test_audit_tampering(void **state)
{
	static const struct {
		const char *what, *sql;
		int64_t broken, intact_before;
		const char *what_part;
	} cases[] = {
		{ "reason edited",
		    "DROP TRIGGER audit_no_update; UPDATE audit SET reason = 'no reason' WHERE seq = 2",
		    2, 1, "changed" },
		{ "reason removed",
		    "DROP TRIGGER audit_no_update; UPDATE audit SET reason = NULL WHERE seq = 2",
		    2, 1, "changed" },
		{ "new value edited",
		    "DROP TRIGGER audit_no_update;"
		    " UPDATE audit SET new = replace(new, 'Коваленко', 'Шевченко') WHERE seq = 3",
		    3, 2, "changed" },
		{ "actor edited",
		    "DROP TRIGGER audit_no_update; UPDATE audit SET actor = 'sadmin' WHERE seq = 1",
		    1, 0, "changed" },
		{ "time edited",
		    "DROP TRIGGER audit_no_update;"
		    " UPDATE audit SET at = '2026-11-20T13:36:14.123Z' WHERE seq = 2",
		    2, 1, "changed" },
		{ "middle record deleted",
		    "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 2",
		    2, 1, "missing" },
		{ "first record deleted",
		    "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 1",
		    1, 0, "missing" },
		{ "middle record deleted and the rest renumbered",
		    "DROP TRIGGER audit_no_delete; DROP TRIGGER audit_no_update;"
		    " DELETE FROM audit WHERE seq = 2; UPDATE audit SET seq = 2 WHERE seq = 3",
		    2, 1, "" },
		{ "link to the previous record edited",
		    "DROP TRIGGER audit_no_update;"
		    " UPDATE audit SET prev_hash = '" AUDIT_GENESIS "' WHERE seq = 3",
		    3, 2, "link" },
	};
	struct unit_fixture *f = *state;
	struct db_audit_verdict v;
	struct db *db = NULL;
	struct cd_err err;
	char name[32], *path;
	size_t i;

	(void)f;
	for (i = 0; i < LEN(cases); i++) {
		snprintf(name, sizeof name, "tamper%zu.db", i);
		path = unit_path(f->dir, name);
		make_celldesk_db(path, &db);
		three_records(db);
		/* a second connection does the damage while ours stays open */
		sql_exec(path, cases[i].sql);
		memset(&v, 0, sizeof v);
		assert_int_equal(db_audit_verify(db, &v, &err), CD_OK);
		if (v.broken_seq != cases[i].broken)
			fail_msg("%s: broken_seq %lld, want %lld (%s)", cases[i].what,
			    (long long)v.broken_seq, (long long)cases[i].broken, v.what);
		assert_int_equal(v.records, cases[i].intact_before);
		if (strstr(v.what, cases[i].what_part) == NULL)
			fail_msg("%s: \"%s\" lacks \"%s\"", cases[i].what, v.what, cases[i].what_part);
		db_close(&db);
		free(path);
	}
}

/* An edit whose hash is recomputed still breaks the link of the next
 * record. */
static void
test_audit_rehashed_edit(void **state)
{
	struct unit_fixture *f = *state;
	struct audit_record r = { 2, UNIT_NOW_TEXT, "root", "update", "patients", "MRN1",
		"{\"id\":1,\"name\":\"Олена\"}", "{\"id\":1,\"name\":\"Олена К.\"}", "forged" };
	struct db_audit_verdict v;
	struct db *db = NULL;
	struct cd_err err;
	char prev[65], hash[65], sql[512];
	sqlite3 *h = NULL;
	sqlite3_stmt *s = NULL;

	make_celldesk_db(f->path, &db);
	three_records(db);
	assert_int_equal(sqlite3_open_v2(f->path, &h, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, "SELECT hash FROM audit WHERE seq = 1", -1, &s,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	snprintf(prev, sizeof prev, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	audit_chain_hash(prev, &r, hash);
	snprintf(sql, sizeof sql, "DROP TRIGGER audit_no_update;"
	    " UPDATE audit SET reason = 'forged', hash = '%s' WHERE seq = 2", hash);
	assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);

	assert_int_equal(db_audit_verify(db, &v, &err), CD_OK);
	assert_int_equal(v.broken_seq, 3);
	assert_int_equal(v.records, 2);
	assert_non_null(strstr(v.what, "link"));
	db_close(&db);
}

static const char *
describe(const char *s)
{
	return s == NULL ? "NULL" : s[0] == '\0' ? "empty" : s;
}

/* Whatever db_audit_append is given, the chain it writes verifies:
 * empty old, new or reason text included. */
static void
test_audit_append_empty_fields(void **state)
{
	static const struct {
		const char *old_json, *new_json, *reason;
	} cases[] = {
		{ NULL, "{}", NULL },
		{ "{}", NULL, NULL },
		{ NULL, NULL, NULL },
		{ "{}", "{}", "" },
		{ "", "{}", NULL },
		{ "{}", "", "why" },
	};
	struct unit_fixture *f = *state;
	struct db_audit_verdict v;
	struct db *db = NULL;
	struct cd_err err;
	enum cd_status st;
	size_t i;

	make_celldesk_db(f->path, &db);
	assert_int_equal(db_begin(db, &err), CD_OK);
	for (i = 0; i < LEN(cases); i++)
		append(db, (int64_t)i + 1, "update", "MRN1", cases[i].old_json, cases[i].new_json,
		    cases[i].reason);
	assert_int_equal(db_commit(db, &err), CD_OK);
	st = db_audit_verify(db, &v, &err);
	db_close(&db);
	assert_int_equal(st, CD_OK);
	if (v.broken_seq != 0)
		fail_msg("a freshly written chain does not verify: record %lld (%s, %s, %s): %s",
		    (long long)v.broken_seq, describe(cases[v.broken_seq - 1].old_json),
		    describe(cases[v.broken_seq - 1].new_json),
		    describe(cases[v.broken_seq - 1].reason), v.what);
	assert_int_equal(v.records, (int64_t)LEN(cases));
}

/* --- listing helpers --- */

/* Collects rows as "k=v|k=v\n". */
static enum cd_status
collect_rows(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	struct strbuf *b = ctx;
	int i;

	(void)err;
	for (i = 0; i < row->n; i++)
		strbuf_addf(b, "%s%s=%s", i ? "|" : "", row->keys[i],
		    row->vals[i] ? row->vals[i] : "NULL");
	strbuf_addc(b, '\n');
	return CD_OK;
}

/* Collects the first column of each row, comma-separated. */
static enum cd_status
collect_first(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	struct strbuf *b = ctx;

	(void)err;
	if (b->len > 0)
		strbuf_addc(b, ',');
	strbuf_adds(b, row->vals[0] ? row->vals[0] : "NULL");
	return CD_OK;
}

static void
test_audit_log(void **state)
{
	struct unit_fixture *f = *state;
	struct db_audit_query q;
	struct strbuf b = STRBUF_INIT;
	struct db *db = NULL;
	struct cd_err err;

	make_celldesk_db(f->path, &db);
	three_records(db);
	memset(&q, 0, sizeof q);
	assert_int_equal(db_audit_log(db, &q, collect_first, &b, &err), CD_OK);
	assert_string_equal(strbuf_str(&b), "3,2,1"); /* newest first */
	strbuf_reset(&b);
	q.limit = 1;
	assert_int_equal(db_audit_log(db, &q, collect_rows, &b, &err), CD_OK);
	assert_string_equal(strbuf_str(&b),
	    "seq=3|at=" UNIT_NOW_TEXT "|actor=root|action=update|table=patients|row=MRN1"
	    "|reason=NULL|old={\"id\":1,\"name\":\"Олена К.\"}"
	    "|new={\"id\":1,\"name\":\"Олена Коваленко\"}\n");
	strbuf_reset(&b);
	q.limit = 0;
	q.tbl = "staff";
	assert_int_equal(db_audit_log(db, &q, collect_first, &b, &err), CD_OK);
	assert_string_equal(strbuf_str(&b), "");
	q.tbl = "patients";
	q.since = "2026-11-22";
	assert_int_equal(db_audit_log(db, &q, collect_first, &b, &err), CD_OK);
	assert_string_equal(strbuf_str(&b), "");
	q.since = "2026-11-21";
	assert_int_equal(db_audit_log(db, &q, collect_first, &b, &err), CD_OK);
	assert_string_equal(strbuf_str(&b), "3,2,1");
	strbuf_free(&b);
	db_close(&db);
}

/* --- staff --- */

static void
test_staff(void **state)
{
	struct unit_fixture *f = *state;
	struct strbuf b = STRBUF_INIT;
	struct db_staff s;
	struct db *db = NULL;
	struct cd_err err;
	int64_t id1, id2, n;

	make_celldesk_db(f->path, &db);
	assert_int_equal(db_staff_count(db, &n, &err), CD_OK);
	assert_int_equal(n, 0);
	assert_int_equal(db_staff_get(db, "okovalenko", &s, &err), CD_REFUSED);
	assert_int_equal(db_begin(db, &err), CD_OK);
	assert_int_equal(db_staff_insert(db, "okovalenko", "Олена Коваленко", "frontdesk",
	    UNIT_NOW_TEXT, &id1, &err), CD_OK);
	assert_int_equal(db_staff_insert(db, "amelnyk", "Андрій Мельник", "clinician,admin",
	    UNIT_NOW_TEXT, &id2, &err), CD_OK);
	/* the same account twice is an error */
	assert_int_equal(db_staff_insert(db, "amelnyk", "Other", "lab", UNIT_NOW_TEXT, &id2,
	    &err), CD_EDATA);
	assert_non_null(strstr(err.msg, "UNIQUE"));
	assert_int_equal(db_staff_set_active(db, id1, false, &err), CD_OK);
	assert_int_equal(db_commit(db, &err), CD_OK);

	assert_int_equal(db_staff_count(db, &n, &err), CD_OK);
	assert_int_equal(n, 2);
	assert_int_equal(db_staff_get(db, "okovalenko", &s, &err), CD_OK);
	assert_int_equal(s.id, id1);
	assert_string_equal(s.username, "okovalenko");
	assert_string_equal(s.roles, "frontdesk");
	assert_false(s.active);
	assert_int_equal(db_staff_get(db, "amelnyk", &s, &err), CD_OK);
	assert_true(s.active);
	assert_string_equal(s.roles, "clinician,admin");
	assert_int_equal(db_staff_list(db, collect_rows, &b, &err), CD_OK);
	assert_string_equal(strbuf_str(&b),
	    "user=amelnyk|name=Андрій Мельник|roles=clinician,admin|active=yes\n"
	    "user=okovalenko|name=Олена Коваленко|roles=frontdesk|active=no\n");
	strbuf_free(&b);
	db_close(&db);
}

/* --- sites and resources --- */

static void
test_sites(void **state)
{
	struct unit_fixture *f = *state;
	struct strbuf b = STRBUF_INIT;
	const char *tags[] = { "ultrasound", "injection", "ultrasound" };
	struct cd_hours h;
	struct db *db = NULL;
	struct cd_err err;
	int64_t kyiv, berlin, id, found;
	char *snap = NULL;

	make_celldesk_db(f->path, &db);
	assert_int_equal(db_begin(db, &err), CD_OK);
	assert_int_equal(hours_parse("mon-fri 08:00-18:00, sat 09:00-13:00", &h, &err), CD_OK);
	assert_int_equal(db_site_insert(db, "Kyiv", "Europe/Kyiv", &h, UNIT_NOW_TEXT, &kyiv,
	    &err), CD_OK);
	assert_int_equal(hours_parse("mon-fri 07:30-18:30", &h, &err), CD_OK);
	assert_int_equal(db_site_insert(db, "Berlin", "Europe/Berlin", &h, UNIT_NOW_TEXT, &berlin,
	    &err), CD_OK);
	assert_int_equal(db_resource_insert(db, kyiv, "Injection room A", "room", tags, 3,
	    UNIT_NOW_TEXT, &id, &err), CD_OK);
	assert_int_equal(db_resource_insert(db, berlin, "C-arm", "device", NULL, 0, UNIT_NOW_TEXT,
	    &id, &err), CD_OK);
	/* the kind is checked by the schema */
	assert_int_equal(db_resource_insert(db, berlin, "Broom", "cupboard", NULL, 0,
	    UNIT_NOW_TEXT, &id, &err), CD_EDATA);
	assert_int_equal(db_commit(db, &err), CD_OK);

	assert_int_equal(db_site_find(db, "Kyiv", &found, &err), CD_OK);
	assert_int_equal(found, kyiv);
	assert_int_equal(db_site_find(db, "kyiv", &found, &err), CD_OK);
	assert_int_equal(found, 0);
	assert_int_equal(db_resource_find(db, kyiv, "Injection room A", &found, &err), CD_OK);
	assert_true(found > 0);
	assert_int_equal(db_resource_find(db, berlin, "Injection room A", &found, &err), CD_OK);
	assert_int_equal(found, 0);

	assert_int_equal(db_site_list(db, collect_rows, &b, &err), CD_OK);
	assert_string_equal(strbuf_str(&b),
	    "name=Berlin|tz=Europe/Berlin|hours=mon-fri 07:30-18:30\n"
	    "name=Kyiv|tz=Europe/Kyiv|hours=mon-fri 08:00-18:00, sat 09:00-13:00\n");
	strbuf_reset(&b);
	assert_int_equal(db_resource_list(db, 0, collect_rows, &b, &err), CD_OK);
	assert_string_equal(strbuf_str(&b),
	    "name=C-arm|site=Berlin|kind=device|tags=NULL|hours=NULL\n"
	    "name=Injection room A|site=Kyiv|kind=room|tags=injection,ultrasound|hours=NULL\n");
	strbuf_reset(&b);
	/* A resource's own hours, as people type them; NULL: its site's. */
	assert_int_equal(db_resource_find(db, berlin, "C-arm", &found, &err), CD_OK);
	assert_int_equal(hours_parse("mon-thu 09:00-15:00, sat 10:00-12:00", &h, &err), CD_OK);
	assert_int_equal(db_begin(db, &err), CD_OK);
	assert_int_equal(db_resource_hours_set(db, found, &h, &err), CD_OK);
	assert_int_equal(db_commit(db, &err), CD_OK);
	assert_int_equal(db_resource_list(db, berlin, collect_rows, &b, &err), CD_OK);
	assert_string_equal(strbuf_str(&b), "name=C-arm|site=Berlin|kind=device|tags=NULL"
	    "|hours=mon-thu 09:00-15:00, sat 10:00-12:00\n");
	strbuf_reset(&b);
	assert_int_equal(db_resource_list(db, kyiv, collect_first, &b, &err), CD_OK);
	assert_string_equal(strbuf_str(&b), "Injection room A");

	assert_int_equal(db_snapshot(db, "sites", kyiv, &snap, &err), CD_OK);
	assert_non_null(snap);
	assert_non_null(strstr(snap, "\"name\":\"Kyiv\""));
	assert_non_null(strstr(snap, "\"tz\":\"Europe/Kyiv\""));
	free(snap);
	strbuf_free(&b);
	db_close(&db);
}

/* --- patients --- */

static const struct {
	const char *mrn, *name, *dob, *phone;
} people[] = {
	{ "K-000123", "Олена Коваленко", "1958-03-14", "+380 44 123 4567" },
	{ "K-000124", "Андрій Мельник", "1961-07-02", "+380 44 765 4321" },
	{ "B-77", "Jürgen Groß", "1949-11-30", "+49 30 1234 5678" },
	{ "B-78", "Käthe Müller", "1944-01-15", NULL },
	{ "NY-1", "James O'Brien", "1970-05-05", "+1 212 555 0100" },
	{ "NY-2", "王小明", "1980-02-29", NULL },
};

static void
add_people(struct db *db)
{
	struct db_patient p;
	struct cd_err err;
	int64_t id;
	size_t i;

	assert_int_equal(db_begin(db, &err), CD_OK);
	for (i = 0; i < LEN(people); i++) {
		memset(&p, 0, sizeof p);
		p.mrn = people[i].mrn;
		p.name = people[i].name;
		p.dob = people[i].dob;
		p.phone = people[i].phone;
		if (db_patient_insert(db, &p, UNIT_NOW_TEXT, &id, &err) != CD_OK)
			fail_msg("insert %s: %s", people[i].mrn, err.msg);
		assert_int_equal(id, (int64_t)i + 1);
	}
	assert_int_equal(db_commit(db, &err), CD_OK);
}

static void
test_patients(void **state)
{
	struct unit_fixture *f = *state;
	struct strbuf b = STRBUF_INIT;
	struct db_patient_query q;
	struct db_patient p;
	struct db *db = NULL;
	struct cd_err err;
	int64_t id, n;
	char *snap = NULL;
	json_t *j;
	json_error_t jerr;

	make_celldesk_db(f->path, &db);
	add_people(db);
	assert_int_equal(db_patient_count(db, &n, &err), CD_OK);
	assert_int_equal(n, (int64_t)LEN(people));
	assert_int_equal(db_patient_find(db, "B-77", &id, &err), CD_OK);
	assert_int_equal(id, 3);
	assert_int_equal(db_patient_find(db, "b-77", &id, &err), CD_OK);
	assert_int_equal(id, 0);

	/* a second patient with the same MRN is refused by the schema */
	memset(&p, 0, sizeof p);
	p.mrn = "B-77";
	p.name = "Someone Else";
	p.dob = "1990-01-01";
	assert_int_equal(db_patient_insert(db, &p, UNIT_NOW_TEXT, &id, &err), CD_EDATA);

	/* everyone, by folded name */
	memset(&q, 0, sizeof q);
	assert_int_equal(db_patient_list(db, &q, collect_first, &b, &err), CD_OK);
	assert_string_equal(strbuf_str(&b), "NY-1,B-77,B-78,K-000124,K-000123,NY-2");
	strbuf_reset(&b);
	/* a page of it */
	q.limit = 2;
	q.offset = 1;
	assert_int_equal(db_patient_list(db, &q, collect_first, &b, &err), CD_OK);
	assert_string_equal(strbuf_str(&b), "B-77,B-78");
	strbuf_reset(&b);

	/* show */
	assert_int_equal(db_patient_show(db, "K-000123", collect_rows, &b, &err), CD_OK);
	assert_string_equal(strbuf_str(&b),
	    "mrn=K-000123|name=Олена Коваленко|dob=1958-03-14|phone=+380 44 123 4567|site=NULL"
	    "|language=NULL|condition=NULL|notes=NULL|created=" UNIT_NOW_TEXT
	    "|updated=" UNIT_NOW_TEXT "\n");
	strbuf_reset(&b);
	assert_int_equal(db_patient_show(db, "K-999", collect_rows, &b, &err), CD_REFUSED);
	assert_string_equal(strbuf_str(&b), "");

	/* update replaces every field; "" and NULL clear optional ones */
	memset(&p, 0, sizeof p);
	p.mrn = "K-000123";
	p.name = "Олена Шевченко";
	p.dob = "1958-03-14";
	p.phone = "";
	p.notes = "line 1\nline 2";
	assert_int_equal(db_begin(db, &err), CD_OK);
	assert_int_equal(db_patient_update(db, 1, &p, "2026-11-22T08:00:00.000Z", &err), CD_OK);
	assert_int_equal(db_commit(db, &err), CD_OK);
	assert_int_equal(db_patient_show(db, "K-000123", collect_rows, &b, &err), CD_OK);
	assert_string_equal(strbuf_str(&b),
	    "mrn=K-000123|name=Олена Шевченко|dob=1958-03-14|phone=NULL|site=NULL"
	    "|language=NULL|condition=NULL|notes=line 1\nline 2|created=" UNIT_NOW_TEXT
	    "|updated=2026-11-22T08:00:00.000Z\n");

	/* the audit snapshot is a JSON object of the entered fields */
	assert_int_equal(db_snapshot(db, "patients", 1, &snap, &err), CD_OK);
	j = json_loads(snap, 0, &jerr);
	assert_non_null(j);
	assert_int_equal(json_integer_value(json_object_get(j, "id")), 1);
	assert_string_equal(json_string_value(json_object_get(j, "name")), "Олена Шевченко");
	assert_true(json_is_null(json_object_get(j, "phone")));
	assert_string_equal(json_string_value(json_object_get(j, "notes")), "line 1\nline 2");
	assert_null(json_object_get(j, "name_key")); /* derived keys are not kept */
	json_decref(j);
	free(snap);
	snap = (char *)&snap;
	assert_int_equal(db_snapshot(db, "patients", 999, &snap, &err), CD_OK);
	assert_null(snap);
	strbuf_free(&b);
	db_close(&db);
}

/* Search by name (any case, Cyrillic, umlauts, word prefixes), by MRN
 * prefix and by phone digits. */
static void
test_patient_search(void **state)
{
	static const struct {
		const char *search, *want;
	} cases[] = {
		{ "олена", "K-000123" },
		{ "ОЛЕНА", "K-000123" },
		{ "Олена Коваленко", "K-000123" },
		{ "коваленко олена", "K-000123" },
		{ "ков", "K-000123" },
		{ "ол ков", "K-000123" },
		{ "Мельник", "K-000124" },
		{ "gro", "B-77" },
		{ "GROß", "B-77" },
		{ "jürgen", "B-77" },
		{ "jurgen", "B-77" },
		{ "müller", "B-78" },
		{ "muller", "B-78" },
		{ "KÄTHE", "B-78" },
		{ "o'brien", "NY-1" },
		{ "brien", "NY-1" },
		{ "james o", "NY-1" },
		{ "王小明", "NY-2" },
		{ "K-000", "K-000124,K-000123" },
		{ "K-000124", "K-000124" },
		{ "NY-", "NY-1,NY-2" },
		{ "B-7", "B-77,B-78" },
		{ "380 44", "K-000124,K-000123" },
		{ "+380441234567", "K-000123" },
		{ "212-555", "NY-1" },
		{ "4567", "B-77,K-000123" }, /* the phone contains the digits */
		{ "44 123", "K-000123" },
		{ "nobody", "" },
		{ "\"", "" },
		{ "*", "" },
		{ "AND", "" },
		{ "o* OR a*", "" },
		{ "NEAR(олена", "" },
		{ "олена)", "K-000123" },
	};
	struct unit_fixture *f = *state;
	struct strbuf b = STRBUF_INIT;
	struct db_patient_query q;
	struct db *db = NULL;
	struct cd_err err;
	size_t i;

	make_celldesk_db(f->path, &db);
	add_people(db);
	for (i = 0; i < LEN(cases); i++) {
		strbuf_reset(&b);
		memset(&q, 0, sizeof q);
		q.search = cases[i].search;
		memset(&err, 0, sizeof err);
		if (db_patient_list(db, &q, collect_first, &b, &err) != CD_OK)
			fail_msg("search \"%s\" failed: %s", cases[i].search, err.msg);
		if (strcmp(strbuf_str(&b), cases[i].want) != 0)
			fail_msg("search \"%s\" found \"%s\", want \"%s\"", cases[i].search,
			    strbuf_str(&b), cases[i].want);
	}
	strbuf_free(&b);
	db_close(&db);
}

/* --- backup --- */

static void
test_backup(void **state)
{
	struct unit_fixture *f = *state;
	char *dest = unit_path(f->dir, "backup.db");
	struct db_audit_verdict v1, v2;
	struct db *db = NULL, *copy = NULL;
	struct cd_err err;
	int64_t n;

	make_celldesk_db(f->path, &db);
	add_people(db);
	three_records(db);
	assert_int_equal(db_backup(db, dest, &err), CD_OK);
	/* never over an existing file */
	assert_int_equal(db_backup(db, dest, &err), CD_REFUSED);
	assert_non_null(strstr(err.msg, dest));
	assert_int_equal(db_open(dest, DB_OPEN_EXISTING, &copy, &err), CD_OK);
	assert_int_equal(db_patient_count(copy, &n, &err), CD_OK);
	assert_int_equal(n, (int64_t)LEN(people));
	assert_int_equal(db_audit_verify(db, &v1, &err), CD_OK);
	assert_int_equal(db_audit_verify(copy, &v2, &err), CD_OK);
	assert_string_equal(v1.head, v2.head);
	assert_int_equal(v2.broken_seq, 0);
	db_close(&copy);
	db_close(&db);
	free(dest);
}

/* --- transactions --- */

/* A rolled-back write leaves nothing; a second connection sees a commit
 * through data_version. */
static void
test_transactions(void **state)
{
	struct unit_fixture *f = *state;
	struct db *db = NULL, *other = NULL;
	struct cd_err err;
	int64_t id, n, v0;

	make_celldesk_db(f->path, &db);
	assert_int_equal(db_open(f->path, DB_OPEN_EXISTING, &other, &err), CD_OK);
	v0 = db_data_version(other);
	assert_int_equal(db_begin(db, &err), CD_OK);
	assert_int_equal(db_staff_insert(db, "a", "A", "admin", UNIT_NOW_TEXT, &id, &err), CD_OK);
	/* the other connection cannot start a write meanwhile... */
	db_rollback(db);
	assert_int_equal(db_staff_count(db, &n, &err), CD_OK);
	assert_int_equal(n, 0);
	assert_int_equal(db_data_version(other), v0);
	assert_int_equal(db_begin(db, &err), CD_OK);
	assert_int_equal(db_staff_insert(db, "a", "A", "admin", UNIT_NOW_TEXT, &id, &err), CD_OK);
	assert_int_equal(db_commit(db, &err), CD_OK);
	assert_true(db_data_version(other) != v0);
	assert_int_equal(db_staff_count(other, &n, &err), CD_OK);
	assert_int_equal(n, 1);
	db_rollback(db); /* harmless outside a transaction */
	db_close(&other);
	db_close(&db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_open_missing, unit_fixture_setup, unit_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_create_and_migrate, unit_fixture_setup, unit_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_open_unmigrated, unit_fixture_setup, unit_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_open_empty_file, unit_fixture_setup, unit_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_refuse_foreign, unit_fixture_setup, unit_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_refuse_directory, unit_fixture_setup, unit_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_refuse_newer_in_wal, unit_fixture_setup, unit_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_audit_empty, unit_fixture_setup, unit_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_audit_intact, unit_fixture_setup, unit_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_audit_triggers, unit_fixture_setup, unit_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_audit_tampering, unit_fixture_setup, unit_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_audit_rehashed_edit, unit_fixture_setup, unit_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_audit_append_empty_fields, unit_fixture_setup, unit_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_audit_log, unit_fixture_setup, unit_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_staff, unit_fixture_setup, unit_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_sites, unit_fixture_setup, unit_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_patients, unit_fixture_setup, unit_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_patient_search, unit_fixture_setup, unit_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_backup, unit_fixture_setup, unit_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_transactions, unit_fixture_setup, unit_fixture_teardown),
	};

	unit_fixed_env();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
