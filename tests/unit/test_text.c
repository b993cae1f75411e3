/* test_text.c - UTF-8 decoding, the output sanitizer, display widths,
 * case folding and free-text field checks (src/core/text.c). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/strbuf.h"
#include "core/text.h"
#include "unit_util.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* --- utf8_decode --- */

static const struct {
	const char *what;
	const char *bytes;
	size_t n;          /* bytes available */
	size_t want_len;   /* 0: refused */
	uint32_t want_cp;
} decode_cases[] = {
	{ "ASCII letter", "A", 1, 1, 0x41 },
	{ "NUL byte", "\0", 1, 1, 0 },
	{ "DEL", "\x7f", 1, 1, 0x7F },
	{ "2-byte e acute", "\xC3\xA9", 2, 2, 0xE9 },
	{ "smallest 2-byte U+0080", "\xC2\x80", 2, 2, 0x80 },
	{ "Cyrillic O", "\xD0\x9E", 2, 2, 0x41E },
	{ "3-byte euro sign", "\xE2\x82\xAC", 3, 3, 0x20AC },
	{ "smallest 3-byte U+0800", "\xE0\xA0\x80", 3, 3, 0x800 },
	{ "last before surrogates U+D7FF", "\xED\x9F\xBF", 3, 3, 0xD7FF },
	{ "first after surrogates U+E000", "\xEE\x80\x80", 3, 3, 0xE000 },
	{ "U+FFFF", "\xEF\xBF\xBF", 3, 3, 0xFFFF },
	{ "4-byte emoji", "\xF0\x9F\x98\x80", 4, 4, 0x1F600 },
	{ "smallest 4-byte U+10000", "\xF0\x90\x80\x80", 4, 4, 0x10000 },
	{ "largest code point U+10FFFF", "\xF4\x8F\xBF\xBF", 4, 4, 0x10FFFF },
	{ "decodes only the first of two", "ab", 2, 1, 0x61 },
	{ "nothing available", "A", 0, 0, 0 },
	{ "overlong 2-byte slash C0 AF", "\xC0\xAF", 2, 0, 0 },
	{ "overlong 2-byte NUL C0 80", "\xC0\x80", 2, 0, 0 },
	{ "overlong 2-byte C1 BF", "\xC1\xBF", 2, 0, 0 },
	{ "overlong 3-byte E0 80 AF", "\xE0\x80\xAF", 3, 0, 0 },
	{ "overlong 3-byte U+07FF", "\xE0\x9F\xBF", 3, 0, 0 },
	{ "overlong 4-byte F0 80 80 AF", "\xF0\x80\x80\xAF", 4, 0, 0 },
	{ "overlong 4-byte U+FFFF", "\xF0\x8F\xBF\xBF", 4, 0, 0 },
	{ "high surrogate U+D800", "\xED\xA0\x80", 3, 0, 0 },
	{ "low surrogate U+DFFF", "\xED\xBF\xBF", 3, 0, 0 },
	{ "U+110000", "\xF4\x90\x80\x80", 4, 0, 0 },
	{ "F5 lead byte", "\xF5\x80\x80\x80", 4, 0, 0 },
	{ "FF byte", "\xFF", 1, 0, 0 },
	{ "FE byte", "\xFE", 1, 0, 0 },
	{ "lone continuation byte", "\x80", 1, 0, 0 },
	{ "truncated 2-byte", "\xC3", 1, 0, 0 },
	{ "truncated 3-byte (2 of 3)", "\xE2\x82", 2, 0, 0 },
	{ "truncated 3-byte (n too small)", "\xE2\x82\xAC", 2, 0, 0 },
	{ "truncated 4-byte (3 of 4)", "\xF0\x9F\x98", 3, 0, 0 },
	{ "3-byte with ASCII inside", "\xE2\x41\xAC", 3, 0, 0 },
	{ "4-byte with bad last byte", "\xF0\x9F\x98\x41", 4, 0, 0 },
	{ "2-byte followed by lead byte", "\xC3\xC3", 2, 0, 0 },
};

static void
test_utf8_decode(void **state)
{
	size_t i, got;
	uint32_t cp;

	(void)state;
	for (i = 0; i < LEN(decode_cases); i++) {
		cp = 0xDEADBEEF;
		got = utf8_decode(decode_cases[i].bytes, decode_cases[i].n, &cp);
		if (got != decode_cases[i].want_len)
			fail_msg("%s: length %zu, want %zu", decode_cases[i].what, got,
			    decode_cases[i].want_len);
		if (got != 0 && cp != decode_cases[i].want_cp)
			fail_msg("%s: U+%04X, want U+%04X", decode_cases[i].what, (unsigned)cp,
			    (unsigned)decode_cases[i].want_cp);
	}
}

static void
test_utf8_valid(void **state)
{
	static const struct {
		const char *s;
		bool valid;
	} cases[] = {
		{ "", true },
		{ "plain ASCII", true },
		{ "Олена Коваленко", true },
		{ "Jürgen Groß", true },
		{ "王小明", true },
		{ "smile \xF0\x9F\x98\x80", true },
		{ "bad \xC0\xAF", false },
		{ "surrogate \xED\xA0\x80 here", false },
		{ "truncated at end \xE2\x82", false },
		{ "latin-1 M\xFCller", false },
	};
	size_t i;

	(void)state;
	for (i = 0; i < LEN(cases); i++) {
		if (utf8_valid(cases[i].s, strlen(cases[i].s)) != cases[i].valid)
			fail_msg("utf8_valid(\"%s\") should be %d", cases[i].s, cases[i].valid);
	}
}

/* --- text_sanitize --- */

static const struct {
	const char *what;
	const char *in;
	size_t n; /* 0: strlen */
	const char *want;
} sanitize_cases[] = {
	{ "plain ASCII", "Room 1", 0, "Room 1" },
	{ "empty", "", 0, "" },
	{ "ESC of a colour sequence", "\x1b[31mred", 0, "\\x1b[31mred" },
	{ "clear-screen sequence", "\x1b[2J\x1b[H", 0, "\\x1b[2J\\x1b[H" },
	{ "BEL", "ding\a", 0, "ding\\x07" },
	{ "newline and tab", "a\nb\tc", 0, "a\\x0ab\\x09c" },
	{ "carriage return", "over\rwrite", 0, "over\\x0dwrite" },
	{ "DEL", "x\x7fy", 0, "x\\x7fy" },
	{ "C1 CSI U+009B", "\xC2\x9B" "31m", 0, "\\x9b31m" },
	{ "right-to-left override U+202E", "abc\xE2\x80\xAE" "fdp.exe", 0,
	    "abc\\u202efdp.exe" },
	{ "left-to-right mark U+200E", "\xE2\x80\x8E", 0, "\\u200e" },
	{ "first strong isolate U+2068", "\xE2\x81\xA8x", 0, "\\u2068x" },
	{ "pop directional isolate U+2069", "\xE2\x81\xA9", 0, "\\u2069" },
	{ "Arabic letter mark U+061C", "\xD8\x9C", 0, "\\u061c" },
	{ "invalid byte", "M\xFCller", 0, "M\\xfcller" },
	{ "overlong sequence, byte by byte", "\xC0\xAF", 0, "\\xc0\\xaf" },
	{ "surrogate, byte by byte", "\xED\xA0\x80", 0, "\\xed\\xa0\\x80" },
	{ "truncated at the end", "ok\xE2\x82", 0, "ok\\xe2\\x82" },
	{ "backslash doubled", "C:\\temp\\x1b", 0, "C:\\\\temp\\\\x1b" },
	{ "NUL inside the given length", "a\0b", 3, "a\\x00b" },
	{ "Cyrillic untouched", "Олена Коваленко", 0, "Олена Коваленко" },
	{ "CJK untouched", "王小明 東京", 0, "王小明 東京" },
	{ "umlauts untouched", "Jürgen Groß ÄÖÜ", 0, "Jürgen Groß ÄÖÜ" },
	{ "emoji untouched", "\xF0\x9F\x98\x80", 0, "\xF0\x9F\x98\x80" },
	{ "Hebrew and Arabic letters untouched", "שלום سلام", 0, "שלום سلام" },
};

static void
test_text_sanitize(void **state)
{
	struct strbuf b = STRBUF_INIT;
	size_t i, n;

	(void)state;
	for (i = 0; i < LEN(sanitize_cases); i++) {
		strbuf_reset(&b);
		n = sanitize_cases[i].n ? sanitize_cases[i].n : strlen(sanitize_cases[i].in);
		text_sanitize(&b, sanitize_cases[i].in, n);
		if (strcmp(strbuf_str(&b), sanitize_cases[i].want) != 0)
			fail_msg("%s: got \"%s\", want \"%s\"", sanitize_cases[i].what,
			    strbuf_str(&b), sanitize_cases[i].want);
	}
	strbuf_free(&b);
}

/* Whatever goes in, nothing below U+0020, no DEL, no C1, no bidi control
 * and no invalid UTF-8 comes out. */
static void
test_text_sanitize_output_is_safe(void **state)
{
	struct strbuf b = STRBUF_INIT;
	char in[4];
	uint32_t cp;
	size_t k, off;
	unsigned v;

	(void)state;
	/* every 1- and 2-byte sequence */
	for (v = 0; v < 0x10000; v++) {
		in[0] = (char)(v >> 8);
		in[1] = (char)(v & 0xFF);
		strbuf_reset(&b);
		text_sanitize(&b, in, 2);
		assert_true(utf8_valid(b.s, b.len));
		for (off = 0; off < b.len; off += k) {
			k = utf8_decode(b.s + off, b.len - off, &cp);
			assert_true(k > 0);
			if (text_is_unsafe(cp))
				fail_msg("input %02x %02x: U+%04X reached the output", v >> 8,
				    v & 0xFF, (unsigned)cp);
		}
	}
	strbuf_free(&b);
}

static void
test_text_repair_utf8(void **state)
{
	struct strbuf b = STRBUF_INIT;

	(void)state;
	text_repair_utf8(&b, "M\xFCller \xE2\x82", 10);
	assert_string_equal(strbuf_str(&b), "M\xEF\xBF\xBDller \xEF\xBF\xBD\xEF\xBF\xBD");
	strbuf_reset(&b);
	text_repair_utf8(&b, "Олена", strlen("Олена"));
	assert_string_equal(strbuf_str(&b), "Олена");
	strbuf_free(&b);
}

/* --- text_width --- */

static void
test_text_width(void **state)
{
	static const struct {
		const char *s;
		size_t width;
	} cases[] = {
		{ "", 0 },
		{ "abc", 3 },
		{ "Олена", 5 },
		{ "Groß", 4 },
		{ "王", 2 },
		{ "王小明", 6 },
		{ "東京 Tokyo", 10 },
		{ "한국어", 6 },
		{ "ｆｕｌｌ", 8 },          /* fullwidth Latin */
		{ "e\xCC\x81", 1 },      /* e + combining acute accent */
		{ "\x1b", 4 },           /* shown as \x1b */
		{ "a\x1b[0m", 8 },       /* \x1b[0m */
		{ "\xE2\x80\xAE", 6 },   /* shown as \u202e */
		{ "\xFF", 4 },           /* shown as \xff */
		{ "\xC2\x9B", 4 },       /* C1, shown as \x9b */
	};
	size_t i, w;

	(void)state;
	for (i = 0; i < LEN(cases); i++) {
		w = text_width(cases[i].s);
		if (w != cases[i].width)
			fail_msg("text_width(\"%s\") = %zu, want %zu", cases[i].s, w,
			    cases[i].width);
	}
}

/* The columns an unsafe character or invalid byte takes are those of the
 * escape the sanitizer prints for it. */
static void
test_text_width_matches_sanitized(void **state)
{
	static const char *const inputs[] = { "\x1b[31m", "\x07", "\x7f", "\xC2\x85",
		"\xE2\x80\xAE", "\xE2\x81\xA6", "\xD8\x9C", "\xFE\xFF", "\xE2\x82", "王\x1b" };
	struct strbuf b = STRBUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < LEN(inputs); i++) {
		strbuf_reset(&b);
		text_sanitize(&b, inputs[i], strlen(inputs[i]));
		if (text_width(inputs[i]) != text_width(strbuf_str(&b)))
			fail_msg("input %zu: width %zu, its sanitized form \"%s\" is %zu wide", i,
			    text_width(inputs[i]), strbuf_str(&b), text_width(strbuf_str(&b)));
	}
	strbuf_free(&b);
}

/* --- text_fold --- */

static void
test_text_fold(void **state)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "", "" },
		{ "Smith", "smith" },
		{ "O'BRIEN", "o'brien" },
		{ "Олена", "олена" },
		{ "ОЛЕНА КОВАЛЕНКО", "олена коваленко" },
		{ "Ірина Їжак Єва Ґанна", "ірина їжак єва ґанна" },
		{ "Groß", "groß" },
		{ "GROß", "groß" },
		{ "ÄÖÜ", "äöü" },
		{ "Jürgen Schäfer", "jürgen schäfer" },
		{ "ΣΩΚΡΑΤΗΣ", "σωκρατησ" },
		{ "王小明", "王小明" },
		{ "MRN-0001/A", "mrn-0001/a" },
		{ "already lower", "already lower" },
	};
	struct strbuf b = STRBUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < LEN(cases); i++) {
		strbuf_reset(&b);
		text_fold(&b, cases[i].in);
		if (strcmp(strbuf_str(&b), cases[i].want) != 0)
			fail_msg("text_fold(\"%s\") = \"%s\", want \"%s\"", cases[i].in,
			    strbuf_str(&b), cases[i].want);
	}
	strbuf_free(&b);
}

/* Folding twice changes nothing more, and folding keeps UTF-8 valid. */
static void
test_text_fold_idempotent(void **state)
{
	static const char *const inputs[] = { "Олена Коваленко", "Jürgen Groß", "ÄÖÜ äöü",
		"ΣΩΚΡΑΤΗΣ", "İstanbul", "王小明", "Mixed Ünïcödé ТЕКСТ" };
	struct strbuf once = STRBUF_INIT, twice = STRBUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < LEN(inputs); i++) {
		strbuf_reset(&once);
		strbuf_reset(&twice);
		text_fold(&once, inputs[i]);
		text_fold(&twice, strbuf_str(&once));
		assert_true(utf8_valid(once.s, once.len));
		assert_string_equal(strbuf_str(&once), strbuf_str(&twice));
	}
	strbuf_free(&once);
	strbuf_free(&twice);
}

/* --- text_check_field --- */

enum expect { OK, BAD };

struct field_case {
	const char *what;
	const char *value; /* NULL: the 10,000-character value */
	size_t maxchars;
	unsigned rules;
	enum expect expect;
	const char *msg_part; /* must appear in the message when refused */
};

static const struct field_case field_cases[] = {
	{ "a name", "Олена Коваленко", 200, TEXT_REQUIRED, OK, NULL },
	{ "CJK name", "王小明", 200, TEXT_REQUIRED, OK, NULL },
	{ "empty, required", "", 200, TEXT_REQUIRED, BAD, "must not be empty" },
	{ "blank, required", "    ", 200, TEXT_REQUIRED, BAD, "must not be empty" },
	{ "blank lines, required note", " \n\t\n", 4000, TEXT_REQUIRED | TEXT_MULTILINE, BAD,
	    "must not be empty" },
	{ "empty, optional", "", 200, 0, OK, NULL },
	{ "exactly at the limit", "abcde", 5, 0, OK, NULL },
	{ "one over the limit", "abcdef", 5, 0, BAD, "6 characters" },
	{ "limit counts characters, not bytes", "Олена", 5, 0, OK, NULL },
	{ "CJK counts as one character each", "王小明王小", 5, 0, OK, NULL },
	{ "10,000 characters", NULL, 4000, TEXT_MULTILINE, BAD, "10000 characters" },
	{ "10,000 characters allowed when the limit is 10,000", NULL, 10000, 0, OK, NULL },
	{ "ESC", "name\x1b[2J", 200, 0, BAD, "control character" },
	{ "BEL", "a\ab", 200, 0, BAD, "U+0007" },
	{ "DEL", "a\x7f", 200, 0, BAD, "U+007F" },
	{ "C1", "a\xC2\x9B", 200, 0, BAD, "U+009B" },
	{ "carriage return in a note", "line\r\n", 4000, TEXT_MULTILINE, BAD, "U+000D" },
	{ "newline in a one-line field", "two\nlines", 200, 0, BAD, "U+000A" },
	{ "tab in a one-line field", "a\tb", 200, 0, BAD, "U+0009" },
	{ "multiline note", "First visit.\n\tKnee pain, left.\nFollow up.", 4000,
	    TEXT_MULTILINE, OK, NULL },
	{ "invalid UTF-8", "M\xFCller", 200, 0, BAD, "not valid UTF-8" },
	{ "overlong slash", "a\xC0\xAF", 200, 0, BAD, "not valid UTF-8" },
	{ "surrogate", "\xED\xA0\x80", 200, 0, BAD, "not valid UTF-8" },
	{ "truncated", "ok\xE2\x82", 200, 0, BAD, "not valid UTF-8" },
	{ "bidi mark in an Arabic name", "\xE2\x80\x8F" "سلام", 200, TEXT_REQUIRED, OK, NULL },
	{ "bidi isolates", "\xE2\x81\xA7" "שלום\xE2\x81\xA9 Smith", 200, TEXT_REQUIRED, OK, NULL },
	{ "right-to-left override", "abc\xE2\x80\xAE", 200, 0, OK, NULL },
	{ "Arabic letter mark", "\xD8\x9C" "x", 200, 0, OK, NULL },
};

static void
test_text_check_field(void **state)
{
	struct cd_err err;
	enum cd_status st;
	char *big;
	size_t i;

	(void)state;
	big = malloc(10001);
	assert_non_null(big);
	memset(big, 'x', 10000);
	big[10000] = '\0';
	for (i = 0; i < LEN(field_cases); i++) {
		const struct field_case *c = &field_cases[i];

		memset(&err, 0, sizeof err);
		st = text_check_field("--notes", c->value ? c->value : big, c->maxchars,
		    c->rules, &err);
		if (c->expect == OK) {
			if (st != CD_OK)
				fail_msg("%s: refused (%s)", c->what, err.msg);
			continue;
		}
		if (st != CD_USAGE)
			fail_msg("%s: status %d, want CD_USAGE", c->what, st);
		if (strstr(err.msg, "--notes") == NULL)
			fail_msg("%s: the message does not name the field: %s", c->what, err.msg);
		if (strstr(err.msg, c->msg_part) == NULL)
			fail_msg("%s: the message lacks \"%s\": %s", c->what, c->msg_part, err.msg);
		if (err.status != CD_USAGE)
			fail_msg("%s: err.status %d", c->what, err.status);
	}
	free(big);
}

/* A message names whichever field it is about. */
static void
test_text_check_field_names_field(void **state)
{
	static const char *const fields[] = { "--name", "--condition", "site NAME" };
	struct cd_err err;
	size_t i;

	(void)state;
	for (i = 0; i < LEN(fields); i++) {
		assert_int_equal(text_check_field(fields[i], "", 10, TEXT_REQUIRED, &err), CD_USAGE);
		assert_non_null(strstr(err.msg, fields[i]));
		assert_int_equal(text_check_field(fields[i], "\x1b", 10, 0, &err), CD_USAGE);
		assert_non_null(strstr(err.msg, fields[i]));
	}
	/* NULL err is allowed */
	assert_int_equal(text_check_field("--name", "\x1b", 10, 0, NULL), CD_USAGE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_decode),
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_text_sanitize),
		cmocka_unit_test(test_text_sanitize_output_is_safe),
		cmocka_unit_test(test_text_repair_utf8),
		cmocka_unit_test(test_text_width),
		cmocka_unit_test(test_text_width_matches_sanitized),
		cmocka_unit_test(test_text_fold),
		cmocka_unit_test(test_text_fold_idempotent),
		cmocka_unit_test(test_text_check_field),
		cmocka_unit_test(test_text_check_field_names_field),
	};

	unit_fixed_env();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
