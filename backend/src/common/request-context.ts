import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, Request, Response } from 'express';
import type { Identity } from './auth/identity';

/** What the audit log needs to know about the request a service call serves. */
export interface RequestContext {
  /** The socket's remote address (never X-Forwarded-For). */
  ip: string | null;
  identity?: Identity;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** The current request's context, if the call runs inside one (not in workers or cron). */
export function currentRequest(): RequestContext | undefined {
  return storage.getStore();
}

/** Strips the IPv4-mapped IPv6 prefix, so `::ffff:10.0.0.1` compares as `10.0.0.1`. */
export function normalizeAddress(address: string | undefined | null): string | null {
  if (!address) return null;
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/** Express middleware: every request runs inside its own context. */
export function requestContextMiddleware(req: Request, _res: Response, next: NextFunction): void {
  storage.run({ ip: normalizeAddress(req.socket.remoteAddress) }, () => next());
}
