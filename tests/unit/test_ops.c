/* test_ops.c - the user actions (src/ops) on temporary databases, with
 * the clock fixed at 2026-11-21T13:36:14.123Z and the actor being the Unix
 * account that runs the tests. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>
#include <sqlite3.h>

#include "core/protocol.h"
#include "core/strbuf.h"
#include "ops/ops.h"
#include "unit_util.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Opens path for set-up with the fixed clock, and runs init. */

/* What celldesk init records: the first admin and each protocol it
 * installs. */
#define INIT_RECORDS (1 + default_protocols())

static int64_t
default_protocols(void)
{
	int64_t n = 0;

	while (protocol_defaults[n] != NULL)
		n++;
	return n;
}

static void
open_init(const char *path, struct ops *o, struct ops_init_result *res)
{
	struct ops_init_result ignored;
	struct cd_err err;

	if (ops_open(o, path, OPS_OPEN_SETUP, &err) != CD_OK)
		fail_msg("ops_open: %s", err.msg);
	o->clock_ms = unit_clock;
	if (ops_init(o, res ? res : &ignored, &err) != CD_OK)
		fail_msg("ops_init: %s", err.msg);
}

static void
open_use(const char *path, struct ops *o)
{
	struct cd_err err;

	if (ops_open(o, path, OPS_OPEN_USE, &err) != CD_OK)
		fail_msg("ops_open: %s", err.msg);
	o->clock_ms = unit_clock;
}

/* --- reading the database from outside --- */

/* Every table's rows, in storage order, with a count per table, and the
 * schema version, read through a separate connection. */
static char *
dump(const char *path)
{
	struct strbuf b = STRBUF_INIT;
	sqlite3 *h = NULL;
	sqlite3_stmt *tables = NULL, *rows = NULL;
	char sql[256];
	int64_t n;
	int i, cols;

	assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, "SELECT name FROM sqlite_schema WHERE type = 'table'"
	    " ORDER BY name", -1, &tables, NULL), SQLITE_OK);
	while (sqlite3_step(tables) == SQLITE_ROW) {
		snprintf(sql, sizeof sql, "SELECT * FROM \"%s\"", sqlite3_column_text(tables, 0));
		assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &rows, NULL), SQLITE_OK);
		cols = sqlite3_column_count(rows);
		n = 0;
		strbuf_addf(&b, "== %s\n", sqlite3_column_text(tables, 0));
		while (sqlite3_step(rows) == SQLITE_ROW) {
			for (i = 0; i < cols; i++) {
				strbuf_addf(&b, "%d:", sqlite3_column_type(rows, i));
				strbuf_add(&b, sqlite3_column_blob(rows, i) ? sqlite3_column_blob(rows, i) : "",
				    (size_t)sqlite3_column_bytes(rows, i));
				strbuf_addc(&b, '|');
			}
			strbuf_addc(&b, '\n');
			n++;
		}
		sqlite3_finalize(rows);
		strbuf_addf(&b, "-- %lld rows\n", (long long)n);
	}
	sqlite3_finalize(tables);
	assert_int_equal(sqlite3_prepare_v2(h, "PRAGMA user_version", -1, &rows, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(rows), SQLITE_ROW);
	strbuf_addf(&b, "user_version %d\n", sqlite3_column_int(rows, 0));
	sqlite3_finalize(rows);
	sqlite3_close(h);
	return b.s;
}

static void
sql_exec(const char *path, const char *sql)
{
	sqlite3 *h = NULL;
	char *msg = NULL;

	assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	sqlite3_close(h);
}

/* The chain must be intact; returns its length, fills head. */
static int64_t
audit_ok(struct db *db, char head[65])
{
	struct db_audit_verdict v;
	struct cd_err err;

	if (db_audit_verify(db, &v, &err) != CD_OK)
		fail_msg("db_audit_verify: %s", err.msg);
	if (v.broken_seq != 0)
		fail_msg("the audit chain is broken at %lld: %s", (long long)v.broken_seq, v.what);
	if (head != NULL)
		memcpy(head, v.head, 65);
	return v.records;
}

/* The connection is not left inside a transaction. */
static void
assert_no_transaction(struct db *db)
{
	struct cd_err err;

	if (db_begin(db, &err) != CD_OK)
		fail_msg("a transaction was left open: %s", err.msg);
	db_rollback(db);
}

/* The newest audit record, as a JSON object of its columns. */
struct last_audit {
	json_t *rec;
};

static enum cd_status
take_audit_row(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	struct last_audit *la = ctx;
	int i;

	(void)err;
	la->rec = json_object();
	for (i = 0; i < row->n; i++)
		json_object_set_new(la->rec, row->keys[i],
		    row->vals[i] ? json_string(row->vals[i]) : json_null());
	return CD_OK;
}

/* The newest audit record of table tbl (NULL: of any). */
static json_t *
last_audit_of(struct db *db, const char *tbl)
{
	struct db_audit_query q = { tbl, NULL, NULL, 1 };
	struct last_audit la = { NULL };
	struct cd_err err;

	assert_int_equal(db_audit_log(db, &q, take_audit_row, &la, &err), CD_OK);
	assert_non_null(la.rec);
	return la.rec;
}

static json_t *
last_audit(struct db *db)
{
	return last_audit_of(db, NULL);
}

static const char *
field(json_t *rec, const char *key)
{
	return json_string_value(json_object_get(rec, key));
}

/* The old or new value of an audit record, parsed. */
static json_t *
audit_json(json_t *rec, const char *key)
{
	json_error_t jerr;
	const char *s = field(rec, key);
	json_t *j;

	if (s == NULL)
		return NULL;
	if ((j = json_loads(s, 0, &jerr)) == NULL)
		fail_msg("audit %s is not JSON: %s", key, s);
	return j;
}

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

static int64_t
patient_count(struct db *db)
{
	struct cd_err err;
	int64_t n = -1;

	assert_int_equal(db_patient_count(db, &n, &err), CD_OK);
	return n;
}

/* --- init --- */

static void
test_init_first_admin(void **state)
{
	struct unit_fixture *f = *state;
	struct ops_init_result res;
	struct db_staff me;
	struct ops o;
	struct cd_err err;
	json_t *rec, *snap;

	open_init(f->path, &o, &res);
	assert_string_equal(o.actor, f->actor);
	assert_int_equal(res.schema_from, 0);
	assert_int_equal(res.schema_to, db_schema_latest());
	assert_true(res.made_first_admin);
	assert_true(o.is_staff);
	assert_int_equal(o.roles, ROLE_ADMIN);
	assert_int_equal(db_staff_get(o.db, f->actor, &me, &err), CD_OK);
	assert_string_equal(me.roles, "admin");
	assert_true(me.active);

	/* recorded, at the fixed time, by the actor */
	assert_int_equal(audit_ok(o.db, NULL), INIT_RECORDS);
	rec = last_audit_of(o.db, "staff");
	assert_string_equal(field(rec, "seq"), "1");
	assert_string_equal(field(rec, "at"), UNIT_NOW_TEXT);
	assert_string_equal(field(rec, "actor"), f->actor);
	assert_string_equal(field(rec, "action"), "insert");
	assert_string_equal(field(rec, "table"), "staff");
	assert_string_equal(field(rec, "row"), f->actor);
	assert_string_equal(field(rec, "reason"), "first admin, made by celldesk init");
	assert_true(json_is_null(json_object_get(rec, "old")));
	snap = audit_json(rec, "new");
	assert_string_equal(json_string_value(json_object_get(snap, "username")), f->actor);
	assert_string_equal(json_string_value(json_object_get(snap, "roles")), "admin");
	json_decref(snap);
	json_decref(rec);
	ops_close(&o);

	/* init again: nothing to migrate, no second admin */
	open_init(f->path, &o, &res);
	assert_int_equal(res.schema_from, db_schema_latest());
	assert_int_equal(res.schema_to, db_schema_latest());
	assert_false(res.made_first_admin);
	assert_int_equal(audit_ok(o.db, NULL), INIT_RECORDS);
	ops_close(&o);

	/* and the database opens for use */
	open_use(f->path, &o);
	assert_true(o.is_staff);
	assert_int_equal(o.roles, ROLE_ADMIN);
	ops_close(&o);
}

static void
test_open_use_missing(void **state)
{
	struct unit_fixture *f = *state;
	struct ops o;
	struct cd_err err;

	assert_int_equal(ops_open(&o, f->path, OPS_OPEN_USE, &err), CD_EDATA);
	assert_non_null(strstr(err.msg, "celldesk init"));
	assert_false(unit_exists(f->path));
}

/* --- a database whose staff the test sets up directly --- */

/* Creates path with an admin "sadmin" (not the actor) and, when roles is
 * not NULL, the actor with those roles (disabled when !active). */
static void
make_clinic(const struct unit_fixture *f, const char *path, const char *roles, bool active)
{
	struct db *db = NULL;
	struct cd_err err;
	int64_t id;

	assert_int_equal(db_open(path, DB_OPEN_CREATE, &db, &err), CD_OK);
	assert_int_equal(db_migrate(db, &err), CD_OK);
	assert_int_equal(db_begin(db, &err), CD_OK);
	assert_int_equal(db_staff_insert(db, "sadmin", "Sofia Admin-Hughes", "admin",
	    UNIT_NOW_TEXT, &id, &err), CD_OK);
	if (roles != NULL) {
		assert_int_equal(db_staff_insert(db, f->actor, "Test Actor", roles, UNIT_NOW_TEXT,
		    &id, &err), CD_OK);
		if (!active)
			assert_int_equal(db_staff_set_active(db, id, false, &err), CD_OK);
	}
	assert_int_equal(db_commit(db, &err), CD_OK);
	db_close(&db);
}

/* Only an admin migrates a database that has staff. */
static void
test_init_by_non_admin(void **state)
{
	struct unit_fixture *f = *state;
	struct ops_init_result res;
	struct ops o;
	struct cd_err err;
	char *before, *after;

	make_clinic(f, f->path, "frontdesk", true);
	before = dump(f->path);
	assert_int_equal(ops_open(&o, f->path, OPS_OPEN_SETUP, &err), CD_OK);
	o.clock_ms = unit_clock;
	assert_int_equal(ops_init(&o, &res, &err), CD_REFUSED);
	assert_non_null(strstr(err.msg, "initialise or migrate the database"));
	ops_close(&o);
	after = dump(f->path);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

/* --- patients --- */

static const struct ops_patient olena = {
	"K-000123", "Олена Коваленко", "1958-03-14", "+380 44 123 4567", "Kyiv", "uk",
	"knee osteoarthritis", "Prefers mornings.\nBrings her own interpreter."
};

static void
add_site_and_patient(struct ops *o)
{
	struct cd_err err;

	if (ops_site_add(o, "Kyiv", "Europe/Kyiv", "mon-fri 08:00-19:00, sat 09:00-14:00", &err)
	    != CD_OK)
		fail_msg("ops_site_add: %s", err.msg);
	if (ops_site_add(o, "Berlin", "Europe/Berlin", NULL, &err) != CD_OK)
		fail_msg("ops_site_add: %s", err.msg);
	if (ops_patient_add(o, &olena, &err) != CD_OK)
		fail_msg("ops_patient_add: %s", err.msg);
}

static void
test_patient_add(void **state)
{
	struct unit_fixture *f = *state;
	struct strbuf b = STRBUF_INIT;
	struct ops o;
	json_t *rec, *snap;

	open_init(f->path, &o, NULL);
	add_site_and_patient(&o);
	assert_int_equal(ops_patient_show(&o, "K-000123", collect_rows, &b, NULL), CD_OK);
	assert_string_equal(strbuf_str(&b),
	    "mrn=K-000123|name=Олена Коваленко|dob=1958-03-14|phone=+380 44 123 4567|site=Kyiv"
	    "|language=uk|condition=knee osteoarthritis"
	    "|notes=Prefers mornings.\nBrings her own interpreter."
	    "|created=" UNIT_NOW_TEXT "|updated=" UNIT_NOW_TEXT "\n");
	/* one audit record per change: admin, two sites, the patient */
	assert_int_equal(audit_ok(o.db, NULL), INIT_RECORDS + 3);
	rec = last_audit(o.db);
	assert_string_equal(field(rec, "action"), "insert");
	assert_string_equal(field(rec, "table"), "patients");
	assert_string_equal(field(rec, "row"), "K-000123");
	assert_string_equal(field(rec, "actor"), f->actor);
	assert_string_equal(field(rec, "at"), UNIT_NOW_TEXT);
	assert_true(json_is_null(json_object_get(rec, "old")));
	assert_true(json_is_null(json_object_get(rec, "reason")));
	snap = audit_json(rec, "new");
	assert_string_equal(json_string_value(json_object_get(snap, "name")), "Олена Коваленко");
	assert_string_equal(json_string_value(json_object_get(snap, "notes")),
	    "Prefers mornings.\nBrings her own interpreter.");
	json_decref(snap);
	json_decref(rec);
	strbuf_free(&b);
	ops_close(&o);
}

static void
test_patient_add_duplicate_mrn(void **state)
{
	struct unit_fixture *f = *state;
	struct ops_patient other = { "K-000123", "Someone Else", "1990-01-01", NULL, NULL, NULL,
		NULL, NULL };
	struct strbuf b = STRBUF_INIT;
	struct ops o;
	struct cd_err err;
	char head[65], head2[65];

	open_init(f->path, &o, NULL);
	add_site_and_patient(&o);
	assert_int_equal(audit_ok(o.db, head), INIT_RECORDS + 3);
	memset(&err, 0, sizeof err);
	assert_int_equal(ops_patient_add(&o, &other, &err), CD_REFUSED);
	assert_non_null(strstr(err.msg, "K-000123"));
	assert_non_null(strstr(err.msg, "already exists"));
	assert_int_equal(audit_ok(o.db, head2), INIT_RECORDS + 3);
	assert_string_equal(head, head2);
	assert_int_equal(patient_count(o.db), 1);
	assert_int_equal(ops_patient_show(&o, "K-000123", collect_rows, &b, NULL), CD_OK);
	assert_non_null(strstr(strbuf_str(&b), "name=Олена Коваленко|"));
	assert_no_transaction(o.db);
	strbuf_free(&b);
	ops_close(&o);
}

static void
test_patient_edit(void **state)
{
	struct unit_fixture *f = *state;
	struct ops_patient change = { NULL, "Олена Шевченко", NULL, "", "Berlin", NULL, NULL,
		NULL };
	struct strbuf b = STRBUF_INIT;
	struct ops o;
	struct cd_err err;
	json_t *rec, *old, *new;
	int64_t kyiv, berlin;

	open_init(f->path, &o, NULL);
	add_site_and_patient(&o);
	assert_int_equal(db_site_find(o.db, "Kyiv", &kyiv, &err), CD_OK);
	assert_int_equal(db_site_find(o.db, "Berlin", &berlin, &err), CD_OK);
	if (ops_patient_edit(&o, "K-000123", &change, "married name; moved to Berlin", &err)
	    != CD_OK)
		fail_msg("ops_patient_edit: %s", err.msg);

	/* the given fields changed, the others kept, "" cleared the phone */
	assert_int_equal(ops_patient_show(&o, "K-000123", collect_rows, &b, NULL), CD_OK);
	assert_string_equal(strbuf_str(&b),
	    "mrn=K-000123|name=Олена Шевченко|dob=1958-03-14|phone=NULL|site=Berlin"
	    "|language=uk|condition=knee osteoarthritis"
	    "|notes=Prefers mornings.\nBrings her own interpreter."
	    "|created=" UNIT_NOW_TEXT "|updated=" UNIT_NOW_TEXT "\n");

	/* the audit record holds old and new values and the reason */
	assert_int_equal(audit_ok(o.db, NULL), INIT_RECORDS + 4);
	rec = last_audit(o.db);
	assert_string_equal(field(rec, "action"), "update");
	assert_string_equal(field(rec, "table"), "patients");
	assert_string_equal(field(rec, "row"), "K-000123");
	assert_string_equal(field(rec, "reason"), "married name; moved to Berlin");
	assert_string_equal(field(rec, "actor"), f->actor);
	old = audit_json(rec, "old");
	new = audit_json(rec, "new");
	assert_non_null(old);
	assert_non_null(new);
	assert_string_equal(json_string_value(json_object_get(old, "name")), "Олена Коваленко");
	assert_string_equal(json_string_value(json_object_get(new, "name")), "Олена Шевченко");
	assert_string_equal(json_string_value(json_object_get(old, "phone")), "+380 44 123 4567");
	assert_true(json_is_null(json_object_get(new, "phone")));
	assert_int_equal(json_integer_value(json_object_get(old, "site_id")), kyiv);
	assert_int_equal(json_integer_value(json_object_get(new, "site_id")), berlin);
	assert_string_equal(json_string_value(json_object_get(old, "dob")), "1958-03-14");
	assert_string_equal(json_string_value(json_object_get(new, "dob")), "1958-03-14");
	assert_int_equal(json_integer_value(json_object_get(old, "id")),
	    json_integer_value(json_object_get(new, "id")));
	json_decref(old);
	json_decref(new);
	json_decref(rec);

	/* the MRN identifies the patient's records: it never changes */
	memset(&change, 0, sizeof change);
	change.mrn = "K-000999";
	assert_int_equal(ops_patient_edit(&o, "K-000123", &change, NULL, &err), CD_REFUSED);
	assert_non_null(strstr(err.msg, "cannot be changed"));
	rec = last_audit(o.db);
	assert_string_equal(field(rec, "row"), "K-000123");
	json_decref(rec);
	/* an empty reason is no reason, and the chain still verifies */
	change.mrn = NULL;
	change.language = "de";
	assert_int_equal(ops_patient_edit(&o, "K-000123", &change, "", &err), CD_OK);
	rec = last_audit(o.db);
	assert_true(json_is_null(json_object_get(rec, "reason")));
	json_decref(rec);
	assert_int_equal(audit_ok(o.db, NULL), INIT_RECORDS + 5);
	assert_int_equal(ops_patient_show(&o, "K-000999", collect_rows, &b, &err), CD_REFUSED);
	assert_non_null(strstr(err.msg, "K-000999"));
	strbuf_free(&b);
	ops_close(&o);
}

/* --- refused commands change nothing --- */

enum refused_cmd {
	R_ADD_DUP_MRN, R_ADD_UNKNOWN_SITE, R_ADD_FUTURE_DOB, R_ADD_BAD_DOB, R_ADD_CONTROL_NAME,
	R_ADD_BLANK_NAME, R_ADD_NO_DOB, R_ADD_BAD_MRN, R_ADD_BAD_PHONE, R_ADD_LONG_NOTES,
	R_EDIT_UNKNOWN, R_EDIT_TO_TAKEN_MRN, R_EDIT_UNKNOWN_SITE, R_EDIT_BAD_REASON,
	R_EDIT_BAD_DOB, R_STAFF_EXISTS, R_STAFF_BAD_USER, R_STAFF_BAD_ROLE, R_STAFF_BLANK_NAME,
	R_STAFF_LAST_ADMIN, R_STAFF_ALREADY_ACTIVE, R_STAFF_UNKNOWN, R_SITE_EXISTS, R_SITE_BAD_TZ,
	R_SITE_BAD_HOURS, R_RESOURCE_UNKNOWN_SITE, R_RESOURCE_BAD_KIND, R_RESOURCE_EXISTS,
	R_RESOURCE_BAD_TAG, R_DEMO_NOT_EMPTY, R_BACKUP_EXISTS, R_AUDIT_BAD_SINCE,
	R_LIST_BAD_SEARCH
};

static const struct {
	enum refused_cmd cmd;
	const char *what;
	enum cd_status want;
	const char *msg_part;
} refused_cases[] = {
	{ R_ADD_DUP_MRN, "patient add, MRN taken", CD_REFUSED, "K-000123" },
	{ R_ADD_UNKNOWN_SITE, "patient add, unknown site", CD_REFUSED, "Odesa" },
	{ R_ADD_FUTURE_DOB, "patient add, born the day after tomorrow", CD_USAGE, "future" },
	{ R_ADD_BAD_DOB, "patient add, 2023-02-29", CD_USAGE, "--dob" },
	{ R_ADD_CONTROL_NAME, "patient add, escape in the name", CD_USAGE, "--name" },
	{ R_ADD_BLANK_NAME, "patient add, blank name", CD_USAGE, "--name" },
	{ R_ADD_NO_DOB, "patient add, no date of birth", CD_USAGE, "--dob" },
	{ R_ADD_BAD_MRN, "patient add, MRN with a space", CD_USAGE, "--mrn" },
	{ R_ADD_BAD_PHONE, "patient add, phone with letters", CD_USAGE, "--phone" },
	{ R_ADD_LONG_NOTES, "patient add, 10,000-character notes", CD_USAGE, "--notes" },
	{ R_EDIT_UNKNOWN, "patient edit, unknown MRN", CD_REFUSED, "K-404" },
	{ R_EDIT_TO_TAKEN_MRN, "patient edit, to an MRN in use", CD_REFUSED, "cannot be changed" },
	{ R_EDIT_UNKNOWN_SITE, "patient edit, unknown site", CD_REFUSED, "Odesa" },
	{ R_EDIT_BAD_REASON, "patient edit, reason with an escape", CD_USAGE, "--reason" },
	{ R_EDIT_BAD_DOB, "patient edit, bad date", CD_USAGE, "--dob" },
	{ R_STAFF_EXISTS, "staff add, already staff", CD_REFUSED, "already staff" },
	{ R_STAFF_BAD_USER, "staff add, not an account name", CD_USAGE, "USER" },
	{ R_STAFF_BAD_ROLE, "staff add, unknown role", CD_USAGE, "'nurse'" },
	{ R_STAFF_BLANK_NAME, "staff add, blank name", CD_USAGE, "--name" },
	{ R_STAFF_LAST_ADMIN, "staff disable, the last admin", CD_REFUSED, "last active admin" },
	{ R_STAFF_ALREADY_ACTIVE, "staff enable, already active", CD_REFUSED, "already active" },
	{ R_STAFF_UNKNOWN, "staff disable, not staff", CD_REFUSED, "nobody" },
	{ R_SITE_EXISTS, "site add, name taken", CD_REFUSED, "Kyiv" },
	{ R_SITE_BAD_TZ, "site add, no such zone", CD_USAGE, "--tz" },
	{ R_SITE_BAD_HOURS, "site add, bad hours", CD_USAGE, "--hours" },
	{ R_RESOURCE_UNKNOWN_SITE, "resource add, unknown site", CD_REFUSED, "Odesa" },
	{ R_RESOURCE_BAD_KIND, "resource add, bad kind", CD_USAGE, "--kind" },
	{ R_RESOURCE_EXISTS, "resource add, name taken at the site", CD_REFUSED, "C-arm" },
	{ R_RESOURCE_BAD_TAG, "resource add, bad tag", CD_USAGE, "--tags" },
	{ R_DEMO_NOT_EMPTY, "demo into a database with patients", CD_REFUSED, "empty" },
	{ R_BACKUP_EXISTS, "backup over an existing file", CD_REFUSED, "already exists" },
	{ R_AUDIT_BAD_SINCE, "audit log, bad --since", CD_USAGE, "--since" },
	{ R_LIST_BAD_SEARCH, "patient list, escape in the search", CD_USAGE, "--search" },
};

static enum cd_status
ignore_row(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	(void)ctx;
	(void)row;
	(void)err;
	return CD_OK;
}

static enum cd_status
run_refused(struct ops *o, enum refused_cmd cmd, const char *existing_file, struct cd_err *err)
{
	struct ops_patient p = { "K-000200", "Андрій Мельник", "1961-07-02", NULL, NULL, NULL,
		NULL, NULL };
	struct ops_patient e = { NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL };
	struct db_audit_query aq = { NULL, NULL, "2026-13-01", 0 };
	struct db_patient_query pq = { "\x1b[2J", 0, 0 };
	struct ops_demo_result dr;
	static char notes[10001];

	switch (cmd) {
	case R_ADD_DUP_MRN: p.mrn = "K-000123"; return ops_patient_add(o, &p, err);
	case R_ADD_UNKNOWN_SITE: p.site = "Odesa"; return ops_patient_add(o, &p, err);
	case R_ADD_FUTURE_DOB: p.dob = "2026-11-23"; return ops_patient_add(o, &p, err);
	case R_ADD_BAD_DOB: p.dob = "2023-02-29"; return ops_patient_add(o, &p, err);
	case R_ADD_CONTROL_NAME: p.name = "Evil\x1b]0;pwned\x07"; return ops_patient_add(o, &p, err);
	case R_ADD_BLANK_NAME: p.name = "   "; return ops_patient_add(o, &p, err);
	case R_ADD_NO_DOB: p.dob = NULL; return ops_patient_add(o, &p, err);
	case R_ADD_BAD_MRN: p.mrn = "K 200"; return ops_patient_add(o, &p, err);
	case R_ADD_BAD_PHONE: p.phone = "call me"; return ops_patient_add(o, &p, err);
	case R_ADD_LONG_NOTES:
		memset(notes, 'n', sizeof notes - 1);
		p.notes = notes;
		return ops_patient_add(o, &p, err);
	case R_EDIT_UNKNOWN: e.name = "X"; return ops_patient_edit(o, "K-404", &e, NULL, err);
	case R_EDIT_TO_TAKEN_MRN:
		e.mrn = "K-000124";
		return ops_patient_edit(o, "K-000123", &e, "merge", err);
	case R_EDIT_UNKNOWN_SITE:
		e.site = "Odesa";
		return ops_patient_edit(o, "K-000123", &e, NULL, err);
	case R_EDIT_BAD_REASON:
		e.name = "Олена Шевченко";
		return ops_patient_edit(o, "K-000123", &e, "why\x1b[0m", err);
	case R_EDIT_BAD_DOB: e.dob = "14.03.1958"; return ops_patient_edit(o, "K-000123", &e, NULL, err);
	case R_STAFF_EXISTS: return ops_staff_add(o, o->actor, "Me Again", "lab", err);
	case R_STAFF_BAD_USER: return ops_staff_add(o, "Bad User", "Bad User", "lab", err);
	case R_STAFF_BAD_ROLE: return ops_staff_add(o, "newnurse", "New Nurse", "lab,nurse", err);
	case R_STAFF_BLANK_NAME: return ops_staff_add(o, "newnurse", "", "lab", err);
	case R_STAFF_LAST_ADMIN: return ops_staff_set_active(o, o->actor, false, "leaving", err);
	case R_STAFF_ALREADY_ACTIVE: return ops_staff_set_active(o, o->actor, true, NULL, err);
	case R_STAFF_UNKNOWN: return ops_staff_set_active(o, "nobody", false, NULL, err);
	case R_SITE_EXISTS: return ops_site_add(o, "Kyiv", "Europe/Kyiv", NULL, err);
	case R_SITE_BAD_TZ: return ops_site_add(o, "Atlantis", "Europe/Atlantis", NULL, err);
	case R_SITE_BAD_HOURS: return ops_site_add(o, "Lviv", "Europe/Kyiv", "mon-fri 9-5", err);
	case R_RESOURCE_UNKNOWN_SITE: return ops_resource_add(o, "C-arm 2", "Odesa", "device", NULL, err);
	case R_RESOURCE_BAD_KIND: return ops_resource_add(o, "Broom", "Kyiv", "cupboard", NULL, err);
	case R_RESOURCE_EXISTS: return ops_resource_add(o, "C-arm", "Kyiv", "device", NULL, err);
	case R_RESOURCE_BAD_TAG: return ops_resource_add(o, "Room 9", "Kyiv", "room", "x-ray!", err);
	case R_DEMO_NOT_EMPTY: return ops_demo(o, DEMO_SMALL, 7, &dr, err);
	case R_BACKUP_EXISTS: return ops_backup(o, existing_file, err);
	case R_AUDIT_BAD_SINCE: return ops_audit_log(o, &aq, ignore_row, NULL, err);
	case R_LIST_BAD_SEARCH: return ops_patient_list(o, &pq, ignore_row, NULL, err);
	}
	return CD_OK;
}

static void
test_refused_changes_nothing(void **state)
{
	struct unit_fixture *f = *state;
	struct ops_patient second = { "K-000124", "Андрій Мельник", "1961-07-02", NULL, "Kyiv",
		NULL, NULL, NULL };
	char *existing = unit_path(f->dir, "existing-backup.db");
	char *before, *after, head[65], head2[65];
	struct ops o;
	struct cd_err err;
	enum cd_status st;
	int64_t records;
	size_t i;

	open_init(f->path, &o, NULL);
	add_site_and_patient(&o);
	assert_int_equal(ops_patient_add(&o, &second, &err), CD_OK);
	assert_int_equal(ops_resource_add(&o, "C-arm", "Kyiv", "device", "fluoroscopy", &err),
	    CD_OK);
	assert_true(unit_write(existing, "keep me", 7));
	records = audit_ok(o.db, head);
	before = dump(f->path);

	for (i = 0; i < LEN(refused_cases); i++) {
		memset(&err, 0, sizeof err);
		st = run_refused(&o, refused_cases[i].cmd, existing, &err);
		if (st != refused_cases[i].want)
			fail_msg("%s: status %d, want %d (%s)", refused_cases[i].what, st,
			    refused_cases[i].want, err.msg);
		if (err.status != st)
			fail_msg("%s: err.status %d, status %d", refused_cases[i].what, err.status, st);
		if (strstr(err.msg, refused_cases[i].msg_part) == NULL)
			fail_msg("%s: message \"%s\" lacks \"%s\"", refused_cases[i].what, err.msg,
			    refused_cases[i].msg_part);
		assert_no_transaction(o.db);
		after = dump(f->path);
		if (strcmp(before, after) != 0)
			fail_msg("%s changed the database", refused_cases[i].what);
		free(after);
		assert_int_equal(audit_ok(o.db, head2), records);
		assert_string_equal(head, head2);
	}
	/* and the file that was in the way is untouched */
	{
		size_t n;
		char *kept = unit_slurp(existing, &n);

		assert_non_null(kept);
		assert_string_equal(kept, "keep me");
		free(kept);
	}
	/* the next good command goes through */
	assert_int_equal(ops_staff_add(&o, "newnurse", "New Nurse", "lab", &err), CD_OK);
	assert_int_equal(audit_ok(o.db, NULL), records + 1);
	free(before);
	free(existing);
	ops_close(&o);
}

/* Born tomorrow (UTC) is allowed: somewhere it is already tomorrow. */
static void
test_patient_dob_edges(void **state)
{
	struct unit_fixture *f = *state;
	struct ops_patient p = { "N-1", "Newborn", "2026-11-22", NULL, NULL, NULL, NULL, NULL };
	struct ops o;
	struct cd_err err;

	open_init(f->path, &o, NULL);
	assert_int_equal(ops_patient_add(&o, &p, &err), CD_OK);
	p.mrn = "N-2";
	p.dob = "2026-11-21";
	assert_int_equal(ops_patient_add(&o, &p, &err), CD_OK);
	p.mrn = "N-3";
	p.dob = "1900-01-01";
	assert_int_equal(ops_patient_add(&o, &p, &err), CD_OK);
	assert_int_equal(patient_count(o.db), 3);
	ops_close(&o);
}

/* --- permissions --- */

static void
test_ops_require(void **state)
{
	static const struct {
		bool is_staff;
		unsigned roles;
		enum cd_action action;
		enum cd_status want;
		const char *msg_part;
	} cases[] = {
		{ false, 0, ACT_PATIENT_VIEW, CD_REFUSED, "not active staff" },
		{ false, ROLE_ADMIN, ACT_PATIENT_VIEW, CD_REFUSED, "not active staff" },
		{ true, 0, ACT_PATIENT_VIEW, CD_REFUSED, "view patients" },
		{ true, ROLE_LAB, ACT_PATIENT_VIEW, CD_OK, NULL },
		{ true, ROLE_LAB, ACT_PATIENT_EDIT, CD_REFUSED,
		    "(role lab) may not add or change patients; that needs the role frontdesk,clinician,admin" },
		{ true, ROLE_FRONTDESK, ACT_PATIENT_EDIT, CD_OK, NULL },
		{ true, ROLE_FRONTDESK, ACT_STAFF_MANAGE, CD_REFUSED,
		    "(role frontdesk) may not manage staff; that needs the role admin" },
		{ true, ROLE_FRONTDESK, ACT_AUDIT, CD_REFUSED, "read or verify the audit trail" },
		{ true, ROLE_LAB | ROLE_CLINICIAN, ACT_PATIENT_EDIT, CD_OK, NULL },
		{ true, ROLE_LAB | ROLE_CLINICIAN, ACT_BACKUP, CD_REFUSED,
		    "(role lab,clinician) may not back up the database" },
		{ true, ROLE_ADMIN, ACT_AUDIT, CD_OK, NULL },
		{ true, ROLE_ADMIN, ACT_DEMO, CD_OK, NULL },
	};
	struct ops o;
	struct cd_err err;
	enum cd_status st;
	size_t i;

	(void)state;
	for (i = 0; i < LEN(cases); i++) {
		memset(&o, 0, sizeof o);
		snprintf(o.actor, sizeof o.actor, "okovalenko");
		o.is_staff = cases[i].is_staff;
		o.roles = cases[i].roles;
		memset(&err, 0, sizeof err);
		st = ops_require(&o, cases[i].action, &err);
		if (st != cases[i].want)
			fail_msg("case %zu: status %d, want %d (%s)", i, st, cases[i].want, err.msg);
		if (st != CD_OK && (strstr(err.msg, "'okovalenko'") == NULL ||
		    strstr(err.msg, cases[i].msg_part) == NULL))
			fail_msg("case %zu: message \"%s\" should name the account and say \"%s\"", i,
			    err.msg, cases[i].msg_part);
	}
	/* every action: an admin may, except the signed clinical acts (a lot's
	 * release, an administration), which need the lab's or a clinician's
	 * own role; someone who is not staff may not */
	for (i = 0; i < ACT__COUNT; i++) {
		bool clinical_act = i == ACT_LOT_RELEASE || i == ACT_LOT_ADMINISTER;

		memset(&o, 0, sizeof o);
		o.is_staff = true;
		o.roles = ROLE_ADMIN;
		assert_int_equal(ops_require(&o, (enum cd_action)i, NULL),
		    clinical_act ? CD_REFUSED : CD_OK);
		o.is_staff = false;
		assert_int_equal(ops_require(&o, (enum cd_action)i, NULL), CD_REFUSED);
	}
}

enum perm_cmd {
	P_PATIENT_ADD, P_PATIENT_EDIT, P_PATIENT_LIST, P_PATIENT_SHOW, P_STAFF_ADD, P_STAFF_LIST,
	P_STAFF_DISABLE, P_SITE_ADD, P_SITE_LIST, P_RESOURCE_ADD, P_AUDIT_VERIFY, P_AUDIT_LOG,
	P_BACKUP, P_DEMO, P_COUNT
};

static enum cd_status
run_perm(struct ops *o, enum perm_cmd cmd, const char *dir, struct cd_err *err)
{
	struct ops_patient p = { "K-000200", "Андрій Мельник", "1961-07-02", NULL, NULL, NULL,
		NULL, NULL };
	struct ops_patient e = { NULL, "Sofia Renamed", NULL, NULL, NULL, NULL, NULL, NULL };
	struct db_patient_query pq = { NULL, 0, 0 };
	struct db_audit_query aq = { NULL, NULL, NULL, 0 };
	struct db_audit_verdict v;
	struct ops_demo_result dr;
	enum cd_status st;
	char *dest;

	switch (cmd) {
	case P_PATIENT_ADD: return ops_patient_add(o, &p, err);
	case P_PATIENT_EDIT: return ops_patient_edit(o, "K-1", &e, NULL, err);
	case P_PATIENT_LIST: return ops_patient_list(o, &pq, ignore_row, NULL, err);
	case P_PATIENT_SHOW: return ops_patient_show(o, "K-1", ignore_row, NULL, err);
	case P_STAFF_ADD: return ops_staff_add(o, "newnurse", "New Nurse", "lab", err);
	case P_STAFF_LIST: return ops_staff_list(o, ignore_row, NULL, err);
	case P_STAFF_DISABLE: return ops_staff_set_active(o, "sadmin", false, NULL, err);
	case P_SITE_ADD: return ops_site_add(o, "Lviv", "Europe/Kyiv", NULL, err);
	case P_SITE_LIST: return ops_site_list(o, ignore_row, NULL, err);
	case P_RESOURCE_ADD: return ops_resource_add(o, "Room 2", "Kyiv", "room", NULL, err);
	case P_AUDIT_VERIFY: return ops_audit_verify(o, &v, err);
	case P_AUDIT_LOG: return ops_audit_log(o, &aq, ignore_row, NULL, err);
	case P_BACKUP:
		dest = unit_path(dir, "perm-backup.db");
		st = ops_backup(o, dest, err);
		if (st == CD_OK)
			remove(dest);
		free(dest);
		return st;
	case P_DEMO: return ops_demo(o, DEMO_SMALL, 7, &dr, err);
	case P_COUNT: break;
	}
	return CD_OK;
}

/* The actor's staff row decides, through every command. The clinic has an
 * admin "sadmin", a site Kyiv and a patient K-1; the actor has the roles
 * given (or no row, or a disabled one). 1 = allowed, 0 = refused. */
static void
test_permissions(void **state)
{
	static const char *const cmd_names[P_COUNT] = { "patient add", "patient edit",
		"patient list", "patient show", "staff add", "staff list", "staff disable",
		"site add", "site list", "resource add", "audit verify", "audit log", "backup",
		"demo" };
	static const struct {
		const char *roles; /* NULL: no staff row */
		bool active;
		const char *msg_part;
		int allowed[P_COUNT];
	} cases[] = {
		/*                                    padd pedit plist pshow sadd slist sdis siteadd sitelist radd averify alog backup demo */
		{ "lab", true, "(role lab)", { 0, 0, 1, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0 } },
		{ "frontdesk", true, "(role frontdesk)", { 1, 1, 1, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0 } },
		{ "clinician", true, "(role clinician)", { 1, 1, 1, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0 } },
		{ "lab,clinician", true, "(role lab,clinician)",
		    { 1, 1, 1, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0 } },
		/* 2: allowed, but refused because the database is not empty */
		{ "admin", true, "", { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2 } },
		{ NULL, true, "not active staff", { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 } },
		{ "admin", false, "not active staff", { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 } },
	};
	struct unit_fixture *f = *state;
	struct ops_patient k1 = { "K-1", "Sofia Patient", "1970-01-01", NULL, NULL, NULL, NULL,
		NULL };
	struct ops o, admin;
	struct cd_err err;
	enum cd_status st;
	char name[32], *path, *before, *after;
	size_t i;
	int c;

	for (i = 0; i < LEN(cases); i++) {
		snprintf(name, sizeof name, "perm%zu.db", i);
		path = unit_path(f->dir, name);
		make_clinic(f, path, cases[i].roles, cases[i].active);
		/* the site and the patient, written as the admin would */
		open_use(path, &admin);
		admin.is_staff = true;
		admin.roles = ROLE_ADMIN;
		snprintf(admin.actor, sizeof admin.actor, "sadmin");
		assert_int_equal(ops_site_add(&admin, "Kyiv", "Europe/Kyiv", NULL, &err), CD_OK);
		assert_int_equal(ops_patient_add(&admin, &k1, &err), CD_OK);
		ops_close(&admin);

		for (c = 0; c < P_COUNT; c++) {
			open_use(path, &o);
			before = dump(path);
			memset(&err, 0, sizeof err);
			st = run_perm(&o, (enum perm_cmd)c, f->dir, &err);
			if (cases[i].allowed[c] == 2) {
				if (st != CD_REFUSED || strstr(err.msg, "empty") == NULL)
					fail_msg("%s: status %d (%s)", cmd_names[c], st, err.msg);
			} else if (cases[i].allowed[c] && st != CD_OK)
				fail_msg("roles %s%s: %s refused: %s", cases[i].roles ? cases[i].roles : "none",
				    cases[i].active ? "" : " (disabled)", cmd_names[c], err.msg);
			if (!cases[i].allowed[c]) {
				if (st != CD_REFUSED)
					fail_msg("roles %s%s: %s not refused (status %d)",
					    cases[i].roles ? cases[i].roles : "none",
					    cases[i].active ? "" : " (disabled)", cmd_names[c], st);
				if (strstr(err.msg, f->actor) == NULL ||
				    strstr(err.msg, cases[i].msg_part) == NULL)
					fail_msg("%s: message \"%s\" should name the account and say \"%s\"",
					    cmd_names[c], err.msg, cases[i].msg_part);
				after = dump(path);
				if (strcmp(before, after) != 0)
					fail_msg("roles %s: the refused %s changed the database",
					    cases[i].roles ? cases[i].roles : "none", cmd_names[c]);
				free(after);
			}
			free(before);
			assert_no_transaction(o.db);
			ops_close(&o);
			/* an allowed write is undone for the next command */
			if (cases[i].allowed[c] == 1 && (c == P_PATIENT_ADD || c == P_STAFF_ADD ||
			    c == P_SITE_ADD || c == P_RESOURCE_ADD || c == P_STAFF_DISABLE ||
			    c == P_PATIENT_EDIT)) {
				remove(path);
				make_clinic(f, path, cases[i].roles, cases[i].active);
				open_use(path, &admin);
				admin.is_staff = true;
				admin.roles = ROLE_ADMIN;
				snprintf(admin.actor, sizeof admin.actor, "sadmin");
				assert_int_equal(ops_site_add(&admin, "Kyiv", "Europe/Kyiv", NULL, &err), CD_OK);
				assert_int_equal(ops_patient_add(&admin, &k1, &err), CD_OK);
				ops_close(&admin);
			}
		}
		free(path);
	}
}

/* Roles are read again inside each write transaction: a colleague's
 * change takes effect at once, whatever this session loaded at start. */
static void
test_roles_reloaded_in_transaction(void **state)
{
	struct unit_fixture *f = *state;
	struct ops_patient p = { "K-000200", "Андрій Мельник", "1961-07-02", NULL, NULL, NULL,
		NULL, NULL };
	struct ops o;
	struct cd_err err;
	char *before, *after, sql[256];

	open_init(f->path, &o, NULL);
	assert_int_equal(ops_staff_add(&o, "sadmin", "Sofia Admin-Hughes", "admin", &err), CD_OK);
	assert_int_equal(o.roles, ROLE_ADMIN);

	/* demoted to lab by another session */
	snprintf(sql, sizeof sql, "UPDATE staff SET roles = 'lab' WHERE username = '%s'", f->actor);
	sql_exec(f->path, sql);
	before = dump(f->path);
	assert_int_equal(ops_patient_add(&o, &p, &err), CD_REFUSED);
	assert_non_null(strstr(err.msg, "(role lab)"));
	after = dump(f->path);
	assert_string_equal(before, after);
	free(after);
	free(before);
	assert_no_transaction(o.db);

	/* disabled by another session */
	snprintf(sql, sizeof sql,
	    "UPDATE staff SET roles = 'admin', active = 0 WHERE username = '%s'", f->actor);
	sql_exec(f->path, sql);
	o.is_staff = true;
	o.roles = ROLE_ADMIN;
	before = dump(f->path);
	assert_int_equal(ops_patient_add(&o, &p, &err), CD_REFUSED);
	assert_non_null(strstr(err.msg, "not active staff"));
	assert_int_equal(ops_staff_set_active(&o, f->actor, true, NULL, &err), CD_REFUSED);
	after = dump(f->path);
	assert_string_equal(before, after);
	free(after);
	free(before);
	assert_no_transaction(o.db);
	ops_close(&o);
}

/* Disabling and enabling staff is recorded with the reason; the last
 * admin cannot be disabled, another admin can. */
static void
test_staff_disable_enable(void **state)
{
	struct unit_fixture *f = *state;
	struct strbuf b = STRBUF_INIT;
	struct ops o;
	struct cd_err err;
	json_t *rec, *old, *new;

	open_init(f->path, &o, NULL);
	assert_int_equal(ops_staff_add(&o, "sadmin", "Sofia Admin-Hughes", "admin,frontdesk",
	    &err), CD_OK);
	assert_int_equal(ops_staff_set_active(&o, "sadmin", false, "on leave", &err), CD_OK);
	rec = last_audit(o.db);
	assert_string_equal(field(rec, "action"), "disable");
	assert_string_equal(field(rec, "row"), "sadmin");
	assert_string_equal(field(rec, "reason"), "on leave");
	old = audit_json(rec, "old");
	new = audit_json(rec, "new");
	assert_int_equal(json_integer_value(json_object_get(old, "active")), 1);
	assert_int_equal(json_integer_value(json_object_get(new, "active")), 0);
	/* roles were stored in canonical order */
	assert_string_equal(json_string_value(json_object_get(new, "roles")), "frontdesk,admin");
	json_decref(old);
	json_decref(new);
	json_decref(rec);
	/* now the actor is the last active admin */
	assert_int_equal(ops_staff_set_active(&o, f->actor, false, NULL, &err), CD_REFUSED);
	assert_int_equal(ops_staff_set_active(&o, "sadmin", true, "back", &err), CD_OK);
	assert_int_equal(ops_staff_list(&o, collect_rows, &b, &err), CD_OK);
	assert_non_null(strstr(strbuf_str(&b),
	    "user=sadmin|name=Sofia Admin-Hughes|roles=frontdesk,admin|active=yes\n"));
	assert_int_equal(audit_ok(o.db, NULL), INIT_RECORDS + 3);
	strbuf_free(&b);
	ops_close(&o);
}

/* --- demo data --- */

static void
demo_into(const char *path, uint64_t seed, struct ops_demo_result *res, char **list,
    char head[65])
{
	struct strbuf b = STRBUF_INIT;
	struct db_patient_query q = { NULL, 0, 0 };
	struct ops o;
	struct cd_err err;

	open_init(path, &o, NULL);
	if (ops_demo(&o, DEMO_SMALL, seed, res, &err) != CD_OK)
		fail_msg("ops_demo: %s", err.msg);
	assert_int_equal(db_patient_list(o.db, &q, collect_rows, &b, &err), CD_OK);
	audit_ok(o.db, head);
	*list = b.s;
	ops_close(&o);
}

/* The first column of sql's first row, over a separate connection. */
static int64_t
sql_number(const char *path, const char *sql)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *s = NULL;
	int64_t n;

	assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	if (sqlite3_prepare_v2(h, sql, -1, &s, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(h));
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(h);
	return n;
}

static int64_t
lines(const char *s)
{
	int64_t n = 0;

	for (; *s != '\0'; s++)
		n += *s == '\n';
	return n;
}

static void
test_demo_deterministic(void **state)
{
	struct unit_fixture *f = *state;
	char *a = unit_path(f->dir, "demo-a.db"), *b = unit_path(f->dir, "demo-b.db");
	char *c = unit_path(f->dir, "demo-c.db");
	char *list_a, *list_b, *list_c, head_a[65], head_b[65], head_c[65];
	struct ops_demo_result ra, rb, rc;
	struct db_patient_query q = { NULL, 0, 0 };
	struct strbuf staff = STRBUF_INIT;
	struct ops_agenda_query aq;
	struct ops o;
	struct cd_err err;
	int64_t records, closures, absences, cycles, visits, lab;

	demo_into(a, 7, &ra, &list_a, head_a);
	demo_into(b, 7, &rb, &list_b, head_b);
	demo_into(c, 8, &rc, &list_c, head_c);

	assert_int_equal(ra.sites, 3);
	assert_int_equal(ra.staff, 10);
	assert_int_equal(ra.patients, 240);
	assert_int_equal(ra.resources, 3 * 6 + 4); /* rooms and devices, 4 clinicians */
	assert_memory_equal(&ra, &rb, sizeof ra);
	/* the same seed (and clock) gives the same patients and calendar,
	 * and the same audit chain */
	assert_non_null(list_a);
	assert_string_equal(list_a, list_b);
	assert_string_equal(head_a, head_b);
	/* another seed gives other patients */
	assert_string_not_equal(list_a, list_c);
	assert_string_not_equal(head_a, head_c);

	/* every row went through the audit trail, the calendar's too */
	closures = sql_number(a, "SELECT count(*) FROM site_closures");
	absences = sql_number(a, "SELECT count(*) FROM resource_absences");
	cycles = sql_number(a, "SELECT count(*) FROM cycles");
	visits = sql_number(a, "SELECT count(*) FROM appointments");
	/* the lab's side: units, readings, lots and what is appended to them,
	 * and the lots an open excursion flagged (one update each) */
	lab = sql_number(a, "SELECT (SELECT count(*) FROM storage_units) +"
	    " (SELECT count(*) FROM temperature_readings) + (SELECT count(*) FROM lots) +"
	    " (SELECT count(*) FROM custody_events) + (SELECT count(*) FROM qc_results) +"
	    " (SELECT count(*) FROM signatures) + (SELECT count(*) FROM bedside_checks) +"
	    " (SELECT count(*) FROM lots WHERE excursion_id IS NOT NULL)");
	open_use(a, &o);
	records = audit_ok(o.db, NULL);
	assert_int_equal(records, INIT_RECORDS + ra.sites + ra.resources + ra.staff + ra.patients +
	    closures + absences + cycles + visits + lab);
	/* lots in every status */
	assert_int_equal(sql_number(a, "SELECT count(DISTINCT status) FROM lots"), 8);
	assert_int_equal(patient_count(o.db), 240);

	/* the calendar: holidays and absences; cycles of every protocol at
	 * every site, some called off; visits in every status */
	assert_true(closures >= 3);
	assert_true(absences >= 3);
	assert_true(cycles >= 200);
	assert_true(visits >= 2000);
	assert_int_equal(sql_number(a, "SELECT count(DISTINCT site_id || '/' || protocol_id)"
	    " FROM cycles"), 3 * default_protocols());
	assert_true(sql_number(a, "SELECT count(*) FROM cycles WHERE status = 'cancelled'") > 0);
	assert_int_equal(sql_number(a, "SELECT count(DISTINCT status) FROM appointments"), 6);
	/* the past mostly done, nothing but booked or cancelled ahead, check-ins
	 * only today (2026-11-21 at every site with the fixed clock) */
	assert_true(sql_number(a, "SELECT 100 * sum(status = 'done') / count(*) FROM appointments"
	    " WHERE local_day < '2026-11-21'") >= 80);
	assert_true(sql_number(a, "SELECT count(*) FROM appointments WHERE local_day < '2026-11-21'"
	    " AND status IN ('no-show', 'cancelled-by-patient', 'cancelled-by-clinic')") > 0);
	assert_true(sql_number(a, "SELECT count(*) FROM appointments WHERE local_day > '2026-11-21'"
	    " AND status = 'booked'") >= 200);
	assert_int_equal(sql_number(a, "SELECT count(*) FROM appointments WHERE starts_at >"
	    " '" UNIT_NOW_TEXT "' AND status IN ('done', 'no-show')"), 0);
	assert_int_equal(sql_number(a, "SELECT count(*) FROM appointments WHERE status ="
	    " 'checked-in' AND local_day <> '2026-11-21'"), 0);
	assert_true(sql_number(a, "SELECT count(*) FROM appointments WHERE status = 'checked-in'")
	    > 0);
	/* no resource and no patient held twice at once */
	assert_int_equal(sql_number(a, "SELECT count(*) FROM appointment_resources x"
	    " JOIN appointment_resources y ON y.resource_id = x.resource_id"
	    " AND y.appointment_id > x.appointment_id AND x.held AND y.held"
	    " AND y.starts_at < x.ends_at AND y.ends_at > x.starts_at"), 0);
	assert_int_equal(sql_number(a, "SELECT count(*) FROM appointments x JOIN appointments y"
	    " ON y.patient_id = x.patient_id AND y.id > x.id AND x.held AND y.held"
	    " AND x.step <> 'call' AND y.step <> 'call'"
	    " AND y.starts_at < x.ends_at AND y.ends_at > x.starts_at"), 0);
	/* Kyiv has a day today and a week ahead; the front desk has calls */
	memset(&aq, 0, sizeof aq);
	aq.site = "Kyiv";
	assert_int_equal(ops_agenda(&o, &aq, collect_rows, &staff, &err), CD_OK);
	assert_true(lines(strbuf_str(&staff)) >= 3);
	strbuf_reset(&staff);
	aq.days = 7;
	assert_int_equal(ops_agenda(&o, &aq, collect_rows, &staff, &err), CD_OK);
	assert_true(lines(strbuf_str(&staff)) >= 20);
	strbuf_reset(&staff);
	assert_int_equal(ops_calls(&o, NULL, NULL, collect_rows, &staff, &err), CD_OK);
	assert_true(lines(strbuf_str(&staff)) >= 1);
	strbuf_reset(&staff);
	/* the demo's people are valid patients: each shows, dob not in the future */
	q.limit = 5;
	assert_int_equal(ops_patient_list(&o, &q, collect_rows, &staff, &err), CD_OK);
	assert_non_null(strstr(strbuf_str(&staff), "mrn=MRN"));
	strbuf_reset(&staff);
	assert_int_equal(ops_staff_list(&o, collect_rows, &staff, &err), CD_OK);
	assert_non_null(strstr(strbuf_str(&staff),
	    "user=okovalenko|name=Олена Коваленко|roles=frontdesk|active=yes\n"));
	assert_non_null(strstr(strbuf_str(&staff),
	    "user=mschaefer|name=Miriam Schäfer|roles=lab,clinician|active=yes\n"));
	ops_close(&o);

	free(list_a);
	free(list_b);
	free(list_c);
	strbuf_free(&staff);
	free(a);
	free(b);
	free(c);
}

/* The row of the day's calls about visit appt (its line), or "". */
static void
call_line(struct ops *o, int64_t appt, char *buf, size_t n)
{
	struct strbuf b = STRBUF_INIT;
	struct cd_err err;
	char key[40];
	const char *p, *end;

	buf[0] = '\0';
	assert_int_equal(ops_calls(o, NULL, NULL, collect_rows, &b, &err), CD_OK);
	snprintf(key, sizeof key, "|appt=%lld|", (long long)appt);
	if ((p = strstr(strbuf_str(&b), key)) != NULL) {
		while (p > b.s && p[-1] != '\n')
			p--;
		end = strchr(p, '\n');
		snprintf(buf, n, "%.*s", (int)(end - p), p);
	}
	strbuf_free(&b);
}

static void
test_call_mark(void **state)
{
	struct unit_fixture *f = *state;
	struct ops_demo_result res;
	struct strbuf b = STRBUF_INIT;
	struct ops o;
	struct cd_err err;
	char *list, head[65], line[1024], want[256], kind[16], other[16];
	const char *p;
	long long appt;

	demo_into(f->path, 7, &res, &list, head);
	free(list);
	open_use(f->path, &o);
	/* The first call of today's list (the fixed clock's day). */
	assert_int_equal(ops_calls(&o, NULL, NULL, collect_rows, &b, &err), CD_OK);
	assert_int_equal(sscanf(strbuf_str(&b), "kind=%15[a-z]|", kind), 1);
	assert_non_null(p = strstr(strbuf_str(&b), "|appt="));
	assert_int_equal(sscanf(p, "|appt=%lld|", &appt), 1);
	assert_non_null(strstr(strbuf_str(&b), "|outcome=NULL|outcome_note=NULL|outcome_by=NULL"
	    "|outcome_at=NULL\n"));
	strbuf_free(&b);
	snprintf(other, sizeof other, "%s", strcmp(kind, "call") == 0 ? "reminder" : "call");

	/* unreachable with a note: the list says so, who and when */
	assert_int_equal(ops_call_mark(&o, appt, kind, "unreachable", "no answer", &err), CD_OK);
	assert_no_transaction(o.db);
	call_line(&o, appt, line, sizeof line);
	snprintf(want, sizeof want, "|outcome=unreachable|outcome_note=no answer|outcome_by=%s"
	    "|outcome_at=2026-11-21T", f->actor);
	if (strstr(line, want) == NULL)
		fail_msg("the call's row lacks '%s': %s", want, line);
	/* marked again done: the newest counts */
	assert_int_equal(ops_call_mark(&o, appt, kind, "done", NULL, &err), CD_OK);
	call_line(&o, appt, line, sizeof line);
	assert_non_null(strstr(line, "|outcome=done|outcome_note=NULL|"));

	/* refusals change nothing */
	assert_int_equal(ops_call_mark(&o, appt, other, "done", NULL, &err), CD_REFUSED);
	assert_non_null(strstr(err.msg, "--kind"));
	assert_int_equal(ops_call_mark(&o, appt, kind, "maybe", NULL, &err), CD_USAGE);
	assert_int_equal(ops_call_mark(&o, appt, "visit", "done", NULL, &err), CD_USAGE);
	assert_int_equal(ops_call_mark(&o, appt, kind, "done", "bell\a", &err), CD_USAGE);
	assert_int_equal(ops_call_mark(&o, 99999999, kind, "done", NULL, &err), CD_REFUSED);
	assert_no_transaction(o.db);
	assert_int_equal(sql_number(f->path, "SELECT count(*) FROM call_outcomes"), 2);
	assert_int_equal(sql_number(f->path, "SELECT count(*) FROM audit"
	    " WHERE tbl = 'call_outcomes'"), 2);
	audit_ok(o.db, NULL);
	ops_close(&o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_init_first_admin, unit_fixture_setup, unit_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_open_use_missing, unit_fixture_setup, unit_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_init_by_non_admin, unit_fixture_setup, unit_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_patient_add, unit_fixture_setup, unit_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_patient_add_duplicate_mrn, unit_fixture_setup, unit_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_patient_edit, unit_fixture_setup, unit_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_refused_changes_nothing, unit_fixture_setup, unit_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_patient_dob_edges, unit_fixture_setup, unit_fixture_teardown),
		cmocka_unit_test(test_ops_require),
		cmocka_unit_test_setup_teardown(test_permissions, unit_fixture_setup, unit_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_roles_reloaded_in_transaction, unit_fixture_setup, unit_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_staff_disable_enable, unit_fixture_setup, unit_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_demo_deterministic, unit_fixture_setup, unit_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_call_mark, unit_fixture_setup, unit_fixture_teardown),
	};

	unit_fixed_env();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
