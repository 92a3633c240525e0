import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { PROCESS_DEFINITIONS } from '@buf/domain';
import { WORKFLOW_BUNDLE_FILE } from '../support/paths';
import { createTimeSkippingEnv } from '../support/time-skipping';
import { HISTORIES_DIR, type HistoryFixture, SCHEDULED_REPORT_PROCESS, historyOf, recordHistories } from './history-recorder';

/**
 * Replays the committed histories of finished cases (test/fixtures/histories) against the current
 * workflow bundle: a change to workflow code that would break running cases (non-determinism)
 * fails here. To re-record the fixtures after an intended, compatible change of the scenarios:
 *
 *   npm run record:histories        (RECORD_HISTORIES=1 npm test -- test/workflows/replay)
 *
 * A normal run only reads the fixtures.
 */
const RECORD = process.env.RECORD_HISTORIES === '1';

function readFixtures(): { file: string; fixture: HistoryFixture }[] {
  if (!fs.existsSync(HISTORIES_DIR)) return [];
  return fs
    .readdirSync(HISTORIES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ file: f, fixture: JSON.parse(fs.readFileSync(path.join(HISTORIES_DIR, f), 'utf8')) as HistoryFixture }));
}

if (RECORD) {
  describe('recording workflow histories (RECORD_HISTORIES=1)', () => {
    let env: TestWorkflowEnvironment;

    beforeAll(async () => {
      env = await createTimeSkippingEnv();
    });

    afterAll(async () => {
      await env?.teardown();
    });

    it('given every process, when a representative case is driven to its end, then its history is written as a fixture', async () => {
      const written = await recordHistories(env);
      expect(written.length).toBeGreaterThan(PROCESS_DEFINITIONS.length);
    }, 600_000);
  });
}

describe('workflow history replay', () => {
  let fixtures: { file: string; fixture: HistoryFixture }[] = [];

  beforeAll(() => {
    // Recording installed the runtime already (createTimeSkippingEnv); otherwise only warnings are logged.
    if (!RECORD) Runtime.install({ logger: new DefaultLogger('WARN'), telemetryOptions: { logging: { filter: { core: 'WARN', other: 'ERROR' } } } });
    fixtures = readFixtures();
  });

  it('given the process definitions, when the fixtures are listed, then every process and the scheduled report have a finished history', () => {
    const expected = [...PROCESS_DEFINITIONS.map((p) => p.name), SCHEDULED_REPORT_PROCESS].sort();
    const covered = [...new Set(fixtures.map(({ fixture }) => fixture.process))].sort();
    expect(covered).toEqual(expected);
    for (const p of PROCESS_DEFINITIONS) {
      const own = fixtures.filter(({ fixture }) => fixture.process === p.name);
      expect(own.every(({ fixture }) => fixture.workflowType === p.workflowType)).toBe(true);
    }
  });

  it('given the committed histories of finished cases, when they are replayed against the current workflow code, then none is non-deterministic', async () => {
    expect(fixtures.length).toBeGreaterThan(0);
    const histories = fixtures.map(({ fixture }) => ({ workflowId: fixture.workflowId, history: historyOf(fixture) }));
    const failures: string[] = [];
    let replayed = 0;
    for await (const result of Worker.runReplayHistories(
      { workflowBundle: { codePath: WORKFLOW_BUNDLE_FILE }, replayName: 'history-replay' },
      histories,
    )) {
      replayed += 1;
      if (result.error) {
        const { file } = fixtures.find(({ fixture }) => fixture.workflowId === result.workflowId) ?? { file: result.workflowId };
        failures.push(`${file}: ${result.error.name}: ${result.error.message}`);
      }
    }
    expect(failures).toEqual([]);
    expect(replayed).toBe(fixtures.length);
  });
});
