#!/usr/bin/env bash
# Drill (issue 15 §8): PostgreSQL restarts under a steady API load (lead creates and lead lists); the app must serve
# again within 10 s without a restart of its own, and every create it acknowledged must be in the database once.
# Restarts the cluster twice: `pg_ctl restart -m fast` (a planned restart) and `-m immediate` (a crash: no checkpoint,
# every backend killed). Prints, per restart, how long PostgreSQL was down, when the app answered 2xx again, and what
# the clients saw meanwhile.
# Usage: bench/pg-restart/run.sh [--update-docs]   (env: CLIENTS=8 STEADY=15)
# Needs: dotnet SDK, PostgreSQL 15+ server binaries (as for `switchboard run`), jq, curl, psql, python3.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CLIENTS=${CLIENTS:-8}
STEADY=${STEADY:-15}   # seconds of load before, between and after the restarts
UPDATE_DOCS=false
[[ "${1:-}" == "--update-docs" ]] && UPDATE_DOCS=true

source "$ROOT/bench/lib.sh"
require_tools jq curl psql python3 dotnet
bench_setup pg-restart
start_app Jobs__Enabled=false
sign_in manager@acme.test
use_cluster_psql
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_postgres() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

LOAD_BEFORE=$(cut -d" " -f1-3 /proc/loadavg)
say "load: $CLIENTS clients, each a create then a list, over and over"
python3 "$ROOT/bench/pg-restart/load.py" "$BASE" "$TOKEN" "$RUN_DIR/requests.txt" "$DATA/stop" "$CLIENTS" &
LOAD_PID=$!
sleep "$STEADY"

restart() { # mode → writes "mode down_start down_end" to restarts.txt
  local began ended
  began=$(date +%s.%N)
  as_postgres "$PGBIN/pg_ctl" restart -D "$DATA/postgres/pgdata" -m "$1" -w -t 60 -l "$DATA/postgres/restart.log" >/dev/null
  ended=$(date +%s.%N)
  echo "$1 $began $ended" >>"$RUN_DIR/restarts.txt"
  say "restart -m $1: PostgreSQL down for $(python3 -c "print(round($ended - $began, 2))") s"
}
restart fast
sleep "$STEADY"
restart immediate
sleep "$STEADY"
touch "$DATA/stop"
wait "$LOAD_PID"

say "what the clients saw"
sql -c "select last_name from leads where tenant_id = '$TENANT' and last_name like 'restart-%'" >"$RUN_DIR/stored.txt"
python3 - "$RUN_DIR" <<'PY' | tee "$RUN_DIR/summary-table.md"
import collections, sys
run = sys.argv[1]
requests = [l.split() for l in open(f"{run}/requests.txt")]
requests = [(float(r[0]), float(r[1]), r[2], int(r[3]), r[4] if len(r) > 4 else "") for r in requests]
restarts = [l.split() for l in open(f"{run}/restarts.txt")]
stored = collections.Counter(l.strip() for l in open(f"{run}/stored.txt") if l.strip())
acked = {r[4] for r in requests if r[2] == "create" and 200 <= r[3] < 300}
print("| restart | PostgreSQL down | serving again after it is up | failed requests | of them 5xx | no answer |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
for i, (mode, began, ended) in enumerate(restarts):
    began, ended = float(began), float(ended)
    # A failure belongs to the last restart that began before it ended; the next restart's own failures are its own.
    until = float(restarts[i + 1][1]) if i + 1 < len(restarts) else float("inf")
    failed = [r for r in requests if not 200 <= r[3] < 300 and began <= r[1] < until]
    # Serving again: the first request that started after PostgreSQL was up, and after this restart's last failure,
    # and succeeded.
    since = max([ended] + [r[0] for r in failed])
    recovered = min((r[1] for r in requests if r[0] >= since and 200 <= r[3] < 300 and r[0] < until), default=float("nan"))
    print(f"| `-m {mode}` | {ended - began:.2f} s | {recovered - ended:.2f} s | {len(failed)} | "
          f"{sum(1 for r in failed if r[3] >= 500)} | {sum(1 for r in failed if r[3] == 0)} |")
missing = sorted(acked - set(stored))
duplicates = sorted(n for n, c in stored.items() if c > 1)
total = len(requests)
print()
print(f"{total} requests in all ({sum(1 for r in requests if 200 <= r[3] < 300)} 2xx); {len(acked)} creates acknowledged, "
      f"{len(missing)} of them missing afterwards, {len(duplicates)} stored twice; {sum(stored.values()) - len(acked)} stored "
      f"creates the client never saw acknowledged (answers lost in the restart).")
codes = collections.Counter(r[3] for r in requests if not 200 <= r[3] < 300)
print(f"Failed answers by status: {dict(sorted(codes.items())) or 'none'}.")
PY
cat >"$RUN_DIR/summary.md" <<MD
$(machine "$LOAD_BEFORE")
$CLIENTS clients, each creating a lead and reading a page of 20 in a loop (50 ms pause), ${STEADY} s of load before, between and after the restarts; the app on the embedded cluster, not restarted.

$(cat "$RUN_DIR/summary-table.md")
MD
echo; echo "Raw requests and the app log: $RUN_DIR"
mkdir -p "$ROOT/bench/results"; cp "$RUN_DIR/summary.md" "$ROOT/bench/results/pg-restart-latest.md"
$UPDATE_DOCS && update_docs pg-restart "$RUN_DIR/summary.md" RELIABILITY.md
exit 0
