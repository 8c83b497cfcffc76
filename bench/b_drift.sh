#!/bin/bash
# What the drift check costs on entering a project, in bash and zsh: a cd
# between two projects whose requirements.txt the env does not match (so
# that every entry says so), with [hook] drift on and off, in the same run.
# Two cases: entries where the answer kept from the last comparison is
# current (the shell replays it, notice and all), and entries right after
# the file changed (rewritten before each cd, in both runs), which compare
# again; there the shell's kept answers are forgotten before each cd in both
# runs, since with drift off the file is not read and the answer stays kept:
# what is measured is what the comparison adds to a run of the helper.
# Target: an entry with the check <= 1.3x one without, in wall time (the
# best of three rounds); CPU time (the shells' and their children's) is
# printed beside it.
set -eu
. "$(dirname "$0")/lib.sh"
mkdir -p "$T/off" "$T/on"
printf '[hook]\ndrift = off\n' >"$T/off/config.ini"
printf '[hook]\ndrift = on\n' >"$T/on/config.ini"
for p in a b; do
	d=$T/$p/proj
	mkdir -p "$d"
	"$VH" create "$d/.venv" >/dev/null
	printf 'pip\nrequests==2.31.0\nidna>=3\n' >"$d/requirements.txt"
done
A=$T/a/proj B=$T/b/proj
# Made an hour ago, as projects one comes back to: the shell keeps an answer
# only once what it read is a few seconds old.
find "$T/a" "$T/b" -exec touch -h -d "@$(( $(date +%s) - 3600 ))" {} +
N_CD=${N_CD:-200}

# measure SHELL CONFIG CHANGE: prints the cost of one entry in ns, wall
# time then CPU time (the shell's and its children's, from the shell's
# times builtin: on a loaded machine wall time mostly measures waiting for a
# core); CHANGE=1 rewrites the requirements file before each cd and forgets
# the kept answers.
measure() {
	local sh=$1 cfg=$2 change=$3
	local script='
eval "$('"$VH"' init '"$sh"')"
req=$(<'"$A"'/requirements.txt)
touch_req() { '"$([[ $change == 1 ]] && echo 'printf "%s\n" "$req" >"$1/requirements.txt"; __venvhook_memo=()' || echo ':')"'; }
now() { '"$([[ $sh == zsh ]] && echo 'zmodload zsh/datetime; printf %.0f $(( EPOCHREALTIME * 1e6 ))' || echo 'local t=$EPOCHREALTIME; echo ${t/./}')"'; }
cd '"$A"'; __venvhook_hook; __venvhook_hook
times >'"$T"'/cpu0; t0=$(now); i=0; while (( i < '"$N_CD"' )); do touch_req '"$B"'; cd '"$B"'; __venvhook_hook; touch_req '"$A"'; cd '"$A"'; __venvhook_hook; i=$((i+1)); done; t1=$(now); times >'"$T"'/cpu1
[[ ${VIRTUAL_ENV-} == '"$A"'/.venv ]] || { echo "switching failed: ${VIRTUAL_ENV-}" >&2; exit 1; }
echo "$(( (t1 - t0) * 1000 / (2 * '"$N_CD"') ))"'
	local wall
	if [[ $sh == zsh ]]; then wall=$(VENVHOOK_CONFIG=$cfg zsh -f -c "$script" 2>/dev/null)
	else wall=$(VENVHOOK_CONFIG=$cfg bash --norc -c "$script" 2>/dev/null); fi || return 1
	# times prints MmS.FFFs for user and system time, of the shell and of its children.
	echo "$wall $(cat "$T/cpu0" "$T/cpu1" | awk -v n="$((2 * N_CD))" '
		{ for (i = 1; i <= NF; i++) if (split($i, p, "m") == 2) { sub("s", "", p[2]); t[NR > 2] += p[1] * 60 + p[2] } }
		END { printf "%d", (t[1] - t[0]) * 1e9 / n }')"
}

# The check must really run: an entry says what differs.
said=$(cd "$A" && "$VH" hook bash 2>&1 >/dev/null)
[[ $said == *"differs from 'requirements.txt'"* ]] || { echo "bench: no drift notice: $said" >&2; exit 1; }

status=0
printf '%-5s %-22s %12s %12s %8s  %-14s %10s %10s %7s\n' shell case "drift on" "drift off" ratio target \
	"cpu on" "cpu off" ratio
for sh in bash zsh; do
	for change in 0 1; do
		best_on= best_off= cpu_on= cpu_off=
		for round in 1 2 3; do
			read -r on con < <(measure "$sh" "$T/on/config.ini" "$change")
			read -r off coff < <(measure "$sh" "$T/off/config.ini" "$change")
			[[ -z $best_on || $on -lt $best_on ]] && best_on=$on
			[[ -z $best_off || $off -lt $best_off ]] && best_off=$off
			[[ -z $cpu_on || $con -lt $cpu_on ]] && cpu_on=$con
			[[ -z $cpu_off || $coff -lt $cpu_off ]] && cpu_off=$coff
		done
		(( best_off > 0 )) || best_off=1
		(( cpu_off > 0 )) || cpu_off=1
		ratio=$(awk -v a="$best_on" -v b="$best_off" 'BEGIN { printf "%.2f", a / b }')
		cratio=$(awk -v a="$cpu_on" -v b="$cpu_off" 'BEGIN { printf "%.2f", a / b }')
		verdict=met
		awk -v r="$ratio" 'BEGIN { exit !(r <= 1.3) }' || { verdict=MISSED; status=1; }
		label="entry, answer kept"
		[[ $change == 1 ]] && label="entry after a change"
		us() { awk -v n="$1" 'BEGIN { printf "%.1f", n / 1000 }'; }
		printf '%-5s %-22s %9s us %9s us %7sx  <= 1.3x %-6s %7s us %7s us %6sx\n' "$sh" "$label" \
			"$(us "$best_on")" "$(us "$best_off")" "$ratio" "$verdict" \
			"$(us "$cpu_on")" "$(us "$cpu_off")" "$cratio"
	done
done
exit $status
