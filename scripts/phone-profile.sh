#!/usr/bin/env bash
# Bytes per participant page (raw and brotli, and what a phone downloads over the wire) and
# the phone-profile timings (first question readable, interactive, answer acknowledged), on a
# fresh server seeded with the demo contest. The README quotes its latest output.
#   ./scripts/phone-profile.sh            (RUNS=5 by default)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
ensure_build_tools
apt_install curl chromium fonts-dejavu-core
[ -f "$PKG/attempt_bg.wasm" ] || build_site
log "Building the server (release)"
cargo build --release -p server
( cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error )

log "Bundles in target/site/pkg (raw / brotli bytes)"
printf '| file | raw | brotli |\n| --- | ---: | ---: |\n'
for f in "$PKG"/*.wasm "$PKG"/*.js "$PKG"/app.css; do
  printf '| %s | %s | %s |\n' "$(basename "$f")" "$(stat -c %s "$f")" "$(stat -c %s "$f.br" 2>/dev/null || echo -)"
done
echo

DIR="$(mktemp -d)"
export DATABASE_URL="sqlite://$DIR/phone.db?mode=rwc" APP_BIND="127.0.0.1:${PHONE_PORT:-3300}" APP_SITE_ROOT="$SITE"
export APP_PUBLIC_URL="http://$APP_BIND" E2E_BASE_URL="http://$APP_BIND"
./target/release/server seed-demo >/dev/null
./target/release/server serve >"$DIR/server.log" 2>&1 &
SERVER_PID=$!
trap 'kill $SERVER_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fsS "$E2E_BASE_URL/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
log "Pages on the phone profile"
( cd tests/e2e && node phone-profile.mjs )
