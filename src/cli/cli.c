/* cli.c - the dispatcher: global options, finding the command in the
 * table, help on every level, and the helpers every handler uses. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/strbuf.h"
#include "../core/text.h"
#include "cli.h"

static void
print_help_all(FILE *fp)
{
	const struct cli_command *cmd;

	fprintf(fp, "usage: celldesk [--db PATH] [--format text|csv|json] COMMAND ...\n"
		    "       celldesk --version | --help\n\n"
		    "With no COMMAND on a terminal, celldesk opens its full-screen interface.\n\n"
		    "commands:\n");
	for (cmd = cli_commands; cmd->group != NULL; cmd++)
		fprintf(fp, "  %-8s %-8s %s\n", cmd->group, cmd->name ? cmd->name : "",
		    cmd->summary);
	fprintf(fp, "\n'celldesk COMMAND --help' tells more; celldesk(1) tells all.\n");
}

static void
print_help_command(FILE *fp, const struct cli_command *cmd)
{
	char roles[64];

	roles_format(roles_for(cmd->action), roles, sizeof roles);
	fprintf(fp, "usage: celldesk %s%s%s %s\n\n%s.\n", cmd->group, cmd->name ? " " : "",
	    cmd->name ? cmd->name : "", cmd->usage, cmd->summary);
	if (cmd->options != NULL)
		fprintf(fp, "\noptions:\n%s", cmd->options);
	fprintf(fp, "\nneeds the role: %s\n", strcmp(roles, "frontdesk,lab,clinician,admin") == 0 ?
	    "any (active staff)" : roles);
}

static void
print_help_group(FILE *fp, const char *group)
{
	const struct cli_command *cmd;

	fprintf(fp, "usage: celldesk %s SUBCOMMAND ...\n\nsubcommands:\n", group);
	for (cmd = cli_commands; cmd->group != NULL; cmd++) {
		if (strcmp(cmd->group, group) == 0)
			fprintf(fp, "  %-8s %s\n", cmd->name, cmd->summary);
	}
}

static bool
is_help(const char *arg)
{
	return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

int
cli_fail(struct cli *c, enum cd_status st)
{
	struct strbuf b = STRBUF_INIT;

	if (st == CD_OK)
		return 0;
	text_sanitize(&b, c->err.msg, strlen(c->err.msg));
	fprintf(stderr, "celldesk: %s\n", strbuf_str(&b));
	strbuf_free(&b);
	return (int)st;
}

int
cli_usage_error(struct cli *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err.msg, sizeof c->err.msg, fmt, ap);
	va_end(ap);
	cli_fail(c, CD_USAGE);
	if (c->cmd != NULL)
		fprintf(stderr, "usage: celldesk %s%s%s %s\n", c->cmd->group,
		    c->cmd->name ? " " : "", c->cmd->name ? c->cmd->name : "", c->cmd->usage);
	return CD_USAGE;
}

static enum cd_status
cli_options(struct cli *c, const struct option *opts, cli_opt_fn fn, void *ctx,
    int *first_arg)
{
	const struct option *o;
	const char *shorts = ":h";
	enum cd_status st;
	int opt, idx;

	/* --output also answers to -o, as output options do elsewhere. */
	for (o = opts; o->name != NULL; o++) {
		if (strcmp(o->name, "output") == 0 && o->val == 'o')
			shorts = ":ho:";
	}
	optind = 0; /* GNU: start over, permuting operands to the end */
	opterr = 0;
	while ((opt = getopt_long(c->argc, c->argv, shorts, opts, &idx)) != -1) {
		if (opt == '?') {
			if (optopt != 0)
				return (enum cd_status)cli_usage_error(c, "unknown option -%c", optopt);
			return (enum cd_status)cli_usage_error(c, "unknown option %s",
			    c->argv[optind - 1]);
		}
		if (opt == ':')
			return (enum cd_status)cli_usage_error(c, "%s needs a value",
			    c->argv[optind - 1]);
		if ((st = fn(c, ctx, opt, optarg)) != CD_OK)
			return st;
	}
	*first_arg = optind;
	return CD_OK;
}

enum cd_status
cli_parse_some(struct cli *c, const struct option *opts, cli_opt_fn fn, void *ctx, int min,
    int max, int *first_arg)
{
	enum cd_status st;
	int n;

	if ((st = cli_options(c, opts, fn, ctx, first_arg)) != CD_OK)
		return st;
	n = c->argc - *first_arg;
	if (n < min)
		return (enum cd_status)cli_usage_error(c, "missing %s",
		    min - n > 1 ? "arguments" : "an argument");
	if (n > max)
		return (enum cd_status)cli_usage_error(c, "unexpected argument '%.40s'",
		    c->argv[*first_arg + max]);
	return CD_OK;
}

enum cd_status
cli_parse(struct cli *c, const struct option *opts, cli_opt_fn fn, void *ctx, int n,
    int *first_arg)
{
	return cli_parse_some(c, opts, fn, ctx, n, n, first_arg);
}

enum cd_status
cli_open(struct cli *c, enum ops_open_mode mode)
{
	enum cd_status st;
	char *path = NULL;

	if ((st = ops_db_path(c->db_arg, &path, &c->err)) != CD_OK)
		return st;
	st = ops_open(&c->ops, path, mode, &c->err);
	free(path);
	return st;
}

enum cd_status
cli_no_option(struct cli *c, void *ctx, int opt, const char *arg)
{
	(void)ctx;
	(void)opt;
	(void)arg;
	return (enum cd_status)cli_usage_error(c, "this command takes no such option");
}

const struct option cli_no_opts[] = { { NULL, 0, NULL, 0 } };

int
cli_print_rows(struct cli *c, enum cd_action action, enum out_style style,
    const struct out_col *cols, int ncols, cli_fetch_fn fetch, void *arg)
{
	enum cd_status st;
	struct out o;

	if (c->format == OUT_ICS)
		return cli_usage_error(c, "--format ics is for agenda only; this command prints"
		    " text, csv or json");
	if ((st = cli_open(c, OPS_OPEN_USE)) != CD_OK)
		return cli_fail(c, st);
	if ((st = ops_require(&c->ops, action, &c->err)) != CD_OK)
		return cli_done(c, st);
	out_begin(&o, stdout, c->format, style, cols, ncols);
	st = fetch(c, arg, &o);
	if (st == CD_OK || o.rows > 0)
		out_end(&o);
	return cli_done(c, st);
}

int
cli_done(struct cli *c, enum cd_status st)
{
	ops_close(&c->ops);
	return cli_fail(c, st);
}

/* Takes --db and --format out of argv wherever they stand (before a
 * "--"), so every level accepts them. Returns the new argc. */
static int
take_global_options(struct cli *c, int argc, char **argv, int *status)
{
	int i, out = 0;

	for (i = 0; i < argc; i++) {
		const char *a = argv[i], *val = NULL;
		int is_db = 0, is_format = 0;

		if (strcmp(a, "--") == 0) {
			while (i < argc)
				argv[out++] = argv[i++];
			break;
		}
		if (strcmp(a, "--db") == 0 || strcmp(a, "--format") == 0) {
			is_db = a[2] == 'd';
			is_format = !is_db;
			if (i + 1 >= argc) {
				*status = cli_usage_error(c, "%s needs a value", a);
				return 0;
			}
			val = argv[++i];
		} else if (strncmp(a, "--db=", 5) == 0) {
			is_db = 1;
			val = a + 5;
		} else if (strncmp(a, "--format=", 9) == 0) {
			is_format = 1;
			val = a + 9;
		}
		if (is_db) {
			if (val[0] == '\0') {
				*status = cli_usage_error(c, "--db needs a file name");
				return 0;
			}
			c->db_arg = val;
		} else if (is_format) {
			if (!out_format_parse(val, &c->format)) {
				*status = cli_usage_error(c,
				    "--format: '%.20s' is not text, csv, json or ics", val);
				return 0;
			}
		} else
			argv[out++] = argv[i];
	}
	return out;
}

static int
dispatch(struct cli *c, int argc, char **argv)
{
	const struct cli_command *cmd, *group = NULL;
	int i;

	for (cmd = cli_commands; cmd->group != NULL; cmd++) {
		if (strcmp(cmd->group, argv[0]) != 0)
			continue;
		group = cmd;
		if (cmd->name == NULL || (argc > 1 && strcmp(cmd->name, argv[1]) == 0))
			break;
	}
	if (group == NULL)
		return cli_usage_error(c, "'%.40s' is not a command; 'celldesk --help' lists them",
		    argv[0]);
	if (cmd->group == NULL) {
		if (argc > 1 && is_help(argv[1])) {
			print_help_group(stdout, argv[0]);
			return 0;
		}
		if (argc == 1)
			return cli_usage_error(c, "'%s' needs a subcommand; 'celldesk %s --help' lists them",
			    argv[0], argv[0]);
		return cli_usage_error(c,
		    "'%.40s' is not a %s subcommand; 'celldesk %s --help' lists them", argv[1],
		    argv[0], argv[0]);
	}
	c->cmd = cmd;
	c->argc = cmd->name != NULL ? argc - 1 : argc;
	c->argv = cmd->name != NULL ? argv + 1 : argv;
	for (i = 1; i < c->argc && strcmp(c->argv[i], "--") != 0; i++) {
		if (is_help(c->argv[i])) {
			print_help_command(stdout, cmd);
			return 0;
		}
	}
	return cmd->run(c);
}

int
cli_main(int argc, char **argv, int (*interactive)(const char *db_arg))
{
	static char patient[] = "patient", list[] = "list";
	char *list_argv[] = { patient, list, NULL };
	struct cli c;
	int status = 0;

	memset(&c, 0, sizeof c);
	c.format = OUT_TEXT;
	argc = take_global_options(&c, argc - 1, argv + 1, &status);
	if (status != 0)
		return status;
	argv++;
	if (argc == 0) {
		if (interactive != NULL && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
			return interactive(c.db_arg);
		return dispatch(&c, 2, list_argv);
	}
	if (is_help(argv[0])) {
		print_help_all(stdout);
		return 0;
	}
	if (strcmp(argv[0], "--version") == 0 || strcmp(argv[0], "-V") == 0) {
		printf("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
		return 0;
	}
	if (argv[0][0] == '-')
		return cli_usage_error(&c, "unknown option %.40s; 'celldesk --help' lists the options",
		    argv[0]);
	return dispatch(&c, argc, argv);
}

bool
cli_parse_id(const char *s, int64_t *id)
{
	char *end;

	errno = 0;
	*id = strtoll(s, &end, 10);
	return errno == 0 && end != s && *end == '\0' && *id > 0;
}
