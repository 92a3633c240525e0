import { DEFAULT_POLICY } from '../policy';
import {
  addCalendarDays,
  addYears,
  completionDays,
  completionDeadline,
  mandatoryTrainingDefinition,
  refreshDeadline,
} from './mandatory-training';

const policy = DEFAULT_POLICY.mandatoryTraining;
const at = (iso: string) => Date.parse(iso);

describe('mandatory-training deadlines', () => {
  it.each([
    ['it-security', 'administrative', 14],
    ['it-security', 'leader', 14],
    ['it-security', 'pedagogical', 28],
    ['administrative-law', 'administrative', 365],
    ['administrative-law', 'leader', 365],
    ['administrative-law', 'pedagogical', undefined],
  ] as const)('given %s for %s staff, when the first deadline is computed, then it is %s days', (course, staffGroup, days) => {
    expect(completionDays(course, staffGroup, policy)).toBe(days);
  });

  it('given a start before summer time begins, when 14 calendar days are added, then the deadline keeps the Copenhagen time of day', () => {
    // 20 March 2026 10:00 CET is 09:00Z; 3 April 2026 10:00 CEST is 08:00Z.
    expect(addCalendarDays(at('2026-03-20T09:00:00Z'), 14)).toBe(at('2026-04-03T08:00:00Z'));
    // 20 October 2026 10:00 CEST is 08:00Z; 3 November 2026 10:00 CET is 09:00Z.
    expect(addCalendarDays(at('2026-10-20T08:00:00Z'), 14)).toBe(at('2026-11-03T09:00:00Z'));
    expect(addCalendarDays(at('2026-04-03T08:00:00Z'), -14)).toBe(at('2026-03-20T09:00:00Z'));
  });

  it('given a completion on 29 February, when the refresh is computed, then it falls on 28 February two years later at the same Copenhagen time', () => {
    expect(addYears(at('2024-02-29T09:00:00Z'), 2)).toBe(at('2026-02-28T09:00:00Z'));
    expect(refreshDeadline('2026-06-15T12:00:00Z', policy)).toBe(at('2028-06-15T12:00:00Z'));
  });

  it('given an employment date given as a date only, when the completion deadline is computed, then it is the policy days later', () => {
    expect(completionDeadline({ course: 'it-security', staffGroup: 'pedagogical', employedFrom: '2026-08-01' }, policy)).toBe(at('2026-08-29T00:00:00Z'));
  });

  it('given pedagogical staff, when an administrative-law case is started, then the start check names staffGroup', () => {
    const check = mandatoryTrainingDefinition.startCheck!;
    expect(check({ course: 'administrative-law', staffGroup: 'pedagogical' }, Date.now()).map((e) => e.field)).toEqual(['staffGroup']);
    expect(check({ course: 'it-security', staffGroup: 'pedagogical' }, Date.now())).toEqual([]);
    expect(check({ course: 'administrative-law', staffGroup: 'leader' }, Date.now())).toEqual([]);
  });
});
