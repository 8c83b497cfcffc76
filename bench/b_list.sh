#!/bin/bash
# venvhook list against find -name pyvenv.cfg, in one run:
#   list      `venvhook list` over 500 registered envs (states checked on disk)
#             against `find` over the tree that holds them;
#   --scan    `venvhook list --scan` of a tree of about 10,000 directories
#             (projects with .git, node_modules, sources and a .venv) against
#             `find TREE -name pyvenv.cfg`.
# Prints the times and the ratio find/venvhook (above 1: venvhook is faster).
set -eu
. "$(dirname "$0")/lib.sh"
ROUNDS=${ROUNDS:-3} N=${N:-5}

"$PY" -m venv --without-pip "$T/template"

# 500 envs, one per project, registered by one scan; and a tree of about
# 10,000 directories: 40 projects, each with a .venv, a .git (64 object
# directories), sources three levels deep (120 directories), and for one in
# four a node_modules (200 directories).  Copies of one real env, made in
# one process.
"$PY" - "$T" <<'EOF'
import os, shutil, sys
t = sys.argv[1]
tpl = os.path.join(t, 'template')
for i in range(1, 501):
    shutil.copytree(tpl, f'{t}/many/p{i:03}/.venv', symlinks=True)
for p in range(1, 41):
    d = f'{t}/tree/proj{p:02}'
    shutil.copytree(tpl, f'{d}/.venv', symlinks=True)
    for a in '01234567':
        for b in '01234567':
            os.makedirs(f'{d}/.git/objects/{a}{b}')
    for a in 'abcd':
        for b in 'efghi':
            for c in 'jklmno':
                os.makedirs(f'{d}/src/{a}/{b}/{c}')
    if p % 4 == 0:
        for k in range(1, 101):
            os.makedirs(f'{d}/node_modules/pkg{k}/lib')
            os.makedirs(f'{d}/node_modules/pkg{k}/dist')
EOF
"$VH" list --scan "$T/many" >/dev/null
[[ $("$VH" list | wc -l) -eq 501 ]] || { echo "bench: expected 500 registered envs" >&2; exit 1; }
dirs=$(find "$T/tree" -type d | wc -l)
envs=$(find "$T/tree" -name pyvenv.cfg | wc -l)

# best_us ROUNDS N CMD...: the best over ROUNDS of the mean time of N runs, in us.
best_us() {
	local rounds=$1 n=$2 best= r i t0 t1 us
	shift 2
	for ((r = 0; r < rounds; r++)); do
		t0=${EPOCHREALTIME/./}
		for ((i = 0; i < n; i++)); do "$@" >/dev/null; done
		t1=${EPOCHREALTIME/./}
		us=$(((t1 - t0) / n))
		[[ -z $best || $us -lt $best ]] && best=$us
	done
	echo "$best"
}

scan_state=$T/scanstate
scan() { XDG_STATE_HOME=$scan_state "$VH" list --scan "$T/tree"; }
scan >/dev/null   # the first scan records the 40 envs; the timed ones find them again
found=$(XDG_STATE_HOME=$scan_state "$VH" list | tail -n +2 | wc -l)
[[ $found -eq $envs ]] || { echo "bench: --scan found $found envs, find $envs" >&2; exit 1; }

v_list=$(best_us "$ROUNDS" "$N" "$VH" list)
f_list=$(best_us "$ROUNDS" "$N" find "$T/many" -name pyvenv.cfg)
v_scan=$(best_us "$ROUNDS" "$N" scan)
f_scan=$(best_us "$ROUNDS" "$N" find "$T/tree" -name pyvenv.cfg)

ms() { awk -v n="$1" 'BEGIN { printf "%.1f ms", n / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
printf '%-44s %12s %12s %8s\n' case venvhook find ratio
printf '%-44s %12s %12s %8s\n' "list: 500 registered envs" "$(ms "$v_list")" "$(ms "$f_list")" \
	"$(ratio "$f_list" "$v_list")"
printf '%-44s %12s %12s %8s\n' "--scan: $dirs directories, $envs envs" "$(ms "$v_scan")" \
	"$(ms "$f_scan")" "$(ratio "$f_scan" "$v_scan")"
