import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The case list's `total` without counting the cases on every page. Ledelsessekretariatet reads
 * every training case, so its list of the open ones counted 27,000 index entries on every page;
 * on ten connections at once that made a p95 of 108.8 ms in the cluster bench (two cores, where the
 * count was most of PostgreSQL's work). `case_file_counts` holds how many case files there
 * are per process, status, overdue and area, kept by a trigger in the same transaction as the
 * case file's own change, so a count is as exact as the rows it counts; CaseStore.listCases sums
 * it whenever the caller's read rules select whole processes (otherwise it still counts the
 * rows, which the read rules already narrow).
 *
 * Each group is spread over eight slots (from the case id's hash), so concurrent steps of cases in
 * the same group seldom wait on one row; a change that moves a case between groups updates its two
 * rows in key order, so two such changes cannot deadlock. `area` is '' for a case without one (a
 * primary key cannot hold NULL).
 */
export class CaseFileCounts1765300000000 implements MigrationInterface {
  name = 'CaseFileCounts1765300000000';

  async up(q: QueryRunner): Promise<void> {
    // No case file changes between the trigger's creation and the backfill.
    await q.query(`LOCK TABLE "case_files" IN SHARE MODE`);
    await q.query(`
      CREATE TABLE "case_file_counts" (
        "process" text NOT NULL,
        "status" text NOT NULL,
        "overdue" boolean NOT NULL,
        "area" text NOT NULL,
        "slot" smallint NOT NULL,
        "n" integer NOT NULL,
        CONSTRAINT "PK_case_file_counts" PRIMARY KEY ("process", "status", "overdue", "area", "slot")
      )`);
    await q.query(`
      CREATE FUNCTION "case_file_counts_follow"() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        was record;
        now_is record;
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
          SELECT OLD.process AS process, OLD.status AS status, OLD.overdue AS overdue, coalesce(OLD.area, '') AS area, (hashtext(OLD.id) & 7)::smallint AS slot INTO was;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
          SELECT NEW.process AS process, NEW.status AS status, NEW.overdue AS overdue, coalesce(NEW.area, '') AS area, (hashtext(NEW.id) & 7)::smallint AS slot INTO now_is;
        END IF;
        IF TG_OP = 'INSERT' THEN
          INSERT INTO "case_file_counts" AS c VALUES (now_is.process, now_is.status, now_is.overdue, now_is.area, now_is.slot, 1)
          ON CONFLICT ("process", "status", "overdue", "area", "slot") DO UPDATE SET "n" = c."n" + 1;
        ELSIF TG_OP = 'DELETE' THEN
          INSERT INTO "case_file_counts" AS c VALUES (was.process, was.status, was.overdue, was.area, was.slot, -1)
          ON CONFLICT ("process", "status", "overdue", "area", "slot") DO UPDATE SET "n" = c."n" - 1;
        ELSIF (was.process, was.status, was.overdue, was.area, was.slot) IS DISTINCT FROM (now_is.process, now_is.status, now_is.overdue, now_is.area, now_is.slot) THEN
          INSERT INTO "case_file_counts" AS c
          SELECT * FROM (VALUES (was.process, was.status, was.overdue, was.area, was.slot, -1),
                                (now_is.process, now_is.status, now_is.overdue, now_is.area, now_is.slot, 1)) AS d (process, status, overdue, area, slot, n)
          ORDER BY d.process, d.status, d.overdue, d.area, d.slot
          ON CONFLICT ("process", "status", "overdue", "area", "slot") DO UPDATE SET "n" = c."n" + EXCLUDED."n";
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER "case_file_counts_follow" AFTER INSERT OR DELETE OR UPDATE OF "process", "status", "overdue", "area", "id" ON "case_files"
      FOR EACH ROW EXECUTE FUNCTION "case_file_counts_follow"()`);
    await q.query(`
      CREATE FUNCTION "case_file_counts_truncate"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN TRUNCATE "case_file_counts"; RETURN NULL; END $$`);
    await q.query(`
      CREATE TRIGGER "case_file_counts_truncate" AFTER TRUNCATE ON "case_files"
      FOR EACH STATEMENT EXECUTE FUNCTION "case_file_counts_truncate"()`);
    await q.query(`
      INSERT INTO "case_file_counts" ("process", "status", "overdue", "area", "slot", "n")
      SELECT "process", "status", "overdue", coalesce("area", ''), (hashtext("id") & 7)::smallint, count(*)::int
      FROM "case_files" GROUP BY 1, 2, 3, 4, 5`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER "case_file_counts_truncate" ON "case_files"`);
    await q.query(`DROP FUNCTION "case_file_counts_truncate"`);
    await q.query(`DROP TRIGGER "case_file_counts_follow" ON "case_files"`);
    await q.query(`DROP FUNCTION "case_file_counts_follow"`);
    await q.query(`DROP TABLE "case_file_counts"`);
  }
}
