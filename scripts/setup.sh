#!/usr/bin/env bash
# Installs what building and testing need, skipping whatever is already there.
#   scripts/setup.sh build   wasm32 target, cargo-leptos, wasm-bindgen CLI, wasm-opt
#   scripts/setup.sh test    the above, plus Debian's Chromium, a Chinese font and the Playwright package
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.10
# The CLI must match the wasm-bindgen crate that Cargo.lock pins.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

build_tools() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if [ "$(cargo leptos --version 2>/dev/null | awk '{print $2}')" != "$CARGO_LEPTOS_VERSION" ]; then
    say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 15 minutes, once per machine)"
    # 0.3.11 needs a newer rustc than this machine has.
    cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
  fi
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
    # Without --locked: its lock file names a crate version the registry no longer has.
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
  fi
  if [ ! -x tools/node_modules/.bin/wasm-opt ]; then
    say "installing wasm-opt (npm binaryen) into tools/"
    # Debian's binaryen is too old: its output fails to hydrate.
    npm ci --prefix tools --no-audit --no-fund
  fi
}

test_tools() {
  if ! command -v chromium >/dev/null 2>&1; then
    say "installing Debian's chromium"
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
  fi
  # The Chinese pages' screenshots need a font with CJK glyphs.
  if ! fc-list :lang=zh 2>/dev/null | grep -q .; then
    say "installing a Chinese font (Debian's fonts-wqy-zenhei)"
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y fonts-wqy-zenhei fontconfig
  fi
  if [ ! -d end2end/node_modules/@playwright/test ] || [ ! -d end2end/node_modules/@axe-core/playwright ]; then
    say "installing Playwright and axe-core (the packages only; the browser is Debian's)"
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix end2end --no-audit --no-fund
  fi
}

case "${1:-build}" in
  build) build_tools ;;
  test) build_tools; test_tools ;;
  *) echo "usage: $0 build|test" >&2; exit 2 ;;
esac
