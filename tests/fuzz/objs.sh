#!/bin/sh
# tests/fuzz/objs.sh HARNESS.c... -- SOURCE.c...: the SOURCEs the harnesses
# need, one a line: each SOURCE NAME.c whose header NAME.h a harness
# includes, then those that these sources and headers include, and so on.
# make fuzz compiles only these (a third of the tree: the harnesses link the
# same objects as from an archive of every one).  A source that none of
# these headers leads to would show as an undefined reference when a
# harness links.
set -u
todo=
while [ $# -gt 0 ] && [ "$1" != -- ]; do todo="$todo $1"; shift; done
[ $# -gt 0 ] && shift
srcs=" $* "
seen=" "
while [ -n "${todo# }" ]; do
	set -- $todo
	f=$1
	shift
	todo=" $*"
	case $seen in *" $f "*) continue ;; esac
	seen="$seen$f "
	[ -f "$f" ] || continue
	for h in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)\.h".*/\1/p' "$f"); do
		# The header itself (its includes count too), and its source.
		for d in src src/*; do
			[ -f "$d/$h.h" ] && todo="$todo $d/$h.h"
		done
		for s in $srcs; do
			case $s in */"$h".c) todo="$todo $s" ;; esac
		done
	done
done
for f in $seen; do
	case $srcs in *" $f "*) echo "$f" ;; esac
done
