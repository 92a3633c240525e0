import type { Role } from './roles';

/**
 * The reports (docs/processes.md, "Reports"): what each one counts and who may read it. The
 * figures themselves are computed from the case files by the persistence layer.
 */
export const STATISTICS_REPORTS = {
  'data-breaches': {
    description: 'Breaches per period as in the 2021 memo: reported, actual, recategorised, notified to Datatilsynet.',
    roles: ['gdpr', 'gdpr-lead', 'direktion', 'ledelsessekretariat'],
  },
  complaints: {
    description: 'Complaints per area in the period, and since the baseline of 1 September 2021.',
    roles: ['klageenhed', 'direktion', 'ledelsessekretariat', 'area-chief'],
  },
  'access-requests': {
    description: 'Access-to-documents timeliness: the share decided within 7 working days of receipt.',
    roles: ['arc-lead', 'jurist', 'direktion', 'ledelsessekretariat'],
  },
  training: {
    description: 'Mandatory training completion per area and unit, with the list of overdue employees.',
    roles: ['ledelsessekretariat', 'direktion', 'area-chief', 'digitalisation-chief', 'institution-leader', 'cluster-leader'],
  },
} as const satisfies Record<string, { description: string; roles: readonly Role[] }>;

export type StatisticsReport = keyof typeof STATISTICS_REPORTS;

/** The complaint registration baseline: the central complaints unit started on 1 September 2021. */
export const COMPLAINT_BASELINE_DATE = '2021-09-01';

export interface Period {
  from: string;
  to: string;
}

export interface DataBreachStatistics {
  period: Period;
  reported: number;
  actual: number;
  recategorised: number;
  notified: number;
  notifiedLate: number;
}

export interface ComplaintStatistics {
  period: Period;
  baselineDate: string;
  areas: { area: string; inPeriod: number; sinceBaseline: number }[];
  total: { inPeriod: number; sinceBaseline: number };
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

export interface TrainingStatistics {
  asOf: string;
  units: { area: string; unit: string; course: string; employees: number; completed: number; overdue: number }[];
  overdue: { caseId: string; employeeId: string; course: string; area: string; unit: string; dueAt: string | null }[];
}

/** The reports that go out on a schedule (Temporal Schedules), and to whom. */
export const SCHEDULED_REPORTS = {
  'training-monthly': {
    description: 'Monthly report of mandatory-training completion to the digitalisation chief, the direktion and the area chiefs.',
    recipients: ['digitalisation-chief', 'direktion', 'area-chief'],
    /** On the 1st of each month at 07:00 Copenhagen time. */
    schedule: { calendar: { dayOfMonth: 1, hour: 7, minute: 0 } },
  },
  'complaints-6-weekly': {
    description: 'Every 6 weeks: complaint counts per area against the 1 September 2021 baseline, to the legal network for validation.',
    recipients: ['klageenhed', 'arc-lead'],
    schedule: { everyDays: 42 },
  },
} as const satisfies Record<string, { description: string; recipients: readonly Role[]; schedule: { calendar?: { dayOfMonth: number; hour: number; minute: number }; everyDays?: number } }>;

export type ScheduledReport = keyof typeof SCHEDULED_REPORTS;
