#!/bin/bash
# config.ini: every key as the hook and the commands see it, malformed and
# hostile files, VENVHOOK_CONFIG and VENVHOOK_DISABLE.
. "$(dirname "$0")/lib.sh"

mkdir -p "$(dirname "$CONF")"
conf() { printf '%s\n' "$@" >"$CONF"; }
W=$T/w
for p in a b u; do
	mkdir -p "$W/$p/sub"
	cpenv "$W/$p/.venv"
done
"$VH" allow "$W/a" >/dev/null
"$VH" allow "$W/b" >/dev/null
activates() { [[ $(hook "$@" 2>/dev/null) == *__venvhook_activate* ]]; }
# act DIR [ARGS]: the arguments of the hook's __venvhook_activate, joined by |.
act() {
	local out
	out=$(hook "$@" 2>/dev/null)
	bash -c '__venvhook_activate() { local IFS="|"; echo "$*"; }
		__venvhook_adopt() { :; }; __venvhook_deactivate() { :; }; __venvhook_forget() { :; }
		eval "$1"' _ "$out"
}
inactive() { ! activates "$@"; }

ok "without a config, a allows" activates "$W/a"
is "without a config, the untrusted env is mentioned" "$(hook "$W/u" 2>&1 >/dev/null)" \
	"venvhook: '$W/u/.venv' is not trusted: it was made at another path, '$T/.template'; 'venvhook allow' activates it, then 'venvhook repair' fixes it"

# --- [hook] ignore -------------------------------------------------------------
conf '[hook]' '# nothing under w/b itself' "ignore = ^$W/b\$" 'ignore = /u(/|$)'
ok "ignore: a matching directory activates nothing" inactive "$W/b"
ok "ignore: the pattern is matched against the directory, so b/sub is not ignored" activates "$W/b/sub"
ok "ignore: a non-matching directory still activates" activates "$W/a"
out=$(hook "$W/b" '' '' '' 2>&1)
like "ignore: an ignored directory gets a hook" "$out" '^__venvhook_hook\(\) \{'
ok "ignore: an ignored directory walks nothing (its hook tests no path)" test "${out/ -e /}" = "$out"
out=$(cd "$W/b" && VIRTUAL_ENV=$W/a/.venv __VENVHOOK_ENV=$W/a/.venv "$VH" hook bash "$W/a/.venv" 2>&1)
like "ignore: entering an ignored directory deactivates ours" "$out" "^__venvhook_deactivate"
is "ignore: no notice about an untrusted env there" "$(hook "$W/u/sub" 2>&1 >/dev/null)" ""
out=$(cd "$W/b" && "$VH" status)
like "status says which pattern ignores it, with file and line" "$out" \
	"state +not active: the directory matches the \\[hook\\] ignore pattern '\\^$W/b\\$' \\('$CONF' line 3\\)"
conf '[hook]' 'ignore = ^(a|aa)+$' 'ignore = ^(x+x+)+y'
long=$T/$(printf 'x%.0s' $(seq 1 200))/$(printf 'x%.0s' $(seq 1 200))
mkdir -p "$long"
cpenv "$long/.venv"
"$VH" allow "$long" >/dev/null
t0=$(date +%s%N)
ok "a backtracking pattern gives up, and the hook goes on" activates "$long"
ms=$((($(date +%s%N) - t0) / 1000000))
ok "... within a second (took $ms ms)" test "$ms" -lt 1000

# --- [hook] ceiling ------------------------------------------------------------
C=$T/ceil/top/proj
mkdir -p "$C/sub/deeper"
cpenv "$C/.venv"
"$VH" allow "$C" >/dev/null
conf '[hook]' "ceiling = $C/sub"
ok "ceiling: the walk does not reach a project above it" inactive "$C/sub/deeper"
out=$(hook "$C/sub/deeper" 2>&1)
like "ceiling: nor looks at the ceiling itself" "$out" "-e '?\\\$?'?$C/sub/deeper/\\.venv"
[[ $out == *"$C/sub/.venv"* || $out == *"$C/.venv"* ]] && fail "ceiling: ... nor above it" "$out" ||
	pass "ceiling: ... nor above it"
ok "ceiling: starting at the ceiling looks at it" inactive "$C/sub"
conf '[hook]' "ceiling = $T/ceil/top" 'ceiling = /nonexistent'
ok "ceiling: a project below the ceiling is found" activates "$C/sub/deeper"
out=$(hook "$C/sub/deeper" 2>&1)
[[ $out == *"$T/ceil/top/.venv"* || $out == *"$T/ceil/.venv"* ]] &&
	fail "ceiling: the walk stops below it" "$out" || pass "ceiling: the walk stops below it"
conf '[hook]' "ceiling = ~/"
mkdir -p "$HOME/proj"
cpenv "$HOME/.venv"
"$VH" allow "$HOME/.venv" >/dev/null
ok "ceiling: ~/ is the home directory, which is not looked at" inactive "$HOME/proj"
conf

# --- [hook] markers ------------------------------------------------------------
M=$T/m
mkdir -p "$M/p/sub" "$M/q" "$M/both"
cpenv "$M/p/venv"
"$VH" allow "$M/p/venv" >/dev/null
printf 'SECRET=1\n' >"$M/q/.env"         # a dotenv file, not an env
cpenv "$M/both/.venv"
cpenv "$M/both/venv"
"$VH" allow "$M/both/.venv" >/dev/null
ok "markers: venv/ is no marker by default" inactive "$M/p/sub"
conf '[hook]' 'markers = venv, .env'
ok "markers: venv/ is one when configured" activates "$M/p/sub"
is "markers: named after its project" "$(act "$M/p/sub")" "$M/p/venv|(p) |(p) |$M/p"
out=$(hook "$M/q" 2>&1)
is "markers: a .env file is not an env, and says nothing" "$out" "$(printf '%s' "$out" | grep -v activate)"
ok "... activates nothing" inactive "$M/q"
[[ $out == *"venvhook:"* ]] && fail "... and no notice" "$out" || pass "... and no notice"
like "markers: .venv comes first" "$(hook "$M/both")" "__venvhook_activate '?\\\$?'?$M/both/\\.venv'? "
like "markers: status names the marker" "$(cd "$M/p/sub" && "$VH" status)" \
	"marker +$M/p/venv \\(a \\.venv directory\\)"
out=$(hook "$M/p/sub/" 2>&1)
like "markers: its pyvenv.cfg is watched" "$out" "-e '?\\\$?'?$M/p/venv/pyvenv\\.cfg"
conf

# --- [hook] notify -------------------------------------------------------------
conf '[hook]' 'notify = off'
is "notify off: no notice about an untrusted env" "$(hook "$W/u" 2>&1 >/dev/null)" ""
ok "... still nothing activated" inactive "$W/u"
conf '[hook]' 'notify = on'
like "notify on: the notice" "$(hook "$W/u" 2>&1 >/dev/null)" "is not trusted"

# --- [prompt] -----------------------------------------------------------------
conf '[prompt]' 'enabled = off'
is "prompt disabled: the prefix is empty" "$(act "$W/a")" "$W/a/.venv|(a) ||$W/a"
conf '[prompt]' 'format = "<{name}> "'
is "prompt format" "$(act "$W/a")" "$W/a/.venv|(a) |<a> |$W/a"
mkdir -p "$W/"$'x\e[31my'
cpenv "$W/"$'x\e[31my'"/.venv"
"$VH" allow "$W/"$'x\e[31my' >/dev/null
is "prompt format: a control byte in the name is shown as ?" "$(act "$W/"$'x\e[31my')" \
	"$W/"$'x\e[31my'"/.venv|(x?[31my) |<x?[31my> |$W/"$'x\e[31my'
# In bash itself: the prompt gets the prefix, as text that neither setting of
# promptvars expands.
out=$(bash --norc --noprofile -c '
	PS1="\$ "
	eval "$("$1" init bash)"
	cd "$2" && __venvhook_hook
	printf "%s|%s\n" "$PS1" "${__venvhook_ps1-}"' _ "$VH" "$W/a" 2>&1)
is "bash: the prompt shows the configured format" "$out" '<a> $ |<a> '
conf

# --- [trust] ------------------------------------------------------------------
TR=$T/trusted
mkdir -p "$TR/x" "$T/trusted2/y" "$T/elsewhere" "$T/outer"
cpenv "$TR/x/.venv"
mkdir -p "$TR/y"
cpenv "$TR/y/.venv"
cpenv "$T/trusted2/y/.venv"
cpenv "$T/elsewhere/.venv"
ln -s "$T/elsewhere" "$TR/link"
cpenv "$TR/shared"
echo "$TR/shared" >"$T/outer/.venv"
ok "trust: nothing is trusted by default" inactive "$TR/x"
conf '[trust]' "directories = $TR"
ok "trust: an env below a [trust] directory activates unasked" activates "$TR/x"
like "trust: status says why" "$(cd "$TR/x" && "$VH" status)" \
	"trust +trusted \\(in a \\[trust\\] directory of your config\\)"
ok "trust: compared by component: trusted2 is not trusted" inactive "$T/trusted2/y"
ok "trust: compared on real paths: a link out of it is not trusted" inactive "$TR/link"
ok "trust: an env whose real path is inside is, from any project" activates "$T/outer"
"$VH" deny "$TR/x" >/dev/null
ok "trust: deny still wins" inactive "$TR/x"
"$VH" allow "$TR/x" >/dev/null
conf '[trust]' "directories = $TR/link"
ok "trust: a directory given through a link is its real path" activates "$T/elsewhere"
conf '[trust]' "directories = ~/trusted-home"
mkdir -p "$HOME/trusted-home/z"
cpenv "$HOME/trusted-home/z/.venv"
ok "trust: ~/ names the home directory" activates "$HOME/trusted-home/z"
# A project cannot trust itself: [trust] is not a .venvhook section.
mkdir -p "$T/evil"
cpenv "$T/evil/.venv"
printf '[trust]\ndirectories = /\n[env]\npath = ./.venv\n' >"$T/evil/.venvhook"
conf
ok "trust: a .venvhook cannot trust anything" inactive "$T/evil"
like "... it is an error in the .venvhook" "$(hook "$T/evil" 2>&1 >/dev/null)" \
	"'$T/evil/.venvhook' line 2: unknown section '\\[trust\\]'"

# --- [create] -----------------------------------------------------------------
conf '[create]' 'python = /usr/bin/python3' "prompt = 'my env'" 'seed = none'
is "[create] keys are accepted" "$(cd "$W/a" && "$VH" status 2>&1 >/dev/null)" ""
# create reads them: the prompt, no pip, and the interpreter unless the
# project's .python-version names one.
mkdir -p "$T/mk"
: >"$T/empty.ini"
# pip from the cache the suites share (a cold one costs seconds).
export XDG_CACHE_HOME=$SEED_CACHE
out=$(PATH=/nonexistent PYENV_ROOT=/nonexistent VENVHOOK_CONFIG=$T/empty.ini "$VH" create "$T/mk/e0" 2>&1)
is "without a python3 on PATH, create fails" "$?" 1
out=$(PATH=/nonexistent PYENV_ROOT=/nonexistent "$VH" create "$T/mk/e1" 2>&1)
is "[create] create succeeds without a python3 on PATH" "$?" 0
like "[create] python: the interpreter it names is used" "$out" "(/usr/bin/python3)"
is "[create] prompt: written to pyvenv.cfg" "$(grep '^prompt' "$T/mk/e1/pyvenv.cfg")" "prompt = 'my env'"
ok "[create] seed = none: no pip" test ! -e "$T/mk/e1/bin/pip"
seeded "$VH" create --with-pip --prompt mine "$T/mk/e2" >/dev/null 2>&1
ok "[create] --with-pip overrides seed = none" test -e "$T/mk/e2/bin/pip"
is "[create] --prompt overrides prompt" "$(grep '^prompt' "$T/mk/e2/pyvenv.cfg")" "prompt = 'mine'"
conf '[create]' 'python = /nonexistent/python3'
out=$("$VH" create "$T/mk/e3" 2>&1)
st=$?
is "[create] python: a missing one fails" "$st" 1
like "... naming it" "$out" "cannot use Python '/nonexistent/python3'"
mkdir -p "$T/mk/pv" && printf 'system\n' >"$T/mk/pv/.python-version"
"$VH" create "$T/mk/pv/.venv" >/dev/null 2>&1
is "[create] python: the project's .python-version comes first" "$?" 0
ok "... and the env is made" test -e "$T/mk/pv/.venv/pyvenv.cfg"
out=$("$VH" create -p /usr/bin/python3 "$T/mk/e4" 2>&1)
is "[create] python: -p comes first" "$?" 0
ok "... and pip is seeded by default" test -e "$T/mk/e4/bin/pip"
conf '[create]' 'seed = conda'
is "[create] a bad seed is named" "$(cd "$W/a" && "$VH" status 2>&1 >/dev/null)" \
	"venvhook: '$CONF' line 2: seed must be pip or none, not 'conda'; using the default settings"

# --- a malformed config, at the prompt ---------------------------------------
conf '[hook]' 'notify = off' 'ignore = (' '[trust]' "directories = $TR"
msg="venvhook: '$CONF' line 3: bad ignore pattern '(': missing closing parenthesis at offset 1; using the default settings"
out=$(hook "$W/a" '' '' '' '' 2>"$T/err")
st=$?
is "malformed: the hook succeeds" "$st" 0
is "malformed: one clear line, with file and line" "$(cat "$T/err")" "$msg"
like "malformed: the hook still activates" "$out" "__venvhook_activate"
like "malformed: it remembers what it said" "$out" "__venvhook_confnote="
ok "malformed: nothing of it is used (no [trust])" inactive "$TR/y"
is "malformed: the defaults are used (notify on)" "$(hook "$W/u" 2>&1 >/dev/null | grep -c 'not trusted')" 1
note=${msg#venvhook: }
out=$(hook "$W/a" '' '' '' "$note" 2>"$T/err")
is "malformed: not said again in the same shell" "$(cat "$T/err")" ""
[[ $out == *__venvhook_confnote* ]] && fail "... nor re-set" "$out" || pass "... nor re-set"
conf '[hook]' 'notify = on'
out=$(hook "$W/a" '' '' '' "$note" 2>"$T/err")
like "fixed: the note is cleared" "$out" "__venvhook_confnote=(''|\\\$'')"
is "fixed: silently" "$(cat "$T/err")" ""
# Once per shell, in bash itself, across several prompts.
conf '[prompt]' 'enabled = perhaps'
out=$(bash --norc --noprofile -c '
	eval "$("$1" init bash)"
	cd "$2" && __venvhook_hook; cd "$3" && __venvhook_hook; cd "$2" && __venvhook_hook
	echo "VE=$VIRTUAL_ENV"' _ "$VH" "$W/a" "$W/b" 2>"$T/err")
is "bash: a malformed config is shown once over three prompts" "$(cat "$T/err")" \
	"venvhook: '$CONF' line 2: enabled must be on or off, not 'perhaps'; using the default settings"
is "bash: ... and the hook keeps working" "$out" "VE=$W/a/.venv"
out=$(zsh -f -c '
	eval "$("$1" init zsh)"
	cd "$2" && __venvhook_hook; cd "$3" && __venvhook_hook
	echo "VE=$VIRTUAL_ENV"' _ "$VH" "$W/a" "$W/b" 2>"$T/err")
is "zsh: shown once" "$(grep -c 'perhaps' "$T/err")" 1
is "zsh: the hook keeps working" "$out" "VE=$W/b/.venv"
out=$(fish --no-config -c '
	"$argv[1]" init fish | source
	cd "$argv[2]"; __venvhook_hook; cd "$argv[3]"; __venvhook_hook
	echo "VE=$VIRTUAL_ENV"' "$VH" "$W/a" "$W/b" 2>"$T/err")
is "fish: shown once" "$(grep -c 'perhaps' "$T/err")" 1
is "fish: the hook keeps working" "$out" "VE=$W/b/.venv"
# Commands say it once, however often they read the settings.
is "status says it once" "$(cd "$W/a" && "$VH" status 2>&1 >/dev/null | grep -c perhaps)" 1

# --- hostile files -------------------------------------------------------------
hostile() {   # hostile DESC WANT: the config as it is now
	local out st
	out=$(hook "$W/a" 2>"$T/err")
	st=$?
	if [[ $st -eq 0 && $out == *__venvhook_activate* && $(cat "$T/err") == "$2" ]]; then
		pass "$1: one line, and the hook works"
	else
		fail "$1: one line, and the hook works" "status $st" "out: $out" "err: $(cat "$T/err")" "want: $2"
	fi
}
printf '[hook]\nnotify = on\0\nnotify = off\n' >"$CONF"
hostile "a NUL byte" "venvhook: '$CONF' contains a NUL byte; using the default settings"
head -c 70000 /dev/zero | tr '\0' ';' >"$CONF"
hostile "a huge file" "venvhook: '$CONF' is larger than 65536 bytes; using the default settings"
{ printf '[hook]\nignore = '; printf 'a%.0s' $(seq 1 300); printf '\n'; } >"$CONF"
hostile "a line longer than inih's buffer" "venvhook: '$CONF' line 2: longer than 197 bytes; using the default settings"
printf '\xff\xfe[\x01\n=\n' >"$CONF"
hostile "binary garbage" "venvhook: '$CONF' line 1: syntax error; using the default settings"
printf '[hook]\nnotify = on\n' >"$CONF"
chmod 666 "$CONF"
hostile "writable by others" "venvhook: '$CONF' is writable by others; using the default settings"
chmod 644 "$CONF"
# Group write: harmless through the user's private group (umask 002), not
# through a group that others may be in (54321: no /etc/group lists it).
chmod 664 "$CONF"
hostile "writable by the user's private group" ""
chgrp 54321 "$CONF"
hostile "writable by a group with other members" "venvhook: '$CONF' is writable by group 54321, which /etc/group does not list; using the default settings"
chgrp "$(id -g)" "$CONF"
chmod 644 "$CONF"
chown 12345 "$CONF"
hostile "owned by another user" "venvhook: '$CONF' belongs to another user; using the default settings"
rm -f "$CONF"
mkdir "$CONF"
hostile "a directory" "venvhook: '$CONF' is not a regular file; using the default settings"
rmdir "$CONF"
ln -s /dev/zero "$CONF"
hostile "a device" "venvhook: '$CONF' is not a regular file; using the default settings"
rm -f "$CONF"
ln -s "$T/nowhere" "$CONF"
hostile "a dangling link is no config" ""
rm -f "$CONF"
printf '[prompt]\nformat = $(touch %s/pwned) `touch %s/pwned` %%n \\[ {name}\n' "$T" "$T" >"$CONF"
out=$(bash --norc --noprofile -c '
	PS1="\$ "
	eval "$("$1" init bash)"
	cd "$2" && __venvhook_hook
	x=${PS1@P}; echo "$x"' _ "$VH" "$W/a" 2>&1)
is "a format is shown, never run" "$out" "\$(touch $T/pwned) \`touch $T/pwned\` %n \\[ a\$ "
ok "... nothing ran" test ! -e "$T/pwned"

# --- VENVHOOK_CONFIG ------------------------------------------------------------
printf '[prompt]\nformat = "{{name}} "\n' >"$T/other.ini"
is "VENVHOOK_CONFIG names another file" "$(VENVHOOK_CONFIG=$T/other.ini act "$W/a")" \
	"$W/a/.venv|(a) |{a} |$W/a"
out=$(VENVHOOK_CONFIG=other.ini hook "$W/a" 2>"$T/err")
is "a relative VENVHOOK_CONFIG is refused" "$(cat "$T/err")" \
	"venvhook: VENVHOOK_CONFIG must be an absolute path, not 'other.ini'; using the default settings"
like "... and the hook works" "$out" __venvhook_activate
out=$(VENVHOOK_CONFIG=$T/missing.ini hook "$W/a" 2>"$T/err")
is "a missing VENVHOOK_CONFIG is named" "$(cat "$T/err")" \
	"venvhook: cannot read '$T/missing.ini': No such file or directory; using the default settings"

# --- VENVHOOK_DISABLE -----------------------------------------------------------
script='eval "$("$1" init bash)"
	cd "$2" && __venvhook_hook; echo "1:${VIRTUAL_ENV-}"
	unset VENVHOOK_DISABLE; __venvhook_hook; echo "2:${VIRTUAL_ENV-}"'
out=$(VENVHOOK_DISABLE=1 bash --norc --noprofile -c "$script" _ "$VH" "$W/a" 2>&1)
is "bash: VENVHOOK_DISABLE=1 turns the hook off, unsetting it on again" "$out" "1:
2:$W/a/.venv"
out=$(VENVHOOK_DISABLE=0 bash --norc --noprofile -c "$script" _ "$VH" "$W/a" 2>&1)
is "bash: VENVHOOK_DISABLE=0 does not" "$out" "1:$W/a/.venv
2:$W/a/.venv"
out=$(VENVHOOK_DISABLE=1 zsh -f -c 'eval "$("$1" init zsh)"
	cd "$2" && __venvhook_hook; echo "1:${VIRTUAL_ENV-}"
	unset VENVHOOK_DISABLE; __venvhook_hook; echo "2:${VIRTUAL_ENV-}"' _ "$VH" "$W/a" 2>&1)
is "zsh: VENVHOOK_DISABLE=1" "$out" "1:
2:$W/a/.venv"
out=$(VENVHOOK_DISABLE=1 fish --no-config -c '"$argv[1]" init fish | source
	cd "$argv[2]"; __venvhook_hook; echo "1:$VIRTUAL_ENV"
	set -e VENVHOOK_DISABLE; __venvhook_hook; echo "2:$VIRTUAL_ENV"' "$VH" "$W/a" 2>&1)
is "fish: VENVHOOK_DISABLE=1" "$out" "1:
2:$W/a/.venv"
like "status says the hook is off" "$(cd "$W/a" && VENVHOOK_DISABLE=1 "$VH" status)" \
	"not active: VENVHOOK_DISABLE is set"

done_testing
