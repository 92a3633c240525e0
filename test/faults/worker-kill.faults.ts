import { type Caller, ServiceUnderTest, createIsolatedDatabase } from '../support/service';
import { driveMany, expectEachCaseOnce, newStats, referenceNotificationKeys } from './breach-driver';

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
    const referenceKeys = await referenceNotificationKeys('fk-reference', service, reporter, gdpr);

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

    await expectEachCaseOnce(service, ids, referenceKeys, gdpr);
  }, 600_000);
});
