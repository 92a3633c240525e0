import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Idempotency keys also cover actions: which action on which case a key was used for. */
export class IdempotentActions1764200000000 implements MigrationInterface {
  name = 'IdempotentActions1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "idempotency_keys" ADD "action" text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "idempotency_keys" DROP COLUMN "action"`);
  }
}
