# t_check_sync.sh: venvhook check on matching, drifted and malformed
# requirements files; venvhook sync and sync --exact, after which check agrees.
. "$(dirname "$0")/lib.sh"
export XDG_DATA_HOME=$T/data

E=$T/env
W=$T/wheels
mkdir -p "$W"
fx=()
for spec in "alpha 1.0" "Beta_Pkg 2.0" "gamma 3.0rc1" "delta 0.5" "extra.thing 1.2" "zeta 9.0"; do
	fx+=(wheel "$W" $spec --)
done
fixture "${fx[@]}" project "$T/edit" edit-me 0.1 -- project "$T/other-project" other-project 1.0 >/dev/null
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
	if [ "$good" -eq 1 ]; then pass "$desc"; else fail "$desc (status $st, want $want)"; show "$T/out"; show "$T/err"; fi
}

"$VH" freeze --env "$E" -o "$T/frozen.txt" 2>/dev/null
run_check "check: what freeze wrote agrees" 0 "$T/frozen.txt"
ok "... and prints nothing" test ! -s "$T/out"
# on_tty CMD...: CMD's output on a pseudo-terminal, without the carriage returns.
on_tty() { script -qec "$(printf '%q ' "$@")" /dev/null </dev/null | tr -d '\r'; }
out=$(on_tty "$VH" check --env "$E" -r "$T/frozen.txt")
ok "check on a terminal: one line says there is nothing to do" \
	test "$out" = "nothing to do: '$E' matches '$T/frozen.txt'"

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
ok "check: drifted: nothing else is reported" test "$(wc -l <"$T/out")" -eq 6
out=$(on_tty "$VH" check --env "$E" -r "$T/drift.txt")
ok "check on a terminal, drifted: no 'nothing to do'" \
	test "$(grep -c 'nothing to do' <<<"$out")" -eq 0 -a "$(wc -l <<<"$out")" -eq 6

printf 'alpha==1.0\nbroken=<1\n  \n-r\nBeta_Pkg (>=2\n' >"$T/bad.txt"
run_check "check: malformed lines: status 2, each named with file and line" 2 "$T/bad.txt" \
	"bad\.txt:2: " "bad\.txt:4: " "bad\.txt:5: "
ok "check: malformed: nothing judged" test ! -s "$T/out"
run_check "check: a missing file: status 2" 2 "$T/nonexistent.txt" "nonexistent\.txt"
printf -- '-r %s\n' "$T/loop.txt" >"$T/loop.txt"
printf 'alpha==1.0\n-r loop.txt\n' >>"$T/loop.txt"
run_check "check: an include loop is refused, as pip fails on it" 2 "$T/loop.txt" \
	'loop\.txt:1: pip would refuse this line: '
ok "... nothing judged" test ! -s "$T/out"
printf 'alpha==1.0\n%s\n' "$T/other-project" >"$T/unnamed.txt"
run_check "check: a line it cannot judge is reported" 1 "$T/unnamed.txt" \
	"^cannot judge: .*unnamed\.txt:2: .*/other-project"

# A file reached by -c and then by -r: its role is per inclusion, as in pip.
printf 'delta==0.5\n' >"$T/inc.txt"
printf -- '-c inc.txt\n-r inc.txt\n' >"$T/role.txt"
run_check "check: a file read as constraints, then included, lists its requirements" 1 \
	"$T/role.txt" '^missing: delta==0\.5 '

# Bytes of the file reach the terminal printable.
printf 'delta==0.5 ; os_name != "\033[2J"\n' >"$T/esc.txt"
"$VH" check --env "$E" -r "$T/esc.txt" >"$T/out" 2>"$T/err"
ok "check: a line's control characters are not printed" \
	sh -c "grep -q '^missing: delta' '$T/out' && ! grep -q \"\$(printf '\\033')\" '$T/out' '$T/err'"
printf '\033[2Jdelta==0.5\n' >"$T/esc2.txt"
"$VH" check --env "$E" -r "$T/esc2.txt" >"$T/out" 2>"$T/err"
ok "check: ... nor in the reason pip would refuse it" \
	sh -c "grep -q 'esc2.txt:1: pip would refuse' '$T/err' && ! grep -q \"\$(printf '\\033')\" '$T/err'"

# Hostile files: one clean line and status 2, or an answer in linear time
# (the timeout only stops a hang).
$PY -c 'print("alpha==1.0 ; " + "(" * 50000 + "os_name == \"posix\"" + ")" * 50000)' >"$T/deep.txt"
"$VH" check --env "$E" -r "$T/deep.txt" >"$T/out" 2>"$T/err"
ok "check: 50,000 nested parentheses: status 2, one line" \
	test $? -eq 2 -a "$(wc -l <"$T/err")" -eq 1 -a ! -s "$T/out"
$PY -c 'print("alpha==1.0" + " " * 6400000 + "x")' >"$T/blanks.txt"
timeout 300 "$VH" check --env "$E" -r "$T/blanks.txt" >"$T/out" 2>&1
ok "check: a requirement then 6.4 million blanks is read (status 2: pip refuses it too)" test $? -eq 2
$PY -c 'print("a" * 4000000 + "==1.0")' >"$T/longname.txt"
timeout 300 "$VH" check --env "$E" -r "$T/longname.txt" >"$T/out" 2>&1
ok "check: a 4 MB name is read" test $? -eq 1
$PY -c 'print("alpha" + ",".join(["==1.0"] * 400000))' >"$T/clauses.txt"
timeout 300 "$VH" check --env "$E" -r "$T/clauses.txt" >"$T/out" 2>&1
ok "check: 400,000 specifiers are read" test $? -eq 1

# Lines pip reads and lines pip refuses: the env's own pip is the oracle
# (tests/freeze/pip_oracle.py), for this env and, where pyenv has one, an
# env of pip 24.
C=$T/cases
mkdir -p "$C"
printf 'gamma>=3.0rc1\n' >"$C/sub.txt"
printf 'alpha==1.0\n' >"$C/sub2.txt"
case_file() { printf '%b\n' "$2" >"$C/$1.txt"; }
$PY -c 'import sys; open(sys.argv[1], "wb").write("alpha==1.0\r\nBeta_Pkg==2.0\r\n".encode("utf-16"))' "$C/utf16.txt"
$PY -c 'import sys; open(sys.argv[1], "wb").write("alpha==1.0\n".encode("utf-16-be"))' "$C/utf16be-nobom.txt"
printf '\357\273\277alpha==1.0\nBeta_Pkg==2.0\n' >"$C/utf8bom.txt"
printf 'alpha==1.0 # caf\351\n' >"$C/latin1.txt"
printf '# -*- coding: latin-1 -*-\nalpha==1.0 # caf\351\n' >"$C/latin1-declared.txt"
case_file url-marker "extra.thing @ file://$W/extra_thing-1.2-py3-none-any.whl;python_version>'3'"
case_file empty-marker 'alpha==1.0 ;'
case_file r-file-url "-r file://$C/sub.txt"
case_file r-file-localhost "-r file://localhost$C/sub.txt"
case_file e-git 'alpha==1.0\n-e git://example.invalid/r.git#egg=alpha'
case_file e-hg 'alpha==1.0\n-e hg://example.invalid/r#egg=alpha'
case_file e-https 'alpha==1.0\n-e https://example.invalid/r#egg=alpha'
case_file e-no-egg 'alpha==1.0\n-e git+https://example.invalid/r.git'
case_file formfeed 'alpha==1.0\fBeta_Pkg==2.0'
case_file vtab 'alpha==1.0\vBeta_Pkg==2.0'
case_file formfeed-marker 'alpha==1.0\f;python_version>"3"'
case_file unit-sep-comment 'alpha==1.0\037# comment'
case_file two-r '-r sub.txt -r sub2.txt'
case_file r-c '-r sub.txt -c sub2.txt'
case_file e-r "-e $T/edit -r sub.txt"
case_file pre-foo '--pre foo'
case_file dashdash '--pre -- -r sub.txt'
case_file hash-md5 'alpha==1.0 --hash=md5:0123'
case_file hash-sha1 'alpha==1.0 --hash=sha1:0123'
case_file hash-novalue 'alpha==1.0 --hash=sha256'
case_file hash-empty 'alpha==1.0 --hash=sha256:'
case_file use-feature-bogus '--use-feature=bogus'
case_file use-feature 'alpha==1.0\n--use-feature=fast-deps'
case_file no-binary-dash '--no-binary -x'
case_file only-binary-dash '--only-binary -x'
case_file extras-blank 'alpha[so cks]'
case_file extras-comma 'alpha[a,]'
case_file extras-empty 'alpha[]==1.0'
case_file extras-spaced 'alpha[ a , b ]==1.0'
printf 'alpha==1.0 \377\n' >"$C/not-utf8.txt"
case_file egg-spec 'alpha==1.0\n-e git+https://example.invalid/r.git#egg=alpha==1.0'
case_file egg-empty 'https://example.invalid/a.tar.gz#egg='
case_file bad-wheel-name 'https://example.invalid/notawheel.whl'
case_file loop '-r loop.txt'
case_file legacy-spec 'alpha>=0.5<3'
case_file legacy-empty 'alpha=='
case_file config-settings 'alpha==1.0 --config-settings key=value'
case_file config-settings-bad 'alpha==1.0 --config-settings key'
case_file install-option 'alpha==1.0 --install-option=--prefix=/x'
case_file release-ge 'alpha==1.0 ; platform_release >= "1"'
case_file release-ne 'alpha==1.0 ; platform_release != "1"'
case_file release-str "alpha==1.0 ; platform_release == '$(uname -r)'"
case_file shlex-escape 'alpha==1.0 --hash "sha256:\\$x"'
case_file open-quote "alpha==1.0 --hash 'sha256:x"
case_file unclosed-paren 'alpha==1.0 ; (os_name == "posix"'
case_file no-dir './not-a-directory'
case_file e-no-dir '-e ./not-a-directory'
mkdir -p "$C/no-project"
case_file no-project './no-project'
case_file e-no-project 'alpha==1.0\n-e ./no-project'

# oracle ENV NAME: every case read by ENV's pip and by venvhook check.
oracle() {
	local env=$1 name=$2 f v st want
	(cd "$C" && ls *.txt) | grep -v '^sub' >"$T/cases.list"
	(cd "$C" && "$env/bin/python" "$ROOT/tests/freeze/pip_oracle.py" $(cat "$T/cases.list")) \
		>"$T/oracle.out" 2>/dev/null
	if [ "$(wc -l <"$T/oracle.out")" -ne "$(wc -l <"$T/cases.list")" ]; then
		fail "$name: the oracle answered for every case"; return
	fi
	local bad=0 n=0
	while IFS= read -r f && IFS= read -r v <&3; do
		n=$((n + 1))
		(cd "$C" && "$VH" check --env "$env" -r "$f") >"$T/out" 2>"$T/err"
		st=$?
		want=0; case $v in refused*) want=2;; esac
		if [ "$want" -eq 2 ] && { [ "$st" -ne 2 ] || ! grep -q 'pip would refuse this' "$T/err"; }; then
			bad=1; echo "#   $f: pip refuses ($v); venvhook status $st"; show "$T/err"
		elif [ "$want" -eq 0 ] && { [ "$st" -eq 2 ] || [ -s "$T/err" ]; }; then
			bad=1; echo "#   $f: pip reads it; venvhook status $st"; show "$T/err"
		fi
	done <"$T/cases.list" 3<"$T/oracle.out"
	ok "$name: venvhook check refuses the $n files exactly where the env's pip does" test "$bad" -eq 0
}
oracle "$E" "$(pip_version "$E")"
for f in utf16 utf8bom formfeed vtab; do
	(cd "$C" && "$VH" check --env "$E" -r "$f.txt") >"$T/out" 2>&1
	ok "check: $f.txt: its requirements are read" \
		sh -c "! grep -q '^missing' '$T/out' && [ \$(grep -c '^not listed' '$T/out') -eq 3 ]"
done
(cd "$C" && "$VH" check --env "$E" -r two-r.txt) >"$T/out" 2>&1
ok "check: -r a -r b reads a only, as pip" grep -q '^not listed: alpha==' "$T/out"
(cd "$C" && "$VH" check --env "$E" -r egg-spec.txt) >"$T/out" 2>&1
ok "check: #egg=alpha==1.0 names alpha" grep -q '^different: alpha 1\.0 is installed, not as an editable' "$T/out"
for py in /root/.pyenv/versions/3.13.*/bin/python3; do
	[ -x "$py" ] || continue
	VENV_PY=$py make_venv "$T/env24" || { fail "cannot make an env with $py"; break; }
	oracle "$T/env24" "$(pip_version "$T/env24")"
	break
done

# The project's requirements.txt by default; sync needs a trusted env.
mkdir -p "$T/proj/src"
ln -s "$E" "$T/proj/.venv"
cp "$T/frozen.txt" "$T/proj/requirements.txt"
(cd "$T/proj/src" && PWD=$T/proj/src "$VH" check) >"$T/out" 2>&1
ok "check: requirements.txt of the current project by default" test $? -eq 0
(cd "$T/proj/src" && PWD=$T/proj/src "$VH" sync) >"$T/out" 2>&1
ok "sync: refuses to run the pip of an untrusted project env" test $? -eq 1
(cd "$T/proj" && PWD=$T/proj "$VH" allow) >/dev/null 2>&1

# sync installs; --exact then removes what the file does not list.
cat >"$T/proj/requirements.txt" <<'EOR'
alpha==1.0
Beta-Pkg==2.0
delta==0.5
zeta>=9 ; python_version >= "3.0"
EOR
(cd "$T/proj/src" && PWD=$T/proj/src "$VH" sync -- --no-index -f "$W" --no-compile) >"$T/out" 2>&1
ok "sync: installs the missing requirements" test $? -eq 0
"$VH" check --env "$E" -r "$T/proj/requirements.txt" >"$T/out" 2>&1
ok "check after sync: only what the file does not list differs" \
	test $? -eq 1 -a "$(grep -c '^not listed: ' "$T/out")" -eq 3 -a "$(wc -l <"$T/out")" -eq 3
(cd "$T/proj/src" && PWD=$T/proj/src "$VH" sync --exact -- --no-index -f "$W") >"$T/out" 2>&1
ok "sync --exact" test $? -eq 0
"$VH" check --env "$E" -r "$T/proj/requirements.txt" >"$T/out" 2>&1
ok "check after sync --exact agrees" test $? -eq 0 -a ! -s "$T/out"
"$E/bin/pip" freeze --all >"$T/out" 2>/dev/null
ok "sync --exact kept pip and setuptools" \
	sh -c "grep -q '^pip==' '$T/out' && grep -q '^setuptools==' '$T/out' && ! grep -q '^gamma==' '$T/out'"

printf 'alpha==1.0\nbroken=<1\n' >"$T/bad2.txt"
"$VH" sync --env "$E" -r "$T/bad2.txt" >"$T/out" 2>&1
ok "sync: a malformed file: status 2, pip not run" test $? -eq 2 -a "$(grep -c 'bad2.txt:2' "$T/out")" -eq 1
printf 'alpha==1.0\n./somewhere/project\n' >"$T/unnamed2.txt"
"$VH" sync --env "$E" --exact -r "$T/unnamed2.txt" >"$T/out" 2>&1
ok "sync --exact: refuses a requirement it cannot name" test $? -eq 2
"$VH" sync --env "$E" -r "$T/proj/requirements.txt" -- --no-index --bogus-pip-option >"$T/out" 2>&1
ok "sync: pip's failure is a failure" test $? -eq 1
printf -- '-c %s\n-r %s\n' "$T/proj/requirements.txt" "$T/proj/requirements.txt" >"$T/role2.txt"
"$VH" sync --env "$E" --exact -r "$T/role2.txt" -- --no-index -f "$W" >"$T/out" 2>&1
ok "sync --exact: a file read as constraints, then included, keeps its requirements" \
	sh -c "'$E/bin/pip' freeze 2>/dev/null | grep -q '^delta==0\.5\$'"
done_testing
