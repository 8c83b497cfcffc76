#!/bin/bash
# venvhook exec: runs a command in the env the hook would activate, with the
# environment activation sets, as the command itself (execve); refuses what
# the hook refuses, with the hook's own line and status 2.
. "$(dirname "$0")/lib.sh"

P=$T/proj
mkvenv "$P/.venv"
mkdir -p "$P/sub/deeper"
"$VH" allow "$P" >/dev/null || fail "allow $P"
PYV=$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
if [[ $PYV == 3.1[0-2] ]]; then WANT_PROMPT='(proj) '; else WANT_PROMPT=proj; fi

# python names the env as its prefix, from the project and from below it.
out=$(cd "$P" && "$VH" exec python -c 'import sys; print(sys.prefix)')
is "python's sys.prefix is the env" "$out" "$P/.venv"
out=$(cd "$P/sub/deeper" && "$VH" exec python3 -c 'import sys; print(sys.prefix)')
is "the env is found walking up, as the hook does" "$out" "$P/.venv"

# Exactly what activation sets.
out=$(cd "$P" && PYTHONHOME=/nowhere VIRTUAL_ENV_PROMPT=stale "$VH" exec -- \
	sh -c 'printf "%s|%s|%s|%s\n" "$VIRTUAL_ENV" "$VIRTUAL_ENV_PROMPT" "$PATH" "${PYTHONHOME-unset}"')
is "VIRTUAL_ENV, VIRTUAL_ENV_PROMPT, PATH, no PYTHONHOME" "$out" \
	"$P/.venv|$WANT_PROMPT|$P/.venv/bin:/usr/bin:/bin|unset"
# The same VIRTUAL_ENV and VIRTUAL_ENV_PROMPT the hook gives the shell.
__venvhook_activate() { H="$1|$2"; }
H=
eval "$(cd "$P" && "$VH" hook bash 2>/dev/null)"
out=$(cd "$P" && "$VH" exec sh -c 'printf "%s|%s\n" "$VIRTUAL_ENV" "$VIRTUAL_ENV_PROMPT"')
is "the same values as the hook's activation" "$out" "$H"
# A previously active env's bin leaves PATH, as its deactivate would take it out.
O=$T/other
out=$(cd "$P" && VIRTUAL_ENV=$O PATH=/x:$O/bin:/usr/bin:/bin "$VH" exec \
	/bin/sh -c 'printf "%s\n" "$PATH"')
is "a previous env's bin is replaced" "$out" "$P/.venv/bin:/x:/usr/bin:/bin"
out=$(cd "$P" && env -u PATH "$VH" exec /bin/sh -c 'printf "%s\n" "$PATH"')
is "an unset PATH becomes the env's bin alone" "$out" "$P/.venv/bin"
# The command is found on the new PATH: the env's own scripts come first.
printf '#!/bin/sh\necho from-env\n' >"$P/.venv/bin/tool"
chmod 755 "$P/.venv/bin/tool"
out=$(cd "$P" && "$VH" exec tool)
is "the command is looked up on the env's PATH" "$out" from-env

# Exit statuses pass through.
for s in 0 1 3 42 255; do
	(cd "$P" && "$VH" exec sh -c "exit $s")
	is "exit status $s passes through" "$?" "$s"
done
(cd "$P" && "$VH" exec no-such-command-here 2>"$T/err")
is "a command not found: 127" "$?" 127
is "and one line about it" "$(cat "$T/err")" \
	"venvhook: cannot run 'no-such-command-here': No such file or directory"
printf 'not runnable\n' >"$T/plain"
chmod 644 "$T/plain"
(cd "$P" && "$VH" exec "$T/plain" 2>/dev/null)
is "a command that cannot run: 126" "$?" 126

# The command is this process (execve, no child): the pid is the same, and a
# signal sent to it reaches the command.
(cd "$P" && exec "$VH" exec sh -c 'echo $$ >"$1"; exec sleep 1000' sh "$T/pid") &
bg=$!
for _ in $(seq 500); do [[ -s $T/pid ]] && break; sleep 0.02; done
read -r cpid <"$T/pid" 2>/dev/null
is "the command runs in venvhook's own process" "${cpid-}" "$bg"
for _ in $(seq 500); do [[ $(cat /proc/$bg/comm 2>/dev/null) == sleep ]] && break; sleep 0.02; done
kill -TERM "$bg"
wait "$bg"
is "SIGTERM reaches the command (status 128+15)" "$?" 143
# A signal the command handles is the command's business.
(cd "$P" && exec "$VH" exec sh -c 'trap "exit 9" USR1; echo ready >"$1"; while :; do sleep 0.05; done' \
	sh "$T/ready") &
bg=$!
for _ in $(seq 500); do [[ -s $T/ready ]] && break; sleep 0.02; done
kill -USR1 "$bg"
wait "$bg"
is "a trapped signal runs the command's handler" "$?" 9

# Refusals: the hook's one line, status 2, nothing runs.
refuses() {  # refuses DESC DIR [exec options...]: exec refuses in DIR as the hook says
	local d=$1 dir=$2
	shift 2
	rm -f "$T/ran"
	(cd "$dir" && "$VH" exec "$@" touch "$T/ran" 2>"$T/err")
	local s=$? got want
	got=$(cat "$T/err")
	want=$(cd "$dir" && "$VH" hook bash 2>&1 >/dev/null)
	if [[ $s == 2 && ! -e $T/ran && -n $got && $got == "$want" && $got != *$'\n'* ]]; then
		pass "$d"
	else
		fail "$d" "status $s (want 2); ran: $([[ -e $T/ran ]] && echo yes || echo no)" \
			"got:  $got" "hook: $want"
	fi
}
U=$T/untrusted
mkvenv "$U/.venv"
refuses "an untrusted env is refused" "$U"
rm -f "$T/ran"
(cd "$T" && "$VH" exec --env "$U" touch "$T/ran" 2>"$T/err")
s=$?
is "--env naming an untrusted project refuses too" "$s:$([[ -e $T/ran ]] && echo ran)" "2:"
(cd "$T" && "$VH" exec --env "$U/.venv" touch "$T/ran" 2>/dev/null)
is "--env naming an untrusted env refuses too" "$?:$([[ -e $T/ran ]] && echo ran)" "2:"

D=$T/denied
mkvenv "$D/.venv"
"$VH" deny "$D" >/dev/null
rm -f "$T/ran"
(cd "$D" && "$VH" exec touch "$T/ran" 2>"$T/err")
is "a denied env is refused" "$?:$([[ -e $T/ran ]] && echo ran)" "2:"
is "with the reason" "$(cat "$T/err")" \
	"venvhook: '$D/.venv' is denied; 'venvhook allow' trusts it"

W=$T/writable
mkvenv "$W/.venv"
"$VH" allow "$W" >/dev/null
chgrp 54321 "$W/.venv"  # a group that may have other members (no /etc/group lists it)
chmod g+w "$W/.venv"
refuses "an unsafe (group-writable) env is refused" "$W"

M=$T/missing
mkdir -p "$M"
echo "$T/gone" >"$M/.venv"
refuses "a missing env is refused" "$M"

mkdir -p "$T/plainproj"
rm -f "$T/ran"
(cd "$T/plainproj" && "$VH" exec touch "$T/ran" 2>"$T/err")
is "no env at all: status 2, nothing runs" "$?:$([[ -e $T/ran ]] && echo ran)" "2:"
is "with one line" "$(cat "$T/err")" \
	"venvhook: no env for '$T/plainproj': no marker from there up to /"

# --env: a project, an env or a marker file, from anywhere.
out=$(cd / && "$VH" exec --env "$P" python -c 'import sys; print(sys.prefix)')
is "--env PROJECT" "$out" "$P/.venv"
out=$(cd / && "$VH" exec --env="$P/.venv" -- python -c 'import sys; print(sys.prefix)')
is "--env=ENV --" "$out" "$P/.venv"
(cd "$P" && "$VH" exec --env "$T/nothing" true 2>"$T/err")
is "--env naming nothing: status 2" "$?" 2

# Usage.
(cd "$P" && "$VH" exec 2>/dev/null)
is "no command: status 2" "$?" 2
(cd "$P" && "$VH" exec --bogus true 2>/dev/null)
is "an unknown option: status 2" "$?" 2
(cd "$P" && "$VH" exec --env 2>/dev/null)
is "--env without a value: status 2" "$?" 2
out=$(cd "$P" && "$VH" exec -- echo --env x)
is "what follows the command is the command's" "$out" "--env x"

done_testing
