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
export PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
unset VIRTUAL_ENV PYTHONPATH

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
n=$("$E/bin/pip" freeze --all 2>/dev/null | wc -l)
"$E/bin/pip" freeze >"$DIR/pip.out" 2>/dev/null
"$VH" freeze --env "$E" >"$DIR/vh.out" 2>/dev/null
if ! cmp -s "$DIR/pip.out" "$DIR/vh.out"; then
	echo "venvhook freeze and pip freeze differ:"; diff "$DIR/pip.out" "$DIR/vh.out" | head
	exit 1
fi

# hyperfine measures both, in this run: wall time and CPU time (user +
# system) per run.  On a loaded machine wall time mostly measures waiting
# for a core; CPU time is the work each does.
hyperfine -N --warmup 3 --runs 10 --export-json "$DIR/pip.json" "$E/bin/pip freeze" >/dev/null 2>&1 &&
hyperfine -N --warmup 10 --runs 300 --export-json "$DIR/vh.json" "$VH freeze --env $E" >/dev/null 2>&1 ||
	{ echo "hyperfine failed (tools/deps.sh installs it)"; exit 1; }
$PY - "$DIR/pip.json" "$DIR/vh.json" "$n" <<'EOPY'
import json, sys
pip, vh = (json.load(open(f))["results"][0] for f in sys.argv[1:3])
print(f"env: {sys.argv[3]} distributions (pip freeze --all)")
print(f"{'':18} {'wall ms':>9} {'cpu ms':>9} {'runs':>5}")
for name, r in (("pip freeze", pip), ("venvhook freeze", vh)):
    print(f"{name:18} {r['mean'] * 1e3:9.2f} {(r['user'] + r['system']) * 1e3:9.2f} {len(r['times']):5d}")
wall = pip["mean"] / vh["mean"]
cpu = (pip["user"] + pip["system"]) / (vh["user"] + vh["system"])
print(f"venvhook freeze is {wall:.0f}x faster than pip freeze in wall time, "
      f"{cpu:.0f}x in CPU time (target: 50x)")
EOPY
