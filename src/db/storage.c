/* storage.c - storage units (LN2 tanks, freezers, fridges, incubators,
 * rooms), their temperature readings, the excursions among them, and
 * the flag an open excursion puts on the lots stored in the unit. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/xalloc.h"
#include "db_int.h"

static const char SQL_UNIT_FIND[] =
    "SELECT u.id, u.site_id, s.name, s.tz, u.name, u.kind, u.min_c, u.max_c"
    " FROM storage_units u JOIN sites s ON s.id = u.site_id WHERE u.site_id = ?1"
    " AND u.name = ?2";
static const char SQL_UNIT_GET[] =
    "SELECT u.id, u.site_id, s.name, s.tz, u.name, u.kind, u.min_c, u.max_c"
    " FROM storage_units u JOIN sites s ON s.id = u.site_id WHERE u.id = ?1";

static void
unit_from_row(sqlite3_stmt *s, struct db_storage_unit *out)
{
	memset(out, 0, sizeof *out);
	out->id = sqlite3_column_int64(s, 0);
	out->site_id = sqlite3_column_int64(s, 1);
	db_column_copy(s, 2, out->site, sizeof out->site);
	db_column_copy(s, 3, out->tz, sizeof out->tz);
	db_column_copy(s, 4, out->name, sizeof out->name);
	db_column_copy(s, 5, out->kind, sizeof out->kind);
	out->min_c = sqlite3_column_double(s, 6);
	out->max_c = sqlite3_column_double(s, 7);
}

enum cd_status
db_storage_find(struct db *db, int64_t site_id, const char *name, struct db_storage_unit *out,
    bool *found, struct cd_err *err)
{
	sqlite3_stmt *s;
	int rc;

	*found = false;
	if ((s = db_stmt(db, SQL_UNIT_FIND, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, site_id);
	sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		unit_from_row(s, out);
		*found = true;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, SQL_UNIT_FIND, err);
	return CD_OK;
}

static const char SQL_UNIT_NOCASE[] =
    "SELECT name FROM storage_units WHERE site_id = ?1 AND name = ?2 COLLATE NOCASE"
    " ORDER BY id LIMIT 1";

enum cd_status
db_storage_name_taken(struct db *db, int64_t site_id, const char *name, char *buf, size_t n,
    struct cd_err *err)
{
	sqlite3_stmt *s;
	int rc;

	buf[0] = '\0';
	if ((s = db_stmt(db, SQL_UNIT_NOCASE, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, site_id);
	sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		db_column_copy(s, 0, buf, n);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, SQL_UNIT_NOCASE, err);
	return CD_OK;
}

enum cd_status
db_storage_get(struct db *db, int64_t id, struct db_storage_unit *out, struct cd_err *err)
{
	sqlite3_stmt *s;
	int rc;

	if ((s = db_stmt(db, SQL_UNIT_GET, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, id);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		unit_from_row(s, out);
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return cd_fail(err, CD_REFUSED, "there is no storage unit %lld", (long long)id);
	if (rc != SQLITE_ROW)
		return db_fail(db, SQL_UNIT_GET, err);
	return CD_OK;
}

static const char SQL_UNIT_INSERT[] =
    "INSERT INTO storage_units(site_id, name, kind, min_c, max_c, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

enum cd_status
db_storage_insert(struct db *db, int64_t site_id, const char *name, const char *kind,
    double min_c, double max_c, const char *now, int64_t *id, struct cd_err *err)
{
	sqlite3_stmt *s;
	enum cd_status st;

	if ((s = db_stmt(db, SQL_UNIT_INSERT, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, site_id);
	sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, kind, -1, SQLITE_STATIC);
	sqlite3_bind_double(s, 4, min_c);
	sqlite3_bind_double(s, 5, max_c);
	sqlite3_bind_text(s, 6, now, -1, SQLITE_STATIC);
	if ((st = db_step_done(db, s, err)) != CD_OK)
		return st;
	*id = sqlite3_last_insert_rowid(db_handle(db));
	return CD_OK;
}

/* The newest reading by the (unit_id, at) index; open excursions by the
 * partial index temperature_readings_open. */
static const char SQL_UNIT_LIST[] =
    "SELECT s.name AS site, s.tz AS tz, u.name AS name, u.kind AS kind, u.min_c AS min,"
    " u.max_c AS max,"
    " (SELECT count(*) FROM lots l WHERE l.unit_id = u.id AND l.holder IS NULL"
    "  AND l.status NOT IN ('administered', 'discarded')) AS lots,"
    " r.at AS last_reading, r.temp_c AS last_temp,"
    " (SELECT count(*) FROM temperature_readings x WHERE x.unit_id = u.id"
    "  AND x.excursion = 1 AND x.corrective_note IS NULL) AS excursions"
    " FROM storage_units u JOIN sites s ON s.id = u.site_id"
    " LEFT JOIN temperature_readings r ON r.id = (SELECT t.id FROM temperature_readings t"
    "  WHERE t.unit_id = u.id ORDER BY t.at DESC, t.id DESC LIMIT 1)"
    " WHERE ?1 = 0 OR u.site_id = ?1"
    " ORDER BY s.name, u.name";

enum cd_status
db_storage_list(struct db *db, int64_t site_id, cd_row_fn fn, void *ctx, struct cd_err *err)
{
	sqlite3_stmt *s;

	if ((s = db_stmt(db, SQL_UNIT_LIST, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, site_id);
	return db_stream(db, s, fn, ctx, err);
}

static const char SQL_READING_GET[] =
    "SELECT id, unit_id, at, temp_c, excursion, corrective_note IS NOT NULL,"
    " corrective_by, corrective_at FROM temperature_readings WHERE id = ?1";

enum cd_status
db_storage_reading_get(struct db *db, int64_t id, struct db_storage_reading *out,
    struct cd_err *err)
{
	sqlite3_stmt *s;
	int rc;

	memset(out, 0, sizeof *out);
	if ((s = db_stmt(db, SQL_READING_GET, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, id);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		out->id = sqlite3_column_int64(s, 0);
		out->unit_id = sqlite3_column_int64(s, 1);
		db_column_copy(s, 2, out->at, sizeof out->at);
		out->temp_c = sqlite3_column_double(s, 3);
		out->excursion = sqlite3_column_int(s, 4) != 0;
		out->corrected = sqlite3_column_int(s, 5) != 0;
		db_column_copy(s, 6, out->corrective_by, sizeof out->corrective_by);
		db_column_copy(s, 7, out->corrective_at, sizeof out->corrective_at);
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return cd_fail(err, CD_REFUSED, "there is no temperature reading %lld", (long long)id);
	if (rc != SQLITE_ROW)
		return db_fail(db, SQL_READING_GET, err);
	return CD_OK;
}

/* Only the (unit_id, at) conflict is let through: any other broken
 * rule still fails. */
static const char SQL_READING_INSERT[] =
    "INSERT INTO temperature_readings(unit_id, at, temp_c, actor, source, excursion)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (unit_id, at) DO NOTHING";
static const char SQL_READING_AT[] =
    "SELECT temp_c FROM temperature_readings WHERE unit_id = ?1 AND at = ?2";

enum cd_status
db_storage_reading_insert(struct db *db, int64_t unit_id, const char *at, double temp_c,
    const char *actor, const char *source, bool excursion, int64_t *id, double *recorded,
    struct cd_err *err)
{
	sqlite3_stmt *s;
	enum cd_status st;
	int rc;

	*id = 0;
	if ((s = db_stmt(db, SQL_READING_INSERT, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, unit_id);
	sqlite3_bind_text(s, 2, at, -1, SQLITE_STATIC);
	sqlite3_bind_double(s, 3, temp_c);
	sqlite3_bind_text(s, 4, actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, source, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 6, excursion ? 1 : 0);
	if ((st = db_step_done(db, s, err)) != CD_OK)
		return st;
	if (sqlite3_changes(db_handle(db)) > 0) {
		*id = sqlite3_last_insert_rowid(db_handle(db));
		return CD_OK;
	}
	if ((s = db_stmt(db, SQL_READING_AT, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, unit_id);
	sqlite3_bind_text(s, 2, at, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		*recorded = sqlite3_column_double(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? cd_fail(err, CD_EDATA, "a temperature reading at %s was"
		    " neither recorded nor found", at) : db_fail(db, SQL_READING_AT, err);
	return CD_OK;
}

static const char SQL_READING_CORRECT[] =
    "UPDATE temperature_readings SET corrective_note = ?2, corrective_by = ?3,"
    " corrective_at = ?4 WHERE id = ?1 AND excursion = 1 AND corrective_note IS NULL";

enum cd_status
db_storage_reading_correct(struct db *db, int64_t id, const char *note, const char *by,
    const char *now, struct cd_err *err)
{
	sqlite3_stmt *s;
	enum cd_status st;

	if ((s = db_stmt(db, SQL_READING_CORRECT, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, note, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, by, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, now, -1, SQLITE_STATIC);
	if ((st = db_step_done(db, s, err)) != CD_OK)
		return st;
	if (sqlite3_changes(db_handle(db)) != 1)
		return cd_fail(err, CD_REFUSED, "reading %lld is not an open excursion",
		    (long long)id);
	return CD_OK;
}

static const char SQL_OPEN_EXCURSION[] =
    "SELECT id FROM temperature_readings WHERE unit_id = ?1 AND excursion = 1"
    " AND corrective_note IS NULL AND id <> ?2 ORDER BY at DESC, id DESC LIMIT 1";

enum cd_status
db_storage_open_excursion(struct db *db, int64_t unit_id, int64_t except, int64_t *id,
    struct cd_err *err)
{
	sqlite3_stmt *s;
	int rc;

	*id = 0;
	if ((s = db_stmt(db, SQL_OPEN_EXCURSION, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, unit_id);
	sqlite3_bind_int64(s, 2, except);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		*id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, SQL_OPEN_EXCURSION, err);
	return CD_OK;
}

static const char SQL_READINGS[] =
    "SELECT id, at AS time, temp_c AS temp, source, actor,"
    " CASE WHEN excursion = 0 THEN NULL WHEN corrective_note IS NULL THEN 'open'"
    "  ELSE 'corrected' END AS excursion, corrective_note"
    " FROM temperature_readings WHERE unit_id = ?1 AND at >= ?2"
    " ORDER BY at DESC, id DESC";

enum cd_status
db_storage_readings(struct db *db, int64_t unit_id, const char *since, cd_row_fn fn,
    void *ctx, struct cd_err *err)
{
	sqlite3_stmt *s;

	if ((s = db_stmt(db, SQL_READINGS, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, unit_id);
	sqlite3_bind_text(s, 2, since, -1, SQLITE_STATIC);
	return db_stream(db, s, fn, ctx, err);
}

static const char SQL_EXCURSIONS[] =
    "SELECT r.id AS reading, s.name AS site, s.tz AS tz, u.name AS unit, r.at AS time,"
    " r.temp_c AS temp, u.min_c AS min, u.max_c AS max,"
    " (SELECT count(*) FROM lots l WHERE l.excursion_id = r.id) AS lots"
    " FROM temperature_readings r JOIN storage_units u ON u.id = r.unit_id"
    " JOIN sites s ON s.id = u.site_id"
    " WHERE r.excursion = 1 AND r.corrective_note IS NULL AND (?1 = 0 OR u.site_id = ?1)"
    " ORDER BY r.at, r.id";

enum cd_status
db_storage_excursions(struct db *db, int64_t site_id, cd_row_fn fn, void *ctx,
    struct cd_err *err)
{
	sqlite3_stmt *s;

	if ((s = db_stmt(db, SQL_EXCURSIONS, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, site_id);
	return db_stream(db, s, fn, ctx, err);
}

static const char SQL_LOTS_IN[] =
    "SELECT id, code FROM lots WHERE unit_id = ?1 AND holder IS NULL"
    " AND status NOT IN ('administered', 'discarded') ORDER BY id";
static const char SQL_LOTS_FLAGGED[] =
    "SELECT id, code FROM lots WHERE excursion_id = ?1 ORDER BY id";

/* A lot in a person's hands (holder) is not in the unit even while its
 * unit_id still says where it came from. Collects the lots first: the
 * caller then changes them. */
static enum cd_status
collect_lots(struct db *db, const char *sql, int64_t key, struct db_storage_lot **lots,
    size_t *n, struct cd_err *err)
{
	struct db_storage_lot *v = NULL;
	size_t cap = 0;
	sqlite3_stmt *s;
	int rc;

	*lots = NULL;
	*n = 0;
	if ((s = db_stmt(db, sql, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, key);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			v = xrealloc(v, cap * sizeof *v);
		}
		v[*n].id = sqlite3_column_int64(s, 0);
		db_column_copy(s, 1, v[*n].code, sizeof v[*n].code);
		(*n)++;
	}
	sqlite3_reset(s);
	*lots = v;
	if (rc != SQLITE_DONE) {
		free(v);
		*lots = NULL;
		*n = 0;
		return db_fail(db, sql, err);
	}
	return CD_OK;
}

enum cd_status
db_storage_lots_in(struct db *db, int64_t unit_id, struct db_storage_lot **lots, size_t *n,
    struct cd_err *err)
{
	return collect_lots(db, SQL_LOTS_IN, unit_id, lots, n, err);
}

enum cd_status
db_storage_lots_flagged(struct db *db, int64_t reading_id, struct db_storage_lot **lots,
    size_t *n, struct cd_err *err)
{
	return collect_lots(db, SQL_LOTS_FLAGGED, reading_id, lots, n, err);
}

static const char SQL_FLAG_LOT[] =
    "UPDATE lots SET excursion_id = ?2, updated_at = ?3 WHERE id = ?1";

enum cd_status
db_storage_flag_lot(struct db *db, int64_t lot_id, int64_t reading_id, const char *now,
    struct cd_err *err)
{
	sqlite3_stmt *s;

	if ((s = db_stmt(db, SQL_FLAG_LOT, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, lot_id);
	if (reading_id != 0)
		sqlite3_bind_int64(s, 2, reading_id);
	else
		sqlite3_bind_null(s, 2);
	sqlite3_bind_text(s, 3, now, -1, SQLITE_STATIC);
	return db_step_done(db, s, err);
}
