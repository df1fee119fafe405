#!/usr/bin/env bash
# Signed Twilio status callbacks vs. a bare insert-only endpoint, side by side in one run.
# Usage: bench/webhooks/run.sh [--update-docs]     (env: DURATION=20 WARMUP=5 CONNECTIONS=50 THREADS=2 CALLS=40000)
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
UPDATE_DOCS=false
[[ "${1:-}" == "--update-docs" ]] && UPDATE_DOCS=true

say() { printf '\n== %s\n' "$*"; }

if ! command -v wrk >/dev/null; then
  if [[ $(id -u) -eq 0 ]]; then apt-get install -y wrk >/dev/null || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
  else echo "wrk is not installed. Run: sudo apt-get install -y wrk" >&2; exit 1; fi
fi
for tool in jq curl openssl psql dotnet; do command -v $tool >/dev/null || { echo "missing: $tool" >&2; exit 1; }; done

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RUN_DIR="$ROOT/bench/results/webhooks-$STAMP"
mkdir -p "$RUN_DIR"
DATA=$(mktemp -d /tmp/switchboard-bench.XXXXXX)
chmod 755 "$DATA"
APP_PID=""

cleanup() {
  set +e
  if [[ -n "$APP_PID" ]] && kill -0 "$APP_PID" 2>/dev/null; then
    kill -TERM "$APP_PID"  # graceful: the app stops its embedded cluster on the way out (SIGINT is ignored by background jobs)
    for _ in $(seq 60); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$APP_PID" 2>/dev/null && kill -KILL "$APP_PID"
  fi
  if [[ -f "$DATA/postgres/pgdata/postmaster.pid" ]]; then
    PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$PGBIN/pg_ctl" stop -D "$DATA/postgres/pgdata" -m immediate >/dev/null 2>&1
    else "$PGBIN/pg_ctl" stop -D "$DATA/postgres/pgdata" -m immediate >/dev/null 2>&1; fi
  fi
  rm -rf "$DATA"
}
trap cleanup EXIT INT TERM
trap 'echo "run.sh: failed at line $LINENO: $BASH_COMMAND" >&2' ERR

say "build (Release)"
dotnet build "$ROOT/src/Switchboard" -c Release -v q -clp:ErrorsOnly -nologo >/dev/null
dotnet build "$BENCH/Signer" -c Release -v q -clp:ErrorsOnly -nologo >/dev/null

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
say "start app on $BASE (embedded PostgreSQL under $DATA)"
SWITCHBOARD_DATA="$DATA" Bench__BaselineEndpoint=true Jobs__Enabled=true \
  dotnet "$ROOT/src/Switchboard/bin/Release/net10.0/Switchboard.dll" run --urls "$BASE" >"$RUN_DIR/app.log" 2>&1 &
APP_PID=$!
for i in $(seq 240); do
  curl -sf "$BASE/health/ready" >/dev/null 2>&1 && break
  kill -0 "$APP_PID" 2>/dev/null || { echo "app exited; see $RUN_DIR/app.log" >&2; tail -20 "$RUN_DIR/app.log" >&2; exit 1; }
  sleep 0.5
done
curl -sf "$BASE/health/ready" >/dev/null || { echo "app not ready after 120 s" >&2; exit 1; }

say "prepare: sign in, configure twilio, create $((CALLS + WARM_CALLS)) calls, sign requests"
LOGIN=$(curl -sS --fail-with-body -X POST "$BASE/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d '{"email":"admin@acme.test","password":"Switchboard-demo-1","tenant":"acme"}')
TOKEN=$(jq -r .accessToken <<<"$LOGIN")
TENANT=$(jq -r .tenantId <<<"$LOGIN")
AUTH_TOKEN=$(openssl rand -hex 16)
ACCOUNT_SID="AC$(openssl rand -hex 16)"
curl -sS --fail-with-body -X PUT "$BASE/api/v1/telephony/providers/twilio" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d "{\"accountSid\":\"$ACCOUNT_SID\",\"authToken\":\"$AUTH_TOKEN\",\"callerId\":\"+14155550100\"}" >/dev/null

export PGHOST=127.0.0.1 PGUSER=postgres PGDATABASE=switchboard
PGPORT=$(jq -r .Port "$DATA/postgres/cluster.json"); export PGPORT
PGPASSWORD=$(jq -r .SuperuserPassword "$DATA/postgres/cluster.json"); export PGPASSWORD
sql() { psql -X -q -t -A -v ON_ERROR_STOP=1 "$@"; }
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

PG_VERSION=$(sql -c "show server_version")
CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
RAM=$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)
OS=$(. /etc/os-release && echo "$PRETTY_NAME")
DOTNET=$(dotnet --list-runtimes | awk '/Microsoft.AspNetCore.App/ {v=$2} END {print v}')

r() { jq -r ".$2" "$RUN_DIR/$1.json"; }
ms() { printf "%.1f ms" "$(r "$1" "$2")"; }
RATIO=$(jq -n --argjson a "$(r real rps)" --argjson b "$(r base rps)" '$a / $b * 100 | round / 100')
DATE=$(date -u +%Y-%m-%d)
cat >"$RUN_DIR/summary.md" <<MD
Run $DATE (UTC) on $(nproc) cores (load average before the run: $LOAD_BEFORE), $CPU, $RAM RAM, $OS, .NET $DOTNET, PostgreSQL $PG_VERSION.
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

if $UPDATE_DOCS; then
  python3 - "$ROOT/docs/PERFORMANCE.md" "$RUN_DIR/summary.md" <<'PY'
import sys, re
doc, summary = sys.argv[1], open(sys.argv[2]).read().strip()
text = open(doc).read()
start, end = "<!-- bench:webhooks:start -->", "<!-- bench:webhooks:end -->"
text = re.sub(re.escape(start) + ".*?" + re.escape(end), lambda _: f"{start}\n{summary}\n{end}", text, flags=re.S)
open(doc, "w").write(text)
PY
  echo "updated docs/PERFORMANCE.md"
fi

if [[ $(r real non2xx) != 0 || $(r base non2xx) != 0 ]]; then echo "non-2xx responses were counted (see above)" >&2; exit 3; fi
