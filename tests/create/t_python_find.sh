#!/bin/bash
# How create finds its interpreter: a path, a command name or a version,
# on PATH then among pyenv's versions; .python-version; pyenv's shims.
# The interpreters here are links to Debian's python3 under other names.
. tests/create/lib.sh

real=$(readlink -f /usr/bin/python3)        # /usr/bin/python3.11
mm=$(basename "$real")                      # python3.11
ver=${mm#python}                            # 3.11
micro=$($real -c 'import platform; print(platform.python_version())')

mkdir -p "$T/bin1" "$T/empty" "$T/wrap"
ln -s "$real" "$T/bin1/$mm"
ln -s "$real" "$T/bin1/python3"
export PYENV_ROOT=$T/pyenv
for v in "$ver.40" "$ver.50"; do
	mkdir -p "$PYENV_ROOT/versions/$v/bin"
	ln -s "$real" "$PYENV_ROOT/versions/$v/bin/$mm"
	ln -s "$real" "$PYENV_ROOT/versions/$v/bin/python3"
done
mkdir -p "$PYENV_ROOT/versions/2.7.1/bin"
printf '#!/bin/sh\necho version=2.7.1\n' >"$PYENV_ROOT/versions/2.7.1/bin/python2.7"
chmod +x "$PYENV_ROOT/versions/2.7.1/bin/python2.7"
mkdir -p "$PYENV_ROOT/versions/custom-name/bin"
ln -s "$real" "$PYENV_ROOT/versions/custom-name/bin/python3"
mkdir -p "$PYENV_ROOT/shims"
printf '#!/bin/sh\necho "a shim ran" >&2\nexit 99\n' >"$PYENV_ROOT/shims/python3"
cp "$PYENV_ROOT/shims/python3" "$PYENV_ROOT/shims/$mm"
chmod +x "$PYENV_ROOT/shims/"*

newenv() {    # a fresh path for an env
	local d
	d=$(mktemp -d "$T/e.XXXXXX") && rmdir "$d" && echo "$d"
}
# home_of ARGS...: creates an env with ARGS and prints its home; the env's
# path goes to $T/last.
home_of() {
	local e
	e=$(newenv)
	echo "$e" >"$T/last"
	PATH=$VPATH "$VH" create "$e" --without-pip "$@" >/dev/null 2>"$T/err" || { cat "$T/err" >&2; return 1; }
	sed -n 's/^home = //p' "$e/pyvenv.cfg"
}
fails() {     # fails PATTERN ARGS...: create fails with one line matching PATTERN
	local pat=$1 e
	shift
	e=$(newenv)
	PATH=$VPATH "$VH" create "$e" --without-pip "$@" >/dev/null 2>"$T/err" && return 1
	[ "$(wc -l <"$T/err")" -eq 1 ] && grep -qF -- "$pat" "$T/err" && [ ! -e "$e" ] && return 0
	diag "stderr: $(cat "$T/err")" "want: $pat"
	return 1
}

cd "$T" || exit 2
VPATH=$T/empty
is "a path" "$(home_of -p "$real")" "$(dirname "$real")"
is "a relative path" "$(home_of -p "bin1/$mm")" "$T/bin1"
ok "a path: command records it as given" grep -q "^command = $T/bin1/$mm -m venv" "$(cat "$T/last")/pyvenv.cfg"
VPATH=$T/empty:$T/bin1
is "a command name on PATH" "$(home_of -p "$mm")" "$T/bin1"
is "a version X.Y on PATH" "$(home_of -p "$ver")" "$T/bin1"
is "a version X on PATH" "$(home_of -p 3)" "$T/bin1"
is "a version X.Y.Z on PATH when it is that version" "$(home_of -p "$micro")" "$T/bin1"
ok "X.Y.Z: PATH's pythonX.Y of another micro version is not taken" fails "cannot find Python '$ver.99'" -p "$ver.99"
VPATH=$T/empty
is "a version X.Y not on PATH: pyenv's newest X.Y" "$(home_of -p "$ver")" "$PYENV_ROOT/versions/$ver.50/bin"
is "a version X not on PATH: pyenv's newest X" "$(home_of -p 3)" "$PYENV_ROOT/versions/$ver.50/bin"
is "a version X.Y.Z: pyenv's exactly" "$(home_of -p "$ver.40")" "$PYENV_ROOT/versions/$ver.40/bin"
is "a command name not on PATH: pyenv's newest holding it" "$(home_of -p "$mm")" "$PYENV_ROOT/versions/$ver.50/bin"
ok "an unknown command name" fails "cannot find Python 'python3.99' on PATH or in pyenv's versions" -p python3.99
ok "an unknown version" fails "cannot find Python '3.99'" -p 3.99
ok "a version too old" fails "is Python 2.7.1; venvhook needs Python 3.8 or newer" -p 2.7.1
ok "a missing path" fails "cannot use Python '$T/nope': no such file" -p "$T/nope"

# .python-version, from the env's directory upward.
mkdir -p "$T/proj/sub"
echo "$ver.40" >"$T/proj/.python-version"
is ".python-version names a version" "$(home_of -p "$ver.40")" "$PYENV_ROOT/versions/$ver.40/bin"
(cd "$T/proj/sub" && PATH=$VPATH "$VH" create --without-pip >/dev/null 2>"$T/err")
ok ".python-version of a parent directory" grep -qx "home = $PYENV_ROOT/versions/$ver.40/bin" "$T/proj/sub/.venv/pyvenv.cfg"
printf '# pinned\n\n  custom-name  \n' >"$T/proj/.python-version"
PATH=$VPATH "$VH" create "$T/proj/e-custom" --without-pip >/dev/null
ok ".python-version names a pyenv version by name (comments skipped)" \
	grep -qx "home = $PYENV_ROOT/versions/custom-name/bin" "$T/proj/e-custom/pyvenv.cfg"
echo system >"$T/proj/.python-version"
VPATH=$PYENV_ROOT/shims:$T/bin1
PATH=$VPATH "$VH" create "$T/proj/e-sys" --without-pip >/dev/null 2>"$T/err"
ok ".python-version 'system': python3 on PATH, shims skipped" grep -qx "home = $T/bin1" "$T/proj/e-sys/pyvenv.cfg"
echo "../../../usr" >"$T/proj/.python-version"
PATH=$VPATH "$VH" create "$T/proj/e-bad" --without-pip >/dev/null 2>"$T/err"
ok ".python-version leaving pyenv's versions is refused" \
	grep -qF "'$T/proj/.python-version' names Python '../../../usr', which is not on PATH nor in pyenv's versions" "$T/err"
echo "3.99.1" >"$T/proj/.python-version"
PATH=$VPATH "$VH" create "$T/proj/e-missing" --without-pip >/dev/null 2>"$T/err"
ok ".python-version naming a missing version: the error names file and version" \
	grep -qF "'$T/proj/.python-version' names Python '3.99.1'" "$T/err"
ok ".python-version naming a missing version: nothing created" test ! -e "$T/proj/e-missing"
rm "$T/proj/.python-version"

# python3 on PATH is a pyenv shim: resolved as pyenv would.
mkdir -p "$T/plain"
cd "$T/plain" || exit 2
echo "$ver.40" >"$PYENV_ROOT/version"
VPATH=$PYENV_ROOT/shims:$T/bin1
is "a pyenv shim: the global version" "$(home_of)" "$PYENV_ROOT/versions/$ver.40/bin"
is "a pyenv shim: PYENV_VERSION first" "$(PYENV_VERSION=$ver.50 home_of)" "$PYENV_ROOT/versions/$ver.50/bin"
echo system >"$PYENV_ROOT/version"
is "a pyenv shim with 'system': the next python3 on PATH" "$(home_of)" "$T/bin1"
is "a pyenv shim is never run" "$(grep -c 'a shim ran' "$T/err")" 0

# A wrapper script that is not pyenv's: run, but not cached (it may pick
# another interpreter next time).
printf '#!/bin/sh\nexec %s "$@"\n' "$real" >"$T/wrap/python3"
chmod +x "$T/wrap/python3"
VPATH=$T/wrap
cache=$T/wrapcache
e=$(newenv)
XDG_CACHE_HOME=$cache PATH=$VPATH "$VH" create "$e" --without-pip >/dev/null
is "a wrapper script: create exits 0" $? 0
ok "a wrapper script: home is the interpreter's own" grep -qx "home = $(dirname "$real")" "$e/pyvenv.cfg"
is "a wrapper script: its answer is not cached" "$(ls "$cache/venvhook/python" 2>/dev/null)" ""

done_testing
