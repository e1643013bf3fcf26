#!/usr/bin/env bash
# The sample's CI gate: runs `schema-tools check` on the OrderDomain event types (with their upcasters,
# from OrderDomain.Orders.OrderEventTypes.Registry) against the committed catalog in schemas/.
# A breaking change to a sample event (a new field without a default, a removed field, a changed type)
# fails with exit 1 and one line per violation, as it would in a user's pipeline.
#
#   sample/check-schemas.sh               # builds the sample and schema-tools (Release), then checks
#   sample/check-schemas.sh --no-build    # after tests/run.sh has built the solution in Release
#   sample/check-schemas.sh --format json # any other argument goes to `schema-tools check`
#
# After an intended change: sample/generate-schemas.sh, review the new schemas/ version, commit it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

configuration=${CONFIGURATION:-Release}
build=1
args=()
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    -h|--help) sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) args+=("$arg") ;;
  esac
done

if [[ $build -eq 1 ]]; then
  dotnet build sample/OrderDomain/OrderDomain.csproj -c "$configuration" -nologo -v quiet >&2
  dotnet build src/SchemaTools/SchemaTools.csproj -c "$configuration" -nologo -v quiet >&2
fi

exec dotnet "src/SchemaTools/bin/$configuration/net10.0/schema-tools.dll" check \
  --assembly "sample/OrderDomain/bin/$configuration/net10.0/OrderDomain.dll" \
  --event-types OrderDomain.Orders.OrderEventTypes.Registry \
  --catalog schemas ${args[@]+"${args[@]}"}
