import { type ChildProcess, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as path from 'node:path';
import { DATA_DIR, PROJECT_ROOT, loadConfig } from '@buf/config';
import { runMigrations } from '@buf/persistence/data-source';
import { resolveDataDir, startEmbeddedPostgres } from '../local/embedded-postgres';
import { spawnLabelled, stopProcess, stopsInReverseOnExit, waitFor } from '../local/processes';
import { type ClusterPorts, startTemporalCluster } from './temporal-cluster';

/**
 * `npm run start:cluster`: the service as production runs it, on one machine — the embedded
 * PostgreSQL holding the service's database and Temporal's persistence and visibility databases,
 * a Temporal cluster of separate frontend, history, matching and worker processes, the Temporal
 * UI server, then migrations, two workers and two API instances. Ctrl-C stops it in order: the
 * APIs, the workers (they drain), the Temporal services, PostgreSQL.
 */
const say = (line: string) => process.stdout.write(`[cluster] ${line}\n`);
const runToEnd = promisify(execFile);

/** Fixed ports, those of `npm start` where they mean the same thing; PostgreSQL has its own data and port. */
export const CLUSTER_DEFAULTS = {
  postgresPort: 54339,
  apiPorts: [3000, 3001],
  workerMetricsPorts: [9464, 9465],
  temporal: {
    frontend: 7233,
    frontendHttp: 7243,
    history: 7234,
    matching: 7235,
    worker: 7239,
    membership: { frontend: 6933, history: 6934, matching: 6935, worker: 6939 },
    metrics: { frontend: 8000, history: 8001, matching: 8002, worker: 8003 },
    ui: 8233,
  } satisfies ClusterPorts,
};

async function main(): Promise<void> {
  const config = loadConfig();
  const { stops, shutdown, shuttingDown } = stopsInReverseOnExit(say);

  try {
    const dataDir = resolveDataDir(path.join(DATA_DIR, 'cluster', 'postgres'));
    say(`starting embedded PostgreSQL on port ${CLUSTER_DEFAULTS.postgresPort} (data in ${dataDir})`);
    const pg = await startEmbeddedPostgres({ dataDir, port: CLUSTER_DEFAULTS.postgresPort, database: 'buf', log: say });
    stops.push(() => pg.stop());

    const [firstApi] = CLUSTER_DEFAULTS.apiPorts;
    say('starting the Temporal cluster: history, matching, frontend and worker services, and the UI server');
    const cluster = await startTemporalCluster({
      baseDir: path.join(DATA_DIR, 'cluster', 'temporal'),
      postgresUrl: pg.url,
      namespace: config.temporal.namespace,
      ports: CLUSTER_DEFAULTS.temporal,
      codecEndpoint: `http://127.0.0.1:${firstApi}/codec`,
      log: say,
    });
    stops.push(() => cluster.stop());

    const applied = await runMigrations(pg.url);
    say(applied.length ? `applied migrations: ${applied.join(', ')}` : 'database schema is up to date');

    // The workers load one prebuilt workflow bundle, as production does: no bundling (and its memory) in each.
    const workflowBundle = path.join(DATA_DIR, 'cluster', 'workflow-bundle.js');
    say('bundling the workflows for the workers');
    await runToEnd(process.execPath, [path.join(PROJECT_ROOT, 'dist', 'apps', 'worker', 'src', 'build-workflow-bundle.js'), workflowBundle]);

    const uiOrigins = [`http://127.0.0.1:${CLUSTER_DEFAULTS.temporal.ui}`, `http://localhost:${CLUSTER_DEFAULTS.temporal.ui}`];
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: pg.url,
      TEMPORAL_ADDRESS: cluster.address,
      TEMPORAL_UI_URL: cluster.uiUrl,
      WORKFLOW_BUNDLE_PATH: workflowBundle,
      CORS_ORIGINS: process.env.CORS_ORIGINS ?? uiOrigins.join(','),
      // Short coloured log lines when a person watches; JSON otherwise.
      ...(process.stdout.isTTY && !process.env.LOG_FORMAT ? { LOG_FORMAT: 'pretty' } : {}),
    };
    const children: { label: string; child: ChildProcess }[] = [];
    const spawnChild = (label: string, entry: string, extra: NodeJS.ProcessEnv) => {
      const child = spawnLabelled(label, process.execPath, [path.join(PROJECT_ROOT, entry)], { env: { ...env, ...extra } });
      children.push({ label, child });
      child.once('exit', (code, signal) => {
        if (!shuttingDown()) say(`${label} exited (${signal ?? `code ${code}`}); the other instances go on`);
      });
      return child;
    };
    // Workers before APIs, so that stopping in reverse stops the APIs first and the workers drain last.
    const workers = CLUSTER_DEFAULTS.workerMetricsPorts.map((metricsPort, i) =>
      spawnChild(`worker-${i + 1}`, 'dist/apps/worker/src/main.js', { WORKER_METRICS_PORT: String(metricsPort) }));
    stops.push(() => Promise.all(workers.map((w) => stopProcess(w, 'SIGTERM', 60_000))).then(() => undefined));
    const apis = CLUSTER_DEFAULTS.apiPorts.map((port, i) => spawnChild(`api-${i + 1}`, 'dist/apps/api/src/main.js', { PORT: String(port) }));
    stops.push(() => Promise.all(apis.map((a) => stopProcess(a))).then(() => undefined));

    for (const port of CLUSTER_DEFAULTS.apiPorts) {
      await waitFor(`API on port ${port}`, async () => (await fetch(`http://127.0.0.1:${port}/api/v1/health`)).ok, 90_000);
    }
    say('ready');
    for (const port of CLUSTER_DEFAULTS.apiPorts) say(`  API and web app: http://127.0.0.1:${port}/   (API ${`http://127.0.0.1:${port}/api/v1`})`);
    say(`  Temporal UI:     ${cluster.uiUrl}   (content through the codec endpoint of the first API)`);
    say(`  Temporal:        ${cluster.address}   (frontend; history, matching and worker services on ${CLUSTER_DEFAULTS.temporal.history}, ${CLUSTER_DEFAULTS.temporal.matching}, ${CLUSTER_DEFAULTS.temporal.worker})`);
    say(`  PostgreSQL:      127.0.0.1:${CLUSTER_DEFAULTS.postgresPort}   (databases buf, temporal, temporal_visibility)`);
    say(`  metrics:         APIs on /metrics; workers on ${CLUSTER_DEFAULTS.workerMetricsPorts.map((p) => `:${p}/metrics`).join(', ')}; Temporal services on :${Object.values(CLUSTER_DEFAULTS.temporal.metrics).join(', :')}/metrics`);
    say('Ctrl-C stops everything in order.');
  } catch (err) {
    say(`failed: ${err instanceof Error ? err.message : String(err)}`);
    await shutdown(1);
  }
}

if (require.main === module) void main();
