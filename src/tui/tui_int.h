/* tui_int.h - what the files of the full-screen interface share: the one
 * application struct, screens as small vtables, command tables, the
 * redraw flags handlers return, and the drawing, list, pager and prompt
 * widgets. Only src/tui includes this (and so <curses.h>). */
#ifndef CD_TUI_INT_H
#define CD_TUI_INT_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "../core/strbuf.h"
#include "../ops/ops.h"

/* What a handler asks of the loop; only the loop paints. */
enum {
	REDRAW_STATUS = 1 << 0, /* the info and status lines */
	REDRAW_LIST = 1 << 1,   /* the screen's body (and the lines below) */
	REDRAW_ALL = 1 << 2,    /* everything, header included */
	QUIT = 1 << 3,
	REDRAW_CLEAR = 1 << 4   /* repaint the real terminal too (Ctrl-L) */
};

/* A key as one int: a Unicode code point, or TUI_FN(a curses KEY_*). */
#define TUI_FN(k) (0x200000 + (k))
#define TUI_CTRL(c) ((c) & 0x1f)
#define TUI_ESC 27

/* The smallest terminal the screens are drawn for. Line 0 is the
 * header, line 1 the tabs, the last two the info and status lines, the
 * rest the body. */
enum { TUI_MIN_COLS = 80, TUI_MIN_ROWS = 24, TUI_BODY_Y = 2 };
#define TUI_BODY_H(t) ((t)->rows - 4)

struct tui;
struct tui_screen;
struct tui_job;

/* --- commands (one table per screen, one dispatcher in tui.c) --- */
#define TUI_ACT_NONE ACT__COUNT /* needs nothing beyond opening the TUI */
enum { TUI_NEED_ROW = 1 };      /* precondition: a selected row */

typedef int (*tui_cmd_fn)(struct tui *t, struct tui_screen *s);
struct tui_cmd {
	int keys[4];           /* 0-terminated */
	const char *desc;      /* what it does, for help */
	const char *hint;      /* short status-line hint, or NULL */
	enum cd_action action; /* role checked before running, or TUI_ACT_NONE */
	unsigned need;         /* TUI_NEED_* preconditions */
	tui_cmd_fn fn;         /* NULL ends a table */
};

/* --- screens: small vtables, stacked (patients, a patient, help) --- */
struct tui_screen_type {
	const char *name;           /* for help ("the patients screen") */
	const struct tui_cmd *cmds; /* ends with fn == NULL */
	/* Appends the header title ("patients"); raw text, sanitized later. */
	void (*title)(struct tui_screen *s, struct strbuf *out);
	/* Reads what is stale from the database (a short read, never held
	 * across a key); returns redraw flags. May be NULL. */
	int (*sync)(struct tui *t, struct tui_screen *s);
	/* Paints rows y .. y+h-1 of width w. */
	void (*draw)(struct tui *t, struct tui_screen *s, int y, int h, int w);
	/* Appends the info line's text (raw). May be NULL. */
	void (*info)(struct tui *t, struct tui_screen *s, struct strbuf *out);
	/* The database changed under us: mark what is shown stale. */
	void (*invalidate)(struct tui_screen *s);
	/* For TUI_NEED_ROW; NULL means never. */
	bool (*has_row)(struct tui_screen *s);
	void (*free)(struct tui_screen *s);
	/* Sees every key before the command tables (a form's text); returns
	 * redraw flags, or -1 when it does not take the key. May be NULL. */
	int (*key)(struct tui *t, struct tui_screen *s, int key);
	/* True while the screen holds input not yet saved: leaving it (Esc,
	 * q, a tab key) asks first. May be NULL. */
	bool (*dirty)(struct tui_screen *s);
	/* Called about once a second while the screen is shown (a clock on
	 * it, such as the agenda's "now" mark); returns redraw flags. May
	 * be NULL. */
	int (*tick)(struct tui *t, struct tui_screen *s);
};
struct tui_screen {
	const struct tui_screen_type *type;
	struct tui_screen *below;
};

/* --- the bottom-line prompt (prompt.c) --- */
/* Called after every edit (may be NULL); returns redraw flags. */
typedef int (*tui_prompt_change_fn)(struct tui *t, void *ctx, const char *text);
/* Called once when the prompt closes: accepted by Enter, or not (Esc). */
typedef int (*tui_prompt_done_fn)(struct tui *t, void *ctx, const char *text,
    bool accepted);
/* --- one line being typed (edit.c): the prompt's and a form field's --- */
struct tui_edit {
	struct strbuf text; /* safe UTF-8: only printable characters go in */
	size_t cursor;      /* byte offset into text */
	int max;            /* characters at most; 0: 200 */
};
enum { EDIT_NOT_MINE, EDIT_MOVED, EDIT_CHANGED, EDIT_ACCEPT, EDIT_CANCEL };
/* Applies an editing key; returns EDIT_*. Enter and Esc only report. */
int tui_edit_key(struct tui_edit *e, int key);
bool tui_edit_insert(struct tui_edit *e, int key);
size_t tui_edit_next(const struct tui_edit *e, size_t i);
/* Replaces the text with what of raw may be typed; cursor at the end. */
void tui_edit_set(struct tui_edit *e, const char *raw);
/* Paints the text in room columns from (y, x), scrolled so the cursor
 * shows; returns the cursor's column. */
int tui_edit_draw(const struct tui_edit *e, int y, int x, int room, attr_t attr);
/* Lists the editing keys: for help, and for `celldesk keys`. */
struct tui_pager;
void tui_edit_help(struct tui_pager *pg, int key_w, int width);
void tui_edit_keys(void (*fn)(void *ctx, const int *keys, const char *desc), void *ctx);

struct tui_prompt {
	bool active;
	const char *label; /* static text: "Search: " */
	struct tui_edit edit;
	tui_prompt_change_fn on_change;
	tui_prompt_done_fn on_done;
	void *ctx;
};

/* --- a yes/no question on the status line (confirm.c) --- */
typedef int (*tui_confirm_fn)(struct tui *t, void *ctx);
struct tui_confirm {
	bool active;
	char question[400]; /* raw */
	char no[300];       /* raw: what a "no" says; "" for "nothing changed" */
	tui_confirm_fn yes;
	void *ctx;
};

/* --- the command line's child and the lab sync's (sync_job.c) --- */
enum tui_job_kind { JOB_SYNC, JOB_COMMAND };

/* --- the application: the one struct with mutable state --- */
struct tui {
	struct ops ops;
	struct cd_err err;
	struct tui_screen *top; /* the screen shown; ->below the rest */
	struct tui_prompt prompt;
	int rows, cols;
	bool too_small;
	bool colour;
	bool msg_error;
	char msg[512];          /* one line for the status bar, raw; "" none */
	int64_t data_version;   /* PRAGMA data_version last seen */
	const char *db_arg;     /* --db as given, or NULL: for the children */
	struct tui_job *job;    /* sync_screen.c's background sync, or NULL */
	struct tui_job *cmd;    /* the command line's child, or NULL */
	char *cmd_text;         /* what was typed after `:`, for its output's title */
	struct tui_confirm confirm;
	const struct tui_tab *tab; /* the tab shown (its screen at the bottom) */
	int cursor_y, cursor_x; /* where a form wants the cursor; -1: hidden */
};

/* tui.c */
void tui_push(struct tui *t, struct tui_screen *s);
/* Pops and frees the top screen; returns redraw flags. */
int tui_pop(struct tui *t);
void tui_message(struct tui *t, bool error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Shows t->err (after a failed call) in the status line; returns flags. */
int tui_show_err(struct tui *t);
/* Commands that work on every screen; help lists them too. */
extern const struct tui_cmd tui_global_cmds[];

/* signals.c: SIGWINCH, and SIGINT/SIGTERM/SIGHUP as "quit" */
bool tui_signals_start(void);
void tui_signals_stop(void);
int tui_signals_fd(void);      /* readable after a signal */
void tui_signals_drain(void);
bool tui_signals_winch(void);  /* true once per resize */
bool tui_signals_quit(void);

/* draw.c */
/* Every look has a monochrome form (bold, underline, reverse, dim): with
 * NO_COLOR or a monochrome terminal nothing depends on colour alone, and
 * the screens say the same in words too. */
enum tui_look {
	LOOK_HEADER, LOOK_HEADS, LOOK_ERROR, LOOK_INFO, LOOK_LABEL,
	LOOK_OK,    /* done, released, in limits */
	LOOK_WARN,  /* soon, waiting, unreachable */
	LOOK_BAD,   /* expired, cancelled, no-show, refused */
	LOOK_DIM,   /* past, inactive */
	LOOK_NOW,   /* the current-time mark */
	LOOK_MATCH, /* the scan's verdict: go */
	LOOK_STOP,  /* the scan's verdict: stop */
	LOOK_TAB    /* the tab of the screen shown */
};
void tui_colours_start(struct tui *t);
attr_t tui_attr(const struct tui *t, enum tui_look look);
/* Appends raw text sanitized and fitted to width columns: cut on a
 * character boundary with a trailing "…" when too wide, and padded with
 * spaces to exactly width when pad. Returns the columns appended. */
int tui_fit(struct strbuf *out, const char *raw, int width, bool pad);
/* The same for text already safe (sanitized, or our own constants); any
 * unsafe character left is shown as '?'. */
int tui_fit_safe(struct strbuf *out, const char *safe, int width, bool pad);
/* Columns safe text takes as tui_fit_safe prints it. */
int tui_width_safe(const char *safe);
/* Sanitizes raw and breaks it into lines of at most width columns, at
 * spaces where possible; calls fn with each (safe) line. */
void tui_wrap(const char *raw, int width, void (*fn)(void *ctx, const char *line),
    void *ctx);
/* Appends the keys of a 0-terminated list by name ("j, Down, Ctrl-F"),
 * each name once: help shows the keys the table really binds. */
void tui_keys_name(struct strbuf *out, const int *keys);
/* Puts safe text at y, x, fitted to w columns and padded. */
void tui_put(int y, int x, int w, attr_t attr, const char *safe);
/* The title line and the tab line below it. */
void tui_draw_header(struct tui *t);
void tui_draw_too_small(struct tui *t);

/* list.c - one page of rows at a time from a fetch callback */
struct tui_list_col {
	const char *head;
	int width; /* columns; 0: shares what the fixed ones leave */
};
struct tui_list_row {
	int n;
	char **vals; /* owned copies; NULL for SQL NULL */
};
struct tui_list_ops {
	/* *n = the number of rows, or -1 when unknown and counting would be
	 * slow; must: the list needs the number (End, or past the end). */
	enum cd_status (*count)(void *ctx, bool must, int64_t *n, struct cd_err *err);
	/* Streams rows [offset, offset + limit) into add(add_ctx, row). */
	enum cd_status (*fetch)(void *ctx, int64_t offset, int64_t limit, cd_row_fn add,
	    void *add_ctx, struct cd_err *err);
	/* The row's look (LOOK_OK ...), or -1 for plain. May be NULL. */
	int (*row_look)(void *ctx, const struct tui_list_row *row);
};
struct tui_list {
	const struct tui_list_col *cols;
	int ncols;
	const struct tui_list_ops *ops;
	void *ctx;
	int64_t total;  /* -1: unknown */
	int64_t top;    /* the index of the first row shown */
	int64_t cur;    /* the selected row */
	int64_t fetched_top;
	int height;
	bool more;      /* a row exists after the page */
	bool need_count, need_fetch, want_end;
	struct tui_list_row *rows; /* rows top .. top + nrows - 1 */
	int nrows, cap;
	char *keep_key; /* reselect the row whose first column is this */
};
void tui_list_init(struct tui_list *l, const struct tui_list_col *cols, int ncols,
    const struct tui_list_ops *ops, void *ctx);
void tui_list_free(struct tui_list *l);
/* True when tui_list_sync would read the database for this height. */
bool tui_list_stale(const struct tui_list *l, int height);
/* A new query: back to the first row, recounted. */
void tui_list_reset(struct tui_list *l);
/* The rows changed: refetch and recount, keeping the selected row. */
void tui_list_invalidate(struct tui_list *l);
/* Fetches the page of height rows around the selection when stale. */
enum cd_status tui_list_sync(struct tui_list *l, int height, struct cd_err *err);
/* A list screen's sync: tui_list_sync in one read snapshot when stale;
 * returns redraw flags (an error goes to the status line). */
int tui_list_refresh(struct tui *t, struct tui_list *l, int height);
int tui_list_move(struct tui_list *l, int64_t delta);
int tui_list_page(struct tui_list *l, int dir);
int tui_list_home(struct tui_list *l);
int tui_list_end(struct tui_list *l);
/* The selected row, or NULL; borrowed until the next sync. */
const struct tui_list_row *tui_list_selected(const struct tui_list *l);
/* Paints the column heads at y and the rows below, h lines in all. */
void tui_list_draw(struct tui *t, const struct tui_list *l, int y, int h, int w);

/* find.c - `/` asks for text, n and N find it again, in every column;
 * a screen keeps one struct tui_find per list. */
struct tui_find {
	struct tui_list *list;
	char *text; /* the last text looked for, or NULL */
};
int tui_find_open(struct tui *t, struct tui_find *f);
int tui_find_next(struct tui *t, struct tui_find *f, int dir);
void tui_find_free(struct tui_find *f);

/* pager.c - lines of text that scroll */
struct tui_pager_line {
	char *label;      /* safe, or NULL; drawn in the indent */
	char *text;       /* safe */
	attr_t label_attr, attr;
	int indent;       /* columns before text */
};
struct tui_pager {
	struct tui_pager_line *lines;
	int n, cap;
	int scroll, height;
};
void tui_pager_clear(struct tui_pager *p);
void tui_pager_add(struct tui_pager *p, attr_t attr, int indent, const char *safe);
/* Adds "label  value" with the raw value wrapped to width; newlines in
 * the value start new lines. */
void tui_pager_add_field(struct tui_pager *p, attr_t label_attr, const char *label,
    int label_w, const char *raw, int width);
void tui_pager_free(struct tui_pager *p);
int tui_pager_scroll(struct tui_pager *p, int delta);
/* Paints lines from the scroll position; remembers h for scrolling. */
void tui_pager_draw(struct tui *t, struct tui_pager *p, int y, int h, int w);
/* A screen that is a pager (a patient's page, help) starts with this
 * and may use tui_pager_cmds: scrolling and going back. */
struct tui_pager_screen {
	struct tui_screen base;
	struct tui_pager pager;
};
extern const struct tui_cmd tui_pager_cmds[];
/* The scrolling commands, for a pager screen (one that starts with
 * struct tui_pager_screen) with a table of its own: the rows go first in
 * it, with the role they need and the hint for j/k (or NULL). */
int tui_pager_cmd_down(struct tui *t, struct tui_screen *s);
int tui_pager_cmd_up(struct tui *t, struct tui_screen *s);
int tui_pager_cmd_page_down(struct tui *t, struct tui_screen *s);
int tui_pager_cmd_page_up(struct tui *t, struct tui_screen *s);
int tui_pager_cmd_home(struct tui *t, struct tui_screen *s);
int tui_pager_cmd_end(struct tui *t, struct tui_screen *s);
#define TUI_PAGER_SCROLL_CMDS(action, hint) \
	{ { 'j', TUI_FN(KEY_DOWN), 0 }, "scroll down a line", hint, action, 0, \
	    tui_pager_cmd_down }, \
	{ { 'k', TUI_FN(KEY_UP), 0 }, "scroll up a line", NULL, action, 0, tui_pager_cmd_up }, \
	{ { TUI_FN(KEY_NPAGE), ' ', TUI_CTRL('f'), 0 }, "scroll down a page", NULL, action, 0, \
	    tui_pager_cmd_page_down }, \
	{ { TUI_FN(KEY_PPAGE), TUI_CTRL('b'), 0 }, "scroll up a page", NULL, action, 0, \
	    tui_pager_cmd_page_up }, \
	{ { 'g', TUI_FN(KEY_HOME), 0 }, "go to the top", NULL, action, 0, tui_pager_cmd_home }, \
	{ { 'G', TUI_FN(KEY_END), 0 }, "go to the bottom", NULL, action, 0, tui_pager_cmd_end }

/* prompt.c */
void tui_prompt_open(struct tui *t, const char *label, const char *initial,
    tui_prompt_change_fn on_change, tui_prompt_done_fn on_done, void *ctx);
/* Edits, accepts or cancels; returns redraw flags. */
int tui_prompt_key(struct tui *t, int key);
/* Paints the prompt on line y and leaves the cursor in it. */
void tui_prompt_draw(struct tui *t, int y);
void tui_prompt_free(struct tui_prompt *p);

/* confirm.c - only `y` says yes; any other key leaves things as they are. */
void tui_confirm(struct tui *t, tui_confirm_fn yes, void *ctx, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* After tui_confirm: what the status line says when the answer is no
 * (an offer after something was done: "patient X is added"). */
void tui_confirm_else(struct tui *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int tui_confirm_key(struct tui *t, int key);
void tui_confirm_draw(struct tui *t, int y);

/* form.c - labelled fields a screen draws and feeds keys to */
enum tui_field_kind { FIELD_TEXT, FIELD_CHOICE };
struct tui_field {
	enum tui_field_kind kind;
	const char *label;   /* static: "Start date" */
	const char *help;    /* static: shown while the field is current */
	struct tui_edit edit; /* the value, safe UTF-8 (a choice: the chosen one) */
	char **choices;      /* owned; choice fields: the value is one of them */
	int nchoices, choice;
};
struct tui_form {
	struct tui_field *fields;
	int n, cur;
	bool dirty;     /* edited since tui_form_clean */
	int changed;    /* the field the last key changed, or -1 */
};
/* Adds a field; returns its index. initial may be NULL. */
int tui_form_add(struct tui_form *f, enum tui_field_kind kind, const char *label,
    const char *help, const char *initial, int max);
/* Adds a choice to a choice field; the first added is selected unless
 * the field's initial value names another. */
void tui_form_add_choice(struct tui_form *f, int i, const char *choice);
/* Drops a choice field's choices and value, to add others (a booking's
 * sources change with its protocol). */
void tui_form_clear_choices(struct tui_form *f, int i);
const char *tui_form_value(const struct tui_form *f, int i);
/* Sets a field's value (raw text is sanitized); does not mark dirty. */
void tui_form_set(struct tui_form *f, int i, const char *value);
void tui_form_focus(struct tui_form *f, int i);
void tui_form_clean(struct tui_form *f);
void tui_form_free(struct tui_form *f);
/* Edits or moves between fields; -1 when the key is not the form's
 * (Enter, Esc, function keys), else redraw flags. */
int tui_form_key(struct tui_form *f, int key);
/* Paints one field a line from y (label_w columns of labels) and leaves
 * t->cursor_* in the current one; returns the lines used. */
int tui_form_draw(struct tui *t, const struct tui_form *f, int y, int h, int w, int label_w);
/* A command-line option as a form names its field ("--dob": "Date of
 * birth"), so a refusal from ops reads in the form's words. */
struct tui_form_opt {
	const char *opt, *label;
	int field;
};
/* Appends msg with each option replaced by its label; returns the field
 * of the first option named, or -1. */
int tui_form_explain(const struct tui_form_opt *opts, size_t n, const char *msg,
    struct strbuf *out);
/* Lists the form's keys (beyond the editing ones): help, `celldesk keys`. */
void tui_form_keys(void (*fn)(void *ctx, const int *keys, const char *desc), void *ctx);
/* The current field's help text (static), or NULL. */
const char *tui_form_help(const struct tui_form *f);

/* nav.c - the root screens, one tab each */
struct tui_tab {
	int key;
	const char *name;        /* "Agenda" */
	enum cd_action action;   /* to be offered */
	struct tui_screen *(*open)(struct tui *t);
};
extern const struct tui_tab tui_tabs[];
/* The tab whose root screen is at the bottom of the stack, or NULL. */
const struct tui_tab *tui_tab_shown(const struct tui *t);
/* The first tab the user's role may open, for the start. */
const struct tui_tab *tui_tab_first(const struct tui *t);
/* Replaces the whole stack with tab's screen (asks first when a screen
 * holds unsaved input). */
int tui_tab_open(struct tui *t, const struct tui_tab *tab);
const struct tui_tab *tui_tab_for_key(const struct tui *t, int key);
/* Esc on a screen: pops it, asking first when it holds unsaved input. */
int tui_leave(struct tui *t);
/* q: quits, asking first when a form holds unsaved input. */
int tui_quit_asking(struct tui *t);
/* True when a screen on the stack holds unsaved input. */
bool tui_stack_dirty(const struct tui *t);
/* Every screen type, for help and `celldesk keys`. */
extern const struct tui_screen_type *const tui_screen_types[];

/* cmdline.c - `:` runs a celldesk command as a child; its output is shown
 * in a pager when it ends. */
int tui_cmd_cmdline(struct tui *t, struct tui_screen *s);
/* Called by the loop when the command's child ended. */
int tui_cmdline_done(struct tui *t);
/* Splits a command line into words (quotes '...' and "..." and \);
 * false with *why on an unclosed quote. argv is NULL-terminated, owned. */
bool tui_cmdline_split(const char *line, char ***argv, int *argc, const char **why);

/* lot_actions.c - a lot's steps, shared by the lot page and the scan
 * screen: each asks what it needs (a prompt, or y to a question), calls
 * ops, says on the status line where the lot now stands (or the ops
 * refusal) and marks every screen stale. The screen owns the struct and
 * keeps it while its prompt or question is open. */
struct tui_lot_act {
	char code[48];   /* the lot */
	char mrn[72];    /* administer: the MRN on the wristband */
	char note[1100]; /* for the info line while a prompt is open (raw), or "" */
	char first[128]; /* the first answer of a chained prompt */
};
int tui_lot_act_receive(struct tui *t, struct tui_lot_act *a);
int tui_lot_act_store(struct tui *t, struct tui_lot_act *a);
int tui_lot_act_move(struct tui *t, struct tui_lot_act *a);
int tui_lot_act_qc(struct tui *t, struct tui_lot_act *a);
int tui_lot_act_release(struct tui *t, struct tui_lot_act *a);
int tui_lot_act_reserve(struct tui *t, struct tui_lot_act *a);
int tui_lot_act_issue(struct tui *t, struct tui_lot_act *a);
int tui_lot_act_discard(struct tui *t, struct tui_lot_act *a);
int tui_lot_act_administer(struct tui *t, struct tui_lot_act *a);
/* The next step of a lot in status, for this user: words and its key. */
void tui_lot_next_step(const struct tui *t, const char *status, struct strbuf *out);
/* Time to expiry of a local ISO time in words ("expired", "5 h", "2 d";
 * "" for a lot no longer in stock) and its LOOK_*, or -1 for plain. */
int tui_lot_expiry(const struct tui *t, const char *iso, const char *status, char *words, size_t n);

/* The screens, and their types for the key listings. */
extern const struct tui_screen_type tui_patients_type, tui_patient_page_type,
    tui_help_type, tui_sync_type, tui_output_type, tui_book_type, tui_patient_form_type;
extern const struct tui_screen_type tui_agenda_type, tui_visit_page_type, tui_move_preview_type;
struct tui_screen *tui_agenda_new(struct tui *t);
extern const struct tui_screen_type tui_lots_type, tui_lot_page_type, tui_scan_type;
struct tui_screen *tui_lots_new(struct tui *t);
struct tui_screen *tui_lot_page_new(const char *code);
struct tui_screen *tui_scan_new(struct tui *t);
struct tui_screen *tui_patients_new(struct tui *t);
struct tui_screen *tui_patient_page_new(const char *mrn);
/* The MRN a patient page shows, or NULL when s is another screen. */
const char *tui_patient_page_mrn(const struct tui_screen *s);
/* The booking form, for the patient with mrn (NULL or "": typed in). */
struct tui_screen *tui_book_new(struct tui *t, const char *mrn);
struct tui_screen *tui_patient_form_new(struct tui *t);
struct tui_screen *tui_help_new(void);
struct tui_screen *tui_sync_screen_new(struct tui *t);
extern const struct tui_screen_type tui_calls_type;
struct tui_screen *tui_calls_new(struct tui *t);
extern const struct tui_screen_type tui_admin_staff_type, tui_admin_sites_type,
    tui_admin_resources_type, tui_admin_protocols_type, tui_admin_audit_type,
    tui_admin_form_type, tui_admin_protocol_type;
struct tui_screen *tui_admin_new(struct tui *t);
/* sync_job.c: the `celldesk sync` child, watched by the loop. Its
 * output pipe (-1: none) is polled beside stdin; tui_job_poll reads it
 * and reaps the child without blocking (returns redraw flags), and
 * tui_job_detach, as the interface closes, lets a running sync finish
 * on its own and frees the rest. */
int tui_job_fd(const struct tui_job *j);
int tui_job_poll(struct tui *t, struct tui_job *j);
void tui_job_detach(struct tui *t);
struct tui_job {
	enum tui_job_kind kind;
	pid_t pid;
	int fd;            /* the read end of the child's stdout+stderr; -1 at EOF */
	bool running;
	int64_t started_ms, took_ms;
	struct strbuf out; /* the first JOB_OUT_MAX bytes it wrote */
	bool failed;
	int exit_status;   /* as the child exited; -1 killed or lost */
	char result[512];  /* raw: what it said, for the screen */
	int64_t shown_s;   /* the running time last painted */
};
/* Starts `celldesk [--db DB] ARGS` as t->job (JOB_SYNC) or t->cmd
 * (JOB_COMMAND); refused while that one runs. */
enum cd_status tui_job_start(struct tui *t, enum tui_job_kind kind, char *const *args,
    struct cd_err *err);
/* Seconds the child has taken (so far, while it runs). */
int64_t tui_job_seconds(const struct tui_job *j);
/* CLOCK_MONOTONIC milliseconds (tui.c). */
int64_t tui_now_ms(void);
/* Help's key for every screen. */
int tui_cmd_help(struct tui *t, struct tui_screen *s);

#endif
