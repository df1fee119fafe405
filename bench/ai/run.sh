#!/usr/bin/env bash
# Scores an analysis engine on the labelled call transcripts in bench/ai/eval (see bench/ai/README.md).
# Usage: bench/ai/run.sh [--set calls|support] [--engine rules|llm] [--holdout] [--quiet]
#   --set support scores support-email triage on bench/ai/eval/support-emails.json (tuning and held-out parts apart).
#   --holdout scores bench/ai/eval/holdout.json (15 cases written after the rules were tuned) instead of transcripts.json.
# Needs: dotnet SDK. No database; no network for the rules engine. --engine llm sends each transcript to the model
# named by AI__Endpoint, AI__Model and AI__ApiKey (the same settings the app reads).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SCORER="$ROOT/bench/ai/Scorer"
ARGS=()
SET="$ROOT/bench/ai/eval/transcripts.json"
SUPPORT=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --engine) ARGS+=(--engine "${2:?--engine needs a name}"); shift 2 ;;
    --quiet) ARGS+=(--quiet); shift ;;
    --set)
      case "${2:-}" in
        calls) ;;
        support) SUPPORT=1 ;;
        *) echo "run.sh: --set is calls or support" >&2; exit 2 ;;
      esac
      shift 2 ;;
    --holdout) SET="$ROOT/bench/ai/eval/holdout.json"; shift ;;
    --update-docs) echo "run.sh: --update-docs is not supported here; docs/PERFORMANCE.md is written by hand from these numbers" >&2; exit 2 ;;
    *) echo "usage: bench/ai/run.sh [--set calls|support] [--engine rules|llm] [--holdout] [--quiet]" >&2; exit 2 ;;
  esac
done

dotnet build "$SCORER" -c Release -v q -clp:ErrorsOnly -nologo >/dev/null
if [[ $SUPPORT == 1 ]]; then
  dotnet "$SCORER/bin/Release/net10.0/Scorer.dll" --support "$ROOT/bench/ai/eval/support-emails.json" "${ARGS[@]}"
else
  dotnet "$SCORER/bin/Release/net10.0/Scorer.dll" --set "$SET" "${ARGS[@]}"
fi
