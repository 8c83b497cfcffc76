# t_freeze_pythons.sh: what pip freeze leaves out and how it reads names
# and versions depend on the pip and Python versions: compare with the
# env's own pip for each interpreter present (/usr/bin/python3 always;
# pyenv's 3.10, 3.12 and 3.13, with their own pips, where installed).
# Debian's python3 gets every comparison; each other interpreter a smoke run:
# its env is made by venvhook create (the same pip as python -m venv's, from
# a warm cache, in a fraction of the time) and compared once (freeze --all).
# With VENVHOOK_TEST_DEEP=all every interpreter gets every comparison.
. "$(dirname "$0")/lib.sh"

W=$T/wheels
mkdir -p "$W"
fixture wheel "$W" Some.Pkg 1.0 -- wheel "$W" other_pkg 2.0.0 >/dev/null

# fill ENV [twins]: the same distributions in every env.
fill() {
	local env=$1 sp
	sp=$(echo "$env"/lib/python3.*/site-packages)
	pip_install "$env" -f "$W" -f /usr/share/python-wheels Some.Pkg other_pkg setuptools wheel || return 1
	# pip >= 24.2 takes the version from the directory name, older pips from METADATA.
	distinfo "$sp" dirver-1.0.dist-info "Name: dirver" "Version: 2.0"
	# Debian's pip leaves pkg-resources out, pip itself does not.
	distinfo "$sp" pkg_resources-0.0.0.dist-info "Name: pkg-resources" "Version: 0.0.0"
	distinfo "$sp" distribute-0.7.dist-info "Name: distribute" "Version: 0.7"
	# Two directories for one name; pip >= 24.2 tells them apart by directory
	# name (with pkg_resources, venvhook leaves this to pip).
	distinfo "$sp" twin-1.0.dist-info "Name: twin" "Version: 1.0"
	[ -n "${2:-}" ] && distinfo "$sp" Twin_Other-1.0.dist-info "Name: Twin" "Version: 1.5"
	return 0
}

compare_all() {
	local env=$1 what=$2
	same_as_pip "$env" "$what: freeze"
	same_as_pip "$env" "$what: freeze --all" --all
	same_as_pip "$env" "$what: freeze --exclude some-pkg --exclude-editable" --exclude some-pkg --exclude-editable
}

E=$T/debian
if make_venv "$E" && fill "$E" twins; then
	compare_all "$E" "$($PY -V), $(pip_version "$E")"
	rm -r "$E"/lib/python3.*/site-packages/Twin_Other-1.0.dist-info
	export _PIP_USE_IMPORTLIB_METADATA=0
	same_as_pip "$E" "_PIP_USE_IMPORTLIB_METADATA=0 (pip's pkg_resources backend)" --all
	ok "... computed without pip" test "$(grep -c "asking the env's pip" "$T/vh.err")" -eq 0
	unset _PIP_USE_IMPORTLIB_METADATA
else
	fail "cannot make and fill an env with $PY"
fi

for py in /root/.pyenv/versions/3.10.*/bin/python3 /root/.pyenv/versions/3.12.*/bin/python3 \
	  /root/.pyenv/versions/3.13.*/bin/python3; do
	[ -x "$py" ] || continue
	v=$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
	E=$T/env-$v
	twins=twins
	[ "$v" = 3.10 ] && twins=
	if [ "${VENVHOOK_TEST_DEEP-}" = all ]; then
		VENV_PY=$py make_venv "$E"
	else
		XDG_CACHE_HOME=$SEED_CACHE seeded "$VH" create "$E" -p "$py" >/dev/null
	fi && fill "$E" $twins || { fail "cannot make and fill an env with $py"; continue; }
	what="Python $v, $(pip_version "$E")"
	if [ "${VENVHOOK_TEST_DEEP-}" = all ]; then
		compare_all "$E" "$what"
	else
		same_as_pip "$E" "$what: freeze --all (smoke run)" --all
	fi
	ok "Python $v: computed without pip" test "$(grep -c "asking the env's pip" "$T/vh.err")" -eq 0
done
[ "$TN" -gt 5 ] || echo "# only $PY is here; no other interpreters to compare with"
done_testing
