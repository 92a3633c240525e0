import { randomUUID } from 'node:crypto';
import type { BreachStep } from './data-breach-fixtures';
import type { Caller, ServiceUnderTest } from './service';

/** Shared by the platform tests (idempotency, worker restarts, the HTTP contract, monitoring, notifications). */
export const HOUR = 3_600_000;
export const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

export const whistleblowerReceipt = () => ({
  brgReference: unique('BRG'),
  subject: 'Indberetning om forhold på en skole',
  summary: 'BRG beder om en udtalelse',
  handlingUnit: 'Skole Nord',
  replyDeadline: new Date(Date.now() + 20 * 24 * HOUR).toISOString(),
});

/** Takes each step of a path and checks that it answered 200 in the step expected. */
export async function takeSteps(caller: Caller, caseId: string, steps: readonly BreachStep[]): Promise<void> {
  for (const s of steps) {
    const res = await caller.act(caseId, s.action, s.body);
    expect({ action: s.action, status: res.status, step: res.body.step }).toEqual({ action: s.action, status: 200, step: s.step });
  }
}

/** The case's journal is exactly these actions, numbered from 1 without gaps. */
export async function expectJournal(service: ServiceUnderTest, caseId: string, actions: string[]): Promise<void> {
  const journal = await service.journal(caseId);
  expect(journal.map((j) => j.action)).toEqual(actions);
  expect(journal.map((j) => j.seq)).toEqual(actions.map((_a, i) => i + 1));
}

export async function countRows(service: ServiceUnderTest, sql: string, params: unknown[]): Promise<number> {
  const { rows } = await service.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params);
  return rows[0].n;
}
