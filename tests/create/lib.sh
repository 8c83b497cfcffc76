# tests/create/lib.sh: shared by the create and rm tests.  Source it from a
# t_*.sh run from the repository root (as tests/run does).

ROOT=$(pwd)
VH=$ROOT/venvhook
. "$ROOT/tests/lib.sh"

quiet() {   # quiet COMMAND...: runs it without output
	"$@" >/dev/null 2>&1
}

# Every test gets its own home, data and state under tests/lib.sh's $T; the
# seed cache is tests/lib.sh's $SEED_CACHE.
export HOME=$T/home XDG_DATA_HOME=$T/data XDG_STATE_HOME=$T/state XDG_CONFIG_HOME=$T/config
export XDG_CACHE_HOME=$SEED_CACHE
mkdir -p "$HOME" "$XDG_CACHE_HOME"
chmod 700 "$XDG_CACHE_HOME"
unset VIRTUAL_ENV VIRTUAL_ENV_PROMPT __VENVHOOK_ENV __VENVHOOK_SHELL __VENVHOOK_OFF \
	PYTHONHOME PYTHONPATH PYENV_VERSION PIP_REQUIRE_VIRTUALENV PIP_INDEX_URL
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 PIP_NO_CACHE_DIR=1
# No pyenv unless a test sets one up.
export PYENV_ROOT=$T/no-pyenv
export PATH=$T/bin:/usr/local/bin:/usr/bin:/bin

# The interpreters to test: Debian's python3 always, and pyenv's 3.8 and
# newer if there are any (REAL_PYENV_ROOT, default ~/.pyenv of the user).
interpreters() {
	echo /usr/bin/python3
	local root=${REAL_PYENV_ROOT:-$(getent passwd "$(id -u)" | cut -d: -f6)/.pyenv}
	local d v
	for d in "$root"/versions/*; do
		v=${d##*/}
		[[ $v =~ ^3\.([0-9]+)\.[0-9]+$ ]] && [ "${BASH_REMATCH[1]}" -ge 8 ] &&
			[ -x "$d/bin/python3" ] && echo "$d/bin/python3"
	done
	return 0
}

# make_wheel DIR: a wheel hello-vh 1.0 into DIR, with a console script
# hello-vh that prints "hello from hello_vh".
make_wheel() { mkdir -p "$1" && fixture app "$1" hello-vh 1.0 "hello from hello_vh" >/dev/null; }

# snapshot DIR: what is in DIR, to compare before and after: each entry's
# path, type, mode, size and inode, and each file's digest.  snapshot_times
# adds the modification times.
snapshot() {
	(cd "$1" && find . -printf '%P %y %m %s %i\n' | LC_ALL=C sort &&
		find . -type f -exec md5sum {} + | LC_ALL=C sort)
}
snapshot_times() {
	(cd "$1" && find . -printf '%P %y %m %s %i %T@\n' | LC_ALL=C sort &&
		find . -type f -exec md5sum {} + | LC_ALL=C sort)
}

# run EXPECTED_STATUS ARGS...: runs venvhook, keeps stderr in $err.
run() {
	local want=$1
	shift
	"$VH" "$@" >"$T/out" 2>"$T/err"
	status=$?
	err=$(cat "$T/err")
	if [ "$status" -ne "$want" ]; then
		diag "exit status $status, want $want" "$err"
		return 1
	fi
}

one_line() {    # one_line PATTERN: stderr is one "venvhook: " line matching PATTERN
	local lines
	lines=$(wc -l <"$T/err")
	[ "$lines" -eq 1 ] && [[ $err == "venvhook: "* ]] && [[ $err == *$1* ]] && return 0
	diag "stderr ($lines lines): $err" "want one line matching: $1"
	return 1
}
