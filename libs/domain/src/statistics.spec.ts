import { copenhagenMonth, copenhagenYearsOf, parseRecipient, previousCopenhagenDays, previousCopenhagenYear, recipientKey, waitingStatisticsRoles, waitingWithSmallCountsHidden } from './statistics';

describe('report periods in Copenhagen time', () => {
  it('given the yearly run on 2 January 2026 at 07:00 Copenhagen, when its period is taken, then it is 2025 from 01.01 00:00 to 01.01 00:00 Copenhagen', () => {
    expect(previousCopenhagenYear(Date.parse('2026-01-02T06:00:00Z'))).toEqual({
      year: 2025,
      from: '2024-12-31T23:00:00.000Z', // 01.01.2025 kl. 00.00 (vintertid)
      to: '2025-12-31T23:00:00.000Z', // 01.01.2026 kl. 00.00
    });
  });

  it('given an instant just after new year in Copenhagen but still 31 December in UTC, when the previous year is taken, then it is the year that just ended in Copenhagen', () => {
    // 01.01.2026 kl. 00.30 Copenhagen = 31.12.2025 23.30Z: Copenhagen is already in 2026.
    expect(previousCopenhagenYear(Date.parse('2025-12-31T23:30:00Z')).year).toBe(2025);
    // 31.12.2025 kl. 23.30 Copenhagen = 22.30Z: still 2025, so the previous year is 2024.
    expect(previousCopenhagenYear(Date.parse('2025-12-31T22:30:00Z')).year).toBe(2024);
  });

  it('given a 6-weekly run across the change to winter time, when its 42 days are taken, then they are whole Copenhagen days up to the run\'s day', () => {
    // Run on 01.12.2026 kl. 08.00 Copenhagen: from 20.10.2026 00:00 (sommertid, 22.00Z) to 01.12.2026 00:00 (vintertid, 23.00Z).
    expect(previousCopenhagenDays(Date.parse('2026-12-01T07:00:00Z'), 42)).toEqual({ from: '2026-10-19T22:00:00.000Z', to: '2026-11-30T23:00:00.000Z' });
  });

  it('given an instant late on the last day of a month in UTC, when its month is taken, then it is the Copenhagen month', () => {
    expect(copenhagenMonth(Date.parse('2026-11-30T23:30:00Z'))).toBe('2026-12'); // 01.12.2026 kl. 00.30
    expect(copenhagenMonth(Date.parse('2026-11-30T22:30:00Z'))).toBe('2026-11'); // 30.11.2026 kl. 23.30
  });
});

describe('recipients', () => {
  it('given a role, an area representative and a unit leader, when stored and read back, then each is the same recipient', () => {
    for (const r of [{ role: 'gdpr-lead' }, { role: 'area-representative', area: 'nord' }, { role: 'institution-leader', unit: 'Skole Nord: afd. 2' }] as const) {
      expect(parseRecipient(recipientKey(r))).toEqual(r);
    }
    expect(recipientKey({ role: 'cluster-leader', unit: 'Skole Nord' })).toBe('cluster-leader@unit:Skole Nord');
  });
});

describe('the breach table per year', () => {
  it('given a period from 15.06.2024 to 10.03.2026 (Copenhagen), when its years are taken, then 2024 from the 15th of June, 2025 whole, 2026 to the end of 10 March', () => {
    expect(copenhagenYearsOf({ from: '2024-06-14T22:00:00.000Z', to: '2026-03-10T23:00:00.000Z' })).toEqual([
      { year: 2024, period: { from: '2024-06-14T22:00:00.000Z', to: '2024-12-31T23:00:00.000Z' } }, // 15.06.2024 kl. 00.00 (sommertid) – 01.01.2025 kl. 00.00
      { year: 2025, period: { from: '2024-12-31T23:00:00.000Z', to: '2025-12-31T23:00:00.000Z' } }, // 01.01.2025 – 01.01.2026 kl. 00.00
      { year: 2026, period: { from: '2025-12-31T23:00:00.000Z', to: '2026-03-10T23:00:00.000Z' } }, // 01.01.2026 – 11.03.2026 kl. 00.00
    ]);
  });

  it('given a period of exactly one Copenhagen year, when its years are taken, then only that year (its end is the next year\'s first instant, not in it)', () => {
    expect(copenhagenYearsOf({ from: '2024-12-31T23:00:00.000Z', to: '2025-12-31T23:00:00.000Z' }).map((y) => y.year)).toEqual([2025]);
  });
});

describe('where cases wait: who reads it, and what the others see', () => {
  it('given a process with a report, one without, when its readers are asked for, then the report\'s roles and the case readers; else the roles of every report and the case readers', () => {
    expect(waitingStatisticsRoles({ name: 'data-breach', readRoles: ['gdpr', 'gdpr-lead'] }).sort()).toEqual(['direktion', 'gdpr', 'gdpr-lead', 'ledelsessekretariat']);
    expect(waitingStatisticsRoles({ name: 'taskforce', readRoles: ['hr-chief'] }).sort()).toEqual(['direktion', 'hr-chief', 'ledelsessekretariat']);
  });

  it('given counts of 0, 3 and 7, when hidden from a person who may not read the cases, then 3 reads "< 5" with its durations null; 0 and 7 stay', () => {
    const hidden = waitingWithSmallCountsHidden({
      process: 'complaint',
      steps: [
        { step: 'registered', area: 'nord', ended: { count: 3, medianHours: 4, p90Hours: 9 }, waitingNow: { count: 7, longestHours: 120.5 } },
        { step: 'classified', area: 'nord', ended: { count: 0, medianHours: null, p90Hours: null }, waitingNow: { count: 1, longestHours: 2 } },
      ],
    });
    expect(hidden).toEqual({
      process: 'complaint',
      smallCountsHiddenBelow: 5,
      steps: [
        { step: 'registered', area: 'nord', ended: { count: '< 5', medianHours: null, p90Hours: null }, waitingNow: { count: 7, longestHours: 120.5 } },
        { step: 'classified', area: 'nord', ended: { count: 0, medianHours: null, p90Hours: null }, waitingNow: { count: '< 5', longestHours: null } },
      ],
    });
  });
});
