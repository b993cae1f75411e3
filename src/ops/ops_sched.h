/* ops_sched.h - what the booking and visit files of src/ops share: the
 * planner's calendar on the database, loading a stored cycle as a plan,
 * and turning planned visits into printable rows. Not used outside
 * src/ops. */
#ifndef CD_OPS_SCHED_H
#define CD_OPS_SCHED_H

#include "../core/planner.h"
#include "../core/protocol.h"
#include "ops.h"

struct sched_cal {
	struct ops *o;
	int64_t site_id, patient_id;
	int64_t exclude_cycle; /* the cycle being re-planned, or 0 */
};
/* Points cal at the database through ctx (which must outlive cal). */
void sched_calendar(struct plan_calendar *cal, struct sched_cal *ctx);

/* A stored cycle as a plan: its protocol (into proto), site and visits. */
struct sched_cycle {
	struct db_cycle cycle;
	struct protocol proto;
	struct db_site site;
	struct plan plan;
};
/* Loads cycle id; the caller calls sched_cycle_clear. */
enum cd_status sched_cycle_load(struct ops *o, int64_t id, struct sched_cycle *c,
    struct cd_err *err);
void sched_cycle_clear(struct sched_cycle *c);

/* Fills row for planned visit v (resource names looked up). */
enum cd_status sched_visit_row(struct ops *o, const struct plan *p, const struct plan_visit *v,
    struct ops_visit_row *row, struct cd_err *err);

/* Local text of a UTC instant in zone: "2026-03-30T10:00:00+02:00". */
void sched_local_iso(const char *zone, int64_t utc, char buf[26]);
/* The current time as UTC seconds. */
int64_t sched_now(const struct ops *o);

#endif
