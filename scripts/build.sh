#!/usr/bin/env bash
# The one release build that run, test, bench and CI all use: the server binary
# (target/release/server) and the site it serves (target/site: the app's WASM, JS glue and CSS).
# The WASM is built with the wasm-release profile (opt-level z, LTO, one codegen unit) and
# shrunk by wasm-opt; the frontend crate is a cdylib alone, so that LTO applies to it.
# --split cuts the WASM into a main module and one chunk per page (the app's `lazy_page!`
# routes), so a browser downloads only the code of the pages it opens.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo leptos build --release --split "$@"
# A gzip copy of each downloaded file, compressed once with zopfli; the server sends it as is.
python3 scripts/precompress.py target/site/pkg
