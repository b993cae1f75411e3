#!/bin/bash
# test_calls_mark.sh - the front desk works down the day's calls: a
# booked cycle's medication-stop call and the reminder the day before an
# injection are listed with no outcome; `calls mark` records done or
# unreachable (with a note) as the front desk, the newest mark counts and
# the list shows it with who and when in text, CSV and JSON; every mark is
# in the audit trail and the chain stays intact; the lab (no booking role),
# a wrong --kind, a visit no longer booked, an unknown visit and malformed
# command lines are refused and change nothing; outcomes cannot be changed
# or deleted even with sqlite3 (triggers).
# Runs as root: the roles use throw-away Unix users (useradd).
. "$(dirname "$0")/lib.sh"
lot_tag=calls
lot_users=cdc
. "$(dirname "$0")/lot_lib.sh"

# refused WHO EXIT TEXT ARGS... - WHO's celldesk ARGS exits EXIT with TEXT
# (any case) on stderr and changes nothing.
refused() {
	local who=$1 want=$2 text=$3 fp
	shift 3
	fp=$(db_fingerprint "$db")
	if "$who" "$want" "$@"; then
		[ -z "$text" ] || expect_err_i "$text"
	fi
	expect_db_unchanged "$db" "$fp" "$who: $(printf '%q ' "$@" | cut -c1-200)"
}
# calls_json DATE - the day's calls at Berlin as JSON on stdout.
calls_json() {
	admin 0 calls --date "$1" --site Berlin --format json && json_valid
}

c1_day=$(next_weekday "$(day_after 21)" wed) && eve=$(date_add "$c1_day" -1) ||
	die "cannot compute the dates"
today=$(TZ=Europe/Berlin date +%F)
export today

step "a clinic: Berlin with its rooms, the front desk and the lab; a booked cycle"
admin 0 init || die "init failed"
chmod 0666 "$db"
admin 0 site add Berlin --tz Europe/Berlin --hours "mon-fri 08:00-18:00" || die "site add failed"
admin 0 resource add "Procedure room 1" --site Berlin --kind room --tags harvest,procedure
admin 0 resource add "Injection room A" --site Berlin --kind room --tags injection,ultrasound
admin 0 resource add "MRI suite" --site Berlin --kind room --tags imaging,mri
admin 0 resource add "Jürgen Groß" --site Berlin --kind clinician
admin 0 staff add "$frontu" --name "Frida Front" --role frontdesk || die "staff add failed"
admin 0 staff add "$labu" --name "$LAB_NAME" --role lab || die "staff add failed"
admin 0 patient add --mrn B1 --name "Anna Fischer" --dob 1958-04-04 --site Berlin \
	--phone "+49 30 621 7740" || die "patient add failed"
front 0 course book --patient B1 --protocol hip-autologous-4 --start "$c1_day" --time 10:00 ||
	die "booking the cycle failed"
admin 0 agenda --patient B1 --format json && json_valid || die "agenda --patient B1 failed"
call=$(py_val 'next(x["id"] for x in d if x["step"] == "call")')
call_day=$(py_val 'next(x["start"][:10] for x in d if x["step"] == "call")')
inj1=$(py_val 'next(x["id"] for x in d if x["step"] == "injection" and x["course"] == 1)')
inj2=$(py_val 'next(x["id"] for x in d if x["step"] == "injection" and x["course"] == 2)')
[ -n "$call" ] && [ -n "$call_day" ] && [ -n "$inj1" ] && [ -n "$inj2" ] ||
	die "the cycle has no call or injection visits"
export CALL=$call INJ1=$inj1

step "the call day lists the medication-stop call, its outcome still empty"
calls_json "$call_day" &&
	json_assert 'any(x["appt"] == int(E["CALL"]) and x["kind"] == "call" and x["outcome"] is None and x["outcome_by"] is None and x["outcome_at"] is None and x["outcome_note"] is None for x in d)' \
		"the call is listed with no outcome (null outcome, by, at, note)"
admin 0 calls --date "$call_day" --site Berlin --format csv &&
	csv_header_is "time,site,kind,patient,name,phone,appt,what,outcome,outcome_by,outcome_at,outcome_note"

step "the front desk marks the call unreachable with a note; the list shows it"
front 0 calls mark "$call" --kind call --unreachable --note "no answer, left a voicemail" &&
	expect_out "The call for visit $call is marked unreachable."
FRONT=$frontu calls_json "$call_day" &&
	FRONT=$frontu json_assert 'any(x["appt"] == int(E["CALL"]) and x["outcome"] == "unreachable" and x["outcome_by"] == E["FRONT"] and x["outcome_note"] == "no answer, left a voicemail" and x["outcome_at"][:10] == E["today"] and x["outcome_at"][19:] in ("+01:00", "+02:00") for x in d)' \
		"unreachable, by the front desk, today in Berlin's time, with the note"
admin 0 calls --date "$call_day" --site Berlin && expect_out "unreachable" &&
	expect_out "stop anti-inflammatory"

step "marked again done: the newest mark counts, the first one stays recorded"
front 0 calls mark "$call" --kind call --done && expect_out "marked done"
calls_json "$call_day" &&
	json_assert 'any(x["appt"] == int(E["CALL"]) and x["outcome"] == "done" and x["outcome_note"] is None for x in d)' \
		"the call is done now, without the earlier note"
got=$(sq "$db" "SELECT group_concat(outcome || '/' || actor, ' ') FROM (SELECT * FROM call_outcomes WHERE appointment_id = $call ORDER BY id);")
[ "$got" = "unreachable/$frontu done/$frontu" ] && ok ||
	fail "call_outcomes holds '$got' for visit $call, expected both marks by $frontu"

step "the reminder the day before course 1: marked apart from the planned call"
calls_json "$eve" &&
	json_assert 'any(x["appt"] == int(E["INJ1"]) and x["kind"] == "reminder" and x["outcome"] is None for x in d)' \
		"the reminder for course 1 is listed, no outcome yet"
admin 0 calls mark "$inj1" --kind reminder --done --note "confirmed 10:00" &&
	expect_out "The reminder call for visit $inj1 is marked done."
calls_json "$eve" &&
	json_assert 'any(x["appt"] == int(E["INJ1"]) and x["outcome"] == "done" and x["outcome_by"] == "root" and x["outcome_note"] == "confirmed 10:00" for x in d)' \
		"the reminder is done, by root, with its note"
calls_json "$call_day" &&
	json_assert 'any(x["appt"] == int(E["CALL"]) and x["outcome"] == "done" and x["outcome_by"] != "root" for x in d)' \
		"the planned call keeps its own outcome"

step "every mark is in the audit trail, and the chain is intact"
admin 0 audit log --table call_outcomes --format json && json_valid &&
	FRONT=$frontu json_assert 'len(d) == 3 and sorted(x["actor"] for x in d) == sorted([E["FRONT"], E["FRONT"], "root"]) and all(x["action"] == "insert" for x in d)' \
		"three audit records of table call_outcomes"
admin 0 audit log --table call_outcomes --row "$call" && expect_out "unreachable" &&
	expect_out "no answer, left a voicemail"
admin 0 audit verify && expect_out_i "intact"

step "refused, and nothing changes: the lab, the wrong kind, a visit not booked, no such visit"
refused lab $REFUSED "may not" calls mark "$call" --kind call --done
refused front $REFUSED "--kind reminder" calls mark "$inj2" --kind call --done
refused front $REFUSED "--kind call" calls mark "$call" --kind reminder --done
admin 0 appt cancel "$inj2" --by patient --reason "moved abroad" || die "appt cancel failed"
refused front $REFUSED "not booked" calls mark "$inj2" --kind reminder --unreachable
refused front $REFUSED "no visit 999999" calls mark 999999 --kind call --done

step "malformed command lines: exit 2, nothing changes"
refused front $USAGE "not both" calls mark "$call" --kind call --done --unreachable
refused front $USAGE "--done or --unreachable" calls mark "$call" --kind call
refused front $USAGE "--kind" calls mark "$call" --done
refused front $USAGE "not call or reminder" calls mark "$call" --kind visit --done
refused front $USAGE "not a visit number" calls mark abc --kind call --done
refused front $USAGE "" calls mark --kind call --done
refused front $USAGE "--note" calls mark "$call" --kind call --done --note "$(printf 'bell\a')"

step "calls without mark still lists; help names mark"
admin 0 calls --date "$call_day" && expect_out "Anna Fischer"
admin 0 calls --help && expect_out "--date"
admin 0 --help && expect_out_re "calls +mark +record a call's outcome"
admin 0 calls mark --help && expect_out "--unreachable" && expect_out "frontdesk,clinician,admin"

step "a recorded outcome cannot be changed or deleted, even with sqlite3"
before=$(sq "$db" "SELECT * FROM call_outcomes ORDER BY id;")
sq "$db" "UPDATE call_outcomes SET outcome = 'done' WHERE outcome = 'unreachable';" 2>"$tmp/sq.err"
sq "$db" "DELETE FROM call_outcomes;" 2>>"$tmp/sq.err"
[ "$(sq "$db" "SELECT * FROM call_outcomes ORDER BY id;")" = "$before" ] && ok ||
	fail "sqlite3 changed or deleted call outcomes"
grep -q "never changes" "$tmp/sq.err" && grep -q "never deleted" "$tmp/sq.err" && ok ||
	fail "the triggers did not say why: $(cat "$tmp/sq.err")"

finish
