#!/usr/bin/env bash
# test_sync_screen.sh - the lab sync screen driven with real keystrokes
# through a private tmux server: L on the patients screen opens it at
# 80x24 with the link's status, the open review queue (the lab's text
# shown escaped) and, after Tab, the outbox; Enter shows a row's full
# text; R sends a failed row again after y/n; r resolves a review item
# with a note; s runs `celldesk sync` in the background (no lab: its
# sentence in the status line; a lab that never answers: the screen keeps
# answering keys meanwhile); a resize redraws; the front desk does not
# get s in help. Runs as root: the front desk is a throw-away Unix user.
. "$(dirname "$0")/../cli/lib.sh"
lot_tag=tuisync
lot_users=cdts
. "$(dirname "$0")/../cli/lot_lib.sh"

. "$(dirname "$0")/tui_lib.sh"

command -v python3 >/dev/null 2>&1 || die "needs python3 (a lab that never answers)"
tui_target=admin

# --- a clinic with two lots (each queues an order), a failed order and
# --- a review item the lab left, its reason long and with an escape ----
step "a database: a lab user, the front desk, two lots, a failed order, a review item"
admin 0 init || die "init failed"
chmod 0666 "$db"
admin 0 site add Berlin --tz Europe/Berlin --hours "mon-fri 08:00-18:00" || die "site add failed"
admin 0 staff add "$labu" --name "$LAB_NAME" --role lab || die "staff add failed"
admin 0 staff add "$frontu" --name "Frida Front" --role frontdesk || die "staff add failed"
admin 0 patient add --mrn BER-4711 --name "Anna Fischer" --dob 1958-04-04 --site Berlin ||
	die "patient add failed"
lab 0 lot add --id HBM-0001 --kind autologous --patient BER-4711 --source bone-marrow ||
	die "lot add failed"
lab 0 lot add --id HBM-0002 --kind autologous --patient BER-4711 --source adipose ||
	die "lot add failed"
long_error="the lab refused the order: Specimen.collection.collected is required by profile"
long_error="$long_error $(printf 'padding%.0s ' {1..30})END-OF-ERROR"
reason="the lab names lot NOPE-9, which celldesk does not know; $(printf 'word%.0s ' {1..30})"
sq "$db" "INSERT INTO outbox (created_at, kind, lot_id, bundle, status, attempts, last_attempt_at, last_error)
	SELECT '2025-01-02T03:04:05Z', 'order', id, '{}', 'failed', 1, '2025-01-02T03:05:00Z',
	'$long_error' FROM lots WHERE code = 'HBM-0001';
	INSERT INTO sync_review (created_at, type, fhir_id, lot_code, reason)
	VALUES ('2025-01-03T04:05:06Z', 'DiagnosticReport', 'dr-77', 'NOPE-9',
	'$reason' || char(27) || '[2J' || 'ESC-MARK END-OF-REASON');" || die "sqlite3 insert failed"
failed_id=$(sq "$db" "SELECT id FROM outbox WHERE status = 'failed';")
[ -n "$failed_id" ] || die "no failed outbox row"

# The admin (root) in 80x24; no lab configured yet.
labconf=$tmp/labconf
mkdir -p "$labconf/celldesk"
tm -f /dev/null new-session -d -s admin -x 80 -y 24 \
	"env LC_ALL=C.UTF-8 TERM=screen-256color NO_COLOR=1 HOME=$HOME XDG_CONFIG_HOME=$labconf $CELLDESK --db $db; echo EXITED \$?; sleep 30"

step "the patients screen's help lists L; L opens the lab sync screen"
expect_screen "celldesk — agenda"
tm send-keys -t admin 2
expect_screen "celldesk — patients"
tm send-keys -t admin '?'
expect_screen "open the lab sync screen"
tm send-keys -t admin q
expect_screen "celldesk — patients"
tm send-keys -t admin L
expect_screen "celldesk — lab sync"

step "the link's status at the top"
expect_screen "2 pending · 1 failed · 0 sent"
expect_screen "1 open"
expect_screen "Last success  never"
expect_screen "nothing pulled yet"

step "the review queue lists the lab's item, its text escaped"
expect_screen "[Review queue (open)]"
expect_screen "NOPE-9"
expect_screen "the lab names"
expect_screen "review item 1 of 1"
screen_has "celldesk — lab sync" && ok || fail "the escape in the reason cleared the screen"

step "the help lists the screen's commands with their roles"
tm send-keys -t admin '?'
expect_screen "On the lab sync screen"
expect_screen "sync with the lab now"
expect_screen "lab,admin"
tm send-keys -t admin q
expect_screen "celldesk — lab sync"

step "a resize redraws the screen: wider shows more of the reason"
tm resize-window -t admin -x 180 -y 40
expect_screen "which celldesk does not know"
tm resize-window -t admin -x 70 -y 20
expect_screen "too small"
tm resize-window -t admin -x 80 -y 24
expect_screen "celldesk — lab sync"
expect_screen "review item 1 of 1"
expect_gone "which celldesk does not know"

step "Enter shows the review item's full text, the escape as text"
tm send-keys -t admin Enter
expect_screen "celldesk — review item 1"
expect_screen "END-OF-REASON"
expect_screen '\x1b[2JESC-MARK'
expect_screen "dr-77"
tm send-keys -t admin Escape
expect_screen "[Review queue (open)]"

step "Tab shows the outbox, newest first; Enter its full error"
tm send-keys -t admin Tab
expect_screen "[Outbox (newest 50)]"
expect_screen "outbox row 1 of 3"
expect_screen "the lab refused"
tm send-keys -t admin Enter
expect_screen "celldesk — outbox row $failed_id"
expect_screen "END-OF-ERROR"
expect_screen "2025-01-02T03:05:00Z"
tm send-keys -t admin q
expect_screen "[Outbox (newest 50)]"

step "R on the failed row asks first; n keeps it failed, y makes it pending"
tm send-keys -t admin R
expect_status "Send outbox row $failed_id to the lab again? (y/n)"
tm send-keys -t admin n
expect_status "is not sent again"
[ "$(sq "$db" "SELECT status FROM outbox WHERE id = $failed_id;")" = failed ] && ok ||
	fail "n changed outbox row $failed_id"
tm send-keys -t admin R
expect_status "(y/n)"
tm send-keys -t admin y
expect_status "pending again"
expect_screen "3 pending · 0 failed · 0 sent"
[ "$(sq "$db" "SELECT status FROM outbox WHERE id = $failed_id;")" = pending ] && ok ||
	fail "y did not make outbox row $failed_id pending"
tm send-keys -t admin j
expect_screen "outbox row 2 of 3"
tm send-keys -t admin R
expect_status "only a failed row is sent again"

step "r resolves the review item with a note; it leaves the open list"
tm send-keys -t admin Tab
expect_screen "[Review queue (open)]"
tm send-keys -t admin r
expect_status "Note resolving review item 1:"
tm send-keys -t admin Escape
expect_status "review item 1 stays open"
tm send-keys -t admin r
expect_status "Note resolving review item 1:"
tm send-keys -t admin -l "Checked with the lab: wrong label"
tm send-keys -t admin Enter
expect_status "review item 1 resolved"
expect_screen "no open review items"
expect_screen "0 open"
admin 0 sync review --all --format csv
if grep -q "resolved" "$OUT" && grep -q ",root," "$OUT" &&
	grep -q "Checked with the lab: wrong label" "$OUT"; then ok; else
	fail "sync review --all does not show item 1 resolved by root with the note"
	show_output
fi

step "s without a lab: the child's sentence in the status line, keys still work"
tm send-keys -t admin s
expect_status "no lab is configured"
expect_screen "Sync now      failed after"
tm send-keys -t admin Tab
expect_screen "[Outbox (newest 50)]"
expect_screen "no lab is configured"

step "s with a lab that never answers: the screen answers keys meanwhile"
python3 -c '
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(16)
print(s.getsockname()[1], flush=True)
time.sleep(300)' >"$tmp/port" &
mute_pid=$!
at_exit "kill $mute_pid"
for ((i = 0; i < 50; i++)); do [ -s "$tmp/port" ] && break; sleep 0.1; done
[ -s "$tmp/port" ] || die "the silent lab did not start"
printf '[lab]\nurl = http://127.0.0.1:%s/fhir/R4\nallow_insecure_loopback = true\ntimeout = 1\nconnect_timeout = 1\n' \
	"$(cat "$tmp/port")" >"$labconf/celldesk/config"
tm send-keys -t admin s
expect_status "Syncing with the lab..."
expect_screen "Syncing with the lab... ("
tm send-keys -t admin Tab
expect_screen "[Review queue (open)]"
screen_has "Syncing with the lab... (" && ok ||
	fail "the sync ended before the key was answered (cannot tell the screen stayed usable)"
tm send-keys -t admin '?'
expect_screen "On the lab sync screen"
tm send-keys -t admin q
expect_screen -w 30 "Sync now      failed after"
expect_screen "s: sync: sent 0, pulled 0"
expect_screen "Last failure  20"

step "the front desk sees the screen but not s, r or R"
tui_target=front
tm new-session -d -s front -x 100 -y 30 \
	"runuser -u $frontu -- env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=$shared/home-$frontu LC_ALL=C.UTF-8 TERM=screen-256color $CELLDESK --db $db; echo EXITED \$?; sleep 30"
expect_screen "celldesk — agenda"
tm send-keys -t front 2
expect_screen "celldesk — patients"
tm send-keys -t front L
expect_screen "celldesk — lab sync"
expect_screen "the lab or an admin runs it"
if grep -qF "s sync now" "$tmp/screen"; then fail "the front desk is offered s"; show_screen; else ok; fi
tm send-keys -t front '?'
expect_screen "On the lab sync screen"
expect_screen "review queue or outbox"
if grep -qE "sync with the lab now|resolve the item|send a failed row" "$tmp/screen"; then
	fail "the front desk's help lists s, r or R"
	show_screen
else ok; fi
tm send-keys -t front q
expect_screen "celldesk — lab sync"
# s does nothing for the front desk: the Tab after it shows it was read.
tm send-keys -t front s Tab
expect_screen "[Outbox (newest 50)]"
if grep -qF "Syncing" "$tmp/screen"; then fail "s started a sync for the front desk"; else ok; fi
tm send-keys -t front q q
expect_screen "EXITED 0"

step "q goes back, q quits with status 0"
tui_target=admin
tm send-keys -t admin q
expect_screen "celldesk — patients"
tm send-keys -t admin q
expect_screen "EXITED 0"

finish
