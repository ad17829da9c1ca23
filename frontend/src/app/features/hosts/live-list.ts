import type { Host, HostEvent, HostSortField } from '../../core/api/api-types';
import type { HostsQuery } from './hosts-query';

/** What the host list shows: one page of rows, the total the paginator counts, and news. */
export interface ListView {
  items: Host[];
  total: number;
  /** Hosts created since the page was read that match the filters but sort onto another page. */
  elsewhere: number;
}

/** Whether the API would list this host under these filters (state, tag, text). */
export function matchesQuery(host: Host, query: HostsQuery): boolean {
  if (query.state.length > 0 && !query.state.includes(host.monitoring_state)) return false;
  const tag = query.tag.trim();
  if (tag && !host.tags.includes(tag)) return false;
  const text = query.q.trim().toLowerCase();
  if (text) {
    const inName = host.hostname.toLowerCase().includes(text);
    const inAddress = (host.ip_address ?? '').toLowerCase().includes(text);
    if (!inName && !inAddress) return false;
  }
  return true;
}

const TIMESTAMPS: ReadonlySet<HostSortField> = new Set([
  'next_check_at',
  'last_check_at',
  'created_at',
]);

function sortKey(host: Host, field: HostSortField): string | number | null {
  const value = host[field];
  if (value === null || value === undefined) return null;
  return TIMESTAMPS.has(field) ? Date.parse(value as string) : (value as string | number);
}

/**
 * The API's order: the sort column ascending with nulls last, or descending with nulls
 * first, then id ascending. Text compares by code point, as the database's C collation does.
 */
export function compareHosts(a: Host, b: Host, sort: HostSortField, order: 'asc' | 'desc'): number {
  const x = sortKey(a, sort);
  const y = sortKey(b, sort);
  let c = 0;
  if (x === null && y !== null) c = 1;
  else if (x !== null && y === null) c = -1;
  else if (x !== null && y !== null) c = x < y ? -1 : x > y ? 1 : 0;
  if (order === 'desc') c = -c;
  if (c !== 0) return c;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Whether a host that matches the filters sorts onto the page on show (rows without it). */
function sortsOntoPage(host: Host, rows: Host[], query: HostsQuery): boolean {
  if (rows.length === 0) return query.page === 1;
  const cmp = (other: Host) => compareHosts(host, other, query.sort, query.order);
  if (cmp(rows[0]) < 0) return query.page === 1;
  // Past the last row: only on the last page, when it has room.
  if (cmp(rows[rows.length - 1]) > 0) return rows.length < query.page_size;
  return true;
}

function insertSorted(host: Host, rows: Host[], query: HostsQuery): Host[] {
  const at = rows.findIndex((r) => compareHosts(host, r, query.sort, query.order) < 0);
  const next = at === -1 ? [...rows, host] : [...rows.slice(0, at), host, ...rows.slice(at)];
  return next.slice(0, query.page_size);
}

/**
 * The list after a host lifecycle event from the live stream. A new host that sorts onto
 * this page is inserted in place; one that sorts onto another page is counted in `total`
 * and `elsewhere` (the rows on show stay put rather than shift under the reader). A deleted
 * host leaves and the total drops; an updated one changes in place, or leaves when it no
 * longer matches the filters, or arrives when it now does.
 */
export function applyHostEvent(view: ListView, event: HostEvent, query: HostsQuery): ListView {
  const host = event.host;
  const present = view.items.some((h) => h.id === host.id);
  const rows = view.items.filter((h) => h.id !== host.id);

  switch (event.type) {
    case 'host_created': {
      if (present || !matchesQuery(host, query)) return view;
      if (sortsOntoPage(host, rows, query)) {
        return { ...view, items: insertSorted(host, rows, query), total: view.total + 1 };
      }
      return { ...view, total: view.total + 1, elsewhere: view.elsewhere + 1 };
    }
    case 'host_deleted': {
      if (present) return { ...view, items: rows, total: Math.max(0, view.total - 1) };
      if (!matchesQuery(host, query)) return view;
      return { ...view, total: Math.max(0, view.total - 1) };
    }
    case 'host_updated': {
      const wasIn = matchesQuery(event.previous, query);
      const isIn = matchesQuery(host, query);
      const total = view.total + (isIn ? 1 : 0) - (wasIn ? 1 : 0);
      if (present) {
        if (isIn && sortsOntoPage(host, rows, query)) {
          return { ...view, items: insertSorted(host, rows, query), total };
        }
        // No longer listed, or moved to another page by its new sort position.
        return { ...view, items: rows, total: Math.max(0, total) };
      }
      if (isIn && !wasIn) {
        if (sortsOntoPage(host, rows, query)) {
          return { ...view, items: insertSorted(host, rows, query), total };
        }
        return { ...view, total, elsewhere: view.elsewhere + 1 };
      }
      return { ...view, total: Math.max(0, total) };
    }
  }
}
