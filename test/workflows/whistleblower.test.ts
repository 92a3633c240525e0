import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { withPathAliases } from '@buf/temporal/workflow-bundler';
import type { Actor, CaseErrorDetails, CaseSnapshot, TakeActionArgs, WhistleblowerData } from '@buf/domain';
import { caseOpenedUpdate, caseSnapshotQuery } from '@buf/workflows/messages';
import { type WhistleblowerStartInput, whistleblowerWorkflow } from '@buf/workflows/whistleblower';
import { CaseUnderTest, act, clockAt, skipTo as skipToInstant } from '../support/case-harness';
import { DAY, HOUR, RecordedCase, createTimeSkippingEnv, createWorker, startInput } from '../support/time-skipping';

const HANDLING_UNIT = 'Skole A';

const secretariat: Actor = { sub: 'ls-1', name: 'Lise Sekretariat', roles: ['ledelsessekretariat'] };
const arcLead: Actor = { sub: 'arc-1', name: 'Anders ARC', roles: ['arc-lead'] };
const jurist: Actor = { sub: 'jur-1', name: 'Julie Jurist', roles: ['jurist'] };
const otherJurist: Actor = { sub: 'jur-2', name: 'Jens Jurist', roles: ['jurist'] };
const caseworker: Actor = { sub: 'cw-1', name: 'Carl Sagsbehandler', roles: ['caseworker'], unit: HANDLING_UNIT };
const caseworkerElsewhere: Actor = { sub: 'cw-2', name: 'Clara Sagsbehandler', roles: ['caseworker'], unit: 'Skole B' };

type Handle = WorkflowHandle<typeof whistleblowerWorkflow>;
type Snapshot = CaseSnapshot<WhistleblowerData>;

// ---------------------------------------------------------------------------------------------

describe('whistleblower workflow (time-skipping)', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
  });

  afterAll(async () => {
    await env?.teardown();
  });

  async function now(): Promise<number> {
    return env.currentTimeMs();
  }

  // The shared helper, bound to this file's test server.
  const skipTo = (instant: number) => skipToInstant(env, instant);

  function report(receivedAt: number, replyDeadline: number): WhistleblowerStartInput {
    return {
      brgReference: 'BRG-2026-17',
      subject: 'Indberetning om forhold på en skole',
      summary: 'BRG beder om en udtalelse',
      handlingUnit: HANDLING_UNIT,
      area: 'nord',
      receivedAt: new Date(receivedAt).toISOString(),
      replyDeadline: new Date(replyDeadline).toISOString(),
    };
  }

  /** One case on its own task queue and worker; the workflow is terminated if the test leaves it running. */
  class Case extends CaseUnderTest<Snapshot, Handle> {
    constructor(
      handle: Handle,
      recorded: RecordedCase,
      readonly input: WhistleblowerStartInput,
    ) {
      super(handle, recorded);
    }

    /** BRG's reply deadline as given at receipt. */
    get replyDue(): number {
      return Date.parse(this.input.replyDeadline);
    }

    act(action: string, actor: Actor, input: TakeActionArgs['input'] = {}): Promise<void> {
      return act(this.handle, actor, action, input);
    }

    /** The update is refused by the validator and leaves no trace: no journal entry, no change of state. */
    async expectRefused(action: string, actor: Actor, input: TakeActionArgs['input'], type: string): Promise<ApplicationFailure> {
      return this.refusedWithoutTrace(() => this.act(action, actor, input), type);
    }

    // The steps of the process, in the order a case normally goes through them.

    async assignJurist(): Promise<void> {
      await this.act('assign-jurist', arcLead, { juristId: jurist.sub });
    }

    async brief(occasion: 'receipt' | 'reply' | 'brg-response'): Promise<void> {
      await this.act('record-direktion-briefing', secretariat, { occasion });
    }

    async submitDraft(ref = 'DOK-1'): Promise<void> {
      await this.act('submit-draft', caseworker, { documentRef: ref, summary: 'Udkast til udtalelse' });
    }

    async approveDraft(): Promise<void> {
      await this.act('approve-draft', jurist, { comment: 'Godkendt' });
    }

    /** Draft, approval and both presentations the reply needs (receipt, if not yet recorded, and reply): ready to send. */
    async prepareReply(ref = 'DOK-1'): Promise<void> {
      await this.submitDraft(ref);
      await this.approveDraft();
      if (!this.persisted().data.briefings.some((b) => b.occasion === 'receipt')) await this.brief('receipt');
      await this.brief('reply');
    }

    async sendReply(ref = 'SVAR-1'): Promise<void> {
      await this.act('send-reply', secretariat, { documentRef: ref });
    }

    async registerBrgResponse(): Promise<void> {
      await this.act('register-brg-response', secretariat, { summary: 'BRG har bemærkninger' });
    }

    /** The first round from receipt to the reply sent to BRG, every briefing recorded. */
    async firstReplySent(): Promise<void> {
      await this.assignJurist();
      await this.brief('receipt');
      await this.prepareReply('DOK-1');
      await this.sendReply('SVAR-1');
    }

    /** The first round from receipt to BRG's response, presented to the direktion. */
    async firstRoundToBrgResponse(): Promise<void> {
      await this.firstReplySent();
      await this.registerBrgResponse();
      await this.brief('brg-response');
    }

    /** Back to drafting for a further round, with BRG's deadline for it. */
    async requestFurtherReply(due: number): Promise<void> {
      await this.act('request-further-reply', secretariat, { replyDeadline: new Date(due).toISOString() });
    }
  }

  /**
   * Runs a test against one case: a fresh task queue and worker; `open` starts the workflow at the
   * current test-server time (call it after skipping to the moment the case should be opened).
   */
  async function withCase(body: (open: (input: WhistleblowerStartInput) => Promise<Case>) => Promise<void>, workflowBundle?: string): Promise<void> {
    const recorded = new RecordedCase();
    const taskQueue = `whistleblower-${randomUUID().slice(0, 8)}`;
    const worker = workflowBundle
      ? await Worker.create({ connection: env.nativeConnection, namespace: env.namespace ?? 'default', taskQueue, workflowBundle: { code: workflowBundle }, activities: recorded.activities })
      : await createWorker(env, recorded.activities, taskQueue);
    let opened: Case | undefined;
    const open = async (input: WhistleblowerStartInput): Promise<Case> => {
      if (opened) throw new Error('One case per test');
      const args = startInput('whistleblower', secretariat, input, new Date(await now()));
      const handle = await env.client.workflow.start(whistleblowerWorkflow, { workflowId: args.caseId, taskQueue, args: [args] });
      opened = new Case(handle, recorded, input);
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

  /** A case received now, with BRG's reply deadline `replyIn` ahead. */
  async function openNow(open: (input: WhistleblowerStartInput) => Promise<Case>, replyIn = 20 * DAY): Promise<Case> {
    const t = await now();
    return open(report(t, t + replyIn));
  }

  // These run first: they set the test server's clock to hand-picked dates (it only moves forward).
  describe('receipt-briefing deadline (2 working days, policy)', () => {
    it('given a case received on Wednesday 23.12.2026, when the receipt briefing is not recorded, then the secretariat is reminded on the morning of Tuesday 29.12 and the secretariat and the direktion are alerted when that day ends', async () => {
      await withCase(async (open) => {
        const received = Date.parse('2026-12-23T10:00:00+01:00'); // onsdag 23.12.2026 kl. 10.00 (vintertid)
        await clockAt(env, received);
        const c = await open(report(received, Date.parse('2027-01-29T23:59:00+01:00')));
        await c.assignJurist();

        // 24.12 (not a working day by default), juledag, 2. juledag (a Saturday) and Sunday are skipped:
        // day 1 is Monday 28.12, day 2 Tuesday 29.12, to its end.
        expect(c.deadline('receipt-briefing')).toMatchObject({
          dueAt: '2026-12-29T22:59:59.999Z', // tirsdag 29.12.2026 kl. 23.59 (vintertid)
          state: 'pending',
          basis: 'Politik (whistleblower.receiptBriefingWorkingDays)',
          explanation: expect.stringContaining('senest tirsdag 29.12.2026 kl. 23.59'),
        });

        await skipTo(Date.parse('2026-12-29T06:59:00Z')); // tirsdag 29.12.2026 kl. 07.59
        expect(c.count('reminder')).toBe(0);
        await skipTo(Date.parse('2026-12-29T07:01:00Z')); // tirsdag 29.12.2026 kl. 08.01
        expect(c.count('reminder')).toBe(1);
        expect(c.recorded.notifications('reminder')).toEqual([
          expect.objectContaining({ role: 'ledelsessekretariat', subject: expect.stringContaining('Forelæggelse for direktionen ved modtagelsen') }),
        ]);

        await skipTo(Date.parse('2026-12-29T22:58:00Z')); // tirsdag 29.12.2026 kl. 23.58
        expect(c.count('deadline-missed')).toBe(0);
        expect(c.persisted().overdue).toBe(false);
        await skipTo(Date.parse('2026-12-29T23:01:00Z')); // onsdag 30.12.2026 kl. 00.01
        expect(c.recorded.actions()).toEqual(['opened', 'assign-jurist', 'reminder', 'deadline-missed']);
        expect(c.escalationRoles()).toEqual(['direktion', 'ledelsessekretariat']);
        expect(c.recorded.last().entry.note).toContain('Underrettet: Ledelsessekretariatet, Direktionen');
        expect(c.deadline('receipt-briefing').state).toBe('missed');
        expect(c.persisted().overdue).toBe(true);

        // Recording the briefing late makes the missed obligation good.
        await c.brief('receipt');
        expect(c.deadline('receipt-briefing')).toMatchObject({ state: 'missed', settledAt: expect.any(String) });
        expect(c.persisted().overdue).toBe(false);
      });
    });

    it('given a case received on Wednesday 24.03.2027, when the receipt briefing is recorded on the last day after the reminder, then the deadline (across Easter and summer time) is met and nothing escalates', async () => {
      await withCase(async (open) => {
        const received = Date.parse('2027-03-24T14:00:00+01:00'); // onsdag 24.03.2027 kl. 14.00 (vintertid)
        await clockAt(env, received);
        const c = await open(report(received, Date.parse('2027-04-30T23:59:00+02:00')));
        await c.assignJurist();

        // Skærtorsdag 25.03, langfredag 26.03, the weekend (summer time from Sunday 28.03) and
        // 2. påskedag 29.03 are skipped: day 1 is Tuesday 30.03, day 2 Wednesday 31.03.
        expect(c.deadline('receipt-briefing').dueAt).toBe('2027-03-31T21:59:59.999Z'); // onsdag 31.03.2027 kl. 23.59 (sommertid)
        expect(c.deadline('receipt-briefing').explanation).toContain('skærtorsdag, langfredag og 2. påskedag springes over');

        await skipTo(Date.parse('2027-03-31T05:59:00Z')); // onsdag 31.03.2027 kl. 07.59 (sommertid)
        expect(c.count('reminder')).toBe(0);
        await skipTo(Date.parse('2027-03-31T06:01:00Z')); // onsdag 31.03.2027 kl. 08.01 (sommertid)
        expect(c.count('reminder')).toBe(1);

        await skipTo(Date.parse('2027-03-31T08:00:00Z')); // onsdag 31.03.2027 kl. 10.00
        await c.brief('receipt');
        await skipTo(Date.parse('2027-04-01T08:00:00Z')); // torsdag 01.04.2027 kl. 10.00

        expect(c.deadline('receipt-briefing')).toMatchObject({ state: 'met', settledAt: expect.stringMatching(/^2027-03-31T08:00/) }); // recorded at 10.00
        expect(c.count('deadline-missed')).toBe(0);
        expect(c.recorded.notifications('escalation')).toHaveLength(0);
      });
    });
  });

  describe('brg-response-window with a direktion briefing missing (a case from before the receipt briefing was required)', () => {
    let legacyBundle: string;

    beforeAll(async () => {
      const root = path.resolve(__dirname, '..', '..');
      ({ code: legacyBundle } = await bundleWorkflowCode({
        workflowsPath: path.join(root, 'workflows', 'index.ts'),
        workflowInterceptorModules: [path.join(root, 'workflows', 'interceptors.ts'), path.join(__dirname, 'legacy-send-reply.interceptor.ts')],
        logger: new DefaultLogger('WARN'),
        ...withPathAliases(root),
      }));
    });

    it('given a reply sent on Wednesday 14.04.2027 without the receipt briefing, when BRG has not responded by the end of Friday 14.05.2027, then Ledelsessekretariatet is told and the case stays open; once the briefing is recorded, it closes by itself', async () => {
      await withCase(async (open) => {
        const received = Date.parse('2027-04-12T10:00:00+02:00'); // mandag 12.04.2027 kl. 10.00 (sommertid)
        await clockAt(env, received);
        const c = await open(report(received, Date.parse('2027-04-30T23:59:00+02:00')));
        await c.assignJurist();
        await c.submitDraft();
        await c.approveDraft();
        await c.brief('reply');
        await clockAt(env, Date.parse('2027-04-14T10:00:00+02:00')); // onsdag 14.04.2027 kl. 10.00
        await c.sendReply(); // let through as before the change: the receipt briefing is missing
        expect(c.persisted().data.briefings.map((b) => b.occasion)).toEqual(['reply']);
        // 30 calendar days from 14.04: Friday 14.05.2027, to its end.
        expect(c.deadline('brg-response-window').dueAt).toBe('2027-05-14T21:59:59.999Z'); // fredag 14.05.2027 kl. 23.59 (sommertid)
        const windowEscalations = () => c.recorded.events.filter((e) => e.entry.action === 'deadline-missed' && e.entry.note?.includes('Afventer svar fra BRG'));

        await skipTo(Date.parse('2027-05-14T21:58:00Z')); // fredag 14.05.2027 kl. 23.58
        expect(windowEscalations()).toHaveLength(0);
        await skipTo(Date.parse('2027-05-14T22:01:00Z')); // lørdag 15.05.2027 kl. 00.01

        expect(windowEscalations()).toHaveLength(1);
        const escalation = windowEscalations()[0];
        expect(escalation.entry.note).toContain('Sagen lukkes ikke automatisk, da forelæggelsen ved modtagelsen for direktionen mangler');
        expect(escalation.entry.note).toContain('Underrettet: Ledelsessekretariatet');
        expect(escalation.notifications).toEqual([expect.objectContaining({ role: 'ledelsessekretariat', kind: 'escalation' })]);
        expect(c.count('closed-automatically')).toBe(0);
        expect(c.persisted()).toMatchObject({ status: 'open', step: 'awaiting-brg-response', overdue: true });
        expect(c.deadline('brg-response-window').state).toBe('missed');
        expect((await c.handle.describe()).status.name).toBe('RUNNING');

        await skipTo(Date.parse('2027-05-17T08:00:00Z')); // mandag 17.05.2027 kl. 10.00
        await c.brief('receipt');
        await c.handle.result();
        expect(c.recorded.actions().slice(-2)).toEqual(['record-direktion-briefing', 'closed-automatically']);
        expect(c.persisted()).toMatchObject({ status: 'closed', step: 'closed', overdue: false, data: { closedAutomatically: true } });
        expect(c.deadline('brg-response-window')).toMatchObject({ state: 'missed', settledAt: expect.any(String) });
      }, legacyBundle);
    });
  });

  describe('jurist-assignment deadline (1 working day, policy)', () => {
    it('given a case received on Friday 23.10.2037 at 10:00, when no jurist is assigned by the end of Monday 26.10.2037 (across the end of summer time), then ARC lead and Ledelsessekretariatet are alerted and the case is overdue', async () => {
      await withCase(async (open) => {
        const received = Date.parse('2037-10-23T10:00:00+02:00'); // fredag 23.10.2037 kl. 10.00 (sommertid)
        await clockAt(env, received);
        const c = await open(report(received, Date.parse('2037-11-13T23:59:00+01:00')));
        // The weekend (winter time from Sunday 25.10) is skipped: day 1 is Monday 26.10, to its
        // end, not Monday 10.00 and not 23.59 summer time.
        expect(c.deadline('jurist-assignment')).toMatchObject({ dueAt: '2037-10-26T22:59:59.999Z', state: 'pending' }); // mandag 26.10.2037 kl. 23.59 (vintertid)

        await skipTo(Date.parse('2037-10-26T22:58:00Z')); // mandag 26.10.2037 kl. 23.58
        expect(c.deadline('jurist-assignment').state).toBe('pending');
        expect(c.count('deadline-missed')).toBe(0);
        expect(c.persisted().overdue).toBe(false);

        await skipTo(Date.parse('2037-10-26T23:01:00Z')); // tirsdag 27.10.2037 kl. 00.01
        expect(c.recorded.actions()).toEqual(['opened', 'deadline-missed']);
        expect(c.escalationRoles()).toEqual(['arc-lead', 'ledelsessekretariat']);
        expect(c.persisted().overdue).toBe(true);
        expect(c.deadline('jurist-assignment').state).toBe('missed');
        expect((await c.handle.query(caseSnapshotQuery)).overdue).toBe(true);

        // Assigning the jurist late makes the missed obligation good: no longer overdue.
        await c.assignJurist();
        expect(c.deadline('jurist-assignment')).toMatchObject({ state: 'missed', settledAt: expect.any(String) });
        expect(c.persisted().overdue).toBe(false);
      });
    });

    it('given a case received on Wednesday 23.12.2037 at 10:00, when a jurist is assigned the same day, then the deadline (Monday 28.12 across Christmas) is met and nothing escalates', async () => {
      await withCase(async (open) => {
        const received = Date.parse('2037-12-23T10:00:00+01:00'); // onsdag 23.12.2037 kl. 10.00 (vintertid)
        await clockAt(env, received);
        const c = await open(report(received, Date.parse('2038-01-15T23:59:00+01:00')));
        // Juleaftensdag 24.12 (not a working day by default), juledag 25.12, 2. juledag 26.12 (a
        // Saturday) and Sunday 27.12 are skipped: day 1 is Monday 28.12, to its end.
        expect(c.deadline('jurist-assignment').dueAt).toBe('2037-12-28T22:59:59.999Z'); // mandag 28.12.2037 kl. 23.59 (vintertid)

        await skipTo(Date.parse('2037-12-23T12:00:00+01:00')); // onsdag 23.12.2037 kl. 12.00
        await c.assignJurist();
        await skipTo(Date.parse('2037-12-28T23:01:00Z')); // tirsdag 29.12.2037 kl. 00.01

        expect(c.recorded.actions()).toEqual(['opened', 'assign-jurist']);
        expect(c.deadline('jurist-assignment')).toMatchObject({ state: 'met', settledAt: expect.stringMatching(/^2037-12-23T11:00/) }); // onsdag 23.12.2037 kl. 12.00
        expect(c.persisted().step).toBe('drafting');
        expect(c.persisted().data.juristId).toBe(jurist.sub);
        expect(c.recorded.notifications('escalation')).toHaveLength(0);
        expect((await c.handle.query(caseSnapshotQuery)).overdue).toBe(false);
      });
    });
  });

  describe('brg-reply deadline (given by BRG; reminders 120 h and 24 h before, policy)', () => {
    it('given a reply deadline of Wednesday 31.03.2038, when no reply is sent, then Ledelsessekretariatet and the caseworker are reminded 120 h (across the start of summer time) and 24 h before, and Ledelsessekretariatet is alerted when it passes', async () => {
      await withCase(async (open) => {
        const received = Date.parse('2038-03-22T10:00:00+01:00'); // mandag 22.03.2038 kl. 10.00 (vintertid)
        await clockAt(env, received);
        const c = await open(report(received, Date.parse('2038-03-31T23:59:59.999+02:00'))); // onsdag 31.03.2038 kl. 23.59 (sommertid)
        expect(c.deadline('brg-reply')).toMatchObject({ dueAt: '2038-03-31T21:59:59.999Z', state: 'pending' });
        await c.assignJurist();
        await c.brief('receipt');
        const reminderRoles = () => c.recorded.notifications('reminder').map((n) => n.role).sort();

        // 120 calendar hours before: Friday 26.03 at 22.59.59 winter time (the clocks go forward
        // on Sunday 28.03), not 23.59.
        await skipTo(Date.parse('2038-03-26T21:58:59.999Z')); // fredag 26.03.2038 kl. 22.58.59 (vintertid)
        expect(c.recorded.notifications('reminder')).toHaveLength(0);
        await skipTo(Date.parse('2038-03-26T22:00:59.999Z')); // fredag 26.03.2038 kl. 23.00.59
        expect(c.count('reminder')).toBe(1);
        expect(reminderRoles()).toEqual(['caseworker', 'ledelsessekretariat']);

        await skipTo(Date.parse('2038-03-30T21:58:59.999Z')); // tirsdag 30.03.2038 kl. 23.58.59 (sommertid)
        expect(c.count('reminder')).toBe(1);
        await skipTo(Date.parse('2038-03-30T22:00:59.999Z')); // onsdag 31.03.2038 kl. 00.00.59
        expect(c.count('reminder')).toBe(2);
        expect(reminderRoles()).toEqual(['caseworker', 'caseworker', 'ledelsessekretariat', 'ledelsessekretariat']);

        await skipTo(Date.parse('2038-03-31T21:58:00Z')); // onsdag 31.03.2038 kl. 23.58
        expect(c.count('deadline-missed')).toBe(0);
        expect(c.deadline('brg-reply').state).toBe('pending');
        expect(c.persisted().overdue).toBe(false);
        await skipTo(Date.parse('2038-03-31T22:01:00Z')); // torsdag 01.04.2038 kl. 00.01
        expect(c.recorded.actions()).toEqual(['opened', 'assign-jurist', 'record-direktion-briefing', 'reminder', 'reminder', 'deadline-missed']);
        expect(c.escalationRoles()).toEqual(['ledelsessekretariat']);
        expect(c.deadline('brg-reply').state).toBe('missed');
        expect(c.deadline('jurist-assignment').state).toBe('met');
        expect(c.persisted().overdue).toBe(true);

        // Sending the reply late makes the missed obligation good: no longer overdue.
        await c.prepareReply();
        await c.sendReply();
        expect(c.deadline('brg-reply')).toMatchObject({ state: 'missed', settledAt: expect.any(String) });
        expect(c.persisted().overdue).toBe(false);
      });
    });

    it('given a case reminded 120 h before its reply deadline of Friday 23.04.2038, when the reply is sent in time, then the deadline is met and no further reminder or escalation follows', async () => {
      await withCase(async (open) => {
        const received = Date.parse('2038-04-12T10:00:00+02:00'); // mandag 12.04.2038 kl. 10.00 (sommertid)
        await clockAt(env, received);
        const c = await open(report(received, Date.parse('2038-04-23T23:59:59.999+02:00'))); // fredag 23.04.2038 kl. 23.59
        await c.assignJurist();
        await c.brief('receipt');
        await skipTo(Date.parse('2038-04-18T22:00:59.999Z')); // mandag 19.04.2038 kl. 00.00.59, just after the reminder of søndag 18.04 kl. 23.59
        expect(c.count('reminder')).toBe(1);

        await c.prepareReply();
        await c.sendReply();
        await skipTo(Date.parse('2038-04-23T22:01:00Z')); // lørdag 24.04.2038 kl. 00.01

        expect(c.count('reminder')).toBe(1);
        expect(c.count('deadline-missed')).toBe(0);
        expect(c.recorded.notifications('escalation')).toHaveLength(0);
        expect(c.deadline('brg-reply')).toMatchObject({ dueAt: '2038-04-23T21:59:59.999Z', state: 'met', settledAt: expect.any(String) });
        expect(c.persisted().overdue).toBe(false);
      });
    });
    it("given BRG asks on Tuesday 04.05.2038 for a further reply by Tuesday 11.05.2038, when the second round's reply is not sent, then that round is reminded and escalated on its own deadline, and the first round's stays met", async () => {
      await withCase(async (open) => {
        const received = Date.parse('2038-05-04T10:00:00+02:00'); // tirsdag 04.05.2038 kl. 10.00 (sommertid)
        await clockAt(env, received);
        const c = await open(report(received, Date.parse('2038-05-14T23:59:59.999+02:00'))); // fredag 14.05.2038 kl. 23.59
        await c.firstRoundToBrgResponse();
        await c.requestFurtherReply(Date.parse('2038-05-11T23:59:59.999+02:00')); // tirsdag 11.05.2038 kl. 23.59

        const deadlines = c.persisted().deadlines.filter((d) => d.name === 'brg-reply');
        expect(deadlines.map((d) => [d.dueAt, d.state])).toEqual([
          ['2038-05-14T21:59:59.999Z', 'met'], // fredag 14.05.2038 kl. 23.59
          ['2038-05-11T21:59:59.999Z', 'pending'], // tirsdag 11.05.2038 kl. 23.59
        ]);
        expect(c.persisted().data.replyDeadline).toBe('2038-05-11T21:59:59.999Z');
        const notice = c.recorded.notifications('assignment').at(-1);
        expect(notice).toMatchObject({ role: 'caseworker', body: expect.stringContaining('Svarfrist til BRG (frist ') });

        const remindersBefore = c.count('reminder');
        await skipTo(Date.parse('2038-05-06T21:58:59.999Z')); // torsdag 06.05.2038 kl. 23.58.59
        expect(c.count('reminder')).toBe(remindersBefore);
        await skipTo(Date.parse('2038-05-06T22:00:59.999Z')); // fredag 07.05.2038 kl. 00.00.59 (120 h before)
        expect(c.count('reminder')).toBe(remindersBefore + 1);
        await skipTo(Date.parse('2038-05-10T21:58:59.999Z')); // mandag 10.05.2038 kl. 23.58.59
        expect(c.count('reminder')).toBe(remindersBefore + 1);
        await skipTo(Date.parse('2038-05-10T22:00:59.999Z')); // tirsdag 11.05.2038 kl. 00.00.59 (24 h before)
        expect(c.count('reminder')).toBe(remindersBefore + 2);
        await skipTo(Date.parse('2038-05-11T21:58:00Z')); // tirsdag 11.05.2038 kl. 23.58
        expect(c.count('deadline-missed')).toBe(0);
        expect(c.deadline('brg-reply').state).toBe('pending');
        await skipTo(Date.parse('2038-05-11T22:01:00Z')); // onsdag 12.05.2038 kl. 00.01
        expect(c.count('deadline-missed')).toBe(1);
        expect(c.escalationRoles()).toEqual(['ledelsessekretariat']);
        expect(c.deadline('brg-reply').state).toBe('missed');
        expect(c.persisted().overdue).toBe(true);

        await c.prepareReply('DOK-2');
        await c.sendReply('SVAR-2');
        expect(c.deadline('brg-reply')).toMatchObject({ state: 'missed', settledAt: expect.any(String) });
        expect(c.persisted().overdue).toBe(false);
      });
    });

    it('given a BRG response, when a further reply is requested without a deadline or with one already passed, then the update is refused as InvalidInput naming replyDeadline', async () => {
      await withCase(async (open) => {
        const c = await openNow(open);
        await c.firstRoundToBrgResponse();

        for (const input of [{}, { replyDeadline: new Date((await now()) - HOUR).toISOString() }]) {
          const refusal = await c.expectRefused('request-further-reply', secretariat, input, 'InvalidInput');
          expect((refusal.details?.[0] as CaseErrorDetails).fields).toEqual([expect.objectContaining({ field: 'replyDeadline' })]);
        }
      });
    });
  });

  describe('brg-response-window deadline (30 calendar days, policy)', () => {
    it('given a reply sent to BRG on Monday 09.08.2038, when BRG responds in the last minute of Wednesday 08.09.2038, then the window is met and the case does not close by itself', async () => {
      await withCase(async (open) => {
        const received = Date.parse('2038-08-09T10:00:00+02:00'); // mandag 09.08.2038 kl. 10.00 (sommertid)
        await clockAt(env, received);
        const c = await open(report(received, Date.parse('2038-08-27T23:59:59.999+02:00')));
        await c.firstReplySent();
        expect(c.deadline('brg-response-window').dueAt).toBe('2038-09-08T21:59:59.999Z'); // onsdag 08.09.2038 kl. 23.59 (sommertid)

        await skipTo(Date.parse('2038-09-08T21:58:00Z')); // onsdag 08.09.2038 kl. 23.58
        await c.registerBrgResponse();
        await skipTo(Date.parse('2038-09-18T10:00:00+02:00')); // lørdag 18.09.2038 kl. 10.00

        expect(c.count('closed-automatically')).toBe(0);
        expect(c.recorded.last().entry.action).toBe('register-brg-response');
        expect(c.deadline('brg-response-window')).toMatchObject({ state: 'met', settledAt: expect.stringMatching(/^2038-09-08T21:58/) });
        const state = await c.handle.query(caseSnapshotQuery);
        expect(state).toMatchObject({ status: 'open', step: 'brg-response-received', overdue: false });
        expect((await c.handle.describe()).status.name).toBe('RUNNING');
      });
    });

    // This one last: the case that closed by itself waits out its retention, which moves this
    // server's clock years ahead when the test awaits the workflow's result.
    it('given a reply sent to BRG on Monday 04.10.2038, when BRG does not respond by the end of Wednesday 03.11.2038 (across the end of summer time), then the case closes by itself and the workflow completes', async () => {
      await withCase(async (open) => {
        const received = Date.parse('2038-10-04T10:00:00+02:00'); // mandag 04.10.2038 kl. 10.00 (sommertid)
        await clockAt(env, received);
        const c = await open(report(received, Date.parse('2038-10-22T23:59:59.999+02:00')));
        await c.firstReplySent(); // the same day
        // 30 calendar days after Monday 04.10: Wednesday 03.11.2038, to its end in winter time (from Sunday 31.10)
        // (not 30 × 24 hours, which would end at 22.59).
        expect(c.deadline('brg-response-window')).toMatchObject({ dueAt: '2038-11-03T22:59:59.999Z', state: 'pending' }); // onsdag 03.11.2038 kl. 23.59 (vintertid)

        await skipTo(Date.parse('2038-11-03T22:58:00Z')); // onsdag 03.11.2038 kl. 23.58
        expect(c.count('closed-automatically')).toBe(0);
        expect((await c.handle.query(caseSnapshotQuery)).status).toBe('open');

        await skipTo(Date.parse('2038-11-03T23:01:00Z')); // torsdag 04.11.2038 kl. 00.01
        await c.handle.result();
        expect(c.recorded.last().entry).toMatchObject({ action: 'closed-automatically', actor: { sub: 'system' } });
        const closed = c.persisted();
        expect(closed).toMatchObject({ status: 'closed', step: 'closed', overdue: false, closedAt: expect.any(String) });
        expect(closed.data.closedAutomatically).toBe(true);
        expect(c.deadline('brg-response-window').settledAt).toEqual(expect.any(String));
        expect(c.recorded.notifications('escalation')).toHaveLength(0);
      });
    });
  });

  describe('action guards (update validator)', () => {
    it('given a draft under review, when a jurist other than the assigned one approves it, then the update is refused as Forbidden and nothing is recorded', async () => {
      await withCase(async (open) => {
        const c = await openNow(open);
        await c.assignJurist();
        await c.submitDraft();

        await c.expectRefused('approve-draft', otherJurist, {}, 'Forbidden');
        await c.approveDraft();
        expect(c.persisted().step).toBe('ready-to-send');
      });
    });

    it('given an approved draft, when the reply is sent before the reply briefing, then the update is refused as NotAllowedInStep and nothing is recorded', async () => {
      await withCase(async (open) => {
        const c = await openNow(open);
        await c.assignJurist();
        await c.brief('receipt');
        await c.submitDraft();
        await c.approveDraft();

        const refusal = await c.expectRefused('send-reply', secretariat, { documentRef: 'SVAR-1' }, 'NotAllowedInStep');
        expect((refusal.details?.[0] as CaseErrorDetails).step).toBe('ready-to-send');
        expect(refusal.message).toContain('missing: the reply briefing (');
        await c.brief('reply');
        await c.sendReply();
        expect(c.persisted().step).toBe('awaiting-brg-response');
      });
    });

    it('given an approved draft presented to the direktion, when the reply is sent without the receipt briefing, then the update is refused as NotAllowedInStep naming the receipt briefing', async () => {
      await withCase(async (open) => {
        const c = await openNow(open);
        await c.assignJurist();
        await c.submitDraft();
        await c.approveDraft();
        await c.brief('reply');

        const refusal = await c.expectRefused('send-reply', secretariat, { documentRef: 'SVAR-1' }, 'NotAllowedInStep');
        expect(refusal.message).toContain('missing: the receipt briefing (');
        expect(refusal.message).not.toContain('the reply briefing');
        await c.brief('receipt');
        await c.sendReply();
        expect(c.persisted().step).toBe('awaiting-brg-response');
      });
    });

    it('given a case awaiting BRG, when it is closed while a direktion briefing is owed, then the update is refused as NotAllowedInStep until the briefing is recorded', async () => {
      await withCase(async (open) => {
        const c = await openNow(open);
        await c.firstReplySent();

        // BRG responded; that response must be presented before the case closes.
        await c.registerBrgResponse();
        const responseOwed = await c.expectRefused('close', secretariat, { reason: 'Færdigbehandlet' }, 'NotAllowedInStep');
        expect(responseOwed.message).toContain('brg-response');
        await c.brief('brg-response');

        await c.act('close', secretariat, { reason: 'Færdigbehandlet' });
        await c.handle.result();
        expect(c.persisted().status).toBe('closed');
      });
    });

    it("given a case, when the whistleblower's identity itself is sent to the workflow, then the update is refused as InvalidInput and nothing is recorded; the marker alone is accepted", async () => {
      await withCase(async (open) => {
        const c = await openNow(open);
        await c.assignJurist();

        const refusal = await c.expectRefused('record-identity', secretariat, { whistleblowerIdentity: 'Navn Navnesen' }, 'InvalidInput');
        expect((refusal.details?.[0] as CaseErrorDetails).fields).toEqual([
          { field: 'whistleblowerIdentity', message: 'whistleblowerIdentity is held outside the workflow and must not be sent to it' },
        ]);
        await c.expectRefused('record-identity', secretariat, {}, 'InvalidInput');
        await c.act('record-identity', secretariat, { whistleblowerIdentityProvided: true });
        expect(c.persisted().data.identityProvided).toBe(true);
        expect(c.recorded.last().entry).toMatchObject({ action: 'record-identity', note: 'Whistleblowerens identitet videregivet med samtykke' });
      });
    });

    it('given a case in drafting, when a caseworker of another unit submits the draft, then the update is refused as Forbidden and nothing is recorded', async () => {
      await withCase(async (open) => {
        const c = await openNow(open);
        await c.assignJurist();

        await c.expectRefused('submit-draft', caseworkerElsewhere, { documentRef: 'DOK-1', summary: 'Udkast' }, 'Forbidden');
        expect(c.persisted().step).toBe('drafting');
      });
    });

    it('given a case in drafting, when the draft is submitted without its summary, then the update is refused as InvalidInput naming the field', async () => {
      await withCase(async (open) => {
        const c = await openNow(open);
        await c.assignJurist();

        const refusal = await c.expectRefused('submit-draft', caseworker, { documentRef: 'DOK-1' }, 'InvalidInput');
        expect((refusal.details?.[0] as CaseErrorDetails).fields).toEqual([expect.objectContaining({ field: 'summary' })]);
      });
    });
  });

  describe('happy path', () => {
    it('given a received report, when the draft is returned once and BRG asks for a further reply, then the case goes through two reply rounds and closes with the full journal', async () => {
      await withCase(async (open) => {
        const c = await openNow(open);
        await c.assignJurist();
        await c.brief('receipt');
        await c.submitDraft('DOK-1');
        await c.act('return-draft', jurist, { comment: 'Præciser sagsforløbet' });
        expect(c.persisted().step).toBe('drafting');
        await c.prepareReply('DOK-2');
        await c.sendReply('SVAR-1');
        await env.sleep(5 * DAY);
        await c.registerBrgResponse();
        await c.brief('brg-response');
        await c.requestFurtherReply((await now()) + 10 * DAY);
        expect(c.persisted()).toMatchObject({ step: 'drafting', data: { round: 2, draftApproved: false } });
        await c.prepareReply('DOK-3');
        await c.sendReply('SVAR-2');
        await c.act('close', secretariat, { reason: 'BRG har fået det yderligere svar' });
        await c.handle.result();

        expect(c.recorded.actions()).toEqual([
          'opened',
          'assign-jurist',
          'record-direktion-briefing',
          'submit-draft',
          'return-draft',
          'submit-draft',
          'approve-draft',
          'record-direktion-briefing',
          'send-reply',
          'register-brg-response',
          'record-direktion-briefing',
          'request-further-reply',
          'submit-draft',
          'approve-draft',
          'record-direktion-briefing',
          'send-reply',
          'close',
        ]);
        expect(c.recorded.events.map((e) => e.entry.seq)).toEqual(c.recorded.events.map((_e, i) => i + 1));
        const closed = c.persisted();
        expect(closed).toMatchObject({ status: 'closed', step: 'closed', overdue: false });
        expect(closed.data.round).toBe(2);
        expect(closed.data.returnComments).toHaveLength(1);
        expect(closed.data.replies.map((r) => [r.round, r.documentRef])).toEqual([
          [1, 'SVAR-1'],
          [2, 'SVAR-2'],
        ]);
        expect(closed.data.briefings.map((b) => `${b.occasion}:${b.round}`)).toEqual(['receipt:1', 'reply:1', 'brg-response:1', 'reply:2']);
        expect(closed.data.closedAutomatically).toBeUndefined();
        expect(closed.deadlines.map((d) => [d.name, d.state])).toEqual([
          ['receipt-briefing', 'met'],
          ['jurist-assignment', 'met'],
          ['brg-reply', 'met'],
          ['brg-response-window', 'met'],
          ['brg-reply', 'met'],
          ['brg-response-window', 'met'],
        ]);
        expect(c.recorded.notifications('escalation')).toHaveLength(0);
      });
    });
  });
});
