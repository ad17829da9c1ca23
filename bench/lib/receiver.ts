/**
 * A webhook receiver for the notification figures: answers 200 to every POST and keeps, per
 * alert it carried, when it arrived and when the problem opened (the payload says).
 */
import { createServer, type Server } from 'node:http';

export interface ReceivedAlert {
  alertId: string | null;
  kind: string;
  openedAt: number | null;
  arrivedAt: number;
}

export interface Receiver {
  url: string;
  readonly alerts: ReceivedAlert[];
  readonly messages: number;
  clear(): void;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const alerts: ReceivedAlert[] = [];
  let messages = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const arrivedAt = Date.now();
      messages += 1;
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          kind: string;
          alerts?: Array<{ alert_id: string | null; opened_at: string | null }>;
        };
        for (const a of body.alerts ?? []) {
          alerts.push({
            alertId: a.alert_id,
            kind: body.kind,
            openedAt: a.opened_at ? Date.parse(a.opened_at) : null,
            arrivedAt,
          });
        }
      } catch {
        // not JSON: counted as a message, carries no alert
      }
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    alerts,
    get messages() {
      return messages;
    },
    clear() {
      alerts.length = 0;
      messages = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
