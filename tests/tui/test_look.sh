#!/usr/bin/env bash
# test_look.sh - what the screen looks like whatever the data and the
# terminal: names in Cyrillic, German and Japanese line up by display
# width; text holding escape sequences or bidi controls is shown escaped;
# with NO_COLOR nothing is coloured and the selection is reverse video;
# with colours the header is coloured; 80x24 is enough and 79x24 says
# the terminal is too small.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tui_lib.sh"

db=$tmp/clinic.db
cdk 0 --db "$db" demo --seed 3
cdk 0 --db "$db" patient add --mrn WIDE-1 --name "山田太郎" --dob 1971-01-01 --phone 555-0101
cdk 0 --db "$db" patient add --mrn WIDE-2 --name "Jürgen Müller" --dob 1972-02-02 --phone 555-0102
cdk 0 --db "$db" patient add --mrn WIDE-3 --name "Олена Коваленко" --dob 1973-03-03 --phone 555-0103
# The commands refuse control characters; older data or another program
# may still have put them there.
sqlite3 "$db" "INSERT INTO patients (mrn, name, name_key, dob, created_at, updated_at)
	VALUES ('EVIL-1', 'Evil' || char(27) || '[31mRed' || char(8238) || 'Txt', 'evil',
	'1970-01-01', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')" || die "sqlite3 failed"

step "escape sequences and bidi controls in a name are shown escaped"
tui_start mono 100 30 NO_COLOR=1 -- --db "$db"
keys 2 / EVIL
expect_screen 'Evil\x1b[31mRed\u202eTxt'

step "names line up by display width (CJK is two columns a character)"
keys Escape / 555-010 Enter
expect_screen "山田太郎"
python3 - "$tmp/screen" >"$tmp/cols" <<'PY'
import sys, unicodedata
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
for line in open(sys.argv[1], encoding="utf-8"):
    for dob in ("1971-01-01", "1972-02-02", "1973-03-03"):
        if dob in line:
            print(width(line[:line.index(dob)]))
PY
if [ "$(sort -u "$tmp/cols" | wc -l)" = 1 ] && [ "$(wc -l <"$tmp/cols")" = 3 ]; then ok; else
	fail "the birth dates start at different columns: $(tr '\n' ' ' <"$tmp/cols")"
	show_screen
fi

step "NO_COLOR: no colour anywhere, the selected row in reverse video"
tm capture-pane -e -p -t mono >"$tmp/sgr"
if grep -qE $'\e\\[([0-9;]*;)?(3[0-7]|4[0-7]|9[0-7]|10[0-7]|38;5;[0-9]+|48;5;[0-9]+)(;[0-9;]*)?m' "$tmp/sgr"; then
	fail "a colour is set although NO_COLOR is"
	cat -v "$tmp/sgr" | head -5
else ok; fi
if grep -E $'\e\\[([0-9;]*;)?7(;[0-9;]*)?m' "$tmp/sgr" | grep -q "WIDE-"; then ok; else
	fail "the selected row is not in reverse video"
	cat -v "$tmp/sgr" | head -8
fi
keys q
expect_screen "EXITED 0"

step "with colours the header is coloured"
tui_start colour 100 30 -- --db "$db"
expect_screen "celldesk —"
keys 2
tm capture-pane -e -p -t colour >"$tmp/sgr"
head -1 "$tmp/sgr" | grep -qE $'\e\\[[0-9;]*(44|48;5;4)[;m]' && ok ||
	fail "the header has no colour: $(head -1 "$tmp/sgr" | cat -v)"

step "80x24 is enough; 79x24 says the terminal is too small"
tm resize-window -t colour -x 80 -y 24
expect_screen "Site"
tm resize-window -t colour -x 79 -y 24
expect_screen "terminal too small"
tm resize-window -t colour -x 80 -y 24
expect_screen "Site"
keys q
expect_screen "EXITED 0"

finish
