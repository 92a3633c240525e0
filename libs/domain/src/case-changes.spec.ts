import type { CaseSnapshot } from './case';
import { applySnapshotChanges, snapshotChanges } from './case-changes';

const before = {
  id: 'taskforce-1', caseNumber: '2026-0000001', process: 'taskforce', step: 'support-active', status: 'open', overdue: false,
  openedAt: '2026-06-01T08:00:00.000Z', openedBy: { sub: 's', name: 'n' }, area: 'syd',
  deadlines: [{ name: 'review', dueAt: '2026-06-29T21:59:59.999Z', state: 'pending' }],
  data: { unit: 'Skolen', loggedActions: [{ note: 'a' }], draft: { ref: 'x' } },
} as unknown as CaseSnapshot;

describe('snapshot changes', () => {
  it('given one more entry in a list, when compared, then only that entry is sent (appended), nothing else', () => {
    const after = { ...before, data: { ...(before.data as object), loggedActions: [{ note: 'a' }, { note: 'b' }] } } as CaseSnapshot;
    expect(snapshotChanges(before, after)).toEqual([{ op: 'append', path: ['data', 'loggedActions'], values: [{ note: 'b' }] }]);
    expect(applySnapshotChanges(before, snapshotChanges(before, after))).toEqual(after);
  });

  it('given fields set, removed and a list changed inside, when compared and applied, then the result is exactly the new snapshot and the old one is left as it was', () => {
    const copy = JSON.parse(JSON.stringify(before)) as CaseSnapshot;
    const after = {
      ...before,
      step: 'closed', status: 'closed', closedAt: '2026-07-01T10:00:00.000Z', area: undefined,
      deadlines: [{ name: 'review', dueAt: '2026-06-29T21:59:59.999Z', state: 'met' }],
      data: { unit: 'Skolen', loggedActions: [{ note: 'a' }], closeNote: 'slut' },
    } as unknown as CaseSnapshot;
    const clean = JSON.parse(JSON.stringify(after)) as CaseSnapshot;
    const changes = snapshotChanges(before, clean);
    expect(changes).toEqual([
      { op: 'unset', path: ['area'] },
      { op: 'set', path: ['step'], value: 'closed' },
      { op: 'set', path: ['status'], value: 'closed' },
      { op: 'set', path: ['deadlines'], value: clean.deadlines },
      { op: 'set', path: ['closedAt'], value: '2026-07-01T10:00:00.000Z' },
      { op: 'unset', path: ['data', 'draft'] },
      { op: 'set', path: ['data', 'closeNote'], value: 'slut' },
    ]);
    expect(applySnapshotChanges(before, changes)).toEqual(clean);
    expect(before).toEqual(copy);
  });

  it('given nothing changed, when compared, then no changes', () => {
    expect(snapshotChanges(before, JSON.parse(JSON.stringify(before)) as CaseSnapshot)).toEqual([]);
  });
});
