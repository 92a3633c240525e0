import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { IsIn, IsInt, IsIP, IsOptional, IsString, Matches, Max, Min, getMetadataStorage, validateSync } from 'class-validator';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AREA_NAME, COMPLAINT_BASELINE_DATE, type CasePolicy, type ComplaintBaseline, DEFAULT_POLICY, ROLES, type Role } from '@buf/domain';

/** Where the embedded runtime keeps its state (git-ignored). */
export const PROJECT_ROOT = findProjectRoot(__dirname);

function findProjectRoot(from: string): string {
  let dir = from;
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}
export const DATA_DIR = path.join(PROJECT_ROOT, '.data');

/**
 * Open cases a worker keeps in its sticky cache. Measured with `npm run bench` at 10,000 open cases:
 * 250 held the worker at 538 MB, 50 at 382 MB, with the same timer lateness; a case outside the
 * cache is replayed from its short history when its next step or deadline comes.
 */
export const DEFAULT_MAX_CACHED_WORKFLOWS = 50;
/** MB of old-generation V8 heap for the worker's workflow thread (see AppConfig.workflowHeapMb). */
export const DEFAULT_WORKFLOW_HEAP_MB = 128;

export const EMBEDDED_DEFAULTS = {
  postgresPort: 54329,
  databaseUrl: 'postgres://postgres:postgres@127.0.0.1:54329/buf',
  temporalAddress: '127.0.0.1:7233',
  temporalUiPort: 8233,
  apiPort: 3000,
  /** `npm start` gives the worker's /metrics this port (WORKER_METRICS_PORT; off unless set). */
  workerMetricsPort: 9464,
} as const;

class EnvironmentVariables {
  @IsOptional() @IsIn(['development', 'test', 'production'])
  NODE_ENV?: string;

  @IsOptional() @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  @IsOptional() @Matches(/^[^\s:]+:\d+$/, { message: 'TEMPORAL_ADDRESS must be host:port' })
  TEMPORAL_ADDRESS?: string;

  @IsOptional() @IsString()
  TEMPORAL_NAMESPACE?: string;

  @IsOptional() @Matches(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, { message: 'TEMPORAL_UI_URL must be an http(s) address' })
  TEMPORAL_UI_URL?: string;

  @IsOptional() @IsString()
  TEMPORAL_TASK_QUEUE?: string;

  /** TLS to the Temporal frontend (a self-hosted cluster with TLS, or Temporal Cloud); on by itself with any setting below. */
  @IsOptional() @IsIn(['true', 'false'], { message: 'TEMPORAL_TLS must be true or false' })
  TEMPORAL_TLS?: string;

  /** The CA that signed the frontend's certificate (default: the system's CAs, as for Temporal Cloud). */
  @IsOptional() @IsString()
  TEMPORAL_TLS_CA_FILE?: string;

  /** The client certificate and key for mutual TLS (Temporal Cloud with mTLS, or a cluster requiring client certificates). */
  @IsOptional() @IsString()
  TEMPORAL_TLS_CERT_FILE?: string;

  @IsOptional() @IsString()
  TEMPORAL_TLS_KEY_FILE?: string;

  /** The name the frontend's certificate is issued for, when it is not the host in TEMPORAL_ADDRESS. */
  @IsOptional() @IsString()
  TEMPORAL_TLS_SERVER_NAME?: string;

  /** A Temporal Cloud API key (implies TLS). */
  @IsOptional() @IsString()
  TEMPORAL_API_KEY?: string;

  @IsOptional() @IsInt() @Min(0) @Max(65535)
  PORT?: number;

  @IsOptional() @IsIP(undefined, { message: 'HOST must be an IP address (0.0.0.0: every interface, as in a container)' })
  HOST?: string;

  @IsOptional() @Matches(/^smtps?:\/\//, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  @IsOptional() @IsString()
  MAIL_FROM?: string;

  @IsOptional() @IsString()
  AREAS?: string;

  @IsOptional() @IsString()
  NOTIFICATION_ADDRESSES?: string;

  @IsOptional() @IsString()
  NOTIFICATION_DIRECTORY?: string;

  @IsOptional() @IsString()
  COMPLAINT_BASELINE?: string;

  @IsOptional() @IsString()
  CASE_POLICY?: string;

  @IsOptional() @IsString()
  AUTH_DEV_KEY_FILE?: string;

  @IsOptional() @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;

  @IsOptional() @IsString()
  WORKFLOW_BUNDLE_PATH?: string;

  @IsOptional() @IsInt() @Min(50)
  OUTBOX_POLL_MS?: number;

  @IsOptional() @IsInt() @Min(1)
  WORKER_MAX_CACHED_WORKFLOWS?: number;

  @IsOptional() @IsInt() @Min(128)
  WORKER_WORKFLOW_HEAP_MB?: number;

  /** Worker Deployment Versioning: this worker's build (e.g. the image tag); unset, the worker is unversioned. */
  @IsOptional() @Matches(/^[A-Za-z0-9._-]{1,64}$/, { message: 'WORKER_BUILD_ID must be 1–64 letters, digits, dots, hyphens or underscores' })
  WORKER_BUILD_ID?: string;

  @IsOptional() @Matches(/^[A-Za-z0-9._-]{1,64}$/, { message: 'WORKER_DEPLOYMENT_NAME must be 1–64 letters, digits, dots, hyphens or underscores' })
  WORKER_DEPLOYMENT_NAME?: string;

  @IsOptional() @IsString()
  PAYLOAD_ENCRYPTION_KEYS?: string;

  @IsOptional() @IsString()
  PAYLOAD_ENCRYPTION_KEY_ID?: string;

  @IsOptional() @IsString()
  PAYLOAD_KEY_FILE?: string;

  @IsOptional() @Matches(/^https?:\/\//, { message: 'AUTH_ISSUER must be an http(s) URL' })
  AUTH_ISSUER?: string;

  @IsOptional() @IsString()
  AUTH_AUDIENCE?: string;

  @IsOptional() @Matches(/^https?:\/\//, { message: 'AUTH_JWKS_URL must be an http(s) URL' })
  AUTH_JWKS_URL?: string;

  @IsOptional() @IsString()
  AUTH_GROUPS_CLAIM?: string;

  @IsOptional() @Matches(/^[\x21-\x7e]{1,255}$/, { message: 'AUTH_CLIENT_ID must be printable ASCII without spaces' })
  AUTH_CLIENT_ID?: string;

  @IsOptional() @IsString()
  AUTH_CLIENT_SECRET?: string;

  @IsOptional() @Matches(/^https?:\/\/[^\s]+$/, { message: 'AUTH_REDIRECT_URL must be an http(s) URL' })
  AUTH_REDIRECT_URL?: string;

  @IsOptional() @Matches(/^https?:\/\/[^\s/]+\/?$/, { message: 'PUBLIC_URL must be an http(s) URL with no path (e.g. https://sagsflow.buf.kk.dk)' })
  PUBLIC_URL?: string;

  @IsOptional() @IsString()
  AUTH_ROLE_MAPPING?: string;

  @IsOptional() @IsString()
  CORS_ORIGINS?: string;

  @IsOptional() @IsInt() @Min(1)
  RATE_LIMIT_PER_MINUTE?: number;

  @IsOptional() @IsInt() @Min(1)
  AUTH_FAILURES_PER_MINUTE?: number;

  @IsOptional() @IsString()
  CODEC_ROLES?: string;

  @IsOptional() @IsIn(['on', 'off'], { message: 'CODEC_SESSIONS must be on or off' })
  CODEC_SESSIONS?: string;

  @IsOptional() @Matches(/^https?:\/\/[^\s]+$/, { message: 'OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL' })
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;

  @IsOptional() @Matches(/^https?:\/\/[^\s]+$/, { message: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT must be an http(s) URL' })
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string;

  @IsOptional() @Matches(/^[\x21-\x7e]{1,100}$/, { message: 'OTEL_SERVICE_NAME must be printable ASCII without spaces' })
  OTEL_SERVICE_NAME?: string;

  @IsOptional() @IsInt() @Min(0) @Max(65535)
  WORKER_METRICS_PORT?: number;

  @IsOptional() @IsIn(['json', 'pretty'], { message: 'LOG_FORMAT must be json or pretty' })
  LOG_FORMAT?: string;
}

/**
 * Every environment variable the service reads (each is a property of EnvironmentVariables): the
 * deployment files may set these and no others (test/infra checks them).
 */
export const CONFIG_VARIABLES: readonly string[] = [
  ...new Set(getMetadataStorage().getTargetValidationMetadatas(EnvironmentVariables, '', true, false).map((m) => m.propertyName)),
];

/** Production identity: OIDC bearer tokens verified against the issuer's JWKS. */
export interface OidcConfig {
  issuer: string;
  audience: string;
  jwksUrl: string;
  /** The claim that lists the identity provider's groups, mapped to the service's roles. */
  groupsClaim: string;
  roleMapping: Record<string, Role>;
  /**
   * The staff web app as this provider's client (authorization code with PKCE): without it the
   * web app offers no sign-in (the API still takes the provider's bearer tokens).
   */
  webClient?: OidcWebClient;
}

/** The web app's registration at the identity provider. */
export interface OidcWebClient {
  clientId: string;
  /** A confidential client's secret (sent with HTTP Basic at the token endpoint); none for a public client. */
  clientSecret?: string;
  /** Where the provider sends the browser back: `/auth/callback` of this service, as registered at the provider. */
  redirectUrl: string;
}

/** Where the service reaches Temporal, and how: plain on loopback (embedded default), TLS, mutual TLS, or an API key (Temporal Cloud). */
export interface TemporalSettings {
  address: string;
  namespace: string;
  taskQueue: string;
  /** Absent: plaintext. Files are PEM; none given means TLS with the system's CAs. */
  tls?: { caFile?: string; certFile?: string; keyFile?: string; serverName?: string };
  apiKey?: string;
}

/** Where the payload-encryption keys come from: configuration, or (embedded default) a local file. */
export type EncryptionKeySource =
  | { kind: 'configured'; currentKeyId: string; keys: Record<string, string> }
  | { kind: 'local-file'; file: string; keyId: string };

export interface AppConfig {
  nodeEnv: 'development' | 'test' | 'production';
  databaseUrl: string;
  temporal: TemporalSettings;
  port: number;
  /** The address the API listens on (HOST): loopback by default, every interface in a container. */
  host: string;
  smtpUrl?: string;
  mailFrom: string;
  /**
   * The områdeforvaltninger and centres (AREAS): every field that is an area (a case's `area`, the
   * list filter) accepts these names only, and the directory and the baseline name no others.
   */
  areas: readonly string[];
  notificationAddresses: Record<Role, string>;
  /**
   * People found by function and place rather than by role: each area's representative in the
   * legal network, each unit's institution leader and cluster leader. A person missing here is
   * reached through their role's address (`notificationAddresses`).
   */
  notificationDirectory: NotificationDirectory;
  /** The complaint baseline of 1 September 2021: a count per area. */
  complaintBaseline: ComplaintBaseline;
  policy: CasePolicy;
  devKeyFile: string;
  logLevel: string;
  workflowBundlePath?: string;
  outboxPollMs: number;
  /**
   * Open cases the worker keeps in memory between their steps; the others are replayed from
   * their (short) histories when a step or a deadline comes. Caps the worker's memory, which
   * the SDK would otherwise size from what the machine has.
   */
  maxCachedWorkflows: number;
  /**
   * The old-generation size (MB) of the V8 heap the workflows run in (the SDK's workflow thread).
   * Unbounded, V8 lets that heap fill with garbage toward a quarter of the machine's memory before
   * it collects, so the worker's memory grows with every case it runs although what it holds
   * (the cached workflows) does not; bounded, V8 collects sooner. See docs/benchmarks.md.
   */
  workflowHeapMb: number;
  /**
   * Worker Deployment Versioning (WORKER_BUILD_ID): a case runs to its end on the build it started
   * on (pinned), so a deploy of new workflow code never replays an open case on code it did not
   * start with; Temporal sends new cases to the deployment's current version.
   */
  workerVersion?: { deploymentName: string; buildId: string };
  encryption: EncryptionKeySource;
  /** Undefined: the embedded default's dev tokens (refused with NODE_ENV=production). */
  oidc?: OidcConfig;
  /** Origins allowed by CORS; empty: CORS closed. */
  corsOrigins: string[];
  rateLimitPerMinute: number;
  /** Refused credentials (401) per client address per minute; beyond it, 429 until the minute is over. */
  authFailuresPerMinute: number;
  /** Roles whose holders may read case content in the Temporal UI through the codec endpoint. */
  codecRoles: Role[];
  /** The Temporal UI's address (TEMPORAL_UI_URL; default the embedded dev server's): the web app links a case there for codec roles. */
  temporalUiUrl: string;
  /**
   * Whether the codec endpoint also accepts a session cookie set at /codec/session, for a
   * Temporal UI without a login of its own (the dev server's); default on outside production.
   */
  codecSessions: boolean;
  telemetry: TelemetryConfig;
}

/**
 * Traces, metrics and the log format. Tracing is off unless an OTLP endpoint is configured (the
 * standard OpenTelemetry variables); the worker serves /metrics only on WORKER_METRICS_PORT.
 */
export interface TelemetryConfig {
  /** Where spans go (OTLP over HTTP, JSON): OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, or OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces. */
  tracesEndpoint?: string;
  /** OTEL_SERVICE_NAME; undefined: each process names itself (buf-case-workflows-api, -worker). */
  serviceName?: string;
  workerMetricsPort?: number;
  /** `pretty`: short coloured lines for a person at a terminal; `json`: one JSON object a line (tests, production). */
  logFormat: 'json' | 'pretty';
}

export class ConfigError extends Error {}

export interface NotificationDirectory {
  areas: Record<string, { representative?: string }>;
  units: Record<string, { 'institution-leader'?: string; 'cluster-leader'?: string }>;
}

/** The five områdeforvaltninger of the demo data (PROCESSES.md: their names are configuration). */
export const DEFAULT_AREAS: readonly string[] = ['nord', 'syd', 'oest', 'vest', 'midtby'];

/** Without NOTIFICATION_DIRECTORY: each configured area with its representative's mailbox (the demo's). */
function defaultNotificationDirectory(areas: readonly string[]): NotificationDirectory {
  return { areas: Object.fromEntries(areas.map((a) => [a, { representative: `juridisk-netvaerk-${a}@buf.example.dk` }])), units: {} };
}

/** AREAS: the area names, comma-separated (`nord,syd,oest,vest,midtby`); default: the demo areas. */
function configuredAreas(raw: string | undefined, errors: string[]): readonly string[] {
  if (raw === undefined) return DEFAULT_AREAS;
  const names = raw.split(',').map((a) => a.trim());
  if (names.every((a) => a === '')) errors.push('AREAS must name at least one area');
  for (const name of names.filter((a, i) => names.indexOf(a) !== i)) errors.push(`AREAS names ${name} twice`);
  for (const name of names) if (!AREA_NAME.test(name)) errors.push(`AREAS: "${name}" is not an area name (letters, digits and hyphens, at most 50 characters)`);
  return names;
}

const ADDRESS = /^[^\s@]+@[^\s@]+$/;

/** NOTIFICATION_DIRECTORY: `{"areas": {AREA: {"representative": ADDRESS}}, "units": {UNIT: {"institution-leader": ADDRESS, "cluster-leader": ADDRESS}}}`. */
function notificationDirectory(raw: string | undefined, areas: readonly string[], errors: string[]): NotificationDirectory {
  const parsed = parseJson<Record<string, unknown>>('NOTIFICATION_DIRECTORY', raw, errors);
  if (parsed === undefined) return defaultNotificationDirectory(areas);
  const fields = { areas: ['representative'], units: ['institution-leader', 'cluster-leader'] } as const;
  const directory: NotificationDirectory = { areas: {}, units: {} };
  for (const [section, entries] of Object.entries(parsed ?? {})) {
    if (!(section in fields)) {
      errors.push(`NOTIFICATION_DIRECTORY has an unknown section: ${section} (known: areas, units)`);
      continue;
    }
    const known = fields[section as keyof typeof fields] as readonly string[];
    for (const [name, entry] of Object.entries((entries ?? {}) as Record<string, Record<string, unknown>>)) {
      for (const [field, address] of Object.entries(entry ?? {})) {
        if (!known.includes(field)) errors.push(`NOTIFICATION_DIRECTORY.${section}.${name} has an unknown field: ${field} (known: ${known.join(', ')})`);
        else if (typeof address !== 'string' || !ADDRESS.test(address)) errors.push(`NOTIFICATION_DIRECTORY.${section}.${name}.${field} must be an e-mail address`);
      }
      (directory[section as keyof NotificationDirectory] as Record<string, object>)[name] = entry;
    }
  }
  return directory;
}

/** COMPLAINT_BASELINE: `{"counts": {AREA: COUNT}}`, optionally `"date": "2021-09-01"`; default: no counts. */
function complaintBaseline(raw: string | undefined, errors: string[]): ComplaintBaseline {
  const parsed = parseJson<{ date?: unknown; counts?: unknown }>('COMPLAINT_BASELINE', raw, errors) ?? {};
  const date = parsed.date ?? COMPLAINT_BASELINE_DATE;
  if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(date))) {
    errors.push('COMPLAINT_BASELINE.date must be a date (YYYY-MM-DD)');
  }
  const counts = (parsed.counts ?? {}) as Record<string, unknown>;
  if (typeof counts !== 'object' || Array.isArray(counts)) errors.push('COMPLAINT_BASELINE.counts must map each area to its count');
  for (const [area, count] of Object.entries(counts)) {
    if (!Number.isInteger(count) || (count as number) < 0) errors.push(`COMPLAINT_BASELINE.counts.${area} must be a whole number ≥ 0`);
  }
  return { date: String(date), counts: counts as Record<string, number> };
}

function parseJson<T>(name: string, raw: string | undefined, errors: string[]): T | undefined {
  if (raw === undefined || raw === '') return undefined;
  try {
    return JSON.parse(raw) as T;
  } catch {
    errors.push(`${name} must be valid JSON`);
    return undefined;
  }
}

function mergePolicy(overrides: Partial<CasePolicy> | undefined): CasePolicy {
  if (!overrides) return DEFAULT_POLICY;
  const merged: Record<string, unknown> = {};
  for (const [section, defaults] of Object.entries(DEFAULT_POLICY)) {
    merged[section] = { ...defaults, ...(overrides as Record<string, object | undefined>)[section] };
  }
  return merged as unknown as CasePolicy;
}

/** Reads and validates the environment once; every problem is reported in one message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const raw = plainToInstance(EnvironmentVariables, env, { enableImplicitConversion: true, excludeExtraneousValues: false });
  for (const key of ['PORT', 'OUTBOX_POLL_MS', 'RATE_LIMIT_PER_MINUTE', 'AUTH_FAILURES_PER_MINUTE', 'WORKER_MAX_CACHED_WORKFLOWS', 'WORKER_WORKFLOW_HEAP_MB', 'WORKER_METRICS_PORT'] as const) {
    if (env[key] !== undefined) (raw as unknown as Record<string, unknown>)[key] = Number(env[key]);
  }
  const errors = validateSync(raw, { skipMissingProperties: true }).flatMap((e) => Object.values(e.constraints ?? {}));
  const addresses = parseJson<Partial<Record<Role, string>>>('NOTIFICATION_ADDRESSES', env.NOTIFICATION_ADDRESSES, errors) ?? {};
  for (const role of Object.keys(addresses)) {
    if (!(ROLES as readonly string[]).includes(role)) errors.push(`NOTIFICATION_ADDRESSES names an unknown role: ${role}`);
  }
  const areas = configuredAreas(raw.AREAS, errors);
  const directory = notificationDirectory(env.NOTIFICATION_DIRECTORY, areas, errors);
  const baseline = complaintBaseline(env.COMPLAINT_BASELINE, errors);
  for (const area of Object.keys(directory.areas)) if (!areas.includes(area)) errors.push(`NOTIFICATION_DIRECTORY.areas.${area} is not one of the AREAS`);
  for (const area of Object.keys(baseline.counts)) if (!areas.includes(area)) errors.push(`COMPLAINT_BASELINE.counts.${area} is not one of the AREAS`);
  const policy = parseJson<Partial<CasePolicy>>('CASE_POLICY', env.CASE_POLICY, errors);
  for (const section of Object.keys(policy ?? {})) {
    if (!(section in DEFAULT_POLICY)) errors.push(`CASE_POLICY has an unknown section: ${section} (known: ${Object.keys(DEFAULT_POLICY).join(', ')})`);
  }
  const encryption = encryptionKeys(env, raw, errors);
  const oidc = oidcConfig(raw, errors, env.NODE_ENV === 'production');
  const codecRoles = (raw.CODEC_ROLES ?? 'ledelsessekretariat,direktion').split(',').map((r) => r.trim()).filter(Boolean);
  for (const role of codecRoles) if (!(ROLES as readonly string[]).includes(role)) errors.push(`CODEC_ROLES names an unknown role: ${role}`);
  if (!oidc && env.NODE_ENV === 'production') {
    errors.push('AUTH_ISSUER, AUTH_AUDIENCE and AUTH_JWKS_URL are required with NODE_ENV=production (dev tokens are refused)');
  }
  const temporalSecurity = temporalSecurityOf(raw, errors);
  if (errors.length > 0) {
    throw new ConfigError(`Invalid configuration:\n  - ${errors.join('\n  - ')}`);
  }
  const defaultAddresses = Object.fromEntries(ROLES.map((r) => [r, `${r}@buf.example.dk`])) as Record<Role, string>;
  return {
    nodeEnv: (raw.NODE_ENV as AppConfig['nodeEnv']) ?? 'development',
    databaseUrl: raw.DATABASE_URL ?? EMBEDDED_DEFAULTS.databaseUrl,
    temporal: {
      address: raw.TEMPORAL_ADDRESS ?? EMBEDDED_DEFAULTS.temporalAddress,
      namespace: raw.TEMPORAL_NAMESPACE ?? 'default',
      taskQueue: raw.TEMPORAL_TASK_QUEUE ?? 'buf-cases',
      ...temporalSecurity,
    },
    port: raw.PORT ?? EMBEDDED_DEFAULTS.apiPort,
    host: raw.HOST ?? '127.0.0.1',
    ...(raw.SMTP_URL ? { smtpUrl: raw.SMTP_URL } : {}),
    mailFrom: raw.MAIL_FROM ?? 'sagsflow@buf.example.dk',
    areas,
    notificationAddresses: { ...defaultAddresses, ...addresses },
    notificationDirectory: directory,
    complaintBaseline: baseline,
    policy: mergePolicy(policy),
    devKeyFile: raw.AUTH_DEV_KEY_FILE ?? path.join(DATA_DIR, 'dev-auth', 'token-secret'),
    logLevel: raw.LOG_LEVEL ?? 'info',
    ...(raw.WORKFLOW_BUNDLE_PATH ? { workflowBundlePath: raw.WORKFLOW_BUNDLE_PATH } : {}),
    outboxPollMs: raw.OUTBOX_POLL_MS ?? 1_000,
    maxCachedWorkflows: raw.WORKER_MAX_CACHED_WORKFLOWS ?? DEFAULT_MAX_CACHED_WORKFLOWS,
    workflowHeapMb: raw.WORKER_WORKFLOW_HEAP_MB ?? DEFAULT_WORKFLOW_HEAP_MB,
    ...(raw.WORKER_BUILD_ID ? { workerVersion: { deploymentName: raw.WORKER_DEPLOYMENT_NAME ?? 'buf-case-workflows', buildId: raw.WORKER_BUILD_ID } } : {}),
    encryption,
    ...(oidc ? { oidc } : {}),
    corsOrigins: (raw.CORS_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean),
    rateLimitPerMinute: raw.RATE_LIMIT_PER_MINUTE ?? 600,
    authFailuresPerMinute: raw.AUTH_FAILURES_PER_MINUTE ?? 30,
    codecRoles: codecRoles as Role[],
    temporalUiUrl: (raw.TEMPORAL_UI_URL ?? `http://127.0.0.1:${EMBEDDED_DEFAULTS.temporalUiPort}`).replace(/\/+$/, ''),
    codecSessions: (raw.CODEC_SESSIONS ?? (env.NODE_ENV === 'production' ? 'off' : 'on')) === 'on',
    telemetry: telemetryConfig(raw),
  };
}

function telemetryConfig(raw: EnvironmentVariables): TelemetryConfig {
  const base = raw.OTEL_EXPORTER_OTLP_ENDPOINT?.replace(/\/+$/, '');
  const tracesEndpoint = raw.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (base ? `${base}/v1/traces` : undefined);
  return {
    ...(tracesEndpoint ? { tracesEndpoint } : {}),
    ...(raw.OTEL_SERVICE_NAME ? { serviceName: raw.OTEL_SERVICE_NAME } : {}),
    ...(raw.WORKER_METRICS_PORT !== undefined ? { workerMetricsPort: raw.WORKER_METRICS_PORT } : {}),
    // Pretty only for a person: LOG_FORMAT=pretty, or a terminal and no LOG_FORMAT.
    logFormat: (raw.LOG_FORMAT ?? (process.stdout.isTTY ? 'pretty' : 'json')) as TelemetryConfig['logFormat'],
  };
}

function oidcConfig(raw: EnvironmentVariables, errors: string[], production: boolean): OidcConfig | undefined {
  const set = [raw.AUTH_ISSUER, raw.AUTH_AUDIENCE, raw.AUTH_JWKS_URL].filter(Boolean).length;
  if (set === 0) {
    if (raw.AUTH_CLIENT_ID || raw.AUTH_CLIENT_SECRET || raw.AUTH_REDIRECT_URL) errors.push('AUTH_CLIENT_ID, AUTH_CLIENT_SECRET and AUTH_REDIRECT_URL need an identity provider (AUTH_ISSUER, AUTH_AUDIENCE, AUTH_JWKS_URL)');
    return undefined;
  }
  if (set < 3) {
    errors.push('AUTH_ISSUER, AUTH_AUDIENCE and AUTH_JWKS_URL go together: set all three');
    return undefined;
  }
  // The signing keys decide who anybody is: in production they come over TLS only.
  if (production && !/^https:\/\//i.test(raw.AUTH_JWKS_URL as string)) errors.push('AUTH_JWKS_URL must be an https URL with NODE_ENV=production');
  const mapping = parseJson<Record<string, string>>('AUTH_ROLE_MAPPING', raw.AUTH_ROLE_MAPPING, errors) ?? {};
  for (const [group, role] of Object.entries(mapping)) {
    if (!(ROLES as readonly string[]).includes(role)) errors.push(`AUTH_ROLE_MAPPING maps ${group} to an unknown role: ${role}`);
  }
  const webClient = oidcWebClient(raw, errors, production);
  return {
    issuer: raw.AUTH_ISSUER as string,
    audience: raw.AUTH_AUDIENCE as string,
    jwksUrl: raw.AUTH_JWKS_URL as string,
    groupsClaim: raw.AUTH_GROUPS_CLAIM ?? 'groups',
    roleMapping: mapping as Record<string, Role>,
    ...(webClient ? { webClient } : {}),
  };
}

/** Loopback addresses: the only place a redirect may come back over plain http in production. */
const LOOPBACK = /^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/i;

/**
 * AUTH_CLIENT_ID (and AUTH_CLIENT_SECRET for a confidential client): the web app signs in with
 * the provider; it comes back to AUTH_REDIRECT_URL, or to PUBLIC_URL + /auth/callback.
 */
function oidcWebClient(raw: EnvironmentVariables, errors: string[], production: boolean): OidcWebClient | undefined {
  if (!raw.AUTH_CLIENT_ID) {
    if (raw.AUTH_CLIENT_SECRET || raw.AUTH_REDIRECT_URL) errors.push('AUTH_CLIENT_SECRET and AUTH_REDIRECT_URL need AUTH_CLIENT_ID');
    return undefined;
  }
  const redirectUrl = raw.AUTH_REDIRECT_URL ?? (raw.PUBLIC_URL ? `${raw.PUBLIC_URL.replace(/\/$/, '')}/auth/callback` : undefined);
  if (!redirectUrl) {
    errors.push('AUTH_CLIENT_ID needs AUTH_REDIRECT_URL or PUBLIC_URL (where the identity provider sends the browser back)');
    return undefined;
  }
  // The code travels in the redirect: in production only over TLS (or on this machine's loopback).
  if (production && !/^https:\/\//i.test(redirectUrl) && !LOOPBACK.test(redirectUrl)) errors.push('AUTH_REDIRECT_URL (or PUBLIC_URL) must be an https URL with NODE_ENV=production');
  return { clientId: raw.AUTH_CLIENT_ID, ...(raw.AUTH_CLIENT_SECRET ? { clientSecret: raw.AUTH_CLIENT_SECRET } : {}), redirectUrl };
}

function encryptionKeys(env: NodeJS.ProcessEnv, raw: EnvironmentVariables, errors: string[]): EncryptionKeySource {
  const keys = parseJson<Record<string, string>>('PAYLOAD_ENCRYPTION_KEYS', raw.PAYLOAD_ENCRYPTION_KEYS, errors);
  if (keys) {
    for (const [id, value] of Object.entries(keys)) {
      if (typeof value !== 'string' || Buffer.from(value, 'base64').length !== 32) {
        errors.push(`PAYLOAD_ENCRYPTION_KEYS: key ${id} must be 32 bytes, base64-encoded`);
      }
    }
    const currentKeyId = raw.PAYLOAD_ENCRYPTION_KEY_ID ?? '';
    if (!(currentKeyId in keys)) errors.push('PAYLOAD_ENCRYPTION_KEY_ID must name one of the PAYLOAD_ENCRYPTION_KEYS');
    return { kind: 'configured', currentKeyId, keys };
  }
  if (env.NODE_ENV === 'production') {
    errors.push('PAYLOAD_ENCRYPTION_KEYS and PAYLOAD_ENCRYPTION_KEY_ID are required with NODE_ENV=production');
  }
  return { kind: 'local-file', file: raw.PAYLOAD_KEY_FILE ?? path.join(DATA_DIR, 'payload-keys', 'local-1'), keyId: 'local-1' };
}

/** TEMPORAL_TLS* and TEMPORAL_API_KEY: TLS is on when asked for or implied by any of them; files must be readable. */
function temporalSecurityOf(raw: EnvironmentVariables, errors: string[]): Pick<TemporalSettings, 'tls' | 'apiKey'> {
  const files = { caFile: raw.TEMPORAL_TLS_CA_FILE, certFile: raw.TEMPORAL_TLS_CERT_FILE, keyFile: raw.TEMPORAL_TLS_KEY_FILE };
  const implied = Object.values(files).some(Boolean) || Boolean(raw.TEMPORAL_TLS_SERVER_NAME) || Boolean(raw.TEMPORAL_API_KEY);
  if (raw.TEMPORAL_TLS === 'false' && implied) {
    errors.push('TEMPORAL_TLS=false contradicts TEMPORAL_TLS_* / TEMPORAL_API_KEY (an API key is only sent over TLS)');
    return {};
  }
  if (Boolean(files.certFile) !== Boolean(files.keyFile)) errors.push('TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE go together (the client certificate and its key)');
  for (const [name, file] of [['TEMPORAL_TLS_CA_FILE', files.caFile], ['TEMPORAL_TLS_CERT_FILE', files.certFile], ['TEMPORAL_TLS_KEY_FILE', files.keyFile]] as const) {
    if (file && !fs.existsSync(file)) errors.push(`${name}: no file at ${file}`);
  }
  if (raw.TEMPORAL_TLS !== 'true' && !implied) return {};
  const tls = Object.fromEntries(Object.entries({ ...files, serverName: raw.TEMPORAL_TLS_SERVER_NAME }).filter(([, v]) => v)) as NonNullable<TemporalSettings['tls']>;
  return { tls, ...(raw.TEMPORAL_API_KEY ? { apiKey: raw.TEMPORAL_API_KEY } : {}) };
}
