import { ApplicationFailure } from '@temporalio/common';
import type { CaseEvent } from '@buf/domain';
import type { CaseStore } from '@buf/persistence/case-store';
import { createCaseActivities, permanentDataErrorCode } from './case-activities';

const event = { caseId: 'complaint-2026-0000001', entry: { seq: 3, action: 'classify' } } as unknown as CaseEvent;
const storeFailingWith = (err: unknown) => ({ recordEvent: () => Promise.reject(err) }) as unknown as CaseStore;

describe('recordCaseEvent when PostgreSQL refuses', () => {
  it('given data PostgreSQL can never hold (SQLSTATE 22P05), when recorded, then a non-retryable failure names the case, the entry and the code', async () => {
    const failure = await createCaseActivities(storeFailingWith(Object.assign(new Error('unsupported Unicode escape sequence'), { code: '22P05' }))).recordCaseEvent(event).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'UnrecordableCaseEvent' });
    expect((failure as Error).message).toBe('Case complaint-2026-0000001: journal entry 3 (classify) cannot be recorded: PostgreSQL refuses the data (SQLSTATE 22P05)');
  });

  it('given the database away (ECONNREFUSED, 57P01), when recorded, then the error is passed on as it is, to be retried', async () => {
    for (const err of [Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), Object.assign(new Error('terminating connection'), { code: '57P01' })]) {
      await expect(createCaseActivities(storeFailingWith(err)).recordCaseEvent(event)).rejects.toBe(err);
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
