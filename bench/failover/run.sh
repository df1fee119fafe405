#!/usr/bin/env bash
# Primary failover drill (ADR 0069, docs/RELIABILITY.md "Primary failover drill"): a pg_auto_failover monitor, a primary
# and a synchronous standby (bench/failover/cluster.sh), the app on a multi-host connection string, a steady load of
# API lead creates recording every acknowledged write, then a failure of the primary, then the count: time until writes
# resume, acknowledged, found, missing, duplicated, errors the clients saw. Exit code 1 if anything acknowledged is
# missing or duplicated, or writes did not resume within 30 s.
# The load: WORKERS clients creating leads through the API and CALLBACK_WORKERS replaying signed Twilio status
# callbacks (bench/webhooks/Signer) for CALLS calls; every acknowledged request must have left its row exactly once.
# Usage: bench/failover/run.sh [postmaster|node]   (default postmaster: SIGKILL of the primary's postmaster only;
#        node: SIGKILL of the primary node's keeper and PostgreSQL together, as when its machine dies)
# env: WORKERS=6 CALLBACK_WORKERS=2 CALLS=6000 BEFORE=10 (seconds of load before the failure) AFTER=20 (seconds of load after writes resume)
set -euo pipefail

MODE="${1:-postmaster}"
WORKERS="${WORKERS:-6}"; CALLBACK_WORKERS="${CALLBACK_WORKERS:-2}"; CALLS="${CALLS:-6000}"; BEFORE="${BEFORE:-10}"; AFTER="${AFTER:-20}"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/bench/failover/pair.sh"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
say() { printf '== %s\n' "$*"; }

pair_start failover ops@drill.test
PORT=$(free_port); BASE="http://127.0.0.1:$PORT"
RateLimits__UserPerSecond=10000 RateLimits__UserBurst=100000 RateLimits__TenantPerSecond=10000 RateLimits__TenantBurst=100000 \
  dotnet "$DLL" serve --urls "$BASE" >"$WORK/app.log" 2>&1 &
APP_PID=$!
for _ in $(seq 240); do curl -sf "$BASE/health/ready" >/dev/null && break; sleep 0.5; done
curl -sf "$BASE/health/ready" >/dev/null || { echo "app not ready"; tail -20 "$WORK/app.log"; exit 1; }
login() { curl -sS --fail-with-body -X POST "$BASE/api/v1/auth/login" -H 'Content-Type: application/json' -d "$1" | jq -r .accessToken; }
TOKEN=$(login "{\"email\":\"ops@drill.test\",\"password\":\"$PASSWORD-A1\"}")
curl -sS --fail-with-body -X POST "$BASE/api/v1/tenants" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"name":"Drill","slug":"drill","timeZone":"UTC","currency":"USD","defaultCountry":"US"}' >/dev/null
TOKEN=$(login "{\"email\":\"ops@drill.test\",\"password\":\"$PASSWORD-A1\",\"tenant\":\"drill\"}")
TENANT=$(sql_on "$NODE1" switchboard "select id from tenants where slug = 'drill'")
# Status callbacks as bench/webhooks sends them: a configured Twilio account, queued calls, pre-signed requests.
AUTH_TOKEN=$(openssl rand -hex 16); ACCOUNT_SID="AC$(openssl rand -hex 16)"
curl -sS --fail-with-body -X PUT "$BASE/api/v1/telephony/providers/twilio" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d "{\"accountSid\":\"$ACCOUNT_SID\",\"authToken\":\"$AUTH_TOKEN\",\"callerId\":\"+14155550100\"}" >/dev/null
sql_on "$NODE1" switchboard "insert into calls (tenant_id, id, direction, from_number, to_number, provider, provider_call_id, status, created_at, updated_at)
  select '$TENANT', gen_random_uuid(), 'inbound', '+1555' || lpad((2000000 + g % 1000000)::text, 7, '0'), '+15550100000', 'twilio',
         'CAf' || lpad(g::text, 8, '0'), 'queued', now(), now() from generate_series(0, $CALLS - 1) g"
CALLBACK_PATH="/api/v1/telephony/twilio/$TENANT/status"
dotnet build "$ROOT/bench/webhooks/Signer" -c Release -v q -clp:ErrorsOnly -nologo >/dev/null
dotnet "$ROOT/bench/webhooks/Signer/bin/Release/net10.0/Signer.dll" "$AUTH_TOKEN" "$BASE$CALLBACK_PATH" "$ACCOUNT_SID" CAf "$CALLS" "$CALLBACK_WORKERS" "$WORK/signed" >/dev/null

say "load: $WORKERS clients creating leads, $CALLBACK_WORKERS sending status callbacks; ${BEFORE}s before the failure"
python3 "$HERE/load.py" "$BASE" "$TOKEN" "$WORKERS" "$WORK/stop" "$WORK/requests.jsonl" "$CALLBACK_PATH" "$WORK/signed" "$CALLBACK_WORKERS" &
LOAD_PID=$!
sleep "$BEFORE"
OLD=$("$HERE/cluster.sh" primary "$WORK/cluster")
STATUS_BEFORE=$(curl -sS "$BASE/api/v1/status" -H "Authorization: Bearer $TOKEN" | jq -c .replication)
if [ "$MODE" = node ]; then "$HERE/cluster.sh" kill-node "$WORK/cluster" "$OLD"; else "$HERE/cluster.sh" kill-postmaster "$WORK/cluster" "$OLD"; fi
KILLED_AT=$(date +%s.%N)   # after the signal was sent: a request that started before it may still have been served
say "SIGKILL ($MODE) of $OLD at $(date -u +%T)"
# Writes resume when a request started after the failure is acknowledged.
resumed() { jq -e --argjson t "$KILLED_AT" 'select(.start > $t and .outcome == 201 and .kind == "lead")' "$WORK/requests.jsonl" >/dev/null 2>&1; }
for _ in $(seq 600); do resumed && break; sleep 0.1; done
sleep "$AFTER"
touch "$WORK/stop"; wait "$LOAD_PID"; LOAD_PID=""
# The monitor names no primary while a state change is in flight (wait_primary -> primary): ask until it does.
NEW=""; for _ in $(seq 60); do NEW=$("$HERE/cluster.sh" primary "$WORK/cluster"); [ -n "$NEW" ] && break; sleep 0.5; done
NEW="${NEW:-none}"
STATUS_AFTER=$(curl -sS "$BASE/api/v1/status" -H "Authorization: Bearer $TOKEN" | jq -c .replication)
"$HERE/cluster.sh" state "$WORK/cluster" > "$WORK/state.txt"

[ "$NEW" != none ] || { echo "FAIL: no primary after the failure"; exit 1; }
NEW_PORT=$([ "$NEW" = node1 ] && echo "$NODE1" || echo "$NODE2")
{ sql_on "$NEW_PORT" switchboard "select last_name from leads where company = 'Failover drill'"
  sql_on "$NEW_PORT" switchboard "select event_key from call_events where event_key like 'status:CAf%'"; } | sort > "$WORK/found.txt"
jq -r 'select(.outcome == 201 or .outcome == 204) | .name' "$WORK/requests.jsonl" | sort > "$WORK/acked.txt"
ACKED_LEADS=$(jq -s '[.[] | select(.kind == "lead" and .outcome == 201)] | length' "$WORK/requests.jsonl")
ACKED=$(wc -l < "$WORK/acked.txt"); FOUND=$(wc -l < "$WORK/found.txt")
MISSING=$(comm -23 "$WORK/acked.txt" <(sort -u "$WORK/found.txt") | wc -l)
DUPLICATES=$(uniq -d "$WORK/found.txt" | wc -l)
UNACKED_FOUND=$(comm -13 "$WORK/acked.txt" <(sort -u "$WORK/found.txt") | wc -l)
RESUME=$(jq -s --argjson t "$KILLED_AT" '[.[] | select(.start > $t and (.outcome == 201 or .outcome == 204)) | .end] | min // empty | . - $t | . * 10 | round / 10' "$WORK/requests.jsonl")
ERRORS=$(jq -s -r '[.[] | select(.outcome != 201 and .outcome != 204)] | group_by([.kind, .outcome]) | map("\(.[0].kind) \(.[0].outcome)×\(length)") | join(", ")' "$WORK/requests.jsonl")
ERROR_COUNT=$(jq -s '[.[] | select(.outcome != 201 and .outcome != 204)] | length' "$WORK/requests.jsonl")
LAST_ERROR=$(jq -s --argjson t "$KILLED_AT" '[.[] | select(.outcome != 201 and .outcome != 204) | .end] | max // empty | . - $t | . * 10 | round / 10' "$WORK/requests.jsonl")

echo
echo "Failover drill ($MODE): $(nproc) cores, PostgreSQL $(sql_on "$NEW_PORT" postgres 'show server_version'), pg_auto_failover $(pg_autoctl version 2>/dev/null | awk '/version/ {print $NF; exit}'), $WORKERS lead clients, $CALLBACK_WORKERS callback clients"
echo "  primary before: $OLD; primary after: $NEW"
echo "  writes resumed after      : ${RESUME:-never} s (last client error at +${LAST_ERROR:-0} s)"
echo "  acknowledged writes       : $ACKED ($ACKED_LEADS lead creates, $((ACKED - ACKED_LEADS)) status callbacks)"
echo "  writes found afterwards   : $FOUND ($UNACKED_FOUND of them were never acknowledged to the client)"
echo "  missing                   : $MISSING"
echo "  duplicates                : $DUPLICATES"
echo "  errors the clients saw    : $ERROR_COUNT${ERRORS:+ ($ERRORS)}"
echo "  formation afterwards      : $(tr '\n' ' ' < "$WORK/state.txt")"
echo "  /api/v1/status replication: before $STATUS_BEFORE, after $STATUS_AFTER"
[ "$MISSING" = 0 ] && [ "$DUPLICATES" = 0 ] && [ -n "$RESUME" ] && awk "BEGIN {exit !($RESUME <= 30)}" \
  && echo "PASS" || { echo "FAIL"; exit 1; }
