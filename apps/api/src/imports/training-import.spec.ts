import { ImportFileError, TRAINING_IMPORT_COLUMNS, parseTrainingCsv } from './training-import.service';

const HEADER = 'employeeId,course,staffGroup,employedFrom,unit,area';

describe('parseTrainingCsv: the import file as rows with their lines', () => {
  it('given the header, when the columns are read, then they are the start fields of mandatory-training', () => {
    expect([...TRAINING_IMPORT_COLUMNS].sort()).toEqual(HEADER.split(',').sort());
  });

  it('given a file with a BOM, CRLF and LF lines, an empty line, a quoted comma, a cell spanning two lines and an empty cell, when it is read, then each row keeps the line it starts on and only its non-empty, trimmed cells', () => {
    const text = `\ufeff${HEADER}\r\n\r\ne1,it-security,leader,2026-01-01,"Skole, Nord",nord\r\ne2,it-security,leader,2026-01-01,"Hus\nVest",nord\ne3, it-security ,,2026-01-01,U,nord\n`;

    expect(parseTrainingCsv(text)).toEqual([
      { line: 3, cells: { employeeId: 'e1', course: 'it-security', staffGroup: 'leader', employedFrom: '2026-01-01', unit: 'Skole, Nord', area: 'nord' } },
      { line: 4, cells: { employeeId: 'e2', course: 'it-security', staffGroup: 'leader', employedFrom: '2026-01-01', unit: 'Hus\nVest', area: 'nord' } },
      { line: 6, cells: { employeeId: 'e3', course: 'it-security', employedFrom: '2026-01-01', unit: 'U', area: 'nord' } },
    ]);
  });

  it('given a row with fewer cells than the header, when it is read, then that row carries why (to be refused) and the next row is read', () => {
    const rows = parseTrainingCsv(`${HEADER}\ne1,it-security\ne2,it-security,leader,2026-01-01,U,nord\n`);

    expect(rows[0]).toEqual({ line: 2, cells: { employeeId: 'e1', course: 'it-security' }, cellCount: 'The row has 2 cells; the header names 6' });
    expect(rows[1]).toMatchObject({ line: 3, cells: { employeeId: 'e2' } });
    expect(rows[1].cellCount).toBeUndefined();
  });

  it('given a header with an unknown, a missing or a repeated column, or an empty file, when it is read, then the whole file is refused, naming the header', () => {
    expect(() => parseTrainingCsv('employee,course,staffGroup,employedFrom,unit,area\n')).toThrow(new ImportFileError(`Line 1 (header): unknown column employee; missing column employeeId. The header is ${TRAINING_IMPORT_COLUMNS.join(',')} (any order)`));
    expect(() => parseTrainingCsv(`${HEADER},unit\n`)).toThrow(/column unit twice/);
    expect(() => parseTrainingCsv('')).toThrow(/The file is empty/);
    expect(() => parseTrainingCsv(`${HEADER}\n"e1,it-security\n`)).toThrow(/not readable as CSV/);
  });
});
