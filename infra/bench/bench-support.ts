import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import autocannon from 'autocannon';
import { Client, Connection } from '@temporalio/client';
import { Pool } from 'pg';
import { loadOrCreateDevSecret } from '@buf/auth';
import { DEFAULT_MAX_CACHED_WORKFLOWS, DEFAULT_WORKFLOW_HEAP_MB, PROJECT_ROOT } from '@buf/config';
import { createDataConverter } from '@buf/temporal/data-converter';
import type { ThrowawayServers } from '../local/throwaway-servers';

export const HOUR = 3_600_000;

/** What the dev-server and the cluster bench both read from the environment, and share; the rest is each bench's own. */
export const BENCH_SETTINGS = {
  durationS: Number(process.env.BENCH_DURATION_S ?? 20),
  timerCases: Number(process.env.BENCH_TIMER_CASES ?? 200),
  logLevel: process.env.BENCH_LOG_LEVEL ?? 'warn',
  cachedWorkflows: process.env.WORKER_MAX_CACHED_WORKFLOWS ?? String(DEFAULT_MAX_CACHED_WORKFLOWS),
  workflowHeapMb: process.env.WORKER_WORKFLOW_HEAP_MB ?? String(DEFAULT_WORKFLOW_HEAP_MB),
  output: path.resolve(PROJECT_ROOT, process.env.BENCH_OUTPUT ?? 'docs/benchmarks.md'),
  concurrency: 20,
  taskQueue: 'buf-bench',
};

/** What `npm run bench` (dev server) and `npm run bench -- --cluster` share. */
export const say = (line: string) => process.stdout.write(`[bench] ${line}\n`);

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const ms = (v: number) => `${v.toFixed(1)} ms`;

/** A numeric command-line option (`--rows 30000`), NaN when absent. */
export const argOf = (name: string) => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : Number.NaN);

export function machineLine(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB memory, ${os.type()} ${os.release()}, Node ${process.version}; load average at the end ${os.loadavg().map((l) => l.toFixed(1)).join(' / ')} (other work on the machine counts in every figure)`;
}

export function rssOf(pid: number): { rssMb: number; hwmMb: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
}

/** Runs `task` from `concurrency` loops until `until` says stop; returns how many completed. */
export async function drive(concurrency: number, until: (done: number) => boolean, task: (n: number) => Promise<void>): Promise<{ done: number; failed: number; latencies: number[] }> {
  let issued = 0;
  let done = 0;
  let failed = 0;
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (!until(issued)) {
        const n = issued++;
        const t = performance.now();
        try {
          await task(n);
          latencies.push(performance.now() - t);
          done += 1;
        } catch (err) {
          failed += 1;
          if (failed <= 3) say(`  failure: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    }),
  );
  return { done, failed, latencies };
}

export function autocannonRun(options: autocannon.Options): Promise<{ result: autocannon.Result; latencies: number[] }> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    const instance = autocannon(options, (err, result) => (err ? reject(err) : resolve({ result, latencies })));
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode < 400) latencies.push(responseTime);
    });
  });
}

/**
 * Writes one run's section of docs/benchmarks.md between its markers, keeping the other runs'
 * sections as they are: the dev-server run and the cluster run each replace only their own.
 */
export function writeSection(file: string, section: 'dev-server' | 'import' | 'cluster' | 'case-writes', markdown: string): void {
  const begin = `<!-- bench:${section}:begin -->`;
  const end = `<!-- bench:${section}:end -->`;
  const block = `${begin}\n${markdown.trimEnd()}\n${end}\n`;
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const from = current.indexOf(begin);
  const to = current.indexOf(end);
  let next: string;
  if (from >= 0 && to > from) next = current.slice(0, from) + block + current.slice(to + end.length).replace(/^\n/, '');
  else if (section === 'dev-server') next = block + (current ? `\n${current}` : '');
  else next = (current ? `${current.trimEnd()}\n\n` : '') + block;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, next);
}

export interface ServiceLauncher {
  env: NodeJS.ProcessEnv;
  spawnService(label: string, entry: string): ChildProcess;
  close(): Promise<void>;
}

/**
 * The built worker and API as `npm start` runs them, against the throwaway servers: their
 * environment (the API's port, the task queue, keys in the run folder, the per-identity rate
 * limit raised) and a spawner that writes every process's output to service.log in the run folder.
 */
export function serviceLauncher(
  servers: ThrowawayServers,
  options: { apiPort: number; taskQueue: string; logLevel: string; onOutput(text: string): void; workflowBundle?: string },
): ServiceLauncher {
  const logStream = fs.createWriteStream(path.join(servers.runDir, 'service.log'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    PORT: String(options.apiPort),
    DATABASE_URL: servers.databaseUrl,
    TEMPORAL_ADDRESS: servers.temporalAddress,
    TEMPORAL_TASK_QUEUE: options.taskQueue,
    AUTH_DEV_KEY_FILE: path.join(servers.runDir, 'dev-token-secret'),
    PAYLOAD_KEY_FILE: path.join(servers.runDir, 'payload-key'),
    // One identity drives every request; the per-identity limit would otherwise be what is measured.
    RATE_LIMIT_PER_MINUTE: '100000000',
    LOG_LEVEL: options.logLevel,
  };
  // As npm start (the worker bundles the workflows at start), or as production (a prebuilt bundle).
  if (options.workflowBundle) env.WORKFLOW_BUNDLE_PATH = options.workflowBundle;
  else delete env.WORKFLOW_BUNDLE_PATH;
  const spawnService = (label: string, entry: string): ChildProcess => {
    const child = spawn(process.execPath, [path.join(PROJECT_ROOT, entry)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      logStream.write(text.split('\n').filter(Boolean).map((l) => `[${label}] ${l}\n`).join(''));
      options.onOutput(text);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    return child;
  };
  return { env, spawnService, close: () => new Promise<void>((r) => logStream.end(r)) };
}

/**
 * What a bench drives the service with: the dev-token secret the service accepts, a Temporal client
 * with the service's payload key (raw starts and updates encrypted as the service's own), and a
 * small pool on the service's database; each closes through `stops`.
 */
export async function benchClients(servers: ThrowawayServers, env: NodeJS.ProcessEnv, stops: (() => Promise<void>)[]): Promise<{ secret: Uint8Array; client: Client; db: Pool }> {
  const secret = loadOrCreateDevSecret(env.AUTH_DEV_KEY_FILE as string);
  const connection = await Connection.connect({ address: servers.temporalAddress });
  stops.push(() => connection.close());
  const client = new Client({
    connection,
    dataConverter: createDataConverter({ encryption: { kind: 'local-file', file: env.PAYLOAD_KEY_FILE as string, keyId: 'local-1' } }),
  });
  const db = new Pool({ connectionString: servers.databaseUrl, max: 2 });
  stops.push(() => db.end());
  return { secret, client, db };
}

/**
 * Case starts through the API under autocannon: `connections` at once for `durationS`, each
 * request a valid start of `processName` with its own Idempotency-Key (`keyPrefix-<n>`).
 */
export function apiStartsRun(options: { base: string; token: string; processName: string; body: unknown; keyPrefix: string; connections: number; durationS: number }): Promise<{ result: autocannon.Result; latencies: number[] }> {
  let key = 0;
  return autocannonRun({
    url: `${options.base}/api/v1/cases/${options.processName}`,
    connections: options.connections,
    duration: options.durationS,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(options.body),
        setupRequest: (req) => ({ ...req, headers: { ...req.headers, 'idempotency-key': `${options.keyPrefix}-${++key}` } }),
      },
    ],
  });
}

/** The workflow bundle production workers load (`npm run build:workflows`), written into `dir`. */
export function buildWorkflowBundle(dir: string): string {
  const file = path.join(dir, 'workflow-bundle.js');
  execFileSync(process.execPath, [path.join(PROJECT_ROOT, 'dist', 'apps', 'worker', 'src', 'build-workflow-bundle.js'), file], { stdio: 'ignore' });
  return file;
}
