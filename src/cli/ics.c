/* ics.c - an iCalendar (RFC 5545) writer built with libical. Times are
 * written in UTC (…Z), so the calendar needs no VTIMEZONE; text comes
 * from the database and goes through text_sanitize before libical
 * escapes it and folds the lines. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libical/ical.h>

#include "../core/strbuf.h"
#include "../core/text.h"
#include "../core/xalloc.h"
#include "ics.h"

#define ICS_PRODID "-//celldesk//celldesk//EN"

/* RFC 5546 makes ORGANIZER mandatory in a PUBLISH VEVENT and libical's
 * icalrestriction_check enforces it. The clinic has no mailbox, so the
 * address is in the .invalid domain (RFC 2606): nothing can be sent to it. */
#define ICS_ORGANIZER "mailto:celldesk@celldesk.invalid"
#define ICS_ORGANIZER_CN "celldesk"

/* Written when the caller's summary is empty: libical refuses an empty
 * SUMMARY when it reads the file back. */
#define ICS_NO_SUMMARY "Visit"

/* The times libical counts as valid (icaltime_is_valid_time stops at the
 * year 3000): 0001-01-01T00:00:00Z to 3000-12-31T23:59:59Z. */
#define ICS_MIN_TIME INT64_C(-62135596800)
#define ICS_MAX_TIME INT64_C(32535215999)

struct ics {
	icalcomponent *cal;
	struct icaltimetype stamp;
	char *problem; /* the first refused event, reported by ics_write */
};

static icalproperty *
need_prop(icalproperty *p)
{
	if (p == NULL)
		fatal("libical cannot make a property: %s",
		    icalerror_strerror(icalerrno));
	return p;
}

static icalcomponent *
need_comp(icalcomponent *comp)
{
	if (comp == NULL)
		fatal("libical cannot make a component: %s",
		    icalerror_strerror(icalerrno));
	return comp;
}

static void
add_prop(icalcomponent *comp, icalproperty *p)
{
	icalcomponent_add_property(comp, need_prop(p));
}

/* A UTC DATE-TIME for t, or false when t is outside the years 1-3000
 * (or does not fit a time_t). */
static bool
utc_time(int64_t t, struct icaltimetype *out)
{
	if (t < ICS_MIN_TIME || t > ICS_MAX_TIME || (int64_t)(time_t)t != t)
		return false;
	*out = icaltime_from_timet_with_zone((time_t)t, 0,
	    icaltimezone_get_utc_timezone());
	return icaltime_is_valid_time(*out) && !icaltime_is_null_time(*out);
}

/* Puts s into b through text_sanitize, so no control character, bidi
 * control or invalid byte reaches the file. multiline keeps newlines and
 * tabs (RFC 5545 TEXT allows both; libical writes the newline as \n). */
static void
clean_text(struct strbuf *b, const char *s, bool multiline)
{
	size_t n;

	strbuf_reset(b);
	if (s == NULL)
		return;
	while (*s != '\0') {
		n = multiline ? strcspn(s, "\n\t") : strlen(s);
		text_sanitize(b, s, n);
		s += n;
		if (*s != '\0')
			strbuf_addc(b, *s++);
	}
}

static void
refuse(struct ics *c, char *problem)
{
	if (c->problem == NULL)
		c->problem = problem;
	else
		free(problem);
}

struct ics *
ics_new(int64_t now)
{
	struct ics *c = xcalloc(1, sizeof *c);

	c->cal = need_comp(icalcomponent_new(ICAL_VCALENDAR_COMPONENT));
	add_prop(c->cal, icalproperty_new_prodid(ICS_PRODID));
	add_prop(c->cal, icalproperty_new_version("2.0"));
	add_prop(c->cal, icalproperty_new_calscale("GREGORIAN"));
	add_prop(c->cal, icalproperty_new_method(ICAL_METHOD_PUBLISH));
	if (!utc_time(now, &c->stamp))
		refuse(c, xasprintf("the export time %" PRId64 " is outside the "
		    "years 1-3000", now));
	return c;
}

void
ics_add(struct ics *c, const struct ics_event *ev)
{
	struct icaltimetype start, end;
	struct strbuf b = STRBUF_INIT;
	icalcomponent *vev;
	icalproperty *org;
	char *uid;

	if (!utc_time(ev->start, &start) || !utc_time(ev->end, &end)) {
		refuse(c, xasprintf("visit %" PRId64 " has a time outside the "
		    "years 1-3000", ev->id));
		return;
	}
	if (ev->end <= ev->start) {
		refuse(c, xasprintf("visit %" PRId64 " does not end after it "
		    "starts", ev->id));
		return;
	}

	vev = need_comp(icalcomponent_new(ICAL_VEVENT_COMPONENT));
	uid = xasprintf("appt-%" PRId64 "@celldesk", ev->id);
	add_prop(vev, icalproperty_new_uid(uid));
	free(uid);
	add_prop(vev, icalproperty_new_dtstamp(c->stamp));
	add_prop(vev, icalproperty_new_dtstart(start));
	add_prop(vev, icalproperty_new_dtend(end));

	clean_text(&b, ev->summary, false);
	add_prop(vev, icalproperty_new_summary(b.len > 0 ? strbuf_str(&b) :
	    ICS_NO_SUMMARY));
	clean_text(&b, ev->location, false);
	if (b.len > 0)
		add_prop(vev, icalproperty_new_location(strbuf_str(&b)));
	clean_text(&b, ev->description, true);
	if (b.len > 0)
		add_prop(vev, icalproperty_new_description(strbuf_str(&b)));
	strbuf_free(&b);

	add_prop(vev, icalproperty_new_status(ev->cancelled ?
	    ICAL_STATUS_CANCELLED : ICAL_STATUS_CONFIRMED));
	org = need_prop(icalproperty_new_organizer(ICS_ORGANIZER));
	icalproperty_add_parameter(org, icalparameter_new_cn(ICS_ORGANIZER_CN));
	icalcomponent_add_property(vev, org);

	icalcomponent_add_component(c->cal, vev);
}

enum cd_status
ics_write(struct ics *c, FILE *fp, struct cd_err *err)
{
	size_t len;
	char *s;
	int saved;
	bool ok;

	if (c->problem != NULL)
		return cd_fail(err, CD_EDATA, "cannot export the calendar: %s",
		    c->problem);
	if ((s = icalcomponent_as_ical_string_r(c->cal)) == NULL)
		return cd_fail(err, CD_EDATA, "libical cannot format the "
		    "calendar: %s", icalerror_strerror(icalerrno));
	len = strlen(s);
	errno = 0;
	ok = fwrite(s, 1, len, fp) == len && fflush(fp) == 0;
	saved = errno;
	icalmemory_free_buffer(s);
	if (!ok)
		return cd_fail(err, CD_EDATA, "cannot write the calendar: %s",
		    saved != 0 ? strerror(saved) : "write error");
	return CD_OK;
}

void
ics_free(struct ics **c)
{
	if (c == NULL || *c == NULL)
		return;
	icalcomponent_free((*c)->cal);
	free((*c)->problem);
	free(*c);
	*c = NULL;
}
