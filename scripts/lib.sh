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

# A Python tool from PyPI in its own virtualenv `target/NAME`, installed unless MODULE imports.
pip_venv() {
  local venv="$ROOT/target/$1" module="$2" requirement="$3"
  "$venv/bin/python" -c "import $module" 2>/dev/null && return 0
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check "$requirement"
}

# wasm-bindgen-cli is not published prebuilt on any registry we may use, so it is compiled from
# crates.io once. It is needed only after the first bundle's cargo build, so it compiles in the
# background meanwhile, at opt-level 1 (it runs for seconds; a full optimisation only costs
# build time). `wait_wasm_bindgen` waits for it.
WASM_BINDGEN_INSTALL_PID=""
start_wasm_bindgen_install() {
  local want; want="$(wasm_bindgen_version)"
  [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" = "$want" ] && return 0
  log "Installing wasm-bindgen-cli $want from crates.io in the background (once)"
  mkdir -p "$ROOT/target"
  # Not --locked: one of its locked dependency versions is no longer on the registry.
  CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_DEBUG=false \
    cargo install wasm-bindgen-cli --version "=$want" >"$ROOT/target/wasm-bindgen-install.log" 2>&1 &
  WASM_BINDGEN_INSTALL_PID=$!
}

wait_wasm_bindgen() {
  [ -z "$WASM_BINDGEN_INSTALL_PID" ] && return 0
  if ! wait "$WASM_BINDGEN_INSTALL_PID"; then
    cat "$ROOT/target/wasm-bindgen-install.log" >&2; log "Installing wasm-bindgen-cli failed"; return 1
  fi
  WASM_BINDGEN_INSTALL_PID=""
}

# Runs a command in the background, its output in a log file; `finish_background` waits for it
# and shows the log if it failed. Used to build the server while the browser bundles build:
# their last steps (the bundle crate and its link-time optimisation) use one core, and the
# bundles have their own target folder, so the two cargo runs do not wait for each other.
BACKGROUND_PID=""
BACKGROUND_LOG=""
start_background() {
  local name="$1"; shift
  BACKGROUND_LOG="$ROOT/target/$name.log"
  mkdir -p "$ROOT/target"
  "$@" >"$BACKGROUND_LOG" 2>&1 &
  BACKGROUND_PID=$!
}

finish_background() {
  [ -z "$BACKGROUND_PID" ] && return 0
  if ! wait "$BACKGROUND_PID"; then
    tail -n 60 "$BACKGROUND_LOG" >&2; log "Failed: see $BACKGROUND_LOG"; return 1
  fi
  BACKGROUND_PID=""
  tail -n 1 "$BACKGROUND_LOG" >&2
}

ensure_build_tools() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "Adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  start_wasm_bindgen_install
  # wasm-opt comes from the npm package binaryen (pinned in scripts/package.json), brotli from
  # Debian; the build still works without them, only with a larger, gzip-only bundle.
  if [ ! -x "$ROOT/scripts/node_modules/.bin/wasm-opt" ]; then
    ( cd "$ROOT/scripts" && npm ci --no-audit --no-fund --loglevel=error ) || log "npm unavailable: skipping wasm-opt"
  fi
  apt_install brotli || log "brotli unavailable: serving gzip only"
}

# Builds one WASM bundle: cargo (size profile) → wasm-bindgen → wasm-opt, into $PKG/NAME.js and
# $PKG/NAME_bg.wasm. The bundles share their own target folder (target/web): their
# dependencies have the same features, so only the `app` crate itself is compiled again.
WEB_TARGET="$ROOT/target/web"
compile_bundle() {
  local name="$1" features="$2"
  log "Building the $name bundle (WASM, features: $features)"
  cargo build --manifest-path "$ROOT/Cargo.toml" -p app --lib --target wasm32-unknown-unknown \
    --no-default-features --features "$features" --profile wasm-release --target-dir "$WEB_TARGET"
  cp "$WEB_TARGET/wasm32-unknown-unknown/wasm-release/app.wasm" "$WEB_TARGET/$name.wasm"
}

build_bundle() {
  local name="$1"
  wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section \
    --out-dir "$PKG" --out-name "$name" "$WEB_TARGET/$name.wasm"
  local wasm_opt="$ROOT/scripts/node_modules/.bin/wasm-opt"
  if [ -x "$wasm_opt" ] && [ "${SKIP_WASM_OPT:-0}" != 1 ]; then
    # Rust's wasm32 target enables these features by default; wasm-opt must accept them all.
    "$wasm_opt" -Oz --enable-reference-types --enable-bulk-memory --enable-nontrapping-float-to-int \
      --enable-sign-ext --enable-mutable-globals --enable-multivalue "$PKG/${name}_bg.wasm" -o "$PKG/${name}_bg.opt.wasm"
    mv "$PKG/${name}_bg.opt.wasm" "$PKG/${name}_bg.wasm"
  fi
}

# The light bundles: one per participant page with islands (see `app::ui::Bundle`).
LIGHT_BUNDLES=(attempt register)

# Builds the browser bundles into target/site/pkg: the whole application (`app`, hydrated on
# organizer, judge and report pages) and the light bundles of the pages people use on the day
# (each holds only its page's islands), their JS glue, the CSS, and precompressed .br/.gz
# copies that the server sends to browsers that accept them.
build_site() {
  rm -rf "$PKG" && mkdir -p "$PKG"
  compile_bundle app hydrate
  for name in "${LIGHT_BUNDLES[@]}"; do compile_bundle "$name" "bundle-$name"; done
  wait_wasm_bindgen
  for name in app "${LIGHT_BUNDLES[@]}"; do build_bundle "$name"; done
  cat "$ROOT"/style/*.css > "$PKG/app.css"
  for f in "$PKG"/*.wasm "$PKG"/*.js "$PKG"/app.css; do
    gzip -9 -k -f "$f"
    if command -v brotli >/dev/null; then brotli -q 11 -f -k "$f"; fi
  done
  for name in app "${LIGHT_BUNDLES[@]}"; do
    log "Bundle $name: $(stat -c %s "$PKG/${name}_bg.wasm") bytes WASM, $(stat -c %s "$PKG/${name}_bg.wasm.gz") gzip$( [ -f "$PKG/${name}_bg.wasm.br" ] && echo ", $(stat -c %s "$PKG/${name}_bg.wasm.br") brotli")"
  done
}
