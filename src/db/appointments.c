/* appointments.c - the visits of treatment cycles and the resources
 * each holds, and the day and patient listings built on them. The
 * schema's triggers refuse any overlap the planner might have missed. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/localtime.h"
#include "db_int.h"

static const char SQL_INSERT[] =
    "INSERT INTO appointments(cycle_id, course, step, step_no, patient_id, site_id, tz,"
    " local_day, starts_at, ends_at, status, held, note, override, created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'booked', 1, ?11, ?12, ?13, ?13)";
static const char SQL_RES_INSERT[] =
    "INSERT INTO appointment_resources(appointment_id, resource_id, starts_at, ends_at, held,"
    " override) VALUES (?1, ?2, ?3, ?4, 1, ?5)";
static const char SQL_RES_DELETE[] = "DELETE FROM appointment_resources WHERE appointment_id = ?1";

static enum cd_status
insert_resources(struct db *db, int64_t id, const struct db_appt *a, const char *override,
    struct cd_err *err)
{
	sqlite3_stmt *s;
	char from[21], to[21];
	enum cd_status st;
	int i;

	utc_format(a->start, from);
	utc_format(a->end, to);
	for (i = 0; i < a->nres; i++) {
		if ((s = db_stmt(db, SQL_RES_INSERT, err)) == NULL)
			return CD_EDATA;
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_int64(s, 2, a->res[i]);
		sqlite3_bind_text(s, 3, from, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 4, to, -1, SQLITE_TRANSIENT);
		db_bind_text_or_null(s, 5, override);
		if ((st = db_step_done(db, s, err)) != CD_OK)
			return st;
	}
	return CD_OK;
}

enum cd_status
db_appt_insert(struct db *db, const struct db_appt *a, const char *override, const char *now,
    int64_t *id, struct cd_err *err)
{
	sqlite3_stmt *s;
	char from[21], to[21];
	enum cd_status st;

	if ((s = db_stmt(db, SQL_INSERT, err)) == NULL)
		return CD_EDATA;
	utc_format(a->start, from);
	utc_format(a->end, to);
	sqlite3_bind_int64(s, 1, a->cycle_id);
	if (a->course > 0)
		sqlite3_bind_int(s, 2, a->course);
	else
		sqlite3_bind_null(s, 2);
	sqlite3_bind_text(s, 3, a->step, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 4, a->step_no);
	sqlite3_bind_int64(s, 5, a->patient_id);
	sqlite3_bind_int64(s, 6, a->site_id);
	sqlite3_bind_text(s, 7, a->tz, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 8, a->local_day, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 9, from, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 10, to, -1, SQLITE_TRANSIENT);
	db_bind_text_or_null(s, 11, a->note);
	db_bind_text_or_null(s, 12, override);
	sqlite3_bind_text(s, 13, now, -1, SQLITE_STATIC);
	if ((st = db_step_done(db, s, err)) != CD_OK)
		return st;
	*id = sqlite3_last_insert_rowid(db_handle(db));
	return insert_resources(db, *id, a, override, err);
}

#define SQL_APPT_COLS \
    "SELECT id, cycle_id, coalesce(course, 0), step_no, step, patient_id, site_id, tz," \
    " local_day, starts_at, ends_at, status, held, coalesce(note, '')," \
    " (SELECT group_concat(resource_id) FROM appointment_resources r" \
    "  WHERE r.appointment_id = a.id) FROM appointments a"
static const char SQL_GET[] = SQL_APPT_COLS " WHERE id = ?1";
static const char SQL_OF_CYCLE[] = SQL_APPT_COLS " WHERE cycle_id = ?1 ORDER BY starts_at, id";

static enum cd_status
read_appt(struct db *db, sqlite3_stmt *s, const char *sql, struct db_appt *a,
    struct cd_err *err)
{
	const char *res;
	char *end;

	memset(a, 0, sizeof *a);
	a->id = sqlite3_column_int64(s, 0);
	a->cycle_id = sqlite3_column_int64(s, 1);
	a->course = sqlite3_column_int(s, 2);
	a->step_no = sqlite3_column_int(s, 3);
	db_column_copy(s, 4, a->step, sizeof a->step);
	a->patient_id = sqlite3_column_int64(s, 5);
	a->site_id = sqlite3_column_int64(s, 6);
	db_column_copy(s, 7, a->tz, sizeof a->tz);
	db_column_copy(s, 8, a->local_day, sizeof a->local_day);
	if (!utc_parse((const char *)sqlite3_column_text(s, 9), &a->start) ||
	    !utc_parse((const char *)sqlite3_column_text(s, 10), &a->end))
		return cd_fail(err, CD_EDATA, "visit %lld has a time that is not UTC text [in: %s]",
		    (long long)a->id, sql);
	db_column_copy(s, 11, a->status, sizeof a->status);
	a->held = sqlite3_column_int(s, 12) != 0;
	db_column_copy(s, 13, a->note, sizeof a->note);
	res = (const char *)sqlite3_column_text(s, 14);
	while (res != NULL && *res != '\0' && a->nres < DB_APPT_MAX_RES) {
		a->res[a->nres++] = strtoll(res, &end, 10);
		res = *end == ',' ? end + 1 : NULL;
	}
	(void)db;
	return CD_OK;
}

enum cd_status
db_appt_get(struct db *db, int64_t id, struct db_appt *out, struct cd_err *err)
{
	sqlite3_stmt *s;
	enum cd_status st = CD_OK;
	int rc;

	if ((s = db_stmt(db, SQL_GET, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, id);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		st = read_appt(db, s, SQL_GET, out, err);
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return cd_fail(err, CD_REFUSED, "there is no visit %lld", (long long)id);
	if (rc != SQLITE_ROW)
		return db_fail(db, SQL_GET, err);
	return st;
}

enum cd_status
db_appt_of_cycle(struct db *db, int64_t cycle_id, struct db_appt *out, int max, int *n,
    struct cd_err *err)
{
	sqlite3_stmt *s;
	enum cd_status st = CD_OK;
	int rc;

	*n = 0;
	if ((s = db_stmt(db, SQL_OF_CYCLE, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, cycle_id);
	while (st == CD_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == max) {
			st = cd_fail(err, CD_EDATA, "cycle %lld has more than %d visits",
			    (long long)cycle_id, max);
			break;
		}
		st = read_appt(db, s, SQL_OF_CYCLE, &out[(*n)++], err);
	}
	sqlite3_reset(s);
	if (st == CD_OK && rc != SQLITE_DONE)
		return db_fail(db, SQL_OF_CYCLE, err);
	return st;
}

static const char SQL_STATUS[] =
    "UPDATE appointments SET status = ?2, held = ?3, reason = ?4, updated_at = ?5"
    " WHERE id = ?1";

enum cd_status
db_appt_set_status(struct db *db, int64_t id, const char *status, bool held,
    const char *reason, const char *now, struct cd_err *err)
{
	sqlite3_stmt *s;

	if ((s = db_stmt(db, SQL_STATUS, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, status, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 3, held);
	db_bind_text_or_null(s, 4, reason);
	sqlite3_bind_text(s, 5, now, -1, SQLITE_STATIC);
	return db_step_done(db, s, err);
}

static const char SQL_RELEASE[] = "UPDATE appointments SET held = 0 WHERE id = ?1";

enum cd_status
db_appt_release(struct db *db, int64_t id, struct cd_err *err)
{
	sqlite3_stmt *s;

	if ((s = db_stmt(db, SQL_RELEASE, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, id);
	return db_step_done(db, s, err);
}

static const char SQL_PLACE[] =
    "UPDATE appointments SET local_day = ?2, starts_at = ?3, ends_at = ?4, held = 1,"
    " override = ?5, reason = coalesce(?6, reason), updated_at = ?7 WHERE id = ?1";

enum cd_status
db_appt_place(struct db *db, const struct db_appt *a, const char *override,
    const char *reason, const char *now, struct cd_err *err)
{
	sqlite3_stmt *s;
	char from[21], to[21];
	enum cd_status st;

	/* The old resources go first, so that the update below checks the
	 * new times only against the resources the visit will hold. */
	if ((s = db_stmt(db, SQL_RES_DELETE, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, a->id);
	if ((st = db_step_done(db, s, err)) != CD_OK)
		return st;
	if ((s = db_stmt(db, SQL_PLACE, err)) == NULL)
		return CD_EDATA;
	utc_format(a->start, from);
	utc_format(a->end, to);
	sqlite3_bind_int64(s, 1, a->id);
	sqlite3_bind_text(s, 2, a->local_day, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, from, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 4, to, -1, SQLITE_TRANSIENT);
	db_bind_text_or_null(s, 5, override);
	db_bind_text_or_null(s, 6, reason);
	sqlite3_bind_text(s, 7, now, -1, SQLITE_STATIC);
	if ((st = db_step_done(db, s, err)) != CD_OK)
		return st;
	return insert_resources(db, a->id, a, override, err);
}

/* --- listings --- */

#define SQL_AGENDA_HEAD \
    "SELECT a.id, a.cycle_id AS cycle, a.course, a.step, p.mrn AS patient, p.name," \
    " s.name AS site, a.tz," \
    " (SELECT group_concat(name, ', ') FROM (SELECT r.name FROM appointment_resources x" \
    "   JOIN resources r ON r.id = x.resource_id WHERE x.appointment_id = a.id" \
    "   ORDER BY r.kind DESC, r.name)) AS resource," \
    " a.starts_at AS start, a.ends_at AS \"end\", a.status, a.note, p.phone, a.reason" \
    " FROM appointments a JOIN patients p ON p.id = a.patient_id" \
    " JOIN sites s ON s.id = a.site_id"
#define SQL_AGENDA_RESOURCE \
    " AND (?4 = 0 OR EXISTS (SELECT 1 FROM appointment_resources x" \
    "  WHERE x.appointment_id = a.id AND x.resource_id = ?4))"
static const char SQL_AGENDA_SITE[] = SQL_AGENDA_HEAD
    " WHERE a.site_id = ?1 AND a.local_day >= ?2 AND a.local_day < ?3" SQL_AGENDA_RESOURCE
    " ORDER BY a.starts_at, a.id";
static const char SQL_AGENDA_PATIENT[] = SQL_AGENDA_HEAD
    " WHERE a.patient_id = ?1 AND a.local_day >= ?2 AND a.local_day < ?3" SQL_AGENDA_RESOURCE
    " AND (?5 = 0 OR a.site_id = ?5) ORDER BY a.starts_at, a.id";

static const char SQL_AGENDA_VISIT[] = SQL_AGENDA_HEAD " WHERE a.id = ?1";
static const char SQL_AGENDA_CYCLE[] = SQL_AGENDA_HEAD
    " WHERE a.cycle_id = ?1 ORDER BY a.starts_at, a.id";

enum cd_status
db_agenda_one(struct db *db, int64_t visit_id, int64_t cycle_id, cd_row_fn fn, void *ctx,
    struct cd_err *err)
{
	const char *sql = visit_id != 0 ? SQL_AGENDA_VISIT : SQL_AGENDA_CYCLE;
	sqlite3_stmt *s;

	if ((s = db_stmt(db, sql, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, visit_id != 0 ? visit_id : cycle_id);
	return db_stream(db, s, fn, ctx, err);
}

static enum cd_status
agenda(struct db *db, const char *sql, int64_t id, const char *day_from, const char *day_to,
    int64_t resource, int64_t site_id, cd_row_fn fn, void *ctx, struct cd_err *err)
{
	sqlite3_stmt *s;

	if ((s = db_stmt(db, sql, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, day_from, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, day_to, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, resource);
	if (sqlite3_bind_parameter_count(s) >= 5)
		sqlite3_bind_int64(s, 5, site_id);
	return db_stream(db, s, fn, ctx, err);
}

enum cd_status
db_agenda_site(struct db *db, int64_t site_id, const char *day_from, const char *day_to,
    int64_t resource, cd_row_fn fn, void *ctx, struct cd_err *err)
{
	return agenda(db, SQL_AGENDA_SITE, site_id, day_from, day_to, resource, 0, fn, ctx, err);
}

enum cd_status
db_agenda_patient(struct db *db, int64_t patient_id, const char *day_from,
    const char *day_to, int64_t site_id, int64_t resource, cd_row_fn fn, void *ctx,
    struct cd_err *err)
{
	return agenda(db, SQL_AGENDA_PATIENT, patient_id, day_from, day_to, resource, site_id,
	    fn, ctx, err);
}

/* Each call with its newest outcome (the highest id of its visit and
 * kind, through call_outcomes_by_appt), or NULLs when none is recorded. */
#define SQL_CALL_OUTCOME(kind) \
	" LEFT JOIN call_outcomes o ON o.id = (SELECT max(c.id) FROM call_outcomes c" \
	" WHERE c.appointment_id = a.id AND c.kind = '" kind "')"
static const char SQL_CALLS[] =
    "SELECT 'call' AS kind, p.mrn AS patient, p.name, p.phone, s.name AS site, a.tz,"
    " a.starts_at AS start, a.id AS appt, a.step, a.course, a.note, a.starts_at AS sort,"
    " o.outcome, o.note AS outcome_note, o.actor AS outcome_by, o.at AS outcome_at"
    " FROM appointments a JOIN patients p ON p.id = a.patient_id"
    " JOIN sites s ON s.id = a.site_id" SQL_CALL_OUTCOME("call")
    " WHERE a.site_id = ?1 AND a.local_day = ?2 AND a.step = 'call' AND a.status = 'booked'"
    " UNION ALL"
    " SELECT 'reminder', p.mrn, p.name, p.phone, s.name, a.tz, a.starts_at, a.id, a.step,"
    " a.course, a.note, a.starts_at, o.outcome, o.note, o.actor, o.at"
    " FROM appointments a JOIN patients p ON p.id = a.patient_id"
    " JOIN sites s ON s.id = a.site_id" SQL_CALL_OUTCOME("reminder")
    " WHERE a.site_id = ?1 AND a.local_day = ?3 AND a.step <> 'call' AND a.status = 'booked'"
    " ORDER BY 1, 12, 8";

enum cd_status
db_calls(struct db *db, int64_t site_id, const char *day, const char *next_day, cd_row_fn fn,
    void *ctx, struct cd_err *err)
{
	sqlite3_stmt *s;

	if ((s = db_stmt(db, SQL_CALLS, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, site_id);
	sqlite3_bind_text(s, 2, day, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, next_day, -1, SQLITE_STATIC);
	return db_stream(db, s, fn, ctx, err);
}

static const char SQL_CALL_OUTCOME_INSERT[] =
    "INSERT INTO call_outcomes (appointment_id, kind, outcome, note, actor, at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

enum cd_status
db_call_outcome_insert(struct db *db, int64_t appt, const char *kind, const char *outcome,
    const char *note, const char *actor, const char *now, int64_t *id, struct cd_err *err)
{
	sqlite3_stmt *s;
	enum cd_status st;

	if ((s = db_stmt(db, SQL_CALL_OUTCOME_INSERT, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, appt);
	sqlite3_bind_text(s, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, outcome, -1, SQLITE_STATIC);
	db_bind_text_or_null(s, 4, note);
	sqlite3_bind_text(s, 5, actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, now, -1, SQLITE_STATIC);
	if ((st = db_step_done(db, s, err)) == CD_OK)
		*id = sqlite3_last_insert_rowid(db_handle(db));
	return st;
}
