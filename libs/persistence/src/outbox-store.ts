import type { DataSource } from 'typeorm';

export interface OutboxMessage {
  id: string;
  dedupeKey: string;
  caseId: string;
  /** A role, or a person by function and place (`recipientKey` of @buf/domain). */
  recipientRole: string;
  /** Who gets a copy, in the same form; undefined: nobody. */
  cc?: string;
  kind: string;
  subject: string;
  body: string;
  attempts: number;
}

/** The sending side of the outbox: claim, then mark sent or release for a later attempt. */
export class OutboxStore {
  constructor(private readonly db: DataSource) {}

  /**
   * Claims up to `limit` messages. A message claimed by a sender that died is claimable again
   * after `staleAfterMs`; SKIP LOCKED lets several senders share the table.
   */
  async claim(limit: number, staleAfterMs: number): Promise<OutboxMessage[]> {
    const rows: Record<string, unknown>[] = await this.db.query(
      `UPDATE notification_outbox SET status = 'sending', claimed_at = now(), attempts = attempts + 1
       WHERE id IN (
         SELECT id FROM notification_outbox
         WHERE status = 'pending' OR (status = 'sending' AND claimed_at < now() - ($2::int * interval '1 millisecond'))
         ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING id, dedupe_key, case_id, recipient_role, cc_recipient, kind, subject, body, attempts`,
      [limit, staleAfterMs],
    );
    const updated = (Array.isArray(rows[0]) ? rows[0] : rows) as Record<string, unknown>[];
    return updated.map((r) => ({
      id: String(r.id),
      dedupeKey: String(r.dedupe_key),
      caseId: String(r.case_id),
      recipientRole: String(r.recipient_role),
      ...(r.cc_recipient ? { cc: String(r.cc_recipient) } : {}),
      kind: String(r.kind),
      subject: String(r.subject),
      body: String(r.body),
      attempts: Number(r.attempts),
    }));
  }

  /** Queues notifications that belong to no case step (scheduled reports); the key makes each unique. */
  async enqueue(messages: { key: string; caseId: string; role: string; cc?: string; kind: string; subject: string; body: string }[]): Promise<void> {
    for (const m of messages) {
      await this.db.query(
        `INSERT INTO notification_outbox (dedupe_key, case_id, recipient_role, cc_recipient, kind, subject, body)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (dedupe_key) DO NOTHING`,
        [m.key, m.caseId, m.role, m.cc ?? null, m.kind, m.subject, m.body],
      );
    }
  }

  /** Messages not sent yet, and the age in seconds of the oldest of them (0 when there is none). */
  async backlog(): Promise<{ messages: number; oldestAgeSeconds: number }> {
    const [row]: { messages: number; age: number | null }[] = await this.db.query(
      `SELECT count(*)::int AS messages, EXTRACT(EPOCH FROM now() - min(created_at))::float8 AS age FROM notification_outbox WHERE status <> 'sent'`,
    );
    return { messages: row?.messages ?? 0, oldestAgeSeconds: Math.max(0, row?.age ?? 0) };
  }

  async markSent(id: string): Promise<void> {
    await this.db.query(`UPDATE notification_outbox SET status = 'sent', sent_at = now(), last_error = NULL WHERE id = $1`, [id]);
  }

  async release(id: string, error: string): Promise<void> {
    await this.db.query(`UPDATE notification_outbox SET status = 'pending', last_error = $2 WHERE id = $1`, [id, error.slice(0, 500)]);
  }
}
