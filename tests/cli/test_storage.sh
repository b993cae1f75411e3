#!/bin/bash
# test_storage.sh - the lab's storage units and their temperatures: units
# added with their limits (and the refusals), readings entered inside and
# outside the limits, an excursion flagging exactly the lots stored in the
# unit (custody events and audit records included), the CSV import of a
# logger's file all or nothing (a bad line leaves the database as it was,
# naming the file and the line; a second import skips what is recorded),
# the corrective action that clears the flags, the listings in text, CSV
# and JSON, and the roles (a front-desk user cannot record temperatures).
# The lots come from lot add (two states it takes many steps to reach are
# set with sqlite3).
# Runs as root: the role checks use throw-away Unix users (useradd).
. "$(dirname "$0")/lib.sh"

db=$tmp/clinic.db
me=$(id -un)
export me

# py_get EXPR - print EXPR evaluated with d = the JSON on stdout.
py_get() {
	python3 - "$OUT" "$1" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1], encoding='utf-8'))
print(eval(sys.argv[2]))
EOF
}

# refused EXIT TEXT ARGS... - celldesk ARGS on $db exits EXIT with TEXT
# (case-insensitive) on stderr, prints nothing on stdout, changes nothing.
refused() {
	local want=$1 text=$2 fp
	shift 2
	fp=$(db_fingerprint "$db")
	if cdk "$want" --db "$db" "$@"; then
		[ -z "$text" ] || expect_err_i "$text"
		[ ! -s "$OUT" ] && ok || fail "a refused command printed on stdout: $last_cmd"
	fi
	expect_db_unchanged "$db" "$fp" "$(printf '%q ' "$@" | cut -c1-200)"
}

# flags - "CODE:READING" of every lot (READING empty when not flagged), by code.
flags() {
	sq "$db" "SELECT code || ':' || coalesce(excursion_id, '') FROM lots ORDER BY code" | tr '\n' ' '
}

# expect_flags WANT WHY
expect_flags() {
	local got
	got=$(flags)
	[ "$got" = "$1" ] && ok || fail "lot flags are '$got', expected '$1' ($2)"
}

# Every time is in the past (a reading in the future is refused): d1 is
# two days ago, d2 yesterday, old ten days ago, all local dates.
d1=$(day_after -2) && d2=$(day_after -1) && old=$(day_after -10) && future=$(day_after 2) ||
	die "cannot compute the dates"
exc_utc=$(utc_iso Europe/Kyiv "$d1 09:00") && exc_iso=$(local_iso Europe/Kyiv "$d1 09:00") ||
	die "cannot compute the times"
export d1 d2 old exc_utc exc_iso

step "a clinic: Kyiv with an LN2 tank and a fridge, Berlin with a tank of the same name"
cdk 0 --db "$db" init || die "init failed"
cdk 0 --db "$db" site add Kyiv --tz Europe/Kyiv || die "site add failed"
cdk 0 --db "$db" site add Berlin --tz Europe/Berlin || die "site add failed"
cdk 0 --db "$db" storage add LN2-1 --site Kyiv --kind ln2-tank --min -196 --max -150 &&
	expect_out "Added storage unit LN2-1 at Kyiv (ln2-tank, -196.0 to -150.0 °C)."
cdk 0 --db "$db" storage add "Fridge 2" --site Kyiv --kind fridge --min 2 --max 8
cdk 0 --db "$db" storage add LN2-1 --site Berlin --kind ln2-tank --min=-196 --max=-150.5 &&
	expect_out "Added storage unit LN2-1 at Berlin"
cdk 0 --db "$db" patient add --mrn K1 --name "Олена Коваленко" --dob 1955-01-17 --site Kyiv

step "storage add refuses a second unit of that name, bad kinds, limits and names"
refused 1 "Kyiv already has a storage unit called 'LN2-1'" \
	storage add LN2-1 --site Kyiv --kind freezer --min -90 --max -70
refused 1 "already has a storage unit called 'LN2-1'" \
	storage add ln2-1 --site Kyiv --kind freezer --min -90 --max -70
refused 1 "no site called 'Odesa'" storage add F9 --site Odesa --kind freezer --min -90 --max -70
refused 2 "--kind: 'oven'" storage add F9 --site Kyiv --kind oven --min 30 --max 40
refused 2 "--min (-150.0) must be below --max (-196.0)" \
	storage add F9 --site Kyiv --kind ln2-tank --min -150 --max -196
refused 2 "must be below" storage add F9 --site Kyiv --kind fridge --min 4 --max 4
refused 2 "--min: 'abc' is not a number" storage add F9 --site Kyiv --kind fridge --min abc --max 8
refused 2 "--max: '8,5' is not a number" storage add F9 --site Kyiv --kind fridge --min 2 --max 8,5
refused 2 "--min: '-300' is outside -273.15 to 150" \
	storage add F9 --site Kyiv --kind freezer --min -300 --max -70
refused 2 "'/'" storage add "Rack/A" --site Kyiv --kind room --min 15 --max 25
refused 2 "control character" storage add $'F\e[31m9' --site Kyiv --kind fridge --min 2 --max 8
refused 2 "must not be empty" storage add " " --site Kyiv --kind fridge --min 2 --max 8
refused 2 "--max" storage add F9 --site Kyiv --kind fridge --min 2
refused 2 "" storage add --site Kyiv --kind fridge --min 2 --max 8

step "storage list: every unit with its limits, nothing stored or read yet"
cdk 0 --db "$db" storage list --format json && json_valid &&
	json_assert '[(x["site"], x["name"], x["kind"], x["min"], x["max"], x["lots"], x["last_reading"], x["excursions"]) for x in d] == [("Berlin", "LN2-1", "ln2-tank", "-196.0", "-150.5", 0, None, 0), ("Kyiv", "Fridge 2", "fridge", "2.0", "8.0", 0, None, 0), ("Kyiv", "LN2-1", "ln2-tank", "-196.0", "-150.0", 0, None, 0)]' \
		"three units, by site and name, with their limits"
cdk 0 --db "$db" storage list --site Berlin --format csv &&
	csv_header_is "site,name,kind,min,max,lots,last_reading,last_temp,excursions" &&
	csv_assert '[(x["site"], x["name"]) for x in r] == [("Berlin", "LN2-1")]' "--site Berlin: Berlin's only"
cdk 0 --db "$db" storage list && expect_out "Fridge 2" && expect_out "-196.0"
refused 1 "no site called 'Odesa'" storage list --site Odesa

step "lots: two in Kyiv's tank, one discarded and one administered there, one in the fridge, one in Berlin"
# lot add and lot discard; a lot administered or in someone's hands takes
# many steps (QC, release, a visit), so those two states are set with sqlite3.
lot() { # CODE PLACE
	cdk 0 --db "$db" lot add --id "$1" --kind donor --donor D-7 --source cord-blood --location "$2" ||
		die "lot add $1 failed"
}
lot KQ-1 Kyiv/LN2-1/R1/B07/C4
lot KR-2 Kyiv/LN2-1
lot KD-3 Kyiv/LN2-1/R1/B07/C5
cdk 0 --db "$db" lot discard KD-3 --reason "bag cracked" || die "lot discard failed"
lot KA-4 Kyiv/LN2-1
lot KH-5 Kyiv/LN2-1
lot KF-6 "Kyiv/Fridge 2/shelf 2"
lot BQ-7 Berlin/LN2-1/R9/B1/A1
sq "$db" "UPDATE lots SET status = 'administered', recipient_id = (SELECT id FROM patients)
	WHERE code = 'KA-4'; UPDATE lots SET status = 'in-processing', holder = 'lab1' WHERE code = 'KH-5';" ||
	die "cannot set the lots' states"
n=$(sq "$db" "SELECT count(*) FROM lots")
[ "$n" = 7 ] && ok || die "expected 7 lots, found $n"
expect_flags "BQ-7: KA-4: KD-3: KF-6: KH-5: KQ-1: KR-2: " "nothing is flagged yet"
cdk 0 --db "$db" storage list --site Kyiv --format json &&
	json_assert '{x["name"]: x["lots"] for x in d} == {"LN2-1": 2, "Fridge 2": 1}' \
		"lots stored: neither discarded, administered nor in someone's hands"

step "readings inside the limits (the limits themselves included) flag nothing"
cdk 0 --db "$db" storage reading LN2-1 --site Kyiv --temp -190.5 --at "$d1 08:00" &&
	expect_out "Recorded -190.5 °C for LN2-1 at Kyiv at $d1 08:00" && expect_no_out "Excursion"
cdk 0 --db "$db" storage reading LN2-1 --site Kyiv --temp -150 --at "$d1 07:00" && expect_no_out "Excursion"
cdk 0 --db "$db" storage reading LN2-1 --site Kyiv --temp=-196.0 --at "$d1 06:00" && expect_no_out "Excursion"
cdk 0 --db "$db" storage reading "Fridge 2" --site Kyiv --temp 4.25 && expect_out "Recorded 4.25 °C"
expect_flags "BQ-7: KA-4: KD-3: KF-6: KH-5: KQ-1: KR-2: " "readings inside the limits"
n=$(sq "$db" "SELECT count(*) FROM custody_events WHERE event = 'temperature-excursion'")
[ "$n" = 0 ] && ok || fail "readings inside the limits wrote $n excursion custody events"

step "a reading outside the limits: an excursion flags exactly the lots stored in the unit"
cdk 0 --db "$db" storage reading LN2-1 --site Kyiv --temp -120 --at "$d1 09:00" || die "the excursion was not recorded"
rid=$(sq "$db" "SELECT id FROM temperature_readings WHERE temp_c = -120")
expect_out "Excursion: LN2-1 at Kyiv read -120.0 °C at $d1 09:00 (allowed -196.0 to -150.0); 2 lots flagged."
expect_out "Record the corrective action: celldesk storage correct $rid --note TEXT"
expect_flags "BQ-7: KA-4: KD-3: KF-6: KH-5: KQ-1:$rid KR-2:$rid " "the excursion flags KQ-1 and KR-2 only"
sq "$db" "SELECT l.code, c.event, c.at, c.actor, coalesce(c.from_place, '-'), c.to_place, c.temp_c, c.note
	FROM custody_events c JOIN lots l ON l.id = c.lot_id WHERE c.event = 'temperature-excursion'
	ORDER BY l.code, c.id" >"$tmp/custody"
cat >"$tmp/custody.want" <<EOF
KQ-1|temperature-excursion|$exc_utc|$me|-|Kyiv/LN2-1/R1/B07/C4|-120.0|outside -196.0..-150.0 °C (reading $rid)
KR-2|temperature-excursion|$exc_utc|$me|-|Kyiv/LN2-1|-120.0|outside -196.0..-150.0 °C (reading $rid)
EOF
if diff -u "$tmp/custody.want" "$tmp/custody" >"$tmp/custody.diff"; then ok; else
	fail "the custody events of the excursion differ (- expected, + stored):"
	cat "$tmp/custody.diff"
fi
cdk 0 --db "$db" audit log --table lots --format json && json_valid &&
	RID=$rid json_assert '(lambda f: sorted(x["row"] for x in f) == ["KQ-1", "KR-2"] and all(x["action"] == "update" and "reading " + E["RID"] in x["reason"] and json.loads(x["old"])["excursion_id"] is None for x in f))([x for x in d if x["new"] and json.loads(x["new"])["excursion_id"] == int(E["RID"])])' \
		"one audited update per flagged lot, old and new values, the reading named"
cdk 0 --db "$db" audit log --table custody_events --format json && json_valid &&
	json_assert 'sorted(x["row"] for x in d if json.loads(x["new"])["event"] == "temperature-excursion") == ["KQ-1", "KR-2"]' \
		"the excursion's custody events are audited"
cdk 0 --db "$db" lot trace KQ-1 && expect_out "temperature-excursion" && expect_out "outside -196.0..-150.0 °C (reading $rid)"
cdk 0 --db "$db" audit log --table temperature_readings --format json && json_valid &&
	json_assert 'len(d) == 5 and all(x["action"] == "insert" and x["row"] in ("Kyiv/LN2-1", "Kyiv/Fridge 2") for x in d)' \
		"every reading's insert is audited, normal ones too"
cdk 0 --db "$db" storage excursions --format json && json_valid &&
	RID=$rid json_assert 'd == [{"reading": int(E["RID"]), "site": "Kyiv", "unit": "LN2-1", "time": E["exc_iso"], "temp": "-120.0", "min": "-196.0", "max": "-150.0", "lots": 2}]' \
		"storage excursions: the open one, local time with offset, its limits and 2 lots"
cdk 0 --db "$db" storage excursions && expect_out "$d1 09:00" && expect_out "-120.0"
cdk 0 --db "$db" storage list --site Kyiv --format json &&
	json_assert '[(x["name"], x["lots"], x["last_reading"], x["last_temp"], x["excursions"]) for x in d if x["name"] == "LN2-1"] == [("LN2-1", 2, E["exc_iso"], "-120.0", 1)]' \
		"storage list: the newest reading by time and one open excursion"

step "an excursion of an empty unit flags nothing; one of the fridge flags its lot only"
cdk 0 --db "$db" storage reading "Fridge 2" --site Kyiv --temp 8.5 --at "$d1 12:00" &&
	expect_out "Excursion: Fridge 2 at Kyiv read 8.5 °C" && expect_out "1 lot flagged."
fid=$(sq "$db" "SELECT id FROM temperature_readings WHERE temp_c = 8.5")
expect_flags "BQ-7: KA-4: KD-3: KF-6:$fid KH-5: KQ-1:$rid KR-2:$rid " "the fridge's excursion"
cdk 0 --db "$db" storage excursions --site Kyiv --format csv &&
	csv_header_is "reading,site,unit,time,temp,min,max,lots" &&
	csv_assert '[x["unit"] for x in r] == ["LN2-1", "Fridge 2"]' "open excursions, oldest first"

step "storage reading refuses a second reading at the same time, the future and bad input"
refused 1 "LN2-1 at Kyiv already has a reading at $d1 08:00 (-190.5 °C)" \
	storage reading LN2-1 --site Kyiv --temp -100 --at "$d1 08:00"
refused 1 "in the future" storage reading LN2-1 --site Kyiv --temp -190 --at "$future 10:00"
refused 1 "Kyiv has no storage unit called 'LN2-9'" storage reading LN2-9 --site Kyiv --temp -190
refused 1 "no site called 'Kiev'" storage reading LN2-1 --site Kiev --temp -190
refused 2 "--temp: 'abc' is not a number" storage reading LN2-1 --site Kyiv --temp abc
refused 2 "--temp: '-190,5' is not a number" storage reading LN2-1 --site Kyiv --temp -190,5
refused 2 "--temp: '-190.1234' has more than 3 decimals" storage reading LN2-1 --site Kyiv --temp -190.1234
refused 2 "--temp: '1e3' is not a number" storage reading LN2-1 --site Kyiv --temp 1e3
refused 2 "--at: 'yesterday'" storage reading LN2-1 --site Kyiv --temp -190 --at yesterday
refused 2 "--at" storage reading LN2-1 --site Kyiv --temp -190 --at "$d1 9:00"
refused 2 "--site" storage reading LN2-1 --temp -190
refused 2 "--temp" storage reading LN2-1 --site Kyiv
# the clocks went forward at 02:00 in Berlin on 30 March 2025
refused 1 "does not exist in Europe/Berlin" storage reading LN2-1 --site Berlin --temp -190 --at "2025-03-30 02:30"

step "storage readings: newest first, the last 7 days unless --days says otherwise"
cdk 0 --db "$db" storage reading LN2-1 --site Kyiv --temp -191 --at "$old 10:00"
cdk 0 --db "$db" storage readings LN2-1 --site Kyiv --format json && json_valid &&
	RID=$rid json_assert '[(x["time"][:16], x["temp"], x["source"], x["actor"], x["excursion"]) for x in d] == [(E["d1"] + "T09:00", "-120.0", "entered", E["me"], "open"), (E["d1"] + "T08:00", "-190.5", "entered", E["me"], None), (E["d1"] + "T07:00", "-150.0", "entered", E["me"], None), (E["d1"] + "T06:00", "-196.0", "entered", E["me"], None)]' \
		"four readings of the last 7 days, newest first; the one 10 days ago left out"
cdk 0 --db "$db" storage readings LN2-1 --site Kyiv --days 30 --format json &&
	json_assert 'len(d) == 5 and d[-1]["time"][:10] == E["old"]' "--days 30 has the old one too"
cdk 0 --db "$db" storage readings LN2-1 --site Kyiv && expect_out "$d1 09:00" && expect_out "open"
refused 2 "--days" storage readings LN2-1 --site Kyiv --days 0
refused 2 "--days" storage readings LN2-1 --site Kyiv --days 400
refused 2 "--site" storage readings LN2-1
refused 1 "no storage unit called 'LN2-2'" storage readings LN2-2 --site Kyiv

step "storage import: a bad line anywhere imports nothing and names the file and line"
bom=$'\xef\xbb\xbf'
# a logger's export: BOM, CRLF, quoted fields, local and UTC times; one
# excursion at Berlin (its tank allows up to -150.5)
good_csv() {
	printf '%s\r\n' "${bom}site,unit,time,temp_c" \
		"Kyiv,LN2-1,$d2 08:00,-190.0" \
		"\"Kyiv\",\"LN2-1\",\"$d2 08:30\",\"-189.5\"" \
		"Kyiv,Fridge 2,$d2 08:00,4.5" \
		"Berlin,LN2-1,${d2}T07:00:00Z,-188" \
		"Berlin,LN2-1,$d2 09:00,-150" \
		"Berlin,LN2-1,$d2 10:00,-185"
}
good_csv >"$tmp/readings.csv"
{ good_csv; printf 'Kyiv,LN2-1,%s 09:00,abc\r\n' "$d2"; } >"$tmp/bad.csv"
refused 1 "bad.csv line 8: temperature 'abc' is not a number" storage import "$tmp/bad.csv"
{ good_csv; printf 'Kyiv,LN2-7,%s 09:00,-190\r\n' "$d2"; } >"$tmp/bad.csv"
refused 1 "bad.csv line 8: Kyiv has no storage unit called 'LN2-7'" storage import "$tmp/bad.csv"
{ good_csv; printf 'Kiev,LN2-1,%s 09:00,-190\r\n' "$d2"; } >"$tmp/bad.csv"
refused 1 "bad.csv line 8: there is no site called 'Kiev'" storage import "$tmp/bad.csv"
{ good_csv; printf 'Kyiv,LN2-1,%s 09:00,-190\r\n' "$future"; } >"$tmp/bad.csv"
refused 1 "bad.csv line 8: time $future 09:00 is in the future" storage import "$tmp/bad.csv"
{ good_csv; printf 'Berlin,LN2-1,2025-03-30 02:30,-190\r\n'; } >"$tmp/bad.csv"
refused 1 "bad.csv line 8: 2025-03-30 02:30 does not exist in Europe/Berlin" storage import "$tmp/bad.csv"
{ good_csv; printf 'Kyiv,"LN2\r\n1",%s 09:00,-190\r\n' "$d2"; } >"$tmp/bad.csv"
refused 1 "bad.csv line 8: a quoted field has no closing quote" storage import "$tmp/bad.csv"
{ good_csv; printf 'Kyiv,LN2-1\e[2J,%s 09:00,-190\r\n' "$d2"; } >"$tmp/bad.csv"
refused 1 "bad.csv line 8: the unit contains a control character (U+001B)" storage import "$tmp/bad.csv"
expect_no_err $'\e' "the escape is not echoed raw"
{ good_csv; printf 'Kyiv,LN2-1,%s 09:00,-190,extra\r\n' "$d2"; } >"$tmp/bad.csv"
refused 1 "bad.csv line 8: 5 fields; a reading has 4" storage import "$tmp/bad.csv"
good_csv | sed '1s/temp_c/temperature/' >"$tmp/bad.csv"
refused 1 "bad.csv line 1: 'temperature' is not a column" storage import "$tmp/bad.csv"
printf 'site,unit,time,temp_c\n' >"$tmp/empty.csv"
refused 1 "empty.csv has no readings" storage import "$tmp/empty.csv"
: >"$tmp/nothing.csv"
refused 1 "nothing.csv is empty" storage import "$tmp/nothing.csv"
{ good_csv; printf 'Kyiv,LN2-1,%s 09:00,%01100d\r\n' "$d2" 0; } >"$tmp/bad.csv"
refused 1 "bad.csv line 8 is longer than 1024 bytes" storage import "$tmp/bad.csv"
good_csv >"$tmp/huge.csv"
truncate -s 17M "$tmp/huge.csv"
refused 1 "huge.csv is larger than 16 MiB" storage import "$tmp/huge.csv"
refused 1 "cannot read $tmp/missing.csv" storage import "$tmp/missing.csv"
refused 1 "is not a file" storage import "$tmp"
refused 2 "" storage import
n=$(sq "$db" "SELECT count(*) FROM temperature_readings WHERE source = 'csv'")
[ "$n" = 0 ] && ok || fail "refused imports left $n readings"

step "storage import: the good file, then again (nothing twice)"
cdk 0 --db "$db" storage import "$tmp/readings.csv" &&
	expect_out "6 readings imported, 0 already recorded, 1 excursion." &&
	expect_out "Excursion: LN2-1 at Berlin read -150.0 °C at $d2 09:00 (allowed -196.0 to -150.5); 1 lot flagged."
bid=$(sq "$db" "SELECT r.id FROM temperature_readings r JOIN storage_units u ON u.id = r.unit_id
	JOIN sites s ON s.id = u.site_id WHERE s.name = 'Berlin' AND r.temp_c = -150")
expect_out "celldesk storage correct $bid --note TEXT"
expect_flags "BQ-7:$bid KA-4: KD-3: KF-6:$fid KH-5: KQ-1:$rid KR-2:$rid " "the imported excursion flags Berlin's lot"
n=$(sq "$db" "SELECT count(*) FROM custody_events c JOIN lots l ON l.id = c.lot_id
	WHERE l.code = 'BQ-7' AND c.event = 'temperature-excursion' AND c.to_place = 'Berlin/LN2-1/R9/B1/A1'
	AND c.temp_c = -150")
[ "$n" = 1 ] && ok || fail "BQ-7 has $n custody events for the imported excursion, expected 1"
berlin_utc=$(utc_iso Europe/Berlin "$d2 09:00")
n=$(sq "$db" "SELECT count(*) FROM temperature_readings WHERE source = 'csv' AND at = '$berlin_utc'")
[ "$n" = 1 ] && ok || fail "the local time $d2 09:00 at Berlin is not stored as $berlin_utc"
b7_iso=$(python3 -c 'import datetime as dt, sys; from zoneinfo import ZoneInfo
t = dt.datetime.fromisoformat(sys.argv[1] + "T07:00:00+00:00").astimezone(ZoneInfo("Europe/Berlin"))
o = int(t.utcoffset().total_seconds()) // 60
print(t.strftime("%Y-%m-%dT%H:%M:%S") + "%+03d:%02d" % (o // 60, o % 60))' "$d2") || die "cannot compute a time"
export b7_iso
cdk 0 --db "$db" storage readings LN2-1 --site Berlin --format json &&
	json_assert '[(x["time"][:16], x["temp"], x["source"]) for x in d] == [(E["d2"] + "T10:00", "-185.0", "csv"), (E["d2"] + "T09:00", "-150.0", "csv"), (E["b7_iso"][:16], "-188.0", "csv")] and d[2]["time"] == E["b7_iso"]' \
		"Berlin's three readings, newest first, the UTC one shown in Berlin's time"
fp=$(db_fingerprint "$db")
cdk 0 --db "$db" storage import "$tmp/readings.csv" &&
	expect_out "0 readings imported, 6 already recorded, 0 excursions."
expect_db_unchanged "$db" "$fp" "importing the same file again"
{ good_csv | sed 's/-189.5/-189.0/'; printf 'Kyiv,LN2-1,%s 11:00,-191\r\n' "$d2"; } >"$tmp/more.csv"
cdk 0 --db "$db" storage import "$tmp/more.csv" &&
	expect_out "1 reading imported, 6 already recorded, 0 excursions." &&
	expect_out "1 of the readings already recorded had another temperature in the file; the recorded one was kept."

step "storage correct: the corrective action clears the flags (or hands them to the unit's other open excursion)"
cdk 0 --db "$db" storage reading LN2-1 --site Kyiv --temp -140 --at "$d1 10:00" && expect_out "2 lots flagged."
rid2=$(sq "$db" "SELECT id FROM temperature_readings WHERE temp_c = -140")
expect_flags "BQ-7:$bid KA-4: KD-3: KF-6:$fid KH-5: KQ-1:$rid2 KR-2:$rid2 " "the newer excursion flags the tank's lots"
cdk 0 --db "$db" storage correct "$rid2" --note "Lid left open; closed, LN2 topped up" &&
	expect_out "Recorded the corrective action for reading $rid2 (LN2-1 at Kyiv)." &&
	expect_out "2 lots are still flagged by the unit's open excursion $rid: celldesk storage correct $rid --note TEXT"
expect_flags "BQ-7:$bid KA-4: KD-3: KF-6:$fid KH-5: KQ-1:$rid KR-2:$rid " "still flagged by the older open excursion"
cdk 0 --db "$db" storage correct "$rid" --note "Alarm tested; lots inspected, no thaw" &&
	expect_out "2 lots are no longer flagged."
expect_flags "BQ-7:$bid KA-4: KD-3: KF-6:$fid KH-5: KQ-1: KR-2: " "the tank's lots are no longer flagged"
cdk 0 --db "$db" storage correct "$fid" --note "Door alarm fixed" && expect_out "1 lot is no longer flagged."
n=$(sq "$db" "SELECT corrective_note || '|' || corrective_by FROM temperature_readings WHERE id = $rid")
[ "$n" = "Alarm tested; lots inspected, no thaw|$me" ] && ok || fail "the corrective action is stored as '$n'"
cdk 0 --db "$db" storage readings LN2-1 --site Kyiv --format json &&
	json_assert '[(x["excursion"], x["corrective_note"]) for x in d if x["temp"] in ("-120.0", "-140.0")] == [("corrected", "Lid left open; closed, LN2 topped up"), ("corrected", "Alarm tested; lots inspected, no thaw")]' \
		"the readings show their corrective actions"
cdk 0 --db "$db" audit log --table temperature_readings --format json &&
	json_assert 'any(x["action"] == "update" and x["reason"] == "Alarm tested; lots inspected, no thaw" and json.loads(x["new"])["corrective_note"] == x["reason"] for x in d)' \
		"the corrective action is in the audit trail"
cdk 0 --db "$db" storage excursions --format json &&
	BID=$bid json_assert '[(x["reading"], x["site"], x["lots"]) for x in d] == [(int(E["BID"]), "Berlin", 1)]' \
		"only Berlin's excursion is still open"
cdk 0 --db "$db" storage excursions --site Kyiv --format json && json_assert 'd == []' "Kyiv has none open"
refused 1 "the corrective action for reading $rid was already recorded by $me" \
	storage correct "$rid" --note "again"
normal=$(sq "$db" "SELECT id FROM temperature_readings WHERE temp_c = -190.5")
refused 1 "reading $normal (-190.5 °C) was within the limits of Kyiv/LN2-1" storage correct "$normal" --note "x"
refused 1 "there is no temperature reading 99999" storage correct 99999 --note "x"
refused 2 "not a reading number" storage correct abc --note "x"
refused 2 "--note" storage correct "$bid"
refused 2 "--note must not be empty" storage correct "$bid" --note "  "
refused 2 "control character" storage correct "$bid" --note $'ok\e[31m'

step "names are shown escaped, never raw"
cdk 0 --db "$db" storage add $'Tank\u202eA' --site Kyiv --kind ln2-tank --min -196 --max -150 &&
	expect_no_out $'\u202e' "raw U+202E"
cdk 0 --db "$db" storage list && expect_out_i 'Tank\u202eA' && expect_no_out $'\u202e' "raw U+202E in list"
cdk 0 --db "$db" storage list --format json && json_valid && expect_no_out $'\u202e' "raw U+202E in json"

step "help lists every storage command with its role"
cdk 0 storage --help
for s in add list reading import readings excursions correct; do
	expect_out "$s"
done
cdk 0 storage reading --help && expect_out "--temp" && expect_out "needs the role: lab,admin"
cdk 0 storage add --help && expect_out "--min" && expect_out "needs the role: lab,admin"
cdk 0 storage list --help && expect_out "any (active staff)"

# --- roles, with real staff accounts -------------------------------------

step "roles: a front-desk user or a clinician may look but not record; a lab user may"
if [ "$(id -u)" != 0 ]; then
	fail "this part must run as root: it creates Unix users (useradd) and runs celldesk as them (runuser)"
	finish
fi
for t in useradd userdel runuser; do
	command -v "$t" >/dev/null 2>&1 || die "needs '$t' (package passwd / util-linux)"
done
sfx=$$
front=cdst_front$sfx
clin=cdst_clin$sfx
lab=cdst_lab$sfx
nologin=/usr/sbin/nologin
[ -x "$nologin" ] || nologin=/bin/false
for u in $front $clin $lab; do
	at_exit "userdel '$u'"
	useradd -M -N -s "$nologin" "$u" || die "useradd $u failed"
done
umask 0000
shared=$(mktemp -d /tmp/celldesk-storage.XXXXXX) || die "mktemp -d failed"
at_exit "rm -rf '$shared'"
chmod 0777 "$shared"
for u in $front $clin $lab; do
	mkdir -p "$shared/home-$u"
	chown "$u" "$shared/home-$u"
done
if ! runuser -u "$front" -- "$CELLDESK" --version >/dev/null 2>&1; then
	mkdir -m 0755 "$shared/bin"
	cp "$CELLDESK" "$shared/bin/celldesk" && chmod 0755 "$shared/bin/celldesk"
	CELLDESK=$shared/bin/celldesk
fi
cp "$db" "$shared/clinic.db" && chmod 0666 "$shared/clinic.db"
db=$shared/clinic.db
{
	echo "site,unit,time,temp_c"
	for m in 00 10 20 30 40 50; do
		echo "Kyiv,Fridge 2,$d2 13:$m,5.$m"
	done
} >"$shared/lab.csv"
chmod 0644 "$shared/lab.csv"
# as USER EXPECTED_EXIT ARGS... - run celldesk as USER on $db
as() {
	local u=$1 want=$2
	shift 2
	run "$want" runuser -u "$u" -- env -i PATH=/usr/local/bin:/usr/bin:/bin \
		HOME="$shared/home-$u" XDG_CONFIG_HOME="$shared/home-$u/.config" \
		XDG_DATA_HOME="$shared/home-$u/.local/share" LC_ALL=C.UTF-8 TZ=UTC \
		/bin/sh -c 'umask 000; exec "$@"' celldesk "$CELLDESK" --db "$db" "$@"
}
cdk 0 --db "$db" staff add "$front" --name "Front Desk" --role frontdesk
cdk 0 --db "$db" staff add "$clin" --name "Dr Clinician" --role clinician
cdk 0 --db "$db" staff add "$lab" --name "Lab Tech" --role lab
fp=$(db_fingerprint "$db")
as "$front" 1 storage reading LN2-1 --site Kyiv --temp -100 &&
	expect_err "Unix account '$front' (role frontdesk) may not record, move, test or discard cell lots and storage temperatures; that needs the role lab,admin"
as "$front" 1 storage import "$shared/lab.csv" && expect_err "(role frontdesk) may not"
as "$front" 1 storage import "$shared/no-such-file.csv" && expect_err "(role frontdesk) may not"
as "$front" 1 storage correct "$bid" --note "front desk tries" && expect_err "(role frontdesk) may not"
as "$front" 1 storage add F3 --site Kyiv --kind freezer --min -90 --max -70 &&
	expect_err "(role frontdesk) may not set QC limits, expiry rules, storage units"
as "$clin" 1 storage reading LN2-1 --site Kyiv --temp -100 && expect_err "(role clinician) may not"
expect_db_unchanged "$db" "$fp" "refused by role"
as "$front" 0 storage list --format json && json_assert 'len(d) == 4' "the front desk sees the units"
as "$front" 0 storage excursions && expect_out "Berlin"
as "$clin" 0 storage readings LN2-1 --site Kyiv && expect_out "-120.0"
as "$lab" 0 storage add F3 --site Kyiv --kind freezer --min -90 --max -70
as "$lab" 0 storage reading LN2-1 --site Kyiv --temp -100 && expect_out "2 lots flagged."
lid=$(sq "$db" "SELECT id FROM temperature_readings WHERE temp_c = -100")
n=$(sq "$db" "SELECT group_concat(DISTINCT c.actor) FROM custody_events c WHERE c.note LIKE '%(reading $lid)'")
[ "$n" = "$lab" ] && ok || fail "the excursion's custody events name '$n', not the lab user $lab"
as "$lab" 0 storage import "$shared/lab.csv" && expect_out "6 readings imported"
as "$lab" 0 storage correct "$lid" --note "Probe reseated; reading confirmed -190" &&
	expect_out "2 lots are no longer flagged."
n=$(sq "$db" "SELECT corrective_by FROM temperature_readings WHERE id = $lid")
[ "$n" = "$lab" ] && ok || fail "the corrective action names '$n', not the lab user $lab"

step "the audit chains are whole"
cdk 0 --db "$db" audit verify && expect_out "Audit chain intact"
cdk 0 --db "$tmp/clinic.db" audit verify && expect_out "Audit chain intact"

finish
