# tests/shell/lib.sh: drive real interactive bash, zsh and fish in tmux.
#
# Sourced by tests/shell/t_*.sh (run with bash).  Each test script loops over
# the shells (for_shells); every shell runs in its own detached tmux session
# (a private server on a socket in a temp dir, fixed window size), started
# with env -i and a small, controlled environment (HOME, PATH, TERM, LANG and
# XDG dirs under a temp dir), without any rc file:
#   bash --norc --noprofile -i      zsh -f -i      fish --no-config --private -i
# Lines are typed with send-keys -l through one tmux control-mode client.
# Values come back through files, never through the screen: __tw VAR...
# (defined in each shell at start) writes "S<value>" or "U" (unset) to
# $TD/v.VAR, and every batch of typed lines ends with a sentinel line that
# writes a counter to $TD/done, which the harness polls.  The screen is read
# only where it is the point (the rendered prompt, one-line notices).
#
# Main entry points:
#   for_shells FUNC [SHELL...]      run FUNC once per shell (default bash zsh fish)
#   sh_start SHELL [ENV=VALUE...]   start SHELL (fresh HOME, XDG dirs, fixtures dir $R)
#   sh_setup / sh_init              the harness's prompt 'P> ' and helpers / venvhook init
#   run LINE...                     type LINEs, then wait until the shell ran them
#   look VAR... -- LINE...          type LINEs, then read VARs after their prompt
#   get VAR / isvar DESC VAR WANT   V=value of VAR from the last look ('<unset>' if unset)
#   status_after LINE               V=the $? (fish: $status) after LINE, at the next prompt
#   is / isnt / ok / pass / fail    TAP lines ("ok N - SHELL: what"), from tests/lib.sh
#   prompt_line / isprompt          the line the cursor is on, once a prompt is drawn
#   mark / notices / count_since    lines printed on the screen since the last mark
#   notices_holding TEXT            the notices since the mark that hold TEXT
#   send_keys KEY...                press keys (M-Left...)
#   project DIR... / mkvenv / allow envs for fixtures, trusted with the shell's HOME
#   printable NAME...               names as venvhook shows them in a prompt
#   done_testing                    the TAP plan; the exit status
# A shell that stops answering within $VENVHOOK_TEST_TIMEOUT seconds (default
# 30) ends that shell's part with a "not ok" and the screen's last lines.
# Shell syntax differences live in the small a_* adapters at the end.

set -u
export LC_ALL=C.UTF-8

. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
VH=${VENVHOOK_BIN:-$TOP/venvhook}   # VENVHOOK_BIN: test another build (e.g. a sanitizer one)
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

TIMEOUT=${VENVHOOK_TEST_TIMEOUT:-30}   # seconds for one batch of typed lines
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
# Each for_shells round has a tmux server of its own (TSOCK): a server told
# to quit may still hold its socket while the next round starts one.
TSOCK=$T/tmux.0.sock TSOCKN=0
tm() { tmux -S "$TSOCK" -f "$T/tmux.conf" "$@"; }

# A tmux client costs a fork, an exec and a connection (tens of ms on a
# loaded machine), so the harness keeps one control-mode client (tmux -C) per
# server and sends it one command per line.  It sits in a session of its own
# ("ctl") with no-output, so it sees no pane output, and ignore-size.
TMC_PID=
tmc_start() {
	[[ -n $TMC_PID ]] && kill -0 "$TMC_PID" 2>/dev/null && return 0
	tm has-session -t ctl 2>/dev/null ||
		tm new-session -d -s ctl -x 20 -y 5 "exec sleep 2147483647" || return 1
	coproc TMC { exec tmux -S "$TSOCK" -f "$T/tmux.conf" -C attach-session -t ctl \
		-f no-output,ignore-size 2>&1; }
	exec {TMC_IN}>&"${TMC[1]}" {TMC_OUT}<&"${TMC[0]}"
	tmc "display-message -p tmc-ready" && [[ ${TMC_LINES[0]-} == tmc-ready ]] &&
		tmc "display-message -p '#{pid}'" && echo "${TMC_LINES[0]}" >>"$TSOCK.pids"
}
# tmc COMMAND: runs one tmux command (in tmux's syntax; quote words with tq)
# through the control client; TMC_LINES=its output.  Fails on a tmux error.
tmc() {
	TMC_LINES=()
	printf '%s\n' "$1" >&"$TMC_IN" 2>/dev/null || return 2
	local line tag=
	while IFS= read -r -t "$TIMEOUT" -u "$TMC_OUT" line; do
		if [[ -z $tag ]]; then
			# Only blocks of this client's commands (flags 1) answer it.
			[[ $line == '%begin '*' 1' ]] && tag=${line#%begin }
			[[ $line == '%exit'* ]] && return 2
		elif [[ $line == "%end $tag" ]]; then
			return 0
		elif [[ $line == "%error $tag" ]]; then
			return 1
		else
			TMC_LINES+=("$line")
		fi
	done
	return 2
}
# tq STRING: TQ=STRING as one word of tmux's command syntax (single quotes
# are literal there; a quote itself goes in double quotes).
tq() { TQ="'${1//\'/\'\"\'\"\'}'"; }

# tm_stop: the round's tmux server ends (and with it every shell), and if
# it does not answer, its process is ended.  At exit, every round's (one may
# have been cut short); then tests/lib.sh ends the control clients
# (coprocesses) and removes $T.
tm_stop() {
	local p
	tm kill-server 2>/dev/null
	# A server that did not take the command, and its control client: the
	# socket's path, unique to this round, is in their command lines.
	pkill -f -- "$TSOCK" 2>/dev/null
	[[ -e $TSOCK.pids ]] || return 0
	while read -r p; do
		[[ -e /proc/$p && $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null) == *"$T/tmux."*.sock* ]] &&
			kill "$p" 2>/dev/null
	done <"$TSOCK.pids"
	rm -f "$TSOCK.pids"
}
tm_stop_all() {
	local TSOCK
	for TSOCK in "$T"/tmux.*.pids; do
		[[ -e $TSOCK ]] || continue
		TSOCK=${TSOCK%.pids}
		tm_stop
	done
}
at_exit tm_stop_all

# A sleep without a fork: read from a FIFO nobody writes.
mkfifo "$T/fifo"
exec {SLEEPFD}<>"$T/fifo"
nap() { read -r -t "${1:-0.01}" -u "$SLEEPFD" __nap || :; }

# A venv to copy: a copy is a valid env for venvhook (pyvenv.cfg, bin/python);
# only its activate scripts name the template's path, so manual activation
# uses mkvenv_real.
# The shells of a for_shells round run side by side: the first to need the
# template makes it, under a lock, and the others wait for it.
mkvenv() {
	if [[ ! -e $T/template ]]; then
		{
			flock 9 && {
				[[ -e $T/template ]] || {
					/usr/bin/python3 -m venv --without-pip "$T/template.new" &&
						mv "$T/template.new" "$T/template"
				}
			}
		} 9>"$T/template.lock" || { echo "Bail out! python3 -m venv failed"; exit 1; }
	fi
	mkdir -p "${1%/*}" && cp -a "$T/template" "$1"
}
mkvenv_real() { /usr/bin/python3 -m venv --without-pip "$@"; }

# --- TAP ---------------------------------------------------------------------
# pass, fail, ok, is, isnt, like, diag and done_testing come from tests/lib.sh;
# with $SH set, each description starts "SHELL: ".

# for_shells FUNCTION [SHELL...]: runs FUNCTION once per shell (default: all
# three), each in a subshell of its own with a tmux server of its own, so
# that a hung shell ends only its own part.  The shells run side by side
# (they mostly wait for each other's prompts); their lines are printed
# afterwards, shell by shell, numbered in that order.  Each FUNCTION keeps
# what it makes under its shell's own names ($W of sh_start, $SH in a name).
# VENVHOOK_TEST_SERIAL=1: one shell after another (the lines as they come).
for_shells() {
	local f=$1 s i pids=() socks=() line
	shift
	(($#)) || set -- bash zsh fish
	for s in "$@"; do
		TSOCKN=$((TSOCKN + 1)) TSOCK=$T/tmux.$TSOCKN.sock
		socks+=("$TSOCK")
		if [[ ${VENVHOOK_TEST_SERIAL-} == 1 ]]; then
			(SH=$s; "$f")
			tap_sync
			tm_stop
			continue
		fi
		(SH=$s TNF=$TSOCK.tn; "$f") >"$TSOCK.out" 2>&1 &
		pids+=($!)
	done
	((${#pids[@]})) || return 0
	wait "${pids[@]}"
	for i in "${!socks[@]}"; do
		TSOCK=${socks[i]}
		tm_stop
		while IFS= read -r line || [[ -n $line ]]; do
			if [[ $line =~ ^(not\ )?ok\ [0-9]+(.*)$ ]]; then
				TN=$((TN + 1))
				line="${BASH_REMATCH[1]}ok $TN${BASH_REMATCH[2]}"
			fi
			printf '%s\n' "$line"
		done <"$TSOCK.out"
	done
	echo "$TN" >"$TNF"
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
	tmc_start || { echo "Bail out! cannot start tmux in control mode (tmux >= 3.2 needed)"; exit 1; }
	tm new-session -d -s "$SESS" -c "$W" -x "$PANE_W" -y "$PANE_H" env -i "${SENV[@]}" "${cmd[@]}" || {
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

# type_lines LINE...: types each LINE and Enter (a CR), in one tmux command.
type_lines() {
	local keys= l
	for l in "$@"; do
		tq "$l"
		keys+=$TQ'"\r"'
	done
	tmc "send-keys -t $SESS -l $keys" || hung "tmux send-keys failed"
}

# send_keys KEY...: presses keys (tmux key names: Enter, M-Left, C-c...).
send_keys() { tmc "send-keys -t $SESS $*" || hung "tmux send-keys failed"; }

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
		: >"$TD/v.$1"
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
	: >"$TD/v.status"
	RD_PREFIX="printf S%s $(a_status) >$TD/v.status" run "$1"
	get status
}

# --- the screen -----------------------------------------------------------------

# prompt_line: PL=the cursor's line once it shows a finished prompt (ends with
# "P>"; capture-pane drops trailing blanks).  Call after run/look, with
# nothing typed since.
prompt_line() {
	local t0=$SECONDS y
	while :; do
		tmc "display-message -p -t $SESS '#{cursor_y}'" || hung "tmux display failed"
		y=${TMC_LINES[0]-0}
		# (that line only: tmc reads a byte per system call)
		tmc "capture-pane -p -t $SESS -S $y -E $y" || hung "tmux capture-pane failed"
		PL=${TMC_LINES[0]-}
		[[ $PL == *'P>' ]] && return 0
		((SECONDS - t0 > TIMEOUT)) && hung "no prompt drawn"
		nap 0.01
	done
}
# isprompt DESC WANT: the rendered prompt line (without trailing blanks).
isprompt() { prompt_line; is "$1" "$PL" "$2"; }
# redrawn DESC WANT: the prompt line becomes WANT within 5 seconds (for a
# prompt redrawn in place, with no command run to wait for).
redrawn() {
	local t0=$SECONDS
	while prompt_line && [[ $PL != "$2" ]] && ((SECONDS - t0 < 5)); do nap 0.01; done
	is "$1" "$PL" "$2"
}

# mark: a line on the screen from which since_mark reads.  MARK_AT: the
# line the cursor was on before it, counted from the oldest line of the
# pane's history (which only grows: history-limit is far away).
MARKN=0 MARK_AT=
mark() {
	MARKN=$((MARKN + 1))
	tmc "display-message -p -t $SESS '#{history_size} #{cursor_y}'" || hung "tmux display failed"
	MARK_AT=
	[[ ${TMC_LINES[0]-} =~ ^([0-9]+)\ ([0-9]+)$ ]] &&
		MARK_AT=$((BASH_REMATCH[1] + BASH_REMATCH[2]))
	run "printf 'MARK-%s-%s\\n' $MARKN K"
}
# since_mark: SML=the screen lines (wrapped lines joined) printed since the
# mark, SM=the same as one string.  It reads the pane from the line the mark
# was typed on, not the whole pane and history (tmc reads a byte per
# system call: that was most of the harness's time in t_trust), and the
# whole history where the mark is not there (another session, a cleared
# screen): the lines after the last mark line are the same either way.
since_mark() {
	local i m="MARK-$MARKN-K" from=- h
	if [[ -n $MARK_AT ]]; then
		tmc "display-message -p -t $SESS '#{history_size}'" || hung "tmux display failed"
		h=${TMC_LINES[0]-}
		[[ $h =~ ^[0-9]+$ ]] && from=$((MARK_AT - h))
	fi
	while :; do
		tmc "capture-pane -p -J -t $SESS -S $from -E -" || hung "tmux capture-pane failed"
		for ((i = ${#TMC_LINES[@]} - 1; i >= 0; i--)); do
			[[ ${TMC_LINES[i]} == "$m" ]] && break
		done
		((i >= 0)) || [[ $from == - ]] && break
		from=-
	done
	SML=("${TMC_LINES[@]:i+1}")
	((i < 0)) && SML=()
	SM=$(printf '%s\n' "${SML[@]}")
}
# count_since TEXT: N=how many lines since the mark hold TEXT.
count_since() {
	since_mark
	local l
	N=0
	for l in "${SML[@]}"; do [[ $l == *"$1"* ]] && N=$((N + 1)); done
}
# notices: N=how many lines since the mark start with "venvhook: ".
notices() {
	since_mark
	local l
	N=0
	for l in "${SML[@]}"; do [[ $l == 'venvhook: '* ]] && N=$((N + 1)); done
}

# notices_holding TEXT: N=how many notices since the mark hold TEXT (the
# lines typed hold paths under $T, whose random part may hold TEXT too).
notices_holding() {
	since_mark
	local l
	N=0
	for l in "${SML[@]}"; do [[ $l == 'venvhook: '* && $l == *"$1"* ]] && N=$((N + 1)); done
}

# lines_since DESC N TEXT: N notices since the mark, each holding TEXT.
lines_since() {
	notices
	is "$1: $2 line(s)" "$N" "$2"
	if (($2)); then
		notices_holding "$3"
		is "$1: the line says '$3'" "$N" "$2"
	fi
}

# --- scenarios ------------------------------------------------------------------
# The shell's state after typed lines, against P0, the PATH of a plain
# directory (base_path).  A suite that checks more defines its own.
state() { look VIRTUAL_ENV PATH -- "$@"; }
active() {
	isvar "$1: VIRTUAL_ENV" VIRTUAL_ENV "$2"
	isvar "$1: PATH" PATH "$2/bin:$P0"
}
inactive() {
	isvar "$1: nothing active" VIRTUAL_ENV '<unset>'
	isvar "$1: PATH untouched" PATH "$P0"
}
# base_path: P0=the PATH in $R/plain, before venvhook is loaded.
base_path() {
	look PATH -- "cd $R/plain"
	get PATH
	P0=$V
}
# counting_bin: $W/count runs venvhook and notes each start of the helper
# (set it as __venvhook_bin); starts: N=the starts since the last call.
counting_bin() {
	cat >"$W/count" <<-EOF
	#!/bin/sh
	[ "\$1" = hook ] && echo start >>"$W/starts"
	exec "$VH" "\$@"
	EOF
	chmod 755 "$W/count"
}
starts() { N=0; [[ -e $W/starts ]] && N=$(wc -l <"$W/starts"); rm -f "$W/starts"; }

# child_start SHELL [LINE]: starts SHELL in the current one (LINE: how; default
# the plain command) and makes it the shell under test; child_exit goes back.
STACK=()
child_start() {
	STACK+=("$SH")
	run "${2:-$(a_child "$1")}"
	SH=$1
	sh_setup
}
child_exit() {
	type_lines exit
	SH=${STACK[-1]}
	unset 'STACK[-1]'
	run ""
}

# printable NAME...: PRINTABLE=(each NAME as venvhook shows it in a prompt or a
# message: C0 and C1 controls, DEL, the bidirectional controls, the line and
# paragraph separators and bytes that are not UTF-8 become '?', one per byte;
# told apart by Python's Unicode database).  One python3 for all of them.
printable() {
	mapfile -d '' -t PRINTABLE < <(printf '%s\0' "$@" | /usr/bin/python3 -c '
import sys, unicodedata
out = []
for name in sys.stdin.buffer.read().split(b"\0")[:-1]:
    s = ""
    for ch in name.decode("utf-8", "surrogateescape"):
        if 0xdc80 <= ord(ch) <= 0xdcff:
            s += "?"
        elif (unicodedata.category(ch) in ("Cc", "Zl", "Zp") or unicodedata.bidirectional(ch)
              in ("LRE", "RLE", "PDF", "LRO", "RLO", "LRI", "RLI", "FSI", "PDI")):
            s += "?" * len(ch.encode())
        else:
            s += ch
    out.append(s.encode("utf-8", "surrogateescape"))
sys.stdout.buffer.write(b"".join(o + b"\0" for o in out))
')
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
# allow PATH...: venvhook allow, a few at once (each record is written with an
# fsync, slow on a busy disk).
allow() {
	(($# == 1)) && { vh allow "$1" >/dev/null || echo "# allow $1 failed"; return; }
	printf '%s\0' "$@" | xargs -0 -n 1 -P 4 env -i "${SENV[@]}" "$VH" allow >/dev/null ||
		echo "# allow failed for one of: $*"
}
# project DIR...: projects with a .venv env each, allowed.
project() { local d; for d; do mkvenv "$d/.venv"; done; allow "$@"; }
