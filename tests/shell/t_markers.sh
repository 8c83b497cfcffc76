# t_markers.sh: the three marker kinds (.venv directory, .venv file, .venvhook),
# bare names through VENVHOOK_HOME / WORKON_HOME / ~/.virtualenvs, names that
# must be refused, and markers naming a missing or broken env: one line, once
# per entry, nothing activated.  Interactive bash, zsh and fish in tmux.
. "$(dirname "$0")/lib.sh"

state() { look VIRTUAL_ENV VIRTUAL_ENV_PROMPT PATH -- "$@"; }   # lib.sh's active, inactive
# one_notice DESC TEXT: exactly one "venvhook: " line since the mark, holding TEXT.
one_notice() {
	notices
	is "$1: one line" "$N" 1
	notices_holding "$2"
	is "$1: the line names $2" "$N" 1
}

body() {
	sh_start "$SH"
	local e=$R/envs
	mkvenv "$e/e1"; mkvenv "$e/e2"; mkvenv "$e/e5"
	mkvenv "$R/vhome/e3"; mkvenv "$R/workon/e4"; mkvenv "$H/.virtualenvs/e6"
	mkvenv "$R/vhome/e7"; mkvenv "$R/workon/e7"
	mkvenv "$R/vhome/a/b"; mkvenv "$R/vhome/..x"; mkvenv "$R/vh/x"
	allow "$e/e1" "$e/e2" "$e/e5" "$R/vhome/e3" "$R/workon/e4" "$H/.virtualenvs/e6" \
		"$R/vhome/e7" "$R/workon/e7" "$R/vhome/a/b" "$R/vhome/..x" "$R/vh/x"
	mkdir -p "$R/plain" "$R/fabs/sub" "$R/frel" "$R/fbare" "$R/fwork" "$R/fdef" "$R/fboth" \
		"$R/fslash" "$R/fdots" "$R/fup" "$R/fctl" "$R/vh1" "$R/vh2/sub" "$R/vh4" \
		"$R/miss/sub" "$R/broken" "$R/badini" "$R/nul" "$R/fifo" "$R/dev" "$R/big" "$R/near/sub"
	printf '%s\n' "$e/e1" >"$R/fabs/.venv"
	mkvenv "$R/fvenv/venv" && allow "$R/fvenv/venv"
	printf './venv\n' >"$R/fvenv/.venv"
	printf '# the env of this project\n\n   ../envs/e2   \n' >"$R/frel/.venv"
	printf 'e3\n' >"$R/fbare/.venv"
	printf 'e4\n' >"$R/fwork/.venv"
	printf 'e6\n' >"$R/fdef/.venv"
	printf 'e7\n' >"$R/fboth/.venv"
	printf 'a/b\n' >"$R/fslash/.venv"
	printf '..x\n' >"$R/fdots/.venv"
	printf '../x\n' >"$R/fup/.venv"
	printf 'e\x013\n' >"$R/fctl/.venv"
	# .venvhook wins over a .venv in the same directory.
	printf '[env]\npath = ../envs/e5\nprompt = custom\n' >"$R/vh1/.venvhook"
	project "$R/vh1"
	printf '[env]\nactivate = false\n' >"$R/vh2/.venvhook"
	mkvenv "$R/vh2/.venv" && allow "$R/vh2/.venv"
	printf '[env]\npath = %s\n' "$e/e1" >"$R/vh4/.venvhook"
	# A nearer .venv file beats a farther .venvhook.
	printf '[env]\npath = ../envs/e5\n' >"$R/near/.venvhook"
	printf '%s\n' "$e/e2" >"$R/near/sub/.venv"
	# Missing and broken envs, bad markers.
	printf '/nonexistent/env\n' >"$R/miss/.venv"
	mkvenv "$R/broken/.venv" && rm "$R/broken/.venv/bin/python"
	printf '[env]\nbogus = 1\n' >"$R/badini/.venvhook"
	printf 'e3\0junk\n' >"$R/nul/.venv"
	mkfifo "$R/fifo/.venv"
	ln -s /dev/zero "$R/dev/.venv"
	head -c 1048576 /dev/zero | tr '\0' 'e' >"$R/big/.venv"
	mkdir -p "$R/fifo2" "$R/big2" "$R/tilde1" "$R/tilde2"
	mkfifo "$R/fifo2/.venvhook"
	{ printf '[env]\n'; head -c 1048576 /dev/zero | tr '\0' '#'; } >"$R/big2/.venvhook"
	printf '~/.virtualenvs/e6\n' >"$R/tilde1/.venv"
	printf '[env]\npath = ~/.virtualenvs/e6\n' >"$R/tilde2/.venvhook"

	look PATH -- "cd $R/plain"
	get PATH
	P0=$V
	sh_init

	# .venv file: absolute, relative, bare names.
	state "cd $R/fabs"
	active ".venv file with an absolute path" "$e/e1"
	isvar ".venv file with an absolute path: VIRTUAL_ENV_PROMPT is the env's name" VIRTUAL_ENV_PROMPT "(e1) "
	state "cd sub"
	active ".venv file, from a subdirectory" "$e/e1"
	state "cd $R/fvenv"
	active ".venv file naming ./venv" "$R/fvenv/venv"
	isvar "an env directory named venv: the prompt name is the project's" VIRTUAL_ENV_PROMPT "(fvenv) "
	state "cd $R/frel"
	active ".venv file with a relative path, comment and blank line" "$e/e2"
	state "$(a_export VENVHOOK_HOME "$R/vhome")" "$(a_export WORKON_HOME "$R/workon")" "cd $R/fbare"
	active ".venv file with a bare name in VENVHOOK_HOME" "$R/vhome/e3"
	state "cd $R/fboth"
	active "bare name in both: VENVHOOK_HOME wins over WORKON_HOME" "$R/vhome/e7"
	state "cd $R/plain" "$(a_unset VENVHOOK_HOME)" "cd $R/fwork"
	active ".venv file with a bare name in WORKON_HOME" "$R/workon/e4"
	state "cd $R/fboth"
	active "bare name, WORKON_HOME alone" "$R/workon/e7"
	state "cd $R/plain" "$(a_unset WORKON_HOME)" "cd $R/fdef"
	active ".venv file with a bare name in ~/.virtualenvs" "$H/.virtualenvs/e6"
	state "cd $R/plain" "$(a_export VENVHOOK_HOME "$R/vhome")"

	# Names that must be refused: one line, nothing activated.
	mark
	state "cd $R/fslash" "" ""
	inactive "bare name a/b refused"
	one_notice "bare name a/b refused" "a/b"
	mark
	state "cd $R/fdots" "" ""
	inactive "bare name ..x refused"
	one_notice "bare name ..x refused" "..x"
	mark
	run "$(a_export VENVHOOK_HOME "$R/vh/home")"
	state "cd $R/fup" "" ""
	inactive "../x is a path from the project, never from VENVHOOK_HOME"
	one_notice "../x names a missing env" "$R/x"
	run "$(a_export VENVHOOK_HOME "$R/vhome")"
	mark
	state "cd $R/fctl" "" ""
	inactive "bare name with a control character refused"
	notices
	is "bare name with a control character: one line" "$N" 1

	# .venvhook
	state "cd $R/vh1"
	active ".venvhook path, over a .venv in the same directory" "$e/e5"
	isvar ".venvhook prompt sets VIRTUAL_ENV_PROMPT" VIRTUAL_ENV_PROMPT "(custom) "
	isprompt ".venvhook prompt shows in the prompt" "(custom) P>"
	state "cd $R/vh4"
	active ".venvhook with an absolute path" "$e/e1"
	mark
	state "cd $R/vh2" "" ""
	inactive ".venvhook activate = false"
	state "cd sub"
	inactive ".venvhook activate = false, below it"
	notices
	ok ".venvhook activate = false: at most one line" test "$N" -le 1
	state "cd $R/near/sub"
	active "a nearer .venv file beats a farther .venvhook" "$e/e2"

	# Missing and broken: one line, once per entry, not every prompt.
	mark
	state "cd $R/miss" "" "" ""
	inactive "marker naming a missing env"
	one_notice "marker naming a missing env" "/nonexistent/env"
	mark
	state "cd sub" "" ""
	notices
	is "missing env: no new line within the project" "$N" 0
	mark
	state "cd $R/plain" "cd $R/miss" ""
	notices
	is "missing env: one line again on the next entry" "$N" 1
	mark
	state "cd $R/broken" "" ""
	inactive "env without bin/python"
	one_notice "env without bin/python" "$R/broken/.venv"
	mark
	state "cd $R/badini" "" ""
	inactive ".venvhook with an unknown key"
	one_notice ".venvhook with an unknown key" "$R/badini/.venvhook"
	mark
	state "cd $R/nul" "" ""
	inactive ".venv file with a NUL byte"
	one_notice ".venv file with a NUL byte" "$R/nul/.venv"
	mark
	state "cd $R/fifo" "" ""
	inactive ".venv that is a FIFO (no hang)"
	one_notice ".venv that is a FIFO" "$R/fifo/.venv"
	mark
	state "cd $R/dev" "" ""
	inactive ".venv that is a link to /dev/zero"
	one_notice ".venv that is a link to /dev/zero" "$R/dev/.venv"
	mark
	state "cd $R/big" "" ""
	inactive ".venv file of 1 MiB"
	one_notice ".venv file of 1 MiB" "$R/big/.venv"
	mark
	state "cd $R/fifo2" "" ""
	inactive ".venvhook that is a FIFO (no hang)"
	one_notice ".venvhook that is a FIFO" "$R/fifo2/.venvhook"
	mark
	state "cd $R/big2" "" ""
	inactive ".venvhook of 1 MiB"
	one_notice ".venvhook of 1 MiB" "$R/big2/.venvhook"
	state "cd $R/tilde1"
	active ".venv file with a ~/ path" "$H/.virtualenvs/e6"
	state "cd $R/tilde2"
	active ".venvhook with a ~/ path" "$H/.virtualenvs/e6"
	mark
	state "cd $R/plain" "" ""
	inactive "back in a plain directory"
	notices
	is "back in a plain directory: no line" "$N" 0

	# Two projects sharing one env: moving from one to the other is a new
	# project (its prompt name, its own deactivate).
	mkvenv "$e/shared" && allow "$e/shared"
	mkdir -p "$R/s1" "$R/s2"
	printf '%s\n' "$e/shared" >"$R/s1/.venv"
	printf '[env]\npath = %s\nprompt = two\n' "$e/shared" >"$R/s2/.venvhook"
	state "cd $R/s1"
	active "shared env: first project" "$e/shared"
	isprompt "shared env: first project's prompt" "(shared) P>"
	state "cd $R/s2"
	active "shared env: second project" "$e/shared"
	isvar "shared env: second project's VIRTUAL_ENV_PROMPT" VIRTUAL_ENV_PROMPT "(two) "
	isprompt "shared env: second project's prompt" "(two) P>"
	state "deactivate" "" ""
	inactive "shared env: deactivate in the second project stays off"
	state "cd $R/s1"
	active "shared env: the first project again" "$e/shared"
	run "cd $R/plain"

	# venvhook status, typed in the shell.
	run "cd $R/fabs" "venvhook status >$TD/status.txt 2>&1"
	ok "venvhook status in an active project says so" grep -q 'active (activated by venvhook)' "$TD/status.txt"
	ok "venvhook status names the marker" grep -qF "$R/fabs/.venv" "$TD/status.txt"
	run "cd $R/miss" "venvhook status >$TD/status.txt 2>&1"
	ok "venvhook status says why a missing env is not active" grep -qF "/nonexistent/env" "$TD/status.txt"
}

for_shells body

# A marker that leads to a FIFO is not opened, only named: opening it would
# let a process waiting to write to it go on (as opening a device may act).
# The helper itself, in the FIFO's directory, for each marker name.
for m in .venv .venvhook; do
	d=$T/fifo-open/$m
	mkdir -p "$d/in" && mkfifo "$d/f" && ln -s ../f "$d/in/$m"
	(exec 3>"$d/f" && : >"$d/opened") &
	writer=$!
	out=$(cd "$d/in" && PWD=$d/in HOME=$T/fifo-home XDG_CONFIG_HOME=$T/fifo-home \
		XDG_DATA_HOME=$T/fifo-home XDG_STATE_HOME=$T/fifo-home XDG_CACHE_HOME=$T/fifo-home \
		timeout 10 "$VH" hook bash 2>&1 >/dev/null)
	like "$m leading to a FIFO: named as not a regular file" "$out" "'$d/in/$m' is not a regular file"
	sleep 0.5
	ok "$m leading to a FIFO: the FIFO was not opened (its writer still waits)" test ! -e "$d/opened"
	exec 4<>"$d/f"   # lets the writer go (read-write: opens at once, writer or not)
	wait "$writer"
	exec 4<&-
done
done_testing
