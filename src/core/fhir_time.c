/* fhir_time.c - a FHIR dateTime with a time ("2026-12-01T10:00:00Z",
 * "2026-12-01T11:00:00.250+01:00") as UTC seconds. */
#include "config.h"

#include <ctype.h>
#include <string.h>

#include "date.h"
#include "fhir.h"

/* Reads exactly n digits at s into *v. */
static bool
digits(const char *s, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		*v = *v * 10 + (s[i] - '0');
	}
	return true;
}

bool
fhir_datetime_utc(const char *s, int64_t *utc)
{
	struct cd_date d;
	char day[11];
	int h, m, sec, oh, om, sign;
	const char *p;

	if (strlen(s) < 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':')
		return false;
	memcpy(day, s, 10);
	day[10] = '\0';
	if (!date_parse(day, &d) || !digits(s + 11, 2, &h) || !digits(s + 14, 2, &m) ||
	    !digits(s + 17, 2, &sec) || h > 23 || m > 59 || sec > 60)
		return false;
	p = s + 19;
	if (*p == '.') {
		for (p++; isdigit((unsigned char)*p); p++)
			;
	}
	if (strcmp(p, "Z") == 0) {
		oh = om = 0;
		sign = 1;
	} else if ((*p == '+' || *p == '-') && strlen(p) == 6 && p[3] == ':' &&
	    digits(p + 1, 2, &oh) && digits(p + 4, 2, &om) && oh <= 14 && om <= 59) {
		sign = *p == '+' ? 1 : -1;
	} else
		return false;
	if (sec == 60)
		sec = 59;
	*utc = date_to_days(&d) * 86400 + h * 3600 + m * 60 + sec -
	    sign * (oh * 3600 + om * 60);
	return true;
}
