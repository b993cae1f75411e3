/* patient_page.c - one patient's page: every field ops_patient_show
 * returns, labelled, long values wrapped, scrolling like a pager. It is
 * re-read when a colleague changes the database. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "../core/text.h"
#include "../core/xalloc.h"
#include "tui_int.h"

enum { MAX_FIELDS = 32 };

struct patient_page {
	struct tui_pager_screen ps;
	char *mrn;
	int nf;
	char *keys[MAX_FIELDS], *vals[MAX_FIELDS];
	bool stale, gone;
	int laid_w; /* the width the lines were laid out for; -1: redo */
};

static const struct {
	const char *key, *label;
} labels[] = {
	{ "mrn", "MRN" }, { "name", "Name" }, { "dob", "Date of birth" },
	{ "phone", "Phone" }, { "site", "Site" }, { "language", "Language" },
	{ "condition", "Condition" }, { "notes", "Notes" }, { "created", "Registered" },
	{ "updated", "Last changed" },
};

static const char *
label_of(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof labels / sizeof labels[0]; i++) {
		if (strcmp(labels[i].key, key) == 0)
			return labels[i].label;
	}
	return key;
}

static struct patient_page *
of(struct tui_screen *s)
{
	return (struct patient_page *)s;
}

static void
clear_fields(struct patient_page *pp)
{
	int i;

	for (i = 0; i < pp->nf; i++) {
		free(pp->keys[i]);
		free(pp->vals[i]);
	}
	pp->nf = 0;
}

static enum cd_status
copy_fields(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	struct patient_page *pp = ctx;
	int i;

	(void)err;
	clear_fields(pp);
	for (i = 0; i < row->n && i < MAX_FIELDS; i++) {
		pp->keys[i] = xstrdup(row->keys[i]);
		pp->vals[i] = row->vals[i] != NULL ? xstrdup(row->vals[i]) : NULL;
	}
	pp->nf = i;
	return CD_OK;
}

static int
page_sync(struct tui *t, struct tui_screen *s)
{
	struct patient_page *pp = of(s);
	enum cd_status st;

	if (!pp->stale)
		return 0;
	pp->stale = false;
	pp->laid_w = -1;
	st = ops_patient_show(&t->ops, pp->mrn, copy_fields, pp, &t->err);
	pp->gone = st == CD_REFUSED;
	if (st == CD_REFUSED) {
		clear_fields(pp);
		return REDRAW_LIST | REDRAW_STATUS;
	}
	if (st != CD_OK)
		return tui_show_err(t) | REDRAW_LIST;
	return REDRAW_LIST | REDRAW_STATUS;
}

static void
layout(struct tui *t, struct patient_page *pp, int w)
{
	struct tui_pager *p = &pp->ps.pager;
	int i, label_w = 0, lw;

	tui_pager_clear(p);
	if (pp->gone) {
		tui_pager_add(p, tui_attr(t, LOOK_ERROR), 0,
		    "This patient is no longer in the database (changed or removed by someone else).");
	}
	for (i = 0; i < pp->nf; i++) {
		if ((lw = (int)text_width(label_of(pp->keys[i]))) > label_w)
			label_w = lw;
	}
	label_w += 2;
	for (i = 0; i < pp->nf; i++) {
		struct strbuf label = STRBUF_INIT;

		/* Labels are column names: constants, but sanitized all the same. */
		text_sanitize(&label, label_of(pp->keys[i]), strlen(label_of(pp->keys[i])));
		tui_pager_add_field(p, tui_attr(t, LOOK_LABEL), strbuf_str(&label), label_w,
		    pp->vals[i] != NULL ? pp->vals[i] : "\xE2\x80\x94", w - 2);
		strbuf_free(&label);
	}
	pp->laid_w = w;
}

static void
page_draw(struct tui *t, struct tui_screen *s, int y, int h, int w)
{
	struct patient_page *pp = of(s);

	if (pp->laid_w != w)
		layout(t, pp, w);
	tui_pager_draw(t, &pp->ps.pager, y, h, w);
}

static void
page_title(struct tui_screen *s, struct strbuf *out)
{
	strbuf_addf(out, "patient %s", of(s)->mrn);
}

static void
page_info(struct tui *t, struct tui_screen *s, struct strbuf *out)
{
	struct patient_page *pp = of(s);
	const struct tui_pager *p = &pp->ps.pager;
	int last = p->scroll + p->height;

	(void)t;
	if (pp->nf > 1 && pp->vals[1] != NULL)
		strbuf_addf(out, "%s  \xC2\xB7  ", pp->vals[1]);
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
	struct patient_page *pp = of(s);

	clear_fields(pp);
	tui_pager_free(&pp->ps.pager);
	free(pp->mrn);
	free(pp);
}

const struct tui_screen_type tui_patient_page_type = {
	.name = "patient",
	.cmds = tui_pager_cmds,
	.title = page_title,
	.sync = page_sync,
	.draw = page_draw,
	.info = page_info,
	.invalidate = page_invalidate,
	.free = page_free,
};

struct tui_screen *
tui_patient_page_new(const char *mrn)
{
	struct patient_page *pp = xcalloc(1, sizeof *pp);

	pp->ps.base.type = &tui_patient_page_type;
	pp->mrn = xstrdup(mrn);
	pp->stale = true;
	pp->laid_w = -1;
	return &pp->ps.base;
}
