#!/bin/bash
# What the drift check costs on entering a project, in bash and zsh: a cd
# between two projects whose requirements.txt the env does not match (so
# that every entry says so), with [hook] drift on and off, in the same run.
# Two cases: entries where the answer kept from the last comparison is
# current, and entries right after the file changed (rewritten before each
# cd, in both runs), which compare again.
# Target: an entry with the check <= 1.3x one without.
set -eu
cd "$(dirname "$0")/.."
VH=$PWD/venvhook
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
export HOME=$T/home XDG_DATA_HOME=$T/data XDG_CONFIG_HOME=$T/config XDG_STATE_HOME=$T/state XDG_CACHE_HOME=$T/cache
mkdir -p "$HOME" "$T/off" "$T/on"
printf '[hook]\ndrift = off\n' >"$T/off/config.ini"
printf '[hook]\ndrift = on\n' >"$T/on/config.ini"
for p in a b; do
	d=$T/$p/proj
	mkdir -p "$d"
	"$VH" create "$d/.venv" >/dev/null
	printf 'pip\nrequests==2.31.0\nidna>=3\n' >"$d/requirements.txt"
done
A=$T/a/proj B=$T/b/proj
N_CD=${N_CD:-200}

# measure SHELL CONFIG CHANGE: prints the cost of one entry, in ns; CHANGE=1
# rewrites the requirements file before each cd.
measure() {
	local sh=$1 cfg=$2 change=$3
	local script='
eval "$('"$VH"' init '"$sh"')"
req=$(<'"$A"'/requirements.txt)
touch_req() { '"$([[ $change == 1 ]] && echo 'printf "%s\n" "$req" >"$1/requirements.txt"' || echo ':')"'; }
now() { '"$([[ $sh == zsh ]] && echo 'zmodload zsh/datetime; printf %.0f $(( EPOCHREALTIME * 1e6 ))' || echo 'local t=$EPOCHREALTIME; echo ${t/./}')"'; }
cd '"$A"'; __venvhook_hook; __venvhook_hook
t0=$(now); i=0; while (( i < '"$N_CD"' )); do touch_req '"$B"'; cd '"$B"'; __venvhook_hook; touch_req '"$A"'; cd '"$A"'; __venvhook_hook; i=$((i+1)); done; t1=$(now)
[[ ${VIRTUAL_ENV-} == '"$A"'/.venv ]] || { echo "switching failed: ${VIRTUAL_ENV-}" >&2; exit 1; }
echo "$(( (t1 - t0) * 1000 / (2 * '"$N_CD"') ))"'
	if [[ $sh == zsh ]]; then VENVHOOK_CONFIG=$cfg zsh -f -c "$script" 2>/dev/null
	else VENVHOOK_CONFIG=$cfg bash --norc -c "$script" 2>/dev/null; fi
}

# The check must really run: an entry says what differs.
said=$(cd "$A" && "$VH" hook bash 2>&1 >/dev/null)
[[ $said == *"differs from 'requirements.txt'"* ]] || { echo "bench: no drift notice: $said" >&2; exit 1; }

status=0
printf '%-5s %-30s %12s %12s %8s  %s\n' shell case "drift on" "drift off" ratio target
for sh in bash zsh; do
	for change in 0 1; do
		best_on= best_off=
		for round in 1 2 3; do
			on=$(measure "$sh" "$T/on/config.ini" "$change")
			off=$(measure "$sh" "$T/off/config.ini" "$change")
			[[ -z $best_on || $on -lt $best_on ]] && best_on=$on
			[[ -z $best_off || $off -lt $best_off ]] && best_off=$off
		done
		(( best_off > 0 )) || best_off=1
		ratio=$(awk -v a="$best_on" -v b="$best_off" 'BEGIN { printf "%.2f", a / b }')
		verdict=met
		awk -v r="$ratio" 'BEGIN { exit !(r <= 1.3) }' || { verdict=MISSED; status=1; }
		label="entry, answer kept"
		[[ $change == 1 ]] && label="entry after a change"
		printf '%-5s %-30s %9s us %9s us %7sx  <= 1.3x %s\n' "$sh" "$label" \
			"$(awk -v n="$best_on" 'BEGIN { printf "%.1f", n / 1000 }')" \
			"$(awk -v n="$best_off" 'BEGIN { printf "%.1f", n / 1000 }')" "$ratio" "$verdict"
	done
done
exit $status
