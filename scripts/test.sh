#!/usr/bin/env bash
# Runs every test: unit, integration (real server, real database), and Playwright in Chromium
# with JavaScript on and off against the release build.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --e2e

echo "== unit tests (domain types, access table, sessions)"
cargo test -p app --features ssr
echo "== integration tests (real server on port 0, fresh SQLite database each)"
cargo test -p server

echo "== release build for the browser tests"
cargo leptos build --release
echo "== browser tests (Chromium; JavaScript on and off)"
(cd end2end && npx playwright test)
