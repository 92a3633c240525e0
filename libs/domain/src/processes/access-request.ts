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
  /** `complaintBody`: the complaint body of the underlying matter (klageinstansen), chosen at forwarding. */
  forwarded?: { reference: string; at: string; complaintBody?: string };
}

/** Offentlighedsloven § 39: a complaint about the processing time, registered and answered. */
export interface ProcessingTimeComplaint {
  receivedAt: string;
  registeredAt: string;
  answer?: { text: string; at: string; forwardedTo?: string };
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
  /** Complaints about the processing time (§ 39); absent on cases opened before they could be registered. */
  processingTimeComplaints?: ProcessingTimeComplaint[];
  withdrawnReason?: string;
  closeNote?: string;
}

type AccessRequestCase = CaseSnapshot<AccessRequestData>;

/** Offentlighedsloven § 36, stk. 2: a decision within 7 working days of receipt, or a deadline letter. Law, not policy. */
export const ACCESS_REQUEST_DECISION_WORKING_DAYS = 7;
/** Offentlighedsloven § 37, stk. 2: a kept decision's complaint is forwarded within 7 working days of its receipt. Law, not policy. */
export const ACCESS_COMPLAINT_FORWARDING_WORKING_DAYS = 7;
/** Offentlighedsloven § 39, stk. 1: without a finished request 14 working days after receipt, the processing time may be complained about. Law. */
export const ACCESS_PROCESSING_TIME_WORKING_DAYS = 14;
/** Offentlighedsloven § 39, stk. 2: within 7 working days of such a complaint, the request is finished or the complaint forwarded with reasons. Law. */
export const ACCESS_PROCESSING_TIME_COMPLAINT_WORKING_DAYS = 7;

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
const OPEN_STEPS = [...BEFORE_DECISION, S.decided, S.complaintReceived, S.forwarding, S.forwarded];

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

/**
 * The first letter may be sent at any time before the decision (it is due by the end of the 7th
 * working day); a further one when the date the last letter promised has passed.
 */
function deadlineLetterRefusal(c: AccessRequestCase): string | undefined {
  if (c.data.decidedAt !== undefined) return 'No deadline letter after the decision: it tells the requester when a decision is expected (Offentlighedsloven § 36(2)).';
  const promised = latestDeadline(c, 'promised-decision');
  if (promised === undefined || missedAndOutstanding(promised)) return undefined;
  return 'No further deadline letter now: the decision date promised in the last letter has not passed.';
}

function unansweredProcessingTimeComplaint(c: AccessRequestCase): ProcessingTimeComplaint | undefined {
  return c.data.processingTimeComplaints?.find((p) => p.answer === undefined);
}

/** § 39: only once 14 working days have passed since receipt without a decision (the engine's deadline, missed). */
function processingTimeComplaintRefusal(c: AccessRequestCase): string | undefined {
  const window = latestDeadline(c, 'processing-time');
  if (window === undefined) return 'A complaint about the processing time cannot be registered on this case: it was opened before such complaints were registered here.';
  if (c.data.decidedAt !== undefined) return 'The request is decided: a complaint now is about the decision (register-complaint), not the processing time.';
  if (window.state !== 'missed') {
    return `A complaint about the processing time can be registered only when 14 working days have passed since receipt without a decision (Offentlighedsloven § 39, stk. 1): after ${window.dueAt}.`;
  }
  return unansweredProcessingTimeComplaint(c) ? 'A complaint about the processing time is already registered and not yet answered (answer-processing-time-complaint).' : undefined;
}

const COMPLAINT_RECEIVED_AT = {
  receivedAt: { label: 'Klagen modtaget', type: 'datetime', required: false, notInFuture: true, description: 'When the complaint was received (default: now)' },
} as const;

/** A complaint is received after what it complains about (`earliest`, an ISO instant). */
function receivedNotBefore(input: Record<string, unknown>, earliest: string | undefined, message: string): FieldError[] {
  const received = parseInstant(input.receivedAt);
  return received !== undefined && earliest !== undefined && received < Date.parse(earliest) ? [{ field: 'receivedAt', message }] : [];
}

function latestDecision(c: AccessRequestCase): AccessDecision | undefined {
  return c.data.decisions.at(-1);
}

export const accessRequestDefinition = defineProcess<AccessRequestData>()({
  name: 'access-request',
  label: 'Aktindsigt',
  description:
    'A request for access to documents from a citizen or a journalist, handled centrally by ARC with the area or centre concerned: documents collected, assessed and decided with complaint guidance within 7 working days of receipt (Offentlighedsloven § 36(2)), or a deadline letter with the reason and the expected decision date sent by the end of the 7th working day; a complaint about the decision (§ 37), also after the case was closed (it reopens), is reconsidered and, if the decision is kept, forwarded within 7 working days to the complaint body of the underlying matter; after 14 working days without a decision the processing time may be complained about (§ 39).',
  workflowType: 'accessRequestWorkflow',
  startRoles: ['jurist', 'arc-lead'],
  startInput: {
    receivedAt: { label: 'Anmodningen modtaget', type: 'datetime', required: true, notInFuture: true, description: 'When the request was received (may be earlier than its registration; the 7 working days count from here)' },
    requester: { label: 'Anmoder', type: 'string', required: true, maxLength: 200, description: 'Who asks (name or organisation)' },
    requesterType: { label: 'Anmodertype', type: 'enum', required: true, values: ['citizen', 'journalist'], valueLabels: { citizen: 'Borger', journalist: 'Journalist' }, description: 'Citizen or journalist' },
    request: { label: 'Hvad der søges aktindsigt i', type: 'string', required: true, maxLength: 10_000, description: 'What is asked for' },
    area: { label: 'Område', type: 'area', required: true, description: 'The områdeforvaltning or centre the documents are with' },
  },
  readRoles: ['jurist', 'arc-lead', 'ledelsessekretariat'],
  // Opening a request gives no access of its own: a jurist who leaves ARC loses it.
  openerView: 'none',
  // What survives anonymisation: what the reports count, never names, free text or identifiers.
  retainedAfterAnonymisation: ['receivedAt', 'requesterType', 'area', 'deadlineLetterSentAt', 'decidedAt', 'decisionOutcome', 'decidedWithinDeadline'],
  steps: [
    { name: S.received, label: 'Anmodning modtaget' },
    { name: S.collectingDocuments, label: 'Dokumenter indhentes' },
    { name: S.assessment, label: 'Dokumenterne vurderes' },
    { name: S.decided, label: 'Afgørelse sendt med klagevejledning' },
    { name: S.complaintReceived, label: 'Klage modtaget – afgørelsen genovervejes' },
    { name: S.forwarding, label: 'Afgørelsen fastholdt – klagen sendes til klageinstansen' },
    { name: S.forwarded, label: 'Klagen sendt til klageinstansen' },
    { name: S.closed, label: 'Afsluttet', terminal: true },
  ],
  initialStep: S.received,
  deadlines: [
    {
      name: 'decision',
      label: 'Afgørelse eller fristbrev inden 7 arbejdsdage',
      description:
        'Offentlighedsloven § 36(2): a decision within 7 working days of receipt, or else a deadline letter (send-deadline-letter, allowed at any time before the decision) by the end of the 7th working day; either meets it. The handling jurist is reminded on the morning of the 7th working day (policy: accessRequest.decisionReminderHour, default 08:00; not law). When the day ends with neither, the case escalates to the ARC lead and the deadline letter becomes a mandatory step before the decision.',
      rule: { measure: { unit: 'working-days', count: ACCESS_REQUEST_DECISION_WORKING_DAYS }, from: 'modtagelsen', basis: { law: 'Offentlighedsloven § 36, stk. 2' } },
      reminders: [{ when: 'days-before-due', offsets: [0], atHour: 'accessRequest.decisionReminderHour', notify: ['jurist'] }],
      escalatesTo: ['arc-lead'],
      runsIn: [S.received, S.collectingDocuments, S.assessment],
    },
    {
      name: 'promised-decision',
      label: 'Lovet afgørelsesdato',
      description: 'The decision date promised in the deadline letter; escalation to the ARC lead and Ledelsessekretariatet when it passes without a decision.',
      rule: { measure: { unit: 'given' }, from: 'fristbrevet', basis: { law: 'Offentlighedsloven § 36, stk. 2' } },
      escalatesTo: ['arc-lead', 'ledelsessekretariat'],
      runsIn: [S.received, S.collectingDocuments, S.assessment],
    },
    {
      // The name is kept from when the complaint body was always Ankestyrelsen (running cases carry it).
      name: 'ankestyrelsen-forwarding',
      label: 'Klagen videresendt til klageinstansen',
      description:
        'Offentlighedsloven § 37, stk. 2: within 7 working days of a complaint\'s receipt the decision is changed, or kept and the complaint forwarded to the complaint body of the underlying matter (klageinstansen, chosen at forwarding); escalation to the ARC lead when it passes.',
      rule: { measure: { unit: 'working-days', count: ACCESS_COMPLAINT_FORWARDING_WORKING_DAYS }, from: 'klagens modtagelse', basis: { law: 'Offentlighedsloven § 37, stk. 2' } },
      escalatesTo: ['arc-lead'],
      runsIn: [S.complaintReceived, S.forwarding],
    },
    {
      name: 'processing-time',
      label: 'Anmodningen færdigbehandlet inden 14 arbejdsdage',
      description:
        'Offentlighedsloven § 39, stk. 1: when the request is not finished 14 working days after receipt, the processing time may be complained about (register-processing-time-complaint becomes possible); the handling jurist and the ARC lead are told and the case is overdue until the decision.',
      rule: { measure: { unit: 'working-days', count: ACCESS_PROCESSING_TIME_WORKING_DAYS }, from: 'modtagelsen', basis: { law: 'Offentlighedsloven § 39, stk. 1' } },
      escalatesTo: ['jurist', 'arc-lead'],
      runsIn: [S.received, S.collectingDocuments, S.assessment],
    },
    {
      name: 'processing-time-complaint',
      label: 'Klage over sagsbehandlingstiden: afgørelse eller videresendelse inden 7 arbejdsdage',
      description:
        'Offentlighedsloven § 39, stk. 2: within 7 working days of a complaint about the processing time, the request is decided, or the complaint is forwarded to the complaint body with the reasons for the processing time; escalation to the ARC lead when it passes.',
      rule: { measure: { unit: 'working-days', count: ACCESS_PROCESSING_TIME_COMPLAINT_WORKING_DAYS }, from: 'klagens modtagelse', basis: { law: 'Offentlighedsloven § 39, stk. 2' } },
      escalatesTo: ['arc-lead'],
      runsIn: [S.received, S.collectingDocuments, S.assessment],
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
      input: { fromUnit: { label: 'Enhed, der er bedt om dokumenterne', type: 'string', required: true, maxLength: 100, description: 'The unit asked for the documents' } },
    },
    {
      name: 'register-documents',
      label: 'Dokumenter modtaget',
      description: 'Register the documents received (a count of 0 records that there are none); the case moves on to the assessment.',
      roles: ['jurist', 'arc-lead'],
      steps: BEFORE_DECISION,
      leadsTo: [S.assessment],
      input: {
        count: { label: 'Antal modtagne dokumenter', type: 'integer', required: true, min: 0, description: 'How many documents were received' },
        note: { label: 'Bemærkning', type: 'string', required: false, maxLength: 2_000, description: 'Comment' },
      },
    },
    {
      name: 'send-deadline-letter',
      label: 'Fristbrev sendt',
      description:
        'Offentlighedsloven § 36(2): the requester is told why the request cannot be decided within 7 working days and when a decision is expected. Allowed at any time before the decision and due by the end of the 7th working day (sent in time, it meets the decision deadline); mandatory before the decision once the 7 working days have passed without one; again allowed when the promised date passes. The promised date becomes a deadline.',
      roles: ['jurist', 'arc-lead'],
      steps: BEFORE_DECISION,
      leadsTo: [],
      input: {
        reason: { label: 'Begrundelse for forlængelsen', type: 'string', required: true, maxLength: 2_000, description: 'Why the decision takes longer' },
        expectedBy: { label: 'Afgørelse forventes senest', type: 'datetime', required: true, endOfDay: true, description: 'When a decision is expected (in the future)' },
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
        outcome: { label: 'Afgørelse', type: 'enum', required: true, values: ['full', 'partial', 'refused'], valueLabels: { full: 'Fuld aktindsigt', partial: 'Delvis aktindsigt', refused: 'Afslag' }, description: 'Full, partial or refused access' },
        legalGrounds: {
          label: 'Retsgrundlag (bestemmelser)',
          type: 'string',
          required: false,
          maxLength: 5_000,
          requiredWhen: { field: 'outcome', values: ['partial', 'refused'], why: 'when access is partial or refused' },
          description: 'The provisions relied on; required for partial or refused access',
        },
        complaintGuidance: { label: 'Klagevejledning', type: 'string', required: true, maxLength: 5_000, description: 'The complaint guidance (klagevejledning) sent with the decision' },
      },
      precondition: (c) =>
        deadlineLetterOwed(c)
          ? 'The deadline letter must be sent first (send-deadline-letter): 7 working days have passed since receipt without a decision (Offentlighedsloven § 36(2)).'
          : undefined,
    },
    {
      name: 'register-complaint',
      label: 'Klage over afgørelsen modtaget',
      description:
        'Offentlighedsloven § 37: a complaint about the decision, received by the authority that decided; it is reconsidered within 7 working days of its receipt. Also after the case was closed: the case reopens (journalled).',
      roles: ['jurist', 'arc-lead'],
      steps: [S.decided, S.closed],
      leadsTo: [S.complaintReceived],
      reopens: true,
      precondition: (c) =>
        c.data.decisions.length === 0 ? 'No decision was made on this request (it was withdrawn): there is no decision to complain about.' : undefined,
      input: COMPLAINT_RECEIVED_AT,
      inputCheck: (c, input) => receivedNotBefore(input, latestDecision(c)?.decidedAt, 'receivedAt must not be before the decision'),
    },
    {
      name: 'reconsider',
      label: 'Afgørelsen genovervejet',
      description: 'Changed: a new decision is made (back to the assessment). Kept: the complaint is forwarded to the complaint body of the underlying matter (klageinstansen).',
      roles: ['jurist', 'arc-lead'],
      steps: [S.complaintReceived],
      leadsTo: [S.assessment, S.forwarding],
      input: {
        outcome: { label: 'Genvurdering', type: 'enum', required: true, values: ['changed', 'kept'], valueLabels: { changed: 'Afgørelsen ændres', kept: 'Afgørelsen fastholdes' }, description: 'Whether the decision is changed or kept' },
        note: { label: 'Genvurderingen', type: 'string', required: true, maxLength: 5_000, description: 'The reconsideration' },
      },
    },
    {
      // The name is kept from when the complaint body was always Ankestyrelsen (the API and running cases use it).
      name: 'forward-to-ankestyrelsen',
      label: 'Klagen videresendt til klageinstansen',
      description:
        'Offentlighedsloven § 37: the complaint and the case documents are forwarded to the complaint body of the underlying matter (klageinstansen), chosen here.',
      roles: ['jurist', 'arc-lead'],
      steps: [S.forwarding],
      leadsTo: [S.forwarded],
      input: {
        complaintBody: {
          label: 'Klageinstans',
          type: 'string',
          required: true,
          maxLength: 200,
          description: 'The complaint body of the underlying matter (klageinstansen), e.g. Ankestyrelsen',
        },
        reference: { label: 'Reference for videresendelsen', type: 'string', required: true, maxLength: 100, description: 'Reference of the forwarding' },
      },
    },
    {
      name: 'register-processing-time-complaint',
      label: 'Klage over sagsbehandlingstiden modtaget',
      description:
        'Offentlighedsloven § 39: a complaint about the processing time, possible once 14 working days have passed since receipt without a decision; within 7 working days of its receipt the request is decided or the complaint forwarded with the reasons (answer-processing-time-complaint). The handling jurist and the ARC lead are told.',
      roles: ['jurist', 'arc-lead'],
      steps: BEFORE_DECISION,
      leadsTo: [],
      input: COMPLAINT_RECEIVED_AT,
      precondition: (c) => processingTimeComplaintRefusal(c),
      // The window's due instant is the last millisecond of the 14th working day.
      inputCheck: (c, input) => {
        const window = latestDeadline(c, 'processing-time');
        return receivedNotBefore(input, window && new Date(Date.parse(window.dueAt) + 1).toISOString(), 'receivedAt must be after the 14 working days of Offentlighedsloven § 39, stk. 1');
      },
    },
    {
      name: 'answer-processing-time-complaint',
      label: 'Klage over sagsbehandlingstiden besvaret',
      description:
        'The answer to the complaint about the processing time; when the request is not decided, the complaint is forwarded to the complaint body with the reasons for the processing time (Offentlighedsloven § 39, stk. 2), which meets its 7 working days.',
      roles: ['jurist', 'arc-lead'],
      steps: OPEN_STEPS,
      leadsTo: [],
      input: {
        answer: { label: 'Svar', type: 'string', required: true, maxLength: 5_000, description: 'The answer, with the reasons for the processing time' },
        forwardedTo: {
          label: 'Videresendt til klageinstans',
          type: 'string',
          required: false,
          maxLength: 200,
          description: 'The complaint body (klageinstansen) the complaint was forwarded to, e.g. Ankestyrelsen; leave out when the request has been decided',
        },
      },
      precondition: (c) => (unansweredProcessingTimeComplaint(c) ? undefined : 'No complaint about the processing time is waiting for an answer.'),
    },
    {
      name: 'withdraw',
      label: 'Anmodningen trukket tilbage',
      description: 'The requester withdraws the request before it is decided; the case closes.',
      roles: ['jurist', 'arc-lead'],
      steps: BEFORE_DECISION,
      leadsTo: [S.closed],
      input: { reason: { label: 'Hvordan tilbagetrækningen blev modtaget', type: 'string', required: true, maxLength: 2_000, description: 'How the withdrawal was received' } },
    },
    {
      name: 'close',
      label: 'Sagen afsluttet',
      description: 'Close the case after the decision, when no complaint is pending (or once it is with the complaint body); a complaint about the processing time is answered first.',
      roles: ['jurist', 'arc-lead'],
      steps: [S.decided, S.forwarded],
      leadsTo: [S.closed],
      precondition: (c) =>
        unansweredProcessingTimeComplaint(c) ? 'The complaint about the processing time must be answered first (answer-processing-time-complaint).' : undefined,
      input: { note: { label: 'Bemærkning', type: 'string', required: false, maxLength: 2_000, description: 'Comment' } },
    },
  ],
});
