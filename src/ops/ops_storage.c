/* ops_storage.c - storage units and their temperatures: adding a unit,
 * recording a reading by hand or importing a logger's CSV file (all or
 * nothing), and the excursions: a reading outside the unit's range
 * flags every lot stored there, with a custody event each, until a
 * corrective action is written down. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/localtime.h"
#include "../core/temp_csv.h"
#include "../core/text.h"
#include "../core/xalloc.h"
#include "ops.h"

#define FUTURE_SLACK_SECS 300 /* clocks of loggers and PCs differ a little */
#define MAX_DAYS 366

static const char *const unit_kinds[] = { "ln2-tank", "freezer", "fridge", "incubator",
	"room" };

static int64_t
now_secs(const struct ops *o)
{
	return o->clock_ms() / 1000;
}

/* "Kyiv/LN2-1": the unit as a location, and its audit key. */
static void
unit_key(const struct db_storage_unit *u, char *buf, size_t n)
{
	snprintf(buf, n, "%s/%s", u->site, u->name);
}

static void
local_iso(const char *zone, int64_t utc, char buf[26])
{
	struct cd_local l;

	local_from_utc(zone, utc, &l);
	local_format_iso(&l, buf);
}

/* The unit called name at the site called site; a refusal naming both
 * when there is none. */
static enum cd_status
find_unit(struct ops *o, const char *name, const char *site, struct db_storage_unit *u,
    struct cd_err *err)
{
	enum cd_status st;
	int64_t site_id;
	bool found;

	if ((st = ops_find_site(o, "--site", site, &site_id, err)) != CD_OK ||
	    (st = db_storage_find(o->db, site_id, name, u, &found, err)) != CD_OK)
		return st;
	if (!found)
		return cd_fail(err, CD_REFUSED, "%s has no storage unit called '%.80s' (see celldesk"
		    " storage list)", site, name);
	return CD_OK;
}

enum cd_status
ops_storage_add(struct ops *o, const char *name, const char *site, const char *kind,
    const char *min, const char *max, struct cd_err *err)
{
	struct db_storage_unit u;
	enum temp_verdict v;
	enum cd_status st;
	double lo, hi;
	char now[25], taken[128], key[300], a[24], b[24];
	int64_t site_id, id;
	size_t i;

	if ((st = text_check_field("storage NAME", name, 80, TEXT_REQUIRED, err)) != CD_OK)
		return st;
	if (strchr(name, '/') != NULL)
		return cd_fail(err, CD_USAGE, "storage NAME: '%.80s' has a '/', which separates the"
		    " parts of a location (SITE/UNIT/RACK/BOX/POSITION)", name);
	for (i = 0; i < sizeof unit_kinds / sizeof unit_kinds[0]; i++) {
		if (strcmp(kind, unit_kinds[i]) == 0)
			break;
	}
	if (i == sizeof unit_kinds / sizeof unit_kinds[0])
		return cd_fail(err, CD_USAGE, "--kind: '%.40s' is not ln2-tank, freezer, fridge,"
		    " incubator or room", kind);
	if ((v = temp_parse(min, &lo)) != TEMP_OK)
		return cd_fail(err, CD_USAGE, "--min: '%.40s' %s (degrees Celsius, e.g. -196)", min,
		    temp_why(v));
	if ((v = temp_parse(max, &hi)) != TEMP_OK)
		return cd_fail(err, CD_USAGE, "--max: '%.40s' %s (degrees Celsius, e.g. -150)", max,
		    temp_why(v));
	if (lo >= hi) {
		temp_format(lo, a);
		temp_format(hi, b);
		return cd_fail(err, CD_USAGE, "--min (%s) must be below --max (%s)", a, b);
	}
	if ((st = ops_write_begin(o, ACT_LOT_SETUP, now, err)) != CD_OK)
		return st;
	st = ops_find_site(o, "--site", site, &site_id, err);
	if (st == CD_OK &&
	    (st = db_storage_name_taken(o->db, site_id, name, taken, sizeof taken, err)) == CD_OK &&
	    taken[0] != '\0')
		st = cd_fail(err, CD_REFUSED, "%s already has a storage unit called '%s'", site,
		    taken);
	if (st == CD_OK)
		st = db_storage_insert(o->db, site_id, name, kind, lo, hi, now, &id, err);
	if (st == CD_OK && (st = db_storage_get(o->db, id, &u, err)) == CD_OK) {
		unit_key(&u, key, sizeof key);
		st = ops_audit_change(o, now, "insert", "storage_units", id, key, NULL, NULL, err);
	}
	return ops_write_end(o, st, err);
}

/* --- recording readings --- */

/* Flags every lot stored in u with excursion reading r, each with a
 * custody event and their audit records; *flagged counts them. */
static enum cd_status
flag_lots(struct ops *o, const char *now, const struct db_storage_unit *u, int64_t r,
    const char *at, double temp, int64_t *flagged, struct cd_err *err)
{
	struct db_storage_lot *lots;
	struct db_custody ev;
	enum cd_status st;
	char lo[24], hi[24], t[24], note[128], why[400], place[DB_LOCATION_MAX], *old;
	int64_t cid;
	size_t n, i;

	*flagged = 0;
	if ((st = db_storage_lots_in(o->db, u->id, &lots, &n, err)) != CD_OK)
		return st;
	temp_format(u->min_c, lo);
	temp_format(u->max_c, hi);
	temp_format(temp, t);
	snprintf(note, sizeof note, "outside %s..%s \xC2\xB0""C (reading %lld)", lo, hi,
	    (long long)r);
	snprintf(why, sizeof why, "temperature excursion: %s/%s read %s \xC2\xB0""C (reading %lld)",
	    u->site, u->name, t, (long long)r);
	for (i = 0; i < n && st == CD_OK; i++) {
		old = NULL;
		if ((st = db_snapshot(o->db, "lots", lots[i].id, &old, err)) == CD_OK &&
		    (st = db_storage_flag_lot(o->db, lots[i].id, r, now, err)) == CD_OK) {
			st = ops_audit_change(o, now, "update", "lots", lots[i].id, lots[i].code, old,
			    why, err);
			old = NULL;
		}
		free(old);
		if (st == CD_OK)
			st = db_lot_location(o->db, lots[i].id, place, sizeof place, err);
		if (st == CD_OK) {
			memset(&ev, 0, sizeof ev);
			ev.lot_id = lots[i].id;
			ev.at = at;
			ev.actor = o->actor;
			ev.event = "temperature-excursion";
			ev.to = place;
			ev.temp_c = temp;
			ev.note = note;
			st = db_custody_insert(o->db, &ev, &cid, err);
		}
		if (st == CD_OK)
			st = ops_audit_change(o, now, "insert", "custody_events", cid, lots[i].code,
			    NULL, NULL, err);
	}
	*flagged = (int64_t)n;
	free(lots);
	return st;
}

/* Records the reading temp of u at utc (inside the caller's
 * transaction). When the unit already has a reading at that time,
 * out->id is 0 and *recorded its temperature. */
static enum cd_status
record_reading(struct ops *o, const char *now, const struct db_storage_unit *u, int64_t utc,
    double temp, const char *source, struct ops_reading *out, double *recorded,
    struct cd_err *err)
{
	enum cd_status st;
	char at[21], key[300];

	memset(out, 0, sizeof *out);
	snprintf(out->site, sizeof out->site, "%s", u->site);
	snprintf(out->unit, sizeof out->unit, "%s", u->name);
	local_iso(u->tz, utc, out->at);
	out->temp_c = temp;
	out->min_c = u->min_c;
	out->max_c = u->max_c;
	out->excursion = temp < u->min_c || temp > u->max_c;
	utc_format(utc, at);
	if ((st = db_storage_reading_insert(o->db, u->id, at, temp, o->actor, source,
	    out->excursion, &out->id, recorded, err)) != CD_OK || out->id == 0)
		return st;
	unit_key(u, key, sizeof key);
	if ((st = ops_audit_change(o, now, "insert", "temperature_readings", out->id, key, NULL,
	    NULL, err)) != CD_OK)
		return st;
	if (out->excursion)
		st = flag_lots(o, now, u, out->id, at, temp, &out->lots, err);
	return st;
}

static enum cd_status
not_in_future(const struct ops *o, const char *what, const char *text, int64_t utc,
    struct cd_err *err)
{
	if (utc > now_secs(o) + FUTURE_SLACK_SECS)
		return cd_fail(err, CD_REFUSED, "%s %.40s is in the future", what, text);
	return CD_OK;
}

enum cd_status
ops_storage_reading(struct ops *o, const char *unit, const char *site, const char *temp,
    const char *at, struct ops_reading *out, struct cd_err *err)
{
	struct db_storage_unit u;
	struct cd_date d;
	enum temp_verdict v;
	enum cd_status st;
	double c, recorded = 0;
	int64_t utc;
	char now[25], t[24];
	int minute;

	memset(out, 0, sizeof *out);
	if ((v = temp_parse(temp, &c)) != TEMP_OK)
		return cd_fail(err, CD_USAGE, "--temp: '%.40s' %s (degrees Celsius, e.g. -190.5)",
		    temp, temp_why(v));
	if (at != NULL && !local_parse(at, &d, &minute))
		return cd_fail(err, CD_USAGE, "--at: '%.40s' is not a local time (\"YYYY-MM-DD HH:MM\")",
		    at);
	if ((st = ops_write_begin(o, ACT_LOT_MANAGE, now, err)) != CD_OK)
		return st;
	st = find_unit(o, unit, site, &u, err);
	utc = now_secs(o);
	if (st == CD_OK && at != NULL && (st = local_to_utc(u.tz, &d, minute, &utc, err)) == CD_OK)
		st = not_in_future(o, "--at:", at, utc, err);
	if (st == CD_OK)
		st = record_reading(o, now, &u, utc, c, "entered", out, &recorded, err);
	if (st == CD_OK && out->id == 0) {
		temp_format(recorded, t);
		st = cd_fail(err, CD_REFUSED, "%s at %s already has a reading at %.10s %.5s (%s"
		    " \xC2\xB0""C)", u.name, u.site, out->at, out->at + 11, t);
	}
	return ops_write_end(o, st, err);
}

/* --- importing a CSV file --- */

struct import_ctx {
	struct ops *o;
	const char *now, *fname;
	struct db_storage_unit unit;   /* the last row's unit (rows come in runs) */
	bool have_unit;
	struct ops_import_result *res;
	struct ops_reading *exc;       /* the excursions, for after the commit */
	size_t nexc, cap;
};

/* Puts "FILE line N: " before the sentence in err. */
static enum cd_status
at_line(const struct import_ctx *ic, size_t line, enum cd_status st, struct cd_err *err)
{
	return cd_fail(err, st, "%s line %zu: %s", ic->fname, line, err->msg);
}

static enum cd_status
import_row(void *vctx, const struct temp_csv_row *row, struct cd_err *err)
{
	struct import_ctx *ic = vctx;
	struct ops_reading r;
	enum cd_status st;
	double recorded = 0;
	int64_t utc = row->utc_secs, site_id;
	bool found;

	if (!ic->have_unit || strcmp(ic->unit.site, row->site) != 0 ||
	    strcmp(ic->unit.name, row->unit) != 0) {
		ic->have_unit = false;
		if ((st = db_site_find(ic->o->db, row->site, &site_id, err)) != CD_OK)
			return st;
		if (site_id == 0)
			return cd_fail(err, CD_REFUSED, "%s line %zu: there is no site called '%.80s'",
			    ic->fname, row->line, row->site);
		if ((st = db_storage_find(ic->o->db, site_id, row->unit, &ic->unit, &found,
		    err)) != CD_OK)
			return st;
		if (!found)
			return cd_fail(err, CD_REFUSED, "%s line %zu: %s has no storage unit called"
			    " '%.80s'", ic->fname, row->line, row->site, row->unit);
		ic->have_unit = true;
	}
	if (!row->utc && (st = local_to_utc(ic->unit.tz, &row->date, row->minute, &utc,
	    err)) != CD_OK)
		return at_line(ic, row->line, st, err);
	if ((st = not_in_future(ic->o, "time", row->time, utc, err)) != CD_OK)
		return at_line(ic, row->line, st, err);
	if ((st = record_reading(ic->o, ic->now, &ic->unit, utc, row->temp_c, "csv", &r,
	    &recorded, err)) != CD_OK)
		return st;
	if (r.id == 0) {
		ic->res->already++;
		if (recorded != row->temp_c)
			ic->res->differ++;
		return CD_OK;
	}
	ic->res->imported++;
	if (r.excursion) {
		ic->res->excursions++;
		if (ic->nexc == ic->cap) {
			ic->cap = ic->cap ? ic->cap * 2 : 8;
			ic->exc = xrealloc(ic->exc, ic->cap * sizeof *ic->exc);
		}
		ic->exc[ic->nexc++] = r;
	}
	return CD_OK;
}

enum cd_status
ops_storage_import(struct ops *o, const char *fname, const char *text, size_t len,
    ops_reading_fn fn, void *ctx, struct ops_import_result *res, struct cd_err *err)
{
	struct import_ctx ic;
	enum cd_status st;
	char now[25];
	size_t rows = 0, i;

	memset(res, 0, sizeof *res);
	memset(&ic, 0, sizeof ic);
	if ((st = ops_write_begin(o, ACT_LOT_MANAGE, now, err)) != CD_OK)
		return st;
	ic.o = o;
	ic.now = now;
	ic.fname = fname;
	ic.res = res;
	st = temp_csv_parse(text, len, fname, import_row, &ic, &rows, err);
	if (st == CD_OK && rows == 0)
		st = cd_fail(err, CD_REFUSED, "%s has no readings, only its header", fname);
	if ((st = ops_write_end(o, st, err)) == CD_OK) {
		for (i = 0; i < ic.nexc && fn != NULL; i++)
			fn(ctx, &ic.exc[i]);
	} else {
		memset(res, 0, sizeof *res);
	}
	free(ic.exc);
	return st;
}

/* --- correcting an excursion --- */

enum cd_status
ops_storage_correct(struct ops *o, int64_t reading, const char *note,
    struct ops_correct_result *res, struct cd_err *err)
{
	struct db_storage_reading r;
	struct db_storage_unit u;
	struct db_storage_lot *lots = NULL;
	enum cd_status st;
	char now[25], key[300], t[24], why[200], *old = NULL;
	size_t n = 0, i;

	memset(res, 0, sizeof *res);
	if ((st = text_check_field("--note", note, 500, TEXT_REQUIRED, err)) != CD_OK)
		return st;
	if ((st = ops_write_begin(o, ACT_LOT_MANAGE, now, err)) != CD_OK)
		return st;
	if ((st = db_storage_reading_get(o->db, reading, &r, err)) == CD_OK)
		st = db_storage_get(o->db, r.unit_id, &u, err);
	if (st == CD_OK) {
		snprintf(res->site, sizeof res->site, "%s", u.site);
		snprintf(res->unit, sizeof res->unit, "%s", u.name);
		unit_key(&u, key, sizeof key);
		temp_format(r.temp_c, t);
	}
	if (st == CD_OK && !r.excursion)
		st = cd_fail(err, CD_REFUSED, "reading %lld (%s \xC2\xB0""C) was within the limits of"
		    " %s; only an excursion needs a corrective action", (long long)reading, t, key);
	else if (st == CD_OK && r.corrected)
		st = cd_fail(err, CD_REFUSED, "the corrective action for reading %lld was already"
		    " recorded by %s at %.16s UTC", (long long)reading, r.corrective_by,
		    r.corrective_at);
	if (st == CD_OK && (st = db_snapshot(o->db, "temperature_readings", reading, &old,
	    err)) == CD_OK &&
	    (st = db_storage_reading_correct(o->db, reading, note, o->actor, now, err)) == CD_OK) {
		st = ops_audit_change(o, now, "update", "temperature_readings", reading, key, old,
		    note, err);
		old = NULL;
	}
	free(old);
	if (st == CD_OK)
		st = db_storage_open_excursion(o->db, u.id, reading, &res->still_by, err);
	if (st == CD_OK)
		st = db_storage_lots_flagged(o->db, reading, &lots, &n, err);
	snprintf(why, sizeof why, "corrective action recorded for reading %lld",
	    (long long)reading);
	for (i = 0; i < n && st == CD_OK; i++) {
		old = NULL;
		if ((st = db_snapshot(o->db, "lots", lots[i].id, &old, err)) == CD_OK &&
		    (st = db_storage_flag_lot(o->db, lots[i].id, res->still_by, now, err)) == CD_OK) {
			st = ops_audit_change(o, now, "update", "lots", lots[i].id, lots[i].code, old,
			    why, err);
			old = NULL;
		}
		free(old);
	}
	free(lots);
	if (res->still_by != 0)
		res->still = (int64_t)n;
	else
		res->cleared = (int64_t)n;
	if ((st = ops_write_end(o, st, err)) != CD_OK) {
		res->cleared = res->still = res->still_by = 0;
	}
	return st;
}

/* --- listings --- */

/* Rewrites stored rows for printing: the UTC times of the keys "time"
 * and "last_reading" into local ISO 8601 in the row's zone (its "tz"
 * column, or zone). */
struct local_rows {
	cd_row_fn fn;
	void *ctx;
	const char *zone;
};

static enum cd_status
local_row(void *vctx, const struct cd_row *row, struct cd_err *err)
{
	struct local_rows *lr = vctx;
	const char *vals[32], *zone = lr->zone;
	char iso[2][26];
	struct cd_row out = *row;
	int64_t utc;
	int i, k = 0;

	if (row->n > 32)
		return cd_fail(err, CD_EDATA, "a storage row has %d columns", row->n);
	for (i = 0; i < row->n && zone == NULL; i++) {
		if (strcmp(row->keys[i], "tz") == 0)
			zone = row->vals[i];
	}
	for (i = 0; i < row->n; i++) {
		vals[i] = row->vals[i];
		if (vals[i] != NULL && k < 2 && (strcmp(row->keys[i], "time") == 0 ||
		    strcmp(row->keys[i], "last_reading") == 0)) {
			if (!utc_parse(vals[i], &utc))
				return cd_fail(err, CD_EDATA, "a stored reading time is not UTC text: %.40s",
				    vals[i]);
			local_iso(zone != NULL ? zone : "UTC", utc, iso[k]);
			vals[i] = iso[k++];
		}
	}
	out.vals = vals;
	return lr->fn(lr->ctx, &out, err);
}

/* The site's id (0 when site is NULL: every site). */
static enum cd_status
site_filter(struct ops *o, const char *site, int64_t *id, struct cd_err *err)
{
	*id = 0;
	return site != NULL ? ops_find_site(o, "--site", site, id, err) : CD_OK;
}

enum cd_status
ops_storage_list(struct ops *o, const char *site, cd_row_fn fn, void *ctx,
    struct cd_err *err)
{
	struct local_rows lr = { fn, ctx, NULL };
	enum cd_status st;
	int64_t site_id;

	if ((st = ops_require(o, ACT_LOT_VIEW, err)) != CD_OK ||
	    (st = site_filter(o, site, &site_id, err)) != CD_OK)
		return st;
	return db_storage_list(o->db, site_id, local_row, &lr, err);
}

enum cd_status
ops_storage_readings(struct ops *o, const char *unit, const char *site, int days,
    cd_row_fn fn, void *ctx, struct cd_err *err)
{
	struct local_rows lr = { fn, ctx, NULL };
	struct db_storage_unit u;
	enum cd_status st;
	char since[21];

	if (days < 1 || days > MAX_DAYS)
		return cd_fail(err, CD_USAGE, "--days: %d is not a number from 1 to %d", days,
		    MAX_DAYS);
	if ((st = ops_require(o, ACT_LOT_VIEW, err)) != CD_OK ||
	    (st = find_unit(o, unit, site, &u, err)) != CD_OK)
		return st;
	lr.zone = u.tz;
	utc_format(now_secs(o) - (int64_t)days * 86400, since);
	return db_storage_readings(o->db, u.id, since, local_row, &lr, err);
}

enum cd_status
ops_storage_excursions(struct ops *o, const char *site, cd_row_fn fn, void *ctx,
    struct cd_err *err)
{
	struct local_rows lr = { fn, ctx, NULL };
	enum cd_status st;
	int64_t site_id;

	if ((st = ops_require(o, ACT_LOT_VIEW, err)) != CD_OK ||
	    (st = site_filter(o, site, &site_id, err)) != CD_OK)
		return st;
	return db_storage_excursions(o->db, site_id, local_row, &lr, err);
}
