import {
  COMPLAINT_STEPS as S,
  SYSTEM_ACTOR,
  type ComplaintCategory,
  type ComplaintChannel,
  type ComplaintHandlingMethod,
  type ComplaintLawfulHandling,
  type ComplaintUnitType,
  type StartCaseInput,
  type StartInputOf,
  complaintDefinition,
} from '@buf/domain';
import { CaseRuntime } from './case-kit';

/** The start input, as the definition's schema declares it. */
export type ComplaintStartInput = StartInputOf<typeof complaintDefinition>;

/** Danish words for the journal (staff read it). */
const CHANNEL: Record<ComplaintChannel, string> = { phone: 'telefon', email: 'e-mail', webform: 'webformular' };
const UNIT_TYPE: Record<ComplaintUnitType, string> = { school: 'skole', daycare: 'dagtilbud' };
const CATEGORY: Record<ComplaintCategory, string> = {
  'case-handling': 'sagsbehandling',
  conduct: 'adfærd',
  'service-level': 'serviceniveau',
  realitetsklage: 'realitetsklage',
  unclear: 'uklar',
};
const METHOD: Record<ComplaintHandlingMethod, string> = { dialogue: 'dialog', meeting: 'møde', written: 'skriftligt' };
const LAWFUL: Record<ComplaintLawfulHandling, string> = { yes: 'ja', no: 'nej', partly: 'delvist' };

/** docs/processes.md, `complaint`: a complaint to the central complaints unit, from registration to the answer. */
export async function complaintWorkflow(start: StartCaseInput<ComplaintStartInput>): Promise<void> {
  const { input, policy } = start;
  const receivedAt = input.receivedAt ?? start.openedAt;
  const c = new CaseRuntime(
    complaintDefinition,
    start,
    {
      channel: input.channel,
      area: input.area,
      unit: input.unit,
      unitType: input.unitType,
      subject: input.subject,
      receivedAt,
      classifications: [],
      handling: [],
    },
    input.area,
  );
  const data = c.data;
  if (!c.continued) {
    c.startDeadline('acknowledgement', { from: receivedAt });
    c.startDeadline('answer', { from: receivedAt });
  }
  c.watchAs('citizen-clarification', { onMissed: () => closeWithoutAnswer() });

  c.handleActions({
    acknowledge: async (i, actor) => {
      data.acknowledgedAt = c.nowIso();
      if (i.note) data.acknowledgementNote = i.note;
      c.settle('acknowledgement');
      await c.record(actor, 'acknowledge', { note: 'Kvittering for modtagelse sendt til borgeren' });
    },
    classify: async (i, actor, moveTo) => {
      const category = i.category;
      data.category = category;
      data.classifications.push({ category, at: c.nowIso(), ...(i.note ? { note: i.note } : {}) });
      switch (category) {
        case 'realitetsklage':
          data.guidance = i.guidance;
          data.resolution = 'guided-to-complaint-body';
          await c.close(actor, 'classify', `Realitetsklage – borgeren er vejledt om at klage til ${data.guidance}`);
          return;
        case 'unclear':
          data.clarification = { requestedAt: c.nowIso() };
          moveTo(S.awaitingCitizen);
          c.startDeadline('citizen-clarification', { from: c.now() });
          c.watch('citizen-clarification');
          await c.record(actor, 'classify', { note: `Uklar henvendelse – borgeren er spurgt, om den er ment som en klage (${c.describe('citizen-clarification')})` });
          return;
        case 'case-handling':
        case 'conduct':
        case 'service-level':
          moveTo(S.handling);
          await c.record(actor, 'classify', { note: `Kategori: ${CATEGORY[category]}` });
          return;
      }
    },
    'record-citizen-answer': async (i, actor, moveTo) => {
      const answer = i.answer;
      data.clarification = { requestedAt: data.clarification?.requestedAt ?? c.nowIso(), answer, answeredAt: c.nowIso(), ...(i.note ? { note: i.note } : {}) };
      c.settle('citizen-clarification');
      if (answer === 'not-a-complaint') {
        data.resolution = 'not-a-complaint';
        await c.close(actor, 'record-citizen-answer', 'Borgeren oplyser, at henvendelsen ikke er en klage');
        return;
      }
      moveTo(S.registered);
      await c.record(actor, 'record-citizen-answer', { note: 'Borgeren bekræfter, at henvendelsen er en klage – klagen kategoriseres' });
    },
    'record-handling': async (i, actor) => {
      const method = i.method;
      data.handling.push({ method, note: i.note, at: c.nowIso() });
      await c.record(actor, 'record-handling', { note: `Behandlet med enheden: ${METHOD[method]}` });
    },
    answer: async (i, actor) => {
      const lawful = i.lawfulHandling;
      data.answeredAt = c.nowIso();
      data.lawfulHandling = lawful;
      data.outcome = i.outcome;
      data.learningPoint = i.learningPoint;
      data.resolution = 'answered';
      // The answer also tells the citizen the complaint was received.
      c.settle('acknowledgement');
      c.settle('answer');
      await c.close(actor, 'answer', `Klagen er besvaret; lovmedholdelig sagsbehandling: ${LAWFUL[lawful]}`);
    },
  });

  async function closeWithoutAnswer(): Promise<void> {
    c.settle('citizen-clarification');
    data.resolution = 'no-citizen-answer';
    data.closedAutomatically = true;
    await c.close(SYSTEM_ACTOR, 'closed-automatically', `Borgeren har ikke svaret inden for ${policy.complaint.citizenClarificationDays} dage – sagen er afsluttet`);
  }

  // A continued run journals nothing itself; run() re-arms its pending deadlines.
  if (!c.continued) {
    await c.record(start.actor, 'opened', {
      note: `Registreret: modtaget via ${CHANNEL[input.channel]}, ${UNIT_TYPE[input.unitType]}`,
      notify: [
        {
          role: 'klageenhed',
          kind: 'assignment',
          subject: `Ny klage registreret: ${c.describe()}`,
          body: `En klage er registreret. ${c.describe('acknowledgement')}. ${c.describe('answer')}.`,
        },
      ],
    });
    c.watch('acknowledgement');
    c.watch('answer');
  }
  await c.run(start.historyLimit);
}
