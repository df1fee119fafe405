#!/usr/bin/env bash
# A dialer turn (what every workspace load and every "next" costs: the queue's callable leads and contacts under the
# compliance rules, the pick, the counts of the blocked) at a queue of tens of thousands of leads, with and without
# hand-added contacts, side by side in the same run with a baseline request (one lead by id: same auth, tenant and
# RLS path, one primary-key row). Turns are taken one after another by one agent, as an agent takes them.
# Usage: bench/dialer/run.sh          (env: LEADS=300000 CONTACTS=500 TURNS=40)
# Needs: dotnet SDK, PostgreSQL 15+ server binaries (as for `switchboard run`), jq, curl, psql.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
LEADS=${LEADS:-300000}
CONTACTS=${CONTACTS:-500}
TURNS=${TURNS:-40}

source "$ROOT/bench/lib.sh"
require_tools jq curl psql dotnet
bench_setup dialer
start_app Jobs__Enabled=false
sign_in agent@acme.test
use_cluster_psql

say "insert $LEADS leads into the demo tenant (bench/crm/leads.sql: spread over the agents and the manager) and analyze"
sql -v tenant="$TENANT" -v n="$LEADS" -f "$ROOT/bench/crm/leads.sql"
AGENT=$(sql -c "select user_id from tenant_memberships m join users u on u.id = m.user_id where m.tenant_id = '$TENANT' and u.email = 'agent@acme.test'")
AGENT_LEADS=$(sql -c "select count(*) from leads where tenant_id = '$TENANT' and owner_id = '$AGENT'")
ONE_LEAD=$(sql -c "select id from leads where tenant_id = '$TENANT' and owner_id = '$AGENT' limit 1")
# A queue of every status: all the agent's leads are its candidates.
QUEUE=$(curl -sS --fail-with-body -X POST "$BASE/api/v1/dialer/queues" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"name": "Everything"}' | jq -r .id)
SESSION=$(curl -sS --fail-with-body -X POST "$BASE/api/v1/dialer/queues/$QUEUE/session" -H "Authorization: Bearer $TOKEN" | jq -r '.session.id // .id')
echo "agent's leads (the queue's candidates): $AGENT_LEADS; queue $QUEUE, session $SESSION"

# timed name method path: TURNS requests one after another (after 5 unmeasured), p50 and p95 in ms into $RUN_DIR/name.
timed() {
  local name=$1 method=$2 path=$3 i code
  for i in $(seq 5); do curl -s -o /dev/null -X "$method" -H "Authorization: Bearer $TOKEN" "$BASE$path"; done
  for i in $(seq "$TURNS"); do
    read -r t code < <(curl -s -o /dev/null -w '%{time_total} %{http_code}\n' -X "$method" -H "Authorization: Bearer $TOKEN" "$BASE$path")
    [[ "$code" == 200 ]] || { echo "$method $path answered $code" >&2; exit 1; }
    echo "$t"
  done | sort -n | awk -v n="$TURNS" '{ a[NR] = $1 * 1000 } END { printf "%.1f %.1f\n", a[int((n + 1) / 2)], a[int(n * 0.95 + 0.999)] }' >"$RUN_DIR/$name"
}
LOAD_BEFORE=$(cut -d" " -f1-3 /proc/loadavg)
say "baseline and turns: $TURNS requests each"
timed baseline GET "/api/v1/leads/$ONE_LEAD"
timed turn POST "/api/v1/dialer/sessions/$SESSION/turn"
WITH_CONTACTS=false
if [[ $(sql -c "select to_regclass('dialer_queue_contacts') is not null") == t ]]; then
  WITH_CONTACTS=true
  say "add $CONTACTS of the agent's contacts to the queue by hand"
  sql <<SQL
insert into contacts (tenant_id, id, first_name, last_name, phones, owner_id, created_at, updated_at)
select '$TENANT', gen_random_uuid(), 'Bench', 'Contact ' || i, array['+1212555' || lpad((i % 10000)::text, 4, '0')], '$AGENT', now(), now()
from generate_series(1, $CONTACTS) i;
insert into dialer_queue_contacts (tenant_id, queue_id, contact_id, added_at)
select '$TENANT', '$QUEUE', id, now() from contacts where tenant_id = '$TENANT' and last_name like 'Contact %';
analyze contacts; analyze dialer_queue_contacts;
SQL
  timed turn_contacts POST "/api/v1/dialer/sessions/$SESSION/turn"
fi

p() { cut -d" " -f"$2" "$RUN_DIR/$1"; }
ratio() { awk -v a="$(p "$1" 2)" -v b="$(p baseline 2)" 'BEGIN { printf "%.1f", a / b }'; }
row() { printf '| %s | %s ms | **%s ms** | %s |\n' "$2" "$(p "$1" 1)" "$(p "$1" 2)" "$3"; }
{
  machine "$LOAD_BEFORE"
  echo "$LEADS leads in the tenant, $AGENT_LEADS of them the agent's (the queue: every status). $TURNS requests per row, one after another, as the demo agent; commit $(git -C "$ROOT" rev-parse --short HEAD)."
  echo
  echo "| request | p50 | p95 | p95 / baseline |"
  echo "| --- | ---: | ---: | ---: |"
  row baseline 'baseline: GET /api/v1/leads/{id}' 1.0
  row turn "dialer turn, leads only" "$(ratio turn)"
  $WITH_CONTACTS && row turn_contacts "dialer turn, plus $CONTACTS hand-added contacts" "$(ratio turn_contacts)"
} >"$RUN_DIR/summary.md"
cat "$RUN_DIR/summary.md"
