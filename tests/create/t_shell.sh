#!/bin/bash
# In a shell with the integration loaded: the env `venvhook create` makes
# is active at the next prompt, and one `venvhook rm` removes is left at
# the next prompt.  The prompt hook is called by hand.
. tests/create/lib.sh

py=/usr/bin/python3
mkdir -p "$T/proj"

out=$(cd "$T/proj" && VH=$VH PY=$py bash --norc --noprofile -c '
	eval "$("$VH" init bash)"
	__venvhook_hook
	echo "before=${VIRTUAL_ENV-}"
	venvhook create -p "$PY" >/dev/null
	__venvhook_hook
	echo "created=${VIRTUAL_ENV-}"
	echo "python=$(command -v python)"
	echo "pip=$(command -v pip)"
	venvhook rm >/dev/null
	__venvhook_hook
	echo "removed=${VIRTUAL_ENV-}"
	echo "path=$PATH"
	echo "deactivate=$(type -t deactivate || echo gone)"
' 2>&1)
ok "bash: nothing active before" grep -qx "before=" <<<"$out"
ok "bash: after create, the new env is active at the next prompt" grep -qxF "created=$T/proj/.venv" <<<"$out"
ok "bash: its python comes first" grep -qxF "python=$T/proj/.venv/bin/python" <<<"$out"
ok "bash: its pip comes first" grep -qxF "pip=$T/proj/.venv/bin/pip" <<<"$out"
ok "bash: after rm, no env is active at the next prompt" grep -qx "removed=" <<<"$out"
ok "bash: and PATH is as before" grep -qx "path=$PATH" <<<"$out"
ok "bash: and deactivate is gone" grep -qx "deactivate=gone" <<<"$out"
ok "bash: the env is gone" test ! -e "$T/proj/.venv"

# create_rm NAME INIT ENV SHELL...: in the project, SHELL loads the
# integration (INIT), then makes an env and removes it, each followed by a
# prompt; ENV is how it prints VIRTUAL_ENV.
create_rm() {
	local name=$1 script
	printf -v script '%s\n' "$2" __venvhook_hook \
		'venvhook create -p "$PY" --without-pip >/dev/null' __venvhook_hook "echo \"created=$3\"" \
		'venvhook rm >/dev/null' __venvhook_hook "echo \"removed=$3\""
	shift 3
	out=$(cd "$T/proj" && VH=$VH PY=$py "$@" -c "$script" 2>&1)
	ok "$name: after create, the new env is active at the next prompt" grep -qxF "created=$T/proj/.venv" <<<"$out"
	ok "$name: after rm, no env is active at the next prompt" grep -qx "removed=" <<<"$out"
}
create_rm zsh 'eval "$("$VH" init zsh)"' '${VIRTUAL_ENV-}' zsh -f
create_rm fish '"$VH" init fish | source' '$VIRTUAL_ENV' fish --no-config

done_testing
