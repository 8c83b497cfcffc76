# venvhook: bash integration.  Load it from ~/.bashrc with
#     eval "$(venvhook init bash)"
# Every name here starts with __venvhook_ (shell-local) or __VENVHOOK_
# (exported, so that a child shell knows what its parent activated).

# --- state ------------------------------------------------------------------
__venvhook_bin=@VENVHOOK@
__venvhook_key=
: "${__venvhook_applied=}" "${__venvhook_off=}" "${__venvhook_notified=}" "${__venvhook_warned=}"
: "${__venvhook_confnote=}"
__venvhook_unchanged() { return 1; }
__venvhook_same() { :; }

# --- activation -------------------------------------------------------------
# __venvhook_activate ENV PROMPT_VAR PROMPT_PREFIX PROJECT: what ENV/bin/activate does.
__venvhook_activate() {
    if [[ -n ${PYTHONHOME+x} ]]; then
        \builtin export __VENVHOOK_PYTHONHOME="x$PYTHONHOME"
        \builtin unset PYTHONHOME
    fi
    if [[ -n ${PATH-} ]]; then PATH=$1/bin:$PATH; else PATH=$1/bin; fi
    \builtin export PATH VIRTUAL_ENV="$1" VIRTUAL_ENV_PROMPT="$2" __VENVHOOK_ENV="$1"
    __venvhook_adopt "$3" "$4"
}

# __venvhook_adopt PROMPT_PREFIX PROJECT: the prompt and the deactivate
# function, for an env activated here or inherited from a parent shell.
__venvhook_adopt() {
    __venvhook_applied=$2
    __venvhook_project=$2
    # A login shell's profile may have rebuilt PATH without the env.
    [[ ":${PATH-}:" == *":$VIRTUAL_ENV/bin:"* ]] || PATH=$VIRTUAL_ENV/bin${PATH:+:$PATH}
    # The variables venv's own deactivate reads: an activate script sourced
    # over this env calls that deactivate first, which then undoes ours.
    __venvhook_without "$VIRTUAL_ENV/bin" "$PATH"
    _OLD_VIRTUAL_PATH=$__venvhook_r
    if [[ -n ${__VENVHOOK_PYTHONHOME+x} ]]; then
        _OLD_VIRTUAL_PYTHONHOME=${__VENVHOOK_PYTHONHOME#x}
    fi
    deactivate() {
        [[ ${1-} == nondestructive ]] || __venvhook_off=${__venvhook_project-}
        __venvhook_deactivate "$@"
    }
    if [[ -z ${VIRTUAL_ENV_DISABLE_PROMPT-} ]]; then
        __venvhook_ps1=$1
        __venvhook_ps1_text "$1"
        __venvhook_ps1_prefix=$__venvhook_r
        [[ ${PS1-} == "$__venvhook_ps1_prefix"* ]] || PS1=$__venvhook_ps1_prefix${PS1-}
        _OLD_VIRTUAL_PS1=${PS1#"$__venvhook_ps1_prefix"}
    fi
    \builtin hash -r 2>/dev/null
}

# __venvhook_ps1_text NAME: NAME as PS1 text that shows NAME whether
# promptvars is on or off, now or later, in __venvhook_r: each '\', '$' and
# '`' goes inside \D{...} (a strftime format), whose result bash quotes under
# promptvars, so that a name like $(touch x) never runs.
__venvhook_ps1_text() {
    \builtin local t="$1" bs='\'
    t=${t//"$bs"/'\D{\}'}
    t=${t//'$'/'\D{$}'}
    t=${t//'`'/'\D{`}'}
    __venvhook_r=$t
}

# --- deactivation -----------------------------------------------------------
# __venvhook_without ENTRY LIST: the colon-separated LIST without the first
# ENTRY, in __venvhook_r.
__venvhook_without() {
    \builtin local p=":$2:"
    p=${p/":$1:"/:}
    p=${p#:}
    __venvhook_r=${p%:}
}

# __venvhook_deactivate [nondestructive]: the exact undo.  Only the PATH entry
# venvhook added goes, so PATH edits made meanwhile survive.
__venvhook_deactivate() {
    if [[ -n ${__VENVHOOK_ENV-} ]]; then
        __venvhook_without "$__VENVHOOK_ENV/bin" "${PATH-}"
        PATH=$__venvhook_r
    fi
    if [[ -n ${__VENVHOOK_PYTHONHOME+x} ]]; then
        \builtin export PYTHONHOME="${__VENVHOOK_PYTHONHOME#x}"
    fi
    __venvhook_forget
    \builtin unset VIRTUAL_ENV VIRTUAL_ENV_PROMPT _OLD_VIRTUAL_PATH _OLD_VIRTUAL_PYTHONHOME \
        _OLD_VIRTUAL_PS1
    [[ ${1-} == nondestructive ]] || \builtin unset -f deactivate
    \builtin hash -r 2>/dev/null
    return 0
}

# __venvhook_forget: drop venvhook's own state and prompt prefix.
__venvhook_forget() {
    if [[ -n ${__venvhook_ps1_prefix-} && ${PS1-} == "$__venvhook_ps1_prefix"* ]]; then
        PS1=${PS1#"$__venvhook_ps1_prefix"}
    fi
    \builtin unset __VENVHOOK_ENV __VENVHOOK_PYTHONHOME __venvhook_ps1 __venvhook_ps1_prefix
    __venvhook_applied=
}

# __venvhook_disown: VIRTUAL_ENV was unset or changed behind venvhook's back
# (not by a deactivate): take venvhook's PATH entry back out, also from the
# PATH a later deactivate would restore, and drop its state.
__venvhook_disown() {
    \builtin local bin=$__VENVHOOK_ENV/bin
    __venvhook_without "$bin" "${PATH-}"
    PATH=$__venvhook_r
    if [[ -n ${_OLD_VIRTUAL_PATH+x} ]]; then
        __venvhook_without "$bin" "$_OLD_VIRTUAL_PATH"
        _OLD_VIRTUAL_PATH=$__venvhook_r
    fi
    if [[ -z ${VIRTUAL_ENV-} ]]; then
        if [[ -n ${__VENVHOOK_PYTHONHOME+x} ]]; then
            \builtin export PYTHONHOME="${__VENVHOOK_PYTHONHOME#x}"
        fi
        \builtin unset VIRTUAL_ENV_PROMPT _OLD_VIRTUAL_PATH _OLD_VIRTUAL_PYTHONHOME _OLD_VIRTUAL_PS1
    fi
    __venvhook_forget
    \builtin hash -r 2>/dev/null
}

# __venvhook_orphan: an env activated by hand in a parent shell has no
# deactivate here; give it one that undoes what activate did to this shell.
__venvhook_orphan() {
    \builtin declare -F deactivate >/dev/null && return 0
    deactivate() {
        __venvhook_without "${VIRTUAL_ENV-}/bin" "${PATH-}"
        PATH=$__venvhook_r
        \builtin unset VIRTUAL_ENV VIRTUAL_ENV_PROMPT
        [[ ${1-} == nondestructive ]] || \builtin unset -f deactivate
        \builtin hash -r 2>/dev/null
        return 0
    }
}

# --- hook -------------------------------------------------------------------
# Runs before every prompt.  The helper starts only when $PWD, the active env
# or a path the last walk looked at changed.  VENVHOOK_DISABLE=1 turns it off.
__venvhook_hook() {
    \builtin local s=$?
    if [[ -n ${VENVHOOK_DISABLE-} && $VENVHOOK_DISABLE != 0 ]]; then
        __venvhook_key=
        return $s
    fi
    if [[ "$PWD"$'\n'"${VIRTUAL_ENV-}"$'\n'"${__VENVHOOK_ENV-}" != "$__venvhook_key" ]] ||
        ! __venvhook_unchanged; then
        __venvhook_run
    fi
    return $s
}

__venvhook_run() {
    \builtin local out rc=0
    if [[ ! -x $__venvhook_bin ]]; then
        rc=127
    elif out=$(__VENVHOOK_SHELL=bash command "$__venvhook_bin" hook bash \
        "$__venvhook_applied" "$__venvhook_off" "$__venvhook_notified" "$__venvhook_confnote"); then
        \builtin eval -- "$out"
    else
        rc=$?
    fi
    if (( rc != 0 )); then
        # The helper says why itself, unless it could not run or died.
        if (( rc >= 126 )) && [[ -z $__venvhook_warned ]]; then
            \builtin printf 'venvhook: the prompt hook cannot run %s (status %d)\n' \
                "$__venvhook_bin" "$rc" >&2
            __venvhook_warned=1
        fi
        __venvhook_failsafe
        __venvhook_key=     # tried again at the next prompt
        return
    fi
    __venvhook_key="$PWD"$'\n'"${VIRTUAL_ENV-}"$'\n'"${__VENVHOOK_ENV-}"
}

# __venvhook_failsafe: the helper cannot run, so nothing can be judged:
# venvhook's env goes off when $PWD left its project or the env is no longer
# the one that was judged (__venvhook_same), all in the shell itself.
__venvhook_failsafe() {
    [[ -n ${__VENVHOOK_ENV-} ]] || return 0
    if [[ ${VIRTUAL_ENV-} != "$__VENVHOOK_ENV" ]]; then
        __venvhook_disown
    elif [[ -z ${__venvhook_project-} ||
        ( $PWD != "$__venvhook_project" && $PWD != "${__venvhook_project%/}"/* ) ]] ||
        ! __venvhook_same; then
        __venvhook_deactivate
    fi
}

# --- command ----------------------------------------------------------------
# venvhook itself, so that allow, deny, create and rm show at the next prompt.
venvhook() {
    __VENVHOOK_SHELL=bash __VENVHOOK_OFF=$__venvhook_off command "$__venvhook_bin" "$@"
    \builtin local s=$?
    __venvhook_key=
    return $s
}

# --- registration -----------------------------------------------------------
if [[ -v PROMPT_COMMAND && ${PROMPT_COMMAND@a} == *a* ]]; then
    [[ " ${PROMPT_COMMAND[*]} " == *" __venvhook_hook "* ]] ||
        PROMPT_COMMAND=(__venvhook_hook "${PROMPT_COMMAND[@]}")
elif [[ ${PROMPT_COMMAND-} != *__venvhook_hook* ]]; then
    PROMPT_COMMAND="__venvhook_hook${PROMPT_COMMAND:+;$PROMPT_COMMAND}"
fi
