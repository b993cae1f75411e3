#!/bin/bash
# test_demo.sh - `demo --seed N` fills a fresh database reproducibly:
# same seed, same data; three sites in their zones; staff in every role;
# Cyrillic names; a verifying audit chain; refused on a database that
# already has patients.
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
