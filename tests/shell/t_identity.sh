# t_identity.sh: the identity of an active env, in interactive bash, zsh and
# fish (tmux).  An env replaced at the same path while the shell stays in the
# directory (rm -rf and a copy, tar x, a retargeted .venv link) is off PATH
# at the next prompt with one line, while an unchanged prompt starts no
# process; what goes on PATH is the real path that was judged; on a bindfs
# mount (no birth time, no inode generation, inode numbers reused) a
# replaced env is not trusted; a dying helper fails closed; a prompt option
# turned on later never runs a directory name.
. "$(dirname "$0")/lib.sh"

# Mounts made here (bindfs) go before the temp dir does, even after a hang.
umount_all() {
	local dev m rest
	while read -r dev m rest; do
		[[ $m == "$T"/* ]] && { fusermount -u "$m" 2>/dev/null || umount -l "$m"; }
	done </proc/mounts
}
at_exit umount_all

# evil DIR: an attacker's env at DIR whose bin/ls leaves $W/pwned-ls behind.
evil() {
	mkvenv "$1"
	printf '#!/bin/sh\ntouch %s/pwned-ls\n' "$W" >"$1/bin/ls"
	chmod 755 "$1/bin/ls"
}
REPLACED="not the env that was allowed"

# Item 1: an env replaced at the same path while the shell stays there.
replaced() {
	sh_start "$SH"
	mkdir -p "$R/plain"
	project "$R/rep" "$R/tarred" "$R/again"
	evil "$W/evil/.venv"
	tar -C "$W/evil" -cf "$W/evil.tar" .venv
	counting_bin
	base_path
	sh_init
	run "$(a_set __venvhook_bin "$W/count")"

	state "cd $R/rep"
	active "allowed env" "$R/rep/.venv"
	starts
	run "" "" "" ""
	starts
	is "active env: 4 unchanged prompts start no process" "$N" 0
	mark
	state "cd $R/plain && rm -rf $R/rep && cp -a $W/evil $R/rep && cd $R/rep"
	inactive "project replaced by a copy on one line (cd out, rm -rf, cp, cd in)"
	lines_since "project replaced on one line" 1 "$REPLACED"
	run "ls >/dev/null"
	ok "project replaced on one line: its bin/ls does not run" test ! -e "$W/pwned-ls"
	starts
	# At the prompt in bash; at each of the two cds in zsh and fish, which
	# activate during a cd.
	want=1
	[[ $SH == bash ]] || want=2
	is "project replaced on one line: the helper started $want time(s)" "$N" "$want"
	run "" "" ""
	starts
	is "replaced env off: unchanged prompts start no process" "$N" 0

	state "cd $R/tarred"
	active "allowed env (tar x)" "$R/tarred/.venv"
	mark
	state "rm -rf .venv && tar -xf $W/evil.tar"
	inactive "rm -rf .venv && tar x in the project"
	lines_since "rm -rf .venv && tar x" 1 "$REPLACED"
	run "ls >/dev/null"
	ok "rm -rf .venv && tar x: its bin/ls does not run" test ! -e "$W/pwned-ls"

	# Another terminal replaces it: nothing typed in this shell but Enter.
	state "cd $R/again"
	active "allowed env (replaced from elsewhere)" "$R/again/.venv"
	rm -rf "$R/again/.venv"
	cp -a "$W/evil/.venv" "$R/again/.venv"
	mark
	state ""
	inactive "env replaced by another process, then Enter"
	lines_since "env replaced by another process" 1 "$REPLACED"
	run "venvhook status >$TD/status.txt 2>&1"
	ok "venvhook status: replaced, not active" grep -q 'replaced since it was allowed' "$TD/status.txt"
	ok "venvhook status: not active" grep -q '^state *not active' "$TD/status.txt"

	# Allowed again elsewhere: a new token; the shell asks the helper once
	# and the env stays, silently.
	state "venvhook allow >/dev/null"
	active "allowed again" "$R/again/.venv"
	starts
	vh allow "$R/again" >/dev/null
	mark
	state ""
	active "allowed again by another process: still active" "$R/again/.venv"
	lines_since "allowed again by another process" 0
	starts
	is "allowed again by another process: the helper started once" "$N" 1
	run "" ""
	starts
	is "allowed again by another process: then no process" "$N" 0
	run "cd $R/plain"
}

# Item 2: a .venv link; PATH gets the real path; a retarget is a replacement.
links() {
	sh_start "$SH"
	mkdir -p "$R/plain" "$R/lnk/tools" "$R/lnk2"
	mkvenv "$R/envs/good"; mkvenv "$R/envs/good2"
	ln -s "$R/envs/good" "$R/lnk/.venv"
	allow "$R/lnk" "$R/envs/good2"
	evil "$R/lnk/tools/fake"
	# The fake env even links the allowed env's token.
	ln -s "$R/envs/good/.venvhook-id" "$R/lnk/tools/fake/.venvhook-id"
	base_path
	sh_init

	state "cd $R/lnk"
	active "a .venv link: PATH and VIRTUAL_ENV get the real path" "$R/envs/good"
	run "venvhook status >$TD/status.txt 2>&1"
	ok "a .venv link: venvhook status says active" \
		grep -q '^state *active (activated by venvhook)' "$TD/status.txt"
	mark
	state "ln -sfn $R/lnk/tools/fake .venv"
	inactive "the .venv link retargeted to the repository's env"
	lines_since "the .venv link retargeted" 1 "not trusted"
	run "ls >/dev/null"
	ok "the .venv link retargeted: its bin/ls does not run" test ! -e "$W/pwned-ls"
	mark
	state "ln -sfn $R/envs/good .venv" "cd $R/plain" "cd $R/lnk"
	active "the link back to the allowed env, entering again" "$R/envs/good"
	lines_since "the link back to the allowed env" 0
	# Retargeted from elsewhere to another allowed env: a switch, silent.
	ln -sfn "$R/envs/good2" "$R/lnk/.venv"
	mark
	state ""
	active "the link retargeted to another allowed env" "$R/envs/good2"
	lines_since "the link retargeted to another allowed env" 0
	# A link put where the env was.
	mkvenv "$R/lnk2/.venv"
	allow "$R/lnk2"
	state "cd $R/lnk2"
	active "an env directory" "$R/lnk2/.venv"
	mark
	state "mv .venv real && ln -s $R/lnk/tools/fake .venv"
	inactive "the env moved away and a link to another env put in its place"
	lines_since "a link put where the env was" 1 "not trusted"
	run "cd $R/plain"
}

# Item 4: on bindfs, rm -rf .venv && tar x may reuse the inode, and the file
# system has no birth time nor generation: only the token tells.
# reuse DIR: rm -rf DIR/.venv && tar x of the attacker's env, again and again
# as an attacker would, until the new .venv has the old one's inode number
# (ext4 often gives it; where it does not, the case in the project still
# needs the token: nothing else tells the shell to look again).  Once only
# over tmpfs, which never gives an inode number again.
reuse() {
	local ino0 ino i tries=20
	ino0=$(stat -c %i "$1/.venv")
	[[ $(stat -f -c %T "$W/under") == tmpfs ]] && tries=1
	for ((i = 1; i <= tries; i++)); do
		rm -rf "$1/.venv"
		tar -C "$1" -xf "$W/evil.tar"
		ino=$(stat -c %i "$1/.venv")
		[[ $ino == "$ino0" ]] && break
	done
	if [[ $ino == "$ino0" ]]; then
		echo "# bindfs: the attacker's .venv got the allowed env's inode number (try $i)"
	else
		echo "# bindfs: the inode number was not reused in $tries tries"
	fi
}

fuse() {
	sh_start "$SH"
	mkdir -p "$R/plain" "$W/under" "$W/fuse"
	if ! bindfs "$W/under" "$W/fuse"; then
		fail "bindfs mount" "bindfs $W/under $W/fuse failed"
		return
	fi
	local F=$W/fuse
	project "$F/proj" "$F/proj2"
	evil "$W/evil/.venv"
	# With a token of its own, in the right shape.
	mkdir -m 700 "$W/evil/.venv/.venvhook-id"
	: >"$W/evil/.venv/.venvhook-id/0123456789abcdef0123456789abcdef"
	tar -C "$W/evil" -cf "$W/evil.tar" .venv
	base_path
	sh_init

	state "cd $F/proj"
	active "env on bindfs" "$F/proj/.venv"
	reuse "$F/proj"
	mark
	state ""
	inactive "bindfs: rm -rf .venv && tar x while in the project"
	lines_since "bindfs: rm -rf .venv && tar x while in the project" 1 "$REPLACED"
	run "cd $R/plain"

	# In a fresh shell.
	reuse "$F/proj2"
	run "$(a_child)"
	sh_setup
	sh_init
	mark
	state "cd $F/proj2" ""
	inactive "bindfs: an env replaced by tar x, in a fresh shell"
	lines_since "bindfs: an env replaced by tar x, in a fresh shell" 1 "$REPLACED"
	run "ls >/dev/null"
	ok "bindfs: its bin/ls does not run" test ! -e "$W/pwned-ls"
	run "cd $R/plain"
	type_lines exit
	run "cd $R/plain"
	sh_stop
	fusermount -u "$F" 2>/dev/null || umount "$F"
}

# Item 8: a helper that is gone or crashes fails closed.
dying() {
	sh_start "$SH"
	mkdir -p "$R/plain" "$R/a/sub"
	project "$R/a" "$R/b" "$R/c"
	evil "$W/evil/.venv"
	cp "$VH" "$W/vh"
	base_path
	sh_init
	run "$(a_set __venvhook_bin "$W/vh")"

	state "cd $R/a"
	active "helper copy: active" "$R/a/.venv"
	rm "$W/vh"
	mark
	state "cd sub"
	active "helper gone: inside the project the env stays" "$R/a/.venv"
	status_after "cd $R/plain; false"
	is "helper gone: \$? kept on leaving" "$V" 1
	state ""
	inactive "helper gone: leaving the project takes the env off"
	isprompt "helper gone: the prompt is back" "P>"
	state "cd $R/b" "" ""
	inactive "helper gone: entering another project activates nothing"
	lines_since "helper gone: one line for several prompts" 1 "cannot run"
	cp "$VH" "$W/vh"
	state ""
	active "helper back: tried again at the next prompt, no cd needed" "$R/b/.venv"
	run "cd $R/plain"

	printf '#!/bin/sh\nkill -SEGV $$\n' >"$W/crash"
	chmod 755 "$W/crash"
	state "cd $R/a"
	active "before the crash" "$R/a/.venv"
	run "$(a_set __venvhook_bin "$W/crash")"
	status_after "cd $R/plain; false"
	is "helper crashing: \$? kept on leaving" "$V" 1
	state ""
	inactive "helper crashing: leaving the project takes the env off"
	isprompt "helper crashing: the prompt is back" "P>"
	run "$(a_set __venvhook_bin "$W/vh")"
	state "cd $R/c"
	active "before the crash (c)" "$R/c/.venv"
	run "$(a_set __venvhook_bin "$W/crash")"
	rm -rf "$R/c/.venv"
	cp -a "$W/evil/.venv" "$R/c/.venv"
	state ""
	inactive "helper crashing: an env replaced in place goes off too"
	run "ls >/dev/null"
	ok "helper crashing: the replaced env's bin/ls does not run" test ! -e "$W/pwned-ls"
	mark
	run "$(a_set __venvhook_bin "$W/vh")"
	state ""
	inactive "helper back: the replaced env stays off"
	lines_since "helper back: the replaced env" 1 "$REPLACED"
}

# Item 6: prompt options turned on or off later never run a name.
promptopts() {
	sh_start "$SH"
	mkdir -p "$R/plain"
	local d1="$R/h1/\$(touch pwned1)" d2="$R/h2/\`touch pwned2\`" d3="$R/h3/\${HOME}\\\$ %%"
	project "$d1" "$d2" "$d3"
	local p1='($(touch pwned1)) P>' p2='(`touch pwned2`) P>' p3='(${HOME}\$ %%) P>'
	base_path
	sh_init
	local on off
	case $SH in
	bash) on="shopt -s promptvars" off="shopt -u promptvars" ;;
	zsh) on="setopt prompt_subst" off="unsetopt prompt_subst" ;;
	esac
	local i d p
	for i in 1 2 3; do
		case $i in
		1) d=$d1 p=$p1 ;;
		2) d=$d2 p=$p2 ;;
		3) d=$d3 p=$p3 ;;
		esac
		run "$off" "cd $R/h$i/*"
		isprompt "name $i, entered with the option off" "$p"
		run "$on"
		isprompt "name $i: the option turned on" "$p"
		run "$off"
		isprompt "name $i: the option turned off again" "$p"
		run "cd $R/plain"
		isprompt "name $i: leaving" "P>"
		run "$on" "cd $R/h$i/*"
		isprompt "name $i, entered with the option on" "$p"
		run "$off"
		isprompt "name $i: the option turned off" "$p"
		run "cd $R/plain"
		isprompt "name $i: leaving again" "P>"
	done
	# Turned on by a prompt hook that runs after venvhook's, at each prompt.
	case $SH in
	bash) run "$off" "PROMPT_COMMAND=\"\$PROMPT_COMMAND;shopt -s promptvars\"" ;;
	zsh) run "$off" "__t_on() { setopt prompt_subst; }" "precmd_functions+=(__t_on)" ;;
	esac
	local names=(1 3)
	[[ $SH == bash ]] && names=(1 2 3)
	for i in "${names[@]}"; do
		case $i in
		1) p=$p1 ;;
		2) p=$p2 ;;
		3) p=$p3 ;;
		esac
		run "$off; cd $R/h$i/*"
		isprompt "name $i: the option turned on by a later prompt hook" "$p"
		run "$off; cd $R/plain"
	done
	local pwned
	pwned=$(cd "$W" && find . -name 'pwned*' | head -n 3)
	is "prompt options: nothing ran" "$pwned" ""
}

for_shells replaced
for_shells links
if ((EUID == 0)) && command -v bindfs >/dev/null; then
	for_shells fuse
else
	skip "bindfs tests need root and bindfs (tools/deps.sh)"
fi
for_shells dying
for_shells promptopts bash zsh
done_testing
