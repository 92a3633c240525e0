import { INSTANT_RULE, type InputSchema, normalizeInput, parseInstant, validateInput } from './fields';

/** Found by `npm run fuzz`: a NUL character passed validation and the case could never be recorded. */
describe('validateInput', () => {
  const schema: InputSchema = {
    summary: { type: 'string', required: true, description: 'what happened' },
    categories: { type: 'string-array', required: true, description: 'data categories' },
  };
  const now = Date.parse('2026-11-25T08:00:00Z');

  it('given text with a NUL character, when validated, then the field is refused', () => {
    const errors = validateInput(schema, { summary: 'a\u0000b', categories: ['navn'] }, now);

    expect(errors).toEqual([{ field: 'summary', message: 'summary must not contain the NUL character' }]);
  });

  it('given a list with a NUL character in an item, when validated, then the field is refused', () => {
    const errors = validateInput(schema, { summary: 'ok', categories: ['navn', '\u0000'] }, now);

    expect(errors).toEqual([{ field: 'categories', message: 'categories must not contain the NUL character' }]);
  });

  it('given ordinary text, when validated, then there is no error', () => {
    expect(validateInput(schema, { summary: 'Elevliste sendt forkert', categories: ['navn'] }, now)).toEqual([]);
  });
});

/** The one rule for instants: what enters through the API, a workflow start or an update. */
describe('parseInstant', () => {
  it.each([
    ['2026-06-12T16:00:00Z', '2026-06-12T16:00:00.000Z'],
    ['2026-06-12T16:00:00.5+02:00', '2026-06-12T14:00:00.500Z'],
    ['2026-06-12T16:00-03:30', '2026-06-12T19:30:00.000Z'],
    ['2026-06-12t16:00:00z', '2026-06-12T16:00:00.000Z'],
    // Without an offset: Copenhagen wall-clock time, summer (+02:00) and winter (+01:00).
    ['2026-06-12T16:00', '2026-06-12T14:00:00.000Z'],
    ['2026-01-12T16:00:30', '2026-01-12T15:00:30.000Z'],
    // A date: its first instant in Copenhagen.
    ['2026-06-12', '2026-06-11T22:00:00.000Z'],
    ['2026-01-12', '2026-01-11T23:00:00.000Z'],
    ['2024-02-29', '2024-02-28T23:00:00.000Z'],
  ])('given %s, when read, then it is %s', (text, iso) => {
    expect(new Date(parseInstant(text)!).toISOString()).toBe(iso);
  });

  it('given a date for a deadline field, when read, then it is the last instant of that Copenhagen day', () => {
    expect(new Date(parseInstant('2026-06-12', 'end-of-day')!).toISOString()).toBe('2026-06-12T21:59:59.999Z');
    // 25 October 2026 has 25 hours: it ends at 23:59:59.999 winter time.
    expect(new Date(parseInstant('2026-10-25', 'end-of-day')!).toISOString()).toBe('2026-10-25T22:59:59.999Z');
  });

  it.each([
    '20260310', '2026-W10', '2026-W10-2', '2026-03-10T10', '2026-069', '2026-02-30', '2025-02-29', '2026-13-01', '2026-00-10',
    '2026-03-10T24:00', '2026-03-10T10:60', '2026-03-10T10:00:60', '2026-03-10T10:00+0200', '2026-03-10T10:00+02', '2026-03-10 10:00',
    '10/03/2026', '2026-3-10', ' 2026-03-10', '2026-03-10T10:00Z ', 'now', '', '+002026-03-10',
  ])('given %j, when read, then it is refused', (text) => {
    expect(parseInstant(text)).toBeUndefined();
    expect(validateInput({ at: { type: 'datetime', required: true, description: 'x' } }, { at: text }, 0)).toEqual([
      { field: 'at', message: `at ${INSTANT_RULE}` },
    ]);
  });

  it('given a payload with instants in several forms, when normalised, then each is written in UTC as the rule read it', () => {
    const schema: InputSchema = {
      at: { type: 'datetime', required: true, description: 'x' },
      due: { type: 'datetime', required: true, endOfDay: true, description: 'y' },
      note: { type: 'string', required: false, description: 'z' },
    };
    expect(normalizeInput(schema, { at: '2026-06-12T16:00', due: '2026-12-24', note: '2026-06-12' })).toEqual({
      at: '2026-06-12T14:00:00.000Z',
      due: '2026-12-24T22:59:59.999Z',
      note: '2026-06-12',
    });
  });

  it('given a field named like an Object property, when validated, then it is an unknown field', () => {
    expect(validateInput({ a: { type: 'string', required: false, description: 'x' } }, { constructor: 'x' }, 0)).toEqual([
      { field: 'constructor', message: 'constructor is not a known field' },
    ]);
  });
});
