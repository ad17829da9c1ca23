import { csvCell, csvLine, ndjsonLine, unescapeFormula } from './export-format';

describe('export format', () => {
  it('escapes cells a spreadsheet would run as formulas, and the import takes it off', () => {
    for (const evil of ['=HYPERLINK("http://x")', '+1', '-2+3', '@SUM(A1)']) {
      const cell = csvCell(evil);
      expect(cell.replace(/^"|"$/g, '').replace(/""/g, '"').startsWith(`'${evil[0]}`)).toBe(true);
      expect(unescapeFormula(cell.replace(/^"|"$/g, '').replace(/""/g, '"'))).toBe(evil);
    }
    expect(csvCell('safe-value')).toBe('safe-value');
    expect(unescapeFormula("'plain")).toBe("'plain");
  });

  it('quotes commas, quotes and line breaks, and writes nulls, arrays and dates', () => {
    expect(csvLine(['a,b', 'say "hi"', 'two\nlines', null, ['x', 'y'], new Date(0), 22])).toBe(
      '"a,b","say ""hi""","two\nlines",,x;y,1970-01-01T00:00:00.000Z,22\r\n',
    );
    expect(ndjsonLine({ a: 1 })).toBe('{"a":1}\n');
  });
});
