#!/usr/bin/env bash
# Times .ci/run as a fresh machine runs it: every cache it fills (npm, cargo registry and target, Go modules and
# build cache, pip, the real runtimes, node 24) points at an empty folder. Debian packages are not undone.
# Usage: bash scripts/ci-cold.sh [CACHE_DIR]   (default: a new temp folder; removed afterwards unless given)
set -uo pipefail
cd "$(dirname "$0")/.."
cache=${1:-$(mktemp -d)}
export WPG_REAL_RUNTIMES_DIR="$cache/rt" CARGO_HOME="$cache/cargo" GOMODCACHE="$cache/gomod" GOCACHE="$cache/gobuild" \
  npm_config_cache="$cache/npm" PIP_NO_CACHE_DIR=1 WPG_NODE24_PREFIX="$cache/node24" CI=true
start=$SECONDS
bash .ci/run
rc=$?
echo "ci-cold: .ci/run exited $rc after $((SECONDS - start)) s (caches under $cache)"
[ $# -eq 0 ] && rm -rf "$cache"
exit $rc
