#!/usr/bin/env bash
# Installs what building and testing Roster needs, skipping whatever is already there.
# Versions and commands follow TOOLCHAIN.md (verified offline on these machines).
set -euo pipefail
cd "$(dirname "$0")/.."

need_e2e=${1:-}
log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=
apt_install() {
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

command -v cargo >/dev/null || { echo "Rust (cargo) is required: https://rustup.rs" >&2; exit 1; }

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! cargo leptos --version >/dev/null 2>&1; then
  log "installing cargo-leptos 0.3.10 (takes ~20 minutes on 2 cores, once)"
  cargo install cargo-leptos --version 0.3.10 --locked
fi

# cargo-leptos uses the wasm-bindgen on PATH, which must match the version in Cargo.lock.
wb_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wb_version" ]; then
  log "installing wasm-bindgen-cli $wb_version"
  cargo install wasm-bindgen-cli --version "$wb_version" --force
fi

if ! command -v wasm-opt >/dev/null; then
  log "installing wasm-opt (binaryen from npm; Debian's is too old)"
  npm install -g binaryen >/dev/null
fi

# zopfli compresses the site's files once at build time (scripts/precompress.py); without it
# the build falls back to gzip -9.
if ! python3 -c 'import zopfli' 2>/dev/null; then
  log "installing the zopfli module (gzip at its smallest, for the site's files)"
  python3 -m pip install --quiet zopfli || log "zopfli could not be installed; the build uses gzip -9"
fi

if [ "$need_e2e" = "--e2e" ]; then
  # A real SMTP server on loopback for the mail delivery tests.
  if ! python3 -c 'import aiosmtpd' 2>/dev/null; then
    log "installing aiosmtpd (SMTP server for tests)"
    python3 -m pip install --quiet aiosmtpd
  fi
  if [ ! -x /usr/bin/chromium ]; then
    log "installing Debian's Chromium"
    apt_install chromium
  fi
  if [ ! -d end2end/node_modules/@playwright/test ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
    log "installing Playwright (no browser download: it drives /usr/bin/chromium)"
    (cd end2end && npm ci --no-audit --no-fund >/dev/null)
  fi
fi
log "toolchain ready"
