#!/bin/sh
# Installs, with apt-get, every Debian package venvhook needs to build, test and benchmark,
# and mise (not packaged by Debian) with npm.
set -e
export DEBIAN_FRONTEND=noninteractive
# npm brings mise below; Debian's npm conflicts with a Node.js from elsewhere
# (NodeSource's nodejs ships its own npm), so only where there is none.
npm=
command -v npm >/dev/null 2>&1 || npm=npm
apt-get update -qq
apt-get install -y -qq --no-install-recommends $npm \
	build-essential pkg-config libpcre2-dev libinih-dev libjansson-dev zlib1g-dev \
	mandoc bash zsh fish tcsh strace tmux python3 python3-venv python3-pip python3-pip-whl \
	python3-setuptools-whl python3-wheel python3-wheel-whl python3-virtualenv git direnv hyperfine bindfs \
	clang libclang-rt-14-dev ca-certificates bash-completion procps \
	liquidprompt zsh-theme-powerlevel9k >/dev/null

# mise, the second peer of bench/b_hook.sh and a neighbour in t_coexist.sh,
# from the npm registry (the package ships its binary).
if ! command -v mise >/dev/null 2>&1; then
	npm install -g --no-fund --no-audit --silent @jdxcode/mise >/dev/null ||
		echo "deps: could not install mise from npm" >&2
fi
