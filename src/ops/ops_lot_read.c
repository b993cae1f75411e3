/* ops_lot_read.c - reading lots: lists, one lot with its QC, the custody
 * chain and traces, FEFO suggestions, the at-risk list, the label's text
 * and what a scanner sent. Rows come from the database in UTC and leave
 * here in the local time of the lot's site, ISO 8601 with its offset. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/isbt.h"
#include "../core/localtime.h"
#include "../core/text.h"
#include "ops_lot_int.h"

#define MAX_COLS 64

/* Rewrites the UTC times of a row (the columns named in times) into the
 * local time of its tz column. */
struct localize {
	cd_row_fn fn;
	void *ctx;
	const char *const *times;
	int64_t rows;
};

static bool
is_time_key(const struct localize *lz, const char *key)
{
	const char *const *t;

	for (t = lz->times; *t != NULL; t++) {
		if (strcmp(*t, key) == 0)
			return true;
	}
	return false;
}

static enum cd_status
localize_row(void *vctx, const struct cd_row *row, struct cd_err *err)
{
	struct localize *lz = vctx;
	const char *vals[MAX_COLS], *tz = "UTC";
	char local[MAX_COLS][26];
	struct cd_local l;
	struct cd_row out;
	int64_t utc;
	int i;

	for (i = 0; i < row->n; i++) {
		if (strcmp(row->keys[i], "tz") == 0 && row->vals[i] != NULL)
			tz = row->vals[i];
	}
	for (i = 0; i < row->n && i < MAX_COLS; i++) {
		vals[i] = row->vals[i];
		if (vals[i] != NULL && is_time_key(lz, row->keys[i]) && utc_parse(vals[i], &utc)) {
			local_from_utc(tz, utc, &l);
			local_format_iso(&l, local[i]);
			vals[i] = local[i];
		}
	}
	out.n = i;
	out.keys = row->keys;
	out.vals = vals;
	lz->rows++;
	return lz->fn(lz->ctx, &out, err);
}

static const char *const lot_times[] = { "expires", "collected", "at", "appointment_start",
	"administered", "start", "released_at", NULL };

static void
localize_init(struct localize *lz, cd_row_fn fn, void *ctx)
{
	lz->fn = fn;
	lz->ctx = ctx;
	lz->times = lot_times;
	lz->rows = 0;
}

/* Looks lot code up; a refusal when there is none. */
static enum cd_status
find_lot(struct ops *o, const char *code, struct db_lot *l, struct cd_err *err)
{
	enum cd_status st;

	if ((st = db_lot_find(o->db, code, l, err)) == CD_OK && l->id == 0)
		st = cd_fail(err, CD_REFUSED, "there is no lot %.40s", code);
	return st;
}

/* The query as the database takes it; before holds the expiry bound. */
static enum cd_status
lot_query_of(struct ops *o, const struct ops_lot_query *q, struct db_lot_query *dq,
    char before[21], struct cd_err *err)
{
	struct db_patient_ref p;
	enum lot_status ls;
	enum cd_status st;

	if ((st = ops_require(o, ACT_LOT_VIEW, err)) != CD_OK)
		return st;
	memset(dq, 0, sizeof *dq);
	if (q->status != NULL && strcmp(q->status, "all") != 0 && !lot_status_parse(q->status, &ls))
		return cd_fail(err, CD_USAGE, "--status: '%.40s' is not a lot status (collected,"
		    " in-processing, quarantine, released, reserved, issued, administered,"
		    " discarded, or all)", q->status);
	dq->status = q->status;
	dq->code_has = q->id_has;
	dq->limit = q->limit;
	dq->offset = q->offset;
	dq->from = q->from;
	dq->backward = q->backward;
	if (q->site != NULL && (st = ops_find_site(o, "--site", q->site, &dq->site_id, err)) != CD_OK)
		return st;
	if (q->patient != NULL) {
		if (db_patient_ref(o->db, q->patient, &p, err) != CD_OK)
			return cd_fail(err, CD_REFUSED, "--patient: no patient has MRN %.40s", q->patient);
		dq->patient_id = p.id;
	}
	if (q->within_s > 0) {
		utc_format(o->clock_ms() / 1000 + q->within_s, before);
		dq->expires_before = before;
	}
	return CD_OK;
}

enum cd_status
ops_lot_list(struct ops *o, const struct ops_lot_query *q, cd_row_fn fn, void *ctx,
    struct cd_err *err)
{
	struct db_lot_query dq;
	struct localize lz;
	char before[21];
	enum cd_status st;

	if ((st = lot_query_of(o, q, &dq, before, err)) != CD_OK)
		return st;
	localize_init(&lz, fn, ctx);
	return db_lot_list(o->db, &dq, localize_row, &lz, err);
}

enum cd_status
ops_lot_count(struct ops *o, const struct ops_lot_query *q, int64_t max, int64_t *n,
    struct cd_err *err)
{
	struct db_lot_query dq;
	char before[21];
	enum cd_status st;

	*n = 0;
	if ((st = lot_query_of(o, q, &dq, before, err)) != CD_OK)
		return st;
	return db_lot_count(o->db, &dq, max, n, err);
}

/* The newest QC result of each test against the product's limits, then
 * results of tests without a limit. Rows: test, result, limit, verdict. */
static enum cd_status
qc_rows(struct ops *o, const struct db_lot *l, cd_row_fn fn, void *ctx, struct cd_err *err)
{
	static const char *const keys[] = { "test", "result", "verdict" };
	struct lot_qc_limit lim[32];
	struct lot_qc_result res[32];
	const char *vals[3];
	struct cd_row row = { 3, keys, vals };
	char result[48], verdict[160];
	size_t nl, nr, i, j;
	enum cd_status st;

	if ((st = db_qc_limits(o->db, l->source, lim, 32, &nl, err)) != CD_OK ||
	    (st = db_qc_latest(o->db, l->id, res, 32, &nr, err)) != CD_OK)
		return st;
	for (i = 0; i < nl; i++) {
		for (j = 0; j < nr && strcmp(res[j].test, lim[i].test) != 0; j++)
			;
		vals[0] = lim[i].test;
		if (j == nr) {
			vals[1] = "";
			vals[2] = "missing";
		} else {
			if (res[j].numeric)
				snprintf(result, sizeof result, "%g", res[j].value);
			else
				snprintf(result, sizeof result, "%s", res[j].text);
			if (lot_qc_in_limits(&lim[i], &res[j], verdict, sizeof verdict))
				snprintf(verdict, sizeof verdict, "in limits");
			vals[1] = result;
			vals[2] = verdict;
		}
		if ((st = fn(ctx, &row, err)) != CD_OK)
			return st;
	}
	return CD_OK;
}

enum cd_status
ops_lot_show(struct ops *o, const char *id, cd_row_fn head, cd_row_fn qc, void *ctx,
    struct cd_err *err)
{
	struct localize lz;
	struct db_lot l;
	enum cd_status st;

	if ((st = ops_require(o, ACT_LOT_VIEW, err)) != CD_OK ||
	    (st = db_begin_read(o->db, err)) != CD_OK)
		return st;
	localize_init(&lz, head, ctx);
	if ((st = find_lot(o, id, &l, err)) == CD_OK &&
	    (st = db_lot_show(o->db, l.id, localize_row, &lz, err)) == CD_OK && qc != NULL)
		st = qc_rows(o, &l, qc, ctx, err);
	db_end_read(o->db);
	return st;
}

enum cd_status
ops_lot_trace(struct ops *o, enum ops_trace_dir dir, const char *id, const char *donor,
    const char *patient, cd_row_fn fn, void *ctx, struct cd_err *err)
{
	struct db_patient_ref p;
	struct localize lz;
	struct db_lot l;
	enum cd_status st;

	if ((st = ops_require(o, ACT_LOT_VIEW, err)) != CD_OK ||
	    (st = db_begin_read(o->db, err)) != CD_OK)
		return st;
	memset(&l, 0, sizeof l);
	localize_init(&lz, fn, ctx);
	if (id != NULL)
		st = find_lot(o, id, &l, err);
	else if (patient != NULL && db_patient_ref(o->db, patient, &p, err) != CD_OK)
		st = cd_fail(err, CD_REFUSED, "--patient: no patient has MRN %.40s", patient);
	if (st == CD_OK) {
		if (dir == TRACE_CHAIN)
			st = db_lot_custody(o->db, l.id, localize_row, &lz, err);
		else if (dir == TRACE_FORWARD)
			st = db_lot_trace_forward(o->db, l.id, donor, localize_row, &lz, err);
		else
			st = db_lot_trace_back(o->db, l.id, patient != NULL ? p.id : 0, localize_row,
			    &lz, err);
	}
	if (st == CD_OK && lz.rows == 0 && donor != NULL)
		st = cd_fail(err, CD_REFUSED, "--donor: no lot comes from donor %.40s", donor);
	if (st == CD_OK && lz.rows == 0 && patient != NULL)
		st = cd_fail(err, CD_REFUSED, "%.40s has received no lot", patient);
	db_end_read(o->db);
	return st;
}

enum cd_status
ops_lot_suggest(struct ops *o, int64_t appt, cd_row_fn fn, void *ctx, struct cd_err *err)
{
	struct localize lz;
	struct db_appt a;
	struct db_cycle c;
	enum cd_status st;

	if ((st = ops_require(o, ACT_LOT_VIEW, err)) != CD_OK ||
	    (st = db_begin_read(o->db, err)) != CD_OK)
		return st;
	localize_init(&lz, fn, ctx);
	st = db_appt_get(o->db, appt, &a, err);
	if (st == CD_OK && strcmp(a.step, "injection") != 0)
		st = cd_fail(err, CD_REFUSED, "visit %lld is a %s, not an injection",
		    (long long)appt, a.step);
	if (st == CD_OK && (st = db_cycle_get(o->db, a.cycle_id, &c, err)) == CD_OK) {
		st = db_lot_suggest(o->db, appt, c.source, 20, localize_row, &lz, err);
		db_cycle_clear(&c);
	}
	db_end_read(o->db);
	return st;
}

#define MAX_SITES 256

enum cd_status
ops_lot_at_risk(struct ops *o, const char *site, int days, cd_row_fn fn, void *ctx,
    struct cd_err *err)
{
	int64_t ids[MAX_SITES];
	struct localize lz;
	struct db_site s;
	struct cd_local today;
	struct cd_date last;
	char from[11], to[11];
	int i, n = 1;
	enum cd_status st;

	if (days < 1 || days > 366)
		return cd_fail(err, CD_USAGE, "--days must be from 1 to 366");
	if ((st = ops_require(o, ACT_LOT_VIEW, err)) != CD_OK)
		return st;
	if (site != NULL)
		st = ops_find_site(o, "--site", site, &ids[0], err);
	else
		st = db_site_ids(o->db, ids, MAX_SITES, &n, err);
	if (st != CD_OK || (st = db_begin_read(o->db, err)) != CD_OK)
		return st;
	localize_init(&lz, fn, ctx);
	for (i = 0; st == CD_OK && i < n; i++) {
		if ((st = db_site_get(o->db, ids[i], &s, err)) != CD_OK)
			break;
		local_from_utc(s.tz, o->clock_ms() / 1000, &today);
		date_from_days(date_to_days(&today.date) + days - 1, &last);
		date_format(&today.date, from);
		date_format(&last, to);
		st = db_lot_at_risk(o->db, ids[i], from, to, localize_row, &lz, err);
	}
	db_end_read(o->db);
	return st;
}

enum cd_status
ops_lot_cycle_risks(struct ops *o, int64_t cycle, int64_t appt, cd_row_fn fn, void *ctx,
    struct cd_err *err)
{
	struct localize lz;
	struct db_appt a;
	enum cd_status st;

	if ((st = ops_require(o, ACT_SCHEDULE_VIEW, err)) != CD_OK)
		return st;
	if (cycle == 0) {
		if ((st = db_appt_get(o->db, appt, &a, err)) != CD_OK)
			return st;
		cycle = a.cycle_id;
	}
	localize_init(&lz, fn, ctx);
	return db_lot_cycle_risks(o->db, cycle, localize_row, &lz, err);
}

/* --- the label and scans --- */

/* One row kept as key/value text (a lot's show row). */
struct kept_row {
	int n;
	char keys[MAX_COLS][32];
	char vals[MAX_COLS][256];
};

static enum cd_status
keep_row(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	struct kept_row *k = ctx;
	int i;

	(void)err;
	for (i = 0, k->n = 0; i < row->n && i < MAX_COLS; i++, k->n++) {
		snprintf(k->keys[i], sizeof k->keys[i], "%s", row->keys[i]);
		snprintf(k->vals[i], sizeof k->vals[i], "%s", row->vals[i] ? row->vals[i] : "");
	}
	return CD_OK;
}

static const char *
kept(const struct kept_row *k, const char *key)
{
	int i;

	for (i = 0; i < k->n; i++) {
		if (strcmp(k->keys[i], key) == 0)
			return k->vals[i];
	}
	return "";
}

/* "2026-11-23T14:00:00+01:00" -> "2026-11-23 14:00 (+01:00)". */
static void
label_time(struct strbuf *out, const char *what, const char *iso)
{
	if (strlen(iso) >= 25)
		strbuf_addf(out, "%-12s %.10s %.5s (UTC%.6s)\n", what, iso, iso + 11, iso + 19);
}

enum cd_status
ops_lot_label(struct ops *o, const char *id, struct strbuf *out, struct cd_err *err)
{
	struct kept_row k;
	enum lot_status ls;
	char din[ISBT_DIN_PRINTED_SIZE];
	enum cd_status st;

	memset(&k, 0, sizeof k);
	if ((st = ops_lot_show(o, id, keep_row, NULL, &k, err)) != CD_OK)
		return st;
	strbuf_addf(out, "%s cells, %s", kept(&k, "source"), kept(&k, "kind"));
	strbuf_addf(out, " (%s)\n", kept(&k, "storage"));
	strbuf_addf(out, "%-12s %s\n", "Lot", kept(&k, "id"));
	if (kept(&k, "din")[0] != '\0') {
		isbt_din_format_printed(kept(&k, "din"), din);
		strbuf_addf(out, "%-12s %s\n", "DIN", din);
		strbuf_addf(out, "%-12s %s\n", "Product", kept(&k, "product"));
	}
	label_time(out, "Collected", kept(&k, "collected"));
	label_time(out, "Expires", kept(&k, "expires"));
	if (kept(&k, "volume_ml")[0] != '\0')
		strbuf_addf(out, "%-12s %s mL\n", "Volume", kept(&k, "volume_ml"));
	if (strcmp(kept(&k, "kind"), "autologous") == 0) {
		strbuf_addf(out, "%-12s %s (%s)\n", "Patient", kept(&k, "name"),
		    kept(&k, "patient"));
		strbuf_adds(out, "FOR AUTOLOGOUS USE ONLY\n");
	} else {
		strbuf_addf(out, "%-12s %s (eligibility: %s)\n", "Donor", kept(&k, "donor"),
		    kept(&k, "eligibility"));
	}
	if (lot_status_parse(kept(&k, "status"), &ls) && ls < LOT_RELEASED)
		strbuf_adds(out, "QUARANTINE: NOT RELEASED FOR USE\n");
	else if (ls == LOT_DISCARDED)
		strbuf_adds(out, "DISCARDED: DO NOT USE\n");
	return CD_OK;
}

/* Rows: what, value, detail. */
static enum cd_status
scan_row(cd_row_fn fn, void *ctx, const char *what, const char *value, const char *detail,
    struct cd_err *err)
{
	static const char *const keys[] = { "what", "value", "detail" };
	const char *vals[3] = { what, value, detail };
	struct cd_row row = { 3, keys, vals };

	return fn(ctx, &row, err);
}

/* A lot as one line for a scan: status, whose, expiry, place. */
struct scan_lots {
	cd_row_fn fn;
	void *ctx;
	int64_t rows;
};

static enum cd_status
scan_lot_row(void *vctx, const struct cd_row *row, struct cd_err *err)
{
	struct scan_lots *s = vctx;
	struct kept_row k;
	char detail[512];

	(void)keep_row(&k, row, err);
	snprintf(detail, sizeof detail, "%s, %s %s%s, expires %s, %s", kept(&k, "status"),
	    kept(&k, "kind"), kept(&k, "patient")[0] ? "of patient " : "from donor ",
	    kept(&k, "patient")[0] ? kept(&k, "patient") : kept(&k, "donor"),
	    kept(&k, "expires"), kept(&k, "location"));
	s->rows++;
	return scan_row(s->fn, s->ctx, "lot", kept(&k, "id"), detail, err);
}

/* Lots of one donation (din) or the one lot called code. */
static enum cd_status
scan_lots(struct ops *o, const char *din, const char *code, struct scan_lots *sl,
    struct cd_err *err)
{
	struct db_lot_query q;
	struct localize lz;
	struct db_lot l;
	enum cd_status st;

	memset(&q, 0, sizeof q);
	q.status = "all";
	q.limit = 50;
	localize_init(&lz, scan_lot_row, sl);
	if (din != NULL) {
		q.din = din;
		return db_lot_list(o->db, &q, localize_row, &lz, err);
	}
	if ((st = db_lot_find(o->db, code, &l, err)) != CD_OK || l.id == 0)
		return st;
	return db_lot_show(o->db, l.id, localize_row, &lz, err);
}

enum cd_status
ops_scan(struct ops *o, const char *text, cd_row_fn fn, void *ctx, struct cd_err *err)
{
	struct scan_result r;
	struct scan_lots sl = { fn, ctx, 0 };
	struct db_patient_ref p;
	char value[64], detail[128];
	enum cd_status st;

	if ((st = ops_require(o, ACT_LOT_VIEW, err)) != CD_OK)
		return st;
	if ((st = scan_parse(text, strlen(text), &r, err)) != CD_OK)
		return st;
	if ((st = db_begin_read(o->db, err)) != CD_OK)
		return st;
	switch (r.kind) {
	case SCAN_DIN:
		isbt_din_format_printed(r.din, value);
		snprintf(detail, sizeof detail, "%s", r.check_verified ? "check character verified" :
		    "no check character in the scan");
		if ((st = scan_row(fn, ctx, "ISBT 128 DIN", value, detail, err)) == CD_OK)
			st = scan_lots(o, r.din, NULL, &sl, err);
		if (st == CD_OK && sl.rows == 0)
			st = scan_row(fn, ctx, "lot", "", "no lot of this donation is recorded here",
			    err);
		break;
	case SCAN_PRODUCT:
		snprintf(detail, sizeof detail, "product %.5s, donation type %c, division %.2s",
		    r.product, r.product[5], r.product + 6);
		st = scan_row(fn, ctx, "ISBT 128 product code", r.product, detail, err);
		break;
	case SCAN_EXPIRY:
		st = scan_row(fn, ctx, "ISBT 128 expiry", r.expiry, "local time of the label", err);
		break;
	case SCAN_LOT:
	case SCAN_CODE:
		if ((st = scan_lots(o, NULL, r.code, &sl, err)) != CD_OK || sl.rows > 0)
			break;
		if (db_patient_ref(o->db, r.code, &p, err) == CD_OK) {
			struct kept_row k;

			memset(&k, 0, sizeof k);
			if ((st = db_patient_show(o->db, r.code, keep_row, &k, err)) != CD_OK)
				break;
			snprintf(detail, sizeof detail, "%s, born %s", kept(&k, "name"),
			    kept(&k, "dob"));
			st = scan_row(fn, ctx, "patient", p.mrn, detail, err);
			break;
		}
		st = cd_fail(err, CD_REFUSED, r.kind == SCAN_LOT ? "no lot %s is recorded here" :
		    "'%s' is neither a lot number nor an MRN known here", r.code);
		break;
	}
	db_end_read(o->db);
	return st;
}
