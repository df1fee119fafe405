#!/usr/bin/env bash
# The floor under the import ratio: how close to `psql \copy` any import into a leads table can get, whatever the
# application does. In one run, on the same ROWS (default 1,000,000) already-normalized lead rows:
#   - the baseline: `psql \copy` of them, as CSV, into an unindexed table of text columns (as bench/imports/run.sh);
#   - INSERT … SELECT of them (how rows reach a table under row-level security: COPY FROM is refused there) into
#     tables that carry ever more: a bare heap, + the primary key, + a b-tree on email, + one on phone (the two keys
#     an import dedupes on). No RLS, checks, generated columns or triggers: the best case for each shape;
#   - the other way to get indexes: every index `leads` has, built afterwards with CREATE INDEX over those rows.
# Every line gives seconds and the ratio (copy seconds / seconds), the number the issue's target (≥ 0.3) is about.
# Usage: bench/imports/floor.sh     (env: ROWS=1000000). Nothing is kept.
# Needs: dotnet SDK, PostgreSQL 15+ server binaries (as for `switchboard run`), jq, curl, psql.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
ROWS=${ROWS:-1000000}
source "$ROOT/bench/lib.sh"
require_tools jq curl psql dotnet python3
bench_setup import-floor
start_app Jobs__Enabled=false
use_cluster_psql
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

say "generate $ROWS normalized lead rows and their CSV"
sed "s|@CSV@|$DATA/rows.csv|" <<'SQL' | sql -v rows="$ROWS"
-- Ids in creation order (like the import's UUIDv7), everything else in no particular order.
create unlogged table floor_rows as
select ('019a0000-0000-7000-8000-' || lpad(to_hex(i), 12, '0'))::uuid as id,
       initcap(substr(md5(i::text), 1, 6)) as first_name, initcap(substr(md5((i % 20000)::text), 3, 8)) as last_name,
       initcap(substr(md5((i % 50000)::text), 5, 7)) || ' Inc' as company,
       substr(md5(i::text), 7, 9) || '@' || substr(md5((i % 900)::text), 1, 6) || '.example' as email,
       '+1' || (200 + (i::bigint * 7919) % 800) || lpad(((i::bigint * 104729) % 10000000)::text, 7, '0') as phone
from generate_series(1, :rows) i;
\copy (select first_name, last_name, company, email, phone from floor_rows) to '@CSV@' with (format csv, header)
create table floor_copy (first_name text, last_name text, company text, email text, phone text);
SQL

say "time each shape (load average $LOAD_BEFORE)"
TIMES=$(sed "s|@CSV@|$DATA/rows.csv|" <<'SQL' | sql | grep -E '^(step|Time)' | paste - - | sed -E 's/^step\|([^\t]*)\tTime: ([0-9.]+) ms.*/\2|\1/'
create table floor_heap (tenant_id uuid not null, id uuid not null, first_name text not null, last_name text not null,
  company text, title text, email text, phone text, status text not null, source text, owner_id uuid, notes text,
  created_at timestamptz not null, updated_at timestamptz not null, version integer not null);
create table floor_pk (like floor_heap, primary key (tenant_id, id));
create table floor_email (like floor_pk including indexes);
create index on floor_email (tenant_id, email);
create table floor_phone (like floor_email including indexes);
create index on floor_phone (tenant_id, phone);
create table floor_built (like leads including defaults including generated);
checkpoint;
select 'step|baseline: psql \copy into an unindexed table of text columns';
\timing on
\copy floor_copy from '@CSV@' with (format csv, header)
\timing off
\set insert 'select ''01a1fd1d-0000-7000-8000-000000000001''::uuid, id, first_name, last_name, company, email, phone, ''new'', now(), now(), 1 from floor_rows'
\set columns '(tenant_id, id, first_name, last_name, company, email, phone, status, created_at, updated_at, version)'
select 'step|INSERT … SELECT into a bare heap';
\timing on
insert into floor_heap :columns :insert;
\timing off
select 'step|… with the primary key';
\timing on
insert into floor_pk :columns :insert;
\timing off
select 'step|… and a b-tree on email';
\timing on
insert into floor_email :columns :insert;
\timing off
select 'step|… and a b-tree on phone (the two dedupe keys)';
\timing on
insert into floor_phone :columns :insert;
\timing off
select 'step|into a heap with every column of leads, no indexes yet';
\timing on
insert into floor_built (tenant_id, id, first_name, last_name, company, email, phone, status, do_not_call, custom, created_at, updated_at, version)
select '01a1fd1d-0000-7000-8000-000000000001'::uuid, id, first_name, last_name, company, email, phone, 'new', false, '{}', now(), now(), 1 from floor_rows;
\timing off
set maintenance_work_mem = '1GB';
select 'step|… then CREATE INDEX of every index leads has (' || count(*) || ')' from pg_indexes where tablename = 'leads';
\timing on
do $$
declare r record;
begin
  for r in select indexdef from pg_indexes where tablename = 'leads' loop
    execute regexp_replace(r.indexdef, 'INDEX \S+ ON public\.leads', 'INDEX ON floor_built');
  end loop;
end $$;
\timing off
SQL
)
COPY_MS=$(head -1 <<<"$TIMES" | cut -d'|' -f1)
printf '\n| %s | %s | %s |\n| --- | ---: | ---: |\n' "what $ROWS rows are written into" "seconds" "ratio"
PREVIOUS_MS=0
while IFS='|' read -r ms label; do
  # The index builds follow the load into the heap: their line also gives the two together.
  python3 - "$ms" "$COPY_MS" "$label" "$PREVIOUS_MS" <<'PY'
import sys
ms, copy, label, previous = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3], float(sys.argv[4])
both = f" (with the heap: {(ms + previous) / 1000:.1f} s, ratio {copy / (ms + previous):.2f})" if "CREATE INDEX" in label else ""
print(f"| {label} | {ms / 1000:.1f} | {copy / ms:.2f}{both} |")
PY
  PREVIOUS_MS=$ms
done <<<"$TIMES"
echo
machine "$LOAD_BEFORE"
