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

out=$(cd "$T/proj" && VH=$VH PY=$py zsh -f -c '
	eval "$("$VH" init zsh)"
	__venvhook_hook
	venvhook create -p "$PY" --without-pip >/dev/null
	__venvhook_hook
	echo "created=${VIRTUAL_ENV-}"
	venvhook rm >/dev/null
	__venvhook_hook
	echo "removed=${VIRTUAL_ENV-}"
' 2>&1)
ok "zsh: after create, the new env is active at the next prompt" grep -qxF "created=$T/proj/.venv" <<<"$out"
ok "zsh: after rm, no env is active at the next prompt" grep -qx "removed=" <<<"$out"

out=$(cd "$T/proj" && VH=$VH PY=$py fish --no-config -c '
	"$VH" init fish | source
	__venvhook_hook
	venvhook create -p "$PY" --without-pip >/dev/null
	__venvhook_hook
	echo "created=$VIRTUAL_ENV"
	venvhook rm >/dev/null
	__venvhook_hook
	echo "removed=$VIRTUAL_ENV"
' 2>&1)
ok "fish: after create, the new env is active at the next prompt" grep -qxF "created=$T/proj/.venv" <<<"$out"
ok "fish: after rm, no env is active at the next prompt" grep -qx "removed=" <<<"$out"

done_testing
