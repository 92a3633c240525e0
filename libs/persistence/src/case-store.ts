import type { DataSource, EntityManager } from 'typeorm';
import {
  type CaseEvent,
  type CaseSnapshot,
  type JournalEntry,
  anonymiseData,
  caseIdOf,
  formatCaseNumber,
  nextDeadline,
} from '../../domain/src';

export interface StoredCase {
  snapshot: CaseSnapshot;
  journal: JournalEntry[];
}

export interface CaseListFilter {
  process?: string;
  status?: 'open' | 'closed';
  area?: string;
  overdue?: boolean;
  /** Processes whose cases the caller may read in full; other cases only when they opened them ... */
  readableProcesses: string[];
  /** ... or when a field of the case's data equals the caller's claim (the assigned jurist). */
  scopes: { process: string; field: string; value: string }[];
  /** Processes whose cases the person who opened them may still see. */
  openerProcesses: string[];
  callerSub: string;
  page: number;
  pageSize: number;
}

export interface IdempotencyRecord {
  process: string;
  caseId: string;
  caseNumber: string;
  /** Null when the key started a case. */
  action: string | null;
}

export interface CaseListPage {
  items: CaseSnapshot[];
  total: number;
}

/**
 * Reads and writes case files, the journal and the outbox. Every write is idempotent, so a
 * retried activity or a repeated request leaves the same rows.
 */
export class CaseStore {
  constructor(private readonly db: DataSource) {}

  /** One step: journal entry, newest snapshot and notifications in one transaction, once. */
  async recordEvent(event: CaseEvent): Promise<void> {
    const { caseId, entry, snapshot, notifications } = event;
    await this.db.transaction(async (tx: EntityManager) => {
      await tx.query(
        `INSERT INTO case_journal (case_id, seq, at, actor_sub, actor_name, action, note)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (case_id, seq) DO NOTHING`,
        [caseId, entry.seq, entry.at, entry.actor.sub, entry.actor.name, entry.action, entry.note ?? null],
      );
      await tx.query(
        `INSERT INTO case_files (id, case_number, process, step, status, overdue, area, opened_at, closed_at,
                                 opened_by, next_deadline_at, snapshot, last_seq, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, now())
         ON CONFLICT (id) DO UPDATE SET
           step = EXCLUDED.step, status = EXCLUDED.status, overdue = EXCLUDED.overdue, area = EXCLUDED.area,
           closed_at = EXCLUDED.closed_at, next_deadline_at = EXCLUDED.next_deadline_at,
           snapshot = EXCLUDED.snapshot, last_seq = EXCLUDED.last_seq, updated_at = now()
         WHERE case_files.last_seq < EXCLUDED.last_seq`,
        [
          caseId,
          snapshot.caseNumber,
          snapshot.process,
          snapshot.step,
          snapshot.status,
          snapshot.overdue,
          snapshot.area ?? null,
          snapshot.openedAt,
          snapshot.closedAt ?? null,
          snapshot.openedBy.sub,
          nextDeadline(snapshot) ?? null,
          JSON.stringify(snapshot),
          entry.seq,
        ],
      );
      for (const n of notifications) {
        await tx.query(
          `INSERT INTO notification_outbox (dedupe_key, case_id, recipient_role, kind, subject, body)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (dedupe_key) DO NOTHING`,
          [n.key, caseId, n.role, n.kind, n.subject, n.body],
        );
      }
    });
  }

  async findCase(caseId: string): Promise<StoredCase | undefined> {
    const rows: { snapshot: CaseSnapshot }[] = await this.db.query(`SELECT snapshot FROM case_files WHERE id = $1`, [caseId]);
    if (rows.length === 0) return undefined;
    const journal: { seq: number; at: Date; actor_sub: string; actor_name: string; action: string; note: string | null }[] =
      await this.db.query(
        `SELECT seq, at, actor_sub, actor_name, action, note FROM case_journal WHERE case_id = $1 ORDER BY seq`,
        [caseId],
      );
    return {
      snapshot: rows[0].snapshot,
      journal: journal.map((j) => ({
        seq: j.seq,
        at: j.at.toISOString(),
        actor: { sub: j.actor_sub, name: j.actor_name },
        action: j.action,
        ...(j.note !== null ? { note: j.note } : {}),
      })),
    };
  }

  /** Newest first, only cases the caller may read. */
  async listCases(filter: CaseListFilter): Promise<CaseListPage> {
    const params: unknown[] = [filter.readableProcesses, filter.callerSub, filter.openerProcesses];
    const visible = ['process = ANY($1)', '(opened_by = $2 AND process = ANY($3))'];
    for (const scope of filter.scopes) {
      params.push(scope.process, scope.field, scope.value);
      const n = params.length;
      visible.push(`(process = $${n - 2} AND snapshot->'data'->>($${n - 1}::text) = $${n})`);
    }
    const where: string[] = [`(${visible.join(' OR ')})`];
    const add = (clause: string, value: unknown) => {
      params.push(value);
      where.push(clause.replace('?', `$${params.length}`));
    };
    if (filter.process !== undefined) add('process = ?', filter.process);
    if (filter.status !== undefined) add('status = ?', filter.status);
    if (filter.area !== undefined) add('area = ?', filter.area);
    if (filter.overdue !== undefined) add('overdue = ?', filter.overdue);
    const whereSql = where.join(' AND ');
    const [{ count }] = await this.db.query(`SELECT count(*)::int AS count FROM case_files WHERE ${whereSql}`, params);
    const rows: { snapshot: CaseSnapshot }[] = await this.db.query(
      `SELECT snapshot FROM case_files WHERE ${whereSql}
       ORDER BY opened_at DESC, id DESC LIMIT ${Number(filter.pageSize)} OFFSET ${Number((filter.page - 1) * filter.pageSize)}`,
      params,
    );
    return { items: rows.map((r) => r.snapshot), total: count };
  }

  /** A new case number from the database sequence: `YYYY-NNNNNNN`. */
  async nextCaseNumber(year: number): Promise<string> {
    const [{ n }] = await this.db.query(`SELECT nextval('case_number_seq')::int AS n`);
    return formatCaseNumber(year, n);
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

  /**
   * Anonymises closed cases whose retention period has passed: the case data keeps only what the
   * reports count, journal notes and actor names are cleared, and the journal records that it
   * happened. Returns the ids anonymised. Idempotent: an anonymised case is not touched again.
   */
  async anonymiseExpired(asOf: Date, retentionDays: Record<string, number>, batch = 200): Promise<string[]> {
    const done: string[] = [];
    for (const [process, days] of Object.entries(retentionDays)) {
      const cutoff = new Date(asOf.getTime() - days * 86_400_000);
      const due: { id: string }[] = await this.db.query(
        `SELECT id FROM case_files WHERE process = $1 AND status = 'closed' AND closed_at <= $2
           AND NOT (snapshot->'data' ? 'anonymised') ORDER BY closed_at LIMIT $3`,
        [process, cutoff, batch],
      );
      for (const { id } of due) {
        await this.db.transaction(async (tx: EntityManager) => {
          const [row]: { snapshot: CaseSnapshot; last_seq: number }[] = await tx.query(
            `SELECT snapshot, last_seq FROM case_files WHERE id = $1 FOR UPDATE`,
            [id],
          );
          if (!row || (row.snapshot.data as Record<string, unknown>).anonymised) return;
          const seq = row.last_seq + 1;
          const snapshot = { ...row.snapshot, openedBy: { sub: row.snapshot.openedBy.sub, name: 'anonymiseret' }, data: anonymiseData(process, row.snapshot.data as Record<string, unknown>) };
          await tx.query(`UPDATE case_journal SET note = NULL, actor_name = 'anonymiseret' WHERE case_id = $1`, [id]);
          await tx.query(
            `INSERT INTO case_journal (case_id, seq, at, actor_sub, actor_name, action, note)
             VALUES ($1, $2, $3, 'system', 'Systemet', 'anonymised', $4)`,
            [id, seq, asOf, `Anonymiseret efter opbevaringsperioden (${days} dage)`],
          );
          await tx.query(`UPDATE case_files SET snapshot = $2, last_seq = $3, updated_at = now() WHERE id = $1`, [id, JSON.stringify(snapshot), seq]);
          // The key (a hash of e.g. employee and course) goes with the data it was made from.
          await tx.query(`DELETE FROM open_case_keys WHERE case_id = $1`, [id]);
        });
        done.push(id);
      }
    }
    return done;
  }

  async recordRead(caseId: string, actor: { sub: string; name: string }): Promise<void> {
    await this.db.query(`INSERT INTO case_read_log (case_id, actor_sub, actor_name) VALUES ($1, $2, $3)`, [caseId, actor.sub, actor.name]);
  }

  async ping(): Promise<void> {
    await this.db.query('SELECT 1');
  }
}
