/* book.c - the booking form: a patient (MRN), a protocol, a site, a start
 * date, the cell source, an optional time and the number of courses.
 * Enter plans the cycle without booking (ops_course_book as a dry run)
 * and lists every visit under the form, or says in words why it cannot
 * be placed; Enter again asks, and `y` books exactly what was shown:
 * the plan is made again just before, and when the schedule changed
 * meanwhile the new plan is shown instead of booked. Editing any field
 * drops the plan, so nothing is booked from a stale one. Defaults follow
 * the fields they come from (the patient's site, the site's next open
 * day, the protocol's sources and courses) until the user sets them. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/date.h"
#include "../core/text.h"
#include "../core/xalloc.h"
#include "tui_int.h"

enum { F_PATIENT, F_PROTOCOL, F_SITE, F_START, F_SOURCE, F_TIME, F_COURSES, NF };
enum { LABEL_W = 12, WHO_X = 2 + LABEL_W + 2 + 32 + 2 };

struct proto_info {
	char *name, *source, *title;
	int courses, gap_days;
};

struct plan_row {
	int course;
	char step[16], date[11], time[12];
	char *resources;
	bool overlaps;
};

struct plan_rows {
	struct plan_row *v;
	int n, cap;
};

enum preview { PV_NONE, PV_PLAN, PV_REFUSED, PV_BOOKED };

struct book {
	struct tui_screen base;
	struct tui_form form;
	bool touched[NF];       /* set by the user: no longer follows a default */
	struct proto_info *protos;
	int nprotos;
	bool lists_stale;       /* protocols and sites to read */
	bool patient_stale;     /* the MRN changed, or the data did */
	bool apply_patient;     /* then also take the patient's site */
	bool start_stale;       /* the default start to find for the site */
	char *pt_line;          /* raw: who the MRN names, or why none */
	bool pt_found;
	enum preview pv;
	struct plan_rows plan;
	char *refusal;          /* raw, with PV_REFUSED */
	int scroll, pv_height;  /* the plan's first row shown, rows shown */
	int64_t cycle;          /* with PV_BOOKED */
};

static struct book *
of(struct tui_screen *s)
{
	return (struct book *)s;
}

static const char *
val(const struct book *b, int i)
{
	return tui_form_value(&b->form, i);
}

static void
rows_clear(struct plan_rows *r)
{
	int i;

	for (i = 0; i < r->n; i++)
		free(r->v[i].resources);
	r->n = 0;
}

static void
rows_free(struct plan_rows *r)
{
	rows_clear(r);
	free(r->v);
	r->v = NULL;
	r->cap = 0;
}

static void
drop_preview(struct book *b)
{
	rows_clear(&b->plan);
	free(b->refusal);
	b->refusal = NULL;
	b->pv = PV_NONE;
	b->scroll = 0;
	b->cycle = 0;
}

static const struct proto_info *
proto_chosen(const struct book *b)
{
	int i;

	for (i = 0; i < b->nprotos; i++) {
		if (strcmp(b->protos[i].name, val(b, F_PROTOCOL)) == 0)
			return &b->protos[i];
	}
	return NULL;
}

static bool
is_choice(const struct tui_field *fl, const char *s)
{
	int k;

	for (k = 0; k < fl->nchoices; k++) {
		if (strcmp(fl->choices[k], s) == 0)
			return true;
	}
	return false;
}

/* The sources the protocol allows; the value kept when still allowed. */
static void
follow_protocol(struct book *b)
{
	const struct proto_info *p = proto_chosen(b);
	char *was = xstrdup(val(b, F_SOURCE)), n[16];

	tui_form_clear_choices(&b->form, F_SOURCE);
	if (p == NULL || strcmp(p->source, "donor") != 0)
		tui_form_add_choice(&b->form, F_SOURCE, "autologous");
	if (p == NULL || strcmp(p->source, "autologous") != 0)
		tui_form_add_choice(&b->form, F_SOURCE, "donor");
	/* The user's choice stays while the protocol allows it; otherwise
	 * the first allowed (autologous, as ops takes "any"). */
	if (b->touched[F_SOURCE] && is_choice(&b->form.fields[F_SOURCE], was))
		tui_form_set(&b->form, F_SOURCE, was);
	free(was);
	if (p != NULL && !b->touched[F_COURSES]) {
		snprintf(n, sizeof n, "%d", p->courses);
		tui_form_set(&b->form, F_COURSES, n);
	}
}

/* --- reading (sync): the lists, the patient, the default start --- */
/* A small count the database keeps as text ("4"); 0 when it is not one. */
static int
count_of(const char *s)
{
	char *end;
	long v;

	if (s == NULL)
		return 0;
	v = strtol(s, &end, 10);
	return end != s && *end == '\0' && v >= 0 && v <= 1000 ? (int)v : 0;
}

static enum cd_status
add_protocol(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	struct book *b = ctx;
	struct proto_info *p;

	(void)err;
	if (row->n < 6 || row->vals[0] == NULL)
		return CD_OK;
	b->protos = xrealloc(b->protos, (size_t)(b->nprotos + 1) * sizeof *b->protos);
	p = &b->protos[b->nprotos++];
	p->name = xstrdup(row->vals[0]);
	p->source = xstrdup(row->vals[1] != NULL ? row->vals[1] : "any");
	p->courses = count_of(row->vals[2]);
	p->gap_days = count_of(row->vals[3]);
	p->title = xstrdup(row->vals[5] != NULL ? row->vals[5] : "");
	tui_form_add_choice(&b->form, F_PROTOCOL, row->vals[0]);
	return CD_OK;
}

static enum cd_status
add_site(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	struct book *b = ctx;

	(void)err;
	if (row->n > 0 && row->vals[0] != NULL)
		tui_form_add_choice(&b->form, F_SITE, row->vals[0]);
	return CD_OK;
}

struct pt_read {
	char *name, *dob, *site;
};

static enum cd_status
keep_patient(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	struct pt_read *p = ctx;
	int i;

	(void)err;
	for (i = 0; i < row->n; i++) {
		if (row->vals[i] == NULL)
			continue;
		if (strcmp(row->keys[i], "name") == 0)
			p->name = xstrdup(row->vals[i]);
		else if (strcmp(row->keys[i], "dob") == 0)
			p->dob = xstrdup(row->vals[i]);
		else if (strcmp(row->keys[i], "site") == 0)
			p->site = xstrdup(row->vals[i]);
	}
	return CD_OK;
}

static void
read_patient(struct tui *t, struct book *b)
{
	struct pt_read p = { NULL, NULL, NULL };
	struct strbuf line = STRBUF_INIT;
	const char *mrn = val(b, F_PATIENT);
	enum cd_status st;

	free(b->pt_line);
	b->pt_line = NULL;
	b->pt_found = false;
	if (mrn[0] == '\0')
		return;
	if ((st = db_begin_read(t->ops.db, &t->err)) == CD_OK) {
		st = ops_patient_show(&t->ops, mrn, keep_patient, &p, &t->err);
		db_end_read(t->ops.db);
	}
	if (st == CD_OK) {
		b->pt_found = true;
		strbuf_addf(&line, "%s, born %s", p.name != NULL ? p.name : "?",
		    p.dob != NULL ? p.dob : "?");
		if (p.site != NULL)
			strbuf_addf(&line, ", prefers %s", p.site);
		if (b->apply_patient && p.site != NULL && !b->touched[F_SITE] &&
		    is_choice(&b->form.fields[F_SITE], p.site) &&
		    strcmp(val(b, F_SITE), p.site) != 0) {
			tui_form_set(&b->form, F_SITE, p.site);
			b->start_stale = true;
		}
	} else {
		strbuf_adds(&line, t->err.msg);
	}
	b->pt_line = xstrdup(strbuf_str(&line));
	strbuf_free(&line);
	free(p.name);
	free(p.dob);
	free(p.site);
}

static int
book_sync(struct tui *t, struct tui_screen *s)
{
	struct book *b = of(s);
	char day[11];
	enum cd_status st;
	int flags = 0;

	if (b->lists_stale) {
		b->lists_stale = false;
		if ((st = db_begin_read(t->ops.db, &t->err)) == CD_OK) {
			st = ops_protocol_list(&t->ops, add_protocol, b, &t->err);
			if (st == CD_OK)
				st = ops_site_list(&t->ops, add_site, b, &t->err);
			db_end_read(t->ops.db);
		}
		if (st != CD_OK)
			flags |= tui_show_err(t);
		follow_protocol(b);
		b->start_stale = true;
		flags |= REDRAW_LIST;
	}
	if (b->patient_stale) {
		b->patient_stale = false;
		read_patient(t, b);
		b->apply_patient = false;
		flags |= REDRAW_LIST;
	}
	if (b->start_stale) {
		b->start_stale = false;
		if (!b->touched[F_START] && val(b, F_SITE)[0] != '\0') {
			if (ops_site_next_open(&t->ops, val(b, F_SITE), day, &t->err) == CD_OK)
				tui_form_set(&b->form, F_START, day);
			else
				flags |= tui_show_err(t);
		}
		flags |= REDRAW_LIST;
	}
	return flags;
}

/* --- planning and booking --- */
static enum cd_status
collect_row(void *ctx, const struct ops_visit_row *v, struct cd_err *err)
{
	struct plan_rows *r = ctx;
	struct plan_row *p;

	(void)err;
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->v = xrealloc(r->v, (size_t)r->cap * sizeof *r->v);
	}
	p = &r->v[r->n++];
	memset(p, 0, sizeof *p);
	p->course = v->course;
	snprintf(p->step, sizeof p->step, "%s", v->step != NULL ? v->step : "");
	/* "2027-03-15T10:00:00+01:00" -> the day and "10:00-11:00" */
	snprintf(p->date, sizeof p->date, "%.10s", v->start);
	if (strlen(v->start) >= 16 && strlen(v->end) >= 16)
		snprintf(p->time, sizeof p->time, "%.5s-%.5s", v->start + 11, v->end + 11);
	p->resources = xstrdup(v->resources);
	p->overlaps = v->overlaps;
	return CD_OK;
}

/* Options in ops' sentences, as the form names them. */
static const struct tui_form_opt opt_fields[] = {
	{ "--patient", "Patient", F_PATIENT }, { "--protocol", "Protocol", F_PROTOCOL },
	{ "--site", "Site", F_SITE }, { "--start", "Start date", F_START },
	{ "--source", "Source", F_SOURCE }, { "--time", "Time", F_TIME },
	{ "--courses", "Courses", F_COURSES },
};

/* Where a refusal points, by what it says. */
static const struct {
	const char *says;
	int field;
} says_fields[] = {
	{ "no patient with MRN", F_PATIENT }, { "no protocol called", F_PROTOCOL },
	{ "no preferred site", F_SITE }, { "no site called", F_SITE },
	{ "start date", F_START }, { "is closed on", F_START }, { "or later", F_START },
	{ "minute grid", F_TIME }, { "outside", F_TIME }, { "is in the past", F_TIME },
	{ "cells only", F_SOURCE },
};

/* The sentence with the form's names for options; the field it is
 * about, or -1. */
static int
explain(const char *msg, struct strbuf *out)
{
	size_t i;
	int field = tui_form_explain(opt_fields, sizeof opt_fields / sizeof opt_fields[0], msg,
	    out);

	for (i = 0; field < 0 && i < sizeof says_fields / sizeof says_fields[0]; i++) {
		if (strstr(msg, says_fields[i].says) != NULL)
			field = says_fields[i].field;
	}
	return field;
}

static void
refuse(struct tui *t, struct book *b, const char *msg)
{
	struct strbuf s = STRBUF_INIT;
	int field = explain(msg, &s);

	drop_preview(b);
	b->pv = PV_REFUSED;
	b->refusal = xstrdup(strbuf_str(&s));
	if (field >= 0)
		tui_form_focus(&b->form, field);
	tui_message(t, true, "cannot book: %s", strbuf_str(&s));
	strbuf_free(&s);
}

/* The form as a booking; false (with a message) when a field cannot be
 * one. text holds the trimmed copies it points into. */
static bool
make_request(struct tui *t, struct book *b, struct ops_book *rq, char *text[NF])
{
	char *end;
	long n;
	int i;

	memset(rq, 0, sizeof *rq);
	for (i = 0; i < NF; i++) {
		const char *s = val(b, i);
		size_t len;

		while (*s == ' ')
			s++;
		len = strlen(s);
		while (len > 0 && s[len - 1] == ' ')
			len--;
		text[i] = xstrndup(s, len);
	}
	rq->patient = text[F_PATIENT];
	rq->protocol = text[F_PROTOCOL];
	rq->site = text[F_SITE];
	rq->start = text[F_START];
	rq->source = text[F_SOURCE][0] != '\0' ? text[F_SOURCE] : NULL;
	rq->time = text[F_TIME][0] != '\0' ? text[F_TIME] : NULL;
	if (text[F_PATIENT][0] == '\0') {
		refuse(t, b, "Patient: type the MRN of the patient to book for");
		tui_form_focus(&b->form, F_PATIENT);
		return false;
	}
	if (text[F_PROTOCOL][0] == '\0' || text[F_SITE][0] == '\0') {
		refuse(t, b, text[F_PROTOCOL][0] == '\0' ? "there is no protocol to choose from"
		    " (an admin adds them: celldesk protocol add)" : "there is no site to choose"
		    " from (an admin adds them: celldesk site add)");
		return false;
	}
	if (text[F_COURSES][0] != '\0') {
		n = strtol(text[F_COURSES], &end, 10);
		if (*end != '\0' || n < 1 || n > 8) {
			refuse(t, b, "--courses: a number from 1 to 8, or empty for the protocol's");
			return false;
		}
		rq->courses = (int)n;
	}
	return true;
}

static void
free_text(char *text[NF])
{
	int i;

	for (i = 0; i < NF; i++)
		free(text[i]);
}

static bool
same_plan(const struct plan_rows *a, const struct plan_rows *b)
{
	int i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++) {
		if (a->v[i].course != b->v[i].course || strcmp(a->v[i].step, b->v[i].step) != 0 ||
		    strcmp(a->v[i].date, b->v[i].date) != 0 ||
		    strcmp(a->v[i].time, b->v[i].time) != 0 ||
		    strcmp(a->v[i].resources, b->v[i].resources) != 0 ||
		    a->v[i].overlaps != b->v[i].overlaps)
			return false;
	}
	return true;
}

/* Plans the form's cycle into rows without booking; false with the
 * refusal shown. */
static bool
plan(struct tui *t, struct book *b, struct plan_rows *rows)
{
	struct ops_book rq;
	char *text[NF];
	int64_t cycle;
	bool ok = false;

	if (make_request(t, b, &rq, text)) {
		rq.dry_run = true;
		if (ops_course_book(&t->ops, &rq, collect_row, rows, &cycle, &t->err) == CD_OK)
			ok = true;
		else
			refuse(t, b, t->err.msg);
	}
	free_text(text);
	return ok;
}

static void
plan_span(const struct book *b, char *buf, size_t n)
{
	if (b->plan.n > 0)
		snprintf(buf, n, "from %s to %s", b->plan.v[0].date,
		    b->plan.v[b->plan.n - 1].date);
	else
		snprintf(buf, n, "with no visits");
}

static void
invalidate_all(struct tui *t)
{
	struct tui_screen *s;

	for (s = t->top; s != NULL; s = s->below) {
		if (s->type->invalidate != NULL)
			s->type->invalidate(s);
	}
}

static int
open_page(struct tui *t, void *ctx)
{
	struct book *b = ctx;
	char *mrn;

	if (t->top != &b->base)
		return 0;
	mrn = xstrdup(val(b, F_PATIENT));
	tui_pop(t);
	tui_push(t, tui_patient_page_new(mrn));
	free(mrn);
	return REDRAW_ALL;
}

static int
book_now(struct tui *t, void *ctx)
{
	struct book *b = ctx;
	struct plan_rows again = { NULL, 0, 0 };
	struct ops_book rq;
	char *text[NF], span[40];
	const char *below_mrn;
	int64_t cycle = 0;
	enum cd_status st;

	if (t->top != &b->base || b->pv != PV_PLAN)
		return 0;
	/* Plan again: book only what the user saw. */
	if (!plan(t, b, &again)) {
		rows_free(&again);
		return REDRAW_LIST | REDRAW_STATUS;
	}
	if (!same_plan(&again, &b->plan)) {
		rows_free(&b->plan);
		b->plan = again;
		b->scroll = 0;
		tui_message(t, true, "the schedule changed since this plan was made: here is the new"
		    " one, nothing is booked; Enter books it");
		return REDRAW_LIST | REDRAW_STATUS;
	}
	rows_free(&again);
	if (!make_request(t, b, &rq, text)) {
		free_text(text);
		return REDRAW_LIST | REDRAW_STATUS;
	}
	st = ops_course_book(&t->ops, &rq, collect_row, &again, &cycle, &t->err);
	free_text(text);
	if (st != CD_OK) {
		rows_free(&again);
		refuse(t, b, t->err.msg);
		return REDRAW_LIST | REDRAW_STATUS;
	}
	rows_free(&b->plan);
	b->plan = again;
	b->pv = PV_BOOKED;
	b->cycle = cycle;
	b->scroll = 0;
	tui_form_clean(&b->form);
	memset(b->touched, 0, sizeof b->touched);
	invalidate_all(t);
	/* Opened from this patient's page: back to it, which shows it. */
	below_mrn = tui_patient_page_mrn(b->base.below);
	if (below_mrn != NULL && strcmp(below_mrn, val(b, F_PATIENT)) == 0) {
		tui_message(t, false, "cycle %lld booked: %d visits", (long long)cycle, b->plan.n);
		return tui_pop(t) | REDRAW_STATUS;
	}
	plan_span(b, span, sizeof span);
	tui_confirm(t, open_page, b, "Cycle %lld booked: %d visits %s. Open the page of"
	    " patient %s?", (long long)cycle, b->plan.n, span, val(b, F_PATIENT));
	tui_confirm_else(t, "cycle %lld booked: %d visits", (long long)cycle, b->plan.n);
	return REDRAW_ALL;
}

/* --- commands --- */
static int
cmd_enter(struct tui *t, struct tui_screen *s)
{
	struct book *b = of(s);
	char span[40];

	if (b->pv == PV_BOOKED) {
		tui_message(t, false, "cycle %lld is booked; change a field to book another, or"
		    " Esc to go back", (long long)b->cycle);
		return REDRAW_STATUS;
	}
	if (b->pv == PV_PLAN) {
		plan_span(b, span, sizeof span);
		tui_confirm(t, book_now, b, "Book %d visits for patient %s, %s?", b->plan.n,
		    val(b, F_PATIENT), span);
		return REDRAW_STATUS;
	}
	drop_preview(b);
	if (plan(t, b, &b->plan)) {
		b->pv = PV_PLAN;
		tui_message(t, false, "planned %d visits; nothing is booked yet: Enter books them",
		    b->plan.n);
	}
	return REDRAW_LIST | REDRAW_STATUS;
}

static int
cmd_back(struct tui *t, struct tui_screen *s)
{
	(void)s;
	return tui_leave(t);
}

static int
scroll_plan(struct book *b, int delta)
{
	int old = b->scroll, max = b->plan.n - b->pv_height;

	b->scroll += delta;
	if (b->scroll > max)
		b->scroll = max;
	if (b->scroll < 0)
		b->scroll = 0;
	return b->scroll != old ? REDRAW_LIST : 0;
}

static int
cmd_page_down(struct tui *t, struct tui_screen *s)
{
	(void)t;
	return scroll_plan(of(s), of(s)->pv_height > 1 ? of(s)->pv_height - 1 : 1);
}

static int
cmd_page_up(struct tui *t, struct tui_screen *s)
{
	(void)t;
	return scroll_plan(of(s), -(of(s)->pv_height > 1 ? of(s)->pv_height - 1 : 1));
}

static const struct tui_cmd book_cmds[] = {
	{ { '\r', '\n', TUI_FN(KEY_ENTER), 0 }, "plan the visits; again: book them (asks first)",
	    "Enter plan/book", ACT_BOOK, 0, cmd_enter },
	{ { TUI_FN(KEY_NPAGE), 0 }, "scroll the planned visits down", "PgDn/PgUp visits",
	    TUI_ACT_NONE, 0, cmd_page_down },
	{ { TUI_FN(KEY_PPAGE), 0 }, "scroll the planned visits up", NULL, TUI_ACT_NONE, 0,
	    cmd_page_up },
	{ { TUI_ESC, 0 }, "go back (asks first if anything was typed)", "Esc back",
	    TUI_ACT_NONE, 0, cmd_back },
	{ { 0 }, NULL, NULL, TUI_ACT_NONE, 0, NULL },
};

/* Every key goes to the form first; an edit drops the plan. */
static int
book_key(struct tui *t, struct tui_screen *s, int key)
{
	struct book *b = of(s);
	int flags, i;

	/* No field here takes a '?': it opens help, as elsewhere. */
	if (key == '?')
		return -1;
	flags = tui_form_key(&b->form, key);
	i = b->form.changed;
	if (flags < 0 || i < 0)
		return flags;
	b->touched[i] = true;
	if (b->pv == PV_PLAN)
		tui_message(t, false, "%s changed: the plan is dropped; Enter plans again",
		    b->form.fields[i].label);
	if (b->pv != PV_NONE)
		drop_preview(b);
	switch (i) {
	case F_PATIENT:
		b->patient_stale = b->apply_patient = true;
		break;
	case F_PROTOCOL:
		follow_protocol(b);
		break;
	case F_SITE:
		b->start_stale = true;
		break;
	default:
		break;
	}
	return flags | REDRAW_LIST | REDRAW_STATUS;
}

static bool
book_dirty(struct tui_screen *s)
{
	return of(s)->form.dirty;
}

/* --- drawing --- */
enum { W_COURSE = 6, W_STEP = 9, W_DATE = 14, W_TIME = 11, GAP = 2 };

static void
put_raw(int y, int x, int w, attr_t attr, const char *raw)
{
	struct strbuf b = STRBUF_INIT;

	tui_fit(&b, raw, w, false);
	tui_put(y, x, w, attr, strbuf_str(&b));
	strbuf_free(&b);
}

struct wrap_ctx {
	int y, x, w, left;
	attr_t attr;
};

static void
wrap_line(void *ctx, const char *line)
{
	struct wrap_ctx *c = ctx;

	if (c->left <= 0)
		return;
	tui_put(c->y++, c->x, c->w, c->attr, line);
	c->left--;
}

static void
plan_line(struct strbuf *b, const struct plan_row *r, int res_w, bool any_overlap)
{
	static const char *const wd[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
	struct cd_date d;
	char course[16] = "", date[32];

	if (r->course > 0)
		snprintf(course, sizeof course, "%d", r->course);
	if (date_parse(r->date, &d))
		snprintf(date, sizeof date, "%s %s", r->date, wd[date_weekday(&d)]);
	else
		snprintf(date, sizeof date, "%s", r->date);
	tui_fit(b, course, W_COURSE, true);
	strbuf_adds(b, "  ");
	tui_fit(b, r->step, W_STEP, true);
	strbuf_adds(b, "  ");
	tui_fit(b, date, W_DATE, true);
	strbuf_adds(b, "  ");
	tui_fit(b, r->time, W_TIME, true);
	strbuf_adds(b, "  ");
	tui_fit(b, r->resources, res_w, any_overlap);
	if (any_overlap)
		tui_fit(b, r->overlaps ? "  OVERLAP" : "", 9, false);
}

static void
draw_plan(struct tui *t, struct book *b, int y, int h, int w)
{
	struct strbuf line = STRBUF_INIT;
	char span[40];
	bool any_overlap = false;
	int i, res_w, row;

	for (i = 0; i < b->plan.n; i++)
		any_overlap = any_overlap || b->plan.v[i].overlaps;
	plan_span(b, span, sizeof span);
	if (b->pv == PV_BOOKED)
		strbuf_addf(&line, "Booked: cycle %lld, %d visits %s", (long long)b->cycle,
		    b->plan.n, span);
	else
		strbuf_addf(&line, "Not booked yet: %d visits %s \xC2\xB7 Enter books them",
		    b->plan.n, span);
	put_raw(y, 1, w - 2, b->pv == PV_BOOKED ? tui_attr(t, LOOK_OK) | A_BOLD : A_BOLD,
	    strbuf_str(&line));
	if (h < 2)
		goto out;
	res_w = w - 2 - (W_COURSE + W_STEP + W_DATE + W_TIME + 4 * GAP) - 2 -
	    (any_overlap ? 9 : 0);
	if (res_w < 8)
		res_w = 8;
	strbuf_reset(&line);
	tui_fit(&line, "Course", W_COURSE, true);
	strbuf_adds(&line, "  ");
	tui_fit(&line, "Step", W_STEP, true);
	strbuf_adds(&line, "  ");
	tui_fit(&line, "Date", W_DATE, true);
	strbuf_adds(&line, "  ");
	tui_fit(&line, "Time", W_TIME, true);
	strbuf_adds(&line, "  ");
	tui_fit(&line, "Resources", res_w, any_overlap);
	if (any_overlap)
		tui_fit(&line, "  Conflict", 10, false);
	tui_put(y + 1, 1, w - 2, tui_attr(t, LOOK_HEADS), strbuf_str(&line));
	/* Rows that do not fit: the last line says how many more. */
	b->pv_height = b->plan.n > h - 2 ? h - 3 : h - 2;
	scroll_plan(b, 0);
	for (row = 0; row < h - 2; row++) {
		i = b->scroll + row;
		tui_put(y + 2 + row, 0, w, A_NORMAL, "");
		if (row == b->pv_height && i < b->plan.n) {
			strbuf_reset(&line);
			strbuf_addf(&line, "\xE2\x80\xA6 %d more below (PgDn)", b->plan.n - i);
			put_raw(y + 2 + row, 1, w - 2, tui_attr(t, LOOK_DIM), strbuf_str(&line));
			continue;
		}
		if (i >= b->plan.n || row >= b->pv_height)
			continue;
		strbuf_reset(&line);
		plan_line(&line, &b->plan.v[i], res_w, any_overlap);
		tui_put(y + 2 + row, 1, w - 2, b->plan.v[i].overlaps ? tui_attr(t, LOOK_WARN) :
		    b->pv == PV_BOOKED ? tui_attr(t, LOOK_OK) : A_NORMAL, strbuf_str(&line));
	}
out:
	strbuf_free(&line);
}

static void
book_draw(struct tui *t, struct tui_screen *s, int y, int h, int w)
{
	struct book *b = of(s);
	struct wrap_ctx wc;
	int row, used, py;

	for (row = 0; row < h; row++)
		tui_put(y + row, 0, w, A_NORMAL, "");
	used = 1 + tui_form_draw(t, &b->form, y + 1, h - 1, w, LABEL_W);
	/* Who the MRN names, beside it (an MRN has 32 characters at most). */
	if (b->pt_line != NULL && w - WHO_X - 1 >= 10)
		put_raw(y + 1, WHO_X, w - WHO_X - 1, b->pt_found ? A_BOLD : tui_attr(t, LOOK_WARN),
		    b->pt_line);
	py = y + used + 1;
	if (py >= y + h)
		return;
	switch (b->pv) {
	case PV_NONE:
		put_raw(py, 1, w - 2, tui_attr(t, LOOK_DIM), "Enter plans the visits and lists"
		    " them here; nothing is booked until you say yes.");
		break;
	case PV_REFUSED:
		put_raw(py, 1, w - 2, tui_attr(t, LOOK_BAD) | A_BOLD,
		    "Cannot book this cycle; nothing is booked:");
		wc.y = py + 1;
		wc.x = 3;
		wc.w = w - 4;
		wc.left = y + h - wc.y;
		wc.attr = tui_attr(t, LOOK_BAD);
		tui_wrap(b->refusal, w - 4, wrap_line, &wc);
		break;
	default:
		draw_plan(t, b, py, y + h - py, w);
		break;
	}
	/* The cursor in the current field (tui_form_draw put it there) is
	 * kept: the lines drawn after it do not move it. */
}

static void
book_title(struct tui_screen *s, struct strbuf *out)
{
	const char *mrn = val(of(s), F_PATIENT);

	strbuf_adds(out, "book a cycle");
	if (mrn[0] != '\0')
		strbuf_addf(out, " for %s", mrn);
}

static void
book_info(struct tui *t, struct tui_screen *s, struct strbuf *out)
{
	struct book *b = of(s);
	const struct proto_info *p;
	const char *help = tui_form_help(&b->form);

	(void)t;
	if (b->form.cur == F_PROTOCOL && (p = proto_chosen(b)) != NULL) {
		strbuf_addf(out, "%s \xC2\xB7 %d courses, %d days apart \xC2\xB7 %s cells", p->title,
		    p->courses, p->gap_days, p->source);
		return;
	}
	if (help != NULL)
		strbuf_adds(out, help);
}

static void
book_invalidate(struct tui_screen *s)
{
	/* Only the patient's line is re-read: the fields stay as typed,
	 * and a plan is checked again before it is booked. */
	of(s)->patient_stale = true;
}

static void
book_free(struct tui_screen *s)
{
	struct book *b = of(s);
	int i;

	for (i = 0; i < b->nprotos; i++) {
		free(b->protos[i].name);
		free(b->protos[i].source);
		free(b->protos[i].title);
	}
	free(b->protos);
	tui_form_free(&b->form);
	rows_free(&b->plan);
	free(b->refusal);
	free(b->pt_line);
	free(b);
}

const struct tui_screen_type tui_book_type = {
	.name = "booking form",
	.cmds = book_cmds,
	.title = book_title,
	.sync = book_sync,
	.draw = book_draw,
	.info = book_info,
	.invalidate = book_invalidate,
	.free = book_free,
	.key = book_key,
	.dirty = book_dirty,
};

struct tui_screen *
tui_book_new(struct tui *t, const char *mrn)
{
	struct book *b = xcalloc(1, sizeof *b);
	struct tui_form *f = &b->form;

	(void)t;
	b->base.type = &tui_book_type;
	tui_form_add(f, FIELD_TEXT, "Patient MRN", "the patient's MRN, as on the wristband",
	    mrn, 32);
	tui_form_add(f, FIELD_CHOICE, "Protocol", "Left/Right or a letter chooses the protocol",
	    NULL, 0);
	tui_form_add(f, FIELD_CHOICE, "Site", "where the visits take place (Left/Right, or a"
	    " letter); the patient's own by default", NULL, 0);
	tui_form_add(f, FIELD_TEXT, "Start date", "the first injection's day, YYYY-MM-DD (the"
	    " call and harvest come before it)", NULL, 10);
	tui_form_add(f, FIELD_CHOICE, "Source", "autologous: the patient's own cells (bone"
	    " marrow or adipose); donor: an eligible donor's", NULL, 0);
	tui_form_add(f, FIELD_TEXT, "Time", "HH:MM, local to the site; empty: the site's"
	    " opening time", NULL, 5);
	tui_form_add(f, FIELD_TEXT, "Courses", "how many courses, 1 to 8; the protocol's by"
	    " default", NULL, 1);
	/* A patient given: the form starts on the protocol. */
	tui_form_focus(f, mrn != NULL && mrn[0] != '\0' ? F_PROTOCOL : F_PATIENT);
	b->lists_stale = true;
	b->patient_stale = b->apply_patient = true;
	return &b->base;
}
