/* tz.h - IANA time zone names, checked against the system's tz database
 * (read-only: $TZDIR or /usr/share/zoneinfo). */
#ifndef CD_TZ_H
#define CD_TZ_H

#include "status.h"

/* CD_OK when zone names a real zone ("Europe/Kyiv"); otherwise a sentence
 * naming field. */
enum cd_status tz_check(const char *field, const char *zone, struct cd_err *err);

#endif
