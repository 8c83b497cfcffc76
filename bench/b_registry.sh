#!/bin/bash
# The registry at scale, in one run:
#   activation   the prompt hook activating a project's env (the helper's
#                whole run, journal append included) with 10 recorded envs
#                and with 100,000: the cost must not grow (target <= 1.2x);
#   list         `venvhook list` over the 100,000 (real envs: every state
#                check reads a pyvenv.cfg and follows the env's python;
#                target: under a second, wall clock; the CPU time is shown
#                too, as a loaded machine stretches the wall clock).
set -eu
. "$(dirname "$0")/lib.sh"
mkdir -p "$T/proj"
ROUNDS=${ROUNDS:-5} N=${N:-200} BIG=${BIG:-100000}

"$PY" -m venv --without-pip "$T/proj/.venv"
XDG_STATE_HOME=$T/small "$VH" allow "$T/proj" >/dev/null
XDG_STATE_HOME=$T/big "$VH" allow "$T/proj" >/dev/null

# records STATE N: N more records in STATE's registry, each of a real env
# (a pyvenv.cfg, hard links of two copies of the project's, and bin/python
# and bin/python3 linked as venv links them),
# made in one process.
records() {
	"$PY" - "$T" "$1/venvhook/registry" "$2" <<'PYEOF'
import os, shutil, sys
t, reg, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
cfg = [f'{t}/cfg{k}' for k in range(2)]
for c in cfg:
    if not os.path.exists(c):
        shutil.copy(f'{t}/proj/.venv/pyvenv.cfg', c)
# As venv makes them: bin/python -> python3 -> the base interpreter.
base = os.path.realpath(f'{t}/proj/.venv/bin/python')
start = len(os.listdir(f'{t}/envs')) * 1000 if os.path.isdir(f'{t}/envs') else 0
with open(reg, 'a') as f:
    for i in range(start, start + n):
        e = f'{t}/envs/{i // 1000}/e{i}'
        os.makedirs(f'{e}/bin')
        os.link(cfg[i % 2], f'{e}/pyvenv.cfg')
        os.symlink(base, f'{e}/bin/python3')
        os.symlink('python3', f'{e}/bin/python')
        f.write(f'{e}\t{t}/envs\t/usr/bin/python3\t3.11.2\t1700000000\t{1700000000 + i}\tfound\n')
PYEOF
}
records "$T/small" 9
records "$T/big" "$((BIG - 1))"
for s in small big; do
	n=$(XDG_STATE_HOME=$T/$s "$VH" list --json | "$PY" -c 'import json,sys; print(len(json.load(sys.stdin)))')
	want=$([[ $s == small ]] && echo 10 || echo "$BIG")
	[[ $n == "$want" ]] || { echo "bench: $s registry holds $n envs, not $want" >&2; exit 1; }
done

# activate STATE N: N activations in the project, as the prompt hook runs them.
activate() {
	local i out
	for ((i = 0; i < $2; i++)); do
		out=$(cd "$T/proj" && XDG_STATE_HOME=$1 __VENVHOOK_SHELL=bash "$VH" hook bash)
	done
	[[ $out == *__venvhook_activate* ]] || { echo "bench: the hook did not activate" >&2; exit 1; }
}

# Rounds of each, interleaved so that the machine's load falls on both; the
# best round of each counts.
best_small= best_big=
for ((r = 0; r < ROUNDS; r++)); do
	for s in small big; do
		t0=${EPOCHREALTIME/./}
		activate "$T/$s" "$N"
		t1=${EPOCHREALTIME/./}
		us=$(((t1 - t0) / N))
		if [[ $s == small ]]; then
			[[ -z $best_small || $us -lt $best_small ]] && best_small=$us
		else
			[[ -z $best_big || $us -lt $best_big ]] && best_big=$us
		fi
	done
done
# list merges what the activations appended, then shows the 100,000.
XDG_STATE_HOME=$T/big "$VH" list >/dev/null
best_list= cpu_list=
TIMEFORMAT='%R %U %S'
for ((r = 0; r < 3; r++)); do
	read -r wall user sys < <({ time XDG_STATE_HOME=$T/big "$VH" list >/dev/null; } 2>&1)
	us=$(awk -v w="$wall" 'BEGIN { printf "%d", w * 1000000 }')
	if [[ -z $best_list || $us -lt $best_list ]]; then
		best_list=$us
		cpu_list=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%d", (u + s) * 1000000 }')
	fi
done

ms() { awk -v n="$1" 'BEGIN { printf "%.2f ms", n / 1000 }'; }
status=0
ratio=$(awk -v a="$best_big" -v b="$best_small" 'BEGIN { printf "%.2f", a / b }')
verdict=met; awk -v r="$ratio" 'BEGIN { exit !(r <= 1.2) }' || { verdict=MISSED; status=1; }
printf '%-40s %12s %12s %8s  %s\n' case "10 envs" "$BIG envs" ratio target
printf '%-40s %12s %12s %7sx  <= 1.2x %s\n' "activation (the hook's whole run)" \
	"$(ms "$best_small")" "$(ms "$best_big")" "$ratio" "$verdict"
verdict=met; ((best_list < 1000000)) || { verdict=MISSED; status=1; }
printf '%-40s %12s %12s %8s  < 1 s %s\n' "list (wall clock)" - "$(ms "$best_list")" - "$verdict"
printf '%-40s %12s %12s\n' "list (CPU: user + system)" - "$(ms "$cpu_list")"
exit $status
