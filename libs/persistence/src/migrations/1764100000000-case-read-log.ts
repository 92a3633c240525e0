import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The read log of sensitive cases (who read a whistleblower case, when); append-only like the journal. */
export class CaseReadLog1764100000000 implements MigrationInterface {
  name = 'CaseReadLog1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "case_read_log" (
        "id" BIGSERIAL NOT NULL,
        "case_id" text NOT NULL,
        "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "actor_sub" text NOT NULL,
        "actor_name" text NOT NULL,
        CONSTRAINT "PK_case_read_log" PRIMARY KEY ("id")
      )`);
    await q.query(`CREATE INDEX "case_read_log_case_idx" ON "case_read_log" ("case_id", "at")`);
    await q.query(`
      CREATE TRIGGER "case_read_log_no_update" BEFORE UPDATE OR DELETE ON "case_read_log"
      FOR EACH ROW EXECUTE FUNCTION "case_journal_append_only"()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "case_read_log"`);
  }
}
