import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';

export interface SseMessage {
  event: string;
  data: Record<string, unknown>;
}

export interface SseStream {
  response: IncomingMessage;
  messages: SseMessage[];
  /** The first message (already received or still to come) that matches. */
  next(predicate: (m: SseMessage) => boolean, timeoutMs?: number): Promise<SseMessage>;
  close(): void;
}

/**
 * Opens GET /api/events (with a bearer token, or none to see the refusal) and collects its
 * messages until closed.
 */
export function openEventStream(baseUrl: string, token: string | null): Promise<SseStream> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Accept: 'text/event-stream' };
    if (token) headers.Authorization = `Bearer ${token}`;
    const req: ClientRequest = httpRequest(`${baseUrl}/api/events`, { headers });
    req.on('error', reject);
    req.on('response', (response) => {
      const messages: SseMessage[] = [];
      const waiters = new Set<{
        predicate: (m: SseMessage) => boolean;
        resolve: (m: SseMessage) => void;
      }>();
      let buffer = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
          const data = block
            .split('\n')
            .filter((l) => l.startsWith('data: '))
            .map((l) => l.slice(6))
            .join('\n');
          if (!data) continue;
          const message = { event, data: JSON.parse(data) as Record<string, unknown> };
          messages.push(message);
          for (const w of [...waiters]) {
            if (!w.predicate(message)) continue;
            waiters.delete(w);
            w.resolve(message);
          }
        }
      });
      resolve({
        response,
        messages,
        next: (predicate, timeoutMs = 20_000) => {
          const seen = messages.find(predicate);
          if (seen) return Promise.resolve(seen);
          return new Promise((res, rej) => {
            const waiter = {
              predicate,
              resolve: (m: SseMessage) => {
                clearTimeout(timer);
                res(m);
              },
            };
            const timer = setTimeout(() => {
              waiters.delete(waiter);
              rej(
                new Error(`no matching event in ${timeoutMs} ms; got ${JSON.stringify(messages)}`),
              );
            }, timeoutMs);
            waiters.add(waiter);
          });
        },
        close: () => req.destroy(),
      });
    });
    req.end();
  });
}
