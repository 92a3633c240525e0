import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A codec session of the Temporal UI: who signed in at /codec/session, until when. The browser
 * holds only an opaque id; the row holds its hash, so a copy of the table opens no session.
 */
@Entity({ name: 'codec_sessions' })
export class CodecSessionEntity {
  @PrimaryColumn({ name: 'id_hash', type: 'text', primaryKeyConstraintName: 'PK_codec_sessions' })
  idHash!: string;

  /** The person as the token named them when they signed in (sub, name, roles, unit, area). */
  @Column({ type: 'jsonb' })
  actor!: Record<string, unknown>;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
