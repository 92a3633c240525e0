import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  type Actor,
  BULLYING_REQUIRED_DOCUMENTS,
  BULLYING_RESPONSE_DAYS,
  type BullyingComplaintData,
} from '@buf/domain';
import { type BullyingComplaintStartInput, bullyingComplaintWorkflow } from '@buf/workflows/bullying-complaint';
import { act, clockAt, dueAt, refusalOf, skipTo } from '../support/case-harness';
import { DAY, HOUR, RecordedCase, createTimeSkippingEnv, createWorker, startInput } from '../support/time-skipping';

const fagligtCenter: Actor = { sub: 'fc-1', name: 'Frida Fagligt Center', roles: ['fagligt-center'] };
const fromTheSchool: Actor = { sub: 'fc-2', name: 'Finn Fagligt Center', roles: ['fagligt-center'], unit: 'Skole Vest' };
const klageenhed: Actor = { sub: 'ke-1', name: 'Karen Klageenhed', roles: ['klageenhed'] };

describe('bullying-complaint workflow deadlines (time-skipping)', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
  });

  afterAll(async () => {
    await env?.teardown();
  });

  interface Opened {
    handle: WorkflowHandle;
    receivedAt: string;
    recorded: RecordedCase;
  }

  /** Opens a bullying complaint on a task queue of its own and runs `fn` while a worker serves it. */
  async function withComplaint(fn: (c: Opened) => Promise<void>, overrides: Partial<BullyingComplaintStartInput> = {}): Promise<void> {
    const recorded = new RecordedCase();
    const taskQueue = `bullying-${Math.random().toString(36).slice(2)}`;
    const worker = await createWorker(env, recorded.activities, taskQueue);
    await worker.runUntil(async () => {
      const now = new Date(await env.currentTimeMs());
      const complaint: BullyingComplaintStartInput = {
        school: 'Skole Vest',
        area: 'vest',
        complainant: 'parent',
        handledLocallyFirst: 'yes',
        grounds: ['no-action-plan', 'no-temporary-measures'],
        ...overrides,
      };
      const input = startInput('bullying-complaint', fagligtCenter, complaint, now);
      const handle = await env.client.workflow.start(bullyingComplaintWorkflow, { workflowId: input.caseId, taskQueue, args: [input] });
      await env.sleep(1_000);
      try {
        await fn({ handle, receivedAt: input.openedAt, recorded });
      } finally {
        if ((await handle.describe()).status.name === 'RUNNING') await handle.terminate('test done');
      }
    });
  }

  const data = (recorded: RecordedCase) => recorded.last().snapshot.data as unknown as BullyingComplaintData;
  const deadline = (recorded: RecordedCase, name: string) => recorded.last().snapshot.deadlines.find((d) => d.name === name);
  const admit = (handle: WorkflowHandle) => act(handle, fagligtCenter, 'assess-admissibility', { admissible: 'yes', reason: 'Behandlet lokalt af skolen' });

  it('given a received complaint, when no decision is made within 20 working days of receipt, then Fagligt Center and the area chief are told and the case is overdue until the decision', async () => {
    // Received Monday 29.11.2027 10:00 CET.
    await clockAt(env, Date.parse('2027-11-29T10:00:00+01:00'));
    await withComplaint(async ({ handle, recorded }) => {
      // By hand: Tue 30.11 (1) … Thu 23.12 (18), juleaftensdag Fri 24.12 skipped (juledag and
      // 2. juledag fall on the weekend), Mon 27.12 (19), Tue 28.12 (20), to its end (CET).
      const due = Date.parse('2027-12-28T22:59:59.999Z');
      expect(dueAt(recorded, 'decision')).toBe(due);
      expect(deadline(recorded, 'decision')?.explanation).toBe(
        '20 arbejdsdage fra modtagelsen mandag 29.11.2027 (juleaftensdag springes over): senest tirsdag 28.12.2027 kl. 23.59',
      );
      await admit(handle);

      await skipTo(env, due - HOUR);
      expect(recorded.notifications('escalation')).toHaveLength(0);
      await skipTo(env, due + HOUR);

      expect(recorded.actions()).toEqual(['opened', 'assess-admissibility', 'deadline-missed']);
      expect(recorded.notifications('escalation').map((n) => n.role).sort()).toEqual(['area-chief', 'fagligt-center']);
      expect(recorded.last().snapshot.overdue).toBe(true);

      await act(handle, fagligtCenter, 'decide', { outcome: 'rejected', reasoning: 'Skolen har handlet' });
      expect(recorded.last().snapshot).toMatchObject({ step: 'awaiting-response', overdue: false });
      expect(deadline(recorded, 'decision')).toMatchObject({ state: 'missed', settledAt: expect.any(String) });
    });
  });

  it('given a decision partly upheld, when the complainant is silent for 20 days, then the case moves at once to forwarding and is forwarded only with every required document', async () => {
    // Decided Tuesday 01.02.2028 in the morning.
    await clockAt(env, Date.parse('2028-02-01T10:00:00+01:00'));
    await withComplaint(async ({ handle, recorded }) => {
      await admit(handle);
      await act(handle, fagligtCenter, 'decide', { outcome: 'partly-upheld', reasoning: 'Handleplan mangler', schoolMustActBy: new Date((await env.currentTimeMs()) + 14 * DAY).toISOString() });
      const due = dueAt(recorded, 'complainant-response');
      // By hand: 20 calendar days after 01.02.2028, to the end of Monday 21.02.2028 (CET).
      expect(new Date(due).toISOString()).toBe('2028-02-21T22:59:59.999Z');

      await skipTo(env, due - HOUR);
      expect(recorded.last().snapshot.step).toBe('awaiting-response');
      await skipTo(env, due + HOUR);

      expect(recorded.actions()).toEqual(['opened', 'assess-admissibility', 'decide', 'complainant-response-window-passed']);
      expect(recorded.last().snapshot).toMatchObject({ step: 'forward-to-national-body', overdue: false });
      expect(recorded.last().notifications).toEqual([expect.objectContaining({ role: 'fagligt-center', kind: 'assignment' })]);
      expect(data(recorded).forwardReason).toBe('no-response');
      expect(await refusalOf(act(handle, fagligtCenter, 'register-response', { satisfied: 'no' }))).toMatchObject({
        type: 'NotAllowedInStep',
        details: { step: 'forward-to-national-body', allowedActions: ['forward'] },
      });

      const incomplete = await refusalOf(act(handle, fagligtCenter, 'forward', { reference: 'DCUM-1', documents: BULLYING_REQUIRED_DOCUMENTS.filter((d) => d !== 'wellbeing-survey') }));
      expect(incomplete).toMatchObject({ type: 'InvalidInput', details: { fields: [expect.objectContaining({ field: 'documents' })] } });
      expect(incomplete.message).toContain('wellbeing-survey');
      await act(handle, fagligtCenter, 'forward', { reference: 'DCUM-1', documents: [...BULLYING_REQUIRED_DOCUMENTS, 'action-plan'] });
      expect(recorded.last().snapshot).toMatchObject({ status: 'closed', step: 'closed' });
      expect(data(recorded)).toMatchObject({ resolution: 'forwarded', forwarding: { reference: 'DCUM-1' } });
    });
  });

  it('given a rejected complaint, when the complainant is dissatisfied, then it goes to forwarding at once and the 20 days passing changes nothing', async () => {
    await withComplaint(async ({ handle, recorded }) => {
      await admit(handle);
      await act(handle, fagligtCenter, 'decide', { outcome: 'rejected', reasoning: 'Strategi og handleplan findes' });
      await act(handle, fagligtCenter, 'register-response', { satisfied: 'no' });
      expect(recorded.last().snapshot.step).toBe('forward-to-national-body');
      expect(recorded.last().notifications).toEqual([expect.objectContaining({ role: 'fagligt-center', kind: 'assignment' })]);
      expect(deadline(recorded, 'complainant-response')).toMatchObject({ state: 'met' });

      await env.sleep((BULLYING_RESPONSE_DAYS + 1) * DAY);
      expect(recorded.actions()).toEqual(['opened', 'assess-admissibility', 'decide', 'register-response']);
      expect(data(recorded).forwardReason).toBe('dissatisfied');
    });
  });

  it('given a partly upheld complaint, when the complainant is satisfied, then it is never forwarded and can be closed', async () => {
    await withComplaint(async ({ handle, recorded }) => {
      await admit(handle);
      await act(handle, fagligtCenter, 'decide', { outcome: 'partly-upheld', reasoning: 'Midlertidige tiltag manglede' });
      await act(handle, fagligtCenter, 'register-response', { satisfied: 'yes' });
      await env.sleep((BULLYING_RESPONSE_DAYS + 1) * DAY);

      expect(recorded.last().snapshot.step).toBe('ready-to-close');
      expect(recorded.actions()).not.toContain('complainant-response-window-passed');
      await act(handle, fagligtCenter, 'close', { note: 'Klager tilfreds' });
      expect(recorded.last().snapshot.status).toBe('closed');
      expect(data(recorded)).toMatchObject({ resolution: 'accepted', response: { satisfied: 'yes' } });
    });
  });

  it('given a complaint upheld in full, when it is decided, then the school must be given a future date to act by and no response window opens', async () => {
    await withComplaint(async ({ handle, recorded }) => {
      await admit(handle);
      const now = await env.currentTimeMs();
      const decide = (input: Record<string, unknown>) => refusalOf(act(handle, fagligtCenter, 'decide', input));
      expect((await decide({ outcome: 'upheld', reasoning: 'Ingen handleplan' })).details?.fields?.[0].field).toBe('schoolMustActBy');
      expect((await decide({ outcome: 'upheld', reasoning: 'Ingen handleplan', schoolMustActBy: new Date(now - DAY).toISOString() })).details?.fields?.[0].field).toBe('schoolMustActBy');
      expect((await decide({ outcome: 'rejected', reasoning: 'x', schoolMustActBy: new Date(now + DAY).toISOString() })).details?.fields?.[0].field).toBe('schoolMustActBy');

      await act(handle, fagligtCenter, 'decide', { outcome: 'upheld', reasoning: 'Ingen handleplan', schoolMustActBy: new Date(now + 10 * DAY).toISOString() });
      expect(recorded.last().snapshot.step).toBe('ready-to-close');
      expect(recorded.last().snapshot.deadlines.map((d) => [d.name, d.state])).toEqual([['decision', 'met']]);
      await act(handle, fagligtCenter, 'close');
      expect(recorded.last().snapshot.status).toBe('closed');
      expect(data(recorded)).toMatchObject({ resolution: 'upheld', decision: { outcome: 'upheld', schoolMustActBy: expect.any(String) } });
    });
  });

  it('given a complaint the school has not handled locally, when admissibility is assessed, then it cannot be admitted, is returned to the school and nothing escalates later', async () => {
    await withComplaint(
      async ({ handle, recorded }) => {
        const admitted = await refusalOf(admit(handle));
        expect(admitted).toMatchObject({ type: 'InvalidInput', details: { fields: [expect.objectContaining({ field: 'admissible' })] } });
        await act(handle, fagligtCenter, 'assess-admissibility', { admissible: 'no', reason: 'Ikke behandlet på skolen' });
        expect(recorded.last().snapshot).toMatchObject({ status: 'closed', step: 'closed' });
        expect(recorded.last().entry.note).toContain('sendt tilbage til skolen');
        expect(data(recorded).resolution).toBe('returned-to-school');

        await env.sleep(30 * DAY);
        expect(recorded.actions()).toEqual(['opened', 'assess-admissibility']);
        expect(recorded.notifications('escalation')).toHaveLength(0);
      },
      { handledLocallyFirst: 'no' },
    );
  });

  it('given the update validator, when the wrong role, someone from the school itself or the wrong step acts, then it refuses with Forbidden or NotAllowedInStep and records nothing', async () => {
    await withComplaint(async ({ handle, recorded }) => {
      expect(await refusalOf(act(handle, klageenhed, 'assess-admissibility', { admissible: 'yes', reason: 'x' }))).toMatchObject({ type: 'Forbidden' });
      const disqualified = await refusalOf(act(handle, fromTheSchool, 'assess-admissibility', { admissible: 'yes', reason: 'x' }));
      expect(disqualified.type).toBe('Forbidden');
      expect(disqualified.message).toContain('forvaltningsloven § 3');
      expect(await refusalOf(act(handle, fagligtCenter, 'decide', { outcome: 'rejected', reasoning: 'x' }))).toMatchObject({
        type: 'NotAllowedInStep',
        details: { step: 'received', allowedActions: ['assess-admissibility'] },
      });
      expect(recorded.actions()).toEqual(['opened']);
    });
  });
});
