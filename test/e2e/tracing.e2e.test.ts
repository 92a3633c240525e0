import { eventually } from '../support/polling';
import { OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver';
import { breachReport } from '../support/data-breach-fixtures';
import { unique } from '../support/platform';
import { type Caller, ServiceUnderTest } from '../support/service';


/** One action over HTTP, traced from the request through Temporal to the SQL (real API, worker, Temporal dev server, PostgreSQL). */
describe('traces, and log lines that name their case and trace (OTLP receiver in the test)', () => {
  let receiver: OtlpReceiver;
  let service: ServiceUnderTest;
  let reporter: Caller;
  let gdpr: Caller;
  const report = breachReport({ description: 'Elevliste med navne sendt til Karen Sørensens forældre' });
  const triage = { outcome: 'breach', reason: 'Oplysninger om Mads Holm videregivet' };

  beforeAll(async () => {
    receiver = await OtlpReceiver.start();
    service = await ServiceUnderTest.start('tracing', { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '100' });
    reporter = await service.as({ sub: unique('emp'), name: 'Erik Ansat', roles: ['employee'], unit: 'Skole Nord' });
    gdpr = await service.as({ sub: unique('gdpr'), name: 'Grete GDPR', roles: ['gdpr'] });
  });

  afterAll(async () => {
    await service?.stop();
    await receiver?.stop();
  });

  it('given tracing to an OTLP endpoint, when an action is taken over HTTP, then one trace holds the request, the update, its handler, the activity and its SQL, without personal data; its log lines carry the case id and that trace id', async () => {
    const opened = service.expectStatus(await reporter.start('data-breach', report), 201);
    const caseId: string = opened.body.id;
    service.expectStatus(await gdpr.act(caseId, 'triage', triage), 200);

    const actionPath = `/api/v1/cases/${caseId}/actions/triage`;
    const isRequest = (s: ReceivedSpan) => s.kind === 2 && s.attributes['http.method'] === 'POST' && s.attributes['http.target'] === actionPath;
    const request = await eventually('the HTTP span of the action', async () => receiver.spans.find(isRequest), 20_000);
    const find = (what: string, match: (s: ReceivedSpan) => boolean) =>
      eventually(what, async () => receiver.trace(request.traceId).find(match), 20_000);

    const update = await find('the client update span', (s) => s.name === 'StartWorkflowUpdate:takeAction');
    const handler = await find('the update handler span', (s) => s.name === 'HandleUpdate:takeAction');
    const activity = await find('the activity span', (s) => s.name === 'RunActivity:recordCaseEvent' && s.attributes.temporalWorkflowId === caseId);
    const sql = await find('a pg query span under the activity', (s) => s.attributes['db.system'] === 'postgresql' && receiver.descendsFrom(s, activity));

    for (const span of [update, handler, activity, sql]) expect({ span: span.name, underRequest: receiver.descendsFrom(span, request) }).toEqual({ span: span.name, underRequest: true });
    expect(new Set([request, update].map((s) => s.service))).toEqual(new Set(['buf-case-workflows-api']));
    expect(new Set([handler, activity, sql].map((s) => s.service))).toEqual(new Set(['buf-case-workflows-worker']));

    // A query string can hold what a person typed: addresses are recorded without it.
    service.expectStatus(await gdpr.get('/cases?process=data-breach&status=open&pageSize=7'), 200);
    const list = await eventually('the HTTP span of the list', async () => receiver.spans.find((s) => s.kind === 2 && s.attributes['http.method'] === 'GET' && s.attributes['http.target'] === '/api/v1/cases'), 20_000);
    expect(String(list.attributes['http.url'])).toMatch(/\/api\/v1\/cases$/);

    // Nothing a person wrote, nor who they are, in any span of the service.
    const everything = JSON.stringify(receiver.spans.map((s) => [s.name, s.attributes, s.events]));
    for (const personal of [report.description, 'Karen Sørensen', triage.reason, 'Mads Holm', 'Grete GDPR', 'Erik Ansat', 'pageSize=7']) expect(everything).not.toContain(personal);

    // The API's line for that request, and the worker's line for its journal entry: the case id and the trace id.
    const requestLine = await eventually('the API log line of the request', async () =>
      service.jsonLogs('api').find((l) => (l.req as { path?: string } | undefined)?.path === actionPath && l.msg === 'request completed'),
    );
    expect({ caseId: requestLine.caseId, traceId: requestLine.traceId }).toEqual({ caseId, traceId: request.traceId });
    const workerLine = await eventually('the worker log line of the journal entry', async () =>
      service.jsonLogs('worker').find((l) => String(l.msg).startsWith(`Case ${caseId}: triage recorded`)),
    );
    expect({ caseId: workerLine.caseId, traceId: workerLine.traceId }).toEqual({ caseId, traceId: request.traceId });
    // The start's route names no case: its line names the case it opened, in the start's own trace.
    const openedLine = service.jsonLogs('api').find((l) => l.msg === `Opened case ${caseId}`);
    expect(openedLine).toMatchObject({ caseId, context: 'CasesService', traceId: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(openedLine?.traceId).not.toBe(request.traceId);
  }, 90_000);
});
