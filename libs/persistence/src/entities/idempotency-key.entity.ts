import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An `Idempotency-Key`, per caller: a repeated start returns the same case, a repeated action is applied once. */
@Entity({ name: 'idempotency_keys' })
export class IdempotencyKeyEntity {
  @PrimaryColumn({ name: 'caller_sub', type: 'text' })
  callerSub!: string;

  @PrimaryColumn({ type: 'text' })
  key!: string;

  @Column({ type: 'text' })
  process!: string;

  @Column({ name: 'case_id', type: 'text' })
  caseId!: string;

  @Column({ name: 'case_number', type: 'text' })
  caseNumber!: string;

  /** The action the key was used for; null for a start. */
  @Column({ type: 'text', nullable: true })
  action!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
