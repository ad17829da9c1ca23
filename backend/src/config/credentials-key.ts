import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { AppConfig, ConfigError } from './app-config';

/** Decodes a 32-byte key given as 64 hex characters or as base64. */
export function decodeKey(raw: string, source: string): Buffer {
  const text = raw.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(text)
    ? Buffer.from(text, 'hex')
    : Buffer.from(text, 'base64');
  if (key.length !== 32) {
    throw new ConfigError([
      `${source}: must be 32 bytes as base64 or 64 hex characters (decoded to ${key.length} bytes); make one with \`openssl rand -base64 32\``,
    ]);
  }
  return key;
}

/**
 * The AES-256-GCM key for secrets at rest. CREDENTIALS_KEY wins; outside production, without
 * it, a key is read from (or generated once into) CREDENTIALS_KEY_FILE with mode 0600.
 */
export function resolveCredentialsKey(config: AppConfig, log: (message: string) => void): Buffer {
  if (config.credentialsKey !== undefined)
    return decodeKey(config.credentialsKey, 'CREDENTIALS_KEY');
  const file = resolve(config.credentialsKeyFile);
  if (existsSync(file))
    return decodeKey(readFileSync(file, 'utf8'), `CREDENTIALS_KEY_FILE (${file})`);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  log(
    `CREDENTIALS_KEY is not set: generated a new key into ${file} (mode 0600). Keep it: stored credentials cannot be decrypted without it. Set CREDENTIALS_KEY in production.`,
  );
  return key;
}
