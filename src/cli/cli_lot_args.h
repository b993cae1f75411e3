/* cli_lot_args.h - the options the lot, label, scan and product commands
 * share, parsed by one callback (cli_lots.c). */
#ifndef CD_CLI_LOT_ARGS_H
#define CD_CLI_LOT_ARGS_H

#include "cli.h"

struct lot_args {
	struct ops_lot_new n;   /* lot add, and --patient, --storage elsewhere */
	const char *to, *note, *sign, *reason, *status, *site, *within;
	const char *expect, *unit, *prefix, *donor_filter;
	bool forward, back, check;
	double temp, min, max;  /* NAN: not given */
	int64_t appt, limit, days, hours;
};

void lot_args_init(struct lot_args *a);
/* A cli_opt_fn for struct lot_args; the option letters are fixed here:
 * see lot_option in cli_lots.c. */
enum cd_status lot_option(struct cli *c, void *ctx, int opt, const char *arg);

#endif
