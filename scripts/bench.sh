#!/usr/bin/env bash
# Prints performance figures of the release build (build it first: `cargo leptos build --release`):
# - the WASM the browser downloads, raw and gzip (budget: 250 KB gzip);
# - cold start: from launching the server on a fresh database to /healthz answering.
set -euo pipefail
cd "$(dirname "$0")/.."
wasm=target/site/pkg/roster.wasm
js=target/site/pkg/roster.js
bin=target/release/server
[ -f "$wasm" ] && [ -x "$bin" ] || { echo "build first: cargo leptos build --release" >&2; exit 1; }

kb() { awk -v b="$1" 'BEGIN { printf "%.1f KB", b / 1000 }'; }
wasm_raw=$(stat -c %s "$wasm")
wasm_gz=$(gzip -9 -c "$wasm" | wc -c)
js_gz=$(gzip -9 -c "$js" | wc -c)
echo "wasm: $(kb "$wasm_raw") raw, $(kb "$wasm_gz") gzip (budget 250 KB gzip) — $([ "$wasm_gz" -le 250000 ] && echo within || echo OVER) budget"
echo "js glue: $(kb "$(stat -c %s "$js")") raw, $(kb "$js_gz") gzip"

runs=${RUNS:-7}
port=${BENCH_PORT:-3199}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
times=()
for i in $(seq "$runs"); do
  rm -f "$dir"/bench.db*
  start=$(date +%s%N)
  DATABASE_URL="sqlite://$dir/bench.db" LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_SITE_ROOT=target/site \
    LEPTOS_OUTPUT_NAME=roster RUST_LOG=error "$bin" &
  pid=$!
  until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { echo "server exited" >&2; exit 1; }
    sleep 0.002
  done
  end=$(date +%s%N)
  times+=($(( (end - start) / 1000 )))
  kill -TERM "$pid"; wait "$pid" || true
done
printf '%s\n' "${times[@]}" | sort -n | awk -v n="$runs" '
  { t[NR] = $1 }
  END { printf "cold start to /healthz (fresh SQLite, migrations included), %d runs: min %.1f ms, median %.1f ms, max %.1f ms\n", n, t[1]/1000, t[int((n+1)/2)]/1000, t[n]/1000 }'
