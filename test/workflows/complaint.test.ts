import type { WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  type Actor,
  type ComplaintData,
  DEFAULT_POLICY,
  UNRECORDABLE_CASE_EVENT,
} from '@buf/domain';
import { type ComplaintStartInput, complaintWorkflow } from '@buf/workflows/complaint';
import { act, clockAt, dueAt, refusalOf, skipTo } from '../support/case-harness';
import { DAY, RecordedCase, createTimeSkippingEnv, createWorker, startInput } from '../support/time-skipping';

const klageenhed: Actor = { sub: 'ke-1', name: 'Karen Klageenhed', roles: ['klageenhed'] };
const registrar: Actor = { sub: 'cw-1', name: 'Carl Sagsbehandler', roles: ['caseworker'], unit: 'Skole Nord' };
const otherUnit: Actor = { sub: 'cw-2', name: 'Cecilie Sagsbehandler', roles: ['caseworker'], unit: 'Skole Syd' };
const employee: Actor = { sub: 'emp-1', name: 'Eva Ansat', roles: ['employee'] };

/** Complaint content that must never reach a notification. */
const SUBJECT = 'Forælder klager over manglende svar fra lærer om Anna Jensen';

describe('complaint workflow deadlines (time-skipping)', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
  });

  afterAll(async () => {
    await env?.teardown();
  });

  function complaint(receivedAt?: Date): ComplaintStartInput {
    return {
      channel: 'phone',
      area: 'nord',
      unit: 'Skole Nord',
      unitType: 'school',
      subject: SUBJECT,
      ...(receivedAt ? { receivedAt: receivedAt.toISOString() } : {}),
    };
  }

  interface Opened {
    handle: WorkflowHandle;
    openedAt: number;
    receivedAt: string;
    recorded: RecordedCase;
  }

  /** Opens a complaint on a task queue of its own and runs `fn` while a worker serves it. */
  /** `receivedAt`: when the complaint reached the administration, if before it is registered. */
  async function withComplaint(fn: (c: Opened) => Promise<void>, receivedAt?: string, historyLimit?: number): Promise<void> {
    const recorded = new RecordedCase();
    const taskQueue = `complaint-${Math.random().toString(36).slice(2)}`;
    const worker = await createWorker(env, recorded.activities, taskQueue);
    await worker.runUntil(async () => {
      const now = new Date(await env.currentTimeMs());
      const input = { ...startInput('complaint', registrar, complaint(receivedAt ? new Date(receivedAt) : undefined), now), ...(historyLimit ? { historyLimit } : {}) };
      const handle = await env.client.workflow.start(complaintWorkflow, { workflowId: input.caseId, taskQueue, args: [input] });
      await env.sleep(1_000);
      try {
        await fn({ handle, openedAt: now.getTime(), receivedAt: input.input.receivedAt ?? input.openedAt, recorded });
      } finally {
        if ((await handle.describe()).status.name === 'RUNNING') await handle.terminate('test done');
      }
    });
  }

  const data = (recorded: RecordedCase) => recorded.last().snapshot.data as unknown as ComplaintData;
  const deadline = (recorded: RecordedCase, name: string) => recorded.last().snapshot.deadlines.find((d) => d.name === name);

  it('given a registered complaint nobody acknowledges, when the acknowledgement working days pass, then the area chief is told and the case is overdue until it is acknowledged', async () => {
    // Received Monday 03.05.2027 10:00 CEST.
    await clockAt(env, Date.parse('2027-05-03T10:00:00+02:00'));
    await withComplaint(async ({ handle, recorded }) => {
      // By hand: Tue 4.5 (1), Wed 5.5 (2), Kristi himmelfartsdag 6.5 skipped, Fri 7.5 (3), Mon 10.5 (4), Tue 11.5 (5), to its end.
      expect(dueAt(recorded, 'acknowledgement')).toBe(Date.parse('2027-05-11T21:59:59.999Z')); // tirsdag 11.05.2027 kl. 23.59 (sommertid)
      expect(recorded.notifications('assignment')).toEqual([expect.objectContaining({ role: 'klageenhed' })]);

      await skipTo(env, Date.parse('2027-05-11T21:58:00Z')); // tirsdag 11.05.2027 kl. 23.58
      expect(recorded.actions()).toEqual(['opened']);
      expect(deadline(recorded, 'acknowledgement')).toMatchObject({ state: 'pending' });
      expect(recorded.last().snapshot.overdue).toBe(false);
      await skipTo(env, Date.parse('2027-05-11T22:01:00Z')); // onsdag 12.05.2027 kl. 00.01

      expect(recorded.actions()).toEqual(['opened', 'deadline-missed']);
      expect(recorded.notifications('escalation').map((n) => n.role)).toEqual(['area-chief']);
      expect(recorded.last().entry.note).toContain('Kvittering for modtagelse');
      expect(recorded.last().snapshot.overdue).toBe(true);
      expect(deadline(recorded, 'acknowledgement')).toMatchObject({ state: 'missed' });
      expect(JSON.stringify(recorded.events.map((e) => [e.notifications, e.entry.note]))).not.toContain('Anna');

      await act(handle, klageenhed, 'acknowledge', { note: 'Kvittering sendt pr. mail' });
      expect(recorded.last().snapshot.overdue).toBe(false);
      expect(deadline(recorded, 'acknowledgement')).toMatchObject({ state: 'missed', settledAt: expect.any(String) });
      expect(data(recorded).acknowledgedAt).toEqual(expect.any(String));
    });
  });

  it('given an acknowledged complaint still in handling, when the answer days pass, then the complaints unit is reminded before the deadline and the area chief is told at it', async () => {
    // Received Wednesday 20.10.2027 10:00 CEST; summer time ends on 31.10.2027.
    await clockAt(env, Date.parse('2027-10-20T10:00:00+02:00'));
    await withComplaint(async ({ handle, recorded }) => {
      await act(handle, klageenhed, 'acknowledge');
      await act(handle, klageenhed, 'classify', { category: 'conduct' });
      // By hand: 30 calendar days, to the end of Friday 19.11.2027 (CET).
      expect(dueAt(recorded, 'answer')).toBe(Date.parse('2027-11-19T22:59:59.999Z')); // fredag 19.11.2027 kl. 23.59 (vintertid)
      // 5 days before, at 08:00 Copenhagen: Sunday 14.11.2027 08:00 CET.

      await skipTo(env, Date.parse('2027-11-14T06:59:00Z')); // søndag 14.11.2027 kl. 07.59
      expect(recorded.notifications('reminder')).toHaveLength(0);
      await skipTo(env, Date.parse('2027-11-14T07:01:00Z')); // søndag 14.11.2027 kl. 08.01
      expect(recorded.notifications('reminder')).toEqual([expect.objectContaining({ role: 'klageenhed' })]);
      await skipTo(env, Date.parse('2027-11-19T22:58:00Z')); // fredag 19.11.2027 kl. 23.58
      expect(recorded.notifications('escalation')).toHaveLength(0);
      expect(deadline(recorded, 'answer')).toMatchObject({ state: 'pending' });
      expect(recorded.last().snapshot.overdue).toBe(false);
      await skipTo(env, Date.parse('2027-11-19T23:01:00Z')); // lørdag 20.11.2027 kl. 00.01

      expect(recorded.actions()).toEqual(['opened', 'acknowledge', 'classify', 'reminder', 'deadline-missed']);
      expect(recorded.notifications('escalation').map((n) => n.role)).toEqual(['area-chief']);
      expect(recorded.last().snapshot.overdue).toBe(true);
      expect(deadline(recorded, 'answer')).toMatchObject({ state: 'missed' });
      expect(deadline(recorded, 'acknowledgement')).toMatchObject({ state: 'met' });

      await act(handle, klageenhed, 'record-handling', { method: 'meeting', note: 'Møde med skoleleder og forælder' });
      await act(handle, klageenhed, 'answer', { lawfulHandling: 'partly', outcome: 'Delvist medhold', learningPoint: 'Svar forældre inden for en uge' });
      expect(recorded.last().snapshot).toMatchObject({ status: 'closed', step: 'closed', overdue: false });
      expect(deadline(recorded, 'answer')).toMatchObject({ state: 'missed', settledAt: expect.any(String) });
    });
  });

  it('given a complaint answered in time, when the deadlines pass, then nothing reminds or escalates and the statistics fields are on the case file', async () => {
    await withComplaint(async ({ handle, recorded }) => {
      await act(handle, klageenhed, 'classify', { category: 'case-handling' });
      await act(handle, registrar, 'record-handling', { method: 'dialogue', note: 'Dialog med enheden' });
      await act(handle, klageenhed, 'answer', { lawfulHandling: 'yes', outcome: 'Ikke medhold', learningPoint: 'Ingen' });
      await env.sleep(DEFAULT_POLICY.complaint.answerDays * DAY + DAY);

      expect(recorded.actions()).toEqual(['opened', 'classify', 'record-handling', 'answer']);
      expect(recorded.notifications('reminder')).toHaveLength(0);
      expect(recorded.notifications('escalation')).toHaveLength(0);
      expect(recorded.last().snapshot.deadlines.map((d) => [d.name, d.state])).toEqual([['acknowledgement', 'met'], ['answer', 'met']]);
      expect(data(recorded)).toMatchObject({
        area: 'nord',
        unit: 'Skole Nord',
        unitType: 'school',
        channel: 'phone',
        receivedAt: expect.any(String),
        category: 'case-handling',
        answeredAt: expect.any(String),
        lawfulHandling: 'yes',
        resolution: 'answered',
      });
    });
  });

  it('given a complaint received on Tuesday 21.12.2027 and registered on Monday 10.01.2028, when it is opened, then its deadlines count from receipt and the passed acknowledgement escalates at once', async () => {
    await clockAt(env, Date.parse('2028-01-10T10:00:00+01:00')); // mandag 10.01.2028 kl. 10.00
    await withComplaint(async ({ receivedAt, recorded }) => {
      expect(receivedAt).toBe('2027-12-21T09:00:00.000Z'); // tirsdag 21.12.2027 kl. 10.00
      // By hand: 5 working days from receipt: Wed 22.12 (1), Thu 23.12 (2), juleaftensdag 24.12,
      // the weekend with juledag and 2. juledag skipped, Mon 27.12 (3), Tue 28.12 (4), Wed 29.12 (5), to its end.
      expect(dueAt(recorded, 'acknowledgement')).toBe(Date.parse('2027-12-29T22:59:59.999Z')); // onsdag 29.12.2027 kl. 23.59
      // 30 calendar days from receipt: Thursday 20.01.2028, to its end.
      expect(dueAt(recorded, 'answer')).toBe(Date.parse('2028-01-20T22:59:59.999Z')); // torsdag 20.01.2028 kl. 23.59
      expect(recorded.actions()).toEqual(['opened', 'deadline-missed']);
      expect(recorded.notifications('escalation').map((n) => n.role)).toEqual(['area-chief']);
      expect(deadline(recorded, 'acknowledgement')).toMatchObject({ state: 'missed' });
      expect(deadline(recorded, 'answer')).toMatchObject({ state: 'pending' });
      expect(recorded.last().snapshot.overdue).toBe(true);
    }, '2027-12-21T10:00:00+01:00');
  });

  it('given a complaint found unclear on Tuesday 14.03.2028, when the citizen does not answer by the end of Tuesday 28.03.2028 (across the start of summer time), then the case closes by itself and says so in the journal', async () => {
    await clockAt(env, Date.parse('2028-03-14T10:00:00+01:00')); // tirsdag 14.03.2028 kl. 10.00 (vintertid)
    await withComplaint(async ({ handle, recorded }) => {
      await act(handle, klageenhed, 'acknowledge');
      await act(handle, klageenhed, 'classify', { category: 'unclear' });
      expect(recorded.last().snapshot.step).toBe('awaiting-citizen');
      // By hand: 14 calendar days from the question to the citizen on 14.03, to the end of the
      // 14th day in summer time (not 14 × 24 hours, which would end at 00.59 on 29.03).
      expect(dueAt(recorded, 'citizen-clarification')).toBe(Date.parse('2028-03-28T21:59:59.999Z')); // tirsdag 28.03.2028 kl. 23.59 (sommertid)

      await skipTo(env, Date.parse('2028-03-28T21:58:00Z')); // tirsdag 28.03.2028 kl. 23.58
      expect(recorded.last().snapshot.status).toBe('open');
      expect(recorded.actions()).toEqual(['opened', 'acknowledge', 'classify']);
      await skipTo(env, Date.parse('2028-03-28T22:01:00Z')); // onsdag 29.03.2028 kl. 00.01

      expect(recorded.actions()).toEqual(['opened', 'acknowledge', 'classify', 'closed-automatically']);
      expect(recorded.last().entry.actor.sub).toBe('system');
      expect(recorded.last().entry.note).toContain(`${DEFAULT_POLICY.complaint.citizenClarificationDays} dage`);
      expect(recorded.last().snapshot).toMatchObject({ status: 'closed', overdue: false });
      expect(data(recorded)).toMatchObject({ category: 'unclear', resolution: 'no-citizen-answer', closedAutomatically: true });
      expect(recorded.notifications('escalation')).toHaveLength(0);
      expect((await handle.describe()).status.name).toBe('COMPLETED');
    });
  });

  it('given an unclear complaint the citizen confirms, when it is classified again, then it cannot stay unclear, goes to handling and no longer closes by itself', async () => {
    await withComplaint(async ({ handle, recorded }) => {
      await act(handle, klageenhed, 'classify', { category: 'unclear' });
      await act(handle, klageenhed, 'record-citizen-answer', { answer: 'complaint' });
      expect(recorded.last().snapshot.step).toBe('registered');
      expect(deadline(recorded, 'citizen-clarification')).toMatchObject({ state: 'met' });

      const unclearAgain = await refusalOf(act(handle, klageenhed, 'classify', { category: 'unclear' }));
      expect(unclearAgain).toMatchObject({ type: 'InvalidInput', details: { fields: [expect.objectContaining({ field: 'category' })] } });
      await act(handle, klageenhed, 'classify', { category: 'service-level' });
      await env.sleep((DEFAULT_POLICY.complaint.citizenClarificationDays + 1) * DAY);

      expect(recorded.last().snapshot).toMatchObject({ step: 'handling', status: 'open' });
      expect(recorded.actions()).not.toContain('closed-automatically');
      expect(data(recorded).category).toBe('service-level');
    });
  });

  it('given a realitetsklage, when it is classified, then guidance is required, the case closes with it and no deadline reminds or escalates afterwards', async () => {
    await withComplaint(async ({ handle, recorded }) => {
      const unguided = await refusalOf(act(handle, klageenhed, 'classify', { category: 'realitetsklage' }));
      expect(unguided).toMatchObject({ type: 'InvalidInput', details: { fields: [expect.objectContaining({ field: 'guidance' })] } });
      const misplaced = await refusalOf(act(handle, klageenhed, 'classify', { category: 'conduct', guidance: 'Ankestyrelsen' }));
      expect(misplaced.details?.fields?.[0].field).toBe('guidance');

      await act(handle, klageenhed, 'classify', { category: 'realitetsklage', guidance: 'Ankestyrelsen' });
      expect(recorded.last().snapshot).toMatchObject({ status: 'closed', step: 'closed' });
      expect(recorded.last().entry.note).toContain('Ankestyrelsen');
      expect(data(recorded)).toMatchObject({ category: 'realitetsklage', guidance: 'Ankestyrelsen', resolution: 'guided-to-complaint-body' });
      await env.sleep(DEFAULT_POLICY.complaint.answerDays * DAY + DAY);

      expect(recorded.actions()).toEqual(['opened', 'classify']);
      expect(recorded.last().snapshot.deadlines.every((d) => d.state === 'met')).toBe(true);
    });
  });

  it('given the update validator, when the wrong role, the wrong person, the wrong step or a bad field is used, then it refuses with the matching type and records nothing', async () => {
    await withComplaint(async ({ handle, recorded }) => {
      expect(await refusalOf(act(handle, employee, 'classify', { category: 'conduct' }))).toMatchObject({ type: 'Forbidden' });
      expect(await refusalOf(act(handle, klageenhed, 'answer', { lawfulHandling: 'yes', outcome: 'x', learningPoint: 'y' }))).toMatchObject({
        type: 'NotAllowedInStep',
        details: { step: 'registered', allowedActions: ['acknowledge', 'classify'] },
      });
      expect(await refusalOf(act(handle, klageenhed, 'nonsense'))).toMatchObject({ type: 'NotFound' });

      await act(handle, klageenhed, 'acknowledge');
      const twice = await refusalOf(act(handle, klageenhed, 'acknowledge'));
      expect(twice).toMatchObject({ type: 'NotAllowedInStep', details: { allowedActions: ['classify'] } });
      expect(twice.message).toContain('already acknowledged');

      await act(handle, klageenhed, 'classify', { category: 'conduct' });
      const unhandled = await refusalOf(act(handle, klageenhed, 'answer', { lawfulHandling: 'no', outcome: 'Medhold', learningPoint: 'Bedre tone' }));
      expect(unhandled).toMatchObject({ type: 'NotAllowedInStep', details: { step: 'handling', allowedActions: ['record-handling'] } });
      expect(unhandled.message).toContain('record-handling');
      expect(await refusalOf(act(handle, otherUnit, 'record-handling', { method: 'dialogue', note: 'x' }))).toMatchObject({ type: 'Forbidden' });
      expect(await refusalOf(act(handle, klageenhed, 'record-handling', { method: 'phone', note: 'x' }))).toMatchObject({
        type: 'InvalidInput',
        details: { fields: [expect.objectContaining({ field: 'method' })] },
      });

      expect(recorded.actions()).toEqual(['opened', 'acknowledge', 'classify']);
    });
  });

  it('given a low history limit, when an unclear complaint goes unanswered, then the case continued as new without a second opening, the continued run re-armed the window and closes the case by itself, and only the first entry of each run carries the whole case', async () => {
    // Monday 12.06.2028 10:00 summer time (after the other clocks of this file: it only moves forward).
    await clockAt(env, Date.parse('2028-06-12T10:00:00+02:00'));
    await withComplaint(
      async ({ handle, recorded }) => {
        const firstRun = (await handle.describe()).runId;
        await act(handle, klageenhed, 'acknowledge');
        await act(handle, klageenhed, 'classify', { category: 'unclear' });
        // By hand: 14 calendar days from Monday 12.06.2028, to the end of Monday 26.06.2028 (summer time).
        const due = Date.parse('2028-06-26T21:59:59.999Z');
        expect(dueAt(recorded, 'citizen-clarification')).toBe(due);
        await skipTo(env, due - 60 * 60_000);
        expect((await handle.describe()).runId).not.toBe(firstRun);
        expect(recorded.last().snapshot.status).toBe('open');
        await skipTo(env, due + 60 * 60_000);

        expect(recorded.actions()).toEqual(['opened', 'acknowledge', 'classify', 'closed-automatically']);
        expect(recorded.notifications('escalation')).toHaveLength(0);
        expect(data(recorded)).toMatchObject({ resolution: 'no-citizen-answer', closedAutomatically: true });
        expect((await handle.describe()).status.name).toBe('COMPLETED');
        // The first entry of the first run, and of the continued one, carry the whole snapshot; the others what changed.
        // (With this limit the run continues as new after the acknowledgement.)
        expect(recorded.received.map((e) => (e.snapshot ? 'whole' : 'changes'))).toEqual(['whole', 'changes', 'whole', 'changes']);
        expect(recorded.received[3].changes).toContainEqual({ op: 'set', path: ['status'], value: 'closed' });
        expect(recorded.received[3].changes?.map((c) => c.path.join('.'))).not.toContain('data.subject');
      },
      undefined,
      25,
    );
  });

  it('given an entry the store refuses for good, when the next one is recorded, then it carries the whole snapshot and never waits for the refused one', async () => {
    const recorded = new RecordedCase();
    const taskQueue = `complaint-${Math.random().toString(36).slice(2)}`;
    const refusing = {
      recordCaseEvent: async (event: Parameters<RecordedCase['activities']['recordCaseEvent']>[0]) => {
        if (event.entry.action === 'acknowledge') throw ApplicationFailure.create({ type: UNRECORDABLE_CASE_EVENT, message: 'refused by the database', nonRetryable: true });
        await recorded.activities.recordCaseEvent(event);
      },
    };
    const worker = await createWorker(env, refusing, taskQueue);
    await worker.runUntil(async () => {
      const input = startInput('complaint', registrar, complaint(), new Date(await env.currentTimeMs()));
      const handle = await env.client.workflow.start(complaintWorkflow, { workflowId: input.caseId, taskQueue, args: [input] });
      try {
        await expect(act(handle, klageenhed, 'acknowledge')).rejects.toThrow();
        await act(handle, klageenhed, 'classify', { category: 'conduct' });
        expect(recorded.received.map((e) => [e.entry.seq, e.entry.action, e.snapshot ? 'whole' : 'changes'])).toEqual([
          [1, 'opened', 'whole'],
          [3, 'classify', 'whole'],
        ]);
      } finally {
        await handle.terminate('test done');
      }
    });
  });
});
