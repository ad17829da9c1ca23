import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { DestinationPolicy, DestinationRefusedError } from './destination-policy';

/** What came back: the status and the first bytes of the body (for the delivery log). */
export interface HttpAnswer {
  status: number;
  body: string;
  location: string | null;
}

/** Most of a response body kept (error messages quote it). */
const BODY_LIMIT = 2048;

/**
 * Outgoing HTTP for notifications: POST only, a deadline for the whole exchange, no redirect
 * followed (a 3xx is an answer like any other, and the sender treats it as a failure), and
 * every address a name resolves to checked by the destination policy right before the
 * connection is made to that same address (no DNS-rebinding bypass). Address literals are
 * checked before the request. Sockets are not shared between requests.
 */
export class SafeHttp {
  constructor(
    private readonly policy: DestinationPolicy,
    private readonly timeoutMs: number,
  ) {}

  async post(url: string, body: string, headers: Record<string, string>): Promise<HttpAnswer> {
    const target = new URL(url);
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      throw new DestinationRefusedError(`${target.protocol} URLs cannot be sent to`);
    }
    const refused = this.policy.checkHost(target.hostname);
    if (refused) throw new DestinationRefusedError(refused);
    const policy = this.policy;
    const lookup: LookupFunction = (hostname, options, callback) => {
      policy.resolve(hostname).then(
        (addresses) => {
          if (options.all) {
            (callback as (e: null, a: Array<{ address: string; family: number }>) => void)(
              null,
              addresses,
            );
          } else {
            callback(null, addresses[0].address, addresses[0].family);
          }
        },
        (error: Error) => callback(error as NodeJS.ErrnoException, '', 0),
      );
    };
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<HttpAnswer>((resolve, reject) => {
      let settled = false;
      const finish = (error: Error | null, answer?: HttpAnswer) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        if (error) reject(error);
        else resolve(answer!);
      };
      const req = send(target, {
        method: 'POST',
        lookup,
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'hostwatch',
          ...headers,
        },
      });
      const deadline = setTimeout(() => {
        req.destroy(new Error(`no answer within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      req.on('error', (error) => finish(error));
      req.on('response', (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < BODY_LIMIT) chunks.push(chunk);
          size += chunk.length;
        });
        res.on('error', (error) => finish(error));
        res.on('end', () =>
          finish(null, {
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8').slice(0, BODY_LIMIT),
            location: typeof res.headers.location === 'string' ? res.headers.location : null,
          }),
        );
      });
      req.end(body);
    });
  }
}
