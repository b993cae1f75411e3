/* cli_staff.c - staff add, list, disable and enable. */
#include "config.h"

#include <stdio.h>

#include "cli.h"

struct staff_args {
	const char *name, *roles, *reason;
};

static enum cd_status
staff_option(struct cli *c, void *ctx, int opt, const char *arg)
{
	struct staff_args *a = ctx;

	(void)c;
	if (opt == 'n')
		a->name = arg;
	else if (opt == 'r')
		a->roles = arg;
	else
		a->reason = arg;
	return CD_OK;
}

int
cli_staff_add(struct cli *c)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "role", required_argument, NULL, 'r' },
		{ "roles", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	struct staff_args a = { NULL, NULL, NULL };
	enum cd_status st;
	int first;

	if ((st = cli_parse(c, opts, staff_option, &a, 1, &first)) != CD_OK)
		return st;
	if (a.name == NULL || a.roles == NULL)
		return cli_usage_error(c, "staff add needs --name and --role");
	if ((st = cli_open(c, OPS_OPEN_USE)) != CD_OK)
		return cli_fail(c, st);
	if ((st = ops_staff_add(&c->ops, c->argv[first], a.name, a.roles, &c->err)) == CD_OK)
		printf("Added %s as staff.\n", c->argv[first]);
	return cli_done(c, st);
}

static int
staff_switch(struct cli *c, bool active)
{
	static const struct option opts[] = {
		{ "reason", required_argument, NULL, 'e' },
		{ NULL, 0, NULL, 0 },
	};
	struct staff_args a = { NULL, NULL, NULL };
	enum cd_status st;
	int first;

	if ((st = cli_parse(c, opts, staff_option, &a, 1, &first)) != CD_OK)
		return st;
	if ((st = cli_open(c, OPS_OPEN_USE)) != CD_OK)
		return cli_fail(c, st);
	st = ops_staff_set_active(&c->ops, c->argv[first], active, a.reason, &c->err);
	if (st == CD_OK)
		printf("%s is now %s.\n", c->argv[first], active ? "active" : "disabled");
	return cli_done(c, st);
}

int
cli_staff_disable(struct cli *c)
{
	return staff_switch(c, false);
}

int
cli_staff_enable(struct cli *c)
{
	return staff_switch(c, true);
}

static enum cd_status
fetch_staff(struct cli *c, void *arg, struct out *o)
{
	(void)arg;
	return ops_staff_list(&c->ops, out_row, o, &c->err);
}

int
cli_staff_list(struct cli *c)
{
	static const struct out_col cols[] = {
		{ "user", 14, false }, { "name", 28, false }, { "roles", 28, false }, { "active", 0, false },
	};
	enum cd_status st;
	int first;

	if ((st = cli_parse(c, cli_no_opts, cli_no_option, NULL, 0, &first)) != CD_OK)
		return st;
	return cli_print_rows(c, ACT_STAFF_VIEW, OUT_TABLE, cols, 4, fetch_staff, NULL);
}
