# t_activate.sh: auto-activation in interactive bash, zsh and fish (tmux):
# cd in and out, subdirectories, switching, nesting, exact undo, PATH edits,
# PYTHONHOME, the prompt, deactivate, manual activation, $?, re-registering,
# and how often the helper starts.
. "$(dirname "$0")/lib.sh"

# state LINE...: runs LINEs, then reads what activation touches.
state() { look VIRTUAL_ENV VIRTUAL_ENV_PROMPT PATH PYTHONHOME fn_deactivate -- "$@"; }
# active DESC ENV: ENV is active, its bin first on PATH, in front of P0.
active() {
	isvar "$1: VIRTUAL_ENV" VIRTUAL_ENV "$2"
	isvar "$1: PATH" PATH "$2/bin:$P0"
	isvar "$1: deactivate defined" fn_deactivate 1
}
# inactive DESC: nothing active, PATH exactly as before, no deactivate.
inactive() {
	isvar "$1: VIRTUAL_ENV unset" VIRTUAL_ENV '<unset>'
	isvar "$1: PATH restored exactly" PATH "$P0"
	isvar "$1: VIRTUAL_ENV_PROMPT unset" VIRTUAL_ENV_PROMPT '<unset>'
	isvar "$1: no deactivate" fn_deactivate 0
}
# path_set VALUE: a line setting PATH to the colon list VALUE.
path_set() {
	if [[ $SH == fish ]]; then
		local e out= p
		IFS=: read -r -a e <<<"$1"
		for p in "${e[@]}"; do out+=" '$p'"; done
		echo "set -gx PATH$out"
	else
		echo "PATH='$1'"
	fi
}

body() {
	sh_start "$SH"
	project "$R/a" "$R/b" "$R/outer" "$R/outer/inner"
	mkdir -p "$R/a/sub/deep" "$R/outer/inner/x" "$R/outer/mid" "$R/plain" "$R/newp" "$R/anc/x/y"
	mkvenv_real "$R/m/env"
	counting_bin

	base_path
	sh_init

	# A venvhook earlier on PATH cannot hijack the hook: init embedded the path.
	mkdir -p "$W/evil"
	printf '#!/bin/sh\ntouch %s/hijacked\n' "$W" >"$W/evil/venvhook"
	chmod 755 "$W/evil/venvhook"
	state "$(a_path_prepend "$W/evil")" "cd $R/a" "venvhook status >/dev/null 2>&1"
	ok "a venvhook earlier on PATH is never run" test ! -e "$W/hijacked"
	isvar "a venvhook earlier on PATH: activation" PATH "$R/a/.venv/bin:$W/evil:$P0"
	run "cd $R/plain" "$(path_set "$P0")"
	# The command hash is reset: python3 was hashed at /usr/bin/python3.
	case $SH in
	fish) look py -- "python3 -c pass" "cd $R/a" "set -g py (command -v python3)" ;;
	*) look py -- "python3 -c pass" "cd $R/a" 'py=$(command -v python3)' ;;
	esac
	isvar "activation resets the command hash" py "$R/a/.venv/bin/python3"

	state "cd $R/plain" "cd $R/a"
	active "cd into a project" "$R/a/.venv"
	isvar "cd into a project: VIRTUAL_ENV_PROMPT" VIRTUAL_ENV_PROMPT "(a) "
	isprompt "cd into a project: the prompt shows (a)" "(a) P>"

	state "cd sub/deep"
	active "a subdirectory keeps it" "$R/a/.venv"
	state "cd $R/a/sub"
	active "back up inside the project keeps it" "$R/a/.venv"

	state "cd $R/b"
	active "switching from a to b" "$R/b/.venv"
	isvar "switching from a to b: VIRTUAL_ENV_PROMPT" VIRTUAL_ENV_PROMPT "(b) "
	isprompt "switching from a to b: the prompt shows (b) only" "(b) P>"

	state "cd $R/plain"
	inactive "leaving"
	isprompt "leaving brings the prompt back" "P>"

	# A project reached through a symbolic link, then by its real path.
	ln -s "$R/a" "$R/link"
	state "cd $R/link/sub"
	active "a project through a symlink: the env by its real path" "$R/a/.venv"
	state "cd $R/a"
	active "the same project by its real path" "$R/a/.venv"
	state "cd $R/plain"
	inactive "leaving a project entered through a symlink"

	# Nesting: the nearest wins; coming back out re-activates the outer one.
	state "cd $R/outer/inner/x"
	active "nested: inner project from below" "$R/outer/inner/.venv"
	state "cd .."
	active "nested: inner project's own dir" "$R/outer/inner/.venv"
	state "cd .."
	active "nested: back out re-activates the outer" "$R/outer/.venv"
	isprompt "nested: the prompt shows the outer only" "(outer) P>"
	state "cd inner"
	active "nested: outer to inner switches" "$R/outer/inner/.venv"
	state "cd $R/outer/mid"
	active "nested: inner to a sibling dir of the outer" "$R/outer/.venv"
	state "cd $R/plain"
	inactive "nested: leaving both"

	# PATH with empty entries (the current directory; fish itself turns them
	# into '.') or the env already on it.
	local p paths=("$P0:$R/a/.venv/bin" "$R/a/.venv/bin:$P0")
	[[ $SH == fish ]] || paths+=("$P0:" ":$P0" "${P0/:/::}")
	for p in "${paths[@]}"; do
		state "$(path_set "$p")" "cd $R/a"
		isvar "PATH $(printf %q "$p"): activation puts the env in front" PATH "$R/a/.venv/bin:$p"
		state "cd $R/plain"
		isvar "PATH $(printf %q "$p"): leaving restores it exactly" PATH "$p"
	done
	run "$(path_set "$P0")"

	# PATH edits made while active survive leaving.
	state "cd $R/a" "$(a_path_prepend /t/pre)" "$(a_path_append /t/post)"
	isvar "PATH edits while active: both made" PATH "/t/pre:$R/a/.venv/bin:$P0:/t/post"
	state "cd $R/plain"
	isvar "PATH edits while active survive leaving" PATH "/t/pre:$P0:/t/post"
	state "$(path_set "$P0")"
	isvar "PATH reset by the test" PATH "$P0"
	# The user removes the env's entry: leaving removes nothing else.
	state "cd $R/a" "$(path_set "/t/x:$P0")"
	state "cd $R/plain"
	isvar "PATH entry removed by the user: leaving leaves PATH alone" PATH "/t/x:$P0"
	run "$(path_set "$P0")"

	# PYTHONHOME: unset while active, restored exactly (set, set but empty, unset).
	state "$(a_export PYTHONHOME /ph)" "cd $R/a"
	isvar "PYTHONHOME unset while active" PYTHONHOME '<unset>'
	state "cd $R/plain"
	isvar "PYTHONHOME restored on leaving" PYTHONHOME /ph
	state "$(a_export PYTHONHOME "''")" "cd $R/b"
	isvar "empty PYTHONHOME unset while active" PYTHONHOME '<unset>'
	state "cd $R/plain"
	isvar "empty PYTHONHOME restored as set and empty" PYTHONHOME ''
	state "$(a_unset PYTHONHOME)" "cd $R/a"
	state "cd $R/plain"
	isvar "unset PYTHONHOME stays unset" PYTHONHOME '<unset>'

	# VIRTUAL_ENV_DISABLE_PROMPT
	state "$(a_export VIRTUAL_ENV_DISABLE_PROMPT 1)" "cd $R/a"
	active "VIRTUAL_ENV_DISABLE_PROMPT set" "$R/a/.venv"
	isprompt "VIRTUAL_ENV_DISABLE_PROMPT: the prompt is untouched" "P>"
	state "cd $R/plain"
	isprompt "VIRTUAL_ENV_DISABLE_PROMPT: the prompt is untouched after leaving" "P>"
	run "$(a_unset VIRTUAL_ENV_DISABLE_PROMPT)"

	# deactivate typed in a project keeps it off until leaving it.
	state "cd $R/a" "deactivate"
	inactive "deactivate typed in the project"
	isprompt "deactivate: the prompt comes back" "P>"
	state "" ""
	inactive "deactivate: still off at the next prompts"
	state "cd sub"
	inactive "deactivate: still off in a subdirectory"
	run "venvhook status >$TD/status.txt 2>&1"
	ok "deactivate: venvhook status says it was deactivated by hand" grep -q 'deactivated by hand' "$TD/status.txt"
	state "cd $R/plain" "cd $R/a"
	active "deactivate: entering again activates" "$R/a/.venv"
	state "deactivate" "cd $R/b"
	active "deactivate, then another project activates" "$R/b/.venv"
	state "cd $R/a"
	active "deactivate, other project, back: active again" "$R/a/.venv"
	rm -f "$TD"/v.*
	run "deactivate nondestructive; __tw VIRTUAL_ENV PATH; __tf deactivate"
	isvar "deactivate nondestructive: VIRTUAL_ENV unset" VIRTUAL_ENV '<unset>'
	isvar "deactivate nondestructive: PATH restored" PATH "$P0"
	isvar "deactivate nondestructive keeps the function" fn_deactivate 1
	state "cd $R/plain"
	inactive "after deactivate nondestructive, leaving"

	# VIRTUAL_ENV unset or changed by hand (not by deactivate or an activate
	# script) while active: venvhook's PATH entry must not pile up or linger.
	state "cd $R/a" "$(a_unset VIRTUAL_ENV)" ""
	active "VIRTUAL_ENV unset by hand while active: one PATH entry" "$R/a/.venv"
	state "cd $R/plain"
	inactive "VIRTUAL_ENV unset by hand, then leaving"
	state "cd $R/a" "$(a_export VIRTUAL_ENV /x)" "" "cd $R/plain"
	isvar "VIRTUAL_ENV changed by hand: left alone" VIRTUAL_ENV /x
	isvar "VIRTUAL_ENV changed by hand, then leaving: venvhook's PATH entry is gone" PATH "$P0"
	# (A clean slate for what follows, whatever went wrong above.)
	run "$(a_unset VIRTUAL_ENV)" "$(a_unset _OLD_VIRTUAL_PATH)" "$(path_set "$P0")"

	# Manual activation is left alone; its deactivate keeps the project's env
	# off too, until the user leaves the project (issue 9).
	state "$(a_source_activate "$R/m/env")"
	isvar "manual activation" VIRTUAL_ENV "$R/m/env"
	state "cd $R/a"
	isvar "manual activation: left alone in a project" VIRTUAL_ENV "$R/m/env"
	isvar "manual activation: PATH untouched in a project" PATH "$R/m/env/bin:$P0"
	isprompt "manual activation: the prompt is venv's own" "(env) P>"
	state "cd $R/b"
	isvar "manual activation: left alone in another project" VIRTUAL_ENV "$R/m/env"
	state "deactivate"
	inactive "manual activation: after its deactivate the project's env stays off"
	isprompt "manual activation: after its deactivate the prompt is plain" "P>"
	state "cd $R/plain" "cd $R/b"
	active "manual activation: leaving and coming back activates" "$R/b/.venv"
	isprompt "manual activation: then the prompt shows (b)" "(b) P>"

	# $? survives the prompt hook, with and without the helper running.
	status_after false
	is "\$? kept across a prompt" "$V" 1
	status_after "cd $R/b; false"
	is "\$? kept when the hook activates" "$V" 1
	status_after "cd $R/plain; false"
	is "\$? kept when the hook deactivates" "$V" 1
	# A prompt function that runs after venvhook's sees the status too
	# (zsh puts it back after each precmd function itself).
	case $SH in
	bash) run '__t_after() { __t_seen=$?; }; PROMPT_COMMAND="$PROMPT_COMMAND;__t_after"' ;;
	zsh) run '__t_after() { __t_seen=$?; }; precmd_functions+=(__t_after)' ;;
	fish) run 'function __t_after --on-event fish_prompt; set -g __t_seen $status; end' ;;
	esac
	look __t_seen -- false
	isvar "a later prompt function sees \$? of the command" __t_seen 1
	look __t_seen -- "cd $R/b; false"
	isvar "a later prompt function sees \$? when the hook activated" __t_seen 1
	look __t_seen -- "cd $R/plain; sh -c 'exit 3'"
	isvar "a later prompt function sees \$? when the hook deactivated" __t_seen 3
	case $SH in
	bash) run 'PROMPT_COMMAND=${PROMPT_COMMAND%;__t_after}' ;;
	zsh) run 'precmd_functions=(${precmd_functions:#__t_after})' ;;
	fish) run 'functions -e __t_after' ;;
	esac
	status_after true
	is "\$? 0 stays 0" "$V" 0
	status_after "venvhook nosuchcommand 2>/dev/null"
	is "\$? of the venvhook command itself is kept (usage error: 2)" "$V" 2

	# The helper starts once per change, never while nothing changed.
	run "$(a_set __venvhook_bin "$W/count")"
	rm -f "$W/starts"
	run "" "" "" "" ""
	starts
	is "helper starts: 5 empty prompts start it 0 times" "$N" 0
	state "cd $R/a"
	starts
	is "helper starts: cd into a project starts it once" "$N" 1
	active "helper starts: through the counting wrapper" "$R/a/.venv"
	run "" "" "" "cd ." ""
	starts
	is "helper starts: 5 prompts and cd . in a project start it 0 times" "$N" 0
	run "cd sub"
	starts
	ok "helper starts: cd to a subdirectory starts it at most once ($N)" test "$N" -le 1
	state "cd $R/newp"
	starts
	is "helper starts: cd out starts it once" "$N" 1
	state "cd $R/b; cd $R/outer; cd $R/a; cd $R/newp"
	starts
	# zsh and fish activate during each cd (cd proj && cmd), bash at the prompt.
	if [[ $SH == bash ]]; then
		ok "helper starts: a command line with 4 cds starts it at most once ($N)" test "$N" -le 1
	else
		ok "helper starts: a command line with 4 cds starts it at most once per cd ($N)" test "$N" -le 4
	fi
	inactive "helper starts: after 4 cds"
	project "$R/newp"
	state ""
	active "an env created in \$PWD is noticed at the next prompt" "$R/newp/.venv"
	rm -rf "$R/newp/.venv"
	state ""
	inactive "an env removed from \$PWD is noticed at the next prompt"
	state "cd $R/anc/x/y"
	project "$R/anc"
	# (made an hour ago: the answer below is kept, its files being settled)
	find "$R/anc" -exec touch -h -d "@$(( $(date +%s) - 3600 ))" {} +
	state ""
	active "an env created in an ancestor is noticed at the next prompt" "$R/anc/.venv"
	printf '[env]\nactivate = false\n' >"$R/anc/x/.venvhook"
	state ""
	inactive "a .venvhook (activate = false) created in an ancestor is noticed"
	rm "$R/anc/x/.venvhook"
	state ""
	active "its removal is noticed too" "$R/anc/.venv"
	starts
	# The last change puts back what the answer after the 3rd was given
	# for: bash and zsh replay that answer, kept (t_memo.sh); fish has none.
	if [[ $SH == fish ]]; then
		is "helper starts: 5 changes and a cd: 6 starts" "$N" 6
	else
		is "helper starts: 5 changes and a cd: 5 starts, 1 answer kept" "$N" 5
	fi

	# Registering twice (sourcing the init again) runs the hook once.
	state "cd $R/a" "$(a_init)"
	active "init sourced again while active" "$R/a/.venv"
	isprompt "init sourced again: the prompt shows (a) once" "(a) P>"
	run "$(a_set __venvhook_bin "$W/count")"
	rm -f "$W/starts"
	state "cd $R/b"
	starts
	is "init sourced twice: cd starts the helper once" "$N" 1
	active "init sourced twice: switching" "$R/b/.venv"
	isprompt "init sourced twice: the prompt shows (b) once" "(b) P>"
	run "" "" ""
	starts
	is "init sourced twice: empty prompts start it 0 times" "$N" 0
	case $SH in
	bash) look hooks -- 'hooks=${PROMPT_COMMAND[*]}' ;;
	zsh) look hooks -- 'hooks="$precmd_functions $chpwd_functions"' ;;
	fish) look hooks -- 'set hooks (functions --handlers | string match -r "__venvhook\\S*" | sort)' ;;
	esac
	get hooks
	case $SH in
	bash) is "init sourced twice: PROMPT_COMMAND holds the hook once" "$V" "__venvhook_hook" ;;
	zsh) is "init sourced twice: precmd and chpwd hold the hook once each" "$V" "__venvhook_hook __venvhook_chpwd" ;;
	fish) is "init sourced twice: one fish_prompt and one PWD handler" "$V" "__venvhook_hook __venvhook_on_pwd" ;;
	esac
	state "cd $R/plain"
	inactive "init sourced twice: leaving"
	isprompt "init sourced twice: the prompt comes back" "P>"

	# Manual activation over an auto-activated env (its activate script runs
	# its own "deactivate nondestructive" first).
	state "cd $R/b"
	active "manual over auto: auto first" "$R/b/.venv"
	state "$(a_source_activate "$R/m/env")"
	isvar "manual activation over an auto-activated env" VIRTUAL_ENV "$R/m/env"
	isvar "manual activation over an auto-activated env: PATH" PATH "$R/m/env/bin:$P0"
	isprompt "manual activation over an auto-activated env: prompt" "(env) P>"
	state "cd $R/a"
	isvar "manual activation over an auto-activated env: left alone" VIRTUAL_ENV "$R/m/env"
	state "deactivate"
	inactive "manual over auto: its deactivate keeps the project's env off"
	isprompt "manual over auto: then the prompt is plain" "P>"
	state "cd $R/a/sub"
	inactive "manual over auto: off in a subdirectory of the project"
	state "cd $R/plain" "cd $R/a"
	active "manual over auto: leaving and coming back activates" "$R/a/.venv"
	isprompt "manual over auto: then the prompt shows (a)" "(a) P>"
	state "cd $R/plain"
	inactive "manual over auto: leaving"
}

for_shells body
done_testing
