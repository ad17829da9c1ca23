import { SelectQueryBuilder } from 'typeorm';
import { HOST_SORT_FIELDS, type HostSortField } from '../../src/hosts/dto/host.dto';
import { DEEP_PAGES, HostsRepository } from '../../src/hosts/hosts.repository';
import { HostEntity } from '../../src/hosts/entities/host.entity';
import { createTestApp, type TestApp } from '../support/test-app';
import { truncateAll } from '../support/test-env';
import { expectStatus } from './helpers';
import { insertHosts } from '../support/host-rows';

// Every page of GET /api/hosts, for every sort field, both orders and several filters, against
// the order computed here from one read of the rows: the sort column (nulls last ascending,
// first descending), ties by id ascending. Run three times: as deployed (these few hundred
// hosts all page forward, count and page in parallel); with every page after the first
// counted first, so that those past the middle are read from the far end and turned round; and
// with the planner's estimate choosing between the two.

const HOSTS = 300;

// Few distinct values in every sortable column but hostname, and a tenth to a fifth nulls in
// each nullable one, so that ties and nulls cross page boundaries under every filter (the null
// patterns are chosen not to line up with the filters'). hostname is unique, but mixes case and
// punctuation: the database's collation orders it, and the test takes that order from it.
const SEED_COLUMNS = [
  'hostname',
  'ip_address',
  'monitoring_state',
  'check_priority',
  'next_check_at',
  'last_check_at',
  'response_time_ms',
  'tags',
  'is_active',
  'created_at',
];
const SEED_ROWS = `
  SELECT (ARRAY['web-', 'Web_', 'db.'])[g % 3 + 1] || lpad(g::text, 4, '0'),
         CASE WHEN g % 5 = 0 THEN NULL ELSE '10.0.' || g % 3 || '.' || g % 4 END,
         (ARRAY['UNKNOWN', 'HEALTHY', 'HEALTHY', 'DEGRADED', 'CRITICAL', 'DOWN', 'MAINTENANCE'])[g % 7 + 1],
         2 + g % 3 * 3,
         CASE WHEN g % 10 IN (3, 6) THEN NULL ELSE $1::timestamptz + (g % 4) * interval '1 minute' END,
         CASE WHEN g % 5 = 2 THEN NULL ELSE $1::timestamptz - (g % 4) * interval '1 minute' END,
         CASE WHEN g % 11 < 3 THEN NULL ELSE (g % 6) * 10 END,
         CASE WHEN g % 3 = 0 THEN '{prod,db}'::text[] ELSE '{prod,web}'::text[] END,
         g % 4 <> 1,
         $1::timestamptz + (g % 3) * interval '1 second'
    FROM generate_series(1, ${HOSTS}) g`;

interface Row {
  id: string;
  hostname: string;
  ip_address: string | null;
  monitoring_state: string;
  tags: string[];
  is_active: boolean;
  /** Per sort field: the value's dense rank in the database's own order, null for null. */
  rank: Record<HostSortField, number | null>;
}

/** States sort by severity, worst first ascending, not by their names. */
const SEVERITY = `array_position(ARRAY['DOWN','CRITICAL','DEGRADED','UNKNOWN','HEALTHY','MAINTENANCE']::varchar[], monitoring_state)`;
const orderOf = (f: HostSortField) => (f === 'monitoring_state' ? SEVERITY : f);

// The rank of each value, in the database's order for its type and collation; null stays null.
const RANKS_SQL = `SELECT id, hostname, ip_address, monitoring_state, tags, is_active, ${HOST_SORT_FIELDS.map(
  (f) =>
    `CASE WHEN ${f} IS NULL THEN NULL ELSE dense_rank() OVER (PARTITION BY ${f} IS NULL ORDER BY ${orderOf(f)}) END::int AS rank_${f}`,
).join(', ')} FROM hosts JOIN host_status ON host_status.host_id = hosts.id`;

interface Filter {
  name: string;
  query: Record<string, string>;
  matches: (r: Row) => boolean;
}

const FILTERS: Filter[] = [
  { name: 'no filter', query: {}, matches: () => true },
  {
    name: 'state DEGRADED,CRITICAL',
    query: { state: 'DEGRADED,CRITICAL' },
    matches: (r) => ['DEGRADED', 'CRITICAL'].includes(r.monitoring_state),
  },
  { name: 'tag db', query: { tag: 'db' }, matches: (r) => r.tags.includes('db') },
  { name: 'inactive', query: { is_active: 'false' }, matches: (r) => !r.is_active },
  {
    name: 'text "web"',
    query: { q: 'web' },
    matches: (r) => `${r.hostname}\n${r.ip_address ?? ''}`.toLowerCase().includes('web'),
  },
  {
    name: 'active HEALTHY,UNKNOWN',
    query: { state: 'HEALTHY,UNKNOWN', is_active: 'true' },
    matches: (r) => r.is_active && ['HEALTHY', 'UNKNOWN'].includes(r.monitoring_state),
  },
];

/** The contract, written out: nulls last ascending and first descending, ties by id ascending. */
function expectedOrder(rows: Row[], sort: HostSortField, order: 'asc' | 'desc'): string[] {
  const sign = order === 'asc' ? 1 : -1;
  return [...rows]
    .sort((a, b) => {
      const x = a.rank[sort];
      const y = b.rank[sort];
      if (x !== y) {
        if (x === null) return order === 'asc' ? 1 : -1;
        if (y === null) return order === 'asc' ? -1 : 1;
        return sign * (x - y);
      }
      // uuids as lowercase text compare as Postgres compares the uuid type.
      return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    })
    .map((r) => r.id);
}

describe('GET /api/hosts: every page, from either end', () => {
  let app: TestApp;
  let repository: HostsRepository;
  let rows: Row[];
  // The page queries the repository runs, to tell the reversed reads (id descending) apart.
  let getMany: jest.SpyInstance;

  beforeAll(async () => {
    app = await createTestApp();
    repository = app.app.get(HostsRepository);
    await truncateAll(app.dataSource);
    await insertHosts(app.dataSource, SEED_COLUMNS, SEED_ROWS, ['2026-11-01T12:00:00Z']);
    // Statistics, so that the planner's estimates are those of a real table.
    await app.dataSource.query('ANALYZE hosts');
    const raw: Array<Record<string, unknown>> = await app.dataSource.query(RANKS_SQL);
    rows = raw.map((r) => ({
      id: r.id as string,
      hostname: r.hostname as string,
      ip_address: r.ip_address as string | null,
      monitoring_state: r.monitoring_state as string,
      tags: r.tags as string[],
      is_active: r.is_active as boolean,
      rank: Object.fromEntries(HOST_SORT_FIELDS.map((f) => [f, r[`rank_${f}`]])) as Row['rank'],
    }));
    getMany = jest.spyOn(SelectQueryBuilder.prototype, 'getMany');
  });

  afterAll(async () => {
    getMany?.mockRestore();
    await app?.close();
  });

  it('seeds ties and nulls in every sortable column but hostname', () => {
    expect(rows).toHaveLength(HOSTS);
    for (const field of HOST_SORT_FIELDS) {
      const ranks = rows.map((r) => r.rank[field]);
      const distinct = new Set(ranks.filter((r) => r !== null)).size;
      if (field === 'hostname') expect(distinct).toBe(HOSTS);
      else expect(distinct).toBeLessThanOrEqual(36);
    }
    for (const field of ['ip_address', 'next_check_at', 'last_check_at', 'response_time_ms'])
      expect(rows.filter((r) => r.rank[field as HostSortField] === null).length).toBeGreaterThan(
        HOSTS / 10,
      );
  });

  const readAll = async (
    query: Record<string, string>,
    sort: HostSortField,
    order: 'asc' | 'desc',
    pageSize: number,
    expected: string[],
  ): Promise<string[]> => {
    const ids: string[] = [];
    const pages = Math.ceil(expected.length / pageSize);
    // One page past the end as well: no rows, and still the real total.
    for (let page = 1; page <= pages + 1; page++) {
      const res = await app
        .api()
        .get('/api/hosts')
        .query({ ...query, sort, order, page, page_size: pageSize });
      expectStatus(res, 200);
      expect(res.body).toMatchObject({ total: expected.length, page, page_size: pageSize });
      const pageIds = (res.body.items as Array<{ id: string }>).map((h) => h.id);
      const context = `${sort} ${order}, ${JSON.stringify(query)}, page ${page} of ${pageSize}`;
      expect({ context, ids: pageIds }).toEqual({
        context,
        ids: expected.slice((page - 1) * pageSize, page * pageSize),
      });
      ids.push(...pageIds);
    }
    return ids;
  };

  const reversedReads = () =>
    getMany.mock.contexts.filter((qb: SelectQueryBuilder<HostEntity>) =>
      /"h"\."id" DESC/.test(qb.getQuery()),
    ).length;

  describe.each([
    {
      path: 'as deployed: these pages are all shallow, count and page in parallel',
      deepPages: DEEP_PAGES,
      reads: 'forward only',
    },
    {
      path: 'every page after the first counted first, those past the middle read from the far end',
      deepPages: { minOffset: 0, estimate: false },
      reads: 'some from the far end',
    },
    {
      path: "every page after the first by the planner's estimate, then either way",
      deepPages: { minOffset: 0, estimate: true },
      // Which pages count first depends on the estimate; the answers must not.
      reads: 'either',
    },
  ])('$path', ({ deepPages, reads }) => {
    beforeAll(() => {
      repository.deepPages = { ...deepPages };
    });
    afterAll(() => {
      repository.deepPages = { ...DEEP_PAGES };
    });

    describe.each(FILTERS)('$name', ({ query, matches }) => {
      it.each(
        HOST_SORT_FIELDS.flatMap((sort) => [[sort, 'asc'] as const, [sort, 'desc'] as const]),
      )('sort %s %s: every page as computed, in 9s and in 40s', async (sort, order) => {
        const expected = expectedOrder(rows.filter(matches), sort, order);
        expect(expected.length).toBeGreaterThan(40);
        getMany.mockClear();
        for (const pageSize of [9, 40]) {
          expect(await readAll(query, sort, order, pageSize, expected)).toEqual(expected);
        }
        if (reads === 'some from the far end') expect(reversedReads()).toBeGreaterThan(0);
        if (reads === 'forward only') expect(reversedReads()).toBe(0);
      });
    });
  });
});
