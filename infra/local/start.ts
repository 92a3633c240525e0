import type { ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { DATA_DIR, EMBEDDED_DEFAULTS, PROJECT_ROOT, loadConfig } from '@buf/config';
import { runMigrations } from '@buf/persistence/data-source';
import { resolveDataDir, startEmbeddedPostgres } from './embedded-postgres';
import { spawnLabelled, stopProcess, stopsInReverseOnExit, waitFor } from './processes';
import { startTemporalDevServer } from './temporal-dev-server';

/**
 * `npm start`: the whole service on one machine with embedded defaults — PostgreSQL, the
 * Temporal dev server with its UI, migrations, the worker and the API. DATABASE_URL and
 * TEMPORAL_ADDRESS point at existing servers instead. Ctrl-C stops everything in order.
 */
const say = (line: string) => process.stdout.write(`[start] ${line}\n`);

async function main(): Promise<void> {
  const config = loadConfig();
  const { stops, shutdown, shuttingDown } = stopsInReverseOnExit(say);

  try {
    const env: NodeJS.ProcessEnv = { ...process.env };
    if (!process.env.DATABASE_URL) {
      const dataDir = resolveDataDir(path.join(DATA_DIR, 'postgres'));
      say(`starting embedded PostgreSQL on port ${EMBEDDED_DEFAULTS.postgresPort} (data in ${dataDir})`);
      const pg = await startEmbeddedPostgres({ dataDir, port: EMBEDDED_DEFAULTS.postgresPort, database: 'buf', log: say });
      stops.push(() => pg.stop());
      env.DATABASE_URL = pg.url;
    }
    if (!process.env.TEMPORAL_ADDRESS) {
      const dbFile = path.join(DATA_DIR, 'temporal', 'temporal.sqlite');
      say(`starting the Temporal dev server on ${EMBEDDED_DEFAULTS.temporalAddress} (state in ${dbFile})`);
      const temporal = await startTemporalDevServer({
        port: Number(EMBEDDED_DEFAULTS.temporalAddress.split(':')[1]),
        uiPort: EMBEDDED_DEFAULTS.temporalUiPort,
        dbFile,
        namespace: config.temporal.namespace,
        // The UI decrypts payloads through the API's codec endpoint (for roles in CODEC_ROLES).
        codecEndpoint: `http://127.0.0.1:${config.port}/codec`,
      });
      stops.push(() => temporal.stop());
      env.CORS_ORIGINS ??= `http://127.0.0.1:${EMBEDDED_DEFAULTS.temporalUiPort},http://localhost:${EMBEDDED_DEFAULTS.temporalUiPort}`;
      env.TEMPORAL_ADDRESS = temporal.address;
    }
    // The worker's /metrics on a known port; short coloured log lines when a person watches.
    env.WORKER_METRICS_PORT ??= String(EMBEDDED_DEFAULTS.workerMetricsPort);
    if (process.stdout.isTTY) env.LOG_FORMAT ??= 'pretty';
    const applied = await runMigrations(env.DATABASE_URL ?? config.databaseUrl);
    say(applied.length ? `applied migrations: ${applied.join(', ')}` : 'database schema is up to date');

    const children: ChildProcess[] = [];
    for (const [label, entry] of [['worker', 'dist/apps/worker/src/main.js'], ['api', 'dist/apps/api/src/main.js']] as const) {
      const child = spawnLabelled(label, process.execPath, [path.join(PROJECT_ROOT, entry)], { env });
      children.push(child);
      stops.push(() => stopProcess(child));
      child.once('exit', (code, signal) => {
        if (shuttingDown()) return;
        say(`${label} exited (${signal ?? `code ${code}`}); stopping the rest`);
        void shutdown(1);
      });
    }
    const apiBase = `http://127.0.0.1:${config.port}`;
    await waitFor('API', async () => (await fetch(`${apiBase}/api/v1/health`)).ok, 90_000);
    say('ready');
    say(`  Web app:      ${apiBase}/   (sign in and handle cases; start here)`);
    say(`  API:          ${apiBase}/api/v1`);
    say(`  API docs:     ${apiBase}/docs   (OpenAPI JSON: ${apiBase}/docs-json)`);
    say(`  Metrics:      ${apiBase}/metrics (API), http://127.0.0.1:${env.WORKER_METRICS_PORT}/metrics (worker; Grafana: infra/grafana/buf-case-workflows.json)`);
    if (config.telemetry.tracesEndpoint) say(`  Traces to:    ${config.telemetry.tracesEndpoint} (OTLP/HTTP)`);
    if (!process.env.TEMPORAL_ADDRESS) {
      say(`  Temporal UI:  http://127.0.0.1:${EMBEDDED_DEFAULTS.temporalUiPort}   (state of cases; content is encrypted)`);
      if (config.codecSessions) say(`  case content in the UI: sign in at ${apiBase}/codec/session (roles ${config.codecRoles.join(', ')}); the page tells how to set up the UI`);
    }
    say('  a token:      npm run --silent token -- --sub u1 --name "Test Person" --roles gdpr');
    say('Ctrl-C stops everything.');
  } catch (err) {
    say(`failed: ${err instanceof Error ? err.message : String(err)}`);
    await shutdown(1);
  }
}

void main();
