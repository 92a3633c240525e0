import type { DataSource } from 'typeorm';
import {
  type AccessRequestData,
  type AccessRequestStatistics,
  COMPLAINT_BASELINE_DATE,
  type ComplaintStatistics,
  type DataBreachData,
  type DataBreachStatistics,
  type DataPath,
  type MandatoryTrainingData,
  type Period,
  type TrainingStatistics,
  accessRequestDefinition,
  complaintDefinition,
  dataBreachDefinition,
  mandatoryTrainingDefinition,
} from '@buf/domain';

/**
 * SQL for fields of a process's case data (the snapshot's `data`), named by paths the compiler
 * checks against that process's data type: a renamed field breaks the build, not the report.
 */
function fieldsOf<D>() {
  const parts = (path: string) => {
    const p = path.split('.');
    if (p.some((x) => !/^[A-Za-z]+$/.test(x))) throw new Error(`Not a data path: ${path}`);
    return p;
  };
  return {
    /** The field as text (`->>`). */
    text: (path: DataPath<D>) => {
      const p = parts(path);
      return `snapshot->'data'${p.slice(0, -1).map((x) => `->'${x}'`).join('')}->>'${p[p.length - 1]}'`;
    },
    /** The field as JSON (`->`). */
    json: (path: DataPath<D>) => `snapshot->'data'${parts(path).map((x) => `->'${x}'`).join('')}`,
    /** Whether the data has the (top-level) field at all. */
    has: (path: DataPath<D> & keyof D) => `snapshot->'data' ? '${parts(path).join('')}'`,
  };
}

const breach = fieldsOf<DataBreachData>();
const access = fieldsOf<AccessRequestData>();
const training = fieldsOf<MandatoryTrainingData>();

/**
 * The report figures, counted from the case files' snapshots (the same state the API shows),
 * so a report and the case list never disagree.
 */
export class StatisticsStore {
  constructor(private readonly db: DataSource) {}

  async dataBreaches(period: Period): Promise<DataBreachStatistics> {
    const [row] = await this.db.query(
      `SELECT count(*)::int AS reported,
              count(*) FILTER (WHERE ${breach.text('triage.outcome')} = 'breach')::int AS actual,
              count(*) FILTER (WHERE ${breach.text('outcome')} = 'recategorised')::int AS recategorised,
              count(*) FILTER (WHERE ${breach.has('authorityNotification')})::int AS notified,
              count(*) FILTER (WHERE (${breach.text('authorityNotification.late')})::boolean)::int AS notified_late
       FROM case_files WHERE process = $3 AND opened_at >= $1 AND opened_at < $2`,
      [period.from, period.to, dataBreachDefinition.name],
    );
    return { period, reported: row.reported, actual: row.actual, recategorised: row.recategorised, notified: row.notified, notifiedLate: row.notified_late };
  }

  async complaints(period: Period): Promise<ComplaintStatistics> {
    const rows: { area: string; in_period: number; since_baseline: number }[] = await this.db.query(
      `SELECT coalesce(area, '(uden område)') AS area,
              count(*) FILTER (WHERE opened_at >= $1 AND opened_at < $2)::int AS in_period,
              count(*)::int AS since_baseline
       FROM case_files WHERE process = $4 AND opened_at >= $3
       GROUP BY 1 ORDER BY 1`,
      [period.from, period.to, COMPLAINT_BASELINE_DATE, complaintDefinition.name],
    );
    const areas = rows.map((r) => ({ area: r.area, inPeriod: r.in_period, sinceBaseline: r.since_baseline }));
    return {
      period,
      baselineDate: COMPLAINT_BASELINE_DATE,
      areas,
      total: { inPeriod: sum(areas.map((a) => a.inPeriod)), sinceBaseline: sum(areas.map((a) => a.sinceBaseline)) },
    };
  }

  async accessRequests(period: Period, asOf: Date = new Date()): Promise<AccessRequestStatistics> {
    const [row] = await this.db.query(
      `SELECT count(*)::int AS received,
              count(*) FILTER (WHERE ${access.has('decidedAt')})::int AS decided,
              count(*) FILTER (WHERE ${access.has('decidedAt')} OR EXISTS (
                SELECT 1 FROM jsonb_array_elements(snapshot->'deadlines') d
                 WHERE d->>'name' = 'decision' AND (d->>'dueAt')::timestamptz < $4))::int AS due,
              count(*) FILTER (WHERE (${access.text('decidedWithinDeadline')})::boolean)::int AS within
       FROM case_files WHERE process = $3
         AND coalesce((${access.text('receivedAt')})::timestamptz, opened_at) >= $1
         AND coalesce((${access.text('receivedAt')})::timestamptz, opened_at) < $2`,
      [period.from, period.to, accessRequestDefinition.name, asOf.toISOString()],
    );
    return {
      period,
      received: row.received,
      decided: row.decided,
      due: row.due,
      decidedWithinDeadline: row.within,
      shareWithinDeadline: row.due > 0 ? row.within / row.due : null,
    };
  }

  async training(asOf: Date): Promise<TrainingStatistics> {
    const units: { area: string; unit: string; course: string; employees: number; completed: number; overdue: number }[] = await this.db.query(
      `SELECT coalesce(area, '(uden område)') AS area, coalesce(${training.text('unit')}, '') AS unit,
              coalesce(${training.text('course')}, '') AS course,
              count(*)::int AS employees,
              count(*) FILTER (WHERE jsonb_array_length(coalesce(${training.json('completions')}, '[]'::jsonb)) > 0)::int AS completed,
              count(*) FILTER (WHERE overdue)::int AS overdue
       FROM case_files WHERE process = $1 AND status = 'open'
       GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      [mandatoryTrainingDefinition.name],
    );
    const overdue: { id: string; employee_id: string; course: string; area: string; unit: string; due_at: string | null }[] = await this.db.query(
      `SELECT id, ${training.text('employeeId')} AS employee_id, ${training.text('course')} AS course,
              coalesce(area, '') AS area, coalesce(${training.text('unit')}, '') AS unit, ${training.text('dueAt')} AS due_at
       FROM case_files WHERE process = $1 AND status = 'open' AND overdue
       ORDER BY area, unit, id`,
      [mandatoryTrainingDefinition.name],
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
