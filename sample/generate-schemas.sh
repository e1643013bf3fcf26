#!/usr/bin/env bash
# Writes a new catalog version (schemas/<subject>/v<N>.avsc and schemas/index.json) for every sample event
# type whose Avro schema changed. Unchanged subjects are left alone. Review, run sample/check-schemas.sh, commit.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
configuration=${CONFIGURATION:-Release}
dotnet build sample/OrderDomain/OrderDomain.csproj -c "$configuration" -nologo -v quiet >&2
dotnet build src/SchemaTools/SchemaTools.csproj -c "$configuration" -nologo -v quiet >&2
exec dotnet "src/SchemaTools/bin/$configuration/net10.0/schema-tools.dll" generate \
  --assembly "sample/OrderDomain/bin/$configuration/net10.0/OrderDomain.dll" \
  --event-types OrderDomain.Orders.OrderEventTypes.Registry \
  --catalog schemas "$@"
