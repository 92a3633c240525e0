#!/usr/bin/env bash
# Builds the Temporal server, its SQL schema tool and the Temporal UI server from the Go module
# proxy into .tools/ (git-ignored), once per version; later runs reuse them (and a fresh clone on
# the same machine reuses Go's module and build caches). Nothing is downloaded at run time.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=versions.env
source infra/cluster/versions.env
export GOTOOLCHAIN="$TEMPORAL_GO_TOOLCHAIN" GOFLAGS=-mod=mod

server_bin=".tools/temporal-server-${TEMPORAL_SERVER_VERSION}/bin"
if [ ! -x "$server_bin/server" ] || [ ! -x "$server_bin/sql" ]; then
  echo "[setup] building the Temporal server ${TEMPORAL_SERVER_VERSION} and its SQL tool from the Go module proxy (about 8 minutes the first time on two cores)" >&2
  started=$(date +%s)
  GOBIN="$PWD/$server_bin" go install \
    "go.temporal.io/server/cmd/server@v${TEMPORAL_SERVER_VERSION}" \
    "go.temporal.io/server/cmd/tools/sql@v${TEMPORAL_SERVER_VERSION}" >&2
  echo "[setup] built the Temporal server in $(( $(date +%s) - started )) s" >&2
fi

ui_bin=".tools/temporal-ui-server-${TEMPORAL_UI_SERVER_VERSION}/bin"
if [ ! -x "$ui_bin/server" ]; then
  echo "[setup] building the Temporal UI server ${TEMPORAL_UI_SERVER_VERSION} from the Go module proxy" >&2
  started=$(date +%s)
  GOBIN="$PWD/$ui_bin" go install "github.com/temporalio/ui-server/v2/cmd/server@v${TEMPORAL_UI_SERVER_VERSION}" >&2
  echo "[setup] built the Temporal UI server in $(( $(date +%s) - started )) s" >&2
fi
