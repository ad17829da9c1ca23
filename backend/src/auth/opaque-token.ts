import { createHash, randomBytes } from 'node:crypto';

/** Prefixes that tell the guard which kind of bearer token it holds. */
export const API_TOKEN_PREFIX = 'hwt_';
export const REFRESH_TOKEN_PREFIX = 'hwr_';

/** A prefixed 256-bit random token. */
export function newOpaqueToken(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** SHA-256, hex: enough for 256-bit random tokens (nothing to brute-force). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
