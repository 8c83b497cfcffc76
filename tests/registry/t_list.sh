#!/bin/bash
# venvhook list: states of real envs, --scan, --size, --json.
. "$(dirname "$0")/lib.sh"

out=$("$VH" list 2>"$T/err")
st=$?
is "an empty registry: success" "$st" 0
is "... nothing on stdout" "$out" ""
is "... and a hint on stderr" "$(cat "$T/err")" \
	"venvhook: no envs recorded yet; 'venvhook list --scan DIR' finds them"
is "--json of nothing is []" "$("$VH" list --json 2>/dev/null)" "[]"

# --- states ------------------------------------------------------------------
# ok: a project with .venv.
mkdir -p "$HOME/src/ok"
mkenv "$HOME/src/ok/.venv"
"$VH" allow "$HOME/src/ok" >/dev/null
# project gone: a named env, used by a project through a .venv file.
mkdir -p "$HOME/.virtualenvs" "$T/gone-project"
mkenv "$HOME/.virtualenvs/named"
echo named >"$T/gone-project/.venv"
"$VH" allow "$T/gone-project" >/dev/null
rm -rf "$T/gone-project"
# python gone and python changed: envs made by a base interpreter that is
# then removed or becomes another version (a pyenv uninstall, an OS upgrade).
for b in gonebase newbase; do
	mkdir -p "$T/$b/bin"
	ln -s "$(readlink -f "$PY")" "$T/$b/bin/python3"
	mkdir -p "$T/p-$b"
	"$T/$b/bin/python3" -m venv --without-pip "$T/p-$b/.venv"
	"$VH" allow "$T/p-$b" >/dev/null
done
is "an env made through a linked base names it as home" \
	"$(sed -n 's/^home = //p' "$T/p-newbase/.venv/pyvenv.cfg")" "$T/newbase/bin"
rm -rf "$T/gonebase"
: >"$T/newbase/bin/python3.12"
ln -sfn python3.12 "$T/newbase/bin/python3"
# python gone, the other way: bin/python itself removed.
mkdir -p "$T/p-nopy"
mkenv "$T/p-nopy/.venv"
"$VH" allow "$T/p-nopy" >/dev/null
rm "$T/p-nopy/.venv/bin/python"
# python changed, the other way: the standard library of that version is gone
# from the base (an in-place upgrade that kept the binary's name).
mkdir -p "$T/stdbase/bin" "$T/stdbase/lib/python3.11" "$T/p-std"
cp "$(readlink -f "$PY")" "$T/stdbase/bin/python3"
mkenv "$T/p-std/.venv"
sed -i "s|^home = .*|home = $T/stdbase/bin|" "$T/p-std/.venv/pyvenv.cfg"
ln -sfn "$T/stdbase/bin/python3" "$T/p-std/.venv/bin/python3"
"$VH" allow "$T/p-std" >/dev/null
is "while its stdlib is there, that env is ok" "$(listjson "by['$T/p-std/.venv']['state']")" ok
rmdir "$T/stdbase/lib/python3.11"
mkdir "$T/stdbase/lib/python3.12"
# env gone.
mkdir -p "$T/p-envgone"
mkenv "$T/p-envgone/.venv"
"$VH" allow "$T/p-envgone" >/dev/null
rm -rf "$T/p-envgone/.venv"
# no longer a venv: pyvenv.cfg removed.
mkdir -p "$T/p-notvenv"
mkenv "$T/p-notvenv/.venv"
"$VH" allow "$T/p-notvenv" >/dev/null
rm "$T/p-notvenv/.venv/pyvenv.cfg"

state() { listjson "by['$1']['state']"; }
problem() { listjson "by['$1']['problem']"; }
is "ok" "$(state "$HOME/src/ok/.venv")" ok
is "ok has no problem" "$(problem "$HOME/src/ok/.venv")" None
is "project gone" "$(state "$HOME/.virtualenvs/named")" "project gone"
is "... says which" "$(problem "$HOME/.virtualenvs/named")" "its project '$T/gone-project' is gone"
is "base interpreter removed: python gone" "$(state "$T/p-gonebase/.venv")" "python gone"
is "... says why" "$(problem "$T/p-gonebase/.venv")" "the interpreter its bin/python leads to is gone"
is "base interpreter now another version: python changed" "$(state "$T/p-newbase/.venv")" "python changed"
is "... says which" "$(problem "$T/p-newbase/.venv")" \
	"it was made by Python 3.11, but its bin/python is now Python 3.12 ('$T/newbase/bin/python3.12')"
is "bin/python removed: python gone" "$(state "$T/p-nopy/.venv")" "python gone"
is "stdlib of its version gone: python changed" "$(state "$T/p-std/.venv")" "python changed"
is "... says where" "$(problem "$T/p-std/.venv")" \
	"it was made by Python 3.11, whose standard library is no longer in '$T/stdbase'"
is "env gone" "$(state "$T/p-envgone/.venv")" "env gone"
is "no longer a venv: env gone" "$(state "$T/p-notvenv/.venv")" "env gone"
is "the Python version is pyvenv.cfg's" "$(listjson "by['$HOME/src/ok/.venv']['version']")" \
	"$(sed -n 's/^version = //p' "$HOME/src/ok/.venv/pyvenv.cfg")"
is "names: the project's for .venv, the directory's otherwise" \
	"$(listjson "[by['$HOME/src/ok/.venv']['name'], by['$HOME/.virtualenvs/named']['name']]")" \
	'["ok", "named"]'

# The table.
"$VH" list >"$T/table" 2>"$T/err"
st=$?
is "list succeeds" "$st" 0
is "... quietly" "$(cat "$T/err")" ""
like "the header" "$(head -1 "$T/table")" '^NAME +PROJECT +PYTHON +LAST USED +STATE +ENV$'
is "one line per env" "$(($(wc -l <"$T/table") - 1))" 8
like "home is shown as ~" "$(grep '^ok ' "$T/table")" '^ok +~/src/ok +3\.11\.[0-9]+ +never +ok +~/src/ok/\.venv$'
like "a state of two words stays one column" "$(grep '/p-newbase/' "$T/table")" \
	' python changed +'"$T"'/p-newbase/\.venv$'
# The last activated comes first.
hook "$HOME/src/ok" >/dev/null 2>&1
like "the last used comes first, with its time" "$("$VH" list | sed -n 2p)" \
	'^ok +~/src/ok +3\.11\.[0-9]+ +[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} +ok +'

# --- hostile names -----------------------------------------------------------
nl=$'new\nline'
mkdir -p "$T/$nl" "$T/bad-"$'\xff'
mkenv "$T/$nl/.venv"
cpenv "$T/bad-"$'\xff'"/.venv"      # python's venv refuses such a name
# allow refuses a newline (PATH cannot carry it), a scan records it.
"$VH" list --scan "$T/$nl" "$T/bad-"$'\xff' >/dev/null
"$VH" list >"$T/table"
is "a newline in a path keeps the table one line per env" "$(($(wc -l <"$T/table") - 1))" 10
ok "... shown as ?" grep -q "$T/new?line/.venv\$" "$T/table"
ok "--json is valid JSON with a non-UTF-8 path" \
	"$PY" -c 'import json,sys; json.load(sys.stdin)' < <("$VH" list --json)
is "... the byte shown as U+FFFD" \
	"$(listjson "[e['env'] for e in envs if e['env'].startswith('$T/bad-')]")" \
	"[\"$T/bad-\\ufffd/.venv\"]"
is "... and a newline as \\n" "$(listjson "[e['name'] for e in envs if 'new\\nline' in e['env']]")" \
	'["new\nline"]'

# --- --scan ------------------------------------------------------------------
S=$T/scan
mkdir -p "$S/a/b" "$S/.git/objects" "$S/node_modules/pkg" "$S/proj/sub" "$S/noenv" "$S/half"
cpenv "$S/a/b/.venv"                        # found, project guessed
cpenv "$S/a/b/.venv/lib/inner"              # inside an env: not looked at
cpenv "$S/.git/objects/env"                 # inside .git: not looked at
cpenv "$S/node_modules/pkg/env"             # inside node_modules: not looked at
cpenv "$S/proj/sub/named"                   # found, no project
cpenv "$S/proj/venv"                        # found, project guessed
printf 'home = /usr/bin\n' >"$S/half/pyvenv.cfg"   # no bin/python: not a venv
cpenv "$T/outside"
ln -s "$T/outside" "$S/link-to-env"        # a link: not followed
ln -s "$T" "$S/loop"                        # a link up the tree: not followed
cpenv "$S/dangling"
ln -sfn /nonexistent/python3 "$S/dangling/bin/python3"   # python gone, still an env
before=$(listjson 'len(envs)')
out=$("$VH" list --scan "$S" --json 2>"$T/err")
st=$?
is "--scan succeeds" "$st" 0
is "... quietly" "$(cat "$T/err")" ""
is "--scan records exactly the envs outside .git, node_modules and other envs" \
	"$(listjson "sorted(e['env'][len('$S'):] for e in envs if e['env'].startswith('$S/'))")" \
	'["/a/b/.venv", "/dangling", "/proj/sub/named", "/proj/venv"]'
is "... recorded as found" "$(listjson "by['$S/a/b/.venv']['recorded']")" found
is "... the project of a .venv is its directory" "$(listjson "by['$S/a/b/.venv']['project']")" "$S/a/b"
is "... and of a venv" "$(listjson "by['$S/proj/venv']['project']")" "$S/proj"
is "... another name has no project" "$(listjson "by['$S/proj/sub/named']['project']")" None
is "... a dangling interpreter: python gone" "$(listjson "by['$S/dangling']['state']")" "python gone"
is "the registry grew by 4" "$(listjson 'len(envs)')" $((before + 4))
"$VH" list --scan "$S" >/dev/null 2>&1
is "scanning again adds nothing" "$(listjson 'len(envs)')" $((before + 4))
"$VH" list --scan "$S/a/b/.venv" >/dev/null 2>&1
is "scanning an env itself finds it" "$(listjson 'len(envs)')" $((before + 4))
# A found env keeps the project an allow gave it.
"$VH" list --scan "$HOME" >/dev/null 2>&1
is "a scan does not replace a known project" "$(listjson "by['$HOME/.virtualenvs/named']['project']")" \
	"$T/gone-project"
# Relative roots, several roots.
mkdir -p "$T/r1" "$T/r2"
cpenv "$T/r1/e1"
cpenv "$T/r2/e2"
(cd "$T" && "$VH" list --scan r1 ./r2 >/dev/null 2>&1)
is "relative and several roots" "$(listjson "sorted(e['env'] for e in envs if '/r1/' in e['env'] or '/r2/' in e['env'])")" \
	"[\"$T/r1/e1\", \"$T/r2/e2\"]"
out=$("$VH" list --scan "$T/missing" 2>&1 >/dev/null)
st=$?
is "a missing root fails" "$st" 1
is "... naming it" "$out" "venvhook: cannot scan '$T/missing': No such file or directory"
out=$("$VH" list --scan "$S/a/b/.venv/pyvenv.cfg" 2>&1 >/dev/null)
is "a file as root fails" "$out" "venvhook: cannot scan '$S/a/b/.venv/pyvenv.cfg': Not a directory"
# A deep tree.
deep=$T/deep
d=$deep
for i in $(seq 1 60); do d=$d/d$i; done
mkdir -p "$d"
cpenv "$d/.venv"
"$VH" list --scan "$deep" >/dev/null 2>&1
is "an env 60 levels deep is found" "$(listjson "len([e for e in envs if e['env'] == '$d/.venv'])")" 1

# --- --size ------------------------------------------------------------------
mkdir -p "$T/sz"
cpenv "$T/sz/a"
cpenv "$T/sz/b"
head -c 1048576 /dev/urandom >"$T/sz/a/lib/big"
ln "$T/sz/a/lib/big" "$T/sz/b/lib/big"          # one file in both envs
head -c 2097152 /dev/urandom >"$T/outside-big"
ln -s "$T/outside-big" "$T/sz/a/lib/link"        # a link out: not followed
"$VH" list --scan "$T/sz" >/dev/null 2>&1
sizes=$(listjson "sum(by[e]['size'] for e in ['$T/sz/a', '$T/sz/b'])" --size)
du=$(du -s -B1 -c "$T/sz/a" "$T/sz/b" | tail -1 | cut -f1)
is "--size counts a file linked into two envs once, as du does" "$sizes" "$du"
is "... counted in one of the two" \
	"$(listjson "sorted(by[e]['size'] >= 1048576 for e in ['$T/sz/a', '$T/sz/b'])" --size)" \
	"[false, true]"
ok "... without following a link out" test "$sizes" -lt 3000000
is "a gone env has no size" "$(listjson "by['$T/p-envgone/.venv']['size']" --size)" None
is "without --size there is no size" "$(listjson "'size' in envs[0]")" False
"$VH" list --size >"$T/table"
like "the table has a SIZE column" "$(head -1 "$T/table")" ' STATE +SIZE +ENV$'
like "... and a total" "$(tail -1 "$T/table")" '^total [0-9.]+[KMG]$'

# --- many envs: checked in several threads, each its own state ----------------
state=$XDG_STATE_HOME data=$XDG_DATA_HOME
export XDG_STATE_HOME=$T/many-state XDG_DATA_HOME=$T/many-data
mkdir -p "$XDG_STATE_HOME/venvhook"
cpenv "$T/many-template"
"$PY" - "$T" "$XDG_STATE_HOME/venvhook/registry" <<'EOF'
import os, shutil, sys
t, reg = sys.argv[1], sys.argv[2]
with open(reg, 'w') as f:
    f.write('venvhook-registry 1\n')
    for i in range(5000):
        e = f'{t}/many/e{i}'
        os.makedirs(f'{e}/bin')
        shutil.copy(f'{t}/many-template/pyvenv.cfg', f'{e}/pyvenv.cfg')
        os.symlink(os.path.realpath(f'{t}/many-template/bin/python'), f'{e}/bin/python')
        f.write(f'{e}\t\t\t\t0\t{i}\tfound\n')
EOF
rm -rf "$T/many/e17" "$T/many/e4321/bin/python" "$T/many/e2600/pyvenv.cfg"
ln -s /nonexistent/python3 "$T/many/e4321/bin/python"
is "5,000 envs: each its own state" \
	"$(listjson "sorted((e['state'], e['name']) for e in envs if e['state'] != 'ok')")" \
	'[["env gone", "e17"], ["env gone", "e2600"], ["python gone", "e4321"]]'
is "... and every other one ok" "$(listjson "len([e for e in envs if e['state'] == 'ok'])")" 4997
export XDG_STATE_HOME=$state XDG_DATA_HOME=$data

# --- usage -------------------------------------------------------------------
"$VH" list --bogus >/dev/null 2>"$T/err"
is "an unknown option is bad usage" "$?" 2
like "... named" "$(head -1 "$T/err")" "^venvhook: unknown option '--bogus'"
"$VH" list somewhere >/dev/null 2>&1
is "a bare argument is bad usage" "$?" 2
"$VH" list --scan >/dev/null 2>&1
is "--scan without a directory is bad usage" "$?" 2
"$VH" list >/dev/full 2>/dev/null
is "a write error fails" "$?" 1

done_testing
