/* ops_audit.c - reading and verifying the audit trail (admins only). */
#include "config.h"

#include "../core/date.h"
#include "ops.h"

enum cd_status
ops_audit_verify(struct ops *o, struct db_audit_verdict *v, struct cd_err *err)
{
	enum cd_status st;

	if ((st = ops_require(o, ACT_AUDIT, err)) != CD_OK)
		return st;
	/* One snapshot, so a colleague's commit cannot look like a gap. */
	if ((st = db_begin_read(o->db, err)) != CD_OK)
		return st;
	st = db_audit_verify(o->db, v, err);
	db_end_read(o->db);
	return st;
}

enum cd_status
ops_audit_log(struct ops *o, const struct db_audit_query *q, cd_row_fn fn, void *ctx,
    struct cd_err *err)
{
	struct cd_date d;
	enum cd_status st;

	if ((st = ops_require(o, ACT_AUDIT, err)) != CD_OK)
		return st;
	if (q->since != NULL && !date_parse(q->since, &d))
		return cd_fail(err, CD_USAGE, "--since: '%.40s' is not a valid date (YYYY-MM-DD)",
		    q->since);
	return db_audit_log(o->db, q, fn, ctx, err);
}
