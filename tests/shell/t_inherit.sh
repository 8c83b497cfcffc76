# t_inherit.sh: a shell started from an activated one (a child shell of the
# same or another kind, a child of a child, `exec $SHELL`) inherits
# VIRTUAL_ENV and ends up consistent: one PATH entry, the prompt, a working
# deactivate.  Interactive bash, zsh and fish in tmux.
. "$(dirname "$0")/lib.sh"

state() { look VIRTUAL_ENV VIRTUAL_ENV_PROMPT PATH fn_deactivate -- "$@"; }
active() {
	isvar "$1: VIRTUAL_ENV" VIRTUAL_ENV "$2"
	isvar "$1: PATH holds the env once" PATH "$2/bin:$P0"
	isvar "$1: deactivate defined" fn_deactivate 1
}
inactive() {
	isvar "$1: nothing active" VIRTUAL_ENV '<unset>'
	isvar "$1: PATH restored exactly" PATH "$P0"
	isvar "$1: no deactivate" fn_deactivate 0
}

next_shell() { case $1 in bash) echo zsh ;; zsh) echo fish ;; fish) echo bash ;; esac; }

body() {
	sh_start "$SH"
	project "$R/a" "$R/b"
	mkdir -p "$R/plain"
	mkvenv_real "$R/m/env"
	look PATH -- "cd $R/plain"
	get PATH
	P0=$V
	sh_init
	local top=$SH other
	other=$(next_shell "$SH")

	state "cd $R/a"
	active "parent" "$R/a/.venv"

	# A child of the same kind, with the integration in its rc.
	child_start "$top"
	sh_init
	state ""
	active "child $top of $top" "$R/a/.venv"
	isvar "child $top of $top: VIRTUAL_ENV_PROMPT" VIRTUAL_ENV_PROMPT "(a) "
	isprompt "child $top of $top: the prompt shows (a)" "(a) P>"
	state "deactivate"
	inactive "child $top of $top: deactivate"
	isprompt "child $top of $top: deactivate restores the prompt" "P>"
	state "cd $R/b"
	active "child $top of $top: switching to b" "$R/b/.venv"
	state "cd $R/plain"
	inactive "child $top of $top: leaving"
	state "cd $R/a"
	active "child $top of $top: entering a" "$R/a/.venv"
	# A child of the child.
	child_start "$top"
	sh_init
	state ""
	active "grandchild $top" "$R/a/.venv"
	state "cd $R/plain"
	inactive "grandchild $top: leaving"
	child_exit
	state ""
	active "back in the child" "$R/a/.venv"
	child_exit
	state ""
	active "back in the parent: unchanged" "$R/a/.venv"
	isprompt "back in the parent: the prompt shows (a)" "(a) P>"

	# A child of another kind.
	child_start "$other"
	sh_init
	state ""
	active "child $other of $top" "$R/a/.venv"
	isprompt "child $other of $top: the prompt shows (a)" "(a) P>"
	state "deactivate"
	inactive "child $other of $top: deactivate"
	state "cd $R/plain" "cd $R/b"
	active "child $other of $top: switching to b" "$R/b/.venv"
	child_exit
	state ""
	active "back in the parent after a $other child" "$R/a/.venv"

	# A child whose PATH was rebuilt without the env (as a login profile may).
	child_start "$top" "env PATH=$P0 $(a_child "$top")"
	sh_init
	state ""
	active "child with a rebuilt PATH: the env's bin comes back" "$R/a/.venv"
	state "cd $R/plain"
	inactive "child with a rebuilt PATH: leaving"
	child_exit

	# A child started in a project, moving out at once.
	child_start "$top"
	sh_init
	state "cd $R/plain"
	inactive "child $top: leaving the inherited project"
	child_exit

	# The parent activated an env by hand: the child leaves it alone, yet
	# has a working deactivate.
	state "cd $R/plain" "$(a_source_activate "$R/m/env")"
	isvar "parent: manual activation" VIRTUAL_ENV "$R/m/env"
	child_start "$top"
	sh_init
	state "cd $R/b"
	isvar "child of a manual activation: left alone" VIRTUAL_ENV "$R/m/env"
	isvar "child of a manual activation: PATH holds it once" PATH "$R/m/env/bin:$P0"
	isvar "child of a manual activation: deactivate defined" fn_deactivate 1
	state "deactivate"
	inactive "child of a manual activation: deactivate stays off in the project"
	state "cd $R/plain" "cd $R/b"
	active "child of a manual activation: leaving and coming back activates" "$R/b/.venv"
	child_exit
	state "deactivate"
	inactive "parent: its own deactivate"

	# exec $SHELL from an activated shell.
	state "cd $R/b"
	active "before exec \$SHELL" "$R/b/.venv"
	case $top in
	bash) run "exec \$SHELL --norc --noprofile -i" ;;
	zsh) run "exec \$SHELL -f -i" ;;
	fish) run "exec \$SHELL --no-config --private -i" ;;
	esac
	sh_setup
	sh_init
	state ""
	active "exec \$SHELL" "$R/b/.venv"
	isvar "exec \$SHELL: VIRTUAL_ENV_PROMPT" VIRTUAL_ENV_PROMPT "(b) "
	isprompt "exec \$SHELL: the prompt shows (b)" "(b) P>"
	state "deactivate"
	inactive "exec \$SHELL: deactivate"
	state "cd $R/a"
	active "exec \$SHELL: then another project" "$R/a/.venv"
	state "cd $R/plain"
	inactive "exec \$SHELL: leaving"
}

# A parent and child with every variable exported (bash's set -a, zsh's
# allexport): the child's state is its own, not the parent's.
allexport() {
	local opt="set -a"
	[[ $SH == zsh ]] && opt="setopt allexport"
	sh_start "$SH"
	project "$R/a"
	mkdir -p "$R/plain"
	look PATH -- "cd $R/plain"
	get PATH
	P0=$V
	run "$opt"
	sh_init
	state "cd $R/a"
	active "$opt: parent" "$R/a/.venv"
	child_start "$SH"
	run "$opt"
	sh_init
	state ""
	active "$opt: child" "$R/a/.venv"
	isprompt "$opt: the child's prompt shows (a)" "(a) P>"
	state "deactivate"
	inactive "$opt: the child's deactivate"
	isprompt "$opt: the child's prompt comes back" "P>"
	child_exit
	state ""
	active "$opt: back in the parent" "$R/a/.venv"
}

for_shells body
for_shells allexport bash zsh
done_testing
