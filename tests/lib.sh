# tests/lib.sh: what every test script shares (sourced by bash, directly or
# through tests/*/lib.sh): the TAP vocabulary, a private temporary directory
# $T, and a cleanup that leaves no process and no file behind.
#
#   pass DESC / fail DESC [DETAIL...]   a TAP line; each DETAIL line as a comment
#   ok DESC COMMAND...                  passes when COMMAND succeeds (without a
#                                       COMMAND, a pass: write pass)
#   skip DESC                           a TAP line "ok N # SKIP DESC"
#   is DESC GOT WANT                    passes when GOT is WANT, byte for byte
#   isnt DESC GOT UNWANTED              passes when GOT is not UNWANTED
#   like DESC GOT REGEX                 passes when GOT matches the (bash) REGEX
#   diag LINE...                        TAP comments
#   done_testing                        the plan ("1..N"); exits 1 if anything failed
#   fixture CMD ARGS... [-- CMD ARGS...] tests/fixture.py: wheels and projects (several
#                                       in one Python start)
#   distinfo SITEDIR DIRNAME HEADER...  a hand-made .dist-info (or .egg-info: PKG-INFO)
#                                       directory: its METADATA holds the HEADERs
#   $SEED_CACHE                         an XDG_CACHE_HOME for venvhook create (its seed
#                                       cache is slow to fill) shared by the suites and
#                                       runs of this checkout, not by other checkouts
#   seeded CMD ARGS...                  CMD (a venvhook create that seeds pip from
#                                       $SEED_CACHE) under the cache's lock: suites side
#                                       by side fill a cold cache once, not each
#   $T/bin                              first on PATH: stand-ins for what pip runs for
#                                       its user agent (lsb_release)
#   at_exit COMMAND                     runs COMMAND (one string, eval'd) at exit,
#                                       before $T is removed
# Numbering and failures are kept in $T (the number in $TNF), so that tests
# run in a subshell count; call tap_sync after one.  With $SH set (the shell
# under test), every description starts "SH: ".
#
# At exit (also on INT, TERM and HUP) the COMMANDs of at_exit run, the
# script's background jobs and coprocesses are ended, and $T is removed.
# tests/run checks that no process of the suite outlives it.

umask 022
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/venvhook-test.XXXXXX") || { echo "Bail out! mktemp failed"; exit 2; }
T=$(cd "$T" && pwd -P)
chmod 755 "$T"
TN=0
__key=$(cksum <<<"$TOP")
SEED_CACHE=${VENVHOOK_TEST_CACHE:-${TMPDIR:-/tmp}/venvhook-test-cache-$(id -u)-${__key%% *}}
# What the suite's programs make in $TMPDIR (pip, python -m venv, mktemp) is
# made in $T, and goes with it: a pip a test kills leaves its directories.
mkdir "$T/tmp" && export TMPDIR=$T/tmp
# $T/bin, first on PATH (also where a suite sets PATH: put it first):
# stand-ins for what pip runs at the start of each session (install,
# download) for its user agent, which goes nowhere in the tests (there is no
# index).  lsb_release is a Python program (some 70 ms of CPU a run, about
# 300 runs a make check); the stand-in fails at once, and pip goes without.
mkdir "$T/bin" && ln -s /bin/false "$T/bin/lsb_release"
export PATH=$T/bin:$PATH
TNF=$T/tn
seeded() {
	mkdir -p "$SEED_CACHE" && flock "$SEED_CACHE/venvhook-tests.lock" "$@"
}

__at_exit=()
at_exit() { __at_exit+=("$1"); }
__lib_cleanup() {
	local c p
	for c in "${__at_exit[@]}"; do eval "$c"; done
	p=$(jobs -p)
	[[ -n $p ]] && kill $p 2>/dev/null
	# Directories only: a file may be a hard link into a cache outside $T.
	find "$T" -type d ! -perm -u=rwx -exec chmod u+rwx {} + 2>/dev/null
	rm -rf "$T"
}
trap __lib_cleanup EXIT
trap 'exit 130' INT TERM HUP

tap_line() {
	TN=$((TN + 1))
	echo "$TN" >"$TNF"
	printf '%s %d - %s%s\n' "$1" "$TN" "${SH:+$SH: }" "$2"
}
# tap_sync: the test number after tests in a subshell.
tap_sync() { read -r TN <"$TNF" 2>/dev/null || :; }
diag() {
	local l x
	for l in "$@"; do
		while IFS= read -r x; do printf '#   %s\n' "$x"; done <<<"$l"
	done
}
pass() { tap_line ok "$1"; }
skip() {
	TN=$((TN + 1))
	echo "$TN" >"$TNF"
	printf 'ok %d # SKIP %s%s\n' "$TN" "${SH:+$SH: }" "$1"
}
fail() {
	tap_line "not ok" "$1"
	echo x >>"$T/fails"
	shift
	diag "$@"
}
ok() {
	local d=$1
	shift
	if (($# == 0)); then
		fail "$d" "ok was given no command to run"
	elif "$@"; then
		pass "$d"
	else
		fail "$d" "failed: $*"
	fi
}
is() {
	if [[ $2 == "$3" ]]; then
		pass "$1"
	else
		fail "$1" "got:  $(printf %q "$2")" "want: $(printf %q "$3")"
	fi
}
isnt() {
	if [[ $2 != "$3" ]]; then
		pass "$1"
	else
		fail "$1" "got, unwanted: $(printf %q "$2")"
	fi
}
like() {
	if [[ $2 =~ $3 ]]; then
		pass "$1"
	else
		fail "$1" "got:  $(printf %q "$2")" "want: /$3/"
	fi
}
fixture() { /usr/bin/python3 "$TOP/tests/fixture.py" "$@"; }
distinfo() {
	local d=$1/$2 f=METADATA
	shift 2
	[[ $d == *.egg-info ]] && f=PKG-INFO
	mkdir -p "$d" && printf '%s\n' "$@" "" body >"$d/$f"
}

done_testing() {
	tap_sync
	echo "1..$TN"
	[[ ! -e $T/fails ]]
	exit
}
