/* test_temp_csv.c - temperatures as text and the CSV files of readings
 * that celldesk storage import reads (src/core/temp_csv.c). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/localtime.h"
#include "core/strbuf.h"
#include "core/temp_csv.h"
#include "unit_util.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

static void
test_temp_parse(void **state)
{
	static const struct {
		const char *text, *shown;
	} good[] = {
		{ "-196", "-196.0" }, { "-150.0", "-150.0" }, { "-120.5", "-120.5" },
		{ "+4.25", "4.25" }, { "4", "4.0" }, { "0", "0.0" }, { "-0", "0.0" },
		{ "37.125", "37.125" }, { "-273.15", "-273.15" }, { "150", "150.0" },
		{ "007.5", "7.5" }, { "-80.100", "-80.1" }, { "2.0", "2.0" },
	};
	static const struct {
		const char *text;
		enum temp_verdict v;
	} bad[] = {
		{ "", TEMP_NOT_A_NUMBER }, { "abc", TEMP_NOT_A_NUMBER }, { "-", TEMP_NOT_A_NUMBER },
		{ "+", TEMP_NOT_A_NUMBER }, { ".5", TEMP_NOT_A_NUMBER }, { "5.", TEMP_NOT_A_NUMBER },
		{ "-120,5", TEMP_NOT_A_NUMBER }, { "1e2", TEMP_NOT_A_NUMBER },
		{ "nan", TEMP_NOT_A_NUMBER }, { "inf", TEMP_NOT_A_NUMBER },
		{ " 4", TEMP_NOT_A_NUMBER }, { "4 ", TEMP_NOT_A_NUMBER },
		{ "--4", TEMP_NOT_A_NUMBER }, { "0x10", TEMP_NOT_A_NUMBER },
		{ "4.5.6", TEMP_NOT_A_NUMBER }, { "\xE2\x88\x92" "5", TEMP_NOT_A_NUMBER },
		{ "-196.1234", TEMP_TOO_PRECISE }, { "4.0001", TEMP_TOO_PRECISE },
		{ "-273.151", TEMP_OUT_OF_RANGE }, { "-300", TEMP_OUT_OF_RANGE },
		{ "150.001", TEMP_OUT_OF_RANGE }, { "999", TEMP_OUT_OF_RANGE },
		{ "-9999999999999999999999", TEMP_OUT_OF_RANGE },
		{ "12345678901234567890", TEMP_OUT_OF_RANGE },
	};
	char buf[24];
	double c;
	size_t i;

	(void)state;
	for (i = 0; i < LEN(good); i++) {
		c = 999;
		if (temp_parse(good[i].text, &c) != TEMP_OK)
			fail_msg("'%s' refused", good[i].text);
		temp_format(c, buf);
		if (strcmp(buf, good[i].shown) != 0)
			fail_msg("'%s' shown as '%s', want '%s'", good[i].text, buf, good[i].shown);
	}
	for (i = 0; i < LEN(bad); i++) {
		c = 999;
		if (temp_parse(bad[i].text, &c) != bad[i].v)
			fail_msg("'%s': verdict %d, want %d", bad[i].text, (int)temp_parse(bad[i].text, &c),
			    (int)bad[i].v);
		assert_true(c == 999); /* untouched */
	}
	/* the limits compare exactly: -150 as typed equals -150.0 */
	{
		double a, b;
		assert_int_equal(temp_parse("-150", &a), TEMP_OK);
		assert_int_equal(temp_parse("-150.000", &b), TEMP_OK);
		assert_true(a == b);
		assert_int_equal(temp_parse("4.1", &a), TEMP_OK);
		assert_true(a == 4.1);
	}
	assert_string_equal(temp_why(TEMP_NOT_A_NUMBER), "is not a number");
}

/* Collects readings as "line|site|unit|time|temp\n": time as UTC text,
 * or "local YYYY-MM-DD HH:MM". */
struct collect {
	struct strbuf out;
	int calls, fail_at; /* fail_at: the call that refuses (0: none) */
};

static enum cd_status
collect(void *ctx, const struct temp_csv_row *r, struct cd_err *err)
{
	struct collect *c = ctx;
	char when[32], t[24], day[11];

	if (++c->calls == c->fail_at)
		return cd_fail(err, CD_REFUSED, "the callback says no at line %zu", r->line);
	if (r->utc) {
		utc_format(r->utc_secs, when);
	} else {
		date_format(&r->date, day);
		snprintf(when, sizeof when, "local %s %02d:%02d", day, r->minute / 60,
		    r->minute % 60);
	}
	temp_format(r->temp_c, t);
	strbuf_addf(&c->out, "%zu|%s|%s|%s|%s\n", r->line, r->site, r->unit, when, t);
	return CD_OK;
}

static void
test_csv_accepted(void **state)
{
	static const struct {
		const char *what, *text, *want;
	} cases[] = {
		{ "one reading", "site,unit,time,temp_c\nKyiv,LN2-1,2026-11-21 10:00,-190.5\n",
		    "2|Kyiv|LN2-1|local 2026-11-21 10:00|-190.5\n" },
		{ "header only", "site,unit,time,temp_c\n", "" },
		{ "no final newline", "site,unit,time,temp_c\nKyiv,F1,2026-11-21 10:00,-80",
		    "2|Kyiv|F1|local 2026-11-21 10:00|-80.0\n" },
		{ "UTC time", "site,unit,time,temp_c\nKyiv,F1,2026-11-21T08:00:30Z,-80\n",
		    "2|Kyiv|F1|2026-11-21T08:00:30Z|-80.0\n" },
		{ "CRLF line ends", "site,unit,time,temp_c\r\nKyiv,F1,2026-11-21 10:00,4\r\n"
		    "Kyiv,F1,2026-11-21 10:30,4.5\r\n",
		    "2|Kyiv|F1|local 2026-11-21 10:00|4.0\n3|Kyiv|F1|local 2026-11-21 10:30|4.5\n" },
		{ "UTF-8 byte-order mark", "\xEF\xBB\xBFsite,unit,time,temp_c\nKyiv,F1,2026-11-21 10:00,4\n",
		    "2|Kyiv|F1|local 2026-11-21 10:00|4.0\n" },
		{ "BOM and CRLF (a spreadsheet's export)",
		    "\xEF\xBB\xBFsite,unit,time,temp_c\r\n\"Kyiv\",\"F1\",\"2026-11-21 10:00\",\"4\"\r\n",
		    "2|Kyiv|F1|local 2026-11-21 10:00|4.0\n" },
		{ "blank lines anywhere count as lines",
		    "\n\nsite,unit,time,temp_c\n\n   \n\t\nKyiv,F1,2026-11-21 10:00,4\n\r\n\n",
		    "7|Kyiv|F1|local 2026-11-21 10:00|4.0\n" },
		{ "quoted fields with commas and quotes",
		    "site,unit,time,temp_c\n\"Kyiv, Podil\",\"Tank \"\"A\"\"\",2026-11-21 10:00,-190\n",
		    "2|Kyiv, Podil|Tank \"A\"|local 2026-11-21 10:00|-190.0\n" },
		{ "an empty quoted pair is a quote", "site,unit,time,temp_c\nK,\"\"\"\",2026-11-21 10:00,1\n",
		    "2|K|\"|local 2026-11-21 10:00|1.0\n" },
		{ "spaces around fields and quotes are dropped",
		    "site , unit,time ,  temp_c\n  Kyiv ,\tF1\t, \"2026-11-21 10:00\" , -80.25 \n",
		    "2|Kyiv|F1|local 2026-11-21 10:00|-80.25\n" },
		{ "spaces inside a field stay",
		    "site,unit,time,temp_c\nKyiv Left Bank,Fridge 2,2026-11-21 10:00,4\n",
		    "2|Kyiv Left Bank|Fridge 2|local 2026-11-21 10:00|4.0\n" },
		{ "columns in another order, header in capitals",
		    "Temp_C,TIME,Unit,Site\n-190,2026-11-21 10:00,LN2-1,Kyiv\n",
		    "2|Kyiv|LN2-1|local 2026-11-21 10:00|-190.0\n" },
		{ "local time with T", "site,unit,time,temp_c\nK,U,2026-11-21T10:00,1\n",
		    "2|K|U|local 2026-11-21 10:00|1.0\n" },
		{ "UTF-8 names", "site,unit,time,temp_c\nКиїв,Морозильник №1,2026-11-21 10:00,-80\n",
		    "2|Київ|Морозильник №1|local 2026-11-21 10:00|-80.0\n" },
		{ "80-character names",
		    "site,unit,time,temp_c\n"
		    "SSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSS,"
		    "ЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮ,"
		    "2026-11-21 10:00,1\n",
		    "2|SSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSS|"
		    "ЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮ|"
		    "local 2026-11-21 10:00|1.0\n" },
		{ "bidirectional marks are allowed (shown escaped later)",
		    "site,unit,time,temp_c\nK,A\xE2\x80\x8F" "B,2026-11-21 10:00,1\n",
		    "2|K|A\xE2\x80\x8F" "B|local 2026-11-21 10:00|1.0\n" },
	};
	struct collect c;
	struct cd_err err;
	size_t i, rows;

	(void)state;
	for (i = 0; i < LEN(cases); i++) {
		memset(&c, 0, sizeof c);
		memset(&err, 0, sizeof err);
		if (temp_csv_parse(cases[i].text, strlen(cases[i].text), "readings.csv", collect, &c,
		    &rows, &err) != CD_OK)
			fail_msg("%s: refused: %s", cases[i].what, err.msg);
		if (strcmp(strbuf_str(&c.out), cases[i].want) != 0)
			fail_msg("%s: got\n%swant\n%s", cases[i].what, strbuf_str(&c.out),
			    cases[i].want);
		assert_int_equal(rows, (size_t)c.calls);
		strbuf_free(&c.out);
	}
}

static void
test_csv_refused(void **state)
{
	static const struct {
		const char *what, *text, *want; /* want: the whole message */
		int calls;                      /* readings handed over first */
	} cases[] = {
		{ "the example", "site,unit,time,temp_c\n"
		    "K,U,2026-11-21 10:00,1\nK,U,2026-11-21 10:01,1\nK,U,2026-11-21 10:02,1\n"
		    "K,U,2026-11-21 10:03,1\n\nK,U,2026-11-21 10:04,abc\n",
		    "readings.csv line 7: temperature 'abc' is not a number", 4 },
		{ "empty file", "", "readings.csv is empty; a temperature file starts with the header"
		    " site,unit,time,temp_c", 0 },
		{ "only blank lines", "\n \r\n\t\n", "readings.csv is empty; a temperature file starts"
		    " with the header site,unit,time,temp_c", 0 },
		{ "only a BOM", "\xEF\xBB\xBF", "readings.csv is empty; a temperature file starts"
		    " with the header site,unit,time,temp_c", 0 },
		{ "no header", "Kyiv,LN2-1,2026-11-21 10:00,-190\n", "readings.csv line 1: 'Kyiv' is"
		    " not a column of a temperature file; the first line must be the header"
		    " site,unit,time,temp_c", 0 },
		{ "a header column missing", "site,unit,time\n", "readings.csv line 1: the header has"
		    " no column 'temp_c' (it must be site,unit,time,temp_c)", 0 },
		{ "a header column twice", "site,unit,time,temp_c,site\n", "readings.csv line 1: the"
		    " header names the column 'site' twice", 0 },
		{ "an empty header column", "site,unit,time,temp_c,\n", "readings.csv line 1: '' is"
		    " not a column of a temperature file; the first line must be the header"
		    " site,unit,time,temp_c", 0 },
		{ "a header with a control character", "site,unit,time,temp_c\x1b\n",
		    "readings.csv line 1: the header contains a control character (U+001B)", 0 },
		{ "too few fields", "site,unit,time,temp_c\nK,U,2026-11-21 10:00\n",
		    "readings.csv line 2: 3 fields; a reading has 4 (site,unit,time,temp_c)", 0 },
		{ "too many fields", "site,unit,time,temp_c\nK,U,2026-11-21 10:00,1,2\n",
		    "readings.csv line 2: 5 fields; a reading has 4 (site,unit,time,temp_c)", 0 },
		{ "one field", "site,unit,time,temp_c\njunk\n",
		    "readings.csv line 2: 1 field; a reading has 4 (site,unit,time,temp_c)", 0 },
		{ "a trailing comma", "site,unit,time,temp_c\nK,U,2026-11-21 10:00,1,\n",
		    "readings.csv line 2: 5 fields; a reading has 4 (site,unit,time,temp_c)", 0 },
		{ "empty site", "site,unit,time,temp_c\n ,U,2026-11-21 10:00,1\n",
		    "readings.csv line 2: the site is empty", 0 },
		{ "empty unit in quotes", "site,unit,time,temp_c\nK,\"\",2026-11-21 10:00,1\n",
		    "readings.csv line 2: the unit is empty", 0 },
		{ "empty temperature", "site,unit,time,temp_c\nK,U,2026-11-21 10:00,\n",
		    "readings.csv line 2: the temperature is empty", 0 },
		{ "a decimal comma", "site,unit,time,temp_c\nK,U,2026-11-21 10:00,\"-190,5\"\n",
		    "readings.csv line 2: temperature '-190,5' is not a number", 0 },
		{ "too many decimals", "site,unit,time,temp_c\nK,U,2026-11-21 10:00,-190.1234\n",
		    "readings.csv line 2: temperature '-190.1234' has more than 3 decimals", 0 },
		{ "below absolute zero", "site,unit,time,temp_c\nK,U,2026-11-21 10:00,-300\n",
		    "readings.csv line 2: temperature '-300' is outside -273.15 to 150 \xC2\xB0""C", 0 },
		{ "a logger's error code", "site,unit,time,temp_c\nK,U,2026-11-21 10:00,999.9\n",
		    "readings.csv line 2: temperature '999.9' is outside -273.15 to 150 \xC2\xB0""C", 0 },
		{ "a time without minutes", "site,unit,time,temp_c\nK,U,2026-11-21 10,1\n",
		    "readings.csv line 2: time '2026-11-21 10' is neither the site's local time"
		    " \"YYYY-MM-DD HH:MM\" nor UTC \"YYYY-MM-DDTHH:MM:SSZ\"", 0 },
		{ "a day that does not exist", "site,unit,time,temp_c\nK,U,2026-02-30 10:00,1\n",
		    "readings.csv line 2: time '2026-02-30 10:00' is neither the site's local time"
		    " \"YYYY-MM-DD HH:MM\" nor UTC \"YYYY-MM-DDTHH:MM:SSZ\"", 0 },
		{ "a US date", "site,unit,time,temp_c\nK,U,11/21/2026 10:00,1\n",
		    "readings.csv line 2: time '11/21/2026 10:00' is neither the site's local time"
		    " \"YYYY-MM-DD HH:MM\" nor UTC \"YYYY-MM-DDTHH:MM:SSZ\"", 0 },
		{ "an offset instead of Z", "site,unit,time,temp_c\nK,U,2026-11-21T10:00:00+02:00,1\n",
		    "readings.csv line 2: time '2026-11-21T10:00:00+02:00' is neither the site's local"
		    " time \"YYYY-MM-DD HH:MM\" nor UTC \"YYYY-MM-DDTHH:MM:SSZ\"", 0 },
		{ "hour 24", "site,unit,time,temp_c\nK,U,2026-11-21 24:00,1\n",
		    "readings.csv line 2: time '2026-11-21 24:00' is neither the site's local time"
		    " \"YYYY-MM-DD HH:MM\" nor UTC \"YYYY-MM-DDTHH:MM:SSZ\"", 0 },
		{ "a tab inside a quoted unit", "site,unit,time,temp_c\nK,\"LN2\t1\",2026-11-21 10:00,1\n",
		    "readings.csv line 2: the unit contains a control character (U+0009)", 0 },
		{ "an escape sequence in a site", "site,unit,time,temp_c\nK\x1b[31m,U,2026-11-21 10:00,1\n",
		    "readings.csv line 2: the site contains a control character (U+001B)", 0 },
		{ "DEL", "site,unit,time,temp_c\nK,U\x7f,2026-11-21 10:00,1\n",
		    "readings.csv line 2: the unit contains a control character (U+007F)", 0 },
		{ "a C1 control (NEL)", "site,unit,time,temp_c\nK,U\xC2\x85,2026-11-21 10:00,1\n",
		    "readings.csv line 2: the unit contains a control character (U+0085)", 0 },
		{ "Latin-1 text", "site,unit,time,temp_c\nM\xFCnchen,U,2026-11-21 10:00,1\n",
		    "readings.csv line 2: the site is not UTF-8 text", 0 },
		{ "a line break inside a quoted field", "site,unit,time,temp_c\n"
		    "K,U,2026-11-21 10:00,1\nK,\"LN2\n1\",2026-11-21 10:00,1\n",
		    "readings.csv line 3: a quoted field has no closing quote (a field cannot hold a"
		    " line break)", 1 },
		{ "a CRLF inside a quoted field", "site,unit,time,temp_c\r\nK,\"LN2\r\n1\",2026-11-21 10:00,1\r\n",
		    "readings.csv line 2: a quoted field has no closing quote (a field cannot hold a"
		    " line break)", 0 },
		{ "a carriage return inside a line", "site,unit,time,temp_c\nK,U\rX,2026-11-21 10:00,1\n",
		    "readings.csv line 2 has a carriage return inside it (lines must end in LF or CRLF)", 0 },
		{ "old Mac line ends", "site,unit,time,temp_c\rK,U,2026-11-21 10:00,1\r",
		    "readings.csv line 1 has a carriage return inside it (lines must end in LF or CRLF)", 0 },
		{ "text after a closing quote", "site,unit,time,temp_c\nK,\"LN2\"-1,2026-11-21 10:00,1\n",
		    "readings.csv line 2: text after a closing quote (a quote inside a field is written"
		    " twice: \"\")", 0 },
		{ "a quote inside an unquoted field", "site,unit,time,temp_c\nK,LN2 \"A\",2026-11-21 10:00,1\n",
		    "readings.csv line 2: a quote inside a field that does not start with one (quote"
		    " the whole field and write the quote twice: \"\")", 0 },
		{ "a site name of 81 characters", "site,unit,time,temp_c\n"
		    "SSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSS,"
		    "U,2026-11-21 10:00,1\n",
		    "readings.csv line 2: the site name is longer than 80 characters", 0 },
		{ "a unit name of 81 Cyrillic characters", "site,unit,time,temp_c\nK,"
		    "ЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮЮ,"
		    "2026-11-21 10:00,1\n",
		    "readings.csv line 2: the unit name is longer than 80 characters", 0 },
		{ "the error after good lines stops there",
		    "site,unit,time,temp_c\nK,U,2026-11-21 10:00,1\nK,U,2026-11-21 10:05,x\n"
		    "K,U,2026-11-21 10:10,1\n",
		    "readings.csv line 3: temperature 'x' is not a number", 1 },
		{ "line numbers count a BOM line, blank lines and CRLF",
		    "\xEF\xBB\xBF\r\nsite,unit,time,temp_c\r\n\r\nK,U,2026-11-21 10:00,1\r\nK,U,,1\r\n",
		    "readings.csv line 5: the time is empty", 1 },
	};
	struct collect c;
	struct cd_err err;
	size_t i;

	(void)state;
	for (i = 0; i < LEN(cases); i++) {
		memset(&c, 0, sizeof c);
		memset(&err, 0, sizeof err);
		if (temp_csv_parse(cases[i].text, strlen(cases[i].text), "readings.csv", collect, &c,
		    NULL, &err) != CD_REFUSED)
			fail_msg("%s: accepted", cases[i].what);
		if (strcmp(err.msg, cases[i].want) != 0)
			fail_msg("%s: message\n  \"%s\"\nwant\n  \"%s\"", cases[i].what, err.msg,
			    cases[i].want);
		if (c.calls != cases[i].calls)
			fail_msg("%s: %d readings handed over before the refusal, want %d", cases[i].what,
			    c.calls, cases[i].calls);
		assert_int_equal(err.status, CD_REFUSED);
		strbuf_free(&c.out);
	}
}

/* NUL bytes (a UTF-16 file, a binary) are refused, never cut a field short. */
static void
test_csv_nul(void **state)
{
	static const char utf16[] = "\xFF\xFEs\0i\0t\0e\0,\0u\0n\0i\0t\0";
	static const char nul_in_field[] = "site,unit,time,temp_c\nK,U\0X,2026-11-21 10:00,1\n";
	struct collect c;
	struct cd_err err;

	(void)state;
	memset(&c, 0, sizeof c);
	assert_int_equal(temp_csv_parse(utf16, sizeof utf16 - 1, "logger.csv", collect, &c, NULL,
	    &err), CD_REFUSED);
	assert_string_equal(err.msg, "logger.csv line 1 has a NUL byte in it; is it a text file?");
	assert_int_equal(temp_csv_parse(nul_in_field, sizeof nul_in_field - 1, "logger.csv",
	    collect, &c, NULL, &err), CD_REFUSED);
	assert_string_equal(err.msg, "logger.csv line 2 has a NUL byte in it; is it a text file?");
	assert_int_equal(c.calls, 0);
}

/* The limits: lines of at most 1024 bytes (the line end not counted),
 * files of at most 16 MiB. */
static void
test_csv_limits(void **state)
{
	struct strbuf b = STRBUF_INIT;
	struct collect c;
	struct cd_err err;
	char *big;
	size_t pad;

	(void)state;
	/* exactly 1024 bytes: a 1000-byte site name is refused for its
	 * length, not the line's */
	strbuf_adds(&b, "site,unit,time,temp_c\r\n");
	pad = TEMP_CSV_MAX_LINE - strlen(",U,2026-11-21 10:00,1");
	for (; pad > 0; pad--)
		strbuf_addc(&b, 'S');
	strbuf_adds(&b, ",U,2026-11-21 10:00,1\r\n");
	memset(&c, 0, sizeof c);
	assert_int_equal(temp_csv_parse(b.s, b.len, "r.csv", collect, &c, NULL, &err), CD_REFUSED);
	assert_string_equal(err.msg, "r.csv line 2: the site name is longer than 80 characters");
	/* one byte more */
	strbuf_reset(&b);
	strbuf_adds(&b, "site,unit,time,temp_c\n");
	for (pad = 0; pad <= TEMP_CSV_MAX_LINE; pad++)
		strbuf_addc(&b, ' ');
	strbuf_adds(&b, "\n");
	assert_int_equal(temp_csv_parse(b.s, b.len, "r.csv", collect, &c, NULL, &err), CD_REFUSED);
	assert_string_equal(err.msg, "r.csv line 2 is longer than 1024 bytes; is it a temperature"
	    " file?");
	strbuf_free(&b);
	assert_int_equal(c.calls, 0);

	/* a file of 16 MiB and one byte is refused before a line is read */
	big = malloc(TEMP_CSV_MAX_BYTES + 1);
	assert_non_null(big);
	memset(big, '\n', TEMP_CSV_MAX_BYTES + 1);
	memcpy(big, "site,unit,time,temp_c\nK,U,2026-11-21 10:00,1\n",
	    strlen("site,unit,time,temp_c\nK,U,2026-11-21 10:00,1\n"));
	assert_int_equal(temp_csv_parse(big, TEMP_CSV_MAX_BYTES + 1, "huge.csv", collect, &c, NULL,
	    &err), CD_REFUSED);
	assert_string_equal(err.msg, "huge.csv is larger than 16 MiB; split it into smaller files");
	assert_int_equal(c.calls, 0);
	/* 16 MiB exactly is read (blank lines after one reading) */
	assert_int_equal(temp_csv_parse(big, TEMP_CSV_MAX_BYTES, "huge.csv", collect, &c, NULL,
	    &err), CD_OK);
	assert_int_equal(c.calls, 1);
	free(big);
	strbuf_free(&c.out);
}

/* Only len bytes are read; a refusal from the callback stops the parse
 * with the callback's own status and message. */
static void
test_csv_length_and_callback(void **state)
{
	static const char text[] = "site,unit,time,temp_c\nK,U,2026-11-21 10:00,1\n"
	    "K,U,2026-11-21 10:05,2\nK,U,2026-11-21 10:10,zzz\n";
	struct collect c;
	struct cd_err err;
	size_t rows;

	(void)state;
	memset(&c, 0, sizeof c);
	/* the bad third line lies beyond len */
	assert_int_equal(temp_csv_parse(text, (size_t)(strstr(text, "K,U,2026-11-21 10:10") - text),
	    "f", collect, &c, &rows, &err), CD_OK);
	assert_int_equal(rows, 2);
	assert_string_equal(strbuf_str(&c.out), "2|K|U|local 2026-11-21 10:00|1.0\n"
	    "3|K|U|local 2026-11-21 10:05|2.0\n");
	strbuf_free(&c.out);
	memset(&c, 0, sizeof c);
	c.fail_at = 2;
	assert_int_equal(temp_csv_parse(text, strlen(text), "f", collect, &c, &rows, &err),
	    CD_REFUSED);
	assert_string_equal(err.msg, "the callback says no at line 3");
	assert_int_equal(rows, 1);
	strbuf_free(&c.out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_temp_parse),
		cmocka_unit_test(test_csv_accepted),
		cmocka_unit_test(test_csv_refused),
		cmocka_unit_test(test_csv_nul),
		cmocka_unit_test(test_csv_limits),
		cmocka_unit_test(test_csv_length_and_callback),
	};

	unit_fixed_env();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
