import type { Host, HostEvent, HostSortField } from '../../core/api/api-types';
import type { HostsQuery } from './hosts-query';
import { severityRank } from '../../shared/severity';

/**
 * What only a read of the page can settle: `rows` when the page's membership cannot be worked
 * out here (a gap that the next page's first row should fill, a host that may have moved onto
 * this page), which settles the total as well; `total` when only the count is uncertain (news
 * from another page, which the page last read may or may not already have counted).
 */
export type Reread = 'rows' | 'total';

/** What the host list shows: one page of rows, the total the paginator counts, and news. */
export interface ListView {
  items: Host[];
  total: number;
  /** Hosts created since the page was read that match the filters but sort onto another page. */
  elsewhere: number;
  /** Set when applying an event left something for a quiet read of the page to settle. */
  reread?: Reread;
}

/** The wider of two rereads: reading the rows settles the total too. */
export function widerReread(a: Reread | undefined, b: Reread | undefined): Reread | undefined {
  return a === 'rows' || b === 'rows' ? 'rows' : (a ?? b);
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
  // States sort by severity, worst first ascending, as the API sorts them.
  if (field === 'monitoring_state') return severityRank(host.monitoring_state);
  const value = host[field];
  if (value === null || value === undefined) return null;
  return TIMESTAMPS.has(field) ? Date.parse(value as string) : (value as string | number);
}

/**
 * The API's order (states by severity, not by name): the sort column ascending with nulls last, or descending with nulls
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

/** Where a host that matches the filters falls against the rows on show (the rows without it). */
type Place = 'before' | 'on' | 'after';

/**
 * `on`: it belongs among these rows. `before`: on an earlier page (never on page 1). `after`:
 * on a later page, or, when `more` (rows follow this page) and the page has room left by a
 * removal, possibly here: only the server knows which row fills that gap. An empty page that
 * rows follow is all gap.
 */
function place(host: Host, rows: Host[], query: HostsQuery, more: boolean): Place {
  if (rows.length === 0) return more ? 'after' : query.page === 1 ? 'on' : 'before';
  const cmp = (other: Host) => compareHosts(host, other, query.sort, query.order);
  if (cmp(rows[0]) < 0) return query.page === 1 ? 'on' : 'before';
  // Past the last row: here only on the last page, when it has room.
  if (cmp(rows[rows.length - 1]) > 0)
    return rows.length < query.page_size && !more ? 'on' : 'after';
  return 'on';
}

/** Whether the total says matching hosts sort after this page's rows. */
function rowsFollow(view: ListView, query: HostsQuery): boolean {
  return view.total > (query.page - 1) * query.page_size + view.items.length;
}

/**
 * Whether rows may follow this page. A full page may always be followed: the total is only
 * the server's once a read has confirmed it (an event applied again to an answer that had
 * it already counts it twice), so it never alone proves a full page the last.
 */
function mayContinue(view: ListView, query: HostsQuery): boolean {
  return view.items.length >= query.page_size || rowsFollow(view, query);
}

function insertSorted(host: Host, rows: Host[], query: HostsQuery): Host[] {
  const at = rows.findIndex((r) => compareHosts(host, r, query.sort, query.order) < 0);
  const next = at === -1 ? [...rows, host] : [...rows.slice(0, at), host, ...rows.slice(at)];
  return next.slice(0, query.page_size);
}

function flagged(view: ListView, change: Partial<ListView>, reread?: Reread): ListView {
  const next: ListView = { ...view, ...change };
  const wider = widerReread(view.reread, reread);
  if (wider) next.reread = wider;
  if (next.total < 0) next.total = 0;
  return next;
}

/**
 * The list after a host lifecycle event from the live stream.
 *
 * A host on this page before or after the event is placed here when that can be worked out:
 * a new host that sorts onto the page is inserted in place, a changed one is moved or changed
 * in place, and one moved here from another page comes in (the row it pushes out goes to the
 * next page, or, coming from an earlier page, the first row goes to the previous one). Where
 * only the server can tell, `reread` says `rows`: a host that leaves while more rows may follow
 * leaves a gap for the next page's first row, a row moved past an edge of the page stays at
 * that edge until the server says whether it still belongs, and a host that may have moved
 * here across the page is placed by the server.
 *
 * News from other pages never moves the rows on show: a new host that sorts elsewhere is
 * counted in `total` and `elsewhere`, and a deleted one drops the total. Such counts may
 * already be in the page last read (an event can arrive after the read that saw its change),
 * so `reread` says `total`. Events for a host already shown as the event leaves it change
 * nothing, so applying an event twice is harmless.
 */
export function applyHostEvent(view: ListView, event: HostEvent, query: HostsQuery): ListView {
  const host = event.host;
  const present = view.items.some((h) => h.id === host.id);
  const rows = view.items.filter((h) => h.id !== host.id);
  const more = mayContinue(view, query);

  switch (event.type) {
    case 'host_created': {
      if (present || !matchesQuery(host, query)) return view;
      return arrive(view, host, rows, query, more);
    }
    case 'host_deleted': {
      // A gap: the next page's first row slides up.
      if (present)
        return flagged(view, { items: rows, total: view.total - 1 }, more ? 'rows' : undefined);
      if (!matchesQuery(host, query)) return view;
      return flagged(view, { total: view.total - 1 }, 'total');
    }
    case 'host_updated': {
      const wasIn = matchesQuery(event.previous, query);
      const isIn = matchesQuery(host, query);
      if (present) {
        // The page shows the host, so the total counts it: it stays counted, or leaves.
        if (!isIn) {
          // Out of the list: when more rows follow, the next page's first slides up.
          return flagged(view, { items: rows, total: view.total - 1 }, more ? 'rows' : undefined);
        }
        const items = insertSorted(host, rows, query);
        // Sorted past either edge of the page: it stays at that edge until the server says
        // whether it is still here, or which row takes its place (from the previous page's
        // end, or the next page's start).
        if (place(host, rows, query, more) === 'on') return { ...view, items };
        return flagged(view, { items }, 'rows');
      }
      if (isIn && !wasIn) return arrive(view, host, rows, query, more);
      if (wasIn && !isIn) return flagged(view, { total: view.total - 1 }, 'total');
      if (!isIn) return view;
      // Listed before and after, on another page before: it may have moved here.
      const from = place(event.previous, rows, query, more);
      const to = place(host, rows, query, more);
      if (from === to && to !== 'on') return view;
      if (to === 'on' && from === 'after') {
        return { ...view, items: insertSorted(host, rows, query) };
      }
      if (to === 'on' && from === 'before') {
        return { ...view, items: insertSorted(host, rows.slice(1), query) };
      }
      // Across the page from one side to the other (the rows shift by one, and the host may
      // be the one that lands at the edge), or a page that no longer agrees with itself.
      return flagged(view, {}, 'rows');
    }
  }
}

/** A host that joins the list (created, or now matching the filters). */
function arrive(
  view: ListView,
  host: Host,
  rows: Host[],
  query: HostsQuery,
  more: boolean,
): ListView {
  const total = view.total + 1;
  const where = place(host, rows, query, more);
  if (where === 'on') return { ...view, items: insertSorted(host, rows, query), total };
  // Past the rows of a page left short by a removal: it may be the row that fills the gap.
  if (where === 'after' && rows.length < query.page_size) return flagged(view, { total }, 'rows');
  return flagged(view, { total, elsewhere: view.elsewhere + 1 }, 'total');
}

/** A read of the page as the API answered it. */
export interface PageAnswer {
  items: Host[];
  total: number;
}

/**
 * The list after a read of the page answered. A `rows` read takes the answer's rows and
 * total, keeping `elsewhere` (the news counted when the read started); a `total` read only
 * confirms the count, so the rows on show stay put.
 *
 * `crossed` are the events that arrived while the read was in flight: the answer may or may
 * not reflect each of them. A `rows` answer has them applied again (a host already shown as
 * the event leaves it is not changed or counted twice), and what stays uncertain asks for
 * another read. A `total` answer that events crossed cannot be trusted, nor corrected: the
 * count is read once more.
 */
export function applyRead(
  view: ListView,
  answer: PageAnswer,
  read: { kind: Reread; elsewhere: number },
  crossed: readonly HostEvent[],
  query: HostsQuery,
): ListView {
  let next: ListView;
  if (read.kind === 'total') {
    next = crossed.length > 0 ? flagged(view, {}, 'total') : { ...view, total: answer.total };
  } else {
    next = { items: answer.items, total: answer.total, elsewhere: read.elsewhere };
    for (const event of crossed) next = applyHostEvent(next, event, query);
  }
  // A page left short while rows follow: a gap that events judged by a count since corrected
  // (a crossing event applied again may have been counted twice) did not ask to fill.
  const short = next.items.length < query.page_size && rowsFollow(next, query);
  return short ? flagged(next, {}, 'rows') : next;
}
