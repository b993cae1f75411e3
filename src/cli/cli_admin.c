/* cli_admin.c - init, backup and demo. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int
cli_init(struct cli *c)
{
	struct ops_init_result res;
	enum cd_status st;
	int first;

	if ((st = cli_parse(c, cli_no_opts, cli_no_option, NULL, 0, &first)) != CD_OK)
		return st;
	if ((st = cli_open(c, OPS_OPEN_SETUP)) != CD_OK)
		return cli_fail(c, st);
	if ((st = ops_init(&c->ops, &res, &c->err)) != CD_OK)
		return cli_done(c, st);
	if (res.schema_from == res.schema_to)
		printf("Database %s is up to date (schema version %d).\n", db_path(c->ops.db),
		    res.schema_to);
	else if (res.schema_from == 0)
		printf("Created database %s (schema version %d).\n", db_path(c->ops.db),
		    res.schema_to);
	else
		printf("Migrated database %s from schema version %d to %d.\n",
		    db_path(c->ops.db), res.schema_from, res.schema_to);
	if (res.made_first_admin)
		printf("Unix account '%s' is the first admin.\n", c->ops.actor);
	return cli_done(c, CD_OK);
}

int
cli_backup(struct cli *c)
{
	enum cd_status st;
	int first;

	if ((st = cli_parse(c, cli_no_opts, cli_no_option, NULL, 1, &first)) != CD_OK)
		return st;
	if ((st = cli_open(c, OPS_OPEN_USE)) != CD_OK)
		return cli_fail(c, st);
	if ((st = ops_backup(&c->ops, c->argv[first], &c->err)) == CD_OK)
		printf("Backed up %s to %s.\n", db_path(c->ops.db), c->argv[first]);
	return cli_done(c, st);
}

struct demo_args {
	enum ops_demo_scale scale;
	uint64_t seed;
};

static enum cd_status
demo_option(struct cli *c, void *ctx, int opt, const char *arg)
{
	struct demo_args *a = ctx;
	char *end;

	if (opt == 's') {
		if (strcmp(arg, "small") == 0)
			a->scale = DEMO_SMALL;
		else if (strcmp(arg, "large") == 0)
			a->scale = DEMO_LARGE;
		else
			return (enum cd_status)cli_usage_error(c,
			    "--scale: '%.20s' is not small or large", arg);
	} else {
		errno = 0;
		a->seed = strtoull(arg, &end, 10);
		if (errno != 0 || *end != '\0' || end == arg || arg[0] == '-')
			return (enum cd_status)cli_usage_error(c,
			    "--seed: '%.20s' is not a whole number", arg);
	}
	return CD_OK;
}

int
cli_demo(struct cli *c)
{
	static const struct option opts[] = {
		{ "scale", required_argument, NULL, 's' },
		{ "seed", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct demo_args a = { DEMO_SMALL, 1 };
	struct ops_demo_result res;
	struct ops_init_result init;
	enum cd_status st;
	int first;

	if ((st = cli_parse(c, opts, demo_option, &a, 0, &first)) != CD_OK)
		return st;
	if ((st = cli_open(c, OPS_OPEN_SETUP)) != CD_OK)
		return cli_fail(c, st);
	if ((st = ops_init(&c->ops, &init, &c->err)) != CD_OK ||
	    (st = ops_demo(&c->ops, a.scale, a.seed, &res, &c->err)) != CD_OK)
		return cli_done(c, st);
	printf("Demo data in %s (seed %" PRIu64 "): %" PRId64 " sites, %" PRId64
	       " resources, %" PRId64 " staff, %" PRId64 " patients.\n",
	    db_path(c->ops.db), a.seed, res.sites, res.resources, res.staff, res.patients);
	return cli_done(c, CD_OK);
}
