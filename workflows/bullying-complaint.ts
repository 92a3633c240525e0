import {
  BULLYING_RESPONSE_DAYS,
  BULLYING_STEPS as S,
  SYSTEM_ACTOR,
  type BullyingOutcome,
  type StartCaseInput,
  type StartInputOf,
  bullyingComplaintDefinition,
  formatCopenhagen,
} from '@buf/domain';
import { CaseRuntime, type Notice } from './case-kit';

/** The start input, as the definition's schema declares it. */
export type BullyingComplaintStartInput = StartInputOf<typeof bullyingComplaintDefinition>;

const OUTCOME: Record<BullyingOutcome, string> = { upheld: 'fuldt medhold', 'partly-upheld': 'delvist medhold', rejected: 'ikke medhold' };

/** docs/processes.md, `bullying-complaint`: a bullying complaint to the municipal complaint body (Undervisningsmiljøloven). */
export async function bullyingComplaintWorkflow(start: StartCaseInput<BullyingComplaintStartInput>): Promise<void> {
  const { input } = start;
  const receivedAt = input.receivedAt ?? start.openedAt;
  const c = new CaseRuntime(
    bullyingComplaintDefinition,
    start,
    {
      school: input.school,
      area: input.area,
      complainant: input.complainant,
      receivedAt,
      handledLocallyFirst: input.handledLocallyFirst,
      grounds: input.grounds,
    },
    input.area,
  );
  const data = c.data;
  c.startDeadline('decision', { from: receivedAt });

  const forwardNotice = (why: string): Notice => ({
    role: 'fagligt-center',
    kind: 'assignment',
    subject: `Videresend straks til Den Nationale Klageinstans mod Mobning: ${c.describe()}`,
    body: `${why} ${c.describe()} skal straks videresendes til Den Nationale Klageinstans mod Mobning med de krævede dokumenter.`,
  });

  c.handleActions({
    'assess-admissibility': async (i, actor, moveTo) => {
      const admissible = i.admissible;
      data.admissibility = { admissible, reason: i.reason, at: c.nowIso() };
      if (admissible === 'yes') {
        moveTo(S.assessment);
        await c.record(actor, 'assess-admissibility', { note: 'Klagen kan behandles – vurderes efter klagegrundene' });
        return;
      }
      if (data.handledLocallyFirst === 'no') {
        data.resolution = 'returned-to-school';
        await c.close(actor, 'assess-admissibility', 'Klagen er ikke behandlet lokalt først – sendt tilbage til skolen til lokal behandling');
        return;
      }
      data.resolution = 'inadmissible';
      await c.close(actor, 'assess-admissibility', 'Klagen kan ikke behandles af den kommunale klageinstans – afvist');
    },
    decide: async (i, actor, moveTo) => {
      const outcome = i.outcome;
      const decidedAt = c.now();
      data.decidedAt = new Date(decidedAt).toISOString();
      data.decision = {
        outcome,
        reasoning: i.reasoning,
        at: data.decidedAt,
        ...(i.schoolMustActBy ? { schoolMustActBy: i.schoolMustActBy } : {}),
      };
      c.settle('decision');
      if (outcome === 'upheld') {
        data.resolution = 'upheld';
        moveTo(S.readyToClose);
        const actBy = i.schoolMustActBy !== undefined ? formatCopenhagen(Date.parse(i.schoolMustActBy)) : '(ikke angivet)';
        await c.record(actor, 'decide', { note: `Afgørelse: ${OUTCOME[outcome]} – skolen skal handle senest ${actBy}` });
        return;
      }
      moveTo(S.awaitingResponse);
      c.startDeadline('complainant-response', { from: decidedAt });
      c.watch('complainant-response', { onMissed: () => forwardAfterSilence() });
      await c.record(actor, 'decide', { note: `Afgørelse: ${OUTCOME[outcome]} – ${c.describe('complainant-response')}` });
    },
    'register-response': async (i, actor, moveTo) => {
      const satisfied = i.satisfied;
      data.response = { satisfied, at: c.nowIso() };
      c.settle('complainant-response');
      if (satisfied === 'yes') {
        data.resolution = 'accepted';
        moveTo(S.readyToClose);
        await c.record(actor, 'register-response', { note: 'Klager er tilfreds med afgørelsen' });
        return;
      }
      data.forwardReason = 'dissatisfied';
      moveTo(S.forwardToNationalBody);
      await c.record(actor, 'register-response', {
        note: 'Klager er ikke tilfreds med afgørelsen – sagen videresendes til Den Nationale Klageinstans mod Mobning',
        notify: [forwardNotice('Klager er ikke tilfreds med afgørelsen.')],
      });
    },
    forward: async (i, actor) => {
      data.forwarding = { reference: i.reference, documents: i.documents.map(String), at: c.nowIso() };
      data.resolution = 'forwarded';
      await c.close(actor, 'forward', `Videresendt til Den Nationale Klageinstans mod Mobning (reference ${data.forwarding.reference})`);
    },
    close: async (i, actor) => {
      if (i.note) data.closeNote = i.note;
      await c.close(actor, 'close', 'Sagen er afsluttet');
    },
  });

  async function forwardAfterSilence(): Promise<void> {
    c.settle('complainant-response');
    data.forwardReason = 'no-response';
    c.setStep(S.forwardToNationalBody);
    const why = `Klager har ikke svaret inden for ${BULLYING_RESPONSE_DAYS} dage efter afgørelsen.`;
    await c.record(SYSTEM_ACTOR, 'complainant-response-window-passed', {
      note: `${why} Sagen videresendes til Den Nationale Klageinstans mod Mobning`,
      notify: [forwardNotice(why)],
    });
  }

  await c.record(start.actor, 'opened', {
    note: `Klage over mobning modtaget; behandlet lokalt først: ${input.handledLocallyFirst === 'yes' ? 'ja' : 'nej'}`,
    notify: [
      {
        role: 'fagligt-center',
        kind: 'assignment',
        subject: `Ny klage over mobning: ${c.describe()}`,
        body: `En klage over mobning er modtaget. ${c.describe('decision')}.`,
      },
    ],
  });
  c.watch('decision');
  await c.run();
}
