import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * How many case files there are per process, status, overdue and area (the case list's filters),
 * kept by a trigger on case_files in the same transaction as the case file's change
 * (1765300000000-case-file-counts); the sum over a group's slots is the group's count.
 */
@Entity({ name: 'case_file_counts' })
export class CaseFileCountEntity {
  @PrimaryColumn({ type: 'text' })
  process!: string;

  @PrimaryColumn({ type: 'text' })
  status!: string;

  @PrimaryColumn({ type: 'boolean' })
  overdue!: boolean;

  /** '' for cases without an area. */
  @PrimaryColumn({ type: 'text' })
  area!: string;

  /** One of eight rows per group (the case id's hash), so concurrent steps seldom wait on one row. */
  @PrimaryColumn({ type: 'smallint' })
  slot!: number;

  @Column({ type: 'integer' })
  n!: number;
}
