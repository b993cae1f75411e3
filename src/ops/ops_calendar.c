/* ops_calendar.c - what makes a site or a resource unavailable: closure
 * days, absences and a resource's own weekly hours. The planner reads
 * them; these are the admin's ways to set them. And the next day a site
 * is open, a booking's first choice of start. */
#include "config.h"

#include <stdlib.h>

#include "../core/localtime.h"
#include "../core/text.h"
#include "ops.h"

enum cd_status
ops_site_close(struct ops *o, const char *site, const char *day, const char *reason,
    int64_t *still_booked, struct cd_err *err)
{
	struct cd_date d;
	enum cd_status st;
	int64_t site_id, id;
	char now[25];

	if (!date_parse(day, &d))
		return cd_fail(err, CD_USAGE, "--date: '%.40s' is not a date (YYYY-MM-DD)", day);
	if (reason != NULL &&
	    (st = text_check_field("--reason", reason, 200, 0, err)) != CD_OK)
		return st;
	if ((st = ops_write_begin(o, ACT_SITE_MANAGE, now, err)) != CD_OK)
		return st;
	st = ops_find_site(o, "SITE", site, &site_id, err);
	if (st == CD_OK)
		st = db_site_close(o->db, site_id, day, reason, &id, err);
	if (st == CD_OK && id == 0)
		st = cd_fail(err, CD_REFUSED, "%s is already closed on %s", site, day);
	if (st == CD_OK)
		st = ops_audit_change(o, now, "insert", "site_closures", id, day, NULL, reason, err);
	if (st == CD_OK)
		st = db_held_on_site_day(o->db, site_id, day, still_booked, err);
	return ops_write_end(o, st, err);
}

/* The resource called name at site (both looked up); fills tz. */
static enum cd_status
find_resource(struct ops *o, const char *name, const char *site, int64_t *id,
    struct db_site *s, struct cd_err *err)
{
	int64_t site_id;
	enum cd_status st;

	if ((st = ops_find_site(o, "--site", site, &site_id, err)) != CD_OK ||
	    (st = db_site_get(o->db, site_id, s, err)) != CD_OK ||
	    (st = db_resource_find(o->db, site_id, name, id, err)) != CD_OK)
		return st;
	if (*id == 0)
		return cd_fail(err, CD_REFUSED, "%s has no resource called '%.80s'", site, name);
	return CD_OK;
}

/* "YYYY-MM-DD HH:MM" local to zone -> UTC seconds. */
static enum cd_status
parse_local(const char *field, const char *text, const char *zone, int64_t *utc,
    struct cd_err *err)
{
	struct cd_date d;
	int minute;

	if (!local_parse(text, &d, &minute))
		return cd_fail(err, CD_USAGE, "%s: '%.40s' is not a local time (\"YYYY-MM-DD HH:MM\")",
		    field, text);
	return local_to_utc(zone, &d, minute, utc, err);
}

enum cd_status
ops_resource_away(struct ops *o, const char *name, const char *site, const char *from,
    const char *to, const char *reason, int64_t *still_booked, struct cd_err *err)
{
	struct db_site s;
	enum cd_status st;
	int64_t res, id, a, b;
	char now[25];

	if (reason != NULL &&
	    (st = text_check_field("--reason", reason, 200, 0, err)) != CD_OK)
		return st;
	if ((st = ops_write_begin(o, ACT_SITE_MANAGE, now, err)) != CD_OK)
		return st;
	st = find_resource(o, name, site, &res, &s, err);
	if (st == CD_OK && (st = parse_local("--from", from, s.tz, &a, err)) == CD_OK &&
	    (st = parse_local("--to", to, s.tz, &b, err)) == CD_OK && a >= b)
		st = cd_fail(err, CD_USAGE, "--to must be after --from");
	if (st == CD_OK)
		st = db_resource_absence_insert(o->db, res, a, b, reason, &id, err);
	if (st == CD_OK)
		st = ops_audit_change(o, now, "insert", "resource_absences", id, name, NULL, reason,
		    err);
	if (st == CD_OK)
		st = db_held_by_resource(o->db, res, a, b, still_booked, err);
	return ops_write_end(o, st, err);
}

enum cd_status
ops_resource_hours(struct ops *o, const char *name, const char *site, const char *hours,
    struct cd_err *err)
{
	struct cd_hours h;
	struct db_site s;
	enum cd_status st;
	int64_t res;
	char now[25], *old = NULL;
	int day;

	if (hours_parse(hours, &h, err) != CD_OK)
		return cd_fail(err, CD_USAGE, "SPEC: '%.80s' is not an opening-hours list such as"
		    " \"mon-fri 08:00-18:00, sat 09:00-13:00\"", hours);
	for (day = 0; day < 7 && h.open[day] == h.close[day]; day++)
		;
	if (day == 7)
		return cd_fail(err, CD_REFUSED, "a resource needs some hours; to take it out of"
		    " use for a while, use resource away");
	if ((st = ops_write_begin(o, ACT_SITE_MANAGE, now, err)) != CD_OK)
		return st;
	st = find_resource(o, name, site, &res, &s, err);
	if (st == CD_OK)
		st = db_snapshot(o->db, "resources", res, &old, err);
	if (st == CD_OK)
		st = db_resource_hours_set(o->db, res, &h, err);
	if (st == CD_OK) {
		st = ops_audit_change(o, now, "update", "resources", res, name, old, NULL, err);
		old = NULL;
	}
	free(old);
	return ops_write_end(o, st, err);
}

enum { NEXT_OPEN_DAYS = 60 };

enum cd_status
ops_site_next_open(struct ops *o, const char *site, char day[11], struct cd_err *err)
{
	struct db_site s;
	struct cd_local now;
	struct cd_date d;
	int64_t site_id, k;
	int open = 0, close = 0;
	char why[128];
	enum cd_status st;

	day[0] = '\0';
	if ((st = ops_require(o, ACT_SCHEDULE_VIEW, err)) != CD_OK ||
	    (st = db_begin_read(o->db, err)) != CD_OK)
		return st;
	if ((st = ops_find_site(o, "--site", site, &site_id, err)) == CD_OK)
		st = db_site_get(o->db, site_id, &s, err);
	if (st == CD_OK)
		local_from_utc(s.tz, o->clock_ms() / 1000, &now);
	for (k = 1; st == CD_OK && k <= NEXT_OPEN_DAYS; k++) {
		date_from_days(date_to_days(&now.date) + k, &d);
		st = db_site_day(o->db, site_id, &d, &open, &close, why, sizeof why, err);
		if (st == CD_OK && open < close) {
			date_format(&d, day);
			break;
		}
	}
	db_end_read(o->db);
	if (st == CD_OK && day[0] == '\0')
		st = cd_fail(err, CD_REFUSED, "%s is not open on any of the next %d days", site,
		    NEXT_OPEN_DAYS);
	return st;
}
