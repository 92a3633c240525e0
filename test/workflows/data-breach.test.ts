import type { WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { Actor, CaseErrorDetails, CaseSnapshot, DataBreachData, Deadline, TakeActionArgs } from '@buf/domain';
import { caseSnapshotQuery, takeActionUpdate } from '@buf/workflows/messages';
import { type DataBreachStartInput, dataBreachWorkflow } from '@buf/workflows/data-breach';
import { CaseUnderTest, clockAt, skipTo } from '../support/case-harness';
import { HOUR, RecordedCase, createTimeSkippingEnv, createWorker, startInput } from '../support/time-skipping';

const MINUTE = 60_000;

const reporter: Actor = { sub: 'emp-1', name: 'Eva Ansat', roles: ['employee'] };
const gdpr: Actor = { sub: 'gdpr-1', name: 'Gitte GDPR', roles: ['gdpr'] };

describe('data-breach workflow deadlines (time-skipping)', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
  });

  afterAll(async () => {
    await env?.teardown();
  });

  function breach(discoveredAt: Date): DataBreachStartInput {
    return { discoveredAt: discoveredAt.toISOString(), unit: 'Skole A', description: 'Elevliste sendt til forkert modtager', dataCategories: ['navn'], channel: 'serviceportal' };
  }

  async function withWorker<T>(recorded: RecordedCase, fn: (worker: Worker, taskQueue: string) => Promise<T>): Promise<T> {
    const taskQueue = `breach-${Math.random().toString(36).slice(2)}`;
    const worker = await createWorker(env, recorded.activities, taskQueue);
    return worker.runUntil(fn(worker, taskQueue));
  }

  it('given a reported breach, when nobody acts for 72 hours, then the GDPR function is reminded at 24 h and 48 h and the case escalates and is overdue at 72 h', async () => {
    // Discovered Friday 26.03.2027 12:00 CET; summer time begins Sunday 28.03.2027.
    const discovered = Date.parse('2027-03-26T12:00:00+01:00');
    await clockAt(env, discovered);
    const recorded = new RecordedCase();
    await withWorker(recorded, async (_w, taskQueue) => {
      const input = startInput('data-breach', reporter, breach(new Date(discovered)), new Date(discovered));
      const handle = await env.client.workflow.start(dataBreachWorkflow, { workflowId: input.caseId, taskQueue, args: [input] });
      const MINUTE = 60_000;
      // By hand: 72 calendar hours, weekend and the change of time included: Monday 29.03.2027 13:00 CEST.
      const due = Date.parse('2027-03-29T13:00:00+02:00');

      await skipTo(env, discovered + 24 * HOUR - MINUTE);
      expect(recorded.notifications('reminder')).toHaveLength(0);
      expect(recorded.last().snapshot.deadlines[0]).toMatchObject({
        dueAt: '2027-03-29T11:00:00.000Z',
        basis: 'Databeskyttelsesforordningen art. 33, stk. 1',
        explanation: '72 timer fra konstateringen fredag 26.03.2027 kl. 12.00: senest mandag 29.03.2027 kl. 13.00',
      });
      await skipTo(env, discovered + 24 * HOUR + MINUTE);
      expect(recorded.notifications('reminder')).toEqual([expect.objectContaining({ role: 'gdpr' })]);
      await skipTo(env, discovered + 48 * HOUR + MINUTE);
      expect(recorded.notifications('reminder')).toHaveLength(2);
      await skipTo(env, due - MINUTE);
      expect(recorded.actions()).toEqual(['opened', 'reminder', 'reminder']);
      expect(recorded.last().snapshot.overdue).toBe(false);
      await skipTo(env, due + MINUTE);

      expect(recorded.actions()).toEqual(['opened', 'reminder', 'reminder', 'deadline-missed']);
      expect(recorded.notifications('escalation').map((n) => n.role).sort()).toEqual(['direktion', 'gdpr', 'gdpr-lead']);
      // The escalation's journal entry names who was told.
      expect(recorded.last().entry.note).toContain('Underrettet: GDPR-funktionen, leder af GDPR-funktionen, Direktionen');
      const snapshot = recorded.last().snapshot;
      expect(snapshot.overdue).toBe(true);
      expect(snapshot.deadlines[0]).toMatchObject({ name: 'datatilsynet-72h', state: 'missed' });
      await handle.terminate('test done');
    });
  });

  it('given a breach notified within 72 hours, when the deadline passes, then nothing escalates', async () => {
    const recorded = new RecordedCase();
    await withWorker(recorded, async (_w, taskQueue) => {
      const now = new Date(await env.currentTimeMs());
      const input = startInput('data-breach', reporter, breach(now), now);
      const handle = await env.client.workflow.start(dataBreachWorkflow, { workflowId: input.caseId, taskQueue, args: [input] });
      await handle.executeUpdate(takeActionUpdate, { args: [{ action: 'triage', input: { outcome: 'breach', reason: 'Personoplysninger er videregivet' }, actor: gdpr }] });
      await handle.executeUpdate(takeActionUpdate, { args: [{ action: 'assess-risk', input: { risk: 'risk', rationale: 'Navne og klasser' }, actor: gdpr }] });
      await handle.executeUpdate(takeActionUpdate, { args: [{ action: 'notify-datatilsynet', input: { reference: 'DT-2026-1' }, actor: gdpr }] });
      await env.sleep(100 * HOUR);
      expect(recorded.actions()).toEqual(['opened', 'triage', 'assess-risk', 'notify-datatilsynet']);
      expect(recorded.last().snapshot.deadlines[0].state).toBe('met');
      expect(recorded.notifications('escalation')).toHaveLength(0);
      await handle.terminate('test done');
    });
  });
  /** One reported breach on its own worker, acted on by the GDPR function. */
  class BreachCase extends CaseUnderTest<CaseSnapshot<DataBreachData>, WorkflowHandle<typeof dataBreachWorkflow>> {

    act(action: string, input: TakeActionArgs['input']): Promise<void> {
      return this.handle.executeUpdate(takeActionUpdate, { args: [{ action, input, actor: gdpr }] });
    }

    /** The one deadline of a breach: the 72 hours. */
    override deadline(name = 'datatilsynet-72h'): Deadline {
      return super.deadline(name);
    }

    /** Triage as an actual breach and assess the risk. */
    async assess(risk: 'none' | 'risk' | 'high'): Promise<void> {
      await this.act('triage', { outcome: 'breach', reason: 'Personoplysninger er videregivet' });
      await this.act('assess-risk', { risk, rationale: 'Vurdering' });
    }

    /** The update is refused by the validator and leaves no trace. */
    async expectRefused(action: string, input: TakeActionArgs['input'], type: string): Promise<ApplicationFailure> {
      return this.refusedWithoutTrace(() => this.act(action, input), type);
    }
  }

  /** Reports a breach discovered `hoursAgo` hours before now; the workflow is terminated if the test leaves it running. */
  async function withBreach(hoursAgo: number, body: (c: BreachCase) => Promise<void>): Promise<void> {
    const recorded = new RecordedCase();
    await withWorker(recorded, async (_w, taskQueue) => {
      const now = await env.currentTimeMs();
      const input = startInput('data-breach', reporter, breach(new Date(now - hoursAgo * HOUR)), new Date(now));
      const handle = await env.client.workflow.start(dataBreachWorkflow, { workflowId: input.caseId, taskQueue, args: [input] });
      try {
        await body(new BreachCase(handle, recorded));
      } finally {
        if ((await handle.describe()).status.name === 'RUNNING') await handle.terminate('test done');
      }
    });
  }

  const escalationRoles = (c: BreachCase) => c.recorded.notifications('escalation').map((n) => n.role).sort();

  it('given a breach reported after its 72 hours had already passed, when the case opens, then it escalates at once and skips the reminders whose moments have passed', async () => {
    await withBreach(80, async (c) => {
      await env.sleep(MINUTE);

      expect(c.recorded.actions()).toEqual(['opened', 'deadline-missed']);
      expect(c.recorded.notifications('reminder')).toHaveLength(0);
      expect(escalationRoles(c)).toEqual(['direktion', 'gdpr', 'gdpr-lead']);
      expect(c.deadline()).toMatchObject({ name: 'datatilsynet-72h', state: 'missed' });
      expect(c.persisted().overdue).toBe(true);

      await env.sleep(100 * HOUR);
      expect(c.recorded.actions()).toEqual(['opened', 'deadline-missed']);
    });
  });

  it('given a reported breach, when the GDPR function triages it as not a breach, then the case closes as recategorised with the deadline met', async () => {
    await withBreach(1, async (c) => {
      await c.act('triage', { outcome: 'not-a-breach', reason: 'Kun oplysninger om en medarbejders egen kalender' });
      await c.handle.result();

      expect(c.recorded.actions()).toEqual(['opened', 'triage']);
      const closed = c.persisted();
      expect(closed).toMatchObject({ status: 'closed', step: 'closed', overdue: false, data: { outcome: 'recategorised', triage: { outcome: 'not-a-breach' } } });
      expect(c.deadline()).toMatchObject({ state: 'met', settledAt: expect.any(String) });
      expect(c.recorded.notifications('escalation')).toHaveLength(0);
    });
  });

  it('given a breach assessed as no risk, when the 72 hours pass, then the deadline is met and nothing escalates', async () => {
    await withBreach(1, async (c) => {
      await c.assess('none');
      await env.sleep(100 * HOUR);

      expect(c.recorded.actions()).toEqual(['opened', 'triage', 'assess-risk']);
      expect(c.persisted()).toMatchObject({ step: 'ready-to-close', overdue: false, data: { risk: { level: 'none' } } });
      expect(c.deadline()).toMatchObject({ state: 'met', settledAt: expect.any(String) });
      expect(c.recorded.notifications('escalation')).toHaveLength(0);
      expect((await c.handle.query(caseSnapshotQuery)).overdue).toBe(false);
    });
  });

  it('given a breach whose 72 hours have passed, when Datatilsynet is notified without a delay reason, then the update is refused as InvalidInput naming delayReason', async () => {
    await withBreach(1, async (c) => {
      await env.sleep(72 * HOUR);
      await c.assess('risk');

      const refusal = await c.expectRefused('notify-datatilsynet', { reference: 'DT-2026-7' }, 'InvalidInput');
      expect((refusal.details?.[0] as CaseErrorDetails).fields?.[0].field).toBe('delayReason');
      expect(c.persisted().data.authorityNotification).toBeUndefined();
    });
  });

  it('given a breach whose 72 hours have passed, when Datatilsynet is notified with a delay reason, then it is recorded as late and the missed deadline is settled', async () => {
    await withBreach(1, async (c) => {
      await env.sleep(72 * HOUR);
      expect(c.deadline().state).toBe('missed');
      expect(c.persisted().overdue).toBe(true);
      await c.assess('risk');

      await c.act('notify-datatilsynet', { reference: 'DT-2026-8', delayReason: 'Omfanget blev først klarlagt efter fristen' });

      expect(c.recorded.actions()).toEqual(['opened', 'reminder', 'reminder', 'deadline-missed', 'triage', 'assess-risk', 'notify-datatilsynet']);
      const notified = c.persisted();
      expect(notified.data.authorityNotification).toMatchObject({ reference: 'DT-2026-8', late: true, delayReason: 'Omfanget blev først klarlagt efter fristen' });
      expect(c.deadline()).toMatchObject({ state: 'missed', settledAt: expect.any(String) });
      expect(notified.overdue).toBe(false);
      expect(notified.step).toBe('ready-to-close');
    });
  });
});
