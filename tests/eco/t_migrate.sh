#!/bin/bash
# Coming from another tool, as its users would, without touching a project:
# pyenv-virtualenv (.python-version naming an env), zsh-autoswitch-virtualenv
# (.venv files naming envs in $AUTOSWITCH_VIRTUAL_ENV_DIR or $WORKON_HOME),
# virtualenvwrapper (envs in $WORKON_HOME, .project files).  Each project is
# allowed once, then entered in a real bash with the integration loaded.
. "$(dirname "$0")/lib.sh"

# in_bash DIR: VIRTUAL_ENV after cd DIR in an interactive bash with the
# integration (one prompt: PROMPT_COMMAND runs the hook).
in_bash() {
	printf 'eval "$(%q init bash)"\ncd %q\n__venvhook_hook\nprintf "%%s\\n" "${VIRTUAL_ENV-unset}"\n' \
		"$VH" "$1" | bash --norc --noprofile 2>/dev/null
}
# prefix DIR: python's sys.prefix through venvhook exec in DIR.
prefix() { (cd "$1" && "$VH" exec python -c 'import sys; print(sys.prefix)' 2>&1); }

# --- pyenv-virtualenv --------------------------------------------------------------
# Its layout: `pyenv virtualenv 3.11 myenv` makes versions/3.11/envs/myenv and
# a link versions/myenv; `pyenv local myenv` writes .python-version.
export PYENV_ROOT=$T/pyenv
mkdir -p "$PYENV_ROOT/versions/3.11/bin" "$PYENV_ROOT/versions/3.11/envs"
mkvenv_real "$PYENV_ROOT/versions/3.11/envs/myenv"
ln -s 3.11/envs/myenv "$PYENV_ROOT/versions/myenv"
PV=$T/pyenv-proj
mkdir -p "$PV/src"
echo myenv >"$PV/.python-version"
is "pyenv-virtualenv: not activated before it is allowed" "$(in_bash "$PV/src")" unset
out=$(cd "$PV" && "$VH" allow 2>&1)
is "pyenv-virtualenv: venvhook allow in the project" "$out" \
	"allowed '$PYENV_ROOT/versions/3.11/envs/myenv'"
# The real path, the one that was judged (versions/myenv is a link).
is "pyenv-virtualenv: cd activates the env .python-version names" "$(in_bash "$PV/src")" \
	"$PYENV_ROOT/versions/3.11/envs/myenv"
is "pyenv-virtualenv: venvhook exec runs its python" "$(prefix "$PV/src")" \
	"$PYENV_ROOT/versions/3.11/envs/myenv"
got=$(cd "$PV" && "$VH" status | grep '^marker')
is "pyenv-virtualenv: status names the marker" "$got" \
	"marker    $PV/.python-version (a .python-version naming a pyenv-virtualenv env)"
# The long form pyenv also accepts.
PV2=$T/pyenv-proj2
mkdir -p "$PV2"
echo 3.11/envs/myenv >"$PV2/.python-version"
"$VH" allow "$PV2" >/dev/null 2>&1
is "pyenv-virtualenv: VERSION/envs/NAME works too" "$(in_bash "$PV2")" \
	"$PYENV_ROOT/versions/3.11/envs/myenv"
# A plain version is no marker: the walk goes on to the .venv above.
mkvenv "$T/outer/.venv"
mkdir -p "$T/outer/inner"
echo 3.11 >"$T/outer/inner/.python-version"
"$VH" allow "$T/outer" >/dev/null
is "pyenv: a plain version is no marker" "$(in_bash "$T/outer/inner")" "$T/outer/.venv"
echo ../../../outer/.venv >"$T/outer/inner/.python-version"
is "pyenv: a name leaving versions/ is no marker" "$(in_bash "$T/outer/inner")" "$T/outer/.venv"
unset PYENV_ROOT

# --- zsh-autoswitch-virtualenv -----------------------------------------------------
# `mkvenv` there makes $AUTOSWITCH_VIRTUAL_ENV_DIR/NAME and a .venv file holding NAME.
# as_project DIR ENV: the env ENV (made), and the project DIR whose .venv
# names it so, allowed.
as_project() {
	mkvenv_real "$2"
	mkdir -p "$1"
	basename "$2" >"$1/.venv"
	chmod 600 "$1/.venv"
	(cd "$1" && "$VH" allow >/dev/null 2>&1)
}
export AUTOSWITCH_VIRTUAL_ENV_DIR=$T/autoswitch
AS=$T/as-proj
as_project "$AS" "$AUTOSWITCH_VIRTUAL_ENV_DIR/asproj"
mkdir -p "$AS/pkg"
is "autoswitch: a .venv naming an env in \$AUTOSWITCH_VIRTUAL_ENV_DIR" "$(in_bash "$AS/pkg")" \
	"$AUTOSWITCH_VIRTUAL_ENV_DIR/asproj"
is "autoswitch: venvhook exec" "$(prefix "$AS")" "$AUTOSWITCH_VIRTUAL_ENV_DIR/asproj"
unset AUTOSWITCH_VIRTUAL_ENV_DIR
# Older versions (and virtualenvwrapper users): envs in $WORKON_HOME.
export WORKON_HOME=$T/workon
WP=$T/w-proj
as_project "$WP" "$WORKON_HOME/wproj"
is "autoswitch: a .venv naming an env in \$WORKON_HOME" "$(in_bash "$WP")" "$WORKON_HOME/wproj"
# The default place of both, ~/.virtualenvs.
unset WORKON_HOME
HP=$T/h-proj
as_project "$HP" "$HOME/.virtualenvs/hproj"
is "autoswitch: a .venv naming an env in ~/.virtualenvs" "$(in_bash "$HP")" "$HOME/.virtualenvs/hproj"

# --- virtualenvwrapper -------------------------------------------------------------
# mkproject / setvirtualenvproject write the project's path into ENV/.project.
export WORKON_HOME=$T/wrapper
mkvenv_real "$WORKON_HOME/wrapped"
VW=$T/vw-proj
mkdir -p "$VW/deep/er"
printf '%s\n' "$VW" >"$WORKON_HOME/wrapped/.project"
is "virtualenvwrapper: not activated before it is allowed" "$(in_bash "$VW")" unset
(cd "$VW" && "$VH" allow >/dev/null 2>&1)
is "virtualenvwrapper: the project a .project names activates its env" \
	"$(in_bash "$VW/deep/er")" "$WORKON_HOME/wrapped"
is "virtualenvwrapper: venvhook exec" "$(prefix "$VW")" "$WORKON_HOME/wrapped"
is "virtualenvwrapper: nothing outside the project" "$(in_bash "$T")" unset
got=$(cd "$VW" && "$VH" status | grep '^marker')
is "virtualenvwrapper: status names the .project" "$got" \
	"marker    $WORKON_HOME/wrapped/.project (a virtualenvwrapper env's .project naming this directory)"
# A .venv in the project wins over the .project.
mkvenv "$VW/.venv"
"$VH" allow "$VW" >/dev/null 2>&1
is "virtualenvwrapper: a .venv in the project comes first" "$(in_bash "$VW")" "$VW/.venv"
unset WORKON_HOME

done_testing
