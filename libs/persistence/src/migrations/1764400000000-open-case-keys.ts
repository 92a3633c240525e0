import type { MigrationInterface, QueryRunner } from 'typeorm';

/** One open case per key of a process (e.g. per employee and course of mandatory training). */
export class OpenCaseKeys1764400000000 implements MigrationInterface {
  name = 'OpenCaseKeys1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "open_case_keys" (
        "process" text NOT NULL,
        "key_hash" text NOT NULL,
        "case_id" text NOT NULL,
        "case_number" text NOT NULL,
        "claimed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_open_case_keys" PRIMARY KEY ("process", "key_hash")
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "open_case_keys"`);
  }
}
