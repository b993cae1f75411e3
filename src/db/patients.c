/* patients.c - patient records and the search behind the patient list. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <wctype.h>

#include "../core/strbuf.h"
#include "../core/text.h"
#include "db_int.h"

static const char SQL_PATIENT_FIND[] = "SELECT id FROM patients WHERE mrn = ?1";

enum cd_status
db_patient_find(struct db *db, const char *mrn, int64_t *id, struct cd_err *err)
{
	sqlite3_stmt *s;
	int rc;

	if ((s = db_stmt(db, SQL_PATIENT_FIND, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_text(s, 1, mrn, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	*id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, SQL_PATIENT_FIND, err);
	return CD_OK;
}

/* The search keys: the folded name, and the phone's digits. */
static void
patient_keys(const struct db_patient *p, struct strbuf *name_key, struct strbuf *phone_key)
{
	const char *c;

	text_fold(name_key, p->name);
	for (c = p->phone ? p->phone : ""; *c != '\0'; c++) {
		if (isdigit((unsigned char)*c))
			strbuf_addc(phone_key, *c);
	}
}

static void
patient_bind(sqlite3_stmt *s, const struct db_patient *p, struct strbuf *name_key,
    struct strbuf *phone_key, const char *now)
{
	sqlite3_bind_text(s, 1, p->mrn, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, p->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, strbuf_str(name_key), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, p->dob, -1, SQLITE_STATIC);
	db_bind_text_or_null(s, 5, p->phone);
	db_bind_text_or_null(s, 6, strbuf_str(phone_key));
	if (p->site_id > 0)
		sqlite3_bind_int64(s, 7, p->site_id);
	else
		sqlite3_bind_null(s, 7);
	db_bind_text_or_null(s, 8, p->language);
	db_bind_text_or_null(s, 9, p->condition);
	db_bind_text_or_null(s, 10, p->notes);
	sqlite3_bind_text(s, 11, now, -1, SQLITE_STATIC);
}

static const char SQL_PATIENT_INSERT[] =
    "INSERT INTO patients(mrn, name, name_key, dob, phone, phone_key, site_id, language,"
    " condition, notes, created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)";

enum cd_status
db_patient_insert(struct db *db, const struct db_patient *p, const char *now, int64_t *id,
    struct cd_err *err)
{
	struct strbuf name_key = STRBUF_INIT, phone_key = STRBUF_INIT;
	sqlite3_stmt *s;
	enum cd_status st;

	if ((s = db_stmt(db, SQL_PATIENT_INSERT, err)) == NULL)
		return CD_EDATA;
	patient_keys(p, &name_key, &phone_key);
	patient_bind(s, p, &name_key, &phone_key, now);
	if ((st = db_step_done(db, s, err)) == CD_OK)
		*id = sqlite3_last_insert_rowid(db_handle(db));
	strbuf_free(&name_key);
	strbuf_free(&phone_key);
	return st;
}

static const char SQL_PATIENT_UPDATE[] =
    "UPDATE patients SET mrn = ?1, name = ?2, name_key = ?3, dob = ?4, phone = ?5,"
    " phone_key = ?6, site_id = ?7, language = ?8, condition = ?9, notes = ?10,"
    " updated_at = ?11 WHERE id = ?12";

enum cd_status
db_patient_update(struct db *db, int64_t id, const struct db_patient *p, const char *now,
    struct cd_err *err)
{
	struct strbuf name_key = STRBUF_INIT, phone_key = STRBUF_INIT;
	sqlite3_stmt *s;
	enum cd_status st;

	if ((s = db_stmt(db, SQL_PATIENT_UPDATE, err)) == NULL)
		return CD_EDATA;
	patient_keys(p, &name_key, &phone_key);
	patient_bind(s, p, &name_key, &phone_key, now);
	sqlite3_bind_int64(s, 12, id);
	st = db_step_done(db, s, err);
	strbuf_free(&name_key);
	strbuf_free(&phone_key);
	return st;
}

static const char SQL_PATIENT_SHOW[] =
    "SELECT p.mrn, p.name, p.dob, p.phone, s.name AS site, p.language, p.condition,"
    " p.notes, p.created_at AS created, p.updated_at AS updated"
    " FROM patients p LEFT JOIN sites s ON s.id = p.site_id WHERE p.mrn = ?1";

struct counting_ctx {
	cd_row_fn fn;
	void *ctx;
	int rows;
};

static enum cd_status
count_row(void *vctx, const struct cd_row *row, struct cd_err *err)
{
	struct counting_ctx *c = vctx;

	c->rows++;
	return c->fn(c->ctx, row, err);
}

enum cd_status
db_patient_show(struct db *db, const char *mrn, cd_row_fn fn, void *ctx, struct cd_err *err)
{
	struct counting_ctx c = { fn, ctx, 0 };
	sqlite3_stmt *s;
	enum cd_status st;

	if ((s = db_stmt(db, SQL_PATIENT_SHOW, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_text(s, 1, mrn, -1, SQLITE_STATIC);
	if ((st = db_stream(db, s, count_row, &c, err)) != CD_OK)
		return st;
	if (c.rows == 0)
		return CD_REFUSED;
	return CD_OK;
}

#define PATIENT_LIST_COLUMNS \
    "SELECT p.mrn, p.name, p.dob, p.phone, s.name AS site" \
    " FROM patients p LEFT JOIN sites s ON s.id = p.site_id"

static const char SQL_PATIENT_ALL[] =
    PATIENT_LIST_COLUMNS " ORDER BY p.name_key, p.mrn LIMIT ?1 OFFSET ?2";

/* The same from an offset: SQLite steps over the skipped rows one by
 * one, and in the query above each step reads the patient's row (for
 * the join on site_id): 100,000 rows read for the last page of the
 * large demo, 125 ms. Here the page's ids come from the covering index
 * patients_by_name alone (1 ms for that page); only they are read. */
static const char SQL_PATIENT_PAGE[] =
    "SELECT p.mrn, p.name, p.dob, p.phone, s.name AS site"
    " FROM (SELECT id FROM patients ORDER BY name_key, mrn LIMIT ?1 OFFSET ?2) page"
    " JOIN patients p ON p.id = page.id LEFT JOIN sites s ON s.id = p.site_id"
    " ORDER BY p.name_key, p.mrn";

/* One indexed lookup per way of matching, united: name words through
 * FTS5, the MRN by its unique index; phone digits (which may stand
 * anywhere in the number) scan only when the text is digits. A part
 * whose parameter is NULL is skipped before it runs. */
static const char SQL_PATIENT_SEARCH[] =
    PATIENT_LIST_COLUMNS
    " WHERE p.id IN ("
    "   SELECT rowid FROM patients_fts WHERE ?3 IS NOT NULL AND patients_fts MATCH ?3"
    "   UNION SELECT id FROM patients WHERE mrn >= ?4 AND mrn < ?5"
    "   UNION SELECT id FROM patients WHERE ?6 IS NOT NULL AND instr(phone_key, ?6) > 0)"
    " ORDER BY p.name_key, p.mrn LIMIT ?1 OFFSET ?2";

/* Turns what a person typed into an FTS5 query: every word becomes a
 * quoted prefix term ("kova"*), all of which must match. Words without a
 * letter or digit are dropped; an empty result means "no name search". */
static void
fts_query(const char *q, struct strbuf *out)
{
	const char *p = q, *start;
	uint32_t cp;
	size_t k;
	int useful;

	while (*p != '\0') {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		start = p;
		useful = 0;
		while (*p != '\0' && *p != ' ' && *p != '\t') {
			k = utf8_decode(p, strlen(p), &cp);
			if (k == 0)
				k = 1;
			else if (iswalnum((wint_t)cp))
				useful = 1;
			p += k;
		}
		if (!useful)
			continue;
		if (out->len > 0)
			strbuf_addc(out, ' ');
		strbuf_addc(out, '"');
		for (; start < p; start++) {
			if (*start == '"')
				strbuf_addc(out, '"');
			strbuf_addc(out, *start);
		}
		strbuf_adds(out, "\"*");
	}
}

enum cd_status
db_patient_list(struct db *db, const struct db_patient_query *q, cd_row_fn fn, void *ctx,
    struct cd_err *err)
{
	struct strbuf fts = STRBUF_INIT, mrn_hi = STRBUF_INIT, digits = STRBUF_INIT;
	sqlite3_stmt *s;
	enum cd_status st;
	const char *c;

	if (q->search == NULL || q->search[0] == '\0') {
		if ((s = db_stmt(db, q->offset > 0 ? SQL_PATIENT_PAGE : SQL_PATIENT_ALL, err)) == NULL)
			return CD_EDATA;
	} else {
		if ((s = db_stmt(db, SQL_PATIENT_SEARCH, err)) == NULL)
			return CD_EDATA;
		fts_query(q->search, &fts);
		db_bind_text_or_null(s, 3, strbuf_str(&fts));
		/* Everything starting with the text sorts below text + 0xFF,
		 * a byte that never occurs in UTF-8. */
		strbuf_adds(&mrn_hi, q->search);
		strbuf_addc(&mrn_hi, (char)0xFF);
		sqlite3_bind_text(s, 4, q->search, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 5, mrn_hi.s, (int)mrn_hi.len, SQLITE_STATIC);
		for (c = q->search; *c != '\0'; c++) {
			if (isdigit((unsigned char)*c))
				strbuf_addc(&digits, *c);
			else if (strchr(" +-()./", *c) == NULL)
				break;
		}
		/* Phone digits anywhere in the number: people type the
		 * local part without the country code. */
		if (*c == '\0' && digits.len >= 3)
			sqlite3_bind_text(s, 6, digits.s, -1, SQLITE_STATIC);
	}
	sqlite3_bind_int64(s, 1, q->limit > 0 ? q->limit : -1);
	sqlite3_bind_int64(s, 2, q->offset);
	st = db_stream(db, s, fn, ctx, err);
	strbuf_free(&fts);
	strbuf_free(&mrn_hi);
	strbuf_free(&digits);
	return st;
}

static const char SQL_PATIENT_COUNT[] = "SELECT count(*) FROM patients";

enum cd_status
db_patient_count(struct db *db, int64_t *count, struct cd_err *err)
{
	sqlite3_stmt *s;
	int rc;

	if ((s = db_stmt(db, SQL_PATIENT_COUNT, err)) == NULL)
		return CD_EDATA;
	rc = sqlite3_step(s);
	*count = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		return db_fail(db, SQL_PATIENT_COUNT, err);
	return CD_OK;
}

static const char SQL_PATIENT_REF[] =
    "SELECT id, coalesce(site_id, 0), mrn FROM patients WHERE mrn = ?1";

enum cd_status
db_patient_ref(struct db *db, const char *mrn, struct db_patient_ref *out,
    struct cd_err *err)
{
	sqlite3_stmt *s;
	int rc;

	if ((s = db_stmt(db, SQL_PATIENT_REF, err)) == NULL)
		return CD_EDATA;
	sqlite3_bind_text(s, 1, mrn, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		out->id = sqlite3_column_int64(s, 0);
		out->site_id = sqlite3_column_int64(s, 1);
		snprintf(out->mrn, sizeof out->mrn, "%s", (const char *)sqlite3_column_text(s, 2));
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return cd_fail(err, CD_REFUSED, "there is no patient with MRN %s", mrn);
	if (rc != SQLITE_ROW)
		return db_fail(db, SQL_PATIENT_REF, err);
	return CD_OK;
}
