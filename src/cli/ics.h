/* ics.h - an iCalendar (RFC 5545) writer for a patient's visits, built
 * with libical: one VCALENDAR, one VEVENT per visit, all times in UTC. */
#ifndef CD_ICS_H
#define CD_ICS_H

#include <stdint.h>
#include <stdio.h>

#include "../core/status.h"

struct ics_event {
	int64_t id;                 /* the visit's id: UID "appt-<id>@celldesk" */
	int64_t start, end;         /* UTC seconds since the epoch */
	const char *summary;        /* "Injection, course 2" */
	const char *location;       /* site name, may be NULL */
	const char *description;    /* may be NULL; multi-line allowed */
	int cancelled;              /* STATUS:CANCELLED instead of CONFIRMED */
};

struct ics;

/* A new, empty calendar. now: every event's DTSTAMP, UTC seconds. */
struct ics *ics_new(int64_t now);

/* Adds one VEVENT; the strings are sanitized and copied at once. A time
 * outside the years 1-3000 (what libical accepts) or an end not after
 * the start is kept as a problem that ics_write reports. An empty summary
 * is written as "Visit" (libical refuses an empty SUMMARY when it reads
 * one back); an empty location or description is left out. */
void ics_add(struct ics *c, const struct ics_event *ev);

/* Writes the whole VCALENDAR (PRODID "-//celldesk//celldesk//EN",
 * VERSION 2.0, CALSCALE GREGORIAN, METHOD PUBLISH) to fp with CRLF line
 * endings and lines folded at 75 octets, then flushes fp. CD_EDATA with a
 * sentence when an event was refused or writing fails. */
enum cd_status ics_write(struct ics *c, FILE *fp, struct cd_err *err);

/* Frees the calendar and sets *c to NULL; NULL and *c == NULL are fine. */
void ics_free(struct ics **c);

#endif
