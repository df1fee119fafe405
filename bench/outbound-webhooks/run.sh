#!/usr/bin/env bash
# Outbound webhooks (ADR 0055), two measurements in one run:
#  1. delivery throughput: EVENTS lead.created events written to the outbox at once, each delivered to SUBSCRIPTIONS
#     subscriptions on a local receiver (bench/outbound-webhooks/Receiver); deliveries per second from the commit to the
#     last delivery recorded, against the receiver's own capacity at the same concurrency (wrk, same body size).
#  2. change-to-outbox overhead: a lead create's transaction with and without its lead.created event insert (pgbench,
#     the SQL the app sends), as transactions per second and the per-transaction latency they imply.
# Usage: bench/outbound-webhooks/run.sh     (env: EVENTS=5000 SUBSCRIPTIONS=8 DURATION=15 CONNECTIONS=8 THREADS=2 EVENT_NOTIFY=on|off)
# Needs: dotnet SDK, PostgreSQL 15+ server binaries (as for `switchboard run`), wrk, pgbench, jq, curl, psql.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH="$ROOT/bench/outbound-webhooks"
EVENTS=${EVENTS:-5000}
SUBSCRIPTIONS=${SUBSCRIPTIONS:-8}
DURATION=${DURATION:-15}
CONNECTIONS=${CONNECTIONS:-8}
THREADS=${THREADS:-2}
EVENT_NOTIFY=${EVENT_NOTIFY:-on}   # off: the NOTIFY trigger on webhook_events is disabled for the pgbench part, to see what it costs a change

source "$ROOT/bench/lib.sh"
need_tools jq curl psql pgbench dotnet
bench_setup outbound-webhooks

say "build and start the receiver"
dotnet build "$BENCH/Receiver" -c Release -v q -clp:ErrorsOnly -nologo >/dev/null
RPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
RECEIVER="http://127.0.0.1:$RPORT"
dotnet "$BENCH/Receiver/bin/Release/net10.0/Receiver.dll" --urls "$RECEIVER" >"$RUN_DIR/receiver.log" 2>&1 &
RECEIVER_PID=$!
trap 'kill $RECEIVER_PID 2>/dev/null; bench_cleanup' EXIT INT TERM
for _ in $(seq 60); do curl -sf "$RECEIVER/count" >/dev/null 2>&1 && break; sleep 0.5; done

start_app Security__AllowPrivateNetworkUrls=true Webhooks__Concurrency="$SUBSCRIPTIONS"
sign_in admin@acme.test
use_cluster_psql
USER_ID=$(sql -c "select id from users where email = 'admin@acme.test'")

say "subscribe $SUBSCRIPTIONS endpoints to lead.created"
for i in $(seq "$SUBSCRIPTIONS"); do
  curl -sS --fail-with-body -X POST "$BASE/api/v1/webhooks" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d "{\"url\":\"$RECEIVER/s$i\",\"events\":[\"lead.created\"]}" >/dev/null
done
# One real lead, so the events below carry a body as the app writes it.
curl -sS --fail-with-body -X POST "$BASE/api/v1/leads" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"firstName":"Bench","lastName":"Template","email":"bench@example.com","phone":"+14155550123","company":"Bench Co"}' >/dev/null
for _ in $(seq 100); do
  [[ $(sql -c "select count(*) from webhook_deliveries where status = 'delivered'") -ge $SUBSCRIPTIONS ]] && break; sleep 0.2
done
BODY_BYTES=$(sql -c "select length(body) from webhook_events where type = 'lead.created' order by seq desc limit 1")

LOAD_BEFORE=$(cut -d" " -f1-3 /proc/loadavg)
say "baseline: the receiver alone, ${DURATION}s, $SUBSCRIPTIONS connections, ${BODY_BYTES}-byte bodies"
BODY_BYTES=$BODY_BYTES wrk -t"$THREADS" -c"$SUBSCRIPTIONS" -d"${DURATION}s" -s "$BENCH/post.lua" "$RECEIVER/baseline" >"$RUN_DIR/receiver-wrk.txt" 2>&1
RECEIVER_RPS=$(awk '/Requests\/sec/ {print $2}' "$RUN_DIR/receiver-wrk.txt")
echo "  receiver: $RECEIVER_RPS requests/s"

say "throughput: $EVENTS events × $SUBSCRIPTIONS subscriptions = $((EVENTS * SUBSCRIPTIONS)) deliveries"
DONE_BEFORE=$(sql -c "select count(*) from webhook_deliveries where status = 'delivered'")
TARGET=$((DONE_BEFORE + EVENTS * SUBSCRIPTIONS))
CPU_BEFORE=$(awk '{print $14 + $15}' "/proc/$APP_PID/stat")
START=$(date +%s.%N)
sql -v EVENTS="$EVENTS" <<'SQL'
begin;
insert into webhook_events (tenant_id, id, type, created_at, body)
select t.tenant_id, gen_random_uuid(), 'lead.created', now(), t.body
from (select tenant_id, body from webhook_events where type = 'lead.created' order by seq desc limit 1) t, generate_series(1, :EVENTS);
commit;
SQL
END=""
for _ in $(seq 6000); do
  if [[ $(sql -c "select count(*) from webhook_deliveries where status = 'delivered'") -ge $TARGET ]]; then END=$(date +%s.%N); break; fi
  sleep 0.1
done
[[ -n "$END" ]] || { echo "not every delivery was made within 10 minutes" >&2; exit 1; }
CPU_AFTER=$(awk '{print $14 + $15}' "/proc/$APP_PID/stat")
SECONDS_TAKEN=$(jq -n "$END - $START")
DELIVERIES_PER_S=$(jq -n "$EVENTS * $SUBSCRIPTIONS / $SECONDS_TAKEN")
CPU_MS=$(jq -n "($CPU_AFTER - $CPU_BEFORE) * 1000 / $(getconf CLK_TCK) / ($EVENTS * $SUBSCRIPTIONS)")
RECEIVED=$(curl -sf "$RECEIVER/count")
FAILED=$(sql -c "select count(*) from webhook_deliveries where status = 'failed'")
printf '  %.0f deliveries/s (%.2f s; app CPU %.3f ms per delivery; receiver counted %s; %s failed attempts)\n' \
  "$DELIVERIES_PER_S" "$SECONDS_TAKEN" "$CPU_MS" "$RECEIVED" "$FAILED"

say "change-to-outbox: lead create with and without its event, pgbench ${DURATION}s each, $CONNECTIONS connections"
SESSION=$(sql -c "select id from user_sessions where user_id = '$USER_ID' and revoked_at is null order by created_at desc limit 1")
pg() { # name script
  (cd "$BENCH" && cat "$ROOT/bench/api/session.sql" "$2") >"$DATA/$1.sql"
  PGPASSWORD=$(jq -r .AppPassword "$DATA/postgres/cluster.json") pgbench -n -M extended -h 127.0.0.1 -p "$PGPORT" -U switchboard_app -d switchboard \
    -c "$CONNECTIONS" -j "$THREADS" -T "$DURATION" -D tenant="$TENANT" -D user="$USER_ID" -D session="$SESSION" -f "$DATA/$1.sql" >"$RUN_DIR/pg-$1.txt" 2>&1
  awk -F' = ' '/^tps/ {split($2, a, " "); print a[1]}' "$RUN_DIR/pg-$1.txt"
}
# The dispatcher would deliver these events to the subscriptions while pgbench runs: stop them from taking part.
sql -c "update webhook_subscriptions set enabled = false" >/dev/null
[[ "$EVENT_NOTIFY" == off ]] && sql -c "alter table webhook_events disable trigger webhook_events_notify" >/dev/null
WITHOUT=$(pg without "$ROOT/bench/api/lead-create.sql")
WITH=$(pg with "$BENCH/lead-event.sql")
OVERHEAD_MS=$(jq -n "$CONNECTIONS * 1000 / $WITH - $CONNECTIONS * 1000 / $WITHOUT")
printf '  without the event %.0f tx/s, with it %.0f tx/s: ratio %.2f, %.3f ms more per transaction at %s connections\n' \
  "$WITHOUT" "$WITH" "$(jq -n "$WITH / $WITHOUT")" "$OVERHEAD_MS" "$CONNECTIONS"

cat >"$RUN_DIR/summary.md" <<MD
$(machine "$LOAD_BEFORE")

| measurement | result | baseline in the same run | ratio |
| --- | ---: | ---: | ---: |
| deliveries/s ($EVENTS events × $SUBSCRIPTIONS subscriptions, ${BODY_BYTES}-byte bodies) | $(printf '%.0f' "$DELIVERIES_PER_S") | receiver alone, wrk at $SUBSCRIPTIONS connections: $(printf '%.0f' "$RECEIVER_RPS") req/s | **$(printf '%.2f' "$(jq -n "$DELIVERIES_PER_S / $RECEIVER_RPS")")** |
| app CPU per delivery | $(printf '%.3f' "$CPU_MS") ms | | |
| lead create + event, pgbench tx/s | $(printf '%.0f' "$WITH") | lead create alone: $(printf '%.0f' "$WITHOUT") tx/s | **$(printf '%.2f' "$(jq -n "$WITH / $WITHOUT")")** |
| added per change (latency at $CONNECTIONS connections) | $(printf '%.3f' "$OVERHEAD_MS") ms | | |
MD
cat "$RUN_DIR/summary.md"
