/**
 * The first import of the API's and the worker's entry points: starts tracing (when configured)
 * before express, pg and the Temporal client are loaded, so their instrumentation takes hold.
 * An invalid configuration is left for the entry point to report, in its words.
 */
import * as path from 'node:path';
import { type AppConfig, loadConfig } from '@buf/config/config';
import { startTracing } from './tracing';

let config: AppConfig | undefined;
try {
  config = loadConfig();
} catch {
  config = undefined;
}
if (config) {
  // dist/apps/api/src/main.js → api; dist/apps/worker/src/main.js → worker.
  const app = path.basename(path.dirname(path.dirname(require.main?.filename ?? 'service')));
  startTracing(config.telemetry, `buf-case-workflows-${app}`);
}
