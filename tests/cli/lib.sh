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

# --- dates computed from today ------------------------------------------
# celldesk runs on the real clock and refuses to book in the past, so the
# scheduling tests take every date from today (UTC, as TZ is UTC here).
# The helpers print their answer on stdout; on a bad argument (or no
# answer, see next_dst_change) they print nothing and return 1.  Time zone
# arithmetic uses python3's zoneinfo, which reads the system tz database.

# _cal WHAT ARGS... - the date helpers below, in one python3 program.
_cal() {
	python3 - "$@" <<'EOF'
import datetime as dt, sys
from zoneinfo import ZoneInfo

DOW = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
UTC = dt.timezone.utc

def today():
    return dt.datetime.now(UTC).date()

def day(s):
    return dt.date.fromisoformat(s)

def local(zone, s):
    # "YYYY-MM-DD HH:MM" in zone; fold=0: the earlier instant when it occurs twice
    return dt.datetime.strptime(s, "%Y-%m-%d %H:%M").replace(tzinfo=ZoneInfo(zone), fold=0)

def iso_local(t):
    o = int(t.utcoffset().total_seconds()) // 60
    return t.strftime("%Y-%m-%dT%H:%M:%S") + "%s%02d:%02d" % ("+" if o >= 0 else "-", abs(o) // 60, abs(o) % 60)

def changes(zone, start, ndays):
    # the offset changes in zone between start (UTC, 00:00) and ndays later:
    # (instant, offset before, offset after), found hour by hour, then to the minute
    z = ZoneInfo(zone)
    t = dt.datetime.combine(start, dt.time(), UTC)
    off = lambda u: u.astimezone(z).utcoffset()
    prev = off(t)
    for h in range(ndays * 24):
        u = t + dt.timedelta(hours=1)
        o = off(u)
        if o != prev:
            lo, hi = t, u
            while hi - lo > dt.timedelta(minutes=1):
                mid = lo + (hi - lo) / 2
                mid = mid.replace(second=0, microsecond=0)
                if mid <= lo:
                    break
                if off(mid) == prev:
                    lo = mid
                else:
                    hi = mid
            yield hi, prev, o
            prev = o
        t = u

what, a = sys.argv[1], sys.argv[2:]
try:
    if what == "day_after":
        print(today() + dt.timedelta(days=int(a[0])))
    elif what == "date_add":
        print(day(a[0]) + dt.timedelta(days=int(a[1])))
    elif what == "next_weekday":
        d = day(a[0])
        print(d + dt.timedelta(days=(DOW.index(a[1].lower()[:3]) - d.weekday()) % 7))
    elif what == "local_iso":
        t = local(a[0], a[1]).astimezone(UTC) + dt.timedelta(minutes=int(a[2]) if len(a) > 2 else 0)
        print(iso_local(t.astimezone(ZoneInfo(a[0]))))
    elif what == "utc_iso":
        t = local(a[0], a[1]).astimezone(UTC) + dt.timedelta(minutes=int(a[2]) if len(a) > 2 else 0)
        print(t.strftime("%Y-%m-%dT%H:%M:%SZ"))
    elif what == "next_dst_change":
        if a[1] not in ("forward", "back"):
            raise ValueError("forward or back, not %r" % a[1])
        first = today() + dt.timedelta(days=int(a[2]) if len(a) > 2 else 35)
        for t, before, after in changes(a[0], first, 400):
            if (after > before) == (a[1] == "forward"):
                print(t.astimezone(ZoneInfo(a[0])).date())
                break
        else:
            sys.exit(1)
    elif what == "dst_change_time":
        for t, before, after in changes(a[0], day(a[1]) - dt.timedelta(days=1), 3):
            if t.astimezone(ZoneInfo(a[0])).date() == day(a[1]):
                w = (t + min(before, after)).replace(tzinfo=None)
                print("%s %d" % (w.strftime("%H:%M"), abs(after - before).total_seconds() // 60))
                break
        else:
            sys.exit(1)
    else:
        raise ValueError("unknown helper %r" % what)
except (IndexError, ValueError, KeyError) as e:
    print("lib.sh: %s %s: %s" % (what, " ".join(a), e), file=sys.stderr)
    sys.exit(1)
EOF
}

# day_after N - today + N days (N may be negative), YYYY-MM-DD.
day_after() { _cal day_after "$1"; }
# date_add DATE N - DATE + N days.
date_add() { _cal date_add "$1" "$2"; }
# next_weekday DATE DOW - the first DOW (mon, tue, ... sun) on or after DATE.
next_weekday() { _cal next_weekday "$1" "$2"; }
# local_iso ZONE "DATE HH:MM" [MINUTES] - the instant MINUTES (default 0)
# after that local time in ZONE (the earlier instant when the local time
# occurs twice), as local ISO 8601 with its offset: 2027-03-03T10:00:00+01:00.
local_iso() { _cal local_iso "$@"; }
# utc_iso ZONE "DATE HH:MM" [MINUTES] - the same instant in UTC: 2027-03-03T09:00:00Z.
utc_iso() { _cal utc_iso "$@"; }
# next_dst_change ZONE forward|back [MIN_DAYS] - the local date of ZONE's
# next change to summer time (forward) or back (back) at least MIN_DAYS
# (default 35) days from today; returns 1, printing nothing, when there is
# none in the 400 days after that (the zone has no daylight saving time).
next_dst_change() { _cal next_dst_change "$@"; }
# dst_change_time ZONE DATE - "HH:MM MINUTES" for ZONE's change on DATE: the
# local time at which the skipped (forward) or repeated (back) local times
# begin, and how many minutes they last: "02:00 60" for Berlin.
dst_change_time() { _cal dst_change_time "$1" "$2"; }
# hm_add HH:MM MINUTES - a time of day plus MINUTES (may be negative);
# returns 1 when the result is not on the same day.
hm_add() {
	local m=$((10#${1%%:*} * 60 + 10#${1##*:} + $2))
	[ "$m" -ge 0 ] && [ "$m" -lt 1440 ] || return 1
	printf '%02d:%02d\n' $((m / 60)) $((m % 60))
}

# finish - report and exit 0 (all passed) or 1.
# visit_today DB APPT - moves visit APPT to today at its site (a slot of
# its own: 70 minutes times its id after local midnight), as sqlite3
# would: a bedside check happens on the visit's day, and a test cannot
# wait weeks for it.
visit_today() {
	python3 - "$1" "$2" <<'PYEOF'
import datetime, sqlite3, sys, zoneinfo
db = sqlite3.connect(sys.argv[1])
a = int(sys.argv[2])
tz, s, e = db.execute("SELECT tz, starts_at, ends_at FROM appointments WHERE id = ?", (a,)).fetchone()
f = "%Y-%m-%dT%H:%M:%SZ"
dur = datetime.datetime.strptime(e, f) - datetime.datetime.strptime(s, f)
zone = zoneinfo.ZoneInfo(tz)
today = datetime.datetime.now(zone).date()
local = datetime.datetime.combine(today, datetime.time(0, 0), zone) + datetime.timedelta(minutes=70 * (a % 20))
start = local.astimezone(datetime.timezone.utc)
db.execute("UPDATE appointments SET local_day = ?, starts_at = ?, ends_at = ? WHERE id = ?",
    (today.isoformat(), start.strftime(f), (start + dur).strftime(f), a))
db.commit()
PYEOF
}

finish() {
	if [ "$failures" -gt 0 ]; then
		echo "$test_name: $failures check(s) FAILED ($checks passed)"
		exit 1
	fi
	echo "$test_name: all $checks checks passed"
	exit 0
}

# py_check DESCRIPTION CODE - runs python CODE with d = the JSON the last
# command printed; the code calls bad(MESSAGE) for every problem it finds.
# Helpers: day(s) the local date of an ISO 8601 time, hm(s) its HH:MM,
# off(s) its UTC offset ("+01:00"), utc(s) the instant, days(a, b) local
# days from a to b, inj(rows) the injections by course, steps(rows, s)
# the visits of step s by start, zoff(s, tz) the offset tzdata gives the
# local time of s in zone tz.
py_check() {
	local desc=$1 res
	res=$(python3 - "$OUT" "$2" 2>&1 <<'EOF'
import datetime as dt, json, os, re, sys
from zoneinfo import ZoneInfo
E = os.environ
try:
    d = json.load(open(sys.argv[1], encoding='utf-8'))
except Exception as e:
    print("invalid JSON: %s" % e); sys.exit(1)
problems = []
def bad(m): problems.append(str(m))
def day(s): return dt.date.fromisoformat(s[:10])
def hm(s): return s[11:16]
def off(s): return s[19:]
def utc(s): return dt.datetime.fromisoformat(s)
def days(a, b): return (day(b) - day(a)).days
def inj(rows): return sorted((x for x in rows if x["step"] == "injection"), key=lambda x: x["course"])
def steps(rows, s): return sorted((x for x in rows if x["step"] == s), key=lambda x: x["start"])
def fmt_off(td):
    m = int(td.total_seconds()) // 60
    return "%s%02d:%02d" % ("+" if m >= 0 else "-", abs(m) // 60, abs(m) % 60)
def zoff(s, tz):
    return fmt_off(dt.datetime.fromisoformat(s[:19]).replace(tzinfo=ZoneInfo(tz)).utcoffset())
try:
    exec(sys.argv[2])
except Exception as e:
    bad("error in the check: %r" % e)
if problems:
    print("; ".join(problems[:6])); sys.exit(1)
EOF
	)
	if [ $? = 0 ]; then ok; else
		fail "$desc ($res) from: $last_cmd"
		show_output
		return 1
	fi
}
