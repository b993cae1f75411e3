/* agenda_keys.c - the agenda's keys: moving between visits (past the
 * day headings and the now mark), days, weeks, sites and resources,
 * finding a patient among the visits shown, and the two command tables:
 * everyone's, and with the actions for those who book. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "../core/text.h"
#include "../core/xalloc.h"
#include "agenda.h"

static struct agenda *
of(struct tui_screen *s)
{
	return (struct agenda *)s;
}

/* --- moving around --- */
static bool
is_visit(const struct agenda *a, int64_t i)
{
	return i >= 0 && i < a->nlines && a->lines[i].kind == LINE_VISIT;
}

/* To the next visit in direction dir; past the last one, a line at a
 * time (so a heading or the now mark at the end comes into view). */
static int
step_visit(struct agenda *a, int dir)
{
	int64_t i;

	for (i = a->list.cur + dir; i >= 0 && i < a->nlines; i += dir) {
		if (is_visit(a, i))
			return tui_list_move(&a->list, i - a->list.cur);
	}
	return tui_list_move(&a->list, dir);
}

/* After a jump, onto a visit: the nearest in direction dir, else back. */
static void
snap(struct agenda *a, int dir)
{
	int64_t i;

	if (is_visit(a, a->list.cur))
		return;
	for (i = a->list.cur; i >= 0 && i < a->nlines; i += dir) {
		if (is_visit(a, i)) {
			a->list.cur = i;
			return;
		}
	}
	for (i = a->list.cur; i >= 0 && i < a->nlines; i -= dir) {
		if (is_visit(a, i)) {
			a->list.cur = i;
			return;
		}
	}
}

static int cmd_down(struct tui *t, struct tui_screen *s) { (void)t; return step_visit(of(s), 1); }
static int cmd_up(struct tui *t, struct tui_screen *s) { (void)t; return step_visit(of(s), -1); }

static int
cmd_page(struct agenda *a, int dir)
{
	int flags = tui_list_page(&a->list, dir);

	snap(a, dir);
	return flags | REDRAW_LIST | REDRAW_STATUS;
}

static int cmd_page_down(struct tui *t, struct tui_screen *s) { (void)t; return cmd_page(of(s), 1); }
static int cmd_page_up(struct tui *t, struct tui_screen *s) { (void)t; return cmd_page(of(s), -1); }

static int
cmd_home(struct tui *t, struct tui_screen *s)
{
	struct agenda *a = of(s);

	(void)t;
	a->list.cur = 0;
	snap(a, 1);
	return REDRAW_LIST | REDRAW_STATUS;
}

static int
cmd_end(struct tui *t, struct tui_screen *s)
{
	struct agenda *a = of(s);

	(void)t;
	a->list.cur = a->nlines > 0 ? a->nlines - 1 : 0;
	snap(a, -1);
	return REDRAW_LIST | REDRAW_STATUS;
}

static int
show_range(struct agenda *a)
{
	a->stale = true;
	a->new_range = true;
	return REDRAW_LIST | REDRAW_STATUS;
}

static int
cmd_next_day(struct tui *t, struct tui_screen *s)
{
	struct agenda *a = of(s);

	(void)t;
	a->day = agenda_day_plus(&a->day, a->week ? 7 : 1);
	return show_range(a);
}

static int
cmd_prev_day(struct tui *t, struct tui_screen *s)
{
	struct agenda *a = of(s);

	(void)t;
	a->day = agenda_day_plus(&a->day, a->week ? -7 : -1);
	return show_range(a);
}

static int
cmd_today(struct tui *t, struct tui_screen *s)
{
	struct agenda *a = of(s);

	(void)t;
	agenda_today(a, &a->day, NULL);
	return show_range(a);
}

static int
cmd_week(struct tui *t, struct tui_screen *s)
{
	struct agenda *a = of(s);
	const struct agenda_visit *v = agenda_selected(a);

	(void)t;
	/* From a week to a day: the selected visit's day. */
	if (a->week && v != NULL)
		agenda_iso_day(v->start, &a->day);
	a->week = !a->week;
	return show_range(a);
}

static int
date_done(struct tui *t, void *ctx, const char *text, bool accepted)
{
	struct agenda *a = ctx;
	struct cd_date d;
	const char *c = text;

	while (*c == ' ')
		c++;
	if (!accepted || *c == '\0')
		return 0;
	if (!date_parse(c, &d)) {
		tui_message(t, true, "'%.40s' is not a date that exists (YYYY-MM-DD)", c);
		return REDRAW_STATUS;
	}
	a->day = d;
	return show_range(a);
}

static int
cmd_date(struct tui *t, struct tui_screen *s)
{
	struct agenda *a = of(s);
	char day[11];

	date_format(&a->day, day);
	tui_prompt_open(t, "Go to date (YYYY-MM-DD): ", day, NULL, date_done, a);
	return REDRAW_STATUS;
}

static int
change_site(struct tui *t, struct agenda *a, int dir)
{
	if (a->nsites == 0) {
		tui_message(t, false, "there are no sites yet (an admin adds them: celldesk site add)");
		return REDRAW_STATUS;
	}
	if (a->nsites == 1) {
		tui_message(t, false, "%s is the only site", a->site_names[0]);
		return REDRAW_STATUS;
	}
	a->site = (a->site + dir + a->nsites) % a->nsites;
	a->res = -1;
	a->meta_stale = true; /* its resources */
	return show_range(a) | REDRAW_ALL; /* the title names the site */
}

static int cmd_next_site(struct tui *t, struct tui_screen *s) { return change_site(t, of(s), 1); }
static int cmd_prev_site(struct tui *t, struct tui_screen *s) { return change_site(t, of(s), -1); }

/* All resources, then each of the site's in turn. */
static int
change_resource(struct tui *t, struct agenda *a, int dir)
{
	if (a->nres == 0) {
		tui_message(t, false, "%s has no resources", a->nsites > 0 ?
		    a->site_names[a->site] : "this site");
		return REDRAW_STATUS;
	}
	a->res = (a->res + 1 + dir + a->nres + 1) % (a->nres + 1) - 1;
	return show_range(a);
}

static int cmd_next_res(struct tui *t, struct tui_screen *s) { return change_resource(t, of(s), 1); }
static int cmd_prev_res(struct tui *t, struct tui_screen *s) { return change_resource(t, of(s), -1); }

/* --- finding a patient among the visits shown --- */
static bool
matches(const char *hay, const char *folded_needle)
{
	struct strbuf f = STRBUF_INIT;
	bool found;

	if (hay == NULL)
		return false;
	text_fold(&f, hay);
	found = strstr(strbuf_str(&f), folded_needle) != NULL;
	strbuf_free(&f);
	return found;
}

static int
find(struct tui *t, struct agenda *a, int dir)
{
	struct strbuf needle = STRBUF_INIT;
	int64_t k, i = -1;
	const struct agenda_visit *v;

	if (a->find == NULL) {
		tui_message(t, false, "nothing to find yet: / asks for a name or an MRN");
		return REDRAW_STATUS;
	}
	text_fold(&needle, a->find);
	for (k = 1; k <= a->nlines; k++) {
		i = ((a->list.cur + dir * k) % a->nlines + a->nlines) % a->nlines;
		if (!is_visit(a, i))
			continue;
		v = &a->visits[a->lines[i].visit];
		if (matches(v->name, strbuf_str(&needle)) || matches(v->mrn, strbuf_str(&needle)))
			break;
	}
	strbuf_free(&needle);
	if (k > a->nlines) {
		tui_message(t, false, "no visit of \"%s\" %s", a->find,
		    a->week ? "this week" : "on this day");
		return REDRAW_STATUS;
	}
	if ((dir > 0 && i <= a->list.cur) || (dir < 0 && i >= a->list.cur))
		tui_message(t, false, "\"%s\": from the %s again", a->find, dir > 0 ? "top" :
		    "bottom");
	a->list.cur = i;
	return REDRAW_LIST | REDRAW_STATUS;
}

static int
find_done(struct tui *t, void *ctx, const char *text, bool accepted)
{
	struct agenda *a = ctx;

	if (!accepted || text[0] == '\0')
		return 0;
	free(a->find);
	a->find = xstrdup(text);
	return find(t, a, 1);
}

static int
cmd_find(struct tui *t, struct tui_screen *s)
{
	tui_prompt_open(t, "Find (patient name or MRN): ", NULL, NULL, find_done, of(s));
	return REDRAW_STATUS;
}

static int cmd_find_next(struct tui *t, struct tui_screen *s) { return find(t, of(s), 1); }
static int cmd_find_prev(struct tui *t, struct tui_screen *s) { return find(t, of(s), -1); }

/* Back where it was opened from; on its own tab, quit. */
static int
cmd_back(struct tui *t, struct tui_screen *s)
{
	return s->below != NULL ? tui_pop(t) : tui_quit_asking(t);
}

/* --- the tables: everyone sees and moves; those who book act --- */
#define LOOK_CMDS \
	{ { 'j', TUI_FN(KEY_DOWN), 0 }, "next visit", NULL, ACT_SCHEDULE_VIEW, 0, cmd_down }, \
	{ { 'k', TUI_FN(KEY_UP), 0 }, "previous visit", NULL, ACT_SCHEDULE_VIEW, 0, cmd_up }, \
	{ { TUI_FN(KEY_NPAGE), TUI_CTRL('f'), ' ', 0 }, "next page", NULL, ACT_SCHEDULE_VIEW, \
	    0, cmd_page_down }, \
	{ { TUI_FN(KEY_PPAGE), TUI_CTRL('b'), 0 }, "previous page", NULL, ACT_SCHEDULE_VIEW, 0, \
	    cmd_page_up }, \
	{ { 'g', TUI_FN(KEY_HOME), 0 }, "first visit", NULL, ACT_SCHEDULE_VIEW, 0, cmd_home }, \
	{ { 'G', TUI_FN(KEY_END), 0 }, "last visit", NULL, ACT_SCHEDULE_VIEW, 0, cmd_end }, \
	{ { 'l', TUI_FN(KEY_RIGHT), 0 }, "next day, or week in the week view", "h/l day", \
	    ACT_SCHEDULE_VIEW, 0, cmd_next_day }, \
	{ { 'h', TUI_FN(KEY_LEFT), 0 }, "previous day, or week in the week view", NULL, \
	    ACT_SCHEDULE_VIEW, 0, cmd_prev_day }, \
	{ { 't', 0 }, "today", NULL, ACT_SCHEDULE_VIEW, 0, cmd_today }, \
	{ { 'd', 0 }, "go to a date, typed as YYYY-MM-DD", NULL, ACT_SCHEDULE_VIEW, 0, cmd_date }, \
	{ { 'w', 0 }, "day or week view", "w week", ACT_SCHEDULE_VIEW, 0, cmd_week }, \
	{ { 's', 0 }, "next site", "s site", ACT_SCHEDULE_VIEW, 0, cmd_next_site }, \
	{ { 'S', 0 }, "previous site", NULL, ACT_SCHEDULE_VIEW, 0, cmd_prev_site }, \
	{ { 'r', 0 }, "next resource, or back to all", "r resource", \
	    ACT_SCHEDULE_VIEW, 0, cmd_next_res }, \
	{ { 'R', 0 }, "previous resource", NULL, ACT_SCHEDULE_VIEW, 0, cmd_prev_res }, \
	{ { '/', 0 }, "find a patient's visit by name or MRN", NULL, ACT_SCHEDULE_VIEW, 0, \
	    cmd_find }, \
	{ { 'n', 0 }, "find the next match", NULL, ACT_SCHEDULE_VIEW, 0, \
	    cmd_find_next }, \
	{ { 'N', 0 }, "find the previous match", NULL, ACT_SCHEDULE_VIEW, 0, \
	    cmd_find_prev }, \
	{ { '\r', '\n', TUI_FN(KEY_ENTER), 0 }, "open the visit and its cycle", \
	    NULL, ACT_SCHEDULE_VIEW, TUI_NEED_ROW, agenda_cmd_open }, \
	{ { 'p', 0 }, "open the patient's page", NULL, ACT_PATIENT_VIEW, TUI_NEED_ROW, \
	    agenda_cmd_patient }
#define BACK_CMD \
	{ { 'q', 0 }, "go back, or quit on its own tab", NULL, TUI_ACT_NONE, 0, cmd_back }

/* The actions: those who may not book see no hint of them, and help
 * marks them "(not you)"; the dispatcher refuses them, and so does ops. */
#define ACTION_CMDS(checkin, move, cancel) \
	{ { 'i', 0 }, "check the patient in", checkin, ACT_BOOK, TUI_NEED_ROW, \
	    agenda_cmd_checkin }, \
	{ { 'm', 0 }, "move the visit; shows what moves, asks", move, ACT_BOOK, \
	    TUI_NEED_ROW, agenda_cmd_move }, \
	{ { 'C', 0 }, "cancel the visit; asks who and why", cancel, ACT_BOOK, \
	    TUI_NEED_ROW, agenda_cmd_cancel }, \
	{ { 'X', 0 }, "mark a no-show; asks first", NULL, ACT_BOOK, TUI_NEED_ROW, \
	    agenda_cmd_noshow }

const struct tui_cmd agenda_book_cmds[] = {
	LOOK_CMDS,
	ACTION_CMDS("i check in", "m move", "C cancel"),
	BACK_CMD,
	{ { 0 }, NULL, NULL, TUI_ACT_NONE, 0, NULL },
};
const struct tui_cmd agenda_view_cmds[] = {
	LOOK_CMDS,
	ACTION_CMDS(NULL, NULL, NULL),
	BACK_CMD,
	{ { 0 }, NULL, NULL, TUI_ACT_NONE, 0, NULL },
};
