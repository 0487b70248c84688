#!/usr/bin/env bash
# Runs the deadline-day benchmarks and compares their headline ratios (each figure divided by
# a reference measured in the same run: a fixed CPU-bound query, or the database's raw
# ceiling) with the runs recorded in tests/bench/recorded/. Says WORSE loudly, and exits 3,
# when a ratio is more than 50 % worse than recorded.
#   ./scripts/bench-check.sh                 SQLite: deadline (10,000 takers) and participation
#   POSTGRES_URL=postgres://… ./scripts/bench-check.sh    also the deadline run on PostgreSQL
#   RECORD=1 ./scripts/bench-check.sh        writes this run's figures as the new record
# Not part of the test command: it takes about ten minutes of both cores.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
log "Building the load generator (release)"
cargo build --release -p server -p integration-tests --bin loadgen
RECORDED="$ROOT/tests/bench/recorded"
OUT="$(mktemp -d)"
status=0
run() {
  local name="$1"; shift
  log "Benchmark $name"
  local compare=()
  [ -f "$RECORDED/$name.json" ] && [ "${RECORD:-0}" != 1 ] && compare=(--compare "$RECORDED/$name.json")
  ./target/release/loadgen "$@" --json "$OUT/$name.json" "${compare[@]}" || status=$?
  if [ "${RECORD:-0}" = 1 ]; then mkdir -p "$RECORDED" && cp "$OUT/$name.json" "$RECORDED/$name.json"; fi
}
run deadline-sqlite --scenario deadline
run participation-sqlite --scenario participation
if [ -n "${POSTGRES_URL:-}" ]; then
  run deadline-postgres --scenario deadline --database "$POSTGRES_URL"
fi
if [ "$status" = 3 ]; then log "WORSE: a headline ratio is more than 50 % worse than recorded (see above)"; fi
exit "$status"
