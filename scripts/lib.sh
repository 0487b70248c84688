#!/usr/bin/env bash
# Shared helpers of the run, build and test scripts: pinned tool installation and the
# browser-bundle build. Everything comes from crates.io or Debian; nothing is downloaded from
# anywhere else, so the build works on locked-down networks.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SITE="$ROOT/target/site"
PKG="$SITE/pkg"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# The wasm-bindgen CLI must match the wasm-bindgen crate in Cargo.lock exactly.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ] && ! command -v sudo >/dev/null; then
    log "Missing Debian packages: ${missing[*]} (install them as root)"; return 1
  fi
  local SUDO=""; [ "$(id -u)" != 0 ] && SUDO=sudo
  log "Installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
}

ensure_build_tools() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "Adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  local want; want="$(wasm_bindgen_version)"
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$want" ]; then
    log "Installing wasm-bindgen-cli $want from crates.io (a few minutes, once)"
    # Not --locked: one of its locked dependency versions is no longer on the registry.
    cargo install wasm-bindgen-cli --version "=$want"
  fi
  # wasm-opt comes from the npm package binaryen (pinned in scripts/package.json), brotli from
  # Debian; the build still works without them, only with a larger, gzip-only bundle.
  if [ ! -x "$ROOT/scripts/node_modules/.bin/wasm-opt" ]; then
    ( cd "$ROOT/scripts" && npm ci --no-audit --no-fund --loglevel=error ) || log "npm unavailable: skipping wasm-opt"
  fi
  apt_install brotli || log "brotli unavailable: serving gzip only"
}

# Builds the browser bundle into target/site/pkg: WASM (size-optimised), its JS glue, the CSS,
# and precompressed .br/.gz copies that the server sends to browsers that accept them.
build_site() {
  log "Building the browser bundle (WASM)"
  cargo build --manifest-path "$ROOT/Cargo.toml" -p app --lib --target wasm32-unknown-unknown \
    --no-default-features --features hydrate --profile wasm-release
  rm -rf "$PKG" && mkdir -p "$PKG"
  wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section \
    --out-dir "$PKG" --out-name app "$ROOT/target/wasm32-unknown-unknown/wasm-release/app.wasm"
  local wasm_opt="$ROOT/scripts/node_modules/.bin/wasm-opt"
  if [ -x "$wasm_opt" ] && [ "${SKIP_WASM_OPT:-0}" != 1 ]; then
    # Rust's wasm32 target enables these features by default; wasm-opt must accept them all.
    "$wasm_opt" -Oz --enable-reference-types --enable-bulk-memory --enable-nontrapping-float-to-int \
      --enable-sign-ext --enable-mutable-globals --enable-multivalue "$PKG/app_bg.wasm" -o "$PKG/app_bg.opt.wasm"
    mv "$PKG/app_bg.opt.wasm" "$PKG/app_bg.wasm"
  fi
  cat "$ROOT"/style/*.css > "$PKG/app.css"
  for f in "$PKG"/app_bg.wasm "$PKG"/app.js "$PKG"/app.css; do
    gzip -9 -k -f "$f"
    if command -v brotli >/dev/null; then brotli -q 11 -f -k "$f"; fi
  done
  log "Bundle: $(stat -c %s "$PKG/app_bg.wasm") bytes WASM, $(stat -c %s "$PKG/app_bg.wasm.gz") gzip$( [ -f "$PKG/app_bg.wasm.br" ] && echo ", $(stat -c %s "$PKG/app_bg.wasm.br") brotli")"
}
