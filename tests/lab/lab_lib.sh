# lab_lib.sh - the lab's side in the lab-sync tests (tests/lab), sourced
# after tests/cli/lib.sh (and, for scripts with staff users, lot_lib.sh).
#
# The lab is a real FHIR R4 engine: @medplum/fhir-router with its
# in-memory repository behind tests/lab/fhir_server.mjs, on 127.0.0.1.
# start_engine runs it (stopped again when the script ends), lab_config
# points celldesk at it, fhir_get / fhir_post talk to it with curl, and
# post_qc_report / post_product play the lab by writing its results in.
#
# Node comes from the system (Debian package nodejs); the engine's
# packages from `npm ci --prefix tests/lab` (./quickstart does it), into
# tests/lab/node_modules of the source tree.

lab_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ENGINE_PID=""
ENGINE_PORT=""
FHIR_BASE=""
ENGINE_LOG=$tmp/engine.log
_engine_hooked=0

for t in node curl python3 sqlite3; do
	command -v "$t" >/dev/null 2>&1 ||
		die "needs '$t' (Debian packages nodejs, curl, python3, sqlite3; ./quickstart installs them)"
done
if [ ! -f "$lab_dir/node_modules/@medplum/fhir-router/package.json" ]; then
	die "the FHIR engine is not installed in $lab_dir/node_modules: run 'npm ci --prefix tests/lab' in the source tree (./quickstart does)"
fi

# start_engine [PORT] - start the engine (a free port unless PORT is
# given; the repository starts empty) and wait until it listens. Sets
# ENGINE_PID, ENGINE_PORT and FHIR_BASE. Every request is logged in
# $ENGINE_LOG ("METHOD URL STATUS MS").
start_engine() {
	local port=${1:-0} i out=$tmp/engine.out
	[ -z "$ENGINE_PID" ] || die "start_engine: the engine is running already (pid $ENGINE_PID)"
	: >"$out"
	PORT=$port FHIR_SERVER_LOG=1 node "$lab_dir/fhir_server.mjs" >"$out" 2>>"$ENGINE_LOG" &
	ENGINE_PID=$!
	if [ "$_engine_hooked" = 0 ]; then
		at_exit stop_engine
		_engine_hooked=1
	fi
	for ((i = 0; i < 600; i++)); do
		ENGINE_PORT=$(sed -n 's/^PORT \([0-9][0-9]*\)$/\1/p' "$out")
		[ -n "$ENGINE_PORT" ] && break
		kill -0 "$ENGINE_PID" 2>/dev/null || break
		sleep 0.05
	done
	if [ -z "$ENGINE_PORT" ]; then
		show_file "$ENGINE_LOG" "engine log"
		stop_engine
		die "the FHIR engine (node $lab_dir/fhir_server.mjs) did not start listening within 30 s (node $(node --version); @medplum 4.5.2 asks for ^20.19 or >= 22.12)"
	fi
	FHIR_BASE=http://127.0.0.1:$ENGINE_PORT/fhir/R4
	export FHIR_BASE ENGINE_PORT
}

# stop_engine - stop the engine (SIGTERM, then SIGKILL after 3 s); its
# data is gone.
stop_engine() {
	local i
	[ -n "$ENGINE_PID" ] || return 0
	kill -CONT "$ENGINE_PID" 2>/dev/null
	kill -TERM "$ENGINE_PID" 2>/dev/null
	for ((i = 0; i < 60; i++)); do
		kill -0 "$ENGINE_PID" 2>/dev/null || break
		sleep 0.05
	done
	kill -KILL "$ENGINE_PID" 2>/dev/null
	wait "$ENGINE_PID" 2>/dev/null
	ENGINE_PID=""
}

# restart_engine - stop it and start it again on the same port. The
# in-memory repository comes back EMPTY: for "the lab froze mid-sync"
# use pause_engine / engine_pause_at and resume_engine instead.
restart_engine() {
	local port=$ENGINE_PORT
	stop_engine
	start_engine "$port"
}

# pause_engine / resume_engine - SIGSTOP / SIGCONT the engine: while it is
# stopped, connections are still accepted by the kernel but never
# answered, so requests time out.
pause_engine() { kill -STOP "$ENGINE_PID"; }
resume_engine() { kill -CONT "$ENGINE_PID"; }

# engine_pause_at METHOD PATH_PREFIX [SKIP] - the engine stops itself
# (SIGSTOP) when the (SKIP+1)th METHOD request under the base whose path
# starts with PATH_PREFIX arrives ("/" is the transaction endpoint,
# "/Observation" the Observation searches): a freeze at an exact point
# of a sync. resume_engine lets it go on.
engine_pause_at() {
	curl -sS --fail-with-body --max-time 5 -X POST \
		"http://127.0.0.1:$ENGINE_PORT/_pause_at?method=$1&path=$2&skip=${3:-0}" >/dev/null
}

# engine_is_paused - true when the engine process is stopped.
engine_is_paused() {
	[ -n "$ENGINE_PID" ] && [ "$(awk '{print $3}' "/proc/$ENGINE_PID/stat" 2>/dev/null)" = T ]
}

# engine_ms - milliseconds the engine has spent inside its router so far.
engine_ms() {
	curl -sS --max-time 10 "http://127.0.0.1:$ENGINE_PORT/_engine_ms" |
		python3 -c 'import json, sys; print("%.1f" % json.load(sys.stdin)["engine_ms"])'
}

# lab_config [KEY=VALUE...] - the [lab] section pointing at the engine:
# url, allow_insecure_loopback = true, timeout = 5, connect_timeout = 2,
# page_size = 100, each overridden by a KEY=VALUE given. Written to
# $XDG_CONFIG_HOME/celldesk/config and, with lot_lib.sh, to each staff
# user's own configuration.
lab_config() {
	local kv text f u
	local -A v=([url]=$FHIR_BASE [allow_insecure_loopback]=true [timeout]=5
		[connect_timeout]=2 [page_size]=100)
	for kv in "$@"; do
		v[${kv%%=*}]=${kv#*=}
	done
	text="# written by tests/lab/lab_lib.sh"$'\n'"[lab]"$'\n'
	for kv in url allow_insecure_loopback timeout connect_timeout page_size token_file ca_file; do
		[ -n "${v[$kv]+x}" ] && [ -n "${v[$kv]}" ] && text+="$kv = ${v[$kv]}"$'\n'
	done
	mkdir -p "$XDG_CONFIG_HOME/celldesk"
	printf '%s' "$text" >"$XDG_CONFIG_HOME/celldesk/config"
	chmod 0644 "$XDG_CONFIG_HOME/celldesk/config"
	if [ -n "${shared:-}" ]; then
		for u in ${labu:-} ${clinu:-} ${frontu:-}; do
			f=$shared/home-$u/.config/celldesk
			mkdir -p "$f"
			printf '%s' "$text" >"$f/config"
			chmod 0755 "$shared/home-$u/.config" "$f"
			chmod 0644 "$f/config"
			chown -R "$u" "$shared/home-$u/.config"
		done
	fi
}

# fhir_get PATH - GET $FHIR_BASE/PATH, the body on stdout; fails on an
# HTTP error or no answer within 10 s.
fhir_get() {
	curl -sS --fail-with-body --max-time 10 -H 'accept: application/fhir+json' -- "$FHIR_BASE/$1"
}

# fhir_post PATH JSON - POST JSON to $FHIR_BASE/PATH ("" for a
# transaction Bundle), the body on stdout; fails like fhir_get.
fhir_post() {
	printf '%s' "$2" | curl -sS --fail-with-body --max-time 60 -X POST \
		-H 'content-type: application/fhir+json' -H 'accept: application/fhir+json' \
		--data-binary @- -- "$FHIR_BASE/$1"
}

# fhir_put PATH JSON - PUT, as fhir_post.
fhir_put() {
	printf '%s' "$2" | curl -sS --fail-with-body --max-time 60 -X PUT \
		-H 'content-type: application/fhir+json' -H 'accept: application/fhir+json' \
		--data-binary @- -- "$FHIR_BASE/$1"
}

# fhir_count TYPE QUERY - how many TYPE resources the search QUERY ("" for
# all) finds
# (the searchset's total, checked against its entries, of which the
# engine gives at most 1,000); "error ..." when the search fails.
fhir_count() {
	local body
	body=$(fhir_get "$1?${2:+$2&}_count=1000") || {
		echo "error: GET $1?$2 failed: $(printf '%s' "$body" | head -c 300)"
		return 1
	}
	printf '%s' "$body" | python3 -c '
import json, sys
b = json.load(sys.stdin)
n = len([e for e in b.get("entry", []) if e.get("search", {}).get("mode", "match") == "match"])
t = b.get("total", n)
print(t if n == min(t, 1000) else "error: total %s but %d entries" % (t, n))'
}

# fhir_search TYPE QUERY - the matching resources, one JSON document per
# line (sorted by id).
fhir_search() {
	fhir_get "$1?${2:+$2&}_count=1000" | python3 -c '
import json, sys
b = json.load(sys.stdin)
for r in sorted((e["resource"] for e in b.get("entry", [])), key=lambda r: r["id"]):
    print(json.dumps(r, ensure_ascii=False))'
}

# _lab_json WHAT ARGS... - the JSON the lab helpers post (python3, so
# every value is quoted right); report_id and id read a response on stdin.
_lab_json() {
	python3 -c "$_lab_py" "$@"
}
_lab_py=$(cat <<'EOF'
import json, re, sys, uuid

NUM = re.compile(r"^[-+]?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$")
UNITS = {"viability": ("%", "%"), "endotoxin": ("EU/mL", "[EU]/mL"),
         "cell-count": ("cells", "{cells}")}
EXT = "http://hl7.org/fhir/5.0/StructureDefinition/extension-BiologicallyDerivedProduct.expirationDate"

what, a = sys.argv[1], sys.argv[2:]
if what == "report":
    # report STATUS OBS_STATUS SPECIMEN_JSON SUBJECT_JSON TEST=VALUE...
    status, obs_status, spec, subj = a[0], a[1], json.loads(a[2]), json.loads(a[3])
    entries, refs = [], []
    for tv in a[4:]:
        test, _, val = tv.partition("=")
        ob = {"resourceType": "Observation", "status": obs_status,
              "code": {"coding": [{"system": "urn:celldesk:qc-test", "code": test}], "text": test}}
        if subj:
            ob["subject"] = subj
        if NUM.match(val):
            unit, code = UNITS.get(test, ("1", "1"))
            ob["valueQuantity"] = {"value": json.loads(val.lstrip("+")) if "e" not in val.lower() else float(val),
                                   "unit": unit, "system": "http://unitsofmeasure.org", "code": code}
        else:
            ob["valueCodeableConcept"] = {"text": val}
        full = "urn:uuid:%s" % uuid.uuid4()
        refs.append({"reference": full})
        entries.append({"fullUrl": full, "resource": ob, "request": {"method": "POST", "url": "Observation"}})
    rep = {"resourceType": "DiagnosticReport", "status": status,
           "code": {"text": "cell product QC"}, "specimen": [spec], "result": refs}
    if subj:
        rep["subject"] = subj
    entries.append({"fullUrl": "urn:uuid:%s" % uuid.uuid4(), "resource": rep,
                    "request": {"method": "POST", "url": "DiagnosticReport"}})
    print(json.dumps({"resourceType": "Bundle", "type": "transaction", "entry": entries}))
elif what == "product":
    # product LOT STATUS EXPIRY [ID]
    lot, status, expiry = a[0], a[1], a[2]
    p = {"resourceType": "BiologicallyDerivedProduct", "status": status,
         "identifier": [{"system": "urn:celldesk:lot", "value": lot}], "productCategory": "cells"}
    if expiry:
        p["extension"] = [{"url": EXT, "valueDateTime": expiry}]
    if len(a) > 3:
        p["id"] = a[3]
    print(json.dumps(p))
elif what == "report_id":
    # the DiagnosticReport's id from a transaction-response on stdin
    b = json.load(sys.stdin)
    for e in b.get("entry", []):
        loc = e.get("response", {}).get("location", "")
        if loc.startswith("DiagnosticReport/"):
            print(loc.split("/")[1])
elif what == "id":
    print(json.load(sys.stdin)["id"])
EOF
)

# post_qc_report [--status S] [--obs-status S] [--specimen-ref] [--subject-mrn MRN]
#   LOT TEST=VALUE... - the lab reports QC for LOT: one transaction Bundle
# with an Observation per TEST=VALUE (code urn:celldesk:qc-test|TEST; a
# number becomes valueQuantity with its unit, a word valueCodeableConcept
# {text}) and a DiagnosticReport (status final unless --status) whose
# specimen names the lot by identifier urn:celldesk:lot|LOT (or, with
# --specimen-ref, as Specimen/<id> of the Specimen celldesk sent) and
# whose result references the Observations. Prints the report's id.
post_qc_report() {
	local status=final obs_status=final by_ref=0 mrn="" lot spec subj="null" body resp sid
	while [ $# -gt 0 ]; do
		case $1 in
		--status) status=$2; shift 2 ;;
		--obs-status) obs_status=$2; shift 2 ;;
		--specimen-ref) by_ref=1; shift ;;
		--subject-mrn) mrn=$2; shift 2 ;;
		*) break ;;
		esac
	done
	lot=$1
	shift
	if [ "$by_ref" = 1 ]; then
		sid=$(fhir_get "Specimen?identifier=urn:celldesk:lot|$lot" |
			python3 -c 'import json, sys; print(json.load(sys.stdin)["entry"][0]["resource"]["id"])') ||
			{ echo "post_qc_report: the engine has no Specimen for lot $lot" >&2; return 1; }
		spec="{\"reference\": \"Specimen/$sid\"}"
	else
		spec=$(python3 -c 'import json, sys; print(json.dumps({"identifier": {"system": "urn:celldesk:lot", "value": sys.argv[1]}}))' "$lot")
	fi
	[ -z "$mrn" ] ||
		subj=$(python3 -c 'import json, sys; print(json.dumps({"identifier": {"system": "urn:celldesk:mrn", "value": sys.argv[1]}}))' "$mrn")
	body=$(_lab_json report "$status" "$obs_status" "$spec" "$subj" "$@") || return 1
	resp=$(fhir_post "" "$body") || {
		echo "post_qc_report: the engine refused the report: $(printf '%s' "$resp" | head -c 300)" >&2
		return 1
	}
	printf '%s' "$resp" | _lab_json report_id
}

# post_product LOT available|unavailable [EXPIRY] - the lab's
# BiologicallyDerivedProduct for LOT (identifier urn:celldesk:lot|LOT),
# with the expiry (an ISO 8601 date and time) in the R5 cross-version
# extension. Prints its id.
post_product() {
	local body resp
	body=$(_lab_json product "$1" "$2" "${3:-}") || return 1
	resp=$(fhir_post BiologicallyDerivedProduct "$body") || {
		echo "post_product: the engine refused the product: $(printf '%s' "$resp" | head -c 300)" >&2
		return 1
	}
	printf '%s' "$resp" | _lab_json id
}

# update_product ID LOT STATUS [EXPIRY] - a new version of product ID.
update_product() {
	local body resp
	body=$(_lab_json product "$2" "$3" "${4:-}" "$1") || return 1
	resp=$(fhir_put "BiologicallyDerivedProduct/$1" "$body") || {
		echo "update_product: the engine refused the product: $(printf '%s' "$resp" | head -c 300)" >&2
		return 1
	}
	printf '%s' "$resp" | _lab_json id
}

# expect_fhir_count N TYPE QUERY [WHAT] - the engine finds exactly N.
expect_fhir_count() {
	local n
	n=$(fhir_count "$2" "$3")
	if [ "$n" = "$1" ]; then ok; else
		fail "the engine has $n $2 for '$3', expected $1 ${4:-}"
		return 1
	fi
}
