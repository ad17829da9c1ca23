import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { preparedQuery } from '../database/prepared-query';
import type { HostKeyPolicy } from '../monitoring/probe/probe.types';
import type { MonitoringState } from '../state-machine';
import { HostEntity } from './entities/host.entity';
import type { HostSortField } from './dto/host.dto';

export interface HostListFilter {
  states?: MonitoringState[];
  tag?: string;
  text?: string;
  isActive?: boolean;
  sort: HostSortField;
  order: 'asc' | 'desc';
  offset: number;
  limit: number;
}

/** A host claimed by the producer: its id, its priority, and the due time it was claimed for. */
export interface ClaimedHost {
  id: string;
  check_priority: number;
  monitoring_state: MonitoringState;
  due_at: Date;
}

/**
 * What a worker reads before it probes a host: where to connect, the host-key policy and pin,
 * the state snapshot the result will be applied against, and which credential to use (the
 * host's own, else the default) with its version. No secret travels: the decrypted credential
 * is cached per version in the process (CredentialsService.probeCredential).
 */
export interface HostCheckTarget {
  id: string;
  hostname: string;
  ip_address: string | null;
  port: number;
  is_active: boolean;
  monitoring_state: MonitoringState;
  consecutive_failures: number;
  consecutive_successes: number;
  host_key_policy: HostKeyPolicy;
  host_key_fingerprint: string | null;
  credential_id: string | null;
  /** The credential's updated_at, to the microsecond: a new value means it was edited. */
  credential_version: string | null;
}

// Served by the primary keys of hosts and credentials, and for hosts without a credential of
// their own by uq_credentials_single_default (the uncorrelated subquery runs once, if at all).
const FIND_FOR_CHECK_SQL = `
  SELECT h.id, h.hostname, h.ip_address, h.port, h.is_active, h.monitoring_state,
         h.consecutive_failures, h.consecutive_successes, h.host_key_policy,
         h.host_key_fingerprint, c.id AS credential_id, c.updated_at::text AS credential_version
    FROM hosts h
    LEFT JOIN credentials c
      ON c.id = COALESCE(h.credential_id, (SELECT d.id FROM credentials d WHERE d.is_default))
   WHERE h.id = $1::uuid`;

const SORT_COLUMNS: Record<HostSortField, string> = {
  hostname: 'h.hostname',
  ip_address: 'h.ip_address',
  monitoring_state: 'h.monitoring_state',
  check_priority: 'h.check_priority',
  next_check_at: 'h.next_check_at',
  last_check_at: 'h.last_check_at',
  response_time_ms: 'h.response_time_ms',
  created_at: 'h.created_at',
};

/**
 * When list() counts before it reads a page, so that a page past the middle can be read from
 * the far end (Postgres walks every row an OFFSET skips: about 70 ms for the last of 100,000
 * hosts, against about 10 for the count). Counting first makes the page wait for the count, so
 * it is kept to the pages it can pay off for:
 *
 * - Up to `minOffset` rows (5,000), never: the count and the page run in parallel as before.
 *   Walking 5,000 rows costs a few ms, less than counting a large list, so there the count
 *   would only add its own time to the page's; and the first pages, the ones read most, also
 *   skip the estimate below.
 * - Deeper, only when the offset lies past half of the planner's estimate of the matching rows
 *   (EXPLAIN of the filtered query, not run: a fraction of a ms). A page before the middle
 *   gains nothing from the count, so it keeps the parallel read. The estimate only picks the
 *   path, never the answer: too high, and a page past the middle is read forward, as every
 *   page used to be; too low, and a page before the middle waits for the count, whose exact
 *   value then picks the end.
 */
export const DEEP_PAGES: Readonly<DeepPagesPolicy> = { minOffset: 5_000, estimate: true };

export interface DeepPagesPolicy {
  /** Pages at most this deep never count first. */
  minOffset: number;
  /** Deeper pages count first only past half of the planner's estimate (else always). */
  estimate: boolean;
}

/** How a page is read: `offset` rows skipped in the list's order or, if `reversed`, in its reverse. */
export interface PageRead {
  offset: number;
  limit: number;
  reversed: boolean;
}

/**
 * Where to read rows [offset, offset + limit) of a list of `total` rows from: the end that is
 * nearer, as Postgres walks every skipped row. From the far end the page starts
 * `total - offset - limit` rows back (at least 0); a partial last page reads only the rows
 * there are. Null when the page lies past the end.
 */
export function pageRead(offset: number, limit: number, total: number): PageRead | null {
  if (offset >= total) return null;
  const fromEnd = total - offset - limit;
  if (fromEnd >= offset) return { offset, limit, reversed: false };
  return { offset: Math.max(0, fromEnd), limit: Math.min(limit, total - offset), reversed: true };
}

/** The page as asked for: `offset` rows skipped in the list's own order. */
function forward(filter: HostListFilter): PageRead {
  return { offset: filter.offset, limit: filter.limit, reversed: false };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The producer's claim ($1 now, $2 lease in seconds, $3 batch size); see claimDue. A SELECT
 * over the data-modifying CTE, so the rows come back in urgency order. Exported for the bench,
 * which explains it.
 */
export const CLAIM_DUE_SQL = `WITH due AS (
     SELECT id,
            CASE WHEN claimed_at >= next_check_at
                 THEN claimed_at + make_interval(secs => $2)
                 ELSE next_check_at END AS due_at
       FROM hosts
      WHERE is_active
        AND monitoring_state <> 'MAINTENANCE'
        AND next_check_at <= $1
        AND (claimed_at IS NULL
             OR claimed_at < next_check_at
             OR claimed_at <= $1::timestamptz - make_interval(secs => $2))
      ORDER BY check_priority DESC, next_check_at ASC
      LIMIT $3
      FOR UPDATE SKIP LOCKED
   ), claimed AS (
     UPDATE hosts h
        SET claimed_at = $1
       FROM due
      WHERE h.id = due.id
     RETURNING h.id, h.check_priority, h.monitoring_state, due.due_at
   )
   SELECT * FROM claimed ORDER BY check_priority DESC, due_at ASC`;

@Injectable()
export class HostsRepository {
  private readonly repo: Repository<HostEntity>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.repo = dataSource.getRepository(HostEntity);
  }

  findById(id: string): Promise<HostEntity | null> {
    return this.repo.findOneBy({ id });
  }

  /** The worker's per-check read: one prepared statement, no entity built (see HostCheckTarget). */
  async findForCheck(id: string): Promise<HostCheckTarget | null> {
    const rows = await preparedQuery<HostCheckTarget>(
      this.dataSource,
      'hostwatch_find_for_check',
      FIND_FOR_CHECK_SQL,
      [id],
    );
    return rows[0] ?? null;
  }

  /** Host names are compared without case, as DNS does; served by uq_hosts_hostname_lower. */
  findByHostname(hostname: string): Promise<HostEntity | null> {
    return this.repo
      .createQueryBuilder('h')
      .where('lower(h.hostname) = lower(:hostname)', { hostname })
      .getOne();
  }

  /** Saves, in `tx` when given (a change that resolves the host's alerts with it). */
  save(host: HostEntity, tx?: EntityManager): Promise<HostEntity> {
    return tx ? tx.getRepository(HostEntity).save(host) : this.repo.save(host);
  }

  async delete(id: string, tx?: EntityManager): Promise<void> {
    await (tx ? tx.getRepository(HostEntity) : this.repo).delete({ id });
  }

  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * Locks the host row for the rest of the transaction, before its alerts are touched: the
   * order in which applying a result takes them, so the two never deadlock.
   */
  async lock(tx: EntityManager, id: string): Promise<void> {
    await tx.query('SELECT 1 FROM hosts WHERE id = $1 FOR UPDATE', [id]);
  }

  /**
   * See DEEP_PAGES. The host-list spec changes it, so that its few hundred hosts take every
   * path: count first (with or without the estimate) and the read from the far end.
   */
  deepPages: DeepPagesPolicy = { ...DEEP_PAGES };

  /**
   * One page of the host list and the number of hosts matching, in the list's order: the sort
   * column (nulls last ascending, first descending), ties by id ascending.
   */
  async list(filter: HostListFilter): Promise<{ items: HostEntity[]; total: number }> {
    if (!(await this.countsFirst(filter))) {
      const [items, total] = await Promise.all([
        this.pageQuery(this.repo.manager, filter, forward(filter)).getMany(),
        this.count(this.repo.manager, filter),
      ]);
      return { items, total };
    }
    // Count, then read the page from the nearer end. One REPEATABLE READ transaction, so that
    // the count and the page see the same rows: a read from the far end placed by a count that
    // a concurrent insert or delete had already changed would return shifted rows.
    return this.dataSource.transaction('REPEATABLE READ', async (tx) => {
      const total = await this.count(tx, filter);
      const read = pageRead(filter.offset, filter.limit, total);
      if (!read) return { items: [], total };
      const items = await this.pageQuery(tx, filter, read).getMany();
      return { items: read.reversed ? items.reverse() : items, total };
    });
  }

  /** EXPLAIN ANALYZE of the page query list() runs (the bench prints it beside its timings). */
  async explainList(filter: HostListFilter): Promise<string> {
    const manager = this.repo.manager;
    const read = (await this.countsFirst(filter))
      ? pageRead(filter.offset, filter.limit, await this.count(manager, filter))
      : forward(filter);
    if (!read) return 'no page query: the page lies past the end of the list';
    const [sql, params] = this.pageQuery(manager, filter, read).getQueryAndParameters();
    const rows: Array<Record<string, string>> = await this.dataSource.query(
      `EXPLAIN (ANALYZE, BUFFERS) ${sql}`,
      params,
    );
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  }

  /** Whether list() counts before it reads the page; see DEEP_PAGES. */
  private async countsFirst(filter: HostListFilter): Promise<boolean> {
    if (filter.offset <= this.deepPages.minOffset) return false;
    if (!this.deepPages.estimate) return true;
    const [sql, params] = this.filtered(this.repo.manager, filter)
      .select('h.id')
      .getQueryAndParameters();
    const rows: Array<{ 'QUERY PLAN': Array<{ Plan: { 'Plan Rows': number } }> }> =
      await this.dataSource.query(`EXPLAIN (FORMAT JSON) ${sql}`, params);
    const estimate = rows[0]?.['QUERY PLAN']?.[0]?.Plan?.['Plan Rows'];
    // No estimate (never expected): count first, which is always right, if not always fastest.
    return typeof estimate !== 'number' || filter.offset > estimate / 2;
  }

  /**
   * count(*) rather than TypeORM's count(DISTINCT id): without joins they agree, and the
   * distinct count sorted every matching id (most of the list's time at 100,000 hosts).
   */
  private async count(manager: EntityManager, filter: HostListFilter): Promise<number> {
    const row = await this.filtered(manager, filter)
      .select('count(*)', 'n')
      .getRawOne<{ n: string }>();
    return Number(row?.n ?? 0);
  }

  /**
   * The page query. Reversed, every direction flips (the sort column's, its nulls placement and
   * id's), so its rows are exactly the forward order's, back to front. The sort indexes serve
   * both directions: a btree is scanned backward as well as forward.
   */
  private pageQuery(manager: EntityManager, filter: HostListFilter, read: PageRead) {
    const ascending = (filter.order === 'asc') !== read.reversed;
    return (
      this.filtered(manager, filter)
        // Nulls last ascending, first descending: the flip of one is the other.
        .orderBy(
          SORT_COLUMNS[filter.sort],
          ascending ? 'ASC' : 'DESC',
          ascending ? 'NULLS LAST' : 'NULLS FIRST',
        )
        .addOrderBy('h.id', read.reversed ? 'DESC' : 'ASC')
        .skip(read.offset)
        .take(read.limit)
    );
  }

  private filtered(manager: EntityManager, filter: HostListFilter) {
    const qb = manager.getRepository(HostEntity).createQueryBuilder('h');
    // idx_hosts_monitoring_state serves the state filter; idx_hosts_tags (GIN) the tag filter.
    if (filter.states?.length)
      qb.andWhere('h.monitoring_state IN (:...states)', { states: filter.states });
    if (filter.tag !== undefined)
      qb.andWhere('h.tags @> CAST(ARRAY[:tag] AS text[])', { tag: filter.tag });
    if (filter.isActive !== undefined)
      qb.andWhere('h.is_active = :active', { active: filter.isActive });
    if (filter.text !== undefined) {
      // The expression of idx_hosts_search_trgm (pg_trgm): name and address in one.
      qb.andWhere(
        "(h.hostname || E'\\n' || coalesce(h.ip_address, '')) ILIKE :search ESCAPE '\\'",
        {
          search: `%${escapeLike(filter.text)}%`,
        },
      );
    }
    return qb;
  }

  /**
   * Claims up to `limit` due hosts, most urgent first, in one statement. FOR UPDATE SKIP
   * LOCKED makes concurrent claims (two producers, overlapping ticks) take disjoint sets: a row
   * another claim committed meanwhile fails the claimable test on re-check.
   *
   * The lease is `claimed_at`: a claim covers the host's current next_check_at (claimed_at >=
   * next_check_at) for `leaseSeconds`. Applying a result moves next_check_at past it, so the
   * host is claimable when it next comes due; a host whose job was lost is claimable again once
   * the lease runs out. next_check_at itself is left alone (the API keeps showing when the
   * check was due), and as no index covers claimed_at the UPDATE can be HOT: it adds no entry
   * to any of the table's indexes.
   *
   * `due_at` (it names the job) is next_check_at, or for a claim whose lease ran out, the end
   * of that lease: a new job id, so a permanently failed job kept under the old id by BullMQ
   * does not swallow the new claim.
   *
   * Served by idx_hosts_due (next_check_at <= $1, active, not in maintenance); the claimed_at
   * test and the priority order read the rows the index finds.
   */
  async claimDue(now: Date, leaseSeconds: number, limit: number): Promise<ClaimedHost[]> {
    return this.dataSource.query(CLAIM_DUE_SQL, [now, leaseSeconds, limit]);
  }
}
