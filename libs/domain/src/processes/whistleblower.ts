import type { CaseSnapshot } from '../case';
import { type FieldError, mustBeInFuture, parseInstant } from '../fields';
import { defineProcess } from '../process-definition';

export type BriefingOccasion = 'receipt' | 'reply' | 'brg-response';

export interface WhistleblowerData {
  brgReference: string;
  subject: string;
  summary: string;
  handlingUnit: string;
  receivedAt: string;
  /** BRG's deadline for the reply of the current round. */
  replyDeadline: string;
  juristId?: string;
  /** Reply round: 1 for the first reply, one more for each further reply BRG asks for. */
  round: number;
  draft?: { round: number; documentRef: string; summary: string; submittedBy: string; at: string };
  draftApproved: boolean;
  returnComments: { round: number; comment: string; at: string }[];
  briefings: { occasion: BriefingOccasion; round: number; at: string; note?: string }[];
  replies: { round: number; documentRef: string; sentAt: string }[];
  brgResponses: { round: number; summary: string; receivedAt: string }[];
  closeReason?: string;
  closedAutomatically?: boolean;
  /** BRG passed on the whistleblower's identity with consent; the identity itself is never here (see record-identity). */
  identityProvided?: boolean;
}

type WhistleblowerCase = CaseSnapshot<WhistleblowerData>;

export const WHISTLEBLOWER_STEPS = {
  awaitingJurist: 'awaiting-jurist',
  drafting: 'drafting',
  draftReview: 'draft-review',
  readyToSend: 'ready-to-send',
  awaitingBrg: 'awaiting-brg-response',
  brgResponseReceived: 'brg-response-received',
  closed: 'closed',
} as const;

const S = WHISTLEBLOWER_STEPS;
const OPEN_STEPS = [S.awaitingJurist, S.drafting, S.draftReview, S.readyToSend, S.awaitingBrg, S.brgResponseReceived];

export function hasBriefing(c: WhistleblowerCase, occasion: BriefingOccasion, round = c.data.round): boolean {
  return c.data.briefings.some((b) => b.occasion === occasion && (occasion === 'receipt' || b.round === round));
}

/** Why a briefing for this occasion cannot be recorded now, if it cannot. */
function briefingRefusal(c: WhistleblowerCase, occasion: BriefingOccasion): string | undefined {
  switch (occasion) {
    case 'receipt':
      return hasBriefing(c, 'receipt') ? 'The receipt briefing is already recorded.' : undefined;
    case 'reply':
      if (c.step !== S.readyToSend) return 'The reply briefing is recorded once the jurist has approved the draft.';
      return hasBriefing(c, 'reply') ? 'The reply briefing of this round is already recorded.' : undefined;
    case 'brg-response':
      if (c.step !== S.brgResponseReceived) return "The BRG-response briefing is recorded once BRG's response is registered.";
      return hasBriefing(c, 'brg-response') ? 'The BRG-response briefing is already recorded.' : undefined;
  }
}

/** The direktion presentations of the current round not yet recorded that closing the case requires. */
export function owedBriefings(c: WhistleblowerCase): BriefingOccasion[] {
  const owed: BriefingOccasion[] = [];
  if (!hasBriefing(c, 'receipt')) owed.push('receipt');
  if (c.data.brgResponses.some((r) => r.round === c.data.round) && !hasBriefing(c, 'brg-response')) {
    owed.push('brg-response');
  }
  return owed;
}

/** Each presentation as staff read it, in journal notes and escalations. */
export const BRIEFING_LABELS: Readonly<Record<BriefingOccasion, string>> = {
  receipt: 'forelæggelsen ved modtagelsen',
  reply: 'forelæggelsen af svaret',
  'brg-response': "forelæggelsen af BRG's svar",
};

function receivedBeforeDeadline(input: Record<string, unknown>, now: number): FieldError[] {
  const received = parseInstant(input.receivedAt) ?? now;
  const deadline = parseInstant(input.replyDeadline);
  return deadline !== undefined && deadline <= received
    ? [{ field: 'replyDeadline', message: 'replyDeadline must be after receivedAt' }]
    : [];
}

export const whistleblowerDefinition = defineProcess<WhistleblowerData>()({
  name: 'whistleblower',
  label: 'Whistleblower-sag',
  description:
    'A whistleblower report received from Borgerrådgiveren (BRG): a jurist from ARC is attached, the handling unit drafts a reply, the jurist approves it, the direktion is briefed, and the reply goes to BRG.',
  workflowType: 'whistleblowerWorkflow',
  startRoles: ['ledelsessekretariat'],
  startInput: {
    brgReference: { label: 'BRG-reference', type: 'string', required: true, maxLength: 100, description: "BRG's reference for the case" },
    subject: { label: 'Emne', type: 'string', required: true, maxLength: 300, description: 'What the report is about' },
    summary: { label: "Resumé af BRG's anmodning", type: 'string', required: true, maxLength: 10_000, description: "Summary of BRG's request for a statement" },
    handlingUnit: { label: 'Behandlende enhed', type: 'string', required: true, maxLength: 100, description: 'The unit that drafts the reply' },
    area: { label: 'Område', type: 'area', required: false, description: 'Områdeforvaltning, if the case belongs to one' },
    receivedAt: { label: 'Modtaget', type: 'datetime', required: false, notInFuture: true, description: 'When BRG\'s request was received (default: now)' },
    replyDeadline: { label: 'Svarfrist til BRG', type: 'datetime', required: true, endOfDay: true, description: "BRG's deadline for BUF's reply" },
  },
  startCheck: receivedBeforeDeadline,
  // The whistleblower's report is read by few: the secretariat, the direktion, the ARC lead,
  // the assigned jurist and caseworkers of the handling unit; every read is recorded.
  readRoles: ['ledelsessekretariat', 'direktion', 'arc-lead'],
  // What survives anonymisation: what the reports count, never names, free text or identifiers.
  retainedAfterAnonymisation: ['handlingUnit', 'receivedAt', 'replyDeadline', 'round', 'closedAutomatically'],
  readScopes: [
    { role: 'jurist', field: 'juristId', claim: 'sub' },
    { role: 'caseworker', field: 'handlingUnit', claim: 'unit' },
  ],
  logReads: true,
  // Opening a case gives no access of its own: one who leaves the secretariat loses it.
  openerView: 'none',
  steps: [
    { name: S.awaitingJurist, label: 'Modtaget – afventer jurist' },
    { name: S.drafting, label: 'Udkast til svar udarbejdes' },
    { name: S.draftReview, label: 'Udkast til godkendelse hos jurist' },
    { name: S.readyToSend, label: 'Godkendt – forelægges direktionen' },
    { name: S.awaitingBrg, label: 'Svar sendt til BRG' },
    { name: S.brgResponseReceived, label: 'Svar fra BRG modtaget' },
    { name: S.closed, label: 'Afsluttet', terminal: true },
  ],
  initialStep: S.awaitingJurist,
  deadlines: [
    {
      name: 'receipt-briefing',
      label: 'Forelæggelse for direktionen ved modtagelsen',
      description:
        'The case is presented to the direktion on receipt, within the policy number of working days; Ledelsessekretariatet is reminded on the morning of the last day, and the secretariat and the direktion are told when it passes.',
      rule: { measure: { unit: 'working-days', count: 'whistleblower.receiptBriefingWorkingDays' }, from: 'modtagelsen', basis: { policy: 'whistleblower.receiptBriefingWorkingDays' } },
      reminders: [{ when: 'days-before-due', offsets: 'whistleblower.receiptBriefingReminderDaysBefore', notify: ['ledelsessekretariat'] }],
      escalatesTo: ['ledelsessekretariat', 'direktion'],
    },
    {
      name: 'jurist-assignment',
      label: 'Jurist tilknyttet',
      description: 'A jurist from ARC is attached within the policy number of working days of receipt.',
      rule: { measure: { unit: 'working-days', count: 'whistleblower.juristAssignmentWorkingDays' }, from: 'modtagelsen', basis: { policy: 'whistleblower.juristAssignmentWorkingDays' } },
      escalatesTo: ['arc-lead', 'ledelsessekretariat'],
      runsIn: [S.awaitingJurist],
    },
    {
      name: 'brg-reply',
      label: 'Svarfrist til BRG',
      description: "BRG's deadline for BUF's reply; reminders before it, escalation when it passes.",
      rule: { measure: { unit: 'given' }, from: "BRG's anmodning", basis: { setBy: 'Borgerrådgiveren (BRG) i sagen' } },
      reminders: [{ when: 'hours-before-due', offsets: 'whistleblower.replyReminderHoursBefore', notify: ['ledelsessekretariat', 'caseworker'] }],
      escalatesTo: ['ledelsessekretariat'],
      runsIn: [S.awaitingJurist, S.drafting, S.draftReview, S.readyToSend],
    },
    {
      name: 'brg-response-window',
      label: 'Afventer svar fra BRG',
      description:
        'When BRG has not responded within the policy number of days after the reply, the case closes by itself, unless a direktion presentation is missing: then Ledelsessekretariatet is told instead, and the case closes by itself once the missing presentation is recorded.',
      rule: { measure: { unit: 'calendar-days', count: 'whistleblower.autoCloseDaysAfterReply' }, from: 'svaret til BRG', basis: { policy: 'whistleblower.autoCloseDaysAfterReply' } },
      escalatesTo: ['ledelsessekretariat'],
      runsIn: [S.awaitingBrg],
    },
  ],
  actions: [
    {
      name: 'assign-jurist',
      label: 'Tilknyt jurist',
      description: 'Attach (or replace) the ARC jurist of the case.',
      roles: ['arc-lead'],
      steps: OPEN_STEPS,
      leadsTo: [S.drafting],
      input: { juristId: { label: 'Jurist (bruger-id)', type: 'string', required: true, maxLength: 100, description: 'The jurist (subject id)' } },
    },
    {
      name: 'record-direktion-briefing',
      label: 'Forelæggelse for direktionen registreret',
      description: 'Record that the case was presented to the direktion: on receipt, before the reply, or after a BRG response.',
      roles: ['ledelsessekretariat'],
      steps: OPEN_STEPS,
      leadsTo: [],
      input: {
        occasion: { label: 'Forelæggelse', type: 'enum', required: true, values: ['receipt', 'reply', 'brg-response'], valueLabels: { receipt: 'Ved modtagelsen', reply: 'Af svaret', 'brg-response': "Af BRG's svar" }, description: 'Which presentation' },
        note: { label: 'Bemærkning', type: 'string', required: false, maxLength: 2_000, description: 'Comment' },
      },
      precondition: (c, input) => {
        const occasions: BriefingOccasion[] = input ? [input.occasion as BriefingOccasion] : ['receipt', 'reply', 'brg-response'];
        const refusals = occasions.map((o) => briefingRefusal(c, o));
        return refusals.some((r) => r === undefined) ? undefined : refusals[0];
      },
    },
    {
      name: 'record-identity',
      label: 'Whistleblowerens identitet videregivet med samtykke',
      description:
        "BRG passes on the whistleblower's identity with the whistleblower's consent. The identity is held outside the workflow (encrypted, never in Temporal, the journal, lists, statistics or notifications) and only the assigned jurist reads it; recording it again replaces it.",
      roles: ['ledelsessekretariat'],
      steps: OPEN_STEPS,
      leadsTo: [],
      input: {
        whistleblowerIdentity: {
          label: 'Whistleblowerens identitet',
          type: 'string',
          required: true,
          maxLength: 500,
          description: "The whistleblower's identity as BRG passed it on (name and contact details)",
          heldOutsideWorkflow: { readableBy: { role: 'jurist', field: 'juristId', claim: 'sub' } },
        },
      },
    },
    {
      name: 'submit-draft',
      label: 'Udkast til svar indsendt',
      description: "The handling unit submits its draft reply for the jurist's approval.",
      roles: ['caseworker'],
      steps: [S.drafting],
      leadsTo: [S.draftReview],
      input: {
        documentRef: { label: 'Dokumentreference for udkastet', type: 'string', required: true, maxLength: 200, description: 'Reference of the draft in the document system' },
        summary: { label: 'Resumé af udkastet', type: 'string', required: true, maxLength: 5_000, description: 'Summary of the draft' },
      },
      personCheck: (c, actor) =>
        actor.unit === c.data.handlingUnit ? undefined : 'Only a caseworker of the handling unit may submit the draft.',
    },
    {
      name: 'approve-draft',
      label: 'Udkast godkendt af jurist',
      description: 'The assigned jurist approves the draft reply.',
      roles: ['jurist'],
      steps: [S.draftReview],
      leadsTo: [S.readyToSend],
      input: { comment: { label: 'Bemærkning', type: 'string', required: false, maxLength: 5_000, description: 'Comment' } },
      personCheck: (c, actor) => (actor.sub === c.data.juristId ? undefined : 'Only the assigned jurist may approve the draft.'),
    },
    {
      name: 'return-draft',
      label: 'Udkast returneret med bemærkninger',
      description: 'The assigned jurist returns the draft to the handling unit with comments.',
      roles: ['jurist'],
      steps: [S.draftReview],
      leadsTo: [S.drafting],
      input: { comment: { label: 'Hvad skal ændres', type: 'string', required: true, maxLength: 5_000, description: 'What must change' } },
      personCheck: (c, actor) => (actor.sub === c.data.juristId ? undefined : 'Only the assigned jurist may return the draft.'),
    },
    {
      name: 'send-reply',
      label: 'Svar sendt til BRG',
      description: 'Record that the approved reply was sent to BRG; only after both the receipt briefing and the reply briefing.',
      roles: ['ledelsessekretariat'],
      steps: [S.readyToSend],
      leadsTo: [S.awaitingBrg],
      input: { documentRef: { label: 'Dokumentreference for svaret', type: 'string', required: true, maxLength: 200, description: 'Reference of the reply sent' } },
      precondition: (c) => {
        const missing = (['receipt', 'reply'] as const).filter((o) => !hasBriefing(c, o));
        return missing.length === 0
          ? undefined
          : `The reply is sent to BRG only after the direktion presentations on receipt and of the reply; missing: ${missing.map((o) => `the ${o} briefing`).join(' and ')} (record-direktion-briefing, occasion ${missing.join(' / ')}).`;
      },
    },
    {
      name: 'register-brg-response',
      label: 'Svar fra BRG registreret',
      description: "Register BRG's response to the reply.",
      roles: ['ledelsessekretariat'],
      steps: [S.awaitingBrg],
      leadsTo: [S.brgResponseReceived],
      input: {
        summary: { label: "Resumé af BRG's svar", type: 'string', required: true, maxLength: 5_000, description: "Summary of BRG's response" },
        receivedAt: { label: 'Modtaget', type: 'datetime', required: false, notInFuture: true, description: 'When it was received (default: now)' },
      },
    },
    {
      name: 'request-further-reply',
      label: 'Yderligere svar udarbejdes',
      description: "BRG's response needs a further reply: back to drafting for a new round, with BRG's deadline for it (reminders and escalation as in the first round).",
      roles: ['ledelsessekretariat'],
      steps: [S.brgResponseReceived],
      leadsTo: [S.drafting],
      input: {
        replyDeadline: { label: 'Svarfrist for det yderligere svar', type: 'datetime', required: true, endOfDay: true, description: "BRG's deadline for the further reply (in the future)" },
      },
      precondition: (c) =>
        hasBriefing(c, 'brg-response') ? undefined : "BRG's response must be presented to the direktion first.",
      inputCheck: (_c, input, now) => mustBeInFuture(input, 'replyDeadline', now),
    },
    {
      name: 'close',
      label: 'Sagen afsluttet',
      description: 'Close the case; only when every briefing owed to the direktion is recorded.',
      roles: ['ledelsessekretariat'],
      steps: [S.awaitingBrg, S.brgResponseReceived],
      leadsTo: [S.closed],
      input: { reason: { label: 'Begrundelse for afslutningen', type: 'string', required: true, maxLength: 2_000, description: 'Why the case closes' } },
      precondition: (c) => {
        const owed = owedBriefings(c);
        return owed.length === 0 ? undefined : `Briefings owed to the direktion: ${owed.join(', ')}.`;
      },
    },
  ],
});
