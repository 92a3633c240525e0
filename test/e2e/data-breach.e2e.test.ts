import { breachReport } from '../support/data-breach-fixtures';
import { type Caller, ServiceUnderTest } from '../support/service';

describe('data-breach over HTTP (real worker, Temporal dev server, PostgreSQL)', () => {
  let service: ServiceUnderTest;
  let reporter: Caller;
  let gdpr: Caller;

  beforeAll(async () => {
    service = await ServiceUnderTest.start('breach-e2e');
    reporter = await service.as({ sub: 'emp-7', name: 'Erik Ansat', roles: ['employee'], unit: 'Skole Nord' });
    gdpr = await service.as({ sub: 'gdpr-7', name: 'Grete GDPR', roles: ['gdpr'] });
  });

  afterAll(async () => {
    await service?.stop();
  });

  it('given a high-risk breach, when the GDPR function takes every step, then the case closes with one journal entry per step', async () => {
    const opened = await reporter.start('data-breach', breachReport());
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ process: 'data-breach', step: 'reported', status: 'open', overdue: false });
    expect(opened.body.caseNumber).toMatch(/^\d{4}-\d{7}$/);
    expect(opened.body.id).toBe(`data-breach-${opened.body.caseNumber}`);
    const id: string = opened.body.id;

    expect((await gdpr.act(id, 'triage', { outcome: 'breach', reason: 'Oplysninger videregivet' })).body.step).toBe('risk-assessment');
    expect((await gdpr.act(id, 'assess-risk', { risk: 'high', rationale: 'Mange børn berørt' })).body.step).toBe('notify-datatilsynet');
    const notified = await gdpr.act(id, 'notify-datatilsynet', { reference: 'DT-2026-0042' });
    expect(notified.status).toBe(200);
    expect(notified.body.step).toBe('inform-data-subjects');
    expect(notified.body.deadlines[0]).toMatchObject({ name: 'datatilsynet-72h', state: 'met' });
    expect((await gdpr.act(id, 'notify-data-subjects', { method: 'Brev i Digital Post', count: 24 })).body.step).toBe('ready-to-close');
    const closed = await gdpr.act(id, 'close', { summary: 'Forældre informeret, rutine for udsendelse ændret' });
    expect(closed.body).toMatchObject({ status: 'closed', step: 'closed', allowedActions: [] });
    expect(closed.body.closedAt).toEqual(expect.any(String));

    const journal = await service.journal(id);
    expect(journal.map((j) => j.action)).toEqual(['opened', 'triage', 'assess-risk', 'notify-datatilsynet', 'notify-data-subjects', 'close']);
    expect(journal.map((j) => j.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('given an action the step does not allow, when it is taken, then 409 names the step and the actions allowed now', async () => {
    const { body } = await reporter.start('data-breach', breachReport());
    const res = await gdpr.act(body.id, 'assess-risk', { risk: 'none', rationale: 'x' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ statusCode: 409, error: 'Conflict', details: { step: 'reported', allowedActions: ['triage'] } });
    expect(res.body.message).toContain('reported');
  });

  it("given a breach triaged and assessed by the GDPR function, when the reporter reads it, then 200 with the status only: what they reported and the steps taken, without the assessment or the notes", async () => {
    const reported = breachReport();
    const { body: opened } = await reporter.start('data-breach', reported);
    const id: string = opened.id;
    expect((await gdpr.act(id, 'triage', { outcome: 'breach', reason: 'Oplysninger videregivet' })).status).toBe(200);
    expect((await gdpr.act(id, 'assess-risk', { risk: 'high', rationale: 'Mange børn berørt' })).status).toBe(200);

    // the area is a field of the case itself, not of its data
    const { area, ...reportedData } = reported;
    const forReporter = await reporter.get(`/cases/${id}`);
    expect(forReporter.status).toBe(200);
    expect(forReporter.body).toMatchObject({ id, step: 'notify-datatilsynet', status: 'open', area, allowedActions: [] });
    expect(forReporter.body.data).toEqual(reportedData);
    expect(forReporter.body.journal.map((j: any) => j.action)).toEqual(['opened', 'triage', 'assess-risk']);
    expect(forReporter.body.journal.filter((j: any) => 'note' in j)).toEqual([]);
    expect(JSON.stringify(forReporter.body)).not.toContain('Mange børn berørt');

    const forGdpr = await gdpr.get(`/cases/${id}`);
    expect(forGdpr.status).toBe(200);
    expect(forGdpr.body.data).toMatchObject({
      ...reportedData,
      triage: { outcome: 'breach', reason: 'Oplysninger videregivet' },
      risk: { level: 'high', rationale: 'Mange børn berørt' },
    });
    expect(forGdpr.body.journal.map((j: any) => j.note)).toEqual([expect.any(String), expect.any(String), expect.any(String)]);
  });
});
