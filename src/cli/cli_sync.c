/* cli_sync.c - sync (once or --watch), sync status, outbox, retry,
 * review and resolve: the lab link as an admin or the lab sees it. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../sync/engine.h"
#include "cli.h"

#define DEFAULT_INTERVAL 60
#define MAX_INTERVAL 86400
#define OUTBOX_SHOWN 50

struct sync_args {
	const char *status, *note;
	long interval;
	bool watch, all;
};

static enum cd_status
sync_option(struct cli *c, void *ctx, int opt, const char *arg)
{
	struct sync_args *a = ctx;
	char *end;

	switch (opt) {
	case 'w': a->watch = true; break;
	case 's': a->status = arg; break;
	case 'n': a->note = arg; break;
	case 'a': a->all = true; break;
	default:
		errno = 0;
		a->interval = strtol(arg, &end, 10);
		if (errno != 0 || end == arg || *end != '\0' || a->interval < 1 ||
		    a->interval > MAX_INTERVAL)
			return (enum cd_status)cli_usage_error(c, "--interval: '%.20s' is not a number"
			    " of seconds from 1 to %d", arg, MAX_INTERVAL);
		break;
	}
	return CD_OK;
}

static volatile sig_atomic_t stop_watch;

static void
on_stop(int sig)
{
	(void)sig;
	stop_watch = 1;
}

/* Sleeps up to seconds, waking early when asked to stop. */
static void
nap(long seconds)
{
	struct timespec one = { 1, 0 };

	while (seconds-- > 0 && !stop_watch)
		nanosleep(&one, NULL);
}

/* One run: the summary on stdout, the first failure on stderr. */
static enum cd_status
run_once(struct cli *c, const struct lab_config *conf)
{
	struct sync_summary s;
	char line[256];
	enum cd_status st;

	if ((st = sync_run(&c->ops, conf, &s, &c->err)) != CD_OK)
		return st;
	sync_summary_line(&s, line, sizeof line);
	printf("%s\n", line);
	fflush(stdout);
	if (s.ok)
		return CD_OK;
	return cd_fail(&c->err, CD_EDATA, "sync: %s", s.message);
}

int
cli_sync(struct cli *c)
{
	static const struct option opts[] = {
		{ "watch", no_argument, NULL, 'w' },
		{ "interval", required_argument, NULL, 'i' },
		{ NULL, 0, NULL, 0 },
	};
	struct sync_args a = { NULL, NULL, DEFAULT_INTERVAL, false, false };
	struct lab_config conf;
	struct sigaction sa;
	enum cd_status st;
	int first;

	if ((st = cli_parse(c, opts, sync_option, &a, 0, &first)) != CD_OK)
		return st;
	if ((st = lab_config_load(&conf, &c->err)) != CD_OK)
		return cli_fail(c, st);
	if ((st = cli_open(c, OPS_OPEN_USE)) != CD_OK) {
		lab_config_free(&conf);
		return cli_fail(c, st);
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	do {
		st = run_once(c, &conf);
		if (a.watch && st == CD_EDATA) {
			cli_fail(c, st);  /* said, and the next round tries again */
			st = CD_OK;
		}
		if (a.watch && st == CD_OK)
			nap(a.interval);
	} while (a.watch && st == CD_OK && !stop_watch);
	lab_config_free(&conf);
	return cli_done(c, st);
}

static enum cd_status
fetch_status(struct cli *c, void *arg, struct out *o)
{
	(void)arg;
	return ops_sync_status(&c->ops, out_row, o, &c->err);
}

int
cli_sync_status(struct cli *c)
{
	static const struct out_col cols[] = { { "item", 34, false }, { "value", 0, false } };
	enum cd_status st;
	int first;

	if ((st = cli_parse(c, cli_no_opts, cli_no_option, NULL, 0, &first)) != CD_OK)
		return st;
	return cli_print_rows(c, ACT_SYNC_VIEW, OUT_TABLE, cols, NCOLS(cols), fetch_status, NULL);
}

static enum cd_status
fetch_outbox(struct cli *c, void *arg, struct out *o)
{
	const struct sync_args *a = arg;

	return ops_sync_outbox(&c->ops, a->status, OUTBOX_SHOWN, out_row, o, &c->err);
}

int
cli_sync_outbox(struct cli *c)
{
	static const struct option opts[] = {
		{ "status", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct out_col cols[] = {
		{ "id", 6, true }, { "created", 21, false }, { "lot", 24, false },
		{ "status", 8, false }, { "attempts", 9, true }, { "sent", 21, false },
		{ "error", 0, false },
	};
	struct sync_args a = { NULL, NULL, 0, false, false };
	enum cd_status st;
	int first;

	if ((st = cli_parse(c, opts, sync_option, &a, 0, &first)) != CD_OK)
		return st;
	return cli_print_rows(c, ACT_SYNC_VIEW, OUT_TABLE, cols, NCOLS(cols), fetch_outbox, &a);
}

/* The ID operand of retry and resolve. */
static enum cd_status
parse_id(struct cli *c, const char *what, int first, int64_t *id)
{
	if (cli_parse_id(c->argv[first], id))
		return CD_OK;
	return (enum cd_status)cli_usage_error(c, "'%.40s' is not %s number", c->argv[first],
	    what);
}

int
cli_sync_retry(struct cli *c)
{
	enum cd_status st;
	int64_t id;
	int first;

	if ((st = cli_parse(c, cli_no_opts, cli_no_option, NULL, 1, &first)) != CD_OK ||
	    (st = parse_id(c, "an outbox row", first, &id)) != CD_OK)
		return st;
	if ((st = cli_open(c, OPS_OPEN_USE)) != CD_OK)
		return cli_fail(c, st);
	if ((st = ops_sync_retry(&c->ops, id, &c->err)) == CD_OK)
		printf("Outbox row %lld will be sent again by the next sync.\n", (long long)id);
	return cli_done(c, st);
}

static enum cd_status
fetch_review(struct cli *c, void *arg, struct out *o)
{
	const struct sync_args *a = arg;

	return ops_sync_review_list(&c->ops, a->all, 0, -1, out_row, o, &c->err);
}

int
cli_sync_review(struct cli *c)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct out_col cols[] = {
		{ "id", 5, true }, { "created", 21, false }, { "type", 27, false },
		{ "lot", 20, false }, { "status", 9, false }, { "by", 10, false },
		{ "reason", 60, false }, { "note", 0, false },
	};
	struct sync_args a = { NULL, NULL, 0, false, false };
	enum cd_status st;
	int first;

	if ((st = cli_parse(c, opts, sync_option, &a, 0, &first)) != CD_OK)
		return st;
	return cli_print_rows(c, ACT_SYNC_VIEW, OUT_TABLE, cols, NCOLS(cols), fetch_review, &a);
}

int
cli_sync_resolve(struct cli *c)
{
	static const struct option opts[] = {
		{ "note", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct sync_args a = { NULL, NULL, 0, false, false };
	enum cd_status st;
	int64_t id;
	int first;

	if ((st = cli_parse(c, opts, sync_option, &a, 1, &first)) != CD_OK ||
	    (st = parse_id(c, "a review item", first, &id)) != CD_OK)
		return st;
	if (a.note == NULL)
		return cli_usage_error(c, "sync resolve needs --note TEXT (what was done)");
	if ((st = cli_open(c, OPS_OPEN_USE)) != CD_OK)
		return cli_fail(c, st);
	if ((st = ops_sync_review_resolve(&c->ops, id, a.note, &c->err)) == CD_OK)
		printf("Review item %lld resolved.\n", (long long)id);
	return cli_done(c, st);
}
