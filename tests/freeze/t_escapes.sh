#!/bin/bash
# Terminal escapes never reach the terminal through venvhook's messages:
# an ESC or BEL (or a C1 control) in a .venvhook key, a directory name or a
# requirements.txt line shows as '?' in what freeze, check, sync, repair and
# status print, on stderr and on stdout alike.
. tests/freeze/lib.sh

E=$'\033' B=$'\a' C1=$'\xc2\x9b'
# raw FILE: the file holds no ESC, BEL or C1 control.
raw() { LC_ALL=C grep -q $'[\033\a]\|\xc2[\x80-\x9f]' "$1"; }
# clean DESCRIPTION WANT COMMAND...: the command printed WANT (a fixed
# string, as venvhook shows it) and not one raw control byte.
clean() {
	local desc=$1 want=$2; shift 2
	"$@" >"$T/out" 2>&1
	if ! raw "$T/out" && grep -qF -- "$want" "$T/out"; then
		pass "$desc"
	else
		fail "$desc"
		od -c "$T/out" | head -n 12 | sed 's/^/#   /'
	fi
}

proj="$T/p${E}]0;title${B}${C1}x"
shown="$T/p?]0;title???x"
mkdir "$proj" && cd "$proj" || exit 2
make_venv .venv --without-pip || exit 2

printf '[env]\n%s = 1\n' "${E}[2Jk${B}" >.venvhook
for c in freeze check sync repair; do
	clean "$c: a .venvhook key and a directory name with ESC and BEL" \
		"'$shown/.venvhook' line 2: unknown key '?[2Jk?'" "$VH" "$c"
done
clean "status: a directory name with ESC and BEL" "$shown" "$VH" status
rm .venvhook

printf '%s==1\n' "foo${E}[2J${B}" >requirements.txt
clean "check: an ESC in a requirements.txt line, in an error" \
	"$shown/requirements.txt:1: pip would refuse this line: '?[2J?==1' is not" "$VH" check
clean "sync: an ESC in a requirements.txt line, in an error" \
	"$shown/requirements.txt:1: pip would refuse this line: '?[2J?==1' is not" "$VH" sync --exact
printf 'foo==1 ; platform_machine != "%s"\n' "${E}[2J${B}" >requirements.txt
clean "check: an ESC in a requirements.txt line, in its report" \
	"missing: foo==1 ; platform_machine != \"?[2J?\" ($shown/requirements.txt:1)" "$VH" check
clean "freeze: an ESC in the name of an env that is not there" \
	"$shown/gone" "$VH" freeze --env "$proj/gone"
clean "repair: an ESC in the directory name of an env that is not trusted" \
	"'$shown/.venv' is not trusted" "$VH" repair

done_testing
