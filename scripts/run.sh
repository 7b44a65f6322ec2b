#!/usr/bin/env bash
# Builds Roster (release) and serves it on the embedded default: a SQLite file under data/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
export LEPTOS_SITE_ADDR=${LEPTOS_SITE_ADDR:-127.0.0.1:3000}
echo "Roster: open ${PUBLIC_URL:-http://$LEPTOS_SITE_ADDR} (Ctrl-C stops it)"
exec target/release/server
