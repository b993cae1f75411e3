#!/bin/bash
# test_backup.sh - `backup FILE` makes a database celldesk reads with the
# same patients and whose audit chain verifies; it refuses to overwrite an
# existing file; a backup taken while another process writes succeeds and
# verifies.
. "$(dirname "$0")/lib.sh"

db=$tmp/clinic.db

cdk 0 --db "$db" init || die "init failed"
cdk 0 --db "$db" site add Kyiv --tz Europe/Kyiv
cdk 0 --db "$db" site add "New York" --tz America/New_York
for i in 1 2 3 4 5; do
	cdk 0 --db "$db" patient add --mrn "P$i" --name "Patient Number$i" --dob "1960-0$i-1$i" --site Kyiv
done
cdk 0 --db "$db" patient add --mrn P6 --name "Олена Коваленко" --dob 1970-06-06 --site "New York"
cdk 0 --db "$db" patient edit P2 --name "Patient Renamed" --reason "typo"

step "backup to a new file"
b1=$tmp/backups/b1.db
mkdir -p "$tmp/backups"
cdk 0 --db "$db" backup "$b1"
[ -s "$b1" ] && ok || die "backup did not create $b1"
cdk 0 --db "$db" patient list --format csv && cp "$OUT" "$tmp/orig.csv"
cdk 0 --db "$b1" patient list --format csv && cp "$OUT" "$tmp/b1.csv"
if cmp -s "$tmp/orig.csv" "$tmp/b1.csv"; then ok; else
	fail "patient list of the backup differs from the original"
	diff "$tmp/orig.csv" "$tmp/b1.csv" | head -20
fi
cdk 0 --db "$b1" patient list && expect_out "Patient Renamed" && expect_out "Олена Коваленко"
cdk 0 --db "$b1" site list && expect_out "New York"
cdk 0 --db "$b1" audit verify && expect_out_re '^Audit chain intact: [0-9]+ records, head [0-9a-f]{64}\.$'
cdk 0 --db "$b1" audit log --format json && json_assert 'any("Patient Renamed" in str(x["new"]) for x in d)' "edit in the backup's audit log"
cdk 0 --db "$db" audit verify
for s in -wal -shm -journal; do
	if [ -e "$b1$s" ]; then fail "backup left $b1$s beside the backup file"; else ok; fi
done

step "the backup is a standalone, complete SQLite file"
res=$(sqlite3 "$b1" "PRAGMA integrity_check;" 2>&1)
[ "$res" = ok ] && ok || fail "integrity_check of the backup: $res"

step "backup refuses to overwrite an existing file (exit 1)"
cp "$b1" "$tmp/b1.copy"
fp=$(db_fingerprint "$db")
cdk 1 --db "$db" backup "$b1"
cmp -s "$b1" "$tmp/b1.copy" && ok || fail "the existing backup file was changed by a refused backup"
echo "precious" >"$tmp/precious.txt"
cdk 1 --db "$db" backup "$tmp/precious.txt"
[ "$(cat "$tmp/precious.txt")" = precious ] && ok || fail "backup overwrote an existing text file"
: >"$tmp/empty-target.db"
cdk 1 --db "$db" backup "$tmp/empty-target.db"
[ ! -s "$tmp/empty-target.db" ] && ok || fail "backup overwrote an existing empty file"
expect_db_unchanged "$db" "$fp" "refused backups"

step "backup while another process is writing"
before=$(sq "$db" "SELECT count(*) FROM audit;")
writer_log=$tmp/writer.log
(
	for i in $(seq 1 150); do
		"$CELLDESK" --db "$db" patient add --mrn "W$i" --name "Writer Patient$i" --dob 1980-01-01 \
			</dev/null >/dev/null 2>>"$writer_log" || echo "write W$i failed with exit $?" >>"$writer_log"
	done
	echo "done" >"$tmp/writer.done"
) &
writer=$!
at_exit "kill $writer"
# wait until the writer has committed something
for _ in $(seq 1 100); do
	[ "$(sq "$db" "SELECT count(*) FROM audit;" 2>/dev/null)" -gt "$before" ] 2>/dev/null && break
	sleep 0.1
done
b2=$tmp/backups/b2.db
cdk 0 --db "$db" backup "$b2"
[ -f "$tmp/writer.done" ] && echo "   (note: the writer had finished before the backup ended)"
# a reader at the same time
cdk 0 --db "$db" patient list --format json && json_valid
wait "$writer"
[ -f "$tmp/writer.done" ] && ok || fail "the background writer did not finish"
if [ -s "$writer_log" ]; then
	fail "patient add failed while a backup ran (busy handling?):"
	head -20 "$writer_log" | cat -v | sed 's/^/   | /'
else
	ok
fi
cdk 0 --db "$b2" audit verify
cdk 0 --db "$b2" patient list --format json --limit 1000 && json_valid &&
	json_assert '6 <= len(d) <= 156' "backup holds between 6 and 156 patients" &&
	json_assert '{"P1","P6"} <= {x["mrn"] for x in d}' "backup holds the patients from before"
nw=$(python3 -c 'import json,sys; print(sum(1 for x in json.load(open(sys.argv[1])) if x["mrn"].startswith("W")))' "$OUT" 2>/dev/null)
na=$(sq "$b2" "SELECT count(*) FROM audit WHERE new LIKE '%Writer Patient%';")
[ -n "$nw" ] && [ "$nw" = "$na" ] && ok ||
	fail "backup is not a consistent snapshot: $nw background patients but $na audit records of them"
echo "   (the concurrent backup holds $nw of the 150 background patients)"
res=$(sqlite3 "$b2" "PRAGMA integrity_check;" 2>&1)
[ "$res" = ok ] && ok || fail "integrity_check of the concurrent backup: $res"
cdk 0 --db "$db" audit verify
cdk 0 --db "$db" patient list --format json --limit 1000 && json_assert 'len(d) == 156' "all 150 background patients were added"

finish
