# b_freeze.sh: venvhook freeze against the env's own pip freeze, in the same
# run, on an env holding more than 100 distributions (120 tiny local wheels
# installed offline once; the env is kept under $TMPDIR for later runs).
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VH=$ROOT/venvhook
FIX=$ROOT/tests/fixture.py
PY=/usr/bin/python3
COUNT=120
DIR=${TMPDIR:-/tmp}/venvhook-bench-freeze-$(id -u)
E=$DIR/env
. "$ROOT/bench/freeze_compare.sh"

if [ ! -f "$DIR/ready-$COUNT-by-name" ] || [ ! -x "$E/bin/pip" ]; then
	echo "building the env ($COUNT wheels, once) in $DIR"
	rm -rf "$DIR" && mkdir -p "$DIR/wheels" || exit 1
	$PY "$FIX" many "$DIR/wheels" "$COUNT" || exit 1
	$PY -m venv "$E" >/dev/null || exit 1
	# By name from a wheel directory, as from an index: name==version lines.
	"$E/bin/python" -m pip install -q --no-compile --no-index --no-deps -f "$DIR/wheels" \
		$(cd "$DIR/wheels" && ls | sed 's/-.*//') \
		>"$DIR/install.log" 2>&1 || { cat "$DIR/install.log"; exit 1; }
	touch "$DIR/ready-$COUNT-by-name"
fi
freeze_compare "$E" "$DIR" "" 50 10 300 || exit 1
