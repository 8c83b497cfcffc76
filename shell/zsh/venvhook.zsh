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
__venvhook_same() { :; }

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
    typeset -g __venvhook_applied=$2 __venvhook_project=$2
    # A login shell's profile may have rebuilt PATH without the env.
    (( ${path[(Ie)$VIRTUAL_ENV/bin]} )) || path=($VIRTUAL_ENV/bin $path)
    # The variables venv's own deactivate reads: an activate script sourced
    # over this env calls that deactivate first, which then undoes ours.
    local -a old=($path)
    local -i i=${old[(ie)$VIRTUAL_ENV/bin]}
    (( i <= $#old )) && old[i]=()
    typeset -g _OLD_VIRTUAL_PATH=${(j.:.)old}
    if (( ${+__VENVHOOK_PYTHONHOME} )); then
        typeset -g _OLD_VIRTUAL_PYTHONHOME=${__VENVHOOK_PYTHONHOME#x}
    fi
    deactivate() {
        [[ ${1-} == nondestructive ]] || typeset -g __venvhook_off=${__venvhook_project-}
        __venvhook_deactivate "$@"
    }
    if [[ -z ${VIRTUAL_ENV_DISABLE_PROMPT-} ]]; then
        typeset -g __venvhook_ps1=${1//\%/%%}
        __venvhook_ps1_text
        [[ ${PS1-} == "$__venvhook_ps1_prefix"* ]] || PS1=$__venvhook_ps1_prefix${PS1-}
        typeset -g _OLD_VIRTUAL_PS1=${PS1#"$__venvhook_ps1_prefix"}
    fi
    rehash
}

# __venvhook_ps1_text: in __venvhook_ps1_prefix, the PS1 text that shows
# __venvhook_ps1 under the prompt_subst setting in __venvhook_promptsubst:
# with it, a reference to the variable; without it, the text itself, where
# each '\' and '$' is followed by an empty %{%}, so that it escapes nothing
# and starts no expansion if prompt_subst is turned on later.  A '`' cannot
# be made safe that way: __venvhook_reprompt writes the text again at the
# next precmd.
__venvhook_ps1_text() {
    emulate -L zsh
    if [[ $__venvhook_promptsubst == on ]]; then
        typeset -g __venvhook_ps1_prefix='${__venvhook_ps1-}'
    else
        local t=$__venvhook_ps1 bs='\%{%}' dollar='$%{%}'
        t=${t//\\/$bs}
        typeset -g __venvhook_ps1_prefix=${t//\$/$dollar}
    fi
}

# __venvhook_reprompt: prompt_subst was turned on or off since the prefix
# was written: write it again for the setting in __venvhook_promptsubst.
__venvhook_reprompt() {
    emulate -L zsh
    local old=$__venvhook_ps1_prefix
    __venvhook_ps1_text
    [[ ${PS1-} == *"$old"* ]] && PS1=${PS1/"$old"/$__venvhook_ps1_prefix}
    (( ${+_OLD_VIRTUAL_PS1} )) && typeset -g _OLD_VIRTUAL_PS1=${PS1#"$__venvhook_ps1_prefix"}
    return 0
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
    unset VIRTUAL_ENV VIRTUAL_ENV_PROMPT _OLD_VIRTUAL_PATH _OLD_VIRTUAL_PYTHONHOME _OLD_VIRTUAL_PS1
    [[ ${1-} == nondestructive ]] || unfunction deactivate 2>/dev/null
    rehash
    return 0
}

# __venvhook_forget: drop venvhook's own state and prompt prefix.
__venvhook_forget() {
    emulate -L zsh
    if [[ -n ${__venvhook_ps1_prefix-} && ${PS1-} == "$__venvhook_ps1_prefix"* ]]; then
        PS1=${PS1#"$__venvhook_ps1_prefix"}
    fi
    unset __VENVHOOK_ENV __VENVHOOK_PYTHONHOME __venvhook_ps1 __venvhook_ps1_prefix
    typeset -g __venvhook_applied=
}

# __venvhook_disown: VIRTUAL_ENV was unset or changed behind venvhook's back
# (not by a deactivate): take venvhook's PATH entry back out, also from the
# PATH a later deactivate would restore, and drop its state.
__venvhook_disown() {
    emulate -L zsh
    local bin=$__VENVHOOK_ENV/bin
    local -i i=${path[(ie)$bin]}
    (( i <= $#path )) && path[i]=()
    if (( ${+_OLD_VIRTUAL_PATH} )); then
        local -a old=("${(@s.:.)_OLD_VIRTUAL_PATH}")
        i=${old[(ie)$bin]}
        (( i <= $#old )) && old[i]=()
        typeset -g _OLD_VIRTUAL_PATH=${(j.:.)old}
    fi
    if [[ -z ${VIRTUAL_ENV-} ]]; then
        if (( ${+__VENVHOOK_PYTHONHOME} )); then
            typeset -gx PYTHONHOME="${__VENVHOOK_PYTHONHOME#x}"
        fi
        unset VIRTUAL_ENV_PROMPT _OLD_VIRTUAL_PATH _OLD_VIRTUAL_PYTHONHOME _OLD_VIRTUAL_PS1
    fi
    __venvhook_forget
    rehash
}

# __venvhook_orphan: an env activated by hand in a parent shell has no
# deactivate here; give it one that undoes what activate did to this shell.
__venvhook_orphan() {
    (( $+functions[deactivate] )) && return 0
    deactivate() {
        emulate -L zsh
        local -i i=${path[(ie)${VIRTUAL_ENV-}/bin]}
        (( i <= $#path )) && path[i]=()
        unset VIRTUAL_ENV VIRTUAL_ENV_PROMPT
        [[ ${1-} == nondestructive ]] || unfunction deactivate
        rehash
        return 0
    }
}

# --- hook -------------------------------------------------------------------
# Runs before every prompt, and on a cd made by a key binding.  The helper
# starts only when $PWD, the active env or a path the last walk looked at
# changed.  VENVHOOK_DISABLE=1 turns it off.
__venvhook_hook() {
    local s=$?
    # The prompt is expanded with the user's options: turned on or off since
    # the prefix was written, prompt_subst gets the prefix written again.
    if [[ -n ${__venvhook_ps1_prefix-} &&
        ${options[promptsubst]-off} != "$__venvhook_promptsubst" ]]; then
        __venvhook_promptsubst=${options[promptsubst]-off}
        __venvhook_reprompt
    fi
    if [[ -n ${VENVHOOK_DISABLE-} && $VENVHOOK_DISABLE != 0 ]]; then
        typeset -g __venvhook_key=
        return $s
    fi
    if [[ "$PWD"$'\n'"${VIRTUAL_ENV-}"$'\n'"${__VENVHOOK_ENV-}" != "$__venvhook_key" ]] ||
        ! __venvhook_unchanged; then
        # Read before emulate -L resets it: the prompt is expanded with the user's options.
        __venvhook_promptsubst=${options[promptsubst]-off}
        __venvhook_run
    fi
    return $s
}

__venvhook_run() {
    emulate -L zsh
    local out
    local -i rc=0
    if [[ ! -x $__venvhook_bin ]]; then
        rc=127
    elif out=$(__VENVHOOK_SHELL=zsh command "$__venvhook_bin" hook zsh \
        "$__venvhook_applied" "$__venvhook_off" "$__venvhook_notified" "$__venvhook_confnote"); then
        eval "$out"
    else
        rc=$?
    fi
    if (( rc != 0 )); then
        # The helper says why itself, unless it could not run or died.
        if (( rc >= 126 )) && [[ -z $__venvhook_warned ]]; then
            print -ru2 -- "venvhook: the prompt hook cannot run $__venvhook_bin (status $rc)"
            typeset -g __venvhook_warned=1
        fi
        __venvhook_failsafe
        typeset -g __venvhook_key=     # tried again at the next prompt
        return
    fi
    typeset -g __venvhook_key="$PWD"$'\n'"${VIRTUAL_ENV-}"$'\n'"${__VENVHOOK_ENV-}"
}

# __venvhook_failsafe: the helper cannot run, so nothing can be judged:
# venvhook's env goes off when $PWD left its project or the env is no longer
# the one that was judged (__venvhook_same), all in the shell itself.
__venvhook_failsafe() {
    emulate -L zsh
    [[ -n ${__VENVHOOK_ENV-} ]] || return 0
    if [[ ${VIRTUAL_ENV-} != "$__VENVHOOK_ENV" ]]; then
        __venvhook_disown
    elif [[ -z ${__venvhook_project-} ||
        ( $PWD != "$__venvhook_project" && $PWD != "${__venvhook_project%/}"/* ) ]] ||
        ! __venvhook_same; then
        __venvhook_deactivate
    fi
}

# A cd typed on the command line is caught by the next precmd, so that a line
# with several cds starts the helper once; a cd from a key binding (a widget)
# gets no precmd, so it is handled at once.
__venvhook_chpwd() {
    zle && __venvhook_hook
    return 0
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
() {
    emulate -L zsh
    typeset -ga precmd_functions chpwd_functions
    (( ${precmd_functions[(Ie)__venvhook_hook]} )) ||
        precmd_functions=(__venvhook_hook "${precmd_functions[@]}")
    chpwd_functions=("${(@)chpwd_functions:#__venvhook_hook}")
    (( ${chpwd_functions[(Ie)__venvhook_chpwd]} )) ||
        chpwd_functions=(__venvhook_chpwd "${chpwd_functions[@]}")
}
