/* test_ics.c - the iCalendar writer (src/cli/ics.c): every calendar it
 * writes is checked octet by octet (CRLF, 75-octet lines holding whole
 * UTF-8 characters, no control characters) and then read back with
 * libical, field by field. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libical/ical.h>

#include "cli/ics.h"
#include "core/strbuf.h"
#include "core/text.h"
#include "unit_util.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

#define NOW (UNIT_NOW_MS / 1000)           /* 2026-11-21T13:36:14Z */
#define NOW_TEXT "20261121T133614Z"
#define T0 INT64_C(1795420800)             /* 2026-11-23T08:00:00Z */
#define T0_TEXT "20261123T080000Z"
#define HOUR INT64_C(3600)

/* --- helpers --- */

/* The octet-level rules RFC 5545 sets and the writer promises: CRLF after
 * every line, lines of at most 75 octets, each holding whole UTF-8
 * characters, and no control character but CR, LF and TAB. */
static void
check_wire(const char *s, size_t len)
{
	const char *line = s, *end;
	size_t n, no = 1, off, k;
	uint32_t cp;

	assert_int_equal(strlen(s), len);
	if (!utf8_valid(s, len))
		fail_msg("the calendar is not valid UTF-8");
	for (off = 0; off < len; off += k) {
		k = utf8_decode(s + off, len - off, &cp);
		if (text_is_unsafe(cp) && cp != '\r' && cp != '\n' && cp != '\t')
			fail_msg("U+%04X at octet %zu reached the file", (unsigned)cp, off);
	}
	while (*line != '\0') {
		if ((end = strstr(line, "\r\n")) == NULL)
			fail_msg("line %zu does not end in CRLF", no);
		n = (size_t)(end - line);
		if (memchr(line, '\n', n) != NULL || memchr(line, '\r', n) != NULL)
			fail_msg("line %zu holds a bare CR or LF", no);
		if (n > 75)
			fail_msg("line %zu is %zu octets long", no, n);
		if (!utf8_valid(line, n))
			fail_msg("line %zu is folded inside a UTF-8 character", no);
		line = end + 2;
		no++;
	}
	assert_true(len >= 15);
	assert_string_equal(s + len - 15, "END:VCALENDAR\r\n");
}

/* Writes c to memory, checks the octets and returns them. */
static char *
render(struct ics *c)
{
	struct cd_err err;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	memset(&err, 0, sizeof err);
	if (ics_write(c, fp, &err) != CD_OK)
		fail_msg("ics_write: %s", err.msg);
	assert_int_equal(fclose(fp), 0);
	check_wire(buf, len);
	return buf;
}

static const char *
first_error(icalcomponent *comp)
{
	icalcomponent *sub;
	icalproperty *p;
	const char *e;

	p = icalcomponent_get_first_property(comp, ICAL_XLICERROR_PROPERTY);
	if (p != NULL)
		return icalproperty_get_xlicerror(p);
	for (sub = icalcomponent_get_first_component(comp, ICAL_ANY_COMPONENT);
	    sub != NULL;
	    sub = icalcomponent_get_next_component(comp, ICAL_ANY_COMPONENT)) {
		if ((e = first_error(sub)) != NULL)
			return e;
	}
	return NULL;
}

/* Parses s with libical: one VCALENDAR with the fixed calendar
 * properties, no parse error, and icalrestriction_check content. */
static icalcomponent *
parse(const char *s)
{
	icalcomponent *cal;
	const char *e;

	cal = icalparser_parse_string(s);
	assert_non_null(cal);
	assert_int_equal(icalcomponent_isa(cal), ICAL_VCALENDAR_COMPONENT);
	if ((e = first_error(cal)) != NULL)
		fail_msg("libical cannot read the calendar: %s", e);
	if (icalrestriction_check(cal) == 0)
		fail_msg("icalrestriction_check: %s", first_error(cal));
	assert_string_equal(icalproperty_get_prodid(icalcomponent_get_first_property(cal,
	    ICAL_PRODID_PROPERTY)), "-//celldesk//celldesk//EN");
	assert_string_equal(icalproperty_get_version(icalcomponent_get_first_property(cal,
	    ICAL_VERSION_PROPERTY)), "2.0");
	assert_string_equal(icalproperty_get_calscale(icalcomponent_get_first_property(cal,
	    ICAL_CALSCALE_PROPERTY)), "GREGORIAN");
	assert_int_equal(icalcomponent_get_method(cal), ICAL_METHOD_PUBLISH);
	return cal;
}

static icalcomponent *
nth_event(icalcomponent *cal, int n)
{
	icalcomponent *vev;

	for (vev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	    vev != NULL && n > 0;
	    vev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT))
		n--;
	assert_non_null(vev);
	return vev;
}

static int64_t
utc_seconds(struct icaltimetype t)
{
	assert_false(t.is_date);
	assert_true(icaltime_is_utc(t));
	return (int64_t)icaltime_as_timet_with_zone(t, icaltimezone_get_utc_timezone());
}

static const char *
text_prop(icalcomponent *vev, icalproperty_kind k)
{
	icalproperty *p = icalcomponent_get_first_property(vev, k);

	assert_non_null(p);
	return icalvalue_get_text(icalproperty_get_value(p));
}

/* The parsed vev carries ev; the texts are what should come back (NULL:
 * the property is absent). */
static void
check_event(icalcomponent *vev, const struct ics_event *ev, const char *summary,
    const char *location, const char *description)
{
	char uid[64];

	snprintf(uid, sizeof uid, "appt-%lld@celldesk", (long long)ev->id);
	assert_string_equal(icalcomponent_get_uid(vev), uid);
	assert_int_equal(icalcomponent_count_properties(vev, ICAL_UID_PROPERTY), 1);
	assert_int_equal(utc_seconds(icalcomponent_get_dtstamp(vev)), NOW);
	assert_int_equal(utc_seconds(icalcomponent_get_dtstart(vev)), ev->start);
	assert_int_equal(utc_seconds(icalcomponent_get_dtend(vev)), ev->end);
	assert_int_equal(icalcomponent_get_status(vev),
	    ev->cancelled ? ICAL_STATUS_CANCELLED : ICAL_STATUS_CONFIRMED);
	assert_string_equal(text_prop(vev, ICAL_SUMMARY_PROPERTY), summary);
	if (location == NULL)
		assert_null(icalcomponent_get_first_property(vev, ICAL_LOCATION_PROPERTY));
	else
		assert_string_equal(text_prop(vev, ICAL_LOCATION_PROPERTY), location);
	if (description == NULL)
		assert_null(icalcomponent_get_first_property(vev,
		    ICAL_DESCRIPTION_PROPERTY));
	else
		assert_string_equal(text_prop(vev, ICAL_DESCRIPTION_PROPERTY),
		    description);
}

/* Writes one event, reads it back and checks it; returns the text. */
static char *
round_trip(const struct ics_event *ev, const char *summary, const char *location,
    const char *description)
{
	struct ics *c = ics_new(NOW);
	icalcomponent *cal;
	char *s;

	ics_add(c, ev);
	s = render(c);
	cal = parse(s);
	assert_int_equal(icalcomponent_count_components(cal, ICAL_VEVENT_COMPONENT), 1);
	check_event(nth_event(cal, 0), ev, summary, location, description);
	icalcomponent_free(cal);
	ics_free(&c);
	return s;
}

/* --- tests --- */

static void
test_empty_calendar(void **state)
{
	struct ics *c = ics_new(NOW);
	icalcomponent *cal;
	char *s;

	(void)state;
	s = render(c);
	assert_string_equal(s, "BEGIN:VCALENDAR\r\n"
	    "PRODID:-//celldesk//celldesk//EN\r\n"
	    "VERSION:2.0\r\n"
	    "CALSCALE:GREGORIAN\r\n"
	    "METHOD:PUBLISH\r\n"
	    "END:VCALENDAR\r\n");
	cal = parse(s);
	assert_int_equal(icalcomponent_count_components(cal, ICAL_ANY_COMPONENT), 0);
	icalcomponent_free(cal);
	free(s);
	ics_free(&c);
}

static void
test_plain_event(void **state)
{
	static const struct ics_event ev = { 42, T0, T0 + HOUR, "Injection, course 2",
		"Kyiv", "Local time 10:00 (Europe/Kyiv)", 0 };
	char *s;

	(void)state;
	s = round_trip(&ev, "Injection, course 2", "Kyiv", "Local time 10:00 (Europe/Kyiv)");
	assert_non_null(strstr(s, "\r\nBEGIN:VEVENT\r\nUID:appt-42@celldesk\r\n"));
	assert_non_null(strstr(s, "\r\nDTSTAMP:" NOW_TEXT "\r\n"));
	assert_non_null(strstr(s, "\r\nDTSTART:" T0_TEXT "\r\n"));
	assert_non_null(strstr(s, "\r\nDTEND:20261123T090000Z\r\n"));
	assert_non_null(strstr(s, "\r\nSUMMARY:Injection\\, course 2\r\n"));
	assert_non_null(strstr(s, "\r\nLOCATION:Kyiv\r\n"));
	assert_non_null(strstr(s, "\r\nSTATUS:CONFIRMED\r\n"));
	assert_null(strstr(s, "TZID"));
	assert_null(strstr(s, "VTIMEZONE"));
	free(s);
}

/* Long Cyrillic, CJK and emoji text is folded at 75 octets without
 * splitting a character (check_wire) and unfolds to the same text. */
static void
test_utf8_folding(void **state)
{
	static const struct ics_event ev = { 7, T0, T0 + 2 * HOUR,
		"Ін'єкція кісткового мозку, курс 2 з 4; пацієнтка Олена Коваленко, "
		"ліве коліно",
		"東京再生医療クリニック第二診療所超音波室王小明先生東京都千代田区丸の内一丁目",
		"Місцевий час: 2026-11-23 10:00 (Europe/Kyiv)\n"
		"Ресурси: Injection room A, Ultrasound unit\n"
		"注意：注射後四十八時間は安静にしてください。王小明\xF0\x9F\x98\x80\xF0\x9F\x98\x80"
		"\xF0\x9F\x98\x80\xF0\x9F\x98\x80\xF0\x9F\x98\x80\xF0\x9F\x98\x80 done",
		0 };
	char *s;

	(void)state;
	assert_true(strlen(ev.summary) > 75);
	assert_true(strlen(ev.location) > 75);
	s = round_trip(&ev, ev.summary, ev.location, ev.description);
	/* it really was folded */
	assert_non_null(strstr(s, "\r\n "));
	free(s);
}

/* Every alignment of a fold against 2-, 3- and 4-octet characters. */
static void
test_utf8_folding_every_offset(void **state)
{
	static const char *const chars[] = { "Ж", "王", "\xF0\x9F\x98\x80", "é王Ж" };
	struct strbuf text = STRBUF_INIT;
	struct ics_event ev;
	size_t i, pad, k;
	char *s;

	(void)state;
	for (i = 0; i < LEN(chars); i++) {
		for (pad = 0; pad < 8; pad++) {
			strbuf_reset(&text);
			for (k = 0; k < pad; k++)
				strbuf_addc(&text, 'x');
			for (k = 0; k < 70; k++)
				strbuf_adds(&text, chars[i]);
			memset(&ev, 0, sizeof ev);
			ev.id = (int64_t)(i * 10 + pad + 1);
			ev.start = T0;
			ev.end = T0 + HOUR;
			ev.summary = strbuf_str(&text);
			ev.location = strbuf_str(&text);
			ev.description = strbuf_str(&text);
			s = round_trip(&ev, ev.summary, ev.location, ev.description);
			free(s);
		}
	}
	strbuf_free(&text);
}

/* Commas, semicolons, newlines and backslashes are escaped by libical
 * and come back as they were (the backslash already doubled by
 * text_sanitize). */
static void
test_escaping(void **state)
{
	static const struct ics_event ev = { 3, T0, T0 + HOUR,
		"Injection, course 2; left knee", "Room A, floor 2; Kyiv",
		"a, b; c\nd\\e", 0 };
	char *s;

	(void)state;
	s = round_trip(&ev, "Injection, course 2; left knee", "Room A, floor 2; Kyiv",
	    "a, b; c\nd\\\\e");
	assert_non_null(strstr(s, "\r\nSUMMARY:Injection\\, course 2\\; left knee\r\n"));
	assert_non_null(strstr(s, "\r\nLOCATION:Room A\\, floor 2\\; Kyiv\r\n"));
	assert_non_null(strstr(s, "\r\nDESCRIPTION:a\\, b\\; c\\nd\\\\\\\\e\r\n"));
	free(s);
}

/* Newlines and tabs stay in the description (RFC 5545 TEXT allows
 * them), but not in the one-line summary and location. */
static void
test_multiline_description(void **state)
{
	static const struct ics_event ev = { 4, T0, T0 + HOUR, "two\nlines",
		"tab\there", "First line\n\tindented\n\nafter a blank line\n", 0 };
	char *s;

	(void)state;
	s = round_trip(&ev, "two\\x0alines", "tab\\x09here",
	    "First line\n\tindented\n\nafter a blank line\n");
	free(s);
}

static void
test_cancelled(void **state)
{
	static const struct ics_event evs[] = {
		{ 10, T0, T0 + HOUR, "Injection, course 1", "Kyiv", NULL, 0 },
		{ 11, T0 + 24 * HOUR, T0 + 25 * HOUR, "Injection, course 2", "Kyiv", NULL, 1 },
	};
	struct ics *c = ics_new(NOW);
	icalcomponent *cal;
	size_t i;
	char *s;

	(void)state;
	for (i = 0; i < LEN(evs); i++)
		ics_add(c, &evs[i]);
	s = render(c);
	cal = parse(s);
	check_event(nth_event(cal, 0), &evs[0], "Injection, course 1", "Kyiv", NULL);
	check_event(nth_event(cal, 1), &evs[1], "Injection, course 2", "Kyiv", NULL);
	assert_non_null(strstr(s, "\r\nSTATUS:CONFIRMED\r\n"));
	assert_non_null(strstr(s, "\r\nSTATUS:CANCELLED\r\n"));
	icalcomponent_free(cal);
	free(s);
	ics_free(&c);
}

/* Escape sequences, C0/C1 controls, DEL, bidi overrides and invalid
 * bytes from the database are written as text_sanitize shows them. */
static void
test_controls_neutralised(void **state)
{
	static const struct ics_event ev = { 5, T0, T0 + HOUR,
		"Injection\x1b[2J\a, course 1",
		"Kyiv \xE2\x80\xAE" "1 moor",
		"ok\r\nnext\x7f\tend\nM\xFC" "ller\xC2\x9B" "31m\x1b]0;title\a", 0 };
	char *s;

	(void)state;
	s = round_trip(&ev, "Injection\\x1b[2J\\x07, course 1", "Kyiv \\u202e1 moor",
	    "ok\\x0d\nnext\\x7f\tend\nM\\xfcller\\x9b31m\\x1b]0;title\\x07");
	assert_null(strchr(s, '\x1b'));
	assert_null(strchr(s, '\a'));
	assert_null(strchr(s, '\x7f'));
	assert_null(strstr(s, "\xE2\x80\xAE"));
	free(s);
}

/* NULL or empty texts: no LOCATION or DESCRIPTION, SUMMARY "Visit". */
static void
test_missing_texts(void **state)
{
	static const struct ics_event evs[] = {
		{ 20, T0, T0 + HOUR, NULL, NULL, NULL, 0 },
		{ 21, T0, T0 + HOUR, "", "", "", 1 },
	};
	size_t i;
	char *s;

	(void)state;
	for (i = 0; i < LEN(evs); i++) {
		s = round_trip(&evs[i], "Visit", NULL, NULL);
		free(s);
	}
}

/* Events keep the order they were added in; big ids make whole UIDs. */
static void
test_order_and_uids(void **state)
{
	static const struct ics_event evs[] = {
		{ 7, T0 + 48 * HOUR, T0 + 49 * HOUR, "Follow-up", NULL, NULL, 0 },
		{ 3, T0, T0 + HOUR, "Harvest", NULL, NULL, 0 },
		{ INT64_C(9007199254740993), T0 + HOUR, T0 + 2 * HOUR, "Imaging", NULL,
		    NULL, 0 },
	};
	static const char *const summaries[] = { "Follow-up", "Harvest", "Imaging" };
	struct ics *c = ics_new(NOW);
	icalcomponent *cal;
	size_t i;
	char *s;

	(void)state;
	for (i = 0; i < LEN(evs); i++)
		ics_add(c, &evs[i]);
	s = render(c);
	cal = parse(s);
	assert_int_equal(icalcomponent_count_components(cal, ICAL_VEVENT_COMPONENT), 3);
	for (i = 0; i < LEN(evs); i++)
		check_event(nth_event(cal, (int)i), &evs[i], summaries[i], NULL, NULL);
	assert_non_null(strstr(s, "UID:appt-9007199254740993@celldesk\r\n"));
	icalcomponent_free(cal);
	free(s);
	ics_free(&c);
}

/* The first and last second libical accepts, and times before 1970. */
static void
test_time_limits(void **state)
{
	static const struct ics_event evs[] = {
		{ 1, INT64_C(-62135596800), INT64_C(-62135596799), "first", NULL, NULL, 0 },
		{ 2, INT64_C(32535215998), INT64_C(32535215999), "last", NULL, NULL, 0 },
		{ 3, INT64_C(-3600), 0, "before 1970", NULL, NULL, 0 },
	};
	char *s;

	(void)state;
	s = round_trip(&evs[0], "first", NULL, NULL);
	assert_non_null(strstr(s, "\r\nDTSTART:00010101T000000Z\r\n"));
	free(s);
	s = round_trip(&evs[1], "last", NULL, NULL);
	assert_non_null(strstr(s, "\r\nDTEND:30001231T235959Z\r\n"));
	free(s);
	s = round_trip(&evs[2], "before 1970", NULL, NULL);
	assert_non_null(strstr(s, "\r\nDTSTART:19691231T230000Z\r\n"));
	free(s);
}

/* A visit that does not end after it starts, or lies outside the years
 * libical accepts, makes ics_write fail before writing anything; the
 * message names the first such visit. */
static void
test_refused_times(void **state)
{
	static const struct {
		struct ics_event ev;
		const char *msg_part;
	} cases[] = {
		{ { 5, T0, T0, "zero length", NULL, NULL, 0 }, "visit 5 does not end after" },
		{ { 6, T0, T0 - 60, "backwards", NULL, NULL, 0 }, "visit 6 does not end after" },
		{ { 7, INT64_C(32535215999), INT64_C(32535216000), "year 3001", NULL, NULL, 0 },
		    "visit 7 has a time outside the years 1-3000" },
		{ { 8, INT64_C(-62135596801), T0, "year 0", NULL, NULL, 0 },
		    "visit 8 has a time outside" },
		{ { 9, INT64_MIN, INT64_MAX, "extremes", NULL, NULL, 0 },
		    "visit 9 has a time outside" },
	};
	static const struct ics_event good = { 1, T0, T0 + HOUR, "fine", NULL, NULL, 0 };
	static const struct ics_event bad2 = { 99, T0, T0, "second", NULL, NULL, 0 };
	struct cd_err err;
	struct ics *c;
	char *buf;
	size_t i, len;
	FILE *fp;

	(void)state;
	for (i = 0; i < LEN(cases); i++) {
		c = ics_new(NOW);
		ics_add(c, &good);
		ics_add(c, &cases[i].ev);
		ics_add(c, &bad2);
		buf = NULL;
		len = 0;
		fp = open_memstream(&buf, &len);
		assert_non_null(fp);
		memset(&err, 0, sizeof err);
		assert_int_equal(ics_write(c, fp, &err), CD_EDATA);
		assert_int_equal(fclose(fp), 0);
		assert_int_equal(err.status, CD_EDATA);
		if (strstr(err.msg, cases[i].msg_part) == NULL)
			fail_msg("%s: the message lacks \"%s\": %s", cases[i].ev.summary,
			    cases[i].msg_part, err.msg);
		assert_null(strstr(err.msg, "99"));
		assert_int_equal(len, 0);
		free(buf);
		ics_free(&c);
	}

	/* a DTSTAMP libical cannot hold */
	c = ics_new(INT64_MAX);
	ics_add(c, &good);
	assert_int_equal(ics_write(c, stdout, &err), CD_EDATA);
	assert_non_null(strstr(err.msg, "export time"));
	/* NULL err is allowed */
	assert_int_equal(ics_write(c, stdout, NULL), CD_EDATA);
	ics_free(&c);
}

static void
test_write_error(void **state)
{
	static const struct ics_event ev = { 1, T0, T0 + HOUR, "Injection", NULL, NULL, 0 };
	struct cd_err err;
	struct ics *c;
	FILE *fp;

	(void)state;
	if ((fp = fopen("/dev/full", "w")) == NULL)
		fail_msg("cannot open /dev/full, the device this test writes to");
	c = ics_new(NOW);
	ics_add(c, &ev);
	memset(&err, 0, sizeof err);
	assert_int_equal(ics_write(c, fp, &err), CD_EDATA);
	assert_int_equal(err.status, CD_EDATA);
	assert_non_null(strstr(err.msg, "cannot write the calendar"));
	fclose(fp);
	ics_free(&c);
}

/* The same calendar written to a file and read back with libical's
 * file parser. */
static void
test_file_round_trip(void **state)
{
	static const struct ics_event ev = { 12, T0, T0 + HOUR, "Imaging, MRI",
		"Berlin", "Lokale Zeit 09:00\nMRI suite", 0 };
	struct unit_fixture *f = *state;
	struct cd_err err;
	icalcomponent *cal;
	struct ics *c;
	char *path, *data;
	size_t len;
	FILE *fp;

	path = unit_path(f->dir, "visits.ics");
	c = ics_new(NOW);
	ics_add(c, &ev);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(ics_write(c, fp, &err), CD_OK);
	assert_int_equal(fclose(fp), 0);
	data = unit_slurp(path, &len);
	assert_non_null(data);
	check_wire(data, len);
	cal = parse(data);
	check_event(nth_event(cal, 0), &ev, "Imaging, MRI", "Berlin",
	    "Lokale Zeit 09:00\nMRI suite");
	icalcomponent_free(cal);
	free(data);
	free(path);
	ics_free(&c);
	assert_null(c);
}

static void
test_ics_free(void **state)
{
	struct ics *c = ics_new(NOW), *none = NULL;

	(void)state;
	ics_free(&c);
	assert_null(c);
	ics_free(&c);
	ics_free(&none);
	ics_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_calendar),
		cmocka_unit_test(test_plain_event),
		cmocka_unit_test(test_utf8_folding),
		cmocka_unit_test(test_utf8_folding_every_offset),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_multiline_description),
		cmocka_unit_test(test_cancelled),
		cmocka_unit_test(test_controls_neutralised),
		cmocka_unit_test(test_missing_texts),
		cmocka_unit_test(test_order_and_uids),
		cmocka_unit_test(test_time_limits),
		cmocka_unit_test(test_refused_times),
		cmocka_unit_test(test_write_error),
		cmocka_unit_test_setup_teardown(test_file_round_trip, unit_fixture_setup,
		    unit_fixture_teardown),
		cmocka_unit_test(test_ics_free),
	};

	unit_fixed_env();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
