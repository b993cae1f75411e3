/* sync_job.c - celldesk commands run as children of the interface, so
 * the screen never freezes: `celldesk sync` while the lab answers, and
 * what the `:` command line runs. A child (struct tui_job) belongs to the
 * interface, not to a screen, so leaving the screen does not lose it; the
 * loop polls its pipe and reaps it with waitpid(WNOHANG). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../core/text.h"
#include "../core/xalloc.h"
#include "tui_int.h"

/* The child's output kept; the rest is read and dropped. A sync says
 * one line; a command's output is read in a pager. */
enum { JOB_OUT_MAX = 8192, JOB_CMD_OUT_MAX = 1 << 20 };

int
tui_job_fd(const struct tui_job *j)
{
	return j != NULL ? j->fd : -1;
}

/* Reads what the child wrote, keeping the start; closes the pipe at EOF. */
static void
job_read(struct tui_job *j)
{
	char buf[4096];
	size_t max = j->kind == JOB_COMMAND ? JOB_CMD_OUT_MAX : JOB_OUT_MAX;
	ssize_t n;

	while (j->fd >= 0) {
		n = read(j->fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			close(j->fd);
			j->fd = -1;
			return;
		}
		if (j->out.len < max) {
			size_t room = max - j->out.len;

			strbuf_add(&j->out, buf, (size_t)n < room ? (size_t)n : room);
		}
	}
}

/* Copies line number k of text into buf without its "celldesk: " prefix;
 * false when there is no such line. */
static bool
nth_line(const char *text, int k, char *buf, size_t n)
{
	const char *p = text, *nl;
	size_t len;

	for (; k > 0 && p != NULL; k--)
		p = (nl = strchr(p, '\n')) != NULL ? nl + 1 : NULL;
	if (p == NULL || *p == '\0')
		return false;
	len = (nl = strchr(p, '\n')) != NULL ? (size_t)(nl - p) : strlen(p);
	if (len >= 10 && strncmp(p, "celldesk: ", 10) == 0) {
		p += 10;
		len -= 10;
	}
	if (len >= n)
		len = n - 1;
	memcpy(buf, p, len);
	buf[len] = '\0';
	return true;
}

/* The child ended with wait status ws (or was lost to waitpid): its
 * summary line and first error line become the result. */
static void
job_finish(struct tui_job *j, int ws, bool lost)
{
	char line[256], summary[256] = "", why[256] = "";
	int k;

	for (k = 0; nth_line(strbuf_str(&j->out), k, line, sizeof line); k++) {
		if (summary[0] == '\0' && strncmp(line, "sync: sent ", 11) == 0)
			snprintf(summary, sizeof summary, "%s", line);
		else if (why[0] == '\0' && line[0] != '\0')
			snprintf(why, sizeof why, "%s", line);
	}
	j->running = false;
	j->took_ms = tui_now_ms() - j->started_ms;
	j->failed = lost || !WIFEXITED(ws) || WEXITSTATUS(ws) != 0;
	if (!j->failed) {
		snprintf(j->result, sizeof j->result, "%s",
		    summary[0] != '\0' ? summary : "the lab sync finished");
		return;
	}
	/* It said why; else why in our words. */
	if (why[0] == '\0' && lost)
		snprintf(why, sizeof why, "lost track of the lab sync (process %ld)", (long)j->pid);
	else if (why[0] == '\0' && WIFSIGNALED(ws))
		snprintf(why, sizeof why, "the lab sync was stopped by signal %d", WTERMSIG(ws));
	else if (why[0] == '\0')
		snprintf(why, sizeof why, "the lab sync ended with status %d", WEXITSTATUS(ws));
	snprintf(j->result, sizeof j->result, "%s%s%s", summary, summary[0] != '\0' ? "; " : "",
	    why);
}

/* Seconds the running child has taken, for the screen. */
int64_t
tui_job_seconds(const struct tui_job *j)
{
	return ((j->running ? tui_now_ms() - j->started_ms : j->took_ms) + 500) / 1000;
}

int
tui_job_poll(struct tui *t, struct tui_job *j)
{
	struct tui_screen *s;
	int ws, tries;
	pid_t r;

	if (j == NULL || !j->running)
		return 0;
	job_read(j);
	/* At EOF the child is exiting: give it a moment to become waitable
	 * rather than a second's tick. */
	for (tries = 0;; tries++) {
		r = waitpid(j->pid, &ws, WNOHANG);
		if (r != 0 || j->fd >= 0 || tries >= 20)
			break;
		nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
	}
	if (r == 0 || (r < 0 && errno == EINTR)) {
		/* Still running: the elapsed seconds on the screen move. */
		if (tui_job_seconds(j) == j->shown_s)
			return 0;
		j->shown_s = tui_job_seconds(j);
		return REDRAW_LIST | REDRAW_STATUS;
	}
	/* Everything it wrote is in the pipe now (unless something it
	 * started holds the pipe: then not waiting for that). */
	job_read(j);
	if (j->fd >= 0) {
		close(j->fd);
		j->fd = -1;
	}
	/* What it changed shows now, not at the next data_version poll. */
	for (s = t->top; s != NULL; s = s->below) {
		if (s->type->invalidate != NULL)
			s->type->invalidate(s);
	}
	if (j->kind == JOB_COMMAND) {
		j->running = false;
		j->took_ms = tui_now_ms() - j->started_ms;
		j->failed = r < 0 || !WIFEXITED(ws) || WEXITSTATUS(ws) != 0;
		j->exit_status = r >= 0 && WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
		snprintf(j->result, sizeof j->result, "%s",
		    r < 0 ? "lost track of the command" :
		    WIFSIGNALED(ws) ? "the command was stopped by a signal" : "");
		return tui_cmdline_done(t) | REDRAW_LIST | REDRAW_STATUS;
	}
	job_finish(j, r < 0 ? 0 : ws, r < 0);
	tui_message(t, j->failed, "%s", j->result);
	return REDRAW_LIST | REDRAW_STATUS;
}

static void
job_free(struct tui_job **jp)
{
	struct tui_job *j = *jp;

	if (j == NULL)
		return;
	if (j->fd >= 0)
		close(j->fd);
	strbuf_free(&j->out);
	free(j);
	*jp = NULL;
}

void
tui_job_detach(struct tui *t)
{
	/* The children ignore SIGPIPE and are in their own process group:
	 * each finishes (a sync, one transaction per page) and exits. */
	if (t->job != NULL && t->job->running)
		fprintf(stderr, "celldesk: the lab sync goes on in the background (process %ld)\n",
		    (long)t->job->pid);
	if (t->cmd != NULL && t->cmd->running)
		fprintf(stderr, "celldesk: the command goes on in the background (process %ld)\n",
		    (long)t->cmd->pid);
	job_free(&t->job);
	job_free(&t->cmd);
}

/* Forks and execs this program as `celldesk [--db PATH] ARGS`, its
 * stdout and stderr into a pipe, stdin from /dev/null, in a process group
 * of its own so the terminal's Ctrl-C and hang-up are not its. */
enum cd_status
tui_job_start(struct tui *t, enum tui_job_kind kind, char *const *args,
    struct cd_err *err)
{
	struct tui_job **slot = kind == JOB_SYNC ? &t->job : &t->cmd, *j;
	char **argv;
	int p[2], null_fd, n = 0, k, e;
	pid_t pid;

	if (*slot != NULL && (*slot)->running)
		return cd_fail(err, CD_REFUSED, "%s is still running (%lld s)",
		    kind == JOB_SYNC ? "the lab sync" : "the last command",
		    (long long)tui_job_seconds(*slot));
	for (k = 0; args[k] != NULL; k++)
		;
	argv = xcalloc((size_t)k + 4, sizeof *argv);
	argv[n++] = (char *)"celldesk";
	if (t->db_arg != NULL) {
		argv[n++] = (char *)"--db";
		argv[n++] = (char *)t->db_arg;
	}
	for (k = 0; args[k] != NULL; k++)
		argv[n++] = args[k];
	argv[n] = NULL;
	if ((null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0) {
		free(argv);
		return cd_fail(err, CD_EDATA, "cannot open /dev/null: %s", strerror(errno));
	}
	if (pipe(p) != 0) {
		e = errno;
		close(null_fd);
		free(argv);
		return cd_fail(err, CD_EDATA, "cannot make a pipe: %s", strerror(e));
	}
	fcntl(p[0], F_SETFD, FD_CLOEXEC);
	fcntl(p[1], F_SETFD, FD_CLOEXEC); /* dup2 onto 1 and 2 clears it there */
	fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_NONBLOCK);
	if ((pid = fork()) < 0) {
		e = errno;
		close(p[0]);
		close(p[1]);
		close(null_fd);
		free(argv);
		return cd_fail(err, CD_EDATA, "cannot start celldesk: %s", strerror(e));
	}
	if (pid == 0) {
		/* Only async-signal-safe calls until exec. */
		static const char msg[] = "celldesk: cannot run /proc/self/exe\n";
		struct sigaction sa;
		ssize_t w;

		memset(&sa, 0, sizeof sa);
		sa.sa_handler = SIG_IGN;
		sigaction(SIGPIPE, &sa, NULL); /* inherited across exec */
		setpgid(0, 0);
		if (dup2(null_fd, 0) < 0 || dup2(p[1], 1) < 0 || dup2(p[1], 2) < 0)
			_exit(127);
		execv("/proc/self/exe", argv);
		w = write(2, msg, sizeof msg - 1);
		(void)w;
		_exit(127);
	}
	setpgid(pid, pid); /* as the child does: whichever runs first */
	close(p[1]);
	close(null_fd);
	free(argv);
	job_free(slot);
	j = xcalloc(1, sizeof *j);
	j->kind = kind;
	j->pid = pid;
	j->fd = p[0];
	j->running = true;
	j->started_ms = tui_now_ms();
	*slot = j;
	return CD_OK;
}
