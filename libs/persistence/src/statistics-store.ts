import type { DataSource } from 'typeorm';
import {
  type AccessRequestStatistics,
  COMPLAINT_BASELINE_DATE,
  type ComplaintStatistics,
  type DataBreachStatistics,
  type Period,
  type TrainingStatistics,
} from '../../domain/src';

/**
 * The report figures, counted from the case files' snapshots (the same state the API shows),
 * so a report and the case list never disagree.
 */
export class StatisticsStore {
  constructor(private readonly db: DataSource) {}

  async dataBreaches(period: Period): Promise<DataBreachStatistics> {
    const [row] = await this.db.query(
      `SELECT count(*)::int AS reported,
              count(*) FILTER (WHERE snapshot->'data'->'triage'->>'outcome' = 'breach')::int AS actual,
              count(*) FILTER (WHERE snapshot->'data'->>'outcome' = 'recategorised')::int AS recategorised,
              count(*) FILTER (WHERE snapshot->'data' ? 'authorityNotification')::int AS notified,
              count(*) FILTER (WHERE (snapshot->'data'->'authorityNotification'->>'late')::boolean)::int AS notified_late
       FROM case_files WHERE process = 'data-breach' AND opened_at >= $1 AND opened_at < $2`,
      [period.from, period.to],
    );
    return { period, reported: row.reported, actual: row.actual, recategorised: row.recategorised, notified: row.notified, notifiedLate: row.notified_late };
  }

  async complaints(period: Period): Promise<ComplaintStatistics> {
    const rows: { area: string; in_period: number; since_baseline: number }[] = await this.db.query(
      `SELECT coalesce(area, '(uden område)') AS area,
              count(*) FILTER (WHERE opened_at >= $1 AND opened_at < $2)::int AS in_period,
              count(*)::int AS since_baseline
       FROM case_files WHERE process = 'complaint' AND opened_at >= $3
       GROUP BY 1 ORDER BY 1`,
      [period.from, period.to, COMPLAINT_BASELINE_DATE],
    );
    const areas = rows.map((r) => ({ area: r.area, inPeriod: r.in_period, sinceBaseline: r.since_baseline }));
    return {
      period,
      baselineDate: COMPLAINT_BASELINE_DATE,
      areas,
      total: { inPeriod: sum(areas.map((a) => a.inPeriod)), sinceBaseline: sum(areas.map((a) => a.sinceBaseline)) },
    };
  }

  async accessRequests(period: Period): Promise<AccessRequestStatistics> {
    const [row] = await this.db.query(
      `SELECT count(*)::int AS received,
              count(*) FILTER (WHERE snapshot->'data' ? 'decidedAt')::int AS decided,
              count(*) FILTER (WHERE (snapshot->'data'->>'decidedWithinDeadline')::boolean)::int AS within
       FROM case_files WHERE process = 'access-request'
         AND coalesce((snapshot->'data'->>'receivedAt')::timestamptz, opened_at) >= $1
         AND coalesce((snapshot->'data'->>'receivedAt')::timestamptz, opened_at) < $2`,
      [period.from, period.to],
    );
    return {
      period,
      received: row.received,
      decided: row.decided,
      decidedWithinDeadline: row.within,
      shareWithinDeadline: row.decided > 0 ? row.within / row.decided : null,
    };
  }

  async training(asOf: Date): Promise<TrainingStatistics> {
    const units: { area: string; unit: string; course: string; employees: number; completed: number; overdue: number }[] = await this.db.query(
      `SELECT coalesce(area, '(uden område)') AS area, coalesce(snapshot->'data'->>'unit', '') AS unit,
              coalesce(snapshot->'data'->>'course', '') AS course,
              count(*)::int AS employees,
              count(*) FILTER (WHERE jsonb_array_length(coalesce(snapshot->'data'->'completions', '[]'::jsonb)) > 0)::int AS completed,
              count(*) FILTER (WHERE overdue)::int AS overdue
       FROM case_files WHERE process = 'mandatory-training' AND status = 'open'
       GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    );
    const overdue: { id: string; employee_id: string; course: string; area: string; unit: string; due_at: string | null }[] = await this.db.query(
      `SELECT id, snapshot->'data'->>'employeeId' AS employee_id, snapshot->'data'->>'course' AS course,
              coalesce(area, '') AS area, coalesce(snapshot->'data'->>'unit', '') AS unit, snapshot->'data'->>'dueAt' AS due_at
       FROM case_files WHERE process = 'mandatory-training' AND status = 'open' AND overdue
       ORDER BY area, unit, id`,
    );
    return {
      asOf: asOf.toISOString(),
      units,
      overdue: overdue.map((o) => ({ caseId: o.id, employeeId: o.employee_id, course: o.course, area: o.area, unit: o.unit, dueAt: o.due_at })),
    };
  }
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
