#!/usr/bin/env bash
# Rolling restart of the app nodes (after installing a new build): one node at a time, waiting
# until the restarted node answers /readyz (database reachable, migrations current), and then
# until nginx uses it again, before the next one stops. nginx sends requests to the node that is up meanwhile.
# Usage: deploy/rolling-restart.sh [NODE …]   (default: 1 2, i.e. haiphong-cchc@1 and @2)
set -euo pipefail
nodes=("$@"); [ ${#nodes[@]} -gt 0 ] || nodes=(1 2)
for n in "${nodes[@]}"; do
  echo "restarting haiphong-cchc@$n"
  systemctl restart "haiphong-cchc@$n"
  for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:300$n/readyz" >/dev/null 2>&1 && break
    sleep 0.5
  done
  curl -fsS "http://127.0.0.1:300$n/readyz" >/dev/null || { echo "node $n is not ready: not restarting the others"; exit 1; }
  # nginx takes the node back after its fail_timeout (2 s in deploy/nginx): wait longer than
  # that before stopping the next node.
  sleep 3
done
echo "all nodes restarted"
