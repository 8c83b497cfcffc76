# t_deep.sh: a directory 1,000 levels deep in a project.  Entering it
# activates, a marker made in it or taken away is seen at the next prompt,
# leaving deactivates, and the watch the hook leaves stays kilobytes, not the
# megabytes every candidate path up to / would make.  Interactive bash, zsh
# and fish in tmux.
. "$(dirname "$0")/lib.sh"

DEPTH=1000

body() {
	sh_start "$SH"
	sh_init
	project "$R/proj" "$R/other"
	mkdir -p "$R/plain"
	local rel d
	rel=$(printf 'd/%.0s' $(seq "$DEPTH"))
	d=$R/proj/${rel%/}
	mkdir -p "$d"
	look PATH -- "cd $R/plain"
	get PATH
	P0=$V
	run "$(a_set D "$d")"
	look VIRTUAL_ENV PATH -- 'cd $D'
	isvar "$DEPTH levels deep: the project's env is active" VIRTUAL_ENV "$R/proj/.venv"
	isvar "$DEPTH levels deep: PATH" PATH "$R/proj/.venv/bin:$P0"
	printf '%s\n' "$R/other/.venv" >"$d/.venv"
	look VIRTUAL_ENV -- 'true'
	isvar "a .venv file made here is seen at the next prompt" VIRTUAL_ENV "$R/other/.venv"
	rm "$d/.venv"
	look VIRTUAL_ENV -- 'true'
	isvar "... and its removal too" VIRTUAL_ENV "$R/proj/.venv"
	look VIRTUAL_ENV PATH -- "cd $R/plain"
	isvar "leaving: nothing active" VIRTUAL_ENV '<unset>'
	isvar "leaving: PATH restored" PATH "$P0"
	local out
	out=$(cd "$d" && env -i "${SENV[@]}" PWD="$d" __VENVHOOK_SHELL="$SH" "$VH" hook "$SH")
	ok "the hook's output there is bounded (${#out} bytes)" test "${#out}" -lt 20000
}

for_shells body
done_testing
