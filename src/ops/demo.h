/* demo.h - what the two files of the demo share: its random numbers
 * (the same on every machine, so a seed gives the same clinic) and the
 * treatment calendar demo.c asks demo_schedule.c to make. Not used
 * outside the demo. */
#ifndef CD_DEMO_H
#define CD_DEMO_H

#include <stdbool.h>
#include <stdint.h>

#include "ops.h"

/* splitmix64: the next number of the sequence in *s. */
uint64_t demo_rng_next(uint64_t *s);
/* A number from 0 to n - 1. */
unsigned demo_rng_below(uint64_t *s, unsigned n);
#define DEMO_PICK(s, arr) ((arr)[demo_rng_below((s), sizeof(arr) / sizeof((arr)[0]))])

/* The treatment calendar (demo_schedule.c). Patient i has id pt_id[i],
 * preferred site site_ids[pt_site[i]] and condition pt_cond[i]. */
enum cd_status demo_schedule(struct ops *o, const char *now, bool large,
    const int64_t *site_ids, unsigned nsites, const int64_t *pt_id,
    const unsigned char *pt_site, const char *const *pt_cond, int64_t npts, uint64_t *rng,
    struct cd_err *err);

/* The cell lots of that calendar (demo_lots.c): storage units and their
 * temperatures, lots in every status with their custody, QC,
 * signatures and bedside checks, and the sites' donor stock. */
enum cd_status demo_lots(struct ops *o, const char *now, bool large, const int64_t *site_ids,
    unsigned nsites, const int64_t *pt_id, const char *const *pt_cond, int64_t npts,
    uint64_t *rng, struct cd_err *err);

#endif
