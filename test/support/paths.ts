import * as path from 'node:path';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
/** One bundle per test run (npm test names it), so parallel runs do not overwrite each other's. */
export const WORKFLOW_BUNDLE_FILE = process.env.TEST_WORKFLOW_BUNDLE ?? path.join(PROJECT_ROOT, '.data', 'test', 'workflow-bundle.js');

/** What `npm test` started for the tests; running Jest by itself gets a clear message instead. */
export function testEnv(name: 'TEST_DATABASE_URL' | 'TEST_TEMPORAL_ADDRESS' | 'TEMPORAL_TEST_SERVER' | 'TEST_RUN_DIR'): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests with npm test, which starts the servers they need`);
  return value;
}
