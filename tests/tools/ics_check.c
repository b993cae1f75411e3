/* ics_check.c - checks an iCalendar file for the shell tests.
 *
 *   ics_check FILE
 *
 * The file must be UTF-8 with CRLF line endings and lines of at most 75
 * octets that each hold whole characters; libical must parse it as one
 * VCALENDAR with VERSION 2.0 and a PRODID and no parse errors, and find
 * nothing wrong with icalrestriction_check; every VEVENT must have one
 * UID (unique in the file), DTSTAMP, DTSTART and DTEND, the times as UTC
 * date-times and DTEND after DTSTART. Then it prints
 *
 *   events N
 *   UID<TAB>DTSTART as YYYYMMDDTHHMMSSZ<TAB>STATUS<TAB>SUMMARY
 *
 * (one line per VEVENT, in file order; a missing STATUS is "-"; every
 * value sanitized) and exits 0. On any problem it prints one sentence to
 * stderr and exits 1. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "core/strbuf.h"
#include "core/text.h"
#include "core/xalloc.h"

#define MAX_OCTETS 75

static const char *path;

static _Noreturn void
fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static _Noreturn void
fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "ics_check: %s: ", path);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* s sanitized for a message or an output line; valid until the next call
 * with the same b. */
static const char *
clean(struct strbuf *b, const char *s)
{
	strbuf_reset(b);
	if (s != NULL)
		text_sanitize(b, s, strlen(s));
	return strbuf_str(b);
}

static char *
slurp(size_t *len)
{
	char *buf = NULL;
	size_t cap = 0, n = 0, got;
	FILE *fp;

	if ((fp = fopen(path, "rb")) == NULL)
		fail("cannot open it: %s", strerror(errno));
	for (;;) {
		if (cap - n < 4096) {
			cap = cap ? cap * 2 : 65536;
			buf = xrealloc(buf, cap);
		}
		got = fread(buf + n, 1, cap - n - 1, fp);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(fp))
		fail("cannot read it: %s", strerror(errno));
	fclose(fp);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* The octet-level rules: UTF-8, CRLF after every line, folded lines of
 * at most 75 octets that each hold whole characters. */
static void
check_lines(const char *buf, size_t len)
{
	struct strbuf unfolded = STRBUF_INIT;
	const char *line = buf, *end, *p;
	size_t no = 1, n;

	if (len == 0)
		fail("the file is empty");
	if (strlen(buf) != len)
		fail("the file holds a NUL byte");
	/* the text itself first, so a fold inside a character is told apart */
	for (p = buf; *p != '\0'; p++) {
		if (p[0] == '\r' && p[1] == '\n' && (p[2] == ' ' || p[2] == '\t'))
			p += 2;
		else
			strbuf_addc(&unfolded, *p);
	}
	if (!utf8_valid(unfolded.s, unfolded.len))
		fail("the file is not valid UTF-8");
	strbuf_free(&unfolded);
	while (*line != '\0') {
		if ((end = strchr(line, '\n')) == NULL)
			fail("line %zu does not end in CRLF", no);
		if (end == line || end[-1] != '\r')
			fail("line %zu ends in a bare LF, not CRLF", no);
		n = (size_t)(end - 1 - line);
		if (memchr(line, '\r', n) != NULL)
			fail("line %zu holds a bare CR", no);
		if (n > MAX_OCTETS)
			fail("line %zu is %zu octets long, more than %d", no, n,
			    MAX_OCTETS);
		if (!utf8_valid(line, n))
			fail("line %zu is folded inside a UTF-8 character", no);
		line = end + 1;
		no++;
	}
}

/* The first X-LIC-ERROR libical left in comp or below it, or NULL. */
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

static void
check_calendar(icalcomponent *cal)
{
	struct strbuf b = STRBUF_INIT;
	icalproperty *p;
	const char *e;

	if (icalcomponent_isa(cal) == ICAL_XROOT_COMPONENT)
		fail("it holds more than one calendar");
	if (icalcomponent_isa(cal) != ICAL_VCALENDAR_COMPONENT)
		fail("it holds a %s, not a VCALENDAR",
		    icalcomponent_kind_to_string(icalcomponent_isa(cal)));
	if ((e = first_error(cal)) != NULL)
		fail("libical cannot read it: %s", clean(&b, e));
	if (icalcomponent_count_properties(cal, ICAL_VERSION_PROPERTY) != 1)
		fail("the calendar needs exactly one VERSION");
	p = icalcomponent_get_first_property(cal, ICAL_VERSION_PROPERTY);
	if (icalproperty_get_version(p) == NULL ||
	    strcmp(icalproperty_get_version(p), "2.0") != 0)
		fail("the calendar's VERSION is \"%s\", not \"2.0\"",
		    clean(&b, icalproperty_get_version(p)));
	if (icalcomponent_count_properties(cal, ICAL_PRODID_PROPERTY) != 1)
		fail("the calendar needs exactly one PRODID");
	p = icalcomponent_get_first_property(cal, ICAL_PRODID_PROPERTY);
	if (icalproperty_get_prodid(p) == NULL || icalproperty_get_prodid(p)[0] == '\0')
		fail("the calendar's PRODID is empty");
	if (icalrestriction_check(cal) == 0) {
		e = first_error(cal);
		fail("the calendar breaks a rule of RFC 5545/5546: %s",
		    e != NULL ? clean(&b, e) : "libical gave no reason");
	}
	strbuf_free(&b);
}

/* The one property of kind k in vev, which must be a UTC date-time. */
static struct icaltimetype
utc_prop(icalcomponent *vev, icalproperty_kind k, const char *uid)
{
	struct strbuf b = STRBUF_INIT;
	struct icaltimetype t;
	icalproperty *p;
	const char *name = icalproperty_kind_to_string(k);

	if (icalcomponent_count_properties(vev, k) != 1)
		fail("event %s needs exactly one %s", clean(&b, uid), name);
	p = icalcomponent_get_first_property(vev, k);
	if (k == ICAL_DTSTAMP_PROPERTY)
		t = icalproperty_get_dtstamp(p);
	else if (k == ICAL_DTSTART_PROPERTY)
		t = icalproperty_get_dtstart(p);
	else
		t = icalproperty_get_dtend(p);
	if (t.is_date || icaltime_is_null_time(t) || !icaltime_is_valid_time(t) ||
	    !icaltime_is_utc(t))
		fail("the %s of event %s is not a UTC date-time", name,
		    clean(&b, uid));
	strbuf_free(&b);
	return t;
}

/* Checks every VEVENT and appends its output line to out; returns how
 * many there are. */
static int
check_events(icalcomponent *cal, struct strbuf *out)
{
	struct strbuf b = STRBUF_INIT;
	struct icaltimetype start, end;
	icalproperty_status st;
	icalcomponent *vev;
	const char **uids = NULL;
	const char *uid;
	int n = 0, i;

	for (vev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	    vev != NULL;
	    vev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
		n++;
		if (icalcomponent_count_properties(vev, ICAL_UID_PROPERTY) != 1)
			fail("event %d needs exactly one UID", n);
		uid = icalcomponent_get_uid(vev);
		if (uid == NULL || uid[0] == '\0')
			fail("event %d has an empty UID", n);
		for (i = 0; i < n - 1; i++) {
			if (strcmp(uids[i], uid) == 0)
				fail("two events have the UID %s", clean(&b, uid));
		}
		uids = xrealloc(uids, (size_t)n * sizeof *uids);
		uids[n - 1] = uid;
		(void)utc_prop(vev, ICAL_DTSTAMP_PROPERTY, uid);
		start = utc_prop(vev, ICAL_DTSTART_PROPERTY, uid);
		end = utc_prop(vev, ICAL_DTEND_PROPERTY, uid);
		if (icaltime_compare(end, start) <= 0)
			fail("event %s does not end after it starts", clean(&b, uid));
		st = icalcomponent_get_status(vev);

		strbuf_adds(out, clean(&b, uid));
		strbuf_addf(out, "\t%04d%02d%02dT%02d%02d%02dZ\t", start.year,
		    start.month, start.day, start.hour, start.minute, start.second);
		strbuf_adds(out, st == ICAL_STATUS_NONE ? "-" :
		    clean(&b, icalproperty_status_to_string(st)));
		strbuf_addc(out, '\t');
		strbuf_adds(out, clean(&b, icalcomponent_get_summary(vev)));
		strbuf_addc(out, '\n');
	}
	free(uids);
	strbuf_free(&b);
	return n;
}

int
main(int argc, char **argv)
{
	struct strbuf out = STRBUF_INIT;
	icalcomponent *cal;
	size_t len;
	char *buf;
	int n;

	if (argc != 2) {
		fputs("usage: ics_check FILE\n", stderr);
		return 1;
	}
	path = argv[1];
	buf = slurp(&len);
	check_lines(buf, len);
	if ((cal = icalparser_parse_string(buf)) == NULL)
		fail("libical finds no iCalendar component in it");
	check_calendar(cal);
	n = check_events(cal, &out);
	printf("events %d\n%s", n, strbuf_str(&out));
	icalcomponent_free(cal);
	strbuf_free(&out);
	free(buf);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "ics_check: cannot write the result: %s\n",
		    strerror(errno));
		return 1;
	}
	return 0;
}
