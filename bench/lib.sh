# Shared by the bench/*/run.sh scripts: tools, a throwaway app on an embedded cluster, psql on that cluster,
# the machine description and the PERFORMANCE.md results block. Source it after setting ROOT.

say() { printf '\n== %s\n' "$*"; }

# need_tools tool...: wrk is installed with apt when running as root; the others must be there.
need_tools() {
  if ! command -v wrk >/dev/null; then
    if [[ $(id -u) -eq 0 ]]; then apt-get install -y wrk >/dev/null || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
    else echo "wrk is not installed. Run: sudo apt-get install -y wrk" >&2; exit 1; fi
  fi
  require_tools "$@"
}

# require_tools tool...: stops with the first one missing.
require_tools() {
  for tool in "$@"; do command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }; done
}

# bench_setup name: RUN_DIR for results, DATA for the throwaway cluster, and a trap that stops both on exit.
bench_setup() {
  RUN_DIR="$ROOT/bench/results/$1-$(date -u +%Y%m%dT%H%M%SZ)"
  mkdir -p "$RUN_DIR"
  DATA=$(mktemp -d /tmp/switchboard-bench.XXXXXX)
  chmod 755 "$DATA"
  APP_PID=""
  trap bench_cleanup EXIT INT TERM
  trap 'echo "run.sh: failed at line $LINENO: $BASH_COMMAND" >&2' ERR
}

bench_cleanup() {
  set +e
  if [[ -n "$APP_PID" ]] && kill -0 "$APP_PID" 2>/dev/null; then
    kill -TERM "$APP_PID"  # graceful: the app stops its embedded cluster on the way out (SIGINT is ignored by background jobs)
    for _ in $(seq 60); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$APP_PID" 2>/dev/null && kill -KILL "$APP_PID"
  fi
  if [[ -f "$DATA/postgres/pgdata/postmaster.pid" ]]; then
    local pgbin
    pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$pgbin/pg_ctl" stop -D "$DATA/postgres/pgdata" -m immediate >/dev/null 2>&1
    else "$pgbin/pg_ctl" stop -D "$DATA/postgres/pgdata" -m immediate >/dev/null 2>&1; fi
  fi
  rm -rf "$DATA"
}

# start_app [NAME=value...]: builds and starts Switchboard.dll (or $APP_PROJECT's $APP_DLL, a bench host around it) on a free port with the embedded cluster under
# $DATA (demo data seeded), the given settings in its environment; sets BASE and APP_PID; waits until ready.
start_app() {
  say "build (Release)"
  dotnet build "${APP_PROJECT:-$ROOT/src/Switchboard}" -c Release -v q -clp:ErrorsOnly -nologo >/dev/null
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  BASE="http://127.0.0.1:$port"
  say "start app on $BASE (embedded PostgreSQL under $DATA)"
  # The API's rate limits (ADR 0046) at their highest: the benches measure throughput, not the limiter refusing it.
  env SWITCHBOARD_DATA="$DATA" \
    RateLimits__UserPerSecond=10000 RateLimits__UserBurst=100000 RateLimits__KeyPerSecond=10000 RateLimits__KeyBurst=100000 \
    RateLimits__TenantPerSecond=10000 RateLimits__TenantBurst=100000 "$@" \
    dotnet "${APP_DLL:-$ROOT/src/Switchboard/bin/Release/net10.0/Switchboard.dll}" run --urls "$BASE" >"$RUN_DIR/app.log" 2>&1 &
  APP_PID=$!
  for _ in $(seq 240); do
    curl -sf "$BASE/health/ready" >/dev/null 2>&1 && break
    kill -0 "$APP_PID" 2>/dev/null || { echo "app exited; see $RUN_DIR/app.log" >&2; tail -20 "$RUN_DIR/app.log" >&2; exit 1; }
    sleep 0.5
  done
  curl -sf "$BASE/health/ready" >/dev/null || { echo "app not ready after 120 s" >&2; exit 1; }
}

# sign_in email: a demo user of the acme tenant; sets TOKEN and TENANT.
sign_in() {
  local login
  login=$(curl -sS --fail-with-body -X POST "$BASE/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"${SWITCHBOARD_DEMO_PASSWORD:-Lantern-harbor-demo-1}\",\"tenant\":\"acme\"}")
  TOKEN=$(jq -r .accessToken <<<"$login")
  TENANT=$(jq -r .tenantId <<<"$login")
}

# use_cluster_psql: psql (and the sql function) as the embedded cluster's superuser.
use_cluster_psql() {
  export PGHOST=127.0.0.1 PGUSER=postgres PGDATABASE=switchboard
  PGPORT=$(jq -r .Port "$DATA/postgres/cluster.json"); export PGPORT
  PGPASSWORD=$(jq -r .SuperuserPassword "$DATA/postgres/cluster.json"); export PGPASSWORD
}
sql() { psql -X -q -t -A -v ON_ERROR_STOP=1 "$@"; }

# machine: one line describing where the numbers come from (cores, load before the run, CPU, RAM, OS, .NET, PostgreSQL).
machine() {
  local cpu ram os dotnet_version
  cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
  ram=$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)
  os=$(. /etc/os-release && echo "$PRETTY_NAME")
  dotnet_version=$(dotnet --list-runtimes | awk '/Microsoft.AspNetCore.App/ {v=$2} END {print v}')
  echo "Run $(date -u +%Y-%m-%d) (UTC) on $(nproc) cores (load average before the run: $1), $cpu, $ram RAM, $os, .NET $dotnet_version, PostgreSQL $(sql -c 'show server_version')."
}

# update_docs marker summaryFile [doc]: replaces the block between <!-- bench:marker:start/end --> in docs/PERFORMANCE.md
# (or docs/doc, e.g. RELIABILITY.md for the drills).
update_docs() {
  local doc=${3:-PERFORMANCE.md}
  python3 - "$ROOT/docs/$doc" "$1" "$2" <<'PY'
import sys, re
doc, marker, summary = sys.argv[1], sys.argv[2], open(sys.argv[3]).read().strip()
text = open(doc).read()
start, end = f"<!-- bench:{marker}:start -->", f"<!-- bench:{marker}:end -->"
text = re.sub(re.escape(start) + ".*?" + re.escape(end), lambda _: f"{start}\n{summary}\n{end}", text, flags=re.S)
open(doc, "w").write(text)
PY
  echo "updated docs/$doc"
}
