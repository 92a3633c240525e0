import type { TokenClaims } from '@buf/auth';
import { breachReport } from '../support/data-breach-fixtures';
import { placeJournalTimes } from '../support/journal-times';
import { eventually } from '../support/polling';
import { type Caller, ServiceUnderTest, createIsolatedDatabase } from '../support/service';

const HOUR = 3_600_000;

const PEOPLE = {
  jurist: { sub: 'jur-w-1', name: 'Jonas Jurist', roles: ['jurist'] },
  direktion: { sub: 'dir-w-1', name: 'Dorte Direktør', roles: ['direktion'] },
  gdpr: { sub: 'gdpr-w-1', name: 'Rasmus GDPR', roles: ['gdpr'] },
  employee: { sub: 'emp-w-1', name: 'Rikke Ansat', roles: ['employee'] },
} satisfies Record<string, TokenClaims>;

/**
 * Where cases wait, read from the journal: each entry records the step it leaves the case in,
 * and a stay in a step runs from the entry that moved the case into it to the one that moved it
 * on. The cases are driven through the API; their journal times are then placed by hand (the
 * journal is append-only, so its trigger is off for that one transaction) so that every duration
 * is exact. A database of its own: the counts are this file's only.
 */
describe('where cases wait (real worker, Temporal dev server, PostgreSQL)', () => {
  let service: ServiceUnderTest;
  let as: Record<keyof typeof PEOPLE, Caller>;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    service = await ServiceUnderTest.start('waiting-statistics', { DATABASE_URL: await createIsolatedDatabase('waiting-statistics') });
    as = await service.callers(PEOPLE);

    async function request(key: string, area: string, actions: ('request-documents' | 'register-documents')[]): Promise<void> {
      const opened = service.expectStatus(
        await as.jurist.start('access-request', { receivedAt: new Date(Date.now() - HOUR).toISOString(), requester: 'Karen Borger', requesterType: 'citizen', request: 'Referater', area }),
        201,
      );
      ids[key] = opened.body.id as string;
      if (actions.includes('request-documents')) service.expectStatus(await as.jurist.act(ids[key], 'request-documents', { fromUnit: `Område ${area}` }), 200);
      if (actions.includes('register-documents')) service.expectStatus(await as.jurist.act(ids[key], 'register-documents', { count: 2 }), 200);
      await eventually(`the journal of ${key}`, async () => (await service.journal(ids[key])).length === 1 + actions.length);
    }
    await request('n1', 'nord', ['request-documents', 'register-documents']);
    await request('n2', 'nord', ['request-documents', 'register-documents']);
    await request('n3', 'nord', ['request-documents']);
    await request('n4', 'nord', ['request-documents']);
    await request('n5', 'nord', ['request-documents']);
    await request('s1', 'syd', ['request-documents']);

    // The hand-placed journal: entry 1 'opened' (step received), 2 'request-documents'
    // (collecting-documents), 3 'register-documents' (assessment). Tuesday 10.03.2026 is CET
    // (UTC+1): the day runs from 2026-03-09T23:00Z to 2026-03-10T23:00Z.
    const times: Record<string, string[]> = {
      n1: ['2026-03-10T07:00:00Z', '2026-03-10T09:00:00Z', '2026-03-10T10:00:00Z'], // received 2 h, collecting 1 h
      n2: ['2026-03-10T07:00:00Z', '2026-03-10T11:00:00Z', '2026-03-10T14:00:00Z'], // received 4 h, collecting 3 h
      n3: ['2026-03-10T07:00:00Z', '2026-03-10T13:00:00Z'], // received 6 h
      n4: ['2026-03-10T07:00:00Z', '2026-03-10T15:00:00Z'], // received 8 h
      n5: ['2026-03-09T05:00:00Z', '2026-03-10T11:00:00Z'], // received 30 h (from 09.03 kl. 06.00 to 10.03 kl. 12.00)
      s1: ['2026-03-10T20:00:00Z', '2026-03-10T23:00:00Z'], // received 3 h, ending 11.03.2026 kl. 00.00: the next day
    };
    await placeJournalTimes(service.db, Object.fromEntries(Object.entries(times).map(([key, ats]) => [ids[key], ats])));
  });

  afterAll(async () => {
    await service?.stop();
  });

  const waiting = async (who: Caller, query: string) => service.expectStatus(await who.get(`/statistics/waiting?${query}`), 200).body;
  const stepsOf = (body: { processes: { process: string; steps: unknown[] }[] }, process: string) => body.processes.find((p) => p.process === process)?.steps;

  it('given journalled steps, when a case moves through the API, then each entry records the step it leaves the case in', async () => {
    const { rows } = await service.db.query('SELECT seq, action, step FROM case_journal WHERE case_id = $1 ORDER BY seq', [ids.n1]);
    expect(rows).toEqual([
      { seq: 1, action: 'opened', step: 'received' },
      { seq: 2, action: 'request-documents', step: 'collecting-documents' },
      { seq: 3, action: 'register-documents', step: 'assessment' },
    ]);
  });

  it('given stays of 2, 4, 6, 8 and 30 hours ended on 10.03.2026, when a jurist reads that day, then the median is 6 and the 90th percentile 21.2 hours, and the cases waiting now are counted', async () => {
    const body = await waiting(as.jurist, 'process=access-request&from=2026-03-10&to=2026-03-10');
    expect(body.period).toEqual({ from: '2026-03-09T23:00:00.000Z', to: '2026-03-10T23:00:00.000Z' }); // 10.03.2026 kl. 00.00 – 11.03.2026 kl. 00.00
    expect(body.unit).toBe('hours');
    expect(body.processes.map((p: { process: string }) => p.process)).toEqual(['access-request']);
    // n3 has waited in collecting-documents since 10.03.2026 kl. 14.00 (13:00Z), n5 since kl. 12.00 (11:00Z): n5 is the longest.
    const longest = (Date.parse(body.asOf) - Date.parse('2026-03-10T11:00:00Z')) / HOUR;
    const sinceAssessment = (Date.parse(body.asOf) - Date.parse('2026-03-10T10:00:00Z')) / HOUR; // n1, since 10.03 kl. 11.00
    expect(stepsOf(body, 'access-request')).toEqual([
      // Sorted 2, 4, 6, 8, 30: median the 3rd = 6; 90th percentile at 0.9 × 4 = 3.6: 8 + 0.6 × (30 − 8) = 21.2.
      { step: 'received', area: 'nord', ended: { count: 5, medianHours: 6, p90Hours: 21.2 }, waitingNow: { count: 0, longestHours: null } },
      // 1 and 3 hours: median 2; 90th percentile 1 + 0.9 × 2 = 2.8. n3, n4 and n5 still collecting.
      { step: 'collecting-documents', area: 'nord', ended: { count: 2, medianHours: 2, p90Hours: 2.8 }, waitingNow: { count: 3, longestHours: expect.closeTo(longest, 0) } },
      // The syd request moved on at 11.03.2026 kl. 00.00: its stay in 'received' ended the next day, not in the period.
      { step: 'collecting-documents', area: 'syd', ended: { count: 0, medianHours: null, p90Hours: null }, waitingNow: { count: 1, longestHours: expect.any(Number) } },
      { step: 'assessment', area: 'nord', ended: { count: 0, medianHours: null, p90Hours: null }, waitingNow: { count: 2, longestHours: expect.closeTo(sinceAssessment, 0) } },
    ]);
  });

  it('given the syd stay that ended at 11.03.2026 kl. 00.00, when the period runs to the 11th, then it counts there with its 3 hours', async () => {
    const body = await waiting(as.jurist, 'process=access-request&from=2026-03-11&to=2026-03-11');
    expect(stepsOf(body, 'access-request')).toContainEqual({ step: 'received', area: 'syd', ended: { count: 1, medianHours: 3, p90Hours: 3 }, waitingNow: { count: 0, longestHours: null } });
    expect(stepsOf(body, 'access-request')).not.toContainEqual(expect.objectContaining({ step: 'received', area: 'nord' }));
  });

  it('given the area filter, when syd is asked for, then only syd cases count', async () => {
    const body = await waiting(as.jurist, 'process=access-request&area=syd&from=2026-03-10&to=2026-03-11');
    expect(stepsOf(body, 'access-request')).toEqual([
      { step: 'received', area: 'syd', ended: { count: 1, medianHours: 3, p90Hours: 3 }, waitingNow: { count: 0, longestHours: null } },
      { step: 'collecting-documents', area: 'syd', ended: { count: 0, medianHours: null, p90Hours: null }, waitingNow: { count: 1, longestHours: expect.any(Number) } },
    ]);
  });

  it('given bad filters or periods, when asked, then 400 naming the field', async () => {
    const fieldsOf = async (query: string) => {
      const res = await as.jurist.get(`/statistics/waiting?${query}`);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      return res.body.details.fields.map((f: { field: string }) => f.field);
    };
    expect(await fieldsOf('process=no-such-process')).toEqual(['process']);
    expect(await fieldsOf('area=atlantis')).toEqual(['area']);
    expect(await fieldsOf('from=2026-03-11&to=2026-03-10')).toEqual(['from']);
    expect(await fieldsOf('from=2026-03-10T10:00:00.000Z')).toEqual(['from']);
    expect(await fieldsOf('to=yesterday')).toEqual(['to']);
  });

  it('given people without a statistics role for the process, when they ask, then 403; a role sees only the processes it may read', async () => {
    expect((await as.employee.get('/statistics/waiting')).status).toBe(403);
    expect((await as.gdpr.get('/statistics/waiting?process=access-request')).status).toBe(403);
    const gdpr = await waiting(as.gdpr, 'from=2026-03-10&to=2026-03-10');
    expect(gdpr.processes.map((p: { process: string }) => p.process)).toEqual(['data-breach']);
    // The jurist reads access-request statistics (its report's roles) and no other process's.
    expect((await waiting(as.jurist, 'from=2026-03-10')).processes.map((p: { process: string }) => p.process)).toEqual(['access-request']);
  });

  it('given a breach reported now, when the GDPR function asks, then it waits in its first step, counted exactly', async () => {
    const opened = service.expectStatus(await as.employee.start('data-breach', breachReport()), 201);
    await eventually('the breach journalled', async () => (await service.journal(opened.body.id)).length >= 1);
    const steps = stepsOf(await waiting(as.gdpr, 'process=data-breach'), 'data-breach');
    expect(steps).toEqual([expect.objectContaining({ step: 'reported', waitingNow: { count: 1, longestHours: expect.any(Number) } })]);
  });

  it('given the direktion, who may not read access requests, when it reads the figures, then counts of 1 to 4 read "< 5" and the durations they rest on null; the 5 stays are shown', async () => {
    const body = await waiting(as.direktion, 'process=access-request&from=2026-03-10&to=2026-03-10');
    const [process] = body.processes;
    expect(process.smallCountsHiddenBelow).toBe(5);
    expect(process.steps).toEqual([
      { step: 'received', area: 'nord', ended: { count: 5, medianHours: 6, p90Hours: 21.2 }, waitingNow: { count: 0, longestHours: null } },
      { step: 'collecting-documents', area: 'nord', ended: { count: '< 5', medianHours: null, p90Hours: null }, waitingNow: { count: '< 5', longestHours: null } },
      { step: 'collecting-documents', area: 'syd', ended: { count: 0, medianHours: null, p90Hours: null }, waitingNow: { count: '< 5', longestHours: null } },
      { step: 'assessment', area: 'nord', ended: { count: 0, medianHours: null, p90Hours: null }, waitingNow: { count: '< 5', longestHours: null } },
    ]);
    // Without a process filter the direktion (a role of every report) sees every process.
    expect((await waiting(as.direktion, 'from=2026-03-10')).processes).toHaveLength(7);
  });
});
