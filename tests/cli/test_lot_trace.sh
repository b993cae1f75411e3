#!/bin/bash
# test_lot_trace.sh - chain of identity and custody (issue 4): one harvest
# split into three aliquots (one split again), two of them given to the
# patient: trace --forward from the harvest names every derived lot and the
# patient, trace --back from an aliquot or the patient reaches the harvest;
# a donor's lot split and given to two patients: trace --donor CODE
# --forward names both; lot trace ID lists the custody events oldest first
# with actor, places, temperature and note; custody events, signatures and
# bedside checks cannot be changed or deleted even with sqlite3 (triggers).
# Runs as root: the roles use throw-away Unix users (useradd).
. "$(dirname "$0")/lib.sh"
lot_tag=trace
lot_users=cdt
. "$(dirname "$0")/lot_lib.sh"
visits() { # PATIENT - "ID ID ..." of the patient's injection visits by course
	admin 0 agenda --patient "$1" --format json && json_valid || die "agenda --patient $1 failed"
	py_val '" ".join(str(x["id"]) for x in sorted((x for x in d if x["step"] == "injection"), key=lambda x: x["course"]))'
}
# give CODE VISIT MRN - reserve, issue and administer CODE to MRN at VISIT.
give() {
	admin 0 lot reserve "$1" --appt "$2" && clin 0 lot issue "$1" && visit_today "$db" "$2" &&
		clin 0 lot administer "$1" --patient "$3" --appt "$2" || die "could not give $1 to $3"
}

H=G123426000101-S1234A00
A1=G123426000101-S1234AA0
A2=G123426000101-S1234AB0
A3=G123426000101-S1234AC0
A3a=G123426000101-S1234ACa
export H A1 A2 A3 A3a

c1_day=$(next_weekday "$(day_after 21)" wed) && r_day=$(date_add "$c1_day" 1) &&
	q_day=$(date_add "$c1_day" 2) || die "cannot compute the dates"

step "a clinic: Berlin, staff, a tank; a patient on an autologous cycle, two on donor cycles"
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
admin 0 storage add LN2-1 --site Berlin --kind ln2-tank --min -196 --max -150 || die "storage add failed"
admin 0 patient add --mrn BER-9101 --name "Ida Sommer" --dob 1958-04-04 --site Berlin
admin 0 patient add --mrn BER-9102 --name "Karl Winter" --dob 1949-02-26 --site Berlin
admin 0 patient add --mrn BER-9103 --name "Nina Herbst" --dob 1961-06-25 --site Berlin
admin 0 patient add --mrn BER-9104 --name "Otto Frost" --dob 1970-07-07 --site Berlin
admin 0 course book --patient BER-9101 --protocol hip-autologous-4 --start "$c1_day" --time 10:00 &&
	cyc=$(sed -n 's/.*[Bb]ooked cycle \([0-9][0-9]*\): .*/\1/p' "$OUT" | head -n 1) || die "booking failed"
admin 0 course book --patient BER-9102 --protocol knee-donor-3 --start "$r_day" --time 10:00 || die "booking failed"
admin 0 course book --patient BER-9103 --protocol knee-donor-3 --start "$q_day" --time 10:00 || die "booking failed"
read -r p1 p2 p3 p4 <<<"$(visits BER-9101)"
read -r r1 r2 r3 <<<"$(visits BER-9102)"
read -r q1 q2 q3 <<<"$(visits BER-9103)"
[ -n "$cyc" ] && [ -n "$p4" ] && [ -n "$r3" ] && [ -n "$q3" ] || die "cannot find the cycle and visits"

step "a harvest split into three aliquots (ISBT 128 divisions), one split again"
lab 0 lot add --id "$H" --kind autologous --patient BER-9101 --source bone-marrow --cycle "$cyc" --volume 60 ||
	die "lot add of the harvest failed"
admin 0 lot receive "$H"
for c in "$A1" "$A2" "$A3"; do
	lab 0 lot add --id "$c" --kind autologous --patient BER-9101 --source bone-marrow --parent "$H" --volume 20 ||
		die "lot add of aliquot $c failed"
done
lab 0 lot add --id "$A3a" --kind autologous --patient BER-9101 --source bone-marrow --parent "$A3" --volume 10 ||
	die "lot add of $A3a failed"
admin 0 lot discard "$H" --reason "split into three aliquots"
show "$H" && coi=$(py_val 'd["coi"]') && export coi
for c in "$A1" "$A2" "$A3" "$A3a"; do
	show "$c" && json_assert 'd["coi"] == E["coi"] and d["patient"] == "BER-9101"' "$c shares the harvest's chain of identity"
done
show "$A1" && H=$H json_assert 'd["parent"] == E["H"]' "$A1's parent is the harvest"
show "$A3a" && P=$A3 json_assert 'd["parent"] == E["P"]' "$A3a's parent is $A3"

step "two aliquots given to the patient; one moved in the tank on the way"
for c in "$A1" "$A2" "$A3"; do
	advance "$c" receive store qc release
done
admin 0 lot move "$A1" --to Berlin/LN2-1/R2/B1/P1 --temp -190.5 --note "rack reorganised"
give "$A1" "$p1" BER-9101
give "$A2" "$p2" BER-9101

step "trace --forward from the harvest: every derived lot and the patient"
cdk 0 --db "$db" lot trace "$H" --forward && expect_out "$A1" && expect_out "$A2" && expect_out "$A3" &&
	expect_out "$A3a" && expect_out "BER-9101" && expect_no_out "BER-9102" && expect_no_out "BER-9103"
cdk 0 --db "$db" lot trace "$H" --forward --format json && json_valid &&
	py_check "trace --forward JSON: the harvest, its four derived lots, BER-9101 the recipient of two" '
if not isinstance(d, list): bad("expected an array")
else:
    got = {x.get("id"): x for x in d}
    if set(got) != {E["H"], E["A1"], E["A2"], E["A3"], E["A3a"]}: bad("lots %r" % sorted(got))
    rec = {i: x.get("recipient") for i, x in got.items()}
    if rec != {E["H"]: None, E["A1"]: "BER-9101", E["A2"]: "BER-9101", E["A3"]: None, E["A3a"]: None}: bad("recipients %r" % rec)'
cdk 0 --db "$db" lot trace "$A3" --forward && expect_out "$A3a" && expect_no_out "$A1"
cdk 0 --db "$db" lot trace "$A3" --forward --format json && json_valid &&
	json_assert 'sorted(x["id"] for x in d) == sorted([E["A3"], E["A3a"]]) and not any(x.get("recipient") for x in d)' \
		"trace --forward from $A3: itself and $A3a, given to nobody"

step "trace --back from an aliquot and from the patient reaches the harvest"
cdk 0 --db "$db" lot trace "$A2" --back && expect_out "$H" && expect_no_out "$A1" && expect_no_out "$A3"
cdk 0 --db "$db" lot trace "$A2" --back --format json && json_valid &&
	json_assert '[x["id"] for x in d] == [E["A2"], E["H"]]' "trace --back from $A2: itself, then the harvest"
cdk 0 --db "$db" lot trace "$A3a" --back && expect_out "$A3" && expect_out "$H"
cdk 0 --db "$db" lot trace --patient BER-9101 --back && expect_out "$A1" && expect_out "$A2" && expect_out "$H" &&
	expect_no_out "$A3"
cdk 0 --db "$db" lot trace --patient BER-9101 --back --format json && json_valid &&
	json_assert 'all(c in json.dumps(d) for c in (E["A1"], E["A2"], E["H"]))' "trace --back JSON from BER-9101"
no admin $REFUSED "NOPE-1" lot trace --patient NOPE-1 --back
no admin $REFUSED "NOPE-0001" lot trace NOPE-0001 --forward

step "a donor's lot split in two and given to two patients"
admin 0 lot add --id DON-9000 --kind donor --donor DNR-90 --source cord-blood --location Berlin || die "lot add failed"
admin 0 lot receive DON-9000
for c in DON-9001 DON-9002; do
	admin 0 lot add --id "$c" --kind donor --donor DNR-90 --source cord-blood --parent DON-9000 || die "lot add $c failed"
	advance "$c" receive store qc eligible release
done
admin 0 lot add --id DON-9100 --kind donor --donor DNR-91 --source cord-blood --location Berlin || die "lot add failed"
advance DON-9100 receive store qc eligible release
give DON-9001 "$r1" BER-9102
give DON-9002 "$q1" BER-9103
give DON-9100 "$r2" BER-9102
cdk 0 --db "$db" lot trace --donor DNR-90 --forward && expect_out "BER-9102" && expect_out "BER-9103" &&
	expect_out "DON-9001" && expect_out "DON-9002" && expect_no_out "BER-9101" && expect_no_out "DON-9100"
cdk 0 --db "$db" lot trace --donor DNR-90 --forward --format json && json_valid &&
	json_assert 'sorted(x["id"] for x in d) == ["DON-9000", "DON-9001", "DON-9002"] and sorted(x["recipient"] for x in d if x.get("recipient")) == ["BER-9102", "BER-9103"]' \
		"trace --donor DNR-90 JSON: the donor's three lots, received by BER-9102 and BER-9103"
cdk 0 --db "$db" lot trace DON-9000 --forward && expect_out "BER-9102" && expect_out "BER-9103"
cdk 0 --db "$db" lot trace --patient BER-9103 --back && expect_out "DON-9002" && expect_out "DON-9000" &&
	expect_no_out "DON-9001"
cdk 0 --db "$db" lot trace --patient BER-9102 --back && expect_out "DON-9001" && expect_out "DON-9100" &&
	expect_out "DNR-90" && expect_out "DNR-91"

step "lot trace ID: the custody chain, oldest first"
cdk 0 --db "$db" lot trace "$A1" --format json && json_valid && L=$labu C=$clinu py_check "custody chain of $A1" '
if not isinstance(d, list): bad("expected an array of events")
else:
    ev = [x.get("event") for x in d]
    want = ["collected", "received", "stored", "transferred", "issued", "administered"]
    it = iter(ev)
    if not all(w in it for w in want): bad("events %r do not hold %r in that order" % (ev, want))
    if ev[0] != "collected" or ev[-1] != "administered": bad("the chain starts with %r and ends with %r" % (ev[0], ev[-1]))
    at = [x.get("at") or "" for x in d]
    if at != sorted(at, key=lambda s: utc(s)): bad("not oldest first: %r" % at)
    for k in ("at", "event", "actor", "from", "to", "temp", "note"):
        if any(k not in x for x in d): bad("an event lacks %r" % k)
    t = [x for x in d if x.get("event") == "transferred"]
    if len(t) != 1 or t[0].get("temp") is None or float(t[0]["temp"]) != -190.5 or "rack reorganised" not in str(t[0].get("note")) or "R2" not in str(t[0].get("to")):
        bad("the move is %r" % t)
    if d[0].get("actor") != E["L"]: bad("collected by %r, expected %s" % (d[0].get("actor"), E["L"]))
    if d[-1].get("actor") != E["C"]: bad("administered by %r, expected %s" % (d[-1].get("actor"), E["C"]))'
cdk 0 --db "$db" lot trace "$A1" && python3 - "$OUT" <<'PY' && ok || fail "lot trace $A1 (text): the events are not listed oldest first: $(tr '\n' '|' <"$OUT" | cut -c1-400)"
import sys
text = open(sys.argv[1], encoding="utf-8").read()
pos = [text.find(w) for w in ("collected", "received", "stored", "transferred", "issued", "administered")]
sys.exit(0 if all(p >= 0 for p in pos) and pos == sorted(pos) else 1)
PY
# the text listing names each actor whole, set apart from the next column
# (fails while the actor column cuts "cdt_clinNNNNN" to "cdt_clin…" and runs
# a 12-character name into the "from" place)
cdk 0 --db "$db" lot trace "$A1" && expect_out "rack reorganised" && expect_out "-190.5" &&
	expect_out_re "(^| )$labu +Berlin" && expect_out_re "(^| )$clinu +Berlin"
n=$(sq "$db" "SELECT count(*) FROM custody_events WHERE lot_id = (SELECT id FROM lots WHERE code = '$A1');")
cdk 0 --db "$db" lot trace "$A1" --format json && N=$n json_assert 'len(d) == int(E["N"])' "trace lists all $n custody events of $A1"

step "custody events, signatures and bedside checks cannot be changed or deleted, even with sqlite3"
fp=$(db_fingerprint "$db")
for sql in "UPDATE custody_events SET note = 'forged' WHERE lot_id = (SELECT id FROM lots WHERE code = '$A1');" \
	"UPDATE custody_events SET actor = 'mallory';" \
	"DELETE FROM custody_events WHERE event = 'administered';" \
	"DELETE FROM custody_events;" \
	"UPDATE signatures SET printed_name = 'Someone Else';" \
	"DELETE FROM signatures;" \
	"UPDATE bedside_checks SET outcome = 'refused';" \
	"DELETE FROM bedside_checks;"; do
	if sq "$db" "$sql" >"$OUT" 2>"$ERR"; then
		fail "sqlite3 ran '$sql'; a trigger must refuse it"
	elif grep -qi "never" "$ERR"; then ok; else
		fail "sqlite3 refused '$sql' but not with the trigger's message: $(cat "$ERR")"
	fi
done
expect_db_unchanged "$db" "$fp" "UPDATE and DELETE of history tables with sqlite3"
n=$(sq "$db" "SELECT count(*) FROM bedside_checks WHERE outcome = 'administered';")
[ "$n" = 5 ] && ok || fail "$n bedside checks 'administered', expected 5 (two aliquots, three donor lots)"

step "the audit chain is whole"
cdk 0 --db "$db" audit verify && expect_out "Audit chain intact"

finish
