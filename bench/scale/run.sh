#!/usr/bin/env bash
# Issue 15 §8: the authenticated API through the shipped nginx config (deploy/nginx/switchboard.conf, TLS) to one and to
# three app instances, and one instance through PgBouncer in transaction pooling, on one PostgreSQL; each against one
# instance served directly, in the same run. Prints req/s, p99 and the machine's CPU use per run: on a small machine
# the CPU (shared by PostgreSQL, the instances, nginx and wrk), not the app, is what three instances run into.
# Usage: bench/scale/run.sh [--update-docs]   (env: DURATION=10 WARMUP=10 CONNECTIONS=20 THREADS=2 WARM_MAX_ROUNDS=5 WARM_JIT_SHARE=0.05)
# Needs: dotnet SDK, PostgreSQL 15+ server binaries, nginx, pgbouncer, openssl, wrk, pgbench, jq, curl, psql.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-10}
CONNECTIONS=${CONNECTIONS:-20}
THREADS=${THREADS:-2}
UPDATE_DOCS=false
[[ "${1:-}" == "--update-docs" ]] && UPDATE_DOCS=true

source "$ROOT/bench/lib.sh"
need_tools jq curl psql pgbench openssl dotnet /usr/sbin/nginx /usr/sbin/pgbouncer
bench_setup scale
EXTRA_PIDS=()
trap 'for p in "${EXTRA_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done; sleep 1; bench_cleanup' EXIT INT TERM
start_app Jobs__Enabled=false   # instance A: owns the embedded cluster (demo data)
sign_in manager@acme.test
use_cluster_psql
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
APP_PASSWORD=$(jq -r .AppPassword "$DATA/postgres/cluster.json")
RUNTIME="Host=127.0.0.1;Port=$PGPORT;Database=switchboard;Username=switchboard_app;Password=$APP_PASSWORD"
A_PORT=${BASE##*:}
ONE_LEAD=$(sql -c "select id from leads where tenant_id = '$TENANT' order by id limit 1")
USER_ID=$(sql -c "select id from users where email = 'manager@acme.test'")
SESSION=$(sql -c "select id from user_sessions where user_id = '$USER_ID' and revoked_at is null order by created_at desc limit 1")
# kind | path | bench/api's pgbench scripts for the same request
PATHS=("list|/api/v1/leads?pageSize=50|custom-fields.sql lead-list.sql" "get|/api/v1/leads/$ONE_LEAD|lead-get.sql")

# The ceiling first, while only instance A is connected: the four instances' pools and pgbench's connections together
# do not fit PostgreSQL's 100.
for p in "${PATHS[@]}"; do
  IFS='|' read -r kind _ scripts <<<"$p"
  say "$kind pgbench: ${DURATION}s, $CONNECTIONS connections"
  # shellcheck disable=SC2086
  pgbench_run "$kind" $scripts
  printf '  %s tx/s, p99 %s ms\n' "$(jq .rps "$RUN_DIR/pg-$kind.json")" "$(jq .p99_ms "$RUN_DIR/pg-$kind.json")"
done

# PgBouncer, transaction pooling (as ADR 0062 and docs/ADMIN.md "PgBouncer" describe), as the postgres user.
BOUNCER_PORT=$(free_port)
mkdir -p "$DATA/pgbouncer"
printf '"switchboard_app" "%s"\n' "$APP_PASSWORD" >"$DATA/pgbouncer/users.txt"
cat >"$DATA/pgbouncer/pgbouncer.ini" <<INI
[databases]
* = host=127.0.0.1 port=$PGPORT
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $BOUNCER_PORT
unix_socket_dir =
auth_type = scram-sha-256
auth_file = $DATA/pgbouncer/users.txt
pool_mode = transaction
default_pool_size = 20
max_client_conn = 1000
server_reset_query =
ignore_startup_parameters = extra_float_digits,search_path
logfile = $DATA/pgbouncer/pgbouncer.log
pidfile = $DATA/pgbouncer/pgbouncer.pid
INI
if [[ $(id -u) -eq 0 ]]; then chown -R postgres:postgres "$DATA/pgbouncer"; runuser -u postgres -- /usr/sbin/pgbouncer "$DATA/pgbouncer/pgbouncer.ini" >/dev/null 2>&1 &
else /usr/sbin/pgbouncer "$DATA/pgbouncer/pgbouncer.ini" >/dev/null 2>&1 & fi
EXTRA_PIDS+=($!)

# serve_instance name port connection [NAME=value...]: another instance on the same database (migrated by A).
serve_instance() {
  local name=$1 port=$2 connection=$3; shift 3
  env ConnectionStrings__Switchboard="$connection" ConnectionStrings__SwitchboardSession="$RUNTIME" Database__ApplyMigrationsOnStartup=false \
    Jobs__Enabled=false Logging__Console__FormatterName=simple \
    RateLimits__UserPerSecond=10000 RateLimits__UserBurst=100000 RateLimits__KeyPerSecond=10000 RateLimits__KeyBurst=100000 \
    RateLimits__TenantPerSecond=10000 RateLimits__TenantBurst=100000 "$@" \
    dotnet "$ROOT/src/Switchboard/bin/Release/net10.0/Switchboard.dll" serve --urls "http://127.0.0.1:$port" >"$RUN_DIR/app-$name.log" 2>&1 &
  EXTRA_PIDS+=($!)
}
B_PORT=$(free_port); C_PORT=$(free_port); D_PORT=$(free_port)
say "instances B and C direct, D through PgBouncer (127.0.0.1:$BOUNCER_PORT)"
# Pools sized so that all instances fit PostgreSQL's 100 connections (docs/ADMIN.md, "Several instances behind nginx").
serve_instance b "$B_PORT" "$RUNTIME;Maximum Pool Size=24"
serve_instance c "$C_PORT" "$RUNTIME;Maximum Pool Size=24"
serve_instance d "$D_PORT" "Host=127.0.0.1;Port=$BOUNCER_PORT;Database=switchboard;Username=switchboard_app;Password=$APP_PASSWORD;No Reset On Close=true" \
  Database__PreparedStatements=false
for port in "$B_PORT" "$C_PORT" "$D_PORT"; do
  for _ in $(seq 240); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done
  curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null || { echo "instance on $port not ready; see $RUN_DIR/app-*.log" >&2; exit 1; }
done

# nginx_site name httpsPort upstreamPort...: the shipped config with only its addresses changed (as ThreeInstancesTests does).
mkdir -p "$DATA/nginx/logs" "$DATA/nginx/tmp"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$DATA/nginx/key.pem" -out "$DATA/nginx/cert.pem" -days 2 -subj /CN=127.0.0.1 >/dev/null 2>&1
nginx_site() {
  local name=$1 https=$2; shift 2
  local servers="" port
  for port in "$@"; do servers+="    server 127.0.0.1:$port max_fails=3 fail_timeout=10s;\n"; done
  python3 - "$ROOT/deploy/nginx/switchboard.conf" "$DATA/nginx/$name.conf" "$https" "$(free_port)" "$DATA/nginx" "$servers" <<'PY'
import re, sys
source, target, https, http, directory, servers = sys.argv[1:]
site = open(source).read()
site = re.sub(r"(upstream switchboard(?:_hubs)? \{\n(?:\s*#.*\n|\s*hash .*\n)*)(?:\s*server 127\.0\.0\.1:500\d .*\n)+", lambda m: m.group(1) + servers.replace("\\n", "\n"), site)
site = site.replace("    listen [::]:80;\n", "").replace("    listen [::]:443 ssl http2;\n", "")
site = site.replace("listen 80;", f"listen 127.0.0.1:{http};").replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https} ssl http2;")
site = site.replace("/etc/ssl/switchboard/fullchain.pem", f"{directory}/cert.pem").replace("/etc/ssl/switchboard/privkey.pem", f"{directory}/key.pem")
open(target, "w").write(site)
PY
}
NGINX_ONE=$(free_port); NGINX_THREE=$(free_port)
nginx_site one "$NGINX_ONE" "$B_PORT"
nginx_site three "$NGINX_THREE" "$B_PORT" "$C_PORT" "$A_PORT"
cat >"$DATA/nginx/nginx.conf" <<CONF
$([[ $(id -u) -eq 0 ]] && echo "user root root;")
daemon off;
worker_processes 1;
pid $DATA/nginx/nginx.pid;
error_log $DATA/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $DATA/nginx/tmp/body;
    proxy_temp_path $DATA/nginx/tmp/proxy;
    fastcgi_temp_path $DATA/nginx/tmp/fastcgi;
    uwsgi_temp_path $DATA/nginx/tmp/uwsgi;
    scgi_temp_path $DATA/nginx/tmp/scgi;
    include $DATA/nginx/one.conf;
    include $DATA/nginx/three.conf;
}
CONF
# Both sites come from one file with the same upstream names: rename the second's.
sed -i 's/upstream switchboard /upstream switchboard_one /; s/upstream switchboard_hubs /upstream switchboard_hubs_one /; s#http://switchboard_hubs;#http://switchboard_hubs_one;#; s#http://switchboard;#http://switchboard_one;#' "$DATA/nginx/one.conf"
/usr/sbin/nginx -t -p "$DATA/nginx" -c "$DATA/nginx/nginx.conf" >/dev/null 2>&1 || { /usr/sbin/nginx -t -p "$DATA/nginx" -c "$DATA/nginx/nginx.conf"; exit 1; }
/usr/sbin/nginx -p "$DATA/nginx" -c "$DATA/nginx/nginx.conf" &
EXTRA_PIDS+=($!)
for _ in $(seq 60); do curl -skf "https://127.0.0.1:$NGINX_THREE/health" >/dev/null 2>&1 && break; sleep 0.5; done

# The machine's busy share over a run, from /proc/stat (all cores).
cpu_sample() { awk '/^cpu / {print $2+$3+$4+$7+$8, $2+$3+$4+$5+$6+$7+$8}' /proc/stat; }
# PostgreSQL's share of the machine over a run, from its processes' CPU time: with the machine at 100 %, PostgreSQL is
# the bottleneck only when it takes most of it.
run() { # name base path seconds
  local b t b2 t2 pg pg2
  read -r b t < <(cpu_sample); pg=$(postgres_cpu_seconds)
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$4s" --timeout 10s --latency -s "$ROOT/bench/api/request.lua" "$2" -- GET "$3" "$TOKEN" "" >"$RUN_DIR/$1.txt" 2>&1
  read -r b2 t2 < <(cpu_sample); pg2=$(postgres_cpu_seconds)
  grep '^RESULT ' "$RUN_DIR/$1.txt" | sed 's/^RESULT //' | jq -c --argjson cpu "$(( (b2 - b) * 100 / (t2 - t) ))" \
    --argjson pg "$(awk -v a="$pg" -v b="$pg2" -v s="$4" -v n="$(nproc)" 'BEGIN {printf "%.0f", (b - a) * 100 / s / n}')" '. + {cpu_pct: $cpu, pg_cpu_pct: $pg}' >"$RUN_DIR/$1.json"
}
TARGETS=(
  "direct|http://127.0.0.1:$B_PORT|one instance, direct"
  "nginx-1|https://127.0.0.1:$NGINX_ONE|one instance behind nginx (TLS)"
  "nginx-3|https://127.0.0.1:$NGINX_THREE|three instances behind nginx (TLS)"
  "pgbouncer|http://127.0.0.1:$D_PORT|one instance through PgBouncer (transaction pooling)"
)
# Every target and request kind (and instance A on its own) in rounds until the four instances' JIT has settled
# (bench/lib.sh warm_up): C is only reached through nginx-3, a third of its load.
warm_round() {
  for target in "${TARGETS[@]}"; do IFS='|' read -r name base _ <<<"$target"; for p in "${PATHS[@]}"; do IFS='|' read -r kind path _ <<<"$p"; run "warm-$name-$kind" "$base" "$path" "$WARMUP"; done; done
  for p in "${PATHS[@]}"; do IFS='|' read -r kind path _ <<<"$p"; run "warm-a-$kind" "$BASE" "$path" "$WARMUP"; done
}
say "warm-up: rounds of every instance ${WARMUP}s per request kind until the JIT has settled"
warm_up warm_round "$BASE" "http://127.0.0.1:$B_PORT" "http://127.0.0.1:$C_PORT" "http://127.0.0.1:$D_PORT"

LOAD_BEFORE=$(cut -d" " -f1-3 /proc/loadavg)
for p in "${PATHS[@]}"; do
  IFS='|' read -r kind path _ <<<"$p"
  for target in "${TARGETS[@]}"; do
    IFS='|' read -r name base _ <<<"$target"
    say "$kind $name: ${DURATION}s, $CONNECTIONS connections"
    run "$name-$kind" "$base" "$path" "$DURATION"
    printf '  %s req/s, p99 %s ms, machine CPU %s%% (PostgreSQL %s%%)\n' "$(jq .rps "$RUN_DIR/$name-$kind.json")" "$(jq .p99_ms "$RUN_DIR/$name-$kind.json")" \
      "$(jq .cpu_pct "$RUN_DIR/$name-$kind.json")" "$(jq .pg_cpu_pct "$RUN_DIR/$name-$kind.json")"
  done
done

r() { jq -r ".$2" "$RUN_DIR/$1.json"; }
row() { # kind name label
  printf '| %s | %s | %.0f | %.1f ms | %s %% | %s %% | **%.2f** | **%.2f** | %s |\n' "$1" "$3" "$(r "$2-$1" rps)" "$(r "$2-$1" p99_ms)" "$(r "$2-$1" cpu_pct)" "$(r "$2-$1" pg_cpu_pct)" \
    "$(jq -n "$(r "$2-$1" rps) / $(r "direct-$1" rps)")" "$(jq -n "$(r "$2-$1" rps) / $(r "pg-$1" rps)")" "$(( $(r "$2-$1" non2xx) + $(r "$2-$1" errors) ))"
}
{
  machine "$LOAD_BEFORE"
  echo "Demo data, as the demo manager; wrk $THREADS threads / $CONNECTIONS connections, ${DURATION} s per row after a warm-up until the instances' JIT settled ($WARM_SUMMARY; rounds of ${WARMUP} s per target and request kind). All on one machine: PostgreSQL, every instance, nginx (one worker), PgBouncer and wrk share its cores; the machine CPU column is their total, \"of it PostgreSQL\" the share its processes took. pgbench sends the same statements as the app for one request (bench/api's scripts), on the same connections count, measured first (before instances B–D connect)."
  echo
  echo "| request | served by | req/s | p99 | machine CPU | of it PostgreSQL | vs one instance direct | vs pgbench | non-2xx + errors |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  for kind in list get; do
    for target in "${TARGETS[@]}"; do IFS='|' read -r name _ label <<<"$target"; row "$kind" "$name" "$label"; done
    printf '| %s | pgbench, the same SQL straight to PostgreSQL | %.0f | %.1f ms | | | | **1.00** | %s |\n' "$kind" "$(r "pg-$kind" rps)" "$(r "pg-$kind" p99_ms)" "$(r "pg-$kind" failed)"
  done
} >"$RUN_DIR/summary.md"
sed -i 's/^| list |/| `GET \/api\/v1\/leads?pageSize=50` |/; s/^| get |/| `GET \/api\/v1\/leads\/{id}` |/' "$RUN_DIR/summary.md"
echo; cat "$RUN_DIR/summary.md"; echo "Raw wrk output and the instances' logs: $RUN_DIR"
mkdir -p "$ROOT/bench/results"; cp "$RUN_DIR/summary.md" "$ROOT/bench/results/scale-latest.md"
$UPDATE_DOCS && update_docs scale "$RUN_DIR/summary.md"
exit 0
