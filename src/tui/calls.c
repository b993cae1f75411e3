/* calls.c - the calls screen: the day's call list at one site (the
 * planned calls of the day and a reminder for each of the next day's
 * visits, from ops_calls), each row with its outcome in words and
 * colour. s steps through the sites, Left and Right through the days;
 * Enter or d marks the selected call done, u unreachable after asking
 * for an optional note (ops_call_mark). A day's list is short (tens of
 * calls a site), so each read streams the day and keeps the page shown. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/localtime.h"
#include "../core/text.h"
#include "../core/xalloc.h"
#include "tui_int.h"

enum { MAX_SITES = 64 };
enum { HEAD_LINES = 1 }; /* the site, the day and the counts above the list */

/* The list's row: the columns shown, then the rest (help, find, info).
 * Column 0, the visit, is unique in a day's list: the selection stays
 * on it when the list is read again. */
enum { R_APPT, R_TIME, R_NAME, R_PHONE, R_OUTCOME, R_ABOUT, R_KIND, R_PATIENT, R_RAW,
	R_NOTE, R_BY, R_AT, R__N };
static const struct tui_list_col call_cols[] = {
	{ "Visit", 6 }, { "Time", 5 }, { "Patient", 0 }, { "Phone", 16 }, { "Outcome", 17 },
	{ "About", 0 },
};

struct calls {
	struct tui_screen base;
	struct tui *t;
	struct tui_list list;
	struct tui_find find;
	int nsites, site;
	char *sites[MAX_SITES], *tzs[MAX_SITES];
	bool sites_stale;
	int offset;         /* days from today */
	char day[11];       /* the day shown, YYYY-MM-DD at the site */
	/* The day's list, read whole: a site's calls of one day are tens. */
	struct call_row {
		char *v[R__N];
	} *rows;
	int nrows, cap;
	int64_t done, unreachable;
	bool day_stale;
	/* The call a prompt is about. */
	int64_t act_appt;
	char act_kind[16], act_name[96];
	char label[256];
};

static struct calls *
of(struct tui_screen *s)
{
	return (struct calls *)s;
}

static const char *
site_name(const struct calls *c)
{
	return c->nsites > 0 ? c->sites[c->site] : NULL;
}

/* Today at the site shown (or UTC without one), plus the offset. */
static void
set_day(struct calls *c)
{
	struct cd_local l;
	struct cd_date d;

	local_from_utc(c->nsites > 0 ? c->tzs[c->site] : "UTC", c->t->ops.clock_ms() / 1000, &l);
	date_from_days(date_to_days(&l.date) + c->offset, &d);
	date_format(&d, c->day);
}

/* --- the rows: the day's list read in one ops_calls, kept as shown --- */
static const char *
val(const struct cd_row *row, int i)
{
	return i < row->n ? row->vals[i] : NULL;
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static void
clear_day(struct calls *c)
{
	int i, k;

	for (i = 0; i < c->nrows; i++) {
		for (k = 0; k < R__N; k++)
			free(c->rows[i].v[k]);
	}
	c->nrows = 0;
	c->done = c->unreachable = 0;
}

/* One call of ops_calls (kind, patient, name, phone, site, time, appt,
 * what, outcome, outcome_note, outcome_by, outcome_at) in the list's
 * columns. */
static enum cd_status
day_row(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	struct calls *c = ctx;
	const char *outcome = val(row, 8), *at = val(row, 11), *what = val(row, 7);
	char words[48], about[240];
	struct call_row *r;

	(void)err;
	if (c->nrows == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 64;
		c->rows = xrealloc(c->rows, (size_t)c->cap * sizeof *c->rows);
	}
	r = &c->rows[c->nrows++];
	/* In words: "to call", "done 10:42", "unreachable 10:40". */
	if (outcome == NULL)
		snprintf(words, sizeof words, "to call");
	else
		snprintf(words, sizeof words, "%s %.5s", outcome,
		    at != NULL && strlen(at) >= 16 ? at + 11 : "");
	if (outcome != NULL && strcmp(outcome, "done") == 0)
		c->done++;
	else if (outcome != NULL)
		c->unreachable++;
	if (val(row, 0) != NULL && strcmp(val(row, 0), "call") == 0)
		snprintf(about, sizeof about, "call: %s", what != NULL ? what : "");
	else
		snprintf(about, sizeof about, "%s", what != NULL ? what : "");
	r->v[R_APPT] = dup_or_null(val(row, 6));
	r->v[R_TIME] = dup_or_null(val(row, 5));
	r->v[R_NAME] = dup_or_null(val(row, 2));
	r->v[R_PHONE] = dup_or_null(val(row, 3));
	r->v[R_OUTCOME] = xstrdup(words);
	r->v[R_ABOUT] = xstrdup(about);
	r->v[R_KIND] = dup_or_null(val(row, 0));
	r->v[R_PATIENT] = dup_or_null(val(row, 1));
	r->v[R_RAW] = dup_or_null(outcome);
	r->v[R_NOTE] = dup_or_null(val(row, 9));
	r->v[R_BY] = dup_or_null(val(row, 10));
	r->v[R_AT] = dup_or_null(at);
	return CD_OK;
}

/* Reads the day shown (ops_calls takes its own snapshot). */
static enum cd_status
read_day(struct calls *c, struct cd_err *err)
{
	clear_day(c);
	c->day_stale = false;
	if (c->nsites == 0)
		return CD_OK;
	return ops_calls(&c->t->ops, c->day, site_name(c), day_row, c, err);
}

static enum cd_status
calls_count(void *ctx, bool must, int64_t *n, struct cd_err *err)
{
	(void)must;
	(void)err;
	*n = ((struct calls *)ctx)->nrows;
	return CD_OK;
}

static enum cd_status
calls_fetch(void *ctx, int64_t offset, int64_t limit, cd_row_fn add, void *add_ctx,
    struct cd_err *err)
{
	static const char *const keys[R__N] = { "appt", "time", "name", "phone", "outcome_words",
		"about", "kind", "patient", "outcome", "outcome_note", "outcome_by", "outcome_at" };
	struct calls *c = ctx;
	struct cd_row out = { R__N, keys, NULL };
	enum cd_status st;
	int64_t i;

	for (i = offset; i < c->nrows && i < offset + limit; i++) {
		out.vals = (const char *const *)c->rows[i].v;
		if ((st = add(add_ctx, &out, err)) != CD_OK)
			return st;
	}
	return CD_OK;
}

/* Done in the look of things that went well, unreachable as a warning;
 * the words say it too. */
static int
calls_row_look(void *ctx, const struct tui_list_row *row)
{
	const char *o = row->n > R_RAW ? row->vals[R_RAW] : NULL;

	(void)ctx;
	if (o == NULL)
		return -1;
	return strcmp(o, "done") == 0 ? LOOK_OK : LOOK_WARN;
}

static const struct tui_list_ops calls_list_ops = {
	.count = calls_count,
	.fetch = calls_fetch,
	.row_look = calls_row_look,
};

/* --- the sites --- */
static void
clear_sites(struct calls *c)
{
	int i;

	for (i = 0; i < c->nsites; i++) {
		free(c->sites[i]);
		free(c->tzs[i]);
	}
	c->nsites = 0;
}

struct site_read {
	struct calls *c;
	int n;
	char *names[MAX_SITES], *tzs[MAX_SITES];
};

static enum cd_status
site_row(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	struct site_read *r = ctx;

	(void)err;
	if (r->n >= MAX_SITES || row->n < 2 || row->vals[0] == NULL || row->vals[1] == NULL)
		return CD_OK;
	r->names[r->n] = xstrdup(row->vals[0]);
	r->tzs[r->n] = xstrdup(row->vals[1]);
	r->n++;
	return CD_OK;
}

/* Reads the sites, keeping the one shown when it is still there. */
static enum cd_status
read_sites(struct calls *c, struct cd_err *err)
{
	struct site_read r;
	char *keep = c->nsites > 0 ? xstrdup(c->sites[c->site]) : NULL;
	enum cd_status st;
	int i;

	memset(&r, 0, sizeof r);
	r.c = c;
	st = ops_site_list(&c->t->ops, site_row, &r, err);
	if (st != CD_OK) {
		for (i = 0; i < r.n; i++) {
			free(r.names[i]);
			free(r.tzs[i]);
		}
		free(keep);
		return st;
	}
	clear_sites(c);
	c->site = 0;
	for (i = 0; i < r.n; i++) {
		c->sites[i] = r.names[i];
		c->tzs[i] = r.tzs[i];
		if (keep != NULL && strcmp(keep, r.names[i]) == 0)
			c->site = i;
	}
	c->nsites = r.n;
	c->sites_stale = false;
	free(keep);
	set_day(c);
	return CD_OK;
}

/* --- marking --- */
static int
reread(struct calls *c)
{
	c->day_stale = true;
	tui_list_invalidate(&c->list);
	return REDRAW_LIST | REDRAW_STATUS;
}

static int
mark(struct tui *t, struct calls *c, const char *outcome, const char *note)
{
	if (ops_call_mark(&t->ops, c->act_appt, c->act_kind, outcome, note, &t->err) != CD_OK)
		return tui_show_err(t) | reread(c);
	tui_message(t, false, "%s's %s (visit %lld) is marked %s%s", c->act_name,
	    strcmp(c->act_kind, "call") == 0 ? "call" : "reminder call", (long long)c->act_appt,
	    outcome, note != NULL && note[0] != '\0' ? ", with the note" : "");
	/* On to the next call of the list. */
	tui_list_move(&c->list, 1);
	return reread(c);
}

/* The selected call into act_*; false when there is none. */
static bool
take_selected(struct calls *c)
{
	const struct tui_list_row *row = tui_list_selected(&c->list);
	char *end;

	if (row == NULL || row->n < R__N || row->vals[R_APPT] == NULL || row->vals[R_KIND] == NULL)
		return false;
	c->act_appt = strtoll(row->vals[R_APPT], &end, 10);
	if (*end != '\0' || c->act_appt <= 0)
		return false;
	snprintf(c->act_kind, sizeof c->act_kind, "%s", row->vals[R_KIND]);
	snprintf(c->act_name, sizeof c->act_name, "%s",
	    row->vals[R_NAME] != NULL ? row->vals[R_NAME] : "?");
	return true;
}

static int
note_done(struct tui *t, void *ctx, const char *text, bool accepted)
{
	struct calls *c = ctx;

	if (!accepted) {
		tui_message(t, false, "nothing marked: %s's call stays as it was", c->act_name);
		return REDRAW_STATUS;
	}
	return mark(t, c, "unreachable", text);
}

/* --- commands --- */
static int cmd_down(struct tui *t, struct tui_screen *s) { (void)t; return tui_list_move(&of(s)->list, 1); }
static int cmd_up(struct tui *t, struct tui_screen *s) { (void)t; return tui_list_move(&of(s)->list, -1); }
static int cmd_page_down(struct tui *t, struct tui_screen *s) { (void)t; return tui_list_page(&of(s)->list, 1); }
static int cmd_page_up(struct tui *t, struct tui_screen *s) { (void)t; return tui_list_page(&of(s)->list, -1); }
static int cmd_home(struct tui *t, struct tui_screen *s) { (void)t; return tui_list_home(&of(s)->list); }
static int cmd_end(struct tui *t, struct tui_screen *s) { (void)t; return tui_list_end(&of(s)->list); }
static int cmd_find(struct tui *t, struct tui_screen *s) { return tui_find_open(t, &of(s)->find); }
static int cmd_find_next(struct tui *t, struct tui_screen *s) { return tui_find_next(t, &of(s)->find, 1); }
static int cmd_find_prev(struct tui *t, struct tui_screen *s) { return tui_find_next(t, &of(s)->find, -1); }

static int
go_day(struct calls *c, int offset)
{
	c->offset = offset;
	set_day(c);
	c->day_stale = true;
	tui_list_reset(&c->list);
	return REDRAW_ALL;
}

static int cmd_prev_day(struct tui *t, struct tui_screen *s) { (void)t; return go_day(of(s), of(s)->offset - 1); }
static int cmd_next_day(struct tui *t, struct tui_screen *s) { (void)t; return go_day(of(s), of(s)->offset + 1); }

static int
cmd_today(struct tui *t, struct tui_screen *s)
{
	(void)t;
	return of(s)->offset == 0 ? 0 : go_day(of(s), 0);
}

static int
cmd_site(struct tui *t, struct tui_screen *s)
{
	struct calls *c = of(s);

	if (c->nsites < 2) {
		tui_message(t, false, c->nsites == 0 ? "there are no sites yet" :
		    "%s is the only site", c->nsites > 0 ? c->sites[0] : "");
		return REDRAW_STATUS;
	}
	c->site = (c->site + 1) % c->nsites;
	return go_day(c, c->offset);
}

static int
cmd_done(struct tui *t, struct tui_screen *s)
{
	struct calls *c = of(s);

	if (!take_selected(c))
		return 0;
	return mark(t, c, "done", NULL);
}

static int
cmd_unreachable(struct tui *t, struct tui_screen *s)
{
	struct calls *c = of(s);
	struct strbuf safe = STRBUF_INIT, cut = STRBUF_INIT;

	if (!take_selected(c))
		return 0;
	/* The name is the database's: sanitized, and cut on a character. */
	text_sanitize(&safe, c->act_name, strlen(c->act_name));
	tui_fit_safe(&cut, strbuf_str(&safe), 40, false);
	snprintf(c->label, sizeof c->label, "%s unreachable; note (optional, Enter marks): ",
	    strbuf_str(&cut));
	strbuf_free(&safe);
	strbuf_free(&cut);
	tui_prompt_open(t, c->label, NULL, NULL, note_done, c);
	return REDRAW_STATUS;
}

static int
cmd_quit(struct tui *t, struct tui_screen *s)
{
	return s->below != NULL ? tui_pop(t) : tui_quit_asking(t);
}

static const struct tui_cmd calls_cmds[] = {
	{ { 'j', TUI_FN(KEY_DOWN), 0 }, "next call", "j/k move", ACT_SCHEDULE_VIEW, 0, cmd_down },
	{ { 'k', TUI_FN(KEY_UP), 0 }, "previous call", NULL, ACT_SCHEDULE_VIEW, 0, cmd_up },
	{ { TUI_FN(KEY_NPAGE), TUI_CTRL('f'), ' ', 0 }, "next page", NULL, ACT_SCHEDULE_VIEW, 0,
	    cmd_page_down },
	{ { TUI_FN(KEY_PPAGE), TUI_CTRL('b'), 0 }, "previous page", NULL, ACT_SCHEDULE_VIEW, 0,
	    cmd_page_up },
	{ { 'g', TUI_FN(KEY_HOME), 0 }, "first call", NULL, ACT_SCHEDULE_VIEW, 0, cmd_home },
	{ { 'G', TUI_FN(KEY_END), 0 }, "last call", NULL, ACT_SCHEDULE_VIEW, 0, cmd_end },
	{ { 'h', TUI_FN(KEY_LEFT), 0 }, "the day before", "\xE2\x86\x90/\xE2\x86\x92 day",
	    ACT_SCHEDULE_VIEW, 0, cmd_prev_day },
	{ { 'l', TUI_FN(KEY_RIGHT), 0 }, "the day after", NULL, ACT_SCHEDULE_VIEW, 0,
	    cmd_next_day },
	{ { 't', 0 }, "back to today", NULL, ACT_SCHEDULE_VIEW, 0, cmd_today },
	{ { 's', 0 }, "the next site's calls", "s site", ACT_SCHEDULE_VIEW, 0, cmd_site },
	{ { '\r', '\n', TUI_FN(KEY_ENTER), 0 }, "mark the call done", "Enter/d done",
	    ACT_BOOK, TUI_NEED_ROW, cmd_done },
	{ { 'd', 0 }, "mark the call done", NULL, ACT_BOOK, TUI_NEED_ROW, cmd_done },
	{ { 'u', 0 }, "mark the patient unreachable, with an optional note", "u unreachable",
	    ACT_BOOK, TUI_NEED_ROW, cmd_unreachable },
	{ { '/', 0 }, "find a name, phone, MRN or visit in the list", "/ find",
	    ACT_SCHEDULE_VIEW, 0, cmd_find },
	{ { 'n', 0 }, "find the next match", NULL, ACT_SCHEDULE_VIEW, 0, cmd_find_next },
	{ { 'N', 0 }, "find the previous match", NULL, ACT_SCHEDULE_VIEW, 0, cmd_find_prev },
	{ { 'q', 0 }, "quit celldesk", "q quit", TUI_ACT_NONE, 0, cmd_quit },
	{ { 0 }, NULL, NULL, TUI_ACT_NONE, 0, NULL },
};

/* --- the screen --- */
static void
calls_title(struct tui_screen *s, struct strbuf *out)
{
	struct calls *c = of(s);

	strbuf_adds(out, "calls");
	if (c->nsites > 0)
		strbuf_addf(out, " at %s", c->sites[c->site]);
}

static int
list_height(struct tui *t)
{
	int h = TUI_BODY_H(t) - HEAD_LINES - 1; /* less the day line and the heads */

	return h < 1 ? 1 : h;
}

static int
calls_sync(struct tui *t, struct tui_screen *s)
{
	struct calls *c = of(s);
	enum cd_status st = CD_OK;
	int flags = 0;

	if (!c->sites_stale && !c->day_stale && !tui_list_stale(&c->list, list_height(t)))
		return 0;
	if (c->sites_stale) {
		if ((st = db_begin_read(t->ops.db, &t->err)) == CD_OK) {
			st = read_sites(c, &t->err);
			db_end_read(t->ops.db);
		}
		flags |= REDRAW_ALL; /* the title names the site */
	}
	/* ops_calls reads the day in a snapshot of its own; the list then
	 * pages through what it read. */
	if (st == CD_OK && c->day_stale) {
		st = read_day(c, &t->err);
		tui_list_invalidate(&c->list);
	}
	if (st == CD_OK)
		st = tui_list_sync(&c->list, list_height(t), &t->err);
	if (st != CD_OK) {
		c->sites_stale = c->day_stale = false;
		return flags | tui_show_err(t) | REDRAW_LIST;
	}
	return flags | REDRAW_LIST | REDRAW_STATUS;
}

static void
draw_day(struct calls *c, int y, int w)
{
	static const char *const wd[7] = { "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
		"Saturday", "Sunday" };
	struct strbuf b = STRBUF_INIT, line = STRBUF_INIT;
	struct cd_date d;
	int x;

	if (!date_parse(c->day, &d)) {
		tui_put(y, 0, w, A_NORMAL, "");
		return;
	}
	strbuf_addf(&b, " %s  \xC2\xB7  %s %s", c->nsites > 0 ? c->sites[c->site] : "no site",
	    wd[date_weekday(&d)], c->day);
	if (c->offset == 0)
		strbuf_adds(&b, " (today)");
	else
		strbuf_addf(&b, " (%s%d day%s)", c->offset > 0 ? "+" : "", c->offset,
		    c->offset == 1 || c->offset == -1 ? "" : "s");
	tui_fit(&line, strbuf_str(&b), w, true);
	tui_put(y, 0, w, A_BOLD, strbuf_str(&line));
	strbuf_reset(&b);
	strbuf_reset(&line);
	/* The counts, in words, at the right. */
	if (c->list.total >= 0)
		strbuf_addf(&b, "%lld call%s: %lld done, %lld unreachable, %lld to make ",
		    (long long)c->nrows, c->nrows == 1 ? "" : "s", (long long)c->done,
		    (long long)c->unreachable, (long long)(c->nrows - c->done - c->unreachable));
	x = w - tui_width_safe(strbuf_str(&b));
	if (b.len > 0 && x > w / 2) {
		tui_fit_safe(&line, strbuf_str(&b), w - x, false);
		tui_put(y, x, w - x, A_NORMAL, strbuf_str(&line));
	}
	strbuf_free(&b);
	strbuf_free(&line);
}

static void
calls_draw(struct tui *t, struct tui_screen *s, int y, int h, int w)
{
	struct calls *c = of(s);

	if (h < HEAD_LINES + 2)
		return;
	draw_day(c, y, w);
	tui_list_draw(t, &c->list, y + HEAD_LINES, h - HEAD_LINES, w);
}

/* The selected call in full: who, the phone, the outcome with who
 * marked it, when and the note. */
static void
calls_info(struct tui *t, struct tui_screen *s, struct strbuf *out)
{
	struct calls *c = of(s);
	const struct tui_list_row *row = tui_list_selected(&c->list);
	const char *const *v;

	if (c->nsites == 0) {
		strbuf_adds(out, "no sites yet: an admin adds them (Admin tab)");
		return;
	}
	if (c->list.total == 0) {
		strbuf_addf(out, "no calls at %s on %s", c->sites[c->site], c->day);
		return;
	}
	if (row == NULL || row->n < R__N) {
		strbuf_addf(out, "call %lld", (long long)c->list.cur + 1);
		return;
	}
	v = (const char *const *)row->vals;
	strbuf_addf(out, "%lld/%lld %s: ", (long long)c->list.cur + 1, (long long)c->list.total,
	    v[R_NAME] != NULL ? v[R_NAME] : "?");
	if (v[R_RAW] == NULL) {
		strbuf_addf(out, "not called yet (%s, visit %s)", v[R_PATIENT] != NULL ?
		    v[R_PATIENT] : "?", v[R_APPT]);
	} else {
		/* The note first: it is what the next caller needs. */
		strbuf_adds(out, v[R_RAW]);
		if (v[R_NOTE] != NULL)
			strbuf_addf(out, " \xE2\x80\x94 %s", v[R_NOTE]);
		strbuf_addf(out, " (marked by %s at %.5s", v[R_BY] != NULL ? v[R_BY] : "?",
		    v[R_AT] != NULL && strlen(v[R_AT]) >= 16 ? v[R_AT] + 11 : "?");
		if (v[R_AT] != NULL && strncmp(v[R_AT], c->day, 10) != 0)
			strbuf_addf(out, " on %.10s", v[R_AT]);
		strbuf_adds(out, ")");
	}
	(void)t;
}

static void
calls_invalidate(struct tui_screen *s)
{
	struct calls *c = of(s);

	c->sites_stale = true;
	c->day_stale = true;
	tui_list_invalidate(&c->list);
}

static bool
calls_has_row(struct tui_screen *s)
{
	return tui_list_selected(&of(s)->list) != NULL;
}

static void
calls_free(struct tui_screen *s)
{
	struct calls *c = of(s);

	tui_list_free(&c->list);
	tui_find_free(&c->find);
	clear_sites(c);
	clear_day(c);
	free(c->rows);
	free(c);
}

const struct tui_screen_type tui_calls_type = {
	.name = "calls",
	.cmds = calls_cmds,
	.title = calls_title,
	.sync = calls_sync,
	.draw = calls_draw,
	.info = calls_info,
	.invalidate = calls_invalidate,
	.has_row = calls_has_row,
	.free = calls_free,
};

struct tui_screen *
tui_calls_new(struct tui *t)
{
	struct calls *c = xcalloc(1, sizeof *c);

	c->base.type = &tui_calls_type;
	c->t = t;
	c->sites_stale = c->day_stale = true;
	tui_list_init(&c->list, call_cols, (int)(sizeof call_cols / sizeof call_cols[0]),
	    &calls_list_ops, c);
	c->find.list = &c->list;
	set_day(c);
	return &c->base;
}
