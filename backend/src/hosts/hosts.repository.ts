import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, ObjectLiteral, Repository, SelectQueryBuilder } from 'typeorm';
import { iso, Recordset } from '../database/recordset';
import { prepared } from '../database/prepared';
import type { MonitoringState } from '../state-machine';
import { HostEntity } from './entities/host.entity';
import { HostStatusEntity } from './entities/host-status.entity';
import type { HostSortField } from './dto/host.dto';
import type { HostLinks } from './host-topology';

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

/**
 * States by severity, worst first (ascending): DOWN, CRITICAL, DEGRADED, UNKNOWN, HEALTHY,
 * MAINTENANCE. Sorting by state sorts by this, not by the names' alphabet. Served by
 * idx_host_status_severity, whose expression must stay this one word for word.
 */
export const STATE_SEVERITY_SQL = `(CASE s.monitoring_state WHEN 'DOWN' THEN 0 WHEN 'CRITICAL' THEN 1 WHEN 'DEGRADED' THEN 2 WHEN 'UNKNOWN' THEN 3 WHEN 'HEALTHY' THEN 4 ELSE 5 END)`;

const SORT_COLUMNS: Record<HostSortField, string> = {
  hostname: 'h.hostname',
  ip_address: 'h.ip_address',
  monitoring_state: STATE_SEVERITY_SQL,
  check_priority: 's.check_priority',
  next_check_at: 's.next_check_at',
  last_check_at: 's.last_check_at',
  response_time_ms: 's.response_time_ms',
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

/** A host key to pin: seen by a successful check of the host at `expectedVersion`. */
export interface HostKeyPin {
  hostId: string;
  expectedVersion: number;
  fingerprint: string;
  type: string;
  at: Date;
}

const PINS = new Recordset({
  host_id: 'uuid',
  expected_version: 'integer',
  host_key_fingerprint: 'varchar',
  host_key_type: 'varchar',
  host_key_first_seen_at: 'timestamptz',
});
const PIN_SQL = `
  UPDATE hosts h
     SET ${PINS.assign(['host_key_fingerprint', 'host_key_type', 'host_key_first_seen_at'], 'p')},
         version = h.version + 1
    FROM ${PINS.from(1, 'p')}
   WHERE h.id = p.host_id AND h.version = p.expected_version
  RETURNING h.id`;

/** Whether the list is of every host (its total is then the number of hosts). */
function isUnfiltered(filter: HostListFilter): boolean {
  return (
    !filter.states?.length &&
    filter.tag === undefined &&
    filter.text === undefined &&
    filter.isActive === undefined
  );
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

@Injectable()
export class HostsRepository {
  private readonly repo: Repository<HostEntity>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.repo = dataSource.getRepository(HostEntity);
  }

  /** A host with its schedule and state. */
  findById(id: string): Promise<HostEntity | null> {
    return this.repo.findOne({ where: { id }, relations: { status: true } });
  }

  /** The hosts with these ids that exist, with their status (ids not found are left out). */
  findByIds(ids: readonly string[]): Promise<HostEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.withStatus(this.repo.manager)
      .where('h.id IN (:...ids)', { ids: [...ids] })
      .getMany();
  }

  /** Host names are compared without case, as DNS does; served by uq_hosts_hostname_lower. */
  findByHostname(hostname: string): Promise<HostEntity | null> {
    return this.withStatus(this.repo.manager)
      .where('lower(h.hostname) = lower(:hostname)', { hostname })
      .getOne();
  }

  /**
   * Saves the inventory row and its status row together (in `tx` when given, with what the
   * caller does there; else in a transaction of their own). A change of the inventory raises
   * the host's version; a change of the status alone does not.
   */
  save(host: HostEntity, tx?: EntityManager): Promise<HostEntity> {
    return tx ? tx.getRepository(HostEntity).save(host) : this.repo.save(host);
  }

  /**
   * Pins host keys seen on first contact (trust on first use), inside the caller's
   * transaction. The caller decided each pin against the host at `expectedVersion`; a host
   * edited since is left alone. Each pin raises the host's version, so checks that read the
   * host before it are evaluated again. Returns how many pins were written.
   */
  async pinHostKeys(tx: EntityManager, pins: readonly HostKeyPin[]): Promise<number> {
    if (pins.length === 0) return 0;
    const rows = await prepared(
      tx,
      'hostwatch_pin_host_keys',
      PIN_SQL,
      PINS.values(
        pins.map((p) => ({
          host_id: p.hostId,
          expected_version: p.expectedVersion,
          host_key_fingerprint: p.fingerprint,
          host_key_type: p.type,
          host_key_first_seen_at: iso(p.at),
        })),
      ),
    );
    return rows.length;
  }

  async delete(id: string, tx?: EntityManager): Promise<void> {
    await (tx ? tx.getRepository(HostEntity) : this.repo).delete({ id });
  }

  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * Locks the host's status row for the rest of the transaction, before its alerts are
   * touched: the order in which applying a result takes them, so the two never deadlock.
   */
  async lock(tx: EntityManager, id: string): Promise<void> {
    await tx.query('SELECT 1 FROM host_status WHERE host_id = $1 FOR UPDATE', [id]);
  }

  /**
   * Serialises edits of parents and jump hosts for the rest of the transaction, so that two
   * edits cannot each pass the loop check and together make a loop.
   */
  async lockTopology(tx: EntityManager): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('hostwatch:host-topology'))`);
  }

  /**
   * These hosts and every host above them (their parents and jump hosts, theirs, and so on),
   * with their links; stops at a loop. Served by the primary key.
   */
  linksAbove(tx: EntityManager, ids: readonly string[]): Promise<HostLinks[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return tx.query(
      `WITH RECURSIVE up(id, hostname, "parentHostId", "jumpHostId") AS (
         SELECT id, hostname, parent_host_id, jump_host_id FROM hosts WHERE id = ANY($1::uuid[])
         UNION
         SELECT h.id, h.hostname, h.parent_host_id, h.jump_host_id
           FROM hosts h JOIN up ON h.id IN (up."parentHostId", up."jumpHostId")
       ) SELECT * FROM up`,
      [ids],
    );
  }

  /** Hosts probed through this one, a few names first; served by idx_hosts_jump_host_id. */
  async jumpDependents(
    tx: EntityManager,
    id: string,
  ): Promise<{ count: number; hostnames: string[] }> {
    const [row] = await tx.query(
      `SELECT count(*)::int AS count,
              (array_agg(hostname ORDER BY hostname))[1:5] AS hostnames
         FROM hosts WHERE jump_host_id = $1`,
      [id],
    );
    return { count: row.count, hostnames: row.hostnames ?? [] };
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
    // The number of every host costs nothing: count first, then read from the nearer end.
    if (!this.deepPages.estimate || isUnfiltered(filter)) return true;
    const [sql, params] = this.counted(this.repo.manager, filter)
      .select('1')
      .getQueryAndParameters();
    const rows: Array<{ 'QUERY PLAN': Array<{ Plan: { 'Plan Rows': number } }> }> =
      await this.dataSource.query(`EXPLAIN (FORMAT JSON) ${sql}`, params);
    const estimate = rows[0]?.['QUERY PLAN']?.[0]?.Plan?.['Plan Rows'];
    // No estimate (never expected): count first, which is always right, if not always fastest.
    return typeof estimate !== 'number' || filter.offset > estimate / 2;
  }

  /**
   * The number of hosts the filter matches. Of every host: the number the database keeps
   * (host_totals). Else count(*) rather than TypeORM's count(DISTINCT id), which sorted every
   * matching id (most of the list's time at 100,000 hosts); every host has exactly one status
   * row, so the count reads only the table(s) the filter needs.
   */
  private async count(manager: EntityManager, filter: HostListFilter): Promise<number> {
    if (isUnfiltered(filter)) {
      // Kept by the database's triggers on hosts (migration HostTotals): no row is counted.
      const [totals] = await manager.query('SELECT hosts FROM host_totals WHERE id = 1');
      return Number(totals?.hosts ?? 0);
    }
    const row = await this.counted(manager, filter)
      .select('count(*)', 'n')
      .getRawOne<{ n: string }>();
    return Number(row?.n ?? 0);
  }

  /** The filtered rows to count, from the tables the filter names (aliases h and s). */
  private counted(manager: EntityManager, filter: HostListFilter) {
    const onHosts = filter.tag !== undefined || filter.text !== undefined;
    const onStatus = Boolean(filter.states?.length) || filter.isActive !== undefined;
    if (!onHosts) {
      return this.where(manager.getRepository(HostStatusEntity).createQueryBuilder('s'), filter);
    }
    const qb = manager.getRepository(HostEntity).createQueryBuilder('h');
    if (onStatus) qb.innerJoin('h.status', 's');
    return this.where(qb, filter);
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
        // offset/limit, not skip/take: the join is one to one, so rows are hosts.
        .offset(read.offset)
        .limit(read.limit)
    );
  }

  /** A host (alias h) with its status (alias s): one row each, as the relation is one to one. */
  private withStatus(manager: EntityManager) {
    return manager
      .getRepository(HostEntity)
      .createQueryBuilder('h')
      .innerJoinAndSelect('h.status', 's');
  }

  private filtered(manager: EntityManager, filter: HostListFilter) {
    return this.where(this.withStatus(manager), filter);
  }

  /** The filter's conditions, on a query whose aliases are h (hosts) and s (host_status). */
  private where<T extends ObjectLiteral>(
    qb: SelectQueryBuilder<T>,
    filter: HostListFilter,
  ): SelectQueryBuilder<T> {
    // idx_host_status_state serves the state filter; idx_hosts_tags (GIN) the tag filter.
    if (filter.states?.length)
      qb.andWhere('s.monitoring_state IN (:...states)', { states: filter.states });
    if (filter.tag !== undefined)
      qb.andWhere('h.tags @> CAST(ARRAY[:tag] AS text[])', { tag: filter.tag });
    if (filter.isActive !== undefined)
      qb.andWhere('s.is_active = :active', { active: filter.isActive });
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
}
