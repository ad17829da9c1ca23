/**
 * What a chaos spec counts, from the database (the history is the record of what was done):
 * checks per host after a moment, task ids saved more than once, and the time until every
 * host was checked again.
 */
import { Client } from 'pg';

export async function withDatabase<T>(url: string, use: (db: Client) => Promise<T>): Promise<T> {
  const db = new Client({ connectionString: url });
  db.on('error', () => undefined);
  await db.connect();
  try {
    return await use(db);
  } finally {
    await db.end().catch(() => undefined);
  }
}

/** Task ids with more than one history row: checks applied twice. */
export async function tasksSavedTwice(url: string): Promise<number> {
  return withDatabase(url, async (db) => {
    const { rows } = await db.query(
      `SELECT count(*)::int AS n FROM (
         SELECT task_id FROM host_check_history GROUP BY task_id HAVING count(*) > 1) t`,
    );
    return rows[0].n as number;
  });
}

export async function historyRows(url: string): Promise<number> {
  return withDatabase(url, async (db) => {
    const { rows } = await db.query('SELECT count(*)::int AS n FROM host_check_history');
    return rows[0].n as number;
  });
}

/** Active hosts, and how many of them have a check made after `since`. */
export async function checkedSince(
  url: string,
  since: Date,
): Promise<{ hosts: number; checked: number; latestFirst: Date | null }> {
  return withDatabase(url, async (db) => {
    const { rows } = await db.query(
      `SELECT count(*)::int AS hosts, count(f.first)::int AS checked, max(f.first) AS latest
         FROM host_status s
         LEFT JOIN LATERAL (
           SELECT min(c.check_time) AS first FROM host_check_history c
            WHERE c.host_id = s.host_id AND c.check_time > $1) f ON true
        WHERE s.is_active`,
      [since],
    );
    return { hosts: rows[0].hosts, checked: rows[0].checked, latestFirst: rows[0].latest };
  });
}

/**
 * Waits until every active host has been checked after `since` and returns the seconds from
 * `since` to the last of those first checks; throws with the count still waiting after
 * `timeoutMs`.
 */
export async function secondsUntilEveryHostChecked(
  url: string,
  since: Date,
  timeoutMs: number,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // The database may be the one being broken: a failed count is tried again.
    const seen = await checkedSince(url, since).catch((error: Error) => {
      if (/does not exist/.test(error.message)) throw error;
      return null;
    });
    if (seen && seen.hosts > 0 && seen.checked === seen.hosts) {
      return Math.round((seen.latestFirst!.getTime() - since.getTime()) / 100) / 10;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${seen ? seen.hosts - seen.checked : '?'} of ${seen?.hosts ?? '?'} hosts not checked within ${timeoutMs / 1000} s of ${since.toISOString()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
