import type { DataSource, EntityManager } from 'typeorm';
import { randomBytes } from 'node:crypto';
import { type CaseEvent, type CaseSnapshot, type JournalEntry, applySnapshotChanges, nextDeadline } from '@buf/domain';

/** The case file belongs to another workflow run chain (a run started under its id another way). */
export class CaseOwnershipError extends Error {}

export interface StoredCase {
  snapshot: CaseSnapshot;
  journal: JournalEntry[];
}

/** Which cases a caller may read (the read rules of the definitions, as SQL can apply them). */
export interface CaseVisibility {
  /** Processes whose cases the caller may read in full; other cases only when they opened them ... */
  readableProcesses: string[];
  /** ... or when a field of the case's data equals the caller's claim (the assigned jurist). */
  scopes: { process: string; field: string; value: string }[];
  /** Processes whose cases the person who opened them may still see. */
  openerProcesses: string[];
  callerSub: string;
}

export interface CaseListFilter extends CaseVisibility {
  process?: string;
  status?: 'open' | 'closed';
  area?: string;
  overdue?: boolean;
  page: number;
  pageSize: number;
}

/**
 * Open cases for the inbox: readable by the caller, narrowed to where the caller may have
 * something to do (`inSteps`) or to the cases that name them (`namingCaller`), overdue first,
 * then by the nearest pending deadline (none last).
 */
export interface OpenCaseFilter extends CaseVisibility {
  process?: string;
  area?: string;
  overdue?: boolean;
  /** Only cases in one of these steps of their process. */
  inSteps?: { process: string; steps: string[] }[];
  /** Only cases opened by the caller, or whose data field (per process) holds the caller's sub. */
  namingCaller?: { process: string; field: string }[];
  offset: number;
  limit: number;
}

export interface CaseListPage {
  items: CaseSnapshot[];
  total: number;
}

/**
 * The case file and its journal: one step written once (journal entry, snapshot and
 * notifications in one transaction), and the reads of cases. Every write is idempotent, so a
 * retried activity leaves the same rows.
 */
export class CaseStore {
  constructor(private readonly db: DataSource) {}

  /**
   * One step: journal entry, newest snapshot and notifications in one transaction, once. An entry
   * that carries only what changed applies to the stored snapshot in sequence order: entry n when
   * the case file holds n − 1 (before that it fails and its activity is retried until its
   * predecessor is written); an entry already applied changes nothing. Returns the case file as
   * the entry leaves it, and whether this call wrote the entry (metrics count each entry once). Only the run chain that owns the case writes it (claimOwnership).
   */
  async recordEvent(event: CaseEvent): Promise<{ snapshot?: CaseSnapshot; newEntry: boolean }> {
    const { caseId, entry, notifications } = event;
    return this.db.transaction(async (tx: EntityManager) => {
      await this.claimOwnership(tx, event);
      let snapshot = event.snapshot;
      if (event.changes) {
        const [row]: { snapshot: CaseSnapshot; last_seq: number }[] = await tx.query(
          `SELECT snapshot, last_seq FROM case_files WHERE id = $1 FOR UPDATE`,
          [caseId],
        );
        if (!row || row.last_seq < entry.seq - 1) {
          throw new Error(`Case ${caseId}: journal entry ${entry.seq} waits for entry ${entry.seq - 1} (the case file holds ${row?.last_seq ?? 'nothing'})`);
        }
        snapshot = row.last_seq === entry.seq - 1 ? applySnapshotChanges(row.snapshot, event.changes) : undefined;
      }
      // With the step the entry leaves the case in (statistics: where cases wait). An entry
      // already applied (a retry) is already written: nothing changes.
      const inserted: unknown[] = await tx.query(
        `INSERT INTO case_journal (case_id, seq, at, actor_sub, actor_name, action, note, step)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (case_id, seq) DO NOTHING RETURNING seq`,
        [caseId, entry.seq, entry.at, entry.actor.sub, entry.actor.name, entry.action, entry.note ?? null, snapshot?.step ?? null],
      );
      if (snapshot) await tx.query(
        `INSERT INTO case_files (id, case_number, process, step, status, overdue, area, opened_at, closed_at,
                                 opened_by, next_deadline_at, snapshot, last_seq, updated_at, run_chain)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, now(), $14)
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
          event.runChain ?? null,
        ],
      );
      for (const n of notifications) {
        await tx.query(
          `INSERT INTO notification_outbox (dedupe_key, case_id, recipient_role, kind, subject, body)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (dedupe_key) DO NOTHING`,
          [n.key, caseId, n.role, n.kind, n.subject, n.body],
        );
      }
      // newEntry: this call wrote the journal entry (a retry finds it written).
      return { ...(snapshot ? { snapshot } : {}), newEntry: inserted.length > 0 };
    });
  }

  /**
   * The case file belongs to the workflow run chain that first wrote it: another chain (a run
   * started under the case's id by anyone but the service) writes nothing, unless it brings the
   * reopening the API granted (`grantReopening`), which hands the case over to it once. Events of
   * runs from before chains were recorded carry none and are let through; a case file without a
   * chain is bound to the first chain that writes it.
   */
  private async claimOwnership(tx: EntityManager, event: CaseEvent): Promise<void> {
    if (event.runChain === undefined) return;
    const rows: { run_chain: string | null; reopen_grant: string | null }[] = await tx.query(
      `SELECT run_chain, reopen_grant FROM case_files WHERE id = $1 FOR UPDATE`,
      [event.caseId],
    );
    const file = rows[0];
    if (!file || file.run_chain === event.runChain) return;
    if (file.run_chain === null || (event.reopenGrant !== undefined && file.reopen_grant === event.reopenGrant)) {
      await tx.query(`UPDATE case_files SET run_chain = $2, reopen_grant = NULL WHERE id = $1`, [event.caseId, event.runChain]);
      return;
    }
    throw new CaseOwnershipError(`the case belongs to another workflow run; a new run takes it over only when the API reopens it`);
  }

  /** Grants one reopening of a closed case: the new run that brings this grant takes the case over. */
  async grantReopening(caseId: string): Promise<string> {
    const grant = randomBytes(24).toString('base64url');
    await this.db.query(`UPDATE case_files SET reopen_grant = $2 WHERE id = $1`, [caseId, grant]);
    return grant;
  }

  /**
   * The case file and its journal as of the same entry: the journal ends at the entry the
   * snapshot shows (an entry committing between the two reads waits for the next read), so a
   * reader never sees an entry whose effect is not in the snapshot.
   */
  async findCase(caseId: string): Promise<StoredCase | undefined> {
    const rows: { snapshot: CaseSnapshot; last_seq: number }[] = await this.db.query(
      `SELECT snapshot, last_seq FROM case_files WHERE id = $1`,
      [caseId],
    );
    if (rows.length === 0) return undefined;
    const journal: { seq: number; at: Date; actor_sub: string; actor_name: string; action: string; note: string | null }[] =
      await this.db.query(
        `SELECT seq, at, actor_sub, actor_name, action, note FROM case_journal WHERE case_id = $1 AND seq <= $2 ORDER BY seq`,
        [caseId, rows[0].last_seq],
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

  /**
   * Newest first, only cases the caller may read. `total` counts every match: from
   * case_file_counts when the read rules select whole processes (kept in step with the case files
   * by a trigger, 1765300000000-case-file-counts), else from the case files themselves.
   */
  async listCases(filter: CaseListFilter): Promise<CaseListPage> {
    const asked: [column: string, value: unknown][] = [];
    if (filter.process !== undefined) asked.push(['process', filter.process]);
    if (filter.status !== undefined) asked.push(['status', filter.status]);
    if (filter.area !== undefined) asked.push(['area', filter.area]);
    if (filter.overdue !== undefined) asked.push(['overdue', filter.overdue]);
    const where = (readRule: (params: unknown[]) => string) => {
      const params: unknown[] = [];
      const clauses = [readRule(params), ...asked.map(([column, value]) => `${column} = $${params.push(value)}`)];
      return { sql: clauses.join(' AND '), params };
    };
    const read = readRules(filter);
    const rows = where((params) => visibleTo(read, filter.process, params));
    // A case without an area counts under '' (its key cannot be NULL); an area asked as '' matches no case file.
    const counted = 'wholeProcesses' in read && filter.area !== ''
      ? where((params) => `process = ANY($${params.push(read.wholeProcesses)})`)
      : undefined;
    const [{ count }] = counted
      ? await this.db.query(`SELECT coalesce(sum(n), 0)::int AS count FROM case_file_counts WHERE ${counted.sql}`, counted.params)
      : await this.db.query(`SELECT count(*)::int AS count FROM case_files WHERE ${rows.sql}`, rows.params);
    const page: { snapshot: CaseSnapshot }[] = await this.db.query(
      `SELECT snapshot FROM case_files WHERE ${rows.sql}
       ORDER BY opened_at DESC, id DESC LIMIT ${Number(filter.pageSize)} OFFSET ${Number((filter.page - 1) * filter.pageSize)}`,
      rows.params,
    );
    return { items: page.map((r) => r.snapshot), total: count };
  }

  /**
   * One page of open cases for the inbox (see OpenCaseFilter). What SQL can decide is decided
   * here (read rules, filters, the steps where the caller holds an action, the fields naming
   * them); the caller applies the definitions' own rules to the page.
   */
  async listOpenCases(filter: OpenCaseFilter): Promise<CaseSnapshot[]> {
    const params: unknown[] = [];
    const where: string[] = [`status = 'open'`, visibleTo(readRules(filter), filter.process, params)];
    const param = (value: unknown) => (params.push(value), `$${params.length}`);
    if (filter.process !== undefined) where.push(`process = ${param(filter.process)}`);
    if (filter.area !== undefined) where.push(`area = ${param(filter.area)}`);
    if (filter.overdue !== undefined) where.push(`overdue = ${param(filter.overdue)}`);
    if (filter.inSteps !== undefined) {
      const steps = filter.inSteps.filter((p) => p.steps.length > 0).map((p) => `(process = ${param(p.process)} AND step = ANY(${param(p.steps)}))`);
      where.push(steps.length > 0 ? `(${steps.join(' OR ')})` : 'false');
    }
    if (filter.namingCaller !== undefined) {
      const sub = param(filter.callerSub);
      const naming = [`opened_by = ${sub}`, ...filter.namingCaller.map((f) => `(process = ${param(f.process)} AND snapshot->'data'->>(${param(f.field)}::text) = ${sub})`)];
      where.push(`(${naming.join(' OR ')})`);
    }
    const rows: { snapshot: CaseSnapshot }[] = await this.db.query(
      `SELECT snapshot FROM case_files WHERE ${where.join(' AND ')}
       ORDER BY overdue DESC, next_deadline_at ASC NULLS LAST, id ASC LIMIT ${Number(filter.limit)} OFFSET ${Number(filter.offset)}`,
      params,
    );
    return rows.map((r) => r.snapshot);
  }

  async ping(): Promise<void> {
    await this.db.query('SELECT 1');
  }
}

/**
 * The read rules narrowed to what was asked: asked for one process, only that process's rules
 * remain. When every remaining rule is about a process the caller reads in full, they select whole
 * processes (`wholeProcesses`; none when the caller reads nothing that was asked).
 */
function readRules(asked: CaseVisibility & { process?: string }): { wholeProcesses: string[] } | { rules: CaseVisibility } {
  const only = (process: string) => asked.process === undefined || process === asked.process;
  const rules: CaseVisibility = {
    ...asked,
    readableProcesses: asked.readableProcesses.filter(only),
    openerProcesses: asked.openerProcesses.filter(only),
    scopes: asked.scopes.filter((s) => only(s.process)),
  };
  const whole = (process: string) => rules.readableProcesses.includes(process);
  if (rules.openerProcesses.every(whole) && rules.scopes.every((s) => whole(s.process))) return { wholeProcesses: rules.readableProcesses };
  return { rules };
}

/**
 * The read rules (readRules) as one SQL condition (parameters appended to `params`). A caller who
 * reads every case of the process asked for gets no condition at all, so the page stays a walk of
 * the list index (no rule per row).
 */
function visibleTo(read: ReturnType<typeof readRules>, askedProcess: string | undefined, params: unknown[]): string {
  const param = (value: unknown) => (params.push(value), `$${params.length}`);
  if ('wholeProcesses' in read) {
    return askedProcess !== undefined && read.wholeProcesses.length > 0 ? 'true' : `process = ANY(${param(read.wholeProcesses)})`;
  }
  const filter = read.rules;
  const visible = [`process = ANY(${param(filter.readableProcesses)})`, `(opened_by = ${param(filter.callerSub)} AND process = ANY(${param(filter.openerProcesses)}))`];
  for (const scope of filter.scopes) {
    visible.push(`(process = ${param(scope.process)} AND snapshot->'data'->>(${param(scope.field)}::text) = ${param(scope.value)})`);
  }
  return `(${visible.join(' OR ')})`;
}
