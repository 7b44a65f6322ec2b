#!/usr/bin/env bash
# Prints performance figures of the release build (scripts/build.sh):
# - per route, the WASM and JS that Chromium downloads before the page is interactive (bytes
#   on the wire, gzip), and the time until it has hydrated (budget: 250 KB of WASM per route);
# - the site's WASM and JS files, raw and gzip -9;
# - cold start: from launching the server on a fresh database to /healthz answering;
# - a burst of 400 parallel sign-ins: how they are answered, the server's peak and settled
#   memory (RSS), and the p99 of a page load during the burst;
# - 50 users working for 2 minutes (USERS, LOAD_SECONDS): requests, errors, latency, and the
#   server's RSS at start, at its peak, right after and 15 s later (budget: under 256 MiB).
# The page throughput benches are separate, built with the release build's cfg so that they
# measure the server as shipped: `RUSTFLAGS="--cfg erase_components" cargo bench -p server
# --bench members_page` (and `--bench billing_pages`).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=target/release/server
pkg=target/site/pkg
[ -x "$bin" ] && ls "$pkg"/*.wasm >/dev/null 2>&1 || { echo "build first: scripts/build.sh" >&2; exit 1; }

kb() { awk -v b="$1" 'BEGIN { printf "%.1f KB", b / 1000 }'; }
echo "== files in $pkg"
raw_total=0 gz_total=0 copy_total=0
for f in "$pkg"/*.wasm "$pkg"/*.js; do
  raw=$(stat -c %s "$f") gz=$(gzip -9 -c "$f" | wc -c)
  # The copy the server sends (scripts/precompress.py), if the build made one.
  copy=$(stat -c %s "$f.gz" 2>/dev/null || echo "$gz")
  case $f in *.wasm) raw_total=$((raw_total + raw)) gz_total=$((gz_total + gz)) copy_total=$((copy_total + copy)) ;; esac
  echo "$(basename "$f"): $(kb "$raw") raw, $(kb "$gz") gzip -9, $(kb "$copy") as sent"
done
echo "all WASM (main module + every chunk): $(kb "$raw_total") raw, $(kb "$gz_total") gzip -9, $(kb "$copy_total") as sent"

port=${BENCH_PORT:-3199}
dir=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
serve() {
  DATABASE_URL="sqlite://$dir/bench.db" MAIL_DIR="$dir/mail" LEPTOS_SITE_ADDR="127.0.0.1:$port" \
    LEPTOS_SITE_ROOT=target/site LEPTOS_OUTPUT_NAME=roster RUST_LOG=error "$bin" &
  pid=$!
  until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { echo "server exited" >&2; exit 1; }
    sleep 0.002
  done
}
stop() { kill -TERM "$pid"; wait "$pid" || true; pid=; }

echo "== what Chromium downloads per route (first visit, empty cache)"
serve
(cd end2end && node measure/downloads.mjs "http://127.0.0.1:$port" "$dir/mail")
stop

runs=${RUNS:-7}
times=()
for i in $(seq "$runs"); do
  rm -f "$dir"/bench.db*
  start=$(date +%s%N)
  serve
  end=$(date +%s%N)
  times+=($(( (end - start) / 1000 )))
  stop
done
printf '%s\n' "${times[@]}" | sort -n | awk -v n="$runs" '
  { t[NR] = $1 }
  END { printf "cold start to /healthz (fresh SQLite, migrations included), %d runs: min %.1f ms, median %.1f ms, max %.1f ms\n", n, t[1]/1000, t[int((n+1)/2)]/1000, t[n]/1000 }'

echo "== 400 parallel sign-ins (per-address limit raised, so every attempt reaches hashing)"
rm -f "$dir"/bench.db*
SIGN_IN_PER_IP=100000 serve
rss() { awk '/^VmRSS/ { printf "%.1f MiB", $2 / 1024 }' "/proc/$pid/status"; }
echo "RSS at start: $(rss)"
(cd end2end && node measure/sign_in_burst.mjs "http://127.0.0.1:$port" 400)
echo "peak RSS: $(awk '/^VmHWM/ { printf "%.1f MiB", $2 / 1024 }' "/proc/$pid/status"), right after: $(rss)"
sleep 15
echo "RSS 15 s later: $(rss)"
stop

users=${USERS:-50} load_seconds=${LOAD_SECONDS:-120}
echo "== $users users for $load_seconds s (sign-up and sign-in limits raised for one client address)"
rm -rf "$dir"/bench.db* "$dir/mail"
SIGN_UP_PER_IP=100000 SIGN_IN_PER_IP=100000 SIGN_IN_PER_ACCOUNT=100000 serve
echo "RSS at start: $(rss)"
(cd end2end && node measure/user_load.mjs "http://127.0.0.1:$port" "$dir/mail" "$users" "$load_seconds")
echo "peak RSS: $(awk '/^VmHWM/ { printf "%.1f MiB", $2 / 1024 }' "/proc/$pid/status"), right after: $(rss)"
sleep 15
echo "RSS 15 s later: $(rss)"
stop
