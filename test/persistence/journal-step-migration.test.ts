import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { MIGRATIONS, dataSourceOptions, runMigrations } from '@buf/persistence/data-source';
import { JournalStep1765100000000 } from '@buf/persistence/migrations/1765100000000-journal-step';
import { StatisticsStore } from '@buf/persistence/statistics-store';
import { createEmptyDatabase } from '../support/service';

/**
 * The journal did not record steps before 1765100000000-journal-step. The migration fills in
 * what the case files know (the step after each case's last entry) and leaves the rest null; the
 * waiting statistics leave out a stay whose start is not known.
 */
describe('journal steps for entries written before they were recorded', () => {
  let url: string;
  let db: Pool;

  beforeAll(async () => {
    url = await createEmptyDatabase('journal_step');
    // The schema as it was before the migration.
    const before = new DataSource({ ...dataSourceOptions(url, 1), migrations: MIGRATIONS.filter((m) => m !== JournalStep1765100000000) });
    await before.initialize();
    try {
      await before.runMigrations({ transaction: 'each' });
      const file = (id: string, step: string, lastSeq: number) =>
        before.query(
          `INSERT INTO case_files (id, case_number, process, step, status, area, opened_at, opened_by, snapshot, last_seq)
           VALUES ($1, $2, 'access-request', $3, 'open', 'nord', '2026-03-02T08:00:00Z', 'jur-1', '{"deadlines": []}', $4)`,
          [id, id.slice(-12), step, lastSeq],
        );
      const entry = (id: string, seq: number, at: string, action: string) =>
        before.query(`INSERT INTO case_journal (case_id, seq, at, actor_sub, actor_name, action) VALUES ($1, $2, $3, 'jur-1', 'Jurist', $4)`, [id, seq, at, action]);
      // Three entries, now in assessment: when it got there is not recorded.
      await file('access-request-2026-0000001', 'assessment', 3);
      await entry('access-request-2026-0000001', 1, '2026-03-02T08:00:00Z', 'opened');
      await entry('access-request-2026-0000001', 2, '2026-03-02T10:00:00Z', 'request-documents');
      await entry('access-request-2026-0000001', 3, '2026-03-03T10:00:00Z', 'register-documents');
      // One entry: received since it was opened.
      await file('access-request-2026-0000002', 'received', 1);
      await entry('access-request-2026-0000002', 1, '2026-03-02T08:00:00Z', 'opened');
    } finally {
      await before.destroy();
    }
    expect(await runMigrations(url)).toEqual(['JournalStep1765100000000']);
    db = new Pool({ connectionString: url, max: 1 });
  });

  afterAll(async () => {
    await db?.end();
  });

  it('given entries from before the migration, when it runs, then each case\'s last entry has its case file\'s step and the others none', async () => {
    const { rows } = await db.query(`SELECT case_id, seq, step FROM case_journal ORDER BY case_id, seq`);
    expect(rows).toEqual([
      { case_id: 'access-request-2026-0000001', seq: 1, step: null },
      { case_id: 'access-request-2026-0000001', seq: 2, step: null },
      { case_id: 'access-request-2026-0000001', seq: 3, step: 'assessment' },
      { case_id: 'access-request-2026-0000002', seq: 1, step: 'received' },
    ]);
  });

  it('given the backfilled entries, when where cases wait is read, then the stay with an unknown start is left out and the one from the first entry counts', async () => {
    const source = new DataSource(dataSourceOptions(url, 1));
    await source.initialize();
    try {
      const asOf = new Date('2026-03-04T08:00:00Z');
      const rows = await new StatisticsStore(source).waiting({ from: '2026-03-01T23:00:00.000Z', to: '2026-03-04T23:00:00.000Z' }, { processes: ['access-request'], terminalSteps: ['closed'] }, asOf);
      // Received since 02.03.2026 kl. 09.00 (08:00Z), read at 04.03.2026 kl. 09.00: 48 hours.
      expect(rows).toEqual([{ process: 'access-request', area: 'nord', step: 'received', endedCount: 0, medianHours: null, p90Hours: null, waitingCount: 1, longestHours: 48 }]);
    } finally {
      await source.destroy();
    }
  });

  it('given the journal, when an entry\'s step is rewritten, also alongside an anonymisation, then the database refuses; an anonymisation that keeps it passes', async () => {
    await expect(db.query(`UPDATE case_journal SET step = 'decided' WHERE case_id = 'access-request-2026-0000002'`)).rejects.toThrow(/append-only/);
    await expect(db.query(`UPDATE case_journal SET step = 'decided', note = NULL, actor_name = 'anonymiseret' WHERE case_id = 'access-request-2026-0000002'`)).rejects.toThrow(/append-only/);
    await db.query(`UPDATE case_journal SET note = NULL, actor_name = 'anonymiseret' WHERE case_id = 'access-request-2026-0000002'`);
    const { rows } = await db.query(`SELECT step, actor_name FROM case_journal WHERE case_id = 'access-request-2026-0000002'`);
    expect(rows).toEqual([{ step: 'received', actor_name: 'anonymiseret' }]);
  });
});
