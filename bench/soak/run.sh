#!/usr/bin/env bash
# Issue 15 §8: a steady load for MINUTES minutes (30 by default) on one instance with its background workers on: API
# clients creating and listing leads (bench/pg-restart/load.py). Samples the app's resident memory every 30 s; the
# result is the growth from the end of warm-up (WARMUP minutes) to the end, and the count of 5xx answers. Provider
# callbacks and live-page connections are not in this mix (bench/webhooks and bench/live load them on their own).
# Usage: bench/soak/run.sh [--update-docs]   (env: MINUTES=30 WARMUP=5 CLIENTS=4)
# Needs: dotnet SDK, PostgreSQL 15+ server binaries, python3, jq, curl, psql.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
MINUTES=${MINUTES:-30}
WARMUP=${WARMUP:-5}
CLIENTS=${CLIENTS:-4}
UPDATE_DOCS=false
[[ "${1:-}" == "--update-docs" ]] && UPDATE_DOCS=true

source "$ROOT/bench/lib.sh"
require_tools jq curl psql python3 dotnet
bench_setup soak
start_app
sign_in manager@acme.test
use_cluster_psql
LOAD_BEFORE=$(cut -d" " -f1-3 /proc/loadavg)

say "soak: $CLIENTS API clients for $MINUTES min (warm-up $WARMUP min), RSS sampled every 30 s"
python3 "$ROOT/bench/pg-restart/load.py" "$BASE" "$TOKEN" "$RUN_DIR/requests.txt" "$DATA/stop" "$CLIENTS" \
  manager@acme.test "${SWITCHBOARD_DEMO_PASSWORD:-Lantern-harbor-demo-1}" acme &
LOAD_PID=$!
START=$(date +%s)
while (( $(date +%s) - START < MINUTES * 60 )); do
  printf '%s %s\n' "$(( $(date +%s) - START ))" "$(awk '/VmRSS/ {print $2}' "/proc/$APP_PID/status")" >>"$RUN_DIR/rss.txt"
  sleep 30
done
touch "$DATA/stop"; wait "$LOAD_PID"

python3 - "$RUN_DIR" "$WARMUP" "$MINUTES" <<'PY' | tee "$RUN_DIR/summary-table.md"
import collections, sys
run, warmup, minutes = sys.argv[1], float(sys.argv[2]) * 60, sys.argv[3]
rss = [tuple(map(int, l.split())) for l in open(f"{run}/rss.txt")]
requests = [l.split() for l in open(f"{run}/requests.txt")]
codes = collections.Counter(int(r[3]) for r in requests)
after_warmup = min((kib for t, kib in rss if t >= warmup), default=rss[0][1])
end = rss[-1][1]
peak = max(kib for _, kib in rss)
print("| duration | requests | 2xx | 4xx (401: token renewals) | 5xx | no answer | RSS after warm-up | RSS at the end (peak) | growth after warm-up |")
print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
print(f"| {minutes} min | {len(requests)} | {sum(c for s, c in codes.items() if 200 <= s < 300)} | "
      f"{sum(c for s, c in codes.items() if 400 <= s < 500)} ({codes[401]}) | {sum(c for s, c in codes.items() if s >= 500)} | "
      f"{codes[0]} | {after_warmup / 1024:.0f} MiB | {end / 1024:.0f} MiB ({peak / 1024:.0f}) | **{(end - after_warmup) * 100 / after_warmup:+.1f} %** |")
PY
cat >"$RUN_DIR/summary.md" <<MD
$(machine "$LOAD_BEFORE")
One instance on the embedded cluster with its job worker, webhook dispatcher and schedulers on; $CLIENTS clients each creating a lead and reading a page of 20 in a loop (50 ms pause) for $MINUTES minutes; the app's RSS sampled every 30 s, growth measured from the first sample after $WARMUP minutes of warm-up to the last.

$(cat "$RUN_DIR/summary-table.md")
MD
echo; cat "$RUN_DIR/summary.md"
mkdir -p "$ROOT/bench/results"; cp "$RUN_DIR/summary.md" "$ROOT/bench/results/soak-latest.md"
$UPDATE_DOCS && update_docs soak "$RUN_DIR/summary.md" RELIABILITY.md
exit 0
