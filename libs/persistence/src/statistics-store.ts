import type { DataSource } from 'typeorm';
import {
  type AccessRequestData,
  type AccessRequestStatistics,
  type ComplaintBaseline,
  type ComplaintData,
  type ComplaintStatistics,
  type DataBreachData,
  type DataBreachStatistics,
  type DataPath,
  type MandatoryTrainingData,
  type Period,
  TRAINING_COURSE_LABELS,
  type TrainingCourse,
  type TrainingStatistics,
  type TrainingUnitStatistics,
  accessRequestDefinition,
  complaintDefinition,
  dataBreachDefinition,
  mandatoryTrainingDefinition,
  copenhagenYearsOf,
  startOfCopenhagenDay,
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
const complaint = fieldsOf<ComplaintData>();

/**
 * What the complaint statistics count, by the latest classification (`category`): a complaint
 * about case handling, conduct or service level; a realitetsklage apart. An enquiry the citizen
 * said was not a complaint, an unclear one never answered, and one not yet classified are neither.
 */
const COMPLAINT = `${complaint.text('category')} IN ('case-handling', 'conduct', 'service-level')`;
const REALITETSKLAGE = `${complaint.text('category')} = 'realitetsklage'`;

/**
 * The report figures, counted from the case files' snapshots (the same state the API shows),
 * so a report and the case list never disagree.
 */
export class StatisticsStore {
  constructor(private readonly db: DataSource) {}

  /**
   * Breaches by when they were discovered (konstateret): the 72 hours and the year both count
   * from it. The period's counts, and the same per Copenhagen calendar year (the 2021 memo's table).
   */
  async dataBreaches(period: Period): Promise<DataBreachStatistics> {
    const discovered = `coalesce((${breach.text('discoveredAt')})::timestamptz, opened_at)`;
    const counts = `count(*)::int AS reported,
              count(*) FILTER (WHERE ${breach.text('triage.outcome')} = 'breach')::int AS actual,
              count(*) FILTER (WHERE ${breach.text('outcome')} = 'recategorised')::int AS recategorised,
              count(*) FILTER (WHERE ${breach.has('authorityNotification')})::int AS notified,
              count(*) FILTER (WHERE (${breach.text('authorityNotification.late')})::boolean)::int AS notified_late`;
    const where = `FROM case_files WHERE process = $3 AND ${discovered} >= $1 AND ${discovered} < $2`;
    const params = [period.from, period.to, dataBreachDefinition.name];
    type Row = { reported: number; actual: number; recategorised: number; notified: number; notified_late: number };
    const [row]: Row[] = await this.db.query(`SELECT ${counts} ${where}`, params);
    const perYear: (Row & { year: number })[] = await this.db.query(
      `SELECT extract(year FROM ${discovered} AT TIME ZONE 'Europe/Copenhagen')::int AS year, ${counts} ${where} GROUP BY 1`,
      params,
    );
    const countsOf = (r: Row | undefined) => ({ reported: r?.reported ?? 0, actual: r?.actual ?? 0, recategorised: r?.recategorised ?? 0, notified: r?.notified ?? 0, notifiedLate: r?.notified_late ?? 0 });
    return {
      period,
      ...countsOf(row),
      years: copenhagenYearsOf(period).map((y) => ({ ...y, ...countsOf(perYear.find((r) => r.year === y.year)) })),
    };
  }

  /**
   * Complaints per area by when they were received: in the period, and from the baseline date
   * (00:00 Copenhagen) to the end of the period; realitetsklager apart; each area against its
   * configured baseline count. Every area with a baseline is listed, also without complaints.
   */
  async complaints(period: Period, baseline: ComplaintBaseline): Promise<ComplaintStatistics> {
    const [year, month, day] = baseline.date.split('-').map(Number);
    const baselineFrom = new Date(startOfCopenhagenDay({ year, month, day })).toISOString();
    const received = `coalesce((${complaint.text('receivedAt')})::timestamptz, opened_at)`;
    const inPeriod = `${received} >= $1 AND ${received} < $2`;
    const rows: { area: string; in_period: number; since_baseline: number; r_in_period: number; r_since_baseline: number }[] = await this.db.query(
      `SELECT coalesce(area, '(uden område)') AS area,
              count(*) FILTER (WHERE ${COMPLAINT} AND ${inPeriod})::int AS in_period,
              count(*) FILTER (WHERE ${COMPLAINT})::int AS since_baseline,
              count(*) FILTER (WHERE ${REALITETSKLAGE} AND ${inPeriod})::int AS r_in_period,
              count(*) FILTER (WHERE ${REALITETSKLAGE})::int AS r_since_baseline
       FROM case_files WHERE process = $4 AND ${received} >= $3 AND ${received} < $2 AND (${COMPLAINT} OR ${REALITETSKLAGE})
       GROUP BY 1 ORDER BY 1`,
      [period.from, period.to, baselineFrom, complaintDefinition.name],
    );
    const counted = new Map(rows.map((r) => [r.area, r]));
    const names = [...new Set([...Object.keys(baseline.counts), ...counted.keys()])].sort();
    const areas = names.map((area) => {
      const r = counted.get(area);
      const inPeriod = r?.in_period ?? 0;
      const base = baseline.counts[area] ?? null;
      return {
        area,
        inPeriod,
        sinceBaseline: r?.since_baseline ?? 0,
        realitetsklagerInPeriod: r?.r_in_period ?? 0,
        realitetsklagerSinceBaseline: r?.r_since_baseline ?? 0,
        baseline: base,
        differenceFromBaseline: base === null ? null : inPeriod - base,
        ratioToBaseline: base === null || base === 0 ? null : inPeriod / base,
      };
    });
    return {
      period,
      baselineDate: baseline.date,
      areas,
      total: {
        inPeriod: sum(areas.map((a) => a.inPeriod)),
        sinceBaseline: sum(areas.map((a) => a.sinceBaseline)),
        realitetsklagerInPeriod: sum(areas.map((a) => a.realitetsklagerInPeriod)),
        realitetsklagerSinceBaseline: sum(areas.map((a) => a.realitetsklagerSinceBaseline)),
        baseline: sum(areas.map((a) => a.baseline ?? 0)),
      },
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

  /**
   * Where cases wait, from the journal: a stay in a step begins at the entry that moved the case
   * into it (the first entry, or one whose step differs from the entry before) and ends at the
   * next entry that moved it on. Per process, area and step: the stays that ended in the period
   * (count, median and 90th percentile by percentile_cont, in hours with one decimal), and the
   * open cases in the step now (count, longest wait at `asOf`). A stay whose start is not known
   * (the entry before it has no recorded step: entries written before steps were journalled) is
   * left out; so are the terminal steps (a closed case does not wait).
   */
  async waiting(
    period: Period,
    filter: { processes: string[]; area?: string; terminalSteps: string[] },
    asOf: Date = new Date(),
  ): Promise<WaitingRow[]> {
    return this.db.query(
      `WITH entries AS (
         SELECT j.case_id, j.seq, j.at, j.step, f.process, coalesce(f.area, '(uden område)') AS area, f.status,
                lag(j.step) OVER w AS previous_step, lag(j.seq) OVER w AS previous_seq
           FROM case_journal j JOIN case_files f ON f.id = j.case_id
          WHERE f.process = ANY($1) AND ($2::text IS NULL OR f.area = $2)
         WINDOW w AS (PARTITION BY j.case_id ORDER BY j.seq)
       ), moves AS (
         SELECT *, step IS NOT NULL AND ((previous_seq IS NULL AND seq = 1) OR (previous_seq = seq - 1 AND previous_step IS NOT NULL)) AS known_start
           FROM entries WHERE previous_seq IS NULL OR step IS DISTINCT FROM previous_step
       ), stays AS (
         SELECT process, area, step, status, known_start, at AS started_at,
                lead(at) OVER m AS ended_at, lead(step) OVER m AS next_step
           FROM moves WINDOW m AS (PARTITION BY case_id ORDER BY seq)
       ), counted AS (
         SELECT process, area, step,
                extract(epoch FROM ended_at - started_at) / 3600 AS stay_hours,
                extract(epoch FROM $5::timestamptz - started_at) / 3600 AS waited_hours,
                ended_at IS NOT NULL AS ended
           FROM stays
          WHERE known_start AND step <> ALL($6)
            AND ((ended_at >= $3 AND ended_at < $4 AND next_step IS NOT NULL) OR (ended_at IS NULL AND status = 'open'))
       )
       SELECT process, area, step,
              count(*) FILTER (WHERE ended)::int AS "endedCount",
              round((percentile_cont(0.5) WITHIN GROUP (ORDER BY stay_hours) FILTER (WHERE ended))::numeric, 1)::float8 AS "medianHours",
              round((percentile_cont(0.9) WITHIN GROUP (ORDER BY stay_hours) FILTER (WHERE ended))::numeric, 1)::float8 AS "p90Hours",
              count(*) FILTER (WHERE NOT ended)::int AS "waitingCount",
              round((max(waited_hours) FILTER (WHERE NOT ended))::numeric, 1)::float8 AS "longestHours"
         FROM counted GROUP BY process, area, step ORDER BY process, area, step`,
      [filter.processes, filter.area ?? null, period.from, period.to, asOf.toISOString(), filter.terminalSteps],
    );
  }

  /**
   * Every employee in scope (every training case whose employment has not ended, open or
   * completed) in one of three states at `asOf`: overdue (the deadline they work towards has
   * passed — the first completion, or for IT security the refresh that the definition arms from
   * each completion), completed and current, or not yet due.
   */
  async training(asOf: Date): Promise<TrainingStatistics> {
    const overdue = `(${training.text('dueAt')})::timestamptz < $2`;
    const completed = `jsonb_array_length(coalesce(${training.json('completions')}, '[]'::jsonb)) > 0`;
    const inScope = `process = $1 AND NOT ${training.has('endedAt')}`;
    const units: Omit<TrainingUnitStatistics, 'courseLabel'>[] = await this.db.query(
      `SELECT coalesce(area, '(uden område)') AS area, coalesce(${training.text('unit')}, '') AS unit,
              coalesce(${training.text('course')}, '') AS course,
              count(*)::int AS employees,
              count(*) FILTER (WHERE ${completed} AND ${overdue} IS NOT TRUE)::int AS "completedAndCurrent",
              count(*) FILTER (WHERE NOT ${completed} AND ${overdue} IS NOT TRUE)::int AS "notYetDue",
              count(*) FILTER (WHERE ${overdue})::int AS overdue
       FROM case_files WHERE ${inScope}
       GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      [mandatoryTrainingDefinition.name, asOf.toISOString()],
    );
    const late: { id: string; employee_id: string; course: string; area: string; unit: string; due_at: string | null }[] = await this.db.query(
      `SELECT id, ${training.text('employeeId')} AS employee_id, ${training.text('course')} AS course,
              coalesce(area, '') AS area, coalesce(${training.text('unit')}, '') AS unit, ${training.text('dueAt')} AS due_at
       FROM case_files WHERE ${inScope} AND ${overdue}
       ORDER BY area, unit, employee_id, course`,
      [mandatoryTrainingDefinition.name, asOf.toISOString()],
    );
    return {
      asOf: asOf.toISOString(),
      units: units.map((u) => ({ ...u, courseLabel: TRAINING_COURSE_LABELS[u.course as TrainingCourse] ?? u.course })),
      overdue: late.map((o) => ({ caseId: o.id, employeeId: o.employee_id, course: o.course, area: o.area, unit: o.unit, dueAt: o.due_at })),
    };
  }
}

/** One process, area and step of the waiting statistics (StatisticsStore.waiting). */
export interface WaitingRow {
  process: string;
  area: string;
  step: string;
  endedCount: number;
  medianHours: number | null;
  p90Hours: number | null;
  waitingCount: number;
  longestHours: number | null;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
