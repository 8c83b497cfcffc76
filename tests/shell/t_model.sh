# t_model.sh: a seeded random walk in bash, zsh and fish, judged by a small
# model (tests/shell/model.py): cd between sibling and nested projects and
# plain directories, source activate, deactivate, child shells, PATH edits,
# envs created and removed, allow and deny.  After every step the shell's
# VIRTUAL_ENV, PATH, prompt and whether deactivate exists must be the model's.
# The shells run the walk as a script (no terminal plays a part) and call the
# prompt hook themselves after each step.
#
#   VENVHOOK_MODEL_SEEDS="7 8 9" VENVHOOK_MODEL_STEPS=1000 sh tests/run tests/shell/t_model.sh
#
# runs other seeds, or longer walks; a failure names its seed and steps.
. "$(dirname "$0")/lib.sh"

SEEDS=${VENVHOOK_MODEL_SEEDS:-"1 2 3 4 5"}
STEPS=${VENVHOOK_MODEL_STEPS:-300}

/usr/bin/python3 -m venv --without-pip "$T/tpl0/.venv" || { echo "Bail out! python3 -m venv failed"; exit 1; }

# world ROOT: the fixtures model.py expects, projects allowed.
world() {
	local root=$1 p
	mkdir -p "$root/tpl" "$root/m" "$root/w/plain" "$root/w/a/sub" "$root/w/a/n/deep" "$root/w/b/sub" \
		"$root/w/c" "$root/home" "$root/xdg"
	cp -a "$T/tpl0/.venv" "$root/tpl/.venv"
	sed -i "s|$T/tpl0/.venv|$root/tpl/.venv|g" "$root/tpl/.venv/bin/activate" "$root/tpl/.venv/bin/activate.fish"
	cp -a "$T/tpl0/.venv" "$root/m/env"
	sed -i "s|$T/tpl0/.venv|$root/m/env|g; s|(.venv) |(env) |g" "$root/m/env/bin/activate" \
		"$root/m/env/bin/activate.fish"
	for p in a b c a/n; do
		cp -a "$root/tpl/.venv" "$root/w/$p/.venv"
		sed -i "s|$root/tpl/.venv|$root/w/$p/.venv|g" "$root/w/$p/.venv/bin/activate" \
			"$root/w/$p/.venv/bin/activate.fish"
		menv "$root" "$VH" allow "$root/w/$p" >/dev/null || echo "# allow $p failed"
	done
	# Made an hour ago, as projects one comes back to: the helper's answers
	# for them are kept (an answer is kept only once what it read is 2 s
	# old), so that the walk replays kept answers in bash and zsh, beside
	# the envs it makes (and the helper judges afresh).
	find "$root" -exec touch -h -d "@$(($(date +%s) - 3600))" {} +
}
# menv ROOT CMD...: CMD with the world's HOME and XDG dirs, and nothing else.
menv() {
	local root=$1
	shift
	env -i HOME="$root/home" PATH=/usr/bin:/bin LANG=C.UTF-8 TERM=dumb \
		XDG_CONFIG_HOME="$root/xdg/config" XDG_DATA_HOME="$root/xdg/data" \
		XDG_CACHE_HOME="$root/xdg/cache" XDG_STATE_HOME="$root/xdg/state" "$@"
}

walk() {
	local seed=$1 root=$T/$SH-$1 out=$T/$SH-$1.out
	mkdir -p "$out"
	world "$root"
	/usr/bin/python3 "$TOP/tests/shell/model.py" "$SH" "$seed" "$STEPS" "$root" "$VH" "$out" ||
		{ fail "seed $seed: model.py failed"; return; }
	local cmd
	case $SH in
	bash) cmd=(bash --norc --noprofile) ;;
	zsh) cmd=(zsh -f) ;;
	fish) cmd=(fish --no-config) ;;
	esac
	(cd "$root/w/plain" && menv "$root" "${cmd[@]}" "$out/main.$SH" </dev/null >"$out/stdout" 2>"$out/stderr")
	# The prompt as shown: without colour sequences (activate.fish's set_color).
	sed -i 's/\x1b\[[0-9;]*m//g; s/\x1b(B//g' "$out/got" 2>/dev/null
	local i=0 g w bad=
	local -a got want
	mapfile -t got <"$out/got" 2>/dev/null
	mapfile -t want <"$out/want"
	for ((i = 0; i < ${#want[@]}; i++)); do
		g=${got[i]-<no state: the shell stopped>}
		w=${want[i]}
		if [[ $g != "$w" ]]; then
			bad=$i
			break
		fi
	done
	if [[ -z $bad ]]; then
		pass "seed $seed: $STEPS steps, every state as the model says"
		return
	fi
	local -a steps gf wf
	mapfile -t steps <"$out/steps"
	IFS=$'\t' read -r -a gf <<<"$g"
	IFS=$'\t' read -r -a wf <<<"$w"
	local names=(step VIRTUAL_ENV PATH prompt deactivate) k lines=()
	for k in 0 1 2 3 4; do
		[[ ${gf[k]-} != "${wf[k]-}" ]] &&
			lines+=("${names[k]}: got  $(printf %q "${gf[k]-}")" "${names[k]}: want $(printf %q "${wf[k]-}")")
	done
	local from=$((bad > 40 ? bad - 40 : 0))
	lines+=("seed $seed, step $bad; the steps (from $from; rerun: VENVHOOK_MODEL_SEEDS=$seed):")
	for ((k = from; k <= bad && k < ${#steps[@]}; k++)); do lines+=("  ${steps[k]}"); done
	[[ -s $out/stderr ]] && lines+=("stderr: $(tail -n 3 "$out/stderr" | tr '\n' '|')")
	fail "seed $seed: the state after step $bad is not the model's" "${lines[@]}"
}

body() {
	local s
	for s in $SEEDS; do walk "$s"; done
}

for_shells body
done_testing
