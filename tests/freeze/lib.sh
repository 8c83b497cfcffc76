# lib.sh: shared by tests/freeze/t_*.sh (sourced by bash): tests/lib.sh, a
# private HOME and cache, offline pip, and envs compared with pip freeze.
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VH=${VH_OVERRIDE:-$ROOT/venvhook}
PY=/usr/bin/python3
. "$ROOT/tests/lib.sh"
mkdir -p "$T/home" "$T/cache"
export HOME=$T/home XDG_CACHE_HOME=$T/cache
export GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.invalid
export GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.invalid
export PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PIP_NO_INPUT=1
unset VIRTUAL_ENV PYTHONPATH PYTHONHOME PYTHONUSERBASE _PIP_USE_IMPORTLIB_METADATA
# The system's PATH, not the caller's: pip install runs each rustc on PATH
# for its user agent (a rustup proxy: a tenth of a second of CPU each).
export PATH=$T/bin:/usr/local/bin:/usr/bin:/bin
cd "$T" || exit 2

# show FILE: a file's text as TAP comments.
show() { sed 's/^/#   /' "$1"; }

# make_venv DIR [venv options]: an env with pip, from /usr/bin/python3 unless
# $VENV_PY.  Made by venvhook create (tests/create/t_create.sh shows that its
# tree is python -m venv's; from the seed cache it takes a fraction of the
# time), with its own XDG dirs so that trusting the new env changes nothing
# here, or with VENVHOOK_TEST_VENV=python by python -m venv.  --copies, which
# create does not have: each bin/python* link is then replaced by a copy of
# the interpreter, as python -m venv --copies makes them (it would seed pip
# with ensurepip, seconds).
make_venv() {
	local dir=$1 copies=0 a args=(); shift
	for a; do
		case $a in --copies) copies=1 ;; *) args+=("$a") ;; esac
	done
	case " ${VENVHOOK_TEST_VENV-} " in
	*" python "*)
		"${VENV_PY:-$PY}" -m venv "$@" "$dir" ;;
	*)
		XDG_CACHE_HOME=$SEED_CACHE XDG_DATA_HOME=$T/.mkvenv XDG_STATE_HOME=$T/.mkvenv \
			XDG_CONFIG_HOME=$T/.mkvenv seeded "$VH" create "$dir" -p "${VENV_PY:-$PY}" "${args[@]}" &&
			{ ((!copies)) || copy_pythons "$dir"; } ;;
	esac >/dev/null 2>"$T/venv.err" || { show "$T/venv.err"; return 1; }
}
# copy_pythons ENV: each bin/python* link replaced by a copy of the file it leads to.
copy_pythons() {
	local f
	for f in "$1"/bin/python*; do
		[ -L "$f" ] || continue
		cp "$(readlink -f "$f")" "$f.copy" && mv "$f.copy" "$f" || return 1
	done
}

# pip_version ENV: "pip X.Y", for a test's name: what pip -V names, read from
# the directory pip installed (pip -V takes a Python start and pip's imports).
pip_version() {
	local d=("$1"/lib/python3.*/site-packages/pip-*.dist-info)
	d=${d[0]##*/pip-}
	echo "pip ${d%.dist-info}"
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
		pass "$desc"
	else
		fail "$desc (pip status $ps, venvhook status $vs)"
		diff "$T/pip.out" "$T/vh.out" | sed 's/^/#   /' | head -n 40
		show "$T/vh.err"
	fi
}
