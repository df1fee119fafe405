#!/usr/bin/env bash
# Where an import's time goes: one INSERT … SELECT of ROWS leads (default 200,000) into the demo tenant's leads
# table, repeated as the table loses what it carries — the search-terms trigger, the trigram GIN indexes, every
# other index, the foreign keys — each in a rolled-back transaction, as the cluster's superuser with the tenant set.
# Usage: bench/imports/insert-cost.sh     (env: ROWS=200000). Prints one line per step; nothing is kept.
# Needs: dotnet SDK, PostgreSQL 15+ server binaries (as for `switchboard run`), jq, curl, psql.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
ROWS=${ROWS:-200000}
source "$ROOT/bench/lib.sh"
require_tools jq curl psql dotnet python3
bench_setup insert-cost
start_app Jobs__Enabled=false
sign_in manager@acme.test
use_cluster_psql

say "insert $ROWS rows into leads, taking away one cost at a time (load average $(cut -d' ' -f1-3 /proc/loadavg))"
sql -v tenant="$TENANT" -v rows="$ROWS" <<'SQL' | grep -E '^(step|Time)' | paste - - | sed -E 's/^step\|([^\t]*)\tTime: ([0-9.]+) ms.*/\2 ms  \1/' | sed 's/^/  /'
set app.tenant_id = :'tenant';
create temp table w as
select gen_random_uuid() as id, 'First' || i as first_name, 'Last' || (i * 7919 % 100000) as last_name,
       'Company ' || (i % 5000) as company, 'p' || i || '@x' || (i % 900) || '.example' as email,
       '+1415' || lpad((i * 13 % 10000000)::text, 7, '0') as phone
from generate_series(1, :rows) i;
\set insert 'insert into leads (tenant_id, id, first_name, last_name, company, email, phone, status, do_not_call, custom, created_at, updated_at, version) select :''tenant'', id, first_name, last_name, company, email, phone, ''new'', false, ''{}'', now(), now(), 1 from w'
begin;
select 'step|everything the table carries';
\timing on
:insert;
\timing off
rollback;
alter table leads disable trigger leads_search_terms_insert;
begin;
select 'step|without the search-terms trigger';
\timing on
:insert;
\timing off
rollback;
drop index leads_search_idx, leads_phone_trgm_idx;
begin;
select 'step|and without the two trigram GIN indexes';
\timing on
:insert;
\timing off
rollback;
alter table leads disable trigger all;
begin;
select 'step|and without foreign-key checks';
\timing on
:insert;
\timing off
rollback;
do $do$ declare r record; begin
  for r in select indexname from pg_indexes where tablename = 'leads' and indexname <> 'leads_pkey' loop
    execute 'drop index ' || r.indexname;
  end loop;
end $do$;
begin;
select 'step|primary key only';
\timing on
:insert;
\timing off
rollback;
SQL
