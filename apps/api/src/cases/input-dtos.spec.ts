import fc from 'fast-check';
import { type FieldError, type FieldSpec, type InputSchema, PROCESS_DEFINITIONS, validateInput } from '@buf/domain';
import { ACTION_DTOS, START_DTOS, TEXT_PATTERN, configureFieldRules, validateBody } from './input-dtos';

/** The areas configured for these tests, on both sides (the API's DTOs and the workflow's validator). */
const AREAS = ['nord', 'syd', 'midtby'];
configureFieldRules({ areas: AREAS });

/**
 * What the API accepts, the workflow accepts, and the reverse: the class-validator DTOs and the
 * workflow's validator are held to the same answer (the same fields refused, with the same
 * messages) for generated payloads of every start and every action.
 */
const two = (n: number) => String(n).padStart(2, '0');

/** Strings that look like instants, many of them almost right. */
const instantLike = fc
  .record({
    year: fc.integer({ min: 1890, max: 2200 }),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.integer({ min: 0, max: 32 }),
    hour: fc.integer({ min: 0, max: 25 }),
    minute: fc.integer({ min: 0, max: 61 }),
    form: fc.constantFrom('date', 'local', 'zulu', 'offset', 'compact', 'week', 'hour-only', 'bad-offset', 'space'),
  })
  .map(({ year, month, day, hour, minute, form }) => {
    const date = `${year}-${two(month)}-${two(day)}`;
    switch (form) {
      case 'date': return date;
      case 'local': return `${date}T${two(hour)}:${two(minute)}`;
      case 'zulu': return `${date}T${two(hour)}:${two(minute)}:00Z`;
      case 'offset': return `${date}T${two(hour)}:${two(minute)}:00.123+02:00`;
      case 'compact': return `${year}${two(month)}${two(day)}`;
      case 'week': return `${year}-W${two(month)}`;
      case 'hour-only': return `${date}T${two(hour)}`;
      case 'bad-offset': return `${date}T${two(hour)}:${two(minute)}+0200`;
      case 'space': return `${date} ${two(hour)}:${two(minute)}`;
    }
  });

function valueFor(spec: FieldSpec): fc.Arbitrary<unknown> {
  const anything = fc.oneof(fc.constant(undefined), fc.constant(null), fc.integer(), fc.boolean(), fc.string(), fc.constant(''), fc.constant(' '), fc.constant('a\u0000b'));
  switch (spec.type) {
    case 'string': return fc.oneof(anything, fc.string({ minLength: 1, maxLength: (spec.maxLength ?? 100) + 2 }));
    case 'datetime': return fc.oneof(anything, instantLike);
    case 'enum': return fc.oneof(anything, fc.constantFrom(...spec.values), fc.constantFrom(...spec.values).map((v) => v.toUpperCase()));
    case 'area': return fc.oneof(anything, fc.constantFrom(...AREAS), fc.constantFrom('Nord', 'oest', 'Skole med CPR 010203-1234', 'nord ', 'matrix-area'));
    case 'integer': return fc.oneof(anything, fc.integer({ min: -3, max: 1_000 }), fc.double());
    case 'string-array': return fc.oneof(anything, fc.array(fc.oneof(fc.string(), fc.constant('navn'), fc.integer())), fc.constant([]));
  }
}

function payloadFor(schema: InputSchema): fc.Arbitrary<Record<string, unknown>> {
  const fields = Object.fromEntries(Object.entries(schema).map(([name, spec]) => [name, valueFor(spec)]));
  return fc.tuple(fc.record(fields), fc.option(fc.constantFrom('unknownField', 'constructor'), { nil: undefined })).map(([record, extra]) => {
    const body = Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
    if (extra) body[extra] = 'x';
    return body;
  });
}

/** The schema with each field's value rule only (not where the value is kept). */
const valueRules = (schema: InputSchema): InputSchema =>
  Object.fromEntries(Object.entries(schema).map(([name, { heldOutsideWorkflow: _kept, ...spec }]) => [name, spec as FieldSpec]));

const byField = (errors: FieldError[]) => [...errors].sort((a, b) => a.field.localeCompare(b.field));

const inputs = PROCESS_DEFINITIONS.flatMap((p) => [
  { name: `${p.name} start`, schema: p.startInput, dto: START_DTOS.get(p.name)! },
  ...p.actions.map((a) => ({ name: `${p.name}/${a.name}`, schema: a.input, dto: ACTION_DTOS.get(`${p.name}/${a.name}`)! })),
]);

describe('one rule per field: the API and the workflow agree', () => {
  it.each(inputs.map((i) => [i.name, i] as const))('given generated payloads for %s, when both validate, then they refuse the same fields alike', async (_name, { schema, dto }) => {
    await fc.assert(
      fc.asyncProperty(payloadFor(schema), async (body) => {
        const api = await validateBody(dto, body);
        // A field held outside the workflow is judged by the same field rule; only the API ever sees its value.
        const workflow = validateInput(valueRules(schema), body, Date.now(), { areas: AREAS });
        expect(byField(api)).toEqual(byField(workflow));
      }),
      { numRuns: 150 },
    );
  });

  it('given the instants of the issue, when the API validates them, then each is refused naming the field', async () => {
    const dto = START_DTOS.get('mandatory-training')!;
    for (const employedFrom of ['20260310', '2026-W10', '2026-03-10T10', '2026-02-30']) {
      const errors = await validateBody(dto, { employeeId: 'm1', staffGroup: 'administrative', course: 'it-security', unit: 'Skole Nord', area: 'nord', employedFrom });
      expect(errors.map((e) => e.field)).toContain('employedFrom');
    }
  });

  it('given an area that is not configured (free text, another case, a demo area not configured here), when the API validates a start, then it is refused naming area without repeating the value', async () => {
    const dto = START_DTOS.get('complaint')!;
    const body = { channel: 'email', unit: 'Skole Nord', unitType: 'school', subject: 'Forløbet' };
    for (const area of ['Skole med CPR 010203-1234', 'Nord', 'oest', ' nord', '']) {
      const errors = await validateBody(dto, { ...body, area });
      expect(errors.map((e) => e.field)).toEqual(['area']);
      expect(errors[0].message).toBe('area must be one of the configured areas: nord, syd, midtby');
    }
    expect(await validateBody(dto, { ...body, area: 'midtby' })).toEqual([]);
  });

  it('given texts with and without U+0000 or anything but white space, when OpenAPI documents the text rule as a pattern, then the pattern accepts exactly what the rule accepts', () => {
    // The pattern once read `\S`, which U+0000 matches: a fuzzer took 'a\u0000b' for valid text.
    const spec: FieldSpec = { label: 'Felt', type: 'string', required: true, maxLength: 100, description: 'x' };
    const pattern = new RegExp(TEXT_PATTERN);
    for (const text of ['a', ' a ', 'a\u0000b', '\u0000', ' \u0000 ', '   ', '\t\n', 'æøå']) {
      const ruleAccepts = validateInput({ note: spec }, { note: text }, Date.now()).length === 0;
      expect([text, pattern.test(text)]).toEqual([text, ruleAccepts]);
    }
  });
});
