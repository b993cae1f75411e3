/* cli.h - the command line: one table of commands (name, role, usage,
 * handler), one dispatcher, one file per command group. */
#ifndef CD_CLI_H
#define CD_CLI_H

#include <getopt.h>

#include "../core/roles.h"
#include "../ops/ops.h"
#include "output.h"

struct cli_command;

struct cli {
	const char *db_arg;          /* --db, or NULL */
	enum out_format format;      /* --format */
	int argc;                    /* the command's own arguments, */
	char **argv;                 /* argv[0] being the command's name */
	const struct cli_command *cmd;
	struct ops ops;
	struct cd_err err;
};

struct cli_command {
	const char *group;   /* "patient" */
	const char *name;    /* "add"; NULL for one-word commands */
	int (*run)(struct cli *c);
	enum cd_action action; /* the permission it needs (shown in help) */
	const char *usage;   /* the arguments after the command words */
	const char *summary; /* one line */
	const char *options; /* option help, lines of "  --x  what" or NULL */
};

extern const struct cli_command cli_commands[];

/* Runs the program with its whole argv; returns the exit status. With
 * no command on a terminal it calls interactive (the full-screen
 * interface) when given; otherwise it lists patients. */
int cli_main(int argc, char **argv, int (*interactive)(const char *db_arg));

/* For handlers: parses the command's options with getopt_long, calling
 * fn(c, ctx, opt, optarg) for each, then expects exactly n operands,
 * from argv[*first] on. Returns CD_OK, or CD_USAGE after printing the
 * problem. */
typedef enum cd_status (*cli_opt_fn)(struct cli *c, void *ctx, int opt, const char *arg);
enum cd_status cli_parse(struct cli *c, const struct option *opts, cli_opt_fn fn, void *ctx,
    int n, int *first);
/* The same, with min to max operands. */
enum cd_status cli_parse_some(struct cli *c, const struct option *opts, cli_opt_fn fn,
    void *ctx, int min, int max, int *first);
/* A visit or cycle ID operand: a positive whole number. */
bool cli_parse_id(const char *s, int64_t *id);
/* Opens the database for the actor (mode as ops_open). */
enum cd_status cli_open(struct cli *c, enum ops_open_mode mode);
/* Prints c->err (sanitized) and returns its status as the exit code. */
int cli_fail(struct cli *c, enum cd_status st);
/* Prints a usage error for the current command and returns CD_USAGE. */
int cli_usage_error(struct cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Closes the database and returns st. */
int cli_done(struct cli *c, enum cd_status st);

/* An option callback for commands without options, and their table. */
enum cd_status cli_no_option(struct cli *c, void *ctx, int opt, const char *arg);
extern const struct option cli_no_opts[];

/* Prints a listing: opens the database, checks action before printing
 * anything, then fetch(c, arg, out) streams rows into out. */
typedef enum cd_status (*cli_fetch_fn)(struct cli *c, void *arg, struct out *o);
int cli_print_rows(struct cli *c, enum cd_action action, enum out_style style,
    const struct out_col *cols, int ncols, cli_fetch_fn fetch, void *arg);

/* Handlers, by file. */
int cli_init(struct cli *c);
int cli_backup(struct cli *c);
int cli_demo(struct cli *c);
int cli_staff_add(struct cli *c);
int cli_staff_list(struct cli *c);
int cli_keys(struct cli *c);
int cli_staff_disable(struct cli *c);
int cli_staff_enable(struct cli *c);
int cli_site_add(struct cli *c);
int cli_site_list(struct cli *c);
int cli_resource_add(struct cli *c);
int cli_resource_list(struct cli *c);
int cli_patient_add(struct cli *c);
int cli_patient_list(struct cli *c);
int cli_patient_show(struct cli *c);
int cli_patient_edit(struct cli *c);
int cli_audit_verify(struct cli *c);
int cli_audit_log(struct cli *c);
int cli_site_close(struct cli *c);
int cli_resource_away(struct cli *c);
int cli_resource_hours(struct cli *c);
int cli_protocol_list(struct cli *c);
int cli_protocol_show(struct cli *c);
int cli_protocol_add(struct cli *c);
int cli_protocol_edit(struct cli *c);
int cli_course_book(struct cli *c);
int cli_cycle_show(struct cli *c);
int cli_cycle_list(struct cli *c);
int cli_cycle_cancel(struct cli *c);
int cli_appt_show(struct cli *c);
int cli_appt_move(struct cli *c);
int cli_appt_cancel(struct cli *c);
int cli_appt_status(struct cli *c);
int cli_agenda(struct cli *c);
int cli_calls(struct cli *c);
int cli_calls_mark(struct cli *c);
int cli_export_ics(struct cli *c);
int cli_lot_add(struct cli *c);
int cli_lot_show(struct cli *c);
int cli_lot_list(struct cli *c);
int cli_lot_receive(struct cli *c);
int cli_lot_store(struct cli *c);
int cli_lot_move(struct cli *c);
int cli_lot_thaw(struct cli *c);
int cli_lot_eligibility(struct cli *c);
int cli_lot_qc(struct cli *c);
int cli_lot_release(struct cli *c);
int cli_lot_reserve(struct cli *c);
int cli_lot_suggest(struct cli *c);
int cli_lot_issue(struct cli *c);
int cli_lot_administer(struct cli *c);
int cli_lot_return(struct cli *c);
int cli_lot_discard(struct cli *c);
int cli_lot_trace(struct cli *c);
int cli_lot_at_risk(struct cli *c);
int cli_lot_scheme(struct cli *c);
int cli_label(struct cli *c);
int cli_scan(struct cli *c);
int cli_product_list(struct cli *c);
int cli_product_limit(struct cli *c);
int cli_product_expiry(struct cli *c);
int cli_storage_add(struct cli *c);
int cli_storage_list(struct cli *c);
int cli_storage_reading(struct cli *c);
int cli_storage_import(struct cli *c);
int cli_storage_readings(struct cli *c);
int cli_storage_excursions(struct cli *c);
int cli_storage_correct(struct cli *c);
int cli_sync(struct cli *c);
int cli_sync_status(struct cli *c);
int cli_sync_outbox(struct cli *c);
int cli_sync_retry(struct cli *c);
int cli_sync_review(struct cli *c);
int cli_sync_resolve(struct cli *c);

#endif
