/* cli_sites.c - site add and list, resource add and list. */
#include "config.h"

#include <stdio.h>

#include "cli.h"

struct site_args {
	const char *tz, *hours, *site, *kind, *tags;
};

static enum cd_status
site_option(struct cli *c, void *ctx, int opt, const char *arg)
{
	struct site_args *a = ctx;

	(void)c;
	switch (opt) {
	case 'z': a->tz = arg; break;
	case 'o': a->hours = arg; break;
	case 's': a->site = arg; break;
	case 'k': a->kind = arg; break;
	default: a->tags = arg; break;
	}
	return CD_OK;
}

int
cli_site_add(struct cli *c)
{
	static const struct option opts[] = {
		{ "tz", required_argument, NULL, 'z' },
		{ "hours", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	struct site_args a = { NULL, NULL, NULL, NULL, NULL };
	enum cd_status st;
	int first;

	if ((st = cli_parse(c, opts, site_option, &a, 1, &first)) != CD_OK)
		return st;
	if (a.tz == NULL)
		return cli_usage_error(c, "site add needs --tz ZONE");
	if ((st = cli_open(c, OPS_OPEN_USE)) != CD_OK)
		return cli_fail(c, st);
	if ((st = ops_site_add(&c->ops, c->argv[first], a.tz, a.hours, &c->err)) == CD_OK) {
		fputs("Added site ", stdout);
		out_line(stdout, c->argv[first]);
	}
	return cli_done(c, st);
}

static enum cd_status
fetch_sites(struct cli *c, void *arg, struct out *o)
{
	(void)arg;
	return ops_site_list(&c->ops, out_row, o, &c->err);
}

int
cli_site_list(struct cli *c)
{
	static const struct out_col cols[] = { { "name", 16, false }, { "tz", 20, false }, { "hours", 0, false } };
	enum cd_status st;
	int first;

	if ((st = cli_parse(c, cli_no_opts, cli_no_option, NULL, 0, &first)) != CD_OK)
		return st;
	return cli_print_rows(c, ACT_SITE_VIEW, OUT_TABLE, cols, 3, fetch_sites, NULL);
}

int
cli_resource_add(struct cli *c)
{
	static const struct option opts[] = {
		{ "site", required_argument, NULL, 's' },
		{ "kind", required_argument, NULL, 'k' },
		{ "tags", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	struct site_args a = { NULL, NULL, NULL, NULL, NULL };
	enum cd_status st;
	int first;

	if ((st = cli_parse(c, opts, site_option, &a, 1, &first)) != CD_OK)
		return st;
	if (a.site == NULL || a.kind == NULL)
		return cli_usage_error(c, "resource add needs --site and --kind");
	if ((st = cli_open(c, OPS_OPEN_USE)) != CD_OK)
		return cli_fail(c, st);
	st = ops_resource_add(&c->ops, c->argv[first], a.site, a.kind, a.tags, &c->err);
	if (st == CD_OK) {
		fputs("Added resource ", stdout);
		out_line(stdout, c->argv[first]);
	}
	return cli_done(c, st);
}

static enum cd_status
fetch_resources(struct cli *c, void *arg, struct out *o)
{
	const struct site_args *a = arg;

	return ops_resource_list(&c->ops, a->site, out_row, o, &c->err);
}

int
cli_resource_list(struct cli *c)
{
	static const struct option opts[] = {
		{ "site", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct out_col cols[] = {
		{ "name", 24, false }, { "site", 14, false }, { "kind", 10, false }, { "tags", 0, false },
	};
	struct site_args a = { NULL, NULL, NULL, NULL, NULL };
	enum cd_status st;
	int first;

	if ((st = cli_parse(c, opts, site_option, &a, 0, &first)) != CD_OK)
		return st;
	return cli_print_rows(c, ACT_SITE_VIEW, OUT_TABLE, cols, 4, fetch_resources, &a);
}
