#!/usr/bin/env bash
# test_keys.sh - the keys are one table: the man page's KEYS section is
# what `celldesk keys` prints (made by man/keys-section.py), and `?` on
# every tab's screen lists every command of that screen, the global ones
# and the tabs, each with the roles it needs.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tui_lib.sh"

src=${CELLDESK_SRCDIR:-$cli_dir/../..}
db=$tmp/clinic.db
cdk 0 --db "$db" demo --seed 3

step "the man page's KEYS section lists the same keys as the command tables"
cdk 0 keys --format json
if python3 "$src/man/keys-section.py" --check "$src/man/celldesk.1" <"$OUT" >"$tmp/diff"; then
	ok
else
	fail "KEYS in celldesk(1) and 'celldesk keys' differ; run man/keys-section.py --update:"
	sed 's/^/   | /' "$tmp/diff"
fi
cp "$OUT" "$tmp/keys.json"

# The help of a screen, tall and wide enough to show it whole.
step "? lists every command of every tab's screen, with the roles"
tui_start keys 250 200 -- --db "$db"
screen_has "celldesk —" || fail "the interface did not start"
python3 - "$tmp/keys.json" >"$tmp/tabs" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1])):
    if r["screen"] == "tabs":
        print(r["keys"])
PY
[ -s "$tmp/tabs" ] && ok || fail "no tabs in celldesk keys"
while read -r tab; do
	keys Escape Escape "$tab"
	keys '?'
	if ! screen_has "needs the role"; then
		fail "? on tab $tab shows no help"
		show_screen
		continue
	fi
	# The whole page, not a capture taken while tmux is still reading it:
	# the info line at the bottom comes last.
	screen_has "from its command table" || { fail "? on tab $tab: no info line"; show_screen; }
	screen=$(sed -n 's/^ *On the \(.*\) screen *$/\1/p' "$tmp/screen" | head -1)
	[ -n "$screen" ] || { fail "help on tab $tab names no screen"; show_screen; continue; }
	missing=$(python3 - "$tmp/keys.json" "$screen" "$tmp/screen" <<'PY'
import json, sys
rows, screen, shown = json.load(open(sys.argv[1])), sys.argv[2], open(sys.argv[3]).read()
lines = [l.split() for l in shown.splitlines()]
for r in rows:
    if r["screen"] not in (screen, "everywhere", "tabs"):
        continue
    # the keys, what it does and the roles, on one line of the help
    want = (r["keys"] + " " + r["does"] + " " + r["roles"]).split()
    if not any(" ".join(want) in " ".join(l) for l in lines):
        print("   %s: %s | %s | %s" % (r["screen"], r["keys"], r["does"], r["roles"]))
PY
)
	if [ -z "$missing" ]; then ok; else
		fail "help on the $screen screen lacks:"
		echo "$missing"
	fi
	keys q
done <"$tmp/tabs"

finish
