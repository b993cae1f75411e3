#!/bin/bash
# test_foreign_db.sh - files that are not (usable) celldesk databases are
# refused with exit 3 and left byte-identical, with no -wal/-shm/-journal
# file beside them; a missing database is created only by `init`.
. "$(dirname "$0")/lib.sh"

me=$(id -un)

# no_sidecars FILE - no -wal, -shm or -journal file left beside FILE
no_sidecars() {
	local s found=""
	for s in -wal -shm -journal; do
		[ -e "$1$s" ] && found="$found $1$s"
	done
	if [ -n "$found" ]; then
		fail "files left beside $1:$found"
		return 1
	fi
	ok
}

# refused_untouched FILE WHAT - every command below exits 3 on FILE, and
# FILE stays byte-identical.
refused_untouched() {
	local f=$1 what=$2 args
	cp -p "$f" "$f.orig"
	no_sidecars "$f" || rm -f "$f-wal" "$f-shm" "$f-journal"
	for args in "patient list" "init" "patient add --mrn X1 --name Xavier --dob 1970-01-01" \
		"staff list" "audit verify" "site add Kyiv --tz Europe/Kyiv"; do
		# shellcheck disable=SC2086
		cdk 3 --db "$f" $args
		if cmp -s "$f" "$f.orig"; then ok; else
			fail "$what was modified by 'celldesk $args'"
			cp -p "$f.orig" "$f"
		fi
		no_sidecars "$f" || rm -f "$f-wal" "$f-shm" "$f-journal"
	done
	rm -f "$f.orig"
}

step "a text file"
f=$tmp/notes.txt
printf 'Patient list, do not lose!\nAnna Test, 1960-05-17\n' >"$f"
refused_untouched "$f" "a text file"

step "a random 8 KiB binary file"
f=$tmp/random.bin
head -c 8192 /dev/urandom >"$f"
refused_untouched "$f" "a random binary file"

step "a SQLite database of another application (application_id 1234)"
f=$tmp/other.db
sqlite3 "$f" "PRAGMA application_id=1234; CREATE TABLE t(x); INSERT INTO t VALUES ('keep me');" ||
	fail "sqlite3 could not create $f"
refused_untouched "$f" "another application's SQLite database"

step "a plain SQLite database with someone's tables (application_id 0)"
f=$tmp/plain.db
sqlite3 "$f" "CREATE TABLE invoices(id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices(total) VALUES (12.5);" ||
	fail "sqlite3 could not create $f"
refused_untouched "$f" "a plain SQLite database"

step "a celldesk database with a newer schema (user_version 999)"
f=$tmp/newer.db
cdk 0 --db "$f" init || die "init failed"
sq "$f" "PRAGMA user_version=999;"
[ "$(sq "$f" "PRAGMA user_version;")" = 999 ] && ok || fail "could not set user_version to 999"
cdk 3 --db "$f" patient list && expect_err_re '[Nn]ewer|999'
refused_untouched "$f" "a celldesk database with a newer schema"

step "a celldesk database with a corrupted header"
f=$tmp/corrupt.db
cdk 0 --db "$f" init || die "init failed"
cdk 0 --db "$f" patient add --mrn C1 --name "Corrupt Test" --dob 1970-01-01
printf '\377\377\377\377\377\377\377\377' | dd of="$f" bs=1 seek=16 conv=notrunc 2>/dev/null
refused_untouched "$f" "a corrupted celldesk database"

step "a directory given as the database"
d=$tmp/adir
mkdir "$d"
cdk 3 --db "$d" patient list
cdk 3 --db "$d" init
[ -z "$(ls -A "$d")" ] && ok || fail "files created inside directory $d: $(ls -A "$d")"

step "a missing database is an error for every command but init"
f=$tmp/missing/clinic.db
for args in "patient list" "patient add --mrn X1 --name Xavier --dob 1970-01-01" "staff list" \
	"audit verify" "audit log" "site list" "patient show X1" "backup $tmp/missing-backup.db"; do
	# shellcheck disable=SC2086
	cdk 3 --db "$f" $args && expect_err "celldesk init"
	[ -e "$f" ] && { fail "'celldesk $args' created $f"; rm -f "$f"; } || ok
	[ -e "$tmp/missing" ] && { fail "'celldesk $args' created directory $tmp/missing"; rm -rf "$tmp/missing"; } || ok
done
[ -e "$tmp/missing-backup.db" ] && fail "backup of a missing database created $tmp/missing-backup.db" || ok
f=$tmp/missing.db
cdk 3 --db "$f" patient list && expect_err "celldesk init"
[ -e "$f" ] && fail "patient list created $f" || ok
no_sidecars "$f"

step "a missing database at the default path is not created either"
cdk 3 patient list && expect_err "celldesk init"
[ -e "$XDG_DATA_HOME/celldesk" ] && fail "patient list created $XDG_DATA_HOME/celldesk" || ok
CELLDESK_DB=$tmp/env-missing.db cdk 3 staff list && expect_err "celldesk init"
[ -e "$tmp/env-missing.db" ] && fail "staff list created \$CELLDESK_DB $tmp/env-missing.db" || ok

step "a zero-length file is refused by other commands, left as it is"
f=$tmp/empty.db
: >"$f"
for args in "patient list" "staff list" "patient add --mrn X1 --name Xavier --dob 1970-01-01"; do
	# shellcheck disable=SC2086
	cdk 3 --db "$f" $args
	[ -f "$f" ] && [ ! -s "$f" ] && ok || fail "'celldesk $args' changed the zero-length file $f"
	no_sidecars "$f" || rm -f "$f-wal" "$f-shm" "$f-journal"
done

step "init treats a zero-length file as a new database"
cdk 0 --db "$f" init && expect_init_db "$f" &&
	expect_out "Unix account '$me' is the first admin."
[ -s "$f" ] && ok || fail "init left $f empty"
cdk 0 --db "$f" patient list

step "init creates a missing database"
f=$tmp/fresh/clinic.db
cdk 0 --db "$f" init && expect_init_db "$f"
[ -s "$f" ] && ok || fail "init did not create $f"
cdk 0 --db "$f" patient list --format json && json_assert 'd == []'

finish
