/* bench_tui.c - the full-screen interface's figures for make bench:
 * the real celldesk program driven through a pseudo-terminal (forkpty)
 * of 100x30 with TERM=xterm-256color and LC_ALL=C.UTF-8, as a user at a
 * terminal would see it.
 *
 * Usage: bench_tui CELLDESK DB [SCENARIO...]
 *
 * - first complete screen: from the exec of celldesk (a close-on-exec
 *   pipe says when it happened) to the last byte of the first burst of
 *   output, the burst counting as complete once the header (row 0 says
 *   "celldesk") and the bottom line (the status hints) are on the screen
 *   and no byte came for QUIET_MS; the quiet wait itself is not counted.
 *   BENCH_TUI_STARTS (default 10) starts, each quit with q.
 * - navigation keys, in one more session, scenario by scenario: the tab
 *   key first; a scenario whose header text does not then show is
 *   skipped as "not available" (a screen that does not exist yet). Then
 *   each key is written BENCH_TUI_RUNS (default 50) times; a key's time
 *   is from its write to the last byte of what it made the program print
 *   (read with poll until QUIET_MS of silence), with that output's size.
 * - peak memory: the child's ru_maxrss from wait4 after q.
 *
 * BENCH_TUI_TRACE=FILE writes every byte the sessions printed to FILE,
 * each key's output after a line "=== key NAME". BENCH_TUI_VERBOSE=1
 * prints each key's time, size and the screen's header to stderr.
 *
 * A SCENARIO is NAME:TAB:HEADER:KEYS, KEYS a comma-separated list of
 * keys or key sequences joined by '+' (each key timed on its own),
 * each optionally followed by *N (else BENCH_TUI_RUNS times). Keys are
 * single characters or the names j k PgDn PgUp Enter Esc Up Down Left
 * Right Home End Tab Space. Example:
 *   "patients:2:celldesk — patients:j,k,PgDn,Enter+Esc"
 *
 * The output is parsed by a small virtual terminal (the ECMA-48 and
 * xterm sequences curses sends), so finding text does not depend on
 * how curses chose to move the cursor; the output is streamed through
 * it, however large. Figures are printed as a table with the targets
 * (issue 5) and pass or MISS; the exit status is 0 whatever the figures
 * (1 only when the benchmark could not run). On any error, and on
 * SIGINT/SIGTERM/SIGHUP, the child is asked to stop (SIGTERM), then
 * killed (SIGKILL) if it has not within a second, and reaped. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>
#if defined(HAVE_PTY_H)
#include <pty.h>
#elif defined(HAVE_UTIL_H)
#include <util.h>
#elif defined(HAVE_LIBUTIL_H)
#include <libutil.h>
#endif

enum {
	ROWS = 30,
	COLS = 100,
	QUIET_MS = 100,         /* silence that ends a burst of output */
	START_TIMEOUT_MS = 20000, /* for the first screen */
	KEY_TIMEOUT_MS = 5000,  /* for a key's first byte */
	BURST_MAX_MS = 10000,   /* for a burst of output to end */
	MAX_STEPS = 32,
	MAX_SEQ = 8,
	MAX_SCENARIOS = 16
};

/* Issue 5's targets. */
#define TARGET_FIRST_MS 50.0
#define TARGET_KEY_MS 5.0
#define TARGET_KEY_BYTES 2048
#define TARGET_RSS_KIB 31250L /* 32 MB */

static const char *const default_scenarios[] = {
	"patients:2:celldesk \xE2\x80\x94 patients:j,k,PgDn,Enter+Esc",
	"agenda:1:celldesk \xE2\x80\x94 agenda:l",
	"lots:4:celldesk \xE2\x80\x94 lots:j",
};

/* --- time --- */
static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* --- a virtual terminal: enough of xterm to know what is on screen --- */
struct vt {
	char cell[ROWS][COLS][5]; /* a character's UTF-8 bytes; "" after a wide one */
	int y, x, top, bot, saved_y, saved_x;
	bool wrap_pending;
	enum { GROUND, ESCAPE, CSI, STRING, STRING_ESC, CHARSET } state;
	int params[16], nparams;
	bool private_mark;
	char utf8[4];
	int utf8_have, utf8_need;
	char last[5]; /* for REP */
};

static void
vt_blank(struct vt *v, int y, int x0, int x1)
{
	int x;

	for (x = x0; x < x1 && x < COLS; x++)
		strcpy(v->cell[y][x], " ");
}

static void
vt_reset(struct vt *v)
{
	int y;

	memset(v, 0, sizeof *v);
	for (y = 0; y < ROWS; y++)
		vt_blank(v, y, 0, COLS);
	v->bot = ROWS - 1;
	strcpy(v->last, " ");
}

/* Rows top..bot move up by n (down when n < 0); the gap is blank. */
static void
vt_scroll(struct vt *v, int top, int bot, int n)
{
	int y;

	if (top > bot)
		return;
	if (n > bot - top + 1)
		n = bot - top + 1;
	if (n < -(bot - top + 1))
		n = -(bot - top + 1);
	if (n > 0) {
		for (y = top; y <= bot - n; y++)
			memcpy(v->cell[y], v->cell[y + n], sizeof v->cell[y]);
		for (y = bot - n + 1; y <= bot; y++)
			vt_blank(v, y, 0, COLS);
	} else if (n < 0) {
		n = -n;
		for (y = bot; y >= top + n; y--)
			memcpy(v->cell[y], v->cell[y - n], sizeof v->cell[y]);
		for (y = top; y < top + n; y++)
			vt_blank(v, y, 0, COLS);
	}
}

static void
vt_index(struct vt *v)
{
	if (v->y == v->bot)
		vt_scroll(v, v->top, v->bot, 1);
	else if (v->y < ROWS - 1)
		v->y++;
}

static int
clampi(int n, int lo, int hi)
{
	return n < lo ? lo : n > hi ? hi : n;
}

static void
vt_put(struct vt *v, const char *bytes, int len)
{
	uint32_t cp = 0;
	wchar_t wc;
	int w, i;

	if (len == 1)
		cp = (unsigned char)bytes[0];
	else if (len == 2)
		cp = (uint32_t)(bytes[0] & 0x1f) << 6 | (bytes[1] & 0x3f);
	else if (len == 3)
		cp = (uint32_t)(bytes[0] & 0x0f) << 12 | (uint32_t)(bytes[1] & 0x3f) << 6 |
		    (bytes[2] & 0x3f);
	else
		cp = (uint32_t)(bytes[0] & 0x07) << 18 | (uint32_t)(bytes[1] & 0x3f) << 12 |
		    (uint32_t)(bytes[2] & 0x3f) << 6 | (bytes[3] & 0x3f);
	wc = (wchar_t)cp;
	w = wcwidth(wc);
	if (w == 0)
		return; /* a combining mark: the base character stands for it */
	if (w < 0 || w > 2)
		w = 1;
	if (v->wrap_pending || v->x + w > COLS) {
		v->x = 0;
		vt_index(v);
		v->wrap_pending = false;
	}
	memcpy(v->cell[v->y][v->x], bytes, (size_t)len);
	v->cell[v->y][v->x][len] = '\0';
	memcpy(v->last, bytes, (size_t)len);
	v->last[len] = '\0';
	for (i = 1; i < w; i++)
		v->cell[v->y][v->x + i][0] = '\0';
	v->x += w;
	if (v->x >= COLS) {
		v->x = COLS - 1;
		v->wrap_pending = true;
	}
}

static int
param(const struct vt *v, int i, int dflt)
{
	return i < v->nparams && v->params[i] > 0 ? v->params[i] : dflt;
}

static void
vt_csi(struct vt *v, char final)
{
	int n = param(v, 0, 1), y, x;

	if (v->private_mark)
		return; /* modes (?1049h and the like): nothing on the screen */
	v->wrap_pending = false;
	switch (final) {
	case 'H':
	case 'f':
		v->y = clampi(param(v, 0, 1) - 1, 0, ROWS - 1);
		v->x = clampi(param(v, 1, 1) - 1, 0, COLS - 1);
		break;
	case 'A': v->y = clampi(v->y - n, 0, ROWS - 1); break;
	case 'B': v->y = clampi(v->y + n, 0, ROWS - 1); break;
	case 'C': v->x = clampi(v->x + n, 0, COLS - 1); break;
	case 'D': v->x = clampi(v->x - n, 0, COLS - 1); break;
	case 'E': v->y = clampi(v->y + n, 0, ROWS - 1); v->x = 0; break;
	case 'F': v->y = clampi(v->y - n, 0, ROWS - 1); v->x = 0; break;
	case 'G': case '`': v->x = clampi(n - 1, 0, COLS - 1); break;
	case 'd': v->y = clampi(n - 1, 0, ROWS - 1); break;
	case 'J':
		n = param(v, 0, 0);
		if (n == 0) {
			vt_blank(v, v->y, v->x, COLS);
			for (y = v->y + 1; y < ROWS; y++)
				vt_blank(v, y, 0, COLS);
		} else if (n == 1) {
			for (y = 0; y < v->y; y++)
				vt_blank(v, y, 0, COLS);
			vt_blank(v, v->y, 0, v->x + 1);
		} else {
			for (y = 0; y < ROWS; y++)
				vt_blank(v, y, 0, COLS);
		}
		break;
	case 'K':
		n = param(v, 0, 0);
		vt_blank(v, v->y, n == 0 ? v->x : 0, n == 1 ? v->x + 1 : COLS);
		break;
	case 'X': vt_blank(v, v->y, v->x, v->x + n); break;
	case '@':
		n = clampi(n, 0, COLS - v->x);
		for (x = COLS - 1; x >= v->x + n; x--)
			memcpy(v->cell[v->y][x], v->cell[v->y][x - n], 5);
		vt_blank(v, v->y, v->x, v->x + n);
		break;
	case 'P':
		n = clampi(n, 0, COLS - v->x);
		for (x = v->x; x < COLS - n; x++)
			memcpy(v->cell[v->y][x], v->cell[v->y][x + n], 5);
		vt_blank(v, v->y, COLS - n, COLS);
		break;
	case 'L':
		if (v->y >= v->top && v->y <= v->bot)
			vt_scroll(v, v->y, v->bot, -n);
		break;
	case 'M':
		if (v->y >= v->top && v->y <= v->bot)
			vt_scroll(v, v->y, v->bot, n);
		break;
	case 'S': vt_scroll(v, v->top, v->bot, n); break;
	case 'T': vt_scroll(v, v->top, v->bot, -n); break;
	case 'r':
		v->top = clampi(param(v, 0, 1) - 1, 0, ROWS - 1);
		v->bot = clampi(param(v, 1, ROWS) - 1, v->top, ROWS - 1);
		v->y = v->x = 0;
		break;
	case 'b':
		for (; n > 0; n--)
			vt_put(v, v->last, (int)strlen(v->last));
		break;
	case 's': v->saved_y = v->y; v->saved_x = v->x; break;
	case 'u': v->y = v->saved_y; v->x = v->saved_x; break;
	default: break; /* SGR and the rest: no text */
	}
}

static void
vt_byte(struct vt *v, unsigned char c)
{
	switch (v->state) {
	case ESCAPE:
		v->state = GROUND;
		switch (c) {
		case '[':
			v->state = CSI;
			v->nparams = 0;
			v->params[0] = 0;
			v->private_mark = false;
			break;
		case ']': case 'P': case '_': case '^': v->state = STRING; break;
		case '(': case ')': case '*': case '+': v->state = CHARSET; break;
		case '7': v->saved_y = v->y; v->saved_x = v->x; break;
		case '8': v->y = v->saved_y; v->x = v->saved_x; v->wrap_pending = false; break;
		case 'D': vt_index(v); break;
		case 'E': v->x = 0; vt_index(v); break;
		case 'M':
			if (v->y == v->top)
				vt_scroll(v, v->top, v->bot, -1);
			else if (v->y > 0)
				v->y--;
			break;
		case 'c': vt_reset(v); break;
		default: break;
		}
		return;
	case CSI:
		if (c >= '0' && c <= '9') {
			if (v->nparams == 0)
				v->nparams = 1;
			if (v->params[v->nparams - 1] < 10000)
				v->params[v->nparams - 1] = v->params[v->nparams - 1] * 10 + (c - '0');
		} else if (c == ';' || c == ':') {
			if (v->nparams == 0)
				v->nparams = 1;
			if (v->nparams < 16)
				v->params[v->nparams++] = 0;
		} else if (c == '?' || c == '>' || c == '=' || c == '<') {
			v->private_mark = true;
		} else if (c >= 0x40 && c <= 0x7e) {
			v->state = GROUND;
			vt_csi(v, (char)c);
		} else if (c < 0x20 || c > 0x7e) {
			v->state = GROUND; /* malformed: drop it */
		}
		return;
	case STRING:
		if (c == 0x07)
			v->state = GROUND;
		else if (c == 0x1b)
			v->state = STRING_ESC;
		return;
	case STRING_ESC:
		v->state = c == '\\' ? GROUND : STRING;
		return;
	case CHARSET:
		v->state = GROUND;
		return;
	case GROUND:
		break;
	}
	if (v->utf8_need > 0) {
		if ((c & 0xc0) == 0x80) {
			v->utf8[v->utf8_have++] = (char)c;
			if (v->utf8_have == v->utf8_need) {
				vt_put(v, v->utf8, v->utf8_have);
				v->utf8_need = 0;
			}
			return;
		}
		v->utf8_need = 0; /* cut short: drop it, take c afresh */
	}
	if (c >= 0xc2 && c <= 0xf4) {
		v->utf8[0] = (char)c;
		v->utf8_have = 1;
		v->utf8_need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
		return;
	}
	if (c >= 0x80)
		return;
	switch (c) {
	case 0x1b: v->state = ESCAPE; break;
	case '\r': v->x = 0; v->wrap_pending = false; break;
	case '\n': case '\v': case '\f': vt_index(v); v->wrap_pending = false; break;
	case '\b':
		if (v->x > 0)
			v->x--;
		v->wrap_pending = false;
		break;
	case '\t': v->x = clampi((v->x / 8 + 1) * 8, 0, COLS - 1); break;
	default:
		if (c >= 0x20 && c < 0x7f)
			vt_put(v, (const char *)&c, 1);
		break;
	}
}

static void
vt_feed(struct vt *v, const char *buf, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		vt_byte(v, (unsigned char)buf[i]);
}

/* Row y as text, trailing blanks cut. */
static void
vt_row(const struct vt *v, int y, char *out, size_t size)
{
	size_t len = 0, k, end = 0;
	int x;

	for (x = 0; x < COLS; x++) {
		k = strlen(v->cell[y][x]);
		if (len + k + 1 > size)
			break;
		memcpy(out + len, v->cell[y][x], k);
		len += k;
		if (k > 0 && strcmp(v->cell[y][x], " ") != 0)
			end = len;
	}
	out[end] = '\0';
}

/* Row y as vt_row gives it, without its leading blanks and with each
 * run of blanks made two: a header fit for a line of the report. */
static void
vt_row_short(const struct vt *v, int y, char *out, size_t size)
{
	char row[COLS * 4 + 1];
	const char *r = row;
	size_t len = 0;
	int blanks = 0;

	vt_row(v, y, row, sizeof row);
	while (*r == ' ')
		r++;
	for (; *r != '\0' && len + 1 < size; r++) {
		blanks = *r == ' ' ? blanks + 1 : 0;
		if (blanks <= 2)
			out[len++] = *r;
	}
	out[len] = '\0';
}

static bool
vt_row_has(const struct vt *v, int y, const char *text)
{
	char row[COLS * 4 + 1];

	vt_row(v, y, row, sizeof row);
	return strstr(row, text) != NULL;
}

/* The first screen is drawn: the header and the bottom (status) line. */
static bool
vt_complete(const struct vt *v)
{
	char row[COLS * 4 + 1];

	vt_row(v, ROWS - 1, row, sizeof row);
	return vt_row_has(v, 0, "celldesk") && row[0] != '\0';
}

/* --- the child in its pseudo-terminal --- */
struct child {
	pid_t pid;
	int fd;
	struct vt vt;
	double exec_ms, last_byte_ms;
	size_t bytes;
	bool eof, reaped;
	int status;
	long maxrss_kib;
};

static volatile pid_t running = -1; /* for the signal handler */
static FILE *trace;                  /* BENCH_TUI_TRACE */
static bool verbose;                 /* BENCH_TUI_VERBOSE */

static void
reap(struct child *c, bool block)
{
	struct rusage ru;
	pid_t r;

	if (c->reaped || c->pid <= 0)
		return;
	memset(&ru, 0, sizeof ru);
	do
		r = wait4(c->pid, &c->status, block ? 0 : WNOHANG, &ru);
	while (r < 0 && errno == EINTR);
	if (r == c->pid || (r < 0 && errno == ECHILD)) {
		c->reaped = true;
		c->maxrss_kib = ru.ru_maxrss; /* KiB on Linux */
		running = -1;
	}
}

/* Reads what is there, without waiting. False at the end of output. */
static bool
drain(struct child *c)
{
	char buf[65536];
	ssize_t n;

	for (;;) {
		n = read(c->fd, buf, sizeof buf);
		if (n > 0) {
			c->last_byte_ms = now_ms();
			c->bytes += (size_t)n;
			vt_feed(&c->vt, buf, (size_t)n);
			if (trace != NULL)
				fwrite(buf, 1, (size_t)n, trace);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return true;
		c->eof = true; /* 0, or EIO: the slave side is closed */
		return false;
	}
}

/* Waits up to ms for output and reads it; false at the end of output. */
static bool
pump(struct child *c, double ms)
{
	struct pollfd p;
	int r;

	if (c->eof)
		return false;
	p.fd = c->fd;
	p.events = POLLIN;
	p.revents = 0;
	r = poll(&p, 1, ms <= 0 ? 0 : (int)(ms + 0.999));
	if (r < 0 && errno != EINTR)
		return false;
	if (r > 0)
		return drain(c);
	return true;
}

/* Reads until QUIET_MS pass with no byte (counted from the last byte,
 * or from `since` before any) or wait_ms (at least QUIET_MS) pass with
 * none at all. False
 * when the output never paused within BURST_MAX_MS of `since` (a
 * program drawing without end). */
static bool
settle(struct child *c, double since, double wait_ms)
{
	size_t before = c->bytes;
	double left;

	for (;;) {
		if (c->bytes > before)
			left = c->last_byte_ms + QUIET_MS - now_ms();
		else
			left = since + (wait_ms > QUIET_MS ? wait_ms : QUIET_MS) - now_ms();
		if (left <= 0 || !pump(c, left))
			return true;
		if (now_ms() - since > BURST_MAX_MS) {
			fprintf(stderr, "bench_tui: the output did not pause for %d ms within %d ms"
			    " (%zu bytes so far)\n", QUIET_MS, BURST_MAX_MS, c->bytes - before);
			return false;
		}
	}
}

/* Stops the child: TERM, a second to go (its output read meanwhile so
 * it is not stuck writing), then KILL; always reaped. */
static void
stop(struct child *c)
{
	double t0;

	if (c->pid <= 0 || c->reaped)
		goto out;
	reap(c, false);
	if (!c->reaped) {
		kill(c->pid, SIGTERM);
		t0 = now_ms();
		while (!c->reaped && now_ms() - t0 < 1000) {
			pump(c, 50);
			reap(c, false);
		}
		if (!c->reaped) {
			kill(c->pid, SIGKILL);
			reap(c, true);
		}
	}
out:
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

/* q, then the output to its end and the exit (wait4 gives the peak
 * memory). False when the child would not go (it is then killed). */
static bool
quit(struct child *c)
{
	double t0 = now_ms();
	ssize_t r;

	do
		r = write(c->fd, "q", 1);
	while (r < 0 && errno == EINTR);
	while (!c->eof && now_ms() - t0 < 5000)
		pump(c, 100);
	if (c->eof) {
		reap(c, true);
		close(c->fd);
		c->fd = -1;
		return true;
	}
	stop(c);
	return false;
}

static void
on_signal(int sig)
{
	pid_t pid = running;

	if (pid > 0) {
		struct timespec pause = { 0, 200000000 };

		kill(pid, SIGTERM);
		nanosleep(&pause, NULL);
		kill(pid, SIGKILL);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Starts celldesk --db DB in a new pseudo-terminal of ROWS x COLS;
 * forkpty sets that size on it (TIOCSWINSZ) before the child runs. */
static bool
start(struct child *c, const char *celldesk, const char *db)
{
	struct winsize ws;
	int p[2], err = 0, flags;
	ssize_t n;

	memset(c, 0, sizeof *c);
	c->fd = -1;
	vt_reset(&c->vt);
	memset(&ws, 0, sizeof ws);
	ws.ws_row = ROWS;
	ws.ws_col = COLS;
	if (pipe(p) != 0) {
		perror("bench_tui: pipe");
		return false;
	}
	fcntl(p[0], F_SETFD, FD_CLOEXEC);
	fcntl(p[1], F_SETFD, FD_CLOEXEC);
	c->pid = forkpty(&c->fd, NULL, NULL, &ws);
	if (c->pid < 0) {
		perror("bench_tui: forkpty");
		close(p[0]);
		close(p[1]);
		return false;
	}
	if (c->pid == 0) {
		close(p[0]);
		setenv("TERM", "xterm-256color", 1);
		setenv("LC_ALL", "C.UTF-8", 1);
		unsetenv("LINES");
		unsetenv("COLUMNS");
		unsetenv("ESCDELAY");
		execl(celldesk, celldesk, "--db", db, (char *)NULL);
		err = errno;
		n = write(p[1], &err, sizeof err);
		(void)n;
		_exit(127);
	}
	running = c->pid;
	close(p[1]);
	do
		n = read(p[0], &err, sizeof err);
	while (n < 0 && errno == EINTR);
	c->exec_ms = now_ms();
	close(p[0]);
	if (n > 0) {
		fprintf(stderr, "bench_tui: cannot run %s: %s\n", celldesk, strerror(err));
		stop(c);
		return false;
	}
	flags = fcntl(c->fd, F_GETFL);
	fcntl(c->fd, F_SETFL, flags | O_NONBLOCK);
	return true;
}

/* What the virtual terminal shows, to its last line with text. */
static void
show_screen(const struct child *c, FILE *f)
{
	char row[COLS * 4 + 1];
	int y, last = 0;

	for (y = 0; y < ROWS; y++) {
		vt_row(&c->vt, y, row, sizeof row);
		if (row[0] != '\0')
			last = y;
	}
	for (y = 0; y <= last; y++) {
		vt_row(&c->vt, y, row, sizeof row);
		fprintf(f, "   | %s\n", row);
	}
}

/* Waits for the first complete screen; its time from exec, or -1 (the
 * child is then stopped, what it showed printed). */
static double
first_screen(struct child *c)
{
	while (!vt_complete(&c->vt) && now_ms() - c->exec_ms < START_TIMEOUT_MS) {
		if (!pump(c, START_TIMEOUT_MS - (now_ms() - c->exec_ms)))
			break;
	}
	if (!vt_complete(&c->vt)) {
		reap(c, c->eof);
		fprintf(stderr, "bench_tui: no first screen %s; it shows:\n",
		    c->eof ? "(celldesk ended)" : "within the time allowed");
		show_screen(c, stderr);
		if (c->reaped && WIFEXITED(c->status))
			fprintf(stderr, "bench_tui: celldesk exited with status %d\n",
			    WEXITSTATUS(c->status));
		stop(c);
		return -1;
	}
	if (!settle(c, c->last_byte_ms, 0)) {
		stop(c);
		return -1;
	}
	return c->last_byte_ms - c->exec_ms;
}

/* --- keys and scenarios --- */
static const struct {
	const char *name, *bytes;
} key_names[] = {
	{ "PgDn", "\033[6~" }, { "PgUp", "\033[5~" }, { "Enter", "\r" }, { "Esc", "\033" },
	/* keypad (application) mode, which curses turns on */
	{ "Up", "\033OA" }, { "Down", "\033OB" }, { "Right", "\033OC" }, { "Left", "\033OD" },
	{ "Home", "\033OH" }, { "End", "\033OF" }, { "Tab", "\t" }, { "Space", " " },
};

static const char *
key_bytes(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof key_names / sizeof key_names[0]; i++) {
		if (strcmp(key_names[i].name, name) == 0)
			return key_names[i].bytes;
	}
	if (strlen(name) == 1 && (unsigned char)name[0] >= 0x20 && (unsigned char)name[0] < 0x7f)
		return name;
	return NULL;
}

struct key_stats {
	char name[32];
	double *ms;
	int n, silent; /* runs timed; runs with no output */
	size_t max_bytes, total_bytes;
};

struct step {
	int nkeys, runs;
	struct key_stats *keys[MAX_SEQ];
};

struct scenario {
	char *spec, *name, *tab, *header;
	int nsteps;
	struct step steps[MAX_STEPS];
	bool ran, available;
	char shown[COLS * 4 + 1]; /* the header seen instead, when not available */
};

static void
fail_spec(const char *spec, const char *why)
{
	fprintf(stderr, "bench_tui: scenario \"%s\": %s\n", spec, why);
	fprintf(stderr, "  a scenario is NAME:TAB:HEADER:KEY[+KEY...][*N],...\n");
	exit(1);
}

static struct key_stats *
new_key(const char *name, int runs)
{
	struct key_stats *k = calloc(1, sizeof *k);

	if (k == NULL || (k->ms = calloc((size_t)runs, sizeof *k->ms)) == NULL) {
		fprintf(stderr, "bench_tui: out of memory\n");
		exit(1);
	}
	snprintf(k->name, sizeof k->name, "%s", name);
	return k;
}

static void
free_scenario(struct scenario *s)
{
	int i, j;

	for (i = 0; i < s->nsteps; i++) {
		for (j = 0; j < s->steps[i].nkeys; j++) {
			free(s->steps[i].keys[j]->ms);
			free(s->steps[i].keys[j]);
		}
	}
	free(s->spec);
}

static void
parse_scenario(struct scenario *s, const char *text, int runs)
{
	char *item, *star, *key, *save_item = NULL, *save_key = NULL, *keys, *end;
	struct step *st;
	long n;

	memset(s, 0, sizeof *s);
	if ((s->spec = strdup(text)) == NULL) {
		fprintf(stderr, "bench_tui: out of memory\n");
		exit(1);
	}
	s->name = s->spec;
	if ((s->tab = strchr(s->name, ':')) == NULL)
		fail_spec(text, "no TAB");
	*s->tab++ = '\0';
	if ((s->header = strchr(s->tab, ':')) == NULL)
		fail_spec(text, "no HEADER");
	*s->header++ = '\0';
	if ((keys = strchr(s->header, ':')) == NULL)
		fail_spec(text, "no KEYS");
	*keys++ = '\0';
	if (s->tab[0] != '\0' && key_bytes(s->tab) == NULL)
		fail_spec(text, "unknown TAB key");
	for (item = strtok_r(keys, ",", &save_item); item != NULL;
	    item = strtok_r(NULL, ",", &save_item)) {
		if (s->nsteps == MAX_STEPS)
			fail_spec(text, "too many keys");
		st = &s->steps[s->nsteps++];
		st->runs = runs;
		if ((star = strrchr(item, '*')) != NULL && star != item) {
			*star++ = '\0';
			n = strtol(star, &end, 10);
			if (*end != '\0' || n < 1 || n > 100000)
				fail_spec(text, "a count (*N) is not a number from 1");
			st->runs = (int)n;
		}
		for (key = strtok_r(item, "+", &save_key); key != NULL;
		    key = strtok_r(NULL, "+", &save_key)) {
			if (st->nkeys == MAX_SEQ)
				fail_spec(text, "too many keys joined by +");
			if (key_bytes(key) == NULL)
				fail_spec(text, "unknown key name");
			st->keys[st->nkeys++] = new_key(key, st->runs);
		}
		if (st->nkeys == 0)
			fail_spec(text, "an empty key");
	}
	if (s->nsteps == 0)
		fail_spec(text, "no keys");
}

/* Writes a key and reads what it makes the program print. */
static bool
press(struct child *c, const char *name, double *ms, size_t *bytes)
{
	const char *b = key_bytes(name);
	size_t len = strlen(b), done = 0, before = c->bytes;
	double t0;
	ssize_t r;

	if (trace != NULL)
		fprintf(trace, "\n=== key %s\n", name);
	t0 = now_ms();
	while (done < len) {
		r = write(c->fd, b + done, len - done);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			fprintf(stderr, "bench_tui: writing key %s: %s\n", name, strerror(errno));
			return false;
		}
		done += (size_t)r;
	}
	if (!settle(c, t0, KEY_TIMEOUT_MS))
		return false;
	*bytes = c->bytes - before;
	*ms = *bytes > 0 ? c->last_byte_ms - t0 : -1;
	if (verbose) {
		char head[COLS * 4 + 1];

		vt_row_short(&c->vt, 0, head, sizeof head);
		fprintf(stderr, "key %-6s %8.2f ms %6zu bytes  %s\n", name, *ms, *bytes, head);
	}
	if (c->eof) {
		fprintf(stderr, "bench_tui: celldesk ended after key %s; it showed:\n", name);
		show_screen(c, stderr);
		return false;
	}
	return true;
}

static bool
run_scenario(struct child *c, struct scenario *s)
{
	struct step *st;
	struct key_stats *k;
	double ms;
	size_t bytes;
	int i, r, j;

	s->ran = true;
	if (s->tab[0] != '\0' && !press(c, s->tab, &ms, &bytes))
		return false;
	s->available = vt_row_has(&c->vt, 0, s->header);
	if (!s->available) {
		vt_row_short(&c->vt, 0, s->shown, sizeof s->shown);
		return true;
	}
	for (i = 0; i < s->nsteps; i++) {
		st = &s->steps[i];
		for (r = 0; r < st->runs; r++) {
			for (j = 0; j < st->nkeys; j++) {
				k = st->keys[j];
				if (!press(c, k->name, &ms, &bytes))
					return false;
				if (ms < 0) {
					k->silent++;
					continue;
				}
				k->ms[k->n++] = ms;
				k->total_bytes += bytes;
				if (bytes > k->max_bytes)
					k->max_bytes = bytes;
			}
		}
	}
	return true;
}

/* --- figures --- */
static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Sorts t[0..n); the median (the lower of an even count, as bench.sh)
 * and the 95th percentile (nearest rank). */
static void
summary(double *t, int n, double *median, double *p95)
{
	int k;

	qsort(t, (size_t)n, sizeof *t, cmp_double);
	*median = t[(n + 1) / 2 - 1];
	k = (95 * n + 99) / 100;
	*p95 = t[(k < 1 ? 1 : k) - 1];
}

static void
row(const char *figure, const char *runs, const char *median, const char *p95,
    const char *bytes, const char *target, const char *verdict)
{
	printf("  %-34s %5s %9s %9s %9s  %-22s %s\n", figure, runs, median, p95, bytes, target,
	    verdict);
}

static int misses;

static const char *
verdict(bool ok, const char *why)
{
	static char buf[64];

	if (ok)
		return "pass";
	misses++;
	snprintf(buf, sizeof buf, "MISS%s%s", why[0] ? " " : "", why);
	return buf;
}

static void
key_row(const char *scenario, const struct key_stats *k)
{
	char fig[64], runs[16], med[16], p95s[16], bytes[16], why[32];
	double median, p95;
	bool slow, big;

	snprintf(fig, sizeof fig, "%s: %s", scenario, k->name);
	if (k->n == 0) {
		snprintf(runs, sizeof runs, "%d", k->silent);
		row(fig, runs, "-", "-", "0", "", "(no output: the key did nothing)");
		return;
	}
	summary(k->ms, k->n, &median, &p95);
	snprintf(runs, sizeof runs, "%d", k->n);
	snprintf(med, sizeof med, "%.2f", median);
	snprintf(p95s, sizeof p95s, "%.2f", p95);
	snprintf(bytes, sizeof bytes, "%zu", k->max_bytes);
	slow = p95 > TARGET_KEY_MS;
	big = k->max_bytes >= TARGET_KEY_BYTES;
	snprintf(why, sizeof why, "(%s%s%s)", slow ? "time" : "", slow && big ? ", " : "",
	    big ? "bytes" : "");
	row(fig, runs, med, p95s, bytes, "p95 <= 5 ms, < 2 KB", verdict(!slow && !big, why));
	if (k->silent > 0)
		printf("  %-34s (%d more runs printed nothing)\n", "", k->silent);
	if (strcmp(k->name, "Esc") == 0 && slow)
		printf("  %-34s (a lone Esc is known only when ESCDELAY has passed with no\n"
		    "  %-34s  more bytes: see set_escdelay in src/tui/tui.c)\n", "", "");
}

static int
env_int(const char *name, int dflt)
{
	const char *v = getenv(name);
	char *end;
	long n;

	if (v == NULL || v[0] == '\0')
		return dflt;
	n = strtol(v, &end, 10);
	if (*end != '\0' || n < 1 || n > 100000) {
		fprintf(stderr, "bench_tui: %s=%s is not a count; using %d\n", name, v, dflt);
		return dflt;
	}
	return (int)n;
}

/* The table of figures, with the targets and pass or MISS. */
static void
report(struct scenario *scen, int nscen, double *first, int n_first, size_t first_bytes,
    const char *first_row, long maxrss_kib, long start_rss)
{
	char s1[32], s2[32], s3[32], s4[32];
	double median, p95, t;
	int i, j, k;

	printf("  it starts on: %s\n\n", first_row);
	row("figure", "runs", "median ms", "p95 ms", "max bytes", "target", "");
	t = first[0];
	summary(first, n_first, &median, &p95);
	snprintf(s1, sizeof s1, "%d", n_first);
	snprintf(s2, sizeof s2, "%.2f", median);
	snprintf(s3, sizeof s3, "%.2f", p95);
	snprintf(s4, sizeof s4, "%zu", first_bytes);
	row("first complete screen", s1, s2, s3, s4, "median <= 50 ms",
	    verdict(median <= TARGET_FIRST_MS, "(time)"));
	printf("  %-34s (the first start: %.2f ms; the slowest: %.2f ms)\n", "", t,
	    first[n_first - 1]);
	for (i = 0; i < nscen; i++) {
		if (!scen[i].ran) {
			printf("  %-34s not run\n", scen[i].name);
			continue;
		}
		if (!scen[i].available) {
			printf("  %-34s not available: key %s shows \"%s\", not \"%s\"\n",
			    scen[i].name, scen[i].tab, scen[i].shown, scen[i].header);
			continue;
		}
		for (j = 0; j < scen[i].nsteps; j++) {
			for (k = 0; k < scen[i].steps[j].nkeys; k++)
				key_row(scen[i].name, scen[i].steps[j].keys[k]);
		}
	}
	snprintf(s4, sizeof s4, "%ld KiB", maxrss_kib);
	row("peak memory, after every key", "1", "", "", s4, "< 32 MB (31250 KiB)",
	    verdict(maxrss_kib < TARGET_RSS_KIB, "(memory)"));
	snprintf(s4, sizeof s4, "%ld KiB", start_rss);
	snprintf(s1, sizeof s1, "%d", n_first);
	row("peak memory, a start and q", s1, "", "", s4, "< 32 MB (31250 KiB)",
	    verdict(start_rss < TARGET_RSS_KIB, "(memory)"));
	if (misses > 0)
		printf("\n  MISS: %d figure%s above miss%s issue 5's target%s\n", misses,
		    misses == 1 ? "" : "s", misses == 1 ? "es" : "", misses == 1 ? "" : "s");
	else
		printf("\n  every figure meets its target\n");
}

int
main(int argc, char **argv)
{
	struct scenario scen[MAX_SCENARIOS];
	struct child c;
	struct sigaction sa;
	const char *celldesk, *db;
	char first_row[COLS * 4 + 1] = "";
	int runs = env_int("BENCH_TUI_RUNS", 50), starts = env_int("BENCH_TUI_STARTS", 10);
	int nscen = 0, i, n_first = 0;
	double *first, t;
	long start_rss = 0;
	size_t first_bytes = 0;
	bool ok;

	if (argc < 3) {
		fprintf(stderr, "usage: bench_tui CELLDESK DB [NAME:TAB:HEADER:KEYS...]\n");
		return 1;
	}
	celldesk = argv[1];
	db = argv[2];
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		setlocale(LC_CTYPE, "");
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	for (i = 3; i < argc && nscen < MAX_SCENARIOS; i++)
		parse_scenario(&scen[nscen++], argv[i], runs);
	for (i = 0; argc == 3 && i < (int)(sizeof default_scenarios / sizeof default_scenarios[0]);
	    i++)
		parse_scenario(&scen[nscen++], default_scenarios[i], runs);
	if ((first = calloc((size_t)starts, sizeof *first)) == NULL) {
		fprintf(stderr, "bench_tui: out of memory\n");
		return 1;
	}
	verbose = getenv("BENCH_TUI_VERBOSE") != NULL && strcmp(getenv("BENCH_TUI_VERBOSE"), "0") != 0;
	if (getenv("BENCH_TUI_TRACE") != NULL && (trace = fopen(getenv("BENCH_TUI_TRACE"), "w")) == NULL)
		perror(getenv("BENCH_TUI_TRACE"));

	printf("  (%s --db %s in a %dx%d pseudo-terminal, TERM=xterm-256color LC_ALL=C.UTF-8;\n"
	    "   times to the last byte of the output, which ends at %d ms of silence)\n",
	    celldesk, db, COLS, ROWS, QUIET_MS);

	/* First screens, each in a process of its own. */
	ok = true;
	for (i = 0; ok && i < starts; i++) {
		if (!start(&c, celldesk, db) || (t = first_screen(&c)) < 0) {
			ok = false;
			break;
		}
		first[n_first++] = t;
		if (i == 0) {
			first_bytes = c.bytes;
			vt_row_short(&c.vt, 0, first_row, sizeof first_row);
		}
		if (!(ok = quit(&c)))
			fprintf(stderr, "bench_tui: celldesk did not quit on q; killed\n");
		if (c.maxrss_kib > start_rss)
			start_rss = c.maxrss_kib;
	}

	/* The keys, in one session. */
	if (ok && (!start(&c, celldesk, db) || first_screen(&c) < 0))
		ok = false;
	else if (ok) {
		for (i = 0; ok && i < nscen; i++)
			ok = run_scenario(&c, &scen[i]);
		if (!ok)
			stop(&c);
		else if (!(ok = quit(&c)))
			fprintf(stderr, "bench_tui: celldesk did not quit on q; killed\n");
	}
	if (n_first > 0) {
		report(scen, nscen, first, n_first, first_bytes, first_row, c.maxrss_kib, start_rss);
		if (!ok)
			printf("  (the run stopped early, see above: the figures are partial)\n");
	}
	for (i = 0; i < nscen; i++)
		free_scenario(&scen[i]);
	free(first);
	if (trace != NULL)
		fclose(trace);
	return ok ? 0 : 1;
}

