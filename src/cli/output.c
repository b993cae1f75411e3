/* output.c - rows as aligned text, RFC 4180 CSV or a JSON array. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../core/text.h"
#include "../core/xalloc.h"
#include "output.h"

bool
out_format_parse(const char *s, enum out_format *f)
{
	if (strcmp(s, "text") == 0)
		*f = OUT_TEXT;
	else if (strcmp(s, "csv") == 0)
		*f = OUT_CSV;
	else if (strcmp(s, "json") == 0)
		*f = OUT_JSON;
	else if (strcmp(s, "ics") == 0)
		*f = OUT_ICS;
	else
		return false;
	return true;
}

void
out_line(FILE *fp, const char *s)
{
	struct strbuf b = STRBUF_INIT;

	text_sanitize(&b, s, strlen(s));
	fprintf(fp, "%s\n", strbuf_str(&b));
	strbuf_free(&b);
}

/* Appends s sanitized, cut or padded to exactly width display columns,
 * the last of which is always a space between columns (width 0: as it
 * is). */
static void
add_cell(struct strbuf *b, const char *s, int width)
{
	struct strbuf clean = STRBUF_INIT;
	size_t used, w, k, n;
	const char *p;
	uint32_t cp;

	text_sanitize(&clean, s, strlen(s));
	used = text_width(strbuf_str(&clean));
	if (width <= 0 || used < (size_t)width) {
		strbuf_adds(b, strbuf_str(&clean));
	} else {
		used = 0;
		/* Cut on a character boundary, leaving room for the ellipsis
		 * and the space. */
		p = clean.s;
		n = clean.len;
		while (n > 0 && (k = utf8_decode(p, n, &cp)) > 0) {
			char one[5] = { 0 };
			memcpy(one, p, k);
			w = text_width(one);
			if (used + w + 2 > (size_t)width)
				break;
			strbuf_add(b, p, k);
			used += w;
			p += k;
			n -= k;
		}
		strbuf_adds(b, "\xE2\x80\xA6");
		used++;
	}
	while (width > 0 && used < (size_t)width) {
		strbuf_addc(b, ' ');
		used++;
	}
	strbuf_free(&clean);
}

static void
add_csv(struct strbuf *b, const char *s)
{
	struct strbuf clean = STRBUF_INIT;
	const char *p;

	text_sanitize(&clean, s, strlen(s));
	if (strpbrk(strbuf_str(&clean), ",\"") == NULL) {
		strbuf_adds(b, strbuf_str(&clean));
	} else {
		strbuf_addc(b, '"');
		for (p = strbuf_str(&clean); *p != '\0'; p++) {
			if (*p == '"')
				strbuf_addc(b, '"');
			strbuf_addc(b, *p);
		}
		strbuf_addc(b, '"');
	}
	strbuf_free(&clean);
}

/* A JSON string of the sanitized value: the same text the terminal
 * formats show, so no format passes a control character through. */
static void
add_json_value(struct strbuf *b, const char *s)
{
	struct strbuf clean = STRBUF_INIT;
	json_t *j;
	char *enc;

	if (s == NULL) {
		strbuf_adds(b, "null");
		return;
	}
	text_sanitize(&clean, s, strlen(s));
	j = json_string(strbuf_str(&clean));
	enc = j != NULL ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
	if (enc == NULL)
		fatal("cannot encode a value as JSON");
	strbuf_adds(b, enc);
	free(enc);
	json_decref(j);
	strbuf_free(&clean);
}

static const char *
value_of(const struct cd_row *row, const char *key)
{
	int i;

	for (i = 0; i < row->n; i++) {
		if (strcmp(row->keys[i], key) == 0)
			return row->vals[i];
	}
	fatal("column %s missing from a query", key);
}

void
out_begin(struct out *o, FILE *fp, enum out_format format, enum out_style style,
    const struct out_col *cols, int ncols)
{
	memset(o, 0, sizeof *o);
	o->fp = fp;
	o->format = format;
	o->style = style;
	o->cols = cols;
	o->ncols = ncols;
	o->head_cols = ncols;
}

/* The header, written with the first row (or at the end of an empty
 * listing), so that a command refused half-way prints nothing. */
static void
out_start(struct out *o)
{
	int i;

	o->started = true;
	strbuf_reset(&o->line);
	if (o->format == OUT_JSON && o->style != OUT_RECORD)
		fputs("[", o->fp);
	if (o->format == OUT_CSV) {
		for (i = 0; i < o->ncols; i++)
			fprintf(o->fp, "%s%s", i ? "," : "", o->cols[i].key);
		fputs("\r\n", o->fp);
	}
	if (o->format == OUT_TEXT && o->style == OUT_TABLE) {
		for (i = 0; i < o->ncols; i++)
			add_cell(&o->line, o->cols[i].key, i + 1 < o->ncols ? o->cols[i].width : 0);
		fprintf(o->fp, "%s\n", strbuf_str(&o->line));
	}
}

static void
text_row(struct out *o, const struct cd_row *row)
{
	const char *v;
	int i;

	for (i = 0; i < o->ncols; i++) {
		v = value_of(row, o->cols[i].key);
		if (o->style == OUT_TABLE) {
			add_cell(&o->line, v ? v : "", i + 1 < o->ncols ? o->cols[i].width : 0);
		} else if (o->style == OUT_BLOCK && i < o->head_cols) {
			if (i > 0)
				strbuf_adds(&o->line, "  ");
			add_cell(&o->line, v ? v : "-", 0);
			if (i + 1 == o->head_cols)
				strbuf_addc(&o->line, '\n');
		} else if (v != NULL) {
			strbuf_adds(&o->line, o->style == OUT_BLOCK ? "    " : "");
			add_cell(&o->line, o->cols[i].key, 0);
			strbuf_adds(&o->line, ": ");
			add_cell(&o->line, v, 0);
			strbuf_addc(&o->line, '\n');
		}
	}
	if (o->style == OUT_TABLE) {
		/* no trailing blanks */
		while (o->line.len > 0 && o->line.s[o->line.len - 1] == ' ')
			o->line.s[--o->line.len] = '\0';
		strbuf_addc(&o->line, '\n');
	}
}

/* A number as JSON writes it: an integer without leading zeros or plus
 * sign, maybe with a fraction and an exponent. */
static bool
is_json_number(const char *s)
{
	size_t i = 0;

	if (s == NULL)
		return false;
	if (s[0] == '-')
		i++;
	if (s[i] < '0' || s[i] > '9' || (s[i] == '0' && s[i + 1] != '\0' && s[i + 1] != '.') ||
	    strlen(s) > 40)
		return false;
	while (s[i] >= '0' && s[i] <= '9')
		i++;
	/* a measured value ("91.5", "5.2e+07") is a JSON number too */
	if (s[i] == '.' && s[i + 1] >= '0' && s[i + 1] <= '9')
		for (i++; s[i] >= '0' && s[i] <= '9'; i++)
			;
	if (s[i] == 'e' || s[i] == 'E') {
		i++;
		if (s[i] == '+' || s[i] == '-')
			i++;
		if (s[i] < '0' || s[i] > '9')
			return false;
		while (s[i] >= '0' && s[i] <= '9')
			i++;
	}
	return s[i] == '\0';
}

enum cd_status
out_row(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	struct out *o = ctx;
	int i;

	(void)err;
	if (!o->started)
		out_start(o);
	strbuf_reset(&o->line);
	if (o->format == OUT_TEXT) {
		text_row(o, row);
	} else if (o->format == OUT_CSV) {
		for (i = 0; i < o->ncols; i++) {
			const char *v = value_of(row, o->cols[i].key);
			if (i > 0)
				strbuf_addc(&o->line, ',');
			add_csv(&o->line, v ? v : "");
		}
		strbuf_adds(&o->line, "\r\n");
	} else {
		strbuf_adds(&o->line, o->rows > 0 ? ",\n  {" : o->style == OUT_RECORD ? "{" : "\n  {");
		for (i = 0; i < o->ncols; i++) {
			const char *v = value_of(row, o->cols[i].key);

			strbuf_addf(&o->line, "%s\"%s\": ", i ? ", " : "", o->cols[i].key);
			if (o->cols[i].number && is_json_number(v))
				strbuf_adds(&o->line, v);
			else if (o->cols[i].number && v == NULL)
				strbuf_adds(&o->line, "null");
			else
				add_json_value(&o->line, v);
		}
		strbuf_adds(&o->line, "}");
	}
	fputs(strbuf_str(&o->line), o->fp);
	o->rows++;
	return CD_OK;
}

void
out_end(struct out *o)
{
	if (!o->started)
		out_start(o);
	if (o->format == OUT_JSON)
		fputs(o->style == OUT_RECORD ? "\n" : o->rows > 0 ? "\n]\n" : "]\n", o->fp);
	strbuf_free(&o->line);
	fflush(o->fp);
}

void
out_short_time(const char *iso, bool with_day, char *buf, size_t n)
{
	if (iso == NULL || strlen(iso) < 16)
		snprintf(buf, n, "%s", iso != NULL ? iso : "");
	else if (with_day)
		snprintf(buf, n, "%.10s %.5s", iso, iso + 11);
	else
		snprintf(buf, n, "%.5s", iso + 11);
}
