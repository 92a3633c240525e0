import { randomUUID } from 'node:crypto';
import { within } from '../support/polling';
import { HIGH_RISK_JOURNAL, HIGH_RISK_PATH, breachReport, highRiskStep } from '../support/data-breach-fixtures';
import { expectJournal, takeSteps, unique } from '../support/platform';
import { type Caller, ServiceUnderTest } from '../support/service';

/** A worker killed in the middle of a case (real worker, Temporal dev server, PostgreSQL). */
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
      const res = await within(75_000, 'the action in flight', inFlight, () => service.logs);

      expect(res.status).toBe(200);
      expect(res.body.step).toBe(assess.step);
      await expectJournal(service, id, ['opened', 'triage', 'assess-risk']);
      await takeSteps(gdpr, id, HIGH_RISK_PATH.slice(2));
      await expectJournal(service, id, HIGH_RISK_JOURNAL);
    },
    110_000,
  );
});
