import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Identity } from './auth/identity';

/** What the audit log needs to know about the request a service call serves. */
export interface RequestContext {
  /** The socket's remote address (never X-Forwarded-For). */
  ip: string | null;
  identity?: Identity;
  /** The caller's X-Request-Id when it is a sensible one, else a new UUID; echoed back. */
  requestId: string;
}

export const REQUEST_ID_HEADER = 'X-Request-Id';
/** What a request id taken from a caller may look like (a UUID, a trace id, a ULID, ...). */
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** The caller's request id if it is one we can log and echo safely, else a new one. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const given = Array.isArray(header) ? header[0] : header;
  return given !== undefined && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
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

/**
 * Express middleware: every request runs inside its own context, with its request id (from
 * X-Request-Id, or a new one), which the response echoes in X-Request-Id.
 */
export function requestContextMiddleware(req: Request, res: Response, next: NextFunction): void {
  const requestId = requestIdFrom(req.headers['x-request-id']);
  res.setHeader(REQUEST_ID_HEADER, requestId);
  storage.run({ ip: normalizeAddress(req.socket.remoteAddress), requestId }, () => next());
}
