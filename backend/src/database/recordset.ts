/**
 * A batch of rows as one statement parameter: the rows travel as one JSON array and Postgres
 * reads them back as a table with `json_to_recordset`, typed by a column list. The columns are
 * spelled once, in the Recordset; the TypeScript row type, the SQL `AS alias(col type, ...)`
 * clause and column lists for INSERT and SET are all derived from it.
 */

/** The Postgres types a batch column may have, and the JSON value each is given as. */
interface SqlValues {
  uuid: string;
  text: string;
  varchar: string;
  integer: number;
  smallint: number;
  boolean: boolean;
  /** An ISO 8601 string (Date#toISOString). */
  timestamptz: string;
}
export type SqlType = keyof SqlValues;
export type ColumnTypes = Readonly<Record<string, SqlType>>;
/** A row of a recordset: every column present, null where there is no value. */
export type RowOf<C extends ColumnTypes> = { [K in keyof C]: SqlValues[C[K]] | null };

export class Recordset<C extends ColumnTypes> {
  readonly names: ReadonlyArray<keyof C & string>;

  constructor(private readonly columns: C) {
    this.names = Object.keys(columns) as Array<keyof C & string>;
  }

  /** `json_to_recordset($<param>::json) AS <alias>(col type, ...)`, for a FROM clause. */
  from(param: number, alias: string): string {
    const defs = this.names.map((n) => `${n} ${this.columns[n]}`).join(', ');
    return `json_to_recordset($${param}::json) AS ${alias}(${defs})`;
  }

  /** `a, b, c` for the given columns (all by default). */
  list(names: ReadonlyArray<keyof C & string> = this.names, prefix = ''): string {
    return names.map((n) => `${prefix}${n}`).join(', ');
  }

  /** `a = <alias>.a, b = <alias>.b` for the given columns, for an UPDATE's SET. */
  assign(names: ReadonlyArray<keyof C & string>, alias: string): string {
    return names.map((n) => `${n} = ${alias}.${n}`).join(', ');
  }

  /** The statement parameter for these rows. */
  value(rows: ReadonlyArray<RowOf<C>>): string {
    return JSON.stringify(rows);
  }
}

/** A Date as a recordset value. */
export const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);
