#!/usr/bin/env bash
# Issue 15 §8: a steady mixed load for MINUTES minutes (30 by default) on one instance with its background workers on:
# CLIENTS API clients creating and listing leads (bench/pg-restart/load.py), signed Twilio status callbacks at
# CALLBACKS_PER_SECOND (bench/soak/callbacks.py, pre-signed by bench/webhooks/Signer) and AGENTS agents on live pages
# (bench/live/agents.js: each signed in, on the floor hub, pinging as browsers do, receiving the call updates the
# callbacks cause). Samples the app's resident memory every 30 s; the result is the growth from the end of warm-up
# (WARMUP minutes) to the end, and the count of 5xx answers.
# Usage: bench/soak/run.sh [--update-docs]   (env: MINUTES=30 WARMUP=5 CLIENTS=4 CALLBACKS_PER_SECOND=5 AGENTS=50)
# Needs: dotnet SDK, PostgreSQL 15+ server binaries, python3, node 20+ (src/Switchboard's npm packages), jq, curl, psql, openssl.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
MINUTES=${MINUTES:-30}
WARMUP=${WARMUP:-5}
CLIENTS=${CLIENTS:-4}
CALLBACKS_PER_SECOND=${CALLBACKS_PER_SECOND:-5}
AGENTS=${AGENTS:-50}
UPDATE_DOCS=false
[[ "${1:-}" == "--update-docs" ]] && UPDATE_DOCS=true

source "$ROOT/bench/lib.sh"
require_tools jq curl psql python3 dotnet node openssl
[[ -d "$ROOT/src/Switchboard/node_modules/ws" ]] || (cd "$ROOT/src/Switchboard" && npm ci --no-audit --no-fund >/dev/null)
bench_setup soak
dotnet build "$ROOT/bench/webhooks/Signer" -c Release -v q -clp:ErrorsOnly -nologo >/dev/null
# Sign-in limits off and cheap password hashes for the AGENTS accounts signing in from one address, as in bench/live.
start_app Security__SignInAttemptsPerMinute=100000 Security__AutoBlockStrikes=0 Identity__PasswordHashIterations=1000
PASSWORD="${SWITCHBOARD_DEMO_PASSWORD:-Lantern-harbor-demo-1}"
use_cluster_psql
LOAD_BEFORE=$(cut -d" " -f1-3 /proc/loadavg)

say "callbacks: configure twilio, create the calls, sign their status callbacks"
sign_in admin@acme.test
AUTH_TOKEN=$(openssl rand -hex 16); ACCOUNT_SID="AC$(openssl rand -hex 16)"
curl -sS --fail-with-body -X PUT "$BASE/api/v1/telephony/providers/twilio" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d "{\"accountSid\":\"$ACCOUNT_SID\",\"authToken\":\"$AUTH_TOKEN\",\"callerId\":\"+14155550100\"}" >/dev/null
CALLS=$(( (MINUTES * 60 * CALLBACKS_PER_SECOND) / 4 + 1000 ))   # four status callbacks per call, and some to spare
sql -v tenant="$TENANT" -v n="$CALLS" <<'SQL'
insert into calls (tenant_id, id, direction, from_number, to_number, provider, provider_call_id, status, created_at, updated_at)
select :'tenant'::uuid, gen_random_uuid(), 'inbound', '+1555' || lpad((2000000 + g % 1000000)::text, 7, '0'), '+15550100000',
       'twilio', 'CAs' || lpad(g::text, 8, '0'), 'queued', now(), now()
from generate_series(0, :n - 1) g;
analyze calls;
SQL
CALLBACK_PATH="/api/v1/telephony/twilio/$TENANT/status"
dotnet "$ROOT/bench/webhooks/Signer/bin/Release/net10.0/Signer.dll" "$AUTH_TOKEN" "$BASE$CALLBACK_PATH" "$ACCOUNT_SID" CAs "$CALLS" 1 "$DATA/signed" >/dev/null
sign_in manager@acme.test

say "live pages: $AGENTS agents signed in and on the floor hub"
node "$ROOT/bench/live/agents.js" "$BASE" "$APP_PID" root@switchboard.test "$PASSWORD" "$TENANT" "$TOKEN" "$AGENTS" 0 "$DATA/stop" >"$RUN_DIR/live.json" &
LIVE_PID=$!
for _ in $(seq 600); do [[ -f "$DATA/stop.live-ready" ]] && break; kill -0 "$LIVE_PID" 2>/dev/null || { echo "agents.js exited" >&2; exit 1; }; sleep 1; done
[[ -f "$DATA/stop.live-ready" ]] || { echo "the agents did not connect in 10 minutes" >&2; exit 1; }

say "soak: $CLIENTS API clients, $CALLBACKS_PER_SECOND callbacks/s, $AGENTS live connections for $MINUTES min (warm-up $WARMUP min), RSS sampled every 30 s"
python3 "$ROOT/bench/pg-restart/load.py" "$BASE" "$TOKEN" "$RUN_DIR/requests.txt" "$DATA/stop" "$CLIENTS" manager@acme.test "$PASSWORD" acme &
LOAD_PID=$!
python3 "$ROOT/bench/soak/callbacks.py" "$BASE" "$CALLBACK_PATH" "$DATA/signed.0" "$(awk -v r="$CALLBACKS_PER_SECOND" 'BEGIN {print 1 / r}')" "$DATA/stop" "$RUN_DIR/callbacks.txt" &
CALLBACKS_PID=$!
START=$(date +%s)
while (( $(date +%s) - START < MINUTES * 60 )); do
  printf '%s %s\n' "$(( $(date +%s) - START ))" "$(awk '/VmRSS/ {print $2}' "/proc/$APP_PID/status")" >>"$RUN_DIR/rss.txt"
  sleep 30
done
touch "$DATA/stop"; wait "$LOAD_PID" "$CALLBACKS_PID" "$LIVE_PID"

python3 - "$RUN_DIR" "$WARMUP" "$MINUTES" <<'PY' | tee "$RUN_DIR/summary-table.md"
import collections, json, sys
run, warmup, minutes = sys.argv[1], float(sys.argv[2]) * 60, sys.argv[3]
rss = [tuple(map(int, l.split())) for l in open(f"{run}/rss.txt")]
requests = [l.split() for l in open(f"{run}/requests.txt")]
callbacks = [l.split() for l in open(f"{run}/callbacks.txt")]
live = json.load(open(f"{run}/live.json"))
codes = collections.Counter(int(r[3]) for r in requests + callbacks)
callback_codes = collections.Counter(int(r[3]) for r in callbacks)
after_warmup = min((kib for t, kib in rss if t >= warmup), default=rss[0][1])
end = rss[-1][1]
peak = max(kib for _, kib in rss)
print("| duration | requests (callbacks) | 2xx | 4xx (401: token renewals) | 5xx | no answer | live connections open at the end (events received) | RSS after warm-up | RSS at the end (peak) | growth after warm-up |")
print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
print(f"| {minutes} min | {len(requests) + len(callbacks)} ({len(callbacks)}, {callback_codes[204]} × 204) | {sum(c for s, c in codes.items() if 200 <= s < 300)} | "
      f"{sum(c for s, c in codes.items() if 400 <= s < 500)} ({codes[401]}) | {sum(c for s, c in codes.items() if s >= 500)} | "
      f"{codes[0]} | {live['open']} of {live['connections']} ({live['events']}) | {after_warmup / 1024:.0f} MiB | {end / 1024:.0f} MiB ({peak / 1024:.0f}) | **{(end - after_warmup) * 100 / after_warmup:+.1f} %** |")
PY
cat >"$RUN_DIR/summary.md" <<MD
$(machine "$LOAD_BEFORE")
One instance on the embedded cluster with its job worker, webhook dispatcher and schedulers on, for $MINUTES minutes: $CLIENTS API clients each creating a lead and reading a page of 20 in a loop (50 ms pause); signed Twilio status callbacks at $CALLBACKS_PER_SECOND a second (initiated → ringing → in-progress → completed over $CALLS calls); $AGENTS agents signed in and connected to the floor hub, pinging every 15 s and receiving the call updates. The app's RSS sampled every 30 s, growth measured from the first sample after $WARMUP minutes of warm-up to the last.

$(cat "$RUN_DIR/summary-table.md")
MD
echo; cat "$RUN_DIR/summary.md"
mkdir -p "$ROOT/bench/results"; cp "$RUN_DIR/summary.md" "$ROOT/bench/results/soak-latest.md"
$UPDATE_DOCS && update_docs soak "$RUN_DIR/summary.md" RELIABILITY.md
exit 0
