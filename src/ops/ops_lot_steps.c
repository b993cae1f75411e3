/* ops_lot_steps.c - a lot's steps from collection to the patient:
 * receive, store, move, thaw, donor eligibility, QC, release with its
 * signature, reserve for a visit, issue, the bedside check when it is
 * administered, return and discard. Each is one transaction through
 * lot_tx_begin/lot_tx_finish; the rules are core/lot.c's. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/localtime.h"
#include "../core/text.h"
#include "ops_lot_int.h"

/* Moves t's lot by step, or refuses saying why. */
static enum cd_status
step(struct lot_tx *t, enum lot_step s, struct cd_err *err)
{
	enum lot_status to;
	enum cd_status st;

	if ((st = lot_step_check(t->lot.code, t->status, s, &to, err)) != CD_OK)
		return st;
	snprintf(t->lot.status, sizeof t->lot.status, "%s", lot_status_name(to));
	return CD_OK;
}

/* Refusals shared by the steps that hand a lot towards a patient. */
static enum cd_status
usable(const struct lot_tx *t, const char *what, struct cd_err *err)
{
	if (lot_expired(&t->lot, t->now_s))
		return cd_fail(err, CD_REFUSED, "cannot %s lot %s: it expired on %.10s at %.5s UTC",
		    what, t->lot.code, t->lot.expires_at, t->lot.expires_at + 11);
	if (strcmp(t->lot.kind, "donor") == 0 && strcmp(t->lot.donor_status, "eligible") != 0)
		return cd_fail(err, CD_REFUSED, "cannot %s lot %s: its donor %s is %s", what,
		    t->lot.code, t->lot.donor_code, t->lot.donor_status);
	if (t->lot.excursion_id != 0)
		return cd_fail(err, CD_REFUSED, "cannot %s lot %s: it was stored through a"
		    " temperature excursion that has no corrective action yet (see celldesk storage"
		    " excursions)", what, t->lot.code);
	return CD_OK;
}

enum cd_status
ops_lot_receive(struct ops *o, const char *id, const char *to, struct cd_err *err)
{
	struct lot_tx t;
	enum cd_status st;

	if ((st = lot_tx_begin(o, ACT_LOT_MANAGE, id, &t, err)) != CD_OK)
		return st;
	st = step(&t, LOT_RECEIVE, err);
	if (st == CD_OK && to != NULL)
		st = lot_place_parse(o, "--to", to, &t.lot, err);
	if (st == CD_OK)
		st = lot_order_queue_once(o, &t.lot, err);
	return lot_tx_finish(o, &t, st, "received", NAN, NULL, NULL, err);
}

enum cd_status
ops_lot_store(struct ops *o, const char *id, const char *to, const char *storage,
    struct cd_err *err)
{
	struct lot_tx t;
	enum cd_status st;

	if (storage != NULL && strcmp(storage, "fresh") != 0 &&
	    strcmp(storage, "cryopreserved") != 0)
		return cd_fail(err, CD_USAGE, "--storage: '%.40s' is not fresh or cryopreserved",
		    storage);
	if ((st = lot_tx_begin(o, ACT_LOT_MANAGE, id, &t, err)) != CD_OK)
		return st;
	st = step(&t, LOT_STORE, err);
	if (st == CD_OK && to != NULL)
		st = lot_place_parse(o, "--to", to, &t.lot, err);
	/* Cryopreserved cells keep from the day they were frozen. */
	if (st == CD_OK && storage != NULL && strcmp(storage, t.lot.storage) != 0) {
		if (strcmp(t.lot.storage, "fresh") != 0)
			st = cd_fail(err, CD_REFUSED, "lot %s is %s; it cannot become %s", t.lot.code,
			    t.lot.storage, storage);
		else
			st = lot_rule_expiry(o, t.lot.source, storage, t.now_s, t.lot.expires_at, err);
		snprintf(t.lot.storage, sizeof t.lot.storage, "%s", storage);
	}
	return lot_tx_finish(o, &t, st, "stored", NAN, NULL, NULL, err);
}

enum cd_status
ops_lot_move(struct ops *o, const char *id, const char *to, double temp_c, const char *note,
    struct cd_err *err)
{
	struct lot_tx t;
	enum cd_status st;

	if (note != NULL && (st = text_check_field("--note", note, 200, 0, err)) != CD_OK)
		return st;
	if ((st = lot_tx_begin(o, ACT_LOT_MANAGE, id, &t, err)) != CD_OK)
		return st;
	if (t.status == LOT_ADMINISTERED || t.status == LOT_DISCARDED)
		st = cd_fail(err, CD_REFUSED, "lot %s was %s; it is not anywhere to move",
		    t.lot.code, t.lot.status);
	if (st == CD_OK)
		st = lot_place_parse(o, "--to", to, &t.lot, err);
	return lot_tx_finish(o, &t, st, "transferred", temp_c, note, NULL, err);
}

enum cd_status
ops_lot_thaw(struct ops *o, const char *id, struct cd_err *err)
{
	struct lot_tx t;
	char until[21];
	enum cd_status st;

	if ((st = lot_tx_begin(o, ACT_LOT_MANAGE, id, &t, err)) != CD_OK)
		return st;
	if (strcmp(t.lot.storage, "cryopreserved") != 0)
		st = cd_fail(err, CD_REFUSED, "lot %s is %s, not cryopreserved; there is nothing"
		    " to thaw", t.lot.code, t.lot.storage);
	else if (t.status == LOT_ADMINISTERED || t.status == LOT_DISCARDED)
		st = cd_fail(err, CD_REFUSED, "lot %s was %s", t.lot.code, t.lot.status);
	/* Thawed cells keep hours, never longer than the lot itself. */
	if (st == CD_OK &&
	    (st = lot_rule_expiry(o, t.lot.source, "thawed", t.now_s, until, err)) == CD_OK &&
	    strcmp(until, t.lot.expires_at) < 0)
		memcpy(t.lot.expires_at, until, sizeof until);
	snprintf(t.lot.storage, sizeof t.lot.storage, "thawed");
	return lot_tx_finish(o, &t, st, "thawed", NAN, NULL, NULL, err);
}

/* Sets the donor's eligibility on each of the donor's lots that is not
 * yet administered or discarded (donor eligibility is the donor's,
 * whichever lot it was recorded on), each change audited. */
static enum cd_status
donor_set(struct ops *o, const struct lot_tx *t, const char *status, const char *reason,
    struct cd_err *err)
{
	struct db_lot l;
	int64_t *ids;
	size_t n, i;
	char *old;
	enum cd_status st;

	if ((st = db_donor_lots(o->db, t->lot.donor_code, &ids, &n, err)) != CD_OK)
		return st;
	for (i = 0; st == CD_OK && i < n; i++) {
		if (ids[i] == t->lot.id || (st = db_lot_get(o->db, ids[i], &l, err)) != CD_OK ||
		    strcmp(l.status, "administered") == 0 || strcmp(l.status, "discarded") == 0 ||
		    strcmp(l.donor_status, status) == 0)
			continue;
		if ((st = db_snapshot(o->db, "lots", l.id, &old, err)) != CD_OK)
			break;
		snprintf(l.donor_status, sizeof l.donor_status, "%s", status);
		if ((st = db_lot_update(o->db, &l, t->at, err)) == CD_OK)
			st = ops_audit_change(o, t->now, "update", "lots", l.id, l.code, old, reason,
			    err);
		else
			free(old);
	}
	free(ids);
	return st;
}

enum cd_status
ops_lot_eligibility(struct ops *o, const char *id, const char *status, const char *reason,
    struct cd_err *err)
{
	struct lot_tx t;
	char bad[40];
	bool eligible = strcmp(status, "eligible") == 0;
	enum cd_status st;

	if (!eligible && strcmp(status, "ineligible") != 0)
		return cd_fail(err, CD_USAGE, "STATUS: '%.40s' is not eligible or ineligible", status);
	if (reason != NULL && (st = text_check_field("--reason", reason, 200, 0, err)) != CD_OK)
		return st;
	if ((st = lot_tx_begin(o, ACT_LOT_MANAGE, id, &t, err)) != CD_OK)
		return st;
	if (strcmp(t.lot.kind, "donor") != 0)
		st = cd_fail(err, CD_REFUSED, "lot %s holds the patient's own cells; donor"
		    " eligibility applies to donor lots", t.lot.code);
	else if (t.status == LOT_ADMINISTERED || t.status == LOT_DISCARDED)
		st = cd_fail(err, CD_REFUSED, "lot %s was %s", t.lot.code, t.lot.status);
	else if (eligible && (st = donor_ineligible(o, t.lot.donor_code, bad, sizeof bad,
	    err)) == CD_OK && bad[0] != '\0')
		st = cd_fail(err, CD_REFUSED, "donor %s was found ineligible (lot %s); that"
		    " decision is final and covers every lot of the donor", t.lot.donor_code, bad);
	else if (eligible && t.status > LOT_QUARANTINE)
		st = cd_fail(err, CD_REFUSED, "lot %s is %s; eligibility is decided while a lot is"
		    " in quarantine", t.lot.code, t.lot.status);
	/* Found ineligible later, every lot of the donor is blocked, released
	 * or not: reserve, issue and administer refuse it from now on. */
	if (st == CD_OK)
		st = donor_set(o, &t, status, reason, err);
	snprintf(t.lot.donor_status, sizeof t.lot.donor_status, "%s", status);
	return lot_tx_finish(o, &t, st, NULL, NAN, NULL, reason, err);
}

#define QC_MAX 16

/* One TEST=VALUE as typed. */
static enum cd_status
qc_parse(const char *arg, struct lot_qc_result *r, struct cd_err *err)
{
	const char *eq = strchr(arg, '=');
	size_t n = eq != NULL ? (size_t)(eq - arg) : 0;

	memset(r, 0, sizeof *r);
	if (eq == NULL || n == 0 || n >= sizeof r->test || eq[1] == '\0' ||
	    strspn(arg, "abcdefghijklmnopqrstuvwxyz-") != n)
		return cd_fail(err, CD_USAGE, "'%.40s' is not TEST=VALUE (e.g. viability=92.5 or"
		    " sterility=negative)", arg);
	memcpy(r->test, arg, n);
	if (lot_number_parse(eq + 1, &r->value)) {
		r->numeric = true;
		return CD_OK;
	}
	if (strlen(eq + 1) >= sizeof r->text ||
	    strspn(eq + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-") !=
	    strlen(eq + 1))
		return cd_fail(err, CD_USAGE, "%s: '%.40s' is neither a number nor a word such as"
		    " negative", r->test, eq + 1);
	snprintf(r->text, sizeof r->text, "%s", eq + 1);
	return CD_OK;
}

enum cd_status
ops_lot_qc(struct ops *o, const char *id, char *const *results, int n, cd_row_fn fn,
    void *ctx, struct cd_err *err)
{
	static const char *const keys[] = { "test", "result", "verdict" };
	struct lot_qc_result r[QC_MAX];
	struct lot_qc_limit lim[32];
	char verdict[QC_MAX][160], value[QC_MAX][40], why[140];
	const char *vals[3];
	struct cd_row row = { 3, keys, vals };
	struct lot_tx t;
	size_t nlim, j;
	int64_t qid;
	int i;
	enum cd_status st;

	if (n < 1 || n > QC_MAX)
		return cd_fail(err, CD_USAGE, "give 1 to %d results as TEST=VALUE", QC_MAX);
	for (i = 0; i < n; i++) {
		if ((st = qc_parse(results[i], &r[i], err)) != CD_OK)
			return st;
	}
	if ((st = lot_tx_begin(o, ACT_LOT_MANAGE, id, &t, err)) != CD_OK)
		return st;
	if (t.status > LOT_QUARANTINE)
		st = cd_fail(err, CD_REFUSED, "lot %s is %s; QC results are recorded before"
		    " release", t.lot.code, t.lot.status);
	if (st == CD_OK)
		st = db_qc_limits(o->db, t.lot.source, lim, 32, &nlim, err);
	for (i = 0; st == CD_OK && i < n; i++) {
		st = db_qc_insert(o->db, t.lot.id, r[i].test, r[i].numeric ? NULL : r[i].text,
		    r[i].value, t.at, o->actor, &qid, err);
		if (st == CD_OK)
			st = ops_audit_change(o, t.now, "insert", "qc_results", qid, t.lot.code, NULL,
			    NULL, err);
		if (r[i].numeric)
			snprintf(value[i], sizeof value[i], "%g", r[i].value);
		else
			snprintf(value[i], sizeof value[i], "%s", r[i].text);
		for (j = 0; j < nlim && strcmp(lim[j].test, r[i].test) != 0; j++)
			;
		if (j == nlim)
			snprintf(verdict[i], sizeof verdict[i], "no limit set for %s", t.lot.source);
		else if (lot_qc_in_limits(&lim[j], &r[i], why, sizeof why))
			snprintf(verdict[i], sizeof verdict[i], "in limits");
		else
			snprintf(verdict[i], sizeof verdict[i], "OUT OF LIMITS: %s", why);
		if (r[i].numeric && strcmp(r[i].test, "viability") == 0)
			t.lot.viability = r[i].value;
		if (r[i].numeric && strcmp(r[i].test, "cell-count") == 0)
			t.lot.cell_count = r[i].value;
	}
	if ((st = lot_tx_finish(o, &t, st, NULL, NAN, NULL, NULL, err)) != CD_OK)
		return st;
	for (i = 0; i < n; i++) {
		vals[0] = r[i].test;
		vals[1] = value[i];
		vals[2] = verdict[i];
		if ((st = fn(ctx, &row, err)) != CD_OK)
			return st;
	}
	return CD_OK;
}

enum cd_status
ops_lot_release(struct ops *o, const char *id, const char *sign, struct cd_err *err)
{
	struct lot_qc_limit lim[32];
	struct lot_qc_result res[32];
	struct lot_release_facts f;
	struct lot_tx t;
	int64_t sid;
	enum cd_status st;

	if ((st = lot_tx_begin(o, ACT_LOT_RELEASE, id, &t, err)) != CD_OK)
		return st;
	st = step(&t, LOT_RELEASE, err);
	if (st == CD_OK && (sign == NULL || strcasecmp(sign, o->actor_name) != 0))
		st = cd_fail(err, CD_REFUSED, "a release is signed with your own printed name as the"
		    " clinic knows it: --sign \"%s\"", o->actor_name);
	memset(&f, 0, sizeof f);
	f.code = t.lot.code;
	f.donor = strcmp(t.lot.kind, "donor") == 0;
	f.donor_status = t.lot.donor_status;
	f.expired = lot_expired(&t.lot, t.now_s);
	f.excursion = t.lot.excursion_id != 0;
	f.limits = lim;
	f.results = res;
	if (st == CD_OK)
		st = db_qc_limits(o->db, t.lot.source, lim, 32, &f.nlimits, err);
	if (st == CD_OK)
		st = db_qc_latest(o->db, t.lot.id, res, 32, &f.nresults, err);
	if (st == CD_OK)
		st = lot_release_check(&f, err);
	if (st == CD_OK)
		st = db_signature_insert(o->db, t.lot.id, "released", o->actor, o->actor_name, t.at,
		    &sid, err);
	if (st == CD_OK)
		st = ops_audit_change(o, t.now, "insert", "signatures", sid, t.lot.code, NULL,
		    NULL, err);
	return lot_tx_finish(o, &t, st, "released", NAN, NULL, NULL, err);
}

/* Whether visit a may take lot l (reserve and administer both ask). */
static enum cd_status
fits_visit(struct ops *o, const struct lot_tx *t, const struct db_appt *a,
    struct cd_err *err)
{
	struct db_cycle c;
	char end[21];
	enum cd_status st;

	if (strcmp(a->step, "injection") != 0)
		return cd_fail(err, CD_REFUSED, "visit %lld is a %s, not an injection",
		    (long long)a->id, a->step);
	if (strcmp(a->status, "booked") != 0 && strcmp(a->status, "checked-in") != 0)
		return cd_fail(err, CD_REFUSED, "visit %lld is %s; return the lot to stock",
		    (long long)a->id, a->status);
	if ((st = db_cycle_get(o->db, a->cycle_id, &c, err)) != CD_OK)
		return st;
	db_cycle_clear(&c);
	if (strcmp(t->lot.kind, "autologous") == 0 && t->lot.patient_id != a->patient_id)
		return cd_fail(err, CD_REFUSED, "lot %s holds another patient's own cells"
		    " (autologous); it may only ever go to that patient", t->lot.code);
	if (strcmp(c.source, t->lot.kind) != 0)
		return cd_fail(err, CD_REFUSED, "visit %lld's cycle uses %s cells; lot %s is %s",
		    (long long)a->id, c.source, t->lot.code, t->lot.kind);
	utc_format(a->end, end);
	if (strcmp(t->lot.expires_at, end) < 0)
		return cd_fail(err, CD_REFUSED, "lot %s expires on %.10s at %.5s UTC, before visit"
		    " %lld ends", t->lot.code, t->lot.expires_at, t->lot.expires_at + 11,
		    (long long)a->id);
	return CD_OK;
}

enum cd_status
ops_lot_reserve(struct ops *o, const char *id, int64_t appt, struct cd_err *err)
{
	struct db_lot other;
	struct db_appt a;
	struct lot_tx t;
	enum cd_status st;

	if ((st = lot_tx_begin(o, ACT_LOT_RESERVE, id, &t, err)) != CD_OK)
		return st;
	st = step(&t, LOT_RESERVE, err);
	if (st == CD_OK)
		st = usable(&t, "reserve", err);
	if (st == CD_OK)
		st = db_appt_get(o->db, appt, &a, err);
	if (st == CD_OK && strcmp(a.status, "booked") != 0 && strcmp(a.status, "checked-in") != 0)
		st = cd_fail(err, CD_REFUSED, "visit %lld is %s; a lot is reserved for a visit still"
		    " to come", (long long)appt, a.status);
	if (st == CD_OK && a.end <= t.now_s)
		st = cd_fail(err, CD_REFUSED, "visit %lld is over", (long long)appt);
	if (st == CD_OK)
		st = fits_visit(o, &t, &a, err);
	if (st == CD_OK && (st = db_lot_of_appt(o->db, appt, &other, err)) == CD_OK &&
	    other.id != 0)
		st = cd_fail(err, CD_REFUSED, "visit %lld already has lot %s (return it first)",
		    (long long)appt, other.code);
	t.lot.appointment_id = appt;
	return lot_tx_finish(o, &t, st, "reserved", NAN, NULL, NULL, err);
}

enum cd_status
ops_lot_issue(struct ops *o, const char *id, const char *to, struct cd_err *err)
{
	struct db_staff who;
	struct lot_tx t;
	enum cd_status st;

	if ((st = lot_tx_begin(o, ACT_LOT_ISSUE, id, &t, err)) != CD_OK)
		return st;
	st = step(&t, LOT_ISSUE, err);
	if (st == CD_OK)
		st = usable(&t, "issue", err);
	if (st == CD_OK && to != NULL) {
		st = db_staff_get(o->db, to, &who, err);
		if (st == CD_REFUSED || (st == CD_OK && !who.active))
			st = cd_fail(err, CD_REFUSED, "--to: '%.40s' is not active staff", to);
	}
	t.lot.unit_id = 0;
	t.lot.position[0] = '\0';
	snprintf(t.lot.holder, sizeof t.lot.holder, "%s", to != NULL ? to : o->actor);
	return lot_tx_finish(o, &t, st, "issued", NAN, NULL, NULL, err);
}

/* The bedside checks of an administration, in the order a nurse needs
 * them: whose cells, still good, released and issued, for this visit. */
static enum cd_status
bedside(struct ops *o, struct lot_tx *t, const struct db_patient_ref *p, int64_t appt,
    struct cd_err *err)
{
	struct db_appt a;
	struct cd_local today;
	char day[11];
	enum cd_status st;

	if (strcmp(t->lot.kind, "autologous") == 0 && t->lot.patient_id != p->id)
		return cd_fail(err, CD_REFUSED, "STOP: lot %s holds another patient's own cells"
		    " (autologous); it is not for %s", t->lot.code, p->mrn);
	if (t->status < LOT_RELEASED)
		return cd_fail(err, CD_REFUSED, "STOP: lot %s is %s%s and not released", t->lot.code,
		    t->status == LOT_QUARANTINE ? "in " : "", t->lot.status);
	if ((st = step(t, LOT_ADMINISTER, err)) != CD_OK)
		return st;
	if ((st = usable(t, "administer", err)) != CD_OK)
		return st;
	if ((st = db_appt_get(o->db, t->lot.appointment_id, &a, err)) != CD_OK)
		return st;
	if (a.patient_id != p->id)
		return cd_fail(err, CD_REFUSED, "STOP: lot %s is reserved for another patient's"
		    " visit (%lld), not for %s", t->lot.code, (long long)a.id, p->mrn);
	if (appt != 0 && appt != a.id)
		return cd_fail(err, CD_REFUSED, "STOP: lot %s is reserved for visit %lld, not visit"
		    " %lld", t->lot.code, (long long)a.id, (long long)appt);
	/* At the bedside means on the visit's day, at its site. */
	local_from_utc(a.tz, t->now_s, &today);
	date_format(&today.date, day);
	if (strcmp(day, a.local_day) != 0)
		return cd_fail(err, CD_REFUSED, "STOP: lot %s is reserved for visit %lld on %s,"
		    " not today (%s)", t->lot.code, (long long)a.id, a.local_day, day);
	return fits_visit(o, t, &a, err);
}

/* Records a refused administration in its own transaction. */
static void
record_refusal(struct ops *o, const char *id, const char *patient, int64_t appt,
    const char *why)
{
	struct db_bedside b;
	struct db_lot l;
	struct cd_err e;
	char now[25], at[21];
	int64_t bid;
	enum cd_status st;

	if (ops_write_begin(o, ACT_LOT_ADMINISTER, now, &e) != CD_OK)
		return;
	utc_format(o->clock_ms() / 1000, at);
	memset(&b, 0, sizeof b);
	if ((st = db_lot_find(o->db, id, &l, &e)) == CD_OK)
		b.lot_id = l.id;
	b.at = at;
	b.actor = o->actor;
	b.lot_text = id;
	b.patient_text = patient;
	b.appointment_id = appt;
	b.outcome = "refused";
	b.reason = why;
	if (st == CD_OK)
		st = db_bedside_insert(o->db, &b, &bid, &e);
	if (st == CD_OK)
		st = ops_audit_change(o, now, "insert", "bedside_checks", bid, id, NULL, why, &e);
	(void)ops_write_end(o, st, &e);
}

enum cd_status
ops_lot_administer(struct ops *o, const char *id, const char *patient, int64_t appt,
    struct cd_err *err)
{
	struct db_patient_ref p;
	struct db_bedside b;
	struct lot_tx t;
	char to[96];
	int64_t sid, bid;
	enum cd_status st;

	if ((st = text_check_field("ID", id, 40, 0, err)) != CD_OK ||
	    (st = text_check_field("--patient", patient, 64, 0, err)) != CD_OK)
		return st;
	if ((st = lot_tx_begin(o, ACT_LOT_ADMINISTER, id, &t, err)) != CD_OK) {
		if (st == CD_REFUSED && ops_require(o, ACT_LOT_ADMINISTER, NULL) == CD_OK)
			record_refusal(o, id, patient, appt, err->msg);
		return st;
	}
	if ((st = db_patient_ref(o->db, patient, &p, err)) == CD_REFUSED)
		st = cd_fail(err, CD_REFUSED, "STOP: no patient has MRN %.40s", patient);
	if (st == CD_OK)
		st = bedside(o, &t, &p, appt, err);
	t.lot.recipient_id = p.id;
	t.lot.unit_id = 0;
	t.lot.position[0] = t.lot.holder[0] = '\0';
	if (st == CD_OK)
		st = db_signature_insert(o->db, t.lot.id, "administered", o->actor, o->actor_name,
		    t.at, &sid, err);
	if (st == CD_OK)
		st = ops_audit_change(o, t.now, "insert", "signatures", sid, t.lot.code, NULL,
		    NULL, err);
	memset(&b, 0, sizeof b);
	b.at = t.at;
	b.actor = o->actor;
	b.lot_text = id;
	b.lot_id = t.lot.id;
	b.patient_text = patient;
	b.appointment_id = t.lot.appointment_id;
	b.outcome = "administered";
	if (st == CD_OK)
		st = db_bedside_insert(o->db, &b, &bid, err);
	if (st == CD_OK)
		st = ops_audit_change(o, t.now, "insert", "bedside_checks", bid, t.lot.code, NULL,
		    NULL, err);
	snprintf(to, sizeof to, "given to patient %s", p.mrn);
	if ((st = lot_tx_finish(o, &t, st, "administered", NAN, to, NULL, err)) == CD_REFUSED)
		record_refusal(o, id, patient, appt, err->msg);
	return st;
}

enum cd_status
ops_lot_bedside_check(struct ops *o, const char *id, const char *patient, int64_t appt,
    bool record, struct cd_err *err)
{
	struct db_patient_ref p;
	struct lot_tx t;
	enum cd_status st;

	if ((st = text_check_field("ID", id, 40, 0, err)) != CD_OK ||
	    (st = text_check_field("--patient", patient, 64, 0, err)) != CD_OK)
		return st;
	if ((st = ops_require(o, ACT_LOT_VIEW, err)) != CD_OK ||
	    (st = db_begin_read(o->db, err)) != CD_OK)
		return st;
	/* The lot as lot_tx_begin loads it, in a read: nothing is written. */
	memset(&t, 0, sizeof t);
	t.now_s = o->clock_ms() / 1000;
	st = db_lot_find(o->db, id, &t.lot, err);
	if (st == CD_OK && t.lot.id == 0)
		st = cd_fail(err, CD_REFUSED, "there is no lot %.40s", id);
	if (st == CD_OK && !lot_status_parse(t.lot.status, &t.status))
		st = cd_fail(err, CD_EDATA, "lot %.40s has an unknown status", id);
	if (st == CD_OK && (st = db_patient_ref(o->db, patient, &p, err)) == CD_REFUSED)
		st = cd_fail(err, CD_REFUSED, "STOP: no patient has MRN %.40s", patient);
	if (st == CD_OK)
		st = bedside(o, &t, &p, appt, err);
	db_end_read(o->db);
	/* A clinician's check that stops is an attempt, recorded as one. */
	if (st == CD_REFUSED && record && ops_require(o, ACT_LOT_ADMINISTER, NULL) == CD_OK)
		record_refusal(o, id, patient, appt, err->msg);
	return st;
}

enum cd_status
ops_lot_return(struct ops *o, const char *id, const char *to, const char *reason,
    struct cd_err *err)
{
	struct lot_tx t;
	enum cd_status st;

	if (reason != NULL && (st = text_check_field("--reason", reason, 200, 0, err)) != CD_OK)
		return st;
	if ((st = lot_tx_begin(o, ACT_LOT_MANAGE, id, &t, err)) != CD_OK)
		return st;
	st = step(&t, LOT_RETURN, err);
	t.lot.appointment_id = 0;
	t.lot.holder[0] = '\0';
	if (st == CD_OK && to != NULL)
		st = lot_place_parse(o, "--to", to, &t.lot, err);
	snprintf(t.lot.reason, sizeof t.lot.reason, "%s", reason != NULL ? reason : "");
	return lot_tx_finish(o, &t, st, "returned", NAN, reason, reason, err);
}

enum cd_status
ops_lot_discard(struct ops *o, const char *id, const char *reason, struct cd_err *err)
{
	struct lot_tx t;
	enum cd_status st;

	if (reason == NULL || reason[0] == '\0')
		return cd_fail(err, CD_USAGE, "a discard needs --reason (e.g. expired, failed"
		    " sterility, damaged bag)");
	if ((st = text_check_field("--reason", reason, 200, 0, err)) != CD_OK)
		return st;
	if ((st = lot_tx_begin(o, ACT_LOT_MANAGE, id, &t, err)) != CD_OK)
		return st;
	st = step(&t, LOT_DISCARD, err);
	t.lot.appointment_id = 0;
	snprintf(t.lot.reason, sizeof t.lot.reason, "%s", reason);
	return lot_tx_finish(o, &t, st, "discarded", NAN, reason, reason, err);
}
