import { type ActionHandlers, type DataPath, type InputOf, defineProcess } from './process-definition';
import { PROCESS_DEFINITIONS } from './processes';
import { moveRefusal } from './rules';

/** A small process for the compile-time checks below (ts-jest type-checks this file). */
const sample = defineProcess<{ note?: string }>()({
  name: 'sample',
  label: 'Eksempel',
  description: 'A process for tests',
  workflowType: 'sampleWorkflow',
  startRoles: 'any',
  startInput: { subject: { label: 'Felt', type: 'string', required: true, description: 'x' } },
  readRoles: ['gdpr'],
  retainedAfterAnonymisation: ['note'],
  steps: [{ name: 'open', label: 'Åben' }, { name: 'done', label: 'Færdig' }, { name: 'closed', label: 'Afsluttet', terminal: true }],
  initialStep: 'open',
  deadlines: [],
  actions: [
    { name: 'finish', label: 'Færdig', description: 'x', roles: ['gdpr'], steps: ['open'], leadsTo: ['done'], input: { note: { label: 'Felt', type: 'string', required: false, description: 'x' }, count: { label: 'Felt', type: 'integer', required: true, description: 'y' } } },
    { name: 'close', label: 'Luk', description: 'x', roles: ['gdpr'], steps: ['done'], leadsTo: ['closed'], input: {} },
  ],
});

describe('the typed binding of a workflow to its definition', () => {
  it('given handlers for every action, when compiled, then the input types come from the schemas and moves from leadsTo', () => {
    const handlers: ActionHandlers<typeof sample> = {
      finish: async (input, _actor, moveTo) => {
        const count: number = input.count;
        const note: string | undefined = input.note;
        // @ts-expect-error -- a field the action's schema does not declare
        void input.reason;
        // @ts-expect-error -- a step outside the action's leadsTo
        moveTo('closed');
        moveTo('done');
        void count;
        void note;
      },
      close: async () => {},
    };
    expect(Object.keys(handlers).sort()).toEqual(sample.actions.map((a) => a.name).sort());
    const start: InputOf<typeof sample.startInput> = { subject: 'x' };
    expect(start.subject).toBe('x');
  });

  it('given a data path that the data type does not have, when declared as retained, then the compiler refuses it', () => {
    const retained: DataPath<{ triage?: { outcome: string }; unit: string }>[] = ['unit', 'triage', 'triage.outcome'];
    // @ts-expect-error -- no such field in the data
    const wrong: DataPath<{ triage?: { outcome: string }; unit: string }>[] = ['triage.reason'];
    expect([retained, wrong]).toHaveLength(2);
  });

  it('given a handler missing, misspelt or extra, when compiled, then the compiler refuses it', () => {
    // @ts-expect-error -- no handler for `close`
    const missing: ActionHandlers<typeof sample> = { finish: async () => {} };
    const extra: ActionHandlers<typeof sample> = {
      finish: async () => {},
      close: async () => {},
      // @ts-expect-error -- no such action in the definition
      reopen: async () => {},
    };
    expect([missing, extra]).toHaveLength(2);
  });
});

/** Every definition is whole: its steps, moves and deadlines name what exists. */
describe.each(PROCESS_DEFINITIONS.map((p) => [p.name, p] as const))('the %s definition', (_name, definition) => {
  const steps = definition.steps.map((s) => s.name);

  it('given its actions, when walked, then every step they act in and lead to is a step of the process', () => {
    expect(steps).toContain(definition.initialStep);
    for (const action of definition.actions) {
      for (const step of [...action.steps, ...action.leadsTo]) expect({ action: action.name, step, known: steps.includes(step) }).toEqual({ action: action.name, step, known: true });
    }
  });

  it('given each action, when it moves outside its leadsTo, then the move is refused; inside, it is allowed', () => {
    for (const action of definition.actions) {
      for (const step of steps) {
        expect(moveRefusal(action, step) === undefined).toBe(action.leadsTo.includes(step));
      }
    }
  });

  it('given an action that reopens a closed case, when walked, then it acts in the closed step, leads out of it, and its process has no one-open-case key (a newer case may hold it by then)', () => {
    const terminal = definition.steps.filter((s) => s.terminal).map((s) => s.name);
    for (const action of definition.actions.filter((a) => a.reopens)) {
      expect({ action: action.name, inClosed: action.steps.some((s) => terminal.includes(s)), leadsOut: action.leadsTo.every((s) => !terminal.includes(s)) }).toEqual({ action: action.name, inClosed: true, leadsOut: true });
      expect(definition.oneOpenCasePer).toBeUndefined();
    }
  });

  it('given its deadlines, when walked, then each has a rule with a measure, an origin and a legal basis, and reminds and escalates only known roles', () => {
    for (const d of definition.deadlines) {
      expect(d.rule.from).toMatch(/\S/);
      expect(Object.keys(d.rule.basis)).toHaveLength(1);
      expect(['hours', 'calendar-days', 'working-days', 'years', 'given']).toContain(d.rule.measure.unit);
    }
    expect(new Set(definition.deadlines.map((d) => d.name)).size).toBe(definition.deadlines.length);
  });

  it('given its deadlines, when the steps they run in are named, then each is a step of the process that is not terminal', () => {
    const open = definition.steps.filter((s) => !s.terminal).map((s) => s.name);
    for (const d of definition.deadlines) {
      for (const step of d.runsIn ?? []) expect({ deadline: d.name, step, open: open.includes(step) }).toEqual({ deadline: d.name, step, open: true });
      expect(d.runsIn ?? open).not.toHaveLength(0);
    }
  });
});
