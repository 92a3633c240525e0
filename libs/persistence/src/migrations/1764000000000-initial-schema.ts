import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Case files, the journal, the notification outbox, idempotency keys and the case-number sequence. */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SEQUENCE "case_number_seq" START 1`);
    await q.query(`
      CREATE TABLE "case_files" (
        "id" text NOT NULL,
        "case_number" text NOT NULL,
        "process" text NOT NULL,
        "step" text NOT NULL,
        "status" text NOT NULL,
        "overdue" boolean NOT NULL DEFAULT false,
        "area" text,
        "opened_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "closed_at" TIMESTAMP WITH TIME ZONE,
        "opened_by" text NOT NULL,
        "next_deadline_at" TIMESTAMP WITH TIME ZONE,
        "snapshot" jsonb NOT NULL,
        "last_seq" integer NOT NULL,
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "UQ_case_files_case_number" UNIQUE ("case_number"),
        CONSTRAINT "CHK_case_files_status" CHECK ("status" IN ('open', 'closed')),
        CONSTRAINT "PK_case_files" PRIMARY KEY ("id")
      )`);
    await q.query(`CREATE INDEX "case_files_list_idx" ON "case_files" ("process", "status", "opened_at")`);
    await q.query(`CREATE INDEX "case_files_opened_idx" ON "case_files" ("opened_at")`);
    await q.query(`CREATE INDEX "case_files_area_idx" ON "case_files" ("area")`);
    await q.query(`CREATE INDEX "case_files_overdue_idx" ON "case_files" ("overdue") WHERE "overdue"`);
    await q.query(`
      CREATE TABLE "case_journal" (
        "case_id" text NOT NULL,
        "seq" integer NOT NULL,
        "at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "actor_sub" text NOT NULL,
        "actor_name" text NOT NULL,
        "action" text NOT NULL,
        "note" text,
        CONSTRAINT "PK_case_journal" PRIMARY KEY ("case_id", "seq")
      )`);
    // Append-only: the legal record is never rewritten.
    await q.query(`
      CREATE FUNCTION "case_journal_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'case_journal is append-only'; END $$`);
    await q.query(`
      CREATE TRIGGER "case_journal_no_update" BEFORE UPDATE OR DELETE ON "case_journal"
      FOR EACH ROW EXECUTE FUNCTION "case_journal_append_only"()`);
    await q.query(`
      CREATE TABLE "notification_outbox" (
        "id" BIGSERIAL NOT NULL,
        "dedupe_key" text NOT NULL,
        "case_id" text NOT NULL,
        "recipient_role" text NOT NULL,
        "kind" text NOT NULL,
        "subject" text NOT NULL,
        "body" text NOT NULL,
        "status" text NOT NULL DEFAULT 'pending',
        "attempts" integer NOT NULL DEFAULT 0,
        "last_error" text,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "claimed_at" TIMESTAMP WITH TIME ZONE,
        "sent_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "UQ_notification_outbox_dedupe_key" UNIQUE ("dedupe_key"),
        CONSTRAINT "CHK_notification_outbox_status" CHECK ("status" IN ('pending', 'sending', 'sent')),
        CONSTRAINT "PK_notification_outbox" PRIMARY KEY ("id")
      )`);
    await q.query(`CREATE INDEX "notification_outbox_pending_idx" ON "notification_outbox" ("created_at") WHERE "status" <> 'sent'`);
    await q.query(`
      CREATE TABLE "idempotency_keys" (
        "caller_sub" text NOT NULL,
        "key" text NOT NULL,
        "process" text NOT NULL,
        "case_id" text NOT NULL,
        "case_number" text NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_idempotency_keys" PRIMARY KEY ("caller_sub", "key")
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "idempotency_keys"`);
    await q.query(`DROP TABLE "notification_outbox"`);
    await q.query(`DROP TRIGGER "case_journal_no_update" ON "case_journal"`);
    await q.query(`DROP FUNCTION "case_journal_append_only"`);
    await q.query(`DROP TABLE "case_journal"`);
    await q.query(`DROP TABLE "case_files"`);
    await q.query(`DROP SEQUENCE "case_number_seq"`);
  }
}
