// First: tracing (when configured) must be set up before pg and the SDK are loaded.
import '@buf/telemetry/register';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { loadConfig } from '@buf/config';
import { installRuntime } from './runtime';
import { serveWorkerMetrics } from './worker-metrics';
import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  // Before anything touches the SDK.
  const sdkMetricsUrl = await installRuntime(config);
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await serveWorkerMetrics(app, config, sdkMetricsUrl);
}

bootstrap().catch((err: unknown) => {
  process.stderr.write(`Worker failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
