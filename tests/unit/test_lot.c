/* test_lot.c - the pure rules of a cell lot (src/core/lot.c): statuses and
 * the steps between them, QC limits, the release gate, lot codes that must
 * not name the patient, and the numbers the lab types. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/lot.h"
#include "unit_util.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* A canonical ISBT 128 lot code, as stored in lots.code. */
#define CODE "G123426000001-S1234A00"

/* The words written here from LOTS.md, not taken from lot.c. */
static const char *const status_words[LOT__STATUSES] = {
	[LOT_COLLECTED] = "collected",
	[LOT_IN_PROCESSING] = "in-processing",
	[LOT_QUARANTINE] = "quarantine",
	[LOT_RELEASED] = "released",
	[LOT_RESERVED] = "reserved",
	[LOT_ISSUED] = "issued",
	[LOT_ADMINISTERED] = "administered",
	[LOT_DISCARDED] = "discarded",
};
static const char *const step_words[LOT__STEPS] = {
	[LOT_RECEIVE] = "receive",
	[LOT_STORE] = "store",
	[LOT_RELEASE] = "release",
	[LOT_RESERVE] = "reserve",
	[LOT_ISSUE] = "issue",
	[LOT_ADMINISTER] = "administer",
	[LOT_RETURN] = "return",
	[LOT_DISCARD] = "discard",
};

/* --- statuses and steps --- */

#define NO (-1) /* the step is refused */

/* The table of LOTS.md "Lot status", written out by hand: expected[from][step]
 * is the status the lot ends in, or NO. */
static int expected[LOT__STATUSES][LOT__STEPS];

static void
build_expected(void)
{
	int s, t;

	for (s = 0; s < LOT__STATUSES; s++)
		for (t = 0; t < LOT__STEPS; t++)
			expected[s][t] = NO;
	/* The forward chain. */
	expected[LOT_COLLECTED][LOT_RECEIVE] = LOT_IN_PROCESSING;
	expected[LOT_IN_PROCESSING][LOT_STORE] = LOT_QUARANTINE;
	expected[LOT_QUARANTINE][LOT_RELEASE] = LOT_RELEASED;
	expected[LOT_RELEASED][LOT_RESERVE] = LOT_RESERVED;
	expected[LOT_RESERVED][LOT_ISSUE] = LOT_ISSUED;
	expected[LOT_ISSUED][LOT_ADMINISTER] = LOT_ADMINISTERED;
	/* Back to stock. */
	expected[LOT_RESERVED][LOT_RETURN] = LOT_RELEASED;
	expected[LOT_ISSUED][LOT_RETURN] = LOT_RELEASED;
	/* Discard: from every status except administered and discarded. */
	expected[LOT_COLLECTED][LOT_DISCARD] = LOT_DISCARDED;
	expected[LOT_IN_PROCESSING][LOT_DISCARD] = LOT_DISCARDED;
	expected[LOT_QUARANTINE][LOT_DISCARD] = LOT_DISCARDED;
	expected[LOT_RELEASED][LOT_DISCARD] = LOT_DISCARDED;
	expected[LOT_RESERVED][LOT_DISCARD] = LOT_DISCARDED;
	expected[LOT_ISSUED][LOT_DISCARD] = LOT_DISCARDED;
}

static void
test_step_table(void **state)
{
	struct cd_err err;
	enum lot_status to;
	enum cd_status st;
	int s, t, allowed = 0, refused = 0;

	(void)state;
	build_expected();
	for (s = 0; s < LOT__STATUSES; s++) {
		for (t = 0; t < LOT__STEPS; t++) {
			memset(&err, 0, sizeof err);
			to = (enum lot_status)99;
			st = lot_step_check(CODE, (enum lot_status)s, (enum lot_step)t, &to, &err);
			if (expected[s][t] != NO) {
				allowed++;
				if (st != CD_OK)
					fail_msg("%s a %s lot: refused (%d: %s), want -> %s", step_words[t],
					    status_words[s], st, err.msg, status_words[expected[s][t]]);
				if ((int)to != expected[s][t])
					fail_msg("%s a %s lot: -> %d, want -> %s", step_words[t],
					    status_words[s], (int)to, status_words[expected[s][t]]);
				continue;
			}
			refused++;
			if (st != CD_REFUSED)
				fail_msg("%s a %s lot: status %d, want CD_REFUSED", step_words[t],
				    status_words[s], st);
			if (err.status != CD_REFUSED)
				fail_msg("%s a %s lot: err.status %d, want CD_REFUSED", step_words[t],
				    status_words[s], err.status);
			if (strstr(err.msg, CODE) == NULL)
				fail_msg("%s a %s lot: the refusal does not name the lot: %s",
				    step_words[t], status_words[s], err.msg);
			if (strstr(err.msg, status_words[s]) == NULL)
				fail_msg("%s a %s lot: the refusal does not say the lot's status: %s",
				    step_words[t], status_words[s], err.msg);
			if (strstr(err.msg, step_words[t]) == NULL)
				fail_msg("%s a %s lot: the refusal does not say what was refused: %s",
				    step_words[t], status_words[s], err.msg);
			if ((int)to != 99)
				fail_msg("%s a %s lot: refused but wrote a new status %d", step_words[t],
				    status_words[s], (int)to);
		}
	}
	/* 6 forward + 2 returns + 6 discards. */
	assert_int_equal(allowed, 14);
	assert_int_equal(refused, 64 - 14);
}

/* The refusal names the code it was given, whatever its form. */
static void
test_step_refusal_local_code(void **state)
{
	struct cd_err err;
	enum lot_status to = LOT_COLLECTED;

	(void)state;
	memset(&err, 0, sizeof err);
	assert_int_equal(lot_step_check("BM-2026-0042", LOT_ADMINISTERED, LOT_DISCARD, &to,
	    &err), CD_REFUSED);
	assert_non_null(strstr(err.msg, "BM-2026-0042"));
	assert_non_null(strstr(err.msg, "administered"));
	assert_int_equal(to, LOT_COLLECTED);

	memset(&err, 0, sizeof err);
	assert_int_equal(lot_step_check("BM-2026-0042", LOT_COLLECTED, LOT_RELEASE, &to, &err),
	    CD_REFUSED);
	assert_non_null(strstr(err.msg, "BM-2026-0042"));
	assert_non_null(strstr(err.msg, "collected"));
}

static void
test_step_names(void **state)
{
	int t;

	(void)state;
	for (t = 0; t < LOT__STEPS; t++)
		assert_string_equal(lot_step_name((enum lot_step)t), step_words[t]);
}

/* --- status words --- */

static void
test_status_round_trip(void **state)
{
	enum lot_status got;
	int s;

	(void)state;
	for (s = 0; s < LOT__STATUSES; s++) {
		assert_string_equal(lot_status_name((enum lot_status)s), status_words[s]);
		got = (enum lot_status)99;
		if (!lot_status_parse(status_words[s], &got))
			fail_msg("lot_status_parse(\"%s\") refused", status_words[s]);
		assert_int_equal(got, s);
		got = (enum lot_status)99;
		assert_true(lot_status_parse(lot_status_name((enum lot_status)s), &got));
		assert_int_equal(got, s);
	}
}

static void
test_status_unknown(void **state)
{
	static const char *const words[] = {
		"", "release", "receive", "discard", "in processing", "in_processing",
		"inprocessing", "quarantined", "released ", " released", "releasedx", "all",
		"expired", "thawed", "?", "collected\n",
	};
	enum lot_status got;
	size_t i;

	(void)state;
	for (i = 0; i < LEN(words); i++) {
		got = LOT_COLLECTED;
		if (lot_status_parse(words[i], &got))
			fail_msg("lot_status_parse(\"%s\") accepted it as %d", words[i], (int)got);
	}
	/* A value outside the enum has no status word. */
	assert_false(lot_status_parse(lot_status_name(LOT__STATUSES), &got));
}

/* --- QC limits --- */

static struct lot_qc_limit
num_limit(const char *test, bool has_min, double min, bool has_max, double max,
    const char *unit)
{
	struct lot_qc_limit l;

	memset(&l, 0, sizeof l);
	snprintf(l.test, sizeof l.test, "%s", test);
	l.has_min = has_min;
	l.min = min;
	l.has_max = has_max;
	l.max = max;
	snprintf(l.unit, sizeof l.unit, "%s", unit);
	return l;
}

static struct lot_qc_limit
word_limit(const char *test, const char *expect)
{
	struct lot_qc_limit l;

	memset(&l, 0, sizeof l);
	snprintf(l.test, sizeof l.test, "%s", test);
	snprintf(l.expect, sizeof l.expect, "%s", expect);
	return l;
}

static struct lot_qc_result
num_result(const char *test, double v)
{
	struct lot_qc_result r;

	memset(&r, 0, sizeof r);
	snprintf(r.test, sizeof r.test, "%s", test);
	r.numeric = true;
	r.value = v;
	return r;
}

static struct lot_qc_result
word_result(const char *test, const char *text)
{
	struct lot_qc_result r;

	memset(&r, 0, sizeof r);
	snprintf(r.test, sizeof r.test, "%s", test);
	snprintf(r.text, sizeof r.text, "%s", text);
	return r;
}

/* In limits: true, and nothing to say. */
static void
expect_in(const struct lot_qc_limit *l, const struct lot_qc_result *r)
{
	char why[160];

	why[0] = '\0';
	if (!lot_qc_in_limits(l, r, why, sizeof why))
		fail_msg("%s = %g/'%s' should be in limits; refused: %s", r->test, r->value,
		    r->text, why);
}

/* Out of limits: false, and the reason holds each of the given pieces. */
static void
expect_out(const struct lot_qc_limit *l, const struct lot_qc_result *r, const char *a,
    const char *b, const char *c)
{
	const char *want[3];
	char why[160];
	size_t i;

	want[0] = a;
	want[1] = b;
	want[2] = c;
	why[0] = '\0';
	if (lot_qc_in_limits(l, r, why, sizeof why))
		fail_msg("%s = %g/'%s' should be out of limits", r->test, r->value, r->text);
	for (i = 0; i < LEN(want); i++) {
		if (want[i] != NULL && strstr(why, want[i]) == NULL)
			fail_msg("%s: the reason '%s' does not say '%s'", r->test, why, want[i]);
	}
}

static void
test_qc_min_only(void **state)
{
	struct lot_qc_limit l = num_limit("viability", true, 70, false, 0, "%");
	struct lot_qc_result r;

	(void)state;
	r = num_result("viability", 92.5);
	expect_in(&l, &r);
	r = num_result("viability", 100000);  /* no maximum */
	expect_in(&l, &r);
	r = num_result("viability", 60);
	expect_out(&l, &r, "viability", "60 %", "70 %");
	r = num_result("viability", 69.99);
	expect_out(&l, &r, "viability", "70 %", "below");
	r = num_result("viability", -1);
	expect_out(&l, &r, "viability", "70 %", NULL);
}

static void
test_qc_max_only(void **state)
{
	struct lot_qc_limit l = num_limit("endotoxin", false, 0, true, 0.5, "EU/mL");
	struct lot_qc_result r;

	(void)state;
	r = num_result("endotoxin", 0.1);
	expect_in(&l, &r);
	r = num_result("endotoxin", 0);
	expect_in(&l, &r);
	r = num_result("endotoxin", -3);  /* no minimum */
	expect_in(&l, &r);
	r = num_result("endotoxin", 0.6);
	expect_out(&l, &r, "endotoxin", "0.5 EU/mL", "above");
	r = num_result("endotoxin", 12);
	expect_out(&l, &r, "endotoxin", "12 EU/mL", "0.5 EU/mL");
}

static void
test_qc_min_and_max(void **state)
{
	struct lot_qc_limit l = num_limit("cd34", true, 1.5, true, 98, "%");
	struct lot_qc_result r;

	(void)state;
	r = num_result("cd34", 40);
	expect_in(&l, &r);
	r = num_result("cd34", 1.4);
	expect_out(&l, &r, "cd34", "1.5 %", "below");
	r = num_result("cd34", 98.5);
	expect_out(&l, &r, "cd34", "98 %", "above");

	/* A limit without a unit prints the bare number. */
	l = num_limit("ph", true, 7, true, 7.6, "");
	r = num_result("ph", 8.1);
	expect_out(&l, &r, "ph", "7.6", "8.1");
}

/* The limit itself is in limits, typed by the lab as text. */
static void
test_qc_boundary(void **state)
{
	struct lot_qc_limit lo = num_limit("viability", true, 70, true, 100, "%");
	struct lot_qc_limit hi = num_limit("endotoxin", false, 0, true, 0.5, "EU/mL");
	struct lot_qc_limit both = num_limit("ph", true, 7.2, true, 7.6, "");
	struct lot_qc_result r;
	double v;

	(void)state;
	r = num_result("viability", 70);
	expect_in(&lo, &r);
	r = num_result("viability", 100);
	expect_in(&lo, &r);
	r = num_result("endotoxin", 0.5);
	expect_in(&hi, &r);
	assert_true(lot_number_parse("7.2", &v));
	r = num_result("ph", v);
	expect_in(&both, &r);
	assert_true(lot_number_parse("7.6", &v));
	r = num_result("ph", v);
	expect_in(&both, &r);
	assert_true(lot_number_parse("70.0", &v));
	r = num_result("viability", v);
	expect_in(&lo, &r);
}

static void
test_qc_word(void **state)
{
	static const char *const same[] = { "negative", "Negative", "NEGATIVE", "nEgAtIvE" };
	struct lot_qc_limit l = word_limit("sterility", "negative");
	struct lot_qc_result r;
	size_t i;

	(void)state;
	for (i = 0; i < LEN(same); i++) {
		r = word_result("sterility", same[i]);
		expect_in(&l, &r);
	}
	r = word_result("sterility", "positive");
	expect_out(&l, &r, "sterility", "positive", "negative");
	r = word_result("sterility", "negativ");
	expect_out(&l, &r, "sterility", "negative", NULL);
	r = word_result("sterility", "negatives");
	expect_out(&l, &r, "sterility", "negative", NULL);
	r = word_result("sterility", "");
	expect_out(&l, &r, "sterility", "negative", NULL);

	/* The limit written in capitals matches a result in small letters. */
	l = word_limit("mycoplasma", "Negative");
	r = word_result("mycoplasma", "negative");
	expect_in(&l, &r);
}

/* A number where the lab expects a word, and a word where it expects a
 * number: never in limits, and the reason says which test and what. */
static void
test_qc_wrong_kind(void **state)
{
	struct lot_qc_limit word = word_limit("sterility", "negative");
	struct lot_qc_limit num = num_limit("viability", true, 70, false, 0, "%");
	struct lot_qc_result r;

	(void)state;
	r = num_result("sterility", 0);
	expect_out(&word, &r, "sterility", "negative", "0");
	r = num_result("sterility", 1);
	expect_out(&word, &r, "sterility", "negative", "1");

	r = word_result("viability", "high");
	expect_out(&num, &r, "viability", "high", "not a number");
	r = word_result("viability", "negative");
	expect_out(&num, &r, "viability", "negative", NULL);
}

/* A short buffer gets a terminated, truncated reason and nothing past it. */
static void
test_qc_short_buffer(void **state)
{
	struct lot_qc_limit l = num_limit("viability", true, 70, false, 0, "%");
	struct lot_qc_result r = num_result("viability", 12.25);
	char buf[32];
	size_t n;

	(void)state;
	for (n = 1; n < 16; n++) {
		memset(buf, 'Z', sizeof buf);
		assert_false(lot_qc_in_limits(&l, &r, buf, n));
		assert_non_null(memchr(buf, '\0', n));
		assert_int_equal(buf[n], 'Z');
	}
}

/* --- the release gate --- */

static struct lot_qc_limit limits[3];
static struct lot_qc_result results[3];

/* A donor lot, eligible, with viability, sterility and endotoxin in limits. */
static void
good_facts(struct lot_release_facts *f)
{
	limits[0] = num_limit("viability", true, 70, false, 0, "%");
	limits[1] = word_limit("sterility", "negative");
	limits[2] = num_limit("endotoxin", false, 0, true, 0.5, "EU/mL");
	/* Not in the order of the limits. */
	results[0] = num_result("endotoxin", 0.1);
	results[1] = num_result("viability", 92.5);
	results[2] = word_result("sterility", "Negative");
	memset(f, 0, sizeof *f);
	f->code = CODE;
	f->donor = true;
	f->donor_status = "eligible";
	f->expired = false;
	f->excursion = false;
	f->limits = limits;
	f->nlimits = LEN(limits);
	f->results = results;
	f->nresults = LEN(results);
}

static void
expect_refused(const struct lot_release_facts *f, const char *what, const char *a,
    const char *b)
{
	struct cd_err err;
	enum cd_status st;

	memset(&err, 0, sizeof err);
	st = lot_release_check(f, &err);
	if (st != CD_REFUSED)
		fail_msg("%s: release gave %d, want CD_REFUSED", what, st);
	assert_int_equal(err.status, CD_REFUSED);
	if (strstr(err.msg, f->code) == NULL)
		fail_msg("%s: the refusal does not name the lot: %s", what, err.msg);
	if (a != NULL && strstr(err.msg, a) == NULL)
		fail_msg("%s: the refusal does not say '%s': %s", what, a, err.msg);
	if (b != NULL && strstr(err.msg, b) == NULL)
		fail_msg("%s: the refusal does not say '%s': %s", what, b, err.msg);
}

static void
expect_released(const struct lot_release_facts *f, const char *what)
{
	struct cd_err err;
	enum cd_status st;

	memset(&err, 0, sizeof err);
	st = lot_release_check(f, &err);
	if (st != CD_OK)
		fail_msg("%s: refused (%d): %s", what, st, err.msg);
}

static void
test_release_ok(void **state)
{
	struct lot_release_facts f;

	(void)state;
	good_facts(&f);
	expect_released(&f, "donor lot, eligible, all in limits");
	results[2] = word_result("sterility", "negative");
	expect_released(&f, "sterility in small letters");
	/* Exactly at the limits. */
	results[0] = num_result("endotoxin", 0.5);
	results[1] = num_result("viability", 70);
	expect_released(&f, "results at the limits");
}

static void
test_release_extra_result(void **state)
{
	struct lot_qc_result more[4];
	struct lot_release_facts f;

	(void)state;
	good_facts(&f);
	memcpy(more, results, sizeof results);
	more[3] = num_result("cell-count", 5.2e7);
	f.results = more;
	f.nresults = 4;
	expect_released(&f, "a result without a limit");
}

static void
test_release_donor(void **state)
{
	struct lot_release_facts f;

	(void)state;
	good_facts(&f);
	f.donor_status = "pending";
	expect_refused(&f, "pending donor", "pending", NULL);

	good_facts(&f);
	f.donor_status = "ineligible";
	expect_refused(&f, "ineligible donor", "ineligible", "can never be released");
}

/* An autologous lot has no donor: whatever the donor field says, the
 * lot is released on its QC. */
static void
test_release_autologous(void **state)
{
	static const char *const donor[] = { "pending", "ineligible", "eligible", "" };
	struct lot_release_facts f;
	size_t i;

	(void)state;
	for (i = 0; i < LEN(donor); i++) {
		good_facts(&f);
		f.donor = false;
		f.donor_status = donor[i];
		expect_released(&f, donor[i]);
	}
	good_facts(&f);
	f.donor = false;
	f.donor_status = NULL;
	expect_released(&f, "autologous, no donor status at all");

	/* It still needs its QC. */
	good_facts(&f);
	f.donor = false;
	f.donor_status = NULL;
	results[1] = num_result("viability", 60);
	expect_refused(&f, "autologous, viability 60", "viability", "70 %");
}

static void
test_release_expired_excursion(void **state)
{
	struct lot_release_facts f;

	(void)state;
	good_facts(&f);
	f.expired = true;
	expect_refused(&f, "expired", "expired", NULL);

	good_facts(&f);
	f.excursion = true;
	expect_refused(&f, "open excursion", "excursion", NULL);

	good_facts(&f);
	f.donor = false;
	f.expired = true;
	expect_refused(&f, "autologous, expired", "expired", NULL);
}

static void
test_release_no_limits(void **state)
{
	struct lot_release_facts f;

	(void)state;
	good_facts(&f);
	f.nlimits = 0;
	expect_refused(&f, "no limits", "limits", NULL);

	/* Not even with no results either. */
	f.nresults = 0;
	expect_refused(&f, "no limits, no results", "limits", NULL);
}

static void
test_release_missing_result(void **state)
{
	struct lot_release_facts f;

	(void)state;
	good_facts(&f);
	f.nresults = 2;   /* endotoxin and viability; no sterility */
	expect_refused(&f, "no sterility", "no sterility result", NULL);

	good_facts(&f);
	f.results = results + 1;
	f.nresults = 2;   /* viability and sterility; no endotoxin */
	expect_refused(&f, "no endotoxin", "no endotoxin result", NULL);

	good_facts(&f);
	f.nresults = 0;
	expect_refused(&f, "no results", "no viability result", NULL);

	/* A result under another test's name does not count. */
	good_facts(&f);
	results[2] = word_result("mycoplasma", "negative");
	expect_refused(&f, "mycoplasma for sterility", "no sterility result", NULL);
}

static void
test_release_out_of_limits(void **state)
{
	struct lot_release_facts f;

	(void)state;
	good_facts(&f);
	results[1] = num_result("viability", 60);
	expect_refused(&f, "viability 60", "viability 60", "below 70 %");

	good_facts(&f);
	results[2] = word_result("sterility", "positive");
	expect_refused(&f, "sterility positive", "sterility", "positive");

	good_facts(&f);
	results[0] = num_result("endotoxin", 0.75);
	expect_refused(&f, "endotoxin 0.75", "endotoxin", "0.5 EU/mL");

	good_facts(&f);
	results[1] = word_result("viability", "good");
	expect_refused(&f, "viability as a word", "viability", "good");
}

/* --- lot codes that name the patient --- */

static void
test_code_mrn(void **state)
{
	static const struct {
		const char *code, *mrn;
		bool names;
	} cases[] = {
		{ "LOT-MRN20451-A", "MRN-20451", true },
		{ "lot-mrn20451", "MRN-20451", true },     /* case folded */
		{ "X-AB1-2345", "ab-12/34.5", true },      /* punctuation folded both sides */
		{ "AB12-345", "ab.12345", true },
		{ "S1234", "1234", true },                 /* exactly 4: compared */
		{ "CT-20451", "20451", true },
		{ "CT-20450", "20451", false },
		{ "CT-2045-1", "20451", true },
		{ "CT-0451", "MRN-20451", false },         /* a part of the MRN is not the MRN */
		{ "LOTA12X", "A-12", false },              /* 3 letters/digits: ignored */
		{ "S123-0001", "123", false },
		{ "AB-1", "A/B.1", false },
		{ "XY", "", false },
		{ "XY", NULL, false },
	};
	size_t i;

	(void)state;
	for (i = 0; i < LEN(cases); i++) {
		if (lot_code_names_patient(cases[i].code, cases[i].mrn, "Li Bo") != cases[i].names)
			fail_msg("code %s, MRN %s: want %s", cases[i].code,
			    cases[i].mrn != NULL ? cases[i].mrn : "(null)",
			    cases[i].names ? "names the patient" : "does not");
	}
}

static void
test_code_name(void **state)
{
	static const struct {
		const char *code, *name;
		bool names;
	} cases[] = {
		{ "KOVALENKO-01", "Olena Kovalenko", true },
		{ "kovalenko-01", "Olena Kovalenko", true },   /* case folded */
		{ "KOVAL-ENKO-1", "Olena Kovalenko", true },   /* punctuation in the code */
		{ "BM-OLENA-7", "Olena Kovalenko", true },      /* any word, not only the last */
		{ "ANN-0001", "Ann Lee", true },                /* exactly 3 letters */
		{ "CT-LEE7", "Ann Lee", true },
		{ "CT-0001-SMITH", "Anna-Maria Smith-Jones", true },
		{ "CT-JONES", "Anna-Maria Smith-Jones", true },
		{ "LIBO-0001", "Li Bo", false },                /* words under 3 letters */
		{ "AN-0001", "Ann Lee", false },
		{ "CT-000123", "Olena Kovalenko", false },
		{ "S0001-2026", "Olena Kovalenko", false },
		{ "KOVAL-1", "Olena Kovalenko", false },        /* a part of a word is not the word */
		{ "CT-000123", "", false },
		{ "CT-000123", NULL, false },
	};
	size_t i;

	(void)state;
	for (i = 0; i < LEN(cases); i++) {
		if (lot_code_names_patient(cases[i].code, "MRN-20451", cases[i].name) !=
		    cases[i].names)
			fail_msg("code %s, name %s: want %s", cases[i].code,
			    cases[i].name != NULL ? cases[i].name : "(null)",
			    cases[i].names ? "names the patient" : "does not");
	}
}

/* Unrelated codes of both schemes for an ordinary patient. */
static void
test_code_unrelated(void **state)
{
	static const char *const codes[] = {
		CODE, "G123426000002-S1234Aa", "BM-2026-0042", "CT-000123", "ADIPOSE-7",
		"CORD-0001-A",
	};
	size_t i;

	(void)state;
	for (i = 0; i < LEN(codes); i++) {
		if (lot_code_names_patient(codes[i], "MRN-20451", "Olena Kovalenko"))
			fail_msg("%s was taken for a code naming Olena Kovalenko", codes[i]);
		if (lot_code_names_patient(codes[i], "UA-778812", "Taras Shevchenko"))
			fail_msg("%s was taken for a code naming Taras Shevchenko", codes[i]);
	}
}

/* Names with letters outside ASCII (bytes above 127 in UTF-8). What
 * happens, documented here: lot.c compares ASCII letters only (isalpha in
 * C.UTF-8 is false for every byte above 127), so
 * - a word of such letters splits into its ASCII runs, and a run of 3 or
 *   more ASCII letters counts as a word: "Müller" gives "M" and "LLER";
 * - a name in Cyrillic has no ASCII letters and so no words: no lot code
 *   (codes are ASCII) is ever taken for naming the patient, and a
 *   transliteration ("KOVALENKO" for "Коваленко") is not caught. */
static void
test_code_name_non_ascii(void **state)
{
	(void)state;
	/* Cyrillic: no code can spell the name; transliterations are not
	 * caught (a known limit: there is more than one way to write them). */
	assert_false(lot_code_names_patient("KOVALENKO-01", "MRN-20451", "Олена Коваленко"));
	assert_false(lot_code_names_patient("OLENA-1", "MRN-20451", "Олена Коваленко"));
	assert_false(lot_code_names_patient("CT-000123", "MRN-20451", "Олена Коваленко"));
	/* An ASCII word beside Cyrillic ones is still compared. */
	assert_true(lot_code_names_patient("IVANENKO-3", "MRN-20451", "Олена Ivanenko"));
	/* The MRN is still compared for a Cyrillic name. */
	assert_true(lot_code_names_patient("CT-MRN20451", "MRN-20451", "Олена Коваленко"));

	/* Accented Latin letters are spelled as a code would: ü as U or UE,
	 * ß as S or SS, é as E; a word is compared whole, never in pieces. */
	assert_true(lot_code_names_patient("MUELLER-01", "MRN-20451", "Jörg Müller"));
	assert_true(lot_code_names_patient("MULLER-01", "MRN-20451", "Jörg Müller"));
	assert_true(lot_code_names_patient("GROSS-7", "MRN-20451", "Karl Groß"));
	assert_true(lot_code_names_patient("GROS-7", "MRN-20451", "Karl Groß"));
	assert_false(lot_code_names_patient("KELLER-01", "MRN-20451", "Jörg Müller"));
	assert_false(lot_code_names_patient("ORDER-0001", "MRN-20451", "Anna Schröder"));
	assert_true(lot_code_names_patient("SCHROEDER-1", "MRN-20451", "Anna Schröder"));
	assert_true(lot_code_names_patient("CT-JORG", "MRN-20451", "Jörg Müller"));
	assert_false(lot_code_names_patient("CT-000123", "MRN-20451", "Jörg Müller"));
	assert_true(lot_code_names_patient("CT-RENE", "MRN-20451", "René Dubois"));
	assert_true(lot_code_names_patient("CT-DUBOIS", "MRN-20451", "René Dubois"));
}

/* --- numbers as the lab types them --- */

static void
test_number_accepted(void **state)
{
	static const struct {
		const char *s;
		double v;
	} cases[] = {
		{ "92", 92 },
		{ "92.5", 92.5 },
		{ "0.05", 0.05 },
		{ "5.2e7", 5.2e7 },
		{ "5.2E7", 5.2e7 },
		{ "0", 0 },
		{ "-196", -196 },
		{ "-3.5", -3.5 },
		{ ".5", 0.5 },
		{ "70.0", 70 },
		{ "1e300", 1e300 },
	};
	double v;
	size_t i;

	(void)state;
	for (i = 0; i < LEN(cases); i++) {
		v = -12345;
		if (!lot_number_parse(cases[i].s, &v))
			fail_msg("lot_number_parse(\"%s\") refused", cases[i].s);
		if (v != cases[i].v)
			fail_msg("lot_number_parse(\"%s\") = %g, want %g", cases[i].s, v, cases[i].v);
	}
}

static void
test_number_refused(void **state)
{
	static const char *const cases[] = {
		"", " ", "   ", " 12", "12 ", "\t12", "12\n", "12abc", "abc", "12.5.1",
		"12,5", "1 000", "nan", "NaN", "-nan", "inf", "-inf", "INF", "infinity",
		"1e400", "-1e400", "1e", "e5", "-", ".", "+", "92%", "negative",
	};
	double v;
	size_t i;

	(void)state;
	for (i = 0; i < LEN(cases); i++) {
		v = -12345;
		if (lot_number_parse(cases[i], &v))
			fail_msg("lot_number_parse(\"%s\") accepted it as %g", cases[i], v);
	}
}

/* BUG (lot.c, lot_number_parse): strtod also reads C hexadecimal, so
 * "0x1A" is taken as 26 and "0x5Ap0" as 90; lot.h says "false for anything
 * else" than a number such as "12.5", and no lab writes a viability in hex.
 * This test fails until lot_number_parse refuses them. */
static void
test_number_refuses_hex(void **state)
{
	static const char *const cases[] = { "0x1A", "0X10", "0x5Ap0", "-0x1" };
	double v;
	size_t i;

	(void)state;
	for (i = 0; i < LEN(cases); i++) {
		v = -12345;
		if (lot_number_parse(cases[i], &v))
			fail_msg("BUG: lot_number_parse(\"%s\") accepted hexadecimal as %g",
			    cases[i], v);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_step_table),
		cmocka_unit_test(test_step_refusal_local_code),
		cmocka_unit_test(test_step_names),
		cmocka_unit_test(test_status_round_trip),
		cmocka_unit_test(test_status_unknown),
		cmocka_unit_test(test_qc_min_only),
		cmocka_unit_test(test_qc_max_only),
		cmocka_unit_test(test_qc_min_and_max),
		cmocka_unit_test(test_qc_boundary),
		cmocka_unit_test(test_qc_word),
		cmocka_unit_test(test_qc_wrong_kind),
		cmocka_unit_test(test_qc_short_buffer),
		cmocka_unit_test(test_release_ok),
		cmocka_unit_test(test_release_extra_result),
		cmocka_unit_test(test_release_donor),
		cmocka_unit_test(test_release_autologous),
		cmocka_unit_test(test_release_expired_excursion),
		cmocka_unit_test(test_release_no_limits),
		cmocka_unit_test(test_release_missing_result),
		cmocka_unit_test(test_release_out_of_limits),
		cmocka_unit_test(test_code_mrn),
		cmocka_unit_test(test_code_name),
		cmocka_unit_test(test_code_unrelated),
		cmocka_unit_test(test_code_name_non_ascii),
		cmocka_unit_test(test_number_accepted),
		cmocka_unit_test(test_number_refused),
		cmocka_unit_test(test_number_refuses_hex),
	};

	unit_fixed_env();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
