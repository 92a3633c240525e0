import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { runJest } from '../local/jest-runner';
import { startThrowawayServers } from '../local/throwaway-servers';
import { type RunningCluster, TEMPORAL_SERVICES, type TemporalService } from './temporal-cluster';

/**
 * `npm run test:cluster`: a throwaway PostgreSQL holding a Temporal cluster's persistence and
 * visibility (frontend, history, matching and worker services as separate processes, with the
 * UI server), then the end-to-end tests of every process against it, then the faults on the
 * cluster (test/cluster/*.cluster.ts), which kill and restart its services through a control endpoint on
 * loopback (TEST_CLUSTER_CONTROL). Test files given as arguments run instead of those (on the
 * same cluster): `npm run test:cluster -- test/cluster/tls.cluster.ts`.
 */
const say = (line: string) => process.stdout.write(`[test:cluster] ${line}\n`);

/** The end-to-end tests of every process, and those that lean most on Temporal itself. */
export const CLUSTER_E2E_TESTS = [
  'test/e2e/whistleblower.e2e.test.ts',
  'test/e2e/data-breach.e2e.test.ts',
  'test/e2e/complaint.e2e.test.ts',
  'test/e2e/bullying-complaint.e2e.test.ts',
  'test/e2e/access-request.e2e.test.ts',
  'test/e2e/taskforce.e2e.test.ts',
  'test/e2e/mandatory-training.e2e.test.ts',
  'test/e2e/search-attributes.e2e.test.ts',
  'test/e2e/reports.e2e.test.ts',
  'test/e2e/idempotency.e2e.test.ts',
  'test/e2e/worker-restart.e2e.test.ts',
];

async function main(): Promise<number> {
  const stops: (() => Promise<void>)[] = [];
  try {
    const servers = await startThrowawayServers('cluster', say, { temporal: { kind: 'cluster', withUi: true } });
    stops.push(() => servers.stop());
    const cluster = servers.cluster as RunningCluster;
    const control = await startControlEndpoint(cluster);
    stops.push(() => new Promise<void>((resolve) => control.server.close(() => resolve())));
    const env = { TEST_CLUSTER_CONTROL: control.url, TEST_TEMPORAL_UI_URL: cluster.uiUrl ?? '' };
    const chosen = process.argv.slice(2);
    const clusterTests = chosen.length ? chosen.filter((f) => f.endsWith('.cluster.ts')) : [];
    const e2eTests = chosen.length ? chosen.filter((f) => !f.endsWith('.cluster.ts')) : CLUSTER_E2E_TESTS;

    let failed = 0;
    if (e2eTests.length) {
      say('end-to-end tests of every process on the cluster');
      failed ||= await runJest(servers, ['--config', 'jest.config.js', '--runTestsByPath', ...e2eTests], env, 'cluster-e2e');
    }
    if (!chosen.length || clusterTests.length) {
      say('the cluster itself, and faults on it: a history service, a worker and an API instance killed while cases are driven');
      failed ||= await runJest(servers, ['--config', 'jest.cluster.config.js', ...(clusterTests.length ? ['--runTestsByPath', ...clusterTests] : [])], env, 'cluster-faults');
    }
    return failed;
  } catch (err) {
    say(`failed: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    for (const stop of stops.reverse()) await stop().catch((err: unknown) => say(`stop failed: ${String(err)}`));
  }
}

/** `POST /kill/<service>` (SIGKILL) and `POST /start/<service>` for the fault tests, on loopback only. */
async function startControlEndpoint(cluster: RunningCluster): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer((req, res) => {
    const match = /^\/(kill|start)\/(\w+)$/.exec(req.url ?? '');
    const service = match?.[2] as TemporalService | undefined;
    if (req.method !== 'POST' || !match || !service || !TEMPORAL_SERVICES.includes(service)) {
      res.writeHead(404).end();
      return;
    }
    say(`${match[1] === 'kill' ? 'killing (SIGKILL)' : 'starting'} the ${service} service`);
    const done = match[1] === 'kill' ? cluster.kill(service, 'SIGKILL') : cluster.start(service);
    done.then(() => res.writeHead(204).end(), (err: unknown) => res.writeHead(500).end(String(err)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

void main().then((code) => process.exit(code));
