/* test_conf.c - the celldesk.conf(5) parser (src/core/conf_parse.c). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/conf_parse.h"
#include "core/strbuf.h"
#include "unit_util.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Collects settings as "section|key|value\n" lines. */
struct collect {
	struct strbuf out;
	int stop_after; /* 0: never stop */
	int calls;
};

static int
collect(void *ctx, const char *section, const char *key, const char *value)
{
	struct collect *c = ctx;

	strbuf_addf(&c->out, "%s|%s|%s\n", section, key, value);
	c->calls++;
	return c->stop_after != 0 && c->calls >= c->stop_after;
}

static void
test_conf_accepted(void **state)
{
	static const struct {
		const char *what, *text, *want;
	} cases[] = {
		{ "empty file", "", "" },
		{ "one setting", "db = /srv/clinic.db\n", "|db|/srv/clinic.db\n" },
		{ "no final newline", "db = /srv/clinic.db", "|db|/srv/clinic.db\n" },
		{ "no spaces", "db=/x", "|db|/x\n" },
		{ "tabs and spaces around", "\t db \t=\t /x \t\n", "|db|/x\n" },
		{ "empty value", "db =\n", "|db|\n" },
		{ "value with = inside", "url = https://lab/x?a=b\n", "|url|https://lab/x?a=b\n" },
		{ "value with spaces inside", "name = Kyiv clinic\n", "|name|Kyiv clinic\n" },
		{ "quoted value keeps spaces", "db = \"  /my files/clinic.db \"\n",
		    "|db|  /my files/clinic.db \n" },
		{ "quoted empty value", "db = \"\"\n", "|db|\n" },
		{ "quoted value with # and ;", "x = \"a # b ; c\"\n", "|x|a # b ; c\n" },
		{ "hash comment", "# the clinic's database\ndb = /x\n", "|db|/x\n" },
		{ "semicolon comment", "; old setting\ndb = /x\n", "|db|/x\n" },
		{ "indented comment", "   # note\n\t; note\ndb = /x\n", "|db|/x\n" },
		{ "blank lines", "\n\n   \n\t\ndb = /x\n\n", "|db|/x\n" },
		{ "section", "db = /x\n[lab]\nurl = http://l\n", "|db|/x\nlab|url|http://l\n" },
		{ "two sections", "[a]\nk = 1\n[b.c-d_e]\nk = 2\n", "a|k|1\nb.c-d_e|k|2\n" },
		{ "section with spaces inside brackets", "[ lab ]\nk = v\n", "lab|k|v\n" },
		{ "CRLF line ends", "# c\r\ndb = /x\r\n[lab]\r\nurl = \"u v\"\r\n",
		    "|db|/x\nlab|url|u v\n" },
		{ "CRLF blank line", "\r\ndb = /x\r\n", "|db|/x\n" },
		{ "key characters", "a.b-c_d9 = v\n", "|a.b-c_d9|v\n" },
		{ "UTF-8 value", "name = Олена Коваленко\n", "|name|Олена Коваленко\n" },
		{ "# after a value is part of it (comments take a whole line)",
		    "db = /x # old\n", "|db|/x # old\n" },
		{ "repeated key: both reported, in order", "db = /a\ndb = /b\n",
		    "|db|/a\n|db|/b\n" },
	};
	struct collect c;
	struct cd_err err;
	size_t i;

	(void)state;
	for (i = 0; i < LEN(cases); i++) {
		memset(&c, 0, sizeof c);
		memset(&err, 0, sizeof err);
		if (conf_parse(cases[i].text, strlen(cases[i].text), "celldesk.conf", collect, &c,
		    &err) != CD_OK)
			fail_msg("%s: refused: %s", cases[i].what, err.msg);
		if (strcmp(strbuf_str(&c.out), cases[i].want) != 0)
			fail_msg("%s: got\n%swant\n%s", cases[i].what, strbuf_str(&c.out),
			    cases[i].want);
		strbuf_free(&c.out);
	}
}

static void
test_conf_errors(void **state)
{
	static const struct {
		const char *what, *text;
		int line;
		const char *msg_part;
	} cases[] = {
		{ "no equals sign", "db /x\n", 1, "key = value" },
		{ "error on line 3", "# c\ndb = /x\njunk\n", 3, "key = value" },
		{ "line count with CRLF", "a = 1\r\n\r\n; c\r\nb\r\n", 4, "key = value" },
		{ "line count with blank lines", "\n\n\n\n[x\n", 5, "section" },
		{ "empty key", "= /x\n", 1, "not a setting name" },
		{ "key with a space", "data base = /x\n", 1, "'data base'" },
		{ "key with a quote", "\"db\" = /x\n", 1, "not a setting name" },
		{ "unclosed quote", "db = \"/x\n", 1, "not closed" },
		{ "lone quote", "db = \"\n", 1, "not closed" },
		{ "unclosed section", "[lab\n", 1, "section" },
		{ "empty section", "[]\n", 1, "section" },
		{ "section with a space", "[my lab]\n", 1, "'my lab'" },
		{ "section with text after", "[lab] x\n", 1, "section" },
		{ "a stray bracket", "db = /x\n  ]\n", 2, "key = value" },
	};
	struct collect c;
	struct cd_err err;
	char want[64];
	size_t i;

	(void)state;
	for (i = 0; i < LEN(cases); i++) {
		memset(&c, 0, sizeof c);
		memset(&err, 0, sizeof err);
		if (conf_parse(cases[i].text, strlen(cases[i].text), "/etc/celldesk/celldesk.conf",
		    collect, &c, &err) != CD_EDATA)
			fail_msg("%s: accepted", cases[i].what);
		snprintf(want, sizeof want, "/etc/celldesk/celldesk.conf, line %d:", cases[i].line);
		if (strncmp(err.msg, want, strlen(want)) != 0)
			fail_msg("%s: message \"%s\" does not start with \"%s\"", cases[i].what,
			    err.msg, want);
		if (strstr(err.msg, cases[i].msg_part) == NULL)
			fail_msg("%s: message \"%s\" lacks \"%s\"", cases[i].what, err.msg,
			    cases[i].msg_part);
		assert_int_equal(err.status, CD_EDATA);
		strbuf_free(&c.out);
	}
}

/* A file that is not UTF-8 text is refused as a whole, naming it, before
 * any setting is handed over. */
static void
test_conf_not_utf8(void **state)
{
	static const struct {
		const char *text;
		size_t len;
	} cases[] = {
		{ "db = /home/m\xFCller/clinic.db\n", 0 },     /* Latin-1 */
		{ "db = /x\nname = \xC0\xAF\n", 0 },            /* overlong */
		{ "db = /x\nname = \xED\xA0\x80\n", 0 },        /* surrogate */
		{ "db = /x\nname = \xE2\x82", 0 },              /* truncated at the end */
		{ "\xFF\xFE" "d\0b\0 \0=\0", 10 },             /* UTF-16 */
		{ "db = /x\0\nname = y\n", 17 },               /* NUL byte */
	};
	struct collect c;
	struct cd_err err;
	size_t i, len;

	(void)state;
	for (i = 0; i < LEN(cases); i++) {
		memset(&c, 0, sizeof c);
		memset(&err, 0, sizeof err);
		len = cases[i].len ? cases[i].len : strlen(cases[i].text);
		if (conf_parse(cases[i].text, len, "/home/m/.config/celldesk/config", collect, &c,
		    &err) != CD_EDATA)
			fail_msg("case %zu accepted", i);
		assert_non_null(strstr(err.msg, "/home/m/.config/celldesk/config"));
		assert_non_null(strstr(err.msg, "UTF-8"));
		assert_int_equal(c.calls, 0);
		strbuf_free(&c.out);
	}
}

/* The text need not be NUL-terminated: only len bytes are read. */
static void
test_conf_length(void **state)
{
	static const char text[] = "db = /x\nthis line is beyond len\n";
	struct collect c;
	struct cd_err err;

	(void)state;
	memset(&c, 0, sizeof c);
	assert_int_equal(conf_parse(text, 8, "f", collect, &c, &err), CD_OK);
	assert_string_equal(strbuf_str(&c.out), "|db|/x\n");
	strbuf_free(&c.out);
	memset(&c, 0, sizeof c);
	assert_int_equal(conf_parse(text, 5, "f", collect, &c, &err), CD_OK);
	assert_string_equal(strbuf_str(&c.out), "|db|\n");
	strbuf_free(&c.out);
}

/* A callback that returns non-zero stops the parse, which succeeds
 * without looking at the rest. */
static void
test_conf_stop_early(void **state)
{
	static const char text[] = "a = 1\nb = 2\nbroken line\n";
	struct collect c;
	struct cd_err err;

	(void)state;
	memset(&c, 0, sizeof c);
	c.stop_after = 1;
	assert_int_equal(conf_parse(text, strlen(text), "f", collect, &c, &err), CD_OK);
	assert_string_equal(strbuf_str(&c.out), "|a|1\n");
	strbuf_free(&c.out);
	/* without stopping, the broken line is reported */
	memset(&c, 0, sizeof c);
	assert_int_equal(conf_parse(text, strlen(text), "f", collect, &c, &err), CD_EDATA);
	assert_non_null(strstr(err.msg, "line 3"));
	assert_int_equal(c.calls, 2);
	strbuf_free(&c.out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conf_accepted),
		cmocka_unit_test(test_conf_errors),
		cmocka_unit_test(test_conf_not_utf8),
		cmocka_unit_test(test_conf_length),
		cmocka_unit_test(test_conf_stop_early),
	};

	unit_fixed_env();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
