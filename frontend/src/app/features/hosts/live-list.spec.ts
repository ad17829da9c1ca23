import type { Host, HostEvent } from '../../core/api/api-types';
import { DEFAULT_QUERY, type HostsQuery } from './hosts-query';
import { applyHostEvent, applyRead, compareHosts, matchesQuery, type ListView } from './live-list';
import { fakeHost } from './host.fixture';

const host = fakeHost;
const names = (view: ListView) => view.items.map((h) => h.hostname);
const query = (change: Partial<HostsQuery> = {}): HostsQuery => ({
  ...DEFAULT_QUERY,
  sort: 'hostname',
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

describe('host list: a row that leaves while more rows follow', () => {
  // Page 1 of 7 hosts, three to a page: b d f | h j l | n
  const [b, d, f] = [host('b'), host('d'), host('f')];
  const firstPage: ListView = { items: [b, d, f], total: 7, elsewhere: 0 };

  it("asks for the rows after a delete, since the next page's first row slides up", () => {
    const view = applyHostEvent(firstPage, deleted(d), query());
    expect(names(view)).toEqual(['b', 'f']);
    expect(view).toMatchObject({ total: 6, reread: 'rows' });
  });

  it('reads nothing after a delete on a page short of rows: it is the last', () => {
    const last: ListView = { items: [b, d], total: 5, elsewhere: 0 };
    const view = applyHostEvent(last, deleted(d), query({ page: 2 }));
    expect(names(view)).toEqual(['b']);
    expect(view.total).toBe(4);
    expect(view.reread).toBeUndefined();
  });

  it('asks for the rows after a delete on a full page even when the total says it is the last', () => {
    // The total may not be the server's yet (an event applied again to a read that had it):
    // only a read tells whether a row follows.
    const full: ListView = { items: [b, d, f], total: 6, elsewhere: 0 };
    expect(applyHostEvent(full, deleted(d), query({ page: 2 })).reread).toBe('rows');
  });

  it("asks for the rows when an update moves a row past the page's end, keeping it at the edge meanwhile", () => {
    const view = applyHostEvent(firstPage, updated(b, { hostname: 'm' }), query());
    // Whether m stays as the last row or h takes its place, only the server knows.
    expect(names(view)).toEqual(['d', 'f', 'm']);
    expect(view).toMatchObject({ total: 7, reread: 'rows' });
  });

  it('asks for the rows when an update moves a row to an earlier page', () => {
    const second: ListView = { items: [host('h'), host('j'), host('l')], total: 7, elsewhere: 0 };
    const view = applyHostEvent(
      second,
      updated(second.items[1], { hostname: 'c' }),
      query({ page: 2 }),
    );
    expect(names(view)).toEqual(['c', 'h', 'l']);
    expect(view).toMatchObject({ total: 7, reread: 'rows' });
  });

  it('asks for the rows when a row stops matching the filters while more follow', () => {
    const tagged = (name: string) => host(name, { tags: ['db'] });
    const page: ListView = {
      items: [tagged('b'), tagged('d'), tagged('f')],
      total: 5,
      elsewhere: 0,
    };
    const view = applyHostEvent(page, updated(page.items[0], { tags: [] }), query({ tag: 'db' }));
    expect(names(view)).toEqual(['d', 'f']);
    expect(view).toMatchObject({ total: 4, reread: 'rows' });
  });

  it('moves a row within the page, or to the end of the last page, without a read', () => {
    const within = applyHostEvent(firstPage, updated(b, { hostname: 'e' }), query());
    expect(names(within)).toEqual(['d', 'e', 'f']);
    expect(within.reread).toBeUndefined();
    const last: ListView = { items: [b, d], total: 5, elsewhere: 0 };
    const end = applyHostEvent(last, updated(b, { hostname: 'z' }), query({ page: 2 }));
    expect(names(end)).toEqual(['d', 'z']);
    expect(end.reread).toBeUndefined();
  });

  it('lets the read place a new host that sorts past a page left short, rather than count it elsewhere', () => {
    const short = applyHostEvent(firstPage, deleted(d), query());
    const view = applyHostEvent(short, created(host('g')), query());
    expect(names(view)).toEqual(['b', 'f']);
    expect(view).toMatchObject({ total: 7, elsewhere: 0, reread: 'rows' });
  });
});

describe('host list: a host that moves onto the page from another', () => {
  const [b, d, f] = [host('b'), host('d'), host('f')];
  const [h, j, l] = [host('h'), host('j'), host('l')];
  const firstPage: ListView = { items: [b, d, f], total: 9, elsewhere: 0 };
  const secondPage: ListView = { items: [h, j, l], total: 9, elsewhere: 0 };

  it('brings a host renamed from a later page in, and the last row goes to the next page', () => {
    const view = applyHostEvent(firstPage, updated(host('p'), { hostname: 'c' }), query());
    expect(names(view)).toEqual(['b', 'c', 'd']);
    expect(view.total).toBe(9);
    expect(view.elsewhere).toBe(0);
    expect(view.reread).toBeUndefined();
  });

  it('brings a host renamed from an earlier page in, and the first row goes to the previous page', () => {
    const view = applyHostEvent(
      secondPage,
      updated(host('a'), { hostname: 'k' }),
      query({ page: 2 }),
    );
    expect(names(view)).toEqual(['j', 'k', 'l']);
    expect(view.total).toBe(9);
  });

  it('follows the sort column, not just the name', () => {
    const byResponse = query({ sort: 'response_time_ms', order: 'asc' });
    const rows = [10, 20, 30].map((ms, i) => host(`r${i}`, { response_time_ms: ms }));
    const page: ListView = { items: rows, total: 9, elsewhere: 0 };
    const slow = host('slow', { response_time_ms: 900 });
    const view = applyHostEvent(page, updated(slow, { response_time_ms: 15 }), byResponse);
    expect(names(view)).toEqual(['r0', 'slow', 'r1']);
  });

  it('asks for the rows when a host crosses the page from an earlier page to a later one', () => {
    // The rows shift by one, and the host may be the one that lands at the page's end.
    const view = applyHostEvent(
      secondPage,
      updated(host('a'), { hostname: 'm' }),
      query({ page: 2 }),
    );
    expect(names(view)).toEqual(['h', 'j', 'l']);
    expect(view).toMatchObject({ total: 9, reread: 'rows' });
  });

  it('leaves the page alone when a host moves between other pages', () => {
    const view = applyHostEvent(firstPage, updated(host('p'), { hostname: 'q' }), query());
    expect(view).toBe(firstPage);
  });
});

describe('host list: the total, across reads that events cross', () => {
  const [b, d, f] = [host('b'), host('d'), host('f')];
  const x = host('x');
  const firstPage: ListView = { items: [b, d, f], total: 7, elsewhere: 0 };

  it('asks to confirm the count after news from another page', () => {
    // The page last read may already count x: the event can arrive after the read that saw it.
    expect(applyHostEvent(firstPage, created(x), query()).reread).toBe('total');
    expect(applyHostEvent(firstPage, deleted(x), query()).reread).toBe('total');
  });

  it('applies an event that crossed a read again when the answer did not reflect it', () => {
    // d was deleted while the read was in flight; the answer was taken before.
    const view = applyRead(
      firstPage,
      { items: [b, d, f], total: 7 },
      { kind: 'rows', elsewhere: 0 },
      [deleted(d)],
      query(),
    );
    expect(names(view)).toEqual(['b', 'f']);
    expect(view).toMatchObject({ total: 6, reread: 'rows' });
  });

  it('does not apply an on-page event twice when the answer reflects it', () => {
    const c = host('c');
    const view = applyRead(
      firstPage,
      { items: [b, c, d], total: 8 },
      { kind: 'rows', elsewhere: 0 },
      [created(c)],
      query(),
    );
    expect(names(view)).toEqual(['b', 'c', 'd']);
    expect(view.total).toBe(8);
    expect(view.reread).toBeUndefined();
  });

  it('keeps the news counted when the read started, and counts crossing news once', () => {
    const view = applyRead(
      { ...firstPage, total: 9, elsewhere: 2 },
      { items: [b, d, f], total: 9 },
      { kind: 'rows', elsewhere: 1 },
      [created(x)],
      query(),
    );
    // x may be in the answer's 9 already: the count is read again.
    expect(view).toMatchObject({ elsewhere: 2, reread: 'total' });
  });

  it('asks for the rows when a confirmed count shows rows following a page left short', () => {
    const view = applyRead(
      { ...firstPage, items: [b, d], total: 5 },
      { items: [], total: 6 },
      { kind: 'total', elsewhere: 0 },
      [],
      query(),
    );
    expect(names(view)).toEqual(['b', 'd']);
    expect(view).toMatchObject({ total: 6, reread: 'rows' });
  });

  it('takes the count of a total read and keeps the rows on show', () => {
    const view = applyRead(
      firstPage,
      { items: [host('a'), b, d], total: 8 },
      { kind: 'total', elsewhere: 0 },
      [],
      query({ page: 2 }),
    );
    expect(names(view)).toEqual(['b', 'd', 'f']);
    expect(view.total).toBe(8);
  });

  it('does not trust the count of a total read that events crossed, and reads it again', () => {
    const view = applyRead(
      { ...firstPage, total: 8 },
      { items: [b, d, f], total: 8 },
      { kind: 'total', elsewhere: 0 },
      [created(x)],
      query(),
    );
    expect(view).toMatchObject({ total: 8, reread: 'total' });
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

describe('host list: states in order of severity', () => {
  it('sorts states worst first ascending, as the API does, not by name', () => {
    const states = ['HEALTHY', 'MAINTENANCE', 'DEGRADED', 'UNKNOWN', 'DOWN', 'CRITICAL'] as const;
    const hosts = states.map((s) => ({ ...host(s.toLowerCase()), monitoring_state: s }));
    const sorted = [...hosts].sort((x, y) => compareHosts(x, y, 'monitoring_state', 'asc'));
    expect(sorted.map((h) => h.monitoring_state)).toEqual([
      'DOWN',
      'CRITICAL',
      'DEGRADED',
      'UNKNOWN',
      'HEALTHY',
      'MAINTENANCE',
    ]);
  });
});
