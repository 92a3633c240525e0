import * as fs from 'node:fs';
import * as path from 'node:path';
import { Connection } from '@temporalio/client';
import { type RunningCluster, startTemporalCluster } from '@buf/infra/cluster/temporal-cluster';
import { HIGH_RISK_PATH, breachReport } from '../support/data-breach-fixtures';
import { type Caller, ServiceUnderTest, createIsolatedDatabase } from '../support/service';
import { testEnv } from '../support/paths';
import { makeTestPki, type TestPki } from '../support/tls';

/**
 * A second cluster on the test PostgreSQL whose frontend speaks only mutual TLS (as Temporal
 * Cloud's mTLS namespaces do): the service reaches it through configuration alone.
 */
describe('the service on a Temporal frontend with mutual TLS, configured by TEMPORAL_TLS_*', () => {
  let pki: TestPki;
  let cluster: RunningCluster;
  let service: ServiceUnderTest;
  let gdpr: Caller;
  let reporter: Caller;

  beforeAll(async () => {
    const dir = path.join(testEnv('TEST_RUN_DIR'), 'tls-cluster');
    pki = makeTestPki(path.join(dir, 'pki'));
    const pg = new URL(testEnv('TEST_DATABASE_URL'));
    cluster = await startTemporalCluster({
      baseDir: dir,
      postgresUrl: pg.toString(),
      databaseName: 'temporal_tls',
      namespace: 'default',
      tls: {
        caFile: pki.caFile,
        certFile: pki.serverCertFile,
        keyFile: pki.serverKeyFile,
        serverName: pki.serverName,
        clientCaFile: pki.caFile,
        clientCertFile: pki.clientCertFile,
        clientKeyFile: pki.clientKeyFile,
      },
      log: (line) => process.stdout.write(`[tls-cluster] ${line}\n`),
    });
    service = await ServiceUnderTest.start('cluster-tls', {
      DATABASE_URL: await createIsolatedDatabase('cluster_tls'),
      TEMPORAL_ADDRESS: cluster.address,
      TEMPORAL_TLS_CA_FILE: pki.caFile,
      TEMPORAL_TLS_CERT_FILE: pki.clientCertFile,
      TEMPORAL_TLS_KEY_FILE: pki.clientKeyFile,
      TEMPORAL_TLS_SERVER_NAME: pki.serverName,
    });
    reporter = await service.as({ sub: 'emp-tls', name: 'Erik Ansat', roles: ['employee'], unit: 'Skole Nord' });
    gdpr = await service.as({ sub: 'gdpr-tls', name: 'Grete GDPR', roles: ['gdpr'] });
  }, 180_000);

  afterAll(async () => {
    await service?.stop();
    await cluster?.stop();
  });

  it('given the API and worker configured with the CA, a client certificate and the server name, when a breach is reported and taken through every step, then it closes', async () => {
    expect(service.logs.some((l) => l.includes(`on ${cluster.address} (TLS)`))).toBe(true);
    const opened = service.expectStatus(await reporter.start('data-breach', breachReport()), 201);
    let last = opened;
    for (const step of HIGH_RISK_PATH) last = service.expectStatus(await gdpr.act(opened.body.id, step.action, step.body), 200);
    expect(last.body.status).toBe('closed');
  });

  it('given the same frontend, when a client connects without a client certificate or without TLS, then it is refused', async () => {
    const attempt = async (options: Parameters<typeof Connection.connect>[0]) => {
      const connection = await Connection.connect({ ...options, connectTimeout: '3 seconds' });
      try {
        await connection.workflowService.getSystemInfo({});
        return 'answered';
      } catch {
        return 'refused';
      } finally {
        await connection.close();
      }
    };
    const outcome = async (options: Parameters<typeof Connection.connect>[0]) => attempt(options).catch(() => 'refused');
    expect(await outcome({ address: cluster.address, tls: { serverNameOverride: pki.serverName, serverRootCACertificate: fs.readFileSync(pki.caFile) } })).toBe('refused');
    expect(await outcome({ address: cluster.address })).toBe('refused');
    // The control: with the certificate the same call answers.
    expect(await outcome({ address: cluster.address, tls: cluster.clientTls })).toBe('answered');
  });
});
