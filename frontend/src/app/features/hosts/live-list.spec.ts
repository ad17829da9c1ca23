import type { Host, HostEvent } from '../../core/api/api-types';
import { DEFAULT_QUERY, type HostsQuery } from './hosts-query';
import { applyHostEvent, compareHosts, matchesQuery, type ListView } from './live-list';

let seq = 0;
function host(hostname: string, extra: Partial<Host> = {}): Host {
  seq += 1;
  return {
    id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    hostname,
    ip_address: '10.0.0.1',
    port: 22,
    tags: [],
    is_active: true,
    monitoring_state: 'HEALTHY',
    last_check_at: null,
    response_time_ms: null,
    created_at: '2026-11-28T12:00:00.000Z',
    ...extra,
  } as Host;
}
const names = (view: ListView) => view.items.map((h) => h.hostname);
const query = (change: Partial<HostsQuery> = {}): HostsQuery => ({
  ...DEFAULT_QUERY,
  page_size: 3,
  ...change,
});
const at = '2026-11-28T12:00:00.000Z';
const created = (h: Host): HostEvent => ({ type: 'host_created', host: h, at });
const deleted = (h: Host): HostEvent => ({ type: 'host_deleted', host: h, at });
const updated = (previous: Host, change: Partial<Host>): HostEvent => ({
  type: 'host_updated',
  host: { ...previous, ...change },
  previous,
  at,
});

describe('host list: live inserts and deletes', () => {
  const b = host('b');
  const d = host('d');
  const f = host('f');
  const firstPage: ListView = { items: [b, d, f], total: 7, elsewhere: 0 };

  it('inserts a new host in place when it sorts onto the page, keeping the page size', () => {
    const view = applyHostEvent(firstPage, created(host('c')), query());
    expect(names(view)).toEqual(['b', 'c', 'd']);
    expect(view.total).toBe(8);
    expect(view.elsewhere).toBe(0);
  });

  it('puts a host that sorts before everything at the top of page 1', () => {
    expect(names(applyHostEvent(firstPage, created(host('a')), query()))).toEqual(['a', 'b', 'd']);
  });

  it('counts a host that sorts onto another page, without moving the rows on show', () => {
    const after = applyHostEvent(firstPage, created(host('x')), query());
    expect(names(after)).toEqual(['b', 'd', 'f']);
    expect(after).toMatchObject({ total: 8, elsewhere: 1 });
    // Page 2 of the list: a host sorting before its first row belongs to page 1.
    const page2 = applyHostEvent(firstPage, created(host('a')), query({ page: 2 }));
    expect(names(page2)).toEqual(['b', 'd', 'f']);
    expect(page2).toMatchObject({ total: 8, elsewhere: 1 });
  });

  it('appends to the last page when it has room, and fills an empty first page', () => {
    const last: ListView = { items: [b, d], total: 5, elsewhere: 0 };
    expect(names(applyHostEvent(last, created(host('z')), query({ page: 2 })))).toEqual([
      'b',
      'd',
      'z',
    ]);
    const empty: ListView = { items: [], total: 0, elsewhere: 0 };
    const view = applyHostEvent(empty, created(host('first')), query());
    expect(names(view)).toEqual(['first']);
    expect(view.total).toBe(1);
  });

  it('ignores a new host the filters exclude', () => {
    const filtered = query({ tag: 'db', state: ['DEGRADED'] });
    const view = applyHostEvent(firstPage, created(host('c', { tags: ['web'] })), filtered);
    expect(view).toBe(firstPage);
  });

  it('ignores an event it has already applied (own change, or the same event twice)', () => {
    expect(applyHostEvent(firstPage, created(d), query())).toBe(firstPage);
  });

  it('removes a deleted host and drops the total', () => {
    const view = applyHostEvent(firstPage, deleted(d), query());
    expect(names(view)).toEqual(['b', 'f']);
    expect(view.total).toBe(6);
  });

  it('drops the total for a matching host deleted on another page, not for one filtered out', () => {
    expect(applyHostEvent(firstPage, deleted(host('x')), query()).total).toBe(6);
    const q = query({ q: 'web' });
    expect(applyHostEvent(firstPage, deleted(host('db-9')), q)).toBe(firstPage);
  });
});

describe('host list: live updates', () => {
  const b = host('b', { tags: ['db'] });
  const d = host('d', { tags: ['db'] });
  const page: ListView = { items: [b, d], total: 2, elsewhere: 0 };
  const byTag = query({ tag: 'db' });

  it('changes a row in place (tags, active) when it still matches', () => {
    const view = applyHostEvent(
      page,
      updated(d, { tags: ['db', 'prod'], is_active: false }),
      byTag,
    );
    expect(view.items[1]).toMatchObject({ hostname: 'd', tags: ['db', 'prod'], is_active: false });
    expect(view.total).toBe(2);
  });

  it('re-sorts a renamed host within the page', () => {
    const view = applyHostEvent(page, updated(b, { hostname: 'e' }), byTag);
    expect(names(view)).toEqual(['d', 'e']);
  });

  it('takes a host out when it no longer matches the filters', () => {
    const view = applyHostEvent(page, updated(b, { tags: ['web'] }), byTag);
    expect(names(view)).toEqual(['d']);
    expect(view.total).toBe(1);
  });

  it('brings a host in when it now matches, and ignores changes to hosts outside', () => {
    const outside = host('c', { tags: ['web'] });
    const view = applyHostEvent(page, updated(outside, { tags: ['web', 'db'] }), byTag);
    expect(names(view)).toEqual(['b', 'c', 'd']);
    expect(view.total).toBe(3);
    expect(applyHostEvent(page, updated(outside, { port: 2222 }), byTag)).toEqual(page);
  });
});

describe('the API order and filters, as the list applies them', () => {
  it('sorts ascending with nulls last, descending with nulls first, then by id', () => {
    const fast = host('a', { response_time_ms: 5 });
    const slow = host('b', { response_time_ms: 50 });
    const never = host('c', { response_time_ms: null });
    const sorted = (order: 'asc' | 'desc') =>
      [never, slow, fast]
        .sort((x, y) => compareHosts(x, y, 'response_time_ms', order))
        .map((h) => h.hostname);
    expect(sorted('asc')).toEqual(['a', 'b', 'c']);
    expect(sorted('desc')).toEqual(['c', 'b', 'a']);
    const twin = host('d', { response_time_ms: 5 });
    expect(compareHosts(fast, twin, 'response_time_ms', 'asc')).toBeLessThan(0);
    expect(compareHosts(twin, fast, 'response_time_ms', 'desc')).toBeGreaterThan(0);
  });

  it('compares timestamps as times and text by code point (upper case first)', () => {
    const early = host('x', { last_check_at: '2026-11-28T09:00:00.000Z' });
    const late = host('y', { last_check_at: '2026-11-28T10:00:00.000Z' });
    expect(compareHosts(early, late, 'last_check_at', 'asc')).toBeLessThan(0);
    expect(compareHosts(host('Zed'), host('alpha'), 'hostname', 'asc')).toBeLessThan(0);
  });

  it('matches state, exact tag and case-blind text in name or address', () => {
    const h = host('DB-7.example', { ip_address: '10.1.2.3', tags: ['prod'] });
    expect(matchesQuery(h, query({ q: 'db-7' }))).toBe(true);
    expect(matchesQuery(h, query({ q: '1.2.3' }))).toBe(true);
    expect(matchesQuery(h, query({ q: 'web' }))).toBe(false);
    expect(matchesQuery(h, query({ tag: 'prod' }))).toBe(true);
    expect(matchesQuery(h, query({ tag: 'pro' }))).toBe(false);
    expect(matchesQuery(h, query({ state: ['HEALTHY', 'DOWN'] }))).toBe(true);
    expect(matchesQuery(h, query({ state: ['DOWN'] }))).toBe(false);
  });
});
