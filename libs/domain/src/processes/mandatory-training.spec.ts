import { DEFAULT_POLICY } from '../policy';
import { completionDays, mandatoryTrainingDefinition } from './mandatory-training';

const policy = DEFAULT_POLICY.mandatoryTraining;

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

  it('given pedagogical staff, when an administrative-law case is started, then the start check names staffGroup', () => {
    const check = mandatoryTrainingDefinition.startCheck!;
    expect(check({ course: 'administrative-law', staffGroup: 'pedagogical' }).map((e) => e.field)).toEqual(['staffGroup']);
    expect(check({ course: 'it-security', staffGroup: 'pedagogical' })).toEqual([]);
    expect(check({ course: 'administrative-law', staffGroup: 'leader' })).toEqual([]);
  });
});
