#!/usr/bin/env bash
# `npm run fuzz`: installs what is missing (the service's dependencies, then schemathesis from PyPI
# into the project's .venv, pinned; a separate step so that `npm test` on a fresh clone does not
# pay for it), builds, and runs the fuzz launcher (infra/local/fuzz.ts). Idempotent and quick
# when already installed. Extra arguments go to `schemathesis run`.
set -euo pipefail
cd "$(dirname "$0")/../.."

SCHEMATHESIS_VERSION=4.32.5

bash infra/local/ensure-installed.sh
stamp=".venv/.buf-schemathesis-${SCHEMATHESIS_VERSION}"
if [ ! -f "$stamp" ] || [ ! -x .venv/bin/schemathesis ]; then
  echo "[setup] installing schemathesis ${SCHEMATHESIS_VERSION} into .venv" >&2
  .venv/bin/pip install --quiet --disable-pip-version-check "schemathesis==${SCHEMATHESIS_VERSION}" >&2
  touch "$stamp"
fi
npm run -s build
exec node dist/infra/local/fuzz.js "$@"
