import { type InputSchema, validateInput } from './fields';

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
