import { ApplicationFailure, condition } from '@temporalio/workflow';
import {
  CaseErrorCode,
  TASKFORCE_STEPS as S,
  type StartCaseInput,
  type StartInputOf,
  approvingRole,
  deciderLabel,
  decidingRoles,
  formatCopenhagen,
  hasApproved,
  taskforceDefinition,
} from '@buf/domain';
import { CaseRuntime } from './case-kit';

/** The start input, as the definition's schema declares it. */
export type TaskforceStartInput = StartInputOf<typeof taskforceDefinition>;

/**
 * The case's start input, and optionally the history length after which the long-running case
 * continues as new (default: the case kit's). The API never sets it; it travels through every
 * continue-as-new with the rest of the start input.
 */
export type TaskforceWorkflowInput = StartCaseInput<TaskforceStartInput> & { maxHistoryEvents?: number };

/** docs/processes.md, `taskforce`: taskforce support for a school or day-care institution, reviewed every 4 weeks until stability is restored. */
export async function taskforceWorkflow(start: TaskforceWorkflowInput): Promise<void> {
  const { input } = start;
  const c = new CaseRuntime(
    taskforceDefinition,
    start,
    {
      unit: input.unit,
      area: input.area,
      unitType: input.unitType,
      challenges: input.challenges,
      approvals: [],
      loggedActions: [],
      reviews: [],
    },
    input.area,
  );
  const data = c.data;
  const by = (actor: { sub: string; name: string }) => ({ sub: actor.sub, name: actor.name });

  function armNextReview(): void {
    c.startDeadline('review', { from: c.now() });
    c.watch('review');
  }

  c.handleActions({
    approve: async (i, actor, moveTo) => {
      const role = approvingRole(c.snapshot, actor);
      if (!role) {
        throw ApplicationFailure.create({ type: CaseErrorCode.NotAllowedInStep, message: 'This approval is already recorded.', nonRetryable: true });
      }
      data.approvals.push({ role, by: by(actor), at: c.nowIso(), ...(i.note ? { note: i.note } : {}) });
      const other = role === 'area-chief' ? 'hr-chief' : 'area-chief';
      if (!hasApproved(c.snapshot, other)) {
        await c.record(actor, 'approve', {
          note: `Godkendt af ${deciderLabel(role)} – afventer ${deciderLabel(other)}`,
          notify: [{ role: other, kind: 'assignment', subject: `Taskforce-støtte afventer din godkendelse: ${c.describe()}`, body: `${capitalised(deciderLabel(role))} har godkendt taskforce-støtte på ${c.describe()}. Støtten begynder, når også ${deciderLabel(other)} har godkendt.` }],
        });
        return;
      }
      data.decision = { outcome: 'approved', at: c.nowIso() };
      data.supportStartedAt = c.nowIso();
      moveTo(S.supportActive);
      armNextReview();
      await c.record(actor, 'approve', {
        note: `Godkendt af ${deciderLabel(role)} – taskforce-støtten er i gang`,
        notify: (['area-chief', 'hr-chief'] as const).map((r) => ({
          role: r,
          kind: 'information' as const,
          subject: `Taskforce-støtte godkendt: ${c.describe()}`,
          body: `Områdechefen og HR-chefen har godkendt taskforce-støtte på ${c.describe()}. Første statusvurdering: ${c.describe('review')}.`,
        })),
      });
    },
    decline: async (i, actor) => {
      const role = decidingRoles(c.snapshot, actor)[0];
      data.decision = { outcome: 'declined', at: c.nowIso(), role, reason: i.reason };
      await c.close(actor, 'decline', `Taskforce-støtte afvist af ${deciderLabel(role)}`);
    },
    'log-action': async (i, actor) => {
      data.loggedActions.push({ note: i.note, at: c.nowIso(), by: by(actor) });
      await c.record(actor, 'log-action', { note: 'Indsats registreret' });
    },
    'record-review': async (i, actor) => {
      data.reviews.push({ assessment: i.assessment, ...(i.note ? { note: i.note } : {}), at: c.nowIso(), by: by(actor) });
      c.settle('review');
      armNextReview();
      await c.record(actor, 'record-review', {
        note: `Statusvurdering nr. ${data.reviews.length} registreret – næste senest ${formatCopenhagen(Date.parse(c.deadline('review').dueAt))}`,
      });
    },
    'restore-stability': async (i, actor, moveTo) => {
      data.stabilityRestored = { summary: i.summary, at: c.nowIso() };
      c.settle('review'); // no more reviews once stability is restored
      moveTo(S.stabilityRestored);
      await c.record(actor, 'restore-stability', { note: 'Stabilitet genoprettet – taskforce-støtten afsluttes' });
    },
    close: async (i, actor) => {
      if (i.note) data.closeNote = i.note;
      await c.close(actor, 'close');
    },
  });

  if (!c.continued) {
    await c.record(start.actor, 'opened', {
      note: `Taskforce-støtte anmodet (${input.unitType === 'school' ? 'skole' : 'dagtilbud'})`,
      notify: (['area-chief', 'hr-chief'] as const).map((role) => ({
        role,
        kind: 'assignment' as const,
        subject: `Beslut om taskforce-støtte: ${c.describe()}`,
        body: `Der er anmodet om taskforce-støtte på ${c.describe()}. Områdechefen og HR-chefen skal begge godkende, før støtten begynder.`,
      })),
    });
  } else if (c.snapshot.status === 'open' && c.snapshot.deadlines.some((d) => d.name === 'review') && c.deadline('review').state === 'pending') {
    // The previous run's timers ended with it: the pending review is watched again (no second 'opened').
    c.watch('review');
  }

  // Runs started before continued as new only after a recorded review; now run() continues as
  // new whenever it is due (logged actions alone grow the history too).
  if (!c.continuesWhenDue()) {
    let reviewsSeen = data.reviews.length;
    while (c.snapshot.status === 'open') {
      await condition(() => c.snapshot.status !== 'open' || data.reviews.length !== reviewsSeen);
      reviewsSeen = data.reviews.length;
      if (c.snapshot.status === 'open') await c.continueAsNewIfDue(start.maxHistoryEvents);
    }
  }
  await c.run(start.maxHistoryEvents ?? start.historyLimit);
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
