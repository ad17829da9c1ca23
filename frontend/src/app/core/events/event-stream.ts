import { SseMessage, SseParser } from './sse-parser';

export type StreamStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** What the stream needs from the outside world, so specs can drive it without a network. */
export interface StreamDeps {
  fetch: (url: string, init: RequestInit) => Promise<Response>;
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
  random: () => number;
}

export interface StreamOptions {
  url: string;
  headers: () => Record<string, string>;
  onMessage: (message: SseMessage) => void;
  onStatus: (status: StreamStatus, detail?: string) => void;
  /** Called after every successful (re)connection but the first: state may have moved on. */
  onReconnected?: () => void;
  /** Called on 401, before retrying (the auth service refreshes the token there). */
  onUnauthorized?: () => Promise<boolean>;
  /** No bytes for this long means the stream is dead (the server pings every 20 s). */
  idleTimeoutMs?: number;
  minDelayMs?: number;
  maxDelayMs?: number;
}

/** Exponential backoff with full jitter: attempt 0 waits up to minDelay, doubling to maxDelay. */
export function reconnectDelay(attempt: number, min: number, max: number, random: number): number {
  const ceiling = Math.min(max, min * 2 ** Math.max(0, attempt));
  return Math.round(min / 2 + random * (ceiling - min / 2));
}

/**
 * A Server-Sent Events client over fetch (EventSource cannot send an Authorization header):
 * parses the stream, notices a dead one by its silence, and reconnects with backoff for as
 * long as it is open. It never reloads anything itself; onReconnected lets pages re-read.
 */
export class EventStream {
  private controller: AbortController | null = null;
  private idleTimer: unknown = null;
  private retryTimer: unknown = null;
  private attempt = 0;
  private connectedOnce = false;
  private stopped = false;
  private serverRetryMs: number | null = null;

  constructor(
    private readonly options: StreamOptions,
    private readonly deps: StreamDeps,
  ) {}

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.deps.clearTimeout(this.retryTimer);
    this.deps.clearTimeout(this.idleTimer);
    this.controller?.abort();
    this.controller = null;
    this.options.onStatus('closed');
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.options.onStatus(this.connectedOnce ? 'reconnecting' : 'connecting');
    const controller = new AbortController();
    this.controller = controller;
    let response: Response;
    try {
      response = await this.deps.fetch(this.options.url, {
        headers: { Accept: 'text/event-stream', ...this.options.headers() },
        signal: controller.signal,
        cache: 'no-store',
      });
    } catch (error) {
      this.scheduleRetry(
        `cannot reach the server (${(error as Error)?.message ?? 'network error'})`,
      );
      return;
    }
    if (response.status === 401 && this.options.onUnauthorized) {
      await this.options.onUnauthorized();
    }
    if (!response.ok || !response.body) {
      this.scheduleRetry(`the server answered HTTP ${response.status}`);
      return;
    }
    await this.read(response.body, controller);
  }

  private async read(body: ReadableStream<Uint8Array>, controller: AbortController): Promise<void> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    const parser = new SseParser();
    this.attempt = 0;
    this.options.onStatus('open');
    if (this.connectedOnce) this.options.onReconnected?.();
    this.connectedOnce = true;
    let silent = false;
    // Silence means a dead connection: abort the request and end the read loop.
    const onSilence = () => {
      silent = true;
      controller.abort();
      void reader.cancel().catch(() => undefined);
    };
    this.armIdle(onSilence);
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        this.armIdle(onSilence);
        for (const message of parser.feed(decoder.decode(value, { stream: true }))) {
          if (message.retry !== null) this.serverRetryMs = message.retry;
          this.options.onMessage(message);
        }
      }
      this.scheduleRetry(silent ? 'no data for too long' : 'the server closed the stream');
    } catch {
      this.scheduleRetry(silent ? 'no data for too long' : 'the stream broke');
    } finally {
      this.deps.clearTimeout(this.idleTimer);
    }
  }

  private armIdle(onSilence: () => void): void {
    this.deps.clearTimeout(this.idleTimer);
    this.idleTimer = this.deps.setTimeout(onSilence, this.options.idleTimeoutMs ?? 45_000);
  }

  private scheduleRetry(reason: string): void {
    if (this.stopped) return;
    const min = Math.max(this.options.minDelayMs ?? 1000, this.serverRetryMs ?? 0);
    const delay = reconnectDelay(
      this.attempt,
      min,
      this.options.maxDelayMs ?? 30_000,
      this.deps.random(),
    );
    this.attempt += 1;
    this.options.onStatus('reconnecting', `${reason}; retrying in ${Math.ceil(delay / 1000)} s`);
    this.retryTimer = this.deps.setTimeout(() => void this.connect(), delay);
  }
}
