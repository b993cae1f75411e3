#!/usr/bin/env bash
# test_booking.sh - a new patient and a 4-course cycle booked from the
# keyboard through a private tmux server, checked on the screen and then
# in the database through the command line: the new-patient form (a
# wrong date of birth refused in words, its field focused), the booking
# form's plan before anything is booked, a start on a closed day
# explained and nothing booked, editing after the plan drops it, Esc
# with unsaved input asks first, a resize storm inside the form keeps
# its input and draws it again as it was, the booking on a yes, the four
# injections 14 days apart in `cycle show` and `agenda`, the patient
# page's timeline, a plan made stale by a colleague's booking shown
# again rather than booked, and a demo patient's reserved lot on their
# timeline.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tui_lib.sh"

db=$tmp/clinic.db
cdk 0 --db "$db" demo --seed 3

# Dates far enough ahead for the protocol's call (14 days before) and
# after the demo's own bookings and closures: a Monday about 14 months on.
start=$(next_weekday "$(day_after 420)" mon)
closed=$(date_add "$start" 7)
c2=$(date_add "$start" 14)
c3=$(date_add "$start" 28)
c4=$(date_add "$start" 42)
[ -n "$start" ] && [ -n "$c4" ] || die "the date helpers gave nothing"
cdk 0 --db "$db" site close Berlin --date "$closed" --reason "staff training day"

tui_start booking 100 30 -- --db "$db"
expect_screen "celldesk — agenda"
keys 2
expect_screen "celldesk — patients"

step "a on the patients screen opens the new-patient form"
keys a
expect_screen "celldesk — new patient"
expect_screen "MRN, name and date of birth are needed"

step "a date of birth that does not exist is refused in words, its field focused"
keys BK-1 Tab "Zoë Łukasiewicz" Tab 1980-02-30 Tab "+49 30 555 0199" Enter
expect_screen "Date of birth: '1980-02-30' is not a valid date (YYYY-MM-DD)"
expect_screen "▸ Date of birth  1980-02-30"
cdk 0 --db "$db" patient list --search BK-1 --format json &&
	json_assert 'len(d) == 0' "nothing saved after the refusal"

step "Esc on the filled-in patient form asks first"
keys Escape
expect_status "Leave the new patient form and lose what was typed in it?"
keys n
expect_screen "MRN            BK-1"

step "the patient is saved, their page opens and a cycle is offered"
keys C-u 1980-02-28 Tab Tab B Tab de Tab "hip osteoarthritis" Enter
expect_screen "celldesk — patient BK-1"
expect_screen "No cycle booked yet; b books one."
expect_status "Patient BK-1 (Zoë Łukasiewicz) is added. Book a cycle for them now?"
cdk 0 --db "$db" patient show BK-1 --format json &&
	json_assert 'd["name"] == "Zoë Łukasiewicz" and d["dob"] == "1980-02-28" and d["site"] == "Berlin" and d["language"] == "de" and d["condition"] == "hip osteoarthritis" and d["phone"] == "+49 30 555 0199"' \
		"patient show BK-1: every field as typed"

step "y opens the booking form for the new patient, defaults filled"
keys y
expect_screen "celldesk — book a cycle for BK-1"
expect_screen "Zoë Łukasiewicz, born 1980-02-28, prefers Berlin"
expect_screen "Site          ◂ Berlin ▸"
expect_screen "Courses       4"
expect_screen "▸ Protocol      ◂ hip-autologous-4 ▸"

step "a start on the day Berlin is closed is explained, and nothing is booked"
keys Tab Tab C-u "$closed" Enter
expect_screen "Cannot book this cycle; nothing is booked:"
expect_screen "Berlin is closed on $closed (staff training day)"
expect_screen "▸ Start date    $closed"
cdk 0 --db "$db" cycle list --patient BK-1 --format json &&
	json_assert 'len(d) == 0' "no cycle for BK-1 after the refusal"

step "Enter plans the four courses 14 days apart; nothing is booked yet"
keys C-u "$start" Tab Tab 10:00 Enter
expect_screen "Not booked yet: 11 visits"
for d in "$start" "$c2" "$c3" "$c4"; do
	expect_screen "injection  $d"
done
expect_screen "10:00-11:00"
cdk 0 --db "$db" cycle list --patient BK-1 --format json &&
	json_assert 'len(d) == 0' "the plan books nothing"

step "editing a field drops the plan; Enter plans again"
keys BSpace
expect_gone "Not booked yet"
expect_status "Time changed: the plan is dropped"
keys 0 Enter
expect_screen "Not booked yet: 11 visits"

step "Esc with unsaved input asks first; any key but y keeps the form"
keys Escape
expect_status "Leave the booking form and lose what was typed in it?"
keys n
expect_status "nothing changed"
expect_screen "▸ Time          10:00"
expect_screen "Not booked yet: 11 visits"

step "a resize storm inside the form keeps its input and draws it as before"
tm capture-pane -p -t booking >"$tmp/before"
for size in 80x24 79x24 60x15 120x40 80x23 200x60 30x8 81x25 100x30 90x24 80x24 \
	10x5 140x35 79x23 100x30; do
	tm resize-window -t booking -x "${size%x*}" -y "${size#*x}"
done
tm resize-window -t booking -x 70 -y 20
expect_screen "terminal too small (need 80x24)"
tm resize-window -t booking -x 80 -y 24
expect_screen "Not booked yet: 11 visits"
expect_screen "▸ Time          10:00"
expect_screen "Start date    $start"
expect_screen "Patient MRN   BK-1"
expect_no_screen "terminal too small"
[ "$(wc -L <"$tmp/screen")" -le 80 ] && [ "$(wc -l <"$tmp/screen")" -le 24 ] && ok ||
	fail "the 80x24 screen is wider or taller than the terminal"
tm resize-window -t booking -x 100 -y 30
same=no
for ((i = 0; i < 50; i++)); do
	tm capture-pane -p -t booking >"$tmp/screen"
	cmp -s "$tmp/before" "$tmp/screen" && { same=yes; break; }
	sleep 0.1
done
if [ $same = yes ]; then ok; else
	fail "after the storm the 100x30 screen differs from before it"
	diff "$tmp/before" "$tmp/screen" | sed 's/^/   | /'
fi

step "Enter asks, y books, and the patient page shows the cycle"
keys Enter
expect_status "Book 11 visits for patient BK-1"
keys y
expect_screen "celldesk — patient BK-1"
expect_status "booked: 11 visits"
expect_screen "hip-autologous-4 · Berlin · autologous · 4 courses, 14 days apart · active"
for d in "$start" "$c2" "$c3" "$c4"; do
	expect_screen "$d  10:00  injection"
done

step "the command line sees the same cycle: four injections 14 days apart"
cdk 0 --db "$db" cycle list --patient BK-1 --format json &&
	json_assert 'len(d) == 1 and d[0]["protocol"] == "hip-autologous-4" and d[0]["site"] == "Berlin"' \
		"one cycle for BK-1"
cyc=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["id"])' "$OUT")
cdk 0 --db "$db" cycle show "$cyc" --format json &&
	S=$start py_check "cycle show: 4 injections from $start, 14 days apart, at 10:00" '
i = inj(d["visits"])
if len(i) != 4: bad("%d injections" % len(i))
if len(d["visits"]) != 11: bad("%d visits" % len(d["visits"]))
if i and str(day(i[0]["start"])) != E["S"]: bad("the first is on %s" % i[0]["start"])
for a, b in zip(i, i[1:]):
    if days(a["start"], b["start"]) != 14: bad("%s to %s" % (a["start"], b["start"]))
if any(hm(x["start"]) != "10:00" or x["status"] != "booked" for x in i): bad("not all booked at 10:00")'
cdk 0 --db "$db" agenda --patient BK-1 --format json &&
	py_check "agenda --patient BK-1: the same 4 injections 14 days apart" '
i = inj(d)
if len(i) != 4: bad("%d injections" % len(i))
for a, b in zip(i, i[1:]):
    if days(a["start"], b["start"]) != 14: bad("%s to %s" % (a["start"], b["start"]))
if any(x["site"] != "Berlin" or x["name"] != "Zoë Łukasiewicz" for x in i): bad("site or name")'
cdk 0 --db "$db" agenda --site Berlin --date "$c3" --format json &&
	json_assert 'any(x["patient"] == "BK-1" and x["step"] == "injection" and x["course"] == 3 for x in d)' \
		"agenda of Berlin on $c3 lists BK-1's third injection"

step "b on the patients screen opens the form for the selected patient; Esc leaves an untouched one"
keys Escape
expect_screen "celldesk — patients"
keys / BK-1
expect_screen "Zoë Łukasiewicz"
keys Enter b
expect_screen "celldesk — book a cycle for BK-1"
keys Escape
expect_screen "celldesk — patients"

step "a plan made stale by a colleague's booking is shown again, not booked"
cdk 0 --db "$db" patient add --mrn BK-2 --name "Second Patient" --dob 1970-05-05 --site Berlin
cdk 0 --db "$db" patient add --mrn BK-3 --name "Third Patient" --dob 1971-06-06 --site Berlin
late=$(date_add "$start" 70)
keys Escape / BK-2
expect_screen "Second Patient"
keys Enter b Tab Tab C-u "$late" Tab Tab 11:00 Enter
expect_screen "Not booked yet: 11 visits"
cdk 0 --db "$db" course book --patient BK-3 --protocol hip-autologous-4 --start "$late" --time 11:00
keys Enter
expect_status "Book 11 visits for patient BK-2"
keys y
expect_status "the schedule changed since this plan was made"
expect_screen "Not booked yet: 11 visits"
cdk 0 --db "$db" cycle list --patient BK-2 --format json &&
	json_assert 'len(d) == 0' "nothing booked for BK-2 from the stale plan"

step "Esc, then y, drops the typed input"
keys Escape
expect_status "Leave the booking form and lose what was typed in it?"
keys y
expect_screen "celldesk — patients"

step "a reserved lot shows on its visit in the patient's timeline (and in cycle show)"
row=$(sq "$db" "SELECT p.mrn || '|' || l.code || '|' || a.cycle_id FROM lots l
	JOIN appointments a ON a.id = l.appointment_id JOIN patients p ON p.id = a.patient_id
	WHERE l.status = 'reserved' ORDER BY a.starts_at LIMIT 1;")
IFS='|' read -r lmrn lcode lcyc <<<"$row"
[ -n "$lcode" ] || die "the demo has no reserved lot"
tm resize-window -t booking -x 100 -y 60
keys Escape / "$lmrn" Enter Enter
expect_screen "celldesk — patient $lmrn"
expect_screen "lot $lcode (reserved)"
cdk 0 --db "$db" cycle show "$lcyc" --format json &&
	L=$lcode json_assert 'any(v["lot"] == E["L"] and v["lot_status"] == "reserved" and v["step"] == "injection" for v in d["visits"])' \
		"cycle show names lot $lcode on its injection"
cdk 0 --db "$db" cycle show "$lcyc" && expect_out "$lcode"

step "q quits with status 0"
keys q q
expect_screen "EXITED 0"

finish
