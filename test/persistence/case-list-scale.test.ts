import type { DataSource } from 'typeorm';
import type { Actor } from '@buf/domain';
import { CaseStore, type CaseListFilter } from '@buf/persistence/case-store';
import { createDataSource } from '@buf/persistence/data-source';
import { caseVisibility } from '../../apps/api/src/cases/case-visibility';
import { createIsolatedDatabase } from '../support/service';

const OPEN_TRAINING = 30_000;
const OVERDUE_EVERY = 10;

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  'Shared Hit Blocks': number;
  'Shared Read Blocks': number;
  Plans?: PlanNode[];
}

const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];

/**
 * The case list stays cheap at BUF's scale: 30,000 open training cases (every employee × two
 * courses; a database of its own). Ledelsessekretariatet reads every one of them, so its list of
 * open training cases has 27,000 matches for `total` on every page. That total is read from the
 * counts kept beside the case files, not counted, and the page is an ordered walk of an index
 * that reads only its own case files (each holds its whole snapshot): the blocks each
 * statement touches, from PostgreSQL's own EXPLAIN (ANALYZE, BUFFERS), stay a small fraction of
 * the table's.
 */
describe('the case list at 30,000 open training cases', () => {
  let ds: DataSource;
  let recording: DataSource;
  let store: CaseStore;
  const statements: { sql: string; params: unknown[] }[] = [];

  beforeAll(async () => {
    const url = await createIsolatedDatabase('case_list_scale');
    ds = createDataSource(url, 1);
    await ds.initialize();
    // Employees employed one minute apart from Monday 2 November 2026 00:00 UTC, each with an
    // IT-security and an administrative-law case; every tenth case overdue.
    await ds.query(`
      WITH g AS (SELECT i, timestamptz '2026-11-02T00:00:00Z' + make_interval(mins => i / 2) AS employed,
                        CASE WHEN i % 2 = 0 THEN 'it-security' ELSE 'administrative-law' END AS course,
                        (ARRAY['nord','syd','oest','vest','midtby'])[1 + i % 5] AS area
                 FROM generate_series(0, ${OPEN_TRAINING - 1}) AS i),
           c AS (SELECT i, 'mandatory-training-2026-' || lpad(i::text, 7, '0') AS id, '2026-' || lpad(i::text, 7, '0') AS nr,
                        employed, course, area, i % ${OVERDUE_EVERY} = 0 AS overdue,
                        to_char(employed AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at FROM g)
      INSERT INTO case_files (id, case_number, process, step, status, overdue, area, opened_at, opened_by, next_deadline_at, snapshot, last_seq)
      SELECT id, nr, 'mandatory-training', 'awaiting-completion', 'open', overdue, area, employed, 'system:training-import', employed + interval '14 days',
             jsonb_build_object('id', id, 'caseNumber', nr, 'process', 'mandatory-training', 'step', 'awaiting-completion', 'status', 'open', 'overdue', overdue,
               'area', area, 'openedAt', at, 'openedBy', jsonb_build_object('sub', 'system:training-import', 'name', 'Kursusimport (HR-system)'),
               'deadlines', jsonb_build_array(jsonb_build_object('name', 'completion', 'dueAt', at, 'state', CASE WHEN overdue THEN 'missed' ELSE 'pending' END,
                 'explanation', repeat('Kurset gennemføres senest 14 kalenderdage efter ansættelsen. ', 6))),
               'data', jsonb_build_object('employeeId', 'emp-' || (i / 2), 'course', course, 'staffGroup', 'administrative', 'employedFrom', at,
                 'unit', 'Enhed ' || (i % 400), 'area', area, 'completions', jsonb_build_array())),
             1
      FROM c`);
    // As autovacuum leaves tables whose rows have settled (the counts took 30,000 updates).
    await ds.query('VACUUM ANALYZE case_files, case_file_counts');
    // The store's statements, recorded to be explained on the other connection.
    recording = createDataSource(url, 1);
    await recording.initialize();
    const query = recording.query.bind(recording);
    recording.query = (async (sql: string, params?: unknown[]) => {
      statements.push({ sql, params: params ?? [] });
      return query(sql, params);
    }) as DataSource['query'];
    store = new CaseStore(recording);
  }, 180_000);

  afterAll(async () => {
    await recording?.destroy();
    await ds?.destroy();
  });

  const lise: Actor = { sub: 'scale-lise', name: 'Lise', roles: ['ledelsessekretariat'] };
  const anna: Actor = { sub: 'scale-anna', name: 'Anna', roles: ['area-chief'], area: 'syd' };

  const tableBlocks = async (): Promise<number> => {
    const [{ blocks }] = await ds.query(`SELECT (pg_relation_size('case_files') / current_setting('block_size')::int)::int AS blocks`);
    return blocks;
  };

  /** Runs the list as the API does, then each of its statements under EXPLAIN (ANALYZE, BUFFERS). */
  const listAndExplain = async (filter: Omit<CaseListFilter, keyof ReturnType<typeof caseVisibility>>, actor: Actor) => {
    statements.length = 0;
    const page = await store.listCases({ ...filter, ...caseVisibility(actor) });
    const plans: PlanNode[] = [];
    const ms: number[] = [];
    for (const { sql, params } of statements) {
      const [{ 'QUERY PLAN': [plan] }] = await ds.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`, params);
      plans.push(plan.Plan as PlanNode);
      ms.push(plan['Execution Time'] as number);
    }
    return { page, plans, ms };
  };

  it('given 30,000 open training cases, when Ledelsessekretariatet lists the open ones not overdue, then the total is read from the kept counts and the page walks an index', async () => {
    const { page, plans, ms } = await listAndExplain({ process: 'mandatory-training', status: 'open', overdue: false, page: 1, pageSize: 20 }, lise);
    expect(page.total).toBe(OPEN_TRAINING - OPEN_TRAINING / OVERDUE_EVERY);
    expect(page.items).toHaveLength(20);
    // Newest first: the last employee's cases (i = 29,999 and 29,998, employed 14,999 minutes after the first).
    expect(page.items.map((c) => c.id).slice(0, 3)).toEqual(['mandatory-training-2026-0029999', 'mandatory-training-2026-0029998', 'mandatory-training-2026-0029997']);
    expect(page.items.every((c) => !c.overdue)).toBe(true);

    const blocks = await tableBlocks();
    expect(plans).toHaveLength(2);
    const [count, rows] = plans.map((plan) => {
      const all = nodes(plan);
      return { touched: all[0]['Shared Hit Blocks'] + all[0]['Shared Read Blocks'], relations: all.flatMap((n) => n['Relation Name'] ?? []) };
    });
    process.stdout.write(`case list at ${OPEN_TRAINING} open training cases: table ${blocks} blocks; count touched ${count.touched} (${ms[0].toFixed(1)} ms), page ${rows.touched} (${ms[1].toFixed(1)} ms)\n`);
    // The total reads no case file and no index entry per case: a few rows of case_file_counts.
    expect(count.relations).toEqual(['case_file_counts']);
    expect(count.touched).toBeLessThan(20);
    // The page reads its 20 case files in order from an index, no sort of every match.
    expect(nodes(plans[1]).some((n) => n['Node Type'] === 'Sort')).toBe(false);
    expect(rows.touched).toBeLessThan(100);
  });

  it('given the same cases, when an area chief lists their own area, then the answer holds only that area', async () => {
    const page = await store.listCases({
      process: 'mandatory-training',
      status: 'open',
      page: 2,
      pageSize: 50,
      ...caseVisibility(anna),
    });
    expect(page.total).toBe(OPEN_TRAINING / 5);
    expect(page.items).toHaveLength(50);
    expect(new Set(page.items.map((c) => c.area))).toEqual(new Set(['syd']));
  });

  it('given the same cases, when the complaints unit and an employee list the training cases, then the unit gets the administrative-law cases and the employee none', async () => {
    const list = (actor: Actor) => store.listCases({ process: 'mandatory-training', page: 1, pageSize: 10, ...caseVisibility(actor) });
    const unit = await list({ sub: 'scale-karl', name: 'Karl', roles: ['klageenhed'] });
    expect(unit.total).toBe(OPEN_TRAINING / 2);
    expect(unit.items.every((c) => (c.data as { course: string }).course === 'administrative-law')).toBe(true);
    const employee = await list({ sub: 'system:training-import', name: 'Eva', roles: ['employee'] });
    expect(employee).toEqual({ items: [], total: 0 });
  });
});
