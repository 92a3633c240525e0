import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  type Actor,
  BULLYING_COMPLAINANT_REMARKS,
  BULLYING_REQUIRED_DOCUMENTS,
  BULLYING_RESPONSE_DAYS,
  type BullyingComplaintData,
} from '@buf/domain';
import { type BullyingComplaintStartInput, bullyingComplaintWorkflow } from '@buf/workflows/bullying-complaint';
import { act, clockAt, dueAt, refusalOf, skipTo } from '../support/case-harness';
import { DAY, HOUR, RecordedCase, createTimeSkippingEnv, createWorker, startInput } from '../support/time-skipping';

const fagligtCenter: Actor = { sub: 'fc-1', name: 'Frida Fagligt Center', roles: ['fagligt-center'] };
const fromTheSchool: Actor = { sub: 'fc-2', name: 'Finn Fagligt Center', roles: ['fagligt-center'], unit: 'Skole Vest' };
const klageenhed: Actor = { sub: 'ke-1', name: 'Karen Klageenhed', roles: ['klageenhed'] };

describe('bullying-complaint workflow deadlines (time-skipping)', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
  });

  afterAll(async () => {
    await env?.teardown();
  });

  interface Opened {
    handle: WorkflowHandle;
    receivedAt: string;
    recorded: RecordedCase;
  }

  /** Opens a bullying complaint on a task queue of its own and runs `fn` while a worker serves it. */
  async function withComplaint(fn: (c: Opened) => Promise<void>, overrides: Partial<BullyingComplaintStartInput> = {}): Promise<void> {
    const recorded = new RecordedCase();
    const taskQueue = `bullying-${Math.random().toString(36).slice(2)}`;
    const worker = await createWorker(env, recorded.activities, taskQueue);
    await worker.runUntil(async () => {
      const now = new Date(await env.currentTimeMs());
      const complaint: BullyingComplaintStartInput = {
        school: 'Skole Vest',
        area: 'vest',
        complainant: 'parent',
        handledLocallyFirst: 'yes',
        grounds: ['no-action-plan', 'no-temporary-measures'],
        ...overrides,
      };
      const input = startInput('bullying-complaint', fagligtCenter, complaint, now);
      const handle = await env.client.workflow.start(bullyingComplaintWorkflow, { workflowId: input.caseId, taskQueue, args: [input] });
      await env.sleep(1_000);
      try {
        await fn({ handle, receivedAt: input.openedAt, recorded });
      } finally {
        if ((await handle.describe()).status.name === 'RUNNING') await handle.terminate('test done');
      }
    });
  }

  const data = (recorded: RecordedCase) => recorded.last().snapshot.data as unknown as BullyingComplaintData;
  const deadline = (recorded: RecordedCase, name: string) => recorded.last().snapshot.deadlines.find((d) => d.name === name);
  /**
   * A deadline's one reminder to Fagligt Center and its escalation to Fagligt Center and the area
   * chief, each checked just before and just after its hand-written instant.
   */
  async function expectRemindedThenEscalated(recorded: RecordedCase, reminder: [before: string, after: string], due: [before: string, after: string]): Promise<void> {
    await skipTo(env, Date.parse(reminder[0]));
    expect(recorded.notifications('reminder')).toHaveLength(0);
    await skipTo(env, Date.parse(reminder[1]));
    expect(recorded.notifications('reminder').map((n) => n.role)).toEqual(['fagligt-center']);
    await skipTo(env, Date.parse(due[0]));
    expect(recorded.notifications('escalation')).toHaveLength(0);
    await skipTo(env, Date.parse(due[1]));
    expect(recorded.notifications('escalation').map((n) => n.role).sort()).toEqual(['area-chief', 'fagligt-center']);
    expect(recorded.last().snapshot.overdue).toBe(true);
  }

  const admit = (handle: WorkflowHandle) => act(handle, fagligtCenter, 'assess-admissibility', { admissible: 'yes', reason: 'Behandlet lokalt af skolen' });

  // The clock only moves forward within this file: these tests run first, from December 2026 on.

  it('given a complaint dismissed without assessment, when the complainant is silent for 20 calendar days, then the case moves to forwarding, which is reminded on the morning of the next working day after Christmas and escalates at its end', async () => {
    // Received and dismissed Friday 04.12.2026 10:00 (vintertid).
    await clockAt(env, Date.parse('2026-12-04T10:00:00+01:00'));
    await withComplaint(async ({ handle, recorded }) => {
      await act(handle, fagligtCenter, 'assess-admissibility', { admissible: 'no', reason: 'Eleven gik ikke på skolen, da der blev klaget' });
      expect(recorded.last().snapshot).toMatchObject({ status: 'open', step: 'awaiting-response' });
      expect(data(recorded).resolution).toBe('inadmissible');
      expect(deadline(recorded, 'decision')).toMatchObject({ state: 'met', settledAt: expect.any(String) });
      // By hand: 20 calendar days after fredag 04.12.2026 is torsdag 24.12.2026 (juleaftensdag
      // counts: calendar days), to its end: 23.59 vintertid.
      expect(deadline(recorded, 'complainant-response')?.dueAt).toBe('2026-12-24T22:59:59.999Z');
      expect(deadline(recorded, 'complainant-response')?.explanation).toBe('20 kalenderdage fra afgørelsen fredag 04.12.2026: senest torsdag 24.12.2026 kl. 23.59');
      expect(recorded.last().entry.note).toContain('afvist');

      await skipTo(env, Date.parse('2026-12-24T22:00:00Z')); // torsdag 24.12.2026 kl. 23.00
      expect(recorded.last().snapshot.step).toBe('awaiting-response');
      await skipTo(env, Date.parse('2026-12-25T00:00:00Z')); // fredag 25.12.2026 kl. 01.00
      expect(recorded.actions()).toEqual(['opened', 'assess-admissibility', 'complainant-response-window-passed']);
      expect(recorded.last().snapshot.step).toBe('forward-to-national-body');
      expect(data(recorded).forwardReason).toBe('no-response');

      // By hand: forwarding starts at the first instant after the window, fredag 25.12.2026 00.00
      // (juledag); 1 working day after it: 2. juledag falls on Saturday, so mandag 28.12.2026, to
      // its end (vintertid). Reminder at 08.00 that morning.
      expect(deadline(recorded, 'forwarding')).toMatchObject({
        state: 'pending',
        from: '2026-12-24T23:00:00.000Z', // fredag 25.12.2026 kl. 00.00
        dueAt: '2026-12-28T22:59:59.999Z', // mandag 28.12.2026 kl. 23.59
        basis: 'Politik (bullyingComplaint.forwardWorkingDays)',
      });
      expect(deadline(recorded, 'forwarding')?.explanation).toBe('1 arbejdsdage fra videresendelsens start fredag 25.12.2026: senest mandag 28.12.2026 kl. 23.59');
      await expectRemindedThenEscalated(
        recorded,
        ['2026-12-28T06:00:00Z', '2026-12-28T08:00:00Z'], // mandag 28.12.2026 kl. 07.00 and 09.00
        ['2026-12-28T22:00:00Z', '2026-12-29T00:00:00Z'], // mandag 28.12.2026 kl. 23.00, tirsdag 29.12.2026 kl. 01.00
      );
      expect(recorded.actions()).toEqual(['opened', 'assess-admissibility', 'complainant-response-window-passed', 'reminder', 'deadline-missed']);

      // A silent complainant made no remarks: the required documents suffice.
      await act(handle, fagligtCenter, 'forward', { reference: 'DCUM-2026-1', documents: [...BULLYING_REQUIRED_DOCUMENTS] });
      expect(recorded.last().snapshot).toMatchObject({ status: 'closed', overdue: false });
      expect(deadline(recorded, 'forwarding')).toMatchObject({ state: 'missed', settledAt: expect.any(String) });
      expect(data(recorded).resolution).toBe('forwarded');
    });
  });

  it('given a rejection on 09.03.2027, when the complainant is dissatisfied on skærtorsdag, then the window ran to the end of the 20th day in summer time and the forwarding is due at the end of the first working day after Easter, with the complainant\'s remarks', async () => {
    // Received and decided Tuesday 09.03.2027 10:00 (vintertid).
    await clockAt(env, Date.parse('2027-03-09T10:00:00+01:00'));
    await withComplaint(async ({ handle, recorded }) => {
      await admit(handle);
      await act(handle, fagligtCenter, 'decide', { outcome: 'rejected', reasoning: 'Skolen har handlet' });
      // By hand: 20 calendar days after 09.03.2027 is mandag 29.03.2027 (2. påskedag; calendar
      // days), to its end in summer time (from søndag 28.03.2027).
      expect(deadline(recorded, 'complainant-response')?.dueAt).toBe('2027-03-29T21:59:59.999Z');
      expect(await refusalOf(act(handle, fagligtCenter, 'register-action-plan', { madeAt: '2027-03-09T09:00:00+01:00' }))).toMatchObject({ type: 'NotAllowedInStep' });

      await skipTo(env, Date.parse('2027-03-25T10:00:00+01:00')); // skærtorsdag 25.03.2027 kl. 10.00
      await act(handle, fagligtCenter, 'register-response', { satisfied: 'no' });
      // By hand: 1 working day from torsdag 25.03.2027: langfredag, the weekend and 2. påskedag
      // skipped, so tirsdag 30.03.2027 to its end (sommertid); reminder at 08.00 that morning.
      expect(deadline(recorded, 'forwarding')).toMatchObject({ state: 'pending', dueAt: '2027-03-30T21:59:59.999Z' });
      expect(deadline(recorded, 'forwarding')?.explanation).toBe('1 arbejdsdage fra videresendelsens start torsdag 25.03.2027 (langfredag og 2. påskedag springes over): senest tirsdag 30.03.2027 kl. 23.59');
      await skipTo(env, Date.parse('2027-03-30T05:00:00Z')); // tirsdag 30.03.2027 kl. 07.00
      expect(recorded.notifications('reminder')).toHaveLength(0);
      await skipTo(env, Date.parse('2027-03-30T07:00:00Z')); // tirsdag 30.03.2027 kl. 09.00
      expect(recorded.notifications('reminder').map((n) => n.role)).toEqual(['fagligt-center']);
      expect(recorded.actions()).toEqual(['opened', 'assess-admissibility', 'decide', 'register-response', 'reminder']);

      // The complainant's remarks are required with a dissatisfied complainant (bekendtgørelsens § 5).
      const withoutRemarks = await refusalOf(act(handle, fagligtCenter, 'forward', { reference: 'DCUM-2027-3', documents: [...BULLYING_REQUIRED_DOCUMENTS] }));
      expect(withoutRemarks).toMatchObject({ type: 'InvalidInput', details: { fields: [expect.objectContaining({ field: 'documents' })] } });
      expect(withoutRemarks.message).toContain(BULLYING_COMPLAINANT_REMARKS);
      await act(handle, fagligtCenter, 'forward', { reference: 'DCUM-2027-3', documents: [...BULLYING_REQUIRED_DOCUMENTS, BULLYING_COMPLAINANT_REMARKS] });
      expect(recorded.last().snapshot).toMatchObject({ status: 'closed', overdue: false });
      expect(deadline(recorded, 'forwarding')?.state).toBe('met');
      expect(recorded.notifications('escalation')).toHaveLength(0);
    });
  });

  it('given a decision upheld that establishes bullying on 29.04.2027, when the school\'s action plan is not registered within 10 working days, then Fagligt Center is reminded, Fagligt Center and the area chief are told at the end of the 10th, and the case closes only once it is registered', async () => {
    // Decided Thursday 29.04.2027 10:00 (sommertid).
    await clockAt(env, Date.parse('2027-04-29T10:00:00+02:00'));
    await withComplaint(async ({ handle, recorded }) => {
      await admit(handle);
      await act(handle, fagligtCenter, 'decide', {
        outcome: 'upheld',
        reasoning: 'Mobning konstateret; ingen handleplan',
        schoolMustActBy: '2027-05-14',
        bullyingEstablished: 'yes',
      });
      expect(recorded.last().snapshot.step).toBe('ready-to-close');
      // By hand: fre 30.04 (1), man 03.05 (2), tir 04.05 (3), ons 05.05 (4), Kristi himmelfartsdag
      // tor 06.05 skipped, fre 07.05 (5), 10.05–14.05 (6–10): fredag 14.05.2027 to its end (sommertid).
      expect(deadline(recorded, 'action-plan')).toMatchObject({ state: 'pending', dueAt: '2027-05-14T21:59:59.999Z', basis: expect.stringContaining('§ 1 c') });
      expect(deadline(recorded, 'action-plan')?.explanation).toBe(
        '10 arbejdsdage fra konstateringen af mobning torsdag 29.04.2027 (Kristi himmelfartsdag springes over): senest fredag 14.05.2027 kl. 23.59',
      );
      const early = await refusalOf(act(handle, fagligtCenter, 'close'));
      expect(early).toMatchObject({ type: 'NotAllowedInStep', details: { step: 'ready-to-close', allowedActions: ['register-action-plan'] } });
      expect(early.message).toContain('register-action-plan');

      // Reminder 2 days before it is due: onsdag 12.05.2027 kl. 08.00 (sommertid).
      await expectRemindedThenEscalated(
        recorded,
        ['2027-05-12T05:00:00Z', '2027-05-12T07:00:00Z'], // onsdag 12.05.2027 kl. 07.00 and 09.00
        ['2027-05-14T21:00:00Z', '2027-05-14T23:00:00Z'], // fredag 14.05.2027 kl. 23.00, lørdag 15.05.2027 kl. 01.00
      );
      expect(recorded.actions()).toEqual(['opened', 'assess-admissibility', 'decide', 'reminder', 'deadline-missed']);

      await act(handle, fagligtCenter, 'register-action-plan', { madeAt: '2027-05-14T15:00:00+02:00', note: 'Handleplan modtaget' });
      expect(recorded.last().snapshot.overdue).toBe(false);
      expect(deadline(recorded, 'action-plan')).toMatchObject({ state: 'missed', settledAt: expect.any(String) });
      expect(data(recorded).actionPlan).toMatchObject({ madeAt: '2027-05-14T13:00:00.000Z' });
      await act(handle, fagligtCenter, 'close');
      expect(recorded.last().snapshot.status).toBe('closed');
    });
  });

  it('given a partly upheld decision that establishes bullying on 22.10.2027, when the dissatisfied complainant\'s case is forwarded before the action plan, then it stays open until the plan is registered; the plan and the window cross the end of summer time', async () => {
    // Decided Friday 22.10.2027 10:00 (sommertid; vintertid from søndag 31.10.2027).
    await clockAt(env, Date.parse('2027-10-22T10:00:00+02:00'));
    await withComplaint(async ({ handle, recorded }) => {
      await admit(handle);
      await act(handle, fagligtCenter, 'decide', { outcome: 'partly-upheld', reasoning: 'Mobning konstateret', bullyingEstablished: 'yes' });
      // By hand: 25.10–29.10 (1–5), 01.11–05.11 (6–10): fredag 05.11.2027 to its end (vintertid).
      expect(deadline(recorded, 'action-plan')?.dueAt).toBe('2027-11-05T22:59:59.999Z');
      // By hand: 20 calendar days after 22.10.2027: torsdag 11.11.2027 to its end (vintertid).
      expect(deadline(recorded, 'complainant-response')?.dueAt).toBe('2027-11-11T22:59:59.999Z');

      await act(handle, fagligtCenter, 'register-response', { satisfied: 'no' });
      // By hand: 1 working day from fredag 22.10.2027: mandag 25.10.2027 to its end (sommertid).
      expect(deadline(recorded, 'forwarding')?.dueAt).toBe('2027-10-25T21:59:59.999Z');
      await act(handle, fagligtCenter, 'forward', { reference: 'DCUM-2027-10', documents: [...BULLYING_REQUIRED_DOCUMENTS, BULLYING_COMPLAINANT_REMARKS] });
      expect(recorded.last().snapshot).toMatchObject({ status: 'open', step: 'ready-to-close' });
      expect(data(recorded).resolution).toBe('forwarded');
      expect(deadline(recorded, 'forwarding')?.state).toBe('met');
      expect(deadline(recorded, 'action-plan')?.state).toBe('pending');

      await act(handle, fagligtCenter, 'register-action-plan', { madeAt: new Date((await env.currentTimeMs()) - HOUR).toISOString() });
      expect(deadline(recorded, 'action-plan')?.state).toBe('met');
      await act(handle, fagligtCenter, 'close');
      expect(recorded.last().snapshot.status).toBe('closed');
      expect(recorded.notifications('escalation')).toHaveLength(0);
    });
  });

  it('given a received complaint, when no decision is made within 20 working days of receipt, then Fagligt Center and the area chief are told and the case is overdue until the decision', async () => {
    // Received Monday 29.11.2027 10:00 CET.
    await clockAt(env, Date.parse('2027-11-29T10:00:00+01:00'));
    await withComplaint(async ({ handle, recorded }) => {
      // By hand: Tue 30.11 (1) … Thu 23.12 (18), juleaftensdag Fri 24.12 skipped (juledag and
      // 2. juledag fall on the weekend), Mon 27.12 (19), Tue 28.12 (20), to its end (CET).
      const due = Date.parse('2027-12-28T22:59:59.999Z');
      expect(dueAt(recorded, 'decision')).toBe(due);
      expect(deadline(recorded, 'decision')?.explanation).toBe(
        '20 arbejdsdage fra modtagelsen mandag 29.11.2027 (juleaftensdag springes over): senest tirsdag 28.12.2027 kl. 23.59',
      );
      await admit(handle);

      await skipTo(env, due - HOUR);
      expect(recorded.notifications('escalation')).toHaveLength(0);
      await skipTo(env, due + HOUR);

      expect(recorded.actions()).toEqual(['opened', 'assess-admissibility', 'deadline-missed']);
      expect(recorded.notifications('escalation').map((n) => n.role).sort()).toEqual(['area-chief', 'fagligt-center']);
      expect(recorded.last().snapshot.overdue).toBe(true);

      await act(handle, fagligtCenter, 'decide', { outcome: 'rejected', reasoning: 'Skolen har handlet' });
      expect(recorded.last().snapshot).toMatchObject({ step: 'awaiting-response', overdue: false });
      expect(deadline(recorded, 'decision')).toMatchObject({ state: 'missed', settledAt: expect.any(String) });
    });
  });

  it('given a decision partly upheld, when the complainant is silent for 20 days, then the case moves at once to forwarding and is forwarded only with every required document', async () => {
    // Decided Tuesday 01.02.2028 in the morning.
    await clockAt(env, Date.parse('2028-02-01T10:00:00+01:00'));
    await withComplaint(async ({ handle, recorded }) => {
      await admit(handle);
      await act(handle, fagligtCenter, 'decide', { outcome: 'partly-upheld', reasoning: 'Handleplan mangler', schoolMustActBy: new Date((await env.currentTimeMs()) + 14 * DAY).toISOString() });
      const due = dueAt(recorded, 'complainant-response');
      // By hand: 20 calendar days after 01.02.2028, to the end of Monday 21.02.2028 (CET).
      expect(new Date(due).toISOString()).toBe('2028-02-21T22:59:59.999Z');

      await skipTo(env, due - HOUR);
      expect(recorded.last().snapshot.step).toBe('awaiting-response');
      await skipTo(env, due + HOUR);

      expect(recorded.actions()).toEqual(['opened', 'assess-admissibility', 'decide', 'complainant-response-window-passed']);
      expect(recorded.last().snapshot).toMatchObject({ step: 'forward-to-national-body', overdue: false });
      expect(recorded.last().notifications).toEqual([expect.objectContaining({ role: 'fagligt-center', kind: 'assignment' })]);
      expect(data(recorded).forwardReason).toBe('no-response');
      expect(await refusalOf(act(handle, fagligtCenter, 'register-response', { satisfied: 'no' }))).toMatchObject({
        type: 'NotAllowedInStep',
        details: { step: 'forward-to-national-body', allowedActions: ['forward'] },
      });

      const incomplete = await refusalOf(act(handle, fagligtCenter, 'forward', { reference: 'DCUM-1', documents: BULLYING_REQUIRED_DOCUMENTS.filter((d) => d !== 'wellbeing-survey') }));
      expect(incomplete).toMatchObject({ type: 'InvalidInput', details: { fields: [expect.objectContaining({ field: 'documents' })] } });
      expect(incomplete.message).toContain('wellbeing-survey');
      await act(handle, fagligtCenter, 'forward', { reference: 'DCUM-1', documents: [...BULLYING_REQUIRED_DOCUMENTS, 'action-plan'] });
      expect(recorded.last().snapshot).toMatchObject({ status: 'closed', step: 'closed' });
      expect(data(recorded)).toMatchObject({ resolution: 'forwarded', forwarding: { reference: 'DCUM-1' } });
    });
  });

  it('given a rejected complaint, when the complainant is dissatisfied, then it goes to forwarding at once, the 20 days passing change nothing and the forwarding not made escalates', async () => {
    await withComplaint(async ({ handle, recorded }) => {
      await admit(handle);
      await act(handle, fagligtCenter, 'decide', { outcome: 'rejected', reasoning: 'Strategi og handleplan findes' });
      await act(handle, fagligtCenter, 'register-response', { satisfied: 'no' });
      expect(recorded.last().snapshot.step).toBe('forward-to-national-body');
      expect(recorded.last().notifications).toEqual([expect.objectContaining({ role: 'fagligt-center', kind: 'assignment' })]);
      expect(deadline(recorded, 'complainant-response')).toMatchObject({ state: 'met' });

      expect(deadline(recorded, 'forwarding')?.state).toBe('pending');

      await env.sleep((BULLYING_RESPONSE_DAYS + 1) * DAY);
      // The window passing adds nothing; the forwarding not made at once is reminded and escalated.
      expect(recorded.actions()).toEqual(['opened', 'assess-admissibility', 'decide', 'register-response', 'reminder', 'deadline-missed']);
      expect(recorded.notifications('escalation').map((n) => n.role).sort()).toEqual(['area-chief', 'fagligt-center']);
      expect(data(recorded).forwardReason).toBe('dissatisfied');
    });
  });

  it('given a partly upheld complaint, when the complainant is satisfied, then it is never forwarded and can be closed', async () => {
    await withComplaint(async ({ handle, recorded }) => {
      await admit(handle);
      await act(handle, fagligtCenter, 'decide', { outcome: 'partly-upheld', reasoning: 'Midlertidige tiltag manglede' });
      await act(handle, fagligtCenter, 'register-response', { satisfied: 'yes' });
      await env.sleep((BULLYING_RESPONSE_DAYS + 1) * DAY);

      expect(recorded.last().snapshot.step).toBe('ready-to-close');
      expect(recorded.actions()).not.toContain('complainant-response-window-passed');
      await act(handle, fagligtCenter, 'close', { note: 'Klager tilfreds' });
      expect(recorded.last().snapshot.status).toBe('closed');
      expect(data(recorded)).toMatchObject({ resolution: 'accepted', response: { satisfied: 'yes' } });
    });
  });

  it('given a complaint upheld in full, when it is decided, then the school must be given a future date to act by and no response window opens', async () => {
    await withComplaint(async ({ handle, recorded }) => {
      await admit(handle);
      const now = await env.currentTimeMs();
      const decide = (input: Record<string, unknown>) => refusalOf(act(handle, fagligtCenter, 'decide', input));
      expect((await decide({ outcome: 'upheld', reasoning: 'Ingen handleplan' })).details?.fields?.[0].field).toBe('schoolMustActBy');
      expect((await decide({ outcome: 'upheld', reasoning: 'Ingen handleplan', schoolMustActBy: new Date(now - DAY).toISOString() })).details?.fields?.[0].field).toBe('schoolMustActBy');
      expect((await decide({ outcome: 'rejected', reasoning: 'x', schoolMustActBy: new Date(now + DAY).toISOString() })).details?.fields?.[0].field).toBe('schoolMustActBy');

      await act(handle, fagligtCenter, 'decide', { outcome: 'upheld', reasoning: 'Ingen handleplan', schoolMustActBy: new Date(now + 10 * DAY).toISOString() });
      expect(recorded.last().snapshot.step).toBe('ready-to-close');
      expect(recorded.last().snapshot.deadlines.map((d) => [d.name, d.state])).toEqual([['decision', 'met']]);
      await act(handle, fagligtCenter, 'close');
      expect(recorded.last().snapshot.status).toBe('closed');
      expect(data(recorded)).toMatchObject({ resolution: 'upheld', decision: { outcome: 'upheld', schoolMustActBy: expect.any(String) } });
    });
  });

  it('given a complaint the school has not handled locally, when admissibility is assessed, then it cannot be admitted, is returned to the school and nothing escalates later', async () => {
    await withComplaint(
      async ({ handle, recorded }) => {
        const admitted = await refusalOf(admit(handle));
        expect(admitted).toMatchObject({ type: 'InvalidInput', details: { fields: [expect.objectContaining({ field: 'admissible' })] } });
        await act(handle, fagligtCenter, 'assess-admissibility', { admissible: 'no', reason: 'Ikke behandlet på skolen' });
        expect(recorded.last().snapshot).toMatchObject({ status: 'closed', step: 'closed' });
        expect(recorded.last().entry.note).toContain('sendt tilbage til skolen');
        expect(data(recorded).resolution).toBe('returned-to-school');

        await env.sleep(30 * DAY);
        expect(recorded.actions()).toEqual(['opened', 'assess-admissibility']);
        expect(recorded.notifications('escalation')).toHaveLength(0);
      },
      { handledLocallyFirst: 'no' },
    );
  });

  it('given the update validator, when the wrong role, someone from the school itself or the wrong step acts, then it refuses with Forbidden or NotAllowedInStep and records nothing', async () => {
    await withComplaint(async ({ handle, recorded }) => {
      expect(await refusalOf(act(handle, klageenhed, 'assess-admissibility', { admissible: 'yes', reason: 'x' }))).toMatchObject({ type: 'Forbidden' });
      const disqualified = await refusalOf(act(handle, fromTheSchool, 'assess-admissibility', { admissible: 'yes', reason: 'x' }));
      expect(disqualified.type).toBe('Forbidden');
      expect(disqualified.message).toContain('forvaltningsloven § 3');
      expect(await refusalOf(act(handle, fagligtCenter, 'decide', { outcome: 'rejected', reasoning: 'x' }))).toMatchObject({
        type: 'NotAllowedInStep',
        details: { step: 'received', allowedActions: ['assess-admissibility'] },
      });
      expect(recorded.actions()).toEqual(['opened']);
    });
  });
});
