/* test_lab_apply.c - the lab's results taken in through src/ops on a real
 * SQLite file, without the network: pages built as the FHIR parser would
 * hand them over. A report's QC lands on its lot as "lab-sync"; the same
 * version taken twice changes nothing; an unknown lot, another patient or
 * a refused step goes to the review queue and changes nothing else; a
 * product moves its lot to quarantine with the lab's expiry; an order is
 * queued with every lot recorded. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "core/fhir.h"
#include "ops/ops.h"
#include "unit_util.h"

static const struct ops_patient anna = { "B-0001", "Anna Schmidt", "1961-04-02",
	"+49 30 1234567", "Berlin", "de", "hip osteoarthritis", NULL };
static const struct ops_patient jonas = { "B-0002", "Jonas Becker", "1958-11-20",
	"+49 30 7654321", "Berlin", "de", "hip osteoarthritis", NULL };

static void
must(enum cd_status st, const char *what, const struct cd_err *err)
{
	if (st != CD_OK)
		fail_msg("%s: %s", what, err->msg);
}

/* One number from the database, through a separate connection. */
static int64_t
count(const char *path, const char *sql)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *s = NULL;
	int64_t n = -1;

	assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(h);
	return n;
}

/* One text value, or "" (static buffer). */
static const char *
text(const char *path, const char *sql)
{
	static char buf[256];
	sqlite3 *h = NULL;
	sqlite3_stmt *s = NULL;

	buf[0] = '\0';
	assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0) != NULL)
		snprintf(buf, sizeof buf, "%s", sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	sqlite3_close(h);
	return buf;
}

/* A Berlin site, Anna and Jonas, and Anna's bone-marrow harvest
 * BM-0001 (collected). */
static void
open_clinic(const struct unit_fixture *f, struct ops *o)
{
	struct ops_init_result res;
	struct ops_lot_new lot;
	struct cd_err err;

	must(ops_open(o, f->path, OPS_OPEN_SETUP, &err), "ops_open", &err);
	o->clock_ms = unit_clock;
	must(ops_init(o, &res, &err), "ops_init", &err);
	must(ops_site_add(o, "Berlin", "Europe/Berlin", "mon-fri 08:00-18:00", &err), "site",
	    &err);
	must(ops_patient_add(o, &anna, &err), "anna", &err);
	must(ops_patient_add(o, &jonas, &err), "jonas", &err);
	memset(&lot, 0, sizeof lot);
	lot.id = "BM-0001";
	lot.kind = "autologous";
	lot.patient = "B-0001";
	lot.source = "bone-marrow";
	lot.volume_ml = NAN;
	lot.cells = NAN;
	must(ops_lot_add(o, &lot, &err), "lot add", &err);
}

static struct fhir_observation
observation(const char *id, const char *code, double value, const char *word)
{
	struct fhir_observation ob;

	memset(&ob, 0, sizeof ob);
	snprintf(ob.id, sizeof ob.id, "%s", id);
	snprintf(ob.status, sizeof ob.status, "final");
	snprintf(ob.code, sizeof ob.code, "%s", code);
	ob.numeric = word == NULL;
	ob.value = value;
	if (word != NULL)
		snprintf(ob.text, sizeof ob.text, "%s", word);
	return ob;
}

/* A final report on lot (by identifier) with results obs[0..n). */
static struct fhir_report
report(const char *id, const char *version, const char *updated, const char *lot,
    const struct fhir_observation *obs, size_t n)
{
	struct fhir_report r;
	size_t i;

	memset(&r, 0, sizeof r);
	snprintf(r.id, sizeof r.id, "%s", id);
	snprintf(r.version, sizeof r.version, "%s", version);
	snprintf(r.last_updated, sizeof r.last_updated, "%s", updated);
	snprintf(r.status, sizeof r.status, "final");
	r.n_specimen = 1;
	snprintf(r.specimen[0].system, sizeof r.specimen[0].system, "%s", FHIR_SYS_LOT);
	snprintf(r.specimen[0].value, sizeof r.specimen[0].value, "%s", lot);
	r.n_result = n;
	for (i = 0; i < n; i++)
		snprintf(r.result[i], sizeof r.result[i], "Observation/%s", obs[i].id);
	return r;
}

static void
apply_reports(struct ops *o, struct fhir_report *r, size_t n, struct fhir_observation *obs,
    size_t nobs, struct ops_lab_counts *c)
{
	struct fhir_page page, ob;
	struct cd_err err;

	memset(&page, 0, sizeof page);
	memset(&ob, 0, sizeof ob);
	page.total = -1;
	page.reports = r;
	page.n_reports = n;
	ob.observations = obs;
	ob.n_observations = nobs;
	memset(c, 0, sizeof *c);
	must(ops_lab_apply_page(o, "DiagnosticReport", &page, &ob, c, &err), "apply", &err);
}

static void
test_order_queued_with_lot(void **state)
{
	struct unit_fixture *f = *state;
	struct ops o;

	open_clinic(f, &o);
	assert_int_equal(count(f->path, "SELECT count(*) FROM outbox WHERE status = 'pending'"
	    " AND lot_id = (SELECT id FROM lots WHERE code = 'BM-0001')"), 1);
	assert_int_equal(count(f->path, "SELECT count(*) FROM outbox WHERE instr(bundle,"
	    " '\"ifNoneExist\":\"identifier=urn:celldesk:lot|BM-0001\"') > 0"), 1);
	ops_close(&o);
}

static void
test_report_applied_once(void **state)
{
	struct unit_fixture *f = *state;
	struct fhir_observation obs[2] = { observation("o1", "viability", 92.5, NULL),
		observation("o2", "sterility", 0, "negative") };
	struct fhir_report r = report("r1", "v1", "2026-11-21T10:00:00.100Z", "BM-0001", obs, 2);
	struct ops_lab_counts c;
	struct ops o;

	open_clinic(f, &o);
	apply_reports(&o, &r, 1, obs, 2, &c);
	assert_string_equal(text(f->path, "SELECT coalesce(group_concat(reason), '') FROM"
	    " sync_review"), "");
	assert_int_equal(c.applied, 1);
	assert_int_equal(c.review, 0);
	assert_int_equal(count(f->path, "SELECT count(*) FROM qc_results WHERE actor = 'lab-sync'"),
	    2);
	assert_string_equal(text(f->path, "SELECT text_value FROM qc_results WHERE test ="
	    " 'sterility'"), "negative");
	assert_int_equal(count(f->path, "SELECT count(*) FROM audit WHERE actor = 'lab-sync'"
	    " AND tbl = 'qc_results'"), 2);
	assert_string_equal(text(f->path, "SELECT last_updated FROM sync_cursors WHERE resource ="
	    " 'DiagnosticReport'"), "2026-11-21T10:00:00.100Z");
	/* The same version again: seen, nothing recorded twice. */
	apply_reports(&o, &r, 1, obs, 2, &c);
	assert_int_equal(c.seen, 1);
	assert_int_equal(c.applied, 0);
	assert_int_equal(count(f->path, "SELECT count(*) FROM qc_results"), 2);
	/* An amended version is a new result. */
	snprintf(r.version, sizeof r.version, "v2");
	obs[0].value = 91;
	snprintf(r.status, sizeof r.status, "amended");
	apply_reports(&o, &r, 1, obs, 2, &c);
	assert_int_equal(c.applied, 1);
	assert_int_equal(count(f->path, "SELECT count(*) FROM qc_results"), 4);
	assert_int_equal(count(f->path, "SELECT value FROM qc_results WHERE test = 'viability'"
	    " ORDER BY id DESC LIMIT 1"), 91);
	ops_close(&o);
}

static void
test_reports_for_review(void **state)
{
	struct unit_fixture *f = *state;
	struct fhir_observation obs[2] = { observation("o1", "viability", 92.5, NULL),
		observation("o2", "karyotype", 0, "normal") };
	struct fhir_report r[4];
	struct ops_lab_counts c;
	struct ops o;

	open_clinic(f, &o);
	r[0] = report("r1", "v1", "2026-11-21T10:00:00Z", "XX-9999", obs, 1);
	r[1] = report("r2", "v1", "2026-11-21T10:00:01Z", "BM-0001", obs, 1);
	snprintf(r[1].subject.system, sizeof r[1].subject.system, "%s", FHIR_SYS_MRN);
	snprintf(r[1].subject.value, sizeof r[1].subject.value, "B-0002");
	r[2] = report("r3", "v1", "2026-11-21T10:00:02Z", "BM-0001", obs, 2);
	r[3] = report("r4", "v1", "2026-11-21T10:00:03Z", "BM-0001", obs, 1);
	snprintf(r[3].result[0], sizeof r[3].result[0], "Observation/missing");
	apply_reports(&o, r, 4, obs, 2, &c);
	assert_int_equal(c.review, 4);
	assert_int_equal(c.applied, 0);
	assert_int_equal(count(f->path, "SELECT count(*) FROM qc_results"), 0);
	assert_int_equal(count(f->path, "SELECT count(*) FROM sync_review WHERE status = 'open'"),
	    4);
	assert_non_null(strstr(text(f->path, "SELECT reason FROM sync_review WHERE fhir_id = 'r1'"),
	    "XX-9999, which celldesk does not know"));
	assert_non_null(strstr(text(f->path, "SELECT reason FROM sync_review WHERE fhir_id = 'r2'"),
	    "chain of identity"));
	assert_non_null(strstr(text(f->path, "SELECT reason FROM sync_review WHERE fhir_id = 'r3'"),
	    "karyotype"));
	/* The cursor still moves past them: they are queued, not lost. */
	assert_string_equal(text(f->path, "SELECT last_updated FROM sync_cursors"),
	    "2026-11-21T10:00:03Z");
	ops_close(&o);
}

static void
apply_product(struct ops *o, const char *lot, const char *status, const char *expiry,
    struct ops_lab_counts *c)
{
	struct fhir_product p;
	struct fhir_page page;
	struct cd_err err;

	memset(&p, 0, sizeof p);
	snprintf(p.id, sizeof p.id, "p-%s-%s", lot, status);
	snprintf(p.version, sizeof p.version, "v1");
	snprintf(p.last_updated, sizeof p.last_updated, "2026-11-21T11:00:00Z");
	snprintf(p.status, sizeof p.status, "%s", status);
	snprintf(p.lot_code, sizeof p.lot_code, "%s", lot);
	snprintf(p.expiry, sizeof p.expiry, "%s", expiry);
	memset(&page, 0, sizeof page);
	page.products = &p;
	page.n_products = 1;
	memset(c, 0, sizeof *c);
	must(ops_lab_apply_page(o, "BiologicallyDerivedProduct", &page, NULL, c, &err), "apply",
	    &err);
}

static void
test_product_to_quarantine(void **state)
{
	struct unit_fixture *f = *state;
	struct ops_lab_counts c;
	struct cd_err err;
	struct ops o;

	open_clinic(f, &o);
	apply_product(&o, "BM-0001", "available", "2031-11-21T12:00:00+01:00", &c);
	assert_int_equal(c.applied, 1);
	assert_string_equal(text(f->path, "SELECT status FROM lots"), "quarantine");
	assert_string_equal(text(f->path, "SELECT expires_at FROM lots"), "2031-11-21T11:00:00Z");
	assert_int_equal(count(f->path, "SELECT count(*) FROM custody_events e JOIN lots l ON"
	    " l.id = e.lot_id WHERE e.event IN ('received', 'stored')"), 2);
	/* Receiving it did not queue a second order. */
	assert_int_equal(count(f->path, "SELECT count(*) FROM outbox"), 1);
	/* Unknown lot, unknown status: review, nothing changed. */
	apply_product(&o, "XX-0001", "available", "", &c);
	assert_int_equal(c.review, 1);
	apply_product(&o, "BM-0001", "destroyed", "", &c);
	assert_int_equal(c.review, 1);
	/* Discarded here, available there: review, the lot stays discarded. */
	must(ops_lot_discard(&o, "BM-0001", "dropped", &err), "discard", &err);
	apply_product(&o, "BM-0001", "unavailable", "", &c);
	assert_int_equal(c.review, 1);
	assert_string_equal(text(f->path, "SELECT status FROM lots"), "discarded");
	assert_int_equal(count(f->path, "SELECT count(*) FROM sync_review"), 3);
	ops_close(&o);
}

static void
test_lab_sync_may_not_release(void **state)
{
	struct unit_fixture *f = *state;
	struct cd_err err;
	struct ops o;

	open_clinic(f, &o);
	must(ops_lab_begin(&o, &err), "begin", &err);
	assert_string_equal(o.actor, OPS_LAB_ACTOR);
	assert_int_equal(ops_lot_release(&o, "BM-0001", "Lab Sync", &err), CD_REFUSED);
	assert_non_null(strstr(err.msg, "a person must"));
	must(ops_lab_end(&o, CD_OK, &err), "end", &err);
	assert_string_equal(o.actor, f->actor);
	ops_close(&o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_order_queued_with_lot, unit_fixture_setup,
		    unit_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_report_applied_once, unit_fixture_setup,
		    unit_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_reports_for_review, unit_fixture_setup,
		    unit_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_product_to_quarantine, unit_fixture_setup,
		    unit_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_lab_sync_may_not_release, unit_fixture_setup,
		    unit_fixture_teardown),
	};

	unit_fixed_env();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
