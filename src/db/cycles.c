/* cycles.c - treatment cycles: one patient, one protocol as booked, one
 * site; their visits are in appointments.c. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "../core/xalloc.h"
#include "db_int.h"

static const char SQL_INSERT[] =
    "INSERT INTO cycles(patient_id, protocol_id, body, site_id, source, courses, gap_days,"
    " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)";

enum cd_status
db_cycle_insert(struct db *db, const struct db_cycle *c, const char *now, int64_t *id,
    struct cd_err *err)
{
	sqlite3_stmt *s;
	enum cd_status st;

	if ((s = db_stmt(db, SQL_INSERT, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, c->patient_id);
	sqlite3_bind_int64(s, 2, c->protocol_id);
	sqlite3_bind_text(s, 3, c->body, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, c->site_id);
	sqlite3_bind_text(s, 5, c->source, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 6, c->courses);
	sqlite3_bind_int(s, 7, c->gap_days);
	sqlite3_bind_text(s, 8, now, -1, SQLITE_STATIC);
	if ((st = db_step_done(db, s, err)) != CD_OK)
		return st;
	*id = sqlite3_last_insert_rowid(db_handle(db));
	return CD_OK;
}

static const char SQL_GET[] =
    "SELECT id, patient_id, protocol_id, body, site_id, source, courses, gap_days, status"
    " FROM cycles WHERE id = ?1";

enum cd_status
db_cycle_get(struct db *db, int64_t id, struct db_cycle *out, struct cd_err *err)
{
	sqlite3_stmt *s;
	int rc;

	out->body = NULL;
	if ((s = db_stmt(db, SQL_GET, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, id);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		out->id = sqlite3_column_int64(s, 0);
		out->patient_id = sqlite3_column_int64(s, 1);
		out->protocol_id = sqlite3_column_int64(s, 2);
		out->body = xstrdup((const char *)sqlite3_column_text(s, 3));
		out->site_id = sqlite3_column_int64(s, 4);
		snprintf(out->source, sizeof out->source, "%s",
		    (const char *)sqlite3_column_text(s, 5));
		out->courses = sqlite3_column_int(s, 6);
		out->gap_days = sqlite3_column_int(s, 7);
		snprintf(out->status, sizeof out->status, "%s",
		    (const char *)sqlite3_column_text(s, 8));
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return cd_fail(err, CD_REFUSED, "there is no cycle %lld", (long long)id);
	if (rc != SQLITE_ROW)
		return db_fail(db, SQL_GET, err);
	return CD_OK;
}

void
db_cycle_clear(struct db_cycle *c)
{
	free(c->body);
	c->body = NULL;
}

static const char SQL_STATUS[] =
    "UPDATE cycles SET status = ?2, reason = ?3, updated_at = ?4 WHERE id = ?1";

enum cd_status
db_cycle_set_status(struct db *db, int64_t id, const char *status, const char *reason,
    const char *now, struct cd_err *err)
{
	sqlite3_stmt *s;

	if ((s = db_stmt(db, SQL_STATUS, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, status, -1, SQLITE_STATIC);
	db_bind_text_or_null(s, 3, reason);
	sqlite3_bind_text(s, 4, now, -1, SQLITE_STATIC);
	return db_step_done(db, s, err);
}

#define SQL_LIST_HEAD \
    "SELECT c.id, p.mrn AS patient, pr.name AS protocol, s.name AS site, c.source," \
    " c.courses, c.status," \
    " (SELECT min(local_day) FROM appointments a WHERE a.cycle_id = c.id) AS first," \
    " (SELECT max(local_day) FROM appointments a WHERE a.cycle_id = c.id) AS last" \
    " FROM cycles c JOIN patients p ON p.id = c.patient_id" \
    " JOIN protocols pr ON pr.id = c.protocol_id JOIN sites s ON s.id = c.site_id"
static const char SQL_LIST_ALL[] = SQL_LIST_HEAD " ORDER BY c.id";
static const char SQL_LIST_PATIENT[] = SQL_LIST_HEAD " WHERE c.patient_id = ?1 ORDER BY c.id";

enum cd_status
db_cycle_list(struct db *db, int64_t patient_id, cd_row_fn fn, void *ctx, struct cd_err *err)
{
	sqlite3_stmt *s;

	if ((s = db_stmt(db, patient_id != 0 ? SQL_LIST_PATIENT : SQL_LIST_ALL, err)) == NULL)
		return CD_EDATA;
	if (patient_id != 0)
		sqlite3_bind_int64(s, 1, patient_id);
	return db_stream(db, s, fn, ctx, err);
}

static const char SQL_SHOW[] =
    "SELECT c.id AS cycle, p.mrn AS patient, p.name, pr.name AS protocol, s.name AS site,"
    " c.source, c.courses, c.gap_days, c.status, c.reason"
    " FROM cycles c JOIN patients p ON p.id = c.patient_id"
    " JOIN protocols pr ON pr.id = c.protocol_id JOIN sites s ON s.id = c.site_id"
    " WHERE c.id = ?1";

struct count_ctx {
	cd_row_fn fn;
	void *ctx;
	int64_t *found;
};

static enum cd_status
count_row(void *vctx, const struct cd_row *row, struct cd_err *err)
{
	struct count_ctx *cc = vctx;

	(*cc->found)++;
	return cc->fn(cc->ctx, row, err);
}

enum cd_status
db_cycle_show(struct db *db, int64_t id, cd_row_fn fn, void *ctx, int64_t *found,
    struct cd_err *err)
{
	struct count_ctx cc = { fn, ctx, found };
	sqlite3_stmt *s;

	*found = 0;
	if ((s = db_stmt(db, SQL_SHOW, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, id);
	return db_stream(db, s, count_row, &cc, err);
}
