import type { ActorRef, CaseSnapshot } from '../case';
import { defineProcess } from '../process-definition';
import type { Actor } from '../roles';

export type TaskforceDecider = 'area-chief' | 'hr-chief';
export type UnitType = 'school' | 'daycare';

export interface TaskforceData {
  unit: string;
  /** The områdeforvaltning: its area chief decides and reads the case. */
  area: string;
  unitType: UnitType;
  /** The collaboration problems the unit could not solve locally. */
  challenges: string;
  /** Who approved, as which of the two deciding roles. */
  approvals: { role: TaskforceDecider; by: ActorRef; at: string; note?: string }[];
  decision?: { outcome: 'approved' | 'declined'; at: string; role?: TaskforceDecider; reason?: string };
  supportStartedAt?: string;
  loggedActions: { note: string; at: string; by: ActorRef }[];
  reviews: { assessment: string; note?: string; at: string; by: ActorRef }[];
  stabilityRestored?: { summary: string; at: string };
  closeNote?: string;
}

type TaskforceCase = CaseSnapshot<TaskforceData>;

export const TASKFORCE_STEPS = {
  awaitingDecision: 'awaiting-decision',
  supportActive: 'support-active',
  stabilityRestored: 'stability-restored',
  closed: 'closed',
} as const;

const S = TASKFORCE_STEPS;

export const TASKFORCE_DECIDERS: readonly TaskforceDecider[] = ['area-chief', 'hr-chief'];

const DECIDER_LABELS: Readonly<Record<TaskforceDecider, string>> = { 'area-chief': 'områdechefen', 'hr-chief': 'HR-chefen' };

export function deciderLabel(role: TaskforceDecider): string {
  return DECIDER_LABELS[role];
}

/**
 * The deciding roles a person holds on this case: the HR chief always, an area chief only for the
 * case's own area (the `area` claim of the token).
 */
export function decidingRoles(c: Pick<TaskforceCase, 'area'>, actor: Actor): TaskforceDecider[] {
  return TASKFORCE_DECIDERS.filter((role) => actor.roles.includes(role) && (role === 'hr-chief' || (actor.area !== undefined && actor.area === c.area)));
}

export function hasApproved(c: TaskforceCase, role: TaskforceDecider): boolean {
  return c.data.approvals.some((a) => a.role === role);
}

/** The role a person approves as: the first deciding role they hold that has not approved yet. */
export function approvingRole(c: TaskforceCase, actor: Actor): TaskforceDecider | undefined {
  return decidingRoles(c, actor).find((role) => !hasApproved(c, role));
}

function ownCaseOnly(c: TaskforceCase, actor: Actor): string | undefined {
  return decidingRoles(c, actor).length > 0
    ? undefined
    : `Only the area chief of area ${c.area ?? '(none)'} or the HR chief may act on this taskforce case.`;
}

function approvalRefusal(c: TaskforceCase, actor: Actor): string | undefined {
  if (c.data.approvals.some((a) => a.by.sub === actor.sub)) return 'You have already approved; the other deciding role must approve.';
  const roles = decidingRoles(c, actor);
  if (roles.length === 0) return undefined; // not a decider on this case: the person check answers (403)
  if (roles.every((role) => hasApproved(c, role))) {
    const waitingFor = TASKFORCE_DECIDERS.filter((role) => !hasApproved(c, role));
    return `The ${roles.join(' and the ')} has already approved; waiting for the ${waitingFor.join(' and the ')}.`;
  }
  return undefined;
}

const DECIDERS_ONLY = { roles: TASKFORCE_DECIDERS, personCheck: ownCaseOnly } as const;

export const taskforceDefinition = defineProcess<TaskforceData>()({
  name: 'taskforce',
  label: 'Taskforce-støtte',
  description:
    'Taskforce support for a day-care institution or school that cannot solve collaboration problems locally: the area chief and the HR chief must both approve (either may decline); while support is active, actions are logged and the status is reviewed every 4 weeks (policy) until stability is restored.',
  workflowType: 'taskforceWorkflow',
  startRoles: ['area-chief'],
  startPersonCheck: (input, actor) =>
    actor.area === input.area ? undefined : `An area chief requests taskforce support for their own area (${actor.area ?? 'none'}) only.`,
  startInput: {
    unit: { label: 'Institution eller skole', type: 'string', required: true, maxLength: 100, description: 'The institution or school' },
    area: { label: 'Område', type: 'area', required: true, description: 'Områdeforvaltning' },
    unitType: { label: 'Enhedstype', type: 'enum', required: true, values: ['school', 'daycare'], valueLabels: { school: 'Skole', daycare: 'Dagtilbud' }, description: 'School or day care' },
    challenges: { label: 'Samarbejdsudfordringer', type: 'string', required: true, maxLength: 10_000, description: 'The collaboration problems that could not be solved locally' },
  },
  // Staff collaboration problems: read by the HR chief, the direktion, the secretariat, and the
  // area chief of the case's own area only.
  readRoles: ['hr-chief', 'direktion', 'ledelsessekretariat'],
  // What survives anonymisation: what the reports count, never names, free text or identifiers.
  retainedAfterAnonymisation: ['unit', 'area', 'unitType', 'decision.outcome', 'decision.at', 'supportStartedAt', 'stabilityRestored.at'],
  readScopes: [{ role: 'area-chief', field: 'area', claim: 'area' }],
  // Requesting support gives no access of its own: an area chief who moves to another area loses the case.
  openerView: 'none',
  steps: [
    { name: S.awaitingDecision, label: 'Anmodet – afventer områdechef og HR-chef' },
    { name: S.supportActive, label: 'Taskforce-støtte i gang' },
    { name: S.stabilityRestored, label: 'Stabilitet genoprettet' },
    { name: S.closed, label: 'Afsluttet', terminal: true },
  ],
  initialStep: S.awaitingDecision,
  deadlines: [
    {
      name: 'review',
      label: 'Statusvurdering',
      description:
        'While support is active the status is reviewed every policy number of days (default 4 weeks); each review arms the next. The area chief is reminded before it; escalation to the area chief and the HR chief when it is missed.',
      rule: { measure: { unit: 'calendar-days', count: 'taskforce.reviewEveryDays' }, from: 'støttens start eller seneste statusvurdering', basis: { policy: 'taskforce.reviewEveryDays' } },
      reminders: [{ when: 'days-before-due', offsets: 'taskforce.reviewReminderDaysBefore', notify: ['area-chief'] }],
      escalatesTo: ['area-chief', 'hr-chief'],
      runsIn: [S.supportActive],
    },
  ],
  actions: [
    {
      name: 'approve',
      label: 'Taskforce-støtte godkendt',
      description: 'The area chief and the HR chief each approve; support starts when both have.',
      ...DECIDERS_ONLY,
      steps: [S.awaitingDecision],
      leadsTo: [S.awaitingDecision, S.supportActive],
      input: { note: { label: 'Bemærkning', type: 'string', required: false, maxLength: 2_000, description: 'Comment' } },
      precondition: (c, _input, actor) => approvalRefusal(c, actor),
    },
    {
      name: 'decline',
      label: 'Taskforce-støtte afvist',
      description: 'The area chief or the HR chief declines; the case closes as declined.',
      ...DECIDERS_ONLY,
      steps: [S.awaitingDecision],
      leadsTo: [S.closed],
      input: { reason: { label: 'Begrundelse for afslag', type: 'string', required: true, maxLength: 5_000, description: 'Why support is declined' } },
    },
    {
      name: 'log-action',
      label: 'Indsats registreret',
      description: 'Log an action taken by the taskforce.',
      ...DECIDERS_ONLY,
      steps: [S.supportActive],
      leadsTo: [],
      input: { note: { label: 'Hvad der blev gjort', type: 'string', required: true, maxLength: 5_000, description: 'What was done' } },
      limit: {
        max: 500,
        list: 'loggedActions',
        why: 'one logged action every working day for two years of support; support is reviewed every 4 weeks and ends when stability is restored, usually within months',
      },
    },
    {
      name: 'record-review',
      label: 'Statusvurdering registreret',
      description: 'Record the status review; the next review is due a policy number of days later.',
      ...DECIDERS_ONLY,
      steps: [S.supportActive],
      leadsTo: [],
      input: {
        assessment: { label: 'Statusvurdering', type: 'string', required: true, maxLength: 5_000, description: 'The status assessment' },
        note: { label: 'Bemærkning', type: 'string', required: false, maxLength: 2_000, description: 'Comment' },
      },
      limit: {
        max: 200,
        list: 'reviews',
        why: 'a review every 4 weeks for 15 years; each arms the next review deadline, so the case grows with them',
      },
    },
    {
      name: 'restore-stability',
      label: 'Stabilitet genoprettet',
      description: 'Stability is restored: the taskforce ends its support and reviews stop.',
      ...DECIDERS_ONLY,
      steps: [S.supportActive],
      leadsTo: [S.stabilityRestored],
      input: { summary: { label: 'Resumé af indsatsen og resultatet', type: 'string', required: true, maxLength: 10_000, description: 'Summary of the support and the result' } },
    },
    {
      name: 'close',
      label: 'Sagen afsluttet',
      description: 'Close the case once stability is restored.',
      ...DECIDERS_ONLY,
      steps: [S.stabilityRestored],
      leadsTo: [S.closed],
      input: { note: { label: 'Bemærkning', type: 'string', required: false, maxLength: 2_000, description: 'Comment' } },
    },
  ],
});
