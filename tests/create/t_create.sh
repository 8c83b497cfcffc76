#!/bin/bash
# venvhook create, for Debian's python3 and every pyenv Python 3.8+ found:
# the env works (prefixes, system site-packages both ways, pip, a local
# wheel with a console script), and its tree equals python -m venv's but
# for the documented differences.
#
# The first interpreter (Debian's) gets every test; each other one a smoke
# run that leaves out what costs seconds (python -m venv with pip, pip
# install, python -m pip): its tree is compared without pip instead.  With
# VENVHOOK_TEST_DEEP=all every interpreter gets every test.
. tests/create/lib.sh

make_wheel "$T/wheels"

# What only the interpreter can say about itself.
base_info() {
	"$1" -s -c 'import site, sys
print(sys.base_prefix)
print("%d.%d" % sys.version_info[:2])
for p in site.getsitepackages():
    if p in sys.path:
        print(p)'
}

env_sys_path() {
	"$1/bin/python" -c 'import sys; print("\n".join(sys.path))'
}

# The entries of a tree: path, type, mode; links with their target.
tree_list() {
	(cd "$1" && find . -mindepth 1 \( -type l -printf '%P -> %l\n' -o -printf '%P %y %m\n' \) |
		LC_ALL=C sort)
}

# Compares our env with python -m venv's, made at the same path.  Allowed
# differences (man page, CREATING ENVIRONMENTS): our activate, activate.fish
# and activate.csh; CACHEDIR.TAG; .gitignore before Python 3.13; the token
# .venvhook-id; the contents of .pyc files (they embed the source's mtime).
compare_with_venv() {
	local ref=$1 ours=$2 minor=$3 bad=0
	local extra="CACHEDIR.TAG f 644"$'\n'".venvhook-id d 700"$'\n'".venvhook-id/TOKEN f 600"
	[ "$minor" -lt 13 ] && extra+=$'\n'".gitignore f 644"
	local got
	got=$(LC_ALL=C comm -3 <(tree_list "$ref") <(tree_list "$ours") |
		sed -E 's#^(\t?\.venvhook-id/)[0-9a-f]{32} #\1TOKEN #')
	local want
	want=$(printf '%s\n' "$extra" | LC_ALL=C sort | sed 's/^/\t/')
	if [ "$got" != "$want" ]; then
		diag "trees differ:" "$got"
		bad=1
	fi
	# Each file's contents, by its SHA-1 on each side (one sha1sum a side, not
	# a cmp per file: an env with pip holds a thousand).
	local f files=() sum
	local -A a=() b=()
	while IFS= read -r -d '' f; do
		case $f in
		*.pyc | bin/activate | bin/activate.fish | bin/activate.csh) continue ;;
		esac
		files+=("$f")
	done < <(cd "$ref" && find . -type f -printf '%P\0')
	((${#files[@]})) || { diag "no files in $ref"; return 1; }
	while read -r sum f; do a[$f]=$sum; done < <(cd "$ref" && sha1sum -- "${files[@]}")
	while read -r sum f; do b[$f]=$sum; done < <(cd "$ours" && sha1sum -- "${files[@]}" 2>/dev/null)
	for f in "${files[@]}"; do
		if [[ -z ${a[$f]-} || ${a[$f]} != "${b[$f]-}" ]]; then
			diag "contents differ: $f"
			bad=1
		fi
	done
	return $bad
}

same_scripts() {
	local f
	for f in "$@"; do
		cmp -s "$1" "$f" && test -x "$f" || return 1
	done
}

i=0
for py in $(interpreters); do
	i=$((i + 1))
	info=$(base_info "$py")
	base=$(sed -n 1p <<<"$info")
	ver=$(sed -n 2p <<<"$info")
	minor=${ver#3.}
	sites=$(sed -n '3,$p' <<<"$info")
	e=$T/envs/e$i
	deep=0
	[[ $i == 1 || ${VENVHOOK_TEST_DEEP-} == all ]] && deep=1
	echo "# $py (Python $ver)$( ((deep)) || echo ', smoke run')"

	out=$(seeded "$VH" create "$e" -p "$py" 2>&1)
	is "$ver: create exits 0" $? 0
	is "$ver: it says what it made" "$out" "created '$e' with Python $(sed -n 1p < <("$py" -c 'import platform; print(platform.python_version())')) ($py)"
	is "$ver: sys.prefix is the env" "$("$e/bin/python" -c 'import sys; print(sys.prefix)')" "$e"
	is "$ver: sys.base_prefix is the interpreter's" "$("$e/bin/python" -c 'import sys; print(sys.base_prefix)')" "$base"
	paths=$(env_sys_path "$e")
	leaked=0
	while IFS= read -r s; do
		[ -n "$s" ] && grep -qxF "$s" <<<"$paths" && leaked=1
	done <<<"$sites"
	is "$ver: without --system-site-packages the base's site-packages are not on sys.path" "$leaked" 0
	ok "$ver: pyvenv.cfg says include-system-site-packages = false" \
		grep -qx 'include-system-site-packages = false' "$e/pyvenv.cfg"
	touch "$T/mark"
	sleep 0.01
	ok "$ver: bin/pip --version" quiet "$e/bin/pip" --version
	is "$ver: the cached .pyc files are valid: pip rewrites none" \
		"$(find "$e" -name '*.pyc' -newer "$T/mark" | head -3)" ""
	ok "$ver: bin/pip3 and bin/pip$ver are the same script" \
		same_scripts "$e/bin/pip" "$e/bin/pip3" "$e/bin/pip$ver"
	if ((deep)); then
		ok "$ver: python -m pip --version names the env" \
			grep -q "from $e/lib/python$ver/site-packages/pip " <(cd / && "$e/bin/python" -m pip --version)
		ok "$ver: pip install --no-index of a local wheel" "$e/bin/pip" install -q --no-index \
			--find-links "$T/wheels" hello-vh
		is "$ver: the wheel's console script is in bin/ and runs" \
			"$("$e/bin/hello-vh" 2>&1)" "hello from hello_vh"
	fi
	ok "$ver: .gitignore holds *" grep -qx '\*' "$e/.gitignore"
	ok "$ver: CACHEDIR.TAG has the signature" \
		grep -q '^Signature: 8a477f597d28d172789f06886806bc55' "$e/CACHEDIR.TAG"

	s=$T/envs/s$i
	"$VH" create "$s" -p "$py" --system-site-packages --without-pip >/dev/null
	is "$ver: create --system-site-packages exits 0" $? 0
	paths=$(env_sys_path "$s")
	missing=0
	while IFS= read -r p; do
		[ -n "$p" ] && ! grep -qxF "$p" <<<"$paths" && missing=1
	done <<<"$sites"
	[ -n "$sites" ] || missing=1
	is "$ver: with --system-site-packages the base's site-packages are on sys.path" "$missing" 0
	ok "$ver: pyvenv.cfg says include-system-site-packages = true" \
		grep -qx 'include-system-site-packages = true' "$s/pyvenv.cfg"
	ok "$ver: --without-pip: no pip" test ! -e "$s/bin/pip" -a ! -e "$s/lib/python$ver/site-packages/pip"

	# The same path, made by python -m venv, then by venvhook (a smoke run:
	# both without pip).
	c=$T/cmp$i
	mkdir -p "$c"
	nopip=--without-pip what=" --without-pip"
	((deep)) && nopip= what=
	if (cd "$c" && "$py" -m venv $nopip "$c/env") && mv "$c/env" "$c/ref" &&
		"$VH" create "$c/env" -p "$py" $nopip >/dev/null; then
		ok "$ver: the tree$what equals python -m venv's, but for the documented differences" \
			compare_with_venv "$c/ref" "$c/env" "$minor"
	else
		fail "$ver: python -m venv$what and venvhook create at the same path"
	fi
	if ((deep)); then
		touch "$c/mark"
		sleep 0.01
		"$c/env/bin/pip" --version >/dev/null
		is "$ver: the cached .pyc files are valid in the compared env too" \
			"$(find "$c/env" -name '*.pyc' -newer "$c/mark" | head -3)" ""
	fi
	# python -m venv's own main(), once for each option at the same path, in
	# one interpreter: a start of Python costs more than the venv.
	rm -rf "$c/env" "$c/ref"
	opts=(--system-site-packages "--prompt=my env" --prompt=. --clear)
	"$py" - "$c" "${opts[@]}" <<-'EOPY' || fail "$ver: python -m venv with each option"
	import os, sys, venv
	c = sys.argv[1]
	os.chdir(c)
	for k, opt in enumerate(sys.argv[2:]):
	    venv.main(["--without-pip", opt, c + "/env"])
	    os.rename(c + "/env", "%s/ref%d" % (c, k))
	EOPY
	for k in "${!opts[@]}"; do
		opt=${opts[k]}
		rm -rf "$c/env"
		[ "$opt" = --clear ] && "$VH" create "$c/env" -p "$py" --without-pip >/dev/null
		(cd "$c" && "$VH" create "$c/env" -p "$py" --without-pip "$opt" >/dev/null)
		ok "$ver: pyvenv.cfg equals python -m venv's with --without-pip $opt" \
			cmp "$c/ref$k/pyvenv.cfg" "$c/env/pyvenv.cfg"
	done
	rm -rf "$c"
done

# A cold cache: the first create unpacks and compiles; the next starts no
# Python at all.
py=/usr/bin/python3
cold=$T/cold-cache
XDG_CACHE_HOME=$cold "$VH" create "$T/cold1" -p $py >/dev/null
is "cold cache: create exits 0" $? 0
ok "cold cache: pip works" quiet "$T/cold1/bin/pip" --version
ok "cold cache: the cache holds the unpacked wheels" test -n "$(ls "$cold/venvhook/seed")"
is "cold cache: and nothing half-made" "$(ls "$cold/venvhook/seed" | grep -c tmp)" 0
if strace -f -qq -o /dev/null true 2>/dev/null; then
	XDG_CACHE_HOME=$cold strace -f -qq -e trace=execve -o "$T/trace" "$VH" create "$T/cold2" -p $py >/dev/null
	is "warm cache: create starts no other program (no Python)" \
		"$(grep -c 'execve(' "$T/trace")" 1
else
	fail "warm cache: create starts no Python (strace cannot trace here)"
fi
ok "warm cache: the env is complete" quiet "$T/cold2/bin/pip" --version
ok "warm cache: its files are hard links to the cache" \
	test "$(stat -c %h "$T/cold2/lib/python3"*/site-packages/pip/__init__.py)" -ge 2

# No cache directory at all: unpacked and compiled in the env itself.
HOME= XDG_CACHE_HOME= "$VH" create "$T/nocache" -p $py >/dev/null
is "no cache directory: create exits 0" $? 0
ok "no cache directory: pip works" quiet "$T/nocache/bin/pip" --version
ok "no cache directory: the files are the env's own" \
	test "$(stat -c %h "$T/nocache/lib/python3"*/site-packages/pip/__init__.py)" -eq 1
# e1 was made by /usr/bin/python3 from the cache, and its RECORD matched
# python -m venv's; the rows for bin/ hold the env's path.
ok "no cache directory: RECORD as with a cache" cmp \
	<(grep -v '^\.\./' "$T/envs/e1/lib/python3"*/site-packages/pip-*.dist-info/RECORD) \
	<(grep -v '^\.\./' "$T/nocache/lib/python3"*/site-packages/pip-*.dist-info/RECORD)

# A cache entry that lost a file (to some cleaner) is filled again.
entry=$(ls -d "$cold"/venvhook/seed/pip-* | head -n 1)
rm "$entry/tree/pip/__init__.py"
XDG_CACHE_HOME=$cold "$VH" create "$T/cold3" -p $py >/dev/null
is "a damaged cache entry: create exits 0" $? 0
ok "a damaged cache entry: pip works" quiet "$T/cold3/bin/pip" --version
ok "a damaged cache entry: it is whole again" test -f "$entry/tree/pip/__init__.py"

# An upgraded interpreter (here: a copy whose file changes) is asked again.
fake=$T/fakepy
mkdir -p "$fake/bin" "$fake/lib"
real=$(readlink -f $py)
cp "$real" "$fake/bin/python3"
ln -s "/usr/lib/$(basename "$real")" "$fake/lib/$(basename "$real")"
XDG_CACHE_HOME=$cold "$VH" create "$T/up1" -p "$fake/bin/python3" >/dev/null
is "a copied interpreter: create exits 0" $? 0
ok "a copied interpreter: home is its directory" grep -qx "home = $fake/bin" "$T/up1/pyvenv.cfg"
entry=$(grep -l "$(printf %s "$fake/bin/python3" | od -An -tx1 | tr -d ' \n')" "$cold"/venvhook/python/*)
ino1=$(stat -c %i "$entry")
XDG_CACHE_HOME=$cold "$VH" create "$T/up2" -p "$fake/bin/python3" >/dev/null
is "unchanged interpreter: its cached answer is reused" "$(stat -c %i "$entry")" "$ino1"
touch -d '2001-01-01' "$fake/bin/python3"
XDG_CACHE_HOME=$cold "$VH" create "$T/up3" -p "$fake/bin/python3" >/dev/null
is "changed interpreter: create exits 0" $? 0
ok "changed interpreter: it is asked again" test "$(stat -c %i "$entry")" != "$ino1"

# -r FILE -- ARGS: requirements installed offline by the new pip.
printf 'hello-vh\n' >"$T/req.txt"
"$VH" create "$T/req" -p $py -r "$T/req.txt" -- --no-index --find-links "$T/wheels" >/dev/null 2>"$T/req.err"
is "-r FILE -- --no-index --find-links DIR exits 0" $? 0
is "-r: the requirement is installed, script and all" "$("$T/req/bin/hello-vh")" "hello from hello_vh"
# pip ran in the build directory beside: its scripts were rewritten for DIR.
ok "-r: the script runs the env's python" grep -q "^#!$T/req/bin/python" "$T/req/bin/hello-vh"
ok "-r: nothing in the env names where it was built" \
	test -z "$(grep -rl --exclude='*.pyc' '\.req\.venvhook-' "$T/req")"

# --clear replaces an env, atomically.
"$VH" create "$T/clr" -p $py --without-pip >/dev/null
touch "$T/clr/lib/marker"
ino=$(stat -c %i "$T/clr")
"$VH" create "$T/clr" -p $py --clear >/dev/null
is "--clear over an env exits 0" $? 0
ok "--clear: a new env stands there" test ! -e "$T/clr/lib/marker" -a "$(stat -c %i "$T/clr")" != "$ino"
ok "--clear: with pip" quiet "$T/clr/bin/pip" --version
is "--clear: nothing left beside it" "$(ls -A "$T" | grep -c venvhook)" 0
ok "--clear: pyvenv.cfg's command says --clear" grep -q -- ' --clear ' "$T/clr/pyvenv.cfg"

# A new env is trusted, and so active at the next prompt.
mkdir -p "$T/proj"
(cd "$T/proj" && "$VH" create -p $py --without-pip >/dev/null)
ok "DIR defaults to .venv here" test -f "$T/proj/.venv/pyvenv.cfg"
ok "the new env is trusted" grep -q "trust *allowed" <(cd "$T/proj" && "$VH" status)

# Parents are made, as python -m venv makes them.
"$VH" create "$T/a/b/c" -p $py --without-pip >/dev/null
ok "missing parent directories are made" test -f "$T/a/b/c/pyvenv.cfg"

# virtualenv's --no-site-packages names the default: accepted, and it is the default.
"$VH" create "$T/nsp" -p $py --without-pip --no-site-packages >/dev/null
is "--no-site-packages is accepted" $? 0
ok "--no-site-packages: include-system-site-packages = false" \
	grep -qx 'include-system-site-packages = false' "$T/nsp/pyvenv.cfg"

# From inside an active env, python3 on PATH is the env's: the message names
# the base interpreter the new env is made from, as its pyvenv.cfg does.
out=$(VIRTUAL_ENV=$T/nsp PATH=$T/nsp/bin:$PATH "$VH" create "$T/inner" --without-pip)
is "create from inside an active env exits 0" $? 0
home=$(sed -n 's/^home = //p' "$T/inner/pyvenv.cfg")
ok "inside an env: the message names no path in the active env" eval '[[ $out != *"$T/nsp"* ]]'
ok "inside an env: the message names the base interpreter, in pyvenv.cfg's home" \
	eval '[[ $out == "created '"'"'$T/inner'"'"' with Python "*" ($home/"* ]]'

done_testing
