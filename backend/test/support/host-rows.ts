/**
 * Hosts written straight into the database, for specs that need a fleet in a given state
 * faster or odder than the API makes one. A host is two rows: its inventory (`hosts`) and its
 * schedule and state (`host_status`); these helpers take the columns of both under their own
 * names and write each to its table.
 */

interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/** host_status's columns and their types; every other column named belongs to `hosts`. */
const STATUS_COLUMNS: Record<string, string> = {
  is_active: 'boolean',
  monitoring_state: 'varchar',
  consecutive_failures: 'integer',
  consecutive_successes: 'integer',
  next_check_at: 'timestamptz',
  claimed_at: 'timestamptz',
  last_check_at: 'timestamptz',
  last_state_change_at: 'timestamptz',
  check_priority: 'smallint',
  response_time_ms: 'integer',
  last_check_stage: 'varchar',
  last_error_type: 'varchar',
  last_error_message: 'text',
  unreachable: 'boolean',
  flap_changes: 'integer',
  flap_percent: 'real',
  flapping: 'boolean',
  maintenance_window_id: 'uuid',
  maintenance_ends_at: 'timestamptz',
  maintenance_reason: 'varchar',
};

const HOST_COLUMNS: Record<string, string> = {
  id: 'uuid',
  hostname: 'varchar',
  ip_address: 'varchar',
  port: 'integer',
  credential_id: 'uuid',
  parent_host_id: 'uuid',
  jump_host_id: 'uuid',
  tags: 'text[]',
  host_key_policy: 'varchar',
  host_key_fingerprint: 'varchar',
  host_key_type: 'varchar',
  host_key_first_seen_at: 'timestamptz',
  created_at: 'timestamptz',
  updated_at: 'timestamptz',
};

function typeOf(column: string): string {
  const type = STATUS_COLUMNS[column] ?? HOST_COLUMNS[column];
  if (!type) throw new Error(`host-rows: no host column named '${column}'`);
  return type;
}

/**
 * Inserts the rows of `rows` (a VALUES list or a SELECT, with `params`), whose columns are
 * `columns`, as hosts; `hostname` is required. Returns the new hosts' ids and names.
 */
export async function insertHosts(
  db: Queryable,
  columns: readonly string[],
  rows: string,
  params: unknown[] = [],
): Promise<Array<{ id: string; hostname: string }>> {
  if (!columns.includes('hostname')) throw new Error('host-rows: hostname is required');
  const typed = (c: string) => `src.${c}::${typeOf(c)}`;
  const inventory = columns.filter((c) => !(c in STATUS_COLUMNS));
  const status = columns.filter((c) => c in STATUS_COLUMNS);
  const sql = `
    WITH src (${columns.join(', ')}) AS (${rows}),
    h AS (
      INSERT INTO hosts (${inventory.join(', ')})
      SELECT ${inventory.map(typed).join(', ')} FROM src
      RETURNING id, hostname
    ), s AS (
      INSERT INTO host_status (host_id${status.map((c) => `, ${c}`).join('')})
      SELECT h.id${status.map((c) => `, ${typed(c)}`).join('')}
        FROM h JOIN src ON src.hostname::varchar = h.hostname
    )
    SELECT id, hostname FROM h`;
  return (await db.query(sql, params)) as Array<{ id: string; hostname: string }>;
}

/** Inserts one host with these column values; returns its id. */
export async function insertHost(db: Queryable, values: Record<string, unknown>): Promise<string> {
  const columns = Object.keys(values);
  const [row] = await insertHosts(
    db,
    columns,
    `VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
    Object.values(values),
  );
  return row.id;
}

/** Sets columns of one host (either table's); `sql` values are SQL expressions, not values. */
export async function updateHost(
  db: Queryable,
  id: string,
  set: Record<string, unknown>,
  options: { sql?: boolean } = {},
): Promise<void> {
  for (const [table, key, own] of [
    ['host_status', 'host_id', (c: string) => c in STATUS_COLUMNS],
    ['hosts', 'id', (c: string) => !(c in STATUS_COLUMNS)],
  ] as const) {
    const columns = Object.keys(set).filter(own);
    if (columns.length === 0) continue;
    const values = columns.map((c) => set[c]);
    const assignments = options.sql
      ? columns.map((c) => `${c} = ${String(set[c])}`)
      : columns.map((c, i) => `${c} = $${i + 2}::${typeOf(c)}`);
    await db.query(
      `UPDATE ${table} SET ${assignments.join(', ')} WHERE ${key} = $1`,
      options.sql ? [id] : [id, ...values],
    );
  }
}

/** A host's columns from both tables, as `SELECT *` of the two joined. */
export async function hostRow(
  db: Queryable,
  id: string,
): Promise<Record<string, unknown> | undefined> {
  const rows = (await db.query(
    `SELECT h.*, s.* FROM hosts h JOIN host_status s ON s.host_id = h.id WHERE h.id = $1`,
    [id],
  )) as Array<Record<string, unknown>>;
  if (!rows[0]) return undefined;
  const { host_id: _hostId, ...row } = rows[0];
  return row;
}

/** The hosts that check jobs carry (a scheduled job may carry several), in job order. */
export function queuedHostIds(
  jobs: ReadonlyArray<{ data: { host_id?: string; checks?: Array<{ host_id: string }> } }>,
): string[] {
  return jobs.flatMap((j) => j.data.checks?.map((c) => c.host_id) ?? [j.data.host_id as string]);
}
