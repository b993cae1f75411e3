# tui_lib.sh - sourced by the interface's tests after tests/cli/lib.sh:
# a private tmux server per test, and polling the screen for what the
# user would see (never sleeping and hoping).
#   tui_start NAME COLS ROWS [ENV...] -- ARGS  start celldesk ARGS in window NAME
#   tm ...                 tmux on this test's own server
#   screen_has [-w S] [-t NAME] TEXT   poll up to 5 s (or S s) for TEXT
#   expect_screen [-w S] [-t NAME] TEXT   the same, as a check
#   expect_no_screen [-t NAME] TEXT    TEXT is not on the screen now
#   expect_status TEXT     the bottom (status) line shows TEXT
#   expect_gone TEXT       TEXT is, or soon is, no longer on the screen
#   show_screen            the last capture, indented, for a failure
command -v tmux >/dev/null 2>&1 || die "tmux is not installed (./quickstart installs it)"
tui_sock=cdtui$$${lot_tag:-}
tui_target=
tm() { tmux -L "$tui_sock" "$@"; }
at_exit "tmux -L $tui_sock kill-server 2>/dev/null"

tui_start() {
	local name=$1 cols=$2 rows=$3 envs=()
	shift 3
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		envs+=("$1")
		shift
	done
	shift
	local cmd
	cmd=$(printf '%q ' env LC_ALL=C.UTF-8 TERM=screen-256color HOME="$HOME" "${envs[@]}" \
		"$CELLDESK" "$@")
	if tm has-session 2>/dev/null; then
		tm new-window -d -n "$name" "$cmd; echo EXITED \$?; sleep 60"
	else
		tm -f /dev/null new-session -d -s tui -n "$name" -x "$cols" -y "$rows" \
			"$cmd; echo EXITED \$?; sleep 60"
	fi
	tm resize-window -t "$name" -x "$cols" -y "$rows" 2>/dev/null
	tui_target=$name
}

screen_has() {
	local i n=50 target=$tui_target
	while :; do
		case $1 in
		-w) n=$(($2 * 10)); shift 2 ;;
		-t) target=$2; shift 2 ;;
		*) break ;;
		esac
	done
	for ((i = 0; i < n; i++)); do
		tm capture-pane -p -t "$target" >"$tmp/screen" 2>/dev/null
		grep -qF -- "$1" "$tmp/screen" && return 0
		sleep 0.1
	done
	return 1
}
show_screen() { sed 's/^/   | /' "$tmp/screen"; }
expect_screen() {
	local text=${*: -1}
	if screen_has "$@"; then ok; else
		fail "the screen does not show '$text'"
		show_screen
	fi
}
expect_no_screen() {
	local target=$tui_target
	if [ "$1" = -t ]; then
		target=$2
		shift 2
	fi
	tm capture-pane -p -t "$target" >"$tmp/screen" 2>/dev/null
	if grep -qF -- "$1" "$tmp/screen"; then
		fail "the screen shows '$1'"
		show_screen
	else ok; fi
}
status_has() {
	local i
	for ((i = 0; i < 50; i++)); do
		tm capture-pane -p -t "$tui_target" >"$tmp/screen" 2>/dev/null
		tail -n 1 "$tmp/screen" | grep -qF -- "$1" && return 0
		sleep 0.1
	done
	return 1
}
expect_status() {
	if status_has "$1"; then ok; else
		fail "the status line does not show '$1'"
		show_screen
	fi
}
expect_gone() {
	local i
	for ((i = 0; i < 50; i++)); do
		tm capture-pane -p -t "$tui_target" >"$tmp/screen" 2>/dev/null
		grep -qF -- "$1" "$tmp/screen" || { ok; return 0; }
		sleep 0.1
	done
	fail "the screen still shows '$1'"
	show_screen
}
keys() { tm send-keys -t "$tui_target" "$@"; }
