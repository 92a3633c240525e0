import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Confidential fields held outside the workflow (the whistleblower's identity), encrypted at rest. */
export class CaseConfidentialFields1764520000000 implements MigrationInterface {
  name = 'CaseConfidentialFields1764520000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "case_confidential_fields" (
        "case_id" text NOT NULL,
        "field" text NOT NULL,
        "key_id" text NOT NULL,
        "ciphertext" bytea NOT NULL,
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_case_confidential_fields" PRIMARY KEY ("case_id", "field")
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "case_confidential_fields"`);
  }
}
