# t_options.sh: the hook under shell settings that commonly break hooks, in
# interactive shells in tmux: bash with set -u, set -k, nocasematch and PROMPT_COMMAND
# as a string and as an array; zsh with prompt_subst, ksh_arrays, sh_word_split, no_unset,
# warn_create_global, warn_nested_var, glob_subst; pushd/popd/cd -; and a helper binary that
# vanishes or fails (the prompt keeps working, at most one warning, $? kept);
# a later line that replaces the hook, which venvhook status names.
. "$(dirname "$0")/lib.sh"

state() { look VIRTUAL_ENV PATH fn_deactivate -- "$@"; }
active() {
	isvar "$1: VIRTUAL_ENV" VIRTUAL_ENV "$2"
	isvar "$1: PATH" PATH "$2/bin:$P0"
}
inactive() {
	isvar "$1: nothing active" VIRTUAL_ENV '<unset>'
	isvar "$1: PATH restored" PATH "$P0"
}
fixtures() {
	project "$R/a" "$R/b"
	mkdir -p "$R/plain" "$R/a/sub"
	project "$R/h1/\$(touch pwned1)" "$R/h2/%n%~%#\`touch pwned2\`"
}
start_plain() {
	look PATH -- "cd $R/plain"
	get PATH
	P0=$V
}
# tour DESC: the usual moves, checked.
tour() {
	state "cd $R/a"
	active "$1: cd into a project" "$R/a/.venv"
	isprompt "$1: the prompt shows (a)" "(a) P>"
	state "cd sub" "cd $R/b"
	active "$1: switching" "$R/b/.venv"
	state "deactivate"
	inactive "$1: deactivate"
	state "cd $R/plain" "cd $R/a"
	active "$1: entering again" "$R/a/.venv"
	state "cd $R/plain"
	inactive "$1: leaving"
	isprompt "$1: the prompt comes back" "P>"
	status_after false
	is "$1: \$? kept" "$V" 1
	status_after "cd $R/a; false"
	is "$1: \$? kept when activating" "$V" 1
	run "cd '$R/h1/\$(touch pwned1)'"
	isprompt "$1: a name holding \$(...) shows as it is" '($(touch pwned1)) P>'
	run "cd '$R/h2/%n%~%#\`touch pwned2\`'"
	isprompt "$1: a name holding % and backticks shows as it is" '(%n%~%#`touch pwned2`) P>'
	state "cd $R/plain"
	inactive "$1: leaving the hostile names"
	local pwned
	pwned=$(cd "$W" && find . -name 'pwned*')
	is "$1: nothing ran" "$pwned" ""
}
# no_errors DESC PATTERN...: no line since the mark holds any PATTERN.
no_errors() {
	local d=$1 p bad=
	shift
	since_mark
	for p; do
		bad+=$(printf '%s\n' "$SM" | grep -F -- "$p")
	done
	is "$d" "$bad" ""
}

bash_set_u() {
	sh_start bash
	fixtures
	start_plain
	mark
	run "set -u"
	sh_init
	tour "set -u before init"
	mkvenv_real "$R/m/env"
	run "$(a_source_activate "$R/m/env")" "cd $R/b" "deactivate"
	no_errors "set -u: no unbound variable" "unbound variable"
}

bash_prompt_command() {
	local form=$1
	sh_start bash
	fixtures
	start_plain
	case $form in
	string) run "PROMPT_COMMAND='__t_last=\$?; __t_n=\$((__t_n+1))'" ;;
	array) run "PROMPT_COMMAND=('__t_last=\$?' '__t_n=\$((__t_n+1))')" ;;
	esac
	mark
	sh_init
	look pc -- 'pc=$(declare -p PROMPT_COMMAND)'
	get pc
	case $form in
	string) is "PROMPT_COMMAND string: the hook goes first" "$V" \
		"declare -- PROMPT_COMMAND=\"__venvhook_hook;__t_last=\\\$?; __t_n=\\\$((__t_n+1))\"" ;;
	array) is "PROMPT_COMMAND array: the hook goes first" "$V" \
		"declare -a PROMPT_COMMAND=([0]=\"__venvhook_hook\" [1]=\"__t_last=\\\$?\" [2]=\"__t_n=\\\$((__t_n+1))\")" ;;
	esac
	tour "PROMPT_COMMAND $form"
	look __t_last -- false
	isvar "PROMPT_COMMAND $form: the user's command sees the kept \$?" __t_last 1
	look __t_n
	get __t_n
	local n1=$V
	run "" "" ""
	look __t_n -- "cd $R/a"
	get __t_n
	is "PROMPT_COMMAND $form: the user's command runs once per prompt" "$((V - n1))" 6
	run "$(a_init)"
	look pc -- 'pc=$(declare -p PROMPT_COMMAND)'
	get pc
	case $form in
	string) is "PROMPT_COMMAND string: init again adds nothing" "$V" \
		"declare -- PROMPT_COMMAND=\"__venvhook_hook;__t_last=\\\$?; __t_n=\\\$((__t_n+1))\"" ;;
	array) is "PROMPT_COMMAND array: init again adds nothing" "$V" \
		"declare -a PROMPT_COMMAND=([0]=\"__venvhook_hook\" [1]=\"__t_last=\\\$?\" [2]=\"__t_n=\\\$((__t_n+1))\")" ;;
	esac
	no_errors "PROMPT_COMMAND $form: no error" "bash:" "__venvhook"
}
bash_string() { bash_prompt_command string; }
bash_array() { bash_prompt_command array; }

zsh_options() {
	sh_start zsh
	fixtures
	start_plain
	mark
	run "setopt prompt_subst ksh_arrays sh_word_split no_unset warn_create_global warn_nested_var glob_subst" \
		"__t_p1() { : }; __t_p2() { : }; __t_c1() { : }; __t_c2() { : }" \
		"precmd_functions=(__t_p1 __t_p2); chpwd_functions=(__t_c1 __t_c2)"
	sh_init
	look hooks -- 'hooks="${(j: :)precmd_functions[@]}|${(j: :)chpwd_functions[@]}"'
	isvar "zsh options: the hook goes first, the user's hooks stay" hooks \
		"__venvhook_hook __t_p1 __t_p2|__venvhook_chpwd __t_c1 __t_c2"
	tour "zsh with prompt_subst ksh_arrays sh_word_split no_unset warn_create_global warn_nested_var glob_subst"
	run "venvhook status >/dev/null"
	no_errors "zsh options: no warning or error" "zsh:" "__venvhook" "created globally" "parameter not set"
}

# The same options with no precmd/chpwd functions of the user's.
zsh_options_empty() {
	sh_start zsh
	fixtures
	start_plain
	mark
	run "setopt prompt_subst ksh_arrays sh_word_split no_unset warn_create_global warn_nested_var glob_subst"
	sh_init
	look hooks -- 'hooks="${(j: :)precmd_functions[@]}|${(j: :)chpwd_functions[@]}"'
	isvar "zsh options, no hooks of the user's: the hook registers" hooks "__venvhook_hook|__venvhook_chpwd"
	tour "zsh options, no hooks of the user's"
	no_errors "zsh options, no hooks of the user's: no warning or error" "zsh:" "__venvhook" "created globally" "parameter not set"
}

# bash with other settings a user may have: a changed IFS, no globbing,
# set -k (every NAME=VALUE word an assignment, so that `local x=1` and
# `export X=1` set nothing), nullglob/failglob/extglob, pipefail; and POSIX
# mode.
bash_misc() {
	sh_start bash
	fixtures
	start_plain
	mark
	run "IFS=:; set -f -k -o pipefail; shopt -s nullglob failglob extglob"
	sh_init
	tour "bash with IFS=: set -f -k pipefail nullglob failglob extglob"
	no_errors "bash with IFS=: etc.: no error" "bash:" "__venvhook"
}
# nocasematch makes bash's [[ == ]] and ${x/PAT/} ignore case: venvhook must
# still tell /r/Case from /r/case, and /r/Case/.venv/bin from /r/CASE/.venv/bin.
bash_nocasematch() {
	sh_start bash
	fixtures
	project "$R/Case"
	mkdir -p "$R/case" "$R/CASE/.venv/bin"
	start_plain
	mark
	run "shopt -s nocasematch"
	sh_init
	tour "bash with nocasematch"
	state "cd $R/Case"
	active "nocasematch: cd into Case" "$R/Case/.venv"
	state "cd $R/case"
	inactive "nocasematch: its sibling case, the same but for case, is not in it"
	state "cd $R/Case"
	active "nocasematch: back into Case" "$R/Case/.venv"
	# A PATH entry put before the env's bin that differs from it only by
	# case stays when the env goes.
	look PATH -- "cd $R/Case" "$(a_path_prepend "$R/CASE/.venv/bin")" "cd $R/plain"
	isvar "nocasematch: leaving removes the env's bin, not one alike but for case" PATH \
		"$R/CASE/.venv/bin:$P0"
	no_errors "bash with nocasematch: no error" "bash:" "__venvhook"
	# Failing safe (no helper), leaving is seen by bytes too.
	run "PATH=$P0" "cd $R/Case"
	state "__venvhook_bin=$R/gone" "cd $R/case"
	inactive "nocasematch, no helper: leaving for case takes the env off"
}
bash_posix() {
	sh_start bash
	fixtures
	start_plain
	mark
	run "set -o posix"
	sh_init
	tour "bash in POSIX mode"
	no_errors "bash in POSIX mode: no error" "bash:" "__venvhook"
}
zsh_ifs() {
	sh_start zsh
	fixtures
	start_plain
	mark
	run "IFS=:; setopt no_glob"
	sh_init
	tour "zsh with IFS=: no_glob"
	no_errors "zsh with IFS=: no_glob: no error" "zsh:" "__venvhook"
}

# In one session per shell: the directory stack and key bindings, a removed
# current directory, then (last, as it re-registers from a copy of the
# binary) a binary that vanishes or fails.
per_shell() {
	sh_start "$SH"
	fixtures
	start_plain
	sh_init
	dirstack
	deleted_cwd
	missing_binary
}

# The current directory removed under the shell (a branch switch, rm -rf).
deleted_cwd() {
	mkdir -p "$R/a/sub/gone"
	state "cd $R/a/sub/gone"
	active "before the directory is removed" "$R/a/.venv"
	rm -rf "$R/a/sub/gone"
	mark
	state "" "" ""
	notices
	ok "current directory removed inside a project: at most one line ($N)" test "$N" -le 1
	active "current directory removed inside a project: still active" "$R/a/.venv"
	state "cd $R/b"
	active "then cd to another project" "$R/b/.venv"
	project "$R/c"
	state "cd $R/c"
	active "a project" "$R/c/.venv"
	rm -rf "$R/c"
	mark
	state "" ""
	notices
	ok "the whole project removed: at most one line ($N)" test "$N" -le 1
	state "cd $R/plain"
	inactive "the whole project removed, then leaving"
	state "cd $R/a"
	active "and then a project activates" "$R/a/.venv"
}

dirstack() {
	state "pushd $R/a"
	active "pushd" "$R/a/.venv"
	state "pushd $R/b"
	active "pushd again" "$R/b/.venv"
	state "popd"
	active "popd" "$R/a/.venv"
	state "popd"
	inactive "popd again"
	state "cd $R/b" "cd -"
	inactive "cd -"
	state "cd -"
	active "cd - again" "$R/b/.venv"
	state "cd $R/plain"
	if [[ $SH == zsh ]]; then
		# A cd from a zle widget bound to a key: no precmd runs.
		run "__t_cdw() { cd $R/a; zle reset-prompt; }; zle -N __t_cdw; bindkey '^O' __t_cdw" \
			"__t_cdp() { cd $R/plain; zle reset-prompt; }; zle -N __t_cdp; bindkey '^P' __t_cdp"
		send_keys C-o
		redrawn "zsh: a key binding's cd into a project: the prompt is redrawn" "(a) P>"
		look VIRTUAL_ENV PATH fn_deactivate
		active "zsh: a key binding's cd into a project" "$R/a/.venv"
		send_keys C-p
		redrawn "zsh: a key binding's cd out: the prompt is redrawn" "P>"
		look VIRTUAL_ENV PATH fn_deactivate
		inactive "zsh: a key binding's cd out of it"
	fi
	if [[ $SH == fish ]]; then
		# A cd from a key binding (Alt-Left: prevd) fires no prompt event.
		run "cd $R/a" "cd $R/plain"
		send_keys M-Left
		redrawn "fish: Alt-Left (prevd) into a project: the prompt is redrawn" "(a) P>"
		look VIRTUAL_ENV PATH fn_deactivate
		active "fish: Alt-Left (prevd) into a project" "$R/a/.venv"
		send_keys M-Right
		redrawn "fish: Alt-Right (nextd): the prompt is redrawn" "P>"
		look VIRTUAL_ENV PATH fn_deactivate
		inactive "fish: Alt-Right (nextd) out of it"
	fi
}

missing_binary() {
	state "cd $R/plain"
	mkdir -p "$W/bin2"
	cp "$VH" "$W/bin2/venvhook"
	run "$(a_init "$W/bin2/venvhook")"
	state "cd $R/a"
	active "binary copy" "$R/a/.venv"
	rm "$W/bin2/venvhook"
	mark
	state "cd $R/b" "" "cd $R/plain" "cd $R/a/sub" ""
	prompt_line
	pass "binary deleted: the prompt still shows"
	notices
	ok "binary deleted: at most one warning ($N)" test "$N" -le 1
	status_after false
	is "binary deleted: \$? kept" "$V" 1
	status_after "cd $R/b; false"
	is "binary deleted: \$? kept after cd" "$V" 1
	cp "$VH" "$W/bin2/venvhook"
	state "cd $R/plain" "cd $R/b"
	active "binary back: cd activates again" "$R/b/.venv"
	printf '#!/bin/sh\necho "touch pwned-fail"\nexit 1\n' >"$W/bin2/venvhook"
	mark
	state "cd $R/a" "" "cd $R/plain" "cd $R/b/.."
	prompt_line
	pass "binary failing: the prompt still shows"
	notices
	ok "binary failing: at most one warning ($N)" test "$N" -le 1
	status_after "cd $R/a; false"
	is "binary failing: \$? kept" "$V" 1
	local pwned
	pwned=$(cd "$W" && find . -name 'pwned*')
	is "binary failing: its output is not run" "$pwned" ""
}

for_shells bash_set_u bash
for_shells bash_string bash
for_shells bash_array bash
for_shells zsh_options zsh
for_shells zsh_options_empty zsh
for_shells bash_misc bash
for_shells bash_posix bash
for_shells bash_nocasematch bash
for_shells zsh_ifs zsh
for_shells per_shell

# A line after the init line that replaces the prompt hook (PROMPT_COMMAND
# or precmd_functions set, not added to): venvhook status says the hook is
# gone; one that adds to them keeps it, and status says nothing.
# Non-interactive shells: status is a plain command.
unhooked() {
	local sh=$1 code=$2 d=$T/unhooked
	mkdir -p "$d/home"
	(cd "$d" && env -i HOME="$d/home" PATH=/usr/bin:/bin "${@:3}" -c \
		'eval "$("$1" init '"$sh"')"; '"$code"'; venvhook status' _ "$VH" 2>&1)
}
like "bash: PROMPT_COMMAND set after the init line: status says the hook is gone" \
	"$(unhooked bash 'PROMPT_COMMAND="history -a"' bash --norc --noprofile)" \
	$'\nhook +not registered: PROMPT_COMMAND was set after the init line'
isnt "bash: PROMPT_COMMAND added to after the init line: no word from status" \
	"$(unhooked bash 'PROMPT_COMMAND+="; history -a"' bash --norc --noprofile | grep -c '^hook')" 1
like "zsh: precmd_functions set after the init line: status says the hook is gone" \
	"$(unhooked zsh 'precmd_functions=(true)' zsh -f)" \
	$'\nhook +not registered: precmd_functions was set after the init line'
out=$(unhooked zsh 'setopt no_unset; unset precmd_functions' zsh -f)
like "zsh, no_unset: precmd_functions unset after the init line: status says so" "$out" \
	$'\nhook +not registered: precmd_functions'
is "... and no error" "${out/parameter not set/}" "$out"
isnt "zsh: precmd_functions added to after the init line: no word from status" \
	"$(unhooked zsh 'precmd_functions+=(true)' zsh -f | grep -c '^hook')" 1

# set -e (bash), err_exit and err_return (zsh), as a script sourced into an
# interactive shell may leave them: no command of the hook's may fail where
# it would end the shell, on any path (entering, leaving, a kept answer,
# deactivate, a helper that cannot run).  Non-interactive shells, the hook
# called by hand; the script must reach its end.
d=$T/errexit
mkdir -p "$d/home" "$d/plain"
/usr/bin/python3 -m venv --without-pip "$d/p/.venv"
env -i HOME="$d/home" PATH=/usr/bin:/bin "$VH" allow "$d/p" >/dev/null
find "$d" -exec touch -h -d "@$(($(date +%s) - 3600))" {} +   # answers kept
moves='D=$3; eval "$("$1" init "$2")"
go() { cd "$D/$1"; __venvhook_hook; printf "%s " "${VIRTUAL_ENV:+on}${VIRTUAL_ENV-off}"; }
go p; go plain; go p; go plain; go p
deactivate; __venvhook_hook; go plain; go p
__venvhook_bin=$PWD/gone; go plain 2>/dev/null; echo end'
for sh in bash zsh; do
	case $sh in
	bash) out=$(cd "$d" && env -i HOME="$d/home" PATH=/usr/bin:/bin bash --norc --noprofile -c \
		"set -e; $moves" _ "$VH" bash "$d" 2>&1) ;;
	zsh) out=$(cd "$d" && env -i HOME="$d/home" PATH=/usr/bin:/bin zsh -f -c \
		"setopt err_exit err_return; $moves" _ "$VH" zsh "$d" 2>&1) ;;
	esac
	on="on$d/p/.venv"
	is "$sh: $([[ $sh == bash ]] && echo 'set -e' || echo 'err_exit err_return'): the shell lives through every move" \
		"$out" "$on off $on off $on off $on off end"
done
done_testing
