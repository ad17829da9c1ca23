import { timingSafeEqual } from 'node:crypto';

/** What a request for /metrics may do: be served, or be refused with a status and a reason. */
export type MetricsAccess = { ok: true } | { ok: false; status: 401 | 404; message: string };

/**
 * METRICS_TOKEN, compared in constant time. `required`: the main port, where metrics are never
 * served without a token; the METRICS_PORT listener serves without one when none is set (its
 * address is what protects it).
 */
export function metricsAccess(
  token: string | undefined,
  authorization: string | undefined,
  required: boolean,
): MetricsAccess {
  if (token === undefined) {
    return required
      ? {
          ok: false,
          status: 404,
          message:
            'Metrics are not served on this port: set METRICS_TOKEN (then scrape with that bearer token) or METRICS_PORT (a listener of their own)',
        }
      : { ok: true };
  }
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  const given = Buffer.from(match?.[1] ?? '');
  const expected = Buffer.from(token);
  if (given.length === expected.length && timingSafeEqual(given, expected)) return { ok: true };
  return {
    ok: false,
    status: 401,
    message: 'GET /metrics needs `Authorization: Bearer <METRICS_TOKEN>`',
  };
}
