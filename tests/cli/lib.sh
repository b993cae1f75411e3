# lib.sh - shared helpers for the celldesk command-line tests (tests/cli).
#
# Sourced by every tests/cli/test_*.sh script.  It finds the binary
# ($CELLDESK, else ../../celldesk relative to this directory), makes a
# private temporary directory ($tmp, removed on exit), points HOME and the
# XDG directories into it so no real configuration is ever read, and
# offers small assertion helpers.  A script calls `finish` at the end:
# exit 0 when every check passed, exit 1 otherwise; a check never skips.

set -u

export LC_ALL=C.UTF-8
export TZ=UTC
unset CELLDESK_DB LANG LANGUAGE LC_CTYPE LC_MESSAGES 2>/dev/null || true

cli_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ -z "${CELLDESK:-}" ]; then
	CELLDESK=$cli_dir/../../celldesk
	if [ ! -e "$CELLDESK" ] && [ -x "$cli_dir/../../build/celldesk" ]; then
		CELLDESK=$cli_dir/../../build/celldesk
	fi
fi
case $CELLDESK in
/*) ;;
*) CELLDESK=$PWD/$CELLDESK ;;
esac
export CELLDESK

test_name=$(basename "$0")
failures=0
checks=0
current_step=""
cleanup_hooks=()

if [ ! -x "$CELLDESK" ]; then
	echo "FAIL: $test_name: celldesk binary not found or not executable: $CELLDESK"
	echo "      (set CELLDESK to the built binary, or build it with 'make')"
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/celldesk-cli.XXXXXX") || {
	echo "FAIL: $test_name: mktemp -d failed"
	exit 1
}

# at_exit CMD... - run CMD when the script ends (before $tmp is removed).
at_exit() {
	cleanup_hooks+=("$*")
}

_cleanup() {
	local h
	for h in "${cleanup_hooks[@]+"${cleanup_hooks[@]}"}"; do
		eval "$h" >/dev/null 2>&1 || true
	done
	rm -rf "$tmp"
}
trap _cleanup EXIT
trap 'echo "FAIL: $test_name: interrupted"; exit 1' INT TERM HUP

export HOME=$tmp/home
export XDG_CONFIG_HOME=$HOME/.config
export XDG_DATA_HOME=$HOME/.local/share
mkdir -p "$HOME"

OUT=$tmp/out
ERR=$tmp/err
rc=0
last_cmd=""

# step TEXT - announce what the next checks are about (shown with failures).
step() {
	current_step=$*
	echo "== $*"
}

# fail MSG - record one failed check (the script goes on; finish exits 1).
fail() {
	failures=$((failures + 1))
	if [ -n "$current_step" ]; then
		echo "FAIL [$current_step]: $*"
	else
		echo "FAIL: $*"
	fi
}

# die MSG - a failure after which the rest of the script makes no sense.
die() {
	fail "$*"
	echo "(stopping $test_name here: later checks depend on this one)"
	finish
}

# ok - count a passed check (quietly).
ok() {
	checks=$((checks + 1))
}

# show_file FILE LABEL - print a file, control bytes made visible, truncated.
show_file() {
	if [ -s "$1" ]; then
		echo "   --- $2 ---"
		head -c 3000 "$1" | cat -v | sed 's/^/   | /'
		echo
	else
		echo "   --- $2: (empty) ---"
	fi
}

show_output() {
	echo "   command: $last_cmd"
	show_file "$OUT" stdout
	show_file "$ERR" stderr
}

# check_err_line - stderr must be one line: "celldesk: <sentence>".
check_err_line() {
	local n first
	if [ ! -s "$ERR" ]; then
		fail "exit $rc but nothing on stderr (errors go to stderr as 'celldesk: <sentence>'): $last_cmd"
		show_output
		return 1
	fi
	n=$(wc -l <"$ERR")
	first=$(head -n 1 "$ERR")
	case $first in
	"celldesk: "?*) ;;
	*)
		fail "error message does not start with 'celldesk: ': $last_cmd"
		show_output
		return 1
		;;
	esac
	# One line; a usage error (exit 2) of a known command may add that
	# command's synopsis ("usage: celldesk ..." and its continuation).
	if [ "$n" -gt 1 ]; then
		if [ "$rc" -eq 2 ] && [ "$n" -le 3 ] && sed -n 2p "$ERR" | grep -q '^usage: celldesk '; then
			return 0
		fi
		fail "stderr has $n lines; errors are one line 'celldesk: <sentence>' (usage errors may add the synopsis): $last_cmd"
		show_output
		return 1
	fi
	return 0
}

# run EXPECTED_EXIT CMD... - run CMD (stdin /dev/null, 120 s limit), stdout
# to $OUT, stderr to $ERR, exit status in $rc.  Fails when the exit status
# differs; when EXPECTED_EXIT is not 0 also checks the one-line error form.
# Returns 0 when the checks passed.
run() {
	local want=$1
	shift
	last_cmd=$(printf '%q ' "$@")
	timeout 120 "$@" </dev/null >"$OUT" 2>"$ERR"
	rc=$?
	if [ "$rc" = 124 ]; then
		fail "timed out after 120 s: $last_cmd"
		show_output
		return 1
	fi
	if [ "$rc" != "$want" ]; then
		fail "exit status $rc, expected $want: $last_cmd"
		show_output
		return 1
	fi
	if [ "$want" != 0 ] && [ "${RUN_NO_ERRLINE:-0}" != 1 ]; then
		check_err_line || return 1
	fi
	ok
	return 0
}

# cdk EXPECTED_EXIT ARGS... - run celldesk with ARGS.
cdk() {
	local want=$1
	shift
	run "$want" "$CELLDESK" "$@"
}

_grep_file() { # FILE TEXT [grep flags]
	local f=$1 t=$2
	shift 2
	LC_ALL=C grep -qa "$@" -e "$t" -- "$f"
}

# expect_out TEXT / expect_err TEXT - stdout / stderr contains TEXT (fixed string).
expect_out() {
	if _grep_file "$OUT" "$1" -F; then ok; else
		fail "stdout lacks '$1' (${2:-}) from: $last_cmd"
		show_output
		return 1
	fi
}
expect_err() {
	if _grep_file "$ERR" "$1" -F; then ok; else
		fail "stderr lacks '$1' (${2:-}) from: $last_cmd"
		show_output
		return 1
	fi
}
# case-insensitive variants
expect_out_i() {
	if _grep_file "$OUT" "$1" -F -i; then ok; else
		fail "stdout lacks '$1' (any case) from: $last_cmd"
		show_output
		return 1
	fi
}
expect_err_i() {
	if _grep_file "$ERR" "$1" -F -i; then ok; else
		fail "stderr lacks '$1' (any case) from: $last_cmd"
		show_output
		return 1
	fi
}
# regular-expression variants (grep -E)
expect_out_re() {
	if _grep_file "$OUT" "$1" -E; then ok; else
		fail "stdout does not match /$1/ from: $last_cmd"
		show_output
		return 1
	fi
}
expect_err_re() {
	if _grep_file "$ERR" "$1" -E; then ok; else
		fail "stderr does not match /$1/ from: $last_cmd"
		show_output
		return 1
	fi
}
# expect_any TEXT - stdout or stderr contains TEXT
expect_any() {
	if _grep_file "$OUT" "$1" -F || _grep_file "$ERR" "$1" -F; then ok; else
		fail "neither stdout nor stderr contains '$1' from: $last_cmd"
		show_output
		return 1
	fi
}
expect_any_re() {
	if _grep_file "$OUT" "$1" -E || _grep_file "$ERR" "$1" -E; then ok; else
		fail "neither stdout nor stderr matches /$1/ from: $last_cmd"
		show_output
		return 1
	fi
}
# expect_init_db PATH - init's stdout names PATH and its schema version
# (CLI.md gives "Database PATH is at schema version 1." as an example only).
expect_init_db() {
	if LC_ALL=C grep -aF -e "$1" "$OUT" | LC_ALL=C grep -qaE 'schema version [0-9]+'; then ok; else
		fail "init's output has no line naming '$1' and its schema version, from: $last_cmd"
		show_output
		return 1
	fi
}

# expect_no_out TEXT / expect_no_err TEXT - must NOT contain TEXT (bytes).
expect_no_out() {
	if _grep_file "$OUT" "$1" -F; then
		fail "stdout must not contain '$(printf '%s' "$1" | cat -v)' (${2:-}) from: $last_cmd"
		show_output
		return 1
	fi
	ok
}
expect_no_err() {
	if _grep_file "$ERR" "$1" -F; then
		fail "stderr must not contain '$(printf '%s' "$1" | cat -v)' (${2:-}) from: $last_cmd"
		show_output
		return 1
	fi
	ok
}

# db_fingerprint DB - sha256 of application_id, user_version and .dump.
# Prints "missing" for a file that does not exist (sqlite3 would create it).
db_fingerprint() {
	if [ ! -e "$1" ]; then
		echo missing
		return
	fi
	printf 'PRAGMA application_id;\nPRAGMA user_version;\n.dump\n' |
		sqlite3 "$1" 2>&1 | sha256sum | cut -d' ' -f1
}

# expect_db_unchanged DB FINGERPRINT [WHY]
expect_db_unchanged() {
	local now
	now=$(db_fingerprint "$1")
	if [ "$now" = "$2" ]; then ok; else
		fail "database changed by a refused command (${3:-$last_cmd})"
		return 1
	fi
}

# sq DB SQL - run SQL with the sqlite3 shell, print the result.
sq() {
	printf '%s\n' "$2" | sqlite3 -batch "$1"
}

# json_valid - stdout is valid JSON.
json_valid() {
	if python3 -m json.tool <"$OUT" >/dev/null 2>"$tmp/json.err"; then ok; else
		fail "stdout is not valid JSON ($(head -c 200 "$tmp/json.err")) from: $last_cmd"
		show_output
		return 1
	fi
}

# json_assert PYEXPR [DESCRIPTION] - evaluate PYEXPR with d = parsed stdout
# (JSON).  Environment variables are visible as E['NAME'].
json_assert() {
	local res
	res=$(python3 - "$OUT" "$1" 2>&1 <<'EOF'
import json, os, sys
try:
    d = json.load(open(sys.argv[1], encoding='utf-8'))
except Exception as e:
    print("invalid JSON: %s" % e); sys.exit(1)
E = os.environ
def roles_of(x):
    r = x.get('roles')
    if isinstance(r, list): return [str(s).strip() for s in r]
    return [s.strip() for s in str(r).split(',')]
def truthy(v):
    return v is True or v == 1 or str(v).lower() in ('true', 'yes', '1', 'active', 'y')
try:
    ok = eval(sys.argv[2])
except Exception as e:
    print("error evaluating: %r" % e); sys.exit(1)
sys.exit(0 if ok else 1)
EOF
	)
	if [ $? = 0 ]; then ok; else
		fail "JSON check failed: ${2:-$1} ${res:+($res)} from: $last_cmd"
		show_output
		return 1
	fi
}

# csv_assert PYEXPR [DESCRIPTION] - rows = csv rows of stdout (list of
# lists, header first), h = header, r = list of dicts.
csv_assert() {
	local res
	res=$(python3 - "$OUT" "$1" 2>&1 <<'EOF'
import csv, io, os, sys
data = open(sys.argv[1], encoding='utf-8', newline='').read()
rows = list(csv.reader(io.StringIO(data, newline='')))
h = rows[0] if rows else []
r = [dict(zip(h, x)) for x in rows[1:]]
E = os.environ
try:
    ok = eval(sys.argv[2])
except Exception as e:
    print("error evaluating: %r" % e); sys.exit(1)
sys.exit(0 if ok else 1)
EOF
	)
	if [ $? = 0 ]; then ok; else
		fail "CSV check failed: ${2:-$1} ${res:+($res)} from: $last_cmd"
		show_output
		return 1
	fi
}

# csv_header_is 'a,b,c' - first CSV line (CR stripped) is exactly that.
csv_header_is() {
	local first
	first=$(head -n 1 "$OUT" | tr -d '\r')
	if [ "$first" = "$1" ]; then ok; else
		fail "CSV header is '$first', expected '$1' from: $last_cmd"
		show_output
		return 1
	fi
}

# finish - report and exit 0 (all passed) or 1.
finish() {
	if [ "$failures" -gt 0 ]; then
		echo "$test_name: $failures check(s) FAILED ($checks passed)"
		exit 1
	fi
	echo "$test_name: all $checks checks passed"
	exit 0
}
