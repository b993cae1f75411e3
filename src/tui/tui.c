/* tui.c - the full-screen interface: opening the database as the CLI
 * does, the terminal set-up and its restoration (fatal() included), the
 * stack of screens, the one dispatcher over the screens' command tables,
 * and the one poll() loop: keys, signals (signals.c's pipe), and a
 * check of PRAGMA data_version about once a second so a colleague's
 * change shows. Handlers return flags; only this loop paints. A yes/no
 * question (confirm.c) or the prompt, when open, takes the keys first. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "../core/text.h"
#include "../core/xalloc.h"
#include "tui.h"
#include "tui_int.h"

static void
restore_terminal(void)
{
	if (!isendwin())
		endwin();
}

int64_t
tui_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* --- messages and the screen stack --- */
void
tui_message(struct tui *t, bool error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->msg, sizeof t->msg, fmt, ap);
	va_end(ap);
	t->msg_error = error;
}

int
tui_show_err(struct tui *t)
{
	tui_message(t, true, "%s", t->err.msg);
	return REDRAW_STATUS;
}

void
tui_push(struct tui *t, struct tui_screen *s)
{
	s->below = t->top;
	t->top = s;
}

int
tui_pop(struct tui *t)
{
	struct tui_screen *s = t->top;

	if (s == NULL || s->below == NULL) {
		tui_message(t, false, "this is the %s screen's first page; q quits",
		    s != NULL ? s->type->name : "");
		return REDRAW_STATUS;
	}
	t->top = s->below;
	s->type->free(s);
	return REDRAW_ALL;
}

/* --- keys everywhere --- */
static int
cmd_redraw(struct tui *t, struct tui_screen *s)
{
	(void)t;
	(void)s;
	return REDRAW_ALL | REDRAW_CLEAR;
}

const struct tui_cmd tui_global_cmds[] = {
	{ { '?', TUI_FN(KEY_F(1)), 0 }, "help for this screen", "? help",
	    TUI_ACT_NONE, 0, tui_cmd_help },
	{ { ':', 0 }, "run a celldesk command, as in the shell (the output opens in a page)",
	    ": command", TUI_ACT_NONE, 0, tui_cmd_cmdline },
	{ { TUI_CTRL('l'), 0 }, "redraw the screen", NULL, TUI_ACT_NONE, 0,
	    cmd_redraw },
	{ { 0 }, NULL, NULL, TUI_ACT_NONE, 0, NULL },
};

static const struct tui_cmd *
find_cmd(const struct tui_cmd *cmds, int key)
{
	int i;

	for (; cmds->fn != NULL; cmds++) {
		for (i = 0; cmds->keys[i] != 0; i++) {
			if (cmds->keys[i] == key)
				return cmds;
		}
	}
	return NULL;
}

static int
sync_top(struct tui *t)
{
	if (t->too_small || t->top->type->sync == NULL)
		return 0;
	return t->top->type->sync(t, t->top);
}

/* The one dispatcher: a form's keys first, then the screen's table, the
 * global one and the tabs; it checks what a command needs (the role, a
 * selected row) before running it. */
static int
dispatch(struct tui *t, int key)
{
	struct tui_screen *s = t->top;
	const struct tui_cmd *c;
	const struct tui_tab *tab;
	int flags = 0;

	if (s->type->key != NULL && (flags = s->type->key(t, s, key)) >= 0)
		return flags;
	flags = 0;
	if ((c = find_cmd(s->type->cmds, key)) == NULL &&
	    (c = find_cmd(tui_global_cmds, key)) == NULL) {
		if ((tab = tui_tab_for_key(t, key)) == NULL)
			return 0;
		if (ops_require(&t->ops, tab->action, &t->err) != CD_OK)
			return tui_show_err(t);
		return tui_tab_open(t, tab);
	}
	if (c->action != TUI_ACT_NONE && ops_require(&t->ops, c->action, &t->err) != CD_OK)
		return tui_show_err(t);
	/* Settle what keys before asked for (the page G moved to, say), so
	 * this one acts on what the screen is about to show. */
	flags |= sync_top(t);
	if (c->need & TUI_NEED_ROW) {
		if (s->type->has_row == NULL || !s->type->has_row(s)) {
			tui_message(t, false, "nothing is selected");
			return flags | REDRAW_STATUS;
		}
	}
	return flags | c->fn(t, s);
}

static void
geometry(struct tui *t)
{
	t->rows = LINES;
	t->cols = COLS;
	t->too_small = t->rows < TUI_MIN_ROWS || t->cols < TUI_MIN_COLS;
}

static int
resize(struct tui *t)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0 &&
	    (ws.ws_row != LINES || ws.ws_col != COLS))
		resizeterm(ws.ws_row, ws.ws_col);
	geometry(t);
	return REDRAW_ALL;
}

static int
handle_key(struct tui *t, int key)
{
	int flags = 0;

	if (key == TUI_FN(KEY_RESIZE))
		return resize(t);
	if (t->too_small) /* q: not while a form holds what someone typed */
		return key == 'q' && !t->confirm.active ? tui_quit_asking(t) : 0;
	if (t->msg[0] != '\0') {
		t->msg[0] = '\0';
		flags |= REDRAW_STATUS;
	}
	if (t->confirm.active)
		return flags | tui_confirm_key(t, key);
	if (t->prompt.active)
		return flags | tui_prompt_key(t, key);
	flags |= dispatch(t, key);
	/* q on a screen: not while a form holds what someone typed. */
	if ((flags & QUIT) && !t->confirm.active && tui_stack_dirty(t))
		flags = (flags & ~QUIT) | tui_quit_asking(t);
	return flags;
}

/* A colleague committed: every screen re-reads when next shown. */
static int
check_data(struct tui *t)
{
	struct tui_screen *s;
	int64_t v = db_data_version(t->ops.db);

	if (v == t->data_version)
		return 0;
	t->data_version = v;
	for (s = t->top; s != NULL; s = s->below) {
		if (s->type->invalidate != NULL)
			s->type->invalidate(s);
	}
	return REDRAW_LIST | REDRAW_STATUS;
}

static void
draw_status(struct tui *t)
{
	const struct tui_cmd *tables[2] = { t->top->type->cmds, tui_global_cmds }, *c;
	struct strbuf line = STRBUF_INIT;
	int i;

	if (t->confirm.active) {
		tui_confirm_draw(t, t->rows - 1);
		return;
	}
	if (t->prompt.active) {
		tui_prompt_draw(t, t->rows - 1);
		return;
	}
	strbuf_addc(&line, ' ');
	if (t->msg[0] != '\0') {
		tui_fit(&line, t->msg, t->cols - 2, false);
		tui_put(t->rows - 1, 0, t->cols, t->msg_error ? tui_attr(t, LOOK_ERROR) : A_BOLD,
		    strbuf_str(&line));
	} else {
		/* The hints come from the same tables as the keys; what the
		 * user's role forbids is not offered. */
		for (i = 0; i < 2; i++) {
			for (c = tables[i]; c->fn != NULL; c++) {
				if (c->hint == NULL || (c->action != TUI_ACT_NONE &&
				    !roles_may(t->ops.roles, c->action)))
					continue;
				if (line.len > 1)
					strbuf_adds(&line, "  ");
				strbuf_adds(&line, c->hint);
			}
		}
		tui_put(t->rows - 1, 0, t->cols, A_NORMAL, strbuf_str(&line));
	}
	strbuf_free(&line);
}

static void
paint(struct tui *t, int flags)
{
	struct strbuf info = STRBUF_INIT, line = STRBUF_INIT;

	if (flags & REDRAW_CLEAR)
		clearok(curscr, TRUE);
	if (t->too_small) {
		erase();
		tui_draw_too_small(t);
		curs_set(0);
		refresh();
		return;
	}
	if (flags & REDRAW_ALL) {
		erase();
		tui_draw_header(t);
	}
	if (flags & (REDRAW_ALL | REDRAW_LIST)) {
		t->cursor_y = t->cursor_x = -1;
		t->top->type->draw(t, t->top, TUI_BODY_Y, TUI_BODY_H(t), t->cols);
	}
	if (t->top->type->info != NULL)
		t->top->type->info(t, t->top, &info);
	strbuf_addc(&line, ' ');
	tui_fit(&line, strbuf_str(&info), t->cols - 2, false);
	tui_put(t->rows - 2, 0, t->cols, tui_attr(t, LOOK_INFO), strbuf_str(&line));
	draw_status(t); /* last: a prompt leaves the cursor in place */
	if (!t->prompt.active && !t->confirm.active && t->cursor_y >= 0)
		move(t->cursor_y, t->cursor_x); /* a form's field */
	curs_set(t->prompt.active || (!t->confirm.active && t->cursor_y >= 0) ? 1 : 0);
	refresh();
	strbuf_free(&info);
	strbuf_free(&line);
}

static void
run(struct tui *t)
{
	struct pollfd fds[4];
	int64_t last_check = tui_now_ms(), wait;
	int flags = REDRAW_ALL, r;
	wint_t wc;

	for (;;) {
		if (tui_signals_quit())
			break;
		if (tui_signals_winch())
			flags |= resize(t);
		while (!(flags & QUIT) && (r = wget_wch(stdscr, &wc)) != ERR)
			flags |= handle_key(t, r == KEY_CODE_YES ? TUI_FN((int)wc) : (int)wc);
		if (flags & QUIT)
			break;
		if (tui_now_ms() - last_check >= 1000) {
			last_check = tui_now_ms();
			flags |= check_data(t);
			if (!t->too_small && t->top->type->tick != NULL)
				flags |= t->top->type->tick(t, t->top);
		}
		flags |= tui_job_poll(t, t->job) | tui_job_poll(t, t->cmd);
		if (flags != 0) {
			flags |= sync_top(t);
			paint(t, flags);
			flags = 0;
		}
		wait = 1000 - (tui_now_ms() - last_check);
		fds[0].fd = STDIN_FILENO;
		fds[0].events = POLLIN;
		fds[1].fd = tui_signals_fd();
		fds[1].events = POLLIN;
		fds[2].fd = tui_job_fd(t->job); /* -1: poll skips it */
		fds[2].events = POLLIN;
		fds[3].fd = tui_job_fd(t->cmd);
		fds[3].events = POLLIN;
		fds[0].revents = fds[1].revents = fds[2].revents = fds[3].revents = 0;
		r = poll(fds, 4, wait < 0 ? 0 : (int)wait);
		if (r < 0 && errno != EINTR)
			fatal("poll: %s", strerror(errno));
		if (fds[1].revents & POLLIN)
			tui_signals_drain();
		/* The terminal went away: nothing more will come. */
		if ((fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)) &&
		    !(fds[0].revents & POLLIN))
			break;
	}
}

static int
refuse(struct tui *t, enum cd_status st)
{
	struct strbuf b = STRBUF_INIT;

	text_sanitize(&b, t->err.msg, strlen(t->err.msg));
	fprintf(stderr, "celldesk: %s\n", strbuf_str(&b));
	strbuf_free(&b);
	return (int)st;
}

int
tui_main(const char *db_arg)
{
	struct tui t;
	enum cd_status st;
	char *path = NULL;
	SCREEN *scr;

	memset(&t, 0, sizeof t);
	t.db_arg = db_arg;
	if ((st = ops_db_path(db_arg, &path, &t.err)) != CD_OK)
		return refuse(&t, st);
	st = ops_open(&t.ops, path, OPS_OPEN_USE, &t.err);
	free(path);
	if (st != CD_OK)
		return refuse(&t, st);
	if ((st = ops_require(&t.ops, ACT_PATIENT_VIEW, &t.err)) != CD_OK) {
		ops_close(&t.ops);
		return refuse(&t, st);
	}
	if (!tui_signals_start()) {
		ops_close(&t.ops);
		cd_fail(&t.err, CD_EDATA, "cannot make a pipe: %s", strerror(errno));
		return refuse(&t, CD_EDATA);
	}
	if ((scr = newterm(NULL, stdout, stdin)) == NULL) {
		tui_signals_stop();
		ops_close(&t.ops);
		cd_fail(&t.err, CD_EDATA, "cannot drive this terminal (TERM=%.40s)",
		    getenv("TERM") != NULL ? getenv("TERM") : "");
		return refuse(&t, CD_EDATA);
	}
	fatal_set_hook(restore_terminal);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	/* A lone Esc is told from an arrow key's sequence by waiting; a
	 * sequence arrives in one packet even over SSH, so 25 ms is enough. */
	set_escdelay(25);
	curs_set(0);
	tui_colours_start(&t);
	geometry(&t);
	t.data_version = db_data_version(t.ops.db);
	t.cursor_y = t.cursor_x = -1;
	t.tab = tui_tab_first(&t);
	tui_push(&t, t.tab->open(&t));

	run(&t);

	while (t.top != NULL) {
		struct tui_screen *s = t.top;

		t.top = s->below;
		s->type->free(s);
	}
	tui_prompt_free(&t.prompt);
	free(t.cmd_text);
	endwin();
	delscreen(scr);
	tui_job_detach(&t);
	fatal_set_hook(NULL);
	tui_signals_stop();
	ops_close(&t.ops);
	return 0;
}
