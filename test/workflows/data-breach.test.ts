import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { Actor } from '../../libs/domain/src';
import { takeActionUpdate } from '../../workflows/messages';
import { type DataBreachStartInput, dataBreachWorkflow } from '../../workflows/data-breach';
import { HOUR, RecordedCase, createTimeSkippingEnv, createWorker, startInput } from '../support/time-skipping';

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
    const recorded = new RecordedCase();
    await withWorker(recorded, async (_w, taskQueue) => {
      const now = new Date(await env.currentTimeMs());
      const input = startInput('data-breach', reporter, breach(now), now);
      const handle = await env.client.workflow.start(dataBreachWorkflow, { workflowId: input.caseId, taskQueue, args: [input] });

      await env.sleep(23 * HOUR);
      expect(recorded.notifications('reminder')).toHaveLength(0);
      await env.sleep(2 * HOUR);
      expect(recorded.notifications('reminder')).toEqual([expect.objectContaining({ role: 'gdpr' })]);
      await env.sleep(24 * HOUR);
      expect(recorded.notifications('reminder')).toHaveLength(2);
      expect(recorded.last().snapshot.overdue).toBe(false);
      await env.sleep(24 * HOUR);

      expect(recorded.actions()).toEqual(['opened', 'reminder', 'reminder', 'deadline-missed']);
      expect(recorded.notifications('escalation').map((n) => n.role).sort()).toEqual(['direktion', 'gdpr', 'gdpr-lead']);
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
});
