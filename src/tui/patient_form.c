/* patient_form.c - registering a new patient from the keyboard: MRN,
 * name, date of birth, phone, preferred site, language and condition
 * (struct ops_patient, as `celldesk patient add` takes them). Enter
 * saves through ops_patient_add; a refusal is said in words, with the
 * form's names for the fields, and the field it is about focused. Once
 * saved, the patient's page opens and a question offers to book a cycle
 * for them. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "../core/xalloc.h"
#include "tui_int.h"

enum { P_MRN, P_NAME, P_DOB, P_PHONE, P_SITE, P_LANGUAGE, P_CONDITION, PF_N };
enum { LABEL_W = 13 };
#define NO_SITE "(none)"

struct patient_form {
	struct tui_screen base;
	struct tui_form form;
	bool sites_stale;
	char *error; /* raw: the last refusal, in the form's words, or NULL */
};

static struct patient_form *
of(struct tui_screen *s)
{
	return (struct patient_form *)s;
}

/* Options in ops' sentences, as the form names them. */
static const struct tui_form_opt opt_fields[] = {
	{ "--mrn", "MRN", P_MRN }, { "--name", "Name", P_NAME },
	{ "--dob", "Date of birth", P_DOB }, { "--phone", "Phone", P_PHONE },
	{ "--site", "Site", P_SITE }, { "--language", "Language", P_LANGUAGE },
	{ "--condition", "Condition", P_CONDITION },
};

/* The sentence with the form's names; the field it is about, or -1. */
static int
explain(const char *msg, struct strbuf *out)
{
	int field = tui_form_explain(opt_fields, sizeof opt_fields / sizeof opt_fields[0], msg,
	    out);

	if (field < 0 && strstr(msg, "MRN") != NULL)
		field = P_MRN; /* "a patient with MRN X already exists" */
	return field;
}

static enum cd_status
add_site(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	struct patient_form *pf = ctx;

	(void)err;
	if (row->n > 0 && row->vals[0] != NULL)
		tui_form_add_choice(&pf->form, P_SITE, row->vals[0]);
	return CD_OK;
}

static int
form_sync(struct tui *t, struct tui_screen *s)
{
	struct patient_form *pf = of(s);
	enum cd_status st;

	if (!pf->sites_stale)
		return 0;
	pf->sites_stale = false;
	if ((st = db_begin_read(t->ops.db, &t->err)) == CD_OK) {
		st = ops_site_list(&t->ops, add_site, pf, &t->err);
		db_end_read(t->ops.db);
	}
	if (st != CD_OK)
		return tui_show_err(t) | REDRAW_LIST;
	return REDRAW_LIST;
}

/* A value as ops takes it: trimmed; NULL when an optional one is empty. */
static char *
given(const struct patient_form *pf, int i, bool optional)
{
	const char *s = tui_form_value(&pf->form, i);
	size_t len;

	while (*s == ' ')
		s++;
	len = strlen(s);
	while (len > 0 && s[len - 1] == ' ')
		len--;
	if (optional && (len == 0 || (i == P_SITE && strcmp(s, NO_SITE) == 0)))
		return NULL;
	return xstrndup(s, len);
}

static int
book_for(struct tui *t, void *ctx)
{
	const char *mrn = tui_patient_page_mrn(ctx);

	if (t->top != ctx || mrn == NULL)
		return 0;
	tui_push(t, tui_book_new(t, mrn));
	return REDRAW_ALL;
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
cmd_save(struct tui *t, struct tui_screen *s)
{
	struct patient_form *pf = of(s);
	struct ops_patient p;
	struct strbuf why = STRBUF_INIT;
	char *v[PF_N], *mrn, *name;
	enum cd_status st;
	int i, field;

	for (i = 0; i < PF_N; i++)
		v[i] = given(pf, i, i != P_MRN && i != P_NAME && i != P_DOB);
	memset(&p, 0, sizeof p);
	p.mrn = v[P_MRN];
	p.name = v[P_NAME];
	p.dob = v[P_DOB];
	p.phone = v[P_PHONE];
	p.site = v[P_SITE];
	p.language = v[P_LANGUAGE];
	p.condition = v[P_CONDITION];
	st = ops_patient_add(&t->ops, &p, &t->err);
	mrn = xstrdup(v[P_MRN]);
	name = xstrdup(v[P_NAME]);
	for (i = 0; i < PF_N; i++)
		free(v[i]);
	if (st != CD_OK) {
		field = explain(t->err.msg, &why);
		free(pf->error);
		pf->error = xstrdup(strbuf_str(&why));
		if (field >= 0)
			tui_form_focus(&pf->form, field);
		tui_message(t, true, "not saved: %s", strbuf_str(&why));
		strbuf_free(&why);
		free(mrn);
		free(name);
		return REDRAW_LIST | REDRAW_STATUS;
	}
	strbuf_free(&why);
	/* Saved: the form goes, the patient's page comes, and a cycle is
	 * offered. */
	tui_form_clean(&pf->form);
	tui_pop(t);
	invalidate_all(t);
	tui_push(t, tui_patient_page_new(mrn));
	if (roles_may(t->ops.roles, ACT_BOOK)) {
		tui_confirm(t, book_for, t->top, "Patient %s (%s) is added. Book a cycle for them"
		    " now?", mrn, name);
		tui_confirm_else(t, "patient %s is added; b on this page books a cycle", mrn);
	} else {
		tui_message(t, false, "patient %s is added", mrn);
	}
	free(mrn);
	free(name);
	return REDRAW_ALL;
}

static int
cmd_back(struct tui *t, struct tui_screen *s)
{
	(void)s;
	return tui_leave(t);
}

static const struct tui_cmd form_cmds[] = {
	{ { '\r', '\n', TUI_FN(KEY_ENTER), 0 }, "save the new patient", "Enter save",
	    ACT_PATIENT_EDIT, 0, cmd_save },
	{ { TUI_ESC, 0 }, "go back (asks first if anything was typed)", "Esc back",
	    TUI_ACT_NONE, 0, cmd_back },
	{ { 0 }, NULL, NULL, TUI_ACT_NONE, 0, NULL },
};

static int
form_key(struct tui *t, struct tui_screen *s, int key)
{
	struct patient_form *pf = of(s);
	int flags, cur = pf->form.cur;

	(void)t;
	/* '?' opens help, but where free text may hold one. */
	if (key == '?' && cur != P_NAME && cur != P_LANGUAGE && cur != P_CONDITION)
		return -1;
	flags = tui_form_key(&pf->form, key);
	if (flags >= 0 && pf->form.changed >= 0 && pf->error != NULL) {
		free(pf->error);
		pf->error = NULL;
		flags |= REDRAW_LIST;
	}
	return flags;
}

static bool
form_dirty(struct tui_screen *s)
{
	return of(s)->form.dirty;
}

struct wrap_ctx {
	int y, left, w;
	attr_t attr;
};

static void
wrap_line(void *ctx, const char *line)
{
	struct wrap_ctx *c = ctx;

	if (c->left <= 0)
		return;
	tui_put(c->y++, 3, c->w, c->attr, line);
	c->left--;
}

static void
form_draw(struct tui *t, struct tui_screen *s, int y, int h, int w)
{
	struct patient_form *pf = of(s);
	struct wrap_ctx wc;
	int row, used;

	for (row = 0; row < h; row++)
		tui_put(y + row, 0, w, A_NORMAL, "");
	used = 1 + tui_form_draw(t, &pf->form, y + 1, h - 1, w, LABEL_W);
	if (used + 1 >= h)
		return;
	wc.y = y + used + 1;
	wc.left = h - used - 1;
	wc.w = w - 4;
	if (pf->error != NULL) {
		wc.attr = tui_attr(t, LOOK_BAD);
		tui_wrap(pf->error, w - 4, wrap_line, &wc);
	} else {
		wc.attr = tui_attr(t, LOOK_DIM);
		tui_wrap("MRN, name and date of birth are needed; the rest may stay empty. Enter"
		    " saves the patient.", w - 4, wrap_line, &wc);
	}
}

static void
form_title(struct tui_screen *s, struct strbuf *out)
{
	(void)s;
	strbuf_adds(out, "new patient");
}

static void
form_info(struct tui *t, struct tui_screen *s, struct strbuf *out)
{
	const char *help = tui_form_help(&of(s)->form);

	(void)t;
	if (help != NULL)
		strbuf_adds(out, help);
}

static void
form_free(struct tui_screen *s)
{
	struct patient_form *pf = of(s);

	tui_form_free(&pf->form);
	free(pf->error);
	free(pf);
}

const struct tui_screen_type tui_patient_form_type = {
	.name = "new patient form",
	.cmds = form_cmds,
	.title = form_title,
	.sync = form_sync,
	.draw = form_draw,
	.info = form_info,
	.free = form_free,
	.key = form_key,
	.dirty = form_dirty,
};

struct tui_screen *
tui_patient_form_new(struct tui *t)
{
	struct patient_form *pf = xcalloc(1, sizeof *pf);
	struct tui_form *f = &pf->form;

	(void)t;
	pf->base.type = &tui_patient_form_type;
	tui_form_add(f, FIELD_TEXT, "MRN", "the medical record number: letters, digits,"
	    " - / and . (as on the wristband)", NULL, 32);
	tui_form_add(f, FIELD_TEXT, "Name", "the patient's full name", NULL, 200);
	tui_form_add(f, FIELD_TEXT, "Date of birth", "YYYY-MM-DD", NULL, 10);
	tui_form_add(f, FIELD_TEXT, "Phone", "for the calls before visits: digits, spaces"
	    " and + - ( ) . /", NULL, 40);
	tui_form_add(f, FIELD_CHOICE, "Site", "the site the patient prefers (Left/Right, or a"
	    " letter); bookings start there", NULL, 0);
	tui_form_add_choice(f, P_SITE, NO_SITE);
	tui_form_add(f, FIELD_TEXT, "Language", "the language to speak with the patient",
	    NULL, 40);
	tui_form_add(f, FIELD_TEXT, "Condition", "what is treated, e.g. hip osteoarthritis",
	    NULL, 200);
	pf->sites_stale = true;
	return &pf->base;
}
