import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { DataSource } from 'typeorm';
import type { Actor, CaseEvent } from '@buf/domain';
import { createCaseActivities } from '@buf/activities/case-activities';
import { CaseStore } from '@buf/persistence/case-store';
import { createDataSource } from '@buf/persistence/data-source';
import { ServiceMetrics } from '@buf/telemetry/metrics';
import { dataBreachWorkflow } from '@buf/workflows/data-breach';
import { clockAt, skipTo } from '../support/case-harness';
import { eventually } from '../support/polling';
import { testEnv } from '../support/paths';
import { createTimeSkippingEnv, createWorker, startInput } from '../support/time-skipping';

const MINUTE = 60_000;
const reporter: Actor = { sub: 'emp-metrics', name: 'Eva Ansat', roles: ['employee'] };

/** The escalation counter as the worker keeps it: the real activity and store, a retry included (time-skipping, PostgreSQL). */
describe('escalations counted once (time-skipping, real case store)', () => {
  let env: TestWorkflowEnvironment;
  let ds: DataSource;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    ds = createDataSource(testEnv('TEST_DATABASE_URL'), 2);
    await ds.initialize();
  });

  afterAll(async () => {
    await ds?.destroy();
    await env?.teardown();
  });

  it('given a breach nobody acts on, when its 72 hours pass and the escalation\'s activity is retried after it wrote its entry, then one escalation is counted for datatilsynet-72h, one case opened, and the reminders not at all', async () => {
    // Discovered Tuesday 09.11.2027 09:00 CET (winter time; no change of time within the 72 hours).
    const discovered = Date.parse('2027-11-09T09:00:00+01:00');
    // By hand: 72 hours later, Friday 12.11.2027 09:00 CET.
    const due = Date.parse('2027-11-12T09:00:00+01:00');
    await clockAt(env, discovered);

    const store = new CaseStore(ds);
    const escalationWrites: boolean[] = [];
    const observed = {
      recordEvent: async (event: CaseEvent) => {
        const result = await store.recordEvent(event);
        if (event.entry.action === 'deadline-missed') escalationWrites.push(result.newEntry);
        return result;
      },
    } as unknown as CaseStore;
    const metrics = new ServiceMetrics({ service: 'test', defaultMetrics: false });
    const real = createCaseActivities(observed, undefined, undefined, (event, snapshot) => metrics.countNewEntry(event, snapshot));
    // The escalation's first attempt does its work and then fails (its completion lost, as when a worker dies): Temporal retries it.
    const activities = {
      recordCaseEvent: async (event: CaseEvent) => {
        await real.recordCaseEvent(event);
        if (event.entry.action === 'deadline-missed' && escalationWrites.length === 1) throw new Error('worker lost before reporting completion');
      },
    };
    const count = async (name: string) => ((await metrics.registry.getSingleMetric(name)?.get())?.values ?? []).map((v) => ({ ...v.labels, value: v.value }));

    const caseNumber = `2027-8${String(Math.floor(Math.random() * 1_000_000)).padStart(6, '0')}`;
    const input = {
      ...startInput('data-breach', reporter, { discoveredAt: new Date(discovered).toISOString(), unit: 'Skole A', description: 'Elevliste sendt til forkert modtager', dataCategories: ['navn'], channel: 'serviceportal' as const }, new Date(discovered)),
      caseId: `data-breach-${caseNumber}`,
      caseNumber,
    };
    const taskQueue = `escalation-metrics-${Math.random().toString(36).slice(2)}`;
    const worker = await createWorker(env, activities, taskQueue);
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(dataBreachWorkflow, { workflowId: input.caseId, taskQueue, args: [input] });
      await skipTo(env, due - MINUTE);
      expect(await count('buf_escalations_total')).toEqual([]);
      await skipTo(env, due + 5 * MINUTE);
      await eventually('the escalation written and retried', async () => escalationWrites.length >= 2);

      expect(escalationWrites).toEqual([true, false]);
      expect(await count('buf_escalations_total')).toEqual([{ process: 'data-breach', deadline: 'datatilsynet-72h', value: 1 }]);
      expect(await count('buf_cases_opened_total')).toEqual([{ process: 'data-breach', value: 1 }]);
      expect(await count('buf_actions_taken_total')).toEqual([]);
      const rows: { action: string }[] = await ds.query(`SELECT action FROM case_journal WHERE case_id = $1 ORDER BY seq`, [input.caseId]);
      expect(rows.map((r) => r.action)).toEqual(['opened', 'reminder', 'reminder', 'deadline-missed']);
      const [file]: { snapshot: { deadlines: { name: string; dueAt: string; state: string }[] } }[] = await ds.query(`SELECT snapshot FROM case_files WHERE id = $1`, [input.caseId]);
      expect(file.snapshot.deadlines).toEqual([expect.objectContaining({ name: 'datatilsynet-72h', dueAt: '2027-11-12T08:00:00.000Z', state: 'missed' })]); // fredag 12.11.2027 kl. 09.00 (vintertid)
      await handle.terminate('test done');
    });
  });
});
