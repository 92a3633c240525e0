import { Client, Connection, type WorkflowExecutionInfo } from '@temporalio/client';
import { CASE_SEARCH_ATTRIBUTES as SA } from '@buf/workflows/search-attributes';
import { testEnv } from '../support/paths';
import { eventually } from '../support/polling';
import { HIGH_RISK_PATH, breachReport } from '../support/data-breach-fixtures';
import { HOUR, takeSteps, unique } from '../support/platform';
import { type Caller, ServiceUnderTest } from '../support/service';

/** What Ledelsessekretariatet monitors in Temporal: the search attributes (real worker, Temporal dev server, PostgreSQL). */
describe('monitoring in Temporal: search attributes (real worker, Temporal dev server, PostgreSQL)', () => {
  let service: ServiceUnderTest;
  let temporal: Client;
  let reporter: Caller;
  let gdpr: Caller;
  const reporterName = 'Erik Ansat';
  /** An area of this file's own (configured for its service): the visibility query finds only its case. */
  const AREA = unique('area');

  beforeAll(async () => {
    service = await ServiceUnderTest.start('platform-visibility', { AREAS: ['nord', 'syd', AREA].join(',') });
    temporal = new Client({ connection: await Connection.connect({ address: testEnv('TEST_TEMPORAL_ADDRESS') }), namespace: 'default' });
    reporter = await service.as({ sub: unique('emp'), name: reporterName, roles: ['employee'], unit: 'Skole Nord' });
    gdpr = await service.as({ sub: unique('gdpr'), name: 'Grete GDPR', roles: ['gdpr'] });
  });

  afterAll(async () => {
    await temporal?.connection.close();
    await service?.stop();
  });

  /** Visibility is eventually consistent: polls the list query until the workflow matches it. */
  const findInVisibility = (query: string): Promise<WorkflowExecutionInfo> =>
    eventually(`a workflow matching ${query}`, async () => {
      for await (const execution of temporal.workflow.list({ query })) return execution;
      return undefined;
    }, 10_000, 200);

  it('given a triaged breach, when Temporal visibility is queried, then BufProcess, BufStep, BufArea, BufOverdue, BufCaseNumber and BufNextDeadline describe the case', async () => {
    const area = AREA;
    const opened = await reporter.start('data-breach', breachReport({ area }));
    const id: string = opened.body.id;
    await takeSteps(gdpr, id, HIGH_RISK_PATH.slice(0, 1));

    const execution = await findInVisibility(
      `WorkflowId = '${id}' AND BufStep = 'risk-assessment' AND BufProcess = 'data-breach' AND BufArea = '${area}' AND BufOverdue = false AND BufCaseNumber = '${opened.body.caseNumber}'`,
    );

    const attributes = execution.typedSearchAttributes;
    expect(attributes.get(SA.process)).toBe('data-breach');
    expect(attributes.get(SA.step)).toBe('risk-assessment');
    expect(attributes.get(SA.area)).toBe(area);
    expect(attributes.get(SA.overdue)).toBe(false);
    expect(attributes.get(SA.caseNumber)).toBe(opened.body.caseNumber);
    expect(attributes.get(SA.nextDeadline)?.toISOString()).toBe(opened.body.deadlines[0].dueAt);
  });

  it('given a breach reported after its 72 hours ran out, when Temporal visibility is queried, then BufOverdue is true', async () => {
    const opened = await reporter.start('data-breach', breachReport({ discoveredAt: new Date(Date.now() - 80 * HOUR).toISOString() }));

    const execution = await findInVisibility(`WorkflowId = '${opened.body.id}' AND BufOverdue = true`);

    expect(execution.typedSearchAttributes.get(SA.overdue)).toBe(true);
  });

  it('given a breach with personal data in its report, when its search attributes are read, then none holds the description, the reporter or the unit', async () => {
    const report = breachReport({ description: `Navneliste for ${unique('Hans Hansen')} med CPR 010203-1234 lækket`, unit: unique('Skole') });
    const id: string = (await reporter.start('data-breach', report)).body.id;
    await takeSteps(gdpr, id, HIGH_RISK_PATH.slice(0, 1));

    const execution = await findInVisibility(`WorkflowId = '${id}' AND BufStep = 'risk-assessment'`);

    const values = execution.typedSearchAttributes.getAll().map((pair) => JSON.stringify(pair.value));
    expect(values.length).toBeGreaterThanOrEqual(5);
    for (const secret of [report.description, '010203-1234', reporterName, report.unit as string]) {
      expect(values.filter((v) => v.includes(secret))).toEqual([]);
    }
  });
});
