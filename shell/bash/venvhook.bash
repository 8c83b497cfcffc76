# venvhook: bash integration.  Load it from ~/.bashrc with
#     eval "$(venvhook init bash)"
# Every name here starts with __venvhook_ (shell-local) or __VENVHOOK_
# (exported, so that a child shell knows what its parent activated).

# --- state ------------------------------------------------------------------
__venvhook_bin=@VENVHOOK@
__venvhook_key=
# What this shell kept survives a second init; what came through the
# environment (exported by a parent under set -a) is another shell's.
[[ ${__venvhook_pid-} == "$$" ]] ||
    \builtin unset __venvhook_applied __venvhook_off __venvhook_notified __venvhook_warned \
        __venvhook_confnote __venvhook_drift __venvhook_here __venvhook_was
__venvhook_pid=$$
: "${__venvhook_applied=}" "${__venvhook_off=}" "${__venvhook_notified=}" "${__venvhook_warned=}"
: "${__venvhook_confnote=}" "${__venvhook_drift=}" "${__venvhook_here=}" "${__venvhook_was=}"
__venvhook_s=0
__venvhook_same() { :; }
\builtin declare -gA __venvhook_memo
__venvhook_memo=()
__venvhook_memo_n=0

# --- activation -------------------------------------------------------------
# __venvhook_activate ENV PROMPT_VAR PROMPT_PREFIX PROJECT: what ENV/bin/activate does.
__venvhook_activate() {
    if [[ -n ${PYTHONHOME+x} ]]; then
        __VENVHOOK_PYTHONHOME=x$PYTHONHOME
        \builtin export __VENVHOOK_PYTHONHOME
        \builtin unset PYTHONHOME
    fi
    _OLD_VIRTUAL_PATH=${PATH-}
    if [[ -n ${PATH-} ]]; then PATH=$1/bin:$PATH; else PATH=$1/bin; fi
    VIRTUAL_ENV=$1 VIRTUAL_ENV_PROMPT=$2 __VENVHOOK_ENV=$1
    \builtin export PATH VIRTUAL_ENV VIRTUAL_ENV_PROMPT __VENVHOOK_ENV
    __venvhook_adopt "$3" "$4" activated
}

# __venvhook_adopt PROMPT_PREFIX PROJECT [activated]: the prompt and the
# deactivate function, for an env activated here (and then PATH is the
# env's bin before _OLD_VIRTUAL_PATH) or inherited from a parent shell.
__venvhook_adopt() {
    __venvhook_applied=$2
    __venvhook_project=$2
    if [[ -z ${3-} ]]; then
        # A login shell's profile may have rebuilt PATH without the env, or
        # an rc file (pyenv init) put its own entries in front: the env's
        # bin goes first.
        \builtin local path
        path=${PATH-}
        if [ "$path" != "$VIRTUAL_ENV/bin" ] && [ "${path#"$VIRTUAL_ENV/bin:"}" = "$path" ]; then
            __venvhook_without "$VIRTUAL_ENV/bin" "${PATH-}"
            PATH=$VIRTUAL_ENV/bin${__venvhook_r:+:$__venvhook_r}
        fi
        # The variables venv's own deactivate reads: an activate script
        # sourced over this env calls that deactivate first, which then
        # undoes ours.
        __venvhook_without "$VIRTUAL_ENV/bin" "$PATH"
        _OLD_VIRTUAL_PATH=$__venvhook_r
    fi
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
    [[ $- != *h* ]] || \builtin hash -r
}

# __venvhook_ps1_text NAME: NAME as PS1 text that shows NAME whether
# promptvars is on or off, now or later, in __venvhook_r: each '\', '$' and
# '`' goes inside \D{...} (a strftime format), whose result bash quotes under
# promptvars, so that a name like $(touch x) never runs.
__venvhook_ps1_text() {
    if [[ $1 != *[\\\$\`]* ]]; then
        __venvhook_r=$1
        return
    fi
    \builtin local t bs
    t=$1 bs='\'
    t=${t//"$bs"/'\D{\}'}
    t=${t//'$'/'\D{$}'}
    t=${t//'`'/'\D{`}'}
    __venvhook_r=$t
}

# --- deactivation -----------------------------------------------------------
# __venvhook_without ENTRY LIST: the colon-separated LIST without the first
# ENTRY, in __venvhook_r.  Byte for byte: with nocasematch set, [[ == ]] and
# ${p/PAT/} would take /A/bin for /a/bin; test, # and %% do not.
__venvhook_without() {
    \builtin local p head
    p=${2#"$1:"}
    if [ "$p" != "$2" ]; then      # first: most often, and quick
        __venvhook_r=$p
        return
    fi
    p=":$2:"
    head=${p%%":$1:"*}
    if [ "$head" != "$p" ]; then
        p=$head:${p#*":$1:"}
    fi
    p=${p#:}
    __venvhook_r=${p%:}
}

# __venvhook_within DIR: $PWD is DIR or below it, byte for byte.
__venvhook_within() {
    \builtin local below
    below=${1%/}/
    [ "$PWD" = "$1" ] || [ "${PWD#"$below"}" != "$PWD" ]
}

# __venvhook_deactivate [nondestructive]: the exact undo.  Only the PATH entry
# venvhook added goes, so PATH edits made meanwhile survive.
__venvhook_deactivate() {
    if [[ -n ${__VENVHOOK_ENV-} ]]; then
        __venvhook_without "$__VENVHOOK_ENV/bin" "${PATH-}"
        PATH=$__venvhook_r
    fi
    if [[ -n ${__VENVHOOK_PYTHONHOME+x} ]]; then
        PYTHONHOME=${__VENVHOOK_PYTHONHOME#x}
        \builtin export PYTHONHOME
    fi
    # An activate script sourced over this same env put its own prefix in
    # front of the prompt: it goes with the env.
    if [[ -n ${_OLD_VIRTUAL_PS1+x} && -n ${VIRTUAL_ENV_PROMPT-} ]] &&
        [[ ${PS1-} == "$VIRTUAL_ENV_PROMPT$_OLD_VIRTUAL_PS1" ||
            ${PS1-} == "($VIRTUAL_ENV_PROMPT) $_OLD_VIRTUAL_PS1" ]]; then
        PS1=$_OLD_VIRTUAL_PS1
    fi
    __venvhook_forget
    \builtin unset VIRTUAL_ENV VIRTUAL_ENV_PROMPT _OLD_VIRTUAL_PATH _OLD_VIRTUAL_PYTHONHOME \
        _OLD_VIRTUAL_PS1
    [[ ${1-} == nondestructive ]] || \builtin unset -f deactivate
    [[ $- != *h* ]] || \builtin hash -r
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
    \builtin local bin
    bin=$__VENVHOOK_ENV/bin
    __venvhook_without "$bin" "${PATH-}"
    PATH=$__venvhook_r
    if [[ -n ${_OLD_VIRTUAL_PATH+x} ]]; then
        __venvhook_without "$bin" "$_OLD_VIRTUAL_PATH"
        _OLD_VIRTUAL_PATH=$__venvhook_r
    fi
    if [[ -z ${VIRTUAL_ENV-} ]]; then
        if [[ -n ${__VENVHOOK_PYTHONHOME+x} ]]; then
            PYTHONHOME=${__VENVHOOK_PYTHONHOME#x}
            \builtin export PYTHONHOME
        fi
        \builtin unset VIRTUAL_ENV_PROMPT _OLD_VIRTUAL_PATH _OLD_VIRTUAL_PYTHONHOME _OLD_VIRTUAL_PS1
    fi
    __venvhook_forget
    [[ $- != *h* ]] || \builtin hash -r
}

# __venvhook_orphan: an env activated by hand in a parent shell has no
# deactivate here; give it one that undoes what activate did to this shell.
__venvhook_orphan() {
    \builtin declare -F deactivate >/dev/null && return 0
    __venvhook_orphaned=1
    deactivate() {
        if [[ -n ${VIRTUAL_ENV-} ]]; then
            __venvhook_without "$VIRTUAL_ENV/bin" "${PATH-}"
            PATH=$__venvhook_r
        fi
        __venvhook_orphaned=
        \builtin unset VIRTUAL_ENV VIRTUAL_ENV_PROMPT
        [[ ${1-} == nondestructive ]] || \builtin unset -f deactivate
        [[ $- != *h* ]] || \builtin hash -r
        return 0
    }
}

# --- off --------------------------------------------------------------------
# __venvhook_seen_off: an env was active at the last run, and VIRTUAL_ENV and
# the deactivate function are gone now: the user typed deactivate (venv's, an
# orphan's or ours; `unset VIRTUAL_ENV` and `deactivate nondestructive` keep
# the function).  Whoever activated the env, the project of the last run
# stays off until the user leaves it (the helper clears __venvhook_off then).
__venvhook_seen_off() {
    if [[ -n $__venvhook_was && -z ${VIRTUAL_ENV-} && -z $__venvhook_off ]] &&
        ! \builtin declare -F deactivate >/dev/null; then
        __venvhook_off=$__venvhook_here
    fi
    # The env an orphan deactivate was made for went away without it (direnv
    # unloaded it, say): that deactivate goes too.
    if [[ -n ${__venvhook_orphaned-} && -z ${VIRTUAL_ENV-} ]]; then
        \builtin unset -f deactivate
        __venvhook_orphaned=
    fi
}

# --- direnv -----------------------------------------------------------------
# direnv saves the whole PATH when it loads an .envrc and puts that value
# back when it unloads it.  So venvhook's entry must be out of PATH (and
# VIRTUAL_ENV unset, which `layout python` reads) before direnv's hook runs
# in a directory outside the project, and venvhook must decide after direnv
# unloaded: __venvhook_leave runs just before _direnv_hook, __venvhook_hook
# just after, whichever of the two lines comes first in the rc file.
__venvhook_leave() {
    __venvhook_s=$?
    if [[ -n ${__VENVHOOK_ENV-} && -n $__venvhook_applied &&
        ( -z ${VENVHOOK_DISABLE-} || $VENVHOOK_DISABLE == 0 ) ]] &&
        [ "${VIRTUAL_ENV-}" = "$__VENVHOOK_ENV" ] && ! __venvhook_within "$__venvhook_applied"; then
        __venvhook_deactivate
        __venvhook_was=
    fi
    return $__venvhook_s
}

__venvhook_direnv_order() {
    if [[ -v PROMPT_COMMAND && ${PROMPT_COMMAND@a} == *a* ]]; then
        [[ " ${PROMPT_COMMAND[*]} " == *" _direnv_hook "* &&
            " ${PROMPT_COMMAND[*]} " != *" __venvhook_leave _direnv_hook __venvhook_hook "* ]] ||
            return 0
        \builtin local c
        \builtin local -a new
        for c in "${PROMPT_COMMAND[@]}"; do
            case $c in
            __venvhook_leave | __venvhook_hook) ;;
            _direnv_hook) new+=(__venvhook_leave _direnv_hook __venvhook_hook) ;;
            *) new+=("$c") ;;
            esac
        done
        PROMPT_COMMAND=("${new[@]}")
    else
        \builtin local c
        c=";${PROMPT_COMMAND-};"
        [[ $c == *";_direnv_hook;"* && $c != *";__venvhook_leave;_direnv_hook;__venvhook_hook;"* ]] ||
            return 0
        c=${c//";__venvhook_leave;"/;}
        c=${c//";__venvhook_hook;"/;}
        c=${c/";_direnv_hook;"/";__venvhook_leave;_direnv_hook;__venvhook_hook;"}
        c=${c#;}
        PROMPT_COMMAND=${c%;}
    fi
}

# --- hook -------------------------------------------------------------------
# Runs before every prompt.  Each run of the helper defines it again with the
# paths the walk looked at inline, so that it starts no process and calls no
# other function while $PWD, the active env and those paths are unchanged;
# until then, and when a test fails, it runs __venvhook_check.  Emptying
# __venvhook_key makes the next prompt check.
__venvhook_hook() { __venvhook_s=$?; __venvhook_check; return $__venvhook_s; }

# __venvhook_check: runs the helper, unless VENVHOOK_DISABLE=1 turns it off.
__venvhook_check() {
    if [[ -n ${VENVHOOK_DISABLE-} && $VENVHOOK_DISABLE != 0 ]]; then
        __venvhook_key=
        return
    fi
    __venvhook_run
}

__venvhook_run() {
    \builtin local out rc k
    rc=0
    __venvhook_seen_off
    __venvhook_here=
    __venvhook_direnv_order
    # The key: what the helper's answer depends on ($PWD, the envs, the
    # state kept between runs, where venvhook's and other tools' files are).
    k=$PWD$'\n'${VIRTUAL_ENV-}$'\n'${__VENVHOOK_ENV-}$'\n'$__venvhook_applied$'\n'$__venvhook_off$'\n'$__venvhook_notified$'\n'$__venvhook_confnote$'\n'$__venvhook_drift
    k+=$'\n'${HOME-}$'\n'${XDG_CONFIG_HOME-}$'\n'${XDG_DATA_HOME-}$'\n'${XDG_STATE_HOME-}$'\n'${XDG_CACHE_HOME-}$'\n'${VENVHOOK_CONFIG-}$'\n'${VENVHOOK_HOME-}$'\n'${WORKON_HOME-}$'\n'${PYENV_ROOT-}$'\n'${AUTOSWITCH_VIRTUAL_ENV_DIR-}
    __venvhook_g=
    if [[ ! -x $__venvhook_bin ]]; then
        rc=127
    elif [[ -n ${__venvhook_memo[$k]-} ]] && "${__venvhook_memo[$k]}"; then
        :
    elif out=$(__VENVHOOK_SHELL=bash command "$__venvhook_bin" hook bash \
        "$__venvhook_applied" "$__venvhook_off" "$__venvhook_notified" "$__venvhook_confnote" \
        "$__venvhook_drift" __venvhook_m$__venvhook_memo_n "${SECONDS-}"); then
        \builtin eval -- "$out"
        [[ -z $__venvhook_g ]] || __venvhook_remember "$k"
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
    __venvhook_was=${VIRTUAL_ENV-}
}

# __venvhook_failsafe: the helper cannot run, so nothing can be judged:
# venvhook's env goes off when $PWD left its project or the env is no longer
# the one that was judged (__venvhook_same), all in the shell itself.
__venvhook_failsafe() {
    [[ -n ${__VENVHOOK_ENV-} ]] || return 0
    if [ "${VIRTUAL_ENV-}" != "$__VENVHOOK_ENV" ]; then
        __venvhook_disown
    elif [[ -z ${__venvhook_project-} ]] || ! __venvhook_within "$__venvhook_project" ||
        ! __venvhook_same; then
        __venvhook_deactivate
    fi
}

# --- memo -------------------------------------------------------------------
# A cd back to a directory this shell judged in the last few minutes starts
# no process: when the helper's answer can be kept, it comes as a function
# that runs it while a test holds (its watch, its token, and that nothing it
# read was edited since) and $SECONDS is within five minutes of the time
# the shell gave (its whole seconds: zsh's may be a float), and the shell
# keeps that function by everything the helper was given.  In that same
# state it calls the function instead of the helper.  Any venvhook command
# forgets them all.

# __venvhook_remember KEY: keeps the answer __venvhook_g names under KEY.
# The helper names it as told (__venvhook_mN, a function parsed once that
# fails when its test does), up to 32, each with a name of its own (a key
# kept again gets a new one); then they are all forgotten.  Each costs the
# shell some 20 KiB in bash (10 in zsh), which every fork of it copies.
__venvhook_remember() {
    __venvhook_memo[$1]=$__venvhook_g
    (( ++__venvhook_memo_n < 32 )) || { __venvhook_memo=(); __venvhook_memo_n=0; }
}

# --- cd hook ----------------------------------------------------------------
# bash has no hook on a change of directory, so `cd proj && pytest` runs
# pytest before the prompt activates proj's env.  With VENVHOOK_ON_CD=1 set
# before the init line, cd, pushd and popd become functions that run the hook
# once they changed directory (at most one helper start per cd; none in a
# subshell such as $(cd x && pwd)).  The price: they are functions, not
# builtins (`type cd`), and every cd in a sourced script or a function may
# start the helper.  A cd function defined before the init line (by rvm, say)
# is kept and called.
__venvhook_on_cd() {
    __venvhook_cd_s=$?
    if (( ! BASH_SUBSHELL )); then
        if [[ " ${PROMPT_COMMAND[*]-} " == *[\ \;]_direnv_hook[\ \;]* ]]; then
            # direnv's hook in between, as at the prompt (see direnv above).
            __venvhook_leave
            _direnv_hook
        fi
        __venvhook_hook
    fi
    return $__venvhook_cd_s
}

__venvhook_wrap_cd() {
    \builtin local f def
    for f in cd pushd popd; do
        if \builtin declare -F "$f" >/dev/null; then
            def=$(\builtin declare -f "$f")
            [[ $def == *__venvhook_on_cd* ]] && continue
            \builtin eval "__venvhook_prev_$f ${def#"$f "}"
            \builtin eval "$f() { __venvhook_prev_$f \"\$@\"; __venvhook_on_cd; }"
        else
            \builtin eval "$f() { \\builtin $f \"\$@\"; __venvhook_on_cd; }"
        fi
    done
}

# --- command ----------------------------------------------------------------
# venvhook itself, so that allow, deny, create and rm show at the next prompt,
# and status can tell when a later line of the rc file replaced the hook.
venvhook() {
    \builtin local hooked
    hooked=
    [[ " ${PROMPT_COMMAND[*]-} " == *__venvhook_hook* ]] || hooked=0
    __VENVHOOK_SHELL=bash __VENVHOOK_OFF=$__venvhook_off __VENVHOOK_HOOKED=$hooked \
        command "$__venvhook_bin" "$@"
    __venvhook_s=$?
    __venvhook_key=
    __venvhook_memo=() __venvhook_memo_n=0
    return $__venvhook_s
}

# --- registration -----------------------------------------------------------
if [[ -v PROMPT_COMMAND && ${PROMPT_COMMAND@a} == *a* ]]; then
    [[ " ${PROMPT_COMMAND[*]} " == *" __venvhook_hook "* ]] ||
        PROMPT_COMMAND=(__venvhook_hook "${PROMPT_COMMAND[@]}")
elif [[ ${PROMPT_COMMAND-} != *__venvhook_hook* ]]; then
    PROMPT_COMMAND="__venvhook_hook${PROMPT_COMMAND:+;$PROMPT_COMMAND}"
fi
__venvhook_direnv_order
if [[ ${VENVHOOK_ON_CD-} == 1 ]]; then __venvhook_wrap_cd; fi
