import type { CaseSnapshot } from '../case';
import { type FieldError, parseInstant } from '../fields';
import { defineProcess } from '../process-definition';
import type { Actor } from '../roles';

/**
 * Undervisningsmiljøloven: the municipal complaint body decides within 20 working days of
 * receipt. Law, not policy.
 */
export const BULLYING_DECISION_WORKING_DAYS = 20;
/**
 * The complainant has 20 calendar days from the decision to respond, to the end of the 20th day
 * (Copenhagen); when a decision not fully in their favour is met with dissatisfaction or
 * silence, the case goes to the national body (Undervisningsmiljøloven § 7 a, stk. 2: "Får
 * klageren ikke fuldt ud medhold, sender [den ansvarlige myndighed] klagen ... videre til Dansk
 * Center for Undervisningsmiljø"; stk. 3: the minister sets the time limits. DCUM's procedure:
 * a complainant who has not declared themselves satisfied within 20 days is forwarded). It
 * opens on every decision not fully in the complainant's favour: partly upheld, rejected, and a
 * dismissal without assessment (DCUM: a dismissed complainant who disagrees is forwarded too).
 */
export const BULLYING_RESPONSE_DAYS = 20;
/** Undervisningsmiljøloven § 1 c: once bullying is established the school makes an action plan within 10 working days (and takes temporary measures at once). */
export const BULLYING_ACTION_PLAN_WORKING_DAYS = 10;
/** DCUM, bekendtgørelsens § 5: the complainant's remarks go with the forwarding when the complainant made any (a dissatisfied complainant). */
export const BULLYING_COMPLAINANT_REMARKS = 'complainant-remarks';

/** What a pupil or parent may complain about: no anti-bullying strategy, no (or no carried-out) action plan, no temporary measures, not informed of the measures. */
export const BULLYING_GROUNDS = ['no-strategy', 'no-action-plan', 'no-temporary-measures', 'not-informed'] as const;
/** What is forwarded to Den Nationale Klageinstans mod Mobning (DCUM) with the complaint. */
export const BULLYING_REQUIRED_DOCUMENTS = [
  'complaint',
  'decision',
  'pupil-perspective',
  'anti-bullying-strategy',
  'learning-environment-assessment',
  'wellbeing-survey',
] as const;
export const BULLYING_OUTCOMES = ['upheld', 'partly-upheld', 'rejected'] as const;
/** The grounds and outcomes as staff read them. */
export const BULLYING_GROUND_LABELS: Readonly<Record<(typeof BULLYING_GROUNDS)[number], string>> = {
  'no-strategy': 'Ingen antimobbestrategi',
  'no-action-plan': 'Ingen (eller ikke gennemført) handlingsplan',
  'no-temporary-measures': 'Ingen midlertidige foranstaltninger',
  'not-informed': 'Ikke orienteret om foranstaltningerne',
};
export const BULLYING_OUTCOME_LABELS: Readonly<Record<(typeof BULLYING_OUTCOMES)[number], string>> = {
  upheld: 'Medhold',
  'partly-upheld': 'Delvis medhold',
  rejected: 'Ikke medhold',
};

export type BullyingGround = (typeof BULLYING_GROUNDS)[number];
export type BullyingOutcome = (typeof BULLYING_OUTCOMES)[number];
export type BullyingYesNo = 'yes' | 'no';
/** How a bullying complaint ended, for the statistics. */
export type BullyingResolution = 'returned-to-school' | 'inadmissible' | 'upheld' | 'accepted' | 'forwarded';

export interface BullyingComplaintData {
  /** The school complained about (the unit). */
  school: string;
  area: string;
  complainant: 'pupil' | 'parent';
  receivedAt: string;
  handledLocallyFirst: BullyingYesNo;
  grounds: BullyingGround[];
  admissibility?: { admissible: BullyingYesNo; reason: string; at: string };
  decision?: { outcome: BullyingOutcome; reasoning: string; schoolMustActBy?: string; bullyingEstablished?: BullyingYesNo; at: string };
  decidedAt?: string;
  /** The school's action plan (§ 1 c), once bullying is established: when it was made. */
  actionPlan?: { madeAt: string; note?: string; at: string };
  response?: { satisfied: BullyingYesNo; at: string };
  /** Why the case went to the national body: the complainant was dissatisfied, or did not respond in time. */
  forwardReason?: 'dissatisfied' | 'no-response';
  forwarding?: { reference: string; documents: string[]; at: string };
  resolution?: BullyingResolution;
  closeNote?: string;
}

type BullyingCase = CaseSnapshot<BullyingComplaintData>;

export const BULLYING_STEPS = {
  received: 'received',
  assessment: 'assessment',
  awaitingResponse: 'awaiting-response',
  forwardToNationalBody: 'forward-to-national-body',
  readyToClose: 'ready-to-close',
  closed: 'closed',
} as const;

const S = BULLYING_STEPS;

/** Forvaltningsloven § 3: nobody from the school complained about handles the complaint. */
function disqualified(c: BullyingCase, actor: Actor): string | undefined {
  return actor.unit !== undefined && actor.unit === c.data.school
    ? 'A person from the school complained about may not handle the complaint (disqualification, forvaltningsloven § 3).'
    : undefined;
}

function decisionErrors(input: Record<string, unknown>, now: number): FieldError[] {
  const actBy = input.schoolMustActBy === undefined || input.schoolMustActBy === null ? undefined : parseInstant(input.schoolMustActBy);
  if (input.outcome === 'upheld' && actBy === undefined) {
    return [{ field: 'schoolMustActBy', message: 'schoolMustActBy is required when the complaint is upheld: by when the school must act' }];
  }
  if (input.outcome === 'rejected' && actBy !== undefined) {
    return [{ field: 'schoolMustActBy', message: 'schoolMustActBy does not apply when the complaint is rejected' }];
  }
  if (actBy !== undefined && actBy <= now) {
    return [{ field: 'schoolMustActBy', message: 'schoolMustActBy must be in the future' }];
  }
  return [];
}

/** What the forwarding must include: every required document, and the complainant's remarks when they made any. */
export function requiredDocuments(c: Pick<BullyingCase, 'data'>): string[] {
  return c.data.forwardReason === 'dissatisfied' ? [...BULLYING_REQUIRED_DOCUMENTS, BULLYING_COMPLAINANT_REMARKS] : [...BULLYING_REQUIRED_DOCUMENTS];
}

/** The school's action plan is due on this case (bullying established) and not yet registered. */
export function bullyingActionPlanOutstanding(c: Pick<BullyingCase, 'data'>): boolean {
  return c.data.decision?.bullyingEstablished === 'yes' && c.data.actionPlan === undefined;
}

function missingDocuments(c: BullyingCase, input: Record<string, unknown>): FieldError[] {
  const documents = Array.isArray(input.documents) ? (input.documents as unknown[]) : [];
  const missing = requiredDocuments(c).filter((d) => !documents.includes(d));
  return missing.length > 0
    ? [{ field: 'documents', message: `documents must include every required document; missing: ${missing.join(', ')}` }]
    : [];
}

export const bullyingComplaintDefinition = defineProcess<BullyingComplaintData>()({
  name: 'bullying-complaint',
  label: 'Klage over mobning',
  description: `A complaint from a pupil or parent to the municipal complaint body against bullying (BUF/Fagligt Center, Undervisningsmiljøloven): admissibility (the school must have handled it locally first), assessment against the statutory grounds, a decision within ${BULLYING_DECISION_WORKING_DAYS} working days of receipt, the complainant's ${BULLYING_RESPONSE_DAYS} calendar days to respond (to the end of the last day) after any decision not fully in their favour, a dismissal included, and forwarding at once to Den Nationale Klageinstans mod Mobning with the required documents when such a decision is met with dissatisfaction or silence. Once a decision establishes bullying the school makes an action plan within ${BULLYING_ACTION_PLAN_WORKING_DAYS} working days (a deadline on the case) and takes temporary measures at once.`,
  workflowType: 'bullyingComplaintWorkflow',
  startRoles: ['fagligt-center'],
  startInput: {
    school: { label: 'Skole', type: 'string', required: true, maxLength: 100, description: 'The school complained about' },
    area: { label: 'Område', type: 'area', required: true, description: 'Områdeforvaltning of the school' },
    complainant: { label: 'Klager', type: 'enum', required: true, values: ['pupil', 'parent'], valueLabels: { pupil: 'Elev', parent: 'Forælder' }, description: 'Who complains' },
    receivedAt: { label: 'Klagen modtaget', type: 'datetime', required: false, notInFuture: true, description: 'When the complaint was received (default: now); the decision deadline counts from it' },
    handledLocallyFirst: { label: 'Behandlet på skolen først', type: 'enum', required: true, values: ['yes', 'no'], valueLabels: { yes: 'Ja', no: 'Nej' }, description: 'Whether the school handled the complaint locally first' },
    grounds: { label: 'Klagepunkter', type: 'string-array', required: true, minItems: 1, values: BULLYING_GROUNDS, valueLabels: BULLYING_GROUND_LABELS, description: `What the complaint is about; each one of: ${BULLYING_GROUNDS.join(', ')}` },
  },
  // Fagligt Center (the complaint body) reads every bullying complaint; an area chief those of
  // schools in their own area (as for complaints, PROCESSES.md § 3).
  readRoles: ['fagligt-center'],
  readScopes: [{ role: 'area-chief', field: 'area', claim: 'area' }],
  openerView: 'none',
  // What survives anonymisation: what the reports count, never names, free text or identifiers.
  retainedAfterAnonymisation: ['school', 'area', 'complainant', 'receivedAt', 'handledLocallyFirst', 'grounds', 'decision.outcome', 'decidedAt', 'forwardReason', 'resolution'],
  steps: [
    { name: S.received, label: 'Modtaget' },
    { name: S.assessment, label: 'Vurderes efter klagegrundene' },
    { name: S.awaitingResponse, label: 'Afventer klagers tilbagemelding' },
    { name: S.forwardToNationalBody, label: 'Videresendes til Den Nationale Klageinstans mod Mobning' },
    { name: S.readyToClose, label: 'Klar til afslutning' },
    { name: S.closed, label: 'Afsluttet', terminal: true },
  ],
  initialStep: S.received,
  deadlines: [
    {
      name: 'decision',
      label: `Afgørelse inden ${BULLYING_DECISION_WORKING_DAYS} arbejdsdage`,
      description: `The complaint body decides within ${BULLYING_DECISION_WORKING_DAYS} working days of receipt (law); escalation to Fagligt Center and the area chief when passed.`,
      rule: { measure: { unit: 'working-days', count: BULLYING_DECISION_WORKING_DAYS }, from: 'modtagelsen', basis: { law: 'Undervisningsmiljøloven (klage over mobning, førstebehandling)' } },
      escalatesTo: ['fagligt-center', 'area-chief'],
      runsIn: [S.received, S.assessment],
    },
    {
      name: 'complainant-response',
      label: `Klagers frist for tilbagemelding (${BULLYING_RESPONSE_DAYS} dage)`,
      description: `The complainant has ${BULLYING_RESPONSE_DAYS} calendar days from the decision to respond (law); when they are silent, the case moves at once to forwarding to the national body.`,
      rule: { measure: { unit: 'calendar-days', count: BULLYING_RESPONSE_DAYS }, from: 'afgørelsen', basis: { law: 'Undervisningsmiljøloven § 7 a, stk. 2 og 3 (klagers tilbagemelding på førstebehandlingen)' } },
      escalatesTo: [],
      runsIn: [S.awaitingResponse],
    },
    {
      name: 'forwarding',
      label: 'Videresendelse til Den Nationale Klageinstans mod Mobning',
      description: 'Once the complainant is dissatisfied or silent, the case is forwarded at once: within the policy number of working days, with a reminder to Fagligt Center on the morning of the day it is due and escalation to Fagligt Center and the area chief when passed.',
      rule: { measure: { unit: 'working-days', count: 'bullyingComplaint.forwardWorkingDays' }, from: 'videresendelsens start', basis: { policy: 'bullyingComplaint.forwardWorkingDays' } },
      reminders: [{ when: 'days-before-due', offsets: 'bullyingComplaint.forwardReminderDaysBefore', notify: ['fagligt-center'] }],
      escalatesTo: ['fagligt-center', 'area-chief'],
      runsIn: [S.forwardToNationalBody],
    },
    {
      name: 'action-plan',
      label: `Skolens handlingsplan (${BULLYING_ACTION_PLAN_WORKING_DAYS} arbejdsdage)`,
      description: `Once the decision establishes bullying, the school makes an action plan within ${BULLYING_ACTION_PLAN_WORKING_DAYS} working days (law); a reminder to Fagligt Center before it, escalation to Fagligt Center and the area chief when passed. The case does not close before the plan is registered.`,
      rule: { measure: { unit: 'working-days', count: BULLYING_ACTION_PLAN_WORKING_DAYS }, from: 'konstateringen af mobning', basis: { law: 'Undervisningsmiljøloven § 1 c (handlingsplan inden 10 arbejdsdage)' } },
      reminders: [{ when: 'days-before-due', offsets: 'bullyingComplaint.actionPlanReminderDaysBefore', notify: ['fagligt-center'] }],
      escalatesTo: ['fagligt-center', 'area-chief'],
      runsIn: [S.awaitingResponse, S.forwardToNationalBody, S.readyToClose],
    },
  ],
  actions: [
    {
      name: 'assess-admissibility',
      label: 'Klagen vurderet for realitetsbehandling',
      description: `Admissible (on to the assessment), or not: a complaint the school has not handled locally first is returned to the school and the case closes; any other dismissal is a decision not in the complainant's favour, and their ${BULLYING_RESPONSE_DAYS} days to respond open.`,
      roles: ['fagligt-center'],
      steps: [S.received],
      leadsTo: [S.assessment, S.awaitingResponse, S.closed],
      input: {
        admissible: { label: 'Klagen kan behandles', type: 'enum', required: true, values: ['yes', 'no'], valueLabels: { yes: 'Ja', no: 'Nej' }, description: 'Whether the complaint can be assessed here' },
        reason: { label: 'Begrundelse', type: 'string', required: true, maxLength: 5_000, description: 'Why' },
      },
      personCheck: disqualified,
      inputCheck: (c, input) =>
        input.admissible === 'yes' && c.data.handledLocallyFirst === 'no'
          ? [{ field: 'admissible', message: 'admissible cannot be yes: the school has not handled the complaint locally first, so it is returned to the school' }]
          : [],
    },
    {
      name: 'decide',
      label: 'Afgørelse truffet',
      description:
        "The decision on the statutory grounds: upheld in full (the school is told what to do and by when; the case can close), partly upheld or rejected (the complainant's response window opens). When it establishes bullying, the school's action plan falls due.",
      roles: ['fagligt-center'],
      steps: [S.assessment],
      leadsTo: [S.readyToClose, S.awaitingResponse],
      input: {
        outcome: { label: 'Afgørelse', type: 'enum', required: true, values: BULLYING_OUTCOMES, valueLabels: BULLYING_OUTCOME_LABELS, description: 'The decision' },
        reasoning: { label: 'Vurdering af klagepunkterne', type: 'string', required: true, maxLength: 10_000, description: 'The assessment against the grounds' },
        schoolMustActBy: { label: 'Skolen skal handle senest', type: 'datetime', required: false, endOfDay: true, description: 'By when the school must act; required when upheld' },
        bullyingEstablished: {
          label: 'Mobning eller lignende konstateret',
          type: 'enum',
          required: false,
          values: ['yes', 'no'],
          valueLabels: { yes: 'Ja', no: 'Nej' },
          description: `Whether the decision establishes bullying or the like (default no): the school's action plan is then due within ${BULLYING_ACTION_PLAN_WORKING_DAYS} working days`,
        },
      },
      personCheck: disqualified,
      inputCheck: (_c, input, now) => decisionErrors(input, now),
    },
    {
      name: 'register-response',
      label: 'Klagers tilbagemelding registreret',
      description: "The complainant's response to a decision not fully in their favour (a dismissal included): satisfied (the case can close) or dissatisfied (forwarded to the national body at once).",
      roles: ['fagligt-center'],
      steps: [S.awaitingResponse],
      leadsTo: [S.readyToClose, S.forwardToNationalBody],
      input: { satisfied: { label: 'Klager accepterer afgørelsen', type: 'enum', required: true, values: ['yes', 'no'], valueLabels: { yes: 'Ja', no: 'Nej' }, description: 'Whether the complainant accepts the decision' } },
    },
    {
      name: 'register-action-plan',
      label: 'Skolens handlingsplan registreret',
      description: `Record that the school made its action plan (due within ${BULLYING_ACTION_PLAN_WORKING_DAYS} working days once bullying is established).`,
      roles: ['fagligt-center'],
      steps: [S.awaitingResponse, S.forwardToNationalBody, S.readyToClose],
      leadsTo: [],
      input: {
        madeAt: { label: 'Handlingsplan udarbejdet', type: 'datetime', required: true, notInFuture: true, description: 'When the school made the action plan' },
        note: { label: 'Bemærkning', type: 'string', required: false, maxLength: 2_000, description: 'Comment' },
      },
      precondition: (c) =>
        bullyingActionPlanOutstanding(c) ? undefined : c.data.actionPlan ? 'The action plan is already registered.' : 'No action plan is due: the decision did not establish bullying.',
    },
    {
      name: 'forward',
      label: 'Videresendt til Den Nationale Klageinstans mod Mobning',
      description: `Record the forwarding to the national complaint body at DCUM with the required documents (${BULLYING_REQUIRED_DOCUMENTS.join(', ')}, and ${BULLYING_COMPLAINANT_REMARKS} when the complainant was dissatisfied); closes the case, or leaves it ready to close while the school's action plan is outstanding.`,
      roles: ['fagligt-center'],
      steps: [S.forwardToNationalBody],
      leadsTo: [S.closed, S.readyToClose],
      input: {
        reference: { label: 'Reference for videresendelsen', type: 'string', required: true, maxLength: 200, description: 'Reference of the forwarding' },
        documents: {
          label: 'Videresendte dokumenter',
          type: 'string-array',
          required: true,
          minItems: 1,
          description: `The documents forwarded; must include ${BULLYING_REQUIRED_DOCUMENTS.join(', ')}, and ${BULLYING_COMPLAINANT_REMARKS} when the complainant was dissatisfied`,
          example: [...BULLYING_REQUIRED_DOCUMENTS, BULLYING_COMPLAINANT_REMARKS],
        },
      },
      inputCheck: (c, input) => missingDocuments(c, input),
    },
    {
      name: 'close',
      label: 'Sagen afsluttet',
      description: "Close a case upheld in full, one whose complainant accepted the decision, or one forwarded; not while the school's action plan is outstanding.",
      roles: ['fagligt-center'],
      steps: [S.readyToClose],
      leadsTo: [S.closed],
      input: { note: { label: 'Bemærkning', type: 'string', required: false, maxLength: 2_000, description: 'Comment' } },
      precondition: (c) => (bullyingActionPlanOutstanding(c) ? "The school's action plan must be registered (register-action-plan) before the case closes." : undefined),
    },
  ],
});
