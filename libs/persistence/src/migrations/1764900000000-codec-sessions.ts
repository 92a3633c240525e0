import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Server-side codec sessions: the cookie holds an opaque id, never a token. */
export class CodecSessions1764900000000 implements MigrationInterface {
  name = 'CodecSessions1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "codec_sessions" (
        "id_hash" text NOT NULL,
        "actor" jsonb NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "PK_codec_sessions" PRIMARY KEY ("id_hash")
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "codec_sessions"`);
  }
}
