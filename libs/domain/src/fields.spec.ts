import { type FieldSpec, INSTANT_RULE, INSTANT_PATTERN, DATE_PATTERN, type InputSchema, fieldProblem, instantOf, isDateOnly, mustBeInFuture, normalizeInput, parseInstant, validateInput, withholdFields } from './fields';

/** Found by `npm run fuzz`: a NUL character passed validation and the case could never be recorded. */
describe('validateInput', () => {
  const schema: InputSchema = {
    summary: { label: 'Felt', type: 'string', required: true, description: 'what happened' },
    categories: { label: 'Felt', type: 'string-array', required: true, description: 'data categories' },
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
    expect(validateInput({ at: { label: 'Felt', type: 'datetime', required: true, description: 'x' } }, { at: text }, 0)).toEqual([
      { field: 'at', message: `at ${INSTANT_RULE}` },
    ]);
  });

  it('given instants on the first and the last days of the range, when the rule accepts one, then it accepts its normalised form too (the API and the workflow agree)', () => {
    // The API normalises what it accepted (UTC) and the workflow checks it again: a Copenhagen
    // 00.30 on 1 January 1900 is 23.30 on 31 December 1899 in UTC, which no rule accepts.
    const schemas: InputSchema[] = [
      { at: { label: 'Felt', type: 'datetime', required: true, description: 'x' } },
      { at: { label: 'Felt', type: 'datetime', required: true, endOfDay: true, description: 'y' } },
    ];
    const texts = ['1900-01-01T00:30', '1900-01-01T00:00+01:00', '1900-01-01', '1900-01-02', '1900-01-02T00:00+23:59', '1900-01-01T12:00Z',
      '9998-12-30T23:00-05:00', '9998-12-30', '9998-12-29', '9998-12-29T23:00-05:00', '9998-12-29T23:59-23:59', '9998-12-30T12:00Z', '9998-12-31T12:00Z'];
    let accepted = 0;
    for (const schema of schemas) {
      for (const text of texts) {
        if (validateInput(schema, { at: text }, 0).length > 0) continue;
        accepted += 1;
        expect([text, validateInput(schema, normalizeInput(schema, { at: text }), 0)]).toEqual([text, []]);
      }
    }
    expect(accepted).toBeGreaterThanOrEqual(10);
    expect(parseInstant('1900-01-01T00:30')).toBeUndefined();
    expect(parseInstant('9998-12-30T23:00-05:00')).toBeUndefined();
    // The range ends on 30 December 9998 (UTC), 31 December in Copenhagen: a deadline 365 days on still lies within 9999.
    expect(new Date(parseInstant('9998-12-30T23:59:59.999Z')!).toISOString()).toBe('9998-12-30T23:59:59.999Z');
    expect(parseInstant('9998-12-31T00:00:00Z')).toBeUndefined();
    expect(parseInstant('9999-01-01T00:00:00Z')).toBeUndefined();
  });

  it('given dates and date-times across the range, when OpenAPI documents the instant rule as a pattern, then the pattern accepts exactly what the rule accepts', () => {
    const instant = new RegExp(INSTANT_PATTERN);
    const date = new RegExp(DATE_PATTERN);
    const texts: string[] = ['2026-02-30', '2025-02-29', '1899-12-31', '0001-01-01', '10000-01-01', '2026-13-01', '2026-00-10', '2026-03-10T24:00', '2026-03-10T10:00+0200'];
    for (const year of [1900, 1901, 1904, 2000, 2024, 2025, 2100, 2400, 9996, 9997, 9998, 9999]) {
      for (let month = 1; month <= 12; month += 1) {
        for (let day = 1; day <= 31; day += 1) {
          const d = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
          texts.push(d, `${d}T00:30`, `${d}T12:00:00.5Z`, `${d}T00:00+01:00`, `${d}T23:59-23:59`);
        }
      }
    }
    for (const text of texts) {
      expect([text, instant.test(text)]).toEqual([text, parseInstant(text) !== undefined]);
      const dateOnly = validateInput({ d: { label: 'Felt', type: 'datetime', required: true, dateOnly: true, description: 'x' } }, { d: text }, 0).length === 0;
      expect([text, date.test(text)]).toEqual([text, dateOnly]);
    }
  });

  it('given a payload with instants in several forms, when normalised, then each is written in UTC as the rule read it', () => {
    const schema: InputSchema = {
      at: { label: 'Felt', type: 'datetime', required: true, description: 'x' },
      due: { label: 'Felt', type: 'datetime', required: true, endOfDay: true, description: 'y' },
      note: { label: 'Felt', type: 'string', required: false, description: 'z' },
    };
    expect(normalizeInput(schema, { at: '2026-06-12T16:00', due: '2026-12-24', note: '2026-06-12' })).toEqual({
      at: '2026-06-12T14:00:00.000Z',
      due: '2026-12-24T22:59:59.999Z',
      note: '2026-06-12',
    });
  });

  it('given a field named like an Object property, when validated, then it is an unknown field', () => {
    expect(validateInput({ a: { label: 'Felt', type: 'string', required: false, description: 'x' } }, { constructor: 'x' }, 0)).toEqual([
      { field: 'constructor', message: 'constructor is not a known field' },
    ]);
  });
});

/** Each field type's rule, with the message a person reads in the 400. */
describe('fieldProblem and validateInput, type by type', () => {
  const now = Date.parse('2026-06-01T10:00:00Z');
  const text: FieldSpec = { label: 'Felt', type: 'string', required: true, maxLength: 5, description: 'x' };
  const optional: FieldSpec = { label: 'Felt', type: 'string', required: false, description: 'x' };
  const when: FieldSpec = { label: 'Felt', type: 'datetime', required: true, notInFuture: true, description: 'x' };
  const choice: FieldSpec = { label: 'Felt', type: 'enum', required: true, values: ['a', 'b'], valueLabels: { a: 'A', b: 'B' }, description: 'x' };
  const count: FieldSpec = { label: 'Felt', type: 'integer', required: true, min: 1, description: 'x' };
  const list: FieldSpec = { label: 'Felt', type: 'string-array', required: true, minItems: 2, description: 'x' };
  const named: FieldSpec = { label: 'Felt', type: 'string-array', required: true, values: ['x', 'y'], description: 'x' };
  const short: FieldSpec = { label: 'Felt', type: 'string-array', required: true, maxItems: 3, description: 'x' };

  it.each<[FieldSpec, unknown, string | undefined]>([
    [text, undefined, 'f is required'],
    [text, null, 'f is required'],
    [optional, undefined, undefined],
    [optional, null, undefined],
    [text, 'abcde', undefined],
    [text, 'abcdef', 'f must be at most 5 characters'],
    [text, '  ', 'f must be a non-empty string'],
    [text, 5, 'f must be a non-empty string'],
    [optional, 'a'.repeat(10_000), undefined],
    [short, ['a', 'b', 'c'], undefined],
    [short, ['a', 'b', 'c', 'd'], 'f must contain at most 3 item(s)'],
    [list, Array.from({ length: 100 }, (_, i) => `v${i}`), undefined],
    [list, Array.from({ length: 101 }, (_, i) => `v${i}`), 'f must contain at most 100 item(s)'],
    [when, '2026-06-01T10:01:00Z', undefined],
    [when, '2026-06-01T10:01:00.001Z', 'f must not be in the future'],
    [{ label: 'Felt', type: 'datetime', required: true, description: 'x' }, '2030-01-01', undefined],
    [choice, 'b', undefined],
    [choice, 'c', 'f must be one of: a, b'],
    [choice, 1, 'f must be one of: a, b'],
    [count, 1, undefined],
    [count, 0, 'f must not be less than 1'],
    [count, 1.5, 'f must be an integer'],
    [count, '2', 'f must be an integer'],
    [{ label: 'Felt', type: 'integer', required: true, description: 'x' }, -7, undefined],
    [list, ['a', 'b'], undefined],
    [list, ['a'], 'f must contain at least 2 item(s)'],
    [list, ['a', ' '], 'f must be an array of non-empty strings'],
    [list, ['a', 1], 'f must be an array of non-empty strings'],
    [list, 'a', 'f must be an array of non-empty strings'],
    [list, ['a', 'b\u0000'], 'f must not contain the NUL character'],
    [named, ['x', 'y', 'x'], undefined],
    [named, ['x', 'z', 'w'], 'f contains unknown values (z, w); allowed: x, y'],
    [{ label: 'Felt', type: 'string-array', required: true, description: 'x' }, [], undefined],
  ])('given %j and %j, when checked, then %s', (spec, value, problem) => {
    expect(fieldProblem('f', spec, value, now)).toBe(problem);
  });

  it('given an area field, when checked with the configured areas, then only those are accepted and the value is never repeated', () => {
    const area: FieldSpec = { label: 'Felt', type: 'area', required: true, description: 'x' };
    const areas = { areas: ['nord', 'syd'] };
    expect(fieldProblem('area', area, 'nord', now, areas)).toBeUndefined();
    for (const value of ['Skole med CPR 010203-1234', 'Nord', 'oest', 'nord ', '', 5]) {
      expect(fieldProblem('area', area, value, now, areas)).toBe('area must be one of the configured areas: nord, syd');
    }
    expect(fieldProblem('area', area, undefined, now, areas)).toBe('area is required');
    expect(validateInput({ area }, { area: 'vest' }, now, areas)).toEqual([{ field: 'area', message: 'area must be one of the configured areas: nord, syd' }]);
  });

  it('given an area field where the list is not known (an old run), when checked, then only the form of an area name is accepted', () => {
    const area: FieldSpec = { label: 'Felt', type: 'area', required: true, description: 'x' };
    expect(fieldProblem('area', area, 'midtby', now)).toBeUndefined();
    for (const value of ['Skole med CPR 010203-1234', ' nord', 'a'.repeat(51), 'nord\u0000', '']) {
      expect(fieldProblem('area', area, value, now)).toBe('area must be the name of an area (letters, digits and hyphens, at most 50 characters)');
    }
  });

  it('given a body that is not an object, when validated, then the body itself is refused', () => {
    for (const body of [null, [], 'x', 3]) expect(validateInput({}, body, now)).toEqual([{ field: '(body)', message: 'must be a JSON object' }]);
  });

  it('given times and offsets out of range, when read, then refused; at the edges, accepted', () => {
    expect(parseInstant('2026-06-01T23:59:59Z')).toBe(Date.parse('2026-06-01T23:59:59Z'));
    expect(parseInstant('2026-06-01T00:00:00+23:59')).toBe(Date.parse('2026-05-31T00:01:00Z'));
    expect(parseInstant('2026-06-01T00:00:00+24:00')).toBeUndefined();
    expect(parseInstant('2026-06-01T00:00:00+01:60')).toBeUndefined();
    expect(parseInstant('1900-01-01T00:00:00Z')).toBe(Date.parse('1900-01-01T00:00:00Z'));
    expect(parseInstant('1899-12-31T00:00:00Z')).toBeUndefined();
    expect(parseInstant('2026-12-31')).toBe(Date.parse('2026-12-30T23:00:00Z'));
    expect(parseInstant('2026-06-31')).toBeUndefined();
    expect(parseInstant(20260601)).toBeUndefined();
  });

  it('given instants by their field rule, when read, then a deadline date lasts to its end and others begin with it', () => {
    expect(instantOf({ label: 'Felt', type: 'datetime', required: true, endOfDay: true, description: 'x' }, '2026-06-01')).toBe(Date.parse('2026-06-01T21:59:59.999Z'));
    expect(instantOf({ label: 'Felt', type: 'datetime', required: true, description: 'x' }, '2026-06-01')).toBe(Date.parse('2026-05-31T22:00:00Z'));
    expect(instantOf(undefined, '2026-06-01')).toBe(Date.parse('2026-05-31T22:00:00Z'));
    expect(instantOf({ label: 'Felt', type: 'string', required: true, description: 'x' }, '2026-06-01')).toBe(Date.parse('2026-05-31T22:00:00Z'));
  });

  it('given a payload with fields that are not instants or not valid, when normalised, then only valid instants are rewritten', () => {
    const schema: InputSchema = { at: { label: 'Felt', type: 'datetime', required: false, description: 'x' }, n: { label: 'Felt', type: 'integer', required: false, description: 'x' } };
    expect(normalizeInput(schema, { at: 'nonsense', n: 3 })).toEqual({ at: 'nonsense', n: 3 });
    expect(normalizeInput(schema, { at: null })).toEqual({ at: null });
    expect(normalizeInput(schema, {})).toEqual({});
  });

  it('given a date alone or not, when asked, then isDateOnly says so', () => {
    expect(isDateOnly('2026-06-01')).toBe(true);
    expect(isDateOnly('2026-06-01T10:00')).toBe(false);
    expect(isDateOnly('x2026-06-01')).toBe(false);
    expect(isDateOnly(20260601)).toBe(false);
  });

  it('given a promised instant, when it is not after now, then it must be in the future', () => {
    expect(mustBeInFuture({ by: '2026-06-01T10:00:00Z' }, 'by', now)).toEqual([{ field: 'by', message: 'by must be in the future' }]);
    expect(mustBeInFuture({ by: '2026-06-01T10:00:00.001Z' }, 'by', now)).toEqual([]);
    expect(mustBeInFuture({ by: '2026-06-01' }, 'by', now, { label: 'Felt', type: 'datetime', required: true, endOfDay: true, description: 'x' })).toEqual([]);
    expect(mustBeInFuture({}, 'by', now)).toEqual([]);
  });
});

/** A field required by the value of another (a realitetsklage names the complaint body): one declaration, checked here and documented by the API. */
describe('fields required by another field', () => {
  const schema: InputSchema = {
    category: { label: 'Kategori', type: 'enum', required: true, values: ['conduct', 'realitetsklage'], valueLabels: { conduct: 'Adfærd', realitetsklage: 'Realitetsklage' }, description: 'x' },
    guidance: { label: 'Vejledning', type: 'string', required: false, requiredWhen: { field: 'category', values: ['realitetsklage'], only: true, why: 'for a realitetsklage' }, description: 'y' },
    grounds: { label: 'Grundlag', type: 'string', required: false, requiredWhen: { field: 'category', values: ['conduct'], why: 'for conduct' }, description: 'z' },
  };

  it.each([
    [{ category: 'realitetsklage', guidance: 'Ankestyrelsen' }, []],
    [{ category: 'realitetsklage', guidance: 'Ankestyrelsen', grounds: 'g' }, []],
    [{ category: 'conduct', grounds: 'g' }, []],
    [{ category: 'realitetsklage' }, [{ field: 'guidance', message: 'guidance is required for a realitetsklage' }]],
    [{ category: 'conduct', grounds: 'g', guidance: 'Ankestyrelsen' }, [{ field: 'guidance', message: 'guidance is only given for a realitetsklage' }]],
    [{ category: 'conduct' }, [{ field: 'grounds', message: 'grounds is required for conduct' }]],
    [{ category: 'realitetsklage', guidance: ' ' }, [{ field: 'guidance', message: 'guidance must be a non-empty string' }]],
  ])('given %j, when validated, then %j', (input, errors) => {
    expect(validateInput(schema, input, 0)).toEqual(errors);
  });
});

describe('fields held outside the workflow', () => {
  const schema: InputSchema = {
    identity: { label: 'Felt', type: 'string', required: true, maxLength: 20, description: 'x', heldOutsideWorkflow: { readableBy: { role: 'jurist', field: 'juristId', claim: 'sub' } } },
    note: { label: 'Felt', type: 'string', required: false, description: 'y' },
  };
  const now = Date.parse('2026-11-25T08:00:00Z');

  it('given an accepted payload, when split, then the value is withheld and only the marker goes to the workflow', () => {
    expect(withholdFields(schema, { identity: 'Navn Navnesen', note: 'n' })).toEqual({
      forWorkflow: { identityProvided: true, note: 'n' },
      withheld: { identity: 'Navn Navnesen' },
    });
    expect(withholdFields(schema, { note: 'n' })).toEqual({ forWorkflow: { note: 'n' }, withheld: {} });
  });

  it('given the workflow, when the value itself arrives, then it is refused; the marker alone is accepted, and required', () => {
    expect(validateInput(schema, { identity: 'Navn Navnesen' }, now)).toEqual([
      { field: 'identity', message: 'identity is held outside the workflow and must not be sent to it' },
    ]);
    expect(validateInput(schema, { identityProvided: true }, now)).toEqual([]);
    expect(validateInput(schema, {}, now)).toEqual([{ field: 'identity', message: 'identity is required' }]);
    expect(validateInput(schema, { identityProvided: 'yes' }, now)).toEqual([{ field: 'identityProvided', message: 'identityProvided must be true' }]);
  });
});
