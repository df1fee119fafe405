#!/usr/bin/env bash
# Our Twilio signature check and TwiML writer against the Twilio SDK's (ADR 0016).
# Usage: bench/webhooks/sdk-compare.sh            timings (BenchmarkDotNet, both in one run)
#        bench/webhooks/sdk-compare.sh --vectors  the SDK against the published vectors our tests pin
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
dotnet build "$ROOT/bench/webhooks/SdkCompare" -c Release -v q -clp:ErrorsOnly -nologo >/dev/null
cd "$ROOT/bench/webhooks/SdkCompare"
if [[ "${1:-}" == "--vectors" ]]; then exec dotnet bin/Release/net10.0/SdkCompare.dll --vectors; fi
exec dotnet bin/Release/net10.0/SdkCompare.dll --filter '*' "$@"
