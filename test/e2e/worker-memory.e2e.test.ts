import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { waitFor } from '@buf/infra/local/processes';
import { breachReport, HIGH_RISK_PATH } from '../support/data-breach-fixtures';
import { takeSteps, unique } from '../support/platform';
import { ServiceUnderTest } from '../support/service';

const MB = 1024 * 1024;

interface DiagnosticReport {
  header: { commandLine: string[] };
  javascriptHeap: { memoryLimit: number };
  workers: DiagnosticReport[];
}

/**
 * WORKER_WORKFLOW_HEAP_MB bounds the V8 heap the workflows run in. Unbounded, V8 let the
 * workflow thread's heap fill with garbage toward a quarter of the machine's memory, and the
 * worker's RSS grew with every case it ran (docs/benchmarks.md). The real worker is asked for
 * Node's diagnostic report, which gives each thread's heap limit.
 */
describe("the worker's workflow heap (real worker, Temporal dev server, PostgreSQL)", () => {
  let service: ServiceUnderTest;
  let reportDir: string;

  beforeAll(async () => {
    reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'buf-worker-report-'));
    service = await ServiceUnderTest.start('worker-memory', {
      WORKER_WORKFLOW_HEAP_MB: '144',
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --report-on-signal --report-signal=SIGUSR2 --report-directory=${reportDir}`.trim(),
    });
  });

  afterAll(async () => {
    await service?.stop();
    // The report holds the process's environment.
    fs.rmSync(reportDir, { recursive: true, force: true });
  });

  it('given WORKER_WORKFLOW_HEAP_MB=144 and a case that ran on the worker, when the worker reports its threads, then each thread running workflows has a 144 MB old generation (plus the young one), not the machine-sized default', async () => {
    const gdpr = await service.as({ sub: unique('gdpr'), name: 'Grete GDPR', roles: ['gdpr'] });
    const reporter = await service.as({ sub: unique('emp'), name: 'Erik Ansat', roles: ['employee'], unit: 'Skole Nord' });
    const opened = await reporter.start('data-breach', breachReport());
    expect(opened.status).toBe(201);
    await takeSteps(gdpr, opened.body.id, HIGH_RISK_PATH.slice(0, 1));

    process.kill(service.workerPid, 'SIGUSR2');
    let file = '';
    await waitFor('the diagnostic report', async () => {
      const done = fs.readdirSync(reportDir).find((f) => f.endsWith('.json'));
      if (done === undefined) return false;
      file = path.join(reportDir, done);
      try {
        JSON.parse(fs.readFileSync(file, 'utf8'));
        return true;
      } catch {
        return false; // still being written
      }
    }, 20_000);
    const report = JSON.parse(fs.readFileSync(file, 'utf8')) as DiagnosticReport;

    expect(report.header.commandLine.join(' ')).toContain('dist/apps/worker/src/main.js');
    expect(report.workers.length).toBeGreaterThanOrEqual(1);
    for (const thread of report.workers) {
      // heap_size_limit = the old generation's limit + the young generation's (16–48 MB).
      expect(thread.javascriptHeap.memoryLimit).toBeGreaterThanOrEqual(144 * MB);
      expect(thread.javascriptHeap.memoryLimit).toBeLessThanOrEqual((144 + 64) * MB);
    }
  }, 90_000);
});
