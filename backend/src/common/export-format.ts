/**
 * Writing exported rows as CSV and NDJSON lines. CSV cells are quoted when they hold a comma, a
 * quote or a line break (RFC 4180), and a cell that a spreadsheet would run as a formula (one
 * starting with `=`, `+`, `-` or `@`) is prefixed with `'`, which the import takes off again.
 */

const FORMULA = /^[=+\-@]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV cell: null is empty; arrays are joined with `;` (tags). */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = Array.isArray(value)
    ? value.join(';')
    : value instanceof Date
      ? value.toISOString()
      : String(value);
  if (FORMULA.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line, with its line break. */
export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

/** What the import reads for a cell the export escaped: the value without its `'`. */
export function unescapeFormula(text: string): string {
  return /^'[=+\-@]/.test(text) ? text.slice(1) : text;
}

/** One NDJSON line. */
export function ndjsonLine(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}
