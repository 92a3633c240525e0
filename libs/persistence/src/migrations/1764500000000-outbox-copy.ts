import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A notification may go to one recipient with another in copy (an institution leader, the cluster leader in cc). */
export class OutboxCopy1764500000000 implements MigrationInterface {
  name = 'OutboxCopy1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "notification_outbox" ADD "cc_recipient" text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "notification_outbox" DROP COLUMN "cc_recipient"`);
  }
}
