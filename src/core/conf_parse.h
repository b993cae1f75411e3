/* conf_parse.h - the celldesk.conf(5) format: "key = value" lines,
 * [section] headers, # and ; comments, optional double quotes. */
#ifndef CD_CONF_PARSE_H
#define CD_CONF_PARSE_H

#include <stddef.h>

#include "status.h"

/* Called for each setting; section is "" before any header. Return
 * non-zero to stop early (conf_parse then returns CD_OK). */
typedef int (*conf_fn)(void *ctx, const char *section, const char *key,
    const char *value);

/* Parses text (len bytes, need not be NUL-terminated). A malformed line
 * fails with CD_EDATA naming fname and the line number. */
enum cd_status conf_parse(const char *text, size_t len, const char *fname,
    conf_fn fn, void *ctx, struct cd_err *err);

#endif
