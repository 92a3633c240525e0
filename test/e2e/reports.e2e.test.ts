import type { Client } from '@temporalio/client';
import { reportScheduleId, retentionScheduleId } from '@buf/apps/worker/src/report-schedules.service';
import { notification } from '../support/data-breach-fixtures';
import { type Caller, ServiceUnderTest, createIsolatedDatabase } from '../support/service';
import { eventually } from '../support/polling';

/** Reports read every case file, so this file gets a database of its own: the counts are exact. */
describe('statistics and scheduled reports (real worker, Temporal dev server, PostgreSQL)', () => {
  let service: ServiceUnderTest;
  let temporal: Client;
  let reporter: Caller;
  let gdpr: Caller;
  let taskQueue: string;

  beforeAll(async () => {
    taskQueue = `reports-${Date.now().toString(36)}`;
    service = await ServiceUnderTest.start('reports', { DATABASE_URL: await createIsolatedDatabase('reports'), TEMPORAL_TASK_QUEUE: taskQueue });
    temporal = await service.temporalClient({ withPayloadKey: true });
    reporter = await service.as({ sub: 'emp-r', name: 'Rikke Ansat', roles: ['employee'] });
    gdpr = await service.as({ sub: 'gdpr-r', name: 'Rasmus GDPR', roles: ['gdpr'] });
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

  it('given the worker started, when the monthly training report schedule is triggered, then one report e-mail per recipient role is queued', async () => {
    const handle = temporal.schedule.getHandle(reportScheduleId(taskQueue, 'training-monthly'));
    const description = await handle.describe();
    expect(description.spec.calendars?.[0]).toMatchObject({ dayOfMonth: [{ start: 1, end: 1, step: 1 }] });
    expect(description.spec.timezone).toBe('Europe/Copenhagen');

    await handle.trigger();
    const rows = await eventually('the effect', async () => {
      const { rows } = await service.db.query(`SELECT recipient_role, subject FROM notification_outbox WHERE case_id = 'report:training-monthly' ORDER BY recipient_role`);
      return rows.length >= 3 ? rows : undefined;
    });
    expect(rows.map((r: { recipient_role: string }) => r.recipient_role)).toEqual(['area-chief', 'digitalisation-chief', 'direktion']);
    expect(rows[0].subject).toMatch(/^Månedlig rapport: obligatoriske kurser pr\. /);
  });

  it('given the 6-weekly complaint report schedule, when it is triggered, then the legal network gets the counts against the baseline', async () => {
    const handle = temporal.schedule.getHandle(reportScheduleId(taskQueue, 'complaints-6-weekly'));
    expect((await handle.describe()).spec.intervals?.[0].every).toBe(42 * 24 * 3_600_000);
    await handle.trigger();
    const rows = await eventually('the effect', async () => {
      const { rows } = await service.db.query(`SELECT recipient_role, body FROM notification_outbox WHERE case_id = 'report:complaints-6-weekly' ORDER BY recipient_role`);
      return rows.length >= 2 ? rows : undefined;
    });
    expect(rows.map((r: { recipient_role: string }) => r.recipient_role)).toEqual(['arc-lead', 'klageenhed']);
    expect(rows[0].body).toContain('2021-09-01');
  });

  it('given the schedules exist, when the worker starts again, then they are updated in place, not duplicated', async () => {
    await service.restartWorker('SIGTERM');
    const ids = (await scheduleIdsInNamespace(temporal)).filter((id) => id.startsWith(`${taskQueue}.`));
    expect(ids.sort()).toEqual([reportScheduleId(taskQueue, 'complaints-6-weekly'), reportScheduleId(taskQueue, 'training-monthly'), retentionScheduleId(taskQueue)].sort());
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

