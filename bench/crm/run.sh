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

source "$ROOT/bench/lib.sh"
need_tools jq curl psql dotnet
bench_setup crm
start_app Jobs__Enabled=false
sign_in manager@acme.test
use_cluster_psql

say "insert $LEADS leads into the demo tenant (with every index the table has) and analyze"
START=$(date +%s)
sql -v tenant="$TENANT" -v n="$LEADS" -f "$BENCH/leads.sql"
LOAD_SECONDS=$(( $(date +%s) - START ))
TOTAL=$(sql -c "select count(*) from leads where tenant_id = '$TENANT'")
echo "leads in the tenant: $TOTAL (inserted in ${LOAD_SECONDS}s)"
ONE_LEAD=$(sql -c "select id from leads where tenant_id = '$TENANT' order by created_at desc limit 1")

# Queries, derived from 4 leads sampled from the (seeded, so always the same) data, 6 kinds each, as people type
# them: the exact name; a prefix while typing ("Priya Ng", "Kowa"); one typo (two letters swapped, or one left
# out); the email (local part or whole); phone digits ("555-0177", "(212) 555-0177"); the company (whole, or its
# first word). List pages: the default list (newest first: an import's group), a status filter, a search term, a
# sort, a page of 50.
sql -v tenant="$TENANT" >"$DATA/queries.txt" <<'SQL'
with sample as (
  select row_number() over () as n, * from (
    select first_name as f, last_name as l, company as c, email as e, phone as p from leads
    where tenant_id = :'tenant' and source = 'import' and email is not null and phone is not null and company is not null
      and length(last_name) >= 4
    order by md5(first_name || last_name || email || phone) limit 4) x
)
select q from sample, lateral (values
  (f || ' ' || l),
  (case when n % 2 = 1 then f || ' ' || left(l, 2) else left(l, 4) end),
  (case when n % 2 = 1 then f || ' ' || overlay(l placing substr(l, length(l) / 2 + 1, 1) || substr(l, length(l) / 2, 1) from length(l) / 2 for 2)
        else f || ' ' || overlay(l placing '' from length(l) / 2 + 1 for 1) end),
  (case when n % 2 = 1 then split_part(e, '@', 1) else e end),
  (case when n % 2 = 1 then substr(p, 6, 3) || '-' || substr(p, 9) else '(' || substr(p, 3, 3) || ') ' || substr(p, 6, 3) || '-' || substr(p, 9) end),
  (case when n % 2 = 1 then c else split_part(c, ' ', 1) end)
) v(q)
order by n
SQL
while read -r q; do echo "/api/v1/search?q=$(jq -rn --arg q "$q" '$q | @uri')"; done <"$DATA/queries.txt" >"$DATA/search.txt"
echo "search queries:"; sed 's/^/  /' "$DATA/queries.txt"
SEARCH_QUERIES=$(wc -l <"$DATA/search.txt")
LIST_TERM=$(sed -n 1p "$DATA/queries.txt" | awk '{print tolower($NF)}')
cat >"$DATA/list.txt" <<TXT
/api/v1/leads?sort=-createdAt&pageSize=50
/api/v1/leads?status=new&sort=-createdAt&pageSize=50
/api/v1/leads?status=contacted&sort=name&pageSize=50&page=3
/api/v1/leads?search=garcia&sort=-createdAt&pageSize=50
/api/v1/leads?status=qualified&sort=company&pageSize=50&page=2
/api/v1/leads?search=$LIST_TERM&status=new&sort=-createdAt&pageSize=50
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
cat >"$RUN_DIR/summary.md" <<MD
$(machine "$LOAD_BEFORE")
$TOTAL leads in the tenant (bulk-inserted by SQL in ${LOAD_SECONDS} s, all indexes in place). wrk $THREADS threads / $CONNECTIONS connections, ${WARMUP} s warm-up then ${DURATION} s per row, as the demo manager (sees every lead).

| request | requests/s | p50 | p95 | p99 | non-2xx | timeouts/errors | p95 / baseline |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
$(row baseline 'baseline: GET /api/v1/leads/{id}' 1.0)
$(row search "global search, $SEARCH_QUERIES queries: names, prefixes, typos, emails, phones, companies" "$(ratio search)")
$(row list "lead list: the default list, filter + sort, page of 50: $(wc -l <"$DATA/list.txt") variants" "$(ratio list)")
MD
cat "$RUN_DIR/summary.md"
cp "$RUN_DIR/summary.md" "$ROOT/bench/results/crm-latest.md"
$UPDATE_DOCS && update_docs crm "$RUN_DIR/summary.md"
