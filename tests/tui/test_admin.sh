#!/usr/bin/env bash
# test_admin.sh - the admin screen driven with real keystrokes through a
# private tmux server, on the demo clinic: tab 7 lists the staff; a new
# staff member is added with roles from the keyboard (a form that says
# what is missing, asks before dropping what was typed, and keeps it when
# ops refuses) and `celldesk staff list` has them; D asks before
# disabling (n keeps them, y asks why and disables), e lets them back
# in; a site is added (a bad time zone refused in the form) and closed
# for a day (asked first); a resource
# is added at it, given its own hours and an absence; the protocols are
# listed and one opened; v verifies the audit trail as a child and says
# the chain is intact; the front desk sees the lists but every admin
# action is refused, and help marks them; 80x24 shows the form.
# Runs as root: the front desk is a throw-away Unix user.
. "$(dirname "$0")/../cli/lib.sh"
lot_tag=tuiadmin
lot_users=cdta
. "$(dirname "$0")/../cli/lot_lib.sh"

. "$(dirname "$0")/tui_lib.sh"

# tui_as USER NAME COLS ROWS - celldesk on $db as USER in window NAME.
tui_as() {
	local u=$1 name=$2 cols=$3 rows=$4 cmd
	if [ "$u" = root ]; then
		cmd=$(printf '%q ' env LC_ALL=C.UTF-8 TERM=screen-256color HOME="$HOME" \
			"$CELLDESK" --db "$db")
	else
		cmd=$(printf '%q ' runuser -u "$u" -- env -i PATH=/usr/local/bin:/usr/bin:/bin \
			HOME="$shared/home-$u" LC_ALL=C.UTF-8 TERM=screen-256color "$CELLDESK" --db "$db")
	fi
	if tm has-session 2>/dev/null; then
		tm new-window -d -n "$name" "$cmd; echo EXITED \$?; sleep 60"
	else
		tm -f /dev/null new-session -d -s tui -n "$name" -x "$cols" -y "$rows" \
			"$cmd; echo EXITED \$?; sleep 60"
	fi
	tm resize-window -t "$name" -x "$cols" -y "$rows" 2>/dev/null
	tui_target=$name
}
staff_json() { admin 0 staff list --format json && json_valid; }
nstaff() { sq "$db" "SELECT count(*) FROM staff;"; }

step "the demo clinic and the front desk"
admin 0 demo --seed 3 || die "demo failed"
chmod 0666 "$db"
admin 0 staff add "$frontu" --name "Frida Front" --role frontdesk || die "staff add failed"

step "tab 7 opens the admin screen on the staff"
tui_as root adm 100 30
expect_screen "celldesk —"
keys 7
expect_screen "celldesk — admin · Staff"
expect_screen "[Staff]"
expect_screen "$frontu"
expect_screen "Frida Front"
expect_screen "staff member 1 of"

step "the form says what is missing, and asks before dropping what was typed"
keys a
expect_screen "celldesk — admin · new staff member"
expect_screen "User name"
expect_screen "Clinician"
keys Enter
expect_status "User name: give the person's Unix account name"
keys Escape
expect_screen "celldesk — admin · Staff"
keys a
expect_screen "A new staff member"
keys -l "typo"
keys Escape
expect_status "Leave the admin form and lose what was typed in it?"
keys n
expect_status "nothing changed"
expect_screen "typo"
keys Escape
expect_status "Leave the admin form"
keys y
expect_screen "celldesk — admin · Staff"

step "a new staff member with two roles, typed in; staff list has them"
n0=$(nstaff)
keys a
expect_screen "A new staff member"
keys -l "nneu"
keys Tab
keys -l "Nina Neu-Müller"
keys Tab
expect_screen "books and moves visits"
keys Space Tab Tab Space
expect_screen "Nina Neu-Müller"
keys Enter
expect_status "added nneu as staff with the roles frontdesk,clinician"
expect_screen "celldesk — admin · Staff"
expect_screen "Nina Neu-Müller"
staff_json && json_assert 'any(x["user"] == "nneu" and x["name"] == "Nina Neu-Müller" and roles_of(x) == ["frontdesk", "clinician"] and truthy(x["active"]) for x in d)' \
	"staff list: nneu, Nina Neu-Müller, frontdesk and clinician, active"
[ "$(nstaff)" = $((n0 + 1)) ] && ok || fail "the form added $(($(nstaff) - n0)) staff rows"

step "ops refuses a user who is already staff; the form keeps what was typed"
keys a
keys -l "nneu"
keys Tab
keys -l "Someone Else"
keys Tab Space Enter
expect_status "'nneu' is already staff"
expect_screen "Someone Else"
keys Escape y
expect_screen "celldesk — admin · Staff"
[ "$(nstaff)" = $((n0 + 1)) ] && ok || fail "a refused form added a staff row"

step "D asks before disabling: n keeps them, y asks why and disables"
keys /
keys -l "nneu"
keys Enter
expect_screen "nneu"
keys D
expect_status "Disable nneu (Nina Neu-Müller)? They could no longer use celldesk."
keys n
expect_status "nothing changed"
staff_json && json_assert 'any(x["user"] == "nneu" and truthy(x["active"]) for x in d)' "n kept nneu active"
keys D
expect_status "Disable nneu"
keys y
expect_status "Why is nneu disabled?"
keys -l "moved to another clinic"
keys Enter
expect_status "nneu is now disabled"
expect_screen "disabled"
staff_json && json_assert 'any(x["user"] == "nneu" and not truthy(x["active"]) for x in d)' "nneu is disabled"
admin 0 audit log --table staff --row nneu && expect_out "moved to another clinic"
keys D
expect_status "nneu is already disabled"

step "e asks, then lets them back in"
keys e
expect_status "Let nneu (Nina Neu-Müller) use celldesk again?"
keys y
expect_status "nneu is active again"
staff_json && json_assert 'any(x["user"] == "nneu" and truthy(x["active"]) for x in d)' "nneu is active again"

step "a site: a bad time zone is refused in the form, a good one added"
keys Tab
expect_screen "celldesk — admin · Sites"
expect_screen "Europe/Kyiv"
keys a
expect_screen "A new site"
expect_screen "mon-fri 08:00-18:00"
keys -l "Lisbon"
keys Tab
keys -l "Mars/Olympus"
keys Enter
expect_status "Mars/Olympus"
expect_screen "A new site"
keys Tab Tab Tab C-u
keys -l "Europe/Lisbon"
keys Enter
expect_status "added the site Lisbon (Europe/Lisbon)"
expect_screen "Lisbon"
admin 0 site list --format json && json_valid &&
	json_assert 'any(x["name"] == "Lisbon" and x["tz"] == "Europe/Lisbon" and x["hours"] == "mon-fri 08:00-18:00" for x in d)' \
		"site list: Lisbon, Europe/Lisbon, the default hours"

step "C closes Lisbon for a day, asked first"
closed=$(next_weekday "$(day_after 40)" mon)
keys C
expect_status "Close Lisbon on the day (YYYY-MM-DD):"
keys -l "$closed"
keys Enter
expect_status "Why is Lisbon closed?"
keys -l "Dia de Portugal"
keys Enter
expect_status "Close Lisbon on $closed? Nothing new can be booked there that day."
keys n
expect_status "nothing changed"
lisbon_closed() {
	sq "$db" "SELECT c.day || ' ' || coalesce(c.reason, '-') FROM site_closures c
		JOIN sites s ON s.id = c.site_id WHERE s.name = 'Lisbon';"
}
[ -z "$(lisbon_closed)" ] && ok || fail "n closed the site: $(lisbon_closed)"
keys C
keys -l "$closed"
keys Enter Enter
expect_status "Close Lisbon on $closed?"
keys y
expect_status "Lisbon is closed on $closed: nothing new is booked there that day"
[ "$(lisbon_closed)" = "$closed -" ] && ok || fail "Lisbon's closures are '$(lisbon_closed)'"

step "resources at Lisbon: add one, give it its own hours, record an absence"
keys Tab
expect_screen "celldesk — admin · Resources & hours at Berlin"
expect_screen "Injection room A"
keys s s
expect_screen "celldesk — admin · Resources & hours at Lisbon"
expect_screen "no resources yet"
keys a
expect_screen "A new room, device or clinician at Lisbon"
keys -l "Sala 1"
keys Tab Right
expect_screen "device"
keys Left Tab
keys -l "injection,ultrasound"
keys Enter
expect_status "added the room Sala 1 at Lisbon"
expect_screen "Sala 1"
expect_screen "the site's hours"
keys o
expect_status "Own hours of Sala 1"
keys -l "mon-thu 09:00-15:00"
keys Enter
expect_status "Sala 1 at Lisbon now keeps its own hours: mon-thu 09:00-15:00"
expect_screen "mon-thu 09:00-15:00"
admin 0 resource list --site Lisbon --format json && json_valid &&
	json_assert 'd == [{"name": "Sala 1", "site": "Lisbon", "kind": "room", "tags": "injection,ultrasound"}]' \
		"resource list: Sala 1, a room at Lisbon, with its tags"
got=$(sq "$db" "SELECT group_concat(weekday || ' ' || open_min || '-' || close_min, ',') FROM resource_hours WHERE resource_id = (SELECT id FROM resources WHERE name = 'Sala 1');")
[ "$got" = "0 540-900,1 540-900,2 540-900,3 540-900" ] && ok || fail "Sala 1's hours are '$got'"
away=$(day_after 30)
keys w
expect_screen "Away: when the resource cannot be booked: Sala 1 at Lisbon"
keys -l "$away 09:00"
keys Tab
keys -l "$away 12:00"
keys Tab
keys -l "maintenance"
keys Enter
expect_status "Sala 1 is away from $away 09:00 to $away 12:00"
got=$(sq "$db" "SELECT reason FROM resource_absences WHERE resource_id = (SELECT id FROM resources WHERE name = 'Sala 1');")
[ "$got" = maintenance ] && ok || fail "the absence of Sala 1 is recorded as '$got'"

step "the protocols, and one opened"
keys Tab
expect_screen "celldesk — admin · Protocols"
expect_screen "hip-autologous-4"
expect_screen "knee-donor-3"
keys /
keys -l "knee"
keys Enter
keys Enter
expect_screen "celldesk — protocol knee-donor-3"
expect_screen "Courses apart   14 days (at least 12)"
expect_screen '"min_gap_days": 12'
keys Escape
expect_screen "celldesk — admin · Protocols"

step "v verifies the audit trail as a child: the chain is intact"
keys Tab
expect_screen "celldesk — admin · Audit trail"
expect_screen "Not verified from here yet."
keys v
expect_screen -w 30 "Audit chain intact:"
expect_screen "the command succeeded"
keys Escape
expect_screen "Last verified from here"
expect_screen "Audit chain intact:"
keys q
expect_screen "EXITED 0"

step "80x24: the form shows every field"
tui_as root small 80 24
expect_screen "celldesk —"
keys 7 a
expect_screen "A new staff member"
expect_screen "Admin"
expect_screen "Enter save"
keys Escape q
expect_screen "EXITED 0"

step "the front desk sees the lists, but every admin action is refused"
n1=$(nstaff)
tui_as "$frontu" front 150 40
expect_screen "celldesk —"
keys 7
expect_screen "celldesk — admin · Staff"
expect_screen "nneu"
keys a
expect_status "may not manage staff"
expect_no_screen "A new staff member"
keys D
expect_status "may not manage staff"
keys '?'
expect_screen "On the admin staff screen"
expect_screen "add a staff member"
expect_screen "admin (not you)"
keys q
keys Tab a
expect_status "may not manage sites and resources"
keys Tab a
expect_status "may not manage sites and resources"
keys o
expect_status "may not manage sites and resources"
keys Tab Tab
expect_screen "celldesk — admin · Audit trail"
expect_screen "Only an admin verifies the audit trail."
keys v
expect_status "may not read or verify the audit trail"
[ "$(nstaff)" = "$n1" ] && ok || fail "the front desk changed the staff"
admin 0 site list --format json && json_assert 'len(d) == 4' "the front desk added no site"
keys q
expect_screen "EXITED 0"

finish
