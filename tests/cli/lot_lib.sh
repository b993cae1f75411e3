# lot_lib.sh - what the lot test scripts share (sourced after lib.sh):
# throw-away lab, clinician and front-desk users, a shared database
# folder, helpers that run celldesk as each of them, refusal checks that
# also check the recorded bedside attempt, and advance (a lot taken
# through its steps). The script sets lot_tag (its database's name) and
# lot_users (the user names' prefix) before sourcing it.

# Exit statuses (src/core/status.h, celldesk(1) EXIT STATUS): 1 a rule,
# a missing role or an unknown record said no (CD_REFUSED), 2 a malformed
# command line (CD_USAGE).
REFUSED=1
USAGE=2

if [ "$(id -u)" != 0 ]; then
	echo "FAIL: $test_name must run as root: it creates Unix users (useradd) and"
	echo "      runs celldesk as each of them (runuser)."
	exit 1
fi
for t in useradd userdel runuser sqlite3; do
	command -v "$t" >/dev/null 2>&1 || die "needs '$t' (packages passwd, util-linux, sqlite3)"
done

# --- staff: a lab technician, a clinician and the front desk -------------
sfx=$$
labu=${lot_users}_lab$sfx
clinu=${lot_users}_clin$sfx
frontu=${lot_users}_front$sfx
LAB_NAME="Lena Labor"
nologin=/usr/sbin/nologin
[ -x "$nologin" ] || nologin=/bin/false
for u in $labu $clinu $frontu; do
	at_exit "userdel '$u'"
	useradd -M -N -s "$nologin" "$u" || die "useradd $u failed"
done
umask 0000
shared=$(mktemp -d /tmp/celldesk-$lot_tag.XXXXXX) || die "mktemp -d failed"
at_exit "rm -rf '$shared'"
chmod 0777 "$shared"
for u in $labu $clinu $frontu; do
	mkdir -p "$shared/home-$u"
	chown "$u" "$shared/home-$u"
done
if ! runuser -u "$labu" -- "$CELLDESK" --version >/dev/null 2>&1; then
	mkdir -m 0755 "$shared/bin"
	cp "$CELLDESK" "$shared/bin/celldesk" && chmod 0755 "$shared/bin/celldesk"
	CELLDESK=$shared/bin/celldesk
fi
db=$shared/$lot_tag.db

# as USER EXPECTED_EXIT ARGS... - run celldesk as USER on $db
as() {
	local u=$1 want=$2
	shift 2
	run "$want" runuser -u "$u" -- env -i PATH=/usr/local/bin:/usr/bin:/bin \
		HOME="$shared/home-$u" XDG_CONFIG_HOME="$shared/home-$u/.config" \
		XDG_DATA_HOME="$shared/home-$u/.local/share" LC_ALL=C.UTF-8 TZ=UTC \
		/bin/sh -c 'umask 000; exec "$@"' celldesk "$CELLDESK" --db "$db" "$@"
}
# admin / lab / clin / front EXPECTED_EXIT ARGS... - celldesk as root (the
# first admin, without the lab or clinician role) or as the staff member
admin() { cdk "$1" --db "$db" "${@:2}"; }
lab() { as "$labu" "$@"; }
clin() { as "$clinu" "$@"; }
front() { as "$frontu" "$@"; }

# expect_err_rei ERE - stderr matches ERE, in any case.
expect_err_rei() {
	if LC_ALL=C grep -qaEi -e "$1" -- "$ERR"; then ok; else
		fail "stderr does not match /$1/ (any case) from: $last_cmd"
		show_output
		return 1
	fi
}

# run EXITS CMD... - lib.sh's run, and EXITS may list alternatives
# ("1|2") where the spec leaves open whether a command line is refused (1)
# or malformed (2), or where either outcome is the program's choice ("0|1").
eval "lib_$(declare -f run)"
run() {
	local alts=$1
	case $alts in
	*"|"*) ;;
	*) lib_run "$@"; return ;;
	esac
	shift
	last_cmd=$(printf '%q ' "$@")
	timeout 120 "$@" </dev/null >"$OUT" 2>"$ERR"
	rc=$?
	case "|$alts|" in
	*"|$rc|"*) ;;
	*)
		fail "exit status $rc, expected one of $alts: $last_cmd"
		show_output
		return 1
		;;
	esac
	[ "$rc" = 0 ] || check_err_line || return 1
	ok
	return 0
}

# no WHO EXIT ERE ARGS... - WHO (admin, lab, clin, front) runs celldesk
# ARGS: exit EXIT, stderr matches ERE (any case; "" for no check), and the
# database is exactly as before.
no() {
	local who=$1 want=$2 re=$3 fp
	shift 3
	fp=$(db_fingerprint "$db")
	if "$who" "$want" "$@"; then
		[ -z "$re" ] || expect_err_rei "$re"
	fi
	expect_db_unchanged "$db" "$fp" "$who: $(printf '%q ' "$@" | cut -c1-160)"
}

# lot_rows CODE - the lot's row, custody events, QC results and signatures.
lot_rows() {
	sq "$db" "SELECT * FROM lots WHERE code = '$1';
		SELECT * FROM custody_events WHERE lot_id = (SELECT id FROM lots WHERE code = '$1') ORDER BY id;
		SELECT * FROM qc_results WHERE lot_id = (SELECT id FROM lots WHERE code = '$1') ORDER BY id;
		SELECT * FROM signatures WHERE lot_id = (SELECT id FROM lots WHERE code = '$1') ORDER BY id;"
}

# no_admin ERE CODE ARGS... - the clinician's `lot administer CODE ARGS`
# is refused with a reason matching ERE; the lot is unchanged, and the
# attempt is recorded: a new bedside_checks row 'refused' by the
# clinician for CODE as typed, with the reason, and a new audit record.
no_admin() {
	local re=$1 code=$2 before nb na row
	shift 2
	before=$(lot_rows "$code")
	nb=$(sq "$db" "SELECT count(*) FROM bedside_checks;")
	na=$(sq "$db" "SELECT count(*) FROM audit;")
	clin $REFUSED lot administer "$code" "$@" && expect_err_rei "$re"
	[ "$(lot_rows "$code")" = "$before" ] && ok ||
		fail "a refused administration changed lot $code: $(printf '%q ' "$@")"
	row=$(sq "$db" "SELECT count(*) || '|' || (SELECT outcome || '|' || actor || '|' || lot_text || '|' || coalesce(reason, '')
		FROM bedside_checks ORDER BY id DESC LIMIT 1) FROM bedside_checks;")
	case $row in
	"$((nb + 1))|refused|$clinu|$code|"?*)
		if printf '%s\n' "${row##*|}" | grep -qEi -e "$re"; then ok; else
			fail "the recorded refusal's reason '${row##*|}' does not match /$re/ (lot administer $code)"
		fi
		;;
	*) fail "the refused administration of $code is not recorded as one new bedside_checks row 'refused' by $clinu with its reason: '$row' (before: $nb rows)" ;;
	esac
	[ "$(sq "$db" "SELECT count(*) FROM audit;")" -gt "$na" ] && ok ||
		fail "the refused administration of $code left no audit record"
}

# show CODE - lot show CODE --format json (as root, who may view).
show() {
	cdk 0 --db "$db" lot show "$1" --format json && json_valid
}
# lot_is CODE STATUS - lot show says CODE is STATUS.
lot_is() {
	show "$1" && S=$2 json_assert 'd["status"] == E["S"]' "lot $1 is $2 (lot show)"
}
# age CODE - time passes: the lot's expiry is an hour ago.  (celldesk
# reads the real clock; the sqlite3 shell stands in for waiting.)
age() {
	sq "$db" "UPDATE lots SET expires_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-1 hours') WHERE code = '$1';"
}
# py_val EXPR - EXPR with d = the JSON on stdout.
py_val() {
	python3 - "$OUT" "$1" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1], encoding='utf-8'))
print(eval(sys.argv[2]))
EOF
}
# local_now ZONE MINUTES - the local time MINUTES from now in ZONE, "YYYY-MM-DD HH:MM".
local_now() {
	python3 -c 'import datetime as dt, sys; from zoneinfo import ZoneInfo
print((dt.datetime.now(ZoneInfo(sys.argv[1])) + dt.timedelta(minutes=int(sys.argv[2]))).strftime("%Y-%m-%d %H:%M"))' "$1" "$2"
}
# mod37 DIN - the ISO 7064 MOD 37-2 check character of DIN.
mod37() {
	python3 -c 'import sys
s = sys.argv[1]
v = lambda c: int(c) if c.isdigit() else (36 if c == "*" else ord(c) - 55)
t = sum(v(c) * 2 ** n for n, c in enumerate(reversed(s), start=1))
print("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*"[(38 - t % 37) % 37])' "$1"
}

QC_OK="viability=92.5 sterility=negative endotoxin=0.1 mycoplasma=negative"
# advance CODE STEP... - take CODE through steps (as admin, release as
# lab): receive, store (cryopreserved in the tank), qc (all in limits),
# eligible, release, reserve:VISIT, issue.
advance() {
	local code=$1 s
	shift
	for s in "$@"; do
		case $s in
		receive) admin 0 lot receive "$code" ;;
		store) admin 0 lot store "$code" --to "Berlin/LN2-1/R1/B1/P1" --storage cryopreserved ;;
		qc) admin 0 lot qc "$code" $QC_OK ;;
		eligible) admin 0 lot eligibility "$code" eligible ;;
		release) lab 0 lot release "$code" --sign "$LAB_NAME" ;;
		reserve:*) admin 0 lot reserve "$code" --appt "${s#reserve:}" ;;
		issue) admin 0 lot issue "$code" ;;
		*) die "advance: unknown step $s" ;;
		esac || die "could not take lot $code through '$s'"
	done
}
