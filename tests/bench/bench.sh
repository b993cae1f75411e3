#!/usr/bin/env bash
# bench.sh - benchmarks on the demo datasets (make bench). Prints each
# figure with the command behind it. Never part of make check.
#
# Usage: bench.sh PATH/TO/celldesk [tui]
#
# With tui (make bench-tui), only the full-screen interface's figures:
# bench_tui (tests/bench/bench_tui.c, built by make bench-tui in the
# build folder) drives celldesk in a pseudo-terminal on large.db.
#
# Data is kept in $BENCH_DIR (default ./bench-data). large.db (the large
# demo: 100,000 patients, about 1,000,000 visits) takes a couple of
# minutes to build, so it is kept; as its calendar is placed around the
# day it was made, it is made again when older than $BENCH_MAX_AGE days
# (default 7), or when BENCH_REBUILD=1. small.db is made afresh on every
# run. Bookings are made on a copy (work.db): large.db stays as built.
# BENCH_RUNS (default 20) runs per timed command; BENCH_BOOKINGS
# (default 15) bookings of each kind; BENCH_LOT_RUNS (default 50) calls
# of each lot query timed inside one process.
set -euo pipefail
celldesk=${1:?usage: bench.sh PATH/TO/celldesk [tui]}
mode=${2:-all}
dir=${BENCH_DIR:-$PWD/bench-data}
db=$dir/large.db
small=$dir/small.db
work=$dir/work.db
runs=${BENCH_RUNS:-20}
books=${BENCH_BOOKINGS:-15}
max_age=${BENCH_MAX_AGE:-7}
src=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$dir"
export LC_ALL=C.UTF-8

if [ -z "${EPOCHREALTIME:-}" ]; then
	echo "bench.sh needs bash 5 (EPOCHREALTIME)" >&2
	exit 1
fi
for tool in sqlite3 python3 /usr/bin/time; do
	if ! command -v "$tool" >/dev/null; then
		echo "bench.sh needs $tool" >&2
		exit 1
	fi
done

# Wall times are taken with bash's EPOCHREALTIME (no process started to
# read the clock), in microseconds.
usecs() { local t=$1; echo $((10#${t/./})); }

# time_rc CMD... - "µs status": wall time of one run of CMD (output
# discarded) and its exit status. time_us CMD... - the time alone.
time_rc() {
	local t0 t1 rc=0
	t0=$EPOCHREALTIME
	"$@" >/dev/null 2>&1 || rc=$?
	t1=$EPOCHREALTIME
	echo "$(($(usecs "$t1") - $(usecs "$t0"))) $rc"
}
time_us() { local r; r=$(time_rc "$@"); echo "${r% *}"; }

# median / best of a list of µs values, printed in ms.
median() { sort -n | awk '{a[NR]=$1} END {printf "%.2f", a[int((NR+1)/2)]/1000}'; }
best() { sort -n | awk 'NR==1 {printf "%.2f", $1/1000}'; }

# median_ms RUNS CMD... - median wall time of CMD over RUNS runs, in ms.
median_ms() {
	local n=$1 i
	shift
	for ((i = 0; i < n; i++)); do time_us "$@"; done | median
}

# peak_kb CMD... - peak resident memory of CMD in KiB (GNU time).
peak_kb() {
	/usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -n 1
}

figure() { printf '%-52s %14s   %s\n' "$1" "$2" "$3"; }
sub() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a - b}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
q() { sqlite3 -readonly "$1" "$2"; }

# kyiv_patients DB N - MRNs of up to N Kyiv patients with no cycle.
kyiv_patients() {
	q "$1" "SELECT p.mrn FROM patients p JOIN sites s ON s.id = p.site_id
	    WHERE s.name = 'Kyiv' AND NOT EXISTS (SELECT 1 FROM cycles c WHERE c.patient_id = p.id)
	    ORDER BY p.id LIMIT $2"
}

# busy_day DB - the Kyiv day with the most visits within 30 days of today.
busy_day() {
	q "$1" "SELECT a.local_day FROM appointments a JOIN sites s ON s.id = a.site_id
	    WHERE s.name = 'Kyiv' AND a.local_day BETWEEN date('now', '-30 days') AND date('now', '+30 days')
	    GROUP BY a.local_day ORDER BY count(*) DESC, a.local_day LIMIT 1"
}

# A Tuesday three to four weeks ahead: the bookings below start on it
# and the three days after it, in turn (their later courses and
# follow-ups run months on).
start=$(date -u -d '+21 days' +%F)
while [ "$(date -u -d "$start" +%u)" != 2 ]; do start=$(date -u -d "$start + 1 day" +%F); done
starts=("$start" "$(date -u -d "$start + 1 day" +%F)" "$(date -u -d "$start + 2 days" +%F)"
	"$(date -u -d "$start + 3 days" +%F)")

echo "celldesk benchmarks ($("$celldesk" --version), $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ))"
echo

# --- the datasets ---
if [ "${BENCH_REBUILD:-0}" = 1 ] || [ ! -f "$db" ] ||
	[ -n "$(find "$db" -mtime +"$((max_age - 1))" 2>/dev/null)" ]; then
	rm -f "$db" "$db-wal" "$db-shm"
	/usr/bin/time -v -o "$dir/large.time" "$celldesk" --db "$db" demo --scale large --seed 1 >/dev/null
	figure "demo --scale large (build the dataset)" \
		"$(awk -F': ' '/Elapsed/ {print $2}' "$dir/large.time") m:s" \
		"/usr/bin/time -v celldesk --db $db demo --scale large --seed 1"
	figure "  its peak memory" "$(awk -F': ' '/Maximum resident/ {print $2}' "$dir/large.time") KiB" ""
else
	echo "(reusing $db, made $(date -u -r "$db" +%F); BENCH_REBUILD=1 times the generator)"
fi
"$celldesk" --db "$db" init >/dev/null
if [ "$mode" = tui ]; then
	bench_tui=$(cd "$(dirname "$celldesk")" && pwd)/tests/bench/bench_tui
	echo "full-screen interface on $db:"
	if [ ! -x "$bench_tui" ]; then
		echo "  (no figures: $bench_tui is not built; make bench-tui builds it)"
		exit 1
	fi
	"$bench_tui" "$celldesk" "$db"
	exit
fi
patients=$(q "$db" 'SELECT count(*) FROM patients')
cycles=$(q "$db" 'SELECT count(*) FROM cycles')
visits=$(q "$db" 'SELECT count(*) FROM appointments')
audits=$(q "$db" 'SELECT count(*) FROM audit')
figure "patients in the dataset" "$patients" "sqlite3 $db 'SELECT count(*) FROM patients'"
figure "treatment cycles" "$cycles" "sqlite3 $db 'SELECT count(*) FROM cycles'"
figure "visits (appointments)" "$visits" "sqlite3 $db 'SELECT count(*) FROM appointments'"
figure "audit records" "$audits" "sqlite3 $db 'SELECT count(*) FROM audit'"
figure "database size" "$(($(stat -c %s "$db") / 1048576)) MiB" "stat -c %s $db"
rm -f "$small" "$small-wal" "$small-shm"
t=$(time_us "$celldesk" --db "$small" demo --seed 1)
figure "demo --scale small (made for this run)" "$(awk -v t="$t" 'BEGIN {printf "%.0f", t / 1000}') ms" \
	"celldesk --db $small demo --seed 1"
figure "  its visits" "$(q "$small" 'SELECT count(*) FROM appointments')" ""
echo

# --- patients (the large dataset) ---
# Patient search by name prefix (word prefixes, Cyrillic and Latin).
for s in "Ковал" "Müll" "Wil" "MRN00123" "380 44"; do
	figure "patient list --search '$s' (median of $runs)" \
		"$(median_ms "$runs" "$celldesk" --db "$db" patient list --search "$s") ms" \
		"celldesk --db $db patient list --search '$s'"
done
figure "  rows found for 'Ковал'" "$("$celldesk" --db "$db" patient list --search Ковал --format csv | tail -n +2 | wc -l)" ""
echo

# The whole patient list against the sqlite3 shell running the same
# indexed query, in the same run.
list_runs=$((runs / 4 > 3 ? runs / 4 : 3))
ours=$(median_ms "$list_runs" "$celldesk" --db "$db" patient list)
sql="SELECT p.mrn, p.name, p.dob, p.phone, s.name FROM patients p LEFT JOIN sites s ON s.id = p.site_id ORDER BY p.name_key, p.mrn;"
theirs=$(median_ms "$list_runs" sqlite3 "$db" "$sql")
figure "patient list, all $patients (median of $list_runs)" "$ours ms" "celldesk --db $db patient list"
figure "sqlite3 shell, same indexed query" "$theirs ms" "sqlite3 $db \"$sql\""
figure "ratio celldesk / sqlite3" "$(ratio "$ours" "$theirs")" ""
echo

# --- (a) booking a 4-course cycle ---
# Two ways, on a copy of the dataset, for Kyiv patients who have no cycle
# yet; dry runs (nothing written) first, then the same patients booked
# for real (each booking sees the ones before it).
# The first injections are on a Tuesday three weeks ahead and the three
# days after it, in turn, at 10:00 (the planner finds the nearest free
# time from there).
# - the command: each booking is its own process, so the time per
#   booking is the median wall time of a booking run less the median of
#   `protocol list`, which pays the same start (loading the program,
#   opening the database, checking its schema and the actor);
# - inside one process: a small program built here against the build's
#   libraries times ops_course_book itself (clock_gettime around each
#   call) for other patients: the planner's slot search, the writes, the
#   audit records and the commit, with SQLite's cache warm after the
#   first booking as in the full-screen interface.
echo "booking hip-autologous-4 (4 courses, 11 visits) from $start to ${starts[3]} 10:00 at Kyiv:"
rm -f "$work" "$work-wal" "$work-shm"
cp "$db" "$work"
mapfile -t mrns < <(kyiv_patients "$work" $((2 * books)))
cli_mrns=("${mrns[@]:0:books}")
lib_mrns=("${mrns[@]:books}")
book=(course book --protocol hip-autologous-4 --time 10:00)
if [ "${#cli_mrns[@]}" -eq 0 ]; then
	echo "  (no Kyiv patient without a cycle in $db: nothing to book)"
else
	base=$(median_ms "$runs" "$celldesk" --db "$work" protocol list)
	for kind in dry real; do
		refused=0
		times=()
		for ((i = 0; i < ${#cli_mrns[@]}; i++)); do
			args=("${book[@]}" --start "${starts[i % 4]}" --patient "${cli_mrns[i]}")
			[ "$kind" = dry ] && args+=(--dry-run)
			read -r t rc < <(time_rc "$celldesk" --db "$work" "${args[@]}")
			if [ "$rc" != 0 ]; then
				refused=$((refused + 1))
				continue
			fi
			times+=("$t")
		done
		med=n/a
		[ "${#times[@]}" -gt 0 ] && med=$(printf '%s\n' "${times[@]}" | median)
		if [ "$kind" = dry ]; then
			figure "  course book --dry-run, median of ${#times[@]} runs" "$med ms" \
				"celldesk --db $work ${book[*]} --start DAY --patient MRN --dry-run"
			dry=$med
		else
			figure "  course book, median of ${#times[@]} runs" "$med ms" \
				"celldesk --db $work ${book[*]} --start DAY --patient MRN"
			real=$med
		fi
		if [ "$refused" -gt 0 ]; then
			figure "    refused (no room in the calendar)" "$refused" ""
		fi
	done
	figure "  process start: protocol list, median of $runs" "$base ms" "celldesk --db $work protocol list"
	if [ "$dry" != n/a ] && [ "$real" != n/a ]; then
		figure "  per booking, dry run (plan only)" "$(sub "$dry" "$base") ms" "the medians above less the start"
		figure "  per booking, booked (plan, write, commit)" "$(sub "$real" "$base") ms" "target: within 10 ms"
	fi
fi
builddir=$(cd "$(dirname "$celldesk")" && pwd)
if [ "${#lib_mrns[@]}" -gt 0 ] && [ -f "$builddir/src/ops/libops.a" ] &&
	cc -O2 -std=c99 -D_POSIX_C_SOURCE=200809L -I"$builddir" -I"$src/src" -x c - -x none \
		"$builddir/src/ops/libops.a" "$builddir/src/db/libdb.a" "$builddir/src/core/libcore.a" \
		-lsqlite3 -ljansson -lcrypto -o "$dir/bench_book" 2>"$dir/bench_book.err" <<'EOF'
/* bench_book DB dry|real START,MRN... - books hip-autologous-4 at 10:00
 * through ops_course_book for each patient from its start day and
 * prints "ms status" per booking. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ops/ops.h"

static enum cd_status
ignore(void *ctx, const struct ops_visit_row *row, struct cd_err *err)
{
	(void)ctx;
	(void)row;
	(void)err;
	return CD_OK;
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int
main(int argc, char **argv)
{
	struct ops o;
	struct ops_book b;
	struct cd_err err;
	enum cd_status st;
	int64_t cycle;
	double t0;
	char *comma;
	int i;

	if (argc < 3 || ops_open(&o, argv[1], OPS_OPEN_USE, &err) != CD_OK) {
		fprintf(stderr, "bench_book: %s\n", argc < 3 ? "usage: DB dry|real START,MRN..." :
		    err.msg);
		return 2;
	}
	for (i = 3; i < argc; i++) {
		memset(&b, 0, sizeof b);
		if ((comma = strchr(argv[i], ',')) == NULL)
			return 2;
		*comma = '\0';
		b.start = argv[i];
		b.patient = comma + 1;
		b.protocol = "hip-autologous-4";
		b.time = "10:00";
		b.dry_run = strcmp(argv[2], "dry") == 0;
		t0 = now_ms();
		st = ops_course_book(&o, &b, ignore, NULL, &cycle, &err);
		printf("%.3f %d\n", now_ms() - t0, (int)st);
	}
	ops_close(&o);
	return 0;
}
EOF
then
	jobs=()
	for ((i = 0; i < ${#lib_mrns[@]}; i++)); do jobs+=("${starts[i % 4]},${lib_mrns[i]}"); done
	for kind in dry real; do
		"$dir/bench_book" "$work" "$kind" "${jobs[@]}" >"$dir/bench_book.$kind"
		n=$(awk '$2 == 0' "$dir/bench_book.$kind" | wc -l)
		med=$(awk '$2 == 0 {print $1 * 1000}' "$dir/bench_book.$kind" | median)
		first=$(awk 'NR == 1 {print $1}' "$dir/bench_book.$kind")
		if [ "$kind" = dry ]; then
			figure "  in one process, dry run: median of $n" "$med ms" \
				"ops_course_book timed in $dir/bench_book (the first, cold: $first ms)"
		else
			figure "  in one process, booked: median of $n" "$med ms" \
				"target: within 10 ms (the first, cold: $first ms)"
		fi
		n=$(awk '$2 != 0' "$dir/bench_book.$kind" | wc -l)
		if [ "$n" -gt 0 ]; then
			figure "    refused (no room in the calendar)" "$n" ""
		fi
	done
else
	echo "  (no in-process figure: cannot build the timing program; see $dir/bench_book.err)"
fi
echo

# --- (b) agenda of a busy day against the sqlite3 shell ---
# The shell runs the agenda's own SQL (SQL_AGENDA_SITE in
# src/db/appointments.c, read from the source here so the two cannot
# drift apart) with its parameters filled in; both run in turn, best of
# the runs each.
day=$(busy_day "$db")
next=$(date -u -d "$day + 1 day" +%F)
kyiv=$(q "$db" "SELECT id FROM sites WHERE name = 'Kyiv'")
agenda_sql=$(python3 - "$src/src/db/appointments.c" "$kyiv" "$day" "$next" <<'EOF'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
macros = {}
for m in re.finditer(r'#define (SQL_\w+) \\\n((?:.*\\\n)*.*\n)', text):
    macros[m.group(1)] = m.group(2)
def expand(body):
    out = []
    for tok in re.finditer(r'"((?:[^"\\]|\\.)*)"|(SQL_\w+)', body):
        if tok.group(1) is not None:
            out.append(tok.group(1).replace('\\"', '"'))
        else:
            out.append(expand(macros[tok.group(2)]))
    return "".join(out)
m = re.search(r'static const char SQL_AGENDA_SITE\[\] = ((?:.|\n)*?);\n', text)
sql = expand(m.group(1))
site, day, nxt = sys.argv[2:5]
sql = sql.replace("?1", site).replace("?2", "'%s'" % day).replace("?3", "'%s'" % nxt).replace("?4", "0")
if "?" in sql:
    sys.exit("a parameter is left in: " + sql)
print(sql + ";")
EOF
)
rows=$("$celldesk" --db "$db" agenda --site Kyiv --date "$day" --format csv | tail -n +2 | wc -l)
shell_rows=$(q "$db" "$agenda_sql" | wc -l)
echo "agenda of Kyiv on $day ($rows visits; the shell's query gives $shell_rows rows):"
echo "  query plan: $(q "$db" "EXPLAIN QUERY PLAN $agenda_sql" | grep -m1 -E 'SEARCH a ' | sed 's/^[^A-Z]*//')"
ours=()
theirs=()
for ((i = 0; i < runs; i++)); do
	ours+=("$(time_us "$celldesk" --db "$db" agenda --site Kyiv --date "$day")")
	theirs+=("$(time_us sqlite3 -readonly "$db" "$agenda_sql")")
done
a=$(printf '%s\n' "${ours[@]}" | best)
b=$(printf '%s\n' "${theirs[@]}" | best)
figure "  celldesk agenda, best of $runs" "$a ms" "celldesk --db $db agenda --site Kyiv --date $day"
figure "  sqlite3 shell, same query, best of $runs" "$b ms" "sqlite3 -readonly $db \"<SQL_AGENDA_SITE, ?1=$kyiv ?2='$day' ?3='$next' ?4=0>\""
figure "  ratio celldesk / sqlite3" "$(ratio "$a" "$b")" "target: within 2"
figure "  medians: celldesk / sqlite3" \
	"$(printf '%s\n' "${ours[@]}" | median) / $(printf '%s\n' "${theirs[@]}" | median) ms" ""
echo

# --- (c) memory as the data grows ---
# Peak resident memory of the agenda of a busy day and of booking a
# cycle, on the small demo and on the large one.
echo "peak memory (KiB), small demo -> large demo:"
sday=$(busy_day "$small")
"$celldesk" --db "$small" patient add --mrn BENCH0001 --name "Bench Patient" --dob 1960-01-01 \
	--site Kyiv >/dev/null
smrn=BENCH0001
lmrn=$(kyiv_patients "$work" 1)
if [ -z "$lmrn" ]; then
	"$celldesk" --db "$work" patient add --mrn BENCH0001 --name "Bench Patient" --dob 1960-01-01 \
		--site Kyiv >/dev/null
	lmrn=BENCH0001
fi
figure "  agenda --site Kyiv, busiest day" \
	"$(peak_kb "$celldesk" --db "$small" agenda --site Kyiv --date "$sday") -> $(peak_kb "$celldesk" --db "$db" agenda --site Kyiv --date "$day")" \
	"/usr/bin/time -f %M celldesk --db DB agenda --site Kyiv --date D"
figure "  sqlite3 shell, the agenda query" \
	"$(peak_kb sqlite3 -readonly "$db" "$agenda_sql")" "/usr/bin/time -f %M sqlite3 -readonly $db \"...\" (large)"
book+=(--start "$start")
figure "  course book --dry-run" \
	"$(peak_kb "$celldesk" --db "$small" "${book[@]}" --patient "$smrn" --dry-run) -> $(peak_kb "$celldesk" --db "$work" "${book[@]}" --patient "$lmrn" --dry-run)" \
	"/usr/bin/time -f %M celldesk --db DB course book ... --dry-run"
figure "  course book" \
	"$(peak_kb "$celldesk" --db "$small" "${book[@]}" --patient "$smrn") -> $(peak_kb "$celldesk" --db "$work" "${book[@]}" --patient "$lmrn")" \
	"/usr/bin/time -f %M celldesk --db DB course book ..."
figure "  protocol list (the start alone)" \
	"$(peak_kb "$celldesk" --db "$small" protocol list) -> $(peak_kb "$celldesk" --db "$db" protocol list)" \
	"/usr/bin/time -f %M celldesk --db DB protocol list"
echo

# --- patients and audit: memory and the whole chain ---
figure "peak memory: patient list (all)" "$(peak_kb "$celldesk" --db "$db" patient list) KiB" \
	"/usr/bin/time -f %M celldesk --db $db patient list"
figure "peak memory: patient list --search Ковал" \
	"$(peak_kb "$celldesk" --db "$db" patient list --search Ковал) KiB" \
	"/usr/bin/time -f %M celldesk --db $db patient list --search Ковал"
figure "peak memory: sqlite3 shell, same query" "$(peak_kb sqlite3 "$db" "$sql") KiB" \
	"/usr/bin/time -f %M sqlite3 $db \"...\""
figure "audit verify (all $audits records)" \
	"$(median_ms 3 "$celldesk" --db "$db" audit verify) ms" "celldesk --db $db audit verify"
echo

# --- cell lots (the large dataset) ---
# Inside one process: bench_lots (tests/bench/bench_lots.c, built by
# make bench in the build folder) times ops_lot_list --expiring-within 7d
# for each site, the custody chain of the lot with the most events
# (median and worst of BENCH_LOT_RUNS, default 50, clock_gettime around
# each call) and audit verify of the whole chain once; then its peak
# memory. From outside, the same commands as processes (start included),
# with protocol list for the start alone. The SQL bench_lots saw SQLite
# run (parameters filled in) goes through EXPLAIN QUERY PLAN in the
# shell: the list must be a range of the partial index
# lots_by_site_expiry, the trace a search of custody_events_by_lot.
lots=$(q "$db" 'SELECT count(*) FROM lots')
echo "cell lots ($lots lots):"
figure "  custody events" "$(q "$db" 'SELECT count(*) FROM custody_events')" \
	"sqlite3 $db 'SELECT count(*) FROM custody_events'"
figure "  lots in stock (not administered or discarded)" \
	"$(q "$db" "SELECT count(*) FROM lots WHERE status NOT IN ('administered', 'discarded')")" \
	"sqlite3 $db 'SELECT count(*) FROM lots WHERE status NOT IN (...)'"
bench_lots=$builddir/tests/bench/bench_lots
if [ "$lots" = 0 ]; then
	echo "  (no lots in $db: BENCH_REBUILD=1 makes it again with them)"
elif [ ! -x "$bench_lots" ]; then
	echo "  (no in-process figures: $bench_lots is not built; make bench builds it)"
else
	rm -f "$dir/lot_list.sql" "$dir/lot_trace.sql"
	"$bench_lots" "$db" "${BENCH_LOT_RUNS:-50}" "$dir" ||
		echo "  (bench_lots failed: see above)"
	for f in lot_list:lots_by_site_expiry lot_trace:custody_events_by_lot; do
		if [ -f "$dir/${f%:*}.sql" ]; then
			plan=$(q "$db" "EXPLAIN QUERY PLAN $(cat "$dir/${f%:*}.sql")")
			verdict="does NOT use ${f#*:}"
			grep -q "USING INDEX ${f#*:} " <<<"$plan" && verdict="uses ${f#*:}"
			echo "  query plan of ${f%:*} ($verdict; sqlite3 -readonly $db \"EXPLAIN QUERY PLAN \$(cat $dir/${f%:*}.sql)\"):"
			sed 's/^/    /' <<<"$plan"
		fi
	done
fi
if [ "$lots" != 0 ]; then
	mapfile -t sites < <(q "$db" 'SELECT name FROM sites ORDER BY name')
	for s in "${sites[@]}"; do
		figure "  process: lot list --site $s (median of $runs)" \
			"$(median_ms "$runs" "$celldesk" --db "$db" lot list --site "$s" --expiring-within 7d) ms" \
			"celldesk --db $db lot list --site '$s' --expiring-within 7d"
	done
	lot=$(q "$db" "SELECT l.code FROM (SELECT lot_id, count(*) AS n FROM custody_events
	    GROUP BY lot_id ORDER BY n DESC, lot_id LIMIT 1) e JOIN lots l ON l.id = e.lot_id")
	figure "  process: lot trace $lot (median of $runs)" \
		"$(median_ms "$runs" "$celldesk" --db "$db" lot trace "$lot") ms" \
		"celldesk --db $db lot trace $lot"
	figure "  process start alone: protocol list (median of $runs)" \
		"$(median_ms "$runs" "$celldesk" --db "$db" protocol list) ms" "celldesk --db $db protocol list"
fi
rm -f "$work" "$work-wal" "$work-shm"
