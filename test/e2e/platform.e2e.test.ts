import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Client, Connection, type WorkflowExecutionInfo } from '@temporalio/client';
import { SMTPServer, type SMTPServerAddress, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { dataBreachDefinition, whistleblowerDefinition } from '@buf/domain';
import { CASE_SEARCH_ATTRIBUTES as SA } from '@buf/workflows/search-attributes';
import { testEnv } from '../support/paths';
import { type BreachStep, HIGH_RISK_JOURNAL, HIGH_RISK_PATH, breachReport, highRiskStep } from '../support/data-breach-fixtures';
import { type Caller, ServiceUnderTest, createIsolatedDatabase } from '../support/service';

/**
 * Platform guarantees over HTTP against the real worker, Temporal dev server and PostgreSQL:
 * idempotent starts and actions, worker crashes, notifications over SMTP exactly once, the rest
 * of the HTTP contract, and the search attributes Ledelsessekretariatet monitors in Temporal.
 */

const HOUR = 3_600_000;
const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

const whistleblowerReceipt = () => ({
  brgReference: unique('BRG'),
  subject: 'Indberetning om forhold på en skole',
  summary: 'BRG beder om en udtalelse',
  handlingUnit: 'Skole Nord',
  replyDeadline: new Date(Date.now() + 20 * 24 * HOUR).toISOString(),
});

async function takeSteps(caller: Caller, caseId: string, steps: readonly BreachStep[]): Promise<void> {
  for (const s of steps) {
    const res = await caller.act(caseId, s.action, s.body);
    expect({ action: s.action, status: res.status, step: res.body.step }).toEqual({ action: s.action, status: 200, step: s.step });
  }
}

/** Bounded polling: the probe's first defined, non-false answer, or an error after `timeoutMs`. */
async function eventually<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 10_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Rejects when the promise has not settled in time, so a hanging request fails its test instead
 * of the run; the service's logs are printed to show where it hangs.
 */
function within<T>(ms: number, what: string, service: ServiceUnderTest, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      process.stdout.write(`${what}: no answer within ${ms / 1000} s; service logs:\n${service.logs.slice(-60).join('\n')}\n`);
      reject(new Error(`${what}: no answer within ${ms / 1000} s`));
    }, ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function expectJournal(service: ServiceUnderTest, caseId: string, actions: string[]): Promise<void> {
  const journal = await service.journal(caseId);
  expect(journal.map((j) => j.action)).toEqual(actions);
  expect(journal.map((j) => j.seq)).toEqual(actions.map((_a, i) => i + 1));
}

async function countRows(service: ServiceUnderTest, sql: string, params: unknown[]): Promise<number> {
  const { rows } = await service.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params);
  return rows[0].n;
}

describe('idempotent starts and actions (real worker, Temporal dev server, PostgreSQL)', () => {
  let service: ServiceUnderTest;
  let gdpr: Caller;

  beforeAll(async () => {
    service = await ServiceUnderTest.start('platform-idempotency');
    gdpr = await service.as({ sub: unique('gdpr'), name: 'Grete GDPR', roles: ['gdpr'] });
  });

  afterAll(async () => {
    await service?.stop();
  });

  /** A reporter of their own per test, so counting their cases counts only this test's. */
  const newReporter = (roles: string[] = ['employee']) => {
    const sub = unique('emp');
    return service.as({ sub, name: 'Erik Ansat', roles, unit: 'Skole Nord' }).then((caller) => ({ sub, caller }));
  };
  const casesOpenedBy = (sub: string) => countRows(service, 'case_files WHERE opened_by = $1', [sub]);
  const openedEntries = (caseId: string) => countRows(service, `case_journal WHERE case_id = $1 AND action = 'opened'`, [caseId]);
  const withKey = (key: string) => ({ 'Idempotency-Key': key });

  it('given a case started with an Idempotency-Key, when the same caller repeats the request, then both answer 201 with the same case and only one case file and one opened entry exist', async () => {
    const { sub, caller } = await newReporter();
    const key = randomUUID();

    const first = await caller.start('data-breach', breachReport(), withKey(key));
    const repeat = await caller.start('data-breach', breachReport(), withKey(key));

    expect([first.status, repeat.status]).toEqual([201, 201]);
    expect(repeat.body.id).toBe(first.body.id);
    expect(repeat.body.caseNumber).toBe(first.body.caseNumber);
    expect(await casesOpenedBy(sub)).toBe(1);
    expect(await openedEntries(first.body.id)).toBe(1);
  });

  it('given one Idempotency-Key, when five starts with it are sent at once, then they converge on one case', async () => {
    const { sub, caller } = await newReporter();
    const key = randomUUID();

    const answers = await Promise.all(Array.from({ length: 5 }, () => caller.start('data-breach', breachReport(), withKey(key))));

    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(await casesOpenedBy(sub)).toBe(1);
    expect(await openedEntries(answers[0].body.id)).toBe(1);
  });

  it('given two different Idempotency-Keys, when the same caller starts with each, then two cases are opened', async () => {
    const { sub, caller } = await newReporter();

    const first = await caller.start('data-breach', breachReport(), withKey(randomUUID()));
    const second = await caller.start('data-breach', breachReport(), withKey(randomUUID()));

    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body.id).not.toBe(first.body.id);
    expect(await casesOpenedBy(sub)).toBe(2);
  });

  it('given a key one caller used, when another caller sends the same key, then the other caller gets a case of their own', async () => {
    const one = await newReporter();
    const other = await newReporter();
    const key = randomUUID();

    const mine = await one.caller.start('data-breach', breachReport(), withKey(key));
    const theirs = await other.caller.start('data-breach', breachReport(), withKey(key));

    expect([mine.status, theirs.status]).toEqual([201, 201]);
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect(await casesOpenedBy(other.sub)).toBe(1);
  });

  it('given a key used to start a data-breach case, when it is used to start a whistleblower case, then 409 and no second case is opened', async () => {
    const { sub, caller } = await newReporter(['ledelsessekretariat']);
    const key = randomUUID();

    const breach = await caller.start('data-breach', breachReport(), withKey(key));
    const whistleblower = await caller.start('whistleblower', whistleblowerReceipt(), withKey(key));

    expect(breach.status).toBe(201);
    expect(whistleblower.status).toBe(409);
    expect(whistleblower.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
    expect(whistleblower.body.message).toContain('data-breach');
    expect(await casesOpenedBy(sub)).toBe(1);
  });

  it('given one key, when data-breach and whistleblower starts race with it, then one case is opened and every request for the other process answers 409', async () => {
    const { sub, caller } = await newReporter(['ledelsessekretariat']);
    const key = randomUUID();
    const starts = Array.from({ length: 3 }, () => [
      caller.start('data-breach', breachReport(), withKey(key)),
      caller.start('whistleblower', whistleblowerReceipt(), withKey(key)),
    ]).flat();

    const answers = await within(20_000, 'racing starts', service, Promise.all(starts));

    const opened = answers.filter((a) => a.status === 201);
    expect(new Set(opened.map((a) => a.body.id)).size).toBe(1);
    expect(answers.filter((a) => a.status !== 201).map((a) => a.status)).toEqual([409, 409, 409]);
    expect(await casesOpenedBy(sub)).toBe(1);
  });

  const openCase = async () => {
    const { caller } = await newReporter();
    const id: string = (await caller.start('data-breach', breachReport())).body.id;
    return id;
  };

  it('given an action taken with an Idempotency-Key, when it is repeated with the same key, then the repeat answers 200 with the same step and the journal has one entry for it', async () => {
    const id = await openCase();
    const triage = highRiskStep('triage');
    const key = randomUUID();

    const first = await gdpr.act(id, triage.action, triage.body, withKey(key));
    const repeat = await gdpr.act(id, triage.action, triage.body, withKey(key));

    expect([first.status, repeat.status]).toEqual([200, 200]);
    expect(repeat.body.step).toBe(first.body.step);
    expect(repeat.body.step).toBe(triage.step);
    await expectJournal(service, id, ['opened', 'triage']);
  });

  it('given an action taken without a key, when it is repeated, then the repeat is refused with 409 and applied once', async () => {
    const id = await openCase();
    const triage = highRiskStep('triage');

    const first = await gdpr.act(id, triage.action, triage.body);
    const repeat = await gdpr.act(id, triage.action, triage.body);

    expect([first.status, repeat.status]).toEqual([200, 409]);
    expect(repeat.body.details).toMatchObject({ step: triage.step });
    await expectJournal(service, id, ['opened', 'triage']);
  });

  it('given the same key sent by two people, when each takes an action with it, then both actions are applied', async () => {
    const id = await openCase();
    const colleague = await service.as({ sub: unique('gdpr'), name: 'Gustav GDPR', roles: ['gdpr'] });
    const key = randomUUID();

    expect((await gdpr.act(id, 'triage', highRiskStep('triage').body, withKey(key))).status).toBe(200);
    const second = await colleague.act(id, 'assess-risk', highRiskStep('assess-risk').body, withKey(key));

    expect(second.status).toBe(200);
    expect(second.body.step).toBe(highRiskStep('assess-risk').step);
    await expectJournal(service, id, ['opened', 'triage', 'assess-risk']);
  });

  it('given a key used for one action, when the same caller reuses it for another action on the case, then 409 and the other action is not reported as taken', async () => {
    const id = await openCase();
    const key = randomUUID();
    expect((await gdpr.act(id, 'triage', highRiskStep('triage').body, withKey(key))).status).toBe(200);

    const reused = await gdpr.act(id, 'assess-risk', highRiskStep('assess-risk').body, withKey(key));

    expect(reused.status).toBe(409);
    expect(reused.body.message).toContain(key);
    await expectJournal(service, id, ['opened', 'triage']);
  });

  it('given the action that closes a case taken with a key, when it is repeated with the same key, then the repeat answers 200 with the closed case', async () => {
    const id = await openCase();
    const key = randomUUID();
    const closing = { outcome: 'not-a-breach', reason: 'Ingen personoplysninger' };

    const first = await gdpr.act(id, 'triage', closing, withKey(key));
    const repeat = await gdpr.act(id, 'triage', closing, withKey(key));

    expect([first.status, repeat.status]).toEqual([200, 200]);
    expect(repeat.body).toMatchObject({ status: 'closed', step: 'closed' });
    await expectJournal(service, id, ['opened', 'triage']);
  });
});

describe('worker restarts in the middle of a case (real worker, Temporal dev server, PostgreSQL)', () => {
  let service: ServiceUnderTest;
  let reporter: Caller;
  let gdpr: Caller;

  beforeAll(async () => {
    service = await ServiceUnderTest.start('platform-restarts');
    reporter = await service.as({ sub: unique('emp'), name: 'Erik Ansat', roles: ['employee'], unit: 'Skole Nord' });
    gdpr = await service.as({ sub: unique('gdpr'), name: 'Grete GDPR', roles: ['gdpr'] });
  });

  afterAll(async () => {
    await service?.stop();
  });

  const open = async (): Promise<string> => {
    const res = await reporter.start('data-breach', breachReport());
    expect(res.status).toBe(201);
    return res.body.id;
  };

  it.each(['SIGKILL', 'SIGTERM'] as const)(
    'given a breach handled part-way, when the worker is stopped with %s and restarted, then the case goes on to closed with every journal entry exactly once',
    async (signal) => {
      const id = await open();
      await takeSteps(gdpr, id, HIGH_RISK_PATH.slice(0, 2));

      await service.restartWorker(signal);
      await takeSteps(gdpr, id, HIGH_RISK_PATH.slice(2));

      await expectJournal(service, id, HIGH_RISK_JOURNAL);
    },
    90_000,
  );

  it.each(['SIGKILL', 'SIGTERM'] as const)(
    'given an action request in flight, when the worker is stopped with %s and restarted, then the request answers 200 and the journal has exactly one entry for it',
    async (signal) => {
      const id = await open();
      await takeSteps(gdpr, id, HIGH_RISK_PATH.slice(0, 1));
      const assess = highRiskStep('assess-risk');

      const inFlight = gdpr.act(id, assess.action, assess.body, { 'Idempotency-Key': randomUUID() });
      await service.restartWorker(signal);
      const res = await within(75_000, 'the action in flight', service, inFlight);

      expect(res.status).toBe(200);
      expect(res.body.step).toBe(assess.step);
      await expectJournal(service, id, ['opened', 'triage', 'assess-risk']);
      await takeSteps(gdpr, id, HIGH_RISK_PATH.slice(2));
      await expectJournal(service, id, HIGH_RISK_JOURNAL);
    },
    110_000,
  );
});

describe('the HTTP contract: health, docs, processes and the case list (real worker, Temporal dev server, PostgreSQL)', () => {
  let service: ServiceUnderTest;
  let gdpr: Caller;

  beforeAll(async () => {
    service = await ServiceUnderTest.start('platform-contract');
    gdpr = await service.as({ sub: unique('gdpr'), name: 'Grete GDPR', roles: ['gdpr'] });
  });

  afterAll(async () => {
    await service?.stop();
  });

  it('given no token, when GET /api/v1/health is called, then 200 reports the database and Temporal up', async () => {
    const res = await service.request('GET', '/api/v1/health');

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' }, temporal: { status: 'up' } } });
  });

  it('given no token, when a case route is called, then 401 in the one error shape', async () => {
    const res = await service.request('GET', '/api/v1/cases');

    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ statusCode: 401, error: 'Unauthorized', message: expect.any(String) });
  });

  it('given the running API, when GET /docs is called, then 200 HTML', async () => {
    const res = await fetch(`${service.baseUrl}/docs`);

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toMatch(/<html/i);
  });

  it('given the running API, when GET /docs-json is called, then an OpenAPI document describes starting cases and taking actions with an Idempotency-Key', async () => {
    const res = await service.request('GET', '/docs-json');

    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    const start = res.body.paths['/api/v1/cases/{process}']?.post;
    const act = res.body.paths['/api/v1/cases/{caseId}/actions/{action}']?.post;
    expect(start).toBeDefined();
    expect(act).toBeDefined();
    for (const operation of [start, act]) {
      expect(operation.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ in: 'header', name: 'Idempotency-Key' })]));
    }
  });

  it('given the process definitions, when GET /api/v1/processes is called, then whistleblower and data-breach are listed with their actions and roles', async () => {
    const res = await gdpr.get('/processes');

    expect(res.status).toBe(200);
    const byName = new Map<string, any>(res.body.map((p: any) => [p.name, p]));
    for (const definition of [whistleblowerDefinition, dataBreachDefinition]) {
      const listed = byName.get(definition.name);
      expect(listed).toBeDefined();
      expect(listed.actions.map((a: any) => ({ name: a.name, roles: a.roles }))).toEqual(definition.actions.map((a) => ({ name: a.name, roles: a.roles })));
    }
    expect(byName.get('data-breach')).toMatchObject({ startRoles: 'any', initialStep: 'reported' });
    expect(byName.get('data-breach').actions.find((a: any) => a.name === 'triage')).toMatchObject({ roles: ['gdpr'], steps: ['reported'] });
    expect(byName.get('whistleblower')).toMatchObject({ startRoles: ['ledelsessekretariat'] });
  });

  it('given an unknown process, when GET /api/v1/processes/nope is called, then 404 in the one error shape', async () => {
    const res = await gdpr.get('/processes/nope');

    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found', message: expect.stringContaining('nope') });
  });

  /**
   * Three breaches in an area of their own (other test files share the database), opened in this
   * order: `open`, `closed` (recategorised), `overdue` (discovered 80 hours ago: the 72 hours have passed).
   */
  let listFixture: Promise<{ area: string; ids: Record<'open' | 'closed' | 'overdue', string> }> | undefined;
  const fixture = () => (listFixture ??= createListFixture());
  async function createListFixture() {
    const area = unique('area');
    const reporter = await service.as({ sub: unique('emp'), name: 'Erik Ansat', roles: ['employee'] });
    const openCase = async (overrides: Record<string, unknown> = {}): Promise<string> => (await reporter.start('data-breach', breachReport({ area, ...overrides }))).body.id;
    const open = await openCase();
    const closed = await openCase();
    expect((await gdpr.act(closed, 'triage', { outcome: 'not-a-breach', reason: 'Ingen personoplysninger' })).body.status).toBe('closed');
    const overdue = await openCase({ discoveredAt: new Date(Date.now() - 80 * HOUR).toISOString() });
    await eventually('the late breach flagged overdue', async () => (await gdpr.get(`/cases/${overdue}`)).body.overdue === true);
    return { area, ids: { open, closed, overdue } };
  }

  it.each([
    ['no further filter', '', ['overdue', 'closed', 'open']],
    ['process=data-breach', '&process=data-breach', ['overdue', 'closed', 'open']],
    ['process=whistleblower', '&process=whistleblower', []],
    ['status=open', '&status=open', ['overdue', 'open']],
    ['status=closed', '&status=closed', ['closed']],
    ['overdue=true', '&overdue=true', ['overdue']],
    ['overdue=false', '&overdue=false', ['closed', 'open']],
    ['status=open&overdue=false', '&status=open&overdue=false', ['open']],
  ] as const)('given three breaches in one area, when the list is filtered by area and %s, then it returns the matching cases newest first with their total', async (_label, filter, expected) => {
    const { area, ids } = await fixture();

    const res = await gdpr.get(`/cases?area=${area}${filter}`);

    expect(res.status).toBe(200);
    expect(res.body.items.map((c: any) => c.id)).toEqual(expected.map((name) => ids[name]));
    expect(res.body.total).toBe(expected.length);
    expect(res.body.items.every((c: any) => c.area === area)).toBe(true);
  });

  it.each([
    [1, ['overdue', 'closed']],
    [2, ['open']],
    [3, []],
  ] as const)('given three breaches in one area, when page %i of size 2 is read, then it holds its slice and the total is 3', async (page, expected) => {
    const { area, ids } = await fixture();

    const res = await gdpr.get(`/cases?area=${area}&page=${page}&pageSize=2`);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ page, pageSize: 2, total: 3 });
    expect(res.body.items.map((c: any) => c.id)).toEqual(expected.map((name) => ids[name]));
  });

  it.each([
    ['pageSize=1000', 'pageSize'],
    ['pageSize=0', 'pageSize'],
    ['page=0', 'page'],
    ['status=weird', 'status'],
    ['overdue=maybe', 'overdue'],
    ['process=nope', 'process'],
  ])('given a bad filter, when the list is read with %s, then 400 names the field', async (query, field) => {
    const res = await gdpr.get(`/cases?${query}`);

    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(res.body.details.fields).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  });

  it('given two employees who each reported breaches, when one lists cases, then the list holds only the cases they reported', async () => {
    const area = unique('area');
    const [erik, ella] = await Promise.all([
      service.as({ sub: unique('emp'), name: 'Erik Ansat', roles: ['employee'] }),
      service.as({ sub: unique('emp'), name: 'Ella Ansat', roles: ['employee'] }),
    ]);
    const erikFirst = (await erik.start('data-breach', breachReport({ area }))).body.id;
    const ellas = (await ella.start('data-breach', breachReport({ area }))).body.id;
    const erikSecond = (await erik.start('data-breach', breachReport({ area }))).body.id;

    const erikList = await erik.get('/cases');
    const gdprList = await gdpr.get(`/cases?area=${area}`);

    expect(erikList.status).toBe(200);
    expect(erikList.body.items.map((c: any) => c.id)).toEqual([erikSecond, erikFirst]);
    expect(erikList.body.total).toBe(2);
    expect(gdprList.body.items.map((c: any) => c.id)).toEqual([erikSecond, ellas, erikFirst]);
    expect((await erik.get(`/cases/${ellas}`)).status).toBe(404);
  });
});

describe('monitoring in Temporal: search attributes (real worker, Temporal dev server, PostgreSQL)', () => {
  let service: ServiceUnderTest;
  let temporal: Client;
  let reporter: Caller;
  let gdpr: Caller;
  const reporterName = 'Erik Ansat';

  beforeAll(async () => {
    service = await ServiceUnderTest.start('platform-visibility');
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
    const area = unique('area');
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

interface ReceivedMail {
  envelopeTo: string[];
  headers: Map<string, string>;
  raw: string;
}

/** A local SMTP relay for the service to deliver to; it can be told to refuse recipients for a while. */
class SmtpStandIn {
  readonly received: ReceivedMail[] = [];
  /** While true, every recipient is refused with a temporary error (451). */
  refusing = false;
  private readonly server: SMTPServer;

  private constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo: (_address: SMTPServerAddress, _session: SMTPServerSession, callback: (err?: Error | null) => void) => {
        if (this.refusing) return callback(Object.assign(new Error('Mailbox temporarily unavailable'), { responseCode: 451 }));
        callback();
      },
      onData: (stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: Error | null) => void) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          this.received.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), headers: parseHeaders(raw), raw });
          callback();
        });
      },
    });
  }

  static async start(): Promise<SmtpStandIn> {
    const standIn = new SmtpStandIn();
    await new Promise<void>((resolve) => standIn.server.listen(0, '127.0.0.1', resolve));
    return standIn;
  }

  get port(): number {
    return (this.server.server.address() as AddressInfo).port;
  }

  withMessageId(messageId: string): ReceivedMail[] {
    return this.received.filter((m) => m.headers.get('message-id') === messageId);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function parseHeaders(raw: string): Map<string, string> {
  const head = raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), decodeEncodedWords(line.slice(colon + 1).trim()));
  }
  return headers;
}

/** RFC 2047 encoded words (`=?UTF-8?Q?...?=` / `=?UTF-8?B?...?=`), as mailers write non-ASCII subjects. */
function decodeEncodedWords(value: string): string {
  return value.replace(/=\?utf-8\?([bq])\?([^?]*)\?=(\s+(?==\?))?/gi, (_m, encoding: string, text: string) =>
    encoding.toLowerCase() === 'b'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, (_x, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8'),
  );
}

/** The stable Message-ID the outbox derives from a message's dedupe key, so a relay can drop a resent duplicate. */
const messageIdFor = (dedupeKey: string) => `<${dedupeKey.replace(/[^A-Za-z0-9.-]/g, '.')}@buf-sagsflow>`;

/** Its own database: every test file's worker drains the outbox of the database it uses. */
describe('notifications over SMTP, exactly once (real worker, Temporal dev server, PostgreSQL, local SMTP relay)', () => {
  let service: ServiceUnderTest;
  let smtp: SmtpStandIn;
  let reporter: Caller;

  beforeAll(async () => {
    smtp = await SmtpStandIn.start();
    service = await ServiceUnderTest.start('platform-smtp', {
      DATABASE_URL: await createIsolatedDatabase('platform-smtp'),
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
    });
    reporter = await service.as({ sub: unique('emp'), name: 'Erik Ansat', roles: ['employee'], unit: 'Skole Nord' });
  });

  afterAll(async () => {
    await service?.stop();
    await smtp?.stop();
  });

  /** Opens a breach; its 'opened' step queues the assignment to the GDPR function. */
  const openBreach = async () => {
    const opened = await reporter.start('data-breach', breachReport());
    expect(opened.status).toBe(201);
    const [assignment] = await service.outbox(opened.body.id);
    expect(assignment).toMatchObject({ recipient_role: 'gdpr', kind: 'assignment' });
    return { caseId: opened.body.id as string, caseNumber: opened.body.caseNumber as string, dedupeKey: assignment.dedupe_key };
  };

  const outboxRow = async (caseId: string, dedupeKey: string) => (await service.outbox(caseId)).find((m) => m.dedupe_key === dedupeKey);
  const sent = (caseId: string, dedupeKey: string) =>
    eventually(`outbox message ${dedupeKey} sent`, async () => {
      const row = await outboxRow(caseId, dedupeKey);
      return row?.status === 'sent' ? row : undefined;
    });

  /**
   * A barrier: a later message is delivered only after the sender has claimed again, so any repeat
   * of an earlier message would have reached the relay by then.
   */
  const oneMoreDelivery = async () => {
    const later = await openBreach();
    await sent(later.caseId, later.dedupeKey);
    await eventually('the later message at the relay', async () => smtp.withMessageId(messageIdFor(later.dedupeKey)).length > 0);
  };

  it('given a reported breach, when the outbox is drained, then the relay receives one Danish message for its key, to gdpr@buf.example.dk, without the breach details', async () => {
    const { caseId, caseNumber, dedupeKey } = await openBreach();

    const row = await sent(caseId, dedupeKey);
    await oneMoreDelivery();

    expect(row.attempts).toBe(1);
    const messages = smtp.withMessageId(messageIdFor(dedupeKey));
    expect(messages).toHaveLength(1);
    const [mail] = messages;
    expect(mail.envelopeTo).toEqual(['gdpr@buf.example.dk']);
    expect(mail.headers.get('to')).toContain('gdpr@buf.example.dk');
    expect(mail.headers.get('subject')).toBe(`Nyt sikkerhedsbrud: Sikkerhedsbrud ${caseNumber}`);
    expect(mail.raw).not.toContain(breachReport().description);
  });

  it('given a relay that refuses recipients, when a breach is reported, then the message stays pending while refused and is delivered once on a later poll', async () => {
    smtp.refusing = true;
    let caseId = '';
    let dedupeKey = '';
    try {
      ({ caseId, dedupeKey } = await openBreach());
      const refused = await eventually(`outbox message ${dedupeKey} refused twice`, async () => {
        const row = await outboxRow(caseId, dedupeKey);
        return row && row.status === 'pending' && row.attempts >= 2 ? row : undefined;
      });
      expect(refused.last_error).toEqual(expect.any(String));
      expect(smtp.withMessageId(messageIdFor(dedupeKey))).toHaveLength(0);
    } finally {
      smtp.refusing = false;
    }

    const row = await sent(caseId, dedupeKey);
    await oneMoreDelivery();

    expect(row.last_error).toBeNull();
    const messages = smtp.withMessageId(messageIdFor(dedupeKey));
    expect(messages).toHaveLength(1);
    expect(messages[0].envelopeTo).toEqual(['gdpr@buf.example.dk']);
  });
});
