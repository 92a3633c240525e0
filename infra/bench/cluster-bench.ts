import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { newCaseStartInput, newCaseStartOptions } from '../../apps/api/src/cases/case-start';
import { mintDevToken } from '@buf/auth';
import { PROJECT_ROOT, loadConfig } from '@buf/config';
import { type Actor, findProcess, formatCaseNumber, normalizeInput } from '@buf/domain';
import { caseOpenedUpdate } from '@buf/workflows/messages';
import { freePort, stopProcess, waitFor } from '../local/processes';
import { startThrowawayServers } from '../local/throwaway-servers';
import { BENCH_SETTINGS, HOUR, apiStartsRun, autocannonRun, benchClients, buildWorkflowBundle, drive, ms, percentile, rssOf, say, serviceLauncher, writeSection } from './bench-support';

/**
 * `npm run bench -- --cluster`: the service on a Temporal cluster (frontend, history, matching
 * and worker services as separate processes, persistence and visibility in PostgreSQL), with one
 * and then two workers, and 30,000 open mandatory-training cases. Writes its own section of
 * docs/benchmarks.md, keeping the dev-server section.
 *
 * Environment: BENCH_TRAINING_CASES (default 30000, employees × two courses), BENCH_DURATION_S
 * (start-rate runs, default 20), BENCH_TIMER_CASES (default 200), BENCH_REPORT_RUNS (default 5),
 * BENCH_LOG_LEVEL (default warn), BENCH_OUTPUT (default docs/benchmarks.md).
 */
const TRAINING_CASES = Number(process.env.BENCH_TRAINING_CASES ?? 30_000);
const FULL_SIZE = 30_000;
const REPORT_RUNS = Number(process.env.BENCH_REPORT_RUNS ?? 5);
const { durationS: DURATION_S, timerCases: TIMER_CASES, logLevel: LOG_LEVEL, cachedWorkflows: CACHED_WORKFLOWS, workflowHeapMb: WORKFLOW_HEAP_MB, output: OUTPUT, concurrency: CONCURRENCY, taskQueue: TASK_QUEUE } = BENCH_SETTINGS;
/** Raw starts of the training cases: more in flight than the start-rate runs, as a bulk load would. */
const OPEN_CONCURRENCY = 50;
const DAY = 24 * HOUR;
const CLOCK_TICKS = 100; // USER_HZ on Linux: /proc/<pid>/stat counts CPU time in 1/100 s

// ---- CPU per process, from /proc ----

interface Proc {
  ppid: number;
  ticks: number;
  cmdline: string;
}

function processTable(): Map<number, Proc> {
  const table = new Map<number, Proc>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      // After the name: state, ppid, …; utime, stime, cutime and cstime are the 14th to 17th fields
      // of the line (cutime and cstime: children that ended, e.g. PostgreSQL backends, count in their parent).
      const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
      table.set(Number(entry), { ppid: Number(fields[1]), ticks, cmdline });
    } catch {
      // the process ended while the table was read
    }
  }
  return table;
}

/** Busy and total CPU ticks of the whole machine (/proc/stat). */
function machineTicks(): { busy: number; total: number } {
  const [, ...values] = (fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/);
  const n = values.map(Number);
  const idle = (n[3] ?? 0) + (n[4] ?? 0);
  const total = n.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

interface CpuShare {
  seconds: number;
  /** Cores used by each of the bench's processes (and their children), by label. */
  byLabel: [string, number][];
  /** Cores the whole machine used, and those used by work outside this bench. */
  machine: number;
  others: number;
}

/**
 * Samples the CPU time of the bench's process tree by role: each worker, the API, every
 * Temporal service, PostgreSQL (all its backends) and the bench itself (its clients, autocannon).
 */
class CpuMeter {
  constructor(private readonly named: Map<number, string>) {}

  private labelOf(pid: number, table: Map<number, Proc>): string | undefined {
    for (let p: number | undefined = pid, hops = 0; p !== undefined && p > 1 && hops < 20; hops++) {
      const named = this.named.get(p);
      if (named) return named;
      const proc = table.get(p);
      if (!proc) return undefined;
      const service = /temporal-server.* --service (\w+)/.exec(proc.cmdline)?.[1];
      if (service) return `temporal-${service}`;
      if (/temporal-ui-server/.test(proc.cmdline)) return 'temporal-ui';
      if (/(^|\/)postgres( |$)|^postgres:/.test(proc.cmdline)) return 'postgres';
      if (p === process.pid) return 'bench (clients, autocannon)';
      p = proc.ppid;
    }
    return undefined;
  }

  private sample(): { at: number; table: Map<number, Proc>; machine: { busy: number; total: number } } {
    return { at: performance.now(), table: processTable(), machine: machineTicks() };
  }

  async during<T>(work: () => Promise<T>): Promise<{ value: T; cpu: CpuShare }> {
    const before = this.sample();
    const value = await work();
    const after = this.sample();
    const seconds = (after.at - before.at) / 1000;
    // Per process, so that processes starting or ending in the window do not cancel out. A child
    // that ended in the window moved all its time into its parent's cutime/cstime: what it had used
    // before the window (its ticks in the first sample) is taken off again.
    const ticks = new Map<string, number>();
    const add = (label: string | undefined, t: number) => label && ticks.set(label, (ticks.get(label) ?? 0) + t);
    for (const [pid, proc] of after.table) add(this.labelOf(pid, after.table), proc.ticks - (before.table.get(pid)?.ticks ?? 0));
    for (const [pid, proc] of before.table) if (!after.table.has(pid)) add(this.labelOf(pid, before.table), -proc.ticks);
    for (const [label, t] of ticks) ticks.set(label, Math.max(0, t));
    const byLabel = [...ticks].map(([label, t]): [string, number] => [label, t / CLOCK_TICKS / seconds]).sort((a, b) => b[1] - a[1]);
    const machine = (after.machine.busy - before.machine.busy) / CLOCK_TICKS / seconds;
    const ours = byLabel.reduce((sum, [, cores]) => sum + cores, 0);
    return { value, cpu: { seconds, byLabel, machine, others: Math.max(0, machine - ours) } };
  }
}

const cores = (c: number) => c.toFixed(2);
const cpuLine = (cpu: CpuShare) =>
  `${cpu.byLabel.filter(([, c]) => c >= 0.01).map(([l, c]) => `${l} ${cores(c)}`).join(', ')}; whole machine ${cores(cpu.machine)} of ${os.cpus().length} cores, of which ${cores(cpu.others)} by work outside this bench (${cpu.seconds.toFixed(0)} s)`;

function need(ok: boolean, what: string): void {
  if (!ok) throw new Error(`measurement failed: ${what}`);
}

const finite = (...values: number[]) => values.every((v) => Number.isFinite(v));

interface Row {
  figure: string;
  value: string;
  target: string;
  met: boolean | undefined;
}

export async function clusterBench(): Promise<void> {
  const stops: (() => Promise<void>)[] = [];
  let keptLog = '';
  try {
    const t0 = performance.now();
    const servers = await startThrowawayServers('bench-cluster', say, { temporal: { kind: 'cluster' } });
    stops.push(() => servers.stop());
    const clusterUp = (performance.now() - t0) / 1000;
    const apiPort = await freePort();
    // Workers load a prebuilt workflow bundle, as production does (bundling at start leaves webpack's memory in the worker).
    const workflowBundle = buildWorkflowBundle(servers.runDir);
    const services = serviceLauncher(servers, { apiPort, taskQueue: TASK_QUEUE, logLevel: LOG_LEVEL, workflowBundle, onOutput: (text) => (keptLog = (keptLog + text).slice(-4000)) });
    stops.push(() => services.close());
    const { env, spawnService } = services;
    const config = loadConfig(env);
    const named = new Map<number, string>();
    const worker1 = spawnService('worker-1', 'dist/apps/worker/src/main.js');
    stops.push(() => stopProcess(worker1));
    named.set(worker1.pid as number, 'worker-1');
    const api = spawnService('api', 'dist/apps/api/src/main.js');
    stops.push(() => stopProcess(api));
    named.set(api.pid as number, 'api');
    const meter = new CpuMeter(named);
    const base = `http://127.0.0.1:${apiPort}`;
    await waitFor('API', async () => (await fetch(`${base}/api/v1/health`)).ok, 120_000, api);
    const probe = await Connection.connect({ address: servers.temporalAddress });
    stops.push(() => probe.close());
    const pollers = async () =>
      (await probe.workflowService.describeTaskQueue({ namespace: 'default', taskQueue: { name: TASK_QUEUE }, taskQueueType: 1 })).pollers?.length ?? 0;
    await waitFor('worker-1 polling', async () => (await pollers()) >= 1, 120_000, worker1);
    const tReady = (performance.now() - t0) / 1000;
    const rssIdle = rssOf(worker1.pid as number);
    say(`cluster up after ${clusterUp.toFixed(1)} s; API healthy and worker-1 polling after ${tReady.toFixed(1)} s`);

    // ---- clients ----
    const { secret, client, db } = await benchClients(servers, env, stops);
    const employee: Actor = { sub: 'bench-employee', name: 'Bench Ansat', roles: ['employee'] };
    const secretariat: Actor = { sub: 'bench-secretariat', name: 'Bench Ledelsessekretariat', roles: ['ledelsessekretariat'] };
    const employeeToken = await mintDevToken(secret, employee, '4h');
    const secretariatToken = await mintDevToken(secret, secretariat, '4h');
    const count = async (where = 'true', params: unknown[] = []) => Number((await db.query(`SELECT count(*)::int AS n FROM case_files WHERE ${where}`, params)).rows[0].n);
    /** Waits until the workers have written every case started so far (raw starts return before that). */
    let expectedCases = 0;
    const settle = async (timeoutMs = 600_000, only?: { where: string; params: unknown[] }, expected = expectedCases) => {
      let lastSaid = Date.now();
      await waitFor(`${expected} case files`, async () => {
        const n = only ? await count(only.where, only.params) : await count();
        if (Date.now() - lastSaid > 30_000) {
          say(`  ${n}/${expected} case files written`);
          lastSaid = Date.now();
        }
        return n >= expected;
      }, timeoutMs, worker1);
    };

    // Raw cases take numbers far above the API's sequence so the two never meet; the start input
    // and options are the API's own (newCaseStartInput, newCaseStartOptions), with the policy and areas it passes.
    let rawNumber = 9_000_000;
    const rawStart = (processName: string, input: Record<string, unknown>, actor: Actor) => {
      const definition = findProcess(processName);
      if (!definition) throw new Error(`unknown process ${processName}`);
      const caseNumber = formatCaseNumber(new Date().getUTCFullYear(), rawNumber++);
      const startInput = newCaseStartInput(processName, caseNumber, new Date(), actor, normalizeInput(definition.startInput, input), config);
      return { definition, caseId: startInput.caseId, options: newCaseStartOptions(definition, startInput, TASK_QUEUE) };
    };
    const breachInput = (discoveredAt: string) => ({
      discoveredAt,
      unit: 'Skole Nord',
      description: 'Elevliste sendt til forkert modtager',
      dataCategories: ['navn'],
      channel: 'serviceportal',
    });

    // ---- 1. starts through the API, one worker then two ----
    const apiStartRun = async (workers: number) => {
      say(`1. starts through the API, ${workers} worker(s): autocannon, ${CONCURRENCY} connections, ${DURATION_S} s`);
      const { value: run, cpu } = await meter.during(() =>
        apiStartsRun({ base, token: employeeToken, processName: 'data-breach', body: breachInput(new Date(Date.now() - HOUR).toISOString()), keyPrefix: `bench-cluster-start-${workers}`, connections: CONCURRENCY, durationS: DURATION_S }),
      );
      const ok = run.result['2xx'];
      const rate = ok / DURATION_S;
      say(`  ${ok} started (${run.result.non2xx} non-2xx, ${run.result.errors} errors, ${run.result.timeouts} timeouts), ${rate.toFixed(1)}/s`);
      say(`  CPU: ${cpuLine(cpu)}`);
      need(ok > 0, `no case started through the API with ${workers} worker(s)`);
      expectedCases += ok;
      await settle();
      return { rate, ok, run, cpu };
    };
    const one = await apiStartRun(1);

    const worker2 = spawnService('worker-2', 'dist/apps/worker/src/main.js');
    stops.push(() => stopProcess(worker2));
    named.set(worker2.pid as number, 'worker-2');
    await waitFor('worker-2 polling', async () => (await pollers()) >= 2, 120_000, worker2);
    const rssIdle2 = rssOf(worker2.pid as number);
    say(`worker-2 polls the same task queue (VmRSS ${rssIdle2.rssMb.toFixed(0)} MB; worker-1 had ${rssIdle.rssMb.toFixed(0)} MB idle before any case)`);
    const two = await apiStartRun(2);
    const scaling = two.rate / one.rate;

    say(`1. raw client.workflow.start on the cluster (two workers), ${CONCURRENCY} in flight, ${DURATION_S} s`);
    const stopAt = Date.now() + DURATION_S * 1000;
    const rawIds: string[] = [];
    const { value: raw, cpu: rawCpu } = await meter.during(() =>
      drive(CONCURRENCY, () => Date.now() >= stopAt, async () => {
        const { definition, caseId, options } = rawStart('data-breach', breachInput(new Date(Date.now() - HOUR).toISOString()), employee);
        await client.workflow.start(definition.workflowType, options);
        rawIds.push(caseId);
      }),
    );
    const rawRate = raw.done / DURATION_S;
    need(raw.done > 0, 'no raw workflow.start succeeded');
    expectedCases += raw.done;
    say(`  ${raw.done} started (${raw.failed} failed), ${rawRate.toFixed(1)}/s`);
    const tBacklog = performance.now();
    await settle(600_000, { where: 'id = ANY($1)', params: [rawIds] }, rawIds.length);
    const rawBacklogS = (performance.now() - tBacklog) / 1000;

    // ---- 2. the training cases: employees × two courses ----
    const employees = Math.ceil(TRAINING_CASES / 2);
    const trainingCases = employees * 2;
    say(`2. opening ${trainingCases} mandatory-training cases (${employees} employees × it-security and administrative-law), raw workflow.start, ${OPEN_CONCURRENCY} in flight`);
    const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
    const trainingInput = (n: number) => {
      const employee = Math.floor(n / 2);
      return {
        employeeId: `bench-employee-${employee}`,
        course: n % 2 === 0 ? 'it-security' : 'administrative-law',
        // Both courses are required of administrative staff and leaders (not of pedagogical staff).
        staffGroup: employee % 10 === 0 ? 'leader' : 'administrative',
        // Employed in the last four days: the first completion is due within 14 days or a year, reminders pending.
        employedFrom: new Date(today - (employee % 4) * DAY).toISOString().slice(0, 10),
        unit: `Institution ${employee % 250}`,
        area: config.areas[employee % config.areas.length],
      };
    };
    const tOpen = performance.now();
    const opened = await drive(OPEN_CONCURRENCY, (n) => n >= trainingCases, async (n) => {
      const { definition, options } = rawStart('mandatory-training', trainingInput(n), secretariat);
      await client.workflow.start(definition.workflowType, options);
      if ((n + 1) % 2000 === 0) say(`  ${n + 1}/${trainingCases} started (${((performance.now() - tOpen) / 1000).toFixed(0)} s)`);
    });
    need(opened.failed === 0, `${opened.failed} training starts failed`);
    const startedS = (performance.now() - tOpen) / 1000;
    expectedCases += trainingCases;
    say(`  started in ${startedS.toFixed(0)} s (${(trainingCases / startedS).toFixed(0)}/s); waiting for the workers to write them`);
    const { cpu: openCpu } = await meter.during(() => settle(Math.max(600_000, trainingCases * 200), { where: 'process = $1', params: ['mandatory-training'] }, trainingCases));
    const writtenS = (performance.now() - tOpen) / 1000;
    const openTraining = await count(`process = 'mandatory-training' AND status = 'open'`);
    need(openTraining >= trainingCases, `${openTraining} open training cases, ${trainingCases} expected`);
    say(`  ${openTraining} open training cases written ${writtenS.toFixed(0)} s after the first start; CPU while writing: ${cpuLine(openCpu)}`);
    const rss1 = rssOf(worker1.pid as number);
    const rss2 = rssOf(worker2.pid as number);
    say(`  worker VmRSS ${rss1.rssMb.toFixed(0)} MB and ${rss2.rssMb.toFixed(0)} MB (peaks ${rss1.hwmMb.toFixed(0)} / ${rss2.hwmMb.toFixed(0)} MB)`);

    // ---- list ----
    const listUrl = `${base}/api/v1/cases?process=mandatory-training&status=open&overdue=false&pageSize=20`;
    const listRun = async (connections: number) => {
      say(`2. list endpoint: autocannon, ${connections} connection(s), 10 s`);
      const { value: run, cpu } = await meter.during(() => autocannonRun({ url: listUrl, connections, duration: 10, headers: { authorization: `Bearer ${secretariatToken}` } }));
      const p50 = percentile(run.latencies, 50);
      const p95 = percentile(run.latencies, 95);
      say(`  ${run.result['2xx']} answers (${run.result.non2xx} non-2xx), p50 ${ms(p50)}, p95 ${ms(p95)}, ${run.result.requests.average}/s; CPU: ${cpuLine(cpu)}`);
      need(run.result['2xx'] > 0 && run.result.non2xx === 0 && finite(p50, p95), `the list answered ${run.result['2xx']} times with 2xx, ${run.result.non2xx} otherwise`);
      return { run, p50, p95, cpu };
    };
    const list1 = await listRun(1);
    const list10 = await listRun(10);
    const listed = (await (await fetch(`${listUrl.replace('pageSize=20', 'pageSize=1')}`, { headers: { authorization: `Bearer ${secretariatToken}` } })).json()) as { total?: number };
    need(listed.total === openTraining, `the list's total is ${listed.total}, ${openTraining} open training cases in the database`);

    // ---- the monthly training report ----
    say(`2. the training report (GET /api/v1/statistics/training), ${REPORT_RUNS} runs one after the other`);
    const reportTimes: number[] = [];
    const { cpu: reportCpu } = await meter.during(async () => {
      for (let i = 0; i < REPORT_RUNS; i++) {
        const t = performance.now();
        const res = await fetch(`${base}/api/v1/statistics/training`, { headers: { authorization: `Bearer ${secretariatToken}` } });
        const body = (await res.json()) as { units?: { employees: number }[] };
        const took = performance.now() - t;
        need(res.ok, `the training report answered ${res.status}`);
        const counted = (body.units ?? []).reduce((sum, u) => sum + u.employees, 0);
        need(counted >= trainingCases, `the training report counted ${counted} employee-courses, ${trainingCases} expected`);
        reportTimes.push(took);
      }
    });
    const reportP50 = percentile(reportTimes, 50);
    const reportMax = Math.max(...reportTimes);
    say(`  p50 ${ms(reportP50)}, max ${ms(reportMax)}; CPU: ${cpuLine(reportCpu)}`);

    // ---- timers: data-breach deadlines falling due now, beside the training cases ----
    say(`2. timers: ${TIMER_CASES} data-breach cases whose 72-hour deadline falls due 20-40 s from now`);
    const lead = 20_000;
    const spread = 20_000;
    const due = new Map<string, number>();
    const firstDue = Date.now() + lead;
    const armed = await drive(CONCURRENCY, (n) => n >= TIMER_CASES, async (n) => {
      const dueAt = firstDue + Math.round((n * spread) / TIMER_CASES);
      const { definition, caseId, options } = rawStart('data-breach', breachInput(new Date(dueAt - 72 * HOUR).toISOString()), employee);
      await client.workflow.executeUpdateWithStart(caseOpenedUpdate, { startWorkflowOperation: new WithStartWorkflowOperation(definition.workflowType, options) });
      due.set(caseId, dueAt); // discovered 72 calendar hours before
    });
    need(armed.failed === 0, `${armed.failed} timer cases failed to start`);
    expectedCases += due.size;
    const missed = async () =>
      (await db.query(`SELECT case_id, at FROM case_journal WHERE action = 'deadline-missed' AND case_id = ANY($1)`, [[...due.keys()]])).rows as { case_id: string; at: Date }[];
    const { cpu: timerCpu } = await meter.during(() => waitFor('deadline-missed entries', async () => (await missed()).length >= due.size, lead + spread + 300_000, worker1));
    const lateness = (await missed()).map((r) => r.at.getTime() - (due.get(r.case_id) as number));
    const lateP50 = percentile(lateness, 50);
    const lateP99 = percentile(lateness, 99);
    const lateMax = Math.max(...lateness);
    need(lateness.length === TIMER_CASES && finite(lateP50, lateP99), 'timer lateness');
    say(`  lateness p50 ${ms(lateP50)}, p99 ${ms(lateP99)}, max ${ms(lateMax)}; CPU: ${cpuLine(timerCpu)}`);
    const rssAfter1 = rssOf(worker1.pid as number);
    const rssAfter2 = rssOf(worker2.pid as number);
    need(finite(rss1.rssMb, rss2.rssMb, one.rate, two.rate, rawRate, reportP50), 'a figure is not a number');

    // ---- the section ----
    const rssMax = Math.max(rss1.rssMb, rss2.rssMb);
    const rows: Row[] = [
      { figure: 'case starts/s through the API, one worker (20 connections)', value: `${one.rate.toFixed(1)}/s`, target: '—', met: undefined },
      { figure: 'case starts/s through the API, two workers (20 connections)', value: `${two.rate.toFixed(1)}/s`, target: '—', met: undefined },
      { figure: 'two workers / one worker', value: `${scaling.toFixed(2)}×`, target: '≥ 1.6×', met: scaling >= 1.6 },
      { figure: 'raw `workflow.start` on the cluster (two workers, 20 in flight), for reference', value: `${rawRate.toFixed(1)}/s`, target: '—', met: undefined },
      {
        figure: `worker RSS, ${openTraining} open training cases (each worker)`,
        value: `${rss1.rssMb.toFixed(0)} MB and ${rss2.rssMb.toFixed(0)} MB (peaks ${Math.max(rss1.hwmMb, rssAfter1.hwmMb).toFixed(0)} / ${Math.max(rss2.hwmMb, rssAfter2.hwmMb).toFixed(0)} MB)`,
        target: '≤ 400 MB',
        met: rssMax <= 400,
      },
      { figure: 'list of open training cases, p95, 1 connection', value: `${ms(list1.p95)} (p50 ${ms(list1.p50)})`, target: '≤ 50 ms', met: list1.p95 <= 50 },
      { figure: 'list of open training cases, p95, 10 connections', value: `${ms(list10.p95)} (p50 ${ms(list10.p50)})`, target: '≤ 50 ms', met: list10.p95 <= 50 },
      { figure: `deadline timer lateness p99 (${due.size} data-breach timers)`, value: `${ms(lateP99)} (p50 ${ms(lateP50)}, max ${ms(lateMax)})`, target: '≤ 1 s', met: lateP99 <= 1000 },
      { figure: `monthly training report over ${openTraining} cases (${REPORT_RUNS} runs)`, value: `p50 ${ms(reportP50)}, max ${ms(reportMax)}`, target: '≤ 2 s', met: reportMax <= 2000 },
    ];
    const cpuWindows: [string, CpuShare][] = [
      ['API starts, one worker', one.cpu],
      ['API starts, two workers', two.cpu],
      ['raw `workflow.start`', rawCpu],
      [`writing the ${trainingCases} training cases`, openCpu],
      ['list, 10 connections', list10.cpu],
      ['training report', reportCpu],
      ['timers falling due', timerCpu],
    ];
    const bounds: string[] = [];
    const saturated = (cpu: CpuShare) => cpu.machine >= 0.9 * os.cpus().length;
    const serviceCores = (cpu: CpuShare) => cpu.byLabel.filter(([label]) => !label.startsWith('bench')).reduce((sum, [, c]) => sum + c, 0);
    const perCore = (run: { rate: number; cpu: CpuShare }) => run.rate / serviceCores(run.cpu);
    if (scaling < 1.6) {
      bounds.push(
        `**two workers / one worker** (${scaling.toFixed(2)}× against ≥ 1.6×): a second worker adds a workflow-task and activity executor, not CPU. ` +
          `With one worker the machine was ${saturated(one.cpu) ? 'already saturated' : 'busy'} (${cores(one.cpu.machine)} of ${os.cpus().length} cores; ${cpuLine(one.cpu)}); ` +
          `with two it used ${cores(two.cpu.machine)} (${cpuLine(two.cpu)}). ` +
          `Per core that the service's processes got (every process but the load generator), that is ${perCore(one).toFixed(1)} starts/s with one worker and ${perCore(two).toFixed(1)} with two, while work outside this bench took ${cores(one.cpu.others)} and ${cores(two.cpu.others)} cores: the rate follows the CPU the service gets, not the number of workers. ` +
          `What the start waits for (the API's update-with-start completes after the first workflow task and the \`recordCaseEvent\` activity) is spread over the API, PostgreSQL, the history and matching services and the worker on the same two cores, so the worker's share is only part of each start and splitting it over two processes cannot give 1.6×; the start rate scales with cores (and with the history service's shards spread over more hosts), not with worker processes on one two-core machine.`,
      );
    }
    if (rssMax > 400) {
      bounds.push(
        `**worker RSS** (${rssMax.toFixed(0)} MB against ≤ 400 MB; ${rssIdle.rssMb.toFixed(0)} MB of it idle, before any case): the worker holds the Rust core, the bundled workflow code in its isolate, Nest and the activities' PostgreSQL pool, plus the workflows in its sticky cache (WORKER_MAX_CACHED_WORKFLOWS ${CACHED_WORKFLOWS}) in a workflow thread of ${WORKFLOW_HEAP_MB} MB heap (WORKER_WORKFLOW_HEAP_MB); open cases beyond the cache live in Temporal's history, not in the worker.`,
      );
    }
    if (list10.p95 > 50) {
      bounds.push(
        `**list, 10 connections** (p95 ${ms(list10.p95)} against ≤ 50 ms; one connection: ${ms(list1.p95)}): ten requests at once on two cores queue for the CPU (${cpuLine(list10.cpu)}); the p95 is mostly waiting; each answer reads its page's snapshots (the \`total\` comes from the counts kept beside the case files, not from counting ${openTraining} open cases).`,
      );
    }
    if (lateP99 > 1000) {
      bounds.push(
        `**timer lateness** (p99 ${ms(lateP99)} against ≤ 1 s): a fired timer goes from the history service's timer queue through matching to a worker's workflow task and then the \`recordCaseEvent\` activity before the journal entry exists; while they fired: ${cpuLine(timerCpu)}.`,
      );
    }
    if (reportMax > 2000) {
      bounds.push(
        `**training report** (max ${ms(reportMax)} against ≤ 2 s): two aggregate queries over every in-scope training case's JSON snapshot in PostgreSQL (${cpuLine(reportCpu)}).`,
      );
    }
    const cpus = os.cpus();
    const machine = `${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB memory, ${os.type()} ${os.release()}, Node ${process.version}; load average at the end ${os.loadavg().map((l) => l.toFixed(1)).join(' / ')} (other work on the machine counts in every figure; the CPU lines below say how much)`;
    const reduced =
      trainingCases < FULL_SIZE
        ? ` **This run opened ${trainingCases} training cases (BENCH_TRAINING_CASES), fewer than the ${FULL_SIZE} of the target; nothing is extrapolated.**`
        : '';
    const table = ['| figure | measured | target | met |', '|---|---|---|---|', ...rows.map((r) => `| ${r.figure} | ${r.value} | ${r.target} | ${r.met === undefined ? '—' : r.met ? 'yes' : '**no**'} |`)].join('\n');
    process.stdout.write(`\n${machine}\n\n${table}\n\n`);
    const md = [
      '## On a Temporal cluster on PostgreSQL',
      '',
      'Written by `npm run bench -- --cluster` (`infra/bench/cluster-bench.ts`); not part of CI. One throwaway PostgreSQL holds the',
      "service's database and Temporal's persistence and visibility; the Temporal cluster runs frontend, history, matching and",
      "worker services as separate processes (`infra/cluster`, 4 history shards); the built API and worker(s) run as `npm start` runs them",
      `(payloads encrypted, the service logs at \`${LOG_LEVEL}\`, the per-identity rate limit raised). Every figure is from one run.`,
      '',
      `- machine: ${machine}`,
      `- date: ${new Date().toISOString()}`,
      `- parameters: start runs ${DURATION_S} s each at concurrency ${CONCURRENCY}; ${trainingCases} open mandatory-training cases (${employees} employees × two courses); ${due.size} deadline timers; ${REPORT_RUNS} report runs; worker cache WORKER_MAX_CACHED_WORKFLOWS ${CACHED_WORKFLOWS}, workflow heap WORKER_WORKFLOW_HEAP_MB ${WORKFLOW_HEAP_MB}.${reduced}`,
      `- start-up: cluster (PostgreSQL ${servers.startedIn.postgres.toFixed(1)} s, migrations ${servers.startedIn.migrations.toFixed(1)} s, Temporal databases and services ${servers.startedIn.temporal.toFixed(1)} s); API healthy and the first worker polling ${tReady.toFixed(1)} s after the bench started.`,
      '',
      table,
      '',
      '### How each figure is taken',
      '',
      '- **Starts**: autocannon POSTs valid data-breach starts (each with its own Idempotency-Key) to `/api/v1/cases/data-breach` on 20 connections for the run\'s duration, first with one worker, then after a second worker process has started polling the same task queue; between runs the bench waits until every started case is written. The raw row runs 20 loops of `client.workflow.start` with the API\'s own start input and options (`newCaseStartInput`, `newCaseStartOptions`, apps/api/src/cases/case-start.ts); it returns before the worker writes the case (see the notes for the backlog).',
      '- **Training cases**: opened with raw `client.workflow.start` of `mandatoryTrainingWorkflow`, with the start input the API builds (the normalised input, the policy and areas from the configuration, the opener a Ledelsessekretariat actor) and its start options; one IT-security and one administrative-law case per employee, administrative staff and leaders (both courses are required of them), employed in the last four days (their first deadlines and reminders armed as timers). What the API adds per start and this path skips is the Idempotency-Key, the case-number sequence and the one-open-case-per-employee-and-course claim in PostgreSQL; those are measured in the start rows. The bench waits until every case file is written before measuring.',
      '- **Worker RSS**: VmRSS from `/proc/<pid>/status` of each worker with the cases open (both workers took cases). The workers load the prebuilt workflow bundle (`npm run build:workflows`, WORKFLOW_BUNDLE_PATH) as production does; a worker that bundles at start, as under `npm start`, holds about 135 MB more (webpack\'s memory). The workflow thread\'s V8 heap is bounded (WORKER_WORKFLOW_HEAP_MB): unbounded, V8 let it grow toward a quarter of the machine\'s memory before collecting what finished workflow tasks left, and a worker with 3,000 open training cases peaked at 655 MB against 362 MB with 128 MB, measured side by side.',
      '- **List**: `GET /api/v1/cases?process=mandatory-training&status=open&overdue=false&pageSize=20` as Ledelsessekretariatet (reads every training case), autocannon for 10 s on 1 and on 10 connections; the bench checks the list\'s `total` equals the open training cases in the database.',
      "- **Timer lateness**: a training deadline always ends at 23:59:59.999 Copenhagen time (calendar days and years count to the end of the day), so it cannot be made to fall due within a run; the timers are data-breach deadlines (72 hours, to the millisecond), started as the API does (update-with-start), with the training cases open beside them: due 20–40 s after they are started, lateness is the `deadline-missed` journal entry's time minus the due time.",
      `- **Training report**: \`GET /api/v1/statistics/training\` (the report the monthly \`training-overdue-lists\` schedule sends) as Ledelsessekretariatet, ${REPORT_RUNS} times one after the other; the bench checks that it counted every training case.`,
      '- **CPU**: for each window, the CPU time of each process (and its children) from `/proc/<pid>/stat`, in cores (1.00 = one core busy for the whole window), and the whole machine\'s from `/proc/stat`.',
      '',
      '### Notes from this run',
      '',
      `- Starts through the API: one worker ${one.ok} in ${DURATION_S} s (p50 ${ms(percentile(one.run.latencies, 50))}, p99 ${ms(percentile(one.run.latencies, 99))}, non-2xx ${one.run.result.non2xx}); two workers ${two.ok} (p50 ${ms(percentile(two.run.latencies, 50))}, p99 ${ms(percentile(two.run.latencies, 99))}, non-2xx ${two.run.result.non2xx}). Raw \`workflow.start\` p50 ${ms(percentile(raw.latencies, 50))}, p99 ${ms(percentile(raw.latencies, 99))}, ${raw.failed} failed; the workers needed another ${rawBacklogS.toFixed(1)} s to write those ${raw.done} cases.`,
      `- Training cases: ${trainingCases} raw starts took ${startedS.toFixed(0)} s (${(trainingCases / startedS).toFixed(0)}/s, ${OPEN_CONCURRENCY} in flight); all ${openTraining} case files were written ${writtenS.toFixed(0)} s after the first start (${(trainingCases / writtenS).toFixed(0)}/s with two workers).`,
      `- Worker VmRSS idle, right after it polled and before it ran any case: worker-1 ${rssIdle.rssMb.toFixed(0)} MB, worker-2 ${rssIdle2.rssMb.toFixed(0)} MB (after the first start runs). After the timer run: ${rssAfter1.rssMb.toFixed(0)} MB and ${rssAfter2.rssMb.toFixed(0)} MB.`,
      `- List: ${list1.run.result['2xx']} answers in 10 s on one connection (${list1.run.result.requests.average}/s), ${list10.run.result['2xx']} on ten (${list10.run.result.requests.average}/s).`,
      `- Training report runs: ${reportTimes.map((t) => ms(t)).join(', ')}.`,
      '',
      '### CPU by process in each window (cores)',
      '',
      ...cpuWindows.map(([what, cpu]) => `- ${what}: ${cpuLine(cpu)}`),
      '',
      '### Targets missed and what bounds them',
      '',
      ...(bounds.length ? bounds.map((b) => `- ${b}`) : ['None.']),
      '',
    ].join('\n');
    writeSection(OUTPUT, 'cluster', md);
    say(`wrote the cluster section of ${path.relative(PROJECT_ROOT, OUTPUT)}`);
  } catch (err) {
    say(`failed: ${err instanceof Error ? err.message : String(err)}`);
    say(`last service output:\n${keptLog}`);
    process.exitCode = 1;
  } finally {
    for (const stop of stops.reverse()) await stop().catch((err: unknown) => say(`stop failed: ${String(err)}`));
  }
}
