#!/bin/bash
# The man page: mandoc -Tlint clean; every command and option that
# `venvhook help` shows is in it, under that command; every variable the
# helper reads is in ENVIRONMENT; the sections people look for exist; no
# quote nests in another when rendered.
. "$(dirname "$0")/lib.sh"
MAN=$TOP/man/venvhook.1
command -v mandoc >/dev/null || { echo "Bail out! mandoc is missing (make deps)"; exit 2; }

out=$(mandoc -Tlint -W warning "$MAN" 2>&1)
is "mandoc -Tlint -W warning is clean" "$out" ""

# The commands venvhook --help lists, and help itself.
mapfile -t cmds < <("$VH" --help | sed -n 's/^  \([a-z]\{1,\}\)\( .*\)\{0,1\}$/\1/p')
cmds+=(help)
((${#cmds[@]} > 10)) && pass "venvhook --help lists ${#cmds[@]} commands" ||
	fail "venvhook --help lists the commands" "${cmds[*]}"
# The COMMANDS section, and one command's entry in it.
commands_section() { sed -n '/^\.Sh COMMANDS/,/^\.Sh /p' "$MAN"; }
entry() {
	# An item is ".It Cm NAME ..." or ".It Xo" then ".Cm NAME ...".
	commands_section | awk -v c="$1" -v all=" ${cmds[*]} " '
		xo && /^\.Cm / { split($0, w, " "); if (index(all, " " w[2] " ")) on = (w[2] == c) }
		{ xo = 0 }
		/^\.It Xo$/ { xo = 1 }
		/^\.It Cm / { split($0, w, " "); if (index(all, " " w[3] " ")) on = (w[3] == c) }
		on { print }'
}
synopsis=$(sed -n '/^\.Sh SYNOPSIS/,/^\.Sh /p' "$MAN")
for c in "${cmds[@]}"; do
	e=$(entry "$c")
	if [[ -z $e ]]; then
		fail "man: COMMANDS describes $c" "no '.It Cm $c'"
		continue
	fi
	missing=
	grep -qx "\.Cm $c\( .*\)\{0,1\}" <<<"$synopsis" || grep -q "^\.Cm .*\<$c\>" <<<"$synopsis" ||
		missing+=" (not in SYNOPSIS)"
	# Each option of the usage line (venvhook help CMD) in the entry.
	usage=$("$VH" help "$c" | sed -n '1,/^$/p')
	for o in $(grep -oE '(^|[[ ])--?[a-z][a-z-]*' <<<"$usage" | tr -d '[ '); do
		[[ $o == --* ]] && want="Fl -${o#--}" || want="Fl ${o#-}"
		grep -qE -- "$want(\$|[^a-z-])" <<<"$e" || missing+=" $o"
	done
	is "man: $c and each of its options" "$missing" ""
done

# Every variable the helper reads (but its own __VENVHOOK_ state and PWD).
env_section=$(sed -n '/^\.Sh ENVIRONMENT/,/^\.Sh /p' "$MAN")
missing=
for v in $(cat src/*.c | grep -oE '(env_get|getenv)\("[A-Za-z_]+"\)' | sed 's/.*("\(.*\)")/\1/' | sort -u); do
	[[ $v == __VENVHOOK_* || $v == PWD ]] && continue
	grep -qE "\.Ev ([A-Z_]+ , )*$v(\$| )" <<<"$env_section" || grep -q "Ev $v\>" <<<"$env_section" ||
		missing+=" $v"
done
is "man: ENVIRONMENT names every variable the helper reads" "$missing" ""

missing=
for s in SYNOPSIS DESCRIPTION COMMANDS ENVIRONMENT FILES "EXIT STATUS" EXAMPLES "SEE ALSO" \
	"SECURITY CONSIDERATIONS"; do
	grep -qx "\.Sh $s" "$MAN" || missing+=" [$s]"
done
is "man: the usual sections exist" "$missing" ""
is "man: EXIT STATUS gives exec's statuses" \
	"$(sed -n '/^\.Sh EXIT STATUS/,/^\.Sh /p' "$MAN" | grep -c '126 when.*127 when')" 1
is "man: FILES names the completions" \
	"$(sed -n '/^\.Sh FILES/,/^\.Sh /p' "$MAN" | grep -c '^\.It Pa /usr/share/.*\(completion\|site-functions\)')" 3

# Rendered, no quote opens inside another (the old .Pq Ql nesting showed
# as (‘3.12, ‘3, ‘3.12.1’’’)).
nested=$(mandoc -Tutf8 "$MAN" | col -b | LC_ALL=C.UTF-8 grep -n '‘[^’]*‘')
is "man: no nested quotes when rendered" "$nested" ""
done_testing
