#!/bin/bash
# test_schedule.sh - the front desk's scheduling day: a 4-course cycle
# booked in one command (a dry run first), shown by cycle, visit and agenda
# with its filters; a moved course shifting what follows while every gap
# stays at its minimum; visit statuses and cycle cancellation; double
# bookings refused, and allowed with --force --reason only for clinicians
# and admins (audited); the day's calls; the iCalendar export parsed back
# with libical; closures and absences steering the planner.
# Runs as root: the role checks use throw-away Unix users (useradd).
. "$(dirname "$0")/lib.sh"

db=$tmp/clinic.db
ics_check=$(dirname "$CELLDESK")/tests/tools/ics_check

# py_get EXPR - print EXPR evaluated with d = the JSON on stdout.
py_get() {
	python3 - "$OUT" "$1" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1], encoding='utf-8'))
v = eval(sys.argv[2])
print(v if not isinstance(v, (list, tuple)) else " ".join(str(x) for x in v))
EOF
}

# agenda_of MRN - the patient's visits as JSON on stdout.
agenda_of() {
	cdk 0 --db "$db" agenda --patient "$1" --format json && json_valid
}

# refused EXIT TEXT ARGS... - celldesk ARGS on $db exits EXIT with TEXT
# (case-insensitive) on stderr, prints nothing on stdout, changes nothing.
refused() {
	local want=$1 text=$2 fp
	shift 2
	fp=$(db_fingerprint "$db")
	if cdk "$want" --db "$db" "$@"; then
		[ -z "$text" ] || expect_err_i "$text"
	fi
	expect_db_unchanged "$db" "$fp" "$(printf '%q ' "$@" | cut -c1-200)"
}

# The dates, from today (celldesk refuses to book in the past): B1's
# course 1 is on a Wednesday three weeks or more ahead ($c1_day), so that
# the medication-stop call two weeks before it is in the future too, and
# every other date is a fixed number of days from it, so that each falls
# on the same weekday every time (B1's visits on Wednesdays, the moves on
# Mondays, ...).  UTC offsets come from the tz database.  Exported for the
# python checks.
c1_day=$(next_weekday "$(day_after 21)" wed) || die "cannot compute the dates"
call_day=$(date_add "$c1_day" -14) &&
	agenda_from=$(date_add "$c1_day" -2) &&
	solo_next=$(date_add "$c1_day" 1) &&
	c1_later=$(date_add "$c1_day" 5) &&
	c1_too_close=$(date_add "$c1_day" 7) &&
	day_13=$(date_add "$c1_day" 13) &&
	c2_day=$(date_add "$c1_day" 14) &&
	c2_later=$(date_add "$c1_day" 19) &&
	c3_day0=$(date_add "$c1_day" 28) &&
	c3_later=$(date_add "$c1_day" 33) &&
	c4_day0=$(date_add "$c1_day" 42) &&
	c4_later=$(date_add "$c1_day" 47) &&
	b3_day=$(date_add "$c1_day" 63) &&
	closed_day=$(date_add "$c1_day" 77) &&
	b3_c2_day=$(date_add "$c1_day" 78) &&
	away_day=$(date_add "$c1_day" 92) &&
	away_next=$(date_add "$c1_day" 93) &&
	both_away_day=$(date_add "$c1_day" 106) &&
	last_imaging=$(date_add "$c1_day" 224) ||
	die "cannot compute the dates"
export c1_day call_day agenda_from solo_next c1_later c1_too_close day_13 c2_day c2_later \
	c3_day0 c3_later c4_day0 c4_later b3_day closed_day b3_c2_day away_day away_next \
	both_away_day last_imaging
inj_iso=
for d in "$c1_day" "$c2_day" "$c3_day0" "$c4_day0"; do
	inj_iso="$inj_iso $(local_iso Europe/Berlin "$d 10:00")" || die "cannot compute the offsets"
done
export INJ_ISO=${inj_iso# }
c2_iso=$(local_iso Europe/Berlin "$c2_day 10:00") &&
	k1_iso=$(local_iso Europe/Kyiv "$c2_day 09:00") &&
	solo_iso=$(local_iso Europe/Kyiv "$c1_day 10:00") || die "cannot compute the offsets"
export c2_iso k1_iso solo_iso

step "a clinic: Berlin and Kyiv with their rooms, devices and clinicians"
cdk 0 --db "$db" init || die "init failed"
cdk 0 --db "$db" site add Berlin --tz Europe/Berlin --hours "mon-fri 08:00-18:00" || die "site add failed"
cdk 0 --db "$db" site add Kyiv --tz Europe/Kyiv --hours "mon-fri 08:00-19:00, sat 09:00-14:00" || die "site add failed"
for s in Berlin Kyiv; do
	cdk 0 --db "$db" resource add "Procedure room 1" --site "$s" --kind room --tags harvest,procedure
	cdk 0 --db "$db" resource add "Injection room A" --site "$s" --kind room --tags injection,ultrasound
	cdk 0 --db "$db" resource add "MRI suite" --site "$s" --kind room --tags imaging,mri
done
cdk 0 --db "$db" resource add "Injection room B" --site Berlin --kind room --tags fluoroscopy,injection
cdk 0 --db "$db" resource add "Jürgen Groß" --site Berlin --kind clinician
cdk 0 --db "$db" resource add "Miriam Schäfer" --site Berlin --kind clinician
cdk 0 --db "$db" resource add "Андрій Мельник" --site Kyiv --kind clinician
cdk 0 --db "$db" patient add --mrn B1 --name "Anna Fischer" --dob 1958-04-04 --site Berlin --phone "+49 30 621 7740"
cdk 0 --db "$db" patient add --mrn B2 --name "Bernd Krüger" --dob 1949-02-26 --site Berlin --phone "+49 30 379 2097"
cdk 0 --db "$db" patient add --mrn B3 --name "Carla Meyer" --dob 1961-06-25 --site Berlin --phone "+49 30 540 8126"
cdk 0 --db "$db" patient add --mrn K1 --name "Олена Коваленко" --dob 1955-01-17 --site Kyiv --phone "+380 44 555 0101"
cdk 0 --db "$db" protocol list && expect_out "hip-autologous-4" && expect_out "knee-donor-3"

step "protocol show prints the JSON protocol add reads (an admin copies a protocol)"
# (fails while protocol show escapes its newlines as the text "\x0a")
cdk 0 --db "$db" protocol show hip-autologous-4 --format json && json_valid &&
	json_assert 'd["name"] == "hip-autologous-4" and d["courses"] == 4 and d["gap_days"] == 14 and len(d["steps"]) == 8' \
		"protocol show: hip-autologous-4, 4 courses, 14 days, 8 steps" &&
	python3 - "$OUT" >"$tmp/copy.json" <<'EOF' &&
import json, sys
p = json.load(open(sys.argv[1], encoding='utf-8'))
p["name"] = "hip-autologous-3"
p["courses"] = 3
print(json.dumps(p, ensure_ascii=False, indent=2))
EOF
	cdk 0 --db "$db" protocol add --file "$tmp/copy.json" &&
	cdk 0 --db "$db" protocol list --format json &&
	json_assert 'any(x["name"] == "hip-autologous-3" and int(x["courses"]) == 3 for x in d)' "the copy is listed"
cdk 0 --db "$db" protocol show knee-donor-3
if python3 -m json.tool <"$OUT" >/dev/null 2>&1; then ok; else
	fail "protocol show (text) does not print the protocol's JSON: $(head -c 60 "$OUT" | cat -v)"
fi

step "--dry-run prints the whole plan and books nothing"
fp=$(db_fingerprint "$db")
cdk 0 --db "$db" course book --patient B1 --protocol hip-autologous-4 --start "$c1_day" --time 10:00 --dry-run &&
	expect_out_i "nothing booked" && expect_out "$c1_day 10:00" && expect_out "$c4_day0 10:00"
expect_db_unchanged "$db" "$fp" "course book --dry-run"
cdk 0 --db "$db" --format json course book --patient B1 --protocol hip-autologous-4 --start "$c1_day" \
	--time 10:00 --dry-run && json_valid &&
	py_check "the dry-run plan has the 11 visits, none with an id" '
if len(d) != 11: bad("%d rows, expected 11" % len(d))
if any(x["id"] is not None for x in d): bad("a dry run shows visit ids")
if [x["start"] for x in inj(d)] != E["INJ_ISO"].split():
    bad("injections planned at %s" % [x["start"] for x in inj(d)])'
expect_db_unchanged "$db" "$fp" "course book --dry-run --format json"
n=$(sq "$db" "SELECT count(*) FROM appointments; SELECT count(*) FROM cycles;" | tr '\n' ' ')
[ "$n" = "0 0 " ] && ok || fail "a dry run left appointments/cycles behind: $n"

step "a 4-course cycle booked in one command: 11 visits"
cdk 0 --db "$db" course book --patient B1 --protocol hip-autologous-4 --start "$c1_day" --time 10:00 ||
	die "booking the cycle failed"
expect_out_re "[Bb]ooked cycle [0-9]+: 11 visits"
cyc=$(sed -n 's/.*[Bb]ooked cycle \([0-9][0-9]*\): .*/\1/p' "$OUT" | head -n 1)
[ -n "$cyc" ] || die "no cycle number in the booking output"
n=$(sq "$db" "SELECT count(*) FROM appointments WHERE cycle_id = $cyc;")
[ "$n" = 11 ] && ok || fail "the database holds $n visits for cycle $cyc, expected 11"

step "agenda --format json: keys, ISO 8601 times with offset, the protocol's offsets"
agenda_of B1 || die "agenda --patient B1 failed"
CYC=$cyc py_check "agenda JSON keys and types" '
keys = {"id", "cycle", "course", "step", "patient", "site", "resource", "start", "end", "status"}
if not isinstance(d, list) or len(d) != 11: bad("expected an array of 11 visits, got %r" % (type(d).__name__ if not isinstance(d, list) else len(d)))
iso = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
for x in d:
    if not keys <= set(x): bad("visit %s lacks %s" % (x.get("id"), sorted(keys - set(x))))
    if not isinstance(x["id"], int) or not isinstance(x["cycle"], int): bad("id/cycle not numbers: %r" % x)
    if x["course"] is not None and not isinstance(x["course"], int): bad("course not a number: %r" % x)
    if not iso.match(x["start"] or "") or not iso.match(x["end"] or ""): bad("start/end not ISO 8601 with offset: %s %s" % (x["start"], x["end"]))
    elif utc(x["end"]) <= utc(x["start"]): bad("visit %s ends before it starts" % x["id"])
    if x["cycle"] != int(E["CYC"]) or x["patient"] != "B1" or x["site"] != "Berlin" or x["status"] != "booked": bad("wrong cycle/patient/site/status: %r" % x)
    if x["step"] not in ("call", "harvest", "injection", "followup", "imaging"): bad("unknown step %r" % x["step"])
'
CYC=$cyc py_check "11 visits: call, harvest, 4 injections 14 local days apart at 10:00, follow-ups and imaging" '
cnt = {s: len(steps(d, s)) for s in ("call", "harvest", "injection", "followup", "imaging")}
if cnt != {"call": 1, "harvest": 1, "injection": 4, "followup": 3, "imaging": 2}: bad("visits per step: %r" % cnt)
i = inj(d)
if [x["course"] for x in i] != [1, 2, 3, 4]: bad("injection courses %r" % [x["course"] for x in i])
if [x["start"][:16] for x in i] != [E[k] + "T10:00" for k in ("c1_day", "c2_day", "c3_day0", "c4_day0")]: bad("injections at %r" % [x["start"] for x in i])
for a, b in zip(i, i[1:]):
    if days(a["start"], b["start"]) != 14: bad("courses %s and %s are %d local days apart" % (a["course"], b["course"], days(a["start"], b["start"])))
    if hm(a["start"]) != hm(b["start"]): bad("courses %s and %s at different local times" % (a["course"], b["course"]))
for x in i:
    if (utc(x["end"]) - utc(x["start"])) != dt.timedelta(minutes=60): bad("injection %s is not 60 minutes" % x["course"])
    if "Injection room" not in (x["resource"] or "") or not any(c in x["resource"] for c in ("Groß", "Schäfer")): bad("injection %s resources: %r" % (x["course"], x["resource"]))
    if "48 h" not in (x.get("note") or ""): bad("injection %s lacks the 48 h rest note" % x["course"])
first, last = i[0]["start"], i[-1]["start"]
c, h = steps(d, "call")[0], steps(d, "harvest")[0]
if days(c["start"], first) != 14: bad("the call is %d days before course 1, expected 14" % days(c["start"], first))
if days(h["start"], first) != 7: bad("the harvest is %d days before course 1, expected 7" % days(h["start"], first))
if c["course"] is not None or h["course"] is not None: bad("call/harvest carry a course number")
if "stop anti-inflammatory" not in (c.get("note") or ""): bad("the call lacks its note: %r" % c.get("note"))
if "Procedure room" not in (h["resource"] or ""): bad("harvest not in the procedure room: %r" % h["resource"])
if [days(last, x["start"]) for x in steps(d, "followup")] != [14, 42, 84]: bad("follow-ups %r days after the last injection" % [days(last, x["start"]) for x in steps(d, "followup")])
if [days(last, x["start"]) for x in steps(d, "imaging")] != [91, 182]: bad("imaging %r days after the last injection" % [days(last, x["start"]) for x in steps(d, "imaging")])
if any("MRI" not in (x["resource"] or "") for x in steps(d, "imaging")): bad("imaging not in the MRI suite")
'
c1=$(py_get 'next(x["id"] for x in d if x["course"] == 1)')
c2=$(py_get 'next(x["id"] for x in d if x["course"] == 2)')
c3=$(py_get 'next(x["id"] for x in d if x["course"] == 3)')
harvest=$(py_get 'next(x["id"] for x in d if x["step"] == "harvest")')
[ -n "$c1" ] && [ -n "$c2" ] && [ -n "$c3" ] && [ -n "$harvest" ] || die "cannot find the visit ids"

step "cycle show, cycle list, appt show"
cdk 0 --db "$db" cycle show "$cyc" && expect_out "hip-autologous-4" && expect_out "B1" &&
	expect_out "Anna Fischer" && expect_out "$c2_day 10:00" && expect_out "$last_imaging"
cdk 0 --db "$db" cycle show "$cyc" --format json && json_valid &&
	json_assert 'd["cycle"]["status"] == "active" and d["cycle"]["patient"] == "B1" and d["cycle"]["protocol"] == "hip-autologous-4" and len(d["visits"]) == 11' \
		"cycle show JSON: active, B1, hip-autologous-4, 11 visits"
cdk 0 --db "$db" cycle list && expect_out "hip-autologous-4" && expect_out "B1"
cdk 0 --db "$db" cycle list --patient B1 --format json && json_valid &&
	CYC=$cyc json_assert 'len(d) == 1 and d[0]["id"] == int(E["CYC"]) and d[0]["status"] == "active" and d[0]["first"] == E["call_day"] and d[0]["last"] == E["last_imaging"]' \
		"cycle list --patient B1: one active cycle from the call ($call_day) to the last imaging ($last_imaging)"
cdk 0 --db "$db" appt show "$c2" && expect_out "injection" && expect_out "$c2_day 10:00" && expect_out "Berlin"
cdk 0 --db "$db" appt show "$c2" --format json && json_valid &&
	json_assert 'd["course"] == 2 and d["step"] == "injection" and d["start"] == E["c2_iso"] and d["status"] == "booked" and d["patient"] == "B1"' \
		"appt show JSON for course 2"

step "agenda filters: --site, --date, --days, --resource, --patient"
cdk 0 --db "$db" course book --patient K1 --protocol hip-autologous-4 --start "$c2_day" --time 09:00 &&
	expect_out_re "[Bb]ooked cycle [0-9]+: 11 visits"
cdk 0 --db "$db" course book --patient B2 --protocol knee-donor-3 --start "$c2_day" --time 10:00 &&
	expect_out_re "[Bb]ooked cycle [0-9]+: [0-9]+ visits"
cdk 0 --db "$db" agenda --date "$c2_day" --format json && json_valid &&
	py_check "agenda --date $c2_day: that day's visits at both sites, by site then start" '
if sorted(x["patient"] for x in d) != ["B1", "B2", "K1"]: bad("patients %r" % sorted(x["patient"] for x in d))
if any(day(x["start"]) != day(E["c2_day"]) for x in d): bad("a visit on another day")
if [(x["site"], utc(x["start"])) for x in d] != sorted((x["site"], utc(x["start"])) for x in d): bad("not ordered by site then start")
b2 = [x for x in d if x["patient"] == "B2"]
if not b2 or "Injection room B" not in (b2[0]["resource"] or "") or "Schäfer" not in b2[0]["resource"]: bad("B2 is not in the free room with the free clinician: %r" % b2)'
cdk 0 --db "$db" agenda --date "$c2_day" --site Kyiv --format json && json_valid &&
	json_assert 'len(d) == 1 and d[0]["patient"] == "K1" and d[0]["site"] == "Kyiv" and d[0]["start"] == E["k1_iso"]' \
		"--site Kyiv: K1's course 1 only, at 09:00 Kyiv time"
cdk 0 --db "$db" agenda --date "$c2_day" --site Kyiv && expect_out "K1" && expect_no_out "B1"
cdk 0 --db "$db" agenda --date "$c1_day" --days 15 --site Berlin --format json && json_valid &&
	py_check "--date $c1_day --days 15 covers $c1_day to $c2_day only" '
if any(not (day(E["c1_day"]) <= day(x["start"]) <= day(E["c2_day"])) for x in d): bad("a visit outside the 15 days: %r" % [x["start"] for x in d])
if sorted(x["course"] for x in d if x["patient"] == "B1" and x["step"] == "injection") != [1, 2]: bad("B1 courses 1 and 2 expected")'
cdk 0 --db "$db" agenda --date "$c1_day" --days 14 --site Berlin --format json && json_valid &&
	json_assert 'sorted(x["course"] for x in d if x["patient"] == "B1" and x["step"] == "injection") == [1] and all(x["start"][:10] <= E["day_13"] for x in d)' \
		"--days 14 stops on $day_13"
cdk 0 --db "$db" agenda --date "$c2_day" --resource "Injection room B" --format json && json_valid &&
	json_assert 'len(d) == 1 and d[0]["patient"] == "B2" and "Injection room B" in d[0]["resource"]' \
		"--resource 'Injection room B' shows only B2's injection"
cdk 0 --db "$db" agenda --date "$agenda_from" --days 60 --resource "Jürgen Groß" --format json && json_valid &&
	json_assert 'len(d) > 0 and all("Jürgen Groß" in x["resource"] for x in d)' "--resource 'Jürgen Groß': only his visits"
cdk 0 --db "$db" agenda --patient B2 --format json && json_valid &&
	json_assert 'len(d) >= 4 and all(x["patient"] == "B2" for x in d) and sum(x["step"] == "injection" for x in d) == 3' \
		"--patient B2 without --date: all of B2's visits, 3 injections"
cdk 0 --db "$db" agenda --patient B1 --date "$c2_day" --format json && json_valid &&
	C2=$c2 json_assert '[x["id"] for x in d] == [int(E["C2"])]' "--patient B1 --date $c2_day: course 2 only"
cdk 0 --db "$db" agenda --date "$c2_day" --site Berlin --format csv &&
	csv_header_is "id,cycle,course,step,patient,name,site,resource,start,end,status,note" &&
	csv_assert 'len(r) == 2 and {x["patient"] for x in r} == {"B1", "B2"}' "csv agenda for Berlin on $c2_day"

step "appt move --this-only refuses to break the minimum gap; --dry-run changes nothing"
refused 1 "14" appt move "$c2" --to "$c2_later 10:00" --this-only
expect_no_out "oved"
fp=$(db_fingerprint "$db")
cdk 0 --db "$db" appt move "$c2" --to "$c2_later 10:00" --dry-run && expect_out_i "nothing" &&
	expect_out "$c2_day 10:00" && expect_out "$c2_later 10:00"
expect_db_unchanged "$db" "$fp" "appt move --dry-run"

step "moving course 2 by +5 days shifts courses 3 and 4 and the follow-ups"
cdk 0 --db "$db" appt move "$c2" --to "$c2_later 10:00" --reason "patient travelling" &&
	expect_out_i "before" && expect_out "$c2_day 10:00" && expect_out "$c2_later 10:00" &&
	expect_out "$c3_day0 10:00" && expect_out "$c3_later 10:00" &&
	expect_out "$c4_day0 10:00" && expect_out "$c4_later 10:00" && expect_out_re "[Mm]oved [0-9]+ visits"
agenda_of B1 && py_check "after the move: every gap >= 14 days, follow-ups and imaging in their windows" '
i = inj(d)
if [x["start"][:16] for x in i] != [E[k] + "T10:00" for k in ("c1_day", "c2_later", "c3_later", "c4_later")]: bad("injections now at %r" % [x["start"] for x in i])
for a, b in zip(i, i[1:]):
    if days(a["start"], b["start"]) < 14: bad("courses %s and %s only %d days apart" % (a["course"], b["course"], days(a["start"], b["start"])))
last = i[-1]["start"]
for x, o in zip(steps(d, "followup"), (14, 42, 84)):
    if abs(days(last, x["start"]) - o) > 3: bad("follow-up %d is %d days after the last course" % (o, days(last, x["start"])))
for x, o in zip(steps(d, "imaging"), (91, 182)):
    if abs(days(last, x["start"]) - o) > 7: bad("imaging %d is %d days after the last course" % (o, days(last, x["start"])))
if days(steps(d, "harvest")[0]["start"], i[0]["start"]) != 7 or days(steps(d, "call")[0]["start"], i[0]["start"]) != 14: bad("harvest or call moved although course 1 did not")
if any(x["status"] != "booked" for x in d): bad("a status changed")'
n=$(sq "$db" "SELECT count(*) FROM audit WHERE tbl = 'appointments' AND reason = 'patient travelling';")
[ "${n:-0}" -ge 3 ] && ok || fail "the move's reason is on $n audit records, expected one per moved visit (>= 3)"

step "moving course 1 later moves the harvest and the call with it (or refuses)"
fp=$(db_fingerprint "$db")
cdk 0 --db "$db" appt move "$c1" --to "$c1_later 10:00" --reason "later start"
if [ "$rc" = 0 ]; then
	agenda_of B1 && py_check "course 1 on $c1_later; harvest 7-10 days and call 14-17 days before it; course 2 still >= 14 days after" '
i = inj(d)
if i[0]["start"][:16] != E["c1_later"] + "T10:00": bad("course 1 at %s" % i[0]["start"])
if days(i[0]["start"], i[1]["start"]) < 14: bad("course 2 only %d days after course 1" % days(i[0]["start"], i[1]["start"]))
h = days(steps(d, "harvest")[0]["start"], i[0]["start"])
c = days(steps(d, "call")[0]["start"], i[0]["start"])
if not 7 <= h <= 10: bad("the harvest is %d days before course 1 (window 7-10)" % h)
if not 14 <= c <= 17: bad("the call is %d days before course 1 (window 14-17)" % c)'
elif [ "$rc" = 1 ]; then
	expect_err_re "harvest|call"
	expect_db_unchanged "$db" "$fp" "a refused move of course 1"
fi
refused 1 "" appt move "$c1" --to "$c1_too_close 10:00" --this-only

step "statuses: a future visit cannot be checked in, done or a no-show"
agenda_of B2
b2inj=$(py_get 'next(x["id"] for x in d if x["course"] == 2)')
b2fu=$(py_get 'next(x["id"] for x in d if x["step"] == "followup")')
b2cyc=$(py_get 'd[0]["cycle"]')
refused 1 "day" appt status "$b2inj" checked-in
refused 1 "" appt status "$b2inj" "done"
refused 1 "" appt status "$b2inj" no-show
refused 2 "STATUS" appt status "$b2inj" finished
cdk 0 --db "$db" appt cancel "$b2fu" --by patient --reason "moving abroad"
cdk 0 --db "$db" appt show "$b2fu" --format json && json_assert 'd["status"] == "cancelled-by-patient"' "cancelled by the patient"
got=$(sq "$db" "SELECT status || '|' || reason FROM appointments WHERE id = $b2fu;")
[ "$got" = "cancelled-by-patient|moving abroad" ] && ok || fail "the cancelled visit holds '$got'"
cdk 0 --db "$db" appt cancel "$b2inj" --reason "room flooded"
cdk 0 --db "$db" appt show "$b2inj" --format json && json_assert 'd["status"] == "cancelled-by-clinic"' "appt cancel defaults to --by clinic"
cdk 0 --db "$db" appt status "$b2inj" booked --reason "room repaired"
cdk 0 --db "$db" appt show "$b2inj" --format json && json_assert 'd["status"] == "booked"' "booked again"

step "a visit today can be checked in, but is not done before it begins"
# a site in a zone where it is now between 02:00 and 20:59, so that a
# visit at 22:00 today is later today
for z in UTC Pacific/Kiritimati Pacific/Honolulu; do
	h=$(TZ=$z date +%H)
	[ "${h#0}" -ge 2 ] && [ "${h#0}" -le 20 ] && break
done
today=$(TZ=$z date +%F)
cdk 0 --db "$db" site add Daylong --tz "$z" --hours "mon-sun 00:00-23:59"
cdk 0 --db "$db" resource add "Room D" --site Daylong --kind room --tags injection,ultrasound
cdk 0 --db "$db" resource add "Dr Day" --site Daylong --kind clinician
cdk 0 --db "$db" patient add --mrn D1 --name "Dora Day" --dob 1970-07-07 --site Daylong
printf '%s\n' '{"name": "two-shots", "title": "Two injections", "source": "any", "courses": 2, "gap_days": 14,' \
	' "steps": [{"step": "injection", "anchor": "each", "offset_days": 0, "window": [0, 3], "minutes": 30,' \
	'   "needs": ["room:injection", "clinician"]}]}' >"$tmp/two.json"
cdk 0 --db "$db" protocol add --file "$tmp/two.json"
cdk 0 --db "$db" course book --patient D1 --protocol two-shots --start "$today" --time 22:00
agenda_of D1
d1a=$(py_get 'next(x["id"] for x in d if x["course"] == 1)')
d1b=$(py_get 'next(x["id"] for x in d if x["course"] == 2)')
d1cyc=$(py_get 'd[0]["cycle"]')
TODAY=$today json_assert 'any(x["course"] == 1 and x["start"][:16] == E["TODAY"] + "T22:00" for x in d)' "course 1 today at 22:00"
refused 1 "" appt status "$d1a" "done"
cdk 0 --db "$db" appt status "$d1a" checked-in
refused 1 "day" appt status "$d1b" checked-in

step "cycle cancel --reason cancels the future visits only"
refused 2 "reason" cycle cancel "$d1cyc"
cdk 0 --db "$db" cycle cancel "$d1cyc" --reason "patient withdrew"
cdk 0 --db "$db" appt show "$d1a" --format json && json_assert 'd["status"] == "checked-in"' "today's checked-in visit keeps its status"
cdk 0 --db "$db" appt show "$d1b" --format json && json_assert 'd["status"] == "cancelled-by-clinic"' "the future visit is cancelled by the clinic"
got=$(sq "$db" "SELECT reason FROM appointments WHERE id = $d1b;")
[ "$got" = "patient withdrew" ] && ok || fail "the cancelled visit's reason is '$got'"
cdk 0 --db "$db" cycle cancel "$b2cyc" --reason "donor cells unavailable"
cdk 0 --db "$db" cycle show "$b2cyc" --format json && json_valid &&
	B2FU=$b2fu json_assert 'd["cycle"]["status"] == "cancelled" and all(x["status"] == ("cancelled-by-patient" if x["id"] == int(E["B2FU"]) else "cancelled-by-clinic") for x in d["visits"])' \
		"B2's cycle cancelled; the visit the patient cancelled keeps cancelled-by-patient"
cdk 0 --db "$db" cycle list --patient B2 --format json && json_assert 'd[0]["status"] == "cancelled"' "cycle list shows it cancelled"
refused 1 "" cycle cancel "$b2cyc" --reason "again"

step "calls: the medication-stop call on its day, reminders for tomorrow's visits"
agenda_of B1
calld=$(py_get 'next(x["start"][:10] for x in d if x["step"] == "call")')
c3day=$(py_get 'next(x["start"][:10] for x in d if x["course"] == 3)')
eve=$(python3 -c "import datetime as dt, sys; print(dt.date.fromisoformat(sys.argv[1]) - dt.timedelta(days=1))" "$c3day")
eve2=$(python3 -c "import datetime as dt, sys; print(dt.date.fromisoformat(sys.argv[1]) - dt.timedelta(days=2))" "$c3day")
cdk 0 --db "$db" calls --date "$calld" && expect_out "B1" && expect_out "+49 30 621 7740" && expect_out "stop anti-inflammatory"
cdk 0 --db "$db" calls --date "$calld" --format json && json_valid &&
	json_assert 'any(x["kind"] == "call" and x["patient"] == "B1" and x["phone"] == "+49 30 621 7740" and "stop anti-inflammatory" in x["what"] and x["site"] == "Berlin" for x in d)' \
		"the medication-stop call for B1 with the phone number"
cdk 0 --db "$db" calls --date "$eve" --site Berlin --format json && json_valid &&
	C3=$c3 json_assert 'any(x["kind"] == "reminder" and x["patient"] == "B1" and x["appt"] == int(E["C3"]) and x["phone"] == "+49 30 621 7740" and "course 3" in x["what"] and x["time"] == "10:00" for x in d)' \
		"a reminder the day before course 3, with the phone number"
cdk 0 --db "$db" calls --date "$eve2" --site Berlin --format json && json_valid &&
	C3=$c3 json_assert 'not any(x["appt"] == int(E["C3"]) for x in d)' "no reminder two days before"

step "export ics parses back with libical"
[ -x "$ics_check" ] || die "$ics_check is missing: build it with 'make tests/tools/ics_check' (make check does)"
agenda_of B1
ids=$(py_get 'sorted(x["id"] for x in d)')
c2utc=$(py_get 'next(__import__("datetime").datetime.fromisoformat(x["start"]).astimezone(__import__("datetime").timezone.utc).strftime("%Y%m%dT%H%M%SZ") for x in d if x["course"] == 2)')
cdk 0 --db "$db" export ics --patient B1 -o "$tmp/b1.ics"
if run 0 "$ics_check" "$tmp/b1.ics"; then
	expect_out "events 11"
	got=$(sed -n 's/^appt-\([0-9]*\)@celldesk\t.*/\1/p' "$OUT" | sort -n | tr '\n' ' ')
	[ "$got" = "$(echo $ids | tr ' ' '\n' | sort -n | tr '\n' ' ')" ] && ok ||
		fail "the UIDs are for visits '$got', expected appt-ID@celldesk for '$ids'"
	expect_out "appt-$c2@celldesk"$'\t'"$c2utc"$'\t'"CONFIRMED"
fi
cdk 0 --db "$db" export ics --patient B2
cp "$OUT" "$tmp/b2.ics"
if run 0 "$ics_check" "$tmp/b2.ics"; then
	n=$(grep -c '^appt-' "$OUT")
	m=$(sq "$db" "SELECT count(*) FROM appointments a JOIN patients p ON p.id = a.patient_id WHERE p.mrn = 'B2';")
	[ "$n" = "$m" ] && ok || fail "B2's calendar has $n events, the database $m visits"
	if grep -q '^appt-.*	CONFIRMED	' "$OUT"; then fail "a visit of B2's cancelled cycle is CONFIRMED"; else ok; fi
fi
cdk 0 --db "$db" agenda --date "$c2_day" --days 7 --format ics
cp "$OUT" "$tmp/agenda.ics"
if run 0 "$ics_check" "$tmp/agenda.ics"; then
	n=$(grep -c '^appt-' "$OUT")
	cdk 0 --db "$db" agenda --date "$c2_day" --days 7 --format json &&
		N=$n json_assert 'len(d) == int(E["N"])' "agenda --format ics has one event per visit of the JSON agenda ($n)"
fi

step "a closed day and absences steer the planner"
# B3 starts on a Wednesday ($b3_day): course 2 is due on the closed
# Wednesday two weeks later and goes to the Thursday; course 3, two weeks
# on, is due when room A is away; course 4 when both clinicians are away
# until 12:00
cdk 0 --db "$db" site close Berlin --date "$closed_day" --reason "staff training"
cdk 0 --db "$db" resource away "Injection room A" --site Berlin --from "$away_day 00:00" --to "$away_next 00:00" --reason maintenance
cdk 0 --db "$db" resource away "Jürgen Groß" --site Berlin --from "$both_away_day 08:00" --to "$both_away_day 12:00" --reason leave
cdk 0 --db "$db" resource away "Miriam Schäfer" --site Berlin --from "$both_away_day 08:00" --to "$both_away_day 12:00" --reason congress
cdk 0 --db "$db" course book --patient B3 --protocol hip-autologous-4 --start "$b3_day" --time 10:00
agenda_of B3 && py_check "course 2 on the next open day, course 3 in another room, course 4 later that day" '
i = inj(d)
if i[1]["start"][:16] != E["b3_c2_day"] + "T10:00": bad("course 2 at %s, expected the next open day %s 10:00 (%s is closed)" % (i[1]["start"], E["b3_c2_day"], E["closed_day"]))
if any(day(x["start"]) == day(E["closed_day"]) for x in d): bad("a visit on the closed day")
if i[2]["start"][:16] != E["away_day"] + "T10:00" or "Injection room A" in i[2]["resource"]: bad("course 3: %s in %s (room A is away that day)" % (i[2]["start"], i[2]["resource"]))
if i[3]["start"][:16] != E["both_away_day"] + "T12:00": bad("course 4 at %s, expected %s 12:00 when both clinicians are back" % (i[3]["start"], E["both_away_day"]))
for a, b in zip(i, i[1:]):
    if days(a["start"], b["start"]) < 14: bad("courses %s and %s only %d days apart" % (a["course"], b["course"], days(a["start"], b["start"])))'

# --- double bookings, with real staff accounts ---------------------------

step "double bookings: refused; --force --reason for clinicians and admins only"
if [ "$(id -u)" != 0 ]; then
	fail "this part must run as root: it creates Unix users (useradd) and runs celldesk as them (runuser)"
	finish
fi
for t in useradd userdel runuser; do
	command -v "$t" >/dev/null 2>&1 || die "needs '$t' (package passwd / util-linux)"
done
sfx=$$
front=cds_front$sfx
clin=cds_clin$sfx
nologin=/usr/sbin/nologin
[ -x "$nologin" ] || nologin=/bin/false
for u in $front $clin; do
	at_exit "userdel '$u'"
	useradd -M -N -s "$nologin" "$u" || die "useradd $u failed"
done
umask 0000
shared=$(mktemp -d /tmp/celldesk-sched.XXXXXX) || die "mktemp -d failed"
at_exit "rm -rf '$shared'"
chmod 0777 "$shared"
for u in $front $clin; do
	mkdir -p "$shared/home-$u"
	chown "$u" "$shared/home-$u"
done
if ! runuser -u "$front" -- "$CELLDESK" --version >/dev/null 2>&1; then
	mkdir -m 0755 "$shared/bin"
	cp "$CELLDESK" "$shared/bin/celldesk" && chmod 0755 "$shared/bin/celldesk"
	CELLDESK=$shared/bin/celldesk
fi
db=$shared/solo.db
# as USER EXPECTED_EXIT ARGS... - run celldesk as USER on $db
as() {
	local u=$1 want=$2
	shift 2
	run "$want" runuser -u "$u" -- env -i PATH=/usr/local/bin:/usr/bin:/bin \
		HOME="$shared/home-$u" XDG_CONFIG_HOME="$shared/home-$u/.config" \
		XDG_DATA_HOME="$shared/home-$u/.local/share" LC_ALL=C.UTF-8 TZ=UTC \
		/bin/sh -c 'umask 000; exec "$@"' celldesk "$CELLDESK" --db "$db" "$@"
}
cdk 0 --db "$db" init || die "init failed"
chmod 0666 "$db"
cdk 0 --db "$db" site add Solo --tz Europe/Kyiv --hours "mon-fri 10:00-11:00"
cdk 0 --db "$db" resource add "Room S" --site Solo --kind room --tags injection,ultrasound
cdk 0 --db "$db" resource add "Dr Solo" --site Solo --kind clinician
for i in 1 2 3; do
	cdk 0 --db "$db" patient add --mrn "S$i" --name "Solo Patient $i" --dob 1960-01-0$i --site Solo
done
printf '%s\n' '{"name": "single-shot", "title": "One injection", "source": "any", "courses": 1, "gap_days": 14,' \
	' "steps": [{"step": "injection", "anchor": "each", "offset_days": 0, "window": [0, 0], "minutes": 60,' \
	'   "needs": ["room:injection", "clinician"]}]}' >"$tmp/single.json"
cdk 0 --db "$db" protocol add --file "$tmp/single.json"
cdk 0 --db "$db" staff add "$front" --name "Front Desk" --role frontdesk
cdk 0 --db "$db" staff add "$clin" --name "Dr Clinician" --role clinician

as "$front" 0 course book --patient S1 --protocol single-shot --start "$c1_day" --time 10:00 ||
	die "the first booking failed"
fp=$(db_fingerprint "$db")
as "$front" 1 course book --patient S2 --protocol single-shot --start "$c1_day" --time 10:00 &&
	expect_err_re "no free|already booked|conflict|busy|occupied"
as "$front" 1 course book --patient S1 --protocol single-shot --start "$c1_day" --time 10:00
as "$clin" 2 course book --patient S2 --protocol single-shot --start "$c1_day" --time 10:00 --force &&
	expect_err "--reason"
as "$front" 1 course book --patient S2 --protocol single-shot --start "$c1_day" --time 10:00 \
	--force --reason "front desk tries" && expect_err "$front"
expect_db_unchanged "$db" "$fp" "refused double bookings"
as "$clin" 0 course book --patient S2 --protocol single-shot --start "$c1_day" --time 10:00 \
	--force --reason "urgent: patient flies home on $solo_next"
cdk 0 --db "$db" agenda --date "$c1_day" --format json && json_valid &&
	json_assert 'sorted(x["patient"] for x in d) == ["S1", "S2"] and all(x["start"] == E["solo_iso"] for x in d)' \
		"both visits at 10:00 after the override"
cdk 0 --db "$db" audit log --table appointments && expect_out "urgent: patient flies home on $solo_next"
cdk 0 --db "$db" audit log --table appointments --format json && json_valid &&
	C=$clin json_assert 'any(x["actor"] == E["C"] and x["reason"] == "urgent: patient flies home on " + E["solo_next"] for x in d)' \
		"the override is in the audit trail with the clinician's name"

step "appt move onto an occupied slot: refused; --force --reason by an admin"
as "$front" 0 course book --patient S3 --protocol single-shot --start "$solo_next" --time 10:00
cdk 0 --db "$db" agenda --patient S3 --format json
s3=$(py_get 'd[0]["id"]')
fp=$(db_fingerprint "$db")
as "$front" 1 appt move "$s3" --to "$c1_day 10:00" && expect_err_re "no free|already booked|conflict|busy|occupied"
as "$front" 1 appt move "$s3" --to "$c1_day 10:00" --force --reason "front desk tries" && expect_err "$front"
expect_db_unchanged "$db" "$fp" "refused moves onto an occupied slot"
cdk 0 --db "$db" appt move "$s3" --to "$c1_day 10:00" --force --reason "admin squeezes S3 in"
cdk 0 --db "$db" audit log --table appointments --format json && json_valid &&
	A=$(id -un) json_assert 'any(x["actor"] == E["A"] and x["reason"] == "admin squeezes S3 in" for x in d)' \
		"the admin's override is in the audit trail"

step "the audit chains are whole"
cdk 0 --db "$db" audit verify && expect_out "Audit chain intact"
cdk 0 --db "$tmp/clinic.db" audit verify && expect_out "Audit chain intact"

finish
