import {
  BULLYING_RESPONSE_DAYS,
  BULLYING_STEPS as S,
  SYSTEM_ACTOR,
  bullyingActionPlanOutstanding,
  type BullyingOutcome,
  type StartCaseInput,
  type StartInputOf,
  bullyingComplaintDefinition,
  formatCopenhagen,
} from '@buf/domain';
import { patched } from '@temporalio/workflow';
import { CaseRuntime, type Notice } from './case-kit';

/**
 * Patch id: a dismissal (not for want of local handling) opens the complainant's response window
 * instead of closing the case. Runs started before keep closing it.
 */
const DISMISSAL_OPENS_RESPONSE_WINDOW = 'bullying-dismissal-response-window';
/** Patch id: the forwarding to the national body is a deadline with reminder and escalation. */
const FORWARDING_DEADLINE = 'bullying-forwarding-deadline';

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
  if (!c.continued) c.startDeadline('decision', { from: receivedAt });
  c.watchAs('complainant-response', { onMissed: () => forwardAfterSilence() });

  /** A decision not fully in the complainant's favour: their response window opens; silence forwards the case. */
  function openResponseWindow(from: number): void {
    c.startDeadline('complainant-response', { from });
    c.watch('complainant-response');
  }

  /** The case is to be forwarded at once from `from`: the forwarding deadline runs (runs started before had none). */
  function startForwarding(from: number): void {
    if (!patched(FORWARDING_DEADLINE)) return;
    c.startDeadline('forwarding', { from });
    c.watch('forwarding');
  }

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
      if (!patched(DISMISSAL_OPENS_RESPONSE_WINDOW)) {
        await c.close(actor, 'assess-admissibility', 'Klagen kan ikke behandles af den kommunale klageinstans – afvist');
        return;
      }
      // A dismissal is a decision not in the complainant's favour: their window opens as after a decision.
      data.decidedAt = c.nowIso();
      c.settle('decision');
      moveTo(S.awaitingResponse);
      openResponseWindow(c.now());
      await c.record(actor, 'assess-admissibility', { note: `Klagen kan ikke behandles af den kommunale klageinstans – afvist. ${c.describe('complainant-response')}` });
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
        ...(i.bullyingEstablished ? { bullyingEstablished: i.bullyingEstablished } : {}),
      };
      c.settle('decision');
      // Bullying established (§ 1 c): the school's action plan falls due, counted from the decision.
      const actionPlan = i.bullyingEstablished === 'yes' ? ` Mobning konstateret – ${startActionPlan(decidedAt)}.` : '';
      if (outcome === 'upheld') {
        data.resolution = 'upheld';
        moveTo(S.readyToClose);
        const actBy = i.schoolMustActBy !== undefined ? formatCopenhagen(Date.parse(i.schoolMustActBy)) : '(ikke angivet)';
        await c.record(actor, 'decide', { note: `Afgørelse: ${OUTCOME[outcome]} – skolen skal handle senest ${actBy}.${actionPlan}` });
        return;
      }
      moveTo(S.awaitingResponse);
      openResponseWindow(decidedAt);
      await c.record(actor, 'decide', { note: `Afgørelse: ${OUTCOME[outcome]} – ${c.describe('complainant-response')}.${actionPlan}` });
    },
    'register-action-plan': async (i, actor) => {
      data.actionPlan = { madeAt: i.madeAt, ...(i.note ? { note: i.note } : {}), at: c.nowIso() };
      c.settle('action-plan');
      await c.record(actor, 'register-action-plan', { note: `Skolens handlingsplan er udarbejdet ${formatCopenhagen(Date.parse(i.madeAt))}` });
    },
    'register-response': async (i, actor, moveTo) => {
      const satisfied = i.satisfied;
      data.response = { satisfied, at: c.nowIso() };
      c.settle('complainant-response');
      if (satisfied === 'yes') {
        // A complainant who accepts a dismissal leaves it a dismissal.
        if (data.resolution !== 'inadmissible') data.resolution = 'accepted';
        moveTo(S.readyToClose);
        await c.record(actor, 'register-response', { note: 'Klager er tilfreds med afgørelsen' });
        return;
      }
      data.forwardReason = 'dissatisfied';
      moveTo(S.forwardToNationalBody);
      startForwarding(c.now());
      await c.record(actor, 'register-response', {
        note: 'Klager er ikke tilfreds med afgørelsen – sagen videresendes til Den Nationale Klageinstans mod Mobning',
        notify: [forwardNotice('Klager er ikke tilfreds med afgørelsen.')],
      });
    },
    forward: async (i, actor, moveTo) => {
      data.forwarding = { reference: i.reference, documents: i.documents.map(String), at: c.nowIso() };
      data.resolution = 'forwarded';
      c.settle('forwarding');
      const note = `Videresendt til Den Nationale Klageinstans mod Mobning (reference ${data.forwarding.reference})`;
      if (bullyingActionPlanOutstanding(c.snapshot)) {
        // The school's action plan is still outstanding: the case stays open until it is registered.
        moveTo(S.readyToClose);
        await c.record(actor, 'forward', { note: `${note}. Sagen afsluttes, når skolens handlingsplan er registreret` });
        return;
      }
      await c.close(actor, 'forward', note);
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
    // From the first instant after the complainant's last day (the timer fires a moment later).
    startForwarding(Date.parse(c.deadline('complainant-response').dueAt) + 1);
    const why = `Klager har ikke svaret inden for ${BULLYING_RESPONSE_DAYS} dage efter afgørelsen.`;
    await c.record(SYSTEM_ACTOR, 'complainant-response-window-passed', {
      note: `${why} Sagen videresendes til Den Nationale Klageinstans mod Mobning`,
      notify: [forwardNotice(why)],
    });
  }

  /** Starts and watches the action-plan deadline; its description for the journal. */
  function startActionPlan(from: number): string {
    c.startDeadline('action-plan', { from });
    c.watch('action-plan');
    return c.describe('action-plan');
  }

  // A continued run journals nothing itself; run() re-arms its pending deadlines.
  if (!c.continued) {
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
  }
  await c.run(start.historyLimit);
}
