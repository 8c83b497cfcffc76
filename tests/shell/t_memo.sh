#!/bin/bash
# t_memo.sh: a cd back to a directory the shell judged a short while ago
# starts no helper (bash and zsh keep the helper's answers), and every change
# that could make a kept answer wrong sends the next cd to the helper again:
# a marker made between, a deny or a new allow from another terminal, the
# env gone, the env's pyvenv.cfg, a .venvhook file or the config edited, the
# requirements file changed, the answer's age, any venvhook command.  A kept
# answer leaves the shell as the helper's own does, a notice is said again
# on each entry (by a kept answer too, for an env's drift), and a missing
# helper still takes the env off.
# Non-interactive bash and zsh, the prompt hook called by hand; the helper
# is started through a wrapper that counts its runs.
. "$(dirname "$0")/../lib.sh"

VH=${VENVHOOK_BIN:-$TOP/venvhook}
export HOME=$T/home XDG_DATA_HOME=$T/data XDG_STATE_HOME=$T/state XDG_CONFIG_HOME=$T/config \
	XDG_CACHE_HOME=$T/cache
mkdir -p "$HOME"
unset VIRTUAL_ENV VIRTUAL_ENV_PROMPT __VENVHOOK_ENV __VENVHOOK_SHELL __VENVHOOK_OFF PYTHONHOME \
	VENVHOOK_CONFIG VENVHOOK_HOME WORKON_HOME
export PATH=$T/bin:/usr/bin:/bin

R=$T/r
make_env() { rm -rf "$1" && /usr/bin/python3 -m venv --without-pip "$1" && "$VH" allow "$1" >/dev/null; }
for p in a b u; do
	mkdir -p "$R/$p/s1/s2" "$R/p/q"
	/usr/bin/python3 -m venv --without-pip "$R/$p/.venv"
done
mkdir -p "$R/c"
printf '#!/bin/sh\n[ "$1" != hook ] || echo run >>"%s"\nexec "%s" "$@"\n' "$T/runs" "$VH" >"$T/counted"
chmod +x "$T/counted"
reset_fixtures() {
	make_env "$R/a/.venv"
	make_env "$R/b/.venv"
	: >"$R/a/requirements.txt"
	rm -f "$XDG_CONFIG_HOME/venvhook/config.ini" "$R/a/s1/.venv"
	printf '[env]\npath = %s\n' "$R/a/.venv" >"$R/c/.venvhook"
	"$VH" allow "$R/c" >/dev/null
	# Made an hour ago: an answer is kept only once what it read is settled
	# (2 s old), as in a project one comes back to.
	find "$R" -exec touch -h -d "@$(( $(date +%s) - 3600 ))" {} +
}

# The steps, in syntax bash and zsh share.  `go DIR` is a cd and the prompt
# after it; `warm X Y` goes back and forth until both cds are kept, ending in
# X; `say LABEL` prints one line: how many helper runs the steps since the
# last `say` took, the env and its prompt name; `settle FILE...` dates an
# edit some minutes back, later than the fixtures and any edit before it.
script='
k=$(( $(date +%s) - 600 ))
settle() { k=$((k + 1)); touch -h -d "@$k" "$@"; }
eval "$("$VH" init "$SHELL_NAME")"
__venvhook_bin=$T/counted
: >"$T/runs"
n0=0
go() { cd "$1" && __venvhook_hook; }
warm() { go "$1"; go "$2"; go "$1"; go "$2"; go "$1"; go "$2"; go "$1"; n0=$(runs); }
runs() { wc -l <"$T/runs" | tr -d " "; }
state() {
	printf "%s|%s|%s|%s|%s|%s|%s" "${VIRTUAL_ENV-}" "${VIRTUAL_ENV_PROMPT-}" "$PATH" "${PS1-}" \
		"${_OLD_VIRTUAL_PATH-}" "$__venvhook_applied" "$(typeset -f deactivate | wc -l)"
}
say() {
	local n
	n=$(runs)
	echo "$1 ran=$((n - n0)) env=${VIRTUAL_ENV-} prompt=${VIRTUAL_ENV_PROMPT-}"
	n0=$n
}
PS1="P> "
warm "$R/a" "$R/b"
go "$R/b"; say kept-b
go "$R/a"; say kept-a
warm "$R/b" "$R/a/s1/s2"
go "$R/a/s1/s2"; say kept-deep
replayed=$(state)
__venvhook_memo=(); go "$R/b"; go "$R/a/s1/s2"; fresh=$(state)
[ "$replayed" = "$fresh" ] && echo "same-state yes" || echo "same-state no: $replayed ~ $fresh"
warm "$R/b" "$R/a/s1/s2"
printf "%s\n" "$R/b/.venv" >"$R/a/s1/.venv"; settle "$R/a/s1/.venv"
go "$R/a/s1/s2"; say marker-between
rm "$R/a/s1/.venv"
warm "$R/b" "$R/a"
"$VH" deny "$R/a" >/dev/null
go "$R/a"; say denied-elsewhere
"$VH" allow "$R/a" >/dev/null
go "$R/b"; go "$R/a"; say in-a
"$VH" deny "$R/a" >/dev/null; __venvhook_hook; say denied-while-in
"$VH" allow "$R/a" >/dev/null
warm "$R/b" "$R/a"
"$VH" allow "$R/a" >/dev/null
go "$R/b"; go "$R/a"; say allowed-again
warm "$R/a" "$R/b"
echo "prompt = bee" >>"$R/b/.venv/pyvenv.cfg"
go "$R/b"; say pyvenv-edited
go "$R/a"; go "$R/b"; go "$R/a"; go "$R/b"; say fresh-not-kept
settle "$R/b/.venv/pyvenv.cfg"
go "$R/a"; go "$R/b"; go "$R/a"; go "$R/b"; say settled-kept
warm "$R/p/q" "$R/a"
go "$R/a"; go "$R/p/q"; say kept-plain
printf "%s\n" "$R/b/.venv" >"$R/p/.venv"; settle "$R/p/.venv"
go "$R/a"; go "$R/p/q" 2>/dev/null; say plain-marker-above
rm "$R/p/.venv"
warm "$R/p/q" "$R/a"
go "$R/a"
: >"$R/p/q/pyproject.toml"; settle "$R/p/q/pyproject.toml"
go "$R/p/q" 2>"$T/suggest.err"; say plain-sign-made
echo "suggested $(grep -c "has no env" "$T/suggest.err")"
rm "$R/p/q/pyproject.toml"
warm "$R/b" "$R/c"
go "$R/b"; go "$R/c"; say kept-c
printf "[env]\npath = %s\n" "$R/b/.venv" >"$R/c/.venvhook"; settle "$R/c/.venvhook"
go "$R/b"; go "$R/c"; say dotvenvhook-edited
warm "$R/a" "$R/b"
mkdir -p "$XDG_CONFIG_HOME/venvhook"
printf "[prompt]\nformat = <{name}> \n" >"$XDG_CONFIG_HOME/venvhook/config.ini"
settle "$XDG_CONFIG_HOME/venvhook/config.ini"
go "$R/b"; say config-made
warm "$R/b" "$R/a"
printf "[prompt]\nformat = [{name}] \n" >"$XDG_CONFIG_HOME/venvhook/config.ini"
settle "$XDG_CONFIG_HOME/venvhook/config.ini"
go "$R/a"; say config-edited
echo "ps1 $PS1"
warm "$R/b" "$R/a"
echo "nosuchpkg==1.0" >>"$R/a/requirements.txt"; settle "$R/a/requirements.txt"
go "$R/b"; go "$R/a" 2>"$T/drift.err"; say reqs-changed
echo "drift $(grep -c "differs from" "$T/drift.err")"
warm "$R/a" "$R/b" 2>/dev/null
go "$R/b"; go "$R/a" 2>"$T/drift.err"; go "$R/b"; go "$R/a" 2>>"$T/drift.err"; say drift-kept
echo "drift $(grep -c "differs from" "$T/drift.err")"
: >"$R/a/requirements.txt"; settle "$R/a/requirements.txt"
warm "$R/b" "$R/u" 2>"$T/u.err"
echo "notices $(grep -c "not trusted" "$T/u.err")"
warm "$R/b" "$R/a"
SECONDS=1000000
go "$R/a"; say aged
warm "$R/a" "$R/b"
SECONDS=5
go "$R/b"; say set-back
warm "$R/a" "$R/b"
venvhook status >/dev/null
go "$R/b"; say after-command
warm "$R/a" "$R/b"
rm -rf "$R/b/.venv"
go "$R/a"; go "$R/b"; say env-gone
make_env() { /usr/bin/python3 -m venv --without-pip "$1" && "$VH" allow "$1" >/dev/null; }
make_env "$R/b/.venv"; settle "$R/b/.venv/pyvenv.cfg" "$R/b/.venv/lib/python3"*/site-packages
# 40 directories, past the 32 answers kept, then 3 rounds of 20.
bad=0 i=0
visit() {
	local d
	[ $(( $1 % 2 )) = 0 ] && d=a/d$1 || d=b/d$1
	mkdir -p "$R/$d"
	go "$R/$d"
	[ "${VIRTUAL_ENV-}" = "$R/${d%%/*}/.venv" ] || { bad=$((bad + 1)); echo "wrong in $d: ${VIRTUAL_ENV-}"; }
}
venvhook status >/dev/null     # none kept
while [ $i -lt 40 ]; do visit $i; i=$((i + 1)); done
say many
i=0
while [ $i -lt 60 ]; do visit $(( i % 20 )); i=$((i + 1)); done
say many-kept
echo "wrong $bad"
warm "$R/a" "$R/c"
__venvhook_bin=$T/missing
go "$R/c" 2>/dev/null; say helper-missing
'

check() {
	local out=$1 label=$2 ran=$3 env=$4 line
	line=$(grep "^$label " <<<"$out")
	line=${line#* ran=}
	is "$label: helper runs, env" "${line%% prompt=*}" "$ran env=$env"
}

for SH in bash zsh; do
	reset_fixtures
	if [[ $SH == bash ]]; then
		out=$(SHELL_NAME=bash VH=$VH T=$T R=$R bash --norc --noprofile -c "$script" 2>&1)
	else
		out=$(SHELL_NAME=zsh VH=$VH T=$T R=$R zsh -f -c "$script" 2>&1)
	fi
	[[ -z ${SHOW-} ]] || diag "$out"
	A=$R/a/.venv B=$R/b/.venv
	check "$out" kept-b 0 "$B"
	check "$out" kept-a 0 "$A"
	check "$out" kept-deep 0 "$A"
	is "a kept answer leaves the shell as the helper's own does" \
		"$(grep '^same-state' <<<"$out")" "same-state yes"
	check "$out" marker-between 1 "$B"
	check "$out" denied-elsewhere 1 ""
	check "$out" in-a 2 "$A"
	check "$out" denied-while-in 1 ""
	check "$out" allowed-again 1 "$A"
	check "$out" pyvenv-edited 1 "$B"
	check "$out" fresh-not-kept 2 "$B"
	check "$out" settled-kept 1 "$B"
	like "the edited pyvenv.cfg's prompt is used" "$(grep '^pyvenv-edited ' <<<"$out")" 'prompt=\(?bee\)? ?$'
	check "$out" kept-plain 0 ""
	check "$out" plain-marker-above 1 "$B"
	check "$out" plain-sign-made 1 ""
	is "a suggestion is said where a kept answer said none" "$(grep '^suggested ' <<<"$out")" "suggested 1"
	check "$out" kept-c 0 "$A"
	check "$out" dotvenvhook-edited 1 "$B"
	check "$out" config-made 1 "$B"
	check "$out" config-edited 1 "$A"
	is "the edited config's prompt format is used" "$(grep '^ps1 ' <<<"$out")" "ps1 [a]P> "
	check "$out" reqs-changed 1 "$A"
	is "the drift is said on entry" "$(grep -m1 '^drift ' <<<"$out")" "drift 1"
	is "... on each entry" "$(grep '^drift ' <<<"$out" | sed -n 2p)" "drift 2"
	check "$out" drift-kept 0 "$A"
	is "an untrusted env's notice is said on each entry" "$(grep '^notices ' <<<"$out")" "notices 3"
	check "$out" aged 1 "$A"
	check "$out" set-back 1 "$B"
	check "$out" after-command 1 "$B"
	check "$out" env-gone 1 ""
	check "$out" helper-missing 0 ""
	is "100 cds among 40 directories, past 32 kept answers: each env right" \
		"$(grep '^wrong ' <<<"$out")" "wrong 0"
	line=$(grep '^many-kept ' <<<"$out")
	line=${line#* ran=}
	is "... 3 rounds of 20: the helper runs in the first only" "${line%% *}" 20
	n=$(find "$XDG_CACHE_HOME/venvhook/memo" -type f | wc -l)
	# a, b, c (two envs), a/s1 and p (b's env), and the answers without an env.
	ok "one stamp per project and env, one for the answers without an env ($n)" test "$n" -le 7
done
SH=

# zsh's SECONDS may be a float (typeset -F SECONDS): answers are kept as ever.
reset_fixtures
out=$(VH=$VH T=$T R=$R zsh -f -c 'typeset -F SECONDS
eval "$("$VH" init zsh)"
__venvhook_bin=$T/counted
: >"$T/runs"
for d in a b a b a b; do cd "$R/$d" && __venvhook_hook; done
echo "env=${VIRTUAL_ENV-} runs=$(wc -l <"$T/runs")"' 2>&1)
# (the first cd to a from no env, then to b and back to a from the other env:
# 3 runs; the 3 cds after them kept)
is "zsh, typeset -F SECONDS: the env is activated, and the cds back are kept" "$out" "env=$R/b/.venv runs=3"

# SECONDS unset under set -u (bash) or no_unset (zsh): the hook works, and
# keeps nothing.
for SH in bash zsh; do
	reset_fixtures
	out=$(VH=$VH T=$T R=$R "$SH" $([[ $SH == bash ]] && echo --norc --noprofile || echo -f) -c '
eval "$("$VH" init '"$SH"')"
'"$([[ $SH == bash ]] && echo 'set -u' || echo 'setopt no_unset')"'
unset SECONDS
for d in a b a; do cd "$R/$d" && __venvhook_hook; done
echo "env=${VIRTUAL_ENV-}"' 2>&1)
	is "SECONDS unset, set -u: the env is activated, no error" "$out" "env=$R/a/.venv"
	# Answers kept first, SECONDS unset after: a kept answer's test of the
	# time fails (no error that would stop every prompt), the helper judges.
	reset_fixtures
	out=$(VH=$VH T=$T R=$R "$SH" $([[ $SH == bash ]] && echo --norc --noprofile || echo -f) -c '
eval "$("$VH" init '"$SH"')"
'"$([[ $SH == bash ]] && echo 'set -u' || echo 'setopt no_unset')"'
__venvhook_bin=$T/counted
: >"$T/runs"
for d in a b a b; do cd "$R/$d" && __venvhook_hook; done
unset SECONDS
for d in a c b; do cd "$R/$d" && __venvhook_hook; echo "$d:${VIRTUAL_ENV-}"; done
cd "$R/p" && __venvhook_hook; echo "p:${VIRTUAL_ENV-} runs=$(wc -l <"$T/runs")"' 2>&1)
	is "answers kept, then SECONDS unset under set -u: each cd judged afresh, no error" "$out" \
		"a:$R/a/.venv"$'\n'"c:$R/a/.venv"$'\n'"b:$R/b/.venv"$'\n'"p: runs=7"
done
SH=

# A notice said again by a kept answer is quoted like every word the helper
# prints: a requirements file named by a cloned .venvhook with command
# substitutions, quotes, a % and terminal escapes runs nothing and shows the
# escapes as '?', as the helper's own notice does.
H=$T/hostile
mkdir -p "$H/p" "$H/q"
hostile='r$(touch pwned)`touch pwned2`%n'\''x'$'\e]0;T\a'
/usr/bin/python3 -m venv --without-pip "$H/p/.venv"
printf 'nosuchpkg==1\n' >"$H/p/$hostile"
printf '[env]\npath = ./.venv\nrequirements = %s\n' "$hostile" >"$H/p/.venvhook"
"$VH" allow "$H/p" >/dev/null
find "$H" -exec touch -h -d "@$(( $(date +%s) - 3600 ))" {} +
for SH in bash zsh; do
	: >"$T/runs"
	out=$(cd "$H" && SHELL_NAME=$SH VH=$VH T=$T H=$H "$SH" $([[ $SH == bash ]] && echo --norc --noprofile || echo -f) -c '
eval "$("$VH" init "$SHELL_NAME")"
__venvhook_bin=$T/counted
for i in 1 2 3; do cd "$H/p"; __venvhook_hook; cd "$H/q"; __venvhook_hook; done' 2>&1)
	is "a hostile requirements name: the notice said on each entry, the same" \
		"$(sort -u <<<"$out" | wc -l) $(wc -l <<<"$out")" "1 3"
	like "... its escapes shown as '?'" "$out" "%n'x\?\]0;T\?'"
	# (the first cd into p and the first out of it ran the helper)
	is "... the later entries replayed" "$(wc -l <"$T/runs")" 2
	ok "... and nothing it names ran" test ! -e "$H/p/pwned" -a ! -e "$H/p/pwned2" -a ! -e "$H/pwned" \
		-a ! -e "$H/q/pwned"
done
SH=

# Without a usable cache (a file, or another user's directory) no answer is
# kept, and the hook works as ever.
reset_fixtures
: >"$T/cachefile"
out=$(cd "$R/a" && XDG_CACHE_HOME=$T/cachefile "$VH" hook bash 2>&1)
like "no cache: the env is activated" "$out" "__venvhook_activate \\$'$R/a/.venv'"
is "no cache: no answer is kept" "${out/__venvhook_g=/}" "$out"
mkdir -p "$T/theirs/venvhook/memo" && chown -R 65534 "$T/theirs/venvhook"
out=$(cd "$R/a" && XDG_CACHE_HOME=$T/theirs "$VH" hook bash 2>&1)
like "another user's cache: the env is activated" "$out" "__venvhook_activate \\$'$R/a/.venv'"
is "another user's cache: no answer is kept" "${out/__venvhook_g=/}" "$out"
done_testing
