#!/bin/bash
# t_run.sh: the test harness itself.  tests/run on a tree of made-up suites:
# the closing count, each suite's lines kept together when suites run side
# by side, a suite that fails without a "not ok", and a process that
# outlives its suite (reported, then ended); tests/lib.sh's cleanup (jobs,
# coprocesses) and tests/shell/lib.sh's (a tmux server, also when a shell's
# part ends early) leave nothing behind.
. "$(dirname "$0")/../lib.sh"

W=$T/tree
mkdir -p "$W/tests/x" "$W/tests/shell"
cp "$TOP/tests/run" "$TOP/tests/lib.sh" "$W/tests/"
cp "$TOP/tests/shell/lib.sh" "$W/tests/shell/"
ln -s "$TOP/venvhook" "$W/venvhook"
tok=vh-self-$$-$RANDOM

# Suites that print slowly, so that side by side their lines would mix.
for s in a b c; do
	cat >"$W/tests/x/t_$s.sh" <<EOF
for i in 1 2 3; do echo "ok \$i - $s\$i"; sleep 0.1; done
echo "1..3"
EOF
done
cat >"$W/tests/x/t_fails.sh" <<'EOF'
echo "ok 1 - fine"
echo "not ok 2 - broken"
exit 1
EOF
cat >"$W/tests/x/t_dies.sh" <<'EOF'
echo "ok 1 - fine"
exit 3
EOF
cat >"$W/tests/x/t_leaks.sh" <<EOF
echo "ok 1 - fine"
(exec -a $tok sleep 300 &)
EOF
run_tree() { (cd "$W" && sh tests/run "$@") >"$T/out" 2>&1; }

run_tree -j 3 tests/x/t_a.sh tests/x/t_b.sh tests/x/t_c.sh tests/x/t_fails.sh tests/x/t_dies.sh \
	tests/x/t_leaks.sh
is "a failing run: exit status 1" $? 1
is "the closing line counts every ok and not ok" "$(tail -n 1 "$T/out")" "12 passed, 3 failed"
grouped=1
for s in a b c; do
	from=$(grep -n "^# tests/x/t_$s.sh\$" "$T/out" | cut -d: -f1)
	to=$(grep -n "^# tests/x/t_$s.sh: " "$T/out" | cut -d: -f1)
	[[ -n $from && -n $to ]] &&
		[[ $(sed -n "$((from + 1)),$((to - 1))p" "$T/out") == "ok 1 - ${s}1"$'\n'"ok 2 - ${s}2"$'\n'"ok 3 - ${s}3" ]] ||
		grouped=0
done
is "side by side, each suite's lines stay together" "$grouped" 1
ok "a suite that exits non-zero without a 'not ok' is a failure" \
	grep -qx 'not ok - tests/x/t_dies.sh exited with status 3' "$T/out"
ok "a process that outlives its suite is a failure" \
	grep -qx 'not ok - tests/x/t_leaks.sh: a process outlived the suite' "$T/out"
ok "... named" grep -q "^#.* $tok" "$T/out"
is "... and ended" "$(pgrep -f "^$tok" 2>/dev/null)" ""

# tests/lib.sh ends the script's jobs and coprocesses.
cat >"$W/tests/x/t_lib.sh" <<EOF
. tests/lib.sh
(exec -a $tok-job sleep 300) &
coproc (exec -a $tok-coproc sleep 300)
pass "started"
done_testing
EOF
run_tree tests/x/t_lib.sh
is "tests/lib.sh: a script's jobs and coprocesses end with it" "$(tail -n 1 "$T/out")" "1 passed, 0 failed"

# tests/shell/lib.sh ends its tmux server, also when a shell stops answering.
cat >"$W/tests/shell/t_tmux.sh" <<'EOF'
. "$(dirname "$0")/lib.sh"
body() {
	sh_start "$SH"
	pass "a shell runs"
	[[ $SH == zsh ]] && hung "made up"
	run "true"
}
for_shells body bash zsh
done_testing
EOF
run_tree tests/shell/t_tmux.sh
is "tests/shell/lib.sh: no tmux server or shell outlives the suite" \
	"$(grep -c 'outlived' "$T/out") $(tail -n 1 "$T/out")" "0 2 passed, 1 failed"
ok "... the failure is the made-up one" grep -q '^not ok 3 - zsh: zsh stopped answering (made up)' "$T/out"

done_testing
