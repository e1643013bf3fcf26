#!/usr/bin/env bash
# The README's first command: provisions PostgreSQL (tests/postgres.sh), then runs the OrderDomain demo:
# the order service and the projection host start on embedded defaults, a few hundred realistic orders
# go through the HTTP API, the read models catch up, and searches print as tables.
#
#   sample/run-demo.sh                  # run the demo and exit
#   sample/run-demo.sh --serve          # ... and keep the service running (Ctrl+C stops it)
#   sample/run-demo.sh --orders 1000    # more orders; --clients N concurrent clients; --urls http://127.0.0.1:5080
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ "${1:-}" == "--help" || "${1:-}" == "-h" ]]; then
  sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit 0
fi

eval "$(tests/postgres.sh)"
export POSTGRES_CONNECTION
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
exec dotnet run --project sample/OrderDomain -c Release -- demo "$@"
