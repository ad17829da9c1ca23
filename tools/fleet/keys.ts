import { utils } from 'ssh2';

export interface Ed25519Pair {
  /** OpenSSH private key text (encrypted when a passphrase is given). */
  privateKey: string;
  /** `ssh-ed25519 AAAA...` */
  publicKey: string;
  /** The raw public key blob (what the host-key fingerprint hashes). */
  publicBlob: Buffer;
}

/**
 * An ed25519 key pair from ssh2. ssh2 1.17 drops a leading zero byte of the public key about
 * once in 700 pairs, leaving both halves unparseable; such a pair is thrown away and made again.
 */
export function generateEd25519(passphrase?: string): Ed25519Pair {
  for (let attempt = 0; attempt < 20; attempt++) {
    const pair = passphrase
      ? utils.generateKeyPairSync('ed25519', { passphrase, cipher: 'aes256-ctr', rounds: 16 })
      : utils.generateKeyPairSync('ed25519');
    const pub = utils.parseKey(pair.public);
    const priv = utils.parseKey(pair.private, passphrase);
    if (pub instanceof Error || priv instanceof Error) continue;
    return { privateKey: pair.private, publicKey: pair.public, publicBlob: pub.getPublicSSH() };
  }
  throw new Error('ssh2 could not generate a usable ed25519 key pair');
}
