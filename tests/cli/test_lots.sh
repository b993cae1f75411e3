#!/bin/bash
# test_lots.sh - a cell lot's life in the lab (issue 4): lot add in every
# valid form and its refusals (an identifier never names the patient);
# every allowed status move and every refused one, each refusal exiting 1
# with its reason and changing nothing; a donor lot held in quarantine
# until eligible and an ineligible donor's lot never released; QC out of
# limits blocking release; release signed with the lab user's own name and
# the signature shown by lot show; expiry proposed from the rule and an
# expired lot refused for release, reserve, issue and administer; lot list
# with its filters, CSV and JSON; labels; who may do what.
# Runs as root: the roles use throw-away Unix users (useradd), and the
# database's own triggers are tried with the sqlite3 shell.
. "$(dirname "$0")/lib.sh"
lot_tag=lots
lot_users=cdl
. "$(dirname "$0")/lot_lib.sh"

# --- the clinic: Berlin with rooms and clinicians, Kyiv; four patients ---
c1_day=$(next_weekday "$(day_after 21)" wed) && far_day=$(date_add "$c1_day" 120) &&
	b1_day=$(date_add "$c1_day" 1) || die "cannot compute the dates"

step "a clinic: Berlin and Kyiv, storage units, staff, patients with booked cycles"
admin 0 init || die "init failed"
chmod 0666 "$db"
admin 0 site add Berlin --tz Europe/Berlin --hours "mon-fri 08:00-18:00" || die "site add failed"
admin 0 site add Kyiv --tz Europe/Kyiv --hours "mon-fri 08:00-18:00" || die "site add failed"
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
admin 0 storage add LN2-K --site Kyiv --kind ln2-tank --min -196 --max -150 || die "storage add failed"
admin 0 patient add --mrn BER-4711 --name "Anna Fischer" --dob 1958-04-04 --site Berlin
admin 0 patient add --mrn BER-4712 --name "Bernd Krüger" --dob 1949-02-26 --site Berlin
admin 0 patient add --mrn kv-5521 --name "Olena Koval" --dob 1955-01-17 --site Kyiv
admin 0 patient add --mrn NOSITE-1 --name "Jo Ann Lee" --dob 1961-06-25
admin 0 course book --patient BER-4711 --protocol hip-autologous-4 --start "$c1_day" --time 10:00 ||
	die "booking BER-4711's cycle failed"
admin 0 course book --patient BER-4712 --protocol hip-autologous-4 --start "$b1_day" --time 10:00 ||
	die "booking BER-4712's cycle failed"
admin 0 agenda --patient BER-4711 --format json && json_valid || die "agenda failed"
read -r a1 a2 a3 a4 <<<"$(py_val '" ".join(str(x["id"]) for x in sorted((x for x in d if x["step"] == "injection"), key=lambda x: x["course"]))')"
admin 0 agenda --patient BER-4712 --format json && json_valid || die "agenda failed"
read -r b1 b2 b3 b4 <<<"$(py_val '" ".join(str(x["id"]) for x in sorted((x for x in d if x["step"] == "injection"), key=lambda x: x["course"]))')"
[ -n "$a4" ] && [ -n "$b4" ] || die "cannot find the injection visits ($a1 $a2 $a3 $a4 / $b1 $b2 $b3 $b4)"

# --- lot add -------------------------------------------------------------

step "lot add, the least: an autologous harvest at the patient's site, expiry from the rule"
lab 0 lot add --id HBM-0001 --kind autologous --patient BER-4711 --source bone-marrow &&
	expect_out "HBM-0001" && expect_out "collected"
show HBM-0001 && py_check "HBM-0001: collected, autologous, BER-4711's, at Berlin, fresh, expires 48 h after collection" '
for k in ("id", "kind", "status", "source", "patient", "donor", "eligibility", "parent", "coi", "collected", "expires", "storage", "location"):
    if k not in d: bad("lot show JSON lacks %r" % k)
if d.get("id") != "HBM-0001" or d.get("status") != "collected" or d.get("kind") != "autologous": bad("id/status/kind %r %r %r" % (d.get("id"), d.get("status"), d.get("kind")))
if d.get("patient") != "BER-4711" or d.get("donor") or d.get("source") != "bone-marrow": bad("patient/donor/source %r %r %r" % (d.get("patient"), d.get("donor"), d.get("source")))
if not str(d.get("location") or "").startswith("Berlin"): bad("location %r, expected the patient'"'"'s site Berlin" % d.get("location"))
if d.get("storage") != "fresh": bad("storage %r" % d.get("storage"))
if not d.get("coi"): bad("no chain-of-identity id")
if utc(d["expires"]) - utc(d["collected"]) != dt.timedelta(hours=48): bad("collected %s, expires %s: not 48 h (bone marrow, fresh)" % (d["collected"], d["expires"]))
if abs(utc(d["collected"]) - dt.datetime.now(dt.timezone.utc)) > dt.timedelta(minutes=10): bad("collected %s is not now" % d["collected"])
if off(d["expires"]) != zoff(d["expires"], "Europe/Berlin"): bad("expires %s is not in Berlin time" % d["expires"])'
n=$(sq "$db" "SELECT count(*) FROM custody_events e JOIN lots l ON l.id = e.lot_id WHERE l.code = 'HBM-0001' AND e.event = 'collected';")
[ "$n" = 1 ] && ok || fail "HBM-0001 has $n 'collected' custody events, expected 1"

step "lot add with every option: collection time, unit position, volume, cells"
coll=$(local_now Europe/Berlin -120) && exp48=$(local_iso Europe/Berlin "$coll" 2880) &&
	exp48_text=$(python3 -c 'import sys; print(sys.argv[1][:10] + " " + sys.argv[1][11:16])' "$exp48") ||
	die "cannot compute the times"
export exp48
lab 0 lot add --id HBM-0002 --kind autologous --patient BER-4711 --source bone-marrow --collected "$coll" \
	--storage fresh --location Berlin/Fridge-2/R1/B2/P3 --volume 12.5 --cells 240000000 &&
	expect_out "HBM-0002" && expect_out "collected"
show HBM-0002 && py_check "HBM-0002: expires $exp48 (collected $coll + 48 h), in Fridge-2 R1/B2/P3, 12.5 mL, 2.4e8 cells" '
if d["expires"] != E["exp48"]: bad("expires %r" % d["expires"])
loc = str(d.get("location"))
if not (loc.startswith("Berlin") and "Fridge-2" in loc and "R1" in loc and "B2" in loc and "P3" in loc): bad("location %r" % loc)
vol = d.get("volume", d.get("volume_ml"))
if float(vol or 0) != 12.5 or float(d.get("cells") or 0) != 240000000: bad("volume/cells %r %r" % (vol, d.get("cells")))'
# text shows local times "YYYY-MM-DD HH:MM" (spec; as lot add, lot list and
# appt show do); fails while lot show's text prints the ISO 8601 form
cdk 0 --db "$db" lot show HBM-0002 && expect_out "$exp48_text" && expect_out "BER-4711" && expect_out "Fridge-2"

step "lot add --expires overrides the rule; cord blood keeps 72 h"
exp_far=$(local_iso Europe/Berlin "$far_day 12:00") || die "cannot compute the times"
export exp_far
lab 0 lot add --id HBM-0003 --kind autologous --patient BER-4711 --source bone-marrow --expires "$far_day 12:00"
show HBM-0003 && json_assert 'd["expires"] == E["exp_far"]' "HBM-0003 expires $exp_far as given"
exp72=$(local_iso Europe/Berlin "$coll" 4320) || die "cannot compute the times"
export exp72

step "a donor lot: the donor's code, eligibility pending unless given"
admin 0 lot add --id DON-0001 --kind donor --donor DN-501 --source cord-blood --collected "$coll" --location Berlin &&
	expect_out "DON-0001" && expect_out "collected"
show DON-0001 && json_assert 'd["kind"] == "donor" and d["donor"] == "DN-501" and d["eligibility"] == "pending" and not d["patient"] and d["expires"] == E["exp72"]' \
	"DON-0001: donor DN-501, pending, no patient, expires 72 h after collection ($exp72)"
admin 0 lot add --id DON-0002 --kind donor --donor DN-502 --eligibility eligible --source adipose --location Berlin
show DON-0002 && json_assert 'd["eligibility"] == "eligible"' "DON-0002: eligible as given"

step "an ISBT 128 identifier, a child lot at its parent's site, a Kyiv lot in Kyiv time"
lab 0 lot add --id G123426000001-S1234A00 --kind autologous --patient BER-4712 --source adipose &&
	expect_out "G123426000001-S1234A00" && expect_out "collected"
show G123426000001-S1234A00 && json_assert 'd["id"] == "G123426000001-S1234A00" and d["patient"] == "BER-4712" and d["source"] == "adipose"' \
	"the ISBT 128 lot is stored under its code"
lab 0 lot add --id HBM-0004 --kind autologous --patient BER-4711 --source bone-marrow --location Kyiv/LN2-K
lab 0 lot add --id HBM-0004-A --kind autologous --patient BER-4711 --source bone-marrow --parent HBM-0004
show HBM-0004 && coi4=$(py_val 'd["coi"]')
show HBM-0004-A && COI=$coi4 json_assert 'd["parent"] == "HBM-0004" and str(d["location"]).startswith("Kyiv") and d["coi"] == E["COI"]' \
	"HBM-0004-A: parent HBM-0004, at the parent's site Kyiv (not the patient's Berlin), the parent's chain of identity"
show HBM-0004-A && py_check "HBM-0004-A's expiry in Kyiv time" '
if off(d["expires"]) != zoff(d["expires"], "Europe/Kyiv"): bad("expires %s, Kyiv'"'"'s offset then is %s" % (d["expires"], zoff(d["expires"], "Europe/Kyiv")))'
lab 0 lot add --id ADI-0001 --kind autologous --patient kv-5521 --source adipose
show ADI-0001 && py_check "ADI-0001 at the patient's site Kyiv, expiry in Kyiv time" '
if not str(d["location"]).startswith("Kyiv"): bad("location %r" % d["location"])
if off(d["expires"]) != zoff(d["expires"], "Europe/Kyiv"): bad("expires %s" % d["expires"])'
lab 0 lot add --id JO-0001 --kind autologous --patient NOSITE-1 --source bone-marrow --location Berlin
show JO-0001 && json_assert 'd["patient"] == "NOSITE-1"' "JO-0001: 'Jo' is a 2-letter word of the name, allowed"

step "lot add refusals: roles, duplicates, kind and patient/donor, unknown records"
no front $REFUSED "may not" lot add --id HBM-0900 --kind autologous --patient BER-4711 --source bone-marrow
expect_err "$frontu"
no clin $REFUSED "may not" lot add --id HBM-0900 --kind autologous --patient BER-4711 --source bone-marrow
no lab $REFUSED "HBM-0001" lot add --id HBM-0001 --kind autologous --patient BER-4711 --source bone-marrow
no lab "1|2" "patient" lot add --id HBM-0900 --kind autologous --source bone-marrow
no lab "1|2" "donor" lot add --id HBM-0900 --kind autologous --patient BER-4711 --donor DN-501 --source bone-marrow
no lab "1|2" "donor" lot add --id DON-0900 --kind donor --source cord-blood --location Berlin
no lab "1|2" "patient" lot add --id DON-0900 --kind donor --donor DN-501 --patient BER-4711 --source cord-blood --location Berlin
no lab $REFUSED "NOPE-9999" lot add --id HBM-0900 --kind autologous --patient NOPE-9999 --source bone-marrow
no lab $USAGE "kind" lot add --id HBM-0900 --kind allogeneic --patient BER-4711 --source bone-marrow
no lab $USAGE "source" lot add --id HBM-0900 --kind autologous --patient BER-4711 --source blood
no lab $USAGE "eligib" lot add --id DON-0900 --kind donor --donor DN-501 --eligibility maybe --source cord-blood --location Berlin
no lab $USAGE "" lot add --id HBM-0900 --kind autologous --patient BER-4711 --source bone-marrow --collected "yesterday noon"

step "lot add refusals: an identifier that names the patient"
no lab $REFUSED "MRN|patient" lot add --id LOT-BER4711-1 --kind autologous --patient BER-4711 --source bone-marrow
no lab $REFUSED "MRN|patient" lot add --id BE-R47-11X --kind autologous --patient BER-4711 --source bone-marrow
no lab $REFUSED "MRN|patient" lot add --id KV5521-01 --kind autologous --patient kv-5521 --source adipose
no lab $REFUSED "name|patient" lot add --id FISCHER-01 --kind autologous --patient BER-4711 --source bone-marrow
no lab $REFUSED "name|patient" lot add --id HB-ANNA-02 --kind autologous --patient BER-4711 --source bone-marrow
no lab $REFUSED "name|patient" lot add --id LEE-0001 --kind autologous --patient NOSITE-1 --source bone-marrow --location Berlin

step "lot add refusals: identifiers of neither scheme"
for bad_id in X1 1ABC-22 "HB 0001" HBM_0001 0123426000001-S1234A00 G123426000001-s1234A00 G123426000001-S1234Aa0; do
	no lab "1|2" "$bad_id" lot add --id "$bad_id" --kind autologous --patient BER-4711 --source bone-marrow
done
no lab "1|2" "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456|32" lot add --id ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456 --kind autologous --patient BER-4711 --source bone-marrow

step "lot add refusals: a parent of another patient, source or kind; no place to put the lot"
no lab $REFUSED "parent" lot add --id HBM-0901 --kind autologous --patient BER-4712 --source bone-marrow --parent HBM-0001
no lab $REFUSED "parent|source" lot add --id HBM-0901 --kind autologous --patient BER-4711 --source adipose --parent HBM-0001
no lab $REFUSED "parent|kind" lot add --id DON-0901 --kind donor --donor DN-501 --source bone-marrow --parent HBM-0001
no lab $REFUSED "parent|donor" lot add --id DON-0901 --kind donor --donor DN-999 --source cord-blood --parent DON-0001
no lab $REFUSED "NOPE-0001" lot add --id HBM-0901 --kind autologous --patient BER-4711 --source bone-marrow --parent NOPE-0001
no lab "1|2" "location|site" lot add --id DON-0901 --kind donor --donor DN-501 --source cord-blood
no lab "1|2" "location|site" lot add --id HBM-0901 --kind autologous --patient NOSITE-1 --source bone-marrow
no lab $REFUSED "Paris" lot add --id HBM-0901 --kind autologous --patient BER-4711 --source bone-marrow --location Paris
no lab $REFUSED "NoSuchTank" lot add --id HBM-0901 --kind autologous --patient BER-4711 --source bone-marrow --location Berlin/NoSuchTank

step "the database keeps a lot's identity and never deletes it (triggers)"
fp=$(db_fingerprint "$db")
if sq "$db" "UPDATE lots SET patient_id = (SELECT id FROM patients WHERE mrn = 'BER-4712') WHERE code = 'HBM-0001';" >"$OUT" 2>"$ERR"; then
	fail "sqlite3 could give an autologous lot another patient; a trigger must refuse"
else ok; fi
if sq "$db" "DELETE FROM lots WHERE code = 'HBM-0001';" >"$OUT" 2>"$ERR"; then
	fail "sqlite3 could delete a lot; a trigger must refuse"
else ok; fi
expect_db_unchanged "$db" "$fp" "UPDATE/DELETE of lots with sqlite3"

# --- every allowed status move, every refused one -------------------------

# refused_moves CODE STATUS SPARE_VISIT STEP... - each STEP is refused for
# CODE in STATUS with a reason naming that status; a refused administration
# is recorded; the lot stays STATUS.  SPARE_VISIT: a free injection visit
# of BER-4711 for the reserve attempt.
refused_moves() {
	local code=$1 st=$2 spare=$3 s
	shift 3
	for s in "$@"; do
		case $s in
		receive) no admin $REFUSED "$st" lot receive "$code" ;;
		store) no admin $REFUSED "$st" lot store "$code" --to Berlin/LN2-1/R1/B1/P2 ;;
		release) no lab $REFUSED "$st" lot release "$code" --sign "$LAB_NAME" ;;
		reserve) no admin $REFUSED "$st" lot reserve "$code" --appt "$spare" ;;
		issue) no admin $REFUSED "$st" lot issue "$code" ;;
		administer) no_admin "$st" "$code" --patient BER-4711 ;;
		return) no admin $REFUSED "$st" lot return "$code" ;;
		discard) no admin $REFUSED "$st" lot discard "$code" --reason "trying" ;;
		*) die "refused_moves: $s" ;;
		esac
	done
	lot_is "$code" "$st"
}

step "collected: only receive (or discard); everything else refused"
lab 0 lot add --id HBM-0100 --kind autologous --patient BER-4711 --source bone-marrow || die "lot add failed"
refused_moves HBM-0100 collected "$a1" store release reserve issue administer return
admin 0 lot receive HBM-0100
lot_is HBM-0100 in-processing
n=$(sq "$db" "SELECT group_concat(event, ',') FROM (SELECT e.event FROM custody_events e JOIN lots l ON l.id = e.lot_id WHERE l.code = 'HBM-0100' ORDER BY e.id);")
[ "$n" = "collected,received" ] && ok || fail "HBM-0100's custody events are '$n', expected 'collected,received'"

step "in-processing: only store; cryopreserving sets the 5-year expiry"
refused_moves HBM-0100 in-processing "$a1" receive release reserve issue administer return
admin 0 lot store HBM-0100 --to Berlin/LN2-1/R1/B1/P1 --storage cryopreserved
lot_is HBM-0100 quarantine
show HBM-0100 && py_check "cryopreserved: expires 43800 h (5 years) from now, in the tank" '
now = dt.datetime.now(dt.timezone.utc)
if d["storage"] != "cryopreserved": bad("storage %r" % d["storage"])
if abs(utc(d["expires"]) - (now + dt.timedelta(hours=43800))) > dt.timedelta(minutes=10): bad("expires %s, expected about %s" % (d["expires"], now + dt.timedelta(hours=43800)))
if "LN2-1" not in str(d["location"]): bad("location %r" % d["location"])'

step "quarantine: only release; the label says QUARANTINE and FOR AUTOLOGOUS USE ONLY"
refused_moves HBM-0100 quarantine "$a1" receive store reserve issue administer return
cdk 0 --db "$db" label HBM-0100 && expect_out "QUARANTINE" && expect_out "FOR AUTOLOGOUS USE ONLY" &&
	expect_out "HBM-0100"
admin 0 lot qc HBM-0100 $QC_OK && expect_out_i "in limits" && expect_no_out "OUT OF LIMITS"
lab 0 lot release HBM-0100 --sign "$LAB_NAME"
lot_is HBM-0100 released
cdk 0 --db "$db" label HBM-0100 && expect_no_out "QUARANTINE" && expect_out "FOR AUTOLOGOUS USE ONLY"

step "released: reserve (for the patient's injection visit); the rest refused"
refused_moves HBM-0100 released "$a1" receive store release issue administer return
admin 0 lot reserve HBM-0100 --appt "$a1"
lot_is HBM-0100 reserved && A=$a1 json_assert 'str(d["appointment"]) == E["A"]' "HBM-0100 reserved for visit $a1"

step "reserved: issue or return; the rest refused"
refused_moves HBM-0100 reserved "$a2" receive store release reserve administer
clin 0 lot issue HBM-0100
lot_is HBM-0100 issued && U=$clinu json_assert 'E["U"] in str(d.get("holder")) + str(d["location"])' "the issued lot is held by the clinician who took it"

step "issued: administer or return; the rest refused"
refused_moves HBM-0100 issued "$a2" receive store release reserve issue
no lab $REFUSED "may not" lot administer HBM-0100 --patient BER-4711
visit_today "$db" "$a1"
clin 0 lot administer HBM-0100 --patient BER-4711 --appt "$a1"
lot_is HBM-0100 administered
n=$(sq "$db" "SELECT group_concat(event, ',') FROM (SELECT e.event FROM custody_events e JOIN lots l ON l.id = e.lot_id WHERE l.code = 'HBM-0100' ORDER BY e.id);")
case ",$n," in
",collected,received,stored,"*",issued,administered,") ok ;;
*) fail "HBM-0100's custody events are '$n': collected, received, stored ... issued ... administered expected, oldest first" ;;
esac
n=$(sq "$db" "SELECT meaning || '|' || username FROM signatures s JOIN lots l ON l.id = s.lot_id WHERE l.code = 'HBM-0100' ORDER BY s.id;" | tr '\n' ' ')
[ "$n" = "released|$labu administered|$clinu " ] && ok ||
	fail "HBM-0100's signatures: '$n', expected released by $labu, then administered by $clinu"

step "administered: everything refused, discard too"
refused_moves HBM-0100 administered "$a2" receive store release reserve issue administer return discard

step "return: reserved -> released and issued -> released, the visit free again"
lab 0 lot add --id HBM-0101 --kind autologous --patient BER-4711 --source bone-marrow || die "lot add failed"
advance HBM-0101 receive store qc release "reserve:$a2"
admin 0 lot return HBM-0101
lot_is HBM-0101 released && json_assert 'not d["appointment"]' "the returned lot holds no visit"
lab 0 lot add --id HBM-0102 --kind autologous --patient BER-4711 --source bone-marrow || die "lot add failed"
advance HBM-0102 receive store qc release "reserve:$a2" issue
admin 0 lot return HBM-0102 --to Berlin/LN2-1/R1/B1/P4
lot_is HBM-0102 released && json_assert 'not d["appointment"] and not d.get("holder") and "held by" not in str(d["location"]) and "P4" in str(d["location"])' \
	"returned from issue: no visit, nobody holds it, back in the tank at P4"
admin 0 lot reserve HBM-0101 --appt "$a2"
lot_is HBM-0101 reserved

step "discard --reason from every status before administered"
no admin $USAGE "reason" lot discard HBM-0001
i=0
for st in collected in-processing quarantine released reserved issued; do
	i=$((i + 1))
	code=HBM-011$i
	lab 0 lot add --id "$code" --kind autologous --patient BER-4711 --source bone-marrow || die "lot add failed"
	case $st in
	in-processing) advance "$code" receive ;;
	quarantine) advance "$code" receive store ;;
	released) advance "$code" receive store qc release ;;
	reserved) advance "$code" receive store qc release "reserve:$a3" ;;
	issued) advance "$code" receive store qc release "reserve:$a4" issue ;;
	esac
	lot_is "$code" "$st"
	admin 0 lot discard "$code" --reason "bag punctured ($st)"
	lot_is "$code" discarded
	got=$(sq "$db" "SELECT coalesce(appointment_id, '') || '|' || coalesce(reason, '') FROM lots WHERE code = '$code';")
	[ "$got" = "|bag punctured ($st)" ] && ok || fail "discarded $code holds '$got': no visit and the reason expected"
done
step "discarded: everything refused"
refused_moves HBM-0116 discarded "$a3" receive store release reserve issue administer return discard

# --- eligibility, QC and the release signature ----------------------------

step "a donor lot stays in quarantine until the donor is eligible"
admin 0 lot add --id DON-0010 --kind donor --donor DN-601 --source cord-blood --location Berlin || die "lot add failed"
advance DON-0010 receive store qc
no lab $REFUSED "pending" lot release DON-0010 --sign "$LAB_NAME"
lot_is DON-0010 quarantine
no admin $REFUSED "donor" lot eligibility HBM-0001 eligible
no front $REFUSED "may not" lot eligibility DON-0010 eligible
admin 0 lot eligibility DON-0010 eligible
show DON-0010 && json_assert 'd["eligibility"] == "eligible"' "DON-0010 eligible"
lab 0 lot release DON-0010 --sign "$LAB_NAME"
lot_is DON-0010 released
cdk 0 --db "$db" label DON-0010 && expect_no_out "FOR AUTOLOGOUS USE ONLY" && expect_out "DON-0010"

step "an ineligible donor's lot can never be released"
admin 0 lot add --id DON-0011 --kind donor --donor DN-602 --source cord-blood --location Berlin || die "lot add failed"
advance DON-0011 receive store qc
admin 0 lot eligibility DON-0011 ineligible --reason "HBV NAT reactive"
no lab $REFUSED "ineligible" lot release DON-0011 --sign "$LAB_NAME"
# whether eligibility may be set back is the program's choice; the lot
# must stay unreleasable either way
admin "0|1" lot eligibility DON-0011 eligible
no lab $REFUSED "ineligible" lot release DON-0011 --sign "$LAB_NAME"
lot_is DON-0011 quarantine

step "the donor found ineligible: neither an aliquot of that lot nor another lot of the donor is released"
# Eligibility is the donor's (21 CFR 1271 subpart C): once DN-602 is found
# ineligible, a split of DON-0011 or a later donation of DN-602 must not
# reach a patient.  (Fails while eligibility is kept per lot only: a new
# lot of DN-602 starts 'pending' and can be set eligible and released.)
admin 0 lot add --id DON-0012 --kind donor --donor DN-602 --source cord-blood --location Berlin || die "lot add failed"
admin 0 lot add --id DON-0011-A --kind donor --donor DN-602 --source cord-blood --parent DON-0011 || die "lot add failed"
for c in DON-0012 DON-0011-A; do
	advance "$c" receive store qc
	admin "0|1" lot eligibility "$c" eligible
	no lab $REFUSED "ineligible" lot release "$c" --sign "$LAB_NAME"
	lot_is "$c" quarantine
done

step "QC: a missing test or a result out of limits blocks release; the newest result counts"
lab 0 lot add --id HBM-0200 --kind autologous --patient BER-4711 --source bone-marrow || die "lot add failed"
advance HBM-0200 receive store
no lab $REFUSED "no .*result|missing" lot release HBM-0200 --sign "$LAB_NAME"
admin 0 lot qc HBM-0200 viability=92.5 endotoxin=0.1 mycoplasma=negative && expect_out_i "in limits"
no lab $REFUSED "sterility" lot release HBM-0200 --sign "$LAB_NAME"
admin 0 lot qc HBM-0200 sterility=negative viability=60 && expect_out "OUT OF LIMITS" && expect_out_i "in limits"
no lab $REFUSED "viability.*60.*70" lot release HBM-0200 --sign "$LAB_NAME"
lot_is HBM-0200 quarantine
admin 0 lot qc HBM-0200 viability=85 && expect_out_i "in limits" && expect_no_out "OUT OF LIMITS"
show HBM-0200 && json_assert 'float(d["viability"]) == 85' "lot show: viability 85 (the newest result)"
lab 0 lot add --id HBM-0201 --kind autologous --patient BER-4711 --source bone-marrow || die "lot add failed"
advance HBM-0201 receive store
admin 0 lot qc HBM-0201 viability=90 sterility=negative endotoxin=0.9 mycoplasma=negative && expect_out "OUT OF LIMITS"
no lab $REFUSED "endotoxin" lot release HBM-0201 --sign "$LAB_NAME"
admin 0 lot qc HBM-0201 endotoxin=0.2 sterility=positive && expect_out "OUT OF LIMITS"
no lab $REFUSED "sterility" lot release HBM-0201 --sign "$LAB_NAME"
no front $REFUSED "may not" lot qc HBM-0201 sterility=negative
no admin $USAGE "" lot qc HBM-0201 viability

step "release: signed by a lab user with their own name"
no lab $USAGE "sign" lot release HBM-0200
no lab $REFUSED "sign|name" lot release HBM-0200 --sign "Someone Else"
no admin $REFUSED "may not" lot release HBM-0200 --sign "root"
admin_name=$(sq "$db" "SELECT name FROM staff WHERE username = 'root';")
no admin $REFUSED "may not" lot release HBM-0200 --sign "$admin_name"
no clin $REFUSED "may not" lot release HBM-0200 --sign "Clara Klinik"
lab 0 lot release HBM-0200 --sign "lena LABOR"
lot_is HBM-0200 released && py_check "lot show JSON carries the release signature" '
sig = json.dumps([d.get(k) for k in ("released", "released_by", "released_at")], ensure_ascii=False).lower()
if "lena labor" not in sig: bad("no printed name in the release signature: %r" % sig)
if not any(str(d.get(k) or "")[:4].isdigit() for k in ("released_at",)) and not re.search(r"\d{4}-\d\d-\d\d", sig): bad("no date and time in the release signature: %r" % sig)'
cdk 0 --db "$db" lot show HBM-0200 && expect_out_i "lena labor" && expect_out "released"
got=$(sq "$db" "SELECT s.meaning || '|' || s.username || '|' || lower(s.printed_name) || '|' || (s.signed_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z')
	FROM signatures s JOIN lots l ON l.id = s.lot_id WHERE l.code = 'HBM-0200';")
[ "$got" = "released|$labu|lena labor|1" ] && ok ||
	fail "HBM-0200's signature row is '$got', expected 'released|$labu|lena labor|1' (meaning, user, printed name, UTC time)"

step "the lab's rules: a product's expiry rule and QC limit, changed, apply to the next lots"
exp24=$(local_iso Europe/Berlin "$coll" 1440) || die "cannot compute the times"
export exp24
no front $REFUSED "may not" product expiry adipose --storage fresh --hours 12
no clin $REFUSED "may not" product limit adipose viability --min 90
admin 0 product expiry adipose --storage fresh --hours 24
admin 0 product limit adipose viability --min 90
cdk 0 --db "$db" product list && expect_out_re "adipose .*fresh .*(24|1 day)" && expect_out_re "adipose .*viability .*90"
lab 0 lot add --id ADI-0002 --kind autologous --patient BER-4711 --source adipose --collected "$coll" || die "lot add failed"
show ADI-0002 && json_assert 'd["expires"] == E["exp24"]' "adipose, fresh: expires 24 h after collection now ($exp24)"
advance ADI-0002 receive store
admin 0 lot qc ADI-0002 viability=88 sterility=negative endotoxin=0.1 mycoplasma=negative && expect_out "OUT OF LIMITS"
no lab $REFUSED "viability.*88.*90" lot release ADI-0002 --sign "$LAB_NAME"
lot_is ADI-0002 quarantine

# --- expiry ---------------------------------------------------------------

step "thaw: cryopreserved -> thawed, expiry now + 4 h; a fresh lot is not thawed"
no admin $REFUSED "fresh|cryopreserved" lot thaw HBM-0001
admin 0 lot thaw HBM-0102
show HBM-0102 && py_check "thawed: expires about 4 h from now" '
now = dt.datetime.now(dt.timezone.utc)
if d["storage"] != "thawed": bad("storage %r" % d["storage"])
if abs(utc(d["expires"]) - (now + dt.timedelta(hours=4))) > dt.timedelta(minutes=10): bad("expires %s" % d["expires"])'

step "an expired lot is refused for release, reserve, issue and administer"
lab 0 lot add --id HBM-0300 --kind autologous --patient BER-4712 --source bone-marrow || die "lot add failed"
advance HBM-0300 receive store qc
age HBM-0300
no lab $REFUSED "expired" lot release HBM-0300 --sign "$LAB_NAME"
for c in HBM-0301 HBM-0302 HBM-0303; do
	lab 0 lot add --id "$c" --kind autologous --patient BER-4712 --source bone-marrow || die "lot add failed"
done
advance HBM-0301 receive store qc release
advance HBM-0302 receive store qc release "reserve:$b1"
advance HBM-0303 receive store qc release "reserve:$b2" issue
age HBM-0301
age HBM-0302
age HBM-0303
no admin $REFUSED "expired" lot reserve HBM-0301 --appt "$b3"
no admin $REFUSED "expired" lot issue HBM-0302
no_admin "expired" HBM-0303 --patient BER-4712 --appt "$b2"
lot_is HBM-0301 released
lot_is HBM-0302 reserved
lot_is HBM-0303 issued
lab 0 lot add --id HBM-0304 --kind autologous --patient BER-4712 --source bone-marrow || die "lot add failed"
advance HBM-0304 receive
admin 0 lot store HBM-0304 --to Berlin/Fridge-2
advance HBM-0304 qc release
no admin $REFUSED "expire" lot reserve HBM-0304 --appt "$b3"
lot_is HBM-0304 released

# --- listing ---------------------------------------------------------------

# expect_codes SQL - the list JSON on stdout names exactly the lots (codes)
# SQL selects from the database.
expect_codes() {
	local want
	want=$(sq "$db" "$1" | tr '\n' ' ')
	W=$want json_assert 'sorted(x["id"] for x in d) == sorted(E["W"].split())' "the listed lots are: $want"
}

step "lot list --format json: the lots in stock by expiry, the keys, ISO 8601 expiry with the site's offset"
cdk 0 --db "$db" lot list --format json && json_valid && py_check "lot list JSON" '
iso = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
if not isinstance(d, list) or not d: bad("expected a non-empty array")
for x in d:
    miss = {"id", "kind", "status", "patient", "donor", "expires", "location"} - set(x)
    if miss: bad("%s lacks %s" % (x.get("id"), sorted(miss))); continue
    if not iso.match(x["expires"] or ""): bad("%s expires %r: not ISO 8601 with offset" % (x["id"], x["expires"])); continue
    z = "Europe/Kyiv" if str(x["location"]).startswith("Kyiv") else "Europe/Berlin"
    if off(x["expires"]) != zoff(x["expires"], z): bad("%s at %s expires %s, not in %s time" % (x["id"], x["location"], x["expires"], z))
    if x["kind"] == "autologous" and (not x["patient"] or x["donor"]): bad("%s: autologous with patient %r donor %r" % (x["id"], x["patient"], x["donor"]))
    if x["kind"] == "donor" and (x["patient"] or not x["donor"]): bad("%s: donor lot with patient %r donor %r" % (x["id"], x["patient"], x["donor"]))
m = {x["id"]: x for x in d}
if m.get("HBM-0002", {}).get("expires") != E["exp48"]: bad("HBM-0002 expires %r, expected %s" % (m.get("HBM-0002", {}).get("expires"), E["exp48"]))
if m.get("DON-0001", {}).get("donor") != "DN-501": bad("DON-0001 lacks its donor")
if [utc(x["expires"]) for x in d] != sorted(utc(x["expires"]) for x in d): bad("not first to expire first")'
# (the spec does not say; the program lists the lots in stock unless --status asks)
expect_codes "SELECT code FROM lots WHERE status NOT IN ('administered', 'discarded');"
cdk 0 --db "$db" lot list --status administered --format json && json_valid &&
	json_assert '[x["id"] for x in d] == ["HBM-0100"]' "--status administered: HBM-0100"

step "lot list filters: --status, --site, --patient, --limit"
cdk 0 --db "$db" lot list --status quarantine --format json && json_valid &&
	json_assert 'len(d) > 0 and all(x["status"] == "quarantine" for x in d)' "--status quarantine" &&
	expect_codes "SELECT code FROM lots WHERE status = 'quarantine';"
cdk 0 --db "$db" lot list --status discarded --format json && json_valid &&
	expect_codes "SELECT code FROM lots WHERE status = 'discarded';"
cdk 0 --db "$db" lot list --site Kyiv --format json && json_valid &&
	json_assert 'sorted(x["id"] for x in d) == ["ADI-0001", "HBM-0004", "HBM-0004-A"]' "--site Kyiv: the three Kyiv lots"
cdk 0 --db "$db" lot list --patient BER-4712 --format json && json_valid &&
	json_assert 'len(d) > 0 and all(x["patient"] == "BER-4712" for x in d) and "G123426000001-S1234A00" in [x["id"] for x in d]' "--patient BER-4712" &&
	expect_codes "SELECT l.code FROM lots l JOIN patients p ON p.id = l.patient_id WHERE p.mrn = 'BER-4712';"
cdk 0 --db "$db" lot list --patient kv-5521 --site Kyiv --format json && json_valid &&
	json_assert '[x["id"] for x in d] == ["ADI-0001"]' "--patient kv-5521 --site Kyiv"
cdk 0 --db "$db" lot list --limit 2 --format json && json_valid && json_assert 'len(d) == 2' "--limit 2"
no front $USAGE "" lot list --status thawing

step "lot list --expiring-within: what is still in stock, expired ones too, by expiry"
cdk 0 --db "$db" lot list --expiring-within 7d --format json && json_valid &&
	py_check "--expiring-within 7d" '
ids = [x["id"] for x in d]
for c in ("HBM-0001", "HBM-0002", "DON-0001", "HBM-0301", "HBM-0302", "HBM-0303", "HBM-0102"):
    if c not in ids: bad("%s expires within 7 days (or has expired) and is in stock, but is not listed" % c)
for c in ("HBM-0100", "HBM-0111", "HBM-0003", "HBM-0101"):
    if c in ids: bad("%s is listed (administered, discarded or expiring later)" % c)
if [utc(x["expires"]) for x in d] != sorted(utc(x["expires"]) for x in d): bad("not ordered by expiry: %r" % [(x["id"], x["expires"]) for x in d])' &&
	expect_codes "SELECT code FROM lots WHERE status NOT IN ('administered', 'discarded') AND expires_at <= strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '+7 days');"
cdk 0 --db "$db" lot list --expiring-within 1h --format json && json_valid &&
	json_assert 'sorted(x["id"] for x in d) == ["HBM-0300", "HBM-0301", "HBM-0302", "HBM-0303"]' \
		"--expiring-within 1h: only the four lots that have already expired"
cdk 0 --db "$db" lot list --expiring-within 7d --site Kyiv --format json && json_valid &&
	json_assert 'sorted(x["id"] for x in d) == ["ADI-0001", "HBM-0004", "HBM-0004-A"]' "--expiring-within 7d --site Kyiv: the three fresh Kyiv lots"
no front $USAGE "" lot list --expiring-within soon

step "lot list as text and CSV"
cdk 0 --db "$db" lot list --patient BER-4711 && expect_out "HBM-0002" && expect_out "$exp48_text" &&
	expect_out "bone-marrow"
cdk 0 --db "$db" lot list --format csv && csv_header_is "id,kind,status,source,patient,donor,expires,location" &&
	csv_assert 'any(x["id"] == "DON-0001" and x["donor"] == "DN-501" and x["kind"] == "donor" for x in r)' "CSV row of DON-0001"
front 0 lot list --status released && expect_out "HBM-0301"

step "the label of an ISBT 128 lot shows the DIN with its check character"
chk=$(mod37 G123426000001) || die "python failed"
cdk 0 --db "$db" label G123426000001-S1234A00 && expect_out_re "G1234 ?26 ?000001[^A-Za-z0-9]{0,3}$chk" &&
	expect_out "S1234A00" && expect_out "FOR AUTOLOGOUS USE ONLY" && expect_out "QUARANTINE"

step "every lot change is in the audit trail, and the chain is whole"
n=$(sq "$db" "SELECT count(*) FROM audit WHERE tbl = 'lots';")
[ "${n:-0}" -ge 40 ] && ok || fail "only ${n:-0} audit records for the lots table"
for c in HBM-0001 DON-0011 HBM-0200; do
	n=$(sq "$db" "SELECT count(*) FROM audit WHERE tbl = 'lots' AND (row_key = '$c' OR new LIKE '%$c%');")
	[ "${n:-0}" -ge 1 ] && ok || fail "no audit record names lot $c"
done
n=$(sq "$db" "SELECT count(*) FROM audit WHERE reason LIKE '%HBV NAT reactive%' OR new LIKE '%HBV NAT reactive%';")
[ "${n:-0}" -ge 1 ] && ok || fail "the ineligibility's reason is not in the audit trail"
cdk 0 --db "$db" audit verify && expect_out "Audit chain intact"

finish
