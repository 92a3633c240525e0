import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { Pool } from 'pg';
import { loadOrCreateDevSecret, mintDevToken, type TokenClaims } from '@buf/auth';
import { freePort, stopProcess, waitFor } from '@buf/infra/local/processes';
import { runMigrations } from '@buf/persistence/data-source';
import { Client, Connection } from '@temporalio/client';
import { createDataConverter } from '@buf/temporal/data-converter';
import { PROJECT_ROOT, testEnv } from './paths';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
}

/**
 * The real service for end-to-end tests: the built worker and API as separate processes
 * (as `npm start` runs them) against the PostgreSQL and Temporal server that `npm test` started.
 * Each test file gets its own task queue, so killing its worker touches no other file's cases.
 */
export class ServiceUnderTest {
  readonly baseUrl: string;
  readonly db: Pool;
  private worker?: ChildProcess;
  private api?: ChildProcess;
  private readonly env: NodeJS.ProcessEnv;
  private readonly secret: Uint8Array;
  readonly logs: string[] = [];

  private constructor(port: number, env: NodeJS.ProcessEnv) {
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.env = env;
    // The database the service itself uses (TEST_DATABASE_URL unless a test gave it its own).
    this.db = new Pool({ connectionString: env.DATABASE_URL, max: 2 });
    // An idle connection cut by a database restart (fault tests) must not crash the test process.
    this.db.on('error', () => undefined);
    this.secret = loadOrCreateDevSecret(env.AUTH_DEV_KEY_FILE as string);
  }

  /** `extraEnv` overrides the defaults, e.g. PORT when a Temporal UI must know the API's address first. */
  static async start(name: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<ServiceUnderTest> {
    const port = extraEnv.PORT ? Number(extraEnv.PORT) : await freePort();
    const runDir = testEnv('TEST_RUN_DIR');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      DATABASE_URL: testEnv('TEST_DATABASE_URL'),
      TEMPORAL_ADDRESS: testEnv('TEST_TEMPORAL_ADDRESS'),
      TEMPORAL_TASK_QUEUE: `${name}-${randomUUID().slice(0, 8)}`,
      AUTH_DEV_KEY_FILE: path.join(runDir, 'dev-token-secret'),
      PAYLOAD_KEY_FILE: path.join(runDir, 'payload-key'),
      WORKFLOW_BUNDLE_PATH: process.env.TEST_WORKFLOW_BUNDLE,
      OUTBOX_POLL_MS: '200',
      LOG_LEVEL: 'info',
      ...extraEnv,
    };
    const service = new ServiceUnderTest(port, env);
    service.worker = service.spawn('worker', 'dist/apps/worker/src/main.js');
    service.api = service.spawn('api', 'dist/apps/api/src/main.js');
    await waitFor('API', async () => (await fetch(`${service.baseUrl}/api/v1/health`)).ok, 60_000, service.api);
    await service.waitForWorker();
    return service;
  }

  /** The JSON log lines of the API or the worker (`[api] {...}`), parsed. */
  jsonLogs(label: 'api' | 'worker'): Record<string, unknown>[] {
    const prefix = `[${label}] {`;
    return this.logs.filter((l) => l.startsWith(prefix)).map((l) => JSON.parse(l.slice(prefix.length - 1)) as Record<string, unknown>);
  }

  private spawn(label: string, entry: string): ChildProcess {
    const child = spawn(process.execPath, [path.join(PROJECT_ROOT, entry)], { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer) => this.logs.push(...chunk.toString('utf8').split('\n').filter(Boolean).map((l) => `[${label}] ${l}`));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    return child;
  }

  private async waitForWorker(): Promise<void> {
    await waitFor('worker', async () => this.logs.some((l) => l.includes('Worker polling task queue')), 60_000, this.worker);
  }

  /** Kills the worker (SIGKILL: no drain) or stops it (SIGTERM), then starts a new one. */
  async restartWorker(signal: NodeJS.Signals): Promise<void> {
    if (this.worker) await stopProcess(this.worker, signal);
    this.logs.length = 0;
    this.worker = this.spawn('worker', 'dist/apps/worker/src/main.js');
    await this.waitForWorker();
  }

  async stopWorker(signal: NodeJS.Signals): Promise<void> {
    if (this.worker) await stopProcess(this.worker, signal);
  }

  async startWorker(): Promise<void> {
    this.worker = this.spawn('worker', 'dist/apps/worker/src/main.js');
    await this.waitForWorker();
  }

  /** Kills the API (SIGKILL: requests in flight are cut) or stops it, then starts a new one on the same port. */
  async restartApi(signal: NodeJS.Signals): Promise<void> {
    if (this.api) await stopProcess(this.api, signal);
    this.api = this.spawn('api', 'dist/apps/api/src/main.js');
    await waitFor('API', async () => (await fetch(`${this.baseUrl}/api/v1/health`)).ok, 60_000, this.api);
  }

  async stop(): Promise<void> {
    await Promise.all([this.api, this.worker].map((c) => (c ? stopProcess(c) : undefined)));
    await this.db.end();
  }

  /** A Temporal client on the test server: with the service's payload key, or a plain one that has no key. */
  async temporalClient(options: { withPayloadKey: boolean }): Promise<Client> {
    const connection = await Connection.connect({ address: testEnv('TEST_TEMPORAL_ADDRESS') });
    const dataConverter = options.withPayloadKey
      ? createDataConverter({ encryption: { kind: 'local-file', file: this.env.PAYLOAD_KEY_FILE as string, keyId: 'local-1' } })
      : undefined;
    return new Client({ connection, ...(dataConverter ? { dataConverter } : {}) });
  }

  /** The worker process's pid, e.g. to ask it for a diagnostic report. */
  get workerPid(): number {
    if (this.worker?.pid === undefined) throw new Error('the worker is not running');
    return this.worker.pid;
  }

  get taskQueue(): string {
    return this.env.TEMPORAL_TASK_QUEUE as string;
  }

  /** A dev token the service accepts; `ttl` as jose takes it (e.g. '-1h' for one that has expired). */
  token(claims: TokenClaims, ttl?: string): Promise<string> {
    return mintDevToken(this.secret, claims, ttl);
  }

  async request<T = any>(method: string, urlPath: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<ApiResponse<T>> {
    const res = await fetch(`${this.baseUrl}${urlPath}`, {
      method,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...options.headers,
      },
      ...(options.body !== undefined ? { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) } : {}),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON (e.g. XML); keep the text
    }
    return { status: res.status, body: body as T };
  }

  /** The response, if it has that status; otherwise fails with its body and the service's last log lines, so a failure explains itself. */
  expectStatus<T = any>(res: ApiResponse<T>, status: number): ApiResponse<T> {
    if (res.status !== status) {
      throw new Error(`expected HTTP ${status}, got ${res.status}: ${JSON.stringify(res.body)}\n--- service log (tail) ---\n${this.logs.slice(-30).join('\n')}`);
    }
    return res;
  }

  /** A person with a token, for readable tests: `const gdpr = await service.as({...})`. */
  async as(claims: TokenClaims): Promise<Caller> {
    return new Caller(this, await this.token(claims));
  }

  /** One caller per person of a test's cast, by the same keys. */
  async callers<P extends Record<string, TokenClaims>>(people: P): Promise<Record<keyof P, Caller>> {
    const entries = await Promise.all(Object.entries(people).map(async ([key, claims]) => [key, await this.as(claims)] as const));
    return Object.fromEntries(entries) as Record<keyof P, Caller>;
  }

  async journal(caseId: string): Promise<{ seq: number; action: string }[]> {
    const { rows } = await this.db.query('SELECT seq, action FROM case_journal WHERE case_id = $1 ORDER BY seq', [caseId]);
    return rows;
  }

  async outbox(caseId: string): Promise<{ dedupe_key: string; recipient_role: string; kind: string; status: string; attempts: number; last_error: string | null }[]> {
    const { rows } = await this.db.query(
      'SELECT dedupe_key, recipient_role, kind, status, attempts, last_error FROM notification_outbox WHERE case_id = $1 ORDER BY id',
      [caseId],
    );
    return rows;
  }
}

/** A database of its own on the test PostgreSQL, without any schema (migration tests build theirs). */
export async function createEmptyDatabase(label: string): Promise<string> {
  const name = `buf_${label.toLowerCase().replace(/[^a-z0-9]+/g, '_')}_${randomUUID().slice(0, 8)}`;
  const admin = new Pool({ connectionString: testEnv('TEST_DATABASE_URL'), max: 1 });
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(testEnv('TEST_DATABASE_URL'));
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * A migrated, empty database of its own on the test PostgreSQL server, for a service whose
 * assertions other test files' workers would disturb (they all drain the one shared outbox).
 * Its case numbers start high so its workflow ids never meet the shared database's in the
 * shared Temporal server. Pass the URL as DATABASE_URL to ServiceUnderTest.start.
 */
export async function createIsolatedDatabase(label: string): Promise<string> {
  const url = new URL(await createEmptyDatabase(label));
  await runMigrations(url.toString());
  const db = new Pool({ connectionString: url.toString(), max: 1 });
  try {
    await db.query(`SELECT setval('case_number_seq', $1)`, [5_000_000 + Math.floor(Math.random() * 4_000_000)]);
  } finally {
    await db.end();
  }
  return url.toString();
}

/** Runs one of the service's entry points (e.g. `dist/apps/api/src/main.js`) that is expected to exit, with its output. */
export async function runUntilExit(entry: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [path.join(PROJECT_ROOT, entry)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, output };
}

export class Caller {
  constructor(
    /** The service (or anything that sends its requests, e.g. to one of several API instances). */
    private readonly service: Pick<ServiceUnderTest, 'request'>,
    readonly token: string,
  ) {}

  start(process: string, body: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
    return this.service.request('POST', `/api/v1/cases/${process}`, { token: this.token, body, headers });
  }

  act(caseId: string, action: string, body: unknown = {}, headers: Record<string, string> = {}): Promise<ApiResponse> {
    return this.service.request('POST', `/api/v1/cases/${caseId}/actions/${action}`, { token: this.token, body, headers });
  }

  get(urlPath: string): Promise<ApiResponse> {
    return this.service.request('GET', `/api/v1${urlPath}`, { token: this.token });
  }
}
