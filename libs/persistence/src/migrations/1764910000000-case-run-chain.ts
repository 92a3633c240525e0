import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The run chain that owns each case, and a granted reopening (see CaseFileEntity). */
export class CaseRunChain1764910000000 implements MigrationInterface {
  name = 'CaseRunChain1764910000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "case_files" ADD "run_chain" text`);
    await q.query(`ALTER TABLE "case_files" ADD "reopen_grant" text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "case_files" DROP COLUMN "reopen_grant"`);
    await q.query(`ALTER TABLE "case_files" DROP COLUMN "run_chain"`);
  }
}
