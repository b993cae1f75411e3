/* fuzz_date.c - fuzz target for the date, time-of-day, local time, UTC
 * text and opening-hours parsers, which read what people type on the
 * command line and in forms (and what the database holds). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/localtime.h"
#include "core/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = xstrndup((const char *)data, size);
	struct cd_date d, back;
	struct cd_hours h, h2;
	struct cd_err err;
	char buf[200], out[11], utc[21];
	int minute;
	int64_t t;

	if (date_parse(s, &d)) {
		/* A date that parses prints back as itself and survives the
		 * round trip through day numbers. */
		date_format(&d, out);
		if (strcmp(out, s) != 0)
			abort();
		date_from_days(date_to_days(&d), &back);
		if (back.year != d.year || back.month != d.month || back.day != d.day)
			abort();
	}
	if (clock_parse(s, &minute) && (minute < 0 || minute >= 24 * 60))
		abort();
	if (local_parse(s, &d, &minute) && (minute < 0 || minute >= 24 * 60 ||
	    date_days_in_month(d.year, d.month) < d.day))
		abort();
	if (utc_parse(s, &t)) {
		/* UTC text that parses prints back as itself. */
		utc_format(t, utc);
		if (strcmp(utc, s) != 0)
			abort();
	}
	if (hours_parse(s, &h, &err) == CD_OK) {
		hours_format(&h, buf, sizeof buf);
		if (strcmp(buf, "closed") != 0 &&
		    (hours_parse(buf, &h2, &err) != CD_OK || memcmp(&h, &h2, sizeof h) != 0))
			abort();
	}
	free(s);
	return 0;
}
