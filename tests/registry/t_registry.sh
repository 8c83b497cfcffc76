#!/bin/bash
# The registry: what allow and the hook record, 20 writers at once, damage.
. "$(dirname "$0")/lib.sh"

# --- allow and activation record ---------------------------------------------
mkdir -p "$T/p/a"
mkenv "$T/p/a/.venv"
out=$("$VH" allow "$T/p/a" 2>&1)
is "allow succeeds quietly" "$out" "allowed '$T/p/a/.venv'"
ok "allow created the registry" test -f "$REG"
is "registry mode is 0600" "$(stat -c %a "$REG")" 600
is "state directory mode is 0700" "$(stat -c %a "$XDG_STATE_HOME/venvhook")" 700
is "allow records env, project, interpreter, version, never used" \
	"$(listjson '[(e["env"], e["project"], e["python"], e["version"], e["last_used"], e["recorded"], e["state"]) for e in envs]')" \
	"$("$PY" -c 'import json,sys; print(json.dumps([[sys.argv[1] + "/.venv", sys.argv[1], "/usr/bin/python3.11", sys.argv[2], None, "allowed", "ok"]]))' \
	"$T/p/a" "$(sed -n 's/^version = //p' "$T/p/a/.venv/pyvenv.cfg")")"
created=$(listjson 'envs[0]["created"]')
like "created is the env's birth" "$created" '^[0-9]{10}$'

out=$(hook "$T/p/a" 2>&1)
like "the hook activates" "$out" "__venvhook_activate '?\\\$?'?$T/p/a/.venv"
used=$(listjson 'envs[0]["last_used"]')
like "activation records the last use" "$used" '^[0-9]{10}$'
now=$(date +%s)
ok "the last use is now" test $((now - used)) -le 5 -a $((now - used)) -ge 0

# An activation only appends to the journal; list merges it and removes it.
J=$XDG_STATE_HOME/venvhook/registry.journal
ino=$(stat -c %i "$REG") before=$(cat "$REG")
hook "$T/p/a" >/dev/null 2>&1
hook "$T/p/a" >/dev/null 2>&1
is "activating leaves the registry as it was" "$(stat -c %i "$REG"; cat "$REG")" "$ino
$before"
is "... and appends one line per activation to the journal" "$(wc -l <"$J")" 2
like "... naming the env and its use" "$(head -1 "$J")" \
	"^$T/p/a/\.venv"$'\t\t\t\t0\t[0-9]{10}\tactivated$'
is "journal mode is 0600" "$(stat -c %a "$J")" 600
"$VH" list >/dev/null 2>&1
ok "list merges the journal and removes it" test ! -e "$J"
is "... one record still" "$(listjson 'len(envs)')" 1

# A use older than a minute is updated.
"$PY" - "$REG" <<'EOF'
import sys
p = sys.argv[1]
lines = open(p, 'rb').read().split(b'\n')
f = lines[1].split(b'\t'); f[5] = b'1000'; lines[1] = b'\t'.join(f)
open(p, 'wb').write(b'\n'.join(lines))
EOF
hook "$T/p/a" >/dev/null 2>&1
ok "a use older than a minute is updated" test "$(listjson 'envs[0]["last_used"]')" -ge "$now"

# Activating an env through a symlinked path records its real path, once.
ln -s "$T/p/a" "$T/p/alias"
hook "$T/p/alias" >/dev/null 2>&1
is "a symlinked path is the same env" "$(listjson 'len(envs)')" 1

# --- 20 writers at once -------------------------------------------------------
# Waits for every process in pids: 0 if each succeeded.
wait_pids() {
	local p st=0
	for p in "${pids[@]}"; do wait "$p" || st=1; done
	return $st
}
# How many records of the envs below $T/c/ there are (with $1, that hold it too).
c_records() {
	listjson "len([e for e in envs if e['env'].startswith('$T/c/')${1:+ and $1}])"
}
for i in $(seq 1 20); do
	mkdir -p "$T/c/p$i"
	cpenv "$T/c/p$i/.venv"
done
rm -f "$REG"
pids=()
for i in $(seq 1 20); do
	"$VH" allow "$T/c/p$i" >"$T/c/out$i" 2>&1 &
	pids+=($!)
done
wait_pids
is "20 concurrent allows all succeed" $? 0
is "20 concurrent allows: nothing on stderr" "$(cat "$T"/c/out* | grep -v '^allowed' || true)" ""
is "20 concurrent allows: 20 records" "$(c_records)" 20
is "the registry parses: header and one line per env" \
	"$(head -1 "$REG"; tail -n +2 "$REG" | awk -F'\t' 'NF != 7 { bad++ } END { print bad + 0 }')" \
	"venvhook-registry 1
0"
is "no temporary file is left beside it" "$(ls -A "$XDG_STATE_HOME/venvhook" | sort | tr '\n' ' ')" \
	"registry registry.lock "

# The same through the prompt hook: 20 shells activating at once.
rm -f "$REG"
pids=()
for i in $(seq 1 20); do
	hook "$T/c/p$i" >"$T/c/hook$i" 2>&1 &
	pids+=($!)
done
wait_pids
is "20 concurrent hooks all succeed" $? 0
is "20 concurrent hooks all activate" "$(grep -l __venvhook_activate "$T"/c/hook* | wc -l)" 20
is "20 concurrent hooks: nothing on stderr" "$(grep -hv '^__venvhook' "$T"/c/hook* || true)" ""
is "20 concurrent hooks: 20 records with their use" "$(c_records "e['last_used']")" 20

# Mixed and repeated: 20 processes, each allowing, activating and listing 3 times.
rm -f "$REG"
pids=()
for i in $(seq 1 20); do
	(
		for k in 1 2 3; do
			"$VH" allow "$T/c/p$i" >/dev/null || exit 1
			hook "$T/c/p$i" >/dev/null || exit 1
			"$VH" list --json >/dev/null || exit 1
		done
	) 2>"$T/c/mixed$i" &
	pids+=($!)
done
wait_pids
is "20 mixed writers x3 all succeed" $? 0
is "20 mixed writers: nothing on stderr" "$(cat "$T"/c/mixed*)" ""
is "20 mixed writers: 20 records" "$(c_records)" 20

# Shells activating while others list: every activation reaches the registry.
rm -f "$REG" "$J"
pids=()
for i in $(seq 1 20); do
	hook "$T/c/p$i" >/dev/null 2>"$T/c/race$i" &
	pids+=($!)
	"$VH" list >/dev/null 2>>"$T/c/race$i" &
	pids+=($!)
done
wait_pids
is "20 hooks racing 20 lists all succeed" $? 0
is "... nothing on stderr" "$(cat "$T"/c/race*)" ""
is "... 20 records with their use: no append lost to a merge" "$(c_records "e['last_used']")" 20
ok "... and the journal is merged" test ! -e "$J"

# --- the journal stays small -------------------------------------------------
# A long stay: thousands of activations of one env shorten to one line.
now=$(date +%s)
for i in $(seq 1 1000); do
	printf '%s\t%s\t\t\t0\t%s\tactivated\n' "$T/c/p1/.venv" "$T/c/p1" $((now + i))
done >"$J"
size=$(stat -c %s "$J")
hook "$T/c/p2" >/dev/null 2>"$T/err"
is "a large journal: the hook stays quiet" "$(cat "$T/err")" ""
ok "... and shortens it ($size bytes before, $(stat -c %s "$J") after)" test "$(stat -c %s "$J")" -lt 1000
is "... to one line per env" "$(cut -f1 "$J" | sort | tr '\n' ' ')" "$T/c/p1/.venv $T/c/p2/.venv "
is "... keeping the latest use" "$(listjson "by['$T/c/p1/.venv']['last_used']")" $((now + 1000))
# Many envs: merged into the registry instead.
for i in $(seq 1 2000); do
	printf '%s\t\t\t\t0\t%s\tactivated\n' "$T/many/env$i" "$now"
done >"$J"
hook "$T/c/p2" >/dev/null 2>"$T/err"
is "a journal of many envs: the hook stays quiet" "$(cat "$T/err")" ""
ok "... and merges it into the registry" test ! -e "$J"
is "... which holds them all" "$(grep -c "^$T/many/env" "$REG")" 2000

# --- damage ------------------------------------------------------------------
# A damaged journal: reported once, its good lines merged.
hook "$T/c/p3" >/dev/null 2>&1
printf 'garbage\n/cut\t' >>"$J"
err=$("$VH" list 2>&1 >/dev/null)
is "a damaged journal is reported in one line" "$err" \
	"venvhook: the registry journal '$J' was damaged (2 bad lines); merged its 1 good line"
ok "... and removed" test ! -e "$J"
is "... and reported once" "$("$VH" list 2>&1 >/dev/null)" ""
rm -rf "$T/many"
"$VH" prune >/dev/null 2>&1

good=$(listjson 'len(envs)')
printf 'garbage line\n/half\t/x\n' >>"$REG"
err=$("$VH" list 2>&1 >/dev/null)
like "a damaged registry is reported in one line" "$err" \
	"^venvhook: the registry '$REG' was damaged \\(2 bad lines\\); rebuilt it from its $good good lines and 0 trust records$"
is "... with the good lines kept" "$(listjson 'len(envs)' 2>&1)" "$good"
is "... and reported once" "$("$VH" list 2>&1 >/dev/null)" ""

# A NUL byte, a cut line.
printf '/nul\0ed\t\t\t\t0\t0\tfound\n' >>"$REG"
err=$("$VH" list 2>&1 >/dev/null)
like "a NUL byte is damage" "$err" "damaged \\(1 bad line\\)"
is "... the good lines survive it" "$(listjson 'len(envs)')" "$good"
size=$(stat -c %s "$REG")
truncate -s $((size - 20)) "$REG"
err=$("$VH" list 2>&1 >/dev/null)
like "a registry cut short is damage, rebuilt with the trust records" "$err" \
	"damaged \\(1 bad line\\); rebuilt it from its $((good - 1)) good lines and 1 trust record$"
is "... and nothing is lost that is on disk" "$(listjson 'len(envs)')" "$good"

# Not even a first line: everything from the trust records.
printf 'not a registry\n' >"$REG"
err=$("$VH" list 2>&1 >/dev/null)
like "a foreign file is rebuilt from the allow records" "$err" \
	"damaged \\(2 bad lines\\); rebuilt it from its 0 good lines and 21 trust records$"
is "... which name every allowed env" "$(listjson 'len(envs)')" 21
is "... with the project of a .venv" "$(listjson "by['$T/p/a/.venv']['project']")" "$T/p/a"

# Missing: the first use starts from the allow records, silently.
rm -f "$REG"
is "a missing registry is no error" "$("$VH" list 2>&1 >/dev/null)" ""
is "... and starts from the allow records" "$(listjson 'len(envs)')" 21

# --- the hook never fails because of the registry ----------------------------
rm -rf "$XDG_STATE_HOME"
printf 'a file, not a directory\n' >"$XDG_STATE_HOME"
out=$(hook "$T/p/a" 2>"$T/err")
st=$?
is "no state directory: the hook succeeds" "$st" 0
like "... and activates" "$out" "__venvhook_activate"
is "... silently" "$(cat "$T/err")" ""
err=$("$VH" list 2>&1)
is "... while list says why" "$err" "venvhook: cannot open '$XDG_STATE_HOME/venvhook/registry.lock': Not a directory"
rm -f "$XDG_STATE_HOME"

mkdir -p "$REG"
out=$(hook "$T/p/a" 2>"$T/err")
st=$?
is "registry not a regular file: the hook succeeds" "$st" 0
like "... and activates" "$out" "__venvhook_activate"
like "... and says at most one line" "$(wc -l <"$T/err")" '^[01]$'
rmdir "$REG"

# Another process holds the lock: the hook waits 2 s at most, then goes on.
"$VH" list >/dev/null 2>&1
flock --no-fork "$XDG_STATE_HOME/venvhook/registry.lock" sleep 6 >/dev/null 2>&1 &
lockpid=$!
# (until it holds the lock: another flock cannot take it)
for _ in $(seq 500); do
	flock -n "$XDG_STATE_HOME/venvhook/registry.lock" true || break
	sleep 0.01
done
t0=$(date +%s%N)
out=$(hook "$T/c/p1" 2>"$T/err")
st=$?
t1=$(date +%s%N)
is "lock held: the hook succeeds" "$st" 0
like "... and activates" "$out" "__venvhook_activate"
ms=$(((t1 - t0) / 1000000))
ok "... within 3 s (took $ms ms)" test "$ms" -lt 3000
is "... silently" "$(cat "$T/err")" ""
kill "$lockpid" 2>/dev/null
wait "$lockpid" 2>/dev/null

# allow reports a registry failure but still allows.
printf 'x\n' >"$T/statefile"
out=$(XDG_STATE_HOME=$T/statefile "$VH" allow "$T/c/p2" 2>"$T/err")
st=$?
is "allow without a registry still succeeds" "$st" 0
is "... and allows" "$out" "allowed '$T/c/p2/.venv'"
is "... and says why the record failed" "$(cat "$T/err")" \
	"venvhook: cannot open '$T/statefile/venvhook/registry.lock': Not a directory"

out=$(env -u HOME -u XDG_STATE_HOME "$VH" list 2>&1)
st=$?
is "list without HOME fails" "$st" 1
is "... saying why" "$out" "venvhook: cannot find the registry: set \$HOME or \$XDG_STATE_HOME"

done_testing
