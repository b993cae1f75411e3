/* lot.c - a cell lot's statuses, the steps between them, QC limits and
 * the release gate (see lot.h). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lot.h"

static const char *const status_names[LOT__STATUSES] = {
	"collected", "in-processing", "quarantine", "released", "reserved", "issued",
	"administered", "discarded"
};

#define S(x) (1u << (x))

/* Per step: the statuses it starts from, where it leads, its word, and
 * what must come first when the lot is not there yet. */
static const struct {
	unsigned from;
	enum lot_status to;
	const char *word;
	const char *needs;
} steps[LOT__STEPS] = {
	[LOT_RECEIVE] = { S(LOT_COLLECTED), LOT_IN_PROCESSING, "receive",
	    "only a collected lot can be received for processing" },
	[LOT_STORE] = { S(LOT_IN_PROCESSING), LOT_QUARANTINE, "store",
	    "only a lot in processing can be stored into quarantine (receive it first)" },
	[LOT_RELEASE] = { S(LOT_QUARANTINE), LOT_RELEASED, "release",
	    "only a lot in quarantine, processed and tested, can be released" },
	[LOT_RESERVE] = { S(LOT_RELEASED), LOT_RESERVED, "reserve",
	    "only a released lot can be reserved for a visit" },
	[LOT_ISSUE] = { S(LOT_RESERVED), LOT_ISSUED, "issue",
	    "only a lot reserved for a visit can be issued (reserve it first)" },
	[LOT_ADMINISTER] = { S(LOT_ISSUED), LOT_ADMINISTERED, "administer",
	    "only a lot issued for its visit can be administered" },
	[LOT_RETURN] = { S(LOT_RESERVED) | S(LOT_ISSUED), LOT_RELEASED, "return",
	    "only a reserved or issued lot can be returned to stock" },
	[LOT_DISCARD] = { S(LOT_COLLECTED) | S(LOT_IN_PROCESSING) | S(LOT_QUARANTINE) |
	    S(LOT_RELEASED) | S(LOT_RESERVED) | S(LOT_ISSUED), LOT_DISCARDED, "discard",
	    "an administered lot is in a patient and cannot be discarded" },
};

const char *
lot_status_name(enum lot_status s)
{
	return (unsigned)s < LOT__STATUSES ? status_names[s] : "?";
}

bool
lot_status_parse(const char *s, enum lot_status *out)
{
	int i;

	for (i = 0; i < LOT__STATUSES; i++) {
		if (strcmp(s, status_names[i]) == 0) {
			*out = (enum lot_status)i;
			return true;
		}
	}
	return false;
}

const char *
lot_step_name(enum lot_step step)
{
	return steps[step].word;
}

enum cd_status
lot_step_check(const char *code, enum lot_status from, enum lot_step step,
    enum lot_status *to, struct cd_err *err)
{
	if (steps[step].from & S(from)) {
		*to = steps[step].to;
		return CD_OK;
	}
	if (from == LOT_ADMINISTERED || from == LOT_DISCARDED)
		return cd_fail(err, CD_REFUSED, "cannot %s lot %.40s: it was %s; nothing more can"
		    " happen to it", steps[step].word, code, status_names[from]);
	return cd_fail(err, CD_REFUSED, "cannot %s lot %.40s: it is %s%s, and %s",
	    steps[step].word, code, from == LOT_QUARANTINE ? "in " : "", status_names[from],
	    steps[step].needs);
}

/* A number as the lab writes it: "92", "92.5", "0.05", "5.2e7", "-196";
 * decimal only (strtod alone would also take hex, "nan" and "inf"). */
bool
lot_number_parse(const char *s, double *out)
{
	char *end;
	double v;

	if (s[0] == '\0' || strspn(s, "0123456789.eE+-") != strlen(s) ||
	    strpbrk(s, "0123456789") == NULL)
		return false;
	errno = 0;
	v = strtod(s, &end);
	if (*end != '\0' || errno != 0 || !isfinite(v))
		return false;
	*out = v;
	return true;
}

/* "92 %", "0.5 EU/mL", "12". */
static void
with_unit(char *buf, size_t n, double v, const char *unit)
{
	snprintf(buf, n, "%g%s%s", v, unit[0] != '\0' ? " " : "", unit);
}

bool
lot_qc_in_limits(const struct lot_qc_limit *l, const struct lot_qc_result *r, char *why,
    size_t n)
{
	char got[48], lim[48];

	if (l->expect[0] != '\0') {
		if (!r->numeric && strcasecmp(r->text, l->expect) == 0)
			return true;
		if (r->numeric)
			snprintf(why, n, "%s is %g but should be %s", l->test, r->value, l->expect);
		else
			snprintf(why, n, "%s is %.31s but should be %s", l->test, r->text, l->expect);
		return false;
	}
	if (!r->numeric) {
		snprintf(why, n, "%s is '%.31s', not a number", l->test, r->text);
		return false;
	}
	with_unit(got, sizeof got, r->value, l->unit);
	if (l->has_min && r->value < l->min) {
		with_unit(lim, sizeof lim, l->min, l->unit);
		snprintf(why, n, "%s %s is below %s", l->test, got, lim);
		return false;
	}
	if (l->has_max && r->value > l->max) {
		with_unit(lim, sizeof lim, l->max, l->unit);
		snprintf(why, n, "%s %s is above %s", l->test, got, lim);
		return false;
	}
	return true;
}

enum cd_status
lot_release_check(const struct lot_release_facts *f, struct cd_err *err)
{
	char why[160];
	size_t i, j;

	if (f->donor && strcmp(f->donor_status, "ineligible") == 0)
		return cd_fail(err, CD_REFUSED, "cannot release lot %.40s: its donor is ineligible;"
		    " this lot can never be released", f->code);
	if (f->donor && strcmp(f->donor_status, "eligible") != 0)
		return cd_fail(err, CD_REFUSED, "cannot release lot %.40s: the donor's eligibility is"
		    " %s; a donor lot stays in quarantine until the donor is found eligible",
		    f->code, f->donor_status);
	if (f->expired)
		return cd_fail(err, CD_REFUSED, "cannot release lot %.40s: it has expired", f->code);
	if (f->excursion)
		return cd_fail(err, CD_REFUSED, "cannot release lot %.40s: it was stored through a"
		    " temperature excursion that has no corrective action yet (see celldesk"
		    " storage excursions)", f->code);
	if (f->nlimits == 0)
		return cd_fail(err, CD_REFUSED, "cannot release lot %.40s: the lab has set no QC"
		    " limits for its product type (see celldesk product list)", f->code);
	for (i = 0; i < f->nlimits; i++) {
		for (j = 0; j < f->nresults; j++) {
			if (strcmp(f->results[j].test, f->limits[i].test) == 0)
				break;
		}
		if (j == f->nresults)
			return cd_fail(err, CD_REFUSED, "cannot release lot %.40s: no %s result"
			    " (record it with celldesk lot qc %.40s %s=VALUE)", f->code,
			    f->limits[i].test, f->code, f->limits[i].test);
		if (!lot_qc_in_limits(&f->limits[i], &f->results[j], why, sizeof why))
			return cd_fail(err, CD_REFUSED, "cannot release lot %.40s: %s", f->code, why);
	}
	return CD_OK;
}

/* s with only its letters and digits, upper-cased (ASCII). */
static void
fold(const char *s, char *out, size_t n)
{
	size_t k = 0;

	for (; *s != '\0' && k + 1 < n; s++) {
		if (isalnum((unsigned char)*s))
			out[k++] = (char)toupper((unsigned char)*s);
	}
	out[k] = '\0';
}

/* The Latin letters with accents (UTF-8 C3 80-BF) as a code would spell
 * them: one letter, and the German two-letter form of umlauts and ß. */
static const char latin1[64][2][3] = {
	{ "A", "A" }, { "A", "A" }, { "A", "A" }, { "A", "A" }, { "A", "AE" }, { "A", "A" },
	{ "AE", "AE" }, { "C", "C" }, { "E", "E" }, { "E", "E" }, { "E", "E" }, { "E", "E" },
	{ "I", "I" }, { "I", "I" }, { "I", "I" }, { "I", "I" }, { "D", "D" }, { "N", "N" },
	{ "O", "O" }, { "O", "O" }, { "O", "O" }, { "O", "O" }, { "O", "OE" }, { "", "" },
	{ "O", "O" }, { "U", "U" }, { "U", "U" }, { "U", "U" }, { "U", "UE" }, { "Y", "Y" },
	{ "TH", "TH" }, { "S", "SS" },
	{ "A", "A" }, { "A", "A" }, { "A", "A" }, { "A", "A" }, { "A", "AE" }, { "A", "A" },
	{ "AE", "AE" }, { "C", "C" }, { "E", "E" }, { "E", "E" }, { "E", "E" }, { "E", "E" },
	{ "I", "I" }, { "I", "I" }, { "I", "I" }, { "I", "I" }, { "D", "D" }, { "N", "N" },
	{ "O", "O" }, { "O", "O" }, { "O", "O" }, { "O", "O" }, { "O", "OE" }, { "", "" },
	{ "O", "O" }, { "U", "U" }, { "U", "U" }, { "U", "U" }, { "U", "UE" }, { "Y", "Y" },
	{ "TH", "TH" }, { "Y", "Y" },
};

/* The word of a name at *p (letters, ASCII or not) spelled in capital
 * ASCII, in form 0 or 1; false when it holds a letter no code can spell
 * (Cyrillic, CJK ...). Leaves *p after the word. */
static bool
name_word(const char **p, int form, char *out, size_t n)
{
	const unsigned char *s = (const unsigned char *)*p;
	size_t k = 0;
	bool spellable = true;

	for (; isalpha(*s) || *s >= 0x80; s++) {
		const char *t = NULL;
		char one[2] = { 0, 0 };

		if (*s < 0x80) {
			one[0] = (char)toupper(*s);
			t = one;
		} else if (*s == 0xC3 && s[1] >= 0x80 && s[1] <= 0xBF) {
			t = latin1[s[1] - 0x80][form];
			s++;
		} else {
			spellable = false;
			continue;
		}
		for (; *t != '\0' && k + 1 < n; t++)
			out[k++] = *t;
	}
	out[k] = '\0';
	*p = (const char *)s;
	return spellable;
}

bool
lot_code_names_patient(const char *code, const char *mrn, const char *name)
{
	char c[128], m[128], word[128];
	const char *p, *start;
	int form;

	fold(code, c, sizeof c);
	fold(mrn != NULL ? mrn : "", m, sizeof m);
	if (strlen(m) >= 4 && strstr(c, m) != NULL)
		return true;
	for (p = name != NULL ? name : ""; *p != '\0';) {
		start = p;
		for (form = 0; form < 2; form++) {
			p = start;
			if (name_word(&p, form, word, sizeof word) && strlen(word) >= 3 &&
			    strstr(c, word) != NULL)
				return true;
		}
		if (p == start)
			p++;
	}
	return false;
}
