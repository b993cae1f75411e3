/* date.c - calendar arithmetic, date parsing and opening hours. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "date.h"

static bool
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int
date_days_in_month(int year, int month)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (month < 1 || month > 12)
		return 0;
	return days[month - 1] + (month == 2 && is_leap(year));
}

static bool
digits(const char *s, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

bool
date_parse(const char *s, struct cd_date *out)
{
	struct cd_date d;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	if (!digits(s, 4, &d.year) || !digits(s + 5, 2, &d.month) ||
	    !digits(s + 8, 2, &d.day))
		return false;
	if (d.year < 1900 || d.year > 2999 || d.month < 1 || d.month > 12 ||
	    d.day < 1 || d.day > date_days_in_month(d.year, d.month))
		return false;
	*out = d;
	return true;
}

void
date_format(const struct cd_date *d, char buf[11])
{
	snprintf(buf, 11, "%04u-%02u-%02u", (unsigned)d->year % 10000u,
	    (unsigned)d->month % 100u, (unsigned)d->day % 100u);
}

/* Howard Hinnant's days_from_civil / civil_from_days. */
int64_t
date_to_days(const struct cd_date *d)
{
	int64_t y = d->year - (d->month <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t mp = (d->month + 9) % 12;
	int64_t doy = (153 * mp + 2) / 5 + d->day - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

void
date_from_days(int64_t z, struct cd_date *out)
{
	int64_t era, doe, yoe, y, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	out->day = (int)(doy - (153 * mp + 2) / 5 + 1);
	out->month = (int)(mp < 10 ? mp + 3 : mp - 9);
	out->year = (int)(y + (out->month <= 2));
}

int
date_weekday(const struct cd_date *d)
{
	int64_t days = date_to_days(d); /* 1970-01-01 was a Thursday (3) */
	int64_t wd = (days + 3) % 7;

	return (int)(wd < 0 ? wd + 7 : wd);
}

void
time_format_utc(int64_t ms, char buf[25])
{
	int64_t secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
	int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
	int64_t rem = secs - days * 86400;
	struct cd_date d;

	date_from_days(days, &d);
	snprintf(buf, 25, "%04u-%02u-%02uT%02u:%02u:%02u.%03uZ", (unsigned)d.year % 10000u,
	    (unsigned)d.month % 100u, (unsigned)d.day % 100u, (unsigned)(rem / 3600) % 100u,
	    (unsigned)(rem / 60 % 60) % 100u, (unsigned)(rem % 60) % 100u,
	    (unsigned)(ms - secs * 1000) % 1000u);
}

static const char *const day_names[7] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

static int
parse_day(const char **p)
{
	int i;

	for (i = 0; i < 7; i++) {
		if (strncmp(*p, day_names[i], 3) == 0) {
			*p += 3;
			return i;
		}
	}
	return -1;
}

static bool
parse_clock(const char **p, int *minutes)
{
	int h, m;

	if (!digits(*p, 2, &h) || (*p)[2] != ':' || !digits(*p + 3, 2, &m))
		return false;
	if (h > 24 || m > 59 || (h == 24 && m != 0))
		return false;
	*minutes = h * 60 + m;
	*p += 5;
	return true;
}

static void
skip_spaces(const char **p)
{
	while (**p == ' ' || **p == '\t')
		(*p)++;
}

enum cd_status
hours_parse(const char *spec, struct cd_hours *out, struct cd_err *err)
{
	struct cd_hours h;
	const char *p = spec;
	int from, to, open, close, i;

	memset(&h, 0, sizeof h);
	if (strcmp(spec, "closed") == 0) {
		*out = h;
		return CD_OK;
	}
	for (;;) {
		skip_spaces(&p);
		if ((from = parse_day(&p)) < 0)
			goto bad;
		to = from;
		if (*p == '-') {
			p++;
			if ((to = parse_day(&p)) < 0 || to < from)
				goto bad;
		}
		skip_spaces(&p);
		if (!parse_clock(&p, &open) || *p++ != '-' || !parse_clock(&p, &close) ||
		    open >= close)
			goto bad;
		for (i = from; i <= to; i++) {
			h.open[i] = open;
			h.close[i] = close;
		}
		skip_spaces(&p);
		if (*p == '\0')
			break;
		if (*p++ != ',')
			goto bad;
	}
	*out = h;
	return CD_OK;
bad:
	return cd_fail(err, CD_USAGE,
	    "--hours: '%.80s' is not an opening-hours list such as \"mon-fri 08:00-18:00, sat 09:00-13:00\"",
	    spec);
}

void
hours_format(const struct cd_hours *h, char *buf, size_t n)
{
	size_t len = 0;
	int i = 0, j;

	buf[0] = '\0';
	while (i < 7) {
		if (h->open[i] == h->close[i]) {
			i++;
			continue;
		}
		j = i;
		while (j + 1 < 7 && h->open[j + 1] == h->open[i] &&
		    h->close[j + 1] == h->close[i] && h->open[i] != h->close[i])
			j++;
		if (len < n)
			len += (size_t)snprintf(buf + len, n - len, "%s%s%s%s %02d:%02d-%02d:%02d",
			    len ? ", " : "", day_names[i], j > i ? "-" : "",
			    j > i ? day_names[j] : "", h->open[i] / 60, h->open[i] % 60,
			    h->close[i] / 60, h->close[i] % 60);
		i = j + 1;
	}
	if (len == 0)
		snprintf(buf, n, "closed");
}
