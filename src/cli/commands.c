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
	{ "site", "close", cli_site_close, ACT_SITE_MANAGE, "SITE --date YYYY-MM-DD [--reason TEXT]",
	    "close a site for a day (a holiday): nothing is booked there that day",
	    "  --date DATE      the local date\n"
	    "  --reason TEXT    shown when a booking meets the closure\n" },
	{ "resource", "away", cli_resource_away, ACT_SITE_MANAGE,
	    "NAME --site SITE --from \"D HH:MM\" --to \"D HH:MM\" [--reason TEXT]",
	    "record that a room, device or clinician is unavailable (local times)",
	    "  --site SITE      the resource's site\n"
	    "  --from, --to     \"YYYY-MM-DD HH:MM\" in the site's local time\n"
	    "  --reason TEXT    e.g. maintenance, leave\n" },
	{ "resource", "hours", cli_resource_hours, ACT_SITE_MANAGE, "NAME --site SITE SPEC",
	    "give a resource its own weekly hours, e.g. \"mon-fri 09:00-15:00\"",
	    "  --site SITE      the resource's site\n" },
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
	{ "protocol", "list", cli_protocol_list, ACT_PROTOCOL_VIEW, "[--format F]",
	    "list treatment protocols", FORMAT_OPT },
	{ "protocol", "show", cli_protocol_show, ACT_PROTOCOL_VIEW, "NAME",
	    "print a protocol as JSON (the form protocol add reads)", NULL },
	{ "protocol", "add", cli_protocol_add, ACT_PROTOCOL_MANAGE, "--file FILE",
	    "add a protocol from its JSON",
	    "  --file FILE      the protocol's JSON (see celldesk(1), PROTOCOLS)\n" },
	{ "protocol", "edit", cli_protocol_edit, ACT_PROTOCOL_MANAGE,
	    "NAME --file FILE [--reason TEXT]",
	    "replace a protocol; cycles already booked keep the version they were booked with",
	    "  --file FILE      the protocol's new JSON (same name)\n"
	    "  --reason TEXT    why, for the audit trail\n" },
	{ "course", "book", cli_course_book, ACT_BOOK,
	    "--patient MRN --protocol NAME --start YYYY-MM-DD [--time HH:MM]\n"
	    "        [--site SITE] [--source autologous|donor] [--courses N] [--gap DAYS]\n"
	    "        [--dry-run] [--force --reason TEXT] [--format F]",
	    "plan and book a whole treatment cycle in one step, or nothing",
	    "  --patient MRN    who\n"
	    "  --protocol NAME  which protocol (see protocol list)\n"
	    "  --start DATE     the day of the first injection (local)\n"
	    "  --time HH:MM     its preferred time (default: opening time)\n"
	    "  --site SITE      where (default: the patient's site)\n"
	    "  --source S       autologous or donor cells (default: the protocol's)\n"
	    "  --courses N      courses for this patient (default: the protocol's)\n"
	    "  --gap DAYS       days between courses (not below the protocol's minimum)\n"
	    "  --dry-run        print the plan, book nothing\n"
	    "  --force          allow double bookings (clinician or admin; needs --reason)\n"
	    FORMAT_OPT },
	{ "cycle", "show", cli_cycle_show, ACT_SCHEDULE_VIEW, "ID [--format F]",
	    "show a treatment cycle and every visit in it", FORMAT_OPT },
	{ "cycle", "list", cli_cycle_list, ACT_SCHEDULE_VIEW, "[--patient MRN] [--format F]",
	    "list treatment cycles", "  --patient MRN    only this patient's\n" FORMAT_OPT },
	{ "cycle", "cancel", cli_cycle_cancel, ACT_BOOK, "ID --reason TEXT",
	    "cancel a cycle's future visits; past visits keep their record",
	    "  --reason TEXT    why (kept on every cancelled visit)\n" },
	{ "appt", "show", cli_appt_show, ACT_SCHEDULE_VIEW, "ID [--format F]",
	    "show one visit", FORMAT_OPT },
	{ "appt", "move", cli_appt_move, ACT_BOOK,
	    "ID --to \"YYYY-MM-DD HH:MM\" [--this-only] [--reason TEXT] [--dry-run]\n"
	    "        [--force --reason TEXT] [--format F]",
	    "move a visit; later courses and follow-ups follow when the rules need it",
	    "  --to TIME        the new local date and time at the visit's site\n"
	    "  --this-only      move only this visit, or refuse when that breaks a rule\n"
	    "  --reason TEXT    why, for the audit trail\n"
	    "  --dry-run        print what would move, change nothing\n"
	    "  --force          allow a double booking (clinician or admin; needs --reason)\n"
	    FORMAT_OPT },
	{ "appt", "cancel", cli_appt_cancel, ACT_BOOK,
	    "ID [--by patient|clinic] [--reason TEXT]", "cancel one visit",
	    "  --by WHO         who cancelled: patient or clinic (default clinic)\n"
	    "  --reason TEXT    why\n" },
	{ "appt", "status", cli_appt_status, ACT_BOOK, "ID STATUS [--reason TEXT]",
	    "set a visit's status (checked-in, done, no-show, cancelled-by-..., booked)",
	    "  STATUS           booked, checked-in, done, no-show, cancelled-by-patient or\n"
	    "                   cancelled-by-clinic\n"
	    "  --reason TEXT    why\n" },
	{ "agenda", NULL, cli_agenda, ACT_SCHEDULE_VIEW,
	    "[--site SITE] [--date YYYY-MM-DD] [--days N] [--resource NAME]\n"
	    "        [--patient MRN] [--format text|csv|json|ics]",
	    "list visits by day, in each site's local time",
	    "  --site SITE      one site (default: every site)\n"
	    "  --date DATE      the first day (default: today)\n"
	    "  --days N         how many days (default 1, at most 366)\n"
	    "  --resource NAME  only visits using this room, device or clinician\n"
	    "  --patient MRN    only this patient's (every date unless --date/--days)\n"
	    "  --format F       text (default), csv, json or ics\n" },
	{ "calls", "mark", cli_calls_mark, ACT_BOOK,
	    "APPT --kind call|reminder --done|--unreachable [--note TEXT]",
	    "record a call's outcome: done, or the patient could not be reached",
	    "  APPT             the visit the call is about (the appt column of calls)\n"
	    "  --kind K         call (a planned call) or reminder (the day before a visit)\n"
	    "  --done           the call was made\n"
	    "  --unreachable    the patient could not be reached\n"
	    "  --note TEXT      e.g. \"left a voicemail\"\n" },
	{ "calls", NULL, cli_calls, ACT_SCHEDULE_VIEW, "[--date YYYY-MM-DD] [--site SITE] [--format F]",
	    "the day's calls: planned calls and reminders for the next day's visits, and their"
	    " outcomes",
	    "  --date DATE      the day of the calls (default: today at each site)\n"
	    "  --site SITE      one site (default: every site)\n" FORMAT_OPT },
	{ "export", "ics", cli_export_ics, ACT_SCHEDULE_VIEW, "--patient MRN [-o FILE]",
	    "write a patient's visits as an iCalendar file (RFC 5545)",
	    "  --patient MRN    whose visits\n"
	    "  -o, --output FILE  write to FILE instead of standard output\n" },
	{ "lot", "add", cli_lot_add, ACT_LOT_MANAGE,
	    "--id ID --kind autologous|donor (--patient MRN | --donor CODE)\n"
	    "        --source bone-marrow|adipose|cord-blood [--eligibility E] [--parent ID]\n"
	    "        [--cycle N] [--collected T] [--expires T] [--storage S] [--location PATH]\n"
	    "        [--volume ML] [--cells N]",
	    "record a collected lot of cells (status collected; custody starts)",
	    "  --id ID          ISBT 128 DIN-PRODUCT (G123426000001-S1234A00) or a local number\n"
	    "  --kind K         autologous (the patient's own cells) or donor\n"
	    "  --patient MRN    autologous: whose cells (never changes)\n"
	    "  --donor CODE     donor: the donor's code\n"
	    "  --eligibility E  donor: pending (default), eligible or ineligible\n"
	    "  --source S       bone-marrow, adipose or cord-blood (the product type)\n"
	    "  --parent ID      the lot this aliquot was split from\n"
	    "  --cycle N        the treatment cycle it is for\n"
	    "  --collected T    \"YYYY-MM-DD HH:MM\" local (default: now)\n"
	    "  --expires T      \"YYYY-MM-DD HH:MM\" local (default: the lab's expiry rule)\n"
	    "  --storage S      fresh (default) or cryopreserved\n"
	    "  --location PATH  SITE[/UNIT[/RACK/BOX/POS]]\n"
	    "  --volume ML, --cells N  volume in mL, cell count\n" },
	{ "lot", "show", cli_lot_show, ACT_LOT_VIEW, "ID [--format F]",
	    "show a lot: identity, status, place, expiry, QC, release signature", FORMAT_OPT },
	{ "lot", "list", cli_lot_list, ACT_LOT_VIEW,
	    "[--status S|all] [--site SITE] [--patient MRN] [--expiring-within 7d]\n"
	    "        [--limit N] [--format F]",
	    "list lots in stock by expiry (first to expire first)",
	    "  --status S       one status, or all (default: every lot still in stock)\n"
	    "  --site SITE      only this site's\n"
	    "  --patient MRN    the patient's own lots and the lots they received\n"
	    "  --expiring-within SPAN  in stock and expiring within 7d, 48h ... (and\n"
	    "                   those already expired)\n"
	    "  --limit N        at most N lots\n" FORMAT_OPT },
	{ "lot", "receive", cli_lot_receive, ACT_LOT_MANAGE, "ID [--to PATH]",
	    "the lab receives a collected lot for processing",
	    "  --to PATH        where it is now: SITE[/UNIT[/RACK/BOX/POS]]\n" },
	{ "lot", "store", cli_lot_store, ACT_LOT_MANAGE,
	    "ID --to PATH [--storage fresh|cryopreserved]",
	    "store a processed lot in quarantine until its QC and release",
	    "  --to PATH        SITE/UNIT[/RACK/BOX/POS]\n"
	    "  --storage S      cryopreserved: the expiry becomes the cryopreserved rule's\n" },
	{ "lot", "move", cli_lot_move, ACT_LOT_MANAGE,
	    "ID --to PATH [--temp C] [--note TEXT]", "record a transfer of a lot",
	    "  --to PATH        SITE[/UNIT[/RACK/BOX/POS]]\n"
	    "  --temp C         its temperature on arrival\n"
	    "  --note TEXT      e.g. the courier\n" },
	{ "lot", "thaw", cli_lot_thaw, ACT_LOT_MANAGE, "ID",
	    "record that a cryopreserved lot was thawed (its expiry shortens)", NULL },
	{ "lot", "eligibility", cli_lot_eligibility, ACT_LOT_MANAGE,
	    "ID eligible|ineligible [--reason TEXT]",
	    "record the donor-eligibility decision for a donor lot",
	    "  --reason TEXT    e.g. the screening results it rests on\n" },
	{ "lot", "qc", cli_lot_qc, ACT_LOT_MANAGE, "ID TEST=VALUE...",
	    "record QC results, e.g. viability=92.5 sterility=negative endotoxin=0.1", NULL },
	{ "lot", "release", cli_lot_release, ACT_LOT_RELEASE, "ID --sign \"NAME\"",
	    "sign a lot's release (QC in limits, donor eligible, not expired)",
	    "  --sign NAME      your printed name, as the clinic records it\n" },
	{ "lot", "reserve", cli_lot_reserve, ACT_LOT_RESERVE, "ID --appt APPT",
	    "reserve a released lot for an injection visit",
	    "  --appt APPT      the injection visit (see agenda)\n" },
	{ "lot", "suggest", cli_lot_suggest, ACT_LOT_VIEW, "--appt APPT [--format F]",
	    "lots that could serve an injection visit, first to expire first",
	    "  --appt APPT      the injection visit\n" FORMAT_OPT },
	{ "lot", "issue", cli_lot_issue, ACT_LOT_ISSUE, "ID [--to USER]",
	    "hand a reserved lot over for its visit",
	    "  --to USER        who takes it (default: you)\n" },
	{ "lot", "administer", cli_lot_administer, ACT_LOT_ADMINISTER,
	    "ID --patient MRN [--appt APPT]",
	    "the bedside check: the wristband and the lot must match, then it is given",
	    "  --patient MRN    the MRN on the patient's wristband\n"
	    "  --appt APPT      the visit (must be the one the lot is reserved for)\n" },
	{ "lot", "return", cli_lot_return, ACT_LOT_MANAGE,
	    "ID [--to PATH] [--reason TEXT]", "return a reserved or issued lot to stock",
	    "  --to PATH        where it goes back to\n"
	    "  --reason TEXT    why\n" },
	{ "lot", "discard", cli_lot_discard, ACT_LOT_MANAGE, "ID --reason TEXT",
	    "discard a lot that was not administered", "  --reason TEXT    why\n" },
	{ "lot", "trace", cli_lot_trace, ACT_LOT_VIEW,
	    "ID | ID --forward | ID --back | --donor CODE --forward | --patient MRN --back",
	    "a lot's chain of custody, or the lots and patients it leads to or comes from",
	    "  --forward        every lot split from it and every patient who received one\n"
	    "  --back           the lots it was split from, up to the harvest or donor\n"
	    "  --donor CODE     start from every lot of a donor\n"
	    "  --patient MRN    start from every lot a patient received\n" FORMAT_OPT },
	{ "lot", "at-risk", cli_lot_at_risk, ACT_LOT_VIEW, "[--site SITE] [--days N]",
	    "reserved lots expiring before their visit, and injections without a released lot",
	    "  --site SITE      only this site's\n"
	    "  --days N         injection visits of the next N days (default 7)\n" FORMAT_OPT },
	{ "lot", "scheme", cli_lot_scheme, ACT_LOT_SETUP, "[isbt128|local|both] [--prefix P]",
	    "show (any role) or set how the clinic numbers its lots",
	    "  --prefix P       local numbers must start with P (e.g. KY-)\n" },
	{ "label", NULL, cli_label, ACT_LOT_VIEW, "ID",
	    "print a lot's label text (FOR AUTOLOGOUS USE ONLY where it applies)", NULL },
	{ "scan", NULL, cli_scan, ACT_LOT_VIEW, "TEXT [--format F]",
	    "identify what a barcode scanner sent: ISBT 128 DIN, product, expiry, lot, wristband",
	    FORMAT_OPT },
	{ "product", "list", cli_product_list, ACT_LOT_VIEW, "[--format F]",
	    "the lab's QC limits and expiry rules per product type (source tissue)", FORMAT_OPT },
	{ "product", "limit", cli_product_limit, ACT_LOT_SETUP,
	    "SOURCE TEST (--min X | --max Y | --expect WORD) [--unit U]",
	    "set a QC limit a lot must meet to be released",
	    "  --min X, --max Y a measured test's range (either end may be open)\n"
	    "  --expect WORD    a test read as a word, e.g. negative\n"
	    "  --unit U         e.g. %, EU/mL\n" },
	{ "product", "expiry", cli_product_expiry, ACT_LOT_SETUP,
	    "SOURCE --storage fresh|cryopreserved|thawed --hours N",
	    "set how long a product keeps in a storage state (proposes expiries)",
	    "  --storage S      fresh, cryopreserved or thawed\n"
	    "  --hours N        e.g. 48 for fresh, 43800 for 5 years\n" },
	{ "storage", "add", cli_storage_add, ACT_LOT_SETUP,
	    "NAME --site SITE --kind KIND --min C --max C",
	    "add a storage unit (LN2 tank, freezer, ...) with the temperatures it must keep",
	    "  --site SITE      the site it stands at\n"
	    "  --kind KIND      ln2-tank, freezer, fridge, incubator or room\n"
	    "  --min C, --max C the allowed range in degrees Celsius, e.g. --min -196 --max -150\n" },
	{ "storage", "list", cli_storage_list, ACT_LOT_VIEW, "[--site SITE] [--format F]",
	    "list storage units: limits, lots stored, last reading, open excursions",
	    "  --site SITE      only this site's\n" FORMAT_OPT },
	{ "storage", "reading", cli_storage_reading, ACT_LOT_MANAGE,
	    "UNIT --site SITE --temp C [--at \"YYYY-MM-DD HH:MM\"]",
	    "record a unit's temperature; outside its limits, the lots stored there are flagged",
	    "  --site SITE      the unit's site\n"
	    "  --temp C         degrees Celsius, e.g. -190.5\n"
	    "  --at TIME        when it was read, local time at the site (default: now)\n" },
	{ "storage", "import", cli_storage_import, ACT_LOT_MANAGE, "FILE",
	    "import temperature readings from a CSV file (site,unit,time,temp_c), all or nothing",
	    "  FILE             CSV with the header site,unit,time,temp_c; time is the\n"
	    "                   site's local \"YYYY-MM-DD HH:MM\" or UTC \"YYYY-MM-DDTHH:MM:SSZ\"\n" },
	{ "storage", "readings", cli_storage_readings, ACT_LOT_VIEW,
	    "UNIT --site SITE [--days N] [--format F]",
	    "list a unit's temperature readings, newest first",
	    "  --site SITE      the unit's site\n"
	    "  --days N         the last N days (default 7, at most 366)\n" FORMAT_OPT },
	{ "storage", "excursions", cli_storage_excursions, ACT_LOT_VIEW,
	    "[--site SITE] [--format F]",
	    "list open temperature excursions (no corrective action yet) and the lots they flag",
	    "  --site SITE      only this site's\n" FORMAT_OPT },
	{ "storage", "correct", cli_storage_correct, ACT_LOT_MANAGE, "READING --note TEXT",
	    "record the corrective action for an excursion; its lots are no longer flagged",
	    "  READING          the excursion's reading number (see storage excursions)\n"
	    "  --note TEXT      what was done, e.g. \"LN2 refilled; lots checked\"\n" },
	{ "sync", "status", cli_sync_status, ACT_SYNC_VIEW, "[--format F]",
	    "show the lab link: orders waiting, sent and failed, cursors, last success and failure",
	    FORMAT_OPT },
	{ "sync", "outbox", cli_sync_outbox, ACT_SYNC_VIEW,
	    "[--status pending|sent|failed] [--format F]",
	    "list the orders for the lab, newest first (the last 50)",
	    "  --status S       only pending, sent or failed ones\n" FORMAT_OPT },
	{ "sync", "retry", cli_sync_retry, ACT_SYNC_RUN, "ID",
	    "send an order the lab refused again, once what it said is put right",
	    "  ID               the outbox row (see sync outbox --status failed)\n" },
	{ "sync", "review", cli_sync_review, ACT_SYNC_VIEW, "[--all] [--format F]",
	    "list what the lab sent that celldesk could not apply (unknown lot or patient, refused"
	    " by the rules)",
	    "  --all            resolved items too\n" FORMAT_OPT },
	{ "sync", "resolve", cli_sync_resolve, ACT_SYNC_RUN, "ID --note TEXT",
	    "close a review item, saying what was done",
	    "  ID               the review item (see sync review)\n"
	    "  --note TEXT      what was done, for the audit trail\n" },
	{ "sync", NULL, cli_sync, ACT_SYNC_RUN, "[--watch [--interval SECONDS]]",
	    "send the lab its orders and take in its results and product status",
	    "  --watch          keep syncing until stopped (SIGTERM or Ctrl-C)\n"
	    "  --interval S     seconds between runs with --watch (default 60)\n" },
	{ "audit", "verify", cli_audit_verify, ACT_AUDIT, "",
	    "check the audit trail's hash chain and name the first broken record", NULL },
	{ "audit", "log", cli_audit_log, ACT_AUDIT,
	    "[--table T] [--row K] [--since YYYY-MM-DD] [--limit N] [--format F]",
	    "show the history of changes, newest first",
	    "  --table T        only changes to table T: patients, staff, sites, resources,\n"
	    "                   site_closures, resource_absences, protocols, cycles,\n"
	    "                   appointments, call_outcomes, lots, custody_events, qc_results,\n"
	    "                   signatures, bedside_checks, storage_units, temperature_readings,\n"
	    "                   qc_limits, expiry_rules, settings\n"
	    "  --row K          only changes to the row with key K (an MRN, a user name)\n"
	    "  --since DATE     only changes on or after DATE (UTC)\n"
	    "  --limit N        at most N records\n" FORMAT_OPT },
	{ "backup", NULL, cli_backup, ACT_BACKUP, "FILE",
	    "copy the database to a new FILE, safely while others work", NULL },
	{ "demo", NULL, cli_demo, ACT_DEMO, "[--scale small|large] [--seed N]",
	    "fill an empty database with a demo clinic network",
	    "  --scale S        small (default; 240 patients) or large (100,000 patients)\n"
	    "  --seed N         the same seed always gives the same data (default 1)\n" },
	{ "keys", NULL, cli_keys, ACT_PATIENT_VIEW, "[--format F]",
	    "list every key of the full-screen interface, screen by screen, with the role it"
	    " needs",
	    FORMAT_OPT },
	{ NULL, NULL, NULL, ACT__COUNT, NULL, NULL, NULL },
};
