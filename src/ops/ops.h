/* ops.h - one function per user action. Each checks the actor's role,
 * opens BEGIN IMMEDIATE, reads through db, decides through core, writes
 * through db with its audit record in the same transaction, and commits.
 * The only way anything in the database changes; the CLI and the TUI
 * both come through here. */
#ifndef CD_OPS_H
#define CD_OPS_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/roles.h"
#include "../core/status.h"
#include "../db/db.h"

struct ops {
	struct db *db;
	char actor[64];  /* the Unix account running the program */
	char actor_name[128]; /* its full name from the password file */
	bool is_staff;   /* has a staff row that is active */
	unsigned roles;  /* ROLE_* of that row */
	int64_t (*clock_ms)(void); /* UTC milliseconds; fixed in tests */
};

/* Which database file to use: --db, $CELLDESK_DB, the user's then the
 * system's configuration file, then the XDG default. The caller frees
 * *path. */
enum cd_status ops_db_path(const char *cli_path, char **path, struct cd_err *err);

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
/* site NULL: all sites. */
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
 * its visits as agenda rows through visits. */
enum cd_status ops_cycle_show(struct ops *o, int64_t id, cd_row_fn head, cd_row_fn visits,
    void *ctx, struct cd_err *err);
enum cd_status ops_cycle_list(struct ops *o, const char *patient, cd_row_fn fn, void *ctx,
    struct cd_err *err);
/* Rows: kind, patient, name, phone, site, time (local HH:MM), appt, what. */
enum cd_status ops_calls(struct ops *o, const char *date, const char *site, cd_row_fn fn,
    void *ctx, struct cd_err *err);

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

#endif
