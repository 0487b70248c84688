#!/usr/bin/env bash
# The README's run command: installs missing pinned tools, builds, migrates, seeds demo data
# (printing the demo accounts the first time) and serves http://127.0.0.1:3000 on
# ./data/haiphong-cchc.db. Running it again keeps existing data.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
ensure_build_tools
log "Building the server (release) in the background, beside the browser bundles"
start_background server-release cargo build --release -p server
build_site
log "Waiting for the server build"
finish_background
./target/release/server migrate
./target/release/server seed-demo
log "Serving on ${APP_BIND:-127.0.0.1:3000} — Ctrl-C to stop"
exec ./target/release/server serve
