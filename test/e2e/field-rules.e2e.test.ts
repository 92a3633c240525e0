import { createHash } from 'node:crypto';
import { ApplicationFailure, type Client, WorkflowFailedError } from '@temporalio/client';
import { DEFAULT_POLICY, type StartCaseInput } from '@buf/domain';
import { CASE_SEARCH_ATTRIBUTES as SA } from '@buf/workflows/search-attributes';
import { type Caller, ServiceUnderTest } from '../support/service';

/**
 * One rule per field, wherever a value enters: malformed instants are a 400 naming the field,
 * answered at once, never a case left half made; a start that ends without a case gives its
 * claims back, so a correct retry opens the case.
 */
describe('field rules and stranded starts over HTTP (real worker, Temporal dev server, PostgreSQL)', () => {
  let service: ServiceUnderTest;
  let temporal: Client;
  let areaChief: Caller;
  let secretariat: Caller;
  let employee: Caller;
  let n = 0;
  const employeeId = () => `fr-${process.pid}-${++n}`;
  const training = (id: string, employedFrom: string) => ({
    employeeId: id, course: 'it-security', staffGroup: 'administrative', employedFrom, unit: 'Skole Nord', area: 'nord',
  });

  beforeAll(async () => {
    service = await ServiceUnderTest.start('field-rules-e2e');
    temporal = await service.temporalClient({ withPayloadKey: true });
    areaChief = await service.as({ sub: 'oc-fr', name: 'Ole Områdechef', roles: ['area-chief'], area: 'nord' });
    secretariat = await service.as({ sub: 'ls-fr', name: 'Lone Sekretariat', roles: ['ledelsessekretariat'] });
    employee = await service.as({ sub: 'emp-fr', name: 'Eva Ansat', roles: ['employee'] });
  });

  afterAll(async () => {
    await temporal?.connection.close();
    await service?.stop();
  });

  it.each(['20260310', '2026-W10', '2026-03-10T10', '2026-02-30'])(
    'given employedFrom %j, when a training case is opened, then 400 names the field at once and the employee can still be enrolled',
    async (employedFrom) => {
      const id = employeeId();
      const began = Date.now();
      const refused = service.expectStatus(await areaChief.start('mandatory-training', training(id, employedFrom)), 400);
      expect(Date.now() - began).toBeLessThan(1_000);
      expect(refused.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['employedFrom']);

      const opened = service.expectStatus(await areaChief.start('mandatory-training', training(id, '2026-03-10')), 201);
      expect(opened.body.data.employedFrom).toBe('2026-03-09T23:00:00.000Z'); // 10.03.2026 00:00 Copenhagen (CET)
    },
  );

  /** Found by `npm run fuzz`: the API accepted it, stored it in UTC (1899), and the workflow's own check of the start then failed the run. */
  it('given 00.30 on 1 January 1900 Copenhagen time (23.30 on 31 December 1899 in UTC) as employedFrom, when a training case is opened, then 400 names the field before any run is started', async () => {
    // A run that fails its start says so in the service's log (the worker's "Workflow failed", the API's "ended without a case file").
    const failedRuns = () => service.logs.filter((l) => /Workflow failed|ended without a case file/.test(l)).length;
    const before = failedRuns();
    const refused = service.expectStatus(await areaChief.start('mandatory-training', training(employeeId(), '1900-01-01T00:30')), 400);
    expect(refused.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['employedFrom']);
    await new Promise((r) => setTimeout(r, 500));
    // The API refused it itself: no workflow run was started (and none failed).
    expect(failedRuns()).toBe(before);
  });

  /** Found by `npm run fuzz`: the completion deadline fell in the year 10000, which no search attribute holds, and the start answered 500. */
  it('given employedFrom in December 9999, when a training case is opened, then 400 names the field: a deadline counted from it would fall beyond 9999', async () => {
    for (const employedFrom of ['9999-12-18t13:31', '9998-12-31T23:48:04.5z']) {
      const refused = service.expectStatus(await areaChief.start('mandatory-training', { ...training(employeeId(), employedFrom), course: 'administrative-law' }), 400);
      expect(refused.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['employedFrom']);
    }
    // The range's last instants: 31.12.9998 00.30 Copenhagen; administrative law within 365 days ends on the last day of 9999.
    const last = { ...training(employeeId(), '9998-12-30T23:30Z'), course: 'administrative-law' };
    const opened = service.expectStatus(await areaChief.start('mandatory-training', last), 201);
    expect(opened.body.deadlines[0].dueAt).toBe('9999-12-31T22:59:59.999Z'); // fredag 31.12.9999 kl. 23.59 (vintertid), 365 dage efter 31.12.9998
  });

  it('given a week date as a statistics period, when the report is asked for, then 400 names the field', async () => {
    const res = service.expectStatus(await secretariat.get('/statistics/complaints?from=2026-W10'), 400);
    expect(res.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['from']);
  });

  it('given a week date as BRG reply deadline, when a whistleblower case is opened, then 400 names the field', async () => {
    const res = service.expectStatus(
      await secretariat.start('whistleblower', { brgReference: 'BRG-FR-1', subject: 'Forhold', replyDeadline: '2026-W52' }),
      400,
    );
    expect(res.body.details.fields.map((f: { field: string }) => f.field)).toContain('replyDeadline');
  });

  it('given a discovery time without an offset, when a breach is reported, then it is Copenhagen time and the 72 hours end at 16:00 Copenhagen', async () => {
    const res = service.expectStatus(
      await employee.start('data-breach', {
        discoveredAt: '2026-06-12T16:00', unit: 'Skole Nord', description: 'Elevliste sendt forkert', dataCategories: ['navn'], channel: 'form',
      }),
      201,
    );
    const gdpr = await service.as({ sub: 'g-fr', name: 'Gitte GDPR', roles: ['gdpr'] });
    const read = service.expectStatus(await gdpr.get(`/cases/${res.body.id}`), 200);
    expect(read.body.data.discoveredAt).toBe('2026-06-12T14:00:00.000Z'); // 12.06.2026 16:00 CEST
    // 15.06.2026 16:00 CEST, worked out by hand: three calendar days of 24 hours, no change of summer time.
    expect(read.body.deadlines.find((d: { name: string }) => d.name === 'datatilsynet-72h').dueAt).toBe('2026-06-15T14:00:00.000Z');
  });

  it.each([
    ['an area outside the configured areas it received', 'vest', ['nord', 'syd']],
    ['free text as area, without the list (a start as older runs had it)', 'Skole med CPR 010203-1234', undefined],
  ])('given a run started past the API with %s, when it starts, then it fails at once naming area, with no case file', async (_label, area, areas) => {
    const caseNumber = `2026-${7_000_000 + Math.floor(Math.random() * 999_999)}`;
    const caseId = `mandatory-training-${caseNumber}`;
    const start: StartCaseInput = {
      caseId, caseNumber, openedAt: new Date().toISOString(),
      actor: { sub: 'ls-fr', name: 'Lone Sekretariat', roles: ['ledelsessekretariat'] },
      input: { ...training(employeeId(), '2026-03-10'), area }, policy: DEFAULT_POLICY,
      ...(areas ? { areas } : {}),
    };
    const handle = await temporal.workflow.start('mandatoryTrainingWorkflow', { workflowId: caseId, taskQueue: service.taskQueue, args: [start] });
    const failure = await handle.result().then(() => undefined, (e: unknown) => e);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const cause = (failure as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause.type).toBe('InvalidInput');
    expect(cause.details?.[0]).toEqual({ fields: [expect.objectContaining({ field: 'area' })] });
    expect((await service.db.query('SELECT 1 FROM case_files WHERE id = $1', [caseId])).rowCount).toBe(0);
    // The run failed before it wrote any search attribute: the area never reached BufArea.
    expect((await handle.describe()).typedSearchAttributes.get(SA.area)).toBeUndefined();
  });

  /** A run started past the API (or with a rule the API missed), with an instant no rule accepts. */
  async function strandedRun(id: string): Promise<{ caseId: string; caseNumber: string }> {
    const caseNumber = `2026-${8_000_000 + Math.floor(Math.random() * 999_999)}`;
    const caseId = `mandatory-training-${caseNumber}`;
    const start: StartCaseInput = {
      caseId, caseNumber, openedAt: new Date().toISOString(),
      actor: { sub: 'oc-fr', name: 'Ole Områdechef', roles: ['area-chief'], area: 'nord' },
      input: training(id, '20260310'), policy: DEFAULT_POLICY,
    };
    const handle = await temporal.workflow.start('mandatoryTrainingWorkflow', { workflowId: caseId, taskQueue: service.taskQueue, args: [start] });
    const outcome = await Promise.race([
      handle.result().then(() => 'completed', (e: unknown) => e),
      new Promise((resolve) => setTimeout(() => resolve('still running after 15 s'), 15_000)),
    ]);
    // The run fails at once, naming the field — not a workflow task retried for ever.
    expect(outcome).toBeInstanceOf(WorkflowFailedError);
    const cause = (outcome as WorkflowFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect((cause as ApplicationFailure).type).toBe('InvalidInput');
    expect((cause as ApplicationFailure).nonRetryable).toBe(true);
    expect((cause as ApplicationFailure).message).toContain('employedFrom');
    return { caseId, caseNumber };
  }

  it('given a one-open-case claim held by a run that failed without a case, when the employee is enrolled, then the case opens', async () => {
    const id = employeeId();
    const { caseId, caseNumber } = await strandedRun(id);
    const keyHash = createHash('sha256').update(JSON.stringify([id, 'it-security'])).digest('hex');
    await service.db.query(`INSERT INTO open_case_keys (process, key_hash, case_id, case_number) VALUES ('mandatory-training', $1, $2, $3)`, [keyHash, caseId, caseNumber]);

    const opened = service.expectStatus(await areaChief.start('mandatory-training', training(id, '2026-03-10')), 201);
    expect(opened.body.id).not.toBe(caseId);
    const again = service.expectStatus(await areaChief.start('mandatory-training', training(id, '2026-03-10')), 409);
    expect(again.body.details.openCaseId).toBe(opened.body.id);
  });

  it('given an Idempotency-Key held by a run that failed without a case, when the start is repeated with it, then the case opens', async () => {
    const id = employeeId();
    const { caseId, caseNumber } = await strandedRun(id);
    await service.db.query(
      `INSERT INTO idempotency_keys (caller_sub, key, process, case_id, case_number) VALUES ('oc-fr', $1, 'mandatory-training', $2, $3)`,
      [`key-${id}`, caseId, caseNumber],
    );
    const opened = service.expectStatus(await areaChief.start('mandatory-training', training(id, '2026-03-10'), { 'Idempotency-Key': `key-${id}` }), 201);
    expect(opened.body.id).not.toBe(caseId);
    const repeat = service.expectStatus(await areaChief.start('mandatory-training', training(id, '2026-03-10'), { 'Idempotency-Key': `key-${id}` }), 201);
    expect(repeat.body.id).toBe(opened.body.id);
  });
});
