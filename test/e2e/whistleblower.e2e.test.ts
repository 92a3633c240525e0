import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { mintDevToken, type TokenClaims } from '@buf/auth';
import { endOfCopenhagenDay, plusDays } from '../support/copenhagen-clock';
import { eventually } from '../support/polling';
import { type ApiResponse, type Caller, ServiceUnderTest } from '../support/service';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const HANDLING_UNIT = 'Område Nord – Dagtilbud';

const PEOPLE = {
  secretariat: { sub: 'ls-1', name: 'Lene Sekretariat', roles: ['ledelsessekretariat'] },
  arcLead: { sub: 'arc-lead-1', name: 'Anders ARC-chef', roles: ['arc-lead'] },
  jurist: { sub: 'jur-1', name: 'Julie Jurist', roles: ['jurist'] },
  otherJurist: { sub: 'jur-2', name: 'Jens Jurist', roles: ['jurist'] },
  caseworker: { sub: 'cw-1', name: 'Camilla Sagsbehandler', roles: ['caseworker'], unit: HANDLING_UNIT },
  otherUnitCaseworker: { sub: 'cw-2', name: 'Carl Sagsbehandler', roles: ['caseworker'], unit: 'Område Syd – Skole' },
  unitlessCaseworker: { sub: 'cw-3', name: 'Cecilie Sagsbehandler', roles: ['caseworker'] },
  direktion: { sub: 'dir-1', name: 'Dorthe Direktør', roles: ['direktion'] },
  employee: { sub: 'emp-1', name: 'Erik Ansat', roles: ['employee'], unit: HANDLING_UNIT },
  // Readers by another role who also hold the role an action needs, so the person check is reached.
  arcLeadJurist: { sub: 'arc-lead-2', name: 'Astrid ARC-jurist', roles: ['arc-lead', 'jurist'] },
  direktionCaseworker: { sub: 'dir-2', name: 'Dennis Direktør', roles: ['direktion', 'caseworker'], unit: 'Område Syd – Skole' },
  // The secretariat member (same subject) after moving to a job without a reading role.
  formerSecretariat: { sub: 'ls-1', name: 'Lene Sekretariat', roles: ['employee'] },
} satisfies Record<string, TokenClaims>;

type Person = keyof typeof PEOPLE;

/** The steps a case can be driven to, in the order the process reaches them. */
type Stage = 'awaiting-jurist' | 'drafting' | 'draft-review' | 'ready-to-send' | 'awaiting-brg-response' | 'brg-response-received';

describe('whistleblower over HTTP (real worker, Temporal dev server, PostgreSQL)', () => {
  let service: ServiceUnderTest;
  let as: Record<Person, Caller>;

  beforeAll(async () => {
    service = await ServiceUnderTest.start('whistleblower-e2e');
    as = await service.callers(PEOPLE);
  });

  afterAll(async () => {
    await service?.stop();
  });

  // ---------------------------------------------------------------------------------------
  // helpers

  const iso = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();

  const startBody = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
    brgReference: 'BRG-2026-117',
    subject: 'Indberetning om manglende tilsyn i en daginstitution',
    summary: 'BRG beder BUF om en udtalelse om forholdene i institutionen.',
    handlingUnit: HANDLING_UNIT,
    area: 'nord',
    receivedAt: iso(-10 * 60_000),
    replyDeadline: iso(21 * DAY),
    ...overrides,
  });

  const expectStatus = (res: ApiResponse, status: number): ApiResponse => service.expectStatus(res, status);

  /** An error answer in the one error shape of the API. */
  function expectError(res: ApiResponse, status: number, error: string): any {
    expectStatus(res, status);
    expect(res.body).toMatchObject({ statusCode: status, error, message: expect.any(String) });
    expect(Object.keys(res.body).every((k) => ['statusCode', 'error', 'message', 'details'].includes(k))).toBe(true);
    return res.body;
  }

  async function openCase(overrides: Record<string, unknown> = {}): Promise<any> {
    return expectStatus(await as.secretariat.start('whistleblower', startBody(overrides)), 201).body;
  }

  async function act(person: Person, caseId: string, action: string, body: Record<string, unknown> = {}): Promise<any> {
    return expectStatus(await as[person].act(caseId, action, body), 200).body;
  }

  const briefing = (caseId: string, occasion: 'receipt' | 'reply' | 'brg-response') =>
    act('secretariat', caseId, 'record-direktion-briefing', { occasion, note: `Forelagt på direktionsmødet (${occasion})` });

  /**
   * Opens a case and drives it to `stage` along the main path. The receipt briefing is recorded
   * right after opening unless `receiptBriefing: false`; the reply briefing is recorded before the
   * reply is sent (it is mandatory), and `replyBriefing: true` records it when stopping at ready-to-send.
   */
  async function caseAt(stage: Stage, options: { receiptBriefing?: boolean; replyBriefing?: boolean } = {}): Promise<any> {
    const order: Stage[] = ['awaiting-jurist', 'drafting', 'draft-review', 'ready-to-send', 'awaiting-brg-response', 'brg-response-received'];
    const reached = (s: Stage) => order.indexOf(stage) >= order.indexOf(s);
    let c = await openCase();
    if (options.receiptBriefing !== false) c = await briefing(c.id, 'receipt');
    if (reached('drafting')) c = await act('arcLead', c.id, 'assign-jurist', { juristId: PEOPLE.jurist.sub });
    if (reached('draft-review')) c = await act('caseworker', c.id, 'submit-draft', { documentRef: 'DOK-1001', summary: 'Udkast til udtalelse' });
    if (reached('ready-to-send')) c = await act('jurist', c.id, 'approve-draft', { comment: 'Godkendt' });
    if (reached('awaiting-brg-response') || options.replyBriefing) c = await briefing(c.id, 'reply');
    if (reached('awaiting-brg-response')) c = await act('secretariat', c.id, 'send-reply', { documentRef: 'DOK-1002' });
    if (reached('brg-response-received')) c = await act('secretariat', c.id, 'register-brg-response', { summary: 'BRG har kommentarer' });
    expect(c.step).toBe(stage);
    return c;
  }

  async function allowedFor(person: Person, caseId: string): Promise<string[]> {
    return expectStatus(await as[person].get(`/cases/${caseId}`), 200).body.allowedActions;
  }

  const deadline = (c: any, name: string) => {
    const found = c.deadlines.filter((d: any) => d.name === name);
    expect(found).toHaveLength(1);
    return found[0];
  };

  /** 404 with exactly the answer a case that does not exist gets, so the refusal reveals nothing. */
  function expectNoCase(res: ApiResponse, caseId: string): void {
    expectStatus(res, 404);
    expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: `No case ${caseId}` });
  }

  async function expectHiddenFrom(person: Person, caseId: string): Promise<void> {
    expectNoCase(await as[person].get(`/cases/${caseId}`), caseId);
  }

  /** The ids of the whistleblower cases this person's list shows (newest first). */
  async function listedFor(person: Person): Promise<string[]> {
    return expectStatus(await as[person].get('/cases?process=whistleblower&pageSize=100'), 200).body.items.map((i: any) => i.id);
  }

  /** The distinct stored values of one data field over these cases. */
  async function storedValues(caseIds: string[], field: string): Promise<(string | null)[]> {
    const { rows } = await service.db.query(
      `SELECT DISTINCT snapshot->'data'->>($2::text) AS value FROM case_files WHERE id = ANY($1) ORDER BY 1`,
      [caseIds, field],
    );
    return rows.map((r: { value: string | null }) => r.value);
  }

  async function readLog(caseId: string): Promise<{ actor_sub: string; actor_name: string; at: Date }[]> {
    const { rows } = await service.db.query('SELECT actor_sub, actor_name, at FROM case_read_log WHERE case_id = $1 ORDER BY id', [caseId]);
    return rows;
  }

  const fieldsOf = (body: any): string[] => body.details.fields.map((f: { field: string }) => f.field);

  async function step(caseId: string): Promise<string> {
    return expectStatus(await as.secretariat.get(`/cases/${caseId}`), 200).body.step;
  }

  // ---------------------------------------------------------------------------------------
  // the whole process

  describe('the whole process', () => {
    it('given a report from BRG, when every party takes its step including a returned draft, then the case closes with met deadlines and one journal entry per step', async () => {
      const receivedAt = iso(-30 * 60_000);
      const replyDeadline = iso(21 * DAY);

      // opened
      const opened = await openCase({ receivedAt, replyDeadline });
      expect(opened).toMatchObject({ process: 'whistleblower', step: 'awaiting-jurist', status: 'open', overdue: false, area: 'nord' });
      expect(opened.caseNumber).toMatch(/^\d{4}-\d{7}$/);
      expect(opened.id).toBe(`whistleblower-${opened.caseNumber}`);
      expect(opened.data).toMatchObject({ brgReference: 'BRG-2026-117', handlingUnit: HANDLING_UNIT, round: 1, draftApproved: false });
      expect(opened.allowedActions).toEqual(['record-direktion-briefing', 'record-identity']);
      const juristDeadline = deadline(opened, 'jurist-assignment');
      expect(juristDeadline.state).toBe('pending');
      expect(Date.parse(juristDeadline.dueAt) - Date.parse(receivedAt)).toBeGreaterThanOrEqual(23 * HOUR);
      expect(deadline(opened, 'brg-reply')).toMatchObject({ state: 'pending', dueAt: replyDeadline });
      expect(opened.deadlines.map((d: any) => d.name)).not.toContain('brg-response-window');
      const id: string = opened.id;

      expect(await allowedFor('arcLead', id)).toEqual(['assign-jurist']);
      expect(await allowedFor('caseworker', id)).toEqual([]);
      // a jurist sees the case only once assigned to it
      await expectHiddenFrom('jurist', id);

      // receipt briefing
      const receiptBriefed = await briefing(id, 'receipt');
      expect(receiptBriefed.step).toBe('awaiting-jurist');
      expect(receiptBriefed.data.briefings).toEqual([expect.objectContaining({ occasion: 'receipt', round: 1 })]);
      expect(receiptBriefed.allowedActions).toEqual(['record-identity']);

      // jurist assigned
      const assigned = await act('arcLead', id, 'assign-jurist', { juristId: PEOPLE.jurist.sub });
      expect(assigned.step).toBe('drafting');
      expect(assigned.data.juristId).toBe(PEOPLE.jurist.sub);
      expect(deadline(assigned, 'jurist-assignment')).toMatchObject({ state: 'met', settledAt: expect.any(String) });
      expect(deadline(assigned, 'brg-reply').state).toBe('pending');
      expect(assigned.allowedActions).toEqual(['assign-jurist']);
      expect(await allowedFor('caseworker', id)).toEqual(['submit-draft']);
      await expectHiddenFrom('otherUnitCaseworker', id);
      expect(await allowedFor('jurist', id)).toEqual([]);

      // draft submitted, then returned by the assigned jurist
      const submitted = await act('caseworker', id, 'submit-draft', { documentRef: 'DOK-1001', summary: 'Første udkast' });
      expect(submitted.step).toBe('draft-review');
      expect(submitted.data.draft).toMatchObject({ round: 1, documentRef: 'DOK-1001', submittedBy: PEOPLE.caseworker.sub });
      expect(await allowedFor('jurist', id)).toEqual(['approve-draft', 'return-draft']);
      await expectHiddenFrom('otherJurist', id);
      expect(await allowedFor('caseworker', id)).toEqual([]);

      const returned = await act('jurist', id, 'return-draft', { comment: 'Afsnit 2 skal uddybes' });
      expect(returned.step).toBe('drafting');
      expect(returned.data.returnComments).toEqual([expect.objectContaining({ round: 1, comment: 'Afsnit 2 skal uddybes' })]);
      expect(returned.allowedActions).toEqual([]);
      expect(await allowedFor('caseworker', id)).toEqual(['submit-draft']);

      // resubmitted and approved
      const resubmitted = await act('caseworker', id, 'submit-draft', { documentRef: 'DOK-1003', summary: 'Andet udkast' });
      expect(resubmitted.step).toBe('draft-review');
      expect(resubmitted.data.draft.documentRef).toBe('DOK-1003');
      const approved = await act('jurist', id, 'approve-draft', { comment: 'Godkendt' });
      expect(approved.step).toBe('ready-to-send');
      expect(approved.data.draftApproved).toBe(true);
      expect(await allowedFor('secretariat', id)).toEqual(['record-direktion-briefing', 'record-identity']);

      // reply briefing, reply sent
      const replyBriefed = await briefing(id, 'reply');
      expect(replyBriefed.step).toBe('ready-to-send');
      expect(replyBriefed.allowedActions).toEqual(['record-identity', 'send-reply']);
      const before = Date.now();
      const sent = await act('secretariat', id, 'send-reply', { documentRef: 'DOK-1004' });
      const after = Date.now();
      expect(sent.step).toBe('awaiting-brg-response');
      expect(sent.data.replies).toEqual([expect.objectContaining({ round: 1, documentRef: 'DOK-1004' })]);
      expect(deadline(sent, 'brg-reply')).toMatchObject({ state: 'met', settledAt: expect.any(String) });
      const window = deadline(sent, 'brg-response-window');
      expect(window.state).toBe('pending');
      const sentAt = Date.parse(sent.data.replies[0].sentAt);
      expect(sentAt).toBeGreaterThanOrEqual(before - 5_000);
      expect(sentAt).toBeLessThanOrEqual(after + 5_000);
      // 30 calendar days after the reply, to the end of the 30th day in Copenhagen.
      expect(Date.parse(window.dueAt)).toBe(endOfCopenhagenDay(plusDays(sentAt, 30)));
      expect(sent.allowedActions).toEqual(['record-identity', 'register-brg-response', 'close']);

      // BRG responds; the response is presented; the case closes
      const responded = await act('secretariat', id, 'register-brg-response', { summary: 'BRG takker for svaret' });
      expect(responded.step).toBe('brg-response-received');
      expect(deadline(responded, 'brg-response-window')).toMatchObject({ state: 'met', settledAt: expect.any(String) });
      expect(responded.allowedActions).toEqual(['record-direktion-briefing', 'record-identity']);

      const responseBriefed = await briefing(id, 'brg-response');
      expect(responseBriefed.step).toBe('brg-response-received');
      expect(responseBriefed.allowedActions).toEqual(['record-identity', 'request-further-reply', 'close']);

      const closed = await act('secretariat', id, 'close', { reason: 'BRG har ingen yderligere bemærkninger' });
      expect(closed).toMatchObject({ step: 'closed', status: 'closed', overdue: false, allowedActions: [] });
      expect(closed.closedAt).toEqual(expect.any(String));
      expect(closed.data.closeReason).toBe('BRG har ingen yderligere bemærkninger');
      expect(closed.deadlines.every((d: any) => d.state === 'met')).toBe(true);

      // the journal: one entry per step, numbered 1..n, the same in the API and in the database
      const expectedActions = [
        'opened',
        'record-direktion-briefing',
        'assign-jurist',
        'submit-draft',
        'return-draft',
        'submit-draft',
        'approve-draft',
        'record-direktion-briefing',
        'send-reply',
        'register-brg-response',
        'record-direktion-briefing',
        'close',
      ];
      const seqs = expectedActions.map((_a, i) => i + 1);
      expect(closed.journal.map((j: any) => j.action)).toEqual(expectedActions);
      expect(closed.journal.map((j: any) => j.seq)).toEqual(seqs);
      expect(closed.journal[2].actor).toEqual({ sub: PEOPLE.arcLead.sub, name: PEOPLE.arcLead.name });
      expect(closed.journal[4]).toMatchObject({ actor: { sub: PEOPLE.jurist.sub }, note: 'Afsnit 2 skal uddybes' });

      const stored = await service.journal(id);
      expect(stored.map((j) => j.action)).toEqual(expectedActions);
      expect(stored.map((j) => j.seq)).toEqual(seqs);

      // a closed case reads the same, and answers every action with 409
      const reread = expectStatus(await as.direktion.get(`/cases/${id}`), 200).body;
      expect(reread).toMatchObject({ status: 'closed', step: 'closed', allowedActions: [] });
      const late = expectError(await as.secretariat.act(id, 'record-direktion-briefing', { occasion: 'receipt' }), 409, 'Conflict');
      expect(late.details).toEqual({ step: 'closed', allowedActions: [] });
    });

    it('given a case with a BRG response that needs a further reply, when the secretariat requests it, then a second round starts in drafting with its own briefings', async () => {
      const c = await caseAt('brg-response-received');
      await briefing(c.id, 'brg-response');
      // BRG's deadline for the further reply is required, and must lie ahead
      const missing = expectError(await as.secretariat.act(c.id, 'request-further-reply', {}), 400, 'Bad Request');
      expect(missing.details.fields).toEqual([expect.objectContaining({ field: 'replyDeadline' })]);
      const passed = expectError(await as.secretariat.act(c.id, 'request-further-reply', { replyDeadline: iso(-DAY) }), 400, 'Bad Request');
      expect(passed.details.fields).toEqual([{ field: 'replyDeadline', message: 'replyDeadline must be in the future' }]);
      const secondDeadline = iso(14 * DAY);
      const further = await act('secretariat', c.id, 'request-further-reply', { replyDeadline: secondDeadline });
      expect(further.step).toBe('drafting');
      expect(further.data).toMatchObject({ round: 2, draftApproved: false, replyDeadline: secondDeadline });
      expect(further.deadlines.filter((d: any) => d.name === 'brg-reply').map((d: any) => [d.dueAt, d.state])).toEqual([
        [c.data.replyDeadline, 'met'],
        [secondDeadline, 'pending'],
      ]);
      expect(further.data.draft).toBeUndefined();

      await act('caseworker', c.id, 'submit-draft', { documentRef: 'DOK-2001', summary: 'Yderligere svar' });
      expect((await act('jurist', c.id, 'approve-draft')).step).toBe('ready-to-send');
      // the reply briefing of round 1 does not cover round 2
      const refused = expectError(await as.secretariat.act(c.id, 'send-reply', { documentRef: 'DOK-2002' }), 409, 'Conflict');
      expect(refused.details).toEqual({ step: 'ready-to-send', allowedActions: ['record-direktion-briefing', 'record-identity'] });
      await briefing(c.id, 'reply');
      const sent = await act('secretariat', c.id, 'send-reply', { documentRef: 'DOK-2002' });
      expect(sent.step).toBe('awaiting-brg-response');
      expect(sent.data.replies.map((r: any) => r.round)).toEqual([1, 2]);
    });

    it('given a report received days ago, when no jurist was assigned in time, then the deadline is missed, the case flagged overdue and escalated, and a late assignment settles it', async () => {
      const c = await openCase({ receivedAt: iso(-10 * DAY) });
      await briefing(c.id, 'receipt');

      let current: any;
      for (let i = 0; i < 100; i += 1) {
        current = expectStatus(await as.secretariat.get(`/cases/${c.id}`), 200).body;
        if (current.journal.some((j: any) => j.action === 'deadline-missed')) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(current.overdue).toBe(true);
      expect(deadline(current, 'jurist-assignment').state).toBe('missed');
      // (The receipt briefing's own deadline had passed too when the case was opened: its escalation is not counted here.)
      const { rows: escalations } = await service.db.query(
        `SELECT recipient_role FROM notification_outbox WHERE case_id = $1 AND kind = 'escalation' AND subject LIKE '%Jurist tilknyttet%' ORDER BY recipient_role`,
        [c.id],
      );
      expect(escalations.map((n: { recipient_role: string }) => n.recipient_role)).toEqual(['arc-lead', 'ledelsessekretariat']);

      const overdueList = expectStatus(await as.secretariat.get('/cases?process=whistleblower&overdue=true&pageSize=100'), 200).body;
      expect(overdueList.items.map((i: any) => i.id)).toContain(c.id);

      const assigned = await act('arcLead', c.id, 'assign-jurist', { juristId: PEOPLE.jurist.sub });
      expect(assigned.overdue).toBe(false);
      expect(deadline(assigned, 'jurist-assignment')).toMatchObject({ state: 'missed', settledAt: expect.any(String) });
    });
  });

  describe("the whistleblower's identity (held outside the workflow)", () => {
    const IDENTITY = 'Birgitte Holmgaard Winther, tlf. 29 41 77 03';

    async function caseWithIdentity(): Promise<any> {
      const c = await caseAt('drafting');
      const recorded = await act('secretariat', c.id, 'record-identity', { whistleblowerIdentity: IDENTITY });
      // The one who recorded it does not read it back.
      expect(JSON.stringify(recorded)).not.toContain('Winther');
      expect(recorded.data.identityProvided).toBe(true);
      expect(recorded.journal.at(-1)).toMatchObject({ action: 'record-identity', note: 'Whistleblowerens identitet videregivet med samtykke' });
      return c;
    }

    it('given an identity passed on by BRG, when the assigned jurist reads the case, then the identity is shown and the read is logged; the secretariat, the direktion, the ARC lead and the handling unit never see it', async () => {
      const c = await caseWithIdentity();
      const before = (await readLog(c.id)).length;

      const asJurist = expectStatus(await as.jurist.get(`/cases/${c.id}`), 200).body;
      expect(asJurist.data.whistleblowerIdentity).toBe(IDENTITY);
      const log = await readLog(c.id);
      expect(log.slice(before).map((r) => r.actor_sub)).toEqual([PEOPLE.jurist.sub]);

      for (const person of ['secretariat', 'direktion', 'arcLead', 'caseworker'] as const) {
        const body = expectStatus(await as[person].get(`/cases/${c.id}`), 200).body;
        expect(body.data.identityProvided).toBe(true);
        expect(JSON.stringify(body)).not.toContain('Winther');
      }
      await expectHiddenFrom('otherJurist', c.id);
      // At rest it is encrypted.
      const { rows } = await service.db.query(`SELECT ciphertext FROM case_confidential_fields WHERE case_id = $1`, [c.id]);
      expect(rows).toHaveLength(1);
      expect(Buffer.from(rows[0].ciphertext).toString('latin1')).not.toContain('Winther');
    });

    it('given an identity passed on, when the jurist is replaced, then the new jurist reads it and the former one no longer does', async () => {
      const c = await caseWithIdentity();
      await act('arcLead', c.id, 'assign-jurist', { juristId: PEOPLE.otherJurist.sub });
      expect(expectStatus(await as.otherJurist.get(`/cases/${c.id}`), 200).body.data.whistleblowerIdentity).toBe(IDENTITY);
      await expectHiddenFrom('jurist', c.id);
    });

    it('given an identity passed on, when cases are listed and the journal, notifications, case file, logs and the Temporal history are read, then the identity is in none of them', async () => {
      const c = await caseWithIdentity();
      await act('caseworker', c.id, 'submit-draft', { documentRef: 'DOK-7', summary: 'Udkast' });
      for (const person of ['secretariat', 'jurist'] as const) {
        const list = expectStatus(await as[person].get('/cases?process=whistleblower&pageSize=100'), 200).body;
        expect(list.items.map((i: any) => i.id)).toContain(c.id);
        expect(JSON.stringify(list)).not.toContain('Winther');
      }
      const stored = await service.db.query(
        `SELECT (SELECT snapshot::text FROM case_files WHERE id = $1) AS snapshot,
                (SELECT string_agg(coalesce(note, ''), ' ') FROM case_journal WHERE case_id = $1) AS journal,
                (SELECT string_agg(subject || ' ' || body, ' ') FROM notification_outbox WHERE case_id = $1) AS outbox`,
        [c.id],
      );
      expect(stored.rows[0].outbox).toEqual(expect.any(String));
      expect(JSON.stringify(stored.rows[0])).not.toContain('Winther');
      expect(service.logs.join('\n')).not.toContain('Winther');

      // Every payload of the history, decoded with the service's own key: the identity is not in one.
      const keyed = await service.temporalClient({ withPayloadKey: true });
      try {
        const history = await keyed.workflow.getHandle(c.id).fetchHistory();
        const decoded = await decodedPayloads(keyed, history);
        expect(decoded.some((text) => text.includes('whistleblowerIdentityProvided'))).toBe(true); // the marker went, the value did not
        expect(decoded.some((text) => text.includes('Winther'))).toBe(false);
        expect(JSON.stringify(history)).not.toContain('Winther');
      } finally {
        await keyed.connection.close();
      }
    });

    it('given the identity sent twice with the same Idempotency-Key, when both answer, then it is journalled once and stored once; a correction replaces it', async () => {
      const c = await caseAt('drafting');
      const headers = { 'Idempotency-Key': `identity-${c.id}` };
      for (let i = 0; i < 2; i += 1) {
        expectStatus(await as.secretariat.act(c.id, 'record-identity', { whistleblowerIdentity: IDENTITY }, headers), 200);
      }
      expect((await service.journal(c.id)).filter((e) => e.action === 'record-identity')).toHaveLength(1);
      await act('secretariat', c.id, 'record-identity', { whistleblowerIdentity: 'Birgitte H. Winther, tlf. 29 41 77 03' });
      const { rows } = await service.db.query(`SELECT field FROM case_confidential_fields WHERE case_id = $1`, [c.id]);
      expect(rows).toEqual([{ field: 'whistleblowerIdentity' }]);
      await act('arcLead', c.id, 'assign-jurist', { juristId: PEOPLE.jurist.sub });
      expect(expectStatus(await as.jurist.get(`/cases/${c.id}`), 200).body.data.whistleblowerIdentity).toBe('Birgitte H. Winther, tlf. 29 41 77 03');
    });

    it('given a caller who may not record the identity or a closed case, when the identity is sent, then 403 / 409 / 400 and nothing is stored', async () => {
      const c = await caseAt('drafting');
      expectError(await as.caseworker.act(c.id, 'record-identity', { whistleblowerIdentity: IDENTITY }), 403, 'Forbidden');
      const tooLong = expectError(await as.secretariat.act(c.id, 'record-identity', { whistleblowerIdentity: 'x'.repeat(501) }), 400, 'Bad Request');
      expect(fieldsOf(tooLong)).toEqual(['whistleblowerIdentity']);
      const marker = expectError(await as.secretariat.act(c.id, 'record-identity', { whistleblowerIdentityProvided: true }), 400, 'Bad Request');
      expect(fieldsOf(marker)).toContain('whistleblowerIdentityProvided');
      const closed = await caseAt('awaiting-brg-response');
      await act('secretariat', closed.id, 'close', { reason: 'Færdig' });
      expectError(await as.secretariat.act(closed.id, 'record-identity', { whistleblowerIdentity: IDENTITY }), 409, 'Conflict');
      const { rows } = await service.db.query(`SELECT case_id FROM case_confidential_fields WHERE case_id = ANY($1)`, [[c.id, closed.id]]);
      expect(rows).toEqual([]);
    });
  });

  describe('receipt-briefing deadline', () => {
    it('given a report received on Thursday 26.11.2026 and no receipt briefing, when the case is opened, then the deadline is the end of Monday 30.11.2026 and, being past, escalates to the secretariat and the direktion', async () => {
      const c = await openCase({ receivedAt: '2026-11-26T10:00' }); // torsdag 26.11.2026 kl. 10.00 (Copenhagen)
      // Two working days: Friday 27.11 and (over the weekend) Monday 30.11, to its end.
      expect(deadline(c, 'receipt-briefing')).toMatchObject({
        dueAt: '2026-11-30T22:59:59.999Z', // mandag 30.11.2026 kl. 23.59 (vintertid)
        basis: 'Politik (whistleblower.receiptBriefingWorkingDays)',
        explanation: '2 arbejdsdage fra modtagelsen torsdag 26.11.2026: senest mandag 30.11.2026 kl. 23.59',
      });
      const missed = await eventuallyCase(c.id, (x) => x.journal.some((j: any) => j.action === 'deadline-missed' && j.note.includes('ved modtagelsen')));
      expect(deadline(missed, 'receipt-briefing').state).toBe('missed');
      expect(missed.overdue).toBe(true);
      expect(missed.journal.find((j: any) => j.note?.includes('ved modtagelsen')).note).toContain('Underrettet: Ledelsessekretariatet, Direktionen');
      const { rows } = await service.db.query(
        `SELECT recipient_role FROM notification_outbox WHERE case_id = $1 AND kind = 'escalation' AND subject LIKE '%ved modtagelsen%' ORDER BY recipient_role`,
        [c.id],
      );
      expect(rows.map((r: { recipient_role: string }) => r.recipient_role)).toEqual(['direktion', 'ledelsessekretariat']);

      const briefed = await briefing(c.id, 'receipt');
      expect(deadline(briefed, 'receipt-briefing')).toMatchObject({ state: 'missed', settledAt: expect.any(String) });
    });
  });

  /** The case as the secretariat reads it, once `done` holds (the workflow acts on timers by itself). */
  function eventuallyCase(caseId: string, done: (c: any) => boolean): Promise<any> {
    return eventually(`case ${caseId}`, async () => {
      const current = expectStatus(await as.secretariat.get(`/cases/${caseId}`), 200).body;
      return done(current) && current;
    });
  }

  // ---------------------------------------------------------------------------------------
  // authentication

  describe('authentication (401)', () => {
    const routes: [string, (token: string | undefined, caseId: string) => Promise<ApiResponse>][] = [
      ['POST /cases/whistleblower', (token) => service.request('POST', '/api/v1/cases/whistleblower', { token, body: startBody() })],
      ['GET /cases/{id}', (token, caseId) => service.request('GET', `/api/v1/cases/${caseId}`, { token })],
      ['GET /cases', (token) => service.request('GET', '/api/v1/cases?process=whistleblower', { token })],
      ['POST /cases/{id}/actions/assign-jurist', (token, caseId) => service.request('POST', `/api/v1/cases/${caseId}/actions/assign-jurist`, { token, body: { juristId: 'jur-1' } })],
    ];
    const tokens: [string, () => Promise<string | undefined>][] = [
      ['no token', async () => undefined],
      ['a malformed token', async () => 'not-a-jwt'],
      ['a token signed with another secret', () => mintDevToken(new Uint8Array(randomBytes(32)), PEOPLE.arcLead)],
      ['an expired token', () => service.token(PEOPLE.arcLead, '-1h')],
    ];

    let caseId: string;
    beforeAll(async () => {
      caseId = (await openCase()).id;
    });

    describe.each(tokens)('given %s', (_label, makeToken) => {
      it.each(routes)('when calling %s, then 401 in the error shape', async (_route, call) => {
        const res = await call(await makeToken(), caseId);
        expectError(res, 401, 'Unauthorized');
      });
    });

    it('given a request with no token, when starting a case, then no case is opened', async () => {
      const before = expectStatus(await as.secretariat.get('/cases?process=whistleblower&pageSize=1'), 200).body.total;
      expectError(await service.request('POST', '/api/v1/cases/whistleblower', { body: startBody() }), 401, 'Unauthorized');
      const after = expectStatus(await as.secretariat.get('/cases?process=whistleblower&pageSize=1'), 200).body.total;
      expect(after).toBe(before);
      expect(await step(caseId)).toBe('awaiting-jurist');
    });
  });

  // ---------------------------------------------------------------------------------------
  // roles and persons

  describe('roles and persons (403)', () => {
    it('given an employee, when starting a whistleblower case, then 403 names the role required', async () => {
      const body = expectError(await as.employee.start('whistleblower', startBody()), 403, 'Forbidden');
      expect(body.message).toContain('ledelsessekretariat');
    });

    it('given a jurist or a caseworker, when starting a whistleblower case, then 403', async () => {
      expectError(await as.jurist.start('whistleblower', startBody()), 403, 'Forbidden');
      expectError(await as.caseworker.start('whistleblower', startBody()), 403, 'Forbidden');
    });

    it("given a new case, when the handling unit's caseworker or a jurist not yet assigned tries to assign the jurist, then 403 for the caseworker, 404 for the jurist, and the case stays unassigned", async () => {
      const c = await caseAt('awaiting-jurist');
      const body = expectError(await as.caseworker.act(c.id, 'assign-jurist', { juristId: 'cw-1' }), 403, 'Forbidden');
      expect(body.message).toContain('arc-lead');
      expectNoCase(await as.jurist.act(c.id, 'assign-jurist', { juristId: PEOPLE.jurist.sub }), c.id);
      expect(await step(c.id)).toBe('awaiting-jurist');
    });

    it('given a case in drafting, when the jurist or the arc-lead submits the draft, then 403 for the role', async () => {
      const c = await caseAt('drafting');
      expectError(await as.jurist.act(c.id, 'submit-draft', { documentRef: 'X', summary: 'Y' }), 403, 'Forbidden');
      expectError(await as.arcLead.act(c.id, 'submit-draft', { documentRef: 'X', summary: 'Y' }), 403, 'Forbidden');
      expect(await step(c.id)).toBe('drafting');
    });

    it('given a case in drafting, when a caseworker of another unit (or with no unit) submits the draft, then 404 as for a missing case and the step is unchanged', async () => {
      const c = await caseAt('drafting');
      expectNoCase(await as.otherUnitCaseworker.act(c.id, 'submit-draft', { documentRef: 'DOK-9', summary: 'Udkast' }), c.id);
      expectNoCase(await as.unitlessCaseworker.act(c.id, 'submit-draft', { documentRef: 'DOK-9', summary: 'Udkast' }), c.id);
      expect(await step(c.id)).toBe('drafting');
      expect((await service.journal(c.id)).map((j) => j.action)).not.toContain('submit-draft');
    });

    it('given a case in drafting, when a reader with the caseworker role from another unit submits the draft, then 403 names the handling unit and the step is unchanged', async () => {
      const c = await caseAt('drafting');
      const body = expectError(await as.direktionCaseworker.act(c.id, 'submit-draft', { documentRef: 'DOK-9', summary: 'Udkast' }), 403, 'Forbidden');
      expect(body.message).toContain('handling unit');
      expect(await step(c.id)).toBe('drafting');
    });

    it('given a draft in review, when another jurist approves or returns it, then 404 as for a missing case and the draft stays in review', async () => {
      const c = await caseAt('draft-review');
      expectNoCase(await as.otherJurist.act(c.id, 'approve-draft', { comment: 'OK' }), c.id);
      expectNoCase(await as.otherJurist.act(c.id, 'return-draft', { comment: 'Nej' }), c.id);
      expect(await step(c.id)).toBe('draft-review');
    });

    it('given a draft in review, when a reader with the jurist role who is not the assigned jurist approves or returns it, then 403 names the assigned jurist and the draft stays in review', async () => {
      const c = await caseAt('draft-review');
      const approve = expectError(await as.arcLeadJurist.act(c.id, 'approve-draft', { comment: 'OK' }), 403, 'Forbidden');
      expect(approve.message).toContain('assigned jurist');
      const giveBack = expectError(await as.arcLeadJurist.act(c.id, 'return-draft', { comment: 'Nej' }), 403, 'Forbidden');
      expect(giveBack.message).toContain('assigned jurist');
      expect(await step(c.id)).toBe('draft-review');
    });

    it('given a draft in review, when the jurist is replaced, then the former jurist no longer sees the case and only the new jurist may approve', async () => {
      const c = await caseAt('draft-review');
      const reassigned = await act('arcLead', c.id, 'assign-jurist', { juristId: PEOPLE.otherJurist.sub });
      expect(reassigned.step).toBe('draft-review');
      await expectHiddenFrom('jurist', c.id);
      expectNoCase(await as.jurist.act(c.id, 'approve-draft'), c.id);
      expect(await allowedFor('otherJurist', c.id)).toEqual(['approve-draft', 'return-draft']);
      expect((await act('otherJurist', c.id, 'approve-draft')).step).toBe('ready-to-send');
    });

    it('given an approved draft, when a jurist or the direktion tries to send the reply, then 403', async () => {
      const c = await caseAt('ready-to-send', { replyBriefing: true });
      expectError(await as.jurist.act(c.id, 'send-reply', { documentRef: 'DOK-5' }), 403, 'Forbidden');
      expectError(await as.direktion.act(c.id, 'send-reply', { documentRef: 'DOK-5' }), 403, 'Forbidden');
      expect(await step(c.id)).toBe('ready-to-send');
    });
  });

  // ---------------------------------------------------------------------------------------
  // step rules

  describe('step rules (409)', () => {
    it('given a case in drafting, when the secretariat sends the reply before approval, then 409 with the step and the allowed actions', async () => {
      const c = await caseAt('drafting');
      const body = expectError(await as.secretariat.act(c.id, 'send-reply', { documentRef: 'DOK-1' }), 409, 'Conflict');
      expect(body.details).toEqual({ step: 'drafting', allowedActions: ['record-identity'] });
      expect(body.message).toContain('drafting');
    });

    it('given a case without the receipt briefing, when the reply is sent before approval, then 409 lists the briefing as allowed', async () => {
      const c = await caseAt('drafting', { receiptBriefing: false });
      const body = expectError(await as.secretariat.act(c.id, 'send-reply', { documentRef: 'DOK-1' }), 409, 'Conflict');
      expect(body.details).toEqual({ step: 'drafting', allowedActions: ['record-direktion-briefing', 'record-identity'] });
    });

    it('given an approved draft, when the reply is sent before the reply briefing, then 409 says the briefing comes first', async () => {
      const c = await caseAt('ready-to-send');
      const body = expectError(await as.secretariat.act(c.id, 'send-reply', { documentRef: 'DOK-1' }), 409, 'Conflict');
      expect(body.details).toEqual({ step: 'ready-to-send', allowedActions: ['record-direktion-briefing', 'record-identity'] });
      expect(body.message).toContain('missing: the reply briefing (record-direktion-briefing, occasion reply)');
      expect(await step(c.id)).toBe('ready-to-send');
    });

    it('given an approved draft presented to the direktion but no receipt briefing, when the reply is sent, then 409 names the missing receipt briefing, and the reply goes once it is recorded', async () => {
      const c = await caseAt('ready-to-send', { receiptBriefing: false, replyBriefing: true });
      const body = expectError(await as.secretariat.act(c.id, 'send-reply', { documentRef: 'DOK-1' }), 409, 'Conflict');
      expect(body.details).toEqual({ step: 'ready-to-send', allowedActions: ['record-direktion-briefing', 'record-identity'] });
      expect(body.message).toContain('missing: the receipt briefing (record-direktion-briefing, occasion receipt)');
      expect(await step(c.id)).toBe('ready-to-send');
      await briefing(c.id, 'receipt');
      expect((await act('secretariat', c.id, 'send-reply', { documentRef: 'DOK-1' })).step).toBe('awaiting-brg-response');
    });

    it('given an approved draft with neither briefing, when the reply is sent, then 409 names both missing briefings', async () => {
      const c = await caseAt('ready-to-send', { receiptBriefing: false });
      const body = expectError(await as.secretariat.act(c.id, 'send-reply', { documentRef: 'DOK-1' }), 409, 'Conflict');
      expect(body.message).toContain('missing: the receipt briefing and the reply briefing');
    });

    it("given BRG's response is registered, when the case is closed before that briefing, then 409 names the briefing owed", async () => {
      const c = await caseAt('brg-response-received');
      const close = expectError(await as.secretariat.act(c.id, 'close', { reason: 'Færdig' }), 409, 'Conflict');
      expect(close.details).toEqual({ step: 'brg-response-received', allowedActions: ['record-direktion-briefing', 'record-identity'] });
      expect(close.message).toContain('brg-response');
      expect(await step(c.id)).toBe('brg-response-received');
    });

    it("given BRG's response is registered, when a further reply is requested before that briefing, then 409", async () => {
      const c = await caseAt('brg-response-received');
      const further = expectError(await as.secretariat.act(c.id, 'request-further-reply', { replyDeadline: iso(14 * DAY) }), 409, 'Conflict');
      expect(further.details).toEqual({ step: 'brg-response-received', allowedActions: ['record-direktion-briefing', 'record-identity'] });
      expect(further.message).toContain('presented to the direktion');
    });

    it('given a receipt briefing already recorded, when it is recorded again, then 409', async () => {
      const c = await caseAt('awaiting-jurist');
      const body = expectError(await as.secretariat.act(c.id, 'record-direktion-briefing', { occasion: 'receipt' }), 409, 'Conflict');
      expect(body.details).toEqual({ step: 'awaiting-jurist', allowedActions: ['record-identity'] });
      expect((await service.journal(c.id)).filter((j) => j.action === 'record-direktion-briefing')).toHaveLength(1);
    });

    it('given a case in drafting, when a reply or brg-response briefing is recorded, then 409', async () => {
      const c = await caseAt('drafting');
      expectError(await as.secretariat.act(c.id, 'record-direktion-briefing', { occasion: 'reply' }), 409, 'Conflict');
      expectError(await as.secretariat.act(c.id, 'record-direktion-briefing', { occasion: 'brg-response' }), 409, 'Conflict');
    });

    it('given a new case, when a reader with the jurist role approves a draft that does not exist, then 409 before any person check', async () => {
      const c = await caseAt('awaiting-jurist');
      const body = expectError(await as.arcLeadJurist.act(c.id, 'approve-draft'), 409, 'Conflict');
      expect(body.details).toEqual({ step: 'awaiting-jurist', allowedActions: ['assign-jurist'] });
    });

    it('given a draft in review, when the caseworker submits again, then 409', async () => {
      const c = await caseAt('draft-review');
      const body = expectError(await as.caseworker.act(c.id, 'submit-draft', { documentRef: 'DOK-7', summary: 'Igen' }), 409, 'Conflict');
      expect(body.details).toEqual({ step: 'draft-review', allowedActions: [] });
    });
  });

  // ---------------------------------------------------------------------------------------
  // payloads

  describe('payload validation (400)', () => {
    const badStarts: [string, Record<string, unknown>, string][] = [
      ['a missing replyDeadline', { replyDeadline: undefined }, 'replyDeadline'],
      ['a missing brgReference', { brgReference: undefined }, 'brgReference'],
      ['a replyDeadline before receivedAt', { receivedAt: iso(-2 * DAY), replyDeadline: iso(-3 * DAY) }, 'replyDeadline'],
      ['a replyDeadline equal to receivedAt', { receivedAt: '2026-01-05T10:00:00.000Z', replyDeadline: '2026-01-05T10:00:00.000Z' }, 'replyDeadline'],
      ['a replyDeadline in the past and no receivedAt', { receivedAt: undefined, replyDeadline: iso(-DAY) }, 'replyDeadline'],
      ['a receivedAt in the future', { receivedAt: iso(2 * DAY), replyDeadline: iso(21 * DAY) }, 'receivedAt'],
      ['a replyDeadline that is not a date-time', { replyDeadline: 'next friday' }, 'replyDeadline'],
      ['an unknown extra field', { whistleblowerName: 'Hemmelig' }, 'whistleblowerName'],
      ['a subject of the wrong type', { subject: 42 }, 'subject'],
      ['a replyDeadline of the wrong type', { replyDeadline: 1_900_000_000_000 }, 'replyDeadline'],
      ['an empty handlingUnit', { handlingUnit: '' }, 'handlingUnit'],
      ['a brgReference over its maximum length', { brgReference: 'B'.repeat(101) }, 'brgReference'],
    ];

    it.each(badStarts)('given %s, when the secretariat starts a case, then 400 names the field', async (_label, overrides, field) => {
      const body = expectError(await as.secretariat.start('whistleblower', startBody(overrides)), 400, 'Bad Request');
      expect(fieldsOf(body)).toContain(field);
      expect(body.message).toContain(field);
    });

    it('given a whitespace-only subject, when the secretariat starts a case, then 400 names the field', async () => {
      const body = expectError(await as.secretariat.start('whistleblower', startBody({ subject: '   ' })), 400, 'Bad Request');
      expect(fieldsOf(body)).toContain('subject');
    });

    it('given a body that is not a JSON object, when the secretariat starts a case, then 400', async () => {
      const body = expectError(await service.request('POST', '/api/v1/cases/whistleblower', { token: as.secretariat.token, body: [startBody()] }), 400, 'Bad Request');
      expect(body.details.fields).toEqual([expect.objectContaining({ field: '(body)' })]);
    });

    it('given several problems at once, when the secretariat starts a case, then 400 names every field', async () => {
      const body = expectError(
        await as.secretariat.start('whistleblower', startBody({ replyDeadline: undefined, subject: '', extra: 1 })),
        400,
        'Bad Request',
      );
      expect(fieldsOf(body).sort()).toEqual(['extra', 'replyDeadline', 'subject']);
    });

    it('given only the required fields, when the secretariat starts a case, then receivedAt defaults to now and there is no area', async () => {
      const before = Date.now();
      const c = await openCase({ area: undefined, receivedAt: undefined });
      expect(c.area).toBeUndefined();
      expect(Date.parse(c.data.receivedAt)).toBeGreaterThanOrEqual(before - 1_000);
      expect(Date.parse(c.data.receivedAt)).toBeLessThanOrEqual(Date.now() + 1_000);
    });

    const badActions: [string, Stage, Person, string, Record<string, unknown>, string][] = [
      ['an occasion not in the enum', 'awaiting-jurist', 'secretariat', 'record-direktion-briefing', { occasion: 'lunch' }, 'occasion'],
      ['a missing occasion', 'awaiting-jurist', 'secretariat', 'record-direktion-briefing', { note: 'x' }, 'occasion'],
      ['a missing juristId', 'awaiting-jurist', 'arcLead', 'assign-jurist', {}, 'juristId'],
      ['a juristId of the wrong type', 'awaiting-jurist', 'arcLead', 'assign-jurist', { juristId: 7 }, 'juristId'],
      ['an unknown extra field', 'awaiting-jurist', 'arcLead', 'assign-jurist', { juristId: 'jur-1', priority: 'high' }, 'priority'],
      ['an empty documentRef', 'drafting', 'caseworker', 'submit-draft', { documentRef: '', summary: 'Udkast' }, 'documentRef'],
      ['a whitespace-only documentRef', 'drafting', 'caseworker', 'submit-draft', { documentRef: '   ', summary: 'Udkast' }, 'documentRef'],
      ['a missing comment', 'draft-review', 'jurist', 'return-draft', {}, 'comment'],
      ['a BRG response received in the future', 'awaiting-brg-response', 'secretariat', 'register-brg-response', { summary: 'Svar', receivedAt: iso(3 * DAY) }, 'receivedAt'],
    ];

    it.each(badActions)('given %s, when the action is taken, then 400 names the field and the step is unchanged', async (_label, stage, person, action, payload, field) => {
      const c = await caseAt(stage);
      const body = expectError(await as[person].act(c.id, action, payload), 400, 'Bad Request');
      expect(fieldsOf(body)).toContain(field);
      expect(await step(c.id)).toBe(stage);
    });
  });

  // ---------------------------------------------------------------------------------------
  // not found

  describe('unknown things (404)', () => {
    const unknownCase = 'whistleblower-2099-9999999';

    it('given an unknown process, when a case is started or the process read, then 404', async () => {
      const start = expectError(await as.secretariat.start('whistleblowing', startBody()), 404, 'Not Found');
      expect(start.message).toContain('whistleblowing');
      expectError(await as.secretariat.get('/processes/whistleblowing'), 404, 'Not Found');
    });

    it('given an unknown case id, when it is read or acted on, then 404', async () => {
      expectError(await as.secretariat.get(`/cases/${unknownCase}`), 404, 'Not Found');
      expectError(await as.secretariat.act(unknownCase, 'close', { reason: 'x' }), 404, 'Not Found');
    });

    it('given a case, when an unknown action is taken, then 404 lists the actions of the process', async () => {
      const c = await caseAt('awaiting-jurist');
      const body = expectError(await as.secretariat.act(c.id, 'shred-case', {}), 404, 'Not Found');
      expect(body.message).toContain('assign-jurist');
      expect(await step(c.id)).toBe('awaiting-jurist');
    });
  });

  // ---------------------------------------------------------------------------------------
  // visibility

  describe('visibility', () => {
    it('given an employee without a reading role, when reading or acting on a case, then 404 exactly as for a case that does not exist', async () => {
      const c = await caseAt('awaiting-jurist');
      const read = expectError(await as.employee.get(`/cases/${c.id}`), 404, 'Not Found');
      const missing = expectError(await as.employee.get('/cases/whistleblower-2099-9999998'), 404, 'Not Found');
      expect(read.message.replace(c.id, '<id>')).toBe(missing.message.replace('whistleblower-2099-9999998', '<id>'));
      expect(JSON.stringify(read)).not.toContain('BRG-2026-117');
      expectError(await as.employee.act(c.id, 'record-direktion-briefing', { occasion: 'receipt' }), 404, 'Not Found');
    });

    it("given a new case, when the reading roles and the handling unit's caseworker read it, then 200 with only their own allowed actions", async () => {
      const c = await caseAt('awaiting-jurist', { receiptBriefing: false });
      expect(await allowedFor('direktion', c.id)).toEqual([]);
      expect(await allowedFor('caseworker', c.id)).toEqual([]);
      expect(await allowedFor('arcLead', c.id)).toEqual(['assign-jurist']);
      expect(await allowedFor('secretariat', c.id)).toEqual(['record-direktion-briefing', 'record-identity']);
    });

    it('given a new case, when a jurist not yet assigned or a caseworker of another unit or of none reads or acts on it, then 404 as for a missing case and nothing changes', async () => {
      const c = await caseAt('awaiting-jurist', { receiptBriefing: false });
      for (const person of ['jurist', 'otherUnitCaseworker', 'unitlessCaseworker'] as const) {
        await expectHiddenFrom(person, c.id);
        expectNoCase(await as[person].act(c.id, 'record-direktion-briefing', { occasion: 'receipt' }), c.id);
      }
      expect((await service.journal(c.id)).map((j) => j.action)).toEqual(['opened']);
    });

    it('given two new cases, when the secretariat lists whistleblower cases, then both are listed newest first and the employee sees neither', async () => {
      const older = await openCase();
      const newer = await openCase();
      const list = expectStatus(await as.secretariat.get('/cases?process=whistleblower&pageSize=100'), 200).body;
      const ids: string[] = list.items.map((i: any) => i.id);
      expect(ids).toContain(older.id);
      expect(ids).toContain(newer.id);
      expect(ids.indexOf(newer.id)).toBeLessThan(ids.indexOf(older.id));
      expect(list.items.every((i: any) => i.process === 'whistleblower')).toBe(true);
      const openedAts = list.items.map((i: any) => Date.parse(i.openedAt));
      expect(openedAts).toEqual([...openedAts].sort((a, b) => b - a));
      expect(list.items[ids.indexOf(newer.id)]).toMatchObject({ step: 'awaiting-jurist', status: 'open', deadlines: expect.any(Array) });
      expect(list.total).toBeGreaterThanOrEqual(2);

      const forEmployee = await listedFor('employee');
      expect(forEmployee).not.toContain(older.id);
      expect(forEmployee).not.toContain(newer.id);
    });

    it('given a case opened by a secretariat member who has since left the secretariat, when they read, act on or list cases, then 404 and it is not listed', async () => {
      const c = await caseAt('awaiting-jurist');
      await expectHiddenFrom('formerSecretariat', c.id);
      expectNoCase(await as.formerSecretariat.act(c.id, 'record-direktion-briefing', { occasion: 'reply' }), c.id);
      expect(await listedFor('formerSecretariat')).not.toContain(c.id);
    });

    it('given cases assigned to the jurist, to another jurist and to none, when the jurist lists whistleblower cases, then only the cases assigned to them are listed', async () => {
      const mine = await caseAt('drafting');
      const theirs = await act('arcLead', (await openCase()).id, 'assign-jurist', { juristId: PEOPLE.otherJurist.sub });
      const unassigned = await openCase();
      const listed = await listedFor('jurist');
      expect(listed).toContain(mine.id);
      expect(listed).not.toContain(theirs.id);
      expect(listed).not.toContain(unassigned.id);
      expect(await storedValues(listed, 'juristId')).toEqual([PEOPLE.jurist.sub]);
      expect(await listedFor('otherJurist')).toContain(theirs.id);
    });

    it("given cases of two handling units, when caseworkers list whistleblower cases, then each sees only their own unit's cases and a caseworker with no unit sees none", async () => {
      const north = await openCase();
      const south = await openCase({ handlingUnit: PEOPLE.otherUnitCaseworker.unit });

      const forNorth = await listedFor('caseworker');
      expect(forNorth).toContain(north.id);
      expect(forNorth).not.toContain(south.id);
      expect(await storedValues(forNorth, 'handlingUnit')).toEqual([HANDLING_UNIT]);

      const forSouth = await listedFor('otherUnitCaseworker');
      expect(forSouth).toContain(south.id);
      expect(forSouth).not.toContain(north.id);
      expect(await storedValues(forSouth, 'handlingUnit')).toEqual([PEOPLE.otherUnitCaseworker.unit]);

      const forUnitless = expectStatus(await as.unitlessCaseworker.get('/cases?process=whistleblower&pageSize=100'), 200).body;
      expect(forUnitless).toMatchObject({ items: [], total: 0 });
    });

    it('given an unknown process filter, when listing cases, then 400 names the field', async () => {
      const body = expectError(await as.secretariat.get('/cases?process=whistleblowing'), 400, 'Bad Request');
      expect(fieldsOf(body)).toContain('process');
    });
  });

  // ---------------------------------------------------------------------------------------
  // read log

  describe('read log', () => {
    it('given a case, when the direktion reads it, then one row naming the reader is added to the read log', async () => {
      const c = await caseAt('awaiting-jurist');
      const before = await readLog(c.id);
      const readAt = Date.now();
      expectStatus(await as.direktion.get(`/cases/${c.id}`), 200);
      const after = await readLog(c.id);
      expect(after).toHaveLength(before.length + 1);
      expect(after.slice(0, -1)).toEqual(before);
      const row = after[after.length - 1];
      expect(row).toMatchObject({ actor_sub: PEOPLE.direktion.sub, actor_name: PEOPLE.direktion.name });
      expect(row.at.getTime()).toBeGreaterThanOrEqual(readAt - 5_000);
      expect(row.at.getTime()).toBeLessThanOrEqual(Date.now() + 5_000);
    });

    it('given a new case, when it is opened and then acted on, then the case each answer returns is recorded as a read by that caller', async () => {
      const c = await openCase();
      expect((await readLog(c.id)).map((r) => r.actor_sub)).toEqual([PEOPLE.secretariat.sub]);
      await act('arcLead', c.id, 'assign-jurist', { juristId: PEOPLE.jurist.sub });
      expect((await readLog(c.id)).map((r) => r.actor_sub)).toEqual([PEOPLE.secretariat.sub, PEOPLE.arcLead.sub]);
    });

    it('given a case, when callers who may not read it try to read or act on it, then nothing is added to the read log', async () => {
      const c = await caseAt('drafting');
      const before = await readLog(c.id);
      expectNoCase(await as.employee.get(`/cases/${c.id}`), c.id);
      expectNoCase(await as.otherJurist.get(`/cases/${c.id}`), c.id);
      expectNoCase(await as.otherUnitCaseworker.act(c.id, 'submit-draft', { documentRef: 'DOK-9', summary: 'Udkast' }), c.id);
      expect(await readLog(c.id)).toEqual(before);
    });

    it('given reads recorded for a case, when someone tries to rewrite or delete them, then the database refuses (append-only)', async () => {
      const c = await openCase();
      const before = await readLog(c.id);
      expect(before).toHaveLength(1);
      await expect(service.db.query(`UPDATE case_read_log SET actor_sub = 'someone-else' WHERE case_id = $1`, [c.id])).rejects.toThrow(/append-only/);
      await expect(service.db.query('DELETE FROM case_read_log WHERE case_id = $1', [c.id])).rejects.toThrow(/append-only/);
      expect(await readLog(c.id)).toEqual(before);
    });
  });
});

/** The text of every payload of a history, decoded through the client's codec (the service's payload key). */
async function decodedPayloads(client: Client, history: unknown): Promise<string[]> {
  const payloads: Payload[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      if ('metadata' in v && 'data' in v && (v as Payload).data instanceof Uint8Array) payloads.push(v as Payload);
      else Object.values(v).forEach(walk);
    }
  };
  walk(history);
  let decoded = payloads;
  for (const codec of [...client.options.loadedDataConverter.payloadCodecs].reverse()) decoded = await codec.decode(decoded);
  return decoded.map((p) => Buffer.from(p.data ?? new Uint8Array()).toString('utf8'));
}
