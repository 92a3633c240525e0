import type { CaseSnapshot } from '../case';
import { parseInstant } from '../fields';
import { BREACH_NOTIFICATION_HOURS } from '../policy';
import { defineProcess } from '../process-definition';

export type RiskLevel = 'none' | 'risk' | 'high';

export interface DataBreachData {
  discoveredAt: string;
  unit: string;
  description: string;
  dataCategories: string[];
  approxAffected?: number;
  channel: 'serviceportal' | 'form';
  triage?: { outcome: 'breach' | 'not-a-breach'; reason: string; at: string };
  risk?: { level: RiskLevel; rationale: string; at: string };
  /** Reassessments of the risk while the case is open, in order (the first assessment is `risk` until then). */
  reassessments?: { from: RiskLevel; to: RiskLevel; reason: string; at: string }[];
  authorityNotification?: AuthorityNotification;
  /** Art. 33(4): what was supplemented after the notification, in the order and at the time it was recorded. */
  supplements: { note: string; at: string }[];
  subjectNotice?:
    | { kind: 'informed'; method: string; count: number; at: string }
    | { kind: 'exception'; ground: SubjectNoticeException; reason: string; publicCommunication?: string; at: string };
  /** How the case ended: recategorised (not a breach) or closed after handling. */
  outcome?: 'recategorised' | 'handled';
  summary?: string;
}

/** The notification to Datatilsynet: its submission and the content Art. 33(3) requires. */
export interface AuthorityNotification {
  reference: string;
  submittedAt: string;
  late: boolean;
  delayReason?: string;
  /** Art. 33(3)(a): the nature of the breach, the categories and approximate numbers of data subjects and of records. */
  nature: string;
  subjectCategories: string[];
  approxSubjects: number;
  recordCategories: string[];
  approxRecords: number;
  /** Art. 33(3)(b): where more information can be had. */
  contactPoint: string;
  /** Art. 33(3)(c). */
  likelyConsequences: string;
  /** Art. 33(3)(d): measures taken or proposed, including to mitigate the adverse effects. */
  measures: string;
}

/** Art. 34(3): (a) unintelligible data, (b) later measures removed the high risk, (c) disproportionate effort. */
export const SUBJECT_NOTICE_EXCEPTIONS = ['unintelligible', 'risk-removed', 'disproportionate-effort'] as const;
/** The exceptions of art. 34(3) as staff read them. */
export const SUBJECT_NOTICE_EXCEPTION_LABELS: Readonly<Record<(typeof SUBJECT_NOTICE_EXCEPTIONS)[number], string>> = {
  unintelligible: 'Oplysningerne er uforståelige for uvedkommende (litra a)',
  'risk-removed': 'Den høje risiko er ikke længere sandsynlig (litra b)',
  'disproportionate-effort': 'Uforholdsmæssig stor indsats (litra c)',
};
export type SubjectNoticeException = (typeof SUBJECT_NOTICE_EXCEPTIONS)[number];

/** The risk levels as staff read them (journal notes). */
export const RISK_LABELS: Readonly<Record<RiskLevel, string>> = { none: 'ingen risiko', risk: 'risiko', high: 'høj risiko' };

type DataBreachCase = CaseSnapshot<DataBreachData>;

/** Art. 33 applies: the risk is assessed as more than none and Datatilsynet is not yet notified. */
export const owesAuthorityNotification = (d: DataBreachData): boolean =>
  d.risk !== undefined && d.risk.level !== 'none' && d.authorityNotification === undefined;

/** Art. 34 applies: the risk is high and neither the communication nor an exception is recorded. */
export const owesSubjectNotice = (d: DataBreachData): boolean => d.risk?.level === 'high' && d.subjectNotice === undefined;

/** What the current risk level still demands before the case can close (the 409 names it). */
export function breachDutiesOwed(d: DataBreachData): string[] {
  return [
    ...(owesAuthorityNotification(d) ? ['the notification of Datatilsynet (Art. 33: notify-datatilsynet)'] : []),
    ...(owesSubjectNotice(d) ? ['informing the data subjects or recording an exception (Art. 34: notify-data-subjects or record-subject-notice-exception)'] : []),
  ];
}

export const DATA_BREACH_STEPS = {
  reported: 'reported',
  riskAssessment: 'risk-assessment',
  notifyAuthority: 'notify-datatilsynet',
  informSubjects: 'inform-data-subjects',
  readyToClose: 'ready-to-close',
  closed: 'closed',
} as const;

const S = DATA_BREACH_STEPS;

/** The steps of an assessed, open breach: each names what is owed first; both duties can be met in either order. */
const ASSESSED = [S.notifyAuthority, S.informSubjects, S.readyToClose] as const;

/** The step that names what the case still owes: Art. 33 first, then Art. 34, else ready to close. */
export function breachStepFor(d: DataBreachData): (typeof ASSESSED)[number] {
  if (owesAuthorityNotification(d)) return S.notifyAuthority;
  return owesSubjectNotice(d) ? S.informSubjects : S.readyToClose;
}

/** Art. 34 applies only to a high risk, and once. */
function subjectNoticeRefusal(c: DataBreachCase): string | undefined {
  if (c.data.subjectNotice) return 'The data subjects have already been informed, or an exception recorded.';
  return c.data.risk?.level === 'high' ? undefined : 'Art. 34 applies only when the risk is assessed as high (reassess-risk first).';
}

/** Only a notification can be supplemented (Art. 33(4)). */
const notifiedRefusal = (c: DataBreachCase) =>
  c.data.authorityNotification ? undefined : 'Datatilsynet has not been notified, so there is nothing to supplement.';

export const dataBreachDefinition = defineProcess<DataBreachData>()({
  name: 'data-breach',
  label: 'Sikkerhedsbrud',
  description:
    'A possible personal-data breach reported by an employee: triage and risk assessment by the GDPR function, notification of Datatilsynet within 72 hours of discovery (GDPR Art. 33) and, where the risk is high, of the people affected (Art. 34).',
  workflowType: 'dataBreachWorkflow',
  startRoles: 'any',
  startInput: {
    discoveredAt: { label: 'Konstateret', type: 'datetime', required: true, notInFuture: true, description: 'When the breach was discovered (konstateret)' },
    unit: { label: 'Enhed', type: 'string', required: true, maxLength: 100, description: 'The unit where it happened' },
    area: { label: 'Område', type: 'area', required: false, description: 'Områdeforvaltning' },
    description: { label: 'Hvad skete der', type: 'string', required: true, maxLength: 10_000, description: 'What happened' },
    dataCategories: { label: 'Kategorier af personoplysninger', type: 'string-array', required: true, minItems: 1, description: 'Categories of personal data involved' },
    approxAffected: { label: 'Omtrentligt antal berørte personer', type: 'integer', required: false, min: 0, description: 'Approximate number of people affected' },
    channel: { label: 'Indberettet via', type: 'enum', required: true, values: ['serviceportal', 'form'], valueLabels: { serviceportal: 'Serviceportalen', form: 'Formular' }, description: 'How it was reported' },
  },
  readRoles: ['gdpr', 'gdpr-lead'],
  // What survives anonymisation: what the reports count, never names, free text or identifiers.
  retainedAfterAnonymisation: ['discoveredAt', 'unit', 'dataCategories', 'approxAffected', 'channel', 'triage.outcome', 'risk.level', 'authorityNotification.submittedAt', 'authorityNotification.late', 'outcome'],
  // The reporter follows the case's status, not the GDPR function's assessment.
  openerView: 'status',
  steps: [
    { name: S.reported, label: 'Anmeldt' },
    { name: S.riskAssessment, label: 'Risikovurdering' },
    { name: S.notifyAuthority, label: 'Anmeldelse til Datatilsynet' },
    { name: S.informSubjects, label: 'Underretning af de registrerede' },
    { name: S.readyToClose, label: 'Klar til afslutning' },
    { name: S.closed, label: 'Afsluttet', terminal: true },
  ],
  initialStep: S.reported,
  deadlines: [
    {
      name: 'datatilsynet-72h',
      label: 'Anmeldelse til Datatilsynet inden 72 timer',
      description:
        'Datatilsynet is notified, or "no notification needed" is documented, within 72 hours of discovery. Reminders to the GDPR function; escalation to its lead and a content-free notice to the direktion.',
      rule: { measure: { unit: 'hours', count: BREACH_NOTIFICATION_HOURS }, from: 'konstateringen', basis: { law: 'Databeskyttelsesforordningen art. 33, stk. 1' } },
      reminders: [{ when: 'hours-after-start', offsets: 'dataBreach.reminderHoursAfterDiscovery', notify: ['gdpr'] }],
      // Who can act on it: the GDPR lead reads the case; the direktion gets a content-free notice.
      escalatesTo: ['gdpr-lead', 'direktion'],
      runsIn: [S.reported, S.riskAssessment, S.notifyAuthority],
    },
  ],
  actions: [
    {
      name: 'triage',
      label: 'Visiteret',
      description: 'An actual breach, or recategorised as not a breach (closes the case).',
      roles: ['gdpr'],
      steps: [S.reported],
      leadsTo: [S.riskAssessment, S.closed],
      input: {
        outcome: { label: 'Vurdering', type: 'enum', required: true, values: ['breach', 'not-a-breach'], valueLabels: { breach: 'Sikkerhedsbrud', 'not-a-breach': 'Ikke et sikkerhedsbrud' }, description: 'Triage outcome' },
        reason: { label: 'Begrundelse', type: 'string', required: true, maxLength: 5_000, description: 'Why' },
      },
    },
    {
      name: 'assess-risk',
      label: 'Risiko vurderet',
      description: 'No risk (documented only, Art. 33(5)), risk (notify Datatilsynet) or high risk (also inform the people affected, Art. 34).',
      roles: ['gdpr'],
      steps: [S.riskAssessment],
      leadsTo: [S.readyToClose, S.notifyAuthority],
      input: {
        risk: { label: 'Risiko', type: 'enum', required: true, values: ['none', 'risk', 'high'], valueLabels: RISK_LABELS, description: 'Risk to the rights and freedoms of the people affected' },
        rationale: { label: 'Vurderingen', type: 'string', required: true, maxLength: 5_000, description: 'The assessment' },
      },
    },
    {
      name: 'reassess-risk',
      label: 'Risiko revurderet',
      description:
        'The risk is reassessed while the case is open, with the reason (journalled): the case then demands what the new level demands. Raised above none before notification, the 72 hours still count from discovery (Art. 33(1)); lowered to none before notification, "no notification needed" is documented.',
      roles: ['gdpr'],
      steps: ASSESSED,
      leadsTo: ASSESSED,
      input: {
        risk: { label: 'Ny risiko', type: 'enum', required: true, values: ['none', 'risk', 'high'], valueLabels: RISK_LABELS, description: 'The new risk level' },
        reason: { label: 'Begrundelse for den nye vurdering', type: 'string', required: true, maxLength: 5_000, description: 'Why the risk is reassessed' },
      },
    },
    {
      name: 'notify-datatilsynet',
      label: 'Anmeldt til Datatilsynet',
      description:
        "Record the notification submitted on Virk, Datatilsynet's reference and the content of Art. 33(3). Before or after the data subjects are informed. After 72 hours a reason for the delay is required.",
      roles: ['gdpr'],
      steps: ASSESSED,
      leadsTo: ASSESSED,
      input: {
        reference: { label: 'Datatilsynets reference', type: 'string', required: true, maxLength: 100, description: "Datatilsynet's reference" },
        submittedAt: { label: 'Anmeldt', type: 'datetime', required: false, notInFuture: true, description: 'When it was submitted (default: now)' },
        delayReason: { label: 'Begrundelse for forsinkelse (over 72 timer)', type: 'string', required: false, maxLength: 5_000, description: 'Required when submitted more than 72 hours after discovery' },
        nature: { label: 'Bruddets karakter', type: 'string', required: true, maxLength: 10_000, description: 'Art. 33(3)(a): the nature of the breach' },
        subjectCategories: { label: 'Kategorier af registrerede', type: 'string-array', required: true, minItems: 1, description: 'Art. 33(3)(a): categories of data subjects concerned' },
        approxSubjects: { label: 'Omtrentligt antal registrerede', type: 'integer', required: true, min: 0, description: 'Art. 33(3)(a): approximate number of data subjects concerned' },
        recordCategories: { label: 'Kategorier af registreringer', type: 'string-array', required: true, minItems: 1, description: 'Art. 33(3)(a): categories of personal data records concerned' },
        approxRecords: { label: 'Omtrentligt antal registreringer', type: 'integer', required: true, min: 0, description: 'Art. 33(3)(a): approximate number of personal data records concerned' },
        contactPoint: { label: 'Kontaktpunkt', type: 'string', required: true, maxLength: 500, description: 'Art. 33(3)(b): the contact point where more information can be obtained' },
        likelyConsequences: { label: 'Sandsynlige konsekvenser', type: 'string', required: true, maxLength: 10_000, description: 'Art. 33(3)(c): the likely consequences' },
        measures: { label: 'Trufne eller foreslåede foranstaltninger', type: 'string', required: true, maxLength: 10_000, description: 'Art. 33(3)(d): the measures taken or proposed, including to mitigate adverse effects' },
      },
      precondition: (c: DataBreachCase) => {
        if (c.data.authorityNotification) return 'Datatilsynet has already been notified; supplement the notification instead (supplement-notification).';
        return owesAuthorityNotification(c.data) ? undefined : 'The risk is assessed as none: no notification is owed (reassess-risk first).';
      },
      inputCheck: (c: DataBreachCase, input, now) => {
        const submitted = parseInstant(input.submittedAt) ?? now;
        const due = [...c.deadlines].reverse().find((d) => d.name === 'datatilsynet-72h')?.dueAt;
        const late = due !== undefined && submitted > Date.parse(due);
        return late && !input.delayReason
          ? [{ field: 'delayReason', message: 'delayReason is required: the notification is later than 72 hours after discovery' }]
          : [];
      },
    },
    {
      name: 'notify-data-subjects',
      label: 'De registrerede underrettet',
      description: 'Record that the people affected were informed (Art. 34), before or after Datatilsynet is notified.',
      roles: ['gdpr'],
      steps: ASSESSED,
      leadsTo: ASSESSED,
      input: {
        method: { label: 'Hvordan de registrerede blev underrettet', type: 'string', required: true, maxLength: 200, description: 'How they were informed' },
        count: { label: 'Antal underrettede', type: 'integer', required: true, min: 0, description: 'How many were informed' },
      },
      precondition: (c: DataBreachCase) => subjectNoticeRefusal(c),
    },
    {
      name: 'record-subject-notice-exception',
      label: 'Undtagelse fra underretning registreret',
      description:
        'Art. 34(3): (a) the data was unintelligible (e.g. encrypted), (b) later measures removed the high risk, or (c) it would take disproportionate effort — then the public communication made instead is recorded.',
      roles: ['gdpr'],
      steps: ASSESSED,
      leadsTo: ASSESSED,
      input: {
        ground: { label: 'Undtagelse (art. 34, stk. 3)', type: 'enum', required: true, values: SUBJECT_NOTICE_EXCEPTIONS, valueLabels: SUBJECT_NOTICE_EXCEPTION_LABELS, description: 'Art. 34(3) (a) unintelligible, (b) risk-removed, (c) disproportionate-effort' },
        reason: { label: 'Begrundelse', type: 'string', required: true, maxLength: 5_000, description: 'Why the exception applies' },
        publicCommunication: {
          label: 'Offentlig meddelelse eller lignende',
          type: 'string',
          required: false,
          maxLength: 5_000,
          requiredWhen: {
            field: 'ground',
            values: ['disproportionate-effort'],
            why: 'with disproportionate effort: the data subjects are informed by a public communication instead (Art. 34(3)(c))',
          },
          description: 'Required for disproportionate-effort: the public communication or similar measure made instead',
        },
      },
      precondition: (c: DataBreachCase) => subjectNoticeRefusal(c),
    },
    {
      name: 'supplement-notification',
      label: 'Anmeldelse suppleret',
      description: 'Art. 33(4): supplement the notification to Datatilsynet in phases; the supplements keep their order and time.',
      roles: ['gdpr'],
      steps: ASSESSED,
      leadsTo: [],
      input: { note: { label: 'Hvad der blev suppleret', type: 'string', required: true, maxLength: 5_000, description: 'What was supplemented' } },
      limit: {
        max: 100,
        list: 'supplements',
        why: 'Art. 33(4) supplements follow the phases of the investigation; a breach has a handful',
      },
      precondition: notifiedRefusal,
    },
    {
      name: 'close',
      label: 'Sagen afsluttet',
      description: 'Close with a summary and the measures taken, once both duties the risk level demands are met (Art. 33 and 34).',
      roles: ['gdpr'],
      steps: ASSESSED,
      leadsTo: [S.closed],
      input: { summary: { label: 'Resumé og trufne foranstaltninger', type: 'string', required: true, maxLength: 10_000, description: 'Summary and measures taken' } },
      precondition: (c: DataBreachCase) => {
        const owed = breachDutiesOwed(c.data);
        return owed.length === 0 ? undefined : `The case cannot close yet; still owed: ${owed.join('; ')}.`;
      },
    },
  ],
});
