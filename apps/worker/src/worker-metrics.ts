import { type INestApplicationContext, Logger, type Provider } from '@nestjs/common';
import type { AppConfig } from '@buf/config';
import { OutboxStore } from '@buf/persistence/outbox-store';
import { ServiceMetrics, scrape, serveMetrics } from '@buf/telemetry';

/** The worker's metrics: cases, actions and escalations as its activities write them, and the outbox. */
export const workerMetricsProvider: Provider = {
  provide: ServiceMetrics,
  inject: [OutboxStore],
  useFactory: (outbox: OutboxStore) => {
    const metrics = new ServiceMetrics({ service: 'worker' });
    metrics.gaugeAtScrape('buf_outbox_backlog_messages', 'Notifications waiting in the outbox (not sent yet)', async () => (await outbox.backlog()).messages);
    metrics.gaugeAtScrape('buf_outbox_oldest_age_seconds', 'Age of the oldest notification not sent yet (0: none waiting)', async () => (await outbox.backlog()).oldestAgeSeconds);
    return metrics;
  },
};

/** GET /metrics on WORKER_METRICS_PORT (on HOST, like the API): the service's metrics and the SDK runtime's, in one scrape. */
export async function serveWorkerMetrics(app: INestApplicationContext, config: AppConfig, sdkMetricsUrl: string | undefined): Promise<void> {
  const port = config.telemetry.workerMetricsPort;
  if (port === undefined || sdkMetricsUrl === undefined) return;
  const metrics = app.get(ServiceMetrics);
  const server = await serveMetrics(port, [() => metrics.metrics(), () => scrape(sdkMetricsUrl)], config.host);
  // Nest's shutdown ends the process; the listener does not hold it open.
  server.unref();
  const { port: bound } = server.address() as { port: number };
  new Logger('WorkerMetrics').log(`Worker metrics on http://${config.host}:${bound}/metrics`);
}
