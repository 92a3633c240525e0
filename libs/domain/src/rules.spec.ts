import type { CaseSnapshot } from './case';
import { CaseErrorCode } from './errors';
import { type ProcessDefinition, defineProcess } from './process-definition';
import type { Actor } from './roles';
import { allowedActions, checkAction, mayRead, mayStart, moveRefusal, readAccess } from './rules';

/**
 * The one place that decides whether a person may act on a case now, and what they may read,
 * against a small process with every kind of rule: roles, steps, a precondition, a rule on the
 * person, a rule on the input that depends on the case, and scoped and opener reads.
 */
interface Data {
  handlingUnit: string;
  approvedBy?: string;
  due?: string;
  course?: string;
  comments?: string[];
}

const sample = defineProcess<Data>()({
  name: 'sample',
  label: 'Eksempel',
  description: 'A process for tests',
  workflowType: 'sampleWorkflow',
  startRoles: ['caseworker', 'jurist'],
  startInput: {},
  readRoles: ['ledelsessekretariat'],
  retainedAfterAnonymisation: ['handlingUnit'],
  readScopes: [{ role: 'caseworker', field: 'handlingUnit', claim: 'unit' }],
  openerView: 'status',
  steps: [{ name: 'open', label: 'Åben' }, { name: 'approved', label: 'Godkendt' }, { name: 'closed', label: 'Afsluttet', terminal: true }],
  initialStep: 'open',
  deadlines: [],
  actions: [
    {
      name: 'approve',
      label: 'Godkend',
      description: 'x',
      roles: ['jurist'],
      steps: ['open'],
      leadsTo: ['approved'],
      input: { until: { label: 'Felt', type: 'datetime', required: true, endOfDay: true, description: 'until' }, note: { label: 'Felt', type: 'string', required: false, maxLength: 5, description: 'note' } },
      precondition: (c, _input, actor) => (c.data.approvedBy === actor.sub ? 'You have already approved.' : undefined),
      personCheck: (c, actor) => (actor.unit === c.data.handlingUnit ? 'Not someone from the handling unit.' : undefined),
      inputCheck: (_c, input, now) => (typeof input.until === 'string' && Date.parse(input.until) <= now ? [{ field: 'until', message: 'until must be in the future' }] : []),
    },
    { name: 'comment', label: 'Bemærkning', description: 'x', roles: ['jurist', 'caseworker'], steps: ['open', 'approved'], leadsTo: [], input: {}, limit: { max: 2, list: 'comments', why: 'x' } },
    { name: 'close', label: 'Luk', description: 'x', roles: ['jurist'], steps: ['approved'], leadsTo: ['closed'], input: {} },
  ],
});

const jurist: Actor = { sub: 'j1', name: 'Jurist', roles: ['jurist'] };
const caseworker: Actor = { sub: 'c1', name: 'Sagsbehandler', roles: ['caseworker'], unit: 'Skole Nord' };
const now = Date.parse('2026-06-01T10:00:00Z');

function snapshot(overrides: Partial<CaseSnapshot<Data>> = {}): CaseSnapshot {
  return {
    id: 'sample-1', caseNumber: '2026-0000001', process: 'sample', step: 'open', status: 'open', overdue: false,
    openedAt: '2026-06-01T08:00:00Z', openedBy: { sub: 'opener', name: 'Opener' }, deadlines: [], data: { handlingUnit: 'Skole Nord' },
    ...overrides,
  } as unknown as CaseSnapshot;
}

describe('checkAction', () => {
  it('given an action the process does not have, when checked, then NotFound', () => {
    expect(checkAction(sample, snapshot(), 'reopen', jurist, {}, now)).toEqual({ code: CaseErrorCode.NotFound, message: 'Process sample has no action reopen' });
  });

  it('given a person without the role, when checked, then Forbidden naming the roles', () => {
    expect(checkAction(sample, snapshot(), 'approve', caseworker, { until: '2026-06-02' }, now)).toEqual({ code: CaseErrorCode.Forbidden, message: 'Action approve requires one of the roles: jurist' });
  });

  it('given input against the field rules, when checked, then InvalidInput with every field and the messages joined', () => {
    expect(checkAction(sample, snapshot(), 'approve', jurist, { until: '2026-W23', note: 'too long' }, now)).toEqual({
      code: CaseErrorCode.InvalidInput,
      message: expect.stringMatching(/^until must be an RFC 3339 .*; note must be at most 5 characters$/),
      details: { fields: [expect.objectContaining({ field: 'until' }), { field: 'note', message: 'note must be at most 5 characters' }] },
    });
  });

  it('given a step where the action is not allowed, when checked, then NotAllowedInStep with the step and what is allowed now', () => {
    expect(checkAction(sample, snapshot({ step: 'approved' }), 'approve', jurist, { until: '2026-06-02' }, now)).toEqual({
      code: CaseErrorCode.NotAllowedInStep,
      message: 'Action approve is not allowed in step approved. Allowed now: comment, close.',
      details: { step: 'approved', allowedActions: ['comment', 'close'] },
    });
  });

  it('given a repeatable action at its limit per case, when checked, then NotAllowedInStep naming the limit and the count, and it is no longer allowed', () => {
    const below = snapshot({ data: { handlingUnit: 'Skole Nord', comments: ['a'] } });
    expect(checkAction(sample, below, 'comment', jurist, {}, now)).toBeUndefined();
    const at = snapshot({ data: { handlingUnit: 'Skole Nord', comments: ['a', 'b'] } });
    expect(checkAction(sample, at, 'comment', jurist, {}, now)).toEqual({
      code: CaseErrorCode.NotAllowedInStep,
      message: 'Action comment is limited to 2 per case; this case has 2. Allowed now: approve.',
      details: { step: 'open', allowedActions: ['approve'], limit: { action: 'comment', max: 2, count: 2 } },
    });
    expect(allowedActions(sample, at, jurist)).toEqual(['approve']);
  });

  it('given a closed case, when checked, then NotAllowedInStep and nothing is allowed', () => {
    expect(checkAction(sample, snapshot({ status: 'closed', step: 'closed' }), 'comment', jurist, {}, now)).toEqual({
      code: CaseErrorCode.NotAllowedInStep,
      message: 'The case is closed. Allowed now: none for you.',
      details: { step: 'closed', allowedActions: [] },
    });
  });

  it('given a closed case and an action that reopens it, when checked, then only that action is allowed, and not on an anonymised case', () => {
    const reopening = {
      ...sample,
      actions: [...sample.actions, { name: 'complain', label: 'Klage', description: 'x', roles: ['jurist'], steps: ['closed'], leadsTo: ['open'], input: {}, reopens: true }],
    } as ProcessDefinition;
    const closed = snapshot({ status: 'closed', step: 'closed' });
    expect(checkAction(reopening, closed, 'complain', jurist, {}, now)).toBeUndefined();
    expect(allowedActions(reopening, closed, jurist)).toEqual(['complain']);
    expect(checkAction(reopening, closed, 'comment', jurist, {}, now)).toEqual({
      code: CaseErrorCode.NotAllowedInStep,
      message: 'The case is closed. Allowed now: complain.',
      details: { step: 'closed', allowedActions: ['complain'] },
    });
    // Not in an open step the action does not list.
    expect(allowedActions(reopening, snapshot(), jurist)).toEqual(['approve', 'comment']);
    const anonymised = snapshot({ status: 'closed', step: 'closed', data: { handlingUnit: 'Skole Nord', anonymised: true } as unknown as Data });
    expect(checkAction(reopening, anonymised, 'complain', jurist, {}, now)).toMatchObject({ code: CaseErrorCode.NotAllowedInStep, message: 'The case is closed and anonymised; it cannot be reopened. Allowed now: none for you.' });
  });

  it('given a precondition that refuses this person, when checked, then NotAllowedInStep with its reason', () => {
    const refusal = checkAction(sample, snapshot({ data: { handlingUnit: 'Skole Nord', approvedBy: 'j1' } }), 'approve', jurist, { until: '2026-06-02' }, now);
    expect(refusal).toMatchObject({ code: CaseErrorCode.NotAllowedInStep, message: 'You have already approved. Allowed now: comment.' });
  });

  it('given a person the rule on persons refuses, when checked, then Forbidden with its reason', () => {
    const fromTheUnit: Actor = { ...jurist, unit: 'Skole Nord' };
    expect(checkAction(sample, snapshot(), 'approve', fromTheUnit, { until: '2026-06-02' }, now)).toEqual({ code: CaseErrorCode.Forbidden, message: 'Not someone from the handling unit.' });
  });

  it('given a date the case rule reads, when checked, then the rule sees it as the field rule gives it (the end of that day in Copenhagen)', () => {
    // 1 June 2026 is today; as a deadline date it lasts until 23:59:59.999 Copenhagen, after now.
    expect(checkAction(sample, snapshot(), 'approve', jurist, { until: '2026-06-01' }, now)).toBeUndefined();
    expect(checkAction(sample, snapshot(), 'approve', jurist, { until: '2026-05-31' }, now)).toEqual({
      code: CaseErrorCode.InvalidInput,
      message: 'until must be in the future',
      details: { fields: [{ field: 'until', message: 'until must be in the future' }] },
    });
  });

  it('given no input for an action without fields, when checked, then it is allowed', () => {
    expect(checkAction(sample, snapshot(), 'comment', caseworker, undefined, now)).toBeUndefined();
  });
});

describe('allowedActions', () => {
  it('given each person and step, when listed, then only what they may do now', () => {
    expect(allowedActions(sample, snapshot(), jurist)).toEqual(['approve', 'comment']);
    expect(allowedActions(sample, snapshot(), caseworker)).toEqual(['comment']);
    expect(allowedActions(sample, snapshot({ data: { handlingUnit: 'Skole Nord', approvedBy: 'j1' } }), jurist)).toEqual(['comment']);
    expect(allowedActions(sample, snapshot(), { ...jurist, unit: 'Skole Nord' })).toEqual(['comment']);
    expect(allowedActions(sample, snapshot({ status: 'closed', step: 'closed' }), jurist)).toEqual([]);
  });
});

describe('readAccess', () => {
  const c = snapshot();

  it('given a reading role, when asked, then full', () => {
    expect(readAccess(sample, c, { sub: 'x', name: 'x', roles: ['ledelsessekretariat'] })).toBe('full');
  });

  it('given a scoped role whose claim matches the case, when asked, then full; another unit, or no claim, none', () => {
    expect(readAccess(sample, c, caseworker)).toBe('full');
    expect(readAccess(sample, c, { ...caseworker, unit: 'Skole Syd' })).toBe('none');
    expect(readAccess(sample, c, { sub: 'c2', name: 'x', roles: ['caseworker'] })).toBe('none');
    // The claim matches but the role is not the scoped one.
    expect(readAccess(sample, c, { sub: 'e1', name: 'x', roles: ['employee'], unit: 'Skole Nord' })).toBe('none');
  });

  it('given the person who opened the case, when asked, then what the process shows openers', () => {
    expect(readAccess(sample, c, { sub: 'opener', name: 'x', roles: ['employee'] })).toBe('status');
    expect(readAccess({ ...sample, openerView: 'full' }, c, { sub: 'opener', name: 'x', roles: ['employee'] })).toBe('full');
    // Unless the process says otherwise, opening a case gives nothing of its own: access follows the role.
    expect(readAccess({ ...sample, openerView: undefined }, c, { sub: 'opener', name: 'x', roles: ['employee'] })).toBe('none');
    expect(readAccess({ ...sample, openerView: 'none' }, c, { sub: 'opener', name: 'x', roles: ['employee'] })).toBe('none');
    expect(mayRead({ ...sample, openerView: 'none' }, c, { sub: 'opener', name: 'x', roles: ['employee'] })).toBe(false);
    expect(mayRead(sample, c, { sub: 'opener', name: 'x', roles: ['employee'] })).toBe(true);
  });
});

describe('readAccess with a scope on a value of the case', () => {
  const scoped = { ...sample, readScopes: [{ role: 'klageenhed' as const, field: 'course', equals: 'administrative-law' }] };
  const unit = { sub: 'k', name: 'k', roles: ['klageenhed' as const] };

  it('given a role scoped to cases of one kind, when asked, then full on those and none on the others', () => {
    expect(readAccess(scoped, snapshot({ data: { handlingUnit: 'Skole Nord', course: 'administrative-law' } }), unit)).toBe('full');
    expect(readAccess(scoped, snapshot({ data: { handlingUnit: 'Skole Nord', course: 'it-security' } }), unit)).toBe('none');
    expect(readAccess(scoped, snapshot({ data: { handlingUnit: 'Skole Nord', course: 'administrative-law' } }), { ...unit, roles: ['caseworker'] })).toBe('none');
  });
});

describe('mayStart and moveRefusal', () => {
  it('given the start roles, when asked, then only they may start; with "any", everyone', () => {
    expect(mayStart(sample, jurist)).toBe(true);
    expect(mayStart(sample, { sub: 'e', name: 'e', roles: ['employee'] })).toBe(false);
    expect(mayStart({ ...sample, startRoles: 'any' }, { sub: 'e', name: 'e', roles: [] })).toBe(true);
  });

  it('given a move, when checked, then only a step of the action leadsTo is allowed, and the refusal says which are', () => {
    expect(moveRefusal(sample.actions[0], 'approved')).toBeUndefined();
    expect(moveRefusal(sample.actions[0], 'closed')).toBe('Action approve may lead to approved, not closed');
    expect(moveRefusal(sample.actions[1], 'open')).toBe('Action comment may lead to no other step, not open');
  });
});
