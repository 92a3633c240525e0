import type { WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { Actor, CaseErrorDetails, CaseSnapshot, DataBreachData, Deadline, TakeActionArgs } from '@buf/domain';
import { caseSnapshotQuery } from '@buf/workflows/messages';
import { type DataBreachStartInput, dataBreachWorkflow } from '@buf/workflows/data-breach';
import { CaseUnderTest, act, clockAt, skipTo } from '../support/case-harness';
import { ART_33_3_CONTENT, notification } from '../support/data-breach-fixtures';
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
      expect(recorded.notifications('escalation').map((n) => n.role).sort()).toEqual(['direktion', 'gdpr-lead']);
      // The escalation's journal entry names who was told.
      expect(recorded.last().entry.note).toContain('Underrettet: leder af GDPR-funktionen, Direktionen');
      const snapshot = recorded.last().snapshot;
      expect(snapshot.overdue).toBe(true);
      expect(snapshot.deadlines[0]).toMatchObject({ name: 'datatilsynet-72h', state: 'missed' });
      await handle.terminate('test done');
    });
  });

  it('given a breach discovered before summer time ends, when nobody notifies Datatilsynet, then at exactly discovery + 72 hours the GDPR lead is told with the case and the direktion gets a content-free notice', async () => {
    // Discovered Friday 29.10.2027 10:00 CEST; summer time ends Sunday 31.10.2027 (that night is an hour longer).
    await withBreachDiscoveredAt(Date.parse('2027-10-29T10:00:00+02:00'), async (c) => {
      const { recorded } = c;
      // By hand: 72 elapsed hours, the extra hour of the autumn night included: Monday 01.11.2027 09:00 CET.
      const due = Date.parse('2027-11-01T09:00:00+01:00');
      await skipTo(env, due - 1_000);
      expect(recorded.last().snapshot.deadlines[0].dueAt).toBe('2027-11-01T08:00:00.000Z'); // mandag 01.11.2027 kl. 09.00 (vintertid)
      expect(recorded.actions()).toEqual(['opened', 'reminder', 'reminder']);

      await skipTo(env, due + 1_000);
      expect(recorded.actions()).toEqual(['opened', 'reminder', 'reminder', 'deadline-missed']);
      const missed = recorded.last().entry;
      expect(Date.parse(missed.at)).toBeGreaterThanOrEqual(Date.parse('2027-11-01T08:00:00.000Z'));
      expect(Date.parse(missed.at)).toBeLessThan(Date.parse('2027-11-01T08:00:01.000Z'));
      expect(missed.note).toContain('Underrettet: leder af GDPR-funktionen, Direktionen');
      const escalations = recorded.notifications('escalation');
      expect(escalations.map((n) => n.role).sort()).toEqual(['direktion', 'gdpr-lead']);
      const { caseNumber, id } = c.persisted();
      const subject = `Frist overskredet: Sikkerhedsbrud ${caseNumber} – Anmeldelse til Datatilsynet inden 72 timer (frist 01.11.2027 kl. 09.00)`;
      // The GDPR lead reads the case: told where it is.
      expect(escalations.find((n) => n.role === 'gdpr-lead')).toEqual({
        role: 'gdpr-lead', kind: 'escalation', subject, key: expect.any(String),
        body: `${subject}. Sagen er markeret som overskredet og kræver handling. Sags-id: ${id}.`,
      });
      // The direktion cannot read it: process, case number and deadline, nothing of the case.
      expect(escalations.find((n) => n.role === 'direktion')).toEqual({
        role: 'direktion', kind: 'escalation', subject, key: expect.any(String),
        body: `${subject}. Til orientering: sagen er markeret som overskredet og behandles af GDPR-funktionen, leder af GDPR-funktionen.`,
      });
    });
  });

  it('given a breach assessed as no risk, when the risk is raised after the 72 hours began and lowered again, then the 72 hours are owed again from discovery, escalate at their end, and are settled when lowered, each change journalled with its reason', async () => {
    // Discovered Thursday 02.12.2027 09:00 CET (no change of time, no holiday in reach).
    await withBreachDiscoveredAt(Date.parse('2027-12-02T09:00:00+01:00'), async (c) => {
      await c.assess('none');
      expect(c.deadline()).toMatchObject({ state: 'met' });

      // Saturday 04.12.2027 12:00 CET: the measures did not hold.
      await skipTo(env, Date.parse('2027-12-04T12:00:00+01:00'));
      await c.act('reassess-risk', { risk: 'risk', reason: 'Modtageren har videresendt listen' });
      expect(c.persisted()).toMatchObject({ step: 'notify-datatilsynet', data: { risk: { level: 'risk' }, reassessments: [{ from: 'none', to: 'risk', reason: 'Modtageren har videresendt listen' }] } });
      expect(c.recorded.last().entry.note).toBe('Risiko revurderet fra ingen risiko til risiko. Begrundelse: Modtageren har videresendt listen');
      const rearmed = c.deadline();
      expect(rearmed.state).toBe('pending');
      // By hand: still 72 hours from discovery (Art. 33(1)), not from the reassessment: Sunday 05.12.2027 09:00 CET.
      expect(rearmed.dueAt).toBe('2027-12-05T08:00:00.000Z'); // søndag 05.12.2027 kl. 09.00
      expect(c.persisted().deadlines.filter((d) => d.name === 'datatilsynet-72h')).toHaveLength(2);

      await skipTo(env, Date.parse('2027-12-05T09:00:00+01:00') - 1_000);
      expect(c.recorded.actions()).not.toContain('deadline-missed');
      await skipTo(env, Date.parse('2027-12-05T09:00:00+01:00') + 1_000);
      expect(c.recorded.actions()).toEqual(['opened', 'triage', 'assess-risk', 'reassess-risk', 'deadline-missed']);
      expect(escalationRoles(c)).toEqual(['direktion', 'gdpr-lead']);
      expect(c.persisted().overdue).toBe(true);

      await c.act('reassess-risk', { risk: 'none', reason: 'Listen er slettet hos alle modtagere' });
      expect(c.persisted()).toMatchObject({ step: 'ready-to-close', overdue: false, data: { risk: { level: 'none' } } });
      expect(c.persisted().data.reassessments?.map((r) => [r.from, r.to])).toEqual([['none', 'risk'], ['risk', 'none']]);
      expect(c.deadline()).toMatchObject({ state: 'missed', settledAt: expect.any(String) });
      await c.act('close', { summary: 'Ingen anmeldelse nødvendig efter sletning' });
      expect(c.persisted().status).toBe('closed');
    });
  });

  it('given a notified breach, when it is supplemented twice a day apart, then the supplements keep their order and the time each was recorded', async () => {
    // Discovered Monday 13.12.2027 09:00 CET.
    await withBreachDiscoveredAt(Date.parse('2027-12-13T09:00:00+01:00'), async (c) => {
      await c.assess('risk');
      await c.act('notify-datatilsynet', notification('DT-2027-31'));
      await skipTo(env, Date.parse('2027-12-13T10:30:00+01:00'));
      await c.act('supplement-notification', { note: 'Antal berørte opgjort til 31' });
      await skipTo(env, Date.parse('2027-12-14T14:15:00+01:00'));
      await c.act('supplement-notification', { note: 'Modtageren har bekræftet sletning' });

      const supplements = c.persisted().data.supplements;
      expect(supplements.map((s) => s.note)).toEqual(['Antal berørte opgjort til 31', 'Modtageren har bekræftet sletning']);
      // To the minute, by hand: mandag 13.12.2027 kl. 10.30 and tirsdag 14.12.2027 kl. 14.15.
      expect(supplements.map((s) => s.at.slice(0, 16))).toEqual(['2027-12-13T09:30', '2027-12-14T13:15']);
      expect(c.recorded.events.filter((e) => e.entry.action === 'supplement-notification').map((e) => e.entry.note)).toEqual([
        'Anmeldelsen er suppleret (1. supplering)',
        'Anmeldelsen er suppleret (2. supplering)',
      ]);
    });
  });

  it('given a breach notified within 72 hours, when the deadline passes, then nothing escalates', async () => {
    const recorded = new RecordedCase();
    await withWorker(recorded, async (_w, taskQueue) => {
      const now = new Date(await env.currentTimeMs());
      const input = startInput('data-breach', reporter, breach(now), now);
      const handle = await env.client.workflow.start(dataBreachWorkflow, { workflowId: input.caseId, taskQueue, args: [input] });
      await act(handle, gdpr, 'triage', { outcome: 'breach', reason: 'Personoplysninger er videregivet' });
      await act(handle, gdpr, 'assess-risk', { risk: 'risk', rationale: 'Navne og klasser' });
      await act(handle, gdpr, 'notify-datatilsynet', notification('DT-2026-1'));
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
      return act(this.handle, gdpr, action, input);
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
    const now = await env.currentTimeMs();
    await reportedAt(now - hoursAgo * HOUR, now, body);
  }

  /** Moves the clock to a hand-chosen discovery instant and reports the breach then. */
  async function withBreachDiscoveredAt(discovered: number, body: (c: BreachCase) => Promise<void>): Promise<void> {
    await clockAt(env, discovered);
    await reportedAt(discovered, discovered, body);
  }

  async function reportedAt(discovered: number, now: number, body: (c: BreachCase) => Promise<void>): Promise<void> {
    const recorded = new RecordedCase();
    await withWorker(recorded, async (_w, taskQueue) => {
      const input = startInput('data-breach', reporter, breach(new Date(discovered)), new Date(now));
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
      expect(escalationRoles(c)).toEqual(['direktion', 'gdpr-lead']);
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

      const refusal = await c.expectRefused('notify-datatilsynet', notification('DT-2026-7'), 'InvalidInput');
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

      await c.act('notify-datatilsynet', notification('DT-2026-8', { delayReason: 'Omfanget blev først klarlagt efter fristen' }));

      expect(c.recorded.actions()).toEqual(['opened', 'reminder', 'reminder', 'deadline-missed', 'triage', 'assess-risk', 'notify-datatilsynet']);
      const notified = c.persisted();
      expect(notified.data.authorityNotification).toMatchObject({ reference: 'DT-2026-8', late: true, delayReason: 'Omfanget blev først klarlagt efter fristen' });
      expect(c.deadline()).toMatchObject({ state: 'missed', settledAt: expect.any(String) });
      expect(notified.overdue).toBe(false);
      expect(notified.step).toBe('ready-to-close');
    });
  });

  it('given a high-risk breach, when the data subjects are informed before Datatilsynet is notified, then close is refused naming the notification still owed until it is recorded', async () => {
    await withBreach(1, async (c) => {
      await c.assess('high');
      const bothOwed = await c.expectRefused('close', { summary: 'For tidligt' }, 'NotAllowedInStep');
      expect(bothOwed.message).toContain('notify-datatilsynet');
      expect(bothOwed.message).toContain('notify-data-subjects');

      await c.act('notify-data-subjects', { method: 'Brev i Digital Post', count: 24 });
      expect(c.persisted()).toMatchObject({ step: 'notify-datatilsynet', data: { subjectNotice: { kind: 'informed', count: 24 } } });
      expect(c.deadline().state).toBe('pending');
      const refusal = await c.expectRefused('close', { summary: 'For tidligt' }, 'NotAllowedInStep');
      expect(refusal.message).toContain('still owed: the notification of Datatilsynet (Art. 33: notify-datatilsynet)');
      expect(refusal.message).not.toContain('notify-data-subjects or');
      expect((refusal.details?.[0] as CaseErrorDetails).allowedActions).toEqual(['reassess-risk', 'notify-datatilsynet']);

      await c.act('notify-datatilsynet', notification('DT-2026-34'));
      expect(c.persisted().step).toBe('ready-to-close');
      await c.act('close', { summary: 'Begge pligter opfyldt' });
      await c.handle.result();
      expect(c.recorded.actions()).toEqual(['opened', 'triage', 'assess-risk', 'notify-data-subjects', 'notify-datatilsynet', 'close']);
    });
  });

  it('given a breach with risk, when it is reassessed as high and back, then the Art. 34 duty comes and goes with the level and each reassessment is journalled with its reason', async () => {
    await withBreach(1, async (c) => {
      await c.assess('risk');
      await c.act('notify-datatilsynet', notification('DT-2026-35'));
      expect(c.persisted().step).toBe('ready-to-close');

      await c.act('reassess-risk', { risk: 'high', reason: 'Oplysningerne er offentliggjort på et socialt medie' });
      expect(c.persisted()).toMatchObject({ step: 'inform-data-subjects', data: { risk: { level: 'high', rationale: 'Oplysningerne er offentliggjort på et socialt medie' } } });
      expect(c.recorded.last().entry).toMatchObject({ action: 'reassess-risk', note: 'Risiko revurderet fra risiko til høj risiko. Begrundelse: Oplysningerne er offentliggjort på et socialt medie' });
      const refusal = await c.expectRefused('close', { summary: 'x' }, 'NotAllowedInStep');
      expect(refusal.message).toContain('still owed: informing the data subjects or recording an exception (Art. 34');
      // Already notified: raising the level owes no second notification, and the 72 hours stay met.
      expect(c.deadline().state).toBe('met');

      await c.act('reassess-risk', { risk: 'risk', reason: 'Opslaget er fjernet inden for en time' });
      expect(c.persisted()).toMatchObject({ step: 'ready-to-close', data: { risk: { level: 'risk' } } });
      expect(c.persisted().data.reassessments?.map((r) => [r.from, r.to, r.reason])).toEqual([
        ['risk', 'high', 'Oplysningerne er offentliggjort på et socialt medie'],
        ['high', 'risk', 'Opslaget er fjernet inden for en time'],
      ]);
      await c.expectRefused('reassess-risk', { risk: 'high' }, 'InvalidInput');
      await c.act('close', { summary: 'Anmeldt; risikoen faldt igen' });
      expect(c.persisted().status).toBe('closed');
    });
  });

  it('given a breach with risk, when Datatilsynet is notified without the approximate number of records, then the update is refused as InvalidInput naming approxRecords; with every Art. 33(3) field it is stored', async () => {
    await withBreach(1, async (c) => {
      await c.assess('risk');
      const withoutRecords: Record<string, unknown> = notification('DT-2026-36');
      delete withoutRecords.approxRecords;
      const refusal = await c.expectRefused('notify-datatilsynet', withoutRecords, 'InvalidInput');
      expect((refusal.details?.[0] as CaseErrorDetails).fields).toEqual([{ field: 'approxRecords', message: 'approxRecords is required' }]);

      await c.act('notify-datatilsynet', notification('DT-2026-36'));
      expect(c.persisted().data.authorityNotification).toEqual({
        reference: 'DT-2026-36',
        submittedAt: expect.any(String),
        late: false,
        ...ART_33_3_CONTENT,
      });
    });
  });

  it.each([
    ['unintelligible', 'Bærbar computer var krypteret med BitLocker', undefined, 'litra a'],
    ['risk-removed', 'Adgangen er spærret, før oplysningerne blev set', undefined, 'litra b'],
    ['disproportionate-effort', 'Modtagerne kan ikke identificeres', 'Meddelelse på kk.dk og i forældreintra 14.12', 'litra c, offentlig meddelelse'],
  ] as const)('given a high-risk breach, when the Art. 34(3) exception %s is recorded, then it meets the Art. 34 duty and is journalled with its letter', async (ground, reason, publicCommunication, letter) => {
    await withBreach(1, async (c) => {
      await c.assess('high');
      if (publicCommunication) {
        const refusal = await c.expectRefused('record-subject-notice-exception', { ground, reason }, 'InvalidInput');
        expect((refusal.details?.[0] as CaseErrorDetails).fields?.map((f) => f.field)).toEqual(['publicCommunication']);
      }
      await c.act('record-subject-notice-exception', { ground, reason, ...(publicCommunication ? { publicCommunication } : {}) });
      expect(c.persisted()).toMatchObject({ step: 'notify-datatilsynet', data: { subjectNotice: { kind: 'exception', ground, reason, ...(publicCommunication ? { publicCommunication } : {}) } } });
      expect(c.recorded.last().entry.note).toBe(`Undtagelse fra underretning (art. 34, stk. 3, ${letter})`);
      await c.act('notify-datatilsynet', notification('DT-2026-37'));
      await c.act('close', { summary: 'Undtagelse anvendt' });
      expect(c.persisted().status).toBe('closed');
    });
  });
});
