import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

/** scrypt cost: N=2^15, r=8 (32 MiB per hash), as OWASP recommends for scrypt. */
const COST = { N: 32768, r: 8, p: 1 };
const KEY_LENGTH = 32;

function maxmem(N: number, r: number): number {
  return 128 * N * r * 2;
}

/**
 * Passwords hashed with scrypt (memory-hard), from Node's own crypto, in a self-describing
 * string: `scrypt$N$r$p$salt$hash` (base64url), so the cost can rise without breaking old hashes.
 */
export class PasswordHasher {
  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const key = await scryptAsync(password, salt, KEY_LENGTH, {
      ...COST,
      maxmem: maxmem(COST.N, COST.r),
    });
    return [
      'scrypt',
      COST.N,
      COST.r,
      COST.p,
      salt.toString('base64url'),
      key.toString('base64url'),
    ].join('$');
  }

  async verify(password: string, stored: string | null): Promise<boolean> {
    const parts = (stored ?? '').split('$');
    if (parts.length !== 6 || parts[0] !== 'scrypt') {
      // Same work as a real check, so timing does not tell whether the user exists.
      await this.hash(password);
      return false;
    }
    const [, n, r, p, salt, expected] = parts;
    const want = Buffer.from(expected, 'base64url');
    const key = await scryptAsync(password, Buffer.from(salt, 'base64url'), want.length, {
      N: Number(n),
      r: Number(r),
      p: Number(p),
      maxmem: maxmem(Number(n), Number(r)),
    });
    return key.length === want.length && timingSafeEqual(key, want);
  }
}
