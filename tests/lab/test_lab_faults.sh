#!/bin/bash
# test_lab_faults.sh - `celldesk sync` against a lab that fails on purpose
# (tests/lab/faulty_server.py, python3 only, no node): a lab that hangs,
# fails once, is busy, answers garbage, too much, half an answer, a
# redirect elsewhere or a refusal; a self-signed certificate; and [lab]
# settings celldesk must refuse. Each failure: exit 3, one sentence on
# stderr saying what went wrong, nothing applied to the database, only
# transient failures retried (the server counts every request), and the
# next run against a good lab succeeds. Timeouts are 2 s; the whole
# script takes about half a minute.
. "$(dirname "$0")/../cli/lib.sh"

EDATA=3
ATTEMPTS=3          # HTTP_ATTEMPTS in src/sync/http.h
here=$(cd "$(dirname "$0")" && pwd)
db=$tmp/clinic.db
conf=$XDG_CONFIG_HOME/celldesk/config
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy NO_PROXY no_proxy \
	CURL_CA_BUNDLE SSL_CERT_FILE SSL_CERT_DIR 2>/dev/null || true

# start_server NAME ARGS... - runs faulty_server.py ARGS in the background
# (stopped at exit) and sets port to the port it printed, server_pid to
# its process id.
start_server() {
	local name=$1 pid i
	shift
	python3 "$here/faulty_server.py" "$@" >"$tmp/$name.port" 2>"$tmp/$name.err" &
	pid=$!
	server_pid=$pid
	at_exit "kill $pid"
	port=""
	for i in $(seq 50); do
		port=$(head -n 1 "$tmp/$name.port" 2>/dev/null)
		[ -n "$port" ] && return 0
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	show_file "$tmp/$name.err" "faulty_server.py stderr"
	die "faulty_server.py $* did not start"
}

# write_conf URL [LINE...] - the user's [lab] section: URL, loopback http
# allowed, 2 s timeouts, then each LINE.
write_conf() {
	local url=$1 l
	shift
	mkdir -p "$(dirname "$conf")"
	{
		printf '[lab]\nurl = %s\nallow_insecure_loopback = true\ntimeout = 2\nconnect_timeout = 2\n' "$url"
		for l in "$@"; do printf '%s\n' "$l"; done
	} >"$conf"
}

# data_fingerprint - the database's dump without the sync run log (each
# run, good or bad, is recorded for `sync status`; nothing else may change).
data_fingerprint() {
	printf 'PRAGMA user_version;\n.dump\n' | sqlite3 "$db" 2>&1 |
		grep -v '^INSERT INTO sync_runs ' | sha256sum | cut -d' ' -f1
}
expect_nothing_applied() {
	if [ "$(data_fingerprint)" = "$1" ]; then ok; else
		fail "a failed sync changed the database beyond its run log ($2)"
	fi
}

# hits_check PYEXPR WHY - PYEXPR holds, h being the server's /_hits JSON,
# asked(MODE) the request counts of MODE's paths.
hits_check() {
	local res
	res=$(python3 - "http://127.0.0.1:$main_port/_hits" "$1" 2>&1 <<'EOF'
import json, sys, urllib.request
h = json.load(urllib.request.urlopen(sys.argv[1], timeout=5))
def asked(mode):
    return [n for p, n in h["paths"].items() if p.startswith("/%s/" % mode)]
try:
    good = eval("(%s)" % sys.argv[2])
except Exception as e:
    print("error in the check: %r; /_hits: %s" % (e, json.dumps(h)[:600])); sys.exit(1)
if not good:
    print("/_hits: %s" % json.dumps({k: v for k, v in h.items() if k != "paths"})[:600])
    print("paths: %s" % json.dumps(h["paths"])[:600])
sys.exit(0 if good else 1)
EOF
	)
	if [ $? = 0 ]; then ok; else
		fail "$2 ($res)"
	fi
}

# sync_ok - `celldesk sync` succeeds and says nothing failed.
sync_ok() {
	cdk 0 --db "$db" sync && expect_out_re '^sync: sent 0, pulled 0 \(applied 0, to review 0\), failed 0$'
}

# recovers - the next run against the good lab succeeds.
recovers() {
	write_conf "http://127.0.0.1:$main_port/ok"
	sync_ok || fail "the run after a failure, against a good lab, did not succeed"
}

# sync_fails URL ERE [LINE...] - `celldesk sync` exits 3 with the summary
# line on stdout, one sentence matching ERE (any case) on stderr, nothing
# applied; then a run against /ok succeeds. Sets elapsed_ms.
sync_fails() {
	local url=$1 re=$2 before t0
	shift 2
	write_conf "$url" "$@"
	before=$(data_fingerprint)
	t0=$(date +%s%N)
	if cdk $EDATA --db "$db" sync; then
		expect_out_re '^sync: sent 0, pulled 0 \(applied 0, to review 0\), failed [1-9][0-9]*$'
		if LC_ALL=C grep -qaEi -e "$re" -- "$ERR"; then ok; else
			fail "stderr does not match /$re/ (any case) from: $last_cmd"
			show_output
		fi
	fi
	elapsed_ms=$((($(date +%s%N) - t0) / 1000000))
	expect_nothing_applied "$before" "$url"
	recovers
}

# total_hits - how many requests the main faulty lab has had.
total_hits() {
	python3 -c 'import json, sys, urllib.request
h = json.load(urllib.request.urlopen(sys.argv[1]))
print(sum(n for n in h["paths"].values()))' "http://127.0.0.1:$main_port/_hits"
}

# config_refused ERE [LINE...] - with these [lab] lines sync is refused
# before it talks to the lab: exit 1 or 3, one sentence matching ERE,
# nothing applied, the lab never asked.
config_refused() {
	local re=$1 before asked_before
	shift
	mkdir -p "$(dirname "$conf")"
	printf '[lab]\n' >"$conf"
	printf '%s\n' "$@" >>"$conf"
	before=$(data_fingerprint)
	asked_before=$(total_hits)
	last_cmd="$CELLDESK --db $db sync   # with: $*"
	timeout 120 "$CELLDESK" --db "$db" sync </dev/null >"$OUT" 2>"$ERR"
	rc=$?
	case $rc in
	1 | 3)
		ok
		check_err_line
		if LC_ALL=C grep -qaEi -e "$re" -- "$ERR"; then ok; else
			fail "stderr does not match /$re/ (any case) from: $last_cmd"
			show_output
		fi
		;;
	*)
		fail "exit status $rc, expected 1 or 3 (a refused setting): $last_cmd"
		show_output
		;;
	esac
	expect_nothing_applied "$before" "$*"
	[ "$(total_hits)" = "$asked_before" ] && ok ||
		fail "sync asked the lab although its settings were refused ($*)"
}

step "a clinic database and a faulty lab on 127.0.0.1"
command -v python3 >/dev/null || die "python3 is needed"
command -v sqlite3 >/dev/null || die "sqlite3 is needed"
cdk 0 --db "$db" init || die "init failed"
start_server main
main_port=$port
base=http://127.0.0.1:$main_port
token=tok-$RANDOM-$RANDOM-secret
printf '%s\n' "$token" >"$tmp/token"
chmod 600 "$tmp/token"

step "a good lab: sync succeeds, with the right headers and the bearer token"
write_conf "$base/ok" "token_file = $tmp/token"
sync_ok
expect_no_out "$token" "the token is never printed"
expect_no_err "$token" "the token is never printed"
hits_check 'h["ok"]["ok"] >= 1 and h["headers"]["ok"]["Authorization"] == "Bearer '"$token"'"' \
	"the lab receives Authorization: Bearer <token_file's content>"
hits_check 'h["headers"]["ok"]["Accept"] == "application/fhir+json" and
	h["headers"]["ok"]["User-Agent"].startswith("celldesk/") and h["headers"]["ok"]["Cookie"] == ""' \
	"Accept: application/fhir+json, User-Agent celldesk/VERSION, no cookie"

step "a lab that fails once (HTTP 500): each request is tried once more and the sync succeeds"
write_conf "$base/flaky"
sync_ok
hits_check 'len(asked("flaky")) >= 1 and all(n == 2 for n in asked("flaky")) and
	h["flaky"]["failed"] == len(asked("flaky"))' \
	"each request met one 500 and was asked exactly twice"

step "a busy lab (429, Retry-After: 1): celldesk waits the second it was asked to, then succeeds"
write_conf "$base/busy"
t0=$(date +%s%N)
sync_ok
elapsed_ms=$((($(date +%s%N) - t0) / 1000000))
hits_check 'len(asked("busy")) >= 1 and all(n == 2 for n in asked("busy"))' \
	"each request met one 429 and was asked exactly twice"
n=$(python3 -c 'import json, sys, urllib.request
h = json.load(urllib.request.urlopen(sys.argv[1]))
print(len([p for p in h["paths"] if p.startswith("/busy/")]))' "$base/_hits")
if [ "$elapsed_ms" -ge $((n * 1000)) ]; then ok; else
	fail "$n request(s) were told Retry-After: 1, yet the sync took only $elapsed_ms ms"
fi

step "a lab that never answers: 'did not answer within 2 s', each request tried $ATTEMPTS times"
sync_fails "$base/hang" "did not answer within 2 s"
hits_check 'len(asked("hang")) >= 1 and all(n == '$ATTEMPTS' for n in asked("hang"))' \
	"each request to a lab that hangs is tried $ATTEMPTS times"

step "a lab that answers 503 every time: said, after $ATTEMPTS tries per request"
sync_fails "$base/down" "HTTP 503"
hits_check 'len(asked("down")) >= 1 and all(n == '$ATTEMPTS' for n in asked("down"))' \
	"each request to a lab that answers 503 is tried $ATTEMPTS times"

step "a connection reset half way through the body: never taken as an answer"
sync_fails "$base/reset" "broke off|reset|incomplete"
hits_check 'len(asked("reset")) >= 1 and all(n == '$ATTEMPTS' for n in asked("reset"))' \
	"a cut answer is retried like any transient failure"

step "an answer of 100 MB (Content-Length, then chunked): refused at 16 MiB, not retried"
sync_fails "$base/huge" "larger than 16 MiB"
hits_check 'len(asked("huge")) >= 1 and all(n == 1 for n in asked("huge"))' "a too-large answer is not asked again"
sync_fails "$base/huge-chunked" "larger than 16 MiB"
hits_check 'len(asked("huge-chunked")) >= 1 and all(n == 1 for n in asked("huge-chunked"))' \
	"a too-large chunked answer is not asked again"

step "an answer that is not JSON: said, not retried"
sync_fails "$base/garbage" "not (valid )?JSON|invalid JSON"
hits_check 'all(n == 1 for n in asked("garbage"))' "a garbage answer is not asked again"

step "a redirect to another host: not followed"
sync_fails "$base/redirect" "redirected to another host \(other\.invalid\)"
hits_check 'all(n == 1 for n in asked("redirect"))' "a redirect elsewhere is not retried"

step "a redirect on the same host: followed"
write_conf "$base/same-redirect"
sync_ok
hits_check 'len(asked("same-redirect")) >= 1 and all(n == 1 for n in asked("same-redirect"))' \
	"the same-host redirect was asked once and followed"

step "a refusal (422 with an OperationOutcome): the lab's own words, not retried"
sync_fails "$base/refuse" "refused.*422.*Specimen\.subject is required"
hits_check 'all(n == 1 for n in asked("refuse"))' "a 4xx refusal is not retried"

step "a lab that is not running: could not connect"
start_server gone ok
gone_port=$port
kill "$server_pid"
wait "$server_pid" 2>/dev/null
sync_fails "http://127.0.0.1:$gone_port/fhir" "could not connect"

step "https to a self-signed certificate: refused by TLS verification; accepted with ca_file"
if openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 \
	-addext subjectAltName=IP:127.0.0.1 -days 1 \
	-keyout "$tmp/key.pem" -out "$tmp/cert.pem" >/dev/null 2>&1; then
	ok
else
	die "openssl could not make a certificate"
fi
start_server tls --tls "$tmp/cert.pem" "$tmp/key.pem" ok
tls_url=https://127.0.0.1:$port/fhir
printf '[lab]\nurl = %s\ntimeout = 2\nconnect_timeout = 2\n' "$tls_url" >"$conf"
before=$(data_fingerprint)
if cdk $EDATA --db "$db" sync; then
	expect_err_re "certificate"
fi
expect_nothing_applied "$before" "self-signed certificate"
printf '[lab]\nurl = %s\nca_file = %s\ntimeout = 2\n' "$tls_url" "$tmp/cert.pem" >"$conf"
sync_ok

step "settings celldesk refuses before it talks to the lab"
config_refused "not https" "url = http://lab.example/fhir" "allow_insecure_loopback = true"
config_refused "allow_insecure_loopback" "url = $base/ok"
config_refused "user name or password" "url = https://user:pw@lab.example/fhir"
chmod 644 "$tmp/token"
config_refused "token_file .*mode 0644.*0600" "url = $base/ok" "allow_insecure_loopback = true" \
	"token_file = $tmp/token"
expect_no_err "$token" "the token is never printed"
chmod 600 "$tmp/token"
ln -s "$tmp/token" "$tmp/token-link"
config_refused "symbolic link" "url = $base/ok" "allow_insecure_loopback = true" \
	"token_file = $tmp/token-link"
config_refused "page_size" "url = $base/ok" "allow_insecure_loopback = true" "page_size = 0"
config_refused "timeout" "url = $base/ok" "allow_insecure_loopback = true" "timeout = 0"

step "and after all that, a good lab still works"
recovers

finish
