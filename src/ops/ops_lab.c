/* ops_lab.c - the lab link's actions: orders queued with the change that
 * made them, the outbox as the sync sends it, the run record, and what
 * people do with it (status, retry a refused order, resolve a review). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/fhir.h"
#include "../core/localtime.h"
#include "../core/text.h"
#include "ops.h"
#include "ops_lot_int.h"

enum cd_status
lot_order_queue(struct ops *o, const struct db_lot *l, struct cd_err *err)
{
	struct db_order_facts f;
	struct fhir_order ord;
	enum cd_status st;
	char *json = NULL, at[21];
	int64_t id;

	if ((st = db_order_facts(o->db, l, &f, err)) != CD_OK)
		return st;
	memset(&ord, 0, sizeof ord);
	ord.lot_code = l->code;
	ord.kind = l->kind;
	ord.mrn = f.mrn;
	ord.patient_name = f.name;
	ord.birth_date = f.dob;
	ord.donor_code = l->donor_code;
	ord.source = l->source;
	ord.collected_at = l->collected_at;
	ord.needed_at = f.needed_at;
	utc_format(o->clock_ms() / 1000, at);
	if ((st = fhir_order_bundle(&ord, &json, err)) == CD_OK)
		st = db_outbox_insert(o->db, "order", l->id, json, at, &id, err);
	free(json);
	return st;
}

enum cd_status
lot_order_queue_once(struct ops *o, const struct db_lot *l, struct cd_err *err)
{
	enum cd_status st;
	int64_t n;

	if (o->lab_sync)
		return CD_OK;
	if ((st = db_outbox_count_lot(o->db, l->id, &n, err)) != CD_OK || n > 0)
		return st;
	return lot_order_queue(o, l, err);
}

/* While the sync applies the lab's results it acts as "lab-sync", which
 * may record what the lab did (receive, process, test) and nothing a
 * person must sign or decide. */
enum cd_status
ops_lab_may(struct ops *o, enum cd_action action, struct cd_err *err)
{
	(void)o;
	if (action == ACT_LOT_VIEW || action == ACT_LOT_MANAGE || action == ACT_SYNC_VIEW)
		return CD_OK;
	return cd_fail(err, CD_REFUSED, "the lab sync may not %s; a person must",
	    roles_action_words(action));
}

enum cd_status
ops_lab_begin(struct ops *o, struct cd_err *err)
{
	char now[25];
	enum cd_status st;

	if ((st = ops_write_begin(o, ACT_SYNC_RUN, now, err)) != CD_OK)
		return st;
	snprintf(o->run_by, sizeof o->run_by, "%s", o->actor);
	snprintf(o->actor, sizeof o->actor, "%s", OPS_LAB_ACTOR);
	o->lab_sync = true;
	return CD_OK;
}

enum cd_status
ops_lab_end(struct ops *o, enum cd_status st, struct cd_err *err)
{
	o->lab_sync = false;
	snprintf(o->actor, sizeof o->actor, "%s", o->run_by);
	return ops_write_end(o, st, err);
}

enum cd_status
ops_lab_next_order(struct ops *o, int64_t after_id, struct db_outbox_row *row,
    struct cd_err *err)
{
	enum cd_status st;

	if ((st = ops_require(o, ACT_SYNC_RUN, err)) != CD_OK)
		return st;
	return db_outbox_next(o->db, after_id, row, err);
}

/* Remembers the server's ids of what one order created. */
static enum cd_status
order_links(struct ops *o, int64_t lot_id, const struct fhir_tx_response *r,
    struct cd_err *err)
{
	struct db_lot l;
	enum cd_status st;
	size_t i;

	if ((st = db_lot_get(o->db, lot_id, &l, err)) != CD_OK)
		return st;
	for (i = 0; st == CD_OK && i < r->n; i++) {
		if (r->e[i].id[0] == '\0')
			continue;
		if (strcmp(r->e[i].type, "Patient") == 0)
			st = db_lab_link_put(o->db, "Patient", r->e[i].id, 0, l.patient_id, err);
		else
			st = db_lab_link_put(o->db, r->e[i].type, r->e[i].id, lot_id, l.patient_id,
			    err);
	}
	return st;
}

/* Marks order id status (with why), and keeps the ids of what the lab
 * made of it (r, when sent), in one transaction. */
static enum cd_status
order_mark(struct ops *o, int64_t id, const char *status, const char *why, int64_t lot_id,
    const struct fhir_tx_response *r, struct cd_err *err)
{
	char now[25], at[21];
	enum cd_status st;

	if ((st = ops_write_begin(o, ACT_SYNC_RUN, now, err)) != CD_OK)
		return st;
	utc_format(o->clock_ms() / 1000, at);
	st = db_outbox_mark(o->db, id, status, at, why, err);
	if (st == CD_OK && r != NULL)
		st = order_links(o, lot_id, r, err);
	return ops_write_end(o, st, err);
}

enum cd_status
ops_lab_order_sent(struct ops *o, int64_t id, int64_t lot_id, const struct fhir_tx_response *r,
    struct cd_err *err)
{
	return order_mark(o, id, "sent", NULL, lot_id, r, err);
}

enum cd_status
ops_lab_order_failed(struct ops *o, int64_t id, bool refused, const char *why,
    struct cd_err *err)
{
	return order_mark(o, id, refused ? "failed" : "pending", why, 0, NULL, err);
}

enum cd_status
ops_lab_run_record(struct ops *o, const struct db_sync_run *r, struct cd_err *err)
{
	char now[25];
	enum cd_status st;

	if ((st = ops_write_begin(o, ACT_SYNC_RUN, now, err)) != CD_OK)
		return st;
	return ops_write_end(o, db_sync_run_add(o->db, r, err), err);
}

enum cd_status
ops_lab_cursor(struct ops *o, const char *resource, char *buf, size_t n, struct cd_err *err)
{
	enum cd_status st;

	if ((st = ops_require(o, ACT_SYNC_VIEW, err)) != CD_OK)
		return st;
	return db_sync_cursor(o->db, resource, buf, n, err);
}

enum cd_status
ops_sync_status(struct ops *o, cd_row_fn fn, void *ctx, struct cd_err *err)
{
	enum cd_status st;

	if ((st = ops_require(o, ACT_SYNC_VIEW, err)) != CD_OK)
		return st;
	return db_sync_status(o->db, fn, ctx, err);
}

enum cd_status
ops_sync_outbox(struct ops *o, const char *status, int64_t limit, cd_row_fn fn, void *ctx,
    struct cd_err *err)
{
	enum cd_status st;

	if (status != NULL && strcmp(status, "pending") != 0 && strcmp(status, "sent") != 0 &&
	    strcmp(status, "failed") != 0)
		return cd_fail(err, CD_USAGE, "--status: '%.20s' is not pending, sent or failed",
		    status);
	if ((st = ops_require(o, ACT_SYNC_VIEW, err)) != CD_OK)
		return st;
	return db_outbox_list(o->db, status, limit, fn, ctx, err);
}

enum cd_status
ops_sync_retry(struct ops *o, int64_t id, struct cd_err *err)
{
	char now[25];
	enum cd_status st;
	char *old = NULL, key[24];

	if ((st = ops_write_begin(o, ACT_SYNC_RUN, now, err)) != CD_OK)
		return st;
	snprintf(key, sizeof key, "%lld", (long long)id);
	st = db_snapshot(o->db, "outbox", id, &old, err);
	if (st == CD_OK)
		st = db_outbox_retry(o->db, id, err);
	if (st == CD_OK)
		st = ops_audit_change(o, now, "update", "outbox", id, key, old, "sent again", err);
	else
		free(old);
	return ops_write_end(o, st, err);
}

enum cd_status
ops_sync_review_list(struct ops *o, bool all, int64_t offset, int64_t limit, cd_row_fn fn,
    void *ctx, struct cd_err *err)
{
	enum cd_status st;

	if ((st = ops_require(o, ACT_SYNC_VIEW, err)) != CD_OK)
		return st;
	return db_review_list(o->db, all, offset, limit, fn, ctx, err);
}

enum cd_status
ops_sync_review_resolve(struct ops *o, int64_t id, const char *note, struct cd_err *err)
{
	char now[25], at[21];
	enum cd_status st;
	char *old = NULL, key[24];

	if ((st = text_check_field("--note", note, 500, TEXT_REQUIRED, err)) != CD_OK)
		return st;
	if ((st = ops_write_begin(o, ACT_SYNC_RUN, now, err)) != CD_OK)
		return st;
	utc_format(o->clock_ms() / 1000, at);
	snprintf(key, sizeof key, "%lld", (long long)id);
	st = db_snapshot(o->db, "sync_review", id, &old, err);
	if (st == CD_OK)
		st = db_review_resolve(o->db, id, o->actor, note, at, err);
	if (st == CD_OK)
		st = ops_audit_change(o, now, "update", "sync_review", id, key, old, NULL, err);
	else
		free(old);
	return ops_write_end(o, st, err);
}
