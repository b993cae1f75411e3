/* temp_csv.c - temperatures in degrees Celsius as text, and the parser
 * for the CSV files of temperature readings (celldesk storage import).
 * Neither reads the locale: a decimal point is always '.'. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "localtime.h"
#include "temp_csv.h"
#include "text.h"

#define MILLI_MIN (-273150)
#define MILLI_MAX 150000
#define MAX_FIELDS 8

enum temp_verdict
temp_parse(const char *s, double *c)
{
	long long milli = 0;
	int digits = 0, significant = 0, decimals = 0, neg = 0;
	const char *p = s;

	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	for (; *p >= '0' && *p <= '9'; p++, digits++) {
		if (significant > 0 || *p != '0')
			significant++;
		if (significant <= 7)
			milli = milli * 10 + (*p - '0');
	}
	if (digits == 0)
		return TEMP_NOT_A_NUMBER;
	milli *= 1000;
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++, decimals++) {
			if (decimals < 3)
				milli += (*p - '0') * (decimals == 0 ? 100 : decimals == 1 ? 10 : 1);
		}
		if (decimals == 0)
			return TEMP_NOT_A_NUMBER;
	}
	if (*p != '\0')
		return TEMP_NOT_A_NUMBER;
	if (decimals > 3)
		return TEMP_TOO_PRECISE;
	if (neg)
		milli = -milli;
	if (significant > 6 || milli < MILLI_MIN || milli > MILLI_MAX)
		return TEMP_OUT_OF_RANGE;
	/* Both exact in a double; the quotient is rounded once, as strtod. */
	*c = (double)milli / 1000.0;
	return TEMP_OK;
}

const char *
temp_why(enum temp_verdict v)
{
	switch (v) {
	case TEMP_OK:
		return "is a temperature";
	case TEMP_NOT_A_NUMBER:
		return "is not a number";
	case TEMP_TOO_PRECISE:
		return "has more than 3 decimals";
	default:
		return "is outside -273.15 to 150 \xC2\xB0""C";
	}
}

void
temp_format(double c, char buf[24])
{
	long long milli;
	int len;

	if (c != c)
		c = 0.0; /* never stored: temp_parse refuses "nan" */
	if (c > 1e12)
		c = 1e12;
	if (c < -1e12)
		c = -1e12;
	milli = (long long)(c * 1000.0 + (c < 0 ? -0.5 : 0.5));
	len = snprintf(buf, 24, "%s%lld.%03lld", milli < 0 ? "-" : "",
	    (milli < 0 ? -milli : milli) / 1000, (milli < 0 ? -milli : milli) % 1000);
	while (len > 0 && buf[len - 1] == '0' && buf[len - 2] != '.')
		buf[--len] = '\0';
}

/* --- the CSV file --- */

enum { COL_SITE, COL_UNIT, COL_TIME, COL_TEMP, NCOLS };
static const char *const col_names[NCOLS] = { "site", "unit", "time", "temp_c" };
static const char *const col_words[NCOLS] = { "site", "unit", "time", "temperature" };

struct csv_line {
	const char *fname;
	size_t lineno;
	int nf;                      /* fields on the line (may exceed MAX_FIELDS) */
	const char *field[MAX_FIELDS];
	char buf[2 * TEMP_CSV_MAX_LINE + 2]; /* the fields, unquoted, NUL-separated */
};

static bool
is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

/* Splits line l (n bytes, line end removed) into fields as RFC 4180. */
static enum cd_status
split_fields(struct csv_line *cl, const char *l, size_t n, struct cd_err *err)
{
	size_t i = 0, o = 0, start;

	cl->nf = 0;
	for (;;) {
		while (i < n && is_blank(l[i]))
			i++;
		start = o;
		if (i < n && l[i] == '"') {
			for (i++;; i++) {
				if (i >= n)
					return cd_fail(err, CD_REFUSED, "%s line %zu: a quoted field has no"
					    " closing quote (a field cannot hold a line break)", cl->fname,
					    cl->lineno);
				if (l[i] == '"') {
					if (i + 1 < n && l[i + 1] == '"') {
						cl->buf[o++] = '"';
						i++;
						continue;
					}
					i++;
					break;
				}
				cl->buf[o++] = l[i];
			}
			while (i < n && is_blank(l[i]))
				i++;
			if (i < n && l[i] != ',')
				return cd_fail(err, CD_REFUSED, "%s line %zu: text after a closing quote"
				    " (a quote inside a field is written twice: \"\")", cl->fname, cl->lineno);
		} else {
			for (; i < n && l[i] != ','; i++) {
				if (l[i] == '"')
					return cd_fail(err, CD_REFUSED, "%s line %zu: a quote inside a field"
					    " that does not start with one (quote the whole field and write"
					    " the quote twice: \"\")", cl->fname, cl->lineno);
				cl->buf[o++] = l[i];
			}
			while (o > start && is_blank(cl->buf[o - 1]))
				o--;
		}
		cl->buf[o++] = '\0';
		if (cl->nf < MAX_FIELDS)
			cl->field[cl->nf] = cl->buf + start;
		cl->nf++;
		if (i < n && l[i] == ',') {
			i++;
			continue;
		}
		return CD_OK;
	}
}

/* A field's value must be plain text: no control characters. */
static enum cd_status
check_text(const struct csv_line *cl, const char *what, const char *s, struct cd_err *err)
{
	size_t n = strlen(s), k;
	uint32_t cp;

	for (; n > 0; s += k, n -= k) {
		k = utf8_decode(s, n, &cp);
		if (k == 0)
			return cd_fail(err, CD_REFUSED, "%s line %zu: the %s is not UTF-8 text",
			    cl->fname, cl->lineno, what);
		/* Bidirectional marks are allowed in names, as in celldesk's
		 * fields; the output sanitizer shows them escaped. */
		if (text_is_unsafe(cp) && !(cp >= 0x200E && cp <= 0x2069) && cp != 0x061C)
			return cd_fail(err, CD_REFUSED, "%s line %zu: the %s contains a control"
			    " character (U+%04X)", cl->fname, cl->lineno, what, (unsigned)cp);
	}
	return CD_OK;
}

static size_t
utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static bool
same_word(const char *a, const char *b)
{
	for (; *a != '\0' && *b != '\0'; a++, b++) {
		char x = *a >= 'A' && *a <= 'Z' ? (char)(*a - 'A' + 'a') : *a;
		if (x != *b)
			return false;
	}
	return *a == *b;
}

/* The header line: which field holds which column. */
static enum cd_status
read_header(const struct csv_line *cl, int map[NCOLS], struct cd_err *err)
{
	enum cd_status st;
	int i, c;

	for (c = 0; c < NCOLS; c++)
		map[c] = -1;
	for (i = 0; i < cl->nf && i < MAX_FIELDS; i++) {
		if ((st = check_text(cl, "header", cl->field[i], err)) != CD_OK)
			return st;
		for (c = 0; c < NCOLS && !same_word(cl->field[i], col_names[c]); c++)
			;
		if (c == NCOLS)
			return cd_fail(err, CD_REFUSED, "%s line %zu: '%.40s' is not a column of a"
			    " temperature file; the first line must be the header site,unit,time,temp_c",
			    cl->fname, cl->lineno, cl->field[i]);
		if (map[c] >= 0)
			return cd_fail(err, CD_REFUSED, "%s line %zu: the header names the column"
			    " '%s' twice", cl->fname, cl->lineno, col_names[c]);
		map[c] = i;
	}
	for (c = 0; c < NCOLS; c++) {
		if (map[c] < 0)
			return cd_fail(err, CD_REFUSED, "%s line %zu: the header has no column '%s'"
			    " (it must be site,unit,time,temp_c)", cl->fname, cl->lineno, col_names[c]);
	}
	return CD_OK;
}

static enum cd_status
read_reading(const struct csv_line *cl, const int map[NCOLS], struct temp_csv_row *row,
    struct cd_err *err)
{
	enum temp_verdict v;
	enum cd_status st;
	int c;

	if (cl->nf != NCOLS)
		return cd_fail(err, CD_REFUSED, "%s line %zu: %d field%s; a reading has 4"
		    " (site,unit,time,temp_c)", cl->fname, cl->lineno, cl->nf,
		    cl->nf == 1 ? "" : "s");
	for (c = 0; c < NCOLS; c++) {
		if ((st = check_text(cl, col_words[c], cl->field[map[c]], err)) != CD_OK)
			return st;
		if (cl->field[map[c]][0] == '\0')
			return cd_fail(err, CD_REFUSED, "%s line %zu: the %s is empty", cl->fname,
			    cl->lineno, col_words[c]);
	}
	memset(row, 0, sizeof *row);
	row->line = cl->lineno;
	row->site = cl->field[map[COL_SITE]];
	row->unit = cl->field[map[COL_UNIT]];
	row->time = cl->field[map[COL_TIME]];
	if (utf8_chars(row->site) > TEMP_CSV_MAX_NAME || utf8_chars(row->unit) > TEMP_CSV_MAX_NAME)
		return cd_fail(err, CD_REFUSED, "%s line %zu: the %s name is longer than %u"
		    " characters", cl->fname, cl->lineno,
		    utf8_chars(row->site) > TEMP_CSV_MAX_NAME ? "site" : "unit", TEMP_CSV_MAX_NAME);
	if (utc_parse(row->time, &row->utc_secs))
		row->utc = true;
	else if (!local_parse(row->time, &row->date, &row->minute))
		return cd_fail(err, CD_REFUSED, "%s line %zu: time '%.40s' is neither the site's"
		    " local time \"YYYY-MM-DD HH:MM\" nor UTC \"YYYY-MM-DDTHH:MM:SSZ\"", cl->fname,
		    cl->lineno, row->time);
	if ((v = temp_parse(cl->field[map[COL_TEMP]], &row->temp_c)) != TEMP_OK)
		return cd_fail(err, CD_REFUSED, "%s line %zu: temperature '%.40s' %s", cl->fname,
		    cl->lineno, cl->field[map[COL_TEMP]], temp_why(v));
	return CD_OK;
}

enum cd_status
temp_csv_parse(const char *text, size_t len, const char *fname, temp_csv_fn fn, void *ctx,
    size_t *rows, struct cd_err *err)
{
	struct csv_line cl;
	struct temp_csv_row row;
	const char *line, *eol;
	size_t pos = 0, n, i, count = 0;
	int map[NCOLS];
	bool header = false;
	enum cd_status st;

	if (rows != NULL)
		*rows = 0;
	memset(&cl, 0, sizeof cl);
	cl.fname = fname;
	if (len > TEMP_CSV_MAX_BYTES)
		return cd_fail(err, CD_REFUSED, "%s is larger than %u MiB; split it into smaller files",
		    fname, TEMP_CSV_MAX_BYTES / (1024u * 1024u));
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		pos = 3;
	while (pos < len) {
		cl.lineno++;
		line = text + pos;
		eol = memchr(line, '\n', len - pos);
		n = eol != NULL ? (size_t)(eol - line) : len - pos;
		pos += n + (eol != NULL);
		if (n > 0 && line[n - 1] == '\r')
			n--;
		if (n > TEMP_CSV_MAX_LINE)
			return cd_fail(err, CD_REFUSED, "%s line %zu is longer than %u bytes; is it a"
			    " temperature file?", fname, cl.lineno, TEMP_CSV_MAX_LINE);
		if (memchr(line, '\0', n) != NULL)
			return cd_fail(err, CD_REFUSED, "%s line %zu has a NUL byte in it; is it a text"
			    " file?", fname, cl.lineno);
		if (memchr(line, '\r', n) != NULL)
			return cd_fail(err, CD_REFUSED, "%s line %zu has a carriage return inside it"
			    " (lines must end in LF or CRLF)", fname, cl.lineno);
		for (i = 0; i < n && is_blank(line[i]); i++)
			;
		if (i == n)
			continue;
		if ((st = split_fields(&cl, line, n, err)) != CD_OK)
			return st;
		if (!header) {
			if ((st = read_header(&cl, map, err)) != CD_OK)
				return st;
			header = true;
			continue;
		}
		if ((st = read_reading(&cl, map, &row, err)) != CD_OK)
			return st;
		if ((st = fn(ctx, &row, err)) != CD_OK)
			return st;
		count++;
		if (rows != NULL)
			*rows = count;
	}
	if (!header)
		return cd_fail(err, CD_REFUSED, "%s is empty; a temperature file starts with the"
		    " header site,unit,time,temp_c", fname);
	return CD_OK;
}
