#!/bin/bash
# test_book_race.sh - eight front desks book the only slot of a one-room
# site at the same moment: exactly one wins, the seven others get a clear
# conflict and book nothing, the database never holds an overlap, and the
# audit chain stays whole.  Then seven desks move seven visits onto one
# free slot at once: again exactly one wins.
. "$(dirname "$0")/lib.sh"

db=$tmp/clinic.db
procs=8

# The dates, from today: the race is for 10:00 on a Wednesday three weeks
# or more ahead ($race_day); the seven losers then get the next seven
# weekdays, the winner the Monday after, and the Tuesday after that is the
# free slot they all try to move to.  Offsets come from the tz database.
race_day=$(next_weekday "$(day_after 21)" wed) || die "cannot compute the dates"
loser_days=
for n in 1 2 5 6 7 8 9; do
	loser_days="$loser_days $(date_add "$race_day" $n)" || die "cannot compute the dates"
done
winner_day=$(date_add "$race_day" 12) && free_day=$(date_add "$race_day" 13) &&
	race_iso=$(local_iso Europe/Kyiv "$race_day 10:00") && free_iso=$(local_iso Europe/Kyiv "$free_day 10:00") ||
	die "cannot compute the dates"

step "a site with one injection room, one clinician and one 60-minute slot a day"
cdk 0 --db "$db" init || die "init failed"
cdk 0 --db "$db" site add Solo --tz Europe/Kyiv --hours "mon-fri 10:00-11:00" || die "site add failed"
cdk 0 --db "$db" resource add "Room 1" --site Solo --kind room --tags injection,ultrasound || die "resource add failed"
cdk 0 --db "$db" resource add "Dr Solo" --site Solo --kind clinician || die "resource add failed"
for i in $(seq 1 $procs); do
	cdk 0 --db "$db" patient add --mrn "R$i" --name "Race Patient $i" --dob 1960-01-0$i --site Solo ||
		die "patient add failed"
done
# one course, the injection only, no room to move in its window
printf '%s\n' '{"name": "single-shot", "title": "One injection", "source": "any", "courses": 1, "gap_days": 14,' \
	' "steps": [{"step": "injection", "anchor": "each", "offset_days": 0, "window": [0, 0], "minutes": 60,' \
	'   "needs": ["room:injection", "clinician"]}]}' >"$tmp/single.json"
cdk 0 --db "$db" protocol add --file "$tmp/single.json" || die "protocol add failed"
cdk 0 --db "$db" --format json course book --patient R1 --protocol single-shot --start "$race_day" --time 10:00 --dry-run &&
	ISO=$race_iso json_assert 'len(d) == 1 and d[0]["start"] == E["ISO"]' "the slot is free before the race ($race_iso)"

# race NAME CMD-FOR-$i... - start $procs copies of the command (with $i the
# process number, 1..$procs) at the same moment: each waits on a FIFO that
# is opened for writing only once all of them are waiting.  Results in
# $tmp/NAME.$i.{out,err,rc}.
race() {
	local name=$1 fifo=$tmp/$1.go i n tries
	shift
	mkfifo "$fifo" || die "mkfifo failed"
	for i in $(seq 1 $procs); do
		(
			touch "$tmp/$name.$i.ready"
			# opening the FIFO waits for the writer; EOF when it closes
			# (a bound, so that a late process cannot hang the test)
			timeout 30 sh -c 'read -r _ <"$1"; exit 0' sh "$fifo" ||
				echo "process $i was not released by the FIFO" >"$tmp/$name.$i.late"
			eval "timeout 60 $*" </dev/null >"$tmp/$name.$i.out" 2>"$tmp/$name.$i.err"
			echo $? >"$tmp/$name.$i.rc"
		) &
	done
	tries=0
	while :; do
		n=$(ls "$tmp/$name".*.ready 2>/dev/null | wc -l)
		[ "$n" -ge "$procs" ] && break
		tries=$((tries + 1))
		[ "$tries" -lt 600 ] || die "the $procs processes did not start"
		sleep 0.05
	done
	sleep 0.3 # let every one reach the open of the FIFO
	exec 3>"$fifo"
	exec 3>&-
	wait
	if ls "$tmp/$name".*.late >/dev/null 2>&1; then
		fail "$name: not every process started together: $(cat "$tmp/$name".*.late | tr '\n' ' ')"
	else
		ok
	fi
}

# results NAME - print the exit codes of a race, sorted, one line.
results() {
	cat "$tmp/$1".*.rc 2>/dev/null | sort -n | tr '\n' ' '
}

# check_race NAME WHAT - one exit 0, seven exit 1 with a one-line conflict.
check_race() {
	local name=$1 what=$2 i r e
	r=$(results "$name")
	[ "$r" = "0 1 1 1 1 1 1 1 " ] && ok ||
		fail "$what: expected one success and seven refusals (exit 1), got exit codes: $r"
	for i in $(seq 1 $procs); do
		r=$(cat "$tmp/$name.$i.rc" 2>/dev/null)
		[ "$r" = 0 ] && continue
		e=$tmp/$name.$i.err
		if [ "$(wc -l <"$e")" = 1 ] && grep -q '^celldesk: ' "$e" &&
			grep -qiE 'no free|already booked|already has a visit|conflict|taken|occupied' "$e"; then
			ok
		else
			fail "$what: process $i (exit $r) did not get one clear conflict sentence"
			show_file "$e" "stderr of process $i"
			show_file "$tmp/$name.$i.out" "stdout of process $i"
		fi
		if grep -qiE '[Bb]ooked cycle|[Mm]oved [0-9]' "$tmp/$name.$i.out"; then
			fail "$what: refused process $i claims success on stdout"
		else
			ok
		fi
	done
}

# no_overlap - no two held visits share a resource or a patient at once.
no_overlap() {
	local n
	n=$(sq "$db" "SELECT count(*) FROM appointment_resources a JOIN appointment_resources b
		ON a.resource_id = b.resource_id AND a.appointment_id < b.appointment_id
		WHERE a.held = 1 AND b.held = 1 AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at;")
	[ "$n" = 0 ] && ok || fail "$n pairs of held appointment_resources rows overlap"
	n=$(sq "$db" "SELECT count(*) FROM appointments a JOIN appointments b
		ON a.patient_id = b.patient_id AND a.id < b.id
		WHERE a.held = 1 AND b.held = 1 AND a.step <> 'call' AND b.step <> 'call'
		  AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at;")
	[ "$n" = 0 ] && ok || fail "$n pairs of a patient's held visits overlap"
	n=$(sq "$db" "SELECT count(*) FROM appointments a WHERE held = 1 AND NOT EXISTS
		(SELECT 1 FROM appointment_resources r WHERE r.appointment_id = a.id AND r.held = 1);")
	[ "$n" = 0 ] && ok || fail "$n held visits have no held resources"
}

step "$procs processes book the same slot at once"
race book '"$CELLDESK" --db "$db" course book --patient "R$i" --protocol single-shot --start "$race_day" --time 10:00'
check_race book "$procs bookings of one slot"
winner=$(for i in $(seq 1 $procs); do [ "$(cat "$tmp/book.$i.rc")" = 0 ] && echo "R$i"; done | head -n 1)

step "the agenda and the database hold exactly one visit in that slot"
cdk 0 --db "$db" agenda --site Solo --date "$race_day" --format json && json_valid &&
	W=$winner ISO=$race_iso json_assert 'len(d) == 1 and d[0]["patient"] == E["W"] and d[0]["start"] == E["ISO"] and d[0]["resource"] == "Room 1, Dr Solo"' \
		"one visit, the winner's ($winner), at 10:00 in Room 1 with Dr Solo"
n=$(sq "$db" "SELECT count(*) FROM cycles; SELECT count(*) FROM appointments; SELECT count(*) FROM appointment_resources;" | tr '\n' ' ')
[ "$n" = "1 1 2 " ] && ok || fail "expected 1 cycle, 1 visit, 2 resource rows; found (cycles visits rows) $n"
no_overlap
n=$(sq "$db" "SELECT count(*) FROM audit WHERE tbl = 'appointments';")
[ "$n" = 1 ] && ok || fail "expected one audit record for the one booking, found $n"
cdk 0 --db "$db" audit verify && expect_out "Audit chain intact"

step "$procs processes move visits onto one free slot at once"
# the seven losers get their own days: the seven weekdays after the race day
set -- $loser_days
for i in $(seq 1 $procs); do
	[ "R$i" = "$winner" ] && continue
	cdk 0 --db "$db" course book --patient "R$i" --protocol single-shot --start "$1" --time 10:00 ||
		die "booking R$i on $1 failed"
	shift
done
cdk 0 --db "$db" course book --patient "$winner" --protocol single-shot --start "$winner_day" --time 10:00 ||
	die "booking $winner on $winner_day failed"
cdk 0 --db "$db" agenda --site Solo --date "$race_day" --days 31 --format json && json_valid
python3 - "$OUT" "$race_day" >"$tmp/visits" <<'EOF' || die "cannot read the agenda"
import json, sys
for x in json.load(open(sys.argv[1], encoding='utf-8')):
    if x["start"][:10] != sys.argv[2]:
        print(x["id"])
EOF
[ "$(wc -l <"$tmp/visits")" = "$procs" ] || die "expected $procs visits to move, found $(wc -l <"$tmp/visits")"
# $free_day is free; every process moves a different visit onto it
race move '"$CELLDESK" --db "$db" appt move "$(sed -n "${i}p" "$tmp/visits")" --to "$free_day 10:00" --reason "race $i"'
check_race move "$procs moves onto one slot"
cdk 0 --db "$db" agenda --site Solo --date "$free_day" --format json && json_valid &&
	ISO=$free_iso json_assert 'len(d) == 1 and d[0]["start"] == E["ISO"]' "one visit on $free_day"
cdk 0 --db "$db" agenda --site Solo --date "$race_day" --days 31 --format json && json_valid &&
	json_assert 'len(d) == 9 and len({x["start"] for x in d}) == 9' "nine visits, nine different slots"
no_overlap
cdk 0 --db "$db" audit verify && expect_out "Audit chain intact"

finish
