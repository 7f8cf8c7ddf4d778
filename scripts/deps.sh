#!/bin/sh
# Installs the Debian packages that bioex's build and tests need (with --bench: also the
# benchmarks' peers; with --fuzz: clang and libFuzzer), and only those that are missing.
# Run by make; safe to run again. The tests also need one npm package, the third-party
# OAI-PMH harvester oai-pmh, installed into build/npm (NODE_PATH=build/npm/node_modules).
set -eu

DEBIAN_PACKAGES="gcc make pkg-config python3 python3-yaml libsqlite3-dev sqlite3 libicu-dev libstemmer-dev \
libmicrohttpd-dev libjansson-dev libcurl4-openssl-dev libxml2-dev libxml2-utils libsodium-dev \
libcmocka-dev curl chromium chromium-driver fonts-noto-cjk"
BENCH_PACKAGES="wrk nginx-light bc curl g++ libxapian-dev"
FUZZ_PACKAGES="clang libclang-rt-14-dev"

want="$DEBIAN_PACKAGES"
case "${1:-}" in
--bench) want="$want $BENCH_PACKAGES" ;;
--fuzz) want="$want $FUZZ_PACKAGES" ;;
esac
# tests/oai/harvest.js runs on node; a node installed otherwise (which bundles npm) will do.
command -v node >/dev/null 2>&1 || want="$want nodejs"
command -v npm >/dev/null 2>&1 || want="$want npm"

missing=""
for package in $want; do
	dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $package"
done

if [ -n "$missing" ]; then
	echo "deps: installing$missing"
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
fi

npm_dir="$(cd "$(dirname "$0")/.." && pwd)/build/npm"
if [ ! -f "$npm_dir/node_modules/oai-pmh/package.json" ]; then
	echo "deps: installing the npm package oai-pmh into build/npm"
	mkdir -p "$npm_dir"
	npm install --prefix "$npm_dir" --no-audit --no-fund --loglevel=error oai-pmh@2.0.3
fi
