import { createHash, createPrivateKey, type KeyObject } from 'node:crypto';
import { utils, type ParsedKey } from 'ssh2';

/**
 * Parsed private keys, kept between checks. ssh2 re-reads a key from its text on every use: an
 * encrypted OpenSSH key runs bcrypt-pbkdf each time (hundreds of milliseconds of blocking CPU),
 * and every signature re-parses the PEM. Here a key is parsed once per distinct
 * (key, passphrase) pair, and its signing key is held as a Node `KeyObject`.
 *
 * Entries are keyed by a SHA-256 of key and passphrase, so an edited credential is simply a
 * new entry; the oldest entries go first when the cache is full. The decrypted key lives in
 * this process's memory for as long as the entry does, as it would in an ssh-agent.
 */
export class ParsedKeyCache {
  private readonly entries = new Map<string, ParsedKey | Error>();

  constructor(private readonly maxEntries = 256) {}

  get size(): number {
    return this.entries.size;
  }

  /** The parsed key, or the Error ssh2 gave when parsing failed (also cached: it would again). */
  get(privateKey: string, passphrase: string | undefined): ParsedKey | Error {
    const id = createHash('sha256')
      .update(privateKey)
      .update('\0')
      .update(passphrase ?? '')
      .digest('base64');
    const cached = this.entries.get(id);
    if (cached !== undefined) {
      // Refresh its place: least recently used goes first.
      this.entries.delete(id);
      this.entries.set(id, cached);
      return cached;
    }
    const parsed = parse(privateKey, passphrase);
    this.entries.set(id, parsed);
    if (this.entries.size > this.maxEntries) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
    return parsed;
  }

  clear(): void {
    this.entries.clear();
  }
}

function parse(privateKey: string, passphrase: string | undefined): ParsedKey | Error {
  let parsed: ParsedKey | ParsedKey[] | Error;
  try {
    parsed = utils.parseKey(privateKey, passphrase) as ParsedKey | ParsedKey[] | Error;
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
  if (parsed instanceof Error) return parsed;
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (key === undefined) return new Error('no key found');
  if (key.isPrivateKey()) holdAsKeyObject(key);
  return key;
}

/**
 * ssh2 keeps the private key as PEM text under a symbol and hands that text to `crypto.sign`,
 * which parses it again for every signature. `crypto.sign` takes a `KeyObject` just as well:
 * store one there instead. Should ssh2 ever change its layout, the key keeps working unchanged.
 */
function holdAsKeyObject(key: ParsedKey): void {
  const slot = Object.getOwnPropertySymbols(key).find((s) => s.description === 'Private key PEM');
  if (slot === undefined) return;
  const record = key as unknown as Record<symbol, unknown>;
  const pem = record[slot];
  if (typeof pem !== 'string') return;
  let object: KeyObject;
  try {
    object = createPrivateKey(pem);
  } catch {
    return;
  }
  record[slot] = object;
}
