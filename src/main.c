/* main.c - celldesk: scheduling and cell-lot tracking for a
 * regenerative-medicine clinic. Sets up the locale and hands over to
 * the command line, which opens the full-screen interface when asked. */
#include "config.h"

#include <langinfo.h>
#include <locale.h>
#include <string.h>

#include "cli/cli.h"
#include "tui/tui.h"

int
main(int argc, char **argv)
{
	/* Names are UTF-8 whatever the terminal's locale says: width and
	 * case rules need a UTF-8 character type. */
	if (setlocale(LC_ALL, "") == NULL || strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
		setlocale(LC_CTYPE, "C.UTF-8");
	/* Numbers are read and written with a point whatever the locale:
	 * a QC result of 92.5 is never 92,5. */
	setlocale(LC_NUMERIC, "C");
	return cli_main(argc, argv, tui_main);
}
