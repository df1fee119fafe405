#!/usr/bin/env bash
# Signed Twilio status callbacks vs. a bare insert-only endpoint, side by side in one run.
# Usage: bench/webhooks/run.sh [--update-docs]     (env: DURATION=20 WARMUP=5 CONNECTIONS=50 THREADS=2 CALLS=40000 AUDIT_SEAL=on|off)
# Needs: dotnet SDK, PostgreSQL 15+ server binaries (as for `switchboard run`), wrk, jq, curl, openssl.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH="$ROOT/bench/webhooks"
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-5}
CONNECTIONS=${CONNECTIONS:-50}
THREADS=${THREADS:-2}
CALLS=${CALLS:-40000}          # measured calls; each gets 4 callbacks, so 160,000 distinct requests
WARM_CALLS=${WARM_CALLS:-5000}
AUDIT_SEAL=${AUDIT_SEAL:-on}   # off: the audit hash chain's seal trigger is disabled, to measure what the chain costs this path
UPDATE_DOCS=false
[[ "${1:-}" == "--update-docs" ]] && UPDATE_DOCS=true

source "$ROOT/bench/lib.sh"
need_tools jq curl openssl psql dotnet
bench_setup webhooks
dotnet build "$BENCH/Signer" -c Release -v q -clp:ErrorsOnly -nologo >/dev/null
# The app plus the bare baseline endpoint, which is not part of the product (bench/webhooks/BaselineHost).
APP_PROJECT="$BENCH/BaselineHost" APP_DLL="$BENCH/BaselineHost/bin/Release/net10.0/BaselineHost.dll" start_app Jobs__Enabled=true

say "prepare: sign in, configure twilio, create $((CALLS + WARM_CALLS)) calls, sign requests"
sign_in admin@acme.test
AUTH_TOKEN=$(openssl rand -hex 16)
ACCOUNT_SID="AC$(openssl rand -hex 16)"
curl -sS --fail-with-body -X PUT "$BASE/api/v1/telephony/providers/twilio" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d "{\"accountSid\":\"$ACCOUNT_SID\",\"authToken\":\"$AUTH_TOKEN\",\"callerId\":\"+14155550100\"}" >/dev/null

use_cluster_psql
[[ "$AUDIT_SEAL" == off ]] && sql -c "alter table audit_log disable trigger audit_log_seal"
for spec in "CAw:$WARM_CALLS" "CAm:$CALLS"; do
  sql -v tenant="$TENANT" -v prefix="${spec%%:*}" -v n="${spec##*:}" <<'SQL'
insert into calls (tenant_id, id, direction, from_number, to_number, provider, provider_call_id, status, created_at, updated_at)
select :'tenant'::uuid, gen_random_uuid(), 'inbound', '+1555' || lpad((2000000 + g % 1000000)::text, 7, '0'), '+15550100000',
       'twilio', :'prefix' || lpad(g::text, 8, '0'), 'queued', now(), now()
from generate_series(0, :n - 1) g;
SQL
done
sql -c "analyze calls; analyze call_events;"

WEBHOOK="/api/v1/telephony/twilio/$TENANT/status"
BASELINE="/bench/baseline/$TENANT"
SIGNER="$BENCH/Signer/bin/Release/net10.0/Signer.dll"
dotnet "$SIGNER" "$AUTH_TOKEN" "$BASE$WEBHOOK" "$ACCOUNT_SID" CAw "$WARM_CALLS" "$THREADS" "$DATA/warm" >/dev/null
dotnet "$SIGNER" "$AUTH_TOKEN" "$BASE$WEBHOOK" "$ACCOUNT_SID" CAm "$CALLS" "$THREADS" "$DATA/measured" >/dev/null

# One signed callback first, so a setup mistake shows as an error here rather than as 40 s of 403s.
first=$(head -1 "$DATA/warm.0")
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$BASE$WEBHOOK" -H "X-Twilio-Signature: ${first%%$'\t'*}" \
  -H 'Content-Type: application/x-www-form-urlencoded' --data "${first#*$'\t'}")
[[ "$code" == 204 ]] || { echo "a signed callback answered $code, expected 204" >&2; exit 1; }

load() { # name path requests-prefix seconds
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$4s" --latency -s "$BENCH/callbacks.lua" "$BASE" -- "$2" "$3" >"$RUN_DIR/$1.txt" 2>&1
  grep '^RESULT ' "$RUN_DIR/$1.txt" | sed 's/^RESULT //' >"$RUN_DIR/$1.json"
}

LOAD_BEFORE=$(cut -d" " -f1-3 /proc/loadavg)
say "signed status webhook: ${WARMUP}s warm-up, ${DURATION}s measured, $CONNECTIONS connections, $THREADS threads"
load real-warmup "$WEBHOOK" "$DATA/warm" "$WARMUP"
load real "$WEBHOOK" "$DATA/measured" "$DURATION"
sql -c "select status, count(*) from calls where provider_call_id like 'CAm%' group by status order by 1" >"$RUN_DIR/real-calls-by-status.txt"
REAL_EVENTS=$(sql -c "select count(*) from call_events where event_key like 'status:CAm%'")

# Same rows again for the baseline: start it from an empty call_events so it inserts rather than conflicts.
sql -c "truncate call_events"; sql -c "vacuum analyze call_events"
say "bare insert endpoint: ${WARMUP}s warm-up, ${DURATION}s measured"
load base-warmup "$BASELINE" "$DATA/warm" "$WARMUP"
load base "$BASELINE" "$DATA/measured" "$DURATION"
BASE_EVENTS=$(sql -c "select count(*) from call_events where event_key like 'status:CAm%'")


r() { jq -r ".$2" "$RUN_DIR/$1.json"; }
ms() { printf "%.1f ms" "$(r "$1" "$2")"; }
RATIO=$(jq -n --argjson a "$(r real rps)" --argjson b "$(r base rps)" '$a / $b * 100 | round / 100')
cat >"$RUN_DIR/summary.md" <<MD
$(machine "$LOAD_BEFORE")
wrk $THREADS threads / $CONNECTIONS connections, ${WARMUP} s warm-up then ${DURATION} s measured per endpoint; app, PostgreSQL and wrk share the machine.

| endpoint | requests/s | p50 | p99 | non-2xx | socket errors | rows inserted |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
| signed status webhook (\`POST /api/v1/telephony/twilio/{tenant}/status\`) | $(printf %.0f "$(r real rps)") | $(ms real p50_ms) | $(ms real p99_ms) | $(r real non2xx) | $(( $(r real connect_errors) + $(r real read_errors) + $(r real write_errors) + $(r real timeouts) )) | $REAL_EVENTS |
| bare insert (\`POST /bench/baseline/{tenant}\`) | $(printf %.0f "$(r base rps)") | $(ms base p50_ms) | $(ms base p99_ms) | $(r base non2xx) | $(( $(r base connect_errors) + $(r base read_errors) + $(r base write_errors) + $(r base timeouts) )) | $BASE_EVENTS |

**Ratio webhook / bare insert: $RATIO** (requests/s). Resent (set exhausted, duplicates): webhook $(r real resent), baseline $(r base resent).
MD
{
  echo; cat "$RUN_DIR/summary.md"; echo
  echo "Calls after the webhook run (status: count):"; sed 's/|/: /' "$RUN_DIR/real-calls-by-status.txt"
  echo; echo "Raw wrk output and app log: $RUN_DIR"
} | tee "$RUN_DIR/summary.txt"
cp "$RUN_DIR/summary.md" "$ROOT/bench/results/webhooks-latest.md"

$UPDATE_DOCS && update_docs webhooks "$RUN_DIR/summary.md"

if [[ $(r real non2xx) != 0 || $(r base non2xx) != 0 ]]; then echo "non-2xx responses were counted (see above)" >&2; exit 3; fi
