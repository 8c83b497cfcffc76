# t_messages.sh: terminal escapes in a .venvhook key, a directory name and a
# requirements.txt line never reach the terminal, neither in the prompt
# hook's notice nor in what freeze, check, sync and repair print when typed
# in the shell: they show as '?' on the screen, and an OSC title sequence
# among them never retitles the pane.  Interactive bash, zsh and fish in tmux.
. "$(dirname "$0")/lib.sh"

# title DESC: the pane's title is not one of the titles the fixtures hold.
title() {
	tmc "display-message -p -t $SESS '#{pane_title}'" || hung "tmux display-message failed"
	isnt "$1: the pane title is untouched" "${TMC_LINES[0]:-}" PWNED
}
# shown DESC TEXT: one line since the mark holds TEXT, and the title holds.
shown() {
	count_since "$2"
	is "$1: the line shows it with '?'" "$N" 1
	title "$1"
}

body() {
	sh_start "$SH"
	local d="$R/p"$'\e]0;PWNED\a'"x" s="$R/p?]0;PWNED?x"
	mkvenv "$d/.venv"
	printf '[env]\n%s = 1\n' $'\e]0;PWNED\a\e[2J' >"$d/.venvhook"
	sh_init
	mark
	run "cd $R/p*x"
	notices
	is "the hook: one notice" "$N" 1
	shown "the hook: a .venvhook key and a directory name" \
		"'$s/.venvhook' line 2: unknown key '?]0;PWNED??[2J'"
	local c
	for c in freeze check sync repair; do
		mark
		run "'$VH' $c"
		shown "$c: a .venvhook key and a directory name" "'$s/.venvhook' line 2: unknown key"
	done
	rm "$d/.venvhook"
	printf 'foo==1 ; platform_machine != "%s"\n' $'\e]0;PWNED\a' >"$d/requirements.txt"
	vh allow "$d/.venv" >/dev/null
	mark
	run "'$VH' check"
	shown "check: a requirements.txt line in its report" "missing: foo==1 ; platform_machine != \"?]0;PWNED?\""
	printf '%s==1\n' $'foo\e]0;PWNED\a' >"$d/requirements.txt"
	mark
	run "'$VH' sync --exact"
	shown "sync: a requirements.txt line in an error" "$s/requirements.txt:1:"
}

for_shells body
done_testing
