/* ops_patients.c - registering, changing, showing and finding patients. */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../core/date.h"
#include "../core/text.h"
#include "../core/xalloc.h"
#include "ops.h"

/* MRNs are printed on wristbands and scanned: letters, digits, - / . */
static enum cd_status
check_mrn(const char *mrn, struct cd_err *err)
{
	const char *p;

	if (mrn[0] == '\0')
		return cd_fail(err, CD_USAGE, "--mrn must not be empty");
	if (strlen(mrn) > 32)
		return cd_fail(err, CD_USAGE, "--mrn is longer than 32 characters");
	for (p = mrn; *p != '\0'; p++) {
		if (!isalnum((unsigned char)*p) && strchr("-/.", *p) == NULL)
			return cd_fail(err, CD_USAGE,
			    "--mrn may hold only letters, digits, '-', '/' and '.'");
	}
	return CD_OK;
}

static enum cd_status
check_dob(const char *dob, int64_t now_ms, struct cd_err *err)
{
	struct cd_date d;

	if (!date_parse(dob, &d))
		return cd_fail(err, CD_USAGE, "--dob: '%.40s' is not a valid date (YYYY-MM-DD)", dob);
	if (date_to_days(&d) > now_ms / 86400000 + 1)
		return cd_fail(err, CD_USAGE, "--dob: %s is in the future", dob);
	return CD_OK;
}

static enum cd_status
check_phone(const char *phone, struct cd_err *err)
{
	const char *p;

	if (strlen(phone) > 40)
		return cd_fail(err, CD_USAGE, "--phone is longer than 40 characters");
	for (p = phone; *p != '\0'; p++) {
		if (!isdigit((unsigned char)*p) && strchr(" +-()./", *p) == NULL)
			return cd_fail(err, CD_USAGE,
			    "--phone may hold only digits, spaces and + - ( ) . /");
	}
	return CD_OK;
}

/* Checks every field of p that is given. */
static enum cd_status
check_patient(const struct ops_patient *p, int64_t now_ms, struct cd_err *err)
{
	enum cd_status st = CD_OK;

	if (p->mrn != NULL && (st = check_mrn(p->mrn, err)) != CD_OK)
		return st;
	if (p->name != NULL &&
	    (st = text_check_field("--name", p->name, 200, TEXT_REQUIRED, err)) != CD_OK)
		return st;
	if (p->dob != NULL && (st = check_dob(p->dob, now_ms, err)) != CD_OK)
		return st;
	if (p->phone != NULL && (st = check_phone(p->phone, err)) != CD_OK)
		return st;
	if (p->site != NULL &&
	    (st = text_check_field("--site", p->site, 80, 0, err)) != CD_OK)
		return st;
	if (p->language != NULL &&
	    (st = text_check_field("--language", p->language, 40, 0, err)) != CD_OK)
		return st;
	if (p->condition != NULL &&
	    (st = text_check_field("--condition", p->condition, 200, 0, err)) != CD_OK)
		return st;
	if (p->notes != NULL &&
	    (st = text_check_field("--notes", p->notes, 4000, TEXT_MULTILINE, err)) != CD_OK)
		return st;
	return CD_OK;
}

static enum cd_status
site_id_of(struct ops *o, const char *site, int64_t *id, struct cd_err *err)
{
	enum cd_status st;

	*id = 0;
	if (site == NULL || site[0] == '\0')
		return CD_OK;
	if ((st = db_site_find(o->db, site, id, err)) != CD_OK)
		return st;
	if (*id == 0)
		return cd_fail(err, CD_REFUSED, "--site: there is no site called '%.80s'", site);
	return CD_OK;
}

enum cd_status
ops_patient_add(struct ops *o, const struct ops_patient *p, struct cd_err *err)
{
	struct db_patient row;
	enum cd_status st;
	int64_t id;
	char now[25];

	if (p->mrn == NULL || p->name == NULL || p->dob == NULL)
		return cd_fail(err, CD_USAGE, "a patient needs --mrn, --name and --dob");
	if ((st = check_patient(p, o->clock_ms(), err)) != CD_OK)
		return st;
	if ((st = ops_write_begin(o, ACT_PATIENT_EDIT, now, err)) != CD_OK)
		return st;
	memset(&row, 0, sizeof row);
	row.mrn = p->mrn;
	row.name = p->name;
	row.dob = p->dob;
	row.phone = p->phone;
	row.language = p->language;
	row.condition = p->condition;
	row.notes = p->notes;
	if ((st = db_patient_find(o->db, p->mrn, &id, err)) == CD_OK && id != 0)
		st = cd_fail(err, CD_REFUSED, "a patient with MRN %s already exists", p->mrn);
	if (st == CD_OK)
		st = site_id_of(o, p->site, &row.site_id, err);
	if (st == CD_OK)
		st = db_patient_insert(o->db, &row, now, &id, err);
	if (st == CD_OK)
		st = ops_audit_change(o, now, "insert", "patients", id, p->mrn, NULL, NULL, err);
	return ops_write_end(o, st, err);
}

/* The current record, copied out of a patient show row. */
enum { F_MRN, F_NAME, F_DOB, F_PHONE, F_SITE, F_LANGUAGE, F_CONDITION, F_NOTES, F_COUNT };

static enum cd_status
copy_row(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	char **f = ctx;
	int i;

	(void)err;
	for (i = 0; i < F_COUNT && i < row->n; i++)
		f[i] = row->vals[i] != NULL ? xstrdup(row->vals[i]) : NULL;
	return CD_OK;
}

static const char *
given_or(const char *given, const char *current)
{
	return given != NULL ? given : current;
}

enum cd_status
ops_patient_edit(struct ops *o, const char *mrn, const struct ops_patient *p,
    const char *reason, struct cd_err *err)
{
	char *cur[F_COUNT] = { NULL }, *old = NULL, now[25];
	struct db_patient row;
	enum cd_status st;
	int64_t id;
	int i;

	if (p->mrn != NULL && strcmp(p->mrn, mrn) != 0)
		return cd_fail(err, CD_REFUSED,
		    "an MRN cannot be changed; it identifies the patient's records");
	if ((st = check_patient(p, o->clock_ms(), err)) != CD_OK)
		return st;
	if (reason != NULL && (st = text_check_field("--reason", reason, 500, 0, err)) != CD_OK)
		return st;
	if ((st = ops_write_begin(o, ACT_PATIENT_EDIT, now, err)) != CD_OK)
		return st;
	st = db_patient_find(o->db, mrn, &id, err);
	if (st == CD_OK && id == 0)
		st = cd_fail(err, CD_REFUSED, "there is no patient with MRN %.40s", mrn);
	if (st == CD_OK)
		st = db_patient_show(o->db, mrn, copy_row, cur, err);
	memset(&row, 0, sizeof row);
	row.mrn = cur[F_MRN];
	row.name = given_or(p->name, cur[F_NAME]);
	row.dob = given_or(p->dob, cur[F_DOB]);
	row.phone = given_or(p->phone, cur[F_PHONE]);
	row.language = given_or(p->language, cur[F_LANGUAGE]);
	row.condition = given_or(p->condition, cur[F_CONDITION]);
	row.notes = given_or(p->notes, cur[F_NOTES]);
	if (st == CD_OK)
		st = site_id_of(o, given_or(p->site, cur[F_SITE]), &row.site_id, err);
	if (st == CD_OK)
		st = db_snapshot(o->db, "patients", id, &old, err);
	if (st == CD_OK)
		st = db_patient_update(o->db, id, &row, now, err);
	if (st == CD_OK) {
		st = ops_audit_change(o, now, "update", "patients", id, row.mrn, old, reason, err);
		old = NULL;
	}
	free(old);
	for (i = 0; i < F_COUNT; i++)
		free(cur[i]);
	return ops_write_end(o, st, err);
}

enum cd_status
ops_patient_show(struct ops *o, const char *mrn, cd_row_fn fn, void *ctx, struct cd_err *err)
{
	enum cd_status st;

	if ((st = ops_require(o, ACT_PATIENT_VIEW, err)) != CD_OK)
		return st;
	st = db_patient_show(o->db, mrn, fn, ctx, err);
	if (st == CD_REFUSED)
		return cd_fail(err, CD_REFUSED, "there is no patient with MRN %.40s", mrn);
	return st;
}

enum cd_status
ops_patient_list(struct ops *o, const struct db_patient_query *q, cd_row_fn fn, void *ctx,
    struct cd_err *err)
{
	enum cd_status st;

	if ((st = ops_require(o, ACT_PATIENT_VIEW, err)) != CD_OK)
		return st;
	if (q->search != NULL &&
	    (st = text_check_field("--search", q->search, 200, 0, err)) != CD_OK)
		return st;
	return db_patient_list(o->db, q, fn, ctx, err);
}
