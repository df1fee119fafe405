#!/usr/bin/env bash
# Authenticated API reads and writes against the same SQL sent straight to PostgreSQL with pgbench, side by side
# in one run: auth/me, lead list (page of 50), lead get, lead create, lead patch. Prints app/pgbench ratios.
# Usage: bench/api/run.sh [--update-docs]     (env: DURATION=10 WARMUP=12 CONNECTIONS=20 THREADS=2 AUDIT_SEAL=on|off
#                                               WARM_MAX_ROUNDS=5 WARM_JIT_SHARE=0.05)
# Needs: dotnet SDK, PostgreSQL 15+ server binaries (as for `switchboard run`), wrk, pgbench, jq, curl, psql.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH="$ROOT/bench/api"
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-12}   # per request kind and warm-up round, all of them before any measurement
CONNECTIONS=${CONNECTIONS:-20}
THREADS=${THREADS:-2}
AUDIT_SEAL=${AUDIT_SEAL:-on}   # off: the audit hash chain's seal trigger is disabled (app and pgbench alike), to see what it costs the writes
UPDATE_DOCS=false
[[ "${1:-}" == "--update-docs" ]] && UPDATE_DOCS=true

source "$ROOT/bench/lib.sh"
need_tools jq curl psql pgbench dotnet
bench_setup api
start_app Jobs__Enabled=false
sign_in manager@acme.test
use_cluster_psql

USER_ID=$(sql -c "select id from users where email = 'manager@acme.test'")
SESSION=$(sql -c "select id from user_sessions where user_id = '$USER_ID' and revoked_at is null order by created_at desc limit 1")
LEADS=$(sql -c "select count(*) from leads where tenant_id = '$TENANT'")
# The leads the patches walk: wrk takes them from a file, pgbench by number (each client its own ten).
sql -c "create table bench_leads as select row_number() over (order by id) - 1 as n, id from leads where tenant_id = '$TENANT' order by id limit 200"
sql -c "alter table bench_leads add primary key (n); grant select on bench_leads to switchboard_runtime"
[[ "$AUDIT_SEAL" == off ]] && sql -c "alter table audit_log disable trigger audit_log_seal"
sql -c "select id from bench_leads order by n" >"$DATA/leads.txt"
ONE_LEAD=$(head -1 "$DATA/leads.txt")

CREATE_BODY='{"firstName":"Bench","lastName":"Create","company":"Bench Co","email":"bench@example.com","phone":"+14155550123","status":"new"}'
PATCH_BODY='{"title":"VP Bench {n}"}'
# name | method | path | body | ids file | pgbench scripts after session.sql
OPS=(
  "me|GET|/api/v1/auth/me|||me.sql"
  "lead-list|GET|/api/v1/leads?pageSize=50|||custom-fields.sql lead-list.sql"
  "lead-get|GET|/api/v1/leads/$ONE_LEAD|||lead-get.sql"
  "lead-create|POST|/api/v1/leads|$CREATE_BODY||custom-fields.sql lead-create.sql"
  "lead-patch|PATCH|/api/v1/leads/{id}|$PATCH_BODY|$DATA/leads.txt|lead-patch.sql"
)

# The statements the app sends for one request of each kind, as PostgreSQL logged them (kept with the results).
say "capture the SQL of one request of each kind (log_statement = all)"
LOG="$DATA/postgres/postgresql.log"
sql -c "alter system set log_statement = 'all'" -c "alter system set log_line_prefix = '%m [%p] %u '" -c "select pg_reload_conf()" >/dev/null
for op in "${OPS[@]}"; do
  IFS='|' read -r name method path body ids _ <<<"$op"
  path=${path//\{id\}/$ONE_LEAD}; body=${body//\{n\}/0}
  before=$(wc -l <"$LOG")
  curl -sS -o /dev/null -X "$method" -H "Authorization: Bearer $TOKEN" ${body:+-H 'Content-Type: application/json' --data "$body"} "$BASE$path"
  sleep 0.5
  tail -n +"$((before + 1))" "$LOG" >"$RUN_DIR/sql-$name.log"
  printf '  %-12s %s statements (%s of them DISCARD ALL or set_config)\n' "$name" \
    "$(grep -cE 'switchboard_app LOG:  (execute|statement)' "$RUN_DIR/sql-$name.log" || true)" \
    "$(grep -cE 'switchboard_app LOG:  (statement: DISCARD ALL|execute <unnamed>: select set_config)' "$RUN_DIR/sql-$name.log" || true)"
done
sql -c "alter system reset log_statement" -c "alter system reset log_line_prefix" -c "select pg_reload_conf()" >/dev/null
sql -c "vacuum analyze leads" -c "vacuum analyze audit_log" >/dev/null

# The app's CPU time (user + system, clock ticks) from /proc: CPU per request moves far less with the machine's load
# than requests per second do.
app_cpu_ticks() { awk '{print $14 + $15}' "/proc/$APP_PID/stat"; }
wrk_run() { # name method path body ids seconds
  local body=$4 cpu_before cpu_after pg_before pg_after
  cpu_before=$(app_cpu_ticks); pg_before=$(postgres_cpu_seconds)
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$6s" --timeout 10s --latency -s "$BENCH/request.lua" "$BASE" -- "$2" "$3" "$TOKEN" "$body" $5 >"$RUN_DIR/$1.txt" 2>&1
  cpu_after=$(app_cpu_ticks); pg_after=$(postgres_cpu_seconds)
  grep '^RESULT ' "$RUN_DIR/$1.txt" | sed 's/^RESULT //' |
    jq -c --argjson ticks "$((cpu_after - cpu_before))" --argjson hz "$(getconf CLK_TCK)" --argjson pg "$(awk -v a="$pg_before" -v b="$pg_after" 'BEGIN {print b - a}')" \
      '. + {app_cpu_ms: (if .requests > 0 then $ticks * 1000 / $hz / .requests else 0 end), pg_cpu_ms: (if .requests > 0 then $pg * 1000 / .requests else 0 end)}' >"$RUN_DIR/$1.json"
}

# Every request kind in rounds until the JIT has settled (bench/lib.sh warm_up): a run measured before then measures the JIT.
warm_round() {
  for op in "${OPS[@]}"; do
    IFS='|' read -r name method path body ids _ <<<"$op"
    wrk_run "warm-$name" "$method" "$path" "$body" "$ids" "$WARMUP"
  done
}
say "warm-up: rounds of each request kind ${WARMUP}s until the JIT has settled"
WARM_FROM=$(sql -c "select now()")
warm_up warm_round "$BASE"
# The reads are measured on the demo data, as the SQL captured above and the pgbench scripts are: the warm-up's creates
# (thousands of leads) go again. With more than PageRequest.QuickCountLimit (1,000) leads the list counts exactly up to
# 100,000 and asks for the plan's estimate too (ADR 0028), which the pgbench script does not do: measured with them, the
# app made PostgreSQL work about twice as hard per list request as pgbench did.
sql -c "delete from leads where tenant_id = '$TENANT' and created_at >= '$WARM_FROM'" >/dev/null
# What the warm-up's writes leave for autovacuum and the checkpointer would otherwise land in the first measured runs
# (PostgreSQL's CPU counts its workers) and be charged to the reads.
sql -c "vacuum analyze" -c "checkpoint" >/dev/null

LOAD_BEFORE=$(cut -d" " -f1-3 /proc/loadavg)
say "GET /health (no auth, for scale): ${DURATION}s"
wrk_run health GET /health "" "" "$DURATION"
for op in "${OPS[@]}"; do
  IFS='|' read -r name method path body ids scripts <<<"$op"
  say "$name: app ${DURATION}s, then pgbench ${DURATION}s; $CONNECTIONS connections"
  wrk_run "$name" "$method" "$path" "$body" "$ids" "$DURATION"
  # shellcheck disable=SC2086
  pgbench_run "$name" $scripts
  printf '  app %s req/s (p99 %s ms, CPU/request: app %.2f ms, PostgreSQL %.2f ms), pgbench %s tx/s (p99 %s ms, PostgreSQL %.2f ms CPU/tx)\n' \
    "$(jq .rps "$RUN_DIR/$name.json")" "$(jq .p99_ms "$RUN_DIR/$name.json")" "$(jq .app_cpu_ms "$RUN_DIR/$name.json")" "$(jq .pg_cpu_ms "$RUN_DIR/$name.json")" \
    "$(jq .rps "$RUN_DIR/pg-$name.json")" "$(jq .p99_ms "$RUN_DIR/pg-$name.json")" "$(jq .pg_cpu_ms "$RUN_DIR/pg-$name.json")"
done

r() { jq -r ".$2" "$RUN_DIR/$1.json"; }
row() { # name label
  printf '| %s | %.0f | %.1f ms | %.2f ms | %.2f ms | %.0f | %.1f ms | %.2f ms | **%.2f** | %s |\n' "$2" "$(r "$1" rps)" "$(r "$1" p99_ms)" "$(r "$1" app_cpu_ms)" \
    "$(r "$1" pg_cpu_ms)" "$(r "pg-$1" rps)" "$(r "pg-$1" p99_ms)" "$(r "pg-$1" pg_cpu_ms)" "$(jq -n "$(r "$1" rps) / $(r "pg-$1" rps)")" "$(( $(r "$1" non2xx) + $(r "$1" errors) ))"
}
cat >"$RUN_DIR/summary.md" <<MD
$(machine "$LOAD_BEFORE")
Demo data ($LEADS leads in the tenant), as the demo manager (sees every lead). wrk and pgbench $THREADS threads / $CONNECTIONS connections; the app warmed up until its JIT settled ($WARM_SUMMARY; rounds of ${WARMUP} s of each request kind), then ${DURATION} s app and ${DURATION} s pgbench per row, back to back. \`GET /health\` (no auth, no database): $(printf %.0f "$(r health rps)") req/s, p99 $(printf %.1f "$(r health p99_ms)") ms.

| request | app req/s | app p99 | app CPU / request | PostgreSQL CPU / request | pgbench tx/s | pgbench p99 | PostgreSQL CPU / tx | app / pgbench | non-2xx + errors |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
$(row me 'GET /api/v1/auth/me')
$(row lead-list 'GET /api/v1/leads?pageSize=50')
$(row lead-get 'GET /api/v1/leads/{id}')
$(row lead-create 'POST /api/v1/leads')
$(row lead-patch 'PATCH /api/v1/leads/{id}')
MD
echo; cat "$RUN_DIR/summary.md"; echo; echo "Raw wrk and pgbench output, the captured SQL and the app log: $RUN_DIR"
mkdir -p "$ROOT/bench/results"; cp "$RUN_DIR/summary.md" "$ROOT/bench/results/api-latest.md"
$UPDATE_DOCS && update_docs api "$RUN_DIR/summary.md"
exit 0
