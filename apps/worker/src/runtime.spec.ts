import { loadConfig } from '@buf/config';
import { runtimeLogger } from './runtime';

describe("the SDK's log lines in the service's format", () => {
  it('given an activity failure the SDK logs with its error, when written, then the line names the error and the case (not an empty object)', () => {
    const lines: string[] = [];
    const logger = runtimeLogger({ ...loadConfig({ LOG_FORMAT: 'json' }), logLevel: 'info' }, { write: (line: string) => lines.push(line) });
    logger.warn('Activity failed', { workflowId: 'data-breach-2026-0000001', error: new TypeError('store refused the entry') });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ msg: 'Activity failed', caseId: 'data-breach-2026-0000001', error: 'TypeError: store refused the entry' });
  });
});
