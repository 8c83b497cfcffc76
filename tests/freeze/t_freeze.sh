# t_freeze.sh: venvhook freeze against the env's own pip freeze, on one env
# holding every kind of installation pip freeze knows.
. "$(dirname "$0")/lib.sh"

E=$T/env
W=$T/wheels
mkdir -p "$W" "$T/src"
make_venv "$E" || { echo "Bail out! cannot make a venv"; exit 1; }
SP=$(echo "$E"/lib/python3.*/site-packages)

# Wheels pip installs: names with capitals, '_' and '.', versions that
# normalize, and the build tools from Debian's wheel directory.  An archive
# installed from a URL with a hash (PEP 610 archive_info).  An sdist, a local
# directory, editable projects: one built by setuptools, as most are, the
# others by fixture.py (the same metadata from pip, in a tenth of the time).
# One Python start makes them all.
mkdir -p "$T/src/mono"
fx=()
for spec in "Cap_Name.Pkg 1.0.0rc1 Cap_Name.Pkg-1.0.0rc1.dist-info 1.0.0-rc1" \
	    "zope.fake 5.1" "under_score 0.01" "apple 2" "Banana 3.0.post0 Banana-3.0.post0.dist-info 3.0-0" \
	    "cherry 1.0+Local.007" "MixedCase 4!1.0a" "hashed 1.5"; do
	fx+=(wheel "$W" $spec --)
done
fx+=(sdist "$T/src" sdist-pkg 0.3 --
	project "$T/src/dirproj" dir_proj 1.1 --
	project "$T/src/plain" Edit-Plain 0.1 setuptools --
	project "$T/src/gitproj" Edit.Git 0.2 --
	project "$T/src/noremote" edit_noremote 0.4 --
	project "$T/src/goneremote" Gone_Remote 0.6 --
	project "$T/src/mono/sub" mono-sub 0.5 --
	project "$T/src/vcsrepo" vcs-pkg 2.0)
made=$(fixture "${fx[@]}") || { echo "Bail out! fixture.py failed"; exit 1; }
HW=$(grep '/hashed-1.5-' <<<"$made")
SD=$(grep '/sdist-pkg-0.3.tar.gz$' <<<"$made")
HASH=$(sha256sum "$HW" | cut -d' ' -f1)
mv "$HW" "$T/src/"
HW=$T/src/$(basename "$HW")
git_init() { git -C "$1" init -q -b main && git -C "$1" add -A && git -C "$1" commit -q -m init; }
git_init "$T/src/gitproj" && git_init "$T/src/noremote" && git_init "$T/src/mono" &&
	git_init "$T/src/goneremote" &&
	git_init "$T/src/vcsrepo" || echo "# git failed"
git clone -q --bare "$T/src/gitproj" "$T/src/remote.git"
git -C "$T/src/gitproj" remote add origin "$T/src/remote.git"
git -C "$T/src/mono" remote add upstream git@example.invalid:team/mono.git
git -C "$T/src/goneremote" remote add origin "$T/src/deleted.git"

pip_install "$E" -f /usr/share/python-wheels wheel &&
pip_install "$E" -f "$W" Cap_Name.Pkg zope.fake under_score apple Banana cherry MixedCase \
	"hashed @ file://$HW#sha256=$HASH" "$SD" "$T/src/dirproj" \
	"git+file://$T/src/vcsrepo@main#egg=vcs-pkg" \
	-e "$T/src/plain" -e "$T/src/gitproj" -e "$T/src/noremote" -e "$T/src/mono/sub" -e "$T/src/goneremote" ||
	{ echo "Bail out! pip install failed"; exit 1; }

# Hand-made metadata pip reads but would not write today.
distinfo "$SP" Legacy_Egg-2.1-py3.11.egg-info "Metadata-Version: 1.1" "Name: Legacy-Egg" "Version: 2.1"
printf 'Metadata-Version: 1.0\nName: distutils_file\nVersion: 0.9\n' >"$SP/distutils_file-0.9-py3.11.egg-info"
# An .egg-info directory with a METADATA too (read first, unless empty),
# one with a direct_url.json, and an .egg-info file behind a link.
mkdir -p "$SP/both_files-1.0.egg-info" "$SP/empty_meta-1.0.egg-info" "$SP/egg_url-1.0.egg-info"
printf 'Name: both-files\nVersion: 1.1\n' >"$SP/both_files-1.0.egg-info/METADATA"
printf 'Name: both-files\nVersion: 1.0\n' >"$SP/both_files-1.0.egg-info/PKG-INFO"
: >"$SP/empty_meta-1.0.egg-info/METADATA"
printf 'Name: empty-meta\nVersion: 1.2\n' >"$SP/empty_meta-1.0.egg-info/PKG-INFO"
printf 'Name: egg-url\nVersion: 1.0\n' >"$SP/egg_url-1.0.egg-info/PKG-INFO"
printf '{"url": "https://example.invalid/egg_url-1.0.tar.gz", "archive_info": {}}' \
	>"$SP/egg_url-1.0.egg-info/direct_url.json"
printf 'Metadata-Version: 1.0\nName: linked_file\nVersion: 0.7\n' >"$T/src/linked_file.egg-info"
ln -s "$T/src/linked_file.egg-info" "$SP/linked_file-0.7-py3.11.egg-info"
distinfo "$SP" old_ver-1.dist-info "Name: old_ver" "Version: 2004d"
distinfo "$SP" spacey-1.0.dist-info "name:   spacey  " "VERSION: 1.0 "
distinfo "$SP" noname-1.0.dist-info "Version: 1.0"
distinfo "$SP" "~ip-1.0.dist-info" "Name: ~ip" "Version: 1.0"
distinfo "$SP" badurl-1.0.dist-info "Name: badurl" "Version: 1.0"
echo '{"url": 5}' >"$SP/badurl-1.0.dist-info/direct_url.json"
distinfo "$SP" dup-1.0.dist-info "Name: dup" "Version: 1.0"
distinfo "$SP" DUP-2.0.dist-info "Name: Dup" "Version: 2.0"
distinfo "$SP" subdir_archive-1.0.dist-info "Name: subdir-archive" "Version: 1.0"
printf '{"url": "https://example.invalid/a.zip", "subdirectory": "py", "archive_info": {"hash": "md5=abc"}}' \
	>"$SP/subdir_archive-1.0.dist-info/direct_url.json"
# A directory added by a .pth file, with one distribution shadowed by site-packages.
mkdir -p "$T/extra"
distinfo "$T/extra" extra_pkg-3.3.dist-info "Name: Extra_Pkg" "Version: 3.3"
distinfo "$T/extra" apple-9.dist-info "Name: apple" "Version: 9"
printf '# a comment\n%s\n\nimport os\n./missing-dir\n' "$T/extra" >"$SP/zz-extra.pth"
# A legacy develop install: an .egg-link and easy-install.pth.
mkdir -p "$T/src/linked"
distinfo "$T/src/linked" Linked_Pkg.egg-info "Metadata-Version: 1.1" "Name: Linked-Pkg" "Version: 0.5"
printf '%s\n.\n' "$T/src/linked" >"$SP/Linked-Pkg.egg-link"
printf '%s\n' "$T/src/linked" >"$SP/easy-install.pth"

same_as_pip "$E" "freeze"
same_as_pip "$E" "freeze --all" --all
same_as_pip "$E" "freeze --exclude-editable" --exclude-editable
same_as_pip "$E" "freeze --exclude (several, names normalized)" --exclude cap-name-pkg --exclude Zope_Fake --exclude PIP
same_as_pip "$E" "freeze --all --exclude-editable --exclude apple" --all --exclude-editable --exclude apple
# pip's other metadata backend, pkg_resources (Python <= 3.10's default).
# Two distributions of one name in one directory: pkg_resources picks by its
# own version sort, which venvhook leaves to pip; without them it needs no pip.
export _PIP_USE_IMPORTLIB_METADATA=0
# (one of them without a version, which pip never reads)
distinfo "$SP" dup2-1.0.dist-info "Name: dup2" "Version: 1.0"
distinfo "$SP" Dup2.dist-info "Name: Dup2"
same_as_pip "$E" "pkg_resources backend, two of a name in a directory: pip's answer"
ok "... which venvhook asked pip for" grep -q "asking the env's pip" "$T/vh.err"
rm -r "$SP/dup2-1.0.dist-info" "$SP/Dup2.dist-info"
mv "$SP/DUP-2.0.dist-info" "$T/"
same_as_pip "$E" "pkg_resources backend: freeze"
ok "... computed without pip" test "$(grep -c "asking the env's pip" "$T/vh.err")" -eq 0
same_as_pip "$E" "pkg_resources backend: freeze --all --exclude-editable" --all --exclude-editable
mv "$T/DUP-2.0.dist-info" "$SP/"
unset _PIP_USE_IMPORTLIB_METADATA

# The same from $VIRTUAL_ENV and from the project's .venv marker.
"$E/bin/pip" freeze >"$T/want" 2>/dev/null
VIRTUAL_ENV=$E "$VH" freeze >"$T/got" 2>/dev/null
ok "the env from \$VIRTUAL_ENV" cmp -s "$T/want" "$T/got"
export XDG_DATA_HOME=$T/data
mkdir -p "$T/proj/deep" && ln -s "$E" "$T/proj/.venv"
(cd "$T/proj/deep" && PWD=$T/proj/deep "$VH" freeze) >"$T/got" 2>"$T/err"
ok "an untrusted project env: git is not run for its editables (status 1, one line)" \
	test $? -eq 1 -a ! -s "$T/got" -a "$(grep -c 'refusing to run git' "$T/err")" -eq 1
(cd "$T/proj" && PWD=$T/proj "$VH" allow) >/dev/null 2>&1
(cd "$T/proj/deep" && PWD=$T/proj/deep "$VH" freeze) >"$T/got" 2>"$T/err"
ok "the env of the current project (.venv), once allowed" cmp -s "$T/want" "$T/got"

# -o writes the file atomically; a failure leaves the old file alone.
"$VH" freeze --env "$E" -o "$T/req.txt" 2>/dev/null
ok "-o writes what pip prints" cmp -s "$T/want" "$T/req.txt"
"$VH" check --env "$E" -r "$T/req.txt" >"$T/out" 2>/dev/null
ok "check agrees with what freeze wrote (odd names, ===, URLs, editables)" test $? -eq 0 -a ! -s "$T/out"
show "$T/out"
"$E/bin/pip" freeze --all >"$T/want-all" 2>/dev/null
"$VH" freeze --env "$E" --all -o "$T/req.txt" 2>/dev/null
ok "freeze -o replaces an existing file" cmp -s "$T/want-all" "$T/req.txt"
echo old >"$T/keep.txt"
"$VH" freeze --env "$T/nonexistent" -o "$T/keep.txt" 2>"$T/err"
st=$?
ok "-o with a bad env: exit 2, old file kept" test "$st" -eq 2 -a "$(cat "$T/keep.txt")" = old
ok "no temporary files left beside -o" test "$(ls "$T" | grep -c 'keep.txt.tmp')" -eq 0

(cd "$T/home" && PWD=$T/home "$VH" freeze) >"$T/out" 2>"$T/err"
st=$?
ok "no env: exit 2, one line, no output" test "$st" -eq 2 -a "$(wc -l <"$T/err")" -eq 1 -a ! -s "$T/out"
"$VH" freeze --env "$E" --bogus >/dev/null 2>&1
ok "unknown option: exit 2" test $? -eq 2
[ -n "${KEEP:-}" ] && cp -r "$T" "$KEEP"
done_testing
