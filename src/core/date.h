/* date.h - calendar dates (YYYY-MM-DD), UTC timestamps and weekly
 * opening hours. Pure arithmetic: no clock is read here. */
#ifndef CD_DATE_H
#define CD_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"

struct cd_date {
	int year, month, day;
};

/* Parses exactly YYYY-MM-DD (years 1900-2999) and checks the day exists. */
bool date_parse(const char *s, struct cd_date *out);
/* Writes YYYY-MM-DD into buf (11 bytes). */
void date_format(const struct cd_date *d, char buf[11]);
int date_days_in_month(int year, int month);
/* Days since 1970-01-01 (proleptic Gregorian), and back. */
int64_t date_to_days(const struct cd_date *d);
void date_from_days(int64_t days, struct cd_date *out);
/* 0 = Monday ... 6 = Sunday */
int date_weekday(const struct cd_date *d);

/* Writes the UTC time ms (since the epoch) as 2026-11-21T13:36:14.123Z
 * into buf (25 bytes). */
void time_format_utc(int64_t ms, char buf[25]);

/* Weekly opening hours: minutes from local midnight, open < close;
 * a closed day has open == close == 0. */
struct cd_hours {
	int open[7], close[7];
};

/* Parses "mon-fri 08:00-18:00, sat 09:00-13:00" (days: mon..sun, ranges
 * allowed, days not named are closed; "closed" for none). */
enum cd_status hours_parse(const char *spec, struct cd_hours *out, struct cd_err *err);
/* Writes the canonical spec ("mon-fri 08:00-18:00, sat 09:00-13:00") into
 * buf of size n; "closed" when no day is open. */
void hours_format(const struct cd_hours *h, char *buf, size_t n);

#endif
