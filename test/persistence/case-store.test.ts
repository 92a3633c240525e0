import type { DataSource } from 'typeorm';
import { type CaseEvent, type CaseSnapshot, snapshotChanges } from '@buf/domain';
import { CaseStore } from '@buf/persistence/case-store';
import { createDataSource } from '@buf/persistence/data-source';
import { testEnv } from '../support/paths';

/**
 * Entries after the first of a run carry only what changed: the store applies them in journal
 * order, once, also when activities are retried or arrive out of order.
 */
describe('case store: entries that carry what changed', () => {
  let ds: DataSource;
  let store: CaseStore;

  beforeAll(async () => {
    ds = createDataSource(testEnv('TEST_DATABASE_URL'), 2);
    await ds.initialize();
    store = new CaseStore(ds);
  });

  afterAll(async () => {
    await ds?.destroy();
  });

  let numbers = 9_000_000;
  const actor = { sub: 'cw-1', name: 'Sagsbehandler' };
  const base = (id: string): CaseSnapshot => ({
    id,
    caseNumber: `2026-${String(++numbers).padStart(7, '0')}`,
    process: 'complaint',
    step: 'handling',
    status: 'open',
    overdue: false,
    openedAt: '2026-06-01T08:00:00.000Z',
    openedBy: actor,
    deadlines: [],
    data: { handling: [], unit: 'Skole Nord' },
  });
  const withHandling = (s: CaseSnapshot, note: string): CaseSnapshot => ({
    ...s,
    data: { ...(s.data as object), handling: [...(s.data as { handling: unknown[] }).handling, { method: 'dialogue', note }] },
  });
  const entry = (seq: number, action: string) => ({ seq, at: '2026-06-01T09:00:00.000Z', actor, action });
  const stored = async (id: string) => (await store.findCase(id))!;

  it('given entries 1 (whole snapshot), 3 and 2 (changes), when 3 arrives before 2, then 3 waits (fails, to be retried) and after 2 both apply in order; a retried 3 changes nothing', async () => {
    const id = `complaint-store-${Date.now()}`;
    const s1 = base(id);
    const s2 = withHandling(s1, 'første');
    const s3 = { ...withHandling(s2, 'anden'), step: 'closed', status: 'closed' as const, closedAt: '2026-06-01T10:00:00.000Z' };
    const e3: CaseEvent = { caseId: id, entry: entry(3, 'answer'), changes: snapshotChanges(s2, s3), notifications: [] };
    await store.recordEvent({ caseId: id, entry: entry(1, 'opened'), snapshot: s1, notifications: [] });

    await expect(store.recordEvent(e3)).rejects.toThrow(`journal entry 3 waits for entry 2 (the case file holds 1)`);
    expect((await stored(id)).journal.map((j) => j.seq)).toEqual([1]);

    await store.recordEvent({ caseId: id, entry: entry(2, 'record-handling'), changes: snapshotChanges(s1, s2), notifications: [] });
    expect((await store.recordEvent(e3)).newEntry).toBe(true);
    // The activity retried after it had written: nothing changes, and it is not a new entry (metrics count it once).
    expect(await store.recordEvent(e3)).toEqual({ newEntry: false });
    expect((await store.recordEvent({ caseId: id, entry: entry(1, 'opened'), snapshot: s1, notifications: [] })).newEntry).toBe(false);
    const after = await stored(id);
    expect(after.snapshot).toEqual(s3);
    expect(after.journal.map((j) => j.action)).toEqual(['opened', 'record-handling', 'answer']);
    const [row] = await ds.query(`SELECT status, step, last_seq, closed_at FROM case_files WHERE id = $1`, [id]);
    expect(row).toMatchObject({ status: 'closed', step: 'closed', last_seq: 3 });
    // Each entry records the step it leaves the case in: the refused first try of 3 wrote nothing,
    // and the retried 3 left its entry as the first write made it.
    expect(await ds.query(`SELECT seq, step FROM case_journal WHERE case_id = $1 ORDER BY seq`, [id])).toEqual([
      { seq: 1, step: 'handling' },
      { seq: 2, step: 'handling' },
      { seq: 3, step: 'closed' },
    ]);
  });

  it('given an entry scheduled before the change (the whole snapshot, not the first), when it is retried now, then it is written as before', async () => {
    const id = `complaint-store-old-${Date.now()}`;
    const s1 = base(id);
    const s2 = withHandling(s1, 'første');
    await store.recordEvent({ caseId: id, entry: entry(1, 'opened'), snapshot: s1, notifications: [] });
    await store.recordEvent({ caseId: id, entry: entry(2, 'record-handling'), snapshot: s2, notifications: [] });
    expect((await stored(id)).snapshot).toEqual(s2);
  });

  it('given a snapshot change that removes fields and rewrites a list, when applied, then the case file is exactly the new snapshot', async () => {
    const id = `complaint-store-rm-${Date.now()}`;
    const s1 = { ...withHandling(base(id), 'første'), area: 'nord', data: { ...(withHandling(base(id), 'første').data as object), guidance: 'x' } } as CaseSnapshot;
    const s2 = { ...s1, area: undefined, data: { handling: [{ method: 'meeting', note: 'ændret' }], unit: 'Skole Nord' } } as unknown as CaseSnapshot;
    const clean = JSON.parse(JSON.stringify(s2)) as CaseSnapshot;
    await store.recordEvent({ caseId: id, entry: entry(1, 'opened'), snapshot: s1, notifications: [] });
    await store.recordEvent({ caseId: id, entry: entry(2, 'classify'), changes: snapshotChanges(s1, clean), notifications: [] });
    expect((await stored(id)).snapshot).toEqual(clean);
  });

  it('given a case read while the next entry commits, when the journal is read, then it ends at the entry the snapshot shows (the two agree)', async () => {
    const id = `complaint-store-read-${Date.now()}`;
    const s1 = base(id);
    const s2 = { ...withHandling(s1, 'første'), overdue: true };
    await store.recordEvent({ caseId: id, entry: entry(1, 'opened'), snapshot: s1, notifications: [] });
    // A reader whose case-file read returns just before entry 2 commits (an activity on another worker).
    const query = ds.query.bind(ds);
    let interleaved = false;
    const reader = new CaseStore(
      Object.assign(Object.create(ds) as DataSource, {
        query: async (sql: string, params?: unknown[]) => {
          const rows = await query(sql, params);
          if (!interleaved && /FROM case_files/.test(sql)) {
            interleaved = true;
            await store.recordEvent({ caseId: id, entry: entry(2, 'deadline-missed'), changes: snapshotChanges(s1, s2), notifications: [] });
          }
          return rows;
        },
      }),
    );
    const read = (await reader.findCase(id))!;
    expect(interleaved).toBe(true);
    expect(read.snapshot.overdue).toBe(false);
    expect(read.journal.map((j) => j.action)).toEqual(['opened']);
    // Read again, both show entry 2.
    const next = (await store.findCase(id))!;
    expect(next.snapshot.overdue).toBe(true);
    expect(next.journal.map((j) => j.action)).toEqual(['opened', 'deadline-missed']);
  });
});
