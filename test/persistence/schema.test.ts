import type { DataSource } from 'typeorm';
import { createDataSource } from '@buf/persistence/data-source';
import { testEnv } from '../support/paths';

describe('database schema', () => {
  let ds: DataSource;

  beforeAll(async () => {
    ds = createDataSource(testEnv('TEST_DATABASE_URL'), 2);
    await ds.initialize();
  });

  afterAll(async () => {
    await ds?.destroy();
  });

  it('given the migrations are applied, when TypeORM compares them with the entities, then there is nothing to change', async () => {
    const pending = await ds.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('given a journal entry, when someone tries to rewrite it, then the database refuses (append-only)', async () => {
    await ds.query(`INSERT INTO case_journal (case_id, seq, at, actor_sub, actor_name, action) VALUES ('schema-test', 1, now(), 's', 'n', 'opened')`);
    await expect(ds.query(`UPDATE case_journal SET action = 'edited' WHERE case_id = 'schema-test'`)).rejects.toThrow(/append-only/);
    await expect(ds.query(`DELETE FROM case_journal WHERE case_id = 'schema-test'`)).rejects.toThrow(/append-only/);
  });
});
