/* calendar.c - what the planner asks of the store: opening hours,
 * closures, absences, the resources that meet a need, and the spans
 * during which a resource or a patient is taken. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "../core/localtime.h"
#include "db_int.h"

static const char SQL_CLOSURE[] =
    "SELECT coalesce(reason, '') FROM site_closures WHERE site_id = ?1 AND day = ?2";
static const char SQL_SITE_HOURS_DAY[] =
    "SELECT open_min, close_min FROM site_hours WHERE site_id = ?1 AND weekday = ?2";

/* Runs sql (?1 = id, ?2 = weekday) for the day's open and close. */
static enum cd_status
hours_of_day(struct db *db, const char *sql, int64_t id, int weekday, int *open, int *close,
    struct cd_err *err)
{
	sqlite3_stmt *s;
	int rc;

	*open = *close = 0;
	if ((s = db_stmt(db, sql, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, weekday);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*open = sqlite3_column_int(s, 0);
		*close = sqlite3_column_int(s, 1);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, sql, err);
	return CD_OK;
}

enum cd_status
db_site_day(struct db *db, int64_t site_id, const struct cd_date *d, int *open, int *close,
    char *why, size_t whylen, struct cd_err *err)
{
	sqlite3_stmt *s;
	char day[11];
	int rc;

	date_format(d, day);
	if ((s = db_stmt(db, SQL_CLOSURE, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, site_id);
	sqlite3_bind_text(s, 2, day, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && why != NULL)
		snprintf(why, whylen, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_reset(s);
	if (rc == SQLITE_ROW) {
		*open = *close = 0;
		return CD_OK;
	}
	if (rc != SQLITE_DONE)
		return db_fail(db, SQL_CLOSURE, err);
	return hours_of_day(db, SQL_SITE_HOURS_DAY, site_id, date_weekday(d), open, close, err);
}

static const char SQL_CANDIDATES[] =
    "SELECT r.id FROM resources r WHERE r.site_id = ?1 AND r.kind = ?2"
    " AND (?3 IS NULL OR EXISTS (SELECT 1 FROM resource_tags t WHERE t.resource_id = r.id"
    "  AND t.tag IN (?3, ?4, ?5, ?6)))"
    " AND (r.staff_id IS NULL OR EXISTS (SELECT 1 FROM staff f WHERE f.id = r.staff_id"
    "  AND f.active = 1))"
    " ORDER BY r.name, r.id";

enum cd_status
db_resource_candidates(struct db *db, int64_t site_id, const char *kind,
    const char (*tags)[32], int ntags, int64_t *ids, int max, int *n, struct cd_err *err)
{
	sqlite3_stmt *s;
	int i, rc;

	*n = 0;
	if ((s = db_stmt(db, SQL_CANDIDATES, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, site_id);
	sqlite3_bind_text(s, 2, kind, -1, SQLITE_STATIC);
	for (i = 0; i < 4; i++) {
		if (i < ntags)
			sqlite3_bind_text(s, 3 + i, tags[i], -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(s, 3 + i);
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < max)
		ids[(*n)++] = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, SQL_CANDIDATES, err);
	return CD_OK;
}

static const char SQL_RESOURCE_OWN[] =
    "SELECT r.site_id, EXISTS (SELECT 1 FROM resource_hours h WHERE h.resource_id = r.id)"
    " FROM resources r WHERE r.id = ?1";
static const char SQL_RESOURCE_HOURS_DAY[] =
    "SELECT open_min, close_min FROM resource_hours WHERE resource_id = ?1 AND weekday = ?2";

enum cd_status
db_resource_day(struct db *db, int64_t res, const struct cd_date *d, int *open, int *close,
    struct cd_err *err)
{
	sqlite3_stmt *s;
	int64_t site_id = 0;
	int rc, own = 0;

	if ((s = db_stmt(db, SQL_RESOURCE_OWN, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, res);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		site_id = sqlite3_column_int64(s, 0);
		own = sqlite3_column_int(s, 1);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? cd_fail(err, CD_EDATA, "no resource %lld", (long long)res)
		    : db_fail(db, SQL_RESOURCE_OWN, err);
	if (!own)
		return db_site_day(db, site_id, d, open, close, NULL, 0, err);
	return hours_of_day(db, SQL_RESOURCE_HOURS_DAY, res, date_weekday(d), open, close, err);
}

/* Streams (start, end[, away]) rows of UTC text into fn. */
static enum cd_status
spans(struct db *db, const char *sql, int64_t id, int64_t from, int64_t to, int64_t exclude,
    bool away, db_span_fn fn, void *ctx, struct cd_err *err)
{
	sqlite3_stmt *s;
	char lo[21], a[21], b[21];
	int64_t st, en;
	int rc;

	if ((s = db_stmt(db, sql, err)) == NULL)
		return CD_EDATA;
	utc_format(from - 12 * 3600, lo); /* no visit is longer than 12 hours */
	utc_format(from, a);
	utc_format(to, b);
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, lo, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 3, b, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 4, a, -1, SQLITE_TRANSIENT);
	if (sqlite3_bind_parameter_count(s) >= 5)
		sqlite3_bind_int64(s, 5, exclude);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (!utc_parse((const char *)sqlite3_column_text(s, 0), &st) ||
		    !utc_parse((const char *)sqlite3_column_text(s, 1), &en)) {
			sqlite3_reset(s);
			return cd_fail(err, CD_EDATA, "a stored time is not UTC text: %.40s",
			    (const char *)sqlite3_column_text(s, 0));
		}
		fn(ctx, st, en, away);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_fail(db, sql, err);
	return CD_OK;
}

static const char SQL_BUSY_RESOURCE[] =
    "SELECT ar.starts_at, ar.ends_at FROM appointment_resources ar"
    " JOIN appointments a ON a.id = ar.appointment_id"
    " WHERE ar.resource_id = ?1 AND ar.held = 1 AND ar.starts_at > ?2 AND ar.starts_at < ?3"
    " AND ar.ends_at > ?4 AND a.cycle_id <> ?5";
/* Absences may be long: no lower bound on their start. */
static const char SQL_ABSENT[] =
    "SELECT starts_at, ends_at FROM resource_absences"
    " WHERE resource_id = ?1 AND ?2 IS NOT NULL AND starts_at < ?3 AND ends_at > ?4";
static const char SQL_BUSY_PATIENT[] =
    "SELECT starts_at, ends_at FROM appointments"
    " WHERE patient_id = ?1 AND held = 1 AND step <> 'call' AND starts_at > ?2"
    " AND starts_at < ?3 AND ends_at > ?4 AND cycle_id <> ?5";

enum cd_status
db_busy_resource(struct db *db, int64_t res, int64_t from, int64_t to, int64_t exclude_cycle,
    db_span_fn fn, void *ctx, struct cd_err *err)
{
	enum cd_status st;

	if ((st = spans(db, SQL_BUSY_RESOURCE, res, from, to, exclude_cycle, false, fn, ctx,
	    err)) != CD_OK)
		return st;
	return spans(db, SQL_ABSENT, res, from, to, 0, true, fn, ctx, err);
}

enum cd_status
db_busy_patient(struct db *db, int64_t patient, int64_t from, int64_t to,
    int64_t exclude_cycle, db_span_fn fn, void *ctx, struct cd_err *err)
{
	return spans(db, SQL_BUSY_PATIENT, patient, from, to, exclude_cycle, false, fn, ctx, err);
}

static const char SQL_CLOSE[] =
    "INSERT OR IGNORE INTO site_closures(site_id, day, reason) VALUES (?1, ?2, ?3)";

enum cd_status
db_site_close(struct db *db, int64_t site_id, const char *day, const char *reason,
    int64_t *id, struct cd_err *err)
{
	sqlite3_stmt *s;
	enum cd_status st;

	if ((s = db_stmt(db, SQL_CLOSE, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, site_id);
	sqlite3_bind_text(s, 2, day, -1, SQLITE_STATIC);
	db_bind_text_or_null(s, 3, reason);
	if ((st = db_step_done(db, s, err)) != CD_OK)
		return st;
	*id = sqlite3_changes(db_handle(db)) == 0 ? 0 : sqlite3_last_insert_rowid(db_handle(db));
	return CD_OK;
}

static const char SQL_ABSENCE[] =
    "INSERT INTO resource_absences(resource_id, starts_at, ends_at, reason)"
    " VALUES (?1, ?2, ?3, ?4)";

enum cd_status
db_resource_absence_insert(struct db *db, int64_t res, int64_t start, int64_t end,
    const char *reason, int64_t *id, struct cd_err *err)
{
	sqlite3_stmt *s;
	char a[21], b[21];
	enum cd_status st;

	if ((s = db_stmt(db, SQL_ABSENCE, err)) == NULL)
		return CD_EDATA;
	utc_format(start, a);
	utc_format(end, b);
	sqlite3_bind_int64(s, 1, res);
	sqlite3_bind_text(s, 2, a, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 3, b, -1, SQLITE_TRANSIENT);
	db_bind_text_or_null(s, 4, reason);
	if ((st = db_step_done(db, s, err)) != CD_OK)
		return st;
	*id = sqlite3_last_insert_rowid(db_handle(db));
	return CD_OK;
}

static const char SQL_HOURS_CLEAR[] = "DELETE FROM resource_hours WHERE resource_id = ?1";
static const char SQL_HOURS_ADD[] =
    "INSERT INTO resource_hours(resource_id, weekday, open_min, close_min)"
    " VALUES (?1, ?2, ?3, ?4)";

enum cd_status
db_resource_hours_set(struct db *db, int64_t res, const struct cd_hours *h,
    struct cd_err *err)
{
	sqlite3_stmt *s;
	enum cd_status st;
	int day;

	if ((s = db_stmt(db, SQL_HOURS_CLEAR, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, res);
	if ((st = db_step_done(db, s, err)) != CD_OK)
		return st;
	for (day = 0; day < 7; day++) {
		if (h->open[day] == h->close[day])
			continue;
		if ((s = db_stmt(db, SQL_HOURS_ADD, err)) == NULL)
			return CD_EDATA;
		sqlite3_bind_int64(s, 1, res);
		sqlite3_bind_int(s, 2, day);
		sqlite3_bind_int(s, 3, h->open[day]);
		sqlite3_bind_int(s, 4, h->close[day]);
		if ((st = db_step_done(db, s, err)) != CD_OK)
			return st;
	}
	return CD_OK;
}

static const char SQL_HELD_SITE_DAY[] =
    "SELECT count(*) FROM appointments WHERE site_id = ?1 AND local_day = ?2 AND held = 1";
static const char SQL_HELD_RESOURCE[] =
    "SELECT count(*) FROM appointment_resources WHERE resource_id = ?1 AND held = 1"
    " AND starts_at > ?2 AND starts_at < ?3 AND ends_at > ?4";

static enum cd_status
count_of(struct db *db, sqlite3_stmt *s, const char *sql, int64_t *count, struct cd_err *err)
{
	int rc = sqlite3_step(s);

	*count = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		return db_fail(db, sql, err);
	return CD_OK;
}

enum cd_status
db_held_on_site_day(struct db *db, int64_t site_id, const char *day, int64_t *count,
    struct cd_err *err)
{
	sqlite3_stmt *s;

	if ((s = db_stmt(db, SQL_HELD_SITE_DAY, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, site_id);
	sqlite3_bind_text(s, 2, day, -1, SQLITE_STATIC);
	return count_of(db, s, SQL_HELD_SITE_DAY, count, err);
}

enum cd_status
db_held_by_resource(struct db *db, int64_t res, int64_t from, int64_t to, int64_t *count,
    struct cd_err *err)
{
	sqlite3_stmt *s;
	char lo[21], a[21], b[21];

	if ((s = db_stmt(db, SQL_HELD_RESOURCE, err)) == NULL)
		return CD_EDATA;
	utc_format(from - 12 * 3600, lo);
	utc_format(from, a);
	utc_format(to, b);
	sqlite3_bind_int64(s, 1, res);
	sqlite3_bind_text(s, 2, lo, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 3, b, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 4, a, -1, SQLITE_TRANSIENT);
	return count_of(db, s, SQL_HELD_RESOURCE, count, err);
}
