#!/bin/bash
# t_pip_runs.sh: how sync and freeze run the env's own pip: a SIGTERM that
# ends sync reaches pip too, and a failing pip freeze is named as it was
# run.  The env is a fake whose bin/python is a script, so that what it is
# given and what it receives can be seen.
. "$(dirname "$0")/lib.sh"

E=$T/fake
mkdir -p "$E/bin" "$E/lib/python3.11/site-packages/pip-22.0.dist-info"
printf 'home = /usr/bin\nversion = 3.11.2\ninclude-system-site-packages = false\n' >"$E/pyvenv.cfg"
printf 'Metadata-Version: 2.1\nName: pip\nVersion: 22.0\n\n' \
	>"$E/lib/python3.11/site-packages/pip-22.0.dist-info/METADATA"
cat >"$E/bin/python" <<EOF
#!/bin/bash
printf '%s\n' "\$*" >>"$T/args"
if [[ \$* == *install* ]]; then
	trap 'kill \$! 2>/dev/null; echo TERM >"$T/got"; exit 143' TERM
	echo started >"$T/started"
	sleep 30 & wait
	exit 0
fi
exit 3
EOF
chmod +x "$E/bin/python"
printf 'alpha==1.0\n' >"$T/req.txt"

# sync, then SIGTERM to venvhook alone (not its process group).
"$VH" sync --env "$E" -r "$T/req.txt" >"$T/sync.out" 2>&1 &
pid=$!
for _ in $(seq 200); do [[ -e $T/started ]] && break; sleep 0.05; done
ok "sync: the env's pip is running" test -e "$T/started"
kill -TERM "$pid"
wait "$pid"
st=$?
ok "sync: SIGTERM reaches pip" test -e "$T/got"
ok "sync: venvhook ends as pip did, of SIGTERM (status $st)" test "$st" -eq 143
ok "sync: no uninstall or other pip run followed" test "$(grep -c . "$T/args")" -eq 1

# pip older than 23.0: freeze asks the env's pip, here python -m pip (no bin/pip).
"$VH" freeze --env "$E" >"$T/freeze.out" 2>&1
st=$?
ok "freeze: a failing pip freeze is a failure (status $st)" test "$st" -eq 1
ok "freeze: it was run as python -m pip freeze" grep -qx -- "-m pip freeze" "$T/args"
ok "freeze: the message names what ran" grep -q "^venvhook: '$E/bin/python -m pip freeze' exited with status 3\$" "$T/freeze.out" ||
	show "$T/freeze.out"

done_testing
