/* agenda_actions.c - what the agenda does with the selected visit: open
 * its page (visit_page.c) or the patient's, check in (i), no-show (X,
 * asks), cancel (C: asks, then who cancels and why) and move (m: asks
 * where, shows what would move as a dry run, asks, then moves). Each
 * goes through ops, which checks the role and the rules; a refusal is
 * shown as ops says it. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/xalloc.h"
#include "agenda.h"

static struct agenda *
of(struct tui_screen *s)
{
	return (struct agenda *)s;
}

int
agenda_cmd_open(struct tui *t, struct tui_screen *s)
{
	const struct agenda_visit *v = agenda_selected(of(s));

	if (v == NULL)
		return 0;
	tui_push(t, agenda_visit_page_new(v->id));
	return REDRAW_ALL;
}

int
agenda_cmd_patient(struct tui *t, struct tui_screen *s)
{
	const struct agenda_visit *v = agenda_selected(of(s));

	if (v == NULL || v->mrn == NULL)
		return 0;
	tui_push(t, tui_patient_page_new(v->mrn));
	return REDRAW_ALL;
}

/* --- status changes --- */
/* The core's rule, asked before a question: a visit that cannot become
 * to says so at once instead of after "are you sure?". ops decides. */
static bool
may_become(struct tui *t, struct agenda *a, const struct agenda_visit *v,
    enum visit_status to)
{
	enum visit_status from;

	if (!visit_status_parse(v->status, &from))
		return true;
	if (visit_status_change(from, to, agenda_when(a, v), &t->err) == CD_OK)
		return true;
	tui_message(t, true, "visit %lld: %s", (long long)v->id, t->err.msg);
	return false;
}

/* Sets the status; says what now stands, or why not. */
static int
set_status(struct tui *t, struct agenda *a, const char *status, const char *reason)
{
	const struct agenda_visit *v = agenda_visit_by_id(a, a->act_id);
	char what[200];

	if (v != NULL)
		agenda_describe(v, what, sizeof what);
	else
		snprintf(what, sizeof what, "visit %lld", (long long)a->act_id);
	agenda_changed(a);
	if (ops_appt_status(&t->ops, a->act_id, status, reason, &t->err) != CD_OK) {
		tui_message(t, true, "visit %lld: %s", (long long)a->act_id, t->err.msg);
		return REDRAW_LIST | REDRAW_STATUS;
	}
	tui_message(t, false, "%s %s", what, strcmp(status, "checked-in") == 0 ? "is checked in" :
	    strcmp(status, "no-show") == 0 ? "is marked a no-show" :
	    strcmp(status, "cancelled-by-patient") == 0 ? "is cancelled by the patient" :
	    strcmp(status, "cancelled-by-clinic") == 0 ? "is cancelled by the clinic" : status);
	return REDRAW_LIST | REDRAW_STATUS;
}

int
agenda_cmd_checkin(struct tui *t, struct tui_screen *s)
{
	struct agenda *a = of(s);
	const struct agenda_visit *v = agenda_selected(a);

	if (v == NULL)
		return 0;
	a->act_id = v->id;
	return set_status(t, a, "checked-in", NULL);
}

static int
noshow_yes(struct tui *t, void *ctx)
{
	return set_status(t, ctx, "no-show", NULL);
}

int
agenda_cmd_noshow(struct tui *t, struct tui_screen *s)
{
	struct agenda *a = of(s);
	const struct agenda_visit *v = agenda_selected(a);
	char hm[6];

	if (v == NULL)
		return 0;
	if (!may_become(t, a, v, VISIT_NO_SHOW))
		return REDRAW_STATUS;
	a->act_id = v->id;
	agenda_iso_hm(v->start, hm);
	tui_confirm(t, noshow_yes, a, "Mark %s a no-show for %s (visit %lld)?",
	    v->name != NULL ? v->name : "the patient", hm, (long long)v->id);
	return REDRAW_STATUS;
}

/* Cancel: the question, then who (p or c, answered at once), then why. */
static int
cancel_reason_done(struct tui *t, void *ctx, const char *text, bool accepted)
{
	struct agenda *a = ctx;
	const char *c = text;

	while (*c == ' ')
		c++;
	if (!accepted) {
		tui_message(t, false, "nothing changed: visit %lld stays as it was",
		    (long long)a->act_id);
		return REDRAW_STATUS;
	}
	if (*c == '\0') {
		tui_message(t, true, "a reason is needed to cancel; visit %lld stays as it was",
		    (long long)a->act_id);
		return REDRAW_STATUS;
	}
	return set_status(t, a, a->act_status, c);
}

static int
cancel_who_changed(struct tui *t, void *ctx, const char *text)
{
	struct agenda *a = ctx;
	char who;

	if (text[0] == '\0' || text[1] != '\0' ||
	    ((who = text[0]) != 'p' && who != 'P' && who != 'c' && who != 'C')) {
		tui_edit_set(&t->prompt.edit, NULL); /* only p or c */
		return REDRAW_STATUS;
	}
	snprintf(a->act_status, sizeof a->act_status, "%s", who == 'p' || who == 'P' ?
	    "cancelled-by-patient" : "cancelled-by-clinic");
	snprintf(a->label2, sizeof a->label2, "Why is visit %lld cancelled? ",
	    (long long)a->act_id);
	t->prompt.active = false;
	tui_prompt_open(t, a->label2, NULL, NULL, cancel_reason_done, a);
	return REDRAW_STATUS;
}

static int
cancel_who_done(struct tui *t, void *ctx, const char *text, bool accepted)
{
	(void)text;
	(void)accepted;
	tui_message(t, false, "nothing changed: visit %lld stays as it was",
	    (long long)((struct agenda *)ctx)->act_id);
	return REDRAW_STATUS;
}

static int
cancel_yes(struct tui *t, void *ctx)
{
	struct agenda *a = ctx;

	snprintf(a->label, sizeof a->label, "Who cancels visit %lld: p the patient,"
	    " c the clinic? ", (long long)a->act_id);
	tui_prompt_open(t, a->label, NULL, cancel_who_changed, cancel_who_done, a);
	return REDRAW_STATUS;
}

int
agenda_cmd_cancel(struct tui *t, struct tui_screen *s)
{
	struct agenda *a = of(s);
	const struct agenda_visit *v = agenda_selected(a);
	char what[200];

	if (v == NULL)
		return 0;
	if (!may_become(t, a, v, VISIT_CANCELLED_BY_CLINIC))
		return REDRAW_STATUS;
	a->act_id = v->id;
	agenda_describe(v, what, sizeof what);
	tui_confirm(t, cancel_yes, a, "Cancel %s?", what);
	return REDRAW_STATUS;
}

/* --- moving: where to, what would move (a page), yes, move --- */
struct moved {
	int64_t id;
	char *step, start[26], before[26], *resources;
	int course;
	bool overlaps;
};

struct move_preview {
	struct tui_pager_screen ps;
	struct agenda *a;
	int64_t id;
	char to[32];
	char what[200];    /* the visit asked for, in words */
	struct moved *rows;
	int n;
	int laid_w;
};

static void
free_moved(struct moved *rows, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		free(rows[i].step);
		free(rows[i].resources);
	}
	free(rows);
}

struct move_rows {
	struct moved *rows;
	int n;
};

static enum cd_status
collect_moved(void *ctx, const struct ops_visit_row *r, struct cd_err *err)
{
	struct move_rows *mr = ctx;
	struct moved *m;

	(void)err;
	mr->rows = xrealloc(mr->rows, (size_t)(mr->n + 1) * sizeof *mr->rows);
	m = &mr->rows[mr->n++];
	memset(m, 0, sizeof *m);
	m->id = r->id;
	m->step = xstrdup(r->step != NULL ? r->step : "?");
	m->course = r->course;
	m->overlaps = r->overlaps;
	m->resources = xstrdup(r->resources);
	snprintf(m->start, sizeof m->start, "%s", r->start);
	snprintf(m->before, sizeof m->before, "%s", r->before);
	return CD_OK;
}

/* "Mon 23 Nov 08:00" from a local ISO time. */
static void
short_when(const char *iso, char *buf, size_t n)
{
	struct cd_date d;
	char day[32], hm[6];

	agenda_iso_hm(iso, hm);
	if (agenda_iso_day(iso, &d))
		agenda_day_words(&d, false, day, sizeof day);
	else
		snprintf(day, sizeof day, "?");
	snprintf(buf, n, "%s %s", day, hm);
}

static void
preview_layout(struct tui *t, struct move_preview *mp, int w)
{
	struct tui_pager *p = &mp->ps.pager;
	struct strbuf b = STRBUF_INIT, line = STRBUF_INIT;
	char from[40], to[40], step[64], course[16];
	int i;

	tui_pager_clear(p);
	strbuf_addf(&b, "Moving %s to %s moves %d visit%s:", mp->what, mp->to, mp->n,
	    mp->n == 1 ? "" : "s");
	tui_pager_add_field(p, A_NORMAL, NULL, 0, strbuf_str(&b), w - 2);
	tui_pager_add(p, A_NORMAL, 0, "");
	for (i = 0; i < mp->n; i++) {
		const struct moved *m = &mp->rows[i];

		short_when(m->before, from, sizeof from);
		short_when(m->start, to, sizeof to);
		if (m->course > 0)
			snprintf(course, sizeof course, "%d", m->course);
		agenda_step_words(m->step, m->course > 0 ? course : NULL, step, sizeof step);
		strbuf_reset(&line);
		strbuf_addf(&line, "%-7lld ", (long long)m->id);
		tui_fit(&line, step, 12, true);
		strbuf_addf(&line, "  %s%s \xE2\x86\x92 %s  ", m->before[0] != '\0' ? from : "",
		    m->before[0] != '\0' ? "" : "(new)", to); /* → */
		strbuf_reset(&b);
		strbuf_addf(&b, "%s%s", m->resources, m->overlaps ? "  (double booking)" : "");
		tui_fit(&line, strbuf_str(&b), w - 2 - 2 - tui_width_safe(strbuf_str(&line)),
		    false);
		tui_pager_add(p, m->overlaps ? tui_attr(t, LOOK_WARN) : A_NORMAL, 2,
		    strbuf_str(&line));
	}
	tui_pager_add(p, A_NORMAL, 0, "");
	tui_pager_add(p, tui_attr(t, LOOK_INFO), 0, "Nothing has moved yet. y at the question"
	    " moves them as shown; Enter asks again; Esc goes back.");
	mp->laid_w = w;
	strbuf_free(&b);
	strbuf_free(&line);
}

static struct move_preview *
preview_of(struct tui_screen *s)
{
	return (struct move_preview *)s;
}

static void
preview_draw(struct tui *t, struct tui_screen *s, int y, int h, int w)
{
	struct move_preview *mp = preview_of(s);

	if (mp->laid_w != w)
		preview_layout(t, mp, w);
	tui_pager_draw(t, &mp->ps.pager, y, h, w);
}

static void
preview_title(struct tui_screen *s, struct strbuf *out)
{
	strbuf_addf(out, "move visit %lld: what would move", (long long)preview_of(s)->id);
}

static void
preview_info(struct tui *t, struct tui_screen *s, struct strbuf *out)
{
	(void)t;
	strbuf_addf(out, "a dry run: visit %lld to %s; nothing has changed yet",
	    (long long)preview_of(s)->id, preview_of(s)->to);
}

static void
preview_free(struct tui_screen *s)
{
	struct move_preview *mp = preview_of(s);

	free_moved(mp->rows, mp->n);
	tui_pager_free(&mp->ps.pager);
	free(mp);
}

struct risk_words {
	struct strbuf *b;
	int n;
};

static enum cd_status
risk_row(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	struct risk_words *rw = ctx;
	char when[40];

	(void)err;
	if (rw->n++ > 0 || row->n < 3)
		return CD_OK;
	short_when(row->vals[2], when, sizeof when);
	strbuf_addf(rw->b, "; warning: visit %s on %s: %s", row->vals[1] != NULL ?
	    row->vals[1] : "?", when, row->vals[0] != NULL ? row->vals[0] : "?");
	return CD_OK;
}

static int
move_yes(struct tui *t, void *ctx)
{
	struct move_preview *mp = ctx;
	struct agenda *a = mp->a;
	struct ops_move m;
	struct move_rows done = { NULL, 0 };
	struct strbuf msg = STRBUF_INIT;
	struct risk_words rw = { &msg, 0 };
	struct cd_err ignored;
	char to[32], when[40];
	int64_t id = mp->id;
	int shown = mp->n, moved = 0, flags;
	enum cd_status st;

	snprintf(to, sizeof to, "%s", mp->to);
	flags = t->top == &mp->ps.base ? tui_pop(t) : 0; /* the preview goes */
	memset(&m, 0, sizeof m);
	m.id = id;
	m.to = to;
	agenda_changed(a);
	st = ops_appt_move(&t->ops, &m, collect_moved, &done, &moved, &t->err);
	if (st != CD_OK) {
		tui_message(t, true, "visit %lld: %s", (long long)id, t->err.msg);
		free_moved(done.rows, done.n);
		return flags | REDRAW_ALL;
	}
	strbuf_addf(&msg, "visit %lld is at %s now", (long long)id, to);
	if (done.n > 0) {
		short_when(done.rows[0].start, when, sizeof when);
		strbuf_reset(&msg);
		strbuf_addf(&msg, "visit %lld is on %s now", (long long)id, when);
	}
	if (moved > 1)
		strbuf_addf(&msg, "; %d visits moved", moved);
	if (moved != shown)
		strbuf_addf(&msg, " (the preview showed %d: the schedule changed meanwhile)", shown);
	(void)ops_lot_cycle_risks(&t->ops, 0, id, risk_row, &rw, &ignored);
	tui_message(t, rw.n > 0, "%s", strbuf_str(&msg));
	strbuf_free(&msg);
	free_moved(done.rows, done.n);
	return flags | REDRAW_ALL;
}

static int
preview_ask(struct tui *t, struct tui_screen *s)
{
	struct move_preview *mp = preview_of(s);

	tui_confirm(t, move_yes, mp, "Move %d visit%s as shown?", mp->n, mp->n == 1 ? "" : "s");
	return REDRAW_STATUS;
}

static int
preview_down(struct tui *t, struct tui_screen *s)
{
	(void)t;
	return tui_pager_scroll(&preview_of(s)->ps.pager, 1);
}

static int
preview_up(struct tui *t, struct tui_screen *s)
{
	(void)t;
	return tui_pager_scroll(&preview_of(s)->ps.pager, -1);
}

static int
preview_back(struct tui *t, struct tui_screen *s)
{
	(void)s;
	tui_message(t, false, "nothing moved");
	return tui_pop(t) | REDRAW_STATUS;
}

static const struct tui_cmd preview_cmds[] = {
	{ { 'j', TUI_FN(KEY_DOWN), 0 }, "scroll down a line", NULL, TUI_ACT_NONE, 0,
	    preview_down },
	{ { 'k', TUI_FN(KEY_UP), 0 }, "scroll up a line", NULL, TUI_ACT_NONE, 0, preview_up },
	{ { '\r', '\n', TUI_FN(KEY_ENTER), 0 }, "move the visits as shown; asks first",
	    "Enter move", ACT_BOOK, 0, preview_ask },
	{ { TUI_ESC, 'q', 0 }, "go back without moving anything", "Esc back", TUI_ACT_NONE, 0,
	    preview_back },
	{ { 0 }, NULL, NULL, TUI_ACT_NONE, 0, NULL },
};

const struct tui_screen_type tui_move_preview_type = {
	.name = "move preview",
	.cmds = preview_cmds,
	.title = preview_title,
	.draw = preview_draw,
	.info = preview_info,
	.free = preview_free,
};

static int
move_to_done(struct tui *t, void *ctx, const char *text, bool accepted)
{
	struct agenda *a = ctx;
	const struct agenda_visit *v = agenda_visit_by_id(a, a->act_id);
	struct ops_move m;
	struct move_rows rows = { NULL, 0 };
	struct move_preview *mp;
	char what[200];
	int moved = 0;

	if (!accepted || text[0] == '\0') {
		tui_message(t, false, "nothing moved");
		return REDRAW_STATUS;
	}
	if (v != NULL)
		agenda_describe(v, what, sizeof what);
	else
		snprintf(what, sizeof what, "visit %lld", (long long)a->act_id);
	memset(&m, 0, sizeof m);
	m.id = a->act_id;
	m.to = text;
	m.dry_run = true;
	if (ops_appt_move(&t->ops, &m, collect_moved, &rows, &moved, &t->err) != CD_OK) {
		free_moved(rows.rows, rows.n);
		tui_message(t, true, "visit %lld: %s", (long long)a->act_id, t->err.msg);
		return REDRAW_STATUS;
	}
	mp = xcalloc(1, sizeof *mp);
	mp->ps.base.type = &tui_move_preview_type;
	mp->a = a;
	mp->id = a->act_id;
	snprintf(mp->to, sizeof mp->to, "%s", text);
	snprintf(mp->what, sizeof mp->what, "%s", what);
	mp->rows = rows.rows;
	mp->n = rows.n;
	mp->laid_w = -1;
	tui_push(t, &mp->ps.base);
	return preview_ask(t, &mp->ps.base) | REDRAW_ALL;
}

int
agenda_cmd_move(struct tui *t, struct tui_screen *s)
{
	struct agenda *a = of(s);
	const struct agenda_visit *v = agenda_selected(a);
	char initial[20];

	if (v == NULL)
		return 0;
	if (v->status == NULL || strcmp(v->status, "booked") != 0) {
		tui_message(t, true, "visit %lld is %s; only a booked visit can be moved",
		    (long long)v->id, agenda_status_words(v->status, false));
		return REDRAW_STATUS;
	}
	a->act_id = v->id;
	/* The visit's own time, to edit. */
	snprintf(initial, sizeof initial, "%.10s %.5s", v->start, strlen(v->start) >= 16 ?
	    v->start + 11 : "");
	snprintf(a->label, sizeof a->label, "Move visit %lld to (YYYY-MM-DD HH:MM): ",
	    (long long)v->id);
	tui_prompt_open(t, a->label, initial, NULL, move_to_done, a);
	return REDRAW_STATUS;
}
