import { computeDeadline } from '../deadlines';
import { DEFAULT_POLICY } from '../policy';
import { type DataBreachData, breachDutiesOwed, breachStepFor, dataBreachDefinition } from './data-breach';

const rule = dataBreachDefinition.deadlines.find((d) => d.name === 'datatilsynet-72h')!.rule;

const assessed = (level: 'none' | 'risk' | 'high', done: Partial<DataBreachData> = {}): DataBreachData => ({
  discoveredAt: '2026-03-27T09:00:00.000Z',
  unit: 'Skole A',
  description: 'x',
  dataCategories: ['navn'],
  channel: 'form',
  supplements: [],
  risk: { level, rationale: 'x', at: '2026-03-27T10:00:00.000Z' },
  ...done,
});

const notified = { authorityNotification: {} as DataBreachData['authorityNotification'] };
const informed = { subjectNotice: { kind: 'informed', method: 'brev', count: 1, at: '2026-03-27T11:00:00.000Z' } } as const;

describe('data-breach: the 72 hours of Art. 33(1)', () => {
  it('given a breach discovered on the Friday before summer time begins, when the 72 hours are computed, then they are 72 elapsed hours, to the minute, not three wall-clock days', () => {
    // Discovered Friday 27.03.2026 10:00 CET; the night to Sunday 29.03.2026 is an hour shorter.
    const due = computeDeadline(rule, Date.parse('2026-03-27T10:00:00+01:00'), DEFAULT_POLICY);
    expect(new Date(due.dueAt).toISOString()).toBe('2026-03-30T09:00:00.000Z'); // mandag 30.03.2026 kl. 11.00 (sommertid)
  });

  it('given a breach discovered at 10:17 on a weekday, when the 72 hours are computed, then they end at the same instant three days later, not at the end of a day', () => {
    // Discovered Tuesday 12.05.2026 10:17 CEST.
    const due = computeDeadline(rule, Date.parse('2026-05-12T10:17:00+02:00'), DEFAULT_POLICY);
    expect(new Date(due.dueAt).toISOString()).toBe('2026-05-15T08:17:00.000Z'); // fredag 15.05.2026 kl. 10.17
  });
});

describe('data-breach: what the risk level demands', () => {
  it.each([
    ['none', {}, [], 'ready-to-close'],
    ['risk', {}, ['notify-datatilsynet'], 'notify-datatilsynet'],
    ['risk', notified, [], 'ready-to-close'],
    ['high', {}, ['notify-datatilsynet', 'notify-data-subjects'], 'notify-datatilsynet'],
    ['high', informed, ['notify-datatilsynet'], 'notify-datatilsynet'],
    ['high', notified, ['notify-data-subjects'], 'inform-data-subjects'],
    ['high', { ...notified, ...informed }, [], 'ready-to-close'],
  ] as const)('given the risk %s and %j recorded, when the duties are read, then %j is owed and the step is %s', (level, done, owedActions, step) => {
    const data = assessed(level, done);
    const owed = breachDutiesOwed(data);
    expect(owed).toHaveLength(owedActions.length);
    owedActions.forEach((action, i) => expect(owed[i]).toContain(action));
    expect(breachStepFor(data)).toBe(step);
  });
});
