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
  authorityNotification?: { reference: string; submittedAt: string; late: boolean; delayReason?: string };
  supplements: { note: string; at: string }[];
  subjectNotice?:
    | { kind: 'informed'; method: string; count: number; at: string }
    | { kind: 'exception'; reason: string; at: string };
  /** How the case ended: recategorised (not a breach) or closed after handling. */
  outcome?: 'recategorised' | 'handled';
  summary?: string;
}

type DataBreachCase = CaseSnapshot<DataBreachData>;

export const DATA_BREACH_STEPS = {
  reported: 'reported',
  riskAssessment: 'risk-assessment',
  notifyAuthority: 'notify-datatilsynet',
  informSubjects: 'inform-data-subjects',
  readyToClose: 'ready-to-close',
  closed: 'closed',
} as const;

const S = DATA_BREACH_STEPS;

export const dataBreachDefinition = defineProcess<DataBreachData>()({
  name: 'data-breach',
  label: 'Sikkerhedsbrud',
  description:
    'A possible personal-data breach reported by an employee: triage and risk assessment by the GDPR function, notification of Datatilsynet within 72 hours of discovery (GDPR Art. 33) and, where the risk is high, of the people affected (Art. 34).',
  workflowType: 'dataBreachWorkflow',
  startRoles: 'any',
  startInput: {
    discoveredAt: { type: 'datetime', required: true, notInFuture: true, description: 'When the breach was discovered (konstateret)' },
    unit: { type: 'string', required: true, maxLength: 100, description: 'The unit where it happened' },
    area: { type: 'string', required: false, maxLength: 50, description: 'Områdeforvaltning' },
    description: { type: 'string', required: true, maxLength: 10_000, description: 'What happened' },
    dataCategories: { type: 'string-array', required: true, minItems: 1, description: 'Categories of personal data involved' },
    approxAffected: { type: 'integer', required: false, min: 0, description: 'Approximate number of people affected' },
    channel: { type: 'enum', required: true, values: ['serviceportal', 'form'], description: 'How it was reported' },
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
        'Datatilsynet is notified, or "no notification needed" is documented, within 72 hours of discovery. Reminders to the GDPR function; escalation to its lead and the direktion.',
      rule: { measure: { unit: 'hours', count: BREACH_NOTIFICATION_HOURS }, from: 'konstateringen', basis: { law: 'Databeskyttelsesforordningen art. 33, stk. 1' } },
      reminders: [{ when: 'hours-after-start', offsets: 'dataBreach.reminderHoursAfterDiscovery', notify: ['gdpr'] }],
      escalatesTo: ['gdpr', 'gdpr-lead', 'direktion'],
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
        outcome: { type: 'enum', required: true, values: ['breach', 'not-a-breach'], description: 'Triage outcome' },
        reason: { type: 'string', required: true, maxLength: 5_000, description: 'Why' },
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
        risk: { type: 'enum', required: true, values: ['none', 'risk', 'high'], description: 'Risk to the rights and freedoms of the people affected' },
        rationale: { type: 'string', required: true, maxLength: 5_000, description: 'The assessment' },
      },
    },
    {
      name: 'notify-datatilsynet',
      label: 'Anmeldt til Datatilsynet',
      description: "Record the notification submitted on Virk and Datatilsynet's reference. After 72 hours a reason for the delay is required.",
      roles: ['gdpr'],
      steps: [S.notifyAuthority],
      leadsTo: [S.informSubjects, S.readyToClose],
      input: {
        reference: { type: 'string', required: true, maxLength: 100, description: "Datatilsynet's reference" },
        submittedAt: { type: 'datetime', required: false, notInFuture: true, description: 'When it was submitted (default: now)' },
        delayReason: { type: 'string', required: false, maxLength: 5_000, description: 'Required when submitted more than 72 hours after discovery' },
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
      description: 'Record that the people affected were informed (Art. 34).',
      roles: ['gdpr'],
      steps: [S.informSubjects],
      leadsTo: [S.readyToClose],
      input: {
        method: { type: 'string', required: true, maxLength: 200, description: 'How they were informed' },
        count: { type: 'integer', required: true, min: 0, description: 'How many were informed' },
      },
    },
    {
      name: 'record-subject-notice-exception',
      label: 'Undtagelse fra underretning registreret',
      description: 'Art. 34(3): the data was unintelligible, later measures removed the high risk, or it would take disproportionate effort (then a public communication).',
      roles: ['gdpr'],
      steps: [S.informSubjects],
      leadsTo: [S.readyToClose],
      input: { reason: { type: 'string', required: true, maxLength: 5_000, description: 'Which exception applies, and why' } },
    },
    {
      name: 'supplement-notification',
      label: 'Anmeldelse suppleret',
      description: 'Art. 33(4): supplement the notification to Datatilsynet in phases.',
      roles: ['gdpr'],
      steps: [S.informSubjects, S.readyToClose],
      leadsTo: [],
      input: { note: { type: 'string', required: true, maxLength: 5_000, description: 'What was supplemented' } },
      precondition: (c: DataBreachCase) =>
        c.data.authorityNotification ? undefined : 'Datatilsynet has not been notified, so there is nothing to supplement.',
    },
    {
      name: 'close',
      label: 'Sagen afsluttet',
      description: 'Close with a summary and the measures taken, once what the risk level demands is done.',
      roles: ['gdpr'],
      steps: [S.readyToClose],
      leadsTo: [S.closed],
      input: { summary: { type: 'string', required: true, maxLength: 10_000, description: 'Summary and measures taken' } },
    },
  ],
});
