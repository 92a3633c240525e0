import fc from 'fast-check';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { Actor, CaseSnapshot } from '@buf/domain';
import { CaseStore } from '@buf/persistence/case-store';
import { MIGRATIONS, createDataSource, dataSourceOptions, runMigrations } from '@buf/persistence/data-source';
import { CaseFileCounts1765300000000 } from '@buf/persistence/migrations/1765300000000-case-file-counts';
import { caseVisibility } from '../../apps/api/src/cases/case-visibility';
import { createEmptyDatabase, createIsolatedDatabase } from '../support/service';

interface Group {
  process: string;
  status: string;
  overdue: boolean;
  area: string | null;
  n: number;
}

/** Every group's count, as the counts table holds it and as counting the case files finds it. */
async function bothCounts(rows: (sql: string) => Promise<Group[]>): Promise<{ counted: Group[]; kept: Group[] }> {
  const counted = await rows(
    `SELECT process, status, overdue, area, count(*)::int AS n FROM case_files GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4 NULLS FIRST`,
  );
  const kept = await rows(
    `SELECT process, status, overdue, nullif(area, '') AS area, sum(n)::int AS n FROM case_file_counts
     GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0 ORDER BY 1, 2, 3, 4 NULLS FIRST`,
  );
  return { counted, kept };
}

/**
 * The case list's `total` comes from case_file_counts when the caller reads whole processes
 * (1765300000000-case-file-counts). Those counts must be exactly the case files' own: written by
 * the trigger in the same transaction as each change, also for many changes at once, and filled in
 * for the case files that existed before the migration.
 */
describe('case counts kept beside the case files', () => {
  let ds: DataSource;
  let store: CaseStore;
  let numbers = 7_000_000;
  const seqs = new Map<string, number>();

  beforeAll(async () => {
    ds = createDataSource(await createIsolatedDatabase('case_file_counts'), 12);
    await ds.initialize();
    store = new CaseStore(ds);
  });

  afterAll(async () => {
    await ds?.destroy();
  });

  const opener = { sub: 'counts-opener', name: 'Sagsbehandler' };
  const snapshot = (id: string, process: string, state: { status: 'open' | 'closed'; overdue: boolean; area?: string }): CaseSnapshot => ({
    id,
    caseNumber: id.slice(-12),
    process,
    step: state.status === 'open' ? 'handling' : 'closed',
    status: state.status,
    overdue: state.overdue,
    ...(state.area !== undefined ? { area: state.area } : {}),
    openedAt: '2026-06-01T08:00:00.000Z',
    ...(state.status === 'closed' ? { closedAt: '2026-06-02T08:00:00.000Z' } : {}),
    openedBy: opener,
    deadlines: [],
    data: {},
  });
  /** One step of the case as the worker writes it: the next journal entry with the whole snapshot. */
  const step = async (id: string, process: string, state: { status: 'open' | 'closed'; overdue: boolean; area?: string }) => {
    const seq = (seqs.get(id) ?? 0) + 1;
    seqs.set(id, seq);
    await store.recordEvent({
      caseId: id,
      entry: { seq, at: '2026-06-01T09:00:00.000Z', actor: opener, action: seq === 1 ? 'opened' : 'step' },
      snapshot: snapshot(id, process, state),
      notifications: [],
    });
  };
  const newId = (process: string) => `${process}-2026-${String(++numbers).padStart(7, '0')}`;

  it('given cases opened, moved between status, overdue and area, and deleted in any order, when the counts are read, then every group holds exactly the case files in it', async () => {
    const state = fc.record({
      status: fc.constantFrom<'open' | 'closed'>('open', 'closed'),
      overdue: fc.boolean(),
      area: fc.option(fc.constantFrom('nord', 'syd', 'vest'), { nil: undefined }),
    });
    const op = fc.oneof(
      fc.record({ kind: fc.constant('step' as const), target: fc.nat(11), process: fc.constantFrom('complaint', 'data-breach'), state }),
      fc.record({ kind: fc.constant('delete' as const), target: fc.nat(11) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 40 }), async (ops) => {
        // Emptied whole between runs (the counts with it, by their TRUNCATE trigger).
        await ds.query(`TRUNCATE case_files, case_journal`);
        seqs.clear();
        const ids: (string | undefined)[] = [];
        const processOf = new Map<string, string>();
        for (const o of ops) {
          const id = ids[o.target];
          if (o.kind === 'delete') {
            if (id !== undefined) {
              await ds.query(`DELETE FROM case_files WHERE id = $1`, [id]);
              ids[o.target] = undefined;
            }
            continue;
          }
          // A case keeps its process; a new case takes the one drawn.
          const caseId = id ?? newId(o.process);
          ids[o.target] = caseId;
          if (!processOf.has(caseId)) processOf.set(caseId, o.process);
          await step(caseId, processOf.get(caseId)!, o.state);
        }
        const { counted, kept } = await bothCounts((sql) => ds.query(sql));
        expect(kept).toEqual(counted);
      }),
      { numRuns: 60 },
    );
  });

  it('given twelve connections stepping 48 cases of the same groups at once, when they all have written, then no step failed and the counts equal the case files', async () => {
    await ds.query(`TRUNCATE case_files, case_journal`);
    seqs.clear();
    const ids = Array.from({ length: 48 }, () => newId('complaint'));
    await Promise.all(ids.map((id) => step(id, 'complaint', { status: 'open', overdue: false, area: 'nord' })));
    // Every case through the same groups, half of them B, C, B, C, half C, B, C, B: opposite moves
    // between two groups at the same time, on the same rows of the counts.
    const b = { status: 'open' as const, overdue: true, area: 'nord' };
    const c = { status: 'open' as const, overdue: false, area: 'syd' };
    const d = { status: 'closed' as const, overdue: true, area: 'nord' };
    const results = await Promise.allSettled(
      ids.map(async (id, i) => {
        for (const s of i % 2 === 0 ? [b, c, b, c, d] : [c, b, c, b, d]) await step(id, 'complaint', s);
      }),
    );
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const { counted, kept } = await bothCounts((sql) => ds.query(sql));
    expect(kept).toEqual(counted);
    expect(counted).toEqual([{ process: 'complaint', status: 'closed', overdue: true, area: 'nord', n: 48 }]);
  });

  it('given cases of two processes, when a reader of a whole process and a reader with a rule per case list them, then the totals are the case files each may read', async () => {
    await ds.query(`TRUNCATE case_files, case_journal`);
    seqs.clear();
    for (let i = 0; i < 30; i++) {
      await step(newId('complaint'), 'complaint', { status: i % 3 === 0 ? 'closed' : 'open', overdue: i % 4 === 0, area: ['nord', 'syd', 'vest'][i % 3] });
    }
    for (let i = 0; i < 10; i++) await step(newId('data-breach'), 'data-breach', { status: 'open', overdue: false });
    const statements: string[] = [];
    const recording = { query: (sql: string, params?: unknown[]) => (statements.push(sql), ds.query(sql, params)) } as unknown as DataSource;
    const list = (actor: Actor, filter: { process?: string; status?: 'open' | 'closed'; area?: string; overdue?: boolean }) =>
      new CaseStore(recording).listCases({ ...filter, page: 1, pageSize: 5, ...caseVisibility(actor) });
    const count = async (where: string, params: unknown[]) => (await ds.query(`SELECT count(*)::int AS n FROM case_files WHERE ${where}`, params))[0].n as number;

    // The complaints unit reads every complaint: the total from the counts.
    const unit: Actor = { sub: 'counts-karl', name: 'Karl', roles: ['klageenhed'] };
    statements.length = 0;
    const open = await list(unit, { process: 'complaint', status: 'open' });
    expect(open.total).toBe(await count(`process = 'complaint' AND status = 'open'`, []));
    expect(open.total).toBe(20);
    expect(statements.some((s) => s.includes('FROM case_file_counts'))).toBe(true);
    for (const filter of [{ area: 'syd' }, { overdue: true }, { status: 'closed' as const, area: 'nord', overdue: true }, { area: 'nowhere' }]) {
      const page = await list(unit, { process: 'complaint', ...filter });
      const where = Object.entries(filter).map(([column], i) => `${column} = $${i + 2}`);
      expect(page.total).toBe(await count([`process = $1`, ...where].join(' AND '), ['complaint', ...Object.values(filter)]));
    }

    // A caseworker sees only the complaints they opened: counted from the case files.
    const opener: Actor = { sub: 'counts-opener', name: 'Sagsbehandler', roles: ['employee'] };
    statements.length = 0;
    const own = await list(opener, { process: 'complaint', area: 'vest' });
    expect(statements.some((s) => s.includes('FROM case_file_counts'))).toBe(false);
    expect(own.total).toBe(await count(`process = 'complaint' AND area = 'vest'`, []));
  });
});

/**
 * Case files written before 1765300000000-case-file-counts: the migration counts them, so the
 * lists' totals are right from the first page after it.
 */
describe('case counts for case files from before the counts were kept', () => {
  it('given case files of several groups, some without an area, when the migration runs, then each group\'s count is its case files', async () => {
    const url = await createEmptyDatabase('case_file_counts_migration');
    const before = new DataSource({ ...dataSourceOptions(url, 1), migrations: MIGRATIONS.filter((m) => m !== CaseFileCounts1765300000000) });
    await before.initialize();
    try {
      await before.runMigrations({ transaction: 'each' });
      await before.query(`
        INSERT INTO case_files (id, case_number, process, step, status, overdue, area, opened_at, opened_by, snapshot, last_seq)
        SELECT 'complaint-2026-' || lpad(i::text, 7, '0'), lpad(i::text, 7, '0'), CASE WHEN i % 2 = 0 THEN 'complaint' ELSE 'whistleblower' END,
               'handling', CASE WHEN i % 5 = 0 THEN 'closed' ELSE 'open' END, i % 3 = 0, (ARRAY['nord', 'syd', NULL])[1 + i % 3],
               '2026-03-02T08:00:00Z', 'jur-1', '{"deadlines": []}', 1
        FROM generate_series(1, 200) AS i`);
    } finally {
      await before.destroy();
    }
    expect(await runMigrations(url)).toEqual(['CaseFileCounts1765300000000']);
    const db = new Pool({ connectionString: url, max: 1 });
    try {
      const { counted, kept } = await bothCounts(async (sql) => (await db.query<Group>(sql)).rows);
      expect(counted.reduce((sum, g) => sum + g.n, 0)).toBe(200);
      expect(counted.some((g) => g.area === null)).toBe(true);
      expect(kept).toEqual(counted);
    } finally {
      await db.end();
    }
  });
});
