import { EventStream, reconnectDelay, StreamDeps, StreamStatus } from './event-stream';

/** A hand-driven world: timers run when the spec says, fetch answers what the spec queues. */
class World implements StreamDeps {
  timers: { fn: () => void; ms: number; id: number }[] = [];
  answers: (() => Promise<Response>)[] = [];
  requests: RequestInit[] = [];
  private nextId = 1;

  fetch = (_url: string, init: RequestInit): Promise<Response> => {
    this.requests.push(init);
    const answer = this.answers.shift();
    if (!answer) return Promise.reject(new Error('connection refused'));
    return answer();
  };
  setTimeout = (fn: () => void, ms: number): unknown => {
    const id = this.nextId++;
    this.timers.push({ fn, ms, id });
    return id;
  };
  clearTimeout = (handle: unknown): void => {
    this.timers = this.timers.filter((t) => t.id !== handle);
  };
  random = (): number => 1;

  /** Runs the retry timer (the longest-delay-free one: retries are the only non-idle timers). */
  runRetry(): number {
    const timer = this.timers.find((t) => t.ms < 45_000);
    if (!timer) throw new Error('no retry scheduled');
    this.clearTimeout(timer.id);
    timer.fn();
    return timer.ms;
  }
}

/** A streaming body the spec writes to, then ends or breaks. */
function liveBody() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => (controller = c) });
  const encoder = new TextEncoder();
  return {
    response: new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } }),
    write: (text: string) => controller.enqueue(encoder.encode(text)),
    end: () => controller.close(),
    fail: () => controller.error(new Error('reset')),
  };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

function setup(world: World, extra: { onUnauthorized?: () => Promise<boolean> } = {}) {
  const statuses: StreamStatus[] = [];
  const messages: string[] = [];
  let reconnected = 0;
  const stream = new EventStream(
    {
      url: '/api/events',
      headers: () => ({ Authorization: 'Bearer t1' }),
      onMessage: (m) => messages.push(`${m.event}:${m.data}`),
      onStatus: (s) => statuses.push(s),
      onReconnected: () => (reconnected += 1),
      minDelayMs: 1000,
      maxDelayMs: 30_000,
      ...extra,
    },
    world,
  );
  return { stream, statuses, messages, reconnected: () => reconnected };
}

describe('reconnectDelay', () => {
  it('grows exponentially from the minimum and stops at the maximum', () => {
    const delays = [0, 1, 2, 3, 4, 5, 6, 10].map((a) => reconnectDelay(a, 1000, 30_000, 1));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  it('never waits less than half the minimum, whatever the jitter', () => {
    for (const attempt of [0, 3, 9]) expect(reconnectDelay(attempt, 1000, 30_000, 0)).toBe(500);
  });
});

describe('EventStream', () => {
  it('delivers messages in order and sends the auth header', async () => {
    const world = new World();
    const body = liveBody();
    world.answers.push(async () => body.response);
    const { stream, statuses, messages } = setup(world);
    stream.start();
    await flush();
    body.write('event: check\ndata: {"n":1}\n\nevent: transition\ndata: {"n":2}\n\n');
    await flush();
    expect(messages).toEqual(['check:{"n":1}', 'transition:{"n":2}']);
    expect(statuses).toEqual(['connecting', 'open']);
    expect((world.requests[0].headers as Record<string, string>)['Authorization']).toBe(
      'Bearer t1',
    );
    stream.stop();
  });

  it('reconnects with growing delays while the server is away, then tells pages to re-read', async () => {
    const world = new World();
    const { stream, statuses, reconnected } = setup(world);
    const first = liveBody();
    world.answers.push(async () => first.response);
    stream.start();
    await flush();
    first.end(); // the server went away
    await flush();
    expect(statuses.at(-1)).toBe('reconnecting');

    // Two failed attempts (nothing queued: fetch rejects), each waiting longer.
    const waits = [world.runRetry()];
    await flush();
    waits.push(world.runRetry());
    await flush();
    const second = liveBody();
    world.answers.push(async () => second.response);
    waits.push(world.runRetry());
    await flush();
    expect(waits).toEqual([1000, 2000, 4000]);
    expect(statuses.at(-1)).toBe('open');
    expect(reconnected()).toBe(1);

    // A good connection resets the backoff.
    second.fail();
    await flush();
    expect(world.runRetry()).toBe(1000);
    stream.stop();
  });

  it('treats a silent stream as dead and reconnects', async () => {
    const world = new World();
    const body = liveBody();
    world.answers.push(async () => body.response);
    const { stream, statuses } = setup(world);
    stream.start();
    await flush();
    const idle = world.timers.find((t) => t.ms === 45_000);
    expect(idle).toBeDefined();
    idle!.fn(); // 45 s without a byte (pings come every 20 s)
    await flush();
    await flush();
    expect(statuses.at(-1)).toBe('reconnecting');
    stream.stop();
  });

  it('asks for a fresh token on 401 before trying again', async () => {
    const world = new World();
    world.answers.push(async () => new Response('', { status: 401 }));
    let refreshed = 0;
    const { stream, statuses } = setup(world, {
      onUnauthorized: async () => {
        refreshed += 1;
        return true;
      },
    });
    stream.start();
    await flush();
    await flush();
    expect(refreshed).toBe(1);
    expect(statuses.at(-1)).toBe('reconnecting');
    stream.stop();
  });

  it('stays closed after stop: no timer left behind, no reconnect', async () => {
    const world = new World();
    const body = liveBody();
    world.answers.push(async () => body.response);
    const { stream, statuses } = setup(world);
    stream.start();
    await flush();
    stream.stop();
    await flush();
    await flush();
    expect(statuses.at(-1)).toBe('closed');
    expect(world.timers).toEqual([]);
  });
});
