#!/bin/bash
# test_basics.sh - version, help at every level, usage errors, init,
# and the add/list/show/edit round trip with every --format.
. "$(dirname "$0")/lib.sh"

db=$tmp/clinic.db
me=$(id -un)
default_db=$XDG_DATA_HOME/celldesk/clinic.db

step "--version"
cdk 0 --version && expect_out_re '^celldesk [0-9]+\.[0-9]+\.[0-9]+$'

step "--help and -h at the top level"
cdk 0 --help && { [ -s "$OUT" ] && ok || fail "celldesk --help printed nothing on stdout"; }
cdk 0 -h && { [ -s "$OUT" ] && ok || fail "celldesk -h printed nothing on stdout"; }

step "--help at every command level (no database needed)"
for lvl in "init" "staff" "staff add" "staff list" "staff disable" "staff enable" \
	"site" "site add" "site list" "resource" "resource add" "resource list" \
	"patient" "patient add" "patient list" "patient show" "patient edit" \
	"audit" "audit verify" "audit log" "backup" "demo"; do
	# shellcheck disable=SC2086
	if cdk 0 $lvl --help; then
		[ -s "$OUT" ] && ok || fail "'celldesk $lvl --help' printed nothing on stdout"
	fi
done
# help for patient add should mention its options
cdk 0 patient add --help && expect_out "--mrn" && expect_out "--dob"
if [ -e "$default_db" ] || [ -e "$XDG_DATA_HOME/celldesk" ]; then
	fail "--help created a database or its directory at $default_db"
else
	ok
fi

step "usage errors exit 2"
cdk 2 frobnicate
cdk 2 --frobnicate
cdk 2 --db

step "init creates the database, the invoker becomes first admin"
cdk 0 --db "$db" init
expect_init_db "$db"
expect_out "Unix account '$me' is the first admin."
[ -f "$db" ] && ok || fail "init did not create $db"

step "init creates the database's directory"
db2=$tmp/new/sub/dir/clinic.db
cdk 0 --db "$db2" init && expect_init_db "$db2"
[ -f "$db2" ] && ok || fail "init did not create $db2 (and its directory)"

step "usage errors on an existing database exit 2"
cdk 2 --db "$db" patient frobnicate
cdk 2 --db "$db" patient list --frobnicate
cdk 2 --db "$db" patient show
cdk 2 --db "$db" patient add --mrn X1 --name "No Dob"
cdk 2 --db "$db" patient list --limit

step "staff list shows the first admin"
cdk 0 --db "$db" staff list && expect_out "$me" && expect_out "admin"
cdk 0 --db "$db" staff list --format json && json_valid &&
	ME=$me json_assert 'any(x["user"] == E["ME"] and "admin" in roles_of(x) and truthy(x["active"]) for x in d)' \
		"staff list has $me, role admin, active"
cdk 0 --db "$db" --format csv staff list && csv_header_is "user,name,roles,active" &&
	ME=$me csv_assert 'any(x["user"] == E["ME"] and "admin" in x["roles"] for x in r)' "csv staff row for $me"

step "empty listings: json is [] and csv is the header"
cdk 0 --db "$db" patient list --format json && json_valid && json_assert 'd == []' "empty patient list is []"
cdk 0 --db "$db" site list --format json && json_valid && json_assert 'd == []' "empty site list is []"
cdk 0 --db "$db" resource list --format json && json_valid && json_assert 'd == []' "empty resource list is []"
cdk 0 --db "$db" patient list --format csv && csv_header_is "mrn,name,dob,phone,site" &&
	csv_assert 'len(rows) == 1' "empty csv patient list has only the header"

step "init again is idempotent"
fp=$(db_fingerprint "$db")
cdk 0 --db "$db" init && expect_init_db "$db"
expect_no_out "first admin" "second init must not make a first admin again"
expect_db_unchanged "$db" "$fp" "second init"

step "site add / site list"
cdk 0 --db "$db" site add Kyiv --tz Europe/Kyiv --hours "mon-fri 08:00-18:00, sat 09:00-13:00"
cdk 0 --db "$db" site add Berlin --tz Europe/Berlin
cdk 0 --db "$db" site list && expect_out "Kyiv" && expect_out "Europe/Kyiv" && expect_out "Europe/Berlin"
cdk 0 --db "$db" site list --format json && json_valid &&
	json_assert 'sorted(d[0].keys()) == sorted(["name","tz","hours"])' "site keys are name, tz, hours" &&
	json_assert 'any(x["name"]=="Kyiv" and x["tz"]=="Europe/Kyiv" and "sat" in x["hours"] for x in d)' "Kyiv with saturday hours" &&
	json_assert 'any(x["name"]=="Berlin" and x["tz"]=="Europe/Berlin" and "08:00-18:00" in x["hours"] for x in d)' "Berlin with default hours"
cdk 0 --db "$db" site list --format csv && csv_header_is "name,tz,hours" &&
	csv_assert 'len(r) == 2 and {x["name"] for x in r} == {"Kyiv","Berlin"}' "two sites in csv"

step "resource add / resource list"
cdk 0 --db "$db" resource add "Room 1" --site Kyiv --kind room --tags ultrasound,fluoroscopy
cdk 0 --db "$db" resource add "C-arm" --site Berlin --kind device
cdk 0 --db "$db" resource list && expect_out "Room 1" && expect_out "C-arm"
cdk 0 --db "$db" resource list --site Berlin && expect_out "C-arm" && expect_no_out "Room 1" "--site Berlin filter"
cdk 0 --db "$db" resource list --format json && json_valid &&
	json_assert 'sorted(d[0].keys()) == sorted(["name","site","kind","tags"])' "resource keys" &&
	json_assert 'any(x["name"]=="Room 1" and x["site"]=="Kyiv" and x["kind"]=="room" and "ultrasound" in str(x["tags"]) for x in d)' "Room 1 row"
cdk 0 --db "$db" resource list --format csv && csv_header_is "name,site,kind,tags" &&
	csv_assert 'len(r) == 2' "two resources in csv"
cdk 2 --db "$db" resource add "Bad" --site Kyiv --kind spaceship

step "patient add / list / show"
cdk 0 --db "$db" patient add --mrn KY-0001 --name "Anna Test" --dob 1960-05-17 \
	--phone "+380 44 123 4567" --site Kyiv --language uk --condition "hip osteoarthritis" --notes "first visit"
expect_out "Added patient KY-0001."
cdk 0 --db "$db" patient add --mrn BE-0002 --name "Bernd Beispiel" --dob 1955-01-31 --site Berlin
expect_out "Added patient BE-0002."
cdk 0 --db "$db" patient list && expect_out "KY-0001" && expect_out "Anna Test" && expect_out "BE-0002"
first=$(head -n 1 "$OUT")
case $first in
*[Mm][Rr][Nn]*) ok ;;
*) fail "text patient list: first line should be a header naming MRN, got: $first" ;;
esac
cdk 0 --db "$db" patient show KY-0001
for kv in "mrn: KY-0001" "name: Anna Test" "dob: 1960-05-17" "phone: +380 44 123 4567" \
	"site: Kyiv" "language: uk" "condition: hip osteoarthritis" "notes: first visit"; do
	expect_out "$kv"
done
expect_out_re '^created: ' && expect_out_re '^updated: '
cdk 0 --db "$db" patient show KY-0001 --format json && json_valid &&
	json_assert 'isinstance(d, dict) and sorted(d.keys()) == sorted(["mrn","name","dob","phone","site","language","condition","notes","created","updated"])' "patient show json keys" &&
	json_assert 'd["mrn"]=="KY-0001" and d["name"]=="Anna Test" and d["dob"]=="1960-05-17" and d["site"]=="Kyiv"' "patient show json values"

step "patient list in csv and json (format before and after the command)"
cdk 0 --db "$db" --format csv patient list && csv_header_is "mrn,name,dob,phone,site" &&
	csv_assert 'any(x["mrn"]=="KY-0001" and x["name"]=="Anna Test" and x["dob"]=="1960-05-17" and x["site"]=="Kyiv" for x in r)' "KY-0001 csv row" &&
	csv_assert 'len(r) == 2' "two patients"
cdk 0 --db "$db" patient list --format json && json_valid &&
	json_assert 'isinstance(d, list) and len(d) == 2' "two patients" &&
	json_assert 'sorted(d[0].keys()) == sorted(["mrn","name","dob","phone","site"])' "patient list keys" &&
	json_assert 'any(x["mrn"]=="BE-0002" and x["site"]=="Berlin" for x in d)' "BE-0002 row"
cdk 0 --db "$db" --format json patient list && json_valid && json_assert 'len(d) == 2'

step "patient list --search and --limit"
for q in ann ANNA test KY- 380441234567; do
	cdk 0 --db "$db" patient list --search "$q" --format json && json_valid &&
		json_assert '[x["mrn"] for x in d] == ["KY-0001"]' "--search '$q' finds only KY-0001"
done
cdk 0 --db "$db" patient list --search "beisp" --format json && json_assert '[x["mrn"] for x in d] == ["BE-0002"]' "--search beisp"
cdk 0 --db "$db" patient list --search "zzzz" --format json && json_assert 'd == []' "--search zzzz finds nothing"
cdk 0 --db "$db" patient list --limit 1 --format json && json_assert 'len(d) == 1' "--limit 1"

step "patient edit round trip"
cdk 0 --db "$db" patient edit KY-0001 --name "Anna Testenko" --phone "+380 44 765 4321" \
	--condition "knee osteoarthritis" --reason "patient called"
cdk 0 --db "$db" patient show KY-0001 && expect_out "name: Anna Testenko" &&
	expect_out "phone: +380 44 765 4321" && expect_out "condition: knee osteoarthritis" &&
	expect_out "dob: 1960-05-17" && expect_out "site: Kyiv"
cdk 0 --db "$db" patient edit KY-0001 --site Berlin --dob 1960-05-18
cdk 0 --db "$db" patient show KY-0001 --format json &&
	json_assert 'd["site"]=="Berlin" and d["dob"]=="1960-05-18" and d["name"]=="Anna Testenko"' "edited values"

step "audit log formats"
cdk 0 --db "$db" audit log --format json && json_valid &&
	json_assert 'len(d) > 0 and sorted(d[0].keys()) == sorted(["seq","at","actor","action","table","row","reason","old","new"])' "audit log keys"
cdk 0 --db "$db" audit log --format csv && csv_header_is "seq,at,actor,action,table,row,reason,old,new"
cdk 0 --db "$db" staff list --format json && json_valid

step "no command with stdin not a terminal prints the patient list"
cdk 0 --db "$db" && expect_out "KY-0001" && expect_out "BE-0002"

finish
