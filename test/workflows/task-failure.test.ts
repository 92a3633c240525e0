import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Actor, CasePolicy } from '@buf/domain';
import { accessRequestWorkflow } from '@buf/workflows/access-request';
import { eventually } from '../support/polling';
import { RecordedCase, createTimeSkippingEnv, createWorker, runtimeLog, startInput } from '../support/time-skipping';

const jurist: Actor = { sub: 'jur-tf', name: 'Jonna Jurist', roles: ['jurist'] };

/** A workflow task that keeps failing is said, with the case id, not left silent. */
describe('a workflow whose task keeps failing (time-skipping)', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
  });

  afterAll(async () => {
    await env?.teardown();
  });

  it('given a start whose task fails (a policy missing from its input), when the worker runs it, then an error naming the case is logged each time', async () => {
    const recorded = new RecordedCase();
    const taskQueue = `task-failure-${Math.random().toString(36).slice(2)}`;
    const worker = await createWorker(env, recorded.activities, taskQueue);
    const input = { receivedAt: new Date(await env.currentTimeMs()).toISOString(), requester: 'Avis', requesterType: 'journalist' as const, request: 'Dokumenter', area: 'nord' };
    const args = { ...startInput('access-request', jurist, input, new Date(await env.currentTimeMs())), policy: undefined as unknown as CasePolicy };
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(accessRequestWorkflow, { workflowId: args.caseId, taskQueue, args: [args] });
      const failing = await eventually('the failing task logged', async () => runtimeLog.find((e) => e.level === 'ERROR' && e.message.includes('Workflow task failing') && e.meta?.caseId === args.caseId));
      expect(failing.message).toContain(`case ${args.caseId}`);
      expect(String(failing.meta?.error)).toMatch(/^TypeError/);
      expect((await handle.describe()).status.name).toBe('RUNNING');
      expect(recorded.events).toHaveLength(0);
      await handle.terminate('test done');
    });
  });
});
