import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadOrCreateDevSecret, mintDevToken } from '@buf/auth';
import { PROJECT_ROOT } from '@buf/config';
import { PROCESS_DEFINITIONS } from '@buf/domain';
import { ROLES } from '@buf/domain/roles';
import { exitCodeOf, freePort, spawnLabelled, stopProcess, waitFor } from './processes';
import { Walker, bodies } from './fuzz-walks';
import { startThrowawayServers } from './throwaway-servers';

/**
 * `npm run fuzz`: property-based fuzzing of the HTTP API from its own OpenAPI document with
 * schemathesis. Starts the service as `npm test` does (a throwaway PostgreSQL and an in-memory
 * Temporal dev server on free ports, migrations, the built worker and API), mints a dev token
 * for a caller who holds every role, walks a case to every action (openCasesToWalk), and runs
 * schemathesis against /docs-json, with valid and invalid data, with the checks for server errors
 * and response-schema conformance. Exits non-zero on any finding, on any warning in
 * schemathesis's summary (missing test data, validation mismatch, …), and when an action of some
 * process was never taken: the contract is that the document says exactly what the API accepts
 * and that a run reaches every action.
 *
 * Bounded by FUZZ_MAX_EXAMPLES (examples per operation, default 50) and FUZZ_MAX_TIME
 * (seconds for the schemathesis run, default 240); FUZZ_SEED makes a run reproducible.
 * Extra arguments go to `schemathesis run`.
 */
const say = (line: string) => process.stdout.write(`[fuzz] ${line}\n`);
/** The run's caller: every role, so that every operation is reachable. */
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
    const walker = new Walker(base, [{ token, sub: FUZZ_CALLER, unit: FUZZ_UNIT, area: FUZZ_AREA }, { token: hrChief, sub: 'fuzz-hr' }], say);
    const reportDir = process.env.FUZZ_REPORT_DIR ?? path.join(PROJECT_ROOT, '.data', 'fuzz-report');
    fs.mkdirSync(reportDir, { recursive: true });
    // Beside the report: the document the run read (its caseIds are the run's cases), to read a finding against.
    const documentFile = await openCasesToWalk(walker, base, path.join(reportDir, 'openapi.json'));
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
    const st = spawn(SCHEMATHESIS, args, { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NO_COLOR: '1' } });
    const warnings = watchWarnings(st);
    const code = await exitCodeOf(st);
    say(`schemathesis finished in ${Math.round((Date.now() - started) / 1000)} s with exit code ${code} (JUnit report in ${reportDir})`);
    const untaken = await reportActionsTaken(walker);
    const findings = [
      ...(code === 0 ? [] : ['schemathesis found failures or errors (see above)']),
      ...warnings.map((w) => `schemathesis warned: ${w}`),
      ...(untaken > 0 ? [`${untaken} action(s) were never taken (see above)`] : []),
    ];
    for (const finding of findings) say(`FAILED: ${finding}`);
    say(findings.length === 0 ? 'result: no server errors, no responses outside the documented schemas, no warnings, every action of every process taken' : 'result: FAILED');
    return findings.length === 0 ? 0 : 1;
  } catch (err) {
    say(`failed: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    for (const stop of stops.reverse()) await stop().catch((err: unknown) => say(`stop failed: ${String(err)}`));
  }
}

interface Operation {
  parameters?: { in?: string; name?: string; schema?: unknown; examples?: Record<string, { value: unknown }> }[];
  requestBody?: { content?: { 'application/json'?: { schema?: { $ref?: string }; examples?: Record<string, { value: unknown }> } } };
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { properties?: Record<string, object> }> };
}

/**
 * How many walked cases of their own each action gets (see openCasesToWalk): one; an action
 * several processes share (`close`, `decide`) three of each process, since the request's body is
 * generated for one process's schema and its caseId for any of them.
 */
const casesPerAction = (action: string) => (PROCESS_DEFINITIONS.filter((p) => p.actions.some((a) => a.name === action)).length > 1 ? 3 : 1);
/** How many bodies of each own case the document gives as examples (see openCasesToWalk). */
const EXAMPLE_BODIES = 2;
/** Walks run side by side, a few at a time (the machine is shared). */
const WALKS_AT_ONCE = 3;

/**
 * The stateful set-up: through the API, as its callers, opens one case of every process that
 * every action of the process may reach (as a client's cases go from step to step), and for
 * every action of every process a case of its own walked to a step where that action is allowed
 * now (fuzz-walks.ts; e.g. a whistleblower reply approved, briefed and sent, so that `close` can
 * run; an access request received long enough ago for the § 39 complaint). It then writes the
 * OpenAPI document with each action's `caseId` limited to the cases in which it can run: its own
 * walked cases and, for an action of one process, that process's open case. An action's own
 * cases are in no other action's list, so only the action itself moves them on: one that closes
 * its case uses it up by being taken, which is what the run is for. Each own case is also an
 * example, paired with bodies its process's field rules accept (schemathesis's examples phase
 * sends the n-th case example with the n-th body example): for an action several processes
 * share, whose body schema OpenAPI cannot tie to the caseId, that is what reaches every process.
 */
async function openCasesToWalk(walker: Walker, base: string, file: string): Promise<string> {
  const document = (await (await fetch(`${base}/docs-json`)).json()) as Document;
  const shared = new Map<string, string>();
  for (const p of PROCESS_DEFINITIONS) {
    const id = await walker.open(p, 'recent');
    walker.setUpUntil.set(id, 0);
    shared.set(p.name, id);
  }
  say(`opened a case of every process: ${[...shared.values()].join(', ')}`);
  const started = Date.now();
  const jobs = PROCESS_DEFINITIONS.flatMap((p) => p.actions.map((a) => ({ p, a })));
  const walked = new Map<string, { p: (typeof PROCESS_DEFINITIONS)[number]; ids: string[] }[]>();
  let next = 0;
  await Promise.all(
    Array.from({ length: WALKS_AT_ONCE }, async () => {
      for (let job = jobs[next++]; job; job = jobs[next++]) {
        const ids = await walker.casesFor(job.p, job.a, casesPerAction(job.a.name));
        walked.set(job.a.name, [...(walked.get(job.a.name) ?? []), { p: job.p, ids }]);
      }
    }),
  );
  say(`walked ${[...walked.values()].flat().flatMap((w) => w.ids).length} cases for the ${jobs.length} actions in ${Math.round((Date.now() - started) / 1000)} s`);
  for (const [route, item] of Object.entries(document.paths)) {
    const action = /^\/api\/v1\/cases\/\{caseId\}\/actions\/([a-z-]+)$/.exec(route)?.[1];
    const op = item.post;
    if (!action || !op) continue;
    // Each process's cases in turn (one of each first), so that the first examples reach every process.
    const byProcess = walked.get(action) ?? [];
    const own = Array.from({ length: Math.max(0, ...byProcess.map((w) => w.ids.length)) }, (_, i) => byProcess.flatMap((w) => (w.ids[i] ? [{ p: w.p, id: w.ids[i] }] : []))).flat();
    const owners = PROCESS_DEFINITIONS.filter((p) => p.actions.some((a) => a.name === action));
    // A shared action's list holds only cases in which it can run: the open cases add nothing there but refusals.
    const ids = [...own.map((o) => o.id), ...(owners.length > 1 ? [] : owners.map((p) => shared.get(p.name) as string))];
    // Examples in pairs, case and body (schemathesis's examples phase sends the n-th of each together):
    // every own case with bodies its process's rules accept, so that each action is taken once at least.
    const pairs = own.flatMap((o) => {
      const definition = o.p.actions.find((a) => a.name === action);
      return definition ? bodies(definition.input, walker.callers[0], o.p).slice(0, EXAMPLE_BODIES).map((body, b) => ({ name: `${o.id}-${b}`, id: o.id, body })) : [];
    });
    const ordered = Array.from({ length: EXAMPLE_BODIES }, (_, b) => pairs.filter((x) => x.name.endsWith(`-${b}`))).flat();
    for (const parameter of op.parameters ?? []) {
      if (parameter.in === 'path' && parameter.name === 'caseId') {
        parameter.schema = { type: 'string', enum: ids };
        parameter.examples = Object.fromEntries(ordered.map((x) => [x.name, { value: x.id }]));
      }
    }
    const media = op.requestBody?.content?.['application/json'];
    if (media) media.examples = Object.fromEntries(ordered.map((x) => [x.name, { value: x.body }]));
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
 * Passes schemathesis's output through and collects the warnings of its summary (`Warnings:`,
 * one `⚠️` line each: missing test data, validation mismatch, …): each one fails the run.
 */
function watchWarnings(child: ChildProcess): string[] {
  const warnings: string[] = [];
  let inSummary = false;
  let rest = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    process.stdout.write(chunk);
    const lines = (rest + chunk.toString('utf8')).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      if (/^Warnings:/.test(line.trim())) inSummary = true;
      else if (inSummary && line.trim() === '') inSummary = false;
      else if (inSummary) warnings.push(line.replace(/^\s*⚠️\s*/u, '').trim());
    }
  });
  return warnings;
}

/**
 * Which actions of each process the run took (a journal entry on some case, beyond what the
 * set-up walked), read from the journals of every case the run opened; the run's own cases show
 * whether generated actions reached real cases in the steps that allow them, not only refusals.
 * Returns how many actions were never taken.
 */
async function reportActionsTaken(walker: Walker): Promise<number> {
  const [caller] = walker.callers;
  const taken = new Map<string, Set<string>>();
  for (let page = 1; ; page += 1) {
    const list = (await walker.call(caller, 'GET', `/api/v1/cases?pageSize=100&page=${page}`)).body as { items?: { id: string; process: string }[] };
    for (const item of list.items ?? []) {
      const journal = ((await walker.call(caller, 'GET', `/api/v1/cases/${item.id}`)).body.journal ?? []) as { seq: number; action: string }[];
      const actions = taken.get(item.process) ?? new Set<string>();
      const setUp = walker.setUpUntil.get(item.id) ?? 0;
      for (const entry of journal) if (entry.seq > setUp) actions.add(entry.action);
      taken.set(item.process, actions);
    }
    if ((list.items ?? []).length < 100) break;
  }
  let untaken = 0;
  for (const p of PROCESS_DEFINITIONS) {
    const missing = p.actions.map((a) => a.name).filter((a) => !taken.get(p.name)?.has(a));
    untaken += missing.length;
    say(`${p.name}: ${p.actions.length - missing.length}/${p.actions.length} actions taken${missing.length ? `; never: ${missing.join(', ')}` : ''}`);
  }
  return untaken;
}

void main().then((code) => process.exit(code));
