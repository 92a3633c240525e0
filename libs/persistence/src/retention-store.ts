import type { DataSource, EntityManager } from 'typeorm';
import { type CaseSnapshot, anonymiseData } from '@buf/domain';

/** Closed cases past their retention period, anonymised. */
export class RetentionStore {
  constructor(private readonly db: DataSource) {}

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
          // Confidential fields held outside the workflow (the whistleblower's identity) go entirely.
          await tx.query(`DELETE FROM case_confidential_fields WHERE case_id = $1`, [id]);
        });
        done.push(id);
      }
    }
    return done;
  }
}
