#!/bin/bash
# venvhook repair: envs broken by their base interpreter are rebuilt with the
# same packages, the old env kept until the new one is complete; envs that
# moved get their scripts rewritten.
. "$(dirname "$0")/lib.sh"
export PATH=$T/bin:/usr/bin:/bin PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1
unset PIP_FIND_LINKS PIP_INDEX_URL PIP_CONFIG_FILE
export PIP_CONFIG_FILE=/dev/null
# create and repair seed pip from the cache the suites share (a cold one
# costs seconds; nothing here is about the cache).
export XDG_CACHE_HOME=$SEED_CACHE

# A wheel made here: demo-vh 2.0, with a console script.
W=$T/wheels
mkdir -p "$W" && fixture app "$W" demo-vh 2.0 "demo ok" >/dev/null
OFFLINE=(--no-index --find-links "$W")

# mkbase DIR: a base "installation" whose bin/python3 links to Debian's python3.11.
mkbase() { mkdir -p "$1/bin" && ln -sfn "$(readlink -f "$PY")" "$1/bin/python3"; }
# mkpipenv ENV BASE_PYTHON: an env with pip and demo-vh installed.
mkpipenv() {
	seeded "$VH" create "$1" -p "$2" >/dev/null || { echo "Bail out! cannot create $1"; exit 2; }
	"$1/bin/python" -m pip install -q "${OFFLINE[@]}" demo-vh || { echo "Bail out! pip failed in $1"; exit 2; }
}
# snapshot DIR: every file with its content's hash, every link with its target.
snapshot() { (cd "$1" && find . \( -type f -exec sha1sum {} + \) -o \( -type l -printf '%p -> %l\n' \) | sort); }

# --- base interpreter removed ----------------------------------------------------
mkbase "$T/base"
mkpipenv "$T/a" "$T/base/bin/python3"
out=$("$VH" repair "$T/a" 2>&1)
is "a working env: nothing to repair" "$out" "'$T/a' works: nothing to repair"
freeze_before=$("$VH" freeze --env "$T/a")
rm -rf "$T/base"
is "its base removed: python gone" "$(listjson "by['$T/a']['state']")" "python gone"
before=$(snapshot "$T/a")
out=$("$VH" repair "$T/a" -- --no-index 2>"$T/err")
st=$?
is "pip cannot install: repair fails" "$st" 1
like "... saying what it did" "$out" "^rebuilding '$T/a': the interpreter its bin/python leads to is gone"
like "... and that the env is left as it was" "$(tail -1 "$T/err")" "^venvhook: '$T/a' is left as it was$"
is "... every file of the old env is as it was" "$(snapshot "$T/a")" "$before"
is "... nothing is left beside it" "$(ls -A "$T" | grep -c venvhook)" 0
out=$("$VH" repair "$T/a" -- "${OFFLINE[@]}" 2>"$T/err")
st=$?
is "with the wheels at hand, repair succeeds" "$st" 0
like "... rebuilt with Debian's python3.11, the env's own version, saying how many packages" \
	"$(tail -1 <<<"$out")" "^repaired '$T/a' with Python 3\\.11\\.[0-9]+ \\(/usr/bin/python3\\.11\\): 1 package reinstalled$"
is "... the package works again" "$("$T/a/bin/demo-vh" 2>&1)" "demo ok"
is "... the same packages" "$("$VH" freeze --env "$T/a")" "$freeze_before"
is "... pip is there" "$("$T/a/bin/python" -m pip --version >/dev/null 2>&1; echo $?)" 0
is "... the env is ok" "$(listjson "by['$T/a']['state']")" ok
is "... home is the new base" "$(sed -n 's/^home = //p' "$T/a/pyvenv.cfg")" /usr/bin
is "... it stays trusted" "$(cd "$T" && mkdir -p pa && echo "$T/a" >pa/.venv && cd pa && "$VH" status | sed -n 's/^trust *//p')" \
	allowed

# --- base interpreter now another version ----------------------------------------
mkbase "$T/base2"
mkdir -p "$T/pb"
mkpipenv "$T/pb/.venv" "$T/base2/bin/python3"
printf '#!/bin/sh\nexit 1\n' >"$T/base2/bin/python3.99"
chmod +x "$T/base2/bin/python3.99"
ln -sfn python3.99 "$T/base2/bin/python3"
is "its base now 3.99: python changed" "$(listjson "by['$T/pb/.venv']['state']")" "python changed"
out=$(cd "$T/pb" && "$VH" repair -- "${OFFLINE[@]}" 2>&1)
st=$?
is "the project's env (trusted: venvhook created it) is rebuilt" "$st" 0
like "... with the version it was made for" "$out" "with Python 3\\.11\\.[0-9]+ \\(/usr/bin/python3\\.11\\)"
is "... and works" "$("$T/pb/.venv/bin/demo-vh" 2>&1)" "demo ok"
# An env the user never trusted, made by python -m venv (no pip, no packages).
mkbase "$T/base3"
mkdir -p "$T/pc"
"$T/base3/bin/python3" -m venv --without-pip "$T/pc/.venv"
rm -rf "$T/base3"
(cd "$T/pc" && "$VH" repair) >"$T/out" 2>"$T/err"
st=$?
is "a project's env the user never trusted is not rebuilt" "$st" 1
is "... saying why" "$(cat "$T/err")" \
	"venvhook: '$T/pc/.venv' is not trusted; 'venvhook allow' trusts it, or name it: venvhook repair PATH"
ok "... and stays as it was" test -L "$T/pc/.venv/bin/python3" -a ! -e "$T/pc/.venv/bin/pip"
# Allowed while it worked, then broken again: the everyday case.
mkbase "$T/base3"
"$VH" allow "$T/pc" >/dev/null
rm -rf "$T/base3"
out=$(cd "$T/pc" && "$VH" repair 2>&1)
st=$?
is "allowed, it is rebuilt" "$st" 0
like "... without pip, as it was" "$(tail -1 <<<"$out")" "^repaired '$T/pc/\\.venv' with Python [0-9.]+ \\([^)]*\\): 0 packages reinstalled$"
ok "... no pip in it" test ! -e "$T/pc/.venv/bin/pip"
is "... its python runs" "$("$T/pc/.venv/bin/python" -c 'import sys; print(sys.prefix)')" "$T/pc/.venv"
# -p rebuilds a working env with the interpreter chosen.
out=$("$VH" repair "$T/pb/.venv" -p /usr/bin/python3 -- "${OFFLINE[@]}" 2>&1)
st=$?
is "-p rebuilds a working env" "$st" 0
like "... with that interpreter" "$out" "\\(/usr/bin/python3\\)"
is "... and it works" "$("$T/pb/.venv/bin/demo-vh" 2>&1)" "demo ok"

# --- moved with its project --------------------------------------------------------
mkdir -p "$T/m1"
mkpipenv "$T/m1/.venv" /usr/bin/python3
mv "$T/m1" "$T/m2"
is "moved: its scripts no longer run" "$("$T/m2/.venv/bin/demo-vh" >/dev/null 2>&1; echo $?)" 127
out=$("$VH" repair "$T/m2/.venv" 2>&1)
st=$?
is "repair rewrites the scripts" "$st" 0
like "... saying which path they named" "$out" \
	"^repaired '$T/m2/\\.venv': [0-9]+ files named its old path '$T/m1/\\.venv'$"
is "... the console script runs" "$("$T/m2/.venv/bin/demo-vh" 2>&1)" "demo ok"
is "... pip runs" "$("$T/m2/.venv/bin/pip" --version >/dev/null 2>&1; echo $?)" 0
is "... activate names the new path" "$(bash -c '. "$1/bin/activate" && echo "$VIRTUAL_ENV"' _ "$T/m2/.venv")" \
	"$T/m2/.venv"
is "... so does activate.fish" "$(fish --no-config -c 'source $argv[1]/bin/activate.fish; echo $VIRTUAL_ENV' "$T/m2/.venv" 2>&1)" \
	"$T/m2/.venv"
is "... no file names the old path" "$(grep -rl "$T/m1/" "$T/m2/.venv/bin" "$T/m2/.venv/pyvenv.cfg" || true)" ""
is "... the scripts keep their mode" "$(stat -c %a "$T/m2/.venv/bin/demo-vh")" 755
is "a second repair finds nothing to do" "$("$VH" repair "$T/m2/.venv" 2>&1)" \
	"'$T/m2/.venv' works: nothing to repair"
# A path a script would have to quote: no rewrite, but a rebuild.
mv "$T/m2" "$T/m 3"
before=$(snapshot "$T/m 3/.venv")
out=$("$VH" repair "$T/m 3/.venv" 2>&1)
st=$?
is "moved to a path with a space: no rewrite" "$st" 1
is "... saying what to do" "$out" \
	"venvhook: cannot rewrite the scripts of '$T/m 3/.venv' for its new path: the path holds characters a script would have to quote; 'venvhook repair --rebuild' makes them anew"
is "... nothing changed" "$(snapshot "$T/m 3/.venv")" "$before"
out=$("$VH" repair --rebuild "$T/m 3/.venv" -- "${OFFLINE[@]}" 2>&1)
st=$?
is "--rebuild makes it anew there" "$st" 0
is "... and its script runs from a path with a space" "$("$T/m 3/.venv/bin/demo-vh" 2>&1)" "demo ok"

# pyvenv.cfg cannot be rewritten (the env's top is read-only, bin is not): a
# failure, not a success that counts one file less.  As user 65534 when root,
# in a directory that user can reach.
if [ "$(id -u)" -eq 0 ]; then
	U=$(mktemp -d /tmp/venvhook-test-nobody.XXXXXX) && chmod 755 "$U" || exit 2
	at_exit 'rm -rf "$U"'
	cp "$VH" "$U/venvhook"
	vh=$U/venvhook
	as_user() { (cd / && setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"); }
else
	U=$T vh=$VH
	as_user() { "$@"; }
fi
mkdir -p "$U/r1"
"$VH" create "$U/r1/.venv" -p /usr/bin/python3 --without-pip >/dev/null
mv "$U/r1" "$U/r2"
[ "$(id -u)" -eq 0 ] && chown -R 65534:65534 "$U/r2"
chmod 555 "$U/r2/.venv"
out=$(as_user env HOME= XDG_CACHE_HOME= XDG_CONFIG_HOME= XDG_DATA_HOME= XDG_STATE_HOME= \
	"$vh" repair "$U/r2/.venv" 2>&1)
st=$?
chmod 755 "$U/r2/.venv"
is "pyvenv.cfg cannot be rewritten: repair fails" "$st" 1
is "... saying why" "$out" "venvhook: cannot rewrite '$U/r2/.venv/pyvenv.cfg': Permission denied"

# --- what it refuses -----------------------------------------------------------------
mkdir -p "$T/plain"
"$VH" repair "$T/plain" >/dev/null 2>"$T/err"
is "not an env: bad usage" "$?" 2
like "... saying so" "$(cat "$T/err")" "is not a virtual environment"
"$VH" repair --frobnicate >/dev/null 2>&1
is "an unknown option is bad usage" "$?" 2
"$VH" repair "$T/a" "$T/pb/.venv" >/dev/null 2>&1
is "two envs is bad usage" "$?" 2
"$VH" repair -p >/dev/null 2>&1
is "-p without an interpreter is bad usage" "$?" 2
cpenv "$T/open"
chgrp 54321 "$T/open"   # a group whose members nobody can tell (no /etc/group lists it)
chmod g+w "$T/open"
out=$("$VH" repair "$T/open" 2>&1)
st=$?
is "an env writable by a group with other members is not touched" "$st" 1
like "... saying why" "$out" "refusing to repair '$T/open': '$T/open' is writable by group 54321"

done_testing
