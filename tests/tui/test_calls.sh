#!/usr/bin/env bash
# test_calls.sh - the calls screen driven with real keystrokes through a
# private tmux server, on the demo clinic: tab 3 lists a day's calls at a
# site (s steps through the sites, Right through the days) as
# `celldesk calls` does; the front desk marks one done with Enter and the
# next unreachable with u and a note, and sees each outcome in words and
# colour, with who and when; `celldesk calls` then shows both; Esc on the
# note marks nothing; / finds a patient; a colleague's mark appears
# without a keypress; the lab, who may not book, is refused and offered
# nothing in help; 80x24 still shows the columns.
# Runs as root: the front desk and the lab are throw-away Unix users.
. "$(dirname "$0")/../cli/lib.sh"
lot_tag=tuicalls
lot_users=cdtc
. "$(dirname "$0")/../cli/lot_lib.sh"

. "$(dirname "$0")/tui_lib.sh"

# tui_as USER NAME COLS ROWS [ENV...] - celldesk on $db as USER in window NAME.
tui_as() {
	local u=$1 name=$2 cols=$3 rows=$4
	shift 4
	local cmd
	cmd=$(printf '%q ' runuser -u "$u" -- env -i PATH=/usr/local/bin:/usr/bin:/bin \
		HOME="$shared/home-$u" LC_ALL=C.UTF-8 TERM=screen-256color "$@" "$CELLDESK" --db "$db")
	if tm has-session 2>/dev/null; then
		tm new-window -d -n "$name" "$cmd; echo EXITED \$?; sleep 60"
	else
		tm -f /dev/null new-session -d -s tui -n "$name" -x "$cols" -y "$rows" \
			"$cmd; echo EXITED \$?; sleep 60"
	fi
	tm resize-window -t "$name" -x "$cols" -y "$rows" 2>/dev/null
	tui_target=$name
}
# outcomes - the number of recorded call outcomes.
outcomes() { sq "$db" "SELECT count(*) FROM call_outcomes;"; }

step "the demo clinic, the front desk and the lab"
admin 0 demo --seed 3 || die "demo failed"
chmod 0666 "$db"
admin 0 staff add "$frontu" --name "Frida Front" --role frontdesk || die "staff add failed"
admin 0 staff add "$labu" --name "$LAB_NAME" --role lab || die "staff add failed"

# The first site (by name) and day from today on with at least three
# calls, as `celldesk calls` lists them: the keys that reach it (s per
# site after the first, Right per day) and its rows.
admin 0 site list --format json && json_valid || die "site list failed"
python3 - "$OUT" >"$tmp/sites" <<'EOF'
import json, sys
for s in json.load(open(sys.argv[1], encoding="utf-8")):
    print(s["name"] + "\t" + s["tz"])
EOF
found=
site_i=0
while IFS=$'\t' read -r site tz; do
	for k in 0 1 2 3 4 5 6 7 8 9; do
		day=$(python3 -c 'import datetime as dt, sys; from zoneinfo import ZoneInfo
print(dt.datetime.now(ZoneInfo(sys.argv[1])).date() + dt.timedelta(days=int(sys.argv[2])))' "$tz" "$k")
		"$CELLDESK" --db "$db" calls --date "$day" --site "$site" --format json >"$tmp/calls.json"
		if [ "$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))))' "$tmp/calls.json")" -ge 3 ]; then
			found="$site_i $k"
			break 2
		fi
	done
	site_i=$((site_i + 1))
done <"$tmp/sites"
[ -n "$found" ] || die "the demo has no site with three calls on a day of the next ten"
read -r site_i k <<<"$found"
site=$(sed -n "$((site_i + 1))p" "$tmp/sites" | cut -f1)
row() { # N FIELD - field of the day's call N (0-based)
	python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[int(sys.argv[2])][sys.argv[3]])' \
		"$tmp/calls.json" "$1" "$2"
}
ncalls=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))))' "$tmp/calls.json")
a1=$(row 0 appt) n1=$(row 0 name) p1=$(row 0 phone)
a2=$(row 1 appt) n2=$(row 1 name)
a3=$(row 2 appt) n3=$(row 2 name)
echo "   ($site, today + $k days: $day, $ncalls calls)"

step "tab 3 opens the calls; s and Right reach $site on $day"
tui_as "$frontu" front 100 30
expect_screen "celldesk —"
keys 3
expect_screen "celldesk — calls at"
expect_screen "(today)"
for ((i = 0; i < site_i; i++)); do keys s; done
for ((i = 0; i < k; i++)); do keys Right; done
expect_screen "celldesk — calls at $site"
expect_screen "$day"
expect_screen "$ncalls call"
expect_screen "0 done, 0 unreachable, $ncalls to make"

step "the day's calls as celldesk calls lists them, each still to call"
expect_screen "$n1"
expect_screen "$p1"
expect_screen "$a1"
expect_screen "$n3"
n_to_call=$(grep -c "to call" "$tmp/screen")
[ "$n_to_call" -ge 3 ] && ok || fail "only $n_to_call rows say 'to call'"
expect_screen "1/$ncalls $n1: not called yet"

step "Enter marks the first call done; the list moves on to the next"
keys Enter
expect_status "$n1's"
expect_status "is marked done"
expect_screen "1 done, 0 unreachable"
expect_screen "2/$ncalls $n2: not called yet"

step "u asks for a note and marks the next unreachable"
keys u
expect_status "unreachable; note (optional, Enter marks):"
keys -l "no answer, left voicemail"
keys Enter
expect_status "is marked unreachable, with the note"
expect_screen "1 done, 1 unreachable"
keys k
expect_screen "2/$ncalls $n2: unreachable — no answer, left voicemail (marked by $frontu at"

step "the outcomes in words on their rows, in colour"
tm capture-pane -p -t front >"$tmp/screen"
grep -F "$a1" "$tmp/screen" | grep -qE "done [0-9]{2}:[0-9]{2}" && ok ||
	{ fail "the first call's row does not say done HH:MM"; show_screen; }
grep -F "$a2" "$tmp/screen" | grep -qE "unreachable [0-9]{2}:[0-9]{2}" && ok ||
	{ fail "the second call's row does not say unreachable HH:MM"; show_screen; }
keys j
tm capture-pane -e -p -t front >"$tmp/screen.e"
# The done row in green (SGR 32), the unreachable one in yellow (33).
grep -aF "$a1" "$tmp/screen.e" | grep -qaE $'\e\\[([0-9;]*;)?32m' && ok ||
	fail "the done row is not drawn green: $(grep -aF "$a1" "$tmp/screen.e" | cat -v)"
grep -aF "$a2" "$tmp/screen.e" | grep -qaE $'\e\\[([0-9;]*;)?33m' && ok ||
	fail "the unreachable row is not drawn yellow: $(grep -aF "$a2" "$tmp/screen.e" | cat -v)"

step "celldesk calls shows both outcomes, by the front desk"
admin 0 calls --date "$day" --site "$site" --format json && json_valid &&
	A1=$a1 A2=$a2 FRONT=$frontu json_assert '(
[x["outcome"] for x in d if x["appt"] == int(E["A1"])] == ["done"] and
[(x["outcome"], x["outcome_by"], x["outcome_note"]) for x in d if x["appt"] == int(E["A2"])] == [("unreachable", E["FRONT"], "no answer, left voicemail")] and
all(x["outcome"] is None for x in d if x["appt"] not in (int(E["A1"]), int(E["A2"]))))' \
		"call $a1 done, call $a2 unreachable with the note, the rest still to make"
admin 0 calls --date "$day" --site "$site" && expect_out "unreachable"

step "Esc on the note marks nothing"
before=$(outcomes)
keys u
expect_status "unreachable; note"
keys Escape
expect_status "nothing marked"
[ "$(outcomes)" = "$before" ] && ok || fail "Esc on the note recorded an outcome"

step "/ finds a patient in the list"
keys g
keys /
expect_status "Find:"
keys -l "$n3"
keys Enter
expect_screen "3/$ncalls $n3: not called yet"

step "a colleague's mark appears without a keypress"
admin 0 calls mark "$a3" --kind "$(row 2 kind)" --done || die "calls mark failed"
expect_screen "2 done, 1 unreachable"
expect_screen "3/$ncalls $n3: done (marked by root at"

step "Left goes back a day, t returns"
keys Left
expect_gone "$day"
keys t
expect_screen "(today)"

step "80x24: the columns still show"
tm resize-window -t front -x 80 -y 24
expect_screen "Visit   Time"
expect_screen "Outcome"
tm resize-window -t front -x 100 -y 30
keys q
expect_screen "EXITED 0"

step "the lab may look but not mark; help says so"
tui_as "$labu" lab 100 30
expect_screen "celldesk —"
keys 3
expect_screen "celldesk — calls at"
for ((i = 0; i < site_i; i++)); do keys s; done
for ((i = 0; i < k; i++)); do keys Right; done
expect_screen "$day"
before=$(outcomes)
keys j j d
expect_status "may not book"
keys u
expect_status "may not book"
[ "$(outcomes)" = "$before" ] && ok || fail "the lab's d or u recorded an outcome"
tm resize-window -t lab -x 150 -y 40
keys '?'
expect_screen "On the calls screen"
expect_screen "mark the call done"
expect_screen "frontdesk,clinician,admin (not you)"
keys q q
expect_screen "EXITED 0"

finish
