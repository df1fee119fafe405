#!/usr/bin/env bash
# Where an import's time goes: one INSERT … SELECT of ROWS leads (default 200,000) into the demo tenant's leads
# table, repeated as the table loses what it carries — the search-terms trigger, each trigram GIN index, the foreign
# keys, every other index — each in a rolled-back transaction followed by VACUUM (so that no step inherits the
# previous one's dead index entries), as the cluster's superuser with the tenant set.
# The rows are those of bench/imports/run.sh's file (bench/imports/make_csv.py), normalized as an import would
# store them (phones to E.164, emails lower case), with ids in creation order like the import's UUIDv7.
# Usage: bench/imports/insert-cost.sh     (env: ROWS=200000). Prints one line per step; nothing is kept.
# Needs: dotnet SDK, PostgreSQL 15+ server binaries (as for `switchboard run`), jq, curl, psql, python3.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
ROWS=${ROWS:-200000}
source "$ROOT/bench/lib.sh"
require_tools jq curl psql dotnet python3
bench_setup insert-cost
start_app Jobs__Enabled=false
sign_in manager@acme.test
use_cluster_psql

say "generate $ROWS rows"
python3 "$ROOT/bench/imports/make_csv.py" "$ROWS" "$DATA/leads.csv"

say "insert $ROWS rows into leads, taking away one cost at a time (load average $(cut -d' ' -f1-3 /proc/loadavg))"
sed "s|@CSV@|$DATA/leads.csv|" <<'SQL' | sql -v tenant="$TENANT" | grep -E '^(step|Time)' | paste - - | sed -E 's/^step\|([^\t]*)\tTime: ([0-9.]+) ms.*/\2 ms  \1/' | sed 's/^/  /'
set app.tenant_id = :'tenant';
-- As ImportMerge sets them for its transaction.
set gin_pending_list_limit = '256MB'; set work_mem = '256MB'; set maintenance_work_mem = '512MB';
create temp table raw (first_name text, last_name text, email text, phone text, company text, title text, source text);
\copy raw from '@CSV@' with (format csv, header)
create temp table w as
select ('019a0000-0000-7000-8000-' || lpad(to_hex(row_number() over ()), 12, '0'))::uuid as id, first_name, last_name,
       nullif(company, '') as company, nullif(title, '') as title, nullif(source, '') as source, lower(email) as email,
       '+1' || right(regexp_replace(phone, '[^0-9]', '', 'g'), 10) as phone
from raw;
\set insert 'insert into leads (tenant_id, id, first_name, last_name, company, title, source, email, phone, status, do_not_call, custom, created_at, updated_at, version) select :''tenant'', id, first_name, last_name, company, title, source, email, phone, ''new'', false, ''{}'', now(), now(), 1 from w'
checkpoint;
begin;
select 'step|everything the table carries';
\timing on
:insert;
\timing off
rollback;
vacuum leads;
alter table leads disable trigger leads_search_terms_insert;
begin;
select 'step|without the search-terms trigger';
\timing on
:insert;
\timing off
rollback;
vacuum leads;
drop index leads_search_idx;
begin;
select 'step|and without the trigram GIN on the search text (names, company, email)';
\timing on
:insert;
\timing off
rollback;
vacuum leads;
drop index leads_phone_trgm_idx;
begin;
select 'step|and without the trigram GIN on the phone';
\timing on
:insert;
\timing off
rollback;
vacuum leads;
alter table leads disable trigger all;
begin;
select 'step|and without foreign-key checks';
\timing on
:insert;
\timing off
rollback;
vacuum leads;
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
vacuum leads;
SQL
