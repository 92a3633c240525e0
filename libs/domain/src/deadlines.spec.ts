import { type DeadlineRule, type ReminderRule, computeDeadline, computeDeadlineAsBefore, danishDate, danishDateTime, describeBasis, describeRule, policyFigure, policyFigures, reminderInstants } from './deadlines';
import { DEFAULT_POLICY } from './policy';

/**
 * The deadline engine against instants worked out by hand on a calendar, in Copenhagen wall-clock
 * time (CET +01:00, CEST +02:00 from the last Sunday of March to the last Sunday of October).
 */
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const rule = (measure: DeadlineRule['measure'], from = 'modtagelsen'): DeadlineRule => ({ measure, from, basis: { law: 'test' } });

describe('computeDeadline', () => {
  it('given 7 working days from Tuesday 31.03.2026 10:00, when computed, then Easter is skipped and it ends Tuesday 14.04.2026 at 23:59:59.999 CEST', () => {
    const due = computeDeadline(rule({ unit: 'working-days', count: 7 }), at('2026-03-31T10:00:00+02:00'), DEFAULT_POLICY);

    // Wed 1.4 (1), skærtorsdag, langfredag, weekend, 2. påskedag, Tue 7.4 (2) … Mon 13.4 (6), Tue 14.4 (7).
    expect(iso(due.dueAt)).toBe('2026-04-14T21:59:59.999Z');
    expect(due.explanation).toBe(
      '7 arbejdsdage fra modtagelsen tirsdag 31.03.2026 (skærtorsdag, langfredag og 2. påskedag springes over): senest tirsdag 14.04.2026 kl. 23.59',
    );
  });

  it('given a decision at 14:00 on the 7th working day, when compared, then it is in time (the day runs to its end)', () => {
    const due = computeDeadline(rule({ unit: 'working-days', count: 7 }), at('2026-03-31T10:00:00+02:00'), DEFAULT_POLICY).dueAt;
    expect(at('2026-04-14T14:00:00+02:00') <= due).toBe(true);
    expect(at('2026-04-15T00:00:00+02:00') <= due).toBe(false);
  });

  it('given 1 working day from Saturday 04.04.2026, when computed, then 2. påskedag is skipped and it ends Tuesday 07.04.2026', () => {
    expect(iso(computeDeadline(rule({ unit: 'working-days', count: 1 }), at('2026-04-04T09:00:00+02:00'), DEFAULT_POLICY).dueAt)).toBe('2026-04-07T21:59:59.999Z');
  });

  it('given 5 working days from Monday 21.12.2026, when computed, then 24 and 25 December are skipped by default and counted by local agreement', () => {
    const from = at('2026-12-21T09:00:00+01:00');
    const byDefault = computeDeadline(rule({ unit: 'working-days', count: 5 }), from, DEFAULT_POLICY);
    // Tue 22 (1), Wed 23 (2), juleaftensdag, juledag, weekend (2. juledag is a Saturday), Mon 28 (3), Tue 29 (4), Wed 30 (5).
    expect(iso(byDefault.dueAt)).toBe('2026-12-30T22:59:59.999Z');
    expect(byDefault.explanation).toBe('5 arbejdsdage fra modtagelsen mandag 21.12.2026 (juleaftensdag og juledag springes over): senest onsdag 30.12.2026 kl. 23.59');

    const christmasEveWorks = { ...DEFAULT_POLICY, calendar: { ...DEFAULT_POLICY.calendar, christmasEveIsWorkingDay: true } };
    expect(iso(computeDeadline(rule({ unit: 'working-days', count: 5 }), from, christmasEveWorks).dueAt)).toBe('2026-12-29T22:59:59.999Z');
  });

  it('given 30 calendar days across the start of summer time, when computed, then they end at the end of the 30th day, not an hour off', () => {
    const due = computeDeadline(rule({ unit: 'calendar-days', count: 30 }), at('2026-03-20T10:00:00+01:00'), DEFAULT_POLICY);
    expect(iso(due.dueAt)).toBe('2026-04-19T21:59:59.999Z'); // søndag 19.04.2026 23:59:59.999 CEST
    expect(due.explanation).toBe('30 kalenderdage fra modtagelsen fredag 20.03.2026: senest søndag 19.04.2026 kl. 23.59');
  });

  it('given 14 calendar days across the end of summer time, when computed, then they end at 23:59:59.999 CET on the 14th day', () => {
    expect(iso(computeDeadline(rule({ unit: 'calendar-days', count: 14 }), at('2026-10-20T23:30:00+02:00'), DEFAULT_POLICY).dueAt)).toBe('2026-11-03T22:59:59.999Z');
  });

  it('given a policy figure, when computed, then the case policy gives the count', () => {
    const policy = { ...DEFAULT_POLICY, complaint: { ...DEFAULT_POLICY.complaint, answerDays: 10 } };
    expect(iso(computeDeadline(rule({ unit: 'calendar-days', count: 'complaint.answerDays' }), at('2026-06-01T12:00:00+02:00'), policy).dueAt)).toBe('2026-06-11T21:59:59.999Z');
  });

  it('given 72 hours from Friday 12.06.2026 16:00 CEST, when computed, then it is Monday 15.06.2026 16:00 CEST (weekends count)', () => {
    const due = computeDeadline(rule({ unit: 'hours', count: 72 }, 'konstateringen'), at('2026-06-12T16:00:00+02:00'), DEFAULT_POLICY);
    expect(iso(due.dueAt)).toBe('2026-06-15T14:00:00.000Z');
    expect(due.explanation).toBe('72 timer fra konstateringen fredag 12.06.2026 kl. 16.00: senest mandag 15.06.2026 kl. 16.00');
  });

  it('given 72 hours across the start of summer time, when computed, then they are 72 real hours (the wall clock moves an hour)', () => {
    const due = computeDeadline(rule({ unit: 'hours', count: 72 }, 'konstateringen'), at('2026-03-27T12:00:00+01:00'), DEFAULT_POLICY);
    expect(iso(due.dueAt)).toBe('2026-03-30T11:00:00.000Z');
    expect(due.explanation).toBe('72 timer fra konstateringen fredag 27.03.2026 kl. 12.00: senest mandag 30.03.2026 kl. 13.00');
  });

  it('given 2 years from 29 February 2024, when computed, then it ends on 28 February 2026 at 23:59:59.999 CET', () => {
    expect(iso(computeDeadline(rule({ unit: 'years', count: 2 }), at('2024-02-29T10:00:00+01:00'), DEFAULT_POLICY).dueAt)).toBe('2026-02-28T22:59:59.999Z');
  });

  it('given a given deadline, when computed, then it is that instant and says who set it', () => {
    const due = computeDeadline(rule({ unit: 'given' }, 'fristbrevet'), at('2026-04-20T09:00:00+02:00'), DEFAULT_POLICY, { at: at('2026-05-04T21:59:59.999Z') });
    expect(iso(due.dueAt)).toBe('2026-05-04T21:59:59.999Z');
    expect(due.explanation).toBe('Fastsat ved fristbrevet mandag 20.04.2026: senest mandag 04.05.2026 kl. 23.59');
  });
});

describe('reminderInstants', () => {
  const due = at('2026-04-19T21:59:59.999Z');

  it('given days before the due date, when computed, then they are at 08:00 Copenhagen on those days', () => {
    const reminder: ReminderRule = { when: 'days-before-due', offsets: [5, 1], notify: ['klageenhed'] };
    expect(reminderInstants(reminder, at('2026-03-20T10:00:00+01:00'), due, DEFAULT_POLICY).map(iso)).toEqual(['2026-04-14T06:00:00.000Z', '2026-04-18T06:00:00.000Z']);
  });

  it('given hours after the start from the policy, when computed, then they are those hours after it', () => {
    const reminder: ReminderRule = { when: 'hours-after-start', offsets: 'dataBreach.reminderHoursAfterDiscovery', notify: ['gdpr'] };
    expect(reminderInstants(reminder, at('2026-06-12T16:00:00+02:00'), 0, DEFAULT_POLICY).map(iso)).toEqual(['2026-06-13T14:00:00.000Z', '2026-06-14T14:00:00.000Z']);
  });

  it('given hours before the due instant, when computed, then they are those hours before it', () => {
    const reminder: ReminderRule = { when: 'hours-before-due', offsets: [120, 24], notify: ['ledelsessekretariat'] };
    expect(reminderInstants(reminder, 0, due, DEFAULT_POLICY).map(iso)).toEqual(['2026-04-14T21:59:59.999Z', '2026-04-18T21:59:59.999Z']);
  });

  it('given the 7 working days from Monday 30.03.2026 (over Easter) and a reminder on the morning of the last day, when computed, then it is Monday 13.04.2026 at 08:00 CEST', () => {
    const from = at('2026-03-30T09:15:00+02:00'); // mandag 30.03.2026 kl. 09.15, the day after summer time began
    const seventh = computeDeadline(rule({ unit: 'working-days', count: 7 }), from, DEFAULT_POLICY).dueAt;
    // Tue 31.3 (1), Wed 1.4 (2), skærtorsdag, langfredag, the weekend, 2. påskedag skipped, Tue 7.4 (3) … Fri 10.4 (6), Mon 13.4 (7).
    expect(iso(seventh)).toBe('2026-04-13T21:59:59.999Z'); // mandag 13.04.2026 kl. 23.59 (sommertid)
    const reminder: ReminderRule = { when: 'days-before-due', offsets: [0], atHour: 'accessRequest.decisionReminderHour', notify: ['jurist'] };
    expect(reminderInstants(reminder, from, seventh, DEFAULT_POLICY).map(iso)).toEqual(['2026-04-13T06:00:00.000Z']); // mandag 13.04.2026 kl. 08.00 (sommertid)
  });

  it('given a reminder hour from the policy or the rule, when computed, then the reminder is at that Copenhagen hour, in winter time too', () => {
    const dueInWinter = at('2026-03-27T22:59:59.999Z'); // fredag 27.03.2026 kl. 23.59 (vintertid)
    const byPolicy: ReminderRule = { when: 'days-before-due', offsets: [0, 1], atHour: 'accessRequest.decisionReminderHour', notify: ['jurist'] };
    const early = { ...DEFAULT_POLICY, accessRequest: { decisionReminderHour: 7 } };
    // torsdag 26.03.2026 kl. 07.00 and fredag 27.03.2026 kl. 07.00 (vintertid, +01:00), in the order of the offsets.
    expect(reminderInstants(byPolicy, 0, dueInWinter, early).map(iso)).toEqual(['2026-03-27T06:00:00.000Z', '2026-03-26T06:00:00.000Z']);
    const byRule: ReminderRule = { when: 'days-before-due', offsets: [0], atHour: 13, notify: ['jurist'] };
    expect(reminderInstants(byRule, 0, dueInWinter, DEFAULT_POLICY).map(iso)).toEqual(['2026-03-27T12:00:00.000Z']); // fredag 27.03.2026 kl. 13.00
    const beforeTheFigure = { ...DEFAULT_POLICY, accessRequest: undefined } as unknown as typeof DEFAULT_POLICY;
    expect(reminderInstants(byPolicy, 0, dueInWinter, beforeTheFigure).map(iso)[0]).toBe('2026-03-27T07:00:00.000Z'); // fredag 27.03.2026 kl. 08.00 (the default)
  });

  it('given a reminder hour outside the day, when computed, then it is refused by value', () => {
    const reminder: ReminderRule = { when: 'days-before-due', offsets: [0], atHour: 'accessRequest.decisionReminderHour', notify: ['jurist'] };
    expect(() => reminderInstants(reminder, 0, 0, { ...DEFAULT_POLICY, accessRequest: { decisionReminderHour: 24 } })).toThrow('A reminder hour must be a whole hour 0–23, not 24');
    expect(() => reminderInstants({ ...reminder, atHour: 7.5 }, 0, 0, DEFAULT_POLICY)).toThrow('not 7.5');
  });

  it('given a policy from before a figure was configurable, when computed, then the default figure applies', () => {
    const old = { ...DEFAULT_POLICY, complaint: { acknowledgementWorkingDays: 5, answerDays: 30, citizenClarificationDays: 14 } } as unknown as typeof DEFAULT_POLICY;
    const reminder: ReminderRule = { when: 'days-before-due', offsets: 'complaint.answerReminderDaysBefore', notify: ['klageenhed'] };
    expect(reminderInstants(reminder, 0, due, old).map(iso)).toEqual(['2026-04-14T06:00:00.000Z']);
  });
});

describe('computeDeadlineAsBefore (runs started before the engine replay as they ran)', () => {
  it('given days, when computed as before, then they are 24-hour steps from the start', () => {
    expect(iso(computeDeadlineAsBefore(rule({ unit: 'calendar-days', count: 30 }), at('2026-03-20T09:00:00Z'), DEFAULT_POLICY))).toBe('2026-04-19T09:00:00.000Z');
    expect(iso(computeDeadlineAsBefore(rule({ unit: 'working-days', count: 7 }), at('2026-03-31T08:00:00Z'), DEFAULT_POLICY))).toBe('2026-04-14T08:00:00.000Z');
  });
});

describe('describeRule', () => {
  it('given a statutory rule, when described, then it names the count, the measure and the paragraph', () => {
    const r: DeadlineRule = { measure: { unit: 'working-days', count: 7 }, from: 'modtagelsen', basis: { law: 'Offentlighedsloven § 36, stk. 2' } };
    expect(describeRule(r, DEFAULT_POLICY)).toBe('7 arbejdsdage fra modtagelsen, til udgangen af sidste dag – Offentlighedsloven § 36, stk. 2');
  });

  it('given a policy rule, when described, then it names the policy figure', () => {
    const r: DeadlineRule = { measure: { unit: 'calendar-days', count: 'complaint.answerDays' }, from: 'modtagelsen', basis: { policy: 'complaint.answerDays' } };
    expect(describeRule(r, DEFAULT_POLICY)).toBe('30 kalenderdage fra modtagelsen, til udgangen af sidste dag – Politik (complaint.answerDays)');
  });
});

describe('the deadline engine at its edges', () => {
  it('given working days with no holiday in between, when computed, then the explanation names none', () => {
    expect(computeDeadline(rule({ unit: 'working-days', count: 5 }), at('2026-06-08T09:00:00+02:00'), DEFAULT_POLICY).explanation).toBe(
      '5 arbejdsdage fra modtagelsen mandag 08.06.2026: senest mandag 15.06.2026 kl. 23.59',
    );
  });

  it('given working days over Kristi himmelfartsdag, when computed, then the one skipped holiday is named alone', () => {
    // Mon 11.05.2026: Tue 12 (1), Wed 13 (2), Kristi himmelfartsdag Thu 14 skipped, Fri 15 (3).
    const due = computeDeadline(rule({ unit: 'working-days', count: 3 }), at('2026-05-11T09:00:00+02:00'), DEFAULT_POLICY);
    expect(iso(due.dueAt)).toBe('2026-05-15T21:59:59.999Z');
    expect(due.explanation).toBe('3 arbejdsdage fra modtagelsen mandag 11.05.2026 (Kristi himmelfartsdag springes over): senest fredag 15.05.2026 kl. 23.59');
  });

  it('given a given deadline without its instant, when computed, then it is refused', () => {
    expect(() => computeDeadline(rule({ unit: 'given' }), 0, DEFAULT_POLICY)).toThrow('A given deadline needs its instant');
    expect(() => computeDeadline(rule({ unit: 'given' }), 0, DEFAULT_POLICY, { at: NaN })).toThrow('A given deadline needs its instant');
  });

  it('given a count from the case, when computed, then it overrides the rule figure', () => {
    expect(iso(computeDeadline(rule({ unit: 'calendar-days', count: 14 }), at('2026-08-01T00:00:00+02:00'), DEFAULT_POLICY, { count: 28 }).dueAt)).toBe('2026-08-29T21:59:59.999Z');
  });

  it('given policy keys that are not figures, when read, then they are refused by name', () => {
    expect(() => policyFigure(DEFAULT_POLICY, 'complaint.nothing')).toThrow('The policy has no figure complaint.nothing');
    expect(() => policyFigure(DEFAULT_POLICY, 'calendar')).toThrow('The policy has no figure calendar');
    expect(() => policyFigure(DEFAULT_POLICY, 'dataBreach.reminderHoursAfterDiscovery')).toThrow('The policy has no figure dataBreach.reminderHoursAfterDiscovery');
    expect(() => policyFigure(DEFAULT_POLICY, 'complaint.answerDays.x')).toThrow('The policy has no figure complaint.answerDays.x');
    expect(policyFigures(DEFAULT_POLICY, 'complaint.answerDays')).toEqual([30]);
    expect(policyFigures(DEFAULT_POLICY, 'mandatoryTraining.reminderDaysBefore')).toEqual([7, 1]);
    const odd = { ...DEFAULT_POLICY, dataBreach: { reminderHoursAfterDiscovery: [24, 'x'] } } as unknown as typeof DEFAULT_POLICY;
    expect(() => policyFigures(odd, 'dataBreach.reminderHoursAfterDiscovery')).toThrow('The policy has no figure dataBreach.reminderHoursAfterDiscovery');
    const nullish = { ...DEFAULT_POLICY, complaint: null } as unknown as typeof DEFAULT_POLICY;
    expect(policyFigure(nullish, 'complaint.answerDays')).toBe(30);
  });

  it('given instants, when written for staff, then weekday and date are the Copenhagen ones', () => {
    expect(danishDate(at('2026-03-31T23:30:00+02:00'))).toBe('tirsdag 31.03.2026');
    expect(danishDate(at('2026-12-31T23:30:00Z'))).toBe('fredag 01.01.2027');
    expect(danishDateTime(at('2026-10-25T01:30:00Z'))).toBe('søndag 25.10.2026 kl. 02.30');
    expect(danishDateTime(at('2026-10-25T00:30:00Z'))).toBe('søndag 25.10.2026 kl. 02.30');
  });

  it('given each kind of basis and measure, when described, then it reads as staff read it', () => {
    expect(describeBasis({ setBy: 'Borgerrådgiveren (BRG) i sagen' })).toBe('Fastsat af Borgerrådgiveren (BRG) i sagen');
    expect(describeRule({ measure: { unit: 'hours', count: 72 }, from: 'konstateringen', basis: { law: 'GDPR art. 33' } }, DEFAULT_POLICY)).toBe('72 timer fra konstateringen – GDPR art. 33');
    expect(describeRule({ measure: { unit: 'given' }, from: 'fristbrevet', basis: { law: 'Offentlighedsloven § 36, stk. 2' } }, DEFAULT_POLICY)).toBe('fastsat ved fristbrevet – Offentlighedsloven § 36, stk. 2');
    expect(describeRule({ measure: { unit: 'years', count: 'mandatoryTraining.itSecurityRefreshYears' }, from: 'seneste gennemførelse', basis: { policy: 'mandatoryTraining.itSecurityRefreshYears' } }, DEFAULT_POLICY)).toBe(
      '2 år fra seneste gennemførelse, til udgangen af sidste dag – Politik (mandatoryTraining.itSecurityRefreshYears)',
    );
  });

  it('given runs started before the engine, when their hours, years and given instants are computed as before, then they are what those runs were given', () => {
    expect(iso(computeDeadlineAsBefore(rule({ unit: 'hours', count: 72 }), at('2026-06-12T14:00:00Z'), DEFAULT_POLICY))).toBe('2026-06-15T14:00:00.000Z');
    // 29 February 2024 10:00 CET, 2 years: 28 February 2026 10:00 CET.
    expect(iso(computeDeadlineAsBefore(rule({ unit: 'years', count: 2 }), at('2024-02-29T09:00:00Z'), DEFAULT_POLICY))).toBe('2026-02-28T09:00:00.000Z');
    // 15 June 2026 12:00 CEST, 2 years: 15 June 2028 12:00 CEST.
    expect(iso(computeDeadlineAsBefore(rule({ unit: 'years', count: 2 }), at('2026-06-15T10:00:00Z'), DEFAULT_POLICY))).toBe('2028-06-15T10:00:00.000Z');
    expect(computeDeadlineAsBefore(rule({ unit: 'given' }), 0, DEFAULT_POLICY, { at: 42 })).toBe(42);
    expect(computeDeadlineAsBefore(rule({ unit: 'given' }), 0, DEFAULT_POLICY)).toBeNaN();
    expect(iso(computeDeadlineAsBefore(rule({ unit: 'calendar-days', count: 'complaint.answerDays' }), at('2026-03-20T09:00:00Z'), DEFAULT_POLICY, { count: 1 }))).toBe('2026-03-21T09:00:00.000Z');
  });

  it('given days before the due date as they were reminded before the engine, when computed, then they are 24-hour steps back', () => {
    const reminder: ReminderRule = { when: 'days-before-due', offsets: [2], notify: ['gdpr'] };
    expect(reminderInstants(reminder, 0, at('2026-04-19T21:59:59.999Z'), DEFAULT_POLICY, true).map(iso)).toEqual(['2026-04-17T21:59:59.999Z']);
  });
});
