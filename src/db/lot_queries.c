/* lot_queries.c - reading lots: filtered lists (by expiry, through the
 * partial indexes of what is in stock), one lot's record and custody
 * chain, tracing forward and back through aliquot splits, FEFO
 * suggestions and the at-risk list. Every query reads one page or one
 * lot's chain, never a whole table into memory. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "../core/strbuf.h"
#include "db_int.h"

#define LIST_COLUMNS "l.code AS id, l.kind, l.status, l.source, p.mrn AS patient,"       \
	" l.donor_code AS donor, l.donor_status AS eligibility, l.expires_at AS expires, " \
	DB_LOCATION_SQL " AS location, s.name AS site, s.tz AS tz"
#define LIST_FROM " FROM lots l JOIN sites s ON s.id = l.site_id"                  \
	" LEFT JOIN storage_units u ON u.id = l.unit_id"                            \
	" LEFT JOIN patients p ON p.id = l.patient_id"
#define IN_STOCK "l.status NOT IN ('administered', 'discarded')"

/* Prepares sql (built for this call), streams its rows, finalizes. */
static enum cd_status
stream_adhoc(struct db *db, const char *sql, const int64_t *ids, int nids,
    const char *const *texts, int ntexts, cd_row_fn fn, void *ctx, struct cd_err *err)
{
	sqlite3_stmt *s;
	enum cd_status st;
	int i;

	if (sqlite3_prepare_v2(db_handle(db), sql, -1, &s, NULL) != SQLITE_OK)
		return db_fail(db, sql, err);
	for (i = 0; i < nids; i++)
		sqlite3_bind_int64(s, i + 1, ids[i]);
	for (i = 0; i < ntexts; i++)
		sqlite3_bind_text(s, nids + i + 1, texts[i], -1, SQLITE_STATIC);
	st = db_stream(db, s, fn, ctx, err);
	sqlite3_finalize(s);
	return st;
}

enum cd_status
db_lot_list(struct db *db, const struct db_lot_query *q, cd_row_fn fn, void *ctx,
    struct cd_err *err)
{
	struct strbuf sql = STRBUF_INIT;
	int64_t ids[4];
	const char *texts[3];
	int nids = 0, ntexts = 0;
	enum cd_status st;

	/* Only the conditions given, so SQLite picks the index that fits:
	 * site and expiry in stock is one partial-index range. */
	strbuf_adds(&sql, "SELECT " LIST_COLUMNS LIST_FROM " WHERE ");
	if (q->status == NULL || q->expires_before != NULL)
		strbuf_adds(&sql, IN_STOCK);
	else
		strbuf_adds(&sql, "1");
	if (q->site_id != 0) {
		ids[nids++] = q->site_id;
		strbuf_addf(&sql, " AND l.site_id = ?%d", nids);
	}
	if (q->patient_id != 0) {
		ids[nids++] = q->patient_id;
		strbuf_addf(&sql, " AND (l.patient_id = ?%d OR l.recipient_id = ?%d)", nids, nids);
	}
	if (q->limit > 0)
		ids[nids++] = q->limit;
	if (q->status != NULL && strcmp(q->status, "all") != 0) {
		texts[ntexts++] = q->status;
		strbuf_addf(&sql, " AND l.status = ?%d", nids + ntexts);
	}
	if (q->expires_before != NULL) {
		texts[ntexts++] = q->expires_before;
		strbuf_addf(&sql, " AND l.expires_at < ?%d", nids + ntexts);
	}
	if (q->din != NULL) {
		texts[ntexts++] = q->din;
		strbuf_addf(&sql, " AND l.din = ?%d", nids + ntexts);
	}
	strbuf_adds(&sql, " ORDER BY l.expires_at, l.code");
	if (q->limit > 0)
		strbuf_addf(&sql, " LIMIT ?%d", nids);
	st = stream_adhoc(db, strbuf_str(&sql), ids, nids, texts, ntexts, fn, ctx, err);
	strbuf_free(&sql);
	return st;
}

static const char SQL_SHOW[] =
    "SELECT l.code AS id, l.kind, l.status, l.source, p.mrn AS patient, p.name AS name,"
    " l.donor_code AS donor, l.donor_status AS eligibility, pl.code AS parent, l.coi,"
    " l.cycle_id AS cycle, l.din, l.product_code AS product, l.collected_at AS collected,"
    " l.expires_at AS expires, l.storage, " DB_LOCATION_SQL " AS location,"
    " l.appointment_id AS appointment, a.starts_at AS appointment_start,"
    " r.mrn AS recipient, l.volume_ml AS volume_ml, l.cell_count AS cells,"
    " l.viability, l.reason,"
    " (SELECT g.printed_name || ' (' || g.username || ')' FROM signatures g"
    "  WHERE g.lot_id = l.id AND g.meaning = 'released' ORDER BY g.id DESC LIMIT 1)"
    "  AS released_by,"
    " (SELECT g.signed_at FROM signatures g WHERE g.lot_id = l.id"
    "  AND g.meaning = 'released' ORDER BY g.id DESC LIMIT 1) AS released_at,"
    " (SELECT printf('%.1f', t.temp_c) || ' °C in ' || su.name || ', reading ' || t.id"
    "  FROM temperature_readings t JOIN storage_units su ON su.id = t.unit_id"
    "  WHERE t.id = l.excursion_id) AS excursion,"
    " s.tz AS tz"
    " FROM lots l JOIN sites s ON s.id = l.site_id"
    " LEFT JOIN storage_units u ON u.id = l.unit_id"
    " LEFT JOIN patients p ON p.id = l.patient_id"
    " LEFT JOIN patients r ON r.id = l.recipient_id"
    " LEFT JOIN lots pl ON pl.id = l.parent_id"
    " LEFT JOIN appointments a ON a.id = l.appointment_id"
    " WHERE l.id = ?1";

static enum cd_status
stream_by_id(struct db *db, const char *sql, int64_t id, cd_row_fn fn, void *ctx,
    struct cd_err *err)
{
	sqlite3_stmt *s;

	if ((s = db_stmt(db, sql, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, id);
	return db_stream(db, s, fn, ctx, err);
}

enum cd_status
db_lot_show(struct db *db, int64_t id, cd_row_fn fn, void *ctx, struct cd_err *err)
{
	return stream_by_id(db, SQL_SHOW, id, fn, ctx, err);
}

static const char SQL_CUSTODY[] =
    "SELECT e.at, e.event, e.actor, e.from_place AS \"from\", e.to_place AS \"to\","
    " CASE WHEN e.temp_c IS NOT NULL THEN printf('%.1f', e.temp_c) END AS temp, e.note,"
    " s.tz AS tz"
    " FROM custody_events e JOIN lots l ON l.id = e.lot_id JOIN sites s ON s.id = l.site_id"
    " WHERE e.lot_id = ?1 ORDER BY e.id";

enum cd_status
db_lot_custody(struct db *db, int64_t id, cd_row_fn fn, void *ctx, struct cd_err *err)
{
	return stream_by_id(db, SQL_CUSTODY, id, fn, ctx, err);
}

#define TRACE_COLUMNS "t.depth, l.code AS id, pl.code AS parent, l.kind, l.status,"   \
	" l.source, l.donor_code AS donor, p.mrn AS patient, r.mrn AS recipient,"       \
	" r.name AS recipient_name, (SELECT max(e.at) FROM custody_events e"            \
	" WHERE e.lot_id = l.id AND e.event = 'administered') AS administered, s.tz AS tz"
#define TRACE_FROM " FROM t JOIN lots l ON l.id = t.id JOIN sites s ON s.id = l.site_id" \
	" LEFT JOIN lots pl ON pl.id = l.parent_id"                                       \
	" LEFT JOIN patients p ON p.id = l.patient_id"                                    \
	" LEFT JOIN patients r ON r.id = l.recipient_id"

/* Children after their parent: the path of ids orders the tree. */
static const char SQL_FORWARD[] =
    "WITH RECURSIVE t(id, depth, path) AS ("
    " SELECT id, 0, printf('%012d', id) FROM lots WHERE id = ?1"
    "  OR (?1 = 0 AND donor_code = ?2 AND parent_id IS NULL)"
    " UNION ALL SELECT c.id, t.depth + 1, t.path || printf('/%012d', c.id)"
    "  FROM lots c JOIN t ON c.parent_id = t.id WHERE t.depth < 32)"
    " SELECT " TRACE_COLUMNS TRACE_FROM " ORDER BY t.path";

enum cd_status
db_lot_trace_forward(struct db *db, int64_t id, const char *donor, cd_row_fn fn, void *ctx,
    struct cd_err *err)
{
	sqlite3_stmt *s;

	if ((s = db_stmt(db, SQL_FORWARD, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, id);
	db_bind_text_or_null(s, 2, donor);
	return db_stream(db, s, fn, ctx, err);
}

static const char SQL_BACK[] =
    "WITH RECURSIVE t(id, depth, start) AS ("
    " SELECT id, 0, id FROM lots WHERE id = ?1 OR (?1 = 0 AND recipient_id = ?2)"
    " UNION ALL SELECT l.parent_id, t.depth + 1, t.start FROM lots l JOIN t ON l.id = t.id"
    "  WHERE l.parent_id IS NOT NULL AND t.depth < 32)"
    " SELECT " TRACE_COLUMNS TRACE_FROM " ORDER BY t.start, t.depth";

enum cd_status
db_lot_trace_back(struct db *db, int64_t id, int64_t patient_id, cd_row_fn fn, void *ctx,
    struct cd_err *err)
{
	sqlite3_stmt *s;

	if ((s = db_stmt(db, SQL_BACK, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, patient_id);
	return db_stream(db, s, fn, ctx, err);
}

/* An autologous visit can only take the patient's own cells; a donor
 * visit takes an eligible donor's lot stocked at the visit's site. */
static const char SQL_SUGGEST_OWN[] =
    "SELECT " LIST_COLUMNS LIST_FROM ", appointments a"
    " WHERE a.id = ?1 AND l.patient_id = a.patient_id AND l.kind = 'autologous'"
    " AND l.status = 'released' AND l.expires_at > a.ends_at AND l.excursion_id IS NULL"
    " ORDER BY l.expires_at, l.code LIMIT ?2";
static const char SQL_SUGGEST_DONOR[] =
    "SELECT " LIST_COLUMNS LIST_FROM ", appointments a"
    " WHERE a.id = ?1 AND l.status = 'released' AND l.site_id = a.site_id"
    " AND l.expires_at > a.ends_at AND l.kind = 'donor' AND l.donor_status = 'eligible'"
    " AND l.excursion_id IS NULL ORDER BY l.expires_at, l.code LIMIT ?2";

enum cd_status
db_lot_suggest(struct db *db, int64_t appt_id, const char *source, int64_t limit,
    cd_row_fn fn, void *ctx, struct cd_err *err)
{
	const char *sql = strcmp(source, "donor") == 0 ? SQL_SUGGEST_DONOR : SQL_SUGGEST_OWN;
	sqlite3_stmt *s;

	if ((s = db_stmt(db, sql, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, appt_id);
	sqlite3_bind_int64(s, 2, limit > 0 ? limit : -1);
	return db_stream(db, s, fn, ctx, err);
}

/* Whether a released lot would last for visit a (same rule as above). */
#define LASTING_LOT "EXISTS (SELECT 1 FROM lots k WHERE k.status = 'released'"        \
	" AND k.expires_at > a.ends_at AND k.excursion_id IS NULL AND CASE c.source"    \
	" WHEN 'donor' THEN k.kind = 'donor' AND k.donor_status = 'eligible'"           \
	" AND k.site_id = a.site_id ELSE k.patient_id = a.patient_id"                   \
	" AND k.kind = 'autologous' END)"

static const char SQL_AT_RISK[] =
    "SELECT 'expires before the visit' AS risk, a.id AS appt, a.starts_at AS start,"
    " p.mrn AS patient, p.name, s.name AS site, l.code AS lot, l.status AS lot_status,"
    " l.expires_at AS expires, a.tz AS tz"
    " FROM lots l JOIN appointments a ON a.id = l.appointment_id"
    " JOIN patients p ON p.id = a.patient_id JOIN sites s ON s.id = a.site_id"
    " WHERE l.site_id = ?1 AND l.status IN ('reserved', 'issued')"
    " AND l.expires_at < a.ends_at AND a.status IN ('booked', 'checked-in')"
    " UNION ALL "
    "SELECT CASE WHEN c.source = 'donor' THEN 'no released donor lot at the site'"
    "  ELSE 'none of the patient''s own cells released' END, a.id, a.starts_at, p.mrn, p.name,"
    " s.name, o.code, o.status, o.expires_at, a.tz"
    " FROM appointments a JOIN cycles c ON c.id = a.cycle_id"
    " JOIN patients p ON p.id = a.patient_id JOIN sites s ON s.id = a.site_id"
    " LEFT JOIN lots o ON o.id = (SELECT max(k.id) FROM lots k WHERE c.source = 'autologous'"
    "  AND k.patient_id = a.patient_id AND k.status NOT IN ('administered', 'discarded'))"
    " WHERE a.site_id = ?1 AND a.local_day BETWEEN ?2 AND ?3 AND a.step = 'injection'"
    " AND a.status IN ('booked', 'checked-in')"
    " AND NOT EXISTS (SELECT 1 FROM lots r WHERE r.appointment_id = a.id"
    "  AND r.status IN ('reserved', 'issued', 'administered'))"
    " AND NOT " LASTING_LOT
    " ORDER BY 3";

enum cd_status
db_lot_at_risk(struct db *db, int64_t site_id, const char *from, const char *to,
    cd_row_fn fn, void *ctx, struct cd_err *err)
{
	sqlite3_stmt *s;

	if ((s = db_stmt(db, SQL_AT_RISK, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, site_id);
	sqlite3_bind_text(s, 2, from, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, to, -1, SQLITE_STATIC);
	return db_stream(db, s, fn, ctx, err);
}

static const char SQL_CYCLE_RISKS[] =
    "SELECT 'lot ' || l.code || ' expires before the visit' AS risk, a.id AS appt,"
    " a.starts_at AS start, l.code AS lot, l.expires_at AS expires, a.tz AS tz"
    " FROM appointments a JOIN lots l ON l.appointment_id = a.id"
    " WHERE a.cycle_id = ?1 AND a.status IN ('booked', 'checked-in')"
    " AND l.status IN ('reserved', 'issued') AND l.expires_at < a.ends_at"
    " UNION ALL "
    "SELECT 'no released donor lot at the site lasts until then', a.id, a.starts_at, NULL,"
    " NULL, a.tz FROM appointments a JOIN cycles c ON c.id = a.cycle_id"
    " WHERE a.cycle_id = ?1 AND c.source = 'donor' AND a.step = 'injection'"
    " AND a.status IN ('booked', 'checked-in')"
    " AND NOT EXISTS (SELECT 1 FROM lots r WHERE r.appointment_id = a.id"
    "  AND r.status IN ('reserved', 'issued', 'administered'))"
    " AND NOT " LASTING_LOT
    " ORDER BY 3";

enum cd_status
db_lot_cycle_risks(struct db *db, int64_t cycle_id, cd_row_fn fn, void *ctx,
    struct cd_err *err)
{
	return stream_by_id(db, SQL_CYCLE_RISKS, cycle_id, fn, ctx, err);
}

/* Held lots through the partial index on appointment_id; given ones
 * through the recipient's index (the appointment stays on them). */
static const char SQL_OF_CYCLE[] =
    "SELECT l.appointment_id AS appt, l.code AS lot, l.status"
    " FROM appointments a JOIN lots l ON l.appointment_id = a.id"
    " AND l.status IN ('reserved', 'issued')"
    " WHERE a.cycle_id = ?1"
    " UNION ALL "
    "SELECT l.appointment_id, l.code, l.status FROM lots l"
    " WHERE l.recipient_id = (SELECT patient_id FROM cycles WHERE id = ?1)"
    " AND l.status = 'administered'"
    " AND l.appointment_id IN (SELECT id FROM appointments WHERE cycle_id = ?1)";

enum cd_status
db_lot_of_cycle(struct db *db, int64_t cycle_id, cd_row_fn fn, void *ctx, struct cd_err *err)
{
	return stream_by_id(db, SQL_OF_CYCLE, cycle_id, fn, ctx, err);
}
