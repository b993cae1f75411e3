#!/usr/bin/env bash
# test_man.sh - the manual pages are clean under mandoc's lint and list
# exactly the commands the program's command table has.
. "$(dirname "$0")/lib.sh"

src=${CELLDESK_SRCDIR:-$cli_dir/../..}
command -v mandoc >/dev/null 2>&1 || die "mandoc is not installed (./quickstart installs it)"

step "mandoc -T lint reports nothing"
for page in "$src/man/celldesk.1" "$src/man/celldesk.conf.5"; do
	if out=$(mandoc -T lint -W warning "$page" 2>&1) && [ -z "$out" ]; then
		ok
	else
		fail "mandoc -T lint -W warning $page: $out"
	fi
done

step "every command of 'celldesk --help' is in the manual's synopsis, and no other"
cdk 0 --help
# "  staff    add      summary" or "  init              summary": the
# second column is a subcommand only when the summary column follows it.
sed -n '/^commands:/,/^$/p' "$OUT" | awk 'NF >= 2 && $1 != "commands:" {
	if (substr($0, 12, 1) != " ") print $1 " " $2; else print $1 }' | sort >"$tmp/table"
[ -s "$tmp/table" ] && ok || fail "celldesk --help lists no commands"
# Synopsis lines "celldesk WORD [WORD]": keep the second word only when the
# table says WORD has subcommands; skip the generic "celldesk command".
MANWIDTH=200 mandoc -T ascii -O width=200 "$src/man/celldesk.1" | sed 's/.\x08//g' |
	sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' |
	sed -n 's/^ *celldesk \([a-z][a-z]*\)\( [a-z][a-z-]*\)\{0,1\}.*/\1\2/p' |
	awk -v table="$tmp/table" 'BEGIN { while ((getline l < table) > 0) { split(l, w, " "); if (w[2] != "") group[w[1]] = 1 } }
		$1 == "command" { next } { print (($1 in group) ? $0 : $1) }' | sort -u >"$tmp/man"
if diff -u "$tmp/table" "$tmp/man" >"$tmp/diff"; then
	ok
else
	fail "the command table and the manual's synopsis differ (- table, + manual):"
	cat "$tmp/diff"
fi

finish
