/**
 * Real notification receivers on loopback for the notification specs: an HTTP receiver that
 * verifies hostwatch's signature and deduplicates on the event id, as the docs tell receivers
 * to, and an SMTP server (smtp-server) whose mail is parsed back with mailparser.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  raw: string;
  body: unknown;
  /** null: no signature header; true/false: whether it verified. */
  signatureValid: boolean | null;
  at: number;
}

/** The receiver side of X-Hostwatch-Signature, as docs/notifications.md shows it. */
export function verifySignature(
  secret: string,
  header: string | undefined,
  raw: string,
  toleranceSeconds = 300,
  nowSeconds = Math.floor(Date.now() / 1000),
): boolean {
  const parts = Object.fromEntries((header ?? '').split(',').map((p) => p.split('=', 2)));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds || !parts.v1)
    return false;
  const expected = createHmac('sha256', secret).update(`${t}.${raw}`).digest();
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export type ReceiverMode = 'ok' | 'fail' | 'hang';

export interface HttpReceiver {
  url: string;
  port: number;
  readonly requests: ReceivedRequest[];
  /** Requests accepted (answered 2xx), at most one per event id: what a deduplicating receiver keeps. */
  readonly accepted: ReceivedRequest[];
  /** ok: 200; fail: 503; hang: never answers. */
  mode: ReceiverMode;
  /** Stops listening: connections are refused until up(). */
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startHttpReceiver(options: { secret?: string } = {}): Promise<HttpReceiver> {
  const requests: ReceivedRequest[] = [];
  const accepted: ReceivedRequest[] = [];
  const seen = new Set<string>();
  const sockets = new Set<Socket>();
  const state = { mode: 'ok' as ReceiverMode };
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown = null;
      try {
        body = JSON.parse(raw);
      } catch {
        body = null;
      }
      const header = req.headers['x-hostwatch-signature'] as string | undefined;
      const entry: ReceivedRequest = {
        path: req.url ?? '',
        headers: req.headers,
        raw,
        body,
        signatureValid:
          header === undefined ? null : verifySignature(options.secret ?? '', header, raw),
        at: Date.now(),
      };
      requests.push(entry);
      if (state.mode === 'hang') return;
      if (state.mode === 'fail') {
        res.writeHead(503).end('try later');
        return;
      }
      const id = req.headers['x-hostwatch-event-id'] as string | undefined;
      if (!id || !seen.has(id)) {
        if (id) seen.add(id);
        accepted.push(entry);
      }
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  };
  let server: Server = createServer(handler);
  const track = (s: Server) =>
    s.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
  track(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      if (!server.listening) return resolve();
      server.close(() => resolve());
    });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    accepted,
    get mode() {
      return state.mode;
    },
    set mode(m: ReceiverMode) {
      state.mode = m;
    },
    down: stop,
    up: async () => {
      server = createServer(handler);
      track(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => resolve());
      });
    },
    close: stop,
  };
}

export interface SmtpReceiver {
  port: number;
  readonly mails: ParsedMail[];
  close(): Promise<void>;
}

/** A real SMTP server (no TLS) that requires AUTH with these credentials and keeps every mail. */
export async function startSmtpServer(credentials: {
  username: string;
  password: string;
}): Promise<SmtpReceiver> {
  const mails: ParsedMail[] = [];
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === credentials.username && auth.password === credentials.password) {
        callback(null, { user: auth.username });
      } else {
        callback(new Error('Invalid username or password'));
      }
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          mails.push(mail);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  return {
    port,
    mails,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
