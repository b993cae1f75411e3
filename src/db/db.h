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

/* Write transactions are always BEGIN IMMEDIATE. Inside one, db_begin
 * opens a savepoint instead, so one action can run inside a larger one
 * (the lab sync applies a page of results as one transaction) and a
 * refused inner action rolls back only its own part. */
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
	char name[128];  /* the printed name signatures carry */
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
/* The resource's name into buf ("" when there is none). */
enum cd_status db_resource_name(struct db *db, int64_t id, char *buf, size_t n,
    struct cd_err *err);
/* Rows: name, site, kind, tags, hours (its own weekly hours as "mon-fri
 * 09:00-15:00", NULL when it keeps its site's); site_id 0 lists every
 * site's resources. */
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

/* --- scheduling: sites and patients as the planner sees them --- */
struct db_site {
	int64_t id;
	char name[128];
	char tz[64];
};
/* CD_REFUSED when there is no such site. */
enum cd_status db_site_get(struct db *db, int64_t id, struct db_site *out,
    struct cd_err *err);
/* Every site's id, by name; at most max. */
enum cd_status db_site_ids(struct db *db, int64_t *ids, int max, int *n, struct cd_err *err);
struct db_patient_ref {
	int64_t id, site_id; /* site_id 0: no preferred site */
	char mrn[64];
};
/* CD_REFUSED when no patient has that MRN. */
enum cd_status db_patient_ref(struct db *db, const char *mrn, struct db_patient_ref *out,
    struct cd_err *err);

/* --- calendars (calendar.c): opening hours, closures, absences, who is busy --- */
/* The site's minutes open on local day d (open == close == 0: closed,
 * with the closure's reason in why when there is one). */
enum cd_status db_site_day(struct db *db, int64_t site_id, const struct cd_date *d,
    int *open, int *close, char *why, size_t whylen, struct cd_err *err);
/* The site's resources of kind carrying one of tags (any when ntags is
 * 0), clinicians' by name, others by name; at most max. */
enum cd_status db_resource_candidates(struct db *db, int64_t site_id, const char *kind,
    const char (*tags)[32], int ntags, int64_t *ids, int max, int *n, struct cd_err *err);
/* A resource's minutes open on local day d: its own hours when it has
 * any, else its site's (closures included). */
enum cd_status db_resource_day(struct db *db, int64_t res, const struct cd_date *d,
    int *open, int *close, struct cd_err *err);
typedef void (*db_span_fn)(void *ctx, int64_t start, int64_t end, bool away);
/* Spans meeting [from, to) (UTC seconds) when resource res is held by a
 * visit (away = false) or absent (away = true), or when patient is held;
 * visits of cycle exclude_cycle (0: none) are left out. */
enum cd_status db_busy_resource(struct db *db, int64_t res, int64_t from, int64_t to,
    int64_t exclude_cycle, db_span_fn fn, void *ctx, struct cd_err *err);
enum cd_status db_busy_patient(struct db *db, int64_t patient, int64_t from, int64_t to,
    int64_t exclude_cycle, db_span_fn fn, void *ctx, struct cd_err *err);
/* How many visits still hold a site's day (local YYYY-MM-DD), or a
 * resource during [from, to) (UTC seconds). */
enum cd_status db_held_on_site_day(struct db *db, int64_t site_id, const char *day,
    int64_t *count, struct cd_err *err);
enum cd_status db_held_by_resource(struct db *db, int64_t res, int64_t from, int64_t to,
    int64_t *count, struct cd_err *err);
/* *id = 0 when the site is already closed that day. */
enum cd_status db_site_close(struct db *db, int64_t site_id, const char *day,
    const char *reason, int64_t *id, struct cd_err *err);
/* start and end are UTC seconds. */
enum cd_status db_resource_absence_insert(struct db *db, int64_t res, int64_t start,
    int64_t end, const char *reason, int64_t *id, struct cd_err *err);
enum cd_status db_resource_hours_set(struct db *db, int64_t res, const struct cd_hours *h,
    struct cd_err *err);

/* --- protocols (protocols.c) --- */
/* *id = 0 when there is none; otherwise *body (JSON) is the caller's. */
enum cd_status db_protocol_get(struct db *db, const char *name, int64_t *id, char **body,
    struct cd_err *err);
enum cd_status db_protocol_insert(struct db *db, const char *name, const char *body,
    const char *now, int64_t *id, struct cd_err *err);
enum cd_status db_protocol_update(struct db *db, int64_t id, const char *body,
    const char *now, struct cd_err *err);
enum cd_status db_protocol_count(struct db *db, int64_t *count, struct cd_err *err);
/* Rows: name, body. */
enum cd_status db_protocol_list(struct db *db, cd_row_fn fn, void *ctx, struct cd_err *err);

/* --- cycles and their visits (cycles.c, appointments.c) --- */
struct db_cycle {
	int64_t id, patient_id, protocol_id, site_id;
	char *body;            /* the protocol as booked; owned */
	char source[16];       /* autologous, donor */
	int courses, gap_days;
	char status[16];       /* active, cancelled */
};
enum cd_status db_cycle_insert(struct db *db, const struct db_cycle *c, const char *now,
    int64_t *id, struct cd_err *err);
/* CD_REFUSED when there is none; free with db_cycle_clear. */
enum cd_status db_cycle_get(struct db *db, int64_t id, struct db_cycle *out,
    struct cd_err *err);
void db_cycle_clear(struct db_cycle *c);
enum cd_status db_cycle_set_status(struct db *db, int64_t id, const char *status,
    const char *reason, const char *now, struct cd_err *err);
/* Rows: id, patient, protocol, site, source, courses, status, first, last
 * (first and last visits' local days); patient_id 0 lists every cycle. */
enum cd_status db_cycle_list(struct db *db, int64_t patient_id, cd_row_fn fn, void *ctx,
    struct cd_err *err);

#define DB_APPT_MAX_RES 4
struct db_appt {
	int64_t id, cycle_id, patient_id, site_id;
	int course;            /* 0: a cycle-wide visit */
	int step_no;
	char step[16];
	char tz[64];
	char local_day[11];
	int64_t start, end;    /* UTC seconds */
	char status[24];
	bool held;
	int nres;
	int64_t res[DB_APPT_MAX_RES];
	char note[608];        /* a protocol step's note: 150 characters */
};
enum cd_status db_appt_insert(struct db *db, const struct db_appt *a, const char *override,
    const char *now, int64_t *id, struct cd_err *err);
/* CD_REFUSED when there is no such visit. */
enum cd_status db_appt_get(struct db *db, int64_t id, struct db_appt *out,
    struct cd_err *err);
/* A cycle's visits by start, at most max. */
enum cd_status db_appt_of_cycle(struct db *db, int64_t cycle_id, struct db_appt *out,
    int max, int *n, struct cd_err *err);
enum cd_status db_appt_set_status(struct db *db, int64_t id, const char *status, bool held,
    const char *reason, const char *now, struct cd_err *err);
/* Lets go of a visit's patient and resources while it is being moved. */
enum cd_status db_appt_release(struct db *db, int64_t id, struct cd_err *err);
/* Puts a released visit at a's day, times and resources and holds them
 * again; override says why an overlap is allowed (NULL: none is). */
enum cd_status db_appt_place(struct db *db, const struct db_appt *a, const char *override,
    const char *reason, const char *now, struct cd_err *err);

/* Visit rows for listings: id, cycle, course, step, patient, name, site,
 * tz, resource, start, end (UTC text), status, note, phone, reason. Days are
 * local YYYY-MM-DD, [day_from, day_to); resource 0: any. */
enum cd_status db_agenda_site(struct db *db, int64_t site_id, const char *day_from,
    const char *day_to, int64_t resource, cd_row_fn fn, void *ctx, struct cd_err *err);
/* site 0: any. */
enum cd_status db_agenda_patient(struct db *db, int64_t patient_id, const char *day_from,
    const char *day_to, int64_t site_id, int64_t resource, cd_row_fn fn, void *ctx,
    struct cd_err *err);
/* The agenda row of one visit (visit_id) or of every visit of a cycle. */
enum cd_status db_agenda_one(struct db *db, int64_t visit_id, int64_t cycle_id, cd_row_fn fn,
    void *ctx, struct cd_err *err);
/* A cycle's record: cycle, patient, name, protocol, site, source,
 * courses, gap_days, status, reason; *found = 0 when there is none. */
enum cd_status db_cycle_show(struct db *db, int64_t id, cd_row_fn fn, void *ctx,
    int64_t *found, struct cd_err *err);
/* Calls due at a site on local day: the planned calls of that day and a
 * reminder for each booked visit of the next day. Rows: kind, patient,
 * name, phone, site, tz, start, appt, step, course, note, sort, and the
 * newest recorded outcome: outcome, outcome_note, outcome_by,
 * outcome_at (UTC text; all NULL when none is recorded). */
enum cd_status db_calls(struct db *db, int64_t site_id, const char *day,
    const char *next_day, cd_row_fn fn, void *ctx, struct cd_err *err);
/* Records what became of visit appt's call of kind (call, reminder):
 * outcome done or unreachable, note NULL or "" for none. */
enum cd_status db_call_outcome_insert(struct db *db, int64_t appt, const char *kind,
    const char *outcome, const char *note, const char *actor, const char *now, int64_t *id,
    struct cd_err *err);

/* --- cell lots (lots.c: records; lot_queries.c: listings) --- */
#define DB_LOCATION_MAX 256
struct db_lot {
	int64_t id, patient_id, parent_id, cycle_id, site_id, unit_id;
	int64_t appointment_id, recipient_id, excursion_id; /* 0: none */
	char code[40], din[14], product_code[9];
	char kind[12], donor_code[40], donor_status[12], source[12], coi[48];
	double volume_ml, cell_count, viability; /* NAN: not known */
	char collected_at[21], expires_at[21];   /* UTC text */
	char storage[16], position[64], holder[64], status[16], reason[256];
};
/* *out by code; out->id = 0 when there is no such lot. */
enum cd_status db_lot_find(struct db *db, const char *code, struct db_lot *out,
    struct cd_err *err);
enum cd_status db_lot_get(struct db *db, int64_t id, struct db_lot *out, struct cd_err *err);
/* Every lot of donor (ids, oldest first) into *ids (caller frees). */
enum cd_status db_donor_lots(struct db *db, const char *donor, int64_t **ids, size_t *n,
    struct cd_err *err);
/* The lot reserved or issued for visit appt; out->id = 0 when none. */
enum cd_status db_lot_of_appt(struct db *db, int64_t appt, struct db_lot *out,
    struct cd_err *err);
enum cd_status db_lot_insert(struct db *db, const struct db_lot *l, const char *now,
    int64_t *id, struct cd_err *err);
/* Writes the fields that may change: donor_status, volume, cells,
 * viability, expiry, storage, place, holder, status, reason, visit,
 * recipient, excursion. */
enum cd_status db_lot_update(struct db *db, const struct db_lot *l, const char *now,
    struct cd_err *err);
/* The lot's place as people read it: "Kyiv/LN2-1/R2/B07/C4", or
 * "Kyiv (held by okovalenko)". */
enum cd_status db_lot_location(struct db *db, int64_t id, char *buf, size_t n,
    struct cd_err *err);
/* The storage unit called name at site; *id = 0 when there is none. */
enum cd_status db_unit_find(struct db *db, int64_t site_id, const char *name, int64_t *id,
    struct cd_err *err);
struct db_custody {
	int64_t lot_id;
	const char *at, *actor, *event, *from, *to, *note;
	double temp_c; /* NAN: not measured */
};
enum cd_status db_custody_insert(struct db *db, const struct db_custody *e, int64_t *id,
    struct cd_err *err);
/* One QC result: numeric (text NULL) or a word. */
enum cd_status db_qc_insert(struct db *db, int64_t lot_id, const char *test,
    const char *text, double value, const char *at, const char *actor, int64_t *id,
    struct cd_err *err);
struct lot_qc_limit;
struct lot_qc_result;
/* The limits of a product type (source), at most max. */
enum cd_status db_qc_limits(struct db *db, const char *source, struct lot_qc_limit *out,
    size_t max, size_t *n, struct cd_err *err);
/* The newest result of each test of a lot, at most max. */
enum cd_status db_qc_latest(struct db *db, int64_t lot_id, struct lot_qc_result *out,
    size_t max, size_t *n, struct cd_err *err);
/* The *_set functions insert or replace one row: *id is its id, *old
 * its snapshot before (NULL when new; the caller frees it). */
enum cd_status db_qc_limit_set(struct db *db, const char *source,
    const struct lot_qc_limit *l, int64_t *id, char **old, struct cd_err *err);
/* Hours a product keeps in a storage state; 0 when no rule says. */
enum cd_status db_expiry_hours(struct db *db, const char *source, const char *storage,
    int64_t *hours, struct cd_err *err);
enum cd_status db_expiry_rule_set(struct db *db, const char *source, const char *storage,
    int64_t hours, int64_t *id, char **old, struct cd_err *err);
/* A clinic-wide setting; "" when unset. */
enum cd_status db_setting_get(struct db *db, const char *key, char *buf, size_t n,
    struct cd_err *err);
enum cd_status db_setting_set(struct db *db, const char *key, const char *value, int64_t *id,
    char **old, struct cd_err *err);
enum cd_status db_signature_insert(struct db *db, int64_t lot_id, const char *meaning,
    const char *username, const char *printed_name, const char *at, int64_t *id,
    struct cd_err *err);
struct db_bedside {
	const char *at, *actor, *lot_text, *patient_text, *outcome, *reason;
	int64_t lot_id, appointment_id; /* 0: none */
};
enum cd_status db_bedside_insert(struct db *db, const struct db_bedside *b, int64_t *id,
    struct cd_err *err);

/* Listings (lot_queries.c). Times are UTC text; each row carries tz,
 * its site's zone. */
struct db_lot_query {
	const char *status;       /* NULL: in stock; "all": any status */
	int64_t site_id, patient_id; /* 0: any; a patient's own or received */
	const char *expires_before; /* UTC text: in stock and expiring before */
	const char *din;          /* NULL: any; else every lot of one donation */
	int64_t limit;            /* 0: no limit */
};
/* Rows: id, kind, status, source, patient, donor, eligibility, expires,
 * location, site, tz; by expiry. */
enum cd_status db_lot_list(struct db *db, const struct db_lot_query *q, cd_row_fn fn,
    void *ctx, struct cd_err *err);
/* One lot as a record (the columns of celldesk lot show). */
enum cd_status db_lot_show(struct db *db, int64_t id, cd_row_fn fn, void *ctx,
    struct cd_err *err);
/* Rows: at, event, actor, from, to, temp, note, tz; oldest first. */
enum cd_status db_lot_custody(struct db *db, int64_t id, cd_row_fn fn, void *ctx,
    struct cd_err *err);
/* Lots derived from lot id (or, with id 0, from every lot of donor),
 * each after its parent, with who received it. Rows: depth, id,
 * parent, kind, status, source, donor, patient, recipient,
 * recipient_name, administered, tz. */
enum cd_status db_lot_trace_forward(struct db *db, int64_t id, const char *donor,
    cd_row_fn fn, void *ctx, struct cd_err *err);
/* The sources of lot id (or, with id 0, of every lot patient received),
 * nearest first; the same rows. */
enum cd_status db_lot_trace_back(struct db *db, int64_t id, int64_t patient_id,
    cd_row_fn fn, void *ctx, struct cd_err *err);
/* FEFO: released lots that could serve visit appt (of a cycle with
 * cells from source), first to expire first. Rows as db_lot_list. */
enum cd_status db_lot_suggest(struct db *db, int64_t appt_id, const char *source,
    int64_t limit, cd_row_fn fn, void *ctx, struct cd_err *err);
/* At one site: reserved lots that expire before their visit ends, and
 * booked injection visits on local days from..to with no lot reserved
 * and none released that would last. Rows: risk, appt, start, patient,
 * name, site, lot, lot_status, expires, tz. */
enum cd_status db_lot_at_risk(struct db *db, int64_t site_id, const char *from,
    const char *to, cd_row_fn fn, void *ctx, struct cd_err *err);
/* The same risks within one cycle, as booking and moving flag them:
 * reserved lots expiring before their visit, and (donor cycles) booked
 * injections no released donor lot would last for. Rows: risk, appt,
 * start, lot, expires, tz. */
enum cd_status db_lot_cycle_risks(struct db *db, int64_t cycle_id, cd_row_fn fn, void *ctx,
    struct cd_err *err);
/* The lots linked to a cycle's visits: held for one (reserved, issued)
 * or given at one (administered). Rows: appt, lot (its code), status. */
enum cd_status db_lot_of_cycle(struct db *db, int64_t cycle_id, cd_row_fn fn, void *ctx,
    struct cd_err *err);

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

/* --- storage units and temperatures (storage.c) --- */
struct db_storage_unit {
	int64_t id, site_id;
	char site[128], tz[64];  /* the site's name and zone */
	char name[128];
	char kind[16];           /* ln2-tank, freezer, fridge, incubator, room */
	double min_c, max_c;     /* the allowed range */
};
/* The unit called exactly name at site_id; *found = false when there is
 * none. */
enum cd_status db_storage_find(struct db *db, int64_t site_id, const char *name,
    struct db_storage_unit *out, bool *found, struct cd_err *err);
/* The stored name of a unit of site_id whose name is name but for ASCII
 * case, into buf ("" when there is none). */
enum cd_status db_storage_name_taken(struct db *db, int64_t site_id, const char *name,
    char *buf, size_t n, struct cd_err *err);
/* CD_REFUSED when there is no unit id. */
enum cd_status db_storage_get(struct db *db, int64_t id, struct db_storage_unit *out,
    struct cd_err *err);
enum cd_status db_storage_insert(struct db *db, int64_t site_id, const char *name,
    const char *kind, double min_c, double max_c, const char *now, int64_t *id,
    struct cd_err *err);
/* Rows: site, tz, name, kind, min, max, lots (stored there now: neither
 * administered nor discarded nor held by a person), last_reading (UTC
 * text), last_temp,
 * excursions (open); by site and name. site_id 0: every site. */
enum cd_status db_storage_list(struct db *db, int64_t site_id, cd_row_fn fn, void *ctx,
    struct cd_err *err);

struct db_storage_reading {
	int64_t id, unit_id;
	char at[21];             /* UTC text */
	double temp_c;
	bool excursion;
	bool corrected;          /* a corrective note is recorded */
	char corrective_by[64], corrective_at[32];
};
/* CD_REFUSED when there is no reading id. */
enum cd_status db_storage_reading_get(struct db *db, int64_t id,
    struct db_storage_reading *out, struct cd_err *err);
/* Inserts a reading (at: UTC text; source entered or csv) unless the unit
 * already has one at that time: then *id = 0 and *recorded is that
 * reading's temperature. */
enum cd_status db_storage_reading_insert(struct db *db, int64_t unit_id, const char *at,
    double temp_c, const char *actor, const char *source, bool excursion, int64_t *id,
    double *recorded, struct cd_err *err);
/* Records the corrective action of excursion id. */
enum cd_status db_storage_reading_correct(struct db *db, int64_t id, const char *note,
    const char *by, const char *now, struct cd_err *err);
/* The newest (by time) open excursion of unit other than except; *id = 0
 * when there is none. */
enum cd_status db_storage_open_excursion(struct db *db, int64_t unit_id, int64_t except,
    int64_t *id, struct cd_err *err);
/* Rows: id, time (UTC text), temp, source, actor, excursion (NULL, open
 * or corrected), corrective_note; newest first, from since (UTC text) on. */
enum cd_status db_storage_readings(struct db *db, int64_t unit_id, const char *since,
    cd_row_fn fn, void *ctx, struct cd_err *err);
/* Open excursions, oldest first. Rows: reading, site, tz, unit, time (UTC
 * text), temp, min, max, lots (flagged by it now). site_id 0: every site. */
enum cd_status db_storage_excursions(struct db *db, int64_t site_id, cd_row_fn fn,
    void *ctx, struct cd_err *err);

/* A lot as an excursion concerns it. */
struct db_storage_lot {
	int64_t id;
	char code[64];
};
/* The lots stored in unit_id now (neither administered nor discarded,
 * nor held by a person), or the lots whose open flag is reading_id;
 * *lots is the caller's to free. */
enum cd_status db_storage_lots_in(struct db *db, int64_t unit_id,
    struct db_storage_lot **lots, size_t *n, struct cd_err *err);
enum cd_status db_storage_lots_flagged(struct db *db, int64_t reading_id,
    struct db_storage_lot **lots, size_t *n, struct cd_err *err);
/* Points a lot's open-excursion flag at reading_id (0: clears it). */
enum cd_status db_storage_flag_lot(struct db *db, int64_t lot_id, int64_t reading_id,
    const char *now, struct cd_err *err);

/* --- the lab link (sync.c) --- */

/* What an order for lot_id tells the lab: its patient (autologous) and
 * the start (UTC text) of its cycle's first injection still to come. */
struct db_order_facts {
	char mrn[64], name[256], dob[11];
	char needed_at[21];            /* "" when none */
};
enum cd_status db_order_facts(struct db *db, const struct db_lot *l, struct db_order_facts *f,
    struct cd_err *err);
enum cd_status db_outbox_insert(struct db *db, const char *kind, int64_t lot_id,
    const char *bundle, const char *now, int64_t *id, struct cd_err *err);
/* *n = the outbox rows of lot_id. */
enum cd_status db_outbox_count_lot(struct db *db, int64_t lot_id, int64_t *n,
    struct cd_err *err);
struct db_outbox_row {
	int64_t id, lot_id, attempts;
	char *bundle;                  /* the caller frees */
};
/* The oldest pending row after after_id; out->id = 0 when none. */
enum cd_status db_outbox_next(struct db *db, int64_t after_id, struct db_outbox_row *out,
    struct cd_err *err);
/* status sent, pending (one more attempt) or failed; error NULL for sent. */
enum cd_status db_outbox_mark(struct db *db, int64_t id, const char *status, const char *now,
    const char *error, struct cd_err *err);
/* A failed row back to pending; CD_REFUSED when id is not a failed row. */
enum cd_status db_outbox_retry(struct db *db, int64_t id, struct cd_err *err);
/* Rows: id, created (UTC text), lot, status, attempts, last_attempt, sent,
 * error; newest first, at most limit; status NULL: all. */
enum cd_status db_outbox_list(struct db *db, const char *status, int64_t limit, cd_row_fn fn,
    void *ctx, struct cd_err *err);

/* The server's id of what an order created. */
enum cd_status db_lab_link_put(struct db *db, const char *type, const char *fhir_id,
    int64_t lot_id, int64_t patient_id, struct cd_err *err);
/* *lot_id, *patient_id (0: none) of type/fhir_id; *found false when unknown. */
enum cd_status db_lab_link_get(struct db *db, const char *type, const char *fhir_id,
    int64_t *lot_id, int64_t *patient_id, bool *found, struct cd_err *err);

/* The pull cursor of resource ("" when none yet). */
enum cd_status db_sync_cursor(struct db *db, const char *resource, char *buf, size_t n,
    struct cd_err *err);
enum cd_status db_sync_cursor_set(struct db *db, const char *resource, const char *last_updated,
    const char *now, struct cd_err *err);
/* The version of type/fhir_id already taken in ("" when never). */
enum cd_status db_lab_applied_version(struct db *db, const char *type, const char *fhir_id,
    char *buf, size_t n, struct cd_err *err);
enum cd_status db_lab_applied_put(struct db *db, const char *type, const char *fhir_id,
    const char *version, const char *last_updated, int64_t lot_id, const char *outcome,
    const char *now, struct cd_err *err);

enum cd_status db_review_add(struct db *db, const char *type, const char *fhir_id,
    const char *lot_code, const char *reason, const char *now, int64_t *id,
    struct cd_err *err);
/* CD_REFUSED when id is not an open item. */
enum cd_status db_review_resolve(struct db *db, int64_t id, const char *by, const char *note,
    const char *now, struct cd_err *err);
/* Rows: id, created (UTC text), type, fhir_id, lot, reason, status,
 * resolved, by, note; oldest first, limit of them (-1: all) from offset;
 * all false: open ones only. */
enum cd_status db_review_list(struct db *db, bool all, int64_t offset, int64_t limit,
    cd_row_fn fn, void *ctx, struct cd_err *err);

struct db_sync_run {
	const char *started_at, *finished_at, *run_by, *message;
	bool ok;
	int64_t sent, pulled, applied, review, failed;
};
enum cd_status db_sync_run_add(struct db *db, const struct db_sync_run *r, struct cd_err *err);
/* Rows of key, value pairs: the outbox counts, each cursor, the last
 * success and the last failure with its message, the open reviews. */
enum cd_status db_sync_status(struct db *db, cd_row_fn fn, void *ctx, struct cd_err *err);

#endif
