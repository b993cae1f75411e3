#!/bin/bash
# test_schedule_dst.sh - gaps are calendar days in the site's local time:
# in Europe/Berlin, Europe/Kyiv and America/New_York a cycle booked at
# 10:00 across the change to summer time and across the change back keeps
# every injection at 10:00 local, 14 calendar days apart, while its UTC
# offset changes and the UTC gap is 14 days minus (or plus) one hour.
# A local time inside a DST gap is refused (booking and moving); an
# ambiguous local time means the earlier instant; a later course whose
# day is a change day never lands on a time that does not exist.
# The change days are the next ones in the system tz database, at least
# 35 days from today (celldesk runs on the real clock and books nothing in
# the past); a zone that has no change ahead has those checks skipped.
. "$(dirname "$0")/lib.sh"

db=$tmp/clinic.db
ics_check=$(dirname "$CELLDESK")/tests/tools/ics_check

py_get() {
	python3 - "$OUT" "$1" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1], encoding='utf-8'))
print(eval(sys.argv[2]))
EOF
}

# refused EXIT TEXT ARGS... - celldesk ARGS exits EXIT, TEXT on stderr
# (case-insensitive), the database unchanged.
refused() {
	local want=$1 text=$2 fp
	shift 2
	fp=$(db_fingerprint "$db")
	if cdk "$want" --db "$db" "$@"; then
		[ -z "$text" ] || expect_err_i "$text"
	fi
	expect_db_unchanged "$db" "$fp" "$(printf '%q ' "$@" | cut -c1-200)"
}

# db_agrees MRN - the UTC times stored for MRN's visits are the instants
# the agenda shows in local time with an offset.
db_agrees() {
	local stored
	stored=$(sq "$db" "SELECT a.id || ' ' || a.starts_at || ' ' || a.ends_at FROM appointments a
		JOIN patients p ON p.id = a.patient_id WHERE p.mrn = '$1' ORDER BY a.id;")
	cdk 0 --db "$db" agenda --patient "$1" --format json &&
		STORED=$stored py_check "the stored UTC times of $1's visits are the agenda's local times" '
z = lambda s: utc(s).astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
mine = "\n".join("%d %s %s" % (x["id"], z(x["start"]), z(x["end"])) for x in sorted(d, key=lambda x: x["id"]))
if mine != E["STORED"]: bad("database:\n%s\nagenda:\n%s" % (E["STORED"], mine))'
}

step "three sites in three zones, each with a day clinic and a 24-hour unit"
cdk 0 --db "$db" init || die "init failed"
for spec in "Berlin:Europe/Berlin" "Kyiv:Europe/Kyiv" "New York:America/New_York"; do
	s=${spec%%:*} z=${spec#*:}
	cdk 0 --db "$db" site add "$s" --tz "$z" --hours "mon-fri 08:00-18:00" || die "site add $s failed"
	cdk 0 --db "$db" resource add "Procedure room 1" --site "$s" --kind room --tags harvest,procedure
	cdk 0 --db "$db" resource add "Injection room A" --site "$s" --kind room --tags injection,ultrasound
	cdk 0 --db "$db" resource add "MRI suite" --site "$s" --kind room --tags imaging,mri
	cdk 0 --db "$db" resource add "Dr $s" --site "$s" --kind clinician
	cdk 0 --db "$db" site add "$s 24h" --tz "$z" --hours "mon-sun 00:00-23:59" || die "site add $s 24h failed"
	for r in 1 2; do
		cdk 0 --db "$db" resource add "Room $r" --site "$s 24h" --kind room --tags injection,ultrasound
		cdk 0 --db "$db" resource add "Dr Night $r" --site "$s 24h" --kind clinician
	done
done
printf '%s\n' '{"name": "single-shot", "title": "One injection", "source": "any", "courses": 1, "gap_days": 14,' \
	' "steps": [{"step": "injection", "anchor": "each", "offset_days": 0, "window": [0, 0], "minutes": 60,' \
	'   "needs": ["room:injection", "clinician"]}]}' >"$tmp/single.json"
printf '%s\n' '{"name": "inj-4", "title": "Four injections", "source": "any", "courses": 4, "gap_days": 14,' \
	' "steps": [{"step": "injection", "anchor": "each", "offset_days": 0, "window": [0, 3], "minutes": 60,' \
	'   "needs": ["room:injection", "clinician"]}]}' >"$tmp/inj4.json"
cdk 0 --db "$db" protocol add --file "$tmp/single.json" || die "protocol add failed"
cdk 0 --db "$db" protocol add --file "$tmp/inj4.json" || die "protocol add failed"

# The dates, from today (celldesk refuses to book in the past): for each
# zone its next change to summer time (spring) and back (fall) at least 35
# days ahead, as the system tz database has them (next_dst_change), with
# the local time at which the skipped or repeated local times begin (_at,
# from dst_change_time: 02:00 in Berlin, 03:00 in Kyiv, 02:00 and 01:00 in
# New York), how many minutes they last (_len), and the UTC offsets before
# and after the change.  A zone without that change ahead (one that has
# dropped daylight saving time) has its checks of that change skipped.
#
# zone_change ZONE forward|back - "DAY AT LEN BEFORE AFTER", or nothing
# when ZONE has no such change ahead; returns 1 when the helpers fail.
zone_change() {
	local day info before after
	day=$(next_dst_change "$1" "$2") || return 0
	info=$(dst_change_time "$1" "$day") &&
		before=$(local_iso "$1" "$(date_add "$day" -1) 12:00") &&
		after=$(local_iso "$1" "$(date_add "$day" 1) 12:00") || return 1
	echo "$day $info ${before:19} ${after:19}"
}

# course1_for CHANGE - course 1 of a cycle that straddles CHANGE: the
# Wednesday 6 to 12 days before it (11 for a Sunday change), so that
# course 2 comes after the change, every visit falls on a Wednesday (the
# day clinics close at weekends) and course 1 is three weeks or more ahead.
course1_for() {
	next_weekday "$(date_add "$1" -12)" wed
}

# iso_utc_compact ISO - 2027-03-24T09:00:00Z as iCalendar writes it: 20270324T090000Z.
iso_utc_compact() {
	printf '%s\n' "$1" | tr -d ':-'
}

step "the next changes of summer time, from the tz database"
# shellcheck disable=SC2034 # some are read only through ${!name} below
{
	line=$(zone_change Europe/Berlin forward) || die "cannot compute Berlin's change to summer time"
	read -r ber_spring ber_spring_at ber_spring_len ber_spring_before ber_spring_after <<<"$line"
	line=$(zone_change Europe/Berlin back) || die "cannot compute Berlin's change back"
	read -r ber_fall ber_fall_at ber_fall_len ber_fall_before ber_fall_after <<<"$line"
	line=$(zone_change Europe/Kyiv forward) || die "cannot compute Kyiv's change to summer time"
	read -r kyi_spring kyi_spring_at kyi_spring_len kyi_spring_before kyi_spring_after <<<"$line"
	line=$(zone_change Europe/Kyiv back) || die "cannot compute Kyiv's change back"
	read -r kyi_fall kyi_fall_at kyi_fall_len kyi_fall_before kyi_fall_after <<<"$line"
	line=$(zone_change America/New_York forward) || die "cannot compute New York's change to summer time"
	read -r nyc_spring nyc_spring_at nyc_spring_len nyc_spring_before nyc_spring_after <<<"$line"
	line=$(zone_change America/New_York back) || die "cannot compute New York's change back"
	read -r nyc_fall nyc_fall_at nyc_fall_len nyc_fall_before nyc_fall_after <<<"$line"
}
for v in ber_spring ber_fall kyi_spring kyi_fall nyc_spring nyc_fall; do
	at=${v}_at len=${v}_len before=${v}_before after=${v}_after
	if [ -n "${!v}" ]; then
		echo "   $v: ${!v} at ${!at}, ${!len} minutes, ${!before} -> ${!after}"
	else
		echo "   $v: no such change within 400 days in this tz database: its checks are SKIPPED"
	fi
done

# case: site zone mrn start change-day offset-before offset-after
# (the courses of each cycle straddle the change day; see course1_for).
# In each zone the cycle across the change to summer time is booked first:
# when the change back comes first in the calendar, that cycle's last
# follow-up falls on the day of the other's harvest or course 1 (one
# clinician per site), and booked second it is the follow-up that goes to
# a later hour, not an injection whose 10:00 is checked.
cases=""
for spec in "Berlin|Europe/Berlin|ber|BER" "Kyiv|Europe/Kyiv|kyi|KYI" "New York|America/New_York|nyc|NYC"; do
	IFS='|' read -r site zone v m <<<"$spec"
	for kind in spring fall; do
		change=${v}_$kind before=${v}_${kind}_before after=${v}_${kind}_after
		[ -n "${!change}" ] || continue
		start=$(course1_for "${!change}") || die "cannot compute the dates"
		mrn=$m-S
		[ "$kind" = fall ] && mrn=$m-F
		cases="$cases$site|$zone|$mrn|$start|${!change}|${!before}|${!after}
"
	done
done

while IFS='|' read -r site zone mrn start change before after; do
	[ -n "$site" ] || continue
	step "$site ($zone): hip-autologous-4 from $start at 10:00, across $change ($before -> $after)"
	cdk 0 --db "$db" patient add --mrn "$mrn" --name "Patient $mrn" --dob 1960-03-03 --site "$site"
	cdk 0 --db "$db" course book --patient "$mrn" --protocol hip-autologous-4 --start "$start" --time 10:00 &&
		expect_out_re "[Bb]ooked cycle [0-9]+: 11 visits" || continue
	cdk 0 --db "$db" agenda --patient "$mrn" --format json && json_valid &&
		TZN=$zone CHANGE=$change BEFORE=$before AFTER=$after py_check "injections at 10:00 local, 14 days apart, offset $before -> $after" '
i = inj(d)
change = dt.date.fromisoformat(E["CHANGE"])
if len(i) != 4: bad("%d injections" % len(i))
for x in i:
    if hm(x["start"]) != "10:00": bad("course %s at %s local" % (x["course"], hm(x["start"])))
    want = E["BEFORE"] if day(x["start"]) < change else E["AFTER"]
    if off(x["start"]) != want: bad("course %s on %s has offset %s, expected %s" % (x["course"], day(x["start"]), off(x["start"]), want))
straddle = 0
for a, b in zip(i, i[1:]):
    if days(a["start"], b["start"]) != 14: bad("courses %s and %s are %d calendar days apart" % (a["course"], b["course"], days(a["start"], b["start"])))
    gap = utc(b["start"]) - utc(a["start"])
    if day(a["start"]) < change <= day(b["start"]):
        straddle += 1
        mins = lambda o: (1 if o[0] == "+" else -1) * (int(o[1:3]) * 60 + int(o[4:6]))
        # 14 days minus the hour gained (spring) or plus the hour lost (fall)
        want = dt.timedelta(days=14) - dt.timedelta(minutes=mins(E["AFTER"]) - mins(E["BEFORE"]))
        if gap != want: bad("courses %s and %s across the change are %s apart in UTC, expected %s" % (a["course"], b["course"], gap, want))
    elif gap != dt.timedelta(days=14): bad("courses %s and %s are %s apart in UTC" % (a["course"], b["course"], gap))
if straddle != 1: bad("the cycle does not straddle %s (test set-up)" % change)
for x in d:
    for k in ("start", "end"):
        if off(x[k]) != zoff(x[k], E["TZN"]): bad("visit %s %s %s: offset %s, tzdata says %s" % (x["id"], x["step"], x[k], off(x[k]), zoff(x[k], E["TZN"])))
'
	db_agrees "$mrn"
	cdk 0 --db "$db" cycle show "$(py_get 'd[0]["cycle"]')" && {
		n=$(grep -cE '^[0-9]+ +[0-9-]+ 10:00 .* injection ' "$OUT")
		[ "$n" = 4 ] && ok || fail "cycle show lists $n injections at 10:00, expected 4"
	}
done <<EOF
$cases
EOF

step "the iCalendar export carries the UTC instants across the change"
[ -x "$ics_check" ] || die "$ics_check is missing: build it with 'make tests/tools/ics_check' (make check does)"
if [ -n "$ber_spring" ]; then
	# courses 1 and 2: 10:00 before the change (CET) and after it (CEST)
	start=$(course1_for "$ber_spring") &&
		u1=$(utc_iso Europe/Berlin "$start 10:00") &&
		u2=$(utc_iso Europe/Berlin "$(date_add "$start" 14) 10:00") || die "cannot compute the instants"
	cdk 0 --db "$db" export ics --patient BER-S -o "$tmp/ber-s.ics"
	if run 0 "$ics_check" "$tmp/ber-s.ics"; then
		expect_out "events 11"
		expect_out "$(iso_utc_compact "$u1")"$'\t'"CONFIRMED"$'\t'"Injection, course 1"
		expect_out "$(iso_utc_compact "$u2")"$'\t'"CONFIRMED"$'\t'"Injection, course 2"
	fi
else
	echo "   (skipped for Berlin: no change to summer time ahead)"
fi
if [ -n "$nyc_fall" ]; then
	# courses 1 and 2: 10:00 before the change back (EDT) and after it (EST)
	start=$(course1_for "$nyc_fall") &&
		u1=$(utc_iso America/New_York "$start 10:00") &&
		u2=$(utc_iso America/New_York "$(date_add "$start" 14) 10:00") || die "cannot compute the instants"
	cdk 0 --db "$db" export ics --patient NYC-F -o "$tmp/nyc-f.ics"
	if run 0 "$ics_check" "$tmp/nyc-f.ics"; then
		expect_out "$(iso_utc_compact "$u1")"$'\t'"CONFIRMED"$'\t'"Injection, course 1"
		expect_out "$(iso_utc_compact "$u2")"$'\t'"CONFIRMED"$'\t'"Injection, course 2"
	fi
else
	echo "   (skipped for New York: no change back from summer time ahead)"
fi

# The local times around each change to summer time: in the gap (02:30
# in Berlin), its first minute (02:00), the last 5-minute slot in it
# (02:55), its last minute (02:59), the first minute after it (03:00) and
# the last slot before it (01:55); and the middle of the repeated hour of
# the change back (02:30 in Berlin).
if [ -n "$ber_spring" ]; then
	ber_in_gap=$(hm_add "$ber_spring_at" $((ber_spring_len / 2))) &&
		ber_gap_last_slot=$(hm_add "$ber_spring_at" $((ber_spring_len - 5))) &&
		ber_gap_last_min=$(hm_add "$ber_spring_at" $((ber_spring_len - 1))) &&
		ber_after_gap=$(hm_add "$ber_spring_at" "$ber_spring_len") &&
		ber_before_gap=$(hm_add "$ber_spring_at" -5) ||
		die "Berlin's change to summer time is too near midnight for this test"
fi
if [ -n "$kyi_spring" ]; then
	kyi_in_gap=$(hm_add "$kyi_spring_at" $((kyi_spring_len / 2))) ||
		die "Kyiv's change to summer time is too near midnight for this test"
fi
if [ -n "$nyc_spring" ]; then
	nyc_in_gap=$(hm_add "$nyc_spring_at" $((nyc_spring_len / 2))) ||
		die "New York's change to summer time is too near midnight for this test"
fi
if [ -n "$ber_fall" ]; then
	ber_in_rep=$(hm_add "$ber_fall_at" $((ber_fall_len / 2))) ||
		die "Berlin's change back is too near midnight for this test"
fi
if [ -n "$kyi_fall" ]; then
	kyi_in_rep=$(hm_add "$kyi_fall_at" $((kyi_fall_len / 2))) ||
		die "Kyiv's change back is too near midnight for this test"
fi
if [ -n "$nyc_fall" ]; then
	nyc_in_rep=$(hm_add "$nyc_fall_at" $((nyc_fall_len / 2))) ||
		die "New York's change back is too near midnight for this test"
fi

step "a --time inside the spring-forward gap is refused and books nothing"
cdk 0 --db "$db" patient add --mrn BER-N1 --name "Night One" --dob 1970-01-01 --site "Berlin 24h"
cdk 0 --db "$db" patient add --mrn BER-N2 --name "Night Two" --dob 1970-01-02 --site "Berlin 24h"
cdk 0 --db "$db" patient add --mrn BER-N3 --name "Night Three" --dob 1970-01-03 --site "Berlin 24h"
cdk 0 --db "$db" patient add --mrn KYI-N1 --name "Нічна Одна" --dob 1970-01-04 --site "Kyiv 24h"
cdk 0 --db "$db" patient add --mrn NYC-N1 --name "Night Four" --dob 1970-01-05 --site "New York 24h"
if [ -n "$ber_spring" ]; then
	refused 1 "$ber_in_gap" course book --patient BER-N1 --protocol single-shot --start "$ber_spring" --time "$ber_in_gap"
	refused 1 "$ber_spring_at" course book --patient BER-N1 --protocol single-shot --start "$ber_spring" --time "$ber_spring_at"
	refused 1 "$ber_gap_last_slot" course book --patient BER-N1 --protocol inj-4 --start "$ber_spring" --time "$ber_gap_last_slot"
fi
if [ -n "$kyi_spring" ]; then
	refused 1 "$kyi_in_gap" course book --patient KYI-N1 --protocol single-shot --start "$kyi_spring" --time "$kyi_in_gap"
else
	echo "   (skipped for Kyiv: no change to summer time ahead)"
fi
if [ -n "$nyc_spring" ]; then
	refused 1 "$nyc_in_gap" course book --patient NYC-N1 --protocol single-shot --start "$nyc_spring" --time "$nyc_in_gap"
else
	echo "   (skipped for New York: no change to summer time ahead)"
fi
if [ -n "$ber_spring" ]; then
	refused 1 "$ber_in_gap" course book --patient BER-N1 --protocol single-shot --start "$ber_spring" --time "$ber_in_gap" --dry-run
fi
n=$(sq "$db" "SELECT count(*) FROM appointments a JOIN patients p ON p.id = a.patient_id WHERE p.mrn LIKE '%-N_';")
[ "$n" = 0 ] && ok || fail "refused bookings left $n visits"
if [ -n "$ber_spring" ]; then
	cdk 0 --db "$db" --format json course book --patient BER-N1 --protocol single-shot --start "$ber_spring" --time "$ber_after_gap" --dry-run &&
		S="${ber_spring}T$ber_after_gap:00$ber_spring_after" json_assert 'd[0]["start"] == E["S"]' \
			"$ber_after_gap on the change day is the first summer-time minute ($ber_spring_after)"
	end=$(local_iso Europe/Berlin "$ber_spring $ber_before_gap" 60) || die "cannot compute the instants"
	cdk 0 --db "$db" --format json course book --patient BER-N1 --protocol single-shot --start "$ber_spring" --time "$ber_before_gap" --dry-run &&
		S="${ber_spring}T$ber_before_gap:00$ber_spring_before" EN=$end json_assert 'd[0]["start"] == E["S"] and d[0]["end"] == E["EN"]' \
			"a visit from $ber_before_gap ($ber_spring_before) lasts 60 minutes, to $end"
else
	echo "   (skipped for Berlin: no change to summer time ahead)"
fi

step "appt move --to a time inside the gap is refused"
if [ -n "$ber_spring" ]; then
	cdk 0 --db "$db" course book --patient BER-N1 --protocol single-shot --start "$(date_add "$ber_spring" -2)" --time "$ber_in_gap"
	cdk 0 --db "$db" agenda --patient BER-N1 --format json && json_valid
	v=$(py_get 'd[0]["id"]')
	refused 1 "$ber_in_gap" appt move "$v" --to "$ber_spring $ber_in_gap"
	refused 1 "$ber_spring_at" appt move "$v" --to "$ber_spring $ber_spring_at" --this-only
	refused 1 "$ber_gap_last_min" appt move "$v" --to "$ber_spring $ber_gap_last_min" --force --reason "try the gap"
	cdk 0 --db "$db" appt move "$v" --to "$ber_spring $ber_after_gap" --dry-run && expect_out "$ber_spring $ber_after_gap"
else
	echo "   (skipped for Berlin: no change to summer time ahead)"
fi
if [ -n "$kyi_spring" ]; then
	cdk 0 --db "$db" course book --patient KYI-N1 --protocol single-shot --start "$(date_add "$kyi_spring" -2)" --time "$kyi_in_gap"
	cdk 0 --db "$db" agenda --patient KYI-N1 --format json && json_valid
	v=$(py_get 'd[0]["id"]')
	refused 1 "$kyi_in_gap" appt move "$v" --to "$kyi_spring $kyi_in_gap"
else
	echo "   (skipped for Kyiv: no change to summer time ahead)"
fi
if [ -n "$nyc_spring" ]; then
	cdk 0 --db "$db" course book --patient NYC-N1 --protocol single-shot --start "$(date_add "$nyc_spring" -2)" --time "$nyc_in_gap"
	cdk 0 --db "$db" agenda --patient NYC-N1 --format json && json_valid
	v=$(py_get 'd[0]["id"]')
	refused 1 "$nyc_in_gap" appt move "$v" --to "$nyc_spring $nyc_in_gap"
else
	echo "   (skipped for New York: no change to summer time ahead)"
fi

step "a later course whose day is the spring change never lands in the gap"
if [ -n "$ber_spring" ]; then
	start=$(date_add "$ber_spring" -14) &&
		c3=$(date_add "$ber_spring" 14) && c4=$(date_add "$ber_spring" 28) || die "cannot compute the dates"
	cdk 0 --db "$db" course book --patient BER-N3 --protocol inj-4 --start "$start" --time "$ber_in_gap"
	cdk 0 --db "$db" agenda --patient BER-N3 --format json && json_valid &&
		DAYS="$start $ber_spring $c3 $c4" T=$ber_in_gap T1=$ber_after_gap AFTER=$ber_spring_after py_check \
			"course 2 on $ber_spring at a real time ($ber_after_gap or later, $ber_spring_after); the others at $ber_in_gap" '
i = inj(d)
if [day(x["start"]).isoformat() for x in i] != E["DAYS"].split(): bad("days %r" % [x["start"] for x in i])
c2 = i[1]["start"]
if not (E["T1"] <= hm(c2)) or off(c2) != E["AFTER"] or zoff(c2, "Europe/Berlin") != E["AFTER"]: bad("course 2 at %s" % c2)
if [hm(x["start"]) for x in (i[0], i[2], i[3])] != [E["T"]] * 3: bad("courses 1, 3, 4 at %r" % [x["start"] for x in i])'
	db_agrees BER-N3
else
	echo "   (skipped for Berlin: no change to summer time ahead)"
fi

step "an ambiguous local time (the fall-back hour) means the earlier instant"
if [ -n "$ber_fall" ]; then
	# the earlier instant: the local time with the summer-time offset
	s="${ber_fall}T$ber_in_rep:00$ber_fall_before"
	end=$(local_iso Europe/Berlin "$ber_fall $ber_in_rep" 60) &&
		u=$(utc_iso Europe/Berlin "$ber_fall $ber_in_rep") || die "cannot compute the instants"
	cdk 0 --db "$db" course book --patient BER-N2 --protocol single-shot --start "$ber_fall" --time "$ber_in_rep"
	cdk 0 --db "$db" agenda --patient BER-N2 --format json && json_valid &&
		S=$s EN=$end json_assert 'd[0]["start"] == E["S"] and d[0]["end"] == E["EN"]' \
			"Berlin $ber_fall $ber_in_rep is $ber_in_rep $ber_fall_before ($u), and 60 minutes later it is $end"
	got=$(sq "$db" "SELECT a.starts_at FROM appointments a JOIN patients p ON p.id = a.patient_id WHERE p.mrn = 'BER-N2';")
	[ "$got" = "$u" ] && ok || fail "Berlin $ber_fall $ber_in_rep stored as $got, expected $u"
else
	echo "   (skipped for Berlin: no change back from summer time ahead)"
fi
if [ -n "$kyi_fall" ]; then
	cdk 0 --db "$db" course book --patient KYI-N1 --protocol single-shot --start "$kyi_fall" --time "$kyi_in_rep"
	cdk 0 --db "$db" agenda --patient KYI-N1 --date "$kyi_fall" --format json && json_valid &&
		S="${kyi_fall}T$kyi_in_rep:00$kyi_fall_before" json_assert 'len(d) == 1 and d[0]["start"] == E["S"]' \
			"Kyiv $kyi_fall $kyi_in_rep is $kyi_in_rep $kyi_fall_before (summer time)"
else
	echo "   (skipped for Kyiv: no change back from summer time ahead)"
fi
if [ -n "$nyc_fall" ]; then
	cdk 0 --db "$db" course book --patient NYC-N1 --protocol single-shot --start "$nyc_fall" --time "$nyc_in_rep"
	cdk 0 --db "$db" agenda --patient NYC-N1 --date "$nyc_fall" --format json && json_valid &&
		S="${nyc_fall}T$nyc_in_rep:00$nyc_fall_before" json_assert 'len(d) == 1 and d[0]["start"] == E["S"]' \
			"New York $nyc_fall $nyc_in_rep is $nyc_in_rep $nyc_fall_before (summer time)"
else
	echo "   (skipped for New York: no change back from summer time ahead)"
fi
db_agrees KYI-N1
db_agrees NYC-N1
if [ -n "$ber_fall" ]; then
	start=$(date_add "$ber_fall" -14) &&
		c3=$(date_add "$ber_fall" 14) && c4=$(date_add "$ber_fall" 28) || die "cannot compute the dates"
	t=$ber_in_rep b=$ber_fall_before a=$ber_fall_after
	cdk 0 --db "$db" course book --patient BER-N3 --protocol inj-4 --start "$start" --time "$t"
	cdk 0 --db "$db" agenda --patient BER-N3 --date "$start" --days 60 --format json && json_valid &&
		WANT="${start}T$t:00$b ${ber_fall}T$t:00$b ${c3}T$t:00$a ${c4}T$t:00$a" py_check \
			"a cycle at $t across the fall-back: course 2 at $t $b, 14 days apart, $t throughout" '
i = inj(d)
if [x["start"] for x in i] != E["WANT"].split(): bad("injections at %r" % [x["start"] for x in i])'
else
	echo "   (skipped for Berlin: no change back from summer time ahead)"
fi

step "the audit chain is whole"
cdk 0 --db "$db" audit verify && expect_out "Audit chain intact"

finish
