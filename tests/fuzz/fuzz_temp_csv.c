/* fuzz_temp_csv.c - fuzz target for the CSV parser of temperature
 * imports (celldesk storage import) and the temperature parser. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/temp_csv.h"
#include "core/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t
chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* What every reading handed over must be: a line number inside the
 * file, non-empty names of plain UTF-8 text without line breaks or
 * escapes, a time that parsed, a temperature in range that prints and
 * parses back to itself. */
static enum cd_status
check_row(void *ctx, const struct temp_csv_row *r, struct cd_err *err)
{
	size_t *lines = ctx;
	char buf[24];
	double back;

	(void)err;
	if (r->line < 2 || r->line > *lines)
		abort();
	if (r->site[0] == '\0' || r->unit[0] == '\0' || r->time[0] == '\0')
		abort();
	if (!utf8_valid(r->site, strlen(r->site)) || !utf8_valid(r->unit, strlen(r->unit)))
		abort();
	if (strpbrk(r->site, "\n\r\t\x1b") != NULL || strpbrk(r->unit, "\n\r\t\x1b") != NULL)
		abort();
	if (chars(r->site) > TEMP_CSV_MAX_NAME || chars(r->unit) > TEMP_CSV_MAX_NAME)
		abort();
	if (!r->utc && (r->minute < 0 || r->minute > 1439 || r->date.month < 1 ||
	    r->date.month > 12 || r->date.day < 1 || r->date.day > 31))
		abort();
	if (!(r->temp_c >= TEMP_MIN_C && r->temp_c <= TEMP_MAX_C))
		abort();
	temp_format(r->temp_c, buf);
	if (temp_parse(buf, &back) != TEMP_OK || back != r->temp_c)
		abort();
	return CD_OK;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cd_err err;
	size_t lines = 1, rows = 0, i;
	enum cd_status st;
	char buf[40];
	double c;

	for (i = 0; i < size; i++)
		lines += data[i] == '\n';
	err.msg[0] = '\0';
	st = temp_csv_parse((const char *)data, size, "fuzz.csv", check_row, &lines, &rows, &err);
	/* A refusal says why, naming the file; success means a header. */
	if (st != CD_OK && (st != CD_REFUSED || strncmp(err.msg, "fuzz.csv", 8) != 0))
		abort();
	if (rows > lines)
		abort();
	/* The first bytes as one temperature: whatever parses prints and
	 * parses back the same. */
	if (size < sizeof buf) {
		memcpy(buf, data, size);
		buf[size] = '\0';
		if (temp_parse(buf, &c) == TEMP_OK) {
			char shown[24];
			double back;

			temp_format(c, shown);
			if (temp_parse(shown, &back) != TEMP_OK || back != c)
				abort();
		}
	}
	return 0;
}
