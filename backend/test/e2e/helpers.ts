/** Small assertions shared by the API specs. */
import type { Response } from 'supertest';

export interface FieldProblem {
  field: string;
  problem: string;
}

/** `METHOD /path` of the request behind an answer, for failure messages. */
export function requestOf(res: Response): string {
  const req = (res as unknown as { req?: { method?: string; path?: string } }).req;
  return `${req?.method ?? '?'} ${req?.path ?? '?'}`;
}

/** The fields a 400 names, from the house format `{ message: [...], errors: [{ field }] }`. */
export function fieldsOf(res: Response): string[] {
  const errors = (res.body as { errors?: FieldProblem[] }).errors;
  return Array.isArray(errors) ? errors.map((e) => e.field) : [];
}

/** Asserts a 400 whose body names `field` (among its `errors`, and in its messages). */
export function expectBadField(res: Response, field: string): void {
  const context = `${requestOf(res)} -> ${res.status} ${JSON.stringify(res.body)}`;
  if (res.status !== 400) throw new Error(`expected 400 naming ${field}, got ${context}`);
  if (!fieldsOf(res).includes(field)) {
    throw new Error(`expected the 400 to name field "${field}", got ${context}`);
  }
  const messages = ([] as unknown[]).concat((res.body as { message?: unknown }).message ?? []);
  if (!messages.some((m) => typeof m === 'string' && m.includes(field))) {
    throw new Error(`expected a message mentioning "${field}", got ${context}`);
  }
}

/** Asserts the exact status, showing the body when it differs. */
export function expectStatus(res: Response, status: number): void {
  if (res.status !== status) {
    throw new Error(
      `expected ${status}, got ${res.status} for ${requestOf(res)}: ${JSON.stringify(res.body)}`,
    );
  }
}

/** Milliseconds between an ISO date-time string and now (absolute). */
export function msFromNow(iso: string | null | undefined): number {
  if (typeof iso !== 'string') throw new Error(`expected an ISO date-time, got ${String(iso)}`);
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new Error(`not a date-time: ${iso}`);
  return Math.abs(Date.now() - t);
}

export const UNKNOWN_UUID = '5b0e7c1e-2f4b-4c53-9a7e-2d9d8f0c1a11';
