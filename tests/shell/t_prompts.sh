# t_prompts.sh: venvhook under the prompt themes Debian ships, as the README's
# Prompts section says: liquidprompt (bash) shows the pyvenv.cfg prompt, else
# the env directory's name; powerlevel9k (zsh, its virtualenv segment) shows
# the env directory's name.  Both rebuild the prompt on every command, so
# venvhook's own "(name) " never doubles the name; leaving the project takes
# the name away.
. "$(dirname "$0")/lib.sh"
LP=/usr/share/liquidprompt/liquidprompt
P9K=/usr/share/powerlevel9k/powerlevel9k.zsh-theme
for f in "$LP" "$P9K"; do
	[[ -r $f ]] || { echo "Bail out! $f is missing (make deps installs it)"; exit 1; }
done

# shows DESC TEXT [ABSENT]: the prompt drawn after the last command holds
# TEXT and not ABSENT.  Waits up to 10 s for the prompt to be drawn.
shows() {
	local t0=$SECONDS y line
	while :; do
		tmc "display-message -p -t $SESS '#{cursor_y}'" || hung "tmux display failed"
		y=${TMC_LINES[0]-0}
		tmc "capture-pane -p -t $SESS" || hung "tmux capture-pane failed"
		line=${TMC_LINES[y]-}
		[[ $line == *"$2"* && ( -z ${3-} || $line != *"$3"* ) ]] && break
		((SECONDS - t0 >= 10)) && break
		nap 0.01
	done
	if [[ $line == *"$2"* && ( -z ${3-} || $line != *"$3"* ) ]]; then
		pass "$1"
	else
		fail "$1" "the prompt line: $line" "want: '$2'${3:+, without '$3'}"
	fi
}
# lacks DESC TEXT: the prompt drawn after the last command, once it shows
# the current directory $R (not a directory below it), does not hold TEXT.
lacks() {
	local t0=$SECONDS y line re="$R([^/]|\$)"
	while :; do
		tmc "display-message -p -t $SESS '#{cursor_y}'" || hung "tmux display failed"
		y=${TMC_LINES[0]-0}
		tmc "capture-pane -p -t $SESS" || hung "tmux capture-pane failed"
		line=${TMC_LINES[y]-}
		[[ $line =~ $re ]] && break
		((SECONDS - t0 >= 10)) && break
		nap 0.01
	done
	[[ $line =~ $re && $line != *"$2"* ]] && pass "$1" || fail "$1" "the prompt line: $line"
}

fixtures() {
	mkvenv "$R/app/.venv"
	printf "prompt = 'api'\n" >>"$R/app/.venv/pyvenv.cfg"
	mkvenv "$R/plain/.venv"
	mkvenv "$H/.virtualenvs/webapp"
	mkdir -p "$R/named"
	echo webapp >"$R/named/.venv"
	allow "$R/app" "$R/plain" "$R/named"
}

t_liquidprompt() {
	sh_start bash
	fixtures
	run "LP_ENABLE_RUNTIME=0 LP_ENABLE_TIME=0; source $LP"
	sh_init
	run "cd $R/app"
	shows "liquidprompt shows pyvenv.cfg's prompt, once" "[api]" "(api)"
	run "cd $R/plain"
	shows "else the env directory's name" "[.venv]" "(plain)"
	run "cd $R/named"
	shows "a .venv file naming ~/.virtualenvs/webapp shows webapp" "[webapp]"
	run "cd $R"
	lacks "leaving takes the name away" "webapp"
}

t_powerlevel9k() {
	sh_start zsh
	fixtures
	run "POWERLEVEL9K_LEFT_PROMPT_ELEMENTS=(virtualenv dir); POWERLEVEL9K_RIGHT_PROMPT_ELEMENTS=()" \
		"source $P9K"
	sh_init
	run "cd $R/app"
	shows "powerlevel9k's virtualenv segment shows the env directory's name" ".venv" "(api)"
	run "cd $R/named"
	shows "a .venv file naming ~/.virtualenvs/webapp shows webapp" "webapp" "(webapp)"
	run "cd $R"
	lacks "leaving takes the name away" "webapp"
}

for_shells t_liquidprompt bash
for_shells t_powerlevel9k zsh
done_testing
