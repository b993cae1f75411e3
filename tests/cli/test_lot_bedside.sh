#!/bin/bash
# test_lot_bedside.sh - lots and visits (issue 4): a lot reserved for an
# injection visit booked with course book; an autologous lot refused for
# another patient's visit and, at the bedside, for another patient; a lot
# reserved for another visit refused; administration with its signature,
# custody event and bedside check; every refused administration recorded
# (a bedside_checks row 'refused' and an audit record) while the lot stays
# as it was; lot suggest in FEFO order without lots that expire before the
# visit; lot at-risk naming a reserved lot that will have expired by its
# visit and a visit soon without a lot.
# Runs as root: the roles use throw-away Unix users (useradd).
. "$(dirname "$0")/lib.sh"
lot_tag=bedside
lot_users=cdb
. "$(dirname "$0")/lot_lib.sh"
# visits PATIENT - "ID ID ..." of the patient's injection visits by course,
# then the harvest's and the first follow-up's IDs, from the agenda.
visits() {
	admin 0 agenda --patient "$1" --format json && json_valid || die "agenda --patient $1 failed"
	py_val '" ".join(str(x["id"]) for x in sorted((x for x in d if x["step"] == "injection"), key=lambda x: x["course"]))'
}
other_visit() { # PATIENT STEP - the first visit of that step
	admin 0 agenda --patient "$1" --format json && json_valid || die "agenda --patient $1 failed"
	S=$2 py_val 'min((x for x in d if x["step"] == __import__("os").environ["S"]), key=lambda x: x["start"])["id"]'
}

# --- the clinic: Berlin, three patients with booked cycles ----------------
c1_day=$(next_weekday "$(day_after 21)" wed) && b1_day=$(date_add "$c1_day" 1) &&
	cc1_day=$(date_add "$c1_day" 2) && soon_day=$(day_after 2) || die "cannot compute the dates"
# soon_day: the first weekday 2 days ahead or later (4 at most): a visit
# within lot at-risk's default 7 days
case $(python3 -c 'import datetime, sys; print(datetime.date.fromisoformat(sys.argv[1]).weekday())' "$soon_day") in
5) soon_day=$(date_add "$soon_day" 2) ;;
6) soon_day=$(date_add "$soon_day" 1) ;;
esac

step "a clinic: Berlin with rooms, clinicians, a fridge and a tank; staff; four patients' cycles"
admin 0 init || die "init failed"
chmod 0666 "$db"
admin 0 site add Berlin --tz Europe/Berlin --hours "mon-fri 08:00-18:00" || die "site add failed"
admin 0 resource add "Procedure room 1" --site Berlin --kind room --tags harvest,procedure
admin 0 resource add "Injection room A" --site Berlin --kind room --tags injection,ultrasound
admin 0 resource add "Injection room B" --site Berlin --kind room --tags fluoroscopy,injection
admin 0 resource add "MRI suite" --site Berlin --kind room --tags imaging,mri
admin 0 resource add "Dr Groß" --site Berlin --kind clinician
admin 0 resource add "Dr Schäfer" --site Berlin --kind clinician
admin 0 staff add "$labu" --name "$LAB_NAME" --role lab || die "staff add failed"
admin 0 staff add "$clinu" --name "Clara Klinik" --role clinician || die "staff add failed"
admin 0 staff add "$frontu" --name "Frida Front" --role frontdesk || die "staff add failed"
admin 0 storage add LN2-1 --site Berlin --kind ln2-tank --min -196 --max -150 || die "storage add failed"
admin 0 storage add Fridge-2 --site Berlin --kind fridge --min 2 --max 8 || die "storage add failed"
admin 0 patient add --mrn BER-8101 --name "Marta Weber" --dob 1958-04-04 --site Berlin
admin 0 patient add --mrn BER-8102 --name "Hans Vogel" --dob 1949-02-26 --site Berlin
admin 0 patient add --mrn BER-8103 --name "Lotte Brandt" --dob 1961-06-25 --site Berlin
admin 0 patient add --mrn BER-8104 --name "Paul Roth" --dob 1970-07-07 --site Berlin
admin 0 course book --patient BER-8101 --protocol hip-autologous-4 --start "$c1_day" --time 10:00 ||
	die "booking BER-8101's cycle failed"
admin 0 course book --patient BER-8102 --protocol hip-autologous-4 --start "$b1_day" --time 10:00 ||
	die "booking BER-8102's cycle failed"
admin 0 course book --patient BER-8103 --protocol knee-donor-3 --start "$cc1_day" --time 10:00 ||
	die "booking BER-8103's cycle failed"
printf '%s\n' '{"name": "single-shot", "title": "One injection", "source": "autologous", "courses": 1, "gap_days": 14,' \
	' "steps": [{"step": "injection", "anchor": "each", "offset_days": 0, "window": [0, 0], "minutes": 60,' \
	'   "needs": ["room:injection", "clinician"]}]}' >"$tmp/single.json"
admin 0 protocol add --file "$tmp/single.json" || die "protocol add failed"
admin 0 patient add --mrn BER-8105 --name "Eva Kurz" --dob 1966-03-03 --site Berlin
admin 0 course book --patient BER-8104 --protocol single-shot --start "$soon_day" --time 15:00 ||
	die "booking BER-8104's visit failed"
admin 0 course book --patient BER-8105 --protocol single-shot --start "$soon_day" --time 16:00 ||
	die "booking BER-8105's visit failed"
read -r a1 a2 a3 a4 <<<"$(visits BER-8101)"
read -r b1 b2 b3 b4 <<<"$(visits BER-8102)"
read -r c1 c2 c3 <<<"$(visits BER-8103)"
read -r s1 <<<"$(visits BER-8104)"
read -r s2 <<<"$(visits BER-8105)"
a_harvest=$(other_visit BER-8101 harvest)
[ -n "$a4" ] && [ -n "$b4" ] && [ -n "$c3" ] && [ -n "$s1" ] && [ -n "$s2" ] && [ -n "$a_harvest" ] ||
	die "cannot find the visits ($a1 $a2 $a3 $a4 / $b1 $b2 $b3 $b4 / $c1 $c2 $c3 / $s1 $s2 / $a_harvest)"

step "released lots: the patients' own, cryopreserved; donor lots in the fridge with their expiry"
for c in AU-A01 AU-A02 AU-A03 AU-A04; do
	lab 0 lot add --id "$c" --kind autologous --patient BER-8101 --source bone-marrow || die "lot add failed"
	advance "$c" receive store qc release
done
lab 0 lot add --id AU-B01 --kind autologous --patient BER-8102 --source bone-marrow || die "lot add failed"
advance AU-B01 receive store qc release
lab 0 lot add --id AU-D01 --kind autologous --patient BER-8104 --source bone-marrow || die "lot add failed"
advance AU-D01 receive store qc release
lab 0 lot add --id AU-E01 --kind autologous --patient BER-8105 --source bone-marrow || die "lot add failed"
advance AU-E01 receive store
# donor lots: expiry given in days after C's first injection (DN-L13 the
# day before it); kept fresh in the fridge so that the given expiry stays
for pair in DN-L10:40 DN-L11:20 DN-L12:30 DN-L13:-1 DN-L15:60; do
	c=${pair%%:*}
	e=$(date_add "$cc1_day" "${pair#*:}") || die "date_add failed"
	admin 0 lot add --id "$c" --kind donor --donor DN-77 --eligibility eligible --source cord-blood \
		--location Berlin --expires "$e 18:00" || die "lot add $c failed"
	advance "$c" receive
	admin 0 lot store "$c" --to Berlin/Fridge-2 || die "lot store $c failed"
	advance "$c" qc release
done
admin 0 lot add --id DN-L14 --kind donor --donor DN-78 --source cord-blood --location Berlin \
	--expires "$(date_add "$cc1_day" 10) 18:00" || die "lot add failed"
advance DN-L14 receive
admin 0 lot store DN-L14 --to Berlin/Fridge-2
advance DN-L14 qc
lot_is DN-L14 quarantine

# --- reserve ---------------------------------------------------------------

step "reserve: the front desk holds the patient's own lot for an injection visit"
front 0 lot reserve AU-A01 --appt "$a1"
lot_is AU-A01 reserved && A=$a1 json_assert 'str(d["appointment"]) == E["A"]' "AU-A01 reserved for visit $a1"
n=$(sq "$db" "SELECT count(*) FROM custody_events e JOIN lots l ON l.id = e.lot_id WHERE l.code = 'AU-A01' AND e.event = 'reserved';")
[ "$n" = 1 ] || [ "$n" = 0 ] && ok || fail "AU-A01 has $n 'reserved' custody events"

step "reserve refusals: another patient's visit, a visit already holding a lot, not an injection, cancelled, unknown"
no admin $REFUSED "another patient|own patient|BER-8102" lot reserve AU-A02 --appt "$b1"
lot_is AU-A02 released
no admin $REFUSED "already|one lot|AU-A01" lot reserve AU-A02 --appt "$a1"
no admin $REFUSED "injection" lot reserve AU-A02 --appt "$a_harvest"
admin 0 appt cancel "$b4" --reason "patient withdrew from course 4" || die "appt cancel failed"
no admin $REFUSED "cancel" lot reserve AU-B01 --appt "$b4"
no admin $REFUSED "999999" lot reserve AU-B01 --appt 999999
no admin $REFUSED "NOPE-0001" lot reserve NOPE-0001 --appt "$b1"

step "a lot reserved for one visit is not reserved for another"
lab 0 lot reserve AU-A02 --appt "$a2"
lot_is AU-A02 reserved
no admin $REFUSED "reserved" lot reserve AU-A02 --appt "$a3"
show AU-A02 && A=$a2 json_assert 'str(d["appointment"]) == E["A"]' "AU-A02 still held for visit $a2"

# --- issue and administer --------------------------------------------------

step "issue: reserved -> issued to the clinician who will inject"
no front $REFUSED "may not" lot issue AU-A01
admin 0 lot issue AU-A01 --to "$clinu"
lot_is AU-A01 issued && U=$clinu json_assert 'E["U"] in str(d.get("holder")) + str(d["location"])' "AU-A01 held by $clinu"
n=$(sq "$db" "SELECT count(*) FROM custody_events e JOIN lots l ON l.id = e.lot_id WHERE l.code = 'AU-A01' AND e.event = 'issued' AND e.to_place LIKE '%$clinu%';")
[ "$n" = 1 ] && ok || fail "no custody event 'issued' to $clinu for AU-A01 ($n)"
clin 0 lot issue AU-A02

step "refused at the bedside, and recorded: another patient, another visit, not issued, unknown patient"
no_admin "another patient|BER-8102" AU-A01 --patient BER-8102
no_admin "visit" AU-A01 --patient BER-8101 --appt "$a2"
no_admin "visit|another patient|BER-8102" AU-A01 --patient BER-8101 --appt "$b1"
no_admin "NOPE-0000|patient" AU-A01 --patient NOPE-0000
got=$(sq "$db" "SELECT patient_text FROM bedside_checks ORDER BY id DESC LIMIT 1;")
[ "$got" = "NOPE-0000" ] && ok || fail "the bedside check holds patient_text '$got', expected what was typed: NOPE-0000"
no_admin "released|issued|reserved" AU-A03 --patient BER-8101
no_admin "visit" AU-A02 --patient BER-8101 --appt "$a3"
no lab $REFUSED "may not" lot administer AU-A01 --patient BER-8101
no clin $USAGE "patient" lot administer AU-A01
lot_is AU-A01 issued

step "administered: the right lot, the right patient, the reserved visit"
no_admin "not today" AU-A01 --patient BER-8101 --appt "$a1"
nb=$(sq "$db" "SELECT count(*) FROM bedside_checks;")
visit_today "$db" "$a1"
clin 0 lot administer AU-A01 --patient BER-8101 --appt "$a1"
lot_is AU-A01 administered
got=$(sq "$db" "SELECT count(*) || '|' || (SELECT outcome || '|' || actor || '|' || lot_text || '|' || patient_text || '|' || coalesce(appointment_id, '')
	FROM bedside_checks ORDER BY id DESC LIMIT 1) FROM bedside_checks;")
[ "$got" = "$((nb + 1))|administered|$clinu|AU-A01|BER-8101|$a1" ] && ok ||
	fail "the administration's bedside check is '$got', expected one new row 'administered|$clinu|AU-A01|BER-8101|$a1'"
got=$(sq "$db" "SELECT s.meaning || '|' || s.username || '|' || s.printed_name FROM signatures s JOIN lots l ON l.id = s.lot_id WHERE l.code = 'AU-A01' ORDER BY s.id DESC LIMIT 1;")
[ "$got" = "administered|$clinu|Clara Klinik" ] && ok ||
	fail "AU-A01's last signature is '$got', expected 'administered|$clinu|Clara Klinik'"
got=$(sq "$db" "SELECT e.event || '|' || e.actor FROM custody_events e JOIN lots l ON l.id = e.lot_id WHERE l.code = 'AU-A01' ORDER BY e.id DESC LIMIT 1;")
[ "$got" = "administered|$clinu" ] && ok || fail "AU-A01's last custody event is '$got', expected 'administered|$clinu'"
got=$(sq "$db" "SELECT p.mrn FROM lots l JOIN patients p ON p.id = l.recipient_id WHERE l.code = 'AU-A01';")
[ "$got" = "BER-8101" ] && ok || fail "AU-A01's recipient is '$got', expected BER-8101"
cdk 0 --db "$db" lot show AU-A01 && expect_out "administered" && expect_out "BER-8101"
no_admin "administered" AU-A01 --patient BER-8101 --appt "$a1"

# --- donor lots: suggest, reserve, the bedside ------------------------------

step "lot suggest: eligible released donor lots first to expire first, none expiring before the visit"
cdk 0 --db "$db" lot suggest --appt "$c1" --format json && json_valid &&
	py_check "suggestions for BER-8103's first donor injection" '
ids = [x["id"] for x in d]
if ids != ["DN-L11", "DN-L12", "DN-L10", "DN-L15"]: bad("suggested %r, expected DN-L11, DN-L12, DN-L10, DN-L15 (by expiry)" % ids)
if "DN-L13" in ids: bad("DN-L13 expires the day before the visit but is suggested")
if "DN-L14" in ids: bad("DN-L14 (quarantine, eligibility pending) is suggested")
if any(i.startswith("AU-") for i in ids): bad("autologous lots suggested for a donor visit: %r" % ids)'
cdk 0 --db "$db" lot suggest --appt "$c1" && expect_out "DN-L11" && expect_no_out "DN-L13"
cdk 0 --db "$db" lot suggest --appt "$a3" --format json && json_valid &&
	json_assert 'sorted(x["id"] for x in d) == ["AU-A03", "AU-A04"]' \
		"suggestions for BER-8101's autologous course 3: her own released, unreserved lots only (AU-A03, AU-A04)"

step "a donor lot given to the visit's patient, refused for another"
front 0 lot reserve DN-L11 --appt "$c1"
clin 0 lot issue DN-L11
no_admin "another patient|BER-8101" DN-L11 --patient BER-8101
no_admin "visit" DN-L11 --patient BER-8103 --appt "$c2"
visit_today "$db" "$c1"
clin 0 lot administer DN-L11 --patient BER-8103
lot_is DN-L11 administered
got=$(sq "$db" "SELECT p.mrn FROM lots l JOIN patients p ON p.id = l.recipient_id WHERE l.code = 'DN-L11';")
[ "$got" = "BER-8103" ] && ok || fail "DN-L11's recipient is '$got', expected BER-8103"
no admin $REFUSED "expire" lot reserve DN-L13 --appt "$c2"
lot_is DN-L13 released

# --- at risk ------------------------------------------------------------------

step "lot at-risk: a reserved lot thawed too early, a visit soon with no lot ready"
# BER-8104's visit in 2 to 4 days holds AU-D01, thawed now: it expires in
# 4 hours, before the visit.  BER-8105's visit then has no lot: hers is in
# quarantine.  BER-8101's AU-A04 is thawed for course 4, weeks ahead.
admin 0 lot reserve AU-D01 --appt "$s1"
admin 0 lot thaw AU-D01
show AU-D01 && json_assert 'd["status"] == "reserved" and d["storage"] == "thawed"' "AU-D01 reserved and thawed"
admin 0 lot reserve AU-A04 --appt "$a4"
admin 0 lot thaw AU-A04
cdk 0 --db "$db" lot at-risk && expect_out "AU-D01" && expect_out "BER-8105" && expect_no_out "AU-A02" &&
	expect_no_out "AU-A03" && expect_no_out "BER-8102"
cdk 0 --db "$db" lot at-risk --format json && json_valid &&
	json_assert '"AU-D01" in json.dumps(d) and "BER-8105" in json.dumps(d) and "AU-A02" not in json.dumps(d)' \
		"at-risk JSON names AU-D01 and BER-8105's visit, not AU-A02"
cdk 0 --db "$db" lot at-risk --site Berlin --days 60 && expect_out "AU-A04" && expect_out "AU-D01" &&
	expect_out "BER-8105"
admin 0 lot at-risk --days 1 && expect_no_out "BER-8105"

step "the audit chain is whole"
cdk 0 --db "$db" audit verify && expect_out "Audit chain intact"

finish
