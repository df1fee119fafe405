#!/usr/bin/env bash
# Import 1,000,000 leads through the product (POST /api/v1/imports: parse, E.164 normalization, dedupe on email and
# phone within the file and against the table, set-based merge into the RLS-protected leads table with all its
# indexes), side by side in the same run with psql \copy of the same file into an unindexed table of text columns.
# Reports both times, the ratio (copy seconds / import seconds; the issue's target is >= 0.3) and the app's memory.
# Usage: bench/imports/run.sh [--update-docs]     (env: ROWS=1000000)
# Needs: dotnet SDK, PostgreSQL 15+ server binaries (as for `switchboard run`), jq, curl, psql, python3.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH="$ROOT/bench/imports"
ROWS=${ROWS:-1000000}
UPDATE_DOCS=false
[[ "${1:-}" == "--update-docs" ]] && UPDATE_DOCS=true

source "$ROOT/bench/lib.sh"
require_tools jq curl psql dotnet python3
bench_setup imports
start_app Logging__LogLevel__Switchboard.Features.Imports=Debug
sign_in manager@acme.test
use_cluster_psql

say "generate $ROWS rows"
python3 "$BENCH/make_csv.py" "$ROWS" "$DATA/leads.csv"
SIZE_MB=$(du -m "$DATA/leads.csv" | cut -f1)
LEADS_BEFORE=$(sql -c "select count(*) from leads where tenant_id = '$TENANT'")
LOAD_BEFORE=$(cut -d" " -f1-3 /proc/loadavg)
now() { date +%s.%N; }
seconds() { python3 -c "print(f'{$2 - $1:.1f}')"; }

say "baseline: psql \\copy into an unindexed table"
sql -c "create table bench_copy (first_name text, last_name text, email text, phone text, company text, title text, source text)"
T0=$(now)
sql -c "\\copy bench_copy from '$DATA/leads.csv' with (format csv, header)"
COPY_SECONDS=$(seconds "$T0" "$(now)")
echo "copied $(sql -c 'select count(*) from bench_copy') rows in ${COPY_SECONDS}s"

say "import through the product"
HWM_BEFORE=$(awk '/VmHWM/ {print int($2/1024)}' "/proc/$APP_PID/status")
T0=$(now)
IMPORT=$(curl -sS --fail-with-body -H "Authorization: Bearer $TOKEN" -F "file=@$DATA/leads.csv;type=text/csv" \
  -F entity=leads -F mode=create -F matchOn=email,phone "$BASE/api/v1/imports")
ID=$(jq -r .id <<<"$IMPORT")
UPLOADED=$(now)
VALIDATED=""
while true; do
  STATUS=$(curl -sS -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/imports/$ID")
  case $(jq -r .status <<<"$STATUS") in
    completed) break ;;
    failed|undone) echo "import $(jq -r .status <<<"$STATUS"): $STATUS" >&2; exit 1 ;;
  esac
  [[ -z "$VALIDATED" && $(jq -r .phase <<<"$STATUS") == merging ]] && VALIDATED=$(now)
  sleep 0.2
done
DONE=$(now)
IMPORT_SECONDS=$(seconds "$T0" "$DONE")
HWM_AFTER=$(awk '/VmHWM/ {print int($2/1024)}' "/proc/$APP_PID/status")
echo "$STATUS" | jq . >"$RUN_DIR/import.json"
LEADS_AFTER=$(sql -c "select count(*) from leads where tenant_id = '$TENANT'")
c() { jq -r ".$1" <<<"$STATUS"; }
RATIO=$(python3 -c "print(f'{$COPY_SECONDS / $IMPORT_SECONDS:.2f}')")
RATE=$(python3 -c "print(f'{$ROWS / $IMPORT_SECONDS:,.0f}')")

cat >"$RUN_DIR/summary.md" <<MD
$(machine "$LOAD_BEFORE")
File: $ROWS rows, $SIZE_MB MB (bench/imports/make_csv.py: 7 columns, phones in six typed formats, ~1% repeated emails, ~0.5% repeated phones); the demo tenant had $LEADS_BEFORE leads before.

| step | seconds | rows/s |
| --- | ---: | ---: |
| baseline: \`psql \\copy\` into an unindexed table of text columns | $COPY_SECONDS | $(python3 -c "print(f'{$ROWS / $COPY_SECONDS:,.0f}')") |
| import through the product, upload to completed | **$IMPORT_SECONDS** | **$RATE** |
| &nbsp;&nbsp;upload (store the file, detect format, count rows) | $(seconds "$T0" "$UPLOADED") | |
| &nbsp;&nbsp;validate (parse, normalize, COPY to the session's work table) | $(seconds "$UPLOADED" "${VALIDATED:-$UPLOADED}") | |
| &nbsp;&nbsp;merge (dedupe, match, insert with every index, change log) | $(seconds "${VALIDATED:-$UPLOADED}" "$DONE") | |

**Ratio (copy seconds / import seconds): $RATIO** (target ≥ 0.3, stretch 0.5). Result: created $(c created), skipped $(c skipped) (duplicates in the file), failed $(c failed); leads in the tenant $LEADS_BEFORE → $LEADS_AFTER. App peak memory (VmHWM) $HWM_BEFORE MB before the import, $HWM_AFTER MB after.
MD
cat "$RUN_DIR/summary.md"
cp "$RUN_DIR/summary.md" "$ROOT/bench/results/imports-latest.md"
$UPDATE_DOCS && update_docs imports "$RUN_DIR/summary.md"
