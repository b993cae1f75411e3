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
 * header, the last two the info and status lines, the rest the body. */
enum { TUI_MIN_COLS = 80, TUI_MIN_ROWS = 24, TUI_BODY_Y = 1 };
#define TUI_BODY_H(t) ((t)->rows - 3)

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
};
struct tui_screen {
	const struct tui_screen_type *type;
	struct tui_screen *below;
};

/* --- the bottom-line prompt (prompt.c) --- */
/* Called after every edit; returns redraw flags. */
typedef int (*tui_prompt_change_fn)(struct tui *t, void *ctx, const char *text);
/* Called once when the prompt closes: accepted by Enter, or not (Esc). */
typedef int (*tui_prompt_done_fn)(struct tui *t, void *ctx, const char *text,
    bool accepted);
struct tui_prompt {
	bool active;
	const char *label; /* static text: "Search: " */
	struct strbuf text; /* safe UTF-8: only printable characters go in */
	size_t cursor;      /* byte offset into text */
	tui_prompt_change_fn on_change;
	tui_prompt_done_fn on_done;
	void *ctx;
};

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
	const char *db_arg;     /* --db as given, or NULL: for `celldesk sync` */
	struct tui_job *job;    /* sync_screen.c's background sync, or NULL */
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
enum tui_look { LOOK_HEADER, LOOK_HEADS, LOOK_ERROR, LOOK_INFO, LOOK_LABEL };
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
int tui_list_move(struct tui_list *l, int64_t delta);
int tui_list_page(struct tui_list *l, int dir);
int tui_list_home(struct tui_list *l);
int tui_list_end(struct tui_list *l);
/* The selected row, or NULL; borrowed until the next sync. */
const struct tui_list_row *tui_list_selected(const struct tui_list *l);
/* Paints the column heads at y and the rows below, h lines in all. */
void tui_list_draw(struct tui *t, const struct tui_list *l, int y, int h, int w);

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

/* prompt.c */
void tui_prompt_open(struct tui *t, const char *label, const char *initial,
    tui_prompt_change_fn on_change, tui_prompt_done_fn on_done, void *ctx);
/* Edits, accepts or cancels; returns redraw flags. */
int tui_prompt_key(struct tui *t, int key);
/* Paints the prompt on line y and leaves the cursor in it. */
void tui_prompt_draw(struct tui *t, int y);
void tui_prompt_free(struct tui_prompt *p);
/* Adds the prompt's editing keys to a help pager. */
void tui_prompt_help(struct tui *t, struct tui_pager *p, int key_w, int width);

/* The screens. */
struct tui_screen *tui_patients_new(struct tui *t);
struct tui_screen *tui_patient_page_new(const char *mrn);
struct tui_screen *tui_help_new(void);
struct tui_screen *tui_sync_screen_new(struct tui *t);
/* sync_job.c: the `celldesk sync` child, watched by the loop. Its
 * output pipe (-1: none) is polled beside stdin; tui_job_poll reads it
 * and reaps the child without blocking (returns redraw flags), and
 * tui_job_detach, as the interface closes, lets a running sync finish
 * on its own and frees the rest. */
int tui_job_fd(const struct tui *t);
int tui_job_poll(struct tui *t);
void tui_job_detach(struct tui *t);
struct tui_job {
	pid_t pid;
	int fd;            /* the read end of the child's stdout+stderr; -1 at EOF */
	bool running;
	int64_t started_ms, took_ms;
	struct strbuf out; /* the first JOB_OUT_MAX bytes it wrote */
	bool failed;
	char result[512];  /* raw: what it said, for the screen */
	int64_t shown_s;   /* the running time last painted */
};
/* Starts the child (t->job); refused while one runs. */
enum cd_status tui_job_start(struct tui *t, struct cd_err *err);
/* Seconds the child has taken (so far, while it runs). */
int64_t tui_job_seconds(const struct tui_job *j);
/* CLOCK_MONOTONIC milliseconds (tui.c). */
int64_t tui_now_ms(void);
/* Help's key for every screen. */
int tui_cmd_help(struct tui *t, struct tui_screen *s);

#endif
