# t_check_sync.sh: venvhook check on matching, drifted and malformed
# requirements files; venvhook sync and sync --exact, after which check agrees.
. "$(dirname "$0")/lib.sh"
export XDG_DATA_HOME=$T/data

E=$T/env
W=$T/wheels
mkdir -p "$W"
for spec in "alpha 1.0" "Beta_Pkg 2.0" "gamma 3.0rc1" "delta 0.5" "extra.thing 1.2" "zeta 9.0"; do
	set -- $spec
	$PY "$FIX" wheel "$W" "$@" >/dev/null
done
$PY "$FIX" project "$T/edit" edit-me 0.1
make_venv "$E" && pip_install "$E" -f /usr/share/python-wheels wheel &&
	pip_install "$E" -f "$W" alpha Beta_Pkg gamma extra.thing -e "$T/edit" ||
	{ echo "Bail out! cannot build the env"; exit 1; }

# run_check DESC WANT_STATUS FILE [grep patterns the output must hold]...
run_check() {
	local desc=$1 want=$2 file=$3; shift 3
	"$VH" check --env "$E" -r "$file" >"$T/out" 2>"$T/err"
	local st=$? good=1 p
	[ "$st" -eq "$want" ] || good=0
	for p in "$@"; do grep -qE -- "$p" "$T/out" "$T/err" || { good=0; echo "#   missing: $p"; }; done
	if [ "$good" -eq 1 ]; then ok "$desc"; else not_ok "$desc (status $st, want $want)"; show "$T/out"; show "$T/err"; fi
}

"$VH" freeze --env "$E" -o "$T/frozen.txt" 2>/dev/null
run_check "check: what freeze wrote agrees" 0 "$T/frozen.txt"
check "... and prints nothing" test ! -s "$T/out"

mkdir -p "$T/reqs/sub"
cat >"$T/reqs/sub/more.txt" <<'EOR'
# included from ../main.txt, relative to this file
gamma >= 3.0rc1, < 4   # a pre-release satisfies >=
EOR
cat >"$T/reqs/cons.txt" <<'EOR'
alpha<2
EOR
cat >"$T/reqs/main.txt" <<EOR
--index-url https://example.invalid/simple
--no-binary :none:
-r sub/more.txt
-c cons.txt
ALPHA[extra1] == 1.0.0 \\
    --hash=sha256:0000000000000000000000000000000000000000000000000000000000000000
beta-pkg ~= 2.0 ; python_version >= "3"
missing-on-windows==1.0 ; sys_platform == "win32"
extra_thing @ file://$W/extra_thing-1.2-py3-none-any.whl
-e $T/edit
EOR
run_check "check: includes, constraints, options, extras, markers, hashes, URLs, -e agree" 0 "$T/reqs/main.txt"

$PY "$FIX" project "$T/other-project" other-project 1.0
cat >"$T/drift.txt" <<EOR
alpha==1.1
beta-pkg>=3
delta==0.5
-e $T/other-project
gamma==3.0rc1
EOR
run_check "check: drifted: different, missing and unlisted are reported" 1 "$T/drift.txt" \
	'^different: alpha 1\.0 is installed, .*drift\.txt:1 wants alpha==1\.1$' \
	'^different: Beta_Pkg 2\.0 is installed' '^missing: delta==0\.5 ' \
	'^missing: -e .*/other-project' '^not listed: extra\.thing==1\.2$' '^not listed: edit-me==0\.1$'
check "check: drifted: nothing else is reported" test "$(wc -l <"$T/out")" -eq 6

printf 'alpha==1.0\nbroken=<1\n  \n-r\nBeta_Pkg (>=2\n' >"$T/bad.txt"
run_check "check: malformed lines: status 2, each named with file and line" 2 "$T/bad.txt" \
	"bad\.txt:2: " "bad\.txt:4: " "bad\.txt:5: "
check "check: malformed: nothing judged" test ! -s "$T/out"
run_check "check: a missing file: status 2" 2 "$T/nonexistent.txt" "nonexistent\.txt"
printf -- '-r %s\n' "$T/loop.txt" >"$T/loop.txt"
printf 'alpha==1.0\n-r loop.txt\n' >>"$T/loop.txt"
run_check "check: an include loop is refused, as pip fails on it" 2 "$T/loop.txt" \
	'loop\.txt:1: pip would refuse this line: '
check "... nothing judged" test ! -s "$T/out"
printf 'alpha==1.0\n%s\n' "$T/other-project" >"$T/unnamed.txt"
run_check "check: a line it cannot judge is reported" 1 "$T/unnamed.txt" \
	"^cannot judge: .*unnamed\.txt:2: .*/other-project"

# The project's requirements.txt by default; sync needs a trusted env.
mkdir -p "$T/proj/src"
ln -s "$E" "$T/proj/.venv"
cp "$T/frozen.txt" "$T/proj/requirements.txt"
(cd "$T/proj/src" && PWD=$T/proj/src "$VH" check) >"$T/out" 2>&1
check "check: requirements.txt of the current project by default" test $? -eq 0
(cd "$T/proj/src" && PWD=$T/proj/src "$VH" sync) >"$T/out" 2>&1
check "sync: refuses to run the pip of an untrusted project env" test $? -eq 1
(cd "$T/proj" && PWD=$T/proj "$VH" allow) >/dev/null 2>&1

# sync installs; --exact then removes what the file does not list.
cat >"$T/proj/requirements.txt" <<'EOR'
alpha==1.0
Beta-Pkg==2.0
delta==0.5
zeta>=9 ; python_version >= "3.0"
EOR
(cd "$T/proj/src" && PWD=$T/proj/src "$VH" sync -- --no-index -f "$W" --no-compile) >"$T/out" 2>&1
check "sync: installs the missing requirements" test $? -eq 0
"$VH" check --env "$E" -r "$T/proj/requirements.txt" >"$T/out" 2>&1
check "check after sync: only what the file does not list differs" \
	test $? -eq 1 -a "$(grep -c '^not listed: ' "$T/out")" -eq 3 -a "$(wc -l <"$T/out")" -eq 3
(cd "$T/proj/src" && PWD=$T/proj/src "$VH" sync --exact -- --no-index -f "$W") >"$T/out" 2>&1
check "sync --exact" test $? -eq 0
"$VH" check --env "$E" -r "$T/proj/requirements.txt" >"$T/out" 2>&1
check "check after sync --exact agrees" test $? -eq 0 -a ! -s "$T/out"
"$E/bin/pip" freeze --all >"$T/out" 2>/dev/null
check "sync --exact kept pip and setuptools" \
	sh -c "grep -q '^pip==' '$T/out' && grep -q '^setuptools==' '$T/out' && ! grep -q '^gamma==' '$T/out'"

printf 'alpha==1.0\nbroken=<1\n' >"$T/bad2.txt"
"$VH" sync --env "$E" -r "$T/bad2.txt" >"$T/out" 2>&1
check "sync: a malformed file: status 2, pip not run" test $? -eq 2 -a "$(grep -c 'bad2.txt:2' "$T/out")" -eq 1
printf 'alpha==1.0\n./somewhere/project\n' >"$T/unnamed2.txt"
"$VH" sync --env "$E" --exact -r "$T/unnamed2.txt" >"$T/out" 2>&1
check "sync --exact: refuses a requirement it cannot name" test $? -eq 2
"$VH" sync --env "$E" -r "$T/proj/requirements.txt" -- --no-index --bogus-pip-option >"$T/out" 2>&1
check "sync: pip's failure is a failure" test $? -eq 1
done_testing
