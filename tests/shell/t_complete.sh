# t_complete.sh: the completions of completions/, by pressing TAB in real
# bash, zsh and fish in tmux: commands, each command's options, env paths from
# the registry, interpreters for -p (pyenv's versions, pythonX.Y on PATH),
# files for -r and -o, commands for exec.  COMPLETIONS=DIR tests the files
# installed in DIR (bash-completion/completions, zsh/site-functions and
# fish/vendor_completions.d under it), else those of the source tree.
. "$(dirname "$0")/lib.sh"

COMP=${COMPLETIONS-}
if [[ -n $COMP ]]; then
	C_BASH=$COMP/bash-completion/completions/venvhook
	C_ZSH=$COMP/zsh/site-functions
	C_FISH=$COMP/fish/vendor_completions.d
else
	C_BASH=$TOP/completions/venvhook.bash
	C_ZSH=$TOP/completions
	C_FISH=$TOP/completions
fi
PYX=$(cd /usr/bin && ls python3.* | grep -E '^python3\.[0-9]+$' | head -n 1)

# The cursor's line, trailing blanks dropped.
cursor_line() {
	tmc "display-message -p -t $SESS '#{cursor_y}'" || hung "tmux display failed"
	local y=${TMC_LINES[0]-0}
	tmc "capture-pane -p -t $SESS" || hung "tmux capture-pane failed"
	CL=${TMC_LINES[y]-}
}
# press TEXT: types TEXT (no Enter) after a mark, then TAB.
press() {
	mark
	prompt_line     # typed only once the prompt is drawn: no typeahead echo
	tq "$1"
	tmc "send-keys -t $SESS -l $TQ" || hung "tmux send-keys failed"
	send_keys Tab
}
# cancel: drops the line being edited (and any completion listing: in fish,
# C-c while the pager is open may only close the pager, so Escape first).
# The line typed next must start on an empty command line, or the Enter of
# run would run what was being completed.
cancel() {
	[[ $SH == fish ]] && send_keys Escape
	send_keys C-c
	[[ $SH == fish ]] && send_keys C-u
	run ""
}
# completes DESC TEXT WANT: TEXT then TAB makes the command line WANT.
completes() {
	press "$2"
	local t0=$SECONDS
	while cursor_line; [[ $CL != "P> $3" ]] && ((SECONDS - t0 < 10)); do nap 0.01; done
	is "$1" "$CL" "P> $3"
	cancel
}
# shows DESC TEXT WORD...: TEXT then TAB lists every WORD (whole words on the
# screen below the typed line).
shows() {
	local d=$1 text=$2 t0=$SECONDS w missing
	shift 2
	press "$text"
	while :; do
		since_mark
		missing=()
		for w; do
			[[ ${SM#*"$text"} == *"$w"* ]] || missing+=("$w")
		done
		((${#missing[@]} == 0 || SECONDS - t0 >= 10)) && break
		nap 0.01
	done
	if ((${#missing[@]} == 0)); then
		pass "$d"
	else
		fail "$d" "missing: ${missing[*]}" "the screen:" "${SML[@]}"
	fi
	cancel
}
# lacks DESC TEXT WORD...: after TEXT and TAB (and a listing of SHOWN), no WORD.
lacks() {
	local d=$1 text=$2 shown=$3 t0=$SECONDS w bad=()
	shift 3
	press "$text"
	while since_mark; [[ ${SM#*"$text"} != *"$shown"* ]] && ((SECONDS - t0 < 10)); do
		nap 0.01
	done
	for w; do [[ ${SM#*"$text"} == *"$w"* ]] && bad+=("$w"); done
	if ((${#bad[@]} == 0)); then pass "$d"; else fail "$d" "listed: ${bad[*]}" "${SML[@]}"; fi
	cancel
}

start() {
	mkdir -p "$T/bin-$SH" "$T/pyenv-$SH/versions/3.98.0" "$T/pyenv-$SH/versions/3.99.1" "$T/pyenv-$SH/versions/zzenv"
	ln -sf "$VH" "$T/bin-$SH/venvhook"
	printf '#!/bin/sh\n' >"$T/bin-$SH/zzvhtool"
	chmod 755 "$T/bin-$SH/zzvhtool"
	sh_start "$SH" PATH="$T/bin-$SH:/usr/bin:/bin" PYENV_ROOT="$T/pyenv-$SH"
	project "$R/alpha" "$R/beta"
	mkdir -p "$W/work"
	: >"$W/work/requirements.txt"
	: >"$W/work/frozen.txt"
	case $SH in
	bash)
		run "source $C_BASH" "bind 'set show-all-if-ambiguous on'" \
			"bind 'set completion-query-items 0'" "bind 'set page-completions off'" ;;
	zsh)
		run "fpath=($C_ZSH \$fpath)" "autoload -Uz compinit" "compinit -u -D" \
			"LISTMAX=0" "zstyle ':completion:*' list-prompt ''" ;;
	fish)
		run "set -g fish_complete_path $C_FISH \$fish_complete_path" ;;
	esac
	# With the integration loaded, as people have it (venvhook is then a
	# shell function in bash and zsh).
	sh_init
	run "cd $W/work"
}

t_complete() {
	start
	completes "a command" "venvhook fre" "venvhook freeze"
	completes "help takes a command" "venvhook help rep" "venvhook help repair"
	shows "every command" "venvhook " init allow deny status create rm list prune repair \
		freeze check sync exec help
	completes "init takes a shell" "venvhook init f" "venvhook init fish"
	completes "create's options" "venvhook create --wi" "venvhook create --without-pip"
	completes "create's --system-site-packages" "venvhook create --sy" \
		"venvhook create --system-site-packages"
	shows "create lists its options" "venvhook create --" --clear --prompt --python --requirement
	completes "freeze's options" "venvhook freeze --exclude-e" "venvhook freeze --exclude-editable"
	completes "sync's options" "venvhook sync --ex" "venvhook sync --exact"
	completes "prune's options" "venvhook prune --d" "venvhook prune --dry-run"
	completes "repair's options" "venvhook repair --reb" "venvhook repair --rebuild"
	completes "list's options" "venvhook list --j" "venvhook list --json"
	completes "check's options" "venvhook check --en" "venvhook check --env"
	completes "exec's options" "venvhook exec --e" "venvhook exec --env"
	shows "rm offers the envs of the registry" "venvhook rm " alpha/.venv beta/.venv
	shows "--env offers the envs of the registry" "venvhook freeze --env " \
		alpha/.venv beta/.venv
	shows "-p offers pyenv's versions" "venvhook create -p 3.9" 3.98.0 3.99.1
	lacks "but not pyenv's virtualenvs" "venvhook create -p " 3.99.1 zzenv
	completes "-p offers pythonX.Y on PATH" "venvhook create -p ${PYX%?}" "venvhook create -p $PYX"
	completes "repair -p too" "venvhook repair --python 3.98" "venvhook repair --python 3.98.0"
	completes "-r takes a file" "venvhook check -r requ" "venvhook check -r requirements.txt"
	completes "-o takes a file" "venvhook freeze -o fro" "venvhook freeze -o frozen.txt"
	completes "exec takes a command" "venvhook exec zzvh" "venvhook exec zzvhtool"
	completes "exec --env ENV takes a command" "venvhook exec --env $R/alpha zzvh" \
		"venvhook exec --env $R/alpha zzvhtool"
	completes "exec COMMAND takes files" "venvhook exec zzvhtool fro" "venvhook exec zzvhtool frozen.txt"
	# Each half-typed line was dropped, none run (venvhook create -- would
	# have made an env here).
	is "no completed line was run" "$(ls -A "$W/work")" "frozen.txt
requirements.txt"
}
# bash under set -k, where a NAME=VALUE word after local would set nothing.
t_complete_setk() {
	start
	run "set -k"
	completes "set -k: a command" "venvhook fre" "venvhook freeze"
	shows "set -k: rm offers the envs of the registry" "venvhook rm " alpha/.venv beta/.venv
	shows "set -k: -p offers pyenv's versions" "venvhook create -p 3.9" 3.98.0 3.99.1
}
# bash splits what a command prints into words, and then would take each as
# a pattern: under nullglob a name with '[...]' that matches nothing went
# (failglob: the completion failed), one that matches became the match.
t_complete_glob() {
	start
	project "$R/gl[ab]"
	mkdir -p "$R/gla/.venv"
	: >"$W/work/deps[1].txt"
	run "shopt -s nullglob"
	shows "nullglob: rm offers an env whose path holds '[ab]'" "venvhook rm " "gl[ab]/.venv" alpha/.venv
	completes "nullglob: -r offers a file whose name holds '[1]'" "venvhook check -r dep" \
		'venvhook check -r deps\[1\].txt'
	run "shopt -u nullglob; shopt -s failglob"
	shows "failglob: rm still offers it" "venvhook rm " "gl[ab]/.venv" alpha/.venv
	shows "failglob: -p still offers pyenv's versions" "venvhook create -p 3.9" 3.98.0 3.99.1
	run "PYENV_ROOT=$W/no-pyenv"
	completes "failglob, no pyenv version: -p still offers pythonX.Y" "venvhook create -p ${PYX%?}" \
		"venvhook create -p $PYX"
}
for_shells t_complete
for_shells t_complete_setk bash
for_shells t_complete_glob bash
done_testing
