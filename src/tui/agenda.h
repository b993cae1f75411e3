/* agenda.h - what the agenda screen's two files share: the screen's
 * struct (the day or week read once per change, the lines shown), the
 * words for steps, statuses and dates, the keys (agenda_keys.c), a
 * visit's page (visit_page.c) and the actions (agenda_actions.c: check
 * in, no-show, cancel, move). Only those files include this. */
#ifndef CD_TUI_AGENDA_H
#define CD_TUI_AGENDA_H

#include "../core/date.h"
#include "../core/visit.h"
#include "tui_int.h"

/* One visit as ops_agenda gives it (times local to the site). */
struct agenda_visit {
	int64_t id, cycle, utc_start, utc_end;
	char *course, *step, *mrn, *name, *resource, *status, *note, *reason;
	char start[26], end[26]; /* local ISO 8601 with offset */
};

enum agenda_line_kind { LINE_VISIT, LINE_DAY, LINE_NOW, LINE_EMPTY };
/* A line of the list: a visit, a day's heading (week view), the "now"
 * mark, or "no visits". */
struct agenda_line {
	enum agenda_line_kind kind;
	int visit;             /* LINE_VISIT: the index in visits */
	struct cd_date day;    /* LINE_DAY: the day; its count of visits */
	int count;
	bool today;
};

enum { AGENDA_NSTATUS = 6 }; /* enum visit_status's values */

struct agenda {
	struct tui_screen base;
	struct tui *t;
	struct tui_list list;
	/* the sites (name, zone) and the shown site's resources */
	int nsites, site;
	char **site_names, **site_tzs;
	int nres, res;          /* res -1: all resources */
	char **res_names;
	bool first_read;        /* the user's own site not chosen yet */
	struct cd_date day;     /* the day shown, or a day of the week shown */
	bool week;
	bool meta_stale;        /* sites and resources to read again */
	bool stale;             /* the visits to read again */
	bool new_range;         /* the day, week, site or resource changed */
	struct agenda_visit *visits;
	int nvisits, capvisits;
	struct agenda_line *lines;
	int nlines, caplines;
	int counts[AGENDA_NSTATUS];
	int64_t now_s;          /* when the lines were laid out (UTC s) */
	struct cd_date today;   /* then, at the site */
	int now_minute;
	char *find;             /* the last text looked for, or NULL */
	/* what a question or prompt is about */
	int64_t act_id;
	char act_status[24];
	char label[96], label2[96];
};

/* agenda.c */
/* The selected visit, or NULL (a heading, the now mark, nothing). */
const struct agenda_visit *agenda_selected(const struct agenda *a);
const struct agenda_visit *agenda_visit_by_id(const struct agenda *a, int64_t id);
/* The visits are to be read again (after a change made here). */
void agenda_changed(struct agenda *a);
/* The date n days after d. */
struct cd_date agenda_day_plus(const struct cd_date *d, int n);
/* Today's date and minute (may be NULL) at the shown site. */
void agenda_today(const struct agenda *a, struct cd_date *d, int *minute);
/* The zone of the shown site ("UTC" when there is none). */
const char *agenda_tz(const struct agenda *a);
/* The current time, UTC seconds. */
int64_t agenda_now(const struct agenda *a);
/* Where now is relative to visit v (for visit_status_change). */
enum visit_when agenda_when(const struct agenda *a, const struct agenda_visit *v);
/* "follow-up", "injection 2": the step in words, into buf. */
void agenda_step_words(const char *step, const char *course, char *buf, size_t n);
/* "checked in", "cancelled" (or long: "cancelled by the patient"). */
const char *agenda_status_words(const char *status, bool longer);
/* "Mon 23 Nov" (short) or "Monday 23 November 2026". */
void agenda_day_words(const struct cd_date *d, bool longer, char *buf, size_t n);
/* "visit 1922 (Käthe Müller, Mon 23 Nov 08:00)": raw text into buf. */
void agenda_describe(const struct agenda_visit *v, char *buf, size_t n);
/* The local date and "HH:MM" of a local ISO time. */
bool agenda_iso_day(const char *iso, struct cd_date *d);
void agenda_iso_hm(const char *iso, char hm[6]);

/* agenda_keys.c: everyone's keys, and with the actions for those who book */
extern const struct tui_cmd agenda_book_cmds[], agenda_view_cmds[];

/* visit_page.c: a visit's page */
struct tui_screen *agenda_visit_page_new(int64_t id);

/* agenda_actions.c: the commands that act on the selected visit */
int agenda_cmd_open(struct tui *t, struct tui_screen *s);
int agenda_cmd_patient(struct tui *t, struct tui_screen *s);
int agenda_cmd_checkin(struct tui *t, struct tui_screen *s);
int agenda_cmd_noshow(struct tui *t, struct tui_screen *s);
int agenda_cmd_cancel(struct tui *t, struct tui_screen *s);
int agenda_cmd_move(struct tui *t, struct tui_screen *s);

#endif
