import type { CaseSnapshot } from '../case';
import { type FieldError, parseInstant } from '../fields';
import type { CasePolicy } from '../policy';
import { defineProcess } from '../process-definition';
import { type Actor, type Role, hasAnyRole } from '../roles';

export type TrainingCourse = 'it-security' | 'administrative-law';
export type StaffGroup = 'administrative' | 'pedagogical' | 'leader';

export const TRAINING_COURSES: readonly TrainingCourse[] = ['it-security', 'administrative-law'];
export const STAFF_GROUPS: readonly StaffGroup[] = ['administrative', 'pedagogical', 'leader'];
/** The staff groups as staff read them. */
export const STAFF_GROUP_LABELS: Readonly<Record<StaffGroup, string>> = { administrative: 'Administrativt personale', pedagogical: 'Pædagogisk personale', leader: 'Leder' };

/** The course names as staff read them. */
export const TRAINING_COURSE_LABELS: Readonly<Record<TrainingCourse, string>> = {
  'it-security': 'IT-sikkerhed og databeskyttelse',
  'administrative-law': 'Forvaltningsret',
};

/**
 * The case file of one employee and one course. The field names are what the training
 * statistics read (libs/persistence/src/statistics-store.ts): keep them.
 */
export interface MandatoryTrainingData {
  employeeId: string;
  course: TrainingCourse;
  staffGroup: StaffGroup;
  unit: string;
  area: string;
  employedFrom: string;
  /** Every completion recorded, oldest first; IT security adds one per refresh cycle. */
  completions: { completedAt: string }[];
  /** The deadline the employee is working towards now (pending, or missed and still outstanding). */
  dueAt?: string;
  /** When the employment ended (end-employment closes the case). */
  endedAt?: string;
}

type TrainingCase = CaseSnapshot<MandatoryTrainingData>;

export const MANDATORY_TRAINING_STEPS = {
  awaitingCompletion: 'awaiting-completion',
  awaitingRefresh: 'awaiting-refresh',
  closed: 'closed',
} as const;

const S = MANDATORY_TRAINING_STEPS;
const OPEN_STEPS = [S.awaitingCompletion, S.awaitingRefresh];

/** The first deadline (`completion`), then one `refresh` per IT-security cycle. */
export const TRAINING_DEADLINES = { completion: 'completion', refresh: 'refresh' } as const;

/** The figures a training deadline is computed from: the policy in force when the case opened. */
type TrainingPolicy = CasePolicy['mandatoryTraining'];

/**
 * How many calendar days after employedFrom the first completion is due, or undefined when the
 * course is not required of the staff group. Leaders are treated as administrative staff for IT
 * security (the domain memo names only administrative and pedagogical staff; leaders handle
 * personal data at least as much as administrative staff, so the shorter deadline applies).
 * Administrative law is required of leaders and administrative staff only.
 */
export function completionDays(course: TrainingCourse, staffGroup: StaffGroup, policy: TrainingPolicy): number | undefined {
  const key = completionPolicyKey(course, staffGroup);
  return key === undefined ? undefined : policy[key];
}

/** The policy figure that gives the first completion's days for a course and staff group. */
export function completionPolicyKey(course: TrainingCourse, staffGroup: StaffGroup): 'itSecurityPedagogicalDays' | 'itSecurityAdministrativeDays' | 'administrativeLawDays' | undefined {
  switch (course) {
    case 'it-security':
      return staffGroup === 'pedagogical' ? 'itSecurityPedagogicalDays' : 'itSecurityAdministrativeDays';
    case 'administrative-law':
      return staffGroup === 'pedagogical' ? undefined : 'administrativeLawDays';
  }
}

function staffGroupRequired(input: Record<string, unknown>): FieldError[] {
  return input.course === 'administrative-law' && input.staffGroup === 'pedagogical'
    ? [{ field: 'staffGroup', message: 'staffGroup pedagogical: administrative-law is required of leaders and administrative staff only' }]
    : [];
}

/** A completion is dated within the employment and not before the one recorded before it. */
function completionDateCheck(c: TrainingCase, input: Record<string, unknown>): FieldError[] {
  const completedAt = parseInstant(input.completedAt);
  if (completedAt === undefined) return [];
  if (completedAt < Date.parse(c.data.employedFrom)) {
    return [{ field: 'completedAt', message: 'completedAt must not be before employedFrom' }];
  }
  const last = c.data.completions.at(-1);
  if (last && completedAt < Date.parse(last.completedAt)) {
    return [{ field: 'completedAt', message: 'completedAt must not be before the completion already recorded' }];
  }
  return [];
}

/** Roles that act on every training case; an area chief acts on their own area's only, an institution leader on their own unit's. */
const CENTRAL_ROLES: readonly Role[] = ['ledelsessekretariat', 'hr-chief'];

function ownUnitOnly(verb: string) {
  return (c: TrainingCase, actor: Actor): string | undefined => {
    if (hasAnyRole(actor, CENTRAL_ROLES)) return undefined;
    if (actor.roles.includes('area-chief') && actor.area !== undefined && actor.area === c.data.area) return undefined;
    if (actor.roles.includes('institution-leader') && actor.unit !== undefined && actor.unit === c.data.unit) return undefined;
    return `Only a leader of the employee's unit (${c.data.unit}) or the area chief of its area (${c.data.area}) may ${verb}.`;
  };
}

export const mandatoryTrainingDefinition = defineProcess<MandatoryTrainingData>()({
  name: 'mandatory-training',
  label: 'Obligatorisk kursus',
  description:
    "One long-running case per employee and course: IT security and data protection (within 14 days of starting for administrative staff and leaders, 4 weeks for pedagogical staff, then refreshed at least every 2 years after each completion for as long as the employee is employed) or administrative law (within the first year, for leaders and administrative staff). Reminders to the institution's leader before each deadline; a missed deadline lists the employee as overdue to the institution's leader with the cluster leader in copy.",
  workflowType: 'mandatoryTrainingWorkflow',
  startRoles: ['ledelsessekretariat', 'area-chief'],
  startPersonCheck: (input, actor) =>
    hasAnyRole(actor, ['ledelsessekretariat']) || actor.area === input.area
      ? undefined
      : `An area chief opens training cases for employees of their own area (${actor.area ?? 'none'}) only.`,
  oneOpenCasePer: ['employeeId', 'course'],
  startInput: {
    employeeId: { label: 'Medarbejder (bruger-id)', type: 'string', required: true, maxLength: 100, description: 'The employee (subject id in the identity system)' },
    course: { label: 'Kursus', type: 'enum', required: true, values: TRAINING_COURSES, valueLabels: TRAINING_COURSE_LABELS, description: 'it-security (IT security and data protection) or administrative-law (forvaltningsret)' },
    staffGroup: {
      label: 'Personalegruppe',
      type: 'enum',
      required: true,
      values: STAFF_GROUPS,
      valueLabels: STAFF_GROUP_LABELS,
      description: 'administrative, pedagogical or leader; administrative-law is not required of pedagogical staff (400)',
    },
    employedFrom: { label: 'Ansat fra', type: 'datetime', required: true, description: 'The first day of employment (a date or date-time; may lie in the past or the future)' },
    unit: { label: 'Institution eller enhed', type: 'string', required: true, maxLength: 100, description: 'The institution or unit the employee works in' },
    area: { label: 'Område', type: 'area', required: true, description: 'Områdeforvaltning' },
  },
  startCheck: staffGroupRequired,
  // Read centrally by the secretariat, the HR chief, the direktion and the digitalisation chief
  // (the report's recipients), and the cluster leader (in copy of overdue lists; no claim names a
  // cluster); an area chief reads their own area's cases, an institution leader their own unit's,
  // the complaints unit the administrative-law cases it follows up with the area chiefs.
  // Opening a case gives no access of its own: an area chief who moves loses the old area's cases.
  readRoles: ['ledelsessekretariat', 'hr-chief', 'cluster-leader', 'direktion', 'digitalisation-chief'],
  readScopes: [
    { role: 'area-chief', field: 'area', claim: 'area' },
    { role: 'institution-leader', field: 'unit', claim: 'unit' },
    { role: 'klageenhed', field: 'course', equals: 'administrative-law' },
  ],
  openerView: 'none',
  // What survives anonymisation: what the reports count, never names, free text or identifiers.
  retainedAfterAnonymisation: ['course', 'staffGroup', 'unit', 'area', 'employedFrom', 'completions', 'endedAt'],
  steps: [
    { name: S.awaitingCompletion, label: 'Afventer gennemførelse af kursus' },
    { name: S.awaitingRefresh, label: 'Gennemført – afventer genopfriskning' },
    { name: S.closed, label: 'Afsluttet', terminal: true },
  ],
  initialStep: S.awaitingCompletion,
  deadlines: [
    {
      name: TRAINING_DEADLINES.completion,
      label: 'Gennemførelse af kursus',
      description:
        "The course is completed within the policy number of days of employedFrom (IT security: 14 days for administrative staff and leaders, 28 for pedagogical staff; administrative law: 365 days). Reminders to the institution's leader before it; when missed, the employee is overdue until the completion is recorded.",
      // The figure depends on course and staff group (completionPolicyKey); the workflow passes it and its key.
      rule: { measure: { unit: 'calendar-days', count: 'mandatoryTraining.itSecurityAdministrativeDays' }, from: 'ansættelsen', basis: { policy: 'mandatoryTraining.itSecurityAdministrativeDays' } },
      reminders: [{ when: 'days-before-due', offsets: 'mandatoryTraining.reminderDaysBefore', notify: ['institution-leader'] }],
      escalatesTo: ['institution-leader', 'cluster-leader'],
      runsIn: [S.awaitingCompletion],
    },
    {
      name: TRAINING_DEADLINES.refresh,
      label: 'Genopfriskning af IT-sikkerhedskursus',
      description:
        "IT security only: refreshed within the policy number of years (2) after the latest completion, for as long as the employee is employed. Reminders and escalation as for the first completion.",
      rule: { measure: { unit: 'years', count: 'mandatoryTraining.itSecurityRefreshYears' }, from: 'seneste gennemførelse', basis: { policy: 'mandatoryTraining.itSecurityRefreshYears' } },
      reminders: [{ when: 'days-before-due', offsets: 'mandatoryTraining.reminderDaysBefore', notify: ['institution-leader'] }],
      escalatesTo: ['institution-leader', 'cluster-leader'],
      runsIn: [S.awaitingRefresh],
    },
  ],
  actions: [
    {
      name: 'complete',
      label: 'Kursus gennemført',
      description:
        'Record that the employee completed the course. IT security: the next refresh falls due the policy number of years after completedAt and the case stays open; administrative law: the case closes. Recorded by Ledelsessekretariatet, an area chief or the leader of the employee\'s unit (not by the employee).',
      roles: ['ledelsessekretariat', 'area-chief', 'institution-leader'],
      steps: OPEN_STEPS,
      leadsTo: [S.awaitingRefresh, S.closed],
      input: {
        completedAt: { label: 'Gennemført', type: 'datetime', required: true, notInFuture: true, description: 'When the course was completed (not before employedFrom or an earlier completion)' },
      },
      personCheck: ownUnitOnly('record a completion'),
      inputCheck: completionDateCheck,
    },
    {
      name: 'end-employment',
      label: 'Ansættelse ophørt',
      description: 'The employee has left: the case closes and its pending deadline no longer applies.',
      roles: ['ledelsessekretariat', 'area-chief', 'hr-chief', 'institution-leader'],
      steps: OPEN_STEPS,
      leadsTo: [S.closed],
      input: {
        endedAt: { label: 'Ansættelsen ophørte', type: 'datetime', required: true, notInFuture: true, description: 'When the employment ended' },
      },
      personCheck: ownUnitOnly('record the end of the employment'),
    },
  ],
});
