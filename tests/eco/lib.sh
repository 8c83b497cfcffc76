# tests/eco/lib.sh: sourced by the t_*.sh scripts here (exec, migration,
# packaging).  tests/lib.sh, a private HOME and XDG directories, real envs
# made by Debian's python3.
set -u
cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 2
TOP=$PWD
VH=${VENVHOOK_BIN:-$TOP/venvhook}
PY=/usr/bin/python3
[[ -x $VH ]] || { echo "Bail out! $VH is not built"; exit 2; }
[[ -x $PY ]] || { echo "Bail out! $PY is missing (make deps)"; exit 2; }
. tests/lib.sh
CLEANUP=()   # more commands for the cleanup, in order
at_exit 'for __c in "${CLEANUP[@]}"; do eval "$__c"; done'
export HOME=$T/home XDG_DATA_HOME=$T/data XDG_STATE_HOME=$T/state XDG_CONFIG_HOME=$T/config \
	XDG_CACHE_HOME=$T/cache PATH=/usr/bin:/bin LC_ALL=C.UTF-8
unset VENVHOOK_CONFIG VENVHOOK_HOME WORKON_HOME AUTOSWITCH_VIRTUAL_ENV_DIR PYENV_ROOT \
	PYENV_VERSION VIRTUAL_ENV VIRTUAL_ENV_PROMPT __VENVHOOK_ENV __VENVHOOK_OFF __VENVHOOK_SHELL \
	__VENVHOOK_PYTHONHOME VENVHOOK_DISABLE PYTHONHOME PYTHONPATH
mkdir -p "$HOME"

# mkvenv DIR: a real env without pip (a copy of one template, so that many are
# cheap; venvhook needs only pyvenv.cfg and bin/python).
mkvenv() {
	[[ -e $T/template ]] || "$PY" -m venv --without-pip "$T/template" ||
		{ echo "Bail out! python3 -m venv failed"; exit 2; }
	mkdir -p "${1%/*}" && cp -a "$T/template" "$1"
}
# mkvenv_real DIR: an env whose scripts name its own path.
mkvenv_real() { "$PY" -m venv --without-pip "$1"; }
