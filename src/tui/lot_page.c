/* lot_page.c - one lot's page, scrolling like a pager: the lot as
 * ops_lot_show gives it (its status with the time to expiry and the next
 * step for this user), its QC results against the product's limits, its
 * reservation, and its chain of custody (ops_lot_trace), oldest first;
 * and the steps the user's role allows (lot_actions.c). It is read again
 * after each step and when a colleague changes the database. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/xalloc.h"
#include "tui_int.h"

enum { MAX_FIELDS = 40, LABEL_W = 19 };

/* Rows kept as copies: n values each. */
struct rows {
	char **vals;
	int n, nv, cap;
};

struct lot_page {
	struct tui_pager_screen ps;
	char *code;
	struct tui_lot_act act;
	int nf;
	char *keys[MAX_FIELDS], *vals[MAX_FIELDS];
	struct rows qc, custody;
	bool stale, gone;
	int laid_w; /* the width the lines were laid out for; -1: redo */
};

static struct lot_page *
of(struct tui_screen *s)
{
	return (struct lot_page *)s;
}

static void
rows_clear(struct rows *r)
{
	int i;

	for (i = 0; i < r->n * r->nv; i++)
		free(r->vals[i]);
	r->n = 0;
}

static void
rows_add(struct rows *r, const struct cd_row *row, const char *const *keys)
{
	int i, j;

	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->vals = xrealloc(r->vals, (size_t)r->cap * (size_t)r->nv * sizeof *r->vals);
	}
	for (i = 0; i < r->nv; i++) {
		const char *v = NULL;

		for (j = 0; j < row->n; j++) {
			if (strcmp(row->keys[j], keys[i]) == 0)
				v = row->vals[j];
		}
		r->vals[(size_t)r->n * (size_t)r->nv + (size_t)i] = v != NULL ? xstrdup(v) : NULL;
	}
	r->n++;
}

static const char *
rv(const struct rows *r, int row, int i)
{
	return r->vals[(size_t)row * (size_t)r->nv + (size_t)i];
}

static void
clear_fields(struct lot_page *lp)
{
	int i;

	for (i = 0; i < lp->nf; i++) {
		free(lp->keys[i]);
		free(lp->vals[i]);
	}
	lp->nf = 0;
	rows_clear(&lp->qc);
	rows_clear(&lp->custody);
}

static const char *
field(const struct lot_page *lp, const char *key)
{
	int i;

	for (i = 0; i < lp->nf; i++) {
		if (strcmp(lp->keys[i], key) == 0)
			return lp->vals[i] != NULL && lp->vals[i][0] != '\0' ? lp->vals[i] : NULL;
	}
	return NULL;
}

static enum cd_status
copy_head(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	struct lot_page *lp = ctx;
	int i;

	(void)err;
	for (i = 0; i < row->n && lp->nf < MAX_FIELDS; i++) {
		lp->keys[lp->nf] = xstrdup(row->keys[i]);
		lp->vals[lp->nf] = row->vals[i] != NULL ? xstrdup(row->vals[i]) : NULL;
		lp->nf++;
	}
	return CD_OK;
}

static const char *const qc_keys[] = { "test", "result", "verdict" };
static const char *const custody_keys[] = { "at", "event", "actor", "from", "to", "temp",
	"note" };

static enum cd_status
copy_qc(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	(void)err;
	rows_add(&((struct lot_page *)ctx)->qc, row, qc_keys);
	return CD_OK;
}

static enum cd_status
copy_custody(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	(void)err;
	rows_add(&((struct lot_page *)ctx)->custody, row, custody_keys);
	return CD_OK;
}

static int
page_sync(struct tui *t, struct tui_screen *s)
{
	struct lot_page *lp = of(s);
	enum cd_status st;

	if (!lp->stale)
		return 0;
	lp->stale = false;
	lp->laid_w = -1;
	clear_fields(lp);
	st = ops_lot_show(&t->ops, lp->code, copy_head, copy_qc, lp, &t->err);
	if (st == CD_OK)
		st = ops_lot_trace(&t->ops, TRACE_CHAIN, lp->code, NULL, NULL, copy_custody, lp,
		    &t->err);
	lp->gone = st == CD_REFUSED;
	if (st != CD_OK && st != CD_REFUSED)
		return tui_show_err(t) | REDRAW_LIST;
	return REDRAW_LIST | REDRAW_STATUS;
}

/* --- laying the page out --- */
static void
put_field(struct tui *t, struct tui_pager *p, const char *label, const char *raw, int w,
    attr_t attr)
{
	int i, first = p->n;

	tui_pager_add_field(p, tui_attr(t, LOOK_LABEL), label, LABEL_W,
	    raw != NULL ? raw : "\xE2\x80\x94", w - 2);
	for (i = first; i < p->n; i++)
		p->lines[i].attr = attr;
}

/* "2026-11-23T14:00:00+01:00" -> "2026-11-23 14:00 (UTC+01:00)". */
static const char *
when(const char *iso, char *buf, size_t n)
{
	if (iso == NULL)
		return NULL;
	if (strlen(iso) != 25)
		return iso;
	snprintf(buf, n, "%.10s %.5s (UTC%.6s)", iso, iso + 11, iso + 19);
	return buf;
}

static void
heading(struct tui *t, struct tui_pager *p, const char *safe)
{
	tui_pager_add(p, A_NORMAL, 0, "");
	tui_pager_add(p, tui_attr(t, LOOK_HEADS), 0, safe);
}

static void
lay_head(struct tui *t, struct lot_page *lp, struct tui_pager *p, int w)
{
	struct strbuf b = STRBUF_INIT;
	const char *status = field(lp, "status"), *v;
	char left[32], buf[64];
	int look;

	put_field(t, p, "Lot", lp->code, w, A_BOLD);
	look = tui_lot_expiry(t, field(lp, "expires"), status, left, sizeof left);
	strbuf_adds(&b, status != NULL ? status : "?");
	if (strcmp(left, "expired") == 0)
		strbuf_adds(&b, " \xC2\xB7 EXPIRED");
	else if (left[0] != '\0')
		strbuf_addf(&b, " \xC2\xB7 expires in %s", left);
	put_field(t, p, "Status", strbuf_str(&b), w, look >= 0 ? tui_attr(t, (enum tui_look)look) :
	    A_BOLD);
	strbuf_reset(&b);
	tui_lot_next_step(t, status != NULL ? status : "", &b);
	put_field(t, p, "Next step", strbuf_str(&b), w, A_NORMAL);
	strbuf_reset(&b);
	strbuf_addf(&b, "%s, %s", field(lp, "kind") != NULL ? field(lp, "kind") : "?",
	    field(lp, "source") != NULL ? field(lp, "source") : "?");
	put_field(t, p, "Kind", strbuf_str(&b), w, A_NORMAL);
	if ((v = field(lp, "patient")) != NULL) {
		strbuf_reset(&b);
		strbuf_addf(&b, "%s %s (for this patient only)", v,
		    field(lp, "name") != NULL ? field(lp, "name") : "");
		put_field(t, p, "Patient", strbuf_str(&b), w, A_NORMAL);
	}
	if ((v = field(lp, "donor")) != NULL) {
		strbuf_reset(&b);
		strbuf_addf(&b, "%s (eligibility: %s)", v, field(lp, "eligibility") != NULL ?
		    field(lp, "eligibility") : "?");
		put_field(t, p, "Donor", strbuf_str(&b), w, field(lp, "eligibility") != NULL &&
		    strcmp(field(lp, "eligibility"), "eligible") != 0 ? tui_attr(t, LOOK_WARN) :
		    A_NORMAL);
	}
	if ((v = field(lp, "parent")) != NULL)
		put_field(t, p, "Split from", v, w, A_NORMAL);
	if ((v = field(lp, "din")) != NULL) {
		strbuf_reset(&b);
		strbuf_addf(&b, "%s, product %s", v, field(lp, "product") != NULL ?
		    field(lp, "product") : "?");
		put_field(t, p, "ISBT 128 DIN", strbuf_str(&b), w, A_NORMAL);
	}
	put_field(t, p, "Chain of identity", field(lp, "coi"), w, A_NORMAL);
	if ((v = field(lp, "cycle")) != NULL)
		put_field(t, p, "Cycle", v, w, A_NORMAL);
	put_field(t, p, "Collected", when(field(lp, "collected"), buf, sizeof buf), w, A_NORMAL);
	put_field(t, p, "Expires", when(field(lp, "expires"), buf, sizeof buf), w,
	    look >= 0 ? tui_attr(t, (enum tui_look)look) : A_NORMAL);
	put_field(t, p, "Storage", field(lp, "storage"), w, A_NORMAL);
	put_field(t, p, "Location", field(lp, "location"), w, A_NORMAL);
	if ((v = field(lp, "volume_ml")) != NULL) {
		strbuf_reset(&b);
		strbuf_addf(&b, "%s mL", v);
		put_field(t, p, "Volume", strbuf_str(&b), w, A_NORMAL);
	}
	if ((v = field(lp, "cells")) != NULL)
		put_field(t, p, "Cells", v, w, A_NORMAL);
	if ((v = field(lp, "viability")) != NULL) {
		strbuf_reset(&b);
		strbuf_addf(&b, "%s %%", v);
		put_field(t, p, "Viability", strbuf_str(&b), w, A_NORMAL);
	}
	if ((v = field(lp, "released_by")) != NULL) {
		strbuf_reset(&b);
		strbuf_addf(&b, "signed by %s on %s", v, field(lp, "released_at") != NULL ?
		    when(field(lp, "released_at"), buf, sizeof buf) : "?");
		put_field(t, p, "Released", strbuf_str(&b), w, tui_attr(t, LOOK_OK));
	}
	if ((v = field(lp, "excursion")) != NULL) {
		strbuf_reset(&b);
		strbuf_addf(&b, "stored through %s; no corrective action yet", v);
		put_field(t, p, "Temperature", strbuf_str(&b), w, tui_attr(t, LOOK_BAD));
	}
	if ((v = field(lp, "reason")) != NULL)
		put_field(t, p, "Reason", v, w, A_NORMAL);
	strbuf_free(&b);
}

static void
lay_qc(struct tui *t, struct lot_page *lp, struct tui_pager *p, int w)
{
	struct strbuf b = STRBUF_INIT;
	const char *verdict;
	attr_t attr;
	int i;

	heading(t, p, "QC results (the newest of each test, against the product's limits)");
	if (lp->qc.n == 0)
		tui_pager_add(p, tui_attr(t, LOOK_DIM), 2, "no limits are set for this product");
	for (i = 0; i < lp->qc.n; i++) {
		verdict = rv(&lp->qc, i, 2) != NULL ? rv(&lp->qc, i, 2) : "";
		strbuf_reset(&b);
		tui_fit(&b, rv(&lp->qc, i, 0), 14, true);
		strbuf_adds(&b, "  ");
		tui_fit(&b, rv(&lp->qc, i, 1) != NULL && rv(&lp->qc, i, 1)[0] != '\0' ?
		    rv(&lp->qc, i, 1) : "\xE2\x80\x94", 12, true);
		strbuf_adds(&b, "  ");
		if (strcmp(verdict, "in limits") == 0) {
			attr = tui_attr(t, LOOK_OK);
			tui_fit(&b, verdict, w - 34, false);
		} else if (strcmp(verdict, "missing") == 0) {
			attr = tui_attr(t, LOOK_WARN);
			tui_fit(&b, "missing: no result yet", w - 34, false);
		} else {
			struct strbuf out = STRBUF_INIT;

			attr = tui_attr(t, LOOK_BAD);
			strbuf_addf(&out, "OUT OF LIMITS: %s", verdict);
			tui_fit(&b, strbuf_str(&out), w - 34, false);
			strbuf_free(&out);
		}
		tui_pager_add(p, attr, 2, strbuf_str(&b));
	}
	strbuf_free(&b);
}

static void
lay_reservation(struct tui *t, struct lot_page *lp, struct tui_pager *p, int w)
{
	struct strbuf b = STRBUF_INIT;
	const char *appt = field(lp, "appointment"), *to = field(lp, "recipient");
	const char *status = field(lp, "status");
	char buf[64];

	heading(t, p, "Reservation");
	if (to != NULL) {
		strbuf_addf(&b, "given to patient %s", to);
		if (appt != NULL)
			strbuf_addf(&b, " at visit %s", appt);
		put_field(t, p, "Administered", strbuf_str(&b), w, tui_attr(t, LOOK_OK));
	} else if (appt != NULL) {
		strbuf_addf(&b, "visit %s, starting %s", appt,
		    when(field(lp, "appointment_start"), buf, sizeof buf) != NULL ?
		    when(field(lp, "appointment_start"), buf, sizeof buf) : "?");
		put_field(t, p, status != NULL && strcmp(status, "issued") == 0 ? "Issued for" :
		    "Reserved for", strbuf_str(&b), w, A_NORMAL);
	} else {
		put_field(t, p, "Reserved for", "no visit", w, tui_attr(t, LOOK_DIM));
	}
	strbuf_free(&b);
}

static void
lay_custody(struct tui *t, struct lot_page *lp, struct tui_pager *p, int w)
{
	struct strbuf b = STRBUF_INIT, move = STRBUF_INIT;
	const char *at, *from, *to;
	int i;

	heading(t, p, "Chain of custody (oldest first)");
	for (i = 0; i < lp->custody.n; i++) {
		at = rv(&lp->custody, i, 0);
		from = rv(&lp->custody, i, 3);
		to = rv(&lp->custody, i, 4);
		strbuf_reset(&b);
		strbuf_reset(&move);
		if (at != NULL && strlen(at) >= 16)
			strbuf_addf(&move, "%.10s %.5s", at, at + 11);
		tui_fit(&b, strbuf_str(&move), 16, true);
		strbuf_adds(&b, "  ");
		tui_fit(&b, rv(&lp->custody, i, 1), 13, true);
		strbuf_adds(&b, "  ");
		tui_fit(&b, rv(&lp->custody, i, 2), 12, true);
		strbuf_adds(&b, "  ");
		strbuf_reset(&move);
		if (from != NULL && to != NULL && strcmp(from, to) != 0)
			strbuf_addf(&move, "%s \xE2\x86\x92 %s", from, to);
		else
			strbuf_adds(&move, to != NULL ? to : from != NULL ? from : "");
		if (rv(&lp->custody, i, 5) != NULL)
			strbuf_addf(&move, ", %s \xC2\xB0" "C", rv(&lp->custody, i, 5));
		if (rv(&lp->custody, i, 6) != NULL)
			strbuf_addf(&move, " (%s)", rv(&lp->custody, i, 6));
		tui_fit(&b, strbuf_str(&move), w - 2 - 2 - 49, false);
		tui_pager_add(p, A_NORMAL, 2, strbuf_str(&b));
	}
	if (lp->custody.n == 0)
		tui_pager_add(p, tui_attr(t, LOOK_DIM), 2, "no custody event recorded");
	strbuf_free(&b);
	strbuf_free(&move);
}

static void
layout(struct tui *t, struct lot_page *lp, int w)
{
	struct tui_pager *p = &lp->ps.pager;

	tui_pager_clear(p);
	if (lp->gone) {
		tui_pager_add(p, tui_attr(t, LOOK_ERROR), 0, "There is no such lot here.");
	} else {
		lay_head(t, lp, p, w);
		lay_qc(t, lp, p, w);
		lay_reservation(t, lp, p, w);
		lay_custody(t, lp, p, w);
	}
	lp->laid_w = w;
}

static void
page_draw(struct tui *t, struct tui_screen *s, int y, int h, int w)
{
	struct lot_page *lp = of(s);

	if (lp->laid_w != w)
		layout(t, lp, w);
	tui_pager_draw(t, &lp->ps.pager, y, h, w);
}

static void
page_title(struct tui_screen *s, struct strbuf *out)
{
	strbuf_addf(out, "lot %s", of(s)->code);
}

static void
page_info(struct tui *t, struct tui_screen *s, struct strbuf *out)
{
	struct lot_page *lp = of(s);
	const struct tui_pager *p = &lp->ps.pager;
	int last = p->scroll + p->height;

	if (t->prompt.active && lp->act.note[0] != '\0') {
		strbuf_adds(out, lp->act.note);
		return;
	}
	if (field(lp, "status") != NULL)
		strbuf_addf(out, "%s  \xC2\xB7  ", field(lp, "status"));
	if (last > p->n)
		last = p->n;
	strbuf_addf(out, "lines %d\xE2\x80\x93%d of %d", p->n > 0 ? p->scroll + 1 : 0, last, p->n);
}

static void
page_invalidate(struct tui_screen *s)
{
	of(s)->stale = true;
}

static void
page_free(struct tui_screen *s)
{
	struct lot_page *lp = of(s);

	clear_fields(lp);
	free(lp->qc.vals);
	free(lp->custody.vals);
	tui_pager_free(&lp->ps.pager);
	free(lp->code);
	free(lp);
}

/* --- commands --- */
static int cmd_receive(struct tui *t, struct tui_screen *s) { return tui_lot_act_receive(t, &of(s)->act); }
static int cmd_store(struct tui *t, struct tui_screen *s) { return tui_lot_act_store(t, &of(s)->act); }
static int cmd_move(struct tui *t, struct tui_screen *s) { return tui_lot_act_move(t, &of(s)->act); }
static int cmd_qc(struct tui *t, struct tui_screen *s) { return tui_lot_act_qc(t, &of(s)->act); }
static int cmd_release(struct tui *t, struct tui_screen *s) { return tui_lot_act_release(t, &of(s)->act); }
static int cmd_reserve(struct tui *t, struct tui_screen *s) { return tui_lot_act_reserve(t, &of(s)->act); }
static int cmd_issue(struct tui *t, struct tui_screen *s) { return tui_lot_act_issue(t, &of(s)->act); }
static int cmd_discard(struct tui *t, struct tui_screen *s) { return tui_lot_act_discard(t, &of(s)->act); }

static int
cmd_back(struct tui *t, struct tui_screen *s)
{
	(void)s;
	return tui_pop(t);
}

static const struct tui_cmd page_cmds[] = {
	TUI_PAGER_SCROLL_CMDS(ACT_LOT_VIEW, NULL),
	{ { 'r', 0 }, "receive the lot into processing", "r receive", ACT_LOT_MANAGE, 0,
	    cmd_receive },
	{ { 'o', 0 }, "store the lot in quarantine (asks where, how)",
	    "o store", ACT_LOT_MANAGE, 0, cmd_store },
	{ { 'm', 0 }, "move the lot (asks where to)", "m move", ACT_LOT_MANAGE, 0, cmd_move },
	{ { 'c', 0 }, "record QC results (asks for TEST=VALUE ...)", "c QC", ACT_LOT_MANAGE, 0,
	    cmd_qc },
	{ { 's', 0 }, "release the lot: sign with your printed name", "s sign release",
	    ACT_LOT_RELEASE, 0, cmd_release },
	{ { 'v', 0 }, "reserve the lot for a visit (asks its number)",
	    "v reserve", ACT_LOT_RESERVE, 0, cmd_reserve },
	{ { 'i', 0 }, "issue the lot for its visit, to you", "i issue", ACT_LOT_ISSUE, 0,
	    cmd_issue },
	{ { 'D', 0 }, "discard the lot (asks first, then the reason)", "D discard",
	    ACT_LOT_MANAGE, 0, cmd_discard },
	{ { TUI_ESC, 'q', 0 }, "back to the list", "q back", TUI_ACT_NONE, 0, cmd_back },
	{ { 0 }, NULL, NULL, TUI_ACT_NONE, 0, NULL },
};

const struct tui_screen_type tui_lot_page_type = {
	.name = "lot",
	.cmds = page_cmds,
	.title = page_title,
	.sync = page_sync,
	.draw = page_draw,
	.info = page_info,
	.invalidate = page_invalidate,
	.free = page_free,
};

struct tui_screen *
tui_lot_page_new(const char *code)
{
	struct lot_page *lp = xcalloc(1, sizeof *lp);

	lp->ps.base.type = &tui_lot_page_type;
	lp->code = xstrdup(code);
	snprintf(lp->act.code, sizeof lp->act.code, "%s", code);
	lp->qc.nv = 3;
	lp->custody.nv = 7;
	lp->stale = true;
	lp->laid_w = -1;
	return &lp->ps.base;
}
