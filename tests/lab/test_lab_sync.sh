#!/bin/bash
# test_lab_sync.sh - the lab link (issue 6) against a real FHIR R4 engine
# (@medplum/fhir-router and its in-memory repository, tests/lab/
# fhir_server.mjs) on 127.0.0.1: a harvest recorded reaches the lab as
# exactly one Patient, Specimen and ServiceRequest however often sync
# runs; the lab's QC report and product status come back into the lot
# through the lot rules as "lab-sync", and release stays a person's
# signed act; what names an unknown lot, another patient or an unknown
# test waits in the review queue and changes nothing; a lab server frozen
# in mid-sync makes sync fail with a sentence, applies nothing half, and
# the next run finishes without a duplicate; a server without next links
# is paged with _offset; a second run applies nothing twice; only the lab
# and admins may sync.
# Runs as root: the roles use throw-away Unix users (useradd). The test
# writes the lab's side into the engine with plain HTTP (curl).
. "$(dirname "$0")/../cli/lib.sh"
lot_tag=labsync
lot_users=cds
. "$(dirname "$0")/../cli/lot_lib.sh"
. "$(dirname "$0")/lab_lib.sh"

# The sync's one line on stdout (SYNC.md): "sync: sent N, pulled N
# (applied N, to review N), failed N".
SUMMARY='^sync: sent [0-9]+, pulled [0-9]+ \(applied [0-9]+, to review [0-9]+\), failed [0-9]+$'

# summary SENT PULLED APPLIED REVIEW FAILED - the last command printed
# exactly the summary line, each figure an ERE (e.g. [0-9]+).
summary() {
	local re="^sync: sent $1, pulled $2 \\(applied $3, to review $4\\), failed $5\$"
	if [ "$(grep -cE "$SUMMARY" "$OUT")" = 1 ] && [ "$(grep -cv '^$' "$OUT")" = 1 ]; then ok; else
		fail "stdout is not the one summary line 'sync: sent N, pulled N (applied N, to review N), failed N' from: $last_cmd"
		show_output
		return 1
	fi
	if grep -qE "$re" "$OUT"; then ok; else
		fail "summary is not /$re/ from: $last_cmd"
		show_output
		return 1
	fi
}

# engine_json PATH - GET PATH from the engine into $OUT (for py_check).
engine_json() {
	last_cmd="curl $FHIR_BASE/$1"
	: >"$ERR"
	if fhir_get "$1" >"$OUT" 2>"$ERR"; then ok; else
		fail "the engine did not answer GET $1"
		show_output
		return 1
	fi
}

# lab_state - every row sync may change in the lot records, the ledger
# and the review queue (not the outbox, nor the run record): equal
# before and after a failed sync means nothing was half-applied.
lab_state() {
	sq "$db" "SELECT * FROM lots ORDER BY id; SELECT * FROM custody_events ORDER BY id;
		SELECT * FROM qc_results ORDER BY id; SELECT * FROM signatures ORDER BY id;
		SELECT * FROM sync_cursors ORDER BY resource; SELECT * FROM lab_applied ORDER BY type, fhir_id;
		SELECT * FROM sync_review ORDER BY id;
		SELECT count(*) FROM audit WHERE actor = 'lab-sync';" | sha256sum | cut -d' ' -f1
}
expect_lab_state() { # FINGERPRINT WHY
	if [ "$(lab_state)" = "$1" ]; then ok; else
		fail "a failed sync changed the lots, the QC results, the ledger or the review queue: $2"
		sq "$db" "SELECT 'qc', l.code, q.test, coalesce(q.value, q.text_value), q.actor FROM qc_results q JOIN lots l ON l.id = q.lot_id ORDER BY q.id DESC LIMIT 5;
			SELECT 'cursor', * FROM sync_cursors;" | sed 's/^/   | /'
	fi
}

# qc_count CODE [ACTOR] - QC results recorded for lot CODE (by ACTOR).
qc_count() {
	sq "$db" "SELECT count(*) FROM qc_results q JOIN lots l ON l.id = q.lot_id WHERE l.code = '$1'
		${2:+AND q.actor = '$2'};"
}

# one_of_each CODE MRN|donor:CODE - the engine holds exactly one Patient,
# Specimen and ServiceRequest for the lot.
one_of_each() {
	local who=$2
	case $who in
	donor:*) expect_fhir_count 1 Patient "identifier=urn:celldesk:donor|${who#donor:}" "(lot $1's donor)" ;;
	*) expect_fhir_count 1 Patient "identifier=urn:celldesk:mrn|$who" "(lot $1's patient)" ;;
	esac
	expect_fhir_count 1 Specimen "identifier=urn:celldesk:lot|$1" "(lot $1)"
	expect_fhir_count 1 ServiceRequest "identifier=urn:celldesk:order|$1" "(lot $1)"
}

# dr_cursor - the DiagnosticReport cursor in the `sync status --format
# json` on stdout: the date and time on the status row that names it.
dr_cursor() {
	python3 - "$OUT" <<'EOF'
import json, re, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
rows = d if isinstance(d, list) else [d]
for r in rows:
    if "DiagnosticReport" in json.dumps(r):
        for v in (r.values() if isinstance(r, dict) else [r]):
            m = re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", str(v))
            if m:
                print(m.group(0))
                sys.exit(0)
EOF
}

# mark_log - remember where the engine's request log ends; since_mark
# prints what was requested after it.
mark_log() { log_mark=$(wc -l <"$ENGINE_LOG"); }
since_mark() { tail -n +$((log_mark + 1)) "$ENGINE_LOG"; }

c1_day=$(next_weekday "$(day_after 21)" wed) && c2_day=$(date_add "$c1_day" 1) ||
	die "cannot compute the dates"

step "the lab's engine starts; a clinic: Berlin, staff, three patients, one with a booked cycle"
start_engine
lab_config
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
admin 0 patient add --mrn BER-7001 --name "Greta Lindner" --dob 1957-03-14 --site Berlin || die "patient add failed"
admin 0 patient add --mrn BER-7002 --name "Horst Vogel" --dob 1950-11-02 --site Berlin || die "patient add failed"
admin 0 patient add --mrn BER-7003 --name "Ilse Brandt" --dob 1963-08-30 --site Berlin || die "patient add failed"
admin 0 course book --patient BER-7001 --protocol hip-autologous-4 --start "$c1_day" --time 10:00 &&
	cyc=$(sed -n 's/.*[Bb]ooked cycle \([0-9][0-9]*\): .*/\1/p' "$OUT" | head -n 1) || die "booking failed"
admin 0 agenda --patient BER-7001 --format json && json_valid || die "agenda failed"
INJ=$(py_val 'sorted((x for x in d if x["step"] == "injection"), key=lambda x: x["course"])[0]["start"]')
export INJ
[ -n "$cyc" ] && [ -n "$INJ" ] || die "cannot find the cycle ($cyc) and its first injection ($INJ)"

# --- (a) a harvest recorded reaches the lab, once --------------------------

step "(a) lot add queues the order in the outbox; nothing is sent before sync"
lab 0 lot add --id HBM-7001 --kind autologous --patient BER-7001 --source bone-marrow --cycle "$cyc" ||
	die "lot add HBM-7001 failed"
admin 0 lot add --id DON-7001 --kind donor --donor DN-701 --source cord-blood --location Berlin ||
	die "lot add DON-7001 failed"
lab 0 sync outbox --status pending --format json && json_valid &&
	json_assert 'len(d) == 2 and all(("HBM-7001" in json.dumps(r)) != ("DON-7001" in json.dumps(r)) for r in d)' \
		"two pending orders, one for HBM-7001 and one for DON-7001"
expect_fhir_count 0 Specimen "identifier=urn:celldesk:lot|HBM-7001" "(before any sync)"

step "(a) sync sends both; the lab holds one Patient, Specimen and ServiceRequest per lot"
lab 0 sync && summary 2 0 0 0 0
one_of_each HBM-7001 BER-7001
one_of_each DON-7001 donor:DN-701
engine_json "Patient?identifier=urn:celldesk:mrn|BER-7001" &&
	pid=$(py_val 'd["entry"][0]["resource"]["id"]')
engine_json "Specimen?identifier=urn:celldesk:lot|HBM-7001" &&
	sid=$(py_val 'd["entry"][0]["resource"]["id"]')
export pid sid
py_check "the Specimen of HBM-7001 is Greta Lindner's (subject Patient/$pid)" '
s = d["entry"][0]["resource"]
if s.get("subject", {}).get("reference") != "Patient/" + E["pid"]: bad("subject %r" % s.get("subject"))'
engine_json "ServiceRequest?identifier=urn:celldesk:order|HBM-7001" &&
	py_check "the ServiceRequest orders HBM-7001 for Patient/$pid, needed at the first injection $INJ" '
r = d["entry"][0]["resource"]
if r.get("status") != "active" or r.get("intent") != "order": bad("status/intent %r/%r" % (r.get("status"), r.get("intent")))
if r.get("subject", {}).get("reference") != "Patient/" + E["pid"]: bad("subject %r" % r.get("subject"))
if [x.get("reference") for x in r.get("specimen", [])] != ["Specimen/" + E["sid"]]: bad("specimen %r" % r.get("specimen"))
o = r.get("occurrenceDateTime")
if not o or len(o) < 16: bad("occurrenceDateTime %r is not the date and time of the first injection" % o)
elif utc(o) != utc(E["INJ"]): bad("occurrenceDateTime %s, the first injection starts %s" % (o, E["INJ"]))'
engine_json "Patient?identifier=urn:celldesk:donor|DN-701" &&
	py_check "the donor's Patient carries only the donor code, no MRN and no name" '
p = d["entry"][0]["resource"]
if [(i.get("system"), i.get("value")) for i in p.get("identifier", [])] != [("urn:celldesk:donor", "DN-701")]: bad("identifier %r" % p.get("identifier"))
if p.get("name") or p.get("birthDate"): bad("the donor is named: %r %r" % (p.get("name"), p.get("birthDate")))'
engine_json "ServiceRequest?identifier=urn:celldesk:order|DON-7001" &&
	py_check "DON-7001 has no cycle: its ServiceRequest names no date" '
r = d["entry"][0]["resource"]
if "occurrenceDateTime" in r: bad("occurrenceDateTime %r" % r["occurrenceDateTime"])'
lab 0 sync outbox --format json && json_valid &&
	json_assert 'len(d) == 2 and all("sent" in json.dumps(r) and "pending" not in json.dumps(r) for r in d)' \
		"sync outbox: both orders sent"
lab 0 sync outbox --status pending --format json && json_valid && json_assert 'd == []' "nothing pending"

step "(a) sync again sends nothing new; still exactly one of each"
lab 0 sync && summary 0 0 0 0 0
one_of_each HBM-7001 BER-7001
one_of_each DON-7001 donor:DN-701
expect_fhir_count 2 Patient "" "(in all)"

# --- (b) the lab's results come back through the lot rules --------------------

step "(b) the lab reports QC and the product for HBM-7001 (by identifier) and DON-7001 (by reference)"
LAB_EXPIRY=$(python3 -c 'import datetime as dt; print((dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=30)).strftime("%Y-%m-%dT12:00:00Z"))')
export LAB_EXPIRY
post_qc_report HBM-7001 viability=92.5 sterility=negative endotoxin=0.1 mycoplasma=negative \
	cell-count=240000000 >/dev/null || die "the lab could not post its report"
post_product HBM-7001 available "$LAB_EXPIRY" >/dev/null || die "the lab could not post the product"
post_qc_report --specimen-ref DON-7001 viability=91 sterility=negative >/dev/null ||
	die "the lab could not post its report"
post_product DON-7001 unavailable >/dev/null || die "the lab could not post the product"
audit_before=$(sq "$db" "SELECT count(*) FROM audit;")
lab 0 sync && summary 0 '[0-9]+' 4 0 0

# lot show's "qc" summarises the tests with limits; the cell count is its "cells".
step "(b) HBM-7001 carries the lab's QC, is in quarantine, and expires when the lab says"
show HBM-7001 && py_check "HBM-7001 after sync" '
if d["status"] != "quarantine": bad("status %r, expected quarantine" % d["status"])
if utc(d["expires"]) != utc(E["LAB_EXPIRY"]): bad("expires %s, the lab says %s" % (d["expires"], E["LAB_EXPIRY"]))
if float(d.get("viability") or 0) != 92.5: bad("viability %r" % d.get("viability"))
if float(d.get("cells") or 0) != 240000000: bad("cells %r" % d.get("cells"))
qc = str(d.get("qc"))
for t, v in (("viability", "92.5"), ("sterility", "negative"), ("endotoxin", "0.1"), ("mycoplasma", "negative")):
    if t not in qc or v not in qc: bad("qc %r lacks %s %s" % (qc, t, v))'
n=$(qc_count HBM-7001 lab-sync)
[ "$n" = 5 ] && [ "$(qc_count HBM-7001)" = 5 ] && ok ||
	fail "HBM-7001 has $(qc_count HBM-7001) QC results ($n by lab-sync), expected the lab's 5, recorded by lab-sync"
ev=$(sq "$db" "SELECT group_concat(x, ' ') FROM (SELECT e.event || ':' || e.actor AS x FROM custody_events e
	JOIN lots l ON l.id = e.lot_id WHERE l.code = 'HBM-7001' AND e.event <> 'collected' ORDER BY e.id);")
case $ev in
"received:lab-sync stored:lab-sync") ok ;;
*) fail "HBM-7001's custody after sync is '$ev', expected 'received:lab-sync stored:lab-sync'" ;;
esac
admin 0 audit log --limit 100 --format json && json_valid &&
	N=$audit_before py_check "the audit trail records the sync's changes with the actor lab-sync" '
mine = [r for r in d if int(r["seq"]) > int(E["N"])]
qc = [r for r in mine if r["table"] == "qc_results" and r["row"] == "HBM-7001"]
if len(qc) != 5 or any(r["actor"] != "lab-sync" for r in qc): bad("qc_results records for HBM-7001: %r" % [(r["actor"], r["row"]) for r in qc])
lots = [r for r in mine if r["table"] == "lots" and r["row"] == "HBM-7001"]
if not lots or any(r["actor"] != "lab-sync" for r in lots): bad("lots records for HBM-7001: %r" % [(r["actor"], r["action"]) for r in lots])
if not any(r["actor"] == "lab-sync" and "DON-7001" == r["row"] for r in mine): bad("no lab-sync record for DON-7001")'

step "(b) DON-7001: the report named by Specimen reference is recorded; unavailable -> in processing"
show DON-7001 && json_assert 'd["status"] == "in-processing" and float(d.get("viability") or 0) == 91' \
	"DON-7001 in-processing with viability 91"
[ "$(qc_count DON-7001 lab-sync)" = 2 ] && ok ||
	fail "DON-7001 has $(qc_count DON-7001 lab-sync) QC results by lab-sync, expected 2"

step "(b) release stays a person's signed act: the lab user releases HBM-7001"
lot_is HBM-7001 quarantine
lab 0 lot release HBM-7001 --sign "$LAB_NAME"
lot_is HBM-7001 released
row=$(sq "$db" "SELECT s.username || '|' || s.printed_name FROM signatures s JOIN lots l ON l.id = s.lot_id
	WHERE l.code = 'HBM-7001' AND s.meaning = 'released';")
[ "$row" = "$labu|$LAB_NAME" ] && ok || fail "HBM-7001's release signature is '$row', expected '$labu|$LAB_NAME'"

# --- (c) what cannot be applied waits for a person ----------------------------

step "(c) an unknown lot, another patient's report, an unknown test and QC out of limits"
lab 0 lot add --id HBM-7002 --kind autologous --patient BER-7002 --source bone-marrow || die "lot add HBM-7002 failed"
lab 0 sync && summary 1 '[0-9]+' 0 0 0
post_qc_report NOPE-0001 viability=90 sterility=negative >/dev/null || die "posting the report failed"
post_product NOPE-0001 available "$LAB_EXPIRY" >/dev/null || die "posting the product failed"
post_qc_report --subject-mrn BER-7001 HBM-7002 viability=95 sterility=negative >/dev/null ||
	die "posting the report failed"
post_qc_report HBM-7002 ph=7.2 >/dev/null || die "posting the report failed"
post_qc_report HBM-7002 viability=60 sterility=negative endotoxin=0.9 mycoplasma=negative >/dev/null ||
	die "posting the report failed"
post_product HBM-7002 available >/dev/null || die "posting the product failed"
others=$(lot_rows HBM-7001; lot_rows DON-7001)
lab 0 sync && summary 0 '[0-9]+' 2 4 0
[ "$(lot_rows HBM-7001; lot_rows DON-7001)" = "$others" ] && ok ||
	fail "results for other lots changed HBM-7001 or DON-7001"
n=$(sq "$db" "SELECT count(*) FROM lots WHERE code LIKE 'NOPE%';")
[ "$n" = 0 ] && ok || fail "a lot NOPE-0001 was created from the lab's report"
lab 0 sync review --format json && json_valid && py_check "sync review: the four items, each with its lot and reason" '
s = [json.dumps(r, ensure_ascii=False) for r in d]
if len(d) != 4: bad("%d open review items, expected 4: %r" % (len(d), s))
if len([x for x in s if "NOPE-0001" in x]) != 2: bad("not two items for NOPE-0001 (report and product): %r" % s)
if not any("HBM-7002" in x and "ph" in x for x in s): bad("no item for the unknown test ph on HBM-7002: %r" % s)
if not any("HBM-7002" in x and "patient" in x.lower() for x in s): bad("no item for the report naming another patient: %r" % s)'
[ "$(qc_count HBM-7002)" = 4 ] && [ "$(qc_count HBM-7002 lab-sync)" = 4 ] && ok ||
	fail "HBM-7002 has $(qc_count HBM-7002) QC results, expected only the 4 of the in-limits-or-not report (not ph, not the other patient's)"
show HBM-7002 && json_assert 'd["status"] == "quarantine" and float(d["viability"]) == 60' \
	"HBM-7002: in quarantine, viability 60 recorded as the lab said"
no lab $REFUSED "viability.*60.*70|endotoxin" lot release HBM-7002 --sign "$LAB_NAME"
lot_is HBM-7002 quarantine

step "(c) a review item is resolved with a note (sync resolve ID --note TEXT)"
lab 0 sync review --format json && json_valid && rid=$(py_val '[r for r in d if "NOPE-0001" in json.dumps(r)][0]["id"]')
lab 0 sync resolve "$rid" --note "Lab mislabelled the sample; relabelled as HBM-7002"
lab 0 sync review --format json && json_valid && json_assert 'len(d) == 3' "three open items left"
lab 0 sync review --all --format json && json_valid &&
	json_assert 'any("relabelled" in json.dumps(r) for r in d) and len(d) == 4' "the resolved item keeps its note"

# --- (d) the lab server freezes in mid-sync -----------------------------------

step "(d) the server freezes while the second order is sent: exit 3, one order sent, nothing pulled"
lab_config timeout=2
lab 0 lot add --id HBM-7003 --kind autologous --patient BER-7003 --source bone-marrow || die "lot add HBM-7003 failed"
lab 0 lot add --id HBM-7004 --kind autologous --patient BER-7003 --source adipose || die "lot add HBM-7004 failed"
post_qc_report DON-7001 viability=93 >/dev/null || die "posting the report failed"
before=$(lab_state)
engine_pause_at POST / 1 || die "cannot arm the engine's pause"
t0=$(date +%s)
lab 3 sync && summary 1 0 0 0 '[1-9][0-9]*' && expect_err_re '^celldesk: sync: ' &&
	expect_err_rei 'time.?out|timed out|no answer|did not answer|not respond'
echo "   (the failed sync took $(($(date +%s) - t0)) s)"
engine_is_paused && ok || fail "the engine was not frozen by the sync's second order (test set-up)"
expect_lab_state "$before" "sync while the server froze in the push"
lab 0 sync outbox --status pending --format json && json_valid &&
	json_assert 'len(d) == 1 and "HBM-7004" in json.dumps(d[0])' "HBM-7004's order is still pending (not failed)"
lab 0 sync outbox --status failed --format json && json_valid && json_assert 'd == []' "no order marked failed by a timeout"
lab 0 sync status --format json && json_valid && py_check "sync status shows the last failure and its message" '
if not re.search("time.?out|timed out|no answer|did not answer|not respond", json.dumps(d), re.I): bad("no failure message in %s" % json.dumps(d)[:600])'
resume_engine
sleep 0.5

# A frozen server costs each resource type's pull its tries; timeout = 1
# keeps this part short.
step "(d) frozen again while fetching a report's Observations: the page is not applied"
lab_config timeout=1
post_qc_report HBM-7003 viability=88 sterility=negative endotoxin=0.2 mycoplasma=negative >/dev/null ||
	die "posting the report failed"
before=$(lab_state)
engine_pause_at GET /Observation 0 || die "cannot arm the engine's pause"
lab 3 sync && summary 1 '[0-9]+' 0 0 '[1-9][0-9]*' && expect_err_re '^celldesk: sync: '
engine_is_paused && ok || fail "the engine was not frozen by the sync's Observation search (test set-up)"
expect_lab_state "$before" "sync while the server froze between a report page and its Observations"
[ "$(qc_count HBM-7003)" = 0 ] && ok || fail "HBM-7003 got QC results from a page that was never complete"
resume_engine
sleep 0.5

step "(d) the server is back: the next sync completes, and the lab holds exactly one of each"
lab_config
lab 0 sync && summary 0 '[0-9]+' 2 0 0
[ "$(qc_count HBM-7003 lab-sync)" = 4 ] && ok || fail "HBM-7003 has $(qc_count HBM-7003 lab-sync) QC results by lab-sync, expected 4"
[ "$(qc_count DON-7001 lab-sync)" = 3 ] && ok || fail "DON-7001 has $(qc_count DON-7001 lab-sync) QC results by lab-sync, expected 3 (2 + the viability=93 posted while the server froze)"
lab 0 sync outbox --status pending --format json && json_valid && json_assert 'd == []' "nothing pending"
one_of_each HBM-7001 BER-7001
one_of_each DON-7001 donor:DN-701
one_of_each HBM-7002 BER-7002
one_of_each HBM-7003 BER-7003
one_of_each HBM-7004 BER-7003
expect_fhir_count 4 Patient "" "(in all: three patients and a donor)"
expect_fhir_count 5 Specimen "" "(in all)"
expect_fhir_count 5 ServiceRequest "" "(in all)"

# --- (e) paging with _offset: the engine gives no next link -------------------

step "(e) page_size 2, seven new reports: all applied in one sync, paged on with _offset"
lab_config page_size=2
for i in 1 2 3 4 5 6 7; do
	l=HBM-7003
	[ "$i" -gt 4 ] && l=HBM-7004
	post_qc_report "$l" "viability=8$i" "endotoxin=0.$i" >/dev/null || die "posting report $i failed"
done
newest=$(fhir_get "DiagnosticReport?_count=1000" | python3 -c 'import json, sys
print(max(e["resource"]["meta"]["lastUpdated"] for e in json.load(sys.stdin)["entry"]))')
export newest
lab 0 sync status --format json && json_valid && cursor_before=$(dr_cursor)
q3=$(qc_count HBM-7003) q4=$(qc_count HBM-7004)
mark_log
lab 0 sync && summary 0 '[0-9]+' 7 0 0
[ "$(($(qc_count HBM-7003) - q3))" = 8 ] && [ "$(($(qc_count HBM-7004) - q4))" = 6 ] && ok ||
	fail "the seven reports gave $(($(qc_count HBM-7003) - q3)) + $(($(qc_count HBM-7004) - q4)) new QC results, expected 8 + 6"
since_mark | grep -E '^GET /fhir/R4/DiagnosticReport\?' >"$tmp/dr_gets"
n=$(grep -c '_count=2' "$tmp/dr_gets")
[ "$n" -ge 4 ] && grep -q '_offset=' "$tmp/dr_gets" && ok ||
	fail "sync did not page DiagnosticReport with _count=2 and _offset ($n pages): $(head -c 600 "$tmp/dr_gets")"
lab 0 sync status --format json && json_valid && cursor_after=$(dr_cursor)
if [ -n "$cursor_after" ] && [ "$cursor_after" != "$cursor_before" ] &&
	python3 -c 'import datetime as dt, sys; f = lambda s: dt.datetime.fromisoformat(s)
sys.exit(0 if f(sys.argv[1]) == f(sys.argv[2]) else 1)' "$cursor_after" "$newest" 2>/dev/null; then ok; else
	fail "sync status: the DiagnosticReport cursor went from '$cursor_before' to '$cursor_after', expected the newest report's lastUpdated $newest"
	show_output
fi

# --- (f) idempotent: a second run right after applies nothing -----------------

step "(f) sync right after: nothing applied twice"
total=$(sq "$db" "SELECT count(*) FROM qc_results;")
before=$(lab_state)
lab 0 sync && summary 0 '[0-9]+' 0 0 0
[ "$(sq "$db" "SELECT count(*) FROM qc_results;")" = "$total" ] && ok ||
	fail "a second sync recorded QC results again ($total before, $(sq "$db" "SELECT count(*) FROM qc_results;") after)"
n=$(sq "$db" "SELECT count(*) FROM (SELECT lot_id, test, coalesce(value, text_value), count(*) AS c FROM qc_results
	WHERE actor = 'lab-sync' GROUP BY lot_id, test, coalesce(value, text_value), at HAVING c > 1);")
[ "$n" = 0 ] && ok || fail "$n QC results were recorded twice by lab-sync"

# --- (g) who may sync ---------------------------------------------------------

step "(g) the front desk and clinicians may not sync; without a [lab] url sync refuses"
no front $REFUSED "may not" sync
no clin $REFUSED "may not" sync
mkdir -p "$tmp/nolab"
fp=$(db_fingerprint "$db")
run $REFUSED env XDG_CONFIG_HOME="$tmp/nolab" "$CELLDESK" --db "$db" sync && expect_err "no lab is configured"
expect_db_unchanged "$db" "$fp" "sync without a lab"

finish
