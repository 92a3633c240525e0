import type { CaseSnapshot } from '../case';
import { DEFAULT_POLICY } from '../policy';
import { readAccess } from '../rules';
import type { Actor } from '../roles';
import { type MandatoryTrainingData, completionDays, mandatoryTrainingDefinition } from './mandatory-training';

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

describe('who acts on and reads a training case', () => {
  const trainingCase = (data: Record<string, unknown>) =>
    ({ id: 'mandatory-training-2026-0000001', caseNumber: '2026-0000001', process: 'mandatory-training', step: 'awaiting-completion', status: 'open', overdue: false,
      openedAt: '2026-06-01T08:00:00Z', openedBy: { sub: 'oc-nord', name: 'x' }, deadlines: [],
      data: { course: 'it-security', staffGroup: 'administrative', unit: 'Skole Nord', area: 'nord', employedFrom: '2026-06-01T00:00:00Z', completions: [], ...data } }) as unknown as CaseSnapshot<MandatoryTrainingData> & CaseSnapshot;
  const complete = mandatoryTrainingDefinition.actions.find((a) => a.name === 'complete')!;
  const actor = (roles: Actor['roles'], claims: Partial<Actor> = {}): Actor => ({ sub: 'p', name: 'p', roles, ...claims });

  it("given an area chief of another area whose token names the case's unit, when they record a completion, then they are refused: only the unit's leader acts by unit", () => {
    expect(complete.personCheck!(trainingCase({}), actor(['area-chief'], { area: 'syd', unit: 'Skole Nord' }))).toContain('(nord)');
    expect(complete.personCheck!(trainingCase({}), actor(['area-chief'], { area: 'nord' }))).toBeUndefined();
    expect(complete.personCheck!(trainingCase({}), actor(['institution-leader'], { unit: 'Skole Nord' }))).toBeUndefined();
  });

  it('given the complaints unit, when it reads training cases, then it reads the administrative-law cases it follows up and no IT-security case', () => {
    expect(readAccess(mandatoryTrainingDefinition, trainingCase({ course: 'administrative-law' }), actor(['klageenhed']))).toBe('full');
    expect(readAccess(mandatoryTrainingDefinition, trainingCase({}), actor(['klageenhed']))).toBe('none');
  });

  it('given the area chief who opened a case, when their token names another area, then they read nothing of it; an institution leader reads only their own unit', () => {
    expect(readAccess(mandatoryTrainingDefinition, trainingCase({}), { ...actor(['area-chief'], { area: 'syd' }), sub: 'oc-nord' })).toBe('none');
    expect(readAccess(mandatoryTrainingDefinition, trainingCase({}), actor(['institution-leader'], { unit: 'Skole Vest' }))).toBe('none');
    expect(readAccess(mandatoryTrainingDefinition, trainingCase({}), actor(['institution-leader'], { unit: 'Skole Nord' }))).toBe('full');
  });
});
