# tests/registry/lib.sh: sourced by the t_*.sh scripts here.  tests/lib.sh, a
# private HOME and XDG directories, and real envs made by Debian's python3.
set -u
cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 2
VH=$PWD/venvhook
PY=/usr/bin/python3
[[ -x $VH ]] || { echo "Bail out! $VH is not built"; exit 2; }
[[ -x $PY ]] || { echo "Bail out! $PY is missing (make deps)"; exit 2; }
. tests/lib.sh
export HOME=$T/home XDG_DATA_HOME=$T/data XDG_STATE_HOME=$T/state XDG_CONFIG_HOME=$T/config \
	XDG_CACHE_HOME=$T/cache
unset VENVHOOK_CONFIG VENVHOOK_HOME WORKON_HOME VIRTUAL_ENV VIRTUAL_ENV_PROMPT __VENVHOOK_ENV \
	__VENVHOOK_OFF __VENVHOOK_SHELL VENVHOOK_DISABLE PYTHONHOME
mkdir -p "$HOME"
REG=$XDG_STATE_HOME/venvhook/registry
CONF=$XDG_CONFIG_HOME/venvhook/config.ini

# mkenv DIR: a real venv, without pip.
mkenv() { "$PY" -m venv --without-pip "$1" || { echo "Bail out! cannot make a venv at $1"; exit 2; }; }
# cpenv DIR: a copy of one real venv (its links name /usr/bin/python3, so a
# copy is as good an env as the original, and python starts once, not N times).
cpenv() {
	[[ -d $T/.template ]] || mkenv "$T/.template"
	cp -a "$T/.template" "$1" || { echo "Bail out! cannot copy a venv to $1"; exit 2; }
}

# jq-like queries on `venvhook list --json`, with python3.
#   listjson EXPR [LIST ARGS...]: prints eval(EXPR) with `envs` bound to the array.
listjson() {
	local expr=$1
	shift
	"$VH" list --json "$@" | "$PY" -c '
import json, sys
envs = json.load(sys.stdin)
by = {e["env"]: e for e in envs}
r = eval(sys.argv[1])
print(r if not isinstance(r, (list, dict)) else json.dumps(r, sort_keys=True))' "$expr"
}

# hook DIR [ARGS...]: the prompt hook's output for DIR, as bash would run it.
hook() {
	local d=$1
	shift
	(cd "$d" && PWD=$d __VENVHOOK_SHELL=bash "$VH" hook bash "$@")
}
