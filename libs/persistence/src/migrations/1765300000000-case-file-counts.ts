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
 * primary key cannot hold NULL). What it costs the worker's writes is measured by
 * `npm run bench -- --case-writes` (docs/benchmarks.md).
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
    // A case leaves its old count (update, delete) and joins its new one (insert, update); an
    // update takes the two rows in key order.
    const add = (row: 'OLD' | 'NEW', delta: 1 | -1) => `
          INSERT INTO "case_file_counts" AS c
          VALUES (${row}.process, ${row}.status, ${row}.overdue, coalesce(${row}.area, ''), (hashtext(${row}.id) & 7)::smallint, ${delta})
          ON CONFLICT ("process", "status", "overdue", "area", "slot") DO UPDATE SET "n" = c."n" + (${delta});`;
    const key = (row: 'OLD' | 'NEW') => `(${row}.process, ${row}.status, ${row}.overdue, coalesce(${row}.area, ''), hashtext(${row}.id) & 7)`;
    await q.query(`
      CREATE FUNCTION "case_file_counts_follow"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN ${add('NEW', 1)}
        ELSIF TG_OP = 'DELETE' THEN ${add('OLD', -1)}
        ELSIF ${key('NEW')} < ${key('OLD')} THEN ${add('NEW', 1)} ${add('OLD', -1)}
        ELSE ${add('OLD', -1)} ${add('NEW', 1)}
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER "case_file_counts_follow" AFTER INSERT OR DELETE ON "case_files"
      FOR EACH ROW EXECUTE FUNCTION "case_file_counts_follow"()`);
    // Most steps leave status, overdue and area as they were: the condition, checked without
    // calling the function, lets them pass at no cost.
    await q.query(`
      CREATE TRIGGER "case_file_counts_move" AFTER UPDATE OF "process", "status", "overdue", "area", "id" ON "case_files"
      FOR EACH ROW WHEN ((OLD."process", OLD."status", OLD."overdue", OLD."area", OLD."id") IS DISTINCT FROM (NEW."process", NEW."status", NEW."overdue", NEW."area", NEW."id"))
      EXECUTE FUNCTION "case_file_counts_follow"()`);
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
    await q.query(`DROP TRIGGER "case_file_counts_move" ON "case_files"`);
    await q.query(`DROP TRIGGER "case_file_counts_follow" ON "case_files"`);
    await q.query(`DROP FUNCTION "case_file_counts_follow"`);
    await q.query(`DROP TABLE "case_file_counts"`);
  }
}
