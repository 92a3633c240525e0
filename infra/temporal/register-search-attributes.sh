#!/usr/bin/env bash
# Registers the case search attributes on a Temporal cluster (once per namespace).
# Uses the Temporal CLI (`temporal`, or .venv/bin/temporal after npm start/test) and the usual
# TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE (plus the CLI's own TLS / API-key variables).
# The list must match workflows/search-attributes.ts (SEARCH_ATTRIBUTE_REGISTRATIONS).
set -euo pipefail
cli=${TEMPORAL_CLI:-$(command -v temporal || echo "$(dirname "$0")/../../.venv/bin/temporal")}
address=${TEMPORAL_ADDRESS:?set TEMPORAL_ADDRESS}
namespace=${TEMPORAL_NAMESPACE:-default}
for pair in BufProcess=Keyword BufCaseNumber=Keyword BufStep=Keyword BufArea=Keyword BufOverdue=Bool BufNextDeadline=Datetime; do
  "$cli" operator search-attribute create --address "$address" --namespace "$namespace" \
    --name "${pair%%=*}" --type "${pair#*=}"
done
