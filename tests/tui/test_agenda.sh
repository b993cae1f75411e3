#!/usr/bin/env bash
# test_agenda.sh - the agenda screen driven with real keystrokes through a
# private tmux server: a cycle booked with the CLI shows on its days with
# its steps and statuses; next and previous day; the week view; check in,
# no-show (asked first: n leaves it), cancel with who and why, and move
# (a dry run of what moves, then yes) each seen on screen and in `appt
# show`; a refused move shows ops' own sentence; the now mark on today
# sits between the visits before and after it; a colleague's booking in
# another process appears without a keypress; 80x24 fits; the lab, who
# may not book, is not offered the actions and is refused them. Runs as
# root: the lab user is a throw-away Unix user.
. "$(dirname "$0")/../cli/lib.sh"
lot_tag=tuiagenda
lot_users=cdag
. "$(dirname "$0")/../cli/lot_lib.sh"

. "$(dirname "$0")/tui_lib.sh"

command -v python3 >/dev/null 2>&1 || die "needs python3 (dates and time zones)"

# visit_at APPT DAYS HH:MM - puts visit APPT DAYS days from today (at its
# site) at HH:MM local time, as sqlite3 would: a check-in happens on the
# visit's day and a no-show after its time, and a test cannot wait.
visit_at() {
	python3 - "$db" "$1" "$2" "$3" <<'PYEOF'
import datetime, sqlite3, sys, zoneinfo
db = sqlite3.connect(sys.argv[1])
a, days, hm = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
tz, s, e = db.execute("SELECT tz, starts_at, ends_at FROM appointments WHERE id = ?", (a,)).fetchone()
f = "%Y-%m-%dT%H:%M:%SZ"
dur = datetime.datetime.strptime(e, f) - datetime.datetime.strptime(s, f)
zone = zoneinfo.ZoneInfo(tz)
day = datetime.datetime.now(zone).date() + datetime.timedelta(days=days)
h, m = map(int, hm.split(":"))
start = datetime.datetime.combine(day, datetime.time(h, m), zone).astimezone(datetime.timezone.utc)
db.execute("UPDATE appointments SET local_day = ?, starts_at = ?, ends_at = ? WHERE id = ?",
    (day.isoformat(), start.strftime(f), (start + dur).strftime(f), a))
db.commit()
PYEOF
}
# long_day DATE - "Monday 14 December 2026", as the agenda names a day.
long_day() { python3 -c 'import datetime,sys; d=datetime.date.fromisoformat(sys.argv[1]); print("%s %d %s %d" % (d.strftime("%A"), d.day, d.strftime("%B"), d.year))' "$1"; }
# berlin_day N - the date N days from today in Berlin.
berlin_day() { python3 -c 'import datetime,sys,zoneinfo; print(datetime.datetime.now(zoneinfo.ZoneInfo("Europe/Berlin")).date() + datetime.timedelta(days=int(sys.argv[1])))' "$1"; }
# status_of APPT - the visit's status as `appt show` gives it.
status_of() { "$CELLDESK" --db "$db" --format json appt show "$1" | python3 -c 'import json,sys; d=json.load(sys.stdin); d=d[0] if isinstance(d,list) else d; print(d["status"], d.get("reason") or "", d["start"])'; }
# row_has TEXT... - one line of the screen holds every TEXT.
row_has() {
	local i t line
	for ((i = 0; i < 50; i++)); do
		tm capture-pane -p -t "$tui_target" >"$tmp/screen" 2>/dev/null
		while IFS= read -r line; do
			for t in "$@"; do
				[[ $line == *"$t"* ]] || continue 2
			done
			return 0
		done <"$tmp/screen"
		sleep 0.1
	done
	return 1
}
expect_row() {
	if row_has "$@"; then ok; else
		fail "no line of the screen shows all of: $*"
		show_screen
	fi
}
# go_to DATE - d, then the date in place of the one shown.
go_to() { keys d C-u "$1" Enter; expect_screen "$(long_day "$1")"; }

step "a demo clinic, a new patient and a cycle booked with the CLI"
admin 0 demo --seed 3 || die "demo failed"
chmod 0666 "$db"
admin 0 staff add "$labu" --name "$LAB_NAME" --role lab || die "staff add failed"
admin 0 patient add --mrn AGD-1 --name "Agnes Agenda" --dob 1960-01-01 --site Berlin ||
	die "patient add failed"
inj1=$(next_weekday "$(day_after 28)" mon)
admin 0 --format json course book --patient AGD-1 --protocol hip-autologous-4 --start "$inj1" \
	--time 10:00 --site Berlin || die "course book failed"
cp "$OUT" "$tmp/booked.json"
ids() { python3 -c 'import json,sys; print(" ".join(str(r["id"]) for r in json.load(open(sys.argv[1])) if r["step"] == sys.argv[2]))' "$tmp/booked.json" "$1"; }
read -r call_id <<<"$(ids call)"
read -r harvest_id <<<"$(ids harvest)"
read -r inj1_id inj2_id inj3_id inj4_id <<<"$(ids injection)"
[ -n "$inj4_id" ] && [ -n "$call_id" ] && [ -n "$harvest_id" ] || die "the booking has no call, harvest and four injections"
inj2=$(date_add "$inj1" 14)
inj1_at=$(python3 -c 'import json,sys; r=[r for r in json.load(open(sys.argv[1])) if r["step"] == "injection"][0]; print(r["start"][11:16] + "–" + r["end"][11:16])' "$tmp/booked.json")
inj1_hm=${inj1_at:0:5}
harvest_day=$(python3 -c 'import json,sys; print([r["start"][:10] for r in json.load(open(sys.argv[1])) if r["step"] == "harvest"][0])' "$tmp/booked.json")

step "it opens on the agenda: today at the first site"
tui_start agenda 100 30 -- --db "$db"
expect_screen "celldesk — agenda Berlin"
expect_screen "$(long_day "$(berlin_day 0)") (today)"
expect_screen "Europe/Berlin time"
expect_screen "▶ now "

step "the day of the first injection: the visit with its step, patient, resources and status"
go_to "$inj1"
expect_row "$inj1_id" "$inj1_at" "injection 1" "Agnes Agenda" "booked"
expect_screen "Injection room"

step "next and previous day (l and Right, h and Left)"
keys l
expect_screen "$(long_day "$(date_add "$inj1" 1)")"
expect_gone "Agnes Agenda"
keys Left
expect_screen "$(long_day "$inj1")"
expect_row "injection 1" "Agnes Agenda"
keys Right h
expect_screen "$(long_day "$inj1")"
keys h
expect_screen "$(long_day "$(date_add "$inj1" -1)")"
go_to "$harvest_day"
expect_row "$harvest_id" "harvest" "Agnes Agenda" "booked"

step "the week view: a heading per day; l goes a week on, and two weeks on comes injection 2"
go_to "$inj1"
keys w
expect_screen "week Mon"
expect_row "$(long_day "$inj1")" "visits"
expect_row "$(long_day "$(date_add "$inj1" 1)")" "visits"
expect_row "injection 1" "Agnes Agenda"
keys l
expect_row "$(long_day "$(date_add "$inj1" 7)")" "visits"
expect_gone "Agnes Agenda"
keys l
expect_row "$(long_day "$inj2")" "visits"
expect_row "$inj2_id" "injection 2" "Agnes Agenda" "booked"
keys h h w
expect_screen "$(long_day "$inj1")"
expect_no_screen "week Mon"

step "s and S change the site; r and R show one resource's visits, then all again"
keys s
expect_screen "celldesk — agenda Kyiv"
expect_screen "Europe/Kyiv time"
expect_gone "Agnes Agenda"
keys S
expect_screen "celldesk — agenda Berlin"
expect_row "injection 1" "Agnes Agenda"
room=$(python3 -c 'import json,sys; print([r["resource"] for r in json.load(open(sys.argv[1])) if r["step"] == "injection"][0].split(", ")[0])' "$tmp/booked.json")
case $room in "Injection room A") other="Injection room B" ;; *) other="Injection room A" ;; esac
screen_has "$other" && ok || fail "no visit in $other on $inj1: the filter below shows nothing"
# r goes through the site's resources by name: press it until the room.
for ((n = 1; n <= 12; n++)); do
	keys r
	screen_has -w 1 "· $room ·" && break
done
expect_screen "· $room ·"
expect_row "injection 1" "Agnes Agenda" "$room"
expect_gone "$other"
# R goes back the same way, to all resources.
for ((i = 0; i < n; i++)); do keys R; done
expect_screen "· all resources ·"
expect_screen "$other"

step "Enter opens the visit: its details and its cycle; Esc goes back; p opens the patient"
keys / AGD-1 Enter Enter
expect_screen "celldesk — visit $inj1_id"
expect_screen "injection, course 1"
expect_screen "hip-autologous-4"
expect_row "$inj4_id" "injection 4" "booked"
expect_row "$inj1_id" "this visit"
keys Escape
expect_screen "celldesk — agenda"
keys p
expect_screen "celldesk — patient AGD-1"
expect_screen "1960-01-01"
keys Escape
expect_screen "celldesk — agenda"

# The call today (to check in) and the harvest yesterday (a no-show):
# another process changes them, and the agenda shows it without a key.
step "today: the now mark sits between the visits before it and after it"
visit_at "$call_id" 0 00:01
visit_at "$harvest_id" -1 09:00
keys t
expect_screen "(today)"
expect_row "$call_id" "call" "Agnes Agenda" "booked"
expect_screen "▶ now "
python3 - "$tmp/screen" >"$tmp/now" <<'PY'
import datetime, re, sys, zoneinfo
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
now = [i for i, l in enumerate(lines) if "▶ now " in l]
if len(now) != 1:
    print("%d now marks" % len(now)); sys.exit()
hm = re.search(r"▶ now (\d\d):(\d\d)", lines[now[0]])
mark = int(hm.group(1)) * 60 + int(hm.group(2))
real = datetime.datetime.now(zoneinfo.ZoneInfo("Europe/Berlin"))
if abs(real.hour * 60 + real.minute - mark) > 1:
    print("the mark says %s, Berlin's clock %s" % (hm.group(0), real.strftime("%H:%M")))
for i, l in enumerate(lines):
    m = re.search(r"\s(\d\d):(\d\d)–\d\d:\d\d\s", l)
    if not m:
        continue
    start = int(m.group(1)) * 60 + int(m.group(2))
    if i < now[0] and start > mark:
        print("a visit at %s is above the mark" % m.group(0).strip())
    if i > now[0] and start <= mark:
        print("a visit at %s is below the mark" % m.group(0).strip())
PY
if [ -s "$tmp/now" ]; then fail "the now mark: $(cat "$tmp/now")"; show_screen; else ok; fi
expect_row "00:01–" "Agnes Agenda"

step "i checks the patient in: the screen and appt show say so"
keys / AGD-1 Enter i
expect_status "is checked in"
expect_row "$call_id" "Agnes Agenda" "checked in"
case $(status_of "$call_id") in checked-in*) ok ;; *) fail "appt show: $(status_of "$call_id")" ;; esac
admin 0 agenda --site Berlin --date "$(berlin_day 0)"
expect_out_re "$call_id .*checked-in"

step "X asks before marking a no-show; n leaves the visit as it was, y marks it"
keys h
expect_screen "$(long_day "$(berlin_day -1)")"
expect_row "$harvest_id" "harvest" "Agnes Agenda" "booked"
keys / AGD-1 Enter X
expect_status "Mark Agnes Agenda a no-show"
keys n
expect_status "nothing changed"
expect_row "$harvest_id" "Agnes Agenda" "booked"
case $(status_of "$harvest_id") in booked*) ok ;; *) fail "after n: $(status_of "$harvest_id")" ;; esac
keys X
expect_status "a no-show for 09:00 (visit $harvest_id)?"
keys y
expect_status "is marked a no-show"
expect_row "$harvest_id" "Agnes Agenda" "no-show"
case $(status_of "$harvest_id") in no-show*) ok ;; *) fail "after y: $(status_of "$harvest_id")" ;; esac

step "a move that ops refuses shows its own sentence; nothing moves"
sunday=$(next_weekday "$inj1" sun)
go_to "$inj1"
keys / AGD-1 Enter m
expect_status "Move visit $inj1_id to (YYYY-MM-DD HH:MM): $inj1 $inj1_hm"
keys C-u "$sunday 10:00" Enter
expect_status "visit $inj1_id: "
expect_status "closed on Sundays"
case $(status_of "$inj1_id") in "booked  ${inj1}T$inj1_hm"*) ok ;; *) fail "after a refused move: $(status_of "$inj1_id")" ;; esac

step "m: the dry run says what would move; n keeps it; y moves it and it shows at its new time"
to=""
for hm in 15:00 14:00 16:00 13:00 12:00 11:00 09:00 08:00; do
	if "$CELLDESK" --db "$db" appt move "$inj1_id" --to "$inj1 $hm" --dry-run >/dev/null 2>&1; then
		to=$hm
		break
	fi
done
[ -n "$to" ] || die "no free time on $inj1 to move injection 1 to"
keys m C-u "$inj1 $to" Enter
expect_screen "celldesk — move visit $inj1_id: what would move"
expect_screen "Moving visit $inj1_id (Agnes Agenda,"
expect_row "$inj1_id" "injection 1" "$inj1_hm → " " $to "
expect_status "as shown?"
keys n
expect_status "nothing changed"
case $(status_of "$inj1_id") in "booked  ${inj1}T$inj1_hm"*) ok ;; *) fail "after n: $(status_of "$inj1_id")" ;; esac
keys Enter
expect_status "as shown?"
keys y
expect_screen "celldesk — agenda"
expect_status "visit $inj1_id is on "
expect_row "$inj1_id" "$to–" "injection 1" "Agnes Agenda" "booked"
expect_no_screen "$inj1_at  injection 1  Agnes"
case $(status_of "$inj1_id") in "booked  ${inj1}T$to"*) ok ;; *) fail "after the move: $(status_of "$inj1_id")" ;; esac

step "C asks, then who cancels and why; the visit is cancelled with that reason"
inj2=$(status_of "$inj2_id")
inj2=${inj2##* }
inj2=${inj2:0:10}
go_to "$inj2"
keys / AGD-1 Enter C
expect_status "Cancel visit $inj2_id (Agnes Agenda,"
keys y
expect_status "Who cancels visit $inj2_id"
keys p
expect_status "Why is visit $inj2_id cancelled?"
keys "Patient has the flu" Enter
expect_status "is cancelled by the patient"
expect_row "$inj2_id" "Agnes Agenda" "cancelled"
case $(status_of "$inj2_id") in "cancelled-by-patient Patient has the flu "*) ok ;;
*) fail "after cancel: $(status_of "$inj2_id")" ;; esac

step "a colleague's booking (another process) appears without a keypress"
admin 0 patient add --mrn AGD-2 --name "Bruno Booked" --dob 1961-02-02 --site Berlin
admin 0 --format json course book --patient AGD-2 --protocol knee-donor-3 \
	--start "$(date_add "$inj1" 7)" --site Berlin --dry-run
bruno_day=$(python3 -c 'import json,sys; print([r["start"][:10] for r in json.load(open(sys.argv[1])) if r["step"] == "injection"][0])' "$OUT")
go_to "$bruno_day"
expect_no_screen "Bruno Booked"
admin 0 course book --patient AGD-2 --protocol knee-donor-3 --start "$(date_add "$inj1" 7)" \
	--site Berlin
expect_row "injection 1" "Bruno Booked" "booked"

step "80x24 is enough: the columns, the status and the help hint fit"
tm resize-window -t agenda -x 80 -y 24
expect_screen "Status"
expect_row "injection 1" "Bruno Booked" "booked"
expect_screen "? help"
tm resize-window -t agenda -x 100 -y 30

step "q quits with status 0"
keys q
expect_screen "EXITED 0"

step "a clinic with no sites yet: the agenda says so, and s says why it cannot change"
cdk 0 --db "$tmp/empty.db" init
tui_start empty 80 24 -- --db "$tmp/empty.db"
expect_screen "No sites yet: an admin adds one (celldesk site add)."
keys s
expect_status "there are no sites yet"
keys r l w j Enter i
expect_screen "No sites yet"
keys q
expect_screen "EXITED 0"

step "the lab, who may not book, is not offered the actions (help says not you) and is refused them"
tm new-window -d -n lab \
	"runuser -u $labu -- env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=$shared/home-$labu LC_ALL=C.UTF-8 TERM=screen-256color $CELLDESK --db $db; echo EXITED \$?; sleep 30"
tm resize-window -t lab -x 120 -y 30
tui_target=lab
expect_screen "celldesk —"
keys 1
expect_screen "celldesk — agenda"
go_to "$bruno_day"
expect_row "Bruno Booked" "booked"
expect_screen "h/l day"
expect_no_screen "i check in"
keys / AGD-2 Enter i
expect_status "book, move, cancel or check in visits"
expect_row "Bruno Booked" "booked"
bruno_id=$(admin 0 --format json agenda --site Berlin --date "$bruno_day" >/dev/null; python3 -c 'import json,sys; print([r["id"] for r in json.load(open(sys.argv[1])) if r["patient"] == "AGD-2"][0])' "$OUT")
case $(status_of "$bruno_id") in booked*) ok ;; *) fail "the lab's i changed it: $(status_of "$bruno_id")" ;; esac
keys '?'
expect_screen "On the agenda screen"
expect_row "check the patient in" "(not you)"
keys q q
expect_screen "EXITED 0"

finish
