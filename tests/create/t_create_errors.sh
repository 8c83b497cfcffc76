#!/bin/bash
# venvhook create with bad input: each gives one line on stderr and a
# non-zero exit, touches nothing that was there and leaves nothing behind,
# also when it fails late, runs out of space or is interrupted.
. tests/create/lib.sh

py=/usr/bin/python3
make_wheel "$T/wheels"

# Everything about a tree that a change would show.
nothing_beside() {  # nothing_beside DIR: no build or removal leftovers in DIR
	local left
	left=$(ls -A "$1" | grep venvhook)
	[ -z "$left" ] && return 0
	diag "left behind: $left"
	return 1
}

mkdir -p "$T/w"
cd "$T/w" || exit 2

# Unknown interpreters.
for spec in python9.9 9.9 /nonexistent/python3 2.99.1; do
	ok "-p $spec: exit 1" run 1 create "$T/w/bad" -p "$spec"
	ok "-p $spec: one line naming it" one_line "$spec"
	ok "-p $spec: nothing created" test ! -e "$T/w/bad"
done
ok "-p /bin/true: exit 1" run 1 create "$T/w/bad" -p /bin/true
ok "-p /bin/true: not a Python" one_line "does not answer like a Python interpreter"
printf '#!/bin/sh\necho version=3.7.1\n' >"$T/oldpy"
chmod +x "$T/oldpy"
ok "an old Python: exit 1" run 1 create "$T/w/bad" -p "$T/oldpy"
ok "an old Python: refused as too old" one_line "is Python 3.7.1; venvhook needs Python 3.8 or newer"
ok "an old Python: nothing created" test ! -e "$T/w/bad"

# A directory that is not an env is never touched, --clear or not.
mkdir -p "$T/w/proj/src"
echo 'print(1)' >"$T/w/proj/src/main.py"
before=$(snapshot_times "$T/w/proj")
ok "a non-env directory: exit 1" run 1 create "$T/w/proj" -p $py
ok "a non-env directory: one line" one_line "'$T/w/proj' exists and is not a virtual environment"
ok "a non-env directory with --clear: exit 1" run 1 create "$T/w/proj" -p $py --clear
ok "a non-env directory with --clear: one line" one_line "is not a virtual environment"
is "a non-env directory: untouched" "$(snapshot_times "$T/w/proj")" "$before"
echo data >"$T/w/file"
ok "a file: exit 1" run 1 create "$T/w/file" -p $py --clear
is "a file: untouched" "$(cat "$T/w/file")" data
mkdir -p "$T/w/empty"
ok "an empty directory: exit 1" run 1 create "$T/w/empty" -p $py
ok "an empty directory: untouched" test -d "$T/w/empty" -a -z "$(ls -A "$T/w/empty")"

# An env holding project files is no env to clear.
"$VH" create "$T/w/venvproj" -p $py --without-pip >/dev/null
mkdir "$T/w/venvproj/.git"
before=$(snapshot_times "$T/w/venvproj")
ok "--clear on an env that is a project: exit 1" run 1 create "$T/w/venvproj" -p $py --clear
ok "--clear on an env that is a project: refused" one_line "is a project directory (it holds '.git')"
is "--clear on an env that is a project: untouched" "$(snapshot_times "$T/w/venvproj")" "$before"

# An existing env without --clear.
seeded "$VH" create "$T/w/env" -p $py >/dev/null
touch "$T/w/env/lib/keep"
before=$(snapshot_times "$T/w/env")
ok "an existing env: exit 1" run 1 create "$T/w/env" -p $py
ok "an existing env: one line saying --clear replaces it" one_line "--clear replaces it"
is "an existing env: untouched" "$(snapshot_times "$T/w/env")" "$before"
ln -s "$T/w/env" "$T/w/link"
ok "a link to an env: exit 1 even with --clear" run 1 create "$T/w/link" -p $py --clear
ok "a link to an env: refused" one_line "is a symbolic link"
is "a link to an env: the env is untouched" "$(snapshot_times "$T/w/env")" "$before"

# Paths PATH cannot carry.
ok "a ':' in the path: exit 1" run 1 create "$T/w/a:b" -p $py
ok "a ':' in the path: one line" one_line "holds a ':', which PATH cannot carry"
ok "a ':' in the path: nothing created" test ! -e "$T/w/a:b"
ok "a newline in the path: exit 1" run 1 create "$T/w/a"$'\n'"b" -p $py
ok "a newline in the path: one line (shown as ?)" one_line "holds a newline"
ok "a newline in the path: nothing created" test ! -e "$T/w/a"$'\n'"b"
ok "a ':' in a parent: exit 1" run 1 create "$T/w/p:q/env" -p $py
ok "a ':' in a parent: no parent made" test ! -e "$T/w/p:q"

# Bad usage: exit 2.
ok "an unknown option: exit 2" run 2 create --bogus
ok "two directories: exit 2" run 2 create a b
ok "-r with --without-pip: exit 2" run 2 create x -r req.txt --without-pip
ok "'--' without -r: exit 2" run 2 create x -- --no-index
ok "a prompt with a newline: exit 2" run 2 create x --prompt $'a\nb'
ok "-p without a value: exit 2" run 2 create x -p
ok "usage errors create nothing" test ! -e x -a ! -e a

# No permission.  As root: as user 65534, who may be unable to enter the
# checkout or $T (under a 700 home or temporary directory), so the binary
# and the directory it may not write to are in one it can reach.
if [ "$(id -u)" -eq 0 ]; then
	U=$(mktemp -d /tmp/venvhook-test-nobody.XXXXXX) && chmod 755 "$U" || exit 2
	at_exit 'rm -rf "$U"'
	cp "$VH" "$U/venvhook"
	vh=$U/venvhook ro=$U/ro
	as_user() { (cd / && setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"); }
	mkdir -p "$ro"
else
	vh=$VH ro=$T/ro
	mkdir -p "$ro"
	chmod 555 "$ro"
	as_user() { "$@"; }
fi
as_user env HOME= XDG_CACHE_HOME= XDG_CONFIG_HOME= XDG_DATA_HOME= XDG_STATE_HOME= \
	"$vh" create "$ro/env" -p $py >"$T/out" 2>"$T/err"
status=$? err=$(cat "$T/err")
is "no permission: exit 1" "$status" 1
ok "no permission: one line" one_line "cannot create '$ro/env': Permission denied"
is "no permission: nothing created" "$(ls -A "$ro")" ""

# A full disk: a small tmpfs, mounted by root or in a user namespace.
cat >"$T/full.sh" <<'EOF'
set -u
mnt=$1 vh=$2 py=$3 out=$4
mount -t tmpfs -o size=1500k tmpfs "$mnt" || exit 99
cd "$mnt"
"$vh" create "$mnt/env" -p "$py" >"$out.1" 2>&1; echo "status1=$?" >>"$out"
ls -A "$mnt" >"$out.ls1"
"$vh" create "$mnt/small" -p "$py" --without-pip >/dev/null 2>&1; echo "status2=$?" >>"$out"
touch "$mnt/small/lib/keep"
"$vh" create "$mnt/small" -p "$py" --clear >"$out.3" 2>&1; echo "status3=$?" >>"$out"
ls -A "$mnt" >"$out.ls3"
test -e "$mnt/small/lib/keep" && test ! -e "$mnt/small/bin/pip" && echo kept=1 >>"$out"
rm -rf "$mnt/small"
XDG_CACHE_HOME=$mnt/cache "$vh" create "$out.env" -p "$py" >"$out.4" 2>&1; echo "status4=$?" >>"$out"
cd / && umount "$mnt"
EOF
mkdir -p "$T/full"
if [ "$(id -u)" -eq 0 ]; then
	unshare -m bash "$T/full.sh" "$T/full" "$VH" $py "$T/fullres"
else
	unshare -rm bash "$T/full.sh" "$T/full" "$VH" $py "$T/fullres"
fi
if [ $? -eq 99 ] || [ ! -f "$T/fullres" ]; then
	fail "a full disk: cannot mount a small tmpfs here (neither as root nor in a user namespace)"
else
	ok "a full disk: exit 1" grep -qx status1=1 "$T/fullres"
	err=$(cat "$T/fullres.1")
	printf '%s\n' "$err" >"$T/err"
	ok "a full disk: one line saying so" one_line "No space left on device"
	is "a full disk: nothing left behind" "$(cat "$T/fullres.ls1")" ""
	ok "a full disk, --clear: exit 1" grep -qx status3=1 "$T/fullres"
	ok "a full disk, --clear: the old env is back, untouched" grep -qx kept=1 "$T/fullres"
	is "a full disk, --clear: nothing left beside it" "$(cat "$T/fullres.ls3")" "small"
	ok "a full cache: create still exits 0" grep -qx status4=0 "$T/fullres"
	ok "a full cache: pip works, unpacked in the env itself" quiet "$T/fullres.env/bin/pip" --version
fi

# A failing requirement: no env; with --clear the old one stays.
printf 'no-such-package-vh\n' >"$T/bad-req.txt"
ok "-r with a missing requirement: exit 1" run 1 create "$T/w/rq" -p $py -r "$T/bad-req.txt" \
	-- --no-index --find-links "$T/wheels"
ok "-r with a missing requirement: no env" test ! -e "$T/w/rq"
is "-r with a missing requirement: the last line says so" \
	"$(tail -n 1 "$T/err")" "venvhook: pip could not install the requirements (exit status 1); '$T/w/rq' is not created"
ok "-r failing: nothing left beside" nothing_beside "$T/w"
before=$(snapshot_times "$T/w/env")
ok "-r failing with --clear: exit 1" run 1 create "$T/w/env" -p $py --clear -r "$T/bad-req.txt" \
	-- --no-index --find-links "$T/wheels"
is "-r failing with --clear: the old env is back, untouched" "$(snapshot_times "$T/w/env")" "$before"
ok "-r failing with --clear: nothing left beside" nothing_beside "$T/w"

# Interrupted: while the cache is being filled (cold), and while pip
# installs requirements (blocked on a FIFO).
wait_for() {    # wait_for SECONDS TEST...: polls until TEST holds
	local end=$((SECONDS + $1))
	shift
	until "$@"; do
		[ $SECONDS -ge $end ] && return 1
		sleep 0.02
	done
}
has_tmp() { compgen -G "$1" >/dev/null; }
# cold_fill DIR CACHE: create DIR in the background ($pid) with CACHE, an
# empty cache; returns once it fills the cache, or 1 (and kills it) if it
# never does.
cold_fill() {
	mkdir -p "$2"
	XDG_CACHE_HOME=$2 "$VH" create "$1" -p $py >/dev/null 2>&1 &
	pid=$!
	wait_for 60 has_tmp "$2/venvhook/seed/*.tmp-*/tree/pip" && return
	kill $pid 2>/dev/null
	return 1
}

cold=$T/cold
if cold_fill "$T/w/int1" "$cold"; then
	kill -TERM $pid
	wait $pid
	status=$?
	is "SIGTERM while filling the cache: it dies of SIGTERM" "$status" 143
	ok "SIGTERM while filling the cache: no env" test ! -e "$T/w/int1"
	ok "SIGTERM while filling the cache: nothing left beside" nothing_beside "$T/w"
	is "SIGTERM while filling the cache: no half-filled cache" "$(ls "$cold/venvhook/seed")" ""
else
	fail "SIGTERM while filling the cache: the fill never started"
fi

mkfifo "$T/fifo.txt"
for sig in INT TERM; do
	"$VH" create "$T/w/int2" -p $py -r "$T/fifo.txt" >/dev/null 2>&1 &
	pid=$!
	if wait_for 60 test -e "$T/w/.int2.venvhook-$pid/bin/pip"; then
		sleep 0.5
		kill -$sig $pid
		wait $pid
		status=$?
		is "SIG$sig while pip installs: exit status 128+signal" "$status" $((128 + $(kill -l $sig)))
		ok "SIG$sig while pip installs: no env" test ! -e "$T/w/int2"
		ok "SIG$sig while pip installs: nothing left beside" nothing_beside "$T/w"
	else
		kill $pid 2>/dev/null
		fail "SIG$sig while pip installs: pip never started"
	fi
done
before=$(snapshot_times "$T/w/env")
"$VH" create "$T/w/env" -p $py --clear -r "$T/fifo.txt" >/dev/null 2>&1 &
pid=$!
if wait_for 60 test -e "$T/w/.env.venvhook-$pid/bin/pip"; then
	sleep 0.5
	kill -TERM $pid
	wait $pid
	is "SIGTERM while pip installs, --clear: the old env is back, untouched" \
		"$(snapshot_times "$T/w/env")" "$before"
	ok "SIGTERM while pip installs, --clear: nothing left beside" nothing_beside "$T/w"
else
	kill $pid 2>/dev/null
	fail "SIGTERM while pip installs, --clear: pip never started"
fi

# A path that is not UTF-8 cannot be read back from pyvenv.cfg by Python:
# refused before anything is made, with pip or without.
for w in "" --without-pip; do
	ok "a non-UTF-8 path${w:+ $w}: exit 1" run 1 create "$T/w/bad"$'\xff' -p $py $w
	ok "a non-UTF-8 path${w:+ $w}: one line" one_line "is not valid UTF-8"
	ok "a non-UTF-8 path${w:+ $w}: nothing created" test ! -e "$T/w/bad"$'\xff'
	ok "a non-UTF-8 path${w:+ $w}: nothing left beside" nothing_beside "$T/w"
done

# SIGKILL: no handler runs.  At DIR there is never an env that looks
# complete, -r included (pip runs in the build directory); what is left
# beside is listed, and removed by the next create there and by prune.
children() { cat "/proc/$1/task/$1/children" 2>/dev/null; }
alive() { kill -0 "$1" 2>/dev/null; }
# kill9 DIR ARGS...: create DIR ARGS -r FIFO, SIGKILLed (and then its pip)
# once pip waits on the FIFO; $left is the build directory it leaves.
kill9() {
	local dir=$1 pid kids
	shift
	"$VH" create "$dir" -p $py "$@" -r "$T/fifo.txt" >/dev/null 2>&1 &
	pid=$!
	left=$(dirname "$dir")/.$(basename "$dir").venvhook-$pid
	if ! wait_for 60 test -e "$left/bin/pip" || ! wait_for 60 eval 'test -n "$(children $pid)"'; then
		kill $pid
		return 1
	fi
	kids=$(children $pid)
	kill -KILL $pid
	wait $pid
	kill -KILL $kids
	wait_for 60 eval '! alive $kids'
}
if kill9 "$T/w/k1"; then
	ok "SIGKILL while pip installs: no env at DIR" test ! -e "$T/w/k1"
	ok "SIGKILL while pip installs: the build is left beside" test -d "$left"
	ok "list shows the leftover" run 0 list
	ok "list: a leftover row" grep -qE "^- .* leftover +$left\$" "$T/out"
	ok "list: one line says prune removes it" one_line "1 leftover of an interrupted create, rm or prune; 'venvhook prune' removes it"
	ok "list --json shows the leftover" run 0 list --json
	ok "list --json: its state" grep -q '"state": "leftover"' "$T/out"
	ok "the next create there: exit 0" run 0 create "$T/w/k1" -p $py --without-pip
	ok "the next create there: it says what it removed" \
		one_line "removed '$left', left by process ${left##*-}, which is gone"
	ok "the next create there: the leftover is gone" nothing_beside "$T/w"
else
	fail "SIGKILL while pip installs: pip never started"
fi
before=$(snapshot_times "$T/w/env")
if kill9 "$T/w/env" --clear; then
	is "SIGKILL while pip installs, --clear: the old env is untouched" \
		"$(snapshot_times "$T/w/env")" "$before"
	ok "SIGKILL while pip installs, --clear: prune removes the leftover" run 0 prune
	ok "prune: says so" grep -qF "removed '$left': left by process ${left##*-}, which is gone" "$T/out"
	ok "prune: nothing left beside" nothing_beside "$T/w"
	is "prune: the old env is still untouched" "$(snapshot_times "$T/w/env")" "$before"
else
	fail "SIGKILL while pip installs, --clear: pip never started"
fi
if cold_fill "$T/w/k2" "$T/cold9"; then
	kill -KILL $pid
	wait $pid
	ok "SIGKILL while filling the cache: no env at DIR" test ! -e "$T/w/k2"
	ok "SIGKILL while filling the cache: prune removes the leftover" run 0 prune
	ok "SIGKILL while filling the cache: nothing left beside" nothing_beside "$T/w"
else
	fail "SIGKILL while filling the cache: the fill never started"
fi

done_testing
