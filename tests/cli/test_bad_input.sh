#!/bin/bash
# test_bad_input.sh - malformed or hostile input is refused with the exit
# code of CLI.md, a message naming the field, and an unchanged database;
# hostile-but-legal text (bidi controls, backslashes) is stored and shown
# escaped; non-Latin names are accepted and shown intact.
. "$(dirname "$0")/lib.sh"

db=$tmp/clinic.db

cdk 0 --db "$db" init || die "init failed"
cdk 0 --db "$db" site add Kyiv --tz Europe/Kyiv || die "site add failed"
cdk 0 --db "$db" patient add --mrn KY-1 --name "Anna Test" --dob 1960-05-17 --site Kyiv ||
	die "patient add failed"

# refuse EXIT TEXT ARGS... - celldesk ARGS exits EXIT, stderr contains TEXT
# (fixed string, case-insensitive), database unchanged.
refuse() {
	local want=$1 text=$2 fp
	shift 2
	fp=$(db_fingerprint "$db")
	if cdk "$want" --db "$db" "$@"; then
		[ -z "$text" ] || expect_err_i "$text"
	fi
	expect_db_unchanged "$db" "$fp" "$(printf '%q ' "$@" | cut -c1-200)"
}

step "duplicate MRN (exit 1)"
refuse 1 "a patient with MRN KY-1 already exists" patient add --mrn KY-1 --name "Other Person" --dob 1970-01-01

step "malformed dates (exit 2, names --dob)"
refuse 2 "--dob: '2024-02-30' is not a valid date" patient add --mrn D1 --name "Date One" --dob 2024-02-30
refuse 2 "--dob" patient add --mrn D2 --name "Date Two" --dob 2024-13-01
refuse 2 "2024-13-01" patient add --mrn D2 --name "Date Two" --dob 2024-13-01
refuse 2 "--dob" patient add --mrn D3 --name "Date Three" --dob yesterday
refuse 2 "--dob" patient add --mrn D4 --name "Date Four" --dob 2023-02-29
refuse 2 "--dob" patient add --mrn D5 --name "Date Five" --dob 1960-5-17
refuse 2 "--dob" patient add --mrn D6 --name "Date Six" --dob ""
refuse 2 "--dob" patient edit KY-1 --dob 2024-02-30
refuse 2 "--dob" patient add --mrn D7 --name "No Dob"

step "unknown site (exit 1)"
refuse 1 "Atlantis" patient add --mrn S1 --name "Site One" --dob 1970-01-01 --site Atlantis
refuse 1 "site" patient add --mrn S1 --name "Site One" --dob 1970-01-01 --site Atlantis
refuse 1 "Atlantis" patient edit KY-1 --site Atlantis
refuse 1 "Atlantis" resource add "Room X" --site Atlantis --kind room

step "time zones that do not exist (exit 2, names --tz)"
refuse 2 "--tz" site add Atlantis --tz Europe/Atlantis
refuse 2 "--tz" site add Passwd --tz ../../etc/passwd
refuse 2 "--tz" site add Passwd2 --tz /etc/passwd
refuse 2 "--tz" site add Passwd3 --tz Europe/../../../../etc/passwd
refuse 2 "--tz" site add Empty --tz ""

step "bad names (exit 2, names --name)"
refuse 2 "--name" patient add --mrn N1 --name "" --dob 1970-01-01
refuse 2 "--name" patient edit KY-1 --name ""
long=$(head -c 10000 /dev/zero | tr '\0' A)
refuse 2 "--name" patient add --mrn N2 --name "$long" --dob 1970-01-01
a201=$(head -c 201 /dev/zero | tr '\0' A)
refuse 2 "--name" patient add --mrn N3 --name "$a201" --dob 1970-01-01
zh201=$(python3 -c 'print("Ж"*201)')
refuse 2 "--name" patient add --mrn N4 --name "$zh201" --dob 1970-01-01
refuse 2 "--name" patient add --mrn N5 --name $'\e[31mRed' --dob 1970-01-01
expect_no_err $'\e' "raw ESC echoed in the error message"
refuse 2 "--name" patient edit KY-1 --name $'\e[31mRed'
expect_no_err $'\e' "raw ESC echoed in the error message"
refuse 2 "--name" patient add --mrn N6 --name $'\xff\xfe' --dob 1970-01-01
expect_no_err $'\xff' "raw invalid UTF-8 echoed in the error message"
refuse 2 "--name" patient add --mrn N7 --name $'Line\nBreak' --dob 1970-01-01
refuse 2 "--name" patient add --mrn N8 --name $'Tab\tName' --dob 1970-01-01
refuse 2 "--name" patient add --mrn N9 --name $'Del\x7fName' --dob 1970-01-01
refuse 2 "--name" patient add --mrn N10 --name $'C1\xc2\x85Name' --dob 1970-01-01
refuse 2 "--name" patient add --mrn N11 --name $'Overlong\xc0\xafslash' --dob 1970-01-01
refuse 2 "--name" staff add nobody --name $'\e[2JWipe' --role lab
refuse 2 "" site add $'Evil\e]0;title\aSite' --tz Europe/Kyiv

step "unknown role (exit 2, names --role)"
refuse 2 "--role" staff add nobody --name "No Body" --role wizard
refuse 2 "wizard" staff add nobody --name "No Body" --role lab,wizard

step "unknown --format (exit 2, names --format)"
refuse 2 "--format" --format xml patient list
refuse 2 "--format" patient list --format yaml

step "names of exactly 200 characters are accepted (characters, not bytes)"
zh200=$(python3 -c 'print("Ж"*200)')
cdk 0 --db "$db" patient add --mrn L200 --name "$zh200" --dob 1970-01-01
cdk 0 --db "$db" patient show L200 --format json && ZH=$zh200 json_assert 'd["name"] == E["ZH"]' "200-character name intact"

step "Cyrillic, German and CJK names are accepted and shown intact"
i=0
for n in "Олена Коваленко" "Jürgen Groß" "山田太郎"; do
	i=$((i + 1))
	cdk 0 --db "$db" patient add --mrn "U$i" --name "$n" --dob 1980-0$i-1$i --site Kyiv &&
		expect_out "Added patient U$i."
	cdk 0 --db "$db" patient show "U$i" && expect_out "name: $n"
	cdk 0 --db "$db" patient show "U$i" --format json && N=$n json_assert 'd["name"] == E["N"]' "json name intact: $n"
done
cdk 0 --db "$db" patient list && expect_out "Олена Коваленко" && expect_out "Jürgen Groß" && expect_out "山田太郎"
cdk 0 --db "$db" patient list --format csv && csv_assert '{"Олена Коваленко","Jürgen Groß","山田太郎"} <= {x["name"] for x in r}' "csv names intact"

step "search is case-insensitive over Unicode word prefixes"
for q in "олена" "ОЛЕНА" "ковал" "КОВАЛЕНКО"; do
	cdk 0 --db "$db" patient list --search "$q" --format json &&
		json_assert '[x["mrn"] for x in d] == ["U1"]' "--search '$q' finds U1 only"
done
for q in "jür" "JÜRGEN" "groß"; do
	cdk 0 --db "$db" patient list --search "$q" --format json &&
		json_assert '[x["mrn"] for x in d] == ["U2"]' "--search '$q' finds U2 only"
done
cdk 0 --db "$db" patient list --search "山田" --format json && json_assert '[x["mrn"] for x in d] == ["U3"]' "--search 山田"

step "a bidi override is stored and shown escaped"
rlo=$'\xe2\x80\xae'
cdk 0 --db "$db" patient add --mrn B1 --name "Evil${rlo}gpj.exe" --dob 1970-01-01
# the stored value is the real text, not its escaped form
if sqlite3 "$db" .dump | LC_ALL=C grep -qaF "Evil${rlo}gpj.exe"; then ok; else
	fail "the name with U+202E is not stored as given (raw bytes not in the database)"
fi
cdk 0 --db "$db" patient show B1 && expect_out_i 'Evil\u202egpj.exe' && expect_no_out "$rlo" "raw U+202E"
cdk 0 --db "$db" patient list && expect_out_i '\u202e' && expect_no_out "$rlo" "raw U+202E in list"
cdk 0 --db "$db" patient list --format csv && expect_no_out "$rlo" "raw U+202E in csv"
cdk 0 --db "$db" patient list --format json && json_valid && expect_no_out "$rlo" "raw U+202E in json"
for c in $'\xe2\x80\xaa' $'\xe2\x81\xa6' $'\xe2\x80\x8f' $'\xd8\x9c'; do
	cdk 0 --db "$db" patient edit B1 --name "X${c}Y" --reason "bidi test"
	cdk 0 --db "$db" patient show B1 && expect_out_re '^name: X\\u[0-9a-fA-F]{4}Y' && expect_no_out "$c" "raw bidi control"
done

cdk 0 --db "$db" audit log && expect_no_out "$rlo" "raw U+202E in audit log" && expect_out_i '\u202e'
cdk 0 --db "$db" audit log --format csv && expect_no_out "$rlo" "raw U+202E in audit log csv"
cdk 0 --db "$db" site add "Ky${rlo}iv" --tz Europe/Kyiv
cdk 0 --db "$db" site list && expect_out_i 'Ky\u202eiv' && expect_no_out "$rlo" "raw U+202E in site list"
cdk 0 --db "$db" staff add nobody --name "No${rlo}Body" --role lab
cdk 0 --db "$db" staff list && expect_out_i 'No\u202eBody' && expect_no_out "$rlo" "raw U+202E in staff list"

step "a backslash is shown as \\\\"
cdk 0 --db "$db" patient add --mrn BS1 --name "Back Slash" --dob 1970-01-01 --notes 'C:\temp\new'
cdk 0 --db "$db" patient show BS1 && expect_out 'notes: C:\\temp\\new'

step "control characters in notes are refused (2) or shown escaped"
fp=$(db_fingerprint "$db")
run_rc=0
"$CELLDESK" --db "$db" patient add --mrn E1 --name "Esc Notes" --dob 1970-01-01 --notes $'a\e[31mb' \
	</dev/null >"$OUT" 2>"$ERR" || run_rc=$?
if [ "$run_rc" = 0 ]; then
	cdk 0 --db "$db" patient show E1 && expect_out 'a\x1b[31mb' && expect_no_out $'\e' "raw ESC in notes"
elif [ "$run_rc" = 2 ]; then
	expect_db_unchanged "$db" "$fp" "refused notes with ESC"
else
	fail "patient add with ESC in --notes exited $run_rc (want 0 and escaped, or 2)"
	last_cmd="patient add --notes \$'a\\e[31mb'"
	show_output
fi

step "text written into the database behind celldesk's back is shown escaped"
copy=$tmp/injected.db
sqlite3 "$db" ".backup '$copy'"
ptbl=$(sq "$copy" "SELECT tbl FROM audit WHERE new LIKE '%KY-1%' AND new LIKE '%Anna Test%' ORDER BY seq LIMIT 1;")
if sq "$copy" "UPDATE \"$ptbl\" SET name = 'Esc' || char(27) || '[31mRed' || CAST(x'ff' AS TEXT) || 'End',
	notes = 'bell' || char(7) || 'del' || char(127) || 'nel' || char(133) || 'nl' || char(10) || 'end'
	WHERE mrn = 'KY-1';" 2>"$tmp/inj.err"; then
	ok
	for fmt in text csv json; do
		for cmd in "patient show KY-1" "patient list"; do
			# shellcheck disable=SC2086
			cdk 0 --db "$copy" $cmd --format "$fmt" || continue
			expect_no_out $'\e' "raw ESC ($cmd, $fmt)"
			expect_no_out $'\xff' "raw invalid UTF-8 ($cmd, $fmt)"
			expect_no_out $'\a' "raw BEL ($cmd, $fmt)"
			expect_no_out $'\x7f' "raw DEL ($cmd, $fmt)"
			expect_no_out $'\xc2\x85' "raw C1 NEL ($cmd, $fmt)"
			[ "$fmt" = json ] && json_valid
		done
	done
	cdk 0 --db "$copy" patient show KY-1 &&
		expect_out_i 'name: Esc\x1b[31mRed\xffEnd' &&
		expect_out_re '^notes: bell\\(x07|u0007)del\\(x7f|u007f)nel\\(x85|u0085)nl\\(n|x0a|u000a)end$'
	cdk 0 --db "$copy" patient show KY-1 --format json && json_valid &&
		json_assert '"\x1b" not in d["name"] and "\x07" not in d["notes"] and "\x7f" not in d["notes"] and "\x85" not in d["notes"]' \
			'json values went through the sanitizer (decoded strings hold no control characters)'
	json_assert '"\\xff" in d["name"].lower() and "\ufffd" not in d["name"]' \
		'json: the invalid byte is shown as \xff (CLI.md: invalid UTF-8 bytes as \xNN), not replaced by U+FFFD'
else
	fail "could not write into table '$ptbl' with sqlite3: $(head -c 200 "$tmp/inj.err")"
fi

step "text listing columns are padded by display width"
cdk 0 --db "$db" patient list && python3 - "$OUT" >"$tmp/align" 2>&1 <<'EOF'
import re, sys, unicodedata
def width(s):
    w = 0
    for ch in s:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ('Mn', 'Me', 'Cf'):
            continue
        w += 2 if unicodedata.east_asian_width(ch) in ('W', 'F') else 1
    return w
lines = open(sys.argv[1], encoding='utf-8').read().splitlines()
cols = {}
for i, line in enumerate(lines):
    m = re.search(r'\d{4}-\d{2}-\d{2}', line) if i else re.search(r'(?i)dob', line)
    if m and (i == 0 or any(n in line for n in ("Олена", "Jürgen", "山田", "Anna"))):
        cols.setdefault(width(line[:m.start()]), []).append(line)
if sum(len(v) for v in cols.values()) < 5:
    print("expected the header and rows for Anna, Олена, Jürgen and 山田; found:")
    for l in lines: print("  " + l)
    sys.exit(1)
if len(cols) != 1:
    print("dob column starts at different display columns:")
    for k, v in cols.items():
        for l in v: print("  %3d: %s" % (k, l))
    sys.exit(1)
EOF
if [ $? = 0 ]; then ok; else
	fail "patient list text columns not aligned by display width"
	cat "$tmp/align"
fi

finish
