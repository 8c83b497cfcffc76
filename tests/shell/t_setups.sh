# t_setups.sh: the ordinary setups of issue 9, in interactive bash, zsh and
# fish (tmux): a typed deactivate keeps the project's env off whoever
# activated it (venvhook, an activate script, a parent shell); `cd proj &&
# cmd` on one line (zsh and fish activate during the cd, bash with
# VENVHOOK_ON_CD=1); a refusal mended in place is picked up at the next
# prompt; a moved project and a gone interpreter name `venvhook repair`.
. "$(dirname "$0")/lib.sh"

state() { look VIRTUAL_ENV PATH fn_deactivate -- "$@"; }
active() {
	isvar "$1: VIRTUAL_ENV" VIRTUAL_ENV "$2"
	isvar "$1: PATH" PATH "$2/bin:$P0"
	isvar "$1: deactivate defined" fn_deactivate 1
}
inactive() {
	isvar "$1: nothing active" VIRTUAL_ENV '<unset>'
	isvar "$1: PATH exactly as before" PATH "$P0"
	isvar "$1: no deactivate" fn_deactivate 0
}


body() {
	sh_start "$SH"
	mkdir -p "$R/plain" "$R/p/sub"
	mkvenv_real "$R/p/.venv"        # real activate scripts, for source activate
	allow "$R/p"
	project "$R/q" "$R/w" "$R/g" "$R/gone"
	mkvenv_real "$R/mv1/.venv"
	allow "$R/mv1"
	counting_bin
	base_path
	sh_init

	# --- 1. deactivate means off, whoever activated the env -------------------
	state "cd $R/p"
	active "auto-activated" "$R/p/.venv"
	state "$(a_source_activate "$R/p/.venv")"
	isvar "source activate over it" VIRTUAL_ENV "$R/p/.venv"
	state "deactivate"
	inactive "source activate, then deactivate"
	state "" ""
	inactive "source activate, then deactivate: still off prompts later"
	state "cd sub"
	inactive "source activate, then deactivate: off in a subdirectory"
	state "cd $R/plain" "cd $R/p"
	active "source activate, then deactivate: on again after leaving" "$R/p/.venv"
	state "$(a_source_activate "$R/p/.venv"); deactivate"
	inactive "source activate and deactivate on one line"
	state "cd $R/q"
	active "then another project" "$R/q/.venv"
	state "cd $R/p"
	active "and back" "$R/p/.venv"

	# A child of a shell where the user sourced activate by hand.
	state "deactivate" "$(a_source_activate "$R/p/.venv")"
	isvar "parent: activated by hand" VIRTUAL_ENV "$R/p/.venv"
	local top=$SH
	child_start "$top"
	sh_init
	state ""
	isvar "child of a manual activation: inherited" VIRTUAL_ENV "$R/p/.venv"
	isvar "child of a manual activation: deactivate defined" fn_deactivate 1
	state "deactivate"
	inactive "child of a manual activation: deactivate"
	state "" "cd sub" ""
	inactive "child of a manual activation: stays off in the project"
	state "cd $R/plain" "cd $R/p"
	active "child of a manual activation: on after leaving the project" "$R/p/.venv"
	child_exit
	state ""
	isvar "parent: its manual activation is untouched" VIRTUAL_ENV "$R/p/.venv"
	isvar "parent: PATH untouched" PATH "$R/p/.venv/bin:$P0"
	state "deactivate"
	inactive "parent: its own deactivate keeps the project off"
	state "cd $R/plain"
	inactive "parent: leaving"

	# --- 2. cd proj && cmd ---------------------------------------------------
	run "$(a_set __venvhook_bin "$W/count")"
	rm -f "$W/starts"
	look got -- "cd $R/q && $(a_set got '"$VIRTUAL_ENV"')"
	starts
	if [[ $SH == bash ]]; then
		isvar "bash: cd proj && cmd: cmd runs before the prompt activates" got ""
	else
		isvar "cd proj && cmd: cmd runs in the env" got "$R/q/.venv"
	fi
	is "cd proj && cmd: one helper start" "$N" 1
	state ""
	starts
	active "cd proj && cmd: at the prompt" "$R/q/.venv"
	is "cd proj && cmd: no start at the prompt after" "$N" 0
	state "cd $R/p/sub && cd $R/plain && cd $R/p"
	starts
	active "three cds on one line" "$R/p/.venv"
	ok "three cds on one line: at most one start per cd ($N)" test "$N" -le 3
	case $SH in
	bash)
		run "cd $R/plain" "VENVHOOK_ON_CD=1" "$(a_init)" "$(a_set __venvhook_bin "$W/count")"
		rm -f "$W/starts"
		look got t -- "cd $R/q && got=\$VIRTUAL_ENV" 't=$(type -t cd)'
		starts
		isvar "VENVHOOK_ON_CD=1: cd proj && cmd runs cmd in the env" got "$R/q/.venv"
		is "VENVHOOK_ON_CD=1: one helper start per cd" "$N" 1
		isvar "VENVHOOK_ON_CD=1: cd is a function" t function
		look got -- "pushd $R/p >/dev/null && got=\$VIRTUAL_ENV"
		isvar "VENVHOOK_ON_CD=1: pushd proj && cmd" got "$R/p/.venv"
		look got -- "popd >/dev/null && got=\$VIRTUAL_ENV"
		isvar "VENVHOOK_ON_CD=1: popd && cmd" got "$R/q/.venv"
		rm -f "$W/starts"
		look got -- "got=\$(cd $R/p && printf %s \"\$VIRTUAL_ENV\")"
		starts
		isvar "VENVHOOK_ON_CD=1: a cd in \$(...) activates nothing there" got "$R/q/.venv"
		is "VENVHOOK_ON_CD=1: no helper start in a subshell" "$N" 0
		status_after "cd $R/nonexistent 2>/dev/null"
		is "VENVHOOK_ON_CD=1: cd's status is kept" "$V" 1
		state "cd $R/plain"
		inactive "VENVHOOK_ON_CD=1: leaving"
		run "$(a_init)"
		look t -- 't=$(type -t cd)'
		isvar "VENVHOOK_ON_CD=1, init again: cd stays wrapped once" t function
		;;
	*)
		run "$(a_set __venvhook_bin "$VH")" "cd $R/plain" "$(a_set VENVHOOK_ON_CD 0)"
		look got -- "cd $R/q && $(a_set got '"$VIRTUAL_ENV"')"
		isvar "VENVHOOK_ON_CD=0: activation waits for the prompt" got ""
		state "$(a_unset VENVHOOK_ON_CD)" "cd $R/plain"
		inactive "VENVHOOK_ON_CD=0: leaving"
		;;
	esac
	run "$(a_set __venvhook_bin "$VH")"

	# --- 3. a refusal mended in place ----------------------------------------
	chmod o+w "$R/w/.venv"
	mark
	state "cd $R/w"
	inactive "an env writable by others"
	lines_since "an env writable by others" 1 "writable by others"
	chmod o-w "$R/w/.venv"
	mark
	state ""
	active "chmod o-w in place: active at the next prompt" "$R/w/.venv"
	lines_since "chmod o-w in place" 0
	run "$(a_set __venvhook_bin "$W/count")"
	rm -f "$W/starts"
	run "" "" ""
	starts
	is "mended: an unchanged prompt starts nothing" "$N" 0
	run "$(a_set __venvhook_bin "$VH")"
	# A group that may have other members than the user: 54321, which no
	# /etc/group lists (a listed group without other members is harmless).
	chgrp 54321 "$R/g/.venv" && chmod g+w "$R/g/.venv"
	mark
	state "cd $R/g" "" ""
	inactive "an env writable by a shared group"
	lines_since "an env writable by a shared group: one line for three prompts" 1 "writable by"
	chmod g-w "$R/g/.venv"
	state ""
	active "chmod g-w in place: active at the next prompt" "$R/g/.venv"
	state "cd $R/plain"

	# --- 4. a moved project, a gone interpreter -----------------------------
	mv "$R/mv1" "$R/mv2"
	mark
	state "cd $R/mv2"
	inactive "a moved project"
	lines_since "a moved project" 1 "made at another path, '$R/mv1/.venv'"
	count_since "'venvhook repair' fixes it"
	is "a moved project: the line names venvhook repair" "$N" 1
	run "venvhook status >$TD/status.txt 2>&1"
	ok "a moved project: venvhook status says where it was made" \
		grep -qF "moved     made at '$R/mv1/.venv'; 'venvhook repair' fixes its scripts" "$TD/status.txt"
	state "venvhook allow >/dev/null" "venvhook repair >$TD/repair.txt 2>&1"
	active "a moved project, allowed" "$R/mv2/.venv"
	ok "a moved project: venvhook repair rewrote it" grep -q "repaired" "$TD/repair.txt"
	ok "a moved project: bin/activate names the new path" grep -q "$R/mv2/.venv" "$R/mv2/.venv/bin/activate"
	run "venvhook status >$TD/status.txt 2>&1"
	ok "a moved project, repaired: venvhook status no longer says moved" \
		bash -c '! grep -q "^moved" "$1"' _ "$TD/status.txt"
	state "cd $R/plain"
	ln -sfn /nonexistent/python3 "$R/gone/.venv/bin/python"
	mark
	state "cd $R/gone"
	inactive "a gone interpreter"
	lines_since "a gone interpreter" 1 "'venvhook repair' rebuilds it"
	state "cd $R/plain"
	if [[ $SH == bash ]]; then
		vh prune --dry-run >"$TD/prune.txt" 2>&1
		ok "prune's offer for a gone interpreter names repair" \
			grep -q "would offer to delete '$R/gone/.venv': .*'venvhook repair ENV' rebuilds it instead" \
			"$TD/prune.txt"
	fi
}

for_shells body
done_testing
