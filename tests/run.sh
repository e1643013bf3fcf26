#!/usr/bin/env bash
# The README's test command: provisions PostgreSQL (tests/postgres.sh), builds the solution with
# warnings as errors, runs the schema compatibility gate on the sample's events, and runs every
# test project against the real server.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

eval "$(tests/postgres.sh)"
export POSTGRES_CONNECTION

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

echo "== build" >&2
dotnet build EventSourcing.sln -c Release -warnaserror -nologo -v quiet

# The project's own schema gate, as a user's pipeline would run it: a breaking change to a sample
# event (against the committed catalog in schemas/) fails here with one line per violation.
echo "== schema-tools check (sample/OrderDomain against schemas/)" >&2
sample/check-schemas.sh --no-build

echo "== test" >&2
log=$(mktemp)
set +e
# One test project at a time (-m:1): the reliability and cluster suites run real service processes and restart
# PostgreSQL; on a 2-core machine they must not compete with the other projects for the CPU.
dotnet test EventSourcing.sln -c Release --no-build --nologo -m:1 "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# End with the counts, one line a project.
echo
echo "== summary"
grep -E '^(Passed|Failed)!' "$log" | sed -E 's/ - ([^ ]+)\.dll.*$/  \1/' || echo "no test project reported counts"
rm -f "$log"
exit "$status"
