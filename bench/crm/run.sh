#!/usr/bin/env bash
# Global search and a filtered, sorted lead list page at 1,000,000 leads: p50/p95/p99 latency, side by side in
# the same run with a baseline request (one lead by id: same auth, tenant and RLS path, one primary-key row).
# Usage: bench/crm/run.sh [--update-docs]     (env: LEADS=1000000 DURATION=20 WARMUP=5 CONNECTIONS=4 THREADS=2)
# Needs: dotnet SDK, PostgreSQL 15+ server binaries (as for `switchboard run`), wrk, jq, curl, psql.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH="$ROOT/bench/crm"
LEADS=${LEADS:-1000000}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-5}
CONNECTIONS=${CONNECTIONS:-4}
THREADS=${THREADS:-2}
UPDATE_DOCS=false
[[ "${1:-}" == "--update-docs" ]] && UPDATE_DOCS=true

say() { printf '\n== %s\n' "$*"; }

if ! command -v wrk >/dev/null; then
  if [[ $(id -u) -eq 0 ]]; then apt-get install -y wrk >/dev/null || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
  else echo "wrk is not installed. Run: sudo apt-get install -y wrk" >&2; exit 1; fi
fi
for tool in jq curl psql dotnet; do command -v $tool >/dev/null || { echo "missing: $tool" >&2; exit 1; }; done

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RUN_DIR="$ROOT/bench/results/crm-$STAMP"
mkdir -p "$RUN_DIR"
DATA=$(mktemp -d /tmp/switchboard-bench.XXXXXX)
chmod 755 "$DATA"
APP_PID=""

cleanup() {
  set +e
  if [[ -n "$APP_PID" ]] && kill -0 "$APP_PID" 2>/dev/null; then
    kill -TERM "$APP_PID"
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

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
say "start app on $BASE (embedded PostgreSQL under $DATA)"
SWITCHBOARD_DATA="$DATA" Jobs__Enabled=false \
  dotnet "$ROOT/src/Switchboard/bin/Release/net10.0/Switchboard.dll" run --urls "$BASE" >"$RUN_DIR/app.log" 2>&1 &
APP_PID=$!
for _ in $(seq 240); do
  curl -sf "$BASE/health/ready" >/dev/null 2>&1 && break
  kill -0 "$APP_PID" 2>/dev/null || { echo "app exited; see $RUN_DIR/app.log" >&2; tail -20 "$RUN_DIR/app.log" >&2; exit 1; }
  sleep 0.5
done
curl -sf "$BASE/health/ready" >/dev/null || { echo "app not ready after 120 s" >&2; exit 1; }

LOGIN=$(curl -sS --fail-with-body -X POST "$BASE/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d '{"email":"manager@acme.test","password":"Switchboard-demo-1","tenant":"acme"}')
TOKEN=$(jq -r .accessToken <<<"$LOGIN")
TENANT=$(jq -r .tenantId <<<"$LOGIN")

export PGHOST=127.0.0.1 PGUSER=postgres PGDATABASE=switchboard
PGPORT=$(jq -r .Port "$DATA/postgres/cluster.json"); export PGPORT
PGPASSWORD=$(jq -r .SuperuserPassword "$DATA/postgres/cluster.json"); export PGPASSWORD
sql() { psql -X -q -t -A -v ON_ERROR_STOP=1 "$@"; }

say "insert $LEADS leads into the demo tenant (with every index the table has) and analyze"
START=$(date +%s)
sql -v tenant="$TENANT" -v n="$LEADS" -f "$BENCH/leads.sql"
LOAD_SECONDS=$(( $(date +%s) - START ))
TOTAL=$(sql -c "select count(*) from leads where tenant_id = '$TENANT'")
echo "leads in the tenant: $TOTAL (inserted in ${LOAD_SECONDS}s)"
ONE_LEAD=$(sql -c "select id from leads where tenant_id = '$TENANT' order by created_at desc limit 1")

# Queries: misspelt names and companies, partial emails, phone fragments; list pages with a filter, a sort and a page.
cat >"$DATA/search.txt" <<'TXT'
/api/v1/search?q=jonh%20smiht
/api/v1/search?q=patrica%20garcia
/api/v1/search?q=globex%20logistcs
/api/v1/search?q=northwnd
/api/v1/search?q=kowalsky
/api/v1/search?q=212%20000%201234
/api/v1/search?q=michael.rossi
/api/v1/search?q=dunder%20miflin
/api/v1/search?q=lindquist
/api/v1/search?q=555%2012
/api/v1/search?q=priya%20nguyen
/api/v1/search?q=acme%20plumbng
TXT
cat >"$DATA/list.txt" <<'TXT'
/api/v1/leads?status=new&sort=-createdAt&pageSize=50
/api/v1/leads?status=contacted&sort=name&pageSize=50&page=3
/api/v1/leads?search=garcia&sort=-createdAt&pageSize=50
/api/v1/leads?status=qualified&sort=company&pageSize=50&page=2
/api/v1/leads?search=globex&status=new&sort=-createdAt&pageSize=50
/api/v1/leads?sort=-updatedAt&pageSize=50&page=10
TXT
echo "/api/v1/leads/$ONE_LEAD" >"$DATA/baseline.txt"
for f in search list baseline; do
  while read -r path; do
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$BASE$path")
    [[ "$code" == 200 ]] || { echo "$path answered $code" >&2; exit 1; }
  done <"$DATA/$f.txt"
done

load() { # name pathsFile
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" --timeout 10s -s "$BENCH/paths.lua" "$BASE" -- "$2" "$TOKEN" >/dev/null 2>&1
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s --latency -s "$BENCH/paths.lua" "$BASE" -- "$2" "$TOKEN" >"$RUN_DIR/$1.txt" 2>&1
  grep '^RESULT ' "$RUN_DIR/$1.txt" | sed 's/^RESULT //' >"$RUN_DIR/$1.json"
}
LOAD_BEFORE=$(cut -d" " -f1-3 /proc/loadavg)
say "baseline (one lead by id), global search, lead list: ${WARMUP}s warm-up + ${DURATION}s each, $CONNECTIONS connections"
load baseline "$DATA/baseline.txt"
load search "$DATA/search.txt"
load list "$DATA/list.txt"

r() { jq -r ".$2" "$RUN_DIR/$1.json"; }
ratio() { jq -n --argjson a "$(r "$1" p95_ms)" --argjson b "$(r baseline p95_ms)" '$a / $b * 10 | round / 10'; }
row() { printf '| %s | %.1f | %.1f ms | **%.1f ms** | %.1f ms | %s | %s | %s |\n' "$2" "$(r "$1" rps)" "$(r "$1" p50_ms)" "$(r "$1" p95_ms)" "$(r "$1" p99_ms)" "$(r "$1" non2xx)" "$(r "$1" errors)" "$3"; }
PG_VERSION=$(sql -c "show server_version")
CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
RAM=$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)
OS=$(. /etc/os-release && echo "$PRETTY_NAME")
DOTNET=$(dotnet --list-runtimes | awk '/Microsoft.AspNetCore.App/ {v=$2} END {print v}')
cat >"$RUN_DIR/summary.md" <<MD
Run $(date -u +%Y-%m-%d) (UTC) on $(nproc) cores (load average before: $LOAD_BEFORE), $CPU, $RAM RAM, $OS, .NET $DOTNET, PostgreSQL $PG_VERSION.
$TOTAL leads in the tenant (bulk-inserted by SQL in ${LOAD_SECONDS} s, all indexes in place). wrk $THREADS threads / $CONNECTIONS connections, ${WARMUP} s warm-up then ${DURATION} s per row, as the demo manager (sees every lead).

| request | requests/s | p50 | p95 | p99 | non-2xx | timeouts/errors | p95 / baseline |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
$(row baseline 'baseline: GET /api/v1/leads/{id}' 1.0)
$(row search 'global search, 12 queries with typos / phone digits' "$(ratio search)")
$(row list 'lead list: filter + sort + page of 50, 6 variants' "$(ratio list)")
MD
cat "$RUN_DIR/summary.md"
cp "$RUN_DIR/summary.md" "$ROOT/bench/results/crm-latest.md"
if $UPDATE_DOCS; then
  python3 - "$ROOT/docs/PERFORMANCE.md" "$RUN_DIR/summary.md" <<'PY'
import sys, re
doc, summary = sys.argv[1], open(sys.argv[2]).read().strip()
text = open(doc).read()
start, end = "<!-- bench:crm:start -->", "<!-- bench:crm:end -->"
text = re.sub(re.escape(start) + ".*?" + re.escape(end), lambda _: f"{start}\n{summary}\n{end}", text, flags=re.S)
open(doc, "w").write(text)
PY
  echo "updated docs/PERFORMANCE.md"
fi
