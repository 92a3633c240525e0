#!/usr/bin/env bash
# Registers the case search attributes on a Temporal cluster (once per namespace).
# Uses the Temporal CLI (`temporal`, or .venv/bin/temporal after npm start/test) and the usual
# TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE (plus the CLI's own TLS / API-key variables).
# The list is read from workflows/search-attributes.ts (SEARCH_ATTRIBUTE_REGISTRATIONS, built
# into dist/ by `npm run build`), the one list the workflows and the dev server use too.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
pairs=$(node -e "console.log(require('$root/dist/workflows/search-attributes').SEARCH_ATTRIBUTE_REGISTRATIONS.join(' '))")
cli=${TEMPORAL_CLI:-$(command -v temporal || echo "$(dirname "$0")/../../.venv/bin/temporal")}
address=${TEMPORAL_ADDRESS:?set TEMPORAL_ADDRESS}
namespace=${TEMPORAL_NAMESPACE:-default}
for pair in $pairs; do
  "$cli" operator search-attribute create --address "$address" --namespace "$namespace" \
    --name "${pair%%=*}" --type "${pair#*=}"
done
