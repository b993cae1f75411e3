/* signals.c - the TUI's signals: the handlers only set a volatile
 * sig_atomic_t and write a byte to a pipe, which the main loop polls
 * beside stdin, so a resize or a request to quit wakes it at once. They
 * are installed before curses starts (so curses leaves them to us) and
 * the previous handlers are put back at the end. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "tui_int.h"

static volatile sig_atomic_t got_winch, got_quit;
static int wake_fd[2] = { -1, -1 };

static const int handled[] = { SIGWINCH, SIGINT, SIGTERM, SIGHUP };
#define NHANDLED (sizeof handled / sizeof handled[0])
static struct sigaction saved[NHANDLED];

static void
on_signal(int sig)
{
	int saved_errno = errno;
	ssize_t r = 0;

	if (sig == SIGWINCH)
		got_winch = 1;
	else
		got_quit = 1;
	if (wake_fd[1] >= 0)
		r = write(wake_fd[1], "", 1);
	(void)r;
	errno = saved_errno;
}

bool
tui_signals_start(void)
{
	struct sigaction sa;
	size_t i;

	if (pipe(wake_fd) != 0)
		return false;
	for (i = 0; i < 2; i++) {
		fcntl(wake_fd[i], F_SETFL, fcntl(wake_fd[i], F_GETFL) | O_NONBLOCK);
		fcntl(wake_fd[i], F_SETFD, FD_CLOEXEC);
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < NHANDLED; i++) {
		sigaction(handled[i], NULL, &saved[i]);
		/* A hang-up someone chose to ignore (nohup) stays ignored. */
		if (handled[i] == SIGHUP && saved[i].sa_handler == SIG_IGN)
			continue;
		sigaction(handled[i], &sa, NULL);
	}
	return true;
}

void
tui_signals_stop(void)
{
	size_t i;

	for (i = 0; i < NHANDLED; i++)
		sigaction(handled[i], &saved[i], NULL);
	for (i = 0; i < 2; i++) {
		if (wake_fd[i] >= 0)
			close(wake_fd[i]);
		wake_fd[i] = -1;
	}
}

int
tui_signals_fd(void)
{
	return wake_fd[0];
}

void
tui_signals_drain(void)
{
	char buf[64];

	while (read(wake_fd[0], buf, sizeof buf) > 0)
		;
}

bool
tui_signals_winch(void)
{
	if (!got_winch)
		return false;
	got_winch = 0;
	return true;
}

bool
tui_signals_quit(void)
{
	return got_quit != 0;
}
