# t_drift.sh: on entering a project, one line when its env no longer matches
# its requirements file, once per entry and again after a pip install inside;
# one line saying how to make an env for a project that has none; [hook]
# drift, suggest and notify turn them off.  Interactive bash, zsh and fish in
# tmux: the notices are what a person sees.
. "$(dirname "$0")/lib.sh"

WHEEL=$(ls /usr/share/python-wheels/wheel-*.whl 2>/dev/null | head -n 1)
if [[ -z $WHEEL ]]; then
	echo "Bail out! no wheel in /usr/share/python-wheels (make deps installs python3-wheel-whl)"
	exit 1
fi
WV=${WHEEL##*/wheel-}
WV=${WV%%-*}

config() { mkdir -p "$W/xdg/config/venvhook"; printf '%s\n' "$@" >"$W/xdg/config/venvhook/config.ini"; }

body() {
	sh_start "$SH"
	mkdir -p "$R/plain" "$R/drift/sub" "$R/same" "$R/reqonly" "$R/pyver" "$R/pyproj" "$R/vh/reqs"
	# Envs with pip, from the seed cache the suites share (a cold one costs
	# seconds; a copy of an env with pip is a thousand files).
	local p
	for p in drift same vh; do
		seeded env -i "${SENV[@]}" XDG_CACHE_HOME="$SEED_CACHE" "$VH" create "$R/$p/.venv" >/dev/null ||
			echo "# create $p failed"
	done
	allow "$R/same" "$R/vh"
	printf 'wheel==%s\nhello-nobody==1.0\n' "$WV" >"$R/drift/requirements.txt"
	printf 'pip\n' >"$R/same/requirements.txt"
	printf 'pip>=1\n' >"$R/reqonly/requirements.txt"
	printf '3.11\n' >"$R/pyver/.python-version"
	printf '[project]\nname = "x"\n' >"$R/pyproj/pyproject.toml"
	printf '[env]\nrequirements = reqs/dev.txt\n' >"$R/vh/.venvhook"
	printf 'hello-nobody\n' >"$R/vh/reqs/dev.txt"
	run "cd $R/plain"
	sh_init

	# A drifted project: one line on entry, none while inside.
	mark
	look VIRTUAL_ENV -- "cd $R/drift" ""
	isvar "drifted project: active" VIRTUAL_ENV "$R/drift/.venv"
	lines_since "drifted project: on entry" 1 "2 missing"
	count_since "venvhook sync"
	is "drifted project: the line names venvhook sync" "$N" 1
	mark
	run "" "cd sub" "" "cd .." ""
	lines_since "drifted project: prompts and cds inside" 0

	# A pip install inside: the next prompt says it again, with the news.
	mark
	run "python -m pip install -q --no-index --no-deps --disable-pip-version-check $WHEEL >/dev/null 2>&1" ""
	lines_since "after a pip install inside" 1 "1 missing"
	mark
	run "" ""
	lines_since "after a pip install inside: once" 0

	# The file changes (a git pull): said again.
	mark
	run "printf 'wheel==0.0.1\n' >requirements.txt" ""
	lines_since "after the file changed" 1 "1 at another version"

	# Markers: a requirement for another platform is not judged.
	mark
	run "printf 'wheel==0.0.1 ; sys_platform == \"win32\"\nhello-nobody==1.0 ; sys_platform == \"linux\"\n' >requirements.txt" ""
	lines_since "a file with markers: judged for this platform" 1 "differs from 'requirements.txt': 1 missing;"
	mark
	run "printf 'wheel==0.0.1\n' >requirements.txt" ""
	lines_since "... and back" 1 "1 at another version"

	# Leaving and entering again: said again; a matching project is silent.
	mark
	run "cd $R/same" "" "cd $R/plain" "cd $R/drift"
	lines_since "a matching project is silent, entering again says it" 1 "at another version"
	mark
	look VIRTUAL_ENV -- "cd $R/vh"
	isvar ".venvhook names the requirements file: active" VIRTUAL_ENV "$R/vh/.venv"
	lines_since ".venvhook names the requirements file" 1 "differs from 'reqs/dev.txt': 1 missing"

	# Projects without an env: how to make one.
	mark
	run "cd $R/reqonly" "" "cd $R/plain"
	lines_since "requirements.txt only" 1 "'venvhook create -r requirements.txt' makes one"
	mark
	run "cd $R/pyver" "" "cd $R/pyproj" ""
	lines_since "two projects without envs" 2 "this project has no env"
	count_since "'venvhook create -p 3.11' makes one"
	is ".python-version: the command names its version" "$N" 1
	count_since "'venvhook create' makes one"
	is "pyproject.toml: the plain command" "$N" 1
	mark
	run "cd $R/plain" "cd $R/pyproj" "mkdir -p deeper" "cd deeper" "cd .." ""
	lines_since "entering again suggests again, moving below it does not" 1 "this project has no env"

	# The settings turn each off.
	config '[hook]' 'drift = off'
	mark
	run "cd $R/plain" "cd $R/drift" "" "cd $R/reqonly" ""
	lines_since "[hook] drift = off" 1 "this project has no env"
	config '[hook]' 'suggest = off'
	mark
	run "cd $R/plain" "cd $R/drift" "" "cd $R/reqonly" ""
	lines_since "[hook] suggest = off" 1 "differs from"
	config '[hook]' 'notify = off'
	mark
	run "cd $R/plain" "cd $R/drift" "" "cd $R/reqonly" ""
	lines_since "[hook] notify = off" 0
	config '[hook]' 'requirements = other.txt'
	printf 'hello-nobody\nwheel\n' >"$R/drift/other.txt"
	mark
	run "cd $R/plain" "cd $R/drift" ""
	lines_since "[hook] requirements names another file" 1 "differs from 'other.txt': 1 missing"
	sh_stop
}

for_shells body
done_testing
