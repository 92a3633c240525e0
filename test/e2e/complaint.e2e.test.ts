import type { TokenClaims } from '@buf/auth';
import { DEFAULT_POLICY } from '@buf/domain';
import { copenhagenWeekdayAndTime } from '../support/copenhagen-clock';
import { type ApiResponse, type Caller, ServiceUnderTest } from '../support/service';

const UNIT = 'Skole Nord';
/** Complaint content: it stays in the case file and never reaches a journal note or an e-mail. */
const SUBJECT = 'Forælder klager over lærerens tone over for Mads Hansen';

const PEOPLE = {
  klageenhed: { sub: 'ke-e2e', name: 'Karen Klageenhed', roles: ['klageenhed'] },
  caseworker: { sub: 'cw-e2e', name: 'Carl Sagsbehandler', roles: ['caseworker'], unit: UNIT },
  otherUnitCaseworker: { sub: 'cw-e2e-2', name: 'Cecilie Sagsbehandler', roles: ['caseworker'], unit: 'Skole Syd' },
  areaChief: { sub: 'ac-e2e', name: 'Ole Områdechef', roles: ['area-chief'], area: 'nord' },
  otherAreaChief: { sub: 'ac-e2e-2', name: 'Sofie Områdechef', roles: ['area-chief'], area: 'syd' },
  /** An area chief whose token carries no area reads no complaint (no claim to match). */
  areaChiefWithoutArea: { sub: 'ac-e2e-3', name: 'Niels Områdechef', roles: ['area-chief'] },
  /** A caseworker whose token carries no unit reads no complaint either. */
  caseworkerWithoutUnit: { sub: 'cw-e2e-3', name: 'Cathrine Sagsbehandler', roles: ['caseworker'] },
  employee: { sub: 'emp-e2e', name: 'Erik Ansat', roles: ['employee'], unit: UNIT },
  fagligtCenter: { sub: 'fc-e2e', name: 'Frida Fagligt Center', roles: ['fagligt-center'] },
} satisfies Record<string, TokenClaims>;

type Person = keyof typeof PEOPLE;

describe('complaint over HTTP (real worker, Temporal dev server, PostgreSQL)', () => {
  let service: ServiceUnderTest;
  let as: Record<Person, Caller>;

  beforeAll(async () => {
    service = await ServiceUnderTest.start('complaint-e2e');
    as = await service.callers(PEOPLE);
  });

  afterAll(async () => {
    await service?.stop();
  });

  const registration = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
    channel: 'email',
    area: 'nord',
    unit: UNIT,
    unitType: 'school',
    subject: SUBJECT,
    receivedAt: new Date(Date.now() - 2 * 3_600_000).toISOString(),
    ...overrides,
  });

  const expectStatus = (res: ApiResponse, status: number): any => service.expectStatus(res, status).body;

  /** An error in the API's one error shape. */
  function expectError(res: ApiResponse, status: number, error: string): any {
    const body = expectStatus(res, status);
    expect(body).toMatchObject({ statusCode: status, error, message: expect.any(String) });
    return body;
  }

  const fieldsOf = (body: any): string[] => body.details.fields.map((f: { field: string }) => f.field);
  const deadline = (c: any, name: string) => c.deadlines.find((d: any) => d.name === name);

  async function register(person: Person = 'klageenhed', overrides: Record<string, unknown> = {}): Promise<any> {
    return expectStatus(await as[person].start('complaint', registration(overrides)), 201);
  }

  async function act(person: Person, caseId: string, action: string, body: Record<string, unknown> = {}): Promise<any> {
    return expectStatus(await as[person].act(caseId, action, body), 200);
  }

  async function allowedFor(person: Person, caseId: string): Promise<string[]> {
    return expectStatus(await as[person].get(`/cases/${caseId}`), 200).allowedActions;
  }

  /** A complaint classified as `category` and so in handling. */
  async function inHandling(category = 'conduct'): Promise<string> {
    const { id } = await register();
    expect((await act('klageenhed', id, 'classify', { category })).step).toBe('handling');
    return id;
  }

  describe('the branches, start to closed', () => {
    it('given a complaint registered by a caseworker of the unit, when it is acknowledged, classified, handled with the unit and answered, then it closes with the statistics fields and one journal entry per step', async () => {
      const receivedAt = new Date(Date.now() - 3 * 3_600_000).toISOString();
      const opened = await register('caseworker', { receivedAt });
      expect(opened).toMatchObject({ process: 'complaint', step: 'registered', status: 'open', overdue: false, area: 'nord', allowedActions: [] });
      expect(opened.id).toBe(`complaint-${opened.caseNumber}`);
      expect(opened.data).toMatchObject({ channel: 'email', area: 'nord', unit: UNIT, unitType: 'school', subject: SUBJECT, receivedAt });
      // Counted in days to the end of the last day (the engine's own tests pin the instants by hand).
      expect(deadline(opened, 'acknowledgement')).toMatchObject({ state: 'pending', basis: 'Politik (complaint.acknowledgementWorkingDays)', explanation: expect.stringMatching(/^5 arbejdsdage fra modtagelsen /) });
      expect(deadline(opened, 'answer')).toMatchObject({ state: 'pending', basis: 'Politik (complaint.answerDays)', explanation: expect.stringMatching(/^30 kalenderdage fra modtagelsen /) });
      for (const name of ['acknowledgement', 'answer']) expect(copenhagenWeekdayAndTime(Date.parse(deadline(opened, name).dueAt)).time).toBe('23:59');
      const id: string = opened.id;
      expect(await allowedFor('klageenhed', id)).toEqual(['acknowledge', 'classify']);

      const acknowledged = await act('klageenhed', id, 'acknowledge', { note: 'Kvittering sendt pr. e-mail' });
      expect(deadline(acknowledged, 'acknowledgement')).toMatchObject({ state: 'met', settledAt: expect.any(String) });
      expect(acknowledged.allowedActions).toEqual(['classify']);

      const classified = await act('klageenhed', id, 'classify', { category: 'case-handling' });
      expect(classified).toMatchObject({ step: 'handling', data: { category: 'case-handling' } });
      expect(await allowedFor('caseworker', id)).toEqual(['record-handling']);
      // A caseworker of another unit does not read the complaint at all.
      expectStatus(await as.otherUnitCaseworker.get(`/cases/${id}`), 404);

      const handled = await act('caseworker', id, 'record-handling', { method: 'dialogue', note: 'Samtale med forælder og skoleleder' });
      expect(handled.data.handling).toEqual([expect.objectContaining({ method: 'dialogue' })]);
      expect(await allowedFor('klageenhed', id)).toEqual(['record-handling', 'answer']);

      const answered = await act('klageenhed', id, 'answer', { lawfulHandling: 'partly', outcome: 'Delvist medhold', learningPoint: 'Skolen svarer forældre inden for fem dage' });
      expect(answered).toMatchObject({ status: 'closed', step: 'closed', overdue: false, allowedActions: [] });
      expect(answered.data).toMatchObject({ category: 'case-handling', lawfulHandling: 'partly', answeredAt: expect.any(String), resolution: 'answered', learningPoint: expect.any(String) });
      expect(answered.deadlines.map((d: any) => [d.name, d.state])).toEqual([['acknowledgement', 'met'], ['answer', 'met']]);

      const journal = await service.journal(id);
      expect(journal.map((j) => j.action)).toEqual(['opened', 'acknowledge', 'classify', 'record-handling', 'answer']);
      expect(journal.map((j) => j.seq)).toEqual([1, 2, 3, 4, 5]);
      const { rows } = await service.db.query('SELECT recipient_role, subject, body FROM notification_outbox WHERE case_id = $1', [id]);
      expect(rows.map((r: { recipient_role: string }) => r.recipient_role)).toEqual(['klageenhed']);
      const written = JSON.stringify([rows, answered.journal.map((j: { note?: string }) => j.note)]);
      expect(written).toContain(opened.caseNumber);
      expect(written).not.toContain('Mads');
    });

    it('given a realitetsklage, when it is classified with the complaint body the citizen was guided to, then the case closes with that guidance', async () => {
      const { id } = await register();
      const closed = await act('klageenhed', id, 'classify', { category: 'realitetsklage', guidance: 'Klagenævnet for Specialundervisning' });
      expect(closed).toMatchObject({ status: 'closed', data: { category: 'realitetsklage', guidance: 'Klagenævnet for Specialundervisning', resolution: 'guided-to-complaint-body' } });
      expect(closed.deadlines.every((d: any) => d.state === 'met')).toBe(true);
      expect((await service.journal(id)).map((j) => j.action)).toEqual(['opened', 'classify']);
    });

    it('given an unclear enquiry, when the citizen says it is not a complaint, then the case closes without handling', async () => {
      const { id } = await register('klageenhed', { channel: 'phone' });
      const asked = await act('klageenhed', id, 'classify', { category: 'unclear' });
      expect(asked.step).toBe('awaiting-citizen');
      expect(deadline(asked, 'citizen-clarification')).toMatchObject({ state: 'pending' });
      expect(Date.parse(deadline(asked, 'citizen-clarification').dueAt) - Date.now()).toBeGreaterThan((DEFAULT_POLICY.complaint.citizenClarificationDays - 1) * 24 * 3_600_000);
      expect(asked.allowedActions).toEqual(['acknowledge', 'record-citizen-answer']);

      const closed = await act('klageenhed', id, 'record-citizen-answer', { answer: 'not-a-complaint' });
      expect(closed).toMatchObject({ status: 'closed', data: { category: 'unclear', resolution: 'not-a-complaint', clarification: { answer: 'not-a-complaint' } } });
      expect(deadline(closed, 'citizen-clarification').state).toBe('met');
    });

    it('given an unclear enquiry the citizen confirms, when it is classified and handled, then it is answered and closed like any complaint', async () => {
      const { id } = await register('klageenhed', { channel: 'webform', unitType: 'daycare' });
      await act('klageenhed', id, 'classify', { category: 'unclear' });
      expect((await act('klageenhed', id, 'record-citizen-answer', { answer: 'complaint' })).step).toBe('registered');
      expect(fieldsOf(expectError(await as.klageenhed.act(id, 'classify', { category: 'unclear' }), 400, 'Bad Request'))).toEqual(['category']);
      await act('klageenhed', id, 'classify', { category: 'service-level' });
      await act('klageenhed', id, 'record-handling', { method: 'meeting', note: 'Møde i institutionen' });
      const closed = await act('klageenhed', id, 'answer', { lawfulHandling: 'yes', outcome: 'Ikke medhold', learningPoint: 'Ingen' });
      expect(closed).toMatchObject({ status: 'closed', data: { category: 'service-level', unitType: 'daycare', channel: 'webform', lawfulHandling: 'yes' } });
      expect((await service.journal(id)).map((j) => j.action)).toEqual(['opened', 'classify', 'record-citizen-answer', 'classify', 'record-handling', 'answer']);
    });
  });

  describe('the guards', () => {
    it('given no token, when a complaint is registered or acted on, then 401', async () => {
      expectError(await service.request('POST', '/api/v1/cases/complaint', { body: registration() }), 401, 'Unauthorized');
      const { id } = await register();
      expectError(await service.request('POST', `/api/v1/cases/${id}/actions/acknowledge`, { body: {} }), 401, 'Unauthorized');
      expect((await service.journal(id)).map((j) => j.action)).toEqual(['opened']);
    });

    it('given an employee who took a complaint by phone, when they register it, then the case opens and they read what they reported; by e-mail they may not', async () => {
      const opened = expectStatus(await as.employee.start('complaint', registration({ channel: 'phone', unit: 'Skole Syd' })), 201);
      expect(opened).toMatchObject({ process: 'complaint', step: 'registered', data: { channel: 'phone' } });
      expect(expectStatus(await as.employee.get(`/cases/${opened.id}`), 200).allowedActions).toEqual([]);
      expect(expectError(await as.employee.start('complaint', registration({ channel: 'webform' })), 403, 'Forbidden').message).toContain('received by phone only');
    });

    it('given people without the roles, when they register a complaint or take a complaints-unit action, then 403 names the roles required', async () => {
      expect(expectError(await as.employee.start('complaint', registration()), 403, 'Forbidden').message).toContain('received by phone only');
      expectError(await as.fagligtCenter.start('complaint', registration()), 403, 'Forbidden');
      // A caseworker registers complaints about their own unit only; the complaints unit any.
      expect(expectError(await as.otherUnitCaseworker.start('complaint', registration()), 403, 'Forbidden').message).toContain('their own unit (Skole Syd)');
      expectStatus(await as.otherUnitCaseworker.start('complaint', registration({ unit: 'Skole Syd' })), 201);
      expectStatus(await as.klageenhed.start('complaint', registration({ unit: 'Skole Syd' })), 201);
      const { id } = await register();
      expect(expectError(await as.caseworker.act(id, 'classify', { category: 'conduct' }), 403, 'Forbidden').message).toContain('klageenhed');
      expectError(await as.areaChief.act(id, 'acknowledge'), 403, 'Forbidden');
    });

    it('given a caseworker of another unit, when they record the handling, then 404 as for a case they may not read, and nothing is recorded', async () => {
      const id = await inHandling();
      expectError(await as.otherUnitCaseworker.act(id, 'record-handling', { method: 'dialogue', note: 'x' }), 404, 'Not Found');
      expect((await service.journal(id)).map((j) => j.action)).toEqual(['opened', 'classify']);
    });

    it('given actions the step or the case does not allow, when they are taken, then 409 names the step and the actions allowed now', async () => {
      const { id } = await register();
      const early = expectError(await as.klageenhed.act(id, 'answer', { lawfulHandling: 'yes', outcome: 'x', learningPoint: 'y' }), 409, 'Conflict');
      expect(early.details).toEqual({ step: 'registered', allowedActions: ['acknowledge', 'classify'] });
      expect(early.message).toContain('registered');

      await act('klageenhed', id, 'acknowledge');
      const twice = expectError(await as.klageenhed.act(id, 'acknowledge'), 409, 'Conflict');
      expect(twice.details).toEqual({ step: 'registered', allowedActions: ['classify'] });

      await act('klageenhed', id, 'classify', { category: 'conduct' });
      const unhandled = expectError(await as.klageenhed.act(id, 'answer', { lawfulHandling: 'no', outcome: 'Medhold', learningPoint: 'Tone' }), 409, 'Conflict');
      expect(unhandled.details).toEqual({ step: 'handling', allowedActions: ['record-handling'] });
      expect(unhandled.message).toContain('record-handling');

      await act('klageenhed', id, 'record-handling', { method: 'written', note: 'Skriftlig redegørelse' });
      await act('klageenhed', id, 'answer', { lawfulHandling: 'no', outcome: 'Medhold', learningPoint: 'Tone' });
      expect(expectError(await as.klageenhed.act(id, 'record-handling', { method: 'written', note: 'x' }), 409, 'Conflict').details).toEqual({ step: 'closed', allowedActions: [] });
    });

    it('given invalid registrations and payloads, when they are sent, then 400 names each field', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ area: undefined }, 'area'],
        [{ unitType: 'hospital' }, 'unitType'],
        [{ channel: 'letter' }, 'channel'],
        [{ receivedAt: new Date(Date.now() + 3 * 3_600_000).toISOString() }, 'receivedAt'],
        [{ citizenName: 'Mads Hansen' }, 'citizenName'],
      ];
      for (const [overrides, field] of cases) {
        expect(fieldsOf(expectError(await as.klageenhed.start('complaint', registration(overrides)), 400, 'Bad Request'))).toEqual([field]);
      }
      const { id } = await register();
      expect(fieldsOf(expectError(await as.klageenhed.act(id, 'classify', { category: 'realitetsklage' }), 400, 'Bad Request'))).toEqual(['guidance']);
      expect(fieldsOf(expectError(await as.klageenhed.act(id, 'classify', { category: 'other' }), 400, 'Bad Request'))).toEqual(['category']);
      expect((await service.journal(id)).map((j) => j.action)).toEqual(['opened']);
    });

    it('given unknown actions, unknown cases and callers who may not read the case, when they are asked for, then 404', async () => {
      const { id } = await register();
      expect(expectError(await as.klageenhed.act(id, 'escalate'), 404, 'Not Found').message).toContain('acknowledge');
      expectError(await as.klageenhed.get('/cases/complaint-1999-0000001'), 404, 'Not Found');
      expectError(await as.employee.get(`/cases/${id}`), 404, 'Not Found');
      expectError(await as.fagligtCenter.act(id, 'acknowledge'), 404, 'Not Found');
      expect(expectStatus(await as.areaChief.get(`/cases/${id}`), 200).allowedActions).toEqual([]);
    });
  });

  describe('who reads a complaint: the complaints unit all, a caseworker their own unit, an area chief their own area', () => {
    const listed = async (person: Person): Promise<string[]> =>
      expectStatus(await as[person].get('/cases?process=complaint&pageSize=100'), 200).items.map((i: { id: string }) => i.id);

    it('given a complaint about a unit of area nord, when caseworkers and area chiefs of that unit and area and of others read it, then only the own unit and own area read it and list it; the others get 404 and do not see it listed', async () => {
      const { id } = await register('klageenhed', { area: 'nord', unit: UNIT });
      const elsewhere = (await register('klageenhed', { area: 'syd', unit: 'Skole Syd' })).id;

      // The caseworker of the unit and the area chief of the area read the case and find it in the list.
      expect(expectStatus(await as.caseworker.get(`/cases/${id}`), 200)).toMatchObject({ id, data: { unit: UNIT, area: 'nord' } });
      expect(expectStatus(await as.areaChief.get(`/cases/${id}`), 200)).toMatchObject({ id, data: { unit: UNIT, area: 'nord' } });
      expect(await listed('caseworker')).toContain(id);
      expect(await listed('areaChief')).toContain(id);
      // ... and not the complaint about the other unit in the other area.
      expectError(await as.caseworker.get(`/cases/${elsewhere}`), 404, 'Not Found');
      expectError(await as.areaChief.get(`/cases/${elsewhere}`), 404, 'Not Found');
      expect(await listed('caseworker')).not.toContain(elsewhere);
      expect(await listed('areaChief')).not.toContain(elsewhere);

      // A caseworker of another unit, an area chief of another area, and tokens without the claim: 404 and absent from the list.
      for (const person of ['otherUnitCaseworker', 'otherAreaChief', 'areaChiefWithoutArea', 'caseworkerWithoutUnit'] as const) {
        expectError(await as[person].get(`/cases/${id}`), 404, 'Not Found');
        expectError(await as[person].act(id, 'record-handling', { method: 'dialogue', note: 'x' }), 404, 'Not Found');
        expect(await listed(person)).not.toContain(id);
      }
      // The other area's chief and the other unit's caseworker read the one about their own.
      expectStatus(await as.otherAreaChief.get(`/cases/${elsewhere}`), 200);
      expectStatus(await as.otherUnitCaseworker.get(`/cases/${elsewhere}`), 200);
      expect(await listed('otherAreaChief')).toContain(elsewhere);
      expect(await listed('otherUnitCaseworker')).toContain(elsewhere);
      // The complaints unit reads both.
      expect(await listed('klageenhed')).toEqual(expect.arrayContaining([id, elsewhere]));
    });
  });

  it('given the registered process, when its definition is read, then it lists its deadlines and exports as BPMN', async () => {
    const definition = expectStatus(await as.klageenhed.get('/processes/complaint'), 200);
    expect(definition.deadlines.map((d: { name: string }) => d.name)).toEqual(['acknowledgement', 'answer', 'citizen-clarification']);
    const bpmn = await as.klageenhed.get('/processes/complaint/bpmn');
    expect(bpmn.status).toBe(200);
    expect(String(bpmn.body)).toContain('complaint');
  });
});
