/* output.h - printing rows as text, CSV or JSON. Every value, in every
 * format, goes through the one sanitizer (text_sanitize). */
#ifndef CD_OUTPUT_H
#define CD_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "../core/strbuf.h"
#include "../db/db.h"

enum out_format { OUT_TEXT, OUT_CSV, OUT_JSON, OUT_ICS /* agenda only */ };

enum out_style {
	OUT_TABLE,  /* text: a header line, then aligned columns */
	OUT_BLOCK,  /* text: the first head_cols on one line, the rest as
		       indented "key: value" lines (audit records) */
	OUT_RECORD  /* one row: "key: value" lines; JSON: one object */
};

/* The number of columns of a static out_col table. */
#define NCOLS(a) ((int)(sizeof(a) / sizeof((a)[0])))

struct out_col {
	const char *key;   /* as the query names it; also the JSON key */
	int width;         /* text columns for OUT_TABLE; 0 for the last */
	bool number;       /* JSON: a number (or null), not text */
};

struct out {
	FILE *fp;
	enum out_format format;
	enum out_style style;
	const struct out_col *cols;
	int ncols;
	int head_cols;     /* OUT_BLOCK only */
	long rows;
	bool started;      /* the header is out (it waits for a row or the end) */
	struct strbuf line;
};

/* Parses "text", "csv", "json" or "ics". */
bool out_format_parse(const char *s, enum out_format *f);
void out_begin(struct out *o, FILE *fp, enum out_format format, enum out_style style,
    const struct out_col *cols, int ncols);
/* A cd_row_fn: prints the row's columns named in cols, in that order. */
enum cd_status out_row(void *ctx, const struct cd_row *row, struct cd_err *err);
void out_end(struct out *o);

/* A local ISO 8601 time ("2026-03-16T10:00:00+01:00") as text listings
 * show it: "2026-03-16 10:00" with the day, "10:00" without. */
void out_short_time(const char *iso, bool with_day, char *buf, size_t n);

/* Prints s sanitized, then a newline: for messages built from data. */
void out_line(FILE *fp, const char *s);

#endif
