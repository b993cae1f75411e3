/* commands.c - the table of every command: its words, handler, the
 * permission it needs and its help. Help and the man page's command
 * list are checked against this table. */
#include "config.h"

#include <stddef.h>

#include "cli.h"

#define FORMAT_OPT "  --format F       text (default), csv or json\n"

const struct cli_command cli_commands[] = {
	{ "init", NULL, cli_init, ACT_MIGRATE, "",
	    "create the database or bring its schema up to date; the first user becomes admin",
	    NULL },
	{ "staff", "add", cli_staff_add, ACT_STAFF_MANAGE, "USER --name NAME --role R[,R...]",
	    "add a Unix account as staff with roles frontdesk, lab, clinician, admin",
	    "  --name NAME      the person's full name\n"
	    "  --role R[,R...]  one or more of frontdesk, lab, clinician, admin\n" },
	{ "staff", "list", cli_staff_list, ACT_STAFF_VIEW, "[--format F]",
	    "list staff, their roles and whether they are active", FORMAT_OPT },
	{ "staff", "disable", cli_staff_disable, ACT_STAFF_MANAGE, "USER [--reason TEXT]",
	    "stop an account from using celldesk (its history stays)",
	    "  --reason TEXT    why, for the audit trail\n" },
	{ "staff", "enable", cli_staff_enable, ACT_STAFF_MANAGE, "USER [--reason TEXT]",
	    "let a disabled account use celldesk again",
	    "  --reason TEXT    why, for the audit trail\n" },
	{ "site", "add", cli_site_add, ACT_SITE_MANAGE, "NAME --tz ZONE [--hours SPEC]",
	    "add a clinic site in its IANA time zone",
	    "  --tz ZONE        IANA time zone, e.g. Europe/Kyiv\n"
	    "  --hours SPEC     opening hours, e.g. \"mon-fri 08:00-18:00, sat 09:00-13:00\"\n"
	    "                   (default mon-fri 08:00-18:00)\n" },
	{ "site", "list", cli_site_list, ACT_SITE_VIEW, "[--format F]",
	    "list sites with their time zone and hours", FORMAT_OPT },
	{ "resource", "add", cli_resource_add, ACT_SITE_MANAGE,
	    "NAME --site SITE --kind room|device|clinician [--tags T,...]",
	    "add a bookable room, device or clinician to a site",
	    "  --site SITE      the site it belongs to\n"
	    "  --kind KIND      room, device or clinician\n"
	    "  --tags T,...     e.g. ultrasound,fluoroscopy\n" },
	{ "resource", "list", cli_resource_list, ACT_SITE_VIEW, "[--site SITE] [--format F]",
	    "list resources", "  --site SITE      only this site's\n" FORMAT_OPT },
	{ "patient", "add", cli_patient_add, ACT_PATIENT_EDIT,
	    "--mrn MRN --name NAME --dob YYYY-MM-DD [--phone P] [--site SITE]\n"
	    "        [--language L] [--condition C] [--notes TEXT]",
	    "register a patient",
	    "  --mrn MRN        medical record number (letters, digits, - / .)\n"
	    "  --name NAME      full name\n"
	    "  --dob DATE       date of birth, YYYY-MM-DD\n"
	    "  --phone P        phone number\n"
	    "  --site SITE      preferred site\n"
	    "  --language L     preferred language\n"
	    "  --condition C    what is being treated\n"
	    "  --notes TEXT     free-text notes\n" },
	{ "patient", "list", cli_patient_list, ACT_PATIENT_VIEW,
	    "[--search Q] [--limit N] [--format F]",
	    "list patients by name, or find them by name, MRN or phone",
	    "  --search Q       words that start names, an MRN prefix or phone digits\n"
	    "  --limit N        at most N patients\n" FORMAT_OPT },
	{ "patient", "show", cli_patient_show, ACT_PATIENT_VIEW, "MRN [--format F]",
	    "show one patient's record", FORMAT_OPT },
	{ "patient", "edit", cli_patient_edit, ACT_PATIENT_EDIT,
	    "MRN [--name N] [--dob D] [--phone P] [--site S] [--language L]\n"
	    "        [--condition C] [--notes TEXT] [--reason TEXT]",
	    "change a patient's record; an empty value clears an optional field",
	    "  --reason TEXT    why, for the audit trail\n"
	    "  (other options as for patient add)\n" },
	{ "audit", "verify", cli_audit_verify, ACT_AUDIT, "",
	    "check the audit trail's hash chain and name the first broken record", NULL },
	{ "audit", "log", cli_audit_log, ACT_AUDIT,
	    "[--table T] [--row K] [--since YYYY-MM-DD] [--limit N] [--format F]",
	    "show the history of changes, newest first",
	    "  --table T        only changes to table T (patients, staff, sites, resources)\n"
	    "  --row K          only changes to the row with key K (an MRN, a user name)\n"
	    "  --since DATE     only changes on or after DATE (UTC)\n"
	    "  --limit N        at most N records\n" FORMAT_OPT },
	{ "backup", NULL, cli_backup, ACT_BACKUP, "FILE",
	    "copy the database to a new FILE, safely while others work", NULL },
	{ "demo", NULL, cli_demo, ACT_DEMO, "[--scale small|large] [--seed N]",
	    "fill an empty database with a demo clinic network",
	    "  --scale S        small (default; 240 patients) or large (100,000 patients)\n"
	    "  --seed N         the same seed always gives the same data (default 1)\n" },
	{ NULL, NULL, NULL, ACT__COUNT, NULL, NULL, NULL },
};
