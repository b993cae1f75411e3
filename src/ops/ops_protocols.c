/* ops_protocols.c - listing, showing, adding and changing treatment
 * protocols. A protocol is stored as its canonical JSON, checked by
 * src/core/protocol.c on the way in. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/protocol.h"
#include "../core/xalloc.h"
#include "ops.h"

struct list_ctx {
	cd_row_fn fn;
	void *ctx;
};

/* Turns a stored (name, body) row into the listing's columns. */
static enum cd_status
list_row(void *vctx, const struct cd_row *row, struct cd_err *err)
{
	static const char *const keys[] = { "name", "source", "courses", "gap_days",
		"min_gap_days", "title" };
	struct list_ctx *lc = vctx;
	struct protocol p;
	struct cd_row out;
	const char *vals[6];
	char courses[8], gap[8], min_gap[8];
	enum cd_status st;

	if ((st = protocol_parse(row->vals[1], &p, err)) != CD_OK)
		return cd_fail(err, CD_EDATA, "stored protocol %s cannot be read: %s",
		    row->vals[0], err->msg);
	snprintf(courses, sizeof courses, "%d", p.courses);
	snprintf(gap, sizeof gap, "%d", p.gap_days);
	snprintf(min_gap, sizeof min_gap, "%d", p.min_gap_days);
	vals[0] = p.name;
	vals[1] = cell_source_name(p.source);
	vals[2] = courses;
	vals[3] = gap;
	vals[4] = min_gap;
	vals[5] = p.title;
	out.n = 6;
	out.keys = keys;
	out.vals = vals;
	return lc->fn(lc->ctx, &out, err);
}

enum cd_status
ops_protocol_list(struct ops *o, cd_row_fn fn, void *ctx, struct cd_err *err)
{
	struct list_ctx lc = { fn, ctx };
	enum cd_status st;

	if ((st = ops_require(o, ACT_PROTOCOL_VIEW, err)) != CD_OK)
		return st;
	return db_protocol_list(o->db, list_row, &lc, err);
}

enum cd_status
ops_protocol_show(struct ops *o, const char *name, char **json, struct cd_err *err)
{
	struct protocol p;
	enum cd_status st;
	char *body = NULL;
	int64_t id;

	*json = NULL;
	if ((st = ops_require(o, ACT_PROTOCOL_VIEW, err)) != CD_OK ||
	    (st = db_protocol_get(o->db, name, &id, &body, err)) != CD_OK)
		return st;
	if (id == 0)
		return cd_fail(err, CD_REFUSED, "there is no protocol called '%.60s'", name);
	if (protocol_parse(body, &p, err) != CD_OK)
		st = cd_fail(err, CD_EDATA, "stored protocol %.60s cannot be read: %s", name,
		    err->msg);
	else
		*json = protocol_to_json_pretty(&p);
	free(body);
	return st;
}

static enum cd_status
insert_protocol(struct ops *o, const struct protocol *p, const char *now, const char *reason,
    struct cd_err *err)
{
	char *body = protocol_to_json(p), *existing = NULL;
	enum cd_status st;
	int64_t id;

	if ((st = db_protocol_get(o->db, p->name, &id, &existing, err)) != CD_OK)
		goto out;
	if (id != 0) {
		st = cd_fail(err, CD_REFUSED, "a protocol called '%s' already exists; use"
		    " protocol edit to change it", p->name);
		goto out;
	}
	if ((st = db_protocol_insert(o->db, p->name, body, now, &id, err)) == CD_OK)
		st = ops_audit_change(o, now, "insert", "protocols", id, p->name, NULL, reason, err);
out:
	free(existing);
	free(body);
	return st;
}

enum cd_status
ops_protocol_add(struct ops *o, const char *json, struct cd_err *err)
{
	struct protocol p;
	enum cd_status st;
	char now[25];

	if ((st = ops_require(o, ACT_PROTOCOL_MANAGE, err)) != CD_OK ||
	    (st = protocol_parse(json, &p, err)) != CD_OK)
		return st;
	if ((st = ops_write_begin(o, ACT_PROTOCOL_MANAGE, now, err)) != CD_OK)
		return st;
	return ops_write_end(o, insert_protocol(o, &p, now, NULL, err), err);
}

enum cd_status
ops_protocol_edit(struct ops *o, const char *name, const char *json, const char *reason,
    struct cd_err *err)
{
	struct protocol p;
	enum cd_status st;
	char now[25], *body = NULL, *old = NULL, *current = NULL;
	int64_t id;

	if ((st = ops_require(o, ACT_PROTOCOL_MANAGE, err)) != CD_OK ||
	    (st = protocol_parse(json, &p, err)) != CD_OK)
		return st;
	if (strcmp(p.name, name) != 0)
		return cd_fail(err, CD_REFUSED, "the file is protocol '%s', not '%.60s' (a protocol"
		    " keeps its name)", p.name, name);
	if ((st = ops_write_begin(o, ACT_PROTOCOL_MANAGE, now, err)) != CD_OK)
		return st;
	body = protocol_to_json(&p);
	st = db_protocol_get(o->db, name, &id, &current, err);
	if (st == CD_OK && id == 0)
		st = cd_fail(err, CD_REFUSED, "there is no protocol called '%.60s'", name);
	if (st == CD_OK)
		st = db_snapshot(o->db, "protocols", id, &old, err);
	if (st == CD_OK)
		st = db_protocol_update(o->db, id, body, now, err);
	if (st == CD_OK) {
		st = ops_audit_change(o, now, "update", "protocols", id, name, old, reason, err);
		old = NULL;
	}
	free(old);
	free(body);
	free(current);
	return ops_write_end(o, st, err);
}

enum cd_status
ops_protocol_install_defaults(struct ops *o, const char *now, struct cd_err *err)
{
	struct protocol p;
	enum cd_status st;
	int64_t count;
	int i;

	if ((st = db_protocol_count(o->db, &count, err)) != CD_OK || count > 0)
		return st;
	for (i = 0; protocol_defaults[i] != NULL; i++) {
		if (protocol_parse(protocol_defaults[i], &p, err) != CD_OK)
			fatal("built-in protocol %d: %s", i, err->msg);
		if ((st = insert_protocol(o, &p, now, "installed by celldesk init", err)) != CD_OK)
			return st;
	}
	return CD_OK;
}
