import type { TokenClaims } from '@buf/auth';
import { eventually } from '../support/polling';
import { type ApiResponse, type Caller, ServiceUnderTest } from '../support/service';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const PEOPLE = {
  jurist: { sub: 'jur-ar-1', name: 'Jonas Jurist', roles: ['jurist'] },
  arcLead: { sub: 'arc-ar-1', name: 'Annette ARC-chef', roles: ['arc-lead'] },
  // Reads access requests, takes none of their actions.
  secretariat: { sub: 'ls-ar-1', name: 'Lone Sekretariat', roles: ['ledelsessekretariat'] },
  // Neither starts nor reads them.
  caseworker: { sub: 'cw-ar-1', name: 'Casper Sagsbehandler', roles: ['caseworker'], unit: 'Skole Vest' },
} satisfies Record<string, TokenClaims>;

type Person = keyof typeof PEOPLE;

describe('access-request over HTTP (real worker, Temporal dev server, PostgreSQL)', () => {
  let service: ServiceUnderTest;
  let as: Record<Person, Caller>;

  beforeAll(async () => {
    service = await ServiceUnderTest.start('access-request-e2e');
    as = await service.callers(PEOPLE);
  });

  afterAll(async () => {
    await service?.stop();
  });

  const iso = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();

  const requestBody = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
    receivedAt: iso(-HOUR),
    requester: 'Karen Borger',
    requesterType: 'citizen',
    request: 'Referater fra skolebestyrelsens møder i 2025',
    area: 'vest',
    ...overrides,
  });

  const expectStatus = (res: ApiResponse, status: number): ApiResponse => service.expectStatus(res, status);

  /** The field names a 400 answer lists. */
  function fieldsOf(res: ApiResponse): string[] {
    expectStatus(res, 400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    return res.body.details.fields.map((f: { field: string }) => f.field);
  }

  async function open(overrides: Record<string, unknown> = {}): Promise<any> {
    return expectStatus(await as.jurist.start('access-request', requestBody(overrides)), 201).body;
  }

  async function act(person: Person, caseId: string, action: string, body: Record<string, unknown> = {}): Promise<any> {
    return expectStatus(await as[person].act(caseId, action, body), 200).body;
  }

  /** Opens a request and registers its documents: the case is being assessed. */
  async function inAssessment(overrides: Record<string, unknown> = {}): Promise<any> {
    const c = await open(overrides);
    await act('jurist', c.id, 'request-documents', { fromUnit: 'Område Vest' });
    return act('jurist', c.id, 'register-documents', { count: 3, note: 'Referater modtaget' });
  }

  const decision = (outcome: 'full' | 'partial' | 'refused') => ({
    outcome,
    ...(outcome === 'full' ? {} : { legalGrounds: 'Offentlighedsloven § 30, nr. 1' }),
    complaintGuidance: 'Du kan klage over afgørelsen, jf. offentlighedsloven § 37.',
  });

  const deadlines = (c: any, name: string): any[] => c.deadlines.filter((d: any) => d.name === name);

  async function journalOf(caseId: string): Promise<string[]> {
    const journal = await service.journal(caseId);
    expect(journal.map((j) => j.seq)).toEqual(journal.map((_j, i) => i + 1));
    return journal.map((j) => j.action);
  }

  /** Bounded polling of the case as a person reads it, for what the workflow does by itself. */
  function eventuallyCase(person: Person, caseId: string, what: string, until: (c: any) => boolean, timeoutMs = 15_000): Promise<any> {
    return eventually(what, async () => {
      const c = expectStatus(await as[person].get(`/cases/${caseId}`), 200).body;
      return until(c) ? c : undefined;
    }, timeoutMs);
  }

  describe('from receipt to closed', () => {
    it('given a request from a citizen, when the documents are collected and full access is granted within 7 working days, then the case closes decided in time', async () => {
      const opened = await open();
      expect(opened).toMatchObject({ process: 'access-request', step: 'received', status: 'open', overdue: false, area: 'vest' });
      expect(opened.id).toBe(`access-request-${opened.caseNumber}`);
      expect(opened.allowedActions).toEqual(['request-documents', 'register-documents', 'send-deadline-letter', 'withdraw']);
      const [due] = deadlines(opened, 'decision');
      expect(due.state).toBe('pending');
      expect(Date.parse(due.dueAt) - Date.now()).toBeGreaterThan(8 * DAY);

      expect((await act('jurist', opened.id, 'request-documents', { fromUnit: 'Område Vest' })).step).toBe('collecting-documents');
      expect((await act('arcLead', opened.id, 'register-documents', { count: 12 })).step).toBe('assessment');
      const decided = await act('jurist', opened.id, 'decide', decision('full'));
      expect(decided).toMatchObject({ step: 'decided', overdue: false });
      expect(decided.data).toMatchObject({ decisionOutcome: 'full', decidedWithinDeadline: true, decidedAt: expect.any(String), requesterType: 'citizen' });
      expect(deadlines(decided, 'decision')[0].state).toBe('met');
      expect(decided.allowedActions).toEqual(['register-complaint', 'close']);

      const closed = await act('jurist', opened.id, 'close', { note: 'Aktindsigt givet' });
      // Closed, but a complaint about the decision may still come (it reopens the case).
      expect(closed).toMatchObject({ status: 'closed', step: 'closed', allowedActions: ['register-complaint'] });
      expect(await journalOf(opened.id)).toEqual(['opened', 'request-documents', 'register-documents', 'decide', 'close']);
    });

    it('given a partial decision, when the complaint is kept, then it is forwarded to the complaint body chosen within its deadline and the case closes', async () => {
      const c = await inAssessment({ requesterType: 'journalist' });
      await act('jurist', c.id, 'decide', decision('partial'));
      const complained = await act('jurist', c.id, 'register-complaint', { receivedAt: iso(0) });
      expect(complained.step).toBe('complaint-received');
      expect(deadlines(complained, 'ankestyrelsen-forwarding')).toEqual([expect.objectContaining({ state: 'pending' })]);
      expect(complained.allowedActions).toEqual(['reconsider']);

      expect((await act('arcLead', c.id, 'reconsider', { outcome: 'kept', note: 'Undtagelsen efter § 30 gælder fortsat' })).step).toBe('forwarding-to-ankestyrelsen');
      expect(fieldsOf(await as.jurist.act(c.id, 'forward-to-ankestyrelsen', { reference: 'ANK-2026-0117' }))).toEqual(['complaintBody']);
      const forwarded = await act('jurist', c.id, 'forward-to-ankestyrelsen', { complaintBody: 'Ankestyrelsen', reference: 'ANK-2026-0117' });
      expect(forwarded.step).toBe('forwarded-to-ankestyrelsen');
      expect(deadlines(forwarded, 'ankestyrelsen-forwarding')[0].state).toBe('met');
      expect(forwarded.data.complaints[0]).toMatchObject({ reconsideration: { outcome: 'kept' }, forwarded: { reference: 'ANK-2026-0117', complaintBody: 'Ankestyrelsen' } });
      expect(forwarded.journal.at(-1)).toMatchObject({ action: 'forward-to-ankestyrelsen', note: 'Klagen videresendt til klageinstansen: Ankestyrelsen (ANK-2026-0117)' });
      expect((await service.outbox(c.id)).filter((m) => m.kind === 'information').map((m) => m.recipient_role)).toEqual(['arc-lead']);

      expect((await act('jurist', c.id, 'close')).status).toBe('closed');
      expect(await journalOf(c.id)).toEqual([
        'opened', 'request-documents', 'register-documents', 'decide', 'register-complaint', 'reconsider', 'forward-to-ankestyrelsen', 'close',
      ]);
    });

    it('given a refusal, when the complaint changes it, then a new decision is made and sent, and the case closes', async () => {
      const c = await inAssessment();
      await act('jurist', c.id, 'decide', decision('refused'));
      await act('jurist', c.id, 'register-complaint');
      const changed = await act('jurist', c.id, 'reconsider', { outcome: 'changed', note: 'Delvis aktindsigt kan gives' });
      expect(changed.step).toBe('assessment');
      expect(deadlines(changed, 'ankestyrelsen-forwarding')[0].state).toBe('met');

      const redecided = await act('jurist', c.id, 'decide', decision('partial'));
      expect(redecided.step).toBe('decided');
      expect(redecided.data.decisions.map((d: any) => d.outcome)).toEqual(['refused', 'partial']);
      expect(redecided.data.decisionOutcome).toBe('partial');
      expect((await act('jurist', c.id, 'close')).status).toBe('closed');
    });

    it('given a request received more than 7 working days before it is registered, when it is opened, then it is overdue at once, the decision waits for the deadline letter, and the letter clears it', async () => {
      // 16 calendar days: at least 8 working days even over Christmas or Easter, at most 12 (under the 14 of § 39).
      const opened = await open({ receivedAt: iso(-16 * DAY) });
      const overdue = await eventuallyCase('jurist', opened.id, 'the late registration escalates', (c) => c.overdue === true);
      expect(deadlines(overdue, 'decision')[0].state).toBe('missed');
      expect(overdue.allowedActions).toContain('send-deadline-letter');
      const escalations = (await service.outbox(opened.id)).filter((m) => m.kind === 'escalation');
      expect(escalations.map((m) => m.recipient_role)).toEqual(['arc-lead']);
      expect((await as.jurist.get('/cases?process=access-request&overdue=true&pageSize=100')).body.items.map((i: any) => i.id)).toContain(opened.id);

      await act('jurist', opened.id, 'register-documents', { count: 40 });
      const refused = await as.jurist.act(opened.id, 'decide', decision('partial'));
      expectStatus(refused, 409);
      expect(refused.body.message).toContain('deadline letter must be sent first');
      expect(refused.body.details.step).toBe('assessment');
      expect(refused.body.details.allowedActions).toContain('send-deadline-letter');
      expect(refused.body.details.allowedActions).not.toContain('decide');

      expect(fieldsOf(await as.jurist.act(opened.id, 'send-deadline-letter', { reason: 'Mange dokumenter', expectedBy: iso(-HOUR) }))).toEqual(['expectedBy']);
      expect(fieldsOf(await as.jurist.act(opened.id, 'send-deadline-letter', { reason: 'Mange dokumenter' }))).toEqual(['expectedBy']);
      const lettered = await act('jurist', opened.id, 'send-deadline-letter', { reason: 'Mange dokumenter skal gennemgås', expectedBy: iso(5 * DAY) });
      expect(lettered.overdue).toBe(false);
      expect(deadlines(lettered, 'decision')[0]).toMatchObject({ state: 'missed', settledAt: expect.any(String) });
      expect(deadlines(lettered, 'promised-decision')).toEqual([expect.objectContaining({ state: 'pending' })]);
      expect(lettered.data.deadlineLetterSentAt).toEqual(expect.any(String));

      const decided = await act('jurist', opened.id, 'decide', decision('partial'));
      expect(decided.data).toMatchObject({ decidedWithinDeadline: false, decisionOutcome: 'partial' });
      expect(deadlines(decided, 'promised-decision')[0].state).toBe('met');
      expect((await act('jurist', opened.id, 'close')).status).toBe('closed');
      expect(await journalOf(opened.id)).toEqual(['opened', 'deadline-missed', 'register-documents', 'send-deadline-letter', 'decide', 'close']);
    });

    it('given a request, when the requester withdraws it before the decision, then the case closes without a decision', async () => {
      const c = await open();
      const withdrawn = await act('arcLead', c.id, 'withdraw', { reason: 'Borgeren har trukket anmodningen tilbage' });
      expect(withdrawn).toMatchObject({ status: 'closed', step: 'closed' });
      expect(withdrawn.data.decidedAt).toBeUndefined();
      expect(await journalOf(c.id)).toEqual(['opened', 'withdraw']);
    });
  });

  describe('the issue of 2026-12: fristbrev before the deadline, complaints after closing, § 39', () => {
    it('given a request received now, when the deadline letter is sent on the first day, then the decision deadline is met and nothing escalates', async () => {
      const c = await open({ receivedAt: iso(-HOUR) });
      const lettered = await act('jurist', c.id, 'send-deadline-letter', { reason: 'Mange dokumenter', expectedBy: iso(20 * DAY) });
      expect(deadlines(lettered, 'decision')[0]).toMatchObject({ state: 'met', settledAt: expect.any(String) });
      expect(deadlines(lettered, 'promised-decision')).toEqual([expect.objectContaining({ state: 'pending' })]);
      expect(lettered.overdue).toBe(false);
      const again = expectStatus(await as.jurist.act(c.id, 'send-deadline-letter', { reason: 'x', expectedBy: iso(25 * DAY) }), 409);
      expect(again.body.message).toContain('promised in the last letter has not passed');
      expect(await journalOf(c.id)).toEqual(['opened', 'send-deadline-letter']);
    });

    it('given a decided and closed request, when a complaint arrives, then the case reopens (journalled, open in the list), and the complaint is forwarded to the body chosen', async () => {
      const c = await inAssessment();
      await act('jurist', c.id, 'decide', decision('refused'));
      const closed = await act('jurist', c.id, 'close', { note: 'Afslag sendt' });
      expect(closed).toMatchObject({ status: 'closed', closedAt: expect.any(String), allowedActions: ['register-complaint'] });
      const notReopening = expectStatus(await as.jurist.act(c.id, 'reconsider', { outcome: 'kept', note: 'x' }), 409);
      expect(notReopening.body).toMatchObject({ details: { step: 'closed', allowedActions: ['register-complaint'] } });
      expect(notReopening.body.message).toContain('register-complaint');
      // The secretariat reads the case but takes no action: for them it stays closed.
      expectStatus(await as.secretariat.act(c.id, 'register-complaint', {}), 403);

      const key = { 'Idempotency-Key': `reopen-${c.id}` };
      const reopened = expectStatus(await as.jurist.act(c.id, 'register-complaint', {}, key), 200).body;
      expect(reopened).toMatchObject({ status: 'open', step: 'complaint-received', allowedActions: ['reconsider'] });
      expect(reopened.closedAt).toBeUndefined();
      expect(reopened.journal.slice(-3)).toEqual([
        expect.objectContaining({ action: 'close' }),
        expect.objectContaining({ action: 'reopened', note: 'Sagen genoptaget: klage over afgørelsen modtaget', actor: { sub: PEOPLE.jurist.sub, name: PEOPLE.jurist.name } }),
        expect.objectContaining({ action: 'register-complaint' }),
      ]);
      // The same request again (a client retry) is the same step: nothing is journalled twice.
      expect(expectStatus(await as.jurist.act(c.id, 'register-complaint', {}, key), 200).body.step).toBe('complaint-received');
      const openList = (await as.jurist.get('/cases?process=access-request&status=open&pageSize=100')).body.items.map((i: any) => i.id);
      expect(openList).toContain(c.id);
      expect((await as.jurist.get('/cases?process=access-request&status=closed&pageSize=100')).body.items.map((i: any) => i.id)).not.toContain(c.id);

      await act('arcLead', c.id, 'reconsider', { outcome: 'kept', note: 'Afslaget fastholdes' });
      const forwarded = await act('jurist', c.id, 'forward-to-ankestyrelsen', { complaintBody: 'Klagenævnet for Specialundervisning', reference: 'KSU-2026-3' });
      expect(forwarded.data.complaints[0].forwarded).toMatchObject({ complaintBody: 'Klagenævnet for Specialundervisning', reference: 'KSU-2026-3' });
      expect((await act('jurist', c.id, 'close')).status).toBe('closed');
      expect(await journalOf(c.id)).toEqual([
        'opened', 'request-documents', 'register-documents', 'decide', 'close', 'reopened', 'register-complaint', 'reconsider', 'forward-to-ankestyrelsen', 'close',
      ]);
    });

    it('given a withdrawn request, when a complaint is registered after closing, then 409 says there is no decision and the case stays closed', async () => {
      const c = await open();
      await act('jurist', c.id, 'withdraw', { reason: 'Trukket tilbage' });
      const refused = expectStatus(await as.jurist.act(c.id, 'register-complaint', {}), 409);
      expect(refused.body.message).toContain('No decision was made on this request');
      expect(expectStatus(await as.jurist.get(`/cases/${c.id}`), 200).body).toMatchObject({ status: 'closed', allowedActions: [] });
      expect(await journalOf(c.id)).toEqual(['opened', 'withdraw']);
    });

    it('given a request received now, when a complaint about the processing time is registered, then 409 names § 39 and when it becomes possible', async () => {
      const c = await open({ receivedAt: iso(-HOUR) });
      const [window] = deadlines(c, 'processing-time');
      const refused = expectStatus(await as.jurist.act(c.id, 'register-processing-time-complaint', {}), 409);
      expect(refused.body.details).toMatchObject({ step: 'received' });
      expect(refused.body.details.allowedActions).not.toContain('register-processing-time-complaint');
      expect(refused.body.message).toContain(`only when 14 working days have passed since receipt without a decision (Offentlighedsloven § 39, stk. 1): after ${window.dueAt}`);
    });

    it('given a request received Monday 02.11.2026, when it is registered after its 14 working days, then both deadlines escalate and a complaint about the processing time is registered, answered and journalled', async () => {
      const c = await open({ receivedAt: '2026-11-02T10:00:00+01:00' }); // mandag 02.11.2026 kl. 10.00
      // By hand: Tue 3.11 (1) … Fri 6.11 (4), Mon 9.11 (5), Tue 10.11 (6), Wed 11.11 (7); … Fri 13.11 (9), Mon 16.11 (10) … Fri 20.11 (14).
      expect(deadlines(c, 'decision')[0].dueAt).toBe('2026-11-11T22:59:59.999Z'); // onsdag 11.11.2026 kl. 23.59
      expect(deadlines(c, 'processing-time')[0]).toMatchObject({ dueAt: '2026-11-20T22:59:59.999Z', basis: 'Offentlighedsloven § 39, stk. 1' }); // fredag 20.11.2026 kl. 23.59
      await eventually('both deadlines escalate', async () => ((await service.outbox(c.id)).filter((m) => m.kind === 'escalation').length === 3 ? true : undefined));
      expect((await service.outbox(c.id)).filter((m) => m.kind === 'escalation').map((m) => m.recipient_role).sort()).toEqual(['arc-lead', 'arc-lead', 'jurist']);

      // A complaint received on the 14th working day itself is too early.
      expect(fieldsOf(await as.jurist.act(c.id, 'register-processing-time-complaint', { receivedAt: '2026-11-20T15:00:00+01:00' }))).toEqual(['receivedAt']);
      const registered = await act('jurist', c.id, 'register-processing-time-complaint', { receivedAt: '2026-11-23T09:00:00+01:00' });
      expect(registered.data.processingTimeComplaints).toEqual([expect.objectContaining({ receivedAt: '2026-11-23T08:00:00.000Z' })]);
      expect(deadlines(registered, 'processing-time-complaint')[0]).toMatchObject({ basis: 'Offentlighedsloven § 39, stk. 2' });
      expect(registered.allowedActions).toEqual(expect.arrayContaining(['answer-processing-time-complaint', 'send-deadline-letter']));
      expect(registered.allowedActions).not.toContain('register-processing-time-complaint');
      const assignments = (await service.outbox(c.id)).filter((m) => m.kind === 'assignment').map((m) => m.recipient_role);
      expect(assignments).toEqual(['jurist', 'jurist', 'arc-lead']); // 'opened', then the complaint

      await act('jurist', c.id, 'send-deadline-letter', { reason: 'Omfattende materiale', expectedBy: iso(5 * DAY) });
      await act('jurist', c.id, 'register-documents', { count: 2 });
      const decided = await act('jurist', c.id, 'decide', decision('full'));
      expect(deadlines(decided, 'processing-time')[0]).toMatchObject({ state: 'missed', settledAt: expect.any(String) });
      expect(decided.overdue).toBe(false);
      const notYet = expectStatus(await as.jurist.act(c.id, 'close', {}), 409);
      expect(notYet.body.message).toContain('must be answered first');
      const answered = await act('arcLead', c.id, 'answer-processing-time-complaint', { answer: 'Anmodningen er nu afgjort; vi beklager sagsbehandlingstiden' });
      expect(answered.data.processingTimeComplaints[0].answer).toMatchObject({ text: 'Anmodningen er nu afgjort; vi beklager sagsbehandlingstiden' });
      expect(deadlines(answered, 'processing-time-complaint')[0].state).toBe('met');
      expect((await act('jurist', c.id, 'close')).status).toBe('closed');
      expect(await journalOf(c.id)).toEqual([
        'opened', 'deadline-missed', 'deadline-missed', 'register-processing-time-complaint', 'send-deadline-letter', 'register-documents', 'decide',
        'answer-processing-time-complaint', 'close',
      ]);
    });
  });

  describe('guards', () => {
    it('given no token, when a request is started or acted on, then 401', async () => {
      expect((await service.request('POST', '/api/v1/cases/access-request', { body: requestBody() })).status).toBe(401);
      const c = await open();
      expect((await service.request('POST', `/api/v1/cases/${c.id}/actions/withdraw`, { body: { reason: 'x' } })).status).toBe(401);
    });

    it('given people without the ARC roles, when they start or act, then 403 names the roles', async () => {
      const start = expectStatus(await as.caseworker.start('access-request', requestBody()), 403);
      expect(start.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
      expect(start.body.message).toContain('jurist, arc-lead');

      const c = await inAssessment();
      const act403 = expectStatus(await as.secretariat.act(c.id, 'decide', decision('full')), 403);
      expect(act403.body.message).toContain('jurist, arc-lead');
      expect(expectStatus(await as.secretariat.get(`/cases/${c.id}`), 200).body.allowedActions).toEqual([]);
    });

    it('given a new request, when it is decided before its documents are registered, or closed, then 409 names the step and the actions allowed now', async () => {
      const c = await open();
      for (const [action, body] of [['decide', decision('full')], ['close', {}], ['register-complaint', {}]] as const) {
        const res = expectStatus(await as.jurist.act(c.id, action, body), 409);
        expect(res.body).toMatchObject({
          statusCode: 409,
          error: 'Conflict',
          details: { step: 'received', allowedActions: ['request-documents', 'register-documents', 'send-deadline-letter', 'withdraw'] },
        });
        expect(res.body.message).toContain('received');
      }
    });

    it('given invalid payloads, when a request is started or decided, then 400 names the field', async () => {
      expect(fieldsOf(await as.jurist.start('access-request', requestBody({ requesterType: undefined })))).toEqual(['requesterType']);
      expect(fieldsOf(await as.jurist.start('access-request', requestBody({ requesterType: 'company' })))).toEqual(['requesterType']);
      expect(fieldsOf(await as.jurist.start('access-request', requestBody({ receivedAt: iso(DAY) })))).toEqual(['receivedAt']);
      expect(fieldsOf(await as.jurist.start('access-request', requestBody({ receivedAt: undefined })))).toEqual(['receivedAt']);
      expect(fieldsOf(await as.jurist.start('access-request', requestBody({ area: '   ' })))).toEqual(['area']);
      expect(fieldsOf(await as.jurist.start('access-request', requestBody({ cpr: '010101-1234' })))).toEqual(['cpr']);

      const c = await inAssessment();
      expect(fieldsOf(await as.jurist.act(c.id, 'decide', { outcome: 'refused', complaintGuidance: 'Klagevejledning' }))).toEqual(['legalGrounds']);
      expect(fieldsOf(await as.jurist.act(c.id, 'decide', { outcome: 'full' }))).toEqual(['complaintGuidance']);
      expect(fieldsOf(await as.jurist.act(c.id, 'register-documents', { count: -1 }))).toEqual(['count']);
      await act('jurist', c.id, 'decide', decision('partial'));
      expect(fieldsOf(await as.jurist.act(c.id, 'register-complaint', { receivedAt: iso(-DAY) }))).toEqual(['receivedAt']);
    });

    it('given unknown processes, actions or cases, or a case the caller may not read, then 404', async () => {
      const c = await open();
      expectStatus(await as.caseworker.get(`/cases/${c.id}`), 404);
      expectStatus(await as.caseworker.act(c.id, 'withdraw', { reason: 'x' }), 404);
      expect((await as.caseworker.get('/cases?process=access-request&pageSize=100')).body.items).toEqual([]);
      expectStatus(await as.jurist.act(c.id, 'approve', {}), 404);
      expectStatus(await as.jurist.get('/cases/access-request-1999-0000001'), 404);
      expectStatus(await as.jurist.start('aktindsigt', requestBody()), 404);
    });
  });

  it('given the definition, when it is read, then its steps, actions, roles and deadlines are listed and drawn as BPMN', async () => {
    const definition = expectStatus(await as.jurist.get('/processes/access-request'), 200).body;
    expect(definition.startRoles).toEqual(['jurist', 'arc-lead']);
    expect(definition.deadlines.map((d: any) => d.name)).toEqual(['decision', 'promised-decision', 'ankestyrelsen-forwarding', 'processing-time', 'processing-time-complaint']);
    expect(definition.actions.find((a: any) => a.name === 'send-deadline-letter').input).toHaveProperty('expectedBy');
    expect(definition.actions.find((a: any) => a.name === 'register-complaint')).toMatchObject({ steps: ['decided', 'closed'], reopens: true });
    expect(definition.actions.find((a: any) => a.name === 'forward-to-ankestyrelsen').input.complaintBody).toMatchObject({ required: true });
    // The morning of the 7th working day, at the policy's hour (08:00 by default): policy, not law.
    expect(definition.deadlines.find((d: any) => d.name === 'decision').reminders).toEqual([
      { when: 'days-before-due', offsets: [0], atHour: 'accessRequest.decisionReminderHour', notify: ['jurist'] },
    ]);
    const bpmn = expectStatus(await as.jurist.get('/processes/access-request/bpmn'), 200);
    // The deadline letter keeps the case in its step: a flow back to the step, named in Danish; the
    // 7-working-day decision deadline a timer on the step, with its rule and legal basis.
    expect(bpmn.body).toMatch(/<bpmn:sequenceFlow id="flow_gateway_received_to_step_received" name="[^"]*Fristbrev sendt[^"]*" sourceRef="gateway_received" targetRef="step_received">/);
    expect(bpmn.body).toMatch(/<bpmn:boundaryEvent id="deadline_decision__received" name="[^"]*7 arbejdsdage fra modtagelsen[^"]*Offentlighedsloven § 36, stk. 2" cancelActivity="false" attachedToRef="step_received">/);
  });
});
