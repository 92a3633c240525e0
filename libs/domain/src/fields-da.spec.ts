import { type FieldSpec, fieldFault, fieldProblem, fieldProblemDa, fieldRuleDa } from './fields';
import { PROCESS_DEFINITIONS } from './processes';

/** The field rules worded for staff: the same checks as the API's English 400, in Danish. */
describe('field rules in Danish', () => {
  const now = Date.UTC(2026, 5, 12, 10, 0); // fredag 12.06.2026 kl. 12.00 (sommertid)
  const text: FieldSpec = { label: 'Emne', type: 'string', required: true, maxLength: 5, description: 'x' };
  const when: FieldSpec = { label: 'Konstateret', type: 'datetime', required: true, notInFuture: true, description: 'x' };
  const day: FieldSpec = { label: 'Fra', type: 'datetime', required: false, dateOnly: true, description: 'x' };
  const choice: FieldSpec = { label: 'Anmodertype', type: 'enum', required: true, values: ['citizen', 'journalist'], valueLabels: { citizen: 'Borger', journalist: 'Journalist' }, description: 'x' };
  const area: FieldSpec = { label: 'Område', type: 'area', required: true, description: 'x' };
  const count: FieldSpec = { label: 'Antal', type: 'integer', required: true, min: 0, description: 'x' };
  const list: FieldSpec = { label: 'Kategorier', type: 'string-array', required: true, minItems: 1, maxItems: 2, description: 'x' };
  const named: FieldSpec = { label: 'Klagepunkter', type: 'string-array', required: true, values: ['a', 'b'], valueLabels: { a: 'Ingen strategi', b: 'Ikke orienteret' }, description: 'x' };

  it.each<[string, FieldSpec, unknown, string]>([
    ['missing required', text, undefined, 'Emne: skal udfyldes'],
    ['blank text', text, '  ', 'Emne: skal udfyldes med tekst'],
    ['NUL in text', text, 'a\u0000', 'Emne: må ikke indeholde tegnet NUL'],
    ['too long', text, '123456', 'Emne: må højst være 5 tegn'],
    ['not an instant', when, '12/06/2026', 'Konstateret: skal være en dato eller et tidspunkt (dato og klokkeslæt)'],
    ['in the future', when, '2026-06-12T12:05', 'Konstateret: må ikke ligge i fremtiden'], // 12.06.2026 kl. 12.05 Copenhagen, 5 minutes after now
    ['a time where a date is asked', day, '2026-06-12T10:00', 'Fra: skal være en dato (en hel dag)'],
    ['a value outside the enum', choice, 'king', 'Anmodertype: skal være Borger eller Journalist'],
    ['an area not configured', area, 'atlantis', 'Område: skal være et af områderne nord eller syd'],
    ['not an integer', count, 1.5, 'Antal: skal være et helt tal'],
    ['below the minimum', count, -1, 'Antal: må ikke være mindre end 0'],
    ['a list with a blank item', list, ['a', ''], 'Kategorier: skal være en liste, hvor hvert punkt er udfyldt'],
    ['too few items', list, [], 'Kategorier: skal have mindst 1 punkt'],
    ['too many items', list, ['a', 'b', 'c'], 'Kategorier: må højst have 2 punkter'],
    ['an unknown named value', named, ['a', 'c'], 'Klagepunkter: må kun indeholde Ingen strategi eller Ikke orienteret'],
  ])('given %s, when worded in Danish, then the field label and the rule it breaks', (_what, spec, value, danish) => {
    expect(fieldProblemDa(spec, value, now, { areas: ['nord', 'syd'] })).toBe(danish);
    // The same check as the API's English message: both find a fault, or neither does.
    expect(fieldProblem('f', spec, value, now, { areas: ['nord', 'syd'] })).toEqual(expect.any(String));
  });

  it('given an area where the list is not known, when worded, then the form of an area name', () => {
    expect(fieldProblemDa(area, 'no such area!', now)).toBe('Område: skal være navnet på et område (bogstaver, tal og bindestreg, højst 50 tegn)');
  });

  it.each<[FieldSpec, unknown]>([
    [text, 'Emne'],
    [when, '2026-06-12T12:00'], // 12.06.2026 kl. 12.00 Copenhagen: now itself is not in the future
    [day, '2026-06-12'],
    [choice, 'journalist'],
    [area, 'syd'],
    [count, 0],
    [list, ['a']],
    [named, ['b']],
    [{ ...text, required: false }, undefined],
  ])('given a value the rule accepts (%j), when worded, then no Danish message and no English one', (spec, value) => {
    expect(fieldProblemDa(spec, value, now, { areas: ['nord', 'syd'] })).toBeUndefined();
    expect(fieldFault(spec, value, now, { areas: ['nord', 'syd'] })).toBeUndefined();
  });

  it('given each type of field, when its rule is stated in Danish for the form, then what it demands', () => {
    expect(fieldRuleDa(text)).toBe('Højst 5 tegn.');
    expect(fieldRuleDa(when)).toBe('Må ikke ligge i fremtiden.');
    expect(fieldRuleDa({ label: 'Svarfrist', type: 'datetime', required: true, endOfDay: true, description: 'x' })).toBe('En dato alene betyder dagens udløb (kl. 23.59).');
    expect(fieldRuleDa(day)).toBe('En dato (en hel dag).');
    expect(fieldRuleDa(choice)).toBe('Borger eller Journalist.');
    expect(fieldRuleDa(area, { areas: ['nord', 'syd', 'oest'] })).toBe('Et af områderne nord, syd eller oest.');
    expect(fieldRuleDa(count)).toBe('Et helt tal, mindst 0.');
    expect(fieldRuleDa(list)).toBe('Mindst 1 punkt. Højst 2 punkter.');
  });

  it('given every process definition, when its fields are read, then each field has a Danish label and each named value a Danish label', () => {
    const missing: string[] = [];
    for (const p of PROCESS_DEFINITIONS) {
      const schemas = [['start', p.startInput] as const, ...p.actions.map((a) => [a.name, a.input] as const)];
      for (const [where, schema] of schemas) {
        for (const [field, spec] of Object.entries(schema)) {
          if (!spec.label.trim()) missing.push(`${p.name}/${where}/${field}`);
          const values = spec.type === 'enum' || spec.type === 'string-array' ? spec.values ?? [] : [];
          const labels = 'valueLabels' in spec ? spec.valueLabels ?? {} : {};
          for (const v of values) if (!labels[v]?.trim()) missing.push(`${p.name}/${where}/${field}=${v}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
