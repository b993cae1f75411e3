/* lot.h - the rules of a cell lot's life: which status may follow which,
 * what a release needs (QC in limits, an eligible donor, not expired, no
 * open temperature excursion), and that a lot's identifier never names
 * its patient. Pure: the callers read the facts and write the outcome. */
#ifndef CD_LOT_H
#define CD_LOT_H

#include <stdbool.h>
#include <stddef.h>

#include "status.h"

enum lot_status {
	LOT_COLLECTED,
	LOT_IN_PROCESSING,
	LOT_QUARANTINE,
	LOT_RELEASED,
	LOT_RESERVED,
	LOT_ISSUED,
	LOT_ADMINISTERED,
	LOT_DISCARDED,
	LOT__STATUSES
};

/* What a command does to a lot; each has one set of statuses it starts
 * from and one it ends in. */
enum lot_step {
	LOT_RECEIVE,    /* collected -> in-processing */
	LOT_STORE,      /* in-processing -> quarantine */
	LOT_RELEASE,    /* quarantine -> released */
	LOT_RESERVE,    /* released -> reserved */
	LOT_ISSUE,      /* reserved -> issued */
	LOT_ADMINISTER, /* issued -> administered */
	LOT_RETURN,     /* reserved or issued -> released */
	LOT_DISCARD,    /* anything before administered -> discarded */
	LOT__STEPS
};

const char *lot_status_name(enum lot_status s);
bool lot_status_parse(const char *s, enum lot_status *out);
/* The step's word as the command says it ("release"). */
const char *lot_step_name(enum lot_step step);

/* CD_OK and *to when a lot (code) in status from may take step;
 * otherwise CD_REFUSED saying why and what would come first. */
enum cd_status lot_step_check(const char *code, enum lot_status from, enum lot_step step,
    enum lot_status *to, struct cd_err *err);

/* One QC limit of a product type and one result of a lot. */
struct lot_qc_limit {
	char test[32];
	bool has_min, has_max;
	double min, max;
	char expect[32];  /* "" for a numeric test */
	char unit[16];
};
struct lot_qc_result {
	char test[32];
	bool numeric;
	double value;
	char text[32];
};

/* Whether r meets l; when it does not, why (e.g. "viability 60 % is
 * below 70 %") in why. */
bool lot_qc_in_limits(const struct lot_qc_limit *l, const struct lot_qc_result *r,
    char *why, size_t n);

/* What release needs besides the status. */
struct lot_release_facts {
	const char *code;
	bool donor;
	const char *donor_status;       /* pending, eligible, ineligible */
	bool expired;
	bool excursion;                 /* an open temperature excursion */
	const struct lot_qc_limit *limits;
	size_t nlimits;
	const struct lot_qc_result *results; /* the newest per test */
	size_t nresults;
};
/* CD_OK when the lot may be released; otherwise CD_REFUSED naming the
 * first thing missing or out of limits. */
enum cd_status lot_release_check(const struct lot_release_facts *f, struct cd_err *err);

/* True when code holds the MRN (letters and digits compared, case
 * folded; MRNs of 4 or more of them) or a word of 3 or more letters of
 * the patient's name. */
bool lot_code_names_patient(const char *code, const char *mrn, const char *name);

/* Parses "12.5" into a number; false for anything else. */
bool lot_number_parse(const char *s, double *out);

#endif
