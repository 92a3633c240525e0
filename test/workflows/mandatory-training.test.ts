import { randomUUID } from 'node:crypto';
import type { WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { CaseActivities } from '@buf/activities/case-activities';
import type { Actor, CaseEvent, CaseSnapshot, MandatoryTrainingData, TakeActionArgs } from '@buf/domain';
import { caseOpenedUpdate, caseSnapshotQuery } from '@buf/workflows/messages';
import { type MandatoryTrainingStartInput, mandatoryTrainingWorkflow } from '@buf/workflows/mandatory-training';
import { CaseUnderTest, act, clockAt, skipTo as skipToInstant } from '../support/case-harness';
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
      return act(this.handle, actor, action, input);
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

  // Worked out by hand in Copenhagen wall-clock time, in the order the tests run (the test server's
  // clock only moves forward). Calendar days end at the end of the last day; holidays count.
  const FIRST_DEADLINES = [
    {
      who: 'administrative staff', course: 'it-security', staffGroup: 'administrative', span: '14 days, across the start of summer time and Easter',
      employedFrom: '2027-03-22T10:00:00+01:00', // mandag 22.03.2027 kl. 10.00 (vintertid)
      due: '2027-04-05T21:59:59.999Z', // mandag 05.04.2027 (2. påskedag) kl. 23.59 (sommertid)
      remindAt: ['2027-03-29T06:00:00Z', '2027-04-04T06:00:00Z'], // mandag 29.03.2027 and søndag 04.04.2027 kl. 08.00 (sommertid)
    },
    {
      who: 'a leader (as administrative staff)', course: 'it-security', staffGroup: 'leader', span: '14 days, across the end of summer time',
      employedFrom: '2027-10-18T10:00:00+02:00', // mandag 18.10.2027 kl. 10.00 (sommertid)
      due: '2027-11-01T22:59:59.999Z', // mandag 01.11.2027 kl. 23.59 (vintertid)
      remindAt: ['2027-10-25T06:00:00Z', '2027-10-31T07:00:00Z'], // mandag 25.10.2027 kl. 08.00 (sommertid), søndag 31.10.2027 kl. 08.00 (vintertid)
    },
    {
      who: 'pedagogical staff', course: 'it-security', staffGroup: 'pedagogical', span: '4 weeks, across Christmas',
      employedFrom: '2027-12-01T10:00:00+01:00', // onsdag 01.12.2027 kl. 10.00
      due: '2027-12-29T22:59:59.999Z', // onsdag 29.12.2027 kl. 23.59
      remindAt: ['2027-12-22T07:00:00Z', '2027-12-28T07:00:00Z'], // onsdag 22.12.2027 and tirsdag 28.12.2027 kl. 08.00
    },
    {
      who: 'administrative staff', course: 'administrative-law', staffGroup: 'administrative', span: '365 days, across the leap day 29.02.2028',
      employedFrom: '2028-01-03T10:00:00+01:00', // mandag 03.01.2028 kl. 10.00
      due: '2029-01-02T22:59:59.999Z', // tirsdag 02.01.2029 kl. 23.59 (365 days, not the calendar year: 2028 has 366)
      remindAt: ['2028-12-26T07:00:00Z', '2029-01-01T07:00:00Z'], // tirsdag 26.12.2028 and mandag 01.01.2029 kl. 08.00
    },
    {
      who: 'a leader', course: 'administrative-law', staffGroup: 'leader', span: '365 days',
      employedFrom: '2029-01-10T10:00:00+01:00', // onsdag 10.01.2029 kl. 10.00
      due: '2030-01-10T22:59:59.999Z', // torsdag 10.01.2030 kl. 23.59
      remindAt: ['2030-01-03T07:00:00Z', '2030-01-09T07:00:00Z'], // torsdag 03.01.2030 and onsdag 09.01.2030 kl. 08.00
    },
  ] as const;

  describe('the first completion deadline', () => {
    it.each(FIRST_DEADLINES)(
      'given $who starting on $course on $employedFrom, when nothing is recorded, then the institution leader is reminded 7 and 1 days before the deadline ($span) and it escalates to the institution and cluster leaders at $due, overdue until completed',
      async ({ course, staffGroup, employedFrom, due, remindAt: [sevenDaysBefore, oneDayBefore] }) => {
        await clockAt(env, Date.parse(employedFrom));
        await withCase(async (open) => {
          const c = await open(employee(Date.parse(employedFrom), { course, staffGroup }));
          expect(c.deadline('completion')).toMatchObject({ name: 'completion', dueAt: due, state: 'pending' });
          expect(c.persisted()).toMatchObject({ step: 'awaiting-completion', area: 'nord', data: { employeeId: 'emp-4711', course, staffGroup, unit: UNIT, area: 'nord', employedFrom: iso(Date.parse(employedFrom)), completions: [], dueAt: due } });
          expect(c.recorded.notifications('assignment')).toEqual([expect.objectContaining({ role: 'institution-leader' })]);

          await skipTo(Date.parse(sevenDaysBefore) - MINUTE);
          expect(c.count('reminder')).toBe(0);
          await skipTo(Date.parse(sevenDaysBefore) + MINUTE);
          expect(c.roles('reminder')).toEqual(['institution-leader']);
          await skipTo(Date.parse(oneDayBefore) - MINUTE);
          expect(c.count('reminder')).toBe(1);
          await skipTo(Date.parse(oneDayBefore) + MINUTE);
          expect(c.roles('reminder')).toEqual(['institution-leader', 'institution-leader']);

          await skipTo(Date.parse(due) - MINUTE);
          expect(c.count('deadline-missed')).toBe(0);
          expect(c.deadline('completion').state).toBe('pending');
          expect(c.persisted().overdue).toBe(false);
          await skipTo(Date.parse(due) + MINUTE);
          expect(c.recorded.actions()).toEqual(['opened', 'reminder', 'reminder', 'deadline-missed']);
          expect(c.roles('escalation')).toEqual(['cluster-leader', 'institution-leader']);
          expect(c.deadline('completion').state).toBe('missed');
          expect(c.persisted()).toMatchObject({ overdue: true, data: { dueAt: due } });
          expect((await c.handle.query(caseSnapshotQuery)).overdue).toBe(true);

          // Completing late makes the missed obligation good: no longer overdue.
          await skipTo(Date.parse(due) + 3 * DAY);
          await c.complete(await now());
          expect(c.deadline('completion')).toMatchObject({ state: 'missed', settledAt: expect.any(String) });
          expect(c.persisted().overdue).toBe(false);
          expect(c.recorded.last().entry).toMatchObject({ action: 'complete', note: expect.stringContaining('efter fristen') });
        });
      },
    );

    it('given an employee employed on Friday 04.01.2030, when the case is opened on Monday 04.02.2030, past the completion deadline, then it escalates at once without reminders and is overdue', async () => {
      await clockAt(env, Date.parse('2030-02-04T10:00:00+01:00')); // mandag 04.02.2030 kl. 10.00
      await withCase(async (open) => {
        const c = await open(employee(Date.parse('2030-01-04T10:00:00+01:00'))); // fredag 04.01.2030 kl. 10.00
        await env.sleep(MINUTE);
        expect(c.recorded.actions()).toEqual(['opened', 'deadline-missed']);
        expect(c.roles('escalation')).toEqual(['cluster-leader', 'institution-leader']);
        // By hand: 14 calendar days from Friday 04.01.2030, to the end of Friday 18.01.2030.
        expect(c.persisted()).toMatchObject({ overdue: true, data: { dueAt: '2030-01-18T22:59:59.999Z' } }); // fredag 18.01.2030 kl. 23.59
        expect(c.deadline('completion').state).toBe('missed');
      });
    });
  });

  describe('completion in time', () => {
    it('given an IT-security case opened on Monday 04.03.2030, when the completion is recorded on Saturday 09.03.2030 before the deadline, then it is met, the refresh falls due 2 years after completedAt (Tuesday 09.03.2032) and nothing is reminded or escalated meanwhile', async () => {
      await clockAt(env, Date.parse('2030-03-04T10:00:00+01:00')); // mandag 04.03.2030 kl. 10.00
      await withCase(async (open) => {
        const c = await open(employee(Date.parse('2030-03-04T10:00:00+01:00')));
        await skipTo(Date.parse('2030-03-09T10:00:00+01:00')); // lørdag 09.03.2030 kl. 10.00
        const completedAt = '2030-03-09T08:00:00.000Z'; // lørdag 09.03.2030 kl. 09.00
        await c.complete(Date.parse(completedAt));

        const refreshDue = '2032-03-09T22:59:59.999Z'; // tirsdag 09.03.2032 kl. 23.59 (vintertid)
        expect(c.persisted()).toMatchObject({ step: 'awaiting-refresh', status: 'open', overdue: false, data: { completions: [{ completedAt }], dueAt: refreshDue } });
        expect(c.deadline('completion')).toMatchObject({ dueAt: '2030-03-18T22:59:59.999Z', state: 'met', settledAt: expect.any(String) }); // mandag 18.03.2030 kl. 23.59
        expect(c.deadline('refresh')).toMatchObject({ name: 'refresh', dueAt: refreshDue, state: 'pending', basis: 'Politik (mandatoryTraining.itSecurityRefreshYears)' });

        // A minute before the first refresh reminder (7 days before, tirsdag 02.03.2032 kl. 08.00).
        await skipTo(Date.parse('2032-03-02T06:59:00Z')); // tirsdag 02.03.2032 kl. 07.59
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
      // The earlier tests leave this server's clock in 2055 (closed cases wait out their retention).
      const employedFrom = Date.parse('2056-02-19T10:00:00+01:00'); // lørdag 19.02.2056 kl. 10.00
      await clockAt(env, employedFrom);
      await withCase(async (open) => {
        const c = await open(employee(employedFrom), { historyLimit: 1 });

        // First completion on the leap day, 10 days in (after the first reminder, lørdag 26.02.2056
        // kl. 08.00): the first refresh falls due 2 years later, on 28.02.2058 (2058 has no 29.02).
        const first = '2056-02-29T09:00:00.000Z'; // tirsdag 29.02.2056 kl. 10.00
        await skipTo(Date.parse(first));
        expect(c.recorded.actions()).toEqual(['opened', 'reminder']);
        await c.complete(Date.parse(first));
        expect(c.deadline('refresh')).toMatchObject({ dueAt: '2058-02-28T22:59:59.999Z', state: 'pending' }); // torsdag 28.02.2058 kl. 23.59

        // A continued run re-arms the pending refresh: its first reminder comes 7 days before, at 08.00.
        await skipTo(Date.parse('2058-02-21T06:59:00Z')); // torsdag 21.02.2058 kl. 07.59
        expect(c.recorded.actions()).toEqual(['opened', 'reminder', 'complete']);
        await skipTo(Date.parse('2058-02-21T07:01:00Z')); // torsdag 21.02.2058 kl. 08.01
        expect(c.recorded.actions()).toEqual(['opened', 'reminder', 'complete', 'reminder']);
        // Refreshed early, 4 days before it falls due: the second refresh is 2 years after that.
        const second = '2058-02-24T09:00:00.000Z'; // søndag 24.02.2058 kl. 10.00
        await skipTo(Date.parse(second));
        await c.complete(Date.parse(second));
        const refresh2 = '2060-02-24T22:59:59.999Z'; // tirsdag 24.02.2060 kl. 23.59
        expect(c.deadline('refresh')).toMatchObject({ dueAt: refresh2, state: 'pending' });

        // Nobody refreshes the second time: reminders (tirsdag 17.02 and mandag 23.02.2060 kl. 08.00),
        // then escalation and overdue, in the third run.
        await skipTo(Date.parse('2060-02-24T22:58:00Z')); // tirsdag 24.02.2060 kl. 23.58
        expect(c.recorded.actions()).toEqual(['opened', 'reminder', 'complete', 'reminder', 'complete', 'reminder', 'reminder']);
        expect(c.persisted().overdue).toBe(false);
        await skipTo(Date.parse('2060-02-24T23:01:00Z')); // onsdag 25.02.2060 kl. 00.01
        expect(Date.parse(refresh2) - employedFrom).toBeGreaterThan(4 * YEAR);
        expect(c.recorded.actions()).toEqual(['opened', 'reminder', 'complete', 'reminder', 'complete', 'reminder', 'reminder', 'deadline-missed']);
        expect(c.roles('escalation')).toEqual(['cluster-leader', 'institution-leader']);
        expect(c.persisted()).toMatchObject({ overdue: true, data: { dueAt: refresh2 } });
        expect((await c.handle.query(caseSnapshotQuery)).overdue).toBe(true);

        const third = '2060-03-15T09:00:00.000Z'; // mandag 15.03.2060 kl. 10.00
        await skipTo(Date.parse(third));
        await c.complete(Date.parse(third));
        expect(c.persisted()).toMatchObject({ overdue: false, step: 'awaiting-refresh', data: { dueAt: '2062-03-15T22:59:59.999Z' } }); // onsdag 15.03.2062 kl. 23.59 (vintertid)
        await c.endEmployment(await now());
        await c.handle.result();

        // The journal: one sequence across every run, each entry once, 'opened' only in the first run.
        expect(c.recorded.actions()).toEqual(['opened', 'reminder', 'complete', 'reminder', 'complete', 'reminder', 'reminder', 'deadline-missed', 'complete', 'end-employment']);
        expect(c.seqs()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        expect(new Set(c.recorded.events.map((e) => e.snapshot.id))).toEqual(new Set([c.handle.workflowId]));
        expect(c.persisted().data.completions).toEqual([first, second, third].map((completedAt) => ({ completedAt })));
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
