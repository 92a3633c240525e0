import {
  ACCESS_DECISION_LABELS,
  ACCESS_REQUEST_STEPS as S,
  type StartCaseInput,
  type StartInputOf,
  accessRequestDefinition,
  formatCopenhagen,
} from '@buf/domain';
import { patched } from '@temporalio/workflow';
import { CaseRuntime } from './case-kit';

/**
 * Patch id: the decision deadline reminds the handling jurist on the morning of the 7th working
 * day, and the § 39 window (14 working days) is watched. Runs started before go on without both.
 */
const REMINDER_AND_PROCESSING_TIME = 'access-request-reminder-and-processing-time';

export type AccessRequestStartInput = StartInputOf<typeof accessRequestDefinition>;

/**
 * docs/processes.md, `access-request`: a request for access to documents, with the 7-working-day rule of
 * Offentlighedsloven § 36(2) (deadline letter, promised date), the § 37 complaint branch (also on a
 * closed case: the API then starts a new run carrying the case's last snapshot, and the kit
 * journals the reopening) and the § 39 complaint about the processing time.
 */
export async function accessRequestWorkflow(start: StartCaseInput<AccessRequestStartInput>): Promise<void> {
  const { input } = start;
  const c = new CaseRuntime(
    accessRequestDefinition,
    start,
    {
      receivedAt: input.receivedAt,
      requester: input.requester,
      requesterType: input.requesterType,
      request: input.request,
      area: input.area,
      documentRequests: [],
      documentRegistrations: [],
      deadlineLetters: [],
      decisions: [],
      complaints: [],
    },
    input.area,
  );
  const data = c.data;
  const currentComplaint = () => data.complaints[data.complaints.length - 1];
  if (!c.continued) c.startDeadline('decision', { from: input.receivedAt });

  c.handleActions({
    'request-documents': async (i, actor, moveTo) => {
      data.documentRequests.push({ fromUnit: i.fromUnit, at: c.nowIso() });
      moveTo(S.collectingDocuments);
      await c.record(actor, 'request-documents', { note: `Dokumenter anmodet fra ${i.fromUnit}` });
    },
    'register-documents': async (i, actor, moveTo) => {
      const count = i.count;
      data.documentRegistrations.push({ count, ...(i.note ? { note: i.note } : {}), at: c.nowIso() });
      moveTo(S.assessment);
      await c.record(actor, 'register-documents', { note: `${count} dokument(er) modtaget` });
    },
    'send-deadline-letter': async (i, actor) => {
      const sentAt = c.nowIso();
      const expectedBy = i.expectedBy;
      data.deadlineLetters.push({ reason: i.reason, expectedBy, sentAt });
      data.deadlineLetterSentAt ??= sentAt;
      // The letter makes good the missed deadline (the 7 working days, or an earlier promised date).
      c.settle('decision');
      c.settle('promised-decision');
      c.startDeadline('promised-decision', { from: sentAt, at: expectedBy });
      c.watch('promised-decision');
      await c.record(actor, 'send-deadline-letter', { note: `Fristbrev sendt – afgørelse forventes ${formatCopenhagen(Date.parse(expectedBy))}` });
    },
    decide: async (i, actor, moveTo) => {
      const outcome = i.outcome;
      const decidedAt = c.nowIso();
      if (data.decidedAt === undefined) {
        data.decidedAt = decidedAt;
        data.decidedWithinDeadline = c.now() <= Date.parse(c.deadline('decision').dueAt);
      }
      data.decisions.push({
        outcome,
        ...(i.legalGrounds ? { legalGrounds: i.legalGrounds } : {}),
        complaintGuidance: i.complaintGuidance,
        decidedAt,
      });
      data.decisionOutcome = outcome;
      c.settle('decision');
      c.settle('promised-decision');
      c.settle('processing-time');
      c.settle('processing-time-complaint');
      moveTo(S.decided);
      await c.record(actor, 'decide', { note: `Afgørelse: ${ACCESS_DECISION_LABELS[outcome]} – sendt med klagevejledning` });
    },
    'register-complaint': async (i, actor, moveTo) => {
      const receivedAt = i.receivedAt ?? c.nowIso();
      data.complaints.push({ receivedAt, registeredAt: c.nowIso() });
      moveTo(S.complaintReceived);
      c.startDeadline('ankestyrelsen-forwarding', { from: receivedAt });
      c.watch('ankestyrelsen-forwarding');
      await c.record(actor, 'register-complaint', {
        note: 'Klage over afgørelsen modtaget (offentlighedsloven § 37)',
        notify: [
          {
            role: 'jurist',
            kind: 'assignment',
            subject: `Klage over afgørelse: ${c.describe()}`,
            body: `Der er klaget over afgørelsen på ${c.describe()}. Afgørelsen genovervejes; fastholdes den, sendes klagen til klageinstansen: ${c.describe('ankestyrelsen-forwarding')}.`,
          },
        ],
      });
    },
    reconsider: async (i, actor, moveTo) => {
      const outcome = i.outcome;
      currentComplaint().reconsideration = { outcome, note: i.note, at: c.nowIso() };
      if (outcome === 'changed') {
        // No forwarding: a new decision is made instead.
        c.settle('ankestyrelsen-forwarding');
        moveTo(S.assessment);
      } else {
        moveTo(S.forwarding);
      }
      await c.record(actor, 'reconsider', {
        note: outcome === 'changed' ? 'Afgørelsen ændres – ny afgørelse træffes' : 'Afgørelsen fastholdes – klagen sendes til klageinstansen',
      });
    },
    'forward-to-ankestyrelsen': async (i, actor, moveTo) => {
      currentComplaint().forwarded = { reference: i.reference, at: c.nowIso(), complaintBody: i.complaintBody };
      c.settle('ankestyrelsen-forwarding');
      moveTo(S.forwarded);
      await c.record(actor, 'forward-to-ankestyrelsen', {
        note: `Klagen videresendt til klageinstansen: ${i.complaintBody} (${i.reference})`,
        notify: [
          {
            role: 'arc-lead',
            kind: 'information',
            subject: `Klage videresendt: ${c.describe()}`,
            body: `Afgørelsen på ${c.describe()} er fastholdt, og klagen er videresendt til klageinstansen: ${i.complaintBody} (offentlighedsloven § 37, stk. 2).`,
          },
        ],
      });
    },
    'register-processing-time-complaint': async (i, actor) => {
      const receivedAt = i.receivedAt ?? c.nowIso();
      (data.processingTimeComplaints ??= []).push({ receivedAt, registeredAt: c.nowIso() });
      c.startDeadline('processing-time-complaint', { from: receivedAt });
      c.watch('processing-time-complaint');
      await c.record(actor, 'register-processing-time-complaint', {
        note: 'Klage over sagsbehandlingstiden modtaget (offentlighedsloven § 39)',
        notify: (['jurist', 'arc-lead'] as const).map((role) => ({
          role,
          kind: 'assignment' as const,
          subject: `Klage over sagsbehandlingstiden: ${c.describe()}`,
          body: `Der er klaget over sagsbehandlingstiden på ${c.describe()}. Anmodningen afgøres, eller klagen videresendes til klageinstansen med en begrundelse for sagsbehandlingstiden: ${c.describe('processing-time-complaint')}.`,
        })),
      });
    },
    'answer-processing-time-complaint': async (i, actor) => {
      const complaint = (data.processingTimeComplaints ?? []).find((p) => p.answer === undefined);
      if (complaint) complaint.answer = { text: i.answer, at: c.nowIso(), ...(i.forwardedTo ? { forwardedTo: i.forwardedTo } : {}) };
      // § 39, stk. 2 is met by the decision or by forwarding the complaint with the reasons.
      if (i.forwardedTo || data.decidedAt !== undefined) c.settle('processing-time-complaint');
      await c.record(actor, 'answer-processing-time-complaint', {
        note: i.forwardedTo
          ? `Klage over sagsbehandlingstiden besvaret og videresendt til klageinstansen: ${i.forwardedTo}`
          : 'Klage over sagsbehandlingstiden besvaret',
      });
    },
    withdraw: async (i, actor) => {
      data.withdrawnReason = i.reason;
      await c.close(actor, 'withdraw', 'Anmodningen er trukket tilbage');
    },
    close: async (i, actor) => {
      if (i.note) data.closeNote = i.note;
      await c.close(actor, 'close');
    },
  });

  if (c.continued) {
    // A reopened (or continued) case: its pending deadlines are watched again; nothing is journalled here.
    for (const d of c.snapshot.deadlines) if (d.state === 'pending' && c.snapshot.status === 'open') c.watch(d.name);
    await c.run(start.historyLimit);
    return;
  }
  const withReminderAndProcessingTime = patched(REMINDER_AND_PROCESSING_TIME);
  if (withReminderAndProcessingTime) c.startDeadline('processing-time', { from: input.receivedAt });
  await c.record(start.actor, 'opened', {
    note: `Anmodning om aktindsigt modtaget ${formatCopenhagen(Date.parse(input.receivedAt))} (${input.requesterType === 'journalist' ? 'journalist' : 'borger'})`,
    notify: [
      {
        role: 'jurist',
        kind: 'assignment',
        subject: `Ny anmodning om aktindsigt: ${c.describe()}`,
        body: `En anmodning om aktindsigt er registreret. ${c.describe('decision')}. Kan afgørelsen ikke træffes inden fristen, sendes et fristbrev med begrundelse og forventet afgørelsesdato senest ved fristens udløb (offentlighedsloven § 36, stk. 2).`,
      },
    ],
  });
  // A request registered late may be past its 7 working days already: then it escalates at once.
  if (withReminderAndProcessingTime) {
    c.watch('decision');
    c.watch('processing-time');
  } else {
    c.watch('decision', { reminders: false });
  }
  await c.run(start.historyLimit);
}
