import { createPublicKey, verify } from 'node:crypto';
import { utils } from 'ssh2';
import { ParsedKeyCache } from './parsed-key-cache';

function keyPair(passphrase?: string) {
  for (;;) {
    const pair = passphrase
      ? utils.generateKeyPairSync('ed25519', { passphrase, cipher: 'aes256-ctr', rounds: 4 })
      : utils.generateKeyPairSync('ed25519');
    // ssh2 now and then emits an unusable pair (a dropped leading zero byte); take another.
    if (!(utils.parseKey(pair.public) instanceof Error)) return pair;
  }
}

describe('ParsedKeyCache', () => {
  it('decrypts a passphrase-protected key once and hands the same key to later checks', () => {
    const cache = new ParsedKeyCache();
    const pair = keyPair('s3cret');
    const first = cache.get(pair.private, 's3cret');
    const second = cache.get(pair.private, 's3cret');
    expect(first).not.toBeInstanceOf(Error);
    expect(second).toBe(first);
    expect(cache.size).toBe(1);
  });

  it('signs with the cached key so that the public key verifies the signature', () => {
    const pair = keyPair();
    const key = new ParsedKeyCache().get(pair.private, undefined);
    if (key instanceof Error) throw key;
    const data = Buffer.from('session id and userauth request');
    const signature = key.sign(data);
    expect(signature).toBeInstanceOf(Buffer);
    const pub = utils.parseKey(pair.public);
    if (pub instanceof Error) throw pub;
    const ok = verify(null, data, createPublicKey(pub.getPublicPEM()), signature as Buffer);
    expect(ok).toBe(true);
  });

  it('reports a wrong passphrase as an Error and does not mix it up with the right one', () => {
    const cache = new ParsedKeyCache();
    const pair = keyPair('right');
    expect(cache.get(pair.private, 'wrong')).toBeInstanceOf(Error);
    expect(cache.get(pair.private, 'right')).not.toBeInstanceOf(Error);
    expect(cache.size).toBe(2);
  });

  it('forgets the least recently used key when full', () => {
    const cache = new ParsedKeyCache(2);
    const [a, b, c] = [keyPair(), keyPair(), keyPair()];
    const parsedA = cache.get(a.private, undefined);
    cache.get(b.private, undefined);
    cache.get(a.private, undefined); // a is now the most recent
    cache.get(c.private, undefined); // evicts b
    expect(cache.size).toBe(2);
    expect(cache.get(a.private, undefined)).toBe(parsedA);
  });
});
