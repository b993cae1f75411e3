/* localtime.c - local wall-clock time in IANA zones through the C library
 * (TZ + tzset + localtime_r), and the UTC text of the database.
 *
 * The process's TZ is switched to the zone asked for and left there; the
 * zone last switched to is remembered, so a run of calls in one zone calls
 * setenv/tzset once. Nothing here depends on the TZ the program started
 * with. Not thread-safe (neither are setenv and tzset). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "localtime.h"
#include "tz.h"

#define DAY_SECS INT64_C(86400)

/* The zone TZ was last set to here ("" before that); tz_check() allows
 * names of up to 64 bytes. */
static char zone_set[65];

/* Makes zone the C library's local zone. An unknown zone leaves TZ alone:
 * the C library would silently take it for UTC. */
static enum cd_status
use_zone(const char *zone, struct cd_err *err)
{
	const char *tz = getenv("TZ");
	size_t len;

	/* someone else may have changed TZ since: then switch again */
	if (zone_set[0] != '\0' && strcmp(zone, zone_set) == 0 && tz != NULL &&
	    strcmp(tz, zone) == 0)
		return CD_OK;
	len = strlen(zone);
	if (len >= sizeof zone_set || tz_check("zone", zone, NULL) != CD_OK)
		return cd_fail(err, CD_EDATA,
		    "there is no time zone called '%.64s' (use an IANA name such as Europe/Berlin)",
		    zone);
	zone_set[0] = '\0';
	if (setenv("TZ", zone, 1) != 0)
		return cd_fail(err, CD_EDATA, "cannot switch to the time zone %s: %s", zone,
		    strerror(errno));
	tzset();
	memcpy(zone_set, zone, len + 1);
	return CD_OK;
}

static bool
to_time(int64_t secs, time_t *t)
{
	*t = (time_t)secs;
	return (int64_t)*t == secs;
}

/* The offset (local minus UTC, seconds) in force at utc in the current zone. */
static bool
offset_at(int64_t utc, long *off)
{
	struct tm tm;
	time_t t;

	if (!to_time(utc, &t) || localtime_r(&t, &tm) == NULL)
		return false;
	*off = tm.tm_gmtoff;
	return true;
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/* A local wall time counted as if it were UTC: seconds since the epoch. */
static int64_t
wall_secs(const struct cd_date *d, int minute)
{
	return date_to_days(d) * DAY_SECS + (int64_t)minute * 60;
}

/* The earliest instant whose local wall time (current zone) is wall; false
 * when wall falls in a gap. An instant u shows the wall time u + offset(u),
 * so u = wall - o is a solution exactly when the offset at u is o, which is
 * the check "convert back and compare" comes down to. The candidate offsets
 * are those in force a day before, at and a day after wall: every instant
 * showing wall lies within 15 hours of it, so that is all of them unless a
 * zone changed its clocks twice within a day. Unlike mktime() with
 * tm_isdst 0 and 1, this also sees ambiguities and gaps between two
 * offsets with the same isdst flag (Moscow 2014, Kyiv 1930). */
static bool
resolve(int64_t wall, int64_t *utc)
{
	long offs[3], off;
	int64_t u, best = 0;
	bool found = false;
	int i, j, n = 0;

	for (i = -1; i <= 1; i++) {
		if (!offset_at(wall + i * DAY_SECS, &off))
			continue;
		for (j = 0; j < n && offs[j] != off; j++)
			continue;
		if (j == n)
			offs[n++] = off;
	}
	for (i = 0; i < n; i++) {
		u = wall - offs[i];
		if (!offset_at(u, &off) || off != offs[i])
			continue;
		if (!found || u < best)
			best = u;
		found = true;
	}
	if (found)
		*utc = best;
	return found;
}

/* The first instant of the local day starting at wall (a local midnight).
 * When midnight falls in a gap the day begins at its first existing
 * minute, or rather at the transition itself, which may lie within the
 * minute before when an offset has seconds (local mean time). A day
 * skipped entirely (Pacific/Apia 2011-12-30) begins where the next one
 * does. */
static bool
day_start(int64_t wall, int64_t *start)
{
	int64_t u;
	long off;
	int k, m, s;

	for (k = 0; k < 3; k++, wall += DAY_SECS) {
		for (m = 0; m < 24 * 60; m++) {
			if (!resolve(wall + m * 60, &u))
				continue;
			for (s = 0; m > 0 && s < 60 && offset_at(u - 1, &off) &&
			    u - 1 + off >= wall; s++)
				u--;
			*start = u;
			return true;
		}
	}
	return false;
}

static enum cd_status
check_date(const struct cd_date *d, struct cd_err *err)
{
	if (d->year < 1900 || d->year > 2999 || d->month < 1 || d->month > 12 ||
	    d->day < 1 || d->day > date_days_in_month(d->year, d->month))
		return cd_fail(err, CD_USAGE,
		    "%d-%02d-%02d is not a date between 1900-01-01 and 2999-12-31", d->year,
		    d->month, d->day);
	return CD_OK;
}

enum cd_status
local_to_utc(const char *zone, const struct cd_date *d, int minute, int64_t *utc,
    struct cd_err *err)
{
	enum cd_status st;
	char day[11];

	if ((st = check_date(d, err)) != CD_OK)
		return st;
	date_format(d, day);
	if (minute < 0 || minute >= 24 * 60)
		return cd_fail(err, CD_USAGE, "%s: %d is not a minute of the day (0 to 1439)", day,
		    minute);
	if ((st = use_zone(zone, err)) != CD_OK)
		return st;
	if (!resolve(wall_secs(d, minute), utc))
		return cd_fail(err, CD_REFUSED,
		    "%s %02d:%02d does not exist in %s: the clocks go forward then", day,
		    minute / 60, minute % 60, zone);
	return CD_OK;
}

void
local_from_utc(const char *zone, int64_t utc, struct cd_local *out)
{
	int64_t wall, days;
	long off = 0;

	if (use_zone(zone, NULL) != CD_OK || !offset_at(utc, &off))
		off = 0;
	wall = utc + off;
	days = floor_div(wall, DAY_SECS);
	date_from_days(days, &out->date);
	out->minute = (int)((wall - days * DAY_SECS) / 60);
	out->offset_min = (int)(off / 60);
}

enum cd_status
local_day_span(const char *zone, const struct cd_date *d, int64_t *start, int64_t *end,
    struct cd_err *err)
{
	enum cd_status st;
	int64_t s, e, wall;
	char day[11];

	if ((st = check_date(d, err)) != CD_OK)
		return st;
	if ((st = use_zone(zone, err)) != CD_OK)
		return st;
	wall = wall_secs(d, 0);
	if (!day_start(wall, &s) || !day_start(wall + DAY_SECS, &e)) {
		date_format(d, day);
		return cd_fail(err, CD_EDATA, "cannot find where %s begins and ends in %s", day,
		    zone);
	}
	*start = s;
	*end = e;
	return CD_OK;
}

void
utc_format(int64_t utc, char buf[21])
{
	int64_t days = floor_div(utc, DAY_SECS);
	int64_t rem = utc - days * DAY_SECS;
	struct cd_date d;

	date_from_days(days, &d);
	snprintf(buf, 21, "%04u-%02u-%02uT%02u:%02u:%02uZ", (unsigned)d.year % 10000u,
	    (unsigned)d.month % 100u, (unsigned)d.day % 100u, (unsigned)(rem / 3600) % 100u,
	    (unsigned)(rem / 60 % 60) % 100u, (unsigned)(rem % 60) % 100u);
}

/* Two ASCII digits making at most max. */
static bool
two_digits(const char *s, int max, int *out)
{
	int v;

	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return false;
	v = (s[0] - '0') * 10 + (s[1] - '0');
	if (v > max)
		return false;
	*out = v;
	return true;
}

/* The YYYY-MM-DD at the start of s (date_parse wants it alone). */
static bool
date_prefix(const char *s, struct cd_date *d)
{
	char day[11];

	memcpy(day, s, 10);
	day[10] = '\0';
	return date_parse(day, d);
}

bool
utc_parse(const char *s, int64_t *utc)
{
	struct cd_date d;
	int h, m, sec;

	if (strlen(s) != 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z')
		return false;
	if (!date_prefix(s, &d) || !two_digits(s + 11, 23, &h) ||
	    !two_digits(s + 14, 59, &m) || !two_digits(s + 17, 59, &sec))
		return false;
	*utc = date_to_days(&d) * DAY_SECS + h * 3600 + m * 60 + sec;
	return true;
}

void
local_format_iso(const struct cd_local *l, char buf[26])
{
	unsigned off = l->offset_min < 0 ? 0u - (unsigned)l->offset_min : (unsigned)l->offset_min;
	char day[11];

	date_format(&l->date, day);
	snprintf(buf, 26, "%sT%02u:%02u:00%c%02u:%02u", day, (unsigned)(l->minute / 60) % 100u,
	    (unsigned)(l->minute % 60) % 100u, l->offset_min < 0 ? '-' : '+', off / 60 % 100u,
	    off % 60);
}

bool
clock_parse(const char *s, int *minute)
{
	int h, m;

	if (strlen(s) != 5 || s[2] != ':' || !two_digits(s, 23, &h) ||
	    !two_digits(s + 3, 59, &m))
		return false;
	*minute = h * 60 + m;
	return true;
}

bool
local_parse(const char *s, struct cd_date *d, int *minute)
{
	struct cd_date day;
	int m;

	if (strlen(s) != 16 || (s[10] != ' ' && s[10] != 'T'))
		return false;
	if (!date_prefix(s, &day) || !clock_parse(s + 11, &m))
		return false;
	*d = day;
	*minute = m;
	return true;
}
