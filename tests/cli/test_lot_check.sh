#!/bin/bash
# test_lot_check.sh - lot administer --check, the bedside check alone (the
# scan screen makes it when a wristband and a lot are scanned): MATCH for
# the patient's own issued lot on the visit's day, with nothing written;
# STOP for another patient, for a lot not yet issued and for a visit on
# another day, the lot unchanged and the clinician's refused check
# recorded as lot administer records one; another role's check is
# answered but not recorded; after a MATCH the lot is administered as
# before. Runs as root: the roles use throw-away Unix users (useradd).
. "$(dirname "$0")/lib.sh"
lot_tag=lotcheck
lot_users=cdk
. "$(dirname "$0")/lot_lib.sh"

injections() { # PATIENT - the IDs of the patient's injection visits, by course
	admin 0 agenda --patient "$1" --format json && json_valid || die "agenda --patient $1 failed"
	py_val '" ".join(str(x["id"]) for x in sorted((x for x in d if x["step"] == "injection"), key=lambda x: x["course"]))'
}

start=$(next_weekday "$(day_after 14)" wed) || die "cannot compute the dates"
step "a clinic: Berlin, staff, two patients with booked cycles, released lots"
admin 0 init || die "init failed"
chmod 0666 "$db"
admin 0 site add Berlin --tz Europe/Berlin --hours "mon-fri 08:00-18:00" || die "site add failed"
admin 0 resource add "Procedure room 1" --site Berlin --kind room --tags harvest,procedure
admin 0 resource add "Injection room A" --site Berlin --kind room --tags injection,ultrasound
admin 0 resource add "MRI suite" --site Berlin --kind room --tags imaging,mri
admin 0 resource add "Dr Groß" --site Berlin --kind clinician
admin 0 staff add "$labu" --name "$LAB_NAME" --role lab || die "staff add failed"
admin 0 staff add "$clinu" --name "Clara Klinik" --role clinician || die "staff add failed"
admin 0 staff add "$frontu" --name "Frida Front" --role frontdesk || die "staff add failed"
admin 0 storage add LN2-1 --site Berlin --kind ln2-tank --min -196 --max -150 || die "storage add failed"
admin 0 patient add --mrn BER-7101 --name "Marta Weber" --dob 1958-04-04 --site Berlin
admin 0 patient add --mrn BER-7102 --name "Hans Vogel" --dob 1949-02-26 --site Berlin
admin 0 course book --patient BER-7101 --protocol hip-autologous-4 --start "$start" --time 10:00 ||
	die "booking BER-7101's cycle failed"
read -r a1 a2 _ <<<"$(injections BER-7101)"
[ -n "$a1" ] && [ -n "$a2" ] || die "no injection visits for BER-7101"
for c in CK-A01 CK-A02; do
	lab 0 lot add --id "$c" --kind autologous --patient BER-7101 --source bone-marrow || die "lot add failed"
	advance "$c" receive store qc release
done
advance CK-A01 "reserve:$a1" issue
advance CK-A02 "reserve:$a2"

step "STOP while the visit is on another day; the attempt is recorded"
no_admin "STOP.*not today" CK-A01 --patient BER-7101 --check

visit_today "$db" "$a1"
visit_today "$db" "$a2"
step "MATCH for the patient's own issued lot on the visit's day; nothing is written"
fp=$(db_fingerprint "$db")
clin 0 lot administer CK-A01 --patient BER-7101 --check && expect_out "MATCH: lot CK-A01 may be given to patient BER-7101 now"
expect_db_unchanged "$db" "$fp" "lot administer --check that matched"
lot_is CK-A01 issued

step "STOP for another patient's wristband and for a lot not yet issued, each recorded"
no_admin "STOP.*another patient" CK-A01 --patient BER-7102 --check
no_admin "reserved|issue" CK-A02 --patient BER-7101 --check
lot_is CK-A02 reserved

step "another role's check is answered and not recorded"
fp=$(db_fingerprint "$db")
lab 0 lot administer CK-A01 --patient BER-7101 --check && expect_out "MATCH"
front $REFUSED lot administer CK-A01 --patient BER-7102 --check && expect_err_rei "STOP.*another patient"
expect_db_unchanged "$db" "$fp" "checks by the lab and the front desk"

step "after the MATCH the clinician administers the lot"
clin 0 lot administer CK-A01 --patient BER-7101
lot_is CK-A01 administered
n=$(sq "$db" "SELECT count(*) FROM bedside_checks b JOIN lots l ON l.id = b.lot_id WHERE l.code = 'CK-A01' AND b.outcome = 'administered';")
[ "$n" = 1 ] && ok || fail "CK-A01 has $n 'administered' bedside checks, not 1"

finish
