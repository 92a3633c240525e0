import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A signed-in browser: who signed in, for what, until when. The browser holds only an opaque id;
 * the row holds its hash, so a copy of the table opens no session. `purpose` keeps the two kinds
 * apart: `codec` (the Temporal UI's codec requests, /codec/session) and `web` (the staff web app).
 */
@Entity({ name: 'sessions' })
@Check('CHK_sessions_purpose', `"purpose" IN ('codec', 'web')`)
export class SessionEntity {
  @PrimaryColumn({ name: 'id_hash', type: 'text', primaryKeyConstraintName: 'PK_sessions' })
  idHash!: string;

  /** The person as they signed in (sub, name, roles, unit, area). */
  @Column({ type: 'jsonb' })
  actor!: Record<string, unknown>;

  @Column({ type: 'text' })
  purpose!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
