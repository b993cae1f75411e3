/* sites.c - sites with their time zone and hours, and the resources
 * (rooms, devices, clinicians) that belong to them. */
#include "config.h"

#include <stdio.h>

#include "db_int.h"

/* The id that sql finds by name (?1) and, when sql has a ?2, site_id;
 * 0 when none. */
static enum cd_status
db_find_id(struct db *db, const char *sql, int64_t site_id, const char *name, int64_t *id,
    struct cd_err *err)
{
	sqlite3_stmt *s;
	int rc;

	if ((s = db_stmt(db, sql, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_bind_parameter_count(s) > 1)
		sqlite3_bind_int64(s, 2, site_id);
	rc = sqlite3_step(s);
	*id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, sql, err);
	return CD_OK;
}

static const char SQL_SITE_FIND[] = "SELECT id FROM sites WHERE name = ?1";

enum cd_status
db_site_find(struct db *db, const char *name, int64_t *id, struct cd_err *err)
{
	return db_find_id(db, SQL_SITE_FIND, 0, name, id, err);
}

static const char SQL_SITE_INSERT[] =
    "INSERT INTO sites(name, tz, created_at) VALUES (?1, ?2, ?3)";
static const char SQL_SITE_HOURS[] =
    "INSERT INTO site_hours(site_id, weekday, open_min, close_min) VALUES (?1, ?2, ?3, ?4)";

enum cd_status
db_site_insert(struct db *db, const char *name, const char *tz, const struct cd_hours *hours,
    const char *now, int64_t *id, struct cd_err *err)
{
	sqlite3_stmt *s;
	enum cd_status st;
	int day;

	if ((s = db_stmt(db, SQL_SITE_INSERT, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, tz, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, now, -1, SQLITE_STATIC);
	if ((st = db_step_done(db, s, err)) != CD_OK)
		return st;
	*id = sqlite3_last_insert_rowid(db_handle(db));
	for (day = 0; day < 7; day++) {
		if (hours->open[day] == hours->close[day])
			continue;
		if ((s = db_stmt(db, SQL_SITE_HOURS, err)) == NULL)
			return CD_EDATA;
		sqlite3_bind_int64(s, 1, *id);
		sqlite3_bind_int(s, 2, day);
		sqlite3_bind_int(s, 3, hours->open[day]);
		sqlite3_bind_int(s, 4, hours->close[day]);
		if ((st = db_step_done(db, s, err)) != CD_OK)
			return st;
	}
	return CD_OK;
}

/* Hours come back from SQL as "0:480-1080,1:480-1080" and are turned
 * into the canonical spec ("mon-fri 08:00-18:00") by site_row_hours. */
static const char SQL_SITE_LIST[] =
    "SELECT s.name, s.tz,"
    " (SELECT group_concat(weekday || ':' || open_min || '-' || close_min, ',')"
    "  FROM (SELECT * FROM site_hours h WHERE h.site_id = s.id ORDER BY weekday)) AS hours"
    " FROM sites s ORDER BY s.name";

struct hours_ctx {
	cd_row_fn fn;
	void *ctx;
	int col;        /* the column of "weekday:open-close,..." text */
	bool keep_null; /* NULL stays NULL (a resource with its site's hours) */
};

/* Rewrites the hours column into the spec people type ("mon-fri
 * 08:00-18:00"). */
static enum cd_status
row_hours(void *vctx, const struct cd_row *row, struct cd_err *err)
{
	struct hours_ctx *hc = vctx;
	struct cd_hours h = { { 0 }, { 0 } };
	const char *vals[8], *p;
	struct cd_row out = *row;
	char spec[200];
	int day, open, close, used, i;

	if (row->n > 8 || hc->col >= row->n)
		return hc->fn(hc->ctx, row, err);
	p = row->vals[hc->col];
	while (p != NULL && sscanf(p, "%d:%d-%d%n", &day, &open, &close, &used) == 3) {
		if (day >= 0 && day < 7) {
			h.open[day] = open;
			h.close[day] = close;
		}
		p += used;
		if (*p != ',')
			break;
		p++;
	}
	hours_format(&h, spec, sizeof spec);
	for (i = 0; i < row->n; i++)
		vals[i] = row->vals[i];
	vals[hc->col] = hc->keep_null && row->vals[hc->col] == NULL ? NULL : spec;
	out.vals = vals;
	return hc->fn(hc->ctx, &out, err);
}

enum cd_status
db_site_list(struct db *db, cd_row_fn fn, void *ctx, struct cd_err *err)
{
	struct hours_ctx hc = { fn, ctx, 2, false };
	sqlite3_stmt *s;

	if ((s = db_stmt(db, SQL_SITE_LIST, err)) == NULL)
		return CD_EDATA;
	return db_stream(db, s, row_hours, &hc, err);
}

static const char SQL_RESOURCE_FIND[] =
    "SELECT id FROM resources WHERE name = ?1 AND site_id = ?2";

enum cd_status
db_resource_find(struct db *db, int64_t site_id, const char *name, int64_t *id,
    struct cd_err *err)
{
	return db_find_id(db, SQL_RESOURCE_FIND, site_id, name, id, err);
}

static const char SQL_RESOURCE_INSERT[] =
    "INSERT INTO resources(site_id, name, kind, created_at) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_RESOURCE_TAG[] =
    "INSERT OR IGNORE INTO resource_tags(resource_id, tag) VALUES (?1, ?2)";

enum cd_status
db_resource_insert(struct db *db, int64_t site_id, const char *name, const char *kind,
    const char *const *tags, size_t ntags, const char *now, int64_t *id, struct cd_err *err)
{
	sqlite3_stmt *s;
	enum cd_status st;
	size_t i;

	if ((s = db_stmt(db, SQL_RESOURCE_INSERT, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, site_id);
	sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, now, -1, SQLITE_STATIC);
	if ((st = db_step_done(db, s, err)) != CD_OK)
		return st;
	*id = sqlite3_last_insert_rowid(db_handle(db));
	for (i = 0; i < ntags; i++) {
		if ((s = db_stmt(db, SQL_RESOURCE_TAG, err)) == NULL)
			return CD_EDATA;
		sqlite3_bind_int64(s, 1, *id);
		sqlite3_bind_text(s, 2, tags[i], -1, SQLITE_STATIC);
		if ((st = db_step_done(db, s, err)) != CD_OK)
			return st;
	}
	return CD_OK;
}

static const char SQL_RESOURCE_LIST[] =
    "SELECT r.name, s.name AS site, r.kind,"
    " (SELECT group_concat(tag, ',') FROM (SELECT tag FROM resource_tags t"
    "   WHERE t.resource_id = r.id ORDER BY tag)) AS tags,"
    " (SELECT group_concat(weekday || ':' || open_min || '-' || close_min, ',')"
    "  FROM (SELECT * FROM resource_hours h WHERE h.resource_id = r.id ORDER BY weekday))"
    " AS hours"
    " FROM resources r JOIN sites s ON s.id = r.site_id"
    " WHERE ?1 = 0 OR r.site_id = ?1 ORDER BY s.name, r.name";

enum cd_status
db_resource_list(struct db *db, int64_t site_id, cd_row_fn fn, void *ctx, struct cd_err *err)
{
	struct hours_ctx hc = { fn, ctx, 4, true };
	sqlite3_stmt *s;

	if ((s = db_stmt(db, SQL_RESOURCE_LIST, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, site_id);
	return db_stream(db, s, row_hours, &hc, err);
}

static const char SQL_SITE_GET[] = "SELECT id, name, tz FROM sites WHERE id = ?1";

enum cd_status
db_site_get(struct db *db, int64_t id, struct db_site *out, struct cd_err *err)
{
	sqlite3_stmt *s;
	int rc;

	if ((s = db_stmt(db, SQL_SITE_GET, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, id);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		out->id = sqlite3_column_int64(s, 0);
		snprintf(out->name, sizeof out->name, "%s", (const char *)sqlite3_column_text(s, 1));
		snprintf(out->tz, sizeof out->tz, "%s", (const char *)sqlite3_column_text(s, 2));
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return cd_fail(err, CD_REFUSED, "there is no site %lld", (long long)id);
	if (rc != SQLITE_ROW)
		return db_fail(db, SQL_SITE_GET, err);
	return CD_OK;
}

static const char SQL_SITE_IDS[] = "SELECT id FROM sites ORDER BY name";

enum cd_status
db_site_ids(struct db *db, int64_t *ids, int max, int *n, struct cd_err *err)
{
	sqlite3_stmt *s;
	int rc;

	*n = 0;
	if ((s = db_stmt(db, SQL_SITE_IDS, err)) == NULL)
		return CD_EDATA;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < max)
		ids[(*n)++] = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, SQL_SITE_IDS, err);
	return CD_OK;
}

static const char SQL_RESOURCE_NAME[] = "SELECT name FROM resources WHERE id = ?1";

enum cd_status
db_resource_name(struct db *db, int64_t id, char *buf, size_t n, struct cd_err *err)
{
	sqlite3_stmt *s;
	int rc;

	buf[0] = '\0';
	if ((s = db_stmt(db, SQL_RESOURCE_NAME, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, id);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		snprintf(buf, n, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, SQL_RESOURCE_NAME, err);
	return CD_OK;
}
