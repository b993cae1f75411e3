/* ops_lots.c - recording a cell lot, the clinic's lot-number scheme, the
 * lab's QC limits and expiry rules, and what every change to a lot
 * shares (ops_lot_int.h): one transaction, one custody event, its audit. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/isbt.h"
#include "../core/localtime.h"
#include "../core/text.h"
#include "ops_lot_int.h"

static const char *const sources[] = { "bone-marrow", "adipose", "cord-blood" };

static bool
one_of(const char *s, const char *const *set, size_t n)
{
	size_t i;

	for (i = 0; s != NULL && i < n; i++) {
		if (strcmp(s, set[i]) == 0)
			return true;
	}
	return false;
}
#define ONE_OF(s, set) one_of((s), (set), sizeof(set) / sizeof((set)[0]))

static enum cd_status
check_source(const char *field, const char *s, struct cd_err *err)
{
	if (ONE_OF(s, sources))
		return CD_OK;
	return cd_fail(err, CD_USAGE, "%s: '%.40s' is not a source tissue (bone-marrow, adipose"
	    " or cord-blood)", field, s);
}

bool
lot_expired(const struct db_lot *l, int64_t now_s)
{
	int64_t e;

	return !utc_parse(l->expires_at, &e) || e <= now_s;
}

enum cd_status
lot_rule_expiry(struct ops *o, const char *source, const char *storage, int64_t from,
    char out[21], struct cd_err *err)
{
	int64_t hours;
	enum cd_status st;

	if ((st = db_expiry_hours(o->db, source, storage, &hours, err)) != CD_OK)
		return st;
	if (hours == 0)
		return cd_fail(err, CD_REFUSED, "the lab has no expiry rule for %s kept %s; give"
		    " --expires or set one with celldesk product expiry", source, storage);
	utc_format(from + hours * 3600, out);
	return CD_OK;
}

enum cd_status
lot_local_time(struct ops *o, const char *field, const char *text, int64_t site_id,
    int64_t *utc, struct cd_err *err)
{
	struct db_site s;
	struct cd_date d;
	enum cd_status st;
	int minute;

	if (!local_parse(text, &d, &minute))
		return cd_fail(err, CD_USAGE, "%s: '%.40s' is not a local time (\"YYYY-MM-DD HH:MM\")",
		    field, text);
	if ((st = db_site_get(o->db, site_id, &s, err)) != CD_OK)
		return st;
	return local_to_utc(s.tz, &d, minute, utc, err);
}

enum cd_status
lot_place_parse(struct ops *o, const char *field, const char *path, struct db_lot *l,
    struct cd_err *err)
{
	char site[128], unit[128];
	const char *slash, *rest = NULL;
	enum cd_status st;
	size_t n;

	if ((st = text_check_field(field, path, 200, 0, err)) != CD_OK)
		return st;
	slash = strchr(path, '/');
	n = slash != NULL ? (size_t)(slash - path) : strlen(path);
	if (n == 0 || n >= sizeof site)
		return cd_fail(err, CD_USAGE, "%s: '%.80s' is not a place (SITE[/UNIT[/RACK/BOX/POS]])",
		    field, path);
	memcpy(site, path, n);
	site[n] = '\0';
	if ((st = ops_find_site(o, field, site, &l->site_id, err)) != CD_OK)
		return st;
	l->unit_id = 0;
	l->position[0] = l->holder[0] = '\0';
	if (slash == NULL)
		return CD_OK;
	rest = strchr(slash + 1, '/');
	n = rest != NULL ? (size_t)(rest - slash - 1) : strlen(slash + 1);
	if (n == 0 || n >= sizeof unit)
		return cd_fail(err, CD_USAGE, "%s: '%.80s' names no storage unit after the site",
		    field, path);
	memcpy(unit, slash + 1, n);
	unit[n] = '\0';
	if ((st = db_unit_find(o->db, l->site_id, unit, &l->unit_id, err)) != CD_OK)
		return st;
	if (l->unit_id == 0)
		return cd_fail(err, CD_REFUSED, "%s has no storage unit called '%.80s' (see celldesk"
		    " storage list --site %s)", site, unit, site);
	if (rest != NULL) {
		if (strlen(rest + 1) == 0 || strlen(rest + 1) >= sizeof l->position)
			return cd_fail(err, CD_USAGE, "%s: the place inside %s must be 1 to 63"
			    " characters (RACK/BOX/POS)", field, unit);
		snprintf(l->position, sizeof l->position, "%s", rest + 1);
	}
	return CD_OK;
}

enum cd_status
lot_tx_begin(struct ops *o, enum cd_action action, const char *code, struct lot_tx *t,
    struct cd_err *err)
{
	enum cd_status st;

	memset(t, 0, sizeof *t);
	if ((st = ops_write_begin(o, action, t->now, err)) != CD_OK)
		return st;
	t->now_s = o->clock_ms() / 1000;
	utc_format(t->now_s, t->at);
	st = db_lot_find(o->db, code, &t->lot, err);
	if (st == CD_OK && t->lot.id == 0)
		st = cd_fail(err, CD_REFUSED, "there is no lot %.40s", code);
	if (st == CD_OK && !lot_status_parse(t->lot.status, &t->status))
		st = cd_fail(err, CD_EDATA, "lot %.40s has an unknown status", code);
	if (st == CD_OK)
		st = db_snapshot(o->db, "lots", t->lot.id, &t->old, err);
	if (st == CD_OK)
		st = db_lot_location(o->db, t->lot.id, t->from, sizeof t->from, err);
	if (st != CD_OK) {
		free(t->old);
		t->old = NULL;
		return ops_write_end(o, st, err);
	}
	return CD_OK;
}

/* Appends a custody event of lot l and its audit record. */
static enum cd_status
custody(struct ops *o, const char *now, const char *at, const struct db_lot *l,
    const char *event, const char *from, const char *to, double temp_c, const char *note,
    const char *reason, struct cd_err *err)
{
	struct db_custody e;
	int64_t id;
	enum cd_status st;

	memset(&e, 0, sizeof e);
	e.lot_id = l->id;
	e.at = at;
	e.actor = o->actor;
	e.event = event;
	e.from = from;
	e.to = to;
	e.temp_c = temp_c;
	e.note = note;
	if ((st = db_custody_insert(o->db, &e, &id, err)) != CD_OK)
		return st;
	return ops_audit_change(o, now, "insert", "custody_events", id, l->code, NULL, reason, err);
}

enum cd_status
lot_tx_finish(struct ops *o, struct lot_tx *t, enum cd_status st, const char *event,
    double temp_c, const char *note, const char *reason, struct cd_err *err)
{
	char to[DB_LOCATION_MAX];
	char *old = t->old;

	t->old = NULL;
	if (st == CD_OK)
		st = db_lot_update(o->db, &t->lot, t->at, err);
	if (st == CD_OK)
		st = ops_audit_change(o, t->now, "update", "lots", t->lot.id, t->lot.code, old,
		    reason, err);
	else
		free(old);
	if (st == CD_OK && event != NULL &&
	    (st = db_lot_location(o->db, t->lot.id, to, sizeof to, err)) == CD_OK)
		st = custody(o, t->now, t->at, &t->lot, event, t->from, to, temp_c, note, reason,
		    err);
	return ops_write_end(o, st, err);
}

/* --- lot add --- */

struct patient_name {
	char name[256];
};

static enum cd_status
take_name(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	struct patient_name *p = ctx;
	int i;

	(void)err;
	for (i = 0; i < row->n; i++) {
		if (strcmp(row->keys[i], "name") == 0 && row->vals[i] != NULL)
			snprintf(p->name, sizeof p->name, "%s", row->vals[i]);
	}
	return CD_OK;
}

/* The clinic's scheme and prefix allow this code. */
static enum cd_status
check_scheme(struct ops *o, const char *code, enum lot_code_kind kind, struct cd_err *err)
{
	char scheme[32], prefix[64];
	enum cd_status st;

	if ((st = db_setting_get(o->db, "lot_id_scheme", scheme, sizeof scheme, err)) != CD_OK ||
	    (st = db_setting_get(o->db, "lot_local_prefix", prefix, sizeof prefix, err)) != CD_OK)
		return st;
	if (kind == LOT_CODE_LOCAL && strcmp(scheme, "isbt128") == 0)
		return cd_fail(err, CD_REFUSED, "--id: this clinic numbers lots with ISBT 128 only"
		    " (DIN-PRODUCT, e.g. G123426000001-S1234A00)");
	if (kind == LOT_CODE_ISBT && strcmp(scheme, "local") == 0)
		return cd_fail(err, CD_REFUSED, "--id: this clinic uses its own lot numbers, not"
		    " ISBT 128 codes");
	if (kind == LOT_CODE_LOCAL && prefix[0] != '\0' &&
	    strncmp(code, prefix, strlen(prefix)) != 0)
		return cd_fail(err, CD_REFUSED, "--id: the clinic's lot numbers start with %s",
		    prefix);
	return CD_OK;
}

enum cd_status
donor_ineligible(struct ops *o, const char *donor, char *code, size_t len,
    struct cd_err *err)
{
	struct db_lot l;
	int64_t *ids;
	size_t n, i;
	enum cd_status st;

	code[0] = '\0';
	if ((st = db_donor_lots(o->db, donor, &ids, &n, err)) != CD_OK)
		return st;
	for (i = 0; st == CD_OK && i < n && code[0] == '\0'; i++) {
		if ((st = db_lot_get(o->db, ids[i], &l, err)) == CD_OK &&
		    strcmp(l.donor_status, "ineligible") == 0)
			snprintf(code, len, "%s", l.code);
	}
	free(ids);
	return st;
}

/* A donor found ineligible stays so for every new lot of theirs. */
static enum cd_status
donor_blocked(struct ops *o, const struct ops_lot_new *n, struct db_lot *l,
    struct cd_err *err)
{
	char bad[40];
	enum cd_status st;

	if ((st = donor_ineligible(o, l->donor_code, bad, sizeof bad, err)) != CD_OK ||
	    bad[0] == '\0')
		return st;
	snprintf(l->donor_status, sizeof l->donor_status, "ineligible");
	if (n->eligibility != NULL && strcmp(n->eligibility, "ineligible") != 0)
		return cd_fail(err, CD_REFUSED, "--eligibility: donor %s was found ineligible"
		    " (lot %s), and so is every lot of the donor", l->donor_code, bad);
	return CD_OK;
}

/* Who the lot belongs to, where it comes from and its chain of identity. */
static enum cd_status
lot_origin(struct ops *o, const struct ops_lot_new *n, struct db_lot *l, int64_t *pt_site,
    struct cd_err *err)
{
	struct db_patient_ref p;
	struct patient_name pn;
	struct db_lot parent;
	struct db_cycle c;
	enum cd_status st;

	*pt_site = 0;
	if (n->patient != NULL) {
		if ((st = db_patient_ref(o->db, n->patient, &p, err)) != CD_OK)
			return cd_fail(err, CD_REFUSED, "--patient: no patient has MRN %.40s",
			    n->patient);
		memset(&pn, 0, sizeof pn);
		if ((st = db_patient_show(o->db, n->patient, take_name, &pn, err)) != CD_OK)
			return st;
		if (lot_code_names_patient(l->code, p.mrn, pn.name))
			return cd_fail(err, CD_REFUSED, "--id: a lot number must not contain the"
			    " patient's MRN or name (21 CFR 1271.290); use the clinic's numbering");
		l->patient_id = p.id;
		*pt_site = p.site_id;
	}
	if (n->parent != NULL) {
		if ((st = db_lot_find(o->db, n->parent, &parent, err)) != CD_OK)
			return st;
		if (parent.id == 0)
			return cd_fail(err, CD_REFUSED, "--parent: there is no lot %.40s", n->parent);
		if (strcmp(parent.kind, l->kind) != 0 || parent.patient_id != l->patient_id ||
		    strcmp(parent.donor_code, l->donor_code) != 0 ||
		    strcmp(parent.source, l->source) != 0)
			return cd_fail(err, CD_REFUSED, "--parent: lot %.40s holds other cells (%s %s%s%s);"
			    " an aliquot has its parent's kind, %s and source", parent.code, parent.kind,
			    parent.source, parent.donor_code[0] != '\0' ? " of donor " : "",
			    parent.donor_code, l->kind[0] == 'a' ? "patient" : "donor");
		if (strcmp(parent.status, "administered") == 0 ||
		    strcmp(parent.status, "discarded") == 0)
			return cd_fail(err, CD_REFUSED, "--parent: lot %.40s was %s; nothing can be"
			    " split from it", parent.code, parent.status);
		l->parent_id = parent.id;
		l->site_id = parent.site_id;
		if (n->eligibility == NULL)
			snprintf(l->donor_status, sizeof l->donor_status, "%s", parent.donor_status);
		l->cycle_id = parent.cycle_id;
		snprintf(l->coi, sizeof l->coi, "%s", parent.coi);
	}
	if (l->donor_code[0] != '\0' && (st = donor_blocked(o, n, l, err)) != CD_OK)
		return st;
	if (n->cycle != 0) {
		if ((st = db_cycle_get(o->db, n->cycle, &c, err)) != CD_OK)
			return st;
		db_cycle_clear(&c);
		if (l->patient_id != 0 && c.patient_id != l->patient_id)
			return cd_fail(err, CD_REFUSED, "--cycle: cycle %lld is another patient's",
			    (long long)n->cycle);
		if (strcmp(c.source, l->kind) != 0)
			return cd_fail(err, CD_REFUSED, "--cycle: cycle %lld uses %s cells, not %s",
			    (long long)n->cycle, c.source, l->kind);
		l->cycle_id = n->cycle;
		if (l->coi[0] == '\0')
			snprintf(l->coi, sizeof l->coi, "COI-C%06lld", (long long)n->cycle);
	}
	if (l->coi[0] == '\0')
		snprintf(l->coi, sizeof l->coi, "COI-%s", l->din[0] != '\0' ? l->din : l->code);
	return CD_OK;
}

/* Checks what needs no database. */
static enum cd_status
lot_new_check(const struct ops_lot_new *n, struct db_lot *l, struct cd_err *err)
{
	static const char *const kinds[] = { "autologous", "donor" };
	static const char *const eligibilities[] = { "pending", "eligible", "ineligible" };
	static const char *const storages[] = { "fresh", "cryopreserved" };
	enum lot_code_kind ck;
	enum cd_status st;

	memset(l, 0, sizeof *l);
	l->volume_ml = n->volume_ml;
	l->cell_count = n->cells;
	l->viability = NAN;
	if ((st = lot_code_parse(n->id, &ck, l->din, l->product_code, err)) != CD_OK)
		return st;
	snprintf(l->code, sizeof l->code, "%s", n->id);
	if (!ONE_OF(n->kind, kinds))
		return cd_fail(err, CD_USAGE, "--kind: '%.40s' is not autologous or donor", n->kind);
	if ((st = check_source("--source", n->source, err)) != CD_OK)
		return st;
	if (n->storage != NULL && !ONE_OF(n->storage, storages))
		return cd_fail(err, CD_USAGE, "--storage: '%.40s' is not fresh or cryopreserved",
		    n->storage);
	snprintf(l->kind, sizeof l->kind, "%s", n->kind);
	snprintf(l->source, sizeof l->source, "%s", n->source);
	snprintf(l->storage, sizeof l->storage, "%s", n->storage ? n->storage : "fresh");
	snprintf(l->status, sizeof l->status, "collected");
	if (strcmp(n->kind, "autologous") == 0) {
		if (n->patient == NULL)
			return cd_fail(err, CD_USAGE, "an autologous lot needs --patient MRN: whose cells");
		if (n->donor != NULL || n->eligibility != NULL)
			return cd_fail(err, CD_USAGE, "an autologous lot has no --donor or --eligibility");
		return CD_OK;
	}
	if (n->donor == NULL)
		return cd_fail(err, CD_USAGE, "a donor lot needs --donor CODE");
	if (n->patient != NULL)
		return cd_fail(err, CD_USAGE, "a donor lot has no --patient; it is matched to a"
		    " patient when reserved for a visit");
	if ((st = text_check_field("--donor", n->donor, 39, 0, err)) != CD_OK)
		return st;
	if (n->eligibility != NULL && !ONE_OF(n->eligibility, eligibilities))
		return cd_fail(err, CD_USAGE, "--eligibility: '%.40s' is not pending, eligible or"
		    " ineligible", n->eligibility);
	snprintf(l->donor_code, sizeof l->donor_code, "%s", n->donor);
	snprintf(l->donor_status, sizeof l->donor_status, "%s",
	    n->eligibility ? n->eligibility : "pending");
	return CD_OK;
}

/* Where the new lot is: --location, its parent's site, the patient's
 * site, or the only site there is. */
static enum cd_status
lot_new_place(struct ops *o, const struct ops_lot_new *n, struct db_lot *l, int64_t pt_site,
    struct cd_err *err)
{
	int64_t ids[2];
	int nsites;
	enum cd_status st;

	if (n->location != NULL)
		return lot_place_parse(o, "--location", n->location, l, err);
	if (l->site_id == 0)
		l->site_id = pt_site;
	if (l->site_id != 0)
		return CD_OK;
	if ((st = db_site_ids(o->db, ids, 2, &nsites, err)) != CD_OK)
		return st;
	if (nsites != 1)
		return cd_fail(err, CD_USAGE, "where is the lot? give --location SITE[/UNIT[/...]]");
	l->site_id = ids[0];
	return CD_OK;
}

enum cd_status
ops_lot_add(struct ops *o, const struct ops_lot_new *n, struct cd_err *err)
{
	struct db_lot l, dup;
	enum lot_code_kind ck;
	char din[14], product[9], now[25], to[DB_LOCATION_MAX];
	int64_t pt_site, collected, expires, id = 0;
	enum cd_status st;

	if ((st = lot_new_check(n, &l, err)) != CD_OK)
		return st;
	if ((st = ops_write_begin(o, ACT_LOT_MANAGE, now, err)) != CD_OK)
		return st;
	(void)lot_code_parse(n->id, &ck, din, product, NULL);
	st = check_scheme(o, l.code, ck, err);
	if (st == CD_OK && (st = db_lot_find(o->db, l.code, &dup, err)) == CD_OK && dup.id != 0)
		st = cd_fail(err, CD_REFUSED, "lot %.40s already exists", l.code);
	if (st == CD_OK)
		st = lot_origin(o, n, &l, &pt_site, err);
	if (st == CD_OK)
		st = lot_new_place(o, n, &l, pt_site, err);
	collected = o->clock_ms() / 1000;
	if (st == CD_OK && n->collected != NULL)
		st = lot_local_time(o, "--collected", n->collected, l.site_id, &collected, err);
	if (st == CD_OK && collected > o->clock_ms() / 1000 + 300)
		st = cd_fail(err, CD_USAGE, "--collected: %s is in the future", n->collected);
	utc_format(collected, l.collected_at);
	if (st == CD_OK && n->expires != NULL &&
	    (st = lot_local_time(o, "--expires", n->expires, l.site_id, &expires, err)) == CD_OK) {
		if (expires <= collected)
			st = cd_fail(err, CD_USAGE, "--expires must be after the collection");
		utc_format(expires, l.expires_at);
	} else if (st == CD_OK)
		st = lot_rule_expiry(o, l.source, l.storage, collected, l.expires_at, err);
	if (st == CD_OK)
		st = db_lot_insert(o->db, &l, now, &id, err);
	l.id = id;
	if (st == CD_OK)
		st = ops_audit_change(o, now, "insert", "lots", id, l.code, NULL, NULL, err);
	if (st == CD_OK)
		st = db_lot_location(o->db, id, to, sizeof to, err);
	if (st == CD_OK)
		st = custody(o, now, l.collected_at, &l, "collected", NULL, to, NAN, NULL, NULL, err);
	if (st == CD_OK)
		st = lot_order_queue(o, &l, err);
	return ops_write_end(o, st, err);
}

/* --- the lot-number scheme, QC limits, expiry rules --- */

/* Sets one clinic-wide setting with its audit record. */
static enum cd_status
setting_set(struct ops *o, const char *now, const char *key, const char *value,
    struct cd_err *err)
{
	int64_t id;
	char *old;
	enum cd_status st;

	if ((st = db_setting_set(o->db, key, value, &id, &old, err)) != CD_OK)
		return st;
	return ops_audit_change(o, now, old != NULL ? "update" : "insert", "settings", id, key,
	    old, NULL, err);
}

enum cd_status
ops_lot_scheme(struct ops *o, const char *scheme, const char *prefix, cd_row_fn fn,
    void *ctx, struct cd_err *err)
{
	static const char *const schemes[] = { "isbt128", "local", "both" };
	static const char *const keys[] = { "key", "value" };
	const char *vals[2];
	struct cd_row row = { 2, keys, vals };
	char s[32], p[64], now[25];
	enum cd_status st;

	if (scheme == NULL) {
		if ((st = ops_require(o, ACT_LOT_VIEW, err)) != CD_OK ||
		    (st = db_setting_get(o->db, "lot_id_scheme", s, sizeof s, err)) != CD_OK ||
		    (st = db_setting_get(o->db, "lot_local_prefix", p, sizeof p, err)) != CD_OK)
			return st;
		vals[0] = "scheme";
		vals[1] = s;
		if ((st = fn(ctx, &row, err)) != CD_OK)
			return st;
		vals[0] = "local_prefix";
		vals[1] = p;
		return fn(ctx, &row, err);
	}
	if (!ONE_OF(scheme, schemes))
		return cd_fail(err, CD_USAGE, "SCHEME: '%.40s' is not isbt128, local or both", scheme);
	if (prefix != NULL && prefix[0] != '\0' && (strlen(prefix) > 16 ||
	    prefix[0] < 'A' || prefix[0] > 'Z' ||
	    strspn(prefix, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") != strlen(prefix)))
		return cd_fail(err, CD_USAGE, "--prefix: '%.40s' is not the start of a local lot"
		    " number (capital letters, digits and -, a letter first, up to 16)", prefix);
	if ((st = ops_write_begin(o, ACT_LOT_SETUP, now, err)) != CD_OK)
		return st;
	st = setting_set(o, now, "lot_id_scheme", scheme, err);
	if (st == CD_OK && prefix != NULL)
		st = setting_set(o, now, "lot_local_prefix", prefix, err);
	return ops_write_end(o, st, err);
}

/* Rows: source, rule (qc or expiry), what (the test or the storage
 * state), limit. */
enum cd_status
ops_product_list(struct ops *o, cd_row_fn fn, void *ctx, struct cd_err *err)
{
	static const char *const keys[] = { "source", "rule", "what", "limit" };
	static const char *const storages[] = { "fresh", "cryopreserved", "thawed" };
	struct lot_qc_limit lim[32];
	const char *vals[4];
	struct cd_row row = { 4, keys, vals };
	char text[96], num[2][32];
	size_t i, j, n;
	int64_t hours;
	enum cd_status st;

	if ((st = ops_require(o, ACT_LOT_VIEW, err)) != CD_OK)
		return st;
	for (i = 0; i < sizeof sources / sizeof sources[0]; i++) {
		vals[0] = sources[i];
		if ((st = db_qc_limits(o->db, sources[i], lim, 32, &n, err)) != CD_OK)
			return st;
		for (j = 0; j < n; j++) {
			snprintf(num[0], sizeof num[0], "%g", lim[j].min);
			snprintf(num[1], sizeof num[1], "%g", lim[j].max);
			if (lim[j].expect[0] != '\0')
				snprintf(text, sizeof text, "%s", lim[j].expect);
			else if (lim[j].has_min && lim[j].has_max)
				snprintf(text, sizeof text, "%s to %s%s%s", num[0], num[1],
				    lim[j].unit[0] ? " " : "", lim[j].unit);
			else
				snprintf(text, sizeof text, "%s %s%s%s", lim[j].has_min ? "at least" :
				    "at most", num[lim[j].has_min ? 0 : 1], lim[j].unit[0] ? " " : "",
				    lim[j].unit);
			vals[1] = "qc";
			vals[2] = lim[j].test;
			vals[3] = text;
			if ((st = fn(ctx, &row, err)) != CD_OK)
				return st;
		}
		for (j = 0; j < sizeof storages / sizeof storages[0]; j++) {
			if ((st = db_expiry_hours(o->db, sources[i], storages[j], &hours, err)) != CD_OK)
				return st;
			if (hours == 0)
				continue;
			if (hours % 24 == 0)
				snprintf(text, sizeof text, "%lld day%s", (long long)(hours / 24),
				    hours == 24 ? "" : "s");
			else
				snprintf(text, sizeof text, "%lld hour%s", (long long)hours,
				    hours == 1 ? "" : "s");
			vals[1] = "expiry";
			vals[2] = storages[j];
			vals[3] = text;
			if ((st = fn(ctx, &row, err)) != CD_OK)
				return st;
		}
	}
	return CD_OK;
}

enum cd_status
ops_product_limit(struct ops *o, const char *source, const char *test, double min, double max,
    const char *expect, const char *unit, struct cd_err *err)
{
	struct lot_qc_limit l;
	char now[25], key[96], *old;
	int64_t id;
	enum cd_status st;

	if ((st = check_source("SOURCE", source, err)) != CD_OK ||
	    (st = text_check_field("TEST", test, 31, 0, err)) != CD_OK)
		return st;
	if (strspn(test, "abcdefghijklmnopqrstuvwxyz-") != strlen(test) || test[0] == '\0')
		return cd_fail(err, CD_USAGE, "TEST: '%.40s' is not a test name (lower-case letters"
		    " and -, e.g. viability)", test);
	if ((expect != NULL) == (!isnan(min) || !isnan(max)))
		return cd_fail(err, CD_USAGE, "give --min and/or --max for a measured test, or"
		    " --expect WORD for a test read as a word (e.g. --expect negative)");
	if (!isnan(min) && !isnan(max) && min > max)
		return cd_fail(err, CD_USAGE, "--min must not be above --max");
	memset(&l, 0, sizeof l);
	snprintf(l.test, sizeof l.test, "%s", test);
	l.has_min = !isnan(min);
	l.has_max = !isnan(max);
	l.min = min;
	l.max = max;
	if (expect != NULL && ((st = text_check_field("--expect", expect, 31, 0, err)) != CD_OK))
		return st;
	if (unit != NULL && ((st = text_check_field("--unit", unit, 15, 0, err)) != CD_OK))
		return st;
	snprintf(l.expect, sizeof l.expect, "%s", expect ? expect : "");
	snprintf(l.unit, sizeof l.unit, "%s", unit ? unit : "");
	if ((st = ops_write_begin(o, ACT_LOT_SETUP, now, err)) != CD_OK)
		return st;
	snprintf(key, sizeof key, "%s %s", source, test);
	if ((st = db_qc_limit_set(o->db, source, &l, &id, &old, err)) == CD_OK)
		st = ops_audit_change(o, now, old != NULL ? "update" : "insert", "qc_limits", id,
		    key, old, NULL, err);
	return ops_write_end(o, st, err);
}

enum cd_status
ops_product_expiry(struct ops *o, const char *source, const char *storage, int64_t hours,
    struct cd_err *err)
{
	static const char *const storages[] = { "fresh", "cryopreserved", "thawed" };
	char now[25], key[64], *old;
	int64_t id;
	enum cd_status st;

	if ((st = check_source("SOURCE", source, err)) != CD_OK)
		return st;
	if (!ONE_OF(storage, storages))
		return cd_fail(err, CD_USAGE, "--storage: '%.40s' is not fresh, cryopreserved or"
		    " thawed", storage);
	if (hours <= 0 || hours > 30 * 8766)
		return cd_fail(err, CD_USAGE, "--hours must be from 1 to 262980 (30 years)");
	if ((st = ops_write_begin(o, ACT_LOT_SETUP, now, err)) != CD_OK)
		return st;
	snprintf(key, sizeof key, "%s %s", source, storage);
	if ((st = db_expiry_rule_set(o->db, source, storage, hours, &id, &old, err)) == CD_OK)
		st = ops_audit_change(o, now, old != NULL ? "update" : "insert", "expiry_rules", id,
		    key, old, NULL, err);
	return ops_write_end(o, st, err);
}
