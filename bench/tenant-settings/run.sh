#!/usr/bin/env bash
# What transaction-local tenant settings (ADR 0062) cost against the session settings before them, in one run:
# builds BASE_REV (default: the commit before ADR 0062) in a temporary worktree, runs bench/api/run.sh against it and
# against this checkout back to back, and prints new/old per request kind (requests per second and app CPU per request).
# Usage: bench/tenant-settings/run.sh        (env: BASE_REV, and DURATION/WARMUP/CONNECTIONS/THREADS as bench/api/run.sh)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BASE_REV=${BASE_REV:-dbff35f}
OLD=$(mktemp -d /tmp/switchboard-baseline.XXXXXX)
trap 'git -C "$ROOT" worktree remove --force "$OLD" >/dev/null 2>&1 || rm -rf "$OLD"' EXIT

echo "== baseline $BASE_REV in $OLD"
git -C "$ROOT" worktree add -q --detach "$OLD" "$BASE_REV"
cp -r "$ROOT/src/Switchboard/node_modules" "$OLD/src/Switchboard/" 2>/dev/null || true

# Each build with its own bench/api: the baseline's pgbench mirrors set the tenant per session, as its app did (its
# database has no app_enter procedure).
run() { # label checkout
  echo "== bench/api/run.sh on $1" >&2
  "$2/bench/api/run.sh" | tee "/tmp/tenant-settings-$1.out" | grep -E '^\s+app |^== ' >&2 || true
  sed -n 's/^Raw wrk and pgbench output, the captured SQL and the app log: //p' "/tmp/tenant-settings-$1.out"
}
OLD_DIR=$(run session "$OLD" | tail -1)
NEW_DIR=$(run transaction "$ROOT" | tail -1)

echo
echo "| request | session req/s | transaction-local req/s | new / old req/s | session CPU/request | transaction-local CPU/request | new / old CPU |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
for name in me lead-list lead-get lead-create lead-patch; do
  o=$(jq -r .rps "$OLD_DIR/$name.json"); n=$(jq -r .rps "$NEW_DIR/$name.json")
  oc=$(jq -r .app_cpu_ms "$OLD_DIR/$name.json"); nc=$(jq -r .app_cpu_ms "$NEW_DIR/$name.json")
  printf '| %s | %.0f | %.0f | **%.2f** | %.2f ms | %.2f ms | %.2f |\n' "$name" "$o" "$n" "$(jq -n "$n / $o")" "$oc" "$nc" "$(jq -n "$nc / $oc")"
done
echo
echo "Statements per request (from the captured SQL), session → transaction-local:"
for name in me lead-list lead-get lead-create lead-patch; do
  printf '  %-12s %s → %s\n' "$name" "$(grep -cE 'switchboard_app LOG:  (execute|statement)' "$OLD_DIR/sql-$name.log" || true)" \
    "$(grep -cE 'switchboard_app LOG:  (execute|statement)' "$NEW_DIR/sql-$name.log" || true)"
done
