# t_freeze_system.sh: an env with include-system-site-packages = true sees
# the base interpreter's site directories (and the user site), as pip does;
# what the base interpreter told is cached and asked again when it changes.
. "$(dirname "$0")/lib.sh"

E=$T/env
make_venv "$E" --system-site-packages || { echo "Bail out! cannot make a venv"; exit 1; }
SP=$(echo "$E"/lib/python3.*/site-packages)
pyver=$(basename "$(dirname "$SP")")
distinfo "$SP" Local_Only-1.0.dist-info "Name: Local_Only" "Version: 1.0"
# A name the system also has: the env's copy comes first and wins.
for d in /usr/lib/python3/dist-packages/*.dist-info; do
	[ -d "$d" ] || continue
	shadow=$(sed -n 's/^Name: //p' "$d/METADATA" | head -n 1)
	[ -n "$shadow" ] && break
done
[ -n "${shadow:-}" ] && distinfo "$SP" shadow-0.0.1.dist-info "Name: $shadow" "Version: 0.0.1"
# The user site, which only an env with system site packages sees.
US=$HOME/.local/lib/$pyver/site-packages
mkdir -p "$US"
distinfo "$US" user_pkg-7.0.dist-info "Name: user-pkg" "Version: 7.0"

same_as_pip "$E" "system site packages: freeze"
same_as_pip "$E" "system site packages: freeze --all" --all
ok "the user site is seen" grep -q '^user-pkg==7.0$' "$T/pip.out"
same_as_pip "$E" "system site packages: freeze --exclude-editable --exclude user-pkg" \
	--exclude-editable --exclude user-pkg
if [ -n "${shadow:-}" ]; then
	"$VH" freeze --env "$E" --all >"$T/out" 2>/dev/null
	ok "the env's own copy of $shadow shadows the system's" grep -q "^$shadow==0.0.1\$" "$T/out"
fi
PYTHONNOUSERSITE=1 "$E/bin/pip" freeze >"$T/want" 2>/dev/null
PYTHONNOUSERSITE=1 "$VH" freeze --env "$E" >"$T/got" 2>/dev/null
ok "PYTHONNOUSERSITE hides the user site, as for pip" cmp -s "$T/want" "$T/got"

# PYTHONNOUSERSITE and PYTHONUSERBASE as CPython reads them (a number is
# the flag's value, other text counts as 1; an empty base is no base):
# the env's python tells which user site it adds, venvhook must agree.
mkdir -p "$T/ub/lib/$pyver/site-packages"
distinfo "$T/ub/lib/$pyver/site-packages" ub_pkg-1.0.dist-info "Name: ub-pkg" "Version: 1.0"
# user_case DESCRIPTION VAR=VALUE...: run both in env -u HOME (HOME is restored unless given).
user_case() {
	local desc=$1 want got; shift
	want=$(env "$@" "$E/bin/python" -c '
import os, site, sys
u = os.path.abspath(site.getusersitepackages()) if site.ENABLE_USER_SITE else None
print(u if u in sys.path else "none")' 2>/dev/null)
	case $want in
	"$HOME"/.local/*) want=user-pkg;; "$T"/ub/*) want=ub-pkg;; *) want=none;;
	esac
	got=$(env "$@" "$VH" freeze --env "$E" 2>/dev/null | sed -n 's/^\(user-pkg\|ub-pkg\)==.*/\1/p')
	[ -n "$got" ] || got=none
	is "$desc: venvhook sees the user site python sees" "$got" "$want"
}
for v in "" 0 1 2 yes -1 " 0" "0 " +0 00 99999999999; do
	user_case "PYTHONNOUSERSITE='$v'" PYTHONNOUSERSITE="$v"
done
user_case "PYTHONUSERBASE absolute" PYTHONUSERBASE="$T/ub"
user_case "PYTHONUSERBASE empty" PYTHONUSERBASE=
user_case "PYTHONUSERBASE relative" PYTHONUSERBASE=ub
user_case "PYTHONUSERBASE and PYTHONNOUSERSITE=1" PYTHONUSERBASE="$T/ub" PYTHONNOUSERSITE=1
user_case "HOME with a trailing slash" HOME="$HOME/"
user_case "HOME empty" HOME=
user_case "HOME unset (the password database)" -u HOME

# The cache: one file for the interpreter; a run uses it.
cache=$(ls "$XDG_CACHE_HOME"/venvhook/python/site-* 2>/dev/null)
ok "the base interpreter's answer is cached" test "$(echo "$cache" | wc -w)" -eq 1
mkdir -p "$T/fake-site"
distinfo "$T/fake-site" from_cache-1.0.dist-info "Name: from-cache" "Version: 1.0"
echo "basesite $T/fake-site" >>"$cache"
"$VH" freeze --env "$E" >"$T/out" 2>/dev/null
ok "a later run reads the cache instead of asking Python" grep -q '^from-cache==1.0$' "$T/out"

# An env with its own copy of the interpreter: touching it changes the key.
C=$T/copies
make_venv "$C" --system-site-packages --copies
same_as_pip "$C" "an env with a copied interpreter"
n1=$(ls "$XDG_CACHE_HOME"/venvhook/python/site-* | wc -l)
real=$(readlink -f "$C/bin/python")
echo "basesite $T/fake-site" >>"$(ls -t "$XDG_CACHE_HOME"/venvhook/python/site-* | head -n 1)"
"$VH" freeze --env "$C" >"$T/out1" 2>/dev/null
touch -d '2001-01-01' "$real"
"$VH" freeze --env "$C" >"$T/out2" 2>/dev/null
ok "a second interpreter gets its own cache entry" test "$n1" -eq 2
ok "a changed interpreter is asked again" \
	sh -c "grep -q '^from-cache==1.0\$' '$T/out1' && ! grep -q '^from-cache' '$T/out2'"
done_testing
