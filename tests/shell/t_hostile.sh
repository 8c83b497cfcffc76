# t_hostile.sh: project directories with hostile names, in interactive bash,
# zsh and fish (tmux): quotes, $(...), backticks, %, backslashes, newlines,
# control and non-UTF-8 bytes.  Nothing may run (a name whose $(touch FILE)
# ran would leave FILE behind), VIRTUAL_ENV must round-trip byte-exactly, and
# the prompt must show the name as it is, with no expansion.
. "$(dirname "$0")/lib.sh"

# NAMES[i]: a project directory name; SHOWN[i]: how the prompt line must read
# ('' when the terminal cannot show it exactly, e.g. invalid UTF-8).
NAMES=(
	"it's \"quoted\""
	'$(touch pwned1)'
	'`touch pwned2`'
	'%n%~%#%F{red}%%x%{%}'
	'\u\w\$ \\ \[x\] \e[1m'
	'${PATH}$HOME;x&y|z<w>!!'
	$'a\\\'";touch pwned3;#'
	'(touch pwned4){a,b}*?~'
	$'\xff\xfe\x80lat\xe9'
	'café 日本 😀'
	$'tab\there\rcr\e[31mesc\x7f'
	'-n'
	$'\xef\x98\x80\xef\x9b\xbf fish-pua'
	'$__venvhook_bin'
)
SHOWN=(
	"(it's \"quoted\") P>"
	'($(touch pwned1)) P>'
	'(`touch pwned2`) P>'
	'(%n%~%#%F{red}%%x%{%}) P>'
	'(\u\w\$ \\ \[x\] \e[1m) P>'
	'(${PATH}$HOME;x&y|z<w>!!) P>'
	$'(a\\\'";touch pwned3;#) P>'
	'((touch pwned4){a,b}*?~) P>'
	''
	'(café 日本 😀) P>'
	'(tab?here?cr?[31mesc?) P>'
	'(-n) P>'
	''
	'($__venvhook_bin) P>'
)
# The name as VIRTUAL_ENV_PROMPT carries it: control bytes shown as '?'.
printable() { LC_ALL=C sed 's/[[:cntrl:]]/?/g' <<<"$1"; }

body() {
	sh_start "$SH"
	mkdir -p "$R/plain"
	local i n
	for i in "${!NAMES[@]}"; do
		n=$(printf '%02d' "$i")
		project "$R/h/$n/${NAMES[i]}"
	done
	# A name with a newline: never activated (PATH cannot carry it); one line.
	mkvenv "$R/nl/"$'x\n$(touch pwned5)`touch pwned6`/.venv'
	# Hostile prompt names from .venvhook and from pyvenv.cfg.
	local vhp='$(touch pwned7) %n%~ \u\w ${HOME} `touch pwned8` '\''"'
	mkdir -p "$R/vhp"
	printf '[env]\nprompt = %s\n' "$vhp" >"$R/vhp/.venvhook"
	project "$R/vhp"
	local cfgp='$(touch pwned9) %n \u `touch pwned10` '\''"\'
	mkdir -p "$R/cfgp"
	mkvenv_real --prompt "$cfgp" "$R/cfgp/.venv" && allow "$R/cfgp"
	# A missing env whose name would run code.
	mkdir -p "$R/miss"
	printf '/nonexistent/$(touch pwned11)`touch pwned12`\n' >"$R/miss/.venv"

	look PATH -- "cd $R/plain"
	get PATH
	P0=$V
	sh_init

	local name want d
	for i in "${!NAMES[@]}"; do
		n=$(printf '%02d' "$i")
		name=${NAMES[i]}
		d="$R/h/$n/$name"
		look VIRTUAL_ENV VIRTUAL_ENV_PROMPT PATH -- "cd $R/h/$n/*"
		isvar "hostile name $n: VIRTUAL_ENV round-trips" VIRTUAL_ENV "$d/.venv"
		isvar "hostile name $n: PATH" PATH "$d/.venv/bin:$P0"
		want=$(printable "$name")
		isvar "hostile name $n: VIRTUAL_ENV_PROMPT" VIRTUAL_ENV_PROMPT "($want) "
		[[ -n ${SHOWN[i]} ]] && isprompt "hostile name $n: the prompt shows it as it is" "${SHOWN[i]}"
		look VIRTUAL_ENV PATH -- "cd $R/plain"
		isvar "hostile name $n: leaving" VIRTUAL_ENV '<unset>'
		isvar "hostile name $n: leaving restores PATH" PATH "$P0"
		isprompt "hostile name $n: leaving restores the prompt" "P>"
	done

	mark
	look VIRTUAL_ENV PATH -- "cd $R/nl/x*" ""
	isvar "name with a newline: not activated" VIRTUAL_ENV '<unset>'
	notices
	is "name with a newline: one line" "$N" 1

	look VIRTUAL_ENV VIRTUAL_ENV_PROMPT -- "cd $R/vhp"
	isvar "hostile .venvhook prompt: active" VIRTUAL_ENV "$R/vhp/.venv"
	isvar "hostile .venvhook prompt: VIRTUAL_ENV_PROMPT" VIRTUAL_ENV_PROMPT "($vhp) "
	isprompt "hostile .venvhook prompt: shown as it is" "($vhp) P>"
	look VIRTUAL_ENV VIRTUAL_ENV_PROMPT -- "cd $R/cfgp"
	isvar "hostile pyvenv.cfg prompt: active" VIRTUAL_ENV "$R/cfgp/.venv"
	isvar "hostile pyvenv.cfg prompt: VIRTUAL_ENV_PROMPT" VIRTUAL_ENV_PROMPT "($cfgp) "
	isprompt "hostile pyvenv.cfg prompt: shown as it is" "($cfgp) P>"

	mark
	look VIRTUAL_ENV -- "cd $R/miss" ""
	notices
	is "hostile missing env name: one line" "$N" 1
	count_since '/nonexistent/$(touch pwned11)`touch pwned12`'
	is "hostile missing env name: shown as it is" "$N" 1
	run "cd $R/plain"

	if [[ $SH == bash ]]; then
		run "shopt -u promptvars"
		for i in 1 4 5; do
			n=$(printf '%02d' "$i")
			run "cd $R/h/$n/*"
			isprompt "shopt -u promptvars: hostile name $n shown as it is" "${SHOWN[i]}"
			run "cd $R/plain"
			isprompt "shopt -u promptvars: hostile name $n: leaving restores the prompt" "P>"
		done
		run "shopt -s promptvars"
	fi

	local pwned
	pwned=$(cd "$W" && find . -name 'pwned*' | head -n 3)
	is "nothing ran: no pwned* file anywhere" "$pwned" ""
}

for_shells body
done_testing
