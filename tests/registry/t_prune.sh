#!/bin/bash
# venvhook prune: forgetting gone envs, deleting only venvs, only when told.
. "$(dirname "$0")/lib.sh"

# on_tty ANSWERS CMD...: runs CMD on a pseudo-terminal, typing the next of the
# space-separated ANSWERS at every "[y/N] " (end of input when none is left);
# prints what it showed.  Gives up after 20 s.
on_tty() {
	timeout 20 "$PY" - "$@" <<'EOF'
import os, pty, sys
answers = sys.argv[1].split()
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
out, asked = b'', 0
while True:
    try:
        data = os.read(fd, 4096)
    except OSError:
        break
    if not data:
        break
    out += data
    if out.count(b'[y/N] ') > asked:
        asked += 1
        os.write(fd, (answers.pop(0) + '\n').encode() if answers else b'\x04')
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode('utf-8', 'replace').replace('\r\n', '\n'))
sys.exit(os.waitstatus_to_exitcode(status))
EOF
}

# A project whose directory goes away, with its env elsewhere.
mkproj() {   # mkproj NAME: $HOME/.virtualenvs/NAME used by $T/NAME
	mkdir -p "$T/$1" "$HOME/.virtualenvs"
	cpenv "$HOME/.virtualenvs/$1"
	echo "$1" >"$T/$1/.venv"
	"$VH" allow "$T/$1" >/dev/null
}
E=$HOME/.virtualenvs

mkproj keep
mkproj lost
rm -rf "$T/lost"
mkproj gone
rm -rf "$E/gone"
n0=$(listjson 'len(envs)')

# --- nothing changes without being told ---------------------------------------
out=$("$VH" prune --dry-run 2>"$T/err")
st=$?
is "--dry-run succeeds" "$st" 0
is "--dry-run says what it would do" "$out" "would forget '$E/gone': the env does not exist
would offer to delete '$E/lost': its project '$T/lost' is gone"
is "--dry-run changes no record" "$(listjson 'len(envs)')" "$n0"
ok "--dry-run deletes nothing" test -f "$E/lost/pyvenv.cfg"
out=$("$VH" prune --dry-run --yes 2>/dev/null)
like "--dry-run --yes says it would delete" "$out" "would delete '$E/lost': its project '$T/lost' is gone"
ok "... and does not" test -f "$E/lost/pyvenv.cfg"

out=$("$VH" prune </dev/null 2>"$T/err")
st=$?
is "prune without a terminal succeeds" "$st" 0
is "... forgets the gone env and only offers the other" "$out" "forgot '$E/gone': the env does not exist
can delete '$E/lost': its project '$T/lost' is gone"
is "... says how to delete" "$(cat "$T/err")" \
	"venvhook: nothing deleted: run 'venvhook prune --yes', or prune on a terminal to be asked"
ok "... deletes nothing" test -f "$E/lost/pyvenv.cfg"
is "... the gone record is forgotten" "$(listjson "'$E/gone' in by")" False
is "... the others stay" "$(listjson 'len(envs)')" $((n0 - 1))

# --- on a terminal -------------------------------------------------------------
out=$(on_tty "n" "$VH" prune)
st=$?
is "on a terminal, 'n' keeps it" "$st" 0
like "... after asking" "$out" "delete '$E/lost'\\? its project '$T/lost' is gone \\[y/N\\] "
ok "... and it stays" test -f "$E/lost/pyvenv.cfg"
out=$(on_tty "" "$VH" prune)
ok "on a terminal, no answer keeps it" test -f "$E/lost/pyvenv.cfg"
out=$(on_tty "y" "$VH" prune)
st=$?
is "on a terminal, 'y' deletes it" "$st" 0
like "... saying so" "$out" "deleted '$E/lost': its project '$T/lost' is gone"
ok "... it is gone" test ! -e "$E/lost"
is "... and so is its record" "$(listjson "'$E/lost' in by")" False
is "... nothing is left beside it" "$(ls -A "$E")" "keep"
ok "an env that is fine is kept" test -f "$E/keep/pyvenv.cfg"

# --- --yes, and what it never deletes -----------------------------------------
# Broken by its base interpreter: offered.
mkdir -p "$T/base/bin" "$T/pb"
ln -s "$(readlink -f "$PY")" "$T/base/bin/python3"
"$T/base/bin/python3" -m venv --without-pip "$T/pb/.venv"
"$VH" allow "$T/pb" >/dev/null
rm -rf "$T/base"
# Links out of the env: never followed.
mkproj links
mkdir -p "$T/precious/dir"
echo data >"$T/precious/file"
echo data >"$T/precious/dir/file"
ln -s "$T/precious" "$E/links/lib/to-dir"
ln -s "$T/precious/file" "$E/links/lib/to-file"
ln -s "$T/precious" "$E/links/bin/to-dir2"
rm -rf "$T/links"
# Holds something a venv does not make (code someone kept there): refused.
mkproj code
echo 'print(1)' >"$E/code/main.py"
rm -rf "$T/code"
# A read-only directory inside: still deleted.
mkproj ro
mkdir -p "$E/ro/lib/ro"
touch "$E/ro/lib/ro/f"
chmod 555 "$E/ro/lib/ro"
rm -rf "$T/ro"
out=$("$VH" prune --yes 2>"$T/err")
st=$?
is "--yes with a refusal fails" "$st" 1
is "--yes deletes what it may" "$(echo "$out" | sort)" \
	"$(printf '%s\n' "deleted '$E/links': its project '$T/links' is gone" \
		"deleted '$E/ro': its project '$T/ro' is gone" \
		"deleted '$T/pb/.venv': the interpreter its bin/python leads to is gone" | sort)"
is "... refuses an env that holds other things, naming it" "$(cat "$T/err")" \
	"venvhook: refusing to remove '$E/code': it holds 'main.py', which is no part of an env"
ok "... and keeps it whole" test -f "$E/code/main.py" -a -f "$E/code/pyvenv.cfg"
is "... keeps its record" "$(listjson "'$E/code' in by")" True
ok "the files links pointed at survive" test -f "$T/precious/file" -a -f "$T/precious/dir/file"
ok "the env with links is gone" test ! -e "$E/links"
ok "the env broken by its base is gone" test ! -e "$T/pb/.venv"
ok "... its project stays" test -d "$T/pb"
ok "the read-only one is gone" test ! -e "$E/ro"
is "nothing is left aside" "$(ls -A "$E" | sort | tr '\n' ' ')" "code keep "

# A directory that is no longer a venv is forgotten, never deleted.
mkproj notvenv
rm "$E/notvenv/pyvenv.cfg"
rm -rf "$T/notvenv"
out=$("$VH" prune --yes 2>/dev/null)
like "a directory without pyvenv.cfg is only forgotten" "$out" \
	"forgot '$E/notvenv': the env is no longer a virtual environment"
ok "... and stays on disk" test -d "$E/notvenv/bin"

# A record that names a link (written by hand): never followed.
cpenv "$T/target"
rm -rf "$T/target-project"
ln -s "$T/target" "$T/alias"
printf '%s\t%s\t\t3.11\t0\t0\tfound\n' "$T/alias" "$T/target-project" >>"$REG"
out=$("$VH" prune --yes 2>"$T/err")
like "a link is not deleted" "$(cat "$T/err")" "venvhook: refusing to remove '$T/alias': it is a symbolic link"
ok "... nor what it points at" test -f "$T/target/pyvenv.cfg"

# A file system mounted inside an env: refused, as rm refuses it (in a mount
# namespace, where the machine allows one).
mkproj mnt
rm -rf "$T/mnt"
mkdir -p "$E/mnt/lib/mounted"
if unshare -m true 2>/dev/null; then
	out=$(unshare -m bash -c '
		mount -t tmpfs venvhook-test "$1/lib/mounted" || exit 99
		echo keep >"$1/lib/mounted/file"
		"$2" prune --yes 2>&1 >/dev/null
		echo "status $?"
		cat "$1/lib/mounted/file"
		umount "$1/lib/mounted"' _ "$E/mnt" "$VH")
	if [[ $out == *"status 99"* ]]; then
		echo "# cannot mount a tmpfs here: the mount point case is not run"
	else
		like "a mount point inside an env stops the deletion" "$out" \
			"refusing to remove '$E/mnt': a file system is mounted at '$E/mnt/lib/mounted'"
		like "... which fails" "$out" "status 1"
		like "... and what is mounted survives, in the env where it was" "$out" $'\nkeep$'
	fi
else
	echo "# no mount namespaces here: the mount point case is not run"
fi

# --- nothing to do: said on a terminal, silence otherwise ----------------------
state=$XDG_STATE_HOME data=$XDG_DATA_HOME
export XDG_STATE_HOME=$T/calm-state XDG_DATA_HOME=$T/calm-data
out=$(on_tty "" "$VH" prune --dry-run)
is "on a terminal, an empty registry: one line" "$out" "nothing to prune: no env is recorded"
mkdir -p "$T/calm1" "$T/calm2"
cpenv "$T/calm1/.venv"
"$VH" allow "$T/calm1" >/dev/null
out=$(on_tty "" "$VH" prune --dry-run)
is "on a terminal, one fine env: one line" "$out" "nothing to prune: the one recorded env is fine"
cpenv "$T/calm2/.venv"
"$VH" allow "$T/calm2" >/dev/null
out=$(on_tty "" "$VH" prune --dry-run)
is "on a terminal, two fine envs: one line" "$out" "nothing to prune: all 2 recorded envs are fine"
out=$(on_tty "" "$VH" prune)
is "... prune without --dry-run says it too" "$out" "nothing to prune: all 2 recorded envs are fine"
out=$("$VH" prune --dry-run 2>&1)
is "not on a terminal: silence" "$out" ""
rm -rf "$T/calm2/.venv"
out=$(on_tty "" "$VH" prune --dry-run)
is "on a terminal with something to do: no such line" "$out" \
	"would forget '$T/calm2/.venv': the env does not exist"
export XDG_STATE_HOME=$state XDG_DATA_HOME=$data

# --- usage -------------------------------------------------------------------
"$VH" prune --force >/dev/null 2>&1
is "an unknown option is bad usage" "$?" 2
"$VH" prune somewhere >/dev/null 2>&1
is "an argument is bad usage" "$?" 2

done_testing
