#!/bin/bash
# venvhook list --names: what the completions offer where a command takes an
# env: the registry's envs, most recently used first, one a line.
. "$(dirname "$0")/lib.sh"

out=$("$VH" list --names 2>&1)
is "no registry yet: no names, no message" "$out:$?" ":0"
mkvenv "$T/p/old/.venv"
mkvenv "$T/p/new/.venv"
nl=$'\n'
mkvenv "$T/p/bad${nl}name/.venv"
rlo=$'\u202e'
mkvenv "$T/p/rev${rlo}exe.txt/.venv"
"$VH" allow "$T/p/old" >/dev/null
"$VH" allow "$T/p/new" >/dev/null
# allow refuses a path PATH cannot carry, but --scan records it.
"$VH" list --scan "$T/p" >/dev/null 2>&1
is "the scan recorded four envs" "$("$VH" list --json | grep -o '"env":' | wc -l)" 4
# The hook records a use; "new" was used, "old" never.
(cd "$T/p/new" && "$VH" hook bash >/dev/null 2>&1)
out=$("$VH" list --names)
is "the registry's envs, the last used first, one a line, none with a newline or a U+202E" "$out" "$T/p/new/.venv
$T/p/old/.venv"
is "with --names, list takes nothing else" "$("$VH" list --names --json >/dev/null 2>&1; echo $?)" 2
done_testing
