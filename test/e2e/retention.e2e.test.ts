import type { Client } from '@temporalio/client';
import { retentionScheduleId } from '@buf/apps/worker/src/report-schedules.service';
import { type Caller, ServiceUnderTest, createIsolatedDatabase } from '../support/service';
import { eventually } from '../support/polling';

/** Retention period 0 for breaches and training: a closed case is due for anonymisation at the next sweep. */
describe('retention: closed cases are anonymised after their period', () => {
  let service: ServiceUnderTest;
  let temporal: Client;
  let reporter: Caller;
  let gdpr: Caller;

  beforeAll(async () => {
    service = await ServiceUnderTest.start('retention', {
      DATABASE_URL: await createIsolatedDatabase('retention'),
      CASE_POLICY: JSON.stringify({ retentionDays: { 'data-breach': 0, 'mandatory-training': 0, whistleblower: 0 } }),
    });
    temporal = await service.temporalClient({ withPayloadKey: true });
    reporter = await service.as({ sub: 'emp-ret', name: 'Bodil Rasmussen', roles: ['employee'] });
    gdpr = await service.as({ sub: 'gdpr-ret', name: 'Gorm GDPR', roles: ['gdpr'] });
  });

  afterAll(async () => {
    await temporal?.connection.close();
    await service?.stop();
  });

  it('given a closed breach and an open one, when the retention sweep runs, then the closed one keeps only its figures, its journal loses notes and names and records the anonymisation, and the open one is untouched', async () => {
    const report = (description: string) => ({
      discoveredAt: new Date(Date.now() - 3_600_000).toISOString(),
      unit: 'Skole Vest',
      description,
      dataCategories: ['navn'],
      channel: 'form',
    });
    const closed = (await reporter.start('data-breach', report('Elevliste med Mikkel Holm sendt forkert'))).body.id;
    await gdpr.act(closed, 'triage', { outcome: 'not-a-breach', reason: 'Mikkel Holms forælder havde givet samtykke' });
    const open = (await reporter.start('data-breach', report('Karakterer for Sara Bech lå fremme'))).body.id;

    await temporal.schedule.getHandle(retentionScheduleId(service.taskQueue)).trigger();
    const anonymised = await eventually('the effect', async () => {
      const res = await gdpr.get(`/cases/${closed}`);
      return res.body.data?.anonymised ? res.body : undefined;
    });

    expect(anonymised.data).toEqual({ anonymised: true, discoveredAt: expect.any(String), unit: 'Skole Vest', dataCategories: ['navn'], channel: 'form', triage: { outcome: 'not-a-breach' }, outcome: 'recategorised' });
    expect(anonymised.journal.at(-1)).toMatchObject({ action: 'anonymised', actor: { sub: 'system' } });
    expect(anonymised.journal.slice(0, -1).every((j: { note?: string; actor: { name: string } }) => j.note === undefined && j.actor.name === 'anonymiseret')).toBe(true);
    const stored = JSON.stringify((await service.db.query(`SELECT f.snapshot, j.* FROM case_files f JOIN case_journal j ON j.case_id = f.id WHERE f.id = $1`, [closed])).rows);
    for (const needle of ['Mikkel', 'Holm', 'Bodil Rasmussen', 'Gorm GDPR']) expect(stored).not.toContain(needle);

    const untouched = await gdpr.get(`/cases/${open}`);
    expect(untouched.body.data.description).toBe('Karakterer for Sara Bech lå fremme');
    const stats = await gdpr.get('/statistics/data-breaches');
    expect(stats.body).toMatchObject({ reported: 2, recategorised: 1 });
  });

  it("given a closed training case, when it is anonymised, then its one-open-case key (a hash of employee and course) goes with it", async () => {
    const secretariat = await service.as({ sub: 'ls-ret', name: 'Lis Sekretariat', roles: ['ledelsessekretariat'] });
    const hr = await service.as({ sub: 'hr-ret', name: 'Hans HR', roles: ['hr-chief'] });
    const opened = await secretariat.start('mandatory-training', {
      employeeId: 'emp-ret-1', course: 'it-security', staffGroup: 'administrative',
      employedFrom: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10), unit: 'Skole Vest', area: 'vest',
    });
    expect(opened.status).toBe(201);
    const keys = async () => (await service.db.query(`SELECT case_id FROM open_case_keys WHERE case_id = $1`, [opened.body.id])).rows.length;
    expect(await keys()).toBe(1);
    expect((await hr.act(opened.body.id, 'end-employment', { endedAt: new Date().toISOString() })).status).toBe(200);

    await temporal.schedule.getHandle(retentionScheduleId(service.taskQueue)).trigger();
    await eventually('the effect', async () => ((await secretariat.get(`/cases/${opened.body.id}`)).body.data?.anonymised ? true : undefined));
    expect(await keys()).toBe(0);
  });

  it("given a closed whistleblower case with the whistleblower's identity, when it is anonymised, then the identity is deleted with it", async () => {
    const secretariat = await service.as({ sub: 'ls-ret-wb', name: 'Lis Sekretariat', roles: ['ledelsessekretariat'] });
    const arcLead = await service.as({ sub: 'arc-ret', name: 'Arne ARC', roles: ['arc-lead'] });
    const jurist = await service.as({ sub: 'jur-ret', name: 'Jytte Jurist', roles: ['jurist'] });
    const caseworker = await service.as({ sub: 'cw-ret', name: 'Carla Sagsbehandler', roles: ['caseworker'], unit: 'Skole Vest' });
    const opened = await secretariat.start('whistleblower', {
      brgReference: 'BRG-RET-1',
      subject: 'Indberetning',
      summary: 'BRG beder om en udtalelse',
      handlingUnit: 'Skole Vest',
      replyDeadline: new Date(Date.now() + 20 * 86_400_000).toISOString(),
    });
    const id: string = opened.body.id;
    const steps: [Caller, string, Record<string, unknown>][] = [
      [secretariat, 'record-direktion-briefing', { occasion: 'receipt' }],
      [arcLead, 'assign-jurist', { juristId: 'jur-ret' }],
      [secretariat, 'record-identity', { whistleblowerIdentity: 'Ejnar Kofoed-Hansen' }],
      [caseworker, 'submit-draft', { documentRef: 'DOK-R1', summary: 'Udkast' }],
      [jurist, 'approve-draft', {}],
      [secretariat, 'record-direktion-briefing', { occasion: 'reply' }],
      [secretariat, 'send-reply', { documentRef: 'SVAR-R1' }],
      [secretariat, 'close', { reason: 'Færdig' }],
    ];
    for (const [who, action, body] of steps) expect((await who.act(id, action, body)).status).toBe(200);
    const identityRows = async () => Number((await service.db.query(`SELECT count(*) AS n FROM case_confidential_fields WHERE case_id = $1`, [id])).rows[0].n);
    expect(await identityRows()).toBe(1);

    await temporal.schedule.getHandle(retentionScheduleId(service.taskQueue)).trigger();
    await eventually('the anonymisation', async () => (await secretariat.get(`/cases/${id}`)).body.data?.anonymised);
    expect(await identityRows()).toBe(0);
  });

  it('given an anonymised journal, when someone tries to rewrite an entry otherwise, then the database still refuses', async () => {
    const [row] = (await service.db.query(`SELECT case_id, seq FROM case_journal LIMIT 1`)).rows;
    await expect(service.db.query(`UPDATE case_journal SET action = 'edited' WHERE case_id = $1 AND seq = $2`, [row.case_id, row.seq])).rejects.toThrow(/append-only/);
    await expect(service.db.query(`UPDATE case_journal SET note = 'ny' WHERE case_id = $1 AND seq = $2`, [row.case_id, row.seq])).rejects.toThrow(/append-only/);
  });
});

