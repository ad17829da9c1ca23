import { parse } from 'csv-parse';
import type { Readable } from 'node:stream';
import { unescapeFormula } from '../../common/export-format';
import { IMPORT_COLUMNS, ImportColumn, ImportFileError, ImportRecord } from './import-record';

/**
 * Columns the CSV export writes after the import's own (a host's state, ids, times): read and
 * ignored, so an export imports back unchanged. Any other column is a mistake worth a 400.
 */
export const EXPORT_ONLY_COLUMNS = [
  'id',
  'credential_id',
  'parent_host',
  'jump_host',
  'parent_host_id',
  'jump_host_id',
  'host_key_policy',
  'host_key_fingerprint',
  'monitoring_state',
  'maintenance_ends_at',
  'maintenance_reason',
  'last_check_at',
  'created_at',
  'updated_at',
] as const;

/**
 * A CSV file's hosts, one record per row as the parser streams them: a header row first (which
 * must name `hostname`), then one host per row. Lines are counted as the file has them, blank
 * lines and line breaks inside quoted cells included.
 */
export async function* csvRecords(source: Readable): AsyncGenerator<ImportRecord> {
  const parser = source.pipe(
    parse({ bom: true, info: true, skip_empty_lines: true, relax_column_count: true, trim: true }),
  );
  source.on('error', (error) => parser.destroy(error));
  let header: (ImportColumn | null)[] | null = null;
  let lastLine = 0;
  let emptySoFar = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number; empty_lines: number };
    }>) {
      const line = lastLine + 1 + (info.empty_lines - emptySoFar);
      lastLine = info.lines;
      emptySoFar = info.empty_lines;
      if (header === null) {
        header = readHeader(record, line);
        continue;
      }
      const values: ImportRecord['values'] = {};
      header.forEach((column, i) => {
        if (column !== null && i < record.length) values[column] = unescapeFormula(record[i]);
      });
      const errors =
        record.length === header.length
          ? []
          : [`has ${record.length} field(s); the header (line 1) has ${header.length}`];
      yield { line, values, errors };
    }
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    const e = error as Error & { code?: string; lines?: number };
    if (e.code?.startsWith('CSV_')) {
      throw new ImportFileError(`line ${e.lines ?? lastLine + 1}`, `not valid CSV: ${e.message}`);
    }
    throw error;
  }
  if (header === null) {
    throw new ImportFileError(
      'line 1',
      `the file is empty; it needs a header row (${IMPORT_COLUMNS.join(',')})`,
    );
  }
}

function readHeader(record: string[], line: number): (ImportColumn | null)[] {
  const names = record.map((n) => n.trim().toLowerCase());
  const known = new Set<string>(IMPORT_COLUMNS);
  const ignored = new Set<string>(EXPORT_ONLY_COLUMNS);
  const unknown = names.filter((n) => !known.has(n) && !ignored.has(n));
  const seen = new Set<string>();
  const repeated = names.filter((n) => (seen.has(n) ? true : (seen.add(n), false)));
  if (!names.includes('hostname') || unknown.length > 0 || repeated.length > 0) {
    const problems = [
      !names.includes('hostname') ? 'it has no hostname column' : null,
      unknown.length > 0 ? `unknown column(s) ${unknown.map((n) => `'${n}'`).join(', ')}` : null,
      repeated.length > 0 ? `repeated column(s) ${repeated.map((n) => `'${n}'`).join(', ')}` : null,
    ].filter(Boolean);
    throw new ImportFileError(
      `line ${line}`,
      `the header row must name the columns (${IMPORT_COLUMNS.join(', ')}; hostname required): ${problems.join('; ')}`,
    );
  }
  return names.map((n) => (known.has(n) ? (n as ImportColumn) : null));
}
