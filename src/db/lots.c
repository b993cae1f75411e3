/* lots.c - cell lot records and what is appended to them: custody
 * events, QC results, signatures, bedside checks; the lab's QC limits and
 * expiry rules; clinic-wide settings. Listings are in lot_queries.c. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../core/lot.h"
#include "../core/xalloc.h"
#include "db_int.h"

/* Copies column i as text into buf ("" for NULL). */
static void
col_text(sqlite3_stmt *s, int i, char *buf, size_t n)
{
	const unsigned char *v = sqlite3_column_text(s, i);

	snprintf(buf, n, "%s", v != NULL ? (const char *)v : "");
}

static double
col_real(sqlite3_stmt *s, int i)
{
	return sqlite3_column_type(s, i) == SQLITE_NULL ? NAN : sqlite3_column_double(s, i);
}

static void
bind_real(sqlite3_stmt *s, int i, double v)
{
	if (isnan(v))
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_double(s, i, v);
}

static void
bind_id(sqlite3_stmt *s, int i, int64_t v)
{
	if (v == 0)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_int64(s, i, v);
}

#define LOT_COLUMNS "id, code, din, product_code, kind, patient_id, donor_code,"             \
	" donor_status, source, parent_id, coi, cycle_id, volume_ml, cell_count, viability," \
	" collected_at, expires_at, storage, site_id, unit_id, position, holder, status,"     \
	" reason, appointment_id, recipient_id, excursion_id"

static const char SQL_FIND[] = "SELECT " LOT_COLUMNS " FROM lots WHERE code = ?1";
static const char SQL_GET[] = "SELECT " LOT_COLUMNS " FROM lots WHERE id = ?1";
static const char SQL_OF_APPT[] = "SELECT " LOT_COLUMNS " FROM lots WHERE appointment_id = ?1"
    " AND status IN ('reserved', 'issued')";

static enum cd_status
read_lot(struct db *db, const char *sql, sqlite3_stmt *s, struct db_lot *l, struct cd_err *err)
{
	int rc;

	memset(l, 0, sizeof *l);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		l->id = sqlite3_column_int64(s, 0);
		col_text(s, 1, l->code, sizeof l->code);
		col_text(s, 2, l->din, sizeof l->din);
		col_text(s, 3, l->product_code, sizeof l->product_code);
		col_text(s, 4, l->kind, sizeof l->kind);
		l->patient_id = sqlite3_column_int64(s, 5);
		col_text(s, 6, l->donor_code, sizeof l->donor_code);
		col_text(s, 7, l->donor_status, sizeof l->donor_status);
		col_text(s, 8, l->source, sizeof l->source);
		l->parent_id = sqlite3_column_int64(s, 9);
		col_text(s, 10, l->coi, sizeof l->coi);
		l->cycle_id = sqlite3_column_int64(s, 11);
		l->volume_ml = col_real(s, 12);
		l->cell_count = col_real(s, 13);
		l->viability = col_real(s, 14);
		col_text(s, 15, l->collected_at, sizeof l->collected_at);
		col_text(s, 16, l->expires_at, sizeof l->expires_at);
		col_text(s, 17, l->storage, sizeof l->storage);
		l->site_id = sqlite3_column_int64(s, 18);
		l->unit_id = sqlite3_column_int64(s, 19);
		col_text(s, 20, l->position, sizeof l->position);
		col_text(s, 21, l->holder, sizeof l->holder);
		col_text(s, 22, l->status, sizeof l->status);
		col_text(s, 23, l->reason, sizeof l->reason);
		l->appointment_id = sqlite3_column_int64(s, 24);
		l->recipient_id = sqlite3_column_int64(s, 25);
		l->excursion_id = sqlite3_column_int64(s, 26);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, sql, err);
	return CD_OK;
}

enum cd_status
db_lot_find(struct db *db, const char *code, struct db_lot *out, struct cd_err *err)
{
	sqlite3_stmt *s;

	if ((s = db_stmt(db, SQL_FIND, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_text(s, 1, code, -1, SQLITE_STATIC);
	return read_lot(db, SQL_FIND, s, out, err);
}

enum cd_status
db_lot_get(struct db *db, int64_t id, struct db_lot *out, struct cd_err *err)
{
	sqlite3_stmt *s;
	enum cd_status st;

	if ((s = db_stmt(db, SQL_GET, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, id);
	if ((st = read_lot(db, SQL_GET, s, out, err)) == CD_OK && out->id == 0)
		st = cd_fail(err, CD_REFUSED, "there is no lot with row %lld", (long long)id);
	return st;
}

enum cd_status
db_lot_of_appt(struct db *db, int64_t appt, struct db_lot *out, struct cd_err *err)
{
	sqlite3_stmt *s;

	if ((s = db_stmt(db, SQL_OF_APPT, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, appt);
	return read_lot(db, SQL_OF_APPT, s, out, err);
}

static const char SQL_DONOR_LOTS[] = "SELECT id FROM lots WHERE donor_code = ?1 ORDER BY id";

enum cd_status
db_donor_lots(struct db *db, const char *donor, int64_t **ids, size_t *n, struct cd_err *err)
{
	sqlite3_stmt *s;
	size_t cap = 0;
	int rc;

	*ids = NULL;
	*n = 0;
	if ((s = db_stmt(db, SQL_DONOR_LOTS, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_text(s, 1, donor, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*ids = xrealloc(*ids, cap * sizeof **ids);
		}
		(*ids)[(*n)++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? CD_OK : db_fail(db, SQL_DONOR_LOTS, err);
}

static const char SQL_INSERT[] =
    "INSERT INTO lots(code, din, product_code, kind, patient_id, donor_code, donor_status,"
    " source, parent_id, coi, cycle_id, volume_ml, cell_count, viability, collected_at,"
    " expires_at, storage, site_id, unit_id, position, holder, status, reason,"
    " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
    " ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?24)";

enum cd_status
db_lot_insert(struct db *db, const struct db_lot *l, const char *now, int64_t *id,
    struct cd_err *err)
{
	sqlite3_stmt *s;
	enum cd_status st;

	if ((s = db_stmt(db, SQL_INSERT, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_text(s, 1, l->code, -1, SQLITE_STATIC);
	db_bind_text_or_null(s, 2, l->din);
	db_bind_text_or_null(s, 3, l->product_code);
	sqlite3_bind_text(s, 4, l->kind, -1, SQLITE_STATIC);
	bind_id(s, 5, l->patient_id);
	db_bind_text_or_null(s, 6, l->donor_code);
	db_bind_text_or_null(s, 7, l->donor_status);
	sqlite3_bind_text(s, 8, l->source, -1, SQLITE_STATIC);
	bind_id(s, 9, l->parent_id);
	sqlite3_bind_text(s, 10, l->coi, -1, SQLITE_STATIC);
	bind_id(s, 11, l->cycle_id);
	bind_real(s, 12, l->volume_ml);
	bind_real(s, 13, l->cell_count);
	bind_real(s, 14, l->viability);
	sqlite3_bind_text(s, 15, l->collected_at, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 16, l->expires_at, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 17, l->storage, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 18, l->site_id);
	bind_id(s, 19, l->unit_id);
	db_bind_text_or_null(s, 20, l->position);
	db_bind_text_or_null(s, 21, l->holder);
	sqlite3_bind_text(s, 22, l->status, -1, SQLITE_STATIC);
	db_bind_text_or_null(s, 23, l->reason);
	sqlite3_bind_text(s, 24, now, -1, SQLITE_STATIC);
	if ((st = db_step_done(db, s, err)) != CD_OK)
		return st;
	*id = sqlite3_last_insert_rowid(db_handle(db));
	return CD_OK;
}

static const char SQL_UPDATE[] =
    "UPDATE lots SET donor_status = ?2, volume_ml = ?3, cell_count = ?4, viability = ?5,"
    " expires_at = ?6, storage = ?7, site_id = ?8, unit_id = ?9, position = ?10,"
    " holder = ?11, status = ?12, reason = ?13, appointment_id = ?14, recipient_id = ?15,"
    " excursion_id = ?16, updated_at = ?17 WHERE id = ?1";

enum cd_status
db_lot_update(struct db *db, const struct db_lot *l, const char *now, struct cd_err *err)
{
	sqlite3_stmt *s;

	if ((s = db_stmt(db, SQL_UPDATE, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, l->id);
	db_bind_text_or_null(s, 2, l->donor_status);
	bind_real(s, 3, l->volume_ml);
	bind_real(s, 4, l->cell_count);
	bind_real(s, 5, l->viability);
	sqlite3_bind_text(s, 6, l->expires_at, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, l->storage, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 8, l->site_id);
	bind_id(s, 9, l->unit_id);
	db_bind_text_or_null(s, 10, l->position);
	db_bind_text_or_null(s, 11, l->holder);
	sqlite3_bind_text(s, 12, l->status, -1, SQLITE_STATIC);
	db_bind_text_or_null(s, 13, l->reason);
	bind_id(s, 14, l->appointment_id);
	bind_id(s, 15, l->recipient_id);
	bind_id(s, 16, l->excursion_id);
	sqlite3_bind_text(s, 17, now, -1, SQLITE_STATIC);
	return db_step_done(db, s, err);
}

/* The one place a lot's location text is made (listings use it too). */
static const char SQL_LOCATION[] =
    "SELECT " DB_LOCATION_SQL " FROM lots l JOIN sites s ON s.id = l.site_id"
    " LEFT JOIN storage_units u ON u.id = l.unit_id WHERE l.id = ?1";

enum cd_status
db_lot_location(struct db *db, int64_t id, char *buf, size_t n, struct cd_err *err)
{
	sqlite3_stmt *s;
	int rc;

	if ((s = db_stmt(db, SQL_LOCATION, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, id);
	buf[0] = '\0';
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		col_text(s, 0, buf, n);
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? CD_OK : db_fail(db, SQL_LOCATION, err);
}

/* Runs a one-integer query with one text and one id parameter. */
static enum cd_status
lookup_id(struct db *db, const char *sql, int64_t a, const char *b, int64_t *id,
    struct cd_err *err)
{
	sqlite3_stmt *s;
	int rc;

	if ((s = db_stmt(db, sql, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, a);
	sqlite3_bind_text(s, 2, b, -1, SQLITE_STATIC);
	*id = 0;
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		*id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? CD_OK : db_fail(db, sql, err);
}

static const char SQL_UNIT[] = "SELECT id FROM storage_units WHERE site_id = ?1 AND name = ?2";

enum cd_status
db_unit_find(struct db *db, int64_t site_id, const char *name, int64_t *id,
    struct cd_err *err)
{
	return lookup_id(db, SQL_UNIT, site_id, name, id, err);
}

static const char SQL_CUSTODY[] =
    "INSERT INTO custody_events(lot_id, at, actor, event, from_place, to_place, temp_c, note)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

enum cd_status
db_custody_insert(struct db *db, const struct db_custody *e, int64_t *id, struct cd_err *err)
{
	sqlite3_stmt *s;
	enum cd_status st;

	if ((s = db_stmt(db, SQL_CUSTODY, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, e->lot_id);
	sqlite3_bind_text(s, 2, e->at, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, e->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, e->event, -1, SQLITE_STATIC);
	db_bind_text_or_null(s, 5, e->from);
	db_bind_text_or_null(s, 6, e->to);
	bind_real(s, 7, e->temp_c);
	db_bind_text_or_null(s, 8, e->note);
	if ((st = db_step_done(db, s, err)) == CD_OK && id != NULL)
		*id = sqlite3_last_insert_rowid(db_handle(db));
	return st;
}

static const char SQL_QC[] =
    "INSERT INTO qc_results(lot_id, test, value, text_value, at, actor)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

enum cd_status
db_qc_insert(struct db *db, int64_t lot_id, const char *test, const char *text, double value,
    const char *at, const char *actor, int64_t *id, struct cd_err *err)
{
	sqlite3_stmt *s;
	enum cd_status st;

	if ((s = db_stmt(db, SQL_QC, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, lot_id);
	sqlite3_bind_text(s, 2, test, -1, SQLITE_STATIC);
	bind_real(s, 3, text != NULL ? NAN : value);
	db_bind_text_or_null(s, 4, text);
	sqlite3_bind_text(s, 5, at, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, actor, -1, SQLITE_STATIC);
	if ((st = db_step_done(db, s, err)) == CD_OK)
		*id = sqlite3_last_insert_rowid(db_handle(db));
	return st;
}

static const char SQL_LIMITS[] =
    "SELECT test, min_value, max_value, expect, unit FROM qc_limits WHERE source = ?1"
    " ORDER BY test";

enum cd_status
db_qc_limits(struct db *db, const char *source, struct lot_qc_limit *out, size_t max,
    size_t *n, struct cd_err *err)
{
	sqlite3_stmt *s;
	int rc;

	if ((s = db_stmt(db, SQL_LIMITS, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_text(s, 1, source, -1, SQLITE_STATIC);
	*n = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < max) {
		struct lot_qc_limit *l = &out[(*n)++];

		memset(l, 0, sizeof *l);
		col_text(s, 0, l->test, sizeof l->test);
		l->has_min = sqlite3_column_type(s, 1) != SQLITE_NULL;
		l->min = sqlite3_column_double(s, 1);
		l->has_max = sqlite3_column_type(s, 2) != SQLITE_NULL;
		l->max = sqlite3_column_double(s, 2);
		col_text(s, 3, l->expect, sizeof l->expect);
		col_text(s, 4, l->unit, sizeof l->unit);
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? CD_OK : db_fail(db, SQL_LIMITS, err);
}

static const char SQL_LATEST[] =
    "SELECT q.test, q.value, q.text_value FROM qc_results q WHERE q.lot_id = ?1"
    " AND q.id = (SELECT max(id) FROM qc_results r WHERE r.lot_id = q.lot_id"
    " AND r.test = q.test) ORDER BY q.test";

enum cd_status
db_qc_latest(struct db *db, int64_t lot_id, struct lot_qc_result *out, size_t max, size_t *n,
    struct cd_err *err)
{
	sqlite3_stmt *s;
	int rc;

	if ((s = db_stmt(db, SQL_LATEST, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, lot_id);
	*n = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < max) {
		struct lot_qc_result *r = &out[(*n)++];

		memset(r, 0, sizeof *r);
		col_text(s, 0, r->test, sizeof r->test);
		r->numeric = sqlite3_column_type(s, 1) != SQLITE_NULL;
		r->value = sqlite3_column_double(s, 1);
		col_text(s, 2, r->text, sizeof r->text);
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? CD_OK : db_fail(db, SQL_LATEST, err);
}

static const char SQL_LIMIT_SET[] =
    "INSERT INTO qc_limits(source, test, min_value, max_value, expect, unit)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (source, test) DO UPDATE SET"
    " min_value = excluded.min_value, max_value = excluded.max_value,"
    " expect = excluded.expect, unit = coalesce(excluded.unit, qc_limits.unit)";

/* The id of the row that key a (and b, unless NULL) names. */
static enum cd_status
lookup_pair(struct db *db, const char *sql, const char *a, const char *b, int64_t *id,
    struct cd_err *err)
{
	sqlite3_stmt *s;
	int rc;

	if ((s = db_stmt(db, sql, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_text(s, 1, a, -1, SQLITE_STATIC);
	if (b != NULL)
		sqlite3_bind_text(s, 2, b, -1, SQLITE_STATIC);
	*id = 0;
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		*id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? CD_OK : db_fail(db, sql, err);
}

static const char SQL_LIMIT_FIND[] = "SELECT id FROM qc_limits WHERE source = ?1 AND test = ?2";

/* *old: the row's snapshot before a change (NULL for a new row). */
static enum cd_status
snapshot_before(struct db *db, const char *table, int64_t id, char **old, struct cd_err *err)
{
	*old = NULL;
	return id != 0 ? db_snapshot(db, table, id, old, err) : CD_OK;
}

enum cd_status
db_qc_limit_set(struct db *db, const char *source, const struct lot_qc_limit *l, int64_t *id,
    char **old, struct cd_err *err)
{
	sqlite3_stmt *s;
	enum cd_status st;

	if ((st = lookup_pair(db, SQL_LIMIT_FIND, source, l->test, id, err)) != CD_OK ||
	    (st = snapshot_before(db, "qc_limits", *id, old, err)) != CD_OK)
		return st;
	if ((s = db_stmt(db, SQL_LIMIT_SET, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_text(s, 1, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, l->test, -1, SQLITE_STATIC);
	bind_real(s, 3, l->has_min ? l->min : NAN);
	bind_real(s, 4, l->has_max ? l->max : NAN);
	db_bind_text_or_null(s, 5, l->expect);
	db_bind_text_or_null(s, 6, l->unit);
	if ((st = db_step_done(db, s, err)) != CD_OK)
		return st;
	return lookup_pair(db, SQL_LIMIT_FIND, source, l->test, id, err);
}

static const char SQL_RULE_FIND[] =
    "SELECT id FROM expiry_rules WHERE source = ?1 AND storage = ?2";
static const char SQL_RULE_HOURS[] =
    "SELECT hours FROM expiry_rules WHERE source = ?1 AND storage = ?2";
static const char SQL_RULE_SET[] =
    "INSERT INTO expiry_rules(source, storage, hours) VALUES (?1, ?2, ?3)"
    " ON CONFLICT (source, storage) DO UPDATE SET hours = excluded.hours";

enum cd_status
db_expiry_hours(struct db *db, const char *source, const char *storage, int64_t *hours,
    struct cd_err *err)
{
	return lookup_pair(db, SQL_RULE_HOURS, source, storage, hours, err);
}

enum cd_status
db_expiry_rule_set(struct db *db, const char *source, const char *storage, int64_t hours,
    int64_t *id, char **old, struct cd_err *err)
{
	sqlite3_stmt *s;
	enum cd_status st;

	if ((st = lookup_pair(db, SQL_RULE_FIND, source, storage, id, err)) != CD_OK ||
	    (st = snapshot_before(db, "expiry_rules", *id, old, err)) != CD_OK)
		return st;
	if ((s = db_stmt(db, SQL_RULE_SET, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_text(s, 1, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, storage, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, hours);
	if ((st = db_step_done(db, s, err)) != CD_OK)
		return st;
	return lookup_pair(db, SQL_RULE_FIND, source, storage, id, err);
}

static const char SQL_SETTING_GET[] = "SELECT value FROM settings WHERE key = ?1";
static const char SQL_SETTING_ID[] = "SELECT id FROM settings WHERE key = ?1";
static const char SQL_SETTING_SET[] =
    "INSERT INTO settings(key, value) VALUES (?1, ?2)"
    " ON CONFLICT (key) DO UPDATE SET value = excluded.value";

enum cd_status
db_setting_get(struct db *db, const char *key, char *buf, size_t n, struct cd_err *err)
{
	sqlite3_stmt *s;
	int rc;

	if ((s = db_stmt(db, SQL_SETTING_GET, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	buf[0] = '\0';
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		col_text(s, 0, buf, n);
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? CD_OK : db_fail(db, SQL_SETTING_GET, err);
}

enum cd_status
db_setting_set(struct db *db, const char *key, const char *value, int64_t *id, char **old,
    struct cd_err *err)
{
	sqlite3_stmt *s;
	enum cd_status st;

	if ((st = lookup_pair(db, SQL_SETTING_ID, key, NULL, id, err)) != CD_OK ||
	    (st = snapshot_before(db, "settings", *id, old, err)) != CD_OK)
		return st;
	if ((s = db_stmt(db, SQL_SETTING_SET, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
	if ((st = db_step_done(db, s, err)) != CD_OK)
		return st;
	return lookup_pair(db, SQL_SETTING_ID, key, NULL, id, err);
}

static const char SQL_SIGN[] =
    "INSERT INTO signatures(lot_id, meaning, username, printed_name, signed_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";

enum cd_status
db_signature_insert(struct db *db, int64_t lot_id, const char *meaning, const char *username,
    const char *printed_name, const char *at, int64_t *id, struct cd_err *err)
{
	sqlite3_stmt *s;
	enum cd_status st;

	if ((s = db_stmt(db, SQL_SIGN, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, lot_id);
	sqlite3_bind_text(s, 2, meaning, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, username, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, printed_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, at, -1, SQLITE_STATIC);
	if ((st = db_step_done(db, s, err)) == CD_OK)
		*id = sqlite3_last_insert_rowid(db_handle(db));
	return st;
}

static const char SQL_BEDSIDE[] =
    "INSERT INTO bedside_checks(at, actor, lot_text, lot_id, patient_text, appointment_id,"
    " outcome, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

enum cd_status
db_bedside_insert(struct db *db, const struct db_bedside *b, int64_t *id, struct cd_err *err)
{
	sqlite3_stmt *s;
	enum cd_status st;

	if ((s = db_stmt(db, SQL_BEDSIDE, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_text(s, 1, b->at, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, b->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, b->lot_text, -1, SQLITE_STATIC);
	bind_id(s, 4, b->lot_id);
	sqlite3_bind_text(s, 5, b->patient_text, -1, SQLITE_STATIC);
	bind_id(s, 6, b->appointment_id);
	sqlite3_bind_text(s, 7, b->outcome, -1, SQLITE_STATIC);
	db_bind_text_or_null(s, 8, b->reason);
	if ((st = db_step_done(db, s, err)) == CD_OK)
		*id = sqlite3_last_insert_rowid(db_handle(db));
	return st;
}
