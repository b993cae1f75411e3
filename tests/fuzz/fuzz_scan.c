/* fuzz_scan.c - fuzz target for the barcode scan parser and the lot code
 * reader (src/core/isbt.c): whatever a scan is taken for, its fields
 * hold together and the same thing scanned in its other forms reads back
 * the same; whatever is refused says why; nothing reads past the input. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/isbt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Scans text (a terminated string) and returns the result; aborts when
 * it is refused. */
static struct scan_result
rescan(const char *text)
{
	struct scan_result r;
	struct cd_err err;

	memset(&err, 0, sizeof err);
	if (scan_parse(text, strlen(text), &r, &err) != CD_OK)
		abort();
	return r;
}

static void
check_din(const struct scan_result *r)
{
	struct scan_result again;
	char buf[32], printed[ISBT_DIN_PRINTED_SIZE];

	if (!isbt_din_valid(r->din, strlen(r->din)))
		abort();
	/* The printed form always carries (and verifies) the check. */
	isbt_din_format_printed(r->din, printed);
	again = rescan(printed);
	if (again.kind != SCAN_DIN || strcmp(again.din, r->din) != 0 || !again.check_verified)
		abort();
	/* The barcode form with the same flags reads the same. */
	snprintf(buf, sizeof buf, "=%s%s", r->din, r->flags[0] != '\0' ? r->flags : "00");
	again = rescan(buf);
	if (again.kind != SCAN_DIN || strcmp(again.din, r->din) != 0 ||
	    (r->flags[0] != '\0' && (strcmp(again.flags, r->flags) != 0 ||
	    again.check_verified != r->check_verified)))
		abort();
	/* And with the check in the flags it is verified. */
	snprintf(buf, sizeof buf, "=%s%d", r->din, 60 + isbt_check_value(r->din));
	again = rescan(buf);
	if (!again.check_verified || strcmp(again.din, r->din) != 0)
		abort();
}

static void
check_result(const struct scan_result *r)
{
	struct scan_result again;
	enum lot_code_kind kind;
	char buf[48], din[14], product[9];
	struct cd_err err;

	switch (r->kind) {
	case SCAN_DIN:
		check_din(r);
		break;
	case SCAN_PRODUCT:
		if (!isbt_product_valid(r->product, strlen(r->product)))
			abort();
		snprintf(buf, sizeof buf, "=<%s", r->product);
		again = rescan(buf);
		if (again.kind != SCAN_PRODUCT || strcmp(again.product, r->product) != 0)
			abort();
		break;
	case SCAN_EXPIRY:
		if (r->minute < 0 || r->minute > 1439 || r->day.year < 2000 || r->day.year > 2999)
			abort();
		snprintf(buf, sizeof buf, "&>%03d%03d%02d%02d", r->day.year - 2000,
		    (int)(date_to_days(&r->day) - date_to_days(&(struct cd_date){
		    r->day.year, 1, 1 })) + 1, r->minute / 60, r->minute % 60);
		again = rescan(buf);
		if (again.kind != SCAN_EXPIRY || strcmp(again.expiry, r->expiry) != 0 ||
		    again.minute != r->minute)
			abort();
		break;
	case SCAN_LOT:
		memset(&err, 0, sizeof err);
		if (lot_code_parse(r->code, &kind, din, product, &err) != CD_OK ||
		    kind != LOT_CODE_ISBT || strcmp(din, r->din) != 0 ||
		    strcmp(product, r->product) != 0)
			abort();
		break;
	case SCAN_CODE:
		if (r->code[0] == '\0' || strlen(r->code) > 32)
			abort();
		again = rescan(r->code);
		if (again.kind != SCAN_CODE || strcmp(again.code, r->code) != 0)
			abort();
		break;
	default:
		abort();
	}
}

/* The lot code reader takes terminated text: what it accepts is one of
 * its two forms, exactly. */
static void
check_lot_code(const char *text)
{
	enum lot_code_kind kind;
	char din[14], product[9], buf[32];
	struct cd_err err;

	memset(&err, 0, sizeof err);
	if (lot_code_parse(text, &kind, din, product, &err) != CD_OK) {
		if (err.msg[0] == '\0' || err.status != CD_USAGE)
			abort();
		return;
	}
	if (kind == LOT_CODE_ISBT) {
		snprintf(buf, sizeof buf, "%s-%s", din, product);
		if (strcmp(buf, text) != 0 || !isbt_din_valid(din, strlen(din)) ||
		    !isbt_product_valid(product, strlen(product)))
			abort();
	} else if (kind != LOT_CODE_LOCAL || din[0] != '\0' || product[0] != '\0' ||
	    strlen(text) < LOT_LOCAL_MIN || strlen(text) > LOT_LOCAL_MAX ||
	    strspn(text, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") != strlen(text)) {
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scan_result r;
	struct cd_err err;
	char *exact, *text;

	/* An exact-size copy, so a sanitizer sees any read past the end. */
	if ((exact = malloc(size ? size : 1)) == NULL || (text = malloc(size + 1)) == NULL)
		abort();
	memcpy(exact, data, size);
	memset(&err, 0, sizeof err);
	if (scan_parse(exact, size, &r, &err) != CD_OK) {
		if (err.msg[0] == '\0' || err.status != CD_EDATA)
			abort(); /* a refusal is a sentence */
	} else {
		check_result(&r);
	}
	memcpy(text, data, size);
	text[size] = '\0';
	check_lot_code(text);
	free(exact);
	free(text);
	return 0;
}
