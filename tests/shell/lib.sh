# tests/shell/lib.sh: drive real interactive bash, zsh and fish in tmux.
#
# Sourced by tests/shell/t_*.sh (run with bash).  Each test script loops over
# the shells; every shell runs in its own detached tmux session (a private
# server on a socket in a temp dir, fixed window size), started with env -i
# and a small, controlled environment, without any rc file:
#   bash --norc --noprofile -i      zsh -f -i      fish --no-config -i
# Lines are typed with send-keys -l.  Values come back through files, never
# through the screen: __tw VAR... (defined in each shell at start) writes
# "S<value>" or "U" (unset) to $TD/v.VAR, and every batch of typed lines ends
# with a sentinel line that writes a counter to $TD/done, which the harness
# polls.  The screen is read only where it is the point (the rendered prompt,
# one-line notices).
#
# Main entry points:
#   sh_start SHELL [ENV=VALUE...]   start SHELL (fresh HOME, XDG dirs, fixtures dir $R)
#   sh_init                         type the integration line (venvhook init SHELL)
#   run LINE...                     type LINEs, then wait until the shell ran them
#   look VAR... -- LINE...          type LINEs, then read VARs after their prompt
#   get VAR                         V=value of VAR from the last look ('<unset>' if unset)
#   is DESC GOT WANT                one TAP line
#   prompt_line                     PL=the line the cursor is on, once a prompt is drawn
#   mark / since_mark               the screen text printed since the last mark
#   sh_stop
# Shell syntax differences live in the small a_* adapters below.

set -u
umask 022
export LC_ALL=C.UTF-8

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VH=$TOP/venvhook
if [[ ! -x $VH ]]; then
	echo "Bail out! $VH is not built (run make)"
	exit 1
fi
for __p in tmux zsh fish /usr/bin/python3; do
	if ! command -v "$__p" >/dev/null; then
		echo "Bail out! $__p is missing (make deps installs it)"
		exit 1
	fi
done

T=$(mktemp -d "${TMPDIR:-/tmp}/venvhook-shell.XXXXXX") || exit 1
T=$(cd "$T" && pwd -P)
TIMEOUT=${VENVHOOK_TEST_TIMEOUT:-30}   # seconds for one batch of typed lines
TN=0                                   # TAP test number
SH=                                    # the shell under test
SESS=                                  # its tmux session
NSYNC=0
PANE_W=200 PANE_H=50

cat >"$T/tmux.conf" <<'EOF'
set -g history-limit 100000
set -g remain-on-exit on
set -g status off
set -g escape-time 0
EOF
tm() { tmux -S "$T/tmux.sock" -f "$T/tmux.conf" "$@"; }

lib_cleanup() {
	tm kill-server 2>/dev/null
	chmod -R u+rwx "$T" 2>/dev/null
	rm -rf "$T"
}
trap lib_cleanup EXIT
trap 'exit 130' INT TERM HUP

# A sleep without a fork: read from a FIFO nobody writes.
mkfifo "$T/fifo"
exec {SLEEPFD}<>"$T/fifo"
nap() { read -r -t "${1:-0.01}" -u "$SLEEPFD" __nap || :; }

# A venv to copy: a copy is a valid env for venvhook (pyvenv.cfg, bin/python);
# only its activate scripts name the template's path, so manual activation
# uses mkvenv_real.
/usr/bin/python3 -m venv --without-pip "$T/template" || { echo "Bail out! python3 -m venv failed"; exit 1; }
mkvenv() { mkdir -p "$(dirname "$1")" && cp -a "$T/template" "$1"; }
mkvenv_real() { /usr/bin/python3 -m venv --without-pip "$@"; }

# --- TAP ---------------------------------------------------------------------

# Numbering survives the subshell each shell's tests run in (see for_shells).
tap_line() {
	TN=$((TN + 1))
	echo "$TN" >"$T/tn"
	printf '%s %d - %s: %s\n' "$1" "$TN" "$SH" "$2"
}
pass() { tap_line ok "$1"; }
fail() {
	tap_line "not ok" "$1"
	echo x >>"$T/fails"
	shift
	local l
	for l in "$@"; do printf '#   %s\n' "$l"; done
}
# done_testing: the TAP plan; exit status 1 if anything failed.
done_testing() {
	echo "1..$TN"
	[[ ! -e $T/fails ]]
	exit
}
# is DESC GOT WANT: byte-exact comparison.
is() {
	if [[ $2 == "$3" ]]; then
		pass "$1"
	else
		fail "$1" "got:  $(printf %q "$2")" "want: $(printf %q "$3")"
	fi
}
# isnt DESC GOT UNWANTED
isnt() {
	if [[ $2 != "$3" ]]; then
		pass "$1"
	else
		fail "$1" "got, unwanted: $(printf %q "$2")"
	fi
}
# ok DESC COMMAND...: passes when COMMAND succeeds.
ok() {
	local d=$1
	shift
	if "$@"; then pass "$d"; else fail "$d" "failed: $*"; fi
}

# for_shells FUNCTION [SHELL...]: runs FUNCTION once per shell (default: all
# three) in a subshell, so that a hung shell ends only its own part.
for_shells() {
	local f=$1 s
	shift
	(($#)) || set -- bash zsh fish
	for s in "$@"; do
		(SH=$s; "$f")
		read -r TN <"$T/tn" 2>/dev/null || :
		tm kill-server 2>/dev/null
	done
}

# --- sessions -----------------------------------------------------------------

# sh_start SHELL [NAME=VALUE...]: a fresh interactive SHELL in its own session,
# with HOME, XDG dirs and a fixtures dir R under $T/SHELL.<n>.
sh_start() {
	SH=$1
	shift
	local n=0
	while [[ -e $T/$SH-$n ]]; do n=$((n + 1)); done
	W=$T/$SH-$n               # everything of this shell
	H=$W/home
	R=$W/p                    # fixtures: projects and envs
	TD=$W/d                   # files the shell writes for the harness
	SESS=$SH-$n               # no '.': tmux reads it as a pane index
	mkdir -p "$H" "$R" "$TD" "$W/xdg/config" "$W/xdg/data" "$W/xdg/cache" "$W/xdg/state"
	SENV=(HOME="$H" PATH=/usr/bin:/bin TERM=screen LANG=C.UTF-8
		XDG_CONFIG_HOME="$W/xdg/config" XDG_DATA_HOME="$W/xdg/data"
		XDG_CACHE_HOME="$W/xdg/cache" XDG_STATE_HOME="$W/xdg/state" "$@")
	local cmd
	case $SH in
	bash) cmd=(bash --norc --noprofile -i) ;;
	zsh) cmd=(zsh -f -i) ;;
	fish) cmd=(fish --no-config --private -i) ;;
	esac
	SENV+=(SHELL="$(command -v "$SH")")
	NSYNC=0
	rm -f "$TD/done"
	tm new-session -d -s "$SESS" -x "$PANE_W" -y "$PANE_H" env -i "${SENV[@]}" "${cmd[@]}" || {
		echo "Bail out! cannot start tmux"
		exit 1
	}
	sh_setup
}

# sh_setup: the harness's own prompt and helpers, typed into a fresh shell
# (also after `exec SHELL`).  The prompt is 'P> ' so that a prefix shows.
sh_setup() {
	case $SH in
	bash)
		run "HISTFILE=; PS1='P> '; PS2='> '; __TD=$TD" \
			'__tw() { local __v; for __v; do if [[ -n ${!__v+x} ]]; then printf S%s "${!__v}"; else printf U; fi >"$__TD/v.$__v"; done; }' \
			'__tf() { local __f; for __f; do if declare -F -- "$__f" >/dev/null; then printf S1; else printf S0; fi >"$__TD/v.fn_$__f"; done; }'
		;;
	zsh)
		run "unset RPS1 RPROMPT; PS1='P> '; PS2='> '; __TD=$TD" \
			'__tw() { emulate -L zsh; local __v; for __v; do if (( ${(P)+__v} )); then printf S%s "${(P)__v}"; else printf U; fi >"$__TD/v.$__v"; done; }' \
			'__tf() { emulate -L zsh; local __f; for __f; do if (( ${+functions[$__f]} )); then printf S1; else printf S0; fi >"$__TD/v.fn_$__f"; done; }'
		;;
	fish)
		run "set -g fish_greeting; set -g __TD $TD; function fish_title; end" \
			"function fish_prompt; printf 'P> '; end" \
			'function __tw; for v in $argv; if set -q $v; printf S%s "$$v"; else; printf U; end >$__TD/v.$v; end; end' \
			'function __tf; for f in $argv; if functions -q -- $f; printf S1; else; printf S0; end >$__TD/v.fn_$f; end; end'
		;;
	esac
}

sh_stop() {
	tm kill-session -t "$SESS" 2>/dev/null
}

# type_lines LINE...: types each LINE and Enter, in one tmux call.
type_lines() {
	local a=() l
	for l in "$@"; do
		[[ -n $l ]] && a+=(send-keys -t "$SESS" -l -- "$l" \;)
		a+=(send-keys -t "$SESS" Enter \;)
	done
	tm "${a[@]}"
}

# run LINE...: types the LINEs and a sentinel, waits until the sentinel ran.
# A shell that does not get there within $TIMEOUT ends this shell's tests.
run() {
	NSYNC=$((NSYNC + 1))
	type_lines "$@" "${RD_PREFIX:+$RD_PREFIX; }printf '%s\\n' $NSYNC >$TD/done"
	local t0=$SECONDS x
	while :; do
		x=
		[[ -e $TD/done ]] && read -r x <"$TD/done"
		[[ $x == "$NSYNC" ]] && return 0
		if ((SECONDS - t0 > TIMEOUT)); then
			hung "after typing: $*"
		fi
		nap 0.005
	done
}

# hung WHAT: the shell did not answer: say so, show the screen, end this shell.
hung() {
	fail "$SH stopped answering ($1)" "nothing within ${TIMEOUT}s; the screen:"
	tm capture-pane -p -J -t "$SESS" -S -60 2>/dev/null | grep -v '^$' | tail -n 25 | sed 's/^/#   | /'
	exit 1
}

# look VAR... [-- LINE...]: types the LINEs, then (after their prompt) a line
# that saves the VARs; get VAR reads them.  A VAR "fn_NAME" says whether a
# function NAME exists ("1" or "0").
look() {
	local vars=() fns=() lines=()
	while (($#)); do
		[[ $1 == -- ]] && { shift; lines=("$@"); break; }
		case $1 in
		fn_*) fns+=("${1#fn_}") ;;
		*) vars+=("$1") ;;
		esac
		rm -f "$TD/v.$1"
		shift
	done
	local rd=
	((${#vars[@]})) && rd="__tw ${vars[*]}"
	((${#fns[@]})) && rd="${rd:+$rd; }__tf ${fns[*]}"
	RD_PREFIX=$rd run "${lines[@]}"
}

# get VAR: V=the value saved by the last look: '<unset>' when unset.
get() {
	local x=
	if [[ -e $TD/v.$1 ]]; then
		IFS= read -r -d '' x <"$TD/v.$1"
	fi
	case $x in
	S*) V=${x#S} ;;
	U) V='<unset>' ;;
	*) V='<not saved>' ;;
	esac
}
# isvar DESC VAR WANT: the value of VAR from the last look.
isvar() { get "$2"; is "$1" "$V" "$3"; }

# status_after LINE: runs LINE, and returns in V the $? the next prompt shows.
status_after() {
	rm -f "$TD/v.status"
	RD_PREFIX="printf S%s $(a_status) >$TD/v.status" run "$1"
	get status
}

# --- the screen -----------------------------------------------------------------

# prompt_line: PL=the cursor's line once it shows a finished prompt (ends with
# "P>"; capture-pane drops trailing blanks).  Call after run/look, with
# nothing typed since.
prompt_line() {
	local t0=$SECONDS out y lines
	while :; do
		out=$(tm display -p -t "$SESS" '#{cursor_y}' \; capture-pane -p -t "$SESS")
		y=${out%%$'\n'*}
		mapfile -t lines <<<"${out#*$'\n'}"
		PL=${lines[y]-}
		[[ $PL == *'P>' ]] && return 0
		((SECONDS - t0 > TIMEOUT)) && hung "no prompt drawn"
		nap 0.01
	done
}
# isprompt DESC WANT: the rendered prompt line (without trailing blanks).
isprompt() { prompt_line; is "$1" "$PL" "$2"; }

# mark: a line on the screen from which since_mark reads.
MARKN=0
mark() {
	MARKN=$((MARKN + 1))
	run "printf 'MARK-%s-%s\\n' $MARKN K"
}
# since_mark: SM=the screen lines (wrapped lines joined) printed since the mark.
since_mark() {
	SM=$(tm capture-pane -p -J -t "$SESS" -S - -E - | awk -v m="MARK-$MARKN-K" 'f; $0 == m { f = 1 }')
}
# count_since PATTERN: N=how many lines since the mark hold PATTERN (fixed string).
count_since() {
	since_mark
	N=$(printf '%s\n' "$SM" | grep -cF -- "$1")
}
# notices: N=how many lines since the mark start with "venvhook: ".
notices() {
	since_mark
	N=$(printf '%s\n' "$SM" | grep -c '^venvhook: ')
}

# --- per-shell syntax ---------------------------------------------------------

a_status() { [[ $SH == fish ]] && echo '$status' || echo '$?'; }
a_init() {
	local bin=${1:-$VH}
	[[ $SH == fish ]] && echo "$bin init fish | source" || echo "eval \"\$($bin init $SH)\""
}
a_export() { [[ $SH == fish ]] && echo "set -gx $1 $2" || echo "export $1=$2"; }
a_set() { [[ $SH == fish ]] && echo "set -g $1 $2" || echo "$1=$2"; }
a_unset() { [[ $SH == fish ]] && echo "set -e $1" || echo "unset $1"; }
a_source_activate() { [[ $SH == fish ]] && echo "source $1/bin/activate.fish" || echo "source $1/bin/activate"; }
a_path_prepend() { [[ $SH == fish ]] && echo "set -gx PATH $1 \$PATH" || echo "PATH=$1:\$PATH"; }
a_path_append() { [[ $SH == fish ]] && echo "set -gx PATH \$PATH $1" || echo "PATH=\$PATH:$1"; }
a_child() {
	case ${1:-$SH} in
	bash) echo "bash --norc --noprofile -i" ;;
	zsh) echo "zsh -f -i" ;;
	fish) echo "fish --no-config --private -i" ;;
	esac
}

sh_init() { run "$(a_init "$@")"; }

# vh ARGS...: venvhook run by the test with the shell's HOME and XDG dirs.
vh() { env -i "${SENV[@]}" "$VH" "$@"; }
allow() { local d; for d; do vh allow "$d" >/dev/null || echo "# allow $d failed"; done; }
# project DIR: a project with a .venv env, allowed.
project() { local d; for d; do mkvenv "$d/.venv" && allow "$d"; done; }
