/* tui.h - the full-screen ncursesw interface. */
#ifndef CD_TUI_H
#define CD_TUI_H

/* Runs the interface on the database chosen as the command line would
 * (db_arg is --db or NULL); returns the exit status. */
int tui_main(const char *db_arg);

#endif
