/* tz.c - IANA time zone name checks against the system tz database. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tz.h"

static int
zone_name_ok(const char *zone)
{
	const char *p;

	if (zone[0] == '\0' || zone[0] == '/' || strlen(zone) > 64 ||
	    strstr(zone, "..") != NULL)
		return 0;
	for (p = zone; *p != '\0'; p++) {
		if (!isalnum((unsigned char)*p) && strchr("/_-+", *p) == NULL)
			return 0;
	}
	return 1;
}

enum cd_status
tz_check(const char *field, const char *zone, struct cd_err *err)
{
	const char *dir = getenv("TZDIR");
	char path[512], magic[4];
	FILE *fp;
	size_t got;

	if (!zone_name_ok(zone))
		return cd_fail(err, CD_USAGE,
		    "%s: '%.64s' is not a time zone name such as Europe/Kyiv", field, zone);
	if (dir == NULL || dir[0] == '\0')
		dir = "/usr/share/zoneinfo";
	snprintf(path, sizeof path, "%s/%s", dir, zone);
	if ((fp = fopen(path, "rb")) == NULL)
		return cd_fail(err, CD_USAGE,
		    "%s: there is no time zone called '%s' (use an IANA name such as Europe/Berlin)",
		    field, zone);
	got = fread(magic, 1, sizeof magic, fp);
	fclose(fp);
	if (got != sizeof magic || memcmp(magic, "TZif", 4) != 0)
		return cd_fail(err, CD_USAGE,
		    "%s: '%s' is not a time zone (use an IANA name such as Europe/Berlin)",
		    field, zone);
	return CD_OK;
}
