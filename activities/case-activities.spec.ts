import { ApplicationFailure } from '@temporalio/common';
import type { CaseEvent } from '@buf/domain';
import type { CaseStore } from '@buf/persistence/case-store';
import { createCaseActivities as createActivities, permanentDataErrorCode } from './case-activities';

const event = { caseId: 'complaint-2026-0000001', entry: { seq: 3, action: 'classify' } } as unknown as CaseEvent;
const storeFailingWith = (err: unknown) => ({ recordEvent: () => Promise.reject(err) }) as unknown as CaseStore;
/** The activities as the workflow of that case runs them. */
const createCaseActivities = (store: CaseStore) => createActivities(store, undefined, () => event.caseId);

describe('recordCaseEvent for another case', () => {
  it('given an event whose case is not the calling workflow, when recorded, then a non-retryable refusal and nothing written', async () => {
    let written = 0;
    const store = { recordEvent: () => Promise.resolve(void (written += 1)) } as unknown as CaseStore;
    const other = createActivities(store, undefined, () => 'complaint-2026-0000002');
    const failure = await other.recordCaseEvent(event).catch((e: unknown) => e);
    expect(failure).toMatchObject({ type: 'CaseOwnedByAnotherRun', nonRetryable: true });
    expect(written).toBe(0);
  });
});

describe('recordCaseEvent when PostgreSQL refuses', () => {
  it('given data PostgreSQL can never hold (SQLSTATE 22P05), when recorded, then a non-retryable failure names the case, the entry and the code', async () => {
    const failure = await createCaseActivities(storeFailingWith(Object.assign(new Error('unsupported Unicode escape sequence'), { code: '22P05' }))).recordCaseEvent(event).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'UnrecordableCaseEvent' });
    expect((failure as Error).message).toBe('Case complaint-2026-0000001: journal entry 3 (classify) cannot be recorded: PostgreSQL refuses the data (SQLSTATE 22P05)');
  });

  it('given the database away (ECONNREFUSED, 57P01), when recorded, then a retryable error names the case, the entry and the code, and nothing of the query', async () => {
    for (const code of ['ECONNREFUSED', '57P01']) {
      const err = Object.assign(new Error('query failed'), { code, parameters: ['Elevliste med CPR 010203-1234'] });
      const failure = await createCaseActivities(storeFailingWith(err)).recordCaseEvent(event).catch((e: unknown) => e);
      expect(failure).not.toBeInstanceOf(ApplicationFailure);
      expect(failure).toMatchObject({ code, message: `Case complaint-2026-0000001: journal entry 3 (classify) not recorded yet: Error (${code}); retried` });
      expect(JSON.stringify(failure)).not.toContain('010203');
    }
  });

  it.each([
    [{ code: '23505' }, '23505'],
    [{ driverError: { code: '22001' } }, '22001'],
    [{ code: '40001' }, undefined],
    [{ code: 'ECONNRESET' }, undefined],
    [undefined, undefined],
  ])('given %j, when classified, then the permanent code is %s', (err, code) => {
    expect(permanentDataErrorCode(err)).toBe(code);
  });
});

describe('recordCaseEvent and the metrics', () => {
  it('given an entry written for the first time and then found written by a retry, when recorded twice, then the listener hears of it once', async () => {
    const heard: string[] = [];
    let calls = 0;
    const store = { recordEvent: () => Promise.resolve({ newEntry: (calls += 1) === 1 }) } as unknown as CaseStore;
    const activities = createActivities(store, undefined, () => event.caseId, (e) => heard.push(`${e.caseId}:${e.entry.seq}`));
    await activities.recordCaseEvent(event);
    await activities.recordCaseEvent(event);
    expect({ calls, heard }).toEqual({ calls: 2, heard: ['complaint-2026-0000001:3'] });
  });
});
