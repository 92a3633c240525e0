import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '@buf/config';
import { TEMPORAL_TEST_SERVER } from './temporal-dev-server';
import { exitCodeOf } from './processes';
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
    const { runDir } = servers;

    const resultsFile = path.join(runDir, 'jest-results.json');
    const jestArgs = [path.join(PROJECT_ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), '--json', `--outputFile=${resultsFile}`, ...process.argv.slice(2)];
    const jest = spawn(process.execPath, jestArgs, {
      cwd: PROJECT_ROOT,
      stdio: 'inherit',
      env: {
        ...process.env,
        NODE_ENV: 'test',
        TEST_DATABASE_URL: servers.databaseUrl,
        TEST_TEMPORAL_ADDRESS: servers.temporalAddress,
        TEMPORAL_TEST_SERVER,
        TEST_RUN_DIR: runDir,
        TEST_WORKFLOW_BUNDLE: path.join(runDir, 'workflow-bundle.js'),
      },
    });
    const code = await exitCodeOf(jest);
    printSummary(resultsFile);
    return code;
  } catch (err) {
    say(`failed: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    for (const stop of stops.reverse()) await stop().catch((err: unknown) => say(`stop failed: ${String(err)}`));
  }
}

/** One plain closing line that any reader of the log can take in: `tests: N passed, N failed, N skipped`. */
function printSummary(resultsFile: string): void {
  if (!fs.existsSync(resultsFile)) return;
  const r = JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
  process.stdout.write(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped\n`);
}

void main().then((code) => process.exit(code));
