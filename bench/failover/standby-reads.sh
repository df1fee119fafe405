#!/usr/bin/env bash
# Standby reads (ADR 0070, docs/PERFORMANCE.md "Reports, exports and search on the standby"): the same pg_auto_failover
# pair as the failover drill (cluster.sh), the app on its multi-host string, and in the same run two phases under the
# same steady write load (lead creates):
#   primary  — ConnectionStrings:SwitchboardStandby unset: every read on the primary (the baseline)
#   standby  — SwitchboardStandby = the host list with prefer-standby: reports, exports and search on the standby,
#              each after waiting for it to replay the primary's WAL position at the read's start
# Each phase runs wrk on global search and on the call report, and reports req/s, latency, where the reads ran
# (switchboard_db_standby_reads_total) and the CPU seconds each node's PostgreSQL spent: the point is moving work
# off the primary, on one 2-core machine that cannot make the reads faster overall.
# Each phase warms up for 5 s per endpoint first.
# Usage: bench/failover/standby-reads.sh     env: LEADS=200000 CALLS=200000 DURATION=20 CONNECTIONS=8 WRITERS=2
set -euo pipefail

LEADS="${LEADS:-200000}"; CALLS="${CALLS:-200000}"; DURATION="${DURATION:-20}"; CONNECTIONS="${CONNECTIONS:-8}"; WRITERS="${WRITERS:-2}"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/bench/lib.sh"
. "$ROOT/bench/failover/pair.sh"
RUN_DIR="$ROOT/bench/results/standby-reads-$(date -u +%Y%m%dT%H%M%SZ)"; mkdir -p "$RUN_DIR"
need_tools jq curl python3
LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)
pair_start standby ops@bench.test

start() { # start [NAME=value...]: the app on the pair with these settings; sets BASE and APP_PID
  local port; port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
  BASE="http://127.0.0.1:$port"
  env RateLimits__UserPerSecond=10000 RateLimits__UserBurst=100000 RateLimits__TenantPerSecond=10000 RateLimits__TenantBurst=100000 "$@" \
    dotnet "$DLL" serve --urls "$BASE" >>"$RUN_DIR/app.log" 2>&1 &
  APP_PID=$!
  for _ in $(seq 240); do curl -sf "$BASE/health/ready" >/dev/null && break; sleep 0.5; done
  curl -sf "$BASE/health/ready" >/dev/null || { echo "app not ready"; tail -20 "$RUN_DIR/app.log"; exit 1; }
}
sign_in_as() { # sign_in_as [tenant]: the superadmin's access token, in the tenant when given
  curl -sS --fail-with-body -X POST "$BASE/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d "{\"email\":\"ops@bench.test\",\"password\":\"$PASSWORD-A1\"${1:+,\"tenant\":\"$1\"}}" | jq -r .accessToken
}
stop() { kill -TERM "$APP_PID"; wait "$APP_PID" 2>/dev/null || true; APP_PID=""; }

say "seed: $LEADS leads and $CALLS calls in tenant bench"
start
ROOT_TOKEN=$(sign_in_as)
curl -sS --fail-with-body -X POST "$BASE/api/v1/tenants" -H "Authorization: Bearer $ROOT_TOKEN" -H 'Content-Type: application/json' \
  -d '{"name":"Bench","slug":"bench","timeZone":"UTC","currency":"USD","defaultCountry":"US"}' >/dev/null
TENANT=$(sql_on "$NODE1" switchboard "select id from tenants where slug = 'bench'")
AGENT=$(curl -sS --fail-with-body -X POST "$BASE/api/v1/users" -H "Authorization: Bearer $ROOT_TOKEN" -H 'Content-Type: application/json' \
  -d "{\"email\":\"agent@bench.test\",\"firstName\":\"Bench\",\"lastName\":\"Agent\",\"role\":\"agent\",\"password\":\"$PASSWORD-A1\",\"tenantId\":\"$TENANT\"}" | jq -r .id)
stop
sql_on "$NODE1" switchboard "
  insert into leads (tenant_id, id, first_name, last_name, company, status, created_at, updated_at)
  select '$TENANT', gen_random_uuid(), (array['Ada','Grace','Alan','Edsger','Barbara','Donald','Frances','Ken'])[1 + g % 8],
         (array['Lovelace','Hopper','Turing','Dijkstra','Liskov','Knuth','Allen','Thompson'])[1 + (g / 8) % 8] || g,
         'Company ' || (g % 5000), 'new', now() - (g % 365) * interval '1 day', now()
  from generate_series(1, $LEADS) g;
  insert into calls (tenant_id, id, direction, from_number, to_number, provider, provider_call_id, status, agent_id, answered_at, duration_seconds, created_at, updated_at)
  select '$TENANT', gen_random_uuid(), 'outbound', '+14155550100', '+1555' || lpad((g % 10000000)::text, 7, '0'), 'simulator',
         'SIM' || g, 'completed', '$AGENT', case when g % 3 = 0 then now() - (g % 28) * interval '1 day' end, g % 400,
         now() - (g % 28) * interval '1 day', now()
  from generate_series(1, $CALLS) g;"
# Vacuumed (visibility map, hint bits) so neither phase pays for the seed's first reads.
sql_on "$NODE1" switchboard "vacuum analyze leads"; sql_on "$NODE1" switchboard "vacuum analyze calls"
# Both nodes have everything before a phase starts.
for _ in $(seq 120); do
  [ "$(sql_on "$NODE2" switchboard "select count(*) from calls")" = "$CALLS" ] && break; sleep 1
done


FROM=$(date -u -d '-27 days' +%Y-%m-%d); TO=$(date -u +%Y-%m-%d)
SUMMARY="$RUN_DIR/summary.md"
: > "$RUN_DIR/phases.txt"
phase() { # phase NAME [settings...]
  local name="$1"; shift
  say "phase $name"
  start "$@"
  TOKEN=$(sign_in_as bench)
  rm -f "$WORK/stop"
  python3 "$HERE/load.py" "$BASE" "$TOKEN" "$WRITERS" "$WORK/stop" "$WORK/writes-$name.jsonl" >/dev/null 2>&1 &
  LOAD_PID=$!
  sleep 2
  local p0 s0 p1 s1
  # Warm-up, not measured: caches, the app's JIT, the pools on both nodes.
  wrk -t2 -c"$CONNECTIONS" -d5s -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/search?q=hopper" >/dev/null
  wrk -t2 -c"$CONNECTIONS" -d5s -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/reports/calls?from=$FROM&to=$TO&groupBy=day" >/dev/null
  p0=$(postgres_cpu_seconds "$WORK/cluster/$PRIMARY/postmaster.pid"); s0=$(postgres_cpu_seconds "$WORK/cluster/$STANDBY/postmaster.pid")
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/search?q=hopper" > "$RUN_DIR/search-$name.txt"
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/reports/calls?from=$FROM&to=$TO&groupBy=day" > "$RUN_DIR/report-$name.txt"
  p1=$(postgres_cpu_seconds "$WORK/cluster/$PRIMARY/postmaster.pid"); s1=$(postgres_cpu_seconds "$WORK/cluster/$STANDBY/postmaster.pid")
  touch "$WORK/stop"; wait "$LOAD_PID"; LOAD_PID=""
  local served; served=$(curl -sS "$BASE/metrics" | awk '/^switchboard_db_standby_reads_total/ {match($0, /served_by="[a-z]+"/); k=substr($0, RSTART+11, RLENGTH-12); v[k]+=$NF} END {printf "standby %d, primary %d", v["standby"], v["primary"]}')
  local writes; writes=$(jq -s '[.[] | select(.outcome == 201)] | length' "$WORK/writes-$name.jsonl")
  stop
  echo "$name|$(awk '/Requests\/sec/ {print $2}' "$RUN_DIR/search-$name.txt")|$(awk '/ 50%/ {print $2}' "$RUN_DIR/search-$name.txt")|$(awk '/ 99%/ {print $2}' "$RUN_DIR/search-$name.txt")|$(awk '/Requests\/sec/ {print $2}' "$RUN_DIR/report-$name.txt")|$(awk '/ 50%/ {print $2}' "$RUN_DIR/report-$name.txt")|$(awk '/ 99%/ {print $2}' "$RUN_DIR/report-$name.txt")|$(awk "BEGIN {print $p1 - $p0}")|$(awk "BEGIN {print $s1 - $s0}")|$served|$writes" >> "$RUN_DIR/phases.txt"
}
PRIMARY=$("$HERE/cluster.sh" primary "$WORK/cluster")
STANDBY=$([ "$PRIMARY" = node1 ] && echo node2 || echo node1)
PRIMARY_PORT=$([ "$PRIMARY" = node1 ] && echo "$NODE1" || echo "$NODE2")
phase primary
phase standby ConnectionStrings__SwitchboardStandby="$HOSTS;Target Session Attributes=prefer-standby;Application Name=switchboard-reads"

export PGHOST=127.0.0.1 PGPORT="$PRIMARY_PORT" PGUSER=postgres PGDATABASE=switchboard
{
  echo "$(machine "$LOAD_BEFORE") pg_auto_failover pair on loopback; $LEADS leads, $CALLS calls; wrk $CONNECTIONS connections × ${DURATION} s per endpoint; $WRITERS clients creating leads throughout. Script: \`bench/failover/standby-reads.sh\`."
  echo
  echo "| reads on | search req/s | p50 | p99 | call report req/s | p50 | p99 | primary CPU s | standby CPU s | served by (metric) | lead creates meanwhile |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |"
  while IFS='|' read -r name sr s50 s99 rr r50 r99 pc sc served writes; do
    echo "| $name | $sr | $s50 | $s99 | $rr | $r50 | $r99 | $pc | $sc | $served | $writes |"
  done < "$RUN_DIR/phases.txt"
  python3 - "$RUN_DIR/phases.txt" <<'PY'
import sys
rows = {l.split("|")[0]: l.strip().split("|") for l in open(sys.argv[1]) if l.strip()}
a, b = rows["primary"], rows["standby"]
f = lambda x: float(x)
print()
print(f"Ratios standby / primary (same run): search {f(b[1]) / f(a[1]):.2f}, call report {f(b[4]) / f(a[4]):.2f} in req/s; "
      f"primary PostgreSQL CPU {f(b[7]) / max(f(a[7]), 0.01):.2f}, standby PostgreSQL CPU {f(b[8]) / max(f(a[8]), 0.01):.2f}.")
PY
} > "$SUMMARY"
cat "$SUMMARY"
update_docs standby-reads "$SUMMARY"
