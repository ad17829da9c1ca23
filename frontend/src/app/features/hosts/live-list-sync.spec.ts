import type { Host, HostEvent } from '../../core/api/api-types';
import { DEFAULT_QUERY, type HostsQuery } from './hosts-query';
import { compareHosts, matchesQuery, type ListView, type PageAnswer } from './live-list';
import {
  LiveListSync,
  QUIET_READ_DELAY_MS,
  QUIET_READ_RETRIES,
  QUIET_READ_RETRY_MS,
  type PageRead,
} from './live-list-sync';
import { fakeHost } from './host.fixture';

/** Timers on a clock the spec moves. */
class FakeTime {
  now = 0;
  private seq = 0;
  private tasks: { at: number; seq: number; fn: () => void }[] = [];

  setTimeout = (fn: () => void, ms: number): unknown => {
    const task = { at: this.now + ms, seq: ++this.seq, fn };
    this.tasks.push(task);
    return task;
  };
  clearTimeout = (handle: unknown): void => {
    this.tasks = this.tasks.filter((t) => t !== handle);
  };
  /** Runs everything due up to `now + ms`, in time order. */
  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const next = [...this.tasks]
        .filter((t) => t.at <= until)
        .sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!next) break;
      this.tasks = this.tasks.filter((t) => t !== next);
      this.now = next.at;
      next.fn();
    }
    this.now = until;
  }
  /** Runs until nothing is left to run (events settled, reads answered). */
  settle(): void {
    for (let i = 0; this.tasks.length > 0; i++) {
      if (i > 10_000) throw new Error('never settles');
      this.advance(Math.max(0, Math.min(...this.tasks.map((t) => t.at)) - this.now));
    }
  }
}

const host = fakeHost;

/** The API's side: the hosts, what a page read answers, and the events each change sends. */
class Server {
  readonly hosts = new Map<string, Host>();
  constructor(hosts: Host[] = []) {
    for (const h of hosts) this.hosts.set(h.id, h);
  }
  page(query: HostsQuery): PageAnswer {
    const listed = [...this.hosts.values()]
      .filter((h) => matchesQuery(h, query))
      .sort((a, b) => compareHosts(a, b, query.sort, query.order));
    const from = (query.page - 1) * query.page_size;
    return { items: listed.slice(from, from + query.page_size), total: listed.length };
  }
  create(h: Host): HostEvent {
    this.hosts.set(h.id, h);
    return { type: 'host_created', host: h, at: '' };
  }
  delete(id: string): HostEvent {
    const h = this.hosts.get(id)!;
    this.hosts.delete(id);
    return { type: 'host_deleted', host: h, at: '' };
  }
  update(id: string, change: Partial<Host>): HostEvent {
    const previous = this.hosts.get(id)!;
    const h = { ...previous, ...change };
    this.hosts.set(id, h);
    return { type: 'host_updated', host: h, previous, at: '' };
  }
}

interface Latency {
  /** How long a page read takes to answer. */
  read: () => number;
  /** When, within the read, the API reads rows and when it counts (two statements). */
  rowsAt: () => number;
  countAt: () => number;
}

/**
 * The host list page as far as the list goes: the sync between its one reader (a newer read
 * replaces the one in flight) and the live stream, against a Server on the fake clock.
 */
class Page {
  view: ListView = { items: [], total: 0, elsewhere: 0 };
  readonly reads: PageRead[] = [];
  /** Reads still to fail (the API unreachable), counted down as they answer. */
  failing = 0;
  private current = 0;
  readonly sync: LiveListSync;

  constructor(
    private readonly server: Server,
    private readonly time: FakeTime,
    readonly query: HostsQuery,
    private readonly latency: Latency = { read: () => 20, rowsAt: () => 0.5, countAt: () => 0.5 },
  ) {
    this.sync = new LiveListSync((kind) => this.read({ kind, fresh: false }), time);
  }

  read(read: PageRead): void {
    this.reads.push(read);
    this.sync.started(this.view, read);
    const id = ++this.current;
    const took = this.latency.read();
    const answer: PageAnswer = { items: [], total: 0 };
    this.time.setTimeout(
      () => (answer.items = this.server.page(this.query).items),
      took * this.latency.rowsAt(),
    );
    this.time.setTimeout(
      () => (answer.total = this.server.page(this.query).total),
      took * this.latency.countAt(),
    );
    this.time.setTimeout(() => {
      if (id !== this.current) return; // replaced (switchMap)
      if (this.failing > 0) {
        this.failing -= 1;
        this.sync.failed();
        return;
      }
      this.view = this.sync.answered(this.view, answer, this.query);
    }, took);
  }

  open(): void {
    this.read({ kind: 'rows', fresh: true });
    this.time.settle();
  }

  deliver(event: HostEvent): void {
    this.view = this.sync.event(this.view, event, this.query);
  }

  names(): string[] {
    return this.view.items.map((h) => h.hostname);
  }
}

const query = (change: Partial<HostsQuery> = {}): HostsQuery => ({
  ...DEFAULT_QUERY,
  sort: 'hostname',
  page_size: 3,
  ...change,
});
/** b d f | h j l | n */
const fleet = () => ['b', 'd', 'f', 'h', 'j', 'l', 'n'].map((name) => host(name));

describe('host list sync: when the page is read again', () => {
  let time: FakeTime;
  let server: Server;
  let page: Page;
  beforeEach(() => {
    time = new FakeTime();
    server = new Server(fleet());
    page = new Page(server, time, query());
    page.open();
  });
  const byName = (name: string) => [...server.hosts.values()].find((h) => h.hostname === name)!;

  it("fills the gap a delete leaves with the next page's first row, quietly", () => {
    page.deliver(server.delete(byName('d').id));
    expect(page.names()).toEqual(['b', 'f']);
    time.settle();
    expect(page.names()).toEqual(['b', 'f', 'h']);
    expect(page.view.total).toBe(6);
    expect(page.reads).toEqual([
      { kind: 'rows', fresh: true },
      { kind: 'rows', fresh: false },
    ]);
  });

  it('tries a failed quiet read again, QUIET_READ_RETRY_MS later', () => {
    page.failing = 1;
    page.deliver(server.delete(byName('d').id));
    time.advance(QUIET_READ_DELAY_MS + 20); // the quiet read failed
    expect(page.reads).toHaveLength(2);
    expect(page.names()).toEqual(['b', 'f']);
    time.advance(QUIET_READ_RETRY_MS - 1);
    expect(page.reads).toHaveLength(2);
    time.advance(1);
    expect(page.reads).toEqual([
      { kind: 'rows', fresh: true },
      { kind: 'rows', fresh: false },
      { kind: 'rows', fresh: false },
    ]);
    time.settle();
    expect(page.names()).toEqual(['b', 'f', 'h']);
    expect(page.view.total).toBe(6);
  });

  it('gives up after QUIET_READ_RETRIES failures in a row, until the next event', () => {
    page.failing = 1 + QUIET_READ_RETRIES;
    page.deliver(server.delete(byName('d').id));
    time.settle();
    expect(page.reads).toHaveLength(2 + QUIET_READ_RETRIES);
    expect(page.names()).toEqual(['b', 'f']);
    page.deliver(server.delete(byName('b').id));
    time.settle();
    expect(page.reads).toHaveLength(3 + QUIET_READ_RETRIES);
    expect(page.names()).toEqual(['f', 'h', 'j']);
    expect(page.view.total).toBe(5);
  });

  it('reads once for a burst, QUIET_READ_DELAY_MS after its first event', () => {
    page.deliver(server.delete(byName('d').id));
    time.advance(100);
    page.deliver(server.delete(byName('b').id));
    time.advance(QUIET_READ_DELAY_MS - 101);
    expect(page.reads).toHaveLength(1);
    time.advance(1);
    expect(page.reads).toHaveLength(2);
    time.settle();
    expect(page.reads).toHaveLength(2);
    expect(page.names()).toEqual(['f', 'h', 'j']);
    expect(page.view.total).toBe(5);
  });

  it('never reads while a read is in flight, and reads once more after it', () => {
    page.deliver(server.delete(byName('d').id));
    time.advance(QUIET_READ_DELAY_MS + 5); // the quiet read is in flight
    page.deliver(server.delete(byName('f').id));
    time.advance(QUIET_READ_DELAY_MS);
    expect(page.reads).toHaveLength(2);
    time.settle();
    expect(page.reads).toHaveLength(3);
    expect(page.names()).toEqual(['b', 'h', 'j']);
    expect(page.view.total).toBe(5);
  });

  it('drops a quiet read that a navigation or refresh read makes needless', () => {
    page.deliver(server.delete(byName('d').id));
    page.read({ kind: 'rows', fresh: true });
    time.settle();
    expect(page.reads.filter((r) => !r.fresh)).toEqual([]);
    expect(page.names()).toEqual(['b', 'f', 'h']);
  });

  it('moves a host renamed on another page onto this one at once, with no read of the rows', () => {
    page.deliver(server.update(byName('j').id, { hostname: 'c' }));
    expect(page.names()).toEqual(['b', 'c', 'd']);
    time.settle();
    expect(page.names()).toEqual(['b', 'c', 'd']);
    // Only the count is confirmed.
    expect(page.reads.slice(1)).toEqual([{ kind: 'total', fresh: false }]);
  });

  it("keeps the rows on show while it confirms the count after another page's news", () => {
    const second = new Page(server, time, query({ page: 2 }));
    second.open();
    second.deliver(server.create(host('a')));
    time.settle();
    // a sorts onto page 1: announced, not shifted in under the reader.
    expect(second.names()).toEqual(['h', 'j', 'l']);
    expect(second.view).toMatchObject({ total: 8, elsewhere: 1 });
    expect(second.reads.slice(1)).toEqual([{ kind: 'total', fresh: false }]);
  });

  it('keeps the news announced across quiet reads, and starts it afresh on a navigation', () => {
    const second = new Page(server, time, query({ page: 2 }));
    second.open();
    second.deliver(server.create(host('a')));
    time.settle();
    second.deliver(server.delete(byName('j').id));
    time.settle();
    expect(second.reads.at(-1)).toEqual({ kind: 'rows', fresh: false });
    expect(second.view.elsewhere).toBe(1);
    second.read({ kind: 'rows', fresh: true });
    time.settle();
    expect(second.view.elsewhere).toBe(0);
  });
});

describe('host list sync: events that cross a read', () => {
  let time: FakeTime;
  let server: Server;
  let page: Page;
  beforeEach(() => {
    time = new FakeTime();
    server = new Server(fleet());
    page = new Page(server, time, query(), {
      read: () => 100,
      rowsAt: () => 0.5,
      countAt: () => 0.5,
    });
    page.open();
  });

  it('counts an off-page host created while a read is in flight once, when the answer has it', () => {
    page.read({ kind: 'rows', fresh: true });
    time.advance(10);
    const event = server.create(host('x')); // before the API reads at 50 ms
    time.advance(20);
    page.deliver(event); // while the read is in flight
    time.settle();
    expect(page.view.total).toBe(8);
    expect(page.view.total).toBe(server.page(page.query).total);
  });

  it('counts an off-page host created while a read is in flight once, when the answer has not', () => {
    page.read({ kind: 'rows', fresh: true });
    time.advance(60); // the API has answered, the answer is on its way
    page.deliver(server.create(host('x')));
    time.settle();
    expect(page.view.total).toBe(8);
  });

  it('counts an event once when it arrives after an answer that already counted it', () => {
    page.read({ kind: 'rows', fresh: true });
    time.advance(10);
    const event = server.create(host('x'));
    time.settle(); // the answer counts x: 8
    expect(page.view.total).toBe(8);
    page.deliver(event); // the stream was slower than the read
    time.settle();
    expect(page.view.total).toBe(8);
  });

  it('removes an on-page host deleted while a read is in flight, whether or not the answer has it', () => {
    const d = [...server.hosts.values()].find((h) => h.hostname === 'd')!;
    page.read({ kind: 'rows', fresh: true });
    time.advance(60); // the answer still lists d
    page.deliver(server.delete(d.id));
    time.settle();
    expect(page.names()).toEqual(['b', 'f', 'h']);
    expect(page.view.total).toBe(6);
  });
});

/** mulberry32: the same sequence for the same seed, so a failure names its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Random changes to a fleet (creates, deletes, renames, tag changes) while the page is open,
 * with the stream delivering each event late by a random delay (in order, sometimes after a
 * read that already saw it), reads of random length whose rows and count are read at random
 * moments of their own, and now and then a refresh.
 */
function simulate(seed: number, q: HostsQuery): { page: Page; server: Server } {
  const rnd = random(seed);
  const pick = <T>(items: T[]): T => items[Math.floor(rnd() * items.length)];
  const time = new FakeTime();
  const names = new Set<string>();
  const freshName = () => {
    for (;;) {
      const name = `h${String(Math.floor(rnd() * 100)).padStart(2, '0')}`;
      if (!names.has(name)) {
        names.add(name);
        return name;
      }
    }
  };
  const tags = () => (rnd() < 0.6 ? ['db'] : []);
  const server = new Server(Array.from({ length: 14 }, () => host(freshName(), { tags: tags() })));
  const page = new Page(server, time, q, {
    read: () => 5 + rnd() * 300,
    rowsAt: rnd,
    countAt: rnd,
  });
  page.open();
  let delivered = 0;
  const send = (event: HostEvent) => {
    delivered = Math.max(delivered, time.now + rnd() * 400);
    time.setTimeout(() => page.deliver(event), delivered - time.now);
  };
  for (let step = 0; step < 25; step++) {
    time.advance(rnd() * 200);
    const ids = [...server.hosts.keys()];
    const roll = rnd();
    if (roll < 0.3 || ids.length < 4) send(server.create(host(freshName(), { tags: tags() })));
    else if (roll < 0.55) send(server.delete(pick(ids)));
    else if (roll < 0.8) send(server.update(pick(ids), { hostname: freshName() }));
    else if (roll < 0.95) send(server.update(pick(ids), { tags: tags() }));
    else page.read({ kind: 'rows', fresh: true });
  }
  time.settle();
  return { page, server };
}

describe('host list sync: random changes while the page is open', () => {
  const seeds = Array.from({ length: 300 }, (_, i) => i + 1);

  it.each([
    ['page 1', query({ page_size: 4 })],
    ['page 1, tag filter', query({ page_size: 4, tag: 'db' })],
    ['page 1, newest first', query({ page_size: 4, sort: 'hostname', order: 'desc' })],
  ])("ends on the server's rows and total once events settle (%s)", (_, q) => {
    // Page 1 has no earlier page whose news could shift it: its rows are exactly the server's.
    for (const seed of seeds) {
      const { page, server } = simulate(seed, q);
      const expected = server.page(q);
      expect({ seed, rows: page.names(), total: page.view.total }).toEqual({
        seed,
        rows: expected.items.map((h) => h.hostname),
        total: expected.total,
      });
    }
  });

  it.each([
    ['page 2', query({ page: 2, page_size: 4 })],
    ['page 3, tag filter', query({ page: 3, page_size: 3, tag: 'db' })],
  ])("ends on the server's total, with rows that are listed and in order (%s)", (_, q) => {
    // Further pages keep their rows when an earlier page's news would shift them.
    for (const seed of seeds) {
      const { page, server } = simulate(seed, q);
      const listed = [...server.hosts.values()].filter((h) => matchesQuery(h, q));
      const rows = page.view.items;
      expect({ seed, total: page.view.total }).toEqual({ seed, total: listed.length });
      for (const row of rows) {
        expect({ seed, row: server.hosts.get(row.id) }).toEqual({ seed, row });
        expect(matchesQuery(row, q)).toBe(true);
      }
      const sorted = [...rows].sort((a, b) => compareHosts(a, b, q.sort, q.order));
      expect(sorted).toEqual(rows);
      expect(rows.length).toBeLessThanOrEqual(q.page_size);
    }
  });
});
