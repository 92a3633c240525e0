import type { DataSource, EntityManager } from 'typeorm';
import { type CaseSnapshot, caseIdOf, formatCaseNumber } from '@buf/domain';

/** The case that holds a "one open case per …" key; `snapshot` is its case file's, when written. */
export interface OpenCaseKeyHolder {
  caseId: string;
  caseNumber: string;
  holderStatus: 'new' | 'open' | 'closed' | 'unwritten';
  snapshot?: CaseSnapshot;
}

function holderOf(r: { case_id: string; case_number: string; status: string | null; snapshot: unknown }): OpenCaseKeyHolder {
  const holderStatus = r.status === null ? 'unwritten' : r.status === 'closed' ? 'closed' : 'open';
  return { caseId: r.case_id, caseNumber: r.case_number, holderStatus, ...(r.snapshot ? { snapshot: r.snapshot as CaseSnapshot } : {}) };
}

export interface IdempotencyRecord {
  process: string;
  caseId: string;
  caseNumber: string;
  /** Null when the key started a case. */
  action: string | null;
}

/**
 * What a start or an action claims before it reaches Temporal: case numbers, Idempotency-Keys
 * and the one-open-case keys of processes that have them; and their release when a start
 * produced no case.
 */
export class ClaimsStore {
  constructor(private readonly db: DataSource) {}

  /** A new case number from the database sequence: `YYYY-NNNNNNN`. */
  async nextCaseNumber(year: number): Promise<string> {
    const [{ n }] = await this.db.query(`SELECT nextval('case_number_seq')::int AS n`);
    return formatCaseNumber(year, n);
  }

  /** `count` new case numbers in one statement (a bulk import), in sequence order. */
  async nextCaseNumbers(year: number, count: number): Promise<string[]> {
    if (count <= 0) return [];
    const rows: { n: number }[] = await this.db.query(`SELECT nextval('case_number_seq')::int AS n FROM generate_series(1, $1)`, [count]);
    return rows.map((r) => r.n).sort((a, b) => a - b).map((n) => formatCaseNumber(year, n));
  }

  async findIdempotentStart(callerSub: string, key: string): Promise<IdempotencyRecord | undefined> {
    const rows: { process: string; case_id: string; case_number: string; action: string | null }[] = await this.db.query(
      `SELECT process, case_id, case_number, action FROM idempotency_keys WHERE caller_sub = $1 AND key = $2`,
      [callerSub, key],
    );
    const r = rows[0];
    return r ? { process: r.process, caseId: r.case_id, caseNumber: r.case_number, action: r.action } : undefined;
  }

  /**
   * Claims a key for an action on a case. Returns what the key stands for (this action, or what
   * it was used for before) and whether it was claimed earlier.
   */
  async claimIdempotentAction(callerSub: string, key: string, snapshot: { id: string; process: string; caseNumber: string }, action: string): Promise<IdempotencyRecord & { earlier: boolean }> {
    const inserted: unknown[] = await this.db.query(
      `INSERT INTO idempotency_keys (caller_sub, key, process, case_id, case_number, action) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (caller_sub, key) DO NOTHING RETURNING key`,
      [callerSub, key, snapshot.process, snapshot.id, snapshot.caseNumber, action],
    );
    const record = await this.findIdempotentStart(callerSub, key);
    if (!record) throw new Error('Idempotency key vanished after insert');
    return { ...record, earlier: inserted.length === 0 };
  }

  /**
   * Claims an idempotency key for a new case; if another request claimed it first, returns
   * that request's case instead (so concurrent repeats converge on one case).
   */
  async claimIdempotentStart(callerSub: string, key: string, process: string, caseNumber: string): Promise<IdempotencyRecord> {
    const caseId = caseIdOf(process, caseNumber);
    await this.db.query(
      `INSERT INTO idempotency_keys (caller_sub, key, process, case_id, case_number) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (caller_sub, key) DO NOTHING`,
      [callerSub, key, process, caseId, caseNumber],
    );
    const claimed = await this.findIdempotentStart(callerSub, key);
    if (!claimed) throw new Error('Idempotency key vanished after insert');
    return claimed;
  }

  /**
   * A start that failed gives back what it claimed — the caller's Idempotency-Key and the
   * process's one-open-case key — so that a correct retry opens the case. Only while no case file
   * exists under that id: a case that was written keeps its claims.
   */
  async releaseStartClaims(caseId: string, idempotency?: { callerSub: string; key: string }): Promise<void> {
    await this.db.transaction(async (tx: EntityManager) => {
      const unwritten = `NOT EXISTS (SELECT 1 FROM case_files f WHERE f.id = $1)`;
      await tx.query(`DELETE FROM open_case_keys WHERE case_id = $1 AND ${unwritten}`, [caseId]);
      if (idempotency) {
        await tx.query(
          `DELETE FROM idempotency_keys WHERE case_id = $1 AND caller_sub = $2 AND key = $3 AND action IS NULL AND ${unwritten}`,
          [caseId, idempotency.callerSub, idempotency.key],
        );
      }
    });
  }

  /**
   * Who holds each of these "one open case per …" keys now, in one query (a bulk import's batch):
   * the case, and its case file's status (`unwritten` while no case file exists). Keys no case
   * holds are absent.
   */
  async openCaseKeyHolders(process: string, keyHashes: readonly string[]): Promise<Map<string, OpenCaseKeyHolder>> {
    const rows: { key_hash: string; case_id: string; case_number: string; status: string | null; snapshot: unknown }[] = await this.db.query(
      `SELECT k.key_hash, k.case_id, k.case_number, f.status, f.snapshot FROM open_case_keys k LEFT JOIN case_files f ON f.id = k.case_id
        WHERE k.process = $1 AND k.key_hash = ANY($2)`,
      [process, keyHashes],
    );
    return new Map(rows.map((r) => [r.key_hash, holderOf(r)]));
  }

  /**
   * claimOpenCaseKey for many keys in one transaction (a bulk import's batch): each key is claimed
   * for its new case number unless a case holds it; a closed holder gives it up. Returns the
   * holder of every key afterwards, as claimOpenCaseKey does (`new` for the keys claimed now).
   * Keys are taken in one order (by hash), so two imports of overlapping files wait for each
   * other instead of deadlocking.
   */
  async claimOpenCaseKeys(process: string, claims: readonly { keyHash: string; caseNumber: string }[]): Promise<Map<string, OpenCaseKeyHolder>> {
    if (claims.length === 0) return new Map();
    const keyHashes = claims.map((c) => c.keyHash);
    const caseNumbers = claims.map((c) => c.caseNumber);
    const caseIds = caseNumbers.map((n) => caseIdOf(process, n));
    return this.db.transaction(async (tx: EntityManager) => {
      const inserted: { key_hash: string }[] = await tx.query(
        `INSERT INTO open_case_keys (process, key_hash, case_id, case_number)
         SELECT $1, k, c, n FROM unnest($2::text[], $3::text[], $4::text[]) AS t(k, c, n) ORDER BY k
         ON CONFLICT (process, key_hash) DO NOTHING RETURNING key_hash`,
        [process, keyHashes, caseIds, caseNumbers],
      );
      const claimed = new Set(inserted.map((r) => r.key_hash));
      const rest = claims.filter((c) => !claimed.has(c.keyHash));
      const holders = new Map<string, OpenCaseKeyHolder>(claims.filter((c) => claimed.has(c.keyHash)).map((c) => [c.keyHash, { caseId: caseIdOf(process, c.caseNumber), caseNumber: c.caseNumber, holderStatus: 'new' }]));
      if (rest.length === 0) return holders;
      const rows: { key_hash: string; case_id: string; case_number: string; status: string | null; snapshot: unknown }[] = await tx.query(
        `SELECT k.key_hash, k.case_id, k.case_number, f.status, f.snapshot FROM open_case_keys k LEFT JOIN case_files f ON f.id = k.case_id
          WHERE k.process = $1 AND k.key_hash = ANY($2) ORDER BY k.key_hash FOR UPDATE OF k`,
        [process, rest.map((c) => c.keyHash)],
      );
      const taken = rows.filter((r) => r.status === 'closed').map((r) => rest.find((c) => c.keyHash === r.key_hash) as { keyHash: string; caseNumber: string });
      if (taken.length > 0) {
        await tx.query(
          `UPDATE open_case_keys k SET case_id = t.c, case_number = t.n, claimed_at = now()
             FROM unnest($2::text[], $3::text[], $4::text[]) AS t(k, c, n) WHERE k.process = $1 AND k.key_hash = t.k`,
          [process, taken.map((c) => c.keyHash), taken.map((c) => caseIdOf(process, c.caseNumber)), taken.map((c) => c.caseNumber)],
        );
      }
      for (const r of rows) {
        const retaken = taken.find((c) => c.keyHash === r.key_hash);
        holders.set(r.key_hash, retaken ? { caseId: caseIdOf(process, retaken.caseNumber), caseNumber: retaken.caseNumber, holderStatus: 'new' } : holderOf(r));
      }
      return holders;
    });
  }

  /**
   * Claims a process's "one open case per …" key for a new case number. Returns the case that
   * holds the key afterwards: the new one, or the one that held it and is still open (or not yet
   * written: a start in flight or one that failed before the worker wrote it; the caller then
   * starts that same case, so concurrent starts meet in one). A closed holder gives the key up.
   */
  async claimOpenCaseKey(process: string, keyHash: string, caseNumber: string): Promise<{ caseId: string; caseNumber: string; holderStatus: 'new' | 'open' | 'unwritten' }> {
    return this.db.transaction(async (tx: EntityManager) => {
      const caseId = caseIdOf(process, caseNumber);
      const inserted: unknown[] = await tx.query(
        `INSERT INTO open_case_keys (process, key_hash, case_id, case_number) VALUES ($1, $2, $3, $4)
         ON CONFLICT (process, key_hash) DO NOTHING RETURNING case_id`,
        [process, keyHash, caseId, caseNumber],
      );
      if (inserted.length > 0) return { caseId, caseNumber, holderStatus: 'new' as const };
      const [holder]: { case_id: string; case_number: string; status: string | null }[] = await tx.query(
        `SELECT k.case_id, k.case_number, f.status FROM open_case_keys k LEFT JOIN case_files f ON f.id = k.case_id
          WHERE k.process = $1 AND k.key_hash = $2 FOR UPDATE OF k`,
        [process, keyHash],
      );
      if (holder.status === 'closed') {
        await tx.query(`UPDATE open_case_keys SET case_id = $3, case_number = $4, claimed_at = now() WHERE process = $1 AND key_hash = $2`, [process, keyHash, caseId, caseNumber]);
        return { caseId, caseNumber, holderStatus: 'new' as const };
      }
      return { caseId: holder.case_id, caseNumber: holder.case_number, holderStatus: holder.status === null ? ('unwritten' as const) : ('open' as const) };
    });
  }
}
