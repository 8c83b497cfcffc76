#!/bin/bash
# Golden tests: runs venvhook in prepared trees and compares its standard
# output, standard error and exit status with tests/golden/NAME.out.
#
#   bash tests/golden/t_golden.sh                    compare
#   UPDATE_GOLDEN=1 bash tests/golden/t_golden.sh    rewrite the .out files (review the diff!)
#
# Outputs are made independent of the machine: the temporary root (always
# under /tmp, so that the directories above it are the same everywhere) reads
# ROOT, the binary's path reads BIN, an env's random token (32 hex digits)
# reads TOKEN, and every byte that is not printable ASCII is shown by `cat -v`.  Each case runs with `env -i` and only the
# variables it names.
export LC_ALL=C
cd "$(dirname "$0")/../.." || exit 2
top=$PWD
bin=$top/venvhook
gold=$top/tests/golden
[[ -x $bin ]] || { echo "Bail out! $bin is not built"; exit 1; }

. tests/lib.sh
root=$(mktemp -d /tmp/vhgold.XXXXXX) || exit 2
at_exit 'chmod -R u+w "$root" 2>/dev/null; rm -rf "$root"'
declare -A seen

# slurp VAR FILE: all of FILE (text without NUL bytes) into VAR, without a fork.
slurp() {
	IFS= read -r -d '' "$1" <"$2"
	return 0
}

# stable TEXT: the machine-independent form of TEXT into $root/.case.
# cat -v and sed run only where they would change something (a byte that
# is not printable ASCII; a token or a memo stamp): most cases need neither.
stable() {
	local t=${1//"$root"/ROOT}
	t=${t//"$top/venvhook"/BIN}
	if [[ $t == *[!$' \n\t'[:graph:]]* || $t =~ [0-9a-f]{32}|/memo/ ]]; then
		printf '%s' "$t" >"$root/.raw"
		cat -v "$root/.raw" | sed -E 's/(^|[^0-9a-f])[0-9a-f]{32}([^0-9a-f]|$)/\1TOKEN\2/g; s|/memo/[0-9a-f]{16}-[0-9a-f]{16}|/memo/STAMP|g' >"$root/.case"
	else
		printf '%s' "$t" >"$root/.case"
	fi
}

# compare NAME: $root/.case against tests/golden/NAME.out.
compare() {
	local name=$1 got=$root/.case want=$gold/$1.out g w
	seen[$name]=1
	if [[ -n ${UPDATE_GOLDEN-} ]]; then
		cp "$got" "$want" && pass "$name (updated)"
	elif [[ ! -f $want ]]; then
		fail "$name: no $want (run with UPDATE_GOLDEN=1)"
	else
		slurp g "$got"
		slurp w "$want"
		if [[ $g == "$w" ]]; then
			pass "$name"
		else
			fail "$name"
			diff -u "$want" "$got" | sed 's/^/#   /' | head -n 40
		fi
	fi
}

# run NAME DIR [VAR=VALUE ...] -- ARGS...: venvhook ARGS in DIR.
run() {
	local name=$1 dir=$2
	shift 2
	local vars=()
	while [[ $1 != -- ]]; do vars+=("$1"); shift; done
	shift
	local out=$root/.out err=$root/.err status o e q t
	env -i -C "$dir" PATH=/usr/bin:/bin HOME="$root/home" LC_ALL=C PWD="$dir" \
		XDG_DATA_HOME="$root/data" VENVHOOK_HOME="$root/envs" "${vars[@]}" \
		"$bin" "$@" >"$out" 2>"$err"
	status=$?
	slurp o "$out"
	slurp e "$err"
	t='$ venvhook'
	if (($#)); then printf -v q ' %q' "$@"; t+=$q; fi
	t+=$'\n'
	if [[ $dir != "$root" ]]; then printf -v q '# in %q\n' "$dir"; t+=$q; fi
	((${#vars[@]})) && t+="# with ${vars[*]@Q}"$'\n'
	t+=$'--- stdout\n'"$o"$'--- stderr\n'"$e--- exit $status"$'\n'
	# What the hook prints is evaluated by the shell: it must parse.
	if [[ ${1-} == hook && $status == 0 ]]; then
		case $2 in
		bash) bash --norc -n "$out" ;;
		zsh) zsh -f -n "$out" ;;
		fish) fish --no-config -n "$out" ;;
		esac >"$root/.syn" 2>&1
		q=$?
		slurp o "$root/.syn"
		t+="$o--- $2 -n: exit $q"$'\n'
	fi
	stable "$t"
	compare "$name"
}

# fake_venv DIR [VERSION]: pyvenv.cfg and bin/python, as python -m venv leaves them.
fake_venv() {
	mkdir -p "$1/bin" &&
	printf 'home = /usr/bin\ninclude-system-site-packages = false\nversion = %s\n' \
		"${2:-3.11.2}" >"$1/pyvenv.cfg" &&
	ln -s /usr/bin/python3 "$1/bin/python"
}

# ---- the trees -----------------------------------------------------------------
mkdir -p "$root/home" "$root/plain/sub"
fake_venv "$root/envs/e1"
fake_venv "$root/envs/e313" 3.13.0
fake_venv "$root/proj/.venv"
mkdir -p "$root/proj/src/deep"
fake_venv "$root/proj2/venv" 3.12.1
printf './venv\n' >"$root/proj2/.venv"
fake_venv "$root/untrusted/.venv"
fake_venv "$root/denied/.venv"
mkdir -p "$root/named"; printf '# the env\ne1\n' >"$root/named/.venv"
mkdir -p "$root/named313"; printf 'e313\n' >"$root/named313/.venv"
mkdir -p "$root/missing"; printf 'nosuch\n' >"$root/missing/.venv"
mkdir -p "$root/refused"; printf '../x/../../y\n' >"$root/refused/.venv"
mkdir -p "$root/slash"; printf 'a/b\n' >"$root/slash/.venv"
mkdir -p "$root/vh"; printf '[env]\npath = ../envs/e1\nprompt = My Proj\n' >"$root/vh/.venvhook"
mkdir -p "$root/vhoff"; printf '[env]\nactivate = false\n' >"$root/vhoff/.venvhook"
fake_venv "$root/vhoff/.venv"
mkdir -p "$root/vhoffmissing"
printf '[env]\npath = ./nope\nactivate = false\n' >"$root/vhoffmissing/.venvhook"
mkdir -p "$root/vhbad"; printf '[env]\npth = .venv\n' >"$root/vhbad/.venvhook"
fake_venv "$root/writable/.venv"; chmod 777 "$root/writable/.venv"
fake_venv "$root/nested/.venv"
mkdir -p "$root/nested/inner"; printf '../../envs/e1\n' >"$root/nested/inner/.venv"
mkdir -p "$root/linked"; ln -s ../envs/e1 "$root/linked/.venv"
hostile=$root/$'q\'d"$(touch PWNED)`id`%F{red}\\x'
fake_venv "$hostile/.venv"
newline=$root/$'new\nline\xff'
fake_venv "$newline/.venv"
colon=$root/co:lon
fake_venv "$colon/.venv"
mkdir -p "$root/b i n's"; cp "$bin" "$root/b i n's/venvhook"

E=$root/proj/.venv

# ---- usage and help -------------------------------------------------------------
run help-none "$root" --
run help "$root" -- --help
run help-h "$root" -- -h
run help-help "$root" -- help
for c in init allow deny status; do
	run "help-$c" "$root" -- help "$c"
done
run help-init-dash "$root" -- init --help
run help-init-args "$root" -- init bash --help
run help-create-args "$root" -- create somewhere -p 3 -h
run help-help-cmd "$root" -- help help
run help-typo "$root" -- help frezee
run help-after-dashes "$root" -- create -- --help
run help-hook "$root" -- help hook
run help-unknown "$root" -- help nope
run help-two "$root" -- help init allow
run version "$root" -- --version
run unknown "$root" -- nope
run unknown-typo "$root" -- frezee
run unknown-typo-two "$root" -- dany
run unknown-option "$root" -- --nope
run init-noarg "$root" -- init
run init-badshell "$root" -- init csh
run init-two "$root" -- init bash zsh
run status-arg "$root" -- status x
run allow-two "$root" -- allow a b
run allow-option "$root" -- allow -x
run deny-option "$root" -- deny --force
# One parser, one message per mistake, for every command.
run option-typo "$root" -- sync --exat
run option-typo-short "$root" -- freeze --al
run option-no-value "$root" -- check --env
run option-empty-value "$root" -- freeze --output=
run option-flag-value "$root" -- sync --exact=yes
run option-operand "$root" -- check extra
run option-short-joined "$root" -- check -r"$root/none.txt" --env "$root/none"
run list-scan-none "$root" -- list --scan
run list-names-alone "$root" -- list --names --json
run exec-option "$root" -- exec --bogus true
run hook-noarg "$root" -- hook
run hook-badshell "$root" -- hook csh
run hook-toomany "$root" -- hook bash a b c d e f

# ---- init: the embedded path, the first lines, and that the shell parses it ------
for sh in bash zsh fish; do
	for b in "$bin" "$root/b i n's/venvhook"; do
		case $b in "$bin") name=init-$sh ;; *) name=init-$sh-odd-path ;; esac
		script=$root/.init
		"$b" init "$sh" >"$script" 2>"$root/.err"
		status=$?
		case $sh in
		fish) fish --no-config -n "$script" ;;
		zsh) zsh -f -n "$script" ;;
		*) bash -n "$script" ;;
		esac 2>&1
		syntax=$?
		t=$(
			printf '$ %q init %s\n' "$b" "$sh"
			printf -- '--- the first two lines\n'
			head -n 2 "$script"
			printf -- '--- the lines that embed the binary\n'
			grep -F -e "$top/venvhook" -e "$root/b i n" "$script"
			printf -- '--- stderr\n'
			cat "$root/.err"
			printf -- '--- exit %d, %s -n: exit %d\n' "$status" "$sh" "$syntax"
		)
		stable "$t"$'\n'
		compare "$name"
	done
done

# ---- allow and deny -----------------------------------------------------------------
run allow-missing "$root" -- allow /nonexistent
run allow-none "$root/plain" -- allow
run allow-file "$root" -- allow plain/../proj/.venv/pyvenv.cfg
run allow-proj "$root/proj/src" -- allow
run allow-proj2 "$root" -- allow proj2
run allow-named-file "$root" -- allow named/.venv
run allow-named313 "$root/named313" -- allow
run allow-vh-file "$root/vh" -- allow .venvhook
run allow-vhoff "$root/vhoff" -- allow
run allow-vhoff-missing "$root/vhoffmissing" -- allow
run allow-broken "$root/missing" -- allow
run allow-unsafe "$root/writable" -- allow
run allow-bad-marker "$root/vhbad" -- allow
run allow-hostile "$hostile" -- allow
run allow-nested "$root/nested" -- allow
run allow-nested-inner "$root/nested/inner" -- allow
run deny "$root/denied" -- deny
run deny-missing-env "$root/missing" -- deny
run allow-colon "$colon" -- allow

# ---- status ---------------------------------------------------------------------------
run status-none "$root/plain/sub" -- status
run status-untrusted "$root/untrusted" -- status
run status-allowed "$root/proj/src/deep" -- status
# exec: what follows the command is the command's, --help too
run exec-args-help "$root/proj/src" PATH=/usr/bin:/bin -- exec printf '[%s]\n' --help
run status-allowed-loaded "$root/proj" __VENVHOOK_SHELL=bash -- status
run status-active "$root/proj" VIRTUAL_ENV="$E" __VENVHOOK_ENV="$E" __VENVHOOK_SHELL=bash -- status
run status-active-by-hand "$root/proj" VIRTUAL_ENV="$E" -- status
run status-other-env "$root/proj" VIRTUAL_ENV=/opt/other __VENVHOOK_SHELL=bash -- status
run status-off "$root/proj/src" __VENVHOOK_OFF="$root/proj" __VENVHOOK_SHELL=bash -- status
# the shell function's word that its prompt hook is gone (PROMPT_COMMAND or
# precmd_functions set after the init line)
run status-unhooked "$root/proj" __VENVHOOK_SHELL=bash __VENVHOOK_HOOKED=0 -- status
run status-unhooked-zsh "$root/proj" VIRTUAL_ENV="$E" __VENVHOOK_ENV="$E" __VENVHOOK_SHELL=zsh \
	__VENVHOOK_HOOKED=0 -- status
# NAME, or NAME:DIR where the project below $root is not NAME.
for c in named missing refused slash vh vhoff vhoff-missing:vhoffmissing vhbad writable denied \
	nested:nested/inner; do
	run "status-${c%%:*}" "$root/${c#*:}" -- status
done
run status-hostile "$hostile" -- status
run status-newline "$newline" -- status
run status-colon "$colon" -- status

# ---- hook -----------------------------------------------------------------------------
for sh in bash zsh fish; do
	run "hook-$sh-none" "$root/plain/sub" -- hook "$sh"
	run "hook-$sh-untrusted" "$root/untrusted" -- hook "$sh"
	run "hook-$sh-untrusted-notified" "$root/untrusted" -- hook "$sh" "" "" "$root/untrusted/.venv"
	run "hook-$sh-activate" "$root/proj/src" -- hook "$sh"
	run "hook-$sh-active" "$root/proj/src" VIRTUAL_ENV="$E" __VENVHOOK_ENV="$E" -- hook "$sh" "$root/proj"
	run "hook-$sh-adopt" "$root/proj" VIRTUAL_ENV="$E" __VENVHOOK_ENV="$E" -- hook "$sh"
	run "hook-$sh-leave" "$root/plain" VIRTUAL_ENV="$E" __VENVHOOK_ENV="$E" -- hook "$sh" "$root/proj"
	run "hook-$sh-switch" "$root/proj2" VIRTUAL_ENV="$E" __VENVHOOK_ENV="$E" -- hook "$sh" "$root/proj"
	# (what the kept answer read is settled: made an hour ago)
	find "$root/proj2" -exec touch -h -d "@$(( $(date +%s) - 3600 ))" {} +
	run "hook-$sh-switch-kept" "$root/proj2" VIRTUAL_ENV="$E" __VENVHOOK_ENV="$E" -- \
		hook "$sh" "$root/proj" "" "" "" "" __venvhook_m3 1300
	run "hook-$sh-memo-bad" "$root/proj2" -- hook "$sh" "" "" "" "" "" '$(reboot)' 1300
	run "hook-$sh-forget" "$root/plain" __VENVHOOK_ENV="$E" -- hook "$sh" "$root/proj"
	run "hook-$sh-manual" "$root/proj" VIRTUAL_ENV=/opt/other -- hook "$sh" "$root/proj"
	run "hook-$sh-off" "$root/proj/src" -- hook "$sh" "" "$root/proj"
	run "hook-$sh-off-left" "$root/proj2" -- hook "$sh" "" "$root/proj"
	run "hook-$sh-named313" "$root/named313" -- hook "$sh"
	run "hook-$sh-vh" "$root/vh" -- hook "$sh"
	run "hook-$sh-vhoff" "$root/vhoff" -- hook "$sh"
	run "hook-$sh-missing" "$root/missing" -- hook "$sh"
	run "hook-$sh-denied" "$root/denied" -- hook "$sh"
	run "hook-$sh-writable" "$root/writable" -- hook "$sh"
	run "hook-$sh-nested-inner" "$root/nested/inner" -- hook "$sh"
	run "hook-$sh-link" "$root/linked" -- hook "$sh"
	run "hook-$sh-nested-outer" "$root/nested" VIRTUAL_ENV="$root/envs/e1" \
		__VENVHOOK_ENV="$root/envs/e1" -- hook "$sh" "$root/envs/e1"
	run "hook-$sh-hostile" "$hostile" -- hook "$sh"
	run "hook-$sh-colon" "$colon" -- hook "$sh"
done

# Nothing above may have run code from a directory name.
if [[ -e $root/PWNED || -e $hostile/PWNED || -e $top/PWNED ]]; then
	fail "no directory name ran code"
else
	pass "no directory name ran code"
fi

# Every golden file belongs to a case.
for f in "$gold"/*.out; do
	name=${f##*/}
	name=${name%.out}
	[[ -n ${seen[$name]-} ]] && continue
	if [[ -n ${UPDATE_GOLDEN-} ]]; then
		rm -f "$f"
		echo "# removed the stale $f"
	else
		fail "$f belongs to no case"
	fi
done

done_testing
