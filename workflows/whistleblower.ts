import { patched } from '@temporalio/workflow';
import {
  BRIEFING_LABELS,
  SYSTEM_ACTOR,
  type StartCaseInput,
  type StartInputOf,
  WHISTLEBLOWER_STEPS as S,
  owedBriefings,
  whistleblowerDefinition,
} from '@buf/domain';
import { CaseRuntime } from './case-kit';

/** Patch id: the receipt presentation has a deadline (runs started before have none). */
const RECEIPT_BRIEFING_DEADLINE = 'whistleblower-receipt-briefing-deadline';
/** Patch id: the automatic close escalates instead of closing while a presentation is missing. */
const AUTO_CLOSE_NEEDS_BRIEFINGS = 'whistleblower-auto-close-needs-briefings';

/** The start input, as the definition's schema declares it. */
export type WhistleblowerStartInput = StartInputOf<typeof whistleblowerDefinition>;

/** docs/processes.md, `whistleblower`: a whistleblower report from BRG, from receipt to the reply and BRG's response. */
export async function whistleblowerWorkflow(start: StartCaseInput<WhistleblowerStartInput>): Promise<void> {
  const { input, policy } = start;
  const receivedAt = input.receivedAt ?? start.openedAt;
  const c = new CaseRuntime(
    whistleblowerDefinition,
    start,
    {
      brgReference: input.brgReference,
      subject: input.subject,
      summary: input.summary,
      handlingUnit: input.handlingUnit,
      receivedAt,
      replyDeadline: input.replyDeadline,
      round: 1,
      draftApproved: false,
      returnComments: [],
      briefings: [],
      replies: [],
      brgResponses: [],
    },
    input.area,
  );
  const data = c.data;
  const receiptBriefingDeadline = patched(RECEIPT_BRIEFING_DEADLINE);
  if (!c.continued) {
    if (receiptBriefingDeadline) c.startDeadline('receipt-briefing', { from: receivedAt });
    c.startDeadline('jurist-assignment', { from: receivedAt });
    c.startDeadline('brg-reply', { from: receivedAt, at: input.replyDeadline });
  }
  c.watchAs('brg-response-window', { onMissed: () => responseWindowPassed() });

  c.handleActions({
    'assign-jurist': async (i, actor, moveTo) => {
      data.juristId = i.juristId;
      if (c.snapshot.step === S.awaitingJurist) moveTo(S.drafting);
      c.settle('jurist-assignment');
      await c.record(actor, 'assign-jurist', {
        note: `Jurist tilknyttet: ${data.juristId}`,
        notify: [{ role: 'jurist', kind: 'assignment', subject: `Du er tilknyttet: ${c.describe()}`, body: `Du er tilknyttet som jurist på ${c.describe()} (tilknyttet jurist: ${data.juristId}). Enheden kan søge rådgivning hos dig undervejs.` }],
      });
    },
    'record-direktion-briefing': async (i, actor) => {
      const occasion = i.occasion;
      data.briefings.push({ occasion, round: data.round, at: c.nowIso(), ...(i.note ? { note: i.note } : {}) });
      if (occasion === 'receipt') c.settle('receipt-briefing');
      await c.record(actor, 'record-direktion-briefing', { note: `Forelagt direktionen (${occasion})${i.note ? `: ${i.note}` : ''}` });
      // BRG's window passed while a presentation was missing: now that none is, the case closes as the rule says.
      if (heldOpenForBriefings()) await autoClose();
    },
    'record-identity': async (_i, actor) => {
      // Only the marker arrives here (the update validator refuses the identity itself).
      data.identityProvided = true;
      await c.record(actor, 'record-identity', { note: 'Whistleblowerens identitet videregivet med samtykke' });
    },
    'submit-draft': async (i, actor, moveTo) => {
      data.draft = { round: data.round, documentRef: i.documentRef, summary: i.summary, submittedBy: actor.sub, at: c.nowIso() };
      data.draftApproved = false;
      moveTo(S.draftReview);
      await c.record(actor, 'submit-draft', {
        note: `Udkast ${i.documentRef}`,
        notify: [{ role: 'jurist', kind: 'assignment', subject: `Udkast til godkendelse: ${c.describe()}`, body: `Der ligger et udkast til svar til godkendelse på ${c.describe()}.` }],
      });
    },
    'approve-draft': async (i, actor, moveTo) => {
      data.draftApproved = true;
      moveTo(S.readyToSend);
      await c.record(actor, 'approve-draft', {
        ...(i.comment ? { note: i.comment } : {}),
        notify: [{ role: 'ledelsessekretariat', kind: 'briefing-request', subject: `Forelæg svaret for direktionen: ${c.describe()}`, body: `Juristen har godkendt udkastet til svar på ${c.describe()}. Svaret skal forelægges direktionen, før det sendes til BRG.` }],
      });
    },
    'return-draft': async (i, actor, moveTo) => {
      data.returnComments.push({ round: data.round, comment: i.comment, at: c.nowIso() });
      moveTo(S.drafting);
      await c.record(actor, 'return-draft', {
        note: i.comment,
        notify: [{ role: 'caseworker', kind: 'information', subject: `Udkast returneret: ${c.describe()}`, body: `Juristen har returneret udkastet til svar på ${c.describe()} med bemærkninger.` }],
      });
    },
    'send-reply': async (i, actor, moveTo) => {
      data.replies.push({ round: data.round, documentRef: i.documentRef, sentAt: c.nowIso() });
      c.settle('brg-reply');
      moveTo(S.awaitingBrg);
      c.startDeadline('brg-response-window', { from: c.now() });
      c.watch('brg-response-window');
      await c.record(actor, 'send-reply', { note: `Svar ${i.documentRef} sendt til BRG` });
    },
    'register-brg-response': async (i, actor, moveTo) => {
      data.brgResponses.push({ round: data.round, summary: i.summary, receivedAt: i.receivedAt ? i.receivedAt : c.nowIso() });
      c.settle('brg-response-window');
      moveTo(S.brgResponseReceived);
      await c.record(actor, 'register-brg-response', {
        notify: [{ role: 'ledelsessekretariat', kind: 'briefing-request', subject: `Forelæg BRG's svar for direktionen: ${c.describe()}`, body: `BRG har svaret på ${c.describe()}. Svaret skal forelægges direktionen.` }],
      });
    },
    'request-further-reply': async (i, actor, moveTo) => {
      data.round += 1;
      data.draft = undefined;
      data.draftApproved = false;
      moveTo(S.drafting);
      // Histories from before the field was required carry no deadline and replay as they ran;
      // every new request has one (the update validator requires it), so no patch marker is needed.
      const furtherDue = typeof i.replyDeadline === 'string' ? Date.parse(i.replyDeadline) : undefined;
      if (furtherDue !== undefined) {
        data.replyDeadline = new Date(furtherDue).toISOString();
        c.startDeadline('brg-reply', { from: c.now(), at: furtherDue });
      }
      await c.record(actor, 'request-further-reply', {
        note: `Yderligere svar (runde ${data.round})`,
        notify: [
          {
            role: 'caseworker',
            kind: 'assignment',
            subject: `Yderligere svar til BRG: ${c.describe()}`,
            body: `BRG's svar kræver et yderligere svar på ${furtherDue !== undefined ? c.describe('brg-reply') : c.describe()}.`,
          },
        ],
      });
      if (furtherDue !== undefined) c.watch('brg-reply');
    },
    close: async (i, actor) => {
      data.closeReason = i.reason;
      await c.close(actor, 'close', i.reason);
    },
  });

  /**
   * BRG has not responded in time: the case closes by itself, but never with a direktion
   * presentation missing. Then Ledelsessekretariatet is told (the case is overdue) and the case
   * stays open until the presentation is recorded, when it closes by itself (or BRG responds).
   */
  async function responseWindowPassed(): Promise<void> {
    const owed = owedBriefings(c.snapshot);
    if (owed.length > 0 && patched(AUTO_CLOSE_NEEDS_BRIEFINGS)) {
      await c.escalate(
        'brg-response-window',
        `Sagen lukkes ikke automatisk, da ${owed.map((o) => BRIEFING_LABELS[o]).join(' og ')} for direktionen mangler; den lukker automatisk, når forelæggelsen er registreret`,
      );
      return;
    }
    await autoClose();
  }

  function heldOpenForBriefings(): boolean {
    if (c.snapshot.step !== S.awaitingBrg || data.replies.length === 0) return false;
    const window = c.deadline('brg-response-window');
    return window.state === 'missed' && !window.settledAt && owedBriefings(c.snapshot).length === 0;
  }

  async function autoClose(): Promise<void> {
    const window = c.deadline('brg-response-window');
    window.settledAt = c.nowIso();
    data.closedAutomatically = true;
    data.closeReason = `BRG har ikke svaret inden for ${policy.whistleblower.autoCloseDaysAfterReply} dage efter svaret`;
    await c.close(SYSTEM_ACTOR, 'closed-automatically', data.closeReason);
  }

  // A continued run journals nothing itself; run() re-arms its pending deadlines.
  if (c.continued) {
    await c.run(start.historyLimit);
    return;
  }
  await c.record(start.actor, 'opened', {
    note: `Modtaget fra BRG (${input.brgReference})`,
    notify: [
      { role: 'arc-lead', kind: 'assignment', subject: `Tilknyt en jurist: ${c.describe()}`, body: `En whistleblower-sag er modtaget fra BRG. Der skal tilknyttes en jurist fra ARC inden ${c.describe('jurist-assignment')}.` },
      { role: 'ledelsessekretariat', kind: 'briefing-request', subject: `Forelæg sagen for direktionen: ${c.describe()}`, body: `En whistleblower-sag er modtaget fra BRG og skal forelægges direktionen ved modtagelsen.` },
    ],
  });
  if (receiptBriefingDeadline) c.watch('receipt-briefing');
  c.watch('jurist-assignment');
  c.watch('brg-reply');
  await c.run(start.historyLimit);
}
