import { breachReport } from '../support/data-breach-fixtures';
import { type Caller, ServiceUnderTest, createIsolatedDatabase } from '../support/service';

/**
 * Statistics as a person who may not read the cases would use them to learn one case: a period
 * of one millisecond around a breach, or a day with a single breach in it.
 */
describe('statistics do not single out a case', () => {
  let service: ServiceUnderTest;
  let reporter: Caller;
  let gdpr: Caller;
  let direktion: Caller;

  beforeAll(async () => {
    // Counts must be exact: a database of its own.
    service = await ServiceUnderTest.start('security-statistics', { DATABASE_URL: await createIsolatedDatabase('security_statistics') });
    reporter = await service.as({ sub: 'emp-s', name: 'Rikke Ansat', roles: ['employee'] });
    gdpr = await service.as({ sub: 'gdpr-s', name: 'Rasmus GDPR', roles: ['gdpr'] });
    direktion = await service.as({ sub: 'dir-s', name: 'Dorte Direktør', roles: ['direktion'] });
  });

  afterAll(async () => {
    await service?.stop();
  });

  it('given a period in milliseconds or with a time of day, when any role asks for it, then 400 naming the field: periods are whole days', async () => {
    const oneMs = await direktion.get('/statistics/data-breaches?from=2026-03-10T10:00:00.000Z&to=2026-03-10T10:00:00.001Z');
    expect(oneMs.status).toBe(400);
    expect(oneMs.body.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['from', 'to']);
    expect((await gdpr.get('/statistics/data-breaches?from=2026-03-10T00:00')).status).toBe(400);
    expect((await gdpr.get('/statistics/data-breaches?to=2026-03-10T23:59:59%2B01:00')).status).toBe(400);
  });

  it('given one actual breach discovered on a day, when the direktion (who may not read breaches) asks for that day, then the counts read "< 5"; the GDPR function sees 1', async () => {
    // Tuesday 10.03.2026 at 10:00 Copenhagen (CET) = 09:00Z: the only breach of that day.
    const opened = await reporter.start('data-breach', breachReport({ discoveredAt: '2026-03-10T09:00:00.000Z' }));
    expect(opened.status).toBe(201);
    expect((await gdpr.act(opened.body.id, 'triage', { outcome: 'breach', reason: 'Oplysninger videregivet' })).status).toBe(200);

    const exact = service.expectStatus(await gdpr.get('/statistics/data-breaches?from=2026-03-10&to=2026-03-10'), 200).body;
    expect(exact).toMatchObject({ reported: 1, actual: 1, recategorised: 0 });
    expect(exact).not.toHaveProperty('smallCountsHiddenBelow');

    const hidden = service.expectStatus(await direktion.get('/statistics/data-breaches?from=2026-03-10&to=2026-03-10'), 200).body;
    expect(hidden).toMatchObject({ reported: '< 5', actual: '< 5', recategorised: '< 5', notified: 0, notifiedLate: 0, smallCountsHiddenBelow: 5 });
    // The same per year: the year's row gives nothing away that the period's hides.
    expect(hidden.years).toEqual([{ year: 2026, period: hidden.period, reported: '< 5', actual: '< 5', recategorised: '< 5', notified: 0, notifiedLate: 0 }]);
  });

  it('given an access request, when the direktion asks for the timeliness of its day, then the counts read "< 5" and no share gives them away; ARC sees them', async () => {
    const jurist = await service.as({ sub: 'jur-s', name: 'Jens Jurist', roles: ['jurist'] });
    const arcLead = await service.as({ sub: 'arc-s', name: 'Anne ARC', roles: ['arc-lead'] });
    const opened = await jurist.start('access-request', {
      receivedAt: '2026-03-11T09:00:00.000Z',
      requester: 'Journalist',
      requesterType: 'journalist',
      request: 'Referater',
      area: 'nord',
    });
    expect(opened.status).toBe(201);
    const hidden = service.expectStatus(await direktion.get('/statistics/access-requests?from=2026-03-11&to=2026-03-11'), 200).body;
    // 0 of 1 decided in time: the 0 would give the one late request away, so it is hidden too.
    expect(hidden).toMatchObject({ received: '< 5', due: '< 5', decidedWithinDeadline: '< 5', shareWithinDeadline: null });
    const exact = service.expectStatus(await arcLead.get('/statistics/access-requests?from=2026-03-11&to=2026-03-11'), 200).body;
    expect(exact).toMatchObject({ received: 1, due: 1, decidedWithinDeadline: 0, shareWithinDeadline: 0 });
  });
});
