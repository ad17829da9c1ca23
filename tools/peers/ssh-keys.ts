/**
 * Test helpers around OpenSSH's `ssh-keygen`: generate key pairs into a temporary directory and
 * read fingerprints exactly as an operator would see them (`ssh-keygen -l -E sha256`).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export const SSH_KEYGEN = '/usr/bin/ssh-keygen';

export type SshKeyType = 'ed25519' | 'rsa' | 'ecdsa';

export interface GenerateKeyOptions {
  /** Default `ed25519`. */
  type?: SshKeyType;
  /** Encrypt the private key with this passphrase. Default: unencrypted. */
  passphrase?: string;
  /** File name inside the directory. Default: `id_<type>` (plus `_enc` when encrypted). */
  name?: string;
  /** RSA modulus size. Default 2048 (fast enough for tests). */
  bits?: number;
  /** `openssh` (default, `BEGIN OPENSSH PRIVATE KEY`) or `pem` (`BEGIN RSA/EC PRIVATE KEY`). */
  format?: 'openssh' | 'pem';
  comment?: string;
}

export interface GeneratedKey {
  type: SshKeyType;
  privateKeyPath: string;
  publicKeyPath: string;
  /** The private key file's text. */
  privateKey: string;
  /** The `.pub` line: `<algorithm> <base64> <comment>`. */
  publicKey: string;
  /** `SHA256:<base64 without padding>`, as printed by `ssh-keygen -l -E sha256`. */
  fingerprint: string;
  passphrase: string | null;
}

export interface KeyFingerprint {
  bits: number;
  /** `SHA256:<base64 without padding>`. */
  fingerprint: string;
  comment: string;
  /** The type in parentheses, e.g. `ED25519`, `RSA`, `ECDSA`. */
  type: string;
}

/** A fresh private temporary directory; remove it with {@link removeDir}. */
export function makeTempDir(prefix = 'hostwatch-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** Generates a key pair with `ssh-keygen` into `dir` and reads it back. */
export async function generateKey(
  dir: string,
  options: GenerateKeyOptions = {},
): Promise<GeneratedKey> {
  const type = options.type ?? 'ed25519';
  const passphrase = options.passphrase ?? null;
  const name = options.name ?? `id_${type}${passphrase ? '_enc' : ''}`;
  const privateKeyPath = join(dir, name);
  const args = ['-q', '-t', type, '-N', passphrase ?? '', '-f', privateKeyPath];
  args.push('-C', options.comment ?? `hostwatch-test-${name}`);
  if (type === 'rsa') args.push('-b', String(options.bits ?? 2048));
  if (options.format === 'pem') args.push('-m', 'PEM');
  await execFileAsync(SSH_KEYGEN, args);
  const publicKeyPath = `${privateKeyPath}.pub`;
  const [privateKey, publicKey, fp] = await Promise.all([
    readFile(privateKeyPath, 'utf8'),
    readFile(publicKeyPath, 'utf8'),
    readFingerprint(publicKeyPath),
  ]);
  return {
    type,
    privateKeyPath,
    publicKeyPath,
    privateKey,
    publicKey: publicKey.trim(),
    fingerprint: fp.fingerprint,
    passphrase,
  };
}

/** Runs `ssh-keygen -l -E sha256 -f <path>` (a public key, or a private key with its .pub). */
export async function readFingerprint(path: string): Promise<KeyFingerprint> {
  const { stdout } = await execFileAsync(SSH_KEYGEN, ['-l', '-E', 'sha256', '-f', path]);
  return parseFingerprintLine(stdout);
}

/** Parses one line of `ssh-keygen -l` output: `256 SHA256:abc comment (ED25519)`. */
export function parseFingerprintLine(line: string): KeyFingerprint {
  const m = /^(\d+)\s+(SHA256:[A-Za-z0-9+/]+)\s+(.*?)\s*\(([^)]+)\)\s*$/.exec(line.trim());
  if (!m) throw new Error(`unexpected ssh-keygen -l output: ${JSON.stringify(line)}`);
  return { bits: Number(m[1]), fingerprint: m[2], comment: m[3], type: m[4] };
}
