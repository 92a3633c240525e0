/**
 * The Danish working-day calendar in Europe/Copenhagen time, without Intl or Node built-ins so
 * that workflows can compute deadlines deterministically.
 */
export interface CalendarOptions {
  /** Grundlovsdag (5 June), 24 and 31 December: working days only by local agreement. */
  grundlovsdagIsWorkingDay: boolean;
  christmasEveIsWorkingDay: boolean;
  newYearsEveIsWorkingDay: boolean;
}

export const DEFAULT_CALENDAR: CalendarOptions = {
  grundlovsdagIsWorkingDay: false,
  christmasEveIsWorkingDay: false,
  newYearsEveIsWorkingDay: false,
};

export interface LocalDate {
  year: number;
  month: number; // 1-12
  day: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function lastSundayUtc(year: number, monthIndex: number): number {
  const lastDay = Date.UTC(year, monthIndex + 1, 0);
  const weekday = new Date(lastDay).getUTCDay();
  return lastDay - weekday * DAY;
}

/** CET (+1) or CEST (+2): EU summer time runs from 01:00 UTC on the last Sunday of March to
 * 01:00 UTC on the last Sunday of October. */
export function copenhagenOffsetMs(instant: number): number {
  const year = new Date(instant).getUTCFullYear();
  const start = lastSundayUtc(year, 2) + HOUR;
  const end = lastSundayUtc(year, 9) + HOUR;
  return instant >= start && instant < end ? 2 * HOUR : HOUR;
}

export function copenhagenDate(instant: number): LocalDate {
  const local = new Date(instant + copenhagenOffsetMs(instant));
  return { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate() };
}

/**
 * The instant of a wall-clock time in Copenhagen (`localMs` is that wall clock read as UTC). A
 * time in the hour skipped in spring is read as winter time (02:30 becomes 03:30 summer time); a
 * time in the hour repeated in autumn is read as its second occurrence (winter time).
 */
export function fromCopenhagenWallClock(localMs: number): number {
  const guess = localMs - copenhagenOffsetMs(localMs - HOUR);
  return localMs - copenhagenOffsetMs(guess);
}

/** The first instant (00:00) of a Copenhagen date. */
export function startOfCopenhagenDay(d: LocalDate): number {
  return fromCopenhagenWallClock(Date.UTC(d.year, d.month - 1, d.day));
}

/** The last instant of a Copenhagen date: 23:59:59.999 that day. */
export function endOfCopenhagenDay(d: LocalDate): number {
  return fromCopenhagenWallClock(Date.UTC(d.year, d.month - 1, d.day + 1)) - 1;
}

/** Easter Sunday (anonymous Gregorian algorithm). */
export function easterSunday(year: number): LocalDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return { year, month, day };
}

function dayNumber(date: LocalDate): number {
  return Date.UTC(date.year, date.month - 1, date.day) / DAY;
}

/** The name of the public holiday on a date, or undefined. */
export function publicHoliday(date: LocalDate, options: CalendarOptions = DEFAULT_CALENDAR): string | undefined {
  const { year, month, day } = date;
  if (month === 1 && day === 1) return 'nytårsdag';
  if (month === 12 && day === 25) return 'juledag';
  if (month === 12 && day === 26) return '2. juledag';
  if (month === 6 && day === 5 && !options.grundlovsdagIsWorkingDay) return 'grundlovsdag';
  if (month === 12 && day === 24 && !options.christmasEveIsWorkingDay) return 'juleaftensdag';
  if (month === 12 && day === 31 && !options.newYearsEveIsWorkingDay) return 'nytårsaftensdag';
  const fromEaster = dayNumber(date) - dayNumber(easterSunday(year));
  switch (fromEaster) {
    case -3: return 'skærtorsdag';
    case -2: return 'langfredag';
    case 0: return 'påskedag';
    case 1: return '2. påskedag';
    case 26: return year < 2024 ? 'store bededag' : undefined;
    case 39: return 'Kristi himmelfartsdag';
    case 49: return 'pinsedag';
    case 50: return '2. pinsedag';
    default: return undefined;
  }
}

export function isWorkingDay(date: LocalDate, options: CalendarOptions = DEFAULT_CALENDAR): boolean {
  const weekday = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  return publicHoliday(date, options) === undefined;
}

/**
 * The instant `days` working days after `from`, at the same Copenhagen wall-clock time.
 * Day one is the first working day after the start date, so a request received on a Saturday
 * with a one-working-day deadline is due on Monday.
 */
export function addWorkingDays(from: number, days: number, options: CalendarOptions = DEFAULT_CALENDAR): number {
  const wallClock = from + copenhagenOffsetMs(from);
  const timeOfDay = ((wallClock % DAY) + DAY) % DAY;
  let dayStart = wallClock - timeOfDay;
  let counted = 0;
  while (counted < days) {
    dayStart += DAY;
    const d = new Date(dayStart);
    if (isWorkingDay({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }, options)) {
      counted += 1;
    }
  }
  return fromCopenhagenWallClock(dayStart + timeOfDay);
}

export const DURATION = { MINUTE, HOUR, DAY } as const;

/** A date-time as staff read it in letters and notifications: `24.12.2026 kl. 14.30`. */
export function formatCopenhagen(instant: number): string {
  const local = new Date(instant + copenhagenOffsetMs(instant));
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(local.getUTCDate())}.${two(local.getUTCMonth() + 1)}.${local.getUTCFullYear()} kl. ${two(local.getUTCHours())}.${two(local.getUTCMinutes())}`;
}
