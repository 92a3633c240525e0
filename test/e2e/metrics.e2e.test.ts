import * as fs from 'node:fs';
import * as path from 'node:path';
import { freePort } from '@buf/infra/local/processes';
import { eventually } from '../support/polling';
import { breachReport } from '../support/data-breach-fixtures';
import { PROJECT_ROOT } from '../support/paths';
import { unique } from '../support/platform';
import { type Sample, metricNames, parseMetrics, promqlMetricNames, valueOf } from '../support/prometheus';
import { type Caller, ServiceUnderTest, createIsolatedDatabase } from '../support/service';

const ACTION_ROUTE = '/api/v1/cases/:caseId/actions/:action';


/** Prometheus metrics of the API and the worker, scraped as Prometheus would (real API, worker, Temporal dev server, PostgreSQL). */
describe('metrics on /metrics of the API and the worker', () => {
  let service: ServiceUnderTest;
  let workerMetricsUrl: string;
  let reporter: Caller;
  let gdpr: Caller;
  const scrape = async (url: string): Promise<string> => {
    const res = await fetch(url);
    expect({ status: res.status, type: res.headers.get('content-type') }).toEqual({ status: 200, type: expect.stringMatching(/^text\/plain/) });
    return res.text();
  };
  const api = async () => parseMetrics(await scrape(`${service.baseUrl}/metrics`));
  const worker = async () => parseMetrics(await scrape(workerMetricsUrl));

  beforeAll(async () => {
    const workerPort = await freePort();
    // A database of its own, and an outbox that is not drained: the backlog is this file's alone.
    service = await ServiceUnderTest.start('metrics', { DATABASE_URL: await createIsolatedDatabase('metrics'), WORKER_METRICS_PORT: String(workerPort), OUTBOX_POLL_MS: '3600000' });
    workerMetricsUrl = `http://127.0.0.1:${workerPort}/metrics`;
    reporter = await service.as({ sub: unique('emp'), name: 'Erik Ansat', roles: ['employee'], unit: 'Skole Nord' });
    gdpr = await service.as({ sub: unique('gdpr'), name: 'Grete GDPR', roles: ['gdpr'] });
  });

  afterAll(async () => {
    await service?.stop();
  });

  it('given a case opened, an action taken and one refused, when scraped before and after, then each counter moved by exactly that, and no label names the case', async () => {
    const apiBefore = await api();
    const workerBefore = await worker();

    const { body: opened } = service.expectStatus(await reporter.start('data-breach', breachReport()), 201);
    service.expectStatus(await gdpr.act(opened.id, 'triage', { outcome: 'breach', reason: 'Oplysninger videregivet' }), 200);
    // Triaged already: the step no longer allows it.
    service.expectStatus(await gdpr.act(opened.id, 'triage', { outcome: 'breach', reason: 'Oplysninger videregivet' }), 409);

    const moved = (before: Sample[], after: Sample[], name: string, labels: Record<string, string>) => valueOf(after, name, labels) - valueOf(before, name, labels);
    const apiAfter = await api();
    expect({
      refused: moved(apiBefore, apiAfter, 'buf_actions_refused_total', { process: 'data-breach', action: 'triage', status: '409' }),
      refusedInAll: moved(apiBefore, apiAfter, 'buf_actions_refused_total', {}),
      actionRequests200: moved(apiBefore, apiAfter, 'buf_http_request_duration_seconds_count', { route: ACTION_ROUTE, method: 'POST', status: '200' }),
      actionRequests409: moved(apiBefore, apiAfter, 'buf_http_request_duration_seconds_count', { route: ACTION_ROUTE, method: 'POST', status: '409' }),
      starts201: moved(apiBefore, apiAfter, 'buf_http_request_duration_seconds_count', { route: '/api/v1/cases/:process', method: 'POST', status: '201' }),
    }).toEqual({ refused: 1, refusedInAll: 1, actionRequests200: 1, actionRequests409: 1, starts201: 1 });

    // The worker counts as its activities write the journal (the 200 came after the entry was written).
    const workerAfter = await eventually('the worker counting the opening', async () => {
      const samples = await worker();
      return moved(workerBefore, samples, 'buf_cases_opened_total', {}) >= 1 && samples;
    });
    expect({
      opened: moved(workerBefore, workerAfter, 'buf_cases_opened_total', { process: 'data-breach' }),
      openedInAll: moved(workerBefore, workerAfter, 'buf_cases_opened_total', {}),
      taken: moved(workerBefore, workerAfter, 'buf_actions_taken_total', { process: 'data-breach', action: 'triage' }),
      takenInAll: moved(workerBefore, workerAfter, 'buf_actions_taken_total', {}),
      escalations: moved(workerBefore, workerAfter, 'buf_escalations_total', {}),
    }).toEqual({ opened: 1, openedInAll: 1, taken: 1, takenInAll: 1, escalations: 0 });

    // Labels: closed lists only (cardinality, and nothing of a case).
    const labelValues = [...apiAfter, ...workerAfter].flatMap((s) => Object.values(s.labels));
    expect(labelValues.filter((v) => v.includes(opened.id) || v.includes(opened.caseNumber))).toEqual([]);
  });

  it('given notifications waiting in the outbox, when the worker is scraped, then the backlog and the age of the oldest are what PostgreSQL holds', async () => {
    await service.db.query(
      `INSERT INTO notification_outbox (dedupe_key, case_id, recipient_role, kind, subject, body, created_at)
       VALUES ($1, 'data-breach-2026-0000000', 'gdpr', 'information', 'x', 'x', now() - interval '2 hours')`,
      [unique('metrics-old')],
    );
    const { rows } = await service.db.query(`SELECT count(*)::int AS n FROM notification_outbox WHERE status <> 'sent'`);
    const samples = await worker();
    expect(valueOf(samples, 'buf_outbox_backlog_messages')).toBe(rows[0].n);
    expect(rows[0].n).toBeGreaterThan(1);
    const age = valueOf(samples, 'buf_outbox_oldest_age_seconds');
    expect(age).toBeGreaterThanOrEqual(2 * 3600);
    expect(age).toBeLessThan(2 * 3600 + 300);
  });

  it('given a case whose workflow task fails (a plain TypeError: its start has no policy), when the worker is scraped, then the SDK runtime\'s failing-task counter has risen for its workflow type, and the worker said so in a JSON line naming the case', async () => {
    const samplesBefore = await worker();
    expect(valueOf(samplesBefore, 'temporal_workflow_task_schedule_to_start_latency_count')).toBeGreaterThan(0);
    const failed = (samples: Sample[]) => valueOf(samples, 'temporal_workflow_task_execution_failed', { workflow_type: 'accessRequestWorkflow' });
    const caseNumber = `2026-09${String(Math.floor(Math.random() * 100_000)).padStart(5, '0')}`;
    const caseId = `access-request-${caseNumber}`;
    const start = {
      caseId,
      caseNumber,
      openedAt: new Date().toISOString(),
      actor: { sub: unique('jur'), name: 'Jonna Jurist', roles: ['jurist'] },
      input: { receivedAt: new Date().toISOString(), requester: 'Avis', requesterType: 'journalist', request: 'Dokumenter', area: 'nord' },
    };
    const client = await service.temporalClient({ withPayloadKey: true });
    const handle = await client.workflow.start('accessRequestWorkflow', { taskQueue: service.taskQueue, workflowId: caseId, args: [start] });
    try {
      await eventually('the failing workflow task counted', async () => failed(await worker()) > failed(samplesBefore), 20_000);
      const said = await eventually('the worker saying so', async () => service.jsonLogs('worker').find((l) => String(l.msg).startsWith('Workflow task failing') && l.caseId === caseId));
      expect(said).toMatchObject({ level: 50, context: 'Temporal', workflowType: 'accessRequestWorkflow' });
    } finally {
      await handle.terminate('test over');
      await client.connection.close();
    }
  });

  it('given the Grafana dashboard, when its queries are read, then every metric they name is one the API or the worker exports', async () => {
    const dashboard = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'infra', 'grafana', 'buf-case-workflows.json'), 'utf8')) as { panels: { title: string; targets?: { expr: string }[] }[] };
    const exported = new Set([...metricNames(await scrape(`${service.baseUrl}/metrics`)), ...metricNames(await scrape(workerMetricsUrl))]);
    const queried = dashboard.panels.flatMap((p) => (p.targets ?? []).flatMap((t) => promqlMetricNames(t.expr).map((name) => ({ panel: p.title, name }))));
    expect(queried.length).toBeGreaterThan(10);
    expect(queried.filter((q) => !exported.has(q.name))).toEqual([]);
  });
});
