import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type OutboxStatus = 'pending' | 'sending' | 'sent';

/** A notification written in the same transaction as the step that caused it, sent later. */
@Entity({ name: 'notification_outbox' })
@Check('CHK_notification_outbox_status', `"status" IN ('pending', 'sending', 'sent')`)
@Index('notification_outbox_pending_idx', ['createdAt'], { where: `"status" <> 'sent'` })
export class OutboxMessageEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  /** `{caseId}:{seq}:{n}`: a retried step cannot queue the same notification twice. */
  @Column({ name: 'dedupe_key', type: 'text', unique: true })
  dedupeKey!: string;

  @Column({ name: 'case_id', type: 'text' })
  caseId!: string;

  @Column({ name: 'recipient_role', type: 'text' })
  recipientRole!: string;

  /** Who receives a copy (cc), in the same form as the recipient; null: nobody. */
  @Column({ name: 'cc_recipient', type: 'text', nullable: true })
  ccRecipient!: string | null;

  @Column({ type: 'text' })
  kind!: string;

  @Column({ type: 'text' })
  subject!: string;

  @Column({ type: 'text' })
  body!: string;

  @Column({ type: 'text', default: 'pending' })
  status!: OutboxStatus;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'claimed_at', type: 'timestamptz', nullable: true })
  claimedAt!: Date | null;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;
}
