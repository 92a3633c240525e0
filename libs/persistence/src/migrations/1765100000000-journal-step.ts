import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The step each journal entry leaves the case in, so that "where cases wait" (how long cases
 * stay in each step) is read from the journal. Written with the entry from the snapshot it
 * leaves. Existing entries: the last one of each case is the step its case file shows; the step
 * after any earlier entry is not recorded anywhere, so it stays null, and a stay that begins at
 * an unknown step is left out of the statistics. Anonymisation keeps the step (as it keeps the
 * action).
 */
export class JournalStep1765100000000 implements MigrationInterface {
  name = 'JournalStep1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "case_journal" ADD COLUMN "step" text`);
    // The backfill is the one write to existing entries: the append-only trigger is off for it
    // only, inside this migration's transaction (no other session sees the table meanwhile).
    await q.query(`ALTER TABLE "case_journal" DISABLE TRIGGER "case_journal_no_update"`);
    await q.query(`
      UPDATE "case_journal" j SET "step" = f."step"
        FROM "case_files" f WHERE f."id" = j."case_id" AND j."seq" = f."last_seq"`);
    await q.query(`ALTER TABLE "case_journal" ENABLE TRIGGER "case_journal_no_update"`);
    await q.query(anonymisationOnly(true));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(anonymisationOnly(false));
    await q.query(`ALTER TABLE "case_journal" DROP COLUMN "step"`);
  }
}

/** The append-only rule with its one exception (anonymisation), keeping the step when it exists. */
function anonymisationOnly(withStep: boolean): string {
  return `
    CREATE OR REPLACE FUNCTION "case_journal_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      -- Nested: the journal's columns exist only on the journal (the read log shares this function).
      IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'case_journal' THEN
        IF NEW.case_id = OLD.case_id AND NEW.seq = OLD.seq AND NEW.at = OLD.at
           AND NEW.actor_sub = OLD.actor_sub AND NEW.action = OLD.action${withStep ? '\n           AND NEW.step IS NOT DISTINCT FROM OLD.step' : ''}
           AND NEW.note IS NULL AND NEW.actor_name = 'anonymiseret' THEN
          RETURN NEW;
        END IF;
      END IF;
      RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
    END $$`;
}
