import { Ssh2Probe } from '../../src/monitoring/probe/ssh2-probe.adapter';
import type { ProbeCredential, ProbeRequest, ProbeResult } from '../../src/common/probe.types';
import * as peers from '../support/peers';
import { generateKey, makeTempDir, removeDir, type GeneratedKey } from '../support/ssh-keys';
import { startSshd, type Sshd } from '../support/sshd';

const CONNECT_TIMEOUT_MS = 2000;
const TIMEOUT_MS = 3000;
/** Slack allowed over the deadline for timers and teardown on a busy CI machine. */
const DEADLINE_MARGIN_MS = 500;

const probe = new Ssh2Probe();

function request(target: { host: string; port: number }, overrides: Partial<ProbeRequest> = {}) {
  return {
    host: target.host,
    port: target.port,
    hostKeyPolicy: 'tofu',
    pinnedFingerprint: null,
    credential: null,
    connectTimeoutMs: CONNECT_TIMEOUT_MS,
    timeoutMs: TIMEOUT_MS,
    ...overrides,
  } satisfies ProbeRequest;
}

function expectWellFormed(result: ProbeResult): void {
  expect(Number.isInteger(result.response_time_ms)).toBe(true);
  expect(result.response_time_ms).toBeGreaterThanOrEqual(0);
  if (result.success) {
    expect(result.error_type).toBeNull();
    expect(result.error_message).toBeNull();
  } else {
    expect(result.error_type).not.toBeNull();
    expect(result.error_message).toEqual(expect.any(String));
  }
}

/** A fingerprint that is well-formed but belongs to no key in these tests. */
const FOREIGN_PIN = 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU';

describe('Ssh2Probe against a real OpenSSH sshd', () => {
  let sshd: Sshd;
  let keysDir: string;
  let encryptedRsa: GeneratedKey;
  let unauthorized: GeneratedKey;

  beforeAll(async () => {
    sshd = await startSshd();
    keysDir = await makeTempDir('hostwatch-keys-');
    [encryptedRsa, unauthorized] = await Promise.all([
      generateKey(keysDir, { type: 'rsa', passphrase: 'correct horse battery', name: 'rsa_enc' }),
      generateKey(keysDir, { type: 'ed25519', name: 'stranger' }),
    ]);
    await sshd.authorizeKey(encryptedRsa.publicKey);
  });

  afterAll(async () => {
    await sshd?.stop();
    if (keysDir) await removeDir(keysDir);
  });

  const password = (): ProbeCredential => ({
    username: sshd.username,
    auth_method: 'password',
    password: sshd.password ?? undefined,
  });

  it('without a credential stops after key exchange and reports the fingerprint ssh-keygen shows', async () => {
    const result = await probe.probe(request(sshd));

    expectWellFormed(result);
    expect(result).toMatchObject({ success: true, stage: 'kex', error_type: null });
    expect(result.host_key).toEqual({ fingerprint: sshd.hostKeyFingerprint, type: 'ssh-ed25519' });
    expect(result.response_time_ms).toBeLessThan(TIMEOUT_MS);
  });

  it('authenticates with a password', async () => {
    expect(sshd.password).not.toBeNull();
    const result = await probe.probe(request(sshd, { credential: password() }));

    expectWellFormed(result);
    expect(result).toMatchObject({ success: true, stage: 'auth' });
    expect(result.host_key?.fingerprint).toBe(sshd.hostKeyFingerprint);
  });

  it('authenticates with an unencrypted private key', async () => {
    const result = await probe.probe(
      request(sshd, {
        credential: {
          username: sshd.username,
          auth_method: 'private_key',
          private_key: sshd.privateKey,
        },
      }),
    );

    expect(result).toMatchObject({ success: true, stage: 'auth', error_type: null });
  });

  it('authenticates with a passphrase-protected RSA key', async () => {
    const result = await probe.probe(
      request(sshd, {
        credential: {
          username: sshd.username,
          auth_method: 'private_key',
          private_key: encryptedRsa.privateKey,
          passphrase: encryptedRsa.passphrase ?? undefined,
        },
      }),
    );

    expect(result).toMatchObject({ success: true, stage: 'auth', error_type: null });
  });

  it('reports a wrong password as auth_failed without echoing it', async () => {
    const wrong = 'Wr0ng-Pa55word-for-hwprobe';
    const result = await probe.probe(
      request(sshd, {
        credential: { username: sshd.username, auth_method: 'password', password: wrong },
      }),
    );

    expectWellFormed(result);
    expect(result).toMatchObject({ success: false, stage: 'auth', error_type: 'auth_failed' });
    expect(result.error_message).toContain(sshd.username);
    expect(result.error_message).not.toContain(wrong);
    // It got past the host-key check, so the key is known.
    expect(result.host_key?.fingerprint).toBe(sshd.hostKeyFingerprint);
  });

  it('reports a key that is not in authorized_keys as auth_failed', async () => {
    const result = await probe.probe(
      request(sshd, {
        credential: {
          username: sshd.username,
          auth_method: 'private_key',
          private_key: unauthorized.privateKey,
        },
      }),
    );

    expect(result).toMatchObject({ success: false, stage: 'auth', error_type: 'auth_failed' });
  });

  it('reports an encrypted key with a wrong passphrase as internal_error without leaking it', async () => {
    const result = await probe.probe(
      request(sshd, {
        credential: {
          username: sshd.username,
          auth_method: 'private_key',
          private_key: encryptedRsa.privateKey,
          passphrase: 'not-the-passphrase',
        },
      }),
    );

    expectWellFormed(result);
    expect(result.error_type).toBe('internal_error');
    expect(result.error_message).toMatch(/private key/);
    expect(result.error_message).not.toContain('not-the-passphrase');
    expect(result.error_message).not.toContain('correct horse battery');
  });

  it('reports garbage in the private-key field as internal_error', async () => {
    const result = await probe.probe(
      request(sshd, {
        credential: { username: sshd.username, auth_method: 'private_key', private_key: 'nope' },
      }),
    );

    expect(result).toMatchObject({ success: false, error_type: 'internal_error' });
    expect(result.error_message).toMatch(/private key could not be parsed/);
  });

  it('tofu: accepts the pinned key', async () => {
    const result = await probe.probe(
      request(sshd, { hostKeyPolicy: 'tofu', pinnedFingerprint: sshd.hostKeyFingerprint }),
    );

    expect(result).toMatchObject({ success: true, stage: 'kex' });
  });

  it('tofu: a different pin is host_key_mismatch naming both fingerprints and the reset', async () => {
    const result = await probe.probe(
      request(sshd, {
        hostKeyPolicy: 'tofu',
        pinnedFingerprint: FOREIGN_PIN,
        credential: password(),
      }),
    );

    expectWellFormed(result);
    expect(result).toMatchObject({ success: false, stage: 'kex', error_type: 'host_key_mismatch' });
    expect(result.error_message).toContain(FOREIGN_PIN);
    expect(result.error_message).toContain(sshd.hostKeyFingerprint);
    expect(result.error_message).toContain('POST /api/hosts/{id}/host-key/reset');
    expect(result.host_key?.fingerprint).toBe(sshd.hostKeyFingerprint);
  });

  it('strict: no pin is host_key_unknown, the right pin succeeds', async () => {
    const unknown = await probe.probe(request(sshd, { hostKeyPolicy: 'strict' }));
    expect(unknown).toMatchObject({ success: false, stage: 'kex', error_type: 'host_key_unknown' });
    expect(unknown.error_message).toContain(sshd.hostKeyFingerprint);
    expect(unknown.host_key?.fingerprint).toBe(sshd.hostKeyFingerprint);

    const pinned = await probe.probe(
      request(sshd, {
        hostKeyPolicy: 'strict',
        pinnedFingerprint: sshd.hostKeyFingerprint,
        credential: password(),
      }),
    );
    expect(pinned).toMatchObject({ success: true, stage: 'auth' });
  });

  it('strict: a different pin is host_key_mismatch', async () => {
    const result = await probe.probe(
      request(sshd, { hostKeyPolicy: 'strict', pinnedFingerprint: FOREIGN_PIN }),
    );

    expect(result).toMatchObject({ success: false, error_type: 'host_key_mismatch' });
  });

  it('off: ignores a pin that does not match', async () => {
    const result = await probe.probe(
      request(sshd, { hostKeyPolicy: 'off', pinnedFingerprint: FOREIGN_PIN }),
    );

    expect(result).toMatchObject({ success: true, stage: 'kex' });
    expect(result.host_key?.fingerprint).toBe(sshd.hostKeyFingerprint);
  });

  it('handles many probes at once', async () => {
    // 20 password checks at once cost sshd a password hash each: on a busy machine that takes
    // longer than the single-probe timeouts above, and this test is about concurrency, not time.
    const patient = { connectTimeoutMs: 20_000, timeoutMs: 30_000 };
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        probe.probe(request(sshd, i % 2 === 0 ? patient : { ...patient, credential: password() })),
      ),
    );

    for (const [i, result] of results.entries()) {
      expect(result).toMatchObject({ success: true, stage: i % 2 === 0 ? 'kex' : 'auth' });
    }
  });
});

describe('Ssh2Probe when the host key changes', () => {
  let sshd: Sshd;

  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(() => sshd?.stop());

  it('reports the old pin as a mismatch after the host keys are regenerated', async () => {
    const before = await probe.probe(request(sshd));
    expect(before.success).toBe(true);
    const oldPin = before.host_key?.fingerprint ?? null;
    expect(oldPin).toBe(sshd.hostKeyFingerprint);

    const port = sshd.port;
    const newFingerprint = await sshd.regenerateHostKeys();
    expect(sshd.port).toBe(port);
    expect(newFingerprint).not.toBe(oldPin);

    const after = await probe.probe(request(sshd, { pinnedFingerprint: oldPin }));
    expect(after).toMatchObject({ success: false, stage: 'kex', error_type: 'host_key_mismatch' });
    expect(after.host_key?.fingerprint).toBe(newFingerprint);
    expect(after.error_message).toContain(oldPin as string);
    expect(after.error_message).toContain(newFingerprint);
  });

  it('is reachable again after a restart on the same port', async () => {
    await sshd.restart();
    const result = await probe.probe(
      request(sshd, { pinnedFingerprint: sshd.hostKeyFingerprint, hostKeyPolicy: 'strict' }),
    );
    expect(result).toMatchObject({ success: true, stage: 'kex' });
  });
});

describe('Ssh2Probe with other host-key types and loopback addresses', () => {
  it.each([
    ['ecdsa', '127.0.0.2', 'ecdsa-sha2-nistp256'],
    ['rsa', '127.0.0.3', 'ssh-rsa'],
  ] as const)('reports a %s host key on %s as %s', async (hostKeyType, listenAddress, type) => {
    const sshd = await startSshd({ hostKeyType, listenAddress });
    try {
      const result = await probe.probe(
        request(sshd, {
          credential: {
            username: sshd.username,
            auth_method: 'private_key',
            private_key: sshd.privateKey,
          },
        }),
      );
      expect(result).toMatchObject({ success: true, stage: 'auth' });
      expect(result.host_key).toEqual({ fingerprint: sshd.hostKeyFingerprint, type });
    } finally {
      await sshd.stop();
    }
  });
});

describe('Ssh2Probe and the algorithms a server allows', () => {
  // The probe prefers ECDH over nistp256 and AES-GCM (cheapest to compute); a server hardened
  // to curve25519 and chacha20-poly1305 only must still be checked, and present the same key.
  it('agrees on curve25519 and chacha20-poly1305 with a server that allows nothing else', async () => {
    const sshd = await startSshd({
      listenAddress: '127.0.0.4',
      extraConfig: ['KexAlgorithms curve25519-sha256', 'Ciphers chacha20-poly1305@openssh.com'],
    });
    try {
      const result = await probe.probe(
        request(sshd, {
          pinnedFingerprint: sshd.hostKeyFingerprint,
          credential: {
            username: sshd.username,
            auth_method: 'private_key',
            private_key: sshd.privateKey,
          },
        }),
      );
      expect(result).toMatchObject({ success: true, stage: 'auth', error_type: null });
      expect(result.host_key?.fingerprint).toBe(sshd.hostKeyFingerprint);
    } finally {
      await sshd.stop();
    }
  });
});

describe('Ssh2Probe against misbehaving peers', () => {
  const opened: peers.Peer[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((peer) => peer.close()));
  });
  async function track<T extends peers.Peer>(peer: Promise<T>): Promise<T> {
    const p = await peer;
    opened.push(p);
    return p;
  }

  it('silent peer: timeout at stage banner, within the deadline', async () => {
    const peer = await track(peers.silent());
    const started = Date.now();
    const result = await probe.probe(request(peer));
    const wall = Date.now() - started;

    expectWellFormed(result);
    expect(result).toMatchObject({ success: false, stage: 'banner', error_type: 'timeout' });
    expect(result.error_message).toContain(`no SSH banner within ${TIMEOUT_MS} ms`);
    expect(result.response_time_ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(wall).toBeLessThan(TIMEOUT_MS + DEADLINE_MARGIN_MS);
    expect(result.host_key).toBeNull();
    expect(peer.accepted).toBe(1);
    expect(await peers.waitForNoConnections(peer)).toBe(0);
  });

  it('HTTP server that keeps the connection: not_ssh at once', async () => {
    const peer = await track(peers.httpBanner());
    const result = await probe.probe(request(peer));

    expectWellFormed(result);
    expect(result).toMatchObject({ success: false, stage: 'banner', error_type: 'not_ssh' });
    expect(result.error_message).toContain('HTTP/1.1 400 Bad Request');
    // It does not wait for the deadline to decide.
    expect(result.response_time_ms).toBeLessThan(1000);
    expect(await peers.waitForNoConnections(peer)).toBe(0);
  });

  it('HTTP server that closes after its response: not_ssh', async () => {
    const peer = await track(peers.httpBanner({ closeAfterResponse: true }));
    const result = await probe.probe(request(peer));

    expect(result).toMatchObject({ success: false, stage: 'banner', error_type: 'not_ssh' });
    expect(await peers.waitForNoConnections(peer)).toBe(0);
  });

  it('service that greets with text and waits (SMTP-like): not_ssh at the deadline', async () => {
    const peer = await track(peers.sends('220 mail.example.com ESMTP Postfix\r\n'));
    const result = await probe.probe(request(peer, { timeoutMs: 1000 }));

    expect(result).toMatchObject({ success: false, stage: 'banner', error_type: 'not_ssh' });
    expect(result.error_message).toContain('220 mail.example.com ESMTP Postfix');
    expect(await peers.waitForNoConnections(peer)).toBe(0);
  });

  it('service that answers with binary data (a TLS alert): not_ssh at once', async () => {
    const peer = await track(peers.sends(Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46])));
    const result = await probe.probe(request(peer));

    expect(result).toMatchObject({ success: false, stage: 'banner', error_type: 'not_ssh' });
    expect(result.error_message).toContain('15 03 03 00 02 02 46');
    expect(result.response_time_ms).toBeLessThan(1000);
    expect(await peers.waitForNoConnections(peer)).toBe(0);
  });

  it('accepts text lines before the SSH identification line (RFC 4253 4.2)', async () => {
    const peer = await track(peers.refuseAuth({ greeting: 'Authorized use only\r\nBe nice' }));
    const result = await probe.probe(request(peer));

    expect(result).toMatchObject({ success: true, stage: 'kex' });
    expect(result.host_key?.fingerprint).toBe(peer.hostKeyFingerprint);
  });

  it('peer that drops the connection after its banner: protocol_error', async () => {
    const peer = await track(peers.dropAfterBanner());
    const result = await probe.probe(request(peer));

    expectWellFormed(result);
    expect(result).toMatchObject({ success: false, stage: 'kex', error_type: 'protocol_error' });
    expect(result.response_time_ms).toBeLessThan(1000);
    expect(await peers.waitForNoConnections(peer)).toBe(0);
  });

  it('SSH server that rejects every authentication: auth_failed', async () => {
    const peer = await track(peers.refuseAuth());
    const result = await probe.probe(
      request(peer, {
        credential: { username: 'alice', auth_method: 'password', password: 's3cret-pw' },
      }),
    );

    expectWellFormed(result);
    expect(result).toMatchObject({ success: false, stage: 'auth', error_type: 'auth_failed' });
    expect(result.error_message).not.toContain('s3cret-pw');
    expect(result.host_key).toEqual({ fingerprint: peer.hostKeyFingerprint, type: 'ssh-ed25519' });
    expect(peer.authAttempts).toEqual([{ method: 'password', username: 'alice' }]);
    expect(await peers.waitForNoConnections(peer)).toBe(0);
  });

  it('without a credential never tries to authenticate', async () => {
    const peer = await track(peers.refuseAuth());
    const result = await probe.probe(request(peer));

    expect(result).toMatchObject({ success: true, stage: 'kex' });
    expect(peer.authAttempts).toEqual([]);
    expect(await peers.waitForNoConnections(peer)).toBe(0);
  });

  it('answers a keyboard-interactive password prompt with the password', async () => {
    const peer = await track(peers.keyboardInteractiveOnly({ username: 'bob', password: 'pw-42' }));
    const ok = await probe.probe(
      request(peer, {
        credential: { username: 'bob', auth_method: 'password', password: 'pw-42' },
      }),
    );
    const wrong = await probe.probe(
      request(peer, {
        credential: { username: 'bob', auth_method: 'password', password: 'pw-43' },
      }),
    );

    expect(ok).toMatchObject({ success: true, stage: 'auth' });
    expect(wrong).toMatchObject({ success: false, stage: 'auth', error_type: 'auth_failed' });
    expect(await peers.waitForNoConnections(peer)).toBe(0);
  });

  it('closed port: connection_refused at stage connect', async () => {
    const port = await peers.closedPort();
    const result = await probe.probe(request({ host: peers.LOOPBACK, port }));

    expectWellFormed(result);
    expect(result).toMatchObject({
      success: false,
      stage: 'connect',
      error_type: 'connection_refused',
      host_key: null,
    });
    expect(result.error_message).toContain(`127.0.0.1:${port}`);
  });

  it('unresolvable name: dns_failure at stage connect', async () => {
    const result = await probe.probe(request({ host: 'nonexistent.invalid', port: 22 }));

    expectWellFormed(result);
    expect(result).toMatchObject({ success: false, stage: 'connect', error_type: 'dns_failure' });
    expect(result.error_message).toContain('nonexistent.invalid');
  });

  it('an invalid request is a result, not a rejection', async () => {
    const result = await probe.probe(request({ host: peers.LOOPBACK, port: 0 }));

    expect(result).toMatchObject({ success: false, error_type: 'internal_error' });
  });
});
