import {
  DATA_BREACH_STEPS as S,
  RISK_LABELS,
  type StartCaseInput,
  type StartInputOf,
  breachStepFor,
  dataBreachDefinition,
} from '@buf/domain';
import { CaseRuntime } from './case-kit';

/** Art. 34(3)'s letters, as the journal names the exception. */
const EXCEPTION_LETTERS = { unintelligible: 'litra a', 'risk-removed': 'litra b', 'disproportionate-effort': 'litra c, offentlig meddelelse' } as const;

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
  if (!c.continued) c.startDeadline('datatilsynet-72h', { from: input.discoveredAt });

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
    'reassess-risk': async (i, actor, moveTo) => {
      const from = data.risk?.level ?? 'none';
      const at = c.nowIso();
      data.risk = { level: i.risk, rationale: i.reason, at };
      (data.reassessments ??= []).push({ from, to: i.risk, reason: i.reason, at });
      // Art. 33 follows the new level while Datatilsynet is not notified: lowered to none, "no
      // notification needed" is documented; raised above none, the 72 hours are owed again, still
      // counted from discovery (Art. 33(1): "after having become aware of it").
      const rearm = !data.authorityNotification && i.risk !== 'none' && c.deadline('datatilsynet-72h').settledAt !== undefined;
      if (!data.authorityNotification && i.risk === 'none') c.settle('datatilsynet-72h');
      if (rearm) c.startDeadline('datatilsynet-72h', { from: data.discoveredAt });
      moveTo(breachStepFor(data));
      await c.record(actor, 'reassess-risk', { note: `Risiko revurderet fra ${RISK_LABELS[from]} til ${RISK_LABELS[i.risk]}. Begrundelse: ${i.reason}` });
      if (rearm) c.watch('datatilsynet-72h');
    },
    'notify-datatilsynet': async (i, actor, moveTo) => {
      const submittedAt = i.submittedAt ? i.submittedAt : c.nowIso();
      const late = Date.parse(submittedAt) > Date.parse(c.deadline('datatilsynet-72h').dueAt);
      data.authorityNotification = {
        reference: i.reference,
        submittedAt,
        late,
        ...(i.delayReason ? { delayReason: i.delayReason } : {}),
        nature: i.nature,
        subjectCategories: i.subjectCategories,
        approxSubjects: i.approxSubjects,
        recordCategories: i.recordCategories,
        approxRecords: i.approxRecords,
        contactPoint: i.contactPoint,
        likelyConsequences: i.likelyConsequences,
        measures: i.measures,
      };
      c.settle('datatilsynet-72h');
      moveTo(breachStepFor(data));
      await c.record(actor, 'notify-datatilsynet', {
        note: `Anmeldt til Datatilsynet (reference ${i.reference})${late ? ' efter fristen' : ''}`,
      });
    },
    'notify-data-subjects': async (i, actor, moveTo) => {
      data.subjectNotice = { kind: 'informed', method: i.method, count: i.count, at: c.nowIso() };
      moveTo(breachStepFor(data));
      await c.record(actor, 'notify-data-subjects', { note: `${i.count} registrerede underrettet` });
    },
    'record-subject-notice-exception': async (i, actor, moveTo) => {
      data.subjectNotice = {
        kind: 'exception',
        ground: i.ground,
        reason: i.reason,
        ...(i.publicCommunication ? { publicCommunication: i.publicCommunication } : {}),
        at: c.nowIso(),
      };
      moveTo(breachStepFor(data));
      await c.record(actor, 'record-subject-notice-exception', { note: `Undtagelse fra underretning (art. 34, stk. 3, ${EXCEPTION_LETTERS[i.ground]})` });
    },
    'supplement-notification': async (i, actor) => {
      data.supplements.push({ note: i.note, at: c.nowIso() });
      await c.record(actor, 'supplement-notification', { note: `Anmeldelsen er suppleret (${data.supplements.length}. supplering)` });
    },
    close: async (i, actor) => {
      data.outcome = 'handled';
      data.summary = i.summary;
      await c.close(actor, 'close');
    },
  });

  // A continued run journals nothing itself; run() re-arms its pending deadlines.
  if (!c.continued) {
    await c.record(start.actor, 'opened', {
      note: `Anmeldt via ${input.channel}`,
      notify: [{ role: 'gdpr', kind: 'assignment', subject: `Nyt sikkerhedsbrud: ${c.describe()}`, body: `Et muligt sikkerhedsbrud er anmeldt. ${c.describe('datatilsynet-72h')}.` }],
    });
    c.watch('datatilsynet-72h');
  }
  await c.run(start.historyLimit);
}
