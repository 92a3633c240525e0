import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A confidential field of a case, held outside the workflow (a field the definition marks
 * `heldOutsideWorkflow`, e.g. the whistleblower's identity): encrypted at rest with the payload
 * key, one row per case and field.
 */
@Entity({ name: 'case_confidential_fields' })
export class ConfidentialFieldEntity {
  @PrimaryColumn({ name: 'case_id', type: 'text', primaryKeyConstraintName: 'PK_case_confidential_fields' })
  caseId!: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'PK_case_confidential_fields' })
  field!: string;

  /** Which payload key encrypted it (keys rotate; old ones stay for reading). */
  @Column({ name: 'key_id', type: 'text' })
  keyId!: string;

  /** AES-256-GCM: IV, ciphertext and tag; the case id and field are its associated data. */
  @Column({ type: 'bytea' })
  ciphertext!: Buffer;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
