#!/usr/bin/env bash
# The README's test command: every test. Unit tests, integration tests on SQLite and on
# PostgreSQL (skipped with a message when none is reachable, unless REQUIRE_POSTGRES=1), and
# browser end-to-end tests in Debian's headless Chromium against the real server.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
ensure_build_tools
apt_install curl chromium chromium-driver fonts-dejavu-core poppler-utils nginx libnginx-mod-http-brotli-static openssl
log "Building the tests in the background, beside the browser bundles"
start_background tests-build cargo test --workspace --no-run
build_site
finish_background

# Test servers from PyPI, each in its own virtualenv under target/ (installed once).
log "aiosmtpd (PyPI): the SMTP server the password-reset tests send to"
pip_venv aiosmtpd-venv aiosmtpd "aiosmtpd==1.4.6"
export AIOSMTPD_PYTHON="$ROOT/target/aiosmtpd-venv/bin/python"
log "moto (PyPI): the S3-compatible server the entry-file storage tests run against"
pip_venv moto-venv moto.server "moto[server]==5.1.18"
export MOTO_SERVER="$ROOT/target/moto-venv/bin/moto_server"

log "Unit and integration tests (SQLite and PostgreSQL)"
cargo test --workspace

log "Crash test: SIGKILL of the server while answers are saved, on SQLite and PostgreSQL (20 cycles each)"
cargo build -p server -p integration-tests --bin server --bin loadgen
./target/debug/loadgen --scenario crash --cycles 20 --server target/debug/server
PG_URL="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
# Required (CI): run, and fail loudly if it cannot connect. Otherwise only when it answers.
if [ "${REQUIRE_POSTGRES:-0}" = 1 ] || { command -v pg_isready >/dev/null && pg_isready -q -d "$PG_URL"; }; then
  ./target/debug/loadgen --scenario crash --cycles 20 --server target/debug/server --database "$PG_URL"
  log "Two app nodes on PostgreSQL behind nginx (deploy/nginx): sessions across nodes, saves, sweeper, a node killed, a rolling restart"
  ./target/debug/loadgen --scenario cluster --server target/debug/server --database "$PG_URL" --site "$SITE"
else
  log "SKIPPED (PostgreSQL): the crash test and the two-node test on PostgreSQL (no server at $PG_URL)"
fi

log "Browser end-to-end tests"
NODE_MAJOR="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
if [ "$NODE_MAJOR" -lt 20 ]; then
  log "The browser tests need Node.js 20 or newer (playwright-core 1.64); found: $(node --version 2>/dev/null || echo none)"; exit 1
fi
( cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error )
E2E_DIR="$(mktemp -d)"
export DATABASE_URL="sqlite://$E2E_DIR/e2e.db?mode=rwc" APP_BIND="127.0.0.1:${E2E_PORT:-3100}" APP_SITE_ROOT="$SITE"
export APP_PUBLIC_URL="http://$APP_BIND"
export E2E_BASE_URL="http://$APP_BIND" E2E_ADMIN_EMAIL="e2e-admin@haiphong.gov.vn" E2E_ADMIN_PASSWORD="e2e-$(date +%s)-mật-khẩu"
./target/debug/server seed-demo >/dev/null
ADMIN_PASSWORD="$E2E_ADMIN_PASSWORD" ./target/debug/server create-admin --email "$E2E_ADMIN_EMAIL" --name "Quản Trị Kiểm Thử" >/dev/null
./target/debug/server serve >"$E2E_DIR/server.log" 2>&1 &
SERVER_PID=$!
trap 'kill $SERVER_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fsS "$E2E_BASE_URL/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fsS "$E2E_BASE_URL/healthz" >/dev/null || { cat "$E2E_DIR/server.log"; exit 1; }
if ! ( cd tests/e2e && npm test --silent ); then
  log "Server log (last 40 lines):"; tail -n 40 "$E2E_DIR/server.log"; exit 1
fi

log "API fuzzing (schemathesis against /api/openapi.json, on the same server)"
if ! ./scripts/api-fuzz.sh; then
  log "Server log (last 40 lines):"; tail -n 40 "$E2E_DIR/server.log"; exit 1
fi
