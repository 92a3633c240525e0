import type { CaseSnapshot, Deadline } from '../case';
import { type FieldError, mustBeInFuture, parseInstant } from '../fields';
import { defineProcess } from '../process-definition';

export type RequesterType = 'citizen' | 'journalist';
export type AccessDecisionOutcome = 'full' | 'partial' | 'refused';
export type ReconsiderationOutcome = 'changed' | 'kept';

export interface AccessDecision {
  outcome: AccessDecisionOutcome;
  legalGrounds?: string;
  complaintGuidance: string;
  decidedAt: string;
}

export interface AccessComplaint {
  /** When the complaint reached BUF: the § 37 forwarding deadline counts from here. */
  receivedAt: string;
  registeredAt: string;
  reconsideration?: { outcome: ReconsiderationOutcome; note: string; at: string };
  forwarded?: { reference: string; at: string };
}

export interface AccessRequestData {
  /** When the request was received; the 7 working days count from here (it may be earlier than the case). */
  receivedAt: string;
  requester: string;
  requesterType: RequesterType;
  /** What is asked for. */
  request: string;
  area: string;
  documentRequests: { fromUnit: string; at: string }[];
  documentRegistrations: { count: number; note?: string; at: string }[];
  deadlineLetters: { reason: string; expectedBy: string; sentAt: string }[];
  /** When the first deadline letter (fristbrev) was sent. */
  deadlineLetterSentAt?: string;
  /** Every decision, the first and any made anew after a complaint. */
  decisions: AccessDecision[];
  /** When the first decision was made (timeliness is measured on it). */
  decidedAt?: string;
  /** The outcome of the decision in force (the latest). */
  decisionOutcome?: AccessDecisionOutcome;
  /** Whether the first decision was made by the 7-working-day deadline of § 36(2). */
  decidedWithinDeadline?: boolean;
  complaints: AccessComplaint[];
  withdrawnReason?: string;
  closeNote?: string;
}

type AccessRequestCase = CaseSnapshot<AccessRequestData>;

/** Offentlighedsloven § 36, stk. 2: a decision within 7 working days of receipt, or a deadline letter. Law, not policy. */
export const ACCESS_REQUEST_DECISION_WORKING_DAYS = 7;
/** Offentlighedsloven § 37: a kept decision's complaint is forwarded within 7 working days of its receipt. Law, not policy. */
export const ACCESS_COMPLAINT_FORWARDING_WORKING_DAYS = 7;

export const ACCESS_REQUEST_STEPS = {
  received: 'received',
  collectingDocuments: 'collecting-documents',
  assessment: 'assessment',
  decided: 'decided',
  complaintReceived: 'complaint-received',
  forwarding: 'forwarding-to-ankestyrelsen',
  forwarded: 'forwarded-to-ankestyrelsen',
  closed: 'closed',
} as const;

const S = ACCESS_REQUEST_STEPS;
const BEFORE_DECISION = [S.received, S.collectingDocuments, S.assessment];

export const ACCESS_DECISION_LABELS: Readonly<Record<AccessDecisionOutcome, string>> = {
  full: 'fuld aktindsigt',
  partial: 'delvis aktindsigt',
  refused: 'afslag på aktindsigt',
};

function latestDeadline(c: AccessRequestCase, name: string): Deadline | undefined {
  return [...c.deadlines].reverse().find((d) => d.name === name);
}

function missedAndOutstanding(d: Deadline | undefined): boolean {
  return d !== undefined && d.state === 'missed' && !d.settledAt;
}

/** The 7 working days passed without a decision and no deadline letter has been sent: the letter is owed. */
export function deadlineLetterOwed(c: AccessRequestCase): boolean {
  return missedAndOutstanding(latestDeadline(c, 'decision'));
}

/** A letter may be sent when it is owed, or when the date a letter promised has passed (a new date is due). */
function deadlineLetterRefusal(c: AccessRequestCase): string | undefined {
  if (deadlineLetterOwed(c) || missedAndOutstanding(latestDeadline(c, 'promised-decision'))) return undefined;
  return latestDeadline(c, 'promised-decision')
    ? 'No deadline letter is owed: the decision date promised in the last letter has not passed.'
    : 'No deadline letter is owed: the 7 working days of Offentlighedsloven § 36(2) have not passed.';
}

function latestDecision(c: AccessRequestCase): AccessDecision | undefined {
  return c.data.decisions.at(-1);
}

export const accessRequestDefinition = defineProcess<AccessRequestData>()({
  name: 'access-request',
  label: 'Aktindsigt',
  description:
    'A request for access to documents from a citizen or a journalist, handled centrally by ARC with the area or centre concerned: documents collected, assessed and decided with complaint guidance within 7 working days of receipt (Offentlighedsloven § 36(2)), or a deadline letter with the reason and the expected decision date; a complaint about a kept decision is forwarded to Ankestyrelsen within 7 working days (§ 37).',
  workflowType: 'accessRequestWorkflow',
  startRoles: ['jurist', 'arc-lead'],
  startInput: {
    receivedAt: { type: 'datetime', required: true, notInFuture: true, description: 'When the request was received (may be earlier than its registration; the 7 working days count from here)' },
    requester: { type: 'string', required: true, maxLength: 200, description: 'Who asks (name or organisation)' },
    requesterType: { type: 'enum', required: true, values: ['citizen', 'journalist'], description: 'Citizen or journalist' },
    request: { type: 'string', required: true, maxLength: 10_000, description: 'What is asked for' },
    area: { type: 'string', required: true, maxLength: 50, description: 'The områdeforvaltning or centre the documents are with' },
  },
  readRoles: ['jurist', 'arc-lead', 'ledelsessekretariat'],
  // What survives anonymisation: what the reports count, never names, free text or identifiers.
  retainedAfterAnonymisation: ['receivedAt', 'requesterType', 'area', 'deadlineLetterSentAt', 'decidedAt', 'decisionOutcome', 'decidedWithinDeadline'],
  steps: [
    { name: S.received, label: 'Anmodning modtaget' },
    { name: S.collectingDocuments, label: 'Dokumenter indhentes' },
    { name: S.assessment, label: 'Dokumenterne vurderes' },
    { name: S.decided, label: 'Afgørelse sendt med klagevejledning' },
    { name: S.complaintReceived, label: 'Klage modtaget – afgørelsen genovervejes' },
    { name: S.forwarding, label: 'Afgørelsen fastholdt – klagen sendes til Ankestyrelsen' },
    { name: S.forwarded, label: 'Klagen sendt til Ankestyrelsen' },
    { name: S.closed, label: 'Afsluttet', terminal: true },
  ],
  initialStep: S.received,
  deadlines: [
    {
      name: 'decision',
      label: 'Afgørelse inden 7 arbejdsdage',
      description:
        'Offentlighedsloven § 36(2): a decision within 7 working days of receipt. When they pass without one, the case escalates to the ARC lead and a deadline letter (send-deadline-letter) becomes a mandatory step before the decision.',
      rule: { measure: { unit: 'working-days', count: ACCESS_REQUEST_DECISION_WORKING_DAYS }, from: 'modtagelsen', basis: { law: 'Offentlighedsloven § 36, stk. 2' } },
      escalatesTo: ['arc-lead'],
    },
    {
      name: 'promised-decision',
      label: 'Lovet afgørelsesdato',
      description: 'The decision date promised in the deadline letter; escalation to the ARC lead and Ledelsessekretariatet when it passes without a decision.',
      rule: { measure: { unit: 'given' }, from: 'fristbrevet', basis: { law: 'Offentlighedsloven § 36, stk. 2' } },
      escalatesTo: ['arc-lead', 'ledelsessekretariat'],
    },
    {
      name: 'ankestyrelsen-forwarding',
      label: 'Klagen videresendt til Ankestyrelsen',
      description:
        'Offentlighedsloven § 37: within 7 working days of a complaint\'s receipt the decision is changed, or kept and the complaint forwarded to Ankestyrelsen; escalation to the ARC lead when it passes.',
      rule: { measure: { unit: 'working-days', count: ACCESS_COMPLAINT_FORWARDING_WORKING_DAYS }, from: 'klagens modtagelse', basis: { law: 'Offentlighedsloven § 37, stk. 1' } },
      escalatesTo: ['arc-lead'],
    },
  ],
  actions: [
    {
      name: 'request-documents',
      label: 'Dokumenter anmodet fra enheden',
      description: 'Ask the area or centre concerned for the documents (once per unit asked).',
      roles: ['jurist', 'arc-lead'],
      steps: BEFORE_DECISION,
      leadsTo: [S.collectingDocuments],
      input: { fromUnit: { type: 'string', required: true, maxLength: 100, description: 'The unit asked for the documents' } },
    },
    {
      name: 'register-documents',
      label: 'Dokumenter modtaget',
      description: 'Register the documents received (a count of 0 records that there are none); the case moves on to the assessment.',
      roles: ['jurist', 'arc-lead'],
      steps: BEFORE_DECISION,
      leadsTo: [S.assessment],
      input: {
        count: { type: 'integer', required: true, min: 0, description: 'How many documents were received' },
        note: { type: 'string', required: false, maxLength: 2_000, description: 'Comment' },
      },
    },
    {
      name: 'send-deadline-letter',
      label: 'Fristbrev sendt',
      description:
        'Offentlighedsloven § 36(2): the requester is told why the request is not decided within 7 working days and when a decision is expected. Mandatory once the 7 working days have passed; again allowed when the promised date passes. The promised date becomes a deadline.',
      roles: ['jurist', 'arc-lead'],
      steps: BEFORE_DECISION,
      leadsTo: [],
      input: {
        reason: { type: 'string', required: true, maxLength: 2_000, description: 'Why the decision takes longer' },
        expectedBy: { type: 'datetime', required: true, endOfDay: true, description: 'When a decision is expected (in the future)' },
      },
      precondition: (c) => deadlineLetterRefusal(c),
      inputCheck: (_c, input, now) => mustBeInFuture(input, 'expectedBy', now),
    },
    {
      name: 'decide',
      label: 'Afgørelse truffet og sendt',
      description:
        'Full, partial or refused access, with the legal grounds (required unless full) and the complaint guidance sent with it. Refused while a deadline letter is owed.',
      roles: ['jurist', 'arc-lead'],
      steps: [S.assessment],
      leadsTo: [S.decided],
      input: {
        outcome: { type: 'enum', required: true, values: ['full', 'partial', 'refused'], description: 'Full, partial or refused access' },
        legalGrounds: { type: 'string', required: false, maxLength: 5_000, description: 'The provisions relied on; required for partial or refused access' },
        complaintGuidance: { type: 'string', required: true, maxLength: 5_000, description: 'The complaint guidance (klagevejledning) sent with the decision' },
      },
      precondition: (c) =>
        deadlineLetterOwed(c)
          ? 'The deadline letter must be sent first (send-deadline-letter): 7 working days have passed since receipt without a decision (Offentlighedsloven § 36(2)).'
          : undefined,
      inputCheck: (_c, input): FieldError[] =>
        input.outcome !== 'full' && !input.legalGrounds
          ? [{ field: 'legalGrounds', message: 'legalGrounds is required when access is partial or refused' }]
          : [],
    },
    {
      name: 'register-complaint',
      label: 'Klage over afgørelsen modtaget',
      description: 'Offentlighedsloven § 37: a complaint about the decision, received by the authority that decided; it is reconsidered within 7 working days of its receipt.',
      roles: ['jurist', 'arc-lead'],
      steps: [S.decided],
      leadsTo: [S.complaintReceived],
      input: {
        receivedAt: { type: 'datetime', required: false, notInFuture: true, description: 'When the complaint was received (default: now)' },
      },
      inputCheck: (c, input): FieldError[] => {
        const received = parseInstant(input.receivedAt);
        const decided = latestDecision(c)?.decidedAt;
        return received !== undefined && decided !== undefined && received < Date.parse(decided)
          ? [{ field: 'receivedAt', message: 'receivedAt must not be before the decision' }]
          : [];
      },
    },
    {
      name: 'reconsider',
      label: 'Afgørelsen genovervejet',
      description: 'Changed: a new decision is made (back to the assessment). Kept: the complaint is forwarded to Ankestyrelsen.',
      roles: ['jurist', 'arc-lead'],
      steps: [S.complaintReceived],
      leadsTo: [S.assessment, S.forwarding],
      input: {
        outcome: { type: 'enum', required: true, values: ['changed', 'kept'], description: 'Whether the decision is changed or kept' },
        note: { type: 'string', required: true, maxLength: 5_000, description: 'The reconsideration' },
      },
    },
    {
      name: 'forward-to-ankestyrelsen',
      label: 'Klagen videresendt til Ankestyrelsen',
      description: 'The complaint and the case documents are forwarded to Ankestyrelsen.',
      roles: ['jurist', 'arc-lead'],
      steps: [S.forwarding],
      leadsTo: [S.forwarded],
      input: { reference: { type: 'string', required: true, maxLength: 100, description: 'Reference of the forwarding' } },
    },
    {
      name: 'withdraw',
      label: 'Anmodningen trukket tilbage',
      description: 'The requester withdraws the request before it is decided; the case closes.',
      roles: ['jurist', 'arc-lead'],
      steps: BEFORE_DECISION,
      leadsTo: [S.closed],
      input: { reason: { type: 'string', required: true, maxLength: 2_000, description: 'How the withdrawal was received' } },
    },
    {
      name: 'close',
      label: 'Sagen afsluttet',
      description: 'Close the case after the decision, when no complaint is pending (or once it is with Ankestyrelsen).',
      roles: ['jurist', 'arc-lead'],
      steps: [S.decided, S.forwarded],
      leadsTo: [S.closed],
      input: { note: { type: 'string', required: false, maxLength: 2_000, description: 'Comment' } },
    },
  ],
});
