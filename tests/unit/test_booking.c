/* test_booking.c - booking whole treatment cycles and changing their
 * visits through src/ops, on a real SQLite file: the clinic (a Berlin
 * site, its rooms and clinician, two patients) is set up through the ops
 * functions, and the clock is the test's own, starting at
 * 2026-03-01T09:00:00Z. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "core/localtime.h"
#include "core/protocol.h"
#include "core/strbuf.h"
#include "ops/ops.h"
#include "unit_util.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* --- the test's clock --- */

static int64_t now_ms;

static int64_t
test_clock(void)
{
	return now_ms;
}

static void
set_now(const char *utc_text)
{
	int64_t t;

	if (!utc_parse(utc_text, &t))
		fail_msg("not UTC text: %s", utc_text);
	now_ms = t * 1000;
}

/* --- reading the database from outside --- */

/* Every table's rows, in storage order, through a separate connection. */
static char *
dump(const char *path)
{
	struct strbuf b = STRBUF_INIT;
	sqlite3 *h = NULL;
	sqlite3_stmt *tables = NULL, *rows = NULL;
	char sql[256];
	int i, cols;

	assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, "SELECT name FROM sqlite_schema WHERE type = 'table'"
	    " ORDER BY name", -1, &tables, NULL), SQLITE_OK);
	while (sqlite3_step(tables) == SQLITE_ROW) {
		snprintf(sql, sizeof sql, "SELECT * FROM \"%s\"", sqlite3_column_text(tables, 0));
		assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &rows, NULL), SQLITE_OK);
		cols = sqlite3_column_count(rows);
		strbuf_addf(&b, "== %s\n", sqlite3_column_text(tables, 0));
		while (sqlite3_step(rows) == SQLITE_ROW) {
			for (i = 0; i < cols; i++) {
				strbuf_addf(&b, "%d:", sqlite3_column_type(rows, i));
				strbuf_add(&b, sqlite3_column_blob(rows, i) ? sqlite3_column_blob(rows, i) : "",
				    (size_t)sqlite3_column_bytes(rows, i));
				strbuf_addc(&b, '|');
			}
			strbuf_addc(&b, '\n');
		}
		sqlite3_finalize(rows);
	}
	sqlite3_finalize(tables);
	sqlite3_close(h);
	return b.s;
}

/* The rows of a query as "a|b|c\n" lines (NULL as "NULL"). */
static char *
query(const char *path, const char *sql)
{
	struct strbuf b = STRBUF_INIT;
	sqlite3 *h = NULL;
	sqlite3_stmt *s = NULL;
	int i, rc;

	assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	if (sqlite3_prepare_v2(h, sql, -1, &s, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(h));
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		for (i = 0; i < sqlite3_column_count(s); i++) {
			const unsigned char *t = sqlite3_column_text(s, i);

			strbuf_addf(&b, "%s%s", i ? "|" : "", t ? (const char *)t : "NULL");
		}
		strbuf_addc(&b, '\n');
	}
	assert_int_equal(rc, SQLITE_DONE);
	sqlite3_finalize(s);
	sqlite3_close(h);
	return b.s != NULL ? b.s : strdup("");
}

static void
assert_query(const char *path, const char *sql, const char *want)
{
	char *got = query(path, sql);

	if (strcmp(got, want) != 0)
		fail_msg("%s\ngot:\n%s\nwant:\n%s", sql, got, want);
	free(got);
}

/* Runs sql on its own connection; the SQLite result code, and the
 * message into msg. */
static int
sql_try(const char *path, const char *sql, char *msg, size_t n)
{
	sqlite3 *h = NULL;
	char *m = NULL;
	int rc;

	assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	rc = sqlite3_exec(h, sql, NULL, NULL, &m);
	snprintf(msg, n, "%s", m != NULL ? m : "");
	sqlite3_free(m);
	sqlite3_close(h);
	return rc;
}

static int64_t
audit_ok(struct db *db)
{
	struct db_audit_verdict v;
	struct cd_err err;

	if (db_audit_verify(db, &v, &err) != CD_OK)
		fail_msg("db_audit_verify: %s", err.msg);
	if (v.broken_seq != 0)
		fail_msg("the audit chain is broken at %lld: %s", (long long)v.broken_seq, v.what);
	return v.records;
}

static void
assert_no_transaction(struct db *db)
{
	struct cd_err err;

	if (db_begin(db, &err) != CD_OK)
		fail_msg("a transaction was left open: %s", err.msg);
	db_rollback(db);
}

/* No resource and no patient held twice at once: the overlap the
 * database must never hold (without an override). */
static void
assert_no_overlap(const char *path)
{
	assert_query(path, "SELECT x.appointment_id, y.appointment_id, x.resource_id"
	    " FROM appointment_resources x JOIN appointment_resources y"
	    " ON x.resource_id = y.resource_id AND x.appointment_id < y.appointment_id"
	    " WHERE x.held = 1 AND y.held = 1 AND x.override IS NULL AND y.override IS NULL"
	    " AND x.starts_at < y.ends_at AND y.starts_at < x.ends_at", "");
	assert_query(path, "SELECT x.id, y.id FROM appointments x JOIN appointments y"
	    " ON x.patient_id = y.patient_id AND x.id < y.id"
	    " WHERE x.held = 1 AND y.held = 1 AND x.step <> 'call' AND y.step <> 'call'"
	    " AND x.override IS NULL AND y.override IS NULL"
	    " AND x.starts_at < y.ends_at AND y.starts_at < x.ends_at", "");
}

/* --- the clinic --- */

static const struct ops_patient anna = { "B-0001", "Anna Schmidt", "1961-04-02",
	"+49 30 1234567", "Berlin", "de", "hip osteoarthritis", NULL };
static const struct ops_patient jonas = { "B-0002", "Jonas Becker", "1958-11-20",
	"+49 30 7654321", "Berlin", "de", "hip osteoarthritis", NULL };

/* What init and the set-up below record: the first admin, the installed
 * protocols, a site, four resources, two patients. */
static int64_t
setup_records(void)
{
	int64_t n = 0;

	while (protocol_defaults[n] != NULL)
		n++;
	return 1 + n + 1 + 4 + 2;
}

static void
must(enum cd_status st, const char *what, const struct cd_err *err)
{
	if (st != CD_OK)
		fail_msg("%s: %s", what, err->msg);
}

/* A new clinic in f->path: Berlin (mon-fri 08:00-18:00) with one
 * injection room, a procedure room, an MRI suite and one clinician. */
static void
open_clinic(const struct unit_fixture *f, struct ops *o)
{
	struct ops_init_result res;
	struct cd_err err;

	set_now("2026-03-01T09:00:00Z");
	must(ops_open(o, f->path, OPS_OPEN_SETUP, &err), "ops_open", &err);
	o->clock_ms = test_clock;
	must(ops_init(o, &res, &err), "ops_init", &err);
	must(ops_site_add(o, "Berlin", "Europe/Berlin", "mon-fri 08:00-18:00", &err), "site",
	    &err);
	must(ops_resource_add(o, "Injection room A", "Berlin", "room", "injection, ultrasound",
	    &err), "room A", &err);
	must(ops_resource_add(o, "Procedure room 1", "Berlin", "room", "harvest, procedure",
	    &err), "procedure room", &err);
	must(ops_resource_add(o, "MRI suite", "Berlin", "room", "imaging, mri", &err), "MRI",
	    &err);
	must(ops_resource_add(o, "Dr Anna Weber", "Berlin", "clinician", NULL, &err),
	    "clinician", &err);
	must(ops_patient_add(o, &anna, &err), "patient", &err);
	must(ops_patient_add(o, &jonas, &err), "patient", &err);
	assert_int_equal(audit_ok(o->db), setup_records());
}

/* A one-course protocol whose injection has no window: one day only. */
static const char single_json[] = "{\"name\": \"single-1\", \"source\": \"autologous\","
    " \"courses\": 1, \"steps\": [{\"step\": \"injection\", \"anchor\": \"each\","
    " \"window\": [0, 0], \"minutes\": 60,"
    " \"needs\": [\"room:injection\", \"clinician\"]}]}";

/* The visits ops hand out, copied. */
struct row {
	int64_t id;
	int course;
	char step[16];
	char start[26], end[26], before[26];
	char res[256];
	char note[160];
	bool overlaps;
};
struct rows {
	int n;
	struct row v[64];
};

static enum cd_status
take_row(void *ctx, const struct ops_visit_row *r, struct cd_err *err)
{
	struct rows *rs = ctx;
	struct row *o = &rs->v[rs->n++];

	(void)err;
	assert_true(rs->n <= (int)LEN(rs->v));
	o->id = r->id;
	o->course = r->course;
	snprintf(o->step, sizeof o->step, "%s", r->step);
	memcpy(o->start, r->start, sizeof o->start);
	memcpy(o->end, r->end, sizeof o->end);
	memcpy(o->before, r->before, sizeof o->before);
	snprintf(o->res, sizeof o->res, "%s", r->resources);
	snprintf(o->note, sizeof o->note, "%s", r->note != NULL ? r->note : "");
	o->overlaps = r->overlaps;
	return CD_OK;
}

static const struct row *
row_of(const struct rows *rs, const char *step, int course, int nth)
{
	int i;

	for (i = 0; i < rs->n; i++) {
		if (strcmp(rs->v[i].step, step) == 0 && rs->v[i].course == course && nth-- == 0)
			return &rs->v[i];
	}
	fail_msg("no %s of course %d among the rows", step, course);
	return NULL;
}

static struct ops_book
hip(const char *mrn, const char *start, const char *time)
{
	struct ops_book b;

	memset(&b, 0, sizeof b);
	b.patient = mrn;
	b.protocol = "hip-autologous-4";
	b.start = start;
	b.time = time;
	return b;
}

static int64_t
book(struct ops *o, const struct ops_book *b, struct rows *rs)
{
	struct cd_err err;
	int64_t cycle;

	memset(rs, 0, sizeof *rs);
	memset(&err, 0, sizeof err);
	if (ops_course_book(o, b, take_row, rs, &cycle, &err) != CD_OK)
		fail_msg("ops_course_book: %s", err.msg);
	return cycle;
}

/* --- booking --- */

/* The issue's example: Anna, hip, autologous, 4 courses at Berlin, the
 * first injection on 2026-03-16 at 10:00 and the next on 2026-03-30 at
 * 10:00, across the change to summer time; every visit is written with
 * its audit record. */
static void
test_book_issue_example(void **state)
{
	static const struct {
		const char *step;
		int course;
		const char *start, *end, *res, *note;
	} want[] = {
		{ "call", 0, "2026-03-02T08:00:00+01:00", "2026-03-02T08:10:00+01:00", "",
		    "stop anti-inflammatory and blood-thinning drugs" },
		{ "harvest", 0, "2026-03-09T10:00:00+01:00", "2026-03-09T10:30:00+01:00",
		    "Procedure room 1, Dr Anna Weber", "local anaesthesia; bone marrow or adipose" },
		{ "injection", 1, "2026-03-16T10:00:00+01:00", "2026-03-16T11:00:00+01:00",
		    "Injection room A, Dr Anna Weber", "48 h relative rest; no NSAIDs for 6 weeks" },
		{ "injection", 2, "2026-03-30T10:00:00+02:00", "2026-03-30T11:00:00+02:00",
		    "Injection room A, Dr Anna Weber", "48 h relative rest; no NSAIDs for 6 weeks" },
		{ "injection", 3, "2026-04-13T10:00:00+02:00", "2026-04-13T11:00:00+02:00",
		    "Injection room A, Dr Anna Weber", "48 h relative rest; no NSAIDs for 6 weeks" },
		{ "injection", 4, "2026-04-27T10:00:00+02:00", "2026-04-27T11:00:00+02:00",
		    "Injection room A, Dr Anna Weber", "48 h relative rest; no NSAIDs for 6 weeks" },
		{ "followup", 0, "2026-05-11T10:00:00+02:00", "2026-05-11T10:20:00+02:00",
		    "Dr Anna Weber", "" },
		{ "followup", 0, "2026-06-08T10:00:00+02:00", "2026-06-08T10:20:00+02:00",
		    "Dr Anna Weber", "" },
		{ "followup", 0, "2026-07-20T10:00:00+02:00", "2026-07-20T10:20:00+02:00",
		    "Dr Anna Weber", "" },
		{ "imaging", 0, "2026-07-27T10:00:00+02:00", "2026-07-27T10:30:00+02:00",
		    "MRI suite", "" },
		{ "imaging", 0, "2026-10-26T10:00:00+01:00", "2026-10-26T10:30:00+01:00",
		    "MRI suite", "" },
	};
	struct unit_fixture *f = *state;
	struct ops_book b = hip("B-0001", "2026-03-16", "10:00");
	struct rows rs, dry;
	struct ops o;
	struct cd_err err;
	char *before, *after, *got, sql[256];
	int64_t cycle;
	size_t i;
	int j;

	open_clinic(f, &o);

	/* a dry run shows the plan and writes nothing */
	b.dry_run = true;
	before = dump(f->path);
	memset(&dry, 0, sizeof dry);
	assert_int_equal(ops_course_book(&o, &b, take_row, &dry, &cycle, &err), CD_OK);
	assert_int_equal(cycle, 0);
	after = dump(f->path);
	assert_string_equal(before, after);
	free(before);
	free(after);
	assert_int_equal(dry.n, (int)LEN(want));

	b.dry_run = false;
	cycle = book(&o, &b, &rs);
	assert_true(cycle > 0);
	assert_int_equal(rs.n, (int)LEN(want));
	for (i = 0; i < LEN(want); i++) {
		const struct row *r = &rs.v[i];

		if (strcmp(r->step, want[i].step) != 0 || r->course != want[i].course)
			fail_msg("row %zu is the %s of course %d, want the %s of course %d", i, r->step,
			    r->course, want[i].step, want[i].course);
		assert_string_equal(r->start, want[i].start);
		assert_string_equal(r->end, want[i].end);
		assert_string_equal(r->res, want[i].res);
		assert_string_equal(r->note, want[i].note);
		assert_string_equal(r->before, "");
		assert_false(r->overlaps);
		assert_true(r->id > 0);
		for (j = 0; j < (int)i; j++)
			assert_true(rs.v[j].id != r->id);
		/* the dry run planned the same */
		assert_string_equal(dry.v[i].start, r->start);
		assert_int_equal(dry.v[i].id, 0);
	}
	assert_no_transaction(o.db);

	/* stored in UTC with the site's zone and local day */
	snprintf(sql, sizeof sql, "SELECT id, patient_id, protocol_id, site_id, source, courses,"
	    " gap_days, status, reason FROM cycles WHERE id = %lld", (long long)cycle);
	got = query(f->path, sql);
	assert_non_null(strstr(got, "|autologous|4|14|active|NULL\n"));
	free(got);
	snprintf(sql, sizeof sql, "SELECT coalesce(course, '-'), step, tz, local_day, starts_at,"
	    " ends_at, status, held, override FROM appointments WHERE cycle_id = %lld"
	    " AND step = 'injection' ORDER BY starts_at", (long long)cycle);
	assert_query(f->path, sql,
	    "1|injection|Europe/Berlin|2026-03-16|2026-03-16T09:00:00Z|2026-03-16T10:00:00Z|booked|1|NULL\n"
	    "2|injection|Europe/Berlin|2026-03-30|2026-03-30T08:00:00Z|2026-03-30T09:00:00Z|booked|1|NULL\n"
	    "3|injection|Europe/Berlin|2026-04-13|2026-04-13T08:00:00Z|2026-04-13T09:00:00Z|booked|1|NULL\n"
	    "4|injection|Europe/Berlin|2026-04-27|2026-04-27T08:00:00Z|2026-04-27T09:00:00Z|booked|1|NULL\n");
	snprintf(sql, sizeof sql, "SELECT count(*), sum(course IS NULL) FROM appointments"
	    " WHERE cycle_id = %lld", (long long)cycle);
	assert_query(f->path, sql, "11|7\n");
	/* the resources each holds, with its times */
	assert_query(f->path, "SELECT count(*), sum(ar.starts_at = a.starts_at AND"
	    " ar.ends_at = a.ends_at AND ar.held = 1) FROM appointment_resources ar"
	    " JOIN appointments a ON a.id = ar.appointment_id", "15|15\n");

	/* the cycle and every visit are in the audit trail, which verifies */
	assert_int_equal(audit_ok(o.db), setup_records() + 1 + 11);
	got = query(f->path, "SELECT action, row_key, reason, old IS NULL, new IS NOT NULL"
	    " FROM audit WHERE tbl = 'cycles'");
	snprintf(sql, sizeof sql, "book|%lld|NULL|1|1\n", (long long)cycle);
	assert_string_equal(got, sql);
	free(got);
	got = query(f->path, "SELECT group_concat(row_key, ',') FROM (SELECT row_key FROM audit"
	    " WHERE tbl = 'appointments' AND action = 'book' AND old IS NULL ORDER BY seq)");
	{
		struct strbuf ids = STRBUF_INIT;

		for (i = 0; i < LEN(want); i++)
			strbuf_addf(&ids, "%s%lld", i ? "," : "", (long long)rs.v[i].id);
		strbuf_addc(&ids, '\n');
		/* one record per visit, whatever the order they were written in */
		assert_int_equal(strlen(got), strlen(strbuf_str(&ids)));
		for (i = 0; i < LEN(want); i++) {
			char key[32];

			snprintf(key, sizeof key, "%lld", (long long)rs.v[i].id);
			assert_non_null(strstr(got, key));
		}
		strbuf_free(&ids);
	}
	free(got);
	/* the audit record of a visit holds the visit as stored */
	snprintf(sql, sizeof sql, "SELECT json_extract(new, '$.starts_at'),"
	    " json_extract(new, '$.tz'), json_extract(new, '$.step') FROM audit"
	    " WHERE tbl = 'appointments' AND row_key = '%lld'", (long long)row_of(&rs, "injection",
	    2, 0)->id);
	assert_query(f->path, sql, "2026-03-30T08:00:00Z|Europe/Berlin|injection\n");
	assert_no_overlap(f->path);
	ops_close(&o);
}

/* Refusals: a sentence, the right status, and nothing written. */
static void
test_book_refusals(void **state)
{
	static const struct {
		const char *what, *patient, *protocol, *start, *time, *site, *source;
		int courses, gap;
		bool force;
		const char *reason;
		enum cd_status want;
		const char *says;
	} cases[] = {
		{ "unknown patient", "B-404", "hip-autologous-4", "2026-03-16", "10:00", NULL, NULL,
		    0, 0, false, NULL, CD_REFUSED, "B-404" },
		{ "unknown protocol", "B-0001", "elbow-9", "2026-03-16", "10:00", NULL, NULL, 0, 0,
		    false, NULL, CD_REFUSED, "no protocol called 'elbow-9'" },
		{ "unknown site", "B-0001", "hip-autologous-4", "2026-03-16", "10:00", "Odesa", NULL,
		    0, 0, false, NULL, CD_REFUSED, "Odesa" },
		{ "a date that does not exist", "B-0001", "hip-autologous-4", "2026-02-30", NULL,
		    NULL, NULL, 0, 0, false, NULL, CD_USAGE, "2026-02-30" },
		{ "a time that is not one", "B-0001", "hip-autologous-4", "2026-03-16", "25:00",
		    NULL, NULL, 0, 0, false, NULL, CD_USAGE, "--time" },
		{ "a start in the past", "B-0001", "hip-autologous-4", "2026-02-27", "10:00", NULL,
		    NULL, 0, 0, false, NULL, CD_REFUSED, "in the past" },
		{ "a closed day", "B-0001", "hip-autologous-4", "2026-03-21", "10:00", NULL, NULL, 0,
		    0, false, NULL, CD_REFUSED, "closed on 2026-03-21" },
		{ "donor cells for an autologous protocol", "B-0001", "hip-autologous-4",
		    "2026-03-16", "10:00", NULL, "donor", 0, 0, false, NULL, CD_REFUSED,
		    "autologous cells only" },
		{ "9 courses", "B-0001", "hip-autologous-4", "2026-03-16", "10:00", NULL, NULL, 9, 0,
		    false, NULL, CD_USAGE, "--courses" },
		{ "a gap below the minimum", "B-0001", "hip-autologous-4", "2026-03-16", "10:00",
		    NULL, NULL, 0, 10, false, NULL, CD_REFUSED, "at least 14 days" },
		{ "--force without a reason", "B-0001", "hip-autologous-4", "2026-03-16", "10:00",
		    NULL, NULL, 0, 0, true, NULL, CD_USAGE, "--reason" },
		{ "too close for the medication-stop call", "B-0001", "hip-autologous-4",
		    "2026-03-09", "10:00", NULL, NULL, 0, 0, false, NULL, CD_REFUSED,
		    "the call 14 days before the first course" },
	};
	struct unit_fixture *f = *state;
	struct ops o;
	struct cd_err err;
	struct rows rs;
	struct ops_book b;
	char *before, *after;
	int64_t cycle;
	enum cd_status st;
	size_t i;

	open_clinic(f, &o);
	before = dump(f->path);
	for (i = 0; i < LEN(cases); i++) {
		memset(&b, 0, sizeof b);
		b.patient = cases[i].patient;
		b.protocol = cases[i].protocol;
		b.start = cases[i].start;
		b.time = cases[i].time;
		b.site = cases[i].site;
		b.source = cases[i].source;
		b.courses = cases[i].courses;
		b.gap_days = cases[i].gap;
		b.force = cases[i].force;
		b.reason = cases[i].reason;
		memset(&rs, 0, sizeof rs);
		memset(&err, 0, sizeof err);
		cycle = -1;
		st = ops_course_book(&o, &b, take_row, &rs, &cycle, &err);
		if (st != cases[i].want)
			fail_msg("%s: status %d, want %d (%s)", cases[i].what, st, cases[i].want,
			    err.msg);
		if (strstr(err.msg, cases[i].says) == NULL)
			fail_msg("%s: \"%s\" should say \"%s\"", cases[i].what, err.msg, cases[i].says);
		assert_int_equal(rs.n, 0);
		assert_int_equal(cycle, 0);
		assert_no_transaction(o.db);
		after = dump(f->path);
		if (strcmp(before, after) != 0)
			fail_msg("%s: the refused booking changed the database", cases[i].what);
		free(after);
	}
	free(before);
	ops_close(&o);
}

/* The one slot of a single room: the second patient's booking is
 * refused and writes nothing; a cycle that can go later does, without
 * overlapping. */
static void
test_book_same_slot(void **state)
{
	struct unit_fixture *f = *state;
	struct ops_book b;
	struct rows rs;
	struct ops o;
	struct cd_err err;
	char *before, *after;
	int64_t cycle;

	open_clinic(f, &o);
	must(ops_protocol_add(&o, single_json, &err), "protocol add", &err);
	must(ops_resource_hours(&o, "Injection room A", "Berlin", "mon-fri 10:00-11:00", &err),
	    "resource hours", &err);
	memset(&b, 0, sizeof b);
	b.patient = "B-0001";
	b.protocol = "single-1";
	b.start = "2026-03-16";
	b.time = "10:00";
	book(&o, &b, &rs);
	assert_int_equal(rs.n, 1);
	assert_string_equal(rs.v[0].start, "2026-03-16T10:00:00+01:00");

	b.patient = "B-0002";
	before = dump(f->path);
	memset(&rs, 0, sizeof rs);
	memset(&err, 0, sizeof err);
	assert_int_equal(ops_course_book(&o, &b, take_row, &rs, &cycle, &err), CD_REFUSED);
	assert_non_null(strstr(err.msg, "cannot place the course 1 injection on 2026-03-16 at"
	    " Berlin"));
	assert_non_null(strstr(err.msg, "no free room with injection"));
	assert_int_equal(rs.n, 0);
	assert_int_equal(cycle, 0);
	assert_no_transaction(o.db);
	after = dump(f->path);
	assert_string_equal(before, after);
	free(before);
	free(after);
	/* nor is it there when the room's hours are asked another way */
	b.time = NULL;
	assert_int_equal(ops_course_book(&o, &b, take_row, &rs, &cycle, &err), CD_REFUSED);
	assert_no_overlap(f->path);
	ops_close(&o);
}

/* Two hip cycles from the same morning: the second patient's visits go
 * to times when the room and the clinician are free. */
static void
test_book_second_patient_later(void **state)
{
	struct unit_fixture *f = *state;
	struct ops_book b1 = hip("B-0001", "2026-03-16", "10:00");
	struct ops_book b2 = hip("B-0002", "2026-03-16", "10:00");
	struct rows r1, r2;
	struct ops o;

	open_clinic(f, &o);
	book(&o, &b1, &r1);
	book(&o, &b2, &r2);
	assert_string_equal(row_of(&r2, "injection", 1, 0)->start, "2026-03-16T11:00:00+01:00");
	assert_string_equal(row_of(&r2, "injection", 2, 0)->start, "2026-03-30T11:00:00+02:00");
	assert_string_equal(row_of(&r2, "harvest", 0, 0)->start, "2026-03-09T11:00:00+01:00");
	assert_no_overlap(f->path);
	assert_int_equal(audit_ok(o.db), setup_records() + 2 * 12);
	ops_close(&o);
}

/* --force (an admin or clinician, with a reason) books or moves over
 * another booking when no free time is left; the override is on the
 * visit and in the audit trail. A front desk may not. */
static void
test_book_force(void **state)
{
	struct unit_fixture *f = *state;
	struct ops_book b;
	struct ops_move m;
	struct rows r1, r2;
	struct ops o;
	struct cd_err err;
	char sql[512], *before, *after;
	int64_t cycle, records;
	int moved;

	open_clinic(f, &o);
	must(ops_protocol_add(&o, single_json, &err), "protocol add", &err);
	must(ops_resource_hours(&o, "Injection room A", "Berlin", "mon-fri 10:00-11:00", &err),
	    "resource hours", &err);
	memset(&b, 0, sizeof b);
	b.patient = "B-0001";
	b.protocol = "single-1";
	b.start = "2026-03-16";
	b.time = "10:00";
	book(&o, &b, &r1);
	assert_false(r1.v[0].overlaps);
	b.patient = "B-0002";
	b.force = true;
	b.reason = "urgent: flying home on the 17th";
	book(&o, &b, &r2);
	assert_int_equal(r2.n, 1);
	assert_string_equal(r2.v[0].start, "2026-03-16T10:00:00+01:00");
	assert_string_equal(r2.v[0].res, "Injection room A, Dr Anna Weber");
	assert_true(r2.v[0].overlaps);
	snprintf(sql, sizeof sql, "SELECT override FROM appointments WHERE id = %lld",
	    (long long)r2.v[0].id);
	assert_query(f->path, sql, "urgent: flying home on the 17th\n");
	snprintf(sql, sizeof sql, "SELECT count(*), min(override) FROM appointment_resources"
	    " WHERE appointment_id = %lld", (long long)r2.v[0].id);
	assert_query(f->path, sql, "2|urgent: flying home on the 17th\n");
	snprintf(sql, sizeof sql, "SELECT action, reason, json_extract(new, '$.override') FROM"
	    " audit WHERE tbl = 'appointments' AND row_key = '%lld'", (long long)r2.v[0].id);
	assert_query(f->path, sql,
	    "book|urgent: flying home on the 17th|urgent: flying home on the 17th\n");
	assert_int_equal(audit_ok(o.db), setup_records() + 2 + 2 * 2);

	/* moving: Anna on the 18th, Jonas on the 19th, then Jonas onto her slot */
	b.force = false;
	b.reason = NULL;
	b.patient = "B-0001";
	b.start = "2026-03-18";
	book(&o, &b, &r1);
	b.patient = "B-0002";
	b.start = "2026-03-19";
	book(&o, &b, &r2);
	records = audit_ok(o.db);
	memset(&m, 0, sizeof m);
	m.id = r2.v[0].id;
	m.to = "2026-03-18 10:00";
	before = dump(f->path);
	memset(&err, 0, sizeof err);
	assert_int_equal(ops_appt_move(&o, &m, take_row, &r2, &moved, &err), CD_REFUSED);
	assert_non_null(strstr(err.msg, "no free room with injection"));
	after = dump(f->path);
	assert_string_equal(before, after);
	free(after);
	m.force = true;
	m.reason = "only day the interpreter can come";
	memset(&r2, 0, sizeof r2);
	must(ops_appt_move(&o, &m, take_row, &r2, &moved, &err), "forced move", &err);
	assert_int_equal(moved, 1);
	assert_true(r2.v[0].overlaps);
	assert_string_equal(r2.v[0].start, "2026-03-18T10:00:00+01:00");
	snprintf(sql, sizeof sql, "SELECT override, starts_at FROM appointments WHERE id = %lld",
	    (long long)m.id);
	assert_query(f->path, sql, "only day the interpreter can come|2026-03-18T09:00:00Z\n");
	snprintf(sql, sizeof sql, "SELECT action, reason FROM audit WHERE tbl = 'appointments'"
	    " AND row_key = '%lld' ORDER BY seq DESC LIMIT 1", (long long)m.id);
	assert_query(f->path, sql, "move|only day the interpreter can come\n");
	assert_int_equal(audit_ok(o.db), records + 1);
	free(before);
	ops_close(&o);

	/* a front desk cannot force */
	sql_try(f->path, "UPDATE staff SET roles = 'frontdesk'", sql, sizeof sql);
	must(ops_open(&o, f->path, OPS_OPEN_USE, &err), "ops_open", &err);
	o.clock_ms = test_clock;
	before = dump(f->path);
	b.force = true;
	b.reason = "urgent";
	b.start = "2026-03-20";
	memset(&err, 0, sizeof err);
	assert_int_equal(ops_course_book(&o, &b, take_row, &r2, &cycle, &err), CD_REFUSED);
	assert_non_null(strstr(err.msg, "(role frontdesk) may not allow a double booking"));
	m.to = "2026-03-16 10:00";
	memset(&err, 0, sizeof err);
	assert_int_equal(ops_appt_move(&o, &m, take_row, &r2, &moved, &err), CD_REFUSED);
	assert_non_null(strstr(err.msg, "(role frontdesk) may not allow a double booking"));
	after = dump(f->path);
	assert_string_equal(before, after);
	free(before);
	free(after);
	ops_close(&o);
}

/* test_ops.c: "Roles are read again inside each write transaction: a
 * colleague's change takes effect at once, whatever this session loaded
 * at start." That holds for the right to force a double booking too: an
 * admin demoted to front desk by another session cannot force any more,
 * whether booking or moving. */
static void
test_force_right_reloaded_in_transaction(void **state)
{
	struct unit_fixture *f = *state;
	struct ops_book b1 = hip("B-0001", "2026-03-16", "10:00");
	struct ops_book b2 = hip("B-0002", "2026-03-16", "10:00");
	struct ops_move m;
	struct rows r1, r2;
	struct ops o;
	struct cd_err err;
	char msg[256], book_msg[1024], *before, *after;
	enum cd_status st_book, st_move;
	struct ops o2;
	int64_t cycle;
	int moved;

	open_clinic(f, &o);
	book(&o, &b1, &r1);
	book(&o, &b2, &r2); /* Jonas at 11:00 */
	assert_string_equal(row_of(&r2, "injection", 1, 0)->start, "2026-03-16T11:00:00+01:00");
	/* a second session, open since before the change, for the move */
	must(ops_open(&o2, f->path, OPS_OPEN_USE, &err), "ops_open", &err);
	o2.clock_ms = test_clock;
	sql_try(f->path, "UPDATE staff SET roles = 'frontdesk'", msg, sizeof msg);
	before = dump(f->path);

	b2.force = true;
	b2.reason = "urgent";
	b2.start = "2026-04-20";
	memset(&err, 0, sizeof err);
	st_book = ops_course_book(&o, &b2, take_row, &r2, &cycle, &err);
	snprintf(book_msg, sizeof book_msg, "%s", err.msg);

	memset(&m, 0, sizeof m);
	m.id = row_of(&r2, "injection", 1, 0)->id;
	m.to = "2026-03-16 10:00";
	m.force = true;
	m.reason = "urgent";
	memset(&err, 0, sizeof err);
	st_move = ops_appt_move(&o2, &m, take_row, &r1, &moved, &err);
	if (st_book != CD_REFUSED || st_move != CD_REFUSED)
		fail_msg("BUG: a front desk (demoted in another session) may still force: booking"
		    " status %d (%s), moving status %d (%s)", st_book, book_msg, st_move, err.msg);
	assert_non_null(strstr(book_msg, "(role frontdesk) may not allow a double booking"));
	assert_non_null(strstr(err.msg, "(role frontdesk) may not allow a double booking"));
	assert_no_transaction(o.db);
	assert_no_transaction(o2.db);
	after = dump(f->path);
	assert_string_equal(before, after);
	free(before);
	free(after);
	ops_close(&o2);
	ops_close(&o);
}

/* --- changing visits --- */

static int
move_visit(struct ops *o, int64_t id, const char *to, bool this_only, bool dry_run,
    const char *reason, struct rows *rs, struct cd_err *err)
{
	struct ops_move m;
	int moved = -1;
	enum cd_status st;

	memset(&m, 0, sizeof m);
	m.id = id;
	m.to = to;
	m.this_only = this_only;
	m.dry_run = dry_run;
	m.reason = reason;
	memset(rs, 0, sizeof *rs);
	memset(err, 0, sizeof *err);
	st = ops_appt_move(o, &m, take_row, rs, &moved, err);
	if (st != CD_OK)
		return -(int)st;
	assert_int_equal(moved, rs->n);
	return moved;
}

/* Course 2 four days later: courses 3 and 4 and the follow-ups that
 * would leave their windows move with it, in one transaction with an
 * audit record each; --this-only refuses and writes nothing. */
static void
test_move_cascade_and_this_only(void **state)
{
	static const struct {
		const char *step;
		int course, nth;
		const char *before, *after;
	} want[] = {
		{ "injection", 2, 0, "2026-03-30T10:00:00+02:00", "2026-04-03T10:00:00+02:00" },
		{ "injection", 3, 0, "2026-04-13T10:00:00+02:00", "2026-04-17T10:00:00+02:00" },
		{ "injection", 4, 0, "2026-04-27T10:00:00+02:00", "2026-05-01T10:00:00+02:00" },
		{ "followup", 0, 0, "2026-05-11T10:00:00+02:00", "2026-05-15T10:00:00+02:00" },
		{ "followup", 0, 1, "2026-06-08T10:00:00+02:00", "2026-06-12T10:00:00+02:00" },
		{ "followup", 0, 2, "2026-07-20T10:00:00+02:00", "2026-07-24T10:00:00+02:00" },
	};
	struct unit_fixture *f = *state;
	struct ops_book b = hip("B-0001", "2026-03-16", "10:00");
	struct rows booked, moved;
	struct ops o;
	struct cd_err err;
	char *before, *after, sql[256];
	int64_t c2;
	size_t i;

	open_clinic(f, &o);
	book(&o, &b, &booked);
	c2 = row_of(&booked, "injection", 2, 0)->id;
	before = dump(f->path);

	/* --this-only: refused, nothing written */
	assert_int_equal(move_visit(&o, c2, "2026-04-03 10:00", true, false, NULL, &moved, &err),
	    -CD_REFUSED);
	assert_non_null(strstr(err.msg, "the course 3 injection would be less than 14 days after"
	    " the course before"));
	assert_int_equal(moved.n, 0);
	assert_no_transaction(o.db);
	/* a move that breaks nothing is fine with --this-only */
	if (move_visit(&o, row_of(&booked, "injection", 4, 0)->id, "2026-04-27 14:00", true,
	    true, NULL, &moved, &err) != 1)
		fail_msg("moving course 4 later that day: %s", err.msg);
	assert_string_equal(moved.v[0].before, "2026-04-27T10:00:00+02:00");
	assert_string_equal(moved.v[0].start, "2026-04-27T14:00:00+02:00");
	/* a dry run shows the moves and writes nothing */
	assert_int_equal(move_visit(&o, c2, "2026-04-03 10:00", false, true, NULL, &moved, &err),
	    (int)LEN(want));
	after = dump(f->path);
	assert_string_equal(before, after);
	free(before);
	free(after);

	assert_int_equal(move_visit(&o, c2, "2026-04-03 10:00", false, false,
	    "patient has a cold", &moved, &err), (int)LEN(want));
	for (i = 0; i < LEN(want); i++) {
		const struct row *r = row_of(&moved, want[i].step, want[i].course, want[i].nth);

		assert_string_equal(r->before, want[i].before);
		assert_string_equal(r->start, want[i].after);
		assert_int_equal(r->id, row_of(&booked, want[i].step, want[i].course,
		    want[i].nth)->id);
	}
	/* stored: the six moved, the imaging kept (still in its window) */
	assert_query(f->path, "SELECT step, coalesce(course, '-'), local_day, starts_at,"
	    " coalesce(reason, '-') FROM appointments ORDER BY starts_at",
	    "call|-|2026-03-02|2026-03-02T07:00:00Z|-\n"
	    "harvest|-|2026-03-09|2026-03-09T09:00:00Z|-\n"
	    "injection|1|2026-03-16|2026-03-16T09:00:00Z|-\n"
	    "injection|2|2026-04-03|2026-04-03T08:00:00Z|patient has a cold\n"
	    "injection|3|2026-04-17|2026-04-17T08:00:00Z|patient has a cold\n"
	    "injection|4|2026-05-01|2026-05-01T08:00:00Z|patient has a cold\n"
	    "followup|-|2026-05-15|2026-05-15T08:00:00Z|patient has a cold\n"
	    "followup|-|2026-06-12|2026-06-12T08:00:00Z|patient has a cold\n"
	    "followup|-|2026-07-24|2026-07-24T08:00:00Z|patient has a cold\n"
	    "imaging|-|2026-07-27|2026-07-27T08:00:00Z|-\n"
	    "imaging|-|2026-10-26|2026-10-26T09:00:00Z|-\n");
	assert_query(f->path, "SELECT count(*) FROM appointment_resources ar JOIN appointments a"
	    " ON a.id = ar.appointment_id WHERE ar.starts_at <> a.starts_at"
	    " OR ar.ends_at <> a.ends_at OR ar.held <> 1", "0\n");
	/* one audit record per moved visit, with the reason and both times */
	assert_int_equal(audit_ok(o.db), setup_records() + 12 + 6);
	assert_query(f->path, "SELECT count(*), min(reason), max(reason) FROM audit"
	    " WHERE action = 'move'", "6|patient has a cold|patient has a cold\n");
	snprintf(sql, sizeof sql, "SELECT json_extract(old, '$.starts_at'),"
	    " json_extract(new, '$.starts_at') FROM audit WHERE action = 'move'"
	    " AND row_key = '%lld'", (long long)c2);
	assert_query(f->path, sql, "2026-03-30T08:00:00Z|2026-04-03T08:00:00Z\n");
	assert_no_overlap(f->path);

	/* a visit that is not there */
	assert_int_equal(move_visit(&o, 9999, "2026-05-01 14:00", false, false, NULL, &moved,
	    &err), -CD_REFUSED);
	assert_non_null(strstr(err.msg, "9999"));
	ops_close(&o);
}

/* Anna's cycle with course 2 postponed four days (its window being 0-3
 * days after the nominal day): courses 3, 4 and the follow-ups moved. */
static void
book_postponed(const struct unit_fixture *f, struct ops *o, struct rows *booked)
{
	struct ops_book b = hip("B-0001", "2026-03-16", "10:00");
	struct rows moved;
	struct cd_err err;

	open_clinic(f, o);
	book(o, &b, booked);
	assert_int_equal(move_visit(o, row_of(booked, "injection", 2, 0)->id,
	    "2026-04-03 10:00", false, false, "patient has a cold", &moved, &err), 6);
}

/* A postponed course stays where it was put: course 4 later the same day
 * breaks no rule, so --this-only allows it. */
static void
test_move_after_postponement_this_only(void **state)
{
	struct unit_fixture *f = *state;
	struct rows booked, moved;
	struct ops o;
	struct cd_err err;

	book_postponed(f, &o, &booked);
	if (move_visit(&o, row_of(&booked, "injection", 4, 0)->id, "2026-05-01 14:00", true,
	    false, NULL, &moved, &err) != 1)
		fail_msg("BUG: moving course 4 within its day with --this-only: %s", err.msg);
	assert_string_equal(moved.v[0].start, "2026-05-01T14:00:00+02:00");
	ops_close(&o);
}

/* ... and the 6-week follow-up a day earlier, inside its window, moves
 * alone: the postponed courses are not moved back. */
static void
test_move_after_postponement_keeps_it(void **state)
{
	struct unit_fixture *f = *state;
	struct rows booked, moved;
	struct ops o;
	struct cd_err err;
	int n;

	book_postponed(f, &o, &booked);
	n = move_visit(&o, row_of(&booked, "followup", 0, 1)->id, "2026-06-11 10:00", false,
	    false, NULL, &moved, &err);
	if (n < 0)
		fail_msg("moving the 6-week follow-up a day: %s", err.msg);
	if (n != 1)
		fail_msg("BUG: moving the 6-week follow-up a day moved %d visits, the first the %s of"
		    " course %d from %s to %s", n, moved.v[0].step, moved.v[0].course,
		    moved.v[0].before, moved.v[0].start);
	assert_query(f->path, "SELECT local_day FROM appointments WHERE step = 'injection'"
	    " ORDER BY course", "2026-03-16\n2026-04-03\n2026-04-17\n2026-05-01\n");
	assert_no_overlap(f->path);
	ops_close(&o);
}

static enum cd_status
set_status(struct ops *o, int64_t id, const char *status, const char *reason,
    struct cd_err *err)
{
	memset(err, 0, sizeof *err);
	return ops_appt_status(o, id, status, reason, err);
}

static void
assert_status(const char *path, int64_t id, const char *want)
{
	char sql[128];

	snprintf(sql, sizeof sql, "SELECT status || '|' || held FROM appointments WHERE id = %lld",
	    (long long)id);
	assert_query(path, sql, want);
}

/* booked -> checked-in (on the day only) -> done (once begun); no-show
 * only once the time has come; a cancellation undone; and a slot taken
 * meanwhile cannot be taken back. */
static void
test_status_transitions(void **state)
{
	struct unit_fixture *f = *state;
	struct ops_book b = hip("B-0001", "2026-03-16", "10:00");
	struct ops_book other;
	struct rows rs, rs2;
	struct ops o;
	struct cd_err err;
	int64_t c1, c2, records;
	char *before, *after;

	open_clinic(f, &o);
	book(&o, &b, &rs);
	c1 = row_of(&rs, "injection", 1, 0)->id;
	c2 = row_of(&rs, "injection", 2, 0)->id;
	records = audit_ok(o.db);

	before = dump(f->path);
	assert_int_equal(set_status(&o, c1, "checked-in", NULL, &err), CD_REFUSED);
	assert_non_null(strstr(err.msg, "checks in on the day of the visit"));
	assert_int_equal(set_status(&o, c1, "done", NULL, &err), CD_REFUSED);
	assert_int_equal(set_status(&o, c2, "no-show", NULL, &err), CD_REFUSED);
	assert_non_null(strstr(err.msg, "only once the visit's time has come"));
	assert_int_equal(set_status(&o, c1, "finished", NULL, &err), CD_USAGE);
	assert_int_equal(set_status(&o, 9999, "done", NULL, &err), CD_REFUSED);
	assert_non_null(strstr(err.msg, "no visit 9999"));
	assert_no_transaction(o.db);
	after = dump(f->path);
	assert_string_equal(before, after);
	free(before);
	free(after);

	/* the morning of course 1: 09:30 in Berlin, the visit at 10:00 */
	set_now("2026-03-16T08:30:00Z");
	must(set_status(&o, c1, "checked-in", NULL, &err), "check in", &err);
	assert_status(f->path, c1, "checked-in|1\n");
	assert_int_equal(set_status(&o, c1, "done", NULL, &err), CD_REFUSED);
	assert_non_null(strstr(err.msg, "only once it has begun"));
	set_now("2026-03-16T09:40:00Z");
	must(set_status(&o, c1, "done", NULL, &err), "done", &err);
	assert_status(f->path, c1, "done|1\n");
	assert_int_equal(set_status(&o, c1, "booked", NULL, &err), CD_REFUSED);
	assert_int_equal(set_status(&o, c1, "cancelled-by-clinic", NULL, &err), CD_REFUSED);
	assert_status(f->path, c1, "done|1\n");

	/* course 2 cancelled by the patient, then booked again */
	must(set_status(&o, c2, "cancelled-by-patient", "flu", &err), "cancel", &err);
	assert_status(f->path, c2, "cancelled-by-patient|0\n");
	must(set_status(&o, c2, "booked", "better", &err), "rebook", &err);
	assert_status(f->path, c2, "booked|1\n");
	assert_int_equal(audit_ok(o.db), records + 4);
	assert_query(f->path, "SELECT json_extract(old, '$.status'), json_extract(new, '$.status'),"
	    " coalesce(reason, '-') FROM audit WHERE action = 'status' ORDER BY seq",
	    "booked|checked-in|-\nchecked-in|done|-\nbooked|cancelled-by-patient|flu\n"
	    "cancelled-by-patient|booked|better\n");

	/* cancelled again; Jonas takes the slot; Anna's visit cannot come back */
	must(set_status(&o, c2, "cancelled-by-clinic", "room maintenance", &err), "cancel",
	    &err);
	must(ops_protocol_add(&o, single_json, &err), "protocol add", &err);
	memset(&other, 0, sizeof other);
	other.patient = "B-0002";
	other.protocol = "single-1";
	other.start = "2026-03-30";
	other.time = "10:00";
	book(&o, &other, &rs2);
	assert_string_equal(rs2.v[0].start, "2026-03-30T10:00:00+02:00");
	before = dump(f->path);
	assert_int_equal(set_status(&o, c2, "booked", NULL, &err), CD_REFUSED);
	assert_non_null(strstr(err.msg, "already booked at that time"));
	assert_no_transaction(o.db);
	after = dump(f->path);
	assert_string_equal(before, after);
	free(before);
	free(after);
	assert_no_overlap(f->path);

	/* once Jonas's visit has begun without him: a no-show */
	set_now("2026-03-30T08:30:00Z");
	must(set_status(&o, rs2.v[0].id, "no-show", NULL, &err), "no-show", &err);
	assert_status(f->path, rs2.v[0].id, "no-show|0\n");
	ops_close(&o);
}

/* Cancelling a cycle halfway: the future visits are cancelled by the
 * clinic with the reason, the past keep their status, the cycle says
 * cancelled, and the freed slots can be booked. */
static void
test_cycle_cancel(void **state)
{
	struct unit_fixture *f = *state;
	struct ops_book b = hip("B-0001", "2026-03-16", "10:00");
	struct ops_book b2 = hip("B-0002", "2026-03-30", "10:00");
	struct rows rs, rs2;
	struct ops o;
	struct cd_err err;
	int64_t cycle, records;
	int cancelled = -1;
	char sql[256], *before, *after;

	open_clinic(f, &o);
	cycle = book(&o, &b, &rs);
	set_now("2026-03-16T09:30:00Z");
	must(set_status(&o, row_of(&rs, "injection", 1, 0)->id, "done", NULL, &err), "done",
	    &err);
	records = audit_ok(o.db);
	must(ops_cycle_cancel(&o, cycle, "patient moved abroad", &cancelled, &err), "cancel",
	    &err);
	assert_int_equal(cancelled, 8);
	assert_query(f->path, "SELECT step, coalesce(course, '-'), status, held,"
	    " coalesce(reason, '-') FROM appointments ORDER BY starts_at",
	    "call|-|booked|1|-\n"
	    "harvest|-|booked|1|-\n"
	    "injection|1|done|1|-\n"
	    "injection|2|cancelled-by-clinic|0|patient moved abroad\n"
	    "injection|3|cancelled-by-clinic|0|patient moved abroad\n"
	    "injection|4|cancelled-by-clinic|0|patient moved abroad\n"
	    "followup|-|cancelled-by-clinic|0|patient moved abroad\n"
	    "followup|-|cancelled-by-clinic|0|patient moved abroad\n"
	    "followup|-|cancelled-by-clinic|0|patient moved abroad\n"
	    "imaging|-|cancelled-by-clinic|0|patient moved abroad\n"
	    "imaging|-|cancelled-by-clinic|0|patient moved abroad\n");
	snprintf(sql, sizeof sql, "SELECT status, reason FROM cycles WHERE id = %lld",
	    (long long)cycle);
	assert_query(f->path, sql, "cancelled|patient moved abroad\n");
	assert_int_equal(audit_ok(o.db), records + 8 + 1);
	assert_query(f->path, "SELECT tbl, count(*) FROM audit WHERE action = 'cancel'"
	    " GROUP BY tbl ORDER BY tbl", "appointments|8\ncycles|1\n");

	/* once is enough */
	before = dump(f->path);
	assert_int_equal(ops_cycle_cancel(&o, cycle, "again", &cancelled, &err), CD_REFUSED);
	assert_non_null(strstr(err.msg, "already cancelled"));
	assert_int_equal(ops_cycle_cancel(&o, 9999, "nothing", &cancelled, &err), CD_REFUSED);
	/* a visit of a cancelled cycle is not booked again */
	assert_int_equal(set_status(&o, row_of(&rs, "injection", 2, 0)->id, "booked", NULL,
	    &err), CD_REFUSED);
	assert_non_null(strstr(err.msg, "cancelled"));
	assert_no_transaction(o.db);
	after = dump(f->path);
	assert_string_equal(before, after);
	free(before);
	free(after);

	/* Anna's course 2 slot is free again: Jonas gets it exactly */
	book(&o, &b2, &rs2);
	assert_string_equal(row_of(&rs2, "injection", 1, 0)->start, "2026-03-30T10:00:00+02:00");
	assert_no_overlap(f->path);
	ops_close(&o);
}

/* --- the schema's own guard --- */

/* Whatever the program does, the database refuses to hold an overlap:
 * a raw INSERT of a held resource row over a booked visit, or of a
 * patient's visit over another, fails in the triggers. */
static void
test_schema_refuses_overlap(void **state)
{
	struct unit_fixture *f = *state;
	struct ops_book b = hip("B-0001", "2026-03-16", "10:00");
	struct rows rs;
	struct ops o;
	char sql[1024], msg[256], *room, *before, *after;
	int64_t harvest, c2;

	open_clinic(f, &o);
	book(&o, &b, &rs);
	ops_close(&o);
	harvest = row_of(&rs, "harvest", 0, 0)->id;
	c2 = row_of(&rs, "injection", 2, 0)->id;
	room = query(f->path, "SELECT id FROM resources WHERE name = 'Injection room A'");
	room[strcspn(room, "\n")] = '\0';
	before = dump(f->path);

	/* room A over course 1 (09:00Z-10:00Z), held, no override */
	snprintf(sql, sizeof sql, "INSERT INTO appointment_resources(appointment_id, resource_id,"
	    " starts_at, ends_at, held, override) VALUES (%lld, %s, '2026-03-16T09:30:00Z',"
	    " '2026-03-16T10:30:00Z', 1, NULL)", (long long)harvest, room);
	assert_int_equal(sql_try(f->path, sql, msg, sizeof msg), SQLITE_CONSTRAINT);
	assert_string_equal(msg, "celldesk: the resource is already booked at that time");
	/* inside it, and covering it */
	snprintf(sql, sizeof sql, "INSERT INTO appointment_resources VALUES (%lld, %s,"
	    " '2026-03-16T09:10:00Z', '2026-03-16T09:20:00Z', 1, NULL)", (long long)harvest, room);
	assert_int_equal(sql_try(f->path, sql, msg, sizeof msg), SQLITE_CONSTRAINT);
	snprintf(sql, sizeof sql, "INSERT INTO appointment_resources VALUES (%lld, %s,"
	    " '2026-03-16T08:00:00Z', '2026-03-16T11:00:00Z', 1, NULL)", (long long)harvest, room);
	assert_int_equal(sql_try(f->path, sql, msg, sizeof msg), SQLITE_CONSTRAINT);
	/* an UPDATE that slides course 2's room over course 1 */
	snprintf(sql, sizeof sql, "UPDATE appointment_resources SET starts_at ="
	    " '2026-03-16T09:30:00Z', ends_at = '2026-03-16T10:30:00Z' WHERE appointment_id = %lld"
	    " AND resource_id = %s", (long long)c2, room);
	assert_int_equal(sql_try(f->path, sql, msg, sizeof msg), SQLITE_CONSTRAINT);
	assert_string_equal(msg, "celldesk: the resource is already booked at that time");
	/* the patient twice at once */
	snprintf(sql, sizeof sql, "INSERT INTO appointments(cycle_id, course, step, step_no,"
	    " patient_id, site_id, tz, local_day, starts_at, ends_at, status, held, created_at,"
	    " updated_at) SELECT cycle_id, NULL, 'followup', 3, patient_id, site_id, tz, local_day,"
	    " '2026-03-16T09:45:00Z', '2026-03-16T10:05:00Z', 'booked', 1, created_at, updated_at"
	    " FROM appointments WHERE id = %lld", (long long)harvest);
	assert_int_equal(sql_try(f->path, sql, msg, sizeof msg), SQLITE_CONSTRAINT);
	assert_string_equal(msg, "celldesk: the patient already has a visit at that time");
	after = dump(f->path);
	assert_string_equal(before, after);
	free(after);

	/* touching is not overlapping: right after course 1 is fine */
	snprintf(sql, sizeof sql, "INSERT INTO appointment_resources VALUES (%lld, %s,"
	    " '2026-03-16T10:00:00Z', '2026-03-16T10:30:00Z', 1, NULL)", (long long)harvest, room);
	assert_int_equal(sql_try(f->path, sql, msg, sizeof msg), SQLITE_OK);
	free(before);
	free(room);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_book_issue_example, unit_fixture_setup, unit_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_book_refusals, unit_fixture_setup, unit_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_book_same_slot, unit_fixture_setup, unit_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_book_second_patient_later, unit_fixture_setup, unit_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_book_force, unit_fixture_setup, unit_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_force_right_reloaded_in_transaction, unit_fixture_setup, unit_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_move_cascade_and_this_only, unit_fixture_setup, unit_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_move_after_postponement_this_only, unit_fixture_setup, unit_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_move_after_postponement_keeps_it, unit_fixture_setup, unit_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_status_transitions, unit_fixture_setup, unit_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_cycle_cancel, unit_fixture_setup, unit_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_schema_refuses_overlap, unit_fixture_setup, unit_fixture_teardown),
	};

	unit_fixed_env();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
