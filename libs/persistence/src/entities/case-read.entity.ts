import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Who read a case, and when: kept for the processes whose definition says `logReads`. */
@Entity({ name: 'case_read_log' })
@Index('case_read_log_case_idx', ['caseId', 'at'])
export class CaseReadEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint', primaryKeyConstraintName: 'PK_case_read_log' })
  id!: string;

  @Column({ name: 'case_id', type: 'text' })
  caseId!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at!: Date;

  @Column({ name: 'actor_sub', type: 'text' })
  actorSub!: string;

  @Column({ name: 'actor_name', type: 'text' })
  actorName!: string;
}
