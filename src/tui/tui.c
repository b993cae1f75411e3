/* tui.c - placeholder until the patient browser lands. */
#include "config.h"
#include "tui.h"
int tui_main(const char *db_arg) { (void)db_arg; return 0; }
