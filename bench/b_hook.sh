#!/bin/bash
# Per-prompt cost of venvhook's hook against direnv's and mise's, in bash and
# zsh, in one run: a prompt where nothing changed, and a cd between two
# projects ten levels deep, once with the answers the shell keeps (a cd back
# to a directory judged lately, the case of going back and forth) and once
# without (a cd to one not judged lately: the helper runs), and a cd out of
# a project to a directory of none and back, answers kept (direnv with an
# .envrc that activates the same env, mise with a mise.toml whose [env]
# _.python.venv names it, offline).
# Targets, against each peer: nothing changed at least 100x cheaper (issue 8),
# a cd at least 20x (issue 9); mise is held to the same ratios (issue 12).
# mise is left out (and said so) when it is not installed (tools/deps.sh
# installs it).
set -eu
cd "$(dirname "$0")/.."
VH=$PWD/venvhook
command -v direnv >/dev/null || { echo "bench: direnv is not installed (make deps)" >&2; exit 1; }
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
export HOME=$T/home XDG_DATA_HOME=$T/data XDG_CONFIG_HOME=$T/config XDG_STATE_HOME=$T/state XDG_CACHE_HOME=$T/cache
mkdir -p "$HOME"
# mise: no network at all, its projects trusted, no notices.
export MISE_OFFLINE=1 MISE_TRUSTED_CONFIG_PATHS=$T MISE_DISABLE_UPDATE_WARNING=1 MISE_AUTO_UPDATE=0 \
	MISE_STATUS_MESSAGE_MISSING_TOOLS=never
MISE=$(command -v mise || true)
[[ -n $MISE ]] || echo "bench: mise is not installed (tools/deps.sh): only direnv is compared" >&2
deep=1/2/3/4/5/6/7/8/9
for p in a b; do
	d=$T/$p/$deep/proj
	mkdir -p "$d"
	/usr/bin/python3 -m venv --without-pip "$d/.venv"
	"$VH" allow "$d" >/dev/null
	printf 'source .venv/bin/activate\n' >"$d/.envrc"
	(cd "$d" && direnv allow . >/dev/null 2>&1)
	printf '[env]\n_.python.venv = ".venv"\n' >"$d/mise.toml"
done
A=$T/a/$deep/proj B=$T/b/$deep/proj P=$T/p/$deep/plain
mkdir -p "$P"
# Projects made an hour ago, as the ones one goes back to: venvhook keeps an
# answer only once what it read is a few seconds old.
find "$T/a" "$T/b" "$T/p" -exec touch -h -d "@$(( $(date +%s) - 3600 ))" {} +
N_IDLE=${N_IDLE:-2000} N_IDLE_DIRENV=${N_IDLE_DIRENV:-200} N_CD=${N_CD:-100}
N_IDLE_MISE=${N_IDLE_MISE:-$N_IDLE_DIRENV}

# measure SHELL TOOL N_IDLE N_CD [OTHER]: prints "idle_ns cd_ns" per prompt,
# a cd being from project A to OTHER (B unless given) or back.
# TOOL venvhook-cold is venvhook with no answer kept (it forgets them
# before each cd): the cost of a cd to a directory not judged lately.
measure() {
	local sh=$1 tool=$2 nidle=$3 ncd=$4 other=${5:-$B} init hook forget=
	case $tool in
	venvhook) init="eval \"\$($VH init $sh)\""; hook=__venvhook_hook ;;
	venvhook-cold) init="eval \"\$($VH init $sh)\""; hook=__venvhook_hook forget='__venvhook_memo=(); ' ;;
	direnv) init="eval \"\$(direnv hook $sh)\""; hook=_direnv_hook ;;
	# mise's prompt hook; its cd hook (a cd wrapper in bash, chpwd in zsh)
	# runs by itself on each cd, and the prompt after it skips its own run.
	mise) init="eval \"\$($MISE activate $sh)\""
		[[ $sh == zsh ]] && hook=_mise_hook_precmd || hook=_mise_hook_prompt_command ;;
	esac
	local script='
'"$init"'
now() { '"$([[ $sh == zsh ]] && echo 'zmodload zsh/datetime; printf %.0f $(( EPOCHREALTIME * 1e6 ))' || echo 'local t=$EPOCHREALTIME; echo ${t/./}')"'; }
cd '"$A"'; '"$hook"'; '"$hook"'
t0=$(now); i=0; while (( i < '"$nidle"' )); do '"$hook"'; i=$((i+1)); done; t1=$(now)
[[ -n ${VIRTUAL_ENV-} ]] || { echo "not active in A" >&2; exit 1; }
t2=$(now); i=0; while (( i < '"$ncd"' )); do '"$forget"'cd '"$other"'; '"$hook"'; '"$forget"'cd '"$A"'; '"$hook"'; i=$((i+1)); done; t3=$(now)
[[ ${VIRTUAL_ENV-} == '"$A"'/.venv ]] || { echo "switching failed: ${VIRTUAL_ENV-}" >&2; exit 1; }
echo "$(( (t1 - t0) * 1000 / '"$nidle"' )) $(( (t3 - t2) * 1000 / (2 * '"$ncd"') ))"'
	if [[ $sh == zsh ]]; then zsh -f -c "$script" 2>"$T/err"
	else bash --norc -c "$script" 2>"$T/err" || cat "$T/err" >&2; fi
}

# floor SHELL: the cost of the least any cd that starts a process pays here,
# in ns: the shell forks and runs a static program that does nothing, as
# the hook runs the helper ($(...)).  A peer's cost over it is the most a
# hook that starts a process per cd could ratio against that peer.
printf 'int main(void) { return 0; }\n' >"$T/empty.c"
cc -O2 -static -o "$T/empty" "$T/empty.c"
floor() {
	local sh=$1 script='
now() { '"$([[ $sh == zsh ]] && echo 'zmodload zsh/datetime; printf %.0f $(( EPOCHREALTIME * 1e6 ))' || echo 'local t=$EPOCHREALTIME; echo ${t/./}')"'; }
t0=$(now); i=0; while (( i < '"$N_CD"' )); do out=$('"$T"'/empty); i=$((i+1)); done; t1=$(now)
echo "$(( (t1 - t0) * 1000 / '"$N_CD"' ))"'
	if [[ $sh == zsh ]]; then zsh -f -c "$script"; else bash --norc -c "$script"; fi
}

# ratio PEER_NS VENVHOOK_NS: "12x"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0fx", a / b }'; }
us() { awk -v n="$1" 'BEGIN { printf "%.1f", n / 1000 }'; }
# reaches PEER_NS VENVHOOK_NS TARGET: PEER is at least TARGET times VENVHOOK.
reaches() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { exit !(a / b >= t) }'; }

status=0
printf '%-5s %-20s %12s %12s %7s %12s %7s  %s\n' shell case venvhook direnv ratio mise ratio target
for sh in bash zsh; do
	best_v_idle= best_v_cd= best_d_idle= best_d_cd= best_m_idle= best_m_cd= best_f= best_c_cd=
	best_v_out= best_d_out= best_m_out=
	for round in 1 2 3; do
		read -r vi vc < <(measure "$sh" venvhook "$N_IDLE" "$N_CD")
		read -r _ cc < <(measure "$sh" venvhook-cold 1 "$N_CD")
		cc=${cc%.*}
		[[ -z $best_c_cd || $cc -lt $best_c_cd ]] && best_c_cd=$cc
		read -r _ vout < <(measure "$sh" venvhook 1 "$N_CD" "$P")
		read -r _ dout < <(measure "$sh" direnv 1 "$((N_CD / 4))" "$P")
		vout=${vout%.*} dout=${dout%.*}
		[[ -z $best_v_out || $vout -lt $best_v_out ]] && best_v_out=$vout
		[[ -z $best_d_out || $dout -lt $best_d_out ]] && best_d_out=$dout
		read -r di dc < <(measure "$sh" direnv "$N_IDLE_DIRENV" "$((N_CD / 4))")
		f=$(floor "$sh")
		[[ -z $best_f || $f -lt $best_f ]] && best_f=$f
		vi=${vi%.*} vc=${vc%.*} di=${di%.*} dc=${dc%.*}
		[[ -z $best_v_idle || $vi -lt $best_v_idle ]] && best_v_idle=$vi
		[[ -z $best_v_cd || $vc -lt $best_v_cd ]] && best_v_cd=$vc
		[[ -z $best_d_idle || $di -lt $best_d_idle ]] && best_d_idle=$di
		[[ -z $best_d_cd || $dc -lt $best_d_cd ]] && best_d_cd=$dc
		if [[ -n $MISE ]]; then
			read -r mi mc < <(measure "$sh" mise "$N_IDLE_MISE" "$((N_CD / 4))")
			mi=${mi%.*} mc=${mc%.*}
			[[ -z $best_m_idle || $mi -lt $best_m_idle ]] && best_m_idle=$mi
			[[ -z $best_m_cd || $mc -lt $best_m_cd ]] && best_m_cd=$mc
			read -r _ mout < <(measure "$sh" mise 1 "$((N_CD / 4))" "$P")
			mout=${mout%.*}
			[[ -z $best_m_out || $mout -lt $best_m_out ]] && best_m_out=$mout
		fi
	done
	for c in idle cd out cold; do
		case $c in
		idle) v=$best_v_idle d=$best_d_idle m=$best_m_idle label="nothing changed" target=100 ;;
		cd) v=$best_v_cd d=$best_d_cd m=$best_m_cd label="cd between projects" target=20 ;;
		out) v=$best_v_out d=$best_d_out m=$best_m_out label="cd out of a project" target=20 ;;
		cold) v=$best_c_cd d=$best_d_cd m=$best_m_cd label="cd, nothing kept" target= ;;
		esac
		(( v > 0 )) || v=1
		if [[ -z $target ]]; then
			verdict="(no target: the first visit)" goal=
		else
			goal=">= ${target}x" verdict="direnv met"
			reaches "$d" "$v" "$target" || { verdict="direnv MISSED"; status=1; }
		fi
		if [[ -n $m ]]; then
			if [[ -z $target ]]; then :
			elif reaches "$m" "$v" "$target"; then verdict+=", mise met"
			else verdict+=", mise MISSED"; status=1; fi
			mcol="$(us "$m") us" mratio=$(ratio "$m" "$v")
		else
			mcol=- mratio=-
		fi
		printf '%-5s %-20s %9s us %9s us %7s %12s %7s  %s %s\n' "$sh" "$label" \
			"$(us "$v")" "$(us "$d")" "$(ratio "$d" "$v")" "$mcol" "$mratio" "$goal" "$verdict"
	done
	mf=-
	[[ -n $best_m_cd ]] && mf=$(ratio "$best_m_cd" "$best_f")
	printf '%-5s %-20s %9s us %12s %7s %12s %7s  (a process per cd cannot beat these ratios)\n' "$sh" \
		"floor: one process" "$(us "$best_f")" "" "$(ratio "$best_d_cd" "$best_f")" "" "$mf"
done
exit $status
