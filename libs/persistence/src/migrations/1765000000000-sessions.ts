import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sessions for the staff web app beside the codec's: one table, each session good for one
 * purpose only (a codec session never opens the web app, nor the other way round).
 */
export class Sessions1765000000000 implements MigrationInterface {
  name = 'Sessions1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "codec_sessions" RENAME TO "sessions"`);
    await q.query(`ALTER TABLE "sessions" RENAME CONSTRAINT "PK_codec_sessions" TO "PK_sessions"`);
    await q.query(`ALTER TABLE "sessions" ADD COLUMN "purpose" text NOT NULL DEFAULT 'codec'`);
    await q.query(`ALTER TABLE "sessions" ALTER COLUMN "purpose" DROP DEFAULT`);
    await q.query(`ALTER TABLE "sessions" ADD CONSTRAINT "CHK_sessions_purpose" CHECK ("purpose" IN ('codec', 'web'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM "sessions" WHERE "purpose" <> 'codec'`);
    await q.query(`ALTER TABLE "sessions" DROP CONSTRAINT "CHK_sessions_purpose"`);
    await q.query(`ALTER TABLE "sessions" DROP COLUMN "purpose"`);
    await q.query(`ALTER TABLE "sessions" RENAME CONSTRAINT "PK_sessions" TO "PK_codec_sessions"`);
    await q.query(`ALTER TABLE "sessions" RENAME TO "codec_sessions"`);
  }
}
