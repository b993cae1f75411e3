#!/usr/bin/env bash
# test_patients.sh - the full-screen interface driven with real keystrokes
# through a private tmux server: it starts on the patient list, searches as
# you type, opens a patient, shows help, survives a resize below 80x24,
# shows a colleague's change without a keypress, and quits on q.
. "$(dirname "$0")/../cli/lib.sh"

. "$(dirname "$0")/tui_lib.sh"
db=$tmp/clinic.db

cdk 0 --db "$db" demo --seed 3
cdk 0 --db "$db" patient add --mrn TUI-1 --name "Олена Тестова" --dob 1970-01-01
tui_start patients 100 30 -- --db "$db"

step "it opens on the agenda; 2 opens the patient list"
expect_screen "celldesk — agenda"
keys 2
expect_screen "celldesk — patients"
expect_screen "patient 1 of 241"

step "search as you type, in Cyrillic"
keys / Т е с т
expect_screen "Олена Тестова"
screen_has "TUI-1" && ok || fail "the search did not find TUI-1"

step "Enter opens the patient page, Esc goes back"
keys Enter Enter
expect_screen "celldesk — patient TUI-1"
expect_screen "1970-01-01"
keys Escape
expect_screen "celldesk — patients"

step "? shows help with the roles"
keys '?'
expect_screen "needs the role"
keys q
expect_screen "celldesk — patients"

step "a colleague's change appears without a keypress"
keys Escape
"$CELLDESK" --db "$db" patient add --mrn TUI-2 --name "Aaron Aardvark" --dob 1960-02-02 >/dev/null
expect_screen "Aaron Aardvark"

step "below 80x24 it says so, and comes back"
tm resize-window -t patients -x 70 -y 20
expect_screen "too small"
tm resize-window -t patients -x 100 -y 30
expect_screen "celldesk — patients"

step "q quits with status 0"
keys q
expect_screen "EXITED 0"

finish
