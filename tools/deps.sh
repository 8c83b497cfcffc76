#!/bin/sh
# Installs, with apt-get, every Debian package venvhook needs to build, test and benchmark.
set -e
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
	build-essential pkg-config libpcre2-dev libinih-dev libjansson-dev zlib1g-dev \
	mandoc bash zsh fish tcsh strace tmux python3 python3-venv python3-pip python3-pip-whl \
	python3-setuptools-whl python3-wheel python3-wheel-whl python3-virtualenv git direnv hyperfine \
	clang libclang-rt-14-dev ca-certificates bash-completion \
	liquidprompt zsh-theme-powerlevel9k >/dev/null

# mise, the second peer of bench/b_hook.sh, from the npm registry (the package
# ships its binary); installed with the machine's Node.js and npm.
if ! command -v mise >/dev/null 2>&1; then
	if command -v npm >/dev/null 2>&1; then
		flock /tmp/npm.lock npm install -g --no-fund --no-audit @jdxcode/mise >/dev/null ||
			echo "deps: could not install mise from npm: make bench leaves it out" >&2
	else
		echo "deps: npm is missing: make bench leaves mise out" >&2
	fi
fi
