#!/usr/bin/env bash
# bench_sync.sh - the lab sync against the real FHIR engine (make bench;
# never part of make check). Issue 6's targets: push 1,000 outbox rows
# within 5 s; pull and apply 10,000 Observations at 2,000 resources a
# second or better, end to end; and how much of the time the engine
# itself took.
#
# Usage: bench_sync.sh PATH/TO/celldesk
#
# A fresh database (made in a temporary folder): a site, BENCH_PATIENTS
# (default 100) patients and BENCH_LOTS (default 1,000) autologous lots,
# each added with `celldesk lot add`, so each queues its order in the
# outbox as in the clinic. Then, with the engine (tests/lab/
# fhir_server.mjs) on 127.0.0.1:
#   1. push: one `celldesk sync` sends the 1,000 orders (the lab has
#      nothing to pull yet);
#   2. the lab's data: one DiagnosticReport with 10 Observations per lot
#      (10,000 Observations), posted with curl as transaction Bundles;
#   3. pull: `celldesk sync` applies it all, once per page size in
#      BENCH_PAGE_SIZES (default "100 1000"), each on a copy of the
#      database as it was after the push.
# Each sync's wall time, its peak memory (/usr/bin/time -v) and the time
# the engine spent inside its router (GET /_engine_ms, before and after)
# are printed in a table.
set -uo pipefail
CELLDESK=${1:?usage: bench_sync.sh PATH/TO/celldesk}
export CELLDESK
src=$(cd "$(dirname "$0")/../.." && pwd)
npatients=${BENCH_PATIENTS:-100}
nlots=${BENCH_LOTS:-1000}
page_sizes=${BENCH_PAGE_SIZES:-100 1000}
per_bundle=50                  # reports per transaction Bundle the lab posts

. "$src/tests/cli/lib.sh"
. "$src/tests/lab/lab_lib.sh"
[ -x /usr/bin/time ] || die "needs /usr/bin/time (Debian package time)"
[ -n "${EPOCHREALTIME:-}" ] || die "needs bash 5 (EPOCHREALTIME)"

# now_us - the wall clock in microseconds (bash's own, no process).
now_us() { local t=$EPOCHREALTIME; echo $((10#${t/./})); }
secs() { awk -v u="$1" 'BEGIN {printf "%.2f", u / 1e6}'; }
db=$tmp/bench.db

# timed_sync LABEL - one `celldesk sync` on $db: sets WALL_US, RSS_KB,
# ENGINE_MS (the engine's part) and LINE (its summary line).
timed_sync() {
	local e0 e1 t0 t1 rc
	e0=$(engine_ms)
	t0=$(now_us)
	/usr/bin/time -v -o "$tmp/time.txt" "$CELLDESK" --db "$db" sync >"$OUT" 2>"$ERR"
	rc=$?
	t1=$(now_us)
	e1=$(engine_ms)
	WALL_US=$((t1 - t0))
	RSS_KB=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$tmp/time.txt")
	ENGINE_MS=$(awk -v a="$e0" -v b="$e1" 'BEGIN {printf "%.0f", b - a}')
	LINE=$(head -n 1 "$OUT")
	if [ "$rc" != 0 ]; then
		last_cmd="celldesk --db $db sync ($1)"
		fail "sync ($1) exited $rc"
		show_output
	fi
}

rows=()
# row WHAT WALL_US ENGINE_MS RESOURCES RSS_KB TARGET - one line of the
# table: besides the wall time, the engine's part and the rest (celldesk:
# its process, the HTTP, the database), each with resources per second.
row() {
	local per="" share="" own="" own_per=""
	[ -n "$4" ] && per=$(awk -v n="$4" -v u="$2" 'BEGIN {printf "%.0f", n / (u / 1e6)}')
	if [ -n "$3" ]; then
		share=$(awk -v e="$3" -v u="$2" 'BEGIN {printf "%.1f s (%.0f%%)", e / 1000, 100 * e / (u / 1000)}')
		own=$(awk -v e="$3" -v u="$2" 'BEGIN {printf "%.2f s", u / 1e6 - e / 1000}')
		[ -n "$4" ] && own_per=$(awk -v n="$4" -v e="$3" -v u="$2" 'BEGIN {x = u / 1e6 - e / 1000; printf "%.0f", (x > 0 ? n / x : 0)}')
	fi
	rows+=("$(printf '%-44s %9s %16s %9s %9s %9s %9s %10s  %s' "$1" "$(secs "$2") s" "$share" "$own" "$4" \
		"$per" "$own_per" "${5:+$5 KiB}" "$6")")
	echo "  ${rows[-1]}"
}

echo "bench_sync: $nlots lots for $npatients patients; celldesk $CELLDESK"

# --- the clinic ---------------------------------------------------------------
t0=$(now_us)
"$CELLDESK" --db "$db" init >/dev/null || die "init failed"
"$CELLDESK" --db "$db" site add Berlin --tz Europe/Berlin --hours "mon-fri 08:00-18:00" >/dev/null ||
	die "site add failed"
for ((p = 1; p <= npatients; p++)); do
	"$CELLDESK" --db "$db" patient add --mrn "$(printf 'BEN-%05d' "$p")" --name "Bench Patient $p" \
		--dob 1960-01-01 --site Berlin >/dev/null || die "patient add $p failed"
done
t1=$(now_us)
for ((l = 1; l <= nlots; l++)); do
	"$CELLDESK" --db "$db" lot add --id "$(printf 'BL-%05d' "$l")" --kind autologous \
		--patient "$(printf 'BEN-%05d' $(((l - 1) % npatients + 1)))" --source bone-marrow >/dev/null ||
		die "lot add $l failed"
done
t2=$(now_us)
pending=$(sq "$db" "SELECT count(*) FROM outbox WHERE status = 'pending';")
[ "$pending" = "$nlots" ] || die "$pending orders pending after $nlots lot adds"
echo "set-up: $npatients patient adds $(secs $((t1 - t0))) s; $nlots lot adds $(secs $((t2 - t1))) s" \
	"($(awk -v u=$((t2 - t1)) -v n="$nlots" 'BEGIN {printf "%.1f", u / n / 1000}') ms each, a process each)"

# --- 1. push ------------------------------------------------------------------
start_engine
lab_config timeout=120 connect_timeout=5 page_size=100
timed_sync push
echo "push:  $LINE"
case $LINE in
"sync: sent $nlots, "*", failed 0") ;;
*) fail "the push did not send all $nlots orders: $LINE" ;;
esac
row "push: $nlots orders (3 resources each)" "$WALL_US" "$ENGINE_MS" $((3 * nlots)) "$RSS_KB" \
	"target <= 5 s"
n=$(fhir_count Specimen "")
[ "$n" = "$nlots" ] || fail "the engine holds $n Specimens, expected $nlots"
cp "$db" "$tmp/after_push.db"

# --- 2. the lab's data --------------------------------------------------------
python3 - "$tmp/lab" "$nlots" "$per_bundle" <<'EOF'
import json, os, sys, uuid
out, n, per = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.makedirs(out, exist_ok=True)
def obs(test, value):
    o = {"resourceType": "Observation", "status": "final",
         "code": {"coding": [{"system": "urn:celldesk:qc-test", "code": test}]}}
    if isinstance(value, str):
        o["valueCodeableConcept"] = {"text": value}
    else:
        o["valueQuantity"] = {"value": value, "unit": {"viability": "%", "endotoxin": "EU/mL"}.get(test, "cells")}
    return o
for b in range(0, n, per):
    entries = []
    for l in range(b + 1, min(b + per, n) + 1):
        refs = []
        # ten results: the five tests, then a re-test of each
        for k, (t, v) in enumerate([("viability", 92.5), ("sterility", "negative"), ("endotoxin", 0.1),
                                   ("mycoplasma", "negative"), ("cell-count", 2.4e8)] * 2):
            if k >= 5 and not isinstance(v, str):
                v = round(v * 1.01, 3)
            full = "urn:uuid:%s" % uuid.uuid4()
            refs.append({"reference": full})
            entries.append({"fullUrl": full, "resource": obs(t, v), "request": {"method": "POST", "url": "Observation"}})
        entries.append({"fullUrl": "urn:uuid:%s" % uuid.uuid4(),
                        "resource": {"resourceType": "DiagnosticReport", "status": "final", "code": {"text": "QC"},
                                     "specimen": [{"identifier": {"system": "urn:celldesk:lot", "value": "BL-%05d" % l}}],
                                     "result": refs},
                        "request": {"method": "POST", "url": "DiagnosticReport"}})
    with open(os.path.join(out, "b%05d.json" % b), "w") as f:
        json.dump({"resourceType": "Bundle", "type": "transaction", "entry": entries}, f)
EOF
t0=$(now_us)
e0=$(engine_ms)
for f in "$tmp"/lab/b*.json; do
	curl -sS --fail-with-body --max-time 300 -X POST -H 'content-type: application/fhir+json' \
		--data-binary @"$f" "$FHIR_BASE" >/dev/null || die "the engine refused $f"
done
e1=$(engine_ms)
t1=$(now_us)
nobs=$(fhir_count Observation "")
nrep=$(fhir_count DiagnosticReport "")
[ "$nobs" = $((10 * nlots)) ] && [ "$nrep" = "$nlots" ] ||
	die "the engine holds $nrep reports and $nobs Observations, expected $nlots and $((10 * nlots))"
row "lab posts $nrep reports, $nobs Observations" $((t1 - t0)) \
	"$(awk -v a="$e0" -v b="$e1" 'BEGIN {printf "%.0f", b - a}')" $((nrep + nobs)) "" "(curl, the test's side)"

# --- 3. pull ------------------------------------------------------------------
for ps in $page_sizes; do
	cp "$tmp/after_push.db" "$db"
	rm -f "$db-wal" "$db-shm"
	lab_config timeout=120 connect_timeout=5 page_size="$ps"
	timed_sync "pull, page_size $ps"
	echo "pull (page_size $ps): $LINE"
	case $LINE in
	*"(applied $nlots, to review 0), failed 0") ;;
	*) fail "the pull with page_size $ps did not apply the $nlots reports: $LINE" ;;
	esac
	n=$(sq "$db" "SELECT count(*) FROM qc_results WHERE actor = 'lab-sync';")
	[ "$n" = $((10 * nlots)) ] || fail "$n QC results recorded with page_size $ps, expected $((10 * nlots))"
	row "pull: $nrep reports + $nobs Obs, page_size $ps" "$WALL_US" "$ENGINE_MS" $((nrep + nobs)) \
		"$RSS_KB" "target >= 2000/s"
done

echo
printf '%-44s %9s %16s %9s %9s %9s %9s %10s\n' "" "wall" "engine (share)" "rest" "resources" \
	"per s" "rest: /s" "peak RSS"
printf '%s\n' "${rows[@]}"
echo
echo "(wall: the celldesk process, start to exit, end to end; engine: time inside the FHIR"
echo " router (GET /_engine_ms before and after); rest: wall less engine, i.e. celldesk, HTTP"
echo " and SQLite; resources: Patient+Specimen+ServiceRequest per order pushed, DiagnosticReports"
echo " + Observations pulled; peak RSS of the celldesk process, /usr/bin/time -v. The in-memory"
echo " engine scans every resource of a type for each search (conditional creates, _id lists),"
echo " so its share grows with the data; a server with indexes answers those in constant time.)"
finish
