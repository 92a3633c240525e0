import { randomUUID } from 'node:crypto';
import { within } from '../support/polling';
import { breachReport, highRiskStep } from '../support/data-breach-fixtures';
import { countRows, expectJournal, unique, whistleblowerReceipt } from '../support/platform';
import { type Caller, ServiceUnderTest } from '../support/service';

/** Idempotent starts and actions over HTTP (real worker, Temporal dev server, PostgreSQL). */
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

    const answers = await within(20_000, 'racing starts', Promise.all(starts), () => service.logs);

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
