import { type Caller, ServiceUnderTest, createIsolatedDatabase } from '../support/service';
import { HIGH_RISK_JOURNAL } from '../support/data-breach-fixtures';
import { caseRecords, driveBreach, driveMany, eventuallyHolds, keyShape, newStats } from './breach-driver';

const CASES = 100;
const KILLS = 4;

describe('faults: the worker SIGKILLed while 100+ cases are driven through their steps', () => {
  let service: ServiceUnderTest;
  let reporter: Caller;
  let gdpr: Caller;

  beforeAll(async () => {
    service = await ServiceUnderTest.start('faults-worker-kill', { DATABASE_URL: await createIsolatedDatabase('faults_worker_kill'), RATE_LIMIT_PER_MINUTE: '100000' });
    reporter = await service.as({ sub: 'emp-fk', name: 'Erik Ansat', roles: ['employee'], unit: 'Skole Nord' });
    gdpr = await service.as({ sub: 'gdpr-fk', name: 'Grete GDPR', roles: ['gdpr'] });
  });

  afterAll(async () => {
    await service?.stop();
  });

  it('given 100 breaches driven concurrently, when the worker is SIGKILLed at random moments and restarted, then every case closes with each step journalled once and each notification once', async () => {
    // A reference case without faults: the notifications one breach produces.
    const reference = await driveBreach('fk-reference', reporter, gdpr, newStats());
    await eventuallyHolds('the reference notifications are sent', async () => (await caseRecords(service, [reference.id])).get(reference.id)!.unsent === 0);
    const referenceKeys = keyShape(reference.id, (await caseRecords(service, [reference.id])).get(reference.id)!.dedupeKeys);
    expect(referenceKeys.length).toBeGreaterThan(0);

    const stats = newStats();
    const driving = driveMany('fk', CASES, reporter, gdpr, stats);
    let done = false;
    void driving.finally(() => (done = true)).catch(() => undefined);
    let kills = 0;
    while (kills < KILLS && !done) {
      await new Promise((r) => setTimeout(r, 500 + Math.random() * 2_000));
      if (done) break;
      await service.restartWorker('SIGKILL');
      kills += 1;
    }
    const ids = await driving;
    expect(kills).toBeGreaterThanOrEqual(2);
    expect(new Set(ids).size).toBe(CASES);

    await eventuallyHolds('no notification is left pending', async () => [...(await caseRecords(service, ids)).values()].every((r) => r.unsent === 0), 120_000);
    const records = await caseRecords(service, ids);
    for (const id of ids) {
      const r = records.get(id)!;
      expect({ id, actions: r.actions, seqs: r.seqs }).toEqual({ id, actions: HIGH_RISK_JOURNAL, seqs: HIGH_RISK_JOURNAL.map((_, i) => i + 1) });
      expect({ id, keys: keyShape(id, r.dedupeKeys) }).toEqual({ id, keys: referenceKeys });
    }
    const states = await Promise.all(ids.map((id) => gdpr.get(`/cases/${id}`)));
    expect(states.map((s) => `${s.status} ${s.body.status}`)).toEqual(ids.map(() => '200 closed'));
  }, 600_000);
});
