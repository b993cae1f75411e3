#!/bin/bash
# test_staff_users.sh - the actor is the Unix account running celldesk.
# Creates real Unix users (needs root), runs celldesk as each of them and
# checks who may do what: non-staff refused, roles enforced, disabled staff
# refused, the audit log names the Unix account that made each change.
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" != 0 ]; then
	echo "FAIL: $test_name must run as root: it creates Unix users (useradd) and"
	echo "      runs celldesk as each of them (runuser). CI runs as root."
	exit 1
fi
for t in useradd userdel runuser; do
	command -v "$t" >/dev/null 2>&1 || {
		echo "FAIL: $test_name needs '$t' (package passwd / util-linux)"
		exit 1
	}
done

admin=$(id -un)
sfx=$$
front=cdt_front$sfx
lab=cdt_lab$sfx
clin=cdt_clin$sfx
gone=cdt_gone$sfx
stranger=cdt_strngr$sfx
users="$front $lab $clin $gone $stranger"

nologin=/usr/sbin/nologin
[ -x "$nologin" ] || nologin=/bin/false
for u in $users; do
	at_exit "userdel '$u'"
	useradd -M -N -s "$nologin" "$u" || die "useradd $u failed"
done

# a shared directory every test user can write (WAL needs -wal/-shm files);
# files made by root here stay writable by the test users
umask 0000
# directly under /tmp so that every user can reach it whatever $TMPDIR is
shared=$(mktemp -d /tmp/celldesk-staff.XXXXXX) || die "mktemp -d failed"
at_exit "rm -rf '$shared'"
chmod 0777 "$shared"
db=$shared/clinic.db
for u in $users; do
	mkdir -p "$shared/home-$u"
	chown "$u" "$shared/home-$u"
done

# as USER EXPECTED_EXIT ARGS... - run celldesk as USER on $db (or $ASDB)
as() {
	local u=$1 want=$2
	shift 2
	run "$want" runuser -u "$u" -- env -i PATH=/usr/local/bin:/usr/bin:/bin \
		HOME="$shared/home-$u" XDG_CONFIG_HOME="$shared/home-$u/.config" \
		XDG_DATA_HOME="$shared/home-$u/.local/share" LC_ALL=C.UTF-8 TZ=UTC \
		USER="${FAKE_USER:-$u}" LOGNAME="${FAKE_USER:-$u}" \
		/bin/sh -c 'umask 000; exec "$@"' celldesk "$CELLDESK" --db "${ASDB:-$db}" "$@"
}
not_staff_msg() {
	expect_err "Unix account '$1' is not active staff of this clinic" &&
		expect_err "celldesk staff add $1"
}

step "root creates the database and is its first admin"
cdk 0 --db "$db" init && expect_out "Unix account '$admin' is the first admin." || die "init failed"
chmod 0666 "$db"
cdk 0 --db "$db" site add Kyiv --tz Europe/Kyiv || die "site add failed"
cdk 0 --db "$db" patient add --mrn ROOT1 --name "Root Added" --dob 1960-01-01 --site Kyiv || die "patient add failed"

step "the binary runs as another user"
if ! runuser -u "$stranger" -- "$CELLDESK" --version >/dev/null 2>&1; then
	# the build tree may sit below a directory other users cannot enter
	mkdir -m 0755 "$shared/bin"
	cp "$CELLDESK" "$shared/bin/celldesk" && chmod 0755 "$shared/bin/celldesk"
	echo "   ($CELLDESK is not reachable by other users: running a copy, $shared/bin/celldesk)"
	CELLDESK=$shared/bin/celldesk
fi
as "$stranger" 0 --version || die "cannot run $CELLDESK as $stranger"

step "an account that is not staff is refused, reads and writes"
fp=$(db_fingerprint "$db")
as "$stranger" 1 patient list && not_staff_msg "$stranger"
expect_no_out "ROOT1" "non-staff must not see patients"
as "$stranger" 1 patient add --mrn S1 --name "Stranger Added" --dob 1970-01-01 && not_staff_msg "$stranger"
as "$stranger" 1 patient show ROOT1 && not_staff_msg "$stranger"
as "$stranger" 1 staff list && not_staff_msg "$stranger"
as "$stranger" 1 audit log && not_staff_msg "$stranger"
as "$stranger" 1 init && expect_err "$stranger"
expect_db_unchanged "$db" "$fp" "commands of a non-staff account"

step "environment variables do not change the actor"
FAKE_USER=$admin as "$stranger" 1 patient list && not_staff_msg "$stranger"
expect_db_unchanged "$db" "$fp" "non-staff with USER=$admin"

step "admin adds staff"
cdk 0 --db "$db" staff add "$front" --name "Front Desk" --role frontdesk
cdk 0 --db "$db" staff add "$lab" --name "Lab Tech" --role lab
cdk 0 --db "$db" staff add "$clin" --name "Dr Clinician" --role clinician,lab
cdk 0 --db "$db" staff add "$gone" --name "Leaving Soon" --role frontdesk
cdk 0 --db "$db" staff list --format json && json_valid &&
	F=$front C=$clin json_assert 'any(x["user"]==E["F"] and roles_of(x)==["frontdesk"] and truthy(x["active"]) for x in d) and any(x["user"]==E["C"] and sorted(roles_of(x))==["clinician","lab"] for x in d)' \
		"staff list shows the new staff with their roles"
fp=$(db_fingerprint "$db")
cdk 1 --db "$db" staff add "$front" --name "Again" --role lab
expect_db_unchanged "$db" "$fp" "adding existing staff again"

step "frontdesk adds and edits patients, sees lists"
as "$front" 0 patient add --mrn FRONT0001 --name "Front Patient" --dob 1971-02-03 --site Kyiv &&
	expect_out "Added patient FRONT0001."
as "$front" 0 patient edit FRONT0001 --phone "+380 67 111 2233" --reason "called in"
as "$front" 0 patient list && expect_out "FRONT0001" && expect_out "ROOT1"
as "$front" 0 patient show ROOT1 && expect_out "mrn: ROOT1"
as "$front" 0 staff list && expect_out "$lab"
as "$front" 0 site list && expect_out "Kyiv"
as "$front" 0 resource list

step "frontdesk may not do admin work"
fp=$(db_fingerprint "$db")
as "$front" 1 staff add "$stranger" --name "Stranger" --role admin
as "$front" 1 staff disable "$lab"
as "$front" 1 audit verify
as "$front" 1 audit log
as "$front" 1 site add Berlin --tz Europe/Berlin
as "$front" 1 resource add "Room 1" --site Kyiv --kind room
as "$front" 1 init
as "$front" 1 backup "$shared/front-backup.db"
expect_db_unchanged "$db" "$fp" "admin commands run by frontdesk"
[ -e "$shared/front-backup.db" ] && fail "a refused backup created $shared/front-backup.db" || ok

step "lab may read but not add or edit patients"
as "$lab" 1 patient add --mrn LAB0001 --name "Lab Patient" --dob 1972-03-04
as "$lab" 1 patient edit FRONT0001 --phone "+1 555 0100"
as "$lab" 1 init
as "$lab" 1 audit verify
expect_db_unchanged "$db" "$fp" "patient writes by lab"
as "$lab" 0 patient list && expect_out "FRONT0001"
as "$lab" 0 patient show FRONT0001 && expect_out "phone: +380 67 111 2233"

step "clinician may add and edit patients"
as "$clin" 0 patient add --mrn CLIN0001 --name "Clin Patient" --dob 1973-04-05
as "$clin" 0 patient edit FRONT0001 --condition "hip fracture" --reason "diagnosis"

step "a disabled account is refused afterwards"
as "$gone" 0 patient add --mrn GONE0001 --name "Gone Patient" --dob 1974-05-06
cdk 0 --db "$db" staff disable "$gone" --reason "left the clinic"
cdk 0 --db "$db" staff list --format json &&
	G=$gone json_assert 'any(x["user"]==E["G"] and not truthy(x["active"]) for x in d)' "$gone shown inactive"
fp=$(db_fingerprint "$db")
as "$gone" 1 patient list && not_staff_msg "$gone"
as "$gone" 1 patient add --mrn GONE0002 --name "Gone Again" --dob 1974-05-07 && not_staff_msg "$gone"
expect_db_unchanged "$db" "$fp" "commands of a disabled account"
cdk 0 --db "$db" staff enable "$gone" --reason "came back"
as "$gone" 0 patient list && expect_out "GONE0001"

step "the audit log records the Unix account behind each change"
cdk 0 --db "$db" audit verify
cdk 0 --db "$db" audit log --format json && json_valid
for pair in "FRONT0001:$front" "CLIN0001:$clin" "GONE0001:$gone" "ROOT1:$admin" "hip fracture:$clin" "left the clinic:$admin"; do
	key=${pair%%:*} who=${pair#*:}
	K=$key W=$who json_assert 'any(E["K"] in (str(x["new"]) + str(x["reason"])) for x in d) and all(x["actor"] == E["W"] for x in d if E["K"] in (str(x["new"]) + str(x["reason"])) and not E["K"] in str(x["old"]))' \
		"records introducing '$key' have actor $who"
	got=$(sq "$db" "SELECT group_concat(DISTINCT actor) FROM audit WHERE (new LIKE '%$key%' OR reason LIKE '%$key%') AND (old IS NULL OR old NOT LIKE '%$key%');")
	[ "$got" = "$who" ] && ok || fail "audit table: changes introducing '$key' have actor '$got', expected '$who'"
done
actors=$(sq "$db" "SELECT group_concat(DISTINCT actor) FROM (SELECT actor FROM audit ORDER BY actor);")
case ",$actors," in *",$lab,"* | *",$stranger,"*) fail "refused commands left audit records: actors $actors" ;; *) ok ;; esac

step "demo on a database with staff is admin-only"
db2=$shared/demo.db
cdk 0 --db "$db2" init
chmod 0666 "$db2"
cdk 0 --db "$db2" staff add "$front" --name "Front Desk" --role frontdesk
fp=$(db_fingerprint "$db2")
ASDB=$db2 as "$front" 1 demo --seed 7
ASDB=$db2 as "$stranger" 1 demo --seed 7
expect_db_unchanged "$db2" "$fp" "demo by non-admins"

step "a non-root user who creates a new database is its first admin"
db3=$shared/own.db
ASDB=$db3 as "$stranger" 0 init && expect_out "Unix account '$stranger' is the first admin."
ASDB=$db3 as "$stranger" 0 staff list --format json &&
	S=$stranger json_assert 'any(x["user"]==E["S"] and "admin" in roles_of(x) for x in d)' "$stranger is admin of $db3"
fp=$(db_fingerprint "$db3")
cdk 1 --db "$db3" patient list && not_staff_msg "$admin"
cdk 1 --db "$db3" init
expect_db_unchanged "$db3" "$fp" "root is not staff of $db3"

finish
