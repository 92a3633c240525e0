import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  type AccessRequestData,
  type Actor,
  type CaseErrorDetails,
  type CaseSnapshot,
  type TakeActionArgs,
} from '@buf/domain';
import { type AccessRequestStartInput, accessRequestWorkflow } from '@buf/workflows/access-request';
import { caseOpenedUpdate, takeActionUpdate } from '@buf/workflows/messages';
import { DAY, HOUR, RecordedCase, createTimeSkippingEnv, createWorker, startInput } from '../support/time-skipping';
import { CaseUnderTest, clockAt, skipTo as skipToInstant } from '../support/case-harness';
import { copenhagenWeekdayAndTime } from '../support/copenhagen-clock';

const MINUTE = 60_000;
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

    act(action: string, input: TakeActionArgs['input'] = {}, actor: Actor = jurist): Promise<void> {
      return this.handle.executeUpdate(takeActionUpdate, { args: [{ action, input, actor }] });
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
    it('given a request received now, when 7 working days pass without a decision, then the ARC lead is alerted, the case is overdue and the decision waits for the deadline letter', async () => {
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

        await skipTo(due + MINUTE);
        expect(c.recorded.actions()).toEqual(['opened', 'request-documents', 'register-documents', 'deadline-missed']);
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
        expect(c.recorded.actions()).toEqual(['opened', 'deadline-missed']);
        expect(c.escalationRoles()).toEqual(['arc-lead']);
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
        const early = await c.expectRefused('send-deadline-letter', { reason: 'x', expectedBy: new Date(due + 5 * DAY).toISOString() }, 'NotAllowedInStep');
        expect(early.message).toContain('7 working days');
        await skipTo(due - HOUR);
        await c.decide('full');
        await skipTo(due + 5 * DAY);

        expect(c.recorded.actions()).toEqual(['opened', 'request-documents', 'register-documents', 'decide']);
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

        await c.act('forward-to-ankestyrelsen', { reference: 'ANK-2026-77' });
        expect(c.persisted()).toMatchObject({ step: 'forwarded-to-ankestyrelsen', overdue: false });
        expect(c.deadline('ankestyrelsen-forwarding')).toMatchObject({ state: 'missed', settledAt: expect.any(String) });
        expect(c.persisted().data.complaints[0]).toMatchObject({ reconsideration: { outcome: 'kept' }, forwarded: { reference: 'ANK-2026-77' } });
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
        expect(early.details?.[0]).toEqual({ step: 'received', allowedActions: ['request-documents', 'register-documents', 'withdraw'] });
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
});
