# venvhook: zsh integration.  Load it from ~/.zshrc with
#     eval "$(venvhook init zsh)"
# Every name here starts with __venvhook_ (shell-local) or __VENVHOOK_
# (exported, so that a child shell knows what its parent activated).

# --- state ------------------------------------------------------------------
typeset -g __venvhook_bin=@VENVHOOK@
typeset -g __venvhook_key=
# What this shell kept survives a second init; what came through the
# environment (exported by a parent under allexport) is another shell's.
[[ ${__venvhook_pid-} == $$ ]] ||
    unset __venvhook_applied __venvhook_off __venvhook_notified __venvhook_warned \
        __venvhook_confnote __venvhook_drift __venvhook_here __venvhook_was
typeset -g __venvhook_pid=$$
typeset -g __venvhook_applied="${__venvhook_applied-}" __venvhook_off="${__venvhook_off-}"
typeset -g __venvhook_notified="${__venvhook_notified-}" __venvhook_warned="${__venvhook_warned-}"
typeset -g __venvhook_confnote="${__venvhook_confnote-}" __venvhook_drift="${__venvhook_drift-}"
typeset -g __venvhook_here="${__venvhook_here-}" __venvhook_was="${__venvhook_was-}"
typeset -g __venvhook_promptsubst=
__venvhook_same() { :; }
typeset -gA __venvhook_memo=()
typeset -g __venvhook_memo_n=0

# --- activation -------------------------------------------------------------
# __venvhook_activate ENV PROMPT_VAR PROMPT_PREFIX PROJECT: what ENV/bin/activate does.
__venvhook_activate() {
    emulate -L zsh
    if (( ${+PYTHONHOME} )); then
        typeset -gx __VENVHOOK_PYTHONHOME="x$PYTHONHOME"
        unset PYTHONHOME
    fi
    typeset -g _OLD_VIRTUAL_PATH=$PATH
    if [[ -n $PATH ]]; then PATH=$1/bin:$PATH; else PATH=$1/bin; fi
    typeset -gx VIRTUAL_ENV="$1" VIRTUAL_ENV_PROMPT="$2" __VENVHOOK_ENV="$1"
    __venvhook_adopt "$3" "$4" activated
}

# __venvhook_adopt PROMPT_PREFIX PROJECT [activated]: the prompt and the
# deactivate function, for an env activated here (and then PATH is the
# env's bin before _OLD_VIRTUAL_PATH) or inherited from a parent shell.
__venvhook_adopt() {
    emulate -L zsh
    typeset -g __venvhook_applied=$2 __venvhook_project=$2
    if [[ -z ${3-} ]]; then
        # A login shell's profile may have rebuilt PATH without the env, or
        # an rc file (pyenv init) put its own entries in front: the env's
        # bin goes first.
        if [[ ${path[1]-} != $VIRTUAL_ENV/bin ]]; then
            __venvhook_without "$VIRTUAL_ENV/bin" "$PATH"
            PATH=$VIRTUAL_ENV/bin${__venvhook_r:+:$__venvhook_r}
        fi
        # The variables venv's own deactivate reads: an activate script
        # sourced over this env calls that deactivate first, which then
        # undoes ours.
        __venvhook_without "$VIRTUAL_ENV/bin" "$PATH"
        typeset -g _OLD_VIRTUAL_PATH=$__venvhook_r
    fi
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
# __venvhook_without ENTRY LIST: the colon-separated LIST without the first
# ENTRY, in __venvhook_r.
__venvhook_without() {
    emulate -L zsh
    if [[ $2 != ${2#"$1:"} ]]; then     # first: most often, and quick
        typeset -g __venvhook_r=${2#"$1:"}
        return
    fi
    local -a l=("${(@s.:.)2}")
    local -i i=${l[(ie)$1]}
    (( i <= $#l )) && l[i]=()
    typeset -g __venvhook_r=${(j.:.)l}
}

# __venvhook_deactivate [nondestructive]: the exact undo.  Only the PATH entry
# venvhook added goes, so PATH edits made meanwhile survive.
__venvhook_deactivate() {
    emulate -L zsh
    if [[ -n ${__VENVHOOK_ENV-} ]]; then
        __venvhook_without "$__VENVHOOK_ENV/bin" "$PATH"
        PATH=$__venvhook_r
    fi
    if (( ${+__VENVHOOK_PYTHONHOME} )); then
        typeset -gx PYTHONHOME="${__VENVHOOK_PYTHONHOME#x}"
    fi
    # An activate script sourced over this same env put its own prefix in
    # front of the prompt: it goes with the env.
    if (( ${+_OLD_VIRTUAL_PS1} )) && [[ -n ${VIRTUAL_ENV_PROMPT-} ]] &&
        [[ ${PS1-} == "$VIRTUAL_ENV_PROMPT$_OLD_VIRTUAL_PS1" ||
            ${PS1-} == "($VIRTUAL_ENV_PROMPT) $_OLD_VIRTUAL_PS1" ]]; then
        PS1=$_OLD_VIRTUAL_PS1
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
    __venvhook_without "$bin" "$PATH"
    PATH=$__venvhook_r
    if (( ${+_OLD_VIRTUAL_PATH} )); then
        __venvhook_without "$bin" "$_OLD_VIRTUAL_PATH"
        typeset -g _OLD_VIRTUAL_PATH=$__venvhook_r
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
    typeset -g __venvhook_orphaned=1
    deactivate() {
        emulate -L zsh
        if [[ -n ${VIRTUAL_ENV-} ]]; then
            __venvhook_without "$VIRTUAL_ENV/bin" "$PATH"
            PATH=$__venvhook_r
        fi
        typeset -g __venvhook_orphaned=
        unset VIRTUAL_ENV VIRTUAL_ENV_PROMPT
        [[ ${1-} == nondestructive ]] || unfunction deactivate
        rehash
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
        (( ! $+functions[deactivate] )); then
        typeset -g __venvhook_off=$__venvhook_here
    fi
    # The env an orphan deactivate was made for went away without it (direnv
    # unloaded it, say): that deactivate goes too.
    if [[ -n ${__venvhook_orphaned-} && -z ${VIRTUAL_ENV-} ]]; then
        unfunction deactivate 2>/dev/null
        typeset -g __venvhook_orphaned=
    fi
}

# --- direnv -----------------------------------------------------------------
# direnv saves the whole PATH when it loads an .envrc and puts that value
# back when it unloads it.  So venvhook's entry must be out of PATH (and
# VIRTUAL_ENV unset, which `layout python` reads) before direnv's hook runs
# in a directory outside the project, and venvhook must decide after direnv
# unloaded: __venvhook_leave runs just before _direnv_hook, venvhook's hook
# just after (in precmd and in chpwd), whichever line comes first in .zshrc.
__venvhook_leave() {
    local s=$?
    if [[ -n ${__VENVHOOK_ENV-} && ${VIRTUAL_ENV-} == "$__VENVHOOK_ENV" && -n $__venvhook_applied &&
        $PWD != "$__venvhook_applied" && $PWD != "$__venvhook_applied"/* &&
        ( -z ${VENVHOOK_DISABLE-} || $VENVHOOK_DISABLE == 0 ) ]]; then
        __venvhook_deactivate
        typeset -g __venvhook_was=
    fi
    return s
}

__venvhook_direnv_order() {
    (( ${+functions[_direnv_hook]} )) || return 0
    __venvhook_direnv_around precmd_functions __venvhook_hook
    __venvhook_direnv_around chpwd_functions __venvhook_chpwd
}

# __venvhook_direnv_around ARRAY HOOK: in the hook functions ARRAY,
# __venvhook_leave just before _direnv_hook and HOOK just after it.
__venvhook_direnv_around() {
    emulate -L zsh
    local c
    local -a new
    (( ${${(P)1}[(Ie)_direnv_hook]} )) &&
        [[ " ${(P)1} " != *" __venvhook_leave _direnv_hook $2 "* ]] || return 0
    for c in "${(@P)1}"; do
        case $c in
        __venvhook_leave | $2) ;;
        _direnv_hook) new+=(__venvhook_leave _direnv_hook $2) ;;
        *) new+=("$c") ;;
        esac
    done
    set -A $1 "${new[@]}"
}

# --- hook -------------------------------------------------------------------
# Runs before every prompt, and on a cd made by a key binding.  Each run of
# the helper defines it again with the paths the walk looked at inline, so
# that it starts no process and calls no other function while $PWD, the
# active env, prompt_subst and those paths are unchanged; until then, and
# when a test fails, it runs __venvhook_check.  Emptying __venvhook_key makes
# the next prompt check.
# zsh puts $? back after each precmd and chpwd function: nothing to keep.
__venvhook_hook() { __venvhook_check; }

# __venvhook_check: runs the helper, unless VENVHOOK_DISABLE=1 turns it off.
__venvhook_check() {
    # The prompt is expanded with the user's options: turned on or off since
    # the prefix was written, prompt_subst gets the prefix written again.
    # Read before emulate -L resets it.
    if [[ ${options[promptsubst]-off} != "$__venvhook_promptsubst" ]]; then
        typeset -g __venvhook_promptsubst=${options[promptsubst]-off}
        [[ -z ${__venvhook_ps1_prefix-} ]] || __venvhook_reprompt
    fi
    if [[ -n ${VENVHOOK_DISABLE-} && $VENVHOOK_DISABLE != 0 ]]; then
        typeset -g __venvhook_key=
        return
    fi
    __venvhook_run
}

__venvhook_run() {
    emulate -L zsh
    local out k
    local -i rc=0
    __venvhook_seen_off
    typeset -g __venvhook_here=
    __venvhook_direnv_order
    # The key: what the helper's answer depends on ($PWD, the envs, the
    # state kept between runs, where venvhook's and other tools' files are).
    k=$PWD$'\n'${VIRTUAL_ENV-}$'\n'${__VENVHOOK_ENV-}$'\n'$__venvhook_applied$'\n'$__venvhook_off$'\n'$__venvhook_notified$'\n'$__venvhook_confnote$'\n'$__venvhook_drift
    k+=$'\n'${HOME-}$'\n'${XDG_CONFIG_HOME-}$'\n'${XDG_DATA_HOME-}$'\n'${XDG_STATE_HOME-}$'\n'${XDG_CACHE_HOME-}$'\n'${VENVHOOK_CONFIG-}$'\n'${VENVHOOK_HOME-}$'\n'${WORKON_HOME-}$'\n'${PYENV_ROOT-}$'\n'${AUTOSWITCH_VIRTUAL_ENV_DIR-}
    typeset -g __venvhook_g=
    if [[ ! -x $__venvhook_bin ]]; then
        rc=127
    elif [[ -n ${__venvhook_memo[$k]-} ]] && "${__venvhook_memo[$k]}"; then
        :
    elif out=$(__VENVHOOK_SHELL=zsh command "$__venvhook_bin" hook zsh \
        "$__venvhook_applied" "$__venvhook_off" "$__venvhook_notified" "$__venvhook_confnote" \
        "$__venvhook_drift" __venvhook_m$__venvhook_memo_n "${${SECONDS-}%%.*}"); then
        eval "$out"
        [[ -z $__venvhook_g ]] || __venvhook_remember "$k"
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
    typeset -g __venvhook_was=${VIRTUAL_ENV-}
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
    (( ++__venvhook_memo_n < 32 )) || { typeset -gA __venvhook_memo=(); typeset -g __venvhook_memo_n=0; }
}

# --- cd hook ----------------------------------------------------------------
# A cd activates at once, so that `cd proj && pytest` runs pytest in proj's
# env: at most one helper start per cd, and the next precmd finds nothing
# changed.  Not in a subshell such as $(cd x && pwd).  VENVHOOK_ON_CD=0
# leaves it to the prompt (a cd from a key binding still activates at once:
# a widget gets no precmd).
__venvhook_chpwd() {
    if zle || [[ ${VENVHOOK_ON_CD-} != 0 && $ZSH_SUBSHELL == 0 ]]; then
        __venvhook_hook
    fi
    return 0
}

# --- command ----------------------------------------------------------------
# venvhook itself, so that allow, deny, create and rm show at the next prompt,
# and status can tell when a later line of the rc file replaced the hook.
venvhook() {
    local hooked=
    (( ${precmd_functions[(Ie)__venvhook_hook]-0} )) || hooked=0
    __VENVHOOK_SHELL=zsh __VENVHOOK_OFF=$__venvhook_off __VENVHOOK_HOOKED=$hooked \
        command "$__venvhook_bin" "$@"
    local s=$?
    typeset -g __venvhook_key=
    typeset -g __venvhook_memo_n=0
    typeset -gA __venvhook_memo=()
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
__venvhook_direnv_order
