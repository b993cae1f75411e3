/* sync_screen.c - the lab sync screen: the link's status at the top
 * (ops_sync_status), then one list switched with Tab between the open
 * review queue and the newest outbox rows, Enter for a row's full text,
 * and for the lab and admins: s runs `celldesk sync` as a child without
 * freezing the screen, r resolves a review item with a note, R sends a
 * failed outbox row again (the child is sync_job.c's). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/text.h"
#include "../core/xalloc.h"
#include "tui_int.h"

enum { VIEW_REVIEW, VIEW_OUTBOX, NVIEWS };
enum { OUTBOX_SHOWN = 50 };     /* the newest outbox rows the screen lists */
enum { STATUS_LINES = 6 };      /* the status block and the tabs line */
enum { MAX_STATUS = 32 };       /* status rows kept (a few cursors at most) */
enum { LABEL_W = 14, PAGE_LABEL_W = 20 }; /* the status block's labels, a row page's */

/* --- the screen --- */
struct sync_screen {
	struct tui_screen base;
	struct tui *t;
	struct tui_list lists[NVIEWS];
	int view;
	bool status_stale;
	int nstatus;
	char *items[MAX_STATUS], *values[MAX_STATUS];
	int64_t review_open, outbox_total; /* from the status; -1 unknown */
	int64_t act_id;                    /* the item a prompt is about */
	char label[96];                    /* that prompt's label (safe text) */
};

/* The rows as the list keeps them: the columns shown first, then the
 * rest for Enter's page. From db_review_list (id, created, type,
 * fhir_id, lot, reason, status, resolved, by, note) ... */
static const int review_order[] = { 0, 1, 4, 2, 5, 3, 6, 7, 8, 9 };
static const struct tui_list_col review_cols[] = {
	{ "ID", 5 }, { "Created (UTC)", 20 }, { "Lot", 12 }, { "Type", 14 }, { "Reason", 0 },
};
static const char *const review_labels[] = {
	"ID", "Created (UTC)", "Lot", "Type", "Reason", "FHIR id", "Status", "Resolved",
	"By", "Note",
};
/* ... and from db_outbox_list (id, created, lot, status, attempts,
 * last_attempt, sent, error). */
static const int outbox_order[] = { 0, 1, 2, 3, 4, 7, 5, 6 };
static const struct tui_list_col outbox_cols[] = {
	{ "ID", 5 }, { "Created (UTC)", 20 }, { "Lot", 12 }, { "Status", 7 },
	{ "Tries", 5 }, { "Error", 0 },
};
static const char *const outbox_labels[] = {
	"ID", "Created (UTC)", "Lot", "Status", "Attempts", "Error", "Last attempt (UTC)",
	"Sent (UTC)",
};
#define NREVIEW ((int)(sizeof review_order / sizeof review_order[0]))
#define NOUTBOX ((int)(sizeof outbox_order / sizeof outbox_order[0]))

static struct sync_screen *
of(struct tui_screen *s)
{
	return (struct sync_screen *)s;
}

static struct tui_list *
shown(struct sync_screen *ss)
{
	return &ss->lists[ss->view];
}

/* Streams rows [offset, offset + limit) of a list read whole, their
 * columns in the list's order. */
struct window {
	int64_t offset, limit, seen;
	const int *order;
	int n;
	cd_row_fn add;
	void *add_ctx;
};

static enum cd_status
window_row(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	struct window *w = ctx;
	const char *keys[16], *vals[16];
	struct cd_row out = { 0, keys, vals };
	int64_t i = w->seen++;

	if (w->add == NULL || i < w->offset || i >= w->offset + w->limit)
		return CD_OK;
	for (out.n = 0; out.n < w->n && out.n < 16; out.n++) {
		int k = w->order[out.n];

		keys[out.n] = k < row->n ? row->keys[k] : "";
		vals[out.n] = k < row->n ? row->vals[k] : NULL;
	}
	return w->add(w->add_ctx, &out, err);
}

static enum cd_status
review_count(void *ctx, bool must, int64_t *n, struct cd_err *err)
{
	struct sync_screen *ss = ctx;
	struct window w = { 0, 0, 0, NULL, 0, NULL, NULL };
	enum cd_status st;

	if (ss->review_open >= 0 || !must) {
		*n = ss->review_open;
		return CD_OK;
	}
	if ((st = ops_sync_review_list(&ss->t->ops, false, 0, -1, window_row, &w, err)) !=
	    CD_OK)
		return st;
	*n = w.seen;
	return CD_OK;
}

static enum cd_status
review_fetch(void *ctx, int64_t offset, int64_t limit, cd_row_fn add, void *add_ctx,
    struct cd_err *err)
{
	struct sync_screen *ss = ctx;
	struct window w = { 0, limit, 0, review_order, NREVIEW, add, add_ctx };

	/* Open items only, the page shown: the queue someone works down. */
	return ops_sync_review_list(&ss->t->ops, false, offset, limit, window_row, &w, err);
}

static enum cd_status
outbox_count(void *ctx, bool must, int64_t *n, struct cd_err *err)
{
	struct sync_screen *ss = ctx;
	struct window w = { 0, 0, 0, NULL, 0, NULL, NULL };
	enum cd_status st;

	if (ss->outbox_total >= 0 || !must) {
		*n = ss->outbox_total < 0 ? -1 :
		    ss->outbox_total < OUTBOX_SHOWN ? ss->outbox_total : OUTBOX_SHOWN;
		return CD_OK;
	}
	if ((st = ops_sync_outbox(&ss->t->ops, NULL, OUTBOX_SHOWN, window_row, &w, err)) != CD_OK)
		return st;
	*n = w.seen;
	return CD_OK;
}

static enum cd_status
outbox_fetch(void *ctx, int64_t offset, int64_t limit, cd_row_fn add, void *add_ctx,
    struct cd_err *err)
{
	struct sync_screen *ss = ctx;
	struct window w = { offset, limit, 0, outbox_order, NOUTBOX, add, add_ctx };
	int64_t upto = offset + limit < OUTBOX_SHOWN ? offset + limit : OUTBOX_SHOWN;

	if (offset >= OUTBOX_SHOWN)
		return CD_OK;
	return ops_sync_outbox(&ss->t->ops, NULL, upto, window_row, &w, err);
}

static const struct tui_list_ops review_list_ops = { .count = review_count, .fetch = review_fetch };
static const struct tui_list_ops outbox_list_ops = { .count = outbox_count, .fetch = outbox_fetch };

/* --- the status rows --- */
static void
clear_status(struct sync_screen *ss)
{
	int i;

	for (i = 0; i < ss->nstatus; i++) {
		free(ss->items[i]);
		free(ss->values[i]);
	}
	ss->nstatus = 0;
}

static const char *
status_value(const struct sync_screen *ss, const char *item)
{
	int i;

	for (i = 0; i < ss->nstatus; i++) {
		if (strcmp(ss->items[i], item) == 0)
			return ss->values[i];
	}
	return NULL;
}

static int64_t
status_number(const struct sync_screen *ss, const char *item)
{
	const char *v = status_value(ss, item);
	char *end;
	long long n;

	if (v == NULL)
		return -1;
	n = strtoll(v, &end, 10);
	return end != v && *end == '\0' && n >= 0 ? (int64_t)n : -1;
}

static enum cd_status
copy_status(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	struct sync_screen *ss = ctx;

	(void)err;
	if (ss->nstatus >= MAX_STATUS || row->n < 2 || row->vals[0] == NULL)
		return CD_OK;
	ss->items[ss->nstatus] = xstrdup(row->vals[0]);
	ss->values[ss->nstatus] = row->vals[1] != NULL ? xstrdup(row->vals[1]) : NULL;
	ss->nstatus++;
	return CD_OK;
}

static enum cd_status
read_status(struct sync_screen *ss, struct cd_err *err)
{
	enum cd_status st;
	int64_t p, f, s;

	clear_status(ss);
	ss->review_open = ss->outbox_total = -1;
	if ((st = ops_sync_status(&ss->t->ops, copy_status, ss, err)) != CD_OK)
		return st;
	ss->status_stale = false;
	ss->review_open = status_number(ss, "review open");
	p = status_number(ss, "outbox pending");
	f = status_number(ss, "outbox failed");
	s = status_number(ss, "outbox sent");
	if (p >= 0 && f >= 0 && s >= 0)
		ss->outbox_total = p + f + s;
	return CD_OK;
}

/* --- prompts --- */
static int
mark_stale(struct sync_screen *ss)
{
	ss->status_stale = true;
	tui_list_invalidate(&ss->lists[VIEW_REVIEW]);
	tui_list_invalidate(&ss->lists[VIEW_OUTBOX]);
	return REDRAW_LIST | REDRAW_STATUS;
}

static int
prompt_unchanged(struct tui *t, void *ctx, const char *text)
{
	(void)t;
	(void)ctx;
	(void)text;
	return 0;
}

static int
resolve_done(struct tui *t, void *ctx, const char *text, bool accepted)
{
	struct sync_screen *ss = ctx;
	const char *c = text;

	while (*c == ' ')
		c++;
	if (!accepted) {
		tui_message(t, false, "review item %lld stays open", (long long)ss->act_id);
		return REDRAW_STATUS;
	}
	if (*c == '\0') {
		tui_message(t, true, "a note is needed to resolve review item %lld; it stays open",
		    (long long)ss->act_id);
		return REDRAW_STATUS;
	}
	if (ops_sync_review_resolve(&t->ops, ss->act_id, text, &t->err) != CD_OK)
		return tui_show_err(t) | mark_stale(ss);
	tui_message(t, false, "review item %lld resolved", (long long)ss->act_id);
	return mark_stale(ss);
}

static int
retry(struct tui *t, struct sync_screen *ss, bool yes)
{
	if (!yes) {
		tui_message(t, false, "outbox row %lld is not sent again", (long long)ss->act_id);
		return REDRAW_STATUS;
	}
	if (ops_sync_retry(&t->ops, ss->act_id, &t->err) != CD_OK)
		return tui_show_err(t) | mark_stale(ss);
	tui_message(t, false, "outbox row %lld is pending again: the next sync sends it",
	    (long long)ss->act_id);
	return mark_stale(ss);
}

/* y or n answers at once (the prompt closes without its done call). */
static int
retry_changed(struct tui *t, void *ctx, const char *text)
{
	if (strcmp(text, "y") != 0 && strcmp(text, "Y") != 0 && strcmp(text, "n") != 0 &&
	    strcmp(text, "N") != 0)
		return 0;
	t->prompt.active = false;
	return retry(t, ctx, text[0] == 'y' || text[0] == 'Y') | REDRAW_STATUS;
}

/* Esc, or Enter on anything but y: no. */
static int
retry_done(struct tui *t, void *ctx, const char *text, bool accepted)
{
	(void)text;
	(void)accepted;
	return retry(t, ctx, false);
}

/* --- a row's full text: a pager screen --- */
struct sync_row_page {
	struct tui_pager_screen ps;
	char title[48];
	int n;
	const char *const *labels;
	char **vals;
	int laid_w;
};

static void
row_page_title(struct tui_screen *s, struct strbuf *out)
{
	strbuf_adds(out, ((struct sync_row_page *)s)->title);
}

static void
row_page_draw(struct tui *t, struct tui_screen *s, int y, int h, int w)
{
	struct sync_row_page *rp = (struct sync_row_page *)s;
	struct tui_pager *p = &rp->ps.pager;
	int i;

	if (rp->laid_w != w) {
		tui_pager_clear(p);
		for (i = 0; i < rp->n; i++) {
			tui_pager_add_field(p, tui_attr(t, LOOK_LABEL), rp->labels[i], PAGE_LABEL_W,
			    rp->vals[i] != NULL ? rp->vals[i] : "\xE2\x80\x94", w - 2);
		}
		rp->laid_w = w;
	}
	tui_pager_draw(t, p, y, h, w);
}

static void
row_page_info(struct tui *t, struct tui_screen *s, struct strbuf *out)
{
	const struct tui_pager *p = &((struct sync_row_page *)s)->ps.pager;
	int last = p->scroll + p->height;

	(void)t;
	if (last > p->n)
		last = p->n;
	strbuf_addf(out, "as shown when opened  \xC2\xB7  lines %d\xE2\x80\x93%d of %d",
	    p->n > 0 ? p->scroll + 1 : 0, last, p->n);
}

static void
row_page_free(struct tui_screen *s)
{
	struct sync_row_page *rp = (struct sync_row_page *)s;
	int i;

	for (i = 0; i < rp->n; i++)
		free(rp->vals[i]);
	free(rp->vals);
	tui_pager_free(&rp->ps.pager);
	free(rp);
}

static const struct tui_screen_type sync_row_page_type = {
	.name = "lab sync row",
	.cmds = tui_pager_cmds,
	.title = row_page_title,
	.draw = row_page_draw,
	.info = row_page_info,
	.free = row_page_free,
};

/* --- commands --- */
static int cmd_down(struct tui *t, struct tui_screen *s) { (void)t; return tui_list_move(shown(of(s)), 1); }
static int cmd_up(struct tui *t, struct tui_screen *s) { (void)t; return tui_list_move(shown(of(s)), -1); }
static int cmd_page_down(struct tui *t, struct tui_screen *s) { (void)t; return tui_list_page(shown(of(s)), 1); }
static int cmd_page_up(struct tui *t, struct tui_screen *s) { (void)t; return tui_list_page(shown(of(s)), -1); }
static int cmd_home(struct tui *t, struct tui_screen *s) { (void)t; return tui_list_home(shown(of(s))); }
static int cmd_end(struct tui *t, struct tui_screen *s) { (void)t; return tui_list_end(shown(of(s))); }

static int
cmd_switch(struct tui *t, struct tui_screen *s)
{
	(void)t;
	of(s)->view = (of(s)->view + 1) % NVIEWS;
	return REDRAW_LIST | REDRAW_STATUS;
}

static int
cmd_open(struct tui *t, struct tui_screen *s)
{
	struct sync_screen *ss = of(s);
	const struct tui_list_row *row = tui_list_selected(shown(ss));
	struct sync_row_page *rp;
	int i, n;

	if (row == NULL)
		return 0;
	rp = xcalloc(1, sizeof *rp);
	rp->ps.base.type = &sync_row_page_type;
	if (ss->view == VIEW_REVIEW) {
		rp->labels = review_labels;
		n = NREVIEW;
	} else {
		rp->labels = outbox_labels;
		n = NOUTBOX;
	}
	rp->n = row->n < n ? row->n : n;
	rp->vals = xcalloc((size_t)n, sizeof *rp->vals);
	for (i = 0; i < rp->n; i++)
		rp->vals[i] = row->vals[i] != NULL ? xstrdup(row->vals[i]) : NULL;
	/* The id is a number from our database; %.20s all the same. */
	snprintf(rp->title, sizeof rp->title, "%s %.20s",
	    ss->view == VIEW_REVIEW ? "review item" : "outbox row",
	    rp->n > 0 && rp->vals[0] != NULL ? rp->vals[0] : "?");
	rp->laid_w = -1;
	tui_push(t, &rp->ps.base);
	return REDRAW_ALL;
}

/* The selected row's id (column 0), or 0. */
static int64_t
selected_id(struct sync_screen *ss, const struct tui_list_row **rowp)
{
	const struct tui_list_row *row = tui_list_selected(shown(ss));
	char *end;
	long long id;

	*rowp = row;
	if (row == NULL || row->n < 1 || row->vals[0] == NULL)
		return 0;
	id = strtoll(row->vals[0], &end, 10);
	return end != row->vals[0] && *end == '\0' && id > 0 ? (int64_t)id : 0;
}

static int
cmd_resolve(struct tui *t, struct tui_screen *s)
{
	struct sync_screen *ss = of(s);
	const struct tui_list_row *row;

	if (ss->view != VIEW_REVIEW) {
		tui_message(t, false, "r resolves a review item: Tab shows the review queue");
		return REDRAW_STATUS;
	}
	if ((ss->act_id = selected_id(ss, &row)) == 0)
		return 0;
	snprintf(ss->label, sizeof ss->label, "Note resolving review item %lld: ",
	    (long long)ss->act_id);
	tui_prompt_open(t, ss->label, NULL, prompt_unchanged, resolve_done, ss);
	return REDRAW_STATUS;
}

static int
cmd_retry(struct tui *t, struct tui_screen *s)
{
	struct sync_screen *ss = of(s);
	const struct tui_list_row *row;

	if (ss->view != VIEW_OUTBOX) {
		tui_message(t, false, "R sends a failed outbox row again: Tab shows the outbox");
		return REDRAW_STATUS;
	}
	if ((ss->act_id = selected_id(ss, &row)) == 0)
		return 0;
	if (row->n < 4 || row->vals[3] == NULL || strcmp(row->vals[3], "failed") != 0) {
		tui_message(t, false, "only a failed row is sent again; row %lld is %s",
		    (long long)ss->act_id, row->n >= 4 && row->vals[3] != NULL &&
		    strcmp(row->vals[3], "sent") == 0 ? "sent" : "pending");
		return REDRAW_STATUS;
	}
	snprintf(ss->label, sizeof ss->label, "Send outbox row %lld to the lab again? (y/n) ",
	    (long long)ss->act_id);
	tui_prompt_open(t, ss->label, NULL, retry_changed, retry_done, ss);
	return REDRAW_STATUS;
}

static int
cmd_sync_now(struct tui *t, struct tui_screen *s)
{
	static char *const sync_args[] = { (char *)"sync", NULL };

	(void)s;
	if (t->job != NULL && t->job->running) {
		tui_message(t, false, "the lab sync is already running (%lld s)",
		    (long long)tui_job_seconds(t->job));
		return REDRAW_STATUS;
	}
	if (tui_job_start(t, JOB_SYNC, sync_args, &t->err) != CD_OK)
		return tui_show_err(t);
	tui_message(t, false, "Syncing with the lab...");
	return REDRAW_LIST | REDRAW_STATUS;
}

/* Back to the patients when opened from there; on its own tab, quit. */
static int
cmd_back(struct tui *t, struct tui_screen *s)
{
	return s->below != NULL ? tui_pop(t) : tui_quit_asking(t);
}

/* Esc never quits: on its own tab it says that q does. */
static int
cmd_esc(struct tui *t, struct tui_screen *s)
{
	(void)s;
	return tui_pop(t);
}

#define MOVE_CMDS \
	{ { 'j', TUI_FN(KEY_DOWN), 0 }, "next row", "j/k move", ACT_SYNC_VIEW, 0, cmd_down }, \
	{ { 'k', TUI_FN(KEY_UP), 0 }, "previous row", NULL, ACT_SYNC_VIEW, 0, cmd_up }, \
	{ { TUI_FN(KEY_NPAGE), TUI_CTRL('f'), ' ', 0 }, "next page", NULL, ACT_SYNC_VIEW, 0, \
	    cmd_page_down }, \
	{ { TUI_FN(KEY_PPAGE), TUI_CTRL('b'), 0 }, "previous page", NULL, ACT_SYNC_VIEW, 0, \
	    cmd_page_up }, \
	{ { 'g', TUI_FN(KEY_HOME), 0 }, "first row", NULL, ACT_SYNC_VIEW, 0, cmd_home }, \
	{ { 'G', TUI_FN(KEY_END), 0 }, "last row", NULL, ACT_SYNC_VIEW, 0, cmd_end }, \
	{ { '\t', 0 }, "review queue or outbox", "Tab lists", \
	    ACT_SYNC_VIEW, 0, cmd_switch }, \
	{ { '\r', '\n', TUI_FN(KEY_ENTER), 0 }, "show the row's full text", "Enter show", \
	    ACT_SYNC_VIEW, TUI_NEED_ROW, cmd_open }
#define BACK_CMD \
	{ { TUI_ESC, 0 }, "go back", NULL, TUI_ACT_NONE, 0, cmd_esc }, \
	{ { 'q', 0 }, "go back (on its own tab: quit celldesk)", "q back", \
	    TUI_ACT_NONE, 0, cmd_back }

/* Two tables: the lab and admins see the keys that act, everyone else
 * only the ones that look (help and the hints come from the table). */
static const struct tui_cmd sync_run_cmds[] = {
	MOVE_CMDS,
	{ { 's', 0 }, "sync with the lab now", "s sync now",
	    ACT_SYNC_RUN, 0, cmd_sync_now },
	{ { 'r', 0 }, "resolve the item with a note", "r resolve", ACT_SYNC_RUN,
	    TUI_NEED_ROW, cmd_resolve },
	{ { 'R', 0 }, "send a failed row again", "R retry", ACT_SYNC_RUN,
	    TUI_NEED_ROW, cmd_retry },
	BACK_CMD,
	{ { 0 }, NULL, NULL, TUI_ACT_NONE, 0, NULL },
};
static const struct tui_cmd sync_view_cmds[] = {
	MOVE_CMDS,
	BACK_CMD,
	{ { 0 }, NULL, NULL, TUI_ACT_NONE, 0, NULL },
};

/* --- the screen's vtable --- */
static void
sync_title(struct tui_screen *s, struct strbuf *out)
{
	(void)s;
	strbuf_adds(out, "lab sync");
}

static int
list_height(struct tui *t)
{
	int h = TUI_BODY_H(t) - STATUS_LINES - 1; /* less the block and the heads */

	return h < 1 ? 1 : h;
}

static int
sync_sync(struct tui *t, struct tui_screen *s)
{
	struct sync_screen *ss = of(s);
	struct tui_list *l = shown(ss);
	enum cd_status st = CD_OK;

	if (!ss->status_stale && !tui_list_stale(l, list_height(t)))
		return 0;
	/* One snapshot for the status, the count it gives and the page. */
	if ((st = db_begin_read(t->ops.db, &t->err)) != CD_OK)
		return tui_show_err(t);
	if (ss->status_stale || l->need_count)
		st = read_status(ss, &t->err);
	if (st == CD_OK)
		st = tui_list_sync(l, list_height(t), &t->err);
	db_end_read(t->ops.db);
	if (st != CD_OK) {
		ss->status_stale = false; /* shown; the next change retries */
		return tui_show_err(t) | REDRAW_LIST;
	}
	return REDRAW_LIST | REDRAW_STATUS;
}

/* " Label         raw value" on line y, the value sanitized and fitted. */
static void
put_field(struct tui *t, int y, int x, int w, const char *label, const char *raw)
{
	struct strbuf line = STRBUF_INIT;

	if (w <= LABEL_W)
		return;
	tui_put(y, x, LABEL_W, tui_attr(t, LOOK_LABEL), label);
	tui_fit(&line, raw, w - LABEL_W, true);
	tui_put(y, x + LABEL_W, w - LABEL_W, A_NORMAL, strbuf_str(&line));
	strbuf_free(&line);
}

static const char *
or_never(const char *v)
{
	return v != NULL && v[0] != '\0' ? v : "never";
}

static const char *
or_unknown(const char *v)
{
	return v != NULL ? v : "?";
}

static void
draw_status(struct tui *t, struct sync_screen *ss, int y, int w)
{
	struct strbuf b = STRBUF_INIT;
	const char *v;
	int i, right = w - 36; /* the right-hand fields: a label and a UTC time */
	bool may_run = roles_may(t->ops.roles, ACT_SYNC_RUN);

	for (i = 0; i < STATUS_LINES - 1; i++)
		tui_put(y + i, 0, w, A_NORMAL, "");
	/* The counts are ours (numbers); still printed as raw text. */
	strbuf_addf(&b, "%s pending \xC2\xB7 %s failed \xC2\xB7 %s sent",
	    or_unknown(status_value(ss, "outbox pending")),
	    or_unknown(status_value(ss, "outbox failed")),
	    or_unknown(status_value(ss, "outbox sent")));
	put_field(t, y, 1, w - 27, "Outbox", strbuf_str(&b));
	strbuf_reset(&b);
	strbuf_addf(&b, "%s open", or_unknown(status_value(ss, "review open")));
	put_field(t, y, w - 25, 24, "Review queue", strbuf_str(&b));

	put_field(t, y + 1, 1, right - 2, "Last success", or_never(status_value(ss, "last success")));
	put_field(t, y + 1, right, w - right - 1, "Last failure",
	    or_never(status_value(ss, "last failure")));

	v = status_value(ss, "last failure message");
	put_field(t, y + 2, 1, w - 2, "Failure said",
	    v != NULL ? v : "\xE2\x80\x94");

	/* Each pull cursor, and whatever else the status holds. */
	strbuf_reset(&b);
	for (i = 0; i < ss->nstatus; i++) {
		const char *item = ss->items[i];

		if (strncmp(item, "outbox ", 7) == 0 || strcmp(item, "review open") == 0 ||
		    strncmp(item, "last ", 5) == 0)
			continue;
		if (b.len > 0)
			strbuf_adds(&b, " \xC2\xB7 ");
		strbuf_addf(&b, "%s %s", strncmp(item, "cursor ", 7) == 0 ? item + 7 : item,
		    ss->values[i] != NULL ? ss->values[i] : "\xE2\x80\x94");
	}
	put_field(t, y + 3, 1, w - 2, "Pulled up to", b.len > 0 ? strbuf_str(&b) :
	    "nothing pulled yet");

	strbuf_reset(&b);
	if (t->job != NULL && t->job->running)
		strbuf_addf(&b, "Syncing with the lab... (%lld s)", (long long)tui_job_seconds(t->job));
	else if (t->job != NULL)
		strbuf_addf(&b, "%s after %lld s: %s", t->job->failed ? "failed" : "done",
		    (long long)tui_job_seconds(t->job), t->job->result);
	else
		strbuf_adds(&b, may_run ? "not run from here yet; s runs it" :
		    "the lab or an admin runs it");
	put_field(t, y + 4, 1, w - 2, "Sync now", strbuf_str(&b));
	strbuf_free(&b);
}

static void
draw_tabs(struct tui *t, struct sync_screen *ss, int y, int w)
{
	static const char *const names[NVIEWS] = { "Review queue (open)", "Outbox (newest 50)" };
	struct strbuf b = STRBUF_INIT;
	int i, x = 1, n;

	tui_put(y, 0, w, A_NORMAL, "");
	for (i = 0; i < NVIEWS; i++) {
		strbuf_reset(&b);
		/* Brackets mark the list shown without colour or reverse video. */
		strbuf_addf(&b, i == ss->view ? "[%s]" : " %s ", names[i]);
		n = tui_width_safe(strbuf_str(&b));
		if (x + n >= w)
			break;
		tui_put(y, x, n, i == ss->view ? (A_REVERSE | A_BOLD) : A_NORMAL, strbuf_str(&b));
		x += n + 2;
	}
	if (x + 16 < w)
		tui_put(y, x, w - x - 1, tui_attr(t, LOOK_INFO), "Tab switches");
	strbuf_free(&b);
}

static void
sync_draw(struct tui *t, struct tui_screen *s, int y, int h, int w)
{
	struct sync_screen *ss = of(s);

	if (h < STATUS_LINES + 2)
		return;
	draw_status(t, ss, y, w);
	draw_tabs(t, ss, y + STATUS_LINES - 1, w);
	tui_list_draw(t, shown(ss), y + STATUS_LINES, h - STATUS_LINES, w);
}

static void
sync_info(struct tui *t, struct tui_screen *s, struct strbuf *out)
{
	struct sync_screen *ss = of(s);
	const struct tui_list *l = shown(ss);
	const char *what = ss->view == VIEW_REVIEW ? "review item" : "outbox row";

	if (l->total == 0)
		strbuf_adds(out, ss->view == VIEW_REVIEW ? "no open review items" :
		    "the outbox is empty");
	else if (l->total > 0)
		strbuf_addf(out, "%s %lld of %lld", what, (long long)l->cur + 1,
		    (long long)l->total);
	else
		strbuf_addf(out, "%s %lld", what, (long long)l->cur + 1);
	if (ss->view == VIEW_OUTBOX && ss->outbox_total > OUTBOX_SHOWN)
		strbuf_addf(out, " (the newest %d of %lld)", OUTBOX_SHOWN,
		    (long long)ss->outbox_total);
	if (t->prompt.active)
		strbuf_adds(out, "  \xC2\xB7  Enter accepts, Esc cancels");
	else if (t->job != NULL && t->job->running)
		strbuf_adds(out, "  \xC2\xB7  syncing with the lab in the background");
}

static void
sync_invalidate(struct tui_screen *s)
{
	mark_stale(of(s));
}

static bool
sync_has_row(struct tui_screen *s)
{
	return tui_list_selected(shown(of(s))) != NULL;
}

static void
sync_free(struct tui_screen *s)
{
	struct sync_screen *ss = of(s);

	tui_list_free(&ss->lists[VIEW_REVIEW]);
	tui_list_free(&ss->lists[VIEW_OUTBOX]);
	clear_status(ss);
	free(ss);
}

const struct tui_screen_type tui_sync_type = {
	.name = "lab sync",
	.cmds = sync_run_cmds,
	.title = sync_title,
	.sync = sync_sync,
	.draw = sync_draw,
	.info = sync_info,
	.invalidate = sync_invalidate,
	.has_row = sync_has_row,
	.free = sync_free,
};
static const struct tui_screen_type sync_view_type = {
	.name = "lab sync",
	.cmds = sync_view_cmds,
	.title = sync_title,
	.sync = sync_sync,
	.draw = sync_draw,
	.info = sync_info,
	.invalidate = sync_invalidate,
	.has_row = sync_has_row,
	.free = sync_free,
};

struct tui_screen *
tui_sync_screen_new(struct tui *t)
{
	struct sync_screen *ss = xcalloc(1, sizeof *ss);

	ss->base.type = roles_may(t->ops.roles, ACT_SYNC_RUN) ? &tui_sync_type : &sync_view_type;
	ss->t = t;
	ss->status_stale = true;
	ss->review_open = ss->outbox_total = -1;
	tui_list_init(&ss->lists[VIEW_REVIEW], review_cols,
	    (int)(sizeof review_cols / sizeof review_cols[0]), &review_list_ops, ss);
	tui_list_init(&ss->lists[VIEW_OUTBOX], outbox_cols,
	    (int)(sizeof outbox_cols / sizeof outbox_cols[0]), &outbox_list_ops, ss);
	return &ss->base;
}
