#!/usr/bin/env bash
# What the audit hash chain (ADR 0038; sealed at commit into audit_chain, ADR 0041, without waiting for a busy chain, ADR 0049) costs a writer: the same audit inserts into
# audit_log and into an audit table without the chain (same columns, the indexes audit_log had before 0022, the same
# row-level security), side by side in one run, as the runtime role with the tenant set, through pgbench.
# Usage: bench/audit/run.sh [--update-docs]     (env: DURATION=15 ROWS=100)
# Needs: dotnet SDK, PostgreSQL 15+ server binaries (as for `switchboard run`), pgbench, jq, curl, psql.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DURATION=${DURATION:-15}
ROWS=${ROWS:-100}
UPDATE_DOCS=false
[[ "${1:-}" == "--update-docs" ]] && UPDATE_DOCS=true

source "$ROOT/bench/lib.sh"
require_tools jq curl psql pgbench dotnet
bench_setup audit
start_app Jobs__Enabled=false
sign_in admin@acme.test
use_cluster_psql
LOAD_BEFORE=$(cut -d" " -f1-3 /proc/loadavg)

say "prepare: four more tenants, the unchained table"
sql -v tenant="$TENANT" <<'SQL'
-- Four copies of the demo tenant (only their ids matter), numbered 0-3 for pgbench's client_id % 4.
create table bench_tenants (n int primary key, id uuid not null);
insert into bench_tenants
select g - 1, (jsonb_populate_record(null::tenants, to_jsonb(t) || jsonb_build_object('id', gen_random_uuid(), 'slug', 'bench-' || g, 'name', 'Bench ' || g))).id
from tenants t, generate_series(1, 4) g where t.id = :'tenant';
insert into tenants
select (jsonb_populate_record(null::tenants, to_jsonb(t) || jsonb_build_object('id', b.id, 'slug', 'bench-' || b.n, 'name', 'Bench ' || b.n))).*
from tenants t, bench_tenants b where t.id = :'tenant';
grant select on bench_tenants to switchboard_runtime;
-- audit_log as it was before the chain: the same columns, its indexes then (and the action index), the same policies.
create table bench_audit_plain (like audit_log including defaults including constraints);
create index on bench_audit_plain (tenant_id, entity_type, entity_id, occurred_at desc);
create index on bench_audit_plain (tenant_id, occurred_at desc);
create index on bench_audit_plain (tenant_id, action);
alter table bench_audit_plain add primary key (id);
alter table bench_audit_plain enable row level security;
alter table bench_audit_plain force row level security;
create policy bench_read on bench_audit_plain for select using (tenant_id = app_current_tenant());
create policy bench_append on bench_audit_plain for insert with check (tenant_id = app_current_tenant() or tenant_id is null);
grant select, insert on bench_audit_plain to switchboard_runtime;
SQL
SETTINGS="fsync $(sql -c 'show fsync'), synchronous_commit $(sql -c 'show synchronous_commit')"

# script table rows-per-statement tenant-expression: one transaction with one audit insert of N rows.
script() {
  cat <<SQL
\\set n random(1, 1000000000)
select set_config('app.tenant_id', $3, false);
begin;
insert into $1 (id, tenant_id, occurred_at, actor_type, actor_name, action, entity_type, entity_id, changes, ip, user_agent)
select gen_random_uuid(), app_current_tenant(), now(), 'user', 'bench@acme.test', 'updated', 'lead', (:n + g)::text,
       '{"title": {"new": "VP Bench", "old": null}, "status": {"new": "contacted", "old": "new"}}', '127.0.0.1', 'pgbench'
from generate_series(1, $2) g;
commit;
SQL
}

run() { # name table rows clients tenant-expression
  script "$2" "$3" "$5" >"$DATA/$1.sql"
  PGPASSWORD=$(jq -r .AppPassword "$DATA/postgres/cluster.json") \
    pgbench -n -M extended -h 127.0.0.1 -p "$PGPORT" -U switchboard_app -d switchboard -c "$4" -j "$(( $4 < 2 ? 1 : 2 ))" -T "$DURATION" \
      -f "$DATA/$1.sql" >"$RUN_DIR/$1.txt" 2>&1
  awk -F' = ' '/^tps/ {split($2, a, " "); printf "%.0f", a[1]}' "$RUN_DIR/$1.txt"
}

ONE="'$TENANT'"
MANY="(select id::text from bench_tenants where n = :client_id % 4)"
# name | rows per statement | clients | tenant
CASES=(
  "one row, one writer|1|1|$ONE"
  "one row, 4 writers in one tenant|1|4|$ONE"
  "one row, 4 writers in 4 tenants|1|4|$MANY"
  "$ROWS rows a statement, one writer|$ROWS|1|$ONE"
  "$ROWS rows a statement, 4 writers in one tenant|$ROWS|4|$ONE"
)
printf '| transactions of | without the chain (tx/s) | with the chain (tx/s) | chained / unchained |\n|---|---:|---:|---:|\n' >"$RUN_DIR/table.md"
i=0
for case in "${CASES[@]}"; do
  IFS='|' read -r name rows clients tenant <<<"$case"
  i=$((i + 1))
  say "$name: ${DURATION}s unchained, then ${DURATION}s chained"
  plain=$(run "plain-$i" bench_audit_plain "$rows" "$clients" "$tenant")
  chained=$(run "chained-$i" audit_log "$rows" "$clients" "$tenant")
  ratio=$(awk -v a="$chained" -v b="$plain" 'BEGIN { printf "%.2f", a / b }')
  printf '  unchained %s tx/s, chained %s tx/s: %s\n' "$plain" "$chained" "$ratio"
  printf '| %s | %s | %s | %s |\n' "$name" "$plain" "$chained" "$ratio" >>"$RUN_DIR/table.md"
done

say "check: every chained row sealed, every chain numbered without gaps"
# Rows that committed while their chain's lock was busy wait in audit_backlog for the next seal (ADR 0049): seal them.
backlog=$(sql -c "select count(*) from audit_backlog")
sql -c "select audit_seal_backlogs(null, true)" >/dev/null
echo "  $backlog rows were still in the backlog at the end; sealed now"
broken=$(sql -c "select count(*) from audit_log a where not exists (select from audit_chain l where l.audit_id = a.id)")
gaps=$(sql -c "select count(*) from (select chain_id from audit_chain group by chain_id having count(*) <> max(seq) - min(seq) + 1) g")
[[ "$broken" == 0 && "$gaps" == 0 ]] || { echo "unsealed rows: $broken, chains with gaps: $gaps" >&2; exit 1; }
echo "  0 unsealed rows, 0 chains with gaps"

{
  echo "$(machine "$LOAD_BEFORE") Embedded cluster: $SETTINGS."
  echo
  echo "pgbench as the runtime role, ${DURATION} s per cell, unchained then chained, back to back; each transaction sets the tenant, then inserts its rows in one statement and commits."
  echo
  cat "$RUN_DIR/table.md"
} >"$RUN_DIR/summary.md"
if $UPDATE_DOCS; then update_docs audit "$RUN_DIR/summary.md"; fi
echo; cat "$RUN_DIR/summary.md"; echo; echo "Raw pgbench output: $RUN_DIR"
