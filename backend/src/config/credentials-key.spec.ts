import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './app-config';
import { decodeKey, resolveCredentialsKey } from './credentials-key';

describe('credentials key', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hw-key-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts 32 bytes as base64 or hex, and nothing else', () => {
    const key = randomBytes(32);
    expect(decodeKey(key.toString('base64'), 'K').equals(key)).toBe(true);
    expect(decodeKey(key.toString('hex'), 'K').equals(key)).toBe(true);
    expect(() => decodeKey(randomBytes(16).toString('base64'), 'CREDENTIALS_KEY')).toThrow(
      /CREDENTIALS_KEY: must be 32 bytes/,
    );
  });

  it('generates a key once into a 0600 file outside production, says so once, and reuses it', () => {
    const file = join(dir, 'sub', 'credentials.key');
    const config = loadConfig({ CREDENTIALS_KEY_FILE: file });
    const messages: string[] = [];
    const first = resolveCredentialsKey(config, (m) => messages.push(m));
    expect(first).toHaveLength(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(file);
    expect(messages[0]).not.toContain(first.toString('base64'));
    const again = resolveCredentialsKey(config, (m) => messages.push(m));
    expect(again.equals(first)).toBe(true);
    expect(messages).toHaveLength(1);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.toString('base64'));
  });

  it('prefers CREDENTIALS_KEY over the file', () => {
    const key = randomBytes(32);
    const config = loadConfig({
      CREDENTIALS_KEY: key.toString('base64'),
      CREDENTIALS_KEY_FILE: join(dir, 'unused.key'),
    });
    expect(resolveCredentialsKey(config, () => undefined).equals(key)).toBe(true);
  });
});
