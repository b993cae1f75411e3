#!/bin/bash
# test_scan.sh - `celldesk scan TEXT`, what a keyboard-wedge scanner sent
# (issue 4): ISBT 128 DINs as printed (13 characters and the ISO/IEC 7064
# MOD 37-2 check character, computed here by the test's own function) and
# as barcode data (=, DIN, 2 flag characters), product codes (=<), expiry
# (&>cyyjjjhhmm), a lot's code (ISBT 128 or local) and a wristband MRN.
# A bad check character, a truncated DIN or an unknown code: a clear
# sentence, a non-zero exit, and the database file byte for byte as it was
# with no new audit record.  Every scan is read-only.
. "$(dirname "$0")/lib.sh"

# Exit statuses (src/core/status.h, celldesk(1)): a scan celldesk cannot
# read is a data error (CD_EDATA, 3); a well-formed code that names no
# lot and no patient may be refused as unknown (CD_REFUSED, 1) instead.
EDATA=3

db=$tmp/scan.db

# mod37 TEXT - the ISO/IEC 7064 MOD 37-2 check character of TEXT: values
# 0-9 -> 0-9, A-Z -> 10-35, * -> 36; weights 2^n, n = position from the
# right starting at 1; check value (38 - sum mod 37) mod 37.
mod37() {
	python3 -c 'import sys
v = lambda c: int(c) if c.isdigit() else (36 if c == "*" else ord(c) - 55)
t = sum(v(c) * 2 ** n for n, c in enumerate(reversed(sys.argv[1]), start=1))
print("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*"[(38 - t % 37) % 37])' "$1"
}
# mod37_value TEXT - the check value as a number (0-36)
mod37_value() {
	local c
	c=$(mod37 "$1")
	case $c in
	[0-9]) echo "$c" ;;
	"*") echo 36 ;;
	*) echo $(($(printf '%d' "'$c") - 55)) ;;
	esac
}

# state - the database file's bytes, its dump and its audit record count.
state() {
	printf '%s %s %s\n' "$(sha256sum "$db" | cut -d' ' -f1)" "$(db_fingerprint "$db")" \
		"$(sq "$db" "SELECT count(*) FROM audit;")"
}
# expect_state_is STATE WHY - nothing was written: the file is byte for byte
# the same, and so are its dump and its audit records.
expect_state_is() {
	local now
	now=$(state)
	if [ "$now" = "$1" ]; then ok; else
		fail "a scan changed the database ($2): before '$1', after '$now'"
	fi
}

# scan_ok TEXT WANT... - `celldesk scan TEXT` exits 0, prints every WANT
# (fixed strings), and writes nothing.
scan_ok() {
	local text=$1 before w
	shift
	before=$(state)
	if cdk 0 --db "$db" scan "$text"; then
		for w in "$@"; do expect_out "$w"; done
	fi
	expect_state_is "$before" "scan $(printf '%q' "$text")"
}
# scan_din TEXT DIN - scan_ok TEXT, and stdout shows DIN with its check
# character, whole or in the printed groups ("G1234 98 654321 H").
scan_din() {
	local c re
	c=$(mod37 "$2")
	[ "$c" = "*" ] && c='\*'
	re="${2:0:5} ?${2:5:2} ?${2:7:6} ?$c"
	scan_ok "$1" && expect_out_re "$re"
	expect_out_i "DIN"
}
# scan_bad EXIT ERE TEXT - `celldesk scan TEXT` exits EXIT ("1|3": either)
# with one sentence on stderr matching ERE (any case), nothing on stdout,
# nothing written.
scan_bad() {
	local want=$1 re=$2 text=$3 before
	before=$(state)
	last_cmd="$CELLDESK --db $db scan $(printf '%q' "$text")"
	timeout 120 "$CELLDESK" --db "$db" scan "$text" </dev/null >"$OUT" 2>"$ERR"
	rc=$?
	case "|$want|" in
	*"|$rc|"*)
		ok
		check_err_line
		if LC_ALL=C grep -qaEi -e "$re" -- "$ERR"; then ok; else
			fail "stderr does not match /$re/ (any case) from: $last_cmd"
			show_output
		fi
		[ -s "$OUT" ] && fail "a refused scan printed on stdout: $(head -c 200 "$OUT")" || ok
		;;
	*)
		fail "exit status $rc, expected $want: $last_cmd"
		show_output
		;;
	esac
	expect_state_is "$before" "scan $(printf '%q' "$text")"
}

step "the test's own MOD 37-2 function gives the spec's vector"
[ "$(mod37 G123498654321)" = H ] && [ "$(mod37_value G123498654321)" = 17 ] && ok ||
	die "mod37 G123498654321 gives $(mod37 G123498654321) ($(mod37_value G123498654321)), the spec says H (17)"

step "a clinic with a patient and lots: an ISBT 128 lot, its division, a local code"
cdk 0 --db "$db" init || die "init failed"
cdk 0 --db "$db" site add Berlin --tz Europe/Berlin || die "site add failed"
cdk 0 --db "$db" patient add --mrn BER-7001 --name "Greta Stein" --dob 1958-04-04 --site Berlin || die "patient add failed"
cdk 0 --db "$db" lot add --id G123426000001-S1234A00 --kind autologous --patient BER-7001 --source bone-marrow ||
	die "lot add failed"
cdk 0 --db "$db" lot add --id G123426000001-S1234AA0 --kind autologous --patient BER-7001 --source bone-marrow \
	--parent G123426000001-S1234A00 || die "lot add failed"
cdk 0 --db "$db" lot add --id HM-7001 --kind donor --donor DN-70 --source adipose --location Berlin || die "lot add failed"

step "an eye-readable DIN with its check character, as printed and with scanner noise"
scan_din G123498654321H G123498654321
scan_din "G1234 98 654321 H" G123498654321
scan_din $'G123498654321H\r\n' G123498654321
scan_din $'G123498654321H\t' G123498654321
scan_din "  G123498654321H  " G123498654321
for din in G123426000001 A999914123456 W000025000777 1234526999999 Z987626123456 B432126000049 B432126000388; do
	c=$(mod37 "$din") || die "python failed"
	scan_din "$din$c" "$din"
done
[ "$(mod37 B432126000049)" = 0 ] && [ "$(mod37 B432126000388)" = "*" ] && ok ||
	fail "the vectors for the check characters 0 and * are wrong"

step "a DIN names the lots that carry it"
c=$(mod37 G123426000001)
scan_ok "G123426000001$c" "G123426000001-S1234A00" "G123426000001-S1234AA0"
cdk 0 --db "$db" scan "G123426000001$c" --format json && json_valid &&
	json_assert '"G123426000001-S1234A00" in json.dumps(d) and "G123426000001-S1234AA0" in json.dumps(d)' \
		"scan --format json names both lots of the DIN"

step "DIN barcode data: = DIN flags; flags 60-96 carry the check value + 60"
scan_din "=G12349865432100" G123498654321
scan_din "=G12349865432159" G123498654321
scan_din "=G123498654321$((60 + 17))" G123498654321
for din in G123426000001 W000025000777 B432126000049 B432126000388; do
	scan_din "=$din$((60 + $(mod37_value "$din")))" "$din"
done

step "product code, expiry, a lot's code, a patient's wristband"
scan_ok "=<S1234A00" "S1234A00"
scan_ok "=<S1234AAa" "S1234AAa"
scan_ok "&>0263652359" "2026-12-31 23:59"
scan_ok "&>0280600800" "2028-02-29 08:00"
scan_ok "&>0290600800" "2029-03-01 08:00"
scan_ok "&>0283660000" "2028-12-31 00:00"
scan_ok "&>0270010000" "2027-01-01 00:00"
scan_ok G123426000001-S1234A00 "G123426000001-S1234A00" "BER-7001" "collected"
scan_ok HM-7001 "HM-7001" "DN-70"
scan_ok BER-7001 "BER-7001" "Greta Stein"
cdk 0 --db "$db" scan BER-7001 --format json && json_valid &&
	json_assert '"BER-7001" in json.dumps(d, ensure_ascii=False)' "scan JSON of the wristband names the MRN"

step "a bad check character: refused in a sentence naming both, nothing written"
scan_bad $EDATA "check character.*H.*J|check character.*J.*H" G123498654321J
scan_bad $EDATA "check character" "G1234 98 654321 K"
scan_bad $EDATA "check character" "G1234986543210"
for din in G123426000001 A999914123456 B432126000388; do
	c=$(mod37 "$din")
	[ "$c" = A ] && w=B || w=A
	scan_bad $EDATA "check character" "$din$w"
done
scan_bad $EDATA "check" "=G12349865432178"
scan_bad $EDATA "check" "=G12349865432196"
scan_bad $EDATA "check" "=G12349865432160"

step "a truncated or malformed code: refused, nothing written"
scan_bad $EDATA "12|13|truncated" "=G12349865432"
scan_bad $EDATA "12|13|truncated" "G1234 98 65432 H"
scan_bad $EDATA "" "=G1234986543210"
scan_bad $EDATA "" "=<S1234A0"
scan_bad $EDATA "" "=<s1234A00"
scan_bad $EDATA "" "&>026365235"
scan_bad $EDATA "" "&>0273662359"
scan_bad $EDATA "" "&>0260002359"
scan_bad $EDATA "" "&>0260012400"
scan_bad $EDATA "" "&>0260012360"
scan_bad $EDATA "" "&>02600A2359"
scan_bad $EDATA "not a barcode|know" "%%hello world%%"
scan_bad $EDATA "not a barcode|know" "G1234 98 654321 H extra"

step "an unknown code: no lot, no patient; refused, nothing written"
scan_bad "1|3" "ZZ-404-404" ZZ-404-404
scan_bad "1|3" "G123499999999-S1234A00|unknown|no lot" G123499999999-S1234A00
scan_bad "1|2|3" "" "   "

step "the audit chain is whole"
cdk 0 --db "$db" audit verify && expect_out "Audit chain intact"

finish
