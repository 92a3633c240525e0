import { rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Pool } from 'pg';
import { type RunningPostgres, startEmbeddedPostgres } from '@buf/infra/local/embedded-postgres';
import { freePort } from '@buf/infra/local/processes';
import { runMigrations } from '@buf/persistence/data-source';
import { type Caller, ServiceUnderTest } from '../support/service';
import { HIGH_RISK_JOURNAL } from '../support/data-breach-fixtures';
import { caseRecords, driveMany, eventuallyHolds, newStats } from './breach-driver';

const CASES = 100;

describe('faults: PostgreSQL restarted while 100 cases are driven through their steps', () => {
  let pg: RunningPostgres;
  let pgPort: number;
  let dataDir: string;
  let service: ServiceUnderTest;
  let reporter: Caller;
  let gdpr: Caller;

  const startPostgres = () => startEmbeddedPostgres({ dataDir, port: pgPort, database: 'buf_faults_pg' });

  beforeAll(async () => {
    pgPort = await freePort();
    dataDir = path.join(os.tmpdir(), `buf-faults-pg-${process.pid}-${Date.now()}`);
    pg = await startPostgres();
    await runMigrations(pg.url);
    const db = new Pool({ connectionString: pg.url, max: 1 });
    try {
      // Workflow ids of this database never meet the other fault tests' in the shared Temporal server.
      await db.query(`SELECT setval('case_number_seq', $1)`, [5_000_000 + Math.floor(Math.random() * 4_000_000)]);
    } finally {
      await db.end();
    }
    service = await ServiceUnderTest.start('faults-pg-restart', { DATABASE_URL: pg.url, RATE_LIMIT_PER_MINUTE: '100000' });
    reporter = await service.as({ sub: 'emp-fp', name: 'Erik Ansat', roles: ['employee'], unit: 'Skole Nord' });
    gdpr = await service.as({ sub: 'gdpr-fp', name: 'Grete GDPR', roles: ['gdpr'] });
  });

  afterAll(async () => {
    await service?.stop();
    await pg?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('given cases in flight, when PostgreSQL stops and starts again, then the API answers 503 with the error shape meanwhile, recovers by itself, and every case closes with each step journalled once', async () => {
    const stats = newStats();
    const driving = driveMany('fp', CASES, reporter, gdpr, stats);
    void driving.catch(() => undefined);
    // Let the run get under way: some cases have taken steps.
    await eventuallyHolds('cases are being journalled', async () => Number((await service.db.query('SELECT count(*) AS n FROM case_journal')).rows[0].n) >= CASES);

    await pg.stop();
    const health = await service.request('GET', '/api/v1/health');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ statusCode: 503 });
    expect(JSON.stringify(health.body)).toContain('database');
    expect(health.body.details.checks.database).toEqual({ status: 'down', message: 'not answering' });
    expect(JSON.stringify(health.body)).not.toMatch(/127\.0\.0\.1|localhost|ECONNREFUSED|:\d{4,5}\b/);
    const list = await gdpr.get('/cases?process=data-breach');
    expect(list.status).toBe(503);
    expect(list.body).toEqual({ statusCode: 503, error: 'Service Unavailable', message: expect.stringMatching(/unavailable/i) });
    const start = await reporter.start('data-breach', { discoveredAt: new Date().toISOString(), unit: 'Skole Nord', area: 'nord', description: 'x', dataCategories: ['navn'], channel: 'serviceportal' });
    expect(start.status).toBe(503);
    expect(start.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });

    pg = await startPostgres();
    await eventuallyHolds('the API is healthy again', async () => (await service.request('GET', '/api/v1/health')).status === 200);

    const ids = await driving;
    expect(new Set(ids).size).toBe(CASES);
    // Nothing answered 500 while the database was away: only 503 (or a cut connection).
    expect([...stats.transient.keys()].filter((k) => k !== '503' && k !== 'network')).toEqual([]);
    for (const body of stats.unavailableBodies) expect(body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });

    await eventuallyHolds('no notification is left pending', async () => [...(await caseRecords(service, ids)).values()].every((r) => r.unsent === 0), 120_000);
    const records = await caseRecords(service, ids);
    const counts = new Set<number>();
    for (const id of ids) {
      const r = records.get(id)!;
      expect({ id, actions: r.actions, seqs: r.seqs }).toEqual({ id, actions: HIGH_RISK_JOURNAL, seqs: HIGH_RISK_JOURNAL.map((_, i) => i + 1) });
      counts.add(r.dedupeKeys.length);
    }
    // Every case produced the same notifications (none lost, none twice).
    expect(counts.size).toBe(1);
    expect([...counts][0]).toBeGreaterThan(0);
  }, 600_000);
});
