import { createHash } from 'node:crypto';
import type { HostKeyPolicy, ObservedHostKey } from '../../common/probe.types';

/**
 * The fingerprint of a raw SSH public-key blob, exactly as `ssh-keygen -l -E sha256` prints it:
 * `SHA256:` + base64(sha256(blob)) without `=` padding.
 */
export function hostKeyFingerprint(blob: Buffer): string {
  const b64 = createHash('sha256').update(blob).digest('base64');
  return `SHA256:${stripPadding(b64)}`;
}

/**
 * The key type of a raw SSH public-key blob: its first SSH string (RFC 4253 §6.6), e.g.
 * `ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`. `unknown` when the blob is malformed.
 */
export function hostKeyType(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const len = blob.readUInt32BE(0);
  if (len === 0 || len > 64 || 4 + len > blob.length) return 'unknown';
  return blob.toString('latin1', 4, 4 + len);
}

export function observeHostKey(blob: Buffer): ObservedHostKey {
  return { fingerprint: hostKeyFingerprint(blob), type: hostKeyType(blob) };
}

/**
 * Normalises a pinned fingerprint for comparison: surrounding blanks and `=` padding removed,
 * the `SHA256:` prefix added when missing. Base64 is case-sensitive, so case is kept.
 */
export function normalizeFingerprint(fingerprint: string): string {
  const trimmed = stripPadding(fingerprint.trim());
  return trimmed.startsWith('SHA256:') ? trimmed : `SHA256:${trimmed}`;
}

function stripPadding(b64: string): string {
  let end = b64.length;
  while (end > 0 && b64.charCodeAt(end - 1) === 61 /* = */) end--;
  return end === b64.length ? b64 : b64.slice(0, end);
}

export type HostKeyDecision =
  | { accepted: true }
  | { accepted: false; errorType: 'host_key_mismatch' | 'host_key_unknown'; message: string };

const ACCEPTED: HostKeyDecision = { accepted: true };

/**
 * Applies the host-key policy to the key the server presented.
 * off: anything; tofu: anything when nothing is pinned, else only the pin; strict: only the pin.
 */
export function checkHostKey(
  policy: HostKeyPolicy,
  pinnedFingerprint: string | null,
  observed: ObservedHostKey,
): HostKeyDecision {
  if (policy === 'off') return ACCEPTED;
  const pinned =
    pinnedFingerprint === null || pinnedFingerprint.trim() === ''
      ? null
      : normalizeFingerprint(pinnedFingerprint);
  if (pinned === null) {
    if (policy === 'tofu') return ACCEPTED;
    return {
      accepted: false,
      errorType: 'host_key_unknown',
      message:
        `host-key policy is strict but no host key is pinned for this host; ` +
        `the server presented ${observed.fingerprint} (${observed.type})`,
    };
  }
  if (pinned === observed.fingerprint) return ACCEPTED;
  return {
    accepted: false,
    errorType: 'host_key_mismatch',
    message:
      `host key mismatch: expected the pinned key ${pinned} but the server presented ` +
      `${observed.fingerprint} (${observed.type}). If the change was expected (host reinstalled, ` +
      `key rotated), clear the pin with POST /api/hosts/{id}/host-key/reset; otherwise treat it ` +
      `as a possible man-in-the-middle`,
  };
}

/**
 * Trust on first use: the key to pin after a check, or null. A host under `tofu` with no pin
 * gets the key its first successful check saw; `strict` and `off` never pin, and a pin is never
 * replaced (a changed key is host_key_mismatch; a person resets the pin).
 */
export function keyToPin(
  policy: HostKeyPolicy,
  pinned: string | null,
  result: { success: boolean; host_key: ObservedHostKey | null },
): ObservedHostKey | null {
  return policy === 'tofu' && pinned === null && result.success ? result.host_key : null;
}
