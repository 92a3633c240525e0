import type { Pool } from 'pg';

/**
 * Places journal entries at hand-chosen instants (`times[caseId][i]` for entry i + 1), so that a
 * test reads exact durations from the journal. The journal is append-only: its trigger is off for
 * this one transaction only (no other session sees the table meanwhile). Test databases only.
 */
export async function placeJournalTimes(db: Pool, times: Record<string, string[]>): Promise<void> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    await client.query('ALTER TABLE case_journal DISABLE TRIGGER case_journal_no_update');
    for (const [caseId, ats] of Object.entries(times)) {
      for (const [i, at] of ats.entries()) {
        const { rowCount } = await client.query('UPDATE case_journal SET at = $3 WHERE case_id = $1 AND seq = $2', [caseId, i + 1, at]);
        if (rowCount !== 1) throw new Error(`No journal entry ${i + 1} of ${caseId}`);
      }
    }
    await client.query('ALTER TABLE case_journal ENABLE TRIGGER case_journal_no_update');
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}
