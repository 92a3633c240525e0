import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runMigrations } from '@buf/persistence/data-source';
import { startEmbeddedPostgres } from './embedded-postgres';
import { freePort } from './processes';
import { startTemporalDevServer } from './temporal-dev-server';
import { type FrontendTls, type RunningCluster, startTemporalCluster } from '../cluster/temporal-cluster';

export interface ThrowawayServers {
  /** A private folder for this run (keys, bundles, results); removed by stop(). */
  runDir: string;
  databaseUrl: string;
  temporalAddress: string;
  /** Seconds each part took to start, for the benchmark's start-up figures. */
  startedIn: { postgres: number; migrations: number; temporal: number };
  /** The Temporal cluster's processes, when one was asked for instead of the dev server. */
  cluster?: RunningCluster;
  stop(): Promise<void>;
}

export interface ThrowawayOptions {
  /** A Temporal cluster (separate services, PostgreSQL persistence) instead of the in-memory dev server. */
  temporal?: { kind: 'dev-server' } | { kind: 'cluster'; withUi?: boolean; codecEndpoint?: string; tls?: FrontendTls };
}

/**
 * A migrated PostgreSQL and an in-memory Temporal dev server (or a Temporal cluster on that
 * PostgreSQL) on free ports, for one run of the tests, the fuzzer or the benchmark; stop()
 * removes everything, also when starting failed half-way.
 */
export async function startThrowawayServers(label: string, say: (line: string) => void, options: ThrowawayOptions = {}): Promise<ThrowawayServers> {
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((err: unknown) => say(`stop failed: ${String(err)}`));
  };
  try {
    const runDir = fs.mkdtempSync(path.join(os.tmpdir(), `buf-${label}-run-`));
    stops.push(async () => fs.rmSync(runDir, { recursive: true, force: true }));

    const pgPort = await freePort();
    const dataDir = path.join(os.tmpdir(), `buf-${label}-pg-${process.pid}-${Date.now()}`);
    say(`starting a throwaway PostgreSQL on port ${pgPort}`);
    const seconds = (since: number) => (performance.now() - since) / 1000;
    let since = performance.now();
    const pg = await startEmbeddedPostgres({ dataDir, port: pgPort, database: `buf_${label}`, throwaway: true, log: say });
    stops.push(() => pg.stop());
    const postgres = seconds(since);
    since = performance.now();
    await runMigrations(pg.url);
    const migrations = seconds(since);

    since = performance.now();
    if (options.temporal?.kind === 'cluster') {
      say('starting a Temporal cluster (frontend, history, matching and worker services) on that PostgreSQL');
      const cluster = await startTemporalCluster({
        baseDir: path.join(runDir, 'temporal'),
        postgresUrl: pg.url,
        namespace: 'default',
        withUi: options.temporal.withUi,
        codecEndpoint: options.temporal.codecEndpoint,
        tls: options.temporal.tls,
        log: say,
      });
      stops.push(() => cluster.stop());
      const startedIn = { postgres, migrations, temporal: seconds(since) };
      return { runDir, databaseUrl: pg.url, temporalAddress: cluster.address, startedIn, cluster, stop };
    }
    const temporalPort = await freePort();
    say(`starting an in-memory Temporal dev server on port ${temporalPort}`);
    const temporal = await startTemporalDevServer({ port: temporalPort, namespace: 'default' });
    stops.push(() => temporal.stop());
    const startedIn = { postgres, migrations, temporal: seconds(since) };

    return { runDir, databaseUrl: pg.url, temporalAddress: temporal.address, startedIn, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
