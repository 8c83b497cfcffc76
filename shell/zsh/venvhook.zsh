# venvhook: zsh integration.  Load it from ~/.zshrc with
#     eval "$(venvhook init zsh)"
# Every name here starts with __venvhook_ (shell-local) or __VENVHOOK_
# (exported, so that a child shell knows what its parent activated).

# --- state ------------------------------------------------------------------
typeset -g __venvhook_bin=@VENVHOOK@
typeset -g __venvhook_key=
typeset -g __venvhook_applied="${__venvhook_applied-}" __venvhook_off="${__venvhook_off-}"
typeset -g __venvhook_notified="${__venvhook_notified-}" __venvhook_warned="${__venvhook_warned-}"
typeset -g __venvhook_confnote="${__venvhook_confnote-}"
typeset -g __venvhook_promptsubst=
__venvhook_unchanged() { return 1; }

# --- activation -------------------------------------------------------------
# __venvhook_activate ENV PROMPT_VAR PROMPT_PREFIX PROJECT: what ENV/bin/activate does.
__venvhook_activate() {
    emulate -L zsh
    if (( ${+PYTHONHOME} )); then
        typeset -gx __VENVHOOK_PYTHONHOME="x$PYTHONHOME"
        unset PYTHONHOME
    fi
    if [[ -n $PATH ]]; then PATH=$1/bin:$PATH; else PATH=$1/bin; fi
    typeset -gx VIRTUAL_ENV="$1" VIRTUAL_ENV_PROMPT="$2" __VENVHOOK_ENV="$1"
    __venvhook_adopt "$3" "$4"
}

# __venvhook_adopt PROMPT_PREFIX PROJECT: the prompt and the deactivate
# function, for an env activated here or inherited from a parent shell.
__venvhook_adopt() {
    emulate -L zsh
    typeset -g __venvhook_applied=$VIRTUAL_ENV __venvhook_project=$2
    deactivate() {
        [[ ${1-} == nondestructive ]] || typeset -g __venvhook_off=${__venvhook_project-}
        __venvhook_deactivate "$@"
    }
    if [[ -z ${VIRTUAL_ENV_DISABLE_PROMPT-} ]]; then
        typeset -g __venvhook_ps1=${1//\%/%%}
        if [[ $__venvhook_promptsubst == on ]]; then
            typeset -g __venvhook_ps1_prefix='${__venvhook_ps1-}'
        else
            typeset -g __venvhook_ps1_prefix=$__venvhook_ps1
        fi
        [[ ${PS1-} == ${(b)__venvhook_ps1_prefix}* ]] || PS1=$__venvhook_ps1_prefix${PS1-}
    fi
    rehash
}

# --- deactivation -----------------------------------------------------------
# __venvhook_deactivate [nondestructive]: the exact undo.  Only the PATH entry
# venvhook added goes, so PATH edits made meanwhile survive.
__venvhook_deactivate() {
    emulate -L zsh
    if [[ -n ${__VENVHOOK_ENV-} ]]; then
        local -i i=${path[(ie)$__VENVHOOK_ENV/bin]}
        (( i <= $#path )) && path[i]=()
    fi
    if (( ${+__VENVHOOK_PYTHONHOME} )); then
        typeset -gx PYTHONHOME="${__VENVHOOK_PYTHONHOME#x}"
    fi
    __venvhook_forget
    unset VIRTUAL_ENV VIRTUAL_ENV_PROMPT
    [[ ${1-} == nondestructive ]] || unfunction deactivate 2>/dev/null
    rehash
    return 0
}

# __venvhook_forget: drop venvhook's own state and prompt prefix.
__venvhook_forget() {
    emulate -L zsh
    if [[ -n ${__venvhook_ps1_prefix-} && ${PS1-} == ${(b)__venvhook_ps1_prefix}* ]]; then
        PS1=${PS1#${(b)__venvhook_ps1_prefix}}
    fi
    unset __VENVHOOK_ENV __VENVHOOK_PYTHONHOME __venvhook_ps1 __venvhook_ps1_prefix
    typeset -g __venvhook_applied=
}

# --- hook -------------------------------------------------------------------
# Runs before every prompt and on every cd.  The helper starts only when $PWD,
# the active env or a path the last walk looked at changed.  VENVHOOK_DISABLE=1
# turns it off.
__venvhook_hook() {
    local s=$?
    if [[ -n ${VENVHOOK_DISABLE-} && $VENVHOOK_DISABLE != 0 ]]; then
        typeset -g __venvhook_key=
        return s
    fi
    __venvhook_promptsubst=${options[promptsubst]-off}
    emulate -L zsh
    if [[ "$PWD"$'\n'"${VIRTUAL_ENV-}"$'\n'"${__VENVHOOK_ENV-}" != "$__venvhook_key" ]] ||
        ! __venvhook_unchanged; then
        __venvhook_run
    fi
    return s
}

__venvhook_run() {
    local out
    if [[ -x $__venvhook_bin ]] && out=$(__VENVHOOK_SHELL=zsh command "$__venvhook_bin" hook zsh \
        "$__venvhook_applied" "$__venvhook_off" "$__venvhook_notified" "$__venvhook_confnote"); then
        eval "$out"
    else
        if [[ -z $__venvhook_warned ]]; then
            print -ru2 -- "venvhook: the prompt hook failed; is $__venvhook_bin still installed?"
            typeset -g __venvhook_warned=1
        fi
        __venvhook_unchanged() { return 0; }
    fi
    typeset -g __venvhook_key="$PWD"$'\n'"${VIRTUAL_ENV-}"$'\n'"${__VENVHOOK_ENV-}"
}

# --- command ----------------------------------------------------------------
# venvhook itself, so that allow, deny, create and rm show at the next prompt.
venvhook() {
    __VENVHOOK_SHELL=zsh __VENVHOOK_OFF=$__venvhook_off command "$__venvhook_bin" "$@"
    local s=$?
    typeset -g __venvhook_key=
    return s
}

# --- registration -----------------------------------------------------------
typeset -ga precmd_functions chpwd_functions
(( ${precmd_functions[(Ie)__venvhook_hook]} )) || precmd_functions=(__venvhook_hook $precmd_functions)
(( ${chpwd_functions[(Ie)__venvhook_hook]} )) || chpwd_functions=(__venvhook_hook $chpwd_functions)
