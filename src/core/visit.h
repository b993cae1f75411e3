/* visit.h - a visit's statuses and the changes between them. */
#ifndef CD_VISIT_H
#define CD_VISIT_H

#include <stdbool.h>
#include <stddef.h>

#include "status.h"

enum visit_status {
	VISIT_BOOKED, VISIT_CHECKED_IN, VISIT_DONE, VISIT_NO_SHOW,
	VISIT_CANCELLED_BY_PATIENT, VISIT_CANCELLED_BY_CLINIC
};

bool visit_status_parse(const char *s, enum visit_status *out);
const char *visit_status_name(enum visit_status s);
/* Whether a visit in status s holds its patient and resources. */
bool visit_status_holds(enum visit_status s);
/* Whether a visit in status s still takes place (not cancelled or missed). */
bool visit_status_active(enum visit_status s);

/* When the change is asked, relative to the visit. */
enum visit_when { VISIT_BEFORE_DAY, VISIT_ON_DAY_BEFORE_START, VISIT_STARTED };

/* CD_OK when a visit may go from one status to another at that time;
 * otherwise a refusal in words. */
enum cd_status visit_status_change(enum visit_status from, enum visit_status to,
    enum visit_when when, struct cd_err *err);

#endif
