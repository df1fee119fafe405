#!/usr/bin/env bash
# Drill (issue 15 §8): `kill -9` of an app instance in the middle of an import, a campaign and a webhook burst; nothing
# may be lost or done twice, and the work must finish on another instance.
# Instance A (start_app: owns the embedded cluster, seeds the demo data, serves the API) runs no background work. For
# each scenario a worker instance B starts (job worker, webhook dispatcher on; leases of 10 s), the work is started
# through A, and once it is visibly under way on B (B's worker id holds the lease and rows are moving), B gets SIGKILL.
# A fresh instance C then starts and takes the work over when B's lease runs out. Afterwards the drill counts in SQL
# (and at the webhook receiver) what was done, and how often.
#   1. import: a CSV of ROWS leads with unique emails, killed in its merge phase (or validating: KILL_IMPORT_AT);
#   2. campaign: an email campaign to CAMPAIGN leads (one outbound email queued per recipient; the outreach sender is
#      off, so no SMTP server is needed: the drill checks the queue the sender works from);
#   3. webhooks: HOOKS leads created through the API with two subscriptions to a local receiver (2 × HOOKS deliveries).
# PostgreSQL runs with client_connection_check_interval = CHECK_INTERVAL (5s; empty: the default, off), as ADMIN.md
# recommends: without it, the dead instance's statement in progress (the import's insert of every row) runs to its end
# before PostgreSQL notices the client is gone, holding the import's merge lock all that time.
# Usage: bench/kill-instance/run.sh [--update-docs]
#   (env: ROWS=1000000 CAMPAIGN=10000 HOOKS=1000 KILL_IMPORT_AT=merging CHECK_INTERVAL=5s)
# Needs: dotnet SDK, PostgreSQL 15+ server binaries (as for `switchboard run`), jq, curl, psql, python3.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH="$ROOT/bench/kill-instance"
ROWS=${ROWS:-1000000}
CAMPAIGN=${CAMPAIGN:-10000}
HOOKS=${HOOKS:-1000}
KILL_IMPORT_AT=${KILL_IMPORT_AT:-merging}
CHECK_INTERVAL=${CHECK_INTERVAL-5s}
LEASE=10
UPDATE_DOCS=false
[[ "${1:-}" == "--update-docs" ]] && UPDATE_DOCS=true

source "$ROOT/bench/lib.sh"
require_tools jq curl psql python3 dotnet
bench_setup kill-instance
# Work done by a background instance is exactly what this drill watches, so A does none of it.
start_app Jobs__Enabled=false Webhooks__Enabled=false Outreach__Enabled=false Sequences__SchedulerEnabled=false \
  Security__AllowPrivateNetworkUrls=true
use_cluster_psql
if [[ -n $CHECK_INTERVAL ]]; then
  sql -c "alter system set client_connection_check_interval = '$CHECK_INTERVAL'" -c "select pg_reload_conf()" >/dev/null
fi
sign_in admin@acme.test; ADMIN_TOKEN=$TOKEN
sign_in manager@acme.test
LOAD_BEFORE=$(cut -d" " -f1-3 /proc/loadavg)

# The other instances: the same database through the app's own roles (as a production instance connects), no migrations.
CLUSTER="$DATA/postgres/cluster.json"
CONNECTION="Host=127.0.0.1;Port=$PGPORT;Database=switchboard;Username=switchboard_app;Password=$(jq -r .AppPassword "$CLUSTER")"
OWNER="Host=127.0.0.1;Port=$PGPORT;Database=switchboard;Username=switchboard_owner;Password=$(jq -r .OwnerPassword "$CLUSTER")"
WORKERS=()
cleanup_workers() {
  for pid in "${WORKERS[@]}"; do kill -0 "$pid" 2>/dev/null && kill -TERM "$pid"; done
  for pid in "${WORKERS[@]}"; do
    for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  done
  [[ -n "${RECEIVER_PID:-}" ]] && kill "$RECEIVER_PID" 2>/dev/null
  return 0
}
trap 'set +e; cleanup_workers; bench_cleanup' EXIT INT TERM
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_worker name: a worker instance (jobs and webhooks on, short leases); sets WORKER_PID and appends it to WORKERS.
start_worker() {
  local port url
  port=$(free_port); url="http://127.0.0.1:$port"
  env ConnectionStrings__Switchboard="$CONNECTION" ConnectionStrings__SwitchboardOwner="$OWNER" \
    Database__ApplyMigrationsOnStartup=false Security__AllowPrivateNetworkUrls=true \
    RateLimits__UserPerSecond=10000 RateLimits__UserBurst=100000 RateLimits__KeyPerSecond=10000 RateLimits__KeyBurst=100000 \
    RateLimits__TenantPerSecond=10000 RateLimits__TenantBurst=100000 \
    Jobs__LeaseSeconds=$LEASE Jobs__PollSeconds=0.5 Webhooks__LeaseSeconds=$LEASE \
    Outreach__Enabled=false Sequences__SchedulerEnabled=false \
    dotnet "$ROOT/src/Switchboard/bin/Release/net10.0/Switchboard.dll" serve --urls "$url" >"$RUN_DIR/$1.log" 2>&1 &
  WORKER_PID=$!
  WORKERS+=("$WORKER_PID")
  for _ in $(seq 240); do
    curl -sf "$url/health/ready" >/dev/null 2>&1 && { echo "instance $1 (pid $WORKER_PID) ready on $url"; return; }
    kill -0 "$WORKER_PID" 2>/dev/null || { echo "instance $1 exited; see $RUN_DIR/$1.log" >&2; tail -20 "$RUN_DIR/$1.log" >&2; exit 1; }
    sleep 0.5
  done
  echo "instance $1 not ready after 120 s" >&2; exit 1
}
stop_worker() { kill -TERM "$1"; for _ in $(seq 60); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.5; done; kill -KILL "$1"; }
now() { date +%s.%N; }
since() { python3 -c "print(f'{$(now) - $1:.1f}')"; }

# wait_for description seconds sql: polls until the query answers t.
wait_for() {
  local began; began=$(now)
  while [[ $(sql -c "$3") != t ]]; do
    if python3 -c "import sys; sys.exit(0 if $(now) - $began > $2 else 1)"; then echo "gave up after $2 s waiting for: $1" >&2; return 1; fi
    sleep 0.2
  done
}

# kill_victim pid: SIGKILL, then a survivor starts. Sets KILLED_AT and SURVIVOR_PID.
kill_victim() {
  kill -KILL "$1"
  KILLED_AT=$(now)
  say "killed instance B (pid $1) with SIGKILL; starting instance C"
  wait "$1" 2>/dev/null || true
  start_worker "$2"
  SURVIVOR_PID=$WORKER_PID
}

ROWS_TABLE="$RUN_DIR/table.md"
: >"$ROWS_TABLE"
row() { echo "| $* |" >>"$ROWS_TABLE"; }

# ---------------------------------------------------------------------------------------------------------- 1. import
say "1. import of $ROWS leads, instance B killed while $KILL_IMPORT_AT"
python3 - "$ROWS" "$DATA/leads.csv" <<'PY'
import random, sys
rows, out = int(sys.argv[1]), sys.argv[2]
rng = random.Random(15)
companies = [f"Firm{n} Inc" for n in range(5000)]
with open(out, "w") as f:
    f.write("First Name,Last Name,Email,Company,Source\n")
    for i in range(rows):
        f.write(f"Kill{i % 997},Drill{i:07d},kill{i:07d}@drill.example,{rng.choice(companies)},kill drill\n")
PY
start_worker B-import; VICTIM=$WORKER_PID
T0=$(now)
IMPORT=$(curl -sS --fail-with-body -H "Authorization: Bearer $TOKEN" -F "file=@$DATA/leads.csv;type=text/csv" \
  -F entity=leads -F mode=create -F matchOn=email "$BASE/api/v1/imports")
IMPORT_ID=$(jq -r .id <<<"$IMPORT")
JOB="(select id from jobs where idempotency_key = 'import:$IMPORT_ID')"
if [[ $KILL_IMPORT_AT == merging ]]; then
  wait_for "the merge on B" 1800 "select exists (select 1 from imports i, jobs j where i.id = '$IMPORT_ID' and j.id = $JOB
    and i.phase = 'merging' and j.locked_by like '%:$VICTIM:%')"
  sleep 3 # well inside the one merge transaction
else
  wait_for "a third of the file validated on B" 1800 "select exists (select 1 from imports i, jobs j where i.id = '$IMPORT_ID'
    and j.id = $JOB and i.processed >= $ROWS / 3 and j.locked_by like '%:$VICTIM:%')"
fi
IMPORT_STATE=$(sql -c "select phase || ', ' || processed || ' rows read' from imports where id = '$IMPORT_ID'")
IMPORT_LEADS_AT_KILL=$(sql -c "select count(*) from leads where email like '%@drill.example'")
echo "state at the kill: $IMPORT_STATE; $IMPORT_LEADS_AT_KILL leads committed"
kill_victim "$VICTIM" C-import
wait_for "the import to finish" 3600 "select status in ('completed', 'failed') from imports where id = '$IMPORT_ID'"
IMPORT_SECONDS=$(since "$T0"); RESUMED=$(since "$KILLED_AT")
read -r STATUS CREATED SKIPPED FAILED PROCESSED TOTAL < <(sql -F ' ' -c "select status, created, skipped, failed, processed, total from imports where id = '$IMPORT_ID'")
read -r LEADS DISTINCT < <(sql -F ' ' -c "select count(*), count(distinct lower(email)) from leads where email like '%@drill.example'")
read -r ATTEMPTS BY_SURVIVOR < <(sql -F ' ' -c "select attempts, case when locked_by like '%:$SURVIVOR_PID:%' then 'yes' else 'no' end from jobs where id = $JOB")
CHANGES=$(sql -c "select count(*) from import_changes where import_id = '$IMPORT_ID'")
echo "import $STATUS: created $CREATED, skipped $SKIPPED, failed $FAILED; leads $LEADS ($DISTINCT distinct emails); job attempts $ATTEMPTS"
MISSING=$((ROWS - DISTINCT)); DUPLICATED=$((LEADS - DISTINCT))
row "import of $(printf "%'d" "$ROWS") leads (killed while $IMPORT_STATE, $IMPORT_LEADS_AT_KILL leads committed) | $ROWS leads | $LEADS leads, $DISTINCT distinct emails; import $STATUS (created $CREATED, skipped $SKIPPED, failed $FAILED, processed $PROCESSED of $TOTAL; $CHANGES undo records) | $MISSING | $DUPLICATED | job attempt $ATTEMPTS, finished by C: $BY_SURVIVOR; ${RESUMED} s after the kill (${IMPORT_SECONDS} s in all)"
stop_worker "$SURVIVOR_PID"

# -------------------------------------------------------------------------------------------------------- 2. campaign
AUDIENCE=$(( CAMPAIGN < ROWS ? CAMPAIGN : ROWS ))
say "2. email campaign to $AUDIENCE leads, instance B killed while it queues the emails"
MAILBOX=$(sql -c "insert into mailboxes (tenant_id, id, kind, name, address, imap_host, imap_port, imap_security, imap_username,
    smtp_host, smtp_port, smtp_security, smtp_username, secret, created_at, updated_at)
  values ('$TENANT', gen_random_uuid(), 'shared', 'Kill drill', 'drill@acme.test', '127.0.0.1', 9, 'none', 'x', '127.0.0.1', 9, 'none', 'x', 'unused', now(), now())
  returning id")
sql -c "create table kill_audience as select id from leads where tenant_id = '$TENANT' and email like '%@drill.example' order by email limit $AUDIENCE"
sql -c "select id from kill_audience" >"$DATA/audience.txt"
jq -R . "$DATA/audience.txt" | jq -s --arg mailbox "$MAILBOX" \
  '{name: "Kill drill", kind: "email", audience: {entity: "lead", ids: .}, mailboxId: $mailbox, subject: "Hello", textBody: "Our offer."}' >"$DATA/campaign.json"
CAMPAIGN_ID=$(curl -sS --fail-with-body -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  --data-binary "@$DATA/campaign.json" "$BASE/api/v1/campaigns" | jq -r .id)
start_worker B-campaign; VICTIM=$WORKER_PID
T0=$(now)
curl -sS --fail-with-body -o /dev/null -X POST -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/campaigns/$CAMPAIGN_ID/start"
JOB="(select id from jobs where idempotency_key = 'campaign:$CAMPAIGN_ID:run:1')"
wait_for "B to queue a fifth of the emails" 1800 "select exists (select 1 from jobs where id = $JOB and locked_by like '%:$VICTIM:%')
  and (select count(*) from campaign_recipients where campaign_id = '$CAMPAIGN_ID' and status = 'queued') >= $AUDIENCE / 5"
QUEUED_AT_KILL=$(sql -c "select count(*) from campaign_recipients where campaign_id = '$CAMPAIGN_ID' and status = 'queued'")
kill_victim "$VICTIM" C-campaign
wait_for "every recipient to be handled" 1800 "select (select completed_at is not null from jobs where id = $JOB)
  and not exists (select 1 from campaign_recipients where campaign_id = '$CAMPAIGN_ID' and status = 'pending')"
CAMPAIGN_SECONDS=$(since "$T0"); RESUMED=$(since "$KILLED_AT")
read -r RECIPIENTS RECIPIENT_LEADS QUEUED < <(sql -F ' ' -c "select count(*), count(distinct related_id), count(*) filter (where status = 'queued' and outbound_email_id is not null)
  from campaign_recipients where campaign_id = '$CAMPAIGN_ID'")
read -r EMAILS EMAIL_LEADS < <(sql -F ' ' -c "select count(*), count(distinct related_id) from outreach_emails where source_id = '$CAMPAIGN_ID'")
MISSING=$(sql -c "select count(*) from kill_audience a
  where not exists (select 1 from outreach_emails e where e.source_id = '$CAMPAIGN_ID' and e.related_id = a.id)")
read -r ATTEMPTS BY_SURVIVOR < <(sql -F ' ' -c "select attempts, case when locked_by like '%:$SURVIVOR_PID:%' then 'yes' else 'no' end from jobs where id = $JOB")
echo "campaign: $RECIPIENTS recipients ($RECIPIENT_LEADS leads), $QUEUED queued; $EMAILS emails for $EMAIL_LEADS leads; $MISSING leads without one"
row "email campaign to $(printf "%'d" "$AUDIENCE") leads (killed with $QUEUED_AT_KILL emails queued) | $AUDIENCE emails, one per lead | $RECIPIENTS recipients ($RECIPIENT_LEADS leads, $QUEUED queued); $EMAILS outbound emails for $EMAIL_LEADS leads | $MISSING | $((EMAILS - EMAIL_LEADS)) | job attempt $ATTEMPTS, finished by C: $BY_SURVIVOR; ${RESUMED} s after the kill (${CAMPAIGN_SECONDS} s in all)"
stop_worker "$SURVIVOR_PID"

# -------------------------------------------------------------------------------------------------------- 3. webhooks
say "3. webhook burst: $HOOKS leads created, two subscriptions, instance B killed while it delivers"
RECEIVER_PORT=$(free_port)
: >"$RUN_DIR/received.txt"
python3 "$BENCH/receiver.py" "$RECEIVER_PORT" "$RUN_DIR/received.txt" 0.02 &
RECEIVER_PID=$!
SUBSCRIPTIONS=()
for path in s1 s2; do
  SUBSCRIPTIONS+=("$(curl -sS --fail-with-body -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' \
    -d "{\"url\":\"http://127.0.0.1:$RECEIVER_PORT/$path\",\"events\":[\"lead.created\"]}" "$BASE/api/v1/webhooks" | jq -r .id)")
done
SUBS="'${SUBSCRIPTIONS[0]}', '${SUBSCRIPTIONS[1]}'"
start_worker B-webhooks; VICTIM=$WORKER_PID
T0=$(now)
TAG="hook$(date +%s)"
read -r ACKED NOT_ACKED < <(python3 "$BENCH/burst.py" "$BASE" "$TOKEN" "$HOOKS" 8 "$TAG")
echo "burst: $ACKED leads created, $NOT_ACKED refused"
EXPECTED=$((2 * ACKED))
# The deliveries were running on B meanwhile; kill it once a fifth has arrived while it still holds a subscription.
while (( $(wc -l <"$RUN_DIR/received.txt") < EXPECTED / 5 )) ||
      [[ $(sql -c "select exists (select 1 from webhook_queue where subscription_id in ($SUBS) and locked_by like '%:$VICTIM:%' and locked_until > now())") != t ]]; do
  (( $(wc -l <"$RUN_DIR/received.txt") >= EXPECTED )) && { echo "B delivered everything before it could be killed; lower the pace" >&2; exit 1; }
  sleep 0.1
done
RECEIVED_AT_KILL=$(wc -l <"$RUN_DIR/received.txt")
kill_victim "$VICTIM" C-webhooks
wait_for "every delivery" 1800 "select (select count(*) from webhook_deliveries where subscription_id in ($SUBS) and status = 'delivered') >= $EXPECTED
  and not exists (select 1 from webhook_deliveries where subscription_id in ($SUBS) and status = 'pending')"
sleep 1
WEBHOOK_SECONDS=$(since "$T0"); RESUMED=$(since "$KILLED_AT")
sql -c "select '/s' || (case subscription_id when '${SUBSCRIPTIONS[0]}' then 1 else 2 end) || ' ' || event_id
  from webhook_deliveries where subscription_id in ($SUBS) and status = 'delivered'" | sort -u >"$RUN_DIR/delivered-rows.txt"
EVENTS=$(sql -c "select count(*) from leads where last_name like '$TAG-%'")
read -r RECEIVED DISTINCT_RECEIVED < <(python3 - "$RUN_DIR/received.txt" <<'PY'
import sys
lines = [l.split() for l in open(sys.argv[1]) if l.strip()]
print(len(lines), len({tuple(l) for l in lines}))
PY
)
FAILED_DELIVERIES=$(sql -c "select count(*) from webhook_deliveries where subscription_id in ($SUBS) and status = 'failed'")
ATTEMPTS_OVER_ONE=$(sql -c "select count(*) from webhook_deliveries where subscription_id in ($SUBS) and attempt > 1")
MISSING=$((2 * EVENTS - DISTINCT_RECEIVED))
echo "webhooks: $EVENTS events × 2 subscriptions; receiver got $RECEIVED requests, $DISTINCT_RECEIVED distinct (subscription, webhook-id); $FAILED_DELIVERIES failed deliveries"
row "webhook burst: $(printf "%'d" "$ACKED") leads created × 2 subscriptions (killed after $RECEIVED_AT_KILL deliveries) | $((2 * EVENTS)) deliveries | receiver got $RECEIVED requests, $DISTINCT_RECEIVED distinct (subscription, webhook-id); $FAILED_DELIVERIES failed, $ATTEMPTS_OVER_ONE delivery rows past attempt 1 | $MISSING | $((RECEIVED - DISTINCT_RECEIVED)) received twice (same webhook-id) | finished by C ${RESUMED} s after the kill (${WEBHOOK_SECONDS} s from the first lead)"
stop_worker "$SURVIVOR_PID"

{
  echo "| scenario | expected | found afterwards | missing | duplicated | resumed |"
  echo "| --- | --- | --- | ---: | ---: | --- |"
  cat "$ROWS_TABLE"
} >"$RUN_DIR/summary-table.md"
cat >"$RUN_DIR/summary.md" <<MD
$(machine "$LOAD_BEFORE")
Instance A owns the embedded cluster and serves the API (no background work); B runs the job worker and the webhook dispatcher with leases of $LEASE s (\`Jobs__LeaseSeconds\`, \`Webhooks__LeaseSeconds\`) and gets \`kill -9\` while the work is under way on it; C starts right after the kill and takes over when B's lease runs out. PostgreSQL's \`client_connection_check_interval\`: ${CHECK_INTERVAL:-off (the default)}.

$(cat "$RUN_DIR/summary-table.md")
MD
say "summary"
cat "$RUN_DIR/summary.md"
echo; echo "Logs of every instance and the receiver's log: $RUN_DIR"
mkdir -p "$ROOT/bench/results"; cp "$RUN_DIR/summary.md" "$ROOT/bench/results/kill-instance-latest.md"
$UPDATE_DOCS && update_docs kill-instance "$RUN_DIR/summary.md" RELIABILITY.md
exit 0
