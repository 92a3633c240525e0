import { type RunningDevServer, startTemporalDevServer } from '@buf/infra/local/temporal-dev-server';
import { freePort } from '@buf/infra/local/processes';
import { type Caller, ServiceUnderTest, createIsolatedDatabase } from '../support/service';
import { breachReport } from '../support/data-breach-fixtures';

describe('faults: Temporal unreachable', () => {
  let temporal: RunningDevServer;
  let service: ServiceUnderTest;
  let reporter: Caller;
  let gdpr: Caller;

  beforeAll(async () => {
    temporal = await startTemporalDevServer({ port: await freePort(), namespace: 'default' });
    service = await ServiceUnderTest.start('faults-temporal', { DATABASE_URL: await createIsolatedDatabase('faults_temporal'), TEMPORAL_ADDRESS: temporal.address });
    reporter = await service.as({ sub: 'emp-ft', name: 'Erik Ansat', roles: ['employee'], unit: 'Skole Nord' });
    gdpr = await service.as({ sub: 'gdpr-ft', name: 'Grete GDPR', roles: ['gdpr'] });
  });

  afterAll(async () => {
    await service?.stop();
    await temporal?.stop();
  });

  const rowCounts = async () => {
    const { rows } = await service.db.query(
      `SELECT (SELECT count(*) FROM case_files) AS cases, (SELECT count(*) FROM case_journal) AS journal, (SELECT count(*) FROM notification_outbox) AS outbox`,
    );
    return rows[0];
  };

  it('given the Temporal server stopped, when health, a start and an action are asked for, then each answers 503 naming Temporal and PostgreSQL holds nothing half-written', async () => {
    const opened = await reporter.start('data-breach', breachReport(), { 'Idempotency-Key': 'ft-open' });
    expect(opened.status).toBe(201);
    const id: string = opened.body.id;
    await temporal.stop();
    const before = await rowCounts();

    const health = await service.request('GET', '/api/v1/health');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable', details: { checks: { temporal: { status: 'down' }, database: { status: 'up' } } } });
    expect(health.body.message).toMatch(/temporal/i);
    // The public answer names the dependency, never where it runs or what the driver said.
    expect(health.body.details.checks.temporal).toEqual({ status: 'down', message: 'not answering' });
    expect(JSON.stringify(health.body)).not.toMatch(/127\.0\.0\.1|localhost|ECONNREFUSED|:\d{4,5}\b/);

    const started = Date.now();
    const start = await reporter.start('data-breach', breachReport());
    expect({ status: start.status, body: start.body }).toEqual({ status: 503, body: { statusCode: 503, error: 'Service Unavailable', message: expect.stringMatching(/Temporal/) } });
    const startKeyed = await reporter.start('data-breach', breachReport(), { 'Idempotency-Key': 'ft-open-2' });
    expect(startKeyed.status).toBe(503);
    const action = await gdpr.act(id, 'triage', { outcome: 'breach', reason: 'x' }, { 'Idempotency-Key': 'ft-triage' });
    expect({ status: action.status, body: action.body }).toEqual({ status: 503, body: { statusCode: 503, error: 'Service Unavailable', message: expect.stringMatching(/Temporal/) } });
    // Not a hang: each call gives up after a few seconds of retries (TEMPORAL_CALL_ATTEMPTS).
    const waited = Date.now() - started;
    process.stdout.write(`[faults] three calls answered 503 within ${waited} ms with Temporal down\n`);
    expect(waited).toBeLessThan(45_000);

    expect(await rowCounts()).toEqual(before);
    const journal = await service.journal(id);
    expect(journal.map((j) => j.action)).toEqual(['opened']);
  }, 300_000);
});
