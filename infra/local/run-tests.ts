import { runJest } from './jest-runner';
import { startThrowawayServers } from './throwaway-servers';

/**
 * `npm test`: starts a throwaway PostgreSQL and an in-memory Temporal dev server on free ports,
 * applies the migrations, runs Jest against them (extra arguments go to Jest), and stops what
 * it started. The time-skipping tests start their own test server from the installed binary.
 */
const say = (line: string) => process.stdout.write(`[test] ${line}\n`);

async function main(): Promise<number> {
  const stops: (() => Promise<void>)[] = [];
  try {
    const servers = await startThrowawayServers('test', say);
    stops.push(() => servers.stop());
    return await runJest(servers, process.argv.slice(2));
  } catch (err) {
    say(`failed: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    for (const stop of stops.reverse()) await stop().catch((err: unknown) => say(`stop failed: ${String(err)}`));
  }
}

void main().then((code) => process.exit(code));
