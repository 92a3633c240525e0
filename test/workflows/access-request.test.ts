import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  type AccessRequestData,
  type Actor,
  type CaseErrorDetails,
  type CaseSnapshot,
  DEFAULT_POLICY,
  type TakeActionArgs,
} from '@buf/domain';
import { type AccessRequestStartInput, accessRequestWorkflow } from '@buf/workflows/access-request';
import { caseOpenedUpdate, takeActionUpdate } from '@buf/workflows/messages';
import { DAY, HOUR, RecordedCase, createTimeSkippingEnv, createWorker, startInput } from '../support/time-skipping';
import { CaseUnderTest, act, clockAt, skipTo as skipToInstant } from '../support/case-harness';
import { copenhagenWeekdayAndTime } from '../support/copenhagen-clock';

const MINUTE = 60_000;

/** A journal entry made by a timer: at the hand-worked instant, or within the second the test server takes to deliver it. */
function expectAt(recordedAt: string | undefined, instant: string): void {
  const late = Date.parse(recordedAt ?? '') - Date.parse(instant);
  expect(late).toBeGreaterThanOrEqual(0);
  expect(late).toBeLessThan(1_000);
}
const jurist: Actor = { sub: 'jur-5', name: 'Jonna Jurist', roles: ['jurist'] };
const arcLead: Actor = { sub: 'arc-5', name: 'Arne ARC', roles: ['arc-lead'] };
const caseworker: Actor = { sub: 'cw-5', name: 'Carla Sagsbehandler', roles: ['caseworker'] };

type Snapshot = CaseSnapshot<AccessRequestData>;

describe('access-request workflow (time-skipping)', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
  });

  afterAll(async () => {
    await env?.teardown();
  });

  const now = () => env.currentTimeMs();

  // The shared helper, bound to this file's test server.
  const skipTo = (instant: number) => skipToInstant(env, instant);

  class Case extends CaseUnderTest<Snapshot, WorkflowHandle<typeof accessRequestWorkflow>> {
    taskQueue = '';

    act(action: string, input: TakeActionArgs['input'] = {}, actor: Actor = jurist): Promise<void> {
      return act(this.handle, actor, action, input);
    }

    /** Refused by the validator: no journal entry, no change of state; returns the failure. */
    async expectRefused(action: string, input: TakeActionArgs['input'], type: string, actor: Actor = jurist): Promise<ApplicationFailure> {
      return this.refusedWithoutTrace(() => this.act(action, input, actor), type);
    }

    async toAssessment(): Promise<void> {
      await this.act('request-documents', { fromUnit: 'Område Nord' });
      await this.act('register-documents', { count: 4 });
    }

    decide(outcome: 'full' | 'partial' | 'refused' = 'partial'): Promise<void> {
      return this.act('decide', {
        outcome,
        ...(outcome === 'full' ? {} : { legalGrounds: 'Offentlighedsloven § 30, nr. 1' }),
        complaintGuidance: 'Klagevejledning efter offentlighedsloven § 37',
      });
    }
  }

  /** One case on its own task queue and worker, opened at the current test-server time. */
  async function withCase(body: (open: (receivedAt?: number) => Promise<Case>) => Promise<void>): Promise<void> {
    const recorded = new RecordedCase();
    const taskQueue = `access-request-${randomUUID().slice(0, 8)}`;
    const worker = await createWorker(env, recorded.activities, taskQueue);
    let opened: Case | undefined;
    const open = async (receivedAt?: number): Promise<Case> => {
      const t = await now();
      const input: AccessRequestStartInput = {
        receivedAt: new Date(receivedAt ?? t).toISOString(),
        requester: 'Journalist på dagblad',
        requesterType: 'journalist',
        request: 'Korrespondance om skolesammenlægning',
        area: 'nord',
      };
      const args = startInput('access-request', jurist, input, new Date(t));
      const handle = await env.client.workflow.start(accessRequestWorkflow, { workflowId: args.caseId, taskQueue, args: [args] });
      await handle.executeUpdate(caseOpenedUpdate);
      opened = new Case(handle, recorded);
      opened.taskQueue = taskQueue;
      return opened;
    };
    await worker.runUntil(async () => {
      try {
        await body(open);
      } finally {
        if (opened && (await opened.handle.describe()).status.name === 'RUNNING') await opened.handle.terminate('test done');
      }
    });
  }

  describe('the 7 working days of Offentlighedsloven § 36(2)', () => {
    it('given a request received now, when 7 working days pass without a decision, then the jurist is reminded that morning, the ARC lead is alerted at the end of the day, the case is overdue and the decision waits for the deadline letter', async () => {
      await withCase(async (open) => {
        // Tuesday 23.03.2027 10:00 CET, the week before Easter.
        const received = Date.parse('2027-03-23T10:00:00+01:00');
        await clockAt(env, received);
        const c = await open(received);
        const due = Date.parse(c.deadline('decision').dueAt);
        // By hand: Wed 24.3 (1); skærtorsdag 25.3, langfredag 26.3, the weekend (summer time from
        // Sunday 28.3), 2. påskedag 29.3 are skipped; Tue 30.3 (2) … Mon 5.4 (6), Tue 6.4 (7); the
        // day runs to its end: 06.04.2027 23:59:59.999 CEST.
        expect(new Date(due).toISOString()).toBe('2027-04-06T21:59:59.999Z');
        expect(c.deadline('decision')).toMatchObject({
          basis: 'Offentlighedsloven § 36, stk. 2',
          explanation: '7 arbejdsdage fra modtagelsen tirsdag 23.03.2027 (skærtorsdag, langfredag og 2. påskedag springes over): senest tirsdag 06.04.2027 kl. 23.59',
        });
        await c.toAssessment();

        await skipTo(received + 7 * DAY + HOUR);
        expect(c.count('deadline-missed')).toBe(0);
        await skipTo(due - MINUTE);
        expect(c.count('deadline-missed')).toBe(0);
        expect(c.persisted().overdue).toBe(false);

        // The reminder on the morning of the 7th working day (policy: 08:00): tirsdag 06.04.2027 kl. 08.00 (sommertid).
        const reminder = c.recorded.events.find((e) => e.entry.action === 'reminder');
        expectAt(reminder?.entry.at, '2027-04-06T06:00:00.000Z');
        expect(reminder?.notifications.map((n) => [n.role, n.kind])).toEqual([['jurist', 'reminder']]);

        await skipTo(due + MINUTE);
        expect(c.recorded.actions()).toEqual(['opened', 'request-documents', 'register-documents', 'reminder', 'deadline-missed']);
        expect(c.escalationRoles()).toEqual(['arc-lead']);
        expect(c.deadline('decision').state).toBe('missed');
        expect(c.persisted().overdue).toBe(true);

        const refused = await c.expectRefused('decide', { outcome: 'full', complaintGuidance: 'Klagevejledning' }, 'NotAllowedInStep');
        expect(refused.message).toContain('deadline letter must be sent first');
        expect(refused.details?.[0]).toMatchObject({ step: 'assessment', allowedActions: expect.arrayContaining(['send-deadline-letter']) });
        expect((refused.details?.[0] as CaseErrorDetails).allowedActions).not.toContain('decide');
      });
    });

    it('given an overdue request, when the deadline letter is sent, then the missed deadline is made good, the promised date becomes a deadline, and the decision counts as late', async () => {
      await withCase(async (open) => {
        const c = await open();
        await c.toAssessment();
        await skipTo(Date.parse(c.deadline('decision').dueAt) + HOUR);
        expect(c.persisted().overdue).toBe(true);

        const inPast = await c.expectRefused('send-deadline-letter', { reason: 'Mange dokumenter', expectedBy: new Date((await now()) - HOUR).toISOString() }, 'InvalidInput');
        expect(inPast.details?.[0]).toMatchObject({ fields: [{ field: 'expectedBy', message: 'expectedBy must be in the future' }] });

        const expectedBy = (await now()) + 5 * DAY;
        await c.act('send-deadline-letter', { reason: 'Mange dokumenter skal gennemgås', expectedBy: new Date(expectedBy).toISOString() });
        expect(c.persisted().overdue).toBe(false);
        expect(c.deadline('decision')).toMatchObject({ state: 'missed', settledAt: expect.any(String) });
        expect(c.deadline('promised-decision')).toMatchObject({ dueAt: new Date(expectedBy).toISOString(), state: 'pending' });
        expect(c.persisted().data.deadlineLetterSentAt).toEqual(expect.any(String));
        const again = await c.expectRefused('send-deadline-letter', { reason: 'x', expectedBy: new Date(expectedBy + DAY).toISOString() }, 'NotAllowedInStep');
        expect(again.message).toContain('has not passed');

        await c.decide('partial');
        const decided = c.persisted();
        expect(decided.step).toBe('decided');
        expect(decided.data).toMatchObject({ decisionOutcome: 'partial', decidedWithinDeadline: false, decidedAt: expect.any(String) });
        expect(c.deadline('promised-decision').state).toBe('met');
        await skipTo(expectedBy + DAY);
        expect(c.count('deadline-missed')).toBe(1);
      });
    });

    it('given a deadline letter, when the promised date passes without a decision, then the ARC lead and Ledelsessekretariatet are alerted, and a new letter or the decision makes it good', async () => {
      await withCase(async (open) => {
        const c = await open();
        await c.toAssessment();
        await skipTo(Date.parse(c.deadline('decision').dueAt) + HOUR);
        const expectedBy = (await now()) + 3 * DAY;
        await c.act('send-deadline-letter', { reason: 'Høring af tredjemand', expectedBy: new Date(expectedBy).toISOString() });
        const alertsBefore = c.recorded.notifications('escalation').length;

        await skipTo(expectedBy - MINUTE);
        expect(c.count('deadline-missed')).toBe(1);
        await skipTo(expectedBy + MINUTE);
        expect(c.count('deadline-missed')).toBe(2);
        expect(c.recorded.last().notifications.map((n) => n.role).sort()).toEqual(['arc-lead', 'ledelsessekretariat']);
        expect(c.recorded.notifications('escalation')).toHaveLength(alertsBefore + 2);
        expect(c.deadline('promised-decision').state).toBe('missed');
        expect(c.persisted().overdue).toBe(true);

        // A late decision needs no second letter, but a second letter is allowed and sets a new date.
        const secondDate = (await now()) + 2 * DAY;
        await c.act('send-deadline-letter', { reason: 'Høringssvar mangler', expectedBy: new Date(secondDate).toISOString() });
        expect(c.persisted().overdue).toBe(false);
        expect(c.persisted().deadlines.filter((d) => d.name === 'promised-decision').map((d) => d.state)).toEqual(['missed', 'pending']);
        expect(c.persisted().data.deadlineLetters).toHaveLength(2);
        await c.decide('refused');
        expect(c.deadline('promised-decision').state).toBe('met');
        await skipTo(secondDate + DAY);
        expect(c.count('deadline-missed')).toBe(2);
      });
    });

    it('given a request registered after its 7 working days had already passed, when the case opens, then it is overdue at once and the deadline letter is owed', async () => {
      await withCase(async (open) => {
        // Received Monday 10.05.2027 09:00, registered on 01.06.2027.
        await clockAt(env, Date.parse('2027-06-01T09:00:00+02:00'));
        const received = Date.parse('2027-05-10T09:00:00+02:00');
        const c = await open(received);
        await env.sleep(MINUTE);
        // Past its 14 working days too (by hand: … Fri 28.5 (13), Mon 31.5 (14)): § 39 opens at once as well.
        expect(c.recorded.actions()).toEqual(['opened', 'deadline-missed', 'deadline-missed']);
        expect(c.escalationRoles()).toEqual(['arc-lead', 'arc-lead', 'jurist']);
        expect(c.deadline('processing-time')).toMatchObject({ dueAt: '2027-05-31T21:59:59.999Z', state: 'missed' }); // mandag 31.05.2027 kl. 23.59
        expect(c.persisted().overdue).toBe(true);
        // By hand: Tue 11.5 (1) … Fri 14.5 (4), 2. pinsedag 17.5 skipped, Tue 18.5 (5), Wed 19.5 (6), Thu 20.5 (7).
        expect(c.deadline('decision')).toMatchObject({ dueAt: '2027-05-20T21:59:59.999Z', state: 'missed' });
        expect(c.persisted().data.receivedAt).toBe(new Date(received).toISOString());
      });
    });

    it('given a request decided within 7 working days, when the deadline passes, then nothing escalates, it counts as in time, and no deadline letter is owed', async () => {
      await withCase(async (open) => {
        const c = await open();
        const due = Date.parse(c.deadline('decision').dueAt);
        await c.toAssessment();
        await skipTo(due - HOUR);
        await c.decide('full');
        const afterDecision = await c.expectRefused('send-deadline-letter', { reason: 'x', expectedBy: new Date(due + 5 * DAY).toISOString() }, 'NotAllowedInStep');
        expect(afterDecision.message).toContain('not allowed in step decided');
        await skipTo(due + 20 * DAY);

        // The morning reminder of the 7th working day came before the decision; nothing after it.
        expect(c.recorded.actions()).toEqual(['opened', 'request-documents', 'register-documents', 'reminder', 'decide']);
        expect(c.deadline('processing-time').state).toBe('met');
        expect(c.deadline('decision').state).toBe('met');
        expect(c.persisted().data).toMatchObject({ decisionOutcome: 'full', decidedWithinDeadline: true });
        expect(c.persisted().data.deadlineLetterSentAt).toBeUndefined();
        expect(c.recorded.notifications('escalation')).toHaveLength(0);
      });
    });
  });

  describe('the § 37 complaint branch', () => {
    it('given a kept decision, when the complaint is not forwarded within 7 working days of its receipt, then the ARC lead is alerted, and forwarding makes it good', async () => {
      await withCase(async (open) => {
        const c = await open();
        await c.toAssessment();
        await c.decide('refused');
        await env.sleep(DAY);
        const complaintReceived = (await now()) - HOUR;
        await c.act('register-complaint', { receivedAt: new Date(complaintReceived).toISOString() });
        const due = Date.parse(c.deadline('ankestyrelsen-forwarding').dueAt);
        // 7 working days, to the end of the last (a Copenhagen day ends at 23:59:59.999).
        expect(copenhagenWeekdayAndTime(due).time).toBe('23:59');
        expect(c.deadline('ankestyrelsen-forwarding').explanation).toMatch(/^7 arbejdsdage fra klagens modtagelse /);
        expect(c.persisted().step).toBe('complaint-received');
        expect(c.recorded.last().notifications).toEqual([expect.objectContaining({ role: 'jurist', kind: 'assignment' })]);

        await c.act('reconsider', { outcome: 'kept', note: 'Afgørelsen fastholdes' });
        expect(c.persisted().step).toBe('forwarding-to-ankestyrelsen');
        await skipTo(due - MINUTE);
        expect(c.count('deadline-missed')).toBe(0);
        await skipTo(due + MINUTE);
        expect(c.count('deadline-missed')).toBe(1);
        expect(c.escalationRoles()).toEqual(['arc-lead']);
        expect(c.persisted().overdue).toBe(true);

        await c.act('forward-to-ankestyrelsen', { complaintBody: 'Ankestyrelsen', reference: 'ANK-2026-77' });
        expect(c.persisted()).toMatchObject({ step: 'forwarded-to-ankestyrelsen', overdue: false });
        expect(c.recorded.last().entry.note).toBe('Klagen videresendt til klageinstansen: Ankestyrelsen (ANK-2026-77)');
        expect(c.deadline('ankestyrelsen-forwarding')).toMatchObject({ state: 'missed', settledAt: expect.any(String) });
        expect(c.persisted().data.complaints[0]).toMatchObject({ reconsideration: { outcome: 'kept' }, forwarded: { reference: 'ANK-2026-77', complaintBody: 'Ankestyrelsen' } });
        await c.act('close');
        expect(c.persisted()).toMatchObject({ status: 'closed', step: 'closed' });
      });
    });

    it('given a complaint, when the decision is changed, then no forwarding is due and the new decision replaces the outcome while timeliness stays with the first', async () => {
      await withCase(async (open) => {
        const c = await open();
        await c.toAssessment();
        await c.decide('refused');
        const firstDecidedAt = c.persisted().data.decidedAt;
        await c.act('register-complaint');
        const due = Date.parse(c.deadline('ankestyrelsen-forwarding').dueAt);

        await c.act('reconsider', { outcome: 'changed', note: 'Delvis aktindsigt gives alligevel' });
        expect(c.persisted().step).toBe('assessment');
        const letter = await c.expectRefused('send-deadline-letter', { reason: 'x', expectedBy: new Date((await now()) + 5 * DAY).toISOString() }, 'NotAllowedInStep');
        expect(letter.message).toContain('No deadline letter after the decision');
        expect(c.deadline('ankestyrelsen-forwarding').state).toBe('met');
        await skipTo(due + DAY);
        expect(c.count('deadline-missed')).toBe(0);

        await c.decide('partial');
        expect(c.persisted().data).toMatchObject({ decisionOutcome: 'partial', decidedAt: firstDecidedAt, decidedWithinDeadline: true });
        expect(c.persisted().data.decisions.map((d) => d.outcome)).toEqual(['refused', 'partial']);
        expect(c.persisted().step).toBe('decided');
      });
    });
  });

  describe('validator guards', () => {
    it('given a request being assessed, when the decision lacks legal grounds, or the complaint predates it, then the field is named (400)', async () => {
      await withCase(async (open) => {
        const c = await open();
        await c.toAssessment();
        const noGrounds = await c.expectRefused('decide', { outcome: 'refused', complaintGuidance: 'Klagevejledning' }, 'InvalidInput');
        expect(noGrounds.details?.[0]).toMatchObject({ fields: [{ field: 'legalGrounds' }] });
        const unknownOutcome = await c.expectRefused('decide', { outcome: 'maybe', legalGrounds: 'x', complaintGuidance: 'y' }, 'InvalidInput');
        expect(unknownOutcome.details?.[0]).toMatchObject({ fields: [{ field: 'outcome' }] });

        await c.decide('partial');
        const beforeDecision = await c.expectRefused('register-complaint', { receivedAt: new Date((await now()) - DAY).toISOString() }, 'InvalidInput');
        expect(beforeDecision.details?.[0]).toMatchObject({ fields: [{ field: 'receivedAt' }] });
      });
    });

    it('given a new request, when an action of a later step or by another role is attempted, then 409 names the step and the allowed actions, and 403 names the roles', async () => {
      await withCase(async (open) => {
        const c = await open();
        const early = await c.expectRefused('decide', { outcome: 'full', complaintGuidance: 'x' }, 'NotAllowedInStep', arcLead);
        expect(early.details?.[0]).toEqual({ step: 'received', allowedActions: ['request-documents', 'register-documents', 'send-deadline-letter', 'withdraw'] });
        const role = await c.expectRefused('request-documents', { fromUnit: 'Område Nord' }, 'Forbidden', caseworker);
        expect(role.message).toContain('jurist, arc-lead');
        await c.expectRefused('register-complaint', {}, 'NotAllowedInStep');
        await c.expectRefused('close', {}, 'NotAllowedInStep');

        await c.act('withdraw', { reason: 'Anmodningen er trukket tilbage pr. mail' });
        expect(c.persisted()).toMatchObject({ status: 'closed', overdue: false });
        expect(c.deadline('decision').state).toBe('met');
      });
    });
  });
  describe('fristbrev at any time, the morning reminder, § 39 and a complaint after closing (hand-worked instants, 2028)', () => {
    /**
     * As the API does for an action that reopens a closed case: a new run of the same workflow id
     * from the case's last persisted snapshot and journal sequence, the action delivered with it.
     */
    function reopenWith(c: Case, action: string, input: Record<string, unknown>, actor: Actor = jurist): Promise<void> {
      const last = c.recorded.last();
      return env.client.workflow.executeUpdateWithStart(takeActionUpdate, {
        args: [{ action, input, actor }],
        startWorkflowOperation: new WithStartWorkflowOperation(accessRequestWorkflow, {
          workflowId: last.caseId,
          taskQueue: c.taskQueue,
          args: [{ caseId: last.caseId, caseNumber: last.snapshot.caseNumber, openedAt: last.snapshot.openedAt, actor, input: {} as AccessRequestStartInput, policy: DEFAULT_POLICY, continued: { snapshot: last.snapshot, seq: last.entry.seq } }],
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        }),
      });
    }

    it('given a request received Wednesday 22.03.2028 (7 working days across the change to summer time), when the fristbrev is sent on the 2nd working day, then it meets the deadline: no reminder, no escalation', async () => {
      await withCase(async (open) => {
        const received = Date.parse('2028-03-22T10:00:00+01:00'); // onsdag 22.03.2028 kl. 10.00 (vintertid)
        await clockAt(env, received);
        const c = await open(received);
        // By hand: Thu 23.3 (1), Fri 24.3 (2), summer time from Sunday 26.3, Mon 27.3 (3) … Fri 31.3 (7).
        expect(c.deadline('decision').dueAt).toBe('2028-03-31T21:59:59.999Z'); // fredag 31.03.2028 kl. 23.59 (sommertid)
        // 14 working days: … Mon 3.4 (8) … Fri 7.4 (12), Mon 10.4 (13), Tue 11.4 (14).
        expect(c.deadline('processing-time')).toMatchObject({ dueAt: '2028-04-11T21:59:59.999Z', basis: 'Offentlighedsloven § 39, stk. 1' }); // tirsdag 11.04.2028 kl. 23.59

        await clockAt(env, Date.parse('2028-03-24T11:00:00+01:00')); // fredag 24.03.2028 kl. 11.00, the 2nd working day
        await c.act('send-deadline-letter', { reason: 'Dokumenterne skal gennemgås for tredjemandsoplysninger', expectedBy: '2028-04-07' });
        expect(c.deadline('decision')).toMatchObject({ state: 'met', settledAt: expect.stringMatching(/^2028-03-24T10:00:/) }); // fredag 24.03.2028 kl. 11.00
        expect(c.deadline('promised-decision').dueAt).toBe('2028-04-07T21:59:59.999Z'); // fredag 07.04.2028 kl. 23.59 (sommertid)
        expect(c.persisted().data.deadlineLetterSentAt).toMatch(/^2028-03-24T10:00:/);
        const second = await c.expectRefused('send-deadline-letter', { reason: 'x', expectedBy: '2028-04-14' }, 'NotAllowedInStep');
        expect(second.message).toContain('promised in the last letter has not passed');

        await skipTo(Date.parse('2028-04-01T00:01:00+02:00')); // lørdag 01.04.2028 kl. 00.01, the 7th working day over
        expect(c.recorded.actions()).toEqual(['opened', 'send-deadline-letter']);
        expect(c.persisted().overdue).toBe(false);

        await c.toAssessment();
        await c.decide('partial');
        expect(c.deadline('promised-decision').state).toBe('met');
        expect(c.deadline('processing-time').state).toBe('met');
      });
    });

    it('given a request received Tuesday 11.04.2028 (7 working days across Easter), when nothing is sent, then the jurist is reminded at 08:00 on the 7th working day, it escalates at its end, and § 39 opens only after 14 working days', async () => {
      await withCase(async (open) => {
        const received = Date.parse('2028-04-11T09:00:00+02:00'); // tirsdag 11.04.2028 kl. 09.00 (sommertid)
        await clockAt(env, received);
        const c = await open(received);
        // By hand: Wed 12.4 (1); skærtorsdag 13.4, langfredag 14.4, the weekend, 2. påskedag 17.4 skipped;
        // Tue 18.4 (2) … Fri 21.4 (5), Mon 24.4 (6), Tue 25.4 (7).
        expect(c.deadline('decision')).toMatchObject({
          dueAt: '2028-04-25T21:59:59.999Z', // tirsdag 25.04.2028 kl. 23.59
          explanation: '7 arbejdsdage fra modtagelsen tirsdag 11.04.2028 (skærtorsdag, langfredag og 2. påskedag springes over): senest tirsdag 25.04.2028 kl. 23.59',
        });
        // … Wed 26.4 (8) … Fri 28.4 (10), Mon 1.5 (11) … Thu 4.5 (14).
        expect(c.deadline('processing-time').dueAt).toBe('2028-05-04T21:59:59.999Z'); // torsdag 04.05.2028 kl. 23.59
        await c.toAssessment();

        await skipTo(Date.parse('2028-04-25T07:59:00+02:00')); // tirsdag 25.04.2028 kl. 07.59
        expect(c.count('reminder')).toBe(0);
        await skipTo(Date.parse('2028-04-25T08:01:00+02:00'));
        const reminder = c.recorded.events.find((e) => e.entry.action === 'reminder');
        expectAt(reminder?.entry.at, '2028-04-25T06:00:00.000Z'); // tirsdag 25.04.2028 kl. 08.00 (sommertid)
        expect(reminder?.notifications).toEqual([expect.objectContaining({ role: 'jurist', kind: 'reminder' })]);
        expect(reminder?.notifications[0].body).toContain('senest tirsdag 25.04.2028 kl. 23.59');
        expect(c.persisted().overdue).toBe(false);

        await skipTo(Date.parse('2028-04-25T23:58:00+02:00'));
        expect(c.count('deadline-missed')).toBe(0);
        await skipTo(Date.parse('2028-04-26T00:01:00+02:00')); // onsdag 26.04.2028 kl. 00.01
        expect(c.count('deadline-missed')).toBe(1);
        expectAt(c.recorded.last().entry.at, '2028-04-25T21:59:59.999Z'); // tirsdag 25.04.2028 kl. 23.59.59,999 (sommertid): the end of the 7th working day
        expect(c.escalationRoles()).toEqual(['arc-lead']);
        expect(c.persisted().overdue).toBe(true);

        // § 39 before its 14 working days: refused, naming the rule and the instant.
        await skipTo(Date.parse('2028-05-04T23:58:00+02:00')); // torsdag 04.05.2028 kl. 23.58
        const early = await c.expectRefused('register-processing-time-complaint', {}, 'NotAllowedInStep');
        expect(early.message).toContain('only when 14 working days have passed since receipt without a decision (Offentlighedsloven § 39, stk. 1): after 2028-05-04T21:59:59.999Z');
        expect(early.details?.[0]).toMatchObject({ step: 'assessment' });
        expect((early.details?.[0] as CaseErrorDetails).allowedActions).not.toContain('register-processing-time-complaint');

        await skipTo(Date.parse('2028-05-05T09:00:00+02:00')); // fredag 05.05.2028 kl. 09.00
        expect(c.count('deadline-missed')).toBe(2);
        expect(c.recorded.last().notifications.map((n) => n.role).sort()).toEqual(['arc-lead', 'jurist']);
        await c.act('register-processing-time-complaint', {});
        expect(c.recorded.last()).toMatchObject({ entry: { action: 'register-processing-time-complaint', note: 'Klage over sagsbehandlingstiden modtaget (offentlighedsloven § 39)' } });
        expect(c.recorded.last().notifications.map((n) => [n.role, n.kind])).toEqual([['jurist', 'assignment'], ['arc-lead', 'assignment']]);
        // 7 working days from the complaint (fredag 05.05.2028): Mon 8.5 (1) … Fri 12.5 (5), Mon 15.5 (6), Tue 16.5 (7).
        expect(c.deadline('processing-time-complaint')).toMatchObject({ dueAt: '2028-05-16T21:59:59.999Z', basis: 'Offentlighedsloven § 39, stk. 2' });
        const closeFirst = await c.expectRefused('register-processing-time-complaint', {}, 'NotAllowedInStep');
        expect(closeFirst.message).toContain('not yet answered');

        await c.act('answer-processing-time-complaint', { answer: 'Sagen er omfattende; afgørelse forventes snarest', forwardedTo: 'Ankestyrelsen' });
        expect(c.recorded.last().entry.note).toBe('Klage over sagsbehandlingstiden besvaret og videresendt til klageinstansen: Ankestyrelsen');
        expect(c.deadline('processing-time-complaint').state).toBe('met');
        const fridayMorning = expect.stringMatching(/^2028-05-05T07:00:/); // fredag 05.05.2028 kl. 09.00
        expect(c.persisted().data.processingTimeComplaints).toEqual([
          { receivedAt: fridayMorning, registeredAt: fridayMorning, answer: { text: 'Sagen er omfattende; afgørelse forventes snarest', at: fridayMorning, forwardedTo: 'Ankestyrelsen' } },
        ]);

        await c.act('send-deadline-letter', { reason: 'Omfattende materiale', expectedBy: '2028-05-12' });
        await c.decide('partial');
        expect(c.deadline('processing-time')).toMatchObject({ state: 'missed', settledAt: fridayMorning });
        expect(c.persisted().overdue).toBe(false);
      });
    });

    it('given a decided and closed request, when a complaint about the decision arrives, then a new run reopens the case with the journal continuing, and the complaint is forwarded to the body chosen', async () => {
      await withCase(async (open) => {
        const received = Date.parse('2028-05-22T10:00:00+02:00'); // mandag 22.05.2028 kl. 10.00
        await clockAt(env, received);
        const c = await open(received);
        await c.toAssessment();
        await c.decide('refused');
        await c.act('close', { note: 'Afgørelse sendt' });
        await env.sleep(MINUTE);
        expect((await c.handle.describe()).status.name).toBe('COMPLETED');

        await clockAt(env, Date.parse('2028-06-07T09:00:00+02:00')); // onsdag 07.06.2028 kl. 09.00
        await reopenWith(c, 'register-complaint', { receivedAt: '2028-06-06T14:00:00+02:00' });
        expect(c.recorded.actions()).toEqual(['opened', 'request-documents', 'register-documents', 'decide', 'close', 'reopened', 'register-complaint']);
        expect(c.recorded.events.map((e) => e.entry.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
        expect(c.recorded.events[5].entry).toMatchObject({ action: 'reopened', note: 'Sagen genoptaget: klage over afgørelsen modtaget', actor: { sub: jurist.sub } });
        expect(c.persisted()).toMatchObject({ status: 'open', step: 'complaint-received' });
        expect(c.persisted().closedAt).toBeUndefined();
        // 7 working days from tirsdag 06.06.2028: Wed 7.6 (1) … Fri 9.6 (3), Mon 12.6 (4) … Thu 15.6 (7) (Grundlovsdag 5.6 is before).
        expect(c.deadline('ankestyrelsen-forwarding').dueAt).toBe('2028-06-15T21:59:59.999Z'); // torsdag 15.06.2028 kl. 23.59

        await c.act('reconsider', { outcome: 'kept', note: 'Afslaget fastholdes' });
        await skipTo(Date.parse('2028-06-16T00:01:00+02:00'));
        expect(c.count('deadline-missed')).toBe(1);
        expect(c.escalationRoles()).toEqual(['arc-lead']);
        await c.act('forward-to-ankestyrelsen', { complaintBody: 'Klagenævnet for Specialundervisning', reference: 'KLA-2028-12' });
        expect(c.recorded.last().entry.note).toBe('Klagen videresendt til klageinstansen: Klagenævnet for Specialundervisning (KLA-2028-12)');
        expect(c.recorded.last().notifications).toEqual([expect.objectContaining({ role: 'arc-lead', kind: 'information', body: expect.stringContaining('Klagenævnet for Specialundervisning') })]);
        await c.act('close');
        expect(c.persisted()).toMatchObject({ status: 'closed', overdue: false });
      });
    });

    it('given a withdrawn request, when a complaint is attempted after closing, then it is refused and the case stays closed', async () => {
      await withCase(async (open) => {
        const c = await open();
        await c.act('withdraw', { reason: 'Trukket tilbage pr. telefon' });
        await env.sleep(MINUTE);
        const refused = await reopenWith(c, 'register-complaint', {}).then(() => undefined, (e: unknown) => e);
        expect((refused as { cause?: ApplicationFailure }).cause?.message).toContain('No decision was made on this request');
        await env.sleep(MINUTE);
        expect(c.recorded.actions()).toEqual(['opened', 'withdraw']);
      });
    });
  });
});
