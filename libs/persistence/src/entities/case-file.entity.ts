import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { CaseStatus, Deadline } from '@buf/domain';

/** The case file: the latest snapshot the workflow persisted (highest journal sequence wins). */
@Entity({ name: 'case_files' })
@Check('CHK_case_files_status', `"status" IN ('open', 'closed')`)
// The case list's count and page: the key in the list's order, with what its filters and read
// rule match INCLUDEd, which TypeORM cannot express (1765200000000-case-files-list-covering-index).
@Index('case_files_list_idx', { synchronize: false })
@Index('case_files_opened_idx', ['openedAt'])
@Index('case_files_area_idx', ['area'])
@Index('case_files_overdue_idx', ['overdue'], { where: '"overdue"' })
// The inbox's order (overdue first, then the nearest pending deadline) over open cases; sort orders
// TypeORM cannot express, so the migration owns it (1765120000000-case-files-inbox-indexes).
@Index('case_files_inbox_idx', { synchronize: false })
@Index('case_files_opened_by_idx', ['openedBy'], { where: `"status" = 'open'` })
export class CaseFileEntity {
  /** The Temporal workflow id: `{process}-{caseNumber}`. */
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'case_number', type: 'text', unique: true })
  caseNumber!: string;

  @Column({ type: 'text' })
  process!: string;

  @Column({ type: 'text' })
  step!: string;

  @Column({ type: 'text' })
  status!: CaseStatus;

  @Column({ type: 'boolean', default: false })
  overdue!: boolean;

  @Column({ type: 'text', nullable: true })
  area!: string | null;

  @Column({ name: 'opened_at', type: 'timestamptz' })
  openedAt!: Date;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  @Column({ name: 'opened_by', type: 'text' })
  openedBy!: string;

  @Column({ name: 'next_deadline_at', type: 'timestamptz', nullable: true })
  nextDeadlineAt!: Date | null;

  /** The full snapshot as the workflow holds it (deadlines, process data). */
  @Column({ type: 'jsonb' })
  snapshot!: Record<string, unknown> & { deadlines: Deadline[] };

  @Column({ name: 'last_seq', type: 'integer' })
  lastSeq!: number;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;

  /**
   * The workflow run chain that owns the case (its first run's id; continue-as-new keeps it): a
   * run started another way under the case's id cannot write the case.
   */
  @Column({ name: 'run_chain', type: 'text', nullable: true })
  runChain!: string | null;

  /** A reopening the API has granted: the one new run chain that may take the case over. */
  @Column({ name: 'reopen_grant', type: 'text', nullable: true })
  reopenGrant!: string | null;
}
