import type { Client } from '@temporalio/client';
import { reportScheduleId, retentionScheduleId } from '@buf/apps/worker/src/report-schedules.service';
import { createReportActivities } from '@buf/activities/report-activities';
import { SCHEDULED_REPORTS, type ScheduledReport } from '@buf/domain';
import { createDataSource } from '@buf/persistence/data-source';
import { OutboxStore } from '@buf/persistence/outbox-store';
import { StatisticsStore } from '@buf/persistence/statistics-store';
import { wallClock } from '../support/copenhagen-clock';
import { notification } from '../support/data-breach-fixtures';
import { type Caller, ServiceUnderTest, createIsolatedDatabase } from '../support/service';
import { eventually } from '../support/polling';

/** Reports read every case file, so this file gets a database of its own: the counts are exact. */
describe('statistics and scheduled reports (real worker, Temporal dev server, PostgreSQL)', () => {
  let service: ServiceUnderTest;
  let temporal: Client;
  let reporter: Caller;
  let gdpr: Caller;
  let complaintsUnit: Caller;
  let secretariat: Caller;
  let taskQueue: string;
  let databaseUrl: string;

  beforeAll(async () => {
    taskQueue = `reports-${Date.now().toString(36)}`;
    databaseUrl = await createIsolatedDatabase('reports');
    service = await ServiceUnderTest.start('reports', {
      DATABASE_URL: databaseUrl,
      TEMPORAL_TASK_QUEUE: taskQueue,
      COMPLAINT_BASELINE: JSON.stringify({ counts: { nord: 2, syd: 0 } }),
      NOTIFICATION_DIRECTORY: JSON.stringify({
        areas: { nord: { representative: 'rep-nord@kk.example.dk' }, syd: { representative: 'rep-syd@kk.example.dk' } },
        units: { 'Skole Nord': { 'institution-leader': 'il-skole-nord@kk.example.dk', 'cluster-leader': 'kl-nord-1@kk.example.dk' } },
      }),
    });
    temporal = await service.temporalClient({ withPayloadKey: true });
    reporter = await service.as({ sub: 'emp-r', name: 'Rikke Ansat', roles: ['employee'] });
    gdpr = await service.as({ sub: 'gdpr-r', name: 'Rasmus GDPR', roles: ['gdpr'] });
    complaintsUnit = await service.as({ sub: 'ke-r', name: 'Karin Klageenhed', roles: ['klageenhed'] });
    secretariat = await service.as({ sub: 'ls-r', name: 'Lars Sekretariat', roles: ['ledelsessekretariat'] });
  });

  afterAll(async () => {
    await temporal?.connection.close();
    await service?.stop();
  });

  const breach = () => ({ discoveredAt: new Date(Date.now() - 3_600_000).toISOString(), unit: 'Skole Syd', description: 'Forkert modtager', dataCategories: ['navn'], channel: 'form' });

  it('given breaches handled three ways, when the data-breach statistics are read, then reported, actual, recategorised and notified are counted as in the 2021 memo', async () => {
    const recategorised = (await reporter.start('data-breach', breach())).body.id;
    await gdpr.act(recategorised, 'triage', { outcome: 'not-a-breach', reason: 'Ingen personoplysninger' });
    const notified = (await reporter.start('data-breach', breach())).body.id;
    await gdpr.act(notified, 'triage', { outcome: 'breach', reason: 'Navne videregivet' });
    await gdpr.act(notified, 'assess-risk', { risk: 'risk', rationale: 'Få berørte' });
    await gdpr.act(notified, 'notify-datatilsynet', notification('DT-1'));
    const pending = (await reporter.start('data-breach', breach())).body.id;
    await gdpr.act(pending, 'triage', { outcome: 'breach', reason: 'Navne videregivet' });

    const res = await gdpr.get('/statistics/data-breaches');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ reported: 3, actual: 2, recategorised: 1, notified: 1, notifiedLate: 0 });

    const earlier = await gdpr.get('/statistics/data-breaches?from=2020-01-01&to=2021-01-01');
    expect(earlier.body).toMatchObject({ reported: 0, actual: 0 });
  });

  it('given callers without the report roles or bad periods, when statistics are asked for, then 403, 404 and 400 say why', async () => {
    expect((await reporter.get('/statistics/data-breaches')).status).toBe(403);
    expect((await gdpr.get('/statistics/nonsense')).status).toBe(404);
    const bad = await gdpr.get('/statistics/data-breaches?from=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.body.details.fields[0].field).toBe('from');
    expect((await gdpr.get('/statistics/data-breaches?from=2026-02-01&to=2026-01-01')).status).toBe(400);
  });

  /** The report e-mails of a scheduled report queued so far, by recipient. */
  async function queued(report: string, atLeast: number): Promise<{ recipient_role: string; cc_recipient: string | null; subject: string; body: string; dedupe_key: string }[]> {
    return eventually(`${atLeast} messages of ${report}`, async () => {
      const { rows } = await service.db.query(
        `SELECT recipient_role, cc_recipient, subject, body, dedupe_key FROM notification_outbox WHERE case_id = $1 ORDER BY recipient_role`,
        [`report:${report}`],
      );
      return rows.length >= atLeast ? rows : undefined;
    });
  }

  /** Triggers a report's schedule and waits for that run to finish. */
  async function runSchedule(report: Parameters<typeof reportScheduleId>[1]): Promise<void> {
    const handle = temporal.schedule.getHandle(reportScheduleId(taskQueue, report));
    const before = (await handle.describe()).info.recentActions.length;
    await handle.trigger();
    const action = await eventually(`a run of ${report}`, async () => (await handle.describe()).info.recentActions[before]);
    await temporal.workflow.getHandle(action.action.workflow.workflowId, action.action.workflow.firstExecutionRunId).result();
  }

  it('given the worker started, when the monthly training report schedule is triggered, then one report e-mail per recipient role is queued', async () => {
    const handle = temporal.schedule.getHandle(reportScheduleId(taskQueue, 'training-monthly'));
    const description = await handle.describe();
    expect(description.spec.calendars?.[0]).toMatchObject({ dayOfMonth: [{ start: 1, end: 1, step: 1 }] });
    expect(description.spec.timezone).toBe('Europe/Copenhagen');

    await handle.trigger();
    const rows = await queued('training-monthly', 3);
    expect(rows.map((r) => r.recipient_role)).toEqual(['area-chief', 'digitalisation-chief', 'direktion']);
    expect(rows[0].subject).toMatch(/^Månedlig rapport: obligatoriske kurser pr\. /);
  });

  describe('complaints: only what is a complaint, realitetsklager apart, against the configured baseline', () => {
    const DAY = 86_400_000;
    const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString();

    /** Registers a complaint received at `receivedAt` and classifies it (`undefined`: left unclassified). */
    async function complaint(area: string, receivedAt: string, category?: string, extra: Record<string, unknown> = {}): Promise<string> {
      const id = service.expectStatus(
        await complaintsUnit.start('complaint', { channel: 'email', area, unit: `Skole ${area}`, unitType: 'school', subject: 'Forløbet med skolen', receivedAt }),
        201,
      ).body.id as string;
      if (category) service.expectStatus(await complaintsUnit.act(id, 'classify', { category, ...extra }), 200);
      return id;
    }

    beforeAll(async () => {
      // Around the baseline: 31.08.2021 kl. 23.59.59 is before it, 01.09.2021 kl. 00.00 (22.00Z) its first instant.
      await complaint('nord', '2021-08-31T21:59:59Z', 'case-handling');
      await complaint('nord', '2021-08-31T22:00:00Z', 'conduct');
      // Within the last 6 weeks: one complaint, one realitetsklage, and three enquiries that are not complaints.
      await complaint('nord', daysAgo(10), 'service-level');
      await complaint('nord', daysAgo(10), 'realitetsklage', { guidance: 'Klagenævnet for Specialundervisning' });
      const notAComplaint = await complaint('nord', daysAgo(10), 'unclear');
      service.expectStatus(await complaintsUnit.act(notAComplaint, 'record-citizen-answer', { answer: 'not-a-complaint' }), 200);
      await complaint('nord', daysAgo(10), 'unclear'); // the citizen has not answered
      await complaint('nord', daysAgo(10)); // not yet classified
      await complaint('syd', daysAgo(10), 'case-handling');
      // Since the baseline, but before the last 6 weeks.
      await complaint('nord', daysAgo(60), 'case-handling');
    });

    it('given complaints around 1 September 2021 in Copenhagen time, when the statistics of that day are read, then only the one from 00:00 counts, against the baseline of 2', async () => {
      const report = service.expectStatus(await complaintsUnit.get('/statistics/complaints?from=2021-09-01&to=2021-09-01'), 200).body;
      expect(report.period).toEqual({ from: '2021-08-31T22:00:00.000Z', to: '2021-09-01T22:00:00.000Z' }); // 01.09.2021 kl. 00.00 – 02.09.2021 kl. 00.00
      expect(report.baselineDate).toBe('2021-09-01');
      expect(report.areas).toEqual([
        { area: 'nord', inPeriod: 1, sinceBaseline: 1, realitetsklagerInPeriod: 0, realitetsklagerSinceBaseline: 0, baseline: 2, differenceFromBaseline: -1, ratioToBaseline: 0.5 },
        { area: 'syd', inPeriod: 0, sinceBaseline: 0, realitetsklagerInPeriod: 0, realitetsklagerSinceBaseline: 0, baseline: 0, differenceFromBaseline: 0, ratioToBaseline: null },
      ]);
    });

    it('given complaints, a realitetsklage and enquiries that are not complaints, when the statistics since the baseline are read, then each is counted where it belongs', async () => {
      const report = service.expectStatus(await complaintsUnit.get('/statistics/complaints?from=2021-09-01'), 200).body;
      expect(report.areas).toEqual([
        { area: 'nord', inPeriod: 3, sinceBaseline: 3, realitetsklagerInPeriod: 1, realitetsklagerSinceBaseline: 1, baseline: 2, differenceFromBaseline: 1, ratioToBaseline: 1.5 },
        { area: 'syd', inPeriod: 1, sinceBaseline: 1, realitetsklagerInPeriod: 0, realitetsklagerSinceBaseline: 0, baseline: 0, differenceFromBaseline: 1, ratioToBaseline: null },
      ]);
      expect(report.total).toEqual({ inPeriod: 4, sinceBaseline: 4, realitetsklagerInPeriod: 1, realitetsklagerSinceBaseline: 1, baseline: 2 });
    });

    it('given the 6-weekly schedule, when it is triggered twice, then the legal network — the complaints unit, ARC, Ledelsessekretariatet and each area\'s representative — gets the counts against the baseline once', async () => {
      const handle = temporal.schedule.getHandle(reportScheduleId(taskQueue, 'complaints-6-weekly'));
      expect((await handle.describe()).spec.intervals?.[0].every).toBe(42 * 24 * 3_600_000);
      await runSchedule('complaints-6-weekly');
      await runSchedule('complaints-6-weekly');
      const rows = await queued('complaints-6-weekly', 5);
      expect(rows.map((r) => r.recipient_role)).toEqual(['arc-lead', 'area-representative@area:nord', 'area-representative@area:syd', 'klageenhed', 'ledelsessekretariat']);
      const body = rows[0].body;
      // The last 42 whole days: the complaint and the realitetsklage of 10 days ago; since the baseline also 01.09.2021 and 60 days ago.
      expect(body).toContain('nord: 1 klager i perioden, 3 siden 01.09.2021; baseline 2 (forskel -1, 50 %); realitetsklager: 1 i perioden, 1 siden 01.09.2021');
      expect(body).toContain('syd: 1 klager i perioden, 1 siden 01.09.2021; baseline 0 (forskel +1); realitetsklager: 0 i perioden, 0 siden 01.09.2021');
      expect(body).toContain('forholdet er periodens antal i procent af baselineantallet');
      await eventually('the representatives\' mail', async () => service.logs.some((l) => l.includes('to rep-nord@kk.example.dk')) && service.logs.some((l) => l.includes('to rep-syd@kk.example.dk')));
    });
  });

  describe('breaches by the Copenhagen calendar year of their discovery', () => {
    beforeAll(async () => {
      // 31.12.2025 kl. 23.30 in Copenhagen: a 2025 breach, notified to Datatilsynet late.
      const in2025 = service.expectStatus(await reporter.start('data-breach', { ...breach(), discoveredAt: '2025-12-31T22:30:00Z' }), 201).body.id;
      service.expectStatus(await gdpr.act(in2025, 'triage', { outcome: 'breach', reason: 'Navne videregivet' }), 200);
      service.expectStatus(await gdpr.act(in2025, 'assess-risk', { risk: 'risk', rationale: 'Få berørte' }), 200);
      service.expectStatus(await gdpr.act(in2025, 'notify-datatilsynet', notification('DT-2025', { delayReason: 'Opdaget i forbindelse med nytår' })), 200);
      // 01.01.2026 kl. 00.30 in Copenhagen (23.30Z the day before): a 2026 breach.
      service.expectStatus(await reporter.start('data-breach', { ...breach(), discoveredAt: '2025-12-31T23:30:00Z' }), 201);
    });

    it('given breaches half an hour either side of new year in Copenhagen, when each year is read, then each belongs to its own year', async () => {
      const y2025 = service.expectStatus(await gdpr.get('/statistics/data-breaches?from=2025-01-01&to=2025-12-31'), 200).body;
      expect(y2025.period).toEqual({ from: '2024-12-31T23:00:00.000Z', to: '2025-12-31T23:00:00.000Z' }); // 01.01.2025 kl. 00.00 – 01.01.2026 kl. 00.00
      expect(y2025).toMatchObject({ reported: 1, actual: 1, recategorised: 0, notified: 1, notifiedLate: 1 });
      const newYearsDay = service.expectStatus(await gdpr.get('/statistics/data-breaches?from=2026-01-01&to=2026-01-01'), 200).body;
      expect(newYearsDay).toMatchObject({ reported: 1, actual: 0, notified: 0 });
    });

    it('given a period across new year, when the statistics are read, then the 2021 memo\'s table is given per Copenhagen year, each year cut to the period', async () => {
      const report = service.expectStatus(await gdpr.get('/statistics/data-breaches?from=2025-01-01&to=2026-01-01'), 200).body;
      expect(report).toMatchObject({ reported: 2, actual: 1, notified: 1, notifiedLate: 1 });
      expect(report.years).toEqual([
        // 01.01.2025 kl. 00.00 – 01.01.2026 kl. 00.00: the breach of 31.12.2025 kl. 23.30, notified late.
        { year: 2025, period: { from: '2024-12-31T23:00:00.000Z', to: '2025-12-31T23:00:00.000Z' }, reported: 1, actual: 1, recategorised: 0, notified: 1, notifiedLate: 1 },
        // 01.01.2026 kl. 00.00 – 02.01.2026 kl. 00.00 (the period ends with 1 January): the breach of 00.30.
        { year: 2026, period: { from: '2025-12-31T23:00:00.000Z', to: '2026-01-01T23:00:00.000Z' }, reported: 1, actual: 0, recategorised: 0, notified: 0, notifiedLate: 0 },
      ]);
    });

    it('given the yearly report run on 2 January 2026 at 07:00 Copenhagen, when it is compiled, then the GDPR lead and the direktion get the 2025 figures, the breach of 01.01.2026 kl. 00.30 not among them', async () => {
      const db = createDataSource(databaseUrl, 1);
      await db.initialize();
      try {
        const activities = createReportActivities(new StatisticsStore(db), new OutboxStore(db), { complaintBaseline: { date: '2021-09-01', counts: {} }, notificationDirectory: { areas: {}, units: {} } });
        // 02.01.2026 kl. 07.00 Copenhagen (vintertid) = 06.00Z; run twice, as a retried activity would.
        expect(await activities.sendScheduledReport({ report: 'data-breaches-yearly', runKey: 'run-1', asOf: '2026-01-02T06:00:00Z' })).toBe(2);
        expect(await activities.sendScheduledReport({ report: 'data-breaches-yearly', runKey: 'run-2', asOf: '2026-01-02T06:00:00Z' })).toBe(2);
      } finally {
        await db.destroy();
      }
      const rows = await queued('data-breaches-yearly', 2);
      expect(rows.map((r) => [r.recipient_role, r.dedupe_key])).toEqual([
        ['direktion', 'report:data-breaches-yearly:2025:direktion'],
        ['gdpr-lead', 'report:data-breaches-yearly:2025:gdpr-lead'],
      ]);
      expect(rows[0].subject).toBe('Årlig rapport: sikkerhedsbrud 2025');
      for (const line of ['Anmeldte mulige sikkerhedsbrud: 1', 'Håndteret som faktiske sikkerhedsbrud: 1', 'Omkategoriseret: 0', 'Anmeldt til Datatilsynet: 1', 'Heraf anmeldt efter 72-timersfristen: 1']) {
        expect(rows[0].body).toContain(line);
      }
    });

    it('given the yearly schedule (2 January 07:00 Copenhagen), when it is triggered twice, then the GDPR lead and the direktion get the previous Copenhagen year\'s report once', async () => {
      const description = await temporal.schedule.getHandle(reportScheduleId(taskQueue, 'data-breaches-yearly')).describe();
      expect(description.spec.calendars?.[0]).toMatchObject({ month: [{ start: 'JANUARY', end: 'JANUARY', step: 1 }], dayOfMonth: [{ start: 2, end: 2, step: 1 }], hour: [{ start: 7, end: 7, step: 1 }] });
      expect(description.spec.timezone).toBe('Europe/Copenhagen');
      await runSchedule('data-breaches-yearly');
      await runSchedule('data-breaches-yearly');
      const year = new Date(wallClock(Date.now())).getUTCFullYear() - 1; // the year before today's in Copenhagen, by Intl
      const { rows } = await service.db.query(`SELECT recipient_role, subject FROM notification_outbox WHERE dedupe_key LIKE $1 ORDER BY recipient_role`, [`report:data-breaches-yearly:${year}:%`]);
      expect(rows).toEqual([
        { recipient_role: 'direktion', subject: `Årlig rapport: sikkerhedsbrud ${year}` },
        { recipient_role: 'gdpr-lead', subject: `Årlig rapport: sikkerhedsbrud ${year}` },
      ]);
    });
  });

  describe('mandatory training: every employee in scope, and the overdue lists to each institution leader', () => {
    const DAY = 86_400_000;
    const date = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY).toISOString();
    const ids: Record<string, string> = {};

    async function employee(key: string, body: Record<string, unknown>): Promise<string> {
      const res = service.expectStatus(
        await secretariat.start('mandatory-training', { employeeId: `emp-${key}`, course: 'it-security', staffGroup: 'administrative', unit: 'Skole Nord', area: 'nord', ...body }),
        201,
      );
      ids[key] = res.body.id;
      return res.body.id;
    }

    beforeAll(async () => {
      await employee('new', { employedFrom: date(2) }); // due in 12 days: not yet due
      await employee('late', { employedFrom: date(30) }); // due 16 days ago: overdue
      const stale = await employee('stale', { employedFrom: date(3 * 365) });
      // Completed 2½ years ago: the refresh (2 years after it) is about half a year overdue.
      service.expectStatus(await secretariat.act(stale, 'complete', { completedAt: date(913) }), 200);
      const current = await employee('current', { employedFrom: date(365) });
      service.expectStatus(await secretariat.act(current, 'complete', { completedAt: date(180) }), 200); // refresh due in 1½ years
      const law = await employee('law', { course: 'administrative-law', staffGroup: 'leader', employedFrom: date(60) });
      service.expectStatus(await secretariat.act(law, 'complete', { completedAt: date(1) }), 200); // completed: the case closes
      const gone = await employee('gone', { employedFrom: date(30) });
      service.expectStatus(await secretariat.act(gone, 'end-employment', { endedAt: date(1) }), 200); // out of scope
      await employee('syd', { employedFrom: date(30), unit: 'Skole Syd', area: 'syd' }); // overdue, in another unit
    });

    it('given employees in each state, when the training statistics are read, then each is counted once: completed and current, not yet due, or overdue (an overdue refresh is overdue)', async () => {
      const report = service.expectStatus(await secretariat.get('/statistics/training'), 200).body;
      expect(report.units).toEqual([
        { area: 'nord', unit: 'Skole Nord', course: 'administrative-law', courseLabel: 'Forvaltningsret', employees: 1, completedAndCurrent: 1, notYetDue: 0, overdue: 0 },
        { area: 'nord', unit: 'Skole Nord', course: 'it-security', courseLabel: 'IT-sikkerhed og databeskyttelse', employees: 4, completedAndCurrent: 1, notYetDue: 1, overdue: 2 },
        { area: 'syd', unit: 'Skole Syd', course: 'it-security', courseLabel: 'IT-sikkerhed og databeskyttelse', employees: 1, completedAndCurrent: 0, notYetDue: 0, overdue: 1 },
      ]);
      expect(report.overdue.map((o: { caseId: string }) => o.caseId)).toEqual([ids.late, ids.stale, ids.syd]);
    });

    it('given overdue employees in two units, when the monthly lists run twice, then each institution leader gets one message naming their own overdue employees, the cluster leader in copy, no names in the subject', async () => {
      const description = await temporal.schedule.getHandle(reportScheduleId(taskQueue, 'training-overdue-lists')).describe();
      expect(description.spec.calendars?.[0]).toMatchObject({ dayOfMonth: [{ start: 1, end: 1, step: 1 }], hour: [{ start: 7, end: 7, step: 1 }] });
      await runSchedule('training-overdue-lists');
      await runSchedule('training-overdue-lists');
      const rows = await queued('training-overdue-lists', 2);
      expect(rows.map((r) => [r.recipient_role, r.cc_recipient])).toEqual([
        ['institution-leader@unit:Skole Nord', 'cluster-leader@unit:Skole Nord'],
        ['institution-leader@unit:Skole Syd', 'cluster-leader@unit:Skole Syd'],
      ]);
      const [nord, syd] = rows;
      expect(nord.body).toContain('- Medarbejder emp-late: IT-sikkerhed og databeskyttelse');
      expect(nord.body).toContain('- Medarbejder emp-stale: IT-sikkerhed og databeskyttelse');
      for (const other of ['emp-new', 'emp-current', 'emp-law', 'emp-gone', 'emp-syd']) expect(nord.body).not.toContain(other);
      expect(syd.body).toContain('- Medarbejder emp-syd:');
      expect(syd.body).not.toContain('emp-late');
      for (const r of rows) expect(r.subject).toMatch(/^Månedlig liste: medarbejdere med overskredne obligatoriske kurser \([a-z]+ \d{4}\)$/);
      // Skole Nord's leaders are in the directory; Skole Syd's are reached through the roles' mailboxes.
      await eventually('the lists sent', async () =>
        service.logs.some((l) => l.includes('to il-skole-nord@kk.example.dk (cc kl-nord-1@kk.example.dk)')) &&
        service.logs.some((l) => l.includes('to institution-leader@buf.example.dk (cc cluster-leader@buf.example.dk)')),
      );
    });
  });

  it('given the schedules exist, when the worker starts again, then they are updated in place, not duplicated', async () => {
    await service.restartWorker('SIGTERM');
    const ids = (await scheduleIdsInNamespace(temporal)).filter((id) => id.startsWith(`${taskQueue}.`));
    expect(ids.sort()).toEqual([...Object.keys(SCHEDULED_REPORTS).map((r) => reportScheduleId(taskQueue, r as ScheduledReport)), retentionScheduleId(taskQueue)].sort());
  });
});

/**
 * Every schedule id in the namespace, read with the raw RPC: other test files' services share the
 * dev server and encrypt their schedules' memos with keys this client does not hold, and
 * `schedule.list()` would try to decode them.
 */
async function scheduleIdsInNamespace(temporal: Client): Promise<string[]> {
  const ids: string[] = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await temporal.workflowService.listSchedules({ namespace: temporal.options.namespace, maximumPageSize: 1000, nextPageToken });
    ids.push(...(page.schedules ?? []).map((s) => s.scheduleId ?? ''));
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return ids;
}

