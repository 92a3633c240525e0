import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  type Actor,
  type CaseSnapshot,
  DEFAULT_POLICY,
  type Deadline,
  type TakeActionArgs,
  type TaskforceData,
} from '@buf/domain';
import { caseOpenedUpdate, caseSnapshotQuery } from '@buf/workflows/messages';
import { type TaskforceStartInput, taskforceWorkflow } from '@buf/workflows/taskforce';
import { DAY, RecordedCase, createTimeSkippingEnv, createWorker, startInput } from '../support/time-skipping';
import { CaseUnderTest, act, clockAt, skipTo as skipToInstant } from '../support/case-harness';

const MINUTE = 60_000;
const REVIEW_EVERY = DEFAULT_POLICY.taskforce.reviewEveryDays * DAY;

const areaChief: Actor = { sub: 'oc-1', name: 'Olga Områdechef', roles: ['area-chief'], area: 'syd' };
const deputyAreaChief: Actor = { sub: 'oc-2', name: 'Ove Områdechef', roles: ['area-chief'], area: 'syd' };
const otherAreasChief: Actor = { sub: 'oc-3', name: 'Otto Områdechef', roles: ['area-chief'], area: 'nord' };
const hrChief: Actor = { sub: 'hr-1', name: 'Hanne HR', roles: ['hr-chief'] };
const bothRoles: Actor = { sub: 'x-1', name: 'Bodil Begge', roles: ['area-chief', 'hr-chief'], area: 'syd' };
const direktion: Actor = { sub: 'dir-1', name: 'Dorte Direktør', roles: ['direktion'] };

type Snapshot = CaseSnapshot<TaskforceData>;

describe('taskforce workflow (time-skipping)', () => {
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

  class Case extends CaseUnderTest<Snapshot, WorkflowHandle<typeof taskforceWorkflow>> {

    act(action: string, actor: Actor, input: TakeActionArgs['input'] = {}): Promise<void> {
      return act(this.handle, actor, action, input);
    }

    review(): Deadline {
      return this.deadline('review');
    }

    async expectRefused(action: string, actor: Actor, input: TakeActionArgs['input'], type: string): Promise<ApplicationFailure> {
      return this.refusedWithoutTrace(() => this.act(action, actor, input), type);
    }

    async approveByBoth(): Promise<void> {
      await this.act('approve', areaChief, { note: 'Enig' });
      await this.act('approve', hrChief);
    }

    recordReview(): Promise<void> {
      return this.act('record-review', areaChief, { assessment: 'Samarbejdet bedres langsomt' });
    }
  }

  /** One case on its own task queue and worker, opened now; `maxHistoryEvents` lowers the continue-as-new threshold. */
  async function withCase(body: (c: Case) => Promise<void>, maxHistoryEvents?: number): Promise<void> {
    const recorded = new RecordedCase();
    const taskQueue = `taskforce-${randomUUID().slice(0, 8)}`;
    const worker = await createWorker(env, recorded.activities, taskQueue);
    const input: TaskforceStartInput = { unit: 'Børnehuset Solsikken', area: 'syd', unitType: 'daycare', challenges: 'Samarbejdsvanskeligheder i personalegruppen' };
    const args = { ...startInput('taskforce', areaChief, input, new Date(await now())), ...(maxHistoryEvents ? { maxHistoryEvents } : {}) };
    const handle = await env.client.workflow.start(taskforceWorkflow, { workflowId: args.caseId, taskQueue, args: [args] });
    const c = new Case(handle, recorded);
    await worker.runUntil(async () => {
      try {
        await handle.executeUpdate(caseOpenedUpdate);
        await body(c);
      } finally {
        if ((await handle.describe()).status.name === 'RUNNING') await handle.terminate('test done');
      }
    });
  }

  describe('the decision by the area chief and the HR chief', () => {
    it('given a requested taskforce, when the area chief approves, then it waits for the HR chief, and support starts on Friday 05.03.2027 with a review 4 weeks later only when both have approved', async () => {
      // The first test of this file: the server's clock is still at today's date.
      await clockAt(env, Date.parse('2027-03-05T09:00:00+01:00')); // fredag 05.03.2027 kl. 09.00 (vintertid)
      await withCase(async (c) => {
        expect(c.recorded.last().notifications.map((n) => n.role).sort()).toEqual(['area-chief', 'hr-chief']);
        await c.act('approve', areaChief, { note: 'Enig' });
        expect(c.persisted().step).toBe('awaiting-decision');
        expect(c.persisted().deadlines).toEqual([]);
        expect(c.recorded.last().notifications).toEqual([expect.objectContaining({ role: 'hr-chief', kind: 'assignment' })]);

        await skipTo(Date.parse('2027-03-05T10:00:00+01:00')); // fredag 05.03.2027 kl. 10.00
        await c.act('approve', hrChief);
        const s = c.persisted();
        expect(s.step).toBe('support-active');
        expect(s.data.approvals.map((a) => [a.role, a.by.sub])).toEqual([['area-chief', 'oc-1'], ['hr-chief', 'hr-1']]);
        expect(s.data.decision?.outcome).toBe('approved');
        // By hand: 28 calendar days from Friday 05.03.2027, to the end of Friday 02.04.2027 in
        // summer time (from Sunday 28.03; Easter does not count in calendar days).
        expect(c.review()).toMatchObject({ dueAt: '2027-04-02T21:59:59.999Z', state: 'pending' }); // fredag 02.04.2027 kl. 23.59 (sommertid)
        expect(c.recorded.last().notifications.map((n) => n.role).sort()).toEqual(['area-chief', 'hr-chief']);
      });
    });

    it('given the area chief has approved, when the same person or another area chief of the area approves again, then it is refused (409) and the HR chief is still awaited', async () => {
      await withCase(async (c) => {
        await c.act('approve', areaChief);
        const samePerson = await c.expectRefused('approve', areaChief, {}, 'NotAllowedInStep');
        expect(samePerson.message).toContain('already approved');
        const sameRole = await c.expectRefused('approve', deputyAreaChief, {}, 'NotAllowedInStep');
        expect(sameRole.message).toContain('The area-chief has already approved; waiting for the hr-chief.');
        expect(sameRole.details?.[0]).toEqual({ step: 'awaiting-decision', allowedActions: ['decline'] });
        expect(c.persisted().step).toBe('awaiting-decision');
      });
    });

    it('given one person holding both deciding roles, when they approve twice, then the second approval is refused: two people must agree', async () => {
      await withCase(async (c) => {
        await c.act('approve', bothRoles);
        expect(c.persisted().data.approvals).toEqual([expect.objectContaining({ role: 'area-chief' })]);
        await c.expectRefused('approve', bothRoles, {}, 'NotAllowedInStep');
        await c.act('approve', hrChief);
        expect(c.persisted().step).toBe('support-active');
      });
    });

    it('given a requested taskforce, when someone who is not its area chief or the HR chief decides, then 403 says who may', async () => {
      await withCase(async (c) => {
        const foreign = await c.expectRefused('approve', otherAreasChief, {}, 'Forbidden');
        expect(foreign.message).toContain('area chief of area syd');
        await c.expectRefused('decline', otherAreasChief, { reason: 'Nej' }, 'Forbidden');
        const role = await c.expectRefused('approve', direktion, {}, 'Forbidden');
        expect(role.message).toContain('area-chief, hr-chief');
        await c.expectRefused('record-review', areaChief, { assessment: 'x' }, 'NotAllowedInStep');
        const missing = await c.expectRefused('decline', hrChief, {}, 'InvalidInput');
        expect(missing.details?.[0]).toMatchObject({ fields: [{ field: 'reason' }] });
      });
    });

    it('given the area chief has approved, when the HR chief declines, then the case closes as declined and no review is armed', async () => {
      await withCase(async (c) => {
        await c.act('approve', areaChief);
        await c.act('decline', hrChief, { reason: 'Lokale tiltag skal afprøves først' });
        expect(c.persisted()).toMatchObject({ status: 'closed', step: 'closed', deadlines: [] });
        expect(c.persisted().data.decision).toMatchObject({ outcome: 'declined', role: 'hr-chief' });
        expect(c.recorded.actions()).toEqual(['opened', 'approve', 'decline']);
        await c.handle.result();
      });
    });
  });

  describe('the 4-weekly status review', () => {
    it('given active support, when no review is recorded, then the area chief is reminded 3 days before and the area chief and HR chief are alerted when it is due', async () => {
      // Support approved Friday 09.03.2040 09:00 CET (the earlier tests move this server's clock
      // years ahead); summer time begins Sunday 25.03.2040.
      await clockAt(env, Date.parse('2040-03-09T09:00:00+01:00'));
      await withCase(async (c) => {
        await c.approveByBoth();
        const due = Date.parse(c.review().dueAt);
        // By hand: 28 calendar days, to the end of Friday 06.04.2040 (CEST).
        expect(new Date(due).toISOString()).toBe('2040-04-06T21:59:59.999Z');
        // 3 days before, at 08:00 Copenhagen: Tuesday 03.04.2040 08:00 CEST.
        const remindAt = Date.parse('2040-04-03T08:00:00+02:00');

        await skipTo(remindAt - MINUTE);
        expect(c.count('reminder')).toBe(0);
        await skipTo(remindAt + MINUTE);
        expect(c.recorded.notifications('reminder')).toEqual([expect.objectContaining({ role: 'area-chief' })]);

        await skipTo(due - MINUTE);
        expect(c.count('deadline-missed')).toBe(0);
        expect(c.persisted().overdue).toBe(false);
        await skipTo(due + MINUTE);
        expect(c.recorded.actions()).toEqual(['opened', 'approve', 'approve', 'reminder', 'deadline-missed']);
        expect(c.recorded.notifications('escalation').map((n) => n.role).sort()).toEqual(['area-chief', 'hr-chief']);
        expect(c.review().state).toBe('missed');
        expect(c.persisted().overdue).toBe(true);
      });
    });

    it('given a review missed on Wednesday 30.05.2040, when it is recorded late on Friday 01.06.2040, then the case is no longer overdue and the next review is due 4 weeks after it, on Friday 29.06.2040', async () => {
      await clockAt(env, Date.parse('2040-05-02T10:00:00+02:00')); // onsdag 02.05.2040 kl. 10.00 (sommertid)
      await withCase(async (c) => {
        await c.approveByBoth();
        expect(c.review().dueAt).toBe('2040-05-30T21:59:59.999Z'); // onsdag 30.05.2040 kl. 23.59
        await skipTo(Date.parse('2040-06-01T10:00:00+02:00')); // fredag 01.06.2040 kl. 10.00
        expect(c.persisted().overdue).toBe(true);

        await c.recordReview();
        const deadlines = c.persisted().deadlines;
        expect(deadlines.map((d) => d.state)).toEqual(['missed', 'pending']);
        expect(deadlines[0].settledAt).toEqual(expect.any(String));
        // By hand: 28 calendar days from the review on Friday 01.06.2040, to the end of the 28th day.
        expect(deadlines[1].dueAt).toBe('2040-06-29T21:59:59.999Z'); // fredag 29.06.2040 kl. 23.59
        expect(c.persisted().overdue).toBe(false);
        expect(c.persisted().data.reviews).toHaveLength(1);
      });
    });

    it('given active support, when stability is restored, then reviews stop and the case can be closed', async () => {
      await withCase(async (c) => {
        await c.approveByBoth();
        await c.act('log-action', hrChief, { note: 'Dialogmøde med personalegruppen' });
        await c.recordReview();
        await c.act('restore-stability', areaChief, { summary: 'Samarbejdet fungerer igen' });
        expect(c.persisted().step).toBe('stability-restored');
        expect(c.persisted().deadlines.map((d) => d.state)).toEqual(['met', 'met']);
        await skipTo((await now()) + 2 * REVIEW_EVERY);
        expect(c.count('reminder') + c.count('deadline-missed')).toBe(0);
        await c.expectRefused('record-review', areaChief, { assessment: 'x' }, 'NotAllowedInStep');

        await c.act('close', areaChief, { note: 'Afsluttet' });
        expect(c.recorded.actions()).toEqual(['opened', 'approve', 'approve', 'log-action', 'record-review', 'restore-stability', 'close']);
        expect(c.persisted()).toMatchObject({ status: 'closed', step: 'closed' });
        await c.handle.result();
      });
    });
  });

  describe('a long-running taskforce', () => {
    it('given a low history limit, when a year of reviews is recorded every 27 days, then the case continues as new without a second opening, its journal runs on, and a missed review still escalates', async () => {
      await withCase(async (c) => {
        await c.approveByBoth();
        const runIds = new Set<string>([(await c.handle.describe()).runId]);
        for (let cycle = 1; cycle <= 13; cycle += 1) {
          await env.sleep(REVIEW_EVERY - DAY);
          await c.recordReview();
          runIds.add((await c.handle.describe()).runId);
        }

        expect(runIds.size).toBeGreaterThan(2);
        expect(c.count('opened')).toBe(1);
        expect(c.count('record-review')).toBe(13);
        expect(c.count('reminder')).toBe(13);
        expect(c.count('deadline-missed')).toBe(0);
        expect(c.recorded.events.map((e) => e.entry.seq)).toEqual(c.recorded.events.map((_e, i) => i + 1));
        expect(c.persisted().data.reviews).toHaveLength(13);
        expect((await c.handle.query(caseSnapshotQuery)).data).toMatchObject({ reviews: expect.any(Array) });

        // The pending review survives continue-as-new: its reminder and escalation still come.
        await skipTo(Date.parse(c.review().dueAt) + MINUTE);
        expect(c.count('reminder')).toBe(14);
        expect(c.count('deadline-missed')).toBe(1);
        expect(c.persisted().overdue).toBe(true);

        await c.act('restore-stability', hrChief, { summary: 'Stabil drift i et år' });
        await c.act('close', hrChief);
        expect(c.persisted().status).toBe('closed');
        await c.handle.result();
      }, 60);
    });

    it('given the default history limit, when a year of reviews is recorded, then the case keeps working in one run', async () => {
      await withCase(async (c) => {
        await c.approveByBoth();
        const firstRun = (await c.handle.describe()).runId;
        for (let cycle = 1; cycle <= 13; cycle += 1) {
          await env.sleep(REVIEW_EVERY - DAY);
          await c.recordReview();
        }
        expect((await c.handle.describe()).runId).toBe(firstRun);
        expect(c.count('record-review')).toBe(13);
        expect(c.count('deadline-missed')).toBe(0);
        expect(c.review().state).toBe('pending');
      });
    });
  });
});
