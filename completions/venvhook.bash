# bash completion for venvhook.  bash-completion loads it from
# $PREFIX/share/bash-completion/completions/venvhook; without bash-completion,
# source this file from ~/.bashrc.  No NAME=VALUE word follows local: under
# set -k it would be an assignment for local alone.  Where a command's output
# is split into words, `local -; set -f` first: else each word would be a
# pattern (a name holding '[ab]' becomes what it matches, or goes under
# nullglob, or fails the completion under failglob).

# __venvhook_comp_words WORDS CUR: the words of the space-separated WORDS
# that start with CUR.
__venvhook_comp_words() {
    \builtin local -
    \builtin set -f
    \builtin local IFS
    IFS=$' \t\n'
    COMPREPLY+=($(\builtin compgen -W "$1" -- "$2"))
}

# __venvhook_comp_envs CUR: the envs venvhook knows (its registry), most
# recently used first.  Fails if none starts with CUR.
__venvhook_comp_envs() {
    \builtin local -
    \builtin set -f
    \builtin local IFS e found
    IFS=$'\n' found=1
    for e in $(command venvhook list --names 2>/dev/null); do
        [[ $e == "$1"* ]] && COMPREPLY+=("$e") found=0
    done
    return $found
}

# __venvhook_comp_env_or -f|-d CUR: the known envs, and files (-f) or
# directories (-d).  The filenames option (a listing shows only the last part
# of a path) only when no env is listed: they all end in the same .venv.
__venvhook_comp_env_or() {
    \builtin local -
    \builtin set -f
    \builtin local IFS
    IFS=$'\n'
    if __venvhook_comp_envs "$2"; then
        COMPREPLY+=($(\builtin compgen "$1" -- "$2"))
    else
        __venvhook_comp_paths "$1" "$2"
    fi
}

# __venvhook_comp_paths -f|-d CUR: the files (-f) or directories (-d) that
# start with CUR, listed by their last part, as file names are.
__venvhook_comp_paths() {
    \builtin local -
    \builtin set -f
    \builtin local IFS
    IFS=$'\n'
    \builtin compopt -o filenames 2>/dev/null
    COMPREPLY+=($(\builtin compgen "$1" -- "$2"))
}

__venvhook_comp_commands() {
    \builtin local -
    \builtin set -f
    \builtin local IFS
    IFS=$'\n'
    COMPREPLY+=($(\builtin compgen -c -- "$1" | LC_ALL=C sort -u))
}

# __venvhook_comp_pythons CUR: what -p takes: the versions pyenv has and the
# pythonX.Y commands on PATH; a path when CUR looks like one.
__venvhook_comp_pythons() {
    case $1 in
    */*|.*|~*) __venvhook_comp_paths -f "$1"; return ;;
    esac
    \builtin local - IFS v root failglob
    IFS=$'\n' root=${PYENV_ROOT:-$HOME/.pyenv} failglob=
    # pyenv's versions by a pattern: one that matches nothing must not fail
    # the completion (failglob).
    \builtin shopt -q failglob && failglob=1 && \builtin shopt -u failglob
    for v in "$root"/versions/[0-9]*; do
        [[ -d $v ]] || continue
        v=${v##*/}
        [[ $v == "$1"* ]] && COMPREPLY+=("$v")
    done
    [[ -n $failglob ]] && \builtin shopt -s failglob
    \builtin set -f
    for v in $(\builtin compgen -c -- python | LC_ALL=C sort -u); do
        [[ $v =~ ^python[0-9]+\.[0-9]+$ && $v == "$1"* ]] && COMPREPLY+=("$v")
    done
}

_venvhook() {
    \builtin local cur prev cmd i opts commands
    cur=${COMP_WORDS[COMP_CWORD]} prev= cmd=${COMP_WORDS[1]-} opts=
    ((COMP_CWORD > 1)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
    commands='init allow deny status create rm list prune repair freeze check sync exec help'
    COMPREPLY=()
    if ((COMP_CWORD == 1)); then
        __venvhook_comp_words "$commands --help --version" "$cur"
        return 0
    fi
    # After '--': pip's arguments, or exec's command and its arguments.
    for ((i = 2; i < COMP_CWORD; i++)); do
        if [[ ${COMP_WORDS[i]} == -- ]]; then
            if [[ $cmd == exec ]] && ((i == COMP_CWORD - 1)); then
                __venvhook_comp_commands "$cur"
            else
                __venvhook_comp_paths -f "$cur"
            fi
            return 0
        fi
    done
    if [[ $cmd == exec ]]; then
        # The first word that is neither an option nor --env's value is the command.
        for ((i = 2; i < COMP_CWORD; i++)); do
            case ${COMP_WORDS[i]} in
            --env) ((i++)) ;;
            -*) ;;
            *) __venvhook_comp_paths -f "$cur"; return 0 ;;
            esac
        done
    fi
    case $prev in
    -p|--python) [[ $cmd == create || $cmd == repair ]] && { __venvhook_comp_pythons "$cur"; return 0; } ;;
    -r|--requirement|-o|--output) __venvhook_comp_paths -f "$cur"; return 0 ;;
    --env) __venvhook_comp_env_or -d "$cur"; return 0 ;;
    --prompt|--exclude) return 0 ;;
    esac
    case $cmd in
    init) ((COMP_CWORD == 2)) && __venvhook_comp_words 'bash zsh fish' "$cur"; return 0 ;;
    help) ((COMP_CWORD == 2)) && __venvhook_comp_words "$commands" "$cur"; return 0 ;;
    create) opts='-p --python --system-site-packages --prompt --without-pip --clear -r --requirement --' ;;
    list) opts='--json --size --scan' ;;
    prune) opts='--dry-run --yes' ;;
    repair) opts='-p --python --rebuild --' ;;
    freeze) opts='--env -o --output --all --exclude --exclude-editable' ;;
    check) opts='--env -r --requirement' ;;
    sync) opts='--env -r --requirement --exact --' ;;
    exec) opts='--env --' ;;
    allow|deny|status|rm) ;;
    *) return 0 ;;
    esac
    if [[ $cur == -* ]]; then
        __venvhook_comp_words "$opts" "$cur"
        return 0
    fi
    case $cmd in
    allow|deny|rm|repair) __venvhook_comp_env_or -f "$cur" ;;
    create) __venvhook_comp_paths -d "$cur" ;;
    list) [[ " ${COMP_WORDS[*]:2:COMP_CWORD-2} " == *' --scan '* ]] && __venvhook_comp_paths -d "$cur" ;;
    exec) __venvhook_comp_commands "$cur" ;;
    esac
    return 0
}
\builtin complete -F _venvhook venvhook
