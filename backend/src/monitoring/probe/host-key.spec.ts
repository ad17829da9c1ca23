import { createHash } from 'node:crypto';
import {
  checkHostKey,
  hostKeyFingerprint,
  hostKeyType,
  normalizeFingerprint,
  observeHostKey,
} from './host-key';
import type { ObservedHostKey } from '../../common/probe.types';

/** An SSH public-key blob: string(type) followed by the given key material. */
function blob(type: string, material: Buffer = Buffer.alloc(32, 7)): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(type.length);
  const mlen = Buffer.alloc(4);
  mlen.writeUInt32BE(material.length);
  return Buffer.concat([len, Buffer.from(type, 'latin1'), mlen, material]);
}

// The public key of an ed25519 key whose `ssh-keygen -l -E sha256` output was recorded:
// 256 SHA256:bF4gMzsbekwI6ozdbCJE8+tTS71+8t71AzWuaMLi6O8 rec (ED25519)
const RECORDED_PUB = 'AAAAC3NzaC1lZDI1NTE5AAAAIF1BL/P52aXZ7/nYKAf6nirzahmhcWLU4RVToEBGYRPe';
const RECORDED_FP = 'SHA256:bF4gMzsbekwI6ozdbCJE8+tTS71+8t71AzWuaMLi6O8';

describe('hostKeyFingerprint', () => {
  it('matches ssh-keygen -l -E sha256 for a recorded key', () => {
    expect(hostKeyFingerprint(Buffer.from(RECORDED_PUB, 'base64'))).toBe(RECORDED_FP);
  });

  it('is SHA256: + unpadded base64 of the sha256 of the blob', () => {
    const b = blob('ssh-ed25519');
    const expected = createHash('sha256').update(b).digest('base64').replace(/=+$/, '');
    const fp = hostKeyFingerprint(b);
    expect(fp).toBe(`SHA256:${expected}`);
    expect(fp).not.toContain('=');
    expect(fp).toHaveLength('SHA256:'.length + 43);
  });
});

describe('hostKeyType', () => {
  it.each(['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ssh-rsa'])('reads %s', (type) => {
    expect(hostKeyType(blob(type))).toBe(type);
  });

  it('reads the recorded key as ssh-ed25519', () => {
    expect(observeHostKey(Buffer.from(RECORDED_PUB, 'base64'))).toEqual({
      fingerprint: RECORDED_FP,
      type: 'ssh-ed25519',
    });
  });

  it.each([
    ['too short', Buffer.from([0, 0])],
    ['length past the end', Buffer.from([0, 0, 0, 9, 0x61])],
    ['zero length', Buffer.from([0, 0, 0, 0])],
  ])('is "unknown" for a malformed blob (%s)', (_label, b) => {
    expect(hostKeyType(b)).toBe('unknown');
  });
});

describe('normalizeFingerprint', () => {
  it('strips blanks and padding and adds a missing prefix', () => {
    expect(normalizeFingerprint(' SHA256:abc= ')).toBe('SHA256:abc');
    expect(normalizeFingerprint('abc')).toBe('SHA256:abc');
  });

  it('keeps case (base64 is case-sensitive)', () => {
    expect(normalizeFingerprint('SHA256:AbC')).not.toBe(normalizeFingerprint('SHA256:abc'));
  });
});

describe('checkHostKey', () => {
  const seen: ObservedHostKey = { fingerprint: RECORDED_FP, type: 'ssh-ed25519' };
  const other = 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU';

  it('off accepts anything, pinned or not', () => {
    expect(checkHostKey('off', null, seen).accepted).toBe(true);
    expect(checkHostKey('off', other, seen).accepted).toBe(true);
  });

  it('tofu accepts when nothing is pinned and when the pin matches (even padded)', () => {
    expect(checkHostKey('tofu', null, seen).accepted).toBe(true);
    expect(checkHostKey('tofu', '', seen).accepted).toBe(true);
    expect(checkHostKey('tofu', RECORDED_FP, seen).accepted).toBe(true);
    expect(checkHostKey('tofu', `${RECORDED_FP}=`, seen).accepted).toBe(true);
  });

  it('tofu refuses a different key, naming both fingerprints and how to reset the pin', () => {
    const d = checkHostKey('tofu', other, seen);
    if (d.accepted) throw new Error('expected a refusal');
    expect(d.errorType).toBe('host_key_mismatch');
    expect(d.message).toContain(other);
    expect(d.message).toContain(RECORDED_FP);
    expect(d.message).toContain('POST /api/hosts/{id}/host-key/reset');
  });

  it('strict refuses when nothing is pinned (host_key_unknown), naming the presented key', () => {
    const d = checkHostKey('strict', null, seen);
    if (d.accepted) throw new Error('expected a refusal');
    expect(d.errorType).toBe('host_key_unknown');
    expect(d.message).toContain(RECORDED_FP);
  });

  it('strict accepts the pin and refuses another key', () => {
    expect(checkHostKey('strict', RECORDED_FP, seen).accepted).toBe(true);
    const d = checkHostKey('strict', other, seen);
    expect(d.accepted === false && d.errorType).toBe('host_key_mismatch');
  });
});
