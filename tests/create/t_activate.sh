#!/bin/bash
# The activation scripts of a created env, in bash, zsh, sh, fish and tcsh:
# they set what python -m venv's scripts set, deactivate undoes it, and a
# hostile directory or prompt name runs nothing (CVE-2024-9287).
. tests/create/lib.sh

py=/usr/bin/python3
minor=$($py -c 'import sys; print(sys.version_info[1])')

# What a shell sees after activating (and after deactivating): one value
# per line.  $1: shell, $2: env.
probe_sh() {   # bash, zsh or sh
	local shell=$1 env=$2
	PS1='$ ' PATH=/usr/bin:/bin PYTHONHOME=/ph "$shell" -c '
		PS1="\$ "
		. "$1/bin/activate" || exit 1
		printf "%s\n" "VIRTUAL_ENV=$VIRTUAL_ENV" "VIRTUAL_ENV_PROMPT=$VIRTUAL_ENV_PROMPT" \
			"PATH=$PATH" "PS1=$PS1" "PYTHONHOME=${PYTHONHOME-unset}" "python=$(command -v python)"
		deactivate
		printf "%s\n" "after VIRTUAL_ENV=${VIRTUAL_ENV-unset}" "after PATH=$PATH" "after PS1=$PS1" \
			"after PYTHONHOME=${PYTHONHOME-unset}" "after deactivate=$(command -v deactivate || echo gone)"
	' sh "$env"
}

probe_fish() {
	local env=$1
	PATH=/usr/bin:/bin PYTHONHOME=/ph fish --no-config -c '
		function fish_prompt; printf "> "; end
		source $argv[1]/bin/activate.fish; or exit 1
		printf "%s\n" "VIRTUAL_ENV=$VIRTUAL_ENV" "VIRTUAL_ENV_PROMPT=$VIRTUAL_ENV_PROMPT" \
			"PATH="(string join : $PATH) "PS1="(fish_prompt) "PYTHONHOME=$PYTHONHOME" \
			"python="(command -v python)
		deactivate
		set -q VIRTUAL_ENV; and set v $VIRTUAL_ENV; or set v unset
		printf "%s\n" "after VIRTUAL_ENV=$v" "after PATH="(string join : $PATH) "after PS1="(fish_prompt) \
			"after PYTHONHOME=$PYTHONHOME" "after deactivate="(functions -q deactivate; and echo there; or echo gone)
	' "$env"
}

cat >"$T/probe.csh" <<'EOF'
set prompt = "> "
source "${E}/bin/activate.csh"
printenv VIRTUAL_ENV
printenv VIRTUAL_ENV_PROMPT
printenv PATH
echo $prompt:q
deactivate
printenv VIRTUAL_ENV || echo unset
printenv PATH
echo $prompt:q
alias deactivate
EOF
probe_csh() {   # the env reaches tcsh through the environment, never as code
	E=$1 PATH=/usr/bin:/bin PYTHONHOME=/ph tcsh -f "$T/probe.csh" 2>&1
}

# A hostile name: quotes of every kind, command substitutions, a fish
# escape, csh's history character, prompt escapes.  (':' and newline are
# refused by create.)
name="x y'\"\$(touch PWNED1)\`touch PWNED2\`;touch PWNED3;#\\'!%\\(u)"
mkdir -p "$T/w"
cd "$T/w" || exit 2
env=$T/w/$name
"$VH" create "$env" -p $py --without-pip >/dev/null
is "create with a hostile directory name exits 0" $? 0
want_var="($name) "
[ "$minor" -ge 13 ] && want_var=$name
# The name in the prompt with \ $ ` % ! made '?'.
safe_name="x y'\"?(touch PWNED1)?touch PWNED2?;touch PWNED3;#?'???(u)"

# in_every SHELL: what a probe's $out shows in every shell, fish too.
in_every() {
	ok "$1: VIRTUAL_ENV is the path, byte for byte" grep -qxF "VIRTUAL_ENV=$env" <<<"$out"
	ok "$1: VIRTUAL_ENV_PROMPT" grep -qxF "VIRTUAL_ENV_PROMPT=$want_var" <<<"$out"
	ok "$1: PATH starts with the env's bin" grep -qxF "PATH=$env/bin:/usr/bin:/bin" <<<"$out"
	ok "$1: python is the env's" grep -qxF "python=$env/bin/python" <<<"$out"
	ok "$1: deactivate unsets VIRTUAL_ENV" grep -qx "after VIRTUAL_ENV=unset" <<<"$out"
	ok "$1: deactivate restores PATH" grep -qx "after PATH=/usr/bin:/bin" <<<"$out"
	ok "$1: deactivate restores PYTHONHOME" grep -qx "after PYTHONHOME=/ph" <<<"$out"
	ok "$1: deactivate removes itself" grep -qx "after deactivate=gone" <<<"$out"
}
for shell in bash zsh sh; do
	out=$(probe_sh $shell "$env")
	is "$shell: activate and deactivate run" $? 0
	in_every $shell
	ok "$shell: the prompt shows the name, nothing expanded" grep -qxF "PS1=($safe_name) \$ " <<<"$out"
	ok "$shell: PYTHONHOME is unset" grep -qx "PYTHONHOME=unset" <<<"$out"
	ok "$shell: deactivate restores the prompt" grep -qxF "after PS1=\$ " <<<"$out"
done
# bash expands $(...) in PS1 when it draws the prompt: draw it.
PS1='$ ' bash -c '. "$1/bin/activate"; : "${PS1@P}"' sh "$env"

out=$(probe_fish "$env")
is "fish: activate and deactivate run" $? 0
in_every fish
ok "fish: the prompt shows the name" grep -qF "($safe_name) " <<<"$out"
ok "fish: deactivate restores the prompt" grep -qx "after PS1=> " <<<"$out"

out=$(probe_csh "$env")
is "tcsh: activate and deactivate run" $? 0
want_csh=$(printf '%s\n' "$env" "$want_var" "$env/bin:/usr/bin:/bin" "($safe_name) > " unset "/usr/bin:/bin" "> ")
is "tcsh: VIRTUAL_ENV, VIRTUAL_ENV_PROMPT, PATH, prompt; then all undone" "$out" "$want_csh"

pwned() { (cd "$T/w" && ls -d PWNED? 2>/dev/null); }
is "no shell ran code from the name" "$(pwned)" ""

# A hostile --prompt.
p='$(touch PWNED4)`touch PWNED5`%!'\''"'
"$VH" create "$T/w/pe" -p $py --without-pip --prompt "$p" >/dev/null
out=$(probe_sh bash "$T/w/pe")
wantp="($p) "
[ "$minor" -ge 13 ] && wantp=$p
ok "a hostile --prompt: VIRTUAL_ENV_PROMPT holds it exactly" grep -qxF "VIRTUAL_ENV_PROMPT=$wantp" <<<"$out"
ok "a hostile --prompt: the prompt shows it defused" grep -qxF "PS1=(?(touch PWNED4)?touch PWNED5???'\") \$ " <<<"$out"
probe_fish "$T/w/pe" >/dev/null
probe_csh "$T/w/pe" >/dev/null
ok "a hostile --prompt: pyvenv.cfg holds its repr" \
	grep -qxF "prompt = '\$(touch PWNED4)\`touch PWNED5\`%!\\'\"'" "$T/w/pe/pyvenv.cfg"
is "a hostile --prompt: no shell ran code from it" "$(pwned)" ""

# For an ordinary name, each shell sees what python -m venv's scripts give it.
mkdir -p "$T/v"
cd "$T/v" || exit 2
$py -m venv --without-pip --prompt 'my env' "$T/v/env" && mv "$T/v/env" "$T/v/ref"
"$VH" create "$T/v/env" -p $py --without-pip --prompt 'my env' >/dev/null
ours_sh=$(probe_sh bash "$T/v/env")
ours_fish=$(probe_fish "$T/v/env")
ours_csh=$(probe_csh "$T/v/env")
mv "$T/v/env" "$T/v/ours" && mv "$T/v/ref" "$T/v/env"
is "bash: the same as python -m venv's activate" "$ours_sh" "$(probe_sh bash "$T/v/env")"
is "fish: the same as python -m venv's activate.fish" "$ours_fish" "$(probe_fish "$T/v/env")"
is "tcsh: the same as python -m venv's activate.csh" "$ours_csh" "$(probe_csh "$T/v/env")"

done_testing
