# venvhook: fish integration.  Load it from ~/.config/fish/config.fish with
#     venvhook init fish | source
# Every name here starts with __venvhook_ (shell-local) or __VENVHOOK_
# (exported, so that a child shell knows what its parent activated).

# --- state ------------------------------------------------------------------
set -g __venvhook_bin @VENVHOOK@
set -g __venvhook_key
set -q __venvhook_applied; or set -g __venvhook_applied
set -q __venvhook_off; or set -g __venvhook_off
set -q __venvhook_notified; or set -g __venvhook_notified
set -q __venvhook_warned; or set -g __venvhook_warned
set -q __venvhook_confnote; or set -g __venvhook_confnote
set -q __venvhook_drift; or set -g __venvhook_drift
set -q __venvhook_here; or set -g __venvhook_here
set -q __venvhook_was; or set -g __venvhook_was
set -g __venvhook_s 0
function __venvhook_same
    true
end

# --- activation -------------------------------------------------------------
# __venvhook_activate ENV PROMPT_VAR PROMPT_PREFIX PROJECT: what ENV/bin/activate.fish does.
function __venvhook_activate --argument-names env prompt_var prefix project
    if set -q PYTHONHOME
        set -gx __VENVHOOK_PYTHONHOME "x$PYTHONHOME"
        set -e PYTHONHOME
    end
    set -gx PATH $env/bin $PATH
    set -gx VIRTUAL_ENV $env
    set -gx VIRTUAL_ENV_PROMPT $prompt_var
    set -gx __VENVHOOK_ENV $env
    __venvhook_adopt $prefix $project
end

# __venvhook_adopt PROMPT_PREFIX PROJECT: the prompt and the deactivate
# function, for an env activated here or inherited from a parent shell.
# The prompt is wrapped as activate.fish wraps it (_old_fish_prompt,
# _OLD_FISH_PROMPT_OVERRIDE), and _OLD_VIRTUAL_PATH is set: an activate.fish
# sourced over this env calls its own deactivate first, which then undoes ours.
function __venvhook_adopt --argument-names prefix project
    set -g __venvhook_applied $project
    set -g __venvhook_project $project
    # A login shell's profile may have rebuilt PATH without the env, or a
    # config file (pyenv init) put its own entries in front: the env's bin
    # goes first.
    if test "$PATH[1]" != $VIRTUAL_ENV/bin
        __venvhook_without $VIRTUAL_ENV/bin $PATH
        set -gx PATH $VIRTUAL_ENV/bin $__venvhook_r
    end
    __venvhook_without $VIRTUAL_ENV/bin $PATH
    set -g _OLD_VIRTUAL_PATH $__venvhook_r
    if set -q __VENVHOOK_PYTHONHOME
        set -g _OLD_VIRTUAL_PYTHONHOME (string sub -s 2 -- "$__VENVHOOK_PYTHONHOME")
    end
    function deactivate
        test "$argv[1]" = nondestructive; or set -g __venvhook_off $__venvhook_project
        __venvhook_deactivate $argv
    end
    if test -z "$VIRTUAL_ENV_DISABLE_PROMPT"
        set -g __venvhook_ps1 $prefix
        # (activate.fish exports _OLD_FISH_PROMPT_OVERRIDE, but a child shell
        # has no _old_fish_prompt: its prompt is not wrapped yet.)
        if test "$_OLD_FISH_PROMPT_OVERRIDE" != "$VIRTUAL_ENV"; or not functions -q _old_fish_prompt
            and functions -q fish_prompt
            functions -e _old_fish_prompt
            functions -c fish_prompt _old_fish_prompt
            function fish_prompt
                set -l s $status
                printf '%s' $__venvhook_ps1
                __venvhook_return $s
                _old_fish_prompt
            end
            set -g _OLD_FISH_PROMPT_OVERRIDE $VIRTUAL_ENV
        end
    end
end

function __venvhook_return
    return $argv[1]
end

# --- deactivation -----------------------------------------------------------
# __venvhook_without ENTRY LIST...: the LIST without the first ENTRY, in
# __venvhook_r.
function __venvhook_without --argument-names entry
    set -g __venvhook_r $argv[2..]
    if set -l i (contains -i -- $entry $__venvhook_r)
        set -e __venvhook_r[$i[1]]
    end
end

# __venvhook_deactivate [nondestructive]: the exact undo.  Only the PATH entry
# venvhook added goes, so PATH edits made meanwhile survive.
function __venvhook_deactivate
    if set -q __VENVHOOK_ENV[1]
        __venvhook_without $__VENVHOOK_ENV/bin $PATH
        set -gx PATH $__venvhook_r
    end
    if set -q __VENVHOOK_PYTHONHOME
        set -gx PYTHONHOME (string sub -s 2 -- "$__VENVHOOK_PYTHONHOME")
    end
    __venvhook_forget
    set -e VIRTUAL_ENV VIRTUAL_ENV_PROMPT _OLD_VIRTUAL_PATH _OLD_VIRTUAL_PYTHONHOME
    test "$argv[1]" = nondestructive; or functions -e deactivate
    return 0
end

# __venvhook_forget: drop venvhook's own state, and its prompt wrapper if
# that is still the prompt.
function __venvhook_forget
    if set -q __VENVHOOK_ENV[1]; and test "$_OLD_FISH_PROMPT_OVERRIDE" = "$__VENVHOOK_ENV"
        and functions -q _old_fish_prompt
        functions -e fish_prompt
        functions -c _old_fish_prompt fish_prompt
        functions -e _old_fish_prompt
        set -e _OLD_FISH_PROMPT_OVERRIDE
    end
    set -e __VENVHOOK_ENV
    set -e __VENVHOOK_PYTHONHOME
    set -e __venvhook_ps1
    set -g __venvhook_applied
end

# __venvhook_disown: VIRTUAL_ENV was unset or changed behind venvhook's back
# (not by a deactivate): take venvhook's PATH entry back out, also from the
# PATH a later deactivate would restore, and drop its state.
function __venvhook_disown
    set -l bin $__VENVHOOK_ENV/bin
    __venvhook_without $bin $PATH
    set -gx PATH $__venvhook_r
    if set -q _OLD_VIRTUAL_PATH
        __venvhook_without $bin $_OLD_VIRTUAL_PATH
        set -g _OLD_VIRTUAL_PATH $__venvhook_r
    end
    if test -z "$VIRTUAL_ENV"
        if set -q __VENVHOOK_PYTHONHOME
            set -gx PYTHONHOME (string sub -s 2 -- "$__VENVHOOK_PYTHONHOME")
        end
        set -e VIRTUAL_ENV_PROMPT
        set -e _OLD_VIRTUAL_PATH
        set -e _OLD_VIRTUAL_PYTHONHOME
    end
    __venvhook_forget
end

# __venvhook_orphan: an env activated by hand in a parent shell has no
# deactivate here; give it one that undoes what activate did to this shell.
function __venvhook_orphan
    functions -q deactivate; and return 0
    set -g __venvhook_orphaned 1
    function deactivate
        if test -n "$VIRTUAL_ENV"
            __venvhook_without $VIRTUAL_ENV/bin $PATH
            set -gx PATH $__venvhook_r
        end
        set -g __venvhook_orphaned
        set -e VIRTUAL_ENV VIRTUAL_ENV_PROMPT
        test "$argv[1]" = nondestructive; or functions -e deactivate
        return 0
    end
end

# --- off --------------------------------------------------------------------
# __venvhook_seen_off: an env was active at the last run, and VIRTUAL_ENV and
# the deactivate function are gone now: the user typed deactivate (venv's, an
# orphan's or ours; `set -e VIRTUAL_ENV` and `deactivate nondestructive` keep
# the function).  Whoever activated the env, the project of the last run
# stays off until the user leaves it (the helper clears __venvhook_off then).
function __venvhook_seen_off
    if test -n "$__venvhook_was" -a -z "$VIRTUAL_ENV" -a -z "$__venvhook_off"
        and not functions -q deactivate
        set -g __venvhook_off $__venvhook_here
    end
    # The env an orphan deactivate was made for went away without it (direnv
    # unloaded it, say): that deactivate goes too.
    if test -n "$__venvhook_orphaned" -a -z "$VIRTUAL_ENV"
        functions -e deactivate
        set -g __venvhook_orphaned
    end
end

# --- direnv -----------------------------------------------------------------
# bash and zsh run venvhook around direnv's hook (it puts back the whole PATH
# it saved); direnv's fish hooks are events, in an order nothing here sets.

# --- hook -------------------------------------------------------------------
# Runs before every prompt, and on a cd made by a key binding.  Each run of
# the helper defines it again with the paths the walk looked at inline, so
# that it starts no process and calls no other function while $PWD, the
# active env and those paths are unchanged; until then, and when a test
# fails, it runs __venvhook_check.  Emptying __venvhook_key makes the next
# prompt check.
function __venvhook_hook --on-event fish_prompt
    set -g __venvhook_s $status
    __venvhook_check
    return $__venvhook_s
end

# __venvhook_check: runs the helper, unless VENVHOOK_DISABLE=1 turns it off.
function __venvhook_check
    if test -n "$VENVHOOK_DISABLE" -a "$VENVHOOK_DISABLE" != 0
        set -g __venvhook_key
        return
    end
    __venvhook_run
end

function __venvhook_run
    set -l out
    set -l rc 127
    __venvhook_seen_off
    set -g __venvhook_here
    if test -x "$__venvhook_bin"
        set out (__VENVHOOK_SHELL=fish command $__venvhook_bin hook fish \
            "$__venvhook_applied" "$__venvhook_off" "$__venvhook_notified" "$__venvhook_confnote" \
            "$__venvhook_drift")
        set rc $status
    end
    if test $rc -eq 0
        eval $out
    else
        # The helper says why itself, unless it could not run or died.
        if test $rc -ge 126 -a -z "$__venvhook_warned"
            printf 'venvhook: the prompt hook cannot run %s (status %d)\n' $__venvhook_bin $rc >&2
            set -g __venvhook_warned 1
        end
        __venvhook_failsafe
        set -g __venvhook_key # tried again at the next prompt
        return
    end
    set -g __venvhook_key "$PWD"\n"$VIRTUAL_ENV"\n"$__VENVHOOK_ENV"
    set -g __venvhook_was "$VIRTUAL_ENV"
end

# __venvhook_failsafe: the helper cannot run, so nothing can be judged:
# venvhook's env goes off when $PWD left its project or the env is no longer
# the one that was judged (__venvhook_same), all in the shell itself.
function __venvhook_failsafe
    set -q __VENVHOOK_ENV[1]; or return 0
    if test "$VIRTUAL_ENV" != "$__VENVHOOK_ENV"
        __venvhook_disown
        return 0
    end
    set -l within (string trim -r -c / -- "$__venvhook_project")/
    set -l head (string sub -l (string length -- "$within") -- "$PWD")
    if test -z "$__venvhook_project"
        or test "$PWD" != "$__venvhook_project" -a "$head" != "$within"
        or not __venvhook_same
        __venvhook_deactivate
    end
end

# --- memo -------------------------------------------------------------------
# bash and zsh keep the helper's answers for a few minutes, so that a cd back
# to a directory judged lately starts no process.  fish keeps none: it has no
# builtin clock ($SECONDS, $EPOCHSECONDS) to tell an answer's age, and the
# age bounds what builtin tests cannot see.  The helper runs on each cd.

# --- cd hook ----------------------------------------------------------------
# A cd activates at once, so that `cd proj && pytest` runs pytest in proj's
# env: at most one helper start per cd, and the next prompt event finds
# nothing changed.  Not in a command substitution, nor in a shell that is not
# interactive (config.fish is read by scripts too).  VENVHOOK_ON_CD=0 leaves
# it to the prompt, but for a cd from a key binding, which gets no prompt
# event (fish-shell #7729).
function __venvhook_on_pwd --on-variable PWD
    set -l s $status
    if not status is-command-substitution; and status is-interactive
        if test "$VENVHOOK_ON_CD" != 0; or test (status current-command) = fish
            __venvhook_hook
        end
    end
    return $s
end

# --- command ----------------------------------------------------------------
# venvhook itself, so that allow, deny, create and rm show at the next prompt.
function venvhook --wraps venvhook
    __VENVHOOK_SHELL=fish __VENVHOOK_OFF=$__venvhook_off command $__venvhook_bin $argv
    set -l s $status
    set -g __venvhook_key
    return $s
end

# --- registration -----------------------------------------------------------
# The functions above carry their events (fish_prompt, PWD); defining them
# again replaces them, so loading this twice registers nothing twice.
