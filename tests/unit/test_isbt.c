/* test_isbt.c - ISBT 128 check characters, DIN / product / lot code
 * syntax and the barcode scan parser (src/core/isbt.c). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/isbt.h"
#include "unit_util.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* --- check characters --- */

/* Where the vectors come from:
 * - G123498654321 -> 17, H: the worked example of ISBT 128 (ST-001
 *   Appendix A) and of the UK Red Book, Annex 2.
 * - A9998..., A9999...: DINs printed with their check characters on the
 *   example labels of ST-001 v6.2.2 Appendix C ("A9999 17 345628 8 [*]"
 *   and so on).
 * - The G1234 26 ... and other rows were computed with a separate Python
 *   one-liner of the rule (sum of value * 2^n from the right, then
 *   (38 - sum % 37) % 37), then written here; W000026123456 and
 *   G123426000078 were found by searching sequences for the value 36. */
static void
test_check_vectors(void **state)
{
	static const struct {
		const char *din;
		int value;
		char k;
	} cases[] = {
		{ "G123498654321", 17, 'H' },
		{ "A999820123456", 14, 'E' },
		{ "A999917123456", 9, '9' },
		{ "A999917123654", 34, 'Y' },
		{ "A999917345628", 36, '*' },
		{ "A999917345658", 24, 'O' },
		{ "A999915000001", 22, 'M' },
		{ "A999918000001", 8, '8' },
		{ "G123426000001", 4, '4' },
		{ "G123426000002", 2, '2' },
		{ "G123426000003", 0, '0' },
		{ "G123426000078", 36, '*' },
		{ "G123426000299", 10, 'A' },
		{ "W000026123456", 36, '*' },
		{ "Z999999999999", 25, 'P' },
		{ "1234526000001", 23, 'N' },
		{ "9000100000000", 20, 'K' },
	};
	size_t i;

	(void)state;
	for (i = 0; i < LEN(cases); i++) {
		if (isbt_check_value(cases[i].din) != cases[i].value)
			fail_msg("check value of %s = %d, want %d", cases[i].din,
			    isbt_check_value(cases[i].din), cases[i].value);
		if (isbt_check_char(cases[i].din) != cases[i].k)
			fail_msg("check character of %s = %c, want %c", cases[i].din,
			    isbt_check_char(cases[i].din), cases[i].k);
	}
}

static void
test_check_bad_characters(void **state)
{
	(void)state;
	/* Only digits and capitals have check values inside a DIN. */
	assert_int_equal(isbt_check_value("g123498654321"), -1);
	assert_int_equal(isbt_check_value("G12349865432-"), -1);
	assert_int_equal(isbt_check_value("G12349865432*"), -1);
	assert_int_equal(isbt_check_char("G1234 8654321"), '\0');
}

/* One changed character always changes the check character: that is
 * what it is for (a misread digit is caught). */
static void
test_check_catches_single_errors(void **state)
{
	char din[14] = "G123498654321";
	static const char alphabet[] = "0123456789";
	char orig, k = isbt_check_char(din);
	size_t i, j;

	(void)state;
	for (i = 1; i < 13; i++) {
		orig = din[i];
		for (j = 0; j < 10; j++) {
			if (alphabet[j] == orig)
				continue;
			din[i] = alphabet[j];
			if (isbt_check_char(din) == k)
				fail_msg("changing position %zu to %c kept the check %c", i,
				    alphabet[j], k);
		}
		din[i] = orig;
	}
}

/* --- DIN and product syntax --- */

static void
test_din_valid(void **state)
{
	static const struct {
		const char *s;
		bool ok;
	} cases[] = {
		{ "G123498654321", true },
		{ "A999917123456", true },
		{ "Z000000000000", true },
		{ "1234526000001", true },   /* a digit 1-9 may start the facility */
		{ "9999999999999", true },
		{ "0123426000001", false },  /* never 0 */
		{ "O123426000001", false },  /* never O */
		{ "g123426000001", false },
		{ "GA23426000001", false },  /* facility: letter and 4 digits */
		{ "G12342X000001", false },  /* year: digits */
		{ "G12342600000A", false },  /* sequence: digits */
		{ "G12342600000", false },   /* 12 */
		{ "G1234260000011", false }, /* 14 */
		{ "G1234 26 00000", false },
		{ "", false },
	};
	size_t i;

	(void)state;
	for (i = 0; i < LEN(cases); i++) {
		if (isbt_din_valid(cases[i].s, strlen(cases[i].s)) != cases[i].ok)
			fail_msg("isbt_din_valid(\"%s\") = %d", cases[i].s, !cases[i].ok);
	}
	/* The length given counts, not the terminator. */
	assert_true(isbt_din_valid("G123498654321H", 13));
	assert_false(isbt_din_valid("G123498654321", 12));
}

static void
test_product_valid(void **state)
{
	static const struct {
		const char *s;
		bool ok;
	} cases[] = {
		{ "S1234A00", true },
		{ "S12954A0", true },  /* ST-001 Figure 3 */
		{ "S1234A0b", true },  /* second-level division */
		{ "S1234AZ0", true },
		{ "S12340Ab", true },
		{ "E4306V00", true },  /* any family letter */
		{ "S1234A00 ", false },
		{ "S1234A0", false },
		{ "s1234A00", false },
		{ "S12A4A00", false }, /* the description code is a letter and 4 digits */
		{ "S1234a00", false }, /* type of donation: digit or capital */
		{ "S1234Aa0", false }, /* first division: digit or capital */
		{ "S1234A0B", false }, /* second division: digit or small letter */
		{ "S1234A-0", false },
		{ "", false },
	};
	size_t i;

	(void)state;
	for (i = 0; i < LEN(cases); i++) {
		if (isbt_product_valid(cases[i].s, strlen(cases[i].s)) != cases[i].ok)
			fail_msg("isbt_product_valid(\"%s\") = %d", cases[i].s, !cases[i].ok);
	}
}

static void
test_din_format_printed(void **state)
{
	char out[ISBT_DIN_PRINTED_SIZE];

	(void)state;
	isbt_din_format_printed("G123498654321", out);
	assert_string_equal(out, "G1234 98 654321 H");
	isbt_din_format_printed("A999917345628", out);
	assert_string_equal(out, "A9999 17 345628 *");
}

/* --- lot codes --- */

static void
test_lot_code_accepted(void **state)
{
	static const struct {
		const char *text;
		enum lot_code_kind kind;
		const char *din, *product;
	} cases[] = {
		{ "G123426000001-S1234A00", LOT_CODE_ISBT, "G123426000001", "S1234A00" },
		{ "A999917123456-S1416A0b", LOT_CODE_ISBT, "A999917123456", "S1416A0b" },
		{ "CB-2026-0001", LOT_CODE_LOCAL, "", "" },
		{ "ABCD", LOT_CODE_LOCAL, "", "" },
		{ "L1234567890123456789012345678901", LOT_CODE_LOCAL, "", "" }, /* 32 */
		{ "CORDBLOOD2026-ALIQUOT1", LOT_CODE_LOCAL, "", "" }, /* 22 with '-' at 13 */
	};
	enum lot_code_kind kind;
	char din[14], product[9];
	struct cd_err err;
	size_t i;

	(void)state;
	for (i = 0; i < LEN(cases); i++) {
		memset(din, 'x', sizeof din);
		memset(product, 'x', sizeof product);
		if (lot_code_parse(cases[i].text, &kind, din, product, &err) != CD_OK)
			fail_msg("lot_code_parse(\"%s\") refused: %s", cases[i].text, err.msg);
		assert_int_equal(kind, cases[i].kind);
		assert_string_equal(din, cases[i].din);
		assert_string_equal(product, cases[i].product);
	}
}

static void
test_lot_code_refused(void **state)
{
	static const struct {
		const char *text;
		const char *says;
	} cases[] = {
		{ "", "must not be empty" },
		{ "ABC", "neither an ISBT 128 lot code" },          /* 3 characters */
		{ "cb-2026-0001", "neither an ISBT 128 lot code" }, /* small letters */
		{ "1CB-2026", "neither an ISBT 128 lot code" },     /* a letter first */
		{ "CB 2026", "neither an ISBT 128 lot code" },
		{ "CB/2026", "neither an ISBT 128 lot code" },
		{ "L123456789012345678901234567890123", "neither an ISBT 128 lot code" },
		/* a bare DIN, or a DIN and a dash, is no local number: a scan of it
		 * would read a DIN and never find the lot */
		{ "G123426000001", "starts with an ISBT 128 DIN" },
		{ "G123426000003-S1234A0", "starts with an ISBT 128 DIN" },
		{ "G123426000001-S1234A0X", "its product code 'S1234A0X' is not one" },
		{ "G123426000001-S12A4A00", "its product code" },
		{ "O123426000001-S1234A00", "its DIN 'O123426000001' is not one" },
		{ "G12342600000A-S1234A00", "sequence number is 6 digits" },
		{ "CB\x1b[2J-0001", "control or non-ASCII characters" },
		{ "G123426000001-S1234\x07" "00", "control or non-ASCII characters" },
	};
	enum lot_code_kind kind;
	char din[14], product[9];
	struct cd_err err;
	size_t i;

	(void)state;
	for (i = 0; i < LEN(cases); i++) {
		memset(&err, 0, sizeof err);
		if (lot_code_parse(cases[i].text, &kind, din, product, &err) != CD_USAGE)
			fail_msg("lot_code_parse(case %zu) was not refused as usage", i);
		assert_int_equal(err.status, CD_USAGE);
		assert_non_null(strstr(err.msg, "--id"));
		if (strstr(err.msg, cases[i].says) == NULL)
			fail_msg("case %zu: \"%s\" does not say \"%s\"", i, err.msg, cases[i].says);
		assert_null(strchr(err.msg, '\x1b'));
		assert_null(strchr(err.msg, '\x07'));
	}
	/* The generic sentence names both schemes. */
	lot_code_parse("x", &kind, din, product, &err);
	assert_string_equal(err.msg, "--id: 'x' is neither an ISBT 128 lot code (DIN-PRODUCT,"
	    " e.g. G123426000001-S1234A00) nor a local lot number (4-32 capital letters,"
	    " digits and -)");
}

/* --- scans --- */

static struct scan_result
scan_ok(const char *text)
{
	struct scan_result r;
	struct cd_err err;

	memset(&r, 0, sizeof r);
	if (scan_parse(text, strlen(text), &r, &err) != CD_OK)
		fail_msg("scan \"%s\" refused: %s", text, err.msg);
	return r;
}

static void
test_scan_din_printed(void **state)
{
	static const char *const forms[] = {
		"G123498654321H",
		"G1234 98 654321 H",  /* as printed */
		"G1234 98654321H",
		"G123498654321 H",
		"G123 498 654 321 H", /* the older grouping of the UK Red Book */
	};
	struct scan_result r;
	size_t i;

	(void)state;
	for (i = 0; i < LEN(forms); i++) {
		r = scan_ok(forms[i]);
		assert_int_equal(r.kind, SCAN_DIN);
		assert_string_equal(r.din, "G123498654321");
		assert_true(r.check_verified);
		assert_string_equal(r.flags, "");
	}
	r = scan_ok("A9999 17 345628 *"); /* a check value of 36 */
	assert_string_equal(r.din, "A999917345628");
	r = scan_ok("A999917345658O");    /* O is a check character, never a DIN's first */
	assert_string_equal(r.din, "A999917345658");
}

static void
test_scan_din_barcode(void **state)
{
	static const struct {
		const char *text;
		const char *flags;
		bool verified;
	} cases[] = {
		{ "=G12349865432100", "00", false }, /* flags not used */
		{ "=G12349865432101", "01", false }, /* container 1 of a set */
		{ "=G12349865432159", "59", false }, /* locally defined */
		{ "=G12349865432177", "77", true },  /* 60 + 17: the check, H */
		{ "=A99991734562896", "96", true },  /* 60 + 36 */
		{ "=G12342600000360", "60", true },  /* 60 + 0 */
		{ "=G12349865432197", "97", false }, /* reserved */
		{ "=G123498654321A0", "A0", false }, /* reserved letters */
	};
	struct scan_result r;
	size_t i;

	(void)state;
	for (i = 0; i < LEN(cases); i++) {
		r = scan_ok(cases[i].text);
		assert_int_equal(r.kind, SCAN_DIN);
		assert_int_equal(strlen(r.din), 13);
		assert_memory_equal(r.din, cases[i].text + 1, 13);
		assert_string_equal(r.flags, cases[i].flags);
		if (r.check_verified != cases[i].verified)
			fail_msg("%s: check_verified = %d", cases[i].text, r.check_verified);
	}
}

static void
test_scan_product(void **state)
{
	struct scan_result r;

	(void)state;
	r = scan_ok("=<S1234A00");
	assert_int_equal(r.kind, SCAN_PRODUCT);
	assert_string_equal(r.product, "S1234A00");
	r = scan_ok("=<T0416003");
	assert_string_equal(r.product, "T0416003");
}

static void
test_scan_expiry(void **state)
{
	static const struct {
		const char *text;
		const char *expiry;
		int y, m, d, minute;
	} cases[] = {
		/* ST-012 v1.4.0 6.2: the same product's SEC says 20181231. */
		{ "&>0183652359", "2018-12-31 23:59", 2018, 12, 31, 1439 },
		/* ST-001 Appendix C: "0180292359" printed as 29 JAN 2018. */
		{ "&>0180292359", "2018-01-29 23:59", 2018, 1, 29, 1439 },
		{ "&>0260010000", "2026-01-01 00:00", 2026, 1, 1, 0 },
		{ "&>0263651200", "2026-12-31 12:00", 2026, 12, 31, 720 },
		{ "&>0260601430", "2026-03-01 14:30", 2026, 3, 1, 870 },
		{ "&>0280601430", "2028-02-29 14:30", 2028, 2, 29, 870 }, /* leap year */
		{ "&>0283662359", "2028-12-31 23:59", 2028, 12, 31, 1439 },
		{ "&>0003660800", "2000-12-31 08:00", 2000, 12, 31, 480 },
		{ "&>1000010000", "2100-01-01 00:00", 2100, 1, 1, 0 },
		{ "&>9993652359", "2999-12-31 23:59", 2999, 12, 31, 1439 },
	};
	struct scan_result r;
	size_t i;

	(void)state;
	for (i = 0; i < LEN(cases); i++) {
		r = scan_ok(cases[i].text);
		assert_int_equal(r.kind, SCAN_EXPIRY);
		assert_string_equal(r.expiry, cases[i].expiry);
		assert_int_equal(r.day.year, cases[i].y);
		assert_int_equal(r.day.month, cases[i].m);
		assert_int_equal(r.day.day, cases[i].d);
		assert_int_equal(r.minute, cases[i].minute);
	}
}

static void
test_scan_lot_and_code(void **state)
{
	static const char *const codes[] = {
		"CB-2026-0001",  /* a local lot code */
		"MRN0000123",    /* a wristband */
		"0001234567",    /* a numeric MRN */
		"1234567890123", /* 13 digits: an MRN, not a DIN without check */
		"12/345.6-a",
		"x",
		"G123498654321h", /* small h: not the printed DIN */
		"L1234567890123456789012345678901",
	};
	struct scan_result r;
	size_t i;

	(void)state;
	r = scan_ok("G123426000001-S1234A00");
	assert_int_equal(r.kind, SCAN_LOT);
	assert_string_equal(r.din, "G123426000001");
	assert_string_equal(r.product, "S1234A00");
	assert_string_equal(r.code, "G123426000001-S1234A00");
	assert_false(r.check_verified);
	for (i = 0; i < LEN(codes); i++) {
		r = scan_ok(codes[i]);
		if (r.kind != SCAN_CODE)
			fail_msg("\"%s\" read as kind %d, not a code", codes[i], (int)r.kind);
		assert_string_equal(r.code, codes[i]);
	}
}

static void
test_scan_trimmed(void **state)
{
	static const char *const bursts[] = {
		"=G12349865432177\r\n",
		"=G12349865432177\r",
		"=G12349865432177\n",
		"=G12349865432177\t",
		"=G12349865432177 \r\n",
		"  =G12349865432177",
		" G1234 98 654321 H\r\n",
	};
	struct scan_result r;
	size_t i;

	(void)state;
	for (i = 0; i < LEN(bursts); i++) {
		r = scan_ok(bursts[i]);
		assert_int_equal(r.kind, SCAN_DIN);
		assert_string_equal(r.din, "G123498654321");
	}
	r = scan_ok("MRN0000123\r\n");
	assert_string_equal(r.code, "MRN0000123");
	r = scan_ok("&>0263651200\t");
	assert_string_equal(r.expiry, "2026-12-31 12:00");
}

static void
test_scan_refused(void **state)
{
	static const struct {
		const char *text;
		size_t len; /* 0: strlen */
		const char *says;
	} cases[] = {
		/* check characters */
		{ "G123498654321K", 0, "check character should be H but the scan has K" },
		{ "G1234 98 654321 K", 0, "check character should be H but the scan has K" },
		{ "G123498654322H", 0, "should be " },           /* a misread digit */
		{ "A999917345628O", 0, "should be * but the scan has O" },
		/* 14 digits read as a DIN and its check (see isbt.h): a numeric
		 * MRN of that length is refused unless its last digit fits. */
		{ "12345678901234", 0, "should be C but the scan has 4" },
		{ "=G12349865432180", 0, "should be H (flags 77) but the barcode's flags 80"
		    " give K" },
		{ "=G12349865432260", 0, "check character should be" },
		/* truncated or too long */
		{ "G1234 98 65432 H", 0, "has 12 characters, not 13: the scan was cut short" },
		{ "G1234 98 654321", 0, "without its check character" },
		{ "G123498654321", 0, "without its check character" },
		{ "G1234 98 6543210 H", 0, "has 14 characters, not 13" },
		{ "=G123498654321", 0, "has 13 characters after '=', not 15" },
		{ "=G1234986543217", 0, "the scan was cut short" },
		{ "=G1234986543217700", 0, "were several barcodes read at once" },
		{ "=<S1234A0", 0, "has 7 characters after =<, not 8: the scan was cut short" },
		{ "=<S1234A00=<S1234A00", 0, "were several barcodes read at once" },
		{ "&>026365120", 0, "has 9 characters after &>, not 10" },
		{ "&>02636512000", 0, "were several barcodes read at once" },
		{ "=", 0, "the barcode was not read" },
		{ "L12345678901234567890123456789012", 0, "has 33 characters" },
		/* invalid contents */
		{ "=G123498654321I0", 0, "flag characters 'I0' are not ISBT 128 flags" },
		{ "=G1234A8654321A0", 0, "the DIN in this barcode (G1234A8654321) is not valid" },
		{ "=O12349865432100", 0, "never starts with 0 or O" },
		{ "=<S12A4A00", 0, "=< product code 'S12A4A00' is not valid" },
		{ "G123426000001-S1234A0X", 0, "its product code S1234A0X is not valid" },
		{ "O123426000001-S1234A00", 0, "its DIN O123426000001 is not valid" },
		/* data structures celldesk does not read */
		{ "=%5100", 0, "does not read (data identifier =%)" },
		{ "=>018365", 0, "does not read (data identifier =>)" },
		{ "&(N0001", 0, "does not read (data identifier &()" },
		{ "&a12345", 0, "does not read (data identifier &a)" },
		/* dates */
		{ "&>0263661200", 0, "&> expiry 0263661200: day 366 does not exist in 2026" },
		{ "&>1003660000", 0, "day 366 does not exist in 2100" }, /* not a leap year */
		{ "&>0260001200", 0, "day 000 does not exist" },
		{ "&>0269991200", 0, "day 999 does not exist in 2026" },
		{ "&>0263652400", 0, "hour 24 does not exist" },
		{ "&>0263652360", 0, "minute 60 does not exist" },
		{ "&>02636512O0", 0, "only digits follow &>" },
		/* nothing, or not text */
		{ "", 0, "the scan is empty" },
		{ "   ", 0, "only spaces or line ends" },
		{ "\r\n", 0, "only spaces or line ends" },
		{ " \t\r\n ", 0, "only spaces or line ends" },
		{ "=G12349865\0" "432177", 16, "invisible control character (character 11)" },
		{ "MRN\x1b[31m", 0, "invisible control character" },
		{ "\tMRN0000123", 0, "invisible control character" },
		{ "=G12349865432177\r\n=<S1234A00", 0, "line break" },
		{ "MRN\xc3\xa9", 0, "not plain ASCII" },
		/* not a code at all */
		{ "MRN 0000123", 0, "not a barcode celldesk knows (ISBT 128 DIN, product code or"
		    " expiry, a lot number or a wristband MRN)" },
		{ "lot#12", 0, "not a barcode celldesk knows" },
		{ "G1234  98 654321 H", 0, "not a barcode celldesk knows" },
	};
	struct scan_result r, before;
	struct cd_err err;
	size_t i, len, j;

	(void)state;
	for (i = 0; i < LEN(cases); i++) {
		len = cases[i].len ? cases[i].len : strlen(cases[i].text);
		memset(&r, 0x5a, sizeof r);
		before = r;
		memset(&err, 0, sizeof err);
		if (scan_parse(cases[i].text, len, &r, &err) != CD_EDATA)
			fail_msg("case %zu (\"%s\") was not refused", i, cases[i].text);
		assert_int_equal(err.status, CD_EDATA);
		if (strstr(err.msg, cases[i].says) == NULL)
			fail_msg("case %zu: \"%s\" does not say \"%s\"", i, err.msg, cases[i].says);
		/* A sentence a terminal may print as it is, and the result untouched. */
		for (j = 0; err.msg[j] != '\0'; j++) {
			if ((unsigned char)err.msg[j] < 0x20 || (unsigned char)err.msg[j] >= 0x7f)
				fail_msg("case %zu: the message holds byte 0x%02x", i,
				    (unsigned char)err.msg[j]);
		}
		assert_memory_equal(&r, &before, sizeof r);
	}
}

/* The parser reads len bytes and no more: the text need not end in NUL,
 * and what follows len does not count. */
static void
test_scan_respects_len(void **state)
{
	static const char din[] = "=G12349865432177";
	struct scan_result r;
	struct cd_err err;
	char *exact;

	(void)state;
	/* An exact-size copy without a terminator (a sanitizer build sees
	 * any read past it). */
	exact = malloc(sizeof din - 1);
	assert_non_null(exact);
	memcpy(exact, din, sizeof din - 1);
	assert_int_equal(scan_parse(exact, sizeof din - 1, &r, &err), CD_OK);
	assert_string_equal(r.din, "G123498654321");
	assert_string_equal(r.flags, "77");
	free(exact);
	/* Cut at len: the check character after the 13th is not seen. */
	assert_int_equal(scan_parse("G123498654321H", 13, &r, &err), CD_EDATA);
	assert_non_null(strstr(err.msg, "without its check character"));
	/* And what lies beyond len is ignored. */
	assert_int_equal(scan_parse("=<S1234A00garbage", 10, &r, &err), CD_OK);
	assert_string_equal(r.product, "S1234A00");
	assert_int_equal(scan_parse("MRN0000123", 0, &r, &err), CD_EDATA);
	assert_non_null(strstr(err.msg, "empty"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_vectors),
		cmocka_unit_test(test_check_bad_characters),
		cmocka_unit_test(test_check_catches_single_errors),
		cmocka_unit_test(test_din_valid),
		cmocka_unit_test(test_product_valid),
		cmocka_unit_test(test_din_format_printed),
		cmocka_unit_test(test_lot_code_accepted),
		cmocka_unit_test(test_lot_code_refused),
		cmocka_unit_test(test_scan_din_printed),
		cmocka_unit_test(test_scan_din_barcode),
		cmocka_unit_test(test_scan_product),
		cmocka_unit_test(test_scan_expiry),
		cmocka_unit_test(test_scan_lot_and_code),
		cmocka_unit_test(test_scan_trimmed),
		cmocka_unit_test(test_scan_refused),
		cmocka_unit_test(test_scan_respects_len),
	};

	unit_fixed_env();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
