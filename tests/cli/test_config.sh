#!/bin/bash
# test_config.sh - where the database is: --db beats CELLDESK_DB beats
# `db = ...` in $XDG_CONFIG_HOME/celldesk/config beats the default
# $XDG_DATA_HOME/celldesk/clinic.db; the config file format (comments,
# sections, quotes, ~/), and a malformed line (exit 3, file and line).
# The system file /etc/celldesk/celldesk.conf is never written here.
. "$(dirname "$0")/lib.sh"

etc_conf=/etc/celldesk/celldesk.conf
etc_has_db=0
if [ -f "$etc_conf" ] && grep -Eq '^[[:space:]]*db[[:space:]]*=' "$etc_conf"; then
	etc_has_db=1
	echo "NOTE: $etc_conf sets db on this machine: the default-path checks are not made"
fi

# sandbox NAME - fresh HOME and XDG dirs under $tmp/NAME, no CELLDESK_DB;
# sets $box
sandbox() {
	box=$tmp/$1
	mkdir -p "$box/home"
	export HOME=$box/home
	export XDG_CONFIG_HOME=$box/xdg-config
	export XDG_DATA_HOME=$box/xdg-data
	unset CELLDESK_DB
}
# write_config FILE - config text from stdin
write_config() {
	mkdir -p "$(dirname "$1")"
	cat >"$1"
}
exists() { # exists FILE WHY
	if [ -f "$1" ]; then ok; else fail "$1 should exist: $2"; fi
}
absent() { # absent FILE WHY
	if [ -e "$1" ]; then fail "$1 should not exist: $2"; else ok; fi
}

step "default: \$XDG_DATA_HOME/celldesk/clinic.db"
sandbox default
if [ "$etc_has_db" = 0 ]; then
	cdk 0 init && expect_init_db "$XDG_DATA_HOME/celldesk/clinic.db"
	exists "$XDG_DATA_HOME/celldesk/clinic.db" "default with XDG_DATA_HOME set"
fi

step "default without XDG_DATA_HOME: ~/.local/share/celldesk/clinic.db"
sandbox default-home
unset XDG_DATA_HOME
if [ "$etc_has_db" = 0 ]; then
	cdk 0 init && expect_init_db "$HOME/.local/share/celldesk/clinic.db"
	exists "$HOME/.local/share/celldesk/clinic.db" "default with XDG_DATA_HOME unset"
fi

step "config file \$XDG_CONFIG_HOME/celldesk/config beats the default"
sandbox config
write_config "$XDG_CONFIG_HOME/celldesk/config" <<EOF
db = $box/cfg.db
EOF
cdk 0 init && expect_init_db "$box/cfg.db"
exists "$box/cfg.db" "named by the config file"
absent "$XDG_DATA_HOME/celldesk/clinic.db" "the config file names another database"

step "without XDG_CONFIG_HOME the config is ~/.config/celldesk/config"
sandbox config-home
unset XDG_CONFIG_HOME
write_config "$HOME/.config/celldesk/config" <<EOF
db = $box/home-cfg.db
EOF
cdk 0 init && expect_init_db "$box/home-cfg.db"
exists "$box/home-cfg.db" "named by ~/.config/celldesk/config"

step "with XDG_CONFIG_HOME set, ~/.config/celldesk/config is not read"
sandbox config-xdg
write_config "$HOME/.config/celldesk/config" <<EOF
db = $box/wrong.db
EOF
write_config "$XDG_CONFIG_HOME/celldesk/config" <<EOF
db = $box/right.db
EOF
cdk 0 init && expect_init_db "$box/right.db"
exists "$box/right.db" "named by \$XDG_CONFIG_HOME/celldesk/config"
absent "$box/wrong.db" "~/.config is not the config dir when XDG_CONFIG_HOME is set"

step "CELLDESK_DB beats the config file"
sandbox env
write_config "$XDG_CONFIG_HOME/celldesk/config" <<EOF
db = $box/cfg.db
EOF
CELLDESK_DB=$box/env.db cdk 0 init && expect_init_db "$box/env.db"
exists "$box/env.db" "named by CELLDESK_DB"
absent "$box/cfg.db" "CELLDESK_DB beats the config file"

step "--db beats CELLDESK_DB and the config file"
sandbox flag
write_config "$XDG_CONFIG_HOME/celldesk/config" <<EOF
db = $box/cfg.db
EOF
CELLDESK_DB=$box/env.db cdk 0 --db "$box/flag.db" init && expect_init_db "$box/flag.db"
exists "$box/flag.db" "named by --db"
absent "$box/env.db" "--db beats CELLDESK_DB"
absent "$box/cfg.db" "--db beats the config file"

step "reads follow the same precedence"
sandbox reads
def=$XDG_DATA_HOME/celldesk/clinic.db
for pair in "DEF:$def" "CFG:$box/cfg.db" "ENV:$box/env.db" "FLAG:$box/flag.db"; do
	mrn=${pair%%:*} f=${pair#*:}
	cdk 0 --db "$f" init
	cdk 0 --db "$f" patient add --mrn "$mrn" --name "Patient $mrn" --dob 1970-01-01
done
# which MRN does `patient list` show?
shows_only() { # shows_only MRN WHY
	local m
	for m in DEF CFG ENV FLAG; do
		if [ "$m" = "$1" ]; then expect_out "$m" "$2"; else expect_no_out "$m" "$2"; fi
	done
}
if [ "$etc_has_db" = 0 ]; then
	cdk 0 patient list && shows_only DEF "default database"
fi
write_config "$XDG_CONFIG_HOME/celldesk/config" <<EOF
db = $box/cfg.db
EOF
cdk 0 patient list && shows_only CFG "config file"
CELLDESK_DB=$box/env.db cdk 0 patient list && shows_only ENV "CELLDESK_DB"
CELLDESK_DB=$box/env.db cdk 0 --db "$box/flag.db" patient list && shows_only FLAG "--db"

step "comments, blank lines, unknown keys and sections"
sandbox format
write_config "$XDG_CONFIG_HOME/celldesk/config" <<EOF
# celldesk configuration
; another comment style

colour = blue
db = $box/top.db

[sync]
db = $box/section.db
url = https://lab.example/fhir
EOF
cdk 0 init && expect_init_db "$box/top.db"
exists "$box/top.db" "the top-level db key"
absent "$box/section.db" "a db key inside [sync] is not the top-level db"

step "a double-quoted value (with a space)"
sandbox quoted
write_config "$XDG_CONFIG_HOME/celldesk/config" <<EOF
db = "$box/with space/quoted.db"
EOF
cdk 0 init && expect_init_db "$box/with space/quoted.db"
exists "$box/with space/quoted.db" "quotes are not part of the path"
absent "$box/\"with space" "quote character taken as part of the path"
if ls -a "$box" | grep -q '"'; then fail "a file name with a quote was created in $box: $(ls -a "$box")"; else ok; fi

step "~/ expands to \$HOME"
sandbox tilde
write_config "$XDG_CONFIG_HOME/celldesk/config" <<'EOF'
db = ~/dbs/tilde.db
EOF
cdk 0 init && expect_init_db "$HOME/dbs/tilde.db"
exists "$HOME/dbs/tilde.db" "~/dbs/tilde.db under \$HOME"
absent "$PWD/~" "a literal ~ directory in the working directory"
absent "$box/~" "a literal ~ directory"

step "a malformed line is an error naming file and line (exit 3)"
sandbox malformed
cfg=$XDG_CONFIG_HOME/celldesk/config
write_config "$cfg" <<EOF
# line 1
db = $box/never.db
this line has no equals sign
EOF
cdk 3 patient list && expect_err "$cfg" && expect_err_re '(line 3|:3)([^0-9]|$)'
cdk 3 init && expect_err "$cfg" && expect_err_re '(line 3|:3)([^0-9]|$)'
absent "$box/never.db" "the config file is malformed"
absent "$XDG_DATA_HOME/celldesk/clinic.db" "the config file is malformed"

step "the system config file was not touched"
if [ -e "$etc_conf" ] && [ "$etc_conf" -nt "$tmp" ]; then
	fail "$etc_conf was modified during the test"
else
	ok
fi

finish
