#!/bin/bash
# venvhook rm: deletes an env and its trust record; refuses everything that
# is not an env, and never follows a link out of it.
. tests/create/lib.sh

py=/usr/bin/python3

trust_records() {
	ls "$XDG_DATA_HOME/venvhook/trust" 2>/dev/null | wc -l
}

mkdir -p "$T/w"
cd "$T/w" || exit 2

# An env named by its path.
seeded "$VH" create "$T/w/e1" -p $py >/dev/null
is "a created env has a trust record" "$(trust_records)" 1
ok "rm DIR: exit 0" run 0 rm "$T/w/e1"
is "rm DIR: says so" "$(cat "$T/out")" "removed '$T/w/e1'"
ok "rm DIR: the env is gone" test ! -e "$T/w/e1"
is "rm DIR: its trust record is gone" "$(trust_records)" 0
is "rm DIR: nothing left beside" "$(ls -A "$T/w")" ""

# The env of the current project: a .venv directory, a .venv file.
mkdir -p "$T/w/p1/sub"
(cd "$T/w/p1" && "$VH" create -p $py --without-pip >/dev/null)
(cd "$T/w/p1/sub" && "$VH" rm >"$T/out" 2>"$T/err")
is "rm in a project (from a subdirectory): exit 0" $? 0
ok "rm in a project: its .venv is gone" test ! -e "$T/w/p1/.venv"
ok "rm in a project: the project stays" test -d "$T/w/p1/sub"
mkdir -p "$T/w/p2" "$T/envs"
"$VH" create "$T/envs/shared" -p $py --without-pip >/dev/null
echo "$T/envs/shared" >"$T/w/p2/.venv"
# An env outside the project may be anyone's: --yes, or a "y" on a terminal.
(cd "$T/w/p2" && "$VH" rm >"$T/out" 2>"$T/err")
status=$? err=$(cat "$T/err")
is "rm of an env outside the project, no terminal: exit 1" "$status" 1
ok "rm of an env outside the project, no terminal: one line" \
	one_line "'$T/w/p2/.venv' names '$T/envs/shared', outside the project; 'venvhook rm --yes' deletes it"
ok "rm of an env outside the project, no terminal: it stays" test -f "$T/envs/shared/pyvenv.cfg"
(cd "$T/w/p2" && echo n | script -qec "'$VH' rm" /dev/null >"$T/out" 2>&1)
status=$?
is "rm of an env outside the project, 'n' on a terminal: exit 1" "$status" 1
ok "rm of an env outside the project, on a terminal: it asks" \
	grep -qF "delete '$T/envs/shared', which '$T/w/p2/.venv' names, outside the project? [y/N]" "$T/out"
ok "rm of an env outside the project, 'n' on a terminal: it stays" test -f "$T/envs/shared/pyvenv.cfg"
(cd "$T/w/p2" && echo y | script -qec "'$VH' rm" /dev/null >"$T/out" 2>&1)
is "rm of an env outside the project, 'y' on a terminal: exit 0" $? 0
ok "rm of an env outside the project, 'y' on a terminal: it is gone" test ! -e "$T/envs/shared"
"$VH" create "$T/envs/shared" -p $py --without-pip >/dev/null
(cd "$T/w/p2" && "$VH" rm --yes >"$T/out" 2>"$T/err")
is "rm --yes in a project whose .venv file names an env: exit 0" $? 0
ok "rm in a project whose .venv file names an env: that env is gone" test ! -e "$T/envs/shared"
ok "rm in a project whose .venv file names an env: the marker stays" test -f "$T/w/p2/.venv"
mkdir -p "$T/w/none"
(cd "$T/w/none" && "$VH" rm >"$T/out" 2>"$T/err")
status=$? err=$(cat "$T/err")
is "rm where there is no project: exit 2, as freeze's" "$status" 2
ok "rm where there is no project: one line" one_line "no env found from '$T/w/none' up to '/'"

# What is never removed.
ok "rm /: exit 1" run 1 rm /
ok "rm /: refused" one_line "refusing to remove '/'"
touch "$HOME/pyvenv.cfg"
mkdir -p "$HOME/bin"
before=$(snapshot "$HOME")
ok "rm \$HOME (even one that looks like an env): exit 1" run 1 rm "$HOME"
ok "rm \$HOME: refused" one_line "it is your home directory"
is "rm \$HOME: untouched" "$(snapshot "$HOME")" "$before"
ok "rm a directory above \$HOME: exit 1" run 1 rm "$(dirname "$HOME")"
ok "rm a directory above \$HOME: refused" one_line "it holds your home directory"
rm -f "$HOME/pyvenv.cfg"

mkdir -p "$T/w/proj/.git" "$T/w/proj/src"
(cd "$T/w/proj" && "$VH" create -p $py --without-pip >/dev/null)
before=$(snapshot "$T/w/proj")
ok "rm a project directory: exit 1" run 1 rm "$T/w/proj"
ok "rm a project directory: refused, naming its env" \
	one_line "'$T/w/proj': it is a project directory (it holds '.git'), not an env; its env is '$T/w/proj/.venv'"
is "rm a project directory: untouched" "$(snapshot "$T/w/proj")" "$before"
# python -m venv . in a project: an env that is also a project.
"$VH" create "$T/w/both" -p $py --without-pip >/dev/null
echo 'print(1)' >"$T/w/both/app.py"
before=$(snapshot "$T/w/both")
ok "rm an env holding other files: exit 1" run 1 rm "$T/w/both"
ok "rm an env holding other files: refused, naming one" one_line "it holds 'app.py', which is no part of an env"
is "rm an env holding other files: untouched" "$(snapshot "$T/w/both")" "$before"
mkdir -p "$T/w/plain"
ok "rm a directory without pyvenv.cfg: exit 1" run 1 rm "$T/w/plain"
ok "rm a directory without pyvenv.cfg: refused" one_line "it is not a virtual environment (no pyvenv.cfg)"
echo x >"$T/w/afile"
ok "rm a file: exit 1" run 1 rm "$T/w/afile"
is "rm a file: untouched" "$(cat "$T/w/afile")" x
ok "rm a missing path: exit 1" run 1 rm "$T/w/missing"
"$VH" create "$T/w/real" -p $py --without-pip >/dev/null
ln -s "$T/w/real" "$T/w/link"
ok "rm a link to an env: exit 1" run 1 rm "$T/w/link"
ok "rm a link to an env: refused" one_line "it is a symbolic link"
ok "rm a link to an env: the env stays" test -f "$T/w/real/pyvenv.cfg"
ok "rm takes one path: exit 2" run 2 rm a b
ok "rm --bogus: exit 2" run 2 rm --bogus

# Links inside the env are removed, never followed.
mkdir -p "$T/precious/dir"
echo keep >"$T/precious/file"
echo keep >"$T/precious/dir/inner"
before=$(snapshot "$T/precious")
"$VH" create "$T/w/trap" -p $py --without-pip >/dev/null
ln -s "$T/precious" "$T/w/trap/lib/evil-dir"
ln -s "$T/precious/file" "$T/w/trap/bin/evil-file"
ok "rm an env holding links out of it: exit 0" run 0 rm "$T/w/trap"
ok "rm an env holding links out of it: the env is gone" test ! -e "$T/w/trap"
is "rm an env holding links out of it: their targets are untouched" "$(snapshot "$T/precious")" "$before"

# A read-only directory inside the env.
"$VH" create "$T/w/ro" -p $py --without-pip >/dev/null
mkdir -p "$T/w/ro/lib/locked/deep"
touch "$T/w/ro/lib/locked/deep/f"
chmod 555 "$T/w/ro/lib/locked" "$T/w/ro/lib/locked/deep"
ok "rm an env with read-only directories: exit 0" run 0 rm "$T/w/ro"
ok "rm an env with read-only directories: gone" test ! -e "$T/w/ro"

# A file system mounted inside the env (bind mounts share st_dev).
cat >"$T/bind.sh" <<'EOF'
env=$1 precious=$2 vh=$3 res=$4
mkdir -p "$env/lib/mnt"
mount --bind "$precious" "$env/lib/mnt" || exit 99
"$vh" rm "$env" >"$res.out" 2>"$res.err"
echo "status=$?" >"$res"
umount "$env/lib/mnt"
EOF
"$VH" create "$T/w/mnt" -p $py --without-pip >/dev/null
if [ "$(id -u)" -eq 0 ]; then
	unshare -m bash "$T/bind.sh" "$T/w/mnt" "$T/precious" "$VH" "$T/bindres"
else
	unshare -rm bash "$T/bind.sh" "$T/w/mnt" "$T/precious" "$VH" "$T/bindres"
fi
if [ -f "$T/bindres" ]; then
	ok "rm an env with a file system mounted inside: exit 1" grep -qx status=1 "$T/bindres"
	err=$(cat "$T/bindres.err")
	cp "$T/bindres.err" "$T/err"
	ok "rm an env with a file system mounted inside: refused" one_line "a file system is mounted at '$T/w/mnt/lib/mnt'"
	is "rm an env with a file system mounted inside: the mounted files are untouched" \
		"$(snapshot "$T/precious")" "$before"
	ok "rm an env with a file system mounted inside: the env is untouched" test -f "$T/w/mnt/pyvenv.cfg"
else
	fail "rm an env with a file system mounted inside: cannot bind-mount here"
fi

# Removing the active env outside the integration says how to leave it.
"$VH" create "$T/w/act" -p $py --without-pip >/dev/null
VIRTUAL_ENV=$T/w/act "$VH" rm "$T/w/act" >"$T/out" 2>"$T/err"
ok "rm the active env outside the integration: a note says deactivate" \
	grep -q "still active in this shell; 'deactivate' leaves it" "$T/err"

done_testing
