# t_coexist.sh: venvhook beside the tools people already have, in
# interactive shells (tmux): direnv (its hook loaded before and after
# venvhook's line; .envrc with PATH_add bin and with layout python), pyenv
# (init before and after; its shims stay behind the env's bin, also in a
# child shell), mise (activate before and after, fish too), conda's base env
# (CONDA_PREFIX and its bin on PATH), and prompts rebuilt before every prompt
# (liquidprompt, powerlevel9k) with the README's recipe.  Whatever the order,
# leaving a project leaves PATH exactly as it was.
. "$(dirname "$0")/lib.sh"

# left DESC: nothing active, PATH exactly P0.
left() {
	isvar "$1: VIRTUAL_ENV unset" VIRTUAL_ENV '<unset>'
	isvar "$1: PATH exactly as before" PATH "$P0"
}
# rc LINE...: the lines of an rc file, run before one prompt.
rc() {
	local IFS=';'
	run "$*"
}
# rc_order ORDER LINE: an rc of LINE and venvhook's line, LINE first when
# ORDER is "before".
rc_order() {
	if [[ $1 == before ]]; then
		rc "$2" "$(a_init)"
	else
		rc "$(a_init)" "$2"
	fi
}
# need PATH DESC: PATH exists (tools/deps.sh installs it), else a failure.
need() {
	[[ -e $1 ]] && return 0
	SH=- fail "$2 is missing (tools/deps.sh installs it)"
	return 1
}

# --- direnv -------------------------------------------------------------------
direnv_body() {
	local order
	for order in before after; do
		sh_start "$SH" DIRENV_LOG_FORMAT=
		mkdir -p "$R/plain" "$R/d1/bin" "$R/d1/sub" "$R/d2" "$R/d3"
		project "$R/d1" "$R/d3" "$R/p"
		echo 'PATH_add bin' >"$R/d1/.envrc"
		echo 'layout python3' >"$R/d2/.envrc"
		echo 'layout python3' >"$R/d3/.envrc"
		local pv
		pv=$(/usr/bin/python3 -c 'import platform; print(platform.python_version())')
		# The env layout python would make, made beforehand (no pip: fast).
		mkvenv "$R/d2/.direnv/python-$pv"
		mkvenv "$R/d3/.direnv/python-$pv"
		local d
		for d in d1 d2 d3; do env -i "${SENV[@]}" direnv allow "$R/$d" >/dev/null 2>&1; done
		base_path
		rc_order $order "eval \"\$(direnv hook $SH)\""
		local o="direnv $order venvhook"
		state "cd $R/d1"
		isvar "$o: PATH_add bin and a .venv: the env" VIRTUAL_ENV "$R/d1/.venv"
		isvar "$o: PATH_add bin and a .venv: the env's bin first" PATH "$R/d1/.venv/bin:$R/d1/bin:$P0"
		state "cd sub"
		isvar "$o: PATH_add bin, a subdirectory: unchanged" PATH "$R/d1/.venv/bin:$R/d1/bin:$P0"
		state "cd $R/plain"
		left "$o: PATH_add bin, leaving"
		state "cd $R/d1" "cd $R/p"
		isvar "$o: from PATH_add bin to a plain venvhook project" PATH "$R/p/.venv/bin:$P0"
		state "cd $R/d1"
		isvar "$o: and back" PATH "$R/d1/.venv/bin:$R/d1/bin:$P0"
		state "cd $R/plain" "cd $R/d2"
		isvar "$o: layout python: direnv's env" VIRTUAL_ENV "$R/d2/.direnv/python-$pv"
		isvar "$o: layout python: its bin first" PATH "$R/d2/.direnv/python-$pv/bin:$P0"
		state "cd $R/plain"
		left "$o: layout python, leaving"
		state "cd $R/d3"
		isvar "$o: layout python beside a .venv: direnv's env wins" VIRTUAL_ENV "$R/d3/.direnv/python-$pv"
		isvar "$o: layout python beside a .venv: PATH" PATH "$R/d3/.direnv/python-$pv/bin:$P0"
		state "cd $R/plain"
		left "$o: layout python beside a .venv, leaving"
		state "cd $R/d1" "cd $R/d3" "cd $R/plain"
		left "$o: through both kinds on one line"
		if [[ $SH == bash ]]; then
			# cd, pushd and popd run the hook themselves.
			run "VENVHOOK_ON_CD=1" "$(a_init)"
			look got VIRTUAL_ENV PATH -- "cd $R/d1 && got=\$PATH"
			isvar "$o, VENVHOOK_ON_CD=1: cd && cmd: the env and direnv's PATH" got \
				"$R/d1/.venv/bin:$R/d1/bin:$P0"
			isvar "$o, VENVHOOK_ON_CD=1: at the prompt" PATH "$R/d1/.venv/bin:$R/d1/bin:$P0"
			state "cd $R/p"
			isvar "$o, VENVHOOK_ON_CD=1: to a plain project" PATH "$R/p/.venv/bin:$P0"
			state "cd $R/d1" "cd $R/plain"
			left "$o, VENVHOOK_ON_CD=1: leaving"
			state "cd $R/d2" "cd $R/plain"
			left "$o, VENVHOOK_ON_CD=1: layout python, leaving"
		fi
		sh_stop
	done
}

# --- pyenv ----------------------------------------------------------------------
# Debian does not package pyenv: a stand-in whose `init -` prints what pyenv
# 2.6's does to PATH (its shims taken out, then put first), and whose shims
# run the system python3.
fake_pyenv() {
	local root=$W/pyenv
	mkdir -p "$root/bin" "$root/shims"
	printf '#!/bin/sh\nexec /usr/bin/python3 "$@"\n' >"$root/shims/python3"
	cat >"$root/bin/pyenv" <<-EOF
	#!/bin/bash
	root=$root
	[[ \$1 == init && \$2 == - ]] || exit 0
	case \$3 in
	fish)
	    echo "while set pyenv_index (contains -i -- \"\$root/shims\" \\\$PATH)"
	    echo "set -eg PATH[\\\$pyenv_index]; end; set -e pyenv_index"
	    echo "set -gx PATH '\$root/shims' \\\$PATH"
	    echo "set -gx PYENV_SHELL fish"
	    ;;
	*)
	    cat <<-'EOS'
	PATH="\$(bash --norc -ec 'IFS=:; paths=(\$PATH); for i in \${!paths[@]}; do if [[ \${paths[i]} == "''$root/shims''" ]]; then unset '\''paths[i]'\''; fi; done; echo "\${paths[*]}"')"
	EOS
	    echo "export PATH=\"\$root/shims:\\\${PATH}\""
	    echo "export PYENV_SHELL=\$3"
	    echo 'pyenv() { command pyenv "\$@"; }'
	    ;;
	esac
	EOF
	chmod 755 "$root/bin/pyenv" "$root/shims/python3"
	PYENV=$root
}
pyenv_init() {
	if [[ $SH == fish ]]; then
		echo "$PYENV/bin/pyenv init - fish | source"
	else
		echo "eval \"\$($PYENV/bin/pyenv init - $SH)\""
	fi
}

pyenv_body() {
	local order
	for order in before after; do
		sh_start "$SH"
		mkdir -p "$R/plain"
		project "$R/p" "$R/q"
		fake_pyenv
		rc_order $order "$(pyenv_init)"
		base_path
		local o="pyenv init $order venvhook"
		is "$o: the shims come first" "${P0%%:*}" "$PYENV/shims"
		case $SH in
		fish) look py -- "cd $R/p" "set -g py (command -v python3)" ;;
		*) look py -- "cd $R/p" 'py=$(command -v python3)' ;;
		esac
		isvar "$o: in a project, python3 is the env's" py "$R/p/.venv/bin/python3"
		state ""
		isvar "$o: the shims stay behind the env's bin" PATH "$R/p/.venv/bin:$P0"
		state "cd $R/q"
		isvar "$o: switching" PATH "$R/q/.venv/bin:$P0"
		state "cd $R/plain"
		left "$o: leaving"
		# A child shell whose rc runs both lines, inheriting an active env.
		state "cd $R/p"
		run "$(a_child)"
		sh_setup
		rc_order $order "$(pyenv_init)"
		state ""
		isvar "$o, child shell: the env's bin still first" PATH "$R/p/.venv/bin:$P0"
		state "cd $R/plain"
		isvar "$o, child shell: leaving" PATH "$P0"
		sh_stop
	done
}

# --- mise -------------------------------------------------------------------------
mise_body() {
	local order
	for order in before after; do
		sh_start "$SH"
		mkdir -p "$R/plain" "$R/m/bin"
		project "$R/m" "$R/p"
		printf '[env]\nMISE_SEEN = "yes"\n_.path = ["{{config_root}}/bin"]\n' >"$R/m/mise.toml"
		env -i "${SENV[@]}" mise trust "$R/m/mise.toml" >/dev/null 2>&1
		local m="eval \"\$(mise activate $SH)\""
		[[ $SH == fish ]] && m="mise activate fish | source"
		rc_order $order "$m"
		base_path
		local o="mise activate $order venvhook"
		look VIRTUAL_ENV PATH MISE_SEEN -- "cd $R/m"
		isvar "$o: mise's env" MISE_SEEN yes
		isvar "$o: the env" VIRTUAL_ENV "$R/m/.venv"
		isvar "$o: the env's bin first, then mise's path" PATH "$R/m/.venv/bin:$R/m/bin:$P0"
		state "cd $R/p"
		isvar "$o: switching to a project without mise.toml" PATH "$R/p/.venv/bin:$P0"
		state "cd $R/m" "cd $R/plain"
		left "$o: leaving"
		sh_stop
	done
}

# --- conda ----------------------------------------------------------------------
conda_body() {
	sh_start "$SH" CONDA_PREFIX="$T/conda-$SH" CONDA_DEFAULT_ENV=base CONDA_SHLVL=1 \
		"CONDA_PROMPT_MODIFIER=(base) "
	mkdir -p "$R/plain" "$T/conda-$SH/bin"
	ln -sf /usr/bin/python3 "$T/conda-$SH/bin/python3"
	project "$R/p"
	run "$(a_path_prepend "$T/conda-$SH/bin")"
	base_path
	sh_init
	case $SH in
	fish) look py CONDA_PREFIX -- "cd $R/p" "set -g py (command -v python3)" ;;
	*) look py CONDA_PREFIX -- "cd $R/p" 'py=$(command -v python3)' ;;
	esac
	isvar "conda base: in a project, python3 is the env's" py "$R/p/.venv/bin/python3"
	isvar "conda base: CONDA_PREFIX untouched" CONDA_PREFIX "$T/conda-$SH"
	state ""
	isvar "conda base: the env's bin before conda's" PATH "$R/p/.venv/bin:$P0"
	state "cd $R/plain"
	left "conda base: leaving"
}

# --- prompts rebuilt before every prompt ------------------------------------------
# recipe_check THEME RECIPE READ WANT: once the shell has started with the
# theme, without or with (RECIPE) the README's recipe, in a project: READ
# puts the line that shows the env into $line; with the recipe it matches
# the regex WANT, without it holds no (q) (the problem the recipe solves: this
# would fail if there were none); and once left, no (q) either way.
recipe_check() {
	local theme=$1 recipe=$2 read=$3 want=$4 line
	run "cd $R/q"
	$read
	if [[ $recipe == with ]]; then
		like "$theme with the recipe: (q) in the prompt" "$line" "$want"
	else
		is "$theme without the recipe: no (q) in the prompt" "${line/'(q)'/}" "$line"
	fi
	run "cd $R/plain"
	$read
	is "$theme $recipe the recipe: no (q) once left" "${line/'(q)'/}" "$line"
	sh_stop
}

# last_line: line=the prompt's line.
last_line() {
	prompt_line
	line=$PL
}

lp_body() {
	local recipe
	for recipe in without with; do
		sh_start "$SH" LP_PS1_POSTFIX='P> '
		mkdir -p "$R/plain"
		project "$R/q"
		if [[ $recipe == with ]]; then
			rc "VIRTUAL_ENV_DISABLE_PROMPT=1 LP_ENABLE_VIRTUALENV=0 LP_PS1_PREFIX='\${VIRTUAL_ENV_PROMPT-}'" \
				"$(a_init)" "source /usr/share/liquidprompt/liquidprompt"
		else
			rc "$(a_init)" "source /usr/share/liquidprompt/liquidprompt"
		fi
		recipe_check liquidprompt $recipe last_line '^\(q\) '
	done
}

# line_above: line=the line above the prompt's last line (powerlevel9k's
# segments, with its prompt on two lines).
line_above() {
	prompt_line
	tmc "display-message -p -t $SESS '#{cursor_y}'" || hung "tmux display failed"
	local y=${TMC_LINES[0]-0}
	tmc "capture-pane -p -t $SESS" || hung "tmux capture-pane failed"
	line=${TMC_LINES[y - 1]-}
}

p9k_body() {
	local recipe
	for recipe in without with; do
		sh_start "$SH"
		mkdir -p "$R/plain"
		project "$R/q"
		local set="POWERLEVEL9K_PROMPT_ON_NEWLINE=true; POWERLEVEL9K_MULTILINE_LAST_PROMPT_PREFIX='P> '"
		set+="; POWERLEVEL9K_MULTILINE_FIRST_PROMPT_PREFIX=''; POWERLEVEL9K_RIGHT_PROMPT_ELEMENTS=()"
		if [[ $recipe == with ]]; then
			rc "$set" "VIRTUAL_ENV_DISABLE_PROMPT=1" "POWERLEVEL9K_LEFT_PROMPT_ELEMENTS=(custom_venv dir)" \
				"POWERLEVEL9K_CUSTOM_VENV='print -rn -- \${VIRTUAL_ENV_PROMPT//\\%/%%}'" \
				"$(a_init)" "source /usr/share/powerlevel9k/powerlevel9k.zsh-theme"
		else
			rc "$set" "POWERLEVEL9K_LEFT_PROMPT_ELEMENTS=(dir)" \
				"$(a_init)" "source /usr/share/powerlevel9k/powerlevel9k.zsh-theme"
		fi
		recipe_check powerlevel9k $recipe line_above '\(q\)'
	done
}

need /usr/bin/direnv direnv && for_shells direnv_body bash zsh
for_shells pyenv_body
need "$(command -v mise || echo /usr/bin/mise)" mise && for_shells mise_body
for_shells conda_body
need /usr/share/liquidprompt/liquidprompt liquidprompt && for_shells lp_body bash
need /usr/share/powerlevel9k/powerlevel9k.zsh-theme zsh-theme-powerlevel9k && for_shells p9k_body zsh
done_testing
