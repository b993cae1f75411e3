/* ops_lab_apply.c - the lab's results taken in: one page of
 * DiagnosticReports (with their Observations) or BiologicallyDerived-
 * Products applied in one transaction as "lab-sync", through the same
 * steps a person would take (lot qc, receive, store), and the pull
 * cursor advanced in that same transaction. What cannot be applied goes
 * to the review queue with the reason; nothing is dropped. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/fhir.h"
#include "../core/localtime.h"
#include "../core/lot.h"
#include "ops.h"
#include "ops_lot_int.h"

/* The QC tests the lab may report, as celldesk names them. */
static const char *const qc_tests[] = { "cell-count", "viability", "sterility", "endotoxin",
	"mycoplasma" };

struct apply {
	struct ops *o;
	const char *type;          /* the resource type being applied */
	const char *now, *at;      /* audit clock text, stored UTC text */
	struct ops_lab_counts *c;
};

/* What became of one resource: applied, or a sentence for the review
 * queue (why) and the lot as the lab named it. */
struct verdict {
	int64_t lot_id;
	char lot[128];
	char why[400];
};

static bool
ref_is(const char *reference, const char *type, const char **id)
{
	size_t n = strlen(type);

	if (strncmp(reference, type, n) != 0 || reference[n] != '/' || reference[n + 1] == '\0')
		return false;
	*id = reference + n + 1;
	return true;
}

/* The lot a reference or identifier names: *lot->id = 0 when none is
 * known; named gets the text to show in a review. */
static enum cd_status
find_lot(struct apply *a, const struct fhir_ref *r, struct db_lot *lot, char *named,
    size_t n, struct cd_err *err)
{
	int64_t lot_id, patient_id;
	const char *id;
	bool found;
	enum cd_status st;

	lot->id = 0;
	if (r->value[0] != '\0' && (r->system[0] == '\0' || strcmp(r->system, FHIR_SYS_LOT) == 0)) {
		snprintf(named, n, "%s", r->value);
		return db_lot_find(a->o->db, r->value, lot, err);
	}
	snprintf(named, n, "%s", r->reference[0] != '\0' ? r->reference : r->value);
	if (!ref_is(r->reference, "Specimen", &id))
		return CD_OK;
	st = db_lab_link_get(a->o->db, "Specimen", id, &lot_id, &patient_id, &found, err);
	if (st == CD_OK && found && lot_id != 0)
		st = db_lot_get(a->o->db, lot_id, lot, err);
	return st;
}

/* CD_OK when the report's subject (if it names one) is the lot's own
 * patient; otherwise *why says what is wrong. */
static enum cd_status
check_subject(struct apply *a, const struct fhir_ref *s, const struct db_lot *lot, char *why,
    size_t n, struct cd_err *err)
{
	int64_t lot_id, patient_id = 0;
	const char *id;
	bool found = false;
	enum cd_status st = CD_OK;

	why[0] = '\0';
	if (s->reference[0] == '\0' && s->value[0] == '\0')
		return CD_OK;
	if (strcmp(s->system, FHIR_SYS_MRN) == 0 && s->value[0] != '\0') {
		st = db_patient_find(a->o->db, s->value, &patient_id, err);
		found = st == CD_OK;
		if (st == CD_REFUSED)
			st = CD_OK;
	} else if (ref_is(s->reference, "Patient", &id)) {
		st = db_lab_link_get(a->o->db, "Patient", id, &lot_id, &patient_id, &found, err);
	}
	if (st != CD_OK)
		return st;
	if (!found)
		snprintf(why, n, "the report names patient %s, whom celldesk does not know",
		    s->reference[0] != '\0' ? s->reference : s->value);
	else if (strcmp(lot->kind, "autologous") == 0 && patient_id != lot->patient_id)
		snprintf(why, n, "the report names another patient than lot %s's own (chain of"
		    " identity); nothing was recorded", lot->code);
	return CD_OK;
}

static const struct fhir_observation *
find_observation(const struct fhir_page *obs, const char *reference)
{
	const char *id;
	size_t i;

	if (obs == NULL || !ref_is(reference, "Observation", &id))
		return NULL;
	for (i = 0; i < obs->n_observations; i++) {
		if (strcmp(obs->observations[i].id, id) == 0)
			return &obs->observations[i];
	}
	return NULL;
}

/* "viability=92.5" for one Observation; false with *why when celldesk
 * has no such test or the value is missing. */
static bool
qc_arg(const struct fhir_observation *ob, char *arg, size_t n, char *why, size_t wn)
{
	size_t i;

	for (i = 0; i < sizeof qc_tests / sizeof qc_tests[0]; i++) {
		if (strcmp(ob->code, qc_tests[i]) == 0)
			break;
	}
	if (i == sizeof qc_tests / sizeof qc_tests[0]) {
		snprintf(why, wn, "Observation %s reports '%s', which is not a QC test celldesk"
		    " records (cell-count, viability, sterility, endotoxin, mycoplasma)", ob->id,
		    ob->code);
		return false;
	}
	if (ob->numeric && isfinite(ob->value))
		snprintf(arg, n, "%s=%.15g", qc_tests[i], ob->value);
	else if (!ob->numeric && ob->text[0] != '\0')
		snprintf(arg, n, "%s=%s", qc_tests[i], ob->text);
	else {
		snprintf(why, wn, "Observation %s (%s) carries no value", ob->id, qc_tests[i]);
		return false;
	}
	return true;
}

static bool
final_status(const char *s)
{
	return strcmp(s, "final") == 0 || strcmp(s, "amended") == 0 ||
	    strcmp(s, "corrected") == 0;
}

static enum cd_status
ignore_row(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	(void)ctx, (void)row, (void)err;
	return CD_OK;
}

/* Builds the lot qc arguments of report r; false with *why to review. */
static bool
report_results(const struct fhir_report *r, const struct fhir_page *obs,
    char args[][96], char **argv, int *n, char *why, size_t wn)
{
	const struct fhir_observation *ob;
	size_t i;

	*n = 0;
	for (i = 0; i < r->n_result; i++) {
		if ((ob = find_observation(obs, r->result[i])) == NULL) {
			if (r->result[i][0] == '\0')
				snprintf(why, wn, "the report's result %zu names no Observation", i + 1);
			else
				snprintf(why, wn, "the report's result %s did not come from the lab",
				    r->result[i]);
			return false;
		}
		if (!final_status(ob->status))
			continue;
		if (!qc_arg(ob, args[*n], sizeof args[*n], why, wn))
			return false;
		argv[*n] = args[*n];
		(*n)++;
	}
	if (*n == 0)
		snprintf(why, wn, "the report holds no final result");
	return *n > 0;
}

/* Applies one DiagnosticReport, or says in v->why why it cannot be. */
static enum cd_status
apply_report(struct apply *a, const struct fhir_report *r, const struct fhir_page *obs,
    struct verdict *v, struct cd_err *err)
{
	char args[FHIR_REF_MAX][96], *argv[FHIR_REF_MAX];
	struct db_lot lot = { 0 };
	struct cd_err inner;
	enum cd_status st = CD_OK;
	size_t i;
	int n;

	for (i = 0; st == CD_OK && i < r->n_specimen && lot.id == 0; i++)
		st = find_lot(a, &r->specimen[i], &lot, v->lot, sizeof v->lot, err);
	if (st != CD_OK)
		return st;
	v->lot_id = lot.id;
	if (lot.id == 0) {
		snprintf(v->why, sizeof v->why, r->n_specimen == 0 ? "the report names no"
		    " specimen" : "the report names lot %s, which celldesk does not know", v->lot);
		return CD_OK;
	}
	snprintf(v->lot, sizeof v->lot, "%s", lot.code);
	if ((st = check_subject(a, &r->subject, &lot, v->why, sizeof v->why, err)) != CD_OK ||
	    v->why[0] != '\0' || !report_results(r, obs, args, argv, &n, v->why, sizeof v->why))
		return st;
	if (ops_lot_qc(a->o, lot.code, argv, n, ignore_row, NULL, &inner) != CD_OK)
		snprintf(v->why, sizeof v->why, "QC results for lot %s were not recorded: %.300s",
		    lot.code, inner.msg);
	return CD_OK;
}

/* Sets the lot's expiry (UTC text) to the lab's. */
static enum cd_status
product_expiry(struct ops *o, const char *code, const char *at, struct cd_err *err)
{
	struct lot_tx t;
	enum cd_status st;

	if ((st = lot_tx_begin(o, ACT_LOT_MANAGE, code, &t, err)) != CD_OK)
		return st;
	snprintf(t.lot.expires_at, sizeof t.lot.expires_at, "%s", at);
	return lot_tx_finish(o, &t, CD_OK, NULL, NAN, NULL, "expiry set by the lab", err);
}

/* The steps that bring the lot where the lab says the product is. */
static enum cd_status
product_steps(struct apply *a, const struct fhir_product *p, const struct db_lot *lot,
    char *why, size_t wn, struct cd_err *err)
{
	enum lot_status s;
	enum cd_status st = CD_OK;
	bool available = strcmp(p->status, "available") == 0;

	why[0] = '\0';
	if (!lot_status_parse(lot->status, &s))
		return cd_fail(err, CD_EDATA, "lot %s has an unknown status", lot->code);
	if (!available && strcmp(p->status, "unavailable") != 0) {
		snprintf(why, wn, "the lab gives lot %s the status '%s', which celldesk does not"
		    " know", lot->code, p->status);
		return CD_OK;
	}
	if (s == LOT_COLLECTED)
		st = ops_lot_receive(a->o, lot->code, NULL, err);
	if (st == CD_OK && available && s <= LOT_IN_PROCESSING)
		st = ops_lot_store(a->o, lot->code, NULL, NULL, err);
	if (st == CD_OK && (s == LOT_DISCARDED || (!available && s > LOT_IN_PROCESSING)))
		snprintf(why, wn, "the lab reports lot %s %s, but here it is %s", lot->code,
		    p->status, lot->status);
	return st;
}

/* Applies one BiologicallyDerivedProduct, or says in v->why why not. */
static enum cd_status
apply_product(struct apply *a, const struct fhir_product *p, struct verdict *v,
    struct cd_err *err)
{
	struct db_lot lot;
	struct cd_err inner;
	char at[21];
	int64_t expiry = 0;
	enum cd_status st;

	snprintf(v->lot, sizeof v->lot, "%s", p->lot_code);
	if ((st = db_lot_find(a->o->db, p->lot_code, &lot, err)) != CD_OK)
		return st;
	if ((v->lot_id = lot.id) == 0) {
		snprintf(v->why, sizeof v->why, p->lot_code[0] == '\0' ? "the product carries no"
		    " identifier" : "the product names lot %s, which celldesk does not know",
		    p->lot_code);
		return CD_OK;
	}
	if (p->expiry[0] != '\0' && !fhir_datetime_utc(p->expiry, &expiry)) {
		snprintf(v->why, sizeof v->why, "the product's expiry '%s' is not a date and time",
		    p->expiry);
		return CD_OK;
	}
	utc_format(expiry, at);
	st = product_steps(a, p, &lot, v->why, sizeof v->why, &inner);
	if (st == CD_OK && v->why[0] == '\0' && expiry != 0 && strcmp(at, lot.expires_at) != 0)
		st = product_expiry(a->o, lot.code, at, &inner);
	if (st == CD_EDATA)
		return cd_fail(err, st, "%s", inner.msg);
	if (st != CD_OK)
		snprintf(v->why, sizeof v->why, "lot %s was not changed: %.300s", lot.code, inner.msg);
	return CD_OK;
}

/* Later of two lastUpdated values. */
static const char *
later(const char *a, const char *b)
{
	int64_t ta, tb;

	if (a[0] == '\0')
		return b;
	if (!fhir_datetime_utc(a, &ta) || !fhir_datetime_utc(b, &tb))
		return strcmp(a, b) >= 0 ? a : b;
	if (ta != tb)
		return ta > tb ? a : b;
	return strcmp(a, b) >= 0 ? a : b;
}

/* One resource, in a savepoint of its own: applied whole, or rolled
 * back and put on the review queue. Skipped when this version was taken
 * in already; ignored while the lab's report is not final. */
static enum cd_status
apply_one(struct apply *a, const char *id, const char *version, const char *last_updated,
    const struct fhir_report *r, const struct fhir_product *p, const struct fhir_page *obs,
    struct cd_err *err)
{
	struct verdict v;
	char seen[80];
	const char *outcome = "applied";
	int64_t rid;
	enum cd_status st;

	if ((st = db_lab_applied_version(a->o->db, a->type, id, seen, sizeof seen, err)) !=
	    CD_OK)
		return st;
	if (strcmp(seen, version) == 0) {
		a->c->seen++;
		return CD_OK;
	}
	a->c->pulled++;
	memset(&v, 0, sizeof v);
	if (r != NULL && !final_status(r->status))
		outcome = "ignored";
	else if ((st = db_begin(a->o->db, err)) == CD_OK) {
		st = r != NULL ? apply_report(a, r, obs, &v, err) : apply_product(a, p, &v, err);
		if (st == CD_OK && v.why[0] == '\0')
			st = db_commit(a->o->db, err);
		else
			db_rollback(a->o->db);
	}
	if (st == CD_OK && v.why[0] != '\0') {
		outcome = "review";
		a->c->review++;
		st = db_review_add(a->o->db, a->type, id, v.lot[0] != '\0' ? v.lot : NULL, v.why,
		    a->at, &rid, err);
	} else if (st == CD_OK && strcmp(outcome, "applied") == 0)
		a->c->applied++;
	if (st == CD_OK)
		st = db_lab_applied_put(a->o->db, a->type, id, version, last_updated, v.lot_id,
		    outcome, a->at, err);
	return st;
}

enum cd_status
ops_lab_apply_page(struct ops *o, const char *resource, const struct fhir_page *page,
    const struct fhir_page *obs, struct ops_lab_counts *c, struct cd_err *err)
{
	struct apply a = { o, resource, NULL, NULL, c };
	char now[25], at[21], cursor[64];
	const char *newest;
	enum cd_status st;
	size_t i;

	if ((st = ops_lab_begin(o, err)) != CD_OK)
		return st;
	time_format_utc(o->clock_ms(), now);
	utc_format(o->clock_ms() / 1000, at);
	a.now = now;
	a.at = at;
	st = db_sync_cursor(o->db, resource, cursor, sizeof cursor, err);
	newest = cursor;
	for (i = 0; st == CD_OK && i < page->n_reports; i++) {
		const struct fhir_report *r = &page->reports[i];

		st = apply_one(&a, r->id, r->version, r->last_updated, r, NULL, obs, err);
		newest = later(newest, r->last_updated);
	}
	for (i = 0; st == CD_OK && i < page->n_products; i++) {
		const struct fhir_product *p = &page->products[i];

		st = apply_one(&a, p->id, p->version, p->last_updated, NULL, p, NULL, err);
		newest = later(newest, p->last_updated);
	}
	if (st == CD_OK && newest[0] != '\0' && strcmp(newest, cursor) != 0)
		st = db_sync_cursor_set(o->db, resource, newest, at, err);
	return ops_lab_end(o, st, err);
}
