/* test_tz.c - time zone names checked against the system tz database
 * (src/core/tz.c). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "core/tz.h"
#include "unit_util.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

static void
test_tz_accepted(void **state)
{
	static const char *const zones[] = { "Europe/Kyiv", "Europe/Berlin",
		"America/New_York", "UTC", "Asia/Tokyo", "America/Argentina/Buenos_Aires",
		"Etc/GMT+5" };
	struct cd_err err;
	size_t i;

	(void)state;
	for (i = 0; i < LEN(zones); i++) {
		memset(&err, 0, sizeof err);
		if (tz_check("--tz", zones[i], &err) != CD_OK)
			fail_msg("%s refused: %s", zones[i], err.msg);
	}
}

static void
test_tz_refused(void **state)
{
	static const struct {
		const char *zone, *why;
	} cases[] = {
		{ "Europe/Atlantis", "no such zone" },
		{ "../../etc/passwd", "path traversal" },
		{ "Europe/../../../etc/passwd", "path traversal inside" },
		{ "/etc/passwd", "absolute path" },
		{ "/usr/share/zoneinfo/Europe/Kyiv", "absolute path to a real zone" },
		{ "Europe", "a directory" },
		{ "America", "a directory" },
		{ "", "empty" },
		{ "Europe/Kyiv ", "trailing space" },
		{ " Europe/Kyiv", "leading space" },
		{ "Europe/Kyiv/", "trailing slash" },
		{ "Europe/Kyiv\n", "newline" },
		{ "Europe\\Kyiv", "backslash" },
		{ "Europe/Kyiv;rm -rf /", "shell text" },
		{ "Europe/Kyïv", "non-ASCII" },
		{ "zone.tab", "a data file of the tz database, not a zone" },
		{ "tzdata.zi", "a data file of the tz database, not a zone" },
		{ "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "too long" },
	};
	struct cd_err err;
	enum cd_status st;
	size_t i;

	(void)state;
	for (i = 0; i < LEN(cases); i++) {
		memset(&err, 0, sizeof err);
		st = tz_check("--tz", cases[i].zone, &err);
		if (st != CD_USAGE)
			fail_msg("'%s' (%s): status %d, want CD_USAGE", cases[i].zone, cases[i].why,
			    st);
		if (strncmp(err.msg, "--tz", 4) != 0)
			fail_msg("'%s': the message does not name the field: %s", cases[i].zone,
			    err.msg);
		if (strstr(err.msg, "Europe/") == NULL)
			fail_msg("'%s': the message gives no example of a zone name: %s",
			    cases[i].zone, err.msg);
	}
}

/* $TZDIR names the tz database when set: a zone only there is accepted,
 * a system zone missing there is refused. */
static void
test_tz_tzdir(void **state)
{
	static const char tzif[] = "TZif2\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";
	char *dir = unit_tmpdir(), *sub = unit_path(dir, "Mars"), *zone;
	struct cd_err err;

	(void)state;
	assert_int_equal(mkdir(sub, 0700), 0);
	zone = unit_path(sub, "Olympus_Mons");
	assert_true(unit_write(zone, tzif, sizeof tzif));
	setenv("TZDIR", dir, 1);
	assert_int_equal(tz_check("--tz", "Mars/Olympus_Mons", &err), CD_OK);
	assert_int_equal(tz_check("--tz", "Europe/Kyiv", &err), CD_USAGE);
	assert_non_null(strstr(err.msg, "Europe/Kyiv"));
	/* a file that is not TZif is not a zone */
	assert_true(unit_write(zone, "hello", 5));
	assert_int_equal(tz_check("--tz", "Mars/Olympus_Mons", &err), CD_USAGE);
	unsetenv("TZDIR");
	assert_int_equal(tz_check("--tz", "Europe/Kyiv", &err), CD_OK);
	unit_rmtree(dir);
	free(zone);
	free(sub);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tz_accepted),
		cmocka_unit_test(test_tz_refused),
		cmocka_unit_test(test_tz_tzdir),
	};

	unit_fixed_env();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
