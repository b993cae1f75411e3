/* db.h - the SQLite store: one connection wrapper and one function set
 * per aggregate. The only header above src/db that speaks of the store;
 * no SQLite type crosses it. */
#ifndef CD_DB_H
#define CD_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/audit_chain.h"
#include "../core/date.h"
#include "../core/status.h"

struct db;

/* A row handed to a listing callback: n columns with their names. */
struct cd_row {
	int n;
	const char *const *keys;
	const char *const *vals; /* NULL for SQL NULL */
};
typedef enum cd_status (*cd_row_fn)(void *ctx, const struct cd_row *row,
    struct cd_err *err);

enum db_open_mode {
	DB_OPEN_EXISTING, /* refuse a missing file or an older schema */
	DB_OPEN_CREATE    /* create the file if needed; the caller migrates */
};

/* Opens path after checking, without writing to it, that it is a celldesk
 * database (or a new one, with DB_OPEN_CREATE) whose schema is not newer
 * than this program's. On success *out is owned by the caller. */
enum cd_status db_open(const char *path, enum db_open_mode mode, struct db **out,
    struct cd_err *err);
void db_close(struct db **db);
const char *db_path(const struct db *db);

/* Schema versions: the file's, and the newest this program knows. */
int db_schema_version(struct db *db);
int db_schema_latest(void);
/* Applies every pending migration, each in its own transaction. */
enum cd_status db_migrate(struct db *db, struct cd_err *err);

/* Write transactions are always BEGIN IMMEDIATE. */
enum cd_status db_begin(struct db *db, struct cd_err *err);
enum cd_status db_commit(struct db *db, struct cd_err *err);
void db_rollback(struct db *db);
/* Read snapshots: BEGIN (deferred) ... db_end_read. */
enum cd_status db_begin_read(struct db *db, struct cd_err *err);
void db_end_read(struct db *db);
/* Changes whenever another connection commits (PRAGMA data_version). */
int64_t db_data_version(struct db *db);

/* Online backup to a new file (SQLite backup API). */
enum cd_status db_backup(struct db *db, const char *dest, struct cd_err *err);

/* --- staff (staff.c) --- */
struct db_staff {
	int64_t id;
	char username[64];
	char roles[64];
	bool active;
};
/* CD_OK and fills *out; CD_REFUSED when there is no such user. */
enum cd_status db_staff_get(struct db *db, const char *username, struct db_staff *out,
    struct cd_err *err);
enum cd_status db_staff_count(struct db *db, int64_t *count, struct cd_err *err);
enum cd_status db_staff_count_active_admins(struct db *db, int64_t *count,
    struct cd_err *err);
enum cd_status db_staff_insert(struct db *db, const char *username, const char *name,
    const char *roles, const char *now, int64_t *id, struct cd_err *err);
enum cd_status db_staff_set_active(struct db *db, int64_t id, bool active,
    struct cd_err *err);
enum cd_status db_staff_list(struct db *db, cd_row_fn fn, void *ctx, struct cd_err *err);

/* --- sites and resources (sites.c) --- */
/* *id = 0 when no site has that name. */
enum cd_status db_site_find(struct db *db, const char *name, int64_t *id, struct cd_err *err);
enum cd_status db_site_insert(struct db *db, const char *name, const char *tz,
    const struct cd_hours *hours, const char *now, int64_t *id, struct cd_err *err);
enum cd_status db_site_list(struct db *db, cd_row_fn fn, void *ctx, struct cd_err *err);
enum cd_status db_resource_find(struct db *db, int64_t site_id, const char *name,
    int64_t *id, struct cd_err *err);
enum cd_status db_resource_insert(struct db *db, int64_t site_id, const char *name,
    const char *kind, const char *const *tags, size_t ntags, const char *now,
    int64_t *id, struct cd_err *err);
/* site_id 0 lists every site's resources. */
enum cd_status db_resource_list(struct db *db, int64_t site_id, cd_row_fn fn, void *ctx,
    struct cd_err *err);

/* --- patients (patients.c) --- */
struct db_patient {
	const char *mrn, *name, *dob;
	const char *phone, *language, *condition, *notes; /* NULL = none */
	int64_t site_id; /* 0 = none */
};
/* *id = 0 when no patient has that MRN. */
enum cd_status db_patient_find(struct db *db, const char *mrn, int64_t *id,
    struct cd_err *err);
enum cd_status db_patient_insert(struct db *db, const struct db_patient *p,
    const char *now, int64_t *id, struct cd_err *err);
/* Replaces every field of patient id with p's. */
enum cd_status db_patient_update(struct db *db, int64_t id, const struct db_patient *p,
    const char *now, struct cd_err *err);
/* One patient as a row (mrn, name, dob, phone, site, language, condition,
 * notes, created, updated); CD_REFUSED when there is none. */
enum cd_status db_patient_show(struct db *db, const char *mrn, cd_row_fn fn, void *ctx,
    struct cd_err *err);
struct db_patient_query {
	const char *search; /* NULL: everyone, by name */
	int64_t limit;      /* 0: no limit */
	int64_t offset;
};
enum cd_status db_patient_list(struct db *db, const struct db_patient_query *q,
    cd_row_fn fn, void *ctx, struct cd_err *err);
enum cd_status db_patient_count(struct db *db, int64_t *count, struct cd_err *err);

/* --- audit trail (audit.c) --- */
/* The row id of table ("patients", "staff", "sites", "resources") as a
 * JSON object for the audit trail, or NULL when there is none; the
 * caller frees it. */
enum cd_status db_snapshot(struct db *db, const char *table, int64_t id, char **out,
    struct cd_err *err);
/* Appends r (its seq is assigned here) to the chain. Call inside the
 * write transaction that made the change. */
enum cd_status db_audit_append(struct db *db, struct audit_record *r, struct cd_err *err);
struct db_audit_query {
	const char *tbl, *row_key, *since; /* NULL: any */
	int64_t limit;                     /* 0: no limit */
};
enum cd_status db_audit_log(struct db *db, const struct db_audit_query *q, cd_row_fn fn,
    void *ctx, struct cd_err *err);
struct db_audit_verdict {
	int64_t records;
	int64_t broken_seq; /* 0 when the chain is intact */
	char what[256];     /* why broken_seq is broken */
	char head[65];      /* the last record's hash */
};
enum cd_status db_audit_verify(struct db *db, struct db_audit_verdict *v,
    struct cd_err *err);

#endif
