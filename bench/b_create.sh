#!/bin/bash
# venvhook create against python -m venv and virtualenv, in one run, on
# Debian's python3: with pip (targets: at most 1/20 of python -m venv's
# time, and faster than virtualenv) and without pip (target: at most 1/5
# of python -m venv --without-pip).  Each tool's cache is warmed first:
# venvhook's seed cache, virtualenv's app-data.  Every run creates a fresh
# env in the same directory, removed before the run (not timed).
set -u
cd "$(dirname "$0")/.." || exit 2
VH=$PWD/venvhook
PY=/usr/bin/python3
for tool in hyperfine virtualenv; do
	command -v $tool >/dev/null || { echo "b_create: $tool is missing (make deps)" >&2; exit 2; }
done
T=$(mktemp -d "${TMPDIR:-/tmp}/venvhook-bench.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
export HOME=$T/home XDG_CACHE_HOME=$T/cache XDG_DATA_HOME=$T/data
export PIP_DISABLE_PIP_VERSION_CHECK=1 VIRTUALENV_NO_PERIODIC_UPDATE=1
unset VIRTUAL_ENV PYTHONHOME PYTHONPATH
mkdir -p "$HOME"
cd "$T" || exit 2

"$VH" create warm -p $PY >/dev/null || exit 1
virtualenv -q -p $PY warm-ve >/dev/null || exit 1
rm -rf warm warm-ve

# bench NAME RUNS WARMUP COMMAND...: mean and standard deviation in
# seconds into $T/NAME.mean
bench() {
	local name=$1 runs=$2 warmup=$3
	shift 3
	hyperfine -N --style none --warmup "$warmup" --runs "$runs" --prepare "rm -rf $T/env" \
		--export-json "$T/$name.json" -- "$*" >/dev/null 2>&1 || { echo "b_create: $name failed" >&2; exit 1; }
	$PY -c 'import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print("%.6f %.6f" % (r["mean"], r["stddev"] or 0))' "$T/$name.json" >"$T/$name.mean"
}

bench vh_pip 20 2 "$VH" create "$T/env" -p $PY
bench venv_pip 3 0 $PY -m venv "$T/env"
bench virtualenv 5 0 virtualenv -q -p $PY "$T/env"
bench vh_nopip 30 2 "$VH" create "$T/env" -p $PY --without-pip
bench venv_nopip 10 1 $PY -m venv --without-pip "$T/env"

$PY - "$T" <<'EOF'
import sys
t = sys.argv[1]
m = {}
for k in ("vh_pip", "venv_pip", "virtualenv", "vh_nopip", "venv_nopip"):
    mean, sd = map(float, open("%s/%s.mean" % (t, k)).read().split())
    m[k] = (mean, sd)
def ms(k):
    return "%8.1f ms ± %5.1f" % (m[k][0] * 1000, m[k][1] * 1000)
def ratio(a, b):
    return m[a][0] / m[b][0]
print("with pip")
print("  venvhook create                 %s" % ms("vh_pip"))
print("  python -m venv                  %s   venvhook takes 1/%.0f of it (target 1/20: %s)"
      % (ms("venv_pip"), 1 / ratio("vh_pip", "venv_pip"), "met" if ratio("vh_pip", "venv_pip") <= 1 / 20 else "MISSED"))
print("  virtualenv                      %s   venvhook takes 1/%.1f of it (target < 1: %s)"
      % (ms("virtualenv"), 1 / ratio("vh_pip", "virtualenv"), "met" if ratio("vh_pip", "virtualenv") < 1 else "MISSED"))
print("without pip")
print("  venvhook create --without-pip   %s" % ms("vh_nopip"))
print("  python -m venv --without-pip    %s   venvhook takes 1/%.1f of it (target 1/5: %s)"
      % (ms("venv_nopip"), 1 / ratio("vh_nopip", "venv_nopip"), "met" if ratio("vh_nopip", "venv_nopip") <= 1 / 5 else "MISSED"))
EOF
