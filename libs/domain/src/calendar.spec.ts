import { addWorkingDays, copenhagenOffsetMs, DEFAULT_CALENDAR, easterSunday, formatCopenhagen, fromCopenhagenWallClock, isWorkingDay, publicHoliday } from './calendar';

const HOUR = 3_600_000;

describe('Danish working-day calendar', () => {
  it.each([
    [2021, 4, 4],
    [2022, 4, 17],
    [2023, 4, 9],
    [2024, 3, 31],
    [2025, 4, 20],
    [2026, 4, 5],
    [2027, 3, 28],
    [2030, 4, 21],
  ])('given %i, when Easter is computed, then it is %i/%i', (year, month, day) => {
    expect(easterSunday(year)).toEqual({ year, month, day });
  });

  it('given 2026, when its days are classified, then exactly the statutory holidays and weekends are non-working', () => {
    const holidays2026 = [
      '2026-01-01', // nytårsdag
      '2026-04-02', // skærtorsdag
      '2026-04-03', // langfredag
      '2026-04-05', // påskedag (a Sunday)
      '2026-04-06', // 2. påskedag
      '2026-05-14', // Kristi himmelfartsdag
      '2026-05-24', // pinsedag (a Sunday)
      '2026-05-25', // 2. pinsedag
      '2026-06-05', // grundlovsdag (default: not a working day)
      '2026-12-24',
      '2026-12-25',
      '2026-12-26',
      '2026-12-31',
    ];
    const found: string[] = [];
    for (let d = Date.UTC(2026, 0, 1); d < Date.UTC(2027, 0, 1); d += 24 * HOUR) {
      const date = new Date(d);
      const local = { year: 2026, month: date.getUTCMonth() + 1, day: date.getUTCDate() };
      if (publicHoliday(local)) found.push(date.toISOString().slice(0, 10));
      const weekend = date.getUTCDay() === 0 || date.getUTCDay() === 6;
      expect(isWorkingDay(local)).toBe(!weekend && !publicHoliday(local));
    }
    expect(found).toEqual(holidays2026);
  });

  it('given Store Bededag, when the year is before 2024, then it is a holiday, and from 2024 it is a working day', () => {
    expect(publicHoliday({ year: 2023, month: 5, day: 5 })).toBe('store bededag');
    expect(publicHoliday({ year: 2024, month: 4, day: 26 })).toBeUndefined();
    expect(isWorkingDay({ year: 2024, month: 4, day: 26 })).toBe(true);
  });

  it('given local agreement, when Grundlovsdag and 24/31 December are working days, then they count', () => {
    const options = { grundlovsdagIsWorkingDay: true, christmasEveIsWorkingDay: true, newYearsEveIsWorkingDay: true };
    expect(isWorkingDay({ year: 2025, month: 6, day: 5 }, options)).toBe(true);
    expect(isWorkingDay({ year: 2025, month: 12, day: 24 }, options)).toBe(true);
    expect(isWorkingDay({ year: 2025, month: 12, day: 31 }, options)).toBe(true);
    expect(isWorkingDay({ year: 2025, month: 12, day: 24 }, DEFAULT_CALENDAR)).toBe(false);
  });

  it('given the EU summer-time rule, when offsets are computed around the switches, then CET and CEST are right', () => {
    expect(copenhagenOffsetMs(Date.parse('2026-03-29T00:59:59Z'))).toBe(HOUR);
    expect(copenhagenOffsetMs(Date.parse('2026-03-29T01:00:00Z'))).toBe(2 * HOUR);
    expect(copenhagenOffsetMs(Date.parse('2026-10-25T00:59:59Z'))).toBe(2 * HOUR);
    expect(copenhagenOffsetMs(Date.parse('2026-10-25T01:00:00Z'))).toBe(HOUR);
  });

  it.each([
    ['a Friday morning, one day', '2026-11-20T09:00:00Z', 1, '2026-11-23T09:00:00.000Z'],
    ['a Saturday, one day', '2026-11-21T12:00:00Z', 1, '2026-11-23T12:00:00.000Z'],
    ['the Wednesday before Easter, one day', '2026-04-01T08:00:00Z', 1, '2026-04-07T08:00:00.000Z'],
    ['a Monday, seven days', '2026-11-23T10:00:00Z', 7, '2026-12-02T10:00:00.000Z'],
    ['23 December, one day (24-26 Dec off)', '2026-12-23T10:00:00Z', 1, '2026-12-28T10:00:00.000Z'],
    ['across the summer-time switch, same wall clock', '2026-03-27T09:00:00Z', 1, '2026-03-30T08:00:00.000Z'],
    ['20 working days from 1 May 2026', '2026-05-01T10:00:00Z', 20, '2026-06-02T10:00:00.000Z'],
  ])('given %s, when working days are added, then the deadline falls on the right instant', (_label, from, days, expected) => {
    expect(new Date(addWorkingDays(Date.parse(from), days)).toISOString()).toBe(expected);
  });

  it('given an instant, when it is formatted for staff, then it is Copenhagen wall-clock time', () => {
    expect(formatCopenhagen(Date.parse('2026-07-01T12:30:00Z'))).toBe('01.07.2026 kl. 14.30');
    expect(formatCopenhagen(Date.parse('2026-12-24T23:30:00Z'))).toBe('25.12.2026 kl. 00.30');
  });
});

describe('the calendar across many years', () => {
  it.each([
    [2008, 3, 23], [2010, 4, 4], [2011, 4, 24], [2013, 3, 31], [2014, 4, 20], [2015, 4, 5], [2016, 3, 27], [2017, 4, 16],
    [2018, 4, 1], [2019, 4, 21], [2020, 4, 12], [2028, 4, 16], [2029, 4, 1], [2038, 4, 25], [2285, 3, 22],
    // The years in which the algorithm's correction term applies.
    [1954, 4, 18], [1981, 4, 19], [2049, 4, 18], [2076, 4, 19],
  ])('given %i, when Easter is computed, then it is %i/%i', (year, month, day) => {
    expect(easterSunday(year)).toEqual({ year, month, day });
  });

  it('given the movable holidays of 2026 and Store Bededag, when named, then each has its Danish name', () => {
    expect(publicHoliday({ year: 2026, month: 4, day: 5 })).toBe('påskedag');
    expect(publicHoliday({ year: 2026, month: 5, day: 14 })).toBe('Kristi himmelfartsdag');
    expect(publicHoliday({ year: 2026, month: 5, day: 24 })).toBe('pinsedag');
    expect(publicHoliday({ year: 2026, month: 5, day: 25 })).toBe('2. pinsedag');
    expect(publicHoliday({ year: 2023, month: 5, day: 5 })).toBe('store bededag');
    expect(publicHoliday({ year: 2024, month: 4, day: 26 })).toBeUndefined();
    expect(publicHoliday({ year: 2026, month: 5, day: 15 })).toBeUndefined();
    expect(publicHoliday({ year: 2026, month: 6, day: 5 }, { ...DEFAULT_CALENDAR, grundlovsdagIsWorkingDay: true })).toBeUndefined();
  });

  it('given instants around the changes of summer time, when their offset is read, then +1 before and +2 between', () => {
    expect(copenhagenOffsetMs(Date.parse('2026-03-29T00:59:59Z'))).toBe(HOUR);
    expect(copenhagenOffsetMs(Date.parse('2026-03-29T01:00:00Z'))).toBe(2 * HOUR);
    expect(copenhagenOffsetMs(Date.parse('2026-10-25T00:59:59Z'))).toBe(2 * HOUR);
    expect(copenhagenOffsetMs(Date.parse('2026-10-25T01:00:00Z'))).toBe(HOUR);
  });

  it('given a Copenhagen wall clock in each season and in the changes, when converted, then it is the instant the clocks show it', () => {
    expect(new Date(fromCopenhagenWallClock(Date.UTC(2026, 0, 15, 12))).toISOString()).toBe('2026-01-15T11:00:00.000Z');
    expect(new Date(fromCopenhagenWallClock(Date.UTC(2026, 6, 15, 12))).toISOString()).toBe('2026-07-15T10:00:00.000Z');
    // 02:30 on 29 March does not exist: it is read as winter time, 03:30 summer time.
    expect(new Date(fromCopenhagenWallClock(Date.UTC(2026, 2, 29, 2, 30))).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    // 02:30 on 25 October happens twice: the second one (winter time).
    expect(new Date(fromCopenhagenWallClock(Date.UTC(2026, 9, 25, 2, 30))).toISOString()).toBe('2026-10-25T01:30:00.000Z');
    expect(new Date(fromCopenhagenWallClock(Date.UTC(2026, 9, 25, 1, 30))).toISOString()).toBe('2026-10-24T23:30:00.000Z');
  });

  it('given working days counted from late evening, when added, then the date is the Copenhagen one, not UTC', () => {
    // Monday 23:30 Copenhagen is still Monday there (21:30 UTC): one working day is Tuesday.
    expect(new Date(addWorkingDays(Date.parse('2026-06-08T21:30:00Z'), 1)).toISOString()).toBe('2026-06-09T21:30:00.000Z');
  });
});
