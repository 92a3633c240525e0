import { createHash, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Actor } from '@buf/domain';

const hashOf = (id: string) => createHash('sha256').update(id).digest('hex');

/**
 * Codec sessions kept by the server: a session is an opaque random id in the browser and a row
 * here, so it can be ended at sign-out, its expiry is the server's, and it is good for nothing
 * but the codec (a token in the cookie was good on the whole API).
 */
export class CodecSessionStore {
  constructor(private readonly db: DataSource) {}

  /** Opens a session for this person until `expiresAt`; returns the id the browser keeps. */
  async open(actor: Actor, expiresAt: Date): Promise<string> {
    const id = randomBytes(32).toString('base64url');
    await this.db.query(`INSERT INTO codec_sessions (id_hash, actor, expires_at) VALUES ($1, $2, $3)`, [hashOf(id), JSON.stringify(actor), expiresAt]);
    // Sessions that ended are of no further use.
    await this.db.query(`DELETE FROM codec_sessions WHERE expires_at < now()`);
    return id;
  }

  /** The person of a session that exists and has not expired. */
  async find(id: string): Promise<{ actor: Actor; expiresAt: Date } | undefined> {
    const rows: { actor: Actor; expires_at: Date }[] = await this.db.query(
      `SELECT actor, expires_at FROM codec_sessions WHERE id_hash = $1 AND expires_at > now()`,
      [hashOf(id)],
    );
    return rows[0] ? { actor: rows[0].actor, expiresAt: new Date(rows[0].expires_at) } : undefined;
  }

  async end(id: string): Promise<void> {
    await this.db.query(`DELETE FROM codec_sessions WHERE id_hash = $1`, [hashOf(id)]);
  }
}
