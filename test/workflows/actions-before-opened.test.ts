import { randomUUID } from 'node:crypto';
import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Actor } from '@buf/domain';
import { type DataBreachStartInput, dataBreachWorkflow } from '@buf/workflows/data-breach';
import { takeActionUpdate } from '@buf/workflows/messages';
import { WORKFLOW_BUNDLE_FILE, testEnv } from '../support/paths';
import { RecordedCase, startInput } from '../support/time-skipping';

const reporter: Actor = { sub: 'emp-1', name: 'Eva Ansat', roles: ['employee'] };
const gdpr: Actor = { sub: 'gdpr-1', name: 'Gitte GDPR', roles: ['gdpr'] };

/**
 * An action delivered together with the start (update-with-start puts it in the workflow's very
 * first task) must still come after 'opened' in the journal. Runs on the dev server that npm test
 * started, which supports update-with-start.
 */
describe('an action delivered with the start', () => {
  let connection: Connection;
  let native: NativeConnection;

  beforeAll(async () => {
    connection = await Connection.connect({ address: testEnv('TEST_TEMPORAL_ADDRESS') });
    native = await NativeConnection.connect({ address: testEnv('TEST_TEMPORAL_ADDRESS') });
  });

  afterAll(async () => {
    await connection?.close();
    await native?.close();
  });

  it("given a triage sent with the breach's start, when both are recorded, then the journal is opened (1) then triage (2)", async () => {
    const client = new Client({ connection });
    const recorded = new RecordedCase();
    const taskQueue = `with-start-${randomUUID().slice(0, 8)}`;
    const worker = await Worker.create({ connection: native, taskQueue, workflowBundle: { codePath: WORKFLOW_BUNDLE_FILE }, activities: recorded.activities });
    const now = new Date();
    const body: DataBreachStartInput = { discoveredAt: new Date(now.getTime() - 3_600_000).toISOString(), unit: 'Skole A', description: 'Elevliste sendt forkert', dataCategories: ['navn'], channel: 'form' };
    const input = startInput('data-breach', reporter, body, now);
    await worker.runUntil(async () => {
      await client.workflow.executeUpdateWithStart(takeActionUpdate, {
        args: [{ action: 'triage', input: { outcome: 'breach', reason: 'Navne er delt' }, actor: gdpr }],
        startWorkflowOperation: new WithStartWorkflowOperation(dataBreachWorkflow, { workflowId: input.caseId, taskQueue, args: [input], workflowIdConflictPolicy: 'FAIL' }),
      });
      expect(recorded.events.map((e) => [e.entry.seq, e.entry.action])).toEqual([[1, 'opened'], [2, 'triage']]);
      expect(recorded.last().snapshot.step).toBe('risk-assessment');
      await client.workflow.getHandle(input.caseId).terminate('test done');
    });
  });
});
