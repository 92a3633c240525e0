/**
 * The one deadline engine: a deadline's rule, as a process definition declares it, and the due
 * instant and Danish explanation computed from it. Workflows say which deadline starts and from
 * when; they never compute an instant. Deterministic (runs inside workflows).
 */
import {
  type CalendarOptions,
  type LocalDate,
  addWorkingDays,
  copenhagenDate,
  copenhagenOffsetMs,
  endOfCopenhagenDay,
  formatCopenhagen,
  fromCopenhagenWallClock,
  isWorkingDay,
  publicHoliday,
} from './calendar';
import { type CasePolicy, DEFAULT_POLICY } from './policy';
import type { Role } from './roles';

/** A figure of the policy, by its path (e.g. `complaint.answerDays`): an administrator may change it. */
export type PolicyKey =
  | 'whistleblower.juristAssignmentWorkingDays'
  | 'whistleblower.replyReminderHoursBefore'
  | 'dataBreach.reminderHoursAfterDiscovery'
  | 'complaint.answerReminderDaysBefore'
  | 'taskforce.reviewReminderDaysBefore'
  | 'mandatoryTraining.reminderDaysBefore'
  | 'whistleblower.autoCloseDaysAfterReply'
  | 'whistleblower.receiptBriefingWorkingDays'
  | 'whistleblower.receiptBriefingReminderDaysBefore'
  | 'complaint.acknowledgementWorkingDays'
  | 'complaint.answerDays'
  | 'complaint.citizenClarificationDays'
  | 'taskforce.reviewEveryDays'
  | 'mandatoryTraining.itSecurityRefreshYears'
  | 'mandatoryTraining.itSecurityAdministrativeDays'
  | 'bullyingComplaint.forwardWorkingDays'
  | 'bullyingComplaint.forwardReminderDaysBefore'
  | 'bullyingComplaint.actionPlanReminderDaysBefore'
  | 'accessRequest.decisionReminderHour';

/** Why a deadline exists: a statute and its paragraph, a policy figure, or a party that sets it in the case. */
export type LegalBasis = { law: string } | { policy: PolicyKey | string } | { setBy: string };

/**
 * How a deadline is measured, always in Europe/Copenhagen:
 * - `hours`: calendar hours (weekends and nights count);
 * - `calendar-days`, `working-days` (Danish calendar), `years`: ending at the end of the last day
 *   (23:59:59.999 Copenhagen), never at the clock time they started from;
 * - `given`: an instant set on the case (a date promised in a letter, BRG's deadline).
 */
export type DeadlineMeasure =
  | { unit: 'hours' | 'calendar-days' | 'working-days' | 'years'; count: number | PolicyKey }
  | { unit: 'given' };

export interface DeadlineRule {
  measure: DeadlineMeasure;
  /** What it counts from, in Danish as the explanation says it ("modtagelsen", "konstateringen"). */
  from: string;
  basis: LegalBasis;
}

/**
 * A reminder while a deadline is pending: hours after it started counting, hours before it is
 * due, or days before it is due (at 08:00 Copenhagen on that day, or at `atHour`); to these roles.
 * Days before due 0 is the morning of the deadline's own last day (e.g. the 7th working day).
 */
export interface ReminderRule {
  when: 'hours-after-start' | 'hours-before-due' | 'days-before-due';
  offsets: readonly number[] | PolicyKey;
  /** For `days-before-due`: the Copenhagen hour (0–23) on that day; default REMINDER_HOUR. */
  atHour?: number | PolicyKey;
  notify: readonly Role[];
}

/** Reminders are sent at this Copenhagen hour on a day counted in days. */
export const REMINDER_HOUR = 8;

export interface ComputedDeadline {
  dueAt: number;
  /** How it was computed, in Danish, e.g. "7 arbejdsdage fra modtagelsen tirsdag 31.03.2026 (…): senest tirsdag 14.04.2026 kl. 23.59". */
  explanation: string;
}

const WEEKDAYS = ['søndag', 'mandag', 'tirsdag', 'onsdag', 'torsdag', 'fredag', 'lørdag'];
const two = (n: number) => String(n).padStart(2, '0');

/** `tirsdag 31.03.2026`, the Copenhagen date of an instant. */
export function danishDate(instant: number): string {
  const d = copenhagenDate(instant);
  return danishLocalDate(d);
}

function danishLocalDate(d: LocalDate): string {
  const weekday = WEEKDAYS[new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay()];
  return `${weekday} ${two(d.day)}.${two(d.month)}.${d.year}`;
}

/** `tirsdag 14.04.2026 kl. 23.59`, an instant as staff read it. */
export function danishDateTime(instant: number): string {
  return `${WEEKDAYS[new Date(instant + copenhagenOffsetMs(instant)).getUTCDay()]} ${formatCopenhagen(instant)}`;
}

function addDays(d: LocalDate, days: number): LocalDate {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + days));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** A figure of the case's policy; cases opened before a figure was configurable take today's default. */
function policyValue(policy: CasePolicy, key: string): unknown {
  const read = (from: unknown) => {
    let value = from;
    for (const part of key.split('.')) {
      value = typeof value === 'object' && value !== null && Object.hasOwn(value, part) ? (value as Record<string, unknown>)[part] : undefined;
    }
    return value;
  };
  return read(policy) ?? read(DEFAULT_POLICY);
}

/** A policy figure by its key. */
export function policyFigure(policy: CasePolicy, key: string): number {
  const value = policyValue(policy, key);
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`The policy has no figure ${key}`);
  return value;
}

/** Policy figures by their key: a list, or one figure as a list of one. */
export function policyFigures(policy: CasePolicy, key: string): number[] {
  const value = policyValue(policy, key);
  if (Array.isArray(value) && value.every((v) => typeof v === 'number' && Number.isFinite(v))) return value as number[];
  return [policyFigure(policy, key)];
}

/**
 * The instants of a reminder rule for a deadline that counts from `from` and is due at `due`.
 * `asBefore`: days before due counted in 24-hour steps back from the due instant, as runs
 * started before the deadline engine did.
 */
export function reminderInstants(reminder: ReminderRule, from: number, due: number, policy: CasePolicy, asBefore = false): number[] {
  const offsets = typeof reminder.offsets === 'string' ? policyFigures(policy, reminder.offsets) : [...reminder.offsets];
  const hour = reminderHour(reminder, policy);
  return offsets.map((n) => {
    switch (reminder.when) {
      case 'hours-after-start':
        return from + n * 3_600_000;
      case 'hours-before-due':
        return due - n * 3_600_000;
      case 'days-before-due': {
        if (asBefore) return due - n * 86_400_000;
        const d = addDays(copenhagenDate(due), -n);
        return fromCopenhagenWallClock(Date.UTC(d.year, d.month - 1, d.day, hour));
      }
    }
  });
}

/** The Copenhagen hour of a reminder counted in days: the rule's figure (or policy figure), else REMINDER_HOUR. */
function reminderHour(reminder: ReminderRule, policy: CasePolicy): number {
  if (reminder.atHour === undefined) return REMINDER_HOUR;
  const hour = typeof reminder.atHour === 'string' ? policyFigure(policy, reminder.atHour) : reminder.atHour;
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new Error(`A reminder hour must be a whole hour 0–23, not ${hour}`);
  return hour;
}

/** `a, b og c`: a list as Danish writes it. */
export function danishList(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} og ${items[items.length - 1]}`;
}

/**
 * The due instant of a rule counted from `from` and how it was computed. `count` overrides the
 * rule's figure where the case decides it (e.g. a training course's days by staff group); a
 * `given` rule takes its instant in `at`.
 */
export function computeDeadline(
  rule: DeadlineRule,
  from: number,
  policy: CasePolicy,
  options: { count?: number; at?: number } = {},
): ComputedDeadline {
  const calendar: CalendarOptions = policy.calendar;
  const measure = rule.measure;
  if (measure.unit === 'given') {
    const at = options.at;
    if (at === undefined || !Number.isFinite(at)) throw new Error('A given deadline needs its instant');
    return { dueAt: at, explanation: `Fastsat ved ${rule.from} ${danishDate(from)}: senest ${danishDateTime(at)}` };
  }
  const count = options.count ?? (typeof measure.count === 'number' ? measure.count : policyFigure(policy, measure.count));
  const start = copenhagenDate(from);
  const startText = `${rule.from} ${danishDate(from)}`;
  switch (measure.unit) {
    case 'hours': {
      const dueAt = from + count * 3_600_000;
      return { dueAt, explanation: `${count} timer fra ${rule.from} ${danishDateTime(from)}: senest ${danishDateTime(dueAt)}` };
    }
    case 'calendar-days': {
      const dueAt = endOfCopenhagenDay(addDays(start, count));
      return { dueAt, explanation: `${count} kalenderdage fra ${startText}: senest ${danishDateTime(dueAt)}` };
    }
    case 'years': {
      const year = start.year + count;
      const lastDay = new Date(Date.UTC(year, start.month, 0)).getUTCDate();
      const dueAt = endOfCopenhagenDay({ year, month: start.month, day: Math.min(start.day, lastDay) });
      return { dueAt, explanation: `${count} år fra ${startText}: senest ${danishDateTime(dueAt)}` };
    }
    case 'working-days': {
      // Day one is the first working day after the day it counts from.
      let day = start;
      let counted = 0;
      const skipped: string[] = [];
      while (counted < count) {
        day = addDays(day, 1);
        if (isWorkingDay(day, calendar)) {
          counted += 1;
        } else {
          const weekday = new Date(Date.UTC(day.year, day.month - 1, day.day)).getUTCDay();
          const holiday = publicHoliday(day, calendar);
          if (holiday && weekday !== 0 && weekday !== 6) skipped.push(holiday);
        }
      }
      const dueAt = endOfCopenhagenDay(day);
      const skippedText = skipped.length > 0 ? ` (${danishList(skipped)} springes over)` : '';
      return { dueAt, explanation: `${count} arbejdsdage fra ${startText}${skippedText}: senest ${danishDateTime(dueAt)}` };
    }
  }
}

/**
 * The instants runs started before the deadline engine were given: days counted in 24-hour steps
 * (working days and years at the clock time they started from). Kept only so that those runs
 * replay as they ran; never for a new deadline.
 */
export function computeDeadlineAsBefore(rule: DeadlineRule, from: number, policy: CasePolicy, options: { count?: number; at?: number } = {}): number {
  const m = rule.measure;
  if (m.unit === 'given') return options.at ?? NaN;
  const count = options.count ?? (typeof m.count === 'number' ? m.count : policyFigure(policy, m.count));
  switch (m.unit) {
    case 'hours':
      return from + count * 3_600_000;
    case 'calendar-days':
      return from + count * 86_400_000;
    case 'working-days':
      return addWorkingDays(from, count, policy.calendar);
    case 'years': {
      const wall = from + copenhagenOffsetMs(from);
      const w = new Date(wall);
      const year = w.getUTCFullYear() + count;
      const lastDay = new Date(Date.UTC(year, w.getUTCMonth() + 1, 0)).getUTCDate();
      const timeOfDay = wall - Date.UTC(w.getUTCFullYear(), w.getUTCMonth(), w.getUTCDate());
      return fromCopenhagenWallClock(Date.UTC(year, w.getUTCMonth(), Math.min(w.getUTCDate(), lastDay)) + timeOfDay);
    }
  }
}

/** The legal basis as staff read it: the statute, or "Politik (complaint.answerDays)". */
export function describeBasis(basis: LegalBasis): string {
  if ('law' in basis) return basis.law;
  if ('setBy' in basis) return `Fastsat af ${basis.setBy}`;
  return `Politik (${basis.policy})`;
}

/** The rule as one line for the process description: "7 arbejdsdage fra modtagelsen – Offentlighedsloven § 36, stk. 2". */
export function describeRule(rule: DeadlineRule, policy: CasePolicy): string {
  const m = rule.measure;
  const units = { hours: 'timer', 'calendar-days': 'kalenderdage', 'working-days': 'arbejdsdage', years: 'år' } as const;
  const measure =
    m.unit === 'given'
      ? `fastsat ved ${rule.from}`
      : `${typeof m.count === 'number' ? m.count : policyFigure(policy, m.count)} ${units[m.unit]} fra ${rule.from}${m.unit === 'hours' ? '' : ', til udgangen af sidste dag'}`;
  return `${measure} – ${describeBasis(rule.basis)}`;
}
