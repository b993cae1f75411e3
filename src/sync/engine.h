/* engine.h - one run of the lab sync: send the outbox, then pull the
 * lab's DiagnosticReports (with their Observations) and
 * BiologicallyDerivedProducts page by page, each page applied whole. */
#ifndef CD_SYNC_ENGINE_H
#define CD_SYNC_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "../ops/ops.h"
#include "lab_config.h"

struct sync_summary {
	int64_t sent;        /* orders the lab took */
	int64_t failed;      /* orders the lab refused, and requests that failed */
	struct ops_lab_counts in;
	bool ok;             /* nothing failed */
	char message[1024];  /* the first failure, in words */
};

/* Runs once. CD_OK when the run could start (the summary then says
 * whether anything failed); CD_REFUSED when the actor may not run the
 * sync or no lab is configured. The run is recorded for sync status. */
enum cd_status sync_run(struct ops *o, const struct lab_config *c, struct sync_summary *s,
    struct cd_err *err);

/* "sync: sent 3, pulled 12 (applied 10, to review 2), failed 0" */
void sync_summary_line(const struct sync_summary *s, char *buf, size_t n);

#endif
