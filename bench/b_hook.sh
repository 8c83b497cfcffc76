#!/bin/bash
# Per-prompt cost of venvhook's hook against direnv's, in bash and zsh, in one
# run: a prompt where nothing changed, and a cd between two projects ten
# levels deep (direnv with an .envrc that activates the same env).
# Targets: nothing changed <= 1/20 of direnv; cd <= 1/10 of direnv.
set -eu
cd "$(dirname "$0")/.."
VH=$PWD/venvhook
command -v direnv >/dev/null || { echo "bench: direnv is not installed (make deps)" >&2; exit 1; }
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
export HOME=$T/home XDG_DATA_HOME=$T/data XDG_CONFIG_HOME=$T/config XDG_STATE_HOME=$T/state XDG_CACHE_HOME=$T/cache
mkdir -p "$HOME"
deep=1/2/3/4/5/6/7/8/9
for p in a b; do
	d=$T/$p/$deep/proj
	mkdir -p "$d"
	/usr/bin/python3 -m venv --without-pip "$d/.venv"
	"$VH" allow "$d" >/dev/null
	printf 'source .venv/bin/activate\n' >"$d/.envrc"
	(cd "$d" && direnv allow . >/dev/null 2>&1)
done
A=$T/a/$deep/proj B=$T/b/$deep/proj
N_IDLE=${N_IDLE:-2000} N_IDLE_DIRENV=${N_IDLE_DIRENV:-200} N_CD=${N_CD:-100}

# measure SHELL TOOL N_IDLE N_CD: prints "idle_ns cd_ns" per prompt.
measure() {
	local sh=$1 tool=$2 nidle=$3 ncd=$4 init hook
	if [[ $tool == venvhook ]]; then init="eval \"\$($VH init $sh)\""; hook=__venvhook_hook
	else init="eval \"\$(direnv hook $sh)\""; hook=_direnv_hook; fi
	[[ $sh == zsh && $tool == venvhook ]] && hook=__venvhook_hook
	[[ $sh == zsh && $tool == direnv ]] && hook=_direnv_hook
	local script='
'"$init"'
now() { '"$([[ $sh == zsh ]] && echo 'zmodload zsh/datetime; printf %.0f $(( EPOCHREALTIME * 1e6 ))' || echo 'local t=$EPOCHREALTIME; echo ${t/./}')"'; }
cd '"$A"'; '"$hook"'; '"$hook"'
t0=$(now); i=0; while (( i < '"$nidle"' )); do '"$hook"'; i=$((i+1)); done; t1=$(now)
[[ -n ${VIRTUAL_ENV-} ]] || { echo "not active in A" >&2; exit 1; }
t2=$(now); i=0; while (( i < '"$ncd"' )); do cd '"$B"'; '"$hook"'; cd '"$A"'; '"$hook"'; i=$((i+1)); done; t3=$(now)
[[ ${VIRTUAL_ENV-} == '"$A"'/.venv ]] || { echo "switching failed: ${VIRTUAL_ENV-}" >&2; exit 1; }
echo "$(( (t1 - t0) * 1000 / '"$nidle"' )) $(( (t3 - t2) * 1000 / (2 * '"$ncd"') ))"'
	if [[ $sh == zsh ]]; then zsh -f -c "$script" 2>"$T/err"
	else bash --norc -c "$script" 2>"$T/err" || cat "$T/err" >&2; fi
}

status=0
printf '%-5s %-20s %12s %12s %8s  %s\n' shell case venvhook direnv ratio target
for sh in bash zsh; do
	best_v_idle= best_v_cd= best_d_idle= best_d_cd=
	for round in 1 2 3; do
		read -r vi vc < <(measure "$sh" venvhook "$N_IDLE" "$N_CD")
		read -r di dc < <(measure "$sh" direnv "$N_IDLE_DIRENV" "$((N_CD / 4))")
		vi=${vi%.*} vc=${vc%.*} di=${di%.*} dc=${dc%.*}
		[[ -z $best_v_idle || $vi -lt $best_v_idle ]] && best_v_idle=$vi
		[[ -z $best_v_cd || $vc -lt $best_v_cd ]] && best_v_cd=$vc
		[[ -z $best_d_idle || $di -lt $best_d_idle ]] && best_d_idle=$di
		[[ -z $best_d_cd || $dc -lt $best_d_cd ]] && best_d_cd=$dc
	done
	for c in idle cd; do
		if [[ $c == idle ]]; then v=$best_v_idle d=$best_d_idle label="nothing changed" target=20
		else v=$best_v_cd d=$best_d_cd label="cd between projects" target=10; fi
		(( v > 0 )) || v=1
		ratio=$(( d / v ))
		verdict=met; (( ratio >= target )) || { verdict=MISSED; status=1; }
		printf '%-5s %-20s %9s us %9s us %8s  >= %sx %s\n' "$sh" "$label" \
			"$(awk -v n="$v" 'BEGIN { printf "%.1f", n / 1000 }')" \
			"$(awk -v n="$d" 'BEGIN { printf "%.1f", n / 1000 }')" \
			"$(awk -v a="$d" -v b="$v" 'BEGIN { printf "%.0fx", a / b }')" "$target" "$verdict"
	done
done
exit $status
