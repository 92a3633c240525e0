import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadOrCreateDevSecret, mintDevToken } from '@buf/auth';
import { PROJECT_ROOT } from '@buf/config';
import { type FieldSpec, type InputSchema, PROCESS_DEFINITIONS } from '@buf/domain';
import { ROLES } from '@buf/domain/roles';
import { exitCodeOf, freePort, spawnLabelled, stopProcess, waitFor } from './processes';
import { startThrowawayServers } from './throwaway-servers';

/**
 * `npm run fuzz`: property-based fuzzing of the HTTP API from its own OpenAPI document with
 * schemathesis. Starts the service as `npm test` does (a throwaway PostgreSQL and an in-memory
 * Temporal dev server on free ports, migrations, the built worker and API), mints a dev token
 * for a caller who holds every role, and runs schemathesis against /docs-json with the checks
 * for server errors and response-schema conformance. Exits non-zero on any finding.
 *
 * Bounded by FUZZ_MAX_EXAMPLES (examples per operation, default 50) and FUZZ_MAX_TIME
 * (seconds for the schemathesis run, default 240); FUZZ_SEED makes a run reproducible.
 * Extra arguments go to `schemathesis run`.
 */
const say = (line: string) => process.stdout.write(`[fuzz] ${line}\n`);
/** The one caller of the run: every role, so that every operation is reachable. */
const FUZZ_CALLER = 'fuzz-1';
const SCHEMATHESIS = path.join(PROJECT_ROOT, '.venv', 'bin', 'schemathesis');
/** The fuzz caller's claims that person rules compare a body with (see narrowToCaller). */
const FUZZ_UNIT = 'Skole Nord';
const FUZZ_AREA = 'vest';
/**
 * schemathesis's settings for the rules no JSON schema can express (infra/local/schemathesis.toml
 * says which and why); the rest of the run's options are the command line below.
 */
const SCHEMATHESIS_CONFIG = path.join(PROJECT_ROOT, 'infra', 'local', 'schemathesis.toml');

async function main(): Promise<number> {
  const stops: (() => Promise<void>)[] = [];
  try {
    if (!fs.existsSync(SCHEMATHESIS)) throw new Error(`${SCHEMATHESIS} is missing; run bash infra/local/fuzz.sh (npm run fuzz) to install it`);
    const servers = await startThrowawayServers('fuzz', say);
    stops.push(() => servers.stop());
    const { runDir } = servers;

    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      DATABASE_URL: servers.databaseUrl,
      TEMPORAL_ADDRESS: servers.temporalAddress,
      TEMPORAL_TASK_QUEUE: 'buf-fuzz',
      AUTH_DEV_KEY_FILE: path.join(runDir, 'dev-token-secret'),
      PAYLOAD_KEY_FILE: path.join(runDir, 'payload-key'),
      // Thousands of requests from one identity: the per-identity rate limit would answer 429.
      RATE_LIMIT_PER_MINUTE: '1000000',
      // The fuzzer also calls without credentials, on purpose and often.
      AUTH_FAILURES_PER_MINUTE: '1000000',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    };
    const children: ChildProcess[] = [];
    for (const [label, entry] of [['worker', 'dist/apps/worker/src/main.js'], ['api', 'dist/apps/api/src/main.js']] as const) {
      const child = spawnLabelled(label, process.execPath, [path.join(PROJECT_ROOT, entry)], { env });
      children.push(child);
      stops.push(() => stopProcess(child));
    }
    const base = `http://127.0.0.1:${port}`;
    await waitFor('API', async () => (await fetch(`${base}/api/v1/health`)).ok, 90_000, children[1]);
    say(`service ready at ${base}`);

    const token = await mintDevToken(loadOrCreateDevSecret(env.AUTH_DEV_KEY_FILE as string), {
      sub: FUZZ_CALLER,
      name: 'Fuzz Tester',
      roles: [...ROLES],
      unit: FUZZ_UNIT,
      area: FUZZ_AREA,
    });
    // A second decider: taskforce support starts only when two people have approved.
    const hrChief = await mintDevToken(loadOrCreateDevSecret(env.AUTH_DEV_KEY_FILE as string), { sub: 'fuzz-hr', name: 'Fuzz HR', roles: ['hr-chief'] });
    const documentFile = await openCasesToWalk(base, token, hrChief, path.join(runDir, 'openapi.json'));
    const reportDir = process.env.FUZZ_REPORT_DIR ?? path.join(PROJECT_ROOT, '.data', 'fuzz-report');
    fs.mkdirSync(reportDir, { recursive: true });
    const args = [
      '--config-file',
      SCHEMATHESIS_CONFIG,
      'run',
      documentFile,
      '--url',
      base,
      '--checks',
      process.env.FUZZ_CHECKS ?? 'not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance',
      // Valid and invalid data alike: the invalid must be refused with a documented 4xx.
      '--mode',
      process.env.FUZZ_MODE ?? 'all',
      '--max-examples',
      process.env.FUZZ_MAX_EXAMPLES ?? '50',
      '--max-time',
      process.env.FUZZ_MAX_TIME ?? '240',
      '--request-timeout',
      '30',
      '--workers',
      '2',
      '--continue-on-failure',
      '--suppress-health-check',
      'all',
      '--header',
      `Authorization: Bearer ${token}`,
      '--report',
      'junit',
      '--report-dir',
      reportDir,
      ...(process.env.FUZZ_SEED ? ['--seed', process.env.FUZZ_SEED] : []),
      ...process.argv.slice(2),
    ];
    say(`schemathesis ${args.filter((a) => !a.startsWith('Authorization')).join(' ')}`);
    const started = Date.now();
    const st = spawn(SCHEMATHESIS, args, { cwd: PROJECT_ROOT, stdio: 'inherit', env: { ...process.env, NO_COLOR: '1' } });
    const code = await exitCodeOf(st);
    say(`schemathesis finished in ${Math.round((Date.now() - started) / 1000)} s with exit code ${code} (JUnit report in ${reportDir})`);
    await reportActionsTaken(base, token);
    say(code === 0 ? 'result: no server errors, no responses outside the documented schemas' : 'result: FAILED (see the failures above)');
    return code;
  } catch (err) {
    say(`failed: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    for (const stop of stops.reverse()) await stop().catch((err: unknown) => say(`stop failed: ${String(err)}`));
  }
}

/** A value the field's rule accepts, for the cases the run opens before it starts. */
function validValue(field: string, spec: FieldSpec): unknown {
  const hour = 3_600_000;
  switch (spec.type) {
    case 'string':
      return field === 'unit' || field === 'handlingUnit' ? FUZZ_UNIT : `fuzz-${field}-${Date.now()}`;
    case 'area':
      return FUZZ_AREA; // one of the demo areas, the default AREAS
    case 'datetime':
      // An employment that began before the instant the OpenAPI document gives as every date-time's
      // example (12.06.2026, apps/api/src/cases/input-dtos.ts), so that a completion dated with
      // that example falls within it and `complete` can be taken.
      if (field === 'employedFrom') return '2026-01-01';
      return new Date(spec.notInFuture ? Date.now() - hour : Date.now() + 20 * 24 * hour).toISOString();
    case 'enum':
      return spec.values[0];
    case 'integer':
      return spec.min ?? 1;
    case 'string-array':
      return spec.values ? [spec.values[0]] : ['navn'];
  }
}

function validBody(schema: InputSchema): Record<string, unknown> {
  return Object.fromEntries(Object.entries(schema).map(([field, spec]) => [field, validValue(field, spec)]));
}

interface Operation {
  parameters?: { in?: string; name?: string; schema?: unknown }[];
  requestBody?: { content?: { 'application/json'?: { schema?: { $ref?: string } } } };
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { properties?: Record<string, object> }> };
}

async function call(base: string, token: string, route: string, body: unknown): Promise<{ status: number; body: { id?: string; message?: string } }> {
  const res = await fetch(`${base}${route}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { id?: string; message?: string } };
}

/** Takes an action the set-up needs; the run cannot go on without it. */
async function setUp(base: string, token: string, caseId: string, action: string, input: Record<string, unknown>): Promise<void> {
  const { status, body } = await call(base, token, `/api/v1/cases/${caseId}/actions/${action}`, input);
  if (status !== 200) throw new Error(`set-up: ${action} on ${caseId} answered ${status} ${body.message ?? ''}`);
}

/**
 * The stateful set-up: opens one case of every process (through the API, as its caller), then
 * writes the OpenAPI document with each action's `caseId` limited to the cases that have that
 * action, so that generated actions reach real cases in every step they get to, not a 404.
 *
 * Approving or returning a draft is for the whistleblower case's assigned jurist only, and any
 * generated `assign-jurist` replaces the jurist of the case it reaches. So those two actions get
 * cases of their own, in draft review with the fuzz caller as jurist and the receipt briefing recorded,
 * that `assign-jurist` never reaches; the process's other actions reach them too, so a returned
 * draft comes back for review and an approved one is sent and answered. Taskforce support needs
 * two people's approval: one case is set up with support under way.
 */
async function openCasesToWalk(base: string, token: string, hrChief: string, file: string): Promise<string> {
  const document = (await (await fetch(`${base}/docs-json`)).json()) as Document;
  const opened = new Map<string, string>();
  for (const p of PROCESS_DEFINITIONS) {
    const { status, body } = await call(base, token, `/api/v1/cases/${p.name}`, validBody(p.startInput));
    if (status !== 201 || !body.id) throw new Error(`could not open a ${p.name} case to walk: ${status} ${body.message ?? ''}`);
    opened.set(p.name, body.id);
  }
  say(`opened a case of every process: ${[...opened.values()].join(', ')}`);
  const whistleblower = PROCESS_DEFINITIONS.find((p) => p.name === 'whistleblower');
  if (!whistleblower) throw new Error('no whistleblower process');
  // Where a rule names the person (only the assigned jurist approves or returns a draft), the
  // fuzz caller is that person.
  await setUp(base, token, opened.get('whistleblower') as string, 'assign-jurist', { juristId: FUZZ_CALLER });
  const inReview: string[] = [];
  for (let i = 0; i < 3; i += 1) {
    const { status, body } = await call(base, token, '/api/v1/cases/whistleblower', validBody(whistleblower.startInput));
    if (status !== 201 || !body.id) throw new Error(`could not open a whistleblower case for draft review: ${status} ${body.message ?? ''}`);
    await setUp(base, token, body.id, 'assign-jurist', { juristId: FUZZ_CALLER });
    await setUp(base, token, body.id, 'submit-draft', { documentRef: `fuzz-draft-${i}`, summary: 'Udkast' });
    // The receipt briefing; the reply briefing follows the approval (generated briefings reach these cases).
    await setUp(base, token, body.id, 'record-direktion-briefing', { occasion: 'receipt' });
    inReview.push(body.id);
  }
  say(`whistleblower cases in draft review with the fuzz caller as jurist: ${inReview.join(', ')}`);
  // Taskforce support under way: the fuzz caller approves as area chief, a second person as HR chief.
  const taskforce = PROCESS_DEFINITIONS.find((p) => p.name === 'taskforce');
  if (!taskforce) throw new Error('no taskforce process');
  const supported = await call(base, token, '/api/v1/cases/taskforce', validBody(taskforce.startInput));
  if (supported.status !== 201 || !supported.body.id) throw new Error(`could not open a taskforce case to support: ${supported.status} ${supported.body.message ?? ''}`);
  await setUp(base, token, supported.body.id, 'approve', {});
  await setUp(base, hrChief, supported.body.id, 'approve', {});
  say(`taskforce case with support under way: ${supported.body.id}`);
  const ownCases: Record<string, string[]> = Object.fromEntries([
    ...whistleblower.actions.filter((a) => a.name !== 'assign-jurist').map((a) => [a.name, [opened.get('whistleblower') as string, ...inReview]]),
    ['approve-draft', inReview],
    ['return-draft', inReview],
    ...taskforce.actions.map((a) => [a.name, [opened.get('taskforce') as string, supported.body.id as string]]),
  ]);
  for (const [route, item] of Object.entries(document.paths)) {
    const action = /^\/api\/v1\/cases\/\{caseId\}\/actions\/([a-z-]+)$/.exec(route)?.[1];
    if (!action) continue;
    const ids = ownCases[action] ?? PROCESS_DEFINITIONS.filter((p) => p.actions.some((a) => a.name === action)).map((p) => opened.get(p.name) as string);
    for (const parameter of item.post?.parameters ?? []) {
      if (parameter.in === 'path' && parameter.name === 'caseId') parameter.schema = { type: 'string', enum: ids };
    }
  }
  narrowToCaller(document);
  fs.writeFileSync(file, JSON.stringify(document, null, 2));
  return file;
}

/**
 * Start bodies that a person rule compares with the caller's token: an area chief requests
 * taskforce support for their own area only. A schema cannot relate a body to the token, and the
 * run has one caller; so the document this run reads (not the API's) says the caller's area, as
 * it says the run's cases for `caseId`. Other values are still sent, as negative data.
 */
function narrowToCaller(document: Document): void {
  const ref = document.paths['/api/v1/cases/taskforce']?.post?.requestBody?.content?.['application/json']?.schema?.$ref;
  const schema = ref ? document.components.schemas[ref.replace('#/components/schemas/', '')] : undefined;
  const area = schema?.properties?.area;
  if (!schema?.properties || !area) throw new Error('no taskforce start schema with an area in the OpenAPI document');
  schema.properties.area = { ...area, enum: [FUZZ_AREA] };
}

/**
 * Which actions of each process the run got through (a journal entry on some case), read from
 * the journals of every case the run opened; the run's own cases show whether generated actions
 * reached real cases in the steps that allow them, not only refusals.
 */
async function reportActionsTaken(base: string, token: string): Promise<void> {
  const get = async (route: string) => (await fetch(`${base}${route}`, { headers: { authorization: `Bearer ${token}` } })).json() as Promise<Record<string, unknown>>;
  const taken = new Map<string, Set<string>>();
  for (let page = 1; ; page += 1) {
    const list = (await get(`/api/v1/cases?pageSize=100&page=${page}`)) as { items?: { id: string; process: string }[] };
    for (const item of list.items ?? []) {
      const journal = ((await get(`/api/v1/cases/${item.id}`)).journal ?? []) as { action: string }[];
      const actions = taken.get(item.process) ?? new Set<string>();
      for (const entry of journal) actions.add(entry.action);
      taken.set(item.process, actions);
    }
    if ((list.items ?? []).length < 100) break;
  }
  for (const p of PROCESS_DEFINITIONS) {
    const missing = p.actions.map((a) => a.name).filter((a) => !taken.get(p.name)?.has(a));
    say(`${p.name}: ${p.actions.length - missing.length}/${p.actions.length} actions taken${missing.length ? `; never: ${missing.join(', ')}` : ''}`);
  }
}

void main().then((code) => process.exit(code));
