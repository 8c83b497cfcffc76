# freeze_compare.sh: sourced by bench/b_freeze*.sh.  pip runs offline, and
# sees no other env.
export PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
unset VIRTUAL_ENV PYTHONPATH

# freeze_compare ENV DIR LABEL TARGET PIP_RUNS VH_RUNS: venvhook freeze and
# the env's own pip freeze on ENV must print the same; then hyperfine times
# both in this run (wall time, and CPU time: user + system; on a loaded
# machine wall time mostly measures waiting for a core) and the ratio is
# printed against TARGET.  DIR holds the outputs.
freeze_compare() {
	local e=$1 dir=$2 label=$3 target=$4 pip_runs=$5 vh_runs=$6 n
	n=$("$e/bin/pip" freeze --all 2>/dev/null | wc -l)
	"$e/bin/pip" freeze >"$dir/pip.out" 2>/dev/null
	"$VH" freeze --env "$e" >"$dir/vh.out" 2>/dev/null
	if ! cmp -s "$dir/pip.out" "$dir/vh.out"; then
		echo "venvhook freeze and pip freeze differ:"; diff "$dir/pip.out" "$dir/vh.out" | head
		return 1
	fi
	hyperfine -N --warmup 2 --runs "$pip_runs" --export-json "$dir/pip.json" "$e/bin/pip freeze" \
		>/dev/null 2>&1 &&
	hyperfine -N --warmup 10 --runs "$vh_runs" --export-json "$dir/vh.json" "$VH freeze --env $e" \
		>/dev/null 2>&1 ||
		{ echo "hyperfine failed (tools/deps.sh installs it)"; return 1; }
	$PY - "$dir/pip.json" "$dir/vh.json" "$n" "$label" "$target" <<'EOPY'
import json, sys
pip, vh = (json.load(open(f))["results"][0] for f in sys.argv[1:3])
n, label, target = sys.argv[3:6]
print(f"env: {n} distributions{label} (pip freeze --all)")
print(f"{'':18} {'wall ms':>9} {'cpu ms':>9} {'runs':>5}")
for name, r in (("pip freeze", pip), ("venvhook freeze", vh)):
    print(f"{name:18} {r['mean'] * 1e3:9.2f} {(r['user'] + r['system']) * 1e3:9.2f} {len(r['times']):5d}")
wall = pip["mean"] / vh["mean"]
cpu = (pip["user"] + pip["system"]) / (vh["user"] + vh["system"])
print(f"venvhook freeze is {wall:.0f}x faster than pip freeze in wall time, "
      f"{cpu:.0f}x in CPU time (target: {target}x)")
EOPY
}
