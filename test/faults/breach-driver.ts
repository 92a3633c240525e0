import { HIGH_RISK_JOURNAL, HIGH_RISK_PATH, breachReport } from '../support/data-breach-fixtures';
import type { ApiResponse, Caller, ServiceUnderTest } from '../support/service';
import { eventually } from '../support/polling';

/**
 * Drives data-breach cases through every step over HTTP the way a careful client does while
 * something is failing underneath: every request carries an Idempotency-Key and is repeated
 * with the same key on a network error or a 5xx, within a bounded time.
 */
export interface DriveStats {
  /** Answers by status (and 'network' for a cut connection) seen while retrying. */
  transient: Map<string, number>;
  /** Bodies of 5xx answers, for asserting their shape. */
  unavailableBodies: unknown[];
}

export const newStats = (): DriveStats => ({ transient: new Map(), unavailableBodies: [] });

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Repeats `call` (same Idempotency-Key inside) until it answers below 500, for at most `budgetMs`. */
export async function withRetries(stats: DriveStats, call: () => Promise<ApiResponse>, budgetMs = 180_000): Promise<ApiResponse> {
  const deadline = Date.now() + budgetMs;
  for (;;) {
    let res: ApiResponse | undefined;
    try {
      res = await call();
    } catch {
      stats.transient.set('network', (stats.transient.get('network') ?? 0) + 1);
    }
    if (res && res.status < 500) return res;
    if (res) {
      stats.transient.set(String(res.status), (stats.transient.get(String(res.status)) ?? 0) + 1);
      stats.unavailableBodies.push(res.body);
    }
    if (Date.now() > deadline) throw new Error(`still failing after ${budgetMs} ms: ${res ? `${res.status} ${JSON.stringify(res.body)}` : 'network error'}`);
    await pause(250 + Math.random() * 250);
  }
}

/** Opens one case and takes every step; returns the case id and the answers' statuses. */
export async function driveBreach(label: string, reporter: Caller, gdpr: Caller, stats: DriveStats): Promise<{ id: string; statuses: number[] }> {
  const statuses: number[] = [];
  const report = breachReport();
  const opened = await withRetries(stats, () => reporter.start('data-breach', report, { 'Idempotency-Key': `${label}-open` }));
  statuses.push(opened.status);
  if (opened.status !== 201 && opened.status !== 200) throw new Error(`${label}: open answered ${opened.status} ${JSON.stringify(opened.body)}`);
  const id: string = opened.body.id;
  for (const step of HIGH_RISK_PATH) {
    const res = await withRetries(stats, () => gdpr.act(id, step.action, step.body, { 'Idempotency-Key': `${label}-${step.action}` }));
    statuses.push(res.status);
    if (res.status !== 200 || res.body.step !== step.step) {
      throw new Error(`${label} (${id}): ${step.action} answered ${res.status} ${JSON.stringify(res.body)}`);
    }
  }
  return { id, statuses };
}

/** Runs `count` drivers at once; resolves with every case id (rejects if any driver failed). */
export async function driveMany(prefix: string, count: number, reporter: Caller, gdpr: Caller, stats: DriveStats): Promise<string[]> {
  const results = await Promise.allSettled(Array.from({ length: count }, (_, i) => driveBreach(`${prefix}-${i}`, reporter, gdpr, stats)));
  const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => String(r.reason));
  if (failures.length > 0) throw new Error(`${failures.length} of ${count} cases failed; first: ${failures.slice(0, 3).join(' | ')}`);
  return results.map((r) => (r as PromiseFulfilledResult<{ id: string }>).value.id);
}

/** Per case: journal actions and seqs, and the outbox's dedupe keys. */
export async function caseRecords(service: ServiceUnderTest, ids: string[]): Promise<Map<string, { actions: string[]; seqs: number[]; dedupeKeys: string[]; unsent: number }>> {
  const journal = await service.db.query<{ case_id: string; seq: number; action: string }>(
    'SELECT case_id, seq, action FROM case_journal WHERE case_id = ANY($1) ORDER BY case_id, seq',
    [ids],
  );
  const outbox = await service.db.query<{ case_id: string; dedupe_key: string; status: string }>(
    'SELECT case_id, dedupe_key, status FROM notification_outbox WHERE case_id = ANY($1) ORDER BY case_id, dedupe_key',
    [ids],
  );
  const records = new Map(ids.map((id) => [id, { actions: [] as string[], seqs: [] as number[], dedupeKeys: [] as string[], unsent: 0 }]));
  for (const row of journal.rows) {
    records.get(row.case_id)?.actions.push(row.action);
    records.get(row.case_id)?.seqs.push(Number(row.seq));
  }
  for (const row of outbox.rows) {
    const r = records.get(row.case_id);
    if (!r) continue;
    r.dedupeKeys.push(row.dedupe_key);
    // 'sending' rows claimed by a killed worker's sender are claimed again after its stale-claim time (5 min).
    if (row.status === 'pending') r.unsent += 1;
  }
  return records;
}

/** Dedupe keys with the case id taken out, so cases can be compared with a reference case. */
export const keyShape = (id: string, keys: string[]) => keys.map((k) => k.split(id).join('<case>')).sort();

/** Polls until `check` holds (bounded); a check that throws (the service restarting) counts as not yet. */
export async function eventuallyHolds(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  await eventually(what, () => check().catch(() => false), timeoutMs, 250);
}

/** Drives one case with nothing failing; the shape of the notifications one breach produces (case id taken out). */
export async function referenceNotificationKeys(label: string, service: ServiceUnderTest, reporter: Caller, gdpr: Caller): Promise<string[]> {
  const reference = await driveBreach(label, reporter, gdpr, newStats());
  await eventuallyHolds('the reference notifications are sent', async () => (await caseRecords(service, [reference.id])).get(reference.id)!.unsent === 0);
  const keys = keyShape(reference.id, (await caseRecords(service, [reference.id])).get(reference.id)!.dedupeKeys);
  expect(keys.length).toBeGreaterThan(0);
  return keys;
}

/**
 * Every case driven through the high-risk path: each step journalled once and in order, each of
 * the reference case's notifications once (and sent), and the case closed.
 */
export async function expectEachCaseOnce(service: ServiceUnderTest, ids: string[], referenceKeys: string[], reader: Caller, sentWithinMs = 120_000): Promise<void> {
  await eventuallyHolds('no notification is left pending', async () => [...(await caseRecords(service, ids)).values()].every((r) => r.unsent === 0), sentWithinMs);
  const records = await caseRecords(service, ids);
  for (const id of ids) {
    const r = records.get(id)!;
    expect({ id, actions: r.actions, seqs: r.seqs }).toEqual({ id, actions: HIGH_RISK_JOURNAL, seqs: HIGH_RISK_JOURNAL.map((_, i) => i + 1) });
    expect({ id, keys: keyShape(id, r.dedupeKeys) }).toEqual({ id, keys: referenceKeys });
  }
  const states = await Promise.all(ids.map((id) => reader.get(`/cases/${id}`)));
  expect(states.map((s) => `${s.status} ${s.body.status}`)).toEqual(ids.map(() => '200 closed'));
}
