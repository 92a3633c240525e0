import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The append-only journal (journaliseringspligt): one row per step, keyed by case and sequence. */
@Entity({ name: 'case_journal' })
export class JournalEntryEntity {
  @PrimaryColumn({ name: 'case_id', type: 'text' })
  caseId!: string;

  @PrimaryColumn({ type: 'integer' })
  seq!: number;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ name: 'actor_sub', type: 'text' })
  actorSub!: string;

  @Column({ name: 'actor_name', type: 'text' })
  actorName!: string;

  @Column({ type: 'text' })
  action!: string;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  /** The step the entry leaves the case in (null for entries written before it was recorded). */
  @Column({ type: 'text', nullable: true })
  step!: string | null;
}
