/**
 * Copenhagen wall-clock arithmetic for test expectations, computed with Intl and independent of
 * the domain's calendar code, so that expected deadlines are an oracle and not a copy of the
 * implementation. A "wall" time is Copenhagen's clock reading expressed as if it were UTC.
 */

const DAY = 86_400_000;

const copenhagen = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Copenhagen',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** Copenhagen's wall clock at an instant, as if it were UTC. */
export function wallClock(instant: number): number {
  const p = Object.fromEntries(copenhagen.formatToParts(new Date(instant)).map((x) => [x.type, Number(x.value)]));
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) + (instant % 1000);
}

/** The instant at which Copenhagen's clocks show `wall` (a wall-clock time read as UTC). */
export function atWallClock(wall: number): number {
  let instant = wall;
  for (let i = 0; i < 3; i += 1) instant = wall - (wallClock(instant) - instant);
  return instant;
}

/** The instant at which Copenhagen's clocks show this date and time (month 1–12; days may overflow). */
export function copenhagenInstant(year: number, month: number, day: number, hour: number, minute = 0): number {
  return atWallClock(Date.UTC(year, month - 1, day, hour, minute));
}

/** The same Copenhagen time of day, `days` calendar days later. */
export function plusDays(instant: number, days: number): number {
  return atWallClock(wallClock(instant) + days * DAY);
}

/** The same Copenhagen date and time `years` later (29 February becomes 28 February). */
export function plusYears(instant: number, years: number): number {
  const w = new Date(wallClock(instant));
  const year = w.getUTCFullYear() + years;
  const lastDay = new Date(Date.UTC(year, w.getUTCMonth() + 1, 0)).getUTCDate();
  const target = new Date(w);
  target.setUTCFullYear(year, w.getUTCMonth(), Math.min(w.getUTCDate(), lastDay));
  return atWallClock(target.getTime());
}

/** Copenhagen's weekday ('Mon'…'Sun') and clock reading ('HH:MM') at an instant. */
export function copenhagenWeekdayAndTime(instant: number): { weekday: string; time: string } {
  const wall = new Date(wallClock(instant));
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][wall.getUTCDay()];
  return { weekday, time: wall.toISOString().slice(11, 16) };
}

/** The last instant (23:59:59.999 Copenhagen) of the Copenhagen day an instant falls on. */
export function endOfCopenhagenDay(instant: number): number {
  const wall = wallClock(instant);
  return atWallClock(wall - (((wall % DAY) + DAY) % DAY) + DAY) - 1;
}

/** `hour`:00 Copenhagen time on the Copenhagen day an instant falls on. */
export function atCopenhagenHour(instant: number, hour: number): number {
  const wall = wallClock(instant);
  return atWallClock(wall - (((wall % DAY) + DAY) % DAY) + hour * 3_600_000);
}
