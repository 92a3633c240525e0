import { randomUUID } from 'node:crypto';
import type { WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { CaseActivities } from '@buf/activities/case-activities';
import type { Actor, CaseEvent, CaseSnapshot, MandatoryTrainingData, TakeActionArgs } from '@buf/domain';
import { caseOpenedUpdate, caseSnapshotQuery, takeActionUpdate } from '@buf/workflows/messages';
import { type MandatoryTrainingStartInput, mandatoryTrainingWorkflow } from '@buf/workflows/mandatory-training';
import { atCopenhagenHour, endOfCopenhagenDay, plusDays, plusYears } from '../support/copenhagen-clock';
import { CaseUnderTest, skipTo as skipToInstant } from '../support/case-harness';
import { DAY, HOUR, RecordedCase, createTimeSkippingEnv, createWorker, startInput } from '../support/time-skipping';

const MINUTE = 60_000;
const YEAR = 365 * DAY;
const UNIT = 'Børnehuset Mælkebøtten';

const secretariat: Actor = { sub: 'ls-1', name: 'Lise Sekretariat', roles: ['ledelsessekretariat'] };
const leader: Actor = { sub: 'il-1', name: 'Inge Institutionsleder', roles: ['institution-leader'], unit: UNIT };
const leaderElsewhere: Actor = { sub: 'il-2', name: 'Ivan Institutionsleder', roles: ['institution-leader'], unit: 'Skole Vest' };
const clusterLeader: Actor = { sub: 'kl-1', name: 'Karen Klyngeleder', roles: ['cluster-leader'] };
const hrChief: Actor = { sub: 'hr-1', name: 'Hanne HR', roles: ['hr-chief'] };

type Handle = WorkflowHandleWithFirstExecutionRunId<typeof mandatoryTrainingWorkflow>;
type Snapshot = CaseSnapshot<MandatoryTrainingData>;

const iso = (instant: number) => new Date(instant).toISOString();

// ---------------------------------------------------------------------------------------------

describe('mandatory-training workflow (time-skipping)', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
  });

  afterAll(async () => {
    await env?.teardown();
  });

  const now = (): Promise<number> => env.currentTimeMs();

  // The shared helper, bound to this file's test server.
  const skipTo = (instant: number) => skipToInstant(env, instant);

  function employee(employedFrom: number, overrides: Partial<MandatoryTrainingStartInput> = {}): MandatoryTrainingStartInput {
    return {
      employeeId: 'emp-4711',
      course: 'it-security',
      staffGroup: 'administrative',
      employedFrom: iso(employedFrom),
      unit: UNIT,
      area: 'nord',
      ...overrides,
    };
  }

  class Case extends CaseUnderTest<Snapshot, Handle> {

    act(action: string, actor: Actor, input: TakeActionArgs['input'] = {}): Promise<void> {
      return this.handle.executeUpdate(takeActionUpdate, { args: [{ action, input, actor }] });
    }

    complete(at: number, actor: Actor = leader): Promise<void> {
      return this.act('complete', actor, { completedAt: iso(at) });
    }

    endEmployment(at: number, actor: Actor = hrChief): Promise<void> {
      return this.act('end-employment', actor, { endedAt: iso(at) });
    }

    roles(kind: string): string[] {
      return this.recorded.notifications(kind).map((n) => n.role).sort();
    }

    seqs(): number[] {
      return this.recorded.events.map((e) => e.entry.seq);
    }

    /** The run ids of the case from its first run, following each continue-as-new. */
    async runs(): Promise<string[]> {
      const runIds = [this.handle.firstExecutionRunId];
      for (;;) {
        const history = await env.client.workflow.getHandle(this.handle.workflowId, runIds.at(-1)).fetchHistory();
        const next = history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
        if (!next) return runIds;
        runIds.push(next);
      }
    }

    /** Refused by the validator without a trace: no journal entry, no change of state. */
    async expectRefused(action: string, actor: Actor, input: TakeActionArgs['input'], type: string): Promise<ApplicationFailure> {
      return this.refusedWithoutTrace(() => this.act(action, actor, input), type);
    }
  }

  type Open = (input: MandatoryTrainingStartInput, options?: { historyLimit?: number }) => Promise<Case>;

  /**
   * One case on its own task queue and worker, opened by Ledelsessekretariatet at the current
   * test-server time; `wrap` may stand between the workflow and the recording activity.
   */
  async function withCase(body: (open: Open) => Promise<void>, wrap: (record: CaseActivities['recordCaseEvent']) => CaseActivities['recordCaseEvent'] = (r) => r): Promise<void> {
    const recorded = new RecordedCase();
    const taskQueue = `training-${randomUUID().slice(0, 8)}`;
    const worker = await createWorker(env, { recordCaseEvent: wrap(recorded.activities.recordCaseEvent) }, taskQueue);
    let opened: Case | undefined;
    const open: Open = async (input, options = {}) => {
      if (opened) throw new Error('One case per test');
      const args = { ...startInput('mandatory-training', secretariat, input, new Date(await now())), ...options };
      const handle = await env.client.workflow.start(mandatoryTrainingWorkflow, { workflowId: args.caseId, taskQueue, args: [args] });
      opened = new Case(handle, recorded);
      await handle.executeUpdate(caseOpenedUpdate);
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

  // ------------------------------------------------------------------------------------------

  const FIRST_DEADLINES = [
    { who: 'administrative staff', course: 'it-security', staffGroup: 'administrative', due: (from: number) => endOfCopenhagenDay(plusDays(from, 14)), span: '14 days' },
    { who: 'a leader (as administrative staff)', course: 'it-security', staffGroup: 'leader', due: (from: number) => endOfCopenhagenDay(plusDays(from, 14)), span: '14 days' },
    { who: 'pedagogical staff', course: 'it-security', staffGroup: 'pedagogical', due: (from: number) => endOfCopenhagenDay(plusDays(from, 28)), span: '4 weeks' },
    { who: 'administrative staff', course: 'administrative-law', staffGroup: 'administrative', due: (from: number) => endOfCopenhagenDay(plusDays(from, 365)), span: '1 year' },
    { who: 'a leader', course: 'administrative-law', staffGroup: 'leader', due: (from: number) => endOfCopenhagenDay(plusDays(from, 365)), span: '1 year' },
  ] as const;

  describe('the first completion deadline', () => {
    it.each(FIRST_DEADLINES)(
      'given $who starting on $course, when nothing is recorded, then the institution leader is reminded 7 and 1 days before the $span deadline and it escalates to the institution and cluster leaders, overdue until completed',
      async ({ course, staffGroup, due: dueAfter }) => {
        await withCase(async (open) => {
          const employedFrom = await now();
          const c = await open(employee(employedFrom, { course, staffGroup }));
          const due = dueAfter(employedFrom);
          expect(c.deadline('completion')).toMatchObject({ name: 'completion', dueAt: iso(due), state: 'pending' });
          expect(c.persisted()).toMatchObject({ step: 'awaiting-completion', area: 'nord', data: { employeeId: 'emp-4711', course, staffGroup, unit: UNIT, area: 'nord', employedFrom: iso(employedFrom), completions: [], dueAt: iso(due) } });
          expect(c.recorded.notifications('assignment')).toEqual([expect.objectContaining({ role: 'institution-leader' })]);

          await skipTo(atCopenhagenHour(plusDays(due, -7), 8) - MINUTE);
          expect(c.count('reminder')).toBe(0);
          await skipTo(atCopenhagenHour(plusDays(due, -7), 8) + MINUTE);
          expect(c.roles('reminder')).toEqual(['institution-leader']);
          await skipTo(atCopenhagenHour(plusDays(due, -1), 8) - MINUTE);
          expect(c.count('reminder')).toBe(1);
          await skipTo(atCopenhagenHour(plusDays(due, -1), 8) + MINUTE);
          expect(c.roles('reminder')).toEqual(['institution-leader', 'institution-leader']);

          await skipTo(due - MINUTE);
          expect(c.count('deadline-missed')).toBe(0);
          expect(c.persisted().overdue).toBe(false);
          await skipTo(due + MINUTE);
          expect(c.recorded.actions()).toEqual(['opened', 'reminder', 'reminder', 'deadline-missed']);
          expect(c.roles('escalation')).toEqual(['cluster-leader', 'institution-leader']);
          expect(c.deadline('completion').state).toBe('missed');
          expect(c.persisted()).toMatchObject({ overdue: true, data: { dueAt: iso(due) } });
          expect((await c.handle.query(caseSnapshotQuery)).overdue).toBe(true);

          // Completing late makes the missed obligation good: no longer overdue.
          await skipTo(due + 3 * DAY);
          await c.complete(await now());
          expect(c.deadline('completion')).toMatchObject({ state: 'missed', settledAt: expect.any(String) });
          expect(c.persisted().overdue).toBe(false);
          expect(c.recorded.last().entry).toMatchObject({ action: 'complete', note: expect.stringContaining('efter fristen') });
        });
      },
    );

    it('given an employee employed long before the case is opened, when it opens past the completion deadline, then it escalates at once without reminders and is overdue', async () => {
      await withCase(async (open) => {
        const employedFrom = (await now()) - 30 * DAY;
        const c = await open(employee(employedFrom));
        await env.sleep(MINUTE);
        expect(c.recorded.actions()).toEqual(['opened', 'deadline-missed']);
        expect(c.roles('escalation')).toEqual(['cluster-leader', 'institution-leader']);
        expect(c.persisted()).toMatchObject({ overdue: true, data: { dueAt: iso(endOfCopenhagenDay(plusDays(employedFrom, 14))) } });
      });
    });
  });

  describe('completion in time', () => {
    it('given an IT-security case, when the completion is recorded before the deadline, then it is met, the refresh falls due 2 years after completedAt and nothing is reminded or escalated meanwhile', async () => {
      await withCase(async (open) => {
        const employedFrom = await now();
        const c = await open(employee(employedFrom));
        await env.sleep(5 * DAY);
        const completedAt = (await now()) - HOUR;
        await c.complete(completedAt);

        const refreshDue = endOfCopenhagenDay(plusYears(completedAt, 2));
        expect(c.persisted()).toMatchObject({ step: 'awaiting-refresh', status: 'open', overdue: false, data: { completions: [{ completedAt: iso(completedAt) }], dueAt: iso(refreshDue) } });
        expect(c.deadline('completion')).toMatchObject({ state: 'met', settledAt: expect.any(String) });
        expect(c.deadline('refresh')).toMatchObject({ name: 'refresh', dueAt: iso(refreshDue), state: 'pending', basis: 'Politik (mandatoryTraining.itSecurityRefreshYears)' });

        await skipTo(atCopenhagenHour(plusDays(refreshDue, -7), 8) - MINUTE);
        expect(c.recorded.actions()).toEqual(['opened', 'complete']);
        // Under the default history limit one completion does not continue the case as new.
        expect(await c.runs()).toHaveLength(1);
      });
    });

    it('given an administrative-law case, when the completion is recorded, then the deadline is met and the case closes without a refresh', async () => {
      await withCase(async (open) => {
        const c = await open(employee(await now(), { course: 'administrative-law' }));
        await env.sleep(100 * DAY);
        await c.complete(await now(), secretariat);
        await c.handle.result();

        expect(c.recorded.actions()).toEqual(['opened', 'complete']);
        expect(c.persisted()).toMatchObject({ status: 'closed', step: 'closed', overdue: false, closedAt: expect.any(String) });
        expect(c.persisted().deadlines).toEqual([expect.objectContaining({ name: 'completion', state: 'met' })]);
        expect(c.persisted().data.dueAt).toBeUndefined();
        expect(c.recorded.notifications('reminder')).toHaveLength(0);
      });
    });
  });

  describe('end of employment', () => {
    it('given an IT-security case awaiting its refresh, when the employment ends, then the case closes, the refresh deadline settles and no reminder follows', async () => {
      await withCase(async (open) => {
        const c = await open(employee(await now()));
        await env.sleep(DAY);
        await c.complete(await now());
        await env.sleep(YEAR);
        await c.endEmployment((await now()) - DAY);
        await c.handle.result();
        await env.sleep(2 * YEAR);

        expect(c.recorded.actions()).toEqual(['opened', 'complete', 'end-employment']);
        expect(c.persisted()).toMatchObject({ status: 'closed', step: 'closed', overdue: false, data: { endedAt: expect.any(String) } });
        expect(c.deadline('refresh')).toMatchObject({ state: 'met', settledAt: expect.any(String) });
        expect(c.persisted().data.dueAt).toBeUndefined();
        expect(c.recorded.notifications('reminder')).toHaveLength(0);
      });
    });
  });

  describe('the validator', () => {
    it('given an open case, when a completion is recorded by the wrong role, by a leader of another unit or with an impossible date, then it is refused with the reason and leaves no trace', async () => {
      await withCase(async (open) => {
        const employedFrom = (await now()) - 2 * DAY;
        const c = await open(employee(employedFrom));

        const role = await c.expectRefused('complete', clusterLeader, { completedAt: iso(await now()) }, 'Forbidden');
        expect(role.message).toContain('ledelsessekretariat, area-chief, institution-leader');
        const person = await c.expectRefused('complete', leaderElsewhere, { completedAt: iso(await now()) }, 'Forbidden');
        expect(person.message).toContain(UNIT);

        const fields = async (input: TakeActionArgs['input']) =>
          ((await c.expectRefused('complete', leader, input, 'InvalidInput')).details?.[0] as { fields: { field: string }[] }).fields.map((f) => f.field);
        expect(await fields({ completedAt: iso(employedFrom - DAY) })).toEqual(['completedAt']);
        expect(await fields({ completedAt: iso((await now()) + DAY) })).toEqual(['completedAt']);
        expect(await fields({})).toEqual(['completedAt']);
        expect(await fields({ completedAt: 'yesterday' })).toEqual(['completedAt']);
        expect(await fields({ completedAt: iso(await now()), employeeId: 'x' })).toEqual(['employeeId']);

        await c.complete((await now()) - HOUR);
        expect(await fields({ completedAt: iso((await now()) - DAY) })).toEqual(['completedAt']);
        const ended = await c.expectRefused('end-employment', leader, { endedAt: iso((await now()) + DAY) }, 'InvalidInput');
        expect(ended.message).toContain('endedAt');
        expect(c.recorded.actions()).toEqual(['opened', 'complete']);
      });
    });
  });

  describe('a case that lives for years', () => {
    it('given an IT-security case with a low history limit, when it runs for over 4 years through two refresh cycles, then it continues as new after each completion under the same case id, and the journal runs on without gaps or repeats', async () => {
      await withCase(async (open) => {
        const employedFrom = await now();
        const c = await open(employee(employedFrom), { historyLimit: 1 });

        // First completion, 10 days in (after the first reminder): the first refresh falls due 2 years later.
        await skipTo(employedFrom + 10 * DAY);
        expect(c.recorded.actions()).toEqual(['opened', 'reminder']);
        const first = await now();
        await c.complete(first);
        const refresh1 = endOfCopenhagenDay(plusYears(first, 2));
        expect(c.deadline('refresh')).toMatchObject({ dueAt: iso(refresh1), state: 'pending' });

        // A continued run re-arms the pending refresh: its first reminder comes 7 days before.
        await skipTo(plusDays(refresh1, -7) + MINUTE);
        expect(c.recorded.actions()).toEqual(['opened', 'reminder', 'complete', 'reminder']);
        // Refreshed early, 4 days before it falls due: the second refresh is 2 years after that.
        await skipTo(plusDays(refresh1, -4));
        const second = await now();
        await c.complete(second);
        const refresh2 = endOfCopenhagenDay(plusYears(second, 2));

        // Nobody refreshes the second time: reminders, then escalation and overdue, in the third run.
        await skipTo(refresh2 + HOUR);
        expect(refresh2 - employedFrom).toBeGreaterThan(4 * YEAR);
        expect(c.recorded.actions()).toEqual(['opened', 'reminder', 'complete', 'reminder', 'complete', 'reminder', 'reminder', 'deadline-missed']);
        expect(c.roles('escalation')).toEqual(['cluster-leader', 'institution-leader']);
        expect(c.persisted()).toMatchObject({ overdue: true, data: { dueAt: iso(refresh2) } });
        expect((await c.handle.query(caseSnapshotQuery)).overdue).toBe(true);

        await skipTo(refresh2 + 20 * DAY);
        const third = await now();
        await c.complete(third);
        expect(c.persisted()).toMatchObject({ overdue: false, step: 'awaiting-refresh', data: { dueAt: iso(endOfCopenhagenDay(plusYears(third, 2))) } });
        await c.endEmployment(await now());
        await c.handle.result();

        // The journal: one sequence across every run, each entry once, 'opened' only in the first run.
        expect(c.recorded.actions()).toEqual(['opened', 'reminder', 'complete', 'reminder', 'complete', 'reminder', 'reminder', 'deadline-missed', 'complete', 'end-employment']);
        expect(c.seqs()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        expect(new Set(c.recorded.events.map((e) => e.snapshot.id))).toEqual(new Set([c.handle.workflowId]));
        expect(c.persisted().data.completions).toEqual([first, second, third].map((t) => ({ completedAt: iso(t) })));
        expect(c.persisted().deadlines.map((d) => [d.name, d.state])).toEqual([
          ['completion', 'met'],
          ['refresh', 'met'],
          ['refresh', 'missed'],
          ['refresh', 'met'],
        ]);

        // One run per completion: the first plus three continued runs, all under the one workflow id.
        const runs = await c.runs();
        expect(runs).toHaveLength(4);
        expect(new Set(runs).size).toBe(4);
        const latest = await c.handle.describe();
        expect(latest).toMatchObject({ workflowId: c.handle.workflowId, runId: runs[3], status: { name: 'COMPLETED' } });
        expect(latest.runId).not.toBe(c.handle.firstExecutionRunId);
      });
    });

    it('given a completion whose record is still being written, when the case is due to continue as new, then it waits for the handler and the new run starts after it with the entry journalled once', async () => {
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let writing!: () => void;
      const completionBeingWritten = new Promise<void>((resolve) => (writing = resolve));
      const holdCompletion = (record: CaseActivities['recordCaseEvent']) => async (event: CaseEvent) => {
        if (event.entry.action === 'complete') {
          writing();
          await released;
        }
        await record(event);
      };

      await withCase(async (open) => {
        const c = await open(employee(await now()), { historyLimit: 1 });
        const completing = c.complete(await now());
        await completionBeingWritten;

        expect(await c.runs()).toEqual([c.handle.firstExecutionRunId]);
        expect((await c.handle.describe()).runId).toBe(c.handle.firstExecutionRunId);

        release();
        await completing;
        await c.endEmployment(await now());
        await c.handle.result();
        expect(await c.runs()).toHaveLength(2);
        expect(c.recorded.actions()).toEqual(['opened', 'complete', 'end-employment']);
        expect(c.seqs()).toEqual([1, 2, 3]);
      }, holdCompletion);
    });

    it('given a completion so old that the refresh is already overdue, when the case continues as new, then the escalation written by the refresh timer is journalled before the new run, without a gap', async () => {
      await withCase(async (open) => {
        const t = await now();
        const c = await open(employee(t - 3 * YEAR), { historyLimit: 1 });
        const completedAt = t - 2 * YEAR - 30 * DAY;
        await c.complete(completedAt);
        await c.endEmployment(await now());
        await c.handle.result();

        expect(c.recorded.actions()).toEqual(['opened', 'deadline-missed', 'complete', 'deadline-missed', 'end-employment']);
        expect(c.seqs()).toEqual([1, 2, 3, 4, 5]);
        expect(c.recorded.events[3].snapshot.overdue).toBe(true);
        expect(await c.runs()).toHaveLength(2);
      });
    });
  });
});
