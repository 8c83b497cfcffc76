# t_quote.sh: every byte 1..255 (but '/', which cannot be in a file name and is
# in every path anyway) and a set of multi-byte strings survive venvhook's
# quoting for bash, zsh and fish exactly.  The quoting is reached through the
# hook itself: a project directory whose name holds the bytes, then a
# non-interactive `bash`/`zsh`/`fish` that loads `venvhook init SHELL`, enters
# each directory and runs the hook; VIRTUAL_ENV, VIRTUAL_ENV_PROMPT and the
# project (or, where the env must not be activated, the marker path the hook
# hands back in __venvhook_notified) must equal what they name byte for byte,
# and the paths the hook watches must test unchanged right after it ran.  Also the binary's own path in `venvhook init`.
. "$(dirname "$0")/lib.sh"

Q=$T/q
mkdir -p "$Q/data" "$Q/home"
qenv=(HOME="$Q/home" XDG_DATA_HOME="$Q/data" PATH=/usr/bin:/bin LANG=C.UTF-8 LC_ALL=C.UTF-8)

# fakevenv DIR: what venvhook checks of a venv (pyvenv.cfg, bin/python), made
# without a fork (the directories come from one mkdir -p).
fakevenv() {
	printf 'home = /usr/bin\nversion = 3.11.2\n' >"$1/pyvenv.cfg" && : >"$1/bin/python" &&
		chmod 755 "$1/bin/python"
}

# CASES: id -> directory name.  b<n>: "X", four consecutive bytes from n on,
# "X" (4 bytes a directory, so that a loaded machine gets through it fast;
# the failure message shows the bytes); ':' and newline alone, since an env
# whose path holds them is never activated.  m<n>: multi-byte strings.
declare -A NAME
chunk= first=
LC_ALL=C
for ((i = 1; i < 256; i++)); do
	printf -v c %02x "$i"
	printf -v c "\\x$c"
	case $i in
	47) continue ;;
	10 | 58) NAME[b$i]=X${c}X; continue ;;
	esac
	[[ -z $chunk ]] && first=$i
	chunk+=$c
	if ((${#chunk} == 4 || i == 255)); then
		NAME[b$first]=X${chunk}X
		chunk=
	fi
done
LC_ALL=C.UTF-8
MB=(
	'é' '日本語' '😀' 'e'$'\xcc\x81' $'\xc2\xa0' $'\xc2\x85' $'\xe2\x80\xae' $'\xef\xbb\xbf'
	$'\xef\xbf\xbd' $'\xef\x98\x80' $'\xef\x9b\xbf' $'\xc0\xaf' $'\xed\xa0\x80' $'\xf4\x90\x80\x80'
	$'\xe6\x97' $'\xe6\x97X' $'\xff\xfe' $'\x80\x80\x80' '\X41\x41\\' "'\\''" '$(x)`y`%n!'
	'{a,b}*?[c]~' $'a\tb\nc\x1b[0m\x7f' '--'
)
for i in "${!MB[@]}"; do NAME[m$i]=${MB[i]}; done

# Fixtures: $Q/p/ID/NAME/.venv, allowed.
dirs=()
for id in "${!NAME[@]}"; do dirs+=("$Q/p/$id/${NAME[$id]}/.venv/bin"); done
mkdir -p "${dirs[@]}"
for id in "${!NAME[@]}"; do
	d=$Q/p/$id/${NAME[$id]}
	fakevenv "$d/.venv" || echo "# cannot create $(printf %q "$d")"
done
# allow writes each record with fsync: run a few at once.
for id in "${!NAME[@]}"; do printf '%s\0' "$Q/p/$id/${NAME[$id]}"; done |
	xargs -0 -n 1 -P 6 env -i "${qenv[@]}" "$VH" allow >/dev/null 2>&1
IDS=$(printf '%s\n' "${!NAME[@]}" | sort -V | tr '\n' ' ')

# Each shell enters every project and writes what it got to $O/ID.{ve,vp,nt}.
cat >"$Q/run.bash" <<'EOF'
set -u
eval "$("$VH" init bash)" || exit 1
for id in $IDS; do
	cd "$Q/p/$id/" && cd ./* || { echo "cd $id failed" >&2; continue; }
	__venvhook_hook
	printf '%s' "${VIRTUAL_ENV-<unset>}" >"$O/$id.ve"
	printf '%s' "${VIRTUAL_ENV_PROMPT-<unset>}" >"$O/$id.vp"
	printf '%s' "$__venvhook_notified" >"$O/$id.nt"
	printf '%s' "${__venvhook_project-<unset>}" >"$O/$id.pj"
	# Unchanged: the next prompt does not run the helper (here, one that is gone).
	b=$__venvhook_bin __venvhook_bin=$Q/gone
	__venvhook_hook 2>/dev/null
	if [[ -z $__venvhook_warned ]]; then printf 1; else printf 0; fi >"$O/$id.uc"
	__venvhook_bin=$b __venvhook_warned=
done
printf '%s' "$__venvhook_bin" >"$O/bin"
EOF
# zsh runs the same, but for its word splitting (and without set -u).
sed -e '1d' -e 's/init bash/init zsh/' -e 's/for id in \$IDS;/for id in ${=IDS};/' \
	"$Q/run.bash" >"$Q/run.zsh"
cat >"$Q/run.fish" <<'EOF'
$VH init fish | source; or exit 1
for id in (string split ' ' -- (string trim -- $IDS))
	cd $Q/p/$id/; and cd ./*; or begin; echo "cd $id failed" >&2; continue; end
	__venvhook_hook
	if set -q VIRTUAL_ENV; printf '%s' "$VIRTUAL_ENV"; else; printf '<unset>'; end >$O/$id.ve
	if set -q VIRTUAL_ENV_PROMPT; printf '%s' "$VIRTUAL_ENV_PROMPT"; else; printf '<unset>'; end >$O/$id.vp
	printf '%s' "$__venvhook_notified" >$O/$id.nt
	if set -q __venvhook_project; printf '%s' "$__venvhook_project"; else; printf '<unset>'; end >$O/$id.pj
	# Unchanged: the next prompt does not run the helper (here, one that is gone).
	set b $__venvhook_bin; set __venvhook_bin $Q/gone
	__venvhook_hook 2>/dev/null
	if test -z "$__venvhook_warned"; printf 1; else; printf 0; end >$O/$id.uc
	set __venvhook_bin $b; set __venvhook_warned
end
printf '%s' "$__venvhook_bin" >$O/bin
EOF

# The binary at a hostile path, for the path that init embeds.
BIN="$Q/bin/it's \$(touch pwned) \`x\` %n "$'\xff\xfe\t\\'"/venvhook"
mkdir -p "$(dirname "$BIN")"
cp "$VH" "$BIN"

readf() { V=; [[ -e $1 ]] && IFS= read -r -d '' V <"$1"; }
# Expected values: the hex of the name, the name as the prompt shows it.
declare -A HEX VP
ids=($IDS) names=()
for id in "${ids[@]}"; do names+=("${NAME[$id]}"); done
printable "${names[@]}"
LC_ALL=C
for k in "${!ids[@]}"; do
	id=${ids[k]} name=${NAME[${ids[k]}]} h=
	for ((j = 0; j < ${#name}; j++)); do printf -v c '%02x' "'${name:j:1}"; h+=$c; done
	HEX[$id]=$h
	VP[$id]="(${PRINTABLE[k]}) "
done
LC_ALL=C.UTF-8

for SH in bash zsh fish; do
	O=$Q/out-$SH
	mkdir -p "$O"
	case $SH in
	bash) cmd=(bash --norc --noprofile "$Q/run.bash") ;;
	zsh) cmd=(zsh -f "$Q/run.zsh") ;;
	fish) cmd=(fish --no-config "$Q/run.fish") ;;
	esac
	(cd "$Q" && env -i "${qenv[@]}" VH="$BIN" Q="$Q" O="$O" IDS="$IDS" "${cmd[@]}") >"$Q/$SH.log" 2>&1
	if [[ -s $Q/$SH.log ]] && grep -v '^venvhook: ' "$Q/$SH.log" | grep -q .; then
		fail "no shell errors" "$(grep -v '^venvhook: ' "$Q/$SH.log" | head -n 5)"
	else
		pass "no shell errors"
	fi
	readf "$O/bin"
	is "init embeds the binary's path exactly: $(printf %q "$BIN")" "$V" "$BIN"
	for id in $IDS; do
		name=${NAME[$id]}
		d=$Q/p/$id/$name
		what="$id ${HEX[$id]}"
		if [[ $d == *[:$'\n']* ]]; then
			# Never activated: the path reaches the shell in __venvhook_notified.
			readf "$O/$id.ve"; ve=$V
			readf "$O/$id.uc"; uc=$V
			readf "$O/$id.nt"
			if [[ $ve == '<unset>' && $V == "$d/.venv" && $uc == 1 ]]; then
				pass "$what round-trips (marker path; not activated)"
			else
				fail "$what round-trips (marker path; not activated)" \
					"VIRTUAL_ENV: $(printf %q "$ve")" "got:  $(printf %q "$V")" "want: $(printf %q "$d/.venv")" \
					"the watched paths unchanged right after the hook: $uc (want 1)"
			fi
			continue
		fi
		readf "$O/$id.ve"; ve=$V
		readf "$O/$id.vp"; vp=$V
		readf "$O/$id.pj"; pj=$V
		readf "$O/$id.uc"; uc=$V
		want_vp=${VP[$id]}
		if [[ $ve == "$d/.venv" && $vp == "$want_vp" && $pj == "$d" && $uc == 1 ]]; then
			pass "$what round-trips"
		else
			fail "$what round-trips" \
				"VIRTUAL_ENV got:  $(printf %q "$ve")" "VIRTUAL_ENV want: $(printf %q "$d/.venv")" \
				"VIRTUAL_ENV_PROMPT got:  $(printf %q "$vp")" "VIRTUAL_ENV_PROMPT want: $(printf %q "$want_vp")" \
				"project got:  $(printf %q "$pj")" "project want: $(printf %q "$d")" \
				"the watched paths unchanged right after the hook: $uc (want 1)"
		fi
	done
done
SH=all
pwned=$(cd "$Q" && find . -name 'pwned*')
is "nothing ran" "$pwned" ""
done_testing
