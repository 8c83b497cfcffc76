# lib.sh: shared by tests/freeze/t_*.sh and bench/b_freeze.sh (sourced by bash).
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VH=${VH_OVERRIDE:-$ROOT/venvhook}
FIX=$ROOT/tests/freeze/fixture.py
PY=/usr/bin/python3
T=$(mktemp -d "${TMPDIR:-/tmp}/vh-freeze.XXXXXX")
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/home" "$T/cache"
export HOME=$T/home XDG_CACHE_HOME=$T/cache
export GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.invalid
export GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.invalid
export PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PIP_NO_INPUT=1
unset VIRTUAL_ENV PYTHONPATH PYTHONHOME PYTHONUSERBASE _PIP_USE_IMPORTLIB_METADATA
cd "$T" || exit 2

tap_n=0 tap_failed=0
ok() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $1"; }
not_ok() { tap_n=$((tap_n + 1)); tap_failed=$((tap_failed + 1)); echo "not ok $tap_n - $1"; }
# check DESCRIPTION COMMAND...: ok when the command succeeds.
check() { local d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d"; fi; }
done_testing() { echo "1..$tap_n"; [ "$tap_failed" -eq 0 ]; }
# show FILE: a file's text as TAP comments.
show() { sed 's/^/#   /' "$1"; }

# make_venv DIR [venv options]: an env with pip, from /usr/bin/python3 unless $VENV_PY.
make_venv() {
	local dir=$1; shift
	"${VENV_PY:-$PY}" -m venv "$@" "$dir" >/dev/null 2>"$T/venv.err" || { show "$T/venv.err"; return 1; }
}

# pip_install ENV ARGS...: offline, without build isolation or dependencies.
pip_install() {
	local env=$1; shift
	"$env/bin/python" -m pip install -q --no-compile --no-index --no-deps --no-build-isolation "$@" \
		>"$T/pip-install.log" 2>&1 || { show "$T/pip-install.log"; return 1; }
}

# same_as_pip ENV DESCRIPTION [freeze options]: venvhook freeze == the env's pip freeze.
same_as_pip() {
	local env=$1 desc=$2; shift 2
	"$env/bin/pip" freeze "$@" >"$T/pip.out" 2>"$T/pip.err"
	local ps=$?
	"$VH" freeze --env "$env" "$@" >"$T/vh.out" 2>"$T/vh.err"
	local vs=$?
	if [ "$ps" -eq 0 ] && [ "$vs" -eq 0 ] && cmp -s "$T/pip.out" "$T/vh.out" && [ -s "$T/pip.out" ]; then
		ok "$desc"
	else
		not_ok "$desc (pip status $ps, venvhook status $vs)"
		diff "$T/pip.out" "$T/vh.out" | sed 's/^/#   /' | head -n 40
		show "$T/vh.err"
	fi
}
