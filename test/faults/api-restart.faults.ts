import { type Caller, ServiceUnderTest, createIsolatedDatabase } from '../support/service';
import { HIGH_RISK_JOURNAL, HIGH_RISK_PATH, breachReport } from '../support/data-breach-fixtures';
import { caseRecords, driveMany, newStats } from './breach-driver';

const CASES = 100;

describe('faults: the API process killed and restarted while 100 cases are driven through their steps', () => {
  let service: ServiceUnderTest;
  let reporter: Caller;
  let gdpr: Caller;

  beforeAll(async () => {
    service = await ServiceUnderTest.start('faults-api-restart', { DATABASE_URL: await createIsolatedDatabase('faults_api_restart'), RATE_LIMIT_PER_MINUTE: '100000' });
    reporter = await service.as({ sub: 'emp-fa', name: 'Erik Ansat', roles: ['employee'], unit: 'Skole Nord' });
    gdpr = await service.as({ sub: 'gdpr-fa', name: 'Grete GDPR', roles: ['gdpr'] });
  });

  afterAll(async () => {
    await service?.stop();
  });

  it('given clients retrying with the same Idempotency-Key, when the API is SIGKILLed mid-run and restarted, then they get the same cases and no action is applied twice', async () => {
    const stats = newStats();
    const driving = driveMany('fa', CASES, reporter, gdpr, stats);
    void driving.catch(() => undefined);
    await new Promise((r) => setTimeout(r, 1_500 + Math.random() * 1_500));
    await service.restartApi('SIGKILL');
    const ids = await driving;
    expect(new Set(ids).size).toBe(CASES);

    // Repeating every request now (as a client that never saw the answers would) changes nothing.
    const repeatedOpens = await Promise.all(ids.map((_, i) => reporter.start('data-breach', breachReport(), { 'Idempotency-Key': `fa-${i}-open` })));
    expect(repeatedOpens.map((r) => r.body.id)).toEqual(ids);
    const repeatedCloses = await Promise.all(
      ids.map((id, i) => gdpr.act(id, 'close', HIGH_RISK_PATH[HIGH_RISK_PATH.length - 1].body, { 'Idempotency-Key': `fa-${i}-close` })),
    );
    expect(repeatedCloses.map((r) => `${r.status} ${r.body.status}`)).toEqual(ids.map(() => '200 closed'));

    const records = await caseRecords(service, ids);
    for (const id of ids) {
      const r = records.get(id)!;
      expect({ id, actions: r.actions, seqs: r.seqs }).toEqual({ id, actions: HIGH_RISK_JOURNAL, seqs: HIGH_RISK_JOURNAL.map((_, i) => i + 1) });
    }
    const cases = Number((await service.db.query(`SELECT count(*) AS n FROM case_files WHERE id = ANY($1)`, [ids])).rows[0].n);
    expect(cases).toBe(CASES);
  }, 600_000);
});
