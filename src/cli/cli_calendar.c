/* cli_calendar.c - site close, resource away and resource hours: the
 * days and hours when a site or a resource cannot be booked. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "../core/strbuf.h"
#include "../core/text.h"
#include "cli.h"

struct calendar_args {
	const char *date, *reason, *site, *from, *to;
};

static enum cd_status
calendar_option(struct cli *c, void *ctx, int opt, const char *arg)
{
	struct calendar_args *a = ctx;

	(void)c;
	switch (opt) {
	case 'd': a->date = arg; break;
	case 'r': a->reason = arg; break;
	case 's': a->site = arg; break;
	case 'f': a->from = arg; break;
	default: a->to = arg; break;
	}
	return CD_OK;
}

int
cli_site_close(struct cli *c)
{
	static const struct option opts[] = {
		{ "date", required_argument, NULL, 'd' },
		{ "reason", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	struct calendar_args a;
	enum cd_status st;
	int64_t booked = 0;
	int first;

	memset(&a, 0, sizeof a);
	if ((st = cli_parse(c, opts, calendar_option, &a, 1, &first)) != CD_OK)
		return st;
	if (a.date == NULL)
		return cli_usage_error(c, "site close needs --date YYYY-MM-DD");
	if ((st = cli_open(c, OPS_OPEN_USE)) != CD_OK)
		return cli_fail(c, st);
	if ((st = ops_site_close(&c->ops, c->argv[first], a.date, a.reason, &booked,
	    &c->err)) == CD_OK) {
		struct strbuf name = STRBUF_INIT;

		text_sanitize(&name, c->argv[first], strlen(c->argv[first]));
		printf("%s is closed on %s: nothing new will be booked there that day.\n",
		    strbuf_str(&name), a.date);
		strbuf_free(&name);
		if (booked > 0)
			printf("%lld visits are still booked that day: move or cancel them"
			    " (see celldesk agenda --date %s).\n", (long long)booked, a.date);
	}
	return cli_done(c, st);
}

int
cli_resource_away(struct cli *c)
{
	static const struct option opts[] = {
		{ "site", required_argument, NULL, 's' },
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "reason", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	struct calendar_args a;
	enum cd_status st;
	int64_t booked = 0;
	int first;

	memset(&a, 0, sizeof a);
	if ((st = cli_parse(c, opts, calendar_option, &a, 1, &first)) != CD_OK)
		return st;
	if (a.site == NULL || a.from == NULL || a.to == NULL)
		return cli_usage_error(c, "resource away needs --site, --from and --to");
	if ((st = cli_open(c, OPS_OPEN_USE)) != CD_OK)
		return cli_fail(c, st);
	if ((st = ops_resource_away(&c->ops, c->argv[first], a.site, a.from, a.to, a.reason,
	    &booked, &c->err)) == CD_OK) {
		printf("Recorded the absence from %s to %s.\n", a.from, a.to);
		if (booked > 0)
			printf("%lld visits still use it then: move them (see celldesk agenda"
			    " --resource).\n", (long long)booked);
	}
	return cli_done(c, st);
}

int
cli_resource_hours(struct cli *c)
{
	static const struct option opts[] = {
		{ "site", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	struct calendar_args a;
	enum cd_status st;
	int first;

	memset(&a, 0, sizeof a);
	if ((st = cli_parse(c, opts, calendar_option, &a, 2, &first)) != CD_OK)
		return st;
	if (a.site == NULL)
		return cli_usage_error(c, "resource hours needs --site");
	if ((st = cli_open(c, OPS_OPEN_USE)) != CD_OK)
		return cli_fail(c, st);
	if ((st = ops_resource_hours(&c->ops, c->argv[first], a.site, c->argv[first + 1],
	    &c->err)) == CD_OK)
		printf("Set the resource's own hours.\n");
	return cli_done(c, st);
}
