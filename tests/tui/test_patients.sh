#!/usr/bin/env bash
# test_patients.sh - the full-screen interface driven with real keystrokes
# through a private tmux server: it starts on the patient list, searches as
# you type, opens a patient, shows help, survives a resize below 80x24,
# shows a colleague's change without a keypress, and quits on q.
. "$(dirname "$0")/../cli/lib.sh"

command -v tmux >/dev/null 2>&1 || die "tmux is not installed (./quickstart installs it)"
sock=cdtui$$
db=$tmp/clinic.db
tm() { tmux -L "$sock" "$@"; }
at_exit "tmux -L $sock kill-server 2>/dev/null"

# screen_has TEXT - poll the screen (up to 5 s) until it shows TEXT.
screen_has() {
	local i
	for ((i = 0; i < 50; i++)); do
		tm capture-pane -p >"$tmp/screen" 2>/dev/null
		grep -qF -- "$1" "$tmp/screen" && return 0
		sleep 0.1
	done
	return 1
}
expect_screen() {
	if screen_has "$1"; then ok; else
		fail "the screen does not show '$1'"
		sed 's/^/   | /' "$tmp/screen"
	fi
}

cdk 0 --db "$db" demo --seed 3
cdk 0 --db "$db" patient add --mrn TUI-1 --name "Олена Тестова" --dob 1970-01-01
tm -f /dev/null new-session -d -x 100 -y 30 \
	"env LC_ALL=C.UTF-8 TERM=screen-256color HOME=$HOME $CELLDESK --db $db; echo EXITED \$?; sleep 30"

step "it opens on the patient list"
expect_screen "celldesk — patients"
expect_screen "patient 1 of 241"

step "search as you type, in Cyrillic"
tm send-keys / Т е с т
expect_screen "Олена Тестова"
screen_has "TUI-1" && ok || fail "the search did not find TUI-1"

step "Enter opens the patient page, Esc goes back"
tm send-keys Enter Enter
expect_screen "celldesk — patient TUI-1"
expect_screen "1970-01-01"
tm send-keys Escape
expect_screen "celldesk — patients"

step "? shows help with the roles"
tm send-keys '?'
expect_screen "needs the role"
tm send-keys q
expect_screen "celldesk — patients"

step "a colleague's change appears without a keypress"
tm send-keys Escape
"$CELLDESK" --db "$db" patient add --mrn TUI-2 --name "Aaron Aardvark" --dob 1960-02-02 >/dev/null
expect_screen "Aaron Aardvark"

step "below 80x24 it says so, and comes back"
tm resize-window -x 70 -y 20
expect_screen "too small"
tm resize-window -x 100 -y 30
expect_screen "celldesk — patients"

step "q quits with status 0"
tm send-keys q
expect_screen "EXITED 0"

finish
