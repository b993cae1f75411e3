/* planner.h - placing a treatment cycle's visits in time: the whole
 * cycle at booking, and the visits that must follow when one is moved.
 * Pure rules: the calendar (opening hours, closures, who is busy) is
 * asked through callbacks, so the same planner runs on the database and
 * on a test's fake calendar. All instants are UTC seconds; days are
 * local calendar days of the site's zone. */
#ifndef CD_PLANNER_H
#define CD_PLANNER_H

#include <stdbool.h>
#include <stdint.h>

#include "date.h"
#include "protocol.h"
#include "status.h"

#define PLAN_MAX_VISITS (PROTO_MAX_STEPS * PROTO_MAX_COURSES)
#define PLAN_MAX_CANDIDATES 32 /* resources that may meet one need */

/* A span during which a resource or the patient is taken; away marks an
 * absence, which even a forced booking respects. */
struct plan_span {
	int64_t start, end;
	bool away;
};
struct span_list {
	struct plan_span *v;
	int n, cap;
};
void span_list_push(struct span_list *l, int64_t start, int64_t end, bool away);
void span_list_free(struct span_list *l);

/* What the planner asks of the calendar. Each returns CD_OK or fills err. */
struct plan_calendar {
	void *ctx;
	/* The site's opening minutes on local day d; open == close == 0 when
	 * it is closed, with the closure's reason in why when it has one. */
	enum cd_status (*site_day)(void *ctx, const struct cd_date *d, int *open, int *close,
	    char *why, size_t whylen, struct cd_err *err);
	/* The site's resources that meet need, in the order to try them. */
	enum cd_status (*candidates)(void *ctx, const struct proto_need *need, int64_t *ids,
	    int max, int *n, struct cd_err *err);
	/* A resource's opening minutes on local day d (its own, else the site's). */
	enum cd_status (*resource_day)(void *ctx, int64_t res, const struct cd_date *d,
	    int *open, int *close, struct cd_err *err);
	/* Appends to out the spans that meet [from, to) during which resource
	 * res (0: the patient) is booked or away, leaving out the visits of
	 * the cycle being planned. */
	enum cd_status (*busy)(void *ctx, int64_t res, int64_t from, int64_t to,
	    struct span_list *out, struct cd_err *err);
};

struct plan_visit {
	int64_t id;            /* the stored visit; 0 for a new one */
	int step_no;           /* index into the protocol's steps */
	int course;            /* 1..courses; 0 for a cycle-wide visit */
	int anchor_course;     /* the course whose injection it hangs off */
	struct cd_date day;    /* local */
	int minute;            /* local, from midnight */
	int64_t start, end;    /* UTC */
	int nres;
	int64_t res[PROTO_MAX_NEEDS];
	bool active;           /* false: cancelled, no-show; out of the plan */
	bool fixed;            /* checked in or done: history, never moved */
	bool overlaps;         /* placed over another booking (forced) */
	bool changed;          /* set by plan_move */
	int64_t old_start;     /* plan_move: where it was */
};

struct plan {
	const struct protocol *proto;
	char zone[64];
	char site_name[128];   /* for messages */
	enum cell_source source;
	int courses, gap_days;
	int64_t now;           /* nothing is placed at or before now */
	bool force;            /* other bookings do not block (absences do) */
	int n;
	struct plan_visit v[PLAN_MAX_VISITS];
};

/* Plans every visit of a new cycle whose first injection is on start,
 * at minute (or at opening time when minute < 0). p's proto, zone,
 * site_name, source, courses, gap_days, now and force are set by the
 * caller. On refusal err names the step that could not be placed and
 * why, day by day. */
enum cd_status plan_cycle(struct plan *p, const struct plan_calendar *cal,
    const struct cd_date *start, int minute, struct cd_err *err);

/* Moves visit index to day at minute and re-places the visits that
 * would then break a minimum gap or leave their window (unless
 * this_only, which refuses instead). p holds the cycle's stored visits;
 * those moved are marked changed, with old_start where they were. */
enum cd_status plan_move(struct plan *p, const struct plan_calendar *cal, int index,
    const struct cd_date *day, int minute, bool this_only, struct cd_err *err);

/* Orders p's visits by start time. */
void plan_sort(struct plan *p);

#endif
