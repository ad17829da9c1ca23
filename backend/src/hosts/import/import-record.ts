/** The columns an import reads, in the order the CSV export writes them first. */
export const IMPORT_COLUMNS = [
  'hostname',
  'ip_address',
  'port',
  'username',
  'credential',
  'tags',
  'description',
  'is_active',
] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];

/** The import's file formats (?format=). */
export const IMPORT_FORMATS = ['csv', 'ansible-ini', 'ansible-yaml'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/**
 * One host as a file gives it, before validation: the values of the columns it has (a column
 * the file does not have is absent; an empty cell is ''), and where it is.
 */
export interface ImportRecord {
  /** The line of the file the host starts on (a CSV's header is line 1). */
  line: number;
  values: Partial<Record<ImportColumn, string>>;
  /** Problems found while reading the record (a wrong number of fields). */
  errors: string[];
}

/** A fault of the whole file (no header, a loop of groups): a 400 naming where. */
export class ImportFileError extends Error {
  constructor(
    readonly where: string,
    readonly problem: string,
  ) {
    super(`${where}: ${problem}`);
    this.name = 'ImportFileError';
  }
}
