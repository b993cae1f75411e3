/* visit.c - the statuses of a visit and which changes are allowed:
 * booked -> checked-in -> done; no-show once it has begun (and checked
 * in after all when the patient comes late); cancelled by the patient or
 * the clinic, taken back before the visit's time; a check-in undone. */
#include "config.h"

#include <string.h>

#include "visit.h"

static const char *const names[] = { "booked", "checked-in", "done", "no-show",
	"cancelled-by-patient", "cancelled-by-clinic" };

bool
visit_status_parse(const char *s, enum visit_status *out)
{
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strcmp(names[i], s) == 0) {
			*out = (enum visit_status)i;
			return true;
		}
	}
	return false;
}

const char *
visit_status_name(enum visit_status s)
{
	return names[s];
}

bool
visit_status_holds(enum visit_status s)
{
	return s == VISIT_BOOKED || s == VISIT_CHECKED_IN || s == VISIT_DONE;
}

bool
visit_status_active(enum visit_status s)
{
	return visit_status_holds(s);
}

enum cd_status
visit_status_change(enum visit_status from, enum visit_status to, enum visit_when when,
    struct cd_err *err)
{
	bool cancel = to == VISIT_CANCELLED_BY_PATIENT || to == VISIT_CANCELLED_BY_CLINIC;

	if (from == to)
		return cd_fail(err, CD_REFUSED, "the visit is already %s", names[to]);
	if (from == VISIT_DONE)
		return cd_fail(err, CD_REFUSED, "the visit is done; its record stays as it is");
	switch (to) {
	case VISIT_BOOKED:
		/* Undoing a check-in, or taking back a cancellation in time. */
		if (from == VISIT_CHECKED_IN)
			return CD_OK;
		if (from != VISIT_CANCELLED_BY_PATIENT && from != VISIT_CANCELLED_BY_CLINIC)
			break;
		if (when == VISIT_STARTED)
			return cd_fail(err, CD_REFUSED, "the visit's time has passed; it stays"
			    " cancelled (book the patient again instead)");
		return CD_OK;
	case VISIT_CHECKED_IN:
		/* A patient marked as a no-show who arrives late checks in. */
		if (from != VISIT_BOOKED && from != VISIT_NO_SHOW)
			break;
		if (when == VISIT_BEFORE_DAY)
			return cd_fail(err, CD_REFUSED, "a patient checks in on the day of the visit");
		return CD_OK;
	case VISIT_DONE:
		if (from != VISIT_BOOKED && from != VISIT_CHECKED_IN)
			break;
		if (when != VISIT_STARTED)
			return cd_fail(err, CD_REFUSED, "a visit is done only once it has begun");
		return CD_OK;
	case VISIT_NO_SHOW:
		if (from != VISIT_BOOKED)
			break;
		if (when != VISIT_STARTED)
			return cd_fail(err, CD_REFUSED, "a patient is a no-show only once the visit's"
			    " time has come");
		return CD_OK;
	default:
		if (cancel && (from == VISIT_BOOKED || from == VISIT_CHECKED_IN))
			return CD_OK;
		break;
	}
	return cd_fail(err, CD_REFUSED, "a visit that is %s cannot become %s", names[from],
	    names[to]);
}
