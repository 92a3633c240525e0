import { whistleblowerDefinition } from '@buf/domain';
import { stepsPassed } from '../../apps/web/src/case/steps-passed';
import { stepElementId } from '../../libs/bpmn/src/element-ids';

/** The steps a case passed, as the case page derives them from its journal (which names actions, not steps). */
describe('steps passed, from the journal and the definition', () => {
  const entries = (...actions: string[]) => actions.map((action) => ({ action }));

  it('given a case that only opened, then no step is passed but the one it is in', () => {
    expect([...stepsPassed(whistleblowerDefinition, entries('opened'), 'awaiting-jurist')]).toEqual(['awaiting-jurist']);
  });

  it('given actions that may stay or move (a briefing, assigning the jurist), then the step the case is in now decides, and reminders do not move it', () => {
    const journal = entries('opened', 'record-direktion-briefing', 'reminder', 'assign-jurist', 'submit-draft', 'approve-draft');
    expect([...stepsPassed(whistleblowerDefinition, journal, 'ready-to-send')].sort()).toEqual(['awaiting-jurist', 'draft-review', 'drafting', 'ready-to-send']);
  });

  it('given a draft returned and submitted again, then the loop counts its steps once and nothing ahead is passed', () => {
    const journal = entries('opened', 'assign-jurist', 'submit-draft', 'return-draft', 'submit-draft');
    const passed = stepsPassed(whistleblowerDefinition, journal, 'draft-review');
    expect([...passed].sort()).toEqual(['awaiting-jurist', 'draft-review', 'drafting']);
    expect(passed.has('ready-to-send')).toBe(false);
  });

  it('given a jurist re-assigned in draft review, then the case is not taken back to drafting', () => {
    const journal = entries('opened', 'assign-jurist', 'submit-draft', 'assign-jurist');
    expect([...stepsPassed(whistleblowerDefinition, journal, 'draft-review')].sort()).toEqual(['awaiting-jurist', 'draft-review', 'drafting']);
  });

  it('given a step name, then its BPMN element id replaces every character outside [A-Za-z0-9_] with _', () => {
    expect(stepElementId('awaiting-brg-response')).toBe('step_awaiting_brg_response');
  });
});
