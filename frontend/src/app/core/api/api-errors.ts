import type { ApiErrorBody } from './api-types';

/** What went wrong, per form field and overall, from an HTTP error (house 400 format). */
export interface FormErrors {
  fields: Record<string, string[]>;
  general: string[];
}

/** `tags[1]` → `tags`, `thresholds.x` → `thresholds`: the form field a problem belongs to. */
export function topLevelField(field: string): string {
  return field.split(/[.[]/)[0] || field;
}

/**
 * Splits an API error into messages per field (`errors: [{ field, problem }]`) and general
 * ones; nested fields (`tags[1]`, `thresholds.x`) are filed under their top-level field, or
 * under whatever `fieldOf` names (a form whose fields sit one level down, like `config.url`).
 */
export function formErrors(
  error: unknown,
  fieldOf: (field: string) => string = topLevelField,
): FormErrors {
  const out: FormErrors = { fields: {}, general: [] };
  const http = error as { status?: number; error?: ApiErrorBody | string | null };
  const body = http?.error;
  if (http?.status === 0) {
    out.general.push('The server did not answer: check that hostwatch is running.');
    return out;
  }
  if (body && typeof body === 'object') {
    if (Array.isArray(body.errors) && body.errors.length > 0) {
      for (const { field, problem } of body.errors) {
        const key = fieldOf(field);
        (out.fields[key] ??= []).push(problem);
      }
      return out;
    }
    const messages = ([] as string[]).concat(body.message ?? []);
    if (messages.length > 0) {
      out.general.push(...messages);
      return out;
    }
  }
  out.general.push(describeHttpError(error));
  return out;
}

/** Seconds from a Retry-After header (seconds or an HTTP date), or null. */
export function retryAfterSeconds(
  value: string | null | undefined,
  now = Date.now(),
): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

/** One sentence for a failed request, saying what to do where we can. */
export function describeHttpError(error: unknown): string {
  const http = error as {
    status?: number;
    error?: ApiErrorBody | null;
    message?: string;
    headers?: { get(name: string): string | null };
  };
  const status = http?.status;
  if (status === 429) {
    // The limiter's own text ("ThrottlerException: ...") means nothing to a person.
    const wait = retryAfterSeconds(http.headers?.get('Retry-After'));
    return `Too many requests: the rate limit was reached. ${
      wait === null ? 'Try again in a minute.' : `Try again in ${wait} s.`
    }`;
  }
  const message = http?.error && typeof http.error === 'object' ? http.error.message : undefined;
  const text = Array.isArray(message) ? message.join('; ') : message;
  if (status === 0) return 'The server did not answer: check that hostwatch is running.';
  if (status === 401) return 'Your session has ended: sign in again.';
  if (status === 403) return 'Your role does not allow this.';
  if (status === 404) return text ?? 'Not found: it may have been deleted.';
  if (status === 503)
    return text ?? 'A service hostwatch needs (Redis) is unreachable: checks are paused.';
  // A server fault keeps its status, so whoever reports it can say what kind of failure it was.
  if (text && status && status >= 500) return `${text.replace(/\.$/, '')} (HTTP ${status}).`;
  if (text) return text;
  return `Request failed${status ? ` (HTTP ${status})` : ''}.`;
}
