import { Connection } from '@temporalio/client';
import { type Caller, ServiceUnderTest } from '../support/service';
import { breachReport } from '../support/data-breach-fixtures';
import { eventually } from '../support/polling';
import { testEnv } from '../support/paths';

describe('the Temporal cluster the service runs on in production form', () => {
  let service: ServiceUnderTest;
  let reporter: Caller;

  beforeAll(async () => {
    service = await ServiceUnderTest.start('cluster-facts');
    reporter = await service.as({ sub: 'emp-cl', name: 'Erik Ansat', roles: ['employee'], unit: 'Skole Nord' });
  });

  afterAll(async () => {
    await service?.stop();
  });

  it('given the cluster the tests run on, when it is described, then persistence and visibility are in PostgreSQL and history is split over more than one shard', async () => {
    const connection = await Connection.connect({ address: testEnv('TEST_TEMPORAL_ADDRESS') });
    try {
      const info = await connection.workflowService.getClusterInfo({});
      expect({ persistence: info.persistenceStore, visibility: info.visibilityStore }).toEqual({ persistence: 'postgres12', visibility: 'postgres12' });
      expect(info.historyShardCount).toBeGreaterThan(1);
    } finally {
      await connection.close();
    }
  });

  it('given a case opened through the API, when the Temporal UI server lists the namespace, then it shows the case by its id and search attributes', async () => {
    const opened = service.expectStatus(await reporter.start('data-breach', breachReport()), 201);
    const ui = process.env.TEST_TEMPORAL_UI_URL;
    if (!ui) throw new Error('TEST_TEMPORAL_UI_URL is not set: run with npm run test:cluster');
    const query = encodeURIComponent(`BufProcess = "data-breach" AND WorkflowId = "${opened.body.id}"`);
    const listed = await eventually('the UI lists the case', async () => {
      const res = await fetch(`${ui}/api/v1/namespaces/default/workflows?query=${query}`);
      if (!res.ok) return undefined;
      const body = (await res.json()) as { executions?: { execution: { workflowId: string } }[] };
      return body.executions?.length ? body.executions : undefined;
    }, 30_000);
    expect(listed.map((e) => e.execution.workflowId)).toEqual([opened.body.id]);
  });
});
