import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Logger, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, MODULE_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { msToNumber } from '@temporalio/common/lib/time';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import * as ts from 'typescript';
import { parseAllDocuments } from 'yaml';
import { CONFIG_VARIABLES, loadConfig } from '@buf/config';
import { DEFAULT_POLICY } from '@buf/domain';
import { TEMPORAL_CLI } from '@buf/infra/local/temporal-dev-server';
import { SEARCH_ATTRIBUTE_REGISTRATIONS } from '@buf/workflows/search-attributes';
import { AppModule } from '@buf/apps/api/src/app.module';
import { IS_PUBLIC } from '@buf/apps/api/src/auth/public.decorator';
import { TemporalWorkerService } from '@buf/apps/worker/src/temporal-worker.service';

/**
 * The deployment files (infra/container, infra/helm, infra/k8s) cannot run here (no Docker, no
 * Kubernetes): these checks hold them to the code they deploy, and fail when either drifts.
 */

const ROOT = path.resolve(__dirname, '..', '..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

/** Parsed YAML. */
type Obj = Record<string, any>;

function yamlFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const file = path.join(dir, e.name);
    if (e.isDirectory()) return yamlFiles(file);
    return /\.ya?ml$/.test(e.name) ? [file] : [];
  });
}

function parseYaml(file: string): Obj[] {
  const docs = parseAllDocuments(read(file));
  if (!Array.isArray(docs)) throw new Error(`${file}: no YAML documents`);
  for (const doc of docs) if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
  return docs.map((d) => d.toJS() as Obj).filter((d) => d !== null);
}

const K8S_FILES = yamlFiles('infra/k8s');
const MANIFESTS = K8S_FILES.filter((f) => !f.endsWith('kustomization.yaml')).flatMap((file) => parseYaml(file).map((doc) => ({ file, doc })));
const HELM_VALUES = parseYaml('infra/helm/temporal-values.yaml')[0];
const CHART_VALUES = parseYaml('test/infra/temporal-chart-1.6.0-values.yaml')[0];
const KUSTOMIZATIONS = ['infra/k8s/kustomization.yaml', 'infra/k8s/jobs/kustomization.yaml'].map((file) => ({ file, doc: parseYaml(file)[0] }));
const DOCKERFILE = read('infra/container/Dockerfile');

const byKind = (kind: string) => MANIFESTS.filter((m) => m.doc.kind === kind).map((m) => m.doc);
const named = (kind: string, name: string): Obj => {
  const found = byKind(kind).find((d) => d.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in infra/k8s`);
  return found;
};
const CONFIG_MAP = named('ConfigMap', 'buf-config');
/** The Secret template: the Secrets' names and keys (values are placeholders). */
const SECRETS = parseYaml('infra/k8s/secrets.template.yaml');

/** The one image of the service (infra/container/Dockerfile), as the kustomizations name it. */
const APP_IMAGE: string = KUSTOMIZATIONS[0].doc.images[0].name;

interface Container { workload: Obj; container: Obj }
/** Every container that runs the service's image, in the Deployments and the Jobs. */
const APP_CONTAINERS: Container[] = [...byKind('Deployment'), ...byKind('Job')].flatMap((workload) =>
  (workload.spec.template.spec.containers as Obj[]).filter((c) => String(c.image).startsWith(`${APP_IMAGE}:`)).map((container) => ({ workload, container })));
const appContainer = (workload: string): Obj => {
  const found = APP_CONTAINERS.find((c) => c.workload.metadata.name === workload);
  if (!found) throw new Error(`no container of the service's image in ${workload}`);
  return found.container;
};

/** `ENV A=1 B=2` of the Dockerfile's last stage (the image that runs). */
function dockerfileEnv(): Record<string, string> {
  const lastStage = DOCKERFILE.slice(DOCKERFILE.lastIndexOf('\nFROM '));
  const env: Record<string, string> = {};
  for (const [, body] of lastStage.matchAll(/^ENV\s+((?:.*\\\n)*.*)$/gm)) {
    for (const [, name, value] of body.replace(/\\\n/g, ' ').matchAll(/([A-Z_][A-Z0-9_]*)=(\S+)/g)) env[name] = value;
  }
  return env;
}

/** A placeholder key replaced by a real one: the template's own values are refused (a test below). */
const TEST_KEYS = { PAYLOAD_ENCRYPTION_KEY_ID: 'test-1', PAYLOAD_ENCRYPTION_KEYS: JSON.stringify({ 'test-1': randomBytes(32).toString('base64') }) };

function secretData(name: string, real: boolean): Record<string, string> {
  const secret = SECRETS.find((s) => s.metadata.name === name);
  if (!secret) throw new Error(`Secret ${name} is not in infra/k8s/secrets.template.yaml`);
  const data = { ...(secret.stringData as Record<string, string>) };
  if (real) for (const key of Object.keys(data)) if (key in TEST_KEYS) data[key] = TEST_KEYS[key as keyof typeof TEST_KEYS];
  return data;
}

function configMapData(name: string): Record<string, string> {
  return named('ConfigMap', name).data as Record<string, string>;
}

/**
 * The environment a container of the service's image starts with: the image's ENV, then envFrom
 * in order, then env; every reference must resolve to a ConfigMap or Secret key that exists.
 * With `real`, the template's placeholder keys are replaced by valid ones.
 */
function containerEnv(container: Obj, real = true): Record<string, string> {
  const env: Record<string, string> = { ...dockerfileEnv() };
  for (const from of (container.envFrom ?? []) as Obj[]) {
    Object.assign(env, from.configMapRef ? configMapData(from.configMapRef.name) : secretData(from.secretRef.name, real));
  }
  for (const e of (container.env ?? []) as Obj[]) {
    if (e.value !== undefined) env[e.name] = String(e.value);
    else if (e.valueFrom?.configMapKeyRef) {
      const { name, key } = e.valueFrom.configMapKeyRef;
      const value = configMapData(name)[key];
      if (value === undefined) throw new Error(`${e.name}: ConfigMap ${name} has no key ${key}`);
      env[e.name] = value;
    } else if (e.valueFrom?.secretKeyRef) {
      const { name, key } = e.valueFrom.secretKeyRef;
      const value = secretData(name, real)[key];
      if (value === undefined) throw new Error(`${e.name}: Secret ${name} has no key ${key}`);
      env[e.name] = value;
    } else throw new Error(`${e.name}: a value or a ConfigMap/Secret key expected`);
  }
  return env;
}

/** The names a container's environment sets (the image's, envFrom's keys and env's names). */
function envNames(container: Obj): string[] {
  return Object.keys(containerEnv(container));
}

/** The dist/ files `npm run build` writes (tsconfig.build.json's outputs). */
function buildOutputs(): Set<string> {
  const parsed = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, 'tsconfig.build.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); },
  });
  if (!parsed) throw new Error('tsconfig.build.json does not parse');
  return new Set(parsed.fileNames.flatMap((f) => ts.getOutputFileNames(parsed, f, false)).map((f) => path.relative(ROOT, f)));
}

/** The HTTP routes the API serves: method and full path (global prefix and its exclusions included). */
function apiRoutes(): { method: RequestMethod; path: string; isPublic: boolean }[] {
  // bootstrap.ts: app.setGlobalPrefix('api/v1', { exclude: ['codec/decode', ..., ...WEB_SESSION_ROUTES] })
  const bootstrap = read('apps/api/src/bootstrap.ts');
  const call = /setGlobalPrefix\('([^']+)',\s*\{\s*exclude:\s*\[([^\]]*)\]/.exec(bootstrap);
  if (!call) throw new Error('apps/api/src/bootstrap.ts: no setGlobalPrefix(\'…\', { exclude: […] }) to read the prefix from');
  const excluded = new Set<string>();
  for (const item of call[2].split(',').map((s) => s.trim()).filter(Boolean)) {
    const literal = /^'([^']+)'$/.exec(item);
    const spread = /^\.\.\.([A-Z_]+)$/.exec(item);
    if (literal) excluded.add(literal[1]);
    else if (spread) {
      const list = new RegExp(`const ${spread[1]} = \\[([^\\]]*)\\]`).exec(bootstrap);
      if (!list) throw new Error(`bootstrap.ts: cannot read ${spread[1]}`);
      for (const [, route] of list[1].matchAll(/'([^']+)'/g)) excluded.add(route);
    } else throw new Error(`bootstrap.ts: cannot read the prefix exclusion ${item}`);
  }
  const join = (...parts: string[]) => parts.join('/').split('/').filter(Boolean).join('/');
  const controllers = new Set<new (...args: never[]) => unknown>();
  const visit = (module: unknown) => {
    const m = (module as { module?: unknown })?.module ?? module;
    if (typeof m !== 'function') return;
    for (const c of (Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, m) ?? []) as (new () => unknown)[]) controllers.add(c);
    for (const i of (Reflect.getMetadata(MODULE_METADATA.IMPORTS, m) ?? []) as unknown[]) visit(i);
  };
  visit(AppModule);
  return [...controllers].flatMap((controller) => {
    const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
    return Object.getOwnPropertyNames(controller.prototype).flatMap((name) => {
      const handler = (controller.prototype as Record<string, unknown>)[name];
      if (typeof handler !== 'function' || Reflect.getMetadata(METHOD_METADATA, handler) === undefined) return [];
      const route = join(base, String(Reflect.getMetadata(PATH_METADATA, handler) ?? ''));
      return [{
        method: Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod,
        path: `/${excluded.has(route) ? route : join(call[1], route)}`,
        isPublic: Reflect.getMetadata(IS_PUBLIC, handler) === true || Reflect.getMetadata(IS_PUBLIC, controller) === true,
      }];
    });
  });
}

const helmEnv = (name: string): string | undefined => (HELM_VALUES.web.additionalEnv as Obj[]).find((e) => e.name === name)?.value;

describe('deployment files', () => {
  it('every YAML file of infra/k8s and infra/helm parses, and every manifest names its kind and object', () => {
    expect(K8S_FILES.length).toBeGreaterThan(5);
    for (const { file, doc } of MANIFESTS) {
      expect({ file, apiVersion: typeof doc.apiVersion, kind: typeof doc.kind, name: typeof doc.metadata?.name }).toEqual({ file, apiVersion: 'string', kind: 'string', name: 'string' });
    }
    expect(HELM_VALUES.server).toBeDefined();
  });

  it('the kustomizations list files that exist, every manifest but the Secret template and the optional Ingress is in one, and they deploy the same image', () => {
    const listed = KUSTOMIZATIONS.flatMap(({ file, doc }) => (doc.resources as string[]).map((r) => path.join(path.dirname(file), r)));
    for (const file of listed) expect(fs.existsSync(path.join(ROOT, file))).toBe(true);
    const unlisted = K8S_FILES.filter((f) => !f.endsWith('kustomization.yaml') && !listed.includes(f));
    expect(unlisted.sort()).toEqual(['infra/k8s/ingress.yaml', 'infra/k8s/secrets.template.yaml']);
    expect(KUSTOMIZATIONS[1].doc.images).toEqual(KUSTOMIZATIONS[0].doc.images);
    // One image: every Deployment and Job runs it (the search-attribute Job borrows only the CLI).
    expect(APP_CONTAINERS.map((c) => c.workload.metadata.name).sort()).toEqual(['buf-api', 'buf-migrate', 'buf-search-attributes', 'buf-worker']);
    for (const { container } of APP_CONTAINERS) expect(container.image).toBe(`${APP_IMAGE}:${KUSTOMIZATIONS[0].doc.images[0].newTag}`);
  });

  it('every variable the manifests and the image give the service is one libs/config reads', () => {
    const service = APP_CONTAINERS.filter((c) => c.workload.metadata.name !== 'buf-search-attributes');
    const names = new Set([...Object.keys(dockerfileEnv()), ...Object.keys(CONFIG_MAP.data), ...service.flatMap((c) => envNames(c.container))]);
    expect([...names].filter((n) => !CONFIG_VARIABLES.includes(n))).toEqual([]);
    // The search-attribute Job runs the script: its variables are the script's.
    const script = read('infra/temporal/register-search-attributes.sh');
    const job = appContainer('buf-search-attributes');
    const own = (job.env as Obj[]).map((e) => e.name as string);
    expect(own.filter((n) => !script.includes(`\${${n}`))).toEqual([]);
  });

  it('each container of the service starts with a production configuration: every variable it requires is set, and the API listens where its port and probes are', () => {
    for (const name of ['buf-api', 'buf-worker', 'buf-migrate']) {
      const env = containerEnv(appContainer(name));
      expect({ name, NODE_ENV: env.NODE_ENV }).toEqual({ name, NODE_ENV: 'production' });
      const config = loadConfig(env); // throws, naming each missing or invalid variable
      expect(config.oidc).toBeDefined();
      expect(config.encryption.kind).toBe('configured');
    }
    const api = appContainer('buf-api');
    const config = loadConfig(containerEnv(api));
    expect(config.oidc?.webClient?.redirectUrl).toMatch(/^https:\/\//);
    // Probes and the Service reach the pod's address, not its loopback.
    expect(config.host).not.toMatch(/^(127\.|::1$|localhost$)/);
    expect(api.ports).toEqual([{ name: 'http', containerPort: config.port }]);
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) expect(api[probe].httpGet.port).toBe('http');
    const service = named('Service', 'buf-api');
    expect(service.spec.ports[0].targetPort).toBe('http');
    const deployment = named('Deployment', 'buf-api');
    expect(deployment.spec.selector.matchLabels).toEqual(service.spec.selector);
    expect(deployment.spec.template.metadata.labels).toMatchObject(service.spec.selector);
  });

  it('the Secret template\'s placeholder payload keys are refused at start, so a forgotten one cannot run', () => {
    expect(() => loadConfig(containerEnv(appContainer('buf-worker'), false))).toThrow(/PAYLOAD_ENCRYPTION_KEYS: key REPLACE_ME must be 32 bytes/);
  });

  it('the API\'s probes ask a route the API serves to callers without a token', () => {
    const publicGets = apiRoutes().filter((r) => r.method === RequestMethod.GET && r.isPublic).map((r) => r.path);
    const api = appContainer('buf-api');
    const paths = ['startupProbe', 'readinessProbe', 'livenessProbe'].map((p) => api[p].httpGet.path as string);
    expect(paths).toEqual(['/api/v1/health', '/api/v1/health', '/api/v1/health']);
    for (const p of paths) expect(publicGets).toContain(p);
  });

  it('the Temporal UI decodes through the API\'s codec endpoint with its user\'s token, from an origin CORS allows, in the namespace of the cases', () => {
    const data = CONFIG_MAP.data as Record<string, string>;
    const endpoint = helmEnv('TEMPORAL_CODEC_ENDPOINT');
    expect(endpoint).toBe(`${data.PUBLIC_URL}/codec`);
    const posts = apiRoutes().filter((r) => r.method === RequestMethod.POST).map((r) => r.path);
    for (const op of ['decode', 'encode']) expect(posts).toContain(`${new URL(endpoint as string).pathname}/${op}`);
    // The codec knows its caller by a bearer token: the UI passes its user's; cookies only with codec sessions.
    expect(loadConfig(containerEnv(appContainer('buf-api'))).codecSessions).toBe(false);
    expect(helmEnv('TEMPORAL_CODEC_PASS_ACCESS_TOKEN')).toBe('true');
    expect(helmEnv('TEMPORAL_CODEC_INCLUDE_CREDENTIALS')).toBe('false');
    expect(helmEnv('TEMPORAL_AUTH_ENABLED')).toBe('true');
    expect(helmEnv('TEMPORAL_AUTH_ISSUER_URL')).toBe(data.AUTH_ISSUER);
    const uiOrigin = `https://${HELM_VALUES.web.ingress.hosts[0]}`;
    expect(new URL(helmEnv('TEMPORAL_AUTH_CALLBACK_URL') as string).origin).toBe(uiOrigin);
    expect(data.TEMPORAL_UI_URL).toBe(uiOrigin);
    expect(data.CORS_ORIGINS.split(',')).toContain(uiOrigin);
    expect(helmEnv('TEMPORAL_DEFAULT_NAMESPACE')).toBe(data.TEMPORAL_NAMESPACE);
    expect(HELM_VALUES.server.config.namespaces.create).toBe(true);
    expect(HELM_VALUES.server.config.namespaces.namespace.map((n: Obj) => n.name)).toContain(data.TEMPORAL_NAMESPACE);
    expect(data.TEMPORAL_ADDRESS).toBe(`temporal-frontend.temporal.svc.cluster.local:${CHART_VALUES.server.frontend.service.port}`);
  });

  it('the commands of the image and the manifests run files that npm run build writes', () => {
    const outputs = buildOutputs();
    const commands = [
      ...[...DOCKERFILE.matchAll(/^CMD\s+(\[.*\])$/gm)].map((m) => JSON.parse(m[1]) as string[]),
      ...[...DOCKERFILE.matchAll(/\bnode\s+(dist\/\S+)/g)].map((m) => ['node', m[1]]),
      ...APP_CONTAINERS.map((c) => c.container.args as string[]),
    ];
    const scripts = commands.filter((c) => c[0] === 'node').map((c) => c[1]);
    expect([...new Set(scripts)].sort()).toEqual([
      'dist/apps/api/src/main.js', 'dist/apps/worker/src/build-workflow-bundle.js', 'dist/apps/worker/src/main.js', 'dist/libs/persistence/src/migrate-cli.js',
    ]);
    for (const script of scripts) expect({ script, built: outputs.has(script) }).toEqual({ script, built: true });
    // The image's default command is the API's; the manifests say theirs with args, so tini stays PID 1.
    expect(JSON.parse(/^ENTRYPOINT\s+(\[.*\])$/m.exec(DOCKERFILE)?.[1] ?? '[]')).toEqual(['/usr/bin/tini', '--']);
    for (const { container } of APP_CONTAINERS) expect(container.command).toBeUndefined();
    // The worker's bundle: written in the build, where WORKFLOW_BUNDLE_PATH points in the image.
    const workdir = /^WORKDIR\s+(\S+)$/m.exec(DOCKERFILE.slice(DOCKERFILE.lastIndexOf('\nFROM ')))?.[1];
    const bundle = /build-workflow-bundle\.js\s+(\S+)/.exec(DOCKERFILE)?.[1];
    expect(dockerfileEnv().WORKFLOW_BUNDLE_PATH).toBe(`${workdir}/${bundle}`);
    expect(DOCKERFILE).toMatch(/^COPY --from=build \/app\/dist \.\/dist$/m);
    // The search-attribute script, at the path the Job runs it from.
    const job = appContainer('buf-search-attributes');
    expect(job.args).toEqual(['bash', 'infra/temporal/register-search-attributes.sh']);
    expect(DOCKERFILE).toContain(`COPY ${job.args[1]} ./${job.args[1]}`);
    expect(fs.existsSync(path.join(ROOT, job.args[1]))).toBe(true);
    expect(outputs.has('dist/workflows/search-attributes.js')).toBe(true);
  });

  it('the image runs Node 20 as an unprivileged user with production dependencies only, and its build context leaves out what is local', () => {
    expect(/^ARG NODE_IMAGE=node:(\d+)-/m.exec(DOCKERFILE)?.[1]).toBe(/>=(\d+)/.exec(JSON.parse(read('package.json')).engines.node)?.[1]);
    expect(DOCKERFILE).toMatch(/npm ci --omit=dev/);
    expect(DOCKERFILE).toMatch(/^COPY --from=production-dependencies \/app\/node_modules \.\/node_modules$/m);
    const user = /^USER\s+(\d+)(?::\d+)?$/m.exec(DOCKERFILE)?.[1];
    expect(Number(user)).toBeGreaterThan(0);
    for (const { workload } of APP_CONTAINERS) expect(workload.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: Number(user) });
    const ignored = read('infra/container/Dockerfile.dockerignore').split('\n').map((l) => l.trim());
    for (const local of ['.git', 'node_modules', '.venv', '.data', 'dist', '.env']) expect(ignored).toContain(local);
  });

  it('the search-attribute Job registers exactly the list of workflows/search-attributes.ts in the cases\' namespace', () => {
    const built = path.join(ROOT, 'dist', 'workflows', 'search-attributes.js');
    if (!fs.existsSync(built)) throw new Error('dist/ is missing: run npm run build first (npm test does)');
    const job = named('Job', 'buf-search-attributes');
    const container = appContainer('buf-search-attributes');
    const env = containerEnv(container);
    // The CLI the Job copies from admin-tools is where the script is told to find it.
    const copy = job.spec.template.spec.initContainers[0];
    expect(copy.command).toEqual(['cp', '/usr/local/bin/temporal', env.TEMPORAL_CLI]);
    // Run the Job's command with a stand-in CLI that records what it is asked.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'buf-sa-'));
    try {
      const log = path.join(dir, 'calls');
      const cli = path.join(dir, 'temporal');
      fs.writeFileSync(cli, `#!/usr/bin/env bash\necho "$*" >> '${log}'\n`, { mode: 0o755 });
      execFileSync(container.args[0], container.args.slice(1), { cwd: ROOT, env: { PATH: process.env.PATH, ...env, TEMPORAL_CLI: cli } });
      const calls = fs.readFileSync(log, 'utf8').trim().split('\n');
      const registered = calls.map((c) => {
        const arg = (flag: string) => new RegExp(`--${flag} (\\S+)`).exec(c)?.[1];
        expect({ address: arg('address'), namespace: arg('namespace') }).toEqual({ address: CONFIG_MAP.data.TEMPORAL_ADDRESS, namespace: CONFIG_MAP.data.TEMPORAL_NAMESPACE });
        expect(c).toMatch(/^operator search-attribute create /);
        return `${arg('name')}=${arg('type')}`;
      });
      expect(registered).toEqual(SEARCH_ATTRIBUTE_REGISTRATIONS);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the Helm values set only keys the Temporal chart has', () => {
    const unknown: string[] = [];
    const walk = (ours: unknown, theirs: unknown, at: string) => {
      // Below a key the chart leaves empty (datastores, additionalEnv, …) or a list, the content is ours.
      if (theirs === null || Array.isArray(theirs) || ours === null || typeof ours !== 'object' || Array.isArray(ours)) return;
      if (typeof theirs !== 'object' || Object.keys(theirs as object).length === 0) return;
      for (const [key, value] of Object.entries(ours as Obj)) {
        if (!(key in (theirs as Obj))) unknown.push(`${at}${key}`);
        else walk(value, (theirs as Obj)[key], `${at}${key}.`);
      }
    };
    walk(HELM_VALUES, CHART_VALUES, '');
    expect(unknown).toEqual([]);
  });

  it('the Temporal cluster stores on PostgreSQL with more than one history shard, and keeps closed histories for less time than any case is kept', () => {
    const persistence = HELM_VALUES.server.config.persistence;
    expect(persistence.numHistoryShards).toBeGreaterThan(1);
    for (const store of [persistence.defaultStore, persistence.visibilityStore]) {
      expect(persistence.datastores[store].sql).toMatchObject({ pluginName: 'postgres12', manageSchema: true, existingSecret: 'temporal-db' });
    }
    expect(SECRETS.find((s) => s.metadata.name === 'temporal-db')?.stringData).toHaveProperty('password');
    expect(SECRETS.find((s) => s.metadata.name === HELM_VALUES.web.additionalEnvSecretName)?.stringData).toHaveProperty('TEMPORAL_AUTH_CLIENT_SECRET');
    const namespace = HELM_VALUES.server.config.namespaces.namespace.find((n: Obj) => n.name === CONFIG_MAP.data.TEMPORAL_NAMESPACE);
    const retentionDays = Number(/^(\d+)d$/.exec(namespace.retention)?.[1]);
    expect(retentionDays).toBeLessThan(Math.min(...Object.values(DEFAULT_POLICY.retentionDays)));
  });

  it('the Temporal server, admin tools and UI are the versions the Temporal CLI embeds (the ones the tests run against)', () => {
    // e.g. "temporal version 1.9.1 (Server 1.32.0, UI 2.54.1)"
    const version = execFileSync(TEMPORAL_CLI, ['--version'], { encoding: 'utf8' });
    const server = /Server (\d+\.\d+\.\d+)/.exec(version)?.[1];
    const ui = /UI (\d+\.\d+\.\d+)/.exec(version)?.[1];
    expect(server).toBeDefined();
    expect(String(HELM_VALUES.server.image.tag)).toBe(server);
    expect(String(HELM_VALUES.admintools.image.tag)).toBe(server);
    expect(named('Job', 'buf-search-attributes').spec.template.spec.initContainers[0].image).toBe(`temporalio/admin-tools:${server}`);
    expect(String(HELM_VALUES.web.image.tag)).toBe(ui);
  });

  it('the worker\'s pods are given longer to stop than the worker\'s drain can last', async () => {
    const worker = named('Deployment', 'buf-worker');
    Logger.overrideLogger(false);
    // What the worker service passes to Worker.create (no server: connection and worker are stand-ins).
    const created: WorkerOptions[] = [];
    const connect = jest.spyOn(NativeConnection, 'connect').mockResolvedValue({ close: async () => undefined } as unknown as NativeConnection);
    const create = jest.spyOn(Worker, 'create').mockImplementation(async (options) => {
      created.push(options);
      return { run: () => new Promise<void>(() => undefined), getState: () => 'RUNNING', shutdown: () => undefined } as unknown as Worker;
    });
    try {
      const config = loadConfig(containerEnv(appContainer('buf-worker')));
      const service = new TemporalWorkerService(...([config, stub(), stub(), stub(), stub(), stub(), stub()] as unknown as ConstructorParameters<typeof TemporalWorkerService>));
      await service.onApplicationBootstrap();
    } finally {
      connect.mockRestore();
      create.mockRestore();
    }
    expect(created).toHaveLength(1);
    const { shutdownGraceTime, shutdownForceTime } = created[0];
    // Without a force time the drain waits for the activities in flight, which do not stop when
    // cancelled: as long as the longest may run (its timeout; then the server retries it elsewhere).
    const drainMs = shutdownForceTime !== undefined ? msToNumber(shutdownForceTime) : Math.max(msToNumber(shutdownGraceTime ?? 0), longestActivityTimeoutMs());
    expect(drainMs).toBeGreaterThan(0);
    // Half a minute more for Nest to close the connections after the drain.
    expect(worker.spec.template.spec.terminationGracePeriodSeconds * 1000).toBeGreaterThan(drainMs + 30_000);
  });
});

/** The longest start-to-close or schedule-to-close timeout of the activities the workflows call. */
function longestActivityTimeoutMs(): number {
  const timeouts: number[] = [];
  const dir = path.join(ROOT, 'workflows');
  for (const file of fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.ts'))) {
    const source = fs.readFileSync(path.join(dir, file), 'utf8');
    for (const [, , value] of source.matchAll(/(startToCloseTimeout|scheduleToCloseTimeout):\s*([^,\n}]+)/g)) {
      const literal = /^'([^']+)'$|^(\d[\d_]*)$/.exec(value.trim());
      if (!literal) throw new Error(`workflows/${file}: an activity timeout that is not a literal (${value.trim()}): read it here`);
      timeouts.push(msToNumber((literal[1] ?? Number(literal[2].replace(/_/g, ''))) as never));
    }
  }
  expect(timeouts.length).toBeGreaterThan(0);
  return Math.max(...timeouts);
}

/** A dependency the worker service only hands on while it starts: any property is a function returning another. */
function stub(): unknown {
  const handler: ProxyHandler<() => unknown> = {
    get: (_t, key) => (key === 'then' ? undefined : proxy),
    apply: () => proxy,
  };
  const proxy: unknown = new Proxy(() => undefined, handler);
  return proxy;
}
