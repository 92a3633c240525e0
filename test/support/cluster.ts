import { type ApiResponse, ServiceUnderTest } from './service';

/** The Temporal cluster's services as `npm run test:cluster` runs them (infra/cluster/temporal-cluster.ts). */
export type TemporalService = 'frontend' | 'history' | 'matching' | 'worker';

/** Kills (SIGKILL) or starts one of the cluster's services through the runner's control endpoint. */
export async function clusterControl(command: 'kill' | 'start', service: TemporalService): Promise<void> {
  const base = process.env.TEST_CLUSTER_CONTROL;
  if (!base) throw new Error('TEST_CLUSTER_CONTROL is not set: run these tests with npm run test:cluster');
  const res = await fetch(`${base}/${command}/${service}`, { method: 'POST' });
  if (res.status !== 204) throw new Error(`${command} ${service}: ${res.status} ${await res.text()}`);
}

/**
 * Several API instances behind one address, as a load balancer spreads requests: each request
 * goes to the next instance; a request cut by a dead instance is the caller's to repeat (the
 * driver does, with the same Idempotency-Key), and the repeat goes to another.
 */
export class ApiInstances {
  private next = 0;
  constructor(private readonly instances: ServiceUnderTest[]) {}

  request<T = any>(...args: Parameters<ServiceUnderTest['request']>): Promise<ApiResponse<T>> {
    const instance = this.instances[this.next++ % this.instances.length];
    return instance.request<T>(...args);
  }
}
