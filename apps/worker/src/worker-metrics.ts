import { type INestApplicationContext, Logger, type Provider } from '@nestjs/common';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { AppConfig } from '@buf/config';
import { OutboxStore } from '@buf/persistence/outbox-store';
import { ServiceMetrics, freeLoopbackPort, scrape, serveMetrics } from '@buf/telemetry';

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

/**
 * Installs the SDK runtime (before anything else touches the SDK). With WORKER_METRICS_PORT, the
 * runtime's own Prometheus exporter (worker metrics: task latencies, failures, slots) listens on a
 * loopback port of its own, which the worker's /metrics serves together with the service's
 * metrics; returns that exporter's address.
 */
export async function installRuntime(config: AppConfig): Promise<string | undefined> {
  const sdkPort = config.telemetry.workerMetricsPort !== undefined ? await freeLoopbackPort() : undefined;
  Runtime.install({
    logger: new DefaultLogger(config.logLevel === 'debug' ? 'DEBUG' : 'WARN'),
    // Nest, not the SDK, reacts to SIGTERM/SIGINT.
    shutdownSignals: [],
    ...(sdkPort !== undefined ? { telemetryOptions: { metrics: { prometheus: { bindAddress: `127.0.0.1:${sdkPort}`, useSecondsForDurations: true } } } } : {}),
  });
  return sdkPort !== undefined ? `http://127.0.0.1:${sdkPort}/metrics` : undefined;
}

/** GET /metrics on WORKER_METRICS_PORT: the service's metrics and the SDK runtime's, in one scrape. */
export async function serveWorkerMetrics(app: INestApplicationContext, config: AppConfig, sdkMetricsUrl: string | undefined): Promise<void> {
  const port = config.telemetry.workerMetricsPort;
  if (port === undefined || sdkMetricsUrl === undefined) return;
  const metrics = app.get(ServiceMetrics);
  const server = await serveMetrics(port, [() => metrics.metrics(), () => scrape(sdkMetricsUrl)]);
  // Nest's shutdown ends the process; the listener does not hold it open.
  server.unref();
  const { port: bound } = server.address() as { port: number };
  new Logger('WorkerMetrics').log(`Worker metrics on http://127.0.0.1:${bound}/metrics`);
}
