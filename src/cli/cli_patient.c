/* cli_patient.c - patient add, list, show and edit. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

static const struct option patient_opts[] = {
	{ "mrn", required_argument, NULL, 'm' },
	{ "name", required_argument, NULL, 'n' },
	{ "dob", required_argument, NULL, 'd' },
	{ "phone", required_argument, NULL, 'p' },
	{ "site", required_argument, NULL, 's' },
	{ "language", required_argument, NULL, 'l' },
	{ "condition", required_argument, NULL, 'c' },
	{ "notes", required_argument, NULL, 'o' },
	{ "reason", required_argument, NULL, 'r' },
	{ NULL, 0, NULL, 0 },
};

struct patient_args {
	struct ops_patient p;
	const char *reason;
	bool edit;
};

static enum cd_status
patient_option(struct cli *c, void *ctx, int opt, const char *arg)
{
	struct patient_args *a = ctx;

	switch (opt) {
	case 'm':
		if (a->edit)
			return (enum cd_status)cli_usage_error(c,
			    "an MRN cannot be changed; it identifies the patient's records");
		a->p.mrn = arg;
		break;
	case 'n': a->p.name = arg; break;
	case 'd': a->p.dob = arg; break;
	case 'p': a->p.phone = arg; break;
	case 's': a->p.site = arg; break;
	case 'l': a->p.language = arg; break;
	case 'c': a->p.condition = arg; break;
	case 'o': a->p.notes = arg; break;
	default:
		if (!a->edit)
			return (enum cd_status)cli_usage_error(c, "--reason belongs to patient edit");
		a->reason = arg;
		break;
	}
	return CD_OK;
}

int
cli_patient_add(struct cli *c)
{
	struct patient_args a = { .edit = false };
	enum cd_status st;
	int first;

	if ((st = cli_parse(c, patient_opts, patient_option, &a, 0, &first)) != CD_OK)
		return st;
	if (a.p.mrn == NULL || a.p.name == NULL || a.p.dob == NULL)
		return cli_usage_error(c, "patient add needs --mrn, --name and --dob");
	if ((st = cli_open(c, OPS_OPEN_USE)) != CD_OK)
		return cli_fail(c, st);
	if ((st = ops_patient_add(&c->ops, &a.p, &c->err)) == CD_OK)
		printf("Added patient %s.\n", a.p.mrn);
	return cli_done(c, st);
}

int
cli_patient_edit(struct cli *c)
{
	struct patient_args a = { .edit = true };
	enum cd_status st;
	int first;

	if ((st = cli_parse(c, patient_opts, patient_option, &a, 1, &first)) != CD_OK)
		return st;
	if (a.p.name == NULL && a.p.dob == NULL && a.p.phone == NULL && a.p.site == NULL &&
	    a.p.language == NULL && a.p.condition == NULL && a.p.notes == NULL)
		return cli_usage_error(c, "patient edit needs at least one field to change");
	if ((st = cli_open(c, OPS_OPEN_USE)) != CD_OK)
		return cli_fail(c, st);
	st = ops_patient_edit(&c->ops, c->argv[first], &a.p, a.reason, &c->err);
	if (st == CD_OK) {
		fputs("Changed patient ", stdout);
		out_line(stdout, c->argv[first]);
	}
	return cli_done(c, st);
}

static enum cd_status
list_option(struct cli *c, void *ctx, int opt, const char *arg)
{
	struct db_patient_query *q = ctx;
	char *end;

	if (opt == 'q') {
		q->search = arg;
		return CD_OK;
	}
	errno = 0;
	q->limit = strtoll(arg, &end, 10);
	if (errno != 0 || *end != '\0' || end == arg || q->limit <= 0)
		return (enum cd_status)cli_usage_error(c, "--limit: '%.20s' is not a positive number",
		    arg);
	return CD_OK;
}

static enum cd_status
fetch_patients(struct cli *c, void *arg, struct out *o)
{
	return ops_patient_list(&c->ops, arg, out_row, o, &c->err);
}

int
cli_patient_list(struct cli *c)
{
	static const struct option opts[] = {
		{ "search", required_argument, NULL, 'q' },
		{ "limit", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct out_col cols[] = {
		{ "mrn", 11, false }, { "name", 30, false }, { "dob", 11, false }, { "phone", 18, false }, { "site", 0, false },
	};
	struct db_patient_query q = { NULL, 0, 0 };
	enum cd_status st;
	int first;

	if ((st = cli_parse(c, opts, list_option, &q, 0, &first)) != CD_OK)
		return st;
	return cli_print_rows(c, ACT_PATIENT_VIEW, OUT_TABLE, cols, 5, fetch_patients, &q);
}

static enum cd_status
fetch_patient(struct cli *c, void *arg, struct out *o)
{
	return ops_patient_show(&c->ops, arg, out_row, o, &c->err);
}

int
cli_patient_show(struct cli *c)
{
	static const struct out_col cols[] = {
		{ "mrn", 0, false }, { "name", 0, false }, { "dob", 0, false }, { "phone", 0, false }, { "site", 0, false },
		{ "language", 0, false }, { "condition", 0, false }, { "notes", 0, false }, { "created", 0, false },
		{ "updated", 0, false },
	};
	enum cd_status st;
	int first;

	if ((st = cli_parse(c, cli_no_opts, cli_no_option, NULL, 1, &first)) != CD_OK)
		return st;
	return cli_print_rows(c, ACT_PATIENT_VIEW, OUT_RECORD, cols, 10, fetch_patient,
	    c->argv[first]);
}
