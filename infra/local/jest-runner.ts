import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '@buf/config';
import { exitCodeOf } from './processes';
import { TEMPORAL_TEST_SERVER } from './temporal-dev-server';

/** What the tests need to know of the servers a runner started for them (test/support/paths.ts). */
export interface TestServers {
  runDir: string;
  databaseUrl: string;
  temporalAddress: string;
}

/**
 * Runs Jest (extra arguments go to Jest) against servers a runner started, then prints one plain
 * closing line any reader of the log can take in: `tests: N passed, N failed, N skipped`.
 */
export async function runJest(servers: TestServers, jestArgs: string[], extraEnv: NodeJS.ProcessEnv = {}, resultsName = 'jest-results'): Promise<number> {
  const resultsFile = path.join(servers.runDir, `${resultsName}.json`);
  const args = [path.join(PROJECT_ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), '--json', `--outputFile=${resultsFile}`, ...jestArgs];
  const jest = spawn(process.execPath, args, {
    cwd: PROJECT_ROOT,
    stdio: 'inherit',
    env: {
      ...process.env,
      NODE_ENV: 'test',
      TEST_DATABASE_URL: servers.databaseUrl,
      TEST_TEMPORAL_ADDRESS: servers.temporalAddress,
      TEMPORAL_TEST_SERVER,
      TEST_RUN_DIR: servers.runDir,
      TEST_WORKFLOW_BUNDLE: path.join(servers.runDir, 'workflow-bundle.js'),
      ...extraEnv,
    },
  });
  const code = await exitCodeOf(jest);
  printSummary(resultsFile);
  return code;
}

function printSummary(resultsFile: string): void {
  if (!fs.existsSync(resultsFile)) return;
  const r = JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
  process.stdout.write(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped\n`);
}
