#!/bin/sh
# packaging/mkdist.sh OUTDIR VERSION: the release tarball
# OUTDIR/venvhook-VERSION.tar.gz of the files git tracks (as they are in the
# work tree), under venvhook-VERSION/, with fixed owners, order and times so
# that the same tree gives the same bytes.  Prints its path.
set -eu
out=$1 version=$2
command -v git >/dev/null && git rev-parse --git-dir >/dev/null 2>&1 ||
	{ echo "mkdist: make dist needs a git checkout" >&2; exit 1; }
name=venvhook-$version
mkdir -p "$out"
tarball=$out/$name.tar.gz
mtime=$(git log -1 --format=%ct 2>/dev/null || echo 0)
git ls-files -z | LC_ALL=C sort -z |
	tar --null -T - --transform "s|^|$name/|" --sort=name --owner=0 --group=0 \
		--numeric-owner --mode=go-w --mtime="@$mtime" -cf - |
	gzip -9n >"$tarball.tmp"
mv "$tarball.tmp" "$tarball"
echo "$tarball"
