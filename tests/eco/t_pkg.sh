#!/bin/bash
# Packaging: make dist gives a tarball that builds; make deb gives a Debian
# package that dpkg -i installs (binary, man page, integration scripts,
# completions where bash-completion, zsh and fish find them), that works from
# the installed paths, and that dpkg --purge removes leaving nothing.
# The dpkg part needs root and dpkg; it will not touch an installed venvhook.
. "$(dirname "$0")/lib.sh"
MAKE=${MAKE:-make}
# Run from make check, the inherited flags would have make print its
# directory into the output read here.
unset MAKEFLAGS MFLAGS MAKELEVEL
VERSION=$(sed -n 's/^#define VENVHOOK_VERSION "\(.*\)"/\1/p' src/lib/util.h)

# --- make dist -------------------------------------------------------------------
tarball=$($MAKE -s dist DISTDIR="$T/dist")
is "make dist names its tarball" "$tarball" "$T/dist/venvhook-$VERSION.tar.gz"
tar -tzf "$tarball" >"$T/list" 2>/dev/null
missing=
for f in Makefile README.md man/venvhook.1 src/main.c src/cmd/exec.c src/hook/migrate.c shell/bash/venvhook.bash \
	completions/venvhook.bash completions/_venvhook completions/venvhook.fish \
	packaging/mkdeb.sh tools/embed.sh tests/run; do
	grep -qx "venvhook-$VERSION/$f" "$T/list" || missing+=" $f"
done
is "the tarball holds the sources under venvhook-$VERSION/" "$missing" ""
is "and no build products" "$(grep -E "\.o\$|\.a\$|^venvhook-$VERSION/venvhook\$|/src/scripts\.c\$|\.deb\$" "$T/list")" ""
again=$($MAKE -s dist DISTDIR="$T/dist2")
ok "the same tree gives the same bytes" cmp -s "$tarball" "$again"
mkdir -p "$T/unpack"
tar -xzf "$tarball" -C "$T/unpack"
# Without optimization: what is checked is that the tarball holds all the
# build needs (the compiler's work is a third of -O2 -g's).
if (cd "$T/unpack/venvhook-$VERSION" && $MAKE -s -j2 venvhook CFLAGS=-O0 >"$T/build.log" 2>&1); then
	pass "the tarball builds"
	is "and the build runs" "$("$T/unpack/venvhook-$VERSION/venvhook" --version)" "venvhook $VERSION"
else
	fail "the tarball builds" "$(tail -n 15 "$T/build.log")"
fi

# --- make install, make uninstall ------------------------------------------------------
S=$T/stage
$MAKE -s install DESTDIR="$S" PREFIX=/opt/vh >/dev/null 2>"$T/install.log"
missing=
for f in bin/venvhook share/man/man1/venvhook.1 share/venvhook/bash/venvhook.bash \
	share/venvhook/zsh/venvhook.zsh share/venvhook/fish/venvhook.fish \
	share/bash-completion/completions/venvhook share/zsh/site-functions/_venvhook \
	share/fish/vendor_completions.d/venvhook.fish; do
	[[ -f $S/opt/vh/$f ]] || missing+=" $f"
done
is "make install DESTDIR= PREFIX= puts everything under DESTDIR/PREFIX" "$missing" ""
is "and nothing elsewhere" "$(cd "$S" && find . -type f ! -path './opt/vh/*')" ""
$MAKE -s uninstall DESTDIR="$S" PREFIX=/opt/vh >/dev/null 2>&1
is "make uninstall removes every file" "$(cd "$S" && find . -type f)" ""

# --- make deb, dpkg -i, dpkg --purge ---------------------------------------------------
if [[ $(id -u) != 0 ]] || ! command -v dpkg-deb >/dev/null; then
	skip "the Debian package needs root and dpkg"
	done_testing
fi
if dpkg -s venvhook >/dev/null 2>&1; then
	skip "a venvhook package is installed already: not touching it"
	done_testing
fi
# dpkg's own lock, and the machine's apt lock, when there is one.
# dpkg wants the sbin directories on PATH.
locked() {
	local path=/usr/local/sbin:/usr/sbin:/sbin:$PATH
	if command -v flock >/dev/null; then PATH=$path flock /tmp/apt.lock "$@"; else PATH=$path "$@"; fi
}

deb=$($MAKE -s deb DISTDIR="$T/deb")
arch=$(dpkg --print-architecture)
is "make deb names its package" "$deb" "$T/deb/venvhook_$VERSION-1_$arch.deb"
dpkg-deb -c "$deb" | awk '{ print $NF }' | sed 's|^\./|/|; s|/$||' >"$T/contents"
missing=
for f in /usr/bin/venvhook /usr/share/man/man1/venvhook.1.gz \
	/usr/share/venvhook/bash/venvhook.bash /usr/share/venvhook/zsh/venvhook.zsh \
	/usr/share/venvhook/fish/venvhook.fish /usr/share/bash-completion/completions/venvhook \
	/usr/share/zsh/vendor-completions/_venvhook /usr/share/fish/vendor_completions.d/venvhook.fish; do
	grep -qx "$f" "$T/contents" || missing+=" $f"
done
is "the package holds binary, man page, scripts and completions" "$missing" ""
is "its control file" "$(dpkg-deb -f "$deb" Package Version Architecture)" \
	"Package: venvhook
Version: $VERSION-1
Architecture: $arch"
is "the integration scripts name the installed binary" \
	"$(dpkg-deb --fsys-tarfile "$deb" | tar -xOf - ./usr/share/venvhook/bash/venvhook.bash |
		grep '^__venvhook_bin=')" "__venvhook_bin='/usr/bin/venvhook'"

installed=
purge() { [[ -n $installed ]] && locked dpkg --purge venvhook >/dev/null 2>&1; installed=; }
at_exit purge    # a failed run leaves no package behind
# The install leaves the triggers it sets off (man-db's index of the man pages:
# seconds where there are thousands) to the purge, which runs them once.
if locked dpkg -i --no-triggers "$deb" >"$T/dpkg.log" 2>&1; then
	installed=1
	pass "dpkg -i installs it"
else
	fail "dpkg -i installs it" "$(cat "$T/dpkg.log")"
fi
is "venvhook --version from /usr/bin" "$(cd / && env -i PATH=/usr/bin:/bin venvhook --version)" \
	"venvhook $VERSION"
is "man finds the page" "$(zcat /usr/share/man/man1/venvhook.1.gz | grep -m1 '^\.Dt')" ".Dt VENVHOOK 1"
# Each shell's completion, found where that shell's own setup looks.
H=$T/dhome
mkdir -p "$H"
got=$(env -i HOME="$H" PATH=/usr/bin:/bin bash --norc -c '
	source /usr/share/bash-completion/bash_completion
	__load_completion venvhook || exit 1
	COMP_WORDS=(venvhook fre); COMP_CWORD=1; COMP_LINE="venvhook fre"; COMP_POINT=12
	_venvhook venvhook fre venvhook; echo "${COMPREPLY[*]}"' 2>&1)
is "bash-completion loads the bash completion" "$got" freeze
got=$(env -i HOME="$H" PATH=/usr/bin:/bin zsh -fc '
	autoload -Uz compinit && compinit -u -D && print -r -- ${_comps[venvhook]}' 2>&1)
is "zsh's compinit finds _venvhook on its default fpath" "$got" _venvhook
got=$(env -i HOME="$H" PATH=/usr/bin:/bin fish -c 'complete -C "venvhook init f"' 2>&1)
is "fish finds its completion" "$got" fish
got=$(env -i HOME="$H" PATH=/usr/bin:/bin fish -c 'complete -C "venvhook exec --e"' 2>&1)
is "fish completes exec's --env" "${got%%$'\t'*}" --env

if locked dpkg --purge venvhook >"$T/dpkg.log" 2>&1; then
	installed=
	pass "dpkg --purge removes it"
else
	fail "dpkg --purge removes it" "$(cat "$T/dpkg.log")"
fi
left=
while read -r f; do
	case $f in
	/usr/bin/venvhook|*venvhook*) [[ -e $f || -L $f ]] && left+=" $f" ;;
	esac
done <"$T/contents"
is "nothing of it is left" "$left" ""
ok "dpkg knows it no more" bash -c '! dpkg -s venvhook >/dev/null 2>&1'
done_testing
