#!/bin/bash
# test_schedule_bad_input.sh - wrong input to the scheduling commands is
# refused with one sentence on stderr, the exit code of celldesk(1)
# (1 refused, 2 usage), nothing on stdout, and an unchanged database:
# unknown patient, protocol, site or visit, dates that do not exist,
# impossible times, a start in the past or on a closed day, a source or
# gap or course count the protocol does not allow, broken protocol files.
. "$(dirname "$0")/lib.sh"

db=$tmp/clinic.db

# The dates, from today (celldesk refuses to book in the past): B2's cycle
# starts on a Wednesday three weeks or more ahead ($first), the site is
# closed nine weeks later ($closed, a Wednesday), the good booking tried
# below starts four weeks after that ($good_day, a Wednesday) and the
# Saturday after it the site is shut ($saturday).  $past is long gone, and
# February 30 of the year after $first ($y) does not exist.
first=$(next_weekday "$(day_after 21)" wed) &&
	closed=$(date_add "$first" 63) &&
	good_day=$(date_add "$first" 91) &&
	saturday=$(next_weekday "$good_day" sat) &&
	past=$(day_after -400) ||
	die "cannot compute the dates"
y=$((10#${first%%-*} + 1))

# err_form - stderr is "celldesk: <sentence>" on one line; a usage error
# (exit 2) may add the command's synopsis: "usage: celldesk ..." and its
# indented continuation lines (CLI.md, as amended).
err_form() {
	local first
	first=$(head -n 1 "$ERR")
	case $first in
	"celldesk: "?*) ;;
	*)
		fail "the error does not start with 'celldesk: ': $last_cmd"
		show_output
		return 1
		;;
	esac
	if [ "$(wc -l <"$ERR")" -gt 1 ]; then
		if [ "$rc" != 2 ] || ! sed -n 2p "$ERR" | grep -q '^usage: celldesk ' ||
			sed -n '3,$p' "$ERR" | grep -qv '^[[:space:]]'; then
			fail "stderr is more than the one sentence (and, for a usage error, the synopsis): $last_cmd"
			show_output
			return 1
		fi
	fi
	ok
}

# refuse EXIT TEXT ARGS... - celldesk ARGS exits EXIT, stderr contains TEXT
# (fixed string, case-insensitive), stdout is empty, database unchanged.
refuse() {
	local want=$1 text=$2 fp
	shift 2
	fp=$(db_fingerprint "$db")
	if RUN_NO_ERRLINE=1 cdk "$want" --db "$db" "$@" && err_form; then
		[ -z "$text" ] || expect_err_i "$text"
		if [ -s "$OUT" ]; then
			fail "a refused command printed on stdout (a script would read half an answer): $last_cmd"
			show_output
		else
			ok
		fi
	fi
	expect_db_unchanged "$db" "$fp" "$(printf '%q ' "$@" | cut -c1-200)"
}

step "a clinic with one booked cycle"
cdk 0 --db "$db" init || die "init failed"
cdk 0 --db "$db" site add Berlin --tz Europe/Berlin --hours "mon-fri 08:00-18:00" || die "site add failed"
cdk 0 --db "$db" resource add "Procedure room 1" --site Berlin --kind room --tags harvest,procedure
cdk 0 --db "$db" resource add "Injection room A" --site Berlin --kind room --tags injection,ultrasound
cdk 0 --db "$db" resource add "MRI suite" --site Berlin --kind room --tags imaging,mri
cdk 0 --db "$db" resource add "Jürgen Groß" --site Berlin --kind clinician
cdk 0 --db "$db" patient add --mrn B1 --name "Anna Fischer" --dob 1958-04-04 --site Berlin --phone "+49 30 621 7740"
cdk 0 --db "$db" patient add --mrn B2 --name "Bernd Krüger" --dob 1949-02-26 --site Berlin
cdk 0 --db "$db" site close Berlin --date "$closed" --reason "staff training"
cdk 0 --db "$db" course book --patient B2 --protocol hip-autologous-4 --start "$first" --time 10:00 ||
	die "booking the first cycle failed"
cdk 0 --db "$db" agenda --patient B2 --format json && json_valid
visit=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[0]["id"])' "$OUT")
cycle=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[0]["cycle"])' "$OUT")
[ -n "$visit" ] && [ -n "$cycle" ] || die "no visit id"
good="--protocol hip-autologous-4 --start $good_day --time 10:00"
cdk 0 --db "$db" course book --patient B1 $good --dry-run || die "the good booking used below fails as a dry run"

step "course book: unknown patient, protocol, site (exit 1)"
refuse 1 "NOPE" course book --patient NOPE $good
refuse 1 "patient" course book --patient NOPE $good
refuse 1 "nope-4" course book --patient B1 --protocol nope-4 --start "$good_day" --time 10:00
refuse 1 "protocol" course book --patient B1 --protocol nope-4 --start "$good_day" --time 10:00
refuse 1 "Atlantis" course book --patient B1 $good --site Atlantis
refuse 1 "site" course book --patient B1 $good --site Atlantis

step "course book: dates and times that do not exist (exit 2, names the option)"
refuse 2 "--start" course book --patient B1 --protocol hip-autologous-4 --start "$y-02-30" --time 10:00
refuse 2 "$y-02-30" course book --patient B1 --protocol hip-autologous-4 --start "$y-02-30" --time 10:00
refuse 2 "--start" course book --patient B1 --protocol hip-autologous-4 --start "$y-13-01"
refuse 2 "--start" course book --patient B1 --protocol hip-autologous-4 --start "$y-6-2"
refuse 2 "--start" course book --patient B1 --protocol hip-autologous-4 --start tomorrow
refuse 2 "--time" course book --patient B1 --protocol hip-autologous-4 --start "$good_day" --time 25:00
refuse 2 "25:00" course book --patient B1 --protocol hip-autologous-4 --start "$good_day" --time 25:00
refuse 2 "--time" course book --patient B1 --protocol hip-autologous-4 --start "$good_day" --time 10:60
refuse 2 "--time" course book --patient B1 --protocol hip-autologous-4 --start "$good_day" --time 10
refuse 2 "--start" course book --patient B1 --protocol hip-autologous-4 --time 10:00

step "course book: a start in the past (exit 1)"
refuse 1 "past" course book --patient B1 --protocol hip-autologous-4 --start "$past" --time 10:00
yesterday=$(TZ=Europe/Berlin date -d yesterday +%F)
refuse 1 "past" course book --patient B1 --protocol hip-autologous-4 --start "$yesterday"

step "course book: the site is closed on the start date (exit 1)"
refuse 1 "closed" course book --patient B1 --protocol hip-autologous-4 --start "$saturday" --time 10:00
refuse 1 "$closed" course book --patient B1 --protocol hip-autologous-4 --start "$closed" --time 10:00
refuse 1 "staff training" course book --patient B1 --protocol hip-autologous-4 --start "$closed" --time 10:00

step "course book: what the protocol does not allow (exit 1, or 2 for a count outside 1-8)"
refuse 1 "autologous" course book --patient B1 $good --source donor
refuse 1 "donor" course book --patient B1 --protocol knee-donor-3 --start "$good_day" --time 10:00 --source autologous
refuse 2 "--source" course book --patient B1 $good --source stem
refuse 1 "14" course book --patient B1 $good --gap 10
refuse 1 "12" course book --patient B1 --protocol knee-donor-3 --start "$good_day" --time 10:00 --gap 11
refuse 2 "--gap" course book --patient B1 $good --gap 0
refuse 2 "--gap" course book --patient B1 $good --gap soon
refuse 2 "--courses" course book --patient B1 $good --courses 9
refuse 2 "--courses" course book --patient B1 $good --courses 0
refuse 2 "--courses" course book --patient B1 $good --courses -1
refuse 2 "--reason" course book --patient B1 $good --force
cdk 0 --db "$db" course book --patient B1 --protocol knee-donor-3 --start "$good_day" --time 10:00 --gap 12 --dry-run
cdk 0 --db "$db" course book --patient B1 $good --courses 8 --dry-run

step "an ID that is not a visit or a cycle: 99999 (exit 1), abc (exit 2)"
refuse 1 "99999" appt show 99999
refuse 2 "abc" appt show abc
refuse 2 "" appt show -5
refuse 2 "" appt show 3x
refuse 1 "99999" appt move 99999 --to "$good_day 10:00"
refuse 2 "abc" appt move abc --to "$good_day 10:00"
refuse 1 "99999" appt cancel 99999
refuse 2 "abc" appt cancel abc
refuse 1 "99999" appt status 99999 "done"
refuse 2 "abc" appt status abc "done"
refuse 1 "99999" cycle show 99999
refuse 2 "abc" cycle show abc
refuse 1 "99999" cycle cancel 99999 --reason "no such cycle"
refuse 2 "abc" cycle cancel abc --reason "no such cycle"

step "appt status, move and cancel with bad words, times and dates"
refuse 2 "finished" appt status "$visit" finished
refuse 2 "STATUS" appt status "$visit" finished
refuse 2 "" appt status "$visit" BOOKED
refuse 2 "" appt status "$visit"
refuse 2 "--to" appt move "$visit" --to "$y-02-30 10:00"
refuse 2 "--to" appt move "$visit" --to "$good_day 25:00"
refuse 2 "--to" appt move "$visit" --to "$good_day"
refuse 2 "--to" appt move "$visit"
refuse 1 "past" appt move "$visit" --to "$past 10:00"
refuse 2 "--by" appt cancel "$visit" --by doctor
refuse 2 "--reason" cycle cancel "$cycle"

step "protocol add: broken JSON, unknown field, no injection, bad name (exit 1)"
hdr='"title": "T", "source": "any", "courses": 2, "gap_days": 14'
inj='{"step": "injection", "anchor": "each", "offset_days": 0, "window": [0, 3], "minutes": 60, "needs": ["room:injection", "clinician"]}'
printf '{"name": "broken-1", %s, "steps": [%s\n' "$hdr" "$inj" >"$tmp/broken.json"
printf '{"name": "unknown-field", %s, "colour": "red", "steps": [%s]}\n' "$hdr" "$inj" >"$tmp/field.json"
printf '{"name": "step-field", %s, "steps": [{"step": "injection", "anchor": "each", "offset_days": 0, "window": [0, 3], "minutes": 60, "needs": ["clinician"], "colour": 1}]}\n' "$hdr" >"$tmp/stepfield.json"
printf '{"name": "no-injection", %s, "steps": [{"step": "followup", "anchor": "last", "offset_days": 14, "window": [-3, 3], "minutes": 20, "needs": ["clinician"]}]}\n' "$hdr" >"$tmp/noinj.json"
printf '{"name": "has spaces", %s, "steps": [%s]}\n' "$hdr" "$inj" >"$tmp/spaces.json"
printf '{"name": "Upper-Case", %s, "steps": [%s]}\n' "$hdr" "$inj" >"$tmp/upper.json"
printf '{"name": "nine-courses", "title": "T", "source": "any", "courses": 9, "gap_days": 14, "steps": [%s]}\n' "$inj" >"$tmp/nine.json"
printf '{"name": "min-above-gap", "title": "T", "source": "any", "courses": 2, "gap_days": 14, "min_gap_days": 15, "steps": [%s]}\n' "$inj" >"$tmp/mingap.json"
printf '{"name": "bad-anchor", %s, "steps": [{"step": "injection", "anchor": "sometimes", "offset_days": 0, "window": [0, 3], "minutes": 60, "needs": ["clinician"]}]}\n' "$hdr" >"$tmp/anchor.json"
printf '{"name": "hip-autologous-4", %s, "steps": [%s]}\n' "$hdr" "$inj" >"$tmp/dup.json"
printf '' >"$tmp/empty.json"
printf '[1, 2, 3]\n' >"$tmp/array.json"
refuse 1 "JSON" protocol add --file "$tmp/broken.json"
refuse 1 "colour" protocol add --file "$tmp/field.json"
refuse 1 "colour" protocol add --file "$tmp/stepfield.json"
refuse 1 "injection" protocol add --file "$tmp/noinj.json"
refuse 1 "name" protocol add --file "$tmp/spaces.json"
refuse 1 "name" protocol add --file "$tmp/upper.json"
refuse 1 "courses" protocol add --file "$tmp/nine.json"
refuse 1 "min_gap_days" protocol add --file "$tmp/mingap.json"
refuse 1 "anchor" protocol add --file "$tmp/anchor.json"
refuse 1 "already exists" protocol add --file "$tmp/dup.json"
refuse 1 "" protocol add --file "$tmp/empty.json"
refuse 1 "" protocol add --file "$tmp/array.json"
refuse 1 "$tmp/missing.json" protocol add --file "$tmp/missing.json"
refuse 2 "--file" protocol add
cdk 0 --db "$db" protocol list --format json && json_valid &&
	json_assert 'sorted(x["name"] for x in d) == ["hip-autologous-4", "knee-donor-3", "tendon-autologous-3"]' \
		"no refused protocol was added"

step "agenda, calls and export with bad options"
# (the refusals of agenda and calls below fail while they print their
# header, or "[" with --format json, on stdout before refusing; and while
# agenda --resource with a name no resource has lists nothing, exit 0)
refuse 2 "--days" agenda --days 0
refuse 2 "--days" agenda --days 367
refuse 2 "--days" agenda --days many
refuse 2 "--date" agenda --date "$y-02-30"
refuse 2 "--format" agenda --format xml
refuse 1 "Atlantis" agenda --site Atlantis --date "$first"
refuse 1 "NOPE" agenda --patient NOPE
refuse 1 "No such room" agenda --resource "No such room" --date "$first"
refuse 2 "--date" calls --date "$y-02-30"
refuse 1 "Atlantis" calls --site Atlantis --date "$first"
refuse 1 "NOPE" export ics --patient NOPE
refuse 1 "NOPE" export ics --patient NOPE -o "$tmp/nope.ics"
[ -e "$tmp/nope.ics" ] && fail "a refused export created $tmp/nope.ics" || ok
ls "$tmp"/nope.ics* "$tmp"/.nope.ics* >/dev/null 2>&1 && fail "a refused export left a temporary file" || ok
refuse 2 "--patient" export ics

step "nothing above was booked"
n=$(sq "$db" "SELECT count(*) FROM appointments a JOIN patients p ON p.id = a.patient_id WHERE p.mrn = 'B1';")
[ "$n" = 0 ] && ok || fail "B1 has $n visits after refused bookings"
cdk 0 --db "$db" audit verify && expect_out "Audit chain intact"

finish
