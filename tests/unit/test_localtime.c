/* test_localtime.c - local time in IANA zones, DST gaps and overlaps, day
 * spans and the UTC storage text (src/core/localtime.c). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "core/localtime.h"
#include "unit_util.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))
#define HOUR INT64_C(3600)
#define DAY INT64_C(86400)

/* The UTC instant of storage text the table trusts. */
static int64_t
utc_of(const char *s)
{
	int64_t utc = 0;

	if (!utc_parse(s, &utc))
		fail_msg("the test's own time \"%s\" does not parse", s);
	return utc;
}

static void
local_of(const char *s, struct cd_date *d, int *minute)
{
	if (!local_parse(s, d, minute))
		fail_msg("the test's own local time \"%s\" does not parse", s);
}

static bool
same_date(const struct cd_date *a, const struct cd_date *b)
{
	return a->year == b->year && a->month == b->month && a->day == b->day;
}

/* --- local -> UTC --- */

static void
test_local_to_utc(void **state)
{
	static const struct {
		const char *zone, *local;
		enum cd_status st;
		const char *want; /* UTC text, or the refusal */
	} cases[] = {
		/* Berlin: 02:00 -> 03:00 on 2026-03-29, 03:00 -> 02:00 on 2026-10-25 */
		{ "Europe/Berlin", "2026-03-29 00:00", CD_OK, "2026-03-28T23:00:00Z" },
		{ "Europe/Berlin", "2026-03-29 01:59", CD_OK, "2026-03-29T00:59:00Z" },
		{ "Europe/Berlin", "2026-03-29 02:00", CD_REFUSED,
		    "2026-03-29 02:00 does not exist in Europe/Berlin: the clocks go forward then" },
		{ "Europe/Berlin", "2026-03-29 02:30", CD_REFUSED,
		    "2026-03-29 02:30 does not exist in Europe/Berlin: the clocks go forward then" },
		{ "Europe/Berlin", "2026-03-29 02:59", CD_REFUSED,
		    "2026-03-29 02:59 does not exist in Europe/Berlin: the clocks go forward then" },
		{ "Europe/Berlin", "2026-03-29 03:00", CD_OK, "2026-03-29T01:00:00Z" },
		{ "Europe/Berlin", "2026-10-25 01:59", CD_OK, "2026-10-24T23:59:00Z" },
		{ "Europe/Berlin", "2026-10-25 02:00", CD_OK, "2026-10-25T00:00:00Z" }, /* CEST */
		{ "Europe/Berlin", "2026-10-25 02:30", CD_OK, "2026-10-25T00:30:00Z" },
		{ "Europe/Berlin", "2026-10-25 02:59", CD_OK, "2026-10-25T00:59:00Z" },
		{ "Europe/Berlin", "2026-10-25 03:00", CD_OK, "2026-10-25T02:00:00Z" },
		{ "Europe/Berlin", "2026-03-16 10:00", CD_OK, "2026-03-16T09:00:00Z" },
		{ "Europe/Berlin", "2026-03-30 10:00", CD_OK, "2026-03-30T08:00:00Z" },
		/* Kyiv: 03:00 -> 04:00 on 2026-03-29, 04:00 -> 03:00 on 2026-10-25 */
		{ "Europe/Kyiv", "2026-03-29 02:59", CD_OK, "2026-03-29T00:59:00Z" },
		{ "Europe/Kyiv", "2026-03-29 03:00", CD_REFUSED,
		    "2026-03-29 03:00 does not exist in Europe/Kyiv: the clocks go forward then" },
		{ "Europe/Kyiv", "2026-03-29 03:30", CD_REFUSED,
		    "2026-03-29 03:30 does not exist in Europe/Kyiv: the clocks go forward then" },
		{ "Europe/Kyiv", "2026-03-29 03:59", CD_REFUSED,
		    "2026-03-29 03:59 does not exist in Europe/Kyiv: the clocks go forward then" },
		{ "Europe/Kyiv", "2026-03-29 04:00", CD_OK, "2026-03-29T01:00:00Z" },
		{ "Europe/Kyiv", "2026-10-25 02:59", CD_OK, "2026-10-24T23:59:00Z" },
		{ "Europe/Kyiv", "2026-10-25 03:00", CD_OK, "2026-10-25T00:00:00Z" }, /* EEST */
		{ "Europe/Kyiv", "2026-10-25 03:30", CD_OK, "2026-10-25T00:30:00Z" },
		{ "Europe/Kyiv", "2026-10-25 03:59", CD_OK, "2026-10-25T00:59:00Z" },
		{ "Europe/Kyiv", "2026-10-25 04:00", CD_OK, "2026-10-25T02:00:00Z" },
		/* New York: 02:00 -> 03:00 on 2026-03-08, 02:00 -> 01:00 on 2026-11-01 */
		{ "America/New_York", "2026-03-08 01:59", CD_OK, "2026-03-08T06:59:00Z" },
		{ "America/New_York", "2026-03-08 02:00", CD_REFUSED,
		    "2026-03-08 02:00 does not exist in America/New_York: the clocks go forward then" },
		{ "America/New_York", "2026-03-08 02:30", CD_REFUSED,
		    "2026-03-08 02:30 does not exist in America/New_York: the clocks go forward then" },
		{ "America/New_York", "2026-03-08 02:59", CD_REFUSED,
		    "2026-03-08 02:59 does not exist in America/New_York: the clocks go forward then" },
		{ "America/New_York", "2026-03-08 03:00", CD_OK, "2026-03-08T07:00:00Z" },
		{ "America/New_York", "2026-11-01 00:59", CD_OK, "2026-11-01T04:59:00Z" },
		{ "America/New_York", "2026-11-01 01:00", CD_OK, "2026-11-01T05:00:00Z" }, /* EDT */
		{ "America/New_York", "2026-11-01 01:30", CD_OK, "2026-11-01T05:30:00Z" },
		{ "America/New_York", "2026-11-01 01:59", CD_OK, "2026-11-01T05:59:00Z" },
		{ "America/New_York", "2026-11-01 02:00", CD_OK, "2026-11-01T07:00:00Z" },
		/* half-hour offsets and gaps */
		{ "Asia/Kolkata", "2026-03-30 10:00", CD_OK, "2026-03-30T04:30:00Z" },
		{ "America/St_Johns", "2026-03-08 02:30", CD_REFUSED,
		    "2026-03-08 02:30 does not exist in America/St_Johns: the clocks go forward then" },
		{ "America/St_Johns", "2026-03-08 03:00", CD_OK, "2026-03-08T05:30:00Z" },
		{ "America/St_Johns", "2026-11-01 01:30", CD_OK, "2026-11-01T04:00:00Z" },
		/* midnight in a gap (Havana), a day skipped entirely (Apia) */
		{ "America/Havana", "2026-03-08 00:00", CD_REFUSED,
		    "2026-03-08 00:00 does not exist in America/Havana: the clocks go forward then" },
		{ "America/Havana", "2026-03-08 01:00", CD_OK, "2026-03-08T05:00:00Z" },
		{ "America/Havana", "2026-11-01 00:00", CD_OK, "2026-11-01T04:00:00Z" },
		{ "Pacific/Apia", "2011-12-30 12:00", CD_REFUSED,
		    "2011-12-30 12:00 does not exist in Pacific/Apia: the clocks go forward then" },
		/* changes with no change of isdst, which tm_isdst cannot tell apart:
		 * Moscow +04 -> +03 in 2014, Kyiv EET -> MSK in 1930 */
		{ "Europe/Moscow", "2014-10-26 01:30", CD_OK, "2014-10-25T21:30:00Z" },
		{ "Europe/Moscow", "2014-10-26 02:00", CD_OK, "2014-10-25T23:00:00Z" },
		{ "Europe/Kyiv", "1930-06-21 00:30", CD_REFUSED,
		    "1930-06-21 00:30 does not exist in Europe/Kyiv: the clocks go forward then" },
		{ "Europe/Kyiv", "1930-06-21 01:00", CD_OK, "1930-06-20T22:00:00Z" },
		{ "Africa/Addis_Ababa", "1936-05-05 00:24", CD_REFUSED,
		    "1936-05-05 00:24 does not exist in Africa/Addis_Ababa: the clocks go forward then" },
		{ "Africa/Addis_Ababa", "1936-05-05 00:25", CD_OK, "1936-05-04T21:25:00Z" },
		{ "UTC", "2026-03-29 02:30", CD_OK, "2026-03-29T02:30:00Z" },
		{ "Etc/UTC", "1900-01-01 00:00", CD_OK, "1900-01-01T00:00:00Z" },
		{ "Etc/UTC", "2999-12-31 23:59", CD_OK, "2999-12-31T23:59:00Z" },
	};
	struct cd_date d;
	struct cd_err err;
	char buf[21];
	int64_t utc;
	size_t i;
	int minute;
	enum cd_status st;

	(void)state;
	for (i = 0; i < LEN(cases); i++) {
		local_of(cases[i].local, &d, &minute);
		memset(&err, 0, sizeof err);
		utc = -1;
		st = local_to_utc(cases[i].zone, &d, minute, &utc, &err);
		if (st != cases[i].st)
			fail_msg("%s %s: status %d, want %d (%s)", cases[i].zone, cases[i].local, st,
			    cases[i].st, err.msg);
		if (st == CD_OK) {
			utc_format(utc, buf);
			if (strcmp(buf, cases[i].want) != 0)
				fail_msg("%s %s: %s, want %s", cases[i].zone, cases[i].local, buf,
				    cases[i].want);
		} else {
			if (utc != -1)
				fail_msg("%s %s: refused but wrote its output", cases[i].zone,
				    cases[i].local);
			if (err.status != st || strcmp(err.msg, cases[i].want) != 0)
				fail_msg("%s %s: said \"%s\", want \"%s\"", cases[i].zone,
				    cases[i].local, err.msg, cases[i].want);
		}
	}
}

/* --- UTC -> local --- */

static void
test_local_from_utc(void **state)
{
	static const struct {
		const char *zone, *utc, *local;
		int offset;
		const char *iso;
	} cases[] = {
		{ "Europe/Berlin", "2026-03-29T00:59:59Z", "2026-03-29 01:59", 60,
		    "2026-03-29T01:59:00+01:00" },
		{ "Europe/Berlin", "2026-03-29T01:00:00Z", "2026-03-29 03:00", 120,
		    "2026-03-29T03:00:00+02:00" },
		{ "Europe/Berlin", "2026-10-25T00:59:59Z", "2026-10-25 02:59", 120,
		    "2026-10-25T02:59:00+02:00" },
		{ "Europe/Berlin", "2026-10-25T01:00:00Z", "2026-10-25 02:00", 60,
		    "2026-10-25T02:00:00+01:00" },
		{ "Europe/Berlin", "2026-03-30T08:00:00Z", "2026-03-30 10:00", 120,
		    "2026-03-30T10:00:00+02:00" },
		{ "Europe/Berlin", "2026-03-16T09:00:00Z", "2026-03-16 10:00", 60,
		    "2026-03-16T10:00:00+01:00" },
		{ "Europe/Kyiv", "2026-03-29T00:59:59Z", "2026-03-29 02:59", 120,
		    "2026-03-29T02:59:00+02:00" },
		{ "Europe/Kyiv", "2026-03-29T01:00:00Z", "2026-03-29 04:00", 180,
		    "2026-03-29T04:00:00+03:00" },
		{ "Europe/Kyiv", "2026-10-25T00:59:59Z", "2026-10-25 03:59", 180,
		    "2026-10-25T03:59:00+03:00" },
		{ "Europe/Kyiv", "2026-10-25T01:00:00Z", "2026-10-25 03:00", 120,
		    "2026-10-25T03:00:00+02:00" },
		{ "America/New_York", "2026-03-08T06:59:59Z", "2026-03-08 01:59", -300,
		    "2026-03-08T01:59:00-05:00" },
		{ "America/New_York", "2026-03-08T07:00:00Z", "2026-03-08 03:00", -240,
		    "2026-03-08T03:00:00-04:00" },
		{ "America/New_York", "2026-11-01T05:59:59Z", "2026-11-01 01:59", -240,
		    "2026-11-01T01:59:00-04:00" },
		{ "America/New_York", "2026-11-01T06:00:00Z", "2026-11-01 01:00", -300,
		    "2026-11-01T01:00:00-05:00" },
		{ "America/New_York", "2026-01-01T04:59:59Z", "2025-12-31 23:59", -300,
		    "2025-12-31T23:59:00-05:00" },
		{ "Asia/Kolkata", "2026-03-30T04:30:00Z", "2026-03-30 10:00", 330,
		    "2026-03-30T10:00:00+05:30" },
		{ "America/St_Johns", "2026-01-15T12:00:00Z", "2026-01-15 08:30", -210,
		    "2026-01-15T08:30:00-03:30" },
		{ "UTC", "2026-03-30T08:00:00Z", "2026-03-30 08:00", 0, "2026-03-30T08:00:00+00:00" },
		{ "Pacific/Apia", "2011-12-30T09:59:59Z", "2011-12-29 23:59", -600,
		    "2011-12-29T23:59:00-10:00" },
		{ "Pacific/Apia", "2011-12-30T10:00:00Z", "2011-12-31 00:00", 840,
		    "2011-12-31T00:00:00+14:00" },
		/* Kyiv mean time, +02:02:04: the seconds are dropped */
		{ "Europe/Kyiv", "1924-04-30T21:57:56Z", "1924-05-01 00:00", 122,
		    "1924-05-01T00:00:00+02:02" },
	};
	struct cd_local l;
	struct cd_date d;
	char iso[26];
	size_t i;
	int minute;

	(void)state;
	for (i = 0; i < LEN(cases); i++) {
		local_of(cases[i].local, &d, &minute);
		memset(&l, 0x55, sizeof l);
		local_from_utc(cases[i].zone, utc_of(cases[i].utc), &l);
		if (!same_date(&l.date, &d) || l.minute != minute || l.offset_min != cases[i].offset)
			fail_msg("%s %s: %d-%02d-%02d minute %d offset %d, want %s offset %d",
			    cases[i].zone, cases[i].utc, l.date.year, l.date.month, l.date.day,
			    l.minute, l.offset_min, cases[i].local, cases[i].offset);
		memset(iso, 'X', sizeof iso);
		local_format_iso(&l, iso);
		if (strcmp(iso, cases[i].iso) != 0)
			fail_msg("%s %s: %s, want %s", cases[i].zone, cases[i].utc, iso, cases[i].iso);
	}
}

static void
test_local_format_iso(void **state)
{
	static const struct {
		struct cd_local l;
		const char *want;
	} cases[] = {
		{ { { 2026, 3, 30 }, 600, 120 }, "2026-03-30T10:00:00+02:00" },
		{ { { 2026, 3, 30 }, 600, -240 }, "2026-03-30T10:00:00-04:00" },
		{ { { 2026, 3, 30 }, 0, 330 }, "2026-03-30T00:00:00+05:30" },
		{ { { 2026, 3, 30 }, 1439, 345 }, "2026-03-30T23:59:00+05:45" },
		{ { { 2026, 1, 2 }, 61, -210 }, "2026-01-02T01:01:00-03:30" },
		{ { { 2026, 1, 2 }, 61, -30 }, "2026-01-02T01:01:00-00:30" },
		{ { { 2026, 1, 2 }, 61, 0 }, "2026-01-02T01:01:00+00:00" },
		{ { { 2026, 1, 2 }, 61, 840 }, "2026-01-02T01:01:00+14:00" },
		{ { { 2026, 1, 2 }, 61, -720 }, "2026-01-02T01:01:00-12:00" },
	};
	char buf[27];
	size_t i;

	(void)state;
	for (i = 0; i < LEN(cases); i++) {
		memset(buf, 'X', sizeof buf);
		local_format_iso(&cases[i].l, buf);
		assert_string_equal(buf, cases[i].want);
		assert_int_equal(buf[26], 'X');
	}
}

/* --- day spans --- */

static void
test_local_day_span(void **state)
{
	static const struct {
		const char *zone, *date, *start, *end;
		int64_t length;
	} cases[] = {
		{ "Europe/Berlin", "2026-03-28", "2026-03-27T23:00:00Z", "2026-03-28T23:00:00Z", 24 * HOUR },
		{ "Europe/Berlin", "2026-03-29", "2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z", 23 * HOUR },
		{ "Europe/Berlin", "2026-03-30", "2026-03-29T22:00:00Z", "2026-03-30T22:00:00Z", 24 * HOUR },
		{ "Europe/Berlin", "2026-10-25", "2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z", 25 * HOUR },
		{ "Europe/Kyiv", "2026-03-29", "2026-03-28T22:00:00Z", "2026-03-29T21:00:00Z", 23 * HOUR },
		{ "Europe/Kyiv", "2026-06-01", "2026-05-31T21:00:00Z", "2026-06-01T21:00:00Z", 24 * HOUR },
		{ "Europe/Kyiv", "2026-10-25", "2026-10-24T21:00:00Z", "2026-10-25T22:00:00Z", 25 * HOUR },
		{ "America/New_York", "2026-03-08", "2026-03-08T05:00:00Z", "2026-03-09T04:00:00Z", 23 * HOUR },
		{ "America/New_York", "2026-07-04", "2026-07-04T04:00:00Z", "2026-07-05T04:00:00Z", 24 * HOUR },
		{ "America/New_York", "2026-11-01", "2026-11-01T04:00:00Z", "2026-11-02T05:00:00Z", 25 * HOUR },
		/* midnight in a gap: the day starts at 01:00 */
		{ "America/Havana", "2026-03-08", "2026-03-08T05:00:00Z", "2026-03-09T04:00:00Z", 23 * HOUR },
		{ "Asia/Beirut", "2026-03-29", "2026-03-28T22:00:00Z", "2026-03-29T21:00:00Z", 23 * HOUR },
		{ "America/Santiago", "2026-09-06", "2026-09-06T04:00:00Z", "2026-09-07T03:00:00Z", 23 * HOUR },
		/* midnight twice: the day starts at the first */
		{ "America/Havana", "2026-11-01", "2026-11-01T04:00:00Z", "2026-11-02T05:00:00Z", 25 * HOUR },
		/* 24:00 -> 23:00: the hour before midnight twice */
		{ "Asia/Beirut", "2026-10-24", "2026-10-23T21:00:00Z", "2026-10-24T22:00:00Z", 25 * HOUR },
		{ "America/Santiago", "2026-04-04", "2026-04-04T03:00:00Z", "2026-04-05T04:00:00Z", 25 * HOUR },
		/* Samoa skipped 2011-12-30 */
		{ "Pacific/Apia", "2011-12-29", "2011-12-29T10:00:00Z", "2011-12-30T10:00:00Z", 24 * HOUR },
		{ "Pacific/Apia", "2011-12-30", "2011-12-30T10:00:00Z", "2011-12-30T10:00:00Z", 0 },
		{ "Pacific/Apia", "2011-12-31", "2011-12-30T10:00:00Z", "2011-12-31T10:00:00Z", 24 * HOUR },
		/* EET -> MSK at midnight, both isdst=0 */
		{ "Europe/Kyiv", "1930-06-21", "1930-06-20T22:00:00Z", "1930-06-21T21:00:00Z", 23 * HOUR },
		/* Kyiv mean time +02:02:04 -> EET: the day had 24:02:04 */
		{ "Europe/Kyiv", "1924-05-01", "1924-04-30T21:57:56Z", "1924-05-01T22:00:00Z",
		    24 * HOUR + 124 },
		/* Addis Ababa mean time +02:35:20 -> EAT +03:00 at midnight: the
		 * day began at 00:24:40, inside a minute */
		{ "Africa/Addis_Ababa", "1936-05-04", "1936-05-03T21:24:40Z", "1936-05-04T21:24:40Z",
		    24 * HOUR },
		{ "Africa/Addis_Ababa", "1936-05-05", "1936-05-04T21:24:40Z", "1936-05-05T21:00:00Z",
		    24 * HOUR - 1480 },
		{ "UTC", "2026-03-29", "2026-03-29T00:00:00Z", "2026-03-30T00:00:00Z", 24 * HOUR },
	};
	struct cd_date d;
	struct cd_err err;
	char a[21], b[21];
	int64_t start, end;
	size_t i;
	enum cd_status st;

	(void)state;
	for (i = 0; i < LEN(cases); i++) {
		assert_true(date_parse(cases[i].date, &d));
		st = local_day_span(cases[i].zone, &d, &start, &end, &err);
		if (st != CD_OK)
			fail_msg("%s %s: refused: %s", cases[i].zone, cases[i].date, err.msg);
		utc_format(start, a);
		utc_format(end, b);
		if (strcmp(a, cases[i].start) != 0 || strcmp(b, cases[i].end) != 0)
			fail_msg("%s %s: [%s, %s), want [%s, %s)", cases[i].zone, cases[i].date, a, b,
			    cases[i].start, cases[i].end);
		if (end - start != cases[i].length)
			fail_msg("%s %s: %lld seconds long, want %lld", cases[i].zone, cases[i].date,
			    (long long)(end - start), (long long)cases[i].length);
	}
}

static const char *const dst_zones[] = {
	"Europe/Berlin", "Europe/Kyiv", "America/New_York", "America/Havana",
	"America/St_Johns", "Asia/Beirut",
};

/* Through 2026 the days tile time: each starts where the one before ends,
 * the year is 365 * 24 hours, and there is one 23-hour and one 25-hour
 * day. */
static void
test_day_spans_tile_the_year(void **state)
{
	struct cd_date d, first = { 2026, 1, 1 }, next_year = { 2027, 1, 1 };
	struct cd_err err;
	int64_t day, start, end, prev_end = 0, year_start = 0;
	size_t z;
	int short_days, long_days;

	(void)state;
	for (z = 0; z < LEN(dst_zones); z++) {
		short_days = long_days = 0;
		for (day = date_to_days(&first); day < date_to_days(&next_year); day++) {
			date_from_days(day, &d);
			if (local_day_span(dst_zones[z], &d, &start, &end, &err) != CD_OK)
				fail_msg("%s %d-%02d-%02d: %s", dst_zones[z], d.year, d.month, d.day,
				    err.msg);
			if (day == date_to_days(&first))
				year_start = start;
			else if (start != prev_end)
				fail_msg("%s %d-%02d-%02d does not start where the day before ends",
				    dst_zones[z], d.year, d.month, d.day);
			if (end - start == 23 * HOUR)
				short_days++;
			else if (end - start == 25 * HOUR)
				long_days++;
			else if (end - start != 24 * HOUR)
				fail_msg("%s %d-%02d-%02d lasts %lld seconds", dst_zones[z], d.year,
				    d.month, d.day, (long long)(end - start));
			prev_end = end;
		}
		assert_int_equal(prev_end - year_start, 365 * DAY);
		if (short_days != 1 || long_days != 1)
			fail_msg("%s: %d short and %d long days in 2026", dst_zones[z], short_days,
			    long_days);
	}
}

/* --- courses in calendar days --- */

/* A course at 10:00 Berlin on 2026-03-16 (CET) and the next one 14
 * calendar days later, 10:00 on 2026-03-30 (CEST): 13 days 23 hours apart. */
static void
test_course_over_dst(void **state)
{
	struct cd_date d = { 2026, 3, 16 }, later;
	struct cd_local l;
	struct cd_err err;
	int64_t a, b;

	(void)state;
	assert_int_equal(local_to_utc("Europe/Berlin", &d, 10 * 60, &a, &err), CD_OK);
	date_from_days(date_to_days(&d) + 14, &later);
	assert_int_equal(later.year, 2026);
	assert_int_equal(later.month, 3);
	assert_int_equal(later.day, 30);
	assert_int_equal(local_to_utc("Europe/Berlin", &later, 10 * 60, &b, &err), CD_OK);
	assert_int_equal(b - a, 13 * DAY + 23 * HOUR);
	assert_int_equal(a, utc_of("2026-03-16T09:00:00Z"));
	assert_int_equal(b, utc_of("2026-03-30T08:00:00Z"));
	local_from_utc("Europe/Berlin", b, &l);
	assert_true(same_date(&l.date, &later));
	assert_int_equal(l.minute, 10 * 60);
	assert_int_equal(l.offset_min, 120);
}

/* --- round trips --- */

/* Every 5 minutes of local 2026: a time converts to UTC and back to
 * itself, unless it lies in the one gap hour; an ambiguous one gives the
 * earlier instant, and there is one such hour. */
static void
test_round_trip_local(void **state)
{
	struct cd_date d, first = { 2026, 1, 1 }, next_year = { 2027, 1, 1 };
	struct cd_local l, later;
	struct cd_err err;
	int64_t day, utc;
	size_t z;
	int minute, gaps, twice;
	enum cd_status st;

	(void)state;
	for (z = 0; z < LEN(dst_zones); z++) {
		gaps = twice = 0;
		for (day = date_to_days(&first); day < date_to_days(&next_year); day++) {
			date_from_days(day, &d);
			for (minute = 0; minute < 24 * 60; minute += 5) {
				st = local_to_utc(dst_zones[z], &d, minute, &utc, &err);
				if (st == CD_REFUSED) {
					if (strstr(err.msg, "does not exist") == NULL)
						fail_msg("%s: %s", dst_zones[z], err.msg);
					gaps++;
					continue;
				}
				if (st != CD_OK)
					fail_msg("%s: %s", dst_zones[z], err.msg);
				local_from_utc(dst_zones[z], utc, &l);
				if (!same_date(&l.date, &d) || l.minute != minute)
					fail_msg("%s %d-%02d-%02d minute %d came back as %d-%02d-%02d %d",
					    dst_zones[z], d.year, d.month, d.day, minute, l.date.year,
					    l.date.month, l.date.day, l.minute);
				if (utc + l.offset_min * 60 != day * DAY + minute * 60)
					fail_msg("%s: offset %d does not fit", dst_zones[z], l.offset_min);
				/* not the later of two: an hour earlier is another time */
				local_from_utc(dst_zones[z], utc - HOUR, &l);
				if (same_date(&l.date, &d) && l.minute == minute)
					fail_msg("%s %d-%02d-%02d minute %d: not the earlier instant",
					    dst_zones[z], d.year, d.month, d.day, minute);
				local_from_utc(dst_zones[z], utc + HOUR, &later);
				if (same_date(&later.date, &d) && later.minute == minute)
					twice++;
			}
		}
		if (gaps != 12 || twice != 12)
			fail_msg("%s: %d gap and %d twice-lived times in 2026, want 12 and 12",
			    dst_zones[z], gaps, twice);
	}
}

/* Every 5 minutes of UTC 2026: UTC -> local -> UTC is the identity, or an
 * hour earlier for the second pass through an ambiguous hour. */
static void
test_round_trip_utc(void **state)
{
	struct cd_local l;
	struct cd_err err;
	int64_t utc, back, from = utc_of("2026-01-01T00:00:00Z"), to = utc_of("2027-01-01T00:00:00Z");
	size_t z;
	int second;
	char buf[21];

	(void)state;
	for (z = 0; z < LEN(dst_zones); z++) {
		second = 0;
		for (utc = from; utc < to; utc += 300) {
			local_from_utc(dst_zones[z], utc, &l);
			if (local_to_utc(dst_zones[z], &l.date, l.minute, &back, &err) != CD_OK)
				fail_msg("%s: %s", dst_zones[z], err.msg);
			if (back == utc)
				continue;
			utc_format(utc, buf);
			if (back != utc - HOUR)
				fail_msg("%s %s came back %lld seconds off", dst_zones[z], buf,
				    (long long)(back - utc));
			second++;
		}
		if (second != 12)
			fail_msg("%s: %d second passes, want 12", dst_zones[z], second);
	}
}

/* --- UTC text --- */

static void
test_utc_format(void **state)
{
	static const struct {
		int64_t utc;
		const char *want;
	} cases[] = {
		{ 0, "1970-01-01T00:00:00Z" },
		{ 59, "1970-01-01T00:00:59Z" },
		{ -1, "1969-12-31T23:59:59Z" },
		{ INT64_C(-86400), "1969-12-31T00:00:00Z" },
		{ INT64_C(-86401), "1969-12-30T23:59:59Z" },
		{ INT64_C(-2208988800), "1900-01-01T00:00:00Z" },
		{ INT64_C(1774857600), "2026-03-30T08:00:00Z" },
		{ UNIT_NOW_MS / 1000, "2026-11-21T13:36:14Z" },
		{ INT64_C(951782400), "2000-02-29T00:00:00Z" },
		{ INT64_C(32503679999), "2999-12-31T23:59:59Z" },
	};
	char buf[22];
	int64_t back;
	size_t i;

	(void)state;
	for (i = 0; i < LEN(cases); i++) {
		memset(buf, 'X', sizeof buf);
		utc_format(cases[i].utc, buf);
		if (strcmp(buf, cases[i].want) != 0)
			fail_msg("utc_format(%lld) = %s, want %s", (long long)cases[i].utc, buf,
			    cases[i].want);
		assert_int_equal(buf[21], 'X');
		assert_true(utc_parse(buf, &back));
		assert_int_equal(back, cases[i].utc);
	}
}

static void
test_utc_parse(void **state)
{
	static const struct {
		const char *s;
		bool ok;
		int64_t utc;
	} cases[] = {
		{ "2026-03-30T08:00:00Z", true, INT64_C(1774857600) },
		{ "2026-03-30T08:00:59Z", true, INT64_C(1774857659) },
		{ "1970-01-01T00:00:00Z", true, 0 },
		{ "1969-12-31T23:59:59Z", true, -1 },
		{ "2024-02-29T23:59:59Z", true, INT64_C(1709251199) },
		{ "2026-02-30T00:00:00Z", false, 0 },
		{ "2025-02-29T00:00:00Z", false, 0 },
		{ "2026-13-01T00:00:00Z", false, 0 },
		{ "2026-03-30T08:00:00", false, 0 },   /* no Z */
		{ "2026-03-30T08:00:00Zx", false, 0 }, /* trailing junk */
		{ "2026-03-30T08:00:00Z ", false, 0 },
		{ " 2026-03-30T08:00:00Z", false, 0 },
		{ "2026-03-30T08:00:00z", false, 0 },
		{ "2026-03-30t08:00:00Z", false, 0 },
		{ "2026-03-30 08:00:00Z", false, 0 },
		{ "2026-03-30T08:00:00.000Z", false, 0 },
		{ "2026-03-30T08:00:00+00:00", false, 0 },
		{ "2026-03-30T08:00Z", false, 0 },
		{ "2026-03-30T24:00:00Z", false, 0 },
		{ "2026-03-30T08:60:00Z", false, 0 },
		{ "2026-03-30T08:00:60Z", false, 0 },
		{ "2026-03-30T8:00:00Z", false, 0 },
		{ "2026-03-30T08:0a:00Z", false, 0 },
		{ "2026-03-30T+8:00:00Z", false, 0 },
		{ "2026-03-30T08-00-00Z", false, 0 },
		{ "2026-3-30T08:00:00Z", false, 0 },
		{ "1899-12-31T23:59:59Z", false, 0 },
		{ "2026-03-30", false, 0 },
		{ "", false, 0 },
	};
	int64_t utc;
	size_t i;
	bool ok;

	(void)state;
	for (i = 0; i < LEN(cases); i++) {
		utc = 12345;
		ok = utc_parse(cases[i].s, &utc);
		if (ok != cases[i].ok)
			fail_msg("utc_parse(\"%s\") = %d, want %d", cases[i].s, ok, cases[i].ok);
		if (ok && utc != cases[i].utc)
			fail_msg("utc_parse(\"%s\") = %lld, want %lld", cases[i].s, (long long)utc,
			    (long long)cases[i].utc);
		if (!ok && utc != 12345)
			fail_msg("utc_parse(\"%s\") wrote its output although it failed", cases[i].s);
	}
}

/* The text sorts as the time does and reads back, 1900 to 2999. */
static void
test_utc_text_round_trip(void **state)
{
	int64_t utc, back, first = INT64_C(-2208988800), last = INT64_C(32503679999);
	char a[21], b[21];

	(void)state;
	for (utc = first; utc < last; utc += INT64_C(7777777)) {
		utc_format(utc, a);
		utc_format(utc + 1, b);
		if (!utc_parse(a, &back) || back != utc)
			fail_msg("%s does not read back as %lld", a, (long long)utc);
		if (strcmp(a, b) >= 0)
			fail_msg("%s does not sort before %s", a, b);
	}
}

/* --- clock and local text --- */

static void
test_clock_parse(void **state)
{
	static const struct {
		const char *s;
		bool ok;
		int minute;
	} cases[] = {
		{ "00:00", true, 0 },
		{ "09:05", true, 545 },
		{ "10:00", true, 600 },
		{ "23:59", true, 1439 },
		{ "24:00", false, 0 },
		{ "9:00", false, 0 },
		{ "09:0", false, 0 },
		{ "09:60", false, 0 },
		{ "25:00", false, 0 },
		{ "0900", false, 0 },
		{ "09.00", false, 0 },
		{ "09-00", false, 0 },
		{ "09:00 ", false, 0 },
		{ " 09:00", false, 0 },
		{ "09:00:00", false, 0 },
		{ "+9:00", false, 0 },
		{ "-1:00", false, 0 },
		{ "ab:cd", false, 0 },
		{ "09:5x", false, 0 },
		{ "", false, 0 },
	};
	size_t i;
	int minute;
	bool ok;

	(void)state;
	for (i = 0; i < LEN(cases); i++) {
		minute = -7;
		ok = clock_parse(cases[i].s, &minute);
		if (ok != cases[i].ok)
			fail_msg("clock_parse(\"%s\") = %d, want %d", cases[i].s, ok, cases[i].ok);
		if (ok && minute != cases[i].minute)
			fail_msg("clock_parse(\"%s\") = %d, want %d", cases[i].s, minute,
			    cases[i].minute);
		if (!ok && minute != -7)
			fail_msg("clock_parse(\"%s\") wrote its output although it failed",
			    cases[i].s);
	}
}

static void
test_local_parse(void **state)
{
	static const struct {
		const char *s;
		bool ok;
		struct cd_date d;
		int minute;
	} cases[] = {
		{ "2026-03-30 10:00", true, { 2026, 3, 30 }, 600 },
		{ "2026-03-30T10:00", true, { 2026, 3, 30 }, 600 },
		{ "2024-02-29 23:59", true, { 2024, 2, 29 }, 1439 },
		{ "2026-01-01 00:00", true, { 2026, 1, 1 }, 0 },
		{ "2026-13-01 10:00", false, { 0, 0, 0 }, 0 },
		{ "2026-02-30 10:00", false, { 0, 0, 0 }, 0 },
		{ "2026-03-30 24:00", false, { 0, 0, 0 }, 0 },
		{ "2026-03-30 9:00", false, { 0, 0, 0 }, 0 },
		{ "2026-03-30  10:00", false, { 0, 0, 0 }, 0 },
		{ "2026-03-30t10:00", false, { 0, 0, 0 }, 0 },
		{ "2026-03-30_10:00", false, { 0, 0, 0 }, 0 },
		{ "2026-03-30T10:00:00", false, { 0, 0, 0 }, 0 },
		{ "2026-03-30T10:00Z", false, { 0, 0, 0 }, 0 },
		{ "2026-03-30 10:00 ", false, { 0, 0, 0 }, 0 },
		{ "2026-03-30", false, { 0, 0, 0 }, 0 },
		{ "10:00", false, { 0, 0, 0 }, 0 },
		{ "30.03.2026 10:00", false, { 0, 0, 0 }, 0 },
		{ "1899-12-31 10:00", false, { 0, 0, 0 }, 0 },
		{ "", false, { 0, 0, 0 }, 0 },
	};
	struct cd_date d;
	size_t i;
	int minute;
	bool ok;

	(void)state;
	for (i = 0; i < LEN(cases); i++) {
		d.year = d.month = d.day = minute = -7;
		ok = local_parse(cases[i].s, &d, &minute);
		if (ok != cases[i].ok)
			fail_msg("local_parse(\"%s\") = %d, want %d", cases[i].s, ok, cases[i].ok);
		if (ok && (!same_date(&d, &cases[i].d) || minute != cases[i].minute))
			fail_msg("local_parse(\"%s\") gave %d-%d-%d minute %d", cases[i].s, d.year,
			    d.month, d.day, minute);
		if (!ok && (d.year != -7 || minute != -7))
			fail_msg("local_parse(\"%s\") wrote its output although it failed",
			    cases[i].s);
	}
}

/* --- refusals --- */

static void
test_unknown_zone(void **state)
{
	static const char *const bad[] = {
		"Mars/Olympus_Mons",
		"Europe/Berln",
		"",
		"Europe",                 /* a folder */
		"zone.tab",               /* not a zone file */
		"Europe/Berlin ",
		"../../../etc/passwd",
		"/usr/share/zoneinfo/Europe/Berlin",
		"EST5EDT,M3.2.0,M11.1.0", /* a POSIX rule, not a zone name */
		"CET-1CEST",
		"Europe/Berlin/x",
		"Europe/AVeryLongNameThatIsNotAZoneAtAllButGoesOnAndOnAndOnAndOnForever",
	};
	struct cd_date d = { 2026, 3, 30 };
	struct cd_local l;
	struct cd_err err;
	int64_t utc, start, end;
	size_t i;
	const char *tz;

	(void)state;
	assert_int_equal(local_to_utc("Europe/Berlin", &d, 600, &utc, &err), CD_OK);
	for (i = 0; i < LEN(bad); i++) {
		memset(&err, 0, sizeof err);
		utc = start = end = 12345;
		if (local_to_utc(bad[i], &d, 600, &utc, &err) != CD_EDATA || err.status != CD_EDATA)
			fail_msg("local_to_utc accepted the zone \"%s\"", bad[i]);
		if (strstr(err.msg, "time zone") == NULL || strchr(err.msg, '\n') != NULL)
			fail_msg("\"%s\": %s", bad[i], err.msg);
		memset(&err, 0, sizeof err);
		if (local_day_span(bad[i], &d, &start, &end, &err) != CD_EDATA ||
		    err.status != CD_EDATA)
			fail_msg("local_day_span accepted the zone \"%s\"", bad[i]);
		if (utc != 12345 || start != 12345 || end != 12345)
			fail_msg("\"%s\": refused but wrote its output", bad[i]);
		/* TZ is left alone, and local_from_utc falls back on UTC */
		tz = getenv("TZ");
		assert_non_null(tz);
		assert_string_equal(tz, "Europe/Berlin");
		local_from_utc(bad[i], INT64_C(1774857600), &l);
		assert_int_equal(l.offset_min, 0);
		assert_int_equal(l.minute, 8 * 60);
	}
	memset(&err, 0, sizeof err);
	assert_int_equal(local_to_utc("Mars/Olympus_Mons", &d, 600, &utc, &err), CD_EDATA);
	assert_string_equal(err.msg,
	    "there is no time zone called 'Mars/Olympus_Mons' (use an IANA name such as Europe/Berlin)");
}

static void
test_bad_arguments(void **state)
{
	static const struct {
		struct cd_date d;
		int minute;
	} cases[] = {
		{ { 2026, 3, 30 }, -1 },
		{ { 2026, 3, 30 }, 1440 },
		{ { 2026, 2, 30 }, 600 },
		{ { 2026, 13, 1 }, 600 },
		{ { 2026, 0, 1 }, 600 },
		{ { 2026, 1, 0 }, 600 },
		{ { 1899, 12, 31 }, 600 },
		{ { 3000, 1, 1 }, 600 },
	};
	struct cd_err err;
	int64_t utc, start, end;
	size_t i;

	(void)state;
	for (i = 0; i < LEN(cases); i++) {
		memset(&err, 0, sizeof err);
		utc = 12345;
		assert_int_equal(local_to_utc("Europe/Berlin", &cases[i].d, cases[i].minute, &utc,
		    &err), CD_USAGE);
		assert_int_equal(utc, 12345);
		assert_true(err.msg[0] != '\0');
		if (cases[i].minute == 600) {
			assert_int_equal(local_day_span("Europe/Berlin", &cases[i].d, &start, &end,
			    &err), CD_USAGE);
		}
	}
	/* a NULL err is allowed */
	assert_int_equal(local_to_utc("Europe/Berlin", &cases[0].d, -1, &utc, NULL), CD_USAGE);
	assert_int_equal(local_to_utc("Nowhere/Atall", &cases[0].d, 0, &utc, NULL), CD_EDATA);
}

/* Whatever TZ the process has, or gets from elsewhere between calls, the
 * answers are those of the zone asked for. */
static void
test_machine_tz_ignored(void **state)
{
	static const char *const machine[] = {
		NULL, "Asia/Tokyo", "America/New_York", "UTC", "Europe/Berlin", "garbage",
		"EST5EDT,M3.2.0,M11.1.0", ":/etc/localtime", "Europe/Kyiv",
	};
	struct cd_date d = { 2026, 3, 16 };
	struct cd_local l;
	struct cd_err err;
	int64_t utc;
	size_t i;

	(void)state;
	for (i = 0; i < LEN(machine); i++) {
		if (machine[i] == NULL)
			unsetenv("TZ");
		else
			setenv("TZ", machine[i], 1);
		tzset();
		assert_int_equal(local_to_utc("Europe/Berlin", &d, 600, &utc, &err), CD_OK);
		assert_int_equal(utc, utc_of("2026-03-16T09:00:00Z"));
		/* changed behind our back after a call in the same zone */
		if (machine[i] == NULL)
			unsetenv("TZ");
		else
			setenv("TZ", machine[i], 1);
		tzset();
		local_from_utc("Europe/Berlin", utc, &l);
		assert_int_equal(l.minute, 600);
		assert_int_equal(l.offset_min, 60);
		local_from_utc("America/New_York", utc, &l);
		assert_int_equal(l.minute, 300);
		assert_int_equal(l.offset_min, -240);
	}
	unit_fixed_env();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_local_to_utc),
		cmocka_unit_test(test_local_from_utc),
		cmocka_unit_test(test_local_format_iso),
		cmocka_unit_test(test_local_day_span),
		cmocka_unit_test(test_day_spans_tile_the_year),
		cmocka_unit_test(test_course_over_dst),
		cmocka_unit_test(test_round_trip_local),
		cmocka_unit_test(test_round_trip_utc),
		cmocka_unit_test(test_utc_format),
		cmocka_unit_test(test_utc_parse),
		cmocka_unit_test(test_utc_text_round_trip),
		cmocka_unit_test(test_clock_parse),
		cmocka_unit_test(test_local_parse),
		cmocka_unit_test(test_unknown_zone),
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_machine_tz_ignored),
	};

	unit_fixed_env();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
