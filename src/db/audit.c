/* audit.c - appending to, reading and verifying the hash-chained audit
 * trail, and row snapshots (old and new values) as JSON. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../core/xalloc.h"
#include "db_int.h"

static enum cd_status db_row_json(struct db *db, const char *sql, int64_t id, char **out,
    struct cd_err *err);

/* What an audit record keeps of a row, per table: the fields a person
 * entered, not the derived search keys. */
static const struct {
	const char *table;
	const char *sql;
} snapshots[] = {
	{ "staff", "SELECT id, username, name, roles, active FROM staff WHERE id = ?1" },
	{ "sites", "SELECT s.id, s.name, s.tz, (SELECT group_concat(weekday || ' ' ||"
	    " open_min || '-' || close_min, ', ') FROM site_hours h WHERE h.site_id = s.id)"
	    " AS hours FROM sites s WHERE s.id = ?1" },
	{ "resources", "SELECT r.id, r.site_id, r.name, r.kind, (SELECT group_concat(tag, ',')"
	    " FROM resource_tags t WHERE t.resource_id = r.id) AS tags, (SELECT"
	    " group_concat(weekday || ' ' || open_min || '-' || close_min, ', ') FROM"
	    " resource_hours h WHERE h.resource_id = r.id) AS hours FROM resources r"
	    " WHERE r.id = ?1" },
	{ "site_closures", "SELECT id, site_id, day, reason FROM site_closures WHERE id = ?1" },
	{ "resource_absences", "SELECT id, resource_id, starts_at, ends_at, reason"
	    " FROM resource_absences WHERE id = ?1" },
	{ "protocols", "SELECT id, name, body FROM protocols WHERE id = ?1" },
	{ "cycles", "SELECT id, patient_id, protocol_id, site_id, source, courses, gap_days,"
	    " status, reason FROM cycles WHERE id = ?1" },
	{ "appointments", "SELECT a.id, a.cycle_id, a.course, a.step, a.patient_id, a.site_id,"
	    " a.tz, a.local_day, a.starts_at, a.ends_at, a.status, a.reason, a.note, a.override,"
	    " (SELECT group_concat(resource_id, ',') FROM appointment_resources r"
	    " WHERE r.appointment_id = a.id) AS resources FROM appointments a WHERE a.id = ?1" },
	{ "call_outcomes", "SELECT id, appointment_id, kind, outcome, note, actor, at"
	    " FROM call_outcomes WHERE id = ?1" },
	{ "settings", "SELECT id, key, value FROM settings WHERE id = ?1" },
	{ "qc_limits", "SELECT id, source, test, min_value, max_value, expect, unit"
	    " FROM qc_limits WHERE id = ?1" },
	{ "expiry_rules", "SELECT id, source, storage, hours FROM expiry_rules WHERE id = ?1" },
	{ "storage_units", "SELECT id, site_id, name, kind, min_c, max_c FROM storage_units"
	    " WHERE id = ?1" },
	{ "temperature_readings", "SELECT id, unit_id, at, temp_c, source, excursion,"
	    " corrective_note, corrective_by, corrective_at FROM temperature_readings"
	    " WHERE id = ?1" },
	{ "lots", "SELECT id, code, kind, patient_id, donor_code, donor_status, source,"
	    " parent_id, coi, cycle_id, volume_ml, cell_count, viability, collected_at,"
	    " expires_at, storage, site_id, unit_id, position, holder, status, reason,"
	    " appointment_id, recipient_id, excursion_id FROM lots WHERE id = ?1" },
	{ "custody_events", "SELECT id, lot_id, at, event, from_place, to_place, temp_c, note"
	    " FROM custody_events WHERE id = ?1" },
	{ "qc_results", "SELECT id, lot_id, test, value, text_value FROM qc_results"
	    " WHERE id = ?1" },
	{ "signatures", "SELECT id, lot_id, meaning, username, printed_name, signed_at"
	    " FROM signatures WHERE id = ?1" },
	{ "bedside_checks", "SELECT id, lot_text, lot_id, patient_text, appointment_id, outcome,"
	    " reason FROM bedside_checks WHERE id = ?1" },
	{ "patients", "SELECT id, mrn, name, dob, phone, site_id, language, condition, notes"
	    " FROM patients WHERE id = ?1" },
	{ "outbox", "SELECT id, kind, lot_id, status, attempts, last_error FROM outbox"
	    " WHERE id = ?1" },
	{ "sync_review", "SELECT id, type, fhir_id, lot_code, reason, status, resolved_by, note"
	    " FROM sync_review WHERE id = ?1" },
};

enum cd_status
db_snapshot(struct db *db, const char *table, int64_t id, char **out, struct cd_err *err)
{
	size_t i;

	for (i = 0; i < sizeof snapshots / sizeof snapshots[0]; i++) {
		if (strcmp(snapshots[i].table, table) == 0)
			return db_row_json(db, snapshots[i].sql, id, out, err);
	}
	fatal("no audit snapshot for table %s", table);
}

static enum cd_status
db_row_json(struct db *db, const char *sql, int64_t id, char **out, struct cd_err *err)
{
	sqlite3_stmt *s;
	json_t *obj;
	int rc, i, n;

	*out = NULL;
	if ((s = db_stmt(db, sql, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(s);
		return CD_OK;
	}
	if (rc != SQLITE_ROW) {
		enum cd_status st = db_fail(db, sql, err);
		sqlite3_reset(s);
		return st;
	}
	obj = json_object();
	n = sqlite3_column_count(s);
	for (i = 0; i < n; i++) {
		const char *key = sqlite3_column_name(s, i);
		json_t *v;

		switch (sqlite3_column_type(s, i)) {
		case SQLITE_INTEGER:
			v = json_integer(sqlite3_column_int64(s, i));
			break;
		case SQLITE_NULL:
			v = json_null();
			break;
		default:
			v = json_stringn((const char *)sqlite3_column_text(s, i),
			    (size_t)sqlite3_column_bytes(s, i));
			break;
		}
		if (v == NULL)
			v = json_string("(not valid UTF-8)");
		json_object_set_new(obj, key, v);
	}
	sqlite3_reset(s);
	*out = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(obj);
	if (*out == NULL)
		fatal("cannot encode a row as JSON");
	return CD_OK;
}

static const char SQL_AUDIT_HEAD[] = "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1";
static const char SQL_AUDIT_INSERT[] =
    "INSERT INTO audit(seq, at, actor, action, tbl, row_key, old, new, reason, prev_hash, hash)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";

enum cd_status
db_audit_append(struct db *db, struct audit_record *r, struct cd_err *err)
{
	char prev[65] = AUDIT_GENESIS, hash[65];
	sqlite3_stmt *s;
	int rc;

	if ((s = db_stmt(db, SQL_AUDIT_HEAD, err)) == NULL)
		return CD_EDATA;
	r->seq = 1;
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		r->seq = sqlite3_column_int64(s, 0) + 1;
		snprintf(prev, sizeof prev, "%s", (const char *)sqlite3_column_text(s, 1));
	} else if (rc != SQLITE_DONE) {
		enum cd_status st = db_fail(db, SQL_AUDIT_HEAD, err);
		sqlite3_reset(s);
		return st;
	}
	sqlite3_reset(s);
	audit_chain_hash(prev, r, hash);

	if ((s = db_stmt(db, SQL_AUDIT_INSERT, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_int64(s, 1, r->seq);
	sqlite3_bind_text(s, 2, r->at, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, r->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, r->action, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, r->tbl, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, r->row_key, -1, SQLITE_STATIC);
	/* Stored exactly as hashed: NULL stays NULL, "" stays "". */
	sqlite3_bind_text(s, 7, r->old_json, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 8, r->new_json, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 9, r->reason, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 10, prev, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 11, hash, -1, SQLITE_STATIC);
	return db_step_done(db, s, err);
}

static const char SQL_AUDIT_LOG[] =
    "SELECT seq, at, actor, action, tbl AS \"table\", row_key AS row, reason, old, new"
    " FROM audit"
    " WHERE (?1 IS NULL OR tbl = ?1) AND (?2 IS NULL OR row_key = ?2)"
    "   AND (?3 IS NULL OR at >= ?3)"
    " ORDER BY seq DESC LIMIT ?4";

enum cd_status
db_audit_log(struct db *db, const struct db_audit_query *q, cd_row_fn fn, void *ctx,
    struct cd_err *err)
{
	sqlite3_stmt *s;

	if ((s = db_stmt(db, SQL_AUDIT_LOG, err)) == NULL)
		return CD_EDATA;
	db_bind_text_or_null(s, 1, q->tbl);
	db_bind_text_or_null(s, 2, q->row_key);
	db_bind_text_or_null(s, 3, q->since);
	sqlite3_bind_int64(s, 4, q->limit > 0 ? q->limit : -1);
	return db_stream(db, s, fn, ctx, err);
}

static const char SQL_AUDIT_ALL[] =
    "SELECT seq, at, actor, action, tbl, row_key, old, new, reason, prev_hash, hash"
    " FROM audit ORDER BY seq";

static const char *
col(sqlite3_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(s, i);
}

enum cd_status
db_audit_verify(struct db *db, struct db_audit_verdict *v, struct cd_err *err)
{
	char prev[65] = AUDIT_GENESIS, hash[65];
	struct audit_hasher *h;
	struct audit_record r;
	sqlite3_stmt *s;
	int rc;

	memset(v, 0, sizeof *v);
	snprintf(v->head, sizeof v->head, "%s", AUDIT_GENESIS);
	if ((s = db_stmt(db, SQL_AUDIT_ALL, err)) == NULL)
		return CD_EDATA;
	h = audit_hasher_new(); /* one buffer and digest context for all */
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		r.seq = sqlite3_column_int64(s, 0);
		r.at = col(s, 1);
		r.actor = col(s, 2);
		r.action = col(s, 3);
		r.tbl = col(s, 4);
		r.row_key = col(s, 5);
		r.old_json = col(s, 6);
		r.new_json = col(s, 7);
		r.reason = col(s, 8);
		if (r.seq != v->records + 1) {
			v->broken_seq = v->records + 1;
			snprintf(v->what, sizeof v->what,
			    "record %lld is missing (the next one is %lld)",
			    (long long)(v->records + 1), (long long)r.seq);
			break;
		}
		if (col(s, 9) == NULL || strcmp(col(s, 9), prev) != 0) {
			v->broken_seq = r.seq;
			snprintf(v->what, sizeof v->what,
			    "its link to the previous record does not match");
			break;
		}
		audit_hasher_hash(h, prev, &r, hash);
		if (col(s, 10) == NULL || strcmp(col(s, 10), hash) != 0) {
			v->broken_seq = r.seq;
			snprintf(v->what, sizeof v->what,
			    "its content no longer matches its hash (it was changed after it was written)");
			break;
		}
		memcpy(prev, hash, sizeof prev);
		v->records++;
	}
	audit_hasher_free(h);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		enum cd_status st = db_fail(db, SQL_AUDIT_ALL, err);
		sqlite3_reset(s);
		return st;
	}
	sqlite3_reset(s);
	memcpy(v->head, prev, sizeof prev);
	return CD_OK;
}
