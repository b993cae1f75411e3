/* test_roles.c - role names and the permission table (src/core/roles.c). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/roles.h"
#include "unit_util.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

static void
test_roles_parse(void **state)
{
	static const struct {
		const char *s;
		unsigned mask;
		const char *canonical;
	} cases[] = {
		{ "frontdesk", ROLE_FRONTDESK, "frontdesk" },
		{ "lab", ROLE_LAB, "lab" },
		{ "clinician", ROLE_CLINICIAN, "clinician" },
		{ "admin", ROLE_ADMIN, "admin" },
		{ "frontdesk,lab", ROLE_FRONTDESK | ROLE_LAB, "frontdesk,lab" },
		{ "admin,frontdesk", ROLE_FRONTDESK | ROLE_ADMIN, "frontdesk,admin" },
		{ "lab,clinician", ROLE_LAB | ROLE_CLINICIAN, "lab,clinician" },
		{ "lab,lab", ROLE_LAB, "lab" },
		{ "admin,clinician,lab,frontdesk", ROLE_ANY, "frontdesk,lab,clinician,admin" },
	};
	struct cd_err err;
	unsigned mask, again;
	char buf[64];
	size_t i;

	(void)state;
	for (i = 0; i < LEN(cases); i++) {
		mask = 0xdead;
		if (roles_parse(cases[i].s, &mask, &err) != CD_OK)
			fail_msg("\"%s\" refused: %s", cases[i].s, err.msg);
		assert_int_equal(mask, cases[i].mask);
		roles_format(mask, buf, sizeof buf);
		assert_string_equal(buf, cases[i].canonical);
		/* the canonical text reads back to the same roles */
		assert_int_equal(roles_parse(buf, &again, &err), CD_OK);
		assert_int_equal(again, mask);
	}
}

static void
test_roles_parse_refused(void **state)
{
	static const struct {
		const char *s, *named;
	} cases[] = {
		{ "nurse", "'nurse'" },
		{ "frontdesk,surgeon", "'surgeon'" },
		{ "Admin", "'Admin'" },
		{ "ADMIN", "'ADMIN'" },
		{ "admin ", "'admin '" },
		{ " lab", "' lab'" },
		{ "lab,", "''" },
		{ ",lab", "''" },
		{ "lab,,admin", "''" },
		{ "", "''" },
		{ "administrator", "'administrator'" },
		{ "adm", "'adm'" },
	};
	struct cd_err err;
	unsigned mask;
	size_t i;

	(void)state;
	for (i = 0; i < LEN(cases); i++) {
		memset(&err, 0, sizeof err);
		mask = 0xdead;
		if (roles_parse(cases[i].s, &mask, &err) != CD_USAGE)
			fail_msg("\"%s\" accepted", cases[i].s);
		if (strstr(err.msg, cases[i].named) == NULL)
			fail_msg("\"%s\": the message does not name %s: %s", cases[i].s,
			    cases[i].named, err.msg);
		/* and lists the roles there are */
		assert_non_null(strstr(err.msg, "frontdesk, lab, clinician, admin"));
		assert_int_equal(mask, 0xdead);
	}
}

static void
test_roles_format(void **state)
{
	char buf[64], tiny[6];

	(void)state;
	roles_format(0, buf, sizeof buf);
	assert_string_equal(buf, "");
	roles_format(ROLE_ANY, buf, sizeof buf);
	assert_string_equal(buf, "frontdesk,lab,clinician,admin");
	roles_format(ROLE_CLINICIAN | ROLE_ADMIN, buf, sizeof buf);
	assert_string_equal(buf, "clinician,admin");
	/* a short buffer is cut, never overrun */
	memset(tiny, 'Z', sizeof tiny);
	roles_format(ROLE_ANY, tiny, 4);
	assert_string_equal(tiny, "fro");
	assert_int_equal(tiny[4], 'Z');
}

/* The permission table, as the clinic's staff would state it. */
static void
test_roles_permissions(void **state)
{
	static const struct {
		unsigned roles;
		enum cd_action action;
		bool may;
	} cases[] = {
		/* lab staff */
		{ ROLE_LAB, ACT_PATIENT_VIEW, true },
		{ ROLE_LAB, ACT_PATIENT_EDIT, false },
		{ ROLE_LAB, ACT_STAFF_VIEW, true },
		{ ROLE_LAB, ACT_STAFF_MANAGE, false },
		{ ROLE_LAB, ACT_SITE_VIEW, true },
		{ ROLE_LAB, ACT_SITE_MANAGE, false },
		{ ROLE_LAB, ACT_AUDIT, false },
		{ ROLE_LAB, ACT_BACKUP, false },
		{ ROLE_LAB, ACT_MIGRATE, false },
		{ ROLE_LAB, ACT_DEMO, false },
		/* front desk */
		{ ROLE_FRONTDESK, ACT_PATIENT_VIEW, true },
		{ ROLE_FRONTDESK, ACT_PATIENT_EDIT, true },
		{ ROLE_FRONTDESK, ACT_STAFF_VIEW, true },
		{ ROLE_FRONTDESK, ACT_STAFF_MANAGE, false },
		{ ROLE_FRONTDESK, ACT_SITE_MANAGE, false },
		{ ROLE_FRONTDESK, ACT_AUDIT, false },
		{ ROLE_FRONTDESK, ACT_BACKUP, false },
		{ ROLE_FRONTDESK, ACT_MIGRATE, false },
		{ ROLE_FRONTDESK, ACT_DEMO, false },
		/* clinicians */
		{ ROLE_CLINICIAN, ACT_PATIENT_EDIT, true },
		{ ROLE_CLINICIAN, ACT_STAFF_MANAGE, false },
		{ ROLE_CLINICIAN, ACT_AUDIT, false },
		/* two roles: the union */
		{ ROLE_LAB | ROLE_CLINICIAN, ACT_PATIENT_EDIT, true },
		{ ROLE_LAB | ROLE_FRONTDESK, ACT_AUDIT, false },
		/* cell lots: the lab releases, a clinician administers */
		{ ROLE_LAB, ACT_LOT_RELEASE, true },
		{ ROLE_CLINICIAN, ACT_LOT_RELEASE, false },
		{ ROLE_CLINICIAN, ACT_LOT_ADMINISTER, true },
		{ ROLE_LAB, ACT_LOT_ADMINISTER, false },
		{ ROLE_FRONTDESK, ACT_LOT_MANAGE, false },
		{ ROLE_FRONTDESK, ACT_LOT_RESERVE, true },
		{ ROLE_FRONTDESK, ACT_LOT_VIEW, true },
		/* no role: nothing */
		{ 0, ACT_PATIENT_VIEW, false },
		{ 0, ACT_STAFF_VIEW, false },
		{ 0, ACT_SITE_VIEW, false },
	};
	size_t i;
	int a;

	(void)state;
	for (i = 0; i < LEN(cases); i++) {
		if (roles_may(cases[i].roles, cases[i].action) != cases[i].may)
			fail_msg("roles %#x, action %d: may = %d, want %d", cases[i].roles,
			    cases[i].action, !cases[i].may, cases[i].may);
	}
	/* an admin may do everything, alone or with other roles, except the
	 * signed clinical acts: a release needs the lab's role and an
	 * administration a clinician's, whoever else holds admin */
	for (a = 0; a < ACT__COUNT; a++) {
		bool clinical_act = a == ACT_LOT_RELEASE || a == ACT_LOT_ADMINISTER;

		if (roles_may(ROLE_ADMIN, (enum cd_action)a) == clinical_act)
			fail_msg("admin %s do action %d (%s)", clinical_act ? "may" : "may not", a,
			    roles_action_words((enum cd_action)a));
		assert_true(roles_may(ROLE_ANY, (enum cd_action)a));
		assert_true(((roles_for((enum cd_action)a) & ROLE_ADMIN) != 0) != clinical_act);
		/* every action has words for refusals */
		assert_non_null(roles_action_words((enum cd_action)a));
		assert_true(strlen(roles_action_words((enum cd_action)a)) > 0);
	}
}

static void
test_roles_for(void **state)
{
	char buf[64];

	(void)state;
	roles_format(roles_for(ACT_PATIENT_EDIT), buf, sizeof buf);
	assert_string_equal(buf, "frontdesk,clinician,admin");
	roles_format(roles_for(ACT_STAFF_MANAGE), buf, sizeof buf);
	assert_string_equal(buf, "admin");
	roles_format(roles_for(ACT_AUDIT), buf, sizeof buf);
	assert_string_equal(buf, "admin");
	assert_int_equal(roles_for(ACT_PATIENT_VIEW), ROLE_ANY);
	assert_string_equal(roles_action_words(ACT_PATIENT_EDIT), "add or change patients");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roles_parse),
		cmocka_unit_test(test_roles_parse_refused),
		cmocka_unit_test(test_roles_format),
		cmocka_unit_test(test_roles_permissions),
		cmocka_unit_test(test_roles_for),
	};

	unit_fixed_env();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
