#!/usr/bin/env bash
# test_scan.sh - the Scan tab driven with real keys through a private tmux
# server, a scanner's bursts sent fast (send-keys -l, then Enter or Tab):
# the lab scans a lot alone (its ISBT 128 DIN), sees its card and its next
# step, and releases it with a signature from there; once the lot is
# reserved and issued for a visit today, the clinician scans the
# patient's wristband and the lot, sees MATCH and administers it after a
# question (`celldesk lot show` then says administered, to that patient);
# another patient's wristband with the patient's own lot shows STOP in
# letters five lines tall with the reason, the lot stays as it was and
# the refused check is recorded as `lot administer` records one; a code
# typed slowly by hand reads the same; a misread DIN is said, not taken;
# the clinician's scan at 80x24. Runs as root: the roles are throw-away
# Unix users.
. "$(dirname "$0")/../cli/lib.sh"
lot_tag=tuiscan
lot_users=cdtsc
. "$(dirname "$0")/../cli/lot_lib.sh"
. "$(dirname "$0")/tui_lib.sh"

# tui_as USER NAME COLS ROWS - celldesk on $db as USER in window NAME.
tui_as() {
	local user=$1 name=$2 cols=$3 rows=$4 cmd
	cmd=$(printf '%q ' runuser -u "$user" -- env -i PATH=/usr/local/bin:/usr/bin:/bin \
		HOME="$shared/home-$user" LC_ALL=C.UTF-8 TERM=screen-256color "$CELLDESK" --db "$db")
	if tm has-session 2>/dev/null; then
		tm new-window -d -n "$name" "$cmd; echo EXITED \$?; sleep 60"
	else
		tm -f /dev/null new-session -d -s tui -n "$name" -x "$cols" -y "$rows" \
			"$cmd; echo EXITED \$?; sleep 60"
	fi
	tm resize-window -t "$name" -x "$cols" -y "$rows" 2>/dev/null
	tui_target=$name
}
# scan TEXT [END] - a scanner's burst: TEXT sent at once, then Enter (or END).
scan() {
	tm send-keys -t "$tui_target" -l "$1"
	tm send-keys -t "$tui_target" "${2:-Enter}"
}
# expect_big WORD - WORD in letters five cells tall ("█") on the screen:
# its first letter's top row, and five rows of blocks one under another.
expect_big() {
	screen_has "$1" >/dev/null
	if python3 - "$tmp/screen" "$1" <<'PY'
import sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
tops = {"M": "█   █", "S": " ████", "G": " ████"}
top = tops[sys.argv[2][0]]
for i, l in enumerate(lines):
    j = l.find(top)
    if j >= 0 and i + 4 < len(lines) and all("█" in lines[i + k][j:j + 5] for k in range(5)):
        sys.exit(0)
sys.exit(1)
PY
	then ok; else
		fail "the screen does not show $1 in big letters"
		show_screen
	fi
}
# bedside_last - the newest bedside check: outcome|actor|lot as typed|patient as typed|reason
bedside_last() {
	sq "$db" "SELECT outcome || '|' || actor || '|' || lot_text || '|' || patient_text || '|' || coalesce(reason, '')
		FROM bedside_checks ORDER BY id DESC LIMIT 1;"
}

# --- a clinic: Berlin, a booked cycle, the patient's own lots ----------------
start=$(next_weekday "$(day_after 14)" wed) || die "cannot compute the dates"
din=G123426000101
lot1=$din-S1234A00
lot2=AU-7002
step "a database: Berlin, the lab, a clinician, two patients, a booked cycle, two lots"
admin 0 init || die "init failed"
chmod 0666 "$db"
admin 0 site add Berlin --tz Europe/Berlin --hours "mon-fri 08:00-18:00" || die "site add failed"
admin 0 resource add "Procedure room 1" --site Berlin --kind room --tags harvest,procedure
admin 0 resource add "Injection room A" --site Berlin --kind room --tags injection,ultrasound
admin 0 resource add "MRI suite" --site Berlin --kind room --tags imaging,mri
admin 0 resource add "Dr Groß" --site Berlin --kind clinician
admin 0 storage add LN2-1 --site Berlin --kind ln2-tank --min -196 --max -150 || die "storage add failed"
admin 0 staff add "$labu" --name "$LAB_NAME" --role lab || die "staff add failed"
admin 0 staff add "$clinu" --name "Clara Klinik" --role clinician || die "staff add failed"
admin 0 patient add --mrn BER-6101 --name "Marta Weber" --dob 1958-04-04 --site Berlin ||
	die "patient add failed"
admin 0 patient add --mrn BER-6102 --name "Hans Vogel" --dob 1949-02-26 --site Berlin ||
	die "patient add failed"
admin 0 patient add --mrn a-6103 --name "Anna Lang" --dob 1970-01-02 --site Berlin ||
	die "patient add failed"
admin 0 course book --patient BER-6101 --protocol hip-autologous-4 --start "$start" --time 10:00 ||
	die "booking BER-6101's cycle failed"
admin 0 agenda --patient BER-6101 --format json && json_valid || die "agenda failed"
read -r a1 a2 _ <<<"$(py_val '" ".join(str(x["id"]) for x in sorted((x for x in d if x["step"] == "injection"), key=lambda x: x["course"]))')"
[ -n "$a1" ] && [ -n "$a2" ] || die "no injection visits"
for c in "$lot1" "$lot2"; do
	lab 0 lot add --id "$c" --kind autologous --patient BER-6101 --source bone-marrow ||
		die "lot add $c failed"
	advance "$c" receive store qc
done
advance "$lot2" release "reserve:$a2" issue
lot_is "$lot1" quarantine

# --- the lab: a lot scanned alone, released from its card ---------------------
step "the lab scans the lot's DIN (a burst ending in Tab): its card and next step"
tui_as "$labu" lab 100 30
expect_screen "celldesk — lots"
keys 5
expect_screen "celldesk — scan"
expect_screen "Scan the wristband, then the lot"
scan "=${din}00" Tab
expect_screen "Last scan: DIN"
expect_screen "Lot        $lot1 · quarantine"
expect_screen "Status     quarantine · expires in"
expect_screen "viability 92.5 in limits"
expect_screen "Next step  sign its release once QC is in limits: press s"

step "a DIN with a wrong check character is said, and the lot stays scanned"
wrong=$(mod37 "$din")
[ "$wrong" = A ] && wrong=B || wrong=A
scan "G1234 26 000101 $wrong"
expect_screen "Not read: the DIN's check character"
expect_screen "Lot        $lot1 · quarantine"

step "s on the card: the signature, and the lot is released"
keys s
expect_status "Sign with your printed name:"
tm send-keys -t "$tui_target" -l "$LAB_NAME"
keys Enter
expect_status "lot $lot1 is released"
expect_screen "Lot        $lot1 · released"
expect_screen "Next step  reserve it for an injection visit: press v"
lot_is "$lot1" released
keys Escape q
expect_screen "EXITED 0"

step "the lot is reserved for the visit, the visit is today, the lot issued"
admin 0 lot reserve "$lot1" --appt "$a1" || die "reserve failed"
visit_today "$db" "$a1"
visit_today "$db" "$a2"
admin 0 lot issue "$lot1" --to "$clinu" || die "issue failed"
lot_is "$lot1" issued

# --- the clinician at the bedside --------------------------------------------
step "the clinician scans the wristband, then the lot: MATCH"
tui_as "$clinu" clin 100 30
expect_screen "celldesk — agenda"
keys 5
expect_screen "celldesk — scan"
nb=$(sq "$db" "SELECT count(*) FROM bedside_checks;")
scan "BER-6101"
expect_screen "Patient    BER-6101 · Marta Weber, born 1958-04-04"
expect_screen "— scan the lot"
scan "$lot1"
expect_screen "MATCH: may be given now"
expect_big MATCH
expect_screen "a gives it (asks first)"
expect_screen "a administer"
[ "$(sq "$db" "SELECT count(*) FROM bedside_checks;")" = "$nb" ] && ok ||
	fail "a check that matched was recorded as an attempt"
lot_is "$lot1" issued

step "a asks first; y administers; the screen says so"
keys a
expect_status "Give lot $lot1 to patient BER-6101 now?"
keys y
expect_status "lot $lot1 is administered to patient BER-6101"
expect_screen "ADMINISTERED"
expect_big GIVEN
lot_is "$lot1" administered
show "$lot1" && json_assert 'd["recipient"] == "BER-6101"' "$lot1 went to BER-6101"
[ "$(bedside_last)" = "administered|$clinu|$lot1|BER-6101|" ] && ok ||
	fail "the administration's bedside check reads '$(bedside_last)'"

step "another patient's wristband with the patient's own lot: STOP, and why"
fp=$(lot_rows "$lot2")
nb=$(sq "$db" "SELECT count(*) FROM bedside_checks;")
# typed slowly by hand: a key at a time
for ch in B E R - 6 1 0 2; do
	tm send-keys -t "$tui_target" -l "$ch"
	sleep 0.05
done
keys Enter
expect_screen "Patient    BER-6102 · Hans Vogel"
expect_gone "ADMINISTERED"
scan "$lot2"
expect_screen "STOP: DO NOT GIVE"
expect_big STOP
expect_screen "another patient's own cells"
[ "$(lot_rows "$lot2")" = "$fp" ] && ok || fail "a STOP changed lot $lot2"
case $(bedside_last) in
"refused|$clinu|$lot2|BER-6102|STOP: lot $lot2 holds another patient's own cells"*) ok ;;
*) fail "the refused check is not recorded as lot administer records one: '$(bedside_last)'" ;;
esac
[ "$(sq "$db" "SELECT count(*) FROM bedside_checks;")" = "$((nb + 1))" ] && ok ||
	fail "the STOP was not recorded exactly once"

step "a after STOP gives nothing"
keys a
expect_status "a gives the lot after a MATCH"
[ "$(lot_rows "$lot2")" = "$fp" ] && ok || fail "a after STOP changed lot $lot2"

step "Esc starts over; the patient's own wristband with the lot: MATCH"
keys Escape
expect_screen "— scan the wristband"
scan "BER-6101"
scan "$lot2"
expect_screen "MATCH: may be given now"

step "after MATCH, a wristband whose MRN starts with a (the command key) still scans"
scan "a-6103"
expect_screen "Patient    a-6103 · Anna Lang"
expect_gone "MATCH: may be given now"
expect_no_screen "Give lot"
lot_is "$lot2" issued
keys q
expect_screen "EXITED 0"

# --- 80x24 -------------------------------------------------------------------
step "at 80x24 the verdict shows whole"
tui_as "$clinu" small 80 24
expect_screen "celldesk — agenda"
keys 5
scan "BER-6102"
scan "$lot2"
expect_big STOP
expect_screen "another patient's own"

step "digits go into the field; Esc, then a digit, opens a tab"
keys Escape
expect_screen "— scan the wristband"
keys 4
expect_screen "Scan: 4"
keys Escape
expect_gone "Scan: 4"
keys Escape
keys 4
expect_screen "celldesk — lots"
keys q
expect_screen "EXITED 0"

finish
