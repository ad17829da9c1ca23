import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { AuthenticatedRequest } from './auth/identity';
import { currentRequest } from './request-context';
import type { Telemetry } from './telemetry';

/**
 * The label of a request's route: the route pattern Express matched (`/api/hosts/:id`), never
 * the raw path, so ids do not multiply the series; `<static>` for the console's files and
 * `<unmatched>` for API paths that matched no route.
 */
export function routeLabel(req: Request): string {
  const pattern = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof pattern === 'string') return `${req.baseUrl ?? ''}${pattern}`;
  const path = req.originalUrl.split('?')[0];
  return path === '/api' || path.startsWith('/api/') ? '<unmatched>' : '<static>';
}

/**
 * Express middleware that counts every answered request (hostwatch_http_requests_total and
 * its duration) and logs one line for it with its request id, route, status, latency and user:
 * at `log` level when `accessLog` (JSON logs, for a pipeline), else at `debug`. The path is
 * logged without its query string, which may carry one-time codes.
 */
export function httpObserver(telemetry: Telemetry, accessLog: boolean) {
  const logger = new Logger('HTTP');
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    const context = currentRequest();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeLabel(req);
      const status = String(res.statusCode);
      telemetry.httpRequests.inc({ method: req.method, route, status });
      telemetry.httpDuration.observe({ method: req.method, route }, seconds);
      const line = {
        message: `${req.method} ${route} ${status} ${Math.round(seconds * 1000)} ms`,
        request_id: context?.requestId,
        method: req.method,
        route,
        path: req.originalUrl.split('?')[0],
        status: res.statusCode,
        latency_ms: Math.round(seconds * 1e4) / 10,
        user_id: (req as AuthenticatedRequest).identity?.userId ?? undefined,
      };
      if (accessLog) logger.log(line);
      else logger.debug(line.message);
    });
    next();
  };
}
