import { Caller, ServiceUnderTest, createIsolatedDatabase } from '../support/service';
import { ApiInstances, clusterControl } from '../support/cluster';
import { driveMany, expectEachCaseOnce, newStats, referenceNotificationKeys } from '../faults/breach-driver';

const CASES = 100;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('faults on the Temporal cluster: two workers and two API instances on one task queue while 100 cases are driven', () => {
  let a: ServiceUnderTest;
  let b: ServiceUnderTest;
  let reporter: Caller;
  let gdpr: Caller;

  beforeAll(async () => {
    const shared = {
      DATABASE_URL: await createIsolatedDatabase('cluster_faults'),
      TEMPORAL_TASK_QUEUE: `cluster-faults-${Date.now()}`,
      RATE_LIMIT_PER_MINUTE: '100000',
    };
    // Two instances of the service: each a worker and an API process, sharing the database and the task queue.
    a = await ServiceUnderTest.start('cluster-a', shared);
    b = await ServiceUnderTest.start('cluster-b', shared);
    const both = new ApiInstances([a, b]);
    reporter = new Caller(both, await a.token({ sub: 'emp-cf', name: 'Erik Ansat', roles: ['employee'], unit: 'Skole Nord' }));
    gdpr = new Caller(both, await a.token({ sub: 'gdpr-cf', name: 'Grete GDPR', roles: ['gdpr'] }));
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it('given 100 breaches driven through both API instances, when the history service, one of the two workers and one API instance are SIGKILLed, then every case closes with each step journalled once, each notification once, and no answer is a 500', async () => {
    const referenceKeys = await referenceNotificationKeys('cf-reference', a, reporter, gdpr);

    const stats = newStats();
    const driving = driveMany('cf', CASES, reporter, gdpr, stats);
    let done = false;
    void driving.finally(() => (done = true)).catch(() => undefined);
    const faults: string[] = [];
    const fault = async (what: string, act: () => Promise<void>) => {
      await pause(1_500);
      if (done) return;
      faults.push(what);
      await act();
    };
    await fault('history service killed and restarted', async () => {
      await clusterControl('kill', 'history');
      await pause(3_000);
      await clusterControl('start', 'history');
    });
    await fault('worker of instance a killed (b carries on)', () => a.stopWorker('SIGKILL'));
    await fault('API of instance b killed and restarted', () => b.restartApi('SIGKILL'));
    const ids = await driving;
    // The faults came while cases were still being driven (the test means nothing otherwise).
    expect(faults).toEqual(['history service killed and restarted', 'worker of instance a killed (b carries on)', 'API of instance b killed and restarted']);
    expect(new Set(ids).size).toBe(CASES);

    await expectEachCaseOnce(a, ids, referenceKeys, gdpr, 180_000);
    // Unavailable is an answer (503, retried with the same key); a 500 never is.
    expect(stats.transient.get('500')).toBeUndefined();
  }, 600_000);
});
