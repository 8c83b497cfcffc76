#!/bin/bash
# Who else can change an env, a marker or venvhook's own files, with real
# second users (issue 8: the env's ancestors, other users' markers, umask 002).
#   - umask 002 with user private groups: envs that venvhook create and
#     python -m venv make (775) activate; group write through a group with
#     another member is refused, naming the group.
#   - a setgid team directory (2775, another member in its group) above an
#     env: refused, naming the directory; a sticky directory (/tmp) is fine.
#   - create where umask 002 (or 000) would let a group with another member
#     (a setgid directory's) or others change the env: it is made the user's
#     alone, with a warning; in a directory others may write, or on a file
#     system that ignores chmod, it says at once that the hook will not
#     activate the env (and repair refuses to build it there).
#   - markers (.venvhook, .venv file, .venv directory) that another user owns
#     are ignored with one line; so are config.ini, trust records and the
#     registry written by another user.
# The shell plays no part: venvhook hook bash / status / allow as the user.
. tests/registry/lib.sh
if ((EUID != 0)); then
	echo "1..0 # SKIP needs root: it adds users"
	exit 0
fi

ME=vhme$$ MATE=vhmate$$ TEAM=vhteam$$
# At exit, before tests/lib.sh removes $T (it makes its directories ours).
cleanup() {
	[[ -d $T/fuse ]] && { fusermount -u "$T/fuse" 2>/dev/null || umount -l "$T/fuse"; }
	userdel "$ME" 2>/dev/null; userdel "$MATE" 2>/dev/null
	groupdel "$TEAM" 2>/dev/null; groupdel "$ME" 2>/dev/null; groupdel "$MATE" 2>/dev/null
}
at_exit cleanup
chmod 755 "$T"
mkdir -p "$T/u"
useradd -U -M -d "$T/u/me" -s /bin/sh "$ME" &&
	useradd -U -M -d "$T/u/mate" -s /bin/sh "$MATE" &&
	groupadd "$TEAM" && usermod -aG "$TEAM" "$ME" && usermod -aG "$TEAM" "$MATE" ||
	{ echo "Bail out! cannot add users"; exit 2; }
H=$T/u/me
mkdir "$H" && chown "$ME:$ME" "$H" && chmod 700 "$H"
MATE_UID=$(id -u "$MATE")

# as USER DIR UMASK COMMAND...: runs it as USER in DIR, out in $T/out, err in $T/err.
as() {
	local user=$1 dir=$2 mask=$3
	shift 3
	setpriv --reuid="$user" --regid="$user" --init-groups env -i PATH=/usr/bin:/bin \
		HOME="$H" XDG_DATA_HOME="$H/data" XDG_STATE_HOME="$H/state" \
		XDG_CONFIG_HOME="$H/config" XDG_CACHE_HOME="$H/cache" PYENV_ROOT="$H/pyenv" LC_ALL=C.UTF-8 \
		PWD="$dir" __VENVHOOK_SHELL=bash \
		sh -c 'cd "$1" && umask "$2" && shift 2 && exec "$@"' sh "$dir" "$mask" "$@" \
		>"$T/out" 2>"$T/err"
}
me() { as "$ME" "$@"; }
mate() { as "$MATE" "$@"; }
# activates DESC DIR / refuses DESC DIR LINE: the hook as me in DIR.
activates() {
	me "$2" 022 "$VH" hook bash
	if grep -q __venvhook_activate "$T/out" && ! [[ -s $T/err ]]; then
		pass "$1"
	else
		fail "$1" "out: $(cat "$T/out")" "err: $(cat "$T/err")"
	fi
}
refuses() {
	me "$2" 022 "$VH" hook bash
	local err
	err=$(cat "$T/err")
	if ! grep -q __venvhook_activate "$T/out" && [[ $err == "venvhook: $3" ]]; then
		pass "$1"
	else
		fail "$1" "out: $(cat "$T/out")" "err:  $err" "want: venvhook: $3"
	fi
}

echo "# umask 002 with a user private group"
mkdir -p "$H/p1" "$H/p2" "$H/p3" && chown "$ME:$ME" "$H/p1" "$H/p2" "$H/p3"
me "$H/p1" 002 "$VH" create --without-pip
is "create with umask 002" "$?:$(cat "$T/err")" "0:"
is "it made a 775 env of the private group" "$(stat -c '%a %G' "$H/p1/.venv")" "775 $ME"
activates "the 775 env it made activates" "$H/p1"
me "$H/p1" 022 "$VH" status
like "status: it will be active at the next prompt" "$(cat "$T/out")" "state +not active: it will be activated at the next prompt"
me "$H/p2" 002 "$PY" -m venv --without-pip .venv
me "$H/p2" 022 "$VH" allow
is "allow takes a 775 env of python -m venv" "$?:$(cat "$T/err")" "0:"
activates "the 775 env of python -m venv activates once allowed" "$H/p2"

echo "# group write through a group with another member"
me "$H/p3" 002 "$PY" -m venv --without-pip .venv
me "$H/p3" 022 "$VH" allow
chgrp -R "$TEAM" "$H/p3/.venv"
refuses "a 775 env of a group with another member" "$H/p3" \
	"refusing to activate '$H/p3/.venv': '$H/p3/.venv' is writable by group '$TEAM', which has other members"
me "$H/p3" 022 "$VH" allow
is "allow refuses it, naming the group" "$?:$(cat "$T/err")" \
	"1:venvhook: cannot allow: refusing to activate '$H/p3/.venv': '$H/p3/.venv' is writable by group '$TEAM', which has other members"
chgrp "$TEAM" "$H/p3" && chmod 775 "$H/p3" && chgrp -R "$ME" "$H/p3/.venv"
refuses "a project directory that a group with another member may write" "$H/p3" \
	"refusing to activate '$H/p3/.venv': '$H/p3' is writable by group '$TEAM', which has other members"

echo "# the directories above the env"
mkdir -m 2775 "$T/team" && chgrp "$TEAM" "$T/team" && chmod 2775 "$T/team"
mkdir "$T/team/proj" && chown "$ME" "$T/team/proj" && chmod 755 "$T/team/proj"
me "$T/team/proj" 022 "$PY" -m venv --without-pip .venv
me "$T/team/proj" 022 "$VH" allow
is "allow in a setgid team directory refuses, naming it" "$?:$(cat "$T/err")" \
	"1:venvhook: cannot allow: refusing to activate '$T/team/proj/.venv': '$T/team' is writable by group '$TEAM', which has other members"
# What the check is for: the mate may swap the env for another one.
mate "$T/team" 022 mv proj old
is "(the mate can indeed rename the project away)" "$?" 0
mv "$T/team/old" "$T/team/proj"
refuses "an env in a setgid team directory does not activate" "$T/team/proj" \
	"refusing to activate '$T/team/proj/.venv': '$T/team' is writable by group '$TEAM', which has other members"
mkdir -m 1777 "$T/sticky" && chmod 1777 "$T/sticky"
mkdir "$T/sticky/proj" && chown "$ME:$ME" "$T/sticky/proj"
me "$T/sticky/proj" 002 "$PY" -m venv --without-pip .venv
me "$T/sticky/proj" 022 "$VH" allow
activates "an env of mine in a sticky directory (like /tmp) activates" "$T/sticky/proj"
chmod 777 "$T/sticky"
refuses "the same directory without its sticky bit" "$T/sticky/proj" \
	"refusing to activate '$T/sticky/proj/.venv': '$T/sticky' is writable by others"
chmod 1777 "$T/sticky"

echo "# create under umask 002 where the group is not private"
# A setgid directory of the team's that only I may write: the env would get
# the team's group, writable under umask 002; create makes it mine alone
# (files, directories, pip's scripts), says so, and it activates.
mkdir "$T/teamro" && chown "$ME:$TEAM" "$T/teamro" && chmod 2755 "$T/teamro"
me "$T/teamro" 002 "$VH" create
st=$?
is "create in a setgid directory of a group with another member: exit 0" "$st" 0
is "... one warning: it is made writable by me alone" "$(cat "$T/err")" \
	"venvhook: warning: under this umask, '$T/teamro/.venv' is writable by group '$TEAM', which has other members; it is made writable by you alone, as venvhook activates no env that others can change"
is "... nothing in it is writable by the group or others (bin/pip included)" \
	"$(find "$T/teamro/.venv" ! -type l -perm /022 | head -3)" ""
is "... it keeps the directory's group" "$(stat -c '%G' "$T/teamro/.venv")" "$TEAM"
me "$T/teamro" 022 "$VH" allow
activates "... and it activates" "$T/teamro"
# A team directory we all may write: the env is mine alone, but the
# directory lets the mate swap it: create says now that it will not be
# activated.
mkdir "$T/teamrw" && chown "$ME:$TEAM" "$T/teamrw" && chmod 2775 "$T/teamrw"
me "$T/teamrw" 002 "$VH" create --without-pip
is "create in a team directory: the hook will not activate it, said at once" \
	"$?:$(sed -n 2p "$T/err")" \
	"0:venvhook: warning: the prompt hook will not activate '$T/teamrw/.venv': '$T/teamrw' is writable by group '$TEAM', which has other members"
# A file system that takes a chmod and changes nothing (a FUSE mount that
# keeps every file writable by others): create says that the hook will not
# activate the env, and not that it made the env private.
mkdir "$T/fusesrc" "$T/fuse" && chown "$ME:$ME" "$T/fusesrc"
if bindfs -o perms=o+w,chmod-ignore "$T/fusesrc" "$T/fuse" 2>"$T/bindfs.err"; then
	me "$T/fuse" 022 "$VH" create --without-pip
	is "create on a file system that ignores chmod: the hook will not activate it (and no word of making it private)" \
		"$?:$(grep warning "$T/err")" \
		"0:venvhook: warning: the prompt hook will not activate '$T/fuse/.venv': '$T/fuse/.venv' is writable by others"
	me "$T/fuse" 022 "$VH" repair --rebuild .venv
	is "... repair refuses to build it again there" "$?:$(cat "$T/err")" \
		"1:venvhook: refusing to repair '$T/fuse/.venv': '$T/fuse/.venv' is writable by others"
else
	fail "bindfs mounts" "$(cat "$T/bindfs.err")"
fi
# umask 000 with my private group: others' write goes, the group's stays.
mkdir "$H/p4" && chown "$ME:$ME" "$H/p4"
me "$H/p4" 000 "$VH" create --without-pip
is "create with umask 000: a 775 env, one warning" "$(stat -c '%a' "$H/p4/.venv"):$(grep -c warning "$T/err")" "775:1"

echo "# markers of another user"
mkdir -m 1777 "$T/st" && chmod 1777 "$T/st"
mkdir "$T/st/mine" && chown "$ME:$ME" "$T/st/mine"
mate "$T/st" 022 sh -c "printf '[env]\npath = %s\nprompt = pwned\n' '$H/p1/.venv' >.venvhook"
refuses "a .venvhook of another user above my directory is ignored" "$T/st/mine" \
	"ignoring '$T/st/.venvhook': it belongs to another user (uid $MATE_UID)"
me "$T/st/mine" 022 "$VH" status
like "status says why" "$(cat "$T/out")" "ignoring '$T/st/.venvhook': it belongs to another user"
me "$T/st/mine" 022 "$VH" rm --yes
is "rm --yes does not act on it" "$?:$(test -d "$H/p1/.venv" && echo kept)" "2:kept"
rm -f "$T/st/.venvhook"
mate "$T/st" 022 ln -s /nonexistent .venvhook
rm -f "$T/st/.venvhook"
mate "$T/st" 022 sh -c "echo '$H/p1/.venv' >.venv"
refuses "a .venv file of another user is ignored" "$T/st/mine" \
	"ignoring '$T/st/.venv': it belongs to another user (uid $MATE_UID)"
rm -f "$T/st/.venv"
mate "$T/st" 022 "$PY" -m venv --without-pip .venv
refuses "a .venv directory of another user is ignored" "$T/st/mine" \
	"ignoring '$T/st/.venv': it belongs to another user (uid $MATE_UID)"
rm -rf "$T/st/.venv"
mkdir -p "$H/pyenv/versions" && cp -a "$H/p1/.venv" "$H/pyenv/versions/vv" && chown -R "$ME:$ME" "$H/pyenv"
mate "$T/st" 022 sh -c "echo vv >.python-version"
refuses "a .python-version (pyenv-virtualenv) of another user is ignored" "$T/st/mine" \
	"ignoring '$T/st/.python-version': it belongs to another user (uid $MATE_UID)"
rm -f "$T/st/.python-version"
me "$T/st/mine" 022 sh -c "ln -s '$H/p1/.venv' .venv"
chown -h "$MATE" "$T/st/mine/.venv"
refuses "a .venv link that another user owns is ignored" "$T/st/mine" \
	"ignoring '$T/st/mine/.venv': it belongs to another user (uid $MATE_UID)"
rm -f "$T/st/mine/.venv"
me "$T/st/mine" 022 sh -c "printf '[env]\npath = %s\n' '$H/p1/.venv' >.venvhook"
activates "my own .venvhook in the same place works" "$T/st/mine"
rm -f "$T/st/mine/.venvhook"

echo "# venvhook's own files written by another user"
mkdir -p "$H/config/venvhook" && chown -R "$ME:$ME" "$H/config"
printf '[hook]\nnotify = on\n' >"$H/config/venvhook/config.ini"
chown "$MATE" "$H/config/venvhook/config.ini"
me "$H/p1" 022 "$VH" hook bash
is "config.ini of another user: one line, the defaults" "$(cat "$T/err")" \
	"venvhook: '$H/config/venvhook/config.ini' belongs to another user; using the default settings"
chown "$ME:$TEAM" "$H/config/venvhook/config.ini" && chmod 664 "$H/config/venvhook/config.ini"
me "$H/p1" 022 "$VH" hook bash
is "config.ini writable by a group with another member: one line, the defaults" "$(cat "$T/err")" \
	"venvhook: '$H/config/venvhook/config.ini' is writable by group '$TEAM', which has other members; using the default settings"
chgrp "$ME" "$H/config/venvhook/config.ini"
activates "config.ini writable by my private group is mine" "$H/p1"
rec=$(grep -rl "$H/p2/.venv" "$H/data/venvhook/trust")
chown "$MATE" "$rec"
me "$H/p2" 022 "$VH" hook bash
like "a trust record of another user does not count" "$(cat "$T/err")" "'$H/p2/.venv' is not trusted"
chown "$ME" "$rec"
activates "(the same record, mine again, counts)" "$H/p2"
chown "$MATE" "$H/state/venvhook/registry" && chmod 644 "$H/state/venvhook/registry"
me "$H/p1" 022 "$VH" list
is "list refuses a registry of another user" "$?:$(cat "$T/err")" \
	"1:venvhook: '$H/state/venvhook/registry' belongs to another user"

done_testing
