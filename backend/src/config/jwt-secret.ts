import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { AppConfig, ConfigError } from './app-config';

/**
 * The key that signs hostwatch's own access tokens (HS256). JWT_SECRET wins; outside
 * production, without it, a secret is read from (or generated once into) JWT_SECRET_FILE with
 * mode 0600, and the log says so once. Every API process must share it.
 */
export function resolveJwtSecret(config: AppConfig, log: (message: string) => void): Buffer {
  if (config.jwtSecret !== undefined) return Buffer.from(config.jwtSecret, 'utf8');
  const file = resolve(config.jwtSecretFile);
  if (existsSync(file)) {
    const text = readFileSync(file, 'utf8').trim();
    if (text.length < 32) {
      throw new ConfigError([
        `JWT_SECRET_FILE (${file}): holds fewer than 32 characters; delete it to generate a new one`,
      ]);
    }
    return Buffer.from(text, 'utf8');
  }
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  log(
    `JWT_SECRET is not set: generated a new token-signing secret into ${file} (mode 0600). Every API process must use the same one. Set JWT_SECRET in production.`,
  );
  return Buffer.from(secret, 'utf8');
}
