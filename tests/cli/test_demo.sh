#!/bin/bash
# test_demo.sh - `demo --seed N` fills a fresh database reproducibly:
# same seed, same data (the calendar also depends on the clock: it is
# built around today); three sites in their zones; staff in every role;
# Cyrillic names; treatment cycles with visits in the past and the future
# in every status, a week ahead at Kyiv and calls to make; a verifying
# audit chain; refused on a database that already has patients.
. "$(dirname "$0")/lib.sh"

a=$tmp/a.db
b=$tmp/b.db
c=$tmp/c.db

step "demo --seed 7 on two fresh databases"
cdk 0 --db "$a" init || die "init a failed"
cdk 0 --db "$b" init || die "init b failed"
cdk 0 --db "$a" demo --seed 7 || die "demo on a failed"
cdk 0 --db "$b" demo --seed 7 || die "demo on b failed"

step "same seed gives identical listings"
for what in "patient list --limit 100000" "site list" "resource list" "staff list"; do
	# shellcheck disable=SC2086
	cdk 0 --db "$a" $what --format csv
	cp "$OUT" "$tmp/a.csv"
	# shellcheck disable=SC2086
	cdk 0 --db "$b" $what --format csv
	if cmp -s "$tmp/a.csv" "$OUT"; then ok; else
		fail "'$what --format csv' differs between two databases filled with --seed 7"
		diff "$tmp/a.csv" "$OUT" | head -20 | cat -v
	fi
done
cdk 0 --db "$a" patient list --format csv && cp "$OUT" "$tmp/a.csv"
cdk 0 --db "$b" patient list --format csv
cmp -s "$tmp/a.csv" "$OUT" && ok || fail "patient list --format csv differs for the same seed"
csv_header_is "mrn,name,dob,phone,site"
csv_assert 'len(r) >= 10' "the demo has at least 10 patients"

# schedule_of DB - the demo calendar as the front desk sees it, as CSV:
# every cycle, and every visit from 460 days back to 272 days ahead
# (the small demo's whole calendar).
from=$(date -u -d '-460 days' +%F)
upto=$(date -u -d "$from + 366 days" +%F)
schedule_of() {
	"$CELLDESK" --db "$1" cycle list --format csv &&
		"$CELLDESK" --db "$1" agenda --date "$from" --days 366 --format csv &&
		"$CELLDESK" --db "$1" agenda --date "$upto" --days 366 --format csv
}

step "same seed and clock give the same calendar"
schedule_of "$a" >"$tmp/sched.a" 2>&1 || fail "cannot list the calendar of a: $(head -c 300 "$tmp/sched.a")"
schedule_of "$b" >"$tmp/sched.b" 2>&1 || fail "cannot list the calendar of b"
if ! cmp -s "$tmp/sched.a" "$tmp/sched.b"; then
	# The calendar is placed around the clock (in whole 5 minutes): a
	# and b may have been made on either side of such a mark. Then a
	# third one, made now, must equal b (two marks are 5 minutes apart).
	echo "   (a and b differ; making a third database to tell a clock step from a fault)"
	cdk 0 --db "$tmp/f.db" init
	cdk 0 --db "$tmp/f.db" demo --seed 7
	schedule_of "$tmp/f.db" >"$tmp/sched.f" 2>&1
	if cmp -s "$tmp/sched.b" "$tmp/sched.f"; then ok; else
		fail "the demo calendar differs between databases filled with --seed 7 moments apart"
		diff "$tmp/sched.b" "$tmp/sched.f" | head -20 | cat -v
	fi
else
	ok
fi
if [ "$(wc -l <"$tmp/sched.a")" -ge 2000 ]; then ok; else
	fail "the demo calendar has only $(wc -l <"$tmp/sched.a") lines of cycles and visits"
fi

step "cycles of every protocol at every site, some cancelled"
cdk 0 --db "$a" cycle list --format json && json_valid &&
	json_assert 'len({(x["site"], x["protocol"]) for x in d}) == 9' \
		"hip-autologous-4, knee-donor-3 and tendon-autologous-3 at Kyiv, Berlin and New York" &&
	json_assert 'any(x["status"] == "cancelled" for x in d) and sum(x["status"] == "active" for x in d) > len(d) / 2' \
		"most cycles active, some cancelled"

step "visits in the past mostly done, ahead only booked or cancelled"
# visit_checks FILE... - reads agenda JSON files; prints what is wrong
# with the visits' statuses, nothing when all is well.
visit_checks() {
	python3 - "$@" <<'EOF'
import datetime as dt, json, sys
from zoneinfo import ZoneInfo
zones = {"Kyiv": "Europe/Kyiv", "Berlin": "Europe/Berlin", "New York": "America/New_York"}
now = dt.datetime.now(dt.timezone.utc)
v = [x for f in sys.argv[1:] for x in json.load(open(f, encoding="utf-8"))]
start = lambda x: dt.datetime.fromisoformat(x["start"])
today = lambda x: now.astimezone(ZoneInfo(zones[x["site"]])).date()
past = [x for x in v if start(x).date() < today(x)]
ahead = [x for x in v if start(x) > now + dt.timedelta(minutes=5)]
bad = []
if not past or not ahead:
    bad.append("%d visits before today and %d ahead" % (len(past), len(ahead)))
done = sum(x["status"] == "done" for x in past)
if past and done < 0.8 * len(past):
    bad.append("only %d of %d past visits are done" % (done, len(past)))
for s in ("no-show", "cancelled-by-patient", "cancelled-by-clinic"):
    if not any(x["status"] == s for x in past):
        bad.append("no past visit is " + s)
if [x for x in past if x["status"] in ("booked", "checked-in")]:
    bad.append("past visits still booked or checked in")
if not any(x["status"] == "booked" for x in ahead):
    bad.append("nothing booked ahead")
if not any(x["status"].startswith("cancelled") for x in ahead):
    bad.append("no visit ahead is cancelled")
if [x for x in ahead if x["status"] in ("done", "no-show")]:
    bad.append("visits ahead are done or missed")
if [x for x in v if x["status"] == "checked-in" and start(x).date() != today(x)]:
    bad.append("check-ins on another day than today")
print("; ".join(bad))
EOF
}
cdk 0 --db "$a" agenda --date "$from" --days 366 --format json && json_valid && cp "$OUT" "$tmp/v1.json"
cdk 0 --db "$a" agenda --date "$upto" --days 366 --format json && json_valid && cp "$OUT" "$tmp/v2.json"
why=$(visit_checks "$tmp/v1.json" "$tmp/v2.json" 2>&1)
if [ -z "$why" ]; then ok; else fail "demo visits: $why"; fi

step "Kyiv has a week ahead; the front desk has calls to make"
cdk 0 --db "$a" agenda --site Kyiv --days 7 --format json && json_valid &&
	json_assert 'len(d) >= 10 and {x["site"] for x in d} == {"Kyiv"}' "at least 10 visits at Kyiv in the coming 7 days"
calls=0
for i in 0 1 2 3 4 5 6; do
	cdk 0 --db "$a" calls --date "$(date -u -d "+$i days" +%F)" --format csv
	calls=$((calls + $(tail -n +2 "$OUT" | wc -l)))
done
if [ "$calls" -ge 10 ]; then ok; else fail "only $calls calls in the coming 7 days"; fi

step "--scale small is the default"
cdk 0 --db "$c" init
cdk 0 --db "$c" demo --seed 7 --scale small
cdk 0 --db "$c" patient list --format csv
cmp -s "$tmp/a.csv" "$OUT" && ok || fail "demo --seed 7 --scale small differs from demo --seed 7"

step "three sites in their time zones"
cdk 0 --db "$a" site list --format json && json_valid &&
	json_assert '{(x["name"], x["tz"]) for x in d} >= {("Kyiv","Europe/Kyiv"), ("Berlin","Europe/Berlin"), ("New York","America/New_York")}' \
		"Kyiv/Europe/Kyiv, Berlin/Europe/Berlin, New York/America/New_York"

step "staff cover every role"
cdk 0 --db "$a" staff list --format json && json_valid &&
	json_assert '{"frontdesk","lab","clinician","admin"} <= {r for x in d if truthy(x["active"]) for r in roles_of(x)}' \
		"active staff have roles frontdesk, lab, clinician and admin"

step "patients: Cyrillic names, sites, valid dates"
cdk 0 --db "$a" patient list --format json --limit 100000
json_valid
json_assert 'any(any("\u0400" <= ch <= "\u04ff" for ch in x["name"]) for x in d)' "some names are Cyrillic"
json_assert 'len({x["site"] for x in d}) >= 2' "patients at more than one site"
json_assert 'all(__import__("re").fullmatch(r"\d{4}-\d{2}-\d{2}", x["dob"]) for x in d)' "every dob is YYYY-MM-DD"
json_assert 'len({x["mrn"] for x in d}) == len(d)' "MRNs are unique"

step "resources exist at the sites"
cdk 0 --db "$a" resource list --format json && json_valid && json_assert 'len(d) > 0' "demo made resources"

step "the demo's audit chain verifies"
cdk 0 --db "$a" audit verify && expect_out "Audit chain intact:"
cdk 0 --db "$b" audit verify

step "demo on a database that already has patients is refused (exit 1)"
fp=$(db_fingerprint "$a")
cdk 1 --db "$a" demo --seed 7
cdk 1 --db "$a" demo --seed 8
expect_db_unchanged "$a" "$fp" "demo on a filled database"
d=$tmp/d.db
cdk 0 --db "$d" init
cdk 0 --db "$d" patient add --mrn ONLY1 --name "Only Patient" --dob 1970-01-01
fp=$(db_fingerprint "$d")
cdk 1 --db "$d" demo
expect_db_unchanged "$d" "$fp" "demo on a database with one patient"

step "bad demo arguments (exit 2)"
e=$tmp/e.db
cdk 0 --db "$e" init
fp=$(db_fingerprint "$e")
cdk 2 --db "$e" demo --scale huge
cdk 2 --db "$e" demo --seed seven
expect_db_unchanged "$e" "$fp" "demo with bad arguments"

finish
