import {
  DATA_BREACH_STEPS as S,
  type StartCaseInput,
  type StartInputOf,
  dataBreachDefinition,
} from '@buf/domain';
import { CaseRuntime } from './case-kit';

/** The start input, as the definition's schema declares it. */
export type DataBreachStartInput = StartInputOf<typeof dataBreachDefinition>;

/** docs/processes.md, `data-breach`: a possible personal-data breach, with the 72-hour rule of GDPR Art. 33. */
export async function dataBreachWorkflow(start: StartCaseInput<DataBreachStartInput>): Promise<void> {
  const { input } = start;
  const c = new CaseRuntime(
    dataBreachDefinition,
    start,
    {
      discoveredAt: input.discoveredAt,
      unit: input.unit,
      description: input.description,
      dataCategories: input.dataCategories,
      ...(input.approxAffected !== undefined ? { approxAffected: input.approxAffected } : {}),
      channel: input.channel,
      supplements: [],
    },
    input.area,
  );
  const data = c.data;
  c.startDeadline('datatilsynet-72h', { from: input.discoveredAt });

  c.handleActions({
    triage: async (i, actor, moveTo) => {
      const outcome = i.outcome as 'breach' | 'not-a-breach';
      data.triage = { outcome, reason: i.reason, at: c.nowIso() };
      if (outcome === 'breach') {
        moveTo(S.riskAssessment);
        await c.record(actor, 'triage', { note: 'Vurderet som et sikkerhedsbrud' });
        return;
      }
      data.outcome = 'recategorised';
      c.settle('datatilsynet-72h');
      await c.close(actor, 'triage', `Omkategoriseret – ikke et sikkerhedsbrud: ${i.reason}`);
    },
    'assess-risk': async (i, actor, moveTo) => {
      const level = i.risk;
      data.risk = { level, rationale: i.rationale, at: c.nowIso() };
      if (level === 'none') {
        // Art. 33(5): documented only; that documentation is what the 72 hours demanded.
        c.settle('datatilsynet-72h');
        moveTo(S.readyToClose);
      } else {
        moveTo(S.notifyAuthority);
      }
      await c.record(actor, 'assess-risk', { note: `Risiko: ${level}` });
    },
    'notify-datatilsynet': async (i, actor, moveTo) => {
      const submittedAt = i.submittedAt ? i.submittedAt : c.nowIso();
      const late = Date.parse(submittedAt) > Date.parse(c.deadline('datatilsynet-72h').dueAt);
      data.authorityNotification = {
        reference: i.reference,
        submittedAt,
        late,
        ...(i.delayReason ? { delayReason: i.delayReason } : {}),
      };
      c.settle('datatilsynet-72h');
      moveTo(data.risk?.level === 'high' ? S.informSubjects : S.readyToClose);
      await c.record(actor, 'notify-datatilsynet', {
        note: `Anmeldt til Datatilsynet (reference ${i.reference})${late ? ' efter fristen' : ''}`,
      });
    },
    'notify-data-subjects': async (i, actor, moveTo) => {
      data.subjectNotice = { kind: 'informed', method: i.method, count: i.count, at: c.nowIso() };
      moveTo(S.readyToClose);
      await c.record(actor, 'notify-data-subjects', { note: `${i.count} registrerede underrettet` });
    },
    'record-subject-notice-exception': async (i, actor, moveTo) => {
      data.subjectNotice = { kind: 'exception', reason: i.reason, at: c.nowIso() };
      moveTo(S.readyToClose);
      await c.record(actor, 'record-subject-notice-exception', { note: 'Undtagelse fra underretning (art. 34, stk. 3)' });
    },
    'supplement-notification': async (i, actor) => {
      data.supplements.push({ note: i.note, at: c.nowIso() });
      await c.record(actor, 'supplement-notification', { note: 'Anmeldelsen er suppleret' });
    },
    close: async (i, actor) => {
      data.outcome = 'handled';
      data.summary = i.summary;
      await c.close(actor, 'close');
    },
  });

  await c.record(start.actor, 'opened', {
    note: `Anmeldt via ${input.channel}`,
    notify: [{ role: 'gdpr', kind: 'assignment', subject: `Nyt sikkerhedsbrud: ${c.describe()}`, body: `Et muligt sikkerhedsbrud er anmeldt. ${c.describe('datatilsynet-72h')}.` }],
  });
  c.watch('datatilsynet-72h');
  await c.run();
}
