#!/usr/bin/env bash
# Runs every test: unit, integration (real server, real database), and Playwright in Chromium
# with JavaScript on and off against the release build.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --e2e

echo "== unit tests (domain types, access table, sessions)"
cargo test -p app --features ssr
echo "== integration tests on SQLite (real server on port 0, fresh database each)"
cargo test -p server

# The same suite on PostgreSQL: ROSTER_TEST_POSTGRES, or the local server these machines run.
pg=${ROSTER_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432}
pg_up() { python3 - "$pg" <<'PY'
import socket, sys, urllib.parse
u = urllib.parse.urlparse(sys.argv[1])
try:
    socket.create_connection((u.hostname or "127.0.0.1", u.port or 5432), timeout=2).close()
except OSError:
    sys.exit(1)
PY
}
if ! pg_up && [ "${CI:-}" = true ] && command -v pg_ctlcluster >/dev/null; then
  echo "== starting the local PostgreSQL server"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  sleep 2
fi
if pg_up; then
  echo "== integration tests on PostgreSQL ($pg, a fresh database per test)"
  # --include-ignored: the PostgreSQL-only tests (ignored, not passed, on SQLite).
  ROSTER_TEST_POSTGRES=$pg cargo test -p server -- --include-ignored
elif [ "${CI:-}" = true ]; then
  echo "!! PostgreSQL is not reachable at $pg: CI must test both backends" >&2
  exit 1
else
  printf '\n\033[1;33m!! SKIPPED the PostgreSQL run: nothing answers at %s.\n!! Set ROSTER_TEST_POSTGRES to a server to test that backend too.\033[0m\n\n' "$pg" >&2
fi

echo "== release build for the browser tests"
scripts/build.sh
echo "== browser tests (Chromium; JavaScript on and off)"
(cd end2end && npx playwright test)
