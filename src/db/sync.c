/* sync.c - the lab link's tables: the outbox of orders, the server ids
 * of what was sent, the pull cursors, the ledger of lab resources taken
 * in, the review queue and the record of each run. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/xalloc.h"
#include "db_int.h"

/* Runs s (bound by the caller) expecting at most one row and copies its
 * first column into buf ("" when there is no row). */
static enum cd_status
one_text(struct db *db, sqlite3_stmt *s, char *buf, size_t n, struct cd_err *err)
{
	int rc;

	buf[0] = '\0';
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		db_column_copy(s, 0, buf, n);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, sqlite3_sql(s), err);
	return CD_OK;
}

static const char SQL_PATIENT[] = "SELECT mrn, name, dob FROM patients WHERE id = ?1";
static const char SQL_FIRST_INJECTION[] =
    "SELECT min(starts_at) FROM appointments WHERE cycle_id = ?1 AND step = 'injection'"
    " AND status IN ('booked', 'checked-in')";

enum cd_status
db_order_facts(struct db *db, const struct db_lot *l, struct db_order_facts *f,
    struct cd_err *err)
{
	sqlite3_stmt *s;
	enum cd_status st = CD_OK;
	int rc;

	memset(f, 0, sizeof *f);
	if (l->patient_id != 0) {
		if ((s = db_stmt(db, SQL_PATIENT, err)) == NULL)
			return CD_EDATA;
		sqlite3_bind_int64(s, 1, l->patient_id);
		if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			db_column_copy(s, 0, f->mrn, sizeof f->mrn);
			db_column_copy(s, 1, f->name, sizeof f->name);
			db_column_copy(s, 2, f->dob, sizeof f->dob);
		}
		sqlite3_reset(s);
		if (rc != SQLITE_ROW)
			return db_fail(db, SQL_PATIENT, err);
	}
	if (l->cycle_id != 0) {
		if ((s = db_stmt(db, SQL_FIRST_INJECTION, err)) == NULL)
			return CD_EDATA;
		sqlite3_bind_int64(s, 1, l->cycle_id);
		st = one_text(db, s, f->needed_at, sizeof f->needed_at, err);
	}
	return st;
}

static const char SQL_OUTBOX_INSERT[] =
    "INSERT INTO outbox (created_at, kind, lot_id, bundle) VALUES (?1, ?2, ?3, ?4)";

enum cd_status
db_outbox_insert(struct db *db, const char *kind, int64_t lot_id, const char *bundle,
    const char *now, int64_t *id, struct cd_err *err)
{
	sqlite3_stmt *s;
	enum cd_status st;

	if ((s = db_stmt(db, SQL_OUTBOX_INSERT, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_text(s, 1, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, lot_id);
	sqlite3_bind_text(s, 4, bundle, -1, SQLITE_STATIC);
	if ((st = db_step_done(db, s, err)) == CD_OK)
		*id = sqlite3_last_insert_rowid(db_handle(db));
	return st;
}

static const char SQL_OUTBOX_COUNT_LOT[] = "SELECT count(*) FROM outbox WHERE lot_id = ?1";

enum cd_status
db_outbox_count_lot(struct db *db, int64_t lot_id, int64_t *n, struct cd_err *err)
{
	sqlite3_stmt *s;
	char buf[24];
	enum cd_status st;

	if ((s = db_stmt(db, SQL_OUTBOX_COUNT_LOT, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, lot_id);
	st = one_text(db, s, buf, sizeof buf, err);
	*n = strtoll(buf, NULL, 10);
	return st;
}

static const char SQL_OUTBOX_NEXT[] =
    "SELECT id, lot_id, attempts, bundle FROM outbox WHERE status = 'pending' AND id > ?1"
    " ORDER BY id LIMIT 1";

enum cd_status
db_outbox_next(struct db *db, int64_t after_id, struct db_outbox_row *out, struct cd_err *err)
{
	sqlite3_stmt *s;
	int rc;

	memset(out, 0, sizeof *out);
	if ((s = db_stmt(db, SQL_OUTBOX_NEXT, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, after_id);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		out->id = sqlite3_column_int64(s, 0);
		out->lot_id = sqlite3_column_int64(s, 1);
		out->attempts = sqlite3_column_int64(s, 2);
		out->bundle = xstrdup((const char *)sqlite3_column_text(s, 3));
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, SQL_OUTBOX_NEXT, err);
	return CD_OK;
}

static const char SQL_OUTBOX_MARK[] =
    "UPDATE outbox SET status = ?2, attempts = attempts + 1, last_attempt_at = ?3,"
    " sent_at = CASE WHEN ?2 = 'sent' THEN ?3 END, last_error = ?4 WHERE id = ?1";

enum cd_status
db_outbox_mark(struct db *db, int64_t id, const char *status, const char *now,
    const char *error, struct cd_err *err)
{
	sqlite3_stmt *s;

	if ((s = db_stmt(db, SQL_OUTBOX_MARK, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, status, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, now, -1, SQLITE_STATIC);
	db_bind_text_or_null(s, 4, error);
	return db_step_done(db, s, err);
}

static const char SQL_OUTBOX_RETRY[] =
    "UPDATE outbox SET status = 'pending' WHERE id = ?1 AND status = 'failed'";

enum cd_status
db_outbox_retry(struct db *db, int64_t id, struct cd_err *err)
{
	sqlite3_stmt *s;
	enum cd_status st;

	if ((s = db_stmt(db, SQL_OUTBOX_RETRY, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, id);
	if ((st = db_step_done(db, s, err)) == CD_OK && sqlite3_changes(db_handle(db)) == 0)
		st = cd_fail(err, CD_REFUSED, "outbox row %lld is not a failed one", (long long)id);
	return st;
}

static const char SQL_OUTBOX_LIST[] =
    "SELECT o.id, o.created_at AS created, l.code AS lot, o.status, o.attempts,"
    " o.last_attempt_at AS last_attempt, o.sent_at AS sent, o.last_error AS error"
    " FROM outbox o JOIN lots l ON l.id = o.lot_id WHERE ?1 IS NULL OR o.status = ?1"
    " ORDER BY o.id DESC LIMIT ?2";

enum cd_status
db_outbox_list(struct db *db, const char *status, int64_t limit, cd_row_fn fn, void *ctx,
    struct cd_err *err)
{
	sqlite3_stmt *s;

	if ((s = db_stmt(db, SQL_OUTBOX_LIST, err)) == NULL)
		return CD_EDATA;
	db_bind_text_or_null(s, 1, status);
	sqlite3_bind_int64(s, 2, limit);
	return db_stream(db, s, fn, ctx, err);
}

static const char SQL_LINK_PUT[] =
    "INSERT INTO lab_links (type, fhir_id, lot_id, patient_id) VALUES (?1, ?2, ?3, ?4)"
    " ON CONFLICT (type, fhir_id) DO UPDATE SET lot_id = coalesce(excluded.lot_id, lot_id),"
    " patient_id = coalesce(excluded.patient_id, patient_id)";

static void
bind_id_or_null(sqlite3_stmt *s, int idx, int64_t id)
{
	if (id != 0)
		sqlite3_bind_int64(s, idx, id);
	else
		sqlite3_bind_null(s, idx);
}

enum cd_status
db_lab_link_put(struct db *db, const char *type, const char *fhir_id, int64_t lot_id,
    int64_t patient_id, struct cd_err *err)
{
	sqlite3_stmt *s;

	if ((s = db_stmt(db, SQL_LINK_PUT, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_text(s, 1, type, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, fhir_id, -1, SQLITE_STATIC);
	bind_id_or_null(s, 3, lot_id);
	bind_id_or_null(s, 4, patient_id);
	return db_step_done(db, s, err);
}

static const char SQL_LINK_GET[] =
    "SELECT coalesce(lot_id, 0), coalesce(patient_id, 0) FROM lab_links"
    " WHERE type = ?1 AND fhir_id = ?2";

enum cd_status
db_lab_link_get(struct db *db, const char *type, const char *fhir_id, int64_t *lot_id,
    int64_t *patient_id, bool *found, struct cd_err *err)
{
	sqlite3_stmt *s;
	int rc;

	*lot_id = *patient_id = 0;
	if ((s = db_stmt(db, SQL_LINK_GET, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_text(s, 1, type, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, fhir_id, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*lot_id = sqlite3_column_int64(s, 0);
		*patient_id = sqlite3_column_int64(s, 1);
	}
	*found = rc == SQLITE_ROW;
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, SQL_LINK_GET, err);
	return CD_OK;
}

static const char SQL_CURSOR[] = "SELECT last_updated FROM sync_cursors WHERE resource = ?1";
static const char SQL_CURSOR_SET[] =
    "INSERT INTO sync_cursors (resource, last_updated, advanced_at) VALUES (?1, ?2, ?3)"
    " ON CONFLICT (resource) DO UPDATE SET last_updated = excluded.last_updated,"
    " advanced_at = excluded.advanced_at";

enum cd_status
db_sync_cursor(struct db *db, const char *resource, char *buf, size_t n, struct cd_err *err)
{
	sqlite3_stmt *s;

	if ((s = db_stmt(db, SQL_CURSOR, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_text(s, 1, resource, -1, SQLITE_STATIC);
	return one_text(db, s, buf, n, err);
}

enum cd_status
db_sync_cursor_set(struct db *db, const char *resource, const char *last_updated,
    const char *now, struct cd_err *err)
{
	sqlite3_stmt *s;

	if ((s = db_stmt(db, SQL_CURSOR_SET, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_text(s, 1, resource, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, last_updated, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, now, -1, SQLITE_STATIC);
	return db_step_done(db, s, err);
}

static const char SQL_APPLIED[] =
    "SELECT version_id FROM lab_applied WHERE type = ?1 AND fhir_id = ?2";
static const char SQL_APPLIED_PUT[] =
    "INSERT INTO lab_applied (type, fhir_id, version_id, last_updated, lot_id, outcome,"
    " applied_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (type, fhir_id) DO UPDATE"
    " SET version_id = excluded.version_id, last_updated = excluded.last_updated,"
    " lot_id = excluded.lot_id, outcome = excluded.outcome, applied_at = excluded.applied_at";

enum cd_status
db_lab_applied_version(struct db *db, const char *type, const char *fhir_id, char *buf,
    size_t n, struct cd_err *err)
{
	sqlite3_stmt *s;

	if ((s = db_stmt(db, SQL_APPLIED, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_text(s, 1, type, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, fhir_id, -1, SQLITE_STATIC);
	return one_text(db, s, buf, n, err);
}

enum cd_status
db_lab_applied_put(struct db *db, const char *type, const char *fhir_id, const char *version,
    const char *last_updated, int64_t lot_id, const char *outcome, const char *now,
    struct cd_err *err)
{
	sqlite3_stmt *s;

	if ((s = db_stmt(db, SQL_APPLIED_PUT, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_text(s, 1, type, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, fhir_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, version, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, last_updated, -1, SQLITE_STATIC);
	bind_id_or_null(s, 5, lot_id);
	sqlite3_bind_text(s, 6, outcome, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, now, -1, SQLITE_STATIC);
	return db_step_done(db, s, err);
}

static const char SQL_REVIEW_ADD[] =
    "INSERT INTO sync_review (created_at, type, fhir_id, lot_code, reason)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";

enum cd_status
db_review_add(struct db *db, const char *type, const char *fhir_id, const char *lot_code,
    const char *reason, const char *now, int64_t *id, struct cd_err *err)
{
	sqlite3_stmt *s;
	enum cd_status st;

	if ((s = db_stmt(db, SQL_REVIEW_ADD, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_text(s, 1, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, type, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, fhir_id, -1, SQLITE_STATIC);
	db_bind_text_or_null(s, 4, lot_code);
	sqlite3_bind_text(s, 5, reason, -1, SQLITE_STATIC);
	if ((st = db_step_done(db, s, err)) == CD_OK)
		*id = sqlite3_last_insert_rowid(db_handle(db));
	return st;
}

static const char SQL_REVIEW_RESOLVE[] =
    "UPDATE sync_review SET status = 'resolved', resolved_at = ?2, resolved_by = ?3,"
    " note = ?4 WHERE id = ?1 AND status = 'open'";

enum cd_status
db_review_resolve(struct db *db, int64_t id, const char *by, const char *note,
    const char *now, struct cd_err *err)
{
	sqlite3_stmt *s;
	enum cd_status st;

	if ((s = db_stmt(db, SQL_REVIEW_RESOLVE, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, by, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, note, -1, SQLITE_STATIC);
	if ((st = db_step_done(db, s, err)) == CD_OK && sqlite3_changes(db_handle(db)) == 0)
		st = cd_fail(err, CD_REFUSED, "there is no open review item %lld", (long long)id);
	return st;
}

static const char SQL_REVIEW_LIST[] =
    "SELECT id, created_at AS created, type, fhir_id, lot_code AS lot, reason, status,"
    " resolved_at AS resolved, resolved_by AS \"by\", note FROM sync_review"
    " WHERE ?1 OR status = 'open' ORDER BY id LIMIT ?3 OFFSET ?2";

enum cd_status
db_review_list(struct db *db, bool all, int64_t offset, int64_t limit, cd_row_fn fn,
    void *ctx, struct cd_err *err)
{
	sqlite3_stmt *s;

	if ((s = db_stmt(db, SQL_REVIEW_LIST, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int(s, 1, all);
	sqlite3_bind_int64(s, 2, offset);
	sqlite3_bind_int64(s, 3, limit);
	return db_stream(db, s, fn, ctx, err);
}

static const char SQL_RUN_ADD[] =
    "INSERT INTO sync_runs (started_at, finished_at, run_by, ok, sent, pulled, applied,"
    " review, failed, message) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";

enum cd_status
db_sync_run_add(struct db *db, const struct db_sync_run *r, struct cd_err *err)
{
	sqlite3_stmt *s;

	if ((s = db_stmt(db, SQL_RUN_ADD, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_text(s, 1, r->started_at, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, r->finished_at, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, r->run_by, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 4, r->ok);
	sqlite3_bind_int64(s, 5, r->sent);
	sqlite3_bind_int64(s, 6, r->pulled);
	sqlite3_bind_int64(s, 7, r->applied);
	sqlite3_bind_int64(s, 8, r->review);
	sqlite3_bind_int64(s, 9, r->failed);
	db_bind_text_or_null(s, 10, r->message);
	return db_step_done(db, s, err);
}

/* Each outbox status is counted with its partial or full index; the
 * last runs come from the rowid's end. */
static const char SQL_STATUS[] =
    "SELECT 'outbox pending' AS item, (SELECT count(*) FROM outbox WHERE status = 'pending')"
    " AS value"
    " UNION ALL SELECT 'outbox failed', (SELECT count(*) FROM outbox WHERE status = 'failed')"
    " UNION ALL SELECT 'outbox sent', (SELECT count(*) FROM outbox WHERE status = 'sent')"
    " UNION ALL SELECT 'review open', (SELECT count(*) FROM sync_review WHERE status = 'open')"
    " UNION ALL SELECT * FROM (SELECT 'cursor ' || resource, last_updated FROM sync_cursors"
    " ORDER BY resource)"
    " UNION ALL SELECT 'last success', (SELECT finished_at FROM sync_runs WHERE ok = 1"
    " ORDER BY id DESC LIMIT 1)"
    " UNION ALL SELECT 'last failure', (SELECT finished_at FROM sync_runs WHERE ok = 0"
    " ORDER BY id DESC LIMIT 1)"
    " UNION ALL SELECT 'last failure message', (SELECT message FROM sync_runs WHERE ok = 0"
    " ORDER BY id DESC LIMIT 1)";

enum cd_status
db_sync_status(struct db *db, cd_row_fn fn, void *ctx, struct cd_err *err)
{
	sqlite3_stmt *s;

	if ((s = db_stmt(db, SQL_STATUS, err)) == NULL)
		return CD_EDATA;
	return db_stream(db, s, fn, ctx, err);
}
