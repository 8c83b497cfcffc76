#!/bin/sh
# packaging/mkdeb.sh OUTDIR VERSION: builds OUTDIR/venvhook_VERSION-1_ARCH.deb
# with dpkg-deb from `make install` into a staging directory (run by make deb):
# the static binary, the man page, the integration scripts and the three
# shells' completions, in the places Debian's bash-completion, zsh and fish
# look.  Prints the package's path.
set -eu
out=$1 version=$2
make=${MAKE:-make}
command -v dpkg-deb >/dev/null || { echo "mkdeb: dpkg-deb is missing" >&2; exit 1; }
arch=$(dpkg --print-architecture)
stage=$out/deb-stage
rm -rf "$stage"
mkdir -p "$out"
umask 022
$make -s install DESTDIR="$stage" PREFIX=/usr ZSHCOMPDIR=/usr/share/zsh/vendor-completions >/dev/null
gzip -9n "$stage/usr/share/man/man1/venvhook.1"
install -d "$stage/usr/share/doc/venvhook"
gzip -9n <README.md >"$stage/usr/share/doc/venvhook/README.md.gz"
chmod 644 "$stage/usr/share/doc/venvhook/README.md.gz"
install -d "$stage/DEBIAN"
size=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
sed -e "s/@VERSION@/$version-1/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" \
	packaging/control.in >"$stage/DEBIAN/control"
(cd "$stage" && find usr -type f | LC_ALL=C sort | xargs md5sum) >"$stage/DEBIAN/md5sums"
chmod 644 "$stage/DEBIAN/control" "$stage/DEBIAN/md5sums"
deb=$out/venvhook_$version-1_$arch.deb
# The same tree gives the same package: times from the last commit.
if [ -z "${SOURCE_DATE_EPOCH-}" ] && SOURCE_DATE_EPOCH=$(git log -1 --format=%ct 2>/dev/null); then
	export SOURCE_DATE_EPOCH
fi
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
rm -rf "$stage"
echo "$deb"
