/* ops.h - one function per user action. Each checks the actor's role,
 * opens BEGIN IMMEDIATE, reads through db, decides through core, writes
 * through db with its audit record in the same transaction, and commits.
 * The only way anything in the database changes; the CLI and the TUI
 * both come through here. */
#ifndef CD_OPS_H
#define CD_OPS_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/conf_parse.h"
#include "../core/roles.h"
#include "../core/strbuf.h"
#include "../core/status.h"
#include "../db/db.h"

struct ops {
	struct db *db;
	char actor[64];  /* the Unix account running the program */
	char actor_name[128]; /* its staff name, else its password-file name */
	bool is_staff;   /* has a staff row that is active */
	unsigned roles;  /* ROLE_* of that row */
	int64_t (*clock_ms)(void); /* UTC milliseconds; fixed in tests */
	bool lab_sync;   /* acting as "lab-sync" (ops_lab_begin) */
	char run_by[64]; /* the account that started the lab sync */
};

/* Which database file to use: --db, $CELLDESK_DB, the user's then the
 * system's configuration file, then the XDG default. The caller frees
 * *path. */
enum cd_status ops_db_path(const char *cli_path, char **path, struct cd_err *err);

/* The configuration files (celldesk.conf(5)): the system's, and the
 * user's ($XDG_CONFIG_HOME/celldesk/config, newly allocated). */
#define OPS_SYSTEM_CONFIG "/etc/celldesk/celldesk.conf"
char *ops_config_user_file(void);
/* Calls fn for each setting of file (conf_parse); a missing file is not
 * an error, one over 1 MiB is. */
enum cd_status ops_config_read(const char *file, conf_fn fn, void *ctx, struct cd_err *err);
/* "~/x" -> "$HOME/x"; newly allocated. */
char *ops_expand_home(const char *path);

enum ops_open_mode {
	OPS_OPEN_USE,   /* an existing, current database */
	OPS_OPEN_SETUP  /* init and demo: may create and migrate */
};
/* Identifies the actor and opens the database. */
enum cd_status ops_open(struct ops *o, const char *path, enum ops_open_mode mode,
    struct cd_err *err);
void ops_close(struct ops *o);

/* CD_OK when the actor is active staff holding a role that allows
 * action; otherwise a refusal in words. */
enum cd_status ops_require(struct ops *o, enum cd_action action, struct cd_err *err);

/* --- database set-up (ops_init.c) --- */
struct ops_init_result {
	int schema_from, schema_to;
	bool made_first_admin;
};
enum cd_status ops_init(struct ops *o, struct ops_init_result *res, struct cd_err *err);
enum cd_status ops_backup(struct ops *o, const char *dest, struct cd_err *err);

/* --- staff, sites, resources (ops_staff.c, ops_sites.c) --- */
enum cd_status ops_staff_add(struct ops *o, const char *username, const char *name,
    const char *roles, struct cd_err *err);
enum cd_status ops_staff_set_active(struct ops *o, const char *username, bool active,
    const char *reason, struct cd_err *err);
enum cd_status ops_staff_list(struct ops *o, cd_row_fn fn, void *ctx, struct cd_err *err);
enum cd_status ops_site_add(struct ops *o, const char *name, const char *tz,
    const char *hours, struct cd_err *err);
enum cd_status ops_site_list(struct ops *o, cd_row_fn fn, void *ctx, struct cd_err *err);
/* tags: comma-separated, may be NULL. */
enum cd_status ops_resource_add(struct ops *o, const char *name, const char *site,
    const char *kind, const char *tags, struct cd_err *err);
/* Rows as db_resource_list; site NULL: all sites. */
enum cd_status ops_resource_list(struct ops *o, const char *site, cd_row_fn fn, void *ctx,
    struct cd_err *err);

/* Calendars (ops_calendar.c): a closure day, an absence ("YYYY-MM-DD
 * HH:MM" local to the site), a resource's own weekly hours. Visits
 * already booked then stay; *still_booked says how many there are. */
enum cd_status ops_site_close(struct ops *o, const char *site, const char *day,
    const char *reason, int64_t *still_booked, struct cd_err *err);
enum cd_status ops_resource_away(struct ops *o, const char *name, const char *site,
    const char *from, const char *to, const char *reason, int64_t *still_booked,
    struct cd_err *err);
enum cd_status ops_resource_hours(struct ops *o, const char *name, const char *site,
    const char *hours, struct cd_err *err);
/* The first day after today (in the site's zone) that site is open:
 * weekly hours, no closure; into day as YYYY-MM-DD. */
enum cd_status ops_site_next_open(struct ops *o, const char *site, char day[11],
    struct cd_err *err);

/* --- protocols (ops_protocols.c) --- */
/* Rows: name, source, courses, gap_days, min_gap_days, title. */
enum cd_status ops_protocol_list(struct ops *o, cd_row_fn fn, void *ctx, struct cd_err *err);
/* The protocol's JSON, indented for reading; the caller frees *json. */
enum cd_status ops_protocol_show(struct ops *o, const char *name, char **json,
    struct cd_err *err);
/* json holds a whole protocol; edit replaces the one called name. */
enum cd_status ops_protocol_add(struct ops *o, const char *json, struct cd_err *err);
enum cd_status ops_protocol_edit(struct ops *o, const char *name, const char *json,
    const char *reason, struct cd_err *err);
/* Installs the default protocols when there are none (inside init). */
enum cd_status ops_protocol_install_defaults(struct ops *o, const char *now,
    struct cd_err *err);

/* --- booking and changing visits (ops_booking.c, ops_visits.c) --- */
struct ops_book {
	const char *patient, *protocol, *start; /* MRN, name, YYYY-MM-DD */
	const char *time;     /* HH:MM or NULL: the site's opening time */
	const char *site;     /* NULL: the patient's preferred site */
	const char *source;   /* NULL: the protocol's */
	int courses, gap_days; /* 0: the protocol's */
	bool dry_run, force;
	const char *reason;   /* needed with force */
};
/* A visit as planned or moved, for printing: the planner's row. */
struct ops_visit_row {
	int64_t id;
	int course;
	const char *step;
	char start[26], end[26];  /* local ISO 8601 with offset */
	char before[26];          /* moves: where it was ("" when unchanged) */
	char resources[256];
	const char *note;
	bool overlaps;
};
typedef enum cd_status (*ops_visit_fn)(void *ctx, const struct ops_visit_row *row,
    struct cd_err *err);
/* Plans the cycle and books it (unless dry_run), handing each visit to
 * fn; *cycle_id is the new cycle's (0 on a dry run). */
enum cd_status ops_course_book(struct ops *o, const struct ops_book *b, ops_visit_fn fn,
    void *ctx, int64_t *cycle_id, struct cd_err *err);
struct ops_move {
	int64_t id;
	const char *to;       /* "YYYY-MM-DD HH:MM", local to the visit's site */
	bool this_only, dry_run, force;
	const char *reason;
};
/* Moves a visit and what must follow; fn gets every visit that moves. */
enum cd_status ops_appt_move(struct ops *o, const struct ops_move *m, ops_visit_fn fn,
    void *ctx, int *moved, struct cd_err *err);
enum cd_status ops_appt_status(struct ops *o, int64_t id, const char *status,
    const char *reason, struct cd_err *err);
/* Cancels every future visit still booked; history stays. */
enum cd_status ops_cycle_cancel(struct ops *o, int64_t id, const char *reason, int *cancelled,
    struct cd_err *err);

/* --- reading the schedule (ops_agenda.c) --- */
struct ops_agenda_query {
	const char *site, *date, *resource, *patient; /* NULL: not given */
	int days;             /* 0: one day */
};
/* Rows: id, cycle, course, step, patient, name, site, resource, start,
 * end (local ISO 8601 with offset), status, note, tz, utc_start,
 * utc_end (UTC seconds, for calendars), phone, reason (of the last
 * status change or move). */
enum cd_status ops_agenda(struct ops *o, const struct ops_agenda_query *q, cd_row_fn fn,
    void *ctx, struct cd_err *err);
/* One visit as an agenda row; CD_REFUSED when there is none. */
enum cd_status ops_appt_show(struct ops *o, int64_t id, cd_row_fn fn, void *ctx,
    struct cd_err *err);
/* Header rows of a cycle: key, value pairs as a one-row record; then
 * its visits as agenda rows through visits, each with two more columns:
 * lot and lot_status, the lot held for the visit (reserved, issued) or
 * given at it (administered), NULL when none. */
enum cd_status ops_cycle_show(struct ops *o, int64_t id, cd_row_fn head, cd_row_fn visits,
    void *ctx, struct cd_err *err);
enum cd_status ops_cycle_list(struct ops *o, const char *patient, cd_row_fn fn, void *ctx,
    struct cd_err *err);
/* Rows: kind, patient, name, phone, site, time (local HH:MM), appt, what,
 * and the newest outcome recorded: outcome (done, unreachable),
 * outcome_note, outcome_by (the account), outcome_at (local ISO 8601
 * with offset); NULL while the call is still to make. */
enum cd_status ops_calls(struct ops *o, const char *date, const char *site, cd_row_fn fn,
    void *ctx, struct cd_err *err);
/* Records that visit appt's call of kind (call: a planned call visit;
 * reminder: the reminder for any other visit) was made (outcome "done")
 * or did not reach the patient ("unreachable"), with an optional note.
 * The newest mark is the call's outcome; earlier ones stay in the trail. */
enum cd_status ops_call_mark(struct ops *o, int64_t appt, const char *kind,
    const char *outcome, const char *note, struct cd_err *err);

/* --- cell lots (ops_lots.c: recording; ops_lot_steps.c: the status
 * steps; ops_lot_read.c: listings, traces, labels, scans) --- */
/* A lot as the lab records it; NULL or NAN: not given. */
struct ops_lot_new {
	const char *id, *kind, *patient, *donor, *eligibility, *source, *parent;
	const char *collected, *expires, *storage, *location; /* local times */
	int64_t cycle;        /* 0: none */
	double volume_ml, cells;
};
enum cd_status ops_lot_add(struct ops *o, const struct ops_lot_new *n, struct cd_err *err);
/* to: a location "SITE[/UNIT[/RACK/BOX/POS]]"; NULL keeps the place. */
enum cd_status ops_lot_receive(struct ops *o, const char *id, const char *to,
    struct cd_err *err);
/* to NULL keeps the place (the lab's results); storage: fresh or
 * cryopreserved (NULL: as it is). */
enum cd_status ops_lot_store(struct ops *o, const char *id, const char *to,
    const char *storage, struct cd_err *err);
enum cd_status ops_lot_move(struct ops *o, const char *id, const char *to, double temp_c,
    const char *note, struct cd_err *err);
enum cd_status ops_lot_thaw(struct ops *o, const char *id, struct cd_err *err);
enum cd_status ops_lot_eligibility(struct ops *o, const char *id, const char *status,
    const char *reason, struct cd_err *err);
/* Records TEST=VALUE results; fn gets rows test, result, limit, verdict. */
enum cd_status ops_lot_qc(struct ops *o, const char *id, char *const *results, int n,
    cd_row_fn fn, void *ctx, struct cd_err *err);
/* sign: the printed name the user types, which must be their own. */
enum cd_status ops_lot_release(struct ops *o, const char *id, const char *sign,
    struct cd_err *err);
enum cd_status ops_lot_reserve(struct ops *o, const char *id, int64_t appt,
    struct cd_err *err);
/* to: the user who takes the lot (NULL: the actor). */
enum cd_status ops_lot_issue(struct ops *o, const char *id, const char *to,
    struct cd_err *err);
/* The bedside check; a refusal is recorded (bedside_checks and the
 * audit trail) even though nothing else changes. appt 0: not given. */
enum cd_status ops_lot_administer(struct ops *o, const char *id, const char *patient,
    int64_t appt, struct cd_err *err);
enum cd_status ops_lot_return(struct ops *o, const char *id, const char *to,
    const char *reason, struct cd_err *err);
enum cd_status ops_lot_discard(struct ops *o, const char *id, const char *reason,
    struct cd_err *err);
/* The lot-number scheme (isbt128, local or both) and local prefix;
 * NULL scheme: only show them through fn (rows key, value). */
enum cd_status ops_lot_scheme(struct ops *o, const char *scheme, const char *prefix,
    cd_row_fn fn, void *ctx, struct cd_err *err);
/* QC limits and expiry rules (product types are the source tissues). */
enum cd_status ops_product_list(struct ops *o, cd_row_fn fn, void *ctx, struct cd_err *err);
/* min/max: NAN when not given; expect: NULL for a numeric test. */
enum cd_status ops_product_limit(struct ops *o, const char *source, const char *test,
    double min, double max, const char *expect, const char *unit, struct cd_err *err);
enum cd_status ops_product_expiry(struct ops *o, const char *source, const char *storage,
    int64_t hours, struct cd_err *err);

struct ops_lot_query {
	const char *status, *site, *patient; /* NULL: any; status NULL: in stock */
	int64_t within_s;     /* > 0: expiring within this many seconds */
	int64_t limit;
};
/* Rows: id, kind, status, source, patient, donor, eligibility, expires
 * (local ISO 8601 with offset), location, site. */
enum cd_status ops_lot_list(struct ops *o, const struct ops_lot_query *q, cd_row_fn fn,
    void *ctx, struct cd_err *err);
/* The lot as one record through head, then its QC rows (test, result,
 * limit, verdict) through qc. */
enum cd_status ops_lot_show(struct ops *o, const char *id, cd_row_fn head, cd_row_fn qc,
    void *ctx, struct cd_err *err);
enum ops_trace_dir { TRACE_CHAIN, TRACE_FORWARD, TRACE_BACK };
/* From lot id, or donor (forward) or patient (back). Chain rows: at,
 * event, actor, from, to, temp, note; forward and back rows: depth, id,
 * parent, kind, status, source, donor, patient, recipient,
 * recipient_name, administered. */
enum cd_status ops_lot_trace(struct ops *o, enum ops_trace_dir dir, const char *id,
    const char *donor, const char *patient, cd_row_fn fn, void *ctx, struct cd_err *err);
enum cd_status ops_lot_suggest(struct ops *o, int64_t appt, cd_row_fn fn, void *ctx,
    struct cd_err *err);
/* Rows: risk, appt, start, patient, name, site, lot, lot_status, expires. */
enum cd_status ops_lot_at_risk(struct ops *o, const char *site, int days, cd_row_fn fn,
    void *ctx, struct cd_err *err);
/* What booking or moving leaves at risk in a cycle (cycle 0: the cycle
 * of visit appt). Rows: risk, appt, start (local ISO), lot, expires. */
enum cd_status ops_lot_cycle_risks(struct ops *o, int64_t cycle, int64_t appt, cd_row_fn fn,
    void *ctx, struct cd_err *err);
/* The label's text, one line per row of *out (caller frees). */
enum cd_status ops_lot_label(struct ops *o, const char *id, struct strbuf *out,
    struct cd_err *err);
/* What a scanner sent: rows what, value, detail (the lot or patient it
 * names). Never writes. */
enum cd_status ops_scan(struct ops *o, const char *text, cd_row_fn fn, void *ctx,
    struct cd_err *err);

/* --- patients (ops_patients.c) --- */
/* A patient as typed; NULL means "not given" (for edit: unchanged). */
struct ops_patient {
	const char *mrn, *name, *dob, *phone, *site, *language, *condition, *notes;
};
enum cd_status ops_patient_add(struct ops *o, const struct ops_patient *p,
    struct cd_err *err);
/* Changes the fields of p that are not NULL ("" clears an optional one);
 * the MRN itself never changes. */
enum cd_status ops_patient_edit(struct ops *o, const char *mrn, const struct ops_patient *p,
    const char *reason, struct cd_err *err);
enum cd_status ops_patient_show(struct ops *o, const char *mrn, cd_row_fn fn, void *ctx,
    struct cd_err *err);
enum cd_status ops_patient_list(struct ops *o, const struct db_patient_query *q,
    cd_row_fn fn, void *ctx, struct cd_err *err);

/* --- audit trail (ops_audit.c) --- */
enum cd_status ops_audit_verify(struct ops *o, struct db_audit_verdict *v,
    struct cd_err *err);
enum cd_status ops_audit_log(struct ops *o, const struct db_audit_query *q, cd_row_fn fn,
    void *ctx, struct cd_err *err);

/* --- demo data (demo.c) --- */
enum ops_demo_scale { DEMO_SMALL, DEMO_LARGE };
struct ops_demo_result {
	int64_t sites, resources, staff, patients;
};
enum cd_status ops_demo(struct ops *o, enum ops_demo_scale scale, uint64_t seed,
    struct ops_demo_result *res, struct cd_err *err);

/* --- shared by the ops files (ops.c) --- */
/* Starts a write: checks action, then BEGIN IMMEDIATE; fills o's clock
 * text now (25 bytes) for the records it writes. */
enum cd_status ops_write_begin(struct ops *o, enum cd_action action, char now[25],
    struct cd_err *err);
/* Commits when st is CD_OK, otherwise rolls back; returns the outcome. */
enum cd_status ops_write_end(struct ops *o, enum cd_status st, struct cd_err *err);
/* Writes the audit record for a change of table row id: old_json is the
 * snapshot taken before (NULL for an insert; taken over by this call),
 * the new one is read here (NULL after a delete). */
enum cd_status ops_audit_change(struct ops *o, const char *now, const char *action,
    const char *table, int64_t id, const char *row_key, char *old_json,
    const char *reason, struct cd_err *err);

/* Looks a site up by name; an unknown one is a refusal naming field. */
enum cd_status ops_find_site(struct ops *o, const char *field, const char *name, int64_t *id,
    struct cd_err *err);

/* --- storage units and temperatures (ops_storage.c) --- */
/* A unit (LN2 tank, freezer, fridge, incubator, room) at a site with the
 * range of temperatures it must keep; min and max as typed ("-196"). */
enum cd_status ops_storage_add(struct ops *o, const char *name, const char *site,
    const char *kind, const char *min, const char *max, struct cd_err *err);
/* Rows: site, name, kind, min, max, lots (stored there now), last_reading
 * (local ISO 8601 with offset), last_temp, excursions (open). site NULL:
 * every site. */
enum cd_status ops_storage_list(struct ops *o, const char *site, cd_row_fn fn, void *ctx,
    struct cd_err *err);

/* A reading as recorded, for printing. */
struct ops_reading {
	int64_t id;
	char site[128], unit[128];
	char at[26];           /* local ISO 8601 with offset */
	double temp_c, min_c, max_c;
	bool excursion;        /* outside [min_c, max_c] */
	int64_t lots;          /* an excursion: the lots it flagged */
};
/* Records a reading of the unit called unit at site: temp as typed, at
 * "YYYY-MM-DD HH:MM" local to the site (NULL: now). A reading outside the
 * unit's range is an excursion: in the same transaction every lot stored
 * there (neither administered nor discarded) is flagged with it and gets a
 * temperature-excursion custody event. */
enum cd_status ops_storage_reading(struct ops *o, const char *unit, const char *site,
    const char *temp, const char *at, struct ops_reading *out, struct cd_err *err);

struct ops_import_result {
	int64_t imported;
	int64_t already;       /* the unit had a reading at that time: skipped */
	int64_t differ;        /* of those, how many with another temperature */
	int64_t excursions;
};
typedef void (*ops_reading_fn)(void *ctx, const struct ops_reading *r);
/* Imports the readings of a CSV file (text, len bytes; fname names it in
 * messages, see temp_csv.h) all or nothing, as storage reading records
 * them. After the commit fn (may be NULL) gets every excursion. */
enum cd_status ops_storage_import(struct ops *o, const char *fname, const char *text,
    size_t len, ops_reading_fn fn, void *ctx, struct ops_import_result *res,
    struct cd_err *err);
/* Rows: id, time (local ISO 8601), temp, source, actor, excursion (NULL,
 * open or corrected), corrective_note; the last days days (1-366),
 * newest first. */
enum cd_status ops_storage_readings(struct ops *o, const char *unit, const char *site,
    int days, cd_row_fn fn, void *ctx, struct cd_err *err);
/* Open excursions (no corrective action yet), oldest first. Rows:
 * reading, site, unit, time (local ISO 8601), temp, min, max, lots (the
 * lots it flags now). site NULL: every site. */
enum cd_status ops_storage_excursions(struct ops *o, const char *site, cd_row_fn fn,
    void *ctx, struct cd_err *err);

struct ops_correct_result {
	char site[128], unit[128];
	int64_t cleared;       /* lots no longer flagged */
	int64_t still;         /* lots flagged now by the unit's other open excursion, */
	int64_t still_by;      /* this one (0: none is open) */
};
/* Records the corrective action for excursion reading; the lots it
 * flagged are flagged by the unit's newest other open excursion if there
 * is one, else no longer. */
enum cd_status ops_storage_correct(struct ops *o, int64_t reading, const char *note,
    struct ops_correct_result *res, struct cd_err *err);

/* --- the lab link (ops_lab.c, ops_lab_apply.c) --- */
struct fhir_page;
struct fhir_tx_response;

/* The audit trail's actor for what the lab's results changed. */
#define OPS_LAB_ACTOR "lab-sync"

/* Used by ops_require while acting as the lab sync. */
enum cd_status ops_lab_may(struct ops *o, enum cd_action action, struct cd_err *err);
/* A write transaction (the actor needs ACT_SYNC_RUN) in which o acts as
 * OPS_LAB_ACTOR; ops_lab_end commits (st CD_OK) or rolls back and
 * restores the actor. */
enum cd_status ops_lab_begin(struct ops *o, struct cd_err *err);
enum cd_status ops_lab_end(struct ops *o, enum cd_status st, struct cd_err *err);

/* The oldest pending order after after_id (row->id 0: none). */
enum cd_status ops_lab_next_order(struct ops *o, int64_t after_id, struct db_outbox_row *row,
    struct cd_err *err);
/* The lab took order id (of lot_id): marked sent, the server's ids kept. */
enum cd_status ops_lab_order_sent(struct ops *o, int64_t id, int64_t lot_id,
    const struct fhir_tx_response *r, struct cd_err *err);
/* Order id was not taken: refused by the lab (failed, why = its words)
 * or not answered (stays pending for the next run). */
enum cd_status ops_lab_order_failed(struct ops *o, int64_t id, bool refused, const char *why,
    struct cd_err *err);
enum cd_status ops_lab_run_record(struct ops *o, const struct db_sync_run *r,
    struct cd_err *err);
enum cd_status ops_lab_cursor(struct ops *o, const char *resource, char *buf, size_t n,
    struct cd_err *err);

struct ops_lab_counts {
	int64_t pulled;   /* new resource versions read from the lab */
	int64_t applied;  /* changed a lot */
	int64_t review;   /* went to the review queue */
	int64_t seen;     /* this version was taken in before */
};
/* Applies a page of DiagnosticReports (their Observations in obs) or
 * BiologicallyDerivedProducts of resource in one transaction, and moves
 * that resource's cursor to the newest lastUpdated of the page. */
enum cd_status ops_lab_apply_page(struct ops *o, const char *resource,
    const struct fhir_page *page, const struct fhir_page *obs, struct ops_lab_counts *c,
    struct cd_err *err);

/* sync status: rows item, value. */
enum cd_status ops_sync_status(struct ops *o, cd_row_fn fn, void *ctx, struct cd_err *err);
/* status NULL: every row; newest first, at most limit. */
enum cd_status ops_sync_outbox(struct ops *o, const char *status, int64_t limit, cd_row_fn fn,
    void *ctx, struct cd_err *err);
enum cd_status ops_sync_retry(struct ops *o, int64_t id, struct cd_err *err);
/* limit items (-1: all) from offset, oldest first. */
enum cd_status ops_sync_review_list(struct ops *o, bool all, int64_t offset, int64_t limit,
    cd_row_fn fn, void *ctx, struct cd_err *err);
enum cd_status ops_sync_review_resolve(struct ops *o, int64_t id, const char *note,
    struct cd_err *err);

#endif
