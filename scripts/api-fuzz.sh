#!/usr/bin/env bash
# API fuzzing: schemathesis (from PyPI) generates requests from /api/openapi.json and checks
# every answer: no server error (5xx), and status code, content type and body as documented.
# It runs twice, signed in as a participant and as an admin (who may do everything an
# organizer may), against a running server:
#   E2E_BASE_URL=http://127.0.0.1:3100 E2E_ADMIN_EMAIL=… E2E_ADMIN_PASSWORD=… ./scripts/api-fuzz.sh
# The test command runs it after the browser tests, on their server. FUZZ_EXAMPLES sets the
# examples per operation (default 40; the runs then take about two minutes in all).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
: "${E2E_BASE_URL:?the server to fuzz}" "${E2E_ADMIN_EMAIL:?an admin account}" "${E2E_ADMIN_PASSWORD:?its password}"
VENV="$ROOT/target/schemathesis-venv"
SCHEMATHESIS_VERSION=4.32.5
if [ "$("$VENV/bin/st" --version 2>/dev/null | awk '{print $3}')" != "$SCHEMATHESIS_VERSION" ]; then
  log "Installing schemathesis $SCHEMATHESIS_VERSION from PyPI"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

session_of() { awk '$6 == "hp_session" { print $7 }' "$1"; }

# A participant of the demo city, registered for the run (before the admin's run, which may
# rename or merge units).
UNIT="$(curl -fsS "$E2E_BASE_URL/api/v1/units?q=hai%20an" | python3 -c 'import json, sys; print(next(u["unit"]["id"] for u in json.load(sys.stdin) if u["unit"]["name"] == "Phường Hải An"))')"
N="$(date +%s%N | tail -c 9)"
curl -fsS -o /dev/null -c "$WORK/participant.jar" -H 'content-type: application/json' \
  -d "{\"full_name\":\"Người Thử Máy\",\"unit_id\":$UNIT,\"position\":\"Chuyên viên\",\"phone\":\"09${N:0:8}\",\"email\":\"fuzz.$N@haiphong.gov.vn\",\"cccd\":\"0310${N:0:8}\",\"password\":\"mật-khẩu-đủ-dài\",\"password_confirm\":\"mật-khẩu-đủ-dài\"}" \
  "$E2E_BASE_URL/api/v1/auth/register?sign_in=true"
curl -fsS -o /dev/null -c "$WORK/admin.jar" -H 'content-type: application/json' \
  -d "{\"identifier\":\"$E2E_ADMIN_EMAIL\",\"password\":\"$E2E_ADMIN_PASSWORD\"}" "$E2E_BASE_URL/api/v1/auth/login"

fuzz_as() {
  local who="$1" session="$2"
  # Signing out would end the run's session; everything else is fair game.
  # Run from the scratch folder: schemathesis keeps its cache in the working directory.
  ( cd "$WORK" && timeout 600 "$VENV/bin/st" run "$E2E_BASE_URL/api/openapi.json" \
    -H "Cookie: hp_session=$session" --exclude-path /api/v1/auth/logout \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --max-examples "${FUZZ_EXAMPLES:-40}" --workers 2 --no-color >"$WORK/$who.log" 2>&1 )
}

for who in participant admin; do
  session="$(session_of "$WORK/$who.jar")"
  [ -n "$session" ] || { log "No session for the $who"; exit 1; }
  log "API fuzzing as the $who (schemathesis, ${FUZZ_EXAMPLES:-40} examples per operation)"
  status=0
  fuzz_as "$who" "$session" || status=$?
  grep -E "^(Test cases:|  [0-9]+ generated)" -A1 "$WORK/$who.log" | tail -2 || true
  # A finding (a 5xx, an answer unlike the document) is listed under FAILURES and counted as
  # "failed", and fails the run. Anything else is schemathesis failing on its own (seen once:
  # a KeyError inside Hypothesis's generator, "Inconsistent results", with every generated
  # case passing): that run is repeated once, and fails the test command if it fails again.
  if [ "$status" != 0 ] && ! grep -qE "=+ FAILURES =+|[0-9]+ failed|unique failure" "$WORK/$who.log"; then
    log "schemathesis stopped with an error of its own (no finding) as the $who; running once more:"
    grep -E "Error|error" "$WORK/$who.log" | head -5 || true
    status=0
    fuzz_as "$who" "$session" || status=$?
    grep -E "^(Test cases:|  [0-9]+ generated)" -A1 "$WORK/$who.log" | tail -2 || true
  fi
  if [ "$status" != 0 ]; then
    log "schemathesis found failures as the $who:"; cat "$WORK/$who.log"; exit "$status"
  fi
done
