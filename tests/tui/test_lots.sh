#!/usr/bin/env bash
# test_lots.sh - the Lots screen and a lot's page driven with real keys
# through a private tmux server: lots listed first to expire first, the
# time left said in words ("expired", "29 h", "d") and in colour; the
# filters by site (s), status (f, F), patient (p) and expiry (e), Esc
# clearing them; / finding a lot by its id; a lot's page with its QC
# results against the limits, its reservation and its chain of custody;
# a release signed with someone else's name refused and with the lab
# user's own name done; a discard that asks first (n keeps the lot) and
# then for the reason; the front desk not offered the release and refused
# it anyway; the list at 80x24. What the screen says is checked against
# what `celldesk lot show` then says. Runs as root: the roles are
# throw-away Unix users.
. "$(dirname "$0")/../cli/lib.sh"
lot_tag=tuilots
lot_users=cdtl
. "$(dirname "$0")/../cli/lot_lib.sh"
. "$(dirname "$0")/tui_lib.sh"

# tui_as USER NAME COLS ROWS [ENV...] - celldesk on $db as USER in window NAME.
tui_as() {
	local user=$1 name=$2 cols=$3 rows=$4 cmd
	shift 4
	cmd=$(printf '%q ' runuser -u "$user" -- env -i PATH=/usr/local/bin:/usr/bin:/bin \
		HOME="$shared/home-$user" LC_ALL=C.UTF-8 TERM=screen-256color "$@" "$CELLDESK" --db "$db")
	if tm has-session 2>/dev/null; then
		tm new-window -d -n "$name" "$cmd; echo EXITED \$?; sleep 60"
	else
		tm -f /dev/null new-session -d -s tui -n "$name" -x "$cols" -y "$rows" \
			"$cmd; echo EXITED \$?; sleep 60"
	fi
	tm resize-window -t "$name" -x "$cols" -y "$rows" 2>/dev/null
	tui_target=$name
}
# row_has LOT TEXT - the list's row of LOT shows TEXT.
row_has() {
	if screen_has "$1" && grep -F -- "$1" "$tmp/screen" | grep -qF -- "$2"; then ok; else
		fail "the row of $1 does not show '$2'"
		show_screen
	fi
}
# row_fg LOT COLOUR - the row of LOT is painted in foreground COLOUR (31
# red, 33 yellow; 39 the default). tmux sends a colour only where it
# changes, so the escapes are followed from the top of the screen.
row_fg() {
	local got
	tm capture-pane -e -p -t "$tui_target" >"$tmp/screen-e" 2>/dev/null
	got=$(python3 - "$tmp/screen-e" "$1" <<'PY'
import re, sys
text, lot, fg = open(sys.argv[1], encoding="utf-8").read(), sys.argv[2], "39"
for m in re.finditer(r"\x1b\[([0-9;]*)m|" + re.escape(lot), text):
    if m.group(0) == lot:
        print(fg)
        break
    for p in (m.group(1) or "0").split(";"):
        if p in ("0", "39", ""):
            fg = "39"
        elif len(p) == 2 and p[0] in "39" and p[1] in "01234567":
            fg = p
PY
)
	if [ "$got" = "$2" ]; then ok; else
		fail "the row of $1 is painted in colour '$got', not $2"
	fi
}

# --- a clinic: two sites, a patient at each, lots in several states --------
step "a database: Berlin and Kyiv, the lab, the front desk, five lots"
admin 0 init || die "init failed"
chmod 0666 "$db"
admin 0 site add Berlin --tz Europe/Berlin --hours "mon-fri 08:00-18:00" || die "site add failed"
admin 0 site add Kyiv --tz Europe/Kyiv --hours "mon-fri 08:00-18:00" || die "site add failed"
admin 0 storage add LN2-1 --site Berlin --kind ln2-tank --min -196 --max -150 || die "storage add failed"
admin 0 storage add LN2-1 --site Kyiv --kind ln2-tank --min -196 --max -150 || die "storage add failed"
admin 0 staff add "$labu" --name "$LAB_NAME" --role lab || die "staff add failed"
admin 0 staff add "$frontu" --name "Frida Front" --role frontdesk || die "staff add failed"
admin 0 patient add --mrn BER-5101 --name "Marta Weber" --dob 1958-04-04 --site Berlin ||
	die "patient add failed"
admin 0 patient add --mrn KYV-5201 --name "Olena Bondar" --dob 1961-06-25 --site Kyiv ||
	die "patient add failed"
for c in LB-EXP LB-SOON LB-LATER LB-DISC; do
	extra=()
	[ "$c" = LB-SOON ] && extra=(--expires "$(local_now Europe/Berlin 1800)")
	lab 0 lot add --id "$c" --kind autologous --patient BER-5101 --source bone-marrow "${extra[@]}" ||
		die "lot add $c failed"
done
age LB-EXP
advance LB-LATER receive store qc
lab 0 lot add --id LK-0001 --kind autologous --patient KYV-5201 --source adipose || die "lot add failed"
admin 0 lot receive LK-0001 && admin 0 lot store LK-0001 --to Kyiv/LN2-1/R1/B1/P1 --storage cryopreserved ||
	die "storing LK-0001 failed"
lot_is LB-LATER quarantine
lot_is LK-0001 quarantine

# --- the list --------------------------------------------------------------
step "4 opens the Lots tab: every lot in stock, the first to expire first"
tui_start admin 100 30 -- --db "$db"
expect_screen "celldesk — agenda"
keys 4
expect_screen "celldesk — lots"
expect_screen "Showing: in stock · every site · every patient"
expect_screen "lot 1 of 5"
for c in LB-EXP LB-SOON LB-DISC LB-LATER LK-0001; do expect_screen "$c"; done
order=$(grep -oE 'L[BK]-[A-Z0-9]+' "$tmp/screen" | tr '\n' ' ')
[ "$order" = "LB-EXP LB-SOON LB-DISC LB-LATER LK-0001 " ] && ok ||
	fail "the lots are not listed first to expire first: $order"

step "the time left in words and in colour: expired (red), within 2 days (yellow)"
row_has LB-EXP "expired"
row_has LB-SOON "29 h"
row_has LB-DISC "47 h"
row_has LB-LATER " d "
row_fg LB-EXP 31
row_fg LB-SOON 33
row_fg LB-DISC 33
row_fg LB-LATER 39
expect_screen "Expires"

step "s steps through the sites, then every site"
keys s
expect_screen "Showing: in stock · Berlin · every patient"
expect_gone "LK-0001"
expect_screen "lot 1 of 4"
keys s
expect_screen "Showing: in stock · Kyiv · every patient"
expect_screen "LK-0001"
expect_gone "LB-LATER"
keys s
expect_screen "Showing: in stock · every site · every patient"
expect_screen "lot 1 of 5"

step "f steps through the statuses, F back; Esc clears the filters"
keys f
expect_screen "Showing: collected ·"
expect_screen "LB-SOON"
expect_gone "LB-LATER"
keys f f
expect_screen "Showing: quarantine ·"
expect_screen "LK-0001"
expect_screen "LB-LATER"
expect_gone "LB-EXP"
keys F
expect_screen "Showing: in-processing ·"
expect_screen "no lot matches the filters"
keys Escape
expect_screen "Showing: in stock · every site · every patient"
expect_status "filters cleared"
expect_screen "lot 1 of 5"

step "p asks for a patient's MRN; an unknown one is said and changes nothing"
keys p
expect_status "Patient's MRN"
tm send-keys -t "$tui_target" -l "NOPE-1"
keys Enter
expect_status "no patient has MRN NOPE-1"
expect_screen "lot 1 of 5"
keys p
tm send-keys -t "$tui_target" -l "KYV-5201"
keys Enter
expect_screen "Showing: in stock · every site · KYV-5201"
expect_screen "lot 1 of 1"
expect_gone "LB-EXP"
keys Escape
expect_screen "lot 1 of 5"

step "e asks for N days: only what expires within them (the expired too)"
keys e
expect_status "Expiring within how many days"
tm send-keys -t "$tui_target" -l "1"
keys Enter
expect_screen "expiring within 1 day"
expect_screen "LB-EXP"
expect_gone "LB-SOON"
expect_screen "lot 1 of 1"
keys Escape
expect_screen "lot 1 of 5"

step "/ finds the next lot whose id holds the text; n and N again"
keys /
expect_status "Find lot id:"
tm send-keys -t "$tui_target" -l "lb-"
keys Enter
expect_screen "lot 2 of 5"
keys n
expect_screen "lot 3 of 5"
keys n n
expect_screen "lot 1 of 5"
expect_status "from the top again"
keys N
expect_screen "lot 4 of 5"
keys /
tm send-keys -t "$tui_target" -l "ZZZ"
keys Enter
expect_status "no lot id with \"ZZZ\" in this list"
expect_screen "lot 4 of 5"
keys g
expect_screen "lot 1 of 5"

step "/ finds a lot by its id; Enter opens its page"
keys /
expect_status "Find lot id:"
tm send-keys -t "$tui_target" -l "lb-later"
keys Enter
expect_screen "lot 4 of 5"
keys Enter
expect_screen "celldesk — lot LB-LATER"

# --- the lot page ------------------------------------------------------------
step "the lot page: status with the time left, QC against the limits, reservation"
expect_screen "Status             quarantine · expires in"
expect_screen "QC results"
expect_screen "viability       92.5"
expect_screen "in limits"
expect_screen "Reserved for       no visit"
expect_screen "Next step          sign its release once QC is in limits (the role lab does that)"

step "... and its chain of custody, oldest first"
keys G
expect_screen "Chain of custody (oldest first)"
screen_has "Chain of custody (oldest first)"
chain=$(sed -n '/Chain of custody/,$p' "$tmp/screen" | grep -oE ' (collected|received|stored) ' | tr -d ' ' | tr '\n' ' ')
[ "$chain" = "collected received stored " ] && ok || fail "the custody chain reads '$chain'"
expect_screen "Berlin/LN2-1/R1/B1/P1"
keys q
expect_screen "celldesk — lots"
keys q
expect_screen "EXITED 0"

# --- the lab: release with a signature, discard asking first ---------------
step "the lab starts on the Lots tab; s on the lot page asks for the signature; another name is refused"
tui_as "$labu" lab 100 30
expect_screen "celldesk — lots"
keys 4
expect_screen "lot 1 of 5"
keys /
tm send-keys -t "$tui_target" -l "LB-LATER"
keys Enter Enter
expect_screen "celldesk — lot LB-LATER"
expect_screen "s sign release"
expect_screen "Next step          sign its release once QC is in limits: press s (c records QC"
keys s
expect_status "Sign with your printed name:"
expect_screen "your signature is your own printed name"
tm send-keys -t "$tui_target" -l "Frida Front"
keys Enter
expect_status "a release is signed with your own printed name"
lot_is LB-LATER quarantine
n=$(sq "$db" "SELECT count(*) FROM signatures g JOIN lots l ON l.id = g.lot_id WHERE l.code = 'LB-LATER';")
[ "$n" = 0 ] && ok || fail "a refused release left $n signatures"

step "... the lab user's own name releases it; the page says so"
keys s
expect_status "Sign with your printed name:"
tm send-keys -t "$tui_target" -l "$LAB_NAME"
keys Enter
expect_status "lot LB-LATER is released"
expect_screen "Status             released"
expect_screen "signed by $LAB_NAME"
lot_is LB-LATER released
n=$(sq "$db" "SELECT printed_name || '|' || username FROM signatures g JOIN lots l ON l.id = g.lot_id WHERE l.code = 'LB-LATER' AND g.meaning = 'released';")
[ "$n" = "$LAB_NAME|$labu" ] && ok || fail "the release signature reads '$n'"

step "D asks first: any key but y keeps the lot"
keys q
expect_screen "celldesk — lots"
keys /
tm send-keys -t "$tui_target" -l "LB-DISC"
keys Enter Enter
expect_screen "celldesk — lot LB-DISC"
keys D
expect_status "Discard lot LB-DISC? It cannot be undone."
keys n
expect_status "nothing changed"
lot_is LB-DISC collected

step "... y, then the reason: discarded, and the page shows it"
keys D
expect_status "Discard lot LB-DISC?"
keys y
expect_status "Reason for the discard:"
tm send-keys -t "$tui_target" -l "damaged bag"
keys Enter
expect_status "lot LB-DISC is discarded"
expect_screen "Status             discarded"
lot_is LB-DISC discarded
show LB-DISC && json_assert '"damaged bag" in str(d.get("reason"))' "LB-DISC's reason is kept"
keys q
expect_screen "celldesk — lots"
expect_gone "LB-DISC"
keys q
expect_screen "EXITED 0"

# --- the front desk ------------------------------------------------------------
step "the front desk: the release is not offered, and s is refused"
tui_as "$frontu" front 100 30
expect_screen "celldesk — agenda"
keys 4
expect_screen "LK-0001"
keys /
tm send-keys -t "$tui_target" -l "LK-0001"
keys Enter Enter
expect_screen "celldesk — lot LK-0001"
expect_screen "(the role lab does that)"
expect_screen "v reserve"
if grep -qE "s sign release|r receive|D discard" "$tmp/screen"; then
	fail "the front desk is offered a step its role may not take"
	show_screen
else ok; fi
fp=$(db_fingerprint "$db")
keys s
expect_status "may not"
keys D
expect_status "may not"
expect_db_unchanged "$db" "$fp" "s and D pressed by the front desk"
keys '?'
expect_screen "release the lot: sign with"
expect_screen "lab (not you)"
keys q q q
expect_screen "EXITED 0"

# --- 80x24 -------------------------------------------------------------------
step "at 80x24 the list keeps the time left and leaves out the exact expiry"
tui_start small 80 24 -- --db "$db"
expect_screen "celldesk — agenda"
keys 4
expect_screen "Left"
row_has LB-EXP "expired"
expect_no_screen "Expires"
expect_screen "lot 1 of 4"
keys q
expect_screen "EXITED 0"

finish
