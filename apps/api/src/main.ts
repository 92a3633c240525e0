// First: tracing (when configured) must be set up before express and pg are loaded.
import '@buf/telemetry/register';
import 'reflect-metadata';
import { loadConfig } from '@buf/config';
import { createApiApp } from './bootstrap';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApiApp();
  await app.listen(config.port, config.host);
}

main().catch((err: unknown) => {
  process.stderr.write(`API failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
