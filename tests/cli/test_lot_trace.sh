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


# Exit statuses (src/core/status.h, celldesk(1) EXIT STATUS): 1 a rule,
# a missing role or an unknown record said no (CD_REFUSED), 2 a malformed
# command line (CD_USAGE).
REFUSED=1
USAGE=2

if [ "$(id -u)" != 0 ]; then
	echo "FAIL: $test_name must run as root: it creates Unix users (useradd) and"
	echo "      runs celldesk as each of them (runuser)."
	exit 1
fi
for t in useradd userdel runuser sqlite3; do
	command -v "$t" >/dev/null 2>&1 || die "needs '$t' (packages passwd, util-linux, sqlite3)"
done

# --- staff: a lab technician, a clinician and the front desk -------------
sfx=$$
labu=cdt_lab$sfx
clinu=cdt_clin$sfx
frontu=cdt_front$sfx
LAB_NAME="Lena Labor"
nologin=/usr/sbin/nologin
[ -x "$nologin" ] || nologin=/bin/false
for u in $labu $clinu $frontu; do
	at_exit "userdel '$u'"
	useradd -M -N -s "$nologin" "$u" || die "useradd $u failed"
done
umask 0000
shared=$(mktemp -d /tmp/celldesk-trace.XXXXXX) || die "mktemp -d failed"
at_exit "rm -rf '$shared'"
chmod 0777 "$shared"
for u in $labu $clinu $frontu; do
	mkdir -p "$shared/home-$u"
	chown "$u" "$shared/home-$u"
done
if ! runuser -u "$labu" -- "$CELLDESK" --version >/dev/null 2>&1; then
	mkdir -m 0755 "$shared/bin"
	cp "$CELLDESK" "$shared/bin/celldesk" && chmod 0755 "$shared/bin/celldesk"
	CELLDESK=$shared/bin/celldesk
fi
db=$shared/trace.db

# as USER EXPECTED_EXIT ARGS... - run celldesk as USER on $db
as() {
	local u=$1 want=$2
	shift 2
	run "$want" runuser -u "$u" -- env -i PATH=/usr/local/bin:/usr/bin:/bin \
		HOME="$shared/home-$u" XDG_CONFIG_HOME="$shared/home-$u/.config" \
		XDG_DATA_HOME="$shared/home-$u/.local/share" LC_ALL=C.UTF-8 TZ=UTC \
		/bin/sh -c 'umask 000; exec "$@"' celldesk "$CELLDESK" --db "$db" "$@"
}
# admin / lab / clin / front EXPECTED_EXIT ARGS... - celldesk as root (the
# first admin, without the lab or clinician role) or as the staff member
admin() { cdk "$1" --db "$db" "${@:2}"; }
lab() { as "$labu" "$@"; }
clin() { as "$clinu" "$@"; }
front() { as "$frontu" "$@"; }

# expect_err_rei ERE - stderr matches ERE, in any case.
expect_err_rei() {
	if LC_ALL=C grep -qaEi -e "$1" -- "$ERR"; then ok; else
		fail "stderr does not match /$1/ (any case) from: $last_cmd"
		show_output
		return 1
	fi
}

# run EXITS CMD... - lib.sh's run, and EXITS may list alternatives
# ("1|2") where the spec leaves open whether a command line is refused (1)
# or malformed (2), or where either outcome is the program's choice ("0|1").
eval "lib_$(declare -f run)"
run() {
	local alts=$1
	case $alts in
	*"|"*) ;;
	*) lib_run "$@"; return ;;
	esac
	shift
	last_cmd=$(printf '%q ' "$@")
	timeout 120 "$@" </dev/null >"$OUT" 2>"$ERR"
	rc=$?
	case "|$alts|" in
	*"|$rc|"*) ;;
	*)
		fail "exit status $rc, expected one of $alts: $last_cmd"
		show_output
		return 1
		;;
	esac
	[ "$rc" = 0 ] || check_err_line || return 1
	ok
	return 0
}

# no WHO EXIT ERE ARGS... - WHO (admin, lab, clin, front) runs celldesk
# ARGS: exit EXIT, stderr matches ERE (any case; "" for no check), and the
# database is exactly as before.
no() {
	local who=$1 want=$2 re=$3 fp
	shift 3
	fp=$(db_fingerprint "$db")
	if "$who" "$want" "$@"; then
		[ -z "$re" ] || expect_err_rei "$re"
	fi
	expect_db_unchanged "$db" "$fp" "$who: $(printf '%q ' "$@" | cut -c1-160)"
}

# lot_rows CODE - the lot's row, custody events, QC results and signatures.
lot_rows() {
	sq "$db" "SELECT * FROM lots WHERE code = '$1';
		SELECT * FROM custody_events WHERE lot_id = (SELECT id FROM lots WHERE code = '$1') ORDER BY id;
		SELECT * FROM qc_results WHERE lot_id = (SELECT id FROM lots WHERE code = '$1') ORDER BY id;
		SELECT * FROM signatures WHERE lot_id = (SELECT id FROM lots WHERE code = '$1') ORDER BY id;"
}

# no_admin ERE CODE ARGS... - the clinician's `lot administer CODE ARGS`
# is refused with a reason matching ERE; the lot is unchanged, and the
# attempt is recorded: a new bedside_checks row 'refused' by the
# clinician for CODE as typed, with the reason, and a new audit record.
no_admin() {
	local re=$1 code=$2 before nb na row
	shift 2
	before=$(lot_rows "$code")
	nb=$(sq "$db" "SELECT count(*) FROM bedside_checks;")
	na=$(sq "$db" "SELECT count(*) FROM audit;")
	clin $REFUSED lot administer "$code" "$@" && expect_err_rei "$re"
	[ "$(lot_rows "$code")" = "$before" ] && ok ||
		fail "a refused administration changed lot $code: $(printf '%q ' "$@")"
	row=$(sq "$db" "SELECT count(*) || '|' || (SELECT outcome || '|' || actor || '|' || lot_text || '|' || coalesce(reason, '')
		FROM bedside_checks ORDER BY id DESC LIMIT 1) FROM bedside_checks;")
	case $row in
	"$((nb + 1))|refused|$clinu|$code|"?*)
		if printf '%s\n' "${row##*|}" | grep -qEi -e "$re"; then ok; else
			fail "the recorded refusal's reason '${row##*|}' does not match /$re/ (lot administer $code)"
		fi
		;;
	*) fail "the refused administration of $code is not recorded as one new bedside_checks row 'refused' by $clinu with its reason: '$row' (before: $nb rows)" ;;
	esac
	[ "$(sq "$db" "SELECT count(*) FROM audit;")" -gt "$na" ] && ok ||
		fail "the refused administration of $code left no audit record"
}

# show CODE - lot show CODE --format json (as root, who may view).
show() {
	cdk 0 --db "$db" lot show "$1" --format json && json_valid
}
# lot_is CODE STATUS - lot show says CODE is STATUS.
lot_is() {
	show "$1" && S=$2 json_assert 'd["status"] == E["S"]' "lot $1 is $2 (lot show)"
}
# age CODE - time passes: the lot's expiry is an hour ago.  (celldesk
# reads the real clock; the sqlite3 shell stands in for waiting.)
age() {
	sq "$db" "UPDATE lots SET expires_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-1 hours') WHERE code = '$1';"
}
# py_val EXPR - EXPR with d = the JSON on stdout.
py_val() {
	python3 - "$OUT" "$1" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1], encoding='utf-8'))
print(eval(sys.argv[2]))
EOF
}
# local_now ZONE MINUTES - the local time MINUTES from now in ZONE, "YYYY-MM-DD HH:MM".
local_now() {
	python3 -c 'import datetime as dt, sys; from zoneinfo import ZoneInfo
print((dt.datetime.now(ZoneInfo(sys.argv[1])) + dt.timedelta(minutes=int(sys.argv[2]))).strftime("%Y-%m-%d %H:%M"))' "$1" "$2"
}
# mod37 DIN - the ISO 7064 MOD 37-2 check character of DIN.
mod37() {
	python3 -c 'import sys
s = sys.argv[1]
v = lambda c: int(c) if c.isdigit() else (36 if c == "*" else ord(c) - 55)
t = sum(v(c) * 2 ** n for n, c in enumerate(reversed(s), start=1))
print("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*"[(38 - t % 37) % 37])' "$1"
}

QC_OK="viability=92.5 sterility=negative endotoxin=0.1 mycoplasma=negative"
# advance CODE STEP... - take CODE through steps (as admin, release as
# lab): receive, store (cryopreserved in the tank), qc (all in limits),
# eligible, release, reserve:VISIT, issue.
advance() {
	local code=$1 s
	shift
	for s in "$@"; do
		case $s in
		receive) admin 0 lot receive "$code" ;;
		store) admin 0 lot store "$code" --to "Berlin/LN2-1/R1/B1/P1" --storage cryopreserved ;;
		qc) admin 0 lot qc "$code" $QC_OK ;;
		eligible) admin 0 lot eligibility "$code" eligible ;;
		release) lab 0 lot release "$code" --sign "$LAB_NAME" ;;
		reserve:*) admin 0 lot reserve "$code" --appt "${s#reserve:}" ;;
		issue) admin 0 lot issue "$code" ;;
		*) die "advance: unknown step $s" ;;
		esac || die "could not take lot $code through '$s'"
	done
}
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
