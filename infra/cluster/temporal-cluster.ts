import { type ChildProcess, execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Connection, type TLSConfig } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal as proto } from '@temporalio/proto';
import { Client as PgClient } from 'pg';
import { SEARCH_ATTRIBUTE_REGISTRATIONS } from '@buf/workflows/search-attributes';
import { freePort, freePortBelow, spawnLabelled, stopProcess, waitFor } from '../local/processes';
import { assertBinariesBuilt, TEMPORAL_BINARIES } from './binaries';

const run = promisify(execFile);

/** The four services of a Temporal cluster, each run as its own process. */
export const TEMPORAL_SERVICES = ['history', 'matching', 'frontend', 'worker'] as const;
export type TemporalService = (typeof TEMPORAL_SERVICES)[number];

export interface ClusterPorts {
  frontend: number;
  frontendHttp: number;
  history: number;
  matching: number;
  worker: number;
  /** Membership (ringpop) ports, one per service. */
  membership: Record<TemporalService, number>;
  /** Each service's Prometheus endpoint. */
  metrics: Record<TemporalService, number>;
  /** The Temporal UI server; undefined runs none. */
  ui?: number;
}

/** TLS on the frontend: the server's certificate, and with `clientCaFile` mutual TLS (clients need a certificate). */
export interface FrontendTls {
  caFile: string;
  certFile: string;
  keyFile: string;
  /** The name the frontend's certificate is issued for. */
  serverName: string;
  /** Require client certificates signed by this CA (mutual TLS, as Temporal Cloud does). */
  clientCaFile?: string;
  /** The certificate the cluster's own system worker and the UI server present when mutual TLS is on. */
  clientCertFile?: string;
  clientKeyFile?: string;
}

export interface ClusterOptions {
  /** The folder for the generated configuration (kept between runs by `npm run start:cluster`). */
  baseDir: string;
  /** A PostgreSQL superuser connection: `postgres://user:password@host:port/any-db`. */
  postgresUrl: string;
  namespace: string;
  /** Fixed ports (`npm run start:cluster`), or free ones when omitted (tests). */
  ports?: ClusterPorts;
  withUi?: boolean;
  /** Where the UI asks to decode payloads: the API's codec endpoint. */
  codecEndpoint?: string;
  historyShards?: number;
  /** Names Temporal's two databases `<name>` and `<name>_visibility` (default `temporal`), so two clusters can share a PostgreSQL. */
  databaseName?: string;
  tls?: FrontendTls;
  log: (line: string) => void;
}

export interface RunningCluster {
  /** host:port of the frontend, for clients and workers. */
  address: string;
  uiUrl?: string;
  ports: ClusterPorts;
  /** The TLS settings a client needs, when the frontend speaks TLS. */
  clientTls?: TLSConfig;
  /** SIGKILL (or stop) one service's process; `start` brings it back on the same ports. */
  kill(service: TemporalService, signal?: NodeJS.Signals): Promise<void>;
  start(service: TemporalService): Promise<void>;
  stop(): Promise<void>;
}

async function freeClusterPorts(withUi: boolean): Promise<ClusterPorts> {
  const ports = async () => Object.fromEntries(await Promise.all(TEMPORAL_SERVICES.map(async (s) => [s, await freePort()]))) as Record<TemporalService, number>;
  const rpc = await ports();
  return {
    frontend: rpc.frontend,
    frontendHttp: await freePort(),
    history: rpc.history,
    matching: rpc.matching,
    worker: rpc.worker,
    // Temporal stores membership ports as smallint: below 32768.
    membership: Object.fromEntries(await Promise.all(TEMPORAL_SERVICES.map(async (s) => [s, await freePortBelow(32_768)]))) as Record<TemporalService, number>,
    metrics: await ports(),
    ui: withUi ? await freePort() : undefined,
  };
}

/**
 * A Temporal cluster from the binaries build-temporal.sh built: persistence and visibility in
 * PostgreSQL (databases created and migrated with Temporal's SQL tool), frontend, history,
 * matching and the internal worker as separate processes on loopback, more than one history
 * shard, the namespace and the case search attributes registered through the API, and
 * optionally the Temporal UI server pointed at the frontend and the project's codec endpoint.
 */
export async function startTemporalCluster(options: ClusterOptions): Promise<RunningCluster> {
  assertBinariesBuilt();
  const { log } = options;
  const ports = options.ports ?? (await freeClusterPorts(options.withUi ?? false));
  const pg = new URL(options.postgresUrl);
  fs.mkdirSync(path.join(options.baseDir, 'config'), { recursive: true });

  const databases = { default: options.databaseName ?? 'temporal', visibility: `${options.databaseName ?? 'temporal'}_visibility` };
  await setUpDatabases(pg, databases, log);

  const configFor = (service: TemporalService) => serverConfig(options, ports, pg, databases, service);
  for (const service of TEMPORAL_SERVICES) {
    fs.writeFileSync(path.join(options.baseDir, 'config', `${service}.yaml`), JSON.stringify(configFor(service), null, 2));
  }
  fs.writeFileSync(path.join(options.baseDir, 'config', 'dynamicconfig.yaml'), JSON.stringify(DYNAMIC_CONFIG, null, 2));

  const processes = new Map<TemporalService | 'ui', ChildProcess>();
  const stopAll = async () => {
    // In the reverse order of starting: the UI, then the frontend and internal worker, then history and matching.
    for (const name of ['ui', 'worker', 'frontend', 'matching', 'history'] as const) {
      const child = processes.get(name);
      if (child) await stopProcess(child, 'SIGTERM', 20_000);
      processes.delete(name);
    }
  };
  const startService = async (service: TemporalService) => {
    const child = spawnLabelled(`temporal-${service}`, TEMPORAL_BINARIES.server, [
      '--root', options.baseDir, '--config', 'config', '--env', service, 'start', '--service', service,
    ], { cwd: options.baseDir, format: shortTemporalLogLine });
    processes.set(service, child);
    return child;
  };

  const address = `127.0.0.1:${ports.frontend}`;
  const clientTls: TLSConfig | undefined = options.tls
    ? {
        serverNameOverride: options.tls.serverName,
        serverRootCACertificate: fs.readFileSync(options.tls.caFile),
        ...(options.tls.clientCaFile && options.tls.clientCertFile && options.tls.clientKeyFile
          ? { clientCertPair: { crt: fs.readFileSync(options.tls.clientCertFile), key: fs.readFileSync(options.tls.clientKeyFile) } }
          : {}),
      }
    : undefined;

  try {
    // The first service writes the cluster's metadata; the others start once it is there (started
    // together, they race to write it and all but one exit).
    const [first, ...rest] = TEMPORAL_SERVICES;
    const firstChild = await startService(first);
    await waitFor('the cluster metadata', () => clusterMetadataWritten(pg, databases.default), 60_000, firstChild);
    for (const service of rest) await startService(service);
    log(`waiting for the Temporal frontend on ${address}`);
    await waitFor('Temporal frontend', () => frontendAnswers(address, clientTls), 120_000, processes.get('frontend'));
    await registerNamespace(address, clientTls, options.namespace, log);
    // A new namespace reaches every service's cache within seconds: until then the operator API answers "not found".
    await waitFor('the case search attributes', () => registerSearchAttributes(address, clientTls, options.namespace, log), 60_000);

    let uiUrl: string | undefined;
    if (ports.ui) {
      fs.writeFileSync(path.join(options.baseDir, 'config', 'ui.yaml'), JSON.stringify(uiConfig(options, ports), null, 2));
      const ui = spawnLabelled('temporal-ui', TEMPORAL_BINARIES.uiServer, ['--root', options.baseDir, '--config', 'config', '--env', 'ui', 'start'], {
        cwd: options.baseDir,
        // The UI server's banner and one line per request are noise here; its errors and its address are not.
        format: (line) => (/started on|"error":"[^"]|fatal|panic/i.test(line) ? line : undefined),
      });
      processes.set('ui', ui);
      uiUrl = `http://127.0.0.1:${ports.ui}`;
      await waitFor('Temporal UI', async () => (await fetch(`${uiUrl}/api/v1/settings`)).ok, 60_000, ui);
    }
    return {
      address,
      uiUrl,
      ports,
      clientTls,
      async kill(service, signal = 'SIGKILL') {
        const child = processes.get(service);
        if (child) await stopProcess(child, signal, 20_000);
        processes.delete(service);
      },
      async start(service) {
        if (processes.has(service)) throw new Error(`temporal-${service} is running`);
        const child = await startService(service);
        if (service === 'frontend') await waitFor('Temporal frontend', () => frontendAnswers(address, clientTls), 120_000, child);
      },
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** Dynamic configuration: search attributes usable as soon as they are registered. */
const DYNAMIC_CONFIG = {
  'system.forceSearchAttributesCacheRefreshOnRead': [{ value: true, constraints: {} }],
};

function serverConfig(options: ClusterOptions, ports: ClusterPorts, pg: URL, databases: { default: string; visibility: string }, service: TemporalService) {
  const store = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `${pg.hostname}:${pg.port}`,
      connectProtocol: 'tcp',
      user: decodeURIComponent(pg.username),
      password: decodeURIComponent(pg.password),
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const rpc = (grpcPort: number, membershipPort: number, extra: object = {}) => ({ rpc: { grpcPort, membershipPort, bindOnLocalHost: true, ...extra } });
  const tls = options.tls;
  return {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      // Fixed for the life of a cluster's database: the number of history shards cannot change.
      numHistoryShards: options.historyShards ?? 4,
      datastores: { 'postgres-default': store(databases.default, 20), 'postgres-visibility': store(databases.visibility, 5) },
    },
    global: {
      membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' },
      metrics: { prometheus: { framework: 'tally', timerType: 'histogram', listenAddress: `127.0.0.1:${ports.metrics[service]}` } },
      ...(tls
        ? {
            tls: {
              frontend: {
                server: {
                  certFile: tls.certFile,
                  keyFile: tls.keyFile,
                  ...(tls.clientCaFile ? { requireClientAuth: true, clientCaFiles: [tls.clientCaFile] } : {}),
                },
                client: { serverName: tls.serverName, rootCaFiles: [tls.caFile] },
              },
              systemWorker: {
                ...(tls.clientCertFile && tls.clientKeyFile ? { certFile: tls.clientCertFile, keyFile: tls.clientKeyFile } : {}),
                client: { serverName: tls.serverName, rootCaFiles: [tls.caFile] },
              },
            },
          }
        : {}),
    },
    services: {
      frontend: rpc(ports.frontend, ports.membership.frontend, { httpPort: ports.frontendHttp }),
      history: rpc(ports.history, ports.membership.history),
      matching: rpc(ports.matching, ports.membership.matching),
      worker: rpc(ports.worker, ports.membership.worker),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: { active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: `127.0.0.1:${ports.frontend}` } },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    dynamicConfigClient: { filepath: path.join(options.baseDir, 'config', 'dynamicconfig.yaml'), pollInterval: '10s' },
  };
}

function uiConfig(options: ClusterOptions, ports: ClusterPorts) {
  const tls = options.tls;
  return {
    temporalGrpcAddress: `127.0.0.1:${ports.frontend}`,
    host: '127.0.0.1',
    port: ports.ui,
    enableUi: true,
    defaultNamespace: options.namespace,
    disableNewsFetch: true,
    cors: { allowOrigins: [`http://127.0.0.1:${ports.ui}`, `http://localhost:${ports.ui}`], cookieInsecure: true },
    ...(options.codecEndpoint ? { codec: { endpoint: options.codecEndpoint, passAccessToken: false, includeCredentials: true } } : {}),
    ...(tls
      ? { tls: { caFile: tls.caFile, serverName: tls.serverName, enableHostVerification: true, ...(tls.clientCertFile ? { certFile: tls.clientCertFile, keyFile: tls.clientKeyFile } : {}) } }
      : {}),
  };
}

/** Temporal's two databases, created and migrated to the tool's newest schema with its SQL tool. */
async function setUpDatabases(pg: URL, databases: { default: string; visibility: string }, log: (line: string) => void): Promise<void> {
  const admin = new PgClient({ connectionString: pg.toString() });
  await admin.connect();
  const exists = async (db: string) => (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [db])).rowCount === 1;
  const base = ['--plugin', 'postgres12', '--ep', pg.hostname, '-p', pg.port, '-u', decodeURIComponent(pg.username), '--pw', decodeURIComponent(pg.password)];
  try {
    for (const [db, schema] of [[databases.default, 'temporal'], [databases.visibility, 'visibility']] as const) {
      const tool = (...args: string[]) => run(TEMPORAL_BINARIES.sqlTool, [...base, '--db', db, ...args], { maxBuffer: 16 * 1024 * 1024 });
      if (!(await exists(db))) {
        log(`creating the database ${db} and Temporal's ${schema} schema`);
        await tool('create');
        await tool('setup-schema', '-v', '0.0');
      }
      await tool('update-schema', '--schema-name', `postgresql/v12/${schema}`);
    }
  } finally {
    await admin.end();
  }
}

async function clusterMetadataWritten(pg: URL, database: string): Promise<boolean> {
  const url = new URL(pg.toString());
  url.pathname = `/${database}`;
  const client = new PgClient({ connectionString: url.toString() });
  await client.connect();
  try {
    return ((await client.query('SELECT 1 FROM cluster_metadata_info')).rowCount ?? 0) > 0;
  } finally {
    await client.end();
  }
}

/** Temporal's JSON log lines in short (level, message, error; no stack traces); its config-loading chatter dropped. */
function shortTemporalLogLine(line: string): string | undefined {
  if (!line.startsWith('{')) return /Loading config/.test(line) ? undefined : line;
  try {
    const entry = JSON.parse(line) as { level?: string; msg?: string; error?: string };
    if (/--allow-no-auth/.test(entry.msg ?? '')) return undefined;
    return `${entry.level ?? ''} ${entry.msg ?? ''}${entry.error ? `: ${entry.error}` : ''}`;
  } catch {
    return line;
  }
}

async function frontendAnswers(address: string, tls: TLSConfig | undefined): Promise<boolean> {
  const connection = await Connection.connect({ address, tls, connectTimeout: '1 second' });
  try {
    await connection.workflowService.getSystemInfo({});
    return true;
  } finally {
    await connection.close();
  }
}

async function registerNamespace(address: string, tls: TLSConfig | undefined, namespace: string, log: (line: string) => void): Promise<void> {
  const connection = await Connection.connect({ address, tls });
  try {
    const known = await connection.workflowService.describeNamespace({ namespace }).then(() => true, () => false);
    if (known) return;
    log(`registering the namespace ${namespace}`);
    await connection.workflowService.registerNamespace({
      namespace,
      // How long Temporal keeps a closed case's history; the case file and journal stay in PostgreSQL.
      workflowExecutionRetentionPeriod: msToTs('30 days'),
    });
    await waitFor(`namespace ${namespace}`, async () => {
      await connection.workflowService.describeNamespace({ namespace });
      return true;
    }, 60_000);
  } finally {
    await connection.close();
  }
}

const INDEXED_VALUE_TYPE: Record<string, proto.api.enums.v1.IndexedValueType> = {
  Keyword: proto.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  Bool: proto.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  Datetime: proto.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  Int: proto.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT,
  Double: proto.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  Text: proto.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  KeywordList: proto.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

/** The case search attributes (SEARCH_ATTRIBUTE_REGISTRATIONS, the one list) through the operator API, those missing only; true once all are there. */
async function registerSearchAttributes(address: string, tls: TLSConfig | undefined, namespace: string, log: (line: string) => void): Promise<boolean> {
  const connection = await Connection.connect({ address, tls });
  try {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    const searchAttributes: Record<string, proto.api.enums.v1.IndexedValueType> = {};
    for (const [name, type] of SEARCH_ATTRIBUTE_REGISTRATIONS.map((pair) => pair.split('='))) {
      if (customAttributes && name in customAttributes) continue;
      const indexed = INDEXED_VALUE_TYPE[type];
      if (indexed === undefined) throw new Error(`No indexed value type for the search attribute ${name} (${type})`);
      searchAttributes[name] = indexed;
    }
    if (Object.keys(searchAttributes).length === 0) return true;
    log(`registering the search attributes ${Object.keys(searchAttributes).join(', ')}`);
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
    return false;
  } finally {
    await connection.close();
  }
}
