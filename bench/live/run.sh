#!/usr/bin/env bash
# Issue 15 §8: AGENTS agents (500 by default), each signed in with their own account and connected to the live hub from
# one instance, as the dialer and wallboard pages are; then a manager changes presence CHANGES times, one a second.
# Measures the app's memory per connection (RSS after connecting minus before, over the connections) and the latency
# from the manager's request to each connection receiving the change (p50, p99, max), and that none is missing.
# Usage: bench/live/run.sh [--update-docs]   (env: AGENTS=500 CHANGES=20)
# Needs: dotnet SDK, PostgreSQL 15+ server binaries, node 20+ and src/Switchboard's npm packages (npm ci), jq, curl, psql.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
AGENTS=${AGENTS:-500}
CHANGES=${CHANGES:-20}
UPDATE_DOCS=false
[[ "${1:-}" == "--update-docs" ]] && UPDATE_DOCS=true

source "$ROOT/bench/lib.sh"
require_tools jq curl psql node dotnet
[[ -d "$ROOT/src/Switchboard/node_modules/ws" ]] || (cd "$ROOT/src/Switchboard" && npm ci --no-audit --no-fund >/dev/null)
bench_setup live
# Sign-in limits off (one address signs in AGENTS people) and cheap password hashes: this measures live connections.
start_app Jobs__Enabled=false Security__SignInAttemptsPerMinute=100000 Security__AutoBlockStrikes=0 Identity__PasswordHashIterations=1000
sign_in manager@acme.test
use_cluster_psql
LOAD_BEFORE=$(cut -d" " -f1-3 /proc/loadavg)
say "$AGENTS agents: accounts, page sign-ins, hub connections; then $CHANGES presence changes"
node "$ROOT/bench/live/agents.js" "$BASE" "$APP_PID" root@switchboard.test "${SWITCHBOARD_DEMO_PASSWORD:-Lantern-harbor-demo-1}" \
  "$TENANT" "$TOKEN" "$AGENTS" "$CHANGES" | tee "$RUN_DIR/result.json"
r() { jq -r ".$1" "$RUN_DIR/result.json"; }
cat >"$RUN_DIR/summary.md" <<MD
$(machine "$LOAD_BEFORE")
One instance on the embedded cluster; $AGENTS agent accounts, each signed in through the sign-in page and connected to \`/hubs/floor\` over a WebSocket with its own cookie (pinging every 15 s as the browser client does); the demo manager then changes presence $CHANGES times, one a second, and every connection is in the tenant's group.

| connections | connected in | app RSS before → after | memory per connection | deliveries (missing) | latency p50 | p99 | max |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
| $(r connections) | $(printf %.1f "$(r connectSeconds)") s | $(( $(r rssBefore) / 1048576 )) → $(( $(r rssAfter) / 1048576 )) MiB | **$(printf %.0f "$(r perConnectionKiB)") KiB** | $(r deliveries) ($(r missing)) | $(printf %.1f "$(r p50)") ms | **$(printf %.1f "$(r p99)") ms** | $(printf %.1f "$(r max)") ms |
MD
echo; cat "$RUN_DIR/summary.md"
mkdir -p "$ROOT/bench/results"; cp "$RUN_DIR/summary.md" "$ROOT/bench/results/live-latest.md"
$UPDATE_DOCS && update_docs live "$RUN_DIR/summary.md"
exit 0
