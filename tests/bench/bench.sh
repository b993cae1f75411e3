#!/usr/bin/env bash
# bench.sh - benchmarks on the large demo dataset (make bench). Prints each
# figure with the command behind it. Never part of make check.
#
# Usage: bench.sh PATH/TO/celldesk   (data is kept in $BENCH_DIR, default
# ./bench-data, and built once per celldesk schema version)
set -euo pipefail
celldesk=${1:?usage: bench.sh PATH/TO/celldesk}
dir=${BENCH_DIR:-$PWD/bench-data}
db=$dir/large.db
runs=${BENCH_RUNS:-20}
mkdir -p "$dir"
export LC_ALL=C.UTF-8

now_ns() { date +%s%N; }

# median_ms RUNS CMD... - median wall time of CMD over RUNS runs, in ms.
median_ms() {
	local n=$1 i t0 t1
	shift
	local times=()
	for ((i = 0; i < n; i++)); do
		t0=$(now_ns)
		"$@" >/dev/null
		t1=$(now_ns)
		times+=($(((t1 - t0) / 1000)))
	done
	printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {m=a[int((NR+1)/2)]; printf "%.1f", m/1000}'
}

# peak_kb CMD... - peak resident memory of CMD in KiB (GNU time).
peak_kb() {
	/usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -n 1
}

figure() { printf '%-44s %12s   %s\n' "$1" "$2" "$3"; }

echo "celldesk benchmarks ($("$celldesk" --version), $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ))"
echo
if [ ! -f "$db" ]; then
	t0=$(now_ns)
	"$celldesk" --db "$db" demo --scale large --seed 1 >/dev/null
	t1=$(now_ns)
	figure "demo --scale large (build the dataset)" "$(((t1 - t0) / 1000000)) ms" \
		"celldesk --db $db demo --scale large --seed 1"
else
	echo "(reusing $db; remove it to time the generator)"
fi
"$celldesk" --db "$db" init >/dev/null
patients=$(sqlite3 "$db" 'SELECT count(*) FROM patients')
audits=$(sqlite3 "$db" 'SELECT count(*) FROM audit')
figure "patients in the dataset" "$patients" "sqlite3 $db 'SELECT count(*) FROM patients'"
figure "audit records" "$audits" "sqlite3 $db 'SELECT count(*) FROM audit'"
figure "database size" "$(($(stat -c %s "$db") / 1048576)) MiB" "stat -c %s $db"
echo

# Patient search by name prefix (word prefixes, Cyrillic and Latin).
for q in "Ковал" "Müll" "Wil" "MRN00123" "380 44"; do
	figure "patient list --search '$q' (median of $runs)" \
		"$(median_ms "$runs" "$celldesk" --db "$db" patient list --search "$q") ms" \
		"celldesk --db $db patient list --search '$q'"
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
figure "ratio celldesk / sqlite3" "$(awk -v a="$ours" -v b="$theirs" 'BEGIN {printf "%.2f", a / b}')" ""
echo

if [ -x /usr/bin/time ]; then
	figure "peak memory: patient list (all)" "$(peak_kb "$celldesk" --db "$db" patient list) KiB" \
		"/usr/bin/time -f %M celldesk --db $db patient list"
	figure "peak memory: patient list --search Ковал" \
		"$(peak_kb "$celldesk" --db "$db" patient list --search Ковал) KiB" \
		"/usr/bin/time -f %M celldesk --db $db patient list --search Ковал"
	figure "peak memory: sqlite3 shell, same query" "$(peak_kb sqlite3 "$db" "$sql") KiB" \
		"/usr/bin/time -f %M sqlite3 $db \"...\""
	figure "audit verify (all $audits records)" \
		"$(median_ms 3 "$celldesk" --db "$db" audit verify) ms" "celldesk --db $db audit verify"
fi
