/* localtime.h - local wall-clock time in IANA zones (the system tz
 * database) and the UTC text stored in the database. */
#ifndef CD_LOCALTIME_H
#define CD_LOCALTIME_H

#include <stdbool.h>
#include <stdint.h>

#include "date.h"
#include "status.h"

struct cd_local {
	struct cd_date date;
	int minute;     /* minutes from local midnight, 0..1439 */
	int offset_min; /* local time minus UTC, minutes (+60 for CET, -300 for EST) */
};

/* Local date + minute in IANA zone -> UTC seconds since the epoch. A time
 * inside a DST gap is refused (CD_REFUSED) with one sentence such as
 * "2026-03-29 02:30 does not exist in Europe/Berlin: the clocks go forward
 * then"; an ambiguous local time (clocks going back) gives the EARLIER
 * instant. An unknown zone is CD_EDATA, a date or minute out of range
 * CD_USAGE, each with a sentence. */
enum cd_status local_to_utc(const char *zone, const struct cd_date *d, int minute,
    int64_t *utc, struct cd_err *err);
/* UTC seconds -> local date, minute and offset in zone. The zone must be
 * one local_to_utc or tz_check() accepts: an unknown one gives UTC. */
void local_from_utc(const char *zone, int64_t utc, struct cd_local *out);
/* The UTC span [*start, *end) of local calendar day d in zone: 23 or 25
 * hours on DST days; a day whose midnight falls in a gap starts at its
 * first existing minute (a day skipped entirely is empty). */
enum cd_status local_day_span(const char *zone, const struct cd_date *d, int64_t *start,
    int64_t *end, struct cd_err *err);

/* Storage text "2026-03-30T08:00:00Z" (buf of 21 bytes) and back: exactly
 * that shape, years 1900-2999, seconds 00-59; false on anything else. */
void utc_format(int64_t utc, char buf[21]);
bool utc_parse(const char *s, int64_t *utc);
/* "2026-03-30T10:00:00+02:00" (buf of 26 bytes); offsets like -04:00, +05:30. */
void local_format_iso(const struct cd_local *l, char buf[26]);

/* "HH:MM" 00:00-23:59 -> minute; "YYYY-MM-DD HH:MM" (or with 'T' between)
 * -> date + minute. Strict: false on anything else, and nothing written. */
bool clock_parse(const char *s, int *minute);
bool local_parse(const char *s, struct cd_date *d, int *minute);

#endif
