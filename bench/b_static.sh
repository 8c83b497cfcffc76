#!/bin/bash
# Why the helper is linked statically: start-up of `venvhook hook bash` in a
# project, the static binary against the same code linked dynamically.
set -eu
cd "$(dirname "$0")/.."
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
objs=$(ls src/*.o src/*/*.o)
cc -o "$T/venvhook-dynamic" $objs $(pkg-config --libs libpcre2-8 inih jansson zlib 2>/dev/null || echo -lpcre2-8 -linih -ljansson -lz)
export HOME=$T/home; mkdir -p "$HOME" "$T/p"
/usr/bin/python3 -m venv --without-pip "$T/p/.venv"
./venvhook allow "$T/p" >/dev/null
cd "$T/p"
n=${N:-500}
run() { local bin=$1 i=0 t0 t1; t0=${EPOCHREALTIME/./}; while (( i < n )); do "$bin" hook bash >/dev/null; i=$((i+1)); done; t1=${EPOCHREALTIME/./}; echo $(( (t1 - t0) / n )); }
best_s= best_d=
for r in 1 2 3; do
	s=$(run "$OLDPWD/venvhook"); d=$(run "$T/venvhook-dynamic")
	[[ -z $best_s || $s -lt $best_s ]] && best_s=$s
	[[ -z $best_d || $d -lt $best_d ]] && best_d=$d
done
printf 'helper start-up: static %s us, dynamic %s us, static is %s times faster\n' "$best_s" "$best_d" \
	"$(awk -v a="$best_d" -v b="$best_s" 'BEGIN { printf "%.2f", a / b }')"
