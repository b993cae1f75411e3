/* ops_lot_int.h - what the lot files of ops share: one change to one
 * lot inside one write transaction (load, snapshot, update, custody
 * event, audit), places, and times. Not used outside src/ops. */
#ifndef CD_OPS_LOT_INT_H
#define CD_OPS_LOT_INT_H

#include <math.h>

#include "../core/lot.h"
#include "ops.h"

/* One change to a lot: the lot as loaded (edit t->lot, then finish). */
struct lot_tx {
	char now[25];         /* the audit's clock text */
	char at[21];          /* the same instant as stored in lot tables */
	int64_t now_s;
	struct db_lot lot;
	enum lot_status status;
	char *old;            /* the snapshot before (audit) */
	char from[DB_LOCATION_MAX];
};

/* Begins a write for action and loads lot code; CD_REFUSED (with the
 * transaction rolled back) when there is no such lot. */
enum cd_status lot_tx_begin(struct ops *o, enum cd_action action, const char *code,
    struct lot_tx *t, struct cd_err *err);
/* Writes t->lot, appends the custody event (NULL: none) from the place
 * before to the place after, audits both, and ends the transaction. */
enum cd_status lot_tx_finish(struct ops *o, struct lot_tx *t, enum cd_status st,
    const char *event, double temp_c, const char *note, const char *reason,
    struct cd_err *err);
/* Sets l's site, unit and position from "SITE[/UNIT[/RACK/BOX/POS]]"
 * and clears its holder. */
enum cd_status lot_place_parse(struct ops *o, const char *field, const char *path,
    struct db_lot *l, struct cd_err *err);
/* "YYYY-MM-DD HH:MM" local to site_id's zone -> UTC seconds. */
enum cd_status lot_local_time(struct ops *o, const char *field, const char *text,
    int64_t site_id, int64_t *utc, struct cd_err *err);
/* The lot's expiry has passed at now_s. */
bool lot_expired(const struct db_lot *l, int64_t now_s);
/* The expiry a product gets in storage from t (UTC seconds), or
 * CD_REFUSED when the lab has no rule for it. */
enum cd_status lot_rule_expiry(struct ops *o, const char *source, const char *storage,
    int64_t from, char out[21], struct cd_err *err);

/* The first of the donor's lots found ineligible into code ("" when
 * none): the donor's eligibility is the donor's, whichever lot said it. */
enum cd_status donor_ineligible(struct ops *o, const char *donor, char *code, size_t len,
    struct cd_err *err);

/* Queues the lab's order for lot l (ops_lab.c), in the caller's
 * transaction; _once only when the lot has none yet and the actor is a
 * person (the lab sync never orders what the lab already holds). */
enum cd_status lot_order_queue(struct ops *o, const struct db_lot *l, struct cd_err *err);
enum cd_status lot_order_queue_once(struct ops *o, const struct db_lot *l, struct cd_err *err);

#endif
