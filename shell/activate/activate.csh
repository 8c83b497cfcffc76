# Run "source bin/activate.csh" in csh or tcsh to use this virtual
# environment; "deactivate" leaves it.  Written by venvhook.

# csh substitutes a whole line before it runs any of it: hence test ... &&.
alias deactivate 'test $?_OLD_VIRTUAL_PATH != 0 && setenv PATH "$_OLD_VIRTUAL_PATH" && unset _OLD_VIRTUAL_PATH; rehash; test $?_OLD_VIRTUAL_PROMPT != 0 && set prompt="$_OLD_VIRTUAL_PROMPT" && unset _OLD_VIRTUAL_PROMPT; unsetenv VIRTUAL_ENV; unsetenv VIRTUAL_ENV_PROMPT; test "\!:*" != "nondestructive" && unalias deactivate'

# Leave whatever env is active first.
deactivate nondestructive

setenv VIRTUAL_ENV @ENV@
set _OLD_VIRTUAL_PATH="$PATH"
setenv PATH "$VIRTUAL_ENV/"@BIN@":$PATH"
setenv VIRTUAL_ENV_PROMPT @PROMPT_VAR@

if ($?prompt) then
    set _OLD_VIRTUAL_PROMPT="$prompt"
    if (! "$?VIRTUAL_ENV_DISABLE_PROMPT") then
        set prompt = @PROMPT_PREFIX@"$prompt"
    endif
endif

alias pydoc python -m pydoc

rehash
