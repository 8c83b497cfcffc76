# b_freeze_debian.sh: venvhook freeze against the env's own pip freeze on an
# env the way users get one: the metadata of real Debian python3-* packages
# (every 8th of the archive's python3-* names, fetched with apt-get download
# and unpacked with dpkg-deb -x, nothing installed), mostly egg-info with
# long descriptions.  Built once under $TMPDIR; bench/run runs b_freeze.sh
# (the 122-wheel env) just before, so that both ratios print side by side.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VH=$ROOT/venvhook
PY=/usr/bin/python3
DIR=${TMPDIR:-/tmp}/venvhook-bench-freeze-debian-$(id -u)
E=$DIR/env
. "$ROOT/bench/freeze_compare.sh"

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
freeze_compare "$E" "$DIR" " from Debian packages" 100 5 200 || exit 1
