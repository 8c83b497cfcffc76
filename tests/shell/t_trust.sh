# t_trust.sh: trust in interactive bash, zsh and fish (tmux): an untrusted env
# gives one line once per entry; allow makes it active at the next prompt;
# deny is silent and remembered; a different env at the same path is
# untrusted again; an env writable by group or others, owned by another user
# or whose path holds ':' or a newline is never activated, even if allowed.
. "$(dirname "$0")/lib.sh"


body() {
	sh_start "$SH"
	mkdir -p "$R/plain" "$R/untr/sub" "$R/den/sub"
	mkvenv "$R/untr/.venv"; mkvenv "$R/den/.venv"; mkvenv "$R/den2/.venv"
	project "$R/repl" "$R/moved" "$R/gw" "$R/ow" "$R/gwbin"
	mkvenv "$R/envdir/.venv"
	mkvenv "$R/envs/ef"; mkdir -p "$R/fmark"; printf '%s\n' "$R/envs/ef" >"$R/fmark/.venv"
	mkvenv "$R/co:lon/.venv"
	mkvenv "$R/nl/x"$'\n'"y/.venv"
	mkvenv "$R/envs/c:env"; mkdir -p "$R/fcolon"; printf '%s\n' "$R/envs/c:env" >"$R/fcolon/.venv"
	mkvenv "$R/vh2/.venv"; printf '[env]\nactivate = false\n' >"$R/vh2/.venvhook"

	base_path
	sh_init

	# Untrusted: one line per entry, not per prompt.
	mark
	state "cd $R/untr" "" "" ""
	inactive "untrusted env"
	lines_since "untrusted env" 1 "venvhook allow"
	mark
	state "cd sub" "" "cd .."
	lines_since "untrusted env: moving inside the project" 0
	mark
	state "cd $R/plain" "cd $R/untr"
	lines_since "untrusted env: entering again" 1 "not trusted"
	run "venvhook status >$TD/status.txt 2>&1"
	ok "venvhook status says the env is not trusted" grep -q 'not trusted' "$TD/status.txt"
	mark
	state "venvhook allow >/dev/null"
	active "venvhook allow: active at the next prompt" "$R/untr/.venv"
	run "venvhook status >$TD/status.txt 2>&1"
	ok "venvhook status says it is allowed and active" grep -q 'active (activated by venvhook)' "$TD/status.txt"
	lines_since "venvhook allow" 0
	state "cd $R/plain" "cd $R/untr/sub"
	active "allowed: stays allowed" "$R/untr/.venv"
	local recs=("$W"/xdg/data/venvhook/*)
	ok "trust records live under \$XDG_DATA_HOME/venvhook/" test -e "${recs[0]}"
	# deny while active: off at the next prompt.
	state "venvhook deny >/dev/null"
	inactive "venvhook deny while active"
	state "cd $R/plain" "cd $R/untr"
	inactive "venvhook deny while active: still off on entering again"
	state "venvhook allow >/dev/null"
	active "venvhook allow again" "$R/untr/.venv"

	# Deny: silent, remembered, undone by allow.
	mark
	state "cd $R/den" "venvhook deny >/dev/null" ""
	inactive "venvhook deny"
	lines_since "venvhook deny: only the line of the first entry" 1 "not trusted"
	run "venvhook status >$TD/status.txt 2>&1"
	ok "venvhook status says the env is denied" grep -q 'denied' "$TD/status.txt"
	mark
	state "cd $R/plain" "cd $R/den" "" "cd sub" "cd $R/plain" "cd $R/den"
	inactive "denied: entering again"
	lines_since "denied: entering again is silent" 0
	state "cd $R/plain" "venvhook deny $R/den2 >/dev/null" "cd $R/den2"
	inactive "venvhook deny PATH (a project directory)"
	lines_since "venvhook deny PATH: silent" 0
	# A deny is remembered by another shell too.
	mark
	run "$(a_child)"
	sh_setup
	sh_init
	state "cd $R/den" ""
	inactive "denied: in a new shell"
	lines_since "denied: in a new shell, silent" 0
	type_lines exit
	state "cd $R/den" "venvhook allow >/dev/null"
	active "allow after deny" "$R/den/.venv"

	# allow PATH: an env directory, a marker file.
	state "cd $R/plain" "venvhook allow $R/envdir/.venv >/dev/null" "cd $R/envdir"
	active "venvhook allow ENV_DIR" "$R/envdir/.venv"
	state "cd $R/plain" "venvhook allow $R/fmark/.venv >/dev/null" "cd $R/fmark"
	active "venvhook allow MARKER_FILE" "$R/envs/ef"

	# A different env at the same path is untrusted again.
	state "cd $R/repl"
	active "allowed env" "$R/repl/.venv"
	state "cd $R/plain"
	rm -rf "$R/repl/.venv"
	mkvenv "$R/repl/.venv"
	mark
	state "cd $R/repl" ""
	inactive "a new env at an allowed env's path"
	lines_since "a new env at an allowed env's path" 1 "venvhook allow"
	# Trust does not follow an env to another path.
	mv "$R/moved" "$R/moved2"
	mark
	state "cd $R/moved2"
	inactive "an allowed project moved elsewhere"
	lines_since "an allowed project moved elsewhere" 1 "not trusted"

	# A .venv symlink: trust follows the env it points to, not the link;
	# VIRTUAL_ENV and PATH hold the real path, the one that was judged.
	mkvenv "$R/envs/s1"; mkvenv "$R/envs/s2"
	mkdir -p "$R/sym"
	ln -s "$R/envs/s1" "$R/sym/.venv"
	state "cd $R/sym" "venvhook allow >/dev/null"
	active "a .venv symlink to an allowed env: the env by its real path" "$R/envs/s1"
	state "cd $R/plain"
	ln -sfn "$R/envs/s2" "$R/sym/.venv"
	mark
	state "cd $R/sym" ""
	inactive "the .venv symlink now points to another env"
	lines_since "the .venv symlink now points to another env" 1 "not trusted"

	# Never activate, even if allowed.  Group write counts through a group
	# that may have other members: 54321, which no /etc/group lists (root).
	chgrp 54321 "$R/gw/.venv" "$R/gwbin/.venv/bin"
	chmod g+w "$R/gw/.venv"
	mark
	state "cd $R/gw" "" ""
	inactive "env writable by its group"
	lines_since "env writable by its group" 1 "group"
	chmod o+w "$R/ow/.venv"
	mark
	state "cd $R/ow" "" ""
	inactive "env writable by others"
	lines_since "env writable by others" 1 "others"
	chmod g+w "$R/gwbin/.venv/bin"
	mark
	state "cd $R/gwbin" "" ""
	inactive "env whose bin/ is writable by its group"
	lines_since "env whose bin/ is writable by its group" 1 "$R/gwbin/.venv/bin"
	if ((EUID == 0)); then
		project "$R/foreign" "$R/foreignbin"
		chown 65534 "$R/foreign/.venv"
		chown 65534 "$R/foreignbin/.venv/bin"
		mark
		state "cd $R/foreign" ""
		inactive "env owned by another user"
		lines_since "env owned by another user" 1 "another user"
		mark
		state "cd $R/foreignbin" ""
		inactive "env whose bin/ is owned by another user"
		lines_since "env whose bin/ is owned by another user" 1 "another user"
	fi
	mark
	state "cd '$R/co:lon'" "" "venvhook allow >/dev/null" ""
	inactive "env path holding ':' (allow tried)"
	lines_since "env path holding ':'" 2 "':'"
	mark
	state "cd $R/fcolon" ""
	inactive ".venv file naming an env whose path holds ':'"
	lines_since ".venv file naming an env whose path holds ':'" 1 "':'"
	mark
	state "cd $R/nl/x*" ""
	inactive "env path holding a newline"
	lines_since "env path holding a newline" 1 "newline"

	# An env made by venvhook create is trusted; venvhook rm takes it away.
	mkdir -p "$R/newc/sub"
	mark
	state "cd $R/newc" "venvhook create --without-pip >$TD/create.out 2>&1"
	active "venvhook create: active at the next prompt, no allow needed" "$R/newc/.venv"
	lines_since "venvhook create: no notice" 0
	state "venvhook create --without-pip --clear >$TD/create.out 2>&1"
	active "venvhook create --clear over the active env: still active" "$R/newc/.venv"
	lines_since "venvhook create --clear: no notice" 0
	state "cd sub" "venvhook rm >$TD/rm.out 2>&1"
	inactive "venvhook rm from a subdirectory: off at the next prompt"
	ok "venvhook rm deleted the env" test ! -e "$R/newc/.venv"
	state "python3 -m venv --without-pip $R/newc/.venv" "cd $R/newc"
	inactive "an env made again by hand where venvhook's was: not trusted"
	lines_since "an env made again by hand where venvhook's was" 1 "not trusted"
	run "cd $R/plain"

	# allow in a project whose .venvhook says activate = false: trusted, not activated.
	mark
	state "cd $R/vh2" "venvhook allow >$TD/allow.out 2>&1" ""
	inactive "activate = false: allow does not activate"
	local out
	out=$(cat "$TD/allow.out")
	is "activate = false: allow succeeds" "${out%% *}" "allowed"
}

for_shells body
done_testing
