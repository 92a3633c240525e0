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
 * The complainant has 20 calendar days from the decision to respond; when a decision not fully
 * in their favour is met with dissatisfaction or silence, the case goes to the national body.
 */
export const BULLYING_RESPONSE_DAYS = 20;
/** Once bullying is established the school makes an action plan within 10 working days (and takes temporary measures at once). */
export const BULLYING_ACTION_PLAN_WORKING_DAYS = 10;

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
  decision?: { outcome: BullyingOutcome; reasoning: string; schoolMustActBy?: string; at: string };
  decidedAt?: string;
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

function missingDocuments(input: Record<string, unknown>): FieldError[] {
  const documents = Array.isArray(input.documents) ? (input.documents as unknown[]) : [];
  const missing = BULLYING_REQUIRED_DOCUMENTS.filter((d) => !documents.includes(d));
  return missing.length > 0
    ? [{ field: 'documents', message: `documents must include every required document; missing: ${missing.join(', ')}` }]
    : [];
}

export const bullyingComplaintDefinition = defineProcess<BullyingComplaintData>()({
  name: 'bullying-complaint',
  label: 'Klage over mobning',
  description: `A complaint from a pupil or parent to the municipal complaint body against bullying (BUF/Fagligt Center, Undervisningsmiljøloven): admissibility (the school must have handled it locally first), assessment against the statutory grounds, a decision within ${BULLYING_DECISION_WORKING_DAYS} working days of receipt, the complainant's ${BULLYING_RESPONSE_DAYS} days to respond, and forwarding to Den Nationale Klageinstans mod Mobning with the required documents when a decision not fully in the complainant's favour is met with dissatisfaction or silence. Once bullying is established the school makes an action plan within ${BULLYING_ACTION_PLAN_WORKING_DAYS} working days and takes temporary measures at once.`,
  workflowType: 'bullyingComplaintWorkflow',
  startRoles: ['fagligt-center'],
  startInput: {
    school: { type: 'string', required: true, maxLength: 100, description: 'The school complained about' },
    area: { type: 'string', required: true, maxLength: 50, description: 'Områdeforvaltning of the school' },
    complainant: { type: 'enum', required: true, values: ['pupil', 'parent'], description: 'Who complains' },
    receivedAt: { type: 'datetime', required: false, notInFuture: true, description: 'When the complaint was received (default: now); the decision deadline counts from it' },
    handledLocallyFirst: { type: 'enum', required: true, values: ['yes', 'no'], description: 'Whether the school handled the complaint locally first' },
    grounds: { type: 'string-array', required: true, minItems: 1, values: BULLYING_GROUNDS, description: `What the complaint is about; each one of: ${BULLYING_GROUNDS.join(', ')}` },
  },
  readRoles: ['fagligt-center', 'area-chief'],
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
    },
    {
      name: 'complainant-response',
      label: `Klagers frist for tilbagemelding (${BULLYING_RESPONSE_DAYS} dage)`,
      description: `The complainant has ${BULLYING_RESPONSE_DAYS} calendar days from the decision to respond (law); when they are silent, the case moves at once to forwarding to the national body.`,
      rule: { measure: { unit: 'calendar-days', count: BULLYING_RESPONSE_DAYS }, from: 'afgørelsen', basis: { law: 'Undervisningsmiljøloven (klagers tilbagemelding på førstebehandlingen)' } },
      escalatesTo: [],
    },
  ],
  actions: [
    {
      name: 'assess-admissibility',
      label: 'Klagen vurderet for realitetsbehandling',
      description: 'Admissible (on to the assessment), or not: a complaint the school has not handled locally first is returned to the school; the case closes.',
      roles: ['fagligt-center'],
      steps: [S.received],
      leadsTo: [S.assessment, S.closed],
      input: {
        admissible: { type: 'enum', required: true, values: ['yes', 'no'], description: 'Whether the complaint can be assessed here' },
        reason: { type: 'string', required: true, maxLength: 5_000, description: 'Why' },
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
        "The decision on the statutory grounds: upheld in full (the school is told what to do and by when; the case can close), partly upheld or rejected (the complainant's response window opens).",
      roles: ['fagligt-center'],
      steps: [S.assessment],
      leadsTo: [S.readyToClose, S.awaitingResponse],
      input: {
        outcome: { type: 'enum', required: true, values: BULLYING_OUTCOMES, description: 'The decision' },
        reasoning: { type: 'string', required: true, maxLength: 10_000, description: 'The assessment against the grounds' },
        schoolMustActBy: { type: 'datetime', required: false, endOfDay: true, description: 'By when the school must act; required when upheld' },
      },
      personCheck: disqualified,
      inputCheck: (_c, input, now) => decisionErrors(input, now),
    },
    {
      name: 'register-response',
      label: 'Klagers tilbagemelding registreret',
      description: "The complainant's response to a decision not fully in their favour: satisfied (the case can close) or dissatisfied (forwarded to the national body at once).",
      roles: ['fagligt-center'],
      steps: [S.awaitingResponse],
      leadsTo: [S.readyToClose, S.forwardToNationalBody],
      input: { satisfied: { type: 'enum', required: true, values: ['yes', 'no'], description: 'Whether the complainant accepts the decision' } },
    },
    {
      name: 'forward',
      label: 'Videresendt til Den Nationale Klageinstans mod Mobning',
      description: `Record the forwarding to the national complaint body at DCUM with the required documents (${BULLYING_REQUIRED_DOCUMENTS.join(', ')}); closes the case.`,
      roles: ['fagligt-center'],
      steps: [S.forwardToNationalBody],
      leadsTo: [S.closed],
      input: {
        reference: { type: 'string', required: true, maxLength: 200, description: 'Reference of the forwarding' },
        documents: { type: 'string-array', required: true, minItems: 1, description: `The documents forwarded; must include ${BULLYING_REQUIRED_DOCUMENTS.join(', ')}` },
      },
      inputCheck: (_c, input) => missingDocuments(input),
    },
    {
      name: 'close',
      label: 'Sagen afsluttet',
      description: 'Close a case upheld in full, or one whose complainant accepted the decision.',
      roles: ['fagligt-center'],
      steps: [S.readyToClose],
      leadsTo: [S.closed],
      input: { note: { type: 'string', required: false, maxLength: 2_000, description: 'Comment' } },
    },
  ],
});
