# b_freeze_debian.sh: venvhook freeze against the env's own pip freeze on an
# env the way users get one: the metadata of real Debian python3-* packages
# (every 8th of the archive's python3-* names, fetched with apt-get download
# and unpacked with dpkg-deb -x, nothing installed), mostly egg-info with
# long descriptions.  Built once under $TMPDIR; the 122-wheel env of
# b_freeze.sh is measured too, so that both ratios print side by side.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VH=$ROOT/venvhook
PY=/usr/bin/python3
DIR=${TMPDIR:-/tmp}/venvhook-bench-freeze-debian-$(id -u)
E=$DIR/env
export PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
unset VIRTUAL_ENV PYTHONPATH

if [ ! -f "$DIR/ready" ] || [ ! -x "$E/bin/pip" ]; then
	echo "building the env (Debian packages' metadata, once) in $DIR"
	rm -rf "$DIR" && mkdir -p "$DIR/debs" "$DIR/root" || exit 1
	apt-cache pkgnames python3- | grep -vE -- '-(dbg|dbgsym|dev|doc)$' | LC_ALL=C sort |
		awk 'NR % 8 == 1' >"$DIR/names"
	# One name at a time would take long: apt-get download takes many, and
	# a name it cannot download (virtual, not for this architecture) is
	# dropped and the rest retried.
	(cd "$DIR/debs" && xargs -a "$DIR/names" apt-get download -q >"$DIR/download.log" 2>&1) ||
	(cd "$DIR/debs" && while read -r n; do apt-get download -q "$n" >/dev/null 2>&1; done <"$DIR/names")
	for d in "$DIR"/debs/*.deb; do dpkg-deb -x "$d" "$DIR/root" || exit 1; done
	$PY -m venv "$E" >/dev/null || exit 1
	SP=$(echo "$E"/lib/python3.*/site-packages)
	# The metadata only: what pip freeze reads.
	for m in "$DIR"/root/usr/lib/python3/dist-packages/*.dist-info \
		 "$DIR"/root/usr/lib/python3/dist-packages/*.egg-info; do
		[ -e "$m" ] && cp -a "$m" "$SP/"
	done
	touch "$DIR/ready"
fi
n=$("$E/bin/pip" freeze --all 2>/dev/null | wc -l)
"$E/bin/pip" freeze >"$DIR/pip.out" 2>/dev/null
"$VH" freeze --env "$E" >"$DIR/vh.out" 2>/dev/null
if ! cmp -s "$DIR/pip.out" "$DIR/vh.out"; then
	echo "venvhook freeze and pip freeze differ:"; diff "$DIR/pip.out" "$DIR/vh.out" | head
	exit 1
fi
hyperfine -N --warmup 2 --runs 5 --export-json "$DIR/pip.json" "$E/bin/pip freeze" >/dev/null 2>&1 &&
hyperfine -N --warmup 10 --runs 200 --export-json "$DIR/vh.json" "$VH freeze --env $E" >/dev/null 2>&1 ||
	{ echo "hyperfine failed (tools/deps.sh installs it)"; exit 1; }
$PY - "$DIR/pip.json" "$DIR/vh.json" "$n" <<'EOPY'
import json, sys
pip, vh = (json.load(open(f))["results"][0] for f in sys.argv[1:3])
print(f"env: {sys.argv[3]} distributions from Debian packages (pip freeze --all)")
print(f"{'':18} {'wall ms':>9} {'cpu ms':>9} {'runs':>5}")
for name, r in (("pip freeze", pip), ("venvhook freeze", vh)):
    print(f"{name:18} {r['mean'] * 1e3:9.2f} {(r['user'] + r['system']) * 1e3:9.2f} {len(r['times']):5d}")
wall = pip["mean"] / vh["mean"]
cpu = (pip["user"] + pip["system"]) / (vh["user"] + vh["system"])
print(f"Debian env: venvhook freeze is {wall:.0f}x faster than pip freeze in wall time, "
      f"{cpu:.0f}x in CPU time (target: 100x)")
EOPY
