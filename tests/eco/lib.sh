# tests/eco/lib.sh: sourced by the t_*.sh scripts here (exec, migration,
# packaging).  A private HOME and XDG directories, TAP helpers, real envs made
# by Debian's python3.
set -u
cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 2
TOP=$PWD
VH=${VENVHOOK_BIN:-$TOP/venvhook}
PY=/usr/bin/python3
[[ -x $VH ]] || { echo "Bail out! $VH is not built"; exit 2; }
[[ -x $PY ]] || { echo "Bail out! $PY is missing (make deps)"; exit 2; }
umask 022
T=$(mktemp -d "${TMPDIR:-/tmp}/venvhook-eco.XXXXXX") || exit 2
T=$(cd "$T" && pwd -P)
chmod 755 "$T"
CLEANUP=()   # more commands for the trap, in order
eco_cleanup() {
	local c
	for c in "${CLEANUP[@]}"; do eval "$c"; done
	chmod -R u+rwx "$T" 2>/dev/null
	rm -rf "$T"
}
trap eco_cleanup EXIT
trap 'exit 130' INT TERM HUP
export HOME=$T/home XDG_DATA_HOME=$T/data XDG_STATE_HOME=$T/state XDG_CONFIG_HOME=$T/config \
	XDG_CACHE_HOME=$T/cache PATH=/usr/bin:/bin LC_ALL=C.UTF-8
unset VENVHOOK_CONFIG VENVHOOK_HOME WORKON_HOME AUTOSWITCH_VIRTUAL_ENV_DIR PYENV_ROOT \
	PYENV_VERSION VIRTUAL_ENV VIRTUAL_ENV_PROMPT __VENVHOOK_ENV __VENVHOOK_OFF __VENVHOOK_SHELL \
	__VENVHOOK_PYTHONHOME VENVHOOK_DISABLE PYTHONHOME PYTHONPATH
mkdir -p "$HOME"

_n=0 _failed=0
pass() { _n=$((_n + 1)); echo "ok $_n - $1"; }
fail() {
	_n=$((_n + 1)) _failed=$((_failed + 1))
	echo "not ok $_n - $1"
	shift
	local l
	for l in "$@"; do printf '%s\n' "$l" | sed 's/^/#   /'; done
}
# check DESC COMMAND...: ok if COMMAND succeeds.
check() {
	local d=$1
	shift
	if "$@"; then pass "$d"; else fail "$d" "failed: $*"; fi
}
# is DESC GOT WANT
is() {
	if [[ $2 == "$3" ]]; then pass "$1"; else fail "$1" "got:  $2" "want: $3"; fi
}
done_testing() {
	echo "1..$_n"
	((_failed == 0))
}

# mkvenv DIR: a real env without pip (a copy of one template, so that many are
# cheap; venvhook needs only pyvenv.cfg and bin/python).
mkvenv() {
	[[ -e $T/template ]] || "$PY" -m venv --without-pip "$T/template" ||
		{ echo "Bail out! python3 -m venv failed"; exit 2; }
	mkdir -p "${1%/*}" && cp -a "$T/template" "$1"
}
# mkvenv_real DIR: an env whose scripts name its own path.
mkvenv_real() { "$PY" -m venv --without-pip "$1"; }
