import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { HIGH_RISK_PATH, breachReport } from '../support/data-breach-fixtures';
import { eventually } from '../support/polling';
import { testEnv } from '../support/paths';
import { type Caller, ServiceUnderTest, createIsolatedDatabase } from '../support/service';

const DEPLOYMENT = 'buf-case-workflows-versioning-test';

/**
 * Worker Deployment Versioning on the cluster: a deploy of new workflow code (build v2) next to
 * the old (v1) sends new cases to v2 while a case started on v1 runs to its end on v1.
 */
describe('worker versions: a case started on the old build finishes on the old build', () => {
  let connection: Connection;
  let v1: ServiceUnderTest;
  let v2: ServiceUnderTest;
  let reporter: Caller;
  let gdpr: Caller;

  /** Makes `buildId` the deployment's current version once its worker has polled. */
  const makeCurrent = async (buildId: string) => {
    await eventually(`build ${buildId} is known to the deployment`, async () => {
      try {
        await connection.workflowService.setWorkerDeploymentCurrentVersion({ namespace: 'default', deploymentName: DEPLOYMENT, buildId, identity: 'versioning-test' });
        return true;
      } catch {
        return false;
      }
    }, 60_000, 500);
  };
  const buildOf = async (caseId: string) => {
    const { workflowExecutionInfo } = await connection.workflowService.describeWorkflowExecution({ namespace: 'default', execution: { workflowId: caseId } });
    const info = workflowExecutionInfo?.versioningInfo;
    return { buildId: info?.deploymentVersion?.buildId ?? null, behavior: info?.behavior ?? null };
  };

  beforeAll(async () => {
    connection = await Connection.connect({ address: testEnv('TEST_TEMPORAL_ADDRESS') });
    const shared = { DATABASE_URL: await createIsolatedDatabase('cluster_versioning'), TEMPORAL_TASK_QUEUE: `versioning-${Date.now()}`, WORKER_DEPLOYMENT_NAME: DEPLOYMENT };
    v1 = await ServiceUnderTest.start('versioning-v1', { ...shared, WORKER_BUILD_ID: 'v1' });
    await makeCurrent('v1');
    reporter = await v1.as({ sub: 'emp-wv', name: 'Erik Ansat', roles: ['employee'], unit: 'Skole Nord' });
    gdpr = await v1.as({ sub: 'gdpr-wv', name: 'Grete GDPR', roles: ['gdpr'] });
    // The deploy: the new build's workers start beside the old.
    v2 = await ServiceUnderTest.start('versioning-v2', { ...shared, WORKER_BUILD_ID: 'v2' });
  });

  afterAll(async () => {
    await Promise.all([v1?.stop(), v2?.stop()]);
    await connection?.close();
  });

  it('given a case opened on build v1, when v2 becomes current, then new cases run on v2 and the v1 case takes its remaining steps on v1 and closes', async () => {
    const old = v1.expectStatus(await reporter.start('data-breach', breachReport()), 201);
    const [first, ...rest] = HIGH_RISK_PATH;
    v1.expectStatus(await gdpr.act(old.body.id, first.action, first.body), 200);
    expect(await buildOf(old.body.id)).toEqual({ buildId: 'v1', behavior: temporal.api.enums.v1.VersioningBehavior.VERSIONING_BEHAVIOR_PINNED });

    await makeCurrent('v2');
    const fresh = v1.expectStatus(await reporter.start('data-breach', breachReport()), 201);
    await eventually('the new case has run on a build', async () => ((await buildOf(fresh.body.id)).buildId ? true : undefined), 30_000);
    expect((await buildOf(fresh.body.id)).buildId).toBe('v2');

    let last = old;
    for (const step of rest) last = v1.expectStatus(await gdpr.act(old.body.id, step.action, step.body), 200);
    expect(last.body.status).toBe('closed');
    expect((await buildOf(old.body.id)).buildId).toBe('v1');
  });
});
