import type { CaseSnapshot } from '../case';
import type { FieldError } from '../fields';
import { defineProcess } from '../process-definition';
import { hasAnyRole } from '../roles';

export const COMPLAINT_CHANNELS = ['phone', 'email', 'webform'] as const;
export const COMPLAINT_UNIT_TYPES = ['school', 'daycare'] as const;
export const COMPLAINT_CATEGORIES = ['case-handling', 'conduct', 'service-level', 'realitetsklage', 'unclear'] as const;
export const COMPLAINT_HANDLING_METHODS = ['dialogue', 'meeting', 'written'] as const;
export const COMPLAINT_LAWFUL_HANDLING = ['yes', 'no', 'partly'] as const;
export const COMPLAINT_CITIZEN_ANSWERS = ['complaint', 'not-a-complaint'] as const;
/** Each named value as staff read it. */
export const COMPLAINT_CHANNEL_LABELS: Readonly<Record<(typeof COMPLAINT_CHANNELS)[number], string>> = { phone: 'Telefon', email: 'E-mail', webform: 'Webformular' };
export const COMPLAINT_UNIT_TYPE_LABELS: Readonly<Record<(typeof COMPLAINT_UNIT_TYPES)[number], string>> = { school: 'Skole', daycare: 'Dagtilbud' };
export const COMPLAINT_CATEGORY_LABELS: Readonly<Record<(typeof COMPLAINT_CATEGORIES)[number], string>> = {
  'case-handling': 'Sagsbehandling',
  conduct: 'Adfærd',
  'service-level': 'Serviceniveau',
  realitetsklage: 'Realitetsklage',
  unclear: 'Uklart',
};
export const COMPLAINT_HANDLING_METHOD_LABELS: Readonly<Record<(typeof COMPLAINT_HANDLING_METHODS)[number], string>> = { dialogue: 'Dialog', meeting: 'Møde', written: 'Skriftligt' };
export const COMPLAINT_LAWFUL_HANDLING_LABELS: Readonly<Record<(typeof COMPLAINT_LAWFUL_HANDLING)[number], string>> = { yes: 'Ja', no: 'Nej', partly: 'Delvist' };
export const COMPLAINT_CITIZEN_ANSWER_LABELS: Readonly<Record<(typeof COMPLAINT_CITIZEN_ANSWERS)[number], string>> = { complaint: 'Det er en klage', 'not-a-complaint': 'Det er ikke en klage' };

export type ComplaintChannel = (typeof COMPLAINT_CHANNELS)[number];
export type ComplaintUnitType = (typeof COMPLAINT_UNIT_TYPES)[number];
export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number];
export type ComplaintHandlingMethod = (typeof COMPLAINT_HANDLING_METHODS)[number];
export type ComplaintLawfulHandling = (typeof COMPLAINT_LAWFUL_HANDLING)[number];
export type ComplaintCitizenAnswer = (typeof COMPLAINT_CITIZEN_ANSWERS)[number];
/** How a complaint case ended, for the statistics. */
export type ComplaintResolution = 'answered' | 'guided-to-complaint-body' | 'not-a-complaint' | 'no-citizen-answer';

/**
 * The complaint's case file. `area`, `unit`, `unitType`, `channel`, `receivedAt`, `category`,
 * `answeredAt` and `lawfulHandling` are the registration the statistics read: keep the names.
 */
export interface ComplaintData {
  channel: ComplaintChannel;
  area: string;
  unit: string;
  unitType: ComplaintUnitType;
  /** What the complaint is about. */
  subject: string;
  /** When the complaint was received; the deadlines count from it. */
  receivedAt: string;
  acknowledgedAt?: string;
  acknowledgementNote?: string;
  /** The latest classification. */
  category?: ComplaintCategory;
  classifications: { category: ComplaintCategory; note?: string; at: string }[];
  /** For a realitetsklage: the complaint body the citizen was guided to. */
  guidance?: string;
  /** An unclear complaint: when the citizen was asked, and the answer. */
  clarification?: { requestedAt: string; answer?: ComplaintCitizenAnswer; note?: string; answeredAt?: string };
  handling: { method: ComplaintHandlingMethod; note: string; at: string }[];
  answeredAt?: string;
  lawfulHandling?: ComplaintLawfulHandling;
  outcome?: string;
  learningPoint?: string;
  resolution?: ComplaintResolution;
  closedAutomatically?: boolean;
}

type ComplaintCase = CaseSnapshot<ComplaintData>;

export const COMPLAINT_STEPS = {
  registered: 'registered',
  awaitingCitizen: 'awaiting-citizen',
  handling: 'handling',
  closed: 'closed',
} as const;

const S = COMPLAINT_STEPS;

function classificationErrors(c: ComplaintCase, input: Record<string, unknown>): FieldError[] {
  return input.category === 'unclear' && c.data.clarification?.answer === 'complaint'
    ? [{ field: 'category', message: 'category cannot be unclear: the citizen has confirmed that it is a complaint' }]
    : [];
}

export const complaintDefinition = defineProcess<ComplaintData>()({
  name: 'complaint',
  label: 'Klagesag',
  description:
    'A complaint about a school or day care to the central complaints unit (Den Centrale Klageenhed): uniform registration, classification (a realitetsklage is guided to the right complaint body; an unclear one is put to the citizen), acknowledgement, handling with the unit, and an answer saying whether the case handling was lawful, with an outcome and a learning point.',
  workflowType: 'complaintWorkflow',
  // The complaints unit registers any complaint, a caseworker those about their own unit, and
  // any employee a complaint received by phone.
  startRoles: ['klageenhed', 'caseworker', 'employee'],
  startPersonCheck: (input, actor) => {
    if (hasAnyRole(actor, ['klageenhed'])) return undefined;
    if (actor.roles.includes('caseworker') && actor.unit === input.unit) return undefined;
    if (actor.roles.includes('employee') && input.channel === 'phone') return undefined;
    return actor.roles.includes('caseworker')
      ? `A caseworker registers complaints about their own unit (${actor.unit ?? 'none'}) only; the complaints unit registers the others.`
      : 'An employee registers complaints received by phone only (channel phone); the complaints unit (klageenhed) registers the others.';
  },
  startInput: {
    channel: { label: 'Modtaget via', type: 'enum', required: true, values: COMPLAINT_CHANNELS, valueLabels: COMPLAINT_CHANNEL_LABELS, description: 'How the complaint was received' },
    area: { label: 'Område', type: 'area', required: true, description: 'Områdeforvaltning of the unit complained about' },
    unit: { label: 'Enhed (skole eller dagtilbud)', type: 'string', required: true, maxLength: 100, description: 'The school or day-care unit complained about' },
    unitType: { label: 'Enhedstype', type: 'enum', required: true, values: COMPLAINT_UNIT_TYPES, valueLabels: COMPLAINT_UNIT_TYPE_LABELS, description: 'School or day care' },
    subject: { label: 'Hvad klagen handler om', type: 'string', required: true, maxLength: 2_000, description: 'What the complaint is about' },
    receivedAt: { label: 'Klagen modtaget', type: 'datetime', required: false, notInFuture: true, description: 'When the complaint was received (default: now); the deadlines count from it' },
  },
  // The complaints unit reads every complaint; a caseworker those about their own unit, an area
  // chief those of their own area (anyone else gets 404, as for a case that does not exist).
  readRoles: ['klageenhed'],
  readScopes: [
    { role: 'caseworker', field: 'unit', claim: 'unit' },
    { role: 'area-chief', field: 'area', claim: 'area' },
  ],
  // Whoever registered a complaint reads what they reported and its steps (an employee who took it
  // by phone; a caseworker who has moved to another unit), not the handling.
  openerView: 'status',
  // What survives anonymisation: what the reports count, never names, free text or identifiers.
  retainedAfterAnonymisation: ['channel', 'area', 'unit', 'unitType', 'receivedAt', 'acknowledgedAt', 'category', 'answeredAt', 'lawfulHandling', 'resolution', 'closedAutomatically'],
  steps: [
    { name: S.registered, label: 'Registreret' },
    { name: S.awaitingCitizen, label: 'Afventer borgerens svar' },
    { name: S.handling, label: 'Behandles med enheden' },
    { name: S.closed, label: 'Afsluttet', terminal: true },
  ],
  initialStep: S.registered,
  deadlines: [
    {
      name: 'acknowledgement',
      label: 'Kvittering for modtagelse',
      description: 'The receipt of the complaint is acknowledged within the policy number of working days of receipt; escalation to the area chief when passed.',
      rule: { measure: { unit: 'working-days', count: 'complaint.acknowledgementWorkingDays' }, from: 'modtagelsen', basis: { policy: 'complaint.acknowledgementWorkingDays' } },
      escalatesTo: ['area-chief'],
    },
    {
      name: 'answer',
      label: 'Svar på klagen',
      description: 'The complaint is answered within the policy number of calendar days of receipt; a reminder to the complaints unit before it, escalation to the area chief when passed.',
      rule: { measure: { unit: 'calendar-days', count: 'complaint.answerDays' }, from: 'modtagelsen', basis: { policy: 'complaint.answerDays' } },
      reminders: [{ when: 'days-before-due', offsets: 'complaint.answerReminderDaysBefore', notify: ['klageenhed'] }],
      escalatesTo: ['area-chief'],
    },
    {
      name: 'citizen-clarification',
      label: 'Borgerens svar på, om henvendelsen er en klage',
      description: 'An unclear complaint waits the policy number of days for the citizen to say whether it is meant as a complaint; without an answer the case closes by itself.',
      rule: { measure: { unit: 'calendar-days', count: 'complaint.citizenClarificationDays' }, from: 'henvendelsen til borgeren', basis: { policy: 'complaint.citizenClarificationDays' } },
      escalatesTo: [],
      runsIn: [S.awaitingCitizen],
    },
  ],
  actions: [
    {
      name: 'acknowledge',
      label: 'Kvittering sendt',
      description: 'Record that the receipt of the complaint was acknowledged to the citizen.',
      roles: ['klageenhed'],
      steps: [S.registered, S.awaitingCitizen, S.handling],
      leadsTo: [],
      input: { note: { label: 'Bemærkning', type: 'string', required: false, maxLength: 2_000, description: 'Comment' } },
      precondition: (c) => (c.data.acknowledgedAt ? 'The receipt of the complaint is already acknowledged.' : undefined),
    },
    {
      name: 'classify',
      label: 'Klagen kategoriseret',
      description:
        'Case handling, conduct or service level (handled here); a realitetsklage (the citizen is guided to the right complaint body and the case closes); or unclear (the citizen is asked whether it is meant as a complaint).',
      roles: ['klageenhed'],
      steps: [S.registered],
      leadsTo: [S.handling, S.awaitingCitizen, S.closed],
      input: {
        category: { label: 'Kategori', type: 'enum', required: true, values: COMPLAINT_CATEGORIES, valueLabels: COMPLAINT_CATEGORY_LABELS, description: 'What kind of complaint it is' },
        guidance: {
          label: 'Klageinstans borgeren er vejledt om',
          type: 'string',
          required: false,
          maxLength: 300,
          requiredWhen: { field: 'category', values: ['realitetsklage'], only: true, why: 'for a realitetsklage (the complaint body the citizen was guided to)' },
          description: 'Realitetsklage only: the complaint body the citizen was guided to',
        },
        note: { label: 'Bemærkning', type: 'string', required: false, maxLength: 2_000, description: 'Comment' },
      },
      inputCheck: (c, input) => classificationErrors(c, input),
    },
    {
      name: 'record-citizen-answer',
      label: 'Borgerens svar registreret',
      description: 'The citizen says whether the enquiry is meant as a complaint: a complaint goes back to classification, otherwise the case closes.',
      roles: ['klageenhed'],
      steps: [S.awaitingCitizen],
      leadsTo: [S.registered, S.closed],
      input: {
        answer: { label: 'Borgerens svar', type: 'enum', required: true, values: COMPLAINT_CITIZEN_ANSWERS, valueLabels: COMPLAINT_CITIZEN_ANSWER_LABELS, description: 'Whether the citizen means it as a complaint' },
        note: { label: 'Bemærkning', type: 'string', required: false, maxLength: 2_000, description: 'Comment' },
      },
    },
    {
      name: 'record-handling',
      label: 'Behandling med enheden registreret',
      description: 'Record how the complaint was handled with the unit where the disagreement arose (dialogue, meeting, written); may be recorded more than once.',
      roles: ['klageenhed', 'caseworker'],
      steps: [S.handling],
      leadsTo: [],
      input: {
        method: { label: 'Behandlingsform', type: 'enum', required: true, values: COMPLAINT_HANDLING_METHODS, valueLabels: COMPLAINT_HANDLING_METHOD_LABELS, description: 'How it was handled' },
        note: { label: 'Hvad der blev gjort', type: 'string', required: true, maxLength: 5_000, description: 'What was done' },
      },
      limit: {
        max: 100,
        list: 'handling',
        why: 'one entry per dialogue, meeting or letter with the unit; a complaint is answered within weeks and real ones have a handful',
      },
      personCheck: (c, actor) =>
        hasAnyRole(actor, ['klageenhed']) || actor.unit === c.data.unit
          ? undefined
          : 'Only the complaints unit or a caseworker of the unit complained about may record the handling.',
    },
    {
      name: 'answer',
      label: 'Klagen besvaret',
      description: 'Answer the complaint, saying whether the citizen received lawful case handling, with the outcome and a learning point; closes the case.',
      roles: ['klageenhed'],
      steps: [S.handling],
      leadsTo: [S.closed],
      input: {
        lawfulHandling: { label: 'Lovlig sagsbehandling', type: 'enum', required: true, values: COMPLAINT_LAWFUL_HANDLING, valueLabels: COMPLAINT_LAWFUL_HANDLING_LABELS, description: 'Whether the citizen received lawful case handling' },
        outcome: { label: 'Resultat', type: 'string', required: true, maxLength: 5_000, description: 'The outcome of the complaint' },
        learningPoint: { label: 'Læringspunkt', type: 'string', required: true, maxLength: 5_000, description: 'What the unit learns from it' },
      },
      precondition: (c) =>
        c.data.handling.length > 0 ? undefined : 'The handling with the unit must be recorded (record-handling) before the complaint is answered.',
    },
  ],
});
