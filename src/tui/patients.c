/* patients.c - the patients screen: every patient by name, one page at
 * a time through ops_patient_list, a search that filters as one types,
 * Enter to open a patient's page, `a` to add a patient and `b` to book
 * a cycle for the selected one. Its command table is the help. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "../core/xalloc.h"
#include "tui_int.h"

struct patients {
	struct tui_screen base;
	struct tui *t;
	struct tui_list list;
	char *search; /* NULL: everyone */
};

/* The columns of db_patient_list: mrn, name, dob, phone, site. */
static const struct tui_list_col patient_cols[] = {
	{ "MRN", 12 }, { "Name", 0 }, { "Born", 10 }, { "Phone", 16 }, { "Site", 12 },
};

struct counter {
	int64_t n;
};

static enum cd_status
count_one(void *ctx, const struct cd_row *row, struct cd_err *err)
{
	(void)row;
	(void)err;
	((struct counter *)ctx)->n++;
	return CD_OK;
}

static enum cd_status
patients_count(void *ctx, bool must, int64_t *n, struct cd_err *err)
{
	struct patients *p = ctx;
	struct db_patient_query q = { p->search, 0, 0 };
	struct counter c = { 0 };
	enum cd_status st;

	if (p->search == NULL)
		return db_patient_count(p->t->ops.db, n, err);
	/* A search has no count query: step through the matches, but
	 * only when the list must know (End, or past the end). */
	if (!must) {
		*n = -1;
		return CD_OK;
	}
	if ((st = ops_patient_list(&p->t->ops, &q, count_one, &c, err)) != CD_OK)
		return st;
	*n = c.n;
	return CD_OK;
}

static enum cd_status
patients_fetch(void *ctx, int64_t offset, int64_t limit, cd_row_fn add, void *add_ctx,
    struct cd_err *err)
{
	struct patients *p = ctx;
	struct db_patient_query q = { p->search, limit, offset };

	return ops_patient_list(&p->t->ops, &q, add, add_ctx, err);
}

static const struct tui_list_ops patients_list_ops = { .count = patients_count, .fetch = patients_fetch };

static struct patients *
of(struct tui_screen *s)
{
	return (struct patients *)s;
}

static int
set_search(struct patients *p, const char *text)
{
	const char *c = text;

	while (c != NULL && *c == ' ')
		c++;
	free(p->search);
	p->search = c != NULL && *c != '\0' ? xstrdup(text) : NULL;
	tui_list_reset(&p->list);
	return REDRAW_LIST | REDRAW_STATUS;
}

/* --- the prompt's callbacks --- */
static int
search_changed(struct tui *t, void *ctx, const char *text)
{
	(void)t;
	return set_search(ctx, text);
}

static int
search_done(struct tui *t, void *ctx, const char *text, bool accepted)
{
	(void)t;
	return set_search(ctx, accepted ? text : NULL);
}

/* --- commands --- */
static int cmd_down(struct tui *t, struct tui_screen *s) { (void)t; return tui_list_move(&of(s)->list, 1); }
static int cmd_up(struct tui *t, struct tui_screen *s) { (void)t; return tui_list_move(&of(s)->list, -1); }
static int cmd_page_down(struct tui *t, struct tui_screen *s) { (void)t; return tui_list_page(&of(s)->list, 1); }
static int cmd_page_up(struct tui *t, struct tui_screen *s) { (void)t; return tui_list_page(&of(s)->list, -1); }
static int cmd_home(struct tui *t, struct tui_screen *s) { (void)t; return tui_list_home(&of(s)->list); }
static int cmd_end(struct tui *t, struct tui_screen *s) { (void)t; return tui_list_end(&of(s)->list); }

static int
cmd_search(struct tui *t, struct tui_screen *s)
{
	tui_prompt_open(t, "Search: ", of(s)->search, search_changed, search_done, s);
	return REDRAW_STATUS;
}

static int
cmd_clear(struct tui *t, struct tui_screen *s)
{
	(void)t;
	if (of(s)->search == NULL)
		return 0;
	return set_search(of(s), NULL);
}

static int
cmd_open(struct tui *t, struct tui_screen *s)
{
	const struct tui_list_row *row = tui_list_selected(&of(s)->list);

	if (row == NULL || row->n < 1 || row->vals[0] == NULL)
		return 0;
	tui_push(t, tui_patient_page_new(row->vals[0]));
	return REDRAW_ALL;
}

static int
cmd_add(struct tui *t, struct tui_screen *s)
{
	(void)s;
	tui_push(t, tui_patient_form_new(t));
	return REDRAW_ALL;
}

static int
cmd_book(struct tui *t, struct tui_screen *s)
{
	const struct tui_list_row *row = tui_list_selected(&of(s)->list);

	if (row == NULL || row->n < 1 || row->vals[0] == NULL)
		return 0;
	tui_push(t, tui_book_new(t, row->vals[0]));
	return REDRAW_ALL;
}

static int
cmd_lab_sync(struct tui *t, struct tui_screen *s)
{
	(void)s;
	tui_push(t, tui_sync_screen_new(t));
	return REDRAW_ALL;
}

static int
cmd_quit(struct tui *t, struct tui_screen *s)
{
	(void)t;
	(void)s;
	return QUIT;
}

static const struct tui_cmd patients_cmds[] = {
	{ { 'j', TUI_FN(KEY_DOWN), 0 }, "next patient", "j/k move",
	    ACT_PATIENT_VIEW, 0, cmd_down },
	{ { 'k', TUI_FN(KEY_UP), 0 }, "previous patient", NULL, ACT_PATIENT_VIEW, 0,
	    cmd_up },
	{ { TUI_FN(KEY_NPAGE), TUI_CTRL('f'), ' ', 0 }, "next page",
	    "PgUp/PgDn page", ACT_PATIENT_VIEW, 0, cmd_page_down },
	{ { TUI_FN(KEY_PPAGE), TUI_CTRL('b'), 0 }, "previous page", NULL,
	    ACT_PATIENT_VIEW, 0, cmd_page_up },
	{ { 'g', TUI_FN(KEY_HOME), 0 }, "first patient", "g/G first/last",
	    ACT_PATIENT_VIEW, 0, cmd_home },
	{ { 'G', TUI_FN(KEY_END), 0 }, "last patient", NULL, ACT_PATIENT_VIEW, 0,
	    cmd_end },
	{ { '/', 0 }, "search by name, MRN or phone", "/ search", ACT_PATIENT_VIEW, 0,
	    cmd_search },
	{ { TUI_ESC, 0 }, "clear the search", NULL, ACT_PATIENT_VIEW, 0, cmd_clear },
	{ { '\r', '\n', TUI_FN(KEY_ENTER), 0 }, "open the patient's page",
	    "Enter open", ACT_PATIENT_VIEW, TUI_NEED_ROW, cmd_open },
	{ { 'a', 0 }, "add a new patient", "a add", ACT_PATIENT_EDIT, 0, cmd_add },
	{ { 'b', 0 }, "book a cycle for the selected patient", "b book", ACT_BOOK,
	    TUI_NEED_ROW, cmd_book },
	{ { 'L', 0 }, "open the lab sync screen", NULL, ACT_SYNC_VIEW, 0,
	    cmd_lab_sync },
	{ { 'q', 0 }, "quit celldesk", "q quit", TUI_ACT_NONE, 0, cmd_quit },
	{ { 0 }, NULL, NULL, TUI_ACT_NONE, 0, NULL },
};

/* --- the screen --- */
static void
patients_title(struct tui_screen *s, struct strbuf *out)
{
	(void)s;
	strbuf_adds(out, "patients");
}

static int
list_height(struct tui *t)
{
	int h = TUI_BODY_H(t) - 1; /* less the column heads */

	return h < 1 ? 1 : h;
}

static int
patients_sync(struct tui *t, struct tui_screen *s)
{
	return tui_list_refresh(t, &of(s)->list, list_height(t));
}

static void
patients_draw(struct tui *t, struct tui_screen *s, int y, int h, int w)
{
	tui_list_draw(t, &of(s)->list, y, h, w);
}

static void
patients_info(struct tui *t, struct tui_screen *s, struct strbuf *out)
{
	const struct tui_list *l = &of(s)->list;
	const char *search = of(s)->search;

	if (search != NULL)
		strbuf_addf(out, "search \"%s\": ", search);
	if (l->total == 0)
		strbuf_adds(out, search != NULL ? "no patient matches" : "no patients yet");
	else if (l->total > 0)
		strbuf_addf(out, "patient %lld of %lld", (long long)l->cur + 1,
		    (long long)l->total);
	else
		strbuf_addf(out, "patient %lld of %lld or more", (long long)l->cur + 1,
		    (long long)(l->top + l->nrows + (l->more ? 1 : 0)));
	if (t->prompt.active)
		strbuf_adds(out, "  \xC2\xB7  Enter keeps the filter, Esc clears it");
	else if (search != NULL)
		strbuf_adds(out, "  \xC2\xB7  Esc clears the search");
}

static void
patients_invalidate(struct tui_screen *s)
{
	tui_list_invalidate(&of(s)->list);
}

static bool
patients_has_row(struct tui_screen *s)
{
	return tui_list_selected(&of(s)->list) != NULL;
}

static void
patients_free(struct tui_screen *s)
{
	struct patients *p = of(s);

	tui_list_free(&p->list);
	free(p->search);
	free(p);
}

const struct tui_screen_type tui_patients_type = {
	.name = "patients",
	.cmds = patients_cmds,
	.title = patients_title,
	.sync = patients_sync,
	.draw = patients_draw,
	.info = patients_info,
	.invalidate = patients_invalidate,
	.has_row = patients_has_row,
	.free = patients_free,
};

struct tui_screen *
tui_patients_new(struct tui *t)
{
	struct patients *p = xcalloc(1, sizeof *p);

	p->base.type = &tui_patients_type;
	p->t = t;
	tui_list_init(&p->list, patient_cols,
	    (int)(sizeof patient_cols / sizeof patient_cols[0]), &patients_list_ops, p);
	return &p->base;
}
