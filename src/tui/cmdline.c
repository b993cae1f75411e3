/* cmdline.c - `:` on any screen: a command line that runs the same
 * commands as the shell (`:lot show L-1`, `:agenda --week`), as this
 * program in a child process (sync_job.c), so the screen stays live
 * while it works and the command checks roles exactly as the CLI does.
 * Its output, sanitized, opens in a pager when it ends. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "../core/xalloc.h"
#include "tui_int.h"

struct output_page {
	struct tui_pager_screen ps;
	char *command;   /* raw, for the title */
	char *text;      /* raw output */
	int status;      /* the exit status; -1: stopped or lost */
	int laid_w;
};

bool
tui_cmdline_split(const char *line, char ***argvp, int *argcp, const char **why)
{
	struct strbuf word = STRBUF_INIT;
	char **argv = NULL;
	int argc = 0;
	const char *p = line;
	char quote;
	bool in_word;

	*why = NULL;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		strbuf_reset(&word);
		strbuf_adds(&word, "");
		in_word = true;
		quote = 0;
		for (; *p != '\0' && in_word; p++) {
			if (quote != 0) {
				if (*p == quote)
					quote = 0;
				else if (*p == '\\' && quote == '"' && p[1] != '\0')
					strbuf_addc(&word, *++p);
				else
					strbuf_addc(&word, *p);
			} else if (*p == '\'' || *p == '"') {
				quote = *p;
			} else if (*p == '\\' && p[1] != '\0') {
				strbuf_addc(&word, *++p);
			} else if (*p == ' ' || *p == '\t') {
				in_word = false;
			} else {
				strbuf_addc(&word, *p);
			}
		}
		if (quote != 0) {
			*why = "a quote is not closed";
			break;
		}
		argv = xrealloc(argv, (size_t)(argc + 2) * sizeof *argv);
		argv[argc++] = xstrdup(strbuf_str(&word));
		argv[argc] = NULL;
	}
	strbuf_free(&word);
	if (*why != NULL || argc == 0) {
		while (argc > 0)
			free(argv[--argc]);
		free(argv);
		if (*why == NULL)
			*why = "no command given";
		return false;
	}
	*argvp = argv;
	*argcp = argc;
	return true;
}

static void
free_argv(char **argv, int argc)
{
	while (argc > 0)
		free(argv[--argc]);
	free(argv);
}

/* --- the output's pager --- */
static void
output_title(struct tui_screen *s, struct strbuf *out)
{
	strbuf_addf(out, "command: %s", ((struct output_page *)s)->command);
}

static void
add_line(void *ctx, const char *line)
{
	tui_pager_add(ctx, A_NORMAL, 1, line);
}

static void
output_draw(struct tui *t, struct tui_screen *s, int y, int h, int w)
{
	struct output_page *op = (struct output_page *)s;

	if (op->laid_w != w) {
		tui_pager_clear(&op->ps.pager);
		tui_wrap(op->text[0] != '\0' ? op->text : "(the command printed nothing)",
		    w - 2, add_line, &op->ps.pager);
		op->laid_w = w;
	}
	tui_pager_draw(t, &op->ps.pager, y, h, w);
}

static void
output_info(struct tui *t, struct tui_screen *s, struct strbuf *out)
{
	struct output_page *op = (struct output_page *)s;

	(void)t;
	if (op->status == 0)
		strbuf_adds(out, "the command succeeded");
	else if (op->status < 0)
		strbuf_adds(out, "the command did not finish");
	else
		strbuf_addf(out, "the command failed (exit status %d)", op->status);
	strbuf_addf(out, "  \xC2\xB7  %d lines  \xC2\xB7  Esc goes back", op->ps.pager.n);
}

static void
output_free(struct tui_screen *s)
{
	struct output_page *op = (struct output_page *)s;

	tui_pager_free(&op->ps.pager);
	free(op->command);
	free(op->text);
	free(op);
}

const struct tui_screen_type tui_output_type = {
	.name = "command output",
	.cmds = tui_pager_cmds,
	.title = output_title,
	.draw = output_draw,
	.info = output_info,
	.free = output_free,
};

/* --- the prompt --- */
static int
cmdline_done(struct tui *t, void *ctx, const char *text, bool accepted)
{
	const char *why;
	char **argv;
	int argc;

	(void)ctx;
	if (!accepted)
		return 0;
	if (!tui_cmdline_split(text, &argv, &argc, &why)) {
		tui_message(t, text[0] != '\0', "%s", text[0] != '\0' ? why : "nothing run");
		return REDRAW_STATUS;
	}
	if (tui_job_start(t, JOB_COMMAND, argv, &t->err) != CD_OK) {
		free_argv(argv, argc);
		return tui_show_err(t);
	}
	free(t->cmd_text);
	t->cmd_text = xstrdup(text);
	free_argv(argv, argc);
	tui_message(t, false, "running celldesk %s ...", text);
	return REDRAW_STATUS;
}

int
tui_cmd_cmdline(struct tui *t, struct tui_screen *s)
{
	(void)s;
	tui_prompt_open(t, ":celldesk ", NULL, NULL, cmdline_done, NULL);
	return REDRAW_STATUS;
}

int
tui_cmdline_done(struct tui *t)
{
	struct tui_job *j = t->cmd;
	struct output_page *op = xcalloc(1, sizeof *op);

	op->ps.base.type = &tui_output_type;
	op->command = xstrdup(t->cmd_text != NULL ? t->cmd_text : "");
	op->text = xstrdup(strbuf_str(&j->out));
	op->status = j->failed ? j->exit_status : 0;
	op->laid_w = -1;
	if (j->result[0] != '\0')
		tui_message(t, true, "%s", j->result);
	tui_push(t, &op->ps.base);
	return REDRAW_ALL;
}
