import { createHash, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Actor } from '@buf/domain';

const hashOf = (id: string) => createHash('sha256').update(id).digest('hex');

/** What a session is good for: the codec endpoint from the Temporal UI, or the staff web app. */
export type SessionPurpose = 'codec' | 'web';

/**
 * Browser sessions kept by the server: a session is an opaque random id in the browser and a row
 * here, so it can be ended at sign-out, its expiry is the server's, and it is good for its one
 * purpose only (a token in a cookie would be good on the whole API, for as long as it lives).
 */
export class SessionStore {
  constructor(private readonly db: DataSource) {}

  /** Opens a session for this person until `expiresAt`; returns the id the browser keeps. */
  async open(actor: Actor, expiresAt: Date, purpose: SessionPurpose): Promise<string> {
    const id = randomBytes(32).toString('base64url');
    await this.db.query(`INSERT INTO sessions (id_hash, actor, purpose, expires_at) VALUES ($1, $2, $3, $4)`, [hashOf(id), JSON.stringify(actor), purpose, expiresAt]);
    // Sessions that ended are of no further use.
    await this.db.query(`DELETE FROM sessions WHERE expires_at < now()`);
    return id;
  }

  /** The person of a session for this purpose that exists and has not expired. */
  async find(id: string, purpose: SessionPurpose): Promise<{ actor: Actor; expiresAt: Date } | undefined> {
    const rows: { actor: Actor; expires_at: Date }[] = await this.db.query(
      `SELECT actor, expires_at FROM sessions WHERE id_hash = $1 AND purpose = $2 AND expires_at > now()`,
      [hashOf(id), purpose],
    );
    return rows[0] ? { actor: rows[0].actor, expiresAt: new Date(rows[0].expires_at) } : undefined;
  }

  async end(id: string): Promise<void> {
    await this.db.query(`DELETE FROM sessions WHERE id_hash = $1`, [hashOf(id)]);
  }
}
