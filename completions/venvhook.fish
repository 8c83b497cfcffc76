# fish completion for venvhook; installed in
# $PREFIX/share/fish/vendor_completions.d/venvhook.fish.

# The words after "venvhook" up to the cursor's.
function __venvhook_comp_words
    set -l w (commandline -opc)
    set -e w[1]
    for a in $w
        printf '%s\n' $a
    end
end

# __venvhook_comp_using CMD...: the subcommand is one of CMD.
function __venvhook_comp_using
    set -l w (__venvhook_comp_words)
    set -q w[1]; and contains -- $w[1] $argv
end

function __venvhook_comp_needs_command
    set -l w (__venvhook_comp_words)
    not set -q w[1]
end

# exec: true while the command to run is not yet typed.
function __venvhook_comp_exec_before_command
    set -l w (__venvhook_comp_words)
    test "$w[1]" = exec; or return 1
    set -e w[1]
    set -l skip 0
    for a in $w
        if test $skip = 1
            set skip 0
        else if test "$a" = --env
            set skip 1
        else if test "$a" = --
            return 0
        else if not string match -q -- '-*' $a
            return 1
        end
    end
    return 0
end

function __venvhook_comp_exec_after_command
    __venvhook_comp_using exec; and not __venvhook_comp_exec_before_command
end

# The envs venvhook knows (its registry), most recently used first.
function __venvhook_comp_envs
    command venvhook list --names 2>/dev/null
end

# What -p takes: the versions pyenv has, the pythonX.Y commands on PATH.
function __venvhook_comp_pythons
    set -l root $HOME/.pyenv
    set -q PYENV_ROOT; and set root $PYENV_ROOT
    for v in $root/versions/*
        set -l n (string replace -r '.*/' '' -- $v)
        string match -qr '^[0-9]' -- $n; and test -d $v; and printf '%s\tpyenv\n' $n
    end
    for d in $PATH
        for p in $d/python*
            set -l n (string replace -r '.*/' '' -- $p)
            string match -qr '^python[0-9]+\.[0-9]+$' -- $n; and test -x $p; and printf '%s\n' $n
        end
    end | sort -u
end

complete -c venvhook -f
complete -c venvhook -n __venvhook_comp_needs_command -s h -l help -d 'Show the usage'
complete -c venvhook -n __venvhook_comp_needs_command -s V -l version -d 'Show the version'

set -l __venvhook_cmds init allow deny status create rm list prune repair freeze check sync exec help
complete -c venvhook -n __venvhook_comp_needs_command -a init -d 'Print the shell integration'
complete -c venvhook -n __venvhook_comp_needs_command -a allow -d 'Trust the env of a project'
complete -c venvhook -n __venvhook_comp_needs_command -a deny -d 'Never activate the env of a project'
complete -c venvhook -n __venvhook_comp_needs_command -a status -d 'Show what this directory has'
complete -c venvhook -n __venvhook_comp_needs_command -a create -d 'Create a virtual environment'
complete -c venvhook -n __venvhook_comp_needs_command -a rm -d 'Delete an env'
complete -c venvhook -n __venvhook_comp_needs_command -a list -d 'Show every env venvhook knows'
complete -c venvhook -n __venvhook_comp_needs_command -a prune -d 'Forget or delete envs that are gone'
complete -c venvhook -n __venvhook_comp_needs_command -a repair -d 'Mend a broken or moved env'
complete -c venvhook -n __venvhook_comp_needs_command -a freeze -d 'Print installed distributions'
complete -c venvhook -n __venvhook_comp_needs_command -a check -d 'Compare requirements with the env'
complete -c venvhook -n __venvhook_comp_needs_command -a sync -d 'Install requirements into the env'
complete -c venvhook -n __venvhook_comp_needs_command -a exec -d 'Run a command in the env'
complete -c venvhook -n __venvhook_comp_needs_command -a help -d 'Describe a command'

complete -c venvhook -n '__venvhook_comp_using init' -a 'bash zsh fish'
complete -c venvhook -n '__venvhook_comp_using help' -a "$__venvhook_cmds"

complete -c venvhook -n '__venvhook_comp_using allow deny rm repair' -F -a '(__venvhook_comp_envs)'

complete -c venvhook -n '__venvhook_comp_using create' -F
complete -c venvhook -n '__venvhook_comp_using create repair' -s p -l python -x -a '(__fish_complete_path (commandline -ct); __venvhook_comp_pythons)' -d Interpreter
complete -c venvhook -n '__venvhook_comp_using create' -l system-site-packages -d 'Give access to the base site-packages'
complete -c venvhook -n '__venvhook_comp_using create' -l prompt -x -d 'Name for the prompt'
complete -c venvhook -n '__venvhook_comp_using create' -l without-pip -d 'Do not install pip'
complete -c venvhook -n '__venvhook_comp_using create' -l clear -d 'Replace an existing env'
complete -c venvhook -n '__venvhook_comp_using create check sync' -s r -l requirement -r -F -d 'Requirements file'

complete -c venvhook -n '__venvhook_comp_using list' -l json -d 'Print a JSON array'
complete -c venvhook -n '__venvhook_comp_using list' -l size -d 'Add the disk use'
complete -c venvhook -n '__venvhook_comp_using list' -l scan -x -a '(__fish_complete_directories (commandline -ct))' -d 'Find envs under directories'

complete -c venvhook -n '__venvhook_comp_using prune' -l dry-run -d 'Only say what would be done'
complete -c venvhook -n '__venvhook_comp_using prune' -l yes -d 'Delete without asking'

complete -c venvhook -n '__venvhook_comp_using repair' -l rebuild -d 'Rebuild a working env too'

complete -c venvhook -n '__venvhook_comp_using freeze check sync; or __venvhook_comp_exec_before_command' -l env -x -a '(__venvhook_comp_envs; __fish_complete_directories (commandline -ct))' -d 'The env'
complete -c venvhook -n '__venvhook_comp_using freeze' -s o -l output -r -F -d 'Write to a file'
complete -c venvhook -n '__venvhook_comp_using freeze' -l all -d 'Include pip and its tooling'
complete -c venvhook -n '__venvhook_comp_using freeze' -l exclude -x -d 'Leave out a distribution'
complete -c venvhook -n '__venvhook_comp_using freeze' -l exclude-editable -d 'Leave out editable installs'
complete -c venvhook -n '__venvhook_comp_using sync' -l exact -d 'Uninstall what the file does not list'

complete -c venvhook -n __venvhook_comp_exec_before_command -a '(__fish_complete_command)'
complete -c venvhook -n __venvhook_comp_exec_after_command -a '(__venvhook_comp_exec_args)'
function __venvhook_comp_exec_args
    # Complete the words after the command as that command's own.
    set -l w (__venvhook_comp_words)
    set -e w[1]
    set -l skip 0
    while set -q w[1]
        if test $skip = 1
            set skip 0
        else if test "$w[1]" = --env
            set skip 1
        else if test "$w[1]" = --
            set -e w[1]
            break
        else if not string match -q -- '-*' $w[1]
            break
        end
        set -e w[1]
    end
    complete -C (string join -- ' ' (string escape -- $w) (commandline -ct))
end
