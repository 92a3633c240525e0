import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The case that holds a process's "one open case per …" key (ProcessDefinition.oneOpenCasePer).
 * The key is a hash, so the table keeps no personal data beyond the case's own retention.
 */
@Entity({ name: 'open_case_keys' })
export class OpenCaseKeyEntity {
  @PrimaryColumn({ type: 'text' })
  process!: string;

  @PrimaryColumn({ name: 'key_hash', type: 'text' })
  keyHash!: string;

  @Column({ name: 'case_id', type: 'text' })
  caseId!: string;

  @Column({ name: 'case_number', type: 'text' })
  caseNumber!: string;

  @Column({ name: 'claimed_at', type: 'timestamptz', default: () => 'now()' })
  claimedAt!: Date;
}
