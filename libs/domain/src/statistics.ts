import { copenhagenDate, startOfCopenhagenDay } from './calendar';
import type { Role } from './roles';

/**
 * The reports (docs/processes.md, "Reports"): what each one counts and who may read it. The
 * figures themselves are computed from the case files by the persistence layer.
 */
export const STATISTICS_REPORTS = {
  'data-breaches': {
    description: 'Breaches discovered (konstateret) in the period, as in the 2021 memo: reported, actual, recategorised, notified to Datatilsynet, notified late.',
    roles: ['gdpr', 'gdpr-lead', 'direktion', 'ledelsessekretariat'],
    process: 'data-breach',
  },
  complaints: {
    description: 'Complaints per area (realitetsklager apart) in the period, since the baseline of 1 September 2021, and against the configured baseline count.',
    roles: ['klageenhed', 'direktion', 'ledelsessekretariat', 'area-chief'],
    process: 'complaint',
  },
  'access-requests': {
    description: 'Access-to-documents timeliness: the share decided within 7 working days of receipt.',
    roles: ['arc-lead', 'jurist', 'direktion', 'ledelsessekretariat'],
    process: 'access-request',
  },
  training: {
    description: 'Mandatory training of every employee in scope per area, unit and course: completed and current, not yet due, overdue; with the list of overdue employees.',
    roles: ['ledelsessekretariat', 'direktion', 'area-chief', 'digitalisation-chief', 'institution-leader', 'cluster-leader'],
    process: 'mandatory-training',
  },
} as const satisfies Record<string, { description: string; roles: readonly Role[]; /** The process whose cases it counts: who reads those cases sees exact counts. */ process: string }>;

/**
 * A count from 1 to SMALL_COUNT_THRESHOLD − 1 can single out a case (one breach in a day, and
 * whether it was notified). To a person who may not read the cases counted, such a count reads
 * "< 5", and a figure it would give away (a share, a difference, its complement) reads null.
 */
export const SMALL_COUNT_THRESHOLD = 5;
export const SMALL_COUNT = `< ${SMALL_COUNT_THRESHOLD}` as const;
export type ShownCount = number | typeof SMALL_COUNT;

const isSmall = (n: number) => n > 0 && n < SMALL_COUNT_THRESHOLD;
const shown = (n: number, hide = isSmall(n)): ShownCount => (hide ? SMALL_COUNT : n);
const unlessSmall = <T>(value: T, ...counts: number[]): T | null => (counts.some(isSmall) ? null : value);

/** The report as a person who may not read the counted cases sees it (see SMALL_COUNT_THRESHOLD). */
export function withSmallCountsHidden(report: StatisticsReport, stats: object): object {
  switch (report) {
    case 'data-breaches': {
      const b = stats as DataBreachStatistics;
      // actual + recategorised = the triaged: when one is hidden, so is the other.
      const hideCounts = <T extends DataBreachCounts>(x: T) => {
        const outcomes = isSmall(x.actual) || isSmall(x.recategorised);
        return { ...x, reported: shown(x.reported), actual: shown(x.actual, outcomes), recategorised: shown(x.recategorised, outcomes), notified: shown(x.notified), notifiedLate: shown(x.notifiedLate) };
      };
      return { ...hideCounts(b), years: b.years.map(hideCounts), smallCountsHiddenBelow: SMALL_COUNT_THRESHOLD };
    }
    case 'complaints': {
      const c = stats as ComplaintStatistics;
      const hideCounts = <T extends { inPeriod: number; sinceBaseline: number; realitetsklagerInPeriod: number; realitetsklagerSinceBaseline: number }>(x: T) => ({
        ...x,
        inPeriod: shown(x.inPeriod),
        sinceBaseline: shown(x.sinceBaseline),
        realitetsklagerInPeriod: shown(x.realitetsklagerInPeriod),
        realitetsklagerSinceBaseline: shown(x.realitetsklagerSinceBaseline),
      });
      return {
        ...c,
        areas: c.areas.map((a) => ({ ...hideCounts(a), differenceFromBaseline: unlessSmall(a.differenceFromBaseline, a.inPeriod), ratioToBaseline: unlessSmall(a.ratioToBaseline, a.inPeriod) })),
        total: hideCounts(c.total),
        smallCountsHiddenBelow: SMALL_COUNT_THRESHOLD,
      };
    }
    case 'access-requests': {
      const a = stats as AccessRequestStatistics;
      const late = a.due - a.decidedWithinDeadline;
      return {
        ...a,
        received: shown(a.received),
        decided: shown(a.decided),
        due: shown(a.due),
        decidedWithinDeadline: shown(a.decidedWithinDeadline, isSmall(a.decidedWithinDeadline) || isSmall(late)),
        shareWithinDeadline: unlessSmall(a.shareWithinDeadline, a.due, a.decidedWithinDeadline, late),
        smallCountsHiddenBelow: SMALL_COUNT_THRESHOLD,
      };
    }
    case 'training': {
      // The overdue list names employees: only for those who may read their cases.
      const t = stats as TrainingStatistics;
      return {
        ...t,
        units: t.units.map((u) => ({ ...u, employees: shown(u.employees), completedAndCurrent: shown(u.completedAndCurrent), notYetDue: shown(u.notYetDue), overdue: shown(u.overdue) })),
        overdue: [],
        smallCountsHiddenBelow: SMALL_COUNT_THRESHOLD,
      };
    }
  }
}

export type StatisticsReport = keyof typeof STATISTICS_REPORTS;

/**
 * "Where cases wait" (GET /statistics/waiting): how long cases stay in each step, per process,
 * area and step, read from the journal. Who may read a process's figures: the roles of the report
 * that counts that process (for a process without a report, the roles that read every report),
 * and those who read its cases. Exact figures for those who read the cases; the others see small
 * counts hidden (waitingWithSmallCountsHidden), as in the reports.
 */
export const WAITING_STATISTICS = {
  description:
    'Where cases wait: per process, area and step, the stays in the step that ended in the period (count, median and 90th percentile in hours) and the cases waiting in it now (count, longest wait in hours), from the journal.',
} as const;

/** The roles that may read the waiting figures of a process (see WAITING_STATISTICS). */
export function waitingStatisticsRoles(process: { name: string; readRoles: readonly Role[] }): Role[] {
  const reports = Object.values(STATISTICS_REPORTS) as { roles: readonly Role[]; process: string }[];
  const report = reports.find((r) => r.process === process.name);
  const everyReport = reports.map((r) => r.roles).reduce((a, b) => a.filter((role) => b.includes(role)));
  return [...new Set([...(report?.roles ?? everyReport), ...process.readRoles])];
}

export interface WaitingStep {
  step: string;
  area: string;
  /** Stays in the step that ended in the period (the case moved on): hours, one decimal. */
  ended: { count: number; medianHours: number | null; p90Hours: number | null };
  /** Open cases in the step now, and how long the one that has waited longest has waited (hours, one decimal). */
  waitingNow: { count: number; longestHours: number | null };
}

export interface WaitingProcess {
  process: string;
  steps: WaitingStep[];
}

export interface WaitingStatistics {
  period: Period;
  /** The instant "now" was read at (the cases waiting, and how long). */
  asOf: string;
  unit: 'hours';
  processes: WaitingProcess[];
}

/**
 * A process's waiting figures as a person who may not read its cases sees them: a count from 1
 * to 4 reads "< 5", and the durations it would give away (a median of one stay is that stay)
 * read null.
 */
export function waitingWithSmallCountsHidden(p: WaitingProcess): object {
  return {
    ...p,
    steps: p.steps.map((s) => ({
      ...s,
      ended: { count: shown(s.ended.count), medianHours: unlessSmall(s.ended.medianHours, s.ended.count), p90Hours: unlessSmall(s.ended.p90Hours, s.ended.count) },
      waitingNow: { count: shown(s.waitingNow.count), longestHours: unlessSmall(s.waitingNow.longestHours, s.waitingNow.count) },
    })),
    smallCountsHiddenBelow: SMALL_COUNT_THRESHOLD,
  };
}

/** The complaint registration baseline: the central complaints unit started on 1 September 2021. */
export const COMPLAINT_BASELINE_DATE = '2021-09-01';

/** A period [from, to) in instants (ISO 8601, UTC); its bounds are read in Copenhagen time. */
export interface Period {
  from: string;
  to: string;
}

/** The Copenhagen calendar year before the one `at` falls in: 1 January 00:00 to 1 January 00:00. */
export function previousCopenhagenYear(at: number): Period & { year: number } {
  const year = copenhagenDate(at).year - 1;
  return { year, from: iso(startOfCopenhagenDay({ year, month: 1, day: 1 })), to: iso(startOfCopenhagenDay({ year: year + 1, month: 1, day: 1 })) };
}

/**
 * The `days` whole Copenhagen days before the day `at` falls in: from 00:00 of the first to
 * 00:00 of the day of `at` (that day itself is not yet whole, so it belongs to the next period).
 */
export function previousCopenhagenDays(at: number, days: number): Period {
  const today = copenhagenDate(at);
  return { from: iso(startOfCopenhagenDay({ ...today, day: today.day - days })), to: iso(startOfCopenhagenDay(today)) };
}

/** The Copenhagen month `at` falls in, as `YYYY-MM`: what keys a monthly report's messages. */
export function copenhagenMonth(at: number): string {
  const d = copenhagenDate(at);
  return `${d.year}-${String(d.month).padStart(2, '0')}`;
}

function iso(instant: number): string {
  return new Date(instant).toISOString();
}

export interface DataBreachCounts {
  /** Counted by when the breach was discovered (konstateret), read in Copenhagen time. */
  reported: number;
  actual: number;
  recategorised: number;
  notified: number;
  notifiedLate: number;
}

export interface DataBreachStatistics extends DataBreachCounts {
  period: Period;
  /**
   * The same counts per Copenhagen calendar year of discovery, as the 2021 memo gives them
   * ("I 2020 har BUF modtaget 101 anmeldelser …"): every year the period touches, oldest first,
   * each year's bounds cut to the period.
   */
  years: (DataBreachCounts & { year: number; period: Period })[];
}

/** The Copenhagen calendar years a period touches, each cut to the period (oldest first). */
export function copenhagenYearsOf(period: Period): { year: number; period: Period }[] {
  const from = Date.parse(period.from);
  const to = Date.parse(period.to);
  if (!(from < to)) return [];
  const years: { year: number; period: Period }[] = [];
  for (let year = copenhagenDate(from).year; year <= copenhagenDate(to - 1).year; year += 1) {
    const start = Math.max(from, startOfCopenhagenDay({ year, month: 1, day: 1 }));
    const end = Math.min(to, startOfCopenhagenDay({ year: year + 1, month: 1, day: 1 }));
    years.push({ year, period: { from: iso(start), to: iso(end) } });
  }
  return years;
}

/**
 * The configured baseline of 1 September 2021: per area, the number of complaints it stood at
 * (BUU approved it on 15 December 2021). Configuration (`COMPLAINT_BASELINE`), not code.
 */
export interface ComplaintBaseline {
  /** The baseline date, read in Copenhagen time; counting "since the baseline" starts at its 00:00. */
  date: string;
  /** Complaints per area at the baseline, per 6-week period (the legal network's validation period). */
  counts: Record<string, number>;
}

export interface ComplaintAreaStatistics {
  area: string;
  /** Complaints (case handling, conduct, service level) received in the period. */
  inPeriod: number;
  /** Complaints received from the baseline date to the end of the period. */
  sinceBaseline: number;
  /** Realitetsklager received in the period: counted apart, never as complaints. */
  realitetsklagerInPeriod: number;
  realitetsklagerSinceBaseline: number;
  /** The area's configured baseline count, or null when none is configured. */
  baseline: number | null;
  /** inPeriod − baseline (null without a baseline): above 0 more complaints than at the baseline. */
  differenceFromBaseline: number | null;
  /** inPeriod / baseline (null without a baseline or when it is 0): 1 is the baseline's level. */
  ratioToBaseline: number | null;
}

export interface ComplaintStatistics {
  period: Period;
  baselineDate: string;
  areas: ComplaintAreaStatistics[];
  total: { inPeriod: number; sinceBaseline: number; realitetsklagerInPeriod: number; realitetsklagerSinceBaseline: number; baseline: number };
}

export interface AccessRequestStatistics {
  period: Period;
  received: number;
  decided: number;
  /** Requests whose 7 working days have passed, or that were decided: the ones timeliness is measured on. */
  due: number;
  decidedWithinDeadline: number;
  /**
   * decidedWithinDeadline / due, or null when none is due: a request still open after its
   * deadline counts as late.
   */
  shareWithinDeadline: number | null;
}

/**
 * One row per area, unit and course over every employee in scope (open and completed cases; an
 * ended employment is out of scope). Each employee is in exactly one of the three states:
 * overdue (the deadline they work towards has passed: the first completion, or an IT-security
 * refresh), completed and current (completed, no deadline passed), not yet due.
 */
export interface TrainingUnitStatistics {
  area: string;
  unit: string;
  course: string;
  /** The course's name as staff read it (TRAINING_COURSE_LABELS). */
  courseLabel: string;
  employees: number;
  completedAndCurrent: number;
  notYetDue: number;
  overdue: number;
}

export interface TrainingOverdueEmployee {
  caseId: string;
  employeeId: string;
  course: string;
  area: string;
  unit: string;
  dueAt: string | null;
}

export interface TrainingStatistics {
  asOf: string;
  units: TrainingUnitStatistics[];
  overdue: TrainingOverdueEmployee[];
}

/**
 * Who a notification goes to: a role's configured address, or a person found in the configured
 * directory (NOTIFICATION_DIRECTORY) by their function and area or unit — an area's
 * representative in the legal network, a unit's institution leader and cluster leader.
 */
export type Recipient =
  | { role: Role }
  | { role: 'area-representative'; area: string }
  | { role: 'institution-leader' | 'cluster-leader'; unit: string };

/** The recipient as the outbox stores it: `role`, `role@area:AREA` or `role@unit:UNIT`. */
export function recipientKey(r: Recipient): string {
  if ('area' in r) return `${r.role}@area:${r.area}`;
  if ('unit' in r) return `${r.role}@unit:${r.unit}`;
  return r.role;
}

export function parseRecipient(key: string): Recipient {
  const match = /^([a-z-]+)@(area|unit):(.+)$/s.exec(key);
  if (!match) return { role: key as Role };
  const [, role, scope, name] = match;
  if (scope === 'area') return { role: 'area-representative', area: name };
  return { role: role as 'institution-leader' | 'cluster-leader', unit: name };
}

type ScheduleSpec = { calendar?: { month?: number; dayOfMonth: number; hour: number; minute: number }; everyDays?: number };

/**
 * The reports that go out on a schedule (Temporal Schedules, Europe/Copenhagen), and to whom.
 * `recipients` are the roles that receive it at their role's address; `perPerson` names the
 * people the activity adds, found in the configured directory (NOTIFICATION_DIRECTORY).
 */
export const SCHEDULED_REPORTS = {
  'training-monthly': {
    description: 'Monthly report of mandatory-training completion to the digitalisation chief, the direktion and the area chiefs.',
    recipients: ['digitalisation-chief', 'direktion', 'area-chief'],
    /** On the 1st of each month at 07:00 Copenhagen time. */
    schedule: { calendar: { dayOfMonth: 1, hour: 7, minute: 0 } },
  },
  'training-overdue-lists': {
    description:
      "Monthly, with the completion report (the 2021 memo: \"samtidig\"): each institution leader receives the list of their own unit's overdue employees, with the cluster leader in copy; one message per leader.",
    recipients: [],
    perPerson: "each unit's institution leader, its cluster leader in copy",
    /** On the 1st of each month at 07:00 Copenhagen time, as the monthly report. */
    schedule: { calendar: { dayOfMonth: 1, hour: 7, minute: 0 } },
  },
  'complaints-6-weekly': {
    description:
      'Every 6 weeks: complaints per area in the period, since the 1 September 2021 baseline and against it, to the legal network for validation (the complaints unit, ARC, each area\'s representative, Ledelsessekretariatet).',
    recipients: ['klageenhed', 'arc-lead', 'ledelsessekretariat'],
    perPerson: "each area's representative",
    schedule: { everyDays: 42 },
  },
  'data-breaches-yearly': {
    description: 'Yearly: the previous Copenhagen calendar year\'s breaches (reported, actual, recategorised, notified, notified late) to the GDPR lead and the direktion.',
    recipients: ['gdpr-lead', 'direktion'],
    /** On 2 January at 07:00 Copenhagen time, for the year that ended. */
    schedule: { calendar: { month: 1, dayOfMonth: 2, hour: 7, minute: 0 } },
  },
} as const satisfies Record<string, { description: string; recipients: readonly Role[]; perPerson?: string; schedule: ScheduleSpec }>;

export type ScheduledReport = keyof typeof SCHEDULED_REPORTS;

/** The schedule of a report, widened for the code that turns it into a Temporal Schedule. */
export function reportSchedule(report: ScheduledReport): ScheduleSpec {
  return SCHEDULED_REPORTS[report].schedule;
}
