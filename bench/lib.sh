# Shared by the bench/*/run.sh scripts: tools, a throwaway app on an embedded cluster, psql on that cluster,
# the machine description and the PERFORMANCE.md results block. Source it after setting ROOT.

say() { printf '\n== %s\n' "$*"; }

# need_tools tool...: wrk, and nginx and pgbouncer when asked for, are installed with apt when running as root (as
# `./switchboard test` installs the servers its tests start); the others must be there.
need_tools() {
  local tool package missing=()
  for tool in wrk "$@"; do
    case "$tool" in
      wrk) package=wrk ;;
      /usr/sbin/nginx) package=nginx ;;
      /usr/sbin/pgbouncer) package=pgbouncer ;;
      *) continue ;;
    esac
    command -v "$tool" >/dev/null || missing+=("$package")
  done
  if ((${#missing[@]})); then
    if [[ $(id -u) -eq 0 ]]; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >/dev/null ||
        { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >/dev/null; }
    else echo "not installed: ${missing[*]}. Run: sudo apt-get install -y ${missing[*]}" >&2; exit 1; fi
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

# pgbench_run name scripts...: bench/api's SQL scripts (after session.sql) as the app role, CONNECTIONS clients and THREADS
# threads for DURATION s, with TENANT, USER_ID, SESSION and ONE_LEAD as variables; writes RUN_DIR/pg-NAME.json (rps, p50_ms,
# p99_ms, failed, and pg_cpu_ms: PostgreSQL's CPU time per transaction). The same statements the app sends for one
# request, straight to PostgreSQL: the ceiling an API request of that kind is measured against (bench/api, bench/scale).
pgbench_run() {
  local name=$1 script="$DATA/$1.sql" pg_before pg_after; shift
  (cd "$ROOT/bench/api" && cat session.sql "$@") >"$script"
  mkdir -p "$DATA/pglog-$name"
  pg_before=$(postgres_cpu_seconds)
  (cd "$DATA/pglog-$name" && PGPASSWORD=$(jq -r .AppPassword "$DATA/postgres/cluster.json") \
    pgbench -n -M extended -h 127.0.0.1 -p "$PGPORT" -U switchboard_app -d switchboard -c "$CONNECTIONS" -j "$THREADS" -T "$DURATION" \
      -D tenant="$TENANT" -D user="$USER_ID" -D session="$SESSION" -D lead="$ONE_LEAD" -D k=0 -l -f "$script" >"$RUN_DIR/pg-$name.txt" 2>&1)
  pg_after=$(postgres_cpu_seconds)
  local tps p50 p99
  tps=$(awk -F' = ' '/^tps/ {split($2, a, " "); print a[1]}' "$RUN_DIR/pg-$name.txt")
  read -r p50 p99 < <(cat "$DATA/pglog-$name"/pgbench_log.* | awk '{print $3 / 1000}' | sort -n |
    awk '{v[NR] = $1} END {print v[int(NR * 0.50) + 1], v[int(NR * 0.99) + 1]}')
  jq -n --argjson rps "$tps" --argjson p50 "$p50" --argjson p99 "$p99" \
    --argjson failed "$(awk '/number of failed transactions/ {print $5; exit}' "$RUN_DIR/pg-$name.txt" | grep . || echo 0)" \
    --argjson pg_cpu_ms "$(awk -v a="$pg_before" -v b="$pg_after" -v n="$(awk '/number of transactions actually processed/ {print $NF; exit}' "$RUN_DIR/pg-$name.txt")" \
      'BEGIN {printf "%.3f", (n > 0 ? (b - a) * 1000 / n : 0)}')" \
    '{rps: $rps, p50_ms: $p50, p99_ms: $p99, failed: $failed, pg_cpu_ms: $pg_cpu_ms}' >"$RUN_DIR/pg-$name.json"
}

# jit_seconds BASE...: the CPU time the instances' JIT has spent compiling so far (the runtime's
# dotnet_jit_compilation_time_seconds_total on /metrics, which answers loopback), summed over the instances.
jit_seconds() {
  local base total=0 seconds
  for base in "$@"; do
    seconds=$(curl -sf "$base/metrics" | awk '/^dotnet_jit_compilation_time_seconds_total/ {v = $2} END {print v}') ||
      { echo "warning: no JIT counter at $base/metrics; the warm-up cannot tell when the JIT has settled" >&2; seconds=0; }
    total=$(awk -v a="$total" -v b="${seconds:-0}" 'BEGIN {print a + b}')
  done
  echo "$total"
}

# warm_up ROUND BASE...: runs the function ROUND (one round of every request kind the bench measures) until the JIT of
# the instances at BASE... has settled: a round in which it compiled for less than WARM_JIT_SHARE (5 %) of the round's
# wall time, at most WARM_MAX_ROUNDS (5) rounds. EF Core and Npgsql are not ReadyToRun: the JIT compiles what a
# request runs at tier 0, then again with instrumentation, then optimised, in the background; on 2 busy cores that
# took 17 s of JIT CPU and 30-40 s of load for the lead list alone, and the list served 390 req/s before and 660-730
# after (docs/PERFORMANCE.md). Measuring before it settles measures the JIT. Sets WARM_SUMMARY ("N rounds, S s; JIT
# a, b, ... s per round") for the results.
warm_up() {
  local round=$1; shift
  local n before after start seconds jit rounds=()
  local total_start; total_start=$(date +%s)
  for n in $(seq "${WARM_MAX_ROUNDS:-5}"); do
    before=$(jit_seconds "$@"); start=$(date +%s.%N)
    "$round"
    after=$(jit_seconds "$@"); seconds=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {print e - s}')
    jit=$(awk -v a="$before" -v b="$after" 'BEGIN {printf "%.1f", b - a}')
    rounds+=("$jit")
    printf '  warm-up round %s: %.0f s, JIT %s s
' "$n" "$seconds" "$jit"
    awk -v j="$jit" -v s="$seconds" -v share="${WARM_JIT_SHARE:-0.05}" 'BEGIN {exit !(j < share * s)}' && break
  done
  WARM_SUMMARY="${#rounds[@]} round(s), $(( $(date +%s) - total_start )) s; JIT $(IFS=/; echo "${rounds[*]}") s per round"
}

# postgres_cpu_seconds [PIDFILE]: CPU seconds spent so far by the PostgreSQL whose postmaster.pid that is (the postmaster
# with the backends it has reaped, and its live children); by default the embedded cluster under $DATA.
postgres_cpu_seconds() {
  python3 - "$(head -1 "${1:-$DATA/postgres/pgdata/postmaster.pid}")" <<'PY'
import os, sys
root = int(sys.argv[1]); hz = os.sysconf("SC_CLK_TCK"); total = 0
for p in os.listdir("/proc"):
    if not p.isdigit(): continue
    try: fields = open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()
    except OSError: continue
    if int(p) == root: total += sum(int(x) for x in fields[11:15])   # utime stime cutime cstime
    elif int(fields[1]) == root: total += int(fields[11]) + int(fields[12])
print(f"{total / hz:.2f}")
PY
}

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
# (or docs/<doc>, e.g. RELIABILITY.md for the drills).
update_docs() {
  python3 - "$ROOT/docs/${3:-PERFORMANCE.md}" "$1" "$2" <<'PY'
import sys, re
doc, marker, summary = sys.argv[1], sys.argv[2], open(sys.argv[3]).read().strip()
text = open(doc).read()
start, end = f"<!-- bench:{marker}:start -->", f"<!-- bench:{marker}:end -->"
text = re.sub(re.escape(start) + ".*?" + re.escape(end), lambda _: f"{start}\n{summary}\n{end}", text, flags=re.S)
open(doc, "w").write(text)
PY
  echo "updated docs/${3:-PERFORMANCE.md}"
}
