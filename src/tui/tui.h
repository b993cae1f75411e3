/* tui.h - the full-screen ncursesw interface. */
#ifndef CD_TUI_H
#define CD_TUI_H

#include "../db/db.h"

/* Runs the interface on the database chosen as the command line would
 * (db_arg is --db or NULL); returns the exit status. */
int tui_main(const char *db_arg);

/* Every key of every screen as rows screen, keys, does, roles: for
 * `celldesk keys` and the man page's check. */
enum cd_status tui_keys_list(cd_row_fn fn, void *ctx, struct cd_err *err);

#endif
