# lib.sh: sourced by the benchmarks that run venvhook in a home of their own,
# from the top of the tree: VH and PY, and T, a temporary directory (removed
# at exit) holding HOME and the XDG directories; no env is active.
cd "$(dirname "$0")/.."
VH=$PWD/venvhook
PY=/usr/bin/python3
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
export HOME=$T/home XDG_DATA_HOME=$T/data XDG_CONFIG_HOME=$T/config XDG_STATE_HOME=$T/state \
	XDG_CACHE_HOME=$T/cache
unset VIRTUAL_ENV __VENVHOOK_ENV
mkdir -p "$HOME"
