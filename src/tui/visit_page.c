/* visit_page.c - one visit's page, opened from the agenda: every detail
 * (patient, step and course, when in the site's time, resources, status
 * in words, the last change's reason, the note), then the visits of its
 * cycle with this one marked. Re-read when the database changes. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/xalloc.h"
#include "agenda.h"

enum { LABEL_W = 14 };
enum { MAX_FIELDS = 24 };

struct cycle_visit {
	int64_t id;
	char *step, *course, *status, *resource;
	char start[26];
};

struct visit_page {
	struct tui_pager_screen ps;
	int64_t id;
	bool stale, gone;
	int laid_w;
	int nf, nh;  /* the visit's fields, the cycle's */
	char *keys[MAX_FIELDS], *vals[MAX_FIELDS];
	char *hkeys[MAX_FIELDS], *hvals[MAX_FIELDS];
	struct cycle_visit *cv;
	int ncv;
};

static void
clear_pairs(char **keys, char **vals, int *n)
{
	int i;

	for (i = 0; i < *n; i++) {
		free(keys[i]);
		free(vals[i]);
	}
	*n = 0;
}

static void
clear_page(struct visit_page *vp)
{
	int i;

	clear_pairs(vp->keys, vp->vals, &vp->nf);
	clear_pairs(vp->hkeys, vp->hvals, &vp->nh);
	for (i = 0; i < vp->ncv; i++) {
		free(vp->cv[i].step);
		free(vp->cv[i].course);
		free(vp->cv[i].status);
		free(vp->cv[i].resource);
	}
	free(vp->cv);
	vp->cv = NULL;
	vp->ncv = 0;
}

static void
copy_pairs(const struct cd_row *row, char **keys, char **vals, int *n)
{
	int i;

	clear_pairs(keys, vals, n);
	for (i = 0; i < row->n && i < MAX_FIELDS; i++) {
		keys[i] = xstrdup(row->keys[i]);
		vals[i] = row->vals[i] != NULL ? xstrdup(row->vals[i]) : NULL;
	}
	*n = i;
}

static const char *
pair(char *const *keys, char *const *vals, int n, const char *key)
{
	int i;

	for (i = 0; i < n; i++) {
		if (strcmp(keys[i], key) == 0)
			return vals[i];
	}
	return NULL;
}

static const char *
field(const struct visit_page *vp, const char *key)
{
	return pair(vp->keys, vp->vals, vp->nf, key);
}

static enum cd_status
copy_visit(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	struct visit_page *vp = ctx;

	(void)err;
	copy_pairs(row, vp->keys, vp->vals, &vp->nf);
	return CD_OK;
}

static enum cd_status
copy_head(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	struct visit_page *vp = ctx;

	(void)err;
	copy_pairs(row, vp->hkeys, vp->hvals, &vp->nh);
	return CD_OK;
}

static enum cd_status
copy_cycle_visit(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	struct visit_page *vp = ctx;
	struct cycle_visit *c;
	const char *v;
	int i;

	(void)err;
	vp->cv = xrealloc(vp->cv, (size_t)(vp->ncv + 1) * sizeof *vp->cv);
	c = &vp->cv[vp->ncv++];
	memset(c, 0, sizeof *c);
	for (i = 0; i < row->n; i++) {
		v = row->vals[i];
		if (strcmp(row->keys[i], "id") == 0)
			c->id = v != NULL ? strtoll(v, NULL, 10) : 0;
		else if (strcmp(row->keys[i], "step") == 0)
			c->step = v != NULL ? xstrdup(v) : NULL;
		else if (strcmp(row->keys[i], "course") == 0)
			c->course = v != NULL ? xstrdup(v) : NULL;
		else if (strcmp(row->keys[i], "status") == 0)
			c->status = v != NULL ? xstrdup(v) : NULL;
		else if (strcmp(row->keys[i], "resource") == 0)
			c->resource = v != NULL ? xstrdup(v) : NULL;
		else if (strcmp(row->keys[i], "start") == 0 && v != NULL)
			snprintf(c->start, sizeof c->start, "%s", v);
	}
	return CD_OK;
}

static struct visit_page *
page_of(struct tui_screen *s)
{
	return (struct visit_page *)s;
}

static int
page_sync(struct tui *t, struct tui_screen *s)
{
	struct visit_page *vp = page_of(s);
	const char *cycle;
	enum cd_status st;

	if (!vp->stale)
		return 0;
	vp->stale = false;
	vp->laid_w = -1;
	clear_page(vp);
	st = ops_appt_show(&t->ops, vp->id, copy_visit, vp, &t->err);
	vp->gone = st == CD_REFUSED;
	if (st == CD_OK && (cycle = field(vp, "cycle")) != NULL)
		st = ops_cycle_show(&t->ops, strtoll(cycle, NULL, 10), copy_head, copy_cycle_visit,
		    vp, &t->err);
	if (st != CD_OK && !vp->gone)
		return tui_show_err(t) | REDRAW_LIST;
	return REDRAW_LIST | REDRAW_STATUS;
}

/* "Monday 23 November 2026, 08:00–09:00" from local ISO times. */
static void
when_words(const char *start, const char *end, char *buf, size_t n)
{
	struct cd_date d;
	char day[48], hm1[6], hm2[6];

	agenda_iso_hm(start, hm1);
	agenda_iso_hm(end, hm2);
	if (agenda_iso_day(start, &d))
		agenda_day_words(&d, true, day, sizeof day);
	else
		snprintf(day, sizeof day, "?");
	snprintf(buf, n, "%s, %s\xE2\x80\x93%s", day, hm1, hm2);
}

static void
add_field(struct tui *t, struct tui_pager *p, const char *label, const char *raw, int w)
{
	tui_pager_add_field(p, tui_attr(t, LOOK_LABEL), label, LABEL_W,
	    raw != NULL && raw[0] != '\0' ? raw : "\xE2\x80\x94", w - 2);
}

static void
layout(struct tui *t, struct visit_page *vp, int w)
{
	struct tui_pager *p = &vp->ps.pager;
	struct strbuf b = STRBUF_INIT, line = STRBUF_INIT;
	const char *v, *zone = field(vp, "tz");
	char words[160], step[64], hm[6];
	struct cd_date d;
	int i;

	tui_pager_clear(p);
	if (vp->gone) {
		tui_pager_add(p, tui_attr(t, LOOK_ERROR), 0,
		    "This visit is no longer in the database (removed by someone else).");
		vp->laid_w = w;
		return;
	}
	if (vp->nf == 0) {
		vp->laid_w = w;
		return;
	}
	add_field(t, p, "Visit", field(vp, "id"), w);
	strbuf_addf(&b, "%s (%s)", field(vp, "name") != NULL ? field(vp, "name") : "?",
	    field(vp, "patient") != NULL ? field(vp, "patient") : "?");
	add_field(t, p, "Patient", strbuf_str(&b), w);
	add_field(t, p, "Phone", field(vp, "phone"), w);
	agenda_step_words(field(vp, "step"), NULL, step, sizeof step);
	strbuf_reset(&b);
	strbuf_adds(&b, step);
	if ((v = field(vp, "course")) != NULL)
		strbuf_addf(&b, ", course %s", v);
	add_field(t, p, "Step", strbuf_str(&b), w);
	when_words(field(vp, "start"), field(vp, "end"), words, sizeof words);
	strbuf_reset(&b);
	strbuf_addf(&b, "%s (%s time)", words, zone != NULL ? zone : "local");
	add_field(t, p, "When", strbuf_str(&b), w);
	add_field(t, p, "Site", field(vp, "site"), w);
	add_field(t, p, "With", field(vp, "resource"), w);
	add_field(t, p, "Status", agenda_status_words(field(vp, "status"), true), w);
	add_field(t, p, "Last change", field(vp, "reason"), w);
	add_field(t, p, "Note", field(vp, "note"), w);
	if (vp->nh > 0) {
		tui_pager_add(p, A_NORMAL, 0, "");
		strbuf_reset(&b);
		strbuf_addf(&b, "Cycle %s: %s, %s cells, %s courses %s days apart; the cycle is %s",
		    pair(vp->hkeys, vp->hvals, vp->nh, "cycle"),
		    pair(vp->hkeys, vp->hvals, vp->nh, "protocol"),
		    pair(vp->hkeys, vp->hvals, vp->nh, "source"),
		    pair(vp->hkeys, vp->hvals, vp->nh, "courses"),
		    pair(vp->hkeys, vp->hvals, vp->nh, "gap_days"),
		    pair(vp->hkeys, vp->hvals, vp->nh, "status"));
		strbuf_reset(&line);
		tui_fit(&line, strbuf_str(&b), w - 2, false);
		tui_pager_add(p, tui_attr(t, LOOK_LABEL), 0, strbuf_str(&line));
	}
	for (i = 0; i < vp->ncv; i++) {
		const struct cycle_visit *c = &vp->cv[i];

		strbuf_reset(&line);
		strbuf_reset(&b);
		if (agenda_iso_day(c->start, &d)) {
			agenda_day_words(&d, false, words, sizeof words);
			strbuf_addf(&b, "%s %d", words, d.year);
		}
		agenda_iso_hm(c->start, hm);
		strbuf_addf(&line, "%-7lld ", (long long)c->id);
		tui_fit(&line, strbuf_str(&b), 15, true);
		strbuf_addf(&line, "  %s  ", hm);
		agenda_step_words(c->step, c->course, step, sizeof step);
		tui_fit(&line, step, 12, true);
		strbuf_adds(&line, "  ");
		tui_fit(&line, agenda_status_words(c->status, false), 10, true);
		if (c->id == vp->id)
			strbuf_adds(&line, "  \xE2\x97\x80 this visit"); /* ◀ */
		tui_pager_add(p, c->id == vp->id ? A_BOLD : A_NORMAL, 2, strbuf_str(&line));
	}
	vp->laid_w = w;
	strbuf_free(&b);
	strbuf_free(&line);
}

static void
page_draw(struct tui *t, struct tui_screen *s, int y, int h, int w)
{
	struct visit_page *vp = page_of(s);

	if (vp->laid_w != w)
		layout(t, vp, w);
	tui_pager_draw(t, &vp->ps.pager, y, h, w);
}

static void
page_title(struct tui_screen *s, struct strbuf *out)
{
	strbuf_addf(out, "visit %lld", (long long)page_of(s)->id);
}

static void
page_info(struct tui *t, struct tui_screen *s, struct strbuf *out)
{
	const struct tui_pager *p = &page_of(s)->ps.pager;
	int last = p->scroll + p->height;

	(void)t;
	if (last > p->n)
		last = p->n;
	strbuf_addf(out, "lines %d\xE2\x80\x93%d of %d  \xC2\xB7  Esc back to the agenda",
	    p->n > 0 ? p->scroll + 1 : 0, last, p->n);
}

static void
page_invalidate(struct tui_screen *s)
{
	page_of(s)->stale = true;
}

static void
page_free(struct tui_screen *s)
{
	struct visit_page *vp = page_of(s);

	clear_page(vp);
	tui_pager_free(&vp->ps.pager);
	free(vp);
}

const struct tui_screen_type tui_visit_page_type = {
	.name = "visit",
	.cmds = tui_pager_cmds,
	.title = page_title,
	.sync = page_sync,
	.draw = page_draw,
	.info = page_info,
	.invalidate = page_invalidate,
	.free = page_free,
};

struct tui_screen *
agenda_visit_page_new(int64_t id)
{
	struct visit_page *vp = xcalloc(1, sizeof *vp);

	vp->ps.base.type = &tui_visit_page_type;
	vp->id = id;
	vp->stale = true;
	vp->laid_w = -1;
	return &vp->ps.base;
}
