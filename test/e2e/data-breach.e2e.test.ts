import { ART_33_3_CONTENT, breachReport, notification } from '../support/data-breach-fixtures';
import { eventually } from '../support/polling';
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
    const notified = await gdpr.act(id, 'notify-datatilsynet', notification('DT-2026-0042'));
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

  /** A breach triaged as actual and assessed at `risk`, opened by the reporter. */
  async function assessed(risk: 'none' | 'risk' | 'high', report = breachReport()): Promise<string> {
    const { body } = await reporter.start('data-breach', report);
    await gdpr.act(body.id, 'triage', { outcome: 'breach', reason: 'Oplysninger videregivet' });
    expect((await gdpr.act(body.id, 'assess-risk', { risk, rationale: 'Vurdering' })).status).toBe(200);
    return body.id;
  }

  it('given a high-risk breach, when the data subjects are informed before Datatilsynet, then close answers 409 naming the notification still owed, and 200 once it is recorded', async () => {
    const id = await assessed('high');
    const informed = await gdpr.act(id, 'notify-data-subjects', { method: 'Brev i Digital Post', count: 24 });
    expect(informed.status).toBe(200);
    expect(informed.body).toMatchObject({ step: 'notify-datatilsynet', allowedActions: ['reassess-risk', 'notify-datatilsynet'] });

    const early = await gdpr.act(id, 'close', { summary: 'For tidligt' });
    expect(early.status).toBe(409);
    expect(early.body.message).toContain('still owed: the notification of Datatilsynet (Art. 33: notify-datatilsynet)');
    expect(early.body.details).toMatchObject({ step: 'notify-datatilsynet', allowedActions: ['reassess-risk', 'notify-datatilsynet'] });

    expect((await gdpr.act(id, 'notify-datatilsynet', notification('DT-2026-0101'))).body.step).toBe('ready-to-close');
    expect((await gdpr.act(id, 'close', { summary: 'Begge pligter opfyldt' })).body.status).toBe('closed');
    expect((await service.journal(id)).map((j) => j.action)).toEqual(['opened', 'triage', 'assess-risk', 'notify-data-subjects', 'notify-datatilsynet', 'close']);
  });

  it('given a breach with risk, when Datatilsynet is notified without the contact point, then 400 names contactPoint; with every Art. 33(3) field they are stored', async () => {
    const id = await assessed('risk');
    const withoutContact: Record<string, unknown> = notification('DT-2026-0102');
    delete withoutContact.contactPoint;
    const refused = await gdpr.act(id, 'notify-datatilsynet', withoutContact);
    expect(refused.status).toBe(400);
    expect(refused.body.details.fields).toEqual([{ field: 'contactPoint', message: 'contactPoint is required' }]);

    const notified = await gdpr.act(id, 'notify-datatilsynet', notification('DT-2026-0102'));
    expect(notified.status).toBe(200);
    expect(notified.body.data.authorityNotification).toEqual({ reference: 'DT-2026-0102', submittedAt: expect.any(String), late: false, ...ART_33_3_CONTENT });
  });

  it('given a breach assessed as risk, when it is reassessed as high and then lowered with reasons, then the case demands what each level demands and the journal records both reasons', async () => {
    const id = await assessed('risk');
    expect((await gdpr.act(id, 'reassess-risk', { risk: 'high' })).status).toBe(400);
    const raised = await gdpr.act(id, 'reassess-risk', { risk: 'high', reason: 'CPR-numre var med' });
    expect(raised.body).toMatchObject({ step: 'notify-datatilsynet', data: { risk: { level: 'high' } } });
    expect((await gdpr.act(id, 'notify-datatilsynet', notification('DT-2026-0103'))).body.step).toBe('inform-data-subjects');
    expect((await gdpr.act(id, 'close', { summary: 'x' })).status).toBe(409);

    const lowered = await gdpr.act(id, 'reassess-risk', { risk: 'risk', reason: 'CPR-numrene var maskerede' });
    expect(lowered.body).toMatchObject({ step: 'ready-to-close', data: { reassessments: [{ from: 'risk', to: 'high' }, { from: 'high', to: 'risk' }] } });
    expect(lowered.body.journal.filter((j: any) => j.action === 'reassess-risk').map((j: any) => j.note)).toEqual([
      'Risiko revurderet fra risiko til høj risiko. Begrundelse: CPR-numre var med',
      'Risiko revurderet fra høj risiko til risiko. Begrundelse: CPR-numrene var maskerede',
    ]);
    expect((await gdpr.act(id, 'close', { summary: 'Anmeldt' })).status).toBe(200);
  });

  it('given a high-risk breach, when the disproportionate-effort exception is recorded without the public communication, then 400 names publicCommunication; with it the exception meets Art. 34', async () => {
    const id = await assessed('high');
    const refused = await gdpr.act(id, 'record-subject-notice-exception', { ground: 'disproportionate-effort', reason: 'Modtagerne kendes ikke' });
    expect(refused.status).toBe(400);
    expect(refused.body.details.fields.map((f: any) => f.field)).toEqual(['publicCommunication']);
    const recorded = await gdpr.act(id, 'record-subject-notice-exception', { ground: 'disproportionate-effort', reason: 'Modtagerne kendes ikke', publicCommunication: 'Meddelelse på kk.dk' });
    expect(recorded.body).toMatchObject({ step: 'notify-datatilsynet', data: { subjectNotice: { kind: 'exception', ground: 'disproportionate-effort', publicCommunication: 'Meddelelse på kk.dk' } } });
  });

  it('given a breach reported after its 72 hours, when the deadline escalates, then the outbox holds the GDPR lead with the case and the direktion with a notice free of the case content', async () => {
    // Discovered on Friday 23.10.2026 at 16.00: the 72 hours (exact hours, not days) ran out on
    // Monday 26.10.2026 at 15.00 winter time (the clocks went back on Sunday 25.10), long before the report.
    const report = breachReport({ discoveredAt: '2026-10-23T16:00:00+02:00' }); // fredag 23.10.2026 kl. 16.00 (sommertid)
    const { body } = await reporter.start('data-breach', report);
    const rows = await eventually('the escalation in the outbox', async () => {
      const { rows } = await service.db.query<{ recipient_role: string; subject: string; body: string }>(
        "SELECT recipient_role, subject, body FROM notification_outbox WHERE case_id = $1 AND kind = 'escalation' ORDER BY recipient_role",
        [body.id],
      );
      return rows.length === 2 && rows;
    });
    expect(rows.map((r) => r.recipient_role)).toEqual(['direktion', 'gdpr-lead']);
    const [direktion, lead] = rows;
    expect(lead.body).toContain(`Sags-id: ${body.id}`);
    expect(direktion.body).toBe(`${direktion.subject}. Til orientering: sagen er markeret som overskredet og behandles af GDPR-funktionen, leder af GDPR-funktionen.`);
    expect(direktion.subject).toBe(`Frist overskredet: Sikkerhedsbrud ${body.caseNumber} – Anmeldelse til Datatilsynet inden 72 timer (frist 26.10.2026 kl. 15.00)`); // mandag 26.10.2026 kl. 15.00 (vintertid)
    expect(body.deadlines.find((d: { name: string }) => d.name === 'datatilsynet-72h').dueAt).toBe('2026-10-26T14:00:00.000Z');
    for (const text of [report.description, report.unit, ...(report.dataCategories as string[])]) {
      expect(`${direktion.subject} ${direktion.body}`).not.toContain(text as string);
    }
    // Why the texts differ: the GDPR lead reads the case and can act on it; the direktion cannot read it.
    const gdprLead = await service.as({ sub: 'gdpr-lead-7', name: 'Gorm Leder', roles: ['gdpr-lead'] });
    const direktionMember = await service.as({ sub: 'dir-7', name: 'Dorte Direktør', roles: ['direktion'] });
    const read = await gdprLead.get(`/cases/${body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ overdue: true, data: { description: report.description } });
    expect((await direktionMember.get(`/cases/${body.id}`)).status).toBe(404);
  });
});
