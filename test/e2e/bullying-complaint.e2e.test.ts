import type { TokenClaims } from '@buf/auth';
import { BULLYING_COMPLAINANT_REMARKS, BULLYING_REQUIRED_DOCUMENTS, BULLYING_RESPONSE_DAYS } from '@buf/domain';
import { copenhagenWeekdayAndTime, endOfCopenhagenDay, plusDays } from '../support/copenhagen-clock';
import { type ApiResponse, type Caller, ServiceUnderTest } from '../support/service';

const SCHOOL = 'Skole Vest';
const DAY = 24 * 3_600_000;

const PEOPLE = {
  fagligtCenter: { sub: 'fc-e2e', name: 'Frida Fagligt Center', roles: ['fagligt-center'] },
  fromTheSchool: { sub: 'fc-e2e-2', name: 'Finn Fagligt Center', roles: ['fagligt-center'], unit: SCHOOL },
  areaChief: { sub: 'ac-e2e', name: 'Ole Områdechef', roles: ['area-chief'], area: 'vest' },
  klageenhed: { sub: 'ke-e2e', name: 'Karen Klageenhed', roles: ['klageenhed'] },
} satisfies Record<string, TokenClaims>;

type Person = keyof typeof PEOPLE;

describe('bullying-complaint over HTTP (real worker, Temporal dev server, PostgreSQL)', () => {
  let service: ServiceUnderTest;
  let as: Record<Person, Caller>;

  beforeAll(async () => {
    service = await ServiceUnderTest.start('bullying-e2e');
    as = await service.callers(PEOPLE);
  });

  afterAll(async () => {
    await service?.stop();
  });

  const complaint = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
    school: SCHOOL,
    area: 'vest',
    complainant: 'parent',
    receivedAt: new Date(Date.now() - 3_600_000).toISOString(),
    handledLocallyFirst: 'yes',
    grounds: ['no-action-plan', 'not-informed'],
    ...overrides,
  });

  const expectStatus = (res: ApiResponse, status: number): any => service.expectStatus(res, status).body;

  function expectError(res: ApiResponse, status: number, error: string): any {
    const body = expectStatus(res, status);
    expect(body).toMatchObject({ statusCode: status, error, message: expect.any(String) });
    return body;
  }

  const fieldsOf = (body: any): string[] => body.details.fields.map((f: { field: string }) => f.field);
  const deadline = (c: any, name: string) => c.deadlines.find((d: any) => d.name === name);

  async function receive(overrides: Record<string, unknown> = {}): Promise<any> {
    return expectStatus(await as.fagligtCenter.start('bullying-complaint', complaint(overrides)), 201);
  }

  async function act(caseId: string, action: string, body: Record<string, unknown> = {}): Promise<any> {
    return expectStatus(await as.fagligtCenter.act(caseId, action, body), 200);
  }

  /** An admissible complaint decided with `outcome`. */
  async function decided(outcome: string, extra: Record<string, unknown> = {}): Promise<any> {
    const { id } = await receive();
    expect((await act(id, 'assess-admissibility', { admissible: 'yes', reason: 'Skolen har behandlet klagen' })).step).toBe('assessment');
    return act(id, 'decide', { outcome, reasoning: 'Vurderet efter klagegrundene', ...extra });
  }

  const inTwoWeeks = () => new Date(Date.now() + 14 * DAY).toISOString();

  describe('the branches, start to closed', () => {
    it('given an admissible complaint rejected and a dissatisfied complainant, when Fagligt Center forwards it with every required document, then it closes as forwarded', async () => {
      const receivedAt = new Date(Date.now() - 2 * 3_600_000).toISOString();
      const opened = await receive({ receivedAt });
      expect(opened).toMatchObject({ process: 'bullying-complaint', step: 'received', status: 'open', area: 'vest', allowedActions: ['assess-admissibility'] });
      expect(opened.id).toBe(`bullying-complaint-${opened.caseNumber}`);
      expect(opened.data).toMatchObject({ school: SCHOOL, complainant: 'parent', handledLocallyFirst: 'yes', grounds: ['no-action-plan', 'not-informed'], receivedAt });
      // 20 working days to the end of the last: the engine's own tests pin the instants by hand.
      expect(deadline(opened, 'decision')).toMatchObject({ state: 'pending', basis: expect.stringContaining('Undervisningsmiljøloven'), explanation: expect.stringMatching(/^20 arbejdsdage fra modtagelsen .* kl\. 23\.59$/) });
      expect(copenhagenWeekdayAndTime(Date.parse(deadline(opened, 'decision').dueAt)).time).toBe('23:59');
      const id: string = opened.id;

      await act(id, 'assess-admissibility', { admissible: 'yes', reason: 'Skolen har behandlet klagen' });
      const before = Date.now();
      const rejected = await act(id, 'decide', { outcome: 'rejected', reasoning: 'Skolen har strategi og handleplan' });
      expect(rejected).toMatchObject({ step: 'awaiting-response', allowedActions: ['register-response'], data: { decision: { outcome: 'rejected' } } });
      expect(deadline(rejected, 'decision').state).toBe('met');
      const window = deadline(rejected, 'complainant-response');
      expect(window.state).toBe('pending');
      expect(Date.parse(window.from)).toBeGreaterThanOrEqual(before - 5_000);
      expect(Date.parse(window.from)).toBeLessThanOrEqual(Date.now() + 5_000);
      // 20 calendar days from the decision, to the end of the 20th day in Copenhagen.
      expect(Date.parse(window.dueAt)).toBe(endOfCopenhagenDay(plusDays(Date.parse(window.from), BULLYING_RESPONSE_DAYS)));

      const dissatisfied = await act(id, 'register-response', { satisfied: 'no' });
      expect(dissatisfied).toMatchObject({ step: 'forward-to-national-body', allowedActions: ['forward'], data: { forwardReason: 'dissatisfied' } });
      expect(deadline(dissatisfied, 'complainant-response').state).toBe('met');
      // Forwarded at once: a policy deadline of one working day, to the end of that day (the
      // workflow tests pin its instants, reminder and escalation by hand).
      const forwarding = deadline(dissatisfied, 'forwarding');
      expect(forwarding).toMatchObject({ state: 'pending', basis: 'Politik (bullyingComplaint.forwardWorkingDays)', explanation: expect.stringMatching(/^1 arbejdsdage fra videresendelsens start .* kl\. 23\.59$/) });
      expect(copenhagenWeekdayAndTime(Date.parse(forwarding.dueAt)).time).toBe('23:59');

      const missing = expectError(await as.fagligtCenter.act(id, 'forward', { reference: 'DCUM-2026-7', documents: ['complaint', 'decision'] }), 400, 'Bad Request');
      expect(fieldsOf(missing)).toEqual(['documents']);
      expect(missing.message).toContain('pupil-perspective');
      // The complainant's remarks go with a dissatisfied complainant's case.
      const noRemarks = expectError(await as.fagligtCenter.act(id, 'forward', { reference: 'DCUM-2026-7', documents: [...BULLYING_REQUIRED_DOCUMENTS] }), 400, 'Bad Request');
      expect(fieldsOf(noRemarks)).toEqual(['documents']);
      expect(noRemarks.message).toContain(BULLYING_COMPLAINANT_REMARKS);

      const forwarded = await act(id, 'forward', { reference: 'DCUM-2026-7', documents: [...BULLYING_REQUIRED_DOCUMENTS, BULLYING_COMPLAINANT_REMARKS] });
      expect(forwarded).toMatchObject({ status: 'closed', step: 'closed', allowedActions: [], data: { resolution: 'forwarded', forwarding: { reference: 'DCUM-2026-7' } } });
      expect(deadline(forwarded, 'forwarding').state).toBe('met');
      expect((await service.journal(id)).map((j) => j.action)).toEqual(['opened', 'assess-admissibility', 'decide', 'register-response', 'forward']);
      const { rows } = await service.db.query('SELECT recipient_role, kind FROM notification_outbox WHERE case_id = $1 ORDER BY id', [id]);
      expect(rows).toEqual([
        { recipient_role: 'fagligt-center', kind: 'assignment' },
        { recipient_role: 'fagligt-center', kind: 'assignment' },
      ]);
    });

    it('given a partly upheld complaint, when the complainant is satisfied, then Fagligt Center closes it without forwarding', async () => {
      const partly = await decided('partly-upheld', { schoolMustActBy: inTwoWeeks() });
      expect(partly.step).toBe('awaiting-response');
      const satisfied = await act(partly.id, 'register-response', { satisfied: 'yes' });
      expect(satisfied).toMatchObject({ step: 'ready-to-close', allowedActions: ['close'] });
      const closed = await act(partly.id, 'close', { note: 'Klager er tilfreds' });
      expect(closed).toMatchObject({ status: 'closed', data: { resolution: 'accepted', response: { satisfied: 'yes' }, closeNote: 'Klager er tilfreds' } });
      expect((await service.journal(partly.id)).map((j) => j.action)).not.toContain('forward');
    });

    it('given a complaint upheld in full, when the school is told by when to act, then no response window opens and the case closes', async () => {
      const upheld = await decided('upheld', { schoolMustActBy: inTwoWeeks() });
      expect(upheld).toMatchObject({ step: 'ready-to-close', data: { resolution: 'upheld', decision: { outcome: 'upheld', schoolMustActBy: expect.any(String) } } });
      expect(upheld.deadlines.map((d: any) => d.name)).toEqual(['decision']);
      expect((await act(upheld.id, 'close')).status).toBe('closed');
    });

    it('given a complaint handled locally first, when it is dismissed without assessment, then the complainant\'s 20-day window opens as after a decision, and a satisfied complainant leaves it a dismissal', async () => {
      const { id } = await receive();
      const before = Date.now();
      const dismissed = await act(id, 'assess-admissibility', { admissible: 'no', reason: 'Eleven gik ikke på skolen, da der blev klaget' });
      expect(dismissed).toMatchObject({ status: 'open', step: 'awaiting-response', allowedActions: ['register-response'], data: { resolution: 'inadmissible', admissibility: { admissible: 'no' } } });
      expect(deadline(dismissed, 'decision').state).toBe('met');
      const window = deadline(dismissed, 'complainant-response');
      expect(window.state).toBe('pending');
      expect(Date.parse(window.from)).toBeGreaterThanOrEqual(before - 5_000);
      // 20 calendar days from the dismissal, to the end of the 20th day in Copenhagen.
      expect(Date.parse(window.dueAt)).toBe(endOfCopenhagenDay(plusDays(Date.parse(window.from), BULLYING_RESPONSE_DAYS)));

      const satisfied = await act(id, 'register-response', { satisfied: 'yes' });
      expect(satisfied).toMatchObject({ step: 'ready-to-close', allowedActions: ['close'], data: { resolution: 'inadmissible' } });
      expect((await act(id, 'close')).status).toBe('closed');
    });

    it('given a decision that establishes bullying, when Fagligt Center tries to close before the school\'s action plan is registered, then 409 names register-action-plan; once it is registered the case closes', async () => {
      const upheld = await decided('upheld', { schoolMustActBy: inTwoWeeks(), bullyingEstablished: 'yes' });
      expect(upheld).toMatchObject({ step: 'ready-to-close', allowedActions: ['register-action-plan'], data: { decision: { bullyingEstablished: 'yes' } } });
      // 10 working days from the decision, to the end of the 10th (the workflow tests pin the instants by hand).
      const plan = deadline(upheld, 'action-plan');
      expect(plan).toMatchObject({ state: 'pending', basis: expect.stringContaining('§ 1 c'), explanation: expect.stringMatching(/^10 arbejdsdage fra konstateringen af mobning .* kl\. 23\.59$/) });
      expect(copenhagenWeekdayAndTime(Date.parse(plan.dueAt)).time).toBe('23:59');

      const early = expectError(await as.fagligtCenter.act(upheld.id, 'close'), 409, 'Conflict');
      expect(early.details).toEqual({ step: 'ready-to-close', allowedActions: ['register-action-plan'] });
      expect(early.message).toContain('register-action-plan');
      expect(fieldsOf(expectError(await as.fagligtCenter.act(upheld.id, 'register-action-plan', { madeAt: inTwoWeeks() }), 400, 'Bad Request'))).toEqual(['madeAt']);

      const registered = await act(upheld.id, 'register-action-plan', { madeAt: new Date(Date.now() - 60_000).toISOString(), note: 'Handleplan modtaget' });
      expect(registered).toMatchObject({ allowedActions: ['close'], data: { actionPlan: { note: 'Handleplan modtaget' } } });
      expect(deadline(registered, 'action-plan').state).toBe('met');
      expect((await act(upheld.id, 'close')).status).toBe('closed');
    });

    it('given a decision that does not establish bullying, when an action plan is registered, then 409: none is due', async () => {
      const rejected = await decided('rejected');
      expect(rejected.deadlines.map((d: any) => d.name)).toEqual(['decision', 'complainant-response']);
      const refused = expectError(await as.fagligtCenter.act(rejected.id, 'register-action-plan', { madeAt: new Date().toISOString() }), 409, 'Conflict');
      expect(refused.message).toContain('No action plan is due');
    });

    it('given a complaint the school has not handled locally, when its admissibility is assessed, then it cannot be admitted and is returned to the school', async () => {
      const { id } = await receive({ handledLocallyFirst: 'no' });
      expect(fieldsOf(expectError(await as.fagligtCenter.act(id, 'assess-admissibility', { admissible: 'yes', reason: 'x' }), 400, 'Bad Request'))).toEqual(['admissible']);
      const returned = await act(id, 'assess-admissibility', { admissible: 'no', reason: 'Skal først behandles på skolen' });
      expect(returned).toMatchObject({ status: 'closed', data: { resolution: 'returned-to-school', admissibility: { admissible: 'no' } } });
      expect(deadline(returned, 'decision').state).toBe('met');
      expect(returned.journal.at(-1).note).toContain('sendt tilbage til skolen');
    });
  });

  describe('the guards', () => {
    it('given no token, when a complaint is received or acted on, then 401', async () => {
      expectError(await service.request('POST', '/api/v1/cases/bullying-complaint', { body: complaint() }), 401, 'Unauthorized');
      const { id } = await receive();
      expectError(await service.request('POST', `/api/v1/cases/${id}/actions/assess-admissibility`, { body: { admissible: 'yes', reason: 'x' } }), 401, 'Unauthorized');
    });

    it('given people without the Fagligt Center role, when they receive a complaint or decide one, then 403 names the role', async () => {
      expect(expectError(await as.klageenhed.start('bullying-complaint', complaint()), 403, 'Forbidden').message).toContain('fagligt-center');
      const { id } = await receive();
      expect(expectError(await as.areaChief.act(id, 'assess-admissibility', { admissible: 'yes', reason: 'x' }), 403, 'Forbidden').message).toContain('fagligt-center');
    });

    it('given someone from the school complained about, when they assess or decide the complaint, then 403 for disqualification', async () => {
      const { id } = await receive();
      const refused = expectError(await as.fromTheSchool.act(id, 'assess-admissibility', { admissible: 'yes', reason: 'x' }), 403, 'Forbidden');
      expect(refused.message).toContain('forvaltningsloven § 3');
      expect(expectStatus(await as.fromTheSchool.get(`/cases/${id}`), 200).allowedActions).toEqual([]);
      expect((await service.journal(id)).map((j) => j.action)).toEqual(['opened']);
    });

    it('given actions the step does not allow, when they are taken, then 409 names the step and the actions allowed now', async () => {
      const { id } = await receive();
      const early = expectError(await as.fagligtCenter.act(id, 'decide', { outcome: 'rejected', reasoning: 'x' }), 409, 'Conflict');
      expect(early.details).toEqual({ step: 'received', allowedActions: ['assess-admissibility'] });
      const forward = expectError(await as.fagligtCenter.act(id, 'forward', { reference: 'x', documents: [...BULLYING_REQUIRED_DOCUMENTS] }), 409, 'Conflict');
      expect(forward.message).toContain('received');
    });

    it('given invalid complaints and decisions, when they are sent, then 400 names each field', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ grounds: ['no-strategy', 'bad-teacher'] }, 'grounds'],
        [{ grounds: [] }, 'grounds'],
        [{ complainant: 'teacher' }, 'complainant'],
        [{ handledLocallyFirst: true }, 'handledLocallyFirst'],
        [{ school: undefined }, 'school'],
        [{ receivedAt: new Date(Date.now() + 3 * 3_600_000).toISOString() }, 'receivedAt'],
      ];
      for (const [overrides, field] of cases) {
        expect(fieldsOf(expectError(await as.fagligtCenter.start('bullying-complaint', complaint(overrides)), 400, 'Bad Request'))).toEqual([field]);
      }
      const { id } = await receive();
      await act(id, 'assess-admissibility', { admissible: 'yes', reason: 'Behandlet lokalt' });
      expect(fieldsOf(expectError(await as.fagligtCenter.act(id, 'decide', { outcome: 'upheld', reasoning: 'x' }), 400, 'Bad Request'))).toEqual(['schoolMustActBy']);
      expect(fieldsOf(expectError(await as.fagligtCenter.act(id, 'decide', { outcome: 'rejected', reasoning: 'x', schoolMustActBy: inTwoWeeks() }), 400, 'Bad Request'))).toEqual(['schoolMustActBy']);
      expect(fieldsOf(expectError(await as.fagligtCenter.act(id, 'decide', { outcome: 'dismissed', reasoning: 'x' }), 400, 'Bad Request'))).toEqual(['outcome']);
      expect(fieldsOf(expectError(await as.fagligtCenter.act(id, 'decide', { outcome: 'rejected', reasoning: 'x', bullyingEstablished: 'maybe' }), 400, 'Bad Request'))).toEqual(['bullyingEstablished']);
    });

    it('given unknown actions, unknown cases and callers who may not read the case, when they are asked for, then 404', async () => {
      const { id } = await receive();
      expect(expectError(await as.fagligtCenter.act(id, 'appeal'), 404, 'Not Found').message).toContain('assess-admissibility');
      expectError(await as.fagligtCenter.get('/cases/bullying-complaint-1999-0000001'), 404, 'Not Found');
      expectError(await as.klageenhed.get(`/cases/${id}`), 404, 'Not Found');
      expect(expectStatus(await as.areaChief.get(`/cases/${id}`), 200).allowedActions).toEqual([]);
    });
  });
});
