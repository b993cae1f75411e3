#!/bin/bash
# test_audit.sh - the audit trail: `audit verify` on an intact chain,
# `audit log` and its filters (old/new values, reason), triggers that refuse
# UPDATE/DELETE on the audit table, and detection of tampering once the
# triggers are dropped (edited value, deleted middle record, edited actor).
. "$(dirname "$0")/lib.sh"

db=$tmp/clinic.db
me=$(id -un)
reason="Patient phoned: name was misspelled"
start_day=$(date -u +%Y-%m-%d) # before the first record (the test may cross midnight)

cdk 0 --db "$db" init || die "init failed"
cdk 0 --db "$db" site add Kyiv --tz Europe/Kyiv || die "site add failed"
cdk 0 --db "$db" patient add --mrn A1 --name "Old Name" --dob 1950-03-04 --phone "+380 50 000 0001" --site Kyiv ||
	die "patient add failed"
cdk 0 --db "$db" patient add --mrn A2 --name "Second Patient" --dob 1961-07-08 --site Kyiv
cdk 0 --db "$db" patient add --mrn A3 --name "Third Patient" --dob 1972-11-12
cdk 0 --db "$db" patient edit A1 --name "New Name" --reason "$reason" || die "patient edit failed"
cdk 0 --db "$db" patient edit A1 --phone "+380 50 000 0002" --reason "new phone number"

sql_count() { sq "$db" "SELECT count(*) FROM audit;"; }
sql_head() {
	sq "$1" "SELECT CASE typeof(hash) WHEN 'blob' THEN lower(hex(hash)) ELSE lower(hash) END FROM audit ORDER BY seq DESC LIMIT 1;"
}

step "the audit table exists with the documented columns"
cols=$(sq "$db" "SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_table_info('audit') ORDER BY name);")
want_cols="action,actor,at,hash,new,old,prev_hash,reason,row_key,seq,tbl"
[ "$cols" = "$want_cols" ] && ok || fail "audit table columns are '$cols', expected (sorted) '$want_cols'"
n=$(sql_count)
[ "${n:-0}" -ge 6 ] && ok || fail "expected at least 6 audit records after 6 changes, found '${n}'"

step "audit verify on an intact chain"
if cdk 0 --db "$db" audit verify; then
	expect_out_re "^Audit chain intact: $n records, head [0-9a-f]{64}\.$"
	head=$(sql_head "$db")
	expect_out "head $head." "head is the hash of the last record"
fi

step "audit log shows old and new values and the reason"
# the record of the name edit
edit_seq=$(sq "$db" "SELECT seq FROM audit WHERE new LIKE '%New Name%' AND old LIKE '%Old Name%' ORDER BY seq LIMIT 1;")
[ -n "$edit_seq" ] && ok || fail "no audit record with old 'Old Name' and new 'New Name'"
ptbl=$(sq "$db" "SELECT tbl FROM audit WHERE seq = ${edit_seq:-0};")
prow=$(sq "$db" "SELECT row_key FROM audit WHERE seq = ${edit_seq:-0};")
export edit_seq ptbl prow reason me
cdk 0 --db "$db" audit log && expect_out "Old Name" && expect_out "New Name" && expect_out "$reason"
cdk 0 --db "$db" audit log --format json && json_valid &&
	json_assert 'any(str(x["seq"]) == E["edit_seq"] and "Old Name" in str(x["old"]) and "New Name" in str(x["new"]) and x["reason"] == E["reason"] and x["actor"] == E["me"] for x in d)' \
		"record $edit_seq has old 'Old Name', new 'New Name', the reason and actor $me" &&
	json_assert "len(d) == $n" "audit log lists all $n records"

step "audit log --table"
cdk 0 --db "$db" audit log --table "$ptbl" --format json && json_valid &&
	json_assert 'len(d) >= 5 and all(x["table"] == E["ptbl"] for x in d)' "only table $ptbl records, at least 5" &&
	json_assert 'any(str(x["seq"]) == E["edit_seq"] for x in d)' "includes the edit"
cdk 0 --db "$db" audit log --table no_such_table --format json && json_assert 'd == []' "unknown table gives []"

step "audit log --row"
cdk 0 --db "$db" audit log --table "$ptbl" --row "$prow" --format json && json_valid &&
	json_assert 'len(d) == 3 and all(str(x["row"]) == E["prow"] for x in d)' "3 records (add + 2 edits) for row $prow" &&
	json_assert 'any("0002" in str(x["new"]) and "0001" in str(x["old"]) for x in d)' "phone edit has old and new phone"
cdk 0 --db "$db" audit log --row "$prow" --format json && json_valid &&
	json_assert 'len(d) >= 3 and all(str(x["row"]) == E["prow"] for x in d)' "--row alone"
cdk 0 --db "$db" audit log --row "$prow" && expect_out "$reason" && expect_out "new phone number"

step "audit log --since"
cdk 0 --db "$db" audit log --since "$start_day" --format json && json_assert "len(d) == $n" "--since $start_day (today) lists all $n"
cdk 0 --db "$db" audit log --since 2000-01-01 --format json && json_assert "len(d) == $n" "--since 2000-01-01 lists all"
cdk 0 --db "$db" audit log --since 2999-01-01 --format json && json_assert 'd == []' "--since 2999-01-01 lists none"
cdk 2 --db "$db" audit log --since 2024-02-30 && expect_err "--since"
cdk 2 --db "$db" audit log --since yesterday && expect_err "--since"

step "audit log --limit"
cdk 0 --db "$db" audit log --limit 2 --format json && json_assert 'len(d) == 2' "--limit 2"
cdk 0 --db "$db" audit log --limit 1 --table "$ptbl" --format json && json_assert 'len(d) == 1' "--limit 1 --table"
cdk 2 --db "$db" audit log --limit many

step "a refused command writes no audit record"
cdk 2 --db "$db" patient edit A1 --dob 2024-02-30
[ "$(sql_count)" = "$n" ] && ok || fail "audit record count changed after a refused edit"

step "each change adds a record and verify counts it"
cdk 0 --db "$db" patient edit A2 --notes "allergic to latex" --reason "intake form"
n2=$(sql_count)
[ "$n2" -gt "$n" ] && ok || fail "patient edit added no audit record ($n -> $n2)"
cdk 0 --db "$db" audit verify && expect_out "Audit chain intact: $n2 records"
n=$n2

step "the database refuses UPDATE and DELETE on audit (triggers)"
fp=$(db_fingerprint "$db")
if sqlite3 "$db" "UPDATE audit SET reason = 'tampered' WHERE seq = $edit_seq;" >"$OUT" 2>"$ERR"; then
	fail "sqlite3 UPDATE audit succeeded; a trigger must refuse it"
else
	ok
	expect_err_i "audit"
fi
if sqlite3 "$db" "DELETE FROM audit;" >"$OUT" 2>"$ERR"; then
	fail "sqlite3 DELETE FROM audit succeeded; a trigger must refuse it"
else
	ok
	expect_err_i "audit"
fi
if sqlite3 "$db" "DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit);" >"$OUT" 2>"$ERR"; then
	fail "sqlite3 DELETE of the last audit record succeeded; a trigger must refuse it"
else
	ok
fi
expect_db_unchanged "$db" "$fp" "refused sqlite3 UPDATE/DELETE on audit"
triggers=$(sq "$db" "SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name='audit';")
[ -n "$triggers" ] && ok || fail "no trigger on the audit table"

# tampered_copy NAME - sets $copy to a copy of the database without the
# audit triggers
tampered_copy() {
	local t
	copy=$tmp/$1.db
	sqlite3 "$db" ".backup '$copy'" || fail "sqlite3 .backup to $copy failed"
	for t in $(sq "$copy" "SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name='audit';"); do
		sq "$copy" "DROP TRIGGER \"$t\";" || fail "could not drop trigger $t"
	done
}

step "an edited new value is detected and named by seq"
tampered_copy edited
c1=$copy
sq "$c1" "UPDATE audit SET new = replace(new, 'New Name', 'Forged Name') WHERE seq = $edit_seq;" ||
	fail "could not tamper with the copy"
[ "$(sq "$c1" "SELECT count(*) FROM audit WHERE new LIKE '%Forged Name%';")" = 1 ] && ok ||
	fail "tampering with record $edit_seq did not take"
RUN_NO_ERRLINE=1 cdk 1 --db "$c1" audit verify &&
	expect_any_re "[Aa]udit chain broken at record $edit_seq([^0-9]|$)"

step "a deleted middle record is detected"
tampered_copy deleted
c2=$copy
mid=$(sq "$c2" "SELECT seq FROM audit ORDER BY seq LIMIT 1 OFFSET $((n / 2));")
next=$(sq "$c2" "SELECT min(seq) FROM audit WHERE seq > $mid;")
sq "$c2" "DELETE FROM audit WHERE seq = $mid;" || fail "could not delete record $mid from the copy"
RUN_NO_ERRLINE=1 cdk 1 --db "$c2" audit verify &&
	expect_any_re "[Aa]udit chain broken at record ($mid|$next)([^0-9]|$)"

step "an edited actor of the first record is detected"
tampered_copy actor
c3=$copy
first=$(sq "$c3" "SELECT min(seq) FROM audit;")
sq "$c3" "UPDATE audit SET actor = 'mallory' WHERE seq = $first;" || fail "could not tamper with the copy"
RUN_NO_ERRLINE=1 cdk 1 --db "$c3" audit verify &&
	expect_any_re "[Aa]udit chain broken at record $first([^0-9]|$)"

step "an appended forged record is detected"
tampered_copy forged
c4=$copy
last=$(sq "$c4" "SELECT max(seq) FROM audit;")
if sq "$c4" "INSERT INTO audit(seq, at, actor, action, tbl, row_key, old, new, reason, prev_hash, hash)
	SELECT seq + 1, at, actor, action, tbl, row_key, new, replace(new, 'allergic', 'not allergic'), 'forged', hash, hash
	FROM audit WHERE seq = $last;" 2>"$tmp/ins.err"; then
	RUN_NO_ERRLINE=1 cdk 1 --db "$c4" audit verify &&
		expect_any_re "[Aa]udit chain broken at record $((last + 1))([^0-9]|$)"
else
	echo "   (the schema refused the forged INSERT itself: $(head -c 200 "$tmp/ins.err"))"
	ok
fi

step "the original database still verifies"
cdk 0 --db "$db" audit verify && expect_out "Audit chain intact: $n records"

finish
