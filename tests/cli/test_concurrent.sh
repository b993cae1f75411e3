#!/usr/bin/env bash
# test_concurrent.sh - front-desk users writing at the same moment: every
# write lands exactly once, an MRN two desks register at once exists once,
# and the audit chain stays whole (BEGIN IMMEDIATE and the busy timeout).
. "$(dirname "$0")/lib.sh"

db=$tmp/clinic.db
cdk 0 --db "$db" init
cdk 0 --db "$db" site add Kyiv --tz Europe/Kyiv

step "four writers, 25 patients each, at the same time"
for w in 1 2 3 4; do
	(
		for i in $(seq 1 25); do
			"$CELLDESK" --db "$db" patient add --mrn "W$w-$i" --name "Writer $w Patient $i" \
				--dob 1970-01-01 --site Kyiv >/dev/null 2>>"$tmp/writer$w.err" ||
				echo "W$w-$i" >>"$tmp/writer$w.failed"
		done
	) &
done
wait
if ls "$tmp"/writer*.failed >/dev/null 2>&1; then
	fail "some concurrent writes failed: $(cat "$tmp"/writer*.failed | tr '\n' ' ')"
	cat "$tmp"/writer*.err
else
	ok
fi
count=$(sqlite3 "$db" 'SELECT count(*) FROM patients')
[ "$count" = 100 ] && ok || fail "expected 100 patients after the concurrent writers, found $count"

step "the same MRN registered by two desks at once exists once"
(
	"$CELLDESK" --db "$db" patient add --mrn RACE-1 --name "Desk One" --dob 1960-05-05 \
		>"$tmp/race1.out" 2>&1
	echo $? >"$tmp/race1.rc"
) &
(
	"$CELLDESK" --db "$db" patient add --mrn RACE-1 --name "Desk Two" --dob 1960-05-05 \
		>"$tmp/race2.out" 2>&1
	echo $? >"$tmp/race2.rc"
) &
wait
rcs=$(cat "$tmp/race1.rc" "$tmp/race2.rc" | sort | tr '\n' ' ')
[ "$rcs" = "0 1 " ] && ok || fail "one desk should win (exit 0) and one be refused (exit 1); got: $rcs"
grep -q "already exists" "$tmp/race1.out" "$tmp/race2.out" && ok ||
	fail "the losing desk is not told the MRN already exists"
n=$(sqlite3 "$db" "SELECT count(*) FROM patients WHERE mrn = 'RACE-1'")
[ "$n" = 1 ] && ok || fail "MRN RACE-1 is stored $n times"

step "the audit chain is whole: one record per change, in sequence"
cdk 0 --db "$db" audit verify
expect_out "Audit chain intact"
audits=$(sqlite3 "$db" "SELECT count(*) FROM audit WHERE tbl = 'patients'")
[ "$audits" = 101 ] && ok || fail "expected 101 patient audit records, found $audits"

finish
