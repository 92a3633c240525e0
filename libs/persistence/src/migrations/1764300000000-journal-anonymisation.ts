import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The journal stays append-only, with one exception: anonymisation after the retention period
 * may clear an entry's note and the actor's name, and change nothing else.
 */
export class JournalAnonymisation1764300000000 implements MigrationInterface {
  name = 'JournalAnonymisation1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION "case_journal_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- Nested: the journal's columns exist only on the journal (the read log shares this function).
        IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'case_journal' THEN
          IF NEW.case_id = OLD.case_id AND NEW.seq = OLD.seq AND NEW.at = OLD.at
             AND NEW.actor_sub = OLD.actor_sub AND NEW.action = OLD.action
             AND NEW.note IS NULL AND NEW.actor_name = 'anonymiseret' THEN
            RETURN NEW;
          END IF;
        END IF;
        RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION "case_journal_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'case_journal is append-only'; END $$`);
  }
}
