/* temp_csv.h - temperatures as people and loggers write them: one
 * reading in degrees Celsius ("-150", "4.5"), and the CSV file that
 * celldesk storage import reads (a header "site,unit,time,temp_c", then
 * one reading a line). Pure: text in, one callback per reading with its
 * line number; no clock, no database. */
#ifndef CD_TEMP_CSV_H
#define CD_TEMP_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "date.h"
#include "status.h"

/* The coldest and warmest temperatures celldesk accepts (degrees C):
 * absolute zero, and well above anything a clinic stores cells at. */
#define TEMP_MIN_C (-273.15)
#define TEMP_MAX_C 150.0

/* An import file may be at most this big, and a line this long (bytes,
 * without its line end); a site or unit name at most TEMP_CSV_MAX_NAME
 * characters. */
#define TEMP_CSV_MAX_BYTES (16u * 1024u * 1024u)
#define TEMP_CSV_MAX_LINE 1024u
#define TEMP_CSV_MAX_NAME 80u

/* Parses a temperature: an optional sign, one to three digits, and
 * optionally a point and one to three more ("-196", "-120.5", "+4.25"),
 * from TEMP_MIN_C to TEMP_MAX_C. On anything else *c is untouched and
 * the verdict says what is wrong: no exponent, no comma, no spaces, no
 * "nan". */
enum temp_verdict {
	TEMP_OK,
	TEMP_NOT_A_NUMBER,
	TEMP_TOO_PRECISE,  /* more than 3 decimals */
	TEMP_OUT_OF_RANGE
};
enum temp_verdict temp_parse(const char *s, double *c);
/* What is wrong, to follow the value in a sentence: "is not a number". */
const char *temp_why(enum temp_verdict v);
/* Writes c with one to three decimals, as few as show it exactly
 * ("-150.0", "-120.25", "4.125") into buf. */
void temp_format(double c, char buf[24]);

/* One reading of the file, handed to the callback; the strings live
 * until the callback returns. */
struct temp_csv_row {
	size_t line;            /* 1-based, counting every line of the file */
	const char *site, *unit;
	const char *time;       /* as written (for messages) */
	bool utc;               /* time was "YYYY-MM-DDTHH:MM:SSZ" */
	int64_t utc_secs;       /* utc: the instant */
	struct cd_date date;    /* !utc: the site's local date and minute */
	int minute;
	double temp_c;
};
/* Returns CD_OK to go on; anything else stops the parse with that
 * status (the callback fills err). */
typedef enum cd_status (*temp_csv_fn)(void *ctx, const struct temp_csv_row *row,
    struct cd_err *err);

/* Parses text (len bytes, need not be NUL-terminated): an optional UTF-8
 * byte-order mark, LF or CRLF line ends, blank lines skipped, fields as
 * RFC 4180 (optionally in double quotes, "" for a quote inside; spaces
 * around a field are dropped). The header names the four columns
 * site, unit, time and temp_c, in any order and any case. A time is
 * local "YYYY-MM-DD HH:MM" or UTC "YYYY-MM-DDTHH:MM:SSZ". Stops at the
 * first problem with CD_REFUSED and one sentence naming fname and the
 * line: "readings.csv line 7: temperature 'abc' is not a number".
 * Control characters and line breaks inside a field are refused. *rows
 * (may be NULL) counts the readings handed to fn. */
enum cd_status temp_csv_parse(const char *text, size_t len, const char *fname,
    temp_csv_fn fn, void *ctx, size_t *rows, struct cd_err *err);

#endif
