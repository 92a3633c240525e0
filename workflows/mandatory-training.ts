import { condition } from '@temporalio/workflow';
import {
  MANDATORY_TRAINING_STEPS as S,
  type StartCaseInput,
  type StartInputOf,
  TRAINING_COURSE_LABELS,
  TRAINING_DEADLINES as D,
  completionDays,
  completionPolicyKey,
  formatCopenhagen,
  mandatoryTrainingDefinition,
} from '@buf/domain';
import { CaseRuntime, type DeadlineStart } from './case-kit';

type TrainingDeadline = (typeof D)[keyof typeof D];

/** The start input, as the definition's schema declares it. */
export type MandatoryTrainingStartInput = StartInputOf<typeof mandatoryTrainingDefinition>;

/**
 * A refresh cycle adds 25 to 50 history events (update, journal activity, reminder timers), so a
 * case continues as new about every fifth completion, roughly once a decade: replays stay short
 * and a new run picks up the current workflow code. Temporal's own suggestion
 * (continueAsNewSuggested) is honoured as well.
 */
export const TRAINING_HISTORY_LIMIT = 200;

/**
 * docs/processes.md, `mandatory-training`: one employee and one course, for as long as the employee is employed.
 * IT security: the first completion within 14 or 28 days of employedFrom, then a refresh due
 * 2 years after each completion (policy). Administrative law: within a year; the case closes
 * on completion. After each completion the case continues as new when its history has grown;
 * a continued run re-arms the pending deadline from the snapshot and journals nothing itself.
 */
export async function mandatoryTrainingWorkflow(start: StartCaseInput<MandatoryTrainingStartInput>): Promise<void> {
  const { input } = start;
  const policy = start.policy.mandatoryTraining;
  const c = new CaseRuntime(
    mandatoryTrainingDefinition,
    start,
    {
      employeeId: input.employeeId,
      course: input.course,
      staffGroup: input.staffGroup,
      unit: input.unit,
      area: input.area,
      employedFrom: input.employedFrom,
      completions: [],
    },
    input.area,
  );
  const data = c.data;

  /** The deadline the employee works towards in the current step. */
  const outstanding = (): TrainingDeadline => (c.snapshot.step === S.awaitingRefresh ? D.refresh : D.completion);

  function arm(name: TrainingDeadline, start: DeadlineStart): number {
    data.dueAt = c.startDeadline(name, start).dueAt;
    return Date.parse(data.dueAt);
  }

  c.handleActions({
    complete: async (i, actor, moveTo) => {
      const completedAt = i.completedAt;
      const deadline = c.deadline(outstanding());
      const late = Date.parse(completedAt) > Date.parse(deadline.dueAt);
      data.completions.push({ completedAt });
      c.settle(deadline.name);
      const done = `Kursus gennemført${late ? ' efter fristen' : ''}`;
      if (data.course === 'administrative-law') {
        delete data.dueAt;
        await c.close(actor, 'complete', `${done}; sagen er afsluttet`);
        return;
      }
      const refreshDue = arm(D.refresh, { from: completedAt });
      moveTo(S.awaitingRefresh);
      await c.record(actor, 'complete', { note: `${done}. Næste genopfriskning senest ${formatCopenhagen(refreshDue)}` });
      // After the entry: a refresh already overdue (an old completion) escalates after it, not before.
      c.watch(D.refresh);
    },
    'end-employment': async (i, actor) => {
      data.endedAt = i.endedAt;
      delete data.dueAt;
      await c.close(actor, 'end-employment', 'Ansættelsen er ophørt; sagen er afsluttet');
    },
  });

  if (c.continued) {
    // The pending deadline's timers ended with the previous run. A missed one was escalated there.
    const pending = c.snapshot.deadlines.filter((d) => d.state === 'pending').at(-1);
    if (pending && c.snapshot.status === 'open') c.watch(pending.name);
  } else {
    arm(D.completion, {
      from: input.employedFrom,
      count: completionDays(input.course, input.staffGroup, policy),
      basis: { policy: `mandatoryTraining.${completionPolicyKey(input.course, input.staffGroup) ?? ''}` },
    });
    await c.record(start.actor, 'opened', {
      note: `${TRAINING_COURSE_LABELS[input.course]}: gennemføres senest ${formatCopenhagen(Date.parse(c.deadline(D.completion).dueAt))}`,
      notify: [
        {
          role: 'institution-leader',
          kind: 'assignment',
          subject: `Obligatorisk kursus: ${c.describe()}`,
          body: `En medarbejder i enheden skal gennemføre et obligatorisk kursus. ${c.describe(D.completion)}.`,
        },
      ],
    });
    c.watch(D.completion);
  }

  // Continue as new only between completions, from the main loop (never inside a handler).
  let completions = data.completions.length;
  while (c.snapshot.status === 'open') {
    await condition(() => c.snapshot.status === 'closed' || data.completions.length > completions);
    completions = data.completions.length;
    if (c.snapshot.status === 'open') await c.continueAsNewIfDue(start.historyLimit ?? TRAINING_HISTORY_LIMIT);
  }
  await c.run(start.historyLimit ?? TRAINING_HISTORY_LIMIT);
}
