import type { ApiToken, CreatedApiToken } from '../../core/api/api-types';

/**
 * A token's secret, held only while its dialog is open. `forget()` drops it for good: nothing
 * else in the console keeps a reference (the list gets the token without its secret).
 */
export class OneTimeSecret {
  private secret: string | null;

  constructor(secret: string) {
    this.secret = secret;
  }

  get value(): string | null {
    return this.secret;
  }

  get forgotten(): boolean {
    return this.secret === null;
  }

  forget(): void {
    this.secret = null;
  }
}

/** The token as the list keeps it: every field but the secret. */
export function withoutSecret(created: CreatedApiToken): ApiToken {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { token, ...rest } = created;
  return rest;
}

export type TokenStatus = 'active' | 'expired' | 'revoked';

export function tokenStatus(
  t: Pick<ApiToken, 'revoked_at' | 'expires_at'>,
  now: number,
): TokenStatus {
  if (t.revoked_at) return 'revoked';
  if (t.expires_at && Date.parse(t.expires_at) <= now) return 'expired';
  return 'active';
}

export const EXPIRY_CHOICES = [
  { value: '7d', label: '7 days', days: 7 },
  { value: '30d', label: '30 days', days: 30 },
  { value: '90d', label: '90 days', days: 90 },
  { value: '365d', label: '1 year', days: 365 },
  { value: 'never', label: 'Never', days: null },
  { value: 'custom', label: 'On a date…', days: null },
] as const;

export type ExpiryChoice = (typeof EXPIRY_CHOICES)[number]['value'];

/**
 * `expires_at` for the API from the form's choice: undefined for "never"; a custom date
 * (YYYY-MM-DD, read as UTC like every time the console shows) expires at the end of that day.
 * Returns null when a custom date is missing or unreadable, so the form can say so.
 */
export function expiresAt(
  choice: ExpiryChoice,
  customDate: string,
  now: number,
): string | undefined | null {
  if (choice === 'never') return undefined;
  if (choice === 'custom') {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(customDate)) return null;
    const t = Date.parse(`${customDate}T23:59:59Z`);
    return Number.isNaN(t) ? null : new Date(t).toISOString();
  }
  const days = EXPIRY_CHOICES.find((c) => c.value === choice)?.days ?? 30;
  return new Date(now + days * 86_400_000).toISOString();
}
